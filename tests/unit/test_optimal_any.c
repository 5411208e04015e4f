/* test_optimal_any.c — the compute-optimal allocation and targets of laws
 * without a closed form: chinchilla written as a formula (against the
 * closed form), muennighoff with the unique tokens held (against a
 * brute-force grid and the paper's Figure 1 models), gadre's C and M
 * (against a dense 1-D search and its own M*), a formula with a held
 * column, and the refusals of laws without a budget. */
#include "forecast.h"
#include "formula.h"
#include "helpers.h"

#include <math.h>
#include <string.h>

/* Hoffmann et al.'s published constants. */
static const double hoffmann[5] = {1.69, 406.4, 410.7, 0.34, 0.28};

/* Muennighoff et al.'s C4 constants (E, A, B, alpha, beta, R_D*, R_N*). */
static void muennighoff_constants(double *v)
{
    v[0] = exp(0.6254804);
    v[1] = exp(6.255414);
    v[2] = exp(7.3049974);
    v[3] = v[4] = 0.3526596;
    v[5] = 15.387756;
    v[6] = 5.309743;
}

static bool roles_and_width(void *ctx, const char *name)
{
    (void)ctx;
    return !strcmp(name, "N") || !strcmp(name, "D") || !strcmp(name, "width");
}

static slaw_law *formula(const char *text)
{
    slaw_law *law = NULL;
    slaw_error err;
    if (formula_law_new(text, roles_and_width, NULL, &law, &err) != SLAW_OK)
        fail_msg("'%s': %s", text, err.message);
    return law;
}

static void chinchilla_closed_form(const double *p, double C, double *n, double *d)
{
    double s = p[3] + p[4], G = pow(p[3] * p[1] / (p[4] * p[2]), 1 / s);
    *n = G * pow(C / 6, p[4] / s);
    *d = pow(C / 6, p[3] / s) / G;
}

/* The formula's parameters are in the order they first appear. */
static void the_numeric_path_of_a_formula_should_match_the_closed_form(void **state)
{
    (void)state;
    slaw_law *law = formula("E + A / N^alpha + B / D^beta");
    double p[5] = {hoffmann[0], hoffmann[1], hoffmann[3], hoffmann[2], hoffmann[4]};
    assert_true(law_has_budget(law));
    for (double C = 1e18; C <= 1e28; C *= 10) {
        double n, d, n0, d0;
        chinchilla_closed_form(hoffmann, C, &n0, &d0);
        assert_true(optimum_of(law, p, C, &n, &d));
        assert_close(n, n0, 1e-8);
        assert_close(d, d0, 1e-8);
        /* the built-in law's numeric path too, not its closed form */
        assert_true(optimum_numeric(&law_chinchilla, hoffmann, C, &n, &d));
        assert_close(n, n0, 1e-8);
    }
    formula_law_free(law);
}

/* ln L of muennighoff at (N, C/6N, U). */
static double muennighoff_at(const double *p, double C, double N, double U)
{
    double x[3] = {N, slaw_compute_tokens(C, N, 0), U};
    return law_ln_values(&law_muennighoff, p, x);
}

static void muennighoff_should_find_the_grid_minimum_under_a_data_limit(void **state)
{
    (void)state;
    double p[7];
    muennighoff_constants(p);
    budget_fixed fx;
    budget_fixed_none(&fx);
    double Us[] = {25e9, 1e9, 1e12};
    for (size_t k = 0; k < 3; k++) {
        fx.x[2] = Us[k];
        for (double C = 1e20; C <= 1e24; C *= 100) {
            double n, d, best_u = 0, best = INFINITY;
            assert_true(optimum_at(&law_muennighoff, p, &fx, C, &n, &d));
            assert_close(slaw_compute_flops(n, d, 0), C, 1e-12);
            /* brute force: 200001 points over ln N in [ln 1e6, ln(C/6) - ln 1e6] */
            double lo = log(1e6), hi = log(C / 6) - log(1e6);
            for (int i = 0; i <= 200000; i++) {
                double u = lo + (hi - lo) * i / 200000.0, l = muennighoff_at(p, C, exp(u), Us[k]);
                if (l < best) best = l, best_u = u;
            }
            double step = (hi - lo) / 200000.0;
            /* at U = 1e9 and 1e24 FLOPs the law is flat to the last digit over a
             * stretch of N (repeats and excess size fully decayed): any N there */
            double l = muennighoff_at(p, C, n, Us[k]);
            assert_true(fabs(log(n) - best_u) <= step || l == best);
            assert_true(l <= best + 1e-15);
        }
    }
}

