/* check_judge.c — one criterion judged on one pair of fits, worded as a verdict
 * row whose message a person understands without the docs:
 *   "forecast N=7B,D=140B: loss 2.41 -> 2.46 (+2.03%), limit +2%: FAIL (worse)" */
#include "artifact.h"
#include "check.h"

#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------- quantities */

static const char *quantity_name(const slaw_law *law, quantity q)
{
    static const char *const coverage[SLAW_COVERAGE_LEVELS] = {"coverage(0.5)", "coverage(0.8)",
                                                               "coverage(0.9)", "coverage(0.95)"};
    if (q.coverage) return coverage[q.index];
    return q.derived ? law->derived_names[q.index] : law->params[q.index].name;
}

static double quantity_value(const slaw_fit *f, quantity q)
{
    if (q.coverage) return f->calib ? f->calib[q.index].fraction : NAN;
    return q.derived ? slaw_fit_derived(f, q.index, NULL) : slaw_fit_value(f, q.index);
}

/* What a coverage value rests on: " (190 of 238 rollout runs, 95% CI
 * 0.74-0.84)", or why there is none. */
static void coverage_basis(const slaw_fit *f, quantity q, char *buf, size_t size)
{
    if (!f->calib) {
        snprintf(buf, size, ": the fit has no calibration (fit with calibrate)");
        return;
    }
    const slaw_coverage *c = &f->calib[q.index];
    snprintf(buf, size, " (%zu of %zu rollout runs, 95%% CI %.2f-%.2f)", c->inside, c->n, c->ci_lo,
             c->ci_hi);
}

/* The standard error from the bootstrap samples (boot) or the covariance;
 * NaN when there is none. */
static double quantity_se(const slaw_fit *f, quantity q, bool boot)
{
    double se = NAN, lo, hi;
    if (boot) {
        bool ok = q.derived ? slaw_fit_bootstrap_derived(f, q.index, &se, &lo, &hi)
                            : slaw_fit_bootstrap_param(f, q.index, &se, &lo, &hi);
        return ok ? se : NAN;
    }
    if (q.derived) slaw_fit_derived(f, q.index, &se);
    else se = slaw_fit_stderr(f, q.index);
    return se;
}

static bool quantity_identified(const slaw_fit *f, quantity q)
{
    return q.derived ? slaw_fit_derived_identified(f, q.index) : slaw_fit_identified(f, q.index);
}

static bool has_bootstrap(const slaw_fit *f)
{
    return slaw_fit_bootstrap_count(f) >= 2;
}

/* now - base, where a difference of a few units in the last place (a JSON
 * round trip, a derived quantity computed again) counts as none. */
static double difference(double now, double base)
{
    double d = now - base;
    return fabs(d) <= 4 * DBL_EPSILON * fmax(fabs(now), fabs(base)) ? 0.0 : d;
}

/* ------------------------------------------------------------- wording */

static void draft_init(row_draft *d, slaw_criterion kind, const char *group, const char *subject)
{
    memset(d, 0, sizeof *d);
    d->criterion = kind;
    d->group = group;
    d->baseline = d->now = d->change = d->limit = NAN;
    snprintf(d->subject, sizeof d->subject, "%s", subject);
    if (kind == SLAW_CRITERION_FIT) snprintf(d->label, sizeof d->label, "fit health");
    else if (kind == SLAW_CRITERION_GROUP) snprintf(d->label, sizeof d->label, "group");
    else snprintf(d->label, sizeof d->label, "%s %s", slaw_criterion_name(kind), subject);
}

/* The message: "group 'g': " (grouped fits), the label, the body, and the
 * outcome with an optional note: "...: FAIL (worse)". */
static void draft_message(row_draft *d, bool with_label, const char *note, const char *fmt, ...)
    SLAW_PRINTF(4, 5);

