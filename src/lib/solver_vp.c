/* solver_vp.c — variable projection: the start grid of a law linear in some
 * of its parameters.
 *
 * Given its other parameters ν (the exponents), such a law predicts
 * ŷ = r0(ν) + Σ_g c_g φ_g(ν), so at each point of ν's grid the c_g that fit
 * the data best are a small linear least-squares problem: a handful of
 * exponent points replaces a grid over every parameter.  φ_g comes from the
 * law itself: at c = 1, ∂ŷ/∂c (problem_eval_values).  The points are
 * starts only; the search ranks them by the objective and polishes the best
 * with the solver. */
#include "solver_vp.h"
#include "error.h"
#include "gram.h"
#include "vmath.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A term the data would rather drop still gets a positive value on a log
 * scale: its mean size this share of the data's mean. */
#define POSITIVE_FLOOR 1e-3
/* How far inside its bounds a solved parameter starts: this share of the
 * range, or of the bound's magnitude (at least 1) for one bound. */
#define BOUND_MARGIN 0.05
/* Reweighted solves for huber and asym after the first. */
#define IRLS_ROUNDS 2

/* The linear parameters in groups: a free one and those tied to it. */
typedef struct vp_plan {
    size_t G;
    size_t leader[VP_MAX_LINEAR];    /* the free law parameter of group g */
    unsigned members[VP_MAX_LINEAR]; /* bit j: law parameter j takes its value */
    size_t n_members[VP_MAX_LINEAR], member[VP_MAX_LINEAR][LAW_MAX_PARAMS]; /* the same, listed */
    double lo[VP_MAX_LINEAR], hi[VP_MAX_LINEAR]; /* its bounds, natural scale */
    bool separable;                              /* the law's ŷ is Σ c_g φ_g (law->separable) */
    unsigned depends[VP_MAX_LINEAR];             /* the law parameters group g's φ changes with */
} vp_plan;

/* The bounds of free parameter k on the natural scale of law parameter j. */
static void natural_bounds(const problem *pb, size_t j, size_t k, double *lo, double *hi)
{
    const param_map *pm = &pb->map;
    bool lower = pm->kind[k] == BOUND_LOWER || pm->kind[k] == BOUND_BOTH;
    bool upper = pm->kind[k] == BOUND_UPPER || pm->kind[k] == BOUND_BOTH;
    *lo = lower ? law_to_natural(pb->law, j, pm->lo[k]) : -INFINITY;
    *hi = upper ? law_to_natural(pb->law, j, pm->hi[k]) : INFINITY;
}

static bool is_linear(const slaw_law *law, size_t j)
{
    return (law->linear & 1u << j) != 0;
}

static bool plan_build(const problem *pb, vp_plan *pl)
{
    const slaw_law *law = pb->law;
    const param_map *pm = &pb->map;
    memset(pl, 0, sizeof *pl);
    if (!law->linear || pb->joint) return false;
    for (size_t j = 0; j < law->n_params; j++) {
        if (pm->state[j] == SLAW_PARAM_FIXED) continue;
        size_t k = (size_t)pm->free_of[j], lead = pm->param_of[k];
        bool linear = is_linear(law, j);
        if (linear != is_linear(law, lead)) return false; /* a tie across kinds */
        if (!linear) continue;
        size_t g = 0;
        while (g < pl->G && pl->leader[g] != lead) g++;
        if (g == pl->G) {
            if (g == VP_MAX_LINEAR) return false;
            pl->leader[g] = lead;
            natural_bounds(pb, lead, k, &pl->lo[g], &pl->hi[g]);
            pl->G++;
        }
        pl->members[g] |= 1u << j;
        pl->member[g][pl->n_members[g]++] = j;
        pl->depends[g] |= law->basis_depends[j];
    }
    /* a fixed linear parameter would be a term of r0 */
    pl->separable = law->separable && law->values && !law->program;
    for (size_t j = 0; j < law->n_params; j++)
        if (is_linear(law, j) && pm->state[j] == SLAW_PARAM_FIXED) pl->separable = false;
    return pl->G > 0;
}

bool vp_applies(const problem *pb)
{
    vp_plan pl;
    return plan_build(pb, &pl);
}

/* A separable law's basis columns (law->separable): each group's φ for
 * the values of the parameters it depends on that the grid has met, each
 * with theta as it was then (only those parameters compared) and whether
 * the column is finite. */
typedef struct column_cache {
    size_t count, capacity; /* entries stored, and room for them */
    size_t next;            /* the entry a full cache gives up next */
    double *theta;          /* count × p */
    double *col;            /* count × n */
    bool *finite;
    double *sums; /* count × COLUMN_SUMS: l2's sums of the column (column_sums) */
} column_cache;

/* Each column's sums over the rows, weights ω: Σ ω φ², Σ ω φ y, Σ |φ|
 * over the rows that weigh something, and the least φ of all. */
enum { SUM_SQUARE, SUM_Y, SUM_SIZE, SUM_LEAST, COLUMN_SUMS };

/* Σ ω φ_g φ_h for two groups, for the values of the parameters either
 * depends on that the grid has met. */
typedef struct pair_cache {
    size_t count;
    double *theta; /* count × p */
    double *sum;
} pair_cache;

