/* test_chinchilla_epoch.c — Epoch AI's replication of the Chinchilla fit
 * (Besiroglu et al. 2024) on the bundled runs: 240 runs after dropping the 5
 * with the highest loss, Huber (delta 1e-3) on log residuals, the 4500-point
 * grid.  Their best optimum: objective 0.0010182740346, alpha 0.34731266,
 * beta 0.36718262, E 1.8172, A 477.84, B 2143.86. */
#include "helpers.h"

#include <math.h>

static void reproduce(long polish)
{
    const char *path = source_path("data/chinchilla/svg_extracted_data.csv");
    slaw_runs *runs;
    slaw_error err;
    if (slaw_runs_load(&path, 1, NULL, &runs, &err) != SLAW_OK) fail_msg("%s", err.message);
    assert_int_equal(slaw_runs_count(runs), 245);
    slaw_fit_options opt;
    slaw_fit_options_init(&opt);
    slaw_selection *sel = slaw_selection_new();
    slaw_step drop = {.kind = SLAW_STEP_DROP_TOP, .count = 5};
    assert_int_equal(slaw_selection_add(sel, &drop, &err), SLAW_OK);
    opt.law = "chinchilla";
    opt.loss = SLAW_LOSS_HUBER;
    opt.loss_param = 1e-3;
    opt.grid = "epoch";
    opt.selection = sel;
    opt.polish = polish;
    slaw_artifact *a = NULL;
    if (slaw_fit_runs(runs, &opt, &a, &err) != SLAW_OK) fail_msg("%s", err.message);
    const slaw_fit *f = slaw_artifact_fit(a, 0);
    slaw_fit_stats st;
    slaw_fit_get_stats(f, &st);
    double E = 0, A = 0, B = 0, alpha = 0, beta = 0; /* set when the assert passes */
    assert_true(slaw_fit_value_of(f, "E", &E) && slaw_fit_value_of(f, "A", &A) &&
                slaw_fit_value_of(f, "B", &B) && slaw_fit_value_of(f, "alpha", &alpha) &&
                slaw_fit_value_of(f, "beta", &beta));
    print_message("objective %.13g alpha %.8f beta %.8f E %.6f A %.4f B %.3f (polished %zu, "
                  "reached best %zu)\n",
                  st.objective, alpha, beta, E, A, B, st.polished, st.reached_best);
    assert_int_equal(st.n, 240);
    assert_int_equal(st.starts, 4500);
    assert_true(st.objective <= 1.0182741e-3);
    assert_true(fabs(alpha - 0.34731) <= 2e-4);
    assert_true(fabs(beta - 0.36718) <= 2e-4);
    assert_true(fabs(E - 1.8172) <= 1e-3);
    assert_true(fabs(A - 477.8) <= 1);
    assert_true(fabs(B - 2144) <= 10);
    assert_true(st.reached_best >= 2); /* not a single-start optimum */
    slaw_artifact_free(a);
    slaw_selection_free(sel);
    slaw_runs_free(runs);
}

static void epoch_fit_should_be_reproduced_with_default_polishing(void **state)
{
    (void)state;
    reproduce(SLAW_POLISH_DEFAULT);
}

static void epoch_fit_should_be_reproduced_polishing_every_start(void **state)
{
    (void)state;
    reproduce(SLAW_POLISH_ALL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(epoch_fit_should_be_reproduced_with_default_polishing),
        cmocka_unit_test(epoch_fit_should_be_reproduced_polishing_every_start),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
