/* test_load_json.c — JSON input: arrays of runs, {"runs": [...]}, JSON
 * Lines, dotted paths, positions in messages, and malformed documents. */
#include "helpers.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fcntl.h>
#include <unistd.h>

#include "input_limits.h" /* SLAW_MAX_FIELD_BYTES, SLAW_MAX_JSON_ARRAY_FLATTEN, ... */

static bool has_column(const slaw_runs *runs, const char *name)
{
    for (size_t i = 0; i < slaw_runs_column_count(runs); i++)
        if (!strcmp(slaw_runs_column_name(runs, i), name)) return true;
    return false;
}

static size_t col_named(const slaw_runs *runs, const char *name)
{
    for (size_t i = 0; i < slaw_runs_column_count(runs); i++)
        if (!strcmp(slaw_runs_column_name(runs, i), name)) return i;
    fail_msg("no column '%s'", name);
    return SIZE_MAX;
}

static long line_of(const slaw_runs *runs, size_t run)
{
    const char *file;
    long line;
    slaw_runs_source(runs, run, &file, &line);
    return line;
}

static slaw_format format_of(const char *name, const char *text)
{
    slaw_runs *runs = load_ok(name, text, NULL);
    slaw_format f = slaw_runs_file_format(runs, 0);
    slaw_runs_free(runs);
    return f;
}

static void json_should_read_an_array_of_objects(void **state)
{
    (void)state;
    slaw_runs *runs = load_ok("t.json",
                              "[{\"N\": 1e8, \"D\": 2e9, \"L\": 3.5},\n"
                              " {\"N\": 2e8, \"D\": 4e9, \"L\": 3.25}]\n",
                              NULL);
    assert_int_equal(slaw_runs_count(runs), 2);
    assert_int_equal(slaw_runs_file_format(runs, 0), SLAW_FORMAT_JSON);
    assert_true(role_value(runs, SLAW_ROLE_N, 1) == 2e8);
    assert_true(role_value(runs, SLAW_ROLE_L, 0) == 3.5);
    assert_int_equal(line_of(runs, 0), 1);
    assert_int_equal(line_of(runs, 1), 2);
    slaw_runs_free(runs);
}

/* A pretty-printed array whose second record has N = n4. */
#define PRETTY(n4)                                                                                 \
    "[\n  {\n    \"N\": 1,\n    \"D\": 2,\n    \"L\": 3\n  },\n  {\n    \"N\": " n4                \
    ", \"D\": 5, \"L\": 6\n  }\n]\n"

static void json_should_give_each_record_the_line_of_its_brace(void **state)
{
    (void)state;
    slaw_runs *runs = load_ok("t.json", PRETTY("4"), NULL);
    assert_int_equal(line_of(runs, 0), 2);
    assert_int_equal(line_of(runs, 1), 7);
    slaw_runs_free(runs);
    assert_load_fails("t.json", PRETTY("-4"), NULL, SLAW_EINPUT,
                      "t.json:7: record 2: column 'N' (N): must be positive, got -4");
}

static void json_should_read_runs_beside_other_members(void **state)
{
    (void)state;
    slaw_runs *runs = load_ok("t.json",
                              "{\"meta\": {\"runs\": 5, \"x\": [1, 2]},\n"
                              " \"runs\": [{\"N\": 1, \"D\": 2, \"L\": 3},\n"
                              "          {\"N\": 4, \"D\": 5, \"L\": 6}],\n"
                              " \"after\": \"text\"}",
                              NULL);
    assert_int_equal(slaw_runs_count(runs), 2);
    assert_int_equal(slaw_runs_column_count(runs), 4); /* N, D, L and derived C */
    assert_false(has_column(runs, "meta.runs"));
    assert_int_equal(line_of(runs, 1), 3);
    slaw_runs_free(runs);
}

static void json_should_refuse_objects_without_a_runs_array(void **state)
{
    (void)state;
    assert_load_fails("t.json", "{\"runs\": 5}", NULL, SLAW_EINPUT,
                      "t.json:1:10: \"runs\" is a number, expected an array of run objects");
    assert_load_fails("t.json", "{\"meta\": 1}", NULL, SLAW_EINPUT,
                      "t.json:1:1: an object must hold the runs in a \"runs\" array");
    assert_load_fails("t.json", "{\"runs\": [{\"N\": 1, \"D\": 2, \"L\": 3}], \"runs\": []}", NULL,
                      SLAW_EINPUT, "t.json:1:46: a second \"runs\" member");
    assert_load_fails("t.json", "{\"runs\": []}", NULL, SLAW_EINPUT, "t.json: no runs");
    assert_load_fails("t.json", "[]", NULL, SLAW_EINPUT, "t.json: no runs");
    assert_load_fails("t.json", " \n ", NULL, SLAW_EINPUT, "t.json: empty: no runs");
    assert_load_fails("t.json", "\n 42", NULL, SLAW_EINPUT,
                      "t.json:2:2: expected a JSON array of run objects or an object with a "
                      "\"runs\" array");
}

