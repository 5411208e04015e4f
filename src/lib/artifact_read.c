/* artifact_read.c — a fit artifact read back from JSON and checked: a file
 * that is not a valid artifact is refused with the reason. */
#include "artifact_file.h"
#include "artifact.h"
#include "byte_source.h"
#include "formula.h"
#include "json_scan.h"
#include "solver_params.h"
#include "text.h"
#include "uncertainty.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef fitfile_reader reader;

static const cJSON *member(const cJSON *o, const char *key)
{
    return cJSON_GetObjectItemCaseSensitive(o, key);
}

/* A finite number: cJSON reads a literal too large for a double (1e999) as
 * an infinity, which slaw never writes (it writes null). */
static bool is_finite_number(const cJSON *v)
{
    return cJSON_IsNumber(v) && isfinite(v->valuedouble);
}

/* A finite number or null (NaN); false for anything else or absent. */
static bool get_number(const cJSON *o, const char *key, double *out)
{
    const cJSON *v = member(o, key);
    if (is_finite_number(v)) *out = v->valuedouble;
    else if (cJSON_IsNull(v)) *out = NAN;
    else return false;
    return true;
}

static bool get_count(const cJSON *o, const char *key, size_t *out)
{
    double v;
    if (!get_number(o, key, &v) || !(v >= 0) || v != floor(v) || v > 1e15) return false;
    *out = (size_t)v;
    return true;
}

/* A string or null; false for anything else or absent. */
static bool get_text(const cJSON *o, const char *key, char **out)
{
    const cJSON *v = member(o, key);
    if (cJSON_IsNull(v)) {
        *out = NULL;
        return true;
    }
    if (!cJSON_IsString(v)) return false;
    return (*out = text_copy(v->valuestring)) != NULL;
}

static bool get_list(const cJSON *o, const char *key, char ***out, size_t *n)
{
    const cJSON *a = member(o, key), *item;
    *n = 0;
    if (!cJSON_IsArray(a)) return false;
    *out = calloc((size_t)cJSON_GetArraySize(a) + 1, sizeof **out);
    if (!*out) return false;
    cJSON_ArrayForEach(item, a)
    {
        if (!cJSON_IsString(item) || !((*out)[*n] = text_copy(item->valuestring))) return false;
        (*n)++;
    }
    return true;
}

static int name_index(const char *const *names, size_t n, const cJSON *v)
{
    if (!cJSON_IsString(v)) return -1;
    for (size_t i = 0; i < n; i++)
        if (!strcmp(names[i], v->valuestring)) return (int)i;
    return -1;
}

