/* solver.c — one start of a fit: GSL's trust-region least squares
 * (Levenberg-Marquardt) on the objective's residuals.
 *
 * GSL accepts a trial step whose residuals are NaN (its ratio test compares
 * with NaN), so a point where the law or the objective is not finite is
 * given huge finite residuals instead: the step is rejected and the trust
 * region shrinks.  A NaN is a failed step, never a success.  So is a point
 * whose parameters cannot be reported: the law, computed from logarithms,
 * can be finite where A = e^a overflows to inf or underflows to 0. */
#include "solver.h"

#include <assert.h>
#include <float.h>
#include <gsl/gsl_multifit_nlinear.h>
#include <gsl/gsl_blas.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define FAILED_RESIDUAL 1e150

struct solver {
    const problem *pb;
    const dataset *d;
    size_t n, p, m;
    gsl_multifit_nlinear_workspace *w; /* allocated when first needed */
    gsl_multifit_nlinear_fdf fdf;
    lean *lean; /* NULL when the problem is not one for the lean path */
    double *theta, *lny, *r, *Jl, *slope, *f; /* carved from block */
    double *block;
    double at[FIT_MAX_PARAMS]; /* the point lny and Jl were evaluated at */
    bool cached;               /* lny and Jl hold the law at `at` */
    bool lny_cached;           /* lny does (Jl may have been scaled since) */
};

/* The law and ∂ln ŷ/∂θ at x.  GSL asks for the Jacobian at the point whose
 * residuals it has just evaluated; computing both in one pass (the
 * exponentials dominate) and keeping them saves a second evaluation. */
static void evaluate(solver *s, const double *x)
{
    if (s->cached && !memcmp(s->at, x, s->m * sizeof *x)) return;
    param_map_theta(&s->pb->map, x, s->theta);
    problem_eval(s->pb, s->theta, 0, s->n, s->lny, s->Jl);
    memcpy(s->at, x, s->m * sizeof *x);
    s->cached = s->lny_cached = true;
}

static int eval_f(const gsl_vector *x, void *params, gsl_vector *f)
{
    solver *s = params;
    const problem *pb = s->pb;
    evaluate(s, x->data);
    objective_raw(&pb->obj, s->d, s->lny, s->r, NULL, s->p);
    if (!objective_transform(&pb->obj, s->d, s->r, f->data, NULL, 0) ||
        !problem_reportable(pb, s->theta))
        for (size_t i = 0; i < s->n; i++) f->data[i] = FAILED_RESIDUAL;
    return GSL_SUCCESS;
}

/* Row i of out (n × m) is row i of J (n × p) times slope, column by
 * column: free parameter j is law parameter j, none tied or fixed.  Inlined
 * for each p, so that its loop has no branch on the map's entries. */
static inline __attribute__((always_inline)) void scale_rows(size_t p, const double *J, size_t n,
                                                             const double *slope, double *out)
{
    for (size_t i = 0; i < n; i++)
#pragma GCC unroll 8
        for (size_t j = 0; j < p; j++) out[i * p + j] = J[i * p + j] * slope[j];
}

static bool one_to_one(const param_map *map)
{
    if (map->m != map->p) return false;
    for (size_t j = 0; j < map->p; j++)
        if (map->free_of[j] != (int)j) return false;
    return true;
}

