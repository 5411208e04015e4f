/* fit.c — fitting a law to runs: filters, groups, the multi-start search,
 * and the uncertainty of the optimum found. */
#include "fit.h"
#include "sha256.h"

#include <float.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_matrix.h>
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_POLISH 16
#define DEFAULT_MAX_ITER 500
#define DEFAULT_HUBER_DELTA 1e-3
#define DEFAULT_ASYM_W 10.0

void slaw_fit_options_init(slaw_fit_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->space = SLAW_SPACE_LOG;
    opt->loss = SLAW_LOSS_L2;
    opt->polish = SLAW_POLISH_DEFAULT;
}

/* ------------------------------------------------------------- preparing */

static slaw_status check_options(const slaw_fit_options *opt, const slaw_law **law, objective *obj,
                                 slaw_error *err)
{
    if (!opt->law || !(*law = slaw_law_find(opt->law))) {
        char names[200] = "";
        for (size_t i = 0; i < slaw_law_count(); i++) {
            strncat(names, i ? ", " : "", sizeof names - strlen(names) - 1);
            strncat(names, slaw_law_at(i)->name, sizeof names - strlen(names) - 1);
        }
        return error_set(err, SLAW_EUSAGE, NULL, 0, "%s%s%s: the laws are %s",
                         opt->law ? "unknown law '" : "no law given",
                         opt->law ? opt->law : "", opt->law ? "'" : "", names);
    }
    *obj = (objective){opt->space, opt->loss, DEFAULT_HUBER_DELTA, DEFAULT_ASYM_W};
    if (opt->loss_param != 0) {
        if (opt->loss == SLAW_LOSS_L2)
            return error_set(err, SLAW_EUSAGE, NULL, 0, "the l2 loss takes no parameter");
        if (!(opt->loss_param > 0) || !isfinite(opt->loss_param))
            return error_set(err, SLAW_EUSAGE, NULL, 0, "the %s parameter must be positive",
                             opt->loss == SLAW_LOSS_HUBER ? "Huber" : "asym");
        if (opt->loss == SLAW_LOSS_HUBER) obj->delta = opt->loss_param;
        else obj->asym_w = opt->loss_param;
    }
    if (opt->polish < SLAW_POLISH_ALL)
        return error_set(err, SLAW_EUSAGE, NULL, 0, "--polish takes 'all' or a positive count");
    if (opt->threads < 0)
        return error_set(err, SLAW_EUSAGE, NULL, 0, "--threads must be positive");
    if (opt->level != 0 && !(opt->level > 0 && opt->level < 1))
        return error_set(err, SLAW_EUSAGE, NULL, 0, "--level must be between 0 and 1, e.g. 0.95");
    if (opt->bootstrap == 1)
        return error_set(err, SLAW_EUSAGE, NULL, 0, "--bootstrap needs at least 2 resamples");
    if (opt->x && (*law)->n_vars != 1)
        return error_set(err, SLAW_EUSAGE, NULL, 0,
                         "--x applies to one-variable laws; %s reads N and D", (*law)->name);
    return SLAW_OK;
}

static slaw_status resolve_variables(const slaw_runs *runs, const slaw_law *law, const char *x,
                                     size_t *cols, slaw_error *err)
{
    if (law->n_vars == 1) {
        if (x) {
            if (!slaw_runs_column_find(runs, x, &cols[0]))
                return error_set(err, SLAW_EUSAGE, NULL, 0, "--x %s: no such column", x);
            if (slaw_runs_column_is_label(runs, cols[0]))
                return error_set(err, SLAW_EUSAGE, NULL, 0, "--x %s: the column holds text", x);
        } else if (!slaw_runs_role_column(runs, SLAW_ROLE_N, &cols[0])) {
            return error_set(err, SLAW_EUSAGE, NULL, 0,
                             "law %s needs a variable: no N column was found; name one with "
                             "--x COLUMN or --n COLUMN", law->name);
        }
        return SLAW_OK;
    }
    static const char *const hint[] = {"--n COLUMN", "--d COLUMN (or give C to derive D)"};
    for (int v = 0; v < 2; v++)
        if (!slaw_runs_role_column(runs, v == 0 ? SLAW_ROLE_N : SLAW_ROLE_D, &cols[v]))
            return error_set(err, SLAW_EUSAGE, NULL, 0, "law %s needs N and D: no %s column; "
                             "name one with %s", law->name, v == 0 ? "N" : "D", hint[v]);
    return SLAW_OK;
}

