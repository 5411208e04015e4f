/* test_fit.c — fitting: recovery of known laws, constraints, groups,
 * filters, degenerate data, determinism across thread counts. */
#include "helpers.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Runs drawn from a law on a log-spaced grid, loaded from CSV text. */
static slaw_runs *simulated(const char *name, const double *truth, double noise, unsigned long seed,
                            size_t n_points)
{
    const slaw_law *law = slaw_law_find(name);
    size_t nv = slaw_law_var_count(law), n = nv == 2 ? n_points * n_points : n_points;
    double *x = malloc(n * nv * sizeof *x), *y = malloc(n * sizeof *y);
    char *csv = malloc(n * 80 + 64);
    slaw_error err;
    double lo = nv == 1 && !strcmp(name, "bnsl") ? 1e6 : 1e7, hi = 1e10;
    for (size_t i = 0; i < n; i++) {
        size_t a = nv == 2 ? i / n_points : i, b = i % n_points;
        x[i * nv] = lo * pow(hi / lo, (double)a / (double)(n_points - 1));
        if (nv == 2) x[i * nv + 1] = 1e9 * pow(100.0, (double)b / (double)(n_points - 1));
    }
    assert_int_equal(slaw_simulate(law, truth, x, n, noise, seed, y, &err), SLAW_OK);
    size_t o = (size_t)sprintf(csv, nv == 2 ? "N,D,loss\n" : "N,loss\n");
    for (size_t i = 0; i < n; i++) {
        if (nv == 2)
            o += (size_t)sprintf(csv + o, "%.17g,%.17g,%.17g\n", x[2 * i], x[2 * i + 1], y[i]);
        else o += (size_t)sprintf(csv + o, "%.17g,%.17g\n", x[i], y[i]);
    }
    slaw_runs *runs = NULL;
    assert_int_equal(load_text("sim.csv", csv, NULL, &runs, &err), SLAW_OK);
    free(x);
    free(y);
    free(csv);
    return runs;
}

static slaw_artifact *fit_ok(const slaw_runs *runs, const slaw_fit_options *opt)
{
    slaw_artifact *a = NULL;
    slaw_error err;
    if (slaw_fit_runs(runs, opt, &a, &err) != SLAW_OK) fail_msg("fit failed: %s", err.message);
    return a;
}

static void fit_fails(const slaw_runs *runs, const slaw_fit_options *opt, slaw_status code,
                      const char *want)
{
    slaw_artifact *a = NULL;
    slaw_error err;
    char text[2048];
    assert_int_equal(slaw_fit_runs(runs, opt, &a, &err), code);
    assert_null(a);
    slaw_error_text(&err, text, sizeof text);
    if (!strstr(text, want)) fail_msg("'%s' lacks '%s'", text, want);
}

static const struct {
    const char *law;
    double truth[6];
    size_t points;
} laws[] = {
    {"power", {3.2e-13, 1.5}, 10},
    {"saturating", {1.8, 380, 0.32}, 12},
    {"chinchilla", {1.69, 406.4, 410.7, 0.34, 0.28}, 6},
    {"kaplan", {8.8e13, 5.4e13, 0.076, 0.095}, 5},
    {"bnsl", {1.2, 60, 0.15, 0.35, 3e8, 0.3}, 30},
};

static void fits_should_recover_noise_free_laws(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof laws / sizeof laws[0]; k++) {
        slaw_runs *runs = simulated(laws[k].law, laws[k].truth, 0.0, 1, laws[k].points);
        slaw_fit_options opt;
        slaw_fit_options_init(&opt);
        opt.law = laws[k].law;
        slaw_artifact *a = fit_ok(runs, &opt);
        const slaw_fit *f = slaw_artifact_fit(a, 0);
        for (size_t j = 0; j < slaw_law_param_count(slaw_fit_law(f)); j++)
            if (!close_enough(slaw_fit_value(f, j), laws[k].truth[j], 1e-6))
                fail_msg("%s: %s", laws[k].law, slaw_law_param_name(slaw_fit_law(f), j));
        slaw_artifact_free(a);
        slaw_runs_free(runs);
    }
}