/* Scratch of one grid: the law and its derivatives at c = 1, the basis
 * φ (n × G), the target less r0, and the weights of the rows. */
typedef struct vp_work {
    size_t n, p, G;
    double *lny, *J, *phi, *target, *omega, *mult, *r0;
    column_cache cache[VP_MAX_LINEAR]; /* a separable law's (distinct_columns sizes them) */
    pair_cache pairs[VP_MAX_LINEAR][VP_MAX_LINEAR]; /* [g][h], g < h: with l2 */
    const double *cols[VP_MAX_LINEAR];              /* this point's columns */
    const double *col_sums[VP_MAX_LINEAR];          /* and their sums */
    bool sums_cached; /* l2 with a separable law: the solve's sums from the caches */
    unsigned moved;   /* the parameters whose values differ between the grid's points */
    double M[VP_MAX_LINEAR * VP_MAX_LINEAR], b[VP_MAX_LINEAR]; /* the last such solve's */
    double *block;     /* where every array above lives (work_alloc) */
    double yy, mean_y; /* Σ ω y², Σ |y| over the rows that weigh something */
    size_t counted;    /* those rows */
} vp_work;

static void work_free(vp_work *w)
{
    free(w->block);
}

/* The next count doubles of the block at *at. */
/* Every array of w in one block: a screen is a few dozen of them.  Group g's
 * cache has room for columns[g] columns of n rows (NULL: none); each pair's
 * for points entries. */
static bool work_alloc(vp_work *w, size_t n, size_t p, size_t G, const size_t *columns,
                       size_t points)
{
    *w = (vp_work){.n = n, .p = p, .G = G};
    size_t rows = n ? n : 1, pairs = G * (G - 1) / 2, kept = 0;
    for (size_t g = 0; columns && g < G; g++) kept += columns[g];
    points = columns ? points : 0;
    size_t doubles =
        kept * (p + rows + COLUMN_SUMS) + pairs * points * (p + 1) + rows * (p + G + 5);
    w->block = malloc(doubles * sizeof(double) + (kept ? kept : 1) * sizeof(bool));
    if (!w->block) return false;
    double *at = w->block;
    for (size_t g = 0; g < G; g++) {
        column_cache *c = &w->cache[g];
        c->capacity = columns ? columns[g] : 0;
        c->theta = carve(&at, c->capacity * p);
        c->col = carve(&at, c->capacity * rows);
        c->sums = carve(&at, c->capacity * COLUMN_SUMS);
        for (size_t h = g + 1; h < G; h++) {
            pair_cache *q = &w->pairs[g][h];
            q->theta = carve(&at, points * p);
            q->sum = carve(&at, points);
        }
    }
    w->lny = carve(&at, rows);
    w->J = carve(&at, rows * p);
    w->phi = carve(&at, rows * G);
    w->target = carve(&at, rows);
    w->omega = carve(&at, rows);
    w->mult = carve(&at, rows);
    w->r0 = carve(&at, rows);
    bool *finite = (bool *)at;
    for (size_t g = 0; g < G; g++) {
        w->cache[g].finite = finite;
        finite += w->cache[g].capacity;
    }
    for (size_t i = 0; i < n; i++) w->mult[i] = 1.0;
    memset(w->r0, 0, rows * sizeof *w->r0); /* stays 0 for a separable law */
    return true;
}

/* φ and the target y - r0 at theta, whose linear parameters are 1. */
/* basis's loop over the rows, inlined for each G so that the loop over the
 * groups unrolls; false when a target is not finite. */
static inline __attribute__((always_inline)) bool
basis_rows(size_t G, bool untied, const vp_plan *pl, const dataset *d, vp_work *w)
{
    bool finite = true;
    for (size_t i = 0; i < w->n; i++) {
        double yhat = w->r0[i], r0 = yhat;
        const double *row = w->J + i * w->p;
#pragma GCC unroll 4
        for (size_t g = 0; g < G; g++) {
            double phi = row[pl->member[g][0]];
            for (size_t k = 1; !untied && k < pl->n_members[g]; k++) phi += row[pl->member[g][k]];
            w->phi[i * G + g] = phi;
            r0 -= phi;
        }
        w->r0[i] = r0;
        w->target[i] = d->y[i] - r0;
        finite &= isfinite(w->target[i]); /* no branch a row */
    }
    return finite;
}

/* Whether key and theta agree in every parameter of mask. */
static bool same_values(const double *key, const double *theta, unsigned mask)
{
    bool same = true;
    for (; mask; mask &= mask - 1) {
        int j = __builtin_ctz(mask);
        same &= key[j] == theta[j];
    }
    return same;
}

/* The entry of group g's cache for theta, or SIZE_MAX. */
static size_t cached_column(const column_cache *c, unsigned key, const double *theta, size_t p)
{
    for (size_t e = 0; e < c->count; e++)
        if (same_values(c->theta + e * p, theta, key)) return e;
    return SIZE_MAX;
}

/* Group g's column at theta into col: from the law's basis columns where it
 * gives them (law_basis_fn), straight into the cache, else from w->J, the
 * law's derivatives at theta. */