typedef struct group_rows {
    char *name;   /* NULL when ungrouped */
    size_t *rows;
    size_t n;
} group_rows;

static void groups_free(group_rows *g, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(g[i].name);
        free(g[i].rows);
    }
    free(g);
}

/* The group each run belongs to, in order of first appearance. */
static slaw_status split_groups(const slaw_runs *runs, group_rows **out, size_t *n_out,
                                slaw_error *err)
{
    size_t n = slaw_runs_count(runs), gcol, ng = 0;
    bool grouped = slaw_runs_role_column(runs, SLAW_ROLE_GROUP, &gcol);
    group_rows *g = calloc(n ? n : 1, sizeof *g);
    if (!g) return error_set(err, SLAW_ENOMEM, NULL, 0, "out of memory");
    for (size_t i = 0; i < n; i++) {
        char buf[64];
        const char *name = NULL;
        if (grouped) {
            name = slaw_runs_label(runs, gcol, i);
            if (!name) {
                snprintf(buf, sizeof buf, "%.15g", slaw_runs_value(runs, gcol, i));
                name = buf;
            }
        }
        size_t k = 0;
        while (k < ng && grouped && strcmp(g[k].name, name) != 0) k++;
        if (k == ng) {
            g[ng].rows = malloc(n * sizeof *g[ng].rows);
            g[ng].name = name ? text_copy(name) : NULL;
            ng++;
            if (!g[k].rows || (name && !g[k].name)) {
                groups_free(g, ng);
                return error_set(err, SLAW_ENOMEM, NULL, 0, "out of memory");
            }
        }
        g[k].rows[g[k].n++] = i;
    }
    *out = g;
    *n_out = ng;
    return SLAW_OK;
}

static const char *group_text(const char *group, char *buf, size_t size)
{
    if (!group) return "";
    snprintf(buf, size, "group '%s': ", group);
    return buf;
}

/* Fits that cannot say anything: fewer runs than parameters, a variable
 * that never changes, a target that never changes. */
static slaw_status check_degenerate(const dataset *d, const param_map *pm, const slaw_law *law,
                                    char *const *vars, const char *group, slaw_error *err)
{
    char g[300];
    if (d->n <= pm->m)
        return error_set(err, SLAW_EFIT, NULL, 0,
                         "%stoo few runs: %zu runs for %zu free parameters of %s (need more runs "
                         "than parameters)", group_text(group, g, sizeof g), d->n, pm->m, law->name);
    for (size_t v = 0; v < d->n_vars; v++) {
        size_t i = 1;
        while (i < d->n && d->lnx[v][i] == d->lnx[v][0]) i++;
        if (i == d->n)
            return error_set(err, SLAW_EFIT, NULL, 0,
                             "%s%s has the same value (%g) in every run: %s cannot fit how the "
                             "target changes with it", group_text(group, g, sizeof g), vars[v],
                             exp(d->lnx[v][0]), law->name);
    }
    size_t i = 1;
    while (i < d->n && d->y[i] == d->y[0]) i++;
    if (i == d->n)
        return error_set(err, SLAW_EFIT, NULL, 0,
                         "%sthe target is %g in every run: there is nothing to fit",
                         group_text(group, g, sizeof g), d->y[0]);
    return SLAW_OK;
}

/* ---------------------------------------------------------------- search */

typedef struct ranked {
    double cost;
    size_t index;
} ranked;

