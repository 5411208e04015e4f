/* test_point.c — forecast points: "N=70B,D=1.4T" parsed, resolved against
 * a law's variables, and every malformed spec refused with its reason. */
#include "helpers.h"

#include <math.h>
#include <string.h>

static slaw_point parse_ok(const char *spec)
{
    slaw_point p;
    slaw_error err;
    if (slaw_point_parse(spec, &p, &err) != SLAW_OK) fail_msg("'%s': %s", spec, err.message);
    return p;
}

static void parse_fails(const char *spec, long column, const char *want)
{
    slaw_point p;
    slaw_error err;
    slaw_point_init(&p);
    p.N = 1;
    p.x = 4;
    assert_int_equal(slaw_point_parse(spec, &p, &err), SLAW_EUSAGE);
    if (!strstr(err.message, want)) fail_msg("'%s': '%s' lacks '%s'", spec, err.message, want);
    assert_int_equal(err.column, column);
    assert_true(p.N == 1 && p.x == 4); /* untouched on failure */
}

static void points_should_parse_with_suffixes_and_blanks(void **state)
{
    (void)state;
    slaw_point p = parse_ok("N=70B,D=1.4T");
    assert_true(p.N == 70e9);
    assert_true(p.D == 1.4e12);
    assert_true(isnan(p.C) && isnan(p.x));
    p = parse_ok(" n = 1_000_000 , c=5.76e23 ");
    assert_true(p.N == 1e6);
    assert_true(p.C == 5.76e23);
    assert_true(isnan(p.D));
    p = parse_ok("x=3e9");
    assert_true(p.x == 3e9);
    p = parse_ok("X=2k");
    assert_true(p.x == 2e3);
}

static void malformed_points_should_be_refused_with_the_reason(void **state)
{
    (void)state;
    parse_fails("", 1, "empty point");
    parse_fails("   ", 1, "empty point");
    parse_fails("N70B", 1, "'N70B': expected NAME=VALUE");
    parse_fails("N=70B,,D=1T", 7, "empty item at column 7");
    parse_fails("N=70B,", 7, "empty item");
    parse_fails("=5", 1, "no variable before '='");
    parse_fails("N=1,Q-=5", 5, "unknown variable 'Q-' (the variables are the roles N, D, C, U");
    parse_fails("9p=5", 1, "unknown variable '9p'");
    parse_fails("q=1,q=2", 5, "q is given twice");
    parse_fails("N=1,n=2", 5, "N is given twice");
    parse_fails("N=7Q", 1, "the value of N is an unknown suffix");
    parse_fails("D=abc", 1, "the value of D is not a number");
    parse_fails("N=", 1, "the value of N is empty");
    parse_fails("N=nan", 1, "not a finite number");
    parse_fails("N=-5", 1, "'N=-5': N must be positive");
    parse_fails("U=0", 1, "U must be positive");
    parse_fails("lr=-1", 1, "LR must be positive");
    parse_fails("N=1e999", 1, "out of range");
}

static void resolve(const char *law, const char *spec, double *vars)
{
    slaw_point p = parse_ok(spec);
    slaw_error err;
    if (slaw_point_resolve(slaw_law_find(law), &p, vars, &err) != SLAW_OK)
        fail_msg("%s '%s': %s", law, spec, err.message);
}

static void resolve_fails(const char *law, const char *spec, const char *want)
{
    slaw_point p = parse_ok(spec);
    slaw_error err;
    double vars[2];
    assert_int_equal(slaw_point_resolve(slaw_law_find(law), &p, vars, &err), SLAW_EUSAGE);
    if (!strstr(err.message, want)) fail_msg("'%s': '%s' lacks '%s'", spec, err.message, want);
}

static void points_should_resolve_through_c_equals_6nd(void **state)
{
    (void)state;
    double v[2];
    resolve("chinchilla", "N=70B,D=1.4T", v);
    assert_true(v[0] == 70e9 && v[1] == 1.4e12);
    resolve("chinchilla", "N=70B,C=5.88e23", v);
    assert_close(v[1], 1.4e12, 1e-15);
    resolve("chinchilla", "D=1.4T,C=5.88e23", v);
    assert_close(v[0], 70e9, 1e-15);
    resolve("saturating", "N=1e9", v);
    assert_true(v[0] == 1e9);
    resolve("power", "x=2e9", v);
    assert_true(v[0] == 2e9);
}

