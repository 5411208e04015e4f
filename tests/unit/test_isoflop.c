/* test_isoflop.c — Approach 2 (IsoFLOP profiles): a known exponent
 * recovered from simulated profiles, the parabola's vertex and the
 * exponent's interval by hand, budgets refused by name, each run's budget
 * and each parabola's curvature. */
#include "helpers.h"

#include <gsl/gsl_multifit.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define T975_3 3.182446305284263 /* Student t, 0.975 quantile, 3 degrees of freedom */

/* Chinchilla law with the paper's parameters: the exponent of N* is
 * beta / (alpha + beta). */
static const double truth[5] = {1.69, 406.4, 410.7, 0.34, 0.28};

/* IsoFLOP profiles: per budget, 9 sizes spread evenly in ln N over
 * ±spread around the true N*, each trained on D = C / (6N). */
static char *profiles(const double *budgets, size_t n_budgets, double spread, double noise,
                      bool with_budget_column)
{
    const slaw_law *law = slaw_law_find("chinchilla");
    size_t n = 9 * n_budgets;
    double *x = malloc(2 * n * sizeof *x), *y = malloc(n * sizeof *y);
    char *csv = malloc(n * 120 + 64);
    double s = truth[3] + truth[4];
    double G = pow(truth[3] * truth[1] / (truth[4] * truth[2]), 1 / s);
    slaw_error err;
    for (size_t k = 0; k < n_budgets; k++) {
        double n_opt = G * pow(budgets[k] / 6, truth[4] / s);
        for (size_t i = 0; i < 9; i++) {
            double N = n_opt * exp(spread * ((double)i / 4 - 1));
            x[2 * (9 * k + i)] = N;
            x[2 * (9 * k + i) + 1] = budgets[k] / (6 * N);
        }
    }
    assert_int_equal(slaw_simulate(law, truth, x, n, noise, 3, y, &err), SLAW_OK);
    size_t o = (size_t)sprintf(csv, "%sN,D,loss\n", with_budget_column ? "budget," : "");
    for (size_t i = 0; i < n; i++) {
        if (with_budget_column) o += (size_t)sprintf(csv + o, "b%zu,", i / 9);
        o += (size_t)sprintf(csv + o, "%.17g,%.17g,%.17g\n", x[2 * i], x[2 * i + 1], y[i]);
    }
    free(x);
    free(y);
    return csv;
}

static slaw_isoflop *run(const char *csv, const slaw_isoflop_options *opt)
{
    slaw_runs *runs;
    slaw_isoflop *r = NULL;
    slaw_error err;
    assert_int_equal(load_text("iso.csv", csv, NULL, &runs, &err), SLAW_OK);
    if (slaw_isoflop_run(runs, opt, &r, &err) != SLAW_OK) fail_msg("%s", err.message);
    slaw_runs_free(runs);
    return r;
}

static void a_known_exponent_should_be_recovered_from_simulated_profiles(void **state)
{
    (void)state;
    const double budgets[] = {1e18, 1e19, 1e20, 1e21, 1e22};
    slaw_isoflop_options opt;
    slaw_isoflop_options_init(&opt);
    /* Noise-free: each parabola misses N* by the same factor (the profile has
     * the same shape at every budget), so the exponent is exact. */
    char *csv = profiles(budgets, 5, 1.5, 0, false);
    slaw_isoflop *r = run(csv, &opt);
    double a = truth[4] / (truth[3] + truth[4]);
    assert_int_equal(slaw_isoflop_budget_count(r), 5);
    assert_close(slaw_isoflop_n_exponent(r)->exponent.value, a, 1e-6);
    assert_close(slaw_isoflop_d_exponent(r)->exponent.value, 1 - a, 1e-6);
    for (size_t i = 0; i < 5; i++) {
        const slaw_isoflop_budget *b = slaw_isoflop_budget_at(r, i);
        assert_true(b->used && b->runs == 9 && !b->refused);
        assert_close(b->C, budgets[i], 1e-12);
        assert_close(6 * b->N.value * b->D.value, b->C, 1e-12);
    }
    slaw_isoflop_free(r);
    free(csv);
    /* With noise: within its interval, and close. */
    csv = profiles(budgets, 5, 1.5, 0.003, false);
    r = run(csv, &opt);
    const slaw_isoflop_exponent *e = slaw_isoflop_n_exponent(r);
    print_message("a = %.4f [%.4f, %.4f], truth %.4f\n", e->exponent.value, e->exponent.lo,
                  e->exponent.hi, a);
    assert_true(e->exponent.lo < a && a < e->exponent.hi);
    assert_true(fabs(e->exponent.value - a) < 0.02);
    assert_int_equal(e->budgets, 5);
    slaw_isoflop_free(r);
    free(csv);
}

