/* solver_params.c — the parameters the solver moves: fixed, tied and bounded.
 *
 * Bounds are kept by transforms rather than by clipping steps, so the
 * trust-region solver runs unchanged (the transforms MINUIT uses):
 *   both bounds   θ = lo + (hi - lo)(1 + sin u)/2
 *   lower only    θ = lo - 1 + sqrt(u² + 1)
 *   upper only    θ = hi + 1 - sqrt(u² + 1)
 * A parameter whose slope dθ/du vanishes has run into its bound: pinned.
 * They are computed so that rounding never takes θ past a bound (lo - 1
 * would absorb a tiny lo) and the transform itself does not overflow for
 * bounds as wide as ±1e308 (hi - lo would): from the middle and half the
 * width, and with sqrt(u² + 1) - 1 written as its own rise.  (The solver
 * may still fail there: the slope dθ/du is then near 1e308.) */
#include "solver_params.h"
#include "error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Splits "NAME=REST"; finds NAME among the law's parameters. */
static slaw_status split_assignment(const slaw_law *law, const char *option, const char *spec,
                                    size_t *param, bool *internal, const char **rest,
                                    slaw_error *err)
{
    const char *eq = strchr(spec, '=');
    if (!eq || eq == spec)
        return error_set_option(err, SLAW_EUSAGE, option, "%s '%s': expected NAME=%s", option, spec,
                                !strcmp(option, "tie")   ? "OTHER"
                                : !strcmp(option, "fix") ? "VALUE"
                                                         : "LO:HI");
    size_t len = (size_t)(eq - spec);
    while (len && spec[len - 1] == ' ') len--;
    *param = law_param_index(law, spec, len, internal);
    if (*param == SIZE_MAX) {
        char names[256] = "";
        for (size_t j = 0; j < law->n_params; j++) {
            strncat(names, j ? ", " : "", sizeof names - strlen(names) - 1);
            strncat(names, law->params[j].name, sizeof names - strlen(names) - 1);
        }
        return error_set_option(err, SLAW_EUSAGE, option,
                                "%s '%s': law %s has no parameter '%.*s' (%s)", option, spec,
                                law->name, (int)len, spec, names);
    }
    *rest = eq + 1;
    while (**rest == ' ') (*rest)++;
    return SLAW_OK;
}

/* A value given for parameter j, in internal coordinates. */
static slaw_status internal_value(const slaw_law *law, size_t j, bool internal, const char *text,
                                  size_t len, const char *option, const char *spec, double *out,
                                  slaw_error *err)
{
    double v;
    const char *why;
    if (slaw_number_parse(text, len, &v, &why) != SLAW_OK)
        return error_set_option(err, SLAW_EUSAGE, option, "%s '%s': '%.*s' is %s", option, spec,
                                (int)len, text, why);
    if (!internal && law->params[j].scale == SCALE_LOG) {
        if (!(v > 0))
            return error_set_option(err, SLAW_EUSAGE, option, "%s '%s': %s must be positive",
                                    option, spec, law->params[j].name);
        v = log(v);
    }
    *out = v;
    return SLAW_OK;
}

