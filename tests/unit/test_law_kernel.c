/* test_law_kernel.c — the laws' building blocks (law_kernel_isa.h) in every
 * instruction set this build and processor run: the baseline's bits for the
 * log-sum-exp with and without its weights (2 and 3 terms, blocks of every
 * length, terms far apart, equal, infinite and NaN), its curvature, the
 * softplus and the floor-plus-powers law; law.h's functions are the widest
 * set's.  The floor-plus-powers law against its sum in long double, and
 * where a term would overflow or the sum underflow, against the
 * log-sum-exp. */
#include "helpers.h"
#include "law.h"
#include "law_kernel_isa.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define ROWS 300

/* Terms of mixed magnitudes; a few rows hold equal, far apart, infinite or
 * NaN terms. */
static void fill_terms(size_t nt, size_t m, double t[][LAW_BLOCK], unsigned seed)
{
    srand(seed);
    for (size_t k = 0; k < nt; k++)
        for (size_t i = 0; i < m; i++) t[k][i] = (rand() / (double)RAND_MAX - 0.5) * 40.0;
    if (m > 3) t[1][3] = t[0][3];
    if (m > 5) t[nt - 1][5] = t[0][5] - 800.0;
    if (m > 9) t[0][9] = -INFINITY;
    if (m > 11) t[nt - 1][11] = NAN;
    if (m > 13) t[0][13] = INFINITY;
}

static void check_log_sum(const law_kernels *wide, const law_kernels *base, size_t nt, size_t m,
                          bool weights)
{
    double t1[3][LAW_BLOCK], t2[3][LAW_BLOCK], w1[3][LAW_BLOCK], w2[3][LAW_BLOCK];
    double y1[LAW_BLOCK], y2[LAW_BLOCK];
    fill_terms(nt, m, t1, (unsigned)(nt * 100 + m));
    memcpy(t2, t1, sizeof t1);
    memset(w1, 0, sizeof w1);
    memset(w2, 0, sizeof w2);
    wide->log_sum(nt, m, t1, y1, weights ? w1 : NULL);
    base->log_sum(nt, m, t2, y2, weights ? w2 : NULL);
    if (memcmp(y1, y2, m * sizeof *y1) || memcmp(w1, w2, sizeof w1))
        fail_msg("width %d, %zu terms, %zu rows%s: not the baseline's bits", wide->width, nt, m,
                 weights ? " with weights" : "");
}

static void log_sum_should_give_the_baselines_bits(void **state)
{
    (void)state;
    const law_kernels *base = law_kernels_of(1), *wide = law_kernels_of(8);
    assert_non_null(base);
    if (!wide) {
        print_message("width 8: not in this build or on this processor\n");
        return;
    }
    for (size_t nt = 2; nt <= 3; nt++)
        for (size_t m = 1; m <= LAW_BLOCK; m++) {
            check_log_sum(wide, base, nt, m, true);
            check_log_sum(wide, base, nt, m, false);
        }
}

static void log_sum_should_be_the_sums_logarithm(void **state)
{
    (void)state;
    double t[3][LAW_BLOCK] = {{0.5, -2.0}, {1.5, 3.0}, {-1.0, 3.0}}, w[3][LAW_BLOCK], y[LAW_BLOCK];
    law_log_sum(3, 2, t, y, w);
    for (size_t i = 0; i < 2; i++) {
        double e[3] = {i ? -2.0 : 0.5, i ? 3.0 : 1.5, i ? 3.0 : -1.0}, sum = 0;
        for (size_t k = 0; k < 3; k++) sum += exp(e[k]);
        assert_float_equal(y[i], log(sum), 1e-15 * fabs(log(sum)));
        for (size_t k = 0; k < 3; k++) assert_float_equal(w[k][i], exp(e[k]) / sum, 1e-15);
    }
}

/* A law's J at random rows: the scale columns are weights that sum to 1,
 * the power columns -w ln x. */
static void fill_jacobian(size_t n, double *J, double *lnx0, double *lnx1, double *c)
{
    srand(11);
    for (size_t i = 0; i < n; i++) {
        double a = rand() / (double)RAND_MAX, b = rand() / (double)RAND_MAX * (1 - a);
        lnx0[i] = 15.0 + 10.0 * rand() / (double)RAND_MAX;
        lnx1[i] = 18.0 + 10.0 * rand() / (double)RAND_MAX;
        J[i * 5 + 0] = 1 - a - b;
        J[i * 5 + 1] = a;
        J[i * 5 + 2] = b;
        J[i * 5 + 3] = -a * lnx0[i];
        J[i * 5 + 4] = -b * lnx1[i];
        c[i] = i % 9 == 4 ? 0.0 : rand() / (double)RAND_MAX - 0.5;
    }
}

