/* plan_bench.c — does `slaw plan` pick the runs that sharpen a forecast?
 *
 * Over SWEEPS simulated sweeps from a known Chinchilla law (N 1e7..1e9 by
 * D 1e9..3e10, 20 runs, log-normal noise 0.01), each fitted, three ways of
 * adding 3 runs of total cost (6·N·D) within BUDGET are compared, the added
 * runs simulated from the true law with noise and the law refitted:
 *
 *   plan     slaw_plan_greedy's 3 runs
 *   random   3 distinct candidates drawn at random until their total fits
 *   largest  the largest candidate that fits the budget left, three times
 *
 * Candidates: N 1e8..1e10 by D 1e9..1e11, 6 by 6, log-spaced.  A candidate
 * gets the same simulated loss whichever way picks it.  Printed: the mean
 * shrinkage of the 95% CI width of the forecast at N = 70B, D = 1.4T, and
 * the fraction of sweeps where plan's width is the smallest.
 *
 * Built and run by tests/bench/plan (cc against the Release build's
 * libslaw.a), not by CMake.  Usage: plan_bench [SWEEPS] */
#define _POSIX_C_SOURCE 200809L
#include "slaw.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GRID_N 5
#define GRID_D 4
#define CAND 6
#define PICKS 3
#define BUDGET 1e20
#define NOISE 0.01

static const double truth[5] = {1.69, 406.4, 410.7, 0.34, 0.28};
static const double target[2] = {70e9, 1.4e12};

static double grid(double lo, double hi, size_t k, size_t i)
{
    return exp(log(lo) + (log(hi) - log(lo)) * (double)i / (double)(k - 1));
}

/* A CSV of the sweep's runs plus the candidates picked (index list). */
static char *csv_of(const double *x, const double *y, size_t n, const double *cx, const double *cy,
                    const size_t *pick, size_t n_pick)
{
    char *csv = malloc((n + n_pick) * 80 + 16);
    size_t o = (size_t)sprintf(csv, "N,D,loss\n");
    for (size_t i = 0; i < n; i++)
        o += (size_t)sprintf(csv + o, "%.17g,%.17g,%.17g\n", x[2 * i], x[2 * i + 1], y[i]);
    for (size_t m = 0; m < n_pick; m++) {
        size_t i = pick[m];
        o += (size_t)sprintf(csv + o, "%.17g,%.17g,%.17g\n", cx[2 * i], cx[2 * i + 1], cy[i]);
    }
    return csv;
}

static slaw_artifact *fit_csv(const char *csv)
{
    slaw_runs *runs = NULL;
    slaw_artifact *a = NULL;
    slaw_error err;
    slaw_fit_options opt;
    slaw_fit_options_init(&opt);
    opt.law = "chinchilla";
    opt.threads = 1;
    if (slaw_runs_load_buffer("sweep.csv", csv, strlen(csv), NULL, &runs, &err) != SLAW_OK ||
        slaw_fit_runs(runs, &opt, &a, &err) != SLAW_OK) {
        fprintf(stderr, "plan_bench: %s\n", err.message);
        exit(4);
    }
    slaw_runs_free(runs);
    return a;
}

/* The width of the 95% CI of the forecast at the target. */
static double ci_width(const slaw_artifact *a)
{
    slaw_forecast_options fo;
    slaw_forecast fc;
    slaw_error err;
    slaw_forecast_options_init(&fo, a);
    fo.method = SLAW_INTERVAL_DELTA;
    if (slaw_forecast_at(slaw_artifact_fit(a, 0), target, &fo, &fc, &err) != SLAW_OK) return NAN;
    return fc.y.hi - fc.y.lo;
}

static void pick_random(const slaw_plan_run *c, size_t n, unsigned *seed, size_t *pick)
{
    for (int attempt = 0; attempt < 100000; attempt++) {
        double spent = 0;
        bool ok = true;
        for (size_t m = 0; m < PICKS && ok; m++) {
            pick[m] = (size_t)rand_r(seed) % n;
            for (size_t q = 0; q < m; q++) ok &= pick[q] != pick[m];
            spent += c[pick[m]].cost;
        }
        if (ok && spent <= BUDGET) return;
    }
    fprintf(stderr, "plan_bench: no random set fits the budget\n");
    exit(4);
}

