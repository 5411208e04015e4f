/* test_fitfile.c — the fit artifact: written, read, written again to the
 * same bytes; invalid artifacts refused with the reason. */
#include "helpers.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The grouped runs, with settings that exercise the artifact's fields. */
static slaw_artifact *grouped_fit(void)
{
    const char *fix[] = {"E=1.5"};
    slaw_selection *sel = slaw_selection_new();
    assert_int_equal(slaw_selection_add_where(sel, "N > 0", NULL), SLAW_OK);
    slaw_fit_options opt;
    slaw_fit_options_init(&opt);
    opt.law = "chinchilla";
    opt.loss = SLAW_LOSS_HUBER;
    opt.loss_param = 1e-2;
    opt.fix = fix;
    opt.n_fix = 1;
    opt.selection = sel;
    slaw_artifact *a = fit_grouped(&opt);
    slaw_selection_free(sel);
    return a;
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
    const slaw_step *where = slaw_selection_step(opt.selection, 0);
    assert_string_equal(where->text, "N > 0");
    assert_string_equal(where->where.column, "N");
    assert_int_equal(where->where.op, SLAW_OP_GT);
    assert_string_equal(where->where.value, "0");
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
    for (; at && skip > 0; skip--) at = strstr(at + 1, from);
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

/* The grouped fit's JSON as a cJSON tree, for an edit; fits[0] fixes E, so
 * A (index 1) and B (index 2) are free. */
static cJSON *grouped_tree(void)
{
    slaw_artifact *a = grouped_fit();
    char *text = slaw_artifact_to_json(a);
    cJSON *doc = cJSON_Parse(text);
    assert_non_null(doc);
    free(text);
    slaw_artifact_free(a);
    return doc;
}

static cJSON *fit0(cJSON *doc)
{
    return cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "fits"), 0);
}

static cJSON *cov_cell(cJSON *doc, int i, int j)
{
    return cJSON_GetArrayItem(cJSON_GetArrayItem(cJSON_GetObjectItem(fit0(doc), "covariance"), i),
                              j);
}

static cJSON *param(cJSON *doc, const char *name)
{
    return cJSON_GetObjectItem(cJSON_GetObjectItem(fit0(doc), "params"), name);
}

static void set_number(cJSON *v, double x)
{
    assert_true(cJSON_IsNumber(v));
    cJSON_SetNumberValue(v, x);
}

/* Refused with want (doc is freed). */
static void assert_tree_refused(cJSON *doc, const char *want)
{
    char *text = cJSON_Print(doc);
    assert_refused(text, want);
    free(text);
    cJSON_Delete(doc);
}

static void assert_tree_reads(cJSON *doc)
{
    char *text = cJSON_Print(doc);
    slaw_artifact *a = NULL;
    slaw_error err;
    if (slaw_artifact_parse("base.json", text, strlen(text), &a, &err) != SLAW_OK)
        fail_msg("refused: %s", err.message);
    slaw_artifact_free(a);
    free(text);
    cJSON_Delete(doc);
}

/* An asymmetric covariance moved a forecast's interval from [1.957, 1.990]
 * to [1.309, 2.975]: the covariance must be one. */
static void fit_files_with_a_damaged_covariance_should_be_refused(void **state)
{
    (void)state;
    assert_tree_reads(grouped_tree()); /* as written: E fixed (a row of 0) */
    cJSON *doc = grouped_tree();
    set_number(cov_cell(doc, 1, 2), cov_cell(doc, 1, 2)->valuedouble * 1.5);
    assert_tree_refused(doc, "fits[0].covariance is not symmetric: [2][1]");
    doc = grouped_tree(); /* one ulp apart is symmetric enough */
    set_number(cov_cell(doc, 1, 2), nextafter(cov_cell(doc, 1, 2)->valuedouble, 0));
    assert_tree_reads(doc);
    doc = grouped_tree();
    set_number(cov_cell(doc, 2, 2), -cov_cell(doc, 2, 2)->valuedouble);
    assert_tree_refused(doc, "fits[0].covariance[2][2]: the variance of B is negative");
    /* |correlation| > 1 between A and B */
    doc = grouped_tree();
    double ab = 1.5 * sqrt(cov_cell(doc, 1, 1)->valuedouble * cov_cell(doc, 2, 2)->valuedouble);
    set_number(cov_cell(doc, 1, 2), ab);
    set_number(cov_cell(doc, 2, 1), ab);
    assert_tree_refused(doc, "fits[0].covariance is not positive semi-definite");
    /* each correlation possible, the three together not: A, alpha, beta at -0.9 */
    doc = grouped_tree();
    int idx[] = {1, 3, 4};
    for (int x = 0; x < 3; x++)
        for (int y = 0; y < 3; y++)
            if (x != y) {
                double v = -0.9 * sqrt(cov_cell(doc, idx[x], idx[x])->valuedouble *
                                       cov_cell(doc, idx[y], idx[y])->valuedouble);
                set_number(cov_cell(doc, idx[x], idx[y]), v);
            }
    assert_tree_refused(doc, "fits[0].covariance is not positive semi-definite");
    /* a fixed parameter's row of 0 with a covariance in it */
    doc = grouped_tree();
    set_number(cov_cell(doc, 0, 1), 1e-3);
    set_number(cov_cell(doc, 1, 0), 1e-3);
    assert_tree_refused(doc, "E has variance 0 but a covariance of 0.001 with A");
    /* the standard error is the root of the variance */
    doc = grouped_tree();
    cJSON *se = cJSON_GetObjectItem(param(doc, "A"), "stderr");
    set_number(se, se->valuedouble * 1.01);
    assert_tree_refused(doc, "fits[0].params.A.stderr");
}

