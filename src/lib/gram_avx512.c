/* gram_avx512.c — gram.h's sums with AVX-512F: one row a vector, its
 * products for eight entries of H at once (the row's entries paired by
 * permutes), each sum still in row order and with the scalar kernel's
 * products, so the bits are the same.  The build compiles this file alone
 * with -mavx512f (src/CMakeLists.txt) where the compiler takes it; gram.c
 * calls it only where the processor and the operating system run it. */
#include "gram.h"

#if defined(__x86_64__) && defined(SLAW_GRAM_AVX512)
#include <immintrin.h>
#include <stdint.h>

#define MAX_PAIRS (GRAM_MAX_P * (GRAM_MAX_P + 1) / 2)
#define MAX_VECTORS ((MAX_PAIRS + 7) / 8)

/* The upper triangle's entries (k, q), in the scalar kernel's order, as
 * permute indices eight to a vector (the last one's spare lanes repeat
 * entry (0, 0) and are never read back). */
typedef struct pairs {
    size_t count, vectors;
    int64_t k[MAX_VECTORS * 8], q[MAX_VECTORS * 8];
} pairs;

static void pairs_of(size_t p, pairs *t)
{
    size_t c = 0;
    for (size_t k = 0; k < p; k++)
        for (size_t q = k; q < p; q++) {
            t->k[c] = (int64_t)k;
            t->q[c++] = (int64_t)q;
        }
    t->count = c;
    t->vectors = (c + 7) / 8;
    for (; c < t->vectors * 8; c++) t->k[c] = t->q[c] = 0;
}

/* Inlined for each number of vectors V, so that the sums stay in registers. */
static inline __attribute__((always_inline)) void
vector_rows(size_t V, const pairs *t, const double *J, size_t n, size_t p, const double *a,
            const double *b, const double *w, double *gs, double *hs)
{
    __m512i kx[MAX_VECTORS], qx[MAX_VECTORS];
    __m512d h[MAX_VECTORS], gv = _mm512_setzero_pd();
    for (size_t v = 0; v < V; v++) {
        kx[v] = _mm512_loadu_si512(t->k + 8 * v);
        qx[v] = _mm512_loadu_si512(t->q + 8 * v);
        h[v] = _mm512_setzero_pd();
    }
    __mmask8 row_lanes = (__mmask8)((1u << p) - 1);
    for (size_t i = 0; i < n; i++) {
        if (w && w[i] == 0) continue;
        __m512d row = _mm512_maskz_loadu_pd(row_lanes, J + i * p);
        __m512d ai = _mm512_set1_pd(a[i]), bi = _mm512_set1_pd(b[i]);
        gv = _mm512_add_pd(gv, _mm512_mul_pd(ai, row));
        for (size_t v = 0; v < V; v++) {
            __m512d bk = _mm512_mul_pd(bi, _mm512_permutexvar_pd(kx[v], row));
            h[v] = _mm512_add_pd(h[v], _mm512_mul_pd(bk, _mm512_permutexvar_pd(qx[v], row)));
        }
    }
    _mm512_storeu_pd(gs, gv);
    for (size_t v = 0; v < V; v++) _mm512_storeu_pd(hs + 8 * v, h[v]);
}

void gram_sums_avx512(const double *J, size_t n, size_t p, const double *a, const double *b,
                      const double *w, double *g, double *H)
{
    pairs t;
    double gs[8], hs[MAX_VECTORS * 8];
    pairs_of(p, &t);
    switch (t.vectors) {
    case 1: vector_rows(1, &t, J, n, p, a, b, w, gs, hs); break;
    case 2: vector_rows(2, &t, J, n, p, a, b, w, gs, hs); break;
    case 3: vector_rows(3, &t, J, n, p, a, b, w, gs, hs); break;
    case 4: vector_rows(4, &t, J, n, p, a, b, w, gs, hs); break;
    default: vector_rows(MAX_VECTORS, &t, J, n, p, a, b, w, gs, hs); break;
    }
    for (size_t k = 0; k < p; k++) g[k] += gs[k];
    for (size_t c = 0; c < t.count; c++) H[t.k[c] * (int64_t)p + t.q[c]] += hs[c];
}
#endif
