/* test_chinchilla_forecast.c — forecasting from the reproduced Chinchilla
 * fit (Epoch's "replicate exactly" procedure on data/chinchilla, as
 * committed in tests/cli/data/chinchilla_epoch_fit.json): the optimum at
 * Chinchilla's budget is Hoffmann et al.'s closed form, the frontier's D/N
 * follows from it, inverses round-trip, and E is the floor. */
#include "helpers.h"

#include <math.h>

static slaw_artifact *epoch_fit(void)
{
    slaw_artifact *a = NULL;
    slaw_error err;
    if (slaw_artifact_read(source_path("tests/cli/data/chinchilla_epoch_fit.json"), &a, &err) !=
        SLAW_OK)
        fail_msg("%s", err.message);
    return a;
}

/* G = (alpha A / (beta B))^(1/(alpha+beta)), N* = G (C/6)^(beta/(alpha+beta)),
 * D* = (C/6)^(alpha/(alpha+beta)) / G. */
static void closed_form(double A, double B, double alpha, double beta, double C, double *n,
                        double *d)
{
    double s = alpha + beta, G = pow(alpha * A / (beta * B), 1 / s);
    *n = G * pow(C / 6, beta / s);
    *d = pow(C / 6, alpha / s) / G;
}

static void the_optimum_at_chinchillas_budget_should_be_the_closed_form(void **state)
{
    (void)state;
    slaw_artifact *a = epoch_fit();
    const slaw_fit *f = slaw_artifact_fit(a, 0);
    double n, d;
    closed_form(slaw_fit_value(f, 1), slaw_fit_value(f, 2), slaw_fit_value(f, 3),
                slaw_fit_value(f, 4), 5.76e23, &n, &d);
    slaw_optimum o;
    slaw_error err;
    assert_int_equal(slaw_optimal_compute(f, 5.76e23, NULL, &o, &err), SLAW_OK);
    assert_close(o.N.value, n, 1e-9);
    assert_close(o.D.value, d, 1e-9);
    print_message("C = 5.76e23: N* = %.10g, D* = %.10g (closed form %.10g, %.10g), D*/N* = %.4g\n",
                  o.N.value, o.D.value, n, d, o.ratio.value);
    /* The fit is Epoch's published optimum (data/README: a = 6.16927953,
     * b = 7.67036499, alpha = 0.34731266, beta = 0.36718262), so N* is the
     * published parameters' closed form to the precision they were printed. */
    closed_form(exp(6.16927953), exp(7.67036499), 0.34731266, 0.36718262, 5.76e23, &n, &d);
    assert_close(o.N.value, n, 1e-4);
    assert_close(o.D.value, d, 1e-4);
    /* Its bootstrap interval holds it. */
    assert_int_equal(o.method, SLAW_INTERVAL_BOOTSTRAP);
    assert_true(o.N.lo < o.N.value && o.N.value < o.N.hi);
    slaw_artifact_free(a);
}

static void the_frontiers_ratio_should_follow_from_the_closed_form(void **state)
{
    (void)state;
    slaw_artifact *a = epoch_fit();
    const slaw_fit *f = slaw_artifact_fit(a, 0);
    double alpha = slaw_fit_value(f, 3), beta = slaw_fit_value(f, 4),
           G = slaw_fit_derived(f, 2, NULL);
    for (double C = 1e18; C <= 1e26; C *= 10) {
        slaw_optimum o;
        slaw_error err;
        assert_int_equal(slaw_optimal_compute(f, C, NULL, &o, &err), SLAW_OK);
        assert_close(o.ratio.value, pow(C / 6, (alpha - beta) / (alpha + beta)) / (G * G), 1e-9);
    }
    slaw_artifact_free(a);
}

static void inverses_should_round_trip_and_stop_at_e(void **state)
{
    (void)state;
    slaw_artifact *a = epoch_fit();
    const slaw_fit *f = slaw_artifact_fit(a, 0);
    slaw_optimum o;
    slaw_target t;
    slaw_error err;
    assert_int_equal(slaw_optimal_compute(f, 5.76e23, NULL, &o, &err), SLAW_OK);
    assert_int_equal(slaw_optimal_target(f, o.L.value, NULL, &t, &err), SLAW_OK);
    assert_true(t.reachable);
    assert_close(t.C.value, 5.76e23, 1e-9);
    assert_close(t.N.value, o.N.value, 1e-9);
    assert_close(t.D.value, o.D.value, 1e-9);
    double E = slaw_fit_value(f, 0);
    assert_int_equal(slaw_optimal_target(f, 1.8, NULL, &t, &err), SLAW_OK);
    assert_false(t.reachable);
    assert_close(t.floor, E, 1e-12);
    slaw_artifact_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_optimum_at_chinchillas_budget_should_be_the_closed_form),
        cmocka_unit_test(the_frontiers_ratio_should_follow_from_the_closed_form),
        cmocka_unit_test(inverses_should_round_trip_and_stop_at_e),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
