/* compare_laws.c — several laws fitted to the same runs, side by side: each
 * group's score under a criterion (AIC, BIC, holdout or rollout error) and
 * the best law per group, as `slaw compare` reports them. */
#include "error.h"
#include "text.h"

#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

struct slaw_comparison {
    size_t n;
    slaw_compare_by by;
    char **laws;
    slaw_artifact **fits;
    slaw_rollout **rollouts; /* NULL entries unless by is SLAW_COMPARE_ROLLOUT */
};

void slaw_comparison_free(slaw_comparison *c)
{
    if (!c) return;
    for (size_t k = 0; k < c->n; k++) {
        if (c->laws) free(c->laws[k]);
        if (c->fits) slaw_artifact_free(c->fits[k]);
        if (c->rollouts) slaw_rollout_free(c->rollouts[k]);
    }
    free(c->laws);
    free(c->fits);
    free(c->rollouts);
    free(c);
}

/* A law's name is one identifier; a formula has at least an operator. */
static bool is_formula(const char *text)
{
    for (const char *s = text; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_') return true;
    return false;
}

slaw_status slaw_compare_runs(const slaw_runs *runs, const char *const *laws, size_t n,
                              const slaw_fit_options *opt, slaw_compare_by by,
                              slaw_comparison **out, size_t *failed, slaw_error *err)
{
    slaw_status st = SLAW_OK;
    slaw_comparison *c = calloc(1, sizeof *c);
    slaw_fit_options o = *opt;
    if (failed) *failed = SIZE_MAX;
    if (!n || (unsigned)by > SLAW_COMPARE_ROLLOUT) {
        st = error_set(err, SLAW_EUSAGE, NULL, 0, "no laws to compare, or no such criterion");
        goto out;
    }
    if (by == SLAW_COMPARE_HOLDOUT && !opt->holdout) {
        st = error_set(err, SLAW_EUSAGE, NULL, 0, "the holdout criterion needs a holdout rule");
        goto out;
    }
    if (!c || !(c->laws = calloc(n, sizeof *c->laws)) || !(c->fits = calloc(n, sizeof *c->fits)) ||
        !(c->rollouts = calloc(n, sizeof *c->rollouts))) {
        st = error_nomem(err);
        goto out;
    }
    c->by = by;
    o.strict = true; /* the laws are compared group by group: each must fit every one */
    for (size_t k = 0; k < n; k++) {
        c->n = k + 1;
        bool formula = is_formula(laws[k]);
        o.law = formula ? NULL : laws[k];
        o.formula = formula ? laws[k] : NULL;
        if (!(c->laws[k] = text_copy(laws[k]))) {
            st = error_nomem(err);
            goto out;
        }
        st = slaw_fit_runs(runs, &o, &c->fits[k], err);
        if (st == SLAW_OK && by == SLAW_COMPARE_ROLLOUT)
            st = slaw_rollout_runs(runs, &o, &c->rollouts[k], err);
        if (st != SLAW_OK) {
            if (failed) *failed = k;
            goto out;
        }
    }
out:
    if (st == SLAW_OK) *out = c;
    else slaw_comparison_free(c);
    return st;
}

size_t slaw_comparison_count(const slaw_comparison *c)
{
    return c->n;
}

const char *slaw_comparison_law(const slaw_comparison *c, size_t k)
{
    return k < c->n ? c->laws[k] : NULL;
}

const slaw_artifact *slaw_comparison_artifact(const slaw_comparison *c, size_t k)
{
    return k < c->n ? c->fits[k] : NULL;
}

double slaw_comparison_score(const slaw_comparison *c, size_t k, size_t group, slaw_compare_by by)
{
    if (k >= c->n || group >= slaw_artifact_fit_count(c->fits[k])) return NAN;
    const slaw_fit *f = slaw_artifact_fit(c->fits[k], group);
    slaw_fit_stats st;
    double male, bias, worst;
    size_t runs;
    slaw_fit_get_stats(f, &st);
    switch (by) {
    case SLAW_COMPARE_AIC: return st.aic;
    case SLAW_COMPARE_BIC: return st.bic;
    case SLAW_COMPARE_HOLDOUT: return slaw_fit_holdout_errors(f, &male, &bias, &worst) ? male : NAN;
    case SLAW_COMPARE_ROLLOUT:
        if (!c->rollouts[k]) return NAN;
        slaw_rollout_summary(c->rollouts[k], &male, &bias, &runs);
        return male;
    }
    return NAN;
}

size_t slaw_comparison_best(const slaw_comparison *c, size_t group)
{
    size_t best = SIZE_MAX;
    for (size_t k = 0; k < c->n; k++) {
        double s = slaw_comparison_score(c, k, group, c->by);
        if (!isnan(s) && (best == SIZE_MAX || s < slaw_comparison_score(c, best, group, c->by)))
            best = k;
    }
    return best;
}
