/* test_formula.c — formulas of one's own: values, exact Jacobians against
 * central differences, errors with their column, and fits through them. */
#include "helpers.h"
#include "formula.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* N, D and x are variables; every other name is a parameter. */
static bool is_var(void *ctx, const char *name)
{
    (void)ctx;
    return !strcmp(name, "N") || !strcmp(name, "D") || !strcmp(name, "x");
}

static slaw_law *compile_ok(const char *text)
{
    slaw_law *law = NULL;
    slaw_error err;
    if (formula_law_new(text, is_var, NULL, &law, &err) != SLAW_OK)
        fail_msg("'%s': %s", text, err.message);
    return law;
}

static void compile_fails(const char *text, const char *want)
{
    slaw_law *law = NULL;
    slaw_error err;
    assert_int_equal(formula_law_new(text, is_var, NULL, &law, &err), SLAW_EUSAGE);
    assert_null(law);
    if (!strstr(err.message, want))
        fail_msg("'%s': got \"%s\", want \"%s\"", text, err.message, want);
}

/* ŷ at natural parameters theta and variables x (one row). */
static double value_at(const slaw_law *law, const double *theta, const double *x)
{
    double lnx[LAW_MAX_VARS], lny;
    const double *in[LAW_MAX_VARS];
    for (size_t v = 0; v < law->n_vars; v++) {
        lnx[v] = log(x[v]);
        in[v] = &lnx[v];
    }
    law_eval(law, theta, in, 1, &lny, NULL);
    return exp(lny);
}

static void formula_should_evaluate_as_written(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        double theta[5];
        double x[2];
        double want; /* 0: computed below */
    } cases[] = {
        {"E + A / N^alpha + B / D^beta", {1.7, 400, 0.34, 410, 0.28}, {1e9, 2e10}, 0},
        {"a * x ** 2 - b", {3, 1}, {2}, 11},
        {"-a^2 + b * x", {3, 10}, {2}, 11}, /* -(a^2) */
        {"2^-a * x", {1}, {3}, 1.5},
        {"a^b^x", {2, 3}, {2}, 512}, /* right-associative: 2^(3^2) */
        {"pow(x, a) + min(a, b) + max(a, b)", {2, 5}, {3}, 16},
        {"abs(a - x) + sqrt(x) * b", {1, 2}, {4}, 7},
        {"exp(a) * log(x) + atan(b) + sin(pi / 2) + cos(0) + tan(0) + a*0",
         {0, 0},
         {2.718281828459045},
         3},
        {"1.5e-1 * a + .5 * x", {10}, {2}, 2.5},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        slaw_law *law = compile_ok(cases[c].text);
        double want = cases[c].want;
        if (c == 0) want = 1.7 + 400 / pow(1e9, 0.34) + 410 / pow(2e10, 0.28);
        double got = value_at(law, cases[c].theta, cases[c].x);
        if (!(fabs(got - want) <= 1e-13 * fabs(want)))
            fail_msg("'%s': got %.17g, want %.17g", cases[c].text, got, want);
        formula_law_free(law);
    }
}

static void formula_should_classify_names(void **state)
{
    (void)state;
    slaw_law *law = compile_ok("E + A / N^alpha + B / D^beta + 0*A");
    assert_int_equal(law->n_params, 5);
    assert_int_equal(law->n_vars, 2);
    const char *names[] = {"E", "A", "alpha", "B", "beta"};
    for (size_t j = 0; j < 5; j++) {
        assert_string_equal(law->params[j].name, names[j]);
        assert_int_equal(law->params[j].scale, SCALE_LINEAR);
    }
    assert_string_equal(formula_var_name(law, 0), "N");
    assert_string_equal(formula_var_name(law, 1), "D");
    assert_string_equal(law->formula, "E + A / N^alpha + B / D^beta + 0*A");
    formula_law_free(law);
}

