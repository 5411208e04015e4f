/* test_chain.c — a loss law chained into a downstream law: the value and
 * its interval against the delta method computed by hand from both fits'
 * covariances with analytic gradients. */
#include "helpers.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Error runs against loss, drawn from Gadre et al.'s C4 error law. */
static slaw_artifact *fit_errors(size_t bootstrap)
{
    const double truth[3] = {0.85, 2.08, 0.756};
    double l[14], y[14];
    char csv[2048];
    slaw_error err;
    for (size_t i = 0; i < 14; i++) l[i] = 2.0 + 2.4 * (double)i / 13.0;
    assert_int_equal(slaw_simulate(slaw_law_find("downstream"), truth, l, 14, 0.01, 3, y, &err),
                     SLAW_OK);
    size_t o = (size_t)sprintf(csv, "loss,err\n");
    for (size_t i = 0; i < 14; i++) o += (size_t)sprintf(csv + o, "%.17g,%.17g\n", l[i], y[i]);
    slaw_load_options lo;
    slaw_load_options_init(&lo);
    lo.role_column[SLAW_ROLE_L] = "err";
    slaw_runs *runs = NULL;
    slaw_artifact *a = NULL;
    assert_int_equal(load_text("err.csv", csv, &lo, &runs, &err), SLAW_OK);
    slaw_fit_options opt;
    slaw_fit_options_init(&opt);
    opt.law = "downstream";
    opt.x = "loss";
    opt.bootstrap = bootstrap;
    opt.seed = 5;
    if (slaw_fit_runs(runs, &opt, &a, &err) != SLAW_OK) fail_msg("%s", err.message);
    slaw_runs_free(runs);
    return a;
}

static double quad(const double *g, const double *cov, size_t p)
{
    double v = 0;
    for (size_t i = 0; i < p; i++)
        for (size_t j = 0; j < p; j++) v += g[i] * cov[i * p + j] * g[j];
    return v;
}

static void chained_interval_should_be_the_delta_method_through_both_fits(void **state)
{
    (void)state;
    const double truth[5] = {1.69, 406.4, 410.7, 0.34, 0.28};
    slaw_fit_options opt;
    slaw_fit_options_init(&opt);
    opt.law = "chinchilla";
    slaw_artifact *la = fit_simulated(&opt, truth, 0.01, 9, 6), *ea = fit_errors(0);
    const slaw_fit *lf = slaw_artifact_fit(la, 0), *ef = slaw_artifact_fit(ea, 0);
    double vars[2] = {7e9, 1.4e11};
    slaw_chain_forecast out;
    slaw_error err;
    assert_int_equal(slaw_forecast_chain(lf, ef, vars, NULL, &out, &err), SLAW_OK);
    assert_int_equal(out.method, SLAW_INTERVAL_DELTA);

    /* By hand: L = E + A N^-alpha + B D^-beta, Err = eps - k e^(-gamma L). */
    double E = slaw_fit_value(lf, 0), A = slaw_fit_value(lf, 1), B = slaw_fit_value(lf, 2);
    double al = slaw_fit_value(lf, 3), be = slaw_fit_value(lf, 4), N = vars[0], D = vars[1];
    double tn = A * pow(N, -al), td = B * pow(D, -be), L = E + tn + td;
    double g1[5] = {1 / L, tn / A / L, td / B / L, -tn * log(N) / L, -td * log(D) / L};
    double eps = slaw_fit_value(ef, 0), k = slaw_fit_value(ef, 1), ga = slaw_fit_value(ef, 2);
    double drop = k * exp(-ga * L), y = eps - drop;
    double g2[3] = {1 / y, -drop / k / y, drop * L / y};
    double slope = L * ga * drop / y;
    double var_l = quad(g1, slaw_fit_covariance(lf), 5),
           var_y = quad(g2, slaw_fit_covariance(ef), 3);
    double se = sqrt(var_y + slope * slope * var_l), z = gsl_cdf_ugaussian_Pinv(0.975);
    assert_close(out.loss.value, L, 1e-13);
    assert_close(out.y.value, y, 1e-13);
    assert_close(out.slope, slope, 1e-8);
    assert_close(out.se_ln_loss, sqrt(var_l), 1e-6);
    assert_close(out.se_ln_y, se, 1e-6);
    assert_close(out.y.lo, y * exp(-z * se), 1e-8);
    assert_close(out.y.hi, y * exp(z * se), 1e-8);
    /* the loss's uncertainty matters: without it the interval is narrower */
    assert_true(se > sqrt(var_y) * 1.01);
    slaw_artifact_free(la);
    slaw_artifact_free(ea);
}

/* Published constants carry no covariance: the loss has no interval (as its
 * own forecast has none), and the metric's is the second fit's alone. */
