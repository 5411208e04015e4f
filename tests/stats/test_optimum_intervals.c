/* test_optimum_intervals.c — the intervals of slaw optimal's N* and D* for
 * laws without a closed form: gadre (over C and M) and muennighoff (with the
 * unique tokens U held).  Each replicate simulates a sweep from known
 * parameters with 1% log-normal noise, fits it with the default options and
 * asks for the optimum at a budget inside the sweep; the intervals must be
 * finite and hold the point, and they should hold the true optimum (that of
 * the simulating parameters) about 95% of the time.
 *
 * Delta-method intervals (the default, t quantiles): 60 replicates per law,
 * each counting N* and D* (so 120 intervals, not independent in pairs); the
 * binomial standard error of a rate near 95% over 60 replicates is
 * sqrt(0.95 * 0.05 / 60) = 2.8 points, and the test asks at least 85% (3.6
 * standard errors below 95%): it catches an interval off by a factor, not a
 * small miscalibration.  Bootstrap intervals (50 resamples): 8 replicates per
 * law, asked to hold the truth in at least 12 of the 16 (at a true rate of
 * 95% a replicate misses with probability 0.05, and 3 of 8 missing has
 * probability 5e-3).  Seeded, so the outcome is fixed; a RelWithDebInfo build
 * counts 116 (gadre) and 120 (muennighoff) of 120 by the delta method, 16 and
 * 16 of 16 by the bootstrap.  With AddressSanitizer (about ten times
 * slower) the replicates are cut to 15 and 3, the delta rate asked is 75% and
 * the bootstrap's 4 of 6: that build checks the code paths, the others the
 * rates.  Each build prints its counts. */
#include "helpers.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef SLAW_TEST_SANITIZED
#define DELTA_REPS 15
#define DELTA_LOW 0.75
#define BOOT_REPS 3
#define BOOT_LOW 4 /* of 2 * BOOT_REPS */
#else
#define DELTA_REPS 60
#define DELTA_LOW 0.85
#define BOOT_REPS 8
#define BOOT_LOW 12
#endif
#define RESAMPLES 50
#define MAX_RUNS 96

typedef struct setting {
    const char *law;
    const double *truth;
    double x[MAX_RUNS][3]; /* N, D, U */
    size_t n;
    double C, U; /* the budget asked, the unique tokens held (0: none) */
} setting;

static const double mu_v[7] = {1.8691, 520.6, 1488.0, 0.3526596, 0.3526596, 15.387756, 5.309743};
static const double ga_v[4] = {1.85, 529.0, 535.0, 0.15};

/* Muennighoff et al.'s design: sizes, unique-data budgets, 1 to 40 epochs. */
static void muennighoff_setting(setting *s)
{
    static const double sizes[] = {1e7, 3e7, 1e8, 3e8, 1e9}, uniques[] = {1e8, 4e8, 1.5e9};
    static const double epochs[] = {1, 2, 4, 8, 16, 40};
    *s = (setting){.law = "muennighoff", .truth = mu_v, .C = 1e19, .U = 4e8};
    for (size_t i = 0; i < 5; i++)
        for (size_t u = 0; u < 3; u++)
            for (size_t e = 0; e < 6; e++) {
                s->x[s->n][0] = sizes[i];
                s->x[s->n][1] = uniques[u] * epochs[e];
                s->x[s->n][2] = uniques[u];
                s->n++;
            }
}

/* Over-trained runs: tokens per parameter from 5 to 640 at each size. */
static void gadre_setting(setting *s)
{
    static const double sizes[] = {1.1e7, 7.9e7, 1.54e8, 4.11e8, 1.4e9};
    static const double ratios[] = {5, 10, 20, 40, 80, 160, 320, 640};
    *s = (setting){.law = "gadre", .truth = ga_v, .C = 1e20};
    for (size_t i = 0; i < 5; i++)
        for (size_t r = 0; r < 8; r++) {
            s->x[s->n][0] = sizes[i];
            s->x[s->n][1] = sizes[i] * ratios[r];
            s->n++;
        }
}

