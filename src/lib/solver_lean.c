/* solver_lean.c — a lean Levenberg-Marquardt for problems with few free
 * parameters, tried before GSL's trust-region solver (solver.c).
 *
 * One pass over the runs evaluates the law with its Jacobian, the loss and
 * the normal equations (a p × p Gauss-Newton matrix and the gradient), and a
 * p × p Cholesky factorisation solves the damped step: the law's Jacobian
 * is folded into the normal equations row by row, and no BLAS call is made
 * on matrices this small.  Near the optimum it takes undamped Gauss-Newton steps that the
 * objective, at the limit of its rounding, can no longer confirm but not
 * refute either, which GSL's iterations stop short of.
 *
 * The result counts only when it passes the tests solver_run applies to
 * GSL's iterates (the same gradient and quiet-step tests, the step test on
 * the undamped step, the same judgement when no step helps); otherwise the caller runs GSL from the
 * same start, so GSL decides every start the lean path cannot settle. */
#include "solver.h"
#include "gram.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(LEAN_MAX_PARAMS <= GRAM_MAX_P, "a lean row fits gram.h's kernels");

#define MAX_REJECTS 15 /* failed trial steps in a row before giving up */
/* A bootstrap refit's Huber curvature beyond delta, as a share of GSL's:
 * from a nearby optimum, longer steps reach the resample's runs within
 * delta sooner (Epoch's Chinchilla fit: 8.6 evaluations a resample instead
 * of 10.5 at GSL's; 0.15 to 0.3 of it did as well, on simulated data too) */
#define WARM_OUTSIDE 0.4
/* From a start believed near an optimum, a step whose objective fell by the
 * model's prediction to within this share (|rho - 1|) lets the next try the
 * undamped step first: where the quadratic model holds, damping only slows
 * the weakly determined directions (a chinchilla fit of 250 runs with
 * Gauss-Newton's steps: 7 evaluations instead of 10).  Not from other starts: from NIST's first
 * start MGH17 then stops in a flat region instead of at the iteration limit. */
#define TRUSTED 0.1
/* Where the undamped Gauss-Newton step promises less than this share of the
 * objective, a trusted step is Newton's where the law gives its curvature
 * (law_curvature_fn): the bundled Chinchilla runs 5 evaluations instead of
 * 12, 250 simulated runs 6 instead of 8 (chinchilla) and 4 instead of 5
 * (saturating).  Newton's matrix from the start, or from 1e-2 of the
 * objective, took more evaluations over the golden cases' data (2344 and
 * 2301 against 2326 with Gauss-Newton's alone), from 1e-4 fewer (2274). */
#define NEWTON_TAIL 1e-4

struct lean {
    const problem *pb;
    const dataset *d;
    size_t n, p, m;
    double *lny, *Jl, *r;       /* n, n × p, n: the last point evaluated */
    double *a, *b;              /* n: w·loss'(r) and w·h(r) there (objective_loss) */
    double *block;              /* where the arrays above live */
    double at[LEAN_MAX_PARAMS]; /* that point, when evaluated is set */
    bool evaluated;
    bool newton;  /* Huber: the next normal equations with its own curvature */
    bool warm;    /* a bootstrap refit (tol >= BOOT_TOL), from the fit's optimum */
    bool near;    /* from a start believed near an optimum (lean_run) */
    bool trusted; /* near, and the last step's decrease within TRUSTED of its model's */
    bool curved;  /* Newton's matrix, not Gauss-Newton's (takes_curvature) */
};

/* A point of the search: free parameters, objective, gradient and the
 * Gauss-Newton matrix (upper triangle used). */
typedef struct point {
    double u[LEAN_MAX_PARAMS];
    double cost;
    double noise;     /* the objective's rounding error, roughly */
    uint64_t pattern; /* Huber: which runs lie within delta (a signature) */
    double g[LEAN_MAX_PARAMS];
    double H[LEAN_MAX_PARAMS * LEAN_MAX_PARAMS];
    double gn[LEAN_MAX_PARAMS]; /* the undamped step from here, once solved */
    bool gn_known, gn_ok;
} point;

