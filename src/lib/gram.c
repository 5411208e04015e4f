/* gram.c — gram.h's sums in plain C and SSE2 (the normal equations, the
 * screen's column and pair sums), and the choice of kernel. */
#include "gram.h"
#include "gram_lanes.h"

#include <math.h>
#include <stdbool.h>
#ifdef __x86_64__
#include <emmintrin.h>
#include <stdint.h>
#endif

/* One lane's sums (gram.h): the rows i ≡ lane (mod 8), in row order. */
static inline __attribute__((always_inline)) void scalar_lane(const double *J, size_t n, size_t p,
                                                              const double *a, const double *b,
                                                              const double *w, size_t lane,
                                                              double *g, double *H)
{
    for (size_t i = lane; i < n; i += GRAM_ROW_LANES) {
        if (w && w[i] == 0) continue;
        const double *row = J + i * p;
        double ai = a[i], bi = b[i];
#pragma GCC unroll 8
        for (size_t k = 0; k < p; k++) {
            g[k] += ai * row[k];
            double bk = bi * row[k];
#pragma GCC unroll 8
            for (size_t q = k; q < p; q++) H[k * p + q] += bk * row[q];
        }
    }
}

/* Inlined for each p, so that the loops over p unroll and a lane's sums
 * stay in registers: lane by lane, as fast as one pass over the rows. */
static inline __attribute__((always_inline)) void scalar_rows(const double *J, size_t n, size_t p,
                                                              const double *a, const double *b,
                                                              const double *w, double *g, double *H)
{
    double gs[GRAM_MAX_P][GRAM_ROW_LANES], Hs[GRAM_MAX_P * GRAM_MAX_P][GRAM_ROW_LANES];
    for (size_t lane = 0; lane < GRAM_ROW_LANES; lane++) {
        double gl[GRAM_MAX_P] = {0}, Hl[GRAM_MAX_P * GRAM_MAX_P] = {0};
        scalar_lane(J, n, p, a, b, w, lane, gl, Hl);
        for (size_t k = 0; k < p; k++) {
            gs[k][lane] = gl[k];
            for (size_t q = k; q < p; q++) Hs[k * p + q][lane] = Hl[k * p + q];
        }
    }
    for (size_t k = 0; k < p; k++) {
        g[k] += row_lanes_total(gs[k]);
        for (size_t q = k; q < p; q++) H[k * p + q] += row_lanes_total(Hs[k * p + q]);
    }
}

static void gram_sums_scalar(const double *J, size_t n, size_t p, const double *a, const double *b,
                             const double *w, double *g, double *H)
{
    GRAM_EACH_P(scalar_rows, J, n, p, a, b, w, g, H);
}

#ifdef __x86_64__
/* Lanes 2c and 2c + 1 (gram.h) side by side in one vector, from the rows
 * 2c + 8t and 2c + 8t + 1: half the additions of scalar_lane.  A row of
 * zero weight, or past the last, adds +0 (its product masked), which leaves
 * a sum as skipping the row does: the sums start at +0 and never turn -0. */
static inline __attribute__((always_inline)) void
sse2_lane_pair(const double *J, size_t n, size_t p, const double *a, const double *b,
               const double *w, size_t first, __m128d *g, __m128d *H)
{
    const __m128d zero = _mm_setzero_pd();
    for (size_t i = first; i < n; i += GRAM_ROW_LANES) {
        bool both = i + 1 < n;
        const double *row = J + i * p, *next = both ? row + p : row;
        __m128d keep = _mm_castsi128_pd(_mm_set_epi64x(both ? -1 : 0, -1));
        __m128d av = both ? _mm_loadu_pd(a + i) : _mm_load_sd(a + i);
        __m128d bv = both ? _mm_loadu_pd(b + i) : _mm_load_sd(b + i);
        if (w)
            keep = _mm_and_pd(keep,
                              _mm_cmpneq_pd(both ? _mm_loadu_pd(w + i) : _mm_load_sd(w + i), zero));
        __m128d col[GRAM_MAX_P];
#pragma GCC unroll 8
        for (size_t k = 0; k < p; k++) col[k] = _mm_loadh_pd(_mm_load_sd(row + k), next + k);
        size_t e = 0;
#pragma GCC unroll 8
        for (size_t k = 0; k < p; k++) {
            g[k] = _mm_add_pd(g[k], _mm_and_pd(_mm_mul_pd(av, col[k]), keep));
            __m128d bk = _mm_mul_pd(bv, col[k]);
#pragma GCC unroll 8
            for (size_t q = k; q < p; q++, e++)
                H[e] = _mm_add_pd(H[e], _mm_and_pd(_mm_mul_pd(bk, col[q]), keep));
        }
    }
}

