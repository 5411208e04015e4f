/* artifact_write.c — the fit artifact as JSON (docs/fit-file.md), with
 * cJSON; artifact_read.c reads it back.  Some fields are written for readers
 * only and rebuilt on reading: formula (from the law), data.n (the fit's
 * n), data.variables[].name (the law), data.target.column (the settings)
 * and the params' and derived quantities' bootstrap summaries (from the
 * samples).  Either way reading an artifact and writing it again gives the
 * same bytes. */
#include "artifact_file.h"
#include "artifact.h"
#include "formula.h"

#include <assert.h>
#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* d17, the 17 significant digits of a value, rounded to n digits into d (*e,
 * the decimal exponent, grows on a carry): the same digits as rounding the
 * value itself, except when the digits dropped are exactly half a unit,
 * where 17 digits cannot tell which way it rounds (false). */
static bool round_digits(const char *d17, int n, char *d, int *e)
{
    bool up = d17[n] > '5';
    if (d17[n] == '5') {
        for (int k = n + 1; k < 17; k++) up = up || d17[k] != '0';
        if (!up) return false;
    }
    memcpy(d, d17, (size_t)n);
    int k = n - 1;
    while (up && k >= 0 && d[k] == '9') d[k--] = '0';
    if (up && k >= 0) d[k]++;
    else if (up) {
        d[0] = '1';
        ++*e;
    }
    return true;
}

/* The n digits d (d[0] not 0) times 10^e as printf's %.{n}g writes them:
 * exponent form below 1e-4 or from 10^n on, trailing zeros dropped. */
static void format_g(bool neg, const char *d, int n, int e, char *out, size_t size)
{
    int precision = n;
    while (n > 1 && d[n - 1] == '0') n--;
    char *o = out;
    if (neg) *o++ = '-';
    if (e < -4 || e >= precision) {
        *o++ = d[0];
        if (n > 1) *o++ = '.';
        memcpy(o, d + 1, (size_t)n - 1);
        o += n - 1;
        snprintf(o, size - (size_t)(o - out), "e%c%02d", e < 0 ? '-' : '+', abs(e));
        return;
    }
    if (e < 0) {
        *o++ = '0';
        *o++ = '.';
        for (int k = -1; k > e; k--) *o++ = '0';
    }
    for (int k = 0; k < n; k++) {
        if (e >= 0 && k == e + 1) *o++ = '.';
        *o++ = d[k];
    }
    for (int k = n; k <= e; k++) *o++ = '0';
    *o = '\0';
}

/* A number written with the fewest digits (15 to 17) that read back as the
 * same double (cJSON's own printer accepts a last-digit error), so artifacts
 * keep every value exactly; null for NaN and infinities.  The same text as
 * trying printf's %.15g, %.16g and %.17g in turn, from one conversion to 17
 * digits (a bootstrap writes thousands of numbers). */
static cJSON *number(double v)
{
    if (!isfinite(v)) return cJSON_CreateNull();
    char buf[40], d17[17], d[17];
    snprintf(buf, sizeof buf, "%.16e", v); /* [-]d.dddddddddddddddde±XX */
    bool neg = buf[0] == '-';
    const char *t = buf + neg;
    d17[0] = t[0];
    memcpy(d17 + 1, t + 2, 16);
    int e17 = atoi(t + 19);
    for (int n = 15; n <= 16 && v != 0; n++) {
        int e = e17;
        if (round_digits(d17, n, d, &e)) format_g(neg, d, n, e, buf, sizeof buf);
        else snprintf(buf, sizeof buf, "%.*g", n, v);
        if (strtod(buf, NULL) == v) return cJSON_CreateRaw(buf);
    }
    if (v == 0) snprintf(buf, sizeof buf, "%.15g", v);
    else format_g(neg, d17, 17, e17, buf, sizeof buf);
    return cJSON_CreateRaw(buf);
}