static void fits_should_recover_noisy_laws_within_three_standard_errors(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof laws / sizeof laws[0]; k++) {
        slaw_runs *runs = simulated(laws[k].law, laws[k].truth, 0.01, 20 + k, laws[k].points);
        slaw_fit_options opt;
        slaw_fit_options_init(&opt);
        opt.law = laws[k].law;
        slaw_artifact *a = fit_ok(runs, &opt);
        const slaw_fit *f = slaw_artifact_fit(a, 0);
        for (size_t j = 0; j < slaw_law_param_count(slaw_fit_law(f)); j++) {
            double v = slaw_fit_value(f, j), se = slaw_fit_stderr(f, j);
            if (!(se > 0 && isfinite(se))) {
                for (size_t w = 0; w < slaw_fit_warning_count(f); w++)
                    print_message("%s\n", slaw_fit_warning(f, w));
                fail_msg("%s: %s has no standard error", laws[k].law,
                         slaw_law_param_name(slaw_fit_law(f), j));
            }
            if (fabs(v - laws[k].truth[j]) > 3 * se)
                fail_msg("%s: %s = %g +- %g, truth %g", laws[k].law,
                         slaw_law_param_name(slaw_fit_law(f), j), v, se, laws[k].truth[j]);
        }
        slaw_artifact_free(a);
        slaw_runs_free(runs);
    }
}

static void fix_should_hold_a_parameter(void **state)
{
    (void)state;
    double truth[3] = {1.8, 380, 0.32};
    slaw_runs *runs = simulated("saturating", truth, 0.01, 3, 12);
    const char *fix[] = {"alpha=0.25"};
    slaw_fit_options opt;
    slaw_fit_options_init(&opt);
    opt.law = "saturating";
    opt.fix = fix;
    opt.n_fix = 1;
    slaw_artifact *a = fit_ok(runs, &opt);
    const slaw_fit *f = slaw_artifact_fit(a, 0);
    slaw_fit_stats st;
    slaw_fit_get_stats(f, &st);
    assert_true(slaw_fit_value(f, 2) == 0.25);
    assert_int_equal(slaw_fit_param_state(f, 2), SLAW_PARAM_FIXED);
    assert_true(isnan(slaw_fit_stderr(f, 2)));
    assert_int_equal(st.n_free, 2);
    slaw_artifact_free(a);
    /* An internal name takes an internal value: e = ln E. */
    fix[0] = "e=0";
    a = fit_ok(runs, &opt);
    assert_close(slaw_fit_value(slaw_artifact_fit(a, 0), 0), 1.0, 1e-15);
    slaw_artifact_free(a);
    slaw_runs_free(runs);
}

static void tie_should_make_two_parameters_one(void **state)
{
    (void)state;
    double truth[5] = {1.69, 406.4, 410.7, 0.3, 0.3};
    slaw_runs *runs = simulated("chinchilla", truth, 0.005, 4, 6);
    const char *tie[] = {"beta=alpha"};
    slaw_fit_options opt;
    slaw_fit_options_init(&opt);
    opt.law = "chinchilla";
    opt.tie = tie;
    opt.n_tie = 1;
    slaw_artifact *a = fit_ok(runs, &opt);
    const slaw_fit *f = slaw_artifact_fit(a, 0);
    assert_true(slaw_fit_value(f, 3) == slaw_fit_value(f, 4));
    assert_int_equal(slaw_fit_param_state(f, 4), SLAW_PARAM_TIED);
    assert_true(fabs(slaw_fit_value(f, 3) - 0.3) < 0.02);
    assert_close(slaw_fit_stderr(f, 3), slaw_fit_stderr(f, 4), 1e-12);
    slaw_artifact_free(a);
    slaw_runs_free(runs);
}

static void bound_should_pin_a_parameter_that_wants_out(void **state)
{
    (void)state;
    double truth[3] = {1.8, 380, 0.32};
    slaw_runs *runs = simulated("saturating", truth, 0.0, 1, 12);
    const char *bound[] = {"E=0:1.5"};
    slaw_fit_options opt;
    slaw_fit_options_init(&opt);
    opt.law = "saturating";
    opt.bound = bound;
    opt.n_bound = 1;
    slaw_artifact *a = fit_ok(runs, &opt);
    const slaw_fit *f = slaw_artifact_fit(a, 0);
    assert_int_equal(slaw_fit_param_state(f, 0), SLAW_PARAM_PINNED);
    assert_close(slaw_fit_value(f, 0), 1.5, 1e-5);
    assert_true(isnan(slaw_fit_stderr(f, 0)));
    bool warned = false;
    for (size_t w = 0; w < slaw_fit_warning_count(f); w++)
        warned |= strstr(slaw_fit_warning(f, w), "E ended on its bound") != NULL;
    assert_true(warned);
    slaw_artifact_free(a);
    /* A bound that holds the truth changes nothing. */
    bound[0] = "alpha=0.1:0.5";
    a = fit_ok(runs, &opt);
    f = slaw_artifact_fit(a, 0);
    assert_int_equal(slaw_fit_param_state(f, 2), SLAW_PARAM_FREE);
    assert_close(slaw_fit_value(f, 2), 0.32, 1e-6);
    slaw_artifact_free(a);
    slaw_runs_free(runs);
}

