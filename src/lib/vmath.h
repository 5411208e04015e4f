/* vmath.h — exp, log, expm1 and log1p over arrays, vectorised by SLEEF
 * (vmath.c).
 *
 * Each result depends on its input alone, never on its place in the array
 * or the array's length (a short tail is computed in a padded vector), so a
 * law evaluated over rows split among threads gives the same bits as over
 * all rows at once.  The functions are SLEEF's 1-ulp ones, the widest the
 * processor and the operating system run (chosen once, at the first call): 8
 * wide with AVX-512F, else 4 wide with AVX2 and FMA, else 2 wide with SSE2;
 * plain libm elsewhere than x86-64.  Each works in place: x[i] becomes
 * f(x[i]) for i < n.  Unlike libm, SLEEF's exp is infinite from x =
 * 709.7827111495575 (libm's from 709.782712893384) and its log1p above 1e307. */
#ifndef SLAW_VMATH_H
#define SLAW_VMATH_H

#include <stddef.h>

void vmath_exp(double *x, size_t n);
void vmath_log(double *x, size_t n);
void vmath_expm1(double *x, size_t n);
void vmath_log1p(double *x, size_t n);

/* The vector width in use (8, 4, 2, or 1 for libm), for tests. */
int vmath_width(void);

#endif /* SLAW_VMATH_H */