/* A negative standard error let check --sigma pass a 4.76 sigma change. */
static void fit_files_with_bad_standard_errors_should_be_refused(void **state)
{
    (void)state;
    cJSON *doc = grouped_tree();
    cJSON *se = cJSON_GetObjectItem(param(doc, "A"), "stderr");
    set_number(se, -se->valuedouble);
    assert_tree_refused(doc, "fits[0].params.A.stderr is negative");
    doc = grouped_tree();
    cJSON_ReplaceItemInObject(param(doc, "A"), "stderr", cJSON_CreateNull());
    assert_tree_refused(doc, "fits[0].params.A.stderr is null for a free parameter");
    /* a parameter the runs do not determine has none */
    doc = grouped_tree();
    cJSON_ReplaceItemInObject(param(doc, "A"), "stderr", cJSON_CreateNull());
    cJSON_ReplaceItemInObject(param(doc, "A"), "identified", cJSON_CreateFalse());
    assert_tree_reads(doc);
    doc = grouped_tree();
    cJSON_ReplaceItemInObject(param(doc, "A"), "identified", cJSON_CreateString("no"));
    assert_tree_refused(doc, "fits[0].params.A.identified must be true or false");
    doc = grouped_tree();
    cJSON *d = cJSON_GetObjectItem(cJSON_GetObjectItem(fit0(doc), "derived"), "a");
    set_number(cJSON_GetObjectItem(d, "stderr"), -0.1);
    assert_tree_refused(doc, "fits[0].derived.a.stderr is negative");
}

/* Exactly the law's parameters: an extra one would be ignored silently. */
static void fit_files_with_other_parameters_should_be_refused(void **state)
{
    (void)state;
    cJSON *doc = grouped_tree();
    cJSON_AddItemToObject(cJSON_GetObjectItem(fit0(doc), "params"), "F",
                          cJSON_Duplicate(param(doc, "A"), true));
    assert_tree_refused(doc, "fits[0].params.F is not a parameter of chinchilla");
    doc = grouped_tree();
    cJSON_DeleteItemFromObject(cJSON_GetObjectItem(fit0(doc), "params"), "B");
    assert_tree_refused(doc, "fits[0].params.B needs a numeric value");
}

/* What cJSON lets through: slaw would take the first "value", Python's json
 * the last; \u0000 ends a string; 1e-400 reads as 0; a byte that is not
 * UTF-8 makes the file one Python's json cannot read. */
