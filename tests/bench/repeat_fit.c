/* repeat_fit.c — slaw's per-fit time without process start-up: loads the runs
 * once, then calls slaw_fit_runs again and again, and prints the time per fit
 * and the fit as JSON lines.
 *
 * Built by tests/bench/run (cc against the Release build's libslaw.a), not by
 * CMake.  Usage:
 *
 *   repeat_fit FILE law=NAME [space=log|linear] [loss=l2|huber:DELTA]
 *              [grid=SPEC] [polish=K|all] [threads=T] [drop_top=K]
 *              [min_seconds=S] [max_reps=R] [warmups=K]
 *              [serve=1 [settle=S] [yield=0|1]] [clocks=1]
 *
 * warmups=K fits before timing (default 1): the first fits of a process are
 * slower (page faults, lazy binding, caches and branch predictors still cold),
 * and a peer timed in a long-running process has long left that behind.
 *
 * By default the fits run back to back for at least min_seconds (at most
 * max_reps of them), and one line gives their mean time.  serve=1 instead
 * times one fit for each line read from standard input and answers it at
 * once (reps 1); a line "threads=T" times a fit on T threads.  Each timed fit
 * follows untimed ones for at least settle seconds (default 0: one): a
 * processor that has just been idle runs slower for a while (a fit of 250
 * runs took 46 us instead of 39 after 10 ms spent in another process, 40
 * after 1 ms of untimed fits).  It then yields the processor (unless
 * yield=0), so that a process waiting for it (the bench's own, on the same
 * processor, just back from sending the line) runs before the timed fit, not
 * during it: a fit of 250 runs took 45 us of wall clock for 39 of CPU time
 * without the yield, 38 for 37 with it (noise.py measures both).  The bench
 * so asks a long-lived process for one fit at a time, in turn with the other
 * side's (tests/bench/bench.py says why).  Its wall clock is read inside
 * the CPU clock's reads, not around them: clocks=1 prints what each read
 * costs, and what an empty window costs in either order.
 *
 * Output: {"reps": R, "seconds_per_fit": s, "cpu_seconds_per_fit": c (all threads),
 *          "objective": f, "starts": n, "polished": k, "params": {...}} */
#define _POSIX_C_SOURCE 200809L
#include "slaw.h"