static slaw_artifact *fit_replicate(const setting *s, unsigned long seed, size_t resamples)
{
    const slaw_law *law = slaw_law_find(s->law);
    double vars[MAX_RUNS * 3], y[MAX_RUNS];
    char csv[MAX_RUNS * 100 + 32];
    slaw_error err;
    bool with_u = s->U > 0;
    for (size_t i = 0; i < s->n; i++) {
        double *v = vars + i * slaw_law_var_count(law);
        if (with_u) memcpy(v, s->x[i], 3 * sizeof *v);
        else {
            v[0] = slaw_compute_flops(s->x[i][0], s->x[i][1], 0); /* C */
            v[1] = s->x[i][1] / s->x[i][0];                       /* M */
        }
    }
    assert_int_equal(slaw_simulate(law, s->truth, vars, s->n, 0.01, seed, y, &err), SLAW_OK);
    size_t o = (size_t)sprintf(csv, with_u ? "N,D,U,loss\n" : "N,D,loss\n");
    for (size_t i = 0; i < s->n; i++) {
        if (with_u)
            o += (size_t)sprintf(csv + o, "%.17g,%.17g,%.17g,%.17g\n", s->x[i][0], s->x[i][1],
                                 s->x[i][2], y[i]);
        else o += (size_t)sprintf(csv + o, "%.17g,%.17g,%.17g\n", s->x[i][0], s->x[i][1], y[i]);
    }
    slaw_runs *runs = NULL;
    slaw_artifact *a = NULL;
    slaw_fit_options opt;
    slaw_fit_options_init(&opt);
    opt.law = s->law;
    opt.bootstrap = resamples;
    opt.seed = seed;
    assert_int_equal(load_text("runs.csv", csv, NULL, &runs, &err), SLAW_OK);
    if (slaw_fit_runs(runs, &opt, &a, &err) != SLAW_OK) fail_msg("%s: %s", s->law, err.message);
    slaw_runs_free(runs);
    return a;
}

/* The optimum at the setting's budget, U held where the law reads it. */
static void optimum(const setting *s, const slaw_artifact *a, slaw_interval_method method,
                    slaw_optimum *o)
{
    slaw_forecast_options fo;
    slaw_point held;
    slaw_error err;
    slaw_forecast_options_init(&fo, a);
    fo.method = method;
    slaw_point_init(&held);
    held.U = s->U;
    if (s->U > 0) fo.held = &held;
    if (slaw_optimal_compute(slaw_artifact_fit(a, 0), s->C, &fo, o, &err) != SLAW_OK)
        fail_msg("%s: %s", s->law, err.message);
}

static bool holds(const slaw_estimate *e, double v)
{
    return e->lo <= v && v <= e->hi;
}

/* Finite, around the point; counts the intervals of N* and D* that hold the
 * true ones. */
static size_t check(const setting *s, const slaw_optimum *o, const slaw_optimum *truth)
{
    const slaw_estimate *e[3] = {&o->N, &o->D, &o->L};
    for (size_t k = 0; k < 3; k++)
        if (!(isfinite(e[k]->lo) && isfinite(e[k]->hi) && e[k]->lo <= e[k]->value &&
              e[k]->value <= e[k]->hi))
            fail_msg("%s: interval %zu [%g, %g] around %g", s->law, k, e[k]->lo, e[k]->hi,
                     e[k]->value);
    return holds(&o->N, truth->N.value) + holds(&o->D, truth->D.value);
}

static void coverage(const setting *s)
{
    slaw_artifact *t = NULL;
    slaw_error err;
    slaw_optimum truth, o;
    assert_int_equal(slaw_artifact_from_params(slaw_law_find(s->law), s->truth, &t, &err), SLAW_OK);
    optimum(s, t, SLAW_INTERVAL_AUTO, &truth);
    slaw_artifact_free(t);
    size_t delta = 0, boot = 0;
    for (size_t r = 0; r < DELTA_REPS; r++) {
        slaw_artifact *a = fit_replicate(s, 1000 + r, 0);
        optimum(s, a, SLAW_INTERVAL_AUTO, &o);
        delta += check(s, &o, &truth);
        slaw_artifact_free(a);
    }
    for (size_t r = 0; r < BOOT_REPS; r++) {
        slaw_artifact *a = fit_replicate(s, 5000 + r, RESAMPLES);
        optimum(s, a, SLAW_INTERVAL_BOOTSTRAP, &o);
        assert_true(o.method == SLAW_INTERVAL_BOOTSTRAP && o.samples >= RESAMPLES / 2);
        boot += check(s, &o, &truth);
        slaw_artifact_free(a);
    }
    printf("%s at C = %g%s: N* %.4g, D* %.4g; delta intervals hold them %zu of %d, bootstrap "
           "%zu of %d\n",
           s->law, s->C, s->U > 0 ? " (U held)" : "", truth.N.value, truth.D.value, delta,
           2 * DELTA_REPS, boot, 2 * BOOT_REPS);
    assert_true((double)delta >= DELTA_LOW * 2 * DELTA_REPS);
    assert_true(boot >= BOOT_LOW);
}

static void gadre_optimum_intervals_should_hold_the_truth(void **state)
{
    (void)state;
    setting s;
    gadre_setting(&s);
    coverage(&s);
}

static void muennighoff_optimum_intervals_should_hold_the_truth(void **state)
{
    (void)state;
    setting s;
    muennighoff_setting(&s);
    coverage(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(gadre_optimum_intervals_should_hold_the_truth),
        cmocka_unit_test(muennighoff_optimum_intervals_should_hold_the_truth),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
