/* test_bootstrap.c — resampled refits: deterministic for a seed whatever the
 * threads, intervals around the estimate, clusters, kept in the artifact,
 * each at the optimum GSL's solver reaches on its resample. */
#include "helpers.h"
#include "dataset.h"
#include "solver_starts.h"
#include "uncertainty.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *sweep =
    "N,D,loss,family\n"
    "5e7,1e9,3.42,a\n5e7,1e10,3.19,a\n5e7,1e11,3.12,a\n2e8,1e9,3.06,b\n2e8,1e10,2.82,b\n"
    "2e8,1e11,2.76,b\n1e9,1e9,2.85,c\n1e9,1e10,2.57,c\n1e9,1e11,2.49,c\n5e9,1e9,2.73,d\n"
    "5e9,1e10,2.42,d\n5e9,1e11,2.33,d\n2e8,3e9,2.93,b\n1e9,3e10,2.52,c\n5e9,3e11,2.29,d\n";

static slaw_artifact *fit(int threads, unsigned long seed, const char *by, size_t resamples)
{
    slaw_runs *runs;
    slaw_error err;
    assert_int_equal(load_text("sweep.csv", sweep, NULL, &runs, &err), SLAW_OK);
    slaw_fit_options opt;
    slaw_fit_options_init(&opt);
    opt.law = "chinchilla";
    opt.bootstrap = resamples;
    opt.seed = seed;
    opt.threads = threads;
    opt.bootstrap_by = by;
    slaw_artifact *a = NULL;
    if (slaw_fit_runs(runs, &opt, &a, &err) != SLAW_OK) fail_msg("%s", err.message);
    slaw_runs_free(runs);
    return a;
}

static void bootstrap_should_not_depend_on_threads(void **state)
{
    (void)state;
    slaw_artifact *one = fit(1, 42, NULL, 300), *two = fit(2, 42, NULL, 300);
    char *a = slaw_artifact_to_json(one), *b = slaw_artifact_to_json(two);
    assert_string_equal(a, b);
    free(a);
    free(b);
    slaw_artifact *other = fit(2, 43, NULL, 300);
    const slaw_fit *f1 = slaw_artifact_fit(one, 0), *f3 = slaw_artifact_fit(other, 0);
    assert_memory_not_equal(slaw_fit_bootstrap_sample(f1, 0), slaw_fit_bootstrap_sample(f3, 0),
                            5 * sizeof(double));
    slaw_artifact_free(one);
    slaw_artifact_free(two);
    slaw_artifact_free(other);
}

static void intervals_should_surround_the_estimate(void **state)
{
    (void)state;
    slaw_artifact *a = fit(0, 1, NULL, 400);
    const slaw_fit *f = slaw_artifact_fit(a, 0);
    assert_int_equal(slaw_fit_bootstrap_count(f) + slaw_fit_bootstrap_failures(f), 400);
    assert_true(slaw_fit_bootstrap_level(f) == 0.95);
    for (size_t j = 0; j < 5; j++) {
        double se, lo, hi, v = slaw_fit_value(f, j);
        assert_true(slaw_fit_bootstrap_param(f, j, &se, &lo, &hi));
        assert_true(se > 0 && lo < v && v < hi);
    }
    double se, lo, hi;
    assert_true(slaw_fit_bootstrap_derived(f, 0, &se, &lo, &hi)); /* a = beta/(alpha+beta) */
    assert_true(lo < slaw_fit_derived(f, 0, NULL) && slaw_fit_derived(f, 0, NULL) < hi);
    /* Samples vary, and their spread is what the standard error says. */
    double mean = 0, var = 0;
    size_t n = slaw_fit_bootstrap_count(f);
    for (size_t i = 0; i < n; i++) mean += slaw_fit_bootstrap_sample(f, i)[3];
    mean /= (double)n;
    for (size_t i = 0; i < n; i++) {
        double d = slaw_fit_bootstrap_sample(f, i)[3] - mean;
        var += d * d;
    }
    assert_true(slaw_fit_bootstrap_param(f, 3, &se, &lo, &hi));
    assert_close(sqrt(var / (double)(n - 1)), se, 1e-9);
    slaw_artifact_free(a);
}

