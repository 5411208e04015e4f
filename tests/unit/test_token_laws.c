/* test_token_laws.c — laws of tokens beyond N and D (muennighoff: unique
 * tokens U; gadre: tokens per parameter M at compute C): values against
 * their formulas written out, Jacobians against finite differences on every
 * branch. */
#include "helpers.h"
#include "law.h"

#include <math.h>
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
    assert_close(slaw_law_eval(&law_gadre, v, x),
                 1.69 + A / pow(N, alpha) + B / pow(D, alpha), 1e-13);
    law_gadre.derived(v, out);
    assert_close(out[0], pow(B / A, 1 / alpha), 1e-13);
    assert_close(out[1], alpha, 1e-15);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(token_laws_should_match_their_formulas),
        cmocka_unit_test(token_law_jacobians_should_match_finite_differences),
        cmocka_unit_test(gadre_should_be_chinchilla_with_equal_exponents),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
