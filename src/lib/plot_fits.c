/* plot_fits.c — what every plot of a fit needs from the artifact and the
 * runs: the fits to draw, their parameters and names for titles and axes,
 * and the runs as each fit sees them (its variables, target and group). */
#include "plot_fits.h"
#include "artifact.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* "web, code": the artifact's groups, for messages. */
static void group_names(const slaw_artifact *a, char *buf, size_t size)
{
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < slaw_artifact_fit_count(a) && o < size - 1; i++) {
        int k = snprintf(buf + o, size - o, "%s%s", i ? ", " : "",
                         slaw_fit_group(slaw_artifact_fit(a, i)));
        o += k > 0 ? (size_t)k : 0;
    }
}

slaw_status plot_select_fits(const slaw_artifact *a, const char *group, bool need_one,
                             const char *kind, const slaw_fit **fits, size_t max, size_t *n,
                             slaw_error *err)
{
    size_t count = slaw_artifact_fit_count(a);
    bool grouped = slaw_fit_group(slaw_artifact_fit(a, 0)) != NULL;
    char names[400];
    *n = 0;
    if (group && !grouped)
        return error_set_option(err, SLAW_EUSAGE, "group", "group %s: the fit is not grouped",
                                group);
    if (grouped) group_names(a, names, sizeof names);
    if (need_one && !group && count > 1)
        return error_set_option(err, SLAW_EUSAGE, "group",
                                "a %s plot draws one fit, and this one has "
                                "%zu groups: name one with group (%s)",
                                kind, count, names);
    for (size_t i = 0; i < count; i++) {
        const slaw_fit *f = slaw_artifact_fit(a, i);
        if (group && strcmp(slaw_fit_group(f), group) != 0) continue;
        if (*n == max)
            return error_set_option(err, SLAW_EUSAGE, "group",
                                    "%zu groups are too many to draw in one "
                                    "%s plot (at most %zu): name one with group",
                                    count, kind, max);
        fits[(*n)++] = f;
    }
    const char *why = group && !*n ? slaw_artifact_group_failure(a, group) : NULL;
    if (why)
        return error_set_option(err, SLAW_EFIT, "group",
                                "group %s: the group was not fitted (%s): "
                                "there is no curve to draw",
                                group, why);
    if (group && !*n)
        return error_set_option(err, SLAW_EUSAGE, "group",
                                "group %s: no such group in the fit (its "
                                "groups: %s)",
                                group, names);
    return SLAW_OK;
}

void fit_params_text(const slaw_fit *f, char *buf, size_t size)
{
    const slaw_law *law = slaw_fit_law(f);
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < slaw_law_param_count(law) && o < size; i++) {
        slaw_param_state s = slaw_fit_param_state(f, i);
        int k = snprintf(buf + o, size - o, "%s%s = %.4g%s", i ? ", " : "",
                         slaw_law_param_name(law, i), slaw_fit_value(f, i),
                         s == SLAW_PARAM_FIXED    ? " (fixed)"
                         : s == SLAW_PARAM_PINNED ? " (bound)"
                                                  : "");
        o += k > 0 ? (size_t)k : 0;
    }
}

const char *target_label(const slaw_artifact *a)
{
    const char *name = slaw_artifact_role_column(a, SLAW_ROLE_L, NULL);
    return name ? name : "loss";
}

const char *variable_label(const slaw_artifact *a, const slaw_fit *f, char *buf, size_t size)
{
    slaw_fit_options opt;
    slaw_artifact_options(a, &opt);
    const slaw_law *law = slaw_fit_law(f);
    if (slaw_law_var_count(law) == 1 && opt.x) snprintf(buf, size, "%s", opt.x);
    else if (slaw_law_var_count(law) == 1 && law->program)
        snprintf(buf, size, "%s", slaw_fit_variable(f, 0));
    else snprintf(buf, size, "model size N (parameters)");
    return buf;
}

void plot_forecast_options(const plot_doc *d, const slaw_artifact *a, slaw_forecast_options *fo)
{
    slaw_forecast_options_init(fo, a); /* intervals: SLAW_INTERVAL_AUTO */
    fo->level = d->level;
    fo->held = d->opt->hold; /* the frontier's U */
}