static void starts_on_or_past_a_bound_should_leave_it(void **state)
{
    (void)state;
    /* The default grid of alpha steps 0.05, 0.3, 0.55, ...: with alpha >= 0.31
     * and between 0.31 and 0.33, starts lie past the bound, and were once put
     * on it, where the transform's slope is zero and the solver stuck. */
    double truth[3] = {1.8, 380, 0.32};
    slaw_runs *runs = simulated("saturating", truth, 0.0, 1, 12);
    const char *bounds[][2] = {{"alpha=0.31:", NULL},
                               {"alpha=0.31:0.33", NULL},
                               {"E=1.7:1.9", NULL},
                               {"alpha=:0.33", "E=0:"}};
    for (size_t i = 0; i < sizeof bounds / sizeof bounds[0]; i++) {
        slaw_fit_options opt;
        slaw_fit_options_init(&opt);
        opt.law = "saturating";
        opt.bound = bounds[i];
        opt.n_bound = bounds[i][1] ? 2 : 1;
        slaw_artifact *a = fit_ok(runs, &opt);
        const slaw_fit *f = slaw_artifact_fit(a, 0);
        for (size_t j = 0; j < 3; j++)
            assert_int_equal(slaw_fit_param_state(f, j), SLAW_PARAM_FREE);
        assert_close(slaw_fit_value(f, 0), 1.8, 1e-6);
        assert_close(slaw_fit_value(f, 2), 0.32, 1e-6);
        slaw_artifact_free(a);
    }
    slaw_runs_free(runs);
}

static void a_parameter_the_solver_leaves_near_its_bound_should_be_held_on_it(void **state)
{
    (void)state;
    /* The transform that keeps p in [1.6, 2] slows the solver near 1.6, where
     * the optimum lies (the truth is 1.5): it must end exactly on the bound. */
    double truth[2] = {3.2e-13, 1.5};
    slaw_runs *runs = simulated("power", truth, 0.03, 13, 10);
    const char *bound[] = {"p=1.6:2"};
    slaw_fit_options opt;
    slaw_fit_options_init(&opt);
    opt.law = "power";
    opt.bound = bound;
    opt.n_bound = 1;
    slaw_artifact *a = fit_ok(runs, &opt);
    const slaw_fit *f = slaw_artifact_fit(a, 0);
    assert_int_equal(slaw_fit_param_state(f, 1), SLAW_PARAM_PINNED);
    assert_true(fabs(slaw_fit_value(f, 1) - 1.6) < 1e-12);
    assert_true(isnan(slaw_fit_stderr(f, 1)) && slaw_fit_stderr(f, 0) > 0);
    slaw_artifact_free(a);
    slaw_runs_free(runs);
}

/* --polish all: every polished start is counted once, by how it ended. */
static void polish_all_should_account_for_every_start(void **state)
{
    (void)state;
    slaw_runs *runs;
    slaw_error err;
    const char *path = source_path("tests/cli/data/lr-sweep-checkpoints.csv");
    assert_int_equal(slaw_runs_load(&path, 1, NULL, &runs, &err), SLAW_OK);
    const char *bound[] = {"alpha=0.5:0.7"}; /* the optimum (0.32) outside */
    slaw_fit_options opt;
    slaw_fit_options_init(&opt);
    opt.law = "chinchilla";
    opt.grid = "E=0.5:2.5:1,A=100:1900:900,B=100:1900:900,alpha=0.1:0.7:0.3,beta=0.1:0.7:0.3";
    opt.polish = SLAW_POLISH_ALL;
    opt.bound = bound;
    opt.n_bound = 1;
    /* few iterations, so that starts end every way: with the default, a
     * start that ends on alpha's bound is polished with alpha held there
     * and converges (solver.c), and all 243 do */
    opt.max_iter = 10;
    slaw_artifact *a = fit_ok(runs, &opt);
    slaw_fit_stats st;
    slaw_fit_get_stats(slaw_artifact_fit(a, 0), &st);
    assert_int_equal(st.starts, 243);
    assert_int_equal(st.polished, 243);
    assert_int_equal(st.converged + st.hit_limit + st.stalled + st.pinned + st.non_finite, 243);
    assert_true(st.converged < 243 && st.pinned >= 1);
    char *json = slaw_artifact_to_json(a);
    slaw_artifact *back = NULL;
    assert_int_equal(slaw_artifact_parse("a.json", json, strlen(json), &back, &err), SLAW_OK);
    slaw_fit_stats again;
    slaw_fit_get_stats(slaw_artifact_fit(back, 0), &again);
    assert_int_equal(again.pinned, st.pinned);
    assert_int_equal(again.stalled, st.stalled);
    assert_int_equal(again.non_finite, st.non_finite);
    free(json);
    slaw_artifact_free(back);
    slaw_artifact_free(a);
    slaw_runs_free(runs);
}

