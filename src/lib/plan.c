/* plan.c — which run to train next: how much a candidate run would narrow
 * the confidence interval of a target (a forecast, the least loss at a
 * budget, the compute to reach a loss), per unit of its cost.
 *
 * Linearised at the fitted parameters: a new run with prediction gradient j
 * (in the fitting space, internal parameters: logarithms of the scales) adds j jᵀ / σ² to the
 * information Σ⁻¹, so by Sherman-Morrison Σ' = Σ - Σ j jᵀ Σ / (σ² + jᵀ Σ j)
 * and the target's variance gᵀ Σ g falls by (gᵀ Σ j)² / (σ² + jᵀ Σ j).  With
 * bootstrap samples the gradients are taken at each sample (up to
 * PLAN_MAX_SAMPLES) and the shrinkage averaged: a run that helps only if the
 * fit happens to be right counts for less. */
#include "forecast.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define PLAN_MAX_SAMPLES 100

/* One parameter vector's view: gradients there, and the covariance as runs
 * are added to it. */
typedef struct plan_state {
    double g[LAW_MAX_PARAMS]; /* of the target's logarithm */
    double cov[LAW_MAX_PARAMS * LAW_MAX_PARAMS];
    double v0, v; /* gᵀ Σ g: at first, now */
    double *j;    /* n × p: of each run's prediction */
} plan_state;

typedef struct planner {
    const slaw_law *law;
    size_t p, n, m; /* parameters, runs, states */
    plan_state *s;
    double sigma2, z;
    slaw_space space;
    const slaw_plan_target *t;
    budget_fixed fx;          /* variables a budget does not set (U, a formula's column) */
    double ln_start;          /* where a compute search starts */
    double h[LAW_MAX_PARAMS]; /* difference steps; 0: parameter held */
} planner;

/* ln of the target at natural parameters; false when there is none.  The
 * optimum and the compute to reach a loss go along the law's own budget
 * (budget_split: gadre's C and M as well as N and D), other variables held. */
static bool target_ln(const planner *pl, const double *natural, double *out)
{
    const slaw_plan_target *t = pl->t;
    const slaw_law *law = pl->law;
    double x[LAW_MAX_VARS], n, d;
    switch (t->kind) {
    case SLAW_PLAN_POINT: *out = law_ln_values(law, natural, t->vars); break;
    case SLAW_PLAN_OPTIMUM:
        if (!optimum_at(law, natural, &pl->fx, t->C, &n, &d)) return false;
        budget_split(law, &pl->fx, t->C, n, d, x);
        *out = law_ln_values(law, natural, x);
        break;
    case SLAW_PLAN_COMPUTE:
        *out = reach_ln(law, natural, law_has_budget(law) ? &pl->fx : NULL, t->loss, pl->ln_start);
        break;
    }
    return isfinite(*out);
}

/* A run's prediction in the fitting space. */
static bool run_pred(const planner *pl, const double *natural, const double *vars, double *out)
{
    *out = pl->space == SLAW_SPACE_LOG ? law_ln_values(pl->law, natural, vars)
                                       : law_value(pl->law, natural, vars);
    return isfinite(*out);
}

/* Central differences of the target (run == NULL) or of a run's prediction
 * at natural, with respect to the internal parameters (ln of the positive
 * scales): the coordinates in which the fit was linearised, so that the
 * fit's covariance still means something at a bootstrap sample whose scale
 * differs from the fit's by a factor of ten. */
static bool gradient_at(const planner *pl, const double *natural, const double *run, double *grad)
{
    double v[LAW_MAX_PARAMS];
    memcpy(v, natural, pl->p * sizeof *v);
    for (size_t j = 0; j < pl->p; j++) {
        grad[j] = 0;
        if (pl->h[j] == 0) continue;
        double up, down, x = natural[j], h = pl->h[j];
        bool is_log = slaw_law_param_is_log(pl->law, j);
        v[j] = is_log ? x * exp(h) : x + h;
        bool ok = run ? run_pred(pl, v, run, &up) : target_ln(pl, v, &up);
        v[j] = is_log ? x * exp(-h) : x - h;
        ok = ok && (run ? run_pred(pl, v, run, &down) : target_ln(pl, v, &down));
        v[j] = x;
        if (!ok) return false;
        grad[j] = (up - down) / (2 * h);
    }
    return true;
}

