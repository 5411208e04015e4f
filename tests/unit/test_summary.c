/* test_summary.c — slaw_runs_summarize: per-role ranges, decades, distinct
 * values and duplicate (N, D) pairs, as `slaw inspect` prints them. */
#include "helpers.h"

#include <math.h>
#include <string.h>

static void summary_should_give_range_decades_and_distinct_per_role(void **state)
{
    (void)state;
    slaw_runs *runs =
        load_ok("t.csv", "N,D,L\n1e8,1e9,3\n1e8,1e9,2.5\n1e10,1e9,2\n1e9,1e11,2\n", NULL);
    slaw_runs_summary s;
    slaw_runs_summarize(runs, &s);
    assert_int_equal(s.runs, 4);
    assert_true(s.role[SLAW_ROLE_N].present);
    assert_true(s.role[SLAW_ROLE_N].min == 1e8);
    assert_true(s.role[SLAW_ROLE_N].max == 1e10);
    assert_close(s.role[SLAW_ROLE_N].decades, 2.0, 1e-12);
    assert_int_equal(s.role[SLAW_ROLE_N].distinct, 3);
    assert_int_equal(s.role[SLAW_ROLE_D].distinct, 2);
    assert_close(s.role[SLAW_ROLE_D].decades, 2.0, 1e-12);
    assert_true(s.role[SLAW_ROLE_C].present); /* derived */
    assert_true(s.role[SLAW_ROLE_C].min == 6e17);
    assert_true(s.role[SLAW_ROLE_C].max == 6.0 * 1e9 * 1e11);
    assert_true(s.role[SLAW_ROLE_L].min == 2);
    assert_true(s.role[SLAW_ROLE_L].max == 3);
    assert_close(s.role[SLAW_ROLE_L].decades, log10(1.5), 1e-12);
    assert_int_equal(s.role[SLAW_ROLE_L].distinct, 0); /* counted for sizes and groups only */
    assert_false(s.role[SLAW_ROLE_GROUP].present);
    assert_int_equal(s.duplicate_nd, 1); /* run 2 repeats run 1's (N, D) */
    slaw_runs_free(runs);
}

static void summary_should_count_each_repeat_of_a_pair(void **state)
{
    (void)state;
    slaw_runs *runs = load_ok("t.csv", "N,D,L\n1,2,3\n3,4,5\n1,2,3\n1,2,4\n3,4,6\n2,1,1\n", NULL);
    slaw_runs_summary s;
    slaw_runs_summarize(runs, &s);
    assert_int_equal(s.duplicate_nd, 3);
    slaw_runs_free(runs);
    /* (N, D) needs both: no D, no count */
    runs = load_ok("t.csv", "N,L\n1,3\n1,3\n", NULL);
    slaw_runs_summarize(runs, &s);
    assert_false(s.role[SLAW_ROLE_D].present);
    assert_int_equal(s.duplicate_nd, 0);
    slaw_runs_free(runs);
}

static void summary_should_give_zero_decades_without_a_positive_minimum(void **state)
{
    (void)state;
    slaw_runs *runs = load_ok("t.csv", "N,D,L\n1,2,-1\n1,2,3\n", NULL);
    slaw_runs_summary s;
    slaw_runs_summarize(runs, &s);
    assert_true(s.role[SLAW_ROLE_L].min == -1);
    assert_true(s.role[SLAW_ROLE_L].decades == 0);
    slaw_runs_free(runs);
}

static void summary_should_count_distinct_labels_of_a_group(void **state)
{
    (void)state;
    slaw_load_options opt;
    slaw_load_options_init(&opt);
    opt.role_column[SLAW_ROLE_GROUP] = "arch";
    slaw_runs *runs = load_ok("t.csv", "arch,N,D,L\ndense,1,2,3\nmoe,1,2,3\ndense,2,2,3\n", &opt);
    slaw_runs_summary s;
    slaw_runs_summarize(runs, &s);
    assert_true(s.role[SLAW_ROLE_GROUP].present);
    assert_int_equal(s.role[SLAW_ROLE_GROUP].distinct, 2);
    slaw_runs_free(runs);
    /* A numeric group column (seeds) is counted too; a weight is not. */
    opt.role_column[SLAW_ROLE_GROUP] = "seed";
    opt.role_column[SLAW_ROLE_WEIGHT] = "w";
    runs = load_ok("t.csv", "seed,w,N,D,L\n1,1,1,2,3\n2,0.5,1,2,3\n3,1,2,2,3\n1,2,2,2,3\n", &opt);
    slaw_runs_summarize(runs, &s);
    assert_true(s.role[SLAW_ROLE_GROUP].counted);
    assert_int_equal(s.role[SLAW_ROLE_GROUP].distinct, 3);
    assert_false(s.role[SLAW_ROLE_WEIGHT].counted);
    assert_false(s.role[SLAW_ROLE_L].counted);
    assert_true(s.role[SLAW_ROLE_N].counted);
    slaw_runs_free(runs);
}

