/* test_selection.c — slaw_selection: the steps that choose the runs (where,
 * per key, drop top), in their order, applied by one function that says
 * what each removed. */
#include "helpers.h"

#include <stdlib.h>
#include <string.h>

/* Seven runs: two seeds at N = 1, 2 and 3, one at N = 4. */
static const char *const sweep = "N,D,seed,loss\n"
                                 "1,1,a,5\n"
                                 "1,1,b,4\n"
                                 "2,1,a,3\n"
                                 "2,1,b,3.5\n"
                                 "3,1,a,2\n"
                                 "3,1,b,9\n"
                                 "4,1,a,1\n";

static const char *const nd[] = {"N", "D"};

static slaw_selection *build(const slaw_step *steps, size_t n)
{
    slaw_selection *sel = slaw_selection_new();
    slaw_error err;
    assert_non_null(sel);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(slaw_selection_add(sel, &steps[i], &err), SLAW_OK);
    return sel;
}

static double loss_at(const slaw_runs *runs, size_t i)
{
    return role_value(runs, SLAW_ROLE_L, i);
}

static const slaw_step where_n2 = {.kind = SLAW_STEP_WHERE, .where = {"N", SLAW_OP_GE, "2"}};
static const slaw_step best = {.kind = SLAW_STEP_PER,
                               .per = {.keep = SLAW_PER_BEST, .columns = nd, .n_columns = 2}};
static const slaw_step drop1 = {.kind = SLAW_STEP_DROP_TOP, .count = 1};

static void apply_should_report_what_each_step_removed(void **state)
{
    (void)state;
    slaw_runs *runs = load_ok("t.csv", sweep, NULL);
    slaw_step steps[] = {where_n2, best, drop1};
    slaw_selection *sel = build(steps, 3);
    size_t removed[3] = {99, 99, 99};
    slaw_error err;
    assert_int_equal(slaw_selection_apply(sel, runs, removed, &err), SLAW_OK);
    assert_int_equal(removed[0], 2); /* N = 1 */
    assert_int_equal(removed[1], 2); /* 3.5 and 9: the worse of their pairs */
    assert_int_equal(removed[2], 1); /* then the highest target left, 3 */
    assert_int_equal(slaw_runs_count(runs), 2);
    assert_true(loss_at(runs, 0) == 2 && loss_at(runs, 1) == 1);
    slaw_selection_free(sel);
    slaw_runs_free(runs);
}

static void order_of_steps_should_matter(void **state)
{
    (void)state;
    /* dropping the top target first takes 9 (N = 3, seed b), so the best
     * of N = 3 is still 2 and the best per key leaves 4, 3, 2, 1; the where
     * then removes N = 1 */
    slaw_runs *runs = load_ok("t.csv", sweep, NULL);
    slaw_step steps[] = {drop1, best, where_n2};
    slaw_selection *sel = build(steps, 3);
    size_t removed[3];
    slaw_error err;
    assert_int_equal(slaw_selection_apply(sel, runs, removed, &err), SLAW_OK);
    assert_int_equal(removed[0], 1);
    assert_int_equal(removed[1], 2); /* 5 (N = 1) and 3.5 (N = 2) */
    assert_int_equal(removed[2], 1); /* N = 1 */
    assert_int_equal(slaw_runs_count(runs), 3);
    assert_true(loss_at(runs, 0) == 3 && loss_at(runs, 1) == 2 && loss_at(runs, 2) == 1);
    slaw_selection_free(sel);
    slaw_runs_free(runs);
}

static void add_where_should_read_the_expression_into_a_condition(void **state)
{
    (void)state;
    slaw_selection *sel = slaw_selection_new();
    slaw_error err;
    assert_int_equal(slaw_selection_add_where(sel, "  results[name=c4].loss <= '3.5' ", &err),
                     SLAW_OK);
    const slaw_step *s = slaw_selection_step(sel, 0);
    assert_int_equal(s->kind, SLAW_STEP_WHERE);
    assert_string_equal(s->where.column, "results[name=c4].loss");
    assert_int_equal(s->where.op, SLAW_OP_LE);
    assert_string_equal(s->where.value, "3.5");
    assert_string_equal(s->text, "  results[name=c4].loss <= '3.5' ");
    assert_int_equal(slaw_selection_add_where(sel, "N 3", &err), SLAW_EUSAGE);
    assert_int_equal(slaw_selection_count(sel), 1);
    assert_null(slaw_selection_step(sel, 1));
    /* a condition given as data gets a text for messages */
    slaw_step quoted = {.kind = SLAW_STEP_WHERE, .where = {"arch", SLAW_OP_NE, " moe"}};
    assert_int_equal(slaw_selection_add(sel, &quoted, &err), SLAW_OK);
    assert_string_equal(slaw_selection_step(sel, 1)->text, "arch != ' moe'");
    slaw_selection_free(sel);
}

