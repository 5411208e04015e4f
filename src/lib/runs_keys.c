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

/* The rank of each run's value among the column's distinct values (in key
 * order) in rank; returns how many distinct values there are, 0 when out
 * of memory.  Takes 16 bytes a run while it works. */
static size_t numeric_ranks(const double *v, size_t n, uint32_t *rank)
{
    uint64_t *keys = malloc(n * sizeof *keys), *tmp = malloc(n * sizeof *tmp);
    size_t u = 0;
    if (!keys || !tmp) goto out;
    for (size_t i = 0; i < n; i++) keys[i] = key_bits(v[i]);
    radix_sort(keys, tmp, n, sizeof *keys, 0);
    u = 1;
    for (size_t i = 1; i < n; i++)
        if (keys[i] != keys[u - 1]) keys[u++] = keys[i];
    for (size_t i = 0; i < n; i++) {
        uint64_t key = key_bits(v[i]);
        size_t lo = 0, hi = u; /* keys[lo] <= key < keys[hi] */
        while (hi - lo > 1) {
            size_t mid = lo + (hi - lo) / 2;
            if (keys[mid] <= key) lo = mid;
            else hi = mid;
        }
        rank[i] = (uint32_t)lo;
    }
out:
    free(keys);
    free(tmp);
    return u;
}

/* runs_key_ids for numeric columns whose distinct values make at most 2n
 * combinations (sizes in a sweep): each run's combination of ranks indexes
 * a table of slots, numbered in key order.  About 20 bytes a run at most,
 * against 8 (n_cols + 1) for sorting whole records, which at ten million
 * runs was most of `slaw inspect`'s memory.  Returns false when it does
 * not apply or memory runs out (the caller sorts records instead). */
static bool key_ids_by_rank(const slaw_runs *r, const size_t *cols, size_t n_cols, size_t *ids,
                            size_t *n_keys)
{
    size_t n = r->n, combos = 1, base[3];
    uint32_t *rank[3] = {NULL}, *slot = NULL;
    bool ok = false;
    if (n_cols > 3 || n > UINT32_MAX) return false;
    for (size_t k = 0; k < n_cols; k++)
        if (r->cols[cols[k]].label_at) return false;
    for (size_t k = 0; k < n_cols; k++) {
        size_t u;
        if (!(rank[k] = malloc(n * sizeof *rank[k])) ||
            !(u = numeric_ranks(r->cols[cols[k]].values, n, rank[k])) || u > 2 * n / combos)
            goto out;
        base[k] = u;
        combos *= u;
    }
    if (!(slot = calloc(combos, sizeof *slot))) goto out;
    for (size_t i = 0; i < n; i++) {
        size_t c = 0;
        for (size_t k = 0; k < n_cols; k++) c = c * base[k] + rank[k][i];
        ids[i] = c;
        slot[c] = 1;
    }
    uint32_t id = 0;
    for (size_t c = 0; c < combos; c++)
        if (slot[c]) slot[c] = ++id;
    for (size_t i = 0; i < n; i++) ids[i] = slot[ids[i]] - 1;
    *n_keys = id;
    ok = true;
out:
    for (size_t k = 0; k < n_cols; k++) free(rank[k]);
    free(slot);
    return ok;
}

slaw_status runs_key_ids(const slaw_runs *r, const size_t *cols, size_t n_cols, size_t *ids,
                         size_t *n_keys)
{
    if (r->n && key_ids_by_rank(r, cols, n_cols, ids, n_keys)) return SLAW_OK;
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