static slaw_status read_settings(const reader *rd, const cJSON *o, fit_settings *s)
{
    slaw_status st;
    if (!cJSON_IsObject(o)) return fitfile_invalid(rd, "\"settings\" is missing");
    int space = name_index(space_names, 2, member(o, "space"));
    const cJSON *loss_name = member(o, "loss");
    const slaw_loss_info *loss =
        cJSON_IsString(loss_name)
            ? slaw_loss_find(loss_name->valuestring, strlen(loss_name->valuestring))
            : NULL;
    if (space < 0) return fitfile_invalid(rd, "settings.space must be \"log\" or \"linear\"");
    if (!loss) return fitfile_invalid(rd, "settings.loss must be \"l2\", \"huber\" or \"asym\"");
    s->space = (slaw_space)space;
    s->loss = loss->loss;
    if (!get_text(o, "law", &s->law) || !s->law)
        return fitfile_invalid(rd, "settings.law is missing");
    if (member(o, "formula") && (!get_text(o, "formula", &s->formula) || !s->formula))
        return fitfile_invalid(rd, "settings.formula must be a string");
    const cJSON *method_name = member(o, "solver");
    int method = method_name ? name_index(solver_names, 5, method_name) : 0;
    if (method < 0)
        return fitfile_invalid(
            rd, "settings.solver must be lm, lmaccel, dogleg, ddogleg or subspace2D");
    s->solver = (slaw_solver)method;
    if (!get_text(o, "x", &s->x)) return fitfile_invalid(rd, "settings.x must be a string or null");
    const cJSON *x_given = member(o, "x_given");
    if (!cJSON_IsBool(x_given))
        return fitfile_invalid(rd, "settings.x_given must be true or false");
    s->x_given = cJSON_IsTrue(x_given);
    if (!get_text(o, "grid", &s->grid))
        return fitfile_invalid(rd, "settings.grid must be a string or null");
    if (!get_number(o, "loss_param", &s->loss_param) || isnan(s->loss_param))
        return fitfile_invalid(rd, "settings.loss_param must be a number");
    const cJSON *polish = member(o, "polish");
    size_t count;
    if (cJSON_IsString(polish) && !strcmp(polish->valuestring, "all")) s->polish = SLAW_POLISH_ALL;
    else if (cJSON_IsString(polish) && !strcmp(polish->valuestring, "default"))
        s->polish = SLAW_POLISH_DEFAULT;
    else if (get_count(o, "polish", &count)) s->polish = (long)count;
    else return fitfile_invalid(rd, "settings.polish must be \"all\", \"default\" or a count");
    size_t seed;
    if (!get_count(o, "max_iter", &s->max_iter) || !get_count(o, "bootstrap", &s->bootstrap) ||
        !get_count(o, "seed", &seed))
        return fitfile_invalid(rd, "settings.max_iter, bootstrap and seed must be counts");
    s->seed = (unsigned long)seed;
    if (!get_number(o, "level", &s->level) || !(s->level >= 0 && s->level < 1))
        return fitfile_invalid(rd, "settings.level must be a number from 0 to 1");
    /* Files written before the options held their defaults say 0 for them. */
    if (s->level == 0) s->level = SLAW_DEFAULT_LEVEL;
    if (s->max_iter == 0) s->max_iter = DEFAULT_MAX_ITER;
    const cJSON *interval = member(o, "interval"); /* absent in files before it was recorded */
    if (interval && (!cJSON_IsString(interval) ||
                     !slaw_interval_method_parse(interval->valuestring, &s->interval) ||
                     s->interval == SLAW_INTERVAL_AUTO))
        return fitfile_invalid(rd, "settings.interval must be \"t\", \"delta\" or \"bootstrap\"");
    if (!get_text(o, "bootstrap_by", &s->bootstrap_by) || !get_text(o, "holdout", &s->holdout))
        return fitfile_invalid(rd, "settings.bootstrap_by and holdout must be strings or null");
    if (member(o, "shared") && (!get_text(o, "shared", &s->shared) || !s->shared))
        return fitfile_invalid(rd, "settings.shared must be a string");
    if (!get_list(o, "fix", &s->fix, &s->n_fix) || !get_list(o, "tie", &s->tie, &s->n_tie) ||
        !get_list(o, "bound", &s->bound, &s->n_bound))
        return fitfile_invalid(rd, "settings.fix, tie and bound must be arrays of strings");
    if ((st = fitfile_read_selection(rd, o, s))) return st;
    const cJSON *cols = member(o, "columns");
    if (!cJSON_IsObject(cols)) return fitfile_invalid(rd, "settings.columns is missing");
    for (int k = 0; k < SLAW_ROLE_COUNT; k++) {
        const char *key = slaw_role_name((slaw_role)k);
        const cJSON *c = member(cols, key);
        if (cJSON_IsNull(c) || (!c && k >= SLAW_ROLE_FIRST_VARIABLE)) continue;
        const cJSON *given = member(c, "given");
        if (!cJSON_IsObject(c) || !cJSON_IsBool(given) ||
            !get_text(c, "column", &s->role_column[k]) || !s->role_column[k])
            return fitfile_invalid(
                rd, "settings.columns.%s must be null or {\"column\", \"given\"}", key);
        s->role_given[k] = cJSON_IsTrue(given);
    }
    return SLAW_OK;
}

static slaw_status read_data(const reader *rd, const cJSON *o, slaw_artifact *a, slaw_fit *f,
                             bool first)
{
    const slaw_law *law = f->law;
    if (!cJSON_IsObject(o)) return fitfile_invalid(rd, "\"data\" is missing");
    const cJSON *vars = member(o, "variables"), *v;
    if (!cJSON_IsArray(vars) || (size_t)cJSON_GetArraySize(vars) != law->n_vars)
        return fitfile_invalid(rd, "data.variables must list the %zu variable(s) of %s",
                               law->n_vars, law->name);
    size_t i = 0;
    cJSON_ArrayForEach(v, vars)
    {
        if (!get_text(v, "column", &f->vars[i]) || !get_number(v, "min", &f->var_min[i]) ||
            !get_number(v, "max", &f->var_max[i]))
            return fitfile_invalid(rd, "data.variables[%zu] needs column, min and max", i);
        i++;
    }
    const cJSON *c = member(o, "compute");
    f->c_min = f->c_max = NAN; /* absent from files of gadre and muennighoff fits before */
    if (c && (!get_number(c, "min", &f->c_min) || !get_number(c, "max", &f->c_max)))
        return fitfile_invalid(rd, "data.compute needs min and max");
    const cJSON *t = member(o, "target");
    if (!get_number(t, "min", &f->y_min) || !get_number(t, "max", &f->y_max))
        return fitfile_invalid(rd, "data.target needs min and max");
    const cJSON *sha = member(o, "sha256");
    if (!cJSON_IsString(sha) || strlen(sha->valuestring) != 64)
        return fitfile_invalid(rd, "data.sha256 must be 64 hex digits");
    memcpy(f->sha256, sha->valuestring, 65);
    if (!first) return SLAW_OK;
    const cJSON *filters = member(o, "filters");
    if (!get_count(o, "runs_read", &a->runs_read) || !cJSON_IsArray(filters))
        return fitfile_invalid(rd, "data.runs_read and data.filters are missing");
    return fitfile_read_removed(rd, filters, a);
}