static void json_should_read_json_lines(void **state)
{
    (void)state;
    const char *text = "{\"N\": 1, \"D\": 2, \"L\": 3}\n"
                       "\n"
                       "  {\"N\": 4, \"D\": 5, \"L\": 6}\r\n"
                       "{\"N\": 7, \"D\": 8, \"L\": 9}";
    slaw_runs *runs = load_ok("t.jsonl", text, NULL);
    assert_int_equal(slaw_runs_count(runs), 3);
    assert_int_equal(slaw_runs_file_format(runs, 0), SLAW_FORMAT_JSONL);
    assert_int_equal(line_of(runs, 1), 3);
    assert_int_equal(line_of(runs, 2), 4);
    assert_true(role_value(runs, SLAW_ROLE_L, 2) == 9);
    slaw_runs_free(runs);
    assert_int_equal(format_of("t.ndjson", text), SLAW_FORMAT_JSONL);
    assert_int_equal(format_of("T.JSONL", text), SLAW_FORMAT_JSONL);
}

static void json_should_detect_the_format_from_content(void **state)
{
    (void)state;
    const char *rec = "{\"N\": 1, \"D\": 2, \"L\": 3}";
    char text[512];
    assert_int_equal(format_of("runs", "N,D,L\n1,2,3\n"), SLAW_FORMAT_CSV);
    snprintf(text, sizeof text, "\xEF\xBB\xBF\n  [%s]", rec);
    assert_int_equal(format_of("runs", text), SLAW_FORMAT_JSON);
    snprintf(text, sizeof text, "%s\n\n%s\n", rec, rec);
    assert_int_equal(format_of("runs", text), SLAW_FORMAT_JSONL);
    assert_int_equal(format_of("runs", rec), SLAW_FORMAT_JSONL); /* one run, one line */
    snprintf(text, sizeof text, "{\n  \"runs\": [\n    %s\n  ]\n}\n", rec);
    assert_int_equal(format_of("runs", text), SLAW_FORMAT_JSON);
    /* a compact {"runs": [...]} on one line is a document, not one run */
    snprintf(text, sizeof text, "{\"meta\": {\"runs\": [0]}, \"runs\" : [%s, %s]}\n", rec, rec);
    assert_int_equal(format_of("runs", text), SLAW_FORMAT_JSON);
    /* the name wins over the content; an explicit format over both */
    snprintf(text, sizeof text, "[%s]", rec);
    assert_load_fails("t.csv", text, NULL, SLAW_EINPUT, "t.csv:1: malformed CSV");
    slaw_load_options opt;
    slaw_load_options_init(&opt);
    opt.format = SLAW_FORMAT_JSON;
    slaw_runs *runs = load_ok("t.csv", text, &opt);
    assert_int_equal(slaw_runs_file_format(runs, 0), SLAW_FORMAT_JSON);
    slaw_runs_free(runs);
}

static void json_should_flatten_nested_values_by_dotted_path(void **state)
{
    (void)state;
    slaw_load_options opt;
    slaw_load_options_init(&opt);
    opt.role_column[SLAW_ROLE_N] = "hyperparameters.params";
    opt.role_column[SLAW_ROLE_D] = "hyperparameters.tokens";
    opt.role_column[SLAW_ROLE_L] = "results.1.loss";
    slaw_runs *runs = load_ok(
        "t.jsonl",
        "{\"name\": \"a\", \"ok\": true, \"hyperparameters\": {\"params\": 1e8, \"tokens\": "
        "\"2B\"}, \"results\": [{\"loss\": 3.1}, {\"loss\": 2.9}]}\n"
        "{\"name\": \"b\", \"ok\": false, \"hyperparameters\": {\"params\": 2e8, \"tokens\": "
        "4e9}, \"results\": [{\"loss\": 2.8}, {\"loss\": 2.6}]}\n",
        &opt);
    assert_int_equal(slaw_runs_count(runs), 2);
    assert_true(role_value(runs, SLAW_ROLE_N, 1) == 2e8);
    assert_true(role_value(runs, SLAW_ROLE_D, 0) == 2e9); /* a string with a suffix */
    assert_true(role_value(runs, SLAW_ROLE_L, 0) == 2.9);
    assert_true(role_value(runs, SLAW_ROLE_L, 1) == 2.6);
    assert_true(slaw_runs_value(runs, col_named(runs, "results.0.loss"), 1) == 2.8);
    assert_string_equal(slaw_runs_label(runs, col_named(runs, "name"), 1), "b");
    assert_string_equal(slaw_runs_label(runs, col_named(runs, "ok"), 0), "true");
    assert_string_equal(slaw_runs_label(runs, col_named(runs, "ok"), 1), "false");
    slaw_runs_free(runs);
}

/* n records, each with an array "curve" of len numbers i*100 + k. */
static char *records_with_array(size_t n, size_t len)
{
    size_t cap = n * (len * 12 + 64) + 1, o = 0;
    char *s = malloc(cap);
    assert_non_null(s);
    for (size_t i = 0; i < n; i++) {
        o += (size_t)snprintf(s + o, cap - o, "{\"N\": %zu, \"D\": 7, \"L\": 1, \"curve\": [",
                              i + 1);
        for (size_t k = 0; k < len; k++)
            o += (size_t)snprintf(s + o, cap - o, "%s%zu", k ? ", " : "", i * 100 + k);
        o += (size_t)snprintf(s + o, cap - o, "]}\n");
    }
    return s;
}

