/* forecast_budget.c — a law along a compute budget C: the split of C between
 * N and D (N·D = C/6, slaw_compute_*), the variables the law reads at a split
 * (N, D, C, M = D/N, R = D/U - 1), the others held at given values (the
 * unique tokens U, a formula's other columns), and the split with the least
 * loss.
 *
 * A law with a closed form for the optimum supplies it (law.h); for the
 * others the loss is minimised along the budget over ln N.  A minimiser can
 * place a minimum only to about the square root of the machine precision
 * (the function is flat there), so the minimum found is polished as the root
 * of the slope, which is known to ~1e-11: the numeric path then agrees with
 * a closed form to ~1e-10. */
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

/* Whether a split of the budget sets a variable of this role. */
static bool split_sets(slaw_role role)
{
    return role == SLAW_ROLE_N || role == SLAW_ROLE_D || role == SLAW_ROLE_C ||
           role == SLAW_ROLE_M || role == SLAW_ROLE_R;
}

bool law_has_budget(const slaw_law *law)
{
    size_t split = 0, moving = 0;
    for (size_t v = 0; v < law->n_vars; v++) {
        split += split_sets(law->vars[v]);
        moving += split_sets(law->vars[v]) && law->vars[v] != SLAW_ROLE_C;
    }
    return law_reads_compute(law) || (split >= 2 && moving >= 1);
}

void budget_fixed_none(budget_fixed *fx)
{
    for (size_t v = 0; v < LAW_MAX_VARS; v++) fx->x[v] = NAN;
    fx->U = NAN;
}

slaw_status budget_fix(const slaw_law *law, const slaw_point *held, budget_fixed *fx,
                       slaw_error *err)
{
    char vars[96];
    budget_fixed_none(fx);
    law_var_list(law, vars, sizeof vars);
    if (!law_has_budget(law))
        return error_set(err, SLAW_EUSAGE, NULL, 0,
                         "law %s reads %s: it has no compute budget to share between N and D",
                         law->name, vars);
    if (held) fx->U = held->U;
    for (size_t v = 0; v < law->n_vars; v++) {
        slaw_role role = law->vars[v];
        if (role == SLAW_ROLE_R && isnan(fx->U))
            return error_set(err, SLAW_EUSAGE, NULL, 0,
                             "law %s reads R = D/U - 1: a compute budget sets D, and the unique "
                             "tokens U need a value",
                             law->name);
        if (split_sets(role)) continue;
        double x = held ? point_var_value(held, law, v) : NAN;
        if (isnan(x))
            return error_set(err, SLAW_EUSAGE, NULL, 0,
                             "law %s reads %s (%s), which a compute budget does not set: it "
                             "needs a value (held %s)",
                             law->name, law_var_name(law, v),
                             role < SLAW_ROLE_COUNT ? slaw_role_meaning(role) : "a column",
                             law_var_name(law, v));
        if (!law->program && !(x > 0))
            return error_set(err, SLAW_EUSAGE, NULL, 0, "%s = %g: law %s needs a positive value",
                             law_var_name(law, v), x, law->name);
        fx->x[v] = x;
    }
    return SLAW_OK;
}

void budget_fix_at(const slaw_law *law, const double *vars, budget_fixed *fx)
{
    budget_fixed_none(fx);
    for (size_t v = 0; v < law->n_vars; v++)
        if (!split_sets(law->vars[v])) fx->x[v] = vars[v];
    /* R = D/U - 1 read without U: hold the U that gives R at the point's D */
    size_t ir = law_var_index(law, SLAW_ROLE_R), id = law_var_index(law, SLAW_ROLE_D);
    if (ir != SIZE_MAX && id != SIZE_MAX) fx->U = vars[id] / (vars[ir] + 1);
}

size_t budget_missing(const slaw_law *law, const slaw_point *held)
{
    budget_fixed fx;
    if (!law_has_budget(law)) return SIZE_MAX;
    if (held) fx.U = held->U;
    else fx.U = NAN;
    for (size_t v = 0; v < law->n_vars; v++) {
        slaw_role role = law->vars[v];
        if (role == SLAW_ROLE_R && isnan(fx.U)) return v;
        if (split_sets(role)) continue;
        if (!held || isnan(point_var_value(held, law, v))) return v;
    }
    return SIZE_MAX;
}

