/* simulate.c — runs drawn from a known law, for tests, examples and the
 * synthetic datasets: the law's value times log-normal noise. */
#include "error.h"
#include "formula.h"
#include "law.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <string.h>

slaw_status slaw_law_parse_params(const slaw_law *law, const char *spec, double *natural,
                                  slaw_error *err)
{
    bool seen[LAW_MAX_PARAMS] = {false};
    const char *p = spec;
    while (*p) {
        size_t len = strcspn(p, ",");
        const char *eq = memchr(p, '=', len);
        bool internal;
        size_t j = eq ? law_param_index(law, p, (size_t)(eq - p), &internal) : SIZE_MAX;
        if (j == SIZE_MAX)
            return error_set_option(
                err, SLAW_EUSAGE, "params",
                "params '%s': expected NAME=VALUE items naming parameters of %s", spec, law->name);
        double v;
        const char *why;
        size_t vlen = len - (size_t)(eq + 1 - p);
        if (slaw_number_parse(eq + 1, vlen, &v, &why) != SLAW_OK)
            return error_set_option(err, SLAW_EUSAGE, "params", "params '%s': '%.*s' is %s", spec,
                                    (int)vlen, eq + 1, why);
        if (internal) v = law_to_natural(law, j, v);
        if (law->params[j].scale == SCALE_LOG && !(v > 0))
            return error_set_option(err, SLAW_EUSAGE, "params", "params '%s': %s must be positive",
                                    spec, law->params[j].name);
        if (seen[j])
            return error_set_option(err, SLAW_EUSAGE, "params", "params '%s': %s is given twice",
                                    spec, law->params[j].name);
        natural[j] = v;
        seen[j] = true;
        p += len;
        if (*p == ',') p++;
    }
    for (size_t j = 0; j < law->n_params; j++)
        if (!seen[j])
            return error_set_option(err, SLAW_EUSAGE, "params", "params '%s': %s is missing", spec,
                                    law->params[j].name);
    return SLAW_OK;
}

typedef struct name_list {
    const char *const *names;
    size_t n;
} name_list;

static bool listed(void *ctx, const char *name)
{
    const name_list *list = ctx;
    for (size_t k = 0; k < list->n; k++)
        if (!strcmp(list->names[k], name)) return true;
    return false;
}

slaw_status slaw_law_from_formula(const char *text, const char *const *vars, size_t n_vars,
                                  slaw_law **out, slaw_error *err)
{
    name_list list = {vars, n_vars};
    *out = NULL;
    return formula_law_new(text, listed, &list, out, err);
}

void slaw_law_free(slaw_law *law)
{
    if (law && law->program) formula_law_free(law);
}

const char *slaw_law_var_name(const slaw_law *law, size_t v)
{
    return v < law->n_vars ? law_var_name(law, v) : NULL;
}

slaw_status slaw_simulate(const slaw_law *law, const double *natural, const double *vars, size_t n,
                          double sigma, unsigned long seed, double *y, slaw_error *err)
{
    if (!(sigma >= 0) || !isfinite(sigma))
        return error_set(err, SLAW_EUSAGE, NULL, 0, "the noise must be zero or positive");
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (!rng) return error_nomem(err);
    gsl_rng_set(rng, seed);
    for (size_t i = 0; i < n; i++) {
        const double *x = vars + i * law->n_vars;
        for (size_t v = 0; v < law->n_vars; v++)
            if (!(x[v] > 0) || !isfinite(x[v])) {
                gsl_rng_free(rng);
                return error_set(err, SLAW_EUSAGE, NULL, 0,
                                 "point %zu: variables must be positive and finite", i + 1);
            }
        double noise = sigma > 0 ? gsl_ran_gaussian(rng, sigma) : 0.0;
        y[i] = slaw_law_eval(law, natural, x) * exp(noise);
        if (!isfinite(y[i]) || !(y[i] > 0)) { /* a file slaw could not read back */
            gsl_rng_free(rng);
            return error_set(err, SLAW_EUSAGE, NULL, 0,
                             "point %zu: the law's value with noise is %g, not a positive "
                             "finite number (check the parameters and the noise)",
                             i + 1, y[i]);
        }
    }
    gsl_rng_free(rng);
    return SLAW_OK;
}
