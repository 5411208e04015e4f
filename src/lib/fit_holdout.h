/* fit_holdout.h — runs held out of a fit and the errors of their prediction
 * (fit_holdout.c). */
#ifndef SLAW_FIT_HOLDOUT_H
#define SLAW_FIT_HOLDOUT_H

#include "fit_result.h"
#include "fit_groups.h"

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

#endif /* SLAW_FIT_HOLDOUT_H */
