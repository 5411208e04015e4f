/* artifact.h — the fit artifact in memory: the settings, the filters,
 * the fits of every group and the groups that failed (artifact.c). */
#ifndef SLAW_ARTIFACT_H
#define SLAW_ARTIFACT_H

#include "fit_result.h"

/* The settings a fit was made with, owned copies (see slaw_artifact_options). */
typedef struct fit_settings {
    char *law, *x, *grid;
    char *formula; /* the formula's text when law is "formula" */
    slaw_solver solver;
    bool x_given; /* x was named with --x (else it was the N column) */
    slaw_space space;
    slaw_loss loss;
    double loss_param;
    long polish;
    size_t max_iter;
    size_t bootstrap;
    unsigned long seed;
    double level;
    slaw_interval_method interval; /* AUTO only in a file written before it was recorded */
    char *bootstrap_by;
    char *holdout;
    char *shared; /* "alpha,beta": a joint fit's common parameters; NULL = none */
    char **fix, **tie, **bound;
    size_t n_fix, n_tie, n_bound;
    slaw_selection *selection; /* the runs fitted, chosen from those read; NULL: all */
    char *role_column[SLAW_ROLE_COUNT];
    bool role_given[SLAW_ROLE_COUNT];
} fit_settings;

/* A group that could not be fitted, and why. */
typedef struct group_failure {
    char *group;
    char *reason;
} group_failure;

struct slaw_artifact {
    slaw_law *own_law;  /* a formula's law, which the fits point to; NULL for built-ins */
    char *slaw_version; /* of the slaw that wrote it */
    int format;
    fit_settings settings;
    size_t runs_read; /* before the selection */
    size_t *removed;  /* what each step of settings.selection removed */
    slaw_fit *fits;
    size_t n_fits;
    group_failure *failed; /* groups that could not be fitted */
    size_t n_failed;
    bool calibrated; /* calib holds a rollout's pooled coverage (forecast_coverage.c) */
    slaw_coverage calib[SLAW_COVERAGE_LEVELS];
};

/* The format written; 1 (filters as command-line texts) is still read. */
#define ARTIFACT_FORMAT 2

/* A new empty artifact; NULL when out of memory. */
slaw_artifact *artifact_new(void);

/* Records that group could not be fitted; false when out of memory. */
bool artifact_add_failure(slaw_artifact *a, const char *group, const char *reason);
/* Copies the options and the columns the roles were bound to. */
slaw_status settings_record(fit_settings *s, const slaw_fit_options *opt, const slaw_runs *runs,
                            const char *x_column);

void settings_clear(fit_settings *s);
/* Wilson's 95% interval of a fraction of k in n; NaN when n = 0. */
void coverage_wilson(size_t k, size_t n, double *lo, double *hi);
/* Sets every fit's calib pointer to the artifact's calibration (or NULL). */
void artifact_link_calibration(slaw_artifact *a);
/* Gives every fit of a the interval method and level of a's settings. */
void artifact_link_intervals(slaw_artifact *a);

#endif /* SLAW_ARTIFACT_H */