/* L = 2 + 0.05 (ln N - ln 1e9)^2 exactly: the vertex is N* = 1e9, L = 2. */
static void the_vertex_should_be_the_parabolas_minimum(void **state)
{
    (void)state;
    char csv[2000];
    size_t o = (size_t)sprintf(csv, "N,C,loss\n");
    for (int k = 0; k < 2; k++)
        for (int i = 0; i < 5; i++) {
            double N = 1e9 * pow(k ? 10 : 3, i / 2.0 - 1) * (k ? 10 : 1);
            double u = log(N) - log(k ? 1e10 : 1e9);
            o += (size_t)sprintf(csv + o, "%.17g,%g,%.17g\n", N, k ? 1e21 : 1e20,
                                 2 + 0.05 * u * u + (k ? 0.01 * u : 0));
        }
    slaw_isoflop_options opt;
    slaw_isoflop_options_init(&opt);
    slaw_isoflop *r = run(csv, &opt);
    const slaw_isoflop_budget *b = slaw_isoflop_budget_at(r, 0);
    assert_close(b->N.value, 1e9, 1e-10);
    assert_close(b->L, 2, 1e-12);
    assert_close(b->D.value, 1e20 / 6e9, 1e-10);
    /* The second: 2 + 0.05 u² + 0.01 u, least at u = -0.1, L = 2 - 0.0005. */
    b = slaw_isoflop_budget_at(r, 1);
    assert_close(b->N.value, 1e10 * exp(-0.1), 1e-10);
    assert_close(b->L, 2 - 0.0005, 1e-12);
    /* Two budgets: an exponent, but no interval (no degrees of freedom). */
    const slaw_isoflop_exponent *e = slaw_isoflop_n_exponent(r);
    assert_close(e->exponent.value, log(1e10 * exp(-0.1) / 1e9) / log(10), 1e-10);
    assert_true(isnan(e->exponent.lo) && isnan(e->se));
    slaw_isoflop_free(r);
}

/* The exponent's interval, by the textbook formulas for a straight line. */
static void the_exponent_interval_should_be_students_t(void **state)
{
    (void)state;
    const double budgets[] = {1e18, 1e19, 1e20, 1e21, 1e22};
    char *csv = profiles(budgets, 5, 1.5, 0.003, false);
    slaw_isoflop_options opt;
    slaw_isoflop_options_init(&opt);
    slaw_isoflop *r = run(csv, &opt);
    double x[5], y[5], mx = 0, my = 0, sxx = 0, sxy = 0, rss = 0;
    for (size_t i = 0; i < 5; i++) {
        x[i] = log(slaw_isoflop_budget_at(r, i)->C);
        y[i] = log(slaw_isoflop_budget_at(r, i)->N.value);
        mx += x[i] / 5;
        my += y[i] / 5;
    }
    for (size_t i = 0; i < 5; i++) {
        sxx += (x[i] - mx) * (x[i] - mx);
        sxy += (x[i] - mx) * (y[i] - my);
    }
    double slope = sxy / sxx;
    for (size_t i = 0; i < 5; i++) {
        double res = y[i] - my - slope * (x[i] - mx);
        rss += res * res;
    }
    double se = sqrt(rss / 3 / sxx);
    const slaw_isoflop_exponent *e = slaw_isoflop_n_exponent(r);
    assert_close(e->exponent.value, slope, 1e-10);
    assert_close(e->se, se, 1e-8);
    assert_close(e->exponent.lo, slope - T975_3 * se, 1e-8);
    assert_close(e->exponent.hi, slope + T975_3 * se, 1e-8);
    assert_close(e->coefficient, exp(my - slope * mx), 1e-10);
    slaw_isoflop_free(r);
    free(csv);
}

