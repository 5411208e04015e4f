/* measure_intervals.c — how often do 95% intervals built from the fit's
 * standard errors hold the true parameters?  Simulates REPLICATES 6 x 6
 * Chinchilla sweeps (N 3e7-3e10, D 1e9-3e11) at a noise level, fits each,
 * and counts, per parameter, the intervals that hold the truth:
 *   z      value +- 1.96 se
 *   t      value +- t(n - p) se
 *   log-z  exp(ln value +- 1.96 se/value)     (positive scales E, A, B)
 *   log-t  the same with t(n - p)
 * with se the square root of the covariance's diagonal in every fit,
 *   slaw   the interval slaw_fit_param_interval reports (the fit's method:
 *          log-t without resamples, percentiles with them)
 * and, given RESAMPLES, the bootstrap's percentile interval, and counts the
 * fits that report the parameter undetermined.  Each count
 * comes with its binomial error 1.96 sqrt(p(1-p)/n).  Not a test (too slow
 * for every build): run it from a Release build,
 *   build-rel/tests/stats_measure_intervals [REPLICATES] [NOISE] [RESAMPLES]
 * Seeded, so the figures are the same on every run. */
#include "slaw.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SIDE 6
#define P 5

static slaw_runs *sweep(const slaw_law *law, const double *truth, double noise, unsigned long seed)
{
    size_t n = SIDE * SIDE;
    double x[2 * SIDE * SIDE], y[SIDE * SIDE];
    for (size_t i = 0; i < n; i++) {
        x[2 * i] = 3e7 * pow(1000.0, (double)(i / SIDE) / (SIDE - 1));
        x[2 * i + 1] = 1e9 * pow(300.0, (double)(i % SIDE) / (SIDE - 1));
    }
    slaw_error err;
    slaw_runs *runs = NULL;
    if (slaw_simulate(law, truth, x, n, noise, seed, y, &err) != SLAW_OK) return NULL;
    char csv[SIDE * SIDE * 80 + 16];
    size_t o = (size_t)sprintf(csv, "N,D,loss\n");
    for (size_t i = 0; i < n; i++)
        o += (size_t)sprintf(csv + o, "%.17g,%.17g,%.17g\n", x[2 * i], x[2 * i + 1], y[i]);
    if (slaw_runs_load_buffer("sweep.csv", csv, o, NULL, &runs, &err) != SLAW_OK) return NULL;
    return runs;
}

static void report(const char *what, const size_t *count, size_t n, const slaw_law *law, bool logs)
{
    printf("  %-12s", what);
    for (size_t j = 0; j < P; j++) {
        if (logs && !slaw_law_param_is_log(law, j)) {
            printf("  %16s", "-");
            continue;
        }
        double p = (double)count[j] / (double)n, e = 1.96 * sqrt(p * (1 - p) / (double)n);
        printf("  %5.1f%% +- %4.1f%%", 100 * p, 100 * e);
    }
    printf("\n");
}

int main(int argc, char **argv)
{
    size_t reps = argc > 1 ? (size_t)atol(argv[1]) : 1000;
    double noise = argc > 2 ? atof(argv[2]) : 0.01;
    size_t resamples = argc > 3 ? (size_t)atol(argv[3]) : 0;
    const double truth[P] = {1.69, 406.4, 410.7, 0.34, 0.28};
    const slaw_law *law = slaw_law_find("chinchilla");
    size_t z[P] = {0}, t[P] = {0}, lz[P] = {0}, lt[P] = {0}, own[P] = {0}, pct[P] = {0};
    size_t undetermined[P] = {0}, done = 0;
    double tq = gsl_cdf_tdist_Pinv(0.975, SIDE * SIDE - P), zq = gsl_cdf_ugaussian_Pinv(0.975);
    for (size_t r = 0; r < reps; r++) {
        slaw_runs *runs = sweep(law, truth, noise, 1000 + r);
        slaw_fit_options opt;
        slaw_fit_options_init(&opt);
        opt.law = "chinchilla";
        opt.threads = 1;
        opt.bootstrap = resamples;
        opt.seed = r;
        slaw_artifact *a = NULL;
        slaw_error err;
        if (!runs || slaw_fit_runs(runs, &opt, &a, &err) != SLAW_OK) {
            fprintf(stderr, "replicate %zu: not fitted\n", r);
            slaw_runs_free(runs);
            continue;
        }
        const slaw_fit *f = slaw_artifact_fit(a, 0);
        for (size_t j = 0; j < P; j++) {
            /* the covariance's own error where the fit reports none: the
             * intervals are judged over every fit */
            double v = slaw_fit_value(f, j), x = truth[j];
            double se = sqrt(slaw_fit_covariance(f)[j * P + j]);
            undetermined[j] += !slaw_fit_identified(f, j);
            z[j] += fabs(v - x) <= zq * se;
            t[j] += fabs(v - x) <= tq * se;
            lz[j] += fabs(log(v / x)) <= zq * se / v;
            lt[j] += fabs(log(v / x)) <= tq * se / v;
            double lo, hi, bse;
            own[j] += slaw_fit_param_interval(f, j, &lo, &hi) && lo <= x && x <= hi;
            pct[j] += slaw_fit_bootstrap_param(f, j, &bse, &lo, &hi) && lo <= x && x <= hi;
        }
        done++;
        slaw_artifact_free(a);
        slaw_runs_free(runs);
    }
    printf("chinchilla 6 x 6 sweeps, noise %g, %zu replicates fitted; 95%% intervals holding the "
           "truth (+- binomial 95%% error):\n  %-12s",
           noise, done, "");
    for (size_t j = 0; j < P; j++) printf("  %16s", slaw_law_param_name(law, j));
    printf("\n");
    report("z", z, done, law, false);
    report("t(31)", t, done, law, false);
    report("log-z", lz, done, law, true);
    report("log-t(31)", lt, done, law, true);
    report("slaw", own, done, law, false);
    if (resamples) report("percentile", pct, done, law, false);
    printf("  %-12s", "undetermined");
    for (size_t j = 0; j < P; j++) printf("  %16zu", undetermined[j]);
    printf("\n");
    return 0;
}