static void bootstrap_should_survive_the_artifact(void **state)
{
    (void)state;
    slaw_artifact *a = fit(0, 5, NULL, 50), *b = NULL;
    char *text = slaw_artifact_to_json(a);
    slaw_error err;
    assert_int_equal(slaw_artifact_parse("b.json", text, strlen(text), &b, &err), SLAW_OK);
    const slaw_fit *f = slaw_artifact_fit(b, 0);
    assert_int_equal(slaw_fit_bootstrap_count(f),
                     slaw_fit_bootstrap_count(slaw_artifact_fit(a, 0)));
    char *again = slaw_artifact_to_json(b);
    assert_string_equal(text, again);
    slaw_fit_options opt;
    slaw_artifact_options(b, &opt);
    assert_int_equal(opt.bootstrap, 50);
    assert_int_equal(opt.seed, 5);
    free(text);
    free(again);
    slaw_artifact_free(a);
    slaw_artifact_free(b);
}

static void cluster_bootstrap_should_draw_whole_groups(void **state)
{
    (void)state;
    slaw_artifact *a = fit(0, 3, "family", 200);
    const slaw_fit *f = slaw_artifact_fit(a, 0);
    assert_true(slaw_fit_bootstrap_count(f) > 0);
    slaw_artifact_free(a);
    /* A column with one value has nothing to resample. */
    slaw_runs *runs;
    slaw_error err;
    assert_int_equal(load_text("one.csv",
                               "N,D,loss,k\n1e8,1e9,3,x\n1e9,1e9,2.8,x\n1e8,1e10,2.9,x\n"
                               "1e9,1e10,2.6,x\n1e10,1e11,2.3,x\n3e9,3e10,2.4,x\n",
                               NULL, &runs, &err),
                     SLAW_OK);
    slaw_fit_options opt;
    slaw_fit_options_init(&opt);
    opt.law = "chinchilla";
    opt.bootstrap = 10;
    opt.bootstrap_by = "k";
    slaw_artifact *none = NULL;
    assert_int_equal(slaw_fit_runs(runs, &opt, &none, &err), SLAW_EFIT);
    assert_non_null(strstr(err.message, "single value"));
    opt.bootstrap_by = "nope";
    assert_int_equal(slaw_fit_runs(runs, &opt, &none, &err), SLAW_EUSAGE);
    opt.bootstrap_by = NULL;
    opt.bootstrap = 1;
    assert_int_equal(slaw_fit_runs(runs, &opt, &none, &err), SLAW_EUSAGE);
    opt.bootstrap = 10;
    opt.level = 1.5;
    assert_int_equal(slaw_fit_runs(runs, &opt, &none, &err), SLAW_EUSAGE);
    slaw_runs_free(runs);
}

/* The reference for a number in a fit file: the fewest of 15, 16, 17
 * significant digits (printf's %g) that read back as the same double. */
static void shortest(double v, char *buf, size_t size)
{
    for (int digits = 15; digits <= 17; digits++) {
        snprintf(buf, size, "%.*g", digits, v);
        if (strtod(buf, NULL) == v) return;
    }
}

/* Samples are written as printf's shortest round trip would write them:
 * values on both sides of each switch to exponent form, carries (9.99..95
 * to 10), halfway digits, extremes, and random doubles of every exponent,
 * read into a fit file and written out again. */
