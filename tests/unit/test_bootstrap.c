/* test_bootstrap.c — resampled refits: deterministic for a seed whatever the
 * threads, intervals around the estimate, clusters, kept in the artifact. */
#include "helpers.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *sweep =
    "N,D,loss,family\n"
    "5e7,1e9,3.42,a\n5e7,1e10,3.19,a\n5e7,1e11,3.12,a\n2e8,1e9,3.06,b\n2e8,1e10,2.82,b\n"
    "2e8,1e11,2.76,b\n1e9,1e9,2.85,c\n1e9,1e10,2.57,c\n1e9,1e11,2.49,c\n5e9,1e9,2.73,d\n"
    "5e9,1e10,2.42,d\n5e9,1e11,2.33,d\n2e8,3e9,2.93,b\n1e9,3e10,2.52,c\n5e9,3e11,2.29,d\n";

static slaw_artifact *fit(int threads, unsigned long seed, const char *by, size_t resamples)
{
    slaw_runs *runs;
    slaw_error err;
    assert_int_equal(load_text("sweep.csv", sweep, NULL, &runs, &err), SLAW_OK);
    slaw_fit_options opt;
    slaw_fit_options_init(&opt);
    opt.law = "chinchilla";
    opt.bootstrap = resamples;
    opt.seed = seed;
    opt.threads = threads;
    opt.bootstrap_by = by;
    slaw_artifact *a = NULL;
    if (slaw_fit_runs(runs, &opt, &a, &err) != SLAW_OK) fail_msg("%s", err.message);
    slaw_runs_free(runs);
    return a;
}

static void bootstrap_should_not_depend_on_threads(void **state)
{
    (void)state;
    slaw_artifact *one = fit(1, 42, NULL, 300), *two = fit(2, 42, NULL, 300);
    char *a = slaw_artifact_to_json(one), *b = slaw_artifact_to_json(two);
    assert_string_equal(a, b);
    free(a);
    free(b);
    slaw_artifact *other = fit(2, 43, NULL, 300);
    const slaw_fit *f1 = slaw_artifact_fit(one, 0), *f3 = slaw_artifact_fit(other, 0);
    assert_memory_not_equal(slaw_fit_bootstrap_sample(f1, 0), slaw_fit_bootstrap_sample(f3, 0),
                            5 * sizeof(double));
    slaw_artifact_free(one);
    slaw_artifact_free(two);
    slaw_artifact_free(other);
}

static void intervals_should_surround_the_estimate(void **state)
{
    (void)state;
    slaw_artifact *a = fit(0, 1, NULL, 400);
    const slaw_fit *f = slaw_artifact_fit(a, 0);
    assert_int_equal(slaw_fit_bootstrap_count(f) + slaw_fit_bootstrap_failures(f), 400);
    assert_true(slaw_fit_bootstrap_level(f) == 0.95);
    for (size_t j = 0; j < 5; j++) {
        double se, lo, hi, v = slaw_fit_value(f, j);
        assert_true(slaw_fit_bootstrap_param(f, j, &se, &lo, &hi));
        assert_true(se > 0 && lo < v && v < hi);
    }
    double se, lo, hi;
    assert_true(slaw_fit_bootstrap_derived(f, 0, &se, &lo, &hi)); /* a = beta/(alpha+beta) */
    assert_true(lo < slaw_fit_derived(f, 0, NULL) && slaw_fit_derived(f, 0, NULL) < hi);
    /* Samples vary, and their spread is what the standard error says. */
    double mean = 0, var = 0;
    size_t n = slaw_fit_bootstrap_count(f);
    for (size_t i = 0; i < n; i++) mean += slaw_fit_bootstrap_sample(f, i)[3];
    mean /= (double)n;
    for (size_t i = 0; i < n; i++) {
        double d = slaw_fit_bootstrap_sample(f, i)[3] - mean;
        var += d * d;
    }
    assert_true(slaw_fit_bootstrap_param(f, 3, &se, &lo, &hi));
    assert_close(sqrt(var / (double)(n - 1)), se, 1e-9);
    slaw_artifact_free(a);
}

static void bootstrap_should_survive_the_artifact(void **state)
{
    (void)state;
    slaw_artifact *a = fit(0, 5, NULL, 50), *b = NULL;
    char *text = slaw_artifact_to_json(a);
    slaw_error err;
    assert_int_equal(slaw_artifact_parse("b.json", text, strlen(text), &b, &err), SLAW_OK);
    const slaw_fit *f = slaw_artifact_fit(b, 0);
    assert_int_equal(slaw_fit_bootstrap_count(f),
                     slaw_fit_bootstrap_count(slaw_artifact_fit(a, 0)));
    char *again = slaw_artifact_to_json(b);
    assert_string_equal(text, again);
    slaw_fit_options opt;
    slaw_artifact_options(b, &opt);
    assert_int_equal(opt.bootstrap, 50);
    assert_int_equal(opt.seed, 5);
    free(text);
    free(again);
    slaw_artifact_free(a);
    slaw_artifact_free(b);
}

static void cluster_bootstrap_should_draw_whole_groups(void **state)
{
    (void)state;
    slaw_artifact *a = fit(0, 3, "family", 200);
    const slaw_fit *f = slaw_artifact_fit(a, 0);
    assert_true(slaw_fit_bootstrap_count(f) > 0);
    slaw_artifact_free(a);
    /* A column with one value has nothing to resample. */
    slaw_runs *runs;
    slaw_error err;
    assert_int_equal(load_text("one.csv",
                               "N,D,loss,k\n1e8,1e9,3,x\n1e9,1e9,2.8,x\n1e8,1e10,2.9,x\n"
                               "1e9,1e10,2.6,x\n1e10,1e11,2.3,x\n3e9,3e10,2.4,x\n",
                               NULL, &runs, &err),
                     SLAW_OK);
    slaw_fit_options opt;
    slaw_fit_options_init(&opt);
    opt.law = "chinchilla";
    opt.bootstrap = 10;
    opt.bootstrap_by = "k";
    slaw_artifact *none = NULL;
    assert_int_equal(slaw_fit_runs(runs, &opt, &none, &err), SLAW_EFIT);
    assert_non_null(strstr(err.message, "single value"));
    opt.bootstrap_by = "nope";
    assert_int_equal(slaw_fit_runs(runs, &opt, &none, &err), SLAW_EUSAGE);
    opt.bootstrap_by = NULL;
    opt.bootstrap = 1;
    assert_int_equal(slaw_fit_runs(runs, &opt, &none, &err), SLAW_EUSAGE);
    opt.bootstrap = 10;
    opt.level = 1.5;
    assert_int_equal(slaw_fit_runs(runs, &opt, &none, &err), SLAW_EUSAGE);
    slaw_runs_free(runs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bootstrap_should_not_depend_on_threads),
        cmocka_unit_test(intervals_should_surround_the_estimate),
        cmocka_unit_test(bootstrap_should_survive_the_artifact),
        cmocka_unit_test(cluster_bootstrap_should_draw_whole_groups),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
