/* forecast_optimal.c — the compute-optimal allocation along a budget C = 6·N·D
 * (forecast_budget.c finds it), with intervals, and the inverse question:
 * what does it take to reach a target loss.  Inverses are roots of monotone
 * functions in log coordinates, found by GSL's Brent solver to ~1e-13. */
#include "forecast.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_math.h>
#include <math.h>
#include <string.h>

#define MAX_ITER 200
#define LIMIT_LN 1e4             /* ln of "without bound": the law's limits */
#define ROOT_LN 690.0            /* answers are sought within e^±690 (~1e±300) */
#define BUDGET_STEP (2 * M_LN10) /* bracketing steps of the least compute */
#define LEAST_BUDGET 600.0       /* the smallest budget searched for a target, FLOPs */
#define SIGNED_GRID 200          /* points across a signed variable's fitted range */
#define SIGNED_STEP 1e-3         /* the first step beyond it, in widths of the range */

/* Where an optimum is asked: the budget and the variables held. */
typedef struct budget_ask {
    double C;
    const budget_fixed *fx;
} budget_ask;

/* ln of the law's loss at the split (N, D) of the budget. */
static double ln_loss_at_split(const slaw_law *law, const double *natural, const budget_fixed *fx,
                               double C, double n, double d)
{
    double x[LAW_MAX_VARS];
    budget_split(law, fx, C, n, d, x);
    return law_ln_values(law, natural, x);
}

slaw_status budget_model_check(const slaw_forecast_options *opt, slaw_error *err)
{
    double fpt = opt ? opt->flops_per_token : 0;
    if (!(fpt > 0)) return SLAW_OK;
    return error_set_option(err, SLAW_EUSAGE, "flops_per_token",
                            "flops_per_token %g: a fixed count of FLOPs per token makes a budget "
                            "C fix the tokens alone (D = C/%g) and leaves N free, so there is no "
                            "compute-optimal split: budgets take C = 6*N*D",
                            fpt, fpt);
}

/* N*, D*, their ratio D* / N* and the loss there, at the budget in ctx. */
static bool optimum_quantity(const slaw_law *law, const double *natural, void *ctx, double *out)
{
    const budget_ask *at = ctx;
    double n, d;
    if (!optimum_at(law, natural, at->fx, at->C, &n, &d)) return false;
    out[0] = n;
    out[1] = d;
    out[2] = d / n;
    out[3] = exp(ln_loss_at_split(law, natural, at->fx, at->C, n, d));
    return out[3] > 0 && isfinite(out[3]);
}

static void natural_values(const slaw_fit *f, double *v)
{
    for (size_t j = 0; j < slaw_law_param_count(slaw_fit_law(f)); j++) v[j] = slaw_fit_value(f, j);
}

/* Whether the optimum came from the law's closed form. */
static bool closed_form_used(const slaw_law *law, const budget_fixed *fx)
{
    for (size_t v = 0; v < law->n_vars; v++)
        if (!isnan(fx->x[v])) return false;
    return law->optimal != NULL;
}

