/* test_optimal.c — the compute-optimal allocation (closed form and the
 * numeric path, which must agree), the frontier's D/N, and the inverse:
 * least compute or size for a target loss, round trips, unreachable
 * targets. */
#include "forecast.h"
#include "helpers.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const double chinchilla_truth[5] = {1.69, 406.4, 410.7, 0.34, 0.28};

static slaw_artifact *fit(const char *law, const double *truth, double noise, size_t points,
                          size_t bootstrap)
{
    slaw_fit_options opt;
    slaw_fit_options_init(&opt);
    opt.law = law;
    opt.bootstrap = bootstrap;
    opt.seed = 11;
    return fit_simulated(&opt, truth, noise, 5, points);
}

static void values(const slaw_fit *f, double *v)
{
    for (size_t j = 0; j < slaw_law_param_count(slaw_fit_law(f)); j++) v[j] = slaw_fit_value(f, j);
}

static slaw_optimum optimum(const slaw_fit *f, double C, const slaw_forecast_options *opt)
{
    slaw_optimum o;
    slaw_error err;
    if (slaw_optimal_compute(f, C, opt, &o, &err) != SLAW_OK) fail_msg("%s", err.message);
    return o;
}

static slaw_target target(const slaw_fit *f, double L)
{
    slaw_target t;
    slaw_error err;
    if (slaw_optimal_target(f, L, NULL, &t, &err) != SLAW_OK) fail_msg("%s", err.message);
    return t;
}

/* Hoffmann et al.'s closed form, computed here from the fit's values. */
static void closed_form(const slaw_fit *f, double C, double *n, double *d)
{
    double A = slaw_fit_value(f, 1), B = slaw_fit_value(f, 2);
    double alpha = slaw_fit_value(f, 3), beta = slaw_fit_value(f, 4), s = alpha + beta;
    double G = pow(alpha * A / (beta * B), 1 / s);
    *n = G * pow(C / 6, beta / s);
    *d = pow(C / 6, alpha / s) / G;
}

static void the_optimum_should_be_hoffmanns_closed_form(void **state)
{
    (void)state;
    slaw_artifact *a = fit("chinchilla", chinchilla_truth, 0.01, 6, 0);
    const slaw_fit *f = slaw_artifact_fit(a, 0);
    double n, d;
    closed_form(f, 5.76e23, &n, &d);
    slaw_optimum o = optimum(f, 5.76e23, NULL);
    assert_true(o.closed_form);
    assert_close(o.N.value, n, 1e-12);
    assert_close(o.D.value, d, 1e-12);
    assert_close(o.ratio.value, d / n, 1e-12);
    assert_close(6 * o.N.value * o.D.value, 5.76e23, 1e-12);
    double v[5], lnx[2] = {log(n), log(d)};
    values(f, v);
    assert_close(o.L.value, exp(law_ln_eval(slaw_fit_law(f), v, lnx)), 1e-12);
    assert_true(o.N.lo < n && n < o.N.hi && o.L.lo < o.L.value && o.L.value < o.L.hi);
    assert_true(o.pi_lo < o.L.lo && o.pi_hi > o.L.hi);
    /* The frontier's tokens per parameter follow from the closed form. */
    for (double C = 1e18; C <= 1e26; C *= 10) {
        double G = slaw_fit_derived(f, 2, NULL), s = slaw_fit_value(f, 3) + slaw_fit_value(f, 4);
        double ratio = pow(C / 6, (slaw_fit_value(f, 3) - slaw_fit_value(f, 4)) / s) / (G * G);
        assert_close(optimum(f, C, NULL).ratio.value, ratio, 1e-12);
    }
    /* At Chinchilla's budget the ratio is the fit's derived D/N. */
    assert_close(o.ratio.value, slaw_fit_derived(f, 3, NULL), 1e-12);
    slaw_artifact_free(a);
}

