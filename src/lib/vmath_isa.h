/* vmath_isa.h — the per-instruction-set halves of vmath.c. */
#ifndef SLAW_VMATH_ISA_H
#define SLAW_VMATH_ISA_H

#include <stddef.h>

#ifdef __x86_64__
void vmath_exp_sse2(double *x, size_t n);
void vmath_log_sse2(double *x, size_t n);
void vmath_expm1_sse2(double *x, size_t n);
void vmath_log1p_sse2(double *x, size_t n);
/* Built with -mavx2 -mfma (vmath_avx2.c): call only where vmath_width() is 4. */
void vmath_exp_avx2(double *x, size_t n);
void vmath_log_avx2(double *x, size_t n);
void vmath_expm1_avx2(double *x, size_t n);
void vmath_log1p_avx2(double *x, size_t n);
#endif

#endif /* SLAW_VMATH_ISA_H */