/* The joint covariance and this fit's place in it (optional). */
static slaw_status read_joint_covariance(const reader *rd, const cJSON *j, slaw_fit *f)
{
    const cJSON *ix = member(j, "index"), *cov = member(j, "covariance"), *row, *cell;
    size_t p = f->law->n_params, k = 0, P;
    if (!ix && !cov) return SLAW_OK;
    if (!cJSON_IsArray(ix) || (size_t)cJSON_GetArraySize(ix) != p || !cJSON_IsArray(cov) ||
        (P = (size_t)cJSON_GetArraySize(cov)) < p || P > FIT_MAX_PARAMS)
        return fitfile_invalid(rd, "diagnostics.joint.index must list %zu parameters of covariance",
                               p);
    cJSON_ArrayForEach(cell, ix)
    {
        if (!is_finite_number(cell) || cell->valuedouble < 0 || cell->valuedouble >= (double)P ||
            cell->valuedouble != floor(cell->valuedouble))
            return fitfile_invalid(rd, "diagnostics.joint.index holds a bad index");
        f->joint_index[k++] = (size_t)cell->valuedouble;
    }
    if (!(f->joint_cov = malloc(P * P * sizeof *f->joint_cov)))
        return error_nomem_at(rd->err, rd->name, 0);
    f->joint_P = P;
    size_t r = 0;
    cJSON_ArrayForEach(row, cov)
    {
        size_t c = 0;
        if (!cJSON_IsArray(row) || (size_t)cJSON_GetArraySize(row) != P)
            return fitfile_invalid(rd, "diagnostics.joint.covariance must be square");
        cJSON_ArrayForEach(cell, row)
        {
            if (is_finite_number(cell)) f->joint_cov[r * P + c] = cell->valuedouble;
            else if (cJSON_IsNull(cell)) f->joint_cov[r * P + c] = NAN;
            else return fitfile_invalid(rd, "diagnostics.joint.covariance holds a non-number");
            c++;
        }
        r++;
    }
    return SLAW_OK;
}

static slaw_status read_diagnostics(const reader *rd, const cJSON *o, slaw_fit *f)
{
    slaw_fit_stats *s = &f->stats;
    if (!cJSON_IsObject(o)) return fitfile_invalid(rd, "\"diagnostics\" is missing");
    if (!get_count(o, "n_free", &s->n_free) || !get_number(o, "rmse_log", &s->rmse_log) ||
        !get_number(o, "r2", &s->r2) || !get_number(o, "aic", &s->aic) ||
        !get_number(o, "bic", &s->bic) || !get_number(o, "sigma", &s->sigma) ||
        !get_count(o, "iterations", &s->iterations) || !get_count(o, "starts", &s->starts) ||
        !get_count(o, "polished", &s->polished) || !get_count(o, "converged", &s->converged) ||
        !get_count(o, "hit_limit", &s->hit_limit) ||
        !get_count(o, "reached_best", &s->reached_best) ||
        !get_text(o, "stderr_method", &f->se_method))
        return fitfile_invalid(rd, "diagnostics is incomplete");
    /* Written since these were counted; absent from older artifacts. */
    const char *later[] = {"stalled", "non_finite", "pinned"};
    size_t *counts[] = {&s->stalled, &s->non_finite, &s->pinned};
    for (size_t i = 0; i < 3; i++)
        if (member(o, later[i]) && !get_count(o, later[i], counts[i]))
            return fitfile_invalid(rd, "diagnostics.%s must be a count", later[i]);
    char **warnings = NULL;
    size_t n = 0;
    bool ok = get_list(o, "warnings", &warnings, &n);
    for (size_t i = 0; i < n; i++) {
        if (i < FIT_MAX_WARNINGS) f->warnings[f->n_warnings++] = warnings[i];
        else free(warnings[i]);
    }
    free(warnings);
    if (!ok) return fitfile_invalid(rd, "diagnostics.warnings must be an array of strings");
    const cJSON *j = member(o, "joint");
    if (!j) return SLAW_OK;
    slaw_fit_stats *t = &f->joint_stats;
    if (!get_number(j, "objective", &t->objective) || !get_count(j, "n", &t->n) ||
        !get_count(j, "n_free", &t->n_free) || !get_number(j, "aic", &t->aic) ||
        !get_number(j, "bic", &t->bic) || !get_number(j, "sigma", &t->sigma))
        return fitfile_invalid(rd,
                               "diagnostics.joint needs objective, n, n_free, aic, bic and sigma");
    f->joint = true;
    return read_joint_covariance(rd, j, f);
}