static void draft_message(row_draft *d, bool with_label, const char *note, const char *fmt, ...)
{
    char body[900], group[64];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(body, sizeof body, fmt, ap);
    va_end(ap);
    size_t o = 0;
    if (d->group)
        o += (size_t)snprintf(d->message, sizeof d->message, "group '%s': ",
                              quote_text(d->group, strlen(d->group), group, sizeof group));
    if (with_label && o < sizeof d->message)
        o += (size_t)snprintf(d->message + o, sizeof d->message - o, "%s: ", d->label);
    if (o < sizeof d->message)
        snprintf(d->message + o, sizeof d->message - o, "%s: %s%s%s%s", body,
                 d->pass ? "PASS" : "FAIL", note && *note ? " (" : "", note ? note : "",
                 note && *note ? ")" : "");
}

static const char *value_text(double v, char *buf, size_t size)
{
    if (isnan(v)) snprintf(buf, size, "-");
    else snprintf(buf, size, "%.6g", v);
    return buf;
}

/* x with a sign, in as few significant digits (at least 3) as tell |x|
 * apart from limit, so that a change that fails never reads the same as its
 * limit ("+2% ... limit +2%: FAIL" shows "+2.004%"); percent scales
 * fractions to percentages. */
static void change_text(double x, double limit, bool percent, char *buf, size_t size)
{
    double scale = percent ? 100.0 : 1.0;
    x = x * scale + 0.0; /* no "-0" */
    limit *= scale;
    int digits = 3;
    while (digits < 12 && isfinite(x) && isfinite(limit) && fabs(x) != limit) {
        char a[64], b[64];
        snprintf(a, sizeof a, "%.*g", digits, fabs(x));
        snprintf(b, sizeof b, "%.*g", digits, limit);
        if (strcmp(a, b) != 0) break;
        digits++;
    }
    if (isnan(x)) snprintf(buf, size, "-");
    else snprintf(buf, size, "%+.*g%s", digits, x, percent ? "%" : "");
}

/* -------------------------------------------------------------- criteria */

/* Whether warning i of f is the one about failed bootstrap resamples, and
 * they are at most max_failed of the resamples. */
static bool resamples_within(const slaw_fit *f, size_t i, double max_failed)
{
    size_t failed = slaw_fit_bootstrap_failures(f);
    size_t total = failed + slaw_fit_bootstrap_count(f);
    return failed && strstr(slaw_fit_warning(f, i), BOOT_FAILURE_WARNING) &&
           (double)failed <= max_failed * (double)total;
}

void judge_health(const judge_ctx *jc, bool allow_warnings, double max_failed, row_draft *d)
{
    size_t n = slaw_fit_warning_count(jc->now), counted = n;
    draft_init(d, SLAW_CRITERION_FIT, slaw_fit_group(jc->now), "");
    for (size_t i = 0; i < n; i++) counted -= resamples_within(jc->now, i, max_failed);
    d->now = (double)counted;
    if (jc->base) d->baseline = (double)slaw_fit_warning_count(jc->base);
    d->pass = counted == 0 || allow_warnings;
    snprintf(d->limit_text, sizeof d->limit_text, "%s",
             allow_warnings ? "warnings allowed" : "no warnings");
    bool resamples_failed = slaw_fit_bootstrap_failures(jc->now) > 0;
    if (resamples_failed && !allow_warnings)
        snprintf(d->limit_text, sizeof d->limit_text, "no warnings, resamples failed <= %g%%",
                 100 * max_failed);
    if (counted < n && counted == 0) {
        draft_message(d, true, NULL,
                      "no warnings that count (%s: within the %g%% of failed "
                      "resamples allowed)",
                      slaw_fit_warning(jc->now, 0), 100 * max_failed);
        return;
    }
    if (n == 0) {
        draft_message(d, true, NULL, "no warnings");
        return;
    }
    char list[800] = "";
    for (size_t i = 0; i < n; i++) {
        strncat(list, i ? "; " : "", sizeof list - strlen(list) - 1);
        strncat(list, slaw_fit_warning(jc->now, i), sizeof list - strlen(list) - 1);
    }
    char note[200];
    snprintf(note, sizeof note, "%s%s",
             d->pass ? "warnings allowed" : "warnings fail unless allowed with allow_warnings",
             !d->pass && resamples_failed && counted == n
                 ? "; failed resamples count above max_failed_resamples, now "
                 : "");
    if (!d->pass && resamples_failed && counted == n) {
        size_t o = strlen(note);
        snprintf(note + o, sizeof note - o, "%g%%", 100 * max_failed);
    }
    draft_message(d, true, note, "%zu warning%s: %s", n, n == 1 ? "" : "s", list);
}

