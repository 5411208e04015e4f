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

void slaw_runs_summarize(const slaw_runs *r, slaw_runs_summary *out)
{
    memset(out, 0, sizeof *out);
    out->runs = r->n;
    if (!r->n) return;
    uint64_t *p = malloc(r->n * sizeof *p), *tmp = malloc(r->n * sizeof *tmp);
    if (!p || !tmp) goto out;
    for (int k = 0; k < SLAW_ROLE_COUNT; k++) {
        size_t col;
        if (!slaw_runs_role_column(r, (slaw_role)k, &col)) continue;
        slaw_role_summary *s = &out->role[k];
        s->present = true;
        /* Sizes and groups take few values; C, L and weights are continuous. */
        s->counted = k == SLAW_ROLE_N || k == SLAW_ROLE_D || k == SLAW_ROLE_GROUP;
        if (r->cols[col].label_at) s->distinct = s->counted ? distinct_labels(r, col) : 0;
        else summarize_numeric(r->cols[col].values, r->n, s->counted ? p : NULL, tmp, s);
    }
    size_t cn, cd;
    if (slaw_runs_role_column(r, SLAW_ROLE_N, &cn) && slaw_runs_role_column(r, SLAW_ROLE_D, &cd))
        repeated_pairs(r, cn, cd, out);
out:
    free(p);
    free(tmp);
}
