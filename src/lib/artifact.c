/* artifact.c — the fit artifact in memory: the settings the fits were made
 * with, the filters, the groups that failed, and the calibration with its
 * levels (artifact_write.c turns it into JSON, artifact_read.c back). */
#include "artifact.h"
#include "formula.h"
#include "text.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

slaw_artifact *artifact_new(void)
{
    slaw_artifact *a = calloc(1, sizeof *a);
    if (!a) return NULL;
    a->format = ARTIFACT_FORMAT;
    a->slaw_version = text_copy(SLAW_VERSION);
    if (!a->slaw_version) {
        free(a);
        return NULL;
    }
    return a;
}

static void free_list(char **list, size_t n)
{
    for (size_t i = 0; i < n; i++) free(list[i]);
    free(list);
}

void settings_clear(fit_settings *s)
{
    free(s->law);
    free(s->formula);
    free(s->x);
    free(s->grid);
    free(s->bootstrap_by);
    free(s->holdout);
    free(s->shared);
    free_list(s->fix, s->n_fix);
    free_list(s->tie, s->n_tie);
    free_list(s->bound, s->n_bound);
    slaw_selection_free(s->selection);
    for (int k = 0; k < SLAW_ROLE_COUNT; k++) free(s->role_column[k]);
    memset(s, 0, sizeof *s);
}

void slaw_artifact_free(slaw_artifact *a)
{
    if (!a) return;
    for (size_t i = 0; i < a->n_fits; i++) fit_free_owned(&a->fits[i]);
    free(a->fits);
    free(a->removed);
    for (size_t i = 0; i < a->n_failed; i++) {
        free(a->failed[i].group);
        free(a->failed[i].reason);
    }
    free(a->failed);
    settings_clear(&a->settings);
    formula_law_free(a->own_law);
    free(a->slaw_version);
    free(a);
}

bool artifact_add_failure(slaw_artifact *a, const char *group, const char *reason)
{
    group_failure *grown = realloc(a->failed, (a->n_failed + 1) * sizeof *grown);
    if (!grown) return false;
    a->failed = grown;
    group_failure *g = &a->failed[a->n_failed];
    g->group = text_copy(group);
    g->reason = text_copy(reason);
    if (!g->group || !g->reason) {
        free(g->group);
        free(g->reason);
        return false;
    }
    a->n_failed++;
    return true;
}

static bool copy_list(char ***to, size_t *n_to, const char *const *from, size_t n)
{
    *n_to = 0;
    *to = calloc(n ? n : 1, sizeof **to);
    if (!*to) return false;
    for (size_t i = 0; i < n; i++) {
        if (!((*to)[i] = text_copy(from[i]))) return false;
        (*n_to)++;
    }
    return true;
}

slaw_status settings_record(fit_settings *s, const slaw_fit_options *opt, const slaw_runs *runs,
                            const char *x_column)
{
    s->space = opt->space;
    s->loss = opt->loss;
    s->loss_param = opt->loss_param;
    s->polish = opt->polish;
    s->max_iter = opt->max_iter;
    s->bootstrap = opt->bootstrap;
    s->seed = opt->seed;
    s->level = opt->level;
    s->interval = opt->interval != SLAW_INTERVAL_AUTO ? opt->interval
                  : opt->bootstrap                    ? SLAW_INTERVAL_BOOTSTRAP
                                                      : SLAW_INTERVAL_T;
    if (opt->bootstrap_by && !(s->bootstrap_by = text_copy(opt->bootstrap_by))) return SLAW_ENOMEM;
    if (opt->holdout && !(s->holdout = text_copy(opt->holdout))) return SLAW_ENOMEM;
    if (opt->shared && !(s->shared = text_copy(opt->shared))) return SLAW_ENOMEM;
    if (!(s->law = text_copy(opt->formula ? "formula" : opt->law))) return SLAW_ENOMEM;
    if (opt->formula && !(s->formula = text_copy(opt->formula))) return SLAW_ENOMEM;
    s->solver = opt->solver;
    if (x_column && !(s->x = text_copy(x_column))) return SLAW_ENOMEM;
    s->x_given = opt->x != NULL;
    if (opt->grid && !(s->grid = text_copy(opt->grid))) return SLAW_ENOMEM;
    if (!copy_list(&s->fix, &s->n_fix, opt->fix, opt->n_fix) ||
        !copy_list(&s->tie, &s->n_tie, opt->tie, opt->n_tie) ||
        !copy_list(&s->bound, &s->n_bound, opt->bound, opt->n_bound) ||
        !(s->selection = slaw_selection_copy(opt->selection)))
        return SLAW_ENOMEM;
    for (int k = 0; k < SLAW_ROLE_COUNT; k++) {
        size_t col;
        if (!slaw_runs_role_column(runs, (slaw_role)k, &col)) continue;
        slaw_role_source src = slaw_runs_role_source(runs, (slaw_role)k);
        if (src == SLAW_SOURCE_DERIVED) continue; /* derived again from the others */
        if (!(s->role_column[k] = text_copy(slaw_runs_column_name(runs, col)))) return SLAW_ENOMEM;
        s->role_given[k] = src == SLAW_SOURCE_OVERRIDE;
    }
    return SLAW_OK;
}

