/* test_filter.c — --where comparisons and --drop-top-loss. */
#include "helpers.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Five runs, in order a..e; run c has no arch and no lr. */
static const char *const sweep = "name,params,tokens,loss,arch,lr,size\n"
                                 "a,1e8,1e9,3.0,dense,1e-3,1.3B\n"
                                 "b,3e8,1e9,2.8,moe,2e-3,small\n"
                                 "c,1e9,2e9,2.5,,,1.3B\n"
                                 "d,3e9,2e9,2.4,dense,1e-3,7B\n"
                                 "e,1e10,5e9,2.1,moe,5e-4,\n";

/* The names of the runs left, e.g. "acd". */
static const char *kept(const slaw_runs *runs)
{
    static char buf[64];
    size_t col, n = slaw_runs_count(runs);
    assert_true(slaw_runs_column_find(runs, "name", &col));
    for (size_t i = 0; i < n && i + 1 < sizeof buf; i++) buf[i] = slaw_runs_label(runs, col, i)[0];
    buf[n < sizeof buf ? n : sizeof buf - 1] = '\0';
    return buf;
}

/* Applies one --where to a fresh copy of text; checks what is removed and left. */
static void assert_where(const char *text, const char *expr, size_t want_removed,
                         const char *want_kept)
{
    slaw_runs *runs = load_ok("t.csv", text, NULL);
    slaw_error err;
    size_t removed = 99;
    char msg[2048];
    if (slaw_runs_where(runs, expr, &removed, &err) != SLAW_OK)
        fail_msg("where '%s' failed: %s", expr, slaw_error_text(&err, msg, sizeof msg));
    if (removed != want_removed || strcmp(kept(runs), want_kept) != 0)
        fail_msg("where '%s': removed %zu, kept '%s'; want %zu, '%s'", expr, removed, kept(runs),
                 want_removed, want_kept);
    slaw_runs_free(runs);
}

static void assert_where_fails(const char *expr, const char *want)
{
    slaw_runs *runs = load_ok("t.csv", sweep, NULL);
    slaw_error err;
    size_t removed = 99;
    assert_int_equal(slaw_runs_where(runs, expr, &removed, &err), SLAW_EUSAGE);
    assert_string_equal(err.message, want);
    assert_int_equal(removed, 99);
    assert_int_equal(slaw_runs_count(runs), 5); /* untouched */
    slaw_runs_free(runs);
}

static void where_should_apply_each_operator(void **state)
{
    (void)state;
    assert_where(sweep, "params < 1e9", 3, "ab");
    assert_where(sweep, "params <= 1e9", 2, "abc");
    assert_where(sweep, "params > 1e9", 3, "de");
    assert_where(sweep, "params >= 1e9", 2, "cde");
    assert_where(sweep, "params == 1e9", 4, "c");
    assert_where(sweep, "params != 1e9", 1, "abde");
}

static void where_should_accept_suffixes_blanks_and_quotes(void **state)
{
    (void)state;
    assert_where(sweep, "params>=1B", 2, "cde");
    assert_where(sweep, "  params  <  300M ", 4, "a");
    assert_where(sweep, "params >= 1_000_000_000", 2, "cde");
    assert_where(sweep, "tokens == '2B'", 3, "cd");
    assert_where(sweep, "tokens == \"2G\"", 3, "cd");
    assert_where(sweep, "loss <= 2.5e0", 2, "cde");
}

static void where_should_find_columns_by_role_letter_and_loose_name(void **state)
{
    (void)state;
    assert_where(sweep, "N > 1B", 3, "de");
    assert_where(sweep, "L < 2.5", 3, "de");
    assert_where(sweep, "D >= 2B", 2, "cde");
    assert_where(sweep, "C >= 6e18", 2, "cde"); /* the derived column: 6·N·D */
    assert_where(sweep, "PARAMS < 1e9", 3, "ab");
}

static void where_should_compare_labels_with_eq_and_ne_only(void **state)
{
    (void)state;
    assert_where(sweep, "arch == dense", 3, "ad");
    assert_where(sweep, "arch == 'moe'", 3, "be");
    assert_where(sweep, "name == c", 4, "c");
    assert_where(sweep, "arch == Dense", 5, ""); /* text compares exactly */
    assert_where_fails("arch < m",
                       "where 'arch < m': column 'arch' holds text; only == and != apply");
    assert_where_fails("arch >= dense",
                       "where 'arch >= dense': column 'arch' holds text; only == and != apply");
}