static double quad(const double *a, const double *m, const double *b, size_t p)
{
    double s = 0;
    for (size_t i = 0; i < p; i++)
        for (size_t k = 0; k < p; k++) s += a[i] * m[i * p + k] * b[k];
    return s;
}

/* The CI width of the target on its own scale, up to the target's value:
 * e^{z sd} - e^{-z sd}. */
static double width(const planner *pl, double v)
{
    double sd = sqrt(fmax(v, 0));
    return exp(pl->z * sd) - exp(-pl->z * sd);
}

/* The target's variance in state s if run i were added. */
static double variance_with(const planner *pl, const plan_state *s, size_t i)
{
    const double *j = s->j + i * pl->p;
    double a = quad(s->g, s->cov, j, pl->p), c = quad(j, s->cov, j, pl->p);
    double denom = pl->sigma2 + c;
    return denom > 0 ? s->v - a * a / denom : s->v;
}

static void add_run(const planner *pl, plan_state *s, size_t i)
{
    size_t p = pl->p;
    const double *j = s->j + i * p;
    double u[LAW_MAX_PARAMS], c = 0;
    for (size_t r = 0; r < p; r++) {
        u[r] = 0;
        for (size_t k = 0; k < p; k++) u[r] += s->cov[r * p + k] * j[k];
        c += j[r] * u[r];
    }
    if (!(pl->sigma2 + c > 0)) return;
    for (size_t r = 0; r < p; r++)
        for (size_t k = 0; k < p; k++) s->cov[r * p + k] -= u[r] * u[k] / (pl->sigma2 + c);
    s->v = quad(s->g, s->cov, s->g, p);
}

/* The fraction of the first width that adding run i removes now, averaged. */
static double gain(const planner *pl, size_t i)
{
    double sum = 0;
    for (size_t k = 0; k < pl->m; k++) {
        const plan_state *s = &pl->s[k];
        double w0 = width(pl, s->v0);
        sum += w0 > 0 ? (width(pl, s->v) - width(pl, variance_with(pl, s, i))) / w0 : 0;
    }
    return sum / (double)pl->m;
}

static double removed(const planner *pl)
{
    double sum = 0;
    for (size_t k = 0; k < pl->m; k++) {
        double w0 = width(pl, pl->s[k].v0);
        sum += w0 > 0 ? 1 - width(pl, pl->s[k].v) / w0 : 0;
    }
    return sum / (double)pl->m;
}

static void planner_free(planner *pl)
{
    for (size_t k = 0; pl->s && k < pl->m; k++) free(pl->s[k].j);
    free(pl->s);
}

static slaw_status check_inputs(const slaw_law *law, const slaw_plan_target *t,
                                const slaw_plan_run *runs, size_t n, slaw_error *err)
{
    size_t nv = law->n_vars;
    char vars[96];
    law_var_list(law, vars, sizeof vars);
    if (t->kind == SLAW_PLAN_OPTIMUM && !law_has_budget(law))
        return error_set(err, SLAW_EUSAGE, NULL, 0,
                         "law %s reads %s%s: it has no compute-optimal loss to plan for", law->name,
                         nv == 1 ? "one variable, " : "", vars);
    if (t->kind == SLAW_PLAN_COMPUTE && !law_has_budget(law) && nv != 1)
        return error_set(err, SLAW_EUSAGE, NULL, 0,
                         "law %s reads %s: a loss is reached along a compute budget or in a "
                         "law's one variable, and this law has neither",
                         law->name, vars);
    if (t->kind == SLAW_PLAN_COMPUTE && !law_has_budget(law) && law_var_signed(law, 0))
        return error_set(err, SLAW_EUSAGE, NULL, 0,
                         "law %s reads %s, which may be zero or negative: the %s that reaches a "
                         "loss is no size to plan for",
                         law->name, vars, vars);
    bool ok = true;
    if (t->kind == SLAW_PLAN_POINT)
        for (size_t v = 0; v < nv; v++) ok = ok && law_var_admits(law, v, t->vars[v]);
    else
        ok = (t->kind == SLAW_PLAN_OPTIMUM ? t->C : t->loss) > 0 &&
             isfinite(t->kind == SLAW_PLAN_OPTIMUM ? t->C : t->loss);
    if (!ok) return error_set(err, SLAW_EUSAGE, NULL, 0, "the target needs positive finite values");
    for (size_t i = 0; i < n; i++) {
        ok = runs[i].cost > 0 && isfinite(runs[i].cost);
        for (size_t v = 0; v < nv; v++) ok = ok && law_var_admits(law, v, runs[i].vars[v]);
        if (!ok)
            return error_set(err, SLAW_EUSAGE, NULL, 0,
                             "candidate run %zu needs positive finite "
                             "sizes and cost",
                             i + 1);
    }
    return SLAW_OK;
}