bool lean_applies(const problem *pb)
{
    return pb->method == SLAW_SOLVER_LM && pb->map.m >= 1 && pb->map.m <= LEAN_MAX_PARAMS;
}

void lean_free(lean *l)
{
    if (!l) return;
    free(l->block);
    free(l);
}

/* Whether the lean path takes Newton's matrix: l2 in log space, the law's
 * curvature known (law_curvature_fn), and θ affine in u (no bounds), so
 * that H = Σ w (2 j jᵀ + 2 r ∇² ln ŷ) needs nothing from the map.  Where the
 * residuals are not small, Gauss-Newton's steps converge slowly (NEWTON_TAIL
 * says where Newton's are taken, and what they save). */
static bool takes_curvature(const problem *pb, size_t p)
{
    const objective *o = &pb->obj;
    bool affine = true;
    for (size_t k = 0; k < pb->map.m; k++) affine &= pb->map.kind[k] == BOUND_NONE;
    return pb->law->curvature && o->loss == SLAW_LOSS_L2 && o->space == SLAW_SPACE_LOG &&
           !o->direct && p <= LEAN_MAX_PARAMS && affine;
}

lean *lean_new(const problem *pb)
{
    lean *l = calloc(1, sizeof *l);
    if (!l) return NULL;
    l->pb = pb;
    l->d = pb->data;
    l->n = pb->data->n;
    l->p = problem_params(pb);
    l->m = pb->map.m;
    l->curved = takes_curvature(pb, l->p);
    size_t n = l->n ? l->n : 1;
    l->block = malloc(n * (4 + l->p) * sizeof *l->block); /* one allocation, not five */
    if (!l->block) {
        lean_free(l);
        return NULL;
    }
    double *at = l->block;
    l->lny = carve(&at, n);
    l->r = carve(&at, n);
    l->a = carve(&at, n);
    l->b = carve(&at, n);
    l->Jl = carve(&at, n * l->p);
    return l;
}

/* The law, its Jacobian and the objective at pt->u, into l's buffers and
 * pt->cost; false where the point is not finite or not reportable. */
static bool evaluate(lean *l, point *pt)
{
    const problem *pb = l->pb;
    const dataset *d = l->d;
    double theta[FIT_MAX_PARAMS];
    pt->gn_known = false;
    param_map_theta(&pb->map, pt->u, theta);
    if (!problem_reportable(pb, theta)) return false;
    problem_eval(pb, theta, 0, l->n, l->lny, l->Jl);
    memcpy(l->at, pt->u, l->m * sizeof *l->at);
    l->evaluated = true;
    objective_raw(&pb->obj, d, l->lny, l->r, l->Jl, l->p);
    const double *target = pb->obj.space == SLAW_SPACE_LOG ? d->lny : d->y;
    double cost = 0, noise = 0;
    uint64_t pattern = 0;
    if (pb->obj.loss == SLAW_LOSS_L2 && !d->w) { /* the loop below for w = 1, r² */
        for (size_t i = 0; i < l->n; i++) {
            double r = l->r[i], psi = 2.0 * r;
            cost += r * r;
            noise += fabs(psi) * (fabs(r) + fabs(target[i]));
            l->a[i] = psi;
            l->b[i] = 2.0;
        }
        goto done; /* the pattern matters to Huber alone */
    }
    for (size_t i = 0; i < l->n; i++) {
        double psi, h, w = d->w ? d->w[i] : 1.0;
        cost += w * objective_loss(&pb->obj, l->r[i], &psi, &h);
        noise += w * fabs(psi) * (fabs(l->r[i]) + fabs(target[i]));
        l->a[i] = w * psi;
        l->b[i] = w * h;
        if (fabs(l->r[i]) <= pb->obj.delta) pattern += (uint64_t)i * 0x9E3779B97F4A7C15u + 1;
    }
done:
    pt->pattern = pattern;
    pt->cost = cost;
    /* r = ŷ - y carries rounding of about eps·(|ŷ| + |y|), the sum eps·cost */
    pt->noise = 4.0 * DBL_EPSILON * (noise + 2.0 * cost);
    return isfinite(cost);
}

/* Σ b_i·j_i·j_iᵀ (upper triangle) and Σ a_i·j_i over the rows j_i of l->Jl
 * (n × p) that weigh something, added into H (p × p) and g, b_i from bs
 * (l->b; l->a for Newton's correction). */