/* Reads "LO:HI" (either side may be empty) into internal bounds. */
static slaw_status parse_bound(const slaw_law *law, size_t j, bool internal, const char *text,
                               const char *spec, double *lo, double *hi, slaw_error *err)
{
    const char *colon = strchr(text, ':');
    if (!colon)
        return error_set_option(err, SLAW_EUSAGE, "bound", "bound '%s': expected NAME=LO:HI", spec);
    size_t llen = (size_t)(colon - text), hlen = strlen(colon + 1);
    *lo = -INFINITY;
    *hi = INFINITY;
    bool log_scale = !internal && law->params[j].scale == SCALE_LOG;
    double v;
    const char *why;
    if (llen) {
        if (slaw_number_parse(text, llen, &v, &why) != SLAW_OK)
            return error_set_option(err, SLAW_EUSAGE, "bound", "bound '%s': '%.*s' is %s", spec,
                                    (int)llen, text, why);
        /* A lower bound of zero on a positive parameter is no bound at all. */
        *lo = log_scale ? (v > 0 ? log(v) : -INFINITY) : v;
    }
    if (hlen) {
        if (slaw_number_parse(colon + 1, hlen, &v, &why) != SLAW_OK)
            return error_set_option(err, SLAW_EUSAGE, "bound", "bound '%s': '%s' is %s", spec,
                                    colon + 1, why);
        if (log_scale && !(v > 0))
            return error_set_option(err, SLAW_EUSAGE, "bound",
                                    "bound '%s': %s is positive; an upper bound of %g excludes "
                                    "every value",
                                    spec, law->params[j].name, v);
        *hi = log_scale ? log(v) : v;
    }
    if (!(*lo < *hi))
        return error_set_option(err, SLAW_EUSAGE, "bound",
                                "bound '%s': the lower bound must be "
                                "below the upper",
                                spec);
    return SLAW_OK;
}

slaw_status param_map_build(const slaw_law *law, const slaw_fit_options *opt, param_map *out,
                            slaw_error *err)
{
    size_t p = law->n_params, param, tied_to[LAW_MAX_PARAMS];
    bool internal, bounded[LAW_MAX_PARAMS] = {false};
    double lo[LAW_MAX_PARAMS], hi[LAW_MAX_PARAMS];
    const char *rest;
    slaw_status st;

    memset(out, 0, sizeof *out);
    out->p = p;
    for (size_t j = 0; j < p; j++) {
        out->state[j] = SLAW_PARAM_FREE;
        tied_to[j] = j;
    }
    for (size_t i = 0; i < opt->n_fix; i++) {
        const char *spec = opt->fix[i];
        if ((st = split_assignment(law, "fix", spec, &param, &internal, &rest, err))) return st;
        if ((st = internal_value(law, param, internal, rest, strlen(rest), "fix", spec,
                                 &out->fixed[param], err)))
            return st;
        out->state[param] = SLAW_PARAM_FIXED;
    }
    for (size_t i = 0; i < opt->n_tie; i++) {
        const char *spec = opt->tie[i];
        bool other_internal;
        if ((st = split_assignment(law, "tie", spec, &param, &internal, &rest, err))) return st;
        size_t other = law_param_index(law, rest, strlen(rest), &other_internal);
        if (other == SIZE_MAX || other == param)
            return error_set_option(
                err, SLAW_EUSAGE, "tie",
                "tie '%s': expected NAME=OTHER with two different parameters of %s", spec,
                law->name);
        if (law->params[param].scale != law->params[other].scale)
            return error_set_option(err, SLAW_EUSAGE, "tie",
                                    "tie '%s': %s and %s are on different scales (one is fitted as "
                                    "a logarithm)",
                                    spec, law->params[param].name, law->params[other].name);
        if (out->state[param] == SLAW_PARAM_FIXED)
            return error_set_option(err, SLAW_EUSAGE, "tie", "tie '%s': %s is also fixed", spec,
                                    law->params[param].name);
        tied_to[param] = other;
        out->state[param] = SLAW_PARAM_TIED;
    }
    for (size_t i = 0; i < opt->n_bound; i++) {
        const char *spec = opt->bound[i];
        if ((st = split_assignment(law, "bound", spec, &param, &internal, &rest, err))) return st;
        if (out->state[param] == SLAW_PARAM_FIXED)
            return error_set_option(err, SLAW_EUSAGE, "bound", "bound '%s': %s is fixed", spec,
                                    law->params[param].name);
        if ((st = parse_bound(law, param, internal, rest, spec, &lo[param], &hi[param], err)))
            return st;
        /* "E=0:" on a positive parameter leaves both sides open: no bound. */
        bounded[param] = isfinite(lo[param]) || isfinite(hi[param]);
    }
    /* Follow chains of ties to their root; a cycle has no root. */
    for (size_t j = 0; j < p; j++) {
        size_t root = j, steps = 0;
        while (tied_to[root] != root && steps++ <= p) root = tied_to[root];
        if (steps > p)
            return error_set_option(err, SLAW_EUSAGE, "tie", "tie: the ties of %s form a cycle",
                                    law->params[j].name);
        tied_to[j] = root;
        if (out->state[root] == SLAW_PARAM_FIXED && j != root) {
            out->fixed[j] = out->fixed[root];
            out->state[j] = SLAW_PARAM_FIXED;
        }
        if (bounded[j] && j != root)
            return error_set_option(
                err, SLAW_EUSAGE, "bound", "bound on %s, which is tied to %s: bound %s instead",
                law->params[j].name, law->params[root].name, law->params[root].name);
    }
    /* Free parameters: one per root that is not fixed. */
    for (size_t j = 0; j < p; j++) {
        out->free_of[j] = -1;
        if (out->state[j] == SLAW_PARAM_FIXED) continue;
        size_t root = tied_to[j];
        if (root == j) {
            size_t k = out->m++;
            out->param_of[k] = j;
            out->kind[k] = !bounded[j]    ? BOUND_NONE
                           : isinf(lo[j]) ? BOUND_UPPER
                           : isinf(hi[j]) ? BOUND_LOWER
                                          : BOUND_BOTH;
            out->lo[k] = bounded[j] ? lo[j] : -INFINITY;
            out->hi[k] = bounded[j] ? hi[j] : INFINITY;
            out->free_of[j] = (int)k;
        }
    }
    for (size_t j = 0; j < p; j++)
        if (out->state[j] == SLAW_PARAM_TIED) out->free_of[j] = out->free_of[tied_to[j]];
    if (out->m == 0)
        return error_set(err, SLAW_EUSAGE, NULL, 0,
                         "every parameter of %s is fixed: nothing to fit", law->name);
    return SLAW_OK;
}

