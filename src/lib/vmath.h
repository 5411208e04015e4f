/* vmath.h — exp, log, expm1 and log1p over arrays, vectorised by SLEEF
 * (vmath.c).
 *
 * Each result depends on its input alone, never on its place in the array
 * or the array's length (a short tail is computed in a padded vector), so a
 * law evaluated over rows split among threads gives the same bits as over
 * all rows at once.  The functions are SLEEF's 1-ulp ones: 4 wide with AVX2
 * and FMA where the processor has them (chosen once, at run time), else 2
 * wide with SSE2; plain libm elsewhere than x86-64.  Each works in place:
 * x[i] becomes f(x[i]) for i < n. */
#ifndef SLAW_VMATH_H
#define SLAW_VMATH_H

#include <stddef.h>

void vmath_exp(double *x, size_t n);
void vmath_log(double *x, size_t n);
void vmath_expm1(double *x, size_t n);
void vmath_log1p(double *x, size_t n);

/* The vector width in use (4, 2, or 1 for libm), for tests. */
int vmath_width(void);

#endif /* SLAW_VMATH_H */
