/* fit.h — the fitting pipeline's internal stages: dataset, objective,
 * parameter map, start grid, solver, and the fit result they produce. */
#ifndef SLAW_FIT_H
#define SLAW_FIT_H

#include "internal.h"
#include "law.h"

#include <gsl/gsl_multifit_nlinear.h>

/* ------------------------------------------------------------------ dataset */

/* What the solver fits: the law's input variables as logarithms and the
 * target, in contiguous arrays, computed once per fit. */
typedef struct dataset {
    size_t n, n_vars;
    double *lnx[LAW_MAX_VARS]; /* ln of each variable */
    double *y;                 /* the target */
    double *lny;               /* ln y (NaN where y <= 0, linear space only) */
    double *w;                 /* weights; NULL when unweighted */
    double *sw;                /* their square roots (the residuals' scale); NULL likewise */
} dataset;

/* Builds the dataset of the runs listed in rows (indices into runs) for law:
 * variable columns from var_cols, the target from role L, weights from role
 * weight.  Errors name the file and line of the offending run. */
slaw_status dataset_build(const slaw_runs *runs, const size_t *rows, size_t n,
                          const slaw_law *law, const size_t *var_cols, slaw_space space,
                          dataset *out, slaw_error *err);
/* Sets the square roots of the weights after w changed. */
void dataset_root_weights(dataset *d);
/* Whether row i counts as data: a run of weight 0 is in the table but not
 * in the fit (it must not count towards runs, degrees of freedom, AIC). */
static inline bool dataset_row_counts(const dataset *d, size_t i)
{
    return !d->w || d->w[i] > 0;
}
/* The number of rows that count. */
size_t dataset_count(const dataset *d);
void dataset_free(dataset *d);
void dataset_summary(const dataset *d, data_summary *s);

/* ---------------------------------------------------------------- objective */

typedef struct objective {
    slaw_space space;
    slaw_loss loss;
    double delta;  /* Huber's threshold */
    double asym_w; /* weight of over-predictions for asym */
} objective;

/* Raw residuals r_i (ln ŷ - ln y, or ŷ - y) from ln ŷ; when J holds
 * ∂ln ŷ/∂θ (n × p) it becomes ∂r/∂θ in place. */
void objective_raw(const objective *o, const dataset *d, const double *lny_hat, double *r,
                   double *J, size_t p);
/* Least-squares residuals f with ½Σf² = Σ w·loss(r), and their Jacobian
 * rows scaled to match (J may be NULL).  Returns false when a value is not
 * finite: the caller treats the point as a failed step. */
bool objective_transform(const objective *o, const dataset *d, const double *r, double *f,
                         double *J, size_t p);
/* Σ w_i·loss(r_i). */
double objective_value(const objective *o, const dataset *d, const double *r);

/* ----------------------------------------------------------- parameter map */

typedef enum bound_kind { BOUND_NONE, BOUND_LOWER, BOUND_UPPER, BOUND_BOTH } bound_kind;

/* Iterations per start when the options give 0. */
#define DEFAULT_MAX_ITER 500

/* Parameters of the problem the solver sees: a law's, or a joint fit's
 * (shared parameters once, the others once per group). */
#define FIT_MAX_PARAMS 64

/* From the solver's free vector u to the law's internal parameters θ:
 * fixed parameters are constants, tied ones share a free entry, bounded
 * ones pass through a smooth transform that cannot leave the bounds. */
typedef struct param_map {
    size_t p, m;                          /* law parameters, free parameters */
    slaw_param_state state[FIT_MAX_PARAMS];
    int free_of[FIT_MAX_PARAMS];          /* free index behind θ_j; -1 if fixed */
    double fixed[FIT_MAX_PARAMS];         /* internal value of a fixed θ_j */
    bound_kind kind[FIT_MAX_PARAMS];      /* per free parameter */
    double lo[FIT_MAX_PARAMS], hi[FIT_MAX_PARAMS]; /* internal bounds per free parameter */
    size_t param_of[FIT_MAX_PARAMS];      /* a law parameter behind free k */
} param_map;

/* Reads --fix, --tie and --bound. Errors: SLAW_EUSAGE naming the option. */
slaw_status param_map_build(const slaw_law *law, const slaw_fit_options *opt, param_map *out,
                            slaw_error *err);
