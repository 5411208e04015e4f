/* test_coverage.c — do slaw's 95% bootstrap intervals cover the truth about
 * 95% of the time?  200 datasets drawn from a known law with realistic
 * noise, each fitted and bootstrapped; the fraction of intervals holding the
 * true exponent must lie within 0.90-0.99.  Seeded, so the outcome is fixed. */
#include "helpers.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DATASETS 200
#define RESAMPLES 200

/* The CSV text of one simulated sweep. */
static char *sweep(const slaw_law *law, const double *truth, size_t n_points, double noise,
                   unsigned long seed)
{
    size_t nv = slaw_law_var_count(law), n = nv == 2 ? n_points * n_points : n_points;
    double x[400], y[200];
    for (size_t i = 0; i < n; i++) {
        size_t a = nv == 2 ? i / n_points : i, b = i % n_points;
        x[i * nv] = 3e7 * pow(1000.0, (double)a / (double)(n_points - 1));
        if (nv == 2) x[i * nv + 1] = 1e9 * pow(300.0, (double)b / (double)(n_points - 1));
    }
    slaw_error err;
    assert_int_equal(slaw_simulate(law, truth, x, n, noise, seed, y, &err), SLAW_OK);
    char *csv = malloc(n * 80 + 32);
    size_t o = (size_t)sprintf(csv, nv == 2 ? "N,D,loss\n" : "N,loss\n");
    for (size_t i = 0; i < n; i++)
        o += nv == 2 ? (size_t)sprintf(csv + o, "%.17g,%.17g,%.17g\n", x[2 * i], x[2 * i + 1], y[i])
                     : (size_t)sprintf(csv + o, "%.17g,%.17g\n", x[i], y[i]);
    return csv;
}

static double coverage(const char *name, const double *truth, size_t alpha, size_t n_points,
                       double noise)
{
    const slaw_law *law = slaw_law_find(name);
    size_t covered = 0;
    for (unsigned long d = 0; d < DATASETS; d++) {
        char *csv = sweep(law, truth, n_points, noise, 1000 + d);
        slaw_runs *runs;
        slaw_error err;
        assert_int_equal(load_text("sweep.csv", csv, NULL, &runs, &err), SLAW_OK);
        slaw_fit_options opt;
        slaw_fit_options_init(&opt);
        opt.law = name;
        opt.bootstrap = RESAMPLES;
        opt.seed = d;
        opt.polish = 4;
        slaw_artifact *a = NULL;
        if (slaw_fit_runs(runs, &opt, &a, &err) != SLAW_OK)
            fail_msg("dataset %lu: %s", d, err.message);
        double se, lo, hi;
        assert_true(slaw_fit_bootstrap_param(slaw_artifact_fit(a, 0), alpha, &se, &lo, &hi));
        covered += lo <= truth[alpha] && truth[alpha] <= hi;
        slaw_artifact_free(a);
        slaw_runs_free(runs);
        free(csv);
    }
    double fraction = (double)covered / DATASETS;
    print_message("%s: %zu of %d intervals hold the true %s (%.3f)\n", name, covered, DATASETS,
                  slaw_law_param_name(law, alpha), fraction);
    return fraction;
}

static void chinchilla_intervals_should_cover_alpha_about_95_percent(void **state)
{
    (void)state;
    double truth[5] = {1.69, 406.4, 410.7, 0.34, 0.28};
    double c = coverage("chinchilla", truth, 3, 6, 0.01);
    assert_true(c >= 0.90 && c <= 0.99);
}

static void saturating_intervals_should_cover_alpha_about_95_percent(void **state)
{
    (void)state;
    double truth[3] = {1.8, 380, 0.32};
    double c = coverage("saturating", truth, 2, 20, 0.01);
    assert_true(c >= 0.90 && c <= 0.99);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(chinchilla_intervals_should_cover_alpha_about_95_percent),
        cmocka_unit_test(saturating_intervals_should_cover_alpha_about_95_percent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