/* The state at natural parameters; false when the target or a run has no
 * gradient there (a sample without an optimum, say). */
static bool state_at(const planner *pl, const double *natural, const double *cov,
                     const slaw_plan_run *runs, plan_state *s)
{
    size_t p = pl->p;
    if (!gradient_at(pl, natural, NULL, s->g)) return false;
    for (size_t i = 0; i < pl->n; i++)
        if (!gradient_at(pl, natural, runs[i].vars, s->j + i * p)) return false;
    memcpy(s->cov, cov, p * p * sizeof *cov);
    s->v0 = s->v = quad(s->g, s->cov, s->g, p);
    return isfinite(s->v0);
}

static slaw_status planner_build(const slaw_fit *f, const slaw_plan_target *t,
                                 const slaw_forecast_options *opt, const slaw_plan_run *runs,
                                 size_t n, planner *pl, slaw_plan_summary *sum, slaw_error *err)
{
    const slaw_law *law = slaw_fit_law(f);
    const double *fc = slaw_fit_covariance(f);
    double natural[LAW_MAX_PARAMS], cov[LAW_MAX_PARAMS * LAW_MAX_PARAMS], lo, hi, ln0;
    slaw_fit_stats st;
    memset(pl, 0, sizeof *pl);
    slaw_status status = check_inputs(law, t, runs, n, err);
    budget_fixed_none(&pl->fx);
    if (status == SLAW_OK && t->kind != SLAW_PLAN_POINT && law_has_budget(law))
        status = budget_model_check(opt, err);
    if (status == SLAW_OK && t->kind != SLAW_PLAN_POINT && law_has_budget(law))
        status = budget_fix(law, opt ? opt->held : NULL, &pl->fx, err);
    if (status != SLAW_OK) return status;
    double level;
    level = opt ? opt->level : SLAW_DEFAULT_LEVEL;
    slaw_status level_st = level_check(level, err);
    if (level_st != SLAW_OK) return level_st;
    slaw_fit_get_stats(f, &st);
    pl->law = law;
    pl->p = law->n_params;
    pl->n = n;
    pl->t = t;
    /* the quantile of the forecasts' intervals: t for a fit whose intervals are t */
    slaw_interval_method method = forecast_method(f, opt ? opt->method : SLAW_INTERVAL_AUTO);
    pl->z = forecast_quantile(f, method, level);
    if (method != SLAW_INTERVAL_T || !(pl->z > 0) || !isfinite(pl->z)) {
        pl->z = gsl_cdf_ugaussian_Pinv(0.5 + level / 2);
        method = SLAW_INTERVAL_DELTA;
    }
    pl->sigma2 = isfinite(st.sigma) ? st.sigma * st.sigma : 0;
    pl->ln_start = slaw_fit_compute_range(f, &lo, &hi) && hi > 0 ? log(hi) : log(1e20);
    pl->space = opt ? opt->space : SLAW_SPACE_LOG;
    /* The covariance in internal coordinates: d ln x = dx / x for the
     * parameters fitted as logarithms. */
    bool any = false;
    double scale[LAW_MAX_PARAMS];
    for (size_t j = 0; j < pl->p; j++) {
        natural[j] = slaw_fit_value(f, j);
        scale[j] = slaw_law_param_is_log(law, j) ? natural[j] : 1;
        double var = fc[j * pl->p + j] / (scale[j] * scale[j]);
        pl->h[j] = var > 0 && isfinite(var) ? 1e-4 * sqrt(var) : 0;
        any |= pl->h[j] > 0;
    }
    for (size_t a = 0; a < pl->p; a++)
        for (size_t b = 0; b < pl->p; b++)
            cov[a * pl->p + b] =
                pl->h[a] > 0 && pl->h[b] > 0 ? fc[a * pl->p + b] / (scale[a] * scale[b]) : 0;
    if (!any) return error_set(err, SLAW_EINPUT, NULL, 0, "the fit has no covariance to plan from");
    if (!target_ln(pl, natural, &ln0))
        return error_set(err, SLAW_EINPUT, NULL, 0,
                         "the fitted %s law has no answer at the "
                         "target",
                         law->name);
    size_t B = slaw_fit_bootstrap_count(f);
    if (B > PLAN_MAX_SAMPLES) B = PLAN_MAX_SAMPLES;
    pl->s = calloc(B ? B : 1, sizeof *pl->s);
    if (!pl->s) return error_nomem(err);
    for (size_t b = 0; b < (B ? B : 1); b++) {
        plan_state *s = &pl->s[pl->m];
        if (!s->j && !(s->j = malloc((n ? n : 1) * pl->p * sizeof *s->j))) {
            planner_free(pl);
            return error_nomem(err);
        }
        const double *at = B ? slaw_fit_bootstrap_sample(f, b) : natural;
        if (state_at(pl, at, cov, runs, s)) pl->m++;
    }
    if (!pl->m) {
        planner_free(pl);
        return error_set(err, SLAW_EINPUT, NULL, 0,
                         "the target or a candidate run has no "
                         "gradient at the fitted parameters");
    }
    /* The CI now: the fit's own, whatever the samples say. */
    plan_state own;
    double *j = malloc((n ? n : 1) * pl->p * sizeof *j);
    own.j = j;
    bool ok = j && state_at(pl, natural, cov, runs, &own);
    free(j);
    double sd = ok ? sqrt(fmax(own.v0, 0)) : NAN;
    sum->value = exp(ln0);
    sum->lo = exp(ln0 - pl->z * sd);
    sum->hi = exp(ln0 + pl->z * sd);
    sum->level = level;
    sum->samples = B ? pl->m : 0;
    sum->method = method;
    return SLAW_OK;
}

