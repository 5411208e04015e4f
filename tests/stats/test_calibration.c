/* test_calibration.c — do calibrated prediction intervals hold new runs?
 *
 * Each simulated sweep is drawn from a broken power law (bnsl: the exponent
 * steepens by c1 around d1) with heteroscedastic log-normal noise, and fitted
 * with the saturating law, which has no break: a mildly misspecified fit.
 * The fit is calibrated on its own rollout (slaw fit --calibrate), then
 * predicts one new run drawn one size step beyond the sweep.
 *
 * - Noise shrinking with size (0.02 at 1e7 to 0.008 at 1e10, as seed-to-seed
 *   spread does): the fraction of new runs inside the calibrated 90% interval
 *   must lie in 0.85-0.95.
 * - Noise growing with size (0.008 to 0.02), where the model's interval,
 *   built on the residual scale of the whole sweep, is far too narrow at the
 *   next size: the calibrated interval must hold at least 0.80 and come
 *   closer to 0.9 than the model's.  The rollout's errors then understate the
 *   next size's a little, so split conformal falls short of its level.
 * The model-based interval's fraction is measured and printed beside each.
 *
 * SIMULATIONS sweeps (one new run each, independent): the binomial standard
 * error of a fraction near 0.9 is sqrt(0.9 * 0.1 / 300) = 0.017.  Under
 * AddressSanitizer the fits run ~10 times slower: the test then draws 60
 * sweeps and only prints what it measured (a smoke run of the same code). */
#include "helpers.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef SLAW_TEST_SANITIZED
#define SIMULATIONS 60
#else
#define SIMULATIONS 300
#endif

#define SIZES 12      /* sizes in the sweep, 1e7 to 1e10 */
#define REPEATS 2     /* runs per size */
#define LEVEL_INDEX 2 /* 0.9 */

static const double truth[6] = {1.7, 220, 0.3, 0.08, 3e8, 0.5}; /* a b c0 c1 d1 f1 */

static double size_at(size_t i)
{
    return 1e7 * pow(1000.0, (double)i / (SIZES - 1));
}

/* The noise scale at size x: 0.02 at 1e7 falling to 0.008 at 1e10
 * (shrinking), or 0.008 rising to 0.02. */
static double noise_at(double x, bool shrinking)
{
    double t = log(x / 1e7) / log(1000.0); /* 0 at 1e7, 1 at 1e10 */
    return shrinking ? 0.02 * pow(0.4, t) : 0.008 * pow(2.5, t);
}

static double draw(const slaw_law *law, gsl_rng *rng, double x, bool shrinking)
{
    double y = slaw_law_eval(law, truth, &x);
    return y * exp(gsl_ran_gaussian(rng, noise_at(x, shrinking)));
}

/* One sweep: calibrated fit, one new run beyond it; sets whether the model
 * and the calibrated 90% intervals hold it. */
static void one_sweep(unsigned long seed, bool shrinking, bool *model_holds, bool *calibrated_holds)
{
    const slaw_law *bnsl = slaw_law_find("bnsl");
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, seed);
    char csv[SIZES * REPEATS * 64 + 16];
    size_t o = (size_t)snprintf(csv, sizeof csv, "N,loss\n");
    for (size_t i = 0; i < SIZES; i++)
        for (size_t k = 0; k < REPEATS; k++) {
            double x = size_at(i);
            o += (size_t)snprintf(csv + o, sizeof csv - o, "%.17g,%.17g\n", x,
                                  draw(bnsl, rng, x, shrinking));
        }
    double x_new = size_at(SIZES), y_new = draw(bnsl, rng, x_new, shrinking);
    gsl_rng_free(rng);

    slaw_runs *runs = load_ok("sweep.csv", csv, NULL);
    slaw_fit_options opt;
    slaw_fit_options_init(&opt);
    opt.law = "saturating";
    opt.polish = 2;
    opt.threads = 1;
    slaw_artifact *a = NULL;
    slaw_rollout *r = NULL;
    slaw_error err;
    if (slaw_fit_runs(runs, &opt, &a, &err) != SLAW_OK)
        fail_msg("sweep %lu: %s", seed, err.message);
    if (slaw_rollout_runs(runs, &opt, &r, &err) != SLAW_OK ||
        slaw_artifact_calibrate(a, r, &err) != SLAW_OK)
        fail_msg("sweep %lu: %s", seed, err.message);
    slaw_forecast_options fo;
    slaw_forecast_options_init(&fo, a);
    fo.level = slaw_coverage_level(LEVEL_INDEX);
    slaw_forecast fc;
    assert_int_equal(slaw_forecast_at(slaw_artifact_fit(a, 0), &x_new, &fo, &fc, &err), SLAW_OK);
    assert_false(isnan(fc.pic_lo));
    *model_holds = fc.pi_lo <= y_new && y_new <= fc.pi_hi;
    *calibrated_holds = fc.pic_lo <= y_new && y_new <= fc.pic_hi;
    slaw_rollout_free(r);
    slaw_artifact_free(a);
    slaw_runs_free(runs);
}

/* The fractions of new runs the model and calibrated 90% intervals held. */
static void coverage(bool shrinking, double *model, double *calibrated)
{
    size_t m_in = 0, c_in = 0;
    for (unsigned long s = 0; s < SIMULATIONS; s++) {
        bool m, c;
        one_sweep(5000 + s, shrinking, &m, &c);
        m_in += m;
        c_in += c;
    }
    double fm = (double)m_in / SIMULATIONS, fc = (double)c_in / SIMULATIONS;
    print_message("bnsl sweeps fitted with saturating, noise %s with size, %d sweeps, one new run "
                  "each:\n",
                  shrinking ? "shrinking" : "growing", SIMULATIONS);
    print_message("  model 90%% PI held %zu (%.3f +- %.3f), calibrated 90%% PI held %zu "
                  "(%.3f +- %.3f); +- one binomial standard error\n",
                  m_in, fm, sqrt(fm * (1 - fm) / SIMULATIONS), c_in, fc,
                  sqrt(fc * (1 - fc) / SIMULATIONS));
    *model = fm;
    *calibrated = fc;
}

static void calibrated_90_percent_intervals_should_hold_85_to_95_percent(void **state)
{
    (void)state;
    double fm, fc;
    coverage(true, &fm, &fc);
#ifndef SLAW_TEST_SANITIZED
    assert_true(fc >= 0.85 && fc <= 0.95);
#endif
}

static void calibration_should_repair_intervals_too_narrow_at_the_next_size(void **state)
{
    (void)state;
    double fm, fc;
    coverage(false, &fm, &fc);
#ifndef SLAW_TEST_SANITIZED
    assert_true(fm < 0.75);
    assert_true(fc >= 0.80 && fabs(fc - 0.9) < fabs(fm - 0.9));
#endif
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(calibrated_90_percent_intervals_should_hold_85_to_95_percent),
        cmocka_unit_test(calibration_should_repair_intervals_too_narrow_at_the_next_size),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
