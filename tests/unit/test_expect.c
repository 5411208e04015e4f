/* test_expect.c — the spec languages of slaw check: tolerances,
 * expectations and points, each form accepted and malformed ones refused
 * with a precise reason (and the output untouched). */
#include "helpers.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static slaw_expect tolerance_ok(const char *text)
{
    slaw_expect e;
    slaw_error err;
    if (slaw_expect_parse_tolerance(text, &e, &err) != SLAW_OK)
        fail_msg("'%s' refused: %s", text, err.message);
    return e;
}

static slaw_expect expect_ok(const char *text)
{
    slaw_expect e;
    slaw_error err;
    if (slaw_expect_parse(text, &e, &err) != SLAW_OK)
        fail_msg("'%s' refused: %s", text, err.message);
    return e;
}

static void assert_message(const slaw_error *err, const char *want)
{
    assert_int_equal(err->code, SLAW_EUSAGE);
    if (!strstr(err->message, want)) fail_msg("'%s' lacks '%s'", err->message, want);
}

static void tolerance_refused(const char *text, const char *want)
{
    slaw_expect e = {.name = "untouched"};
    slaw_error err;
    assert_int_equal(slaw_expect_parse_tolerance(text, &e, &err), SLAW_EUSAGE);
    assert_string_equal(e.name, "untouched");
    assert_message(&err, want);
}

static void expect_refused(const char *text, const char *want)
{
    slaw_expect e = {.name = "untouched"};
    slaw_error err;
    assert_int_equal(slaw_expect_parse(text, &e, &err), SLAW_EUSAGE);
    assert_string_equal(e.name, "untouched");
    assert_message(&err, want);
}

/* ------------------------------------------------------------- tolerances */

static void tolerance_should_parse_every_form(void **state)
{
    (void)state;
    slaw_expect e = tolerance_ok("alpha=0.01");
    assert_string_equal(e.name, "alpha");
    assert_int_equal(e.form, SLAW_EXPECT_TOLERANCE);
    assert_true(e.value == 0.01);

    e = tolerance_ok("alpha=5%");
    assert_int_equal(e.form, SLAW_EXPECT_PERCENT);
    assert_close(e.value, 0.05, 1e-15);

    e = tolerance_ok("*=0.01");
    assert_string_equal(e.name, "*");
    assert_true(e.value == 0.01);

    e = tolerance_ok("3");
    assert_string_equal(e.name, "*");
    assert_true(e.value == 3);

    e = tolerance_ok("  D/N = 1.5k  ");
    assert_string_equal(e.name, "D/N");
    assert_true(e.value == 1500);

    e = tolerance_ok("2.5 %");
    assert_string_equal(e.name, "*");
    assert_int_equal(e.form, SLAW_EXPECT_PERCENT);
    assert_close(e.value, 0.025, 1e-15);

    e = tolerance_ok("beta=0");
    assert_true(e.value == 0);
}

static void tolerance_should_refuse_malformed_specs(void **state)
{
    (void)state;
    tolerance_refused("", "empty");
    tolerance_refused("   ", "empty");
    tolerance_refused("alpha", "expected NAME=V, NAME=V% or *=V");
    tolerance_refused("alpha=", "the tolerance is missing");
    tolerance_refused("alpha=%", "the tolerance is missing");
    tolerance_refused("=0.1", "the name is missing");
    tolerance_refused("alpha=x", "the tolerance 'x': not a number");
    tolerance_refused("alpha=-0.1", "cannot be negative");
    tolerance_refused("alpha=-5%", "cannot be negative");
    tolerance_refused("alpha=1Q", "unknown suffix");
    tolerance_refused("alpha=nan", "not a finite number");
    tolerance_refused("alpha=1e999", "out of range");
    tolerance_refused("al pha=1", "'al pha' is not a parameter name");
    tolerance_refused("a<b=1", "is not a parameter name");
    tolerance_refused("alpha=0.1=0.2", "not a number");
    tolerance_refused("alpha=5%%", "not a number");
    tolerance_refused("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa=1",
                      "longer than 63 characters");
}

/* ----------------------------------------------------------- expectations */

