/* dataset.c — the arrays a fit works on, taken from the run table once. */
#include "dataset.h"
#include "vmath.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void dataset_free(dataset *d)
{
    if (!d) return;
    free(d->block);
    memset(d, 0, sizeof *d);
}

/* values: the variables as they are (a formula's), else their logarithms.
 * One block for every array: a fit makes a dataset, and each allocation of
 * a few kilobytes costs the allocator a search of its bins. */
static slaw_status dataset_alloc(size_t n, size_t n_vars, bool values, bool weighted, dataset *out)
{
    memset(out, 0, sizeof *out);
    out->n = n;
    out->n_vars = n_vars;
    size_t rows = n ? n : 1, arrays = n_vars + 2 + (weighted ? 2 : 0);
    double *at = out->block = malloc(arrays * rows * sizeof *out->block);
    if (!at) return SLAW_ENOMEM;
    for (size_t v = 0; v < n_vars; v++, at += rows) (values ? out->x : out->lnx)[v] = at;
    out->y = at;
    out->lny = at + rows;
    if (weighted) {
        out->w = at + 2 * rows;
        out->sw = at + 3 * rows;
    }
    return SLAW_OK;
}

slaw_status dataset_alloc_like(const dataset *like, size_t n, dataset *out)
{
    return dataset_alloc(n, like->n_vars, like->x[0] != NULL, true, out);
}

/* "file:line: record K: message" about one run. */
static slaw_status row_error(const slaw_runs *runs, size_t run, slaw_error *err, const char *fmt,
                             ...) SLAW_PRINTF(4, 5);

static slaw_status row_error(const slaw_runs *runs, size_t run, slaw_error *err, const char *fmt,
                             ...)
{
    const char *file;
    long line;
    char record[48], msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    runs_where_is(runs, run, &file, &line, record, sizeof record);
    return error_set(err, SLAW_EINPUT, file, line, "%s%s", record, msg);
}

slaw_status dataset_build(const slaw_runs *runs, const size_t *rows, size_t n, const slaw_law *law,
                          const size_t *var_cols, slaw_space space, dataset *out, slaw_error *err)
{
    assert(runs && law && var_cols && out && (rows || n == 0));
    assert(law->n_vars >= 1 && law->n_vars <= LAW_MAX_VARS);
    size_t ycol, wcol;
    slaw_status st = SLAW_OK;
    bool weighted = slaw_runs_role_column(runs, SLAW_ROLE_WEIGHT, &wcol);
    if (!slaw_runs_role_column(runs, SLAW_ROLE_L, &ycol))
        return error_set_option(err, SLAW_EUSAGE, "role_column[L]",
                                "no target column: name one with role_column[L] COLUMN");
    bool values = law->program != NULL;
    if (dataset_alloc(n, law->n_vars, values, weighted, out) != SLAW_OK) return error_nomem(err);
    const char *yname = slaw_runs_column_name(runs, ycol);
    /* the columns themselves: a call per cell cost more than the loop */
    const double *xs[LAW_MAX_VARS], *ys = runs_values(runs, ycol);
    const double *ws = weighted ? runs_values(runs, wcol) : NULL;
    for (size_t v = 0; v < law->n_vars; v++) xs[v] = runs_values(runs, var_cols[v]);
    assert(ys && (ws || !weighted) && xs[law->n_vars - 1]);
    for (size_t i = 0; i < n; i++) {
        size_t run = rows[i];
        for (size_t v = 0; v < law->n_vars; v++) {
            double x = xs[v][run];
            if (values && !isfinite(x)) {
                st = row_error(runs, run, err,
                               "column '%s' must be a number to be a formula's variable, got %g",
                               slaw_runs_column_name(runs, var_cols[v]), x);
                goto out;
            }
            if (!values && (!(x > 0) || !isfinite(x))) {
                st = row_error(runs, run, err,
                               "column '%s' must be a positive number to be a law's variable, "
                               "got %g",
                               slaw_runs_column_name(runs, var_cols[v]), x);
                goto out;
            }
            if (values) out->x[v][i] = x;
            else out->lnx[v][i] = x; /* its logarithm below */
        }
        double y = ys[run];
        if (!isfinite(y)) {
            st = row_error(runs, run, err, "target column '%s' has no number here (%g)", yname, y);
            goto out;
        }
        if (space == SLAW_SPACE_LOG && !(y > 0)) {
            st = row_error(runs, run, err,
                           "target column '%s' must be positive to fit its logarithm, got %g "
                           "(use space linear)",
                           yname, y);
            error_option(err, "space");
            goto out;
        }
        out->y[i] = y;
        if (weighted) out->w[i] = ws[run];
    }
    /* the logarithms vectorised, after the checks (vmath.h) */
    for (size_t v = 0; v < law->n_vars && !values; v++) vmath_log(out->lnx[v], n);
    memcpy(out->lny, out->y, n * sizeof *out->y);
    vmath_log(out->lny, n);
    for (size_t i = 0; i < n; i++) out->lny[i] = out->y[i] > 0 ? out->lny[i] : NAN;
    dataset_root_weights(out);
    return SLAW_OK;
out:
    dataset_free(out);
    return st;
}

size_t dataset_count(const dataset *d)
{
    size_t n = 0;
    for (size_t i = 0; i < d->n; i++) n += dataset_row_counts(d, i);
    return n;
}

void dataset_root_weights(dataset *d)
{
    if (!d->w) return;
    for (size_t i = 0; i < d->n; i++) d->sw[i] = sqrt(d->w[i]);
}

void dataset_summary(const dataset *d, data_summary *s)
{
    memset(s, 0, sizeof *s);
    double ly = 0;
    size_t ny = 0;
    /* sums in locals, a variable at a time: summed in s's fields, each
     * addition waited for the store of the one before */
    for (size_t v = 0; v < d->n_vars; v++) {
        double sum = 0;
        if (d->lnx[v])
            for (size_t i = 0; i < d->n; i++) sum += d->lnx[v][i];
        else if (d->x[v]) /* a formula's values: NaN when one is not positive (no centre) */
            for (size_t i = 0; i < d->n; i++) sum += log(d->x[v][i]);
        s->mean_lnx[v] = sum / (double)(d->n ? d->n : 1);
    }
    for (size_t i = 0; i < d->n; i++)
        if (isfinite(d->lny[i])) {
            ly += d->lny[i];
            ny++;
        }
    s->mean_lny = ny ? ly / (double)ny : 0;
}

/* Rows [from, from + n) of d as a dataset of their own (a view: it owns
 * nothing and is never freed). */
dataset dataset_rows(const dataset *d, size_t from, size_t n)
{
    dataset v = {.n = n,
                 .n_vars = d->n_vars,
                 .y = d->y + from,
                 .lny = d->lny + from,
                 .w = d->w ? d->w + from : NULL,
                 .sw = d->sw ? d->sw + from : NULL};
    for (size_t k = 0; k < d->n_vars; k++) {
        v.lnx[k] = d->lnx[k] ? d->lnx[k] + from : NULL;
        v.x[k] = d->x[k] ? d->x[k] + from : NULL;
    }
    return v;
}