/* ∂r/∂θ (n × p) at x, folded into ∂r/∂u (n × m) in out; s->r gets r. */
static void raw_jacobian_u(solver *s, const double *x, double *out)
{
    const problem *pb = s->pb;
    evaluate(s, x);
    param_map_slope(&pb->map, x, s->slope);
    objective_raw(&pb->obj, s->d, s->lny, s->r, s->Jl, s->p);
    s->cached = false; /* objective_raw scaled Jl in place (linear space) */
    if (one_to_one(&pb->map)) {
        switch (s->p) {
        case 3: scale_rows(3, s->Jl, s->n, s->slope, out); return;
        case 5: scale_rows(5, s->Jl, s->n, s->slope, out); return;
        default: scale_rows(s->p, s->Jl, s->n, s->slope, out); return;
        }
    }
    /* the first law parameter of each free one sets its column, any tied
     * to it add to it: no zeroing a row first (a memset call a row, and a
     * store read straight back) */
    bool sets[FIT_MAX_PARAMS], seen[FIT_MAX_PARAMS] = {false};
    for (size_t j = 0; j < s->p; j++) {
        int k = pb->map.free_of[j];
        sets[j] = k >= 0 && !seen[k];
        if (k >= 0) seen[k] = true;
    }
    for (size_t i = 0; i < s->n; i++) {
        double *row = out + i * s->m;
        const double *jl = s->Jl + i * s->p;
        for (size_t j = 0; j < s->p; j++) {
            int k = pb->map.free_of[j];
            if (k < 0) continue;
            double v = jl[j] * s->slope[k];
            row[k] = sets[j] ? v : row[k] + v;
        }
    }
}

static int eval_df(const gsl_vector *x, void *params, gsl_matrix *J)
{
    solver *s = params;
    raw_jacobian_u(s, x->data, J->data); /* J is n × m with tda = m */
    if (!objective_transform(&s->pb->obj, s->d, s->r, s->f, J->data, s->m))
        return GSL_EDOM; /* only at an accepted point: the start fails */
    return GSL_SUCCESS;
}

void solver_free(solver *s)
{
    if (!s) return;
    if (s->w) gsl_multifit_nlinear_free(s->w);
    lean_free(s->lean);
    free(s->block);
    free(s);
}

static const gsl_multifit_nlinear_trs *trust_region(slaw_solver method)
{
    switch (method) {
    case SLAW_SOLVER_LMACCEL: return gsl_multifit_nlinear_trs_lmaccel;
    case SLAW_SOLVER_DOGLEG: return gsl_multifit_nlinear_trs_dogleg;
    case SLAW_SOLVER_DDOGLEG: return gsl_multifit_nlinear_trs_ddogleg;
    case SLAW_SOLVER_SUBSPACE2D: return gsl_multifit_nlinear_trs_subspace2D;
    case SLAW_SOLVER_LM: break;
    }
    return gsl_multifit_nlinear_trs_lm;
}

static gsl_multifit_nlinear_workspace *gsl_workspace(const solver *s)
{
    gsl_multifit_nlinear_parameters params = gsl_multifit_nlinear_default_parameters();
    params.trs = trust_region(s->pb->method);
    params.scale = gsl_multifit_nlinear_scale_more;
    params.solver = gsl_multifit_nlinear_solver_cholesky;
    return gsl_multifit_nlinear_alloc(gsl_multifit_nlinear_trust, &params, s->n, s->m);
}

solver *solver_new(const problem *pb)
{
    assert(pb && pb->law && pb->data);
    assert(pb->map.m <= pb->map.p && pb->map.p <= FIT_MAX_PARAMS);
    solver *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->pb = pb;
    s->d = pb->data;
    s->n = pb->data->n;
    s->p = problem_params(pb);
    s->m = pb->map.m;
    /* one block: a fit makes a solver, and each allocation of this size
     * costs the allocator a search of its bins */
    size_t n = s->n ? s->n : 1;
    s->block = malloc((2 * FIT_MAX_PARAMS + n * (3 + s->p)) * sizeof *s->block);
    if (!s->block) {
        free(s);
        return NULL;
    }
    double *at = s->block;
    s->theta = carve(&at, FIT_MAX_PARAMS);
    s->slope = carve(&at, FIT_MAX_PARAMS);
    s->lny = carve(&at, n);
    s->r = carve(&at, n);
    s->f = carve(&at, n);
    s->Jl = carve(&at, n * s->p);
    /* GSL's workspace costs as much to set up as a lean fit of 250 runs:
     * only a start the lean path cannot settle needs it. */
    if (lean_applies(pb)) s->lean = lean_new(pb);
    else s->w = gsl_workspace(s);
    if (!s->lean && !s->w) {
        solver_free(s);
        return NULL;
    }
    s->fdf = (gsl_multifit_nlinear_fdf){
        .f = eval_f, .df = eval_df, .fvv = NULL, .n = s->n, .p = s->m, .params = s};
    return s;
}