static void expect_should_parse_near(void **state)
{
    (void)state;
    slaw_expect e = expect_ok("p=1.5\xc2\xb1"
                              "0.1");
    assert_string_equal(e.name, "p");
    assert_int_equal(e.form, SLAW_EXPECT_NEAR);
    assert_true(e.value == 1.5 && e.tol == 0.1);
    assert_close(e.lo, 1.4, 1e-15);
    assert_close(e.hi, 1.6, 1e-15);

    e = expect_ok("p = 1.5 +- 0.1");
    assert_true(e.value == 1.5 && e.tol == 0.1);
    e = expect_ok("p=1.5+/-0.1");
    assert_true(e.value == 1.5 && e.tol == 0.1);
    e = expect_ok("p==1.5+-0.1");
    assert_true(e.value == 1.5);
    e = expect_ok("p=-1.5+-0.1");
    assert_close(e.lo, -1.6, 1e-15);
    e = expect_ok("E=1.8+-5%");
    assert_close(e.tol, 0.09, 1e-12);
    e = expect_ok("N=7B+-1B");
    assert_true(e.lo == 6e9 && e.hi == 8e9);
    e = expect_ok("k=1e+3+-5");
    assert_true(e.value == 1000 && e.tol == 5);
}

static void expect_should_parse_ranges_and_comparisons(void **state)
{
    (void)state;
    slaw_expect e = expect_ok("alpha in [0.3,0.4]");
    assert_int_equal(e.form, SLAW_EXPECT_RANGE);
    assert_true(e.lo == 0.3 && e.hi == 0.4);
    e = expect_ok("  alpha in[ 0.3 , 0.4 ]  ");
    assert_true(e.lo == 0.3 && e.hi == 0.4);
    e = expect_ok("a in [0.5,0.5]");
    assert_true(e.lo == 0.5 && e.hi == 0.5);

    e = expect_ok("alpha>0.3");
    assert_int_equal(e.form, SLAW_EXPECT_GT);
    assert_true(e.lo == 0.3 && isinf(e.hi));
    e = expect_ok("alpha >= 0.3");
    assert_int_equal(e.form, SLAW_EXPECT_GE);
    assert_true(e.lo == 0.3);
    e = expect_ok("alpha<0.4");
    assert_int_equal(e.form, SLAW_EXPECT_LT);
    assert_true(e.hi == 0.4 && isinf(e.lo) && e.lo < 0);
    e = expect_ok("D/N<=20");
    assert_int_equal(e.form, SLAW_EXPECT_LE);
    assert_string_equal(e.name, "D/N");
    assert_true(e.hi == 20);
    e = expect_ok("E>-1");
    assert_true(e.lo == -1);
}

static void expect_should_refuse_malformed_specs(void **state)
{
    (void)state;
    expect_refused("", "empty");
    expect_refused("alpha", "expected NAME=V");
    expect_refused("alpha ~ 0.3", "unexpected '~ 0.3' after 'alpha'; expected NAME=V");
    expect_refused(">0.3", "the name is missing");
    expect_refused("alpha=0.35", "give a tolerance, as in alpha=V");
    expect_refused("alpha=", "give a tolerance");
    expect_refused("alpha=+-0.1", "the value is missing");
    expect_refused("alpha=0.3+-", "the tolerance is missing");
    expect_refused("alpha=0.3+-x", "the tolerance 'x': not a number");
    expect_refused("alpha=0.3+--0.1", "cannot be negative");
    expect_refused("alpha=1e308+-1e308", "out of range");
    expect_refused("alpha in 0.3,0.4", "expected an interval in brackets");
    expect_refused("alpha in [0.3,0.4", "expected an interval in brackets");
    expect_refused("alpha in [0.3]", "needs two ends");
    expect_refused("alpha in [0.3,0.4,0.5]", "more than two ends");
    expect_refused("alpha in [,0.4]", "the low end is missing");
    expect_refused("alpha in [0.3,]", "the high end is missing");
    expect_refused("alpha in [0.4,0.3]", "the low end 0.4 is above the high end 0.3");
    expect_refused("alpha in [a,b]", "the low end 'a': not a number");
    expect_refused("alpha in", "expected an interval");
    expect_refused("alpha>", "the bound is missing");
    expect_refused("alpha>=", "the bound is missing");
    expect_refused("alpha<x", "the bound 'x': not a number");
    expect_refused("alpha>>1", "not a number");
    expect_refused("alpha>1 2", "not a number");
    expect_refused("alpha\x01>1", "unexpected '\\x01>1' after 'alpha'");
}

/* ----------------------------------------------------------------- points */

