/* forecast_chain.c — one law's forecast fed into another: the loss a loss law
 * predicts at a size, then the downstream metric a metric law predicts at
 * that loss, with an interval carried through both fits: percentiles over
 * their bootstrap samples in pairs, or the delta method. */
#include "forecast.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ln of f's law at vars, with f's parameters but the j-th moved by h. */
static double ln_at(const slaw_fit *f, const double *vars, size_t j, double h)
{
    const slaw_law *law = slaw_fit_law(f);
    double v[LAW_MAX_PARAMS];
    for (size_t i = 0; i < slaw_law_param_count(law); i++) v[i] = slaw_fit_value(f, i);
    if (j < slaw_law_param_count(law)) v[j] += h;
    return law_ln_values(law, v, vars);
}

/* Percentiles of the loss and the metric over the samples in pairs. */
static slaw_status by_samples(const slaw_fit *a, const slaw_fit *b, const double *vars,
                              double level, slaw_chain_forecast *out, slaw_error *err)
{
    size_t n = a->n_boot < b->n_boot ? a->n_boot : b->n_boot, kept = 0;
    double *l = malloc(2 * (n ? n : 1) * sizeof *l), *y = l + (n ? n : 1);
    if (!l) return error_nomem(err);
    for (size_t k = 0; k < n; k++) {
        double lk = exp(law_ln_values(a->law, a->boot + k * a->law->n_params, vars));
        double yk = exp(law_ln_values(b->law, b->boot + k * b->law->n_params, &lk));
        if (!(lk > 0) || !isfinite(lk) || !(yk > 0) || !isfinite(yk)) continue;
        l[kept] = lk;
        y[kept++] = yk;
    }
    out->method = SLAW_INTERVAL_BOOTSTRAP;
    out->samples = kept;
    if (kept >= 2) {
        double tail = (1.0 - level) / 2.0;
        gsl_sort(l, 1, kept);
        gsl_sort(y, 1, kept);
        out->loss.lo = gsl_stats_quantile_from_sorted_data(l, 1, kept, tail);
        out->loss.hi = gsl_stats_quantile_from_sorted_data(l, 1, kept, 1 - tail);
        out->y.lo = gsl_stats_quantile_from_sorted_data(y, 1, kept, tail);
        out->y.hi = gsl_stats_quantile_from_sorted_data(y, 1, kept, 1 - tail);
    }
    free(l);
    return SLAW_OK;
}

/* The method the chain's intervals take, or SLAW_EUSAGE. */
static slaw_status chain_method(const slaw_fit *a, const slaw_fit *b,
                                const slaw_forecast_options *opt, slaw_interval_method *m,
                                slaw_error *err)
{
    bool samples = a->n_boot >= 2 && b->n_boot >= 2;
    *m = opt ? opt->method : SLAW_INTERVAL_AUTO;
    if (*m == SLAW_INTERVAL_BOOTSTRAP && !samples)
        return error_set(err, SLAW_EUSAGE, NULL, 0,
                         "bootstrap intervals through two fits need samples in both");
    if (*m == SLAW_INTERVAL_AUTO)
        *m = slaw_fit_interval_method(a) == SLAW_INTERVAL_BOOTSTRAP && samples
                 ? SLAW_INTERVAL_BOOTSTRAP
                 : SLAW_INTERVAL_DELTA;
    if (*m != SLAW_INTERVAL_BOOTSTRAP) *m = SLAW_INTERVAL_DELTA;
    return SLAW_OK;
}

/* Var(ln y) from f's covariance: the gradient of ln y in the natural
 * parameters by central differences (steps of 1e-4 standard errors, as the
 * forecasts take them); parameters without variance are skipped.  As for a
 * forecast, an undetermined parameter counts with its covariance's own (wide)
 * variance; NaN only when y moves with one whose covariance is singular. */