static void json_should_reach_long_arrays_only_by_path(void **state)
{
    (void)state;
    size_t max = SLAW_MAX_JSON_ARRAY_FLATTEN;
    char *text = records_with_array(3, max);
    slaw_runs *runs = load_ok("t.jsonl", text, NULL);
    assert_true(has_column(runs, "curve.63"));
    slaw_runs_free(runs);
    free(text);

    text = records_with_array(3, max + 1);
    runs = load_ok("t.jsonl", text, NULL);
    assert_false(has_column(runs, "curve.0"));
    slaw_runs_free(runs);

    slaw_load_options opt;
    slaw_load_options_init(&opt);
    const char *extra[] = {"curve.64", "curve.65"};
    opt.role_column[SLAW_ROLE_L] = "curve.2";
    opt.extra_columns = extra;
    opt.n_extra_columns = 2;
    runs = load_ok("t.jsonl", text, &opt);
    assert_int_equal(slaw_runs_count(runs), 3);
    for (size_t i = 0; i < 3; i++) assert_true(role_value(runs, SLAW_ROLE_L, i) == i * 100 + 2);
    assert_true(slaw_runs_value(runs, col_named(runs, "curve.64"), 2) == 264);
    assert_false(has_column(runs, "curve.65")); /* past the end: no column */
    assert_false(has_column(runs, "curve.1"));
    slaw_runs_free(runs);
    free(text);
}

/* Nested results in an order that differs between records, chosen by a
 * key's value: equal, an element of a list, or (~=) a substring. */
static void json_should_select_elements_by_a_keys_value(void **state)
{
    (void)state;
    const char *text =
        "{\"N\": 1, \"D\": 2, \"results\": [{\"name\": \"c4\", \"val_data\": [\"c4_val/a\"], "
        "\"loss\": 3.1}, {\"name\": \"pile\", \"val_data\": [\"pile/v\", \"pile_cc/v\"], "
        "\"loss\": 2.9}], \"evals\": {\"x\": {\"step\": 10, \"loss\": 5}}}\n"
        "{\"N\": 2, \"D\": 2, \"results\": [{\"name\": \"pile\", \"val_data\": [\"pile/v\"], "
        "\"loss\": 2.7}, {\"name\": \"c4\", \"val_data\": [\"c4_val/a\"], \"loss\": 3.0}], "
        "\"evals\": {\"y\": {\"step\": 10, \"loss\": 6}}}\n";
    slaw_load_options opt;
    slaw_load_options_init(&opt);
    const char *extra[] = {"results[val_data~=c4_val].loss", "results[val_data=pile_cc/v].loss",
                           "evals[step=10].loss", "results[name=pile].loss"};
    opt.role_column[SLAW_ROLE_L] = "results[name=c4].loss";
    opt.extra_columns = extra;
    opt.n_extra_columns = 4;
    slaw_runs *runs = load_ok("t.jsonl", text, &opt);
    assert_true(role_value(runs, SLAW_ROLE_L, 0) == 3.1);
    assert_true(role_value(runs, SLAW_ROLE_L, 1) == 3.0);
    size_t c = col_named(runs, "results[val_data~=c4_val].loss");
    assert_true(slaw_runs_value(runs, c, 0) == 3.1 && slaw_runs_value(runs, c, 1) == 3.0);
    c = col_named(runs, "results[val_data=pile_cc/v].loss");
    assert_true(slaw_runs_value(runs, c, 0) == 2.9);
    assert_true(isnan(slaw_runs_value(runs, c, 1))); /* not in this record's list */
    c = col_named(runs, "evals[step=10].loss");      /* members of an object too */
    assert_true(slaw_runs_value(runs, c, 0) == 5 && slaw_runs_value(runs, c, 1) == 6);
    c = col_named(runs, "results[name=pile].loss");
    assert_true(slaw_runs_value(runs, c, 0) == 2.9 && slaw_runs_value(runs, c, 1) == 2.7);
    assert_true(slaw_runs_value(runs, col_named(runs, "results.1.loss"), 1) == 3.0);
    slaw_runs_free(runs);

    opt.n_extra_columns = 0;
    opt.role_column[SLAW_ROLE_L] = "results[val_data~=_val].loss"; /* c4_val/a only */
    runs = load_ok("t.jsonl", text, &opt);
    assert_true(role_value(runs, SLAW_ROLE_L, 1) == 3.0);
    slaw_runs_free(runs);
    opt.role_column[SLAW_ROLE_L] = "results[val_data~=v].loss";
    assert_load_fails("t.jsonl", text, &opt, SLAW_EINPUT,
                      "t.jsonl:1:1: record 1: path 'results[val_data~=v].loss': elements 0 and "
                      "1 of 'results' both have val_data~=v (a selector must pick one)");
    opt.role_column[SLAW_ROLE_L] = "results[name=c5].loss";
    assert_load_fails("t.jsonl", text, &opt, SLAW_EINPUT,
                      "t.jsonl:1:1: path 'results[name=c5].loss' matches in no record; "
                      "record 1: no element of 'results' has name=c5 (name: 'c4', 'pile')");
    opt.role_column[SLAW_ROLE_L] = "results[size=5].loss";
    assert_load_fails("t.jsonl", text, &opt, SLAW_EINPUT, "(none has the key 'size')");
}