void param_map_theta(const param_map *pm, const double *u, double *theta);
/* dθ/du_k for each free parameter k. */
void param_map_slope(const param_map *pm, const double *u, double *slope);
/* u from θ; a bounded value on or past a bound is taken just inside it,
 * where the solver can still move it. */
void param_map_u(const param_map *pm, const double *theta, double *u);
/* True when free parameter k sits on one of its bounds. */
bool param_map_pinned(const param_map *pm, const double *u, size_t k);
/* True when free parameter k is within 10% of its range from a bound; *bound
 * gets that bound (internal scale). */
bool param_map_near_bound(const param_map *pm, const double *u, size_t k, double *bound);
/* Holds free parameter k (and the parameters tied to it) at value, marked
 * pinned; the free parameters after k move down one place. */
void param_map_hold(param_map *pm, size_t k, double value);

/* ------------------------------------------------------------------- starts */

typedef struct start_grid {
    size_t n, p;
    double *theta; /* n × p internal parameter vectors */
} start_grid;

/* The start points: spec (NULL = the law's default grid centred on the data,
 * "epoch", or "NAME=LO:HI:STEP,...") with fixed and tied parameters applied.
 * Errors: SLAW_EUSAGE for a malformed spec, SLAW_ELIMIT past 10^6 points. */
slaw_status starts_build(const slaw_law *law, const char *spec, const data_summary *s,
                         const param_map *pm, start_grid *out, slaw_error *err);
void starts_free(start_grid *g);

/* ------------------------------------------------------------------- solver */

/* A joint fit (joint.c): one problem over the runs of every group, sorted by
 * group, in which the shared parameters are common and the others are
 * repeated per group. */
typedef struct joint {
    const slaw_law *law;
    size_t n_groups;
    size_t P;                       /* parameters of the joint problem */
    bool shared[LAW_MAX_PARAMS];
    size_t *index;                  /* n_groups × p: joint index of parameter j of group g */
    size_t *first;                  /* n_groups + 1: group g's rows are [first[g], first[g+1]) */
    size_t *base;                   /* P: the law parameter behind joint parameter k */
} joint;

typedef struct problem {
    const slaw_law *law;
    const dataset *data;
    objective obj;
    param_map map;
    size_t max_iter;
    const joint *joint;             /* NULL: the law alone */
    slaw_solver method;             /* GSL's trust-region method */
} problem;

/* Parameters θ of the problem: the law's, or the joint fit's P. */
size_t problem_params(const problem *pb);
/* The law parameter behind θ_k. */
size_t problem_base(const problem *pb, size_t k);
/* ln ŷ of rows [from, from + n) of pb's data at θ and, when J is not NULL,
 * ∂ln ŷ/∂θ (n × problem_params). */
void problem_eval(const problem *pb, const double *theta, size_t from, size_t n, double *lny,
                  double *J);

typedef enum start_outcome {
    START_CONVERGED,
    START_ITERATION_LIMIT,
    START_STALLED,   /* no step reduced the objective and the gradient is not small */
    START_INVALID    /* the objective is not finite (at the start, or where it stopped) */
} start_outcome;

typedef struct start_result {
    double u[FIT_MAX_PARAMS];
    double cost;           /* the objective, Σ w·loss(r) */
    size_t iterations;
    start_outcome outcome;
} start_result;

/* One thread's solver: a GSL workspace and scratch arrays, reused across
 * starts and resamples so that nothing is allocated inside the fit loop. */
typedef struct solver solver;

solver *solver_new(const problem *pb);
void solver_free(solver *s);
/* The problem s solves. */
const problem *solver_problem(const solver *s);
/* The objective at internal parameters theta (NaN if not finite). */
double solver_cost(solver *s, const double *theta);
/* The same, but +inf as soon as the sum passes bound (NaN if not finite). */
double solver_cost_below(solver *s, const double *theta, double bound);
/* Tolerances on the relative decrease of the objective at which a start
 * counts as converged: loose while searching, tight for the best start. */