static void a_published_first_law_should_give_the_loss_no_interval(void **state)
{
    (void)state;
    const double truth[5] = {1.69, 406.4, 410.7, 0.34, 0.28};
    slaw_artifact *la = NULL, *ea = fit_errors(0);
    slaw_error err;
    assert_int_equal(slaw_artifact_from_params(slaw_law_find("chinchilla"), truth, &la, &err),
                     SLAW_OK);
    const slaw_fit *lf = slaw_artifact_fit(la, 0), *ef = slaw_artifact_fit(ea, 0);
    double vars[2] = {7e9, 1.4e11};
    slaw_chain_forecast out;
    assert_int_equal(slaw_forecast_chain(lf, ef, vars, NULL, &out, &err), SLAW_OK);
    assert_true(isnan(out.loss.lo) && isnan(out.loss.hi) && isnan(out.se_ln_loss));
    double L = 1.69 + 406.4 * pow(7e9, -0.34) + 410.7 * pow(1.4e11, -0.28);
    assert_close(out.loss.value, L, 1e-13);
    double eps = slaw_fit_value(ef, 0), k = slaw_fit_value(ef, 1), ga = slaw_fit_value(ef, 2);
    double drop = k * exp(-ga * L), y = eps - drop;
    double g2[3] = {1 / y, -drop / k / y, drop * L / y};
    double se = sqrt(quad(g2, slaw_fit_covariance(ef), 3)), z = gsl_cdf_ugaussian_Pinv(0.975);
    assert_close(out.se_ln_y, se, 1e-6);
    assert_close(out.y.lo, y * exp(-z * se), 1e-8);
    slaw_artifact_free(la);
    slaw_artifact_free(ea);
}

static void a_second_law_of_two_variables_should_be_refused(void **state)
{
    (void)state;
    const double truth[5] = {1.69, 406.4, 410.7, 0.34, 0.28};
    slaw_fit_options opt;
    slaw_fit_options_init(&opt);
    opt.law = "chinchilla";
    slaw_artifact *la = fit_simulated(&opt, truth, 0.01, 9, 6);
    const slaw_fit *lf = slaw_artifact_fit(la, 0);
    double vars[2] = {7e9, 1.4e11};
    slaw_chain_forecast out;
    slaw_error err;
    assert_int_equal(slaw_forecast_chain(lf, lf, vars, NULL, &out, &err), SLAW_EUSAGE);
    assert_non_null(strstr(err.message, "law chinchilla reads 2 variables"));
    slaw_artifact_free(la);
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The 2.5% point of n sorted values as GSL interpolates it. */
static double quantile(const double *v, size_t n, double q)
{
    double pos = q * (double)(n - 1), f = floor(pos);
    size_t i = (size_t)f;
    return i + 1 < n ? v[i] + (pos - f) * (v[i + 1] - v[i]) : v[i];
}

/* With samples in both fits the interval is the percentiles over pairs
 * (sample k with sample k), as computed here by hand. */
static void chained_bootstrap_should_pair_the_samples(void **state)
{
    (void)state;
    const double truth[5] = {1.69, 406.4, 410.7, 0.34, 0.28};
    slaw_fit_options opt;
    slaw_fit_options_init(&opt);
    opt.law = "chinchilla";
    opt.bootstrap = 60;
    opt.seed = 4;
    slaw_artifact *la = fit_simulated(&opt, truth, 0.01, 9, 6), *ea = fit_errors(40);
    const slaw_fit *lf = slaw_artifact_fit(la, 0), *ef = slaw_artifact_fit(ea, 0);
    size_t n = slaw_fit_bootstrap_count(ef);
    assert_true(n == 40 && slaw_fit_bootstrap_count(lf) == 60);
    double vars[2] = {7e9, 1.4e11}, l[40], y[40];
    for (size_t k = 0; k < n; k++) {
        l[k] = slaw_law_eval(slaw_fit_law(lf), slaw_fit_bootstrap_sample(lf, k), vars);
        y[k] = slaw_law_eval(slaw_fit_law(ef), slaw_fit_bootstrap_sample(ef, k), &l[k]);
    }
    qsort(l, n, sizeof *l, by_value);
    qsort(y, n, sizeof *y, by_value);
    slaw_forecast_options fo;
    slaw_forecast_options_init(&fo, NULL);
    fo.method = SLAW_INTERVAL_BOOTSTRAP;
    slaw_chain_forecast out;
    slaw_error err;
    assert_int_equal(slaw_forecast_chain(lf, ef, vars, &fo, &out, &err), SLAW_OK);
    assert_int_equal(out.method, SLAW_INTERVAL_BOOTSTRAP);
    assert_int_equal(out.samples, 40);
    assert_close(out.loss.lo, quantile(l, n, 0.025), 1e-12);
    assert_close(out.loss.hi, quantile(l, n, 0.975), 1e-12);
    assert_close(out.y.lo, quantile(y, n, 0.025), 1e-12);
    assert_close(out.y.hi, quantile(y, n, 0.975), 1e-12);
    assert_true(out.y.lo < out.y.value && out.y.value < out.y.hi);
    /* the fits' own method (bootstrap) is taken without asking */
    assert_int_equal(slaw_forecast_chain(lf, ef, vars, NULL, &out, &err), SLAW_OK);
    assert_int_equal(out.method, SLAW_INTERVAL_BOOTSTRAP);
    slaw_artifact_free(ea);
    /* bootstrap asked of a fit without samples is refused */
    ea = fit_errors(0);
    assert_int_equal(slaw_forecast_chain(lf, slaw_artifact_fit(ea, 0), vars, &fo, &out, &err),
                     SLAW_EUSAGE);
    assert_non_null(strstr(err.message, "need samples in both"));
    slaw_artifact_free(la);
    slaw_artifact_free(ea);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(chained_interval_should_be_the_delta_method_through_both_fits),
        cmocka_unit_test(a_published_first_law_should_give_the_loss_no_interval),
        cmocka_unit_test(a_second_law_of_two_variables_should_be_refused),
        cmocka_unit_test(chained_bootstrap_should_pair_the_samples),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