slaw_status slaw_optimal_compute(const slaw_fit *f, double C, const slaw_forecast_options *opt,
                                 slaw_optimum *out, slaw_error *err)
{
    const slaw_law *law = slaw_fit_law(f);
    double natural[LAW_MAX_PARAMS], value[QUANTITY_MAX], x[LAW_MAX_VARS];
    budget_fixed fx;
    slaw_status st = budget_model_check(opt, err);
    if (st == SLAW_OK) st = budget_fix(law, opt ? opt->held : NULL, &fx, err);
    if (st != SLAW_OK) return st;
    if (!(C > 6) || !isfinite(C))
        return error_set(err, SLAW_EUSAGE, NULL, 0,
                         "C = %g: a compute budget must be a finite "
                         "number of FLOPs above 6",
                         C);
    natural_values(f, natural);
    budget_ask at = {C, &fx};
    if (!optimum_quantity(law, natural, &at, value))
        return error_set(err, SLAW_EINPUT, NULL, 0,
                         "the fitted %s law has no compute-optimal "
                         "allocation at C = %g: along C = 6*N*D its loss is least at an end "
                         "(all parameters or all tokens)",
                         law->name, C);
    quantity q = {optimum_quantity, &at, 4, {SCALE_OF_LOG, SCALE_OF_LOG, SCALE_OF_LOG}, {false}};
    q.scale[3] = opt && opt->space == SLAW_SPACE_LINEAR ? SCALE_OF_VALUE : SCALE_OF_LOG;
    q.noisy[3] = true;
    quantity_intervals iv;
    st = quantity_estimate(f, &q, opt, value, &iv, err);
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
    out->closed_form = closed_form_used(law, &fx);
    budget_split(law, &fx, C, value[0], value[1], x);
    extrapolation_of(f, x, 0, &out->beyond);
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
    const budget_fixed *fx; /* variables held along the budgets (NULL: none) */
    double ln_target;
    double ln_start;   /* where the search for a budget starts: the data's largest C */
    double x_lo, x_hi; /* a signed variable's fitted range, where its search starts */
    inverse_outcome outcome;
} inverse_ctx;

/* The law's limits in log: all variables at e^sign·LIMIT_LN. */
static double ln_limit(const slaw_law *law, const double *natural, double sign)
{
    double lnx[LAW_MAX_VARS];
    for (size_t v = 0; v < LAW_MAX_VARS; v++) lnx[v] = sign * LIMIT_LN;
    return law_ln_eval(law, natural, lnx);
}

/* ln L*(e^c) - ln target; NaN when the budget has no optimum. */
static double least_loss_gap(double c, void *vctx)
{
    inverse_ctx *ctx = vctx;
    double n, d, C = exp(c);
    if (!optimum_at(ctx->law, ctx->natural, ctx->fx, C, &n, &d)) return NAN;
    return ln_loss_at_split(ctx->law, ctx->natural, ctx->fx, C, n, d) - ctx->ln_target;
}

/* Whether the law reads N and D and nothing else, so that its floor is its
 * limit with both without bound. */
static bool plain_budget(const slaw_law *law)
{
    for (size_t v = 0; v < law->n_vars; v++)
        if (law->vars[v] != SLAW_ROLE_N && law->vars[v] != SLAW_ROLE_D) return false;
    return !law->program;
}

/* ln of the least loss the law reaches along ever larger budgets: its limit
 * with N and D without bound, or (other variables held, or C and M) the
 * optimum at the largest budget searched, e^ROOT_LN. */
static double ln_floor(const inverse_ctx *ctx)
{
    if (plain_budget(ctx->law)) return ln_limit(ctx->law, ctx->natural, 1);
    inverse_ctx c = *ctx;
    c.ln_target = 0;
    return least_loss_gap(ROOT_LN, &c);
}

/* The least ln C whose optimum reaches the target: L* falls as C grows,
 * so step from the data's budget until the gap changes sign, then solve. */
