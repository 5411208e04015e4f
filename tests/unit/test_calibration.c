/* test_calibration.c — coverage of prediction intervals over a rollout, the
 * binomial interval on it, and the split-conformal factors that calibrate
 * the intervals of a fit artifact. */
#include "helpers.h"

#include "forecast_coverage.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void wilson_should_match_the_textbook_values(void **state)
{
    (void)state;
    double lo, hi;
    coverage_wilson(8, 10, &lo, &hi); /* 0.8 of 10: 0.490 to 0.943 */
    assert_close(lo, 0.4902, 1e-3);
    assert_close(hi, 0.9433, 1e-3);
    coverage_wilson(0, 5, &lo, &hi); /* none of 5: 0 to 0.434 */
    assert_true(lo == 0);
    assert_close(hi, 0.4345, 1e-3);
    coverage_wilson(0, 0, &lo, &hi);
    assert_true(isnan(lo) && isnan(hi));
}

/* Scores 0.1, 0.2, ..., 2.0 (one step): half inside whatever the level, and
 * the conformal factor is the ceil((n+1)·level)-th smallest score. */
static void summary_should_count_inside_and_take_the_conformal_rank(void **state)
{
    (void)state;
    coverage_score s[20];
    for (size_t i = 0; i < 20; i++) {
        s[i].step = i < 10 ? 0 : 1;
        for (size_t l = 0; l < SLAW_COVERAGE_LEVELS; l++) {
            s[i].score[l] = (double)(i + 1) / 10;
            s[i].width[l] = 0.01 * (double)(l + 1);
        }
    }
    slaw_coverage c;
    coverage_summarize(s, 20, SLAW_ROLLOUT_POOLED, 2, &c);
    assert_close(c.level, 0.9, 1e-12);
    assert_int_equal(c.n, 20);
    assert_int_equal(c.inside, 10);
    assert_close(c.fraction, 0.5, 1e-12);
    assert_close(c.factor, 1.9, 1e-12); /* rank ceil(21 * 0.9) = 19 */
    assert_close(c.mean_width, 0.03, 1e-12);
    coverage_summarize(s, 20, SLAW_ROLLOUT_POOLED, 3, &c);
    assert_close(c.factor, 2.0, 1e-12);  /* rank ceil(21 * 0.95) = 20 */
    coverage_summarize(s, 20, 0, 0, &c); /* step 0: scores 0.1..1.0, all inside */
    assert_int_equal(c.n, 10);
    assert_int_equal(c.inside, 10);
    assert_close(c.factor, 0.6, 1e-12);  /* rank ceil(11 * 0.5) = 6 */
    coverage_summarize(s, 20, 0, 3, &c); /* rank ceil(11 * 0.95) = 11 > 10 */
    assert_true(isinf(c.factor));
}

static slaw_artifact *saturating_fit(void)
{
    slaw_fit_options opt;
    slaw_fit_options_init(&opt);
    opt.law = "saturating";
    double truth[3] = {1.8, 380, 0.32};
    return fit_simulated(&opt, truth, 0.02, 7, 12);
}

/* A run observed exactly at the top of the 90% interval scores 1 there,
 * below 1 at 95% and above 1 at 80%. */
static void a_run_on_the_interval_edge_should_score_one(void **state)
{
    (void)state;
    slaw_artifact *a = saturating_fit();
    const slaw_fit *f = slaw_artifact_fit(a, 0);
    slaw_forecast_options opt;
    slaw_forecast_options_init(&opt, a);
    opt.method = SLAW_INTERVAL_DELTA;
    opt.level = 0.9;
    double x = 3e10;
    slaw_forecast fc;
    assert_int_equal(slaw_forecast_at(f, &x, &opt, &fc, NULL), SLAW_OK);
    coverage_score s;
    assert_true(coverage_score_run(f, &x, fc.pi_hi, SLAW_SPACE_LOG, &s));
    assert_close(s.score[2], 1.0, 1e-9);
    assert_true(s.score[3] < 1 && s.score[1] > 1 && s.score[0] > s.score[1]);
    assert_close(s.width[2], (fc.pi_hi - fc.pi_lo) / fc.y.value, 1e-9);
    slaw_artifact_free(a);
}