static void constraint_mistakes_should_be_usage_errors(void **state)
{
    (void)state;
    double truth[3] = {1.8, 380, 0.32};
    slaw_runs *runs = simulated("saturating", truth, 0.0, 1, 12);
    slaw_fit_options opt;
    slaw_fit_options_init(&opt);
    opt.law = "saturating";
    const char *bad_fix[] = {"gamma=1"};
    opt.fix = bad_fix;
    opt.n_fix = 1;
    fit_fails(runs, &opt, SLAW_EUSAGE, "no parameter 'gamma'");
    const char *neg_fix[] = {"E=-1"};
    opt.fix = neg_fix;
    fit_fails(runs, &opt, SLAW_EUSAGE, "must be positive");
    opt.n_fix = 0;
    const char *bad_bound[] = {"alpha=2:1"};
    opt.bound = bad_bound;
    opt.n_bound = 1;
    fit_fails(runs, &opt, SLAW_EUSAGE, "lower bound must be below");
    opt.n_bound = 0;
    const char *bad_tie[] = {"E=alpha"};
    opt.tie = bad_tie;
    opt.n_tie = 1;
    fit_fails(runs, &opt, SLAW_EUSAGE, "different scales");
    opt.n_tie = 0;
    const char *all[] = {"E=1", "A=1", "alpha=1"};
    opt.fix = all;
    opt.n_fix = 3;
    fit_fails(runs, &opt, SLAW_EUSAGE, "nothing to fit");
    opt.n_fix = 0;
    opt.law = "saturation";
    fit_fails(runs, &opt, SLAW_EUSAGE, "unknown law 'saturation'");
    slaw_runs_free(runs);
}

static void grid_specs_should_be_checked(void **state)
{
    (void)state;
    double truth[3] = {1.8, 380, 0.32};
    slaw_runs *runs = simulated("saturating", truth, 0.0, 1, 12);
    slaw_fit_options opt;
    slaw_fit_options_init(&opt);
    opt.law = "saturating";
    opt.grid = "alpha=0:2";
    fit_fails(runs, &opt, SLAW_EUSAGE, "LO:HI:STEP");
    opt.grid = "alpha=1:0:0.5";
    fit_fails(runs, &opt, SLAW_EUSAGE, "LO <= HI");
    opt.grid = "gamma=1";
    fit_fails(runs, &opt, SLAW_EUSAGE, "no parameter 'gamma'");
    opt.grid = "epoch";
    fit_fails(runs, &opt, SLAW_EUSAGE, "chinchilla");
    opt.grid = "alpha=0:1000:0.0001";
    fit_fails(runs, &opt, SLAW_ELIMIT, "more than");
    opt.grid = "E=0:2:1";
    fit_fails(runs, &opt, SLAW_EUSAGE, "positive");
    /* Natural values for a log-scaled parameter are allowed. */
    opt.grid = "E=1:2:0.5,a=5:7:1,alpha=0.3";
    slaw_artifact *a = fit_ok(runs, &opt);
    slaw_fit_stats st;
    slaw_fit_get_stats(slaw_artifact_fit(a, 0), &st);
    assert_int_equal(st.starts, 9);
    slaw_artifact_free(a);
    slaw_runs_free(runs);
}

