/* solver_search.c — the multi-start search: every start of the grid evaluated,
 * the most promising polished by the solver in parallel, the best refined. */
#include "solver_search.h"
#include "cpu_load.h"
#include "fit_groups.h"

#include <assert.h>
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_POLISH 16

typedef struct ranked {
    double cost;
    size_t index;
} ranked;

static int compare_ranked(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->cost != y->cost) return (x->cost > y->cost) - (x->cost < y->cost);
    return (x->index > y->index) - (x->index < y->index);
}

/* A start's place among the K best a thread has evaluated so far: the K-th
 * best is the bound past which another start cannot be among the K best of
 * the whole grid (the K best of a subset are no better than those of the
 * whole), so its evaluation can stop there.  The starts chosen therefore do
 * not depend on how the grid is spread over threads. */
typedef struct best_k {
    double *cost; /* ascending, k entries */
    size_t n, k;
} best_k;

static void best_k_add(best_k *b, double c)
{
    if (b->k == 0 || !isfinite(c) || (b->n == b->k && c >= b->cost[b->n - 1])) return;
    size_t i = b->n < b->k ? b->n++ : b->n - 1;
    for (; i > 0 && b->cost[i - 1] > c; i--) b->cost[i] = b->cost[i - 1];
    b->cost[i] = c;
}

static double best_k_bound(const best_k *b)
{
    return b->k && b->n == b->k ? b->cost[b->n - 1] : INFINITY;
}

/* Starts a thread takes at a time in the screen: on a machine busy with
 * other work a thread can be descheduled for milliseconds, and a static
 * split would make the other wait for its half of the grid at the join;
 * handed out in chunks (a 240-run start costs about 5 us), the thread that
 * runs takes over the rest. */
#define SCREEN_CHUNK 32

/* Evaluates every start (stopping early at the bound above) and ranks the
 * finite ones; returns how many are finite.  Which thread evaluates which
 * start changes only which costs past the k-th best stop early. */
static size_t screen(const start_grid *g, const double *known, solver **pool, int threads,
                     size_t keep, ranked *rank)
{
    size_t finite = 0;
    if (known) { /* a projected grid's: computed with the projection */
        for (size_t i = 0; i < g->n; i++) rank[i] = (ranked){known[i], i};
    } else {
#pragma omp parallel num_threads(threads) if (threads > 1)
        {
            solver *s = pool[omp_get_thread_num()];
            double *kept = malloc((keep ? keep : 1) * sizeof *kept);
            best_k best = {kept, 0, kept ? keep : 0};
#pragma omp for schedule(dynamic, SCREEN_CHUNK)
            for (size_t i = 0; i < g->n; i++) {
                double c = solver_cost_below(s, g->theta + i * g->p, best_k_bound(&best));
                best_k_add(&best, c);
                rank[i] = (ranked){c, i};
            }
            free(kept);
        }
    }
    for (size_t i = 0; i < g->n; i++)
        if (!isnan(rank[i].cost)) rank[finite++] = rank[i];
    qsort(rank, finite, sizeof *rank, compare_ranked);
    return finite;
}

size_t search_best_starts(solver *s, const start_grid *g, size_t k, size_t *best)
{
    ranked *rank = malloc((g->n ? g->n : 1) * sizeof *rank);
    if (!rank) return 0;
    size_t found = screen(g, NULL, &s, 1, k, rank);
    if (found > k) found = k;
    for (size_t i = 0; i < found; i++) best[i] = rank[i].index;
    free(rank);
    return found;
}

/* Polishes ranked start k into res[k] with solver s. */
static void polish_one(const problem *pb, const start_grid *g, solver *s, const ranked *rank,
                       size_t k, start_result *res, double tol)
{
    double u0[FIT_MAX_PARAMS];
    param_map_u(&pb->map, g->theta + rank[k].index * g->p, u0);
    if (g->projected) solver_run_near(s, u0, tol, &res[k]);
    else solver_run(s, u0, tol, &res[k]);
    res[k].final = tol == FINAL_TOL;
}

/* Polishes ranked starts [from, to) in parallel.  On one thread no OpenMP
 * region is entered (even one whose if clause is false ends with a futex
 * wake, a system call a fit), and no orphaned worksharing either: inside a
 * bootstrap's region it would bind to the bootstrap's team. */
