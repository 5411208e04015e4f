/* test_vmath.c — SLEEF's vector exp, log, expm1 and log1p as vmath.c calls
 * them, in every width this processor runs (8, 4 and 2 on x86-64, libm
 * elsewhere), not only the widest that vmath.h's functions use: within 1 ulp
 * of libm over the whole range the laws use and at the edges (zeros,
 * subnormals, overflow, infinities, NaN, negatives), and each result the same
 * bits wherever the value sits in the array and whatever its length. */
#include "helpers.h"
#include "law.h"
#include "vmath.h"
#include "vmath_isa.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

typedef void (*array_fn)(double *x, size_t n);

enum { EXP, LOG, EXPM1, LOG1P, NFUNCS };
static const char *const func_names[NFUNCS] = {"exp", "log", "expm1", "log1p"};
static double (*const libm[NFUNCS])(double) = {exp, log, expm1, log1p};

static array_fn func(const vmath_kernels *k, int f)
{
    const array_fn fns[NFUNCS] = {k->vexp, k->vlog, k->vexpm1, k->vlog1p};
    return fns[f];
}

/* The widths to test: those this build and processor run. */
static const int widths[] = {8, 4, 2, 1};
#define NWIDTHS (sizeof widths / sizeof widths[0])

typedef struct range {
    int f;
    double lo, hi; /* the range tested, spaced evenly in value or in log */
    bool log_spaced;
} range;

static const range ranges[] = {
    {EXP, -745.2, 709.8, false},
    {EXP, -1e-6, 1e-6, false},
    {LOG, 1e-300, 1e300, true},
    {LOG, 0.5, 3.5, false},
    {LOG, 4.9406564584124654e-324, 2.2250738585072014e-308, true}, /* subnormals */
    {LOG, 1e300, DBL_MAX, true},
    {EXPM1, -40.0, 709.7, false},
    {EXPM1, -1e-3, 1e-3, false},
    {EXPM1, 1e-300, 1.0, true},
    {LOG1P, -0.999, 1e300, false},
    {LOG1P, 1e-300, 1.0, true},
    {LOG1P, -1.0 + 0x1p-53, -0.5, false},
};

#define POINTS 20011 /* odd, so every width ends on a short tail */

static double point(const range *r, size_t i)
{
    double t = (double)i / (POINTS - 1);
    return r->log_spaced ? exp(log(r->lo) + t * (log(r->hi) - log(r->lo)))
                         : r->lo + t * (r->hi - r->lo);
}

/* Distance in units in the last place of want (of the smallest subnormal at
 * zero); 0 for two NaNs or equal infinities. */
static double ulps(double got, double want)
{
    if (got == want || (isnan(got) && isnan(want))) return 0;
    if (isnan(got) || isnan(want) || isinf(want) || isinf(got)) return INFINITY;
    double ulp = want == 0 ? DBL_TRUE_MIN : nextafter(fabs(want), INFINITY) - fabs(want);
    return fabs(got - want) / ulp;
}

/* Runs fn over in[0..n) and fails where a result is more than 1 ulp from
 * libm's; returns the worst. */
static double check_values(const vmath_kernels *k, int f, const double *in, size_t n,
                           const char *what)
{
    static double x[POINTS];
    memcpy(x, in, n * sizeof *x);
    func(k, f)(x, n);
    double worst = 0;
    for (size_t i = 0; i < n; i++) {
        double want = libm[f](in[i]), e = ulps(x[i], want);
        if (e > 1)
            fail_msg("%s (width %d, %s) at %a: %a, libm %a (%.2f ulp)", func_names[f], k->width,
                     what, in[i], x[i], want, e);
        worst = fmax(worst, e);
    }
    return worst;
}

static void every_width_should_be_within_1_ulp_of_libm(void **state)
{
    (void)state;
    static double in[POINTS];
    for (size_t w = 0; w < NWIDTHS; w++) {
        const vmath_kernels *k = vmath_kernels_of(widths[w]);
        if (!k) continue;
        for (size_t r = 0; r < sizeof ranges / sizeof ranges[0]; r++) {
            for (size_t i = 0; i < POINTS; i++) in[i] = point(&ranges[r], i);
            double worst = check_values(k, ranges[r].f, in, POINTS, "range");
            print_message("width %d %-5s [%g, %g] worst %.2f ulp\n", k->width,
                          func_names[ranges[r].f], ranges[r].lo, ranges[r].hi, worst);
        }
    }
}