static void point_should_parse_the_law_variables(void **state)
{
    (void)state;
    const slaw_law *chin = slaw_law_find("chinchilla"), *sat = slaw_law_find("saturating");
    double v[2] = {0, 0};
    slaw_error err;
    assert_int_equal(slaw_expect_parse_point(chin, "N=7B,D=140B", v, &err), SLAW_OK);
    assert_true(v[0] == 7e9 && v[1] == 140e9);
    assert_int_equal(slaw_expect_parse_point(chin, " D = 1.4T , N = 70B ", v, &err), SLAW_OK);
    assert_true(v[0] == 70e9 && v[1] == 1.4e12);
    assert_int_equal(slaw_expect_parse_point(sat, "x=1e10", v, &err), SLAW_OK);
    assert_true(v[0] == 1e10);
    assert_int_equal(slaw_expect_parse_point(sat, "N=2B", v, &err), SLAW_OK);
    assert_true(v[0] == 2e9);
}

static void point_refused(const char *law, const char *text, const char *want)
{
    double v[2] = {-1, -1};
    slaw_error err;
    assert_int_equal(slaw_expect_parse_point(slaw_law_find(law), text, v, &err), SLAW_EUSAGE);
    assert_true(v[0] == -1 && v[1] == -1);
    assert_message(&err, want);
}

static void point_should_refuse_malformed_points(void **state)
{
    (void)state;
    point_refused("chinchilla", "", "empty point");
    point_refused("chinchilla", "N=7B", "give two of N, D and C (e.g. N=70B,D=1.4T), not only N");
    point_refused("chinchilla", "D=7B", "not only D");
    point_refused("chinchilla", "N=7B,D=1T,N=8B", "N is given twice");
    point_refused("chinchilla", "x=7B", "law chinchilla reads N and D, not x");
    point_refused("chinchilla", "C=1e24", "not only C");
    point_refused("chinchilla", "N=7B,,D=1T", "empty item at column 6");
    point_refused("chinchilla", "N=7B,D=1T,", "empty item at column 11");
    point_refused("chinchilla", "N 7B", "expected NAME=VALUE");
    point_refused("chinchilla", "N=0,D=1T", "N must be positive");
    point_refused("chinchilla", "N=7B,D=-1", "D must be positive");
    point_refused("chinchilla", "N=7Q,D=1T", "unknown suffix");
    point_refused("chinchilla", "N=,D=1T", "the value of N is empty");
    point_refused("saturating", "N=1B,D=1T",
                  "law saturating reads one variable (x): D does not apply");
    point_refused("saturating", "x=1B,N=2B", "x and N name the same variable of law saturating");
}

/* Bytes a fuzzer might send: every one-byte and many two-byte specs parse
 * or fail cleanly (the sanitizer build catches a read out of bounds). */
static void parsers_should_survive_arbitrary_bytes(void **state)
{
    (void)state;
    const slaw_law *chin = slaw_law_find("chinchilla");
    char text[8];
    for (int a = 1; a < 256; a++) {
        for (int b = 0; b < 256; b += 7) {
            slaw_expect e;
            slaw_error err;
            double v[2];
            snprintf(text, sizeof text, "x%c%c", a, b);
            slaw_expect_parse_tolerance(text, &e, &err);
            slaw_expect_parse(text, &e, &err);
            slaw_expect_parse_point(chin, text, v, &err);
            snprintf(text, sizeof text, "%c%c1", a, b);
            slaw_expect_parse_tolerance(text, &e, &err);
            slaw_expect_parse(text, &e, &err);
            slaw_expect_parse_point(chin, text, v, &err);
        }
    }
    /* Errors may be NULL. */
    slaw_expect e;
    assert_int_equal(slaw_expect_parse("", &e, NULL), SLAW_EUSAGE);
    assert_int_equal(slaw_expect_parse_tolerance("x", &e, NULL), SLAW_EUSAGE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tolerance_should_parse_every_form),
        cmocka_unit_test(tolerance_should_refuse_malformed_specs),
        cmocka_unit_test(expect_should_parse_near),
        cmocka_unit_test(expect_should_parse_ranges_and_comparisons),
        cmocka_unit_test(expect_should_refuse_malformed_specs),
        cmocka_unit_test(point_should_parse_the_law_variables),
        cmocka_unit_test(point_should_refuse_malformed_points),
        cmocka_unit_test(parsers_should_survive_arbitrary_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
