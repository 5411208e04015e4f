/* progress.c — a progress bar with rate and ETA on stderr, for long grids and
 * bootstraps; never on stdout, never when stderr is not a terminal. */
#include "progress.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void progress_init(progress_state *p, bool quiet)
{
    memset(p, 0, sizeof *p);
    p->enabled = !quiet && isatty(STDERR_FILENO);
    p->started = now();
}

void progress_report(void *ctx, const char *what, size_t done, size_t total)
{
    progress_state *p = ctx;
    if (!p->enabled || !total) return;
    if (strcmp(p->what, what) != 0) { /* a new phase restarts the clock */
        snprintf(p->what, sizeof p->what, "%s", what);
        p->started = now();
        p->last_drawn = 0;
    }
    double t = now(), elapsed = t - p->started;
    bool finished = done >= total;
    if (elapsed < 0.5 || (!finished && t - p->last_drawn < 0.1)) return;
    p->last_drawn = t;
    double rate = elapsed > 0 ? (double)done / elapsed : 0;
    double eta = rate > 0 ? (double)(total - done) / rate : 0;
    char bar[31];
    size_t filled = (size_t)(30.0 * (double)done / (double)total);
    for (size_t i = 0; i < 30; i++) bar[i] = i < filled ? '#' : '.';
    bar[30] = '\0';
    fprintf(stderr, "\r%-9s [%s] %zu/%zu  %.0f/s  ETA %.0fs\033[K", what, bar, done, total, rate,
            eta);
    fflush(stderr);
    p->drawn = true;
}

void progress_done(progress_state *p)
{
    if (p->drawn) fprintf(stderr, "\r\033[K");
    p->drawn = false;
}
