/* forecast.c — the fitted law at a point, with the curve's confidence
 * interval, a new run's prediction interval, and how far the point lies
 * outside the data the law was fitted to. */
#include "forecast.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

double law_ln_eval(const slaw_law *law, const double *natural, const double *lnx)
{
    double theta[LAW_MAX_PARAMS], lny;
    const double *inputs[LAW_MAX_VARS];
    for (size_t j = 0; j < law->n_params; j++) theta[j] = law_to_internal(law, j, natural[j]);
    for (size_t v = 0; v < law->n_vars; v++) inputs[v] = &lnx[v];
    law_eval(law, theta, inputs, 1, &lny, NULL);
    return lny;
}

double law_ln_values(const slaw_law *law, const double *natural, const double *x)
{
    double theta[LAW_MAX_PARAMS], lnx[LAW_MAX_VARS], lny;
    const double *inputs[LAW_MAX_VARS];
    for (size_t j = 0; j < law->n_params; j++) theta[j] = law_to_internal(law, j, natural[j]);
    for (size_t v = 0; v < law->n_vars; v++) {
        lnx[v] = log(x[v]);
        inputs[v] = law->program ? &x[v] : &lnx[v];
    }
    if (law->program) formula_eval_values(law->program, theta, inputs, 1, true, &lny, NULL);
    else law_eval(law, theta, inputs, 1, &lny, NULL);
    return lny;
}

double law_value(const slaw_law *law, const double *natural, const double *x)
{
    double theta[LAW_MAX_PARAMS], y;
    const double *inputs[LAW_MAX_VARS];
    if (!law->program) return exp(law_ln_values(law, natural, x));
    for (size_t j = 0; j < law->n_params; j++) theta[j] = law_to_internal(law, j, natural[j]);
    for (size_t v = 0; v < law->n_vars; v++) inputs[v] = &x[v];
    formula_eval_values(law->program, theta, inputs, 1, false, &y, NULL);
    return y;
}

bool law_var_signed(const slaw_law *law, size_t v)
{
    switch (law->vars[v]) {
    case SLAW_ROLE_N:
    case SLAW_ROLE_D:
    case SLAW_ROLE_C:
    case SLAW_ROLE_U:
    case SLAW_ROLE_M:
    case SLAW_ROLE_S:
    case SLAW_ROLE_B:
    case SLAW_ROLE_LR: return false;
    default: return law->program != NULL;
    }
}

bool slaw_law_var_signed(const slaw_law *law, size_t v)
{
    return v < law->n_vars && law_var_signed(law, v);
}

bool law_var_admits(const slaw_law *law, size_t v, double value)
{
    return isfinite(value) && (value > 0 || law_var_signed(law, v));
}

double point_compute(const slaw_law *law, const double *vars, double flops_per_token)
{
    if (!law_reads_compute(law)) return NAN;
    return slaw_compute_flops(vars[law_var_index(law, SLAW_ROLE_N)],
                              vars[law_var_index(law, SLAW_ROLE_D)], flops_per_token);
}

void point_allocation(const slaw_law *law, const double *vars, double flops_per_token, double *N,
                      double *D, double *C)
{
    double v[4] = {NAN, NAN, NAN, NAN}; /* N, D, C, M */
    static const slaw_role roles[4] = {SLAW_ROLE_N, SLAW_ROLE_D, SLAW_ROLE_C, SLAW_ROLE_M};
    *N = *D = *C = NAN;
    for (size_t k = 0; k < 4; k++) {
        size_t i = law_var_index(law, roles[k]);
        if (i != SIZE_MAX) v[k] = vars[i];
    }
    if (isnan(v[0]) && !isnan(v[2]) && !isnan(v[3]))
        v[0] = sqrt(slaw_compute_param_tokens(v[2]) / v[3]); /* N·D = C/6 and D = M·N */
    if (isnan(v[0]) && !isnan(v[1]))
        v[0] = !isnan(v[3]) ? v[1] / v[3] : slaw_compute_params(v[2], v[1], 0);
    if (isnan(v[1]) && !isnan(v[0]))
        v[1] = !isnan(v[3]) ? v[3] * v[0] : slaw_compute_tokens(v[2], v[0], 0);
    *C = !isnan(v[2]) ? v[2] : slaw_compute_flops(v[0], v[1], flops_per_token);
    if (isnan(v[0]) || isnan(v[1])) return; /* no split: N and D unknown */
    *N = v[0];
    *D = v[1];
}

