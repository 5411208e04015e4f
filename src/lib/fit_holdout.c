/* fit_holdout.c — the test that matters for a law meant for extrapolation: fit
 * without the largest runs, then predict them. */
#include "fit_holdout.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int compare_desc(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x < y) - (x > y);
}

/* "largest:K" (by the law's first variable) or "largest-c:K" (by compute). */
static slaw_status parse_rule(const char *rule, bool *by_compute, size_t *k, slaw_error *err)
{
    const char *colon = strchr(rule, ':');
    size_t len = colon ? (size_t)(colon - rule) : 0;
    char *end = NULL;
    long v = colon ? strtol(colon + 1, &end, 10) : 0;
    if (!colon || (strncmp(rule, "largest", len) != 0 && strncmp(rule, "largest-c", len) != 0) ||
        (len != 7 && len != 9) || !end || *end || v < 1 || v > 1000000)
        return error_set_option(err, SLAW_EUSAGE, "holdout",
                                "holdout '%s': expected largest:K or largest-c:K with K >= 1",
                                rule);
    *by_compute = len == 9;
    *k = (size_t)v;
    return SLAW_OK;
}

slaw_status holdout_split(const slaw_runs *runs, const group_rows *g, const char *rule,
                          const size_t *var_cols, group_rows *train, size_t **held, size_t *n_held,
                          slaw_error *err)
{
    bool by_compute = false;
    size_t k = 0, col, distinct = 0;
    char prefix[300];
    slaw_status st = parse_rule(rule, &by_compute, &k, err);
    if (st != SLAW_OK) return st;
    if (!by_compute) col = var_cols[0];
    else if (!slaw_runs_role_column(runs, SLAW_ROLE_C, &col))
        return error_set_option(err, SLAW_EUSAGE, "holdout",
                                "holdout %s: there is no compute column (C) to rank runs by", rule);
    double *v = malloc(g->n * sizeof *v);
    train->rows = malloc(g->n * sizeof *train->rows);
    *held = malloc(g->n * sizeof **held);
    if (!v || !train->rows || !*held) {
        free(v);
        return error_nomem(err);
    }
    for (size_t i = 0; i < g->n; i++) v[i] = slaw_runs_value(runs, col, g->rows[i]);
    qsort(v, g->n, sizeof *v, compare_desc);
    double cut = v[0];
    for (size_t i = 0; i < g->n && distinct < k; i++)
        if (i == 0 || v[i] != v[i - 1]) {
            distinct++;
            cut = v[i];
        }
    free(v);
    if (distinct < k || distinct == 0)
        return error_set_option(err, SLAW_EFIT, "holdout",
                                "%sholdout %s: only %zu distinct values of %s",
                                group_prefix(g->name, prefix, sizeof prefix), rule, distinct,
                                slaw_runs_column_name(runs, col));
    train->n = *n_held = 0;
    train->name = g->name;
    for (size_t i = 0; i < g->n; i++) {
        size_t run = g->rows[i];
        if (slaw_runs_value(runs, col, run) >= cut) (*held)[(*n_held)++] = run;
        else train->rows[train->n++] = run;
    }
    if (!train->n)
        return error_set_option(err, SLAW_EFIT, "holdout", "%sholdout %s holds out every run",
                                group_prefix(g->name, prefix, sizeof prefix), rule);
    return SLAW_OK;
}

slaw_status holdout_evaluate(slaw_fit *f, const slaw_runs *runs, const size_t *held, size_t n,
                             const size_t *var_cols)
{
    size_t nv = f->law->n_vars, ycol;
    slaw_runs_role_column(runs, SLAW_ROLE_L, &ycol);
    f->hold_vars = malloc((n ? n : 1) * nv * sizeof *f->hold_vars);
    f->hold_obs = malloc((n ? n : 1) * sizeof *f->hold_obs);
    f->hold_pred = malloc((n ? n : 1) * sizeof *f->hold_pred);
    if (!f->hold_vars || !f->hold_obs || !f->hold_pred) return SLAW_ENOMEM;
    log_errors e = {0};
    for (size_t i = 0; i < n; i++) {
        double *x = f->hold_vars + i * nv;
        for (size_t v = 0; v < nv; v++) x[v] = slaw_runs_value(runs, var_cols[v], held[i]);
        f->hold_obs[i] = slaw_runs_value(runs, ycol, held[i]);
        f->hold_pred[i] = slaw_law_eval(f->law, f->value, x);
        log_errors_add(&e, f->hold_pred[i], f->hold_obs[i]);
    }
    f->n_hold = n;
    f->hold_male = log_errors_mean_abs(&e);
    f->hold_bias = log_errors_bias(&e);
    f->hold_max = log_errors_worst(&e);
    return SLAW_OK;
}

void log_errors_add(log_errors *e, double predicted, double observed)
{
    double r = log(predicted / observed);
    e->sum_abs += fabs(r);
    e->sum += r;
    e->worst = isnan(r) || isnan(e->worst) ? NAN : fmax(e->worst, fabs(r));
    e->n++;
}

double log_errors_mean_abs(const log_errors *e)
{
    return e->n ? e->sum_abs / (double)e->n : NAN;
}

double log_errors_bias(const log_errors *e)
{
    return e->n ? e->sum / (double)e->n : NAN;
}

double log_errors_worst(const log_errors *e)
{
    return e->n ? e->worst : NAN;
}
