/* test_token_laws.c — laws of tokens beyond N and D (muennighoff: unique
 * tokens U; gadre: tokens per parameter M at compute C; their values and
 * Jacobians on every branch are test_law_registry's): gadre as chinchilla,
 * and recovery of known parameters from simulated runs. */
#include "helpers.h"
#include "law.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Muennighoff et al. 2023's C4 constants, rounded */
static const double mu_v[7] = {1.8691, 520.6, 1488.0, 0.3526596, 0.3526596, 15.387756, 5.309743};

static const double ga_v[4] = {1.85, 529.0, 535.0, 0.15};

/* The law is the Chinchilla law with alpha = beta = 2 eta, a = A 6^eta,
 * b = B 6^eta, at C = 6 N D and M = D/N; its M* = (b/a)^(1/(2 eta)) is
 * Chinchilla's ratio of D* to N* for alpha = beta, (B/A)^(1/alpha). */
static void gadre_should_be_chinchilla_with_equal_exponents(void **state)
{
    (void)state;
    double A = 406.4, B = 410.7, alpha = 0.3, eta = alpha / 2;
    double v[4] = {1.69, A * pow(6, eta), B * pow(6, eta), eta}, N = 7e10, D = 1.4e12;
    double x[2] = {6 * N * D, D / N}, out[2];
    assert_close(slaw_law_eval(&law_gadre, v, x), 1.69 + A / pow(N, alpha) + B / pow(D, alpha),
                 1e-13);
    law_gadre.derived(v, out);
    assert_close(out[0], pow(B / A, 1 / alpha), 1e-13);
    assert_close(out[1], alpha, 1e-15);
}

/* The fit file names each variable by its role (gadre: C and M, not N and
 * D) and records the compute range of the runs, C = 6·N·D. */
/* Whether json has "name": "SYMBOL" (any blanks after the colon). */
static bool has_name(const char *json, const char *symbol)
{
    for (const char *at = json; (at = strstr(at, "\"name\":")); at++) {
        const char *v = at + 7;
        while (*v == ' ' || *v == '\t') v++;
        if (*v == '"' && !strncmp(v + 1, symbol, strlen(symbol)) && v[1 + strlen(symbol)] == '"')
            return true;
    }
    return false;
}

static void check_artifact_variables(const slaw_artifact *a, const slaw_law *law,
                                     const double (*x)[3], size_t n)
{
    const slaw_fit *f = slaw_artifact_fit(a, 0);
    char *json = slaw_artifact_to_json(a);
    assert_non_null(json);
    for (size_t v = 0; v < law->n_vars; v++) {
        const char *symbol = slaw_role_symbol(slaw_law_var_role(law, v));
        if (!has_name(json, symbol))
            fail_msg("%s: the fit file names no variable %s", law->name, symbol);
    }
    free(json);
    double lo = INFINITY, hi = -INFINITY, c_lo, c_hi;
    for (size_t i = 0; i < n; i++) {
        lo = fmin(lo, slaw_compute_flops(x[i][0], x[i][1], 0));
        hi = fmax(hi, slaw_compute_flops(x[i][0], x[i][1], 0));
    }
    assert_true(slaw_fit_compute_range(f, &c_lo, &c_hi));
    assert_close(c_lo, lo, 1e-12);
    assert_close(c_hi, hi, 1e-12);
}

/* Fits law to runs (columns N, D, U when with_u) drawn from truth with 0.5%
 * noise and checks each parameter lies within three standard errors. */
static void recover(const char *name, const double *truth, const double (*x)[3], size_t n,
                    bool with_u)
{
    const slaw_law *law = slaw_law_find(name);
    double *vars = malloc(n * 3 * sizeof *vars), *y = malloc(n * sizeof *y);
    char *csv = malloc(n * 100 + 32);
    slaw_error err;
    assert_non_null(law);
    assert_true(vars && y && csv);
    for (size_t i = 0; i < n; i++) {
        double *v = vars + i * law->n_vars;
        if (with_u) memcpy(v, x[i], 3 * sizeof *v);
        else {
            v[0] = 6 * x[i][0] * x[i][1]; /* C */
            v[1] = x[i][1] / x[i][0];     /* M */
        }
    }
    assert_int_equal(slaw_simulate(law, truth, vars, n, 0.005, 17, y, &err), SLAW_OK);
    size_t o = (size_t)sprintf(csv, with_u ? "N,D,U,loss\n" : "N,D,loss\n");
    for (size_t i = 0; i < n; i++) {
        if (with_u)
            o += (size_t)sprintf(csv + o, "%.17g,%.17g,%.17g,%.17g\n", x[i][0], x[i][1], x[i][2],
                                 y[i]);
        else o += (size_t)sprintf(csv + o, "%.17g,%.17g,%.17g\n", x[i][0], x[i][1], y[i]);
    }
    slaw_runs *runs = NULL;
    slaw_artifact *a = NULL;
    assert_int_equal(load_text("runs.csv", csv, NULL, &runs, &err), SLAW_OK);
    slaw_fit_options opt;
    slaw_fit_options_init(&opt);
    opt.law = name;
    if (slaw_fit_runs(runs, &opt, &a, &err) != SLAW_OK) fail_msg("%s: %s", name, err.message);
    const slaw_fit *f = slaw_artifact_fit(a, 0);
    check_artifact_variables(a, law, x, n);
    for (size_t j = 0; j < law->n_params; j++) {
        double v = slaw_fit_value(f, j), se = slaw_fit_stderr(f, j);
        if (!(fabs(v - truth[j]) <= 3 * se))
            fail_msg("%s: %s = %g +- %g, truth %g", name, law->params[j].name, v, se, truth[j]);
    }
    slaw_artifact_free(a);
    slaw_runs_free(runs);
    free(vars);
    free(y);
    free(csv);
}

/* A sweep as Muennighoff et al. ran theirs: model sizes, unique-data budgets,
 * and epochs from 1 to 40 on each. */
static void muennighoff_should_recover_its_parameters(void **state)
{
    (void)state;
    static const double sizes[] = {1e7, 3e7, 1e8, 3e8, 1e9}, uniques[] = {1e8, 4e8, 1.5e9};
    static const double epochs[] = {1, 2, 4, 8, 16, 40};
    double x[90][3];
    size_t n = 0;
    for (size_t i = 0; i < 5; i++)
        for (size_t u = 0; u < 3; u++)
            for (size_t e = 0; e < 6; e++) {
                x[n][0] = sizes[i];
                x[n][1] = uniques[u] * epochs[e];
                x[n][2] = uniques[u];
                n++;
            }
    recover("muennighoff", mu_v, (const double(*)[3])x, n, true);
}

/* Over-trained runs: tokens per parameter from 5 to 640 at each size. */
static void gadre_should_recover_its_parameters(void **state)
{
    (void)state;
    static const double sizes[] = {1.1e7, 7.9e7, 1.54e8, 4.11e8, 1.4e9};
    static const double ratios[] = {5, 10, 20, 40, 80, 160, 320, 640};
    double x[40][3];
    size_t n = 0;
    for (size_t i = 0; i < 5; i++)
        for (size_t r = 0; r < 8; r++) {
            x[n][0] = sizes[i];
            x[n][1] = sizes[i] * ratios[r];
            x[n][2] = 0;
            n++;
        }
    recover("gadre", ga_v, (const double(*)[3])x, n, false);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(gadre_should_be_chinchilla_with_equal_exponents),
        cmocka_unit_test(muennighoff_should_recover_its_parameters),
        cmocka_unit_test(gadre_should_recover_its_parameters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
