/* forecast_optimal.c — the compute-optimal allocation along a budget C = 6·N·D, and
 * the inverse question: what does it take to reach a target loss.
 *
 * A law with a closed form for the optimum supplies it (law.h); for the
 * others the loss is minimised along the budget over ln N.  A minimiser
 * can place a minimum only to about the square root of the machine
 * precision (the function is flat there), so the minimum found is polished
 * as the root of the slope, which is known to ~1e-11: the numeric path then
 * agrees with a closed form to ~1e-10.  Inverses are roots of monotone
 * functions in log coordinates, found by GSL's Brent solver to ~1e-13. */
#include "forecast.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_min.h>
#include <gsl/gsl_roots.h>
#include <math.h>
#include <string.h>

#define SCAN_POINTS 241 /* over ln N in [0, ln(C/6)] */
#define SLOPE_STEP 1e-3 /* of the five-point slope, in ln N */
#define MAX_ITER 200
#define LIMIT_LN 1e4             /* ln of "without bound": the law's limits */
#define ROOT_LN 690.0            /* answers are sought within e^±690 (~1e±300) */
#define BUDGET_STEP (2 * M_LN10) /* bracketing steps of the least compute */
#define LEAST_BUDGET 600.0       /* the smallest budget searched for a target, FLOPs */

/* ------------------------------------------------- along one budget */

typedef struct budget_line {
    const slaw_law *law;
    double theta[LAW_MAX_PARAMS]; /* internal parameters */
    double ln_c6;                 /* ln(N·D) on the budget (slaw_compute_param_tokens) */
    size_t in, id;                /* the law's variables N and D */
} budget_line;

/* ln L(N, D) at ln N = u on the budget line. */
static double ln_loss_along(double u, void *ctx)
{
    const budget_line *b = ctx;
    double lnx[LAW_MAX_VARS], lny;
    const double *inputs[LAW_MAX_VARS];
    lnx[b->in] = u;
    lnx[b->id] = b->ln_c6 - u;
    for (size_t v = 0; v < b->law->n_vars; v++) inputs[v] = &lnx[v];
    law_eval(b->law, b->theta, inputs, 1, &lny, NULL);
    return lny;
}

/* d ln L / d ln N along the budget (five-point central difference). */
static double slope_along(double u, void *ctx)
{
    double h = SLOPE_STEP;
    return (ln_loss_along(u - 2 * h, ctx) - 8 * ln_loss_along(u - h, ctx) +
            8 * ln_loss_along(u + h, ctx) - ln_loss_along(u + 2 * h, ctx)) /
           (12 * h);
}

/* Brent's root solver on [lo, hi], where fn changes sign; false if it
 * does not. */
static bool find_root(double (*fn)(double, void *), void *ctx, double lo, double hi, double *root)
{
    gsl_function F = {fn, ctx};
    double flo = fn(lo, ctx), fhi = fn(hi, ctx);
    if (flo == 0 || fhi == 0) {
        *root = flo == 0 ? lo : hi;
        return true;
    }
    if (!(flo * fhi < 0)) return false;
    gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    if (!s) return false;
    bool ok = gsl_root_fsolver_set(s, &F, lo, hi) == GSL_SUCCESS;
    for (int i = 0; ok && i < MAX_ITER; i++) {
        if (gsl_root_fsolver_iterate(s) != GSL_SUCCESS) break;
        lo = gsl_root_fsolver_x_lower(s);
        hi = gsl_root_fsolver_x_upper(s);
        if (gsl_root_test_interval(lo, hi, 1e-13, 1e-14) == GSL_SUCCESS) break;
    }
    *root = gsl_root_fsolver_root(s);
    gsl_root_fsolver_free(s);
    return ok && isfinite(*root);
}

/* Refines a minimum near u (within [lo, hi]) as the root of the slope. */
static double polish(budget_line *b, double u, double lo, double hi)
{
    double w = fmax(1e-6, 4 * (hi - lo)), root;
    for (int k = 0; k < 4; k++, w *= 8) {
        if (slope_along(u - w, b) < 0 && slope_along(u + w, b) > 0)
            return find_root(slope_along, b, u - w, u + w, &root) ? root : u;
    }
    return u;
}