/* A joint fit's shared parameters, named in the settings, marked in f. */
static slaw_status read_shared(const reader *rd, const fit_settings *s, size_t index, slaw_fit *f)
{
    if (!s->shared != !f->joint)
        return fitfile_invalid(rd, "fits[%zu]: settings.shared and diagnostics.joint go together",
                               index);
    for (const char *at = s->shared; at && *at;) {
        size_t len = strcspn(at, ","), j = SIZE_MAX;
        bool internal;
        if (len) j = law_param_index(f->law, at, len, &internal);
        if (j == SIZE_MAX)
            return fitfile_invalid(rd, "settings.shared names '%.*s', not a parameter of %s",
                                   (int)len, at, f->law->name);
        f->shared[j] = true;
        at += len + (at[len] == ',');
    }
    return SLAW_OK;
}

/* The samples are what matters; their summaries are computed again. */
static slaw_status read_bootstrap(const reader *rd, const cJSON *o, size_t index, slaw_fit *f)
{
    if (!o) return SLAW_OK;
    size_t p = f->law->n_params;
    const cJSON *samples = member(o, "samples"), *row;
    if (!cJSON_IsObject(o) || !get_number(o, "level", &f->boot_level) ||
        !(f->boot_level > 0 && f->boot_level < 1) || !get_count(o, "failures", &f->boot_failures) ||
        !get_count(o, "fallbacks", &f->boot_fallbacks) || !cJSON_IsArray(samples))
        return fitfile_invalid(
            rd, "fits[%zu].bootstrap needs level, failures, fallbacks and samples", index);
    const cJSON *why = member(o, "failed"); /* absent from older artifacts */
    if (why && !(get_count(why, "no_convergence", &f->boot_why[BOOT_FAILED_NO_CONVERGENCE]) &&
                 get_count(why, "pinned", &f->boot_why[BOOT_FAILED_PINNED]) &&
                 get_count(why, "non_finite", &f->boot_why[BOOT_FAILED_NON_FINITE])))
        return fitfile_invalid(
            rd, "fits[%zu].bootstrap.failed needs no_convergence, pinned and non_finite", index);
    size_t n = (size_t)cJSON_GetArraySize(samples);
    if (!(f->boot = malloc((n ? n : 1) * p * sizeof *f->boot)))
        return error_nomem_at(rd->err, rd->name, 0);
    cJSON_ArrayForEach(row, samples)
    {
        const cJSON *cell;
        size_t j = 0;
        if (!cJSON_IsArray(row) || (size_t)cJSON_GetArraySize(row) != p)
            return fitfile_invalid(rd, "fits[%zu].bootstrap.samples rows must hold %zu numbers",
                                   index, p);
        cJSON_ArrayForEach(cell, row)
        {
            if (!is_finite_number(cell))
                return fitfile_invalid(rd, "fits[%zu].bootstrap.samples holds a non-number", index);
            f->boot[f->n_boot * p + j++] = cell->valuedouble;
        }
        f->n_boot++;
    }
    bootstrap_summarize(f);
    return SLAW_OK;
}

