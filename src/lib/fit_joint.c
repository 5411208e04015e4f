/* fit_joint.c — one least-squares problem over every group, some parameters
 * common to all groups (shared) and the others fitted per group.
 *
 * The runs are laid out group after group; the joint parameter vector holds
 * each shared parameter once and each other parameter once per group.  The
 * law is evaluated group by group with that group's parameters, and its
 * Jacobian columns are spread into the joint columns, so the solver, the
 * search and the bootstrap work on the joint problem unchanged.  The start
 * grid is screened per shared tuple: for each combination of the shared
 * parameters on the law's grid, each group takes its own best grid point,
 * so the grid grows with the groups, not as a power of them. */
#include "fit_joint.h"
#include "fit_data.h"
#include "fit_holdout.h"
#include "text.h"
#include "uncertainty.h"

#include <gsl/gsl_matrix.h>
#include <gsl/gsl_multifit_nlinear.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static void joint_free(joint *jt)
{
    free(jt->index);
    free(jt->first);
    free(jt->base);
}

/* Reads the shared names ("alpha,beta"; natural or internal names) and
 * lays out the joint parameters: shared first, then each group's own. */
static slaw_status joint_build(const slaw_law *law, const char *spec, size_t n_groups, joint *jt,
                               slaw_error *err)
{
    size_t p = law->n_params, n_shared = 0;
    memset(jt, 0, sizeof *jt);
    jt->law = law;
    jt->n_groups = n_groups;
    for (const char *at = spec; *at;) {
        size_t len = strcspn(at, ",");
        bool internal;
        size_t j = len ? law_param_index(law, at, len, &internal) : SIZE_MAX;
        if (j == SIZE_MAX)
            return error_set(err, SLAW_EUSAGE, NULL, 0,
                             "shared '%s': law %s has no parameter '%.*s'", spec, law->name,
                             (int)len, at);
        if (jt->shared[j])
            return error_set(err, SLAW_EUSAGE, NULL, 0, "shared '%s': %s is named twice", spec,
                             law->params[j].name);
        jt->shared[j] = true;
        n_shared++;
        at += len + (at[len] == ',');
    }
    if (!n_shared)
        return error_set(err, SLAW_EUSAGE, NULL, 0, "shared '%s': name at least one parameter",
                         spec);
    if (n_groups < 2)
        return error_set(err, SLAW_EUSAGE, NULL, 0,
                         "shared %s: a joint fit needs runs in two groups or more (found %zu)",
                         spec, n_groups);
    size_t own = p - n_shared;
    if (n_shared + own * n_groups > FIT_MAX_PARAMS)
        return error_set(err, SLAW_ELIMIT, NULL, 0,
                         "shared %s: %zu groups of %zu own parameters make %zu, more than the %d "
                         "a joint fit takes",
                         spec, n_groups, own, n_shared + own * n_groups, FIT_MAX_PARAMS);
    jt->P = n_shared + own * n_groups;
    jt->index = malloc(n_groups * p * sizeof *jt->index);
    jt->first = calloc(n_groups + 1, sizeof *jt->first);
    jt->base = malloc(jt->P * sizeof *jt->base);
    if (!jt->index || !jt->first || !jt->base) return error_nomem(err);
    size_t next = 0;
    for (size_t j = 0; j < p; j++)
        if (jt->shared[j]) {
            for (size_t g = 0; g < n_groups; g++) jt->index[g * p + j] = next;
            jt->base[next++] = j;
        }
    for (size_t g = 0; g < n_groups; g++)
        for (size_t j = 0; j < p; j++)
            if (!jt->shared[j]) {
                jt->index[g * p + j] = next;
                jt->base[next++] = j;
            }
    return SLAW_OK;
}

/* The law's map (fix, tie, bound) repeated over the joint parameters: a
 * free parameter of the law becomes one free parameter when shared and one
 * per group otherwise. */
