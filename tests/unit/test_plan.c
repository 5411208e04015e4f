/* test_plan.c — slaw_plan_rank and slaw_plan_greedy: the expected shrinkage
 * of a target's interval when a run is added, checked against the exact
 * least-squares algebra of a law that is linear in its internal parameters,
 * and against what extrapolation needs. */
#include "fit_result.h"
#include "forecast.h"
#include "helpers.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ln y = ln k + p ln x is linear in (ln k, p): with n runs at ln x_i the
 * variance of ln ŷ at ln x_t is σ² aᵀ (XᵀX)⁻¹ a with a = (1, ln x_t), and
 * adding a run at ln x_c adds (1, ln x_c) to X.  The CI width is
 * e^{z sd} - e^{-z sd} times ŷ. */
static double exact_variance(const double *lnx, size_t n, double extra, bool with_extra, double lnt,
                             double sigma2)
{
    double s0 = 0, s1 = 0, s2 = 0;
    for (size_t i = 0; i < n + with_extra; i++) {
        double u = i < n ? lnx[i] : extra;
        s0 += 1;
        s1 += u;
        s2 += u * u;
    }
    double det = s0 * s2 - s1 * s1;
    return sigma2 * (s2 - 2 * lnt * s1 + lnt * lnt * s0) / det;
}

static double width(double v, double z)
{
    return exp(z * sqrt(v)) - exp(-z * sqrt(v));
}

static void shrinkage_should_match_least_squares_algebra(void **state)
{
    (void)state;
    slaw_fit_options opt;
    slaw_fit_options_init(&opt);
    opt.law = "power";
    double truth[2] = {50, -0.1};
    slaw_artifact *a = fit_simulated(&opt, truth, 0.02, 3, 8);
    const slaw_fit *f = slaw_artifact_fit(a, 0);
    slaw_fit_stats st;
    slaw_fit_get_stats(f, &st);
    double lo, hi, lnx[8];
    slaw_fit_data_range(f, 0, &lo, &hi);
    for (size_t i = 0; i < 8; i++) lnx[i] = log(lo) + (log(hi) - log(lo)) * (double)i / 7;
    slaw_plan_target t = {.kind = SLAW_PLAN_POINT, .vars = {1e13}};
    slaw_plan_run runs[3] = {
        {.vars = {1e8}, .cost = 1}, {.vars = {1e11}, .cost = 2}, {.vars = {1e12}, .cost = 4}};
    slaw_plan_summary sum;
    slaw_error err;
    assert_int_equal(slaw_plan_rank(f, &t, NULL, runs, 3, &sum, &err), SLAW_OK);
    /* the fit's intervals are t on its n - p = 6 degrees of freedom: the plan's CI
     * takes the same quantile as its forecasts (it took the normal's before) */
    assert_int_equal(slaw_fit_interval_method(f), SLAW_INTERVAL_T);
    assert_int_equal(sum.method, SLAW_INTERVAL_T);
    double z = gsl_cdf_tdist_Pinv(0.975, 6.0), lnt = log(1e13), s2 = st.sigma * st.sigma;
    double v0 = exact_variance(lnx, 8, 0, false, lnt, s2);
    assert_close(log(sum.hi / sum.value), z * sqrt(v0), 1e-4);
    slaw_forecast fc;
    assert_int_equal(slaw_forecast_at(f, t.vars, NULL, &fc, &err), SLAW_OK);
    assert_close(sum.lo, fc.y.lo, 1e-6);
    assert_close(sum.hi, fc.y.hi, 1e-6);
    for (size_t i = 0; i < 3; i++) {
        double v1 = exact_variance(lnx, 8, log(runs[i].vars[0]), true, lnt, s2);
        double want = 1 - width(v1, z) / width(v0, z);
        print_message("x = %g: shrink %.6f, exact %.6f\n", runs[i].vars[0], runs[i].shrink, want);
        assert_close(runs[i].shrink, want, 1e-4);
        assert_close(runs[i].value, runs[i].shrink / runs[i].cost, 1e-12);
    }
    assert_true(runs[2].shrink > runs[1].shrink && runs[1].shrink > runs[0].shrink);
    /* asked for the delta method, both take the normal quantile */
    slaw_forecast_options fo;
    slaw_forecast_options_init(&fo, a);
    fo.method = SLAW_INTERVAL_DELTA;
    assert_int_equal(slaw_plan_rank(f, &t, &fo, runs, 3, &sum, &err), SLAW_OK);
    assert_int_equal(sum.method, SLAW_INTERVAL_DELTA);
    assert_int_equal(slaw_forecast_at(f, t.vars, &fo, &fc, &err), SLAW_OK);
    assert_close(log(sum.hi / sum.value), gsl_cdf_ugaussian_Pinv(0.975) * sqrt(v0), 1e-4);
    assert_close(sum.hi, fc.y.hi, 1e-6);
    slaw_artifact_free(a);
}

