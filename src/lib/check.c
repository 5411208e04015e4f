/* check.c — slaw check's criteria: collected from specs, validated against
 * the law, and judged on a new fit (against a baseline) into a verdict of
 * one row per criterion per group.  check_judge.c words each row. */
#include "check.h"
#include "artifact.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct criterion {
    slaw_criterion kind; /* TOL, RTOL, SIGMA, EXPECT or FORECAST */
    slaw_expect spec;    /* all but FORECAST */
    char *text;          /* the spec as given, trimmed */
} criterion;

struct slaw_check {
    criterion *items;
    size_t n, cap;
    double forecast_tol;
    double max_failed_resamples; /* a fraction of the resamples */
    bool two_sided, allow_warnings;
};

slaw_check *slaw_check_new(void)
{
    slaw_check *c = calloc(1, sizeof *c);
    if (c) {
        c->forecast_tol = SLAW_CHECK_FORECAST_TOL;
        c->max_failed_resamples = SLAW_CHECK_MAX_FAILED_RESAMPLES;
    }
    return c;
}

void slaw_check_free(slaw_check *c)
{
    if (!c) return;
    for (size_t i = 0; i < c->n; i++) free(c->items[i].text);
    free(c->items);
    free(c);
}

size_t slaw_check_count(const slaw_check *c)
{
    return c->n;
}

void slaw_check_allow_warnings(slaw_check *c, bool allow)
{
    c->allow_warnings = allow;
}

slaw_status slaw_check_max_failed_resamples(slaw_check *c, double fraction, slaw_error *err)
{
    if (!(fraction >= 0 && fraction <= 1))
        return error_set(err, SLAW_EUSAGE, NULL, 0,
                         "the fraction of failed resamples allowed must be 0 to 1, got %g",
                         fraction);
    c->max_failed_resamples = fraction;
    return SLAW_OK;
}

static bool needs_baseline(slaw_criterion kind)
{
    return kind != SLAW_CRITERION_EXPECT;
}

bool slaw_check_needs_calibration(const slaw_check *c)
{
    for (size_t i = 0; i < c->n; i++) {
        bool call;
        size_t level;
        coverage_quantity(c->items[i].spec.name, &call, &level);
        if (call && c->items[i].kind != SLAW_CRITERION_FORECAST) return true;
    }
    return false;
}

bool slaw_check_needs_baseline(const slaw_check *c)
{
    for (size_t i = 0; i < c->n; i++)
        if (needs_baseline(c->items[i].kind)) return true;
    return false;
}

/* Text from the command line as messages quote it: short and printable. */
static const char *quoted(const char *text, char *buf, size_t size)
{
    return quote_text(text, strlen(text), buf, size);
}

slaw_status slaw_check_set_forecast_tol(slaw_check *c, const char *tol, bool two_sided,
                                        slaw_error *err)
{
    double v = c->forecast_tol;
    if (tol) {
        size_t len = strlen(tol);
        bool percent = len && tol[len - 1] == '%';
        char q[64];
        if (slaw_number_parse(tol, len - percent, &v, NULL) != SLAW_OK || !(v >= 0))
            return error_set(err, SLAW_EUSAGE, NULL, 0,
                             "'%s': expected a fraction (0.02) or a percentage (2%%)",
                             quoted(tol, q, sizeof q));
        /* As for --rtol: a plain 5 would be 500%, which is surely a typo for 5%. */
        if (!percent && v > 1)
            return error_set(err, SLAW_EUSAGE, NULL, 0,
                             "'%s': a forecast tolerance is a percentage (%g%%) or a fraction up "
                             "to 1 (%g)",
                             quoted(tol, q, sizeof q), v, v / 100);
        if (percent) v /= 100;
    }
    c->forecast_tol = v;
    c->two_sided = two_sided;
    return SLAW_OK;
}

static slaw_status add(slaw_check *c, slaw_criterion kind, const slaw_expect *spec,
                       const char *text, slaw_error *err)
{
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 8;
        criterion *items = realloc(c->items, cap * sizeof *items);
        if (!items) return error_nomem(err);
        c->items = items;
        c->cap = cap;
    }
    while (*text == ' ' || *text == '\t') text++;
    size_t len = strlen(text);
    while (len && (text[len - 1] == ' ' || text[len - 1] == '\t')) len--;
    criterion *it = &c->items[c->n];
    *it = (criterion){.kind = kind};
    if (spec) it->spec = *spec;
    if (!(it->text = strndup(text, len))) return error_nomem(err);
    c->n++;
    return SLAW_OK;
}