/* Blocks of rows: a start whose partial sum already exceeds the bound is
 * dropped without evaluating the rest of the runs. */
#define COST_BLOCK 64

double solver_cost_below(solver *s, const double *theta, double bound)
{
    const problem *pb = s->pb;
    const dataset *d = s->d;
    double sum = 0;
    s->cached = s->lny_cached = false;
    if (!problem_reportable(pb, theta)) return NAN;
    for (size_t at = 0; at < s->n; at += COST_BLOCK) {
        size_t n = s->n - at < COST_BLOCK ? s->n - at : COST_BLOCK;
        dataset block = dataset_rows(d, at, n);
        problem_eval(pb, theta, at, n, s->lny, NULL);
        objective_raw(&pb->obj, &block, s->lny, s->r, NULL, s->p);
        sum += objective_value(&pb->obj, &block, s->r);
        if (!(sum <= bound)) return isnan(sum) ? NAN : INFINITY;
    }
    return isfinite(sum) ? sum : NAN;
}

void solver_raw_jacobian(solver *s, const double *u, double *r, double *J)
{
    raw_jacobian_u(s, u, J);
    memcpy(r, s->r, s->n * sizeof *r);
}

const double *solver_law_at(solver *s, const double *u)
{
    if (!s->lny_cached || memcmp(s->at, u, s->m * sizeof *u)) {
        s->cached = false;
        evaluate(s, u);
    }
    return s->lny;
}

/* At a point where no step helps (GSL_ENOPROG), a small gradient means the
 * minimum has been reached to working precision (so does a last accepted
 * step that barely moved the objective: see solver_run). */
static bool gradient_small(const gsl_multifit_nlinear_workspace *w, double cost)
{
    double worst = 0;
    for (size_t k = 0; k < w->g->size; k++) {
        double scaled = fabs(gsl_vector_get(w->g, k)) * fmax(fabs(gsl_vector_get(w->x, k)), 1.0);
        worst = fmax(worst, scaled);
    }
    return worst <= 1e-6 * fmax(cost, 1e-30);
}

static double half_sum_squares(const gsl_vector *f)
{
    double sum = 0;
    for (size_t i = 0; i < f->size; i++) sum += f->data[i] * f->data[i];
    return 0.5 * sum;
}

const problem *solver_problem(const solver *s)
{
    return s->pb;
}

/* Iterations stop when GSL's step or gradient test passes, or when the
 * objective has stopped moving: a relative decrease below tol in three
 * successive accepted steps.  (Huber's transformed residuals make the last
 * digits converge linearly, so the step test alone would take long.) */