static int compare_ranked(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->cost != y->cost) return (x->cost > y->cost) - (x->cost < y->cost);
    return (x->index > y->index) - (x->index < y->index);
}

/* Evaluates the objective at every start, polishes the most promising (or
 * all) with the solver, in parallel; results do not depend on the number of
 * threads because each start is independent and ties go to the lower index. */
static slaw_status search(const problem *pb, const start_grid *g, const slaw_fit_options *opt,
                          int threads, start_result **results, size_t *n_results, slaw_error *err)
{
    size_t n = g->n, p = g->p, finite = 0, k_polish = 0, polished = 0;
    long polish = opt->polish;
    void (*progress)(void *, const char *, size_t, size_t) = opt->progress;
    void *progress_ctx = opt->progress_ctx;
    ranked *rank = malloc((n ? n : 1) * sizeof *rank);
    start_result *res = NULL;
    bool failed = false;
    if (!rank) return error_set(err, SLAW_ENOMEM, NULL, 0, "out of memory");

#pragma omp parallel num_threads(threads)
    {
        solver *s = solver_new(pb);
        if (!s) {
#pragma omp atomic write
            failed = true;
        }
#pragma omp for schedule(static)
        for (size_t i = 0; i < n; i++)
            rank[i] = (ranked){s ? solver_cost(s, g->theta + i * p) : NAN, i};
#pragma omp single
        {
            for (size_t i = 0; i < n; i++)
                if (!isnan(rank[i].cost)) rank[finite++] = rank[i];
            qsort(rank, finite, sizeof *rank, compare_ranked);
            k_polish = polish == SLAW_POLISH_ALL         ? finite
                       : polish == SLAW_POLISH_DEFAULT ? DEFAULT_POLISH
                                                       : (size_t)polish;
            if (k_polish > finite) k_polish = finite;
            res = calloc(k_polish ? k_polish : 1, sizeof *res);
            if (!res) failed = true;
        }
#pragma omp for schedule(dynamic, 1)
        for (size_t k = 0; k < k_polish; k++) {
            if (!s || !res) continue;
            double u0[LAW_MAX_PARAMS];
            param_map_u(&pb->map, g->theta + rank[k].index * p, u0);
            solver_run(s, u0, SEARCH_TOL, &res[k]);
            size_t now;
#pragma omp atomic capture
            now = ++polished;
            if (progress && omp_get_thread_num() == 0) progress(progress_ctx, "grid", now, k_polish);
        }
        solver_free(s);
    }
    free(rank);
    if (failed) {
        free(res);
        return error_set(err, SLAW_ENOMEM, NULL, 0, "out of memory");
    }
    if (!finite) {
        free(res);
        return error_set(err, SLAW_EFIT, NULL, 0,
                         "the objective is not finite at any of the %zu start points; give "
                         "starts near the data with --grid", n);
    }
    *results = res;
    *n_results = k_polish;
    return SLAW_OK;
}

/* Picks the best converged start: the few with the lowest objectives are
 * refined to full precision and the lowest wins; a start reached the best
 * optimum when its (search-precision) objective is within 1e-8 of it. */