static void json_should_say_which_record_a_selector_missed(void **state)
{
    (void)state;
    slaw_load_options opt;
    slaw_load_options_init(&opt);
    opt.role_column[SLAW_ROLE_L] = "results[name=c4].loss";
    assert_load_fails("t.jsonl",
                      "{\"N\": 1, \"D\": 2, \"results\": [{\"name\": \"c4\", \"loss\": 3}]}\n"
                      "{\"N\": 2, \"D\": 2, \"results\": [{\"name\": \"pile\", \"loss\": 2}]}\n",
                      &opt, SLAW_EINPUT,
                      "t.jsonl:2: record 2: column 'results[name=c4].loss' (L): missing (no "
                      "element matches the selector, no such key, or null)");
    opt.role_column[SLAW_ROLE_L] = "results[name].loss";
    assert_load_fails("t.jsonl", "{\"N\": 1, \"D\": 2, \"results\": [{\"name\": \"c4\"}]}\n", &opt,
                      SLAW_EUSAGE,
                      "role_column[L] results[name].loss: no such column (a selector is written "
                      "NAME[KEY=VALUE] or NAME[KEY~=VALUE], followed by '.' or the end)");
}

static void json_should_treat_null_as_missing(void **state)
{
    (void)state;
    slaw_runs *runs = load_ok("t.jsonl",
                              "{\"N\": 1, \"D\": 2, \"L\": 3, \"x\": null}\n"
                              "{\"N\": 1, \"D\": 2, \"L\": 3, \"x\": 5}\n",
                              NULL);
    size_t x = col_named(runs, "x");
    assert_true(isnan(slaw_runs_value(runs, x, 0)));
    assert_true(slaw_runs_value(runs, x, 1) == 5);
    slaw_runs_free(runs);
    assert_load_fails("t.json",
                      "[{\"N\": 1, \"D\": 2, \"L\": 3},\n"
                      " {\"N\": 1, \"D\": null, \"L\": 3}]",
                      NULL, SLAW_EINPUT,
                      "t.json:2: record 2: column 'D' (D): missing (no such key, or null)");
    slaw_load_options opt;
    slaw_load_options_init(&opt);
    opt.role_column[SLAW_ROLE_N] = "h.p";
#define H_P_THEN(p)                                                                                \
    "{\"h\": {\"p\": 1}, \"D\": 2, \"L\": 3}\n{\"h\": {\"p\": " p "}, \"D\": 2, \"L\": 3}\n"
    assert_load_fails("t.jsonl", H_P_THEN("null"), &opt, SLAW_EINPUT,
                      "t.jsonl:2: record 2: column 'h.p' (N): missing (no such key, or null)");
    assert_load_fails("t.jsonl", H_P_THEN("{}"), &opt, SLAW_EINPUT,
                      "t.jsonl:2: record 2: column 'h.p' (N): missing");
}

static void json_should_refuse_records_that_are_not_objects(void **state)
{
    (void)state;
    assert_load_fails("t.json", "[{\"N\":1,\"D\":2,\"L\":3}, 5]", NULL, SLAW_EINPUT,
                      "t.json:1:23: record 2 is a number, expected an object");
    assert_load_fails("t.jsonl", "{\"N\":1,\"D\":2,\"L\":3}\n[1]\n", NULL, SLAW_EINPUT,
                      "t.jsonl:2:1: record 2 is an array, expected an object");
    assert_load_fails("t.jsonl", "\"run\"\n", NULL, SLAW_EINPUT,
                      "t.jsonl:1:1: record 1 is a string, expected an object");
    assert_load_fails("t.json", "[\n  null\n]", NULL, SLAW_EINPUT,
                      "t.json:2:3: record 1 is null, expected an object");
}

static void json_should_report_syntax_errors_with_line_and_column(void **state)
{
    (void)state;
    assert_load_fails("t.json", "[{\"N\":1,\n\"D\":2 \"L\":3}]", NULL, SLAW_EINPUT,
                      "t.json:2:7: invalid JSON");
    assert_load_fails("t.jsonl", "{\"N\":1,\"D\":2,\"L\":3}\n{\"N\":1 \"D\":2}\n", NULL,
                      SLAW_EINPUT, "t.jsonl:2:8: invalid JSON");
    assert_load_fails("t.jsonl", "{\"N\":1,\"D\":2,\"L\":3}\n{\"N\":1,\"D\":}\n", NULL, SLAW_EINPUT,
                      "t.jsonl:2:12: invalid JSON");
    assert_load_fails("t.json", "[{\"N\":1,\"D\":2,\"L\":3", NULL, SLAW_EINPUT,
                      "t.json:1:20: invalid JSON: unexpected end of input");
    assert_load_fails("t.json", "[{\"N\":1,\"D\":2,\"L\":\"a\\\"b", NULL, SLAW_EINPUT,
                      "t.json:1:24: invalid JSON: unexpected end of input");
    /* a pretty-printed record in a JSON Lines file */
    assert_load_fails("t.jsonl", "{\n  \"N\": 1\n}\n", NULL, SLAW_EINPUT,
                      "t.jsonl:1:2: invalid JSON: unexpected end of line (JSON Lines hold one "
                      "object per line)");
}