/* Entry (i, j) of a symmetric p x p matrix, from its upper triangle: a
 * covariance computed in floating point can differ from its mirror in the
 * last bit (or by a subnormal), and the reader requires symmetry. */
static double upper(const double *m, size_t p, size_t i, size_t j)
{
    return i <= j ? m[i * p + j] : m[j * p + i];
}

static void add_number(cJSON *o, const char *key, double v)
{
    cJSON_AddItemToObject(o, key, number(v));
}

static void add_text(cJSON *o, const char *key, const char *text)
{
    if (text) cJSON_AddStringToObject(o, key, text);
    else cJSON_AddNullToObject(o, key);
}

static cJSON *text_list(char *const *list, size_t n)
{
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; i < n; i++) cJSON_AddItemToArray(a, cJSON_CreateString(list[i]));
    return a;
}

/* A where step's condition as data: the value a number when it reads as
 * one (1.3B: 1300000000), else the text compared with. */
static cJSON *condition_json(const slaw_condition *c)
{
    cJSON *o = cJSON_CreateObject();
    double v;
    const char *why;
    cJSON_AddStringToObject(o, "column", c->column);
    cJSON_AddStringToObject(o, "operator", slaw_compare_op_name(c->op));
    if (slaw_number_parse(c->value, strlen(c->value), &v, &why) == SLAW_OK && isfinite(v))
        add_number(o, "value", v);
    else cJSON_AddStringToObject(o, "value", c->value);
    return o;
}

/* A step of the selection (docs/fit-file.md, settings.selection). */
static cJSON *step_json(const slaw_step *s)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "kind", slaw_step_kind_name(s->kind));
    switch (s->kind) {
    case SLAW_STEP_WHERE:
        cJSON_AddItemToObject(o, "expression", condition_json(&s->where));
        cJSON_AddStringToObject(o, "text", s->text);
        break;
    case SLAW_STEP_PER:
        cJSON_AddStringToObject(o, "keep", per_names[s->per.keep]);
        cJSON_AddItemToObject(o, "columns",
                              text_list((char *const *)s->per.columns, s->per.n_columns));
        add_text(o, "weights", s->per.inverse_variance ? "inverse-variance" : NULL);
        break;
    case SLAW_STEP_DROP_TOP: add_number(o, "count", (double)s->count); break;
    }
    return o;
}

static cJSON *settings_json(const slaw_artifact *a)
{
    const fit_settings *s = &a->settings;
    cJSON *o = cJSON_CreateObject();
    add_text(o, "law", s->law);
    if (s->formula) cJSON_AddStringToObject(o, "formula", s->formula);
    if (s->solver != SLAW_SOLVER_LM) cJSON_AddStringToObject(o, "solver", solver_names[s->solver]);
    add_text(o, "x", s->x);
    cJSON_AddBoolToObject(o, "x_given", s->x_given);
    cJSON_AddStringToObject(o, "space", space_names[s->space]);
    cJSON_AddStringToObject(o, "loss", slaw_loss_info_of(s->loss)->name);
    add_number(o, "loss_param", s->loss_param);
    add_text(o, "grid", s->grid);
    if (s->polish == SLAW_POLISH_ALL) cJSON_AddStringToObject(o, "polish", "all");
    else if (s->polish == SLAW_POLISH_DEFAULT) cJSON_AddStringToObject(o, "polish", "default");
    else add_number(o, "polish", (double)s->polish);
    add_number(o, "max_iter", (double)s->max_iter);
    cJSON_AddItemToObject(o, "fix", text_list(s->fix, s->n_fix));
    cJSON_AddItemToObject(o, "tie", text_list(s->tie, s->n_tie));
    cJSON_AddItemToObject(o, "bound", text_list(s->bound, s->n_bound));
    cJSON *sel = cJSON_AddArrayToObject(o, "selection");
    for (size_t i = 0; i < slaw_selection_count(s->selection); i++)
        cJSON_AddItemToArray(sel, step_json(slaw_selection_step(s->selection, i)));
    add_number(o, "bootstrap", (double)s->bootstrap);
    add_number(o, "seed", (double)s->seed);
    add_number(o, "level", s->level);
    if (s->interval != SLAW_INTERVAL_AUTO) /* AUTO: read from a file that records none */
        cJSON_AddStringToObject(o, "interval", slaw_interval_method_name(s->interval));
    add_text(o, "bootstrap_by", s->bootstrap_by);
    add_text(o, "holdout", s->holdout);
    if (s->shared) cJSON_AddStringToObject(o, "shared", s->shared);
    cJSON *cols = cJSON_AddObjectToObject(o, "columns");
    for (int k = 0; k < SLAW_ROLE_COUNT; k++) {
        const char *key = slaw_role_name((slaw_role)k);
        if (!s->role_column[k]) {
            if (k < SLAW_ROLE_FIRST_VARIABLE) cJSON_AddNullToObject(cols, key);
            continue;
        }
        cJSON *c = cJSON_AddObjectToObject(cols, key);
        cJSON_AddStringToObject(c, "column", s->role_column[k]);
        cJSON_AddBoolToObject(c, "given", s->role_given[k]);
    }
    return o;
}

