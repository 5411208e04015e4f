/* runs_per.c — one run per key: the best run of a learning-rate sweep or of a
 * run's checkpoints (keep best), the mean of seeds (keep mean). */
#include "runs.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define PER_MAX_COLUMNS 16

/* "best per N,D" for messages. */
static const char *per_name(const slaw_per_options *opt, char *buf, size_t size)
{
    size_t o = (size_t)snprintf(buf, size, "%s per ", opt->keep == SLAW_PER_MEAN ? "mean" : "best");
    for (size_t i = 0; i < opt->n_columns && o < size; i++)
        o += (size_t)snprintf(buf + o, size - o, "%s%s", i ? "," : "", opt->columns[i]);
    return buf;
}

/* The key's columns: the group column (runs of two groups never share a
 * key), then the named ones, each once. */
static slaw_status key_columns(const slaw_runs *r, const slaw_per_options *opt, size_t *cols,
                               size_t *n_cols, slaw_error *err)
{
    char name[300];
    size_t k = 0, col;
    per_name(opt, name, sizeof name);
    if (!opt->n_columns) return error_set(err, SLAW_EUSAGE, NULL, 0, "%s: no key columns", name);
    if (opt->n_columns > PER_MAX_COLUMNS)
        return error_set(err, SLAW_EUSAGE, NULL, 0, "%s: more than %d key columns", name,
                         PER_MAX_COLUMNS);
    if (slaw_runs_role_column(r, SLAW_ROLE_GROUP, &col)) cols[k++] = col;
    for (size_t i = 0; i < opt->n_columns; i++) {
        if (!opt->columns[i] || !slaw_runs_column_find(r, opt->columns[i], &col))
            return error_set(err, SLAW_EUSAGE, NULL, 0, "%s: no column '%s'", name,
                             opt->columns[i] ? opt->columns[i] : "");
        bool seen = false;
        for (size_t j = 0; j < k; j++) seen |= cols[j] == col;
        if (!seen) cols[k++] = col;
    }
    *n_cols = k;
    return SLAW_OK;
}

/* The run kept for each key: the lowest target (NaN never wins; the first
 * of equal ones, runs being visited in order). */
static void pick_best(const double *y, const size_t *ids, size_t n, size_t *kept)
{
    for (size_t i = 0; i < n; i++) {
        size_t *k = &kept[ids[i]];
        if (*k == SIZE_MAX || (!isnan(y[i]) && (isnan(y[*k]) || y[i] < y[*k]))) *k = i;
    }
}

/* The mean of column v per key into the key's kept run, as the kept value
 * plus the mean deviation from it, so that equal values stay exact. */
static void column_means(double *v, const size_t *ids, size_t n, const size_t *kept, double *sum,
                         size_t *count, size_t n_keys)
{
    memset(sum, 0, n_keys * sizeof *sum);
    memset(count, 0, n_keys * sizeof *count);
    for (size_t i = 0; i < n; i++) {
        double base = v[kept[ids[i]]];
        if (isnan(v[i])) continue;
        if (isnan(base)) { /* the kept run has no value here: the first that has one */
            v[kept[ids[i]]] = v[i];
            base = v[i];
        }
        sum[ids[i]] += v[i] - base;
        count[ids[i]]++;
    }
    for (size_t j = 0; j < n_keys; j++)
        if (count[j]) v[kept[j]] += sum[j] / (double)count[j];
}

typedef struct key_stats {
    size_t runs;
    double mean, ss;   /* the target's mean and sum of squared deviations */
    double zmean, zss; /* the same of the variance's variable (ln L or L) */
} key_stats;

/* A run whose target cannot be taken the log of, for log-space variances. */
static slaw_status not_positive(const slaw_runs *r, size_t run, double y, slaw_error *err)
{
    const char *file;
    long line;
    char record[48];
    runs_where_is(r, run, &file, &line, record, sizeof record);
    return error_set(err, SLAW_EINPUT, file, line,
                     "%sthe target is %g: inverse-variance weights in log space need a "
                     "positive target",
                     record, y);
}

/* Count, mean and squared deviations of the target per key (two passes). */
static slaw_status target_stats(const slaw_runs *r, const double *y, const size_t *ids,
                                const slaw_per_options *opt, key_stats *ks, size_t n_keys,
                                slaw_error *err)
{
    bool log_space = opt->inverse_variance && opt->space == SLAW_SPACE_LOG;
    memset(ks, 0, n_keys * sizeof *ks);
    for (size_t i = 0; i < r->n; i++) {
        if (isnan(y[i])) continue;
        if (log_space && !(y[i] > 0)) return not_positive(r, i, y[i], err);
        key_stats *k = &ks[ids[i]];
        k->runs++;
        k->mean += y[i];
        k->zmean += log_space ? log(y[i]) : y[i];
    }
    for (size_t j = 0; j < n_keys; j++)
        if (ks[j].runs) {
            ks[j].mean /= (double)ks[j].runs;
            ks[j].zmean /= (double)ks[j].runs;
        }
    for (size_t i = 0; i < r->n; i++) {
        if (isnan(y[i])) continue;
        key_stats *k = &ks[ids[i]];
        double z = log_space ? log(y[i]) : y[i];
        k->ss += (y[i] - k->mean) * (y[i] - k->mean);
        k->zss += (z - k->zmean) * (z - k->zmean);
    }
    return SLAW_OK;
}

