/* test_check.c — slaw check's criteria judged into verdicts: every
 * criterion passing and failing, fit health, groups, validation errors. */
#include "helpers.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- fixtures */

/* chinchilla fitted to the bundled synthetic grid (36 runs). */
static slaw_artifact *grid_fit(size_t bootstrap, const char *bound)
{
    const char *path = source_path("data/synthetic/chinchilla_grid.csv");
    slaw_runs *runs = NULL;
    slaw_error err;
    if (slaw_runs_load(&path, 1, NULL, &runs, &err) != SLAW_OK) fail_msg("%s", err.message);
    slaw_fit_options opt;
    slaw_fit_options_init(&opt);
    opt.law = "chinchilla";
    opt.bootstrap = bootstrap;
    opt.seed = 7;
    if (bound) {
        opt.bound = &bound;
        opt.n_bound = 1;
    }
    slaw_artifact *a = NULL;
    if (slaw_fit_runs(runs, &opt, &a, &err) != SLAW_OK) fail_msg("%s", err.message);
    slaw_runs_free(runs);
    return a;
}

/* A copy of a with JSON edits: fits[fit].params.NAME.value (or
 * fits[fit].derived.NAME.value) scaled by factor, and a group renamed. */
typedef struct edit {
    size_t fit;
    const char *name; /* NULL: none */
    bool derived;
    double factor;
    const char *group;   /* new group name for fits[fit]; NULL: keep */
    const char *warning; /* added to fits[fit].diagnostics.warnings; NULL: none */
} edit;

static slaw_artifact *edited(const slaw_artifact *a, const edit *e)
{
    char *text = slaw_artifact_to_json(a);
    cJSON *doc = cJSON_Parse(text);
    free(text);
    cJSON *fit = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "fits"), (int)e->fit);
    assert_non_null(fit);
    if (e->name) {
        cJSON *q = cJSON_GetObjectItem(cJSON_GetObjectItem(fit, e->derived ? "derived" : "params"),
                                       e->name);
        cJSON *v = cJSON_GetObjectItem(q, "value");
        assert_non_null(v);
        cJSON_SetNumberValue(v, v->valuedouble * e->factor);
    }
    if (e->group) cJSON_ReplaceItemInObject(fit, "group", cJSON_CreateString(e->group));
    if (e->warning)
        cJSON_AddItemToArray(
            cJSON_GetObjectItem(cJSON_GetObjectItem(fit, "diagnostics"), "warnings"),
            cJSON_CreateString(e->warning));
    text = cJSON_Print(doc);
    cJSON_Delete(doc);
    slaw_artifact *out = NULL;
    slaw_error err;
    if (slaw_artifact_parse("edited.json", text, strlen(text), &out, &err) != SLAW_OK)
        fail_msg("%s", err.message);
    free(text);
    return out;
}

static slaw_artifact *scaled(const slaw_artifact *a, const char *name, double factor)
{
    return edited(a, &(edit){.name = name, .factor = factor});
}

typedef slaw_status (*add_fn)(slaw_check *, const char *, slaw_error *);

/* The verdict of one criterion (after the fit-health row, which is row 0). */
static slaw_verdict *judge(add_fn add, const char *spec, const slaw_artifact *base,
                           const slaw_artifact *now)
{
    slaw_check *c = slaw_check_new();
    slaw_error err;
    slaw_verdict *v = NULL;
    if (add && add(c, spec, &err) != SLAW_OK) fail_msg("%s: %s", spec, err.message);
    if (slaw_check_run(c, base, now, &v, &err) != SLAW_OK)
        fail_msg("%s: %s", spec ? spec : "(no criterion)", err.message);
    slaw_check_free(c);
    return v;
}

static const slaw_verdict_row *row(const slaw_verdict *v, size_t i)
{
    const slaw_verdict_row *r = slaw_verdict_get(v, i);
    assert_non_null(r);
    return r;
}

static void assert_contains(const char *text, const char *want)
{
    if (!strstr(text, want)) fail_msg("'%s' lacks '%s'", text, want);
}

