/* test_joint_stats.c — do joint fits say what they claim?  Simulated A/B
 * sweeps (two groups of 10 x 10 chinchilla runs, N over 4 decades from 1e7,
 * D over 3 from 1e9, 1% log-normal noise):
 *
 *  - the 95% interval of the compute-equivalent gain k (delta method with
 *    the joint covariance) covers the true k in 93-97% of 200 sweeps;
 *  - the F test of "the exponents are equal" rejects at 5% in 3-7% of 200
 *    sweeps whose exponents are equal, and in at least 95% of 200 sweeps
 *    whose alpha differs by 0.05.
 *
 * With 200 sweeps the binomial standard error of a rate near 95% (or 5%)
 * is 1.5 points, so 93-97% and 3-7% are about ±1.3 standard errors: a
 * method that is right passes each with probability about 0.8.  Seeded,
 * so the outcome is fixed.  Built with AddressSanitizer the sweeps are cut
 * to 40 and the bands widened to what 40 sweeps can tell (±3.5 standard
 * errors; power at least 85%): the sanitizer build checks the code paths,
 * the other builds the rates.  Measured (200 sweeps): coverage 188/200 =
 * 0.940, rejections 10/200 = 0.050 with equal exponents, 192/200 = 0.960
 * with alpha 0.05 apart. */
#include "helpers.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef SLAW_TEST_SANITIZED
#define SWEEPS 40
#define NEAR 0.12 /* ±3.5 sd of a 95% rate over 40 */
#define POWER_MIN 0.85
#else
#define SWEEPS 200
#define NEAR 0.02
#define POWER_MIN 0.95
#endif

#define POINTS 10
#define GRID "alpha=0.25:0.45:0.1,beta=0.2:0.4:0.1"

static const double truth[5] = {1.69, 406.4, 410.7, 0.34, 0.28};

/* Two groups: "control" with the truth, "variant" with A and B scaled and
 * alpha moved by d_alpha; POINTS x POINTS runs each. */
static slaw_runs *ab_sweep(double scale, double d_alpha, unsigned long seed)
{
    const slaw_law *law = slaw_law_find("chinchilla");
    size_t n = POINTS * POINTS;
    double x[2 * POINTS * POINTS], y[POINTS * POINTS], v[5];
    char *csv = malloc(2 * n * 100 + 32);
    size_t o = (size_t)sprintf(csv, "N,D,loss,arm\n");
    slaw_error err;
    for (size_t i = 0; i < n; i++) {
        x[2 * i] = 1e7 * pow(1e4, (double)(i / POINTS) / (POINTS - 1));
        x[2 * i + 1] = 1e9 * pow(1e3, (double)(i % POINTS) / (POINTS - 1));
    }
    for (int g = 0; g < 2; g++) {
        memcpy(v, truth, sizeof v);
        if (g) {
            v[1] *= scale;
            v[2] *= scale;
            v[3] += d_alpha;
        }
        assert_int_equal(slaw_simulate(law, v, x, n, 0.01, seed * 2 + (unsigned long)g, y, &err),
                         SLAW_OK);
        for (size_t i = 0; i < n; i++)
            o += (size_t)sprintf(csv + o, "%.17g,%.17g,%.17g,%s\n", x[2 * i], x[2 * i + 1], y[i],
                                 g ? "variant" : "control");
    }
    slaw_load_options lo;
    slaw_load_options_init(&lo);
    lo.role_column[SLAW_ROLE_GROUP] = "arm";
    slaw_runs *runs = load_ok("ab.csv", csv, &lo);
    free(csv);
    return runs;
}

/* The true k of the variant (A and B times scale; alpha, beta, E shared):
 * the compute-optimal loss is E + K (C/6)^-g with K linear in A and B
 * together, so k = scale^(-1/g), g = alpha beta / (alpha + beta). */
static double true_gain(double scale)
{
    double g = truth[3] * truth[4] / (truth[3] + truth[4]);
    return pow(scale, -1.0 / g);
}

static void gain_intervals_should_cover_the_truth_95_percent(void **state)
{
    (void)state;
    double scale = 0.9, k = true_gain(scale);
    size_t covered = 0;
    for (unsigned long s = 0; s < SWEEPS; s++) {
        slaw_runs *runs = ab_sweep(scale, 0.0, 100 + s);
        slaw_fit_options opt;
        slaw_fit_options_init(&opt);
        opt.law = "chinchilla";
        opt.shared = "alpha,beta,E";
        opt.grid = GRID;
        slaw_artifact *a = NULL;
        slaw_error err;
        if (slaw_fit_runs(runs, &opt, &a, &err) != SLAW_OK)
            fail_msg("sweep %lu: %s", s, err.message);
        slaw_gain g;
        assert_int_equal(slaw_gain_at(a, "control", "variant", NULL, 1e22, NULL, &g, &err),
                         SLAW_OK);
        covered += g.gain.lo <= k && k <= g.gain.hi;
        slaw_artifact_free(a);
        slaw_runs_free(runs);
    }
    double rate = (double)covered / SWEEPS;
    print_message("gain k = %.4f: %zu of %d 95%% intervals cover it (%.3f, binomial sd %.3f)\n", k,
                  covered, SWEEPS, rate, sqrt(0.95 * 0.05 / SWEEPS));
    assert_true(rate >= 0.95 - NEAR && rate <= 0.95 + NEAR);
}

/* The share of sweeps in which the F test rejects equal exponents at 5%. */
static double rejection_rate(double d_alpha)
{
    size_t rejected = 0;
    for (unsigned long s = 0; s < SWEEPS; s++) {
        slaw_runs *runs = ab_sweep(1.0, d_alpha, 5000 + s);
        slaw_fit_options opt;
        slaw_fit_options_init(&opt);
        opt.law = "chinchilla";
        opt.shared = "alpha,beta";
        opt.grid = GRID;
        slaw_shared_test t;
        slaw_error err;
        if (slaw_fit_test_shared(runs, &opt, 0, &t, &err) != SLAW_OK)
            fail_msg("sweep %lu: %s", s, err.message);
        rejected += t.p_F < 0.05;
        slaw_shared_test_clear(&t);
        slaw_runs_free(runs);
    }
    double rate = (double)rejected / SWEEPS;
    print_message("alpha differs by %.2f: the F test rejects in %zu of %d sweeps (%.3f)\n", d_alpha,
                  rejected, SWEEPS, rate);
    return rate;
}

static void differ_test_should_reject_5_percent_of_equal_exponents(void **state)
{
    (void)state;
    double rate = rejection_rate(0.0);
    assert_true(rate >= 0.05 - NEAR && rate <= 0.05 + NEAR);
}

static void differ_test_should_find_exponents_that_differ_by_0_05(void **state)
{
    (void)state;
    assert_true(rejection_rate(0.05) >= POWER_MIN);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(gain_intervals_should_cover_the_truth_95_percent),
        cmocka_unit_test(differ_test_should_reject_5_percent_of_equal_exponents),
        cmocka_unit_test(differ_test_should_find_exponents_that_differ_by_0_05),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
