/* test_joint.c — joint fits across groups (slaw_fit_options.shared):
 * recovery of shared and per-group parameters, every law and loss,
 * constraints, bootstrap within groups, holdout, the artifact. */
#include "helpers.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GROUPS 3

/* Each law with a truth, the parameters shared, and per group a factor on
 * each parameter that is not shared. */
static const struct {
    const char *law;
    double truth[6];
    const char *shared;
    double factor[GROUPS];
    size_t points;
} laws[] = {
    {"power", {3.2e-13, 1.5}, "p", {1.0, 1.3, 0.8}, 10},
    {"saturating", {1.8, 380, 0.32}, "alpha", {1.0, 0.9, 1.2}, 12},
    {"chinchilla", {1.69, 406.4, 410.7, 0.34, 0.28}, "alpha,beta", {1.0, 0.85, 1.1}, 6},
    {"kaplan", {8.8e13, 5.4e13, 0.076, 0.095}, "alpha_N,alpha_D", {1.0, 2.0, 0.5}, 5},
    {"chinchilla", {1.69, 406.4, 410.7, 0.34, 0.28}, "alpha,beta,E", {1.0, 0.7, 1.3}, 6},
};

static bool is_shared(const char *list, const char *name)
{
    size_t n = strlen(name);
    for (const char *at = list; *at;) {
        size_t len = strcspn(at, ",");
        if (len == n && !strncmp(at, name, n)) return true;
        at += len + (at[len] == ',');
    }
    return false;
}

/* Group g's parameters: the truth with the non-shared ones times the factor. */
static void group_truth(size_t k, size_t g, double *out)
{
    const slaw_law *law = slaw_law_find(laws[k].law);
    for (size_t j = 0; j < slaw_law_param_count(law); j++) {
        bool shared = is_shared(laws[k].shared, slaw_law_param_name(law, j));
        out[j] = laws[k].truth[j] * (shared ? 1.0 : laws[k].factor[g]);
    }
}

/* GROUPS groups of runs on a log-spaced grid, column "dataset" = g0, g1, ...;
 * a weight column w = 1, 2, 1, 2, ... */
static slaw_runs *simulated_weighted(size_t k, double noise, unsigned long seed, bool grouped,
                                     bool weighted)
{
    const slaw_law *law = slaw_law_find(laws[k].law);
    size_t nv = slaw_law_var_count(law), pts = laws[k].points;
    size_t n = nv == 2 ? pts * pts : pts;
    double *x = malloc(n * nv * sizeof *x), *y = malloc(n * sizeof *y);
    char *csv = malloc(GROUPS * n * 120 + 64);
    slaw_error err;
    for (size_t i = 0; i < n; i++) {
        size_t a = nv == 2 ? i / pts : i, b = i % pts;
        x[i * nv] = 1e7 * pow(1e3, (double)a / (double)(pts - 1));
        if (nv == 2) x[i * nv + 1] = 1e9 * pow(100.0, (double)b / (double)(pts - 1));
    }
    size_t o = (size_t)sprintf(csv, nv == 2 ? "N,D,loss,dataset,w\n" : "N,loss,dataset,w\n");
    for (size_t g = 0; g < GROUPS; g++) {
        double truth[6];
        group_truth(k, g, truth);
        assert_int_equal(slaw_simulate(law, truth, x, n, noise, seed + g, y, &err), SLAW_OK);
        for (size_t i = 0; i < n; i++) {
            if (nv == 2) o += (size_t)sprintf(csv + o, "%.17g,%.17g,", x[2 * i], x[2 * i + 1]);
            else o += (size_t)sprintf(csv + o, "%.17g,", x[i]);
            o += (size_t)sprintf(csv + o, "%.17g,g%zu,%d\n", y[i], g, 1 + (int)(i % 2));
        }
    }
    slaw_load_options lo;
    slaw_load_options_init(&lo);
    if (grouped) lo.role_column[SLAW_ROLE_GROUP] = "dataset";
    if (weighted) lo.role_column[SLAW_ROLE_WEIGHT] = "w";
    slaw_runs *runs = load_ok("sim.csv", csv, &lo);
    free(x);
    free(y);
    free(csv);
    return runs;
}