bool optimum_numeric(const slaw_law *law, const double *natural, double C, double *n, double *d)
{
    if (!(slaw_compute_param_tokens(C) > 1) || !isfinite(C) || !law_reads_compute(law) ||
        law->n_vars != 2)
        return false; /* a law of more than N and D needs its other variables fixed */
    budget_line b = {.law = law,
                     .ln_c6 = log(slaw_compute_param_tokens(C)),
                     .in = law_var_index(law, SLAW_ROLE_N),
                     .id = law_var_index(law, SLAW_ROLE_D)};
    for (size_t j = 0; j < law->n_params; j++) b.theta[j] = law_to_internal(law, j, natural[j]);
    double f[SCAN_POINTS], step = b.ln_c6 / (SCAN_POINTS - 1);
    size_t best = 0;
    for (size_t i = 0; i < SCAN_POINTS; i++) {
        f[i] = ln_loss_along(step * (double)i, &b);
        if (isnan(f[i])) return false;
        if (f[i] < f[best]) best = i;
    }
    if (best == 0 || best == SCAN_POINTS - 1) return false; /* no interior minimum */
    double lo = step * (double)(best - 1), hi = step * (double)(best + 1), u = step * (double)best;
    gsl_function F = {ln_loss_along, &b};
    gsl_min_fminimizer *m = gsl_min_fminimizer_alloc(gsl_min_fminimizer_brent);
    if (!m) return false;
    /* A tie with a neighbour (a flat stretch) leaves the scan's point to the polish. */
    if (gsl_min_fminimizer_set_with_values(m, &F, u, f[best], lo, f[best - 1], hi, f[best + 1]) ==
        GSL_SUCCESS) {
        for (int i = 0; i < MAX_ITER; i++) {
            if (gsl_min_fminimizer_iterate(m) != GSL_SUCCESS) break;
            lo = gsl_min_fminimizer_x_lower(m);
            hi = gsl_min_fminimizer_x_upper(m);
            if (gsl_min_test_interval(lo, hi, 1e-9, 0) == GSL_SUCCESS) break;
        }
        u = gsl_min_fminimizer_x_minimum(m);
    }
    gsl_min_fminimizer_free(m);
    u = polish(&b, u, lo, hi);
    *n = exp(u);
    *d = slaw_compute_tokens(C, *n, 0);
    return isfinite(*n) && *n > 0 && *d > 0;
}

bool optimum_of(const slaw_law *law, const double *natural, double C, double *n, double *d)
{
    if (law->optimal) return law->optimal(natural, slaw_compute_param_tokens(C), n, d);
    return optimum_numeric(law, natural, C, n, d);
}

/* N*, D*, their ratio D* / N* and the loss there, at the budget in ctx. */
static bool optimum_quantity(const slaw_law *law, const double *natural, void *ctx, double *out)
{
    double C = *(const double *)ctx, n, d;
    if (!optimum_of(law, natural, C, &n, &d)) return false;
    double lnx[2] = {log(n), log(d)};
    out[0] = n;
    out[1] = d;
    out[2] = d / n;
    out[3] = exp(law_ln_eval(law, natural, lnx));
    return true;
}

static void natural_values(const slaw_fit *f, double *v)
{
    for (size_t j = 0; j < slaw_law_param_count(slaw_fit_law(f)); j++) v[j] = slaw_fit_value(f, j);
}

slaw_status slaw_optimal_compute(const slaw_fit *f, double C, const slaw_forecast_options *opt,
                                 slaw_optimum *out, slaw_error *err)
{
    const slaw_law *law = slaw_fit_law(f);
    double natural[LAW_MAX_PARAMS], value[QUANTITY_MAX];
    if (law->n_vars != 2)
        return error_set(err, SLAW_EUSAGE, NULL, 0,
                         "the compute-optimal allocation needs a law "
                         "of N and D; %s reads one variable",
                         law->name);
    if (!(C > 6) || !isfinite(C))
        return error_set(err, SLAW_EUSAGE, NULL, 0,
                         "C = %g: a compute budget must be a finite "
                         "number of FLOPs above 6",
                         C);
    natural_values(f, natural);
    if (!optimum_quantity(law, natural, &C, value))
        return error_set(err, SLAW_EINPUT, NULL, 0,
                         "the fitted %s law has no compute-optimal "
                         "allocation at C = %g: along C = 6*N*D its loss is least at an end "
                         "(all parameters or all tokens)",
                         law->name, C);
    quantity q = {optimum_quantity, &C, 4, {SCALE_OF_LOG, SCALE_OF_LOG, SCALE_OF_LOG}, {false}};
    q.scale[3] = opt && opt->space == SLAW_SPACE_LINEAR ? SCALE_OF_VALUE : SCALE_OF_LOG;
    q.noisy[3] = true;
    quantity_intervals iv;
    slaw_status st = quantity_estimate(f, &q, opt, value, &iv, err);
    if (st != SLAW_OK) return st;
    memset(out, 0, sizeof *out);
    out->C = C;
    out->N = (slaw_estimate){value[0], iv.lo[0], iv.hi[0]};
    out->D = (slaw_estimate){value[1], iv.lo[1], iv.hi[1]};
    out->ratio = (slaw_estimate){value[2], iv.lo[2], iv.hi[2]};
    out->L = (slaw_estimate){value[3], iv.lo[3], iv.hi[3]};
    out->pi_lo = iv.pi_lo[3];
    out->pi_hi = iv.pi_hi[3];
    level_of(opt, &out->level);
    out->method = iv.method;
    out->samples = iv.samples;
    out->closed_form = law->optimal != NULL;
    extrapolation_of(f, value, &out->beyond);
    return SLAW_OK;
}

