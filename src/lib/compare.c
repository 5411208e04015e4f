/* compare.c — do the groups differ?  The shared model (a joint fit, some
 * parameters common) against the separate model (every group on its own),
 * fitted to the same runs: the F test of nested least squares (l2), and a
 * parametric bootstrap of the objective's rise under the shared model (any
 * loss). */
#include "artifact.h"
#include "fit_options.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void slaw_shared_test_clear(slaw_shared_test *t)
{
    if (!t) return;
    slaw_artifact_free(t->separate);
    slaw_artifact_free(t->shared);
    memset(t, 0, sizeof *t);
}

/* Runs, free parameters, objective and the fitting-space residual sum of
 * squares of an artifact taken as one model (a joint fit's own statistics;
 * the groups' sums for separate fits, whose residual sums of squares come
 * back out of their AIC, n ln(RSS/n) + 2k). */
static void model_totals(const slaw_artifact *a, size_t *n, size_t *k, double *obj, double *rss)
{
    slaw_fit_stats st;
    *n = *k = 0;
    *obj = *rss = 0;
    if (slaw_fit_joint_stats(slaw_artifact_fit(a, 0), &st)) {
        *n = st.n;
        *k = st.n_free;
        *obj = st.objective;
        *rss = (double)st.n * exp((st.aic - 2.0 * (double)st.n_free) / (double)st.n);
        return;
    }
    for (size_t g = 0; g < slaw_artifact_fit_count(a); g++) {
        slaw_fit_get_stats(slaw_artifact_fit(a, g), &st);
        *n += st.n;
        *k += st.n_free;
        *obj += st.objective;
        *rss += (double)st.n * exp((st.aic - 2.0 * (double)st.n_free) / (double)st.n);
    }
}

/* Mean |ln(predicted/observed)| over every group's held-out runs. */
static double holdout_male(const slaw_artifact *a, size_t *runs)
{
    double sum = 0;
    *runs = 0;
    for (size_t g = 0; g < slaw_artifact_fit_count(a); g++) {
        const slaw_fit *f = slaw_artifact_fit(a, g);
        double male, bias, worst;
        if (!slaw_fit_holdout_errors(f, &male, &bias, &worst)) continue;
        sum += male * (double)f->n_hold;
        *runs += f->n_hold;
    }
    return *runs ? sum / (double)*runs : NAN;
}

/* Both models on runs (already filtered): separate, then shared. */
static slaw_status fit_both(const slaw_runs *runs, const slaw_fit_options *opt, slaw_artifact **sep,
                            slaw_artifact **shared, slaw_error *err)
{
    slaw_fit_options apart = *opt;
    apart.shared = NULL;
    apart.strict = true; /* a model without one of the groups is not the separate model */
    slaw_status st = slaw_fit_runs(runs, &apart, sep, err);
    if (st == SLAW_OK && (st = slaw_fit_runs(runs, opt, shared, err)) != SLAW_OK) {
        slaw_artifact_free(*sep);
        *sep = NULL;
    }
    return st;
}

/* The fit of the group run belongs to in a (NULL if none). */
static const slaw_fit *fit_of_run(const slaw_artifact *a, const slaw_runs *runs, size_t gcol,
                                  size_t run)
{
    char buf[64];
    const char *name = runs_group_name(runs, gcol, run, buf, sizeof buf);
    for (size_t g = 0; g < a->n_fits; g++)
        if (a->fits[g].group && !strcmp(a->fits[g].group, name)) return &a->fits[g];
    return NULL;
}

/* Replaces the target of every run by a draw from the shared model: its
 * group's curve with Gaussian noise of the fit's sigma in its space (divided
 * by the square root of a run's weight). */
static bool draw_targets(const slaw_artifact *shared, const slaw_fit_options *opt, slaw_runs *runs,
                         const size_t *var_cols, gsl_rng *rng)
{
    size_t ycol, gcol, wcol;
    slaw_runs_role_column(runs, SLAW_ROLE_L, &ycol);
    slaw_runs_role_column(runs, SLAW_ROLE_GROUP, &gcol);
    bool weighted = slaw_runs_role_column(runs, SLAW_ROLE_WEIGHT, &wcol);
    double sigma = shared->fits[0].joint_stats.sigma;
    for (size_t i = 0; i < runs->n; i++) {
        const slaw_fit *f = fit_of_run(shared, runs, gcol, i);
        double x[LAW_MAX_VARS], w = weighted ? runs->cols[wcol].values[i] : 1.0;
        if (!f) return false;
        for (size_t v = 0; v < f->law->n_vars; v++) x[v] = runs->cols[var_cols[v]].values[i];
        double mean = slaw_law_eval(f->law, f->value, x);
        double z = w > 0 ? gsl_ran_gaussian(rng, sigma / sqrt(w)) : 0.0;
        double y = opt->space == SLAW_SPACE_LOG ? mean * exp(z) : mean + z;
        if (!isfinite(y)) return false;
        runs->cols[ycol].values[i] = y;
    }
    return true;
}