static void samples_should_be_written_with_the_fewest_digits(void **state)
{
    (void)state;
    static const double special[] = {0.1,
                                     0.95,
                                     1e-5,
                                     1e-4,
                                     9.9999999999999995e-5,
                                     0.00012345678901234567,
                                     1e15,
                                     1e16,
                                     1e17,
                                     999999999999999.9,
                                     9999999999999998,
                                     123456789012345678.0,
                                     5e-324,
                                     1.7976931348623157e308,
                                     2.2250738585072014e-308,
                                     -2.675,
                                     0.30000000000000004,
                                     1.0000000000000002,
                                     4.35,
                                     100,
                                     1e21,
                                     -0.0,
                                     0.5,
                                     1.005,
                                     2.5e-5,
                                     1e23,
                                     9.5,
                                     0.095,
                                     1234567.0,
                                     -1.5e-300};
    enum { ROWS = 50, P = 5 };
    double v[ROWS * P];
    uint64_t x = 88172645463325252u;
    for (size_t i = 0; i < ROWS * P; i++) {
        do { /* xorshift: any bits, any exponent */
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            memcpy(&v[i], &x, sizeof x);
        } while (!isfinite(v[i]));
        if (i < sizeof special / sizeof special[0]) v[i] = special[i];
    }
    slaw_artifact *a = fit(0, 5, NULL, ROWS), *b = NULL;
    char *text = slaw_artifact_to_json(a), *mine = malloc(strlen(text) + ROWS * P * 30);
    const char *at = strstr(text, "\"samples\":"), *end = strstr(at, "]]");
    assert_non_null(at && end);
    size_t o = (size_t)(strchr(at, '[') - text);
    memcpy(mine, text, o);
    for (size_t i = 0; i < ROWS * P; i++)
        o += (size_t)sprintf(mine + o, "%s%.17g%s",
                             i % P ? ""
                             : i   ? ",["
                                   : "[[",
                             v[i], i % P < P - 1 ? "," : "]");
    strcpy(mine + o, end + 1);
    slaw_error err;
    if (slaw_artifact_parse("b.json", mine, strlen(mine), &b, &err) != SLAW_OK)
        fail_msg("%s", err.message);
    char *again = slaw_artifact_to_json(b);
    for (size_t r = 0; r < ROWS; r++) {
        char row[P * 40] = "[", num[40];
        for (size_t j = 0; j < P; j++) {
            shortest(v[r * P + j], num, sizeof num);
            strcat(strcat(row, num), j < P - 1 ? ", " : "]");
        }
        if (!strstr(again, row)) fail_msg("row %zu: %s not written", r, row);
    }
    free(text);
    free(mine);
    free(again);
    slaw_artifact_free(a);
    slaw_artifact_free(b);
}

/* Epoch's Chinchilla data (the 5 highest losses dropped, 240 runs) as a
 * dataset in log space. */
static void chinchilla_dataset(dataset *d)
{
    slaw_load_options lo;
    slaw_load_options_init(&lo);
    slaw_runs *runs = NULL;
    slaw_error err;
    const char *paths[] = {source_path("data/chinchilla/svg_extracted_data.csv")};
    if (slaw_runs_load(paths, 1, &lo, &runs, &err) != SLAW_OK) fail_msg("%s", err.message);
    size_t all = slaw_runs_count(runs), n = 0;
    double *loss = malloc(all * sizeof *loss), fifth = INFINITY;
    for (size_t i = 0; i < all; i++) loss[i] = role_value(runs, SLAW_ROLE_L, i);
    for (size_t k = 0; k < 5; k++) { /* the 5th largest loss: runs below it stay */
        size_t top = 0;
        for (size_t i = 1; i < all; i++)
            if (loss[i] > loss[top]) top = i;
        fifth = loss[top];
        loss[top] = -INFINITY;
    }
    *d = (dataset){.n_vars = 2};
    for (size_t v = 0; v < 2; v++) d->lnx[v] = malloc(all * sizeof(double));
    d->y = malloc(all * sizeof *d->y);
    d->lny = malloc(all * sizeof *d->lny);
    for (size_t i = 0; i < all; i++) {
        double l = role_value(runs, SLAW_ROLE_L, i);
        if (!(l < fifth)) continue;
        d->lnx[0][n] = log(role_value(runs, SLAW_ROLE_N, i));
        d->lnx[1][n] = log(role_value(runs, SLAW_ROLE_D, i));
        d->y[n] = l;
        d->lny[n++] = log(l);
    }
    d->n = n;
    free(loss);
    slaw_runs_free(runs);
}

/* The objective of pb at natural parameter values. */
static double cost_at(solver *s, const problem *pb, const double *natural)
{
    double theta[FIT_MAX_PARAMS];
    for (size_t j = 0; j < pb->law->n_params; j++)
        theta[j] = law_to_internal(pb->law, j, natural[j]);
    return solver_cost_below(s, theta, INFINITY);
}

/* A bootstrap refit stops early (its tolerance only feeds a spread), yet
 * each resample's objective is within 1e-9 relative of the optimum GSL's
 * trust-region solver, the solver of record, reaches with its tightest
 * tolerance from the refit's answer and from the fit's optimum: Epoch's
 * Chinchilla fit, Huber 1e-3 in log space, 40 resamples on 2 threads. */