/* ----------------------------------------------------------- inverses */

typedef enum inverse_outcome {
    INVERSE_FOUND,
    INVERSE_UNREACHABLE, /* at or beyond a limit of the law */
    INVERSE_BEYOND,      /* reachable, but only beyond ~1e300 */
    INVERSE_BELOW,       /* reached already at the least budget searched */
    INVERSE_FAILED       /* the law misbehaves (no optimum along a budget, ...) */
} inverse_outcome;

typedef struct inverse_ctx {
    const slaw_law *law;
    const double *natural;
    double ln_target;
    double ln_start; /* where the search for a budget starts: the data's largest C */
    inverse_outcome outcome;
} inverse_ctx;

/* The law's limits in log: all variables at e^sign·LIMIT_LN. */
static double ln_limit(const slaw_law *law, const double *natural, double sign)
{
    double lnx[LAW_MAX_VARS] = {sign * LIMIT_LN, sign * LIMIT_LN};
    return law_ln_eval(law, natural, lnx);
}

/* ln L*(e^c) - ln target; NaN when the budget has no optimum. */
static double least_loss_gap(double c, void *vctx)
{
    inverse_ctx *ctx = vctx;
    double n, d;
    if (!optimum_of(ctx->law, ctx->natural, exp(c), &n, &d)) return NAN;
    double lnx[2] = {log(n), log(d)};
    return law_ln_eval(ctx->law, ctx->natural, lnx) - ctx->ln_target;
}

/* The least ln C whose optimum reaches the target: L* falls as C grows,
 * so step from the data's budget until the gap changes sign, then solve. */
static inverse_outcome least_compute(inverse_ctx *ctx, double *c_out)
{
    if (ctx->ln_target <= ln_limit(ctx->law, ctx->natural, 1)) return INVERSE_UNREACHABLE;
    double c = ctx->ln_start, g = least_loss_gap(c, ctx), lo, hi = c;
    if (isnan(g)) return INVERSE_FAILED;
    if (g > 0) {
        lo = c;
        while (g > 0) {
            if ((c += BUDGET_STEP) > ROOT_LN) return INVERSE_BEYOND;
            if (isnan(g = least_loss_gap(c, ctx))) return INVERSE_FAILED;
        }
        hi = c;
    } else {
        while (g <= 0) {
            hi = c;
            if (c <= log(LEAST_BUDGET)) return INVERSE_BELOW;
            c = fmax(c - BUDGET_STEP, log(LEAST_BUDGET));
            if (isnan(g = least_loss_gap(c, ctx))) return INVERSE_FAILED;
        }
        lo = c;
    }
    return find_root(least_loss_gap, ctx, lo, hi, c_out) ? INVERSE_FOUND : INVERSE_FAILED;
}

/* ln y(e^u) - ln target for one-variable laws. */
static double level_gap(double u, void *vctx)
{
    const inverse_ctx *ctx = vctx;
    return law_ln_eval(ctx->law, ctx->natural, &u) - ctx->ln_target;
}

static inverse_outcome level_crossing(inverse_ctx *ctx, double *u_out)
{
    double a = ln_limit(ctx->law, ctx->natural, -1), b = ln_limit(ctx->law, ctx->natural, 1);
    if (ctx->ln_target <= fmin(a, b) || ctx->ln_target >= fmax(a, b)) return INVERSE_UNREACHABLE;
    if (!(level_gap(-ROOT_LN, ctx) * level_gap(ROOT_LN, ctx) <= 0)) return INVERSE_BEYOND;
    return find_root(level_gap, ctx, -ROOT_LN, ROOT_LN, u_out) ? INVERSE_FOUND : INVERSE_FAILED;
}

/* Laws of N and D: C, N*, D*; one-variable laws: x.  A target a sample
 * never reaches needs unbounded resources: +inf.  One that a sample reaches
 * already at the least budget searched gets that budget and its N*, D*: the
 * smallest answer, kept among the samples as an upper bound on its own. */
static bool target_quantity(const slaw_law *law, const double *natural, void *vctx, double *out)
{
    inverse_ctx *ctx = vctx;
    double root, n, d;
    ctx->law = law;
    ctx->natural = natural;
    ctx->outcome = law->n_vars == 2 ? least_compute(ctx, &root) : level_crossing(ctx, &root);
    if (ctx->outcome == INVERSE_FAILED) return false;
    if (ctx->outcome == INVERSE_BELOW) root = log(LEAST_BUDGET);
    else if (ctx->outcome != INVERSE_FOUND) {
        for (size_t k = 0; k < (law->n_vars == 2 ? 3u : 1u); k++) out[k] = INFINITY;
        return true;
    }
    out[0] = exp(root);
    if (law->n_vars == 1) return true;
    if (!optimum_of(law, natural, out[0], &n, &d)) return false;
    out[1] = n;
    out[2] = d;
    return true;
}