static void group_column(const problem *pb, const vp_plan *pl, size_t g, const double *theta,
                         vp_work *w, double *col)
{
    const slaw_law *law = pb->law;
    size_t n = w->n, p = w->p;
    if (law->basis && !law->program) {
        law->basis(theta, (law_inputs)pb->data->lnx, n, pl->member[g][0], col);
        for (size_t k = 1; k < pl->n_members[g]; k++) {
            law->basis(theta, (law_inputs)pb->data->lnx, n, pl->member[g][k], w->lny);
            for (size_t i = 0; i < n; i++) col[i] += w->lny[i];
        }
        return;
    }
    /* in locals: the stores to col could otherwise change w's fields */
    const double *J = w->J + pl->member[g][0];
    for (size_t i = 0; i < n; i++) col[i] = J[i * p];
    for (size_t k = 1; k < pl->n_members[g]; k++) {
        J = w->J + pl->member[g][k];
        for (size_t i = 0; i < n; i++) col[i] += J[i * p];
    }
}

/* Stores group g's column at theta, with its sums; returns its entry. */
static size_t store_column(const problem *pb, const vp_plan *pl, size_t g, const double *theta,
                           vp_work *w)
{
    column_cache *c = &w->cache[g];
    /* full (distinct_columns's bound was short): the oldest entry goes; this
     * point's columns of the other groups are in their own caches */
    size_t e = c->count < c->capacity ? c->count++ : c->next++ % c->capacity, n = w->n;
    double *col = c->col + e * n, *sums = c->sums + e * COLUMN_SUMS;
    memcpy(c->theta + e * w->p, theta, w->p * sizeof *theta);
    group_column(pb, pl, g, theta, w, col);
    column_sums cs;
    gram_column(col, w->omega, pb->data->y, n, &cs);
    c->finite[e] = cs.finite;
    sums[SUM_SQUARE] = cs.square;
    sums[SUM_Y] = cs.with_y;
    sums[SUM_SIZE] = cs.size;
    sums[SUM_LEAST] = cs.least;
    return e;
}

/* basis() for a separable law: ŷ = Σ c_g φ_g, so r0 = 0 and the target is
 * y; each group's column comes from the cache, the law evaluated only when
 * one is missing (chinchilla's 5 × 5 grid: 9 evaluations, not 25).  The
 * rows' φ are laid out for the other losses' reweighted solves alone. */
static bool separable_basis(const problem *pb, const vp_plan *pl, const double *theta, vp_work *w)
{
    size_t entry[VP_MAX_LINEAR];
    bool finite = true, missing = false;
    for (size_t g = 0; g < pl->G; g++) {
        /* its own members too: held at 1 on the grid, so they match */
        entry[g] = cached_column(&w->cache[g], pl->depends[g] | pl->members[g], theta, w->p);
        missing |= entry[g] == SIZE_MAX;
    }
    /* without basis columns, the law's derivatives hold every group's */
    if (missing && (!pb->law->basis || pb->law->program))
        problem_eval_values(pb, theta, w->n, w->lny, w->J);
    for (size_t g = 0; g < pl->G; g++) {
        const column_cache *c = &w->cache[g];
        if (entry[g] == SIZE_MAX) entry[g] = store_column(pb, pl, g, theta, w);
        finite &= c->finite[entry[g]];
        w->cols[g] = c->col + entry[g] * w->n;
        w->col_sums[g] = c->sums + entry[g] * COLUMN_SUMS;
    }
    if (w->sums_cached) return finite;
    for (size_t i = 0; i < w->n; i++) {
        for (size_t g = 0; g < pl->G; g++) w->phi[i * pl->G + g] = w->cols[g][i];
        w->target[i] = pb->data->y[i];
    }
    return finite;
}

/* Σ ω φ_g φ_h (h < g) at theta, from the pair's cache or summed and
 * stored. */
static double cross_sum(const vp_plan *pl, size_t g, size_t h, const double *theta, vp_work *w)
{
    pair_cache *q = &w->pairs[h][g];
    unsigned key = pl->depends[g] | pl->members[g] | pl->depends[h] | pl->members[h];
    /* a pair that changes with every parameter the grid moves is new at
     * every point (chinchilla's A and B): nothing to look up or keep */
    bool kept = (key & w->moved) != w->moved;
    for (size_t e = 0; kept && e < q->count; e++)
        if (same_values(q->theta + e * w->p, theta, key)) return q->sum[e];
    double sum = gram_cross(w->cols[g], w->cols[h], w->omega, w->n);
    if (kept) {
        memcpy(q->theta + q->count * w->p, theta, w->p * sizeof *theta);
        q->sum[q->count++] = sum;
    }
    return sum;
}

static bool basis(const problem *pb, const vp_plan *pl, const double *theta, vp_work *w)
{
    if (pl->separable) return separable_basis(pb, pl, theta, w);
    problem_eval_values(pb, theta, w->n, w->r0, w->J); /* ŷ, which becomes r0 below */
    bool untied = true; /* one law parameter a group: the usual case, unrolled */
    for (size_t g = 0; g < pl->G; g++) untied &= pl->n_members[g] == 1;
    switch (untied ? pl->G : 0) {
    case 1: return basis_rows(1, true, pl, pb->data, w);
    case 2: return basis_rows(2, true, pl, pb->data, w);
    case 3: return basis_rows(3, true, pl, pb->data, w);
    default: return basis_rows(pl->G, untied, pl, pb->data, w);
    }
}