static cJSON *data_json(const slaw_artifact *a, const slaw_fit *f)
{
    const slaw_law *law = f->law;
    cJSON *o = cJSON_CreateObject();
    add_number(o, "n", (double)f->stats.n);
    cJSON *vars = cJSON_AddArrayToObject(o, "variables");
    for (size_t v = 0; v < law->n_vars; v++) {
        cJSON *x = cJSON_CreateObject();
        cJSON_AddStringToObject(x, "name", law_var_name(law, v));
        add_text(x, "column", f->vars[v]);
        add_number(x, "min", f->var_min[v]);
        add_number(x, "max", f->var_max[v]);
        cJSON_AddItemToArray(vars, x);
    }
    if (law_has_compute(law)) {
        cJSON *c = cJSON_AddObjectToObject(o, "compute");
        add_number(c, "min", f->c_min);
        add_number(c, "max", f->c_max);
    }
    cJSON *t = cJSON_AddObjectToObject(o, "target");
    add_text(t, "column", a->settings.role_column[SLAW_ROLE_L]);
    add_number(t, "min", f->y_min);
    add_number(t, "max", f->y_max);
    add_number(o, "runs_read", (double)a->runs_read);
    cJSON *filters = cJSON_AddArrayToObject(o, "filters");
    for (size_t i = 0; i < slaw_selection_count(a->settings.selection); i++) {
        cJSON *fl = cJSON_CreateObject();
        const slaw_step *step = slaw_selection_step(a->settings.selection, i);
        cJSON_AddStringToObject(fl, "kind", slaw_step_kind_name(step->kind));
        add_number(fl, "removed", (double)slaw_artifact_removed(a, i));
        cJSON_AddItemToArray(filters, fl);
    }
    char fingerprint[65];
    fit_fingerprint(f, fingerprint);
    cJSON_AddStringToObject(o, "sha256", fingerprint);
    return o;
}

