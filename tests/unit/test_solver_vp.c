/* test_solver_vp.c — variable projection: the linear parameters a law
 * declares are linear, and the default search with them solved reaches the
 * objective of the grid over every parameter (the search before it) or a
 * lower one, on every such law, loss, space, the bundled data and simulated
 * sweeps, with fixes, ties and bounds. */
#include "helpers.h"
#include "fit_data.h"
#include "fit_options.h"
#include "solver_search.h"
#include "solver_vp.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The law's ŷ at theta (natural values of the linear parameters set to c). */
static double predict(const slaw_law *law, const double *theta, const double *lnx)
{
    const double *in[LAW_MAX_VARS];
    double lny;
    for (size_t v = 0; v < law->n_vars; v++) in[v] = &lnx[v];
    law_eval(law, theta, in, 1, &lny, NULL);
    return exp(lny);
}

/* ŷ = r0 + Σ c_j φ_j: moving one linear parameter moves ŷ in proportion,
 * whatever the others are. */
static void declared_linear_parameters_should_enter_linearly(void **state)
{
    (void)state;
    size_t checked = 0;
    for (size_t l = 0; l < slaw_law_count(); l++) {
        const slaw_law *law = slaw_law_at(l);
        for (size_t j = 0; j < law->n_params; j++) {
            if (!(law->linear & 1u << j)) continue;
            double theta[LAW_MAX_PARAMS], lnx[LAW_MAX_VARS];
            for (size_t k = 0; k < law->n_params; k++)
                theta[k] = law->params[k].scale == SCALE_LOG ? 0.3 * (double)k - 0.5
                                                             : 0.2 + 0.1 * (double)k;
            for (size_t v = 0; v < law->n_vars; v++) lnx[v] = 1.0 + 0.5 * (double)v;
            double y[3];
            for (int s = 0; s < 3; s++) {
                theta[j] = law_to_internal(law, j, 0.5 + s);
                y[s] = predict(law, theta, lnx);
            }
            /* equal steps in c_j: equal steps in ŷ */
            assert_true(fabs((y[1] - y[0]) - (y[2] - y[1])) <= 1e-12 * y[2]);
            assert_true(fabs(y[1] - y[0]) > 1e-3 * y[1]);
            checked++;
        }
    }
    assert_true(checked >= 9); /* saturating 2, chinchilla 3, power 1, gadre 3 */
}

/* The law's ŷ and ∂ŷ/∂θ at theta for one input point (values). */
static double values_at(const slaw_law *law, const double *theta, const double *lnx, double *J)
{
    const double *in[LAW_MAX_VARS];
    double yhat;
    for (size_t v = 0; v < law->n_vars; v++) in[v] = &lnx[v];
    law->values(theta, in, 1, &yhat, J);
    return yhat;
}

/* A law declared separable has ŷ = Σ c_j φ_j over its linear parameters
 * and nothing else (φ_j = ∂ŷ/∂θ_j at c_j = 1, θ_j = ln c_j), and φ_j
 * changes with the parameters basis_depends[j] names and with no other. */
static void separable_laws_should_be_sums_of_their_declared_terms(void **state)
{
    (void)state;
    size_t checked = 0;
    for (size_t l = 0; l < slaw_law_count(); l++) {
        const slaw_law *law = slaw_law_at(l);
        if (!law->separable) continue;
        assert_non_null(law->values);
        size_t p = law->n_params;
        double theta[LAW_MAX_PARAMS], lnx[LAW_MAX_VARS], J[LAW_MAX_PARAMS], J2[LAW_MAX_PARAMS];
        for (size_t k = 0; k < p; k++)
            theta[k] = law->linear >> k & 1u ? 0.0 : 0.2 + 0.07 * (double)k; /* c = 1 */
        for (size_t v = 0; v < law->n_vars; v++) lnx[v] = 17.0 + 2.0 * (double)v;
        double yhat = values_at(law, theta, lnx, J), sum = 0;
        for (size_t j = 0; j < p; j++)
            if (law->linear >> j & 1u) sum += J[j];
        assert_true(fabs(yhat - sum) <= 1e-14 * yhat);
        for (size_t k = 0; k < p; k++) {
            double moved[LAW_MAX_PARAMS];
            memcpy(moved, theta, sizeof moved);
            moved[k] += 0.05;
            values_at(law, moved, lnx, J2);
            for (size_t j = 0; j < p; j++) {
                if (!(law->linear >> j & 1u) || j == k) continue;
                bool depends = law->basis_depends[j] >> k & 1u;
                if (depends != (J2[j] != J[j]))
                    fail_msg("%s: phi of %s %s with %s", law->name, law->params[j].name,
                             depends ? "does not change" : "changes", law->params[k].name);
                checked++;
            }
        }
    }
    assert_true(checked >= 8); /* chinchilla: E, A, B each against the other four but one */
}