/* Solves the rows of system A x = r (k × k, row length G) by Cholesky;
 * false when A is not positive definite to working precision (A has a unit
 * diagonal, so the pivots are relative).  The pivots' reciprocals are
 * multiplied by, so that no division waits on another. */
static inline __attribute__((always_inline)) bool cholesky_solve(size_t k, size_t G, double *A,
                                                                 double *r)
{
    double inv[VP_MAX_LINEAR] = {0}; /* zeroed: gcc cannot tell that the loop fills it */
    for (size_t i = 0; i < k; i++) {
        for (size_t j = 0; j <= i; j++) {
            double s = A[i * G + j];
            for (size_t l = 0; l < j; l++) s -= A[i * G + l] * A[j * G + l];
            if (i == j) {
                if (!(s > 1e-12)) return false;
                inv[i] = 1.0 / sqrt(s);
            } else {
                A[i * G + j] = s * inv[j];
            }
        }
    }
    for (size_t i = 0; i < k; i++) {
        for (size_t l = 0; l < i; l++) r[i] -= A[i * G + l] * r[l];
        r[i] *= inv[i];
    }
    for (size_t i = k; i-- > 0;) {
        for (size_t l = i + 1; l < k; l++) r[i] -= A[l * G + i] * r[l];
        r[i] *= inv[i];
    }
    return true;
}

/* The minimum of xᵀMx - 2bᵀx on one face of the box: variables whose state
 * is 1 or 2 held at lo or hi, the others solved.  Returns its value, or
 * +inf when the face's minimum is not determined or leaves the box. */
static inline __attribute__((always_inline)) double face_minimum(size_t G, const double *M,
                                                                 const double *b, const double *lo,
                                                                 const double *hi, const int *state,
                                                                 double *x)
{
    size_t free_ix[VP_MAX_LINEAR], k = 0;
    for (size_t g = 0; g < G; g++) {
        if (state[g] == 1) x[g] = lo[g];
        else if (state[g] == 2) x[g] = hi[g];
        else free_ix[k++] = g;
        if (!isfinite(x[g]) && state[g]) return INFINITY;
    }
    double A[VP_MAX_LINEAR * VP_MAX_LINEAR], r[VP_MAX_LINEAR];
    for (size_t a = 0; a < k; a++) {
        size_t g = free_ix[a];
        r[a] = b[g];
        for (size_t h = 0; h < G; h++)
            if (state[h]) r[a] -= M[g * G + h] * x[h];
        for (size_t c = 0; c < k; c++) A[a * G + c] = M[g * G + free_ix[c]];
    }
    if (!cholesky_solve(k, G, A, r)) return INFINITY;
    for (size_t a = 0; a < k; a++) {
        size_t g = free_ix[a];
        if (!(r[a] >= lo[g] && r[a] <= hi[g])) return INFINITY;
        x[g] = r[a];
    }
    double q = 0;
    for (size_t g = 0; g < G; g++) {
        double mx = 0;
        for (size_t h = 0; h < G; h++) mx += M[g * G + h] * x[h];
        q += x[g] * (mx - 2 * b[g]);
    }
    return q;
}

/* Whether x, the minimum on the face state holds, is the minimum over the
 * whole box (the problem being convex): the objective's gradient 2(Mx - b)
 * must not point into the box along a held variable, i.e. be >= 0 at a
 * lower bound and <= 0 at an upper one. */
static inline __attribute__((always_inline)) bool
box_optimal(size_t G, const double *M, const double *b, const int *state, const double *x)
{
    for (size_t g = 0; g < G; g++) {
        if (!state[g]) continue;
        double slope = -b[g];
        for (size_t h = 0; h < G; h++) slope += M[g * G + h] * x[h];
        if (state[g] == 1 ? !(slope >= 0) : !(slope <= 0)) return false;
    }
    return true;
}

/* Minimises cᵀMc - 2bᵀc over lo <= c <= hi: the unconstrained minimum when
 * it lies in the box, else by trying the faces of the box (3^G of them, G
 * <= 4), fewest held variables first, until one's minimum is the box's: a
 * convex quadratic's minimum over a box is the unconstrained minimum on one
 * face.  Columns are scaled to a unit diagonal first.  Returns false when
 * no face has a determined minimum. */
