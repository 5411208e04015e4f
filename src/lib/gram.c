/* gram.c — gram.h's sums: the scalar kernel, and the choice of kernel. */
#include "gram.h"

#include <math.h>
#ifdef __x86_64__
#include <emmintrin.h>
#include <stdint.h>
#endif

/* Inlined for each p, so that the loops over p unroll and the sums stay in
 * registers. */
static inline __attribute__((always_inline)) void scalar_rows(const double *J, size_t n, size_t p,
                                                              const double *a, const double *b,
                                                              const double *w, double *g, double *H)
{
    double gs[GRAM_MAX_P] = {0}, Hs[GRAM_MAX_P * GRAM_MAX_P] = {0};
    for (size_t i = 0; i < n; i++) {
        if (w && w[i] == 0) continue;
        const double *row = J + i * p;
        double ai = a[i], bi = b[i];
#pragma GCC unroll 8
        for (size_t k = 0; k < p; k++) {
            gs[k] += ai * row[k];
            double bk = bi * row[k];
#pragma GCC unroll 8
            for (size_t q = k; q < p; q++) Hs[k * p + q] += bk * row[q];
        }
    }
    for (size_t k = 0; k < p; k++) {
        g[k] += gs[k];
        for (size_t q = k; q < p; q++) H[k * p + q] += Hs[k * p + q];
    }
}

static void gram_sums_scalar(const double *J, size_t n, size_t p, const double *a, const double *b,
                             const double *w, double *g, double *H)
{
    switch (p) {
    case 1: scalar_rows(J, n, 1, a, b, w, g, H); break;
    case 2: scalar_rows(J, n, 2, a, b, w, g, H); break;
    case 3: scalar_rows(J, n, 3, a, b, w, g, H); break;
    case 4: scalar_rows(J, n, 4, a, b, w, g, H); break;
    case 5: scalar_rows(J, n, 5, a, b, w, g, H); break;
    case 6: scalar_rows(J, n, 6, a, b, w, g, H); break;
    case 7: scalar_rows(J, n, 7, a, b, w, g, H); break;
    default: scalar_rows(J, n, p, a, b, w, g, H); break;
    }
}

/* libgcc's feature bits already ask the operating system (XCR0) whether it
 * saves the ZMM and mask registers; valgrind, for one, hides avx512f. */
gram_fn gram_kernel_of(int width)
{
    switch (width) {
    case 1: return gram_sums_scalar;
#if defined(__x86_64__) && defined(SLAW_GRAM_AVX512)
    case 8: return __builtin_cpu_supports("avx512f") ? gram_sums_avx512 : NULL;
#endif
    default: return NULL;
    }
}

void gram_sums(const double *J, size_t n, size_t p, const double *a, const double *b,
               const double *w, double *g, double *H)
{
    gram_fn wide = gram_kernel_of(8);
    (wide ? wide : gram_sums_scalar)(J, n, p, a, b, w, g, H);
}

/* ------------------------------------------------------- a column's sums */

enum { LANES = 4 };

static void column_plain(const double *phi, const double *w, const double *y, size_t n,
                         column_sums *out)
{
    double square[LANES] = {0}, with_y[LANES] = {0}, size[LANES] = {0}, poison[LANES] = {0};
    double least[LANES] = {INFINITY, INFINITY, INFINITY, INFINITY};
    for (size_t i = 0; i < n; i++) {
        size_t k = i % LANES;
        double f = phi[i], wf = w[i] * f;
        poison[k] += f * 0.0; /* NaN for an infinite or NaN φ */
        square[k] += wf * f;
        with_y[k] += wf * y[i];
        size[k] += w[i] > 0 ? fabs(f) : 0.0;
        least[k] = f < least[k] ? f : least[k];
    }
    double low = least[0];
    for (size_t k = 1; k < LANES; k++) low = least[k] < low ? least[k] : low;
    out->square = (square[0] + square[1]) + (square[2] + square[3]);
    out->with_y = (with_y[0] + with_y[1]) + (with_y[2] + with_y[3]);
    out->size = (size[0] + size[1]) + (size[2] + size[3]);
    out->least = low;
    out->finite = (poison[0] + poison[1]) + (poison[2] + poison[3]) == 0.0;
}