/* The columns a mean adds, named after the target ("loss_runs"); refused,
 * before any is added, when the table has one of those names. */
static slaw_status check_stat_names(const slaw_runs *r, const char *target, bool weights,
                                    slaw_error *err)
{
    static const char *const suffix[] = {"runs", "sd", "weight"};
    for (size_t k = 0; k < (weights ? 3u : 2u); k++) {
        char name[512];
        size_t col;
        snprintf(name, sizeof name, "%s_%s", target, suffix[k]);
        if (runs_column_lookup(r, name, strlen(name), &col))
            return error_set(err, SLAW_EINPUT, NULL, 0,
                             "the mean per key adds a column '%s', "
                             "and the runs have one: rename it",
                             name);
    }
    return SLAW_OK;
}

static slaw_status add_stat_column(slaw_runs *r, const char *target, const char *suffix,
                                   size_t *col, slaw_error *err)
{
    char name[512];
    snprintf(name, sizeof name, "%s_%s", target, suffix);
    return runs_add_derived(r, name, col, err);
}

/* Weights 1 / variance of each mean: runs / s^2, s^2 the key's sample
 * variance, or its group's pooled variance for a key of one run (or of runs
 * that agree exactly); scaled to average 1 in each group. */
static slaw_status inverse_variance(slaw_runs *r, const size_t *kept, const key_stats *ks,
                                    size_t n_keys, size_t wcol, slaw_error *err)
{
    size_t gcol, n_groups = 1, *gid = calloc(r->n ? r->n : 1, sizeof *gid);
    double *pool = NULL;
    slaw_status st = SLAW_OK;
    if (!gid) return error_nomem(err);
    bool grouped = slaw_runs_role_column(r, SLAW_ROLE_GROUP, &gcol);
    if (grouped && runs_key_ids(r, &gcol, 1, gid, &n_groups) != SLAW_OK) goto out;
    if (!(pool = calloc(2 * n_groups, sizeof *pool))) goto out;
    for (size_t j = 0; j < n_keys; j++) {
        size_t g = gid[kept[j]];
        if (ks[j].runs < 2) continue;
        pool[2 * g] += ks[j].zss;
        pool[2 * g + 1] += (double)(ks[j].runs - 1);
    }
    for (size_t j = 0; j < n_keys && st == SLAW_OK; j++) {
        size_t g = gid[kept[j]];
        double var = ks[j].runs > 1 && ks[j].zss > 0 ? ks[j].zss / (double)(ks[j].runs - 1)
                                                     : pool[2 * g] / pool[2 * g + 1];
        if (!(var > 0) || !isfinite(var)) {
            char buf[64];
            st = error_set(err, SLAW_EUSAGE, NULL, 0,
                           "%s%s%sno key has runs whose targets differ, so there is no variance "
                           "to weight by",
                           grouped ? "group '" : "",
                           grouped ? runs_group_name(r, gcol, kept[j], buf, sizeof buf) : "",
                           grouped ? "': " : "");
            break;
        }
        r->cols[wcol].values[kept[j]] = (double)ks[j].runs / var;
    }
    /* Relative weights, averaging 1 in each group: the fit's residual scale
     * (sigma, prediction intervals) is then that of a typical mean, not of a
     * run of weight 1 in units of variance. */
    for (size_t g = 0; g < 2 * n_groups; g++) pool[g] = 0;
    for (size_t j = 0; j < n_keys; j++) {
        pool[2 * gid[kept[j]]] += r->cols[wcol].values[kept[j]];
        pool[2 * gid[kept[j]] + 1] += 1;
    }
    for (size_t j = 0; j < n_keys && st == SLAW_OK; j++)
        r->cols[wcol].values[kept[j]] /= pool[2 * gid[kept[j]]] / pool[2 * gid[kept[j]] + 1];
    free(gid);
    free(pool);
    return st;
out:
    free(gid);
    return error_nomem(err);
}

/* Means of every numeric column, the target's count and spread, and the
 * weights when asked. */