/* Figure 1 (right) of the paper: at the budget of 6.34B parameters on 242B
 * tokens with 25B unique, the data-constrained optimum is that model, and
 * it beats Chinchilla's 8.67B on 178B at about the same compute. */
static void muennighoffs_optimum_should_be_the_papers_model(void **state)
{
    (void)state;
    double p[7], n, d;
    muennighoff_constants(p);
    budget_fixed fx;
    budget_fixed_none(&fx);
    fx.x[2] = 25e9;
    double C = slaw_compute_flops(6.34e9, 242e9, 0);
    assert_true(optimum_at(&law_muennighoff, p, &fx, C, &n, &d));
    double L = exp(muennighoff_at(p, C, n, 25e9));
    assert_true(L <= 2.2256440889984477);
    assert_true(fabs(n / 6.34e9 - 1) < 0.1);
    /* Chinchilla's allocation of that budget, under the same law, is worse */
    double nc, dc, vc[3];
    chinchilla_closed_form(p, C, &nc, &dc);
    vc[0] = nc, vc[1] = dc, vc[2] = 25e9;
    assert_true(slaw_law_eval(&law_muennighoff, p, vc) > L);
}

static void gadre_should_find_its_own_tokens_per_parameter(void **state)
{
    (void)state;
    double p[4] = {1.8, 30, 400, 0.15}, n, d;
    double m_star = pow(p[2] / p[1], 1 / (2 * p[3])); /* the law's derived M* */
    for (double C = 1e19; C <= 1e25; C *= 1000) {
        assert_true(optimum_of(&law_gadre, p, C, &n, &d));
        assert_close(d / n, m_star, 1e-8);
        /* a dense search over ln M at fixed C */
        double best = INFINITY, best_m = 0;
        for (int i = 0; i <= 100000; i++) {
            double m = exp(-5 + 15.0 * i / 100000.0), x[2] = {C, m};
            double l = law_ln_values(&law_gadre, p, x);
            if (l < best) best = l, best_m = m;
        }
        assert_true(fabs(log(d / n) - log(best_m)) <= 15.0 / 100000);
    }
}

static slaw_artifact *published(const slaw_law *law, const double *v)
{
    slaw_artifact *a = NULL;
    slaw_error err;
    if (slaw_artifact_from_params(law, v, &a, &err) != SLAW_OK) fail_msg("%s", err.message);
    return a;
}

static void a_data_limit_should_be_held_through_the_public_api(void **state)
{
    (void)state;
    double p[7];
    muennighoff_constants(p);
    slaw_artifact *a = published(&law_muennighoff, p);
    const slaw_fit *f = slaw_artifact_fit(a, 0);
    slaw_forecast_options opt;
    slaw_optimum o;
    slaw_target t;
    slaw_error err;
    slaw_point held;
    slaw_forecast_options_init(&opt, a);
    assert_int_equal(slaw_optimal_compute(f, 1e22, &opt, &o, &err), SLAW_EUSAGE);
    assert_non_null(strstr(err.message, "law muennighoff reads U (unique tokens), which a compute "
                                        "budget does not set"));
    assert_string_equal(slaw_budget_missing(&law_muennighoff, NULL), "U");
    slaw_point_init(&held);
    held.U = 25e9;
    opt.held = &held;
    assert_null(slaw_budget_missing(&law_muennighoff, &held));
    assert_int_equal(slaw_optimal_compute(f, 1e22, &opt, &o, &err), SLAW_OK);
    assert_false(o.closed_form);
    double n, d;
    budget_fixed fx;
    budget_fixed_none(&fx);
    fx.x[2] = 25e9;
    assert_true(optimum_at(&law_muennighoff, p, &fx, 1e22, &n, &d));
    assert_true(o.N.value == n && o.D.value == d);
    /* the target the optimum reaches takes back its budget */
    assert_int_equal(slaw_optimal_target(f, o.L.value, &opt, &t, &err), SLAW_OK);
    assert_true(t.reachable);
    assert_close(t.C.value, 1e22, 1e-9);
    assert_close(t.N.value, n, 1e-8);
    /* a loss below the data-limited floor is unreachable however much compute */
    assert_int_equal(slaw_optimal_target(f, 1.9, &opt, &t, &err), SLAW_OK);
    assert_false(t.reachable);
    assert_true(t.floor > 1.9 && t.floor > p[0]);
    slaw_artifact_free(a);
}

