/* forecast_interval.c — intervals of a fit's parameters, and of any
 * quantity computed from them (a forecast, an optimum, an inverse), by the
 * fit's method unless asked otherwise: t quantiles on the covariance (the
 * default), normal ones, or percentiles over the bootstrap samples.
 *
 * A prediction interval for a new run adds the fit's residual scale sigma
 * in the space it was fitted in (ln y in log space).  With samples, each
 * sample's value is spread over NOISE_STRATA equally likely normal
 * quantiles of that noise and the percentiles are taken over the lot: a
 * deterministic stand-in for drawing the noise, so the same artifact always
 * gives the same interval. */
#include "artifact.h"
#include "forecast.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NOISE_STRATA 50

/* ----------------------------------------------------- the fit's own method */

slaw_interval_method slaw_fit_interval_method(const slaw_fit *f)
{
    if (f->interval != SLAW_INTERVAL_AUTO) return f->interval;
    return f->n_boot >= 2 ? SLAW_INTERVAL_BOOTSTRAP : SLAW_INTERVAL_DELTA; /* as slaw did then */
}

double slaw_fit_interval_level(const slaw_fit *f)
{
    return f->level;
}

size_t slaw_fit_interval_dof(const slaw_fit *f)
{
    const slaw_fit_stats *st = f->joint ? &f->joint_stats : &f->stats;
    return st->n > st->n_free ? st->n - st->n_free : 0;
}

/* The quantile that a symmetric interval at level spans from the centre in
 * standard errors: Student's t on the fit's degrees of freedom for T
 * (NaN without any), the normal's otherwise. */
static double spread_quantile(const slaw_fit *f, slaw_interval_method method, double level)
{
    if (method != SLAW_INTERVAL_T) return gsl_cdf_ugaussian_Pinv(0.5 + level / 2);
    size_t dof = slaw_fit_interval_dof(f);
    return dof ? gsl_cdf_tdist_Pinv(0.5 + level / 2, (double)dof) : NAN;
}

/* The method a fit's own intervals take: its recorded one, or T where it
 * records bootstrap and has no samples to take percentiles of. */
static slaw_interval_method own_method(const slaw_fit *f)
{
    slaw_interval_method m = slaw_fit_interval_method(f);
    return m == SLAW_INTERVAL_BOOTSTRAP && f->n_boot < 2 ? SLAW_INTERVAL_T : m;
}

slaw_interval_method forecast_method(const slaw_fit *f, slaw_interval_method method)
{
    return method == SLAW_INTERVAL_AUTO ? own_method(f) : method;
}

double forecast_quantile(const slaw_fit *f, slaw_interval_method method, double level)
{
    return spread_quantile(f, forecast_method(f, method), level);
}

bool slaw_fit_param_interval(const slaw_fit *f, size_t i, double *lo, double *hi)
{
    const slaw_law *law = f->law;
    size_t p = law->n_params;
    slaw_interval_method m = own_method(f);
    double se_unused;
    *lo = *hi = NAN;
    if (i >= p) return false;
    if (m == SLAW_INTERVAL_BOOTSTRAP) return slaw_fit_bootstrap_param(f, i, &se_unused, lo, hi);
    /* The covariance's own error, also for a parameter reported undetermined
     * (wide, as forecasts take it); none where it is singular or 0. */
    double var = f->cov[i * p + i], se = isfinite(var) ? sqrt(var) : f->se[i];
    double v = f->value[i], q = spread_quantile(f, m, slaw_fit_interval_level(f));
    if (!(se > 0) || !isfinite(se) || isnan(q)) return false;
    if (m == SLAW_INTERVAL_T && slaw_law_param_is_log(law, i) && v > 0) {
        /* a multiplicative error: the interval of ln v, sd(ln v) = se / v */
        *lo = v * exp(-q * se / v);
        *hi = v * exp(q * se / v);
    } else {
        *lo = v - q * se;
        *hi = v + q * se;
    }
    return true;
}

bool slaw_fit_derived_interval(const slaw_fit *f, size_t i, double *lo, double *hi)
{
    slaw_interval_method m = own_method(f);
    double se = NAN;
    *lo = *hi = NAN;
    if (i >= f->law->n_derived) return false;
    if (m == SLAW_INTERVAL_BOOTSTRAP) return slaw_fit_bootstrap_derived(f, i, &se, lo, hi);
    double v = slaw_fit_derived(f, i, &se), q = spread_quantile(f, m, slaw_fit_interval_level(f));
    if (!(se > 0) || !isfinite(se) || isnan(q)) return false;
    if (m == SLAW_INTERVAL_T && v > 0) { /* chinchilla's, all positive ratios and scales */
        *lo = v * exp(-q * se / v);
        *hi = v * exp(q * se / v);
    } else {
        *lo = v - q * se;
        *hi = v + q * se;
    }
    return true;
}

