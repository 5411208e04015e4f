/* fit_data.h — what a fit records of its data and refuses in it: data that
 * cannot determine the law, the fingerprint, the ranges (fit_data.c). */
#ifndef SLAW_FIT_DATA_H
#define SLAW_FIT_DATA_H

#include "dataset.h"
#include "fit_result.h"
#include "fit_groups.h"
#include "solver_params.h"

/* Refuses fits that cannot say anything (fit_data.c): too few runs for pm->m
 * free parameters, a variable or target that never changes. */
slaw_status fit_check_degenerate(const dataset *d, const param_map *pm, const slaw_law *law,
                                 char *const *vars, const char *group, slaw_error *err);
/* SHA-256 of the rows used (docs/fit-file.md) into out. */
void fit_fingerprint(const slaw_runs *runs, const size_t *rows, size_t n, const size_t *var_cols,
                     size_t n_vars, char out[65]);
/* Ranges of the variables, of C and of the target over the rows of g. */
void fit_describe_data(const slaw_runs *runs, const group_rows *g, const size_t *var_cols,
                       size_t n_vars, slaw_fit *f);

#endif /* SLAW_FIT_DATA_H */
