/* test_published.c — a law at published parameter values, with no fit file:
 * its forecasts and compute-optimal allocations against the closed forms of
 * Hoffmann et al. 2022 for their constants and for Besiroglu et al. 2024's
 * refit; values that cannot be a law's refused. */
#include "helpers.h"

#include <math.h>
#include <string.h>

static const double hoffmann[5] = {1.69, 406.4, 410.7, 0.34, 0.28};
static const double besiroglu[5] = {1.8172, 482.01, 2085.43, 0.3478, 0.3658};

static slaw_artifact *published(const char *law, const double *natural)
{
    slaw_artifact *a = NULL;
    slaw_error err;
    if (slaw_artifact_from_params(slaw_law_find(law), natural, &a, &err) != SLAW_OK)
        fail_msg("%s", err.message);
    return a;
}

static double loss(const double *v, double N, double D)
{
    return v[0] + v[1] / pow(N, v[3]) + v[2] / pow(D, v[4]);
}

static void published_chinchilla_should_forecast_the_closed_form(void **state)
{
    (void)state;
    const double *sets[2] = {hoffmann, besiroglu};
    for (size_t k = 0; k < 2; k++) {
        const double *v = sets[k];
        slaw_artifact *a = published("chinchilla", v);
        const slaw_fit *f = slaw_artifact_fit(a, 0);
        slaw_forecast fc;
        slaw_optimum o;
        slaw_error err;
        double at[2] = {70e9, 1.4e12}, C = 5.76e23;
        assert_int_equal(slaw_forecast_at(f, at, NULL, &fc, &err), SLAW_OK);
        assert_close(fc.y.value, loss(v, at[0], at[1]), 1e-14);
        assert_true(isnan(fc.y.lo) && isnan(fc.pi_hi));
        assert_int_equal(slaw_optimal_compute(f, C, NULL, &o, &err), SLAW_OK);
        double s = v[3] + v[4], G = pow(v[3] * v[1] / (v[4] * v[2]), 1 / s);
        double N = G * pow(C / 6, v[4] / s), D = pow(C / 6, v[3] / s) / G;
        assert_close(o.N.value, N, 1e-12);
        assert_close(o.D.value, D, 1e-12);
        assert_close(o.L.value, loss(v, N, D), 1e-13);
        slaw_artifact_free(a);
    }
}

/* Hoffmann et al.'s constants put Chinchilla's budget at N* = 32.2B,
 * D* = 2.98T in the closed form;
 * Besiroglu et al.'s refit at 72.2B and 1.33T, about 18 tokens per parameter. */
static void published_optima_should_match_the_papers_figures(void **state)
{
    (void)state;
    slaw_optimum o;
    slaw_error err;
    slaw_artifact *a = published("chinchilla", hoffmann);
    assert_int_equal(slaw_optimal_compute(slaw_artifact_fit(a, 0), 5.76e23, NULL, &o, &err),
                     SLAW_OK);
    assert_close(o.N.value, 32.2e9, 2e-3);
    assert_close(o.D.value, 2.98e12, 2e-3);
    slaw_artifact_free(a);
    a = published("chinchilla", besiroglu);
    assert_int_equal(slaw_optimal_compute(slaw_artifact_fit(a, 0), 5.76e23, NULL, &o, &err),
                     SLAW_OK);
    assert_close(o.N.value, 72.2e9, 2e-3);
    assert_close(o.D.value / o.N.value, 18.4, 3e-3);
    slaw_artifact_free(a);
}

static void values_no_law_can_take_should_be_refused(void **state)
{
    (void)state;
    slaw_artifact *a = NULL;
    slaw_error err;
    double v[5] = {1.69, -406.4, 410.7, 0.34, 0.28};
    assert_int_equal(slaw_artifact_from_params(slaw_law_find("chinchilla"), v, &a, &err),
                     SLAW_EUSAGE);
    assert_null(a);
    assert_non_null(strstr(err.message, "A = -406.4: must be positive"));
    v[1] = 406.4;
    v[3] = NAN;
    assert_int_equal(slaw_artifact_from_params(slaw_law_find("chinchilla"), v, &a, &err),
                     SLAW_EUSAGE);
    assert_non_null(strstr(err.message, "alpha = nan: not finite"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(published_chinchilla_should_forecast_the_closed_form),
        cmocka_unit_test(published_optima_should_match_the_papers_figures),
        cmocka_unit_test(values_no_law_can_take_should_be_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
