/* search.c — the multi-start search: every start of the grid evaluated,
 * the most promising polished by the solver in parallel, the best refined. */
#include "fit.h"

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

/* Evaluates the objective at every start, polishes the most promising (or
 * all) with the solver, in parallel; results do not depend on the number of
 * threads because each start is independent and ties go to the lower index. */
slaw_status fit_search(const problem *pb, const start_grid *g, const slaw_fit_options *opt,
                          int threads, start_result **results, size_t *n_results, slaw_error *err)
{
    size_t n = g->n, p = g->p, finite = 0, k_polish = 0, polished = 0;
    long polish = opt->polish;
    void (*progress)(void *, const char *, size_t, size_t) = opt->progress;
    void *progress_ctx = opt->progress_ctx;
    ranked *rank = malloc((n ? n : 1) * sizeof *rank);
    start_result *res = NULL;
    bool failed = false;
    if (!rank) return error_set(err, SLAW_ENOMEM, NULL, 0, "out of memory");

#pragma omp parallel num_threads(threads)
    {
        solver *s = solver_new(pb);
        if (!s) {
#pragma omp atomic write
            failed = true;
        }
#pragma omp for schedule(static)
        for (size_t i = 0; i < n; i++)
            rank[i] = (ranked){s ? solver_cost(s, g->theta + i * p) : NAN, i};
#pragma omp single
        {
            for (size_t i = 0; i < n; i++)
                if (!isnan(rank[i].cost)) rank[finite++] = rank[i];
            qsort(rank, finite, sizeof *rank, compare_ranked);
            k_polish = polish == SLAW_POLISH_ALL         ? finite
                       : polish == SLAW_POLISH_DEFAULT ? DEFAULT_POLISH
                                                       : (size_t)polish;
            if (k_polish > finite) k_polish = finite;
            res = calloc(k_polish ? k_polish : 1, sizeof *res);
            if (!res) failed = true;
        }
#pragma omp for schedule(dynamic, 1)
        for (size_t k = 0; k < k_polish; k++) {
            if (!s || !res) continue;
            double u0[LAW_MAX_PARAMS];
            param_map_u(&pb->map, g->theta + rank[k].index * p, u0);
            solver_run(s, u0, SEARCH_TOL, &res[k]);
            size_t now;
#pragma omp atomic capture
            now = ++polished;
            if (progress && omp_get_thread_num() == 0) progress(progress_ctx, "grid", now, k_polish);
        }
        solver_free(s);
    }
    free(rank);
    if (failed) {
        free(res);
        return error_set(err, SLAW_ENOMEM, NULL, 0, "out of memory");
    }
    if (!finite) {
        free(res);
        return error_set(err, SLAW_EFIT, NULL, 0,
                         "the objective is not finite at any of the %zu start points; give "
                         "starts near the data with --grid", n);
    }
    *results = res;
    *n_results = k_polish;
    return SLAW_OK;
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
        if (res[i].outcome == START_CONVERGED && (lowest == SIZE_MAX || res[i].cost < res[lowest].cost))
            lowest = i;
    }
    st->polished = k;
    st->converged = counts[START_CONVERGED];
    st->hit_limit = counts[START_ITERATION_LIMIT];
    if (lowest == SIZE_MAX) {
        char g[300];
        return error_set(err, SLAW_EFIT, NULL, 0,
                         "%sno start converged: of %zu polished, %zu hit the iteration limit, "
                         "%zu stalled, %zu had no finite objective (try --max-iter, --grid or "
                         "--polish all)", group_prefix(group, g, sizeof g), k,
                         counts[START_ITERATION_LIMIT], counts[START_STALLED], counts[START_INVALID]);
    }
    /* Refine the candidates within 1e-6 of the lowest (at most 4), in start order. */
    double floor_cost = res[lowest].cost;
    size_t refined = 0;
    *best = res[lowest];
    best->cost = INFINITY;
    for (size_t i = 0; i < k && refined < 4; i++) {
        if (res[i].outcome != START_CONVERGED || res[i].cost > floor_cost * (1 + 1e-6)) continue;
        start_result fine;
        solver_run(s, res[i].u, FINAL_TOL, &fine);
        refined++;
        if (fine.outcome == START_CONVERGED && fine.cost < best->cost) {
            *best = fine;
            best->iterations += res[i].iterations;
        }
    }
    if (!isfinite(best->cost)) *best = res[lowest];
    /* Counted against the lowest search-precision objective too, so that the
     * start the best was refined from always counts. */
    double reference = fmax(best->cost, floor_cost), tol = 1e-8 * reference + 1e-20;
    for (size_t i = 0; i < k; i++)
        if (res[i].outcome == START_CONVERGED && res[i].cost - reference <= tol) st->reached_best++;
    st->iterations = best->iterations;
    st->objective = best->cost;
    return SLAW_OK;
}

slaw_status fit_settle_bounds(problem *pb, solver **s, start_result *best, slaw_error *err)
{
    for (size_t k = 0; k < pb->map.m; k++) {
        double bound, theta[LAW_MAX_PARAMS];
        if (param_map_pinned(&pb->map, best->u, k) ||
            !param_map_near_bound(&pb->map, best->u, k, &bound))
            continue;
        problem held = *pb;
        param_map_hold(&held.map, k, bound);
        solver *hs = solver_new(&held);
        if (!hs) return error_set(err, SLAW_ENOMEM, NULL, 0, "out of memory");
        start_result r;
        double u0[LAW_MAX_PARAMS];
        param_map_theta(&pb->map, best->u, theta);
        param_map_u(&held.map, theta, u0);
        solver_run(hs, u0, FINAL_TOL, &r);
        if (r.outcome == START_CONVERGED && r.cost <= best->cost * (1 + 1e-12)) {
            r.iterations += best->iterations;
            *best = r;
            *pb = held;
            solver_free(*s);
            *s = hs;
            k = (size_t)-1; /* the free parameters were renumbered: look again */
        } else {
            solver_free(hs);
        }
    }
    return SLAW_OK;
}