/* Chinchilla fitted on N 1e7..1e10, D 1e9..1e11: a target at N = 1e12,
 * D = 1e11 is narrowed more by a run at N = 1e11 than by one at N = 1e8
 * with the same D (22% against 0.2% of the width). */
static void a_run_beyond_the_data_in_n_should_help_a_large_n_target_more(void **state)
{
    (void)state;
    slaw_fit_options opt;
    slaw_fit_options_init(&opt);
    opt.law = "chinchilla";
    double truth[5] = {1.69, 406.4, 410.7, 0.34, 0.28};
    slaw_artifact *a = fit_simulated(&opt, truth, 0.01, 5, 5);
    slaw_plan_target t = {.kind = SLAW_PLAN_POINT, .vars = {1e12, 1e11}};
    slaw_plan_run runs[2] = {{.vars = {1e11, 1e11}, .cost = 6e22},
                             {.vars = {1e8, 1e11}, .cost = 6e19}};
    slaw_plan_summary sum;
    slaw_error err;
    assert_int_equal(slaw_plan_rank(slaw_artifact_fit(a, 0), &t, NULL, runs, 2, &sum, &err),
                     SLAW_OK);
    print_message("outside %.4f, inside %.4f\n", runs[0].shrink, runs[1].shrink);
    assert_true(runs[0].shrink > 0.05);
    assert_true(runs[0].shrink > 5 * runs[1].shrink);
    assert_true(sum.lo < sum.value && sum.value < sum.hi);
    slaw_artifact_free(a);
}

/* The greedy set keeps within the budget and the count, and takes first
 * the affordable run that removes the most. */
static void greedy_should_keep_to_budget_and_count(void **state)
{
    (void)state;
    slaw_fit_options opt;
    slaw_fit_options_init(&opt);
    opt.law = "chinchilla";
    double truth[5] = {1.69, 406.4, 410.7, 0.34, 0.28};
    slaw_artifact *a = fit_simulated(&opt, truth, 0.01, 5, 5);
    const slaw_fit *f = slaw_artifact_fit(a, 0);
    slaw_plan_target t = {.kind = SLAW_PLAN_OPTIMUM, .C = 1e24};
    slaw_plan_run runs[16];
    for (size_t i = 0; i < 16; i++) {
        runs[i].vars[0] = 1e8 * pow(10, (double)(i / 4) * 0.8);
        runs[i].vars[1] = 1e10 * pow(10, (double)(i % 4) * 0.6);
        runs[i].cost = 6 * runs[i].vars[0] * runs[i].vars[1];
    }
    slaw_plan_summary sum;
    slaw_error err;
    assert_int_equal(slaw_plan_rank(f, &t, NULL, runs, 16, &sum, &err), SLAW_OK);
    double budget = 5e21, best = 0;
    size_t best_i = 16;
    for (size_t i = 0; i < 16; i++)
        if (runs[i].cost <= budget && runs[i].shrink > best) {
            best = runs[i].shrink;
            best_i = i;
        }
    size_t chosen[3], n;
    double shrink[3];
    assert_int_equal(slaw_plan_greedy(f, &t, NULL, runs, 16, budget, 3, chosen, &n, shrink, &err),
                     SLAW_OK);
    assert_int_equal(n, 3);
    assert_int_equal(chosen[0], best_i);
    assert_close(shrink[0], best, 1e-9);
    double spent = 0;
    for (size_t m = 0; m < n; m++) spent += runs[chosen[m]].cost;
    assert_true(spent <= budget);
    assert_true(shrink[2] > shrink[1] && shrink[1] > shrink[0]);
    assert_int_equal(slaw_plan_greedy(f, &t, NULL, runs, 16, 1e17, 3, chosen, &n, shrink, &err),
                     SLAW_OK);
    assert_int_equal(n, 0); /* nothing that cheap */
    slaw_artifact_free(a);
}

