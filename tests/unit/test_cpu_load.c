/* test_cpu_load.c — the threads a parallel region takes (cpu_load.h): the
 * count of running tasks read from /proc/loadavg's text, the processors
 * left free by others, and, with every usable processor kept busy by
 * spinning processes, one thread. */
#include "cpu_load.h"
#include "helpers.h"

static void the_running_count_should_be_read_from_loadavg(void **state)
{
    (void)state;
    assert_int_equal(cpu_load_runnable("0.00 0.01 0.05 1/123 4567\n"), 1);
    assert_int_equal(cpu_load_runnable("12.50 8.00 3.10 17/2048 99"), 17);
    assert_int_equal(cpu_load_runnable("  0.1  0.2  0.3  3/9 1"), 3);
    assert_int_equal(cpu_load_runnable(""), -1);
    assert_int_equal(cpu_load_runnable("0.1 0.2 0.3"), -1);
    assert_int_equal(cpu_load_runnable("0.1 0.2 0.3 x/9 1"), -1);
    assert_int_equal(cpu_load_runnable("0.1 0.2 0.3 4 1"), -1);
    assert_int_equal(cpu_load_runnable("0.1 0.2 0.3 -4/9 1"), -1);
}

static void threads_should_be_the_free_processors_at_most(void **state)
{
    (void)state;
    static const struct {
        int wanted;
        long cpus, runnable;
        int want;
    } cases[] = {
        {2, 2, 1, 2},  /* only the caller runs: both processors */
        {2, 2, 2, 1},  /* one other task: it holds the second processor */
        {2, 2, 9, 1},  /* busier than the machine: one thread, never none */
        {8, 4, 1, 4},  /* no more threads than processors */
        {4, 8, 3, 4},  /* six free: the four asked for */
        {8, 8, 4, 5},  /* three others: five free */
        {1, 8, 1, 1},  /* one asked: one */
        {0, 8, 1, 1},  /* none asked: one */
        {3, -1, 1, 3}, /* processors unknown: as asked */
        {3, 4, -1, 3}, /* running tasks unknown: as asked */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_int_equal(cpu_load_threads_given(cases[i].wanted, cases[i].cpus, cases[i].runnable),
                         cases[i].want);
}

static void busy_processors_should_leave_one_thread(void **state)
{
    (void)state;
    int cpus = usable_processors();
    if (cpus > BUSY_MAX) skip();
    busy b;
    if (!busy_start(&b, cpus)) skip();
    int threads = cpu_load_threads(cpus + 1);
    busy_stop(&b);
    assert_int_equal(threads, 1);
    assert_int_equal(cpu_load_threads(1), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_running_count_should_be_read_from_loadavg),
        cmocka_unit_test(threads_should_be_the_free_processors_at_most),
        cmocka_unit_test(busy_processors_should_leave_one_thread),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