#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now(clockid_t clock)
{
    struct timespec t;
    clock_gettime(clock, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* Fits the runs once more, the last fit's artifact freed; false (the error
 * printed, the runs freed) if the fit fails. */
static bool fit_again(slaw_runs *runs, const slaw_fit_options *opt, slaw_artifact **a)
{
    slaw_error err;
    char text[2048];
    slaw_artifact_free(*a);
    *a = NULL;
    if (slaw_fit_runs(runs, opt, a, &err) == SLAW_OK) return true;
    fprintf(stderr, "repeat_fit: %s\n", slaw_error_text(&err, text, sizeof text));
    slaw_runs_free(runs);
    return false;
}

/* How serve=1 times a fit (settle=S, yield=0|1). */
typedef struct sampling {
    double settle; /* seconds of untimed fits before it, at least one */
    bool yield;    /* the processor yielded just before it */
} sampling;

/* One timed fit, as how says: its wall and CPU seconds into *wall and
 * *cpu; false if a fit fails. */
static bool sample(slaw_runs *runs, const slaw_fit_options *opt, const sampling *how,
                   slaw_artifact **a, double *wall, double *cpu)
{
    double start = now(CLOCK_MONOTONIC);
    do
        if (!fit_again(runs, opt, a)) return false;
    while (now(CLOCK_MONOTONIC) - start < how->settle);
    if (how->yield) sched_yield(); /* whatever waits for this processor runs now, not in the fit */
    /* The CPU clock read outside the wall clock's window: its read is a
     * system call (about 1.3 us here, clocks=1), which the wall time would carry
     * twice, where the monotonic clock's read costs tens of nanoseconds. */
    double c0 = now(CLOCK_PROCESS_CPUTIME_ID);
    double w0 = now(CLOCK_MONOTONIC);
    if (!fit_again(runs, opt, a)) return false;
    *wall = now(CLOCK_MONOTONIC) - w0;
    *cpu = now(CLOCK_PROCESS_CPUTIME_ID) - c0;
    return true;
}

/* One line of output: the time per fit and the fit a holds. */
static void print_fit(const slaw_artifact *a, long reps, double wall, double cpu)
{
    const slaw_fit *f = slaw_artifact_fit(a, 0);
    const slaw_law *law = slaw_fit_law(f);
    slaw_fit_stats st;
    slaw_fit_get_stats(f, &st);
    printf("{\"reps\": %ld, \"seconds_per_fit\": %.9g, \"cpu_seconds_per_fit\": %.9g, "
           "\"objective\": %.17g, \"starts\": %zu, \"polished\": %zu, \"params\": {",
           reps, wall, cpu, st.objective, st.starts, st.polished);
    for (size_t j = 0; j < slaw_law_param_count(law); j++)
        printf("%s\"%s\": %.17g", j ? ", " : "", slaw_law_param_name(law, j), slaw_fit_value(f, j));
    printf("}}\n");
}

/* serve=1: one sample for each line of standard input, answered at once
 * (print_fit); a line "threads=T" samples a fit on T threads, any other
 * the fit as opt says.  Returns false if a fit fails. */
static bool serve(slaw_runs *runs, const slaw_fit_options *opt, const sampling *how,
                  slaw_artifact **a)
{
    char line[64];
    while (fgets(line, sizeof line, stdin)) {
        slaw_fit_options o = *opt;
        double wall, cpu;
        if (sscanf(line, "threads=%d", &o.threads) != 1) o.threads = opt->threads;
        if (!sample(runs, &o, how, a, &wall, &cpu)) return false;
        print_fit(*a, 1, wall, cpu);
        fflush(stdout);
    }
    return true;
}

/* Fits back to back for at least min_seconds (at least one, at most
 * max_reps): their mean wall and CPU seconds into t, their count into
 * reps; false if a fit fails. */
static bool time_back_to_back(slaw_runs *runs, const slaw_fit_options *opt, double min_seconds,
                              long max_reps, slaw_artifact **a, double t[2], long *reps)
{
    double start = now(CLOCK_MONOTONIC), cpu_start = now(CLOCK_PROCESS_CPUTIME_ID), wall = 0;
    *reps = 0;
    do {
        if (!fit_again(runs, opt, a)) return false;
        ++*reps;
        wall = now(CLOCK_MONOTONIC) - start;
    } while (wall < min_seconds && *reps < max_reps);
    t[0] = wall / (double)*reps;
    t[1] = (now(CLOCK_PROCESS_CPUTIME_ID) - cpu_start) / (double)*reps;
    return true;
}

static int compare_doubles(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

/* clocks=1: what reading the clocks costs, medians of CLOCK_READS in
 * nanoseconds: a read of the monotonic clock and of the process's CPU
 * clock, and an empty timed window of wall clock with the CPU clock read
 * inside it (the wall clock read first) and outside it (sample's order). */
#define CLOCK_READS 20001
static void print_clocks(void)
{
    static double t[CLOCK_READS];
    double median[4];
    for (int kind = 0; kind < 4; kind++) {
        for (int i = 0; i < CLOCK_READS; i++) {
            double w0, c0, w1;
            if (kind == 2) {
                w0 = now(CLOCK_MONOTONIC);
                c0 = now(CLOCK_PROCESS_CPUTIME_ID);
                (void)(now(CLOCK_PROCESS_CPUTIME_ID) - c0);
                w1 = now(CLOCK_MONOTONIC);
            } else if (kind == 3) {
                c0 = now(CLOCK_PROCESS_CPUTIME_ID);
                w0 = now(CLOCK_MONOTONIC);
                w1 = now(CLOCK_MONOTONIC);
                (void)(now(CLOCK_PROCESS_CPUTIME_ID) - c0);
            } else { /* four reads in a window, a fourth of it each */
                clockid_t which = kind == 0 ? CLOCK_MONOTONIC : CLOCK_PROCESS_CPUTIME_ID;
                w0 = now(CLOCK_MONOTONIC);
                for (int r = 0; r < 4; r++) now(which);
                w1 = now(CLOCK_MONOTONIC);
            }
            t[i] = (w1 - w0) * 1e9 / (kind < 2 ? 4.0 : 1.0);
        }
        qsort(t, CLOCK_READS, sizeof *t, compare_doubles);
        median[kind] = t[CLOCK_READS / 2];
    }
    printf("{\"monotonic_ns\": %.0f, \"cpu_clock_ns\": %.0f, \"window_cpu_inside_ns\": %.0f, "
           "\"window_cpu_outside_ns\": %.0f}\n",
           median[0], median[1], median[2], median[3]);
}

static int usage(void)
{
    fprintf(stderr, "usage: repeat_fit FILE law=NAME [space=..] [loss=l2|huber:D] [grid=..] "
                    "[polish=K|all] [threads=T] [drop_top=K] [min_seconds=S] [max_reps=R] "
                    "[warmups=K] [serve=1 [settle=S] [yield=0|1]] [clocks=1]\n");
    return 2;
}

int main(int argc, char **argv)
{
    /* Waits for threads as the slaw command does (src/cli/main.c). */
    if (!getenv("OMP_WAIT_POLICY") && !getenv("GOMP_SPINCOUNT") &&
        setenv("OMP_WAIT_POLICY", "PASSIVE", 1) == 0)
        execv("/proc/self/exe", argv);
    if (argc < 3) return usage();
    slaw_fit_options opt;
    slaw_fit_options_init(&opt);
    slaw_selection *sel = NULL; /* drop_top=K: lives as long as the program */
    double min_seconds = 2.0;
    long max_reps = 100000, warmups = 1;
    bool serve_mode = false, clocks = false;
    sampling how = {.settle = 0, .yield = true};
    for (int i = 2; i < argc; i++) {
        char *eq = strchr(argv[i], '=');
        if (!eq) return usage();
        *eq = '\0';
        const char *key = argv[i], *val = eq + 1;
        if (!strcmp(key, "law")) opt.law = val;
        else if (!strcmp(key, "space"))
            opt.space = strcmp(val, "linear") ? SLAW_SPACE_LOG : SLAW_SPACE_LINEAR;
        else if (!strcmp(key, "loss")) {
            if (!strncmp(val, "huber", 5)) {
                opt.loss = SLAW_LOSS_HUBER;
                if (val[5] == ':') opt.loss_param = atof(val + 6);
            } else {
                opt.loss = SLAW_LOSS_L2;
            }
        } else if (!strcmp(key, "grid")) opt.grid = val;
        else if (!strcmp(key, "polish"))
            opt.polish = strcmp(val, "all") ? atol(val) : SLAW_POLISH_ALL;
        else if (!strcmp(key, "threads")) opt.threads = atoi(val);
        else if (!strcmp(key, "drop_top")) {
            slaw_step drop = {.kind = SLAW_STEP_DROP_TOP, .count = (size_t)atol(val)};
            if (!sel) sel = slaw_selection_new();
            if (!sel || slaw_selection_add(sel, &drop, NULL) != SLAW_OK) return usage();
            opt.selection = sel;
        } else if (!strcmp(key, "min_seconds")) min_seconds = atof(val);
        else if (!strcmp(key, "max_reps")) max_reps = atol(val);
        else if (!strcmp(key, "warmups")) warmups = atol(val);
        else if (!strcmp(key, "serve")) serve_mode = atoi(val) != 0;
        else if (!strcmp(key, "settle")) how.settle = atof(val);
        else if (!strcmp(key, "yield")) how.yield = atoi(val) != 0;
        else if (!strcmp(key, "clocks")) clocks = atoi(val) != 0;
        else return usage();
    }
    if (clocks) {
        print_clocks();
        return 0;
    }
    if (!opt.law) return usage();

    const char *path = argv[1];
    slaw_runs *runs = NULL;
    slaw_error err;
    char text[2048];
    if (slaw_runs_load(&path, 1, NULL, &runs, &err) != SLAW_OK) {
        fprintf(stderr, "repeat_fit: %s\n", slaw_error_text(&err, text, sizeof text));
        return 1;
    }
    slaw_artifact *a = NULL;
    for (long w = 0; w < (warmups > 0 ? warmups : 1); w++)
        if (!fit_again(runs, &opt, &a)) return 1;
    double t[2]; /* wall and CPU seconds a fit */
    long reps = 0;
    if (serve_mode) {
        if (!serve(runs, &opt, &how, &a)) return 1;
    } else {
        if (!time_back_to_back(runs, &opt, min_seconds, max_reps, &a, t, &reps)) return 1;
        print_fit(a, reps, t[0], t[1]);
    }
    slaw_artifact_free(a);
    slaw_runs_free(runs);
    return 0;
}
