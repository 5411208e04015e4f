/* test_number.c — slaw_number_parse: decimals, suffixes, separators, refusals. */
#include "helpers.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
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
    assert_refused("1e-400", "too small");
    assert_refused("-2e-324", "too small"); /* below half the least subnormal: 0 */
    assert_refused("1e308T", "too large");
}

/* A subnormal is a double (of fewer digits): slaw writes them into fit files
 * (a variance of 1e-321) and must read them back; only what reads as 0 or
 * inf is out of range. */
static void number_should_keep_subnormals(void **state)
{
    (void)state;
    static const char *sub[] = {"1e-310", "4.9e-324", "-3e-324", "1.12646967251804e-321",
                                "2.2250738585072011e-308"};
    for (size_t i = 0; i < sizeof sub / sizeof sub[0]; i++) {
        double v = 0;
        const char *why = NULL;
        assert_int_equal(slaw_number_parse(sub[i], strlen(sub[i]), &v, &why), SLAW_OK);
        assert_true(v == strtod(sub[i], NULL) && v != 0);
    }
}

static void number_should_refuse_misplaced_separators(void **state)
{
    (void)state;
    assert_refused("_1000", "misplaced");
    assert_refused("1000_", "_");
    assert_refused("1__000", "_");
}

/* The parser's fast path for short decimals must give strtod's double, bit
 * for bit, and leave the rest to strtod. */
static void number_should_equal_strtod_bit_for_bit(void **state)
{
    (void)state;
    static const char *edge[] = {"0",
                                 "-0",
                                 "0.0",
                                 "000123",
                                 "9007199254740992",
                                 "9007199254740993",
                                 "1e22",
                                 "1e23",
                                 "1e-22",
                                 "1e-23",
                                 "123456789012345678",
                                 "0.1",
                                 "0.3",
                                 "2.675",
                                 "1.7976931348623157e308",
                                 "4.9e-324",
                                 "5e-324",
                                 "0.000001234",
                                 "1234567.891e-3",
                                 "3e+15"};
    char text[64];
    unsigned long long seed = 12345;
    for (size_t k = 0; k < 200000 + sizeof edge / sizeof edge[0]; k++) {
        if (k < sizeof edge / sizeof edge[0]) {
            snprintf(text, sizeof text, "%s", edge[k]);
        } else { /* random decimals: up to 20 digits, a point, an exponent */
            seed = seed * 6364136223846793005ull + 1442695040888963407ull;
            unsigned long long r = seed >> 11;
            int ndig = 1 + (int)(r % 20), point = (int)((r >> 5) % (unsigned)(ndig + 1));
            int exp = (int)((r >> 10) % 61) - 30;
            size_t o = 0;
            if ((r >> 17) & 1) text[o++] = '-';
            for (int d = 0; d < ndig; d++) {
                if (d == point && d) text[o++] = '.';
                seed = seed * 6364136223846793005ull + 1442695040888963407ull;
                text[o++] = (char)('0' + (seed >> 33) % 10);
            }
            if ((r >> 18) & 1) o += (size_t)snprintf(text + o, sizeof text - o, "e%d", exp);
            text[o] = '\0';
        }
        double want = strtod(text, NULL), got = -1;
        const char *why = NULL;
        if (slaw_number_parse(text, strlen(text), &got, &why) != SLAW_OK) {
            assert_true(want == 0 || !isfinite(want)); /* refused: out of range */
            continue;
        }
        if (memcmp(&want, &got, sizeof want) != 0)
            fail_msg("'%s': strtod %.17g, slaw %.17g", text, want, got);
    }
}

/* slaw_number_format: the styles of the CLI's tables and the plots' labels. */
static void expect_format(double v, slaw_number_style style, const char *want)
{
    char buf[64];
    const char *got = slaw_number_format(v, style, buf, sizeof buf);
    assert_ptr_equal(got, buf);
    if (strcmp(got, want))
        fail_msg("%.17g in style %d: got '%s', want '%s'", v, (int)style, got, want);
}