static slaw_status joint_map(const joint *jt, const param_map *lm, param_map *out, slaw_error *err)
{
    size_t p = lm->p, G = jt->n_groups, first_free[LAW_MAX_PARAMS], m = 0;
    bool free_shared[LAW_MAX_PARAMS];
    memset(out, 0, sizeof *out);
    for (size_t k = 0; k < lm->m; k++) {
        free_shared[k] = jt->shared[lm->param_of[k]];
        for (size_t j = 0; j < p; j++)
            if (lm->free_of[j] == (int)k && jt->shared[j] != free_shared[k])
                return error_set(err, SLAW_EUSAGE, NULL, 0,
                                 "tie: %s and %s are tied, so both must be shared or neither",
                                 jt->law->params[j].name, jt->law->params[lm->param_of[k]].name);
        first_free[k] = m;
        m += free_shared[k] ? 1 : G;
    }
    out->p = jt->P;
    out->m = m;
    for (size_t g = 0; g < G; g++)
        for (size_t j = 0; j < p; j++) {
            size_t K = jt->index[g * p + j];
            int k = lm->free_of[j];
            out->state[K] = lm->state[j];
            out->fixed[K] = lm->fixed[j];
            out->free_of[K] = k < 0 ? -1 : (int)(first_free[k] + (free_shared[k] ? 0 : g));
            if (k < 0) continue;
            size_t f = (size_t)out->free_of[K];
            out->kind[f] = lm->kind[k];
            out->lo[f] = lm->lo[k];
            out->hi[f] = lm->hi[k];
            out->param_of[f] = jt->index[g * p + lm->param_of[k]];
        }
    return SLAW_OK;
}

/* ------------------------------------------------------------ the starts */

typedef struct keyed {
    double key[LAW_MAX_PARAMS]; /* the shared parameters of grid point i */
    size_t n, i;
} keyed;

static int compare_keyed(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    for (size_t k = 0; k < x->n; k++)
        if (x->key[k] != y->key[k]) return (x->key[k] > y->key[k]) - (x->key[k] < y->key[k]);
    return (x->i > y->i) - (x->i < y->i);
}

/* The objective of one group at law parameters theta (NaN where it or a
 * parameter's natural value is not finite).  Not through a solver: a group
 * may have fewer runs than the law has parameters, which a joint fit allows
 * and a solver's workspace does not. */
static double group_cost(const problem *pg, const double *theta, double *lny, double *r)
{
    const slaw_law *law = pg->law;
    for (size_t j = 0; j < law->n_params; j++) {
        double v = law_to_natural(law, j, theta[j]);
        if (!isfinite(v) || (law->params[j].scale == SCALE_LOG && !(v > 0))) return NAN;
    }
    problem_eval(pg, theta, 0, pg->data->n, lny, NULL);
    objective_raw(&pg->obj, pg->data, lny, r, NULL, law->n_params);
    double c = objective_value(&pg->obj, pg->data, r);
    return isfinite(c) ? c : NAN;
}

/* The objective of every grid point on every group: cost[g * n + i]; the
 * grids are each group's (the default grid is centred on the group's data). */
static slaw_status screen_groups(const problem *jpb, const param_map *lm, const char *spec,
                                 start_grid *grids, double **cost, slaw_error *err)
{
    const joint *jt = jpb->joint;
    for (size_t g = 0; g < jt->n_groups; g++) {
        dataset view = dataset_rows(jpb->data, jt->first[g], jt->first[g + 1] - jt->first[g]);
        data_summary sum;
        dataset_summary(&view, &sum);
        slaw_status st = starts_build(jt->law, spec, &sum, lm, &grids[g], err);
        if (st != SLAW_OK) return st;
    }
    size_t n = grids[0].n;
    if (!(*cost = malloc(jt->n_groups * n * sizeof **cost))) return error_nomem(err);
    size_t most = 0;
    for (size_t g = 0; g < jt->n_groups; g++)
        if (jt->first[g + 1] - jt->first[g] > most) most = jt->first[g + 1] - jt->first[g];
    double *lny = malloc((most ? most : 1) * sizeof *lny),
           *r = malloc((most ? most : 1) * sizeof *r);
    if (!lny || !r) {
        free(lny);
        free(r);
        return error_nomem(err);
    }
    for (size_t g = 0; g < jt->n_groups; g++) {
        dataset view = dataset_rows(jpb->data, jt->first[g], jt->first[g + 1] - jt->first[g]);
        problem pg = {jt->law, &view, jpb->obj, *lm, jpb->max_iter, NULL, jpb->method};
        for (size_t i = 0; i < n; i++)
            (*cost)[g * n + i] = group_cost(&pg, grids[g].theta + i * grids[g].p, lny, r);
    }
    free(lny);
    free(r);
    return SLAW_OK;
}