void band_text(const plot_doc *d, slaw_interval_method method, size_t samples, char *buf,
               size_t size)
{
    if (method == SLAW_INTERVAL_BOOTSTRAP)
        snprintf(buf, size, "%g%% band: bootstrap, %zu samples", 100 * d->level, samples);
    else if (method == SLAW_INTERVAL_DELTA)
        snprintf(buf, size, "%g%% band: delta method", 100 * d->level);
    else if (method == SLAW_INTERVAL_T)
        snprintf(buf, size, "%g%% band: delta method, t quantiles", 100 * d->level);
    else buf[0] = '\0';
}

/* ------------------------------------------------------------------- runs */

bool plot_law_of_n_and_d(const slaw_law *law)
{
    size_t nv = slaw_law_var_count(law);
    for (size_t v = 0; v < nv; v++) {
        slaw_role r = slaw_law_var_role(law, v);
        if (r != SLAW_ROLE_N && r != SLAW_ROLE_D && r != SLAW_ROLE_C && r != SLAW_ROLE_M &&
            r != SLAW_ROLE_U)
            return false;
    }
    return nv >= 2;
}

size_t plot_law_other_var(const slaw_law *law)
{
    size_t in = law_var_index(law, SLAW_ROLE_N);
    if (slaw_law_var_count(law) != 2 || in == SIZE_MAX || plot_law_of_n_and_d(law)) return SIZE_MAX;
    return 1 - in;
}

void plot_law_vars(const slaw_law *law, double n, double d, double u, double *vars)
{
    double by_role[SLAW_ROLE_COUNT];
    size_t other = plot_law_other_var(law);
    if (other != SIZE_MAX) {
        vars[1 - other] = n;
        vars[other] = d;
        return;
    }
    if (!plot_law_of_n_and_d(law)) {
        vars[0] = n;
        return;
    }
    for (size_t r = 0; r < SLAW_ROLE_COUNT; r++) by_role[r] = NAN;
    by_role[SLAW_ROLE_N] = n;
    by_role[SLAW_ROLE_D] = d;
    by_role[SLAW_ROLE_U] = u;
    for (size_t v = 0; v < slaw_law_var_count(law); v++)
        vars[v] = slaw_role_derive(slaw_law_var_role(law, v), by_role, 0);
}

/* The range of N in fit f's data: its variable N (or x), or from C and M
 * (N = sqrt(N·D / M), N·D from C through the compute model); false if
 * neither. */
bool plot_fit_n_range(const slaw_fit *f, bool two, double *lo, double *hi)
{
    const slaw_law *law = slaw_fit_law(f);
    size_t in = two ? law_var_index(law, SLAW_ROLE_N) : 0, ic = law_var_index(law, SLAW_ROLE_C),
           im = law_var_index(law, SLAW_ROLE_M);
    double c_lo, c_hi, m_lo, m_hi;
    if (in != SIZE_MAX) {
        slaw_fit_data_range(f, in, lo, hi);
        return true;
    }
    if (ic == SIZE_MAX || im == SIZE_MAX) return false;
    slaw_fit_data_range(f, ic, &c_lo, &c_hi);
    slaw_fit_data_range(f, im, &m_lo, &m_hi);
    *lo = sqrt(slaw_compute_param_tokens(c_lo) / m_hi);
    *hi = sqrt(slaw_compute_param_tokens(c_hi) / m_lo);
    return true;
}

/* N and D of a run from the law's variables: gadre's C and M give N·D
 * (through the compute model) and D/N; C with N or D gives the other. */