static void fill_target(const slaw_fit *f, const double *value, const quantity_intervals *iv,
                        slaw_target *out)
{
    bool two = slaw_law_var_count(slaw_fit_law(f)) == 2;
    double vars[LAW_MAX_VARS] = {value[two ? 1 : 0], value[2]};
    if (two) {
        out->C = (slaw_estimate){value[0], iv->lo[0], iv->hi[0]};
        out->N = (slaw_estimate){value[1], iv->lo[1], iv->hi[1]};
        out->D = (slaw_estimate){value[2], iv->lo[2], iv->hi[2]};
    } else {
        out->x = (slaw_estimate){value[0], iv->lo[0], iv->hi[0]};
    }
    out->method = iv->method;
    out->samples = iv->samples;
    out->unreachable = iv->infinite;
    extrapolation_of(f, vars, &out->beyond);
}

slaw_status slaw_optimal_target(const slaw_fit *f, double target, const slaw_forecast_options *opt,
                                slaw_target *out, slaw_error *err)
{
    const slaw_law *law = slaw_fit_law(f);
    double natural[LAW_MAX_PARAMS], value[QUANTITY_MAX] = {0}, lo, hi, level;
    slaw_target t = {.target = target};
    if (!(target > 0) || !isfinite(target))
        return error_set(err, SLAW_EUSAGE, NULL, 0, "target %g: it must be a positive number",
                         target);
    slaw_status level_st = level_check(opt ? opt->level : 0, &level, err);
    if (level_st != SLAW_OK) return level_st;
    natural_values(f, natural);
    t.level = level;
    t.C = t.N = t.D = t.x = (slaw_estimate){NAN, NAN, NAN};
    for (size_t k = 0; k < 3; k++) t.beyond.decades[k] = NAN;
    double a = exp(ln_limit(law, natural, 1));
    double b = law->n_vars == 2 ? INFINITY : exp(ln_limit(law, natural, -1));
    t.floor = fmin(a, b);
    t.ceiling = fmax(a, b);
    inverse_ctx ctx = {law, natural, log(target), log(1e20), INVERSE_FAILED};
    if (slaw_fit_compute_range(f, &lo, &hi) && hi > 0) ctx.ln_start = log(hi);
    if (!target_quantity(law, natural, &ctx, value) || ctx.outcome == INVERSE_FAILED)
        return error_set(err, SLAW_EINPUT, NULL, 0,
                         "cannot invert the fitted %s law at %g: it "
                         "has no compute-optimal allocation along the way",
                         law->name, target);
    if (ctx.outcome == INVERSE_BELOW)
        return error_set(err, SLAW_EINPUT, NULL, 0,
                         "under the fitted %s law, %g is reached "
                         "already at C = %g FLOPs, the smallest budget searched: its "
                         "compute-optimal loss there is %.6g",
                         law->name, target, LEAST_BUDGET,
                         target * exp(least_loss_gap(log(LEAST_BUDGET), &ctx)));
    if (ctx.outcome == INVERSE_BEYOND)
        return error_set(err, SLAW_EINPUT, NULL, 0,
                         "under the fitted %s law, %g is reached only "
                         "beyond %s = 1e300",
                         law->name, target, law->n_vars == 2 ? "C" : "x");
    if (ctx.outcome == INVERSE_FOUND) {
        t.reachable = true;
        quantity q = {target_quantity,
                      &ctx,
                      law->n_vars == 2 ? 3 : 1,
                      {SCALE_OF_LOG, SCALE_OF_LOG, SCALE_OF_LOG},
                      {false}};
        quantity_intervals iv;
        slaw_status st = quantity_estimate(f, &q, opt, value, &iv, err);
        if (st != SLAW_OK) return st;
        fill_target(f, value, &iv, &t);
    } else {
        t.method = SLAW_INTERVAL_NONE;
    }
    *out = t;
    return SLAW_OK;
}

bool reach_ln_resource(const slaw_law *law, const double *natural, double target, double ln_start,
                       double *out)
{
    inverse_ctx ctx = {law, natural, log(target), ln_start, INVERSE_FAILED};
    double root;
    ctx.outcome = law->n_vars == 2 ? least_compute(&ctx, &root) : level_crossing(&ctx, &root);
    if (ctx.outcome != INVERSE_FOUND) return false;
    *out = root;
    return true;
}
