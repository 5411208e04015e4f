/* fit_result.h — one group's fit: values, covariance, diagnostics,
 * bootstrap samples, holdout (fit_result.c, with the accessors of
 * include/slaw.h). */
#ifndef SLAW_FIT_RESULT_H
#define SLAW_FIT_RESULT_H

#include "error.h"
#include "law.h"
#include "runs.h"

#include <stdint.h>

#define FIT_MAX_WARNINGS 16

/* Why a resample's refit failed, even restarted from the grid. */
typedef enum boot_failure {
    BOOT_FAILED_NO_CONVERGENCE, /* the iteration limit, or no step lowered the objective */
    BOOT_FAILED_PINNED,         /* it stopped with a parameter on its bound */
    BOOT_FAILED_NON_FINITE,     /* no attempt had a finite objective */
    BOOT_FAILED_KINDS
} boot_failure;

/* The fit warning about failed resamples reads "K of B " this " (why)"; a
 * check tells it from other warnings by this text. */
#define BOOT_FAILURE_WARNING                                                                       \
    "bootstrap resamples could not be refitted, even restarted from the grid, and are left out"

struct slaw_fit {
    const slaw_law *law;
    char *group;                  /* NULL when ungrouped */
    double value[LAW_MAX_PARAMS]; /* natural scale */
    double se[LAW_MAX_PARAMS];
    slaw_param_state state[LAW_MAX_PARAMS];
    double cov[LAW_MAX_PARAMS * LAW_MAX_PARAMS];
    bool identified[LAW_MAX_PARAMS]; /* false: the runs do not determine it (se NaN) */
    double derived[LAW_MAX_DERIVED], derived_se[LAW_MAX_DERIVED];
    bool derived_identified[LAW_MAX_DERIVED];
    /* identifiability (uncertainty_identify.c), in memory only: the covariance in the
     * internal coordinates, the correlations with scales taken at the data's
     * centre (NaN without variance; their condition number when asked) */
    double cov_theta[LAW_MAX_PARAMS * LAW_MAX_PARAMS];
    double corr[LAW_MAX_PARAMS * LAW_MAX_PARAMS];
    bool has_corr;
    slaw_fit_stats stats;
    char *se_method; /* how the standard errors were computed */
    char *warnings[FIT_MAX_WARNINGS];
    const char *warning_option[FIT_MAX_WARNINGS]; /* the options fields each names; NULL:
                                                     none (or read from a file) */
    size_t n_warnings;
    char *vars[LAW_MAX_VARS];              /* variable column names */
    char *group_col[RUNS_MAX_GROUP_PARTS]; /* a group of several columns: each column, */
    char *group_val[RUNS_MAX_GROUP_PARTS]; /* its value as text, */
    bool group_num[RUNS_MAX_GROUP_PARTS];  /* and whether it is a number */
    size_t n_group_cols;
    double var_min[LAW_MAX_VARS], var_max[LAW_MAX_VARS];
    double y_min, y_max;
    double c_min, c_max; /* of 6·N·D, laws of N and D */
    /* the fingerprint of the rows used (fit_fingerprint): SHA-256 of these
     * bytes (fit_keep_fingerprint) for a fit made here, else as read */
    uint8_t *fingerprint_bytes;
    size_t fingerprint_len;
    char sha256[65];
    /* bootstrap (uncertainty_bootstrap.c); boot is NULL when there was none */
    double *boot; /* n_boot × n_params, natural scale */
    size_t n_boot, boot_failures, boot_fallbacks;
    size_t boot_why[BOOT_FAILED_KINDS]; /* the failures by reason */
    double boot_level;
    double boot_se[LAW_MAX_PARAMS], boot_lo[LAW_MAX_PARAMS], boot_hi[LAW_MAX_PARAMS];
    double dboot_se[LAW_MAX_DERIVED], dboot_lo[LAW_MAX_DERIVED], dboot_hi[LAW_MAX_DERIVED];
    /* holdout (fit_holdout.c): the runs left out, observed and predicted */
    size_t n_hold;
    double *hold_vars, *hold_obs, *hold_pred;
    double hold_male, hold_bias, hold_max;
    /* joint fit (fit_joint.c): the parameters common to every group, and the
     * joint problem's statistics; joint is false for a fit of its own */
    bool joint;
    bool shared[LAW_MAX_PARAMS];
    slaw_fit_stats joint_stats;
    double *joint_cov; /* natural-scale covariance of the joint
                          problem's joint_P parameters; NULL if unknown */
    size_t joint_P;
    size_t joint_index[LAW_MAX_PARAMS]; /* the joint parameter behind each of this fit's */
    const slaw_coverage *calib;         /* the artifact's calibration; NULL if none */
    slaw_interval_method interval;      /* the artifact's (settings.interval); AUTO:
                                           a file that records none */
    double level;                       /* of the intervals (settings.level) */
};

/* Adds a warning to f (at most FIT_MAX_WARNINGS are kept). */
void fit_add_warning(slaw_fit *f, const char *fmt, ...) SLAW_PRINTF(2, 3);
/* As fit_add_warning, for a warning that names the options fields option
 * ("fix"; static text), as slaw_error.option does. */
void fit_add_warning_option(slaw_fit *f, const char *option, const char *fmt, ...)
    SLAW_PRINTF(3, 4);
void fit_clear(slaw_fit *f);
/* The fingerprint of f's rows (docs/fit-file.md) as 64 hex digits. */
void fit_fingerprint(const slaw_fit *f, char out[65]);
/* Frees what f owns, leaving f itself as it is (for a fit about to be freed:
 * fit_clear's zeroing of its 8 KB is then wasted). */
void fit_free_owned(slaw_fit *f);

#endif /* SLAW_FIT_RESULT_H */
