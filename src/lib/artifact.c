/* artifact.c — fit results and the settings they were made with: memory and
 * accessors (fitfile_write.c turns them into JSON, fitfile_read.c back). */
#include "fit.h"
#include "formula.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *text_copy(const char *s)
{
    return s ? strdup(s) : NULL;
}

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

void fit_add_warning(slaw_fit *f, const char *fmt, ...)
{
    char buf[512];
    if (f->n_warnings == FIT_MAX_WARNINGS) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    char *copy = text_copy(buf);
    if (copy) f->warnings[f->n_warnings++] = copy;
}

void fit_clear(slaw_fit *f)
{
    free(f->group);
    free(f->se_method);
    free(f->boot);
    free(f->joint_cov);
    free(f->hold_vars);
    free(f->hold_obs);
    free(f->hold_pred);
    for (size_t i = 0; i < f->n_warnings; i++) free(f->warnings[i]);
    for (size_t v = 0; v < LAW_MAX_VARS; v++) free(f->vars[v]);
    for (size_t k = 0; k < f->n_group_cols; k++) {
        free(f->group_col[k]);
        free(f->group_val[k]);
    }
    memset(f, 0, sizeof *f);
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
    free_list(s->where, s->n_where);
    free_list(s->per_columns, s->n_per_columns);
    for (int k = 0; k < SLAW_ROLE_COUNT; k++) free(s->role_column[k]);
    memset(s, 0, sizeof *s);
}

void slaw_artifact_free(slaw_artifact *a)
{
    if (!a) return;
    for (size_t i = 0; i < a->n_fits; i++) fit_clear(&a->fits[i]);
    free(a->fits);
    for (size_t i = 0; i < a->n_filters; i++) free(a->filters[i].what);
    free(a->filters);
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
    s->drop_top = opt->drop_top;
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
        !copy_list(&s->where, &s->n_where, opt->where, opt->n_where))
        return SLAW_ENOMEM;
    s->per = opt->per.keep;
    s->per_inverse_variance = opt->per.inverse_variance;
    if (s->per != SLAW_PER_NONE &&
        !copy_list(&s->per_columns, &s->n_per_columns, opt->per.columns, opt->per.n_columns))
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
    opt->drop_top = s->drop_top;
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
    opt->where = (const char *const *)s->where;
    opt->n_where = s->n_where;
    opt->per.keep = s->per;
    opt->per.columns = (const char *const *)s->per_columns;
    opt->per.n_columns = s->n_per_columns;
    opt->per.inverse_variance = s->per_inverse_variance;
    opt->per.space = s->space;
}

const char *slaw_artifact_role_column(const slaw_artifact *a, slaw_role role, bool *given)
{
    if (role >= SLAW_ROLE_COUNT) return NULL;
    if (given) *given = a->settings.role_given[role];
    return a->settings.role_column[role];
}

size_t slaw_artifact_runs_read(const slaw_artifact *a) { return a->runs_read; }
size_t slaw_artifact_filter_count(const slaw_artifact *a) { return a->n_filters; }

const char *slaw_artifact_filter(const slaw_artifact *a, size_t i, size_t *removed)
{
    if (i >= a->n_filters) return NULL;
    if (removed) *removed = a->filters[i].removed;
    return a->filters[i].what;
}

size_t slaw_artifact_fit_count(const slaw_artifact *a) { return a->n_fits; }

const slaw_fit *slaw_artifact_fit(const slaw_artifact *a, size_t i)
{
    return i < a->n_fits ? &a->fits[i] : NULL;
}

size_t slaw_artifact_failed_count(const slaw_artifact *a) { return a->n_failed; }

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

/* ------------------------------------------------------------- one fit */

const slaw_law *slaw_fit_law(const slaw_fit *f) { return f->law; }
const char *slaw_fit_group(const slaw_fit *f) { return f->group; }
size_t slaw_fit_group_column_count(const slaw_fit *f) { return f->n_group_cols; }

const char *slaw_fit_group_column(const slaw_fit *f, size_t k, const char **value)
{
    if (k >= f->n_group_cols) return NULL;
    if (value) *value = f->group_val[k];
    return f->group_col[k];
}
const double *slaw_fit_covariance(const slaw_fit *f) { return f->cov; }
const char *slaw_fit_stderr_method(const slaw_fit *f) { return f->se_method; }
size_t slaw_fit_warning_count(const slaw_fit *f) { return f->n_warnings; }
void slaw_fit_get_stats(const slaw_fit *f, slaw_fit_stats *out) { *out = f->stats; }

bool slaw_fit_joint_stats(const slaw_fit *f, slaw_fit_stats *out)
{
    if (f->joint) *out = f->joint_stats;
    return f->joint;
}

bool slaw_fit_param_shared(const slaw_fit *f, size_t i)
{
    return i < f->law->n_params && f->joint && f->shared[i];
}

