/* solver_search.h — the search: every start evaluated, the best polished,
 * parameters settled on their bounds (solver_search.c). */
#ifndef SLAW_SOLVER_SEARCH_H
#define SLAW_SOLVER_SEARCH_H

#include "solver.h"
#include "solver_starts.h"

/* Law evaluations (starts x runs, resamples x runs x iterations) below
 * which a search or bootstrap runs on one thread.  With passive waiting a
 * parallel region took a median 9-12 us to start and join where this was
 * measured (50-130 us on a later machine; up to ms on a loaded one) and a
 * fit opens 2 to 5; 50,000 evaluations are about
 * 1 ms of one core, so below it threads could cost more than they share.
 * Measured with this limit set to 0: tests/bench/repeat_fit.c timing
 * threads=1 and threads=2 in turn (6 rounds) on grids of 45 and 315 starts
 * over 10 to 1000 runs (docs/performance.md, "Threads", the commands): at
 * load 7 on 2 cores 2 threads gained 13-24% from 45,000 evaluations; at
 * load 9 they lost up to 20% below 10,000 and at most 8% above.  Above the
 * limit a search or bootstrap takes no more threads than processors are
 * free when it starts (cpu_load.h). */
#define FIT_PARALLEL_WORK 50000

/* The k starts of g with the lowest objective, best first, by s alone (for
 * a resample whose warm start failed); returns how many there are. */
size_t search_best_starts(solver *s, const start_grid *g, size_t k, size_t *best);
/* Evaluates every start, polishes the most promising (opt->polish) in
 * parallel; caller frees *results.  own, when not NULL, is a solver of pb
 * the caller keeps, used as the first thread's. */
slaw_status fit_search(const problem *pb, const start_grid *g, const slaw_fit_options *opt,
                       int threads, solver *own, start_result **results, size_t *n_results,
                       slaw_error *err);
/* Parameters that the search left near a bound, with the objective falling
 * towards it, are held on the bound and the others refitted (an active-set
 * step: the transforms that keep bounds slow the solver near them).  Updates
 * pb's map, *s and *best when that lowers the objective. */
slaw_status fit_settle_bounds(problem *pb, solver **s, start_result *best, slaw_error *err);
/* The best converged start, refined; counts in st.  Errors: SLAW_EFIT. */
slaw_status fit_pick_best(solver *s, start_result *res, size_t k, const char *group,
                          start_result *best, slaw_fit_stats *st, slaw_error *err);

#endif /* SLAW_SOLVER_SEARCH_H */
