/* law_kernel.c — building blocks of the law kernels (the files in laws/), over
 * blocks of rows so that exp and log run vectorised (vmath.h): the
 * baseline's build of law_kernel_body.h, and the choice of the widest build
 * the processor runs. */
#include "law_kernel_body.h"

#include <stdatomic.h>

LAW_KERNELS_DEFINE(baseline, 1);

/* libgcc's feature bits already ask the operating system (XCR0) whether it
 * saves the ZMM and mask registers; valgrind, for one, hides avx512f. */
const law_kernels *law_kernels_of(int width)
{
    switch (width) {
    case 1: return &law_kernels_baseline;
#if defined(__x86_64__) && defined(SLAW_LAW_KERNEL_AVX512)
    case 8: return __builtin_cpu_supports("avx512f") ? &law_kernels_avx512 : NULL;
#endif
    default: return NULL;
    }
}

/* Chosen at the first call: threads that race to it all choose the same. */
static const law_kernels *widest(void)
{
    static _Atomic(const law_kernels *) chosen;
    const law_kernels *k = atomic_load_explicit(&chosen, memory_order_relaxed);
    if (k) return k;
    k = law_kernels_of(8);
    if (!k) k = &law_kernels_baseline;
    atomic_store_explicit(&chosen, k, memory_order_relaxed);
    return k;
}

void law_log_sum(size_t nt, size_t m, double t[][LAW_BLOCK], double *lny, double w[][LAW_BLOCK])
{
    widest()->log_sum(nt, m, t, lny, w);
}

void law_log_sum_curvature(const law_term *terms, size_t nt, size_t p, law_inputs lnx, size_t n,
                           const double *J, const double *c, const double *cj, double *H)
{
    widest()->log_sum_curvature(terms, nt, p, lnx, n, J, c, cj, H);
}

void law_softplus(size_t m, const double *z, double *sp, double *sig)
{
    widest()->softplus(m, z, sp, sig);
}

void law_floor_powers(size_t np, const double *theta, law_inputs lnx, size_t n, double *lny,
                      double *J)
{
    widest()->floor_powers(np, theta, lnx, n, lny, J);
}