static void accumulate_p(const lean *l, const double *bs, double *g, double *H)
{
    gram_sums(l->Jl, l->n, l->p, l->a, bs, l->d->w, g, H);
}

/* g and H (in θ, p × p) folded into gu and Hu (in u, m × m): ∂θ/∂u is
 * slope on each free parameter's θ, and a pair of tied parameters counts
 * twice on the diagonal. */
static void fold(const param_map *map, size_t p, size_t m, const double *slope, const double *g,
                 const double *H, double *gu, double *Hu)
{
    for (size_t j = 0; j < p; j++) {
        int k = map->free_of[j];
        if (k < 0) continue;
        gu[k] += slope[k] * g[j];
        for (size_t t = j; t < p; t++) {
            int q = map->free_of[t];
            if (q < 0) continue;
            double v = slope[k] * slope[q] * H[j * p + t] * (t != j && q == k ? 2.0 : 1.0);
            Hu[(size_t)(k < q ? k : q) * m + (size_t)(k < q ? q : k)] += v;
        }
    }
}

/* Gradient and Gauss-Newton matrix at the point evaluate() saw last:
 * summed over the runs in θ (p ≤ LEAN_MAX_PARAMS, else row by row in u),
 * then ∂θ/∂u folded in once; false if either is not finite. */
static bool normal_equations(lean *l, point *pt)
{
    const param_map *map = &l->pb->map;
    size_t m = l->m, p = l->p;
    double slope[FIT_MAX_PARAMS];
    param_map_slope(map, pt->u, slope);
    memset(pt->g, 0, sizeof pt->g);
    memset(pt->H, 0, sizeof pt->H);
    if (l->newton || (l->warm && l->pb->obj.loss == SLAW_LOSS_HUBER))
        for (size_t i = 0; i < l->n; i++)
            if (fabs(l->r[i]) > l->pb->obj.delta) l->b[i] *= l->newton ? 0.0 : WARM_OUTSIDE;
    if (p <= LEAN_MAX_PARAMS) {
        double g[LEAN_MAX_PARAMS] = {0}, H[LEAN_MAX_PARAMS * LEAN_MAX_PARAMS] = {0};
        accumulate_p(l, l->b, g, H);
        fold(map, p, m, slope, g, H, pt->g, pt->H);
    } else {
        for (size_t i = 0; i < l->n; i++) {
            double ju[LEAN_MAX_PARAMS] = {0};
            if (l->d->w && l->d->w[i] == 0) continue;
            const double *jl = l->Jl + i * p;
            for (size_t j = 0; j < p; j++) {
                int k = map->free_of[j];
                if (k >= 0) ju[k] += jl[j] * slope[k];
            }
            for (size_t k = 0; k < m; k++) {
                pt->g[k] += l->a[i] * ju[k];
                double bk = l->b[i] * ju[k];
                for (size_t q = k; q < m; q++) pt->H[k * m + q] += bk * ju[q];
            }
        }
    }
    double poison = 0;
    for (size_t k = 0; k < m; k++) {
        poison += pt->g[k] * 0.0;
        for (size_t q = k; q < m; q++) poison += pt->H[k * m + q] * 0.0;
    }
    return poison == 0.0;
}

/* Solves (H + mu·diag(D2)) x = -g by Cholesky; false if not positive
 * definite.  Each pivot's reciprocal is taken once and multiplied by: the
 * divisions otherwise lie one after another on the solve's critical path.
 * Inlined for each m (damped_step), so that the loops unroll. */