slaw_status slaw_check_add_tol(slaw_check *c, const char *spec, slaw_error *err)
{
    slaw_expect e;
    slaw_status st = slaw_expect_parse_tolerance(spec, &e, err);
    if (st) return st;
    /* NAME=V% is relative whichever option it came through. */
    return add(c, e.form == SLAW_EXPECT_PERCENT ? SLAW_CRITERION_RTOL : SLAW_CRITERION_TOL, &e,
               spec, err);
}

slaw_status slaw_check_add_rtol(slaw_check *c, const char *spec, slaw_error *err)
{
    slaw_expect e;
    slaw_status st = slaw_expect_parse_tolerance(spec, &e, err);
    if (st) return st;
    /* A plain number is a fraction; 5 would be 500%, which is surely a typo for 5%. */
    char q[64];
    if (e.form == SLAW_EXPECT_TOLERANCE && e.value > 1)
        return error_set(err, SLAW_EUSAGE, NULL, 0,
                         "'%s': a relative tolerance is a percentage (%g%%) or a fraction up to 1 "
                         "(%g)",
                         quoted(spec, q, sizeof q), e.value, e.value / 100);
    e.form = SLAW_EXPECT_PERCENT;
    return add(c, SLAW_CRITERION_RTOL, &e, spec, err);
}

slaw_status slaw_check_add_sigma(slaw_check *c, const char *spec, slaw_error *err)
{
    slaw_expect e;
    slaw_status st = slaw_expect_parse_tolerance(spec, &e, err);
    if (st) return st;
    char q[64];
    if (e.form == SLAW_EXPECT_PERCENT)
        return error_set(err, SLAW_EUSAGE, NULL, 0,
                         "'%s': a number of standard errors takes no %%, e.g. 3",
                         quoted(spec, q, sizeof q));
    return add(c, SLAW_CRITERION_SIGMA, &e, spec, err);
}

slaw_status slaw_check_add_expect(slaw_check *c, const char *spec, slaw_error *err)
{
    slaw_expect e;
    slaw_status st = slaw_expect_parse(spec, &e, err);
    if (st) return st;
    char q[64];
    if (!strcmp(e.name, "*"))
        return error_set(err, SLAW_EUSAGE, NULL, 0,
                         "'%s': '*' stands for every parameter in tolerances only; name the "
                         "quantity",
                         quoted(spec, q, sizeof q));
    return add(c, SLAW_CRITERION_EXPECT, &e, spec, err);
}

slaw_status slaw_check_add_forecast(slaw_check *c, const char *point, slaw_error *err)
{
    /* The point's variables depend on the law: slaw_check_validate parses it.
     * Blanks mean nothing in a point, so "N = 7B, D = 140B" is labelled
     * "N=7B,D=140B" (and a line break cannot break a table). */
    char *compact = malloc(strlen(point) + 1);
    if (!compact) return error_nomem(err);
    size_t n = 0;
    for (const char *p = point; *p; p++)
        if (!isspace((unsigned char)*p)) compact[n++] = *p;
    compact[n] = '\0';
    slaw_status st = add(c, SLAW_CRITERION_FORECAST, NULL, compact, err);
    free(compact);
    return st;
}

/* ------------------------------------------------------------- validating */

bool coverage_quantity(const char *name, bool *is_call, size_t *level_index)
{
    size_t len = strlen(name);
    *is_call = !strncmp(name, "coverage(", 9) && len > 10 && name[len - 1] == ')';
    double level;
    if (!*is_call || slaw_number_parse(name + 9, len - 10, &level, NULL) != SLAW_OK) return false;
    for (size_t i = 0; i < SLAW_COVERAGE_LEVELS; i++)
        if (fabs(level - slaw_coverage_level(i)) < 1e-9) {
            *level_index = i;
            return true;
        }
    return false;
}

