/* dataset.h — the dataset stage: the runs a fit uses, as the law's
 * variables and the target in contiguous arrays (dataset.c). */
#ifndef SLAW_DATASET_H
#define SLAW_DATASET_H

#include "law.h"
#include "runs.h"

/* What the solver fits: the law's input variables as logarithms and the
 * target, in contiguous arrays, computed once per fit. */
typedef struct dataset {
    size_t n, n_vars;
    double *lnx[LAW_MAX_VARS]; /* ln of each variable (a built-in law's) */
    double *x[LAW_MAX_VARS];   /* each variable itself, any sign (a formula's) */
    double *y;                 /* the target */
    double *lny;               /* ln y (NaN where y <= 0, linear space only) */
    double *w;                 /* weights; NULL when unweighted */
    double *sw;                /* their square roots (the residuals' scale); NULL likewise */
    double *block;             /* the arrays above, in one allocation */
} dataset;

/* Builds the dataset of the runs listed in rows (indices into runs) for law:
 * variable columns from var_cols, the target from role L, weights from role
 * weight.  Errors name the file and line of the offending run. */
slaw_status dataset_build(const slaw_runs *runs, const size_t *rows, size_t n, const slaw_law *law,
                          const size_t *var_cols, slaw_space space, dataset *out, slaw_error *err);
/* Arrays for n rows shaped as like's (its variables as values or as
 * logarithms, as it holds them), with weights, in one block that
 * dataset_free frees: what the bootstrap packs a resample's rows into. */
slaw_status dataset_alloc_like(const dataset *like, size_t n, dataset *out);
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
/* Frees what dataset_build allocated. */
void dataset_free(dataset *d);
/* Rows [from, from + n) of d, viewed in place: owns nothing, never freed. */
dataset dataset_rows(const dataset *d, size_t from, size_t n);
void dataset_summary(const dataset *d, data_summary *s);

#endif /* SLAW_DATASET_H */
