/* test_validation.c — holdout and rollout: extrapolation measured by fitting
 * without the largest runs and predicting them. */
#include "helpers.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Noise-free runs of y = 1.8 + 380 N^-0.32 at 10 sizes, two runs each. */
static slaw_runs *saturating_runs(void)
{
    char csv[2048];
    size_t o = (size_t)snprintf(csv, sizeof csv, "N,loss,C\n");
    for (int i = 0; i < 10; i++) {
        double n = 1e7 * pow(10.0, i / 3.0), y = 1.8 + 380 * pow(n, -0.32);
        o += (size_t)snprintf(csv + o, sizeof csv - o, "%.17g,%.17g,%.17g\n%.17g,%.17g,%.17g\n", n,
                              y, 6 * n * 20 * n, n, y, 6 * n * 40 * n);
    }
    slaw_runs *runs;
    slaw_error err;
    assert_int_equal(load_text("sat.csv", csv, NULL, &runs, &err), SLAW_OK);
    return runs;
}

static void holdout_should_predict_the_largest_runs(void **state)
{
    (void)state;
    slaw_runs *runs = saturating_runs();
    slaw_fit_options opt;
    slaw_fit_options_init(&opt);
    opt.law = "saturating";
    opt.holdout = "largest:2";
    slaw_artifact *a = NULL;
    slaw_error err;
    assert_int_equal(slaw_fit_runs(runs, &opt, &a, &err), SLAW_OK);
    const slaw_fit *f = slaw_artifact_fit(a, 0);
    slaw_fit_stats st;
    slaw_fit_get_stats(f, &st);
    assert_int_equal(st.n, 16);
    assert_int_equal(slaw_fit_holdout_count(f), 4);
    double x, obs, pred, male, bias, worst;
    slaw_fit_holdout_run(f, 0, &x, &obs, &pred);
    assert_true(x >= 1e9);
    assert_close(pred, obs, 1e-6); /* noise-free: the law extrapolates exactly */
    assert_true(slaw_fit_holdout_errors(f, &male, &bias, &worst));
    assert_true(male < 1e-6 && fabs(bias) <= male && worst < 1e-6);
    slaw_artifact_free(a);
    /* By compute: the runs of the two largest C values. */
    opt.holdout = "largest-c:2";
    assert_int_equal(slaw_fit_runs(runs, &opt, &a, &err), SLAW_OK);
    assert_int_equal(slaw_fit_holdout_count(slaw_artifact_fit(a, 0)), 2);
    slaw_artifact_free(a);
    static const char *bad[] = {"largest", "largest:0", "smallest:2", "largest:x", "largest-c:"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        opt.holdout = bad[i];
        assert_int_equal(slaw_fit_runs(runs, &opt, &a, &err), SLAW_EUSAGE);
    }
    opt.holdout = "largest:10";
    assert_int_equal(slaw_fit_runs(runs, &opt, &a, &err), SLAW_EFIT);
    assert_non_null(strstr(err.message, "every run"));
    opt.holdout = "largest:11";
    assert_int_equal(slaw_fit_runs(runs, &opt, &a, &err), SLAW_EFIT);
    slaw_runs_free(runs);
}

static void rollout_should_step_through_the_sizes(void **state)
{
    (void)state;
    slaw_runs *runs = saturating_runs();
    slaw_fit_options opt;
    slaw_fit_options_init(&opt);
    opt.law = "saturating";
    slaw_rollout *r = NULL;
    slaw_error err;
    assert_int_equal(slaw_rollout_runs(runs, &opt, &r, &err), SLAW_OK);
    assert_int_equal(slaw_rollout_step_count(r), 9);
    assert_string_equal(slaw_rollout_variable(r), "N");
    const slaw_rollout_step *s0 = slaw_rollout_step_at(r, 0), *s8 = slaw_rollout_step_at(r, 8);
    assert_false(s0->fitted); /* 2 runs with a single N cannot fit 3 parameters */
    assert_non_null(strstr(s0->message, "too few runs"));
    assert_string_equal(s0->option, ""); /* the runs are at fault, not an option */
    assert_true(s8->fitted);
    assert_int_equal(s8->n_fit, 18);
    assert_int_equal(s8->n_pred, 2);
    assert_true(s8->cutoff < s8->next && s8->male < 1e-6);
    double mean_male, bias;
    size_t predicted;
    slaw_rollout_summary(r, &mean_male, &bias, &predicted);
    /* Early steps see two or three sizes and extrapolate poorly; the mean
     * is finite and each later step, with enough sizes, is exact. */
    assert_true(isfinite(mean_male) && isfinite(bias));
    for (size_t i = 4; i < 9; i++) assert_true(slaw_rollout_step_at(r, i)->male < 1e-6);
    assert_true(predicted >= 2 && predicted <= 16);
    slaw_rollout_free(r);
    opt.law = "nope";
    assert_int_equal(slaw_rollout_runs(runs, &opt, &r, &err), SLAW_EUSAGE);
    slaw_runs_free(runs);
}

/* A step that fails because of an option names its field, so the CLI can
 * say which flag: here every start of the grid makes the log of a negative. */
static void rollout_should_name_the_option_of_a_failed_step(void **state)
{
    (void)state;
    slaw_runs *runs = saturating_runs();
    slaw_fit_options opt;
    slaw_fit_options_init(&opt);
    opt.formula = "E - A/N^alpha";
    opt.grid = "E=1,A=100,alpha=0";
    slaw_rollout *r = NULL;
    slaw_error err;
    assert_int_equal(slaw_rollout_runs(runs, &opt, &r, &err), SLAW_EFIT);
    assert_null(r);
    assert_non_null(strstr(err.message, "no rollout step could be fitted"));
    assert_string_equal(err.option, "grid");
    slaw_runs_free(runs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(holdout_should_predict_the_largest_runs),
        cmocka_unit_test(rollout_should_step_through_the_sizes),
        cmocka_unit_test(rollout_should_name_the_option_of_a_failed_step),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