bool gain_quantity(const char *name, char *group, char *base, size_t size)
{
    size_t len = strlen(name);
    if (strncmp(name, "gain(", 5) != 0 || len < 7 || name[len - 1] != ')') return false;
    const char *inner = name + 5, *slash = memchr(inner, '/', len - 6);
    size_t glen = slash ? (size_t)(slash - inner) : len - 6;
    size_t blen = slash ? len - 6 - glen - 1 : 0;
    if (!glen || glen >= size || blen >= size || (slash && !blen)) return false;
    memcpy(group, inner, glen);
    group[glen] = '\0';
    memcpy(base, slash ? slash + 1 : "", blen);
    base[blen] = '\0';
    return true;
}

static bool quantity_find(const slaw_law *law, const char *name, quantity *q)
{
    bool call;
    size_t level;
    char group[SLAW_EXPECT_NAME_MAX], base[SLAW_EXPECT_NAME_MAX];
    if (gain_quantity(name, group, base, sizeof group)) {
        *q = (quantity){.gain = true};
        return law_reads_compute(law);
    }
    if (coverage_quantity(name, &call, &level)) {
        *q = (quantity){false, level, true, false};
        return true;
    }
    for (size_t j = 0; j < law->n_params; j++)
        if (!strcmp(law->params[j].name, name)) {
            *q = (quantity){false, j, false, false};
            return true;
        }
    for (size_t k = 0; k < law->n_derived; k++)
        if (!strcmp(law->derived_names[k], name)) {
            *q = (quantity){true, k, false, false};
            return true;
        }
    return false;
}

static slaw_status unknown_quantity(const criterion *it, const slaw_law *law, slaw_error *err)
{
    char names[400] = "", name[64], text[64];
    bool call;
    size_t level;
    coverage_quantity(it->spec.name, &call, &level);
    if (call)
        return error_set(err, SLAW_EUSAGE, NULL, 0,
                         "%s '%s': coverage(LEVEL) takes a level "
                         "the fit is calibrated at: 0.5, 0.8, 0.9 or 0.95",
                         slaw_criterion_name(it->kind), quoted(it->text, text, sizeof text));
    for (size_t j = 0; j < law->n_params; j++) {
        strncat(names, j ? ", " : "", sizeof names - strlen(names) - 1);
        strncat(names, law->params[j].name, sizeof names - strlen(names) - 1);
    }
    for (size_t k = 0; k < law->n_derived; k++) {
        strncat(names, k ? ", " : "; derived: ", sizeof names - strlen(names) - 1);
        strncat(names, law->derived_names[k], sizeof names - strlen(names) - 1);
    }
    return error_set(err, SLAW_EUSAGE, NULL, 0, "%s '%s': %s has no quantity '%s' (parameters: %s)",
                     slaw_criterion_name(it->kind), quoted(it->text, text, sizeof text), law->name,
                     quoted(it->spec.name, name, sizeof name), names);
}

slaw_status slaw_check_validate(const slaw_check *c, const slaw_law *law, bool has_baseline,
                                slaw_error *err)
{
    for (size_t i = 0; i < c->n; i++) {
        const criterion *it = &c->items[i];
        const char *kind = slaw_criterion_name(it->kind);
        quantity q;
        char text[64];
        if (!has_baseline && needs_baseline(it->kind))
            return error_set(err, SLAW_EUSAGE, NULL, 0,
                             "%s '%s' compares with a baseline fit, and none was given", kind,
                             quoted(it->text, text, sizeof text));
        if (it->kind == SLAW_CRITERION_FORECAST) {
            double vars[LAW_MAX_VARS];
            slaw_status st = slaw_expect_parse_point(law, it->text, vars, err);
            if (st && err) {
                /* Say which option the point came from. */
                char msg[sizeof err->message];
                memcpy(msg, err->message, sizeof msg);
                snprintf(err->message, sizeof err->message, "forecast %.1000s", msg);
            }
            if (st) return st;
        } else if (strcmp(it->spec.name, "*") != 0 && !quantity_find(law, it->spec.name, &q)) {
            return unknown_quantity(it, law, err);
        } else if (strcmp(it->spec.name, "*") != 0 && q.gain && it->kind != SLAW_CRITERION_EXPECT) {
            return error_set(err, SLAW_EUSAGE, NULL, 0,
                             "%s '%s': gain(GROUP) compares the groups "
                             "of the new fit; assert it with an expectation, e.g. "
                             "'gain(variant) >= 1'",
                             kind, quoted(it->text, text, sizeof text));
        } else if (strcmp(it->spec.name, "*") != 0 && q.coverage &&
                   it->kind != SLAW_CRITERION_EXPECT) {
            return error_set(err, SLAW_EUSAGE, NULL, 0,
                             "%s '%s': coverage(LEVEL) is a property "
                             "of the new fit alone; assert it with an expectation, e.g. "
                             "'coverage(0.9) >= 0.8'",
                             kind, quoted(it->text, text, sizeof text));
        }
    }
    return SLAW_OK;
}