/* One joint start per tuple of shared values on the grid, each group's own
 * parameters from its best grid point with that tuple. */
static slaw_status joint_starts(const problem *jpb, const param_map *lm, const char *spec,
                                start_grid *out, size_t *law_points, slaw_error *err)
{
    const joint *jt = jpb->joint;
    const slaw_law *law = jt->law;
    size_t G = jt->n_groups, p = law->n_params, P = jt->P, n = 0, made = 0;
    start_grid *grids = calloc(G, sizeof *grids);
    double *cost = NULL;
    keyed *keys = NULL;
    size_t *pick = malloc(G * sizeof *pick);
    slaw_status st = grids && pick ? SLAW_OK : error_nomem(err);
    if (st == SLAW_OK) st = screen_groups(jpb, lm, spec, grids, &cost, err);
    if (st != SLAW_OK) goto out;
    n = grids[0].n;
    if (!(keys = malloc(n * sizeof *keys)) || !(out->theta = malloc(n * P * sizeof *out->theta))) {
        st = error_nomem(err);
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        keys[i].n = keys[i].i = 0;
        for (size_t j = 0; j < p; j++)
            if (jt->shared[j]) keys[i].key[keys[i].n++] = grids[0].theta[i * p + j];
        keys[i].i = i;
    }
    qsort(keys, n, sizeof *keys, compare_keyed);
    for (size_t lo = 0, hi; lo < n; lo = hi) {
        for (hi = lo + 1;
             hi < n && !memcmp(keys[hi].key, keys[lo].key, keys[lo].n * sizeof(double)); hi++)
            ;
        bool complete = true;
        for (size_t g = 0; g < G && complete; g++) {
            pick[g] = SIZE_MAX;
            for (size_t r = lo; r < hi; r++) {
                size_t i = keys[r].i;
                if (isfinite(cost[g * n + i]) &&
                    (pick[g] == SIZE_MAX || cost[g * n + i] < cost[g * n + pick[g]]))
                    pick[g] = i;
            }
            complete = pick[g] != SIZE_MAX;
        }
        if (!complete) continue;
        double *theta = out->theta + made++ * P;
        for (size_t g = 0; g < G; g++)
            for (size_t j = 0; j < p; j++)
                theta[jt->index[g * p + j]] = jt->shared[j] ? grids[0].theta[keys[lo].i * p + j]
                                                            : grids[g].theta[pick[g] * p + j];
    }
    out->n = made;
    out->p = P;
    *law_points = n;
    if (!made)
        st = error_set_option(err, SLAW_EFIT, "grid",
                              "the objective is not finite at any of the %zu start points in some "
                              "group; give starts near the data with grid",
                              n);
out:
    for (size_t g = 0; g < G && grids; g++) starts_free(&grids[g]);
    free(grids);
    free(cost);
    free(keys);
    free(pick);
    return st;
}

/* --------------------------------------------------------- the results */

static const char se_joint[] =
    "covariance of the joint least-squares fit over every group, (J'WJ)^-1 times the residual "
    "variance";
static const char se_joint_robust[] =
    "covariance of a joint least-squares fit over every group at this optimum, (J'WJ)^-1 times "
    "the variance of the residuals: an approximation for this loss (bootstrap resamples give "
    "intervals)";

/* Natural-scale covariance (P × P) and standard errors of the joint
 * parameters at the optimum, as fit_uncertainty computes them for one law;
 * undetermined[K] marks a parameter whose Jacobian column is dependent. */