static inline __attribute__((always_inline)) bool cholesky_step(const point *pt, const double *D2,
                                                                double mu, size_t m, double *x)
{
    double L[LEAN_MAX_PARAMS * LEAN_MAX_PARAMS], inv[LEAN_MAX_PARAMS];
    for (size_t k = 0; k < m; k++) {
        for (size_t q = 0; q <= k; q++) {
            double s = pt->H[q * m + k] + (q == k && mu != 0 ? mu * D2[k] : 0.0);
            for (size_t t = 0; t < q; t++) s -= L[k * m + t] * L[q * m + t];
            if (q == k) {
                if (!(s > 0)) return false;
                inv[k] = 1.0 / sqrt(s);
            } else L[k * m + q] = s * inv[q];
        }
    }
    for (size_t k = 0; k < m; k++) { /* L y = -g */
        double s = -pt->g[k];
        for (size_t t = 0; t < k; t++) s -= L[k * m + t] * x[t];
        x[k] = s * inv[k];
    }
    for (size_t k = m; k-- > 0;) { /* Lᵀ x = y */
        double s = x[k];
        for (size_t t = k + 1; t < m; t++) s -= L[t * m + k] * x[t];
        x[k] = s * inv[k];
    }
    return isfinite(x[0]);
}

static bool damped_step(const point *pt, const double *D2, double mu, size_t m, double *x)
{
    switch (m) {
    case 1: return cholesky_step(pt, D2, mu, 1, x);
    case 2: return cholesky_step(pt, D2, mu, 2, x);
    case 3: return cholesky_step(pt, D2, mu, 3, x);
    case 4: return cholesky_step(pt, D2, mu, 4, x);
    case 5: return cholesky_step(pt, D2, mu, 5, x);
    default: return cholesky_step(pt, D2, mu, m, x);
    }
}

/* The undamped Gauss-Newton step from pt into x: the stopping tests and the
 * next step both want it, so it is solved once a point. */
static bool gauss_newton(point *pt, size_t m, double *x)
{
    if (!pt->gn_known) {
        pt->gn_ok = damped_step(pt, NULL, 0.0, m, pt->gn);
        pt->gn_known = true;
    }
    memcpy(x, pt->gn, m * sizeof *x);
    return pt->gn_ok;
}

/* The model's predicted decrease -(gᵀx + ½xᵀHx). */
static double predicted(const point *pt, const double *x, size_t m)
{
    double lin = 0, quad = 0;
    for (size_t k = 0; k < m; k++) {
        lin += pt->g[k] * x[k];
        double hk = pt->H[k * m + k] * x[k];
        for (size_t q = k + 1; q < m; q++) hk += 2.0 * pt->H[k * m + q] * x[q];
        quad += hk * x[k];
    }
    return -(lin + 0.5 * quad);
}

/* GSL's tests (gsl_multifit_nlinear_test with xtol 1e-10, gtol 1e-14):
 * every step component within xtol² + xtol·|u|, or the gradient scaled by
 * max(u, 1) within gtol·max(cost, 1).  The step tested is the undamped
 * Gauss-Newton step from pt, not the step just taken: a step made short by
 * heavy damping says nothing about how far the optimum is. */
static bool gsl_tests_pass(point *pt, size_t m)
{
    const double xtol = 1e-10, gtol = 1e-14;
    double dx[LEAN_MAX_PARAMS], worst = 0;
    bool small_step = gauss_newton(pt, m, dx);
    for (size_t k = 0; k < m; k++) {
        small_step = small_step && fabs(dx[k]) < xtol * xtol + xtol * fabs(pt->u[k]);
        worst = fmax(worst, fabs(fmax(pt->u[k], 1.0) * pt->g[k]));
    }
    return small_step || worst <= gtol * fmax(pt->cost, 1.0);
}

/* Whether, after a quiet step of a bootstrap refit (tol >= BOOT_TOL: only
 * the spread counts), the quadratic model at pt says the undamped step would
 * gain less than a hundredth of the tolerance: near the optimum the steps
 * converge fast, and the two more quiet steps lean_run otherwise waits for
 * would change the objective by less than that.  A fit's own polish waits
 * for them: its parameters still move in flat directions. */
static bool settled(point *pt, double tol, size_t m)
{
    double dx[LEAN_MAX_PARAMS];
    return tol >= BOOT_TOL && gauss_newton(pt, m, dx) &&
           predicted(pt, dx, m) <= 0.01 * tol * pt->cost;
}

/* solver.c's judgement when no step helps: a gradient small next to the
 * objective (scaled by max(|u|, 1)). */