/* The widest width, the one vmath.h's functions use, is among those tested. */
static void the_width_in_use_should_be_the_widest_tested(void **state)
{
    (void)state;
    int widest = 0;
    for (size_t w = 0; w < NWIDTHS && !widest; w++)
        if (vmath_kernels_of(widths[w])) widest = widths[w];
    assert_int_equal(vmath_width(), widest);
#ifdef __x86_64__
    assert_non_null(vmath_kernels_of(2));
    assert_true(widest >= 2);
#else
    assert_int_equal(widest, 1);
#endif
    print_message("width in use %d\n", widest);
}

/* Each function's edges: zeros, subnormals, the ends of the finite range,
 * where results overflow or underflow, infinities, NaN, and outside the
 * domain; up to the two limits where SLEEF leaves libm (the next test). */
static const double edge_exp[] = {0.0,          -0.0,
                                  DBL_TRUE_MIN, -DBL_TRUE_MIN,
                                  DBL_MIN,      -DBL_MIN,
                                  1e-300,       1.0,
                                  -1.0,         0x1.62e42fe102c83p+9 /* SLEEF's largest finite */,
                                  709.79,       710.0,
                                  -708.39,      -745.13,
                                  -745.14,      -745.2,
                                  -746.0,       -1000.0,
                                  1e300,        -1e300,
                                  DBL_MAX,      -DBL_MAX,
                                  INFINITY,     -INFINITY,
                                  NAN};
static const double edge_log[] = {0.0,
                                  -0.0,
                                  DBL_TRUE_MIN,
                                  2 * DBL_TRUE_MIN,
                                  DBL_MIN,
                                  0x0.fffffffffffffp-1022,
                                  1.0,
                                  0x1.fffffffffffffp-1,
                                  0x1.0000000000001p+0,
                                  2.0,
                                  0.5,
                                  1e-300,
                                  1e300,
                                  DBL_MAX,
                                  INFINITY,
                                  -INFINITY,
                                  -1.0,
                                  -DBL_TRUE_MIN,
                                  -DBL_MAX,
                                  NAN};
static const double edge_expm1[] = {0.0,     -0.0,     DBL_TRUE_MIN, -DBL_TRUE_MIN, DBL_MIN, 1e-300,
                                    -1e-300, 1e-10,    -1e-10,       0.5,           -0.5,    1.0,
                                    -40.0,   -1000.0,  709.78,       709.79,        710.0,   1e300,
                                    DBL_MAX, -DBL_MAX, INFINITY,     -INFINITY,     NAN};
static const double edge_log1p[] = {
    0.0,     -0.0,  DBL_TRUE_MIN, -DBL_TRUE_MIN, DBL_MIN,        -DBL_MIN,  1e-300,
    -1e-300, 1e-10, -1e-10,       -0.5,          -1.0 + 0x1p-53, -1.0,      -1.0 - 0x1p-52,
    -2.0,    1.0,   1e300,        1e307,         INFINITY,       -INFINITY, NAN};

typedef struct edges {
    const double *v;
    size_t n;
} edges;

#define EDGES(a)                                                                                   \
    {                                                                                              \
        a, sizeof a / sizeof a[0]                                                                  \
    }

static edges edges_of(int f)
{
    const edges all[NFUNCS] = {EDGES(edge_exp), EDGES(edge_log), EDGES(edge_expm1),
                               EDGES(edge_log1p)};
    return all[f];
}

static void edge_values_should_be_within_1_ulp_of_libm(void **state)
{
    (void)state;
    for (size_t w = 0; w < NWIDTHS; w++) {
        const vmath_kernels *k = vmath_kernels_of(widths[w]);
        if (!k) continue;
        for (int f = 0; f < NFUNCS; f++) {
            edges e = edges_of(f);
            /* alone, so each meets the short-tail path too */
            for (size_t i = 0; i < e.n; i++) check_values(k, f, e.v + i, 1, "edge alone");
            check_values(k, f, e.v, e.n, "edges");
        }
    }
}

/* Where SLEEF's answers leave libm's, the same in every width: exp is
 * infinite from 0x1.62e42fe102c84p+9 (709.7827111495575), some 1.7e-6 below
 * libm's overflow, and log1p is infinite above 1e307.  Neither is in the reach
 * of a law's values, which are far from DBL_MAX. */