/* ∂ln ŷ/∂θ against central differences of ln ŷ, each to 1e-6 relative. */
static void formula_jacobian_should_match_central_differences(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        double theta[6];
        double x[2];
    } cases[] = {
        {"E + A / N^alpha + B / D^beta", {1.7, 400, 0.34, 410, 0.28}, {3e8, 6e9}},
        {"exp(e) + exp(a - alpha*log(N)) + exp(b - beta*log(D))",
         {0.5, 6, 0.34, 6.5, 0.28},
         {3e8, 6e9}},
        {"a * x ** b - c / (x + d)", {2, 0.7, 3, 1.5}, {4}},
        {"pow(a, x) + sqrt(b * x) + abs(c - x) * atan(c)", {1.3, 2, -1}, {2.5}},
        {"exp(-a * x) * cos(b * x) + sin(c) + tan(c / 4) + 10", {0.3, 1.1, 0.4}, {2}},
        {"max(a * x, b) + min(c, x) * c + log(a + b)", {2, 1, 0.5}, {3}},
        {"b1 * (1 - exp(-b2 * x))", {240, 5e-4}, {500}},
        {"-(a - x)^3 + b^x + a^2", {4, 1.2}, {2}},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        slaw_law *law = compile_ok(cases[c].text);
        size_t p = law->n_params;
        double lnx[LAW_MAX_VARS], lny, J[LAW_MAX_PARAMS];
        const double *in[LAW_MAX_VARS];
        for (size_t v = 0; v < law->n_vars; v++) {
            lnx[v] = log(cases[c].x[v]);
            in[v] = &lnx[v];
        }
        law_eval(law, cases[c].theta, in, 1, &lny, J);
        assert_true(isfinite(lny));
        for (size_t j = 0; j < p; j++) {
            double t[LAW_MAX_PARAMS], up, down;
            memcpy(t, cases[c].theta, sizeof cases[c].theta);
            double h = 1e-6 * fmax(fabs(t[j]), 1e-3);
            t[j] = cases[c].theta[j] + h;
            law_eval(law, t, in, 1, &up, NULL);
            t[j] = cases[c].theta[j] - h;
            law_eval(law, t, in, 1, &down, NULL);
            double fd = (up - down) / (2 * h);
            if (!(fabs(J[j] - fd) <= 1e-6 * fmax(fabs(fd), 1e-6)))
                fail_msg("'%s': d/d%s: exact %.12g, central difference %.12g", cases[c].text,
                         law->params[j].name, J[j], fd);
        }
        formula_law_free(law);
    }
}

static void formula_errors_should_name_the_column(void **state)
{
    (void)state;
    compile_fails("E + A/N^", "formula: column 9: expected an operand at the end of the formula");
    compile_fails("", "formula: column 1: expected an operand");
    compile_fails("a * (x + b", "formula: column 11: expected ')'");
    compile_fails("a * x)", "formula: column 6: expected an operator, got ')'");
    compile_fails("a x", "formula: column 3: expected an operator, got 'x'");
    compile_fails("a + foo(x)", "formula: column 5: unknown function 'foo'");
    compile_fails("a + exp * x", "formula: column 5: exp is a function: write exp(...)");
    compile_fails("a + pow(x)", "formula: column 5: pow takes 2 arguments, got 1");
    compile_fails("a + min(x, a, a)", "formula: column 5: min takes 2 arguments, got 3");
    compile_fails("a + # x", "formula: column 5: unexpected '#'");
    compile_fails("a + 1.2.3 * x", "formula: column 5: '1.2.3' is");
    compile_fails("x^2 + N", "has no parameter to fit");
    compile_fails("a + b", "has no variable");
    compile_fails("a+b+c+d+e+f+g+h+i+j+k+l+m+n+o+p+q*x",
                  "formula: column 33: 'q' makes more than 16 parameters");
    char deep[400] = "";
    for (int k = 0; k < 100; k++) strcat(deep, "(");
    strcat(deep, "a*x");
    for (int k = 0; k < 100; k++) strcat(deep, ")");
    compile_fails(deep, "nest too deeply");
}

static const char chinchilla_path[] = "data/chinchilla/svg_extracted_data.csv";

