/* rollout.c — rollout validation: for each size in increasing order, fit on
 * the runs up to that size and predict the runs at the next one, as a sweep
 * would have been extrapolated while it was being run. */
#include "fit.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct slaw_rollout {
    slaw_rollout_step *steps;
    size_t n_steps;
    char *variable;      /* the size variable's column */
    double mean_male;    /* over the steps that could be fitted */
    double bias;         /* mean log error over every predicted run */
    size_t predicted;    /* runs predicted in all */
    coverage_score *scores; /* the predicted runs against their intervals */
    size_t n_scores, cap_scores;
};

void slaw_rollout_free(slaw_rollout *r)
{
    if (!r) return;
    free(r->steps);
    free(r->scores);
    free(r->variable);
    free(r);
}

size_t slaw_rollout_step_count(const slaw_rollout *r) { return r->n_steps; }
const char *slaw_rollout_variable(const slaw_rollout *r) { return r->variable; }

const slaw_rollout_step *slaw_rollout_step_at(const slaw_rollout *r, size_t i)
{
    return i < r->n_steps ? &r->steps[i] : NULL;
}

void slaw_rollout_summary(const slaw_rollout *r, double *mean_male, double *bias, size_t *predicted)
{
    *mean_male = r->mean_male;
    *bias = r->bias;
    *predicted = r->predicted;
}

bool slaw_rollout_coverage(const slaw_rollout *r, size_t step, size_t i, slaw_coverage *out)
{
    if (i >= SLAW_COVERAGE_LEVELS || (step != SLAW_ROLLOUT_POOLED && step >= r->n_steps))
        return false;
    coverage_summarize(r->scores, r->n_scores, step, i, out);
    return true;
}

/* Scores a predicted run against the step's intervals, when it has them. */
static slaw_status add_score(slaw_rollout *r, const slaw_fit *f, const double *x, double observed,
                             slaw_space space, slaw_error *err)
{
    coverage_score s = {.step = r->n_steps - 1};
    if (!coverage_score_run(f, x, observed, space, &s)) return SLAW_OK;
    if (r->n_scores == r->cap_scores) {
        size_t cap = r->cap_scores ? 2 * r->cap_scores : 64;
        coverage_score *grown = realloc(r->scores, cap * sizeof *grown);
        if (!grown) return error_set(err, SLAW_ENOMEM, NULL, 0, "out of memory");
        r->scores = grown;
        r->cap_scores = cap;
    }
    r->scores[r->n_scores++] = s;
    return SLAW_OK;
}

