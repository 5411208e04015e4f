/* gram_avx2.c — gram.h's column and pair sums with AVX2: the four lanes in
 * one vector, so the same bits as the SSE2 and plain kernels.  The build
 * compiles this file alone with -mavx2 (src/CMakeLists.txt); gram.c calls it
 * only where the processor and the operating system run it. */
#include "gram.h"
#include "gram_lanes.h"

#if defined(__x86_64__) && defined(SLAW_GRAM_AVX2)
#include <immintrin.h>
#include <stdint.h>

void gram_column_avx2(const double *phi, const double *w, const double *y, size_t n,
                      column_sums *out)
{
    const __m256d zero = _mm256_setzero_pd();
    const __m256d magnitude = _mm256_castsi256_pd(_mm256_set1_epi64x(INT64_MAX));
    __m256d square = zero, with_y = zero, size = zero, poison = zero;
    __m256d least = _mm256_set1_pd(INFINITY);
    size_t i = 0;
    for (; i + GRAM_LANES <= n; i += GRAM_LANES) {
        __m256d f = _mm256_loadu_pd(phi + i), wv = _mm256_loadu_pd(w + i);
        __m256d wf = _mm256_mul_pd(wv, f);
        poison = _mm256_add_pd(poison, _mm256_mul_pd(f, zero)); /* NaN for a φ not finite */
        square = _mm256_add_pd(square, _mm256_mul_pd(wf, f));
        with_y = _mm256_add_pd(with_y, _mm256_mul_pd(wf, _mm256_loadu_pd(y + i)));
        __m256d counted = _mm256_cmp_pd(wv, zero, _CMP_GT_OQ);
        size = _mm256_add_pd(size, _mm256_and_pd(_mm256_and_pd(f, magnitude), counted));
        least = _mm256_min_pd(f, least); /* f < least ? f : least, as the plain kernel */
    }
    column_lanes l;
    _mm256_storeu_pd(l.square, square);
    _mm256_storeu_pd(l.with_y, with_y);
    _mm256_storeu_pd(l.size, size);
    _mm256_storeu_pd(l.poison, poison);
    _mm256_storeu_pd(l.least, least);
    gram_column_rows(&l, phi, w, y, i, n);
    gram_column_finish(&l, out);
}

double gram_cross_avx2(const double *a, const double *b, const double *w, size_t n)
{
    __m256d sum = _mm256_setzero_pd();
    size_t i = 0;
    for (; i + GRAM_LANES <= n; i += GRAM_LANES) {
        __m256d wa = _mm256_mul_pd(_mm256_loadu_pd(w + i), _mm256_loadu_pd(a + i));
        sum = _mm256_add_pd(sum, _mm256_mul_pd(wa, _mm256_loadu_pd(b + i)));
    }
    double lane[GRAM_LANES];
    _mm256_storeu_pd(lane, sum);
    return gram_cross_rows(lane, a, b, w, i, n);
}
#endif