/* Half the width and the middle of free parameter k's two bounds. */
static double half_width(const param_map *pm, size_t k)
{
    return 0.5 * pm->hi[k] - 0.5 * pm->lo[k];
}

static double middle(const param_map *pm, size_t k)
{
    return 0.5 * pm->lo[k] + 0.5 * pm->hi[k];
}

/* sqrt(u² + 1) - 1 >= 0, without cancellation near 0 or overflow far out. */
static double rise(double u)
{
    double h = hypot(u, 1.0);
    return fabs(u) < 1.0 ? u * u / (h + 1.0) : h - 1.0;
}

static double to_theta(const param_map *pm, size_t k, double u)
{
    switch (pm->kind[k]) {
    case BOUND_BOTH:
        return fmin(pm->hi[k], fmax(pm->lo[k], middle(pm, k) + half_width(pm, k) * sin(u)));
    case BOUND_LOWER: return pm->lo[k] + rise(u);
    case BOUND_UPPER: return pm->hi[k] - rise(u);
    case BOUND_NONE: break;
    }
    return u;
}

void param_map_theta(const param_map *pm, const double *u, double *theta)
{
    for (size_t j = 0; j < pm->p; j++)
        theta[j] = pm->free_of[j] < 0 ? pm->fixed[j]
                                      : to_theta(pm, (size_t)pm->free_of[j], u[pm->free_of[j]]);
}

void param_map_slope(const param_map *pm, const double *u, double *slope)
{
    for (size_t k = 0; k < pm->m; k++) {
        double x = u[k];
        switch (pm->kind[k]) {
        case BOUND_BOTH: slope[k] = half_width(pm, k) * cos(x); break;
        case BOUND_LOWER: slope[k] = x / hypot(x, 1.0); break;
        case BOUND_UPPER: slope[k] = -x / hypot(x, 1.0); break;
        case BOUND_NONE: slope[k] = 1.0; break;
        }
    }
}

/* How far inside its bounds a start is put: on a bound the slope dθ/du is
 * zero and the solver could never move the parameter off it. */
#define START_INSIDE 1e-3