static void format_should_write_short_exponents(void **state)
{
    (void)state;
    expect_format(5.76e23, SLAW_NUMBER_SCI, "5.76e23");
    expect_format(1.3e-5, SLAW_NUMBER_SCI, "1.3e-5");
    expect_format(-2.5e100, SLAW_NUMBER_SCI, "-2.5e100");
    expect_format(0.0123, SLAW_NUMBER_SCI, "0.0123");
    expect_format(250, SLAW_NUMBER_SCI, "250");
    expect_format(0, SLAW_NUMBER_SCI, "0");
    expect_format(INFINITY, SLAW_NUMBER_SCI, "inf");
}

static void format_should_write_sizes_with_suffixes(void **state)
{
    (void)state;
    expect_format(125e6, SLAW_NUMBER_SIZE, "125M");
    expect_format(1.3e9, SLAW_NUMBER_SIZE, "1.3B");
    expect_format(70e9, SLAW_NUMBER_SIZE, "70B");
    expect_format(1.4e12, SLAW_NUMBER_SIZE, "1.4T");
    expect_format(2e15, SLAW_NUMBER_SIZE, "2P");
    expect_format(999.96e6, SLAW_NUMBER_SIZE, "1B"); /* rounded first: not 1e+03M */
    expect_format(999.5, SLAW_NUMBER_SIZE, "1k");
    expect_format(999.4, SLAW_NUMBER_SIZE, "999.4");
    expect_format(0.9996, SLAW_NUMBER_SIZE, "0.9996");
    expect_format(0.5, SLAW_NUMBER_SIZE, "0.5");
    expect_format(0.12345, SLAW_NUMBER_SIZE, "0.123");
    expect_format(9.996e17, SLAW_NUMBER_SIZE, "1e18");
    expect_format(-70e9, SLAW_NUMBER_SIZE, "-70B");
    expect_format(NAN, SLAW_NUMBER_SIZE, "nan");
}

static void format_should_write_values_and_losses(void **state)
{
    (void)state;
    expect_format(2.07456, SLAW_NUMBER_VALUE, "2.0746");
    expect_format(406.4, SLAW_NUMBER_VALUE, "406.4");
    expect_format(2.07, SLAW_NUMBER_LOSS, "2.0700");
    expect_format(1e6, SLAW_NUMBER_VALUE, "1e6");
    expect_format(999999, SLAW_NUMBER_VALUE, "1e+06");
    expect_format(5e-5, SLAW_NUMBER_LOSS, "5e-5");
    expect_format(1e-4, SLAW_NUMBER_LOSS, "0.00010000");
    expect_format(0, SLAW_NUMBER_LOSS, "0.0000");
}

static void format_should_write_tick_labels(void **state)
{
    (void)state;
    expect_format(1e8, SLAW_NUMBER_TICK_SIZE, "100M");
    expect_format(2.5e9, SLAW_NUMBER_TICK_SIZE, "2.5B");
    expect_format(500, SLAW_NUMBER_TICK_SIZE, "500");
    expect_format(1e21, SLAW_NUMBER_TICK_FLOPS, "1e21");
    expect_format(3e3, SLAW_NUMBER_TICK_FLOPS, "3e3");
    expect_format(300, SLAW_NUMBER_TICK_FLOPS, "300");
    expect_format(2.5, SLAW_NUMBER_TICK, "2.5");
    expect_format(1e5, SLAW_NUMBER_TICK, "1e5");
    expect_format(99999, SLAW_NUMBER_TICK, "1e+05");
    expect_format(5e-4, SLAW_NUMBER_TICK, "0.0005");
    expect_format(5e-5, SLAW_NUMBER_TICK, "5e-5");
    expect_format(NAN, SLAW_NUMBER_TICK, "NaN");
    expect_format(-INFINITY, SLAW_NUMBER_TICK_SIZE, "-inf");
    /* rounded to 3 digits before the suffix is chosen, as sizes are */
    expect_format(999.5, SLAW_NUMBER_TICK_SIZE, "1k");
    expect_format(9.995e17, SLAW_NUMBER_TICK_SIZE, "1e18");
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
        cmocka_unit_test(number_should_keep_subnormals),
        cmocka_unit_test(number_should_refuse_misplaced_separators),
        cmocka_unit_test(number_should_equal_strtod_bit_for_bit),
        cmocka_unit_test(format_should_write_short_exponents),
        cmocka_unit_test(format_should_write_sizes_with_suffixes),
        cmocka_unit_test(format_should_write_values_and_losses),
        cmocka_unit_test(format_should_write_tick_labels),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