static slaw_artifact *fit_chinchilla(const char *law, const char *formula, const char *grid)
{
    slaw_load_options lo;
    slaw_load_options_init(&lo);
    slaw_runs *runs = NULL;
    slaw_error err;
    const char *paths[] = {source_path(chinchilla_path)};
    if (slaw_runs_load(paths, 1, &lo, &runs, &err) != SLAW_OK) fail_msg("%s", err.message);
    slaw_fit_options opt;
    slaw_fit_options_init(&opt);
    opt.law = law;
    opt.formula = formula;
    slaw_selection *sel = slaw_selection_new();
    slaw_step drop = {.kind = SLAW_STEP_DROP_TOP, .count = 5};
    assert_int_equal(slaw_selection_add(sel, &drop, &err), SLAW_OK);
    opt.selection = sel;
    opt.loss = SLAW_LOSS_HUBER;
    opt.loss_param = 1e-3;
    opt.grid = grid;
    slaw_artifact *a = NULL;
    if (slaw_fit_runs(runs, &opt, &a, &err) != SLAW_OK) fail_msg("%s", err.message);
    slaw_runs_free(runs);
    slaw_selection_free(sel);
    return a;
}

/* The chinchilla law written as a formula reaches the built-in law's
 * objective (--drop-top-loss 5 --loss huber:1e-3 --grid epoch) to 1e-9: in
 * its log coordinates with Epoch's grid, and written as in the papers from
 * the formula's default grid. */
static void formula_chinchilla_should_reach_the_builtin_objective(void **state)
{
    (void)state;
    static const struct {
        const char *formula, *grid;
    } forms[] = {
        {"exp(e) + exp(a - alpha*log(N)) + exp(b - beta*log(D))", "epoch"},
        {"E + A / N^alpha + B / D^beta", NULL},
    };
    slaw_artifact *builtin = fit_chinchilla("chinchilla", NULL, "epoch");
    slaw_fit_stats sb;
    slaw_fit_get_stats(slaw_artifact_fit(builtin, 0), &sb);
    for (size_t k = 0; k < sizeof forms / sizeof forms[0]; k++) {
        slaw_artifact *mine = fit_chinchilla(NULL, forms[k].formula, forms[k].grid);
        slaw_fit_stats sm;
        slaw_fit_get_stats(slaw_artifact_fit(mine, 0), &sm);
        if (!(fabs(sm.objective - sb.objective) <= 1e-9 * sb.objective))
            fail_msg("%s: objective %.17g, built-in %.17g", forms[k].formula, sm.objective,
                     sb.objective);
        assert_true(sm.objective > 0);
        /* judged at the data's centre, as the built-in law's are, its scales
         * and exponents are determined, with the built-in law's errors */
        static const size_t builtin_of[5] = {0, 1, 3, 2, 4}; /* E A alpha B beta */
        for (size_t j = 0; k == 1 && j < 5; j++) {
            double se = slaw_fit_stderr(slaw_artifact_fit(mine, 0), j);
            double want = slaw_fit_stderr(slaw_artifact_fit(builtin, 0), builtin_of[j]);
            if (!(fabs(se - want) <= 1e-6 * want))
                fail_msg("%s: stderr of parameter %zu %.9g, built-in %.9g", forms[k].formula, j, se,
                         want);
        }
        slaw_artifact_free(mine);
    }
    slaw_artifact_free(builtin);
}

/* In linear space a formula takes its variables and target with any sign:
 * y = a + b·x + c·x² through points on both sides of zero is recovered
 * exactly from one start; log space still refuses a non-positive target. */