/* Runs simulated from law at truth (natural values) with log-normal noise:
 * 40 sizes from 1e7 to 1e10 for a law of one variable, else 8 N × 8 D
 * (1e7 to 1e10, 1e9 to 1e11) written as N and D. */
static slaw_runs *simulated_runs(const char *name, const double *truth, double noise,
                                 unsigned long seed)
{
    const slaw_law *law = slaw_law_find(name);
    size_t nv = law->n_vars, n = nv == 1 ? 40 : 64;
    double *x = malloc(n * nv * sizeof *x), *y = malloc(n * sizeof *y),
           *nd = malloc(2 * n * sizeof *nd);
    char *csv = malloc(n * 80 + 32);
    slaw_error err;
    for (size_t i = 0; i < n; i++) {
        double a = nv == 1 ? (double)i / 39.0 : (double)(i / 8) / 7.0, b = (double)(i % 8) / 7.0;
        nd[2 * i] = 1e7 * pow(1e3, a);
        nd[2 * i + 1] = 1e9 * pow(1e2, b);
        if (nv == 1) x[i] = nd[2 * i];
        else if (law->vars[0] == SLAW_ROLE_C) { /* gadre: C and M = D/N */
            x[2 * i] = slaw_compute_flops(nd[2 * i], nd[2 * i + 1], 0);
            x[2 * i + 1] = nd[2 * i + 1] / nd[2 * i];
        } else {
            x[2 * i] = nd[2 * i];
            x[2 * i + 1] = nd[2 * i + 1];
        }
    }
    assert_int_equal(slaw_simulate(law, truth, x, n, noise, seed, y, &err), SLAW_OK);
    size_t o = (size_t)sprintf(csv, nv == 1 ? "N,loss\n" : "N,D,loss\n");
    for (size_t i = 0; i < n; i++) {
        if (nv == 1) o += (size_t)sprintf(csv + o, "%.17g,%.17g\n", nd[2 * i], y[i]);
        else o += (size_t)sprintf(csv + o, "%.17g,%.17g,%.17g\n", nd[2 * i], nd[2 * i + 1], y[i]);
    }
    slaw_runs *runs = load_ok("sim.csv", csv, NULL);
    free(x);
    free(y);
    free(nd);
    free(csv);
    return runs;
}

/* One search of the problem from grid g, settled as slaw_fit_runs settles
 * it; returns the objective (NaN when no start converged). */
static double search(problem pb, const start_grid *g, size_t *polished)
{
    slaw_fit_options opt;
    slaw_fit_options_init(&opt);
    start_result *res = NULL, best;
    size_t n_res = 0;
    slaw_fit_stats st = {0};
    slaw_error err;
    double cost = NAN;
    if (fit_search(&pb, g, &opt, 1, NULL, &res, &n_res, &err) != SLAW_OK) return NAN;
    solver *s = solver_new(&pb);
    assert_non_null(s);
    if (fit_pick_best(s, res, n_res, NULL, &best, &st, &err) == SLAW_OK &&
        fit_settle_bounds(&pb, &s, &best, &err) == SLAW_OK)
        cost = best.cost;
    *polished = n_res;
    solver_free(s);
    free(res);
    return cost;
}

