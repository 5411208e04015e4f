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
    ranked *t = runs_alloc((r->n ? r->n : 1) * sizeof *t);
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

/* The rank of each run's value by sorting every run's key: 16 bytes a run
 * while it works.  Returns the number of distinct values, 0 when out of
 * memory. */
static size_t sorted_ranks(const double *v, size_t n, uint32_t *rank)
{
    uint64_t *keys = runs_alloc(n * sizeof *keys), *tmp = runs_alloc(n * sizeof *tmp);
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

typedef struct key_slot {
    uint64_t key;
    uint32_t id; /* 0: empty; else the key's number in order of appearance, plus 1 */
} key_slot;

static size_t slot_of(uint64_t key, size_t mask)
{
    key ^= key >> 29; /* a double's bits: mix the exponent and the high mantissa down */
    return (size_t)((key * 0x9E3779B97F4A7C15u) >> 32) & mask;
}

static bool slots_grow(key_slot **t, size_t *cap)
{
    size_t big = *cap * 2;
    key_slot *u = calloc(big, sizeof *u);
    if (!u) return false;
    for (size_t i = 0; i < *cap; i++) {
        if (!(*t)[i].id) continue;
        size_t k = slot_of((*t)[i].key, big - 1);
        while (u[k].id) k = (k + 1) & (big - 1);
        u[k] = (*t)[i];
    }
    free(*t);
    *t = u;
    *cap = big;
    return true;
}

static int compare_slots(const void *a, const void *b)
{
    const key_slot *x = a, *y = b;
    return (x->key > y->key) - (x->key < y->key);
}

/* Numbers the keys in order of appearance through a hash table, then
 * renumbers them in key order: one pass and a table that stays in cache
 * when a column repeats few values (sizes in a sweep).  Returns 0 when the
 * column has more than `limit` distinct values or memory runs out. */
static size_t hashed_ranks(const double *v, size_t n, size_t limit, uint32_t *rank)
{
    size_t cap = 1024, used = 0, u = 0;
    key_slot *t = calloc(cap, sizeof *t);
    uint32_t *order = NULL;
    if (!t) return 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t key = key_bits(v[i]);
        size_t k = slot_of(key, cap - 1);
        while (t[k].id && t[k].key != key) k = (k + 1) & (cap - 1);
        if (t[k].id) {
            rank[i] = t[k].id - 1;
            continue;
        }
        if (used == limit) goto out;
        t[k] = (key_slot){key, (uint32_t)++used};
        rank[i] = (uint32_t)(used - 1);
        if (used * 2 > cap && !slots_grow(&t, &cap)) goto out;
    }
    size_t o = 0;
    for (size_t k = 0; k < cap; k++)
        if (t[k].id) t[o++] = t[k];
    qsort(t, used, sizeof *t, compare_slots);
    if (!(order = malloc(used * sizeof *order))) goto out;
    for (size_t j = 0; j < used; j++) order[t[j].id - 1] = (uint32_t)j;
    for (size_t i = 0; i < n; i++) rank[i] = order[rank[i]];
    u = used;
out:
    free(t);
    free(order);
    return u;
}

size_t runs_value_ranks(const double *v, size_t n, uint32_t *rank)
{
    size_t u = hashed_ranks(v, n, n / 8 > 4096 ? n / 8 : 4096, rank);
    return u ? u : sorted_ranks(v, n, rank);
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
        if (!(rank[k] = runs_alloc(n * sizeof *rank[k])) ||
            !(u = runs_value_ranks(r->cols[cols[k]].values, n, rank[k])) || u > 2 * n / combos)
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
    uint64_t *rec = runs_alloc((n ? n : 1) * stride * sizeof *rec);
    uint64_t *tmp = runs_alloc((n ? n : 1) * stride * sizeof *tmp);
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