static inline __attribute__((always_inline)) bool box_least_squares(size_t G, const double *M,
                                                                    const double *b,
                                                                    const double *lo,
                                                                    const double *hi, double *c)
{
    /* zeroed: gcc cannot tell that the loops below fill them */
    double s[VP_MAX_LINEAR] = {0}, Ms[VP_MAX_LINEAR * VP_MAX_LINEAR] = {0}, bs[VP_MAX_LINEAR] = {0};
    double los[VP_MAX_LINEAR] = {0}, his[VP_MAX_LINEAR] = {0}, x[VP_MAX_LINEAR], best = INFINITY;
    for (size_t g = 0; g < G; g++) {
        if (!(M[g * G + g] > 0) || !isfinite(M[g * G + g])) return false;
        s[g] = sqrt(M[g * G + g]);
        bs[g] = b[g] / s[g];
        los[g] = lo[g] * s[g];
        his[g] = hi[g] * s[g];
    }
    for (size_t g = 0; g < G; g++)
        for (size_t h = 0; h < G; h++) Ms[g * G + h] = M[g * G + h] / (s[g] * s[h]);
    /* the unconstrained minimum (face 0), when inside the box, is the box's */
    int none_held[VP_MAX_LINEAR] = {0};
    if (isfinite(face_minimum(G, Ms, bs, los, his, none_held, x))) {
        for (size_t g = 0; g < G; g++) c[g] = x[g] / s[g];
        return true;
    }
    size_t faces = 1;
    for (size_t g = 0; g < G; g++) faces *= 3;
    /* faces with fewer variables held first: the first minimum that the
     * gradient's signs show to be the box's ends the search */
    for (size_t held = 1; held <= G; held++)
        for (size_t f = 1; f < faces; f++) {
            int state[VP_MAX_LINEAR];
            size_t count = 0;
            for (size_t g = 0, rest = f; g < G; g++, rest /= 3) {
                state[g] = (int)(rest % 3);
                count += state[g] != 0;
            }
            if (count != held) continue;
            double q = face_minimum(G, Ms, bs, los, his, state, x);
            if (!(q < best)) continue;
            best = q;
            for (size_t g = 0; g < G; g++) c[g] = x[g] / s[g];
            if (box_optimal(G, Ms, bs, state, x)) return true;
        }
    return isfinite(best);
}

/* box_least_squares inlined for each G, so that the loops over G unroll. */
bool vp_box_least_squares(size_t G, const double *M, const double *b, const double *lo,
                          const double *hi, double *c)
{
    switch (G) {
    case 1: return box_least_squares(1, M, b, lo, hi, c);
    case 2: return box_least_squares(2, M, b, lo, hi, c);
    case 3: return box_least_squares(3, M, b, lo, hi, c);
    default: return box_least_squares(G, M, b, lo, hi, c);
    }
}

/* The sums of solve_linear's normal equations over the rows: M's lower
 * triangle, b, each basis column's size and the target's over the rows that
 * weigh something; inlined for each G, so that the loops over G unroll and
 * the sums stay in registers (each summed in row order). */
static inline __attribute__((always_inline)) size_t normal_sums(size_t G, const problem *pb,
                                                                const vp_work *w, double *M,
                                                                double *b, double *size,
                                                                double *mean_y)
{
    double Ms[VP_MAX_LINEAR * VP_MAX_LINEAR] = {0}, bs[VP_MAX_LINEAR] = {0},
                              ss[VP_MAX_LINEAR] = {0}, ys = 0;
    size_t counted = 0;
    for (size_t i = 0; i < w->n; i++) {
        double om = w->omega[i] * w->mult[i];
        const double *phi = w->phi + i * G;
        /* 0 or 1, not a branch: φ is finite here (basis), so 0·|φ| adds nothing */
        double in = om > 0 ? 1.0 : 0.0;
        counted += om > 0;
        ys += in * fabs(pb->data->y[i]);
#pragma GCC unroll 4
        for (size_t g = 0; g < G; g++) ss[g] += in * fabs(phi[g]);
#pragma GCC unroll 4
        for (size_t g = 0; g < G; g++) {
            bs[g] += om * phi[g] * w->target[i];
#pragma GCC unroll 4
            for (size_t h = 0; h <= g; h++) Ms[g * G + h] += om * phi[g] * phi[h];
        }
    }
    for (size_t g = 0; g < G; g++) {
        b[g] = bs[g];
        size[g] = ss[g];
        for (size_t h = 0; h <= g; h++) M[g * G + h] = Ms[g * G + h];
    }
    *mean_y = ys;
    return counted;
}

/* Solves M c = b (M's lower triangle given) within the bounds, the
 * positive floor applied on a log scale. */
static bool solve_sums(const problem *pb, const vp_plan *pl, double *M, const double *b,
                       const double *size, double mean_y, size_t counted, double *c)
{
    size_t G = pl->G;
    double lo[VP_MAX_LINEAR], hi[VP_MAX_LINEAR];
    for (size_t g = 0; g < G; g++)
        for (size_t h = 0; h < g; h++) M[h * G + g] = M[g * G + h];
    for (size_t g = 0; g < G; g++) {
        lo[g] = pl->lo[g];
        hi[g] = pl->hi[g];
        if (pb->law->params[pl->leader[g]].scale == SCALE_LOG) {
            if (!(size[g] > 0)) return false;
            lo[g] = fmax(lo[g], POSITIVE_FLOOR * mean_y / size[g]);
            if (!(lo[g] <= hi[g])) return false;
        }
    }
    return counted && vp_box_least_squares(G, M, b, lo, hi, c);
}

/* The weighted normal equations of the rows, weights omega · mult, solved
 * within the bounds (the positive floor on a log scale included). */
static bool solve_linear(const problem *pb, const vp_plan *pl, const vp_work *w, double *c)
{
    size_t G = pl->G, counted;
    double M[VP_MAX_LINEAR * VP_MAX_LINEAR] = {0}, b[VP_MAX_LINEAR] = {0};
    double size[VP_MAX_LINEAR] = {0}, mean_y = 0;
    switch (G) {
    case 1: counted = normal_sums(1, pb, w, M, b, size, &mean_y); break;
    case 2: counted = normal_sums(2, pb, w, M, b, size, &mean_y); break;
    case 3: counted = normal_sums(3, pb, w, M, b, size, &mean_y); break;
    default: counted = normal_sums(G, pb, w, M, b, size, &mean_y); break;
    }
    return solve_sums(pb, pl, M, b, size, mean_y, counted, c);
}

