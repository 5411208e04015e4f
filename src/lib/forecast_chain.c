/* forecast_chain.c — one law's forecast fed into another: the loss a loss law
 * predicts at a size, then the downstream metric a metric law predicts at
 * that loss, with an interval carried through both fits by the delta method. */
#include "error.h"
#include "law.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <string.h>

/* ln of f's law at vars, with f's parameters but the j-th moved by h. */
static double ln_at(const slaw_fit *f, const double *vars, size_t j, double h)
{
    const slaw_law *law = slaw_fit_law(f);
    double v[LAW_MAX_PARAMS];
    for (size_t i = 0; i < slaw_law_param_count(law); i++) v[i] = slaw_fit_value(f, i);
    if (j < slaw_law_param_count(law)) v[j] += h;
    return log(slaw_law_eval(law, v, vars));
}

/* Var(ln y) from f's covariance: the gradient of ln y in the natural
 * parameters by central differences (steps of 1e-4 standard errors, as the
 * forecasts take them); parameters without variance are skipped.  NaN when
 * a parameter that moves y has none to give (undetermined). */
static double ln_variance(const slaw_fit *f, const double *vars)
{
    const slaw_law *law = slaw_fit_law(f);
    const double *cov = slaw_fit_covariance(f);
    size_t p = slaw_law_param_count(law);
    double g[LAW_MAX_PARAMS], var = 0;
    for (size_t j = 0; j < p; j++) {
        double vj = cov[j * p + j], h = 1e-4 * sqrt(vj), x = slaw_fit_value(f, j);
        g[j] = 0;
        if (slaw_fit_param_state(f, j) == SLAW_PARAM_FIXED ||
            slaw_fit_param_state(f, j) == SLAW_PARAM_PINNED)
            continue;
        if (!slaw_fit_identified(f, j) || !(vj > 0) || !isfinite(vj)) return NAN;
        if (slaw_law_param_is_log(law, j) && h > 0.5 * x) h = 0.5 * x;
        g[j] = (ln_at(f, vars, j, h) - ln_at(f, vars, j, -h)) / (2 * h);
    }
    for (size_t i = 0; i < p; i++)
        for (size_t j = 0; j < p; j++)
            if (g[i] != 0 && g[j] != 0) var += g[i] * cov[i * p + j] * g[j];
    return var;
}

slaw_status slaw_forecast_chain(const slaw_fit *first, const slaw_fit *then, const double *vars,
                                double level, slaw_chain_forecast *out, slaw_error *err)
{
    const slaw_law *a = slaw_fit_law(first), *b = slaw_fit_law(then);
    if (slaw_law_var_count(b) != 1)
        return error_set(err, SLAW_EUSAGE, NULL, 0,
                         "law %s reads %zu variables: a law chained "
                         "after another reads one, the loss",
                         slaw_law_name(b), slaw_law_var_count(b));
    if (!(level > 0 && level < 1))
        return error_set(err, SLAW_EUSAGE, NULL, 0, "the level must be between 0 and 1, e.g. 0.95");
    for (size_t v = 0; v < slaw_law_var_count(a); v++)
        if (!(vars[v] > 0) || !isfinite(vars[v]))
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
    double var_loss = ln_variance(first, vars), var_y = ln_variance(then, &loss);
    double z = gsl_cdf_ugaussian_Pinv(0.5 + level / 2);
    double se_loss = sqrt(var_loss), se = sqrt(var_y + slope * slope * var_loss);
    memset(out, 0, sizeof *out);
    out->level = level;
    out->loss = (slaw_estimate){loss, loss * exp(-z * se_loss), loss * exp(z * se_loss)};
    out->y = (slaw_estimate){y, y * exp(-z * se), y * exp(z * se)};
    out->slope = slope;
    out->se_ln_loss = se_loss;
    out->se_ln_y = se;
    return SLAW_OK;
}