#ifdef __x86_64__
/* Lanes 0 and 1 in the low vector of each pair, 2 and 3 in the high. */
typedef struct lane_pair {
    __m128d low, high;
} lane_pair;

/* Rows i..i+1 into the low vectors' or the high ones' sums. */
#define COLUMN_STEP(half, i)                                                                       \
    do {                                                                                           \
        __m128d f = _mm_loadu_pd(phi + (i)), wv = _mm_loadu_pd(w + (i)), wf = _mm_mul_pd(wv, f);   \
        poison.half = _mm_add_pd(poison.half, _mm_mul_pd(f, zero));                                \
        square.half = _mm_add_pd(square.half, _mm_mul_pd(wf, f));                                  \
        with_y.half = _mm_add_pd(with_y.half, _mm_mul_pd(wf, _mm_loadu_pd(y + (i))));              \
        __m128d counted = _mm_cmpgt_pd(wv, zero);                                                  \
        size.half = _mm_add_pd(size.half, _mm_and_pd(_mm_and_pd(f, magnitude), counted));          \
        least.half = _mm_min_pd(f, least.half);                                                    \
    } while (0)

static void column_sse2(const double *phi, const double *w, const double *y, size_t n,
                        column_sums *out)
{
    const __m128d zero = _mm_setzero_pd(), infinity = _mm_set1_pd(INFINITY);
    const __m128d magnitude = _mm_castsi128_pd(_mm_set1_epi64x(INT64_MAX));
    lane_pair square = {zero, zero}, with_y = square, size = square, poison = square;
    lane_pair least = {infinity, infinity};
    size_t i = 0;
    for (; i + LANES <= n; i += LANES) {
        COLUMN_STEP(low, i);
        COLUMN_STEP(high, i + 2);
    }
    /* the last rows, in their lanes, through the plain kernel's steps */
    double sq[LANES], wy[LANES], sz[LANES], ps[LANES], lt[LANES];
    _mm_storeu_pd(sq, square.low), _mm_storeu_pd(sq + 2, square.high);
    _mm_storeu_pd(wy, with_y.low), _mm_storeu_pd(wy + 2, with_y.high);
    _mm_storeu_pd(sz, size.low), _mm_storeu_pd(sz + 2, size.high);
    _mm_storeu_pd(ps, poison.low), _mm_storeu_pd(ps + 2, poison.high);
    _mm_storeu_pd(lt, least.low), _mm_storeu_pd(lt + 2, least.high);
    for (size_t k = 0; i + k < n; k++) {
        double f = phi[i + k], wf = w[i + k] * f;
        ps[k] += f * 0.0;
        sq[k] += wf * f;
        wy[k] += wf * y[i + k];
        sz[k] += w[i + k] > 0 ? fabs(f) : 0.0;
        lt[k] = f < lt[k] ? f : lt[k];
    }
    double low = lt[0];
    for (size_t k = 1; k < LANES; k++) low = lt[k] < low ? lt[k] : low;
    out->square = (sq[0] + sq[1]) + (sq[2] + sq[3]);
    out->with_y = (wy[0] + wy[1]) + (wy[2] + wy[3]);
    out->size = (sz[0] + sz[1]) + (sz[2] + sz[3]);
    out->least = low;
    out->finite = (ps[0] + ps[1]) + (ps[2] + ps[3]) == 0.0;
}
#endif

column_fn gram_column_kernel_of(int width)
{
    switch (width) {
    case 1: return column_plain;
#ifdef __x86_64__
    case 2: return column_sse2;
#endif
    default: return NULL;
    }
}

void gram_column(const double *phi, const double *w, const double *y, size_t n, column_sums *out)
{
#ifdef __x86_64__
    column_sse2(phi, w, y, n, out);
#else
    column_plain(phi, w, y, n, out);
#endif
}