static void json_should_refuse_unterminated_arrays_and_trailing_text(void **state)
{
    (void)state;
    assert_load_fails("t.json", "\n[{\"N\":1,\"D\":2,\"L\":3}", NULL, SLAW_EINPUT,
                      "t.json:2:1: invalid JSON: unterminated array");
    assert_load_fails("t.json", "[{\"N\":1,\"D\":2,\"L\":3},\n", NULL, SLAW_EINPUT,
                      "t.json:1:1: invalid JSON: unterminated array");
    assert_load_fails("t.json", "[{\"N\":1,\"D\":2,\"L\":3} {}]", NULL, SLAW_EINPUT,
                      "t.json:1:22: invalid JSON: expected ',' or ']' after record 1");
    assert_load_fails("t.json", "{\"runs\": [{\"N\":1,\"D\":2,\"L\":3}]", NULL, SLAW_EINPUT,
                      "t.json:1:1: invalid JSON: unterminated object");
    assert_load_fails("t.json", "[{\"N\":1,\"D\":2,\"L\":3}]\n]", NULL, SLAW_EINPUT,
                      "t.json:2:1: unexpected text after the JSON document");
    /* two documents: JSON Lines read as JSON */
    assert_load_fails("t.json", "{\"runs\": [{\"N\":1,\"D\":2,\"L\":3}]}\n{\"runs\": []}\n", NULL,
                      SLAW_EINPUT,
                      "t.json:2:1: unexpected text after the JSON document (JSON Lines files "
                      "take format jsonl or a .jsonl name)");
    assert_load_fails("t.jsonl", "{\"N\":1,\"D\":2,\"L\":3} x\n", NULL, SLAW_EINPUT,
                      "t.jsonl:1:21: unexpected text after the record (one JSON object per line)");
}

static void json_should_report_bad_values_with_record_and_key(void **state)
{
    (void)state;
    assert_load_fails("t.jsonl", "{\"N\":1,\"D\":2,\"L\":3}\n{\"N\":1,\"D\":2,\"L\":\"abc\"}\n",
                      NULL, SLAW_EINPUT,
                      "t.jsonl:2: record 2: column 'L' (L): 'abc' is not a number");
    assert_load_fails("t.jsonl", "{\"N\":\"1.3Q\",\"D\":2,\"L\":3}\n", NULL, SLAW_EINPUT,
                      "t.jsonl:1: record 1: column 'N' (N): '1.3Q' is an unknown suffix");
    assert_load_fails("t.jsonl", "{\"N\":\"NaN\",\"D\":2,\"L\":3}\n", NULL, SLAW_EINPUT,
                      "t.jsonl:1: record 1: column 'N' (N): 'NaN' is not a finite number");
    /* NaN and Infinity, as Python writes them, are not JSON */
    assert_load_fails("t.jsonl", "{\"N\":1,\"D\":2,\"L\":3}\n{\"N\":1,\"D\":2,\"L\":NaN}\n", NULL,
                      SLAW_EINPUT, "t.jsonl:2:18: invalid JSON: 'NaN' is not a finite number");
    assert_load_fails("t.json", "[{\"N\":1,\"D\":2,\"L\":3},\n {\"N\":1,\"D\":-Infinity,\"L\":3}]",
                      NULL, SLAW_EINPUT,
                      "t.json:2:13: invalid JSON: '-Infinity' is not a finite number");
    assert_load_fails("t.json", "[{\"N\":Infinity,\"D\":2,\"L\":3}]", NULL, SLAW_EINPUT,
                      "t.json:1:7: invalid JSON: 'Infinity' is not a finite number");
    /* cJSON keeps no text for numbers: the record's text gives it back */
    assert_load_fails("t.jsonl",
                      "{\"N\":1,\"D\":2,\"L\":3}\n{\"N\":1,\"D\":2,\"s\":\"9e999\",\"L\":1e999}\n",
                      NULL, SLAW_EINPUT,
                      "t.jsonl:2: record 2: column 'L' (L): '1e999' is out of range (too large)");
    assert_load_fails("t.json", "[{\"N\":1,\"D\":2,\"L\":3},\n {\"N\":-2E+400,\"D\":2,\"L\":1}]",
                      NULL, SLAW_EINPUT,
                      "t.json:2: record 2: column 'N' (N): '-2E+400' is out of range (too large)");
    /* two different overflowing literals: each keeps its own text */
    assert_load_fails("t.jsonl", "{\"N\":1,\"D\":2,\"x\":2e999,\"L\":1e999}\n", NULL, SLAW_EINPUT,
                      "t.jsonl:1: record 1: column 'L' (L): '1e999' is out of range (too large)");
    assert_load_fails("t.jsonl", "{\"N\":1,\"D\":0,\"L\":3}\n", NULL, SLAW_EINPUT,
                      "t.jsonl:1: record 1: column 'D' (D): must be positive, got 0");
    assert_load_fails("t.jsonl", "{\"N\":1,\"D\":2}\n{\"N\":1,\"D\":2,\"L\":3}\n", NULL,
                      SLAW_EINPUT, "t.jsonl:1: record 1: column 'L' (L): missing");
}

static void json_should_refuse_a_key_given_twice(void **state)
{
    (void)state;
    assert_load_fails("t.jsonl", "{\"N\":1,\"D\":2,\"L\":3}\n{\"N\":1,\"D\":2,\"L\":3,\"L\":4}\n",
                      NULL, SLAW_EINPUT, "t.jsonl:2:20: record 2: key 'L' appears twice");
    assert_load_fails("t.jsonl", "{\"N\":1,\"D\":2,\"L\":3,\"a\":{\"b\":1},\"a.b\":2}\n", NULL,
                      SLAW_EINPUT, "t.jsonl:1:1: record 1: key 'a.b' appears twice");
}

/* cJSON keeps the first of two keys and Python's json the last: neither is
 * taken, whatever the values (null included) or the key's escapes. */