static void formula_linear_space_should_take_any_sign(void **state)
{
    (void)state;
    static const char csv[] = "x,y\n-3,-7.5\n-2,-3.5\n-1,-0.5\n0,1.5\n"
                              "1,2.5\n2,2.5\n3,1.5\n4,-0.5\n";
    slaw_load_options lo;
    slaw_load_options_init(&lo);
    lo.role_column[SLAW_ROLE_L] = "y";
    slaw_runs *runs = load_ok("signs.csv", csv, &lo);
    slaw_fit_options opt;
    slaw_fit_options_init(&opt);
    opt.formula = "a + b*x + c*x^2";
    opt.space = SLAW_SPACE_LINEAR;
    opt.grid = "a=0,b=0,c=0";
    slaw_artifact *a = NULL;
    slaw_error err;
    if (slaw_fit_runs(runs, &opt, &a, &err) != SLAW_OK) fail_msg("%s", err.message);
    const slaw_fit *f = slaw_artifact_fit(a, 0);
    slaw_fit_stats st;
    slaw_fit_get_stats(f, &st);
    assert_int_equal(st.starts, 1);
    assert_close(slaw_fit_value(f, 0), 1.5, 1e-9);
    assert_close(slaw_fit_value(f, 1), 1.5, 1e-9);
    assert_close(slaw_fit_value(f, 2), -0.5, 1e-9);
    assert_true(st.objective < 1e-20);
    slaw_artifact_free(a);
    opt.space = SLAW_SPACE_LOG;
    assert_int_equal(slaw_fit_runs(runs, &opt, &a, &err), SLAW_EINPUT);
    assert_non_null(strstr(err.message, "target column 'y' must be positive to fit its logarithm"));
    slaw_runs_free(runs);
}

/* Values alone go a block of rows at a time (with vectorised exp and log);
 * they agree with the row-by-row evaluation that carries derivatives, for
 * every operation, across blocks and a ragged last one, in both forms. */
static void formula_values_should_match_with_or_without_derivatives(void **state)
{
    (void)state;
    static const char *texts[] = {
        "E + A/N^alpha + B/D^beta",
        "exp(e) + exp(a - alpha*log(N)) + exp(b - beta*log(D))",
        "a*sqrt(N) - b*D**2 + c*sin(N) * cos(D) + tan(a/N) + atan(D - b)",
        "abs(a - N) + min(a, N) * max(b, D) + pow(N, c) - -a + exp(-1000 * N)",
    };
    enum { ROWS = 150 };
    double n[ROWS], d[ROWS], plain[ROWS], dual[ROWS], J[ROWS * LAW_MAX_PARAMS];
    for (size_t i = 0; i < ROWS; i++) {
        n[i] = 0.05 + 0.37 * (double)i;
        d[i] = (i % 7 == 3 ? -1.0 : 1.0) * (0.2 + 0.11 * (double)i);
    }
    const double *x[] = {n, d};
    const double theta[] = {1.7, 2.3, 0.31, 4.1, 0.27};
    for (size_t t = 0; t < sizeof texts / sizeof *texts; t++) {
        slaw_law *law = compile_ok(texts[t]);
        for (int log_form = 0; log_form < 2; log_form++) {
            formula_eval_values(law->program, theta, x, ROWS, log_form, plain, NULL);
            formula_eval_values(law->program, theta, x, ROWS, log_form, dual, J);
            for (size_t i = 0; i < ROWS; i++) {
                bool same = (isnan(plain[i]) && isnan(dual[i])) ||
                            fabs(plain[i] - dual[i]) <= 1e-14 * fmax(fabs(dual[i]), 1e-300);
                if (!same)
                    fail_msg("'%s' row %zu (log %d): %.17g without derivatives, %.17g with",
                             texts[t], i, log_form, plain[i], dual[i]);
            }
        }
        formula_law_free(law);
    }
}

/* The parameters a formula is linear in, jointly, are found from its
 * structure: the default search solves them in closed form. */
static void formula_linear_parameters_should_be_found(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        unsigned linear;
    } cases[] = {
        {"E + A/N^alpha + B/D^beta", 1u << 0 | 1u << 1 | 1u << 3}, /* E, A, B */
        {"e0 - k*exp(-g*x)", 1u << 0 | 1u << 1},                   /* e0, k */
        {"A*x^b + c*x", 1u << 0 | 1u << 2},                        /* A, c */
        {"a + b*x + c*x^2", 7u},
        {"E + A*B/N", 1u << 0}, /* A·B: linear in each, not in both */
        {"exp(a - alpha*log(N))", 0u},
        {"E + A/N^alpha + A*0.5/D^alpha", 1u << 0 | 1u << 1},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        slaw_law *law = compile_ok(cases[k].text);
        if (law->linear != cases[k].linear)
            fail_msg("'%s': linear 0x%x, want 0x%x", cases[k].text, law->linear, cases[k].linear);
        formula_law_free(law);
    }
}