/* ---------------------------------------------------------------- judging */

/* Judges one criterion on one pair of fits (base may be NULL), adding one
 * row per quantity it covers. */
static slaw_status judge_criterion(const slaw_check *c, const criterion *it, const judge_ctx *jc,
                                   slaw_verdict *v, slaw_error *err)
{
    const slaw_law *law = slaw_fit_law(jc->now);
    row_draft d;
    slaw_status st = SLAW_OK;
    if (it->kind == SLAW_CRITERION_FORECAST) {
        double vars[LAW_MAX_VARS];
        if ((st = slaw_expect_parse_point(law, it->text, vars, err))) return st;
        judge_forecast(jc, it->text, vars, c->forecast_tol, c->two_sided, &d);
        return verdict_add(v, &d, err);
    }
    if (strcmp(it->spec.name, "*") != 0) {
        quantity q;
        /* Validated against fits[0]'s law, which the reader requires of every
         * fit; kept as an error, not an assert, for artifacts built otherwise. */
        if (!quantity_find(law, it->spec.name, &q)) return unknown_quantity(it, law, err);
        if (q.gain) {
            char group[SLAW_EXPECT_NAME_MAX], base[SLAW_EXPECT_NAME_MAX];
            gain_quantity(it->spec.name, group, base, sizeof group);
            const char *mine = slaw_fit_group(jc->now);
            if (!mine || strcmp(mine, group) != 0) return SLAW_OK; /* judged once, at its group */
            judge_gain(jc, &it->spec, group, base, &d);
            return verdict_add(v, &d, err);
        }
        if (it->kind == SLAW_CRITERION_EXPECT) judge_expect(jc, q, &it->spec, &d);
        else judge_change(jc, it->kind, q, it->spec.value, &d);
        return verdict_add(v, &d, err);
    }
    /* "*": every parameter that is not held fixed. */
    for (size_t j = 0; j < law->n_params && st == SLAW_OK; j++) {
        if (slaw_fit_param_state(jc->now, j) == SLAW_PARAM_FIXED) continue;
        judge_change(jc, it->kind, (quantity){false, j, false, false}, it->spec.value, &d);
        st = verdict_add(v, &d, err);
    }
    return st;
}

static slaw_status judge_group(const slaw_check *c, const judge_ctx *jc, slaw_verdict *v,
                               slaw_error *err)
{
    row_draft d;
    judge_health(jc, c->allow_warnings, c->max_failed_resamples, &d);
    slaw_status st = verdict_add(v, &d, err);
    for (size_t i = 0; i < c->n && st == SLAW_OK; i++)
        st = judge_criterion(c, &c->items[i], jc, v, err);
    return st;
}

static bool same_group(const slaw_fit *a, const slaw_fit *b)
{
    const char *x = slaw_fit_group(a), *y = slaw_fit_group(b);
    return x == y || (x && y && !strcmp(x, y));
}

static const slaw_fit *find_group(const slaw_artifact *a, const slaw_fit *like)
{
    for (size_t i = 0; i < slaw_artifact_fit_count(a); i++)
        if (same_group(slaw_artifact_fit(a, i), like)) return slaw_artifact_fit(a, i);
    return NULL;
}

static const slaw_fit *find_group_named(const slaw_artifact *a, const char *group)
{
    for (size_t i = 0; i < slaw_artifact_fit_count(a); i++) {
        const char *g = slaw_fit_group(slaw_artifact_fit(a, i));
        if (g && !strcmp(g, group)) return slaw_artifact_fit(a, i);
    }
    return NULL;
}

/* gain(GROUP[/BASE]) names groups of the new fit; BASE may be left out
 * when there are two. */
