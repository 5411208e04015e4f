/* test_forecast.c — point forecasts: values and intervals against hand
 * computations from the fit's parameters, covariance and samples; the
 * extrapolation distance; delta method and bootstrap in agreement. */
#include "helpers.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define Z95 1.959963984540054 /* the standard normal's 0.975 quantile */
#define Z90 1.6448536269514722
#define T95_8 2.306004135204166 /* Student t on 8 degrees of freedom, its 0.975 quantile */

static const double chinchilla_truth[5] = {1.69, 406.4, 410.7, 0.34, 0.28};
static const double saturating_truth[3] = {1.8, 380, 0.32};

static slaw_artifact *fit(const char *law, const double *truth, double noise, size_t points,
                          size_t bootstrap, slaw_space space)
{
    slaw_fit_options opt;
    slaw_fit_options_init(&opt);
    opt.law = law;
    opt.space = space;
    opt.bootstrap = bootstrap;
    opt.seed = 7;
    return fit_simulated(&opt, truth, noise, 3, points);
}

static slaw_forecast forecast(const slaw_fit *f, const slaw_forecast_options *opt, double x0,
                              double x1)
{
    double vars[2] = {x0, x1};
    slaw_forecast fc;
    slaw_error err;
    if (slaw_forecast_at(f, vars, opt, &fc, &err) != SLAW_OK) fail_msg("%s", err.message);
    return fc;
}

static void forecasts_should_be_the_law_at_the_point(void **state)
{
    (void)state;
    slaw_artifact *a = fit("chinchilla", chinchilla_truth, 0.01, 6, 0, SLAW_SPACE_LOG);
    const slaw_fit *f = slaw_artifact_fit(a, 0);
    double E = slaw_fit_value(f, 0), A = slaw_fit_value(f, 1), B = slaw_fit_value(f, 2);
    double alpha = slaw_fit_value(f, 3), beta = slaw_fit_value(f, 4);
    slaw_forecast fc = forecast(f, NULL, 70e9, 1.4e12);
    assert_close(fc.y.value, E + A / pow(70e9, alpha) + B / pow(1.4e12, beta), 1e-13);
    assert_true(fc.N == 70e9 && fc.D == 1.4e12 && fc.C == 6 * 70e9 * 1.4e12);
    assert_true(isnan(fc.x));
    assert_int_equal(fc.method, SLAW_INTERVAL_T); /* the default without samples */
    assert_true(fc.y.lo < fc.y.value && fc.y.value < fc.y.hi);
    assert_true(fc.pi_lo < fc.y.lo && fc.y.hi < fc.pi_hi);
    assert_true(fc.level == 0.95);
    slaw_artifact_free(a);
}

/* ln y = ln k + p ln x: var(ln y) = var(k)/k² + 2 ln x cov(k, p)/k + ln² x var(p). */
static void delta_intervals_should_match_the_hand_computation_in_log_space(void **state)
{
    (void)state;
    double truth[2] = {3.2e-13, 1.5};
    slaw_artifact *a = fit("power", truth, 0.03, 10, 0, SLAW_SPACE_LOG);
    const slaw_fit *f = slaw_artifact_fit(a, 0);
    const double *cov = slaw_fit_covariance(f);
    slaw_fit_stats st;
    slaw_fit_get_stats(f, &st);
    double k = slaw_fit_value(f, 0), p = slaw_fit_value(f, 1), x = 7e10, lx = log(x);
    double var = cov[0] / (k * k) + 2 * lx * cov[1] / k + lx * lx * cov[3];
    double y = k * pow(x, p);
    slaw_forecast_options opt;
    slaw_forecast_options_init(&opt, a);
    opt.method = SLAW_INTERVAL_DELTA;
    slaw_forecast fc = forecast(f, &opt, x, 0);
    assert_close(fc.y.value, y, 1e-13);
    assert_true(fc.x == x && isnan(fc.N));
    assert_int_equal(fc.method, SLAW_INTERVAL_DELTA);
    assert_close(fc.y.lo, y * exp(-Z95 * sqrt(var)), 1e-7);
    assert_close(fc.y.hi, y * exp(Z95 * sqrt(var)), 1e-7);
    assert_close(fc.pi_lo, y * exp(-Z95 * sqrt(var + st.sigma * st.sigma)), 1e-7);
    assert_close(fc.pi_hi, y * exp(Z95 * sqrt(var + st.sigma * st.sigma)), 1e-7);
    /* the default: t quantiles on n - p = 10 - 2 degrees of freedom */
    assert_int_equal(slaw_fit_interval_dof(f), 8);
    fc = forecast(f, NULL, x, 0);
    assert_int_equal(fc.method, SLAW_INTERVAL_T);
    assert_close(fc.y.lo, y * exp(-T95_8 * sqrt(var)), 1e-7);
    assert_close(fc.y.hi, y * exp(T95_8 * sqrt(var)), 1e-7);
    assert_close(fc.pi_hi, y * exp(T95_8 * sqrt(var + st.sigma * st.sigma)), 1e-7);
    slaw_artifact_free(a);
}