static slaw_status read_holdout(const reader *rd, const cJSON *o, size_t index, slaw_fit *f)
{
    if (!o) return SLAW_OK;
    size_t nv = f->law->n_vars;
    const cJSON *runs = member(o, "runs"), *r;
    if (!cJSON_IsObject(o) || !get_number(o, "male", &f->hold_male) ||
        !get_number(o, "bias", &f->hold_bias) || !get_number(o, "max_abs", &f->hold_max) ||
        !cJSON_IsArray(runs) || cJSON_GetArraySize(runs) == 0)
        return fitfile_invalid(rd, "fits[%zu].holdout needs male, bias, max_abs and runs", index);
    size_t n = (size_t)cJSON_GetArraySize(runs);
    f->hold_vars = malloc(n * nv * sizeof *f->hold_vars);
    f->hold_obs = malloc(n * sizeof *f->hold_obs);
    f->hold_pred = malloc(n * sizeof *f->hold_pred);
    if (!f->hold_vars || !f->hold_obs || !f->hold_pred) return error_nomem_at(rd->err, rd->name, 0);
    cJSON_ArrayForEach(r, runs)
    {
        const cJSON *vars = member(r, "vars"), *x;
        size_t v = 0;
        if (!cJSON_IsArray(vars) || (size_t)cJSON_GetArraySize(vars) != nv ||
            !get_number(r, "observed", &f->hold_obs[f->n_hold]) ||
            !get_number(r, "predicted", &f->hold_pred[f->n_hold]))
            return fitfile_invalid(
                rd, "fits[%zu].holdout.runs entries need vars, observed, predicted", index);
        cJSON_ArrayForEach(x, vars)
        {
            if (!is_finite_number(x))
                return fitfile_invalid(rd, "fits[%zu].holdout vars must be numbers", index);
            f->hold_vars[f->n_hold * nv + v++] = x->valuedouble;
        }
        f->n_hold++;
    }
    return SLAW_OK;
}

/* The calibration (optional): one entry per coverage level, in order, with
 * inside <= runs and a positive factor or null (too few runs: +inf). */
static slaw_status read_calibration(const reader *rd, const cJSON *o, slaw_artifact *a)
{
    if (!o) return SLAW_OK;
    const cJSON *levels = member(o, "levels"), *l;
    if (!cJSON_IsObject(o) || !cJSON_IsArray(levels) ||
        cJSON_GetArraySize(levels) != SLAW_COVERAGE_LEVELS)
        return fitfile_invalid(rd, "calibration.levels must be an array of %d levels",
                               SLAW_COVERAGE_LEVELS);
    size_t i = 0;
    cJSON_ArrayForEach(l, levels)
    {
        slaw_coverage *c = &a->calib[i];
        double level;
        if (!get_number(l, "level", &level) || fabs(level - slaw_coverage_level(i)) > 1e-9 ||
            !get_count(l, "runs", &c->n) || !get_count(l, "inside", &c->inside) ||
            c->inside > c->n || c->n == 0 || !get_number(l, "mean_width", &c->mean_width) ||
            !get_number(l, "factor", &c->factor) || c->factor <= 0)
            return fitfile_invalid(
                rd,
                "calibration.levels[%zu] needs level %g, runs > 0, inside <= runs, "
                "mean_width and a positive factor or null",
                i, slaw_coverage_level(i));
        c->level = level;
        if (isnan(c->factor)) c->factor = INFINITY;
        c->fraction = (double)c->inside / (double)c->n;
        coverage_wilson(c->inside, c->n, &c->ci_lo, &c->ci_hi);
        i++;
    }
    a->calibrated = true;
    return SLAW_OK;
}

/* Each fit is one group: a repeated group (or two ungrouped fits) would be
 * judged twice against whichever fit is found first. */
static slaw_status unique_group(const reader *rd, const slaw_artifact *a, size_t index)
{
    const char *g = a->fits[index].group;
    char q[64];
    for (size_t i = 0; i < index; i++) {
        const char *h = a->fits[i].group;
        if (g == h || (g && h && !strcmp(g, h)))
            return fitfile_invalid(rd, "fits[%zu] and fits[%zu] are both %s%s%s", i, index,
                                   g ? "group '" : "ungrouped",
                                   g ? quote_text(g, strlen(g), q, sizeof q) : "", g ? "'" : "");
    }
    return SLAW_OK;
}

/* Whether name is one of the variables listed in data.variables. */
static bool listed_variable(void *ctx, const char *name)
{
    const cJSON *v;
    cJSON_ArrayForEach(v, (const cJSON *)ctx)
    {
        const cJSON *n = cJSON_GetObjectItemCaseSensitive(v, "name");
        if (cJSON_IsString(n) && !strcmp(n->valuestring, name)) return true;
    }
    return false;
}

/* A formula fit's law, compiled from its formula with the variables that
 * data.variables names; every fit of the artifact has the same formula. */