static void bad_requests_should_be_refused(void **state)
{
    (void)state;
    slaw_fit_options opt;
    slaw_fit_options_init(&opt);
    opt.law = "saturating";
    double truth[3] = {1.8, 380, 0.32};
    slaw_artifact *a = fit_simulated(&opt, truth, 0.01, 2, 10);
    const slaw_fit *f = slaw_artifact_fit(a, 0);
    slaw_plan_run run = {.vars = {1e11}, .cost = 1};
    slaw_plan_summary sum;
    slaw_error err;
    slaw_plan_target t = {.kind = SLAW_PLAN_OPTIMUM, .C = 1e24};
    assert_int_equal(slaw_plan_rank(f, &t, NULL, &run, 1, &sum, &err), SLAW_EUSAGE);
    assert_non_null(strstr(err.message, "one variable"));
    t = (slaw_plan_target){.kind = SLAW_PLAN_POINT, .vars = {-1}};
    assert_int_equal(slaw_plan_rank(f, &t, NULL, &run, 1, &sum, &err), SLAW_EUSAGE);
    t.vars[0] = 1e12;
    run.cost = 0;
    assert_int_equal(slaw_plan_rank(f, &t, NULL, &run, 1, &sum, &err), SLAW_EUSAGE);
    assert_non_null(strstr(err.message, "candidate run 1"));
    run.cost = 1;
    t = (slaw_plan_target){.kind = SLAW_PLAN_COMPUTE, .loss = 1.0}; /* below the floor 1.8 */
    assert_int_equal(slaw_plan_rank(f, &t, NULL, &run, 1, &sum, &err), SLAW_EINPUT);
    t.loss = 1.9;
    assert_int_equal(slaw_plan_rank(f, &t, NULL, &run, 1, &sum, &err), SLAW_OK);
    assert_true(run.shrink > 0 && run.shrink < 1);
    slaw_artifact_free(a);
}

/* With bootstrap samples the shrinkage is averaged over them: the summary
 * says how many, and the result differs from the fit alone's. */
static void bootstrap_samples_should_be_averaged_over(void **state)
{
    (void)state;
    slaw_fit_options opt;
    slaw_fit_options_init(&opt);
    opt.law = "saturating";
    double truth[3] = {1.8, 380, 0.32};
    slaw_artifact *plain = fit_simulated(&opt, truth, 0.02, 4, 10);
    opt.bootstrap = 40;
    opt.seed = 3;
    slaw_artifact *boot = fit_simulated(&opt, truth, 0.02, 4, 10);
    slaw_plan_target t = {.kind = SLAW_PLAN_POINT, .vars = {1e12}};
    slaw_plan_run a = {.vars = {1e11}, .cost = 1}, b = a;
    slaw_plan_summary sa, sb;
    slaw_error err;
    assert_int_equal(slaw_plan_rank(slaw_artifact_fit(plain, 0), &t, NULL, &a, 1, &sa, &err),
                     SLAW_OK);
    assert_int_equal(slaw_plan_rank(slaw_artifact_fit(boot, 0), &t, NULL, &b, 1, &sb, &err),
                     SLAW_OK);
    assert_int_equal(sa.samples, 0);
    assert_true(sb.samples >= 30 && sb.samples <= 40);
    assert_close(sa.value, sb.value, 1e-9); /* the same fit: the target and CI are the fit's */
    assert_true(b.shrink > 0 && b.shrink < 1 && fabs(b.shrink - a.shrink) > 1e-6);
    print_message("shrink: fit alone %.4f, averaged over %zu samples %.4f\n", a.shrink, sb.samples,
                  b.shrink);
    slaw_artifact_free(plain);
    slaw_artifact_free(boot);
}