void judge_missing_group(const char *group, bool in_baseline, row_draft *d)
{
    draft_init(d, SLAW_CRITERION_GROUP, group, group ? group : "");
    snprintf(d->limit_text, sizeof d->limit_text, "in both fits");
    d->pass = false;
    draft_message(d, false, NULL, "%s in the %s but not in the %s",
                  group ? "the group is" : "the ungrouped fit is",
                  in_baseline ? "baseline" : "new fit", in_baseline ? "new fit" : "baseline");
}

void judge_failed_group(const char *group, const char *reason, bool in_baseline, row_draft *d)
{
    draft_init(d, SLAW_CRITERION_GROUP, group, group);
    snprintf(d->limit_text, sizeof d->limit_text, "fitted");
    d->pass = false;
    draft_message(d, false, NULL, "the group could not be fitted in the %s: %s",
                  in_baseline ? "baseline" : "new fit", reason);
}

/* How far apart, in combined standard errors; fills d for SIGMA. */
static void judge_sigma(const judge_ctx *jc, quantity q, double k, row_draft *d, char *body,
                        size_t size)
{
    bool boot = has_bootstrap(jc->base) && has_bootstrap(jc->now);
    double se = hypot(quantity_se(jc->base, q, boot), quantity_se(jc->now, q, boot));
    double diff = d->change;
    char a[32], b[32], c[32];
    value_text(d->baseline, a, sizeof a);
    value_text(d->now, b, sizeof b);
    change_text(diff, NAN, false, c, sizeof c);
    bool base_known = quantity_identified(jc->base, q), now_known = quantity_identified(jc->now, q);
    if (!base_known || !now_known) {
        d->pass = false;
        snprintf(d->limit_text, sizeof d->limit_text, "%g sigma", k);
        snprintf(body, size,
                 "%s -> %s (change %s); cannot judge: the runs do not determine %s in %s, "
                 "so it has no standard error",
                 a, b, c, quantity_name(slaw_fit_law(jc->now), q),
                 !base_known && !now_known ? "either fit"
                 : !base_known             ? "the baseline"
                                           : "the new fit");
        return;
    }
    if (!(se > 0) || !isfinite(se)) {
        d->pass = diff == 0;
        snprintf(d->limit_text, sizeof d->limit_text, "%g sigma", k);
        snprintf(body, size,
                 "%s -> %s (change %s); no standard error (the parameter is fixed or "
                 "pinned), so only no change passes",
                 a, b, c);
        return;
    }
    d->limit = k * se;
    d->pass = fabs(diff) <= d->limit;
    snprintf(d->change_text, sizeof d->change_text, "%s (%.3g sigma)", c, fabs(diff) / se);
    snprintf(d->limit_text, sizeof d->limit_text, "%g sigma = %.4g", k, d->limit);
    snprintf(body, size,
             "%s -> %s (change %s = %.3g combined %sstandard errors of %.3g), "
             "allowed %g",
             a, b, c, fabs(diff) / se, boot ? "bootstrap " : "", se, k);
}