static void points_that_do_not_fit_the_law_should_be_refused(void **state)
{
    (void)state;
    resolve_fails("chinchilla", "N=70B", "law chinchilla reads N and D: give two of N, D and C");
    resolve_fails("chinchilla", "C=1e23", "not only C");
    resolve_fails("chinchilla", "x=5", "reads N and D, not x");
    resolve_fails("chinchilla", "N=1,D=2,C=12", "not all three");
    resolve_fails("chinchilla", "N=1e200,D=1e200", "out of range");
    resolve_fails("saturating", "N=1,D=2", "reads one variable (x): D does not apply");
    resolve_fails("saturating", "C=2", "C does not apply");
    resolve_fails("saturating", "x=1,N=2", "x and N name the same variable");
}

/* Runs of a power law in C (N, D and C read; C = 6·N·D), fitted with law
 * power on the column named x_column (NULL: the default, N). */
static slaw_artifact *power_fit(const char *x_column)
{
    static const char csv[] = "N,D,flops,steps,loss\n"
                              "1e8,2e9,1.2e18,100,3.10\n"
                              "2e8,4e9,4.8e18,200,2.95\n"
                              "4e8,8e9,1.92e19,400,2.71\n"
                              "8e8,1.6e10,7.68e19,800,2.60\n"
                              "1.6e9,3.2e10,3.072e20,1600,2.41\n"
                              "3.2e9,6.4e10,1.2288e21,3200,2.30\n";
    slaw_runs *runs = NULL;
    slaw_artifact *a = NULL;
    slaw_fit_options opt;
    slaw_error err;
    slaw_fit_options_init(&opt);
    opt.law = "power";
    opt.x = x_column;
    assert_int_equal(load_text("runs.csv", csv, NULL, &runs, &err), SLAW_OK);
    if (slaw_fit_runs(runs, &opt, &a, &err) != SLAW_OK) fail_msg("fit failed: %s", err.message);
    slaw_runs_free(runs);
    return a;
}

static slaw_status resolve_fitted(const slaw_artifact *a, const char *spec, double *vars,
                                  slaw_error *err)
{
    slaw_point p = parse_ok(spec);
    return slaw_point_resolve_fit(a, slaw_artifact_fit(a, 0), &p, vars, err);
}

static void resolve_fitted_fails(const slaw_artifact *a, const char *spec, const char *want)
{
    slaw_error err;
    double vars[2];
    assert_int_equal(resolve_fitted(a, spec, vars, &err), SLAW_EUSAGE);
    if (!strstr(err.message, want)) fail_msg("'%s': '%s' lacks '%s'", spec, err.message, want);
}

static void a_law_fitted_on_c_should_take_c_or_x_and_refuse_n(void **state)
{
    (void)state;
    slaw_error err;
    double v[2] = {0, 0};
    slaw_artifact *a = power_fit("C"); /* C is the column flops, bound by its alias */
    assert_int_equal(resolve_fitted(a, "C=1e21", v, &err), SLAW_OK);
    assert_true(v[0] == 1e21);
    assert_int_equal(resolve_fitted(a, "x=2e21", v, &err), SLAW_OK);
    assert_true(v[0] == 2e21);
    resolve_fitted_fails(a, "N=1e21",
                         "fitted on flops (C): N does not apply; give x=VALUE or "
                         "C=VALUE");
    resolve_fitted_fails(a, "D=1e21", "D does not apply");
    resolve_fitted_fails(a, "x=1,C=2", "x and C name the same variable");
    slaw_artifact_free(a);
}

static void a_law_fitted_on_n_should_take_n_or_x(void **state)
{
    (void)state;
    slaw_error err;
    double v[2] = {0, 0};
    slaw_artifact *a = power_fit(NULL);
    assert_int_equal(resolve_fitted(a, "N=1e9", v, &err), SLAW_OK);
    assert_true(v[0] == 1e9);
    assert_int_equal(resolve_fitted(a, "x=3e9", v, &err), SLAW_OK);
    assert_true(v[0] == 3e9);
    resolve_fitted_fails(a, "C=1e21", "fitted on N: C does not apply; give x=VALUE or N=VALUE");
    slaw_artifact_free(a);
}