static slaw_status pick_best(solver *s, start_result *res, size_t k, const char *group,
                             start_result *best, slaw_fit_stats *st, slaw_error *err)
{
    size_t counts[4] = {0}, lowest = SIZE_MAX;
    for (size_t i = 0; i < k; i++) {
        counts[res[i].outcome]++;
        if (res[i].outcome == START_CONVERGED && (lowest == SIZE_MAX || res[i].cost < res[lowest].cost))
            lowest = i;
    }
    st->polished = k;
    st->converged = counts[START_CONVERGED];
    st->hit_limit = counts[START_ITERATION_LIMIT];
    if (lowest == SIZE_MAX) {
        char g[300];
        return error_set(err, SLAW_EFIT, NULL, 0,
                         "%sno start converged: of %zu polished, %zu hit the iteration limit, "
                         "%zu stalled, %zu had no finite objective (try --max-iter, --grid or "
                         "--polish all)", group_text(group, g, sizeof g), k,
                         counts[START_ITERATION_LIMIT], counts[START_STALLED], counts[START_INVALID]);
    }
    /* Refine the candidates within 1e-6 of the lowest (at most 4), in start order. */
    double floor_cost = res[lowest].cost;
    size_t refined = 0;
    *best = res[lowest];
    best->cost = INFINITY;
    for (size_t i = 0; i < k && refined < 4; i++) {
        if (res[i].outcome != START_CONVERGED || res[i].cost > floor_cost * (1 + 1e-6)) continue;
        start_result fine;
        solver_run(s, res[i].u, FINAL_TOL, &fine);
        refined++;
        if (fine.outcome == START_CONVERGED && fine.cost < best->cost) {
            *best = fine;
            best->iterations += res[i].iterations;
        }
    }
    if (!isfinite(best->cost)) *best = res[lowest];
    double tol = 1e-8 * best->cost + 1e-20;
    for (size_t i = 0; i < k; i++)
        if (res[i].outcome == START_CONVERGED && res[i].cost - best->cost <= tol)
            st->reached_best++;
    st->iterations = best->iterations;
    st->objective = best->cost;
    return SLAW_OK;
}

/* ------------------------------------------------------------ uncertainty */

static const char se_l2[] =
    "covariance of the least-squares fit, (J'WJ)^-1 times the residual variance";
static const char se_robust[] =
    "covariance of a least-squares fit at this optimum, (J'WJ)^-1 times the variance of the "
    "residuals: an approximation for this loss (use --bootstrap for intervals)";

/* Standard errors from the Jacobian of the raw residuals at the optimum,
 * scaled by the residual variance, carried to the natural scale. */
static void uncertainty(const problem *pb, solver *s, const start_result *best, slaw_fit *f)
{
    const param_map *pm = &pb->map;
    const dataset *d = pb->data;
    size_t n = d->n, m = pm->m, p = pm->p, active[LAW_MAX_PARAMS], a = 0;
    double *r = malloc(n * sizeof *r), *J = malloc(n * m * sizeof *J);
    gsl_matrix *Ja = NULL, *cov = NULL;
    double cov_u[LAW_MAX_PARAMS * LAW_MAX_PARAMS] = {0}, slope[LAW_MAX_PARAMS], theta[LAW_MAX_PARAMS];

    f->se_method = text_copy(pb->obj.loss == SLAW_LOSS_L2 ? se_l2 : se_robust);
    for (size_t j = 0; j < p; j++) f->se[j] = NAN;
    if (!r || !J) goto out;
    for (size_t k = 0; k < m; k++)
        if (!param_map_pinned(pm, best->u, k)) active[a++] = k;
    solver_raw_jacobian(s, best->u, r, J);
    double rss = 0;
    for (size_t i = 0; i < n; i++) rss += (d->w ? d->w[i] : 1.0) * r[i] * r[i];
    f->stats.sigma = n > a ? sqrt(rss / (double)(n - a)) : NAN;
    if (!a || n <= a) goto out;
    Ja = gsl_matrix_alloc(n, a);
    cov = gsl_matrix_alloc(a, a);
    if (!Ja || !cov) goto out;
    for (size_t i = 0; i < n; i++) {
        double sw = d->w ? sqrt(d->w[i]) : 1.0;
        for (size_t c = 0; c < a; c++) gsl_matrix_set(Ja, i, c, sw * J[i * m + active[c]]);
    }
    gsl_multifit_nlinear_covar(Ja, 1e-14, cov);
    double var = rss / (double)(n - a);
    for (size_t c = 0; c < a; c++)
        for (size_t e = 0; e < a; e++)
            cov_u[active[c] * m + active[e]] = var * gsl_matrix_get(cov, c, e);

    /* cov_natural = G cov_u G', G_jk = d(natural_j)/d(u_k). */
    param_map_slope(pm, best->u, slope);
    param_map_theta(pm, best->u, theta);
    double G[LAW_MAX_PARAMS][LAW_MAX_PARAMS] = {{0}};
    for (size_t j = 0; j < p; j++) {
        int k = pm->free_of[j];
        if (k < 0) continue;
        double scale = pb->law->params[j].scale == SCALE_LOG ? exp(theta[j]) : 1.0;
        G[j][k] = scale * slope[k];
    }
    for (size_t i = 0; i < p; i++)
        for (size_t j = 0; j < p; j++) {
            double sum = 0;
            for (size_t k = 0; k < m; k++)
                for (size_t l = 0; l < m; l++) sum += G[i][k] * cov_u[k * m + l] * G[j][l];
            f->cov[i * p + j] = sum;
        }
    for (size_t c = 0; c < a; c++)
        if (gsl_matrix_get(cov, c, c) == 0) {
            size_t j = pm->param_of[active[c]];
            fit_add_warning(f, "the runs do not determine %s: its column of the Jacobian is "
                               "(nearly) dependent on the others", pb->law->params[j].name);
        }
    for (size_t j = 0; j < p; j++) {
        int k = pm->free_of[j];
        bool counted = k >= 0 && !param_map_pinned(pm, best->u, (size_t)k);
        f->se[j] = counted ? sqrt(f->cov[j * p + j]) : NAN;
    }
out:
    gsl_matrix_free(Ja);
    gsl_matrix_free(cov);
    free(r);
    free(J);
}

