/* vmath.c — exp, log, expm1 and log1p over arrays (vmath.h): SLEEF's
 * vector kernels, the widest the processor and the operating system run,
 * chosen at the first call and kept. */
#include "vmath.h"
#include "vmath_isa.h"

#include <math.h>
#include <stdatomic.h>

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

static const vmath_kernels sse2 = {2, vmath_exp_sse2, vmath_log_sse2, vmath_expm1_sse2,
                                   vmath_log1p_sse2};
#ifdef SLAW_VMATH_AVX2
static const vmath_kernels avx2 = {4, vmath_exp_avx2, vmath_log_avx2, vmath_expm1_avx2,
                                   vmath_log1p_avx2};
#endif
#ifdef SLAW_VMATH_AVX512
static const vmath_kernels avx512 = {8, vmath_exp_avx512, vmath_log_avx512, vmath_expm1_avx512,
                                     vmath_log1p_avx512};
#endif

/* libgcc's feature bits already ask the operating system (XCR0) whether it
 * saves the YMM registers for avx2 and fma, and the ZMM and mask registers
 * for avx512f; valgrind, for one, hides avx512f. */
const vmath_kernels *vmath_kernels_of(int width)
{
    switch (width) {
    case 2: return &sse2;
#ifdef SLAW_VMATH_AVX2
    case 4: return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") ? &avx2 : NULL;
#endif
#ifdef SLAW_VMATH_AVX512
    case 8: return __builtin_cpu_supports("avx512f") ? &avx512 : NULL;
#endif
    default: return NULL;
    }
}
#else
#define DEFINE_LIBM(name, libm)                                                                    \
    static void name(double *x, size_t n)                                                          \
    {                                                                                              \
        for (size_t i = 0; i < n; i++) x[i] = libm(x[i]);                                          \
    }

DEFINE_LIBM(libm_exp, exp)
DEFINE_LIBM(libm_log, log)
DEFINE_LIBM(libm_expm1, expm1)
DEFINE_LIBM(libm_log1p, log1p)

static const vmath_kernels libm = {1, libm_exp, libm_log, libm_expm1, libm_log1p};

const vmath_kernels *vmath_kernels_of(int width)
{
    return width == 1 ? &libm : NULL;
}
#endif

/* The widest kernels, chosen at the first call: threads that race to it all
 * choose the same. */
static const vmath_kernels *widest(void)
{
    static _Atomic(const vmath_kernels *) chosen;
    const vmath_kernels *k = atomic_load_explicit(&chosen, memory_order_relaxed);
    if (k) return k;
    for (int w = 8; !k; w /= 2) k = vmath_kernels_of(w);
    atomic_store_explicit(&chosen, k, memory_order_relaxed);
    return k;
}

int vmath_width(void)
{
    return widest()->width;
}

void vmath_exp(double *x, size_t n)
{
    widest()->vexp(x, n);
}

void vmath_log(double *x, size_t n)
{
    widest()->vlog(x, n);
}

void vmath_expm1(double *x, size_t n)
{
    widest()->vexpm1(x, n);
}

void vmath_log1p(double *x, size_t n)
{
    widest()->vlog1p(x, n);
}