static bool gradient_small(const point *pt, size_t m)
{
    double worst = 0;
    for (size_t k = 0; k < m; k++) worst = fmax(worst, fabs(pt->g[k]) * fmax(fabs(pt->u[k]), 1.0));
    return worst <= 1e-6 * fmax(pt->cost, 1e-30);
}

/* Evaluates next->u; true (with the normal equations at next) when its
 * objective is lower than cur's, or, for a step the model says gains less
 * than rounding can show, not higher by more than rounding: near an
 * ill-conditioned optimum the Gauss-Newton step is still right when the
 * objective can no longer tell. */
static bool accept(lean *l, const point *cur, point *next, double pred)
{
    if (!evaluate(l, next)) return false;
    bool lower = next->cost < cur->cost ||
                 (pred >= 0 && pred <= cur->noise && next->cost <= cur->cost + cur->noise);
    /* Huber's curvature psi/(2r) outside delta (GSL's) makes the iterations
     * converge linearly; once a step leaves the same runs within delta, the
     * loss's own curvature (0 outside) gives Newton's steps, which converge
     * fast while the runs stay */
    l->newton = l->pb->obj.loss == SLAW_LOSS_HUBER && next->pattern == cur->pattern;
    return lower && normal_equations(l, next);
}

/* Whether the step from cur to next decreased the objective as the
 * quadratic model predicted, to within TRUSTED. */
static bool as_predicted(const point *cur, const point *next, double pred)
{
    return pred > 0 && fabs((cur->cost - next->cost) / pred - 1.0) < TRUSTED;
}

/* Newton's matrix at cur into Hn: cur's Gauss-Newton matrix plus Σ a (C -
 * j jᵀ) (law_curvature_fn) folded into u; false where the law gives no
 * curvature (takes_curvature) or l's buffers do not hold cur (the point
 * last evaluated, which step() has just accepted). */
static bool newton_matrix(const lean *l, const point *cur, double *Hn)
{
    if (!l->curved || !l->evaluated || memcmp(l->at, cur->u, l->m * sizeof *cur->u)) return false;
    size_t p = l->p;
    double g[LEAN_MAX_PARAMS] = {0}, C[LEAN_MAX_PARAMS * LEAN_MAX_PARAMS] = {0};
    double gu[LEAN_MAX_PARAMS] = {0}, slope[FIT_MAX_PARAMS];
    accumulate_p(l, l->a, g, C);
    for (size_t k = 0; k < p; k++)
        for (size_t q = k; q < p; q++) C[k * p + q] = -C[k * p + q];
    l->pb->law->curvature((law_inputs)l->d->lnx, l->n, l->Jl, l->a, g, C);
    param_map_slope(&l->pb->map, cur->u, slope);
    memcpy(Hn, cur->H, sizeof cur->H);
    fold(&l->pb->map, p, l->m, slope, g, C, gu, Hn);
    return true;
}

/* Whether cur is in the tail of the search: the undamped Gauss-Newton step
 * promises less than NEWTON_TAIL of the objective. */
static bool in_tail(point *cur, size_t m)
{
    double dx[LEAN_MAX_PARAMS];
    return gauss_newton(cur, m, dx) && predicted(cur, dx, m) < NEWTON_TAIL * cur->cost;
}

/* Newton's undamped step from cur into next, in the tail of a search whose
 * last step went as its model predicted, where the law's curvature is
 * known: there the residuals' curvature leaves Gauss-Newton's steps a
 * linear convergence; true if it was accepted. */
static bool newton_step(lean *l, point *cur, point *next)
{
    point newton = *cur;
    double dx[LEAN_MAX_PARAMS];
    if (!newton_matrix(l, cur, newton.H) || !damped_step(&newton, NULL, 0.0, l->m, dx))
        return false;
    double pred = predicted(&newton, dx, l->m);
    for (size_t k = 0; k < l->m; k++) next->u[k] = cur->u[k] + dx[k];
    bool accepted = accept(l, cur, next, pred);
    l->trusted = accepted && as_predicted(cur, next, pred); /* else damped steps follow */
    return accepted;
}

