/* rollout.c — rollout validation: for each size in increasing order, fit on
 * the runs up to that size and predict the runs at the next one, as a sweep
 * would have been extrapolated while it was being run. */
#include "forecast_coverage.h"
#include "fit.h"
#include "fit_options.h"
#include "formula.h"
#include "fit_holdout.h"
#include "text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct slaw_rollout {
    slaw_rollout_step *steps;
    size_t n_steps;
    char *variable;         /* the size variable's column */
    double mean_male;       /* over the steps that could be fitted */
    double bias;            /* mean log error over every predicted run */
    size_t predicted;       /* runs predicted in all */
    coverage_score *scores; /* the predicted runs against their intervals */
    size_t n_scores, cap_scores;
    char **groups; /* grouped runs: the groups, in group order */
    size_t n_groups;
    slaw_rollout_group_step *rows; /* n_groups per step */
    size_t n_rows;
};

void slaw_rollout_free(slaw_rollout *r)
{
    if (!r) return;
    free(r->steps);
    free(r->scores);
    free(r->variable);
    for (size_t i = 0; i < r->n_groups; i++) free(r->groups[i]);
    free(r->groups);
    free(r->rows);
    free(r);
}

size_t slaw_rollout_group_step_count(const slaw_rollout *r)
{
    return r->n_rows;
}

const slaw_rollout_group_step *slaw_rollout_group_step_at(const slaw_rollout *r, size_t i)
{
    return i < r->n_rows ? &r->rows[i] : NULL;
}

size_t slaw_rollout_step_count(const slaw_rollout *r)
{
    return r->n_steps;
}
const char *slaw_rollout_variable(const slaw_rollout *r)
{
    return r->variable;
}

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
        if (!grown) return error_nomem(err);
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
static slaw_status size_column(slaw_runs *runs, const slaw_fit_options *opt, size_t *col,
                               slaw_error *err)
{
    slaw_law *own = NULL;
    objective obj;
    size_t cols[LAW_MAX_VARS];
    slaw_status st = fit_formula_law(opt, runs, &own, err);
    const slaw_law *law = own;
    if (st == SLAW_OK) st = fit_check_options(opt, &law, &obj, err);
    if (st == SLAW_OK) st = fit_resolve_variables(runs, law, opt->x, cols, err);
    if (st == SLAW_OK) *col = cols[0];
    formula_law_free(own);
    return st;
}

/* The index in r->groups of run's group. */
static size_t group_of(const slaw_rollout *r, const slaw_runs *runs, size_t run)
{
    size_t gcol;
    char buf[64];
    slaw_runs_role_column(runs, SLAW_ROLE_GROUP, &gcol);
    const char *name = runs_group_name(runs, gcol, run, buf, sizeof buf);
    size_t g = 0;
    while (g + 1 < r->n_groups && strcmp(r->groups[g], name) != 0) g++;
    return g;
}

/* The fit of group g (any run's group when ungrouped), or NULL. */
static const slaw_fit *fit_of(const slaw_rollout *r, const slaw_artifact *a, size_t g)
{
    if (!r->n_groups) return slaw_artifact_fit(a, 0);
    for (size_t i = 0; i < slaw_artifact_fit_count(a); i++)
        if (!strcmp(slaw_fit_group(slaw_artifact_fit(a, i)), r->groups[g]))
            return slaw_artifact_fit(a, i);
    return NULL;
}

/* Whether a parameter of f ended on a bound, and whether a free one has no
 * finite standard error (the data do not determine it). */
static void fit_health(const slaw_fit *f, bool *pinned, bool *undetermined)
{
    for (size_t j = 0; j < f->law->n_params; j++) {
        *pinned |= f->state[j] == SLAW_PARAM_PINNED;
        *undetermined |= f->state[j] == SLAW_PARAM_FREE && !isfinite(f->se[j]);
    }
}

/* The step's errors and health in a row (the step's, or a group's). */
static void fill_errors(const log_errors *e, slaw_rollout_step *s)
{
    s->n_pred = e->n;
    s->fitted = true;
    s->male = log_errors_mean_abs(e);
    s->bias = log_errors_bias(e);
    s->max_abs = log_errors_worst(e);
}

