/* summary.c — what a run table holds, per role (for `slaw inspect`). */
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Distinct values and duplicate (N, D) pairs are counted by sorting the
 * values' bits with a radix sort (a byte a pass, passes where every key has
 * the same byte skipped): equal doubles have equal bits (once -0 is 0), the
 * order does not matter for counting, and a radix sort of a million keys is
 * sequential work, where a comparison sort spent most of `slaw inspect`'s
 * time.  A pair is sorted by N's bits; the D's of equal N are few. */
typedef struct pair {
    uint64_t n, d;
} pair;

static uint64_t bits_of(double v)
{
    uint64_t b;
    if (v == 0) v = 0; /* -0 and +0 are one value */
    memcpy(&b, &v, sizeof b);
    return b;
}

/* Sorts n records of size bytes whose first 8 bytes are the key. */
static void radix_sort(void *data, void *tmp, size_t n, size_t size)
{
    if (!n) return;
    unsigned char *a = data, *b = tmp;
    for (int shift = 0; shift < 64; shift += 8) {
        size_t count[256] = {0};
        for (size_t i = 0; i < n; i++) {
            uint64_t key;
            memcpy(&key, a + i * size, sizeof key);
            count[(key >> shift) & 0xFF]++;
        }
        uint64_t first;
        memcpy(&first, a, sizeof first);
        if (count[(first >> shift) & 0xFF] == n) continue; /* every key shares this byte */
        size_t sum = 0;
        for (size_t d = 0; d < 256; d++) {
            size_t c = count[d];
            count[d] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++) {
            uint64_t key;
            memcpy(&key, a + i * size, sizeof key);
            memcpy(b + count[(key >> shift) & 0xFF]++ * size, a + i * size, size);
        }
        memcpy(a, b, n * size);
    }
}

/* Range and decades; distinct values only when keys is not NULL. */
static void summarize_numeric(const double *v, size_t n, uint64_t *keys, uint64_t *tmp,
                              slaw_role_summary *s)
{
    s->min = s->max = v[0];
    for (size_t i = 0; i < n; i++) {
        s->min = fmin(s->min, v[i]);
        s->max = fmax(s->max, v[i]);
        if (keys) keys[i] = bits_of(v[i]);
    }
    s->decades = s->min > 0 ? log10(s->max / s->min) : 0;
    if (!keys) return;
    radix_sort(keys, tmp, n, sizeof *keys);
    s->distinct = n ? 1 : 0;
    for (size_t i = 1; i < n; i++) s->distinct += keys[i] != keys[i - 1];
}

static int compare_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Runs whose (N, D) pair appeared before. */
static size_t duplicate_pairs(const double *nv, const double *dv, size_t n, pair *p, pair *tmp)
{
    for (size_t i = 0; i < n; i++) p[i] = (pair){bits_of(nv[i]), bits_of(dv[i])};
    radix_sort(p, tmp, n, sizeof *p);
    size_t dup = 0;
    uint64_t *d = (uint64_t *)tmp; /* the D's of one N */
    for (size_t i = 0, j; i < n; i = j) {
        for (j = i; j < n && p[j].n == p[i].n; j++) d[j - i] = p[j].d;
        qsort(d, j - i, sizeof *d, compare_u64);
        for (size_t k = 1; k < j - i; k++) dup += d[k] == d[k - 1];
    }
    return dup;
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
    pair *p = malloc(r->n * sizeof *p), *tmp = malloc(r->n * sizeof *tmp);
    if (!p || !tmp) goto out;
    for (int k = 0; k < SLAW_ROLE_COUNT; k++) {
        size_t col;
        if (!slaw_runs_role_column(r, (slaw_role)k, &col)) continue;
        slaw_role_summary *s = &out->role[k];
        s->present = true;
        /* Sizes and groups take few values; C, L and weights are continuous. */
        s->counted = k == SLAW_ROLE_N || k == SLAW_ROLE_D || k == SLAW_ROLE_GROUP;
        if (r->cols[col].label_at) s->distinct = s->counted ? distinct_labels(r, col) : 0;
        else summarize_numeric(r->cols[col].values, r->n, s->counted ? (uint64_t *)p : NULL,
                               (uint64_t *)tmp, s);
    }
    size_t cn, cd;
    if (slaw_runs_role_column(r, SLAW_ROLE_N, &cn) && slaw_runs_role_column(r, SLAW_ROLE_D, &cd))
        out->duplicate_nd = duplicate_pairs(r->cols[cn].values, r->cols[cd].values, r->n, p, tmp);
out:
    free(p);
    free(tmp);
}