static slaw_status read_formula_law(const reader *rd, const cJSON *o, size_t index,
                                    slaw_artifact *a)
{
    const cJSON *text = member(o, "formula");
    const cJSON *vars = member(member(o, "data"), "variables");
    if (!cJSON_IsString(text)) return fitfile_invalid(rd, "fits[%zu].formula is missing", index);
    if (a->own_law) {
        if (strcmp(a->own_law->formula, text->valuestring) != 0)
            return fitfile_invalid(rd, "fits[%zu] fits another formula than fits[0]", index);
        return SLAW_OK;
    }
    if (!cJSON_IsArray(vars))
        return fitfile_invalid(rd, "fits[%zu].data.variables is missing", index);
    slaw_error why;
    if (formula_law_new(text->valuestring, listed_variable, (void *)vars, &a->own_law, &why))
        return fitfile_invalid(rd, "fits[%zu].formula: %s", index, why.message);
    return SLAW_OK;
}

/* "identified" of one parameter or derived quantity: optional (a file
 * without it says so by a null stderr on an estimated quantity), true or
 * false; false goes with a null stderr (check_covariance says when a
 * null stderr needs it). */
static slaw_status read_one_identified(const reader *rd, const cJSON *q, size_t index,
                                       const char *where, const char *name, bool estimated,
                                       double se, bool *out)
{
    const cJSON *v = member(q, "identified");
    *out = !(estimated && isnan(se));
    if (!v) return SLAW_OK;
    if (!cJSON_IsBool(v))
        return fitfile_invalid(rd, "fits[%zu].%s.%s.identified must be true or false", index, where,
                               name);
    bool said = cJSON_IsTrue(v);
    if (!said && !isnan(se))
        return fitfile_invalid(rd, "fits[%zu].%s.%s: identified is %s but stderr is %s", index,
                               where, name, said ? "true" : "false",
                               isnan(se) ? "null" : "a number");
    *out = said;
    return SLAW_OK;
}

static slaw_status read_identified(const reader *rd, const cJSON *params, const cJSON *derived,
                                   size_t index, slaw_fit *f)
{
    const slaw_law *law = f->law;
    slaw_status st;
    for (size_t j = 0; j < law->n_params; j++) {
        bool estimated = f->state[j] == SLAW_PARAM_FREE || f->state[j] == SLAW_PARAM_TIED;
        if ((st = read_one_identified(rd, member(params, law->params[j].name), index, "params",
                                      law->params[j].name, estimated, f->se[j], &f->identified[j])))
            return st;
    }
    for (size_t q = 0; q < law->n_derived; q++)
        if ((st = read_one_identified(rd, member(derived, law->derived_names[q]), index, "derived",
                                      law->derived_names[q], false, f->derived_se[q],
                                      &f->derived_identified[q])))
            return st;
    return SLAW_OK;
}

