/* runs_summary.c — what a run table holds, per role (for `slaw inspect`). */
#include "runs.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Distinct values are counted by sorting the values' bits with a radix
 * sort (runs_keys.c): equal doubles have equal bits (once -0 is 0), the order
 * does not matter for counting, and a radix sort of a million keys is
 * sequential work, where a comparison sort spent most of `slaw inspect`'s
 * time. */

/* Range and decades; distinct values only when keys is not NULL. */
static void summarize_numeric(const double *v, size_t n, uint64_t *keys, uint64_t *tmp,
                              slaw_role_summary *s)
{
    s->min = s->max = v[0];
    for (size_t i = 0; i < n; i++) {
        s->min = fmin(s->min, v[i]);
        s->max = fmax(s->max, v[i]);
        if (keys) keys[i] = key_bits(v[i]);
    }
    s->decades = s->min > 0 ? log10(s->max / s->min) : 0;
    if (!keys) return;
    radix_sort(keys, tmp, n, sizeof *keys, 0);
    s->distinct = n ? 1 : 0;
    for (size_t i = 1; i < n; i++) s->distinct += keys[i] != keys[i - 1];
}

/* Runs whose (group, N, D) appeared before, the pairs that repeat, and the
 * most runs of one pair. */
static void repeated_pairs(const slaw_runs *r, size_t cn, size_t cd, slaw_runs_summary *out)
{
    size_t cols[3], k = 0, gcol, n_keys;
    if (slaw_runs_role_column(r, SLAW_ROLE_GROUP, &gcol)) cols[k++] = gcol;
    cols[k++] = cn;
    cols[k++] = cd;
    size_t *ids = malloc(r->n * sizeof *ids), *count = NULL;
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
    const char **t = malloc(r->n * sizeof *t);
    if (!t) return 0;
    for (size_t i = 0; i < r->n; i++) t[i] = slaw_runs_label(r, col, i);
    qsort(t, r->n, sizeof *t, compare_text);
    size_t n = 1;
    for (size_t i = 1; i < r->n; i++) n += strcmp(t[i], t[i - 1]) != 0;
    free(t);
    return n;
}

/* Sorted keys made distinct in place; returns how many there are. */
static size_t unique_keys(uint64_t *keys, size_t n)
{
    size_t k = n ? 1 : 0;
    for (size_t i = 1; i < n; i++)
        if (keys[i] != keys[k - 1]) keys[k++] = keys[i];
    return k;
}

static uint64_t rank_of(const uint64_t *uniq, size_t n, uint64_t key)
{
    size_t lo = 0, hi = n; /* uniq[lo] <= key < uniq[hi] */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (uniq[mid] <= key) lo = mid;
        else hi = mid;
    }
    return lo;
}

/* repeated_pairs for numeric N and D and no group column, in 16 bytes a
 * run: each run's pair as the ranks of its N and D among their distinct
 * values (sorted keys uniq_n, uniq_d), one 64-bit key sorted in keys with
 * tmp.  runs_key_ids would take 56 bytes a run, which at ten million runs
 * was most of `slaw inspect`'s memory. */
static void repeated_ranked_pairs(const slaw_runs *r, size_t cn, size_t cd, const uint64_t *uniq_n,
                                  size_t nn, const uint64_t *uniq_d, size_t nd, uint64_t *keys,
                                  uint64_t *tmp, slaw_runs_summary *out)
{
    const double *vn = r->cols[cn].values, *vd = r->cols[cd].values;
    for (size_t i = 0; i < r->n; i++)
        keys[i] = rank_of(uniq_n, nn, key_bits(vn[i])) << 32 | rank_of(uniq_d, nd, key_bits(vd[i]));
    radix_sort(keys, tmp, r->n, sizeof *keys, 0);
    size_t n_keys = 0;
    for (size_t i = 0, j; i < r->n; i = j) {
        for (j = i + 1; j < r->n && keys[j] == keys[i]; j++) continue;
        n_keys++;
        out->repeated_pairs += j - i > 1;
        if (j - i > out->most_repeats) out->most_repeats = j - i;
    }
    out->duplicate_nd = r->n - n_keys;
}

void slaw_runs_summarize(const slaw_runs *r, slaw_runs_summary *out)
{
    memset(out, 0, sizeof *out);
    out->runs = r->n;
    if (!r->n) return;
    uint64_t *p = malloc(r->n * sizeof *p), *tmp = malloc(r->n * sizeof *tmp);
    uint64_t *uniq[SLAW_ROLE_COUNT] = {NULL};
    if (!p || !tmp) goto out;
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
        summarize_numeric(r->cols[col].values, r->n, s->counted ? p : NULL, tmp, s);
        if ((k == SLAW_ROLE_N || k == SLAW_ROLE_D) && s->distinct <= UINT32_MAX &&
            (uniq[k] = malloc(s->distinct * sizeof *uniq[k])))
            memcpy(uniq[k], p, unique_keys(p, r->n) * sizeof *p);
    }
    size_t cn, cd, cg;
    if (!slaw_runs_role_column(r, SLAW_ROLE_N, &cn) || !slaw_runs_role_column(r, SLAW_ROLE_D, &cd))
        goto out;
    if (uniq[SLAW_ROLE_N] && uniq[SLAW_ROLE_D] && !slaw_runs_role_column(r, SLAW_ROLE_GROUP, &cg)) {
        repeated_ranked_pairs(r, cn, cd, uniq[SLAW_ROLE_N], out->role[SLAW_ROLE_N].distinct,
                              uniq[SLAW_ROLE_D], out->role[SLAW_ROLE_D].distinct, p, tmp, out);
        goto out;
    }
    free(p);
    free(tmp);
    p = tmp = NULL;
    repeated_pairs(r, cn, cd, out);
out:
    for (int k = 0; k < SLAW_ROLE_COUNT; k++) free(uniq[k]);
    free(p);
    free(tmp);
}
