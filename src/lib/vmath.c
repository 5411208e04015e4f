/* vmath.c — exp, log, expm1 and log1p over arrays (vmath.h): SLEEF's
 * vector kernels, the widest the processor runs, chosen at each call from
 * the processor's features (a load and a test). */
#include "vmath.h"
#include "vmath_isa.h"

#include <math.h>
#include <stdbool.h>

#ifdef __x86_64__
#include <emmintrin.h>
#include <sleef.h>

#define DEFINE_SSE2(name, kernel)                                                                  \
    void name(double *x, size_t n)                                                                 \
    {                                                                                              \
        size_t i = 0;                                                                              \
        for (; i + 2 <= n; i += 2) _mm_storeu_pd(x + i, kernel(_mm_loadu_pd(x + i)));              \
        if (i == n) return;                                                                        \
        double pad[2] = {x[i], 0};                                                                 \
        _mm_storeu_pd(pad, kernel(_mm_loadu_pd(pad)));                                             \
        x[i] = pad[0];                                                                             \
    }

DEFINE_SSE2(vmath_exp_sse2, Sleef_expd2_u10sse2)
DEFINE_SSE2(vmath_log_sse2, Sleef_logd2_u10sse2)
DEFINE_SSE2(vmath_expm1_sse2, Sleef_expm1d2_u10sse2)
DEFINE_SSE2(vmath_log1p_sse2, Sleef_log1pd2_u10sse2)
#endif

#ifdef __x86_64__
static bool has_avx2(void)
{
#ifdef SLAW_VMATH_AVX2
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
    return false;
#endif
}
#endif

int vmath_width(void)
{
#ifdef __x86_64__
    return has_avx2() ? 4 : 2;
#else
    return 1;
#endif
}

#ifdef SLAW_VMATH_AVX2
#define WIDE(f) has_avx2() ? f##_avx2:
#else
#define WIDE(f)
#endif

#ifdef __x86_64__
#define DEFINE_VMATH(f, libm)                                                                      \
    void vmath_##f(double *x, size_t n)                                                            \
    {                                                                                              \
        (WIDE(vmath_##f) vmath_##f##_sse2)(x, n);                                                  \
    }
#else
#define DEFINE_VMATH(f, libm)                                                                      \
    void vmath_##f(double *x, size_t n)                                                            \
    {                                                                                              \
        for (size_t i = 0; i < n; i++) x[i] = libm(x[i]);                                          \
    }
#endif

DEFINE_VMATH(exp, exp)
DEFINE_VMATH(log, log)
DEFINE_VMATH(expm1, expm1)
DEFINE_VMATH(log1p, log1p)
