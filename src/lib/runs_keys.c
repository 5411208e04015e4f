/* runs_keys.c — which runs share a key (the values of a few columns): the
 * repeated (N, D) pairs of `slaw inspect` and the pairs that --best-per and
 * --mean-per reduce. */
#include "runs.h"

#include <stdlib.h>
#include <string.h>

uint64_t key_bits(double v)
{
    uint64_t b;
    if (v == 0) v = 0; /* -0 and +0 are one value */
    memcpy(&b, &v, sizeof b);
    return b;
}

/* A least-significant-digit radix sort: a byte a pass, passes where every
 * key has the same byte skipped.  It is stable, so sorting by the last key
 * first and the first key last orders records by all their keys. */
void radix_sort(void *data, void *tmp, size_t n, size_t size, size_t offset)
{
    if (!n) return;
    unsigned char *a = data, *b = tmp;
    for (int shift = 0; shift < 64; shift += 8) {
        size_t count[256] = {0};
        for (size_t i = 0; i < n; i++) {
            uint64_t key;
            memcpy(&key, a + i * size + offset, sizeof key);
            count[(key >> shift) & 0xFF]++;
        }
        uint64_t first;
        memcpy(&first, a + offset, sizeof first);
        if (count[(first >> shift) & 0xFF] == n) continue; /* every key shares this byte */
        size_t sum = 0;
        for (size_t d = 0; d < 256; d++) {
            size_t c = count[d];
            count[d] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++) {
            uint64_t key;
            memcpy(&key, a + i * size + offset, sizeof key);
            memcpy(b + count[(key >> shift) & 0xFF]++ * size, a + i * size, size);
        }
        memcpy(a, b, n * size);
    }
}

typedef struct ranked {
    const char *text;
    size_t run;
} ranked;

static int compare_ranked(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    int c = strcmp(x->text, y->text);
    return c ? c : (x->run > y->run) - (x->run < y->run);
}

/* Label cells become the rank of their text among the column's texts, so
 * equal texts get equal numbers. */
static bool label_ranks(const slaw_runs *r, size_t col, uint64_t *rec, size_t stride, size_t k)
{
    ranked *t = malloc((r->n ? r->n : 1) * sizeof *t);
    if (!t) return false;
    for (size_t i = 0; i < r->n; i++) t[i] = (ranked){slaw_runs_label(r, col, i), i};
    qsort(t, r->n, sizeof *t, compare_ranked);
    uint64_t rank = 0;
    for (size_t i = 0; i < r->n; i++) {
        if (i && strcmp(t[i].text, t[i - 1].text)) rank++;
        rec[t[i].run * stride + k] = rank;
    }
    free(t);
    return true;
}

slaw_status runs_key_ids(const slaw_runs *r, const size_t *cols, size_t n_cols, size_t *ids,
                         size_t *n_keys)
{
    size_t stride = n_cols + 1, n = r->n; /* the keys, then the run */
    slaw_status st = SLAW_ENOMEM;
    uint64_t *rec = malloc((n ? n : 1) * stride * sizeof *rec);
    uint64_t *tmp = malloc((n ? n : 1) * stride * sizeof *tmp);
    if (!rec || !tmp) goto out;
    for (size_t k = 0; k < n_cols; k++) {
        if (r->cols[cols[k]].label_at) {
            if (!label_ranks(r, cols[k], rec, stride, k)) goto out;
            continue;
        }
        for (size_t i = 0; i < n; i++) rec[i * stride + k] = key_bits(r->cols[cols[k]].values[i]);
    }
    for (size_t i = 0; i < n; i++) rec[i * stride + n_cols] = i;
    for (size_t k = n_cols; k-- > 0;)
        radix_sort(rec, tmp, n, stride * sizeof *rec, k * sizeof *rec);
    *n_keys = 0;
    for (size_t i = 0; i < n; i++) {
        const uint64_t *now = rec + i * stride;
        if (!i || memcmp(now, now - stride, n_cols * sizeof *rec)) (*n_keys)++;
        ids[now[n_cols]] = *n_keys - 1;
    }
    st = SLAW_OK;
out:
    free(rec);
    free(tmp);
    return st;
}