/* Derived quantities and their standard errors by the delta method. */
static void derive(const slaw_law *law, slaw_fit *f)
{
    if (!law->n_derived) return;
    size_t p = law->n_params;
    double base[LAW_MAX_DERIVED], grad[LAW_MAX_DERIVED][LAW_MAX_PARAMS] = {{0}};
    law->derived(f->value, base);
    for (size_t j = 0; j < p; j++) {
        if (isnan(f->se[j]) && f->state[j] != SLAW_PARAM_TIED) continue;
        double v[LAW_MAX_PARAMS], hi[LAW_MAX_DERIVED], lo[LAW_MAX_DERIVED];
        double h = 1e-6 * fmax(fabs(f->value[j]), 1e-8);
        memcpy(v, f->value, sizeof v);
        v[j] = f->value[j] + h;
        law->derived(v, hi);
        v[j] = f->value[j] - h;
        law->derived(v, lo);
        for (size_t q = 0; q < law->n_derived; q++) grad[q][j] = (hi[q] - lo[q]) / (2 * h);
    }
    for (size_t q = 0; q < law->n_derived; q++) {
        double var = 0;
        for (size_t i = 0; i < p; i++)
            for (size_t j = 0; j < p; j++) var += grad[q][i] * f->cov[i * p + j] * grad[q][j];
        f->derived[q] = base[q];
        f->derived_se[q] = var >= 0 ? sqrt(var) : NAN;
    }
}

