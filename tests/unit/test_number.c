/* test_number.c — slaw_number_parse: decimals, suffixes, separators, refusals. */
#include "helpers.h"

#include <string.h>

static double parse_ok(const char *text)
{
    double v = -1;
    const char *why = NULL;
    slaw_status st = slaw_number_parse(text, strlen(text), &v, &why);
    if (st != SLAW_OK) fail_msg("'%s' refused: %s", text, why);
    return v;
}

static void assert_refused(const char *text, const char *reason)
{
    double v = 12345;
    const char *why = NULL;
    assert_int_equal(slaw_number_parse(text, strlen(text), &v, &why), SLAW_EINPUT);
    assert_true(v == 12345); /* output untouched on failure */
    assert_non_null(why);
    if (!strstr(why, reason)) fail_msg("'%s': reason '%s' lacks '%s'", text, why, reason);
}

static void number_should_parse_plain_decimals(void **state)
{
    (void)state;
    assert_true(parse_ok("0") == 0.0);
    assert_true(parse_ok("42") == 42.0);
    assert_true(parse_ok("-3.5") == -3.5);
    assert_true(parse_ok("+2") == 2.0);
    assert_true(parse_ok(".5") == 0.5);
    assert_true(parse_ok("5.") == 5.0);
    assert_true(parse_ok("  7  ") == 7.0);
}

static void number_should_parse_exponents(void **state)
{
    (void)state;
    assert_true(parse_ok("1e3") == 1e3);
    assert_true(parse_ok("5.76E+23") == 5.76e23);
    assert_true(parse_ok("3e-4") == 3e-4);
}

static void number_should_apply_suffixes(void **state)
{
    (void)state;
    assert_true(parse_ok("125M") == 125e6);
    assert_true(parse_ok("1.3B") == 1.3e9);
    assert_true(parse_ok("70B") == 70e9);
    assert_true(parse_ok("70G") == 70e9);
    assert_true(parse_ok("1.4T") == 1.4e12);
    assert_true(parse_ok("10k") == 10e3);
    assert_true(parse_ok("10K") == 10e3);
    assert_true(parse_ok("2P") == 2e15);
    assert_true(parse_ok("1e3M") == 1e9);
}

static void number_should_accept_digit_separators(void **state)
{
    (void)state;
    assert_true(parse_ok("1_000_000") == 1e6);
    assert_true(parse_ok("1_000.000_5") == 1000.0005);
}

static void number_should_refuse_what_is_not_a_number(void **state)
{
    (void)state;
    assert_refused("", "empty");
    assert_refused("   ", "empty");
    assert_refused("abc", "not a number");
    assert_refused("1.2.3", "not a number");
    assert_refused("0x10", "not a number");
    assert_refused("1e", "exponent");
    assert_refused("1.3Q", "unknown suffix");
    assert_refused("1.3b", "unknown suffix");
    assert_refused("1.3BB", "not a number");
    assert_refused("12 34", "not a number");
}

static void number_should_refuse_nan_and_infinities(void **state)
{
    (void)state;
    assert_refused("NaN", "finite");
    assert_refused("nan", "finite");
    assert_refused("inf", "finite");
    assert_refused("-Infinity", "finite");
    assert_refused("+INF", "finite");
    /* words that merely start like them are text */
    assert_refused("infant", "not a number");
    assert_refused("nano", "not a number");
    assert_refused("information", "not a number");
    assert_refused("Infinity and beyond", "not a number");
}

static void number_should_refuse_overflow_and_underflow(void **state)
{
    (void)state;
    assert_refused("1e999", "too large");
    assert_refused("-1e999", "too large");
    assert_refused("1e-999", "too small");
    assert_refused("1e308T", "too large");
}

static void number_should_refuse_misplaced_separators(void **state)
{
    (void)state;
    assert_refused("_1000", "misplaced");
    assert_refused("1000_", "_");
    assert_refused("1__000", "_");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(number_should_parse_plain_decimals),
        cmocka_unit_test(number_should_parse_exponents),
        cmocka_unit_test(number_should_apply_suffixes),
        cmocka_unit_test(number_should_accept_digit_separators),
        cmocka_unit_test(number_should_refuse_what_is_not_a_number),
        cmocka_unit_test(number_should_refuse_nan_and_infinities),
        cmocka_unit_test(number_should_refuse_overflow_and_underflow),
        cmocka_unit_test(number_should_refuse_misplaced_separators),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