/* The screen's value at theta computed from the law: for l2 the sum the
 * projection's solve minimises, Σ w (ŷ - y)² (over y² in log space, the
 * squared relative errors); else the objective the solver computes. */
static double screen_value(const problem *pb, solver *s, const double *theta)
{
    const dataset *d = pb->data;
    if (pb->obj.loss != SLAW_LOSS_L2) return solver_cost_below(s, theta, INFINITY);
    if (!problem_reportable(pb, theta)) return NAN;
    double *lny = malloc(d->n * sizeof *lny), sum = 0;
    assert_non_null(lny);
    problem_eval(pb, theta, 0, d->n, lny, NULL);
    for (size_t i = 0; i < d->n; i++) {
        double yhat = pb->obj.direct ? lny[i] : exp(lny[i]), r = yhat - d->y[i];
        double w =
            (d->w ? d->w[i] : 1.0) / (pb->obj.space == SLAW_SPACE_LOG ? d->y[i] * d->y[i] : 1.0);
        if (pb->obj.space == SLAW_SPACE_LOG && !(yhat > 0)) sum = NAN;
        sum += w * r * r;
    }
    free(lny);
    return isfinite(sum) ? sum : NAN;
}

/* The value the projection computed at each start (from its linear terms,
 * without evaluating the law) is the one the law gives there; in linear
 * space, and for losses other than l2, it is the objective itself. */
static void expect_objective_at_starts(const problem *pb, const start_grid *g, const char *what)
{
    solver *s = solver_new(pb);
    assert_non_null(s);
    assert_non_null(g->cost);
    bool is_objective = pb->obj.loss != SLAW_LOSS_L2 || pb->obj.space == SLAW_SPACE_LINEAR;
    for (size_t i = 0; i < g->n; i++) {
        const double *theta = g->theta + i * g->p;
        double expected = screen_value(pb, s, theta);
        bool same = isnan(expected) ? isnan(g->cost[i]) : close_enough(g->cost[i], expected, 1e-9);
        if (is_objective) {
            double screened = solver_cost_below(s, theta, INFINITY);
            same &= isnan(screened) ? isnan(g->cost[i]) : close_enough(g->cost[i], screened, 1e-9);
        }
        if (!same)
            print_message("  %s, law %s, start %zu: projected value %.15g, from the law %.15g\n",
                          what, pb->law->name, i, g->cost[i], expected);
        assert_true(same);
    }
    solver_free(s);
}

typedef struct comparison {
    size_t cases, worse, projected_starts, old_starts, projected_polished, old_polished;
} comparison;

/* Fits runs with opt both ways: the default grid over every parameter (the
 * search before projection) and the projected one; counts a case where the
 * projected search ends higher by more than 1e-9 relative. */
static void compare(const slaw_runs *in, const slaw_fit_options *opt, const char *what,
                    comparison *cmp)
{
    const slaw_law *law = NULL;
    objective obj;
    param_map map;
    size_t cols[LAW_MAX_VARS];
    slaw_error err;
    slaw_runs *runs = runs_clone(in);
    dataset d = {0};
    data_summary sum;
    assert_non_null(runs);
    assert_int_equal(fit_check_options(opt, &law, &obj, &err), SLAW_OK);
    assert_int_equal(param_map_build(law, opt, &map, &err), SLAW_OK);
    assert_int_equal(fit_resolve_variables(runs, law, opt->x, cols, &err), SLAW_OK);
    size_t n = slaw_runs_count(runs), *rows = malloc(n * sizeof *rows);
    for (size_t i = 0; i < n; i++) rows[i] = i;
    assert_int_equal(dataset_build(runs, rows, n, law, cols, obj.space, &d, &err), SLAW_OK);
    dataset_summary(&d, &sum);
    problem pb = {law, &d, obj, map, DEFAULT_MAX_ITER, NULL, SLAW_SOLVER_LM};
    assert_true(vp_applies(&pb));
    start_grid old = {0}, vp = {0};
    assert_int_equal(starts_build(law, NULL, &sum, &map, &old, &err), SLAW_OK);
    assert_int_equal(vp_starts_build(&pb, NULL, &sum, &vp, &err), SLAW_OK);
    assert_true(vp.projected && !old.projected);
    expect_objective_at_starts(&pb, &vp, what);
    size_t k_old = 0, k_vp = 0;
    double c_old = search(pb, &old, &k_old), c_vp = search(pb, &vp, &k_vp);
    cmp->cases++;
    cmp->old_starts += old.n;
    cmp->projected_starts += vp.n;
    cmp->old_polished += k_old;
    cmp->projected_polished += k_vp;
    if (!(c_vp <= c_old * (1 + 1e-9)) && !(isnan(c_old) && isnan(c_vp))) {
        cmp->worse++;
        print_message("  worse: %s, law %s: projected %.15g (%zu starts, %zu polished), "
                      "old grid %.15g (%zu, %zu)\n",
                      what, law->name, c_vp, vp.n, k_vp, c_old, old.n, k_old);
    }
    starts_free(&old);
    starts_free(&vp);
    dataset_free(&d);
    free(rows);
    slaw_runs_free(runs);
}