void plot_run_n_d(const slaw_law *law, bool two, const double *vars, double *n, double *d)
{
    double r[SLAW_ROLE_COUNT];
    for (size_t k = 0; k < SLAW_ROLE_COUNT; k++) r[k] = NAN;
    for (size_t v = 0; v < slaw_law_var_count(law); v++)
        if (slaw_law_var_role(law, v) != SLAW_ROLE_COUNT) r[slaw_law_var_role(law, v)] = vars[v];
    size_t other = plot_law_other_var(law);
    if (!two) {
        *n = vars[0], *d = NAN;
        return;
    }
    if (other != SIZE_MAX) {
        *n = vars[1 - other], *d = vars[other];
        return;
    }
    if (isnan(r[SLAW_ROLE_N]) && isnan(r[SLAW_ROLE_D]) && !isnan(r[SLAW_ROLE_C])) {
        double nd = slaw_compute_param_tokens(r[SLAW_ROLE_C]);
        r[SLAW_ROLE_N] = sqrt(nd / r[SLAW_ROLE_M]);
        r[SLAW_ROLE_D] = sqrt(nd * r[SLAW_ROLE_M]);
    }
    if (isnan(r[SLAW_ROLE_N]))
        r[SLAW_ROLE_N] = isnan(r[SLAW_ROLE_M]) ? slaw_role_derive(SLAW_ROLE_N, r, 0)
                                               : r[SLAW_ROLE_D] / r[SLAW_ROLE_M];
    if (isnan(r[SLAW_ROLE_D]))
        r[SLAW_ROLE_D] = isnan(r[SLAW_ROLE_M]) ? slaw_role_derive(SLAW_ROLE_D, r, 0)
                                               : r[SLAW_ROLE_N] * r[SLAW_ROLE_M];
    *n = r[SLAW_ROLE_N], *d = r[SLAW_ROLE_D];
}

void run_view_free(run_view *v)
{
    free(v->u);
    free(v->x);
    free(v->d);
    free(v->c);
    free(v->y);
    free(v->fit);
    free(v->held);
    memset(v, 0, sizeof *v);
}

static void read_column(const slaw_runs *runs, bool has, size_t col, double *out)
{
    for (size_t i = 0; i < slaw_runs_count(runs); i++)
        out[i] = has ? slaw_runs_value(runs, col, i) : NAN;
}

/* Which of the fits each run belongs to, by the group column's text (as
 * the fit named its groups).  Runs of a group the artifact does not have
 * are counted (v->foreign); when no run's group is one of the artifact's,
 * the runs were grouped by another column than the fit's: an error. */
static slaw_status match_groups(const slaw_artifact *a, const slaw_runs *runs,
                                const slaw_fit **fits, size_t n_fits, run_view *v, slaw_error *err)
{
    size_t gcol, known = 0;
    char first[64] = "";
    bool grouped = slaw_fit_group(fits[0]) != NULL;
    bool any_sign = slaw_fit_law(fits[0])->program != NULL; /* a formula's x: any sign */
    if (grouped && !slaw_runs_role_column(runs, SLAW_ROLE_GROUP, &gcol))
        return error_set(err, SLAW_EINPUT, NULL, 0,
                         "the fit is grouped, and the runs have no "
                         "group column");
    for (size_t i = 0; i < v->n; i++) {
        bool usable = (v->x[i] > 0 || any_sign) && isfinite(v->x[i]) && isfinite(v->y[i]) &&
                      (isnan(v->d[i]) || v->d[i] > 0);
        v->fit[i] = usable && !grouped ? 0 : SIZE_MAX;
        if (!usable || !grouped) continue;
        char buf[64];
        const char *name = runs_group_name(runs, gcol, i, buf, sizeof buf);
        for (size_t k = 0; k < n_fits; k++)
            if (!strcmp(name, slaw_fit_group(fits[k]))) v->fit[i] = k;
        bool ours = false, failed = slaw_artifact_group_failure(a, name) != NULL;
        for (size_t k = 0; k < slaw_artifact_fit_count(a) && !ours; k++)
            ours = !strcmp(name, slaw_fit_group(slaw_artifact_fit(a, k)));
        known += ours || failed;
        v->foreign += !ours && !failed;
        v->unfitted += failed;
        if (!ours && !first[0]) snprintf(first, sizeof first, "%s", name);
    }
    if (v->foreign && !known) {
        char names[400];
        group_names(a, names, sizeof names);
        return error_set(err, SLAW_EINPUT, NULL, 0,
                         "none of the runs' groups is one of the "
                         "fit's (%s): the first run's %s is %s (are these the runs the fit "
                         "was made from?)",
                         names, slaw_runs_column_name(runs, gcol), first);
    }
    return SLAW_OK;
}

/* Marks the runs that a fit held out: same variables and target as one of
 * its holdout runs (the artifact keeps them exactly). */