static void json_should_refuse_a_key_given_twice_whatever_its_values(void **state)
{
    (void)state;
    assert_load_fails("t.jsonl", "{\"N\": null, \"N\": 2e8, \"D\":2, \"L\":3}\n", NULL, SLAW_EINPUT,
                      "t.jsonl:1:13: record 1: key 'N' appears twice");
    assert_load_fails("t.json",
                      "[{\"N\":1,\"D\":2,\"L\":3},\n {\"N\":1,\"\\u004e\":1,\"D\":2,\"L\":3}]",
                      NULL, SLAW_EINPUT, "t.json:2:9: record 2: key 'N' appears twice");
    assert_load_fails("t.jsonl",
                      "{\"N\":1,\"D\":2,\"L\":3,\"cfg\":{\"lr\":[{\"a\":1,\"a\":null}]}}\n", NULL,
                      SLAW_EINPUT, "t.jsonl:1:40: record 1: key 'a' appears twice");
    /* beside the runs too, and in objects of many keys (sorted, not paired) */
    assert_load_fails("t.json",
                      "{\"meta\": {\"x\": 1, \"x\": 2}, \"runs\": [{\"N\":1,\"D\":2,\"L\":3}]}",
                      NULL, SLAW_EINPUT, "t.json:1:19: key 'x' appears twice");
    char text[600] = "{\"N\":1,\"D\":2,\"L\":3";
    for (int i = 0; i < 40; i++) snprintf(text + strlen(text), 20, ",\"k%d\":%d", i, i);
    strcat(text, ",\"k7\":0}\n");
    assert_load_fails("t.jsonl", text, NULL, SLAW_EINPUT, "record 1: key 'k7' appears twice");
    /* the same text is not the same key in two objects */
    slaw_runs *runs =
        load_ok("t.jsonl", "{\"N\":1,\"D\":2,\"L\":3,\"a\":{\"v\":1},\"b\":{\"v\":2}}\n", NULL);
    assert_true(slaw_runs_value(runs, col_named(runs, "b.v"), 0) == 2);
    slaw_runs_free(runs);
}

/* cJSON decodes \u0000 and ends the string there: "a\u0000b" would be "a". */
static void json_should_refuse_nul_in_strings(void **state)
{
    (void)state;
    assert_load_fails(
        "t.jsonl", "{\"N\":1,\"D\":2,\"L\":3}\n{\"N\":1,\"D\":2,\"L\":3,\"name\":\"a\\u0000b\"}\n",
        NULL, SLAW_EINPUT, "t.jsonl:2:29: record 2: a string holding \\u0000");
    assert_load_fails("t.json", "[{\"N\":1,\"D\":2,\"lo\\u0000ss\":3}]", NULL, SLAW_EINPUT,
                      "t.json:1:18: record 1: a string holding \\u0000");
    /* an escaped backslash before u0000 is text, not an escape */
    slaw_runs *runs = load_ok("t.jsonl", "{\"N\":1,\"D\":2,\"L\":3,\"s\":\"a\\\\u0000\"}\n", NULL);
    assert_string_equal(slaw_runs_label(runs, col_named(runs, "s"), 0), "a\\u0000");
    slaw_runs_free(runs);
}

/* cJSON reads 1e-400 as 0: refused as the same text in a CSV file is, in a
 * column that must hold numbers, and kept as text elsewhere. */
static void json_should_refuse_numbers_out_of_range_as_csv_does(void **state)
{
    (void)state;
    assert_load_fails("t.jsonl", "{\"N\":1,\"D\":2,\"L\":1e-400}\n", NULL, SLAW_EINPUT,
                      "t.jsonl:1: record 1: column 'L' (L): '1e-400' is out of range (too small)");
    assert_load_fails("t.csv", "N,D,L\n1,2,1e-400\n", NULL, SLAW_EINPUT,
                      "t.csv:2: column 'L' (L): '1e-400' is out of range (too small)");
    assert_load_fails("t.json", "[{\"N\":1,\"D\":2,\"L\":3},{\"N\":1,\"D\":-2e-324,\"L\":3}]", NULL,
                      SLAW_EINPUT,
                      "record 2: column 'D' (D): '-2e-324' is out of range (too small)");
    slaw_runs *runs = load_ok("t.jsonl",
                              "{\"N\":1,\"D\":2,\"L\":3,\"g\":1e-400,\"h\":[1,1e999,0]}\n"
                              "{\"N\":1,\"D\":2,\"L\":0.5,\"g\":0,\"h\":[1,2,3]}\n",
                              NULL);
    size_t g = col_named(runs, "g");
    assert_string_equal(slaw_runs_label(runs, g, 0), "1e-400");
    assert_true(isnan(slaw_runs_value(runs, g, 0)));
    assert_true(slaw_runs_value(runs, col_named(runs, "L"), 1) == 0.5);
    assert_string_equal(slaw_runs_label(runs, col_named(runs, "h.1"), 0), "1e999");
    assert_true(slaw_runs_value(runs, col_named(runs, "h.2"), 0) == 0);
    slaw_runs_free(runs);
}

static void json_should_refuse_strings_over_the_size_limit(void **state)
{
    (void)state;
    size_t max = SLAW_MAX_FIELD_BYTES;
    char *text = malloc(max + 128);
    assert_non_null(text);
    strcpy(text, "{\"N\":1,\"D\":2,\"L\":3}\n{\"N\":1,\"D\":2,\"L\":3,\"note\":\"");
    size_t o = strlen(text);
    memset(text + o, 'a', max);
    strcpy(text + o + max, "\"}\n");
    slaw_runs *runs = load_ok("t.jsonl", text, NULL);
    assert_int_equal(strlen(slaw_runs_label(runs, col_named(runs, "note"), 1)), max);
    slaw_runs_free(runs);
    strcpy(text + o + max, "a\"}\n");
    assert_load_fails("t.jsonl", text, NULL, SLAW_ELIMIT,
                      "t.jsonl:2:1: record 2: key 'note': a string longer than the "
                      "1048576-byte limit");
    free(text);
}