static void budgets_should_come_from_a_column_or_from_binning(void **state)
{
    (void)state;
    const double budgets[] = {1e19, 1.05e19, 1e21};
    slaw_isoflop_options opt;
    slaw_isoflop_options_init(&opt);
    /* 1e19 and 1.05e19 are within 10%: one bin of 18 runs. */
    char *csv = profiles(budgets, 3, 1.0, 0, false);
    slaw_isoflop *r = run(csv, &opt);
    assert_int_equal(slaw_isoflop_budget_count(r), 2);
    assert_int_equal(slaw_isoflop_budget_at(r, 0)->runs, 18);
    assert_close(slaw_isoflop_budget_at(r, 0)->C, sqrt(1e19 * 1.05e19), 1e-12);
    assert_string_equal(slaw_isoflop_budget_at(r, 1)->label, "1e+21");
    slaw_isoflop_free(r);
    opt.bin = 0.01;
    r = run(csv, &opt);
    assert_int_equal(slaw_isoflop_budget_count(r), 3);
    slaw_isoflop_free(r);
    free(csv);
    /* A budget column names them. */
    csv = profiles(budgets, 3, 1.0, 0, true);
    opt.budget = "budget";
    r = run(csv, &opt);
    assert_int_equal(slaw_isoflop_budget_count(r), 3);
    assert_string_equal(slaw_isoflop_budget_at(r, 1)->label, "b1");
    slaw_isoflop_free(r);
    free(csv);
}

static void unusable_budgets_should_be_refused_by_name(void **state)
{
    (void)state;
    const char *csv = "N,C,loss\n"
                      "1e8,1e19,3.0\n3e8,1e19,2.8\n1e9,1e19,2.9\n3e9,1e19,3.2\n"    /* fine */
                      "1e8,1e20,2.9\n1e9,1e20,2.6\n"                                /* 2 runs */
                      "1e8,1e21,2.5\n1e9,1e21,2.7\n1e10,1e21,2.5\n"                 /* concave */
                      "1e7,1e22,3.0\n1e8,1e22,2.7\n1e9,1e22,2.5\n2e9,1e22,2.46\n"   /* no vertex */
                      "1e9,1e23,2.2\n3e9,1e23,2.1\n1e10,1e23,2.15\n3e10,1e23,2.3\n" /* fine */
                      "1e9,1e24,2.2\n1e9,1e24,2.1\n1e10,1e24,2.0\n";                /* 2 sizes */
    slaw_isoflop_options opt;
    slaw_isoflop_options_init(&opt);
    slaw_isoflop *r = run(csv, &opt);
    assert_int_equal(slaw_isoflop_budget_count(r), 6);
    assert_string_equal(slaw_isoflop_budget_at(r, 5)->refused,
                        "3 runs but 2 distinct N: a parabola needs at least 3");
    assert_true(slaw_isoflop_budget_at(r, 0)->used && slaw_isoflop_budget_at(r, 4)->used);
    assert_string_equal(slaw_isoflop_budget_at(r, 1)->refused,
                        "2 runs: a parabola needs at least 3");
    assert_string_equal(slaw_isoflop_budget_at(r, 2)->refused,
                        "the parabola opens downward: no minimum");
    assert_non_null(strstr(slaw_isoflop_budget_at(r, 3)->refused, "lies outside the runs' N"));
    assert_int_equal(slaw_isoflop_n_exponent(r)->budgets, 2);
    slaw_isoflop_free(r);
}

static void isoflop_fails(const char *csv, const slaw_isoflop_options *opt, slaw_status code,
                          const char *want)
{
    slaw_runs *runs;
    slaw_isoflop *r = NULL;
    slaw_error err;
    assert_int_equal(load_text("iso.csv", csv, NULL, &runs, &err), SLAW_OK);
    assert_int_equal(slaw_isoflop_run(runs, opt, &r, &err), code);
    assert_null(r);
    if (!strstr(err.message, want)) fail_msg("'%s' lacks '%s'", err.message, want);
    slaw_runs_free(runs);
}

static void too_few_budgets_and_bad_options_should_fail(void **state)
{
    (void)state;
    slaw_isoflop_options opt;
    slaw_isoflop_options_init(&opt);
    isoflop_fails("N,C,loss\n1e8,1e19,3.0\n3e8,1e19,2.8\n1e9,1e19,2.9\n1e8,1e20,2.9\n", &opt,
                  SLAW_EFIT,
                  "1 of 2 budgets can be used; N* ~ C^a needs at least 2; budget "
                  "1e+20: 1 run: a parabola needs at least 3");
    isoflop_fails("N,loss\n1e8,3\n", &opt, SLAW_EUSAGE, "needs the compute C");
    isoflop_fails("C,loss\n1e8,3\n", &opt, SLAW_EUSAGE, "needs N");
    opt.budget = "nope";
    isoflop_fails("N,C,loss\n1e8,1e19,3\n", &opt, SLAW_EUSAGE, "budget nope: no such column");
    opt.budget = NULL;
    opt.bin = -1;
    isoflop_fails("N,C,loss\n1e8,1e19,3\n", &opt, SLAW_EUSAGE, "bin tolerance -1");
    opt.bin = 0;
    opt.level = 2;
    isoflop_fails("N,C,loss\n1e8,1e19,3\n", &opt, SLAW_EUSAGE, "level");
}