static void joint_uncertainty(const problem *pb, solver *s, const start_result *best, double *cov,
                              double *se, double *sigma, bool *undetermined)
{
    const param_map *pm = &pb->map;
    const dataset *d = pb->data;
    size_t n = d->n, used = dataset_count(d), m = pm->m, P = pm->p, active[FIT_MAX_PARAMS], a = 0;
    double *r = malloc(n * sizeof *r), *J = malloc(n * m * sizeof *J);
    double *cov_u = calloc(m * m + 1, sizeof *cov_u), slope[FIT_MAX_PARAMS], theta[FIT_MAX_PARAMS];
    gsl_matrix *Ja = NULL, *c = NULL;
    for (size_t K = 0; K < P * P; K++) cov[K] = 0;
    for (size_t K = 0; K < P; K++) {
        se[K] = NAN;
        undetermined[K] = false;
    }
    *sigma = NAN;
    if (!r || !J || !cov_u) goto out;
    for (size_t k = 0; k < m; k++)
        if (!param_map_pinned(pm, best->u, k)) active[a++] = k;
    solver_raw_jacobian(s, best->u, r, J);
    double rss = 0;
    for (size_t i = 0; i < n; i++) rss += (d->w ? d->w[i] : 1.0) * r[i] * r[i];
    if (used <= a) goto out;
    *sigma = sqrt(rss / (double)(used - a));
    if (!a || !(Ja = gsl_matrix_alloc(n, a)) || !(c = gsl_matrix_alloc(a, a))) goto out;
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < a; k++)
            gsl_matrix_set(Ja, i, k, (d->sw ? d->sw[i] : 1.0) * J[i * m + active[k]]);
    gsl_multifit_nlinear_covar(Ja, 1e-14, c);
    double var = rss / (double)(used - a);
    for (size_t k = 0; k < a; k++)
        for (size_t e = 0; e < a; e++)
            cov_u[active[k] * m + active[e]] = var * gsl_matrix_get(c, k, e);
    param_map_slope(pm, best->u, slope);
    param_map_theta(pm, best->u, theta);
    double G[FIT_MAX_PARAMS] = {0}; /* d natural_K / d u_free_of[K] */
    for (size_t K = 0; K < P; K++) {
        int k = pm->free_of[K];
        if (k < 0) continue;
        bool log_scale = pb->law->params[pb->joint->base[K]].scale == SCALE_LOG;
        G[K] = (log_scale ? exp(theta[K]) : 1.0) * slope[k];
    }
    for (size_t K = 0; K < P; K++)
        for (size_t L = 0; L < P; L++)
            if (pm->free_of[K] >= 0 && pm->free_of[L] >= 0)
                cov[K * P + L] = G[K] * G[L] * cov_u[pm->free_of[K] * m + pm->free_of[L]];
    for (size_t k = 0; k < a; k++)
        if (gsl_matrix_get(c, k, k) == 0) undetermined[pm->param_of[active[k]]] = true;
    for (size_t K = 0; K < P; K++) {
        int k = pm->free_of[K];
        if (k >= 0 && !param_map_pinned(pm, best->u, (size_t)k))
            se[K] = fabs(G[K]) * sqrt(cov_u[k * m + k]);
    }
out:
    gsl_matrix_free(Ja);
    gsl_matrix_free(c);
    free(cov_u);
    free(r);
    free(J);
}

/* Group g's share of the objective and its goodness of fit at θ_g: the law
 * alone on the group's rows, every parameter held. */
static void group_goodness(const problem *jpb, size_t g, const double *theta_g, slaw_fit *f)
{
    const joint *jt = jpb->joint;
    size_t p = jt->law->n_params, from = jt->first[g], n = jt->first[g + 1] - from, k = 0;
    dataset view = dataset_rows(jpb->data, from, n);
    problem pg = {jt->law, &view, jpb->obj, {.p = p}, jpb->max_iter, NULL, jpb->method};
    bool counted[FIT_MAX_PARAMS] = {false};
    for (size_t j = 0; j < p; j++) {
        pg.map.free_of[j] = -1;
        pg.map.fixed[j] = theta_g[j];
        int free = jpb->map.free_of[jt->index[g * p + j]];
        if (free >= 0 && !counted[free]) {
            counted[free] = true;
            k++;
        }
    }
    start_result at = {.cost = 0};
    fit_goodness(&pg, &at, NULL, f);
    f->stats.n_free = k;
    f->stats.aic += 2.0 * (double)k;
    f->stats.bic += (double)k * log((double)f->stats.n);
    double *lny = malloc(n * sizeof *lny), *r = malloc(n * sizeof *r);
    f->stats.objective = NAN;
    if (lny && r) {
        problem_eval(&pg, theta_g, 0, n, lny, NULL);
        objective_raw(&jpb->obj, &view, lny, r, NULL, p);
        f->stats.objective = objective_value(&jpb->obj, &view, r);
    }
    free(lny);
    free(r);
}

