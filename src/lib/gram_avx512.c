/* gram_avx512.c — gram.h's sums with AVX-512F: eight rows at a time, one
 * lane each, so that a vector holds one column of eight rows and each sum's
 * lanes are gram.h's.  The rows' p × 8 values are loaded as p vectors and
 * each column picked out of them by permutes (for p of 3, 40% less time
 * than building it from the rows' elements; as much for 5); a row of zero
 * weight, or past the last, is masked out of every addition.  The build
 * compiles this file alone with -mavx512f (src/CMakeLists.txt) where the
 * compiler takes it; gram.c calls it only where the processor and the
 * operating system run it. */
#include "gram.h"
#include "gram_lanes.h"

#if defined(__x86_64__) && defined(SLAW_GRAM_AVX512)
#include <immintrin.h>
#include <stdint.h>

#define MAX_PAIRS (GRAM_MAX_P * (GRAM_MAX_P + 1) / 2)
#define MAX_SOURCES ((GRAM_MAX_P + 1) / 2)

/* Where column c of eight rows lies in the p vectors that hold them: lane r
 * is element r·p + c, in the pair of vectors (r·p + c) / 16 at the index
 * (r·p + c) % 16 that a two-vector permute takes; in[c][t] the lanes that
 * pair t gives. */
typedef struct columns {
    __m512i index[GRAM_MAX_P];
    __mmask8 in[GRAM_MAX_P][MAX_SOURCES];
} columns;

static void columns_of(size_t p, columns *cs)
{
    for (size_t c = 0; c < p; c++) {
        int64_t index[GRAM_ROW_LANES];
        for (size_t t = 0; t < MAX_SOURCES; t++) cs->in[c][t] = 0;
        for (size_t r = 0; r < GRAM_ROW_LANES; r++) {
            size_t at = r * p + c;
            index[r] = (int64_t)(at % 16);
            cs->in[c][at / 16] |= (__mmask8)(1u << r);
        }
        cs->index[c] = _mm512_loadu_si512(index);
    }
}

/* Column c of the eight rows in v (p vectors). */
static inline __attribute__((always_inline)) __m512d column(size_t p, const columns *cs,
                                                            const __m512d *v, size_t c)
{
    __m512d col = _mm512_permutex2var_pd(v[0], cs->index[c], v[p > 1 ? 1 : 0]);
#pragma GCC unroll 8
    for (size_t t = 1; 2 * t < p; t++) {
        size_t second = 2 * t + 1 < p ? 2 * t + 1 : 2 * t;
        __m512d from = _mm512_permutex2var_pd(v[2 * t], cs->index[c], v[second]);
        col = _mm512_mask_mov_pd(col, cs->in[c][t], from);
    }
    return col;
}

/* Inlined for each p (GRAM_EACH_P). */
static inline __attribute__((always_inline)) void block_rows(const double *J, size_t n, size_t p,
                                                             const double *a, const double *b,
                                                             const double *w, double *g, double *H)
{
    columns cs;
    columns_of(p, &cs);
    __m512d gv[GRAM_MAX_P], hv[MAX_PAIRS];
#pragma GCC unroll 8
    for (size_t k = 0; k < p; k++) gv[k] = _mm512_setzero_pd();
#pragma GCC unroll 36
    for (size_t e = 0; e < p * (p + 1) / 2; e++) hv[e] = _mm512_setzero_pd();
    for (size_t i0 = 0; i0 < n; i0 += GRAM_ROW_LANES) {
        size_t m = n - i0 < GRAM_ROW_LANES ? n - i0 : GRAM_ROW_LANES, have = m * p;
        __mmask8 rows = (__mmask8)((1u << m) - 1);
        __m512d v[GRAM_MAX_P], col[GRAM_MAX_P];
#pragma GCC unroll 8
        for (size_t k = 0; k < p; k++) {
            size_t left = have > 8 * k ? have - 8 * k : 0;
            __mmask8 part = (__mmask8)(left >= 8 ? 0xFF : (1u << left) - 1);
            v[k] = _mm512_maskz_loadu_pd(part, J + i0 * p + 8 * k);
        }
        __mmask8 keep = rows;
        if (w)
            keep = _mm512_mask_cmp_pd_mask(rows, _mm512_maskz_loadu_pd(rows, w + i0),
                                           _mm512_setzero_pd(), _CMP_NEQ_UQ);
        __m512d av = _mm512_maskz_loadu_pd(rows, a + i0), bv = _mm512_maskz_loadu_pd(rows, b + i0);
#pragma GCC unroll 8
        for (size_t k = 0; k < p; k++) col[k] = column(p, &cs, v, k);
        size_t e = 0;
#pragma GCC unroll 8
        for (size_t k = 0; k < p; k++) {
            gv[k] = _mm512_mask_add_pd(gv[k], keep, gv[k], _mm512_mul_pd(av, col[k]));
            __m512d bk = _mm512_mul_pd(bv, col[k]);
#pragma GCC unroll 8
            for (size_t q = k; q < p; q++, e++)
                hv[e] = _mm512_mask_add_pd(hv[e], keep, hv[e], _mm512_mul_pd(bk, col[q]));
        }
    }
    double lanes[GRAM_ROW_LANES];
    size_t e = 0;
#pragma GCC unroll 8
    for (size_t k = 0; k < p; k++) {
        _mm512_storeu_pd(lanes, gv[k]);
        g[k] += row_lanes_total(lanes);
#pragma GCC unroll 8
        for (size_t q = k; q < p; q++, e++) {
            _mm512_storeu_pd(lanes, hv[e]);
            H[k * p + q] += row_lanes_total(lanes);
        }
    }
}

void gram_sums_avx512(const double *J, size_t n, size_t p, const double *a, const double *b,
                      const double *w, double *g, double *H)
{
    GRAM_EACH_P(block_rows, J, n, p, a, b, w, g, H);
}
#endif
