/* test_forecast_model.c — what a forecast takes from the point it is asked
 * at: the compute model (flops_per_token: C shown, its distance from the
 * data, refused along budgets and by a law that reads C), gadre's points in
 * N and D whichever two of N, D, C, M name them, a chain through a fit with
 * undetermined parameters, and a formula's signed variable (values <= 0,
 * and the inverse sought in x itself). */
#include "forecast.h"
#include "formula.h"
#include "helpers.h"

#include <math.h>
#include <string.h>

static slaw_artifact *published(const slaw_law *law, const double *v)
{
    slaw_artifact *a = NULL;
    slaw_error err;
    if (slaw_artifact_from_params(law, v, &a, &err) != SLAW_OK) fail_msg("%s", err.message);
    return a;
}

static slaw_point point_of(const char *spec)
{
    slaw_point p;
    slaw_error err;
    if (slaw_point_parse(spec, &p, &err) != SLAW_OK) fail_msg("'%s': %s", spec, err.message);
    return p;
}

/* --------------------------------------------------------- compute model */

static void a_count_per_token_should_be_the_compute_of_the_point(void **state)
{
    (void)state;
    slaw_fit_options opt;
    slaw_fit_options_init(&opt);
    opt.law = "chinchilla";
    double truth[5] = {1.69, 406.4, 410.7, 0.34, 0.28};
    slaw_artifact *a = fit_simulated(&opt, truth, 0.01, 3, 6);
    const slaw_fit *f = slaw_artifact_fit(a, 0);
    slaw_forecast_options fo;
    slaw_forecast out;
    slaw_error err;
    double vars[2] = {1e9, 1e10}, lo, hi;
    slaw_forecast_options_init(&fo, a);
    assert_true(slaw_fit_compute_range(f, &lo, &hi));
    assert_int_equal(slaw_forecast_at(f, vars, &fo, &out, &err), SLAW_OK);
    assert_true(out.C == slaw_compute_flops(1e9, 1e10, 0)); /* 6·N·D */
    double loss = out.y.value;
    fo.flops_per_token = 6e12; /* C = 6e22: beyond the data's largest C */
    assert_int_equal(slaw_forecast_at(f, vars, &fo, &out, &err), SLAW_OK);
    assert_true(out.C == 6e22);
    assert_close(out.beyond.decades[2], log10(6e22 / hi), 1e-12);
    assert_true(out.y.value == loss); /* the law reads N and D, not C */
    /* a point of N and C: D = C / flops_per_token */
    slaw_point p = point_of("N=1e9,C=6e22");
    assert_int_equal(slaw_point_resolve_model(a, f, &p, 6e12, vars, &err), SLAW_OK);
    assert_true(vars[0] == 1e9 && vars[1] == 1e10);
    /* D and C say nothing of N then */
    p = point_of("D=1e10,C=6e22");
    assert_int_equal(slaw_point_resolve_model(a, f, &p, 6e12, vars, &err), SLAW_EUSAGE);
    assert_string_equal(err.option, "flops_per_token");
    /* along a budget it would fix D alone: refused, naming the option */
    slaw_optimum o;
    slaw_target t;
    assert_int_equal(slaw_optimal_compute(f, 1e22, &fo, &o, &err), SLAW_EUSAGE);
    assert_string_equal(err.option, "flops_per_token");
    assert_non_null(strstr(err.message, "no compute-optimal split"));
    assert_int_equal(slaw_optimal_target(f, 2.0, &fo, &t, &err), SLAW_EUSAGE);
    assert_string_equal(err.option, "flops_per_token");
    fo.flops_per_token = -1;
    assert_int_equal(slaw_forecast_at(f, vars, &fo, &out, &err), SLAW_EUSAGE);
    slaw_artifact_free(a);
}

static const double gadre_params[4] = {1.8, 30, 400, 0.15};

static void a_law_that_reads_c_should_refuse_another_compute_model(void **state)
{
    (void)state;
    slaw_artifact *a = published(&law_gadre, gadre_params);
    const slaw_fit *f = slaw_artifact_fit(a, 0);
    slaw_forecast_options fo;
    slaw_forecast out;
    slaw_error err;
    double vars[2] = {1.2e20, 20};
    slaw_point p = point_of("N=1e9,D=2e10");
    slaw_forecast_options_init(&fo, a);
    fo.flops_per_token = 8e9;
    assert_int_equal(slaw_forecast_at(f, vars, &fo, &out, &err), SLAW_EUSAGE);
    assert_string_equal(err.option, "flops_per_token");
    assert_non_null(strstr(err.message, "law gadre reads C"));
    assert_int_equal(slaw_point_resolve_model(a, f, &p, 8e9, vars, &err), SLAW_EUSAGE);
    slaw_artifact_free(a);
}

