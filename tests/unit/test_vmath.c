/* test_vmath.c — SLEEF's vector exp, log, expm1 and log1p as vmath.c calls
 * them: within 2 ulp of libm (SLEEF's bound is 1 ulp, libm's under 1) over
 * the whole range the laws use, libm's answers at the special values, and
 * each result the same bits wherever the value sits in the array, in every
 * width the processor runs. */
#include "helpers.h"
#include "law.h"
#include "vmath.h"
#include "vmath_isa.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

typedef void (*array_fn)(double *x, size_t n);

typedef struct kernel {
    const char *name;
    array_fn fn;
    double (*libm)(double);
    double lo, hi; /* the range tested, spaced evenly in value or in log */
    bool log_spaced;
} kernel;

static const kernel kernels[] = {
    {"exp", vmath_exp, exp, -745.0, 709.0, false},
    {"log", vmath_log, log, 1e-300, 1e300, true},
    {"log near 1", vmath_log, log, 0.5, 3.5, false},
    {"expm1", vmath_expm1, expm1, -40.0, 700.0, false},
    {"log1p", vmath_log1p, log1p, -0.999, 1e300, false},
    {"log1p small", vmath_log1p, log1p, 1e-300, 1.0, true},
};

#define POINTS 20011 /* odd, so every width ends on a short tail */

static double point(const kernel *k, size_t i)
{
    double t = (double)i / (POINTS - 1);
    return k->log_spaced ? exp(log(k->lo) + t * (log(k->hi) - log(k->lo)))
                         : k->lo + t * (k->hi - k->lo);
}

/* Distance in units in the last place of want. */
static double ulps(double got, double want)
{
    if (got == want) return 0;
    if (!isfinite(want) || want == 0) return INFINITY;
    return fabs(got - want) / (nextafter(fabs(want), INFINITY) - fabs(want));
}

static void check_accuracy(const kernel *k, array_fn fn, const char *width)
{
    static double x[POINTS];
    double worst = 0;
    for (size_t i = 0; i < POINTS; i++) x[i] = point(k, i);
    fn(x, POINTS);
    for (size_t i = 0; i < POINTS; i++) {
        double in = point(k, i), want = k->libm(in), e = ulps(x[i], want);
        if (want != 0 && fabs(want) < DBL_MIN)
            e = fabs(x[i] - want) <= DBL_MIN * DBL_EPSILON ? 0 : e;
        if (e > 2) fail_msg("%s (%s) at %.17g: %.17g, libm %.17g", k->name, width, in, x[i], want);
        worst = fmax(worst, e);
    }
    print_message("%-12s %-5s worst %.2f ulp\n", k->name, width, worst);
}

static void every_kernel_should_be_within_2_ulp_of_libm(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof kernels / sizeof kernels[0]; k++)
        check_accuracy(&kernels[k], kernels[k].fn, "used");
}

/* Every width the processor runs, not only the one in use. */
static void every_width_should_be_within_2_ulp_of_libm(void **state)
{
    (void)state;
#ifdef __x86_64__
    static const array_fn sse2[] = {vmath_exp_sse2,   vmath_log_sse2,   vmath_log_sse2,
                                    vmath_expm1_sse2, vmath_log1p_sse2, vmath_log1p_sse2};
    static const array_fn avx2[] = {vmath_exp_avx2,   vmath_log_avx2,   vmath_log_avx2,
                                    vmath_expm1_avx2, vmath_log1p_avx2, vmath_log1p_avx2};
    for (size_t k = 0; k < sizeof kernels / sizeof kernels[0]; k++) {
        check_accuracy(&kernels[k], sse2[k], "sse2");
        if (vmath_width() == 4) check_accuracy(&kernels[k], avx2[k], "avx2");
    }
#else
    skip();
#endif
}