/* Rows of the inline data block whose name starts with $stem. */
static size_t block_rows(const char *text, const char *stem)
{
    char head[64];
    snprintf(head, sizeof head, "\n$%s", stem);
    const char *p = strstr(text, head);
    if (!p) return 0;
    p = strchr(p + 1, '\n') + 1;
    size_t n = 0;
    for (; strncmp(p, "EOD", 3) != 0; p = strchr(p, '\n') + 1) n++;
    return n;
}

/* The plan plot: every candidate, within or over the budget, coloured by
 * its value; the greedy picks ringed; the target marked. */
static void plan_plot_should_draw_candidates_picks_and_target(void **state)
{
    (void)state;
    slaw_fit_options opt;
    slaw_fit_options_init(&opt);
    opt.law = "chinchilla";
    double truth[5] = {1.69, 406.4, 410.7, 0.34, 0.28};
    slaw_artifact *a = fit_simulated(&opt, truth, 0.01, 5, 5);
    slaw_plan_target t = {.kind = SLAW_PLAN_POINT, .vars = {7e10, 1.4e12}};
    slaw_plan_run runs[12];
    for (size_t i = 0; i < 12; i++) {
        runs[i].vars[0] = 1e8 * pow(10, (double)(i / 3));
        runs[i].vars[1] = 1e10 * pow(10, (double)(i % 3));
        runs[i].cost = 6 * runs[i].vars[0] * runs[i].vars[1];
    }
    slaw_plot_plan plan = {.target = &t, .runs = runs, .n_runs = 12, .budget = 1e21, .picks = 2};
    slaw_plot_options po;
    slaw_plot_options_init(&po);
    po.kind = SLAW_PLOT_PLAN;
    char *text = NULL;
    slaw_error err;
    assert_int_equal(slaw_plot_plan_script(a, &po, &plan, &text, &err), SLAW_OK);
    size_t within = 0;
    for (size_t i = 0; i < 12; i++) within += runs[i].cost <= 1e21;
    assert_int_equal(block_rows(text, "candidates"), within);
    assert_int_equal(block_rows(text, "over"), 12 - within);
    assert_int_equal(block_rows(text, "best"), 2);
    assert_int_equal(block_rows(text, "target"), 1);
    assert_non_null(strstr(text, "lc palette z"));
    assert_non_null(strstr(text, "set logscale cb 10"));
    free(text);
    text = NULL;
    assert_int_equal(slaw_plot_plan_script(a, &po, NULL, &text, &err), SLAW_EUSAGE);
    assert_null(text);
    slaw_artifact_free(a);
}

/* A fit of law at its first test point with a covariance of 1% of each
 * value (the law's own: no runs needed), to plan from. */
static slaw_artifact *fit_at_test_point(const slaw_law *law)
{
    slaw_artifact *a = NULL;
    slaw_error err;
    const law_test_point *tp = &law->test_points[0];
    if (slaw_artifact_from_params(law, tp->natural, &a, &err) != SLAW_OK)
        fail_msg("%s: %s", law->name, err.message);
    slaw_fit *f = (slaw_fit *)slaw_artifact_fit(a, 0);
    size_t p = law->n_params;
    for (size_t j = 0; j < p; j++) {
        double sd = 0.01 * (tp->natural[j] != 0 ? fabs(tp->natural[j]) : 1);
        f->state[j] = SLAW_PARAM_FREE;
        for (size_t k = 0; k < p; k++) f->cov[j * p + k] = j == k ? sd * sd : 0;
        f->se[j] = sd;
    }
    f->stats.sigma = 0.01;
    f->stats.n = 50;
    f->stats.n_free = p;
    return a;
}

/* The values a budget does not set (muennighoff's U), held at the test
 * point's. */