static void summary_should_describe_the_runs_left_after_filters(void **state)
{
    (void)state;
    slaw_runs *runs = load_ok("t.csv", "N,D,L\n1e8,1e9,3\n1e9,1e9,2.5\n1e10,1e9,2\n", NULL);
    slaw_error err;
    assert_int_equal(slaw_runs_where(runs, "N >= 1e9", NULL, &err), SLAW_OK);
    slaw_runs_summary s;
    slaw_runs_summarize(runs, &s);
    assert_int_equal(s.runs, 2);
    assert_true(s.role[SLAW_ROLE_N].min == 1e9);
    assert_close(s.role[SLAW_ROLE_N].decades, 1.0, 1e-12);
    assert_int_equal(slaw_runs_where(runs, "N > 1e20", NULL, &err), SLAW_OK);
    slaw_runs_summarize(runs, &s); /* none left: counts only, no crash */
    assert_int_equal(s.runs, 0);
    assert_false(s.role[SLAW_ROLE_N].present);
    slaw_runs_free(runs);
}

static void summary_should_count_repeats_within_groups_only(void **state)
{
    (void)state;
    slaw_load_options lo;
    slaw_load_options_init(&lo);
    lo.role_column[SLAW_ROLE_GROUP] = "set";
    const char *csv = "set,N,D,L\nweb,1,2,3\ncode,1,2,3\nweb,1,2,2.9\nweb,1,2,2.8\ncode,5,2,1\n";
    slaw_runs *runs = load_ok("t.csv", csv, &lo);
    slaw_runs_summary s;
    slaw_runs_summarize(runs, &s);
    assert_int_equal(s.duplicate_nd, 2); /* web's two repeats; code's (1, 2) is its own */
    assert_int_equal(s.repeated_pairs, 1);
    assert_int_equal(s.most_repeats, 3);
    slaw_runs_free(runs);
    runs = load_ok("t.csv", csv, NULL); /* without groups every (1, 2) is one pair */
    slaw_runs_summarize(runs, &s);
    assert_int_equal(s.duplicate_nd, 3);
    assert_int_equal(s.most_repeats, 4);
    slaw_runs_free(runs);
}

/* Repeats are found the same way whether the sizes take few values (ranks
 * into a table) or nearly one per run (sorting whole records), with -0 and
 * 0 one value and missing sizes one value of their own. */
static void summary_should_count_repeats_whether_sizes_repeat_or_not(void **state)
{
    (void)state;
    slaw_runs_summary s;
    /* 5 N x 5 D values in 6 runs: more combinations than runs allow */
    slaw_runs *runs = load_ok("t.csv", "N,D,L\n1,1,1\n2,2,1\n3,3,1\n4,4,1\n1,1,2\n5,5,1\n", NULL);
    slaw_runs_summarize(runs, &s);
    assert_int_equal(s.duplicate_nd, 1);
    assert_int_equal(s.repeated_pairs, 1);
    assert_int_equal(s.most_repeats, 2);
    slaw_runs_free(runs);
    /* 2 N x 2 D values in 6 runs, -0 as 0 and a missing N */
    runs = load_ok("t.csv", "N,D,L\n0,1,1\n-0,1,2\n7,2,1\n,2,1\n,2,3\n7,1,1\n", NULL);
    slaw_runs_summarize(runs, &s);
    assert_int_equal(s.duplicate_nd, 2); /* (0, 1) twice, (missing, 2) twice */
    assert_int_equal(s.repeated_pairs, 2);
    assert_int_equal(s.most_repeats, 2);
    slaw_runs_free(runs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(summary_should_give_range_decades_and_distinct_per_role),
        cmocka_unit_test(summary_should_count_each_repeat_of_a_pair),
        cmocka_unit_test(summary_should_give_zero_decades_without_a_positive_minimum),
        cmocka_unit_test(summary_should_count_distinct_labels_of_a_group),
        cmocka_unit_test(summary_should_describe_the_runs_left_after_filters),
        cmocka_unit_test(summary_should_count_repeats_within_groups_only),
        cmocka_unit_test(summary_should_count_repeats_whether_sizes_repeat_or_not),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