static slaw_runs *simulated(size_t k, double noise, unsigned long seed, bool grouped)
{
    return simulated_weighted(k, noise, seed, grouped, false);
}

static slaw_artifact *fit_ok(const slaw_runs *runs, const slaw_fit_options *opt)
{
    slaw_artifact *a = NULL;
    slaw_error err;
    if (slaw_fit_runs(runs, opt, &a, &err) != SLAW_OK) fail_msg("fit failed: %s", err.message);
    return a;
}

static void assert_recovered(size_t k, const slaw_artifact *a, double tol)
{
    assert_int_equal(slaw_artifact_fit_count(a), GROUPS);
    for (size_t g = 0; g < GROUPS; g++) {
        const slaw_fit *f = slaw_artifact_fit(a, g);
        const slaw_law *law = slaw_fit_law(f);
        double truth[6];
        char name[8];
        snprintf(name, sizeof name, "g%zu", g);
        assert_string_equal(slaw_fit_group(f), name);
        group_truth(k, g, truth);
        for (size_t j = 0; j < slaw_law_param_count(law); j++) {
            const char *pname = slaw_law_param_name(law, j);
            if (!close_enough(slaw_fit_value(f, j), truth[j], tol))
                fail_msg("%s group %zu: %s", laws[k].law, g, pname);
            assert_int_equal(slaw_fit_param_shared(f, j), is_shared(laws[k].shared, pname));
            if (slaw_fit_param_shared(f, j))
                assert_true(slaw_fit_value(f, j) == slaw_fit_value(slaw_artifact_fit(a, 0), j));
        }
    }
}

static void joint_fits_should_recover_every_parameter_of_every_law(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof laws / sizeof laws[0]; k++) {
        slaw_runs *runs = simulated(k, 0.0, 1, true);
        slaw_fit_options opt;
        slaw_fit_options_init(&opt);
        opt.law = laws[k].law;
        opt.shared = laws[k].shared;
        slaw_artifact *a = fit_ok(runs, &opt);
        assert_recovered(k, a, 1e-6);
        slaw_fit_stats joint, own;
        const slaw_fit *f = slaw_artifact_fit(a, 0);
        assert_true(slaw_fit_joint_stats(f, &joint));
        slaw_fit_get_stats(f, &own);
        assert_int_equal(joint.n, GROUPS * own.n);
        size_t p = slaw_law_param_count(slaw_fit_law(f)), s = 1;
        for (const char *c = laws[k].shared; *c; c++) s += *c == ',';
        assert_int_equal(joint.n_free, s + GROUPS * (p - s));
        slaw_artifact_free(a);
        slaw_runs_free(runs);
    }
}

/* With noise, the shared exponent's standard error is smaller than that of
 * any group fitted alone: the joint fit pools the runs. */
static void joint_fits_should_pool_the_groups(void **state)
{
    (void)state;
    slaw_runs *runs = simulated(2, 0.01, 7, true);
    slaw_fit_options opt;
    slaw_fit_options_init(&opt);
    opt.law = "chinchilla";
    slaw_artifact *apart = fit_ok(runs, &opt);
    opt.shared = "alpha,beta";
    slaw_artifact *joint = fit_ok(runs, &opt);
    for (size_t g = 0; g < GROUPS; g++) {
        double se_joint = slaw_fit_stderr(slaw_artifact_fit(joint, g), 3);
        double se_apart = slaw_fit_stderr(slaw_artifact_fit(apart, g), 3);
        assert_true(se_joint > 0 && se_joint < se_apart);
        assert_true(fabs(slaw_fit_value(slaw_artifact_fit(joint, g), 3) - 0.34) < 4 * se_joint);
    }
    slaw_artifact_free(apart);
    slaw_artifact_free(joint);
    slaw_runs_free(runs);
}

