/* artifact_published.c — a law at parameter values taken from a paper rather than
 * fitted: an artifact with one fit and no runs behind it, so forecast and
 * optimal answer from published constants as from a fit file. */
#include "artifact.h"
#include "error.h"
#include "text.h"
#include "uncertainty.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void fill(slaw_fit *f, const slaw_law *law, const double *natural)
{
    size_t p = law->n_params;
    f->law = law;
    for (size_t j = 0; j < p; j++) {
        f->value[j] = natural[j];
        f->se[j] = NAN;
        f->state[j] = SLAW_PARAM_FIXED; /* given, not fitted */
        f->identified[j] = true;
    }
    for (size_t k = 0; k < p * p; k++) f->cov[k] = NAN;
    for (size_t v = 0; v < LAW_MAX_VARS; v++) f->var_min[v] = f->var_max[v] = NAN;
    f->y_min = f->y_max = f->c_min = f->c_max = NAN;
    f->stats.objective = f->stats.rmse_log = f->stats.r2 = NAN;
    f->stats.aic = f->stats.bic = f->stats.sigma = NAN;
}

/* The column a published law's variable v stands for: its role, but N for
 * a built-in law of one generic size x, as a fit reads N by default, so a
 * point may give N=VALUE as well as x=VALUE, and L for a law of the loss. */
static const char *published_var_name(const slaw_law *law, size_t v)
{
    if (slaw_law_reads_loss(law)) return slaw_role_symbol(SLAW_ROLE_LOSS);
    if (law->n_vars == 1 && !law->program && law->vars[0] == SLAW_ROLE_X)
        return slaw_role_symbol(SLAW_ROLE_N);
    return law_var_name(law, v);
}

/* What a law of the loss predicts, as its formula names it ("Err", "acc"):
 * the target of a published one, which is not the loss.  NULL otherwise
 * (the target is the loss). */
static char *published_target(const slaw_law *law, bool *failed)
{
    *failed = false;
    if (!slaw_law_reads_loss(law)) return NULL;
    size_t n = strcspn(law->formula, " =");
    char *t = malloc(n + 1);
    if (!t) {
        *failed = true;
        return NULL;
    }
    memcpy(t, law->formula, n);
    t[n] = '\0';
    return t;
}

slaw_status slaw_artifact_from_params(const slaw_law *law, const double *natural,
                                      slaw_artifact **out, slaw_error *err)
{
    slaw_artifact *a = NULL;
    slaw_status st = SLAW_OK;
    for (size_t j = 0; j < law->n_params; j++)
        if (!isfinite(natural[j]) || (law->params[j].scale == SCALE_LOG && !(natural[j] > 0)))
            return error_set(err, SLAW_EUSAGE, NULL, 0, "%s = %g: %s", law->params[j].name,
                             natural[j], isfinite(natural[j]) ? "must be positive" : "not finite");
    if (!(a = artifact_new()) || !(a->fits = calloc(1, sizeof *a->fits)) ||
        !(a->settings.law = text_copy(law->name))) {
        st = error_set(err, SLAW_ENOMEM, NULL, 0, "out of memory");
        goto out;
    }
    a->n_fits = 1;
    slaw_fit *f = &a->fits[0];
    fill(f, law, natural);
    for (size_t v = 0; v < law->n_vars; v++)
        if (!(f->vars[v] = text_copy(published_var_name(law, v)))) {
            st = error_set(err, SLAW_ENOMEM, NULL, 0, "out of memory");
            goto out;
        }
    bool failed;
    a->settings.role_column[SLAW_ROLE_L] = published_target(law, &failed);
    if (failed || !(f->se_method = text_copy("none: published parameter values"))) {
        st = error_set(err, SLAW_ENOMEM, NULL, 0, "out of memory");
        goto out;
    }
    fit_derive(law, f);
    *out = a;
    a = NULL;
out:
    slaw_artifact_free(a);
    return st;
}
