/* test_fitfile.c — the fit artifact: written, read, written again to the
 * same bytes; invalid artifacts refused with the reason. */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The grouped runs, with settings that exercise the artifact's fields. */
static slaw_artifact *grouped_fit(void)
{
    const char *fix[] = {"E=1.5"}, *where[] = {"N > 0"};
    slaw_fit_options opt;
    slaw_fit_options_init(&opt);
    opt.law = "chinchilla";
    opt.loss = SLAW_LOSS_HUBER;
    opt.loss_param = 1e-2;
    opt.fix = fix;
    opt.n_fix = 1;
    opt.where = where;
    opt.n_where = 1;
    return fit_grouped(&opt);
}

static void artifact_should_round_trip_to_identical_bytes(void **state)
{
    (void)state;
    slaw_artifact *a = grouped_fit(), *b = NULL;
    slaw_error err;
    char *first = slaw_artifact_to_json(a);
    assert_int_equal(slaw_artifact_parse("a.json", first, strlen(first), &b, &err), SLAW_OK);
    char *second = slaw_artifact_to_json(b);
    assert_string_equal(first, second);
    assert_int_equal(slaw_artifact_fit_count(b), 2);
    assert_string_equal(slaw_fit_group(slaw_artifact_fit(b, 1)), "b");
    /* The settings come back as options that refit the same way. */
    slaw_fit_options opt;
    slaw_artifact_options(b, &opt);
    assert_string_equal(opt.law, "chinchilla");
    assert_int_equal(opt.loss, SLAW_LOSS_HUBER);
    assert_true(opt.loss_param == 1e-2);
    assert_int_equal(opt.n_fix, 1);
    assert_string_equal(opt.fix[0], "E=1.5");
    assert_string_equal(opt.where[0], "N > 0");
    assert_null(opt.x); /* a law of N and D has no x */
    bool given;
    assert_string_equal(slaw_artifact_role_column(b, SLAW_ROLE_GROUP, &given), "dataset");
    assert_true(given);
    assert_null(slaw_artifact_role_column(b, SLAW_ROLE_C, &given)); /* derived: not recorded */
    free(first);
    free(second);
    slaw_artifact_free(a);
    slaw_artifact_free(b);
}

static void artifact_should_survive_a_file(void **state)
{
    (void)state;
    char dir[] = "/tmp/slaw-fitfile-XXXXXX", path[128];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/fit.json", dir);
    slaw_artifact *a = grouped_fit(), *b = NULL;
    slaw_error err;
    assert_int_equal(slaw_artifact_write(a, path, &err), SLAW_OK);
    assert_int_equal(slaw_artifact_read(path, &b, &err), SLAW_OK);
    char *x = slaw_artifact_to_json(a), *y = slaw_artifact_to_json(b);
    assert_string_equal(x, y);
    /* Writing into a missing directory fails cleanly. */
    char bad[160];
    snprintf(bad, sizeof bad, "%s/missing/fit.json", dir);
    assert_int_equal(slaw_artifact_write(a, bad, &err), SLAW_EIO);
    assert_int_equal(slaw_artifact_read(bad, &b, &err), SLAW_EIO);
    free(x);
    free(y);
    slaw_artifact_free(a);
    slaw_artifact_free(b);
    unlink(path);
    rmdir(dir);
}

static void assert_refused(const char *text, const char *want)
{
    slaw_artifact *a = NULL;
    slaw_error err;
    char msg[2048];
    assert_int_equal(slaw_artifact_parse("base.json", text, strlen(text), &a, &err), SLAW_EINPUT);
    assert_null(a);
    slaw_error_text(&err, msg, sizeof msg);
    if (!strstr(msg, want)) fail_msg("'%s' lacks '%s'", msg, want);
}

static void invalid_artifacts_should_be_refused_with_the_reason(void **state)
{
    (void)state;
    assert_refused("", "invalid JSON");
    assert_refused("{\"fits\": [", "base.json:1:");
    assert_refused("[1, 2]", "not a JSON object");
    assert_refused("{\"runs\": []}", "\"format\" or \"slaw_version\" is missing");
    assert_refused("{\"slaw_version\": \"0.1.0\", \"format\": 7, \"fits\": []}", "format 7");
    assert_refused("{\"slaw_version\": \"0.1.0\", \"format\": 1, \"fits\": []}", "non-empty array");
    assert_refused("{\"slaw_version\": \"0.1.0\", \"format\": 1, \"fits\": [{\"law\": \"zipf\"}]}",
                   "unknown law 'zipf'");
    assert_refused("{\"slaw_version\": \"0.1.0\", \"format\": 1, \"fits\": [{\"law\": \"power\", "
                   "\"group\": null, \"params\": {\"k\": {\"value\": 1, \"stderr\": 0.1, "
                   "\"state\": \"free\"}}}]}",
                   "params.p needs a numeric value");
    /* A real artifact with one field broken. */
    slaw_artifact *a = grouped_fit();
    char *text = slaw_artifact_to_json(a);
    char *at = strstr(text, "\"covariance\"");
    assert_non_null(at);
    memcpy(at, "\"covarianze\"", 12);
    assert_refused(text, "covariance must be 5 x 5");
    free(text);
    slaw_artifact_free(a);
}

