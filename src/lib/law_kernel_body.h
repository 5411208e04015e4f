/* law_kernel_body.h — the bodies of law_kernel.c's building blocks, compiled
 * once for every instruction set the build has (law_kernel.c for the
 * baseline, law_kernel_avx512.c for AVX-512F).  Their loops are element by
 * element or summed in row order, and the build contracts no multiply and
 * add, so every set gives the same bits; exp and log are vmath.h's whatever
 * the set. */
#ifndef SLAW_LAW_KERNEL_BODY_H
#define SLAW_LAW_KERNEL_BODY_H

#include "law.h"
#include "law_kernel_isa.h"

#include <assert.h>
#include <float.h>

/* e^t for t up to this is far from overflowing, a sum of three of them too. */
#define FLOOR_POWERS_SAFE 700.0

/* e^(t - top) for two terms, top the larger: the larger's is e^0 = 1 (NaN
 * when it is not finite, as e^(top - top) is) and the other's e^-|t0 - t1|,
 * so one exp a row instead of two, with the same values. */
static inline void exp_two(size_t m, double t[][LAW_BLOCK], const double *top)
{
    double e[LAW_BLOCK];
    for (size_t i = 0; i < m; i++) e[i] = -fabs(t[0][i] - t[1][i]);
    vmath_exp(e, m);
    for (size_t i = 0; i < m; i++) {
        double one = (top[i] - top[i]) + 1.0;
        bool second = t[1][i] > t[0][i];
        t[0][i] = second ? e[i] : one;
        t[1][i] = second ? one : e[i];
    }
}

/* Loops run over rows innermost, so that the compiler vectorises them. */
static inline void log_sum_body(size_t nt, size_t m, double t[][LAW_BLOCK], double *lny,
                                double w[][LAW_BLOCK])
{
    double top[LAW_BLOCK], sum[LAW_BLOCK];
    for (size_t i = 0; i < m; i++) top[i] = t[0][i];
    for (size_t k = 1; k < nt; k++)
        for (size_t i = 0; i < m; i++) top[i] = t[k][i] > top[i] ? t[k][i] : top[i];
    /* NaN in a term: its difference is NaN, so is the sum */
    if (nt == 2) {
        exp_two(m, t, top);
    } else {
        for (size_t k = 0; k < nt; k++) {
            for (size_t i = 0; i < m; i++) t[k][i] -= top[i];
            vmath_exp(t[k], m);
        }
    }
    for (size_t i = 0; i < m; i++) sum[i] = t[0][i];
    for (size_t k = 1; k < nt; k++)
        for (size_t i = 0; i < m; i++) sum[i] += t[k][i];
    if (w) {
        double inv[LAW_BLOCK];
        for (size_t i = 0; i < m; i++) inv[i] = 1.0 / sum[i];
        for (size_t k = 0; k < nt; k++)
            for (size_t i = 0; i < m; i++) w[k][i] = t[k][i] * inv[i];
    }
    /* log of a sum in [1, 3], not log1p: as accurate there, and faster */
    vmath_log(sum, m);
    for (size_t i = 0; i < m; i++) lny[i] = top[i] + sum[i];
}

static inline void log_sum_curvature_body(const law_term *terms, size_t nt, size_t p,
                                          law_inputs lnx, size_t n, const double *J,
                                          const double *c, const double *cj, double *H)
{
    assert(nt <= 4);
    for (size_t k = 0; k < nt; k++) {
        size_t a = (size_t)terms[k].scale, b = (size_t)terms[k].power;
        H[a * p + a] += cj[a];
        if (terms[k].power < 0) continue;
        H[(a < b ? a : b) * p + (a < b ? b : a)] += cj[b];
        const double *x = lnx[terms[k].var], *col = J + b;
        double power = 0; /* summed in row order */
        for (size_t i = 0; i < n; i++)
            if (c[i] != 0) power -= c[i] * col[i * p] * x[i];
        H[b * p + b] += power;
    }
}

static inline void softplus_body(size_t m, const double *z, double *sp, double *sig)
{
    double e[LAW_BLOCK];
    for (size_t i = 0; i < m; i++) e[i] = -fabs(z[i]);
    vmath_exp(e, m); /* e^(-|z|) */
    for (size_t i = 0; i < m; i++) sp[i] = e[i];
    vmath_log1p(sp, m);
    for (size_t i = 0; i < m; i++) sp[i] += z[i] > 0 ? z[i] : 0.0;
    if (sig)
        for (size_t i = 0; i < m; i++) sig[i] = (z[i] >= 0 ? 1.0 : e[i]) / (1.0 + e[i]);
}