#define SEARCH_TOL 1e-10
#define FINAL_TOL 1e-14
/* A bootstrap refit only feeds a spread: 1e-8 moves the standard errors of
 * the Chinchilla fit in their fourth digit and saves the slow last steps. */
#define BOOT_TOL 1e-8

/* Runs the trust-region solver from free vector u0. */
void solver_run(solver *s, const double *u0, double tol, start_result *out);
/* Raw residuals and their Jacobian with respect to u at u (n, n × m). */
void solver_raw_jacobian(solver *s, const double *u, double *r, double *J);

/* ------------------------------------------------------------------- search */

/* The law and objective the options name, after checking every option
 * that does not depend on the runs.  Errors: SLAW_EUSAGE. */
slaw_status fit_check_options(const slaw_fit_options *opt, const slaw_law **law, objective *obj,
                              slaw_error *err);
/* The law of opt->formula over the columns of runs (NULL when there is no
 * formula); caller owns *out, free with formula_law_free.  Errors:
 * SLAW_EUSAGE for a malformed formula (with its column). */
slaw_status fit_formula_law(const slaw_fit_options *opt, const slaw_runs *runs, slaw_law **out,
                            slaw_error *err);
/* The options' per-key reduction, its variances in the fit's space. */
slaw_per_options fit_per_options(const slaw_fit_options *opt);
/* The columns of the law's variables in runs: --x or N for a one-variable
 * law, N and D otherwise.  Errors: SLAW_EUSAGE naming what is missing. */
slaw_status fit_resolve_variables(const slaw_runs *runs, const slaw_law *law, const char *x,
                                  size_t *cols, slaw_error *err);
/* The k starts of g with the lowest objective, best first, by s alone (for
 * a resample whose warm start failed); returns how many there are. */
size_t search_best_starts(solver *s, const start_grid *g, size_t k, size_t *best);
/* Evaluates every start, polishes the most promising (opt->polish) in
 * parallel; caller frees *results. */
slaw_status fit_search(const problem *pb, const start_grid *g, const slaw_fit_options *opt,
                       int threads, start_result **results, size_t *n_results, slaw_error *err);
/* Parameters that the search left near a bound, with the objective falling
 * towards it, are held on the bound and the others refitted (an active-set
 * step: the transforms that keep bounds slow the solver near them).  Updates
 * pb's map, *s and *best when that lowers the objective. */
slaw_status fit_settle_bounds(problem *pb, solver **s, start_result *best, slaw_error *err);
/* The best converged start, refined; counts in st.  Errors: SLAW_EFIT. */
slaw_status fit_pick_best(solver *s, start_result *res, size_t k, const char *group,
                          start_result *best, slaw_fit_stats *st, slaw_error *err);

/* ------------------------------------------------------------------- groups */

typedef struct group_rows {
    char *name;   /* NULL when ungrouped */
    size_t *rows;
    size_t n;
} group_rows;

/* The runs of each value of the group column, in order of first appearance
 * (one group of every run when there is none). */
slaw_status groups_split(const slaw_runs *runs, group_rows **out, size_t *n_out, slaw_error *err);
void groups_free(group_rows *g, size_t n);
/* The cluster of each row of g: one per run, or one per value of column by. */
slaw_status groups_clusters(const slaw_runs *runs, const group_rows *g, const char *by,
                            size_t *cluster_of, size_t *n_clusters, slaw_error *err);
/* "group 'x': " for messages about a group; "" when ungrouped. */
const char *group_prefix(const char *group, char *buf, size_t size);

/* ------------------------------------------------------------------ holdout */

/* Splits g into the runs to fit (train, whose rows the caller frees) and the
 * runs held out (*held, caller frees) by rule "largest:K" | "largest-c:K". */
slaw_status holdout_split(const slaw_runs *runs, const group_rows *g, const char *rule,
                          const size_t *var_cols, group_rows *train, size_t **held, size_t *n_held,
                          slaw_error *err);
/* Predicts the held-out runs with f and stores them with their errors. */
slaw_status holdout_evaluate(slaw_fit *f, const slaw_runs *runs, const size_t *held, size_t n,
                             const size_t *var_cols);

/* Errors ln(predicted / observed) of extrapolated runs, summed as they come
 * (holdout and rollout).  A NaN error (a target not positive) makes every
 * summary NaN rather than being skipped. */