/* solve_linear's sums from a separable law's caches (l2, mult = 1), each
 * column's once and each pair's once for the values of the parameters they
 * depend on (summed in another order: the last bits may differ); M and b
 * are kept for cached_value. */
static bool solve_cached(const problem *pb, const vp_plan *pl, const double *theta, vp_work *w,
                         double *c)
{
    size_t G = pl->G;
    double size[VP_MAX_LINEAR];
    for (size_t g = 0; g < G; g++) {
        w->M[g * G + g] = w->col_sums[g][SUM_SQUARE];
        w->b[g] = w->col_sums[g][SUM_Y];
        size[g] = w->col_sums[g][SUM_SIZE];
        for (size_t h = 0; h < g; h++) w->M[g * G + h] = cross_sum(pl, g, h, theta, w);
    }
    double M[VP_MAX_LINEAR * VP_MAX_LINEAR];
    memcpy(M, w->M, sizeof M);
    return solve_sums(pb, pl, M, w->b, size, w->mean_y, w->counted, c);
}

/* Huber's and asym's weights at the residuals of c, as iteratively
 * reweighted least squares: the screen then ranks as the loss does. */
static void reweight(const problem *pb, const vp_plan *pl, vp_work *w, const double *c)
{
    const objective *o = &pb->obj;
    for (size_t i = 0; i < w->n; i++) {
        double fit = 0;
        for (size_t g = 0; g < pl->G; g++) fit += c[g] * w->phi[i * pl->G + g];
        double r = fit - w->target[i];
        if (o->space == SLAW_SPACE_LOG) r /= pb->data->y[i];
        if (o->loss == SLAW_LOSS_HUBER) w->mult[i] = fabs(r) <= o->delta ? 1.0 : o->delta / fabs(r);
        else w->mult[i] = r > 0 ? o->asym_w : 1.0;
    }
}

/* Internal value t of free parameter k, kept a margin inside its bounds:
 * the bounds' transforms hold a start on a bound there (their slope is 0),
 * and an optimum on a bound is found by settling a start near it
 * (fit_settle_bounds). */
static double inside(const param_map *pm, size_t k, double t)
{
    double lo = pm->lo[k], hi = pm->hi[k];
    double margin = pm->kind[k] == BOUND_BOTH ? BOUND_MARGIN * (hi - lo)
                                              : BOUND_MARGIN * fmax(1.0, fabs(isinf(lo) ? hi : lo));
    if (pm->kind[k] == BOUND_LOWER || pm->kind[k] == BOUND_BOTH) t = fmax(t, lo + margin);
    if (pm->kind[k] == BOUND_UPPER || pm->kind[k] == BOUND_BOTH) t = fmin(t, hi - margin);
    return t;
}

/* Completes the point theta: its linear parameters solved (true), or left
 * at 1 when the basis is not finite or the solve not determined. */
static bool project_point(const problem *pb, const vp_plan *pl, vp_work *w, double *theta)
{
    double c[VP_MAX_LINEAR];
    if (pb->obj.loss != SLAW_LOSS_L2) /* reweighted below; l2's stay 1 */
        for (size_t i = 0; i < w->n; i++) w->mult[i] = 1.0;
    if (!basis(pb, pl, theta, w)) return false;
    if (!(w->sums_cached ? solve_cached(pb, pl, theta, w, c) : solve_linear(pb, pl, w, c)))
        return false;
    for (int round = 0; pb->obj.loss != SLAW_LOSS_L2 && round < IRLS_ROUNDS; round++) {
        double next[VP_MAX_LINEAR];
        reweight(pb, pl, w, c);
        if (!solve_linear(pb, pl, w, next)) break;
        memcpy(c, next, sizeof c);
    }
    for (size_t g = 0; g < pl->G; g++) {
        double t = inside(&pb->map, (size_t)pb->map.free_of[pl->leader[g]],
                          law_to_internal(pb->law, pl->leader[g], c[g]));
        for (size_t j = 0; j < w->p; j++)
            if (pl->members[g] >> j & 1u) theta[j] = t;
    }
    return true;
}

/* ŷ = r0 + Σ c_g φ_g into w->lny, inlined for each G. */
static inline __attribute__((always_inline)) void projected_rows(size_t G, const double *c,
                                                                 vp_work *w)
{
    for (size_t i = 0; i < w->n; i++) {
        double yhat = w->r0[i];
#pragma GCC unroll 4
        for (size_t g = 0; g < G; g++) yhat += c[g] * w->phi[i * G + g];
        w->lny[i] = yhat;
    }
}

/* Σ ω (ŷ - y)² over w->lny = ŷ: the sum the solve minimised (l2); NaN
 * where ŷ is not finite, or in log space not positive. */