static void degenerate_data_should_fail_with_the_reason(void **state)
{
    (void)state;
    slaw_runs *runs;
    slaw_error err;
    slaw_fit_options opt;
    slaw_fit_options_init(&opt);
    opt.law = "saturating";
    assert_int_equal(load_text("few.csv", "N,loss\n1e8,3\n1e9,2.5\n1e10,2.2\n", NULL, &runs, &err),
                     SLAW_OK);
    fit_fails(runs, &opt, SLAW_EFIT, "too few runs: 3 runs for 3 free parameters");
    slaw_runs_free(runs);
    assert_int_equal(load_text("same.csv", "N,loss\n1e8,3\n1e8,2.5\n1e8,2.2\n1e8,2\n1e8,2.1\n",
                               NULL, &runs, &err),
                     SLAW_OK);
    fit_fails(runs, &opt, SLAW_EFIT, "N has the same value");
    slaw_runs_free(runs);
    assert_int_equal(
        load_text("flat.csv", "N,loss\n1e7,3\n1e8,3\n1e9,3\n1e10,3\n1e11,3\n", NULL, &runs, &err),
        SLAW_OK);
    fit_fails(runs, &opt, SLAW_EFIT, "the target is 3 in every run");
    slaw_runs_free(runs);
    assert_int_equal(load_text("neg.csv", "N,loss\n1e7,3\n1e8,-1\n1e9,2\n1e10,1.9\n1e11,1.8\n",
                               NULL, &runs, &err),
                     SLAW_OK);
    fit_fails(runs, &opt, SLAW_EINPUT, "neg.csv:3: target column 'loss' must be positive");
    opt.law = "chinchilla";
    fit_fails(runs, &opt, SLAW_EUSAGE, "needs N and D");
    slaw_runs_free(runs);
}

static void fits_should_not_depend_on_the_number_of_threads(void **state)
{
    (void)state;
    double truth[5] = {1.69, 406.4, 410.7, 0.34, 0.28};
    slaw_runs *runs = simulated("chinchilla", truth, 0.02, 9, 6);
    slaw_fit_options opt;
    slaw_fit_options_init(&opt);
    opt.law = "chinchilla";
    opt.loss = SLAW_LOSS_HUBER;
    opt.threads = 1;
    slaw_artifact *one = fit_ok(runs, &opt);
    opt.threads = 2;
    slaw_artifact *two = fit_ok(runs, &opt);
    char *a = slaw_artifact_to_json(one), *b = slaw_artifact_to_json(two);
    assert_string_equal(a, b);
    free(a);
    free(b);
    slaw_artifact_free(one);
    slaw_artifact_free(two);
    slaw_runs_free(runs);
}

static void groups_should_be_fitted_separately(void **state)
{
    (void)state;
    const char *csv =
        "dataset,N,loss\n"
        "web,1e7,4.04\nweb,1e8,3.29\nweb,1e9,2.74\nweb,1e10,2.35\nweb,1e11,2.07\n"
        "code,1e7,2.86\ncode,1e8,2.24\ncode,1e9,1.81\ncode,1e10,1.51\ncode,1e11,1.30\n";
    slaw_load_options lo;
    slaw_load_options_init(&lo);
    lo.role_column[SLAW_ROLE_GROUP] = "dataset";
    slaw_runs *runs;
    slaw_error err;
    assert_int_equal(load_text("groups.csv", csv, &lo, &runs, &err), SLAW_OK);
    slaw_fit_options opt;
    slaw_fit_options_init(&opt);
    opt.law = "power";
    slaw_artifact *a = fit_ok(runs, &opt);
    assert_int_equal(slaw_artifact_fit_count(a), 2);
    assert_string_equal(slaw_fit_group(slaw_artifact_fit(a, 0)), "web");
    assert_string_equal(slaw_fit_group(slaw_artifact_fit(a, 1)), "code");
    double p_web = slaw_fit_value(slaw_artifact_fit(a, 0), 1);
    double p_code = slaw_fit_value(slaw_artifact_fit(a, 1), 1);
    assert_true(p_web < -0.07 && p_web > -0.1);
    assert_true(p_code < -0.08 && p_code > -0.1);
    slaw_artifact_free(a);
    slaw_runs_free(runs);
}