/* One criterion: passes on `pass`, fails on `fail` with want in its message. */
static void assert_pass_then_fail(add_fn add, const char *spec, const slaw_artifact *base,
                                  const slaw_artifact *pass, const slaw_artifact *fail,
                                  const char *want)
{
    slaw_verdict *v = judge(add, spec, base, pass);
    assert_int_equal(slaw_verdict_count(v), 2);
    assert_int_equal(slaw_verdict_failures(v), 0);
    assert_true(row(v, 1)->pass);
    assert_contains(row(v, 1)->message, ": PASS");
    slaw_verdict_free(v);
    v = judge(add, spec, base, fail);
    assert_int_equal(slaw_verdict_failures(v), 1);
    assert_false(row(v, 1)->pass);
    assert_contains(row(v, 1)->message, want);
    slaw_verdict_free(v);
}

/* -------------------------------------------------------------- criteria */

static void tol_should_pass_small_changes_and_fail_large_ones(void **state)
{
    (void)state;
    slaw_artifact *base = grid_fit(0, NULL), *near = scaled(base, "alpha", 1.01),
                  *far = scaled(base, "alpha", 1.2);
    double alpha;
    slaw_fit_value_of(slaw_artifact_fit(base, 0), "alpha", &alpha);
    assert_pass_then_fail(slaw_check_add_tol, "alpha=0.01", base, near, far,
                          ", allowed +-0.01: FAIL");
    slaw_verdict *v = judge(slaw_check_add_tol, "alpha=0.01", base, far);
    const slaw_verdict_row *r = row(v, 1);
    assert_int_equal(r->criterion, SLAW_CRITERION_TOL);
    assert_string_equal(r->label, "tol alpha");
    assert_string_equal(r->subject, "alpha");
    assert_null(r->group);
    assert_true(r->baseline == alpha);
    assert_close(r->now, alpha * 1.2, 1e-12);
    assert_close(r->change, alpha * 0.2, 1e-9);
    assert_true(r->limit == 0.01);
    assert_string_equal(r->limit_text, "+-0.01");
    assert_true(r->change_text[0] == '+');
    slaw_verdict_free(v);
    /* The same fit, compared with itself, changes by nothing. */
    v = judge(slaw_check_add_tol, "*=0", base, base);
    assert_int_equal(slaw_verdict_count(v), 6); /* health + 5 parameters */
    assert_int_equal(slaw_verdict_failures(v), 0);
    assert_string_equal(row(v, 1)->change_text, "+0");
    slaw_verdict_free(v);
    slaw_artifact_free(base);
    slaw_artifact_free(near);
    slaw_artifact_free(far);
}

static void rtol_should_judge_relative_changes(void **state)
{
    (void)state;
    slaw_artifact *base = grid_fit(0, NULL), *near = scaled(base, "A", 1.04),
                  *far = scaled(base, "A", 0.9);
    assert_pass_then_fail(slaw_check_add_rtol, "A=5%", base, near, far,
                          "(change -10%), allowed +-5%: FAIL");
    assert_pass_then_fail(slaw_check_add_rtol, "A=0.05", base, near, far, "allowed +-5%: FAIL");
    /* --tol NAME=V% is relative too. */
    slaw_verdict *v = judge(slaw_check_add_tol, "A=5%", base, far);
    assert_int_equal(row(v, 1)->criterion, SLAW_CRITERION_RTOL);
    assert_close(row(v, 1)->change, -0.1, 1e-9);
    assert_true(row(v, 1)->limit == 0.05);
    slaw_verdict_free(v);
    /* A plain number above 1 is surely a percentage without its sign. */
    slaw_check *c = slaw_check_new();
    slaw_error err;
    assert_int_equal(slaw_check_add_rtol(c, "A=5", &err), SLAW_EUSAGE);
    assert_contains(err.message, "a percentage (5%) or a fraction up to 1 (0.05)");
    slaw_check_free(c);
    /* A baseline of 0 has no relative change: only no change passes. */
    slaw_artifact *zero = scaled(base, "alpha", 0.0), *moved = scaled(base, "alpha", 1.0);
    v = judge(slaw_check_add_rtol, "alpha=5%", zero, moved);
    assert_false(row(v, 1)->pass);
    assert_contains(row(v, 1)->message, "the baseline is 0");
    slaw_verdict_free(v);
    v = judge(slaw_check_add_rtol, "alpha=5%", zero, zero);
    assert_true(row(v, 1)->pass);
    slaw_verdict_free(v);
    slaw_artifact_free(zero);
    slaw_artifact_free(moved);
    slaw_artifact_free(base);
    slaw_artifact_free(near);
    slaw_artifact_free(far);
}

