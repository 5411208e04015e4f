/* test_compare_laws.c — slaw_compare_runs: several laws fitted to the same
 * runs, scored, the best picked per group, as `slaw compare` prints them. */
#include "helpers.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Runs of the saturating law 1.8 + 380·N^-0.32 with 1% noise. */
static slaw_runs *saturating_runs(void)
{
    const slaw_law *law = slaw_law_find("saturating");
    double truth[3] = {1.8, 380, 0.32}, x[12], y[12];
    slaw_error err;
    char csv[2048];
    size_t o = (size_t)snprintf(csv, sizeof csv, "N,loss\n");
    for (size_t i = 0; i < 12; i++) x[i] = 1e7 * pow(10, 3.0 * (double)i / 11);
    assert_int_equal(slaw_simulate(law, truth, x, 12, 0.01, 3, y, &err), SLAW_OK);
    for (size_t i = 0; i < 12; i++)
        o += (size_t)snprintf(csv + o, sizeof csv - o, "%.17g,%.17g\n", x[i], y[i]);
    return load_ok("sat.csv", csv, NULL);
}

static void the_law_that_made_the_runs_should_win_by_aic(void **state)
{
    (void)state;
    slaw_runs *runs = saturating_runs();
    slaw_fit_options opt;
    slaw_fit_options_init(&opt);
    const char *laws[] = {"power", "saturating"};
    slaw_comparison *c = NULL;
    slaw_error err;
    size_t failed;
    assert_int_equal(slaw_compare_runs(runs, laws, 2, &opt, SLAW_COMPARE_AIC, &c, &failed, &err),
                     SLAW_OK);
    assert_int_equal(slaw_comparison_count(c), 2);
    assert_string_equal(slaw_comparison_law(c, 1), "saturating");
    assert_int_equal(slaw_comparison_best(c, 0), 1);
    double aic_power = slaw_comparison_score(c, 0, 0, SLAW_COMPARE_AIC);
    double aic_sat = slaw_comparison_score(c, 1, 0, SLAW_COMPARE_AIC);
    assert_true(isfinite(aic_power) && isfinite(aic_sat) && aic_sat < aic_power);
    slaw_fit_stats st;
    slaw_fit_get_stats(slaw_artifact_fit(slaw_comparison_artifact(c, 1), 0), &st);
    assert_true(st.aic == aic_sat); /* the score is the fit's own */
    assert_true(isnan(slaw_comparison_score(c, 1, 0, SLAW_COMPARE_HOLDOUT))); /* none asked */
    assert_true(isnan(slaw_comparison_score(c, 1, 0, SLAW_COMPARE_ROLLOUT)));
    assert_true(isnan(slaw_comparison_score(c, 2, 0, SLAW_COMPARE_AIC)));
    slaw_comparison_free(c);
    slaw_runs_free(runs);
}

static void a_law_that_fails_should_be_named_by_its_index(void **state)
{
    (void)state;
    slaw_runs *runs = saturating_runs();
    slaw_fit_options opt;
    slaw_fit_options_init(&opt);
    const char *laws[] = {"power", "no-such-law"};
    slaw_comparison *c = NULL;
    slaw_error err;
    size_t failed = 0;
    assert_int_equal(slaw_compare_runs(runs, laws, 2, &opt, SLAW_COMPARE_AIC, &c, &failed, &err),
                     SLAW_EUSAGE);
    assert_int_equal(failed, 1);
    assert_null(c);
    assert_int_equal(
        slaw_compare_runs(runs, laws, 1, &opt, SLAW_COMPARE_HOLDOUT, &c, &failed, &err),
        SLAW_EUSAGE); /* the holdout criterion needs a holdout rule */
    assert_true(failed == SIZE_MAX);
    slaw_runs_free(runs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_law_that_made_the_runs_should_win_by_aic),
        cmocka_unit_test(a_law_that_fails_should_be_named_by_its_index),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