typedef struct log_errors {
    double sum_abs, sum, worst;
    size_t n;
} log_errors;
void log_errors_add(log_errors *e, double predicted, double observed);
double log_errors_mean_abs(const log_errors *e); /* NaN when empty, as below */
double log_errors_bias(const log_errors *e);
double log_errors_worst(const log_errors *e);

/* ----------------------------------------------------------------- coverage */

/* One predicted run scored against a fit's prediction intervals: its error
 * in the fitting space over the interval's half-width on the error's side
 * (<= 1: inside), and the interval's width relative to the prediction. */
typedef struct coverage_score {
    size_t step;
    double score[SLAW_COVERAGE_LEVELS];
    double width[SLAW_COVERAGE_LEVELS];
} coverage_score;

/* Scores the run at vars with target observed; false when f gives no
 * prediction interval there (no covariance, a value out of range). */
bool coverage_score_run(const slaw_fit *f, const double *vars, double observed, slaw_space space,
                        coverage_score *out);
/* Summarises the scores of step (or SLAW_ROLLOUT_POOLED) at level i. */
void coverage_summarize(const coverage_score *s, size_t n, size_t step, size_t i,
                        slaw_coverage *out);
/* Wilson's 95% interval of a fraction of k in n; NaN when n = 0. */
void coverage_wilson(size_t k, size_t n, double *lo, double *hi);
/* Sets every fit's calib pointer to the artifact's calibration (or NULL). */
void artifact_link_calibration(slaw_artifact *a);
/* Gives every fit of a the interval method and level of a's settings. */
void artifact_link_intervals(slaw_artifact *a);

/* ------------------------------------------------------------------ results */

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
#define BOOT_FAILURE_WARNING \
    "bootstrap resamples could not be refitted, even restarted from the grid, and are left out"

struct slaw_fit {
    const slaw_law *law;
    char *group;                            /* NULL when ungrouped */
    double value[LAW_MAX_PARAMS];           /* natural scale */
    double se[LAW_MAX_PARAMS];
    slaw_param_state state[LAW_MAX_PARAMS];
    double cov[LAW_MAX_PARAMS * LAW_MAX_PARAMS];
    bool identified[LAW_MAX_PARAMS];        /* false: the runs do not determine it (se NaN) */
    double derived[LAW_MAX_DERIVED], derived_se[LAW_MAX_DERIVED];
    bool derived_identified[LAW_MAX_DERIVED];
    /* identifiability (identify.c), in memory only: the covariance in the
     * internal coordinates, the correlations with scales taken at the data's
     * centre (NaN without variance) and their condition number */
    double cov_theta[LAW_MAX_PARAMS * LAW_MAX_PARAMS];
    double corr[LAW_MAX_PARAMS * LAW_MAX_PARAMS];
    double condition;
    bool has_corr;
    slaw_fit_stats stats;
    char *se_method;                        /* how the standard errors were computed */
    char *warnings[FIT_MAX_WARNINGS];
    size_t n_warnings;
    char *vars[LAW_MAX_VARS];               /* variable column names */
    char *group_col[RUNS_MAX_GROUP_PARTS];  /* a group of several columns: each column, */
    char *group_val[RUNS_MAX_GROUP_PARTS];  /* its value as text, */
    bool group_num[RUNS_MAX_GROUP_PARTS];   /* and whether it is a number */
    size_t n_group_cols;
    double var_min[LAW_MAX_VARS], var_max[LAW_MAX_VARS];
    double y_min, y_max;
    double c_min, c_max;                    /* of 6·N·D, laws of N and D */
    char sha256[65];                        /* of the rows used */
    /* bootstrap (bootstrap.c); boot is NULL when there was none */
    double *boot;                           /* n_boot × n_params, natural scale */
    size_t n_boot, boot_failures, boot_fallbacks;
    size_t boot_why[BOOT_FAILED_KINDS];     /* the failures by reason */
    double boot_level;
    double boot_se[LAW_MAX_PARAMS], boot_lo[LAW_MAX_PARAMS], boot_hi[LAW_MAX_PARAMS];
    double dboot_se[LAW_MAX_DERIVED], dboot_lo[LAW_MAX_DERIVED], dboot_hi[LAW_MAX_DERIVED];
    /* holdout (holdout.c): the runs left out, observed and predicted */
    size_t n_hold;
    double *hold_vars, *hold_obs, *hold_pred;
    double hold_male, hold_bias, hold_max;
    /* joint fit (joint.c): the parameters common to every group, and the
     * joint problem's statistics; joint is false for a fit of its own */
    bool joint;
    bool shared[LAW_MAX_PARAMS];
    slaw_fit_stats joint_stats;
    double *joint_cov;                      /* natural-scale covariance of the joint
                                               problem's joint_P parameters; NULL if unknown */
    size_t joint_P;
    size_t joint_index[LAW_MAX_PARAMS];     /* the joint parameter behind each of this fit's */
    const slaw_coverage *calib;             /* the artifact's calibration; NULL if none */
    slaw_interval_method interval;          /* the artifact's (settings.interval); AUTO:
                                               a file that records none */
    double level;                           /* of the intervals (settings.level) */
};

