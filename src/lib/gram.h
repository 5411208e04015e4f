/* gram.h — the normal equations' sums over the rows of a Jacobian: Σ b_i
 * j_i j_iᵀ (upper triangle) and Σ a_i j_i over the rows j_i of a row-major
 * n × p matrix, rows of zero weight passed over.  Each sum runs in row order
 * whatever the instruction set, so every kernel gives the same bits (BLAS's
 * dsyrk leaves the order to the implementation). */
#ifndef SLAW_GRAM_H
#define SLAW_GRAM_H

#include <stddef.h>

#define GRAM_MAX_P 8 /* columns: one vector of AVX-512 holds a row */

/* Adds the sums into g (p) and H (p × p, upper triangle); w (n) may be NULL. */
typedef void (*gram_fn)(const double *J, size_t n, size_t p, const double *a, const double *b,
                        const double *w, double *g, double *H);

/* The widest kernel this build and processor run. */
void gram_sums(const double *J, size_t n, size_t p, const double *a, const double *b,
               const double *w, double *g, double *H);

/* The kernel WIDTH values wide (8: AVX-512F, 1: scalar) where this build has
 * it and this processor and operating system run it, else NULL: tests check
 * that each gives the scalar kernel's bits. */
gram_fn gram_kernel_of(int width);

#ifdef __x86_64__
/* Built with -mavx512f (gram_avx512.c), where the compiler can. */
void gram_sums_avx512(const double *J, size_t n, size_t p, const double *a, const double *b,
                      const double *w, double *g, double *H);
#endif

#endif