static void a_law_fitted_on_another_column_should_take_only_x(void **state)
{
    (void)state;
    slaw_error err;
    double v[2] = {0, 0};
    slaw_artifact *a = power_fit("steps");
    assert_int_equal(resolve_fitted(a, "x=500", v, &err), SLAW_OK);
    assert_true(v[0] == 500);
    resolve_fitted_fails(a, "N=500", "fitted on steps: N does not apply; give x=VALUE");
    slaw_artifact_free(a);
}

/* downstream and sigmoid read a loss: L=VALUE gives it (x=VALUE still
 * does), at published values and in a fit; N, D, C are refused naming L. */
static void a_law_of_the_loss_should_take_l_or_x(void **state)
{
    (void)state;
    slaw_error err;
    double v[2] = {0, 0}, natural[4];
    const char *const laws[] = {"downstream", "sigmoid"};
    const char *const params[] = {"eps=0.85,k=2.08,gamma=0.756", "c=0.25,h=0.82,k=3.5,L0=3.1"};
    for (size_t k = 0; k < 2; k++) {
        const slaw_law *law = slaw_law_find(laws[k]);
        assert_true(slaw_law_reads_loss(law));
        resolve(laws[k], "L=2.1", v);
        assert_true(v[0] == 2.1);
        resolve_fails(laws[k], "N=2.1",
                      "reads one variable, the loss L: N does not apply; "
                      "give L=VALUE or x=VALUE");
        resolve_fails(laws[k], "x=2,L=2", "x and L name the same variable");
        slaw_artifact *a = NULL;
        assert_int_equal(slaw_law_parse_params(law, params[k], natural, &err), SLAW_OK);
        assert_int_equal(slaw_artifact_from_params(law, natural, &a, &err), SLAW_OK);
        assert_string_equal(slaw_fit_variable(slaw_artifact_fit(a, 0), 0), "L");
        assert_int_equal(resolve_fitted(a, "L=2.1", v, &err), SLAW_OK);
        assert_true(v[0] == 2.1);
        assert_int_equal(resolve_fitted(a, "x=4.2", v, &err), SLAW_OK);
        assert_true(v[0] == 4.2);
        resolve_fitted_fails(a, "D=1e9", "the loss L: D does not apply; give L=VALUE or x=VALUE");
        slaw_artifact_free(a);
    }
    assert_false(slaw_law_reads_loss(slaw_law_find("saturating")));
    assert_false(slaw_law_reads_loss(slaw_law_find("chinchilla")));
}

/* Published parameters were fitted on nothing: a refusal does not say
 * "fitted on N". */
static void a_published_law_should_not_say_fitted(void **state)
{
    (void)state;
    slaw_error err;
    double natural[3], v[2];
    const slaw_law *law = slaw_law_find("saturating");
    slaw_artifact *a = NULL;
    assert_int_equal(slaw_law_parse_params(law, "E=1.8,A=380,alpha=0.32", natural, &err), SLAW_OK);
    assert_int_equal(slaw_artifact_from_params(law, natural, &a, &err), SLAW_OK);
    assert_int_equal(resolve_fitted(a, "D=1e9", v, &err), SLAW_EUSAGE);
    assert_string_equal(err.message, "law saturating reads one variable, x (N): D does not apply; "
                                     "give x=VALUE or N=VALUE");
    slaw_artifact_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(points_should_parse_with_suffixes_and_blanks),
        cmocka_unit_test(malformed_points_should_be_refused_with_the_reason),
        cmocka_unit_test(points_should_resolve_through_c_equals_6nd),
        cmocka_unit_test(points_that_do_not_fit_the_law_should_be_refused),
        cmocka_unit_test(a_law_fitted_on_c_should_take_c_or_x_and_refuse_n),
        cmocka_unit_test(a_law_fitted_on_n_should_take_n_or_x),
        cmocka_unit_test(a_law_fitted_on_another_column_should_take_only_x),
        cmocka_unit_test(a_law_of_the_loss_should_take_l_or_x),
        cmocka_unit_test(a_published_law_should_not_say_fitted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