void solver_run_gsl(solver *s, const double *u0, double tol, start_result *out)
{
    gsl_vector_const_view start = gsl_vector_const_view_array(u0, s->m);
    memset(out, 0, sizeof *out);
    memcpy(out->u, u0, s->m * sizeof *u0);
    out->cost = NAN;
    out->outcome = START_INVALID;
    /* out of memory for the workspace: the start counts as failed */
    if (!s->w && !(s->w = gsl_workspace(s))) return;

    gsl_vector *f = gsl_multifit_nlinear_residual(s->w);
    if (gsl_multifit_nlinear_init(&start.vector, &s->fdf, s->w) != GSL_SUCCESS) return;
    if (gsl_vector_get(f, 0) == FAILED_RESIDUAL) return;

    double cost = half_sum_squares(f), last_decrease = INFINITY;
    if (!isfinite(cost)) return; /* residuals so large their squares overflow */
    int quiet_steps = 0;
    out->outcome = START_ITERATION_LIMIT;
    for (size_t iter = 0; iter < s->pb->max_iter; iter++) {
        int status = gsl_multifit_nlinear_iterate(s->w);
        if (status == GSL_ENOPROG) {
            bool settled =
                isfinite(cost) && (gradient_small(s->w, cost) || last_decrease <= 1e-6 * cost);
            out->outcome = settled ? START_CONVERGED : START_STALLED;
            break;
        }
        if (status != GSL_SUCCESS) {
            out->outcome = START_STALLED;
            break;
        }
        double now = half_sum_squares(f);
        last_decrease = cost - now;
        quiet_steps = last_decrease <= tol * now ? quiet_steps + 1 : 0;
        cost = now;
        int info;
        if (quiet_steps >= 3 ||
            gsl_multifit_nlinear_test(1e-10, 1e-14, 0.0, &info, s->w) == GSL_SUCCESS) {
            out->outcome = START_CONVERGED;
            break;
        }
    }
    out->cost = half_sum_squares(f);
    if (!isfinite(out->cost)) out->outcome = START_INVALID;
    out->iterations = gsl_multifit_nlinear_niter(s->w);
    memcpy(out->u, gsl_multifit_nlinear_position(s->w)->data, s->m * sizeof *out->u);
}

/* The lean path's last evaluation, at its optimum, as evaluate() would have
 * made it: the covariance and goodness of fit read the law there. */
static void keep_lean_law(solver *s, const double *u)
{
    if (!lean_law_at(s->lean, u, s->lny, s->Jl)) return;
    param_map_theta(&s->pb->map, u, s->theta);
    memcpy(s->at, u, s->m * sizeof *u);
    s->cached = s->lny_cached = true;
}

static void run_from(solver *s, const double *u0, double tol, bool near, start_result *out)
{
    if (s->lean && lean_run(s->lean, u0, tol, near, out)) {
        keep_lean_law(s, out->u);
        return;
    }
    solver_run_gsl(s, u0, tol, out);
}

static void run_once(solver *s, const double *u0, double tol, start_result *out)
{
    run_from(s, u0, tol, false, out);
}

/* Free parameter k of u, pinned, moved inside its bound by the fraction
 * depth of the span between two bounds, else of the bound's size (at
 * least 1). */
static double inside(const param_map *pm, const double *u, size_t k, double depth)
{
    double theta[FIT_MAX_PARAMS], v[FIT_MAX_PARAMS], u_on;
    double bound = param_map_pin(pm, u, k, &u_on);
    double size = pm->kind[k] == BOUND_BOTH ? pm->hi[k] - pm->lo[k] : fmax(fabs(bound), 1.0);
    bool lower = pm->kind[k] != BOUND_UPPER && bound == pm->lo[k];
    param_map_theta(pm, u, theta);
    theta[pm->param_of[k]] = lower ? bound + depth * size : bound - depth * size;
    param_map_u(pm, theta, v);
    return v[k];
}

static double cost_at(solver *s, const double *u)
{
    double theta[FIT_MAX_PARAMS];
    param_map_theta(&s->pb->map, u, theta);
    return solver_cost_below(s, theta, INFINITY);
}

/* On a bound the transform's slope dθ/du is zero, so the gradient in u
 * vanishes there whichever way the objective's gradient in θ points, and
 * a start can settle on a bound the objective would leave.  The bound is a
 * minimum only if a small step inside raises the objective; if not, this
 * gives the point to go on from, depth inside every such bound. */