static cJSON *diagnostics_json(const slaw_fit *f)
{
    const slaw_fit_stats *s = &f->stats;
    cJSON *o = cJSON_CreateObject();
    add_number(o, "n_free", (double)s->n_free);
    add_number(o, "rmse_log", s->rmse_log);
    add_number(o, "r2", s->r2);
    add_number(o, "aic", s->aic);
    add_number(o, "bic", s->bic);
    add_number(o, "sigma", s->sigma);
    add_number(o, "iterations", (double)s->iterations);
    add_number(o, "starts", (double)s->starts);
    add_number(o, "polished", (double)s->polished);
    add_number(o, "converged", (double)s->converged);
    add_number(o, "hit_limit", (double)s->hit_limit);
    add_number(o, "reached_best", (double)s->reached_best);
    add_number(o, "stalled", (double)s->stalled);
    add_number(o, "non_finite", (double)s->non_finite);
    add_number(o, "pinned", (double)s->pinned);
    add_text(o, "stderr_method", f->se_method);
    cJSON_AddItemToObject(o, "warnings", text_list(f->warnings, f->n_warnings));
    if (f->joint) {
        const slaw_fit_stats *j = &f->joint_stats;
        cJSON *t = cJSON_AddObjectToObject(o, "joint");
        add_number(t, "objective", j->objective);
        add_number(t, "n", (double)j->n);
        add_number(t, "n_free", (double)j->n_free);
        add_number(t, "aic", j->aic);
        add_number(t, "bic", j->bic);
        add_number(t, "sigma", j->sigma);
        if (f->joint_cov) {
            cJSON *ix = cJSON_AddArrayToObject(t, "index");
            for (size_t k = 0; k < f->law->n_params; k++)
                cJSON_AddItemToArray(ix, number((double)f->joint_index[k]));
            cJSON *cov = cJSON_AddArrayToObject(t, "covariance");
            for (size_t r = 0; r < f->joint_P; r++) {
                cJSON *row = cJSON_CreateArray();
                for (size_t c = 0; c < f->joint_P; c++)
                    cJSON_AddItemToArray(row, number(upper(f->joint_cov, f->joint_P, r, c)));
                cJSON_AddItemToArray(cov, row);
            }
        }
    }
    return o;
}

static cJSON *interval_json(double se, double lo, double hi, double level)
{
    cJSON *o = cJSON_CreateObject();
    add_number(o, "se", se);
    cJSON *ci = cJSON_AddArrayToObject(o, "ci");
    cJSON_AddItemToArray(ci, number(lo));
    cJSON_AddItemToArray(ci, number(hi));
    add_number(o, "level", level);
    return o;
}

/* with samples false the samples are left out: numbers only, and many */
static cJSON *bootstrap_json(const slaw_fit *f, bool samples)
{
    size_t p = f->law->n_params;
    cJSON *o = cJSON_CreateObject();
    add_number(o, "level", f->boot_level);
    add_number(o, "failures", (double)f->boot_failures);
    add_number(o, "fallbacks", (double)f->boot_fallbacks);
    cJSON *why = cJSON_AddObjectToObject(o, "failed");
    add_number(why, "no_convergence", (double)f->boot_why[BOOT_FAILED_NO_CONVERGENCE]);
    add_number(why, "pinned", (double)f->boot_why[BOOT_FAILED_PINNED]);
    add_number(why, "non_finite", (double)f->boot_why[BOOT_FAILED_NON_FINITE]);
    cJSON *rows = cJSON_AddArrayToObject(o, "samples");
    for (size_t i = 0; samples && i < f->n_boot; i++) {
        cJSON *row = cJSON_CreateArray();
        for (size_t j = 0; j < p; j++) cJSON_AddItemToArray(row, number(f->boot[i * p + j]));
        cJSON_AddItemToArray(rows, row);
    }
    return o;
}

static cJSON *holdout_json(const slaw_fit *f)
{
    size_t nv = f->law->n_vars;
    cJSON *o = cJSON_CreateObject();
    add_number(o, "male", f->hold_male);
    add_number(o, "bias", f->hold_bias);
    add_number(o, "max_abs", f->hold_max);
    cJSON *runs = cJSON_AddArrayToObject(o, "runs");
    for (size_t i = 0; i < f->n_hold; i++) {
        cJSON *r = cJSON_CreateObject();
        cJSON *vars = cJSON_AddArrayToObject(r, "vars");
        for (size_t v = 0; v < nv; v++)
            cJSON_AddItemToArray(vars, number(f->hold_vars[i * nv + v]));
        add_number(r, "observed", f->hold_obs[i]);
        add_number(r, "predicted", f->hold_pred[i]);
        cJSON_AddItemToArray(runs, r);
    }
    return o;
}