slaw_status slaw_plan_rank(const slaw_fit *f, const slaw_plan_target *t,
                           const slaw_forecast_options *opt, slaw_plan_run *runs, size_t n,
                           slaw_plan_summary *out, slaw_error *err)
{
    planner pl;
    slaw_plan_summary sum;
    slaw_status st = planner_build(f, t, opt, runs, n, &pl, &sum, err);
    if (st != SLAW_OK) return st;
    for (size_t i = 0; i < n; i++) {
        runs[i].shrink = gain(&pl, i);
        runs[i].value = runs[i].shrink / runs[i].cost;
    }
    planner_free(&pl);
    *out = sum;
    return SLAW_OK;
}

slaw_status slaw_plan_greedy(const slaw_fit *f, const slaw_plan_target *t,
                             const slaw_forecast_options *opt, const slaw_plan_run *runs, size_t n,
                             double budget, size_t k, size_t *chosen, size_t *n_chosen,
                             double *shrink, slaw_error *err)
{
    planner pl;
    slaw_plan_summary sum;
    if (!(budget > 0))
        return error_set(err, SLAW_EUSAGE, NULL, 0, "the budget must be a positive number");
    bool *used = calloc(n ? n : 1, sizeof *used);
    if (!used) return error_nomem(err);
    slaw_status st = planner_build(f, t, opt, runs, n, &pl, &sum, err);
    if (st != SLAW_OK) {
        free(used);
        return st;
    }
    size_t m = 0;
    double left = budget;
    while (m < k) {
        size_t best = n;
        double best_value = 0;
        for (size_t i = 0; i < n; i++) {
            if (used[i] || runs[i].cost > left) continue;
            double v = gain(&pl, i);
            if (best == n || v > best_value) {
                best = i;
                best_value = v;
            }
        }
        if (best == n) break;
        used[best] = true;
        left -= runs[best].cost;
        for (size_t s = 0; s < pl.m; s++) add_run(&pl, &pl.s[s], best);
        chosen[m] = best;
        shrink[m++] = removed(&pl);
    }
    *n_chosen = m;
    planner_free(&pl);
    free(used);
    return SLAW_OK;
}