/* How well the optimum describes the runs. */
static void goodness(const problem *pb, solver *s, const start_result *best, slaw_fit *f)
{
    const dataset *d = pb->data;
    size_t n = d->n;
    double theta[LAW_MAX_PARAMS];
    double *lny = malloc(n * sizeof *lny);
    if (!lny) return;
    (void)s;
    param_map_theta(&pb->map, best->u, theta);
    pb->law->eval(theta, (law_inputs)d->lnx, n, lny, NULL);
    double sw = 0, mean = 0, ss_res = 0, ss_tot = 0, sq_log = 0;
    size_t n_log = 0;
    bool log_space = pb->obj.space == SLAW_SPACE_LOG;
    for (size_t i = 0; i < n; i++) {
        double w = d->w ? d->w[i] : 1.0;
        sw += w;
        mean += w * (log_space ? d->lny[i] : d->y[i]);
    }
    mean /= sw > 0 ? sw : 1.0;
    for (size_t i = 0; i < n; i++) {
        double w = d->w ? d->w[i] : 1.0;
        double t = log_space ? d->lny[i] : d->y[i];
        double r = log_space ? lny[i] - d->lny[i] : exp(lny[i]) - d->y[i];
        ss_res += w * r * r;
        ss_tot += w * (t - mean) * (t - mean);
        if (isfinite(d->lny[i])) {
            sq_log += (lny[i] - d->lny[i]) * (lny[i] - d->lny[i]);
            n_log++;
        }
    }
    size_t k = pb->map.m;
    f->stats.n = n;
    f->stats.n_free = k;
    f->stats.r2 = ss_tot > 0 ? 1.0 - ss_res / ss_tot : NAN;
    f->stats.rmse_log = n_log ? sqrt(sq_log / (double)n_log) : NAN;
    double ll = (double)n * log(ss_res / (double)n);
    f->stats.aic = ll + 2.0 * (double)k;
    f->stats.bic = ll + (double)k * log((double)n);
    free(lny);
}

/* ------------------------------------------------------------- one group */

static void fingerprint(const slaw_runs *runs, const size_t *rows, size_t n, const size_t *var_cols,
                        size_t n_vars, char out[65])
{
    sha256_ctx c;
    size_t ycol, wcol;
    bool has_w = slaw_runs_role_column(runs, SLAW_ROLE_WEIGHT, &wcol);
    slaw_runs_role_column(runs, SLAW_ROLE_L, &ycol);
    sha256_init(&c);
    for (size_t i = 0; i < n; i++) {
        char line[160];
        int len = 0;
        for (size_t v = 0; v < n_vars; v++)
            len += snprintf(line + len, sizeof line - (size_t)len, "%.17g,",
                            slaw_runs_value(runs, var_cols[v], rows[i]));
        len += snprintf(line + len, sizeof line - (size_t)len, "%.17g",
                        slaw_runs_value(runs, ycol, rows[i]));
        if (has_w)
            len += snprintf(line + len, sizeof line - (size_t)len, ",%.17g",
                            slaw_runs_value(runs, wcol, rows[i]));
        line[len++] = '\n';
        sha256_update(&c, line, (size_t)len);
    }
    sha256_hex(&c, out);
}

static void describe_data(const dataset *d, slaw_fit *f)
{
    for (size_t v = 0; v < d->n_vars; v++) {
        f->var_min[v] = INFINITY;
        f->var_max[v] = -INFINITY;
    }
    f->y_min = f->c_min = INFINITY;
    f->y_max = f->c_max = -INFINITY;
    for (size_t i = 0; i < d->n; i++) {
        if (d->n_vars == 2) {
            double c = 6.0 * exp(d->lnx[0][i] + d->lnx[1][i]);
            f->c_min = fmin(f->c_min, c);
            f->c_max = fmax(f->c_max, c);
        }
        for (size_t v = 0; v < d->n_vars; v++) {
            double x = exp(d->lnx[v][i]);
            f->var_min[v] = fmin(f->var_min[v], x);
            f->var_max[v] = fmax(f->var_max[v], x);
        }
        f->y_min = fmin(f->y_min, d->y[i]);
        f->y_max = fmax(f->y_max, d->y[i]);
    }
}

typedef struct fit_plan {
    const slaw_law *law;
    const slaw_fit_options *opt;
    objective obj;
    param_map map;
    size_t var_cols[LAW_MAX_VARS];
    int threads;
} fit_plan;

/* Which cluster each row belongs to: one per run, or one per value of the
 * --bootstrap-by column. */
