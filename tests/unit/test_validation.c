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

/* Noise-free runs from law at natural over 5 sizes N × 4 token counts D ×
 * 2 unique-token budgets U (a column each: N, D, U, loss), then a rollout:
 * each step that fits predicts the next size exactly, from every variable
 * the law reads (muennighoff's U; gadre's C and M, derived from N and D). */
static void rollout_exactly(const char *name, const double *natural)
{
    const slaw_law *law = slaw_law_find(name);
    char csv[8192];
    size_t o = (size_t)snprintf(csv, sizeof csv, "N,D,U,loss\n");
    for (int i = 0; i < 5; i++)
        for (int j = 0; j < 4; j++)
            for (int k = 0; k < 2; k++) {
                double r[SLAW_ROLE_COUNT], x[4], y;
                for (size_t q = 0; q < SLAW_ROLE_COUNT; q++) r[q] = NAN;
                r[SLAW_ROLE_N] = 1e8 * pow(10.0, i / 2.0);
                r[SLAW_ROLE_D] = 2e9 * pow(10.0, j / 1.5) * (1 + i);
                r[SLAW_ROLE_U] = r[SLAW_ROLE_D] / (k ? 8.0 : 1.5);
                for (size_t v = 0; v < slaw_law_var_count(law); v++)
                    x[v] = slaw_role_derive(slaw_law_var_role(law, v), r, 0);
                y = slaw_law_eval(law, natural, x);
                o += (size_t)snprintf(csv + o, sizeof csv - o, "%.17g,%.17g,%.17g,%.17g\n",
                                      r[SLAW_ROLE_N], r[SLAW_ROLE_D], r[SLAW_ROLE_U], y);
            }
    slaw_runs *runs;
    slaw_error err;
    assert_int_equal(load_text("runs.csv", csv, NULL, &runs, &err), SLAW_OK);
    slaw_fit_options opt;
    slaw_fit_options_init(&opt);
    opt.law = name;
    slaw_rollout *r = NULL;
    if (slaw_rollout_runs(runs, &opt, &r, &err) != SLAW_OK) fail_msg("%s: %s", name, err.message);
    size_t fitted = 0;
    for (size_t i = 0; i < slaw_rollout_step_count(r); i++) {
        const slaw_rollout_step *s = slaw_rollout_step_at(r, i);
        if (!s->fitted || s->undetermined) continue;
        fitted++;
        if (!(s->male < 1e-6))
            fail_msg("%s: step %zu predicts %zu runs with mean |log error| %g", name, i, s->n_pred,
                     s->male);
    }
    if (fitted < 2) fail_msg("%s: only %zu steps fitted", name, fitted);
    slaw_rollout_free(r);
    slaw_runs_free(runs);
}

static void rollout_should_predict_from_every_variable_of_the_law(void **state)
{
    (void)state;
    static const double mu[7] = {1.8691, 520.6, 1488.0, 0.3526596, 0.3526596, 15.387756, 5.309743};
    static const double ga[4] = {1.85, 529.0, 535.0, 0.15};
    rollout_exactly("muennighoff", mu);
    rollout_exactly("gadre", ga);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(holdout_should_predict_the_largest_runs),
        cmocka_unit_test(rollout_should_step_through_the_sizes),
        cmocka_unit_test(rollout_should_name_the_option_of_a_failed_step),
        cmocka_unit_test(rollout_should_predict_from_every_variable_of_the_law),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