/* y = E + A x^-alpha in linear space: symmetric intervals from the gradient. */
static void delta_intervals_should_match_the_hand_computation_in_linear_space(void **state)
{
    (void)state;
    slaw_artifact *a = fit("saturating", saturating_truth, 0.01, 12, 0, SLAW_SPACE_LINEAR);
    const slaw_fit *f = slaw_artifact_fit(a, 0);
    const double *cov = slaw_fit_covariance(f);
    double A = slaw_fit_value(f, 1), alpha = slaw_fit_value(f, 2), x = 3e11;
    double g[3] = {1, pow(x, -alpha), -A * pow(x, -alpha) * log(x)}, var = 0;
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++) var += g[i] * cov[i * 3 + j] * g[j];
    slaw_forecast_options opt;
    slaw_forecast_options_init(&opt, a);
    assert_int_equal(opt.space, SLAW_SPACE_LINEAR);
    opt.level = 0.9;
    opt.method = SLAW_INTERVAL_DELTA;
    slaw_forecast fc = forecast(f, &opt, x, 0);
    double y = fc.y.value;
    assert_close(y - fc.y.lo, Z90 * sqrt(var), 1e-6);
    assert_close(fc.y.hi - y, Z90 * sqrt(var), 1e-6);
    assert_true(fc.level == 0.9);
    slaw_artifact_free(a);
}