static slaw_status check_gain_groups(const slaw_check *c, const slaw_artifact *now, slaw_error *err)
{
    for (size_t i = 0; i < c->n; i++) {
        char group[SLAW_EXPECT_NAME_MAX], base[SLAW_EXPECT_NAME_MAX], text[64];
        if (!gain_quantity(c->items[i].spec.name, group, base, sizeof group)) continue;
        const char *what = quoted(c->items[i].text, text, sizeof text);
        if (!find_group_named(now, group) || (*base && !find_group_named(now, base))) {
            const char *missing = find_group_named(now, group) ? base : group;
            const char *why = slaw_artifact_group_failure(now, missing);
            if (why)
                return error_set(err, SLAW_EFIT, NULL, 0,
                                 "expect '%s': group '%s' was not fitted "
                                 "(%s)",
                                 what, missing, why);
            return error_set(err, SLAW_EUSAGE, NULL, 0,
                             "expect '%s': the new fit has no group '%s'", what, missing);
        }
        if (!*base && slaw_artifact_fit_count(now) != 2)
            return error_set(err, SLAW_EUSAGE, NULL, 0,
                             "expect '%s': the new fit has %zu groups; name the baseline, "
                             "gain(%s/BASELINE)",
                             what, slaw_artifact_fit_count(now), group);
    }
    return SLAW_OK;
}

slaw_status slaw_check_run(const slaw_check *c, const slaw_artifact *baseline,
                           const slaw_artifact *now, slaw_verdict **out, slaw_error *err)
{
    const slaw_law *law = slaw_fit_law(slaw_artifact_fit(now, 0));
    if (baseline) {
        const slaw_law *base_law = slaw_fit_law(slaw_artifact_fit(baseline, 0));
        if (!law_same(base_law, law))
            return error_set(err, SLAW_EINPUT, NULL, 0,
                             "the baseline fits law %s and the new fit law %s: they cannot be "
                             "compared",
                             base_law->name, law->name);
    }
    slaw_status st = slaw_check_validate(c, law, baseline != NULL, err);
    if (st) return st;
    slaw_verdict *v = verdict_new();
    if (!v) return error_nomem(err);
    const char *target = slaw_artifact_role_column(now, SLAW_ROLE_L, NULL);
    judge_ctx jc = {.target = target ? target : "prediction", .now_artifact = now};
    if ((st = check_gain_groups(c, now, err))) {
        slaw_verdict_free(v);
        return st;
    }
    const slaw_artifact *first = baseline ? baseline : now;
    for (size_t i = 0; i < slaw_artifact_fit_count(first) && st == SLAW_OK; i++) {
        const slaw_fit *f = slaw_artifact_fit(first, i);
        jc.base = baseline ? f : NULL;
        jc.now = baseline ? find_group(now, f) : f;
        if (jc.now) {
            st = judge_group(c, &jc, v, err);
        } else {
            row_draft d;
            const char *why = slaw_artifact_group_failure(now, slaw_fit_group(f));
            if (why) judge_failed_group(slaw_fit_group(f), why, false, &d);
            else judge_missing_group(slaw_fit_group(f), true, &d);
            st = verdict_add(v, &d, err);
        }
    }
    for (size_t i = 0; baseline && i < slaw_artifact_fit_count(now) && st == SLAW_OK; i++) {
        const slaw_fit *f = slaw_artifact_fit(now, i);
        if (find_group(baseline, f)) continue;
        row_draft d;
        const char *why = slaw_artifact_group_failure(baseline, slaw_fit_group(f));
        if (why) judge_failed_group(slaw_fit_group(f), why, true, &d);
        else judge_missing_group(slaw_fit_group(f), false, &d);
        st = verdict_add(v, &d, err);
    }
    /* Groups the new fit could not fit and the first loop did not meet. */
    for (size_t i = 0; i < slaw_artifact_failed_count(now) && st == SLAW_OK; i++) {
        const char *why, *group = slaw_artifact_failed(now, i, &why);
        if (baseline && find_group_named(baseline, group)) continue;
        row_draft d;
        judge_failed_group(group, why, false, &d);
        st = verdict_add(v, &d, err);
    }
    if (st) {
        slaw_verdict_free(v);
        return st;
    }
    *out = v;
    return SLAW_OK;
}
