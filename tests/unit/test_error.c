/* test_error.c — the filling of caller-owned errors: error_nomem and
 * error_nomem_at write the one out-of-memory message, with or without a
 * place, and ignore a NULL error; an error about an option names its field
 * and speaks of it, never of a command-line flag. */
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

static void error_set_option_should_name_the_field_and_clear_it_after(void **state)
{
    (void)state;
    slaw_error err;
    assert_int_equal(error_set_option(&err, SLAW_EUSAGE, "level", "level %g: outside (0, 1)", 2.0),
                     SLAW_EUSAGE);
    assert_string_equal(err.option, "level");
    assert_string_equal(err.message, "level 2: outside (0, 1)");
    error_set(&err, SLAW_EINPUT, "runs.csv", 3, "a bad cell");
    assert_string_equal(err.option, "");
    assert_int_equal(error_set_option(NULL, SLAW_EUSAGE, "level", "level"), SLAW_EUSAGE);
}

/* The runs of tests/cli/data/grouped.csv, or a failed test. */
static slaw_runs *grouped_runs(void)
{
    slaw_runs *runs = NULL;
    slaw_error err;
    const char *path = source_path("tests/cli/data/grouped.csv");
    if (slaw_runs_load(&path, 1, NULL, &runs, &err) != SLAW_OK) fail_msg("%s", err.message);
    return runs;
}

/* The error of fitting chinchilla to the grouped runs with opt changed. */
static slaw_error fit_error(slaw_runs *runs, const slaw_fit_options *opt)
{
    slaw_error err;
    slaw_artifact *a = NULL;
    assert_int_not_equal(slaw_fit_runs(runs, opt, &a, &err), SLAW_OK);
    assert_null(a);
    assert_null(strstr(err.message, "--"));
    return err;
}

static void library_errors_should_name_option_fields_not_flags(void **state)
{
    (void)state;
    slaw_runs *runs = grouped_runs();
    slaw_fit_options opt;
    slaw_fit_options_init(&opt);
    opt.law = "chinchilla";
    opt.grid = "alpha=0:1:0";
    slaw_error err = fit_error(runs, &opt);
    assert_string_equal(err.option, "grid");
    assert_string_equal(err.message,
                        "grid 'alpha=0:1:0': alpha needs LO <= HI and a positive STEP");
    opt.grid = NULL;
    const char *fix[] = {"gamma=1"};
    opt.fix = fix;
    opt.n_fix = 1;
    err = fit_error(runs, &opt);
    assert_string_equal(err.option, "fix");
    assert_int_equal(strncmp(err.message, "fix 'gamma=1': ", 15), 0);
    slaw_runs_free(runs);

    double natural[8];
    const slaw_law *law = slaw_law_find("chinchilla");
    assert_int_equal(slaw_law_parse_params(law, "E=1", natural, &err), SLAW_EUSAGE);
    assert_string_equal(err.option, "params");
    assert_int_equal(strncmp(err.message, "params 'E=1': ", 14), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(nomem_should_fill_code_and_message_without_a_place),
        cmocka_unit_test(nomem_at_should_name_the_file_and_line),
        cmocka_unit_test(nomem_should_accept_no_error),
        cmocka_unit_test(error_set_option_should_name_the_field_and_clear_it_after),
        cmocka_unit_test(library_errors_should_name_option_fields_not_flags),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
