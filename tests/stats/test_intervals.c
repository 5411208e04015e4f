/* test_intervals.c — do slaw's default 95% intervals hold the truth 93-97%
 * of the time?  Simulated 6 x 6 Chinchilla sweeps (N 3e7-3e10, D 1e9-3e11,
 * E = 1.69, A = 406.4, B = 410.7, alpha = 0.34, beta = 0.28), log-normal
 * noise of 1% and of 5%, each fitted with the default options; counted per
 * parameter: the interval slaw_fit_param_interval reports (the default: t
 * quantiles on n - p = 31 degrees of freedom, E, A and B on the log scale)
 * holds the true value; and the curve's interval of slaw_forecast_at (the
 * default: the delta method on ln L with the same t quantiles) holds the
 * true law at a point inside the sweep and at one 1.5 decades beyond it.
 *
 * 1,000 sweeps per noise level: the binomial standard error of a rate near
 * 95% is sqrt(0.95 * 0.05 / 1000) = 0.7 points, so the band 93-97% is
 * about ±2.9 standard errors.  Seeded, so the outcome is fixed.  Built
 * with AddressSanitizer (about ten times slower) the sweeps are cut to 150
 * per level (standard error 1.8 points) and the band widened to 89-99%
 * (±3.3 standard errors): that build checks the code paths, the others the
 * rates.  Each build prints its counts; docs/uncertainty.md has them. */
#include "helpers.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef SLAW_TEST_SANITIZED
#define SWEEPS 150
#define LOW 0.89
#define HIGH 0.99
#else
#define SWEEPS 1000
#define LOW 0.93
#define HIGH 0.97
#endif

#define SIDE 6
#define P 5
#define POINTS 2

static const double truth[P] = {1.69, 406.4, 410.7, 0.34, 0.28};
/* inside the sweep, and 1.5 decades beyond its largest N and D */
static const double at[POINTS][2] = {{1e9, 1e10}, {1e12, 1e13}};

static slaw_runs *sweep(const slaw_law *law, double noise, unsigned long seed)
{
    double x[2 * SIDE * SIDE], y[SIDE * SIDE];
    for (size_t i = 0; i < SIDE * SIDE; i++) {
        x[2 * i] = 3e7 * pow(1000.0, (double)(i / SIDE) / (SIDE - 1));
        x[2 * i + 1] = 1e9 * pow(300.0, (double)(i % SIDE) / (SIDE - 1));
    }
    slaw_error err;
    assert_int_equal(slaw_simulate(law, truth, x, SIDE * SIDE, noise, seed, y, &err), SLAW_OK);
    char csv[SIDE * SIDE * 80 + 16];
    size_t o = (size_t)sprintf(csv, "N,D,loss\n");
    for (size_t i = 0; i < SIDE * SIDE; i++)
        o += (size_t)sprintf(csv + o, "%.17g,%.17g,%.17g\n", x[2 * i], x[2 * i + 1], y[i]);
    slaw_runs *runs;
    assert_int_equal(load_text("sweep.csv", csv, NULL, &runs, &err), SLAW_OK);
    return runs;
}

/* Fraction held; prints the count with its binomial standard error. */
static double rate(const char *what, size_t held, size_t n)
{
    double p = (double)held / (double)n;
    print_message("  %-14s %4zu of %zu  %.3f  (SE %.3f)\n", what, held, n, p,
                  sqrt(p * (1 - p) / (double)n));
    return p;
}

static void coverage(double noise)
{
    const slaw_law *law = slaw_law_find("chinchilla");
    size_t param_held[P] = {0}, none[P] = {0}, curve_held[POINTS] = {0};
    double lo, hi;
    for (unsigned long r = 0; r < SWEEPS; r++) {
        slaw_runs *runs = sweep(law, noise, 1000 + r);
        slaw_fit_options opt;
        slaw_fit_options_init(&opt);
        opt.law = "chinchilla";
        opt.threads = 1;
        slaw_artifact *a = NULL;
        slaw_error err;
        if (slaw_fit_runs(runs, &opt, &a, &err) != SLAW_OK)
            fail_msg("sweep %lu: %s", r, err.message);
        const slaw_fit *f = slaw_artifact_fit(a, 0);
        assert_int_equal(slaw_fit_interval_method(f), SLAW_INTERVAL_T);
        for (size_t j = 0; j < P; j++) { /* no interval (a singular covariance): missed */
            bool has = slaw_fit_param_interval(f, j, &lo, &hi);
            param_held[j] += has && lo <= truth[j] && truth[j] <= hi;
            none[j] += !has;
        }
        for (size_t k = 0; k < POINTS; k++) {
            slaw_forecast fc;
            assert_int_equal(slaw_forecast_at(f, at[k], NULL, &fc, &err), SLAW_OK);
            double L =
                truth[0] + truth[1] / pow(at[k][0], truth[3]) + truth[2] / pow(at[k][1], truth[4]);
            curve_held[k] += fc.method == SLAW_INTERVAL_T && fc.y.lo <= L && L <= fc.y.hi;
        }
        slaw_artifact_free(a);
        slaw_runs_free(runs);
    }
    print_message("noise %g, %d sweeps, 95%% intervals holding the truth:\n", noise, SWEEPS);
    bool ok = true;
    for (size_t j = 0; j < P; j++) {
        double p = rate(slaw_law_param_name(law, j), param_held[j], SWEEPS);
        ok &= p >= LOW && p <= HIGH;
    }
    print_message("  without an interval (counted as missed): E %zu, A %zu, B %zu, alpha %zu, "
                  "beta %zu\n",
                  none[0], none[1], none[2], none[3], none[4]);
    const char *where[POINTS] = {"L(1e9, 1e10)", "L(1e12, 1e13)"};
    for (size_t k = 0; k < POINTS; k++) {
        double p = rate(where[k], curve_held[k], SWEEPS);
        ok &= p >= LOW && p <= HIGH;
    }
    if (!ok) fail_msg("a coverage outside %.2f-%.2f", LOW, HIGH);
}

static void default_intervals_should_cover_93_to_97_percent_at_1_percent_noise(void **state)
{
    (void)state;
    coverage(0.01);
}

static void default_intervals_should_cover_93_to_97_percent_at_5_percent_noise(void **state)
{
    (void)state;
    coverage(0.05);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(default_intervals_should_cover_93_to_97_percent_at_1_percent_noise),
        cmocka_unit_test(default_intervals_should_cover_93_to_97_percent_at_5_percent_noise),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