/* The Chinchilla runs through the formula in log space (l2), from its
 * default grid, with bounds and fixes given as text. */
static double formula_objective(const char *bound, const char *fix, slaw_param_state *state_e,
                                double *e)
{
    slaw_runs *runs = NULL;
    slaw_error err;
    const char *paths[] = {source_path(chinchilla_path)};
    if (slaw_runs_load(paths, 1, NULL, &runs, &err) != SLAW_OK) fail_msg("%s", err.message);
    slaw_fit_options opt;
    slaw_fit_options_init(&opt);
    opt.formula = "E + A/N^alpha + B/D^beta";
    opt.bound = &bound;
    opt.n_bound = bound != NULL;
    opt.fix = &fix;
    opt.n_fix = fix != NULL;
    slaw_artifact *a = NULL;
    if (slaw_fit_runs(runs, &opt, &a, &err) != SLAW_OK)
        fail_msg("bound %s: %s", bound ? bound : "-", err.message);
    const slaw_fit *f = slaw_artifact_fit(a, 0);
    slaw_fit_stats st;
    slaw_fit_get_stats(f, &st);
    size_t which = !bound || bound[0] == 'E' ? 0 : bound[0] == 'a' ? 2 : 4;
    *state_e = slaw_fit_param_state(f, which);
    *e = slaw_fit_value(f, which);
    slaw_artifact_free(a);
    slaw_runs_free(runs);
    return st.objective;
}

/* A bound on a formula parameter, from the default grid: the optimum when
 * it lies inside (the bound once made every start crawl or stop on an edge
 * of its transform), else the parameter on the bound at the objective of
 * fixing it there. */
static void formula_bounds_should_reach_the_bounded_optimum(void **state)
{
    (void)state;
    slaw_param_state st;
    double v, free_obj = formula_objective(NULL, NULL, &st, &v);
    static const char *inside[] = {"alpha=0.2:0.4", "E=1.75:2", "E=1:", "E=1.5:3", "beta=0:1"};
    for (size_t k = 0; k < sizeof inside / sizeof *inside; k++) {
        double o = formula_objective(inside[k], NULL, &st, &v);
        if (!(fabs(o - free_obj) <= 1e-9 * free_obj) || st != SLAW_PARAM_FREE)
            fail_msg("%s: objective %.12g, unbounded %.12g", inside[k], o, free_obj);
    }
    static const struct {
        const char *bound, *fix;
        double at;
    } outside[] = {{"E=2.1:3", "E=2.1", 2.1},
                   {"E=:1.9", "E=1.9", 1.9},
                   {"beta=0.1:0.5", "beta=0.5", 0.5},
                   {"alpha=0.4:0.6", "alpha=0.4", 0.4}};
    for (size_t k = 0; k < sizeof outside / sizeof *outside; k++) {
        double o = formula_objective(outside[k].bound, NULL, &st, &v);
        double fixed =
            formula_objective(NULL, outside[k].fix, &(slaw_param_state){0}, &(double){0});
        if (!(fabs(o - fixed) <= 1e-9 * fixed) || st != SLAW_PARAM_PINNED || v != outside[k].at)
            fail_msg("%s: objective %.12g at %g, fixed %.12g", outside[k].bound, o, v, fixed);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(formula_should_evaluate_as_written),
        cmocka_unit_test(formula_should_classify_names),
        cmocka_unit_test(formula_jacobian_should_match_central_differences),
        cmocka_unit_test(formula_errors_should_name_the_column),
        cmocka_unit_test(formula_chinchilla_should_reach_the_builtin_objective),
        cmocka_unit_test(formula_linear_space_should_take_any_sign),
        cmocka_unit_test(formula_values_should_match_with_or_without_derivatives),
        cmocka_unit_test(formula_linear_parameters_should_be_found),
        cmocka_unit_test(formula_bounds_should_reach_the_bounded_optimum),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