static slaw_status keep_means(slaw_runs *r, const slaw_per_options *opt, size_t ycol,
                              const size_t *ids, const size_t *kept, size_t n_keys, slaw_error *err)
{
    key_stats *ks = malloc(n_keys * sizeof *ks);
    double *sum = malloc(n_keys * sizeof *sum);
    size_t *count = malloc(n_keys * sizeof *count), rcol, sdcol, wcol = SIZE_MAX;
    slaw_status st = ks && sum && count ? SLAW_OK : error_nomem(err);
    const char *target = r->cols[ycol].name;
    if (st == SLAW_OK) st = check_stat_names(r, target, opt->inverse_variance, err);
    if (st == SLAW_OK) st = target_stats(r, r->cols[ycol].values, ids, opt, ks, n_keys, err);
    if (st == SLAW_OK) st = add_stat_column(r, target, "runs", &rcol, err);
    if (st == SLAW_OK) st = add_stat_column(r, target, "sd", &sdcol, err);
    if (st == SLAW_OK && opt->inverse_variance)
        st = add_stat_column(r, target, "weight", &wcol, err);
    if (st != SLAW_OK) goto out;
    for (size_t c = 0; c < r->n_cols; c++)
        if (!r->cols[c].label_at && c != rcol && c != sdcol && c != wcol)
            column_means(r->cols[c].values, ids, r->n, kept, sum, count, n_keys);
    for (size_t j = 0; j < n_keys; j++) {
        r->cols[rcol].values[kept[j]] = (double)ks[j].runs;
        r->cols[sdcol].values[kept[j]] =
            ks[j].runs > 1 ? sqrt(ks[j].ss / (double)(ks[j].runs - 1)) : NAN;
    }
    if (opt->inverse_variance) {
        if ((st = inverse_variance(r, kept, ks, n_keys, wcol, err))) goto out;
        role_binding *w = &r->role[SLAW_ROLE_WEIGHT];
        memset(w, 0, sizeof *w);
        w->source = SLAW_SOURCE_DERIVED;
        w->col = wcol;
    }
out:
    free(ks);
    free(sum);
    free(count);
    return st;
}

static slaw_status check_options(const slaw_runs *r, const slaw_per_options *opt, size_t *ycol,
                                 slaw_error *err)
{
    char name[300];
    if (opt->keep != SLAW_PER_BEST && opt->keep != SLAW_PER_MEAN)
        return error_set(err, SLAW_EUSAGE, NULL, 0,
                         "inverse-variance weights are the weights "
                         "of means: ask for the mean of the repeated "
                         "runs per key (per N,D, say)");
    per_name(opt, name, sizeof name);
    if (opt->inverse_variance && opt->keep != SLAW_PER_MEAN)
        return error_set(err, SLAW_EUSAGE, NULL, 0,
                         "%s: inverse-variance weights need the "
                         "mean per key, not the best",
                         name);
    if (!slaw_runs_role_column(r, SLAW_ROLE_L, ycol))
        return error_set(err, SLAW_EUSAGE, NULL, 0, "%s: no target column", name);
    if (r->cols[*ycol].label_at)
        return error_set(err, SLAW_EINPUT, NULL, 0, "%s: the target column '%s' holds text", name,
                         r->cols[*ycol].name);
    return SLAW_OK;
}

slaw_status slaw_runs_per(slaw_runs *r, const slaw_per_options *opt, size_t *removed,
                          slaw_error *err)
{
    size_t cols[PER_MAX_COLUMNS + 1], n_cols = 0, ycol, n_keys = 0;
    size_t *ids = NULL, *kept = NULL;
    bool *keep = NULL;
    slaw_status st;
    if (opt->keep == SLAW_PER_NONE && !opt->inverse_variance) {
        if (removed) *removed = 0;
        return SLAW_OK;
    }
    if ((st = check_options(r, opt, &ycol, err))) return st;
    if ((st = key_columns(r, opt, cols, &n_cols, err))) return st;
    ids = malloc((r->n ? r->n : 1) * sizeof *ids);
    kept = malloc((r->n ? r->n : 1) * sizeof *kept);
    keep = malloc((r->n ? r->n : 1) * sizeof *keep);
    if (!ids || !kept || !keep || runs_key_ids(r, cols, n_cols, ids, &n_keys) != SLAW_OK) {
        st = error_nomem(err);
        goto out;
    }
    for (size_t j = 0; j < n_keys; j++) kept[j] = SIZE_MAX;
    if (opt->keep == SLAW_PER_BEST) {
        pick_best(r->cols[ycol].values, ids, r->n, kept);
    } else {
        for (size_t i = 0; i < r->n; i++)
            if (kept[ids[i]] == SIZE_MAX) kept[ids[i]] = i;
        if ((st = keep_means(r, opt, ycol, ids, kept, n_keys, err))) goto out;
    }
    for (size_t i = 0; i < r->n; i++) keep[i] = kept[ids[i]] == i;
    if (removed) *removed = r->n - n_keys;
    runs_compact(r, keep);
out:
    free(ids);
    free(kept);
    free(keep);
    return st;
}