static double weighted_squares(const problem *pb, const vp_work *w)
{
    const double *y = pb->data->y;
    bool log_space = pb->obj.space == SLAW_SPACE_LOG;
    double sum = 0;
    bool valid = true;
    for (size_t i = 0; i < w->n; i++) {
        double r = w->lny[i] - y[i];
        sum += w->omega[i] * r * r;
        valid &= isfinite(w->lny[i]) && (!log_space || w->lny[i] > 0); /* no branch a row */
    }
    return valid && isfinite(sum) ? sum : NAN;
}

/* Σ ω (ŷ - y)² over the rows from this point's columns; NaN where ŷ is
 * not finite, or in log space not positive. */
static double column_squares(const problem *pb, const vp_plan *pl, const vp_work *w,
                             const double *c)
{
    bool log_space = pb->obj.space == SLAW_SPACE_LOG, valid = true;
    double sum = 0;
    for (size_t i = 0; i < w->n; i++) {
        double yhat = 0;
        for (size_t g = 0; g < pl->G; g++) yhat += c[g] * w->cols[g][i];
        double r = yhat - pb->data->y[i];
        sum += w->omega[i] * r * r;
        valid &= isfinite(yhat) && (!log_space || yhat > 0); /* no branch a row */
    }
    return valid && isfinite(sum) ? sum : NAN;
}

/* l2's screen value from the last cached solve's sums, no pass over the
 * rows: Σ ω (ŷ - y)² = Σ ω y² - 2 bᵀc + cᵀMc.  In log space ŷ is positive
 * when every c and column is (a column of positive least value among
 * them); otherwise, or where the sum cancels to below 1e-8 of Σ ω y² (a
 * near-exact fit, whose value the rounding of the terms would swamp), the
 * rows are summed (column_squares). */
static double cached_value(const problem *pb, const vp_plan *pl, const vp_work *w, const double *c)
{
    size_t G = pl->G;
    double linear = 0, quadratic = 0;
    bool positive = false, signs_known = true;
    for (size_t g = 0; g < G; g++) {
        double least = w->col_sums[g][SUM_LEAST];
        signs_known &= c[g] > 0 && least >= 0;
        positive |= least > 0;
        linear += c[g] * w->b[g];
        for (size_t h = 0; h < G; h++)
            quadratic += c[g] * c[h] * w->M[g > h ? g * G + h : h * G + g];
    }
    double value = w->yy - 2.0 * linear + quadratic;
    bool sure = pb->obj.space != SLAW_SPACE_LOG || (signs_known && positive);
    if (sure && value >= 1e-8 * w->yy && isfinite(value)) return value;
    return column_squares(pb, pl, w, c);
}

/* The screen's value at theta, whose exponents are those of the last basis:
 * the law is r0 + Σ c_g φ_g there, so the linear parameters cost no
 * evaluation of the law.  For l2 it is the sum the solve minimised, Σ ω
 * (ŷ - y)²: the objective itself in linear space, and in log space the
 * squared relative errors ((ŷ - y)/y ≈ ln ŷ - ln y near the data), so that
 * the profile over the exponents is the solve's own and costs no logarithm
 * a run; for the other losses the objective (one logarithm a run in log
 * space).  The search ranks starts by it; their polish reports the
 * objective. */
static double projected_cost(const problem *pb, const vp_plan *pl, vp_work *w, const double *theta)
{
    double c[VP_MAX_LINEAR];
    if (!problem_reportable(pb, theta)) return NAN;
    for (size_t g = 0; g < pl->G; g++)
        c[g] = law_to_natural(pb->law, pl->leader[g], theta[pl->leader[g]]);
    if (w->sums_cached) return cached_value(pb, pl, w, c);
    switch (pl->G) {
    case 1: projected_rows(1, c, w); break;
    case 2: projected_rows(2, c, w); break;
    case 3: projected_rows(3, c, w); break;
    default: projected_rows(pl->G, c, w); break;
    }
    if (pb->obj.loss == SLAW_LOSS_L2) return weighted_squares(pb, w);
    if (!pb->obj.direct) vmath_log(w->lny, w->n);
    objective_raw(&pb->obj, pb->data, w->lny, w->target, NULL, w->p);
    double cost = objective_value(&pb->obj, pb->data, w->target);
    return isfinite(cost) ? cost : NAN;
}

/* The screen's value at theta where its linear parameters could not be
 * solved: as projected_cost's, from the law evaluated there. */
static double full_cost(const problem *pb, vp_work *w, const double *theta)
{
    if (!problem_reportable(pb, theta)) return NAN;
    problem_eval(pb, theta, 0, w->n, w->lny, NULL);
    if (pb->obj.loss == SLAW_LOSS_L2) {
        if (!pb->obj.direct) vmath_exp(w->lny, w->n);
        return weighted_squares(pb, w);
    }
    objective_raw(&pb->obj, pb->data, w->lny, w->target, NULL, w->p);
    double cost = objective_value(&pb->obj, pb->data, w->target);
    return isfinite(cost) ? cost : NAN;
}

/* Projects theta (its linear parameters solved, kept inside the bounds)
 * and returns the objective there. */
static double project_and_cost(const problem *pb, const vp_plan *pl, vp_work *w, double *theta)
{
    double u[FIT_MAX_PARAMS];
    bool solved = project_point(pb, pl, w, theta);
    /* on or past a bound: just inside it, as starts_build does */
    param_map_u(&pb->map, theta, u);
    param_map_theta(&pb->map, u, theta);
    return solved ? projected_cost(pb, pl, w, theta) : full_cost(pb, w, theta);
}

