/* test_error.c — the filling of caller-owned errors: error_nomem and
 * error_nomem_at write the one out-of-memory message, with or without a
 * place, and ignore a NULL error. */
#include "helpers.h"
#include "error.h"

#include <string.h>

static void nomem_should_fill_code_and_message_without_a_place(void **state)
{
    (void)state;
    slaw_error err = {.line = 7};
    strcpy(err.file, "stale.csv");
    assert_int_equal(error_nomem(&err), SLAW_ENOMEM);
    assert_int_equal(err.code, SLAW_ENOMEM);
    assert_string_equal(err.message, "out of memory");
    assert_string_equal(err.file, "");
    assert_int_equal(err.line, 0);
    char text[256];
    assert_string_equal(slaw_error_text(&err, text, sizeof text), "out of memory");
}

static void nomem_at_should_name_the_file_and_line(void **state)
{
    (void)state;
    slaw_error err;
    assert_int_equal(error_nomem_at(&err, "runs.csv", 12), SLAW_ENOMEM);
    char text[256];
    assert_string_equal(slaw_error_text(&err, text, sizeof text), "runs.csv:12: out of memory");
    assert_int_equal(error_nomem_at(&err, "runs.csv", 0), SLAW_ENOMEM);
    assert_string_equal(slaw_error_text(&err, text, sizeof text), "runs.csv: out of memory");
}

static void nomem_should_accept_no_error(void **state)
{
    (void)state;
    assert_int_equal(error_nomem(NULL), SLAW_ENOMEM);
    assert_int_equal(error_nomem_at(NULL, "runs.csv", 3), SLAW_ENOMEM);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(nomem_should_fill_code_and_message_without_a_place),
        cmocka_unit_test(nomem_at_should_name_the_file_and_line),
        cmocka_unit_test(nomem_should_accept_no_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
