/* test_runs_keys.c — runs_value_ranks: the rank of each value among the
 * distinct values, the same through the hash table (few distinct values)
 * and through sorting (many), and the summary built on it, on tables small
 * and past the size at which their arrays ask for huge pages. */
#include "helpers.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runs.h" /* runs_value_ranks, key_bits */

static int compare_keys(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Checks rank against a plain sort of the keys: equal keys equal ranks,
 * ranks in key order from 0, and u the number of distinct keys. */
static void expect_ranks(const double *v, size_t n, size_t u, const uint32_t *rank)
{
    uint64_t *keys = malloc(n * sizeof *keys);
    assert_non_null(keys);
    for (size_t i = 0; i < n; i++) keys[i] = key_bits(v[i]);
    qsort(keys, n, sizeof *keys, compare_keys);
    size_t distinct = 1;
    for (size_t i = 1; i < n; i++)
        if (keys[i] != keys[distinct - 1]) keys[distinct++] = keys[i];
    assert_int_equal(u, distinct);
    for (size_t i = 0; i < n; i++) {
        uint64_t *at =
            bsearch(&(uint64_t){key_bits(v[i])}, keys, distinct, sizeof *keys, compare_keys);
        assert_non_null(at);
        if (rank[i] != (uint32_t)(at - keys))
            fail_msg("value %zu (%.17g): rank %u, want %zu", i, v[i], rank[i], (size_t)(at - keys));
    }
    free(keys);
}

/* distinct values cycled over n runs in a scrambled order, -0 among them */
static void check_ranks_of(size_t n, size_t distinct)
{
    double *v = malloc(n * sizeof *v);
    uint32_t *rank = malloc(n * sizeof *rank);
    assert_non_null(v);
    assert_non_null(rank);
    for (size_t i = 0; i < n; i++) {
        size_t j = (i * 7919) % distinct;
        v[i] = j == 0 ? -0.0 : j == 1 ? 0.0 : (j % 3 ? 1 : -1) * 1e7 * (1 + (double)j / 3);
    }
    v[n / 2] = NAN; /* a missing cell: a value of its own */
    size_t u = runs_value_ranks(v, n, rank);
    expect_ranks(v, n, u, rank);
    free(v);
    free(rank);
}

static void ranks_should_be_the_same_whether_values_repeat_or_not(void **state)
{
    (void)state;
    check_ranks_of(10, 3);         /* a few values: the hash table */
    check_ranks_of(50000, 3000);   /* past the first table: the table grows */
    check_ranks_of(20000, 20000);  /* one value a run: past the table's limit, sorted */
    check_ranks_of(100000, 20000); /* more than n/8 values: sorted */
}

/* The summary's counts through both ways of counting pairs: a table of
 * N x D ranks (few sizes) and sorting (N and D nearly one a run). */
static void summary_should_count_pairs_of_many_runs_both_ways(void **state)
{
    (void)state;
    size_t n = 30000;
    char *text = malloc(n * 40 + 16), *o = text;
    assert_non_null(text);
    o += sprintf(o, "N,D,L\n");
    for (size_t i = 0; i < n; i++) /* 100 N x 50 D, each pair 6 times */
        o += sprintf(o, "%zu,%zu,%zu\n", 1000 + i % 100, 5000 + (i / 100) % 50, i);
    slaw_runs *runs = load_ok("t.csv", text, NULL);
    slaw_runs_summary s;
    slaw_runs_summarize(runs, &s);
    assert_int_equal(s.role[SLAW_ROLE_N].distinct, 100);
    assert_int_equal(s.role[SLAW_ROLE_D].distinct, 50);
    assert_int_equal(s.duplicate_nd, n - 5000);
    assert_int_equal(s.repeated_pairs, 5000);
    assert_int_equal(s.most_repeats, 6);
    slaw_runs_free(runs);
    o = text + sprintf(text, "N,D,L\n");
    for (size_t i = 0; i < n; i++) /* N one a run but every 10th repeats; D one a run */
        o += sprintf(o, "%zu,%zu,1\n", 1000 + i - (i % 10 == 9), 70000 + i - (i % 10 == 9));
    runs = load_ok("t.csv", text, NULL);
    slaw_runs_summarize(runs, &s);
    assert_int_equal(s.role[SLAW_ROLE_N].distinct, n - n / 10);
    assert_int_equal(s.duplicate_nd, n / 10);
    assert_int_equal(s.repeated_pairs, n / 10);
    assert_int_equal(s.most_repeats, 2);
    slaw_runs_free(runs);
    free(text);
}

/* A table whose columns grow past 4 MB (runs.c's advice for huge pages,
 * after which realloc must still move them whole) keeps every value, and its
 * summary counts as a small one's. */
static void table_past_huge_page_advice_should_keep_its_values(void **state)
{
    (void)state;
    size_t n = 600000; /* columns of 8 bytes a run: 4.8 MB, grown by doubling past 4 MB */
    char *text = malloc(n * 24 + 16), *o = text;
    assert_non_null(text);
    o += sprintf(o, "N,D,L\n");
    for (size_t i = 0; i < n; i++) o += sprintf(o, "%zu,%zu,%zu\n", 1 + i % 1000, 1 + i / 1000, i);
    slaw_runs *runs = load_ok("t.csv", text, NULL);
    assert_int_equal(slaw_runs_count(runs), n);
    size_t col;
    assert_true(slaw_runs_role_column(runs, SLAW_ROLE_L, &col));
    const double *loss = runs_values(runs, col);
    for (size_t i = 0; i < n; i += 997) assert_true(loss[i] == (double)i);
    assert_true(loss[n - 1] == (double)(n - 1));
    slaw_runs_summary s;
    slaw_runs_summarize(runs, &s);
    assert_int_equal(s.role[SLAW_ROLE_N].distinct, 1000);
    assert_int_equal(s.role[SLAW_ROLE_D].distinct, n / 1000);
    assert_int_equal(s.duplicate_nd, 0);
    slaw_runs_free(runs);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ranks_should_be_the_same_whether_values_repeat_or_not),
        cmocka_unit_test(summary_should_count_pairs_of_many_runs_both_ways),
        cmocka_unit_test(table_past_huge_page_advice_should_keep_its_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