static inverse_outcome least_compute(inverse_ctx *ctx, double *c_out)
{
    double floor = ln_floor(ctx);
    if (isnan(floor)) return INVERSE_FAILED;
    if (ctx->ln_target <= floor) return INVERSE_UNREACHABLE;
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

/* The x at which a one-variable law equals the target, whichever way the
 * law runs (a loss falls with x; a downstream error rises with the loss):
 * the target must lie between its limits at x -> 0 and x -> infinity. */
/* level_gap where the law is positive, else far below any target. */
static double level_gap_low(double u, void *vctx)
{
    double g = level_gap(u, vctx);
    return isnan(g) ? -1e300 : g;
}

/* ln of a one-variable law's limit at x -> 0 (sign -1) or infinity (+1);
 * -inf where the law is not positive there (downstream's eps - k < 0 at a
 * loss of 0): it falls through every positive value on the way. */
static double ln_limit_one(const inverse_ctx *ctx, double sign)
{
    double l = ln_limit(ctx->law, ctx->natural, sign);
    return isnan(l) ? -INFINITY : l;
}

static inverse_outcome level_crossing(inverse_ctx *ctx, double *u_out)
{
    double a = ln_limit_one(ctx, -1), b = ln_limit_one(ctx, 1);
    if (ctx->ln_target <= fmin(a, b) || ctx->ln_target >= fmax(a, b)) return INVERSE_UNREACHABLE;
    /* a bracket by steps of e in x: where the law is not positive it counts
     * as below every target (it fell through them on the way) */
    double prev = NAN, prev_u = -ROOT_LN;
    for (double u = -ROOT_LN; u <= ROOT_LN; u += 1) {
        double g = level_gap_low(u, ctx);
        if (!isnan(prev) && (g == 0 || g * prev < 0))
            return find_root(level_gap_low, ctx, prev_u, u, u_out) ? INVERSE_FOUND : INVERSE_FAILED;
        prev = g;
        prev_u = u;
    }
    return INVERSE_BEYOND;
}

/* ln y(x) - ln target for a signed variable, from x itself. */
static double value_gap(double x, void *vctx)
{
    const inverse_ctx *ctx = vctx;
    return law_ln_values(ctx->law, ctx->natural, &x) - ctx->ln_target;
}

/* How far x lies from the fitted range [lo, hi]. */
static double range_distance(const inverse_ctx *ctx, double x)
{
    return x < ctx->x_lo ? ctx->x_lo - x : x > ctx->x_hi ? x - ctx->x_hi : 0;
}

/* The crossing of the target by a law of one signed variable (a formula's x
 * centred at 0, ln LR), sought in x itself: a grid over the fitted range,
 * then steps growing by half each time outward from either end up to 1e300.
 * Of the crossings, the one nearest the fitted range (then its centre). */
static inverse_outcome signed_crossing(inverse_ctx *ctx, double *x_out)
{
    double lo = ctx->x_lo, hi = ctx->x_hi, mid = (lo + hi) / 2;
    double w = hi - lo > 0 ? hi - lo : fmax(1.0, fabs(mid));
    double prev = NAN, prev_gap = NAN, best = NAN;
    bool found = false;
    /* pass 0: lo down to -1e300; pass 1: lo to hi; pass 2: hi up to 1e300 */
    for (int pass = 0; pass < 3; pass++) {
        prev = prev_gap = NAN;
        for (size_t k = 0;; k++) {
            double x = pass == 1   ? lo + w * (double)k / SIGNED_GRID
                       : pass == 0 ? lo - w * SIGNED_STEP * (pow(1.5, (double)k) - 1)
                                   : hi + w * SIGNED_STEP * (pow(1.5, (double)k) - 1);
            if (fabs(x) > 1e300 || (pass == 1 && k > SIGNED_GRID)) break;
            double g = value_gap(x, ctx), root;
            if (isfinite(g) && isfinite(prev_gap) && (g == 0 || g * prev_gap < 0) &&
                find_root(value_gap, ctx, fmin(prev, x), fmax(prev, x), &root) &&
                (!found || range_distance(ctx, root) < range_distance(ctx, best) ||
                 (range_distance(ctx, root) == range_distance(ctx, best) &&
                  fabs(root - mid) < fabs(best - mid)))) {
                best = root;
                found = true;
            }
            prev = x;
            prev_gap = g;
        }
    }
    if (!found) return INVERSE_UNREACHABLE;
    *x_out = best;
    return INVERSE_FOUND;
}

bool signed_inverse(const slaw_law *law)
{
    return !law_has_budget(law) && law->n_vars == 1 && law_var_signed(law, 0);
}

static inverse_outcome invert(inverse_ctx *ctx, double *root)
{
    if (law_has_budget(ctx->law)) return least_compute(ctx, root);
    return signed_inverse(ctx->law) ? signed_crossing(ctx, root) : level_crossing(ctx, root);
}

/* Laws with a budget: C, N*, D*; one-variable laws: x.  A target a sample
 * never reaches needs unbounded resources: +inf.  One that a sample reaches
 * already at the least budget searched gets that budget and its N*, D*: the
 * smallest answer, kept among the samples as an upper bound on its own. */
static bool target_quantity(const slaw_law *law, const double *natural, void *vctx, double *out)
{
    inverse_ctx *ctx = vctx;
    double root, n, d;
    bool budget = law_has_budget(law);
    ctx->law = law;
    ctx->natural = natural;
    ctx->outcome = invert(ctx, &root);
    if (ctx->outcome == INVERSE_FAILED) return false;
    if (ctx->outcome == INVERSE_BELOW) root = log(LEAST_BUDGET);
    else if (ctx->outcome != INVERSE_FOUND) {
        for (size_t k = 0; k < (budget ? 3u : 1u); k++) out[k] = INFINITY;
        return true;
    }
    out[0] = signed_inverse(law) ? root : exp(root);
    if (!budget) return true;
    if (!optimum_at(law, natural, ctx->fx, out[0], &n, &d)) return false;
    out[1] = n;
    out[2] = d;
    return true;
}

static void fill_target(const slaw_fit *f, const budget_fixed *fx, const double *value,
                        const quantity_intervals *iv, slaw_target *out)
{
    const slaw_law *law = slaw_fit_law(f);
    double vars[LAW_MAX_VARS] = {value[0]};
    if (law_has_budget(law)) {
        out->C = (slaw_estimate){value[0], iv->lo[0], iv->hi[0]};
        out->N = (slaw_estimate){value[1], iv->lo[1], iv->hi[1]};
        out->D = (slaw_estimate){value[2], iv->lo[2], iv->hi[2]};
        budget_split(law, fx, value[0], value[1], value[2], vars);
    } else {
        out->x = (slaw_estimate){value[0], iv->lo[0], iv->hi[0]};
    }
    out->method = iv->method;
    out->samples = iv->samples;
    out->unreachable = iv->infinite;
    extrapolation_of(f, vars, 0, &out->beyond);
}

/* Why a reachable target has no answer: SLAW_EINPUT with the reason. */
static slaw_status target_failure(const inverse_ctx *ctx, double target, slaw_error *err)
{
    const slaw_law *law = ctx->law;
    if (ctx->outcome == INVERSE_BELOW)
        return error_set(err, SLAW_EINPUT, NULL, 0,
                         "under the fitted %s law, %g is reached "
                         "already at C = %g FLOPs, the smallest budget searched: its "
                         "compute-optimal loss there is %.6g",
                         law->name, target, LEAST_BUDGET,
                         target * exp(least_loss_gap(log(LEAST_BUDGET), (void *)ctx)));
    if (ctx->outcome == INVERSE_BEYOND)
        return error_set(err, SLAW_EINPUT, NULL, 0,
                         "under the fitted %s law, %g is reached only "
                         "beyond %s = 1e300",
                         law->name, target, law_has_budget(law) ? "C" : "x");
    return error_set(err, SLAW_EINPUT, NULL, 0,
                     "cannot invert the fitted %s law at %g: it "
                     "has no compute-optimal allocation along the way",
                     law->name, target);
}

/* The limits a target is judged against: for laws with a budget the floor
 * along ever larger budgets (no ceiling); else the law's two limits. */
static void target_limits(const inverse_ctx *ctx, slaw_target *t)
{
    if (law_has_budget(ctx->law)) {
        t->floor = exp(ln_floor(ctx));
        t->ceiling = INFINITY;
        return;
    }
    if (signed_inverse(ctx->law)) { /* no limits: x runs both ways, the law need not be monotone */
        t->floor = t->ceiling = NAN;
        return;
    }
    double a = exp(ln_limit_one(ctx, 1)), b = exp(ln_limit_one(ctx, -1));
    t->floor = fmin(a, b);
    t->ceiling = fmax(a, b);
}

slaw_status slaw_optimal_target(const slaw_fit *f, double target, const slaw_forecast_options *opt,
                                slaw_target *out, slaw_error *err)
{
    const slaw_law *law = slaw_fit_law(f);
    double natural[LAW_MAX_PARAMS], value[QUANTITY_MAX] = {0}, lo, hi, level;
    slaw_target t = {.target = target};
    budget_fixed fx;
    char vars[96];
    if (!(target > 0) || !isfinite(target))
        return error_set(err, SLAW_EUSAGE, NULL, 0, "target %g: it must be a positive number",
                         target);
    level = opt ? opt->level : SLAW_DEFAULT_LEVEL;
    slaw_status st = level_check(level, err);
    if (st == SLAW_OK && law_has_budget(law)) st = budget_model_check(opt, err);
    if (st != SLAW_OK) return st;
    budget_fixed_none(&fx);
    if (law_has_budget(law) && (st = budget_fix(law, opt ? opt->held : NULL, &fx, err))) return st;
    law_var_list(law, vars, sizeof vars);
    if (!law_has_budget(law) && law->n_vars != 1)
        return error_set(err, SLAW_EUSAGE, NULL, 0,
                         "law %s reads %s: a target is reached along a compute budget or "
                         "in a law's one variable, and this law has neither",
                         law->name, vars);
    natural_values(f, natural);
    t.level = level;
    t.C = t.N = t.D = t.x = (slaw_estimate){NAN, NAN, NAN};
    for (size_t k = 0; k < SLAW_MAX_VARS + 1; k++) t.beyond.decades[k] = NAN;
    inverse_ctx ctx = {law, natural, &fx, log(target), log(1e20), -1, 1, INVERSE_FAILED};
    if (slaw_fit_compute_range(f, &lo, &hi) && hi > 0) ctx.ln_start = log(hi);
    slaw_fit_data_range(f, 0, &lo, &hi);
    if (isfinite(lo) && isfinite(hi) && lo <= hi) { /* none for published values */
        ctx.x_lo = lo;
        ctx.x_hi = hi;
    }
    target_limits(&ctx, &t);
    if (!target_quantity(law, natural, &ctx, value) || ctx.outcome == INVERSE_FAILED ||
        ctx.outcome == INVERSE_BELOW || ctx.outcome == INVERSE_BEYOND)
        return target_failure(&ctx, target, err);
    if (ctx.outcome == INVERSE_FOUND) {
        t.reachable = true;
        quantity q = {target_quantity,
                      &ctx,
                      law_has_budget(law) ? 3 : 1,
                      {SCALE_OF_LOG, SCALE_OF_LOG, SCALE_OF_LOG},
                      {false}};
        if (signed_inverse(law)) q.scale[0] = SCALE_OF_VALUE; /* x may be <= 0 */
        quantity_intervals iv;
        st = quantity_estimate(f, &q, opt, value, &iv, err);
        if (st != SLAW_OK) return st;
        fill_target(f, &fx, value, &iv, &t);
    } else {
        t.method = SLAW_INTERVAL_NONE;
    }
    *out = t;
    return SLAW_OK;
}

double reach_ln(const slaw_law *law, const double *natural, const budget_fixed *fx, double target,
                double ln_start)
{
    inverse_ctx ctx = {law, natural, fx, log(target), ln_start, -1, 1, INVERSE_FAILED};
    double root;
    ctx.outcome = invert(&ctx, &root);
    if (ctx.outcome == INVERSE_FOUND) return root;
    return ctx.outcome == INVERSE_UNREACHABLE || ctx.outcome == INVERSE_BEYOND ? INFINITY : NAN;
}

bool reach_ln_resource(const slaw_law *law, const double *natural, double target, double ln_start,
                       double *out)
{
    double root = reach_ln(law, natural, NULL, target, ln_start);
    if (!isfinite(root)) return false;
    *out = root;
    return true;
}