static void sigma_should_use_combined_standard_errors(void **state)
{
    (void)state;
    slaw_artifact *base = grid_fit(0, NULL);
    const slaw_fit *f = slaw_artifact_fit(base, 0);
    double alpha = slaw_fit_value(f, 3), se = slaw_fit_stderr(f, 3);
    /* Moves of 2 and 5 combined standard errors (sqrt 2 se). */
    slaw_artifact *near = scaled(base, "alpha", 1 + 2 * sqrt(2) * se / alpha),
                  *far = scaled(base, "alpha", 1 + 5 * sqrt(2) * se / alpha);
    assert_pass_then_fail(slaw_check_add_sigma, "alpha=3", base, near, far,
                          "= 5 combined standard errors");
    slaw_verdict *v = judge(slaw_check_add_sigma, "alpha=3", base, far);
    assert_close(row(v, 1)->limit, 3 * sqrt(2) * se, 1e-9);
    assert_string_equal(row(v, 1)->change_text + strlen(row(v, 1)->change_text) - 9, "(5 sigma)");
    slaw_verdict_free(v);
    /* "3" alone covers every parameter. */
    v = judge(slaw_check_add_sigma, "3", base, far);
    assert_int_equal(slaw_verdict_count(v), 6);
    assert_int_equal(slaw_verdict_failures(v), 1);
    assert_string_equal(row(v, 4)->label, "sigma alpha");
    slaw_verdict_free(v);
    /* A % makes no sense for standard errors. */
    slaw_check *c = slaw_check_new();
    slaw_error err;
    assert_int_equal(slaw_check_add_sigma(c, "3%", &err), SLAW_EUSAGE);
    slaw_check_free(c);
    slaw_artifact_free(base);
    slaw_artifact_free(near);
    slaw_artifact_free(far);
}

static void sigma_should_prefer_bootstrap_errors_when_both_have_them(void **state)
{
    (void)state;
    slaw_artifact *base = grid_fit(20, NULL), *plain = grid_fit(0, NULL);
    const slaw_fit *f = slaw_artifact_fit(base, 0);
    double se, lo, hi;
    assert_true(slaw_fit_bootstrap_param(f, 3, &se, &lo, &hi));
    slaw_verdict *v = judge(slaw_check_add_sigma, "alpha=3", base, base);
    assert_true(row(v, 1)->pass);
    assert_contains(row(v, 1)->message, "combined bootstrap standard errors");
    assert_close(row(v, 1)->limit, 3 * sqrt(2) * se, 1e-9);
    slaw_verdict_free(v);
    /* Only one side bootstrapped: the covariance errors of both. */
    v = judge(slaw_check_add_sigma, "alpha=3", base, plain);
    assert_close(row(v, 1)->limit,
                 3 * hypot(slaw_fit_stderr(f, 3), slaw_fit_stderr(slaw_artifact_fit(plain, 0), 3)),
                 1e-9);
    assert_true(strstr(row(v, 1)->message, "bootstrap") == NULL);
    slaw_verdict_free(v);
    slaw_artifact_free(base);
    slaw_artifact_free(plain);
}

static void sigma_without_standard_errors_should_pass_only_no_change(void **state)
{
    (void)state;
    /* alpha pinned at its bound: no standard error. */
    slaw_artifact *base = grid_fit(0, "alpha=0.1:0.3"), *moved = scaled(base, "alpha", 1.01);
    slaw_verdict *v = judge(slaw_check_add_sigma, "alpha=3", base, base);
    assert_true(row(v, 1)->pass);
    slaw_verdict_free(v);
    v = judge(slaw_check_add_sigma, "alpha=3", base, moved);
    assert_false(row(v, 1)->pass);
    assert_contains(row(v, 1)->message, "no standard error");
    slaw_verdict_free(v);
    slaw_artifact_free(base);
    slaw_artifact_free(moved);
}