static void joint_fits_should_take_every_loss_space_bound_and_fix(void **state)
{
    (void)state;
    static const char *const fix[] = {"beta=0.28"}, *const bound[] = {"alpha=0.1:0.9"};
    static const slaw_loss losses[] = {SLAW_LOSS_L2, SLAW_LOSS_HUBER, SLAW_LOSS_ASYM};
    slaw_runs *runs = simulated(2, 0.0, 1, true);
    for (size_t l = 0; l < 3; l++)
        for (int space = 0; space < 2; space++) {
            slaw_fit_options opt;
            slaw_fit_options_init(&opt);
            opt.law = "chinchilla";
            opt.shared = "alpha,beta";
            opt.loss = losses[l];
            opt.space = space ? SLAW_SPACE_LINEAR : SLAW_SPACE_LOG;
            opt.fix = fix;
            opt.n_fix = l == 1;
            opt.bound = bound;
            opt.n_bound = l == 2;
            slaw_artifact *a = fit_ok(runs, &opt);
            assert_recovered(2, a, 1e-6);
            if (l == 1)
                assert_int_equal(slaw_fit_param_state(slaw_artifact_fit(a, 1), 4),
                                 SLAW_PARAM_FIXED);
            slaw_artifact_free(a);
        }
    slaw_runs_free(runs);
}

static void joint_fits_should_take_weights_and_the_epoch_grid(void **state)
{
    (void)state;
    slaw_runs *runs = simulated_weighted(2, 0.0, 1, true, true);
    slaw_fit_options opt;
    slaw_fit_options_init(&opt);
    opt.law = "chinchilla";
    opt.shared = "alpha,beta";
    opt.grid = "epoch";
    slaw_artifact *a = fit_ok(runs, &opt);
    assert_recovered(2, a, 1e-6);
    slaw_fit_stats st;
    slaw_fit_get_stats(slaw_artifact_fit(a, 0), &st);
    assert_int_equal(st.starts, 4500); /* the law's grid, screened per shared tuple */
    slaw_artifact_free(a);
    slaw_runs_free(runs);
}

/* Every resample draws within each group: each group keeps its runs, and
 * the shared parameters are one value per resample across groups. */
static void joint_bootstrap_should_resample_within_groups(void **state)
{
    (void)state;
    slaw_runs *runs = simulated(2, 0.01, 3, true);
    slaw_fit_options opt;
    slaw_fit_options_init(&opt);
    opt.law = "chinchilla";
    opt.shared = "alpha,beta";
    opt.bootstrap = 40;
    opt.seed = 5;
    slaw_artifact *a = fit_ok(runs, &opt);
    size_t n = slaw_fit_bootstrap_count(slaw_artifact_fit(a, 0));
    assert_true(n >= 38);
    for (size_t g = 1; g < GROUPS; g++) {
        const slaw_fit *f = slaw_artifact_fit(a, g);
        assert_int_equal(slaw_fit_bootstrap_count(f), n);
        for (size_t i = 0; i < n; i++) {
            const double *s0 = slaw_fit_bootstrap_sample(slaw_artifact_fit(a, 0), i);
            const double *s = slaw_fit_bootstrap_sample(f, i);
            assert_true(s[3] == s0[3] && s[4] == s0[4]); /* alpha, beta shared */
            assert_true(s[0] != s0[0]);                  /* E per group */
        }
    }
    /* the same seed gives the same samples, whatever the threads */
    opt.threads = 1;
    slaw_artifact *b = fit_ok(runs, &opt);
    const double *x = slaw_fit_bootstrap_sample(slaw_artifact_fit(a, 2), n - 1);
    const double *y = slaw_fit_bootstrap_sample(slaw_artifact_fit(b, 2), n - 1);
    for (size_t j = 0; j < 5; j++) assert_true(fabs(x[j] - y[j]) <= 1e-9 * fabs(x[j]));
    slaw_artifact_free(b);
    slaw_artifact_free(a);
    slaw_runs_free(runs);
}