void slaw_artifact_options(const slaw_artifact *a, slaw_fit_options *opt)
{
    const fit_settings *s = &a->settings;
    slaw_fit_options_init(opt);
    opt->law = s->formula ? NULL : s->law;
    opt->formula = s->formula;
    opt->solver = s->solver;
    opt->x = s->x_given ? s->x : NULL; /* else N, detected again */
    opt->space = s->space;
    opt->loss = s->loss;
    opt->loss_param = s->loss_param;
    opt->grid = s->grid;
    opt->polish = s->polish;
    opt->max_iter = s->max_iter;
    opt->bootstrap = s->bootstrap;
    opt->seed = s->seed;
    opt->level = s->level;
    opt->interval = s->interval;
    opt->bootstrap_by = s->bootstrap_by;
    opt->holdout = s->holdout;
    opt->shared = s->shared;
    opt->fix = (const char *const *)s->fix;
    opt->n_fix = s->n_fix;
    opt->tie = (const char *const *)s->tie;
    opt->n_tie = s->n_tie;
    opt->bound = (const char *const *)s->bound;
    opt->n_bound = s->n_bound;
    opt->selection = s->selection;
}

const char *slaw_artifact_role_column(const slaw_artifact *a, slaw_role role, bool *given)
{
    if (role >= SLAW_ROLE_COUNT) return NULL;
    if (given) *given = a->settings.role_given[role];
    return a->settings.role_column[role];
}

size_t slaw_artifact_runs_read(const slaw_artifact *a)
{
    return a->runs_read;
}
const slaw_selection *slaw_artifact_selection(const slaw_artifact *a)
{
    return a->settings.selection;
}

size_t slaw_artifact_removed(const slaw_artifact *a, size_t step)
{
    return a->removed && step < slaw_selection_count(a->settings.selection) ? a->removed[step] : 0;
}

size_t slaw_artifact_fit_count(const slaw_artifact *a)
{
    return a->n_fits;
}

const slaw_fit *slaw_artifact_fit(const slaw_artifact *a, size_t i)
{
    return i < a->n_fits ? &a->fits[i] : NULL;
}

size_t slaw_artifact_failed_count(const slaw_artifact *a)
{
    return a->n_failed;
}

const char *slaw_artifact_failed(const slaw_artifact *a, size_t i, const char **reason)
{
    if (i >= a->n_failed) return NULL;
    if (reason) *reason = a->failed[i].reason;
    return a->failed[i].group;
}

const char *slaw_artifact_group_failure(const slaw_artifact *a, const char *group)
{
    for (size_t i = 0; group && i < a->n_failed; i++)
        if (!strcmp(a->failed[i].group, group)) return a->failed[i].reason;
    return NULL;
}

void artifact_link_calibration(slaw_artifact *a)
{
    for (size_t i = 0; i < a->n_fits; i++) a->fits[i].calib = a->calibrated ? a->calib : NULL;
}

bool slaw_artifact_calibration(const slaw_artifact *a, size_t i, slaw_coverage *out)
{
    if (!a->calibrated || i >= SLAW_COVERAGE_LEVELS) return false;
    *out = a->calib[i];
    return true;
}

/* The levels at which a rollout calibrates (slaw_coverage_level). */
static const double levels[SLAW_COVERAGE_LEVELS] = {0.5, 0.8, 0.9, 0.95};

double slaw_coverage_level(size_t i)
{
    return i < SLAW_COVERAGE_LEVELS ? levels[i] : NAN;
}

/* Wilson's score interval at 95% for k successes in n trials: unlike the
 * normal approximation it stays inside [0, 1] and is fair at 0 or n. */
void coverage_wilson(size_t k, size_t n, double *lo, double *hi)
{
    if (!n) {
        *lo = *hi = NAN;
        return;
    }
    double z = gsl_cdf_ugaussian_Pinv(0.975), p = (double)k / (double)n, m = (double)n;
    double centre = (p + z * z / (2 * m)) / (1 + z * z / m);
    double half = z / (1 + z * z / m) * sqrt(p * (1 - p) / m + z * z / (4 * m * m));
    *lo = fmax(0, centre - half);
    *hi = fmin(1, centre + half);
}

void artifact_link_intervals(slaw_artifact *a)
{
    for (size_t i = 0; i < a->n_fits; i++) {
        a->fits[i].interval = a->settings.interval;
        a->fits[i].level = a->settings.level;
    }
}
