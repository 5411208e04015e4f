/* gain.c — compute-equivalent gain: the factor k by which a baseline
 * group's compute must grow to reach another group's loss (its
 * compute-optimal loss at a budget, or its loss at a point).  k > 1: the
 * group is better.  Intervals from the fits' bootstrap samples taken in
 * pairs (in a joint fit sample i of every group comes from one resample),
 * or the delta method on ln k over both groups' parameters, with their
 * joint covariance when the fit was joint. */
#include "artifact.h"
#include "forecast.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Where the gain is asked: a budget (vars NULL) or a point. */
typedef struct gain_at {
    const slaw_law *law;
    const double *vars; /* the point's variables; NULL: the compute-optimal loss at C */
    double C;
    budget_fixed fx; /* the variables a budget does not set, held (U, ...) */
} gain_at;

/* The compute a law's point spends (C = 6·N·D, or the C it reads), else
 * its one variable x. */
static double resource_at(const slaw_law *law, const double *vars)
{
    if (law_reads_compute(law)) return point_compute(law, vars, 0);
    size_t ic = law_var_index(law, SLAW_ROLE_C);
    return ic != SIZE_MAX ? vars[ic] : vars[0];
}

/* ln k for the group's parameters x and the baseline's b; +inf when the
 * baseline never reaches the group's loss, NaN when it cannot be computed. */
static double ln_gain(const gain_at *at, const double *x, const double *b)
{
    const slaw_law *law = at->law;
    double v[LAW_MAX_VARS], ref, n, d;
    if (at->vars) {
        memcpy(v, at->vars, law->n_vars * sizeof *v);
        ref = resource_at(law, v);
    } else {
        if (!optimum_at(law, x, &at->fx, at->C, &n, &d)) return NAN;
        budget_split(law, &at->fx, at->C, n, d, v);
        ref = at->C;
    }
    double ln_target = law_ln_values(law, x, v);
    if (!isfinite(ln_target)) return NAN;
    double r = reach_ln(law, b, law_has_budget(law) ? &at->fx : NULL, exp(ln_target), log(ref));
    /* x itself for a signed x: a factor needs the baseline's x positive too */
    if (signed_inverse(law)) r = r > 0 ? log(r) : NAN;
    return isfinite(r) ? r - log(ref) : r;
}

/* The covariance of (group's, baseline's) parameters, 2p × 2p: the joint
 * covariance when both come from one joint fit, else each fit's own with
 * nothing across (separate fits are independent). */
static void pair_covariance(const slaw_fit *x, const slaw_fit *b, double *cov)
{
    size_t p = x->law->n_params, q = 2 * p;
    const slaw_fit *f[2] = {x, b};
    bool together = x->joint_cov && b->joint_cov && x->joint_P == b->joint_P;
    for (size_t i = 0; i < q; i++)
        for (size_t j = 0; j < q; j++) {
            const slaw_fit *fi = f[i / p], *fj = f[j / p];
            size_t a = i % p, c = j % p;
            if (together)
                cov[i * q + j] = x->joint_cov[fi->joint_index[a] * x->joint_P + fj->joint_index[c]];
            else cov[i * q + j] = fi == fj ? fi->cov[a * p + c] : 0.0;
        }
}

/* The delta method on ln k: its standard error; NaN when it has none. */
static double delta_se(const gain_at *at, const slaw_fit *x, const slaw_fit *b)
{
    size_t p = x->law->n_params, q = 2 * p;
    double grad[2 * LAW_MAX_PARAMS], cov[4 * LAW_MAX_PARAMS * LAW_MAX_PARAMS], v[2][LAW_MAX_PARAMS];
    pair_covariance(x, b, cov);
    for (size_t i = 0; i < q; i++) {
        size_t which = i / p, j = i % p;
        const slaw_fit *f = which ? b : x;
        grad[i] = 0;
        if (!(cov[i * q + i] > 0)) continue;
        double h = 1e-6 * fmax(fabs(f->value[j]), 1e-8), up, down;
        memcpy(v[0], x->value, p * sizeof(double));
        memcpy(v[1], b->value, p * sizeof(double));
        v[which][j] = f->value[j] + h;
        up = ln_gain(at, v[0], v[1]);
        v[which][j] = f->value[j] - h;
        down = ln_gain(at, v[0], v[1]);
        grad[i] = (up - down) / (2 * h);
    }
    double var = 0;
    for (size_t i = 0; i < q; i++)
        for (size_t j = 0; j < q; j++)
            if (grad[i] != 0 && grad[j] != 0) var += grad[i] * cov[i * q + j] * grad[j];
    return var >= 0 ? sqrt(var) : NAN;
}

