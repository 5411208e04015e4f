/* test_interval.c — the intervals of a fit's parameters: t quantiles on
 * n - p degrees of freedom with positive scales on the log scale (the
 * default), normal quantiles, bootstrap percentiles; the method recorded in
 * the fit file, and a fit file that records none read as before. */
#include "helpers.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define Z95 1.959963984540054   /* the standard normal's 0.975 quantile */
#define T95_9 2.262157162798205 /* Student t on 9 degrees of freedom, its 0.975 quantile */

static const double saturating_truth[3] = {1.8, 380, 0.32};

/* The saturating law (E, A, alpha) on 12 simulated sizes. */
static slaw_artifact *fit(slaw_interval_method method, size_t bootstrap)
{
    slaw_fit_options opt;
    slaw_fit_options_init(&opt);
    opt.law = "saturating";
    opt.interval = method;
    opt.bootstrap = bootstrap;
    return fit_simulated(&opt, saturating_truth, 0.01, 5, 12);
}

static double sd(const slaw_fit *f, size_t j)
{
    return sqrt(slaw_fit_covariance(f)[j * 3 + j]);
}

static void t_intervals_should_match_the_hand_computation(void **state)
{
    (void)state;
    slaw_artifact *a = fit(SLAW_INTERVAL_AUTO, 0);
    const slaw_fit *f = slaw_artifact_fit(a, 0);
    assert_int_equal(slaw_fit_interval_method(f), SLAW_INTERVAL_T);
    assert_int_equal(slaw_fit_interval_dof(f), 12 - 3);
    assert_true(slaw_fit_interval_level(f) == 0.95);
    double lo, hi;
    for (size_t j = 0; j < 2; j++) { /* E and A: on the log scale, sd(ln v) = se / v */
        double v = slaw_fit_value(f, j);
        assert_true(slaw_fit_param_interval(f, j, &lo, &hi));
        assert_close(lo, v * exp(-T95_9 * sd(f, j) / v), 1e-12);
        assert_close(hi, v * exp(T95_9 * sd(f, j) / v), 1e-12);
    }
    double alpha = slaw_fit_value(f, 2);
    assert_true(slaw_fit_param_interval(f, 2, &lo, &hi));
    assert_close(lo, alpha - T95_9 * sd(f, 2), 1e-12);
    assert_close(hi, alpha + T95_9 * sd(f, 2), 1e-12);
    assert_false(slaw_fit_param_interval(f, 3, &lo, &hi)); /* no such parameter */
    assert_true(isnan(lo) && isnan(hi));
    slaw_artifact_free(a);
}

static void delta_intervals_should_take_normal_quantiles_on_the_natural_scale(void **state)
{
    (void)state;
    slaw_artifact *a = fit(SLAW_INTERVAL_DELTA, 0);
    const slaw_fit *f = slaw_artifact_fit(a, 0);
    assert_int_equal(slaw_fit_interval_method(f), SLAW_INTERVAL_DELTA);
    for (size_t j = 0; j < 3; j++) {
        double lo, hi, v = slaw_fit_value(f, j);
        assert_true(slaw_fit_param_interval(f, j, &lo, &hi));
        assert_close(lo, v - Z95 * sd(f, j), 1e-12);
        assert_close(hi, v + Z95 * sd(f, j), 1e-12);
    }
    double x = 1e11;
    slaw_forecast fc;
    slaw_error err;
    assert_int_equal(slaw_forecast_at(f, &x, NULL, &fc, &err), SLAW_OK);
    assert_int_equal(fc.method, SLAW_INTERVAL_DELTA); /* forecasts follow the fit */
    slaw_artifact_free(a);
}

static void bootstrap_should_give_percentiles_unless_told_otherwise(void **state)
{
    (void)state;
    slaw_artifact *a = fit(SLAW_INTERVAL_AUTO, 50);
    const slaw_fit *f = slaw_artifact_fit(a, 0);
    assert_int_equal(slaw_fit_interval_method(f), SLAW_INTERVAL_BOOTSTRAP);
    double lo, hi, se, blo, bhi, x = 1e11;
    for (size_t j = 0; j < 3; j++) {
        assert_true(slaw_fit_param_interval(f, j, &lo, &hi));
        assert_true(slaw_fit_bootstrap_param(f, j, &se, &blo, &bhi));
        assert_true(lo == blo && hi == bhi);
    }
    slaw_forecast fc;
    slaw_error err;
    assert_int_equal(slaw_forecast_at(f, &x, NULL, &fc, &err), SLAW_OK);
    assert_int_equal(fc.method, SLAW_INTERVAL_BOOTSTRAP);
    slaw_artifact_free(a);

    a = fit(SLAW_INTERVAL_T, 50); /* samples kept, t intervals asked for */
    f = slaw_artifact_fit(a, 0);
    assert_int_equal(slaw_fit_interval_method(f), SLAW_INTERVAL_T);
    assert_true(slaw_fit_param_interval(f, 2, &lo, &hi));
    assert_close(hi - slaw_fit_value(f, 2), T95_9 * sd(f, 2), 1e-12);
    assert_int_equal(slaw_forecast_at(f, &x, NULL, &fc, &err), SLAW_OK);
    assert_int_equal(fc.method, SLAW_INTERVAL_T);
    slaw_artifact_free(a);
}