static slaw_status read_fit(const reader *rd, const cJSON *o, size_t index, slaw_artifact *a)
{
    slaw_fit *f = &a->fits[index];
    slaw_status st;
    if (!cJSON_IsObject(o)) return fitfile_invalid(rd, "fits[%zu] is not an object", index);
    const cJSON *law_name = member(o, "law");
    if (!cJSON_IsString(law_name)) return fitfile_invalid(rd, "fits[%zu].law is missing", index);
    if (!strcmp(law_name->valuestring, "formula")) {
        if ((st = read_formula_law(rd, o, index, a))) return st;
        f->law = a->own_law;
    } else if (!(f->law = slaw_law_find(law_name->valuestring))) {
        return fitfile_invalid(rd, "fits[%zu]: unknown law '%s'", index, law_name->valuestring);
    }
    /* check compares the fits group by group, by the first fit's law. */
    if (index > 0 && f->law != a->fits[0].law)
        return fitfile_invalid(
            rd, "fits[%zu] fits law %s and fits[0] law %s: every fit must fit the same law", index,
            f->law->name, a->fits[0].law->name);
    const slaw_law *law = f->law;
    size_t p = law->n_params;
    bool unidentified[LAW_MAX_PARAMS] = {false};
    if (!get_text(o, "group", &f->group))
        return fitfile_invalid(rd, "fits[%zu].group must be a string or null", index);
    if ((st = unique_group(rd, a, index))) return st;
    const cJSON *params = member(o, "params");
    if (!cJSON_IsObject(params)) return fitfile_invalid(rd, "fits[%zu].params is missing", index);

    for (size_t j = 0; j < p; j++) {
        const cJSON *q = member(params, law->params[j].name);
        int state = name_index(state_names, 4, member(q, "state"));
        if (!cJSON_IsObject(q) || !get_number(q, "value", &f->value[j]) || isnan(f->value[j]) ||
            !get_number(q, "stderr", &f->se[j]) || state < 0)
            return fitfile_invalid(rd,
                                   "fits[%zu].params.%s needs a numeric value, stderr and state",
                                   index, law->params[j].name);
        f->state[j] = (slaw_param_state)state;
        if (law->params[j].scale == SCALE_LOG && !(f->value[j] > 0))
            return fitfile_invalid(rd, "fits[%zu].params.%s must be positive", index,
                                   law->params[j].name);
    }
    const cJSON *cov = member(o, "covariance"), *row;
    if (!cJSON_IsArray(cov) || (size_t)cJSON_GetArraySize(cov) != p)
        return fitfile_invalid(rd, "fits[%zu].covariance must be %zu x %zu", index, p, p);
    size_t i = 0;
    cJSON_ArrayForEach(row, cov)
    {
        const cJSON *cell;
        size_t j = 0;
        if (!cJSON_IsArray(row) || (size_t)cJSON_GetArraySize(row) != p)
            return fitfile_invalid(rd, "fits[%zu].covariance must be %zu x %zu", index, p, p);
        cJSON_ArrayForEach(cell, row)
        {
            if (is_finite_number(cell)) f->cov[i * p + j] = cell->valuedouble;
            else if (cJSON_IsNull(cell)) f->cov[i * p + j] = NAN;
            else return fitfile_invalid(rd, "fits[%zu].covariance holds a non-number", index);
            j++;
        }
        i++;
    }
    if ((st = fitfile_check_params(rd, params, index, f, unidentified)) ||
        (st = fitfile_check_covariance(rd, index, f, unidentified)))
        return st;
    const cJSON *derived = member(o, "derived");
    for (size_t q = 0; q < law->n_derived; q++) {
        const cJSON *d = member(derived, law->derived_names[q]);
        if (!get_number(d, "value", &f->derived[q]) || !get_number(d, "stderr", &f->derived_se[q]))
            return fitfile_invalid(rd, "fits[%zu].derived.%s is missing", index,
                                   law->derived_names[q]);
        if (f->derived_se[q] < 0)
            return fitfile_invalid(rd, "fits[%zu].derived.%s.stderr is negative", index,
                                   law->derived_names[q]);
    }
    if ((st = read_identified(rd, params, derived, index, f))) return st;
    if (!get_number(o, "objective", &f->stats.objective) || !get_count(o, "n", &f->stats.n))
        return fitfile_invalid(rd, "fits[%zu] needs objective and n", index);
    if (index == 0 && (st = read_settings(rd, member(o, "settings"), &a->settings))) return st;
    if ((st = read_bootstrap(rd, member(o, "bootstrap"), index, f))) return st;
    if ((st = read_holdout(rd, member(o, "holdout"), index, f))) return st;
    if ((st = read_data(rd, member(o, "data"), a, f, index == 0))) return st;
    if ((st = read_diagnostics(rd, member(o, "diagnostics"), f))) return st;
    return read_shared(rd, &a->settings, index, f);
}

/* The groups that could not be fitted: each a named group that is not also
 * a fit. */
static slaw_status read_failed(const reader *rd, const cJSON *list, slaw_artifact *a)
{
    const cJSON *item;
    char q[64];
    if (!list) return SLAW_OK;
    if (!cJSON_IsArray(list)) return fitfile_invalid(rd, "\"failed\" must be an array");
    size_t i = 0;
    cJSON_ArrayForEach(item, list)
    {
        const cJSON *g = member(item, "group"), *why = member(item, "reason");
        if (!cJSON_IsString(g) || !cJSON_IsString(why))
            return fitfile_invalid(rd, "failed[%zu] needs a group and a reason (strings)", i);
        for (size_t k = 0; k < a->n_fits; k++)
            if (a->fits[k].group && !strcmp(a->fits[k].group, g->valuestring))
                return fitfile_invalid(
                    rd, "group '%s' is both fitted and failed",
                    quote_text(g->valuestring, strlen(g->valuestring), q, sizeof q));
        if (slaw_artifact_group_failure(a, g->valuestring))
            return fitfile_invalid(rd, "group '%s' is failed twice",
                                   quote_text(g->valuestring, strlen(g->valuestring), q, sizeof q));
        if (!artifact_add_failure(a, g->valuestring, why->valuestring))
            return error_nomem_at(rd->err, rd->name, 0);
        i++;
    }
    return SLAW_OK;
}

/* An error about the text at offset at, with its line and column. */
static slaw_status text_error(const char *name, const char *text, size_t at, slaw_status code,
                              const char *what, slaw_error *err)
{
    long line = 1, col = 1;
    for (size_t i = 0; i < at; i++) {
        if (text[i] == '\n') line++, col = 1;
        else col++;
    }
    error_set(err, code, name, line, "not a valid slaw fit artifact: %s", what);
    if (err) err->column = col;
    return code;
}