/* A row per group for the step just fitted (a NULL: no fit at all, why,
 * naming the options fields in option). */
static void group_rows_add(slaw_rollout *r, const slaw_artifact *a, const log_errors *e,
                           const size_t *n_fit, const char *why, const char *option)
{
    for (size_t g = 0; g < r->n_groups; g++) {
        slaw_rollout_group_step *row = &r->rows[r->n_rows++];
        const slaw_fit *f = a ? fit_of(r, a, g) : NULL;
        const char *failed = a ? slaw_artifact_group_failure(a, r->groups[g]) : NULL;
        *row = (slaw_rollout_group_step){.step = r->n_steps - 1,
                                         .group = r->groups[g],
                                         .n_fit = n_fit[g],
                                         .male = NAN,
                                         .bias = NAN,
                                         .max_abs = NAN};
        if (f) {
            slaw_rollout_step s = {0};
            fill_errors(&e[g], &s);
            row->fitted = true;
            row->n_pred = s.n_pred;
            row->male = s.male;
            row->bias = s.bias;
            row->max_abs = s.max_abs;
            fit_health(f, &row->pinned, &row->undetermined);
        } else {
            snprintf(row->message, sizeof row->message, "%.255s",
                     failed      ? failed
                     : !n_fit[g] ? "no runs up to this size"
                     : why       ? why
                                 : "");
            if (!failed && n_fit[g] && why && option)
                snprintf(row->option, sizeof row->option, "%.63s", option);
        }
    }
}

/* Fits the runs with size <= cutoff and predicts those at size == next. */
static slaw_status one_step(const slaw_runs *runs, const slaw_fit_options *opt, size_t col,
                            slaw_rollout *r, double *sum_log, slaw_error *err)
{
    slaw_rollout_step *step = &r->steps[r->n_steps - 1];
    size_t n = slaw_runs_count(runs), ng = r->n_groups ? r->n_groups : 1;
    slaw_runs *train = runs_clone(runs), *all = NULL;
    bool *keep = malloc((n ? n : 1) * sizeof *keep);
    log_errors *ge = calloc(ng, sizeof *ge);
    size_t *n_fit = calloc(ng, sizeof *n_fit);
    slaw_artifact *a = NULL;
    slaw_status st = SLAW_OK;
    if (!train || !keep || !ge || !n_fit) {
        st = error_nomem(err);
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        keep[i] = slaw_runs_value(runs, col, i) <= step->cutoff;
        if (keep[i]) n_fit[r->n_groups ? group_of(r, runs, i) : 0]++;
    }
    runs_compact(train, keep);
    step->n_fit = slaw_runs_count(train);
    slaw_error step_err = {0};
    st = fit_runs(train, opt, true, &a, &step_err);
    if (st == SLAW_OK && !slaw_artifact_fit_count(a)) {
        snprintf(step_err.message, sizeof step_err.message, "no group could be fitted");
        st = SLAW_EFIT;
    }
    if (st == SLAW_EFIT) { /* too few runs yet, or no convergence: a step without a fit */
        snprintf(step->message, sizeof step->message, "%.255s", step_err.message);
        snprintf(step->option, sizeof step->option, "%.63s", step_err.option);
        group_rows_add(r, a, ge, n_fit, step_err.message, step_err.option);
        st = SLAW_OK;
        goto out;
    }
    if (st != SLAW_OK) {
        if (err) *err = step_err;
        goto out;
    }
    /* Every variable the law reads (U; gadre's C and M; a formula's columns),
     * found as the fit found them, derived ones in a copy of the runs. */
    const slaw_law *law = slaw_fit_law(slaw_artifact_fit(a, 0));
    size_t ycol, nv = slaw_law_var_count(law), var_cols[LAW_MAX_VARS];
    if (!(all = runs_clone(runs))) {
        st = error_nomem(err);
        goto out;
    }
    if ((st = fit_resolve_variables(all, law, opt->x, var_cols, err))) goto out;
    slaw_runs_role_column(runs, SLAW_ROLE_L, &ycol);
    log_errors e = {0};
    for (size_t i = 0; i < n; i++) {
        if (slaw_runs_value(runs, col, i) != step->next) continue;
        size_t g = r->n_groups ? group_of(r, runs, i) : 0;
        const slaw_fit *f = fit_of(r, a, g);
        if (!f) continue; /* its group had no fit up to the cutoff */
        double x[LAW_MAX_VARS];
        for (size_t v = 0; v < nv; v++) x[v] = slaw_runs_value(all, var_cols[v], i);
        double y = slaw_runs_value(runs, ycol, i), pred = slaw_fit_predict(f, x);
        log_errors_add(&e, pred, y);
        log_errors_add(&ge[g], pred, y);
        if ((st = add_score(r, f, x, y, opt->space, err))) goto out;
    }
    fill_errors(&e, step);
    for (size_t k = 0; k < slaw_artifact_fit_count(a); k++)
        fit_health(slaw_artifact_fit(a, k), &step->pinned, &step->undetermined);
    group_rows_add(r, a, ge, n_fit, NULL, NULL);
    *sum_log += e.sum;
    r->predicted += step->n_pred;
out:
    slaw_artifact_free(a);
    slaw_runs_free(train);
    slaw_runs_free(all);
    free(keep);
    free(ge);
    free(n_fit);
    return st;
}