static inline __attribute__((always_inline)) void sse2_rows(const double *J, size_t n, size_t p,
                                                            const double *a, const double *b,
                                                            const double *w, double *g, double *H)
{
    double gs[GRAM_MAX_P][GRAM_ROW_LANES], Hs[GRAM_MAX_P * (GRAM_MAX_P + 1) / 2][GRAM_ROW_LANES];
    for (size_t first = 0; first < GRAM_ROW_LANES; first += 2) {
        __m128d gl[GRAM_MAX_P], Hl[GRAM_MAX_P * (GRAM_MAX_P + 1) / 2];
#pragma GCC unroll 8
        for (size_t k = 0; k < p; k++) gl[k] = _mm_setzero_pd();
#pragma GCC unroll 36
        for (size_t e = 0; e < p * (p + 1) / 2; e++) Hl[e] = _mm_setzero_pd();
        sse2_lane_pair(J, n, p, a, b, w, first, gl, Hl);
#pragma GCC unroll 8
        for (size_t k = 0; k < p; k++) _mm_storeu_pd(gs[k] + first, gl[k]);
#pragma GCC unroll 36
        for (size_t e = 0; e < p * (p + 1) / 2; e++) _mm_storeu_pd(Hs[e] + first, Hl[e]);
    }
    size_t e = 0;
    for (size_t k = 0; k < p; k++) {
        g[k] += row_lanes_total(gs[k]);
        for (size_t q = k; q < p; q++, e++) H[k * p + q] += row_lanes_total(Hs[e]);
    }
}

static void gram_sums_sse2(const double *J, size_t n, size_t p, const double *a, const double *b,
                           const double *w, double *g, double *H)
{
    GRAM_EACH_P(sse2_rows, J, n, p, a, b, w, g, H);
}
#endif

/* libgcc's feature bits already ask the operating system (XCR0) whether it
 * saves the ZMM and mask registers; valgrind, for one, hides avx512f. */
gram_fn gram_kernel_of(int width)
{
    switch (width) {
    case 1: return gram_sums_scalar;
#ifdef __x86_64__
    case 2: return gram_sums_sse2;
#endif
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
    if (!wide) wide = gram_kernel_of(2);
    (wide ? wide : gram_sums_scalar)(J, n, p, a, b, w, g, H);
}

/* ------------------------------------------------------- a column's sums */

static void column_plain(const double *phi, const double *w, const double *y, size_t n,
                         column_sums *out)
{
    column_lanes l = {.least = {INFINITY, INFINITY, INFINITY, INFINITY}};
    gram_column_rows(&l, phi, w, y, 0, n);
    gram_column_finish(&l, out);
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

static void store_pair(double *to, lane_pair v)
{
    _mm_storeu_pd(to, v.low);
    _mm_storeu_pd(to + 2, v.high);
}

static void column_sse2(const double *phi, const double *w, const double *y, size_t n,
                        column_sums *out)
{
    const __m128d zero = _mm_setzero_pd(), infinity = _mm_set1_pd(INFINITY);
    const __m128d magnitude = _mm_castsi128_pd(_mm_set1_epi64x(INT64_MAX));
    lane_pair square = {zero, zero}, with_y = square, size = square, poison = square;
    lane_pair least = {infinity, infinity};
    size_t i = 0;
    for (; i + GRAM_LANES <= n; i += GRAM_LANES) {
        COLUMN_STEP(low, i);
        COLUMN_STEP(high, i + 2);
    }
    column_lanes l;
    store_pair(l.square, square);
    store_pair(l.with_y, with_y);
    store_pair(l.size, size);
    store_pair(l.poison, poison);
    store_pair(l.least, least);
    gram_column_rows(&l, phi, w, y, i, n);
    gram_column_finish(&l, out);
}
#endif

/* Lane k spelled out, so that the sums stay in registers (and the compiler
 * pairs them in vectors). */
static double cross_plain(const double *a, const double *b, const double *w, size_t n)
{
    double l[GRAM_LANES], l0 = 0, l1 = 0, l2 = 0, l3 = 0;
    size_t i = 0;
    for (; i + GRAM_LANES <= n; i += GRAM_LANES) {
        l0 += w[i] * a[i] * b[i];
        l1 += w[i + 1] * a[i + 1] * b[i + 1];
        l2 += w[i + 2] * a[i + 2] * b[i + 2];
        l3 += w[i + 3] * a[i + 3] * b[i + 3];
    }
    l[0] = l0, l[1] = l1, l[2] = l2, l[3] = l3;
    return gram_cross_rows(l, a, b, w, i, n);
}

column_fn gram_column_kernel_of(int width)
{
    switch (width) {
    case 1: return column_plain;
#ifdef __x86_64__
    case 2: return column_sse2;
#endif
#if defined(__x86_64__) && defined(SLAW_GRAM_AVX2)
    case 4: return __builtin_cpu_supports("avx2") ? gram_column_avx2 : NULL;
#endif
    default: return NULL;
    }
}

cross_fn gram_cross_kernel_of(int width)
{
    switch (width) {
    case 1: return cross_plain;
#if defined(__x86_64__) && defined(SLAW_GRAM_AVX2)
    case 4: return __builtin_cpu_supports("avx2") ? gram_cross_avx2 : NULL;
#endif
    default: return NULL;
    }
}

void gram_column(const double *phi, const double *w, const double *y, size_t n, column_sums *out)
{
    column_fn wide = gram_column_kernel_of(4);
    if (!wide) wide = gram_column_kernel_of(2);
    (wide ? wide : column_plain)(phi, w, y, n, out);
}

double gram_cross(const double *a, const double *b, const double *w, size_t n)
{
    cross_fn wide = gram_cross_kernel_of(4);
    return (wide ? wide : cross_plain)(a, b, w, n);
}
