/* solver_params.h — the parameter map: from the solver's free vector to the
 * law's parameters, with fixed, tied and bounded ones (solver_params.c). */
#ifndef SLAW_SOLVER_PARAMS_H
#define SLAW_SOLVER_PARAMS_H

#include "law.h"

typedef enum bound_kind { BOUND_NONE, BOUND_LOWER, BOUND_UPPER, BOUND_BOTH } bound_kind;

/* Iterations per start when the options give 0. */
#define DEFAULT_MAX_ITER 500

/* Parameters of the problem the solver sees: a law's, or a joint fit's
 * (shared parameters once, the others once per group). */
#define FIT_MAX_PARAMS 64

/* From the solver's free vector u to the law's internal parameters θ:
 * fixed parameters are constants, tied ones share a free entry, bounded
 * ones pass through a smooth transform that cannot leave the bounds. */
typedef struct param_map {
    size_t p, m; /* law parameters, free parameters */
    slaw_param_state state[FIT_MAX_PARAMS];
    int free_of[FIT_MAX_PARAMS];                   /* free index behind θ_j; -1 if fixed */
    double fixed[FIT_MAX_PARAMS];                  /* internal value of a fixed θ_j */
    bound_kind kind[FIT_MAX_PARAMS];               /* per free parameter */
    double lo[FIT_MAX_PARAMS], hi[FIT_MAX_PARAMS]; /* internal bounds per free parameter */
    size_t param_of[FIT_MAX_PARAMS];               /* a law parameter behind free k */
} param_map;

/* Reads --fix, --tie and --bound. Errors: SLAW_EUSAGE naming the option. */
slaw_status param_map_build(const slaw_law *law, const slaw_fit_options *opt, param_map *out,
                            slaw_error *err);
void param_map_theta(const param_map *pm, const double *u, double *theta);
/* dθ/du_k for each free parameter k. */
void param_map_slope(const param_map *pm, const double *u, double *slope);
/* u from θ; a bounded value on or past a bound is taken just inside it,
 * where the solver can still move it. */
void param_map_u(const param_map *pm, const double *theta, double *u);
/* True when free parameter k sits on one of its bounds. */
bool param_map_pinned(const param_map *pm, const double *u, size_t k);
/* True when free parameter k lies within share of its span between two
 * bounds (of 1 for one bound) from a bound: pinned is share 1e-6. */
bool param_map_within(const param_map *pm, const double *u, size_t k, double share);
/* The bound free parameter k is pinned at (the nearer one), and in *u_on
 * the u that puts it exactly there. */
double param_map_pin(const param_map *pm, const double *u, size_t k, double *u_on);
/* True when free parameter k is within 10% of its range from a bound; *bound
 * gets that bound (internal scale). */
bool param_map_near_bound(const param_map *pm, const double *u, size_t k, double *bound);
/* Holds free parameter k (and the parameters tied to it) at value, marked
 * pinned; the free parameters after k move down one place. */
void param_map_hold(param_map *pm, size_t k, double value);

#endif /* SLAW_SOLVER_PARAMS_H */