static cJSON *fit_json(const slaw_artifact *a, const slaw_fit *f, bool samples)
{
    const slaw_law *law = f->law;
    size_t p = law->n_params;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "law", law->name);
    cJSON_AddStringToObject(o, "formula", law->formula);
    add_text(o, "group", f->group);
    if (f->n_group_cols) {
        cJSON *cols = cJSON_AddObjectToObject(o, "group_columns");
        for (size_t k = 0; k < f->n_group_cols; k++) {
            if (f->group_num[k]) add_number(cols, f->group_col[k], strtod(f->group_val[k], NULL));
            else cJSON_AddStringToObject(cols, f->group_col[k], f->group_val[k]);
        }
    }
    cJSON *params = cJSON_AddObjectToObject(o, "params");
    for (size_t j = 0; j < p; j++) {
        cJSON *q = cJSON_AddObjectToObject(params, law->params[j].name);
        add_number(q, "value", f->value[j]);
        add_number(q, "stderr", f->se[j]);
        cJSON_AddBoolToObject(q, "identified", f->identified[j]);
        cJSON_AddStringToObject(q, "state", state_names[f->state[j]]);
        if (f->n_boot >= 2)
            cJSON_AddItemToObject(
                q, "bootstrap",
                interval_json(f->boot_se[j], f->boot_lo[j], f->boot_hi[j], f->boot_level));
    }
    cJSON *cov = cJSON_AddArrayToObject(o, "covariance");
    for (size_t i = 0; i < p; i++) {
        cJSON *row = cJSON_CreateArray();
        for (size_t j = 0; j < p; j++) cJSON_AddItemToArray(row, number(upper(f->cov, p, i, j)));
        cJSON_AddItemToArray(cov, row);
    }
    cJSON *derived = cJSON_AddObjectToObject(o, "derived");
    for (size_t q = 0; q < law->n_derived; q++) {
        cJSON *d = cJSON_AddObjectToObject(derived, law->derived_names[q]);
        add_number(d, "value", f->derived[q]);
        add_number(d, "stderr", f->derived_se[q]);
        cJSON_AddBoolToObject(d, "identified", f->derived_identified[q]);
        if (f->n_boot >= 2)
            cJSON_AddItemToObject(
                d, "bootstrap",
                interval_json(f->dboot_se[q], f->dboot_lo[q], f->dboot_hi[q], f->boot_level));
    }
    add_number(o, "objective", f->stats.objective);
    add_number(o, "n", (double)f->stats.n);
    cJSON_AddItemToObject(o, "settings", settings_json(a));
    cJSON_AddItemToObject(o, "data", data_json(a, f));
    cJSON_AddItemToObject(o, "diagnostics", diagnostics_json(f));
    if (f->boot) cJSON_AddItemToObject(o, "bootstrap", bootstrap_json(f, samples));
    if (f->n_hold) cJSON_AddItemToObject(o, "holdout", holdout_json(f));
    return o;
}

/* The coverage the artifact was calibrated with (forecast_coverage.c); a factor too
 * large to learn from the runs (+inf) is written as null. */
static cJSON *calibration_json(const slaw_artifact *a)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "method", "split-conformal");
    cJSON *levels = cJSON_AddArrayToObject(o, "levels");
    for (size_t i = 0; i < SLAW_COVERAGE_LEVELS; i++) {
        const slaw_coverage *c = &a->calib[i];
        cJSON *l = cJSON_CreateObject();
        add_number(l, "level", c->level);
        add_number(l, "runs", (double)c->n);
        add_number(l, "inside", (double)c->inside);
        add_number(l, "coverage", c->fraction);
        add_number(l, "mean_width", c->mean_width);
        add_number(l, "factor", c->factor);
        cJSON_AddItemToArray(levels, l);
    }
    return o;
}