static void the_numeric_path_should_agree_with_the_closed_form(void **state)
{
    (void)state;
    slaw_artifact *a = fit("chinchilla", chinchilla_truth, 0.01, 6, 0);
    const slaw_law *law = slaw_fit_law(slaw_artifact_fit(a, 0));
    double v[5], n1, d1, n2, d2;
    values(slaw_artifact_fit(a, 0), v);
    for (double C = 1e16; C <= 1e30; C *= 10) {
        assert_true(optimum_of(law, v, C, &n1, &d1));
        assert_true(optimum_numeric(law, v, C, &n2, &d2));
        assert_close(n2, n1, 1e-9);
        assert_close(d2, d1, 1e-9);
    }
    /* Other parameters too, e.g. the paper's and a lopsided law. */
    double others[2][5] = {{1.69, 406.4, 410.7, 0.34, 0.28}, {2.0, 50, 8000, 0.6, 0.2}};
    for (int k = 0; k < 2; k++) {
        assert_true(optimum_of(law, others[k], 3e21, &n1, &d1));
        assert_true(optimum_numeric(law, others[k], 3e21, &n2, &d2));
        assert_close(n2, n1, 1e-9);
    }
    slaw_artifact_free(a);
}

/* Kaplan's law has no closed form in slaw, but one by hand: along the
 * budget L^(1/aD) = (Nc/N)^r + 6 Dc N / C with r = aN/aD, least where
 * N^(r+1) = r Nc^r C / (6 Dc). */
static void the_numeric_path_should_find_kaplans_optimum(void **state)
{
    (void)state;
    double truth[4] = {8.8e13, 5.4e13, 0.076, 0.095};
    slaw_artifact *a = fit("kaplan", truth, 0.005, 5, 0);
    const slaw_fit *f = slaw_artifact_fit(a, 0);
    double Nc = slaw_fit_value(f, 0), Dc = slaw_fit_value(f, 1);
    double r = slaw_fit_value(f, 2) / slaw_fit_value(f, 3);
    for (double C = 1e18; C <= 1e26; C *= 100) {
        slaw_optimum o = optimum(f, C, NULL);
        assert_false(o.closed_form);
        assert_close(o.N.value, pow(r * pow(Nc, r) * C / (6 * Dc), 1 / (r + 1)), 1e-9);
        assert_close(6 * o.N.value * o.D.value, C, 1e-12);
    }
    slaw_artifact_free(a);
}

static void bootstrap_optima_should_be_percentiles_of_the_samples(void **state)
{
    (void)state;
    slaw_artifact *a = fit("chinchilla", chinchilla_truth, 0.02, 6, 100);
    const slaw_fit *f = slaw_artifact_fit(a, 0);
    size_t B = slaw_fit_bootstrap_count(f);
    double *n = malloc(B * sizeof *n), lo, hi;
    for (size_t b = 0; b < B; b++) {
        const double *s = slaw_fit_bootstrap_sample(f, b);
        double G = pow(s[3] * s[1] / (s[4] * s[2]), 1 / (s[3] + s[4]));
        n[b] = G * pow(1e23 / 6, s[4] / (s[3] + s[4]));
    }
    /* The 2.5% and 97.5% points, GSL's interpolation. */
    for (size_t i = 1; i < B; i++)
        for (size_t j = i; j > 0 && n[j - 1] > n[j]; j--) {
            double t = n[j];
            n[j] = n[j - 1];
            n[j - 1] = t;
        }
    double pos = 0.025 * (double)(B - 1);
    lo = n[(size_t)pos] + (pos - floor(pos)) * (n[(size_t)pos + 1] - n[(size_t)pos]);
    pos = 0.975 * (double)(B - 1);
    hi = n[(size_t)pos] + (pos - floor(pos)) * (n[(size_t)pos + 1] - n[(size_t)pos]);
    slaw_optimum o = optimum(f, 1e23, NULL);
    assert_int_equal(o.method, SLAW_INTERVAL_BOOTSTRAP);
    assert_close(o.N.lo, lo, 1e-12);
    assert_close(o.N.hi, hi, 1e-12);
    free(n);
    slaw_artifact_free(a);
}