/* head, then n opening brackets, the value 1, n closing ones, then tail. */
static char *nested(const char *head, size_t n, const char *tail)
{
    char *s = malloc(strlen(head) + 2 * n + strlen(tail) + 2);
    assert_non_null(s);
    strcpy(s, head);
    size_t o = strlen(s);
    for (size_t i = 0; i < n; i++) s[o++] = '[';
    s[o++] = '1';
    for (size_t i = 0; i < n; i++) s[o++] = ']';
    strcpy(s + o, tail);
    return s;
}

static void json_should_refuse_nesting_over_the_depth_limit(void **state)
{
    (void)state;
    size_t max = SLAW_MAX_JSON_DEPTH;
    /* the document's array and the record's object take two levels */
    char *text = nested("[{\"N\":1,\"D\":2,\"L\":3,\"x\":", max - 2, "}]");
    slaw_runs *runs = load_ok("t.json", text, NULL);
    slaw_runs_free(runs);
    free(text);
    text = nested("[{\"N\":1,\"D\":2,\"L\":3,\"x\":", max - 1, "}]");
    assert_load_fails("t.json", text, NULL, SLAW_ELIMIT,
                      "t.json:1:87: arrays and objects nested deeper than the limit of 64 levels");
    free(text);
    /* deeper than cJSON's own limit (1000): still this message */
    text = nested("{\"N\":1,\"D\":2,\"L\":3}\n{\"x\":", 5000, "}\n");
    assert_load_fails("t.jsonl", text, NULL, SLAW_ELIMIT,
                      "t.jsonl:2:69: arrays and objects nested deeper than the limit of 64 levels");
    free(text);
}

static void json_should_refuse_lines_and_records_over_the_size_limit(void **state)
{
    (void)state;
    size_t max = SLAW_MAX_LINE_BYTES;
    char *text = malloc(max + 128);
    assert_non_null(text);
    /* a JSON Lines line */
    strcpy(text, "{\"N\":1,\"D\":2,\"L\":3}\n{\"N\":1,\"D\":2,\"L\":3,\"pad\":\"");
    size_t o = strlen(text);
    memset(text + o, ' ', max);
    strcpy(text + o + max, "\"}\n");
    assert_load_fails("t.jsonl", text, NULL, SLAW_ELIMIT,
                      "t.jsonl:2:1: a line longer than the 16777216-byte limit");
    /* a record of a JSON document, whose lines are short: refused before
     * cJSON builds its tree */
    strcpy(text, "[\n{\"N\":1,\"D\":2,\"L\":3},\n{\"N\":1,\"D\":2,\"L\":3,\"curve\":[");
    o = strlen(text);
    for (size_t i = 0; i < max / 3; i++) memcpy(text + o + 3 * i, "0,\n", 3);
    strcpy(text + o + 3 * (max / 3), "0]}]\n");
    assert_load_fails("t.json", text, NULL, SLAW_ELIMIT,
                      "t.json:3:1: a record (or other JSON value) longer than the "
                      "16777216-byte limit");
    free(text);
}

/* A record of many numbers too large for a double: each is quoted in the
 * message of the column it is in, and the record's text is searched for
 * them once (not once per number: 4000 of them in 4 MB took minutes). */
static void json_should_quote_many_overflowing_numbers_quickly(void **state)
{
    (void)state;
    size_t pad = SLAW_MAX_FIELD_BYTES, keys = 4000;
    char *text = malloc(4 * (pad + 16) + keys * 24 + 128);
    assert_non_null(text);
    size_t o = (size_t)sprintf(text, "{\"N\":1,\"L\":3");
    for (int p = 0; p < 4; p++) {
        o += (size_t)sprintf(text + o, ",\"pad%d\":\"", p);
        memset(text + o, 'x', pad);
        o += pad;
        text[o++] = '"';
    }
    for (size_t k = 0; k < keys; k++) o += (size_t)sprintf(text + o, ",\"k%zu\":1e999", k);
    sprintf(text + o, "}\n");
    slaw_load_options opt;
    slaw_load_options_init(&opt);
    opt.role_column[SLAW_ROLE_D] = "k3999";
    assert_load_fails(
        "t.jsonl", text, &opt, SLAW_EINPUT,
        "t.jsonl:1: record 1: column 'k3999' (D): '1e999' is out of range (too large)");
    free(text);
}

/* JSON is read whole: a file over the limit is refused before it is read
 * (a sparse file, so the test writes nothing). */
static void json_should_refuse_files_over_the_size_limit(void **state)
{
    (void)state;
    char *dir = temp_dir_create();
    const char *path = temp_file(dir, "huge.jsonl", "{\"N\":1,\"D\":2,\"L\":3}\n");
    int fd = open(path, O_WRONLY);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, (off_t)SLAW_MAX_FILE_BYTES + 1), 0);
    close(fd);
    slaw_runs *runs = NULL;
    slaw_error err;
    char msg[2048];
    assert_int_equal(slaw_runs_load(&path, 1, NULL, &runs, &err), SLAW_ELIMIT);
    slaw_error_text(&err, msg, sizeof msg);
    if (!strstr(msg, "huge.jsonl: a file larger than the 2147483648-byte limit for JSON input"))
        fail_msg("error text '%s'", msg);
    temp_dir_remove(dir);
}

