/* solver.h — the solver stage: the problem the solver sees (solver_problem.c)
 * and one thread's trust-region solver over it (solver.c). */
#ifndef SLAW_SOLVER_H
#define SLAW_SOLVER_H

#include "objective.h"
#include "solver_params.h"

/* A joint fit (fit_joint.c): one problem over the runs of every group, sorted by
 * group, in which the shared parameters are common and the others are
 * repeated per group. */
typedef struct joint {
    const slaw_law *law;
    size_t n_groups;
    size_t P; /* parameters of the joint problem */
    bool shared[LAW_MAX_PARAMS];
    size_t *index; /* n_groups × p: joint index of parameter j of group g */
    size_t *first; /* n_groups + 1: group g's rows are [first[g], first[g+1]) */
    size_t *base;  /* P: the law parameter behind joint parameter k */
} joint;

typedef struct problem {
    const slaw_law *law;
    const dataset *data;
    objective obj;
    param_map map;
    size_t max_iter;
    const joint *joint; /* NULL: the law alone */
    slaw_solver method; /* GSL's trust-region method */
} problem;

/* Parameters θ of the problem: the law's, or the joint fit's P. */
size_t problem_params(const problem *pb);
/* The law parameter behind θ_k. */
size_t problem_base(const problem *pb, size_t k);
/* ln ŷ (ŷ when pb->obj.direct) of rows [from, from + n) of pb's data at θ
 * and, when J is not NULL, its derivatives (n × problem_params). */
void problem_eval(const problem *pb, const double *theta, size_t from, size_t n, double *lny,
                  double *J);
/* ŷ itself and ∂ŷ/∂θ (n × p) of the first n rows at θ, on any scale: for
 * solving linear parameters (solver_vp.c).  Not for joint problems. */
void problem_eval_values(const problem *pb, const double *theta, size_t n, double *yhat, double *J);
/* Whether every parameter has a finite natural value, and a positive one
 * where it is fitted as a logarithm (what the fit artifact can hold). */
bool problem_reportable(const problem *pb, const double *theta);

typedef enum start_outcome {
    START_CONVERGED,
    START_ITERATION_LIMIT,
    START_STALLED, /* no step reduced the objective and the gradient is not small */
    START_INVALID  /* the objective is not finite (at the start, or where it stopped) */
} start_outcome;

typedef struct start_result {
    double u[FIT_MAX_PARAMS];
    double cost; /* the objective, Σ w·loss(r) */
    size_t iterations;
    start_outcome outcome;
    bool final; /* polished to FINAL_TOL already (solver_search.c): no refinement */
} start_result;

/* One thread's solver: a GSL workspace and scratch arrays, reused across
 * starts and resamples so that nothing is allocated inside the fit loop. */
typedef struct solver solver;

solver *solver_new(const problem *pb);
void solver_free(solver *s);
/* The problem s solves. */
const problem *solver_problem(const solver *s);
/* The objective at internal parameters theta, but +inf as soon as the sum
 * passes bound (NaN if not finite). */
double solver_cost_below(solver *s, const double *theta, double bound);
/* Tolerances on the relative decrease of the objective at which a start
 * counts as converged: loose while searching, tight for the best start. */
#define SEARCH_TOL 1e-10
#define FINAL_TOL 1e-14
/* A bootstrap refit only feeds a spread: 1e-8 moves the standard errors of
 * the Chinchilla fit in their fourth digit and saves the slow last steps. */
#define BOOT_TOL 1e-8

/* Runs the solver from free vector u0: the lean path when the problem is
 * small and it converges, else GSL's trust-region solver. */
void solver_run(solver *s, const double *u0, double tol, start_result *out);
/* The same from a start believed near an optimum (one the projection
 * solved): the lean path's damping starts at LEAN_DAMPING_NEAR, and a step
 * that goes as its model predicted lets the next try the undamped step
 * first (lean_run). */
void solver_run_near(solver *s, const double *u0, double tol, start_result *out);
/* GSL's trust-region solver alone, the solver of record. */
void solver_run_gsl(solver *s, const double *u0, double tol, start_result *out);

/* The next count doubles of a block whose arrays lie end to end: a
 * structure's arrays in one allocation, not one each (the solver's, the lean
 * path's, the screen's). */
static inline double *carve(double **at, size_t count)
{
    double *p = *at;
    *at += count;
    return p;
}

/* The lean path (solver_lean.c): Levenberg-Marquardt on the normal
 * equations for problems of at most LEAN_MAX_PARAMS free parameters. */
#define LEAN_MAX_PARAMS 8
/* The damping's start relative to the Gauss-Newton matrix's diagonal: the
 * usual 1e-3 (Madsen, Nielsen and Tingleff's tau for a start of unknown
 * quality, "Methods for non-linear least squares problems", 2004), lower
 * from a start believed near an optimum.  From projected starts 1e-4 took
 * the fewest evaluations: saturating 6 instead of 8 (250 simulated runs),
 * chinchilla 10 instead of 11, and 12 instead of 14 on the Chinchilla
 * runs; lower still, the first steps overshoot and are refused (1e-6: 12
 * on chinchilla), and on NIST's far starts a low start costs Lanczos1 a
 * digit, so it is for projected starts alone. */
#define LEAN_DAMPING 1e-3
#define LEAN_DAMPING_NEAR 1e-4
typedef struct lean lean;
/* Whether pb is one the lean path takes (GSL's default method, few free
 * parameters). */
bool lean_applies(const problem *pb);
/* Caller owns; free with lean_free.  NULL when out of memory. */
lean *lean_new(const problem *pb);
void lean_free(lean *l);
/* Runs from u0 with solver_run's tolerance tol, as from a start believed
 * near an optimum when near (solver_run_near); true with *out set when it
 * converged by solver_run's tests, false (out untouched) otherwise. */
bool lean_run(lean *l, const double *u0, double tol, bool near, start_result *out);
/* ln ŷ (n) and ∂ln ŷ/∂θ (n × p) at u into lny and J when the last point the
 * lean path evaluated was u (and its Jacobian is still the law's); false
 * otherwise. */
bool lean_law_at(const lean *l, const double *u, double *lny, double *J);
/* Raw residuals and their Jacobian with respect to u at u (n, n × m). */
void solver_raw_jacobian(solver *s, const double *u, double *r, double *J);
/* ln ŷ at u (ŷ when the objective is direct), n values owned by s and valid
 * until its next call: the last evaluation's when it was at u. */
const double *solver_law_at(solver *s, const double *u);

#endif /* SLAW_SOLVER_H */
