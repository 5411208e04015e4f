/* solver_starts.h — the start grid of a search (solver_starts.c). */
#ifndef SLAW_SOLVER_STARTS_H
#define SLAW_SOLVER_STARTS_H

#include "solver_params.h"

typedef struct start_grid {
    size_t n, p;
    double *theta;                      /* n × p internal parameter vectors */
    size_t n_axes;                      /* the axes the points span (free parameters) */
    size_t axis_n[LAW_MAX_PARAMS];      /* points along each axis */
    size_t axis_stride[LAW_MAX_PARAMS]; /* index step between neighbours along it */
    bool projected;                     /* linear parameters solved at each point (solver_vp.c): its
                                           objective over the axes is a profile whose local minima
                                           are the basins worth polishing */
    double *cost;                       /* n: the objective at each point on the data the grid was
                                           built for, or NULL (a projected grid has it) */
} start_grid;

/* The start points: spec (NULL = the law's default grid centred on the data,
 * "epoch", or "NAME=LO:HI:STEP,...") with fixed and tied parameters applied.
 * Errors: SLAW_EUSAGE for a malformed spec, SLAW_ELIMIT past 10^6 points. */
slaw_status starts_build(const slaw_law *law, const char *spec, const data_summary *s,
                         const param_map *pm, start_grid *out, slaw_error *err);
void starts_free(start_grid *g);
/* Whether point i is a local minimum of cost over the grid: no higher than
 * any neighbour along an axis (ties go to the earlier point, so a flat
 * stretch counts once). */
bool starts_local_minimum(const start_grid *g, const double *cost, size_t i);

#endif /* SLAW_SOLVER_STARTS_H */