void judge_change(const judge_ctx *jc, slaw_criterion kind, quantity q, double limit, row_draft *d)
{
    const slaw_law *law = slaw_fit_law(jc->now);
    char a[32], b[32], body[600];
    draft_init(d, kind, slaw_fit_group(jc->now), quantity_name(law, q));
    d->baseline = quantity_value(jc->base, q);
    d->now = quantity_value(jc->now, q);
    double diff = difference(d->now, d->baseline);
    value_text(d->baseline, a, sizeof a);
    value_text(d->now, b, sizeof b);
    const char *note = NULL;
    if (kind == SLAW_CRITERION_SIGMA) {
        d->change = diff;
        judge_sigma(jc, q, limit, d, body, sizeof body);
    } else if (kind == SLAW_CRITERION_RTOL) {
        d->limit = limit;
        d->change = d->baseline != 0 ? diff / fabs(d->baseline) : diff == 0 ? 0.0 : NAN;
        d->pass = fabs(d->change) <= limit;
        if (isnan(d->change)) note = "the baseline is 0, so a relative change is undefined";
        change_text(d->change, limit, true, d->change_text, sizeof d->change_text);
        snprintf(d->limit_text, sizeof d->limit_text, "+-%g%%", 100 * limit);
        snprintf(body, sizeof body, "%s -> %s (change %s), allowed %s", a, b, d->change_text,
                 d->limit_text);
    } else {
        d->limit = limit;
        d->change = diff;
        d->pass = fabs(diff) <= limit;
        change_text(diff, limit, false, d->change_text, sizeof d->change_text);
        snprintf(d->limit_text, sizeof d->limit_text, "+-%g", limit);
        snprintf(body, sizeof body, "%s -> %s (change %s), allowed %s", a, b, d->change_text,
                 d->limit_text);
    }
    draft_message(d, true, note, "%s", body);
}

void judge_expect(const judge_ctx *jc, quantity q, const slaw_expect *e, row_draft *d)
{
    const slaw_law *law = slaw_fit_law(jc->now);
    char a[160], b[32];
    draft_init(d, SLAW_CRITERION_EXPECT, slaw_fit_group(jc->now), quantity_name(law, q));
    double x = d->now = quantity_value(jc->now, q);
    d->pass = x >= e->lo && x <= e->hi && !(e->form == SLAW_EXPECT_GT && x == e->lo) &&
              !(e->form == SLAW_EXPECT_LT && x == e->hi);
    switch (e->form) {
    case SLAW_EXPECT_NEAR:
        snprintf(d->limit_text, sizeof d->limit_text, "%g+-%g", e->value, e->tol);
        break;
    case SLAW_EXPECT_GT: snprintf(d->limit_text, sizeof d->limit_text, "> %g", e->value); break;
    case SLAW_EXPECT_GE: snprintf(d->limit_text, sizeof d->limit_text, ">= %g", e->value); break;
    case SLAW_EXPECT_LT: snprintf(d->limit_text, sizeof d->limit_text, "< %g", e->value); break;
    case SLAW_EXPECT_LE: snprintf(d->limit_text, sizeof d->limit_text, "<= %g", e->value); break;
    default: snprintf(d->limit_text, sizeof d->limit_text, "in [%g, %g]", e->lo, e->hi); break;
    }
    char range[80] = "", basis[120] = "";
    if (e->form == SLAW_EXPECT_NEAR) snprintf(range, sizeof range, " (%g to %g)", e->lo, e->hi);
    value_text(x, a, sizeof a);
    if (q.coverage) {
        coverage_basis(jc->now, q, basis, sizeof basis);
        strncat(a, basis, sizeof a - strlen(a) - 1);
    }
    if (!jc->base) {
        draft_message(d, true, NULL, "%s, expected %s%s", a, d->limit_text, range);
        return;
    }
    d->baseline = quantity_value(jc->base, q);
    d->change = difference(x, d->baseline);
    change_text(d->change, NAN, false, d->change_text, sizeof d->change_text);
    draft_message(d, true, NULL, "%s (baseline %s), expected %s%s", a,
                  value_text(d->baseline, b, sizeof b), d->limit_text, range);
}