/* How far v lies outside [lo, hi], in decades; 0 inside. */
static double decades_outside(double v, double lo, double hi)
{
    if (!(lo > 0) || !(hi > 0) || !(v > 0)) return NAN;
    if (v > hi) return log10(v / hi);
    if (v < lo) return log10(lo / v);
    return 0;
}

/* Whether entry n_vars of the decades is C: a law of N and D without C. */
static bool compute_entry(const slaw_law *law)
{
    return law_reads_compute(law) && law_var_index(law, SLAW_ROLE_C) == SIZE_MAX;
}

size_t slaw_extrapolation_count(const slaw_fit *f)
{
    return f->law->n_vars + compute_entry(f->law);
}

const char *slaw_extrapolation_name(const slaw_fit *f, size_t k)
{
    const slaw_law *law = f->law;
    if (k < law->n_vars) {
        if (law->n_vars == 1 && f->vars[0]) return f->vars[0];
        return law_var_name(law, k);
    }
    return k == law->n_vars && compute_entry(law) ? "C" : NULL;
}

void extrapolation_of(const slaw_fit *f, const double *vars, double flops_per_token,
                      slaw_extrapolation *out)
{
    const slaw_law *law = slaw_fit_law(f);
    double lo, hi;
    for (size_t k = 0; k < SLAW_MAX_VARS + 1; k++) out->decades[k] = NAN;
    for (size_t v = 0; v < law->n_vars; v++) {
        slaw_fit_data_range(f, v, &lo, &hi);
        out->decades[v] = decades_outside(vars[v], lo, hi);
    }
    if (compute_entry(law) && slaw_fit_compute_range(f, &lo, &hi))
        out->decades[law->n_vars] =
            decades_outside(point_compute(law, vars, flops_per_token), lo, hi);
}

double slaw_extrapolation_max(const slaw_extrapolation *e)
{
    double m = 0;
    for (size_t k = 0; k < SLAW_MAX_VARS + 1; k++)
        if (e->decades[k] > m) m = e->decades[k];
    return m;
}

/* The law's value at the point held in ctx (its variables' values); false
 * when it overflows or underflows a double, or is not positive. */
static bool value_at(const slaw_law *law, const double *natural, void *ctx, double *out)
{
    out[0] = exp(law_ln_values(law, natural, ctx));
    return out[0] > 0 && isfinite(out[0]);
}

/* "N = 70B, D = 1.4T": the point, for messages. */
static void point_text(const slaw_law *law, const double *vars, char *buf, size_t size)
{
    size_t o = 0;
    buf[0] = '\0';
    for (size_t v = 0; v < law->n_vars && o < size; v++)
        o += (size_t)snprintf(buf + o, size - o, "%s%s = %g", v ? ", " : "",
                              law->n_vars == 1 && !law->program ? "x" : law_var_name(law, v),
                              vars[v]);
}

/* SLAW_EINPUT for a value past the range of a double, saying about where. */
static slaw_status out_of_range(const slaw_law *law, const double *natural, const double *vars,
                                slaw_error *err)
{
    char at[200];
    double decades = law_ln_values(law, natural, vars) / log(10.0);
    point_text(law, vars, at, sizeof at);
    if (isfinite(decades))
        return error_set(err, SLAW_EINPUT, NULL, 0,
                         "law %s at %s: the value, about 10^%.0f, is "
                         "outside the range of a double",
                         law->name, at, decades);
    return error_set(err, SLAW_EINPUT, NULL, 0, "law %s at %s: the value is %s", law->name, at,
                     law->program ? "not a positive number in the range of a double"
                                  : "outside the range of a double");
}

slaw_status compute_model_check(const slaw_law *law, double flops_per_token, slaw_error *err)
{
    if (!(flops_per_token >= 0) || !isfinite(flops_per_token))
        return error_set_option(err, SLAW_EUSAGE, "flops_per_token",
                                "flops_per_token %g: a count of FLOPs per token is a positive "
                                "number (0: C = 6*N*D)",
                                flops_per_token);
    if (flops_per_token > 0 && law_var_index(law, SLAW_ROLE_C) != SIZE_MAX)
        return error_set_option(err, SLAW_EUSAGE, "flops_per_token",
                                "flops_per_token %g: law %s reads C, which its fit took as "
                                "C = 6*N*D; another compute model would change the law's input",
                                flops_per_token, law->name);
    return SLAW_OK;
}