static void the_inverse_of_an_optimum_should_return_its_budget(void **state)
{
    (void)state;
    slaw_artifact *a = fit("chinchilla", chinchilla_truth, 0.02, 6, 100);
    const slaw_fit *f = slaw_artifact_fit(a, 0);
    for (double C = 1e19; C <= 1e27; C *= 100) {
        slaw_optimum o = optimum(f, C, NULL);
        slaw_target t = target(f, o.L.value);
        assert_true(t.reachable);
        assert_close(t.C.value, C, 1e-9);
        assert_close(t.N.value, o.N.value, 1e-9);
        assert_close(t.D.value, o.D.value, 1e-9);
        assert_true(t.C.lo < C && C < t.C.hi);
        assert_true(isnan(t.x.value));
    }
    slaw_artifact_free(a);
    /* The numeric path (kaplan) round-trips as well. */
    double truth[4] = {8.8e13, 5.4e13, 0.076, 0.095};
    a = fit("kaplan", truth, 0.005, 5, 0);
    slaw_optimum o = optimum(slaw_artifact_fit(a, 0), 1e24, NULL);
    slaw_target t = target(slaw_artifact_fit(a, 0), o.L.value);
    assert_close(t.C.value, 1e24, 1e-9);
    assert_close(t.N.value, o.N.value, 1e-9);
    slaw_artifact_free(a);
}

static void the_inverse_of_a_forecast_should_return_its_point(void **state)
{
    (void)state;
    static const struct {
        const char *law;
        double truth[3];
    } laws[] = {{"saturating", {1.8, 380, 0.32}}, {"power", {3.2e-13, 1.5, 0}}};
    for (size_t k = 0; k < 2; k++) {
        slaw_artifact *a = fit(laws[k].law, laws[k].truth, 0.01, 12, 0);
        const slaw_fit *f = slaw_artifact_fit(a, 0);
        for (double x = 1e6; x <= 1e14; x *= 10) {
            slaw_forecast fc;
            slaw_error err;
            assert_int_equal(slaw_forecast_at(f, &x, NULL, &fc, &err), SLAW_OK);
            slaw_target t = target(f, fc.y.value);
            assert_true(t.reachable);
            assert_close(t.x.value, x, 1e-9);
            assert_true(isnan(t.C.value) && isnan(t.N.value));
        }
        slaw_artifact_free(a);
    }
}

static void a_target_at_or_below_the_floor_should_be_unreachable(void **state)
{
    (void)state;
    slaw_artifact *a = fit("chinchilla", chinchilla_truth, 0.02, 6, 100);
    const slaw_fit *f = slaw_artifact_fit(a, 0);
    double E = slaw_fit_value(f, 0);
    slaw_target t = target(f, E * 0.99);
    assert_false(t.reachable);
    assert_close(t.floor, E, 1e-12);
    assert_true(isnan(t.C.value) && isnan(t.N.value) && isnan(t.D.value));
    t = target(f, E);
    assert_false(t.reachable);
    /* Just above the floor: reachable, but some samples never get there. */
    t = target(f, E * 1.001);
    assert_true(t.reachable);
    assert_true(t.unreachable > 0 && isinf(t.C.hi));
    slaw_artifact_free(a);
    a = fit("saturating", (double[]){1.8, 380, 0.32}, 0.01, 12, 0);
    t = target(slaw_artifact_fit(a, 0), 1.7);
    assert_false(t.reachable);
    assert_close(t.floor, slaw_fit_value(slaw_artifact_fit(a, 0), 0), 1e-12);
    slaw_artifact_free(a);
}

