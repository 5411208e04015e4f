/* test_artifact_selection.c — the selection of runs in fit files: format 2
 * stores it as data, format 1's command-line texts still read, and either
 * applied again to the runs removes what the fit recorded. */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static slaw_artifact *read_ok(const char *relative)
{
    slaw_artifact *a = NULL;
    slaw_error err;
    char text[2048];
    if (slaw_artifact_read(source_path(relative), &a, &err) != SLAW_OK)
        fail_msg("%s", slaw_error_text(&err, text, sizeof text));
    return a;
}

/* Applies a's selection to the runs file: each step removes what the fit
 * recorded, and leaves the runs fitted. */
static void assert_reapplied(const slaw_artifact *a, const char *runs_file)
{
    const char *path = source_path(runs_file);
    slaw_runs *runs = NULL;
    slaw_error err;
    char text[2048];
    if (slaw_runs_load(&path, 1, NULL, &runs, &err) != SLAW_OK)
        fail_msg("%s", slaw_error_text(&err, text, sizeof text));
    const slaw_selection *sel = slaw_artifact_selection(a);
    size_t n = slaw_selection_count(sel), removed[8];
    assert_true(n > 0 && n <= 8);
    assert_int_equal(slaw_runs_count(runs), slaw_artifact_runs_read(a));
    if (slaw_selection_apply(sel, runs, removed, &err) != SLAW_OK)
        fail_msg("%s", slaw_error_text(&err, text, sizeof text));
    for (size_t i = 0; i < n; i++) assert_int_equal(removed[i], slaw_artifact_removed(a, i));
    slaw_fit_stats st;
    slaw_fit_get_stats(slaw_artifact_fit(a, 0), &st);
    assert_int_equal(slaw_runs_count(runs), st.n);
    slaw_runs_free(runs);
}

/* Written again, a has format 2 and reads back to the same bytes. */
static void assert_rewritten(const slaw_artifact *a)
{
    slaw_artifact *b = NULL;
    slaw_error err;
    char *json = slaw_artifact_to_json(a);
    assert_non_null(strstr(json, "\"format\":\t2,"));
    assert_non_null(strstr(json, "\"selection\":\t["));
    assert_null(strstr(json, "drop_top_loss"));
    assert_int_equal(slaw_artifact_parse("again.json", json, strlen(json), &b, &err), SLAW_OK);
    char *again = slaw_artifact_to_json(b);
    assert_string_equal(json, again);
    const slaw_selection *s = slaw_artifact_selection(a), *t = slaw_artifact_selection(b);
    assert_int_equal(slaw_selection_count(s), slaw_selection_count(t));
    for (size_t i = 0; i < slaw_selection_count(s); i++) {
        assert_int_equal(slaw_selection_step(s, i)->kind, slaw_selection_step(t, i)->kind);
        assert_int_equal(slaw_artifact_removed(a, i), slaw_artifact_removed(b, i));
    }
    free(json);
    free(again);
    slaw_artifact_free(b);
}

static void format1_where_should_read_as_a_condition(void **state)
{
    (void)state;
    slaw_artifact *a = read_ok("tests/cli/data/chinchilla-small-fit.json");
    const slaw_step *s = slaw_selection_step(slaw_artifact_selection(a), 0);
    assert_int_equal(s->kind, SLAW_STEP_WHERE);
    assert_string_equal(s->where.column, "N");
    assert_int_equal(s->where.op, SLAW_OP_LT);
    assert_string_equal(s->where.value, "79e6");
    assert_string_equal(s->text, "N < 79e6");
    assert_reapplied(a, "data/chinchilla/svg_extracted_data.csv");
    assert_rewritten(a);
    slaw_artifact_free(a);
}

static void format1_per_and_drop_top_should_read_as_steps(void **state)
{
    (void)state;
    slaw_artifact *best = read_ok("tests/cli/data/lr-sweep-best-fit.json");
    const slaw_step *s = slaw_selection_step(slaw_artifact_selection(best), 0);
    assert_int_equal(slaw_selection_count(slaw_artifact_selection(best)), 1);
    assert_int_equal(s->kind, SLAW_STEP_PER);
    assert_int_equal(s->per.keep, SLAW_PER_BEST);
    assert_int_equal(s->per.n_columns, 2);
    assert_string_equal(s->per.columns[1], "D");
    assert_reapplied(best, "tests/cli/data/lr-sweep.csv");
    assert_rewritten(best);
    slaw_artifact *top = read_ok("tests/cli/data/chinchilla-baseline.json");
    s = slaw_selection_step(slaw_artifact_selection(top), 0);
    assert_int_equal(s->kind, SLAW_STEP_DROP_TOP);
    assert_int_equal(s->count, 5);
    assert_reapplied(top, "data/chinchilla/svg_extracted_data.csv");
    assert_rewritten(top);
    slaw_artifact_free(best);
    slaw_artifact_free(top);
}