static void joint_holdout_should_hold_out_in_every_group(void **state)
{
    (void)state;
    slaw_runs *runs = simulated(2, 0.0, 1, true);
    slaw_fit_options opt;
    slaw_fit_options_init(&opt);
    opt.law = "chinchilla";
    opt.shared = "alpha,beta";
    opt.holdout = "largest:1";
    slaw_artifact *a = fit_ok(runs, &opt);
    assert_recovered(2, a, 1e-6);
    for (size_t g = 0; g < GROUPS; g++) {
        double male, bias, worst;
        const slaw_fit *f = slaw_artifact_fit(a, g);
        assert_int_equal(slaw_fit_holdout_count(f), 6);
        assert_true(slaw_fit_holdout_errors(f, &male, &bias, &worst));
        assert_true(male < 1e-9);
    }
    slaw_artifact_free(a);
    slaw_runs_free(runs);
}

static void joint_artifacts_should_read_back_the_same(void **state)
{
    (void)state;
    slaw_runs *runs = simulated(1, 0.01, 2, true);
    slaw_fit_options opt;
    slaw_fit_options_init(&opt);
    opt.law = "saturating";
    opt.shared = "alpha";
    opt.bootstrap = 10;
    slaw_artifact *a = fit_ok(runs, &opt), *b = NULL;
    char *text = slaw_artifact_to_json(a);
    slaw_error err;
    assert_int_equal(slaw_artifact_parse("fit.json", text, strlen(text), &b, &err), SLAW_OK);
    char *again = slaw_artifact_to_json(b);
    assert_string_equal(text, again);
    slaw_fit_options back;
    slaw_artifact_options(b, &back);
    assert_string_equal(back.shared, "alpha");
    slaw_fit_stats joint;
    assert_true(slaw_fit_joint_stats(slaw_artifact_fit(b, 2), &joint));
    assert_true(slaw_fit_param_shared(slaw_artifact_fit(b, 2), 2));
    assert_false(slaw_fit_param_shared(slaw_artifact_fit(b, 2), 0));
    free(again);
    free(text);
    slaw_artifact_free(b);
    slaw_artifact_free(a);
    slaw_runs_free(runs);
}

static void fit_fails(const slaw_runs *runs, const slaw_fit_options *opt, slaw_status code,
                      const char *want)
{
    slaw_artifact *a = NULL;
    slaw_error err;
    assert_int_equal(slaw_fit_runs(runs, opt, &a, &err), code);
    assert_null(a);
    if (!strstr(err.message, want)) fail_msg("'%s' lacks '%s'", err.message, want);
}

static void joint_mistakes_should_be_usage_errors(void **state)
{
    (void)state;
    slaw_runs *runs = simulated(2, 0.0, 1, true), *one = simulated(2, 0.0, 1, false);
    static const char *const tie[] = {"beta=alpha"};
    slaw_fit_options opt;
    slaw_fit_options_init(&opt);
    opt.law = "chinchilla";
    opt.shared = "alpha,zeta";
    fit_fails(runs, &opt, SLAW_EUSAGE, "no parameter 'zeta'");
    opt.shared = "alpha,alpha";
    fit_fails(runs, &opt, SLAW_EUSAGE, "alpha is named twice");
    opt.shared = "alpha";
    fit_fails(one, &opt, SLAW_EUSAGE, "two groups or more");
    opt.tie = tie;
    opt.n_tie = 1;
    fit_fails(runs, &opt, SLAW_EUSAGE, "both must be shared or neither");
    slaw_runs_free(one);
    slaw_runs_free(runs);
}

