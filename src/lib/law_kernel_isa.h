/* law_kernel_isa.h — law_kernel.c's building blocks for each instruction
 * set the build has (law_kernel_body.h); law.h's functions call the widest
 * that the processor and the operating system run. */
#ifndef SLAW_LAW_KERNEL_ISA_H
#define SLAW_LAW_KERNEL_ISA_H

#include "law.h"

typedef struct law_kernels {
    int width; /* values a vector register holds: 8 for AVX-512F, 1 the baseline */
    void (*log_sum)(size_t nt, size_t m, double t[][LAW_BLOCK], double *lny, double w[][LAW_BLOCK]);
    void (*log_sum_curvature)(const law_term *terms, size_t nt, size_t p, law_inputs lnx, size_t n,
                              const double *J, const double *c, const double *cj, double *H);
    void (*softplus)(size_t m, const double *z, double *sp, double *sig);
    void (*floor_powers)(size_t np, const double *theta, law_inputs lnx, size_t n, double *lny,
                         double *J);
} law_kernels;

/* The kernels WIDTH values wide (1: the baseline, 8: AVX-512F) where this
 * build has them and this processor and operating system run them, else
 * NULL: tests check that each gives the baseline's bits. */
const law_kernels *law_kernels_of(int width);

extern const law_kernels law_kernels_baseline;
#if defined(__x86_64__) && defined(SLAW_LAW_KERNEL_AVX512)
/* Built with -mavx512f (law_kernel_avx512.c). */
extern const law_kernels law_kernels_avx512;
#endif

#endif /* SLAW_LAW_KERNEL_ISA_H */