static void sleef_limits_should_be_the_known_ones(void **state)
{
    (void)state;
    const double exp_last = 0x1.62e42fe102c83p+9, log1p_last = 1e307;
    assert_true(isfinite(exp(nextafter(exp_last, INFINITY))));
    for (size_t w = 0; w < NWIDTHS; w++) {
        const vmath_kernels *k = vmath_kernels_of(widths[w]);
        if (!k || k->width == 1) continue;
        double x[2] = {exp_last, nextafter(exp_last, INFINITY)};
        k->vexp(x, 2);
        assert_true(isfinite(x[0]) && x[1] == INFINITY);
        double y[2] = {log1p_last, nextafter(log1p_last, INFINITY)};
        k->vlog1p(y, 2);
        assert_true(isfinite(y[0]) && y[1] == INFINITY);
    }
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

/* Inputs for the position tests: each function's edges, then ordinary
 * values in its domain. */
enum { NIN = 48, MAXLEN = 17 };

static void position_inputs(int f, double in[NIN])
{
    edges e = edges_of(f);
    for (size_t i = 0; i < NIN; i++)
        in[i] = i < e.n ? e.v[i] : (f == LOG ? 0.37 : 1.0) * (double)(i - e.n + 1) / 3.0 - 0.31;
}

/* A law split into blocks of rows, or among threads, gives the same bits as
 * over all rows at once: in every width, a value's result does not depend on
 * where it sits or on the length of the array (0 to 17, every tail), and
 * nothing outside the array is written. */
static void results_should_not_depend_on_position_or_length(void **state)
{
    (void)state;
    const uint64_t guard_bits = 0x7ff4deadbeef5a1dULL; /* a signalling NaN */
    double guard;
    memcpy(&guard, &guard_bits, sizeof guard);
    for (size_t w = 0; w < NWIDTHS; w++) {
        const vmath_kernels *k = vmath_kernels_of(widths[w]);
        if (!k) continue;
        for (int f = 0; f < NFUNCS; f++) {
            double in[NIN], all[NIN];
            position_inputs(f, in);
            memcpy(all, in, sizeof all);
            func(k, f)(all, NIN);
            for (size_t len = 0; len <= MAXLEN; len++)
                for (size_t from = 0; from + len <= NIN; from++) {
                    double buf[MAXLEN + 2];
                    for (size_t i = 0; i < MAXLEN + 2; i++) buf[i] = guard;
                    memcpy(buf + 1, in + from, len * sizeof *buf);
                    func(k, f)(buf + 1, len);
                    if (memcmp(buf + 1, all + from, len * sizeof *buf))
                        fail_msg("%s width %d: values %zu..%zu alone differ from all at once",
                                 func_names[f], k->width, from, from + len);
                    for (size_t i = 0; i < MAXLEN + 2; i++)
                        if ((i == 0 || i > len) && memcmp(&buf[i], &guard, sizeof guard))
                            fail_msg("%s width %d, length %zu: wrote outside the array",
                                     func_names[f], k->width, len);
                }
        }
    }
}

/* vmath.h's functions are the widest kernels', bit for bit. */
static void each_function_should_be_the_widest_kernel(void **state)
{
    (void)state;
    const array_fn public[NFUNCS] = {vmath_exp, vmath_log, vmath_expm1, vmath_log1p};
    const vmath_kernels *k = vmath_kernels_of(vmath_width());
    assert_non_null(k);
    for (int f = 0; f < NFUNCS; f++) {
        double in[NIN], a[NIN], b[NIN];
        position_inputs(f, in);
        memcpy(a, in, sizeof a);
        memcpy(b, in, sizeof b);
        public[f](a, NIN);
        func(k, f)(b, NIN);
        assert_memory_equal(a, b, sizeof a);
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
        cmocka_unit_test(every_width_should_be_within_1_ulp_of_libm),
        cmocka_unit_test(the_width_in_use_should_be_the_widest_tested),
        cmocka_unit_test(edge_values_should_be_within_1_ulp_of_libm),
        cmocka_unit_test(sleef_limits_should_be_the_known_ones),
        cmocka_unit_test(special_values_should_be_libms),
        cmocka_unit_test(results_should_not_depend_on_position_or_length),
        cmocka_unit_test(each_function_should_be_the_widest_kernel),
        cmocka_unit_test(log_sum_of_two_should_match_every_term_exponentiated),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