/* Groups with truly different exponents are told apart; equal ones are not. */
static void shared_test_should_tell_different_exponents_apart(void **state)
{
    (void)state;
    slaw_runs *same = simulated(2, 0.01, 11, true);
    slaw_fit_options opt;
    slaw_fit_options_init(&opt);
    opt.law = "chinchilla";
    opt.shared = "alpha,beta";
    opt.grid = "alpha=0.2:0.5:0.15,beta=0.2:0.5:0.15";
    slaw_shared_test t;
    slaw_error err;
    assert_int_equal(slaw_fit_test_shared(same, &opt, 0, &t, &err), SLAW_OK);
    assert_int_equal(t.n, 108);
    assert_int_equal(t.k[0], 15);
    assert_int_equal(t.k[1], 11);
    assert_true(t.df1 == 4 && t.df2 == 93);
    assert_true(t.objective[1] >= t.objective[0]);
    assert_true(t.p_F > 0.01 && t.p_F <= 1);
    assert_true(isnan(t.p_boot));
    slaw_shared_test_clear(&t);
    /* any loss: the parametric bootstrap instead of the F test */
    opt.loss = SLAW_LOSS_HUBER;
    assert_int_equal(slaw_fit_test_shared(same, &opt, 9, &t, &err), SLAW_OK);
    assert_true(isnan(t.F) && t.p_boot >= 0.1 && t.resamples + t.resamples_failed == 9);
    slaw_shared_test_clear(&t);
    slaw_runs_free(same);

    /* two groups of saturating runs whose alpha differs by 0.1 (with a
     * deterministic 0.1% jitter); F checked by hand from the objectives */
    const char *csv_head = "N,loss,g\n";
    char csv[4096];
    size_t o = (size_t)sprintf(csv, "%s", csv_head);
    for (int g = 0; g < 2; g++)
        for (int i = 0; i < 12; i++) {
            double N = 1e7 * pow(1e3, i / 11.0), alpha = g ? 0.42 : 0.32;
            o += (size_t)sprintf(csv + o, "%.17g,%.17g,%c\n", N,
                                 1.8 + 380 * pow(N, -alpha) * (1 + 0.001 * ((i * 7 + g) % 5 - 2)),
                                 g ? 'b' : 'a');
        }
    slaw_load_options lo;
    slaw_load_options_init(&lo);
    lo.role_column[SLAW_ROLE_GROUP] = "g";
    slaw_runs *differ = load_ok("d.csv", csv, &lo);
    slaw_fit_options_init(&opt);
    opt.law = "saturating";
    opt.shared = "alpha";
    assert_int_equal(slaw_fit_test_shared(differ, &opt, 0, &t, &err), SLAW_OK);
    assert_true(t.p_F < 1e-6);
    double F = ((t.objective[1] - t.objective[0]) / t.df1) / (t.objective[0] / t.df2);
    assert_true(close_enough(t.F, F, 1e-12));
    slaw_shared_test_clear(&t);
    slaw_runs_free(differ);
}

/* Chinchilla's compute-optimal loss is E + K (C/6)^-g, K = A G^-alpha + B G^beta,
 * g = alpha beta / (alpha + beta): with alpha, beta and E shared the baseline
 * reaches the group's loss with k = (K_base / K_group)^(1/g) times the compute. */
static double chinchilla_k(const double *v)
{
    double a = v[3], b = v[4], G = pow(a * v[1] / (b * v[2]), 1.0 / (a + b));
    return v[1] * pow(G, -a) + v[2] * pow(G, b);
}