slaw_status forecast_model(const slaw_fit *f, const double *vars, const slaw_forecast_options *opt,
                           slaw_forecast *out, slaw_error *err)
{
    assert(f && f->law && vars && out);
    const slaw_law *law = slaw_fit_law(f);
    size_t nv = slaw_law_var_count(law);
    double natural[LAW_MAX_PARAMS], value;
    slaw_forecast_options defaults;
    if (!opt) {
        slaw_forecast_options_init(&defaults, NULL);
        opt = &defaults;
    }
    for (size_t v = 0; v < nv; v++) /* a formula's signed variable may take any sign */
        if (!law_var_admits(law, v, vars[v]))
            return error_set(err, SLAW_EUSAGE, NULL, 0,
                             "%s = %g: a forecast needs a %sfinite value",
                             nv == 1 && !law->program ? "x" : law_var_name(law, v), vars[v],
                             law_var_signed(law, v) ? "" : "positive ");
    slaw_status st = compute_model_check(law, opt->flops_per_token, err);
    if (st != SLAW_OK) return st;
    for (size_t j = 0; j < slaw_law_param_count(law); j++) natural[j] = slaw_fit_value(f, j);
    if (!value_at(law, natural, (void *)vars, &value)) return out_of_range(law, natural, vars, err);

    quantity q = {value_at, (void *)vars, 1, {0}, {true}};
    q.scale[0] = opt->space == SLAW_SPACE_LOG ? SCALE_OF_LOG : SCALE_OF_VALUE;
    quantity_intervals iv;
    st = quantity_estimate(f, &q, opt, &value, &iv, err);
    if (st != SLAW_OK) return st;

    memset(out, 0, sizeof *out);
    out->x = NAN;
    point_allocation(law, vars, opt->flops_per_token, &out->N, &out->D, &out->C);
    if (isnan(out->C) && law_var_index(law, SLAW_ROLE_C) != SIZE_MAX)
        out->C = vars[law_var_index(law, SLAW_ROLE_C)];
    if (nv == 1) out->x = vars[0];
    for (size_t v = 0; v < nv; v++) out->vars[v] = vars[v];
    out->y = (slaw_estimate){value, iv.lo[0], iv.hi[0]};
    out->pi_lo = iv.pi_lo[0];
    out->pi_hi = iv.pi_hi[0];
    out->pic_lo = out->pic_hi = NAN;
    level_of(opt, &out->level);
    out->method = iv.method;
    out->samples = iv.samples;
    extrapolation_of(f, vars, opt->flops_per_token, &out->beyond);
    return SLAW_OK;
}

slaw_status slaw_forecast_at(const slaw_fit *f, const double *vars,
                             const slaw_forecast_options *opt, slaw_forecast *out, slaw_error *err)
{
    slaw_status st = forecast_model(f, vars, opt, out, err);
    if (st == SLAW_OK) forecast_calibrate(f, vars, opt ? opt->space : SLAW_SPACE_LOG, out);
    return st;
}

static double in_space(slaw_space space, double v)
{
    return space == SLAW_SPACE_LOG ? log(v) : v;
}

/* The calibrated interval: the delta-method prediction interval at fc's
 * level with its half-widths (in the fitting space) times the factor. */
void forecast_calibrate(const slaw_fit *f, const double *vars, slaw_space space, slaw_forecast *fc)
{
    fc->pic_lo = fc->pic_hi = NAN;
    if (!f->calib) return;
    for (size_t i = 0; i < SLAW_COVERAGE_LEVELS; i++) {
        double k = f->calib[i].factor;
        if (fabs(slaw_coverage_level(i) - fc->level) > 1e-9 || !isfinite(k)) continue;
        slaw_forecast_options opt;
        slaw_forecast d;
        slaw_forecast_options_init(&opt, NULL);
        opt.space = space;
        opt.method = SLAW_INTERVAL_DELTA;
        opt.level = slaw_coverage_level(i);
        if (forecast_model(f, vars, &opt, &d, NULL) != SLAW_OK) return;
        double t = in_space(space, d.y.value);
        double lo = t - k * (t - in_space(space, d.pi_lo));
        double hi = t + k * (in_space(space, d.pi_hi) - t);
        fc->pic_lo = space == SLAW_SPACE_LOG ? exp(lo) : lo;
        fc->pic_hi = space == SLAW_SPACE_LOG ? exp(hi) : hi;
    }
}