/* Percentiles of k over the paired samples, and the share above 1. */
static slaw_status by_samples(const gain_at *at, const slaw_fit *x, const slaw_fit *b, double level,
                              slaw_gain *out, slaw_error *err)
{
    size_t n = x->n_boot < b->n_boot ? x->n_boot : b->n_boot, kept = 0, above = 0;
    size_t p = x->law->n_params;
    double *k = malloc((n ? n : 1) * sizeof *k);
    if (!k) return error_nomem(err);
    for (size_t i = 0; i < n; i++) {
        double g = ln_gain(at, x->boot + i * p, b->boot + i * p);
        if (isnan(g)) continue;
        k[kept++] = g;
        above += g > 0;
    }
    out->samples = kept;
    out->method = SLAW_INTERVAL_BOOTSTRAP;
    if (kept >= 2) {
        double tail = (1.0 - level) / 2.0;
        gsl_sort(k, 1, kept);
        out->gain.lo = exp(gsl_stats_quantile_from_sorted_data(k, 1, kept, tail));
        out->gain.hi = exp(gsl_stats_quantile_from_sorted_data(k, 1, kept, 1.0 - tail));
        out->p_above_1 = (double)above / (double)kept;
    }
    free(k);
    return SLAW_OK;
}

static const slaw_fit *fit_named(const slaw_artifact *a, const char *group)
{
    for (size_t i = 0; i < a->n_fits; i++)
        if (a->fits[i].group && !strcmp(a->fits[i].group, group)) return &a->fits[i];
    return NULL;
}