static size_t pick_largest(const slaw_plan_run *c, size_t n, size_t *pick)
{
    double left = BUDGET;
    size_t m = 0;
    for (; m < PICKS; m++) {
        size_t best = n;
        for (size_t i = 0; i < n; i++) {
            bool used = false;
            for (size_t q = 0; q < m; q++) used |= pick[q] == i;
            if (!used && c[i].cost <= left && (best == n || c[i].cost > c[best].cost)) best = i;
        }
        if (best == n) break;
        pick[m] = best;
        left -= c[best].cost;
    }
    return m;
}

int main(int argc, char **argv)
{
    size_t sweeps = argc > 1 ? (size_t)atol(argv[1]) : 100;
    const slaw_law *law = slaw_law_find("chinchilla");
    double x[2 * GRID_N * GRID_D], y[GRID_N * GRID_D], cx[2 * CAND * CAND], cy[CAND * CAND];
    slaw_plan_run cands[CAND * CAND];
    size_t n = GRID_N * GRID_D, nc = CAND * CAND;
    for (size_t i = 0; i < n; i++) {
        x[2 * i] = grid(1e7, 1e9, GRID_N, i / GRID_D);
        x[2 * i + 1] = grid(1e9, 3e10, GRID_D, i % GRID_D);
    }
    for (size_t i = 0; i < nc; i++) {
        cands[i].vars[0] = cx[2 * i] = grid(1e8, 1e10, CAND, i / CAND);
        cands[i].vars[1] = cx[2 * i + 1] = grid(1e9, 1e11, CAND, i % CAND);
        cands[i].cost = 6 * cx[2 * i] * cx[2 * i + 1];
    }
    double sum[3] = {0};
    size_t plan_best_random = 0, plan_best_largest = 0, done = 0;
    unsigned seed = 12345;
    for (size_t s = 0; s < sweeps; s++) {
        slaw_error err;
        if (slaw_simulate(law, truth, x, n, NOISE, 1000 + s, y, &err) != SLAW_OK ||
            slaw_simulate(law, truth, cx, nc, NOISE, 500000 + s, cy, &err) != SLAW_OK) {
            fprintf(stderr, "plan_bench: %s\n", err.message);
            return 4;
        }
        char *csv = csv_of(x, y, n, cx, cy, NULL, 0);
        slaw_artifact *a = fit_csv(csv);
        free(csv);
        double w0 = ci_width(a), width[3];
        size_t picks[3][PICKS], counts[3] = {0, PICKS, 0};
        double shrink[PICKS];
        if (slaw_plan_greedy(
                slaw_artifact_fit(a, 0),
                &(slaw_plan_target){.kind = SLAW_PLAN_POINT, .vars = {target[0], target[1]}}, NULL,
                cands, nc, BUDGET, PICKS, picks[0], &counts[0], shrink, &err) != SLAW_OK) {
            fprintf(stderr, "plan_bench: sweep %zu: %s\n", s, err.message);
            return 4;
        }
        pick_random(cands, nc, &seed, picks[1]);
        counts[2] = pick_largest(cands, nc, picks[2]);
        slaw_artifact_free(a);
        bool ok = isfinite(w0);
        for (int k = 0; k < 3; k++) {
            csv = csv_of(x, y, n, cx, cy, picks[k], counts[k]);
            slaw_artifact *b = fit_csv(csv);
            free(csv);
            width[k] = ci_width(b);
            ok &= isfinite(width[k]);
            slaw_artifact_free(b);
        }
        if (!ok) continue;
        for (int k = 0; k < 3; k++) sum[k] += 1 - width[k] / w0;
        plan_best_random += width[0] < width[1];
        plan_best_largest += width[0] < width[2];
        done++;
    }
    printf("plan bench: %zu sweeps of chinchilla (20 runs, N 1e7..1e9, noise %.2g), 3 runs added "
           "within %.0e FLOPs,\n95%% CI width of the loss at N=70B, D=1.4T (delta method):\n\n",
           done, NOISE, BUDGET);
    printf("  adding          mean width removed\n");
    static const char *const names[] = {"plan's 3", "3 random", "3 largest"};
    for (int k = 0; k < 3; k++) printf("  %-15s %8.1f%%\n", names[k], 100 * sum[k] / (double)done);
    printf("\n  plan narrower than random in %.0f%% of sweeps, than largest in %.0f%%\n",
           100.0 * (double)plan_best_random / (double)done,
           100.0 * (double)plan_best_largest / (double)done);
    return 0;
}