static void laws_without_a_budget_should_be_refused(void **state)
{
    (void)state;
    double v[3] = {0.9, 1.2, 0.5};
    const slaw_law *down = slaw_law_find("downstream");
    assert_false(slaw_law_has_budget(down));
    assert_false(slaw_law_has_budget(slaw_law_find("power")));
    assert_true(slaw_law_has_budget(slaw_law_find("gadre")));
    assert_true(slaw_law_has_budget(slaw_law_find("muennighoff")));
    slaw_artifact *a = published(down, v);
    slaw_optimum o;
    slaw_error err;
    assert_int_equal(slaw_optimal_compute(slaw_artifact_fit(a, 0), 1e22, NULL, &o, &err),
                     SLAW_EUSAGE);
    assert_non_null(strstr(err.message, "law downstream reads x: it has no compute budget"));
    slaw_artifact_free(a);
}

/* A formula of N, D and a column held fixed: the optimum moves with it as
 * the closed form of the equivalent chinchilla law says. */
static void a_held_column_should_enter_the_optimum(void **state)
{
    (void)state;
    slaw_law *law = formula("E + A * width / N^alpha + B / D^beta");
    budget_fixed fx;
    slaw_point held;
    slaw_error err;
    slaw_point_init(&held);
    assert_int_equal(budget_fix(law, &held, &fx, &err), SLAW_EUSAGE);
    assert_non_null(strstr(err.message, "reads width (a column), which a compute budget"));
    strcpy(held.name[0], "width");
    held.named[0] = 3;
    held.n_named = 1;
    assert_int_equal(budget_fix(law, &held, &fx, &err), SLAW_OK);
    double p[5] = {1.69, 406.4, 0.34, 410.7, 0.28}, q[5] = {1.69, 3 * 406.4, 410.7, 0.34, 0.28};
    double n, d, n0, d0;
    assert_true(optimum_at(law, p, &fx, 1e22, &n, &d));
    chinchilla_closed_form(q, 1e22, &n0, &d0);
    assert_close(n, n0, 1e-8);
    formula_law_free(law);
}

/* Gadre's least loss at C is E + 2 sqrt(a b) C^-eta (at M*), so the
 * compute-equivalent gain of one group over another is known in closed form. */
static void gadre_gain_should_be_its_closed_form(void **state)
{
    (void)state;
    slaw_fit_options opt;
    slaw_fit_options_init(&opt);
    opt.law = "gadre";
    slaw_artifact *a = fit_grouped(&opt);
    const slaw_fit *fa = slaw_artifact_fit(a, 0), *fb = slaw_artifact_fit(a, 1);
    slaw_gain g;
    slaw_error err;
    double C = 1e21;
    if (slaw_gain_at(a, slaw_fit_group(fa), slaw_fit_group(fb), NULL, C, NULL, &g, &err) != SLAW_OK)
        fail_msg("%s", err.message);
    double E = slaw_fit_value(fb, 0), A = slaw_fit_value(fb, 1), B = slaw_fit_value(fb, 2);
    double eta = slaw_fit_value(fb, 3), L = E + 2 * sqrt(A * B) * pow(C, -eta);
    double Eb = slaw_fit_value(fa, 0), Ab = slaw_fit_value(fa, 1), Bb = slaw_fit_value(fa, 2);
    double etab = slaw_fit_value(fa, 3);
    double Cb = pow((L - Eb) / (2 * sqrt(Ab * Bb)), -1 / etab);
    assert_close(g.gain.value, Cb / C, 1e-8);
    assert_true(g.gain.lo < g.gain.value && g.gain.value < g.gain.hi);
    /* at a point of C and M: the baseline's least compute reaching that loss */
    double vars[2] = {C, 50}, x[2] = {C, 50}, nat[4];
    for (size_t j = 0; j < 4; j++) nat[j] = slaw_fit_value(fb, j);
    if (slaw_gain_at(a, slaw_fit_group(fa), slaw_fit_group(fb), vars, 0, NULL, &g, &err) != SLAW_OK)
        fail_msg("%s", err.message);
    L = exp(law_ln_values(&law_gadre, nat, x));
    Cb = pow((L - Eb) / (2 * sqrt(Ab * Bb)), -1 / etab);
    assert_close(g.gain.value, Cb / C, 1e-8);
    assert_close(g.C, C, 1e-15);
    slaw_artifact_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_numeric_path_of_a_formula_should_match_the_closed_form),
        cmocka_unit_test(muennighoff_should_find_the_grid_minimum_under_a_data_limit),
        cmocka_unit_test(muennighoffs_optimum_should_be_the_papers_model),
        cmocka_unit_test(gadre_should_find_its_own_tokens_per_parameter),
        cmocka_unit_test(a_data_limit_should_be_held_through_the_public_api),
        cmocka_unit_test(laws_without_a_budget_should_be_refused),
        cmocka_unit_test(a_held_column_should_enter_the_optimum),
        cmocka_unit_test(gadre_gain_should_be_its_closed_form),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