void judge_forecast(const judge_ctx *jc, const char *point, const double *vars, double tol,
                    bool two_sided, row_draft *d)
{
    char a[32], b[32];
    draft_init(d, SLAW_CRITERION_FORECAST, slaw_fit_group(jc->now), point);
    d->baseline = slaw_fit_predict(jc->base, vars);
    d->now = slaw_fit_predict(jc->now, vars);
    d->change = difference(d->now, d->baseline) / fabs(d->baseline);
    d->limit = tol;
    bool finite = isfinite(d->change);
    bool worse = d->change > tol, better = d->change < -tol;
    d->pass = finite && !worse && !(two_sided && better);
    const char *note = !finite               ? "a prediction is not finite"
                       : worse               ? "worse"
                       : better && two_sided ? "better by more than the limit, and the check is "
                                               "two-sided"
                       : d->change < 0       ? "better"
                                             : NULL;
    change_text(d->change, tol, true, d->change_text, sizeof d->change_text);
    snprintf(d->limit_text, sizeof d->limit_text, "%s%g%%", two_sided ? "+-" : "+", 100 * tol);
    draft_message(d, true, note, "%s %s -> %s (%s), limit %s", jc->target,
                  value_text(d->baseline, a, sizeof a), value_text(d->now, b, sizeof b),
                  d->change_text, d->limit_text);
}

/* The compute the gain is judged at: the largest of the new fit's runs. */
static double largest_compute(const slaw_artifact *a)
{
    double c = 0;
    for (size_t i = 0; i < slaw_artifact_fit_count(a); i++)
        c = fmax(c, slaw_artifact_fit(a, i)->c_max);
    return c;
}

void judge_gain(const judge_ctx *jc, const slaw_expect *e, const char *group, const char *base,
                row_draft *d)
{
    const slaw_artifact *a = jc->now_artifact;
    char subject[160], a_text[32], lo[32], hi[32];
    if (!*base)
        for (size_t i = 0; i < slaw_artifact_fit_count(a); i++)
            if (strcmp(slaw_fit_group(slaw_artifact_fit(a, i)), group) != 0)
                base = slaw_fit_group(slaw_artifact_fit(a, i));
    snprintf(subject, sizeof subject, "gain(%s/%s)", group, base);
    draft_init(d, SLAW_CRITERION_EXPECT, group, subject);
    snprintf(d->limit_text, sizeof d->limit_text, "%s",
             e->form == SLAW_EXPECT_GE   ? ">="
             : e->form == SLAW_EXPECT_GT ? ">"
             : e->form == SLAW_EXPECT_LE ? "<="
             : e->form == SLAW_EXPECT_LT ? "<"
                                         : "in");
    if (e->form >= SLAW_EXPECT_GT && e->form <= SLAW_EXPECT_LE)
        snprintf(d->limit_text + strlen(d->limit_text),
                 sizeof d->limit_text - strlen(d->limit_text), " %g", e->value);
    else snprintf(d->limit_text, sizeof d->limit_text, "in [%g, %g]", e->lo, e->hi);
    slaw_gain g;
    slaw_error err;
    double C = largest_compute(a);
    if (slaw_gain_at(a, base, group, NULL, C, NULL, &g, &err) != SLAW_OK) {
        d->pass = false;
        draft_message(d, true, NULL, "cannot be computed: %s", err.message);
        return;
    }
    d->now = g.gain.value;
    /* Fails only when the whole interval misses what is expected: the
     * group loses (or wins) with the interval's confidence. */
    double top = isnan(g.gain.hi) ? g.gain.value : g.gain.hi;
    double bottom = isnan(g.gain.lo) ? g.gain.value : g.gain.lo;
    d->pass = top >= e->lo && bottom <= e->hi && !(e->form == SLAW_EXPECT_GT && top == e->lo) &&
              !(e->form == SLAW_EXPECT_LT && bottom == e->hi);
    if (isnan(g.gain.lo))
        draft_message(d, true, NULL, "k = %s at C = %.3g (no interval), expected %s",
                      value_text(g.gain.value, a_text, sizeof a_text), C, d->limit_text);
    else
        draft_message(d, true, d->pass ? NULL : "the whole interval misses it",
                      "k = %s, %g%% interval [%s, %s], P(k > 1) = %.3f at C = %.3g, expected %s",
                      value_text(g.gain.value, a_text, sizeof a_text), 100 * g.level,
                      value_text(g.gain.lo, lo, sizeof lo), value_text(g.gain.hi, hi, sizeof hi),
                      g.p_above_1, C, d->limit_text);
}