/* The share of resampled objective rises at least as large as the observed
 * one, (1 + count) / (1 + resamples refitted). */
static slaw_status parametric_p(const slaw_runs *filtered, const slaw_fit_options *opt,
                                size_t resamples, slaw_shared_test *out, slaw_error *err)
{
    size_t var_cols[LAW_MAX_VARS], n, k, above = 0, done = 0;
    double observed = out->objective[1] - out->objective[0], sep_obj, sh_obj, rss;
    slaw_runs *sim = runs_clone(filtered);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    slaw_status st = sim && rng ? SLAW_OK : error_nomem(err);
    if (st == SLAW_OK)
        st = fit_resolve_variables(sim, out->shared->fits[0].law, opt->x, var_cols, err);
    if (st == SLAW_OK) gsl_rng_set(rng, opt->seed);
    slaw_fit_options quiet = *opt;
    quiet.progress = NULL;
    for (size_t b = 0; b < resamples && st == SLAW_OK; b++) {
        slaw_artifact *sep = NULL, *shared = NULL;
        slaw_error ignored;
        if (opt->progress) opt->progress(opt->progress_ctx, "bootstrap", b, resamples);
        if (!draw_targets(out->shared, opt, sim, var_cols, rng) ||
            fit_both(sim, &quiet, &sep, &shared, &ignored) != SLAW_OK) {
            out->resamples_failed++;
            continue;
        }
        model_totals(sep, &n, &k, &sep_obj, &rss);
        model_totals(shared, &n, &k, &sh_obj, &rss);
        above += sh_obj - sep_obj >= observed;
        done++;
        slaw_artifact_free(sep);
        slaw_artifact_free(shared);
    }
    if (opt->progress && st == SLAW_OK)
        opt->progress(opt->progress_ctx, "bootstrap", resamples, resamples);
    out->resamples = done;
    out->p_boot = done ? (double)(1 + above) / (double)(1 + done) : NAN;
    gsl_rng_free(rng);
    slaw_runs_free(sim);
    return st;
}

slaw_status slaw_fit_test_shared(const slaw_runs *runs, const slaw_fit_options *opt,
                                 size_t resamples, slaw_shared_test *out, slaw_error *err)
{
    slaw_shared_test t = {0};
    slaw_fit_options plain = *opt;
    slaw_runs *work = NULL;
    size_t n, gcol;
    double rss[2];
    slaw_status st;

    if (!opt->shared)
        return error_set(err, SLAW_EUSAGE, NULL, 0, "shared: name the parameters to test");
    if (!(work = runs_clone(runs))) return error_nomem(err);
    /* Filter once, so that resampled targets cannot change which runs a
     * filter (drop_top) keeps. */
    if ((st = fit_select(opt, work, NULL, err))) goto out;
    if (!slaw_runs_role_column(work, SLAW_ROLE_GROUP, &gcol)) {
        st = error_set(err, SLAW_EUSAGE, NULL, 0,
                       "shared %s: comparing groups needs a group column", opt->shared);
        goto out;
    }
    plain.selection = NULL;
    plain.bootstrap = 0;
    if ((st = fit_both(work, &plain, &t.separate, &t.shared, err))) goto out;
    model_totals(t.separate, &n, &t.k[0], &t.objective[0], &rss[0]);
    model_totals(t.shared, &t.n, &t.k[1], &t.objective[1], &rss[1]);
    for (int m = 0; m < 2; m++) {
        double ll = (double)t.n * log(rss[m] / (double)t.n);
        t.aic[m] = ll + 2.0 * (double)t.k[m];
        t.bic[m] = ll + (double)t.k[m] * log((double)t.n);
        t.holdout_male[m] = holdout_male(m ? t.shared : t.separate, &t.holdout_runs);
    }
    t.df1 = (double)t.k[0] - (double)t.k[1];
    t.df2 = (double)t.n - (double)t.k[0];
    t.F = t.p_F = t.p_boot = NAN;
    if (opt->loss == SLAW_LOSS_L2 && t.df1 > 0 && t.df2 > 0) {
        t.F = fmax((t.objective[1] - t.objective[0]) / t.df1, 0.0) / (t.objective[0] / t.df2);
        t.p_F = gsl_cdf_fdist_Q(t.F, t.df1, t.df2);
    }
    if (resamples) st = parametric_p(work, &plain, resamples, &t, err);
out:
    slaw_runs_free(work);
    if (st != SLAW_OK) {
        slaw_shared_test_clear(&t);
        return st;
    }
    *out = t;
    return SLAW_OK;
}