/* Noisy runs of the saturating law at 12 sizes, two runs each. */
static slaw_runs *noisy_runs(void)
{
    const slaw_law *law = slaw_law_find("saturating");
    double truth[3] = {1.8, 380, 0.32}, x[24], y[24];
    for (size_t i = 0; i < 24; i++) x[i] = 1e7 * pow(10.0, (double)(i / 2) / 3.0);
    slaw_error err;
    assert_int_equal(slaw_simulate(law, truth, x, 24, 0.02, 11, y, &err), SLAW_OK);
    char csv[4096];
    size_t o = (size_t)snprintf(csv, sizeof csv, "N,loss\n");
    for (size_t i = 0; i < 24; i++)
        o += (size_t)snprintf(csv + o, sizeof csv - o, "%.17g,%.17g\n", x[i], y[i]);
    return load_ok("noisy.csv", csv, NULL);
}

/* The rollout's pooled coverage is the sum of its steps'; calibrating an
 * artifact stores it, forecast widens the delta-method interval's log
 * half-widths by exactly the factor, and the JSON round trip keeps both. */
static void calibrated_forecast_should_widen_by_the_factor(void **state)
{
    (void)state;
    slaw_runs *runs = noisy_runs();
    slaw_fit_options opt;
    slaw_fit_options_init(&opt);
    opt.law = "saturating";
    slaw_rollout *r = NULL;
    slaw_artifact *a = NULL, *back = NULL;
    slaw_error err;
    assert_int_equal(slaw_rollout_runs(runs, &opt, &r, &err), SLAW_OK);
    size_t sum_n = 0, sum_in = 0;
    slaw_coverage c, pooled;
    for (size_t i = 0; i < slaw_rollout_step_count(r); i++) {
        assert_true(slaw_rollout_coverage(r, i, 1, &c));
        sum_n += c.n;
        sum_in += c.inside;
    }
    assert_true(slaw_rollout_coverage(r, SLAW_ROLLOUT_POOLED, 1, &pooled));
    assert_int_equal(pooled.n, sum_n);
    assert_int_equal(pooled.inside, sum_in);
    /* 10 of 11 steps fitted (3 parameters need 4 runs), 2 runs each, less
     * the 2 runs of a step whose covariance is singular: they get no interval */
    assert_int_equal(pooled.n, 18);
    assert_false(slaw_rollout_coverage(r, SLAW_ROLLOUT_POOLED, SLAW_COVERAGE_LEVELS, &c));

    assert_int_equal(slaw_fit_runs(runs, &opt, &a, &err), SLAW_OK);
    assert_false(slaw_artifact_calibration(a, 1, &c));
    assert_int_equal(slaw_artifact_calibrate(a, r, &err), SLAW_OK);
    assert_true(slaw_artifact_calibration(a, 1, &c));
    assert_int_equal(c.n, pooled.n);
    assert_close(c.factor, pooled.factor, 1e-12);

    char *json = slaw_artifact_to_json(a);
    assert_int_equal(slaw_artifact_parse("a.json", json, strlen(json), &back, &err), SLAW_OK);
    free(json);
    for (size_t l = 0; l < SLAW_COVERAGE_LEVELS; l++) {
        slaw_coverage x, y;
        assert_true(slaw_artifact_calibration(a, l, &x));
        assert_true(slaw_artifact_calibration(back, l, &y));
        assert_int_equal(x.inside, y.inside);
        assert_true((isinf(x.factor) && isinf(y.factor)) ||
                    close_enough(x.factor, y.factor, 1e-12));
        assert_close(x.ci_lo, y.ci_lo, 1e-12);
    }
    slaw_forecast_options fo;
    slaw_forecast_options_init(&fo, back);
    fo.level = 0.8;
    fo.method = SLAW_INTERVAL_DELTA; /* what the calibration widens */
    double x = 1e11;
    slaw_forecast fc;
    assert_int_equal(slaw_forecast_at(slaw_artifact_fit(back, 0), &x, &fo, &fc, &err), SLAW_OK);
    double t = log(fc.y.value);
    assert_close(log(fc.pic_hi) - t, c.factor * (log(fc.pi_hi) - t), 1e-9);
    assert_close(t - log(fc.pic_lo), c.factor * (t - log(fc.pi_lo)), 1e-9);
    fo.level = 0.7; /* not a calibrated level */
    assert_int_equal(slaw_forecast_at(slaw_artifact_fit(back, 0), &x, &fo, &fc, &err), SLAW_OK);
    assert_true(isnan(fc.pic_lo) && isnan(fc.pic_hi));
    slaw_artifact_free(back);
    slaw_artifact_free(a);
    slaw_rollout_free(r);
    slaw_runs_free(runs);
}