static const char *const losses[] = {"l2", "huber", "asym"};

/* Every loss in both spaces (log space alone for huber: its delta is a log
 * residual's), with and without weights. */
static void compare_losses(const slaw_runs *runs, const char *law, const char *x, const char *what,
                           comparison *cmp)
{
    for (size_t l = 0; l < 3; l++)
        for (int space = 0; space < 2; space++) {
            slaw_fit_options opt;
            slaw_fit_options_init(&opt);
            opt.law = law;
            opt.x = x;
            opt.loss = l == 0 ? SLAW_LOSS_L2 : l == 1 ? SLAW_LOSS_HUBER : SLAW_LOSS_ASYM;
            opt.space = space ? SLAW_SPACE_LINEAR : SLAW_SPACE_LOG;
            if (space && opt.loss == SLAW_LOSS_HUBER) continue;
            char label[200];
            snprintf(label, sizeof label, "%s, %s, %s space", what, losses[l],
                     space ? "linear" : "log");
            compare(runs, &opt, label, cmp);
        }
}

static slaw_runs *load_file(const char *relative)
{
    const char *path = source_path(relative);
    slaw_runs *runs = NULL;
    slaw_error err;
    assert_int_equal(slaw_runs_load(&path, 1, NULL, &runs, &err), SLAW_OK);
    return runs;
}

static void report(const comparison *c)
{
    print_message("  %zu cases: projected %zu starts, %zu polished; old grid %zu starts, %zu "
                  "polished; worse in %zu\n",
                  c->cases, c->projected_starts, c->projected_polished, c->old_starts,
                  c->old_polished, c->worse);
}

static void projected_search_should_match_the_old_grid_on_bundled_data(void **state)
{
    (void)state;
    comparison cmp = {0};
    static const char *const one_var[] = {"data/synthetic/saturating.csv",
                                          "data/synthetic/bnsl.csv",
                                          "data/chinchilla/svg_extracted_data.csv"};
    static const char *const two_var[] = {"data/synthetic/chinchilla_grid.csv",
                                          "data/synthetic/kaplan_grid.csv",
                                          "data/chinchilla/svg_extracted_data.csv"};
    for (size_t f = 0; f < 3; f++) {
        slaw_runs *runs = load_file(one_var[f]);
        compare_losses(runs, "saturating", NULL, one_var[f], &cmp);
        compare_losses(runs, "power", NULL, one_var[f], &cmp);
        slaw_runs_free(runs);
        runs = load_file(two_var[f]);
        compare_losses(runs, "chinchilla", NULL, two_var[f], &cmp);
        compare_losses(runs, "gadre", NULL, two_var[f], &cmp);
        slaw_runs_free(runs);
    }
    report(&cmp);
    assert_int_equal(cmp.worse, 0);
}

