/* omp_regions.c — a preloaded wrapper of libgomp's GOMP_parallel that prints,
 * for each parallel region of a process, when it began (since the process
 * loaded the wrapper), how long it took, and for each of its first two
 * threads when it entered and left the region's body and on which processor:
 * how the team's threads meet the machine's processors in a fresh process
 * (docs/performance.md, "Threads").  Not built by CMake:
 *
 *   cc -O2 -shared -fPIC -fopenmp tests/bench/omp_regions.c -o omp_regions.so -ldl
 *   OMP_WAIT_POLICY=PASSIVE LD_PRELOAD=./omp_regions.so slaw fit ... --threads 2
 *
 * One line a region on standard error, times in microseconds:
 *   region THREADS at START took TIME: t0 IN-OUT cpu C/C  t1 IN-OUT cpu C/C
 *
 * With OMP_REGIONS_SPREAD=1 in the environment, thread 0 of a team of two or
 * more first moves itself off the processor it is on (its affinity set to
 * the others, then back to all it had), in every such region, or with
 * OMP_REGIONS_SPREAD=first in the first one only: an experiment on whether a
 * team packed onto one processor gains from being spread. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <omp.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

typedef void (*parallel_fn)(void (*)(void *), void *, unsigned, unsigned);

static double now_us(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e6 + 1e-3 * (double)t.tv_nsec;
}

static double loaded;              /* when the wrapper was loaded */
static void (*body)(void *);       /* the region's own body */
static double entered[2], left[2]; /* threads 0 and 1, in the region */
static int cpu_in[2], cpu_out[2];
static int spreading; /* this region's thread 0 moves first */

__attribute__((constructor)) static void on_load(void)
{
    loaded = now_us();
}

/* Thread 0's move off its processor (OMP_REGIONS_SPREAD). */
static void spread(void)
{
    cpu_set_t all, others;
    if (sched_getaffinity(0, sizeof all, &all) != 0) return;
    others = all;
    CPU_CLR(sched_getcpu(), &others);
    if (CPU_COUNT(&others) == 0) return;
    if (sched_setaffinity(0, sizeof others, &others) == 0) sched_setaffinity(0, sizeof all, &all);
}

static void timed_body(void *data)
{
    int k = omp_get_thread_num();
    if (k == 0 && omp_get_num_threads() > 1 && spreading) spread();
    if (k < 2) entered[k] = now_us(), cpu_in[k] = sched_getcpu();
    body(data);
    if (k < 2) left[k] = now_us(), cpu_out[k] = sched_getcpu();
}

void GOMP_parallel(void (*fn)(void *), void *data, unsigned threads, unsigned flags)
{
    static parallel_fn real;
    if (!real) real = (parallel_fn)dlsym(RTLD_NEXT, "GOMP_parallel");
    static int teams;
    const char *how = getenv("OMP_REGIONS_SPREAD");
    body = fn;
    spreading = how && (how[0] != 'f' || (threads > 1 && teams == 0)); /* "first": once */
    teams += threads > 1;
    double start = now_us();
    real(timed_body, data, threads, flags);
    double took = now_us() - start;
    char line[256];
    int n =
        snprintf(line, sizeof line, "region %u at %.0f took %.0f: t0 %.0f-%.0f cpu %d/%d", threads,
                 start - loaded, took, entered[0] - start, left[0] - start, cpu_in[0], cpu_out[0]);
    if (threads > 1 && n > 0 && (size_t)n < sizeof line)
        n += snprintf(line + n, sizeof line - (size_t)n, "  t1 %.0f-%.0f cpu %d/%d",
                      entered[1] - start, left[1] - start, cpu_in[1], cpu_out[1]);
    if (n > 0 && (size_t)n < sizeof line - 1) {
        line[n++] = '\n';
        if (write(2, line, (size_t)n) < 0) return;
    }
}