static void filters_should_be_applied_and_recorded(void **state)
{
    (void)state;
    double truth[3] = {1.8, 380, 0.32};
    slaw_runs *runs = simulated("saturating", truth, 0.01, 5, 12);
    const char *where[] = {"N >= 1e8"};
    slaw_fit_options opt;
    slaw_fit_options_init(&opt);
    opt.law = "saturating";
    slaw_selection *sel = slaw_selection_new();
    slaw_step drop = {.kind = SLAW_STEP_DROP_TOP, .count = 1};
    assert_int_equal(slaw_selection_add_where(sel, where[0], NULL), SLAW_OK);
    assert_int_equal(slaw_selection_add(sel, &drop, NULL), SLAW_OK);
    opt.selection = sel;
    slaw_artifact *a = fit_ok(runs, &opt);
    slaw_selection_free(sel); /* the artifact keeps a copy */
    const slaw_selection *kept = slaw_artifact_selection(a);
    assert_int_equal(slaw_artifact_runs_read(a), 12);
    assert_int_equal(slaw_selection_count(kept), 2);
    assert_string_equal(slaw_selection_step(kept, 0)->text, "N >= 1e8");
    assert_int_equal(slaw_selection_step(kept, 0)->where.op, SLAW_OP_GE);
    assert_int_equal(slaw_selection_step(kept, 1)->count, 1);
    assert_int_equal(slaw_artifact_removed(a, 0), 4);
    assert_int_equal(slaw_artifact_removed(a, 1), 1);
    slaw_fit_stats st;
    slaw_fit_get_stats(slaw_artifact_fit(a, 0), &st);
    assert_int_equal(st.n, 7);
    assert_int_equal(slaw_runs_count(runs), 12); /* the caller's table is untouched */
    slaw_artifact_free(a);
    slaw_runs_free(runs);
}

static void weights_should_scale_the_runs(void **state)
{
    (void)state;
    /* A wild run weighted zero does not move the fit. */
    const char *csv = "N,loss,w\n1e7,4.04,1\n1e8,3.29,1\n1e9,2.74,1\n1e10,2.35,1\n1e11,9.0,0\n"
                      "3e7,3.63,1\n3e8,2.99,1\n";
    slaw_load_options lo;
    slaw_load_options_init(&lo);
    lo.role_column[SLAW_ROLE_WEIGHT] = "w";
    slaw_runs *runs;
    slaw_error err;
    assert_int_equal(load_text("w.csv", csv, &lo, &runs, &err), SLAW_OK);
    slaw_fit_options opt;
    slaw_fit_options_init(&opt);
    opt.law = "power";
    slaw_artifact *a = fit_ok(runs, &opt);
    double p = slaw_fit_value(slaw_artifact_fit(a, 0), 1);
    assert_true(p < -0.07 && p > -0.09);
    slaw_artifact_free(a);
    slaw_runs_free(runs);
}

static void every_loss_and_space_should_fit(void **state)
{
    (void)state;
    double truth[3] = {1.8, 380, 0.32};
    slaw_runs *runs = simulated("saturating", truth, 0.0, 1, 12);
    static const slaw_loss losses[] = {SLAW_LOSS_L2, SLAW_LOSS_HUBER, SLAW_LOSS_ASYM};
    for (int space = 0; space < 2; space++)
        for (int l = 0; l < 3; l++) {
            slaw_fit_options opt;
            slaw_fit_options_init(&opt);
            opt.law = "saturating";
            opt.space = space ? SLAW_SPACE_LINEAR : SLAW_SPACE_LOG;
            opt.loss = losses[l];
            slaw_artifact *a = fit_ok(runs, &opt);
            const slaw_fit *f = slaw_artifact_fit(a, 0);
            assert_close(slaw_fit_value(f, 2), 0.32, 1e-5);
            slaw_artifact_free(a);
        }
    slaw_fit_options opt;
    slaw_fit_options_init(&opt);
    opt.law = "saturating";
    opt.loss_param = 0.5; /* l2 takes no parameter */
    fit_fails(runs, &opt, SLAW_EUSAGE, "no parameter");
    slaw_runs_free(runs);
}