/* Sweeps simulated from each law at a few truths (a floor that matters or
 * hardly does, steep and shallow exponents), noise 1% to 5%. */
static void projected_search_should_match_the_old_grid_on_simulated_sweeps(void **state)
{
    (void)state;
    static const struct {
        const char *law;
        double truth[5];
    } cases[] = {
        {"saturating", {1.8, 380, 0.32}},
        {"saturating", {0.05, 50, 0.2}},
        {"saturating", {3.0, 5e4, 0.7}},
        {"power", {400, -0.3}},
        {"chinchilla", {1.69, 406.4, 410.7, 0.34, 0.28}},
        {"chinchilla", {0.3, 60, 2e3, 0.15, 0.5}},
        {"gadre", {1.7, 100, 300, 0.15}},
    };
    comparison cmp = {0};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++)
        for (unsigned long seed = 1; seed <= 2; seed++) {
            slaw_fit_options opt;
            slaw_fit_options_init(&opt);
            opt.law = cases[c].law;
            double noise = seed == 1 ? 0.01 : 0.05;
            slaw_runs *runs = simulated_runs(cases[c].law, cases[c].truth, noise, seed);
            char what[120];
            snprintf(what, sizeof what, "simulated %s #%zu, noise %g", cases[c].law, c, noise);
            compare_losses(runs, cases[c].law, NULL, what, &cmp);
            slaw_runs_free(runs);
        }
    report(&cmp);
    assert_int_equal(cmp.worse, 0);
}

/* Fixed, tied and bounded parameters: the projected starts keep them, and
 * the search ends as low as the old grid's. */
static void projected_search_should_keep_fixes_ties_and_bounds(void **state)
{
    (void)state;
    static const double truth[] = {1.69, 406.4, 410.7, 0.34, 0.28};
    slaw_runs *runs = simulated_runs("chinchilla", truth, 0.02, 3);
    static const char *const fix[] = {"E=1.6"}, *const tie[] = {"B=A"},
                             *const tie_exp[] = {"beta=alpha"}, *const bound[] = {"E=1.75:3"},
                             *const bound_a[] = {"A=:300"};
    comparison cmp = {0};
    for (int k = 0; k < 5; k++) {
        slaw_fit_options opt;
        slaw_fit_options_init(&opt);
        opt.law = "chinchilla";
        if (k == 0) opt.fix = fix, opt.n_fix = 1;
        if (k == 1) opt.tie = tie, opt.n_tie = 1;
        if (k == 2) opt.tie = tie_exp, opt.n_tie = 1;
        if (k == 3) opt.bound = bound, opt.n_bound = 1;
        if (k == 4) opt.bound = bound_a, opt.n_bound = 1;
        compare(runs, &opt, "chinchilla with a constraint", &cmp);
        /* the starts themselves keep the constraint */
        const slaw_law *law = NULL;
        objective obj;
        param_map map;
        size_t cols[LAW_MAX_VARS];
        slaw_error err;
        assert_int_equal(fit_check_options(&opt, &law, &obj, &err), SLAW_OK);
        assert_int_equal(param_map_build(law, &opt, &map, &err), SLAW_OK);
        slaw_runs *work = runs_clone(runs);
        assert_int_equal(fit_resolve_variables(work, law, NULL, cols, &err), SLAW_OK);
        size_t n = slaw_runs_count(work), *rows = malloc(n * sizeof *rows);
        for (size_t i = 0; i < n; i++) rows[i] = i;
        dataset d = {0};
        data_summary sum;
        assert_int_equal(dataset_build(work, rows, n, law, cols, obj.space, &d, &err), SLAW_OK);
        dataset_summary(&d, &sum);
        problem pb = {law, &d, obj, map, DEFAULT_MAX_ITER, NULL, SLAW_SOLVER_LM};
        start_grid g = {0};
        assert_int_equal(vp_starts_build(&pb, NULL, &sum, &g, &err), SLAW_OK);
        for (size_t i = 0; i < g.n; i++) {
            const double *t = g.theta + i * g.p;
            double E = exp(t[0]), A = exp(t[1]), B = exp(t[2]);
            if (k == 0) assert_true(close_enough(E, 1.6, 1e-12));
            if (k == 1) assert_true(t[1] == t[2]);
            if (k == 2) assert_true(t[3] == t[4]);
            if (k == 3) assert_true(E > 1.75 && E < 3);
            if (k == 4) assert_true(A < 300);
            assert_true(isfinite(B));
        }
        starts_free(&g);
        dataset_free(&d);
        free(rows);
        slaw_runs_free(work);
    }
    report(&cmp);
    assert_int_equal(cmp.worse, 0);
    slaw_runs_free(runs);
}