static void held_at_test_point(const slaw_law *law, slaw_point *held)
{
    slaw_error err;
    slaw_point_init(held);
    for (size_t v = 0; v < law->n_vars; v++) {
        slaw_role r = law->vars[v];
        if (r == SLAW_ROLE_N || r == SLAW_ROLE_D || r == SLAW_ROLE_C || r == SLAW_ROLE_M) continue;
        assert_int_equal(slaw_point_set(held, law_var_name(law, v), law->test_points[0].x[v], &err),
                         SLAW_OK);
    }
}

/* Ranks three candidates (the test point at 0.9, 1 and 1.1 times) for t;
 * returns the target's value now. */
static double plan_value(const slaw_law *law, const slaw_fit *f, const slaw_plan_target *t,
                         const slaw_forecast_options *fo)
{
    slaw_plan_run runs[3];
    slaw_plan_summary sum;
    slaw_error err;
    for (size_t i = 0; i < 3; i++) {
        for (size_t v = 0; v < law->n_vars; v++)
            runs[i].vars[v] = law->test_points[0].x[v] * (0.9 + 0.1 * (double)i);
        runs[i].cost = 1;
    }
    if (slaw_plan_rank(f, t, fo, runs, 3, &sum, &err) != SLAW_OK)
        fail_msg("%s, target kind %d: %s", law->name, (int)t->kind, err.message);
    for (size_t i = 0; i < 3; i++) assert_true(runs[i].shrink >= 0 && runs[i].shrink < 1);
    assert_true(sum.lo < sum.value && sum.value < sum.hi);
    return sum.value;
}

/* plan answers every law of the registry from what it declares: the law at
 * its test point, the least loss at a budget along the law's own budget
 * (gadre's C and M, muennighoff's U held) equal to slaw_optimal_compute's,
 * and the compute (or x) that reaches it back. */
static void every_law_in_the_registry_should_plan(void **state)
{
    (void)state;
    for (size_t i = 0; i < slaw_law_count(); i++) {
        const slaw_law *law = slaw_law_at(i);
        const law_test_point *tp = &law->test_points[0];
        slaw_artifact *a = fit_at_test_point(law);
        const slaw_fit *f = slaw_artifact_fit(a, 0);
        slaw_forecast_options fo;
        slaw_point held;
        slaw_error err;
        slaw_forecast_options_init(&fo, a);
        held_at_test_point(law, &held);
        fo.held = &held;
        slaw_plan_target t = {.kind = SLAW_PLAN_POINT};
        memcpy(t.vars, tp->x, sizeof t.vars);
        assert_close(plan_value(law, f, &t, &fo), tp->y, 1e-12);
        if (slaw_law_has_budget(law)) {
            double N, D, C;
            slaw_optimum o;
            point_allocation(law, tp->x, 0, &N, &D, &C);
            t = (slaw_plan_target){.kind = SLAW_PLAN_OPTIMUM, .C = C};
            if (slaw_optimal_compute(f, C, &fo, &o, &err) != SLAW_OK)
                fail_msg("%s: %s", law->name, err.message);
            assert_close(plan_value(law, f, &t, &fo), o.L.value, 1e-12);
            t = (slaw_plan_target){.kind = SLAW_PLAN_COMPUTE, .loss = o.L.value};
            assert_close(plan_value(law, f, &t, &fo), C, 1e-8);
        } else {
            t = (slaw_plan_target){.kind = SLAW_PLAN_COMPUTE, .loss = tp->y};
            assert_close(plan_value(law, f, &t, &fo), tp->x[0], 1e-8);
        }
        slaw_artifact_free(a);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(shrinkage_should_match_least_squares_algebra),
        cmocka_unit_test(a_run_beyond_the_data_in_n_should_help_a_large_n_target_more),
        cmocka_unit_test(greedy_should_keep_to_budget_and_count),
        cmocka_unit_test(bad_requests_should_be_refused),
        cmocka_unit_test(bootstrap_samples_should_be_averaged_over),
        cmocka_unit_test(plan_plot_should_draw_candidates_picks_and_target),
        cmocka_unit_test(every_law_in_the_registry_should_plan),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