void slaw_forecast_options_init(slaw_forecast_options *opt, const slaw_artifact *a)
{
    memset(opt, 0, sizeof *opt);
    opt->level = SLAW_DEFAULT_LEVEL;
    opt->method = SLAW_INTERVAL_AUTO;
    opt->space = SLAW_SPACE_LOG;
    if (a) {
        slaw_fit_options fo;
        slaw_artifact_options(a, &fo);
        opt->space = fo.space;
    }
}

bool level_of(const slaw_forecast_options *opt, double *level)
{
    *level = opt ? opt->level : SLAW_DEFAULT_LEVEL;
    return level_check(*level, NULL) == SLAW_OK;
}

/* The q-quantile of sorted data (GSL's definition), where +inf values may
 * sit at the top: an interpolation that touches one is +inf. */
static double quantile_sorted(const double *x, size_t n, double q)
{
    double pos = q * (double)(n - 1);
    size_t i = (size_t)floor(pos);
    double delta = pos - (double)i;
    if (i + 1 >= n || delta == 0 || x[i] == x[i + 1]) return x[i];
    return x[i] + delta * (x[i + 1] - x[i]);
}

static double to_scale(quantity_scale s, double v)
{
    return s == SCALE_OF_LOG ? log(v) : v;
}

static double from_scale(quantity_scale s, double v)
{
    return s == SCALE_OF_LOG ? exp(v) : v;
}

static void set_nan(quantity_intervals *out)
{
    for (size_t k = 0; k < QUANTITY_MAX; k++)
        out->lo[k] = out->hi[k] = out->pi_lo[k] = out->pi_hi[k] = NAN;
}

/* ------------------------------------------------------------- bootstrap */

/* The sample values of output k, sorted, and their spread by the noise
 * strata (in the output's scale) for a prediction interval. */
static void bootstrap_output(const quantity *q, size_t k, const double *values, size_t n,
                             double sigma, double tail, double *scratch, quantity_intervals *out)
{
    for (size_t b = 0; b < n; b++) scratch[b] = values[b * q->n + k];
    gsl_sort(scratch, 1, n);
    out->lo[k] = quantile_sorted(scratch, n, tail);
    out->hi[k] = quantile_sorted(scratch, n, 1 - tail);
    if (!q->noisy[k] || !(sigma >= 0)) return;
    double z[NOISE_STRATA]; /* the strata's normal quantiles, the same for every sample */
    for (size_t s = 0; s < NOISE_STRATA; s++)
        z[s] = gsl_cdf_ugaussian_Pinv(((double)s + 0.5) / NOISE_STRATA);
    size_t m = 0;
    for (size_t b = 0; b < n; b++) {
        double t = to_scale(q->scale[k], values[b * q->n + k]);
        for (size_t s = 0; s < NOISE_STRATA; s++) scratch[m++] = t + sigma * z[s];
    }
    gsl_sort(scratch, 1, m);
    out->pi_lo[k] = from_scale(q->scale[k], quantile_sorted(scratch, m, tail));
    out->pi_hi[k] = from_scale(q->scale[k], quantile_sorted(scratch, m, 1 - tail));
}

static slaw_status by_bootstrap(const slaw_fit *f, const quantity *q, double level, double sigma,
                                quantity_intervals *out, slaw_error *err)
{
    const slaw_law *law = slaw_fit_law(f);
    size_t B = slaw_fit_bootstrap_count(f), used = 0;
    double *values = malloc(B * q->n * sizeof *values);
    double *scratch = malloc(B * NOISE_STRATA * sizeof *scratch);
    if (!values || !scratch) {
        free(values);
        free(scratch);
        return error_nomem(err);
    }
    for (size_t b = 0; b < B; b++) {
        double *row = values + used * q->n;
        if (!q->fn(law, slaw_fit_bootstrap_sample(f, b), q->ctx, row)) continue;
        bool finite = true, valid = true;
        for (size_t k = 0; k < q->n; k++) {
            finite &= isfinite(row[k]);
            valid &= !isnan(row[k]) && (q->scale[k] != SCALE_OF_LOG || row[k] > 0);
        }
        if (!valid) continue;
        out->infinite += !finite;
        used++;
    }
    out->samples = used;
    out->method = SLAW_INTERVAL_BOOTSTRAP;
    if (used >= 2)
        for (size_t k = 0; k < q->n; k++)
            bootstrap_output(q, k, values, used, sigma, (1 - level) / 2, scratch, out);
    else out->method = SLAW_INTERVAL_NONE;
    free(values);
    free(scratch);
    return SLAW_OK;
}

/* ----------------------------------------------------------------- delta */

/* An undetermined parameter without variance: the covariance is singular
 * there, so the delta method would take it as known exactly. */
static bool singular(const slaw_fit *f, size_t j)
{
    size_t p = slaw_law_param_count(slaw_fit_law(f));
    return !slaw_fit_identified(f, j) && !(slaw_fit_covariance(f)[j * p + j] > 0);
}