/* The settings a fit was made with, owned copies (see slaw_artifact_options). */
typedef struct fit_settings {
    char *law, *x, *grid;
    char *formula;       /* the formula's text when law is "formula" */
    slaw_solver solver;
    bool x_given;        /* x was named with --x (else it was the N column) */
    slaw_space space;
    slaw_loss loss;
    double loss_param;
    long polish;
    size_t max_iter, drop_top;
    size_t bootstrap;
    unsigned long seed;
    double level;
    slaw_interval_method interval; /* AUTO only in a file written before it was recorded */
    char *bootstrap_by;
    char *holdout;
    char *shared;        /* "alpha,beta": a joint fit's common parameters; NULL = none */
    char **fix, **tie, **bound, **where;
    size_t n_fix, n_tie, n_bound, n_where;
    slaw_per_keep per;           /* one run per key of per_columns */
    char **per_columns;
    size_t n_per_columns;
    bool per_inverse_variance;
    char *role_column[SLAW_ROLE_COUNT];
    bool role_given[SLAW_ROLE_COUNT];
} fit_settings;

typedef struct filter_record {
    char *what;      /* "--drop-top-loss 5" */
    size_t removed;
} filter_record;

/* A group that could not be fitted, and why. */
typedef struct group_failure {
    char *group;
    char *reason;
} group_failure;

struct slaw_artifact {
    slaw_law *own_law;   /* a formula's law, which the fits point to; NULL for built-ins */
    char *slaw_version;  /* of the slaw that wrote it */
    int format;
    fit_settings settings;
    size_t runs_read;    /* before the filters */
    filter_record *filters;
    size_t n_filters;
    slaw_fit *fits;
    size_t n_fits;
    group_failure *failed;   /* groups that could not be fitted */
    size_t n_failed;
    bool calibrated;     /* calib holds a rollout's pooled coverage (coverage.c) */
    slaw_coverage calib[SLAW_COVERAGE_LEVELS];
};

#define ARTIFACT_FORMAT 1

/* What every group's fit shares: the law, objective, constraints, columns. */
typedef struct fit_plan {
    const slaw_law *law;
    const slaw_fit_options *opt;
    objective obj;
    param_map map;
    size_t var_cols[LAW_MAX_VARS];
    int threads;
} fit_plan;

/* Refuses fits that cannot say anything (fit.c): too few runs for pm->m
 * free parameters, a variable or target that never changes. */
slaw_status fit_check_degenerate(const dataset *d, const param_map *pm, const slaw_law *law,
                                 char *const *vars, const char *group, slaw_error *err);
/* SHA-256 of the rows used (docs/fit-file.md) into out. */
void fit_fingerprint(const slaw_runs *runs, const size_t *rows, size_t n, const size_t *var_cols,
                     size_t n_vars, char out[65]);
/* Ranges of the variables, of C and of the target over the rows of g. */
void fit_describe_data(const slaw_runs *runs, const group_rows *g, const size_t *var_cols,
                       size_t n_vars, slaw_fit *f);
/* Fits every group at once with opt->shared parameters common (joint.c);
 * fits[g] gets group g's result (a group's parameters are the shared ones
 * and its own). */