slaw_status slaw_gain_at(const slaw_artifact *a, const char *baseline, const char *group,
                         const double *vars, double C, const slaw_forecast_options *opt,
                         slaw_gain *out, slaw_error *err)
{
    const slaw_fit *b = fit_named(a, baseline), *x = fit_named(a, group);
    double level;
    const char *missing = !b ? baseline : group;
    const char *why = !b || !x ? slaw_artifact_group_failure(a, missing) : NULL;
    if (why)
        return error_set(err, SLAW_EFIT, NULL, 0, "group '%s' was not fitted (%s): it has no gain",
                         missing, why);
    if (!b || !x) return error_set(err, SLAW_EUSAGE, NULL, 0, "the fit has no group '%s'", missing);
    level = opt ? opt->level : SLAW_DEFAULT_LEVEL;
    slaw_status level_st = level_check(level, err);
    if (level_st != SLAW_OK) return level_st;
    gain_at at = {x->law, vars, C, {{0}, 0}};
    if (!vars && (!law_has_budget(x->law) || !(C > 0) || !isfinite(C)))
        return error_set(err, SLAW_EUSAGE, NULL, 0,
                         !law_has_budget(x->law) ? "law %s has no compute budget: give a point"
                                                 : "the budget C must be positive and finite",
                         x->law->name);
    for (size_t v = 0; vars && v < x->law->n_vars; v++)
        if ((!x->law->program && !(vars[v] > 0)) || !isfinite(vars[v]))
            return error_set(err, SLAW_EUSAGE, NULL, 0, "the point's variables must be positive");
    /* a law of one variable that is not compute: the gain is a factor of
     * that variable, which compares two values of one sign only */
    if (vars && !law_reads_compute(x->law) && law_var_index(x->law, SLAW_ROLE_C) == SIZE_MAX &&
        !(vars[0] > 0))
        return error_set(err, SLAW_EUSAGE, NULL, 0,
                         "a gain is the factor by which the baseline's %s must grow: %s must be "
                         "positive, not %g",
                         law_var_name(x->law, 0), law_var_name(x->law, 0), vars[0]);
    if (vars) budget_fix_at(x->law, vars, &at.fx);
    else {
        slaw_status st = budget_fix(x->law, opt ? opt->held : NULL, &at.fx, err);
        if (st != SLAW_OK) return st;
    }
    slaw_gain g = {x->group,
                   b->group,
                   !vars ? C : law_has_budget(x->law) ? resource_at(x->law, vars) : NAN,
                   {NAN, NAN, NAN},
                   NAN,
                   level,
                   SLAW_INTERVAL_NONE,
                   0};
    double lk = ln_gain(&at, x->value, b->value);
    if (isnan(lk) && signed_inverse(x->law))
        return error_set(err, SLAW_EINPUT, NULL, 0,
                         "group '%s': the gain over '%s' cannot be computed there: the baseline "
                         "reaches the group's loss at no positive %s (or its loss misbehaves)",
                         group, baseline, law_var_name(x->law, 0));
    if (isnan(lk))
        return error_set(err, SLAW_EINPUT, NULL, 0,
                         "group '%s': the gain over '%s' cannot be computed there (no optimum, or "
                         "the baseline's loss misbehaves)",
                         group, baseline);
    g.gain.value = exp(lk);
    slaw_interval_method method = opt ? opt->method : SLAW_INTERVAL_AUTO;
    bool samples = x->n_boot >= 2 && b->n_boot >= 2;
    if (method == SLAW_INTERVAL_BOOTSTRAP && !samples)
        return error_set_option(err, SLAW_EUSAGE, "bootstrap",
                                "the fit has no bootstrap samples: refit with bootstrap N, or use "
                                "the t or delta method");
    if (method == SLAW_INTERVAL_AUTO) method = slaw_fit_interval_method(x);
    if (method == SLAW_INTERVAL_BOOTSTRAP && !samples) method = SLAW_INTERVAL_T;
    if (method == SLAW_INTERVAL_BOOTSTRAP) {
        slaw_status st = by_samples(&at, x, b, level, &g, err);
        if (st != SLAW_OK) return st;
    } else if (isfinite(lk)) {
        /* t: on the fewer degrees of freedom of the two fits */
        size_t dof = slaw_fit_interval_dof(x) < slaw_fit_interval_dof(b) ? slaw_fit_interval_dof(x)
                                                                         : slaw_fit_interval_dof(b);
        double se = delta_se(&at, x, b);
        double z = method != SLAW_INTERVAL_T ? gsl_cdf_ugaussian_Pinv(0.5 + level / 2)
                   : dof                     ? gsl_cdf_tdist_Pinv(0.5 + level / 2, (double)dof)
                                             : NAN;
        if (isnan(z)) se = NAN;
        g.method = isnan(se) ? SLAW_INTERVAL_NONE : method;
        if (!isnan(se)) {
            g.gain.lo = exp(lk - z * se);
            g.gain.hi = exp(lk + z * se);
            g.p_above_1 = !(se > 0)                   ? lk > 0
                          : method == SLAW_INTERVAL_T ? gsl_cdf_tdist_P(lk / se, (double)dof)
                                                      : gsl_cdf_ugaussian_P(lk / se);
        }
    }
    *out = g;
    return SLAW_OK;
}

bool slaw_gain_constant(const slaw_artifact *a, const char *baseline, const char *group, double C)
{
    const slaw_fit *b = fit_named(a, baseline), *x = fit_named(a, group);
    if (!b || !x || !law_has_budget(x->law) || budget_missing(x->law, NULL) != SIZE_MAX)
        return false;
    double k[3];
    for (int i = 0; i < 3; i++) {
        gain_at at = {x->law, NULL, C * pow(100.0, i - 1), {{0}, 0}};
        budget_fixed_none(&at.fx);
        k[i] = ln_gain(&at, x->value, b->value);
        if (!isfinite(k[i])) return false;
    }
    double scale = fmax(fabs(k[1]), 1.0);
    return fabs(k[0] - k[1]) <= 1e-6 * scale && fabs(k[2] - k[1]) <= 1e-6 * scale;
}
