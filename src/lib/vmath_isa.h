/* vmath_isa.h — the per-instruction-set halves of vmath.c.  Each has the
 * contract of vmath.h. */
#ifndef SLAW_VMATH_ISA_H
#define SLAW_VMATH_ISA_H

#include <stddef.h>

/* One width's four functions. */
typedef struct vmath_kernels {
    int width; /* values a vector: 8, 4, 2, or 1 for libm */
    void (*vexp)(double *x, size_t n);
    void (*vlog)(double *x, size_t n);
    void (*vexpm1)(double *x, size_t n);
    void (*vlog1p)(double *x, size_t n);
} vmath_kernels;

/* The kernels WIDTH values wide where this build has them and this processor
 * and operating system run them, else NULL: tests check every width, not
 * only the widest, which vmath.h's functions use. */
const vmath_kernels *vmath_kernels_of(int width);

#ifdef __x86_64__
void vmath_exp_sse2(double *x, size_t n);
void vmath_log_sse2(double *x, size_t n);
void vmath_expm1_sse2(double *x, size_t n);
void vmath_log1p_sse2(double *x, size_t n);
/* Built with -mavx2 -mfma (vmath_avx2.c). */
void vmath_exp_avx2(double *x, size_t n);
void vmath_log_avx2(double *x, size_t n);
void vmath_expm1_avx2(double *x, size_t n);
void vmath_log1p_avx2(double *x, size_t n);
/* Built with -mavx512f (vmath_avx512.c), where the compiler and SLEEF can. */
void vmath_exp_avx512(double *x, size_t n);
void vmath_log_avx512(double *x, size_t n);
void vmath_expm1_avx512(double *x, size_t n);
void vmath_log1p_avx512(double *x, size_t n);
#endif

#endif /* SLAW_VMATH_ISA_H */