/* Group g's parameters, their states, covariance and standard errors. */
static void group_values(const problem *jpb, const start_result *best, const double *theta,
                         const double *cov, const double *se, const bool *undetermined, size_t g,
                         slaw_fit *f)
{
    const joint *jt = jpb->joint;
    const slaw_law *law = jt->law;
    size_t p = law->n_params, P = jt->P;
    const size_t *ix = jt->index + g * p;
    f->joint = true;
    for (size_t j = 0; j < p; j++) {
        size_t K = ix[j];
        int k = jpb->map.free_of[K];
        f->shared[j] = jt->shared[j];
        f->value[j] = law_to_natural(law, j, theta[K]);
        f->se[j] = se[K];
        f->state[j] = jpb->map.state[K];
        if (k >= 0 && param_map_pinned(&jpb->map, best->u, (size_t)k))
            f->state[j] = SLAW_PARAM_PINNED;
        for (size_t i = 0; i < p; i++) f->cov[i * p + j] = cov[ix[i] * P + K];
        if (f->state[j] == SLAW_PARAM_PINNED)
            fit_add_warning(f,
                            "%s ended on its bound (%g): pinned, so its standard error is "
                            "not reported",
                            law->params[j].name, f->value[j]);
    }
    bool singular[LAW_MAX_PARAMS] = {false};
    for (size_t j = 0; j < p; j++) singular[j] = undetermined[ix[j]] || !(f->se[j] > 0);
    fit_identify_each(f, singular);
}

/* ------------------------------------------------------------ the fit */

typedef struct joint_data {
    bool own_train;    /* train rows were allocated by the holdout */
    group_rows *train; /* per group: the runs fitted */
    size_t **held;     /* per group: the runs held out */
    size_t *n_held;
    size_t *rows; /* every group's fitted runs, group after group */
} joint_data;

static void joint_data_free(joint_data *jd, size_t G)
{
    for (size_t g = 0; g < G; g++) {
        if (jd->held) free(jd->held[g]);
        if (jd->train && jd->own_train) free(jd->train[g].rows);
    }
    free(jd->train);
    free(jd->held);
    free(jd->n_held);
    free(jd->rows);
}

/* The runs of each group to fit (after any holdout), and their layout. */
static slaw_status joint_rows(const fit_plan *plan, const slaw_runs *runs, const group_rows *groups,
                              joint *jt, joint_data *jd, slaw_error *err)
{
    size_t G = jt->n_groups, total = 0;
    jd->train = calloc(G, sizeof *jd->train);
    jd->held = calloc(G, sizeof *jd->held);
    jd->n_held = calloc(G, sizeof *jd->n_held);
    if (!jd->train || !jd->held || !jd->n_held) return error_nomem(err);
    jd->own_train = plan->opt->holdout != NULL;
    for (size_t g = 0; g < G; g++) {
        jd->train[g] = groups[g];
        if (jd->own_train) {
            jd->train[g] = (group_rows){0};
            slaw_status st = holdout_split(runs, &groups[g], plan->opt->holdout, plan->var_cols,
                                           &jd->train[g], &jd->held[g], &jd->n_held[g], err);
            if (st != SLAW_OK) return st;
        }
        total += jd->train[g].n;
    }
    if (!(jd->rows = malloc(total * sizeof *jd->rows))) return error_nomem(err);
    for (size_t g = 0; g < G; g++) {
        jt->first[g + 1] = jt->first[g] + jd->train[g].n;
        memcpy(jd->rows + jt->first[g], jd->train[g].rows, jd->train[g].n * sizeof *jd->rows);
    }
    return SLAW_OK;
}

/* Each group checked as a fit of its own parameters (shared ones count
 * for the joint problem, not for a group). */