static slaw_status clusters(const slaw_runs *runs, const group_rows *g, const char *by,
                            size_t *cluster_of, size_t *n_clusters, slaw_error *err)
{
    size_t col;
    if (!by) {
        for (size_t i = 0; i < g->n; i++) cluster_of[i] = i;
        *n_clusters = g->n;
        return SLAW_OK;
    }
    if (!slaw_runs_column_find(runs, by, &col))
        return error_set(err, SLAW_EUSAGE, NULL, 0, "--bootstrap-by %s: no such column", by);
    bool label = slaw_runs_column_is_label(runs, col);
    *n_clusters = 0;
    for (size_t i = 0; i < g->n; i++) {
        size_t k = 0, run = g->rows[i];
        for (; k < i; k++) {
            size_t other = g->rows[k];
            bool same = label ? !strcmp(slaw_runs_label(runs, col, run), slaw_runs_label(runs, col, other))
                              : slaw_runs_value(runs, col, run) == slaw_runs_value(runs, col, other);
            if (same) break;
        }
        cluster_of[i] = k < i ? cluster_of[k] : (*n_clusters)++;
    }
    if (*n_clusters < 2)
        return error_set(err, SLAW_EFIT, NULL, 0,
                         "--bootstrap-by %s: the runs have a single value of it; nothing to resample",
                         by);
    return SLAW_OK;
}

static slaw_status fit_group(const fit_plan *plan, const slaw_runs *runs, const group_rows *g,
                             slaw_fit *f, slaw_error *err)
{
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
            return error_set(err, SLAW_ENOMEM, NULL, 0, "out of memory");
    if (g->name && !(f->group = text_copy(g->name)))
        return error_set(err, SLAW_ENOMEM, NULL, 0, "out of memory");
    if ((st = dataset_build(runs, g->rows, g->n, law, plan->var_cols, plan->obj.space, &d, err)))
        return st;
    if ((st = check_degenerate(&d, &plan->map, law, f->vars, g->name, err))) goto out;
    dataset_summary(&d, &summary);
    if ((st = starts_build(law, plan->opt->grid, &summary, &plan->map, &grid, err))) goto out;

    problem pb = {law, &d, plan->obj, plan->map,
                  plan->opt->max_iter ? plan->opt->max_iter : DEFAULT_MAX_ITER};
    if ((st = search(&pb, &grid, plan->opt, plan->threads, &res, &n_res, err))) goto out;
    if (!(s = solver_new(&pb))) {
        st = error_set(err, SLAW_ENOMEM, NULL, 0, "out of memory");
        goto out;
    }
    start_result best_result;
    const start_result *best = &best_result;
    f->stats.starts = grid.n;
    if ((st = pick_best(s, res, n_res, g->name, &best_result, &f->stats, err))) goto out;

    double theta[LAW_MAX_PARAMS];
    param_map_theta(&pb.map, best->u, theta);
    for (size_t j = 0; j < law->n_params; j++) {
        f->value[j] = law_to_natural(law, j, theta[j]);
        f->state[j] = pb.map.state[j];
        int k = pb.map.free_of[j];
        if (k >= 0 && param_map_pinned(&pb.map, best->u, (size_t)k)) {
            f->state[j] = SLAW_PARAM_PINNED;
            fit_add_warning(f, "%s ended on its bound (%g): pinned, so its standard error is "
                               "not reported", law->params[j].name, f->value[j]);
        }
    }
    if (f->stats.reached_best == 1 && f->stats.polished > 1)
        fit_add_warning(f, "the best optimum was reached from only 1 of %zu polished starts: it "
                           "may not be the global optimum (try --polish all or a wider --grid)",
                        f->stats.polished);
    uncertainty(&pb, s, best, f);
    goodness(&pb, s, best, f);
    derive(law, f);
    describe_data(&d, f);
    if (plan->opt->bootstrap) {
        size_t *cluster_of = malloc(g->n * sizeof *cluster_of), n_clusters = 0;
        if (!cluster_of) {
            st = error_set(err, SLAW_ENOMEM, NULL, 0, "out of memory");
            goto out;
        }
        st = clusters(runs, g, plan->opt->bootstrap_by, cluster_of, &n_clusters, err);
        boot_job job = {&pb, &grid, best->u, cluster_of, n_clusters, plan->opt};
        if (st == SLAW_OK) st = bootstrap_run(&job, f, err);
        free(cluster_of);
        if (st != SLAW_OK) goto out;
    }
    fingerprint(runs, g->rows, g->n, plan->var_cols, law->n_vars, f->sha256);
out:
    solver_free(s);
    free(res);
    starts_free(&grid);
    dataset_free(&d);
    return st;
}

