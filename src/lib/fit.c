/* fit.c — fitting a law to runs: the options checked, filters applied, and
 * for each group the stages in order (dataset, start grid, search,
 * uncertainty, bootstrap). */
#include "fit.h"
#include "fit_data.h"
#include "formula.h"
#include "fit_holdout.h"
#include "fit_joint.h"
#include "solver_vp.h"
#include "text.h"
#include "uncertainty.h"

#include <assert.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------- one group */

/* The optimum in natural scale, each parameter's state, and a warning for
 * each parameter that ended on a bound. */
static void record_values(const problem *pb, const start_result *best, slaw_fit *f)
{
    const slaw_law *law = pb->law;
    double theta[LAW_MAX_PARAMS];
    param_map_theta(&pb->map, best->u, theta);
    for (size_t j = 0; j < law->n_params; j++) {
        f->value[j] = law_to_natural(law, j, theta[j]);
        f->state[j] = pb->map.state[j];
        int k = pb->map.free_of[j];
        if (k >= 0 && param_map_pinned(&pb->map, best->u, (size_t)k))
            f->state[j] = SLAW_PARAM_PINNED;
        if (f->state[j] == SLAW_PARAM_PINNED)
            fit_add_warning(f,
                            "%s ended on its bound (%g): pinned, so its standard error is "
                            "not reported",
                            law->params[j].name, f->value[j]);
    }
}

/* The law's own caveat about its fitted values and the runs, as a warning. */
static void law_caveats(const slaw_law *law, const dataset *d, slaw_fit *f)
{
    char text[256];
    if (law->caveat && law->caveat(f->value, d->y, d->n, text, sizeof text))
        fit_add_warning(f, "%s", text);
}

static slaw_status fit_group(const fit_plan *plan, const slaw_runs *runs, const group_rows *all,
                             slaw_fit *f, slaw_error *err)
{
    group_rows train = {0};
    const group_rows *g = all;
    size_t *held = NULL, n_held = 0;
    const slaw_law *law = plan->law;
    dataset d = {0};
    start_grid grid = {0};
    start_result *res = NULL;
    size_t n_res = 0;
    solver *s = NULL;
    data_summary summary;
    slaw_status st;

    f->law = law;
    for (size_t v = 0; v < law->n_vars; v++)
        if (!(f->vars[v] = text_copy(slaw_runs_column_name(runs, plan->var_cols[v]))))
            return error_nomem(err);
    if (g->name && !(f->group = text_copy(g->name))) return error_nomem(err);
    if (plan->opt->holdout) {
        st = holdout_split(runs, all, plan->opt->holdout, plan->var_cols, &train, &held, &n_held,
                           err);
        if (st != SLAW_OK) goto out;
        g = &train;
    }
    if ((st = dataset_build(runs, g->rows, g->n, law, plan->var_cols, plan->obj.space, &d, err)))
        goto out;
    if ((st = fit_check_degenerate(&d, &plan->map, law, f->vars, g->name, err))) goto out;
    dataset_summary(&d, &summary);
    problem pb = {law, &d, plan->obj, plan->map, plan->opt->max_iter, NULL, plan->opt->solver};
    if ((st = vp_starts_build(&pb, plan->opt->grid, &summary, &grid, err))) goto out;
    if (!(s = solver_new(&pb))) {
        st = error_nomem(err);
        goto out;
    }
    if ((st = fit_search(&pb, &grid, plan->opt, plan->threads, s, &res, &n_res, err))) goto out;
    start_result best_result;
    const start_result *best = &best_result;
    f->stats.starts = grid.n;
    if ((st = fit_pick_best(s, res, n_res, g->name, &best_result, &f->stats, err))) goto out;

    if ((st = fit_settle_bounds(&pb, &s, &best_result, err))) goto out;
    f->stats.objective = best->cost;
    f->stats.iterations = best->iterations;
    record_values(&pb, best, f);
    law_caveats(law, &d, f);
    if (f->stats.reached_best == 1 && f->stats.polished > 1)
        fit_add_warning(f,
                        "the best optimum was reached from only 1 of %zu polished starts: it "
                        "may not be the global optimum (try polishing every start or a wider grid)",
                        f->stats.polished);
    fit_uncertainty(&pb, s, best, f);
    fit_goodness(&pb, best, solver_law_at(s, best->u), f);
    fit_describe_data(runs, g, plan->var_cols, law->n_vars, f);
    if (held && holdout_evaluate(f, runs, held, n_held, plan->var_cols) != SLAW_OK) {
        st = error_nomem(err);
        goto out;
    }
    if (plan->opt->bootstrap) {
        size_t *cluster_of = malloc(g->n * sizeof *cluster_of), n_clusters = 0;
        if (!cluster_of) {
            st = error_nomem(err);
            goto out;
        }
        st = groups_clusters(runs, g, plan->opt->bootstrap_by, cluster_of, &n_clusters, err);
        boot_job job = {&pb,  &grid, best->u,   cluster_of,   n_clusters,
                        NULL, 0,     plan->opt, plan->threads};
        if (st == SLAW_OK) st = bootstrap_run(&job, f, err);
        free(cluster_of);
        if (st != SLAW_OK) goto out;
    }
    fit_identify(&pb, &summary, f);
    fit_derive(law, f);
out:
    solver_free(s);
    free(res);
    starts_free(&grid);
    dataset_free(&d);
    /* after the fit's own memory is freed: its peak does not grow */
    if (st == SLAW_OK && !fit_keep_fingerprint(runs, g->rows, g->n, plan->var_cols, law->n_vars, f))
        st = error_nomem(err);
    free(train.rows);
    free(held);
    return st;
}