static slaw_status joint_check(const fit_plan *plan, const joint *jt, const dataset *d,
                               const param_map *jm, slaw_fit *fits, slaw_error *err)
{
    size_t p = plan->law->n_params;
    for (size_t g = 0; g < jt->n_groups; g++) {
        dataset view = dataset_rows(d, jt->first[g], jt->first[g + 1] - jt->first[g]);
        param_map own = plan->map;
        bool counted[FIT_MAX_PARAMS] = {false};
        own.m = 0;
        for (size_t j = 0; j < p; j++) {
            int k = jm->free_of[jt->index[g * p + j]];
            if (jt->shared[j] || k < 0 || counted[k]) continue;
            counted[k] = true;
            own.m++;
        }
        slaw_status st =
            fit_check_degenerate(&view, &own, plan->law, fits[g].vars, fits[g].group, err);
        if (st != SLAW_OK) return st;
    }
    return SLAW_OK;
}

/* Resamples within each group (clusters of --bootstrap-by inside it) and
 * hands each group its parameters from every resample. */
static slaw_status joint_bootstrap(const fit_plan *plan, const slaw_runs *runs,
                                   const joint_data *jd, const problem *jpb, const start_grid *grid,
                                   const double *best_u, slaw_fit *fits, slaw_error *err)
{
    const joint *jt = jpb->joint;
    size_t G = jt->n_groups, n = jpb->data->n, p = plan->law->n_params, P = jt->P;
    size_t *cluster_of = malloc(n * sizeof *cluster_of), *strata = calloc(G + 1, sizeof *strata);
    boot_result r = {0};
    slaw_status st = cluster_of && strata ? SLAW_OK : error_nomem(err);
    for (size_t g = 0; g < G && st == SLAW_OK; g++) {
        size_t k = 0, *at = cluster_of + jt->first[g];
        st = groups_clusters(runs, &jd->train[g], plan->opt->bootstrap_by, at, &k, err);
        for (size_t i = 0; i < jd->train[g].n; i++) at[i] += strata[g];
        strata[g + 1] = strata[g] + k;
    }
    if (st == SLAW_OK) {
        boot_job job = {jpb,    grid, best_u,    cluster_of,   strata[G],
                        strata, G,    plan->opt, plan->threads};
        st = bootstrap_samples(&job, &r, err);
    }
    for (size_t g = 0; g < G && st == SLAW_OK; g++) {
        double *mine = malloc((r.kept ? r.kept : 1) * p * sizeof *mine);
        if (!mine) {
            st = error_nomem(err);
            break;
        }
        for (size_t b = 0; b < r.kept; b++)
            for (size_t j = 0; j < p; j++)
                mine[b * p + j] = r.samples[b * P + jt->index[g * p + j]];
        bootstrap_store(&fits[g], &r, mine, plan->opt->level);
    }
    free(r.samples);
    free(strata);
    free(cluster_of);
    return st;
}