static void json_should_read_a_one_line_document_of_many_records(void **state)
{
    (void)state;
    enum { RUNS = 20000 };
    const char *rec = "{\"N\":1,\"D\":2,\"L\":3}, "; /* 21 bytes */
    size_t n = strlen(rec);
    char *text = malloc(RUNS * n + 8);
    assert_non_null(text);
    text[0] = '[';
    for (size_t i = 0; i < RUNS; i++) memcpy(text + 1 + i * n, rec, n);
    strcpy(text + 1 + RUNS * n - 2, "]");
    slaw_runs *runs = load_ok("t.json", text, NULL);
    assert_int_equal(slaw_runs_count(runs), RUNS);
    assert_int_equal(line_of(runs, RUNS - 1), 1);
    slaw_runs_free(runs);
    /* the column of the last record, far along the one line */
    strcpy(text + 1 + (RUNS - 1) * n, "5]");
    assert_load_fails("t.json", text, NULL, SLAW_EINPUT,
                      "t.json:1:419981: record 20000 is a number, expected an object");
    free(text);
}

static void json_should_refuse_nul_bytes(void **state)
{
    (void)state;
    slaw_runs *runs = NULL;
    slaw_error err;
    char msg[256];
    const char text[] = "[{\"N\":1,\"D\":2,\"L\":3},\n {\"N\":1,\"D\":2,\"L\":3}\0]";
    assert_int_equal(slaw_runs_load_buffer("t.json", text, sizeof text - 1, NULL, &runs, &err),
                     SLAW_EINPUT);
    assert_null(runs);
    assert_string_equal(slaw_error_text(&err, msg, sizeof msg),
                        "t.json:2:21: a NUL byte: this is not a text file");
}

static void json_should_load_json_beside_csv(void **state)
{
    (void)state;
    char *dir = temp_dir_create();
    char a[4096], b[4096];
    snprintf(a, sizeof a, "%s", temp_file(dir, "a.csv", "N,D,L,tag\n1,2,3,x\n"));
    snprintf(b, sizeof b, "%s",
             temp_file(dir, "b.log",
                       "{\"N\": 4, \"D\": 5, \"L\": 6, \"extra\": 1}\n"
                       "{\"N\": 7, \"D\": 8, \"L\": 9, \"tag\": \"y\"}\n"));
    const char *paths[] = {a, b};
    slaw_runs *runs = NULL;
    slaw_error err;
    assert_int_equal(slaw_runs_load(paths, 2, NULL, &runs, &err), SLAW_OK);
    assert_int_equal(slaw_runs_count(runs), 3);
    assert_int_equal(slaw_runs_file_format(runs, 1), SLAW_FORMAT_JSONL);
    size_t tag = col_named(runs, "tag"), extra = col_named(runs, "extra");
    assert_string_equal(slaw_runs_label(runs, tag, 0), "x");
    assert_string_equal(slaw_runs_label(runs, tag, 1), "");
    assert_string_equal(slaw_runs_label(runs, tag, 2), "y");
    assert_true(isnan(slaw_runs_value(runs, extra, 0)));
    assert_true(slaw_runs_value(runs, extra, 1) == 1);
    assert_int_equal(line_of(runs, 2), 2);
    slaw_runs_free(runs);
    temp_dir_remove(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(json_should_read_an_array_of_objects),
        cmocka_unit_test(json_should_give_each_record_the_line_of_its_brace),
        cmocka_unit_test(json_should_read_runs_beside_other_members),
        cmocka_unit_test(json_should_refuse_objects_without_a_runs_array),
        cmocka_unit_test(json_should_read_json_lines),
        cmocka_unit_test(json_should_detect_the_format_from_content),
        cmocka_unit_test(json_should_flatten_nested_values_by_dotted_path),
        cmocka_unit_test(json_should_reach_long_arrays_only_by_path),
        cmocka_unit_test(json_should_treat_null_as_missing),
        cmocka_unit_test(json_should_refuse_records_that_are_not_objects),
        cmocka_unit_test(json_should_report_syntax_errors_with_line_and_column),
        cmocka_unit_test(json_should_refuse_unterminated_arrays_and_trailing_text),
        cmocka_unit_test(json_should_report_bad_values_with_record_and_key),
        cmocka_unit_test(json_should_refuse_a_key_given_twice),
        cmocka_unit_test(json_should_refuse_strings_over_the_size_limit),
        cmocka_unit_test(json_should_refuse_nesting_over_the_depth_limit),
        cmocka_unit_test(json_should_refuse_lines_and_records_over_the_size_limit),
        cmocka_unit_test(json_should_refuse_files_over_the_size_limit),
        cmocka_unit_test(json_should_quote_many_overflowing_numbers_quickly),
        cmocka_unit_test(json_should_read_a_one_line_document_of_many_records),
        cmocka_unit_test(json_should_refuse_nul_bytes),
        cmocka_unit_test(json_should_refuse_a_key_given_twice_whatever_its_values),
        cmocka_unit_test(json_should_refuse_nul_in_strings),
        cmocka_unit_test(json_should_refuse_numbers_out_of_range_as_csv_does),
        cmocka_unit_test(json_should_load_json_beside_csv),
        cmocka_unit_test(json_should_select_elements_by_a_keys_value),
        cmocka_unit_test(json_should_say_which_record_a_selector_missed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
