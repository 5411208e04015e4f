/* test_metric_laws.c — laws of a downstream metric against loss (downstream,
 * sigmoid; their values and Jacobians are test_law_registry's): a point
 * outside the law, recovery of known parameters from simulated runs, and
 * sigmoid's caveat when every run sits at the chance floor. */
#include "helpers.h"
#include "law.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Gadre et al. 2024's C4 fit of the error law (their Table 3 values), and a
 * four-way multiple-choice accuracy curve. */
static const struct {
    const char *name;
    double natural[4];
} cases[] = {
    {"downstream", {0.850, 2.08, 0.756}},
    {"sigmoid", {0.25, 0.82, 3.5, 3.1}},
};

static void an_error_at_or_below_zero_should_fail_the_point(void **state)
{
    (void)state;
    const slaw_law *law = slaw_law_find("downstream");
    double theta[3] = {0.5, log(2.08), 0.756}, lnl = log(1.0), lny;
    const double *in[1] = {&lnl};
    law->eval(theta, in, 1, &lny, NULL); /* 0.5 - 2.08 e^-0.756 < 0 */
    assert_true(isnan(lny));
}

/* Runs of the metric at losses from lo to hi, drawn from law with noise. */
static slaw_runs *simulated(const char *name, const double *truth, double lo, double hi, size_t n,
                            double noise, unsigned long seed)
{
    const slaw_law *law = slaw_law_find(name);
    double *l = malloc(n * sizeof *l), *y = malloc(n * sizeof *y);
    char *csv = malloc(n * 60 + 32);
    slaw_error err;
    assert_non_null(l);
    assert_non_null(y);
    assert_non_null(csv);
    for (size_t i = 0; i < n; i++) l[i] = lo + (hi - lo) * (double)i / (double)(n - 1);
    assert_int_equal(slaw_simulate(law, truth, l, n, noise, seed, y, &err), SLAW_OK);
    size_t o = (size_t)sprintf(csv, "loss,metric\n");
    for (size_t i = 0; i < n; i++) o += (size_t)sprintf(csv + o, "%.17g,%.17g\n", l[i], y[i]);
    slaw_runs *runs = NULL;
    slaw_load_options lo_opt;
    slaw_load_options_init(&lo_opt);
    lo_opt.role_column[SLAW_ROLE_L] = "metric";
    assert_int_equal(load_text("metric.csv", csv, &lo_opt, &runs, &err), SLAW_OK);
    free(l);
    free(y);
    free(csv);
    return runs;
}

static slaw_artifact *fit_metric(const slaw_runs *runs, const char *law, const char *const *fix,
                                 size_t n_fix)
{
    slaw_fit_options opt;
    slaw_artifact *a = NULL;
    slaw_error err;
    slaw_fit_options_init(&opt);
    opt.law = law;
    opt.x = "loss";
    opt.fix = fix;
    opt.n_fix = n_fix;
    if (slaw_fit_runs(runs, &opt, &a, &err) != SLAW_OK) fail_msg("fit failed: %s", err.message);
    return a;
}

/* Noise-free runs give back the parameters; noisy ones within three
 * standard errors (one draw each, so this is a check of the fit, not of
 * coverage). */
static void metric_laws_should_recover_their_parameters(void **state)
{
    (void)state;
    static const char *const fix_c[] = {"c=0.25"};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        bool sig = !strcmp(cases[c].name, "sigmoid");
        for (int noisy = 0; noisy < 2; noisy++) {
            slaw_runs *runs = simulated(cases[c].name, cases[c].natural, 2.2, 4.6, 16,
                                        noisy ? 0.01 : 0.0, 11 + c);
            slaw_artifact *a = fit_metric(runs, cases[c].name, sig ? fix_c : NULL, sig);
            const slaw_fit *f = slaw_artifact_fit(a, 0);
            for (size_t j = sig; j < slaw_law_param_count(slaw_fit_law(f)); j++) {
                double v = slaw_fit_value(f, j), se = slaw_fit_stderr(f, j);
                double truth = cases[c].natural[j];
                if (noisy ? !(fabs(v - truth) <= 3 * se) : !close_enough(v, truth, 1e-6))
                    fail_msg("%s%s: %s = %.10g +- %g, truth %g", cases[c].name,
                             noisy ? " (1% noise)" : "", slaw_law_param_name(slaw_fit_law(f), j), v,
                             se, truth);
            }
            slaw_artifact_free(a);
            slaw_runs_free(runs);
        }
    }
}

static bool has_warning(const slaw_fit *f, const char *text)
{
    for (size_t w = 0; w < slaw_fit_warning_count(f); w++)
        if (strstr(slaw_fit_warning(f, w), text)) return true;
    return false;
}

static void sigmoid_should_warn_when_every_run_sits_at_chance(void **state)
{
    (void)state;
    static const char *const fix_c[] = {"c=0.25"};
    /* The curve rises around L0 = 3.1; runs at losses 4.5 to 6 are all
     * within 0.1% of chance. */
    slaw_runs *runs = simulated("sigmoid", cases[1].natural, 4.5, 6.0, 10, 0.002, 5);
    slaw_fit_options opt;
    slaw_artifact *a = NULL;
    slaw_error err;
    slaw_fit_options_init(&opt);
    opt.law = "sigmoid";
    opt.x = "loss";
    opt.fix = fix_c;
    opt.n_fix = 1;
    assert_int_equal(slaw_fit_runs(runs, &opt, &a, &err), SLAW_OK);
    assert_true(has_warning(slaw_artifact_fit(a, 0), "within 5% of the chance floor c = 0.25"));
    slaw_artifact_free(a);
    slaw_runs_free(runs);

    runs = simulated("sigmoid", cases[1].natural, 2.2, 4.6, 16, 0.0, 5);
    a = fit_metric(runs, "sigmoid", fix_c, 1);
    assert_false(has_warning(slaw_artifact_fit(a, 0), "chance floor"));
    slaw_artifact_free(a);
    slaw_runs_free(runs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(an_error_at_or_below_zero_should_fail_the_point),
        cmocka_unit_test(metric_laws_should_recover_their_parameters),
        cmocka_unit_test(sigmoid_should_warn_when_every_run_sits_at_chance),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