/* Everything known about each group once the joint optimum is found. */
static slaw_status joint_record(const fit_plan *plan, const slaw_runs *runs, const joint_data *jd,
                                const problem *jpb, solver *s, const start_result *best,
                                const slaw_fit_stats *search, slaw_fit *fits, slaw_error *err)
{
    const joint *jt = jpb->joint;
    size_t P = jt->P, p = plan->law->n_params;
    double *cov = malloc(P * P * sizeof *cov), se[FIT_MAX_PARAMS], theta[FIT_MAX_PARAMS], sigma;
    bool undetermined[FIT_MAX_PARAMS];
    slaw_fit whole = {0};
    if (!cov) return error_nomem(err);
    joint_uncertainty(jpb, s, best, cov, se, &sigma, undetermined);
    param_map_theta(&jpb->map, best->u, theta);
    fit_goodness(jpb, best, NULL, &whole);
    whole.stats.objective = best->cost;
    whole.stats.sigma = sigma;
    slaw_status st = SLAW_OK;
    for (size_t g = 0; g < jt->n_groups && st == SLAW_OK; g++) {
        slaw_fit *f = &fits[g];
        double theta_g[LAW_MAX_PARAMS];
        for (size_t j = 0; j < p; j++) theta_g[j] = theta[jt->index[g * p + j]];
        if (!(f->se_method =
                  text_copy(plan->obj.loss == SLAW_LOSS_L2 ? se_joint : se_joint_robust))) {
            st = error_nomem(err);
            break;
        }
        f->stats = *search;
        group_values(jpb, best, theta, cov, se, undetermined, g, f);
        if (!(f->joint_cov = malloc(P * P * sizeof *f->joint_cov))) {
            st = error_nomem(err);
            break;
        }
        memcpy(f->joint_cov, cov, P * P * sizeof *cov);
        f->joint_P = P;
        for (size_t j = 0; j < p; j++) f->joint_index[j] = jt->index[g * p + j];
        group_goodness(jpb, g, theta_g, f);
        f->stats.sigma = sigma;
        f->joint_stats = whole.stats;
        f->joint_stats.iterations = search->iterations;
        if (search->reached_best == 1 && search->polished > 1)
            fit_add_warning(
                f,
                "the best optimum was reached from only 1 of %zu polished starts: it "
                "may not be the global optimum (try polishing every start or a wider grid)",
                search->polished);
        fit_derive(plan->law, f);
        fit_describe_data(runs, &jd->train[g], plan->var_cols, plan->law->n_vars, f);
        if (jd->held[g] &&
            holdout_evaluate(f, runs, jd->held[g], jd->n_held[g], plan->var_cols) != SLAW_OK)
            st = error_nomem(err);
        if (st == SLAW_OK && !fit_keep_fingerprint(runs, jd->train[g].rows, jd->train[g].n,
                                                   plan->var_cols, plan->law->n_vars, f))
            st = error_nomem(err);
    }
    fit_clear(&whole);
    free(cov);
    return st;
}

slaw_status fit_joint(const fit_plan *plan, const slaw_runs *runs, const group_rows *groups,
                      size_t n_groups, slaw_fit *fits, slaw_error *err)
{
    const slaw_law *law = plan->law;
    joint jt = {0};
    joint_data jd = {0};
    dataset d = {0};
    start_grid grid = {0};
    start_result *res = NULL, best;
    size_t n_res = 0, law_points = 0;
    solver *s = NULL;
    slaw_fit_stats search = {0};
    problem pb = {law, &d, plan->obj, {0}, plan->opt->max_iter, &jt, plan->opt->solver};
    slaw_status st;

    for (size_t g = 0; g < n_groups; g++) {
        fits[g].law = law;
        for (size_t v = 0; v < law->n_vars; v++)
            if (!(fits[g].vars[v] = text_copy(slaw_runs_column_name(runs, plan->var_cols[v]))))
                return error_nomem(err);
        if (groups[g].name && !(fits[g].group = text_copy(groups[g].name))) return error_nomem(err);
    }
    if ((st = joint_build(law, plan->opt->shared, n_groups, &jt, err))) goto out;
    if ((st = joint_map(&jt, &plan->map, &pb.map, err))) goto out;
    if ((st = joint_rows(plan, runs, groups, &jt, &jd, err))) goto out;
    if ((st = dataset_build(runs, jd.rows, jt.first[n_groups], law, plan->var_cols, plan->obj.space,
                            &d, err)))
        goto out;
    if ((st = joint_check(plan, &jt, &d, &pb.map, fits, err))) goto out;
    if ((st = joint_starts(&pb, &plan->map, plan->opt->grid, &grid, &law_points, err))) goto out;
    if (!(s = solver_new(&pb))) {
        st = error_nomem(err);
        goto out;
    }
    if ((st = fit_search(&pb, &grid, plan->opt, plan->threads, s, &res, &n_res, err))) goto out;
    search.starts = law_points;
    if ((st = fit_pick_best(s, res, n_res, NULL, &best, &search, err))) goto out;
    if ((st = fit_settle_bounds(&pb, &s, &best, err))) goto out;
    search.objective = best.cost;
    search.iterations = best.iterations;
    if ((st = joint_record(plan, runs, &jd, &pb, s, &best, &search, fits, err))) goto out;
    if (plan->opt->bootstrap) st = joint_bootstrap(plan, runs, &jd, &pb, &grid, best.u, fits, err);
out:
    solver_free(s);
    free(res);
    starts_free(&grid);
    dataset_free(&d);
    joint_data_free(&jd, n_groups);
    joint_free(&jt);
    return st;
}
