/* gram.h — the normal equations' sums over the rows of a Jacobian: Σ b_i
 * j_i j_iᵀ (upper triangle) and Σ a_i j_i over the rows j_i of a row-major
 * n × p matrix, rows of zero weight passed over.  Each sum is taken in
 * GRAM_ROW_LANES lanes, lane k the rows i ≡ k (mod 8) in row order, added as
 * ((l0 + l1) + (l2 + l3)) + ((l4 + l5) + (l6 + l7)) whatever the instruction
 * set, so every kernel gives the same bits (BLAS's dsyrk leaves the order to
 * the implementation): one chain of additions a sum made the wide kernel
 * wait on each row, where eight rows of a column now fill one vector. */
#ifndef SLAW_GRAM_H
#define SLAW_GRAM_H

#include <stdbool.h>
#include <stddef.h>

#define GRAM_MAX_P 8     /* columns: eight rows of one fill p vectors of AVX-512 */
#define GRAM_ROW_LANES 8 /* the lanes of the normal equations' sums */

/* Adds the sums into g (p) and H (p × p, upper triangle); w (n) may be NULL. */
typedef void (*gram_fn)(const double *J, size_t n, size_t p, const double *a, const double *b,
                        const double *w, double *g, double *H);

/* The widest kernel this build and processor run. */
void gram_sums(const double *J, size_t n, size_t p, const double *a, const double *b,
               const double *w, double *g, double *H);

/* The kernel WIDTH values wide (8: AVX-512F, 2: SSE2 on x86-64, 1: plain C)
 * where this build has it and this processor and operating system run it,
 * else NULL: tests check that each gives the plain loops' bits. */
gram_fn gram_kernel_of(int width);

/* The screen's sums of one basis column φ over the rows (weights ω, target
 * y): Σ ω φ², Σ ω φ y, Σ |φ| over the rows of ω > 0, the least φ (NaN
 * passed over, as φ < least ? φ : least does) and whether every φ is
 * finite; and Σ ω a b for a pair of columns.  The rows are taken in four
 * lanes, lane k the rows i ≡ k (mod 4) in row order, added as (l0 + l1) +
 * (l2 + l3): a vector or two a sum, where one chain of dependent additions a
 * sum cost four times the instructions; every kernel gives the same bits. */
#define GRAM_LANES 4

typedef struct column_sums {
    double square, with_y, size, least;
    bool finite;
} column_sums;

typedef void (*column_fn)(const double *phi, const double *w, const double *y, size_t n,
                          column_sums *out);
typedef double (*cross_fn)(const double *a, const double *b, const double *w, size_t n);

/* The widest kernels this build and processor run. */
void gram_column(const double *phi, const double *w, const double *y, size_t n, column_sums *out);
double gram_cross(const double *a, const double *b, const double *w, size_t n);

/* The kernels WIDTH values wide (4: AVX2, 2: SSE2 (a column's only), 1:
 * plain C) where this build has them and this processor and operating
 * system run them, else NULL. */
column_fn gram_column_kernel_of(int width);
cross_fn gram_cross_kernel_of(int width);

#ifdef __x86_64__
/* Built with -mavx2 (gram_avx2.c), where the compiler can. */
void gram_column_avx2(const double *phi, const double *w, const double *y, size_t n,
                      column_sums *out);
double gram_cross_avx2(const double *a, const double *b, const double *w, size_t n);
/* Built with -mavx512f (gram_avx512.c), where the compiler can. */
void gram_sums_avx512(const double *J, size_t n, size_t p, const double *a, const double *b,
                      const double *w, double *g, double *H);
#endif

#endif
