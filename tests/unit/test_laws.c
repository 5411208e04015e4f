/* test_laws.c — the law catalogue: values against the formulas as written,
 * analytic Jacobians against finite differences, the registry. */
#include "helpers.h"
#include "law.h"

#include <math.h>
#include <string.h>

/* The formulas of docs/laws.md, written out directly in natural scale. */
static double formula(const char *name, const double *v, const double *x)
{
    if (!strcmp(name, "power")) return v[0] * pow(x[0], v[1]);
    if (!strcmp(name, "saturating")) return v[0] + v[1] * pow(x[0], -v[2]);
    if (!strcmp(name, "chinchilla")) return v[0] + v[1] / pow(x[0], v[3]) + v[2] / pow(x[1], v[4]);
    if (!strcmp(name, "kaplan")) return pow(pow(v[0] / x[0], v[2] / v[3]) + v[1] / x[1], v[3]);
    if (!strcmp(name, "bnsl"))
        return v[0] + v[1] * pow(x[0], -v[2]) * pow(1 + pow(x[0] / v[4], 1 / v[5]), -v[3] * v[5]);
    fail_msg("no formula for %s", name);
    return NAN;
}

typedef struct law_case {
    const char *name;
    double natural[6];
} law_case;

static const law_case cases[] = {
    {"power", {3.2e-13, 1.5}},
    {"saturating", {1.8, 380, 0.32}},
    {"chinchilla", {1.69, 406.4, 410.7, 0.34, 0.28}},
    {"kaplan", {8.8e13, 5.4e13, 0.076, 0.095}},
    {"bnsl", {1.2, 60, 0.15, 0.35, 3e8, 0.3}},
};

static const double points[][2] = {{1e7, 2e8}, {3.3e8, 7e9}, {5e9, 1e11}, {7e10, 1.4e12}};

static void laws_should_match_their_formulas(void **state)
{
    (void)state;
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        const slaw_law *law = slaw_law_find(cases[c].name);
        assert_non_null(law);
        for (size_t i = 0; i < 4; i++) {
            double got = slaw_law_eval(law, cases[c].natural, points[i]);
            double want = formula(cases[c].name, cases[c].natural, points[i]);
            assert_close(got, want, 1e-12);
        }
    }
}

static void law_jacobians_should_match_finite_differences(void **state)
{
    (void)state;
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        const slaw_law *law = slaw_law_find(cases[c].name);
        size_t p = law->n_params;
        double theta[LAW_MAX_PARAMS];
        for (size_t j = 0; j < p; j++) theta[j] = law_to_internal(law, j, cases[c].natural[j]);
        for (size_t i = 0; i < 4; i++) {
            double lnx[2] = {log(points[i][0]), log(points[i][1])};
            const double *in[2] = {&lnx[0], &lnx[1]};
            double lny, J[LAW_MAX_PARAMS];
            law->eval(theta, in, 1, &lny, J);
            for (size_t j = 0; j < p; j++) {
                double t[LAW_MAX_PARAMS], hi, lo, h = 1e-6 * fmax(fabs(theta[j]), 1.0);
                memcpy(t, theta, sizeof t);
                t[j] = theta[j] + h;
                law->eval(t, in, 1, &hi, NULL);
                t[j] = theta[j] - h;
                law->eval(t, in, 1, &lo, NULL);
                double numeric = (hi - lo) / (2 * h);
                if (fabs(J[j] - numeric) > 1e-6 * fmax(1.0, fabs(numeric)))
                    fail_msg("%s: d ln y / d %s = %.10g, finite differences %.10g", law->name,
                             law->params[j].internal, J[j], numeric);
            }
        }
    }
}