/* One accepted step from *cur into *next: Newton's step in the tail of a
 * trusted search (newton_step); else the undamped Gauss-Newton step where it
 * promises no more than rounding, or, in a bootstrap refit, where it lowers
 * the objective (from a nearby optimum it nearly always does: damping only
 * shortened it, a fifth of the steps more per resample), or near an optimum
 * where the last step went as its model predicted (TRUSTED); else damped
 * steps, the damping (mu, nu) adapted as Nielsen's rule does; false after
 * MAX_REJECTS failed trials in a row. */
static bool step(lean *l, point *cur, point *next, const double *D2, double *mu, double *nu)
{
    size_t m = l->m;
    double dx[LEAN_MAX_PARAMS];
    if (l->trusted && l->curved && in_tail(cur, m) && newton_step(l, cur, next)) return true;
    if (gauss_newton(cur, m, dx)) {
        double pred = predicted(cur, dx, m);
        for (size_t k = 0; k < m; k++) next->u[k] = cur->u[k] + dx[k];
        if ((pred <= cur->noise || l->warm || l->trusted) && accept(l, cur, next, pred)) {
            l->trusted = l->trusted && as_predicted(cur, next, pred);
            return true;
        }
    }
    for (int rejects = 0; rejects < MAX_REJECTS; rejects++) {
        if (damped_step(cur, D2, *mu, m, dx)) {
            for (size_t k = 0; k < m; k++) next->u[k] = cur->u[k] + dx[k];
            double pred = predicted(cur, dx, m);
            if (accept(l, cur, next, pred)) {
                double rho = pred > 0 ? (cur->cost - next->cost) / pred : 1.0, t = 2.0 * rho - 1.0;
                *mu *= fmax(1.0 / 3.0, 1.0 - t * t * t);
                *nu = 2.0;
                l->trusted = l->near && as_predicted(cur, next, pred);
                return true;
            }
        }
        *mu *= *nu;
        *nu *= 2.0;
    }
    return false;
}

bool lean_law_at(const lean *l, const double *u, double *lny, double *J)
{
    const objective *o = &l->pb->obj;
    /* objective_raw scales the Jacobian in place for a law's ln ŷ in linear space */
    bool raw = o->space == SLAW_SPACE_LOG || o->direct;
    if (!raw || !l->evaluated || memcmp(l->at, u, l->m * sizeof *u)) return false;
    memcpy(lny, l->lny, l->n * sizeof *lny);
    memcpy(J, l->Jl, l->n * l->p * sizeof *J);
    return true;
}

bool lean_run(lean *l, const double *u0, double tol, bool near, start_result *out)
{
    size_t m = l->m;
    point pts[2], *cur = &pts[0], *next = &pts[1];
    double D2[LEAN_MAX_PARAMS], mu = near ? LEAN_DAMPING_NEAR : LEAN_DAMPING, nu = 2.0;
    double last_decrease = INFINITY;
    memcpy(cur->u, u0, m * sizeof *u0);
    l->newton = false;
    l->near = near;
    l->trusted = false;
    l->evaluated = false;
    l->warm = tol >= BOOT_TOL;
    if (!evaluate(l, cur) || !normal_equations(l, cur)) return false;
    for (size_t k = 0; k < m; k++) D2[k] = cur->H[k * m + k] > 0 ? cur->H[k * m + k] : 1.0;
    bool converged = false;
    int quiet_steps = 0;
    size_t iter = 0;
    while (iter < l->pb->max_iter) {
        iter++;
        if (!step(l, cur, next, D2, &mu, &nu)) {
            converged = gradient_small(cur, m) || last_decrease <= 1e-6 * cur->cost;
            break;
        }
        last_decrease = cur->cost - next->cost;
        quiet_steps = last_decrease <= tol * next->cost ? quiet_steps + 1 : 0;
        point *t = cur;
        cur = next;
        next = t;
        for (size_t k = 0; k < m; k++) D2[k] = fmax(D2[k], cur->H[k * m + k]);
        if (quiet_steps >= 3 || (quiet_steps && settled(cur, tol, m)) || gsl_tests_pass(cur, m)) {
            converged = true;
            break;
        }
    }
    if (!converged) return false;
    memset(out, 0, sizeof *out);
    memcpy(out->u, cur->u, m * sizeof *out->u);
    out->cost = cur->cost;
    out->iterations = iter;
    out->outcome = START_CONVERGED;
    return true;
}