static void polish_range(const problem *pb, const start_grid *g, solver **pool, int threads,
                         const ranked *rank, size_t from, size_t to, start_result *res,
                         const slaw_fit_options *opt, double tol)
{
    /* one start (a projected search's one basin) has nothing to share */
    if (to - from < 2 || threads < 2) {
        for (size_t k = from; k < to; k++) {
            polish_one(pb, g, pool[0], rank, k, res, tol);
            if (opt->progress) opt->progress(opt->progress_ctx, "grid", k + 1, to);
        }
        return;
    }
    size_t done = from;
#pragma omp parallel for num_threads(threads) schedule(dynamic, 1)
    for (size_t k = from; k < to; k++) {
        polish_one(pb, g, pool[omp_get_thread_num()], rank, k, res, tol);
        size_t now;
#pragma omp atomic capture
        now = ++done;
        if (opt->progress && omp_get_thread_num() == 0)
            opt->progress(opt->progress_ctx, "grid", now, to);
    }
}

/* Converged starts within 1e-8 of the lowest converged objective. */
static size_t agreeing(const start_result *res, size_t k)
{
    double lowest = INFINITY;
    size_t count = 0;
    for (size_t i = 0; i < k; i++)
        if (res[i].outcome == START_CONVERGED) lowest = fmin(lowest, res[i].cost);
    for (size_t i = 0; i < k; i++)
        count += res[i].outcome == START_CONVERGED && res[i].cost - lowest <= 1e-8 * lowest + 1e-20;
    return count;
}

/* By default starts are polished a few at a time, best first, until three
 * agree on the best optimum (or DEFAULT_POLISH have been tried): most grids
 * settle in the first batch.  Small problems run on one thread (fit.h). */
#define BATCH 4
#define AGREEING 3

/* A projected grid's profile: its local minima are distinct basins, so
 * they are polished first (BATCH at most), each once; the ranked starts
 * keep their order within each part.  Returns how many minima lead. */
static size_t minima_first(const start_grid *g, ranked *rank, size_t finite)
{
    double *cost = malloc((g->n ? g->n : 1) * sizeof *cost);
    ranked *rest = malloc((finite ? finite : 1) * sizeof *rest);
    size_t lead = 0, n_rest = 0;
    if (!cost || !rest) goto out;
    for (size_t i = 0; i < g->n; i++) cost[i] = NAN;
    for (size_t r = 0; r < finite; r++) cost[rank[r].index] = rank[r].cost;
    for (size_t r = 0; r < finite; r++) {
        if (lead < BATCH && starts_local_minimum(g, cost, rank[r].index)) rank[lead++] = rank[r];
        else rest[n_rest++] = rank[r];
    }
    memcpy(rank + lead, rest, n_rest * sizeof *rest);
out:
    free(cost);
    free(rest);
    return lead;
}

slaw_status fit_search(const problem *pb, const start_grid *g, const slaw_fit_options *opt,
                       int threads, solver *own, start_result **results, size_t *n_results,
                       slaw_error *err)
{
    assert(pb && g && opt && results && n_results);
    assert(g->p == problem_params(pb));
    size_t n = g->n, k_polish, polished = 0;
    long polish = opt->polish;
    ranked *rank = malloc((n ? n : 1) * sizeof *rank);
    start_result *res = NULL;
    solver *pool[1024] = {NULL};
    slaw_status st = SLAW_OK;
    if (threads > 1024) threads = 1024;
    threads = n * pb->data->n < FIT_PARALLEL_WORK ? 1 : cpu_load_threads(threads);
    size_t cap = polish == SLAW_POLISH_ALL       ? n
                 : polish == SLAW_POLISH_DEFAULT ? DEFAULT_POLISH
                                                 : (size_t)polish;
    if (!rank) return error_nomem(err);
    pool[0] = own;
    for (int t = own ? 1 : 0; t < threads; t++)
        if (!(pool[t] = solver_new(pb))) {
            st = error_nomem(err);
            goto out;
        }
    size_t finite = screen(g, g->cost, pool, threads, polish == SLAW_POLISH_ALL ? 0 : cap, rank);
    if (!finite) {
        st = error_set_option(err, SLAW_EFIT, "grid",
                              "the objective is not finite at any of the %zu start points; give "
                              "starts near the data with grid",
                              n);
        goto out;
    }
    k_polish = cap < finite ? cap : finite;
    if (!(res = calloc(k_polish, sizeof *res))) {
        st = error_nomem(err);
        goto out;
    }
    /* A projected grid's minima first; past them (should none converge)
     * the other starts as for any grid. */
    size_t minima =
        polish == SLAW_POLISH_DEFAULT && g->projected ? minima_first(g, rank, finite) : 0;
    while (polished < k_polish) {
        size_t next = polish != SLAW_POLISH_DEFAULT ? k_polish
                      : polished == 0 && minima     ? minima
                                                    : polished + BATCH;
        if (next > k_polish) next = k_polish;
        /* A basin's start, or the one start polished, is polished to full
         * precision at once: the refinement that follows a search would
         * only restart it. */
        double tol = polished < minima || k_polish == 1 ? FINAL_TOL : SEARCH_TOL;
        polish_range(pb, g, pool, threads, rank, polished, next, res, opt, tol);
        polished = next;
        if (polish != SLAW_POLISH_DEFAULT) continue;
        if (agreeing(res, polished) >= (minima ? 1 : AGREEING)) break;
    }
    *results = res;
    *n_results = polished;
    res = NULL;
out:
    for (int t = own ? 1 : 0; t < threads; t++) solver_free(pool[t]);
    free(res);
    free(rank);
    return st;
}