static int compare_asc(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The column that measures size: a one-variable law's x (or N), else N;
 * found, and the options checked, as slaw_fit_runs will. */
static slaw_status size_column(const slaw_runs *runs, const slaw_fit_options *opt, size_t *col,
                               slaw_error *err)
{
    const slaw_law *law;
    objective obj;
    size_t cols[LAW_MAX_VARS];
    slaw_status st = fit_check_options(opt, &law, &obj, err);
    if (st == SLAW_OK) st = fit_resolve_variables(runs, law, opt->x, cols, err);
    if (st == SLAW_OK) *col = cols[0];
    return st;
}

/* The fit of the group a run belongs to, or NULL. */
static const slaw_fit *fit_for(const slaw_artifact *a, const slaw_runs *runs, size_t run)
{
    size_t gcol;
    if (!slaw_runs_role_column(runs, SLAW_ROLE_GROUP, &gcol)) return slaw_artifact_fit(a, 0);
    char buf[64];
    const char *name = runs_group_name(runs, gcol, run, buf, sizeof buf);
    for (size_t i = 0; i < slaw_artifact_fit_count(a); i++)
        if (!strcmp(slaw_fit_group(slaw_artifact_fit(a, i)), name)) return slaw_artifact_fit(a, i);
    return NULL;
}

/* Fits the runs with size <= cutoff and predicts those at size == next. */
static slaw_status one_step(const slaw_runs *runs, const slaw_fit_options *opt, size_t col,
                            slaw_rollout *r, double *sum_log, slaw_error *err)
{
    slaw_rollout_step *step = &r->steps[r->n_steps - 1];
    slaw_runs *train = runs_clone(runs);
    bool *keep = malloc(slaw_runs_count(runs) * sizeof *keep);
    slaw_artifact *a = NULL;
    slaw_status st = SLAW_OK;
    if (!train || !keep) {
        st = error_set(err, SLAW_ENOMEM, NULL, 0, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < slaw_runs_count(runs); i++)
        keep[i] = slaw_runs_value(runs, col, i) <= step->cutoff;
    runs_compact(train, keep);
    step->n_fit = slaw_runs_count(train);
    slaw_error step_err;
    st = slaw_fit_runs(train, opt, &a, &step_err);
    if (st == SLAW_EFIT) { /* too few runs yet, or no convergence: a step without a fit */
        snprintf(step->message, sizeof step->message, "%.255s", step_err.message);
        st = SLAW_OK;
        goto out;
    }
    if (st != SLAW_OK) {
        if (err) *err = step_err;
        goto out;
    }
    size_t ycol, nv = slaw_law_var_count(slaw_fit_law(slaw_artifact_fit(a, 0)));
    size_t var_cols[2];
    slaw_runs_role_column(runs, SLAW_ROLE_L, &ycol);
    var_cols[0] = col;
    if (nv == 2) slaw_runs_role_column(runs, SLAW_ROLE_D, &var_cols[1]);
    log_errors e = {0};
    for (size_t i = 0; i < slaw_runs_count(runs); i++) {
        if (slaw_runs_value(runs, col, i) != step->next) continue;
        const slaw_fit *f = fit_for(a, runs, i);
        if (!f) continue; /* its group had no runs up to the cutoff */
        double x[2] = {slaw_runs_value(runs, var_cols[0], i),
                       nv == 2 ? slaw_runs_value(runs, var_cols[1], i) : 0};
        log_errors_add(&e, slaw_fit_predict(f, x), slaw_runs_value(runs, ycol, i));
        if ((st = add_score(r, f, x, slaw_runs_value(runs, ycol, i), opt->space, err))) goto out;
    }
    step->n_pred = e.n;
    step->fitted = true;
    step->male = log_errors_mean_abs(&e);
    step->bias = log_errors_bias(&e);
    step->max_abs = log_errors_worst(&e);
    *sum_log += e.sum;
    r->predicted += step->n_pred;
out:
    slaw_artifact_free(a);
    slaw_runs_free(train);
    free(keep);
    return st;
}

slaw_status slaw_rollout_runs(const slaw_runs *runs, const slaw_fit_options *opt,
                              slaw_rollout **out, slaw_error *err)
{
    slaw_rollout *r = calloc(1, sizeof *r);
    slaw_runs *work = runs_clone(runs);
    double *sizes = NULL;
    slaw_status st = SLAW_OK;
    size_t col, m = 0;
    if (!r || !work) {
        st = error_set(err, SLAW_ENOMEM, NULL, 0, "out of memory");
        goto out;
    }
    /* Filters once, up front; each step's fit then sees them applied. */
    st = slaw_runs_filter(work, opt->where, opt->n_where, opt->drop_top, NULL, err);
    if (st == SLAW_OK) st = size_column(work, opt, &col, err);
    if (st != SLAW_OK) goto out;
    slaw_fit_options step_opt = *opt;
    step_opt.where = NULL;
    step_opt.n_where = 0;
    step_opt.drop_top = 0;
    step_opt.bootstrap = 0;
    step_opt.holdout = NULL;
    step_opt.progress = NULL;

    size_t n = slaw_runs_count(work);
    sizes = malloc((n ? n : 1) * sizeof *sizes);
    if (!sizes || !(r->variable = text_copy(slaw_runs_column_name(work, col)))) {
        st = error_set(err, SLAW_ENOMEM, NULL, 0, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < n; i++) sizes[i] = slaw_runs_value(work, col, i);
    qsort(sizes, n, sizeof *sizes, compare_asc);
    for (size_t i = 0; i < n; i++)
        if (i == 0 || sizes[i] != sizes[i - 1]) sizes[m++] = sizes[i];
    if (m < 2) {
        st = error_set(err, SLAW_EFIT, NULL, 0, "rollout needs at least two distinct values of %s",
                       r->variable);
        goto out;
    }
    r->steps = calloc(m - 1, sizeof *r->steps);
    if (!r->steps) {
        st = error_set(err, SLAW_ENOMEM, NULL, 0, "out of memory");
        goto out;
    }
    double sum_log = 0, sum_male = 0;
    size_t fitted = 0;
    for (size_t i = 0; i + 1 < m; i++) {
        slaw_rollout_step *step = &r->steps[r->n_steps++];
        step->cutoff = sizes[i];
        step->next = sizes[i + 1];
        if ((st = one_step(work, &step_opt, col, r, &sum_log, err))) goto out;
        if (step->fitted && step->n_pred) {
            sum_male += step->male;
            fitted++;
        }
        if (opt->progress) opt->progress(opt->progress_ctx, "rollout", i + 1, m - 1);
    }
    if (!fitted) {
        st = error_set(err, SLAW_EFIT, NULL, 0,
                       "no rollout step could be fitted: %s", r->steps[r->n_steps - 1].message);
        goto out;
    }
    r->mean_male = sum_male / (double)fitted;
    r->bias = r->predicted ? sum_log / (double)r->predicted : NAN;
out:
    free(sizes);
    slaw_runs_free(work);
    if (st != SLAW_OK) {
        slaw_rollout_free(r);
        return st;
    }
    *out = r;
    return SLAW_OK;
}