/* The gradient of the quantity (in each output's scale) with respect to the
 * natural parameters, by central differences with steps of 1e-4 standard
 * errors: small against the parameter's uncertainty, where the delta method
 * assumes linearity, yet far above rounding.  Parameters without variance
 * (fixed, pinned) are skipped. */
static bool gradient(const slaw_fit *f, const quantity *q, const double *cov,
                     double grad[QUANTITY_MAX][LAW_MAX_PARAMS])
{
    const slaw_law *law = slaw_fit_law(f);
    size_t p = slaw_law_param_count(law);
    bool any = false;
    for (size_t j = 0; j < p; j++) {
        for (size_t k = 0; k < q->n; k++) grad[k][j] = 0;
        double var = cov[j * p + j];
        if (singular(f, j)) var = 1e-12 * slaw_fit_value(f, j) * slaw_fit_value(f, j);
        if (!(var > 0) || !isfinite(var)) continue;
        double v[LAW_MAX_PARAMS], hi[QUANTITY_MAX], lo[QUANTITY_MAX];
        double x = slaw_fit_value(f, j), h = 1e-4 * sqrt(var);
        if (slaw_law_param_is_log(law, j) && h > 0.5 * x) h = 0.5 * x;
        for (size_t i = 0; i < p; i++) v[i] = slaw_fit_value(f, i);
        v[j] = x + h;
        bool ok = q->fn(law, v, q->ctx, hi);
        v[j] = x - h;
        ok = ok && q->fn(law, v, q->ctx, lo);
        for (size_t k = 0; k < q->n; k++) {
            double up = to_scale(q->scale[k], hi[k]), down = to_scale(q->scale[k], lo[k]);
            grad[k][j] = ok ? (up - down) / (2 * h) : NAN;
        }
        any = true;
    }
    return any;
}

static void by_delta(const slaw_fit *f, const quantity *q, slaw_interval_method method,
                     double level, double sigma, const double *value, quantity_intervals *out)
{
    const double *cov = slaw_fit_covariance(f);
    size_t p = slaw_law_param_count(slaw_fit_law(f));
    double grad[QUANTITY_MAX][LAW_MAX_PARAMS];
    double z = spread_quantile(f, method, level);
    out->method = method;
    if (isnan(z) || !gradient(f, q, cov, grad)) {
        out->method = SLAW_INTERVAL_NONE;
        return;
    }
    bool any = false;
    for (size_t k = 0; k < q->n; k++) {
        /* An output that moves with a parameter of singular covariance has
         * no interval (it would count that parameter as known exactly); one
         * undetermined otherwise gets the covariance's own, wide interval. */
        bool known = true;
        for (size_t j = 0; j < p; j++)
            if (singular(f, j) && grad[k][j] != 0) known = false;
        if (!known) continue;
        any = true;
        double var = 0;
        for (size_t i = 0; i < p; i++)
            for (size_t j = 0; j < p; j++)
                if (grad[k][i] != 0 && grad[k][j] != 0)
                    var += grad[k][i] * cov[i * p + j] * grad[k][j];
        double t = to_scale(q->scale[k], value[k]);
        double se = var >= 0 ? sqrt(var) : NAN;
        out->lo[k] = from_scale(q->scale[k], t - z * se);
        out->hi[k] = from_scale(q->scale[k], t + z * se);
        if (q->noisy[k] && sigma >= 0) {
            double spread = z * sqrt(se * se + sigma * sigma);
            out->pi_lo[k] = from_scale(q->scale[k], t - spread);
            out->pi_hi[k] = from_scale(q->scale[k], t + spread);
        }
    }
    if (!any) out->method = SLAW_INTERVAL_NONE;
}

/* ----------------------------------------------------------------- entry */

slaw_status quantity_estimate(const slaw_fit *f, const quantity *q,
                              const slaw_forecast_options *opt, const double *value,
                              quantity_intervals *out, slaw_error *err)
{
    double level;
    slaw_fit_stats st;
    memset(out, 0, sizeof *out);
    set_nan(out);
    level = opt ? opt->level : SLAW_DEFAULT_LEVEL;
    slaw_status level_st = level_check(level, err);
    if (level_st != SLAW_OK) return level_st;
    slaw_interval_method method = opt ? opt->method : SLAW_INTERVAL_AUTO;
    if (method == SLAW_INTERVAL_BOOTSTRAP && slaw_fit_bootstrap_count(f) < 2)
        return error_set_option(err, SLAW_EUSAGE, "bootstrap",
                                "the fit has no bootstrap samples: refit with bootstrap N, or use "
                                "the t or delta method");
    if (method == SLAW_INTERVAL_AUTO) method = own_method(f);
    slaw_fit_get_stats(f, &st);
    double sigma = isfinite(st.sigma) ? st.sigma : NAN;
    if (method == SLAW_INTERVAL_BOOTSTRAP) return by_bootstrap(f, q, level, sigma, out, err);
    by_delta(f, q, method, level, sigma, value, out);
    return SLAW_OK;
}