static void loss_table_should_hold_every_loss_once(void **state)
{
    (void)state;
    assert_int_equal(slaw_loss_count(), 3);
    for (size_t i = 0; i < slaw_loss_count(); i++) {
        const slaw_loss_info *l = slaw_loss_info_of((slaw_loss)i);
        assert_non_null(l);
        assert_int_equal(l->loss, (slaw_loss)i);
        assert_ptr_equal(slaw_loss_find(l->name, strlen(l->name)), l);
        assert_non_null(l->shape);
        assert_true(l->param ? l->param_default > 0 : isnan(l->param_default));
    }
    assert_null(slaw_loss_info_of((slaw_loss)3));
    assert_null(slaw_loss_find("hub", 3));
    assert_null(slaw_loss_find("huber2", 6));
    assert_ptr_equal(slaw_loss_find("huber:0.01", 5), slaw_loss_info_of(SLAW_LOSS_HUBER));
    assert_true(slaw_loss_info_of(SLAW_LOSS_HUBER)->param_default == 1e-3);
    assert_true(slaw_loss_info_of(SLAW_LOSS_ASYM)->param_default == 10.0);
    assert_null(slaw_loss_info_of(SLAW_LOSS_L2)->param);
}

static void merge_should_overlay_the_named_fields_only(void **state)
{
    (void)state;
    slaw_fit_options base, now;
    slaw_fit_options_init(&base);
    slaw_fit_options_init(&now);
    base.law = "chinchilla";
    base.bootstrap = 100;
    base.bootstrap_by = "seed";
    base.seed = 7;
    base.level = 0.9;
    now.law = "power";
    now.seed = 42;
    now.threads = 3;
    now.level = 0.8;
    slaw_fit_options o = base;
    slaw_fit_options_merge(&o, &now, SLAW_FIT_SEED | SLAW_FIT_THREADS);
    assert_string_equal(o.law, "chinchilla"); /* what is fitted never changes */
    assert_true(o.seed == 42 && o.threads == 3 && o.level == 0.9);
    assert_true(o.bootstrap == 100 && !strcmp(o.bootstrap_by, "seed"));
    o = base;
    slaw_fit_options_merge(&o, &now, SLAW_FIT_BOOTSTRAP); /* bootstrap 0: its column goes too */
    assert_true(o.bootstrap == 0 && o.bootstrap_by == NULL);
    o = base;
    slaw_fit_options_merge(&o, &now, SLAW_FIT_LEVEL);
    assert_true(o.level == 0.8 && o.seed == 7 && o.threads == 0);
}

static void a_level_outside_0_1_should_be_refused_in_the_librarys_words(void **state)
{
    (void)state;
    slaw_runs *runs = load_ok("r.csv", "N,loss\n1e7,4\n1e8,3\n1e9,2.5\n1e10,2.2\n", NULL);
    slaw_fit_options opt;
    slaw_artifact *a = NULL;
    slaw_error err;
    slaw_fit_options_init(&opt);
    opt.law = "power";
    opt.level = 1.5;
    assert_int_equal(slaw_fit_runs(runs, &opt, &a, &err), SLAW_EUSAGE);
    assert_string_equal(err.message, "level 1.5: expected a number between 0 and 1, e.g. 0.95");
    assert_string_equal(err.option, "level");
    assert_null(a);
    slaw_forecast_options fo;
    slaw_forecast_options_init(&fo, NULL);
    assert_true(fo.level == SLAW_DEFAULT_LEVEL);
    slaw_runs_free(runs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fits_should_recover_noise_free_laws),
        cmocka_unit_test(fits_should_recover_noisy_laws_within_three_standard_errors),
        cmocka_unit_test(fix_should_hold_a_parameter),
        cmocka_unit_test(tie_should_make_two_parameters_one),
        cmocka_unit_test(bound_should_pin_a_parameter_that_wants_out),
        cmocka_unit_test(starts_on_or_past_a_bound_should_leave_it),
        cmocka_unit_test(a_parameter_the_solver_leaves_near_its_bound_should_be_held_on_it),
        cmocka_unit_test(constraint_mistakes_should_be_usage_errors),
        cmocka_unit_test(grid_specs_should_be_checked),
        cmocka_unit_test(degenerate_data_should_fail_with_the_reason),
        cmocka_unit_test(fits_should_not_depend_on_the_number_of_threads),
        cmocka_unit_test(groups_should_be_fitted_separately),
        cmocka_unit_test(filters_should_be_applied_and_recorded),
        cmocka_unit_test(weights_should_scale_the_runs),
        cmocka_unit_test(every_loss_and_space_should_fit),
        cmocka_unit_test(merge_should_overlay_the_named_fields_only),
        cmocka_unit_test(a_level_outside_0_1_should_be_refused_in_the_librarys_words),
        cmocka_unit_test(loss_table_should_hold_every_loss_once),
        cmocka_unit_test(polish_all_should_account_for_every_start),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