static int compare(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* GSL's quantile of sorted data: interpolation at (n - 1) q. */
static double quantile(const double *s, size_t n, double q)
{
    double pos = q * (double)(n - 1);
    size_t i = (size_t)pos;
    return i + 1 < n ? s[i] + (pos - (double)i) * (s[i + 1] - s[i]) : s[i];
}

static void bootstrap_intervals_should_be_percentiles_of_the_sample_predictions(void **state)
{
    (void)state;
    slaw_artifact *a = fit("saturating", saturating_truth, 0.02, 15, 200, SLAW_SPACE_LOG);
    const slaw_fit *f = slaw_artifact_fit(a, 0);
    size_t B = slaw_fit_bootstrap_count(f);
    double x = 5e10, *pred = malloc(B * sizeof *pred);
    assert_int_equal(B, 200);
    for (size_t b = 0; b < B; b++) {
        const double *s = slaw_fit_bootstrap_sample(f, b);
        pred[b] = s[0] + s[1] * pow(x, -s[2]);
    }
    qsort(pred, B, sizeof *pred, compare);
    slaw_forecast_options opt;
    slaw_forecast_options_init(&opt, a);
    opt.level = 0.9;
    slaw_forecast fc = forecast(f, &opt, x, 0);
    assert_int_equal(fc.method, SLAW_INTERVAL_BOOTSTRAP);
    assert_int_equal(fc.samples, 200);
    assert_close(fc.y.lo, quantile(pred, B, 0.05), 1e-12);
    assert_close(fc.y.hi, quantile(pred, B, 0.95), 1e-12);
    assert_true(fc.pi_lo < fc.y.lo && fc.pi_hi > fc.y.hi);
    free(pred);
    slaw_artifact_free(a);
}

/* The test: on a well-conditioned fit (many runs, small noise, L2
 * loss) the two methods describe the same uncertainty, within 20%. */
static void delta_and_bootstrap_intervals_should_agree_within_20_percent(void **state)
{
    (void)state;
    slaw_artifact *a = fit("saturating", saturating_truth, 0.02, 30, 1000, SLAW_SPACE_LOG);
    const slaw_fit *f = slaw_artifact_fit(a, 0);
    static const double xs[] = {3e7, 1e8, 1e9, 1e10, 1e11};
    slaw_forecast_options opt;
    slaw_forecast_options_init(&opt, a);
    for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++) {
        opt.method = SLAW_INTERVAL_DELTA;
        slaw_forecast d = forecast(f, &opt, xs[i], 0);
        opt.method = SLAW_INTERVAL_BOOTSTRAP;
        slaw_forecast b = forecast(f, &opt, xs[i], 0);
        double wd = log(d.y.hi / d.y.lo), wb = log(b.y.hi / b.y.lo);
        double pd = log(d.pi_hi / d.pi_lo), pb = log(b.pi_hi / b.pi_lo);
        print_message("x %g: CI width delta %.5f bootstrap %.5f; PI %.5f %.5f\n", xs[i], wd, wb, pd,
                      pb);
        assert_true(fabs(wb / wd - 1) < 0.2);
        assert_true(fabs(pb / pd - 1) < 0.2);
    }
    slaw_artifact_free(a);
}

static void forecasts_should_say_how_far_they_extrapolate(void **state)
{
    (void)state;
    /* The data: N from 1e7 to 1e10, D from 1e9 to 1e11, C from 6e16 to 6e21. */
    slaw_artifact *a = fit("chinchilla", chinchilla_truth, 0.01, 6, 0, SLAW_SPACE_LOG);
    const slaw_fit *f = slaw_artifact_fit(a, 0);
    slaw_forecast fc = forecast(f, NULL, 1e11, 1e8);
    assert_close(fc.beyond.decades[0], 1, 1e-12);
    assert_close(fc.beyond.decades[1], 1, 1e-12);
    assert_true(fc.beyond.decades[2] == 0);
    fc = forecast(f, NULL, 70e9, 1.4e12);
    assert_close(fc.beyond.decades[0], log10(7), 1e-12);
    assert_close(fc.beyond.decades[1], log10(14), 1e-12);
    assert_close(fc.beyond.decades[2], log10(5.88e23 / 6e21), 1e-12);
    assert_close(slaw_extrapolation_max(&fc.beyond), log10(5.88e23 / 6e21), 1e-12);
    fc = forecast(f, NULL, 1e8, 1e10);
    assert_true(slaw_extrapolation_max(&fc.beyond) == 0);
    slaw_artifact_free(a);
    a = fit("saturating", saturating_truth, 0.01, 12, 0, SLAW_SPACE_LOG);
    fc = forecast(slaw_artifact_fit(a, 0), NULL, 1e6, 0);
    assert_close(fc.beyond.decades[0], 1, 1e-12);
    assert_true(isnan(fc.beyond.decades[1]) && isnan(fc.beyond.decades[2]));
    slaw_artifact_free(a);
}