static void bad_optimum_requests_should_be_refused(void **state)
{
    (void)state;
    slaw_artifact *a = fit("saturating", (double[]){1.8, 380, 0.32}, 0.01, 12, 0);
    slaw_optimum o;
    slaw_target t;
    slaw_error err;
    assert_int_equal(slaw_optimal_compute(slaw_artifact_fit(a, 0), 1e23, NULL, &o, &err),
                     SLAW_EUSAGE);
    assert_non_null(
        strstr(err.message, "law saturating reads x: it has no compute budget to share"));
    assert_int_equal(slaw_optimal_target(slaw_artifact_fit(a, 0), -1, NULL, &t, &err), SLAW_EUSAGE);
    slaw_artifact_free(a);
    /* A law whose loss grows with N has no interior optimum. */
    const char *fix[] = {"alpha=-0.1"};
    slaw_fit_options opt;
    slaw_fit_options_init(&opt);
    opt.law = "chinchilla";
    opt.fix = fix;
    opt.n_fix = 1;
    a = fit_simulated(&opt, chinchilla_truth, 0.01, 5, 6);
    assert_int_equal(slaw_optimal_compute(slaw_artifact_fit(a, 0), 1e23, NULL, &o, &err),
                     SLAW_EINPUT);
    assert_non_null(strstr(err.message, "no compute-optimal allocation at C = 1e+23"));
    double v[5], n, d;
    values(slaw_artifact_fit(a, 0), v);
    assert_false(optimum_numeric(slaw_fit_law(slaw_artifact_fit(a, 0)), v, 1e23, &n, &d));
    assert_int_equal(slaw_optimal_compute(slaw_artifact_fit(a, 0), 0, NULL, &o, &err), SLAW_EUSAGE);
    slaw_artifact_free(a);
}

/* The least loss at budget C for natural parameters p. */
static double least_loss(const slaw_law *law, const double *p, double C)
{
    double n, d;
    assert_true(optimum_of(law, p, C, &n, &d));
    double v[2] = {n, d};
    return slaw_law_eval(law, p, v);
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* A target the optimum at the least budget searched (600 FLOPs) already
 * reaches is refused with that reason; samples that reach it there are kept
 * (at 600 FLOPs, the smallest answer), not dropped as failures. */
static void a_target_reached_at_the_least_budget_should_say_so(void **state)
{
    (void)state;
    slaw_artifact *a = fit("chinchilla", chinchilla_truth, 0.05, 6, 40);
    const slaw_fit *f = slaw_artifact_fit(a, 0);
    const slaw_law *law = slaw_fit_law(f);
    double p[5], at600[40];
    size_t B = slaw_fit_bootstrap_count(f);
    assert_int_equal(B, 40);
    values(f, p);
    double own = least_loss(law, p, 600);

    slaw_target t;
    slaw_error err;
    assert_int_equal(slaw_optimal_target(f, 2 * own, NULL, &t, &err), SLAW_EINPUT);
    if (!strstr(err.message, "reached already at C = 600 FLOPs, the smallest budget searched"))
        fail_msg("'%s'", err.message);

    /* A target between the samples' least losses at 600 FLOPs, still above
     * the point's: the point finds a budget, a quarter of the samples are
     * below 600 FLOPs. */
    for (size_t b = 0; b < B; b++) at600[b] = least_loss(law, slaw_fit_bootstrap_sample(f, b), 600);
    qsort(at600, B, sizeof *at600, by_value);
    double goal = at600[B / 4];
    assert_true(goal < own); /* the point's own least loss at 600 is not below it */
    t = target(f, goal);
    assert_true(t.reachable && t.C.value > 600);
    assert_int_equal(t.samples, B); /* none dropped */
    assert_int_equal(t.unreachable, 0);
    assert_close(t.C.lo, 600, 1e-12); /* the lower percentile sits among them */
    assert_true(t.C.hi > t.C.value);
    slaw_artifact_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_optimum_should_be_hoffmanns_closed_form),
        cmocka_unit_test(the_numeric_path_should_agree_with_the_closed_form),
        cmocka_unit_test(the_numeric_path_should_find_kaplans_optimum),
        cmocka_unit_test(bootstrap_optima_should_be_percentiles_of_the_samples),
        cmocka_unit_test(the_inverse_of_an_optimum_should_return_its_budget),
        cmocka_unit_test(the_inverse_of_a_forecast_should_return_its_point),
        cmocka_unit_test(a_target_at_or_below_the_floor_should_be_unreachable),
        cmocka_unit_test(bad_optimum_requests_should_be_refused),
        cmocka_unit_test(a_target_reached_at_the_least_budget_should_say_so),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