static void laws_should_stay_finite_far_from_their_data(void **state)
{
    (void)state;
    /* Extreme internal values during a search: ln y stays finite or is a
     * clean infinity, never NaN from overflowing intermediate terms. */
    const slaw_law *law = slaw_law_find("chinchilla");
    double theta[5] = {-800, 900, 5, 0.3, 0.3};
    double lnx[2] = {log(1e9), log(1e11)}, lny, J[5];
    const double *in[2] = {&lnx[0], &lnx[1]};
    law->eval(theta, in, 1, &lny, J);
    assert_false(isnan(lny));
    for (int j = 0; j < 5; j++) assert_false(isnan(J[j]));
}

static void registry_should_find_every_law_by_name(void **state)
{
    (void)state;
    assert_true(slaw_law_count() >= 1);
    for (size_t i = 0; i < slaw_law_count(); i++) {
        const slaw_law *law = slaw_law_at(i);
        assert_ptr_equal(slaw_law_find(slaw_law_name(law)), law);
        assert_true(slaw_law_param_count(law) <= LAW_MAX_PARAMS);
        assert_non_null(slaw_law_formula(law));
    }
    assert_null(slaw_law_find("chinchila"));
    assert_null(slaw_law_at(slaw_law_count()));
}

static void params_should_parse_natural_and_internal_names(void **state)
{
    (void)state;
    const slaw_law *law = slaw_law_find("chinchilla");
    double v[5];
    slaw_error err;
    assert_int_equal(
        slaw_law_parse_params(law, "E=1.69,A=406.4,B=410.7,alpha=0.34,beta=0.28", v, &err),
        SLAW_OK);
    assert_true(v[1] == 406.4 && v[4] == 0.28);
    assert_int_equal(slaw_law_parse_params(law, "e=0,a=1,b=2,alpha=0.3,beta=0.3", v, &err),
                     SLAW_OK);
    assert_close(v[0], 1.0, 1e-15);
    assert_close(v[2], exp(2.0), 1e-15);
    assert_int_equal(slaw_law_parse_params(law, "E=1.69,A=406.4", v, &err), SLAW_EUSAGE);
    assert_non_null(strstr(err.message, "B is missing"));
    assert_int_equal(slaw_law_parse_params(law, "E=-1,A=1,B=1,alpha=1,beta=1", v, &err),
                     SLAW_EUSAGE);
    assert_non_null(strstr(err.message, "positive"));
    assert_int_equal(slaw_law_parse_params(law, "Q=1", v, &err), SLAW_EUSAGE);
}

static void simulate_should_repeat_with_a_seed_and_apply_noise(void **state)
{
    (void)state;
    const slaw_law *law = slaw_law_find("saturating");
    double v[3] = {1.8, 380, 0.32}, x[3] = {1e7, 1e8, 1e9}, a[3], b[3], clean[3];
    slaw_error err;
    assert_int_equal(slaw_simulate(law, v, x, 3, 0.01, 7, a, &err), SLAW_OK);
    assert_int_equal(slaw_simulate(law, v, x, 3, 0.01, 7, b, &err), SLAW_OK);
    assert_int_equal(slaw_simulate(law, v, x, 3, 0.0, 7, clean, &err), SLAW_OK);
    for (int i = 0; i < 3; i++) {
        assert_true(a[i] == b[i]);
        assert_close(clean[i], slaw_law_eval(law, v, &x[i]), 1e-15);
        assert_true(a[i] != clean[i] && fabs(log(a[i] / clean[i])) < 0.06);
    }
    x[1] = -1;
    assert_int_equal(slaw_simulate(law, v, x, 3, 0.01, 7, a, &err), SLAW_EUSAGE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(laws_should_match_their_formulas),
        cmocka_unit_test(law_jacobians_should_match_finite_differences),
        cmocka_unit_test(laws_should_stay_finite_far_from_their_data),
        cmocka_unit_test(registry_should_find_every_law_by_name),
        cmocka_unit_test(params_should_parse_natural_and_internal_names),
        cmocka_unit_test(simulate_should_repeat_with_a_seed_and_apply_noise),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