void param_map_u(const param_map *pm, const double *theta, double *u)
{
    for (size_t k = 0; k < pm->m; k++) {
        double t = theta[pm->param_of[k]];
        double lo = pm->lo[k], hi = pm->hi[k];
        /* The inverse of rise: u = sqrt(r (r + 2)) for r = |θ - bound|. */
        switch (pm->kind[k]) {
        case BOUND_BOTH: {
            double s = (t - middle(pm, k)) / half_width(pm, k), edge = 1.0 - START_INSIDE;
            u[k] = asin(fmin(edge, fmax(-edge, s)));
            break;
        }
        case BOUND_LOWER: {
            double r = fmax(t - lo, START_INSIDE);
            u[k] = sqrt(r) * sqrt(r + 2.0);
            break;
        }
        case BOUND_UPPER: {
            double r = fmax(hi - t, START_INSIDE);
            u[k] = sqrt(r) * sqrt(r + 2.0);
            break;
        }
        case BOUND_NONE: u[k] = t; break;
        }
    }
}

bool param_map_within(const param_map *pm, const double *u, size_t k, double share)
{
    if (pm->kind[k] == BOUND_NONE) return false;
    double t = to_theta(pm, k, u[k]);
    /* of the span between two bounds (from half of it, which is finite) */
    double tol = pm->kind[k] == BOUND_BOTH ? fmax(2 * share * half_width(pm, k), 1e-18) : share;
    return (pm->kind[k] != BOUND_UPPER && t - pm->lo[k] <= tol) ||
           (pm->kind[k] != BOUND_LOWER && pm->hi[k] - t <= tol);
}

bool param_map_pinned(const param_map *pm, const double *u, size_t k)
{
    return param_map_within(pm, u, k, 1e-6);
}

double param_map_pin(const param_map *pm, const double *u, size_t k, double *u_on)
{
    double t = to_theta(pm, k, u[k]);
    bool lower =
        pm->kind[k] == BOUND_LOWER || (pm->kind[k] == BOUND_BOTH && t - pm->lo[k] < pm->hi[k] - t);
    *u_on = pm->kind[k] == BOUND_BOTH ? (lower ? -asin(1.0) : asin(1.0)) : 0.0;
    return lower ? pm->lo[k] : pm->hi[k];
}

void param_map_hold(param_map *pm, size_t k, double value)
{
    size_t m = 0, renumber[FIT_MAX_PARAMS] = {0}; /* zeroed for -O3, which cannot see free_of < m */
    for (size_t j = 0; j < pm->p; j++)
        if (pm->free_of[j] == (int)k) {
            pm->free_of[j] = -1;
            pm->fixed[j] = value;
            pm->state[j] = SLAW_PARAM_PINNED;
        }
    /* Close the gap in the free vector. */
    for (size_t i = 0; i < pm->m; i++) {
        renumber[i] = m;
        if (i == k) continue;
        pm->kind[m] = pm->kind[i];
        pm->lo[m] = pm->lo[i];
        pm->hi[m] = pm->hi[i];
        pm->param_of[m] = pm->param_of[i];
        m++;
    }
    for (size_t j = 0; j < pm->p; j++)
        if (pm->free_of[j] >= 0) pm->free_of[j] = (int)renumber[pm->free_of[j]];
    pm->m = m;
}

bool param_map_near_bound(const param_map *pm, const double *u, size_t k, double *bound)
{
    if (pm->kind[k] == BOUND_NONE) return false;
    double t = to_theta(pm, k, u[k]);
    double span = pm->kind[k] == BOUND_BOTH ? pm->hi[k] - pm->lo[k] : 1.0;
    double reach = 0.1 * span;
    if (pm->kind[k] != BOUND_UPPER && t - pm->lo[k] <= reach) {
        *bound = pm->lo[k];
        return true;
    }
    if (pm->kind[k] != BOUND_LOWER && pm->hi[k] - t <= reach) {
        *bound = pm->hi[k];
        return true;
    }
    return false;
}