/* ------------------------------------------------------------ the entry */

static slaw_status apply_filters(slaw_runs *runs, const slaw_fit_options *opt, slaw_artifact *a,
                                 slaw_error *err)
{
    size_t total = opt->n_where + (opt->drop_top ? 1 : 0);
    a->filters = calloc(total ? total : 1, sizeof *a->filters);
    if (!a->filters) return error_set(err, SLAW_ENOMEM, NULL, 0, "out of memory");
    for (size_t i = 0; i < opt->n_where; i++) {
        char what[600];
        snprintf(what, sizeof what, "--where '%s'", opt->where[i]);
        filter_record *fr = &a->filters[a->n_filters++];
        if (!(fr->what = text_copy(what))) return error_set(err, SLAW_ENOMEM, NULL, 0, "out of memory");
        slaw_status st = slaw_runs_where(runs, opt->where[i], &fr->removed, err);
        if (st != SLAW_OK) return st;
    }
    if (opt->drop_top) {
        char what[64];
        snprintf(what, sizeof what, "--drop-top-loss %zu", opt->drop_top);
        filter_record *fr = &a->filters[a->n_filters++];
        if (!(fr->what = text_copy(what))) return error_set(err, SLAW_ENOMEM, NULL, 0, "out of memory");
        slaw_status st = slaw_runs_drop_top(runs, opt->drop_top, &fr->removed, err);
        if (st != SLAW_OK) return st;
    }
    if (slaw_runs_count(runs) == 0)
        return error_set(err, SLAW_EFIT, NULL, 0, "no runs left after filtering");
    return SLAW_OK;
}

slaw_status slaw_fit_runs(const slaw_runs *runs, const slaw_fit_options *opt, slaw_artifact **out,
                          slaw_error *err)
{
    fit_plan plan = {.opt = opt};
    slaw_artifact *a = NULL;
    slaw_runs *work = NULL;
    group_rows *groups = NULL;
    size_t n_groups = 0;
    slaw_status st;

    gsl_set_error_handler_off();
    if ((st = check_options(opt, &plan.law, &plan.obj, err))) return st;
    if ((st = param_map_build(plan.law, opt, &plan.map, err))) return st;
    plan.threads = opt->threads > 0 ? opt->threads : omp_get_max_threads();
    if (!(a = artifact_new()) || !(work = runs_clone(runs))) {
        st = error_set(err, SLAW_ENOMEM, NULL, 0, "out of memory");
        goto out;
    }
    a->runs_read = slaw_runs_count(runs);
    if ((st = apply_filters(work, opt, a, err))) goto out;
    if ((st = resolve_variables(work, plan.law, opt->x, plan.var_cols, err))) goto out;
    const char *x_column = plan.law->n_vars == 1 ? slaw_runs_column_name(work, plan.var_cols[0]) : NULL;
    if ((st = settings_record(&a->settings, opt, work, x_column))) {
        error_set(err, st, NULL, 0, "out of memory");
        goto out;
    }
    if ((st = split_groups(work, &groups, &n_groups, err))) goto out;
    a->fits = calloc(n_groups, sizeof *a->fits);
    if (!a->fits) {
        st = error_set(err, SLAW_ENOMEM, NULL, 0, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < n_groups; i++) {
        a->n_fits++;
        if ((st = fit_group(&plan, work, &groups[i], &a->fits[i], err))) goto out;
    }
out:
    groups_free(groups, n_groups);
    slaw_runs_free(work);
    if (st != SLAW_OK) {
        slaw_artifact_free(a);
        return st;
    }
    *out = a;
    return SLAW_OK;
}