static void curvature_and_softplus_should_give_the_baselines_bits(void **state)
{
    (void)state;
    const law_kernels *base = law_kernels_of(1), *wide = law_kernels_of(8);
    if (!wide) {
        print_message("width 8: not in this build or on this processor\n");
        return;
    }
    static double J[ROWS * 5], lnx0[ROWS], lnx1[ROWS], c[ROWS];
    fill_jacobian(ROWS, J, lnx0, lnx1, c);
    const double *lnx[2] = {lnx0, lnx1};
    static const law_term terms[] = {{0, -1, 0}, {1, 3, 0}, {2, 4, 1}};
    for (size_t n = 0; n <= ROWS; n += n < 20 ? 1 : 37) {
        double H1[25], H2[25], cj[5] = {0};
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < 5; j++) cj[j] += c[i] * J[i * 5 + j];
        for (size_t k = 0; k < 25; k++) H1[k] = H2[k] = 0.5 * (double)k;
        wide->log_sum_curvature(terms, 3, 5, lnx, n, J, c, cj, H1);
        base->log_sum_curvature(terms, 3, 5, lnx, n, J, c, cj, H2);
        if (memcmp(H1, H2, sizeof H1)) fail_msg("curvature, %zu rows: not the baseline's bits", n);
    }
    double z[LAW_BLOCK], sp1[LAW_BLOCK], sp2[LAW_BLOCK], s1[LAW_BLOCK], s2[LAW_BLOCK];
    for (size_t i = 0; i < LAW_BLOCK; i++) z[i] = ((double)i - 32.0) * 1.37;
    z[7] = -800.0;
    z[8] = 800.0;
    z[9] = NAN;
    for (size_t m = 1; m <= LAW_BLOCK; m++) {
        wide->softplus(m, z, sp1, s1);
        base->softplus(m, z, sp2, s2);
        if (memcmp(sp1, sp2, m * sizeof *sp1) || memcmp(s1, s2, m * sizeof *s1))
            fail_msg("softplus, %zu rows: not the baseline's bits", m);
    }
}

/* θ = (e, a_1..a_np, alpha_1..alpha_np) of mixed sizes, ln x of sweeps. */
static void fill_floor_powers(size_t np, size_t n, double *theta, double *x0, double *x1,
                              unsigned seed)
{
    srand(seed);
    theta[0] = log(0.5 + 2.0 * rand() / (double)RAND_MAX);
    for (size_t k = 0; k < np; k++) {
        theta[1 + k] = log(10.0 + 1e4 * rand() / (double)RAND_MAX);
        theta[1 + np + k] = 0.05 + 0.8 * rand() / (double)RAND_MAX;
    }
    for (size_t i = 0; i < n; i++) {
        x0[i] = log(1e6) + 12.0 * rand() / (double)RAND_MAX;
        x1[i] = log(1e8) + 12.0 * rand() / (double)RAND_MAX;
    }
}

static void floor_powers_should_be_the_sums_logarithm(void **state)
{
    (void)state;
    static double x0[ROWS], x1[ROWS], lny[ROWS], J[ROWS * 5];
    for (size_t np = 1; np <= 2; np++)
        for (unsigned seed = 1; seed <= 20; seed++) {
            double theta[5];
            fill_floor_powers(np, ROWS, theta, x0, x1, seed);
            const double *lnx[2] = {x0, x1};
            law_floor_powers(np, theta, lnx, ROWS, lny, J);
            size_t p = 1 + 2 * np;
            for (size_t i = 0; i < ROWS; i++) {
                long double e[3] = {expl((long double)theta[0]), 0, 0}, sum = e[0];
                for (size_t k = 0; k < np; k++) {
                    e[1 + k] = expl((long double)theta[1 + k] -
                                    (long double)theta[1 + np + k] * (long double)lnx[k][i]);
                    sum += e[1 + k];
                }
                assert_float_equal(lny[i], (double)logl(sum), 4e-16 * fabs((double)logl(sum)));
                for (size_t k = 0; k <= np; k++)
                    assert_float_equal(J[i * p + k], (double)(e[k] / sum), 4e-16);
                for (size_t k = 0; k < np; k++)
                    assert_float_equal(J[i * p + 1 + np + k],
                                       (double)(-e[1 + k] / sum * (long double)lnx[k][i]),
                                       1e-15 * fabs(lnx[k][i]));
            }
        }
}

