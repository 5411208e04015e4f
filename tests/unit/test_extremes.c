/* test_extremes.c — fits pushed to the edges of double precision: sizes up
 * to 1e300, losses down to 1e-300, start grids with extreme exponents and
 * scales.  Every fit either succeeds with finite, reportable parameters (an
 * artifact that reads back) or fails with SLAW_EFIT; none reports a NaN. */
#include "helpers.h"

#include "solver_params.h" /* param_map */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Runs y = scale * N^-alpha (times exp(D term) for laws of N and D) over
 * N in [n_lo, n_hi], as CSV, with a little deterministic scatter. */
static slaw_runs *runs_between(double n_lo, double n_hi, double scale, double alpha, bool with_d)
{
    char *csv = malloc(64 * 1024);
    assert_non_null(csv);
    size_t o = (size_t)sprintf(csv, with_d ? "N,D,loss\n" : "N,loss\n");
    for (int i = 0; i < 8; i++)
        for (int k = 0; k < (with_d ? 4 : 1); k++) {
            double n = n_lo * pow(n_hi / n_lo, i / 7.0), d = 1e9 * pow(10.0, k);
            double y = scale * pow(n / n_lo, -alpha) * (1 + 0.01 * sin(3.0 * i + k)) *
                       (with_d ? 1 + 0.3 * pow(10.0, -k) : 1);
            if (with_d) o += (size_t)sprintf(csv + o, "%.17g,%.17g,%.17g\n", n, d, y);
            else o += (size_t)sprintf(csv + o, "%.17g,%.17g\n", n, y);
        }
    slaw_runs *runs = NULL;
    slaw_error err;
    char msg[2048];
    if (load_text("extreme.csv", csv, NULL, &runs, &err) != SLAW_OK)
        fail_msg("load failed: %s", slaw_error_text(&err, msg, sizeof msg));
    free(csv);
    return runs;
}

/* A successful fit holds only finite, reportable numbers and survives its
 * artifact; a failed one says SLAW_EFIT. */
static void fit_is_sound(const slaw_runs *runs, const char *law, const char *grid, slaw_space space)
{
    slaw_fit_options opt;
    slaw_fit_options_init(&opt);
    opt.law = law;
    opt.grid = grid;
    opt.space = space;
    slaw_artifact *a = NULL;
    slaw_error err;
    slaw_status st = slaw_fit_runs(runs, &opt, &a, &err);
    if (st != SLAW_OK) {
        if (st != SLAW_EFIT) fail_msg("%s --grid '%s': status %d: %s", law, grid, st, err.message);
        assert_null(a);
        return;
    }
    const slaw_fit *f = slaw_artifact_fit(a, 0);
    const slaw_law *l = slaw_fit_law(f);
    slaw_fit_stats s;
    slaw_fit_get_stats(f, &s);
    for (size_t j = 0; j < slaw_law_param_count(l); j++) {
        double v = slaw_fit_value(f, j), se = slaw_fit_stderr(f, j);
        if (!isfinite(v) || (slaw_law_param_is_log(l, j) && !(v > 0)))
            fail_msg("%s --grid '%s': %s = %g", law, grid, slaw_law_param_name(l, j), v);
        if (isinf(se))
            fail_msg("%s --grid '%s' (%s): stderr of %s = %g (value %g)", law, grid,
                     space == SLAW_SPACE_LOG ? "log" : "linear", slaw_law_param_name(l, j), se, v);
    }
    if (!(isfinite(s.objective) && isfinite(s.rmse_log) && isfinite(s.sigma)))
        fail_msg("%s --grid '%s' (%s): objective %g, rmse_log %g, sigma %g", law, grid,
                 space == SLAW_SPACE_LOG ? "log" : "linear", s.objective, s.rmse_log, s.sigma);
    assert_true(s.converged >= 1);
    char *text = slaw_artifact_to_json(a);
    assert_non_null(text);
    assert_null(strstr(text, "nan"));
    assert_null(strstr(text, "inf"));
    slaw_artifact *back = NULL;
    if (slaw_artifact_parse("extreme.json", text, strlen(text), &back, &err) != SLAW_OK)
        fail_msg("%s --grid '%s': the artifact does not read back: %s", law, grid, err.message);
    slaw_artifact_free(back);
    free(text);
    slaw_artifact_free(a);
}