/* law_floor_powers for np power terms (1 or 2), inlined for each so that
 * the loops over the terms unroll. */
static inline __attribute__((always_inline)) void
floor_powers_rows(size_t np, const double *theta, law_inputs lnx, size_t n, double *lny, double *J)
{
    size_t p = 1 + 2 * np;
    double floor_value = exp(theta[0]);
    for (size_t i0 = 0; i0 < n; i0 += LAW_BLOCK) {
        size_t m = law_block(n, i0);
        double e[2][LAW_BLOCK], w[3][LAW_BLOCK], sum[LAW_BLOCK], inv[LAW_BLOCK];
        int risky = !(theta[0] <= FLOOR_POWERS_SAFE);
        for (size_t k = 0; k < np; k++) {
            const double *x = lnx[k] + i0;
            for (size_t i = 0; i < m; i++) {
                e[k][i] = theta[1 + k] - theta[1 + np + k] * x[i];
                risky |= e[k][i] > FLOOR_POWERS_SAFE;
            }
        }
        if (!risky) {
            for (size_t k = 0; k < np; k++) vmath_exp(e[k], m);
            for (size_t i = 0; i < m; i++) sum[i] = floor_value + e[0][i];
            for (size_t k = 1; k < np; k++)
                for (size_t i = 0; i < m; i++) sum[i] += e[k][i];
            for (size_t i = 0; i < m; i++) risky |= !(sum[i] >= DBL_MIN);
        }
        if (risky) { /* the largest term factored out: nothing overflows */
            double t[3][LAW_BLOCK];
            for (size_t i = 0; i < m; i++) t[0][i] = theta[0];
            for (size_t k = 0; k < np; k++)
                for (size_t i = 0; i < m; i++)
                    t[1 + k][i] = theta[1 + k] - theta[1 + np + k] * lnx[k][i0 + i];
            log_sum_body(1 + np, m, t, lny + i0, J ? w : NULL);
        } else {
            if (J) {
                for (size_t i = 0; i < m; i++) inv[i] = 1.0 / sum[i];
                for (size_t i = 0; i < m; i++) w[0][i] = floor_value * inv[i];
                for (size_t k = 0; k < np; k++)
                    for (size_t i = 0; i < m; i++) w[1 + k][i] = e[k][i] * inv[i];
            }
            vmath_log(sum, m);
            for (size_t i = 0; i < m; i++) lny[i0 + i] = sum[i];
        }
        if (!J) continue;
        for (size_t i = 0; i < m; i++) {
            double *row = J + (i0 + i) * p;
            row[0] = w[0][i];
            for (size_t k = 0; k < np; k++) {
                row[1 + k] = w[1 + k][i];
                row[1 + np + k] = -w[1 + k][i] * lnx[k][i0 + i];
            }
        }
    }
}

static inline void floor_powers_body(size_t np, const double *theta, law_inputs lnx, size_t n,
                                     double *lny, double *J)
{
    assert(np == 1 || np == 2);
    if (np == 1) floor_powers_rows(1, theta, lnx, n, lny, J);
    else floor_powers_rows(2, theta, lnx, n, lny, J);
}

/* One set's kernels, under names that end in SUFFIX. */
#define LAW_KERNELS_DEFINE(suffix, width)                                                          \
    static void log_sum_##suffix(size_t nt, size_t m, double t[][LAW_BLOCK], double *lny,          \
                                 double w[][LAW_BLOCK])                                            \
    {                                                                                              \
        log_sum_body(nt, m, t, lny, w);                                                            \
    }                                                                                              \
    static void log_sum_curvature_##suffix(const law_term *terms, size_t nt, size_t p,             \
                                           law_inputs lnx, size_t n, const double *J,              \
                                           const double *c, const double *cj, double *H)           \
    {                                                                                              \
        log_sum_curvature_body(terms, nt, p, lnx, n, J, c, cj, H);                                 \
    }                                                                                              \
    static void softplus_##suffix(size_t m, const double *z, double *sp, double *sig)              \
    {                                                                                              \
        softplus_body(m, z, sp, sig);                                                              \
    }                                                                                              \
    static void floor_powers_##suffix(size_t np, const double *theta, law_inputs lnx, size_t n,    \
                                      double *lny, double *J)                                      \
    {                                                                                              \
        floor_powers_body(np, theta, lnx, n, lny, J);                                              \
    }                                                                                              \
    const law_kernels law_kernels_##suffix = {width, log_sum_##suffix, log_sum_curvature_##suffix, \
                                              softplus_##suffix, floor_powers_##suffix}

#endif /* SLAW_LAW_KERNEL_BODY_H */