static void mark_held(const slaw_fit **fits, size_t n_fits, run_view *v)
{
    for (size_t k = 0; k < n_fits; k++) {
        const slaw_law *law = slaw_fit_law(fits[k]);
        size_t nv = slaw_law_var_count(law);
        for (size_t h = 0; h < slaw_fit_holdout_count(fits[k]); h++) {
            double vars[LAW_MAX_VARS], run[LAW_MAX_VARS], obs, pred;
            slaw_fit_holdout_run(fits[k], h, vars, &obs, &pred);
            for (size_t i = 0; i < v->n; i++) {
                if (v->fit[i] != k || v->y[i] != obs) continue;
                plot_law_vars(law, v->x[i], v->d[i], v->u[i], run);
                bool same = true; /* a derived C or M agrees to the digits written only */
                for (size_t j = 0; j < nv; j++)
                    same &= fabs(run[j] - vars[j]) <= 1e-9 * fabs(vars[j]);
                v->held[i] |= same;
            }
        }
    }
}

slaw_status run_view_make(const slaw_artifact *a, const slaw_runs *runs, const slaw_fit **fits,
                          size_t n_fits, run_view *out, slaw_error *err)
{
    slaw_fit_options opt;
    size_t xc, dc, cc, yc, n = slaw_runs_count(runs);
    const slaw_law *law = slaw_fit_law(fits[0]);
    size_t ov = plot_law_other_var(law);
    bool two = plot_law_of_n_and_d(law) || ov != SIZE_MAX;
    size_t uv = law_var_index(law, SLAW_ROLE_U), uc = 0;
    run_view v = {.n = n};
    slaw_artifact_options(a, &opt);
    /* a formula names its variable; other laws' x is --x's column, else N */
    const char *x = opt.x ? opt.x : !two && law->program ? slaw_fit_variable(fits[0], 0) : NULL;
    bool has_x =
        x ? slaw_runs_column_find(runs, x, &xc) : slaw_runs_role_column(runs, SLAW_ROLE_N, &xc);
    const char *other = ov != SIZE_MAX ? slaw_fit_variable(fits[0], ov) : NULL;
    bool has_d = other ? slaw_runs_column_find(runs, other, &dc)
                       : slaw_runs_role_column(runs, SLAW_ROLE_D, &dc);
    bool has_c = slaw_runs_role_column(runs, SLAW_ROLE_C, &cc);
    if (!has_x)
        return error_set(err, SLAW_EINPUT, NULL, 0,
                         "the runs have no column %s, the fit's "
                         "variable",
                         x ? x : "for N");
    if (other && !has_d)
        return error_set(err, SLAW_EINPUT, NULL, 0,
                         "the runs have no column %s, which the %s reads", other,
                         law->program ? "formula" : "law");
    if (two && !has_d)
        return error_set(err, SLAW_EINPUT, NULL, 0,
                         "the runs have no D column (nor N and C to "
                         "derive it), which law %s reads",
                         slaw_law_name(slaw_fit_law(fits[0])));
    if (uv != SIZE_MAX && !slaw_runs_column_find(runs, slaw_fit_variable(fits[0], uv), &uc))
        return error_set(err, SLAW_EINPUT, NULL, 0,
                         "the runs have no column %s, the unique tokens U that law %s reads",
                         slaw_fit_variable(fits[0], uv), slaw_law_name(law));
    if (!slaw_runs_role_column(runs, SLAW_ROLE_L, &yc))
        return error_set(err, SLAW_EINPUT, NULL, 0, "the runs have no target column (%s)",
                         target_label(a));
    size_t m = n ? n : 1;
    v.x = malloc(m * sizeof *v.x);
    v.d = malloc(m * sizeof *v.d);
    v.c = malloc(m * sizeof *v.c);
    v.y = malloc(m * sizeof *v.y);
    v.u = malloc(m * sizeof *v.u);
    v.fit = malloc(m * sizeof *v.fit);
    v.held = calloc(m, sizeof *v.held);
    if (!v.x || !v.d || !v.c || !v.y || !v.u || !v.fit || !v.held) {
        run_view_free(&v);
        return error_nomem(err);
    }
    read_column(runs, true, xc, v.x);
    read_column(runs, two, dc, v.d);
    read_column(runs, has_c, cc, v.c);
    read_column(runs, true, yc, v.y);
    read_column(runs, uv != SIZE_MAX, uc, v.u);
    slaw_status st = match_groups(a, runs, fits, n_fits, &v, err);
    if (st != SLAW_OK) {
        run_view_free(&v);
        return st;
    }
    mark_held(fits, n_fits, &v);
    *out = v;
    return SLAW_OK;
}