static void forecasts_from_a_read_artifact_should_be_the_same(void **state)
{
    (void)state;
    slaw_artifact *a = fit("saturating", saturating_truth, 0.02, 12, 50, SLAW_SPACE_LOG), *b;
    slaw_error err;
    char *text = slaw_artifact_to_json(a);
    assert_int_equal(slaw_artifact_parse("a.json", text, strlen(text), &b, &err), SLAW_OK);
    slaw_forecast x = forecast(slaw_artifact_fit(a, 0), NULL, 1e11, 0);
    slaw_forecast y = forecast(slaw_artifact_fit(b, 0), NULL, 1e11, 0);
    assert_close(x.y.value, y.y.value, 1e-15);
    assert_close(x.y.lo, y.y.lo, 1e-15);
    assert_close(x.pi_hi, y.pi_hi, 1e-15);
    free(text);
    slaw_artifact_free(a);
    slaw_artifact_free(b);
}

static void bad_forecast_requests_should_be_usage_errors(void **state)
{
    (void)state;
    slaw_artifact *a = fit("saturating", saturating_truth, 0.01, 12, 0, SLAW_SPACE_LOG);
    const slaw_fit *f = slaw_artifact_fit(a, 0);
    slaw_forecast fc;
    slaw_error err;
    slaw_forecast_options opt;
    slaw_forecast_options_init(&opt, a);
    double x[1] = {0};
    assert_int_equal(slaw_forecast_at(f, x, &opt, &fc, &err), SLAW_EUSAGE);
    assert_non_null(strstr(err.message, "positive finite"));
    x[0] = 1e9;
    opt.level = 1;
    assert_int_equal(slaw_forecast_at(f, x, &opt, &fc, &err), SLAW_EUSAGE);
    assert_non_null(strstr(err.message, "between 0 and 1"));
    opt.level = 0.95;
    opt.method = SLAW_INTERVAL_BOOTSTRAP;
    assert_int_equal(slaw_forecast_at(f, x, &opt, &fc, &err), SLAW_EUSAGE);
    assert_non_null(strstr(err.message, "no bootstrap samples"));
    slaw_artifact_free(a);
}

/* A value past a double's range is refused, not returned as inf or 0. */
static void forecasts_beyond_a_double_should_be_refused(void **state)
{
    (void)state;
    double truth[2] = {3.2e-13, 1.5};
    slaw_artifact *a = fit("power", truth, 0.03, 10, 0, SLAW_SPACE_LOG);
    const slaw_fit *f = slaw_artifact_fit(a, 0);
    const double far[] = {1e250, 1e-250}; /* about 10^362 and 10^-387 */
    const char *want[] = {"x = 1e+250: the value, about 10^3",
                          "x = 1e-250: the value, about 10^-3"};
    for (size_t i = 0; i < 2; i++) {
        slaw_forecast fc;
        slaw_error err;
        double vars[1] = {far[i]};
        assert_int_equal(slaw_forecast_at(f, vars, NULL, &fc, &err), SLAW_EINPUT);
        if (!strstr(err.message, want[i]) || !strstr(err.message, "outside the range of a double"))
            fail_msg("'%s' lacks '%s'", err.message, want[i]);
    }
    slaw_forecast fc = forecast(f, NULL, 1e100, 0); /* large, and still a double */
    assert_true(isfinite(fc.y.value) && fc.y.value > 0);
    slaw_artifact_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(forecasts_should_be_the_law_at_the_point),
        cmocka_unit_test(delta_intervals_should_match_the_hand_computation_in_log_space),
        cmocka_unit_test(delta_intervals_should_match_the_hand_computation_in_linear_space),
        cmocka_unit_test(bootstrap_intervals_should_be_percentiles_of_the_sample_predictions),
        cmocka_unit_test(delta_and_bootstrap_intervals_should_agree_within_20_percent),
        cmocka_unit_test(forecasts_should_say_how_far_they_extrapolate),
        cmocka_unit_test(forecasts_from_a_read_artifact_should_be_the_same),
        cmocka_unit_test(bad_forecast_requests_should_be_usage_errors),
        cmocka_unit_test(forecasts_beyond_a_double_should_be_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