static void expect_should_assert_every_form_without_a_baseline(void **state)
{
    (void)state;
    slaw_artifact *a = grid_fit(0, NULL);
    double alpha;
    slaw_fit_value_of(slaw_artifact_fit(a, 0), "alpha", &alpha);
    char spec[128];
    struct {
        const char *op;
        double x[2];
        bool pass;
    } cases[] = {
        {"+-", {alpha + 0.01, 0.02}, true},
        {"+-", {alpha + 0.03, 0.02}, false},
        {"in", {alpha - 0.01, alpha + 0.01}, true},
        {"in", {alpha + 0.01, alpha + 0.02}, false},
        {">", {alpha - 0.01}, true},
        {">", {alpha}, false},
        {">=", {alpha}, true},
        {">=", {alpha + 0.01}, false},
        {"<", {alpha + 0.01}, true},
        {"<", {alpha}, false},
        {"<=", {alpha}, true},
        {"<=", {alpha - 0.01}, false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const double *x = cases[i].x;
        if (!strcmp(cases[i].op, "+-"))
            snprintf(spec, sizeof spec, "alpha=%.17g+-%.17g", x[0], x[1]);
        else if (!strcmp(cases[i].op, "in"))
            snprintf(spec, sizeof spec, "alpha in [%.17g,%.17g]", x[0], x[1]);
        else snprintf(spec, sizeof spec, "alpha%s%.17g", cases[i].op, x[0]);
        slaw_verdict *v = judge(slaw_check_add_expect, spec, NULL, a);
        const slaw_verdict_row *r = row(v, 1);
        if (r->pass != cases[i].pass) fail_msg("%s: %s", spec, r->message);
        assert_int_equal(r->criterion, SLAW_CRITERION_EXPECT);
        assert_true(isnan(r->baseline) && isnan(r->change) && isnan(r->limit));
        assert_contains(r->message, cases[i].pass ? ": PASS" : ": FAIL");
        assert_contains(r->message, "expected ");
        slaw_verdict_free(v);
    }
    /* Derived quantities can be asserted too; with a baseline the row shows it. */
    slaw_verdict *v = judge(slaw_check_add_expect, "a in [0,1]", a, a);
    assert_true(row(v, 1)->pass);
    assert_string_equal(row(v, 1)->label, "expect a");
    assert_false(isnan(row(v, 1)->baseline));
    assert_contains(row(v, 1)->message, "(baseline ");
    slaw_verdict_free(v);
    slaw_artifact_free(a);
}

static void derived_quantities_should_have_tolerances(void **state)
{
    (void)state;
    slaw_artifact *base = grid_fit(0, NULL),
                  *near = edited(base, &(edit){.name = "a", .derived = true, .factor = 1.001}),
                  *far = edited(base, &(edit){.name = "a", .derived = true, .factor = 1.1}),
                  *farther = edited(base, &(edit){.name = "a", .derived = true, .factor = 1.5});
    assert_pass_then_fail(slaw_check_add_rtol, "a=1%", base, near, far, "rtol a: ");
    assert_pass_then_fail(slaw_check_add_sigma, "a=3", base, far, farther, "sigma a: ");
    slaw_artifact_free(farther);
    slaw_artifact_free(base);
    slaw_artifact_free(near);
    slaw_artifact_free(far);
}

static void forecast_should_fail_only_when_worse(void **state)
{
    (void)state;
    slaw_artifact *base = grid_fit(0, NULL), *worse = scaled(base, "E", 1.05),
                  *slightly = scaled(base, "E", 1.005), *better = scaled(base, "E", 0.95);
    assert_pass_then_fail(slaw_check_add_forecast, "N=7B,D=140B", base, slightly, worse,
                          "), limit +2%: FAIL (worse)");
    slaw_verdict *v = judge(slaw_check_add_forecast, "N=7B,D=140B", base, worse);
    const slaw_verdict_row *r = row(v, 1);
    double x[2] = {7e9, 140e9};
    assert_string_equal(r->label, "forecast N=7B,D=140B");
    assert_true(r->baseline == slaw_fit_predict(slaw_artifact_fit(base, 0), x));
    assert_true(r->now == slaw_fit_predict(slaw_artifact_fit(worse, 0), x));
    assert_close(r->change, (r->now - r->baseline) / r->baseline, 1e-12);
    assert_true(r->limit == 0.02);
    assert_string_equal(r->limit_text, "+2%");
    assert_contains(r->message, "forecast N=7B,D=140B: loss ");
    slaw_verdict_free(v);
    /* Better passes one-sided and fails two-sided. */
    v = judge(slaw_check_add_forecast, "N=7B,D=140B", base, better);
    assert_true(row(v, 1)->pass);
    assert_contains(row(v, 1)->message, "PASS (better)");
    slaw_verdict_free(v);
    slaw_check *c = slaw_check_new();
    slaw_error err;
    assert_int_equal(slaw_check_add_forecast(c, "N=7B,D=140B", &err), SLAW_OK);
    assert_int_equal(slaw_check_set_forecast_tol(c, "0.01", true, &err), SLAW_OK);
    assert_int_equal(slaw_check_run(c, base, better, &v, &err), SLAW_OK);
    assert_false(row(v, 1)->pass);
    assert_string_equal(row(v, 1)->limit_text, "+-1%");
    assert_contains(row(v, 1)->message, "FAIL (better by more than the limit");
    slaw_verdict_free(v);
    assert_int_equal(slaw_check_set_forecast_tol(c, "-1", false, &err), SLAW_EUSAGE);
    assert_int_equal(slaw_check_set_forecast_tol(c, "nan", false, &err), SLAW_EUSAGE);
    /* As for --rtol: 5 would be 500%, surely a typo for 5%; 5% and 500% are taken. */
    assert_int_equal(slaw_check_set_forecast_tol(c, "5", false, &err), SLAW_EUSAGE);
    assert_string_equal(err.message, "'5': a forecast tolerance is a percentage (5%) or a "
                                     "fraction up to 1 (0.05)");
    assert_int_equal(slaw_check_set_forecast_tol(c, "1", false, &err), SLAW_OK);
    assert_int_equal(slaw_check_set_forecast_tol(c, "500%", false, &err), SLAW_OK);
    /* "5%" is 0.05, and NULL keeps it while two_sided changes. */
    assert_int_equal(slaw_check_set_forecast_tol(c, "5%", false, &err), SLAW_OK);
    assert_int_equal(slaw_check_set_forecast_tol(c, NULL, true, &err), SLAW_OK);
    assert_int_equal(slaw_check_run(c, base, better, &v, &err), SLAW_OK);
    assert_string_equal(row(v, 1)->limit_text, "+-5%");
    slaw_verdict_free(v);
    slaw_check_free(c);
    slaw_artifact_free(base);
    slaw_artifact_free(worse);
    slaw_artifact_free(slightly);
    slaw_artifact_free(better);
}

/* ---------------------------------------------------------- fit health */

static void warnings_should_fail_fit_health_unless_allowed(void **state)
{
    (void)state;
    slaw_artifact *base = grid_fit(0, NULL), *pinned = grid_fit(0, "alpha=0.1:0.3");
    assert_true(slaw_fit_warning_count(slaw_artifact_fit(pinned, 0)) > 0);
    slaw_verdict *v = judge(NULL, NULL, base, base);
    assert_int_equal(slaw_verdict_count(v), 1);
    assert_int_equal(row(v, 0)->criterion, SLAW_CRITERION_FIT);
    assert_string_equal(row(v, 0)->message, "fit health: no warnings: PASS");
    slaw_verdict_free(v);
    v = judge(NULL, NULL, base, pinned);
    assert_false(row(v, 0)->pass);
    assert_true(row(v, 0)->now >= 1 && row(v, 0)->baseline == 0);
    assert_contains(row(v, 0)->message, "alpha ended on its bound");
    assert_contains(row(v, 0)->message, "FAIL (warnings fail unless allowed with allow_warnings)");
    slaw_verdict_free(v);
    slaw_check *c = slaw_check_new();
    slaw_error err;
    slaw_check_allow_warnings(c, true);
    assert_int_equal(slaw_check_run(c, base, pinned, &v, &err), SLAW_OK);
    assert_true(row(v, 0)->pass);
    assert_contains(row(v, 0)->message, "PASS (warnings allowed)");
    slaw_verdict_free(v);
    slaw_check_free(c);
    slaw_artifact_free(base);
    slaw_artifact_free(pinned);
}

/* A Kaplan fit of tests/cli/data/grouped.csv whose bootstrap (200 resamples,
 * 600 iterations each) leaves out 2 resamples with seed 2 and 5 with seed 0. */
static slaw_artifact *resampled_fit(unsigned long seed)
{
    slaw_runs *runs;
    slaw_error err;
    const char *path = source_path("tests/cli/data/grouped.csv");
    assert_int_equal(slaw_runs_load(&path, 1, NULL, &runs, &err), SLAW_OK);
    slaw_fit_options opt;
    slaw_fit_options_init(&opt);
    opt.law = "kaplan";
    opt.bootstrap = 200;
    opt.seed = seed;
    opt.max_iter = 600;
    slaw_artifact *a = NULL;
    if (slaw_fit_runs(runs, &opt, &a, &err) != SLAW_OK) fail_msg("%s", err.message);
    slaw_runs_free(runs);
    return a;
}

static void failed_resamples_should_fail_fit_health_only_above_the_fraction(void **state)
{
    (void)state;
    slaw_artifact *two = resampled_fit(2), *five = resampled_fit(0);
    const slaw_fit *f = slaw_artifact_fit(two, 0);
    size_t no_conv, pinned, non_finite;
    slaw_fit_bootstrap_failed_why(f, &no_conv, &pinned, &non_finite);
    assert_int_equal(slaw_fit_bootstrap_failures(f), 2);
    assert_int_equal(no_conv + pinned + non_finite, 2);
    /* the failed resamples, and two of kaplan's parameters the 14 runs do not
     * determine (Dc entangled with alpha_D, Nc's error beyond its value):
     * those warnings fail fit health whatever the resamples */
    assert_int_equal(slaw_fit_warning_count(f), 3);
    slaw_verdict *v = judge(NULL, NULL, NULL, two); /* 1% of the resamples: within 2% */
    assert_false(row(v, 0)->pass);
    assert_true(row(v, 0)->now == 2);
    assert_contains(row(v, 0)->message, "the runs do not determine Nc");
    slaw_verdict_free(v);
    v = judge(NULL, NULL, NULL, five); /* 2.5% */
    assert_false(row(v, 0)->pass);
    assert_contains(row(v, 0)->message, "5 of 200 bootstrap resamples could not be refitted");
    slaw_verdict_free(v);
    slaw_check *c = slaw_check_new();
    slaw_error err;
    assert_int_equal(slaw_check_max_failed_resamples(c, 0.005, &err), SLAW_OK);
    assert_int_equal(slaw_check_run(c, NULL, two, &v, &err), SLAW_OK);
    assert_false(row(v, 0)->pass);
    slaw_verdict_free(v);
    assert_int_equal(slaw_check_max_failed_resamples(c, 0.03, &err), SLAW_OK);
    assert_int_equal(slaw_check_run(c, NULL, five, &v, &err), SLAW_OK);
    assert_false(row(v, 0)->pass); /* the undetermined parameters still fail it */
    slaw_verdict_free(v);
    assert_int_equal(slaw_check_max_failed_resamples(c, 1.5, &err), SLAW_EUSAGE);
    assert_int_equal(slaw_check_max_failed_resamples(c, NAN, &err), SLAW_EUSAGE);
    slaw_check_free(c);
    /* the reasons survive the artifact */
    char *json = slaw_artifact_to_json(five);
    slaw_artifact *back = NULL;
    assert_int_equal(slaw_artifact_parse("five.json", json, strlen(json), &back, &err), SLAW_OK);
    slaw_fit_bootstrap_failed_why(slaw_artifact_fit(back, 0), &no_conv, &pinned, &non_finite);
    assert_int_equal(no_conv + pinned + non_finite, 5);
    free(json);
    slaw_artifact_free(back);
    slaw_artifact_free(two);
    slaw_artifact_free(five);
}

/* -------------------------------------------------------------- groups */

static slaw_artifact *grouped_fit(void)
{
    /* seven runs a group do not determine B with beta free */
    const char *fix[] = {"E=1.5", "beta=0.44"};
    slaw_fit_options opt;
    slaw_fit_options_init(&opt);
    opt.law = "chinchilla";
    opt.fix = fix;
    opt.n_fix = 2;
    return fit_grouped(&opt);
}

static void groups_should_be_matched_by_name(void **state)
{
    (void)state;
    slaw_artifact *base = grouped_fit(), *renamed = edited(base, &(edit){.fit = 1, .group = "c"});
    /* Each group is checked; "*" leaves out the fixed E and beta. */
    slaw_verdict *v = judge(slaw_check_add_tol, "*=0.01", base, base);
    assert_int_equal(slaw_verdict_count(v), 2 * (1 + 3));
    assert_string_equal(row(v, 0)->group, "a");
    assert_string_equal(row(v, 4)->group, "b");
    assert_contains(row(v, 5)->message, "group 'b': tol A: ");
    assert_int_equal(slaw_verdict_failures(v), 0);
    slaw_verdict_free(v);
    /* A group on one side only is a failing row. */
    v = judge(slaw_check_add_tol, "alpha=0.01", base, renamed);
    assert_int_equal(slaw_verdict_count(v), 2 + 2);
    assert_int_equal(slaw_verdict_failures(v), 2);
    assert_int_equal(row(v, 2)->criterion, SLAW_CRITERION_GROUP);
    assert_string_equal(row(v, 2)->group, "b");
    assert_string_equal(row(v, 2)->message,
                        "group 'b': the group is in the baseline but not in the new fit: FAIL");
    assert_string_equal(row(v, 3)->message,
                        "group 'c': the group is in the new fit but not in the baseline: FAIL");
    slaw_verdict_free(v);
    /* An ungrouped baseline against a grouped fit: nothing matches. */
    slaw_artifact *plain = grid_fit(0, NULL);
    v = judge(slaw_check_add_tol, "alpha=0.01", plain, base);
    assert_int_equal(slaw_verdict_count(v), 3);
    assert_null(row(v, 0)->group);
    assert_string_equal(row(v, 0)->message,
                        "the ungrouped fit is in the baseline but not in the new fit: FAIL");
    slaw_verdict_free(v);
    slaw_artifact_free(plain);
    slaw_artifact_free(base);
    slaw_artifact_free(renamed);
}

/* ----------------------------------------------------------- validation */

static void run_fails(const slaw_check *c, const slaw_artifact *base, const slaw_artifact *now,
                      slaw_status code, const char *want)
{
    slaw_verdict *v = NULL;
    slaw_error err;
    assert_int_equal(slaw_check_run(c, base, now, &v, &err), code);
    assert_null(v);
    assert_contains(err.message, want);
}

static void criteria_should_be_validated_against_the_law(void **state)
{
    (void)state;
    slaw_artifact *chin = grid_fit(0, NULL);
    slaw_error err;
    slaw_check *c = slaw_check_new();
    assert_int_equal(slaw_check_count(c), 0);
    assert_false(slaw_check_needs_baseline(c));
    assert_int_equal(slaw_check_add_tol(c, "alhpa=0.01", &err), SLAW_OK);
    assert_true(slaw_check_needs_baseline(c));
    run_fails(c, chin, chin, SLAW_EUSAGE,
              "tol 'alhpa=0.01': chinchilla has no quantity 'alhpa' (parameters: E, A, B, "
              "alpha, beta; derived: a, b, G, D/N)");
    slaw_check_free(c);

    c = slaw_check_new();
    assert_int_equal(slaw_check_add_rtol(c, "alpha=1%", &err), SLAW_OK);
    run_fails(c, NULL, chin, SLAW_EUSAGE,
              "rtol 'alpha=1%' compares with a baseline fit, and none "
              "was given");
    assert_int_equal(slaw_check_validate(c, slaw_law_find("chinchilla"), true, &err), SLAW_OK);
    slaw_check_free(c);

    c = slaw_check_new();
    assert_int_equal(slaw_check_add_forecast(c, "N=7B", &err), SLAW_OK);
    run_fails(c, chin, chin, SLAW_EUSAGE,
              "forecast law chinchilla reads N and D: give two of N, D and C (e.g. N=70B,D=1.4T), "
              "not only N");
    assert_int_equal(slaw_check_validate(c, slaw_law_find("power"), true, &err), SLAW_OK);
    slaw_check_free(c);

    c = slaw_check_new();
    assert_int_equal(slaw_check_add_expect(c, "*>0", &err), SLAW_EUSAGE);
    assert_contains(err.message, "'*' stands for every parameter in tolerances only");
    assert_int_equal(slaw_check_add_expect(c, "alpha>", &err), SLAW_EUSAGE);
    assert_int_equal(slaw_check_add_tol(c, "alpha=", &err), SLAW_EUSAGE);
    assert_int_equal(slaw_check_count(c), 0);
    slaw_check_free(c);
    slaw_check_free(NULL);
    slaw_artifact_free(chin);
}

static void different_laws_should_not_be_compared(void **state)
{
    (void)state;
    slaw_artifact *chin = grid_fit(0, NULL);
    const char *path = source_path("data/synthetic/saturating.csv");
    slaw_runs *runs = NULL;
    slaw_error err;
    assert_int_equal(slaw_runs_load(&path, 1, NULL, &runs, &err), SLAW_OK);
    slaw_fit_options opt;
    slaw_fit_options_init(&opt);
    opt.law = "saturating";
    slaw_artifact *sat = NULL;
    assert_int_equal(slaw_fit_runs(runs, &opt, &sat, &err), SLAW_OK);
    slaw_check *c = slaw_check_new();
    assert_int_equal(slaw_check_add_sigma(c, "3", &err), SLAW_OK);
    run_fails(c, chin, sat, SLAW_EINPUT,
              "the baseline fits law chinchilla and the new fit law saturating: they cannot be "
              "compared");
    slaw_check_free(c);
    slaw_artifact_free(sat);
    slaw_artifact_free(chin);
    slaw_runs_free(runs);
}

static void verdict_should_list_rows_in_the_order_given(void **state)
{
    (void)state;
    slaw_artifact *base = grid_fit(0, NULL);
    slaw_check *c = slaw_check_new();
    slaw_error err;
    assert_int_equal(slaw_check_add_forecast(c, "N=70B,D=1.4T", &err), SLAW_OK);
    assert_int_equal(slaw_check_add_expect(c, "beta>0", &err), SLAW_OK);
    assert_int_equal(slaw_check_add_tol(c, "alpha=1", &err), SLAW_OK);
    assert_int_equal(slaw_check_count(c), 3);
    slaw_verdict *v = NULL;
    assert_int_equal(slaw_check_run(c, base, base, &v, &err), SLAW_OK);
    assert_int_equal(slaw_verdict_count(v), 4);
    static const slaw_criterion want[] = {SLAW_CRITERION_FIT, SLAW_CRITERION_FORECAST,
                                          SLAW_CRITERION_EXPECT, SLAW_CRITERION_TOL};
    for (size_t i = 0; i < 4; i++) assert_int_equal(row(v, i)->criterion, want[i]);
    assert_null(slaw_verdict_get(v, 4));
    assert_string_equal(slaw_criterion_name(SLAW_CRITERION_SIGMA), "sigma");
    slaw_verdict_free(v);
    slaw_verdict_free(NULL);
    slaw_check_free(c);
    slaw_artifact_free(base);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tol_should_pass_small_changes_and_fail_large_ones),
        cmocka_unit_test(rtol_should_judge_relative_changes),
        cmocka_unit_test(sigma_should_use_combined_standard_errors),
        cmocka_unit_test(sigma_should_prefer_bootstrap_errors_when_both_have_them),
        cmocka_unit_test(sigma_without_standard_errors_should_pass_only_no_change),
        cmocka_unit_test(expect_should_assert_every_form_without_a_baseline),
        cmocka_unit_test(derived_quantities_should_have_tolerances),
        cmocka_unit_test(forecast_should_fail_only_when_worse),
        cmocka_unit_test(warnings_should_fail_fit_health_unless_allowed),
        cmocka_unit_test(groups_should_be_matched_by_name),
        cmocka_unit_test(criteria_should_be_validated_against_the_law),
        cmocka_unit_test(different_laws_should_not_be_compared),
        cmocka_unit_test(verdict_should_list_rows_in_the_order_given),
        cmocka_unit_test(failed_resamples_should_fail_fit_health_only_above_the_fraction),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
