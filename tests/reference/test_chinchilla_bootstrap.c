/* test_chinchilla_bootstrap.c — Epoch AI's bootstrap of the Chinchilla fit
 * (4000 resamples): standard errors alpha 0.0154, beta 0.0206; 95% interval
 * of a = beta/(alpha+beta) around 0.513 that excludes Hoffmann et al.'s
 * 0.454-0.455.  Epoch's estimator differs slightly: within +-30%. */
#include "helpers.h"

#include <math.h>

static void epoch_bootstrap_should_be_reproduced(void **state)
{
    (void)state;
    const char *path = source_path("data/chinchilla/svg_extracted_data.csv");
    slaw_runs *runs;
    slaw_error err;
    if (slaw_runs_load(&path, 1, NULL, &runs, &err) != SLAW_OK) fail_msg("%s", err.message);
    slaw_fit_options opt;
    slaw_fit_options_init(&opt);
    slaw_selection *sel = slaw_selection_new();
    slaw_step drop = {.kind = SLAW_STEP_DROP_TOP, .count = 5};
    assert_int_equal(slaw_selection_add(sel, &drop, &err), SLAW_OK);
    opt.law = "chinchilla";
    opt.loss = SLAW_LOSS_HUBER;
    opt.loss_param = 1e-3;
    opt.selection = sel;
    opt.bootstrap = 4000;
    opt.seed = 42;
    slaw_artifact *a = NULL;
    if (slaw_fit_runs(runs, &opt, &a, &err) != SLAW_OK) fail_msg("%s", err.message);
    const slaw_fit *f = slaw_artifact_fit(a, 0);
    double se_alpha, se_beta, se_a, lo, hi, lo_a, hi_a;
    assert_true(slaw_fit_bootstrap_param(f, 3, &se_alpha, &lo, &hi));
    assert_true(slaw_fit_bootstrap_param(f, 4, &se_beta, &lo, &hi));
    assert_true(slaw_fit_bootstrap_derived(f, 0, &se_a, &lo_a, &hi_a));
    print_message("se(alpha) %.4f, se(beta) %.4f, a in [%.4f, %.4f], %zu samples, %zu failed\n",
                  se_alpha, se_beta, lo_a, hi_a, slaw_fit_bootstrap_count(f),
                  slaw_fit_bootstrap_failures(f));
    assert_true(fabs(se_alpha / 0.0154 - 1) <= 0.30);
    assert_true(fabs(se_beta / 0.0206 - 1) <= 0.30);
    assert_true(lo_a <= 0.513 && 0.513 <= hi_a);
    assert_true(lo_a > 0.455);
    slaw_artifact_free(a);
    slaw_selection_free(sel);
    slaw_runs_free(runs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(epoch_bootstrap_should_be_reproduced),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