/* The projected grid of runs under opt, with law or law made plain (not
 * separable): the thetas and values of each start into g. */
static void projected_grid(const slaw_runs *runs, const slaw_fit_options *opt, bool plain,
                           start_grid *g)
{
    const slaw_law *found = NULL;
    objective obj;
    param_map map;
    size_t cols[LAW_MAX_VARS];
    slaw_error err;
    assert_int_equal(fit_check_options(opt, &found, &obj, &err), SLAW_OK);
    slaw_law law = *found;
    law.separable = law.separable && !plain;
    assert_int_equal(param_map_build(&law, opt, &map, &err), SLAW_OK);
    assert_int_equal(fit_resolve_variables((slaw_runs *)runs, &law, NULL, cols, &err), SLAW_OK);
    size_t n = slaw_runs_count(runs), *rows = malloc(n * sizeof *rows);
    for (size_t i = 0; i < n; i++) rows[i] = i;
    dataset d = {0};
    data_summary sum;
    assert_int_equal(dataset_build(runs, rows, n, &law, cols, obj.space, &d, &err), SLAW_OK);
    dataset_summary(&d, &sum);
    problem pb = {&law, &d, obj, map, DEFAULT_MAX_ITER, NULL, SLAW_SOLVER_LM};
    assert_int_equal(vp_starts_build(&pb, NULL, &sum, g, &err), SLAW_OK);
    assert_true(g->projected);
    dataset_free(&d);
    free(rows);
}

/* Chinchilla's screen reuses each term's column and, with l2, the sums of
 * the solve (separable): every start and value is the one the projection
 * computes without them (to 1e-9: the sums are added in another order), in log and linear space,
 * with huber, a tie and a bound among the linear parameters, and E fixed (which leaves it off). */
static void separable_screen_should_match_the_plain_projection(void **state)
{
    (void)state;
    static const double truth[] = {1.69, 406.4, 410.7, 0.34, 0.28};
    static const char *const tie[] = {"B=A"}, *const bound[] = {"B=100:300"},
                             *const fix[] = {"E=1.69"};
    slaw_runs *runs = simulated_runs("chinchilla", truth, 0.02, 3);
    for (int variant = 0; variant < 6; variant++) {
        slaw_fit_options opt;
        slaw_fit_options_init(&opt);
        opt.law = "chinchilla";
        opt.space = variant == 1 ? SLAW_SPACE_LINEAR : SLAW_SPACE_LOG;
        if (variant == 2) opt.loss = SLAW_LOSS_HUBER;
        if (variant == 3) opt.tie = tie, opt.n_tie = 1;
        if (variant == 4) opt.bound = bound, opt.n_bound = 1;
        if (variant == 5) opt.fix = fix, opt.n_fix = 1;
        start_grid a = {0}, b = {0};
        projected_grid(runs, &opt, false, &a);
        projected_grid(runs, &opt, true, &b);
        assert_int_equal(a.n, b.n);
        for (size_t i = 0; i < a.n * a.p; i++)
            if (!close_enough(a.theta[i], b.theta[i], 1e-9))
                fail_msg("variant %d: theta[%zu] %.17g, plain %.17g", variant, i, a.theta[i],
                         b.theta[i]);
        for (size_t i = 0; i < a.n; i++)
            if (!(isnan(a.cost[i]) ? isnan(b.cost[i]) : close_enough(a.cost[i], b.cost[i], 1e-9)))
                fail_msg("variant %d: start %zu valued %.17g, plain %.17g", variant, i, a.cost[i],
                         b.cost[i]);
        starts_free(&a);
        starts_free(&b);
    }
    slaw_runs_free(runs);
}