/* ------------------------------------------------------------ the entry */

/* The runs the fit reads: the selection applied, per key in the fit's space;
 * what each step removed is recorded with the artifact. */
static slaw_status apply_selection(slaw_runs *runs, const slaw_fit_options *opt, slaw_artifact *a,
                                   slaw_error *err)
{
    size_t n = slaw_selection_count(opt->selection);
    if (!(a->removed = calloc(n ? n : 1, sizeof *a->removed))) return error_nomem(err);
    return fit_select(opt, runs, a->removed, err);
}

/* Records a group that could not be fitted, its reason without the
 * "group 'x': " that the messages put before it. */
static slaw_status record_failure(slaw_artifact *a, const char *group, const char *message,
                                  slaw_error *err)
{
    char prefix[300];
    group_prefix(group, prefix, sizeof prefix);
    size_t k = strlen(prefix);
    const char *reason = strncmp(message, prefix, k) ? message : message + k;
    if (!artifact_add_failure(a, group, reason)) return error_nomem(err);
    return SLAW_OK;
}

/* A group of several columns (--by dataset,lr): each column's name and
 * value in its fit, as data beside the joined name. */
static slaw_status record_group_columns(slaw_artifact *a, const slaw_runs *runs,
                                        const group_rows *groups, size_t n_groups, slaw_error *err)
{
    for (size_t i = 0; i < a->n_fits && runs->n_group_parts; i++) {
        slaw_fit *f = &a->fits[i];
        size_t g = 0;
        while (g < n_groups && strcmp(groups[g].name, f->group) != 0) g++;
        if (g == n_groups) continue;
        for (size_t k = 0; k < runs->n_group_parts; k++) {
            size_t col = runs->group_parts[k];
            char buf[64];
            f->group_col[k] = text_copy(slaw_runs_column_name(runs, col));
            f->group_val[k] =
                text_copy(runs_group_name(runs, col, groups[g].rows[0], buf, sizeof buf));
            f->group_num[k] = !slaw_runs_column_is_label(runs, col);
            f->n_group_cols++;
            if (!f->group_col[k] || !f->group_val[k]) return error_nomem(err);
        }
    }
    return SLAW_OK;
}

/* The error when every group failed, or one did and the fit is strict:
 * each failed group with its reason. */
