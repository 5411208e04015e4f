/* test_threads.c — a fit too small to share among threads opens no parallel
 * region: with two threads allowed it starts no thread (one that a loaded
 * machine could deschedule while the fit waits for it); nor does a large one
 * while every processor is busy with other processes.
 *
 * Counts the process's threads in /proc/self/task (Linux; skipped
 * elsewhere).  The tests run in this order in one process, and libgomp keeps
 * a thread once it has started it, so the small fits come first. */
#include "helpers.h"

#include <dirent.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>

/* The process's threads, or -1 where /proc/self/task cannot be read. */
static long thread_count(void)
{
    DIR *dir = opendir("/proc/self/task");
    if (!dir) return -1;
    long n = 0;
    for (struct dirent *e; (e = readdir(dir));)
        if (e->d_name[0] != '.') n++;
    closedir(dir);
    return n;
}

/* n runs of L = 1.8 + 380 N^-0.32 with a fixed wiggle of about 1%. */
static slaw_runs *saturating_runs(size_t n)
{
    char *csv = malloc(n * 64 + 16);
    size_t o = (size_t)sprintf(csv, "N,loss\n");
    for (size_t i = 0; i < n; i++) {
        double N = 1e7 * pow(1e3, (double)i / (double)(n - 1));
        double loss = (1.8 + 380 * pow(N, -0.32)) * (1 + 0.01 * sin(7.0 * (double)i));
        o += (size_t)sprintf(csv + o, "%.17g,%.17g\n", N, loss);
    }
    slaw_runs *runs = NULL;
    slaw_error err;
    assert_int_equal(load_text("threads.csv", csv, NULL, &runs, &err), SLAW_OK);
    free(csv);
    return runs;
}

static void fit_with_two_threads(size_t runs_n, const char *grid, size_t bootstrap)
{
    slaw_runs *runs = saturating_runs(runs_n);
    slaw_fit_options opt;
    slaw_fit_options_init(&opt);
    opt.law = "saturating";
    opt.threads = 2;
    opt.grid = grid;
    opt.bootstrap = bootstrap;
    opt.seed = 1;
    slaw_artifact *a = NULL;
    slaw_error err;
    if (slaw_fit_runs(runs, &opt, &a, &err) != SLAW_OK) fail_msg("fit failed: %s", err.message);
    slaw_artifact_free(a);
    slaw_runs_free(runs);
}

static void small_fits_should_start_no_thread(void **state)
{
    (void)state;
    if (thread_count() < 0) skip();
    assert_int_equal(thread_count(), 1);
    /* the default search: 7 projected starts, one polished */
    fit_with_two_threads(250, NULL, 0);
    fit_with_two_threads(1000, NULL, 0);
    /* 45 starts screened on 250 runs: 11,250 law evaluations, under the
     * limit of 50,000 (FIT_PARALLEL_WORK) */
    fit_with_two_threads(250, "e=-1:1:0.5,a=0:8:1,alpha=0.3", 0);
    assert_int_equal(thread_count(), 1);
}

/* With every usable processor busy, fits large enough to share (315 starts
 * × 250 runs; 200 resamples × 250 runs × 10) keep to one thread: a second
 * would wait for a processor, and the end of the region for it. */
static void busy_processors_should_keep_a_large_fit_on_one_thread(void **state)
{
    (void)state;
    int cpus = usable_processors();
    if (thread_count() < 0 || cpus > BUSY_MAX) skip();
    busy b;
    if (!busy_start(&b, cpus)) skip();
    fit_with_two_threads(250, "e=-1:1:0.5,a=0:8:1,alpha=0.05:1.55:0.25", 0); /* 78,750 */
    fit_with_two_threads(250, NULL, 200);
    busy_stop(&b);
    assert_int_equal(thread_count(), 1);
}

/* The count sees a thread that OpenMP starts (so the counts of 1 above
 * are not blind). */
static void the_count_should_see_threads(void **state)
{
    (void)state;
    if (thread_count() < 0) skip();
    int team = 0;
#pragma omp parallel num_threads(2)
    {
#pragma omp master
        team = omp_get_num_threads();
    }
    assert_int_equal(team, 2);
    assert_int_equal(thread_count(), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(small_fits_should_start_no_thread),
        cmocka_unit_test(busy_processors_should_keep_a_large_fit_on_one_thread),
        cmocka_unit_test(the_count_should_see_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