static double ln_variance(const slaw_fit *f, const double *vars)
{
    const slaw_law *law = slaw_fit_law(f);
    const double *cov = slaw_fit_covariance(f);
    size_t p = slaw_law_param_count(law);
    double g[LAW_MAX_PARAMS], var = 0;
    for (size_t j = 0; j < p; j++) {
        double vj = cov[j * p + j], x = slaw_fit_value(f, j);
        bool singular = !slaw_fit_identified(f, j) && !(vj > 0);
        g[j] = 0;
        if (slaw_fit_param_state(f, j) == SLAW_PARAM_FIXED ||
            slaw_fit_param_state(f, j) == SLAW_PARAM_PINNED)
            continue;
        if (singular) vj = 1e-12 * x * x; /* only to see whether y moves with it */
        if (!(vj > 0) || !isfinite(vj)) continue;
        double h = 1e-4 * sqrt(vj);
        if (slaw_law_param_is_log(law, j) && h > 0.5 * x) h = 0.5 * x;
        g[j] = (ln_at(f, vars, j, h) - ln_at(f, vars, j, -h)) / (2 * h);
        if (singular && g[j] != 0) return NAN;
        if (singular) g[j] = 0;
    }
    for (size_t i = 0; i < p; i++)
        for (size_t j = 0; j < p; j++)
            if (g[i] != 0 && g[j] != 0) var += g[i] * cov[i * p + j] * g[j];
    return var;
}

/* Whether f has a parameter that was fitted (published ones are all given). */
static bool any_free(const slaw_fit *f)
{
    for (size_t j = 0; j < slaw_law_param_count(slaw_fit_law(f)); j++)
        if (slaw_fit_param_state(f, j) != SLAW_PARAM_FIXED) return true;
    return false;
}

slaw_status slaw_forecast_chain(const slaw_fit *first, const slaw_fit *then, const double *vars,
                                const slaw_forecast_options *opt, slaw_chain_forecast *out,
                                slaw_error *err)
{
    const slaw_law *a = slaw_fit_law(first), *b = slaw_fit_law(then);
    double level;
    slaw_interval_method method;
    if (slaw_law_var_count(b) != 1)
        return error_set(err, SLAW_EUSAGE, NULL, 0,
                         "law %s reads %zu variables: a law chained "
                         "after another reads one, the loss",
                         slaw_law_name(b), slaw_law_var_count(b));
    level = opt ? opt->level : SLAW_DEFAULT_LEVEL;
    slaw_status st = level_check(level, err);
    if (st == SLAW_OK) st = chain_method(first, then, opt, &method, err);
    if (st != SLAW_OK) return st;
    for (size_t v = 0; v < slaw_law_var_count(a); v++)
        if (!law_var_admits(a, v, vars[v]))
            return error_set(err, SLAW_EUSAGE, NULL, 0,
                             "a forecast needs positive finite "
                             "values, got %g",
                             vars[v]);
    double loss = exp(ln_at(first, vars, SIZE_MAX, 0));
    double y = exp(ln_at(then, &loss, SIZE_MAX, 0));
    if (!(loss > 0) || !isfinite(loss) || !(y > 0) || !isfinite(y))
        return error_set(err, SLAW_EINPUT, NULL, 0,
                         "law %s at the loss %g of law %s: no "
                         "positive finite value",
                         slaw_law_name(b), loss, slaw_law_name(a));
    /* ∂ln y/∂ln L: how the second law passes on the first's uncertainty */
    double up = loss * exp(1e-5), down = loss * exp(-1e-5);
    double slope = (ln_at(then, &up, SIZE_MAX, 0) - ln_at(then, &down, SIZE_MAX, 0)) / 2e-5;
    memset(out, 0, sizeof *out);
    point_allocation(a, vars, opt ? opt->flops_per_token : 0, &out->N, &out->D, &out->C);
    out->level = level;
    out->slope = slope;
    out->loss = (slaw_estimate){loss, NAN, NAN};
    out->y = (slaw_estimate){y, NAN, NAN};
    out->se_ln_loss = out->se_ln_y = NAN;
    if (method == SLAW_INTERVAL_BOOTSTRAP) return by_samples(first, then, vars, level, out, err);
    double var_loss = ln_variance(first, vars), var_y = ln_variance(then, &loss);
    double z = gsl_cdf_ugaussian_Pinv(0.5 + level / 2);
    double se_loss = sqrt(var_loss), se = sqrt(var_y + slope * slope * var_loss);
    out->method = SLAW_INTERVAL_DELTA;
    out->loss = (slaw_estimate){loss, loss * exp(-z * se_loss), loss * exp(z * se_loss)};
    out->y = (slaw_estimate){y, y * exp(-z * se), y * exp(z * se)};
    out->se_ln_loss = se_loss;
    out->se_ln_y = se;
    if (!any_free(first)) { /* published: the loss has no interval, as its forecast has none */
        out->loss.lo = out->loss.hi = NAN;
        out->se_ln_loss = NAN;
    }
    return SLAW_OK;
}