double slaw_fit_value(const slaw_fit *f, size_t i)
{
    return i < f->law->n_params ? f->value[i] : NAN;
}

double slaw_fit_stderr(const slaw_fit *f, size_t i)
{
    return i < f->law->n_params ? f->se[i] : NAN;
}

slaw_param_state slaw_fit_param_state(const slaw_fit *f, size_t i)
{
    return i < f->law->n_params ? f->state[i] : SLAW_PARAM_FREE;
}

bool slaw_fit_identified(const slaw_fit *f, size_t i)
{
    return i < f->law->n_params ? f->identified[i] : false;
}

bool slaw_fit_derived_identified(const slaw_fit *f, size_t i)
{
    return i < f->law->n_derived ? f->derived_identified[i] : false;
}

const double *slaw_fit_correlation(const slaw_fit *f, double *condition)
{
    if (condition) *condition = f->has_corr ? f->condition : NAN;
    return f->has_corr ? f->corr : NULL;
}

bool slaw_fit_value_of(const slaw_fit *f, const char *name, double *value)
{
    for (size_t j = 0; j < f->law->n_params; j++)
        if (!strcmp(f->law->params[j].name, name)) {
            *value = f->value[j];
            return true;
        }
    return false;
}

double slaw_fit_derived(const slaw_fit *f, size_t i, double *stderr_out)
{
    if (i >= f->law->n_derived) return NAN;
    if (stderr_out) *stderr_out = f->derived_se[i];
    return f->derived[i];
}

const char *slaw_fit_warning(const slaw_fit *f, size_t i)
{
    return i < f->n_warnings ? f->warnings[i] : NULL;
}

void slaw_fit_data_range(const slaw_fit *f, size_t v, double *min, double *max)
{
    if (v < f->law->n_vars) {
        *min = f->var_min[v];
        *max = f->var_max[v];
    } else {
        *min = f->y_min;
        *max = f->y_max;
    }
}

size_t slaw_fit_bootstrap_count(const slaw_fit *f) { return f->n_boot; }
size_t slaw_fit_bootstrap_failures(const slaw_fit *f) { return f->boot_failures; }
size_t slaw_fit_bootstrap_fallbacks(const slaw_fit *f) { return f->boot_fallbacks; }

void slaw_fit_bootstrap_failed_why(const slaw_fit *f, size_t *no_convergence, size_t *pinned,
                                   size_t *non_finite)
{
    *no_convergence = f->boot_why[BOOT_FAILED_NO_CONVERGENCE];
    *pinned = f->boot_why[BOOT_FAILED_PINNED];
    *non_finite = f->boot_why[BOOT_FAILED_NON_FINITE];
}
double slaw_fit_bootstrap_level(const slaw_fit *f) { return f->boot_level; }

const double *slaw_fit_bootstrap_sample(const slaw_fit *f, size_t i)
{
    return i < f->n_boot ? f->boot + i * f->law->n_params : NULL;
}

bool slaw_fit_bootstrap_param(const slaw_fit *f, size_t i, double *se, double *lo, double *hi)
{
    if (f->n_boot < 2 || i >= f->law->n_params) return false;
    *se = f->boot_se[i];
    *lo = f->boot_lo[i];
    *hi = f->boot_hi[i];
    return true;
}

bool slaw_fit_bootstrap_derived(const slaw_fit *f, size_t i, double *se, double *lo, double *hi)
{
    if (f->n_boot < 2 || i >= f->law->n_derived) return false;
    *se = f->dboot_se[i];
    *lo = f->dboot_lo[i];
    *hi = f->dboot_hi[i];
    return true;
}

size_t slaw_fit_holdout_count(const slaw_fit *f) { return f->n_hold; }

void slaw_fit_holdout_run(const slaw_fit *f, size_t i, double *vars, double *observed,
                          double *predicted)
{
    if (i >= f->n_hold) return;
    for (size_t v = 0; v < f->law->n_vars; v++) vars[v] = f->hold_vars[i * f->law->n_vars + v];
    *observed = f->hold_obs[i];
    *predicted = f->hold_pred[i];
}

bool slaw_fit_holdout_errors(const slaw_fit *f, double *male, double *bias, double *max_abs)
{
    if (!f->n_hold) return false;
    *male = f->hold_male;
    *bias = f->hold_bias;
    *max_abs = f->hold_max;
    return true;
}

bool slaw_fit_compute_range(const slaw_fit *f, double *min, double *max)
{
    if (f->law->n_vars != 2) return false;
    *min = f->c_min;
    *max = f->c_max;
    return true;
}

const char *slaw_fit_variable(const slaw_fit *f, size_t v)
{
    return v < f->law->n_vars ? f->vars[v] : NULL;
}

double slaw_fit_predict(const slaw_fit *f, const double *vars)
{
    return slaw_law_eval(f->law, f->value, vars);
}