static void format2_should_keep_every_kind_in_order(void **state)
{
    (void)state;
    slaw_artifact *a = read_ok("tests/cli/data/lr-sweep-selection-fit.json");
    const slaw_selection *sel = slaw_artifact_selection(a);
    assert_int_equal(slaw_selection_count(sel), 4);
    const slaw_step *w0 = slaw_selection_step(sel, 0), *w1 = slaw_selection_step(sel, 1);
    assert_string_equal(w0->where.value, "20000000"); /* written as the number 20M is */
    assert_string_equal(w0->text, "params > 20M");
    assert_string_equal(w1->where.value, "s2-lr1");
    assert_int_equal(w1->where.op, SLAW_OP_NE);
    assert_int_equal(slaw_selection_step(sel, 2)->kind, SLAW_STEP_PER);
    assert_int_equal(slaw_selection_step(sel, 3)->count, 2);
    assert_int_equal(slaw_artifact_removed(a, 0), 36);
    assert_int_equal(slaw_artifact_removed(a, 1), 9);
    assert_int_equal(slaw_artifact_removed(a, 2), 144);
    assert_int_equal(slaw_artifact_removed(a, 3), 2);
    assert_reapplied(a, "tests/cli/data/lr-sweep.csv");
    assert_rewritten(a);
    slaw_artifact_free(a);
}

/* A fit file edited by hand: each malformed selection is refused naming
 * the field. */
static void malformed_selections_should_be_refused_naming_the_field(void **state)
{
    (void)state;
    static const struct {
        const char *from, *to, *want;
    } cases[] = {
        {"\"kind\":\t\"per\",\n\t\t\t\t\t\t\"keep\"",
         "\"kind\":\t\"per\",\n\t\t\t\t\t\t\"keep\":1,\"x\"",
         "settings.selection[2].keep must be \"best\" or \"mean\""},
        {"\"column\":\t\"params\"", "\"column\":\t\"\"", "settings.selection[0].expression needs"},
        {"\"value\":\t20000000", "\"value\":\tnull", "settings.selection[0].expression needs"},
        {"\"text\":\t\"params > 20M\"", "\"text\":\t7", "settings.selection[0].text must be"},
        {"\"selection\":\t[", "\"selection\":\t[1, ", "settings.selection[0] must be an object"},
        {"\"kind\":\t\"where\",\n\t\t\t\t\t\t\"removed\":\t9",
         "\"kind\":\t\"where\",\n\t\t\t\t\t\t\"removed\":\t-9", "data.filters[1] needs kind"},
    };
    FILE *f = fopen(source_path("tests/cli/data/lr-sweep-selection-fit.json"), "rb");
    assert_non_null(f);
    static char text[1 << 16];
    size_t len = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[len] = '\0';
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *at = strstr(text, cases[i].from);
        assert_non_null(at);
        size_t k = (size_t)(at - text), from = strlen(cases[i].from), to = strlen(cases[i].to);
        char *edited = malloc(len - from + to + 1);
        memcpy(edited, text, k);
        memcpy(edited + k, cases[i].to, to);
        memcpy(edited + k + to, at + from, len - k - from + 1);
        slaw_artifact *a = NULL;
        slaw_error err;
        assert_int_equal(slaw_artifact_parse("edited.json", edited, strlen(edited), &a, &err),
                         SLAW_EINPUT);
        assert_string_equal(err.file, "edited.json");
        if (!strstr(err.message, cases[i].want))
            fail_msg("case %zu: %s; want %s", i, err.message, cases[i].want);
        free(edited);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(format1_where_should_read_as_a_condition),
        cmocka_unit_test(format1_per_and_drop_top_should_read_as_steps),
        cmocka_unit_test(format2_should_keep_every_kind_in_order),
        cmocka_unit_test(malformed_selections_should_be_refused_naming_the_field),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