static void huge_sizes_and_tiny_losses_should_fit(void **state)
{
    (void)state;
    slaw_runs *runs = runs_between(1e290, 1e300, 1e-280, 0.6, false);
    fit_is_sound(runs, "power", NULL, SLAW_SPACE_LOG);
    fit_is_sound(runs, "saturating", NULL, SLAW_SPACE_LOG);
    fit_is_sound(runs, "bnsl", NULL, SLAW_SPACE_LOG);
    /* in linear space the residuals are ~1e-280: squares underflow */
    fit_is_sound(runs, "power", NULL, SLAW_SPACE_LINEAR);
    fit_is_sound(runs, "saturating", NULL, SLAW_SPACE_LINEAR);
    slaw_runs_free(runs);
    runs = runs_between(1e-300, 1e-290, 1e300, 0.3, false);
    fit_is_sound(runs, "power", NULL, SLAW_SPACE_LOG);
    fit_is_sound(runs, "saturating", NULL, SLAW_SPACE_LOG);
    slaw_runs_free(runs);
    /* N up to 1e150 with D: C = 6ND stays finite */
    runs = runs_between(1e140, 1e150, 1e-300, 0.3, true);
    fit_is_sound(runs, "chinchilla", NULL, SLAW_SPACE_LOG);
    fit_is_sound(runs, "kaplan", NULL, SLAW_SPACE_LOG);
    slaw_runs_free(runs);
}

/* Start grids that put exponents and scales where e^x overflows: those
 * starts are failed points, never a result. */
static void extreme_start_grids_should_never_give_nan(void **state)
{
    (void)state;
    static const struct {
        const char *law, *grid;
    } cases[] = {
        {"chinchilla", "alpha=1e6"},
        {"chinchilla", "alpha=-1e6"},
        {"chinchilla", "alpha=1e-300,beta=1e300"},
        {"chinchilla", "a=1e300"},
        {"chinchilla", "e=-1e300,a=700:710:5"},
        {"chinchilla", "e=709.7,a=709.7,b=709.7"},
        {"chinchilla", "alpha=0:1e5:1e4,beta=0:1e5:1e4"},
        {"chinchilla", "E=1e-300,A=1e300,B=1e300"},
        {"kaplan", "alpha_N=1e3,alpha_D=1e-3"},
        {"saturating", "alpha=1e300"},
        {"saturating", "E=1e-300,A=1e308"},
        {"power", "p=1e300"},
        {"power", "p=-700:700:100"},
        {"bnsl", "c1=1e300,f1=1e-300"},
    };
    slaw_runs *one = runs_between(1e7, 1e11, 4.0, 0.3, false);
    slaw_runs *two = runs_between(1e7, 1e11, 4.0, 0.3, true);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const slaw_law *law = slaw_law_find(cases[i].law);
        const slaw_runs *runs = slaw_law_var_count(law) == 2 ? two : one;
        fit_is_sound(runs, cases[i].law, cases[i].grid, SLAW_SPACE_LOG);
        fit_is_sound(runs, cases[i].law, cases[i].grid, SLAW_SPACE_LINEAR);
    }
    slaw_runs_free(one);
    slaw_runs_free(two);
}

/* Bounds at the edges of double precision: a bound a hair from zero is
 * kept exactly (lo - 1 + sqrt(u² + 1) rounded a lower bound of 1e-300 to
 * 0, below it), and bounds as wide as ±1e308 do not overflow. */
static void bounds_should_hold_at_the_edges(void **state)
{
    (void)state;
    static const char *const specs[] = {"alpha=1e-300:",       "alpha=:-1e-300",
                                        "alpha=1e-300:2e-300", "alpha=-1e308:1e308",
                                        "alpha=-1.7e308:",     "alpha=:1.7e308"};
    static const double probes[] = {0.0, 1e-200, -1e-8, 0.5, -3.0, 1e3, 1e200, -1e300};
    const slaw_law *law = slaw_law_find("saturating");
    for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++) {
        slaw_fit_options opt;
        slaw_fit_options_init(&opt);
        opt.law = "saturating";
        opt.bound = &specs[i];
        opt.n_bound = 1;
        param_map pm;
        slaw_error err;
        assert_int_equal(param_map_build(law, &opt, &pm, &err), SLAW_OK);
        size_t k = (size_t)pm.free_of[2]; /* alpha */
        for (size_t t = 0; t < sizeof probes / sizeof probes[0]; t++) {
            double u[LAW_MAX_PARAMS] = {0}, theta[LAW_MAX_PARAMS], back[LAW_MAX_PARAMS];
            u[k] = probes[t];
            param_map_theta(&pm, u, theta);
            if (!(theta[2] >= pm.lo[k] && theta[2] <= pm.hi[k]))
                fail_msg("--bound %s: u = %g gives alpha = %g", specs[i], probes[t], theta[2]);
            param_map_u(&pm, theta, back);
            assert_false(isnan(back[k]));
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(huge_sizes_and_tiny_losses_should_fit),
        cmocka_unit_test(extreme_start_grids_should_never_give_nan),
        cmocka_unit_test(bounds_should_hold_at_the_edges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