static bool leaves_bound(solver *s, const double *u, double depth, double *restart)
{
    const param_map *pm = &s->pb->map;
    double here = NAN, probe[FIT_MAX_PARAMS];
    bool leaves = false;
    memcpy(restart, u, pm->m * sizeof *u);
    for (size_t k = 0; k < pm->m; k++) {
        if (!param_map_pinned(pm, u, k)) continue;
        if (isnan(here)) here = cost_at(s, u); /* only on a bound: every start passes here */
        memcpy(probe, u, pm->m * sizeof *u);
        probe[k] = inside(pm, u, k, 1e-4);
        if (!(cost_at(s, probe) < here)) continue;
        restart[k] = inside(pm, u, k, depth);
        leaves = true;
    }
    return leaves;
}

/* How near a bound a parameter of a start that did not converge counts as
 * on it: zig-zagging across the transform's edge (u around ±π/2), it makes
 * the others crawl, and the start runs out of iterations. */
#define CRAWL_NEAR_BOUND 1e-3

/* A start that ends with parameters on their bounds, polished again with
 * them held there: the zero slope dθ/du on a bound leaves the damped step
 * ill-posed, and the other parameters crawl or stop short (a relative
 * decrease of 1e-12 three times under damping of 1e13).  Taken when it
 * converges no higher. */
static void polish_held(solver *s, double tol, start_result *out)
{
    const problem *pb = s->pb;
    problem held = *pb;
    double theta[FIT_MAX_PARAMS], u_on[FIT_MAX_PARAMS], u0[FIT_MAX_PARAMS];
    double near = out->outcome == START_CONVERGED ? 1e-6 : CRAWL_NEAR_BOUND;
    bool on[FIT_MAX_PARAMS] = {false}, any = false;
    for (size_t k = pb->map.m; k-- > 0;) /* highest first: holding renumbers those after */
        if ((on[k] = param_map_within(&pb->map, out->u, k, near))) {
            param_map_hold(&held.map, k, param_map_pin(&pb->map, out->u, k, &u_on[k]));
            any = true;
        }
    if (!any || held.map.m == 0) return;
    solver *hs = solver_new(&held);
    if (!hs) return;
    start_result r;
    param_map_theta(&pb->map, out->u, theta);
    param_map_u(&held.map, theta, u0);
    run_once(hs, u0, tol, &r);
    solver_free(hs); /* it points at the local problem */
    if (r.outcome != START_CONVERGED || (out->outcome == START_CONVERGED && !(r.cost <= out->cost)))
        return;
    param_map_theta(&held.map, r.u, theta);
    param_map_u(&pb->map, theta, u0);
    for (size_t k = 0; k < pb->map.m; k++)
        if (on[k]) u0[k] = u_on[k];
    r.iterations += out->iterations;
    memcpy(r.u, u0, pb->map.m * sizeof *u0);
    r.cost = cost_at(s, r.u);
    *out = r;
}

/* How far inside a start goes on after settling on a bound it should
 * leave, each time it does. */
static const double reentry_depth[] = {0.1, 0.25, 0.5};

/* The first run from u0 with the damping given; the runs that re-enter
 * from a bound start from points of their own. */
static void run_with(solver *s, const double *u0, double tol, bool near, start_result *out)
{
    run_from(s, u0, tol, near, out);
    for (size_t r = 0; r < sizeof reentry_depth / sizeof *reentry_depth; r++) {
        double u[FIT_MAX_PARAMS];
        start_result again;
        if (out->outcome == START_INVALID) return;
        polish_held(s, tol, out);
        if (out->outcome != START_CONVERGED || !leaves_bound(s, out->u, reentry_depth[r], u))
            return;
        run_once(s, u, tol, &again);
        again.iterations += out->iterations;
        if (again.outcome != START_CONVERGED || !(again.cost < out->cost)) return;
        *out = again;
    }
}

void solver_run(solver *s, const double *u0, double tol, start_result *out)
{
    run_with(s, u0, tol, false, out);
}

void solver_run_near(solver *s, const double *u0, double tol, start_result *out)
{
    run_with(s, u0, tol, true, out);
}