/* A search that polishes one start polishes it to full precision at once:
 * the same optimum as one solver run at FINAL_TOL, with nothing refined. */
static void one_start_should_be_polished_once_to_full_precision(void **state)
{
    (void)state;
    static const double truth[] = {1.8, 380, 0.32};
    slaw_runs *runs = simulated_runs("saturating", truth, 0.01, 1);
    slaw_fit_options opt;
    slaw_fit_options_init(&opt);
    opt.law = "saturating";
    const slaw_law *law = NULL;
    objective obj;
    param_map map;
    size_t cols[LAW_MAX_VARS];
    slaw_error err;
    assert_int_equal(fit_check_options(&opt, &law, &obj, &err), SLAW_OK);
    assert_int_equal(param_map_build(law, &opt, &map, &err), SLAW_OK);
    assert_int_equal(fit_resolve_variables(runs, law, NULL, cols, &err), SLAW_OK);
    size_t n = slaw_runs_count(runs), *rows = malloc(n * sizeof *rows);
    for (size_t i = 0; i < n; i++) rows[i] = i;
    dataset d = {0};
    data_summary sum;
    assert_int_equal(dataset_build(runs, rows, n, law, cols, obj.space, &d, &err), SLAW_OK);
    dataset_summary(&d, &sum);
    problem pb = {law, &d, obj, map, DEFAULT_MAX_ITER, NULL, SLAW_SOLVER_LM};
    start_grid g = {0};
    assert_int_equal(vp_starts_build(&pb, "E=1,A=100,alpha=0.3", &sum, &g, &err), SLAW_OK);
    assert_int_equal(g.n, 1);
    assert_null(g.cost);
    start_result *res = NULL, alone;
    size_t n_res = 0;
    assert_int_equal(fit_search(&pb, &g, &opt, 1, NULL, &res, &n_res, &err), SLAW_OK);
    assert_int_equal(n_res, 1);
    assert_true(res[0].final);
    solver *s = solver_new(&pb);
    double u0[FIT_MAX_PARAMS];
    param_map_u(&pb.map, g.theta, u0);
    solver_run(s, u0, FINAL_TOL, &alone);
    assert_int_equal(res[0].outcome, START_CONVERGED);
    assert_true(res[0].cost == alone.cost && res[0].iterations == alone.iterations);
    assert_memory_equal(res[0].u, alone.u, pb.map.m * sizeof *alone.u);
    solver_free(s);
    free(res);
    starts_free(&g);
    dataset_free(&d);
    free(rows);
    slaw_runs_free(runs);
}

/* The box's minimum by brute force: the least objective over every face's
 * unconstrained minimum that lies in the box (Cramer-free: Gaussian
 * elimination on the free variables). */
