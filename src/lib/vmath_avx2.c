/* vmath_avx2.c — vmath.c's functions with SLEEF's AVX2 + FMA kernels.  The
 * build compiles this file alone with -mavx2 -mfma (src/CMakeLists.txt);
 * vmath.c calls it only on a processor that has both. */
#include "vmath_isa.h"

#ifdef SLAW_VMATH_AVX2
#include <immintrin.h>
#include <sleef.h>
#include <string.h>

#define DEFINE_AVX2(name, kernel)                                                                  \
    void name(double *x, size_t n)                                                                 \
    {                                                                                              \
        size_t i = 0;                                                                              \
        for (; i + 4 <= n; i += 4) _mm256_storeu_pd(x + i, kernel(_mm256_loadu_pd(x + i)));        \
        if (i == n) return;                                                                        \
        double pad[4] = {0, 0, 0, 0};                                                              \
        memcpy(pad, x + i, (n - i) * sizeof *pad);                                                 \
        _mm256_storeu_pd(pad, kernel(_mm256_loadu_pd(pad)));                                       \
        memcpy(x + i, pad, (n - i) * sizeof *pad);                                                 \
    }

DEFINE_AVX2(vmath_exp_avx2, Sleef_expd4_u10avx2)
DEFINE_AVX2(vmath_log_avx2, Sleef_logd4_u10avx2)
DEFINE_AVX2(vmath_expm1_avx2, Sleef_expm1d4_u10avx2)
DEFINE_AVX2(vmath_log1p_avx2, Sleef_log1pd4_u10avx2)
#endif