static slaw_status failed_groups_error(const slaw_artifact *a, size_t n_groups, slaw_error *err)
{
    char text[sizeof err->message];
    size_t o = 0;
    for (size_t i = 0; i < a->n_failed && o < sizeof text; i++) {
        int w = snprintf(text + o, sizeof text - o, "%sgroup '%s': %s", i ? "; " : "",
                         a->failed[i].group, a->failed[i].reason);
        if (w < 0) break;
        o += (size_t)w;
    }
    if (n_groups == 1) /* the one group's own message */
        return error_set(err, SLAW_EFIT, NULL, 0, "%s", text);
    if (a->n_failed == n_groups)
        return error_set(err, SLAW_EFIT, NULL, 0, "no group could be fitted: %s", text);
    return error_set(err, SLAW_EFIT, NULL, 0, "%zu of %zu groups could not be fitted (strict): %s",
                     a->n_failed, n_groups, text);
}

slaw_status slaw_fit_runs(const slaw_runs *runs, const slaw_fit_options *opt, slaw_artifact **out,
                          slaw_error *err)
{
    return fit_runs(runs, opt, false, out, err);
}

slaw_status fit_runs(const slaw_runs *runs, const slaw_fit_options *opt, bool keep_failed,
                     slaw_artifact **out, slaw_error *err)
{
    assert(runs && opt && out);
    fit_plan plan = {.opt = opt};
    slaw_artifact *a = NULL;
    slaw_runs *work = NULL;
    group_rows *groups = NULL;
    size_t n_groups = 0;
    slaw_status st;

    slaw_law *own = NULL;
    gsl_set_error_handler_off();
    if ((st = fit_formula_law(opt, runs, &own, err))) return st;
    plan.law = own;
    if (!(a = artifact_new())) {
        formula_law_free(own);
        return error_nomem(err);
    }
    a->own_law = own;
    if ((st = fit_check_options(opt, &plan.law, &plan.obj, err))) goto out;
    if ((st = param_map_build(plan.law, opt, &plan.map, err))) goto out;
    plan.threads = opt->threads > 0 ? opt->threads : omp_get_max_threads();
    if (!(work = runs_clone(runs))) {
        st = error_nomem(err);
        goto out;
    }
    a->runs_read = slaw_runs_count(runs);
    if ((st = apply_selection(work, opt, a, err))) goto out;
    if ((st = fit_resolve_variables(work, plan.law, opt->x, plan.var_cols, err))) goto out;
    const char *x_column =
        plan.law->n_vars == 1 ? slaw_runs_column_name(work, plan.var_cols[0]) : NULL;
    if ((st = settings_record(&a->settings, opt, work, x_column))) {
        error_nomem(err);
        goto out;
    }
    if ((st = groups_split(work, &groups, &n_groups, err))) goto out;
    a->fits = calloc(n_groups, sizeof *a->fits);
    if (!a->fits) {
        st = error_nomem(err);
        goto out;
    }
    if (opt->shared) {
        a->n_fits = n_groups;
        st = fit_joint(&plan, work, groups, n_groups, a->fits, err);
        if (st == SLAW_OK) st = record_group_columns(a, work, groups, n_groups, err);
        goto out;
    }
    for (size_t i = 0; i < n_groups; i++) {
        slaw_error group_err;
        slaw_fit *f = &a->fits[a->n_fits++];
        st = fit_group(&plan, work, &groups[i], f, &group_err);
        if (st == SLAW_EFIT && groups[i].name) { /* the other groups can still be fitted */
            a->n_fits--;
            fit_clear(f);
            st = record_failure(a, groups[i].name, group_err.message, err);
        } else if (st != SLAW_OK && err) {
            *err = group_err;
        }
        if (st != SLAW_OK) goto out;
    }
    if (a->n_failed && !keep_failed && (opt->strict || !a->n_fits))
        st = failed_groups_error(a, n_groups, err);
    if (st == SLAW_OK) st = record_group_columns(a, work, groups, n_groups, err);
out:
    if (st == SLAW_OK) artifact_link_intervals(a);
    groups_free(groups, n_groups);
    slaw_runs_free(work);
    if (st != SLAW_OK) {
        slaw_artifact_free(a);
        return st;
    }
    *out = a;
    return SLAW_OK;
}