/* ------------------------------------------------------------------ gadre */

static void gadre_points_should_give_n_and_d_however_named(void **state)
{
    (void)state;
    static const char *const specs[] = {"N=1e9,D=2e10",  "N=1e9,M=20",     "D=2e10,C=1.2e20",
                                        "C=1.2e20,M=20", "N=1e9,C=1.2e20", "D=2e10,M=20"};
    slaw_artifact *a = published(&law_gadre, gadre_params);
    const slaw_fit *f = slaw_artifact_fit(a, 0);
    slaw_error err;
    for (size_t k = 0; k < sizeof specs / sizeof specs[0]; k++) {
        slaw_point p = point_of(specs[k]);
        slaw_forecast out;
        double vars[2];
        assert_int_equal(slaw_point_resolve_fit(a, f, &p, vars, &err), SLAW_OK);
        assert_close(vars[0], 1.2e20, 1e-12); /* C */
        assert_close(vars[1], 20, 1e-12);     /* M */
        assert_int_equal(slaw_forecast_at(f, vars, NULL, &out, &err), SLAW_OK);
        assert_close(out.N, 1e9, 1e-12);
        assert_close(out.D, 2e10, 1e-12);
        assert_close(out.C, 1.2e20, 1e-12);
        double lnx[2] = {log(1.2e20), log(20)};
        assert_close(out.y.value, exp(law_ln_eval(&law_gadre, gadre_params, lnx)), 1e-12);
    }
    slaw_artifact_free(a);
}

/* The bundled gadre fit has a and b undetermined (nearly collinear), with
 * a covariance of their own: a chain takes it as a forecast does, so its
 * interval of the loss is the forecast's (normal quantiles), not NaN. */
static void a_chain_through_undetermined_parameters_should_have_intervals(void **state)
{
    (void)state;
    slaw_artifact *a = NULL, *b = NULL;
    slaw_error err;
    assert_int_equal(slaw_artifact_read(source_path("tests/cli/data/gadre-fit.json"), &a, &err),
                     SLAW_OK);
    assert_int_equal(
        slaw_artifact_read(source_path("tests/cli/data/downstream-fit.json"), &b, &err), SLAW_OK);
    const slaw_fit *f = slaw_artifact_fit(a, 0), *g = slaw_artifact_fit(b, 0);
    assert_false(slaw_fit_identified(f, 1));
    double vars[2] = {1.2e20, 20};
    slaw_chain_forecast c;
    slaw_forecast fc;
    slaw_forecast_options fo;
    slaw_forecast_options_init(&fo, a);
    fo.method = SLAW_INTERVAL_DELTA;
    assert_int_equal(slaw_forecast_chain(f, g, vars, &fo, &c, &err), SLAW_OK);
    assert_int_equal(slaw_forecast_at(f, vars, &fo, &fc, &err), SLAW_OK);
    assert_true(isfinite(c.loss.lo) && isfinite(c.loss.hi));
    assert_true(isfinite(c.y.lo) && isfinite(c.y.hi) && c.y.lo < c.y.value && c.y.value < c.y.hi);
    assert_close(c.loss.lo, fc.y.lo, 1e-9);
    assert_close(c.loss.hi, fc.y.hi, 1e-9);
    assert_close(c.N, 1e9, 1e-12);
    assert_close(c.D, 2e10, 1e-12);
    slaw_artifact_free(a);
    slaw_artifact_free(b);
}

/* ----------------------------------------------------- signed variables */

static bool x_is_var(void *ctx, const char *name)
{
    (void)ctx;
    return !strcmp(name, "x") || !strcmp(name, "N");
}

static slaw_law *formula(const char *text)
{
    slaw_law *law = NULL;
    slaw_error err;
    if (formula_law_new(text, x_is_var, NULL, &law, &err) != SLAW_OK)
        fail_msg("'%s': %s", text, err.message);
    return law;
}

