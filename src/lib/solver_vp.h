/* solver_vp.h — the start grid of a law linear in some of its parameters:
 * those solved in closed form at each point of the others' grid (variable
 * projection, solver_vp.c). */
#ifndef SLAW_SOLVER_VP_H
#define SLAW_SOLVER_VP_H

#include "solver.h"
#include "solver_starts.h"

/* Linear parameters (after ties) that one point may solve for. */
#define VP_MAX_LINEAR 4

/* Whether the default search of pb solves its linear parameters: a law
 * that declares some (law->linear), fitted alone, whose ties do not join a
 * linear parameter to another kind, with at most VP_MAX_LINEAR of them
 * free. */
bool vp_applies(const problem *pb);
/* The start grid of pb's search: with spec NULL or empty and vp_applies,
 * the law's default grid over its other parameters, each point completed by
 * the linear parameters that fit the data best there (weighted least
 * squares on relative errors in log space, on errors in linear space,
 * reweighted for huber and asym, within their bounds); otherwise
 * starts_build's grid.  Errors as starts_build's, and SLAW_ENOMEM. */
slaw_status vp_starts_build(const problem *pb, const char *spec, const data_summary *s,
                            start_grid *out, slaw_error *err);

/* Minimises cᵀMc - 2bᵀc (M G × G, symmetric positive definite) over lo <= c
 * <= hi into c; false when no face of the box has a determined minimum.
 * Each point's linear solve; its own for tests. */
bool vp_box_least_squares(size_t G, const double *M, const double *b, const double *lo,
                          const double *hi, double *c);

#endif /* SLAW_SOLVER_VP_H */