/* A block whose terms would overflow, or whose sum would underflow, gives
 * the log-sum-exp's values; so do NaN terms. */
static void floor_powers_should_factor_out_the_largest_where_needed(void **state)
{
    (void)state;
    static double x0[ROWS], x1[ROWS], lny[ROWS], J[ROWS * 5];
    static const double shift[] = {800.0, -800.0};
    for (size_t s = 0; s < 2; s++) {
        double theta[5];
        fill_floor_powers(2, ROWS, theta, x0, x1, 3);
        theta[0] += shift[s];
        theta[1] += shift[s];
        theta[2] += shift[s];
        const double *lnx[2] = {x0, x1};
        law_floor_powers(2, theta, lnx, ROWS, lny, J);
        for (size_t i = 0; i < ROWS; i++) {
            double t[3][LAW_BLOCK], w[3][LAW_BLOCK], y[LAW_BLOCK];
            t[0][0] = theta[0];
            t[1][0] = theta[1] - theta[3] * x0[i];
            t[2][0] = theta[2] - theta[4] * x1[i];
            law_log_sum(3, 1, t, y, w);
            assert_true(isfinite(lny[i]));
            assert_float_equal(lny[i], y[0], 4e-16 * fabs(y[0]));
            for (size_t k = 0; k < 3; k++) assert_float_equal(J[i * 5 + k], w[k][0], 4e-16);
        }
    }
    double theta[5];
    fill_floor_powers(2, ROWS, theta, x0, x1, 4);
    theta[3] = NAN;
    const double *lnx[2] = {x0, x1};
    law_floor_powers(2, theta, lnx, ROWS, lny, J);
    for (size_t i = 0; i < ROWS; i++) assert_true(isnan(lny[i]));
}

static void floor_powers_should_give_the_baselines_bits(void **state)
{
    (void)state;
    const law_kernels *base = law_kernels_of(1), *wide = law_kernels_of(8);
    if (!wide) {
        print_message("width 8: not in this build or on this processor\n");
        return;
    }
    static double x0[ROWS], x1[ROWS], y1[ROWS], y2[ROWS], J1[ROWS * 5], J2[ROWS * 5];
    for (size_t np = 1; np <= 2; np++)
        for (size_t n = 1; n <= ROWS; n += n < 70 ? 1 : 23) {
            double theta[5];
            fill_floor_powers(np, n, theta, x0, x1, (unsigned)n);
            if (n % 5 == 0) theta[1] += 720.0; /* the log-sum-exp's way */
            const double *lnx[2] = {x0, x1};
            memset(J1, 0, sizeof J1);
            memset(J2, 0, sizeof J2);
            wide->floor_powers(np, theta, lnx, n, y1, n % 2 ? J1 : NULL);
            base->floor_powers(np, theta, lnx, n, y2, n % 2 ? J2 : NULL);
            if (memcmp(y1, y2, n * sizeof *y1) || memcmp(J1, J2, sizeof J1))
                fail_msg("floor powers, %zu terms, %zu rows: not the baseline's bits", np, n);
        }
}

static void the_baseline_should_always_be_there(void **state)
{
    (void)state;
    assert_non_null(law_kernels_of(1));
    assert_int_equal(law_kernels_of(1)->width, 1);
    assert_null(law_kernels_of(4));
    const law_kernels *wide = law_kernels_of(8);
    print_message("width in use %d\n", wide ? wide->width : 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(log_sum_should_give_the_baselines_bits),
        cmocka_unit_test(log_sum_should_be_the_sums_logarithm),
        cmocka_unit_test(curvature_and_softplus_should_give_the_baselines_bits),
        cmocka_unit_test(floor_powers_should_be_the_sums_logarithm),
        cmocka_unit_test(floor_powers_should_factor_out_the_largest_where_needed),
        cmocka_unit_test(floor_powers_should_give_the_baselines_bits),
        cmocka_unit_test(the_baseline_should_always_be_there),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
