/* fit_data.h — what a fit records of its data and refuses in it: data that
 * cannot determine the law, the fingerprint's bytes, the ranges (fit_data.c). */
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
/* Keeps with f the bytes its fingerprint digests (docs/fit-file.md): per
 * run of rows[0..n), its variables, target and weight as IEEE-754 doubles,
 * little-endian, in run order.  SHA-256 of them waits for fit_fingerprint,
 * which writers call: a fit used in process and never written does not pay
 * for it (about 8% of a fit of 250 runs).  False if memory runs out. */
bool fit_keep_fingerprint(const slaw_runs *runs, const size_t *rows, size_t n,
                          const size_t *var_cols, size_t n_vars, slaw_fit *f);
/* Ranges of the variables, of C and of the target over the rows of g. */
void fit_describe_data(const slaw_runs *runs, const group_rows *g, const size_t *var_cols,
                       size_t n_vars, slaw_fit *f);

#endif /* SLAW_FIT_DATA_H */