static void where_should_never_match_missing_values(void **state)
{
    (void)state;
    assert_where(sweep, "arch != dense", 3, "be"); /* not c, which has no arch */
    assert_where(sweep, "arch == ''", 5, "");
    assert_where(sweep, "lr < 1", 1, "abde");
    assert_where(sweep, "lr != 5", 1, "abde");
    assert_where(sweep, "size != small", 2, "acd"); /* not e, which has no size */
}

static void where_should_compare_numbers_in_label_columns_by_value(void **state)
{
    (void)state;
    /* run a's "1.3B" was read before the column turned to text, run c's after */
    assert_where(sweep, "size == 1.3B", 3, "ac");
    assert_where(sweep, "size == 1300000000", 3, "ac");
    assert_where(sweep, "size != 1.3B", 3, "bd");
    assert_where(sweep, "size == small", 4, "b");
    assert_where(sweep, "size == 7e9", 4, "d");
}

static void where_should_be_repeatable_and_anded(void **state)
{
    (void)state;
    slaw_runs *runs = load_ok("t.csv", sweep, NULL);
    slaw_error err;
    size_t removed;
    assert_int_equal(slaw_runs_where(runs, "N >= 3e8", &removed, &err), SLAW_OK);
    assert_int_equal(removed, 1);
    assert_int_equal(slaw_runs_where(runs, "arch == moe", &removed, &err), SLAW_OK);
    assert_int_equal(removed, 2); /* c (missing) and d */
    assert_string_equal(kept(runs), "be");
    assert_int_equal(slaw_runs_file_rows(runs, 0), 2);
    const char *file;
    long line;
    slaw_runs_source(runs, 1, &file, &line);
    assert_int_equal(line, 6);
    assert_true(role_value(runs, SLAW_ROLE_L, 0) == 2.8);
    assert_int_equal(slaw_runs_where(runs, "L > 100", NULL, &err), SLAW_OK);
    assert_int_equal(slaw_runs_count(runs), 0);
    slaw_runs_free(runs);
}

static void filter_should_name_the_filter_that_left_no_run(void **state)
{
    (void)state;
    slaw_runs *runs = load_ok("t.csv", sweep, NULL);
    slaw_error err;
    const char *where[] = {"N >= 3e8", "N > 1e12", "L > 0"};
    slaw_selection *sel = slaw_selection_new();
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(slaw_selection_add_where(sel, where[i], &err), SLAW_OK);
    assert_int_equal(slaw_selection_apply(sel, runs, NULL, &err), SLAW_EINPUT);
    assert_string_equal(err.message, "no runs left after filtering (5 read): where 'N > 1e12' "
                                     "removed the last 4");
    slaw_selection_free(sel);
    slaw_runs_free(runs);
    char col[64];
    assert_true(slaw_where_column("results[name=c4_val].loss <= 3", col, sizeof col));
    assert_string_equal(col, "results[name=c4_val].loss");
    assert_true(slaw_where_column("results[name==x].loss != 3", col, sizeof col));
    assert_string_equal(col, "results[name==x].loss");
}

static void where_should_refuse_malformed_expressions(void **state)
{
    (void)state;
    static const char *const bad[] = {"N 5", "N >", "> 5", "N = 5", "", "N <> 5"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char want[256];
        snprintf(want, sizeof want,
                 "where '%s': expected COLUMN OP VALUE with OP one of < <= > >= == !=", bad[i]);
        if (!strcmp(bad[i], "N <> 5")) /* "<" then the value "> 5" */
            snprintf(want, sizeof want, "where 'N <> 5': '> 5' is not a number");
        assert_where_fails(bad[i], want);
    }
    assert_where_fails("foo > 1", "where 'foo > 1': no column 'foo'");
    assert_where_fails("N =< 5", "where 'N =< 5': no column 'N ='");
    assert_where_fails("N > abc", "where 'N > abc': 'abc' is not a number");
    assert_where_fails("N > 1.3Q",
                       "where 'N > 1.3Q': '1.3Q' is an unknown suffix (use k, M, B or G, T, P)");
    assert_where_fails("N > nan", "where 'N > nan': 'nan' is not a finite number");
}

static void drop_top_should_drop_the_k_highest_targets(void **state)
{
    (void)state;
    slaw_runs *runs = load_ok("t.csv", sweep, NULL);
    slaw_error err;
    size_t removed = 99;
    assert_int_equal(slaw_runs_drop_top(runs, 2, &removed, &err), SLAW_OK);
    assert_int_equal(removed, 2);
    assert_string_equal(kept(runs), "cde");
    assert_int_equal(slaw_runs_drop_top(runs, 0, &removed, &err), SLAW_OK);
    assert_int_equal(removed, 0);
    assert_string_equal(kept(runs), "cde");
    slaw_runs_free(runs);
}

