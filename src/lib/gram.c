/* gram.c — gram.h's sums: the scalar kernel, and the choice of kernel. */
#include "gram.h"

/* Inlined for each p, so that the loops over p unroll and the sums stay in
 * registers. */
static inline __attribute__((always_inline)) void scalar_rows(const double *J, size_t n, size_t p,
                                                              const double *a, const double *b,
                                                              const double *w, double *g, double *H)
{
    double gs[GRAM_MAX_P] = {0}, Hs[GRAM_MAX_P * GRAM_MAX_P] = {0};
    for (size_t i = 0; i < n; i++) {
        if (w && w[i] == 0) continue;
        const double *row = J + i * p;
        double ai = a[i], bi = b[i];
#pragma GCC unroll 8
        for (size_t k = 0; k < p; k++) {
            gs[k] += ai * row[k];
            double bk = bi * row[k];
#pragma GCC unroll 8
            for (size_t q = k; q < p; q++) Hs[k * p + q] += bk * row[q];
        }
    }
    for (size_t k = 0; k < p; k++) {
        g[k] += gs[k];
        for (size_t q = k; q < p; q++) H[k * p + q] += Hs[k * p + q];
    }
}

static void gram_sums_scalar(const double *J, size_t n, size_t p, const double *a, const double *b,
                             const double *w, double *g, double *H)
{
    switch (p) {
    case 1: scalar_rows(J, n, 1, a, b, w, g, H); break;
    case 2: scalar_rows(J, n, 2, a, b, w, g, H); break;
    case 3: scalar_rows(J, n, 3, a, b, w, g, H); break;
    case 4: scalar_rows(J, n, 4, a, b, w, g, H); break;
    case 5: scalar_rows(J, n, 5, a, b, w, g, H); break;
    case 6: scalar_rows(J, n, 6, a, b, w, g, H); break;
    case 7: scalar_rows(J, n, 7, a, b, w, g, H); break;
    default: scalar_rows(J, n, p, a, b, w, g, H); break;
    }
}

/* libgcc's feature bits already ask the operating system (XCR0) whether it
 * saves the ZMM and mask registers; valgrind, for one, hides avx512f. */
gram_fn gram_kernel_of(int width)
{
    switch (width) {
    case 1: return gram_sums_scalar;
#if defined(__x86_64__) && defined(SLAW_GRAM_AVX512)
    case 8: return __builtin_cpu_supports("avx512f") ? gram_sums_avx512 : NULL;
#endif
    default: return NULL;
    }
}

void gram_sums(const double *J, size_t n, size_t p, const double *a, const double *b,
               const double *w, double *g, double *H)
{
    gram_fn wide = gram_kernel_of(8);
    (wide ? wide : gram_sums_scalar)(J, n, p, a, b, w, g, H);
}