/* The row weights: the run's weight, over y² for relative errors in log
 * space (ln ŷ - ln y ≈ (ŷ - y)/y near the data). */
static void row_weights(const problem *pb, vp_work *w)
{
    const dataset *d = pb->data;
    for (size_t i = 0; i < w->n; i++) {
        double om = d->w ? d->w[i] : 1.0;
        if (pb->obj.space == SLAW_SPACE_LOG) om /= d->y[i] * d->y[i];
        w->omega[i] = om;
    }
}

/* Whether the solve's sums come from the caches (a separable law with l2,
 * whose weights stay ω), and the sums of y they need, as normal_sums
 * makes them. */
static void cache_setup(const problem *pb, const vp_plan *pl, vp_work *w)
{
    const double *y = pb->data->y;
    w->sums_cached = pl->separable && pb->obj.loss == SLAW_LOSS_L2;
    w->yy = w->mean_y = 0;
    w->counted = 0;
    for (size_t i = 0; i < w->n; i++) {
        double om = w->omega[i], in = om > 0 ? 1.0 : 0.0;
        w->counted += om > 0;
        w->mean_y += in * fabs(y[i]);
        w->yy += om * y[i] * y[i];
    }
}

/* The parameters whose values differ between the grid's points (which are
 * all different: a product of distinct values, VP's grids being the
 * defaults). */
static unsigned moved_parameters(const start_grid *grid)
{
    unsigned moved = 0;
    for (size_t i = 1; i < grid->n; i++)
        for (size_t j = 0; j < grid->p; j++)
            if (grid->theta[i * grid->p + j] != grid->theta[j]) moved |= 1u << j;
    return moved;
}

/* How many different columns group g of a separable law takes over the
 * grid, at most: the product of the lengths of the grid's axes along which
 * a parameter of the column's key changes (cached_column's key), so that the
 * cache holds a column for each value, not each point (chinchilla's A: 5 of
 * 25; on 10M runs 400 MB, not 2 GB).  store_column copes with a short
 * count. */
static void distinct_columns(const vp_plan *pl, const start_grid *grid, size_t *columns)
{
    unsigned along[LAW_MAX_PARAMS] = {0}; /* the parameters that change along each axis */
    for (size_t a = 0; a < grid->n_axes; a++) {
        size_t step = grid->axis_stride[a];
        if (grid->axis_n[a] < 2 || step >= grid->n) continue;
        for (size_t j = 0; j < grid->p; j++)
            if (grid->theta[step * grid->p + j] != grid->theta[j]) along[a] |= 1u << j;
    }
    for (size_t g = 0; g < pl->G; g++) {
        unsigned key = pl->depends[g] | pl->members[g];
        size_t count = 1;
        for (size_t a = 0; a < grid->n_axes; a++)
            if (along[a] & key) count *= grid->axis_n[a];
        columns[g] = count < grid->n ? count : grid->n;
        if (!columns[g]) columns[g] = 1;
    }
}

/* pb's map with the linear parameters held (at 1), so that the default grid
 * spans the others alone. */
static param_map held_map(const problem *pb, const vp_plan *pl)
{
    param_map held = pb->map;
    for (size_t done = 0; done < pl->G; done++) {
        /* highest free index first: holding renumbers those after it */
        size_t top = SIZE_MAX;
        int k_top = -1;
        for (size_t g = 0; g < pl->G; g++) {
            int k = held.free_of[pl->leader[g]];
            if (k > k_top) k_top = k, top = g;
        }
        param_map_hold(&held, (size_t)k_top, law_to_internal(pb->law, pl->leader[top], 1.0));
    }
    for (size_t j = 0; j < held.p; j++)
        if (held.state[j] == SLAW_PARAM_PINNED) held.state[j] = SLAW_PARAM_FIXED;
    return held;
}

slaw_status vp_starts_build(const problem *pb, const char *spec, const data_summary *s,
                            start_grid *out, slaw_error *err)
{
    vp_plan pl;
    if ((spec && *spec) || !plan_build(pb, &pl))
        return starts_build(pb->law, spec, s, &pb->map, out, err);
    param_map held = held_map(pb, &pl);
    slaw_status st = starts_build(pb->law, NULL, s, &held, out, err);
    if (st != SLAW_OK) return st;
    vp_work w;
    out->cost = malloc((out->n ? out->n : 1) * sizeof *out->cost);
    size_t columns[VP_MAX_LINEAR];
    distinct_columns(&pl, out, columns);
    if (!work_alloc(&w, pb->data->n, pb->law->n_params, pl.G, pl.separable ? columns : NULL,
                    out->n) ||
        !out->cost) {
        work_free(&w);
        starts_free(out);
        return error_nomem(err);
    }
    row_weights(pb, &w);
    cache_setup(pb, &pl, &w);
    w.moved = moved_parameters(out);
    out->projected = true;
    for (size_t i = 0; i < out->n; i++)
        out->cost[i] = project_and_cost(pb, &pl, &w, out->theta + i * out->p);
    work_free(&w);
    return SLAW_OK;
}