static void drop_top_should_drop_every_run_tied_at_the_cut(void **state)
{
    (void)state;
    static const char *const tied = "name,N,D,L\n"
                                    "a,1,1,2\n"
                                    "b,1,1,3\n"
                                    "c,1,1,2.5\n"
                                    "d,1,1,1\n"
                                    "e,1,1,2.5\n";
    static const struct {
        size_t k, removed;
        const char *kept;
    } cases[] = {{1, 1, "acde"}, {2, 3, "ad"}, {3, 3, "ad"}, {4, 4, "d"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        slaw_runs *runs = load_ok("t.csv", tied, NULL);
        slaw_error err;
        size_t removed = 99;
        assert_int_equal(slaw_runs_drop_top(runs, cases[i].k, &removed, &err), SLAW_OK);
        assert_int_equal(removed, cases[i].removed);
        assert_string_equal(kept(runs), cases[i].kept);
        slaw_runs_free(runs);
    }
}

static void drop_top_should_refuse_to_drop_every_run(void **state)
{
    (void)state;
    slaw_runs *runs = load_ok("t.csv", sweep, NULL);
    slaw_error err;
    size_t removed = 99;
    assert_int_equal(slaw_runs_drop_top(runs, 5, &removed, &err), SLAW_EUSAGE);
    assert_string_equal(err.message, "drop_top 5: only 5 runs; nothing would be left");
    assert_int_equal(slaw_runs_drop_top(runs, 9, &removed, &err), SLAW_EUSAGE);
    assert_string_equal(err.message, "drop_top 9: only 5 runs; nothing would be left");
    assert_int_equal(removed, 99);
    assert_int_equal(slaw_runs_count(runs), 5);
    slaw_runs_free(runs);

    runs = load_ok("t.csv", "name,N,D,L\na,1,1,2\nb,1,1,2\nc,1,1,2\n", NULL);
    assert_int_equal(slaw_runs_drop_top(runs, 1, &removed, &err), SLAW_EUSAGE);
    assert_string_equal(err.message, "drop_top 1: the target ties at its top value in "
                                     "every run; nothing would be left");
    assert_int_equal(slaw_runs_count(runs), 3);
    slaw_runs_free(runs);

    runs = load_ok("t.csv", "name,N,D\na,1,1\nb,2,2\n", NULL);
    assert_int_equal(slaw_runs_drop_top(runs, 1, &removed, &err), SLAW_EUSAGE);
    assert_string_equal(err.message,
                        "drop_top: no target column (name one with role_column[L] COLUMN)");
    slaw_runs_free(runs);
}

static void where_column_should_be_read_as_the_filter_reads_it(void **state)
{
    (void)state;
    char col[256];
    assert_true(slaw_where_column("N >= 1e9", col, sizeof col));
    assert_string_equal(col, "N");
    assert_true(slaw_where_column("  results.1.loss<3.5", col, sizeof col));
    assert_string_equal(col, "results.1.loss");
    assert_true(slaw_where_column("arch != 'moe'", col, sizeof col));
    assert_string_equal(col, "arch");
    assert_false(slaw_where_column("no operator", col, sizeof col));
    assert_false(slaw_where_column(">= 3", col, sizeof col));
    assert_false(slaw_where_column("N >= 3", col, 1)); /* does not fit */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(where_column_should_be_read_as_the_filter_reads_it),
        cmocka_unit_test(where_should_apply_each_operator),
        cmocka_unit_test(where_should_accept_suffixes_blanks_and_quotes),
        cmocka_unit_test(where_should_find_columns_by_role_letter_and_loose_name),
        cmocka_unit_test(where_should_compare_labels_with_eq_and_ne_only),
        cmocka_unit_test(where_should_never_match_missing_values),
        cmocka_unit_test(where_should_compare_numbers_in_label_columns_by_value),
        cmocka_unit_test(where_should_be_repeatable_and_anded),
        cmocka_unit_test(where_should_refuse_malformed_expressions),
        cmocka_unit_test(filter_should_name_the_filter_that_left_no_run),
        cmocka_unit_test(drop_top_should_drop_the_k_highest_targets),
        cmocka_unit_test(drop_top_should_drop_every_run_tied_at_the_cut),
        cmocka_unit_test(drop_top_should_refuse_to_drop_every_run),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