/* The artifact as JSON; without samples, what slaw_artifact_check_text reads. */
static cJSON *artifact_json(const slaw_artifact *a, bool samples)
{
    cJSON *doc = cJSON_CreateObject();
    if (!doc) return NULL;
    cJSON_AddStringToObject(doc, "slaw_version", a->slaw_version);
    add_number(doc, "format", a->format);
    cJSON *fits = cJSON_AddArrayToObject(doc, "fits");
    for (size_t i = 0; i < a->n_fits; i++)
        cJSON_AddItemToArray(fits, fit_json(a, &a->fits[i], samples));
    if (a->n_failed) {
        cJSON *failed = cJSON_AddArrayToObject(doc, "failed");
        for (size_t i = 0; i < a->n_failed; i++) {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "group", a->failed[i].group);
            cJSON_AddStringToObject(o, "reason", a->failed[i].reason);
            cJSON_AddItemToArray(failed, o);
        }
    }
    if (a->calibrated) cJSON_AddItemToObject(doc, "calibration", calibration_json(a));
    return doc;
}

/* The first string under v holding bytes that are not UTF-8 (cJSON copies
 * them as they are: JSON no parser reads), or NULL; with fix, each such
 * byte becomes '?' instead. */
static const cJSON *not_utf8(cJSON *v, bool fix)
{
    if (cJSON_IsString(v)) {
        unsigned char *s = (unsigned char *)v->valuestring;
        for (size_t n = strlen(v->valuestring), i = 0; i < n;) {
            size_t k = utf8_length(s + i, n - i);
            if (k) {
                i += k;
                continue;
            }
            if (!fix) return v;
            s[i++] = '?';
        }
        return NULL;
    }
    for (cJSON *c = v->child; c; c = c->next) {
        const cJSON *bad = not_utf8(c, fix);
        if (bad) return bad;
    }
    return NULL;
}

slaw_status slaw_artifact_check_text(const slaw_artifact *a, slaw_error *err)
{
    /* text only: the bootstrap's samples would cost as much as the rest */
    cJSON *doc = artifact_json(a, false);
    if (!doc) return error_nomem(err);
    const cJSON *bad = not_utf8(doc, false);
    slaw_status st = SLAW_OK;
    if (bad) {
        char q[64];
        const char *text = bad->valuestring;
        st = error_set(err, SLAW_EINPUT, NULL, 0,
                       "the text '%s'%s%s%s is not UTF-8, and a fit file (JSON) holds UTF-8 text "
                       "only: convert the runs file to UTF-8 (e.g. iconv -f latin1 -t utf-8)",
                       quote_text(text, strlen(text), q, sizeof q), bad->string ? " (" : "",
                       bad->string ? bad->string : "", bad->string ? ")" : "");
    }
    cJSON_Delete(doc);
    return st;
}

char *slaw_artifact_to_json(const slaw_artifact *a)
{
    assert(a && (a->n_fits == 0 || a->fits));
    cJSON *doc = artifact_json(a, true);
    if (!doc) return NULL;
    not_utf8(doc, true);
    char *text = cJSON_Print(doc);
    cJSON_Delete(doc);
    if (!text) return NULL;
    /* Hand the caller memory it frees with free(), with a final newline. */
    size_t n = strlen(text);
    char *out = malloc(n + 2);
    if (out) {
        memcpy(out, text, n);
        out[n] = '\n';
        out[n + 1] = '\0';
    }
    cJSON_free(text);
    return out;
}

slaw_status slaw_artifact_write(const slaw_artifact *a, const char *path, slaw_error *err)
{
    slaw_status st = slaw_artifact_check_text(a, err);
    if (st != SLAW_OK) return st;
    char *text = slaw_artifact_to_json(a);
    if (!text) return error_nomem_at(err, path, 0);
    st = slaw_write_file_atomic(path, text, strlen(text), err);
    free(text);
    return st;
}