/* The groups of grouped runs, in group order, and room for their rows. */
static slaw_status list_groups(slaw_rollout *r, const slaw_runs *runs, size_t steps,
                               slaw_error *err)
{
    group_rows *g = NULL;
    size_t ng = 0, gcol;
    if (!slaw_runs_role_column(runs, SLAW_ROLE_GROUP, &gcol)) return SLAW_OK;
    slaw_status st = groups_split(runs, &g, &ng, err);
    if (st != SLAW_OK) return st;
    r->groups = calloc(ng ? ng : 1, sizeof *r->groups);
    r->rows = calloc((ng ? ng : 1) * (steps ? steps : 1), sizeof *r->rows);
    if (!r->groups || !r->rows) st = error_nomem(err);
    for (size_t i = 0; i < ng && st == SLAW_OK; i++, r->n_groups++)
        if (!(r->groups[i] = text_copy(g[i].name))) st = error_nomem(err);
    groups_free(g, ng);
    return st;
}

/* "group 'a': reason; group 'b': reason" over the last step's groups. */
static void last_step_failures(const slaw_rollout *r, char *buf, size_t size)
{
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = r->n_rows - r->n_groups; i < r->n_rows && o < size; i++) {
        int w = snprintf(buf + o, size - o, "%sgroup '%s': %s", o ? "; " : "", r->rows[i].group,
                         r->rows[i].message);
        o += w > 0 ? (size_t)w : 0;
    }
}

/* The options fields the last step's messages name (a group's, the first
 * that names any); NULL when none. */
static const char *last_step_option(const slaw_rollout *r)
{
    if (!r->n_groups)
        return r->steps[r->n_steps - 1].option[0] ? r->steps[r->n_steps - 1].option : NULL;
    for (size_t i = r->n_rows - r->n_groups; i < r->n_rows; i++)
        if (r->rows[i].option[0]) return r->rows[i].option;
    return NULL;
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
        st = error_nomem(err);
        goto out;
    }
    /* Filters once, up front; each step's fit then sees them applied. */
    st = fit_select(opt, work, NULL, err);
    if (st == SLAW_OK) st = size_column(work, opt, &col, err);
    if (st != SLAW_OK) goto out;
    slaw_fit_options step_opt = *opt;
    step_opt.selection = NULL;
    step_opt.bootstrap = 0;
    step_opt.holdout = NULL;
    step_opt.progress = NULL;

    size_t n = slaw_runs_count(work);
    sizes = malloc((n ? n : 1) * sizeof *sizes);
    if (!sizes || !(r->variable = text_copy(slaw_runs_column_name(work, col)))) {
        st = error_nomem(err);
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
        st = error_nomem(err);
        goto out;
    }
    if ((st = list_groups(r, work, m - 1, err))) goto out;
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
        char why[sizeof err->message];
        if (r->n_groups) last_step_failures(r, why, sizeof why);
        else snprintf(why, sizeof why, "%s", r->steps[r->n_steps - 1].message);
        st = error_set(err, SLAW_EFIT, NULL, 0, "no rollout step could be fitted: %s", why);
        if (last_step_option(r)) error_option(err, last_step_option(r));
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