slaw_status fit_joint(const fit_plan *plan, const slaw_runs *runs, const group_rows *groups,
                      size_t n_groups, slaw_fit *fits, slaw_error *err);

slaw_artifact *artifact_new(void);
/* slaw_fit_runs; with keep_failed, failed groups never make an error: the
 * artifact may hold no fit at all (the rollout reports each group). */
slaw_status fit_runs(const slaw_runs *runs, const slaw_fit_options *opt, bool keep_failed,
                     slaw_artifact **out, slaw_error *err);
/* Records that group could not be fitted; false when out of memory. */
bool artifact_add_failure(slaw_artifact *a, const char *group, const char *reason);
/* Copies the options and the columns the roles were bound to. */
slaw_status settings_record(fit_settings *s, const slaw_fit_options *opt, const slaw_runs *runs,
                            const char *x_column);
void fit_add_warning(slaw_fit *f, const char *fmt, ...) SLAW_PRINTF(2, 3);
/* Standard errors and covariance at the optimum (uncertainty.c). */
void fit_uncertainty(const problem *pb, solver *s, const start_result *best, slaw_fit *f);
/* n, R², RMSE of log residuals, AIC, BIC at the optimum. */
void fit_goodness(const problem *pb, const start_result *best, slaw_fit *f);
/* Derived quantities with delta-method standard errors; a quantity that
 * depends on an undetermined parameter is undetermined too. */
void fit_derive(const slaw_law *law, slaw_fit *f);
/* Which parameters the runs determine (identify.c): marks as undetermined,
 * with a NaN standard error and a warning saying why and what would help,
 * a parameter whose covariance is singular, whose standard error exceeds
 * its value, that correlates above IDENTIFY_MAX_CORR with another, or whose
 * bootstrap interval spans more than IDENTIFY_MAX_DECADES decades.  Call
 * after the bootstrap, before fit_derive. */
#define IDENTIFY_MAX_CORR 0.999
#define IDENTIFY_MAX_DECADES 2.0
void fit_identify(const problem *pb, const data_summary *s, slaw_fit *f);
/* The same by the criteria of each parameter alone, for a fit without its
 * own internal covariance (a group of a joint fit); singular[j] marks a
 * parameter whose Jacobian column is dependent.  A shared parameter is
 * judged in each group. */
void fit_identify_each(slaw_fit *f, const bool *singular);
/* What a bootstrap needs: the fitted problem, its grid (for restarts), the
 * optimum to warm-start from, and which cluster each row belongs to (rows
 * of a cluster are drawn together). */
typedef struct boot_job {
    const problem *pb;
    const start_grid *grid;
    const double *best_u;
    const size_t *cluster_of;
    size_t n_clusters;
    const size_t *strata;   /* n_strata + 1: clusters [strata[s], strata[s+1]) are drawn
                               from apart (a joint fit resamples within groups); NULL */
    size_t n_strata;        /* 0: one stratum of every cluster */
    const slaw_fit_options *opt;
    int threads;
} boot_job;

typedef struct boot_result {
    double *samples;        /* kept × problem_params, natural scale; caller frees */
    size_t kept, failures, fallbacks, resamples;
    size_t why[BOOT_FAILED_KINDS]; /* the failures by reason */
} boot_result;

/* "2 did not converge, 1 had no finite objective" from counts by reason. */
void bootstrap_failure_text(const size_t *why, char *buf, size_t size);

/* Resamples and refits; the refitted parameters of the resamples that
 * converged, in resample order. */
slaw_status bootstrap_samples(const boot_job *job, boot_result *out, slaw_error *err);
/* Gives f the samples (kept × n_params; f owns them), its warnings and summaries. */
void bootstrap_store(slaw_fit *f, const boot_result *r, double *samples, double level);
/* Resamples, refits, and stores samples and summaries in f. */
slaw_status bootstrap_run(const boot_job *job, slaw_fit *f, slaw_error *err);
/* Fills the bootstrap summaries (se, intervals) from f->boot. */
void bootstrap_summarize(slaw_fit *f);
void fit_clear(slaw_fit *f);
void settings_clear(fit_settings *s);
char *text_copy(const char *s);

#endif /* SLAW_FIT_H */