/* Picks the best converged start: the few with the lowest objectives are
 * refined to full precision and the lowest wins; a start reached the best
 * optimum when its (search-precision) objective is within 1e-8 of it. */
slaw_status fit_pick_best(solver *s, start_result *res, size_t k, const char *group,
                          start_result *best, slaw_fit_stats *st, slaw_error *err)
{
    size_t counts[4] = {0}, lowest = SIZE_MAX;
    for (size_t i = 0; i < k; i++) {
        counts[res[i].outcome]++;
        if (res[i].outcome == START_CONVERGED &&
            (lowest == SIZE_MAX || res[i].cost < res[lowest].cost))
            lowest = i;
    }
    st->polished = k;
    st->converged = counts[START_CONVERGED];
    st->hit_limit = counts[START_ITERATION_LIMIT];
    st->stalled = counts[START_STALLED];
    st->non_finite = counts[START_INVALID];
    st->pinned = 0;
    const param_map *map = &solver_problem(s)->map;
    for (size_t i = 0; i < k; i++) {
        bool pinned = false;
        for (size_t j = 0; j < map->m; j++) pinned = pinned || param_map_pinned(map, res[i].u, j);
        if (!pinned) continue;
        if (res[i].outcome == START_STALLED || res[i].outcome == START_ITERATION_LIMIT) {
            /* a parameter ran into its bound, where the solver cannot move it */
            st->pinned++;
            if (res[i].outcome == START_STALLED) st->stalled--;
            else st->hit_limit--;
        }
    }
    if (lowest == SIZE_MAX) {
        char g[300];
        return error_set_option(err, SLAW_EFIT, "max_iter,grid,polish",
                                "%sno start converged: of %zu polished, %zu hit the iteration "
                                "limit, %zu stalled, %zu had no finite objective (try max_iter, "
                                "grid or polish all)",
                                group_prefix(group, g, sizeof g), k, counts[START_ITERATION_LIMIT],
                                counts[START_STALLED], counts[START_INVALID]);
    }
    /* Refine the candidates within 1e-6 of the lowest (at most 4), in start order. */
    double floor_cost = res[lowest].cost;
    size_t refined = 0;
    *best = res[lowest];
    best->cost = INFINITY;
    for (size_t i = 0; i < k && refined < 4; i++) {
        if (res[i].outcome != START_CONVERGED || res[i].cost > floor_cost * (1 + 1e-6)) continue;
        start_result fine = res[i];
        if (!res[i].final) solver_run(s, res[i].u, FINAL_TOL, &fine);
        refined++;
        if (fine.outcome == START_CONVERGED && fine.cost < best->cost) {
            *best = fine;
            if (!res[i].final) best->iterations += res[i].iterations;
        }
    }
    if (!isfinite(best->cost)) *best = res[lowest];
    /* Counted against the lowest search-precision objective too, so that the
     * start the best was refined from always counts. */
    double reference = fmax(best->cost, floor_cost), tol = 1e-8 * reference + 1e-20;
    for (size_t i = 0; i < k; i++)
        if (res[i].outcome == START_CONVERGED && res[i].cost - reference <= tol) st->reached_best++;
    return SLAW_OK;
}

slaw_status fit_settle_bounds(problem *pb, solver **s, start_result *best, slaw_error *err)
{
    for (size_t k = 0; k < pb->map.m; k++) {
        double bound, theta[FIT_MAX_PARAMS];
        if (param_map_pinned(&pb->map, best->u, k) ||
            !param_map_near_bound(&pb->map, best->u, k, &bound))
            continue;
        problem held = *pb;
        param_map_hold(&held.map, k, bound);
        solver *hs = solver_new(&held);
        if (!hs) return error_nomem(err);
        start_result r;
        double u0[FIT_MAX_PARAMS];
        param_map_theta(&pb->map, best->u, theta);
        param_map_u(&held.map, theta, u0);
        solver_run(hs, u0, FINAL_TOL, &r);
        solver_free(hs); /* it points at the local problem: the kept one is rebuilt below */
        if (r.outcome == START_CONVERGED && r.cost <= best->cost * (1 + 1e-12)) {
            r.iterations += best->iterations;
            *best = r;
            *pb = held;
            solver_free(*s);
            if (!(*s = solver_new(pb))) return error_nomem(err);
            k = (size_t)-1; /* the free parameters were renumbered: look again */
        }
    }
    return SLAW_OK;
}