void budget_split(const slaw_law *law, const budget_fixed *fx, double C, double N, double D,
                  double *x)
{
    for (size_t v = 0; v < law->n_vars; v++) {
        switch (law->vars[v]) {
        case SLAW_ROLE_N: x[v] = N; break;
        case SLAW_ROLE_D: x[v] = D; break;
        case SLAW_ROLE_C: x[v] = C; break;
        case SLAW_ROLE_M: x[v] = D / N; break;
        case SLAW_ROLE_R: x[v] = fx ? D / fx->U - 1 : NAN; break;
        default: x[v] = fx ? fx->x[v] : NAN;
        }
    }
}

/* ------------------------------------------------- along one budget */

typedef struct budget_line {
    const slaw_law *law;
    const budget_fixed *fx;
    double natural[LAW_MAX_PARAMS];
    double theta[LAW_MAX_PARAMS]; /* internal parameters */
    double ln_c, ln_nd;           /* ln C and ln(N·D) on the budget */
} budget_line;

/* ln L at ln N = u on the budget line: built-in laws from the logarithms
 * (exact for N and D however large), formulas from the values. */
static double ln_loss_along(double u, void *ctx)
{
    const budget_line *b = ctx;
    const slaw_law *law = b->law;
    double x[LAW_MAX_VARS], lny;
    if (law->program) {
        budget_split(law, b->fx, exp(b->ln_c), exp(u), exp(b->ln_nd - u), x);
        return law_ln_values(law, b->natural, x);
    }
    const double *inputs[LAW_MAX_VARS];
    for (size_t v = 0; v < law->n_vars; v++) {
        switch (law->vars[v]) {
        case SLAW_ROLE_N: x[v] = u; break;
        case SLAW_ROLE_D: x[v] = b->ln_nd - u; break;
        case SLAW_ROLE_C: x[v] = b->ln_c; break;
        case SLAW_ROLE_M: x[v] = b->ln_nd - 2 * u; break;
        case SLAW_ROLE_R: x[v] = log(exp(b->ln_nd - u) / b->fx->U - 1); break;
        default: x[v] = log(b->fx->x[v]);
        }
        inputs[v] = &x[v];
    }
    law_eval(law, b->theta, inputs, 1, &lny, NULL);
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

bool find_root(double (*fn)(double, void *), void *ctx, double lo, double hi, double *root)
{
    gsl_function F = {fn, ctx};
    double flo = fn(lo, ctx), fhi = fn(hi, ctx);
    if (flo == 0 || fhi == 0) {
        *root = flo == 0 ? lo : hi;
        return true;
    }
    if (!(flo * fhi < 0) || !isfinite(flo) || !isfinite(fhi)) return false;
    gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    if (!s) return false;
    /* a value that is not finite inside the bracket is a failed search, not
     * an abort: GSL's default handler would end the program */
    gsl_error_handler_t *handler = gsl_set_error_handler_off();
    bool ok = gsl_root_fsolver_set(s, &F, lo, hi) == GSL_SUCCESS;
    for (int i = 0; ok && i < MAX_ITER; i++) {
        int status = gsl_root_fsolver_iterate(s);
        if (status != GSL_SUCCESS) {
            ok = status != GSL_EBADFUNC; /* a value that is not finite */
            break;
        }
        lo = gsl_root_fsolver_x_lower(s);
        hi = gsl_root_fsolver_x_upper(s);
        if (gsl_root_test_interval(lo, hi, 1e-13, 1e-14) == GSL_SUCCESS) break;
    }
    gsl_set_error_handler(handler);
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

/* Brent's minimiser from the scan's best point and its neighbours. */
static double brent_min(budget_line *b, const double *f, size_t best, double step, double *lo,
                        double *hi)
{
    double u = step * (double)best;
    *lo = step * (double)(best - 1);
    *hi = step * (double)(best + 1);
    gsl_function F = {ln_loss_along, b};
    gsl_min_fminimizer *m = gsl_min_fminimizer_alloc(gsl_min_fminimizer_brent);
    if (!m) return u;
    gsl_error_handler_t *handler = gsl_set_error_handler_off(); /* no abort on a NaN */
    /* A tie with a neighbour (a flat stretch) leaves the scan's point to the
     * polish: GSL refuses endpoints that do not enclose a minimum. */
    if (f[best] < f[best - 1] && f[best] < f[best + 1] &&
        gsl_min_fminimizer_set_with_values(m, &F, u, f[best], *lo, f[best - 1], *hi, f[best + 1]) ==
            GSL_SUCCESS) {
        for (int i = 0; i < MAX_ITER; i++) {
            if (gsl_min_fminimizer_iterate(m) != GSL_SUCCESS) break;
            *lo = gsl_min_fminimizer_x_lower(m);
            *hi = gsl_min_fminimizer_x_upper(m);
            if (gsl_min_test_interval(*lo, *hi, 1e-9, 0) == GSL_SUCCESS) break;
        }
        u = gsl_min_fminimizer_x_minimum(m);
    }
    gsl_set_error_handler(handler);
    gsl_min_fminimizer_free(m);
    return u;
}

bool optimum_numeric_at(const slaw_law *law, const double *natural, const budget_fixed *fx,
                        double C, double *n, double *d)
{
    if (!(slaw_compute_param_tokens(C) > 1) || !isfinite(C) || !law_has_budget(law)) return false;
    budget_line b = {
        .law = law, .fx = fx, .ln_c = log(C), .ln_nd = log(slaw_compute_param_tokens(C))};
    for (size_t j = 0; j < law->n_params; j++) {
        b.natural[j] = natural[j];
        b.theta[j] = law_to_internal(law, j, natural[j]);
    }
    for (size_t v = 0; v < law->n_vars; v++)
        if (law->vars[v] == SLAW_ROLE_R ? !fx || isnan(fx->U)
                                        : !split_sets(law->vars[v]) && (!fx || isnan(fx->x[v])))
            return false; /* a variable the budget does not set needs a value */
    double f[SCAN_POINTS], step = b.ln_nd / (SCAN_POINTS - 1), lo, hi;
    size_t best = 0;
    for (size_t i = 0; i < SCAN_POINTS; i++) {
        f[i] = ln_loss_along(step * (double)i, &b);
        if (isnan(f[i])) return false;
        if (f[i] < f[best]) best = i;
    }
    if (best == 0 || best == SCAN_POINTS - 1) return false; /* no interior minimum */
    double u = brent_min(&b, f, best, step, &lo, &hi), p = polish(&b, u, lo, hi);
    /* The polish serves a smooth minimum, where it agrees with Brent's to
     * ~1e-8; at a kink (muennighoff's U_N) the slope's stencil straddles it
     * and its root is off: there the lower of the two stands. */
    if (fabs(p - u) <= 1e-6 || ln_loss_along(p, &b) < ln_loss_along(u, &b)) u = p;
    *n = exp(u);
    *d = slaw_compute_tokens(C, *n, 0);
    return isfinite(*n) && *n > 0 && *d > 0;
}

bool optimum_at(const slaw_law *law, const double *natural, const budget_fixed *fx, double C,
                double *n, double *d)
{
    bool held = false;
    for (size_t v = 0; fx && v < law->n_vars; v++) held |= !isnan(fx->x[v]);
    if (law->optimal && !held) return law->optimal(natural, slaw_compute_param_tokens(C), n, d);
    return optimum_numeric_at(law, natural, fx, C, n, d);
}

bool optimum_of(const slaw_law *law, const double *natural, double C, double *n, double *d)
{
    return optimum_at(law, natural, NULL, C, n, d);
}

bool optimum_numeric(const slaw_law *law, const double *natural, double C, double *n, double *d)
{
    return optimum_numeric_at(law, natural, NULL, C, n, d);
}

bool slaw_law_has_budget(const slaw_law *law)
{
    return law_has_budget(law);
}

const char *slaw_budget_missing(const slaw_law *law, const slaw_point *held)
{
    size_t v = budget_missing(law, held);
    return v == SIZE_MAX ? NULL : law_var_name(law, v);
}