/* Each run's budget and each parabola's curvature, as slaw plot draws
 * them: a budget's runs are as many as it says, and its curvature is b2
 * of the least-squares parabola of their loss on ln N, fitted here again
 * with GSL. */
static void runs_budgets_and_curvatures_should_be_reported(void **state)
{
    (void)state;
    const char *path = source_path("tests/cli/data/isoflop_runs.csv");
    slaw_runs *r;
    slaw_isoflop *iso;
    slaw_error err;
    size_t nc, lc, used = 0;
    assert_int_equal(slaw_runs_load(&path, 1, NULL, &r, &err), SLAW_OK);
    assert_true(slaw_runs_role_column(r, SLAW_ROLE_N, &nc));
    assert_true(slaw_runs_role_column(r, SLAW_ROLE_L, &lc));
    for (int by_column = 0; by_column < 2; by_column++) {
        slaw_isoflop_options opt;
        slaw_isoflop_options_init(&opt);
        if (by_column) opt.budget = "budget";
        assert_int_equal(slaw_isoflop_run(r, &opt, &iso, &err), SLAW_OK);
        for (size_t k = 0; k < slaw_isoflop_budget_count(iso); k++) {
            const slaw_isoflop_budget *b = slaw_isoflop_budget_at(iso, k);
            size_t m = 0;
            double u[16], y[16];
            for (size_t i = 0; i < slaw_runs_count(r); i++) {
                if (slaw_isoflop_run_budget(iso, i) != k) continue;
                assert_true(m < 16);
                u[m] = log(slaw_runs_value(r, nc, i));
                y[m++] = slaw_runs_value(r, lc, i);
            }
            assert_int_equal(m, b->runs);
            if (!b->used) {
                assert_true(isnan(slaw_isoflop_budget_curvature(iso, k)));
                continue;
            }
            used++;
            gsl_matrix *X = gsl_matrix_alloc(m, 3), *cov = gsl_matrix_alloc(3, 3);
            gsl_vector *Y = gsl_vector_alloc(m), *c = gsl_vector_alloc(3);
            gsl_multifit_linear_workspace *w = gsl_multifit_linear_alloc(m, 3);
            double chisq;
            for (size_t i = 0; i < m; i++) {
                gsl_matrix_set(X, i, 0, 1);
                gsl_matrix_set(X, i, 1, u[i]);
                gsl_matrix_set(X, i, 2, u[i] * u[i]);
                gsl_vector_set(Y, i, y[i]);
            }
            gsl_multifit_linear(X, Y, c, cov, &chisq, w);
            assert_close(slaw_isoflop_budget_curvature(iso, k), gsl_vector_get(c, 2), 1e-8);
            gsl_multifit_linear_free(w);
            gsl_vector_free(c);
            gsl_vector_free(Y);
            gsl_matrix_free(cov);
            gsl_matrix_free(X);
        }
        assert_int_equal(slaw_isoflop_run_budget(iso, slaw_runs_count(r)), SIZE_MAX);
        assert_true(isnan(slaw_isoflop_budget_curvature(iso, slaw_isoflop_budget_count(iso))));
        slaw_isoflop_free(iso);
    }
    assert_int_equal(used, 2 * 4); /* 4 of the 5 budgets, each way */
    slaw_runs_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_known_exponent_should_be_recovered_from_simulated_profiles),
        cmocka_unit_test(the_vertex_should_be_the_parabolas_minimum),
        cmocka_unit_test(the_exponent_interval_should_be_students_t),
        cmocka_unit_test(budgets_should_come_from_a_column_or_from_binning),
        cmocka_unit_test(unusable_budgets_should_be_refused_by_name),
        cmocka_unit_test(too_few_budgets_and_bad_options_should_fail),
        cmocka_unit_test(runs_budgets_and_curvatures_should_be_reported),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