static void resamples_should_reach_the_gsl_optimum(void **state)
{
    (void)state;
    enum { RESAMPLES = 40 };
    dataset d;
    chinchilla_dataset(&d);
    assert_int_equal(d.n, 240);
    const slaw_law *law = slaw_law_find("chinchilla");
    slaw_fit_options opt;
    slaw_error err;
    slaw_fit_options_init(&opt);
    opt.bootstrap = RESAMPLES;
    opt.seed = 1;
    problem pb = {law,
                  &d,
                  {SLAW_SPACE_LOG, SLAW_LOSS_HUBER, 1e-3, 10.0, false},
                  {0},
                  DEFAULT_MAX_ITER,
                  NULL,
                  SLAW_SOLVER_LM};
    assert_int_equal(param_map_build(law, &opt, &pb.map, &err), SLAW_OK);
    data_summary summary;
    dataset_summary(&d, &summary);
    start_grid grid;
    assert_int_equal(starts_build(law, "epoch", &summary, &pb.map, &grid, &err), SLAW_OK);
    /* the fit's optimum, from near Epoch's published one */
    static const double epoch[5] = {1.8172, 482.01, 2085.43, 0.3478, 0.3658};
    double theta[FIT_MAX_PARAMS], u[FIT_MAX_PARAMS];
    for (size_t j = 0; j < 5; j++) theta[j] = law_to_internal(law, j, epoch[j]);
    param_map_u(&pb.map, theta, u);
    solver *s = solver_new(&pb);
    start_result best;
    solver_run_gsl(s, u, FINAL_TOL, &best);
    assert_int_equal(best.outcome, START_CONVERGED);
    solver_free(s);

    size_t *cluster_of = malloc(d.n * sizeof *cluster_of), *count = malloc(d.n * sizeof *count);
    for (size_t i = 0; i < d.n; i++) cluster_of[i] = i;
    boot_job job = {&pb, &grid, best.u, cluster_of, d.n, NULL, 0, &opt, 2};
    boot_result r;
    assert_int_equal(bootstrap_samples(&job, &r, &err), SLAW_OK);
    assert_int_equal(r.kept, RESAMPLES);

    double *w = malloc(d.n * sizeof *w), *sw = malloc(d.n * sizeof *sw), worst = -INFINITY;
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    dataset resample = d;
    resample.w = w;
    resample.sw = sw;
    problem local = pb;
    local.data = &resample;
    for (size_t b = 0; b < RESAMPLES; b++) {
        bootstrap_weights(&job, b, rng, count, w);
        dataset_root_weights(&resample);
        solver *t = solver_new(&local);
        double mine = cost_at(t, &local, r.samples + b * 5);
        start_result from_sample, from_fit;
        for (size_t j = 0; j < 5; j++) theta[j] = law_to_internal(law, j, r.samples[b * 5 + j]);
        param_map_u(&pb.map, theta, u);
        solver_run_gsl(t, u, FINAL_TOL, &from_sample);
        solver_run_gsl(t, best.u, FINAL_TOL, &from_fit);
        double gsl = fmin(from_sample.cost, from_fit.cost);
        assert_true(isfinite(mine) && isfinite(gsl));
        worst = fmax(worst, (mine - gsl) / gsl);
        if (!(mine <= gsl * (1 + 1e-9)))
            fail_msg("resample %zu: refit %.17g, GSL %.17g", b, mine, gsl);
        solver_free(t);
    }
    print_message("%d resamples: (refit - GSL) / GSL at most %.2g\n", RESAMPLES, worst);
    gsl_rng_free(rng);
    free(w);
    free(sw);
    free(count);
    free(cluster_of);
    free(r.samples);
    starts_free(&grid);
    for (size_t v = 0; v < 2; v++) free(d.lnx[v]);
    free(d.y);
    free(d.lny);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bootstrap_should_not_depend_on_threads),
        cmocka_unit_test(intervals_should_surround_the_estimate),
        cmocka_unit_test(bootstrap_should_survive_the_artifact),
        cmocka_unit_test(cluster_bootstrap_should_draw_whole_groups),
        cmocka_unit_test(resamples_should_reach_the_gsl_optimum),
        cmocka_unit_test(samples_should_be_written_with_the_fewest_digits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