static void add_should_refuse_malformed_steps(void **state)
{
    (void)state;
    slaw_selection *sel = slaw_selection_new();
    slaw_error err;
    slaw_step bad[] = {
        {.kind = SLAW_STEP_WHERE, .where = {NULL, SLAW_OP_EQ, "1"}},
        {.kind = SLAW_STEP_WHERE, .where = {"N", (slaw_compare_op)17, "1"}},
        {.kind = SLAW_STEP_WHERE, .where = {"N", SLAW_OP_EQ, NULL}},
        {.kind = SLAW_STEP_PER, .per = {.keep = SLAW_PER_BEST}},
        {.kind = SLAW_STEP_PER, .per = {.keep = SLAW_PER_NONE, .columns = nd, .n_columns = 2}},
        {.kind = SLAW_STEP_DROP_TOP, .count = 0},
        {.kind = (slaw_step_kind)9},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(slaw_selection_add(sel, &bad[i], &err), SLAW_EUSAGE);
    assert_int_equal(slaw_selection_count(sel), 0);
    slaw_selection_free(sel);
}

static void merge_should_put_extra_conditions_before_the_reductions(void **state)
{
    (void)state;
    slaw_step base_steps[] = {where_n2, best, drop1};
    slaw_step extra_steps[] = {{.kind = SLAW_STEP_WHERE, .where = {"seed", SLAW_OP_EQ, "b"}}};
    slaw_selection *base = build(base_steps, 3), *extra = build(extra_steps, 1), *m = NULL;
    slaw_error err;
    assert_int_equal(slaw_selection_merge(base, extra, &m, &err), SLAW_OK);
    assert_int_equal(slaw_selection_count(m), 4);
    assert_string_equal(slaw_selection_step(m, 0)->where.column, "N");
    assert_string_equal(slaw_selection_step(m, 1)->where.column, "seed");
    assert_int_equal(slaw_selection_step(m, 2)->kind, SLAW_STEP_PER);
    assert_int_equal(slaw_selection_step(m, 3)->count, 1);
    slaw_runs *runs = load_ok("t.csv", sweep, NULL);
    size_t removed[4];
    assert_int_equal(slaw_selection_apply(m, runs, removed, &err), SLAW_OK);
    /* seed b at N >= 2: 3.5 and 9, one per key; the top, 9, dropped */
    assert_true(removed[0] == 2 && removed[1] == 3 && removed[2] == 0 && removed[3] == 1);
    assert_int_equal(slaw_runs_count(runs), 1);
    assert_true(loss_at(runs, 0) == 3.5);
    const char *cols[8];
    assert_int_equal(slaw_selection_columns(m, cols, 8), 4);
    assert_string_equal(cols[1], "seed");
    assert_string_equal(cols[3], "D");
    slaw_selection *copy = slaw_selection_copy(m);
    assert_int_equal(slaw_selection_count(copy), 4);
    assert_string_equal(slaw_selection_step(copy, 1)->where.value, "b");
    slaw_selection_free(copy);
    slaw_selection_free(m);
    slaw_selection_free(base);
    slaw_selection_free(extra);
    slaw_runs_free(runs);
}

static void apply_should_name_the_where_step_that_emptied_the_runs(void **state)
{
    (void)state;
    slaw_runs *runs = load_ok("t.csv", sweep, NULL);
    slaw_selection *sel = slaw_selection_new();
    slaw_error err;
    assert_int_equal(slaw_selection_add_where(sel, "N > 1", &err), SLAW_OK);
    assert_int_equal(slaw_selection_add_where(sel, "loss > 100", &err), SLAW_OK);
    assert_int_equal(slaw_selection_apply(sel, runs, NULL, &err), SLAW_EINPUT);
    assert_string_equal(err.message, "no runs left after filtering (7 read): where 'loss > 100' "
                                     "removed the last 5");
    slaw_selection_free(sel);
    slaw_runs_free(runs);
    /* no selection keeps every run, checked */
    runs = load_ok("t.csv", "N,D,loss\n1,1,2\n2,1,-1\n", NULL);
    assert_int_equal(slaw_selection_apply(NULL, runs, NULL, &err), SLAW_OK);
    assert_int_equal(slaw_runs_count(runs), 2);
    slaw_runs_free(runs);
}

static void a_where_before_the_first_reduction_may_drop_unusable_runs(void **state)
{
    (void)state;
    /* a crashed run (no loss) is dropped by the where before the runs are
     * checked; after a reduction it is too late */
    const char *text = "N,D,state,loss\n1,1,ok,3\n2,1,crashed,\n3,1,ok,2\n4,1,ok,1\n";
    slaw_step ok = {.kind = SLAW_STEP_WHERE, .where = {"state", SLAW_OP_EQ, "ok"}};
    slaw_step first[] = {ok, drop1}, late[] = {drop1, ok};
    slaw_selection *a = build(first, 2), *b = build(late, 2);
    slaw_runs *runs = load_ok("t.csv", text, NULL);
    slaw_error err;
    assert_int_equal(slaw_selection_apply(a, runs, NULL, &err), SLAW_OK);
    assert_int_equal(slaw_runs_count(runs), 2);
    slaw_runs_free(runs);
    runs = load_ok("t.csv", text, NULL);
    assert_int_equal(slaw_selection_apply(b, runs, NULL, &err), SLAW_EINPUT);
    assert_int_equal(err.line, 3); /* the crashed run's line */
    slaw_runs_free(runs);
    slaw_selection_free(a);
    slaw_selection_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(apply_should_report_what_each_step_removed),
        cmocka_unit_test(order_of_steps_should_matter),
        cmocka_unit_test(add_where_should_read_the_expression_into_a_condition),
        cmocka_unit_test(add_should_refuse_malformed_steps),
        cmocka_unit_test(merge_should_put_extra_conditions_before_the_reductions),
        cmocka_unit_test(apply_should_name_the_where_step_that_emptied_the_runs),
        cmocka_unit_test(a_where_before_the_first_reduction_may_drop_unusable_runs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