/* coverage(0.9) in slaw check reads the artifact's calibration: the same
 * fraction, passing or failing by it; without calibration the row fails. */
static void check_should_gate_on_the_calibrated_coverage(void **state)
{
    (void)state;
    slaw_runs *runs = noisy_runs();
    slaw_fit_options opt;
    slaw_fit_options_init(&opt);
    opt.law = "saturating";
    slaw_rollout *r = NULL;
    slaw_artifact *a = NULL;
    slaw_error err;
    assert_int_equal(slaw_fit_runs(runs, &opt, &a, &err), SLAW_OK);
    assert_int_equal(slaw_rollout_runs(runs, &opt, &r, &err), SLAW_OK);
    slaw_check *pass = slaw_check_new(), *fail = slaw_check_new();
    assert_int_equal(slaw_check_add_expect(pass, "coverage(0.9) >= 0", &err), SLAW_OK);
    assert_int_equal(slaw_check_add_expect(fail, "coverage(0.9) > 1", &err), SLAW_OK);
    assert_true(slaw_check_needs_calibration(pass));
    slaw_verdict *v = NULL;
    assert_int_equal(slaw_check_run(pass, NULL, a, &v, &err), SLAW_OK);
    assert_int_equal(slaw_verdict_failures(v), 1); /* not calibrated yet */
    slaw_verdict_free(v);
    assert_int_equal(slaw_artifact_calibrate(a, r, &err), SLAW_OK);
    slaw_coverage c;
    assert_true(slaw_artifact_calibration(a, 2, &c));
    assert_int_equal(slaw_check_run(pass, NULL, a, &v, &err), SLAW_OK);
    assert_int_equal(slaw_verdict_failures(v), 0);
    const slaw_verdict_row *row = slaw_verdict_get(v, 1);
    assert_string_equal(row->subject, "coverage(0.9)");
    assert_close(row->now, c.fraction, 1e-12);
    slaw_verdict_free(v);
    assert_int_equal(slaw_check_run(fail, NULL, a, &v, &err), SLAW_OK);
    assert_int_equal(slaw_verdict_failures(v), 1);
    slaw_verdict_free(v);
    slaw_check *bad = slaw_check_new();
    assert_int_equal(slaw_check_add_expect(bad, "coverage(0.7) >= 0.5", &err), SLAW_OK);
    assert_int_equal(slaw_check_validate(bad, slaw_law_find("saturating"), false, &err),
                     SLAW_EUSAGE);
    assert_non_null(strstr(err.message, "0.5, 0.8, 0.9 or 0.95"));
    slaw_check_free(bad);
    slaw_check_free(pass);
    slaw_check_free(fail);
    slaw_artifact_free(a);
    slaw_rollout_free(r);
    slaw_runs_free(runs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(wilson_should_match_the_textbook_values),
        cmocka_unit_test(summary_should_count_inside_and_take_the_conformal_rank),
        cmocka_unit_test(a_run_on_the_interval_edge_should_score_one),
        cmocka_unit_test(calibrated_forecast_should_widen_by_the_factor),
        cmocka_unit_test(check_should_gate_on_the_calibrated_coverage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