static void gain_should_recover_the_known_multiplier(void **state)
{
    (void)state;
    size_t k = 4; /* chinchilla, alpha, beta and E shared */
    slaw_runs *runs = simulated(k, 0.0, 1, true);
    slaw_fit_options opt;
    slaw_fit_options_init(&opt);
    opt.law = "chinchilla";
    opt.shared = laws[k].shared;
    slaw_artifact *a = fit_ok(runs, &opt);
    assert_recovered(k, a, 1e-6);
    double base[6], group[6], gamma = 0.34 * 0.28 / (0.34 + 0.28);
    group_truth(k, 0, base);
    for (size_t g = 1; g < GROUPS; g++) {
        char name[8];
        snprintf(name, sizeof name, "g%zu", g);
        group_truth(k, g, group);
        double truth = pow(chinchilla_k(base) / chinchilla_k(group), 1.0 / gamma);
        for (double C = 1e18; C <= 1e26; C *= 1e4) {
            slaw_gain gain;
            slaw_error err;
            assert_int_equal(slaw_gain_at(a, "g0", name, NULL, C, NULL, &gain, &err), SLAW_OK);
            if (!close_enough(gain.gain.value, truth, 1e-6)) fail_msg("%s at C = %g", name, C);
            assert_int_equal(gain.method, SLAW_INTERVAL_T); /* the fits' own */
            assert_true(gain.gain.lo <= gain.gain.value && gain.gain.value <= gain.gain.hi);
        }
        assert_true(slaw_gain_constant(a, "g0", name, 1e21));
    }
    /* the baseline against itself gains nothing */
    slaw_gain self;
    slaw_error err;
    assert_int_equal(slaw_gain_at(a, "g1", "g1", NULL, 1e21, NULL, &self, &err), SLAW_OK);
    assert_true(close_enough(self.gain.value, 1.0, 1e-9));
    assert_int_equal(slaw_gain_at(a, "g0", "nope", NULL, 1e21, NULL, &self, &err), SLAW_EUSAGE);
    slaw_artifact_free(a);
    slaw_runs_free(runs);
}

/* With bootstrap samples k's interval comes from them, paired across groups. */
static void gain_should_take_its_interval_from_paired_samples(void **state)
{
    (void)state;
    slaw_runs *runs = simulated(4, 0.01, 9, true);
    slaw_fit_options opt;
    slaw_fit_options_init(&opt);
    opt.law = "chinchilla";
    opt.shared = laws[4].shared;
    opt.bootstrap = 60;
    opt.grid = "alpha=0.2:0.5:0.15,beta=0.2:0.5:0.15";
    slaw_artifact *a = fit_ok(runs, &opt);
    slaw_gain boot, delta;
    slaw_error err;
    slaw_forecast_options fo;
    slaw_forecast_options_init(&fo, a);
    assert_int_equal(slaw_gain_at(a, "g0", "g2", NULL, 1e22, &fo, &boot, &err), SLAW_OK);
    assert_int_equal(boot.method, SLAW_INTERVAL_BOOTSTRAP);
    assert_true(boot.samples >= 55 && boot.p_above_1 >= 0 && boot.p_above_1 <= 1);
    fo.method = SLAW_INTERVAL_DELTA;
    assert_int_equal(slaw_gain_at(a, "g0", "g2", NULL, 1e22, &fo, &delta, &err), SLAW_OK);
    assert_true(delta.gain.value == boot.gain.value);
    /* the two intervals agree on their width within a factor of two */
    double wb = log(boot.gain.hi / boot.gain.lo), wd = log(delta.gain.hi / delta.gain.lo);
    assert_true(wb > 0.5 * wd && wb < 2 * wd);
    slaw_artifact_free(a);
    slaw_runs_free(runs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(joint_fits_should_recover_every_parameter_of_every_law),
        cmocka_unit_test(joint_fits_should_pool_the_groups),
        cmocka_unit_test(joint_fits_should_take_every_loss_space_bound_and_fix),
        cmocka_unit_test(joint_fits_should_take_weights_and_the_epoch_grid),
        cmocka_unit_test(joint_bootstrap_should_resample_within_groups),
        cmocka_unit_test(joint_holdout_should_hold_out_in_every_group),
        cmocka_unit_test(joint_artifacts_should_read_back_the_same),
        cmocka_unit_test(joint_mistakes_should_be_usage_errors),
        cmocka_unit_test(shared_test_should_tell_different_exponents_apart),
        cmocka_unit_test(gain_should_recover_the_known_multiplier),
        cmocka_unit_test(gain_should_take_its_interval_from_paired_samples),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
