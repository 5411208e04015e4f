/* test_token_laws.c — laws of tokens beyond N and D (muennighoff: unique
 * tokens U; gadre: tokens per parameter M at compute C): values against
 * their formulas written out, Jacobians against finite differences on every
 * branch. */
#include "helpers.h"
#include "law.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Muennighoff et al. 2023's scaling_law(N, D, U), as in their reference code. */
static double muennighoff(const double *v, const double *x)
{
    double E = v[0], A = v[1], B = v[2], alpha = v[3], beta = v[4], rd = v[5], rn = v[6];
    double N = x[0], D = x[1], U = fmin(x[2], x[1]);
    double G = pow(alpha * A / (beta * B), 1 / (alpha + beta));
    double RD = fmax(D / U - 1, 0), UN = fmin(N, pow(U * G, beta / alpha) * G);
    double RN = fmax(N / UN - 1, 0);
    return E + A / pow(UN + UN * rn * (1 - exp(-RN / rn)), alpha) +
           B / pow(U + U * rd * (1 - exp(-RD / rd)), beta);
}

static double gadre(const double *v, const double *x)
{
    double C = x[0], M = x[1];
    return v[0] + (v[1] * pow(M, v[3]) + v[2] * pow(M, -v[3])) * pow(C, -v[3]);
}

/* Points on each branch: excess parameters or not, repeated data or not
 * (U above D: a single epoch on part of the data). */
static const double mu_points[][3] = {{6.34e9, 242e9, 25e9}, {8.67e9, 178e9, 25e9},
                                      {1e8, 2e10, 5e10},     {3e9, 4e11, 1e9},
                                      {2e7, 5e9, 4e9},       {5e10, 1e11, 2e11}};
static const double mu_v[7] = {1.8691, 520.6, 1488.0, 0.3526596, 0.3526596, 15.387756, 5.309743};
static const double mu_v2[7] = {1.7, 400, 2100, 0.31, 0.37, 9.0, 3.0};

static const double ga_points[][2] = {{1e18, 20}, {6e20, 160}, {3e22, 5}, {1e24, 640}};
static const double ga_v[4] = {1.85, 529.0, 535.0, 0.15};

static void token_laws_should_match_their_formulas(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof mu_points / sizeof mu_points[0]; i++) {
        assert_close(slaw_law_eval(&law_muennighoff, mu_v, mu_points[i]),
                     muennighoff(mu_v, mu_points[i]), 1e-13);
        assert_close(slaw_law_eval(&law_muennighoff, mu_v2, mu_points[i]),
                     muennighoff(mu_v2, mu_points[i]), 1e-13);
    }
    for (size_t i = 0; i < sizeof ga_points / sizeof ga_points[0]; i++)
        assert_close(slaw_law_eval(&law_gadre, ga_v, ga_points[i]), gadre(ga_v, ga_points[i]),
                     1e-13);
}

static void check_jacobian(const slaw_law *law, const double *natural, const double *x)
{
    size_t p = law->n_params;
    double theta[LAW_MAX_PARAMS] = {0}, lnx[LAW_MAX_VARS] = {0}, lny, J[LAW_MAX_PARAMS];
    const double *in[LAW_MAX_VARS] = {0};
    for (size_t j = 0; j < p; j++) theta[j] = law_to_internal(law, j, natural[j]);
    for (size_t v = 0; v < law->n_vars; v++) {
        lnx[v] = log(x[v]);
        in[v] = &lnx[v];
    }
    law->eval(theta, in, 1, &lny, J);
    for (size_t j = 0; j < p; j++) {
        double t[LAW_MAX_PARAMS], hi, lo, h = 1e-6 * fmax(fabs(theta[j]), 1.0);
        memcpy(t, theta, sizeof t);
        t[j] = theta[j] + h;
        law->eval(t, in, 1, &hi, NULL);
        t[j] = theta[j] - h;
        law->eval(t, in, 1, &lo, NULL);
        double numeric = (hi - lo) / (2 * h);
        if (fabs(J[j] - numeric) > 1e-7 * fmax(1.0, fabs(numeric)))
            fail_msg("%s at (%g, %g): d ln y / d %s = %.10g, finite differences %.10g", law->name,
                     x[0], x[1], law->params[j].internal, J[j], numeric);
    }
}

static void token_law_jacobians_should_match_finite_differences(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof mu_points / sizeof mu_points[0]; i++) {
        check_jacobian(&law_muennighoff, mu_v, mu_points[i]);
        check_jacobian(&law_muennighoff, mu_v2, mu_points[i]);
    }
    for (size_t i = 0; i < sizeof ga_points / sizeof ga_points[0]; i++)
        check_jacobian(&law_gadre, ga_v, ga_points[i]);
}

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
        cmocka_unit_test(token_laws_should_match_their_formulas),
        cmocka_unit_test(token_law_jacobians_should_match_finite_differences),
        cmocka_unit_test(gadre_should_be_chinchilla_with_equal_exponents),
        cmocka_unit_test(muennighoff_should_recover_its_parameters),
        cmocka_unit_test(gadre_should_recover_its_parameters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
