/* vmath_avx512.c — vmath.c's functions with SLEEF's AVX-512F kernels, 8
 * wide.  The build compiles this file alone with -mavx512f (src/CMakeLists.txt)
 * where the compiler takes it; vmath.c calls it only where the processor and
 * the operating system both support AVX-512F. */
#include "vmath_isa.h"

#ifdef SLAW_VMATH_AVX512
#include <immintrin.h>
#include <sleef.h>

/* The tail is loaded under a mask into a zeroed vector: its lanes are
 * computed as in a full one, so each result is the same wherever it sits. */
#define DEFINE_AVX512(name, kernel)                                                                \
    void name(double *x, size_t n)                                                                 \
    {                                                                                              \
        size_t i = 0;                                                                              \
        for (; i + 8 <= n; i += 8) _mm512_storeu_pd(x + i, kernel(_mm512_loadu_pd(x + i)));        \
        if (i == n) return;                                                                        \
        __mmask8 tail = (__mmask8)((1u << (n - i)) - 1);                                           \
        _mm512_mask_storeu_pd(x + i, tail, kernel(_mm512_maskz_loadu_pd(tail, x + i)));            \
    }

DEFINE_AVX512(vmath_exp_avx512, Sleef_expd8_u10avx512f)
DEFINE_AVX512(vmath_log_avx512, Sleef_logd8_u10avx512f)
DEFINE_AVX512(vmath_expm1_avx512, Sleef_expm1d8_u10avx512f)
DEFINE_AVX512(vmath_log1p_avx512, Sleef_log1pd8_u10avx512f)
#endif