static double brute_box(size_t G, const double *M, const double *b, const double *lo,
                        const double *hi, double *best_x)
{
    size_t faces = 1;
    for (size_t g = 0; g < G; g++) faces *= 3;
    double best = INFINITY;
    for (size_t f = 0; f < faces; f++) {
        int st[4];
        double x[4], A[4][5];
        size_t free_ix[4], k = 0;
        for (size_t g = 0, rest = f; g < G; g++, rest /= 3) {
            st[g] = (int)(rest % 3);
            x[g] = st[g] == 1 ? lo[g] : st[g] == 2 ? hi[g] : 0;
            if (!st[g]) free_ix[k++] = g;
        }
        for (size_t r = 0; r < k; r++) {
            A[r][k] = b[free_ix[r]];
            for (size_t h = 0; h < G; h++)
                if (st[h]) A[r][k] -= M[free_ix[r] * G + h] * x[h];
            for (size_t c = 0; c < k; c++) A[r][c] = M[free_ix[r] * G + free_ix[c]];
        }
        for (size_t r = 0; r < k; r++)
            for (size_t q = r + 1; q < k; q++) {
                double m = A[q][r] / A[r][r];
                for (size_t c = r; c <= k; c++) A[q][c] -= m * A[r][c];
            }
        bool inside = true;
        for (size_t r = k; r-- > 0;) {
            double v = A[r][k];
            for (size_t c = r + 1; c < k; c++) v -= A[r][c] * x[free_ix[c]];
            x[free_ix[r]] = v / A[r][r];
            inside &= x[free_ix[r]] >= lo[free_ix[r]] && x[free_ix[r]] <= hi[free_ix[r]];
        }
        if (!inside) continue;
        double q = 0;
        for (size_t g = 0; g < G; g++) {
            double mx = 0;
            for (size_t h = 0; h < G; h++) mx += M[g * G + h] * x[h];
            q += x[g] * (mx - 2 * b[g]);
        }
        if (q < best) {
            best = q;
            memcpy(best_x, x, G * sizeof *x);
        }
    }
    return best;
}

static void box_solve_should_find_the_brute_force_minimum(void **state)
{
    (void)state;
    srand(5);
    size_t on_faces = 0;
    for (int trial = 0; trial < 4000; trial++) {
        size_t G = 1 + (size_t)trial % 4;
        double B[16], M[16], b[4], lo[4], hi[4], c[4], want[4];
        for (size_t k = 0; k < G * G; k++) B[k] = rand() / (double)RAND_MAX - 0.5;
        for (size_t g = 0; g < G; g++)
            for (size_t h = 0; h < G; h++) {
                M[g * G + h] = g == h ? 0.05 : 0.0;
                for (size_t k = 0; k < G; k++) M[g * G + h] += B[k * G + g] * B[k * G + h];
            }
        for (size_t g = 0; g < G; g++) {
            b[g] = 2.0 * (rand() / (double)RAND_MAX - 0.5);
            lo[g] = rand() % 3 ? -0.5 * rand() / (double)RAND_MAX : -INFINITY;
            hi[g] = rand() % 3 ? 0.5 * rand() / (double)RAND_MAX : INFINITY;
        }
        double q_want = brute_box(G, M, b, lo, hi, want);
        assert_true(vp_box_least_squares(G, M, b, lo, hi, c));
        double q = 0;
        bool interior = true;
        for (size_t g = 0; g < G; g++) {
            double mx = 0;
            for (size_t h = 0; h < G; h++) mx += M[g * G + h] * c[h];
            q += c[g] * (mx - 2 * b[g]);
            /* a bound comes back through the columns' scaling: within rounding */
            double slack = 1e-15 * (1 + fabs(c[g]));
            assert_true(c[g] >= lo[g] - slack && c[g] <= hi[g] + slack);
            interior &= want[g] > lo[g] && want[g] < hi[g];
            if (fabs(c[g] - want[g]) > 1e-9 * (1 + fabs(want[g])))
                fail_msg("trial %d, G %zu: c[%zu] %.17g, the brute force's %.17g", trial, G, g,
                         c[g], want[g]);
        }
        assert_true(q <= q_want + 1e-12 * (1 + fabs(q_want)));
        on_faces += !interior;
    }
    print_message("%zu of 4000 minima on a face of the box\n", on_faces);
    assert_true(on_faces > 1000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(declared_linear_parameters_should_enter_linearly),
        cmocka_unit_test(separable_laws_should_be_sums_of_their_declared_terms),
        cmocka_unit_test(separable_screen_should_match_the_plain_projection),
        cmocka_unit_test(projected_search_should_match_the_old_grid_on_bundled_data),
        cmocka_unit_test(projected_search_should_match_the_old_grid_on_simulated_sweeps),
        cmocka_unit_test(projected_search_should_keep_fixes_ties_and_bounds),
        cmocka_unit_test(one_start_should_be_polished_once_to_full_precision),
        cmocka_unit_test(box_solve_should_find_the_brute_force_minimum),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