slaw_status slaw_artifact_parse(const char *name, const char *text, size_t len, slaw_artifact **out,
                                slaw_error *err)
{
    reader rd = {name, err, ARTIFACT_FORMAT};
    const char *end = NULL;
    size_t deep;
    if (json_too_deep(text, len, SLAW_MAX_JSON_DEPTH, false, &deep)) {
        char what[96];
        snprintf(what, sizeof what, "arrays and objects nested deeper than the limit of %d levels",
                 SLAW_MAX_JSON_DEPTH);
        return text_error(name, text, deep, SLAW_ELIMIT, what, err);
    }
    cJSON *doc = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    slaw_artifact *a = NULL;
    slaw_status st = SLAW_OK;
    if (!doc)
        return text_error(name, text, end ? (size_t)(end - text) : 0, SLAW_EINPUT, "invalid JSON",
                          err);
    /* what cJSON lets through: a repeated key, \u0000, 1e-400, bytes that
     * are not UTF-8 (Python's json refuses those) */
    const json_scan_options scan = {.utf8 = true};
    char msg[300];
    size_t at;
    if ((st = json_scan(text, (size_t)(end - text), &scan, &at, msg, sizeof msg))) {
        cJSON_Delete(doc);
        if (st == SLAW_ENOMEM) return error_nomem_at(err, name, 0);
        return text_error(name, text, at, st, msg, err);
    }
    const cJSON *fits = member(doc, "fits"), *fit;
    double format;
    if (!cJSON_IsObject(doc)) {
        st = fitfile_invalid(&rd, "the document is not a JSON object");
        goto out;
    }
    if (!get_number(doc, "format", &format) || !cJSON_IsString(member(doc, "slaw_version"))) {
        st =
            fitfile_invalid(&rd, "\"format\" or \"slaw_version\" is missing (is this a fit.json?)");
        goto out;
    }
    if (format != 1 && format != ARTIFACT_FORMAT) {
        st = fitfile_invalid(&rd, "format %g is not supported (this slaw reads formats 1 and %d)",
                             format, ARTIFACT_FORMAT);
        goto out;
    }
    rd.format = (int)format;
    if (!cJSON_IsArray(fits) || cJSON_GetArraySize(fits) == 0) {
        st = fitfile_invalid(&rd, "\"fits\" must be a non-empty array");
        goto out;
    }
    if (!(a = calloc(1, sizeof *a)) ||
        !(a->fits = calloc((size_t)cJSON_GetArraySize(fits), sizeof *a->fits)) ||
        !(a->slaw_version = text_copy(member(doc, "slaw_version")->valuestring))) {
        st = error_nomem_at(err, name, 0);
        goto out;
    }
    a->format = ARTIFACT_FORMAT;
    cJSON_ArrayForEach(fit, fits)
    {
        a->n_fits++;
        if ((st = read_fit(&rd, fit, a->n_fits - 1, a))) goto out;
    }
    if (a->fits[0].group == NULL && member(doc, "failed")) {
        st = fitfile_invalid(&rd, "an ungrouped fit has no failed groups");
        goto out;
    }
    if ((st = read_failed(&rd, member(doc, "failed"), a))) goto out;
    if ((st = read_calibration(&rd, member(doc, "calibration"), a))) goto out;
    artifact_link_calibration(a);
    artifact_link_intervals(a);
out:
    cJSON_Delete(doc);
    if (st != SLAW_OK) {
        slaw_artifact_free(a);
        return st;
    }
    *out = a;
    return SLAW_OK;
}

static slaw_status artifact_too_large(const char *path, slaw_error *err)
{
    return error_set(err, SLAW_ELIMIT, path, 0, "an artifact larger than the %zu-byte limit",
                     SLAW_MAX_ARTIFACT_BYTES);
}

slaw_status slaw_artifact_read(const char *path, slaw_artifact **out, slaw_error *err)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) return error_set(err, SLAW_EIO, path, 0, "cannot open: %s", strerror(errno));
    byte_source in = {.fp = fp};
    char *buf = NULL;
    size_t n = 0;
    slaw_status st = slurp(&in, path, SLAW_MAX_ARTIFACT_BYTES, artifact_too_large, &buf, &n, err);
    fclose(fp);
    if (st == SLAW_OK) st = slaw_artifact_parse(path, buf, n, out, err);
    free(buf);
    return st;
}