static void special_values_should_be_libms(void **state)
{
    (void)state;
    double x[] = {-INFINITY, -1000.0, 0.0, INFINITY, NAN, 800.0};
    vmath_exp(x, 6);
    assert_true(x[0] == 0 && x[1] == 0 && x[2] == 1 && x[3] == INFINITY && isnan(x[4]));
    assert_true(x[5] == INFINITY);
    double y[] = {0.0, -1.0, INFINITY, NAN, 1.0};
    vmath_log(y, 5);
    assert_true(y[0] == -INFINITY && isnan(y[1]) && y[2] == INFINITY && isnan(y[3]) && y[4] == 0);
    double z[] = {-1.0, 0.0, -2.0};
    vmath_log1p(z, 3);
    assert_true(z[0] == -INFINITY && z[1] == 0 && isnan(z[2]));
    double w[] = {-INFINITY, 0.0};
    vmath_expm1(w, 2);
    assert_true(w[0] == -1 && w[1] == 0);
}

/* A law split into blocks of rows, or among threads, gives the same bits as
 * over all rows at once: a value's result does not depend on where it sits. */
static void results_should_not_depend_on_position_or_length(void **state)
{
    (void)state;
    enum { N = 37 };
    double all[N], in[N];
    for (size_t i = 0; i < N; i++) in[i] = all[i] = -0.37 * (double)i + 0.01 * (double)(i * i % 7);
    vmath_exp(all, N);
    for (size_t from = 0; from < N; from++)
        for (size_t len = 1; from + len <= N && len <= 9; len++) {
            double part[9];
            memcpy(part, in + from, len * sizeof *part);
            vmath_exp(part, len);
            assert_memory_equal(part, all + from, len * sizeof *part);
        }
}

/* law_log_sum of two terms takes one exp a row (the larger term's is 1):
 * the same bits, weights and NaNs as e^(t_k - top) for each term, at ties,
 * infinities, NaNs and gaps. */
static void log_sum_of_two_should_match_every_term_exponentiated(void **state)
{
    (void)state;
    /* 8 values, 64 pairs: one block */
    const double v[] = {0.0, -0.0, 1.5, -745.5, 700.0, INFINITY, -INFINITY, NAN};
    const size_t nv = sizeof v / sizeof *v;
    double t[2][LAW_BLOCK], w[2][LAW_BLOCK], lny[LAW_BLOCK];
    size_t m = 0;
    for (size_t a = 0; a < nv; a++)
        for (size_t b = 0; b < nv; b++, m++) {
            t[0][m] = v[a];
            t[1][m] = v[b];
        }
    double t0[LAW_BLOCK], t1[LAW_BLOCK];
    memcpy(t0, t[0], sizeof t0);
    memcpy(t1, t[1], sizeof t1);
    law_log_sum(2, m, t, lny, w);
    for (size_t i = 0; i < m; i++) {
        double top = t1[i] > t0[i] ? t1[i] : t0[i], e[2] = {t0[i] - top, t1[i] - top};
        vmath_exp(e, 2);
        double sum[1] = {e[0] + e[1]}, w0 = e[0] * (1.0 / sum[0]), w1 = e[1] * (1.0 / sum[0]);
        vmath_log(sum, 1);
        double want = top + sum[0];
        const double got[3] = {lny[i], w[0][i], w[1][i]}, ref[3] = {want, w0, w1};
        for (int k = 0; k < 3; k++) {
            if (isnan(ref[k])) {
                assert_true(isnan(got[k]));
            } else if (memcmp(&got[k], &ref[k], sizeof got[k])) {
                fail_msg("terms %g %g: value %d is %a, not %a", t0[i], t1[i], k, got[k], ref[k]);
            }
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_kernel_should_be_within_2_ulp_of_libm),
        cmocka_unit_test(every_width_should_be_within_2_ulp_of_libm),
        cmocka_unit_test(special_values_should_be_libms),
        cmocka_unit_test(results_should_not_depend_on_position_or_length),
        cmocka_unit_test(log_sum_of_two_should_match_every_term_exponentiated),
    };
    print_message("vector width in use: %d\n", vmath_width());
    return cmocka_run_group_tests(tests, NULL, NULL);
}