/* text with the first occurrence of from (after skipping skip of them)
 * replaced by to; caller frees. */
static char *replaced(const char *text, const char *from, int skip, const char *to)
{
    const char *at = strstr(text, from);
    for (; at && skip > 0; skip--)
        at = strstr(at + 1, from);
    assert_non_null(at);
    size_t size = strlen(text) + strlen(to) + 1;
    char *out = malloc(size);
    assert_non_null(out);
    snprintf(out, size, "%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
    return out;
}

/* check compares fits group by group, by the first fit's law: every fit
 * fits that law, and no group repeats. */
static void artifacts_mixing_laws_or_repeating_a_group_should_be_refused(void **state)
{
    (void)state;
    slaw_artifact *a = grouped_fit();
    char *text = slaw_artifact_to_json(a);
    /* fits[1] says power (chinchilla's "law" appears in fits[1] and in its settings) */
    char *mixed = replaced(text, "\"law\":\t\"chinchilla\"", 2, "\"law\":\t\"power\"");
    assert_refused(mixed, "base.json: not a valid slaw fit artifact: fits[1] fits law power and "
                          "fits[0] law chinchilla: every fit must fit the same law");
    char *twice = replaced(text, "\"group\":\t\"b\"", 0, "\"group\":\t\"a\"");
    assert_refused(twice, "base.json: not a valid slaw fit artifact: fits[0] and fits[1] are "
                          "both group 'a'");
    char *ungrouped = replaced(twice, "\"group\":\t\"a\"", 0, "\"group\":\tnull");
    char *both = replaced(ungrouped, "\"group\":\t\"a\"", 0, "\"group\":\tnull");
    assert_refused(both, "fits[0] and fits[1] are both ungrouped");
    /* the original still reads */
    slaw_artifact *b = NULL;
    slaw_error err;
    assert_int_equal(slaw_artifact_parse("base.json", text, strlen(text), &b, &err), SLAW_OK);
    slaw_artifact_free(b);
    free(both);
    free(ungrouped);
    free(twice);
    free(mixed);
    free(text);
    slaw_artifact_free(a);
}

/* A number that overflows a double is no value slaw wrote (it writes null). */
static void artifacts_with_overflowing_numbers_should_be_refused(void **state)
{
    (void)state;
    slaw_artifact *a = grouped_fit();
    char *text = slaw_artifact_to_json(a);
    /* the first parameter's value becomes 1e999 */
    char *at = strstr(text, "\"value\":");
    assert_non_null(at);
    at += strlen("\"value\":");
    at += strspn(at, " \t");
    size_t number = strcspn(at, ",\n}");
    char *broken = malloc(strlen(text) + 8);
    assert_non_null(broken);
    snprintf(broken, strlen(text) + 8, "%.*s1e999%s", (int)(at - text), text, at + number);
    assert_refused(broken, "params.E needs a numeric value");
    free(broken);
    free(text);
    slaw_artifact_free(a);
}

static void artifacts_over_the_limits_should_be_refused(void **state)
{
    (void)state;
    slaw_artifact *a = NULL;
    slaw_error err;
    char msg[2048], text[200];
    /* nesting: refused before cJSON parses it */
    size_t o = (size_t)snprintf(text, sizeof text, "{\"fits\": ");
    for (int i = 0; i < 64; i++) text[o++] = '[';
    text[o] = '\0';
    assert_int_equal(slaw_artifact_parse("deep.json", text, o, &a, &err), SLAW_ELIMIT);
    slaw_error_text(&err, msg, sizeof msg);
    assert_string_equal(msg, "deep.json:1:73: not a valid slaw fit artifact: arrays and objects "
                             "nested deeper than the limit of 64 levels");
    /* size: a sparse file one byte over the limit, refused before it is read */
    char *dir = temp_dir_create();
    const char *path = temp_file(dir, "fit.json", "{}");
    assert_int_equal(truncate(path, ((off_t)1 << 30) + 1), 0);
    assert_int_equal(slaw_artifact_read(path, &a, &err), SLAW_ELIMIT);
    slaw_error_text(&err, msg, sizeof msg);
    if (!strstr(msg, "fit.json: an artifact larger than the 1073741824-byte limit"))
        fail_msg("'%s'", msg);
    temp_dir_remove(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(artifact_should_round_trip_to_identical_bytes),
        cmocka_unit_test(artifact_should_survive_a_file),
        cmocka_unit_test(invalid_artifacts_should_be_refused_with_the_reason),
        cmocka_unit_test(artifacts_with_overflowing_numbers_should_be_refused),
        cmocka_unit_test(artifacts_mixing_laws_or_repeating_a_group_should_be_refused),
        cmocka_unit_test(artifacts_over_the_limits_should_be_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
