/* test_laws.c — the law catalogue beyond what test_law_registry checks of
 * every row (values at the test points, Jacobians): finite values far from
 * the data, finding laws by name, parsing parameters, simulating. */
#include "helpers.h"
#include "law.h"

#include <math.h>
#include <string.h>

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

static void formula_law_should_simulate_from_its_variables(void **state)
{
    (void)state;
    /* Variables are the names listed (a role's symbol plays the role, any
     * other name is a column); every other name is a parameter. */
    static const char *const vars[] = {"N", "steps", "x"};
    slaw_law *law = NULL;
    slaw_error err;
    assert_int_equal(slaw_law_from_formula("E + A/N^alpha + B*steps^-beta", vars, 3, &law, &err),
                     SLAW_OK);
    assert_int_equal(slaw_law_var_count(law), 2);
    assert_string_equal(slaw_law_var_name(law, 0), "N");
    assert_int_equal(slaw_law_var_role(law, 0), SLAW_ROLE_N);
    assert_string_equal(slaw_law_var_name(law, 1), "steps");
    assert_int_equal(slaw_law_var_role(law, 1), SLAW_ROLE_COUNT);
    assert_null(slaw_law_var_name(law, 2));
    assert_int_equal(slaw_law_param_count(law), 5);
    double v[5], x[4] = {1e8, 1e3, 1e10, 1e5}, y[2];
    assert_int_equal(slaw_law_parse_params(law, "E=1.7,A=400,alpha=0.3,B=50,beta=0.5", v, &err),
                     SLAW_OK);
    assert_int_equal(slaw_simulate(law, v, x, 2, 0.0, 1, y, &err), SLAW_OK);
    assert_close(y[0], 1.7 + 400 * pow(1e8, -0.3) + 50 * pow(1e3, -0.5), 1e-14);
    assert_close(y[1], 1.7 + 400 * pow(1e10, -0.3) + 50 * pow(1e5, -0.5), 1e-14);
    slaw_law_free(law);
    /* steps not listed: a parameter, so the formula has one variable */
    assert_int_equal(slaw_law_from_formula("E + A/N^alpha + steps", vars, 1, &law, &err), SLAW_OK);
    assert_int_equal(slaw_law_var_count(law), 1);
    assert_int_equal(slaw_law_param_count(law), 4);
    slaw_law_free(law);
    law = NULL;
    assert_int_equal(slaw_law_from_formula("E + A/N^", vars, 3, &law, &err), SLAW_EUSAGE);
    assert_null(law);
    assert_string_equal(err.message, "formula: column 9: expected an operand at the end of the "
                                     "formula");
    slaw_law_free(NULL);
    slaw_law_free((slaw_law *)slaw_law_find("power")); /* a built-in law: nothing to free */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(laws_should_stay_finite_far_from_their_data),
        cmocka_unit_test(registry_should_find_every_law_by_name),
        cmocka_unit_test(params_should_parse_natural_and_internal_names),
        cmocka_unit_test(simulate_should_repeat_with_a_seed_and_apply_noise),
        cmocka_unit_test(formula_law_should_simulate_from_its_variables),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