static void bootstrap_intervals_without_resamples_should_be_refused(void **state)
{
    (void)state;
    slaw_runs *runs = load_ok("r.csv", "N,loss\n1e7,3\n1e8,2.5\n1e9,2.2\n1e10,2.1\n", NULL);
    slaw_fit_options opt;
    slaw_fit_options_init(&opt);
    opt.law = "saturating";
    opt.interval = SLAW_INTERVAL_BOOTSTRAP;
    slaw_artifact *a = NULL;
    slaw_error err;
    assert_int_equal(slaw_fit_runs(runs, &opt, &a, &err), SLAW_EUSAGE);
    assert_non_null(strstr(err.message, "interval 'bootstrap' without bootstrap N"));
    opt.interval = SLAW_INTERVAL_NONE;
    assert_int_equal(slaw_fit_runs(runs, &opt, &a, &err), SLAW_EUSAGE);
    assert_null(a);
    slaw_runs_free(runs);
}

/* The fit file of a (one fit) with settings.interval set to value (NULL: removed). */
static char *with_interval(const slaw_artifact *a, const char *value)
{
    char *json = slaw_artifact_to_json(a);
    cJSON *doc = cJSON_Parse(json);
    free(json);
    cJSON *fit0 = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(doc, "fits"), 0);
    cJSON *settings = cJSON_GetObjectItemCaseSensitive(fit0, "settings");
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(settings, "interval")->valuestring, "t");
    cJSON_DeleteItemFromObjectCaseSensitive(settings, "interval");
    if (value) cJSON_AddStringToObject(settings, "interval", value);
    json = cJSON_Print(doc);
    cJSON_Delete(doc);
    return json;
}

static void the_fit_file_should_record_the_method_and_old_files_keep_theirs(void **state)
{
    (void)state;
    slaw_artifact *a = fit(SLAW_INTERVAL_AUTO, 0), *back = NULL;
    slaw_error err;
    char *json = with_interval(a, "delta");
    assert_int_equal(slaw_artifact_parse("fit.json", json, strlen(json), &back, &err), SLAW_OK);
    assert_int_equal(slaw_fit_interval_method(slaw_artifact_fit(back, 0)), SLAW_INTERVAL_DELTA);
    slaw_artifact_free(back);
    free(json);

    /* written before the method was recorded: normal quantiles, as then */
    json = with_interval(a, NULL);
    assert_int_equal(slaw_artifact_parse("fit.json", json, strlen(json), &back, &err), SLAW_OK);
    const slaw_fit *f = slaw_artifact_fit(back, 0);
    assert_int_equal(slaw_fit_interval_method(f), SLAW_INTERVAL_DELTA);
    double lo, hi, x = 1e11;
    assert_true(slaw_fit_param_interval(f, 1, &lo, &hi));
    assert_close(hi, slaw_fit_value(f, 1) + Z95 * sd(f, 1), 1e-12);
    slaw_forecast fc;
    assert_int_equal(slaw_forecast_at(f, &x, NULL, &fc, &err), SLAW_OK);
    assert_int_equal(fc.method, SLAW_INTERVAL_DELTA);
    char *again = slaw_artifact_to_json(back); /* and it is written back without one */
    assert_null(strstr(again, "\"interval\""));
    free(again);
    slaw_artifact_free(back);
    free(json);

    const char *bad[] = {"auto", "none", "T", "percentile"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        json = with_interval(a, bad[i]);
        assert_int_equal(slaw_artifact_parse("fit.json", json, strlen(json), &back, &err),
                         SLAW_EINPUT);
        assert_non_null(strstr(err.message, "settings.interval must be \"t\", \"delta\" or "
                                            "\"bootstrap\""));
        free(json);
    }
    slaw_artifact_free(a);
}

static void fixed_parameters_should_have_no_interval(void **state)
{
    (void)state;
    const char *fix[] = {"alpha=0.32"};
    slaw_fit_options opt;
    slaw_fit_options_init(&opt);
    opt.law = "saturating";
    opt.fix = fix;
    opt.n_fix = 1;
    slaw_artifact *a = fit_simulated(&opt, saturating_truth, 0.01, 5, 12);
    const slaw_fit *f = slaw_artifact_fit(a, 0);
    double lo, hi;
    assert_int_equal(slaw_fit_interval_dof(f), 12 - 2);
    assert_false(slaw_fit_param_interval(f, 2, &lo, &hi));
    assert_true(isnan(lo) && isnan(hi));
    assert_true(slaw_fit_param_interval(f, 0, &lo, &hi));
    slaw_artifact_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_intervals_should_match_the_hand_computation),
        cmocka_unit_test(delta_intervals_should_take_normal_quantiles_on_the_natural_scale),
        cmocka_unit_test(bootstrap_should_give_percentiles_unless_told_otherwise),
        cmocka_unit_test(bootstrap_intervals_without_resamples_should_be_refused),
        cmocka_unit_test(the_fit_file_should_record_the_method_and_old_files_keep_theirs),
        cmocka_unit_test(fixed_parameters_should_have_no_interval),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
