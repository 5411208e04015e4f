/* fit_data.c — what a fit records of its data, and the data it refuses:
 * runs that cannot determine the law, the bytes its fingerprint digests,
 * the ranges of the variables and the target. */
#include "fit_data.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Fits that cannot say anything: fewer runs than parameters, a variable
 * that never changes, a target that never changes. */
slaw_status fit_check_degenerate(const dataset *d, const param_map *pm, const slaw_law *law,
                                 char *const *vars, const char *group, slaw_error *err)
{
    char g[300];
    size_t n = dataset_count(d), first = 0;
    const char *weighted = d->w ? " of positive weight" : "";
    if (n <= pm->m)
        return error_set(err, SLAW_EFIT, NULL, 0,
                         "%stoo few runs: %zu runs%s for %zu free parameters of %s (need more "
                         "runs than parameters)",
                         group_prefix(group, g, sizeof g), n, weighted, pm->m, law->name);
    while (!dataset_row_counts(d, first)) first++;
    bool var_moves[LAW_MAX_VARS] = {false}, y_moves = false;
    /* how many of the variables and the target have not moved yet: the scan
     * stops when none is left */
    size_t still = d->n_vars + 1;
    for (size_t i = first + 1; i < d->n && still; i++) {
        if (!dataset_row_counts(d, i)) continue;
        still = 0;
        for (size_t v = 0; v < d->n_vars; v++) {
            const double *x = d->x[v] ? d->x[v] : d->lnx[v];
            var_moves[v] |= x[i] != x[first];
            still += !var_moves[v];
        }
        y_moves |= d->y[i] != d->y[first];
        still += !y_moves;
    }
    for (size_t v = 0; v < d->n_vars; v++)
        if (!var_moves[v])
            return error_set(err, SLAW_EFIT, NULL, 0,
                             "%s%s has the same value (%g) in every run%s: %s cannot fit how the "
                             "target changes with it",
                             group_prefix(group, g, sizeof g), vars[v],
                             d->x[v] ? d->x[v][first] : exp(d->lnx[v][first]), weighted, law->name);
    if (!y_moves)
        return error_set(err, SLAW_EFIT, NULL, 0,
                         "%sthe target is %g in every run%s: there is nothing to fit",
                         group_prefix(group, g, sizeof g), d->y[first], weighted);
    return SLAW_OK;
}

/* The bytes of v, little-endian, whatever the machine. */
static void put_double(uint8_t *to, double v)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    memcpy(to, &v, sizeof v); /* the same bytes, at once */
#else
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    for (int k = 0; k < 8; k++) to[k] = (uint8_t)(bits >> (8 * k));
#endif
}

bool fit_keep_fingerprint(const slaw_runs *runs, const size_t *rows, size_t n,
                          const size_t *var_cols, size_t n_vars, slaw_fit *f)
{
    size_t ycol, wcol;
    bool has_w = slaw_runs_role_column(runs, SLAW_ROLE_WEIGHT, &wcol);
    slaw_runs_role_column(runs, SLAW_ROLE_L, &ycol);
    size_t per_run = 8 * (n_vars + 1 + has_w);
    uint8_t *to = malloc(n * per_run + 1);
    if (!to) return false;
    const double *xs[LAW_MAX_VARS], *ys = runs_values(runs, ycol);
    const double *ws = has_w ? runs_values(runs, wcol) : NULL;
    for (size_t v = 0; v < n_vars; v++) xs[v] = runs_values(runs, var_cols[v]);
    free(f->fingerprint_bytes);
    f->fingerprint_bytes = to;
    f->fingerprint_len = n * per_run;
    for (size_t i = 0; i < n; i++, to += per_run) {
        for (size_t v = 0; v < n_vars; v++) put_double(to + 8 * v, xs[v][rows[i]]);
        put_double(to + 8 * n_vars, ys[rows[i]]);
        if (has_w) put_double(to + 8 * (n_vars + 1), ws[rows[i]]);
    }
    return true;
}

/* The least and greatest of each of k columns over rows (a NaN passed over,
 * as fmin and fmax do), and of 6·N·D where cols[n_col] and cols[d_col] hold
 * N and D (k ≤ n_col otherwise): in one pass, each in locals and without
 * branches, which the target's noisy values mispredicted, so that their
 * chains of comparisons run side by side.  Inlined for each k. */
static inline __attribute__((always_inline)) void ranges_rows(size_t k, const double *const *cols,
                                                              size_t n_col, size_t d_col,
                                                              const size_t *rows, size_t n,
                                                              double *lo, double *hi)
{
    double l[LAW_MAX_VARS + 2], h[LAW_MAX_VARS + 2];
    bool compute = n_col < k && d_col < k;
    /* slaw_compute_flops(N, D, 0) is (6·N)·D: no call a row, whose registers
     * the sums would have to leave */
    double per_param_token = slaw_compute_flops(1.0, 1.0, 0);
    for (size_t c = 0; c <= k; c++) l[c] = INFINITY, h[c] = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        size_t r = rows[i];
#pragma GCC unroll 6
        for (size_t c = 0; c < k; c++) {
            double x = cols[c][r];
            l[c] = x < l[c] ? x : l[c];
            h[c] = x > h[c] ? x : h[c];
        }
        double x = compute ? per_param_token * cols[n_col][r] * cols[d_col][r] : 0.0;
        l[k] = x < l[k] ? x : l[k];
        h[k] = x > h[k] ? x : h[k];
    }
    for (size_t c = 0; c <= k; c++) lo[c] = l[c], hi[c] = h[c];
}

/* Ranges of the variables, of C = 6ND and of the target over the runs used,
 * from the table's values (exact, unlike exp(ln x)). */
void fit_describe_data(const slaw_runs *runs, const group_rows *g, const size_t *var_cols,
                       size_t n_vars, slaw_fit *f)
{
    size_t ycol, in = law_var_index(f->law, SLAW_ROLE_N), id = law_var_index(f->law, SLAW_ROLE_D),
                 ic = law_var_index(f->law, SLAW_ROLE_C);
    slaw_runs_role_column(runs, SLAW_ROLE_L, &ycol);
    const double *cols[LAW_MAX_VARS + 1];
    double lo[LAW_MAX_VARS + 2], hi[LAW_MAX_VARS + 2];
    for (size_t v = 0; v < n_vars; v++) cols[v] = runs_values(runs, var_cols[v]);
    cols[n_vars] = runs_values(runs, ycol);
    /* C's range from N and D where the law has both and no C */
    size_t n_col = ic < n_vars ? SIZE_MAX : in, d_col = ic < n_vars ? SIZE_MAX : id;
    switch (n_vars) {
    case 1: ranges_rows(2, cols, n_col, d_col, g->rows, g->n, lo, hi); break;
    case 2: ranges_rows(3, cols, n_col, d_col, g->rows, g->n, lo, hi); break;
    default: ranges_rows(n_vars + 1, cols, n_col, d_col, g->rows, g->n, lo, hi); break;
    }
    for (size_t v = 0; v < n_vars; v++) f->var_min[v] = lo[v], f->var_max[v] = hi[v];
    f->y_min = lo[n_vars];
    f->y_max = hi[n_vars];
    bool compute = n_col < n_vars && d_col < n_vars;
    f->c_min = ic < n_vars ? lo[ic] : compute ? lo[n_vars + 1] : INFINITY;
    f->c_max = ic < n_vars ? hi[ic] : compute ? hi[n_vars + 1] : -INFINITY;
}