/* y = E + B (x - c)^2 with E = 1.5, B = 0.3, c = 0.4. */
static void a_signed_variable_should_be_forecast_at_zero_and_below(void **state)
{
    (void)state;
    slaw_law *law = formula("E + B*(x-c)^2");
    double v[3] = {1.5, 0.3, 0.4};
    slaw_artifact *a = published(law, v);
    const slaw_fit *f = slaw_artifact_fit(a, 0);
    slaw_error err;
    assert_true(law_var_signed(law, 0));
    static const char *const specs[] = {"x=-1", "x=0", "x=2.5"};
    static const double xs[] = {-1, 0, 2.5};
    for (size_t k = 0; k < 3; k++) {
        slaw_point p = point_of(specs[k]);
        slaw_forecast out;
        double vars[1];
        assert_int_equal(slaw_point_resolve_fit(a, f, &p, vars, &err), SLAW_OK);
        assert_true(vars[0] == xs[k]);
        assert_int_equal(slaw_forecast_at(f, vars, NULL, &out, &err), SLAW_OK);
        assert_close(out.y.value, 1.5 + 0.3 * (xs[k] - 0.4) * (xs[k] - 0.4), 1e-14);
    }
    /* the inverse, in x itself: of the roots 0.4 -+ sqrt(0.5/0.3), the one
     * nearer the range searched from ([-1, 1] without data) */
    slaw_target t;
    assert_int_equal(slaw_optimal_target(f, 2.0, NULL, &t, &err), SLAW_OK);
    assert_true(t.reachable);
    assert_close(t.x.value, 0.4 - sqrt(0.5 / 0.3), 1e-10);
    /* below the law's least value: unreachable, without limits to quote */
    assert_int_equal(slaw_optimal_target(f, 1.2, NULL, &t, &err), SLAW_OK);
    assert_false(t.reachable);
    assert_true(isnan(t.floor));
    slaw_artifact_free(a);
    formula_law_free(law);
}

/* A monotone law of a signed x: the inverse is the one root, far outside
 * the range searched from, and a size role keeps refusing values <= 0. */
static void a_signed_inverse_should_reach_far_and_sizes_stay_positive(void **state)
{
    (void)state;
    slaw_law *law = formula("exp(a - b*x)");
    double v[2] = {1.0, 0.5};
    slaw_artifact *a = published(law, v);
    slaw_target t;
    slaw_error err;
    /* e^(1 - x/2) = 1e-30 at x = 2 (1 + 30 ln 10) */
    assert_int_equal(slaw_optimal_target(slaw_artifact_fit(a, 0), 1e-30, NULL, &t, &err), SLAW_OK);
    assert_close(t.x.value, 2 * (1 + 30 * log(10)), 1e-10);
    assert_int_equal(slaw_optimal_target(slaw_artifact_fit(a, 0), 1e3, NULL, &t, &err), SLAW_OK);
    assert_close(t.x.value, 2 * (1 - 3 * log(10)), 1e-10); /* x = -11.8 */
    slaw_artifact_free(a);
    formula_law_free(law);

    slaw_law *sized = formula("E + A*N^-alpha");
    double w[3] = {1.5, 100, 0.3};
    slaw_artifact *b = published(sized, w);
    const slaw_fit *f = slaw_artifact_fit(b, 0);
    slaw_point p = point_of("N=1e9");
    slaw_forecast out;
    double vars[1] = {-1};
    assert_false(law_var_signed(sized, 0));
    assert_int_equal(slaw_forecast_at(f, vars, NULL, &out, &err), SLAW_EUSAGE);
    assert_non_null(strstr(err.message, "N = -1"));
    assert_int_equal(slaw_point_resolve_fit(b, f, &p, vars, &err), SLAW_OK);
    assert_int_equal(slaw_point_parse("N=0", &p, &err), SLAW_EUSAGE);
    slaw_artifact_free(b);
    formula_law_free(sized);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_count_per_token_should_be_the_compute_of_the_point),
        cmocka_unit_test(a_law_that_reads_c_should_refuse_another_compute_model),
        cmocka_unit_test(gadre_points_should_give_n_and_d_however_named),
        cmocka_unit_test(a_chain_through_undetermined_parameters_should_have_intervals),
        cmocka_unit_test(a_signed_variable_should_be_forecast_at_zero_and_below),
        cmocka_unit_test(a_signed_inverse_should_reach_far_and_sizes_stay_positive),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
