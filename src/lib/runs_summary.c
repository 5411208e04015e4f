/* runs_summary.c — what a run table holds, per role (for `slaw inspect`). */
#include "runs.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Distinct values are counted by ranking the values' bits (runs_keys.c):
 * equal doubles have equal bits (once -0 is 0), through a hash table when a
 * column repeats few values, by a radix sort when it does not. */

/* Range and decades. */
static void summarize_range(const double *v, size_t n, slaw_role_summary *s)
{
    double lo = v[0], hi = v[0];
    for (size_t i = 0; i < n; i++) {
        lo = fmin(lo, v[i]);
        hi = fmax(hi, v[i]);
    }
    s->min = lo;
    s->max = hi;
    s->decades = s->min > 0 ? log10(s->max / s->min) : 0;
}

/* Runs whose (group, N, D) appeared before, the pairs that repeat, and the
 * most runs of one pair. */
static void repeated_pairs(const slaw_runs *r, size_t cn, size_t cd, slaw_runs_summary *out)
{
    size_t cols[3], k = 0, gcol, n_keys;
    if (slaw_runs_role_column(r, SLAW_ROLE_GROUP, &gcol)) cols[k++] = gcol;
    cols[k++] = cn;
    cols[k++] = cd;
    size_t *ids = runs_alloc(r->n * sizeof *ids), *count = NULL;
    if (!ids || runs_key_ids(r, cols, k, ids, &n_keys) != SLAW_OK) goto out;
    if (!(count = calloc(n_keys, sizeof *count))) goto out;
    for (size_t i = 0; i < r->n; i++) count[ids[i]]++;
    out->duplicate_nd = r->n - n_keys;
    for (size_t j = 0; j < n_keys; j++) {
        out->repeated_pairs += count[j] > 1;
        if (count[j] > out->most_repeats) out->most_repeats = count[j];
    }
out:
    free(ids);
    free(count);
}

static int compare_text(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static size_t distinct_labels(const slaw_runs *r, size_t col)
{
    const char **t = runs_alloc(r->n * sizeof *t);
    if (!t) return 0;
    for (size_t i = 0; i < r->n; i++) t[i] = slaw_runs_label(r, col, i);
    qsort(t, r->n, sizeof *t, compare_text);
    size_t n = 1;
    for (size_t i = 1; i < r->n; i++) n += strcmp(t[i], t[i - 1]) != 0;
    free(t);
    return n;
}

/* repeated_pairs for numeric N and D and no group column, from the ranks
 * of each run's N and D among their nn and nd distinct values (freed here):
 * the pairs counted in a table of nn x nd counts when that is at most 2
 * per run (sizes in a sweep), else sorted as one 64-bit key a run.  At most
 * 16 bytes a run; runs_key_ids would take 56, which at ten million runs
 * was most of `slaw inspect`'s memory. */
static void repeated_ranked_pairs(size_t n, uint32_t **rn, size_t nn, uint32_t **rd, size_t nd,
                                  slaw_runs_summary *out)
{
    size_t n_keys = 0;
    uint32_t *count = NULL;
    uint64_t *keys = NULL, *tmp = NULL;
    if (nn <= 2 * n / nd && (count = calloc(nn * nd, sizeof *count))) {
        for (size_t i = 0; i < n; i++) count[(size_t)(*rn)[i] * nd + (*rd)[i]]++;
        for (size_t j = 0; j < nn * nd; j++) {
            n_keys += count[j] > 0;
            out->repeated_pairs += count[j] > 1;
            if (count[j] > out->most_repeats) out->most_repeats = count[j];
        }
        goto done;
    }
    if (!(keys = runs_alloc(n * sizeof *keys))) goto out;
    for (size_t i = 0; i < n; i++) keys[i] = (uint64_t)(*rn)[i] << 32 | (*rd)[i];
    free(*rn);
    free(*rd);
    *rn = *rd = NULL;
    if (!(tmp = runs_alloc(n * sizeof *tmp))) goto out;
    radix_sort(keys, tmp, n, sizeof *keys, 0);
    for (size_t i = 0, j; i < n; i = j) {
        for (j = i + 1; j < n && keys[j] == keys[i]; j++) continue;
        n_keys++;
        out->repeated_pairs += j - i > 1;
        if (j - i > out->most_repeats) out->most_repeats = j - i;
    }
done:
    out->duplicate_nd = n - n_keys;
out:
    free(count);
    free(keys);
    free(tmp);
}

void slaw_runs_summarize(const slaw_runs *r, slaw_runs_summary *out)
{
    memset(out, 0, sizeof *out);
    out->runs = r->n;
    if (!r->n) return;
    uint32_t *rank[SLAW_ROLE_COUNT] = {NULL};
    for (int k = 0; k < SLAW_ROLE_COUNT; k++) {
        size_t col;
        if (!slaw_runs_role_column(r, (slaw_role)k, &col)) continue;
        slaw_role_summary *s = &out->role[k];
        s->present = true;
        /* Sizes and groups take few values; C, L and weights are continuous. */
        s->counted = k == SLAW_ROLE_N || k == SLAW_ROLE_D || k == SLAW_ROLE_GROUP;
        if (r->cols[col].label_at) {
            s->distinct = s->counted ? distinct_labels(r, col) : 0;
            continue;
        }
        summarize_range(r->cols[col].values, r->n, s);
        if (!s->counted || r->n > UINT32_MAX || !(rank[k] = runs_alloc(r->n * sizeof *rank[k])))
            continue;
        s->distinct = runs_value_ranks(r->cols[col].values, r->n, rank[k]);
        if (!s->distinct || (k != SLAW_ROLE_N && k != SLAW_ROLE_D)) {
            free(rank[k]);
            rank[k] = NULL;
        }
    }
    size_t cn, cd, cg;
    if (!slaw_runs_role_column(r, SLAW_ROLE_N, &cn) || !slaw_runs_role_column(r, SLAW_ROLE_D, &cd))
        goto out;
    if (rank[SLAW_ROLE_N] && rank[SLAW_ROLE_D] && !slaw_runs_role_column(r, SLAW_ROLE_GROUP, &cg)) {
        repeated_ranked_pairs(r->n, &rank[SLAW_ROLE_N], out->role[SLAW_ROLE_N].distinct,
                              &rank[SLAW_ROLE_D], out->role[SLAW_ROLE_D].distinct, out);
        goto out;
    }
    for (int k = 0; k < SLAW_ROLE_COUNT; k++) {
        free(rank[k]);
        rank[k] = NULL;
    }
    repeated_pairs(r, cn, cd, out);
out:
    for (int k = 0; k < SLAW_ROLE_COUNT; k++) free(rank[k]);
}