static void fit_files_with_what_cjson_lets_through_should_be_refused(void **state)
{
    (void)state;
    slaw_artifact *a = grouped_fit();
    char *text = slaw_artifact_to_json(a);
    char *twice = replaced(text, "\"value\":", 0, "\"value\": 0.9, \"value\":");
    assert_refused(twice,
                   "base.json:10:20: not a valid slaw fit artifact: key 'value' appears twice");
    char *escaped = replaced(text, "\"stderr\":", 1, "\"stderr\": 0.9, \"std\\u0065rr\":");
    assert_refused(escaped, "key 'stderr' appears twice");
    char *tiny = replaced(text, "\"objective\":\t", 0, "\"objective\":\t1e-400, \"x\":");
    assert_refused(tiny, "not a valid slaw fit artifact: '1e-400' is out of range (too small)");
    char *nul = replaced(text, "\"group\":\t\"a\"", 0, "\"group\":\t\"a\\u0000b\"");
    assert_refused(nul, "not a valid slaw fit artifact: a string holding \\u0000");
    char *latin1 = replaced(text, "\"group\":\t\"a\"", 0, "\"group\":\t\"caf\xe9\"");
    assert_refused(latin1, "not a valid slaw fit artifact: a string holding the byte 0xe9, "
                           "which is not UTF-8");
    char *utf8 = replaced(text, "\"group\":\t\"a\"", 0, "\"group\":\t\"caf\xc3\xa9\"");
    slaw_artifact *b = NULL;
    slaw_error err;
    assert_int_equal(slaw_artifact_parse("base.json", utf8, strlen(utf8), &b, &err), SLAW_OK);
    assert_string_equal(slaw_fit_group(slaw_artifact_fit(b, 0)), "caf\xc3\xa9");
    slaw_artifact_free(b);
    free(utf8);
    free(latin1);
    free(nul);
    free(tiny);
    free(escaped);
    free(twice);
    free(text);
    slaw_artifact_free(a);
}

/* A tied parameter's row is a multiple of another's (a covariance of rank
 * below its size): positive semi-definite, read back. */
static void tied_fits_should_read_back(void **state)
{
    (void)state;
    /* E fixed: seven runs a group do not determine all four others */
    const char *tie[] = {"beta=alpha"}, *fix[] = {"E=1.5"};
    slaw_fit_options opt;
    slaw_fit_options_init(&opt);
    opt.law = "chinchilla";
    opt.tie = tie;
    opt.n_tie = 1;
    opt.fix = fix;
    opt.n_fix = 1;
    slaw_artifact *a = fit_grouped(&opt), *b = NULL;
    slaw_error err;
    char *text = slaw_artifact_to_json(a);
    if (slaw_artifact_parse("tied.json", text, strlen(text), &b, &err) != SLAW_OK)
        fail_msg("refused: %s", err.message);
    const slaw_fit *f = slaw_artifact_fit(b, 0);
    assert_true(slaw_fit_stderr(f, 3) > 0);
    assert_close(slaw_fit_stderr(f, 3), slaw_fit_stderr(f, 4), 1e-12);
    slaw_artifact_free(b);
    free(text);
    slaw_artifact_free(a);
}

/* The artifact fuzzer's seeds are artifacts of the current format (made by
 * tests/fuzz/make-artifact-seeds): a seed the reader refuses teaches the
 * fuzzer nothing past the check that refuses it.  The filter regression is
 * valid up to its broken filter entry. */
static void fuzz_seeds_should_be_valid_artifacts(void **state)
{
    (void)state;
    char dir_path[1024], path[2048];
    snprintf(dir_path, sizeof dir_path, "%s", source_path("tests/fuzz/corpus/artifact"));
    DIR *dir = opendir(dir_path);
    assert_non_null(dir);
    size_t seeds = 0;
    for (struct dirent *e; (e = readdir(dir));) {
        if (e->d_name[0] == '.') continue;
        snprintf(path, sizeof path, "%s/%s", dir_path, e->d_name);
        slaw_artifact *a = NULL;
        slaw_error err;
        char msg[2048];
        if (slaw_artifact_read(path, &a, &err) != SLAW_OK)
            fail_msg("seed %s is refused (run tests/fuzz/make-artifact-seeds): %s", e->d_name,
                     slaw_error_text(&err, msg, sizeof msg));
        slaw_artifact_free(a);
        seeds++;
    }
    closedir(dir);
    assert_true(seeds >= 8);
    slaw_artifact *a = NULL;
    slaw_error err;
    assert_int_equal(slaw_artifact_read(source_path("tests/fuzz/regressions/artifact/"
                                                    "filter-text-leak.json"),
                                        &a, &err),
                     SLAW_EINPUT);
    assert_string_equal(err.message, "not a valid slaw fit artifact: data.filters entries need "
                                     "filter and removed");
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
    /* refused where it is, as 1e999 in a CSV file is */
    assert_refused(broken, "base.json:10:15: not a valid slaw fit artifact: '1e999' is out of "
                           "range (too large)");
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
        cmocka_unit_test(fit_files_with_a_damaged_covariance_should_be_refused),
        cmocka_unit_test(fit_files_with_bad_standard_errors_should_be_refused),
        cmocka_unit_test(fit_files_with_other_parameters_should_be_refused),
        cmocka_unit_test(fit_files_with_what_cjson_lets_through_should_be_refused),
        cmocka_unit_test(tied_fits_should_read_back),
        cmocka_unit_test(fuzz_seeds_should_be_valid_artifacts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
