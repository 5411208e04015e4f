/* test_per.c — slaw_runs_per: the best run or the mean of the runs per key
 * (--best-per, --mean-per), inverse-variance weights, and how they sit in
 * the filters and in the artifact's settings. */
#include "helpers.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const nd[] = {"N", "D"};

static slaw_per_options per(slaw_per_keep keep)
{
    slaw_per_options o = {.keep = keep, .columns = nd, .n_columns = 2};
    return o;
}

static double cell(const slaw_runs *runs, const char *name, size_t run)
{
    size_t col;
    assert_true(slaw_runs_column_find(runs, name, &col));
    return slaw_runs_value(runs, col, run);
}

static void best_should_keep_the_lowest_target_of_each_pair_in_order(void **state)
{
    (void)state;
    slaw_runs *runs = load_ok("t.csv",
                              "N,D,lr,loss\n1,10,1,3.0\n1,10,2,2.5\n2,10,1,2.0\n1,10,3,2.5\n"
                              "2,20,1,1.0\n2,10,2,2.2\n",
                              NULL);
    slaw_per_options o = per(SLAW_PER_BEST);
    size_t removed = 99;
    slaw_error err;
    assert_int_equal(slaw_runs_per(runs, &o, &removed, &err), SLAW_OK);
    assert_int_equal(removed, 3);
    assert_int_equal(slaw_runs_count(runs), 3);
    /* (1,10): lr 2 (2.5; lr 3 ties later and loses), (2,10): lr 1, (2,20) */
    assert_true(cell(runs, "lr", 0) == 2 && cell(runs, "loss", 0) == 2.5);
    assert_true(cell(runs, "N", 1) == 2 && cell(runs, "lr", 1) == 1);
    assert_true(cell(runs, "D", 2) == 20);
    slaw_runs_free(runs);
}

static void best_should_not_merge_pairs_of_different_groups(void **state)
{
    (void)state;
    slaw_load_options lo;
    slaw_load_options_init(&lo);
    lo.role_column[SLAW_ROLE_GROUP] = "set";
    slaw_runs *runs =
        load_ok("t.csv", "set,N,D,loss\nweb,1,10,3\ncode,1,10,2\nweb,1,10,2.9\n", &lo);
    slaw_per_options o = per(SLAW_PER_BEST);
    size_t removed;
    slaw_error err;
    assert_int_equal(slaw_runs_per(runs, &o, &removed, &err), SLAW_OK);
    assert_int_equal(removed, 1);
    assert_int_equal(slaw_runs_count(runs), 2);
    assert_string_equal(slaw_runs_label(runs, 0, 0), "code");
    assert_string_equal(slaw_runs_label(runs, 0, 1), "web");
    assert_true(cell(runs, "loss", 1) == 2.9);
    slaw_runs_free(runs);
}

static void mean_should_average_and_keep_count_and_spread(void **state)
{
    (void)state;
    slaw_runs *runs = load_ok("t.csv",
                              "name,N,D,x,loss\na,0.1,10,1,3.0\nb,0.1,10,,3.3\nc,0.1,10,4,3.6\n"
                              "d,0.2,10,5,2.0\n",
                              NULL);
    slaw_per_options o = per(SLAW_PER_MEAN);
    size_t removed;
    slaw_error err;
    assert_int_equal(slaw_runs_per(runs, &o, &removed, &err), SLAW_OK);
    assert_int_equal(removed, 2);
    assert_int_equal(slaw_runs_count(runs), 2);
    assert_true(cell(runs, "N", 0) == 0.1); /* equal values stay exact */
    assert_close(cell(runs, "loss", 0), 3.3, 1e-15);
    assert_close(cell(runs, "x", 0), 2.5, 1e-15); /* the missing cell left out */
    assert_string_equal(slaw_runs_label(runs, 0, 0), "a");
    assert_true(cell(runs, "loss_runs", 0) == 3 && cell(runs, "loss_runs", 1) == 1);
    assert_close(cell(runs, "loss_sd", 0), 0.3, 1e-12);
    assert_true(isnan(cell(runs, "loss_sd", 1))); /* one run: no spread */
    assert_false(slaw_runs_role_column(runs, SLAW_ROLE_WEIGHT, &(size_t){0}));
    slaw_runs_free(runs);
}

static void inverse_variance_should_pool_for_a_pair_of_one_run(void **state)
{
    (void)state;
    slaw_runs *runs = load_ok("t.csv",
                              "N,D,loss\n1,1,3.0\n1,1,3.3\n2,1,2.0\n2,1,2.2\n2,1,2.1\n"
                              "3,1,1.5\n",
                              NULL);
    slaw_per_options o = per(SLAW_PER_MEAN);
    o.inverse_variance = true; /* log space: variances of ln L */
    slaw_error err;
    assert_int_equal(slaw_runs_per(runs, &o, NULL, &err), SLAW_OK);
    double a = log(3.0), b = log(3.3), ma = (a + b) / 2;
    double ss1 = (a - ma) * (a - ma) + (b - ma) * (b - ma);
    double z[3] = {log(2.0), log(2.2), log(2.1)}, m2 = (z[0] + z[1] + z[2]) / 3, ss2 = 0;
    for (int i = 0; i < 3; i++) ss2 += (z[i] - m2) * (z[i] - m2);
    double w[3] = {2 / ss1, 3 / (ss2 / 2), 1 / ((ss1 + ss2) / 3)};
    double mean = (w[0] + w[1] + w[2]) / 3;
    size_t wcol;
    assert_true(slaw_runs_role_column(runs, SLAW_ROLE_WEIGHT, &wcol));
    assert_string_equal(slaw_runs_column_name(runs, wcol), "loss_weight");
    assert_int_equal(slaw_runs_role_source(runs, SLAW_ROLE_WEIGHT), SLAW_SOURCE_DERIVED);
    for (size_t i = 0; i < 3; i++) assert_close(slaw_runs_value(runs, wcol, i), w[i] / mean, 1e-12);
    slaw_runs_free(runs);

    /* linear space: variances of L itself */
    runs = load_ok("t.csv", "N,D,loss\n1,1,3\n1,1,5\n2,1,1\n2,1,2\n", NULL);
    o.space = SLAW_SPACE_LINEAR;
    assert_int_equal(slaw_runs_per(runs, &o, NULL, &err), SLAW_OK);
    assert_close(cell(runs, "loss_weight", 0), (2 / 2.0) / ((2 / 2.0 + 2 / 0.5) / 2), 1e-12);
    assert_close(cell(runs, "loss_weight", 1), (2 / 0.5) / ((2 / 2.0 + 2 / 0.5) / 2), 1e-12);
    slaw_runs_free(runs);
}

static void per_should_refuse_what_makes_no_sense(void **state)
{
    (void)state;
    slaw_runs *runs = load_ok("t.csv", "N,D,loss,loss_sd\n1,1,3,0\n2,1,2,0\n", NULL);
    slaw_error err;
    slaw_per_options o = per(SLAW_PER_MEAN);
    assert_int_equal(slaw_runs_per(runs, &o, NULL, &err), SLAW_EINPUT); /* loss_sd exists */
    assert_non_null(strstr(err.message, "loss_sd"));
    o.inverse_variance = true;
    o.keep = SLAW_PER_BEST;
    assert_int_equal(slaw_runs_per(runs, &o, NULL, &err), SLAW_EUSAGE);
    o.keep = SLAW_PER_NONE;
    assert_int_equal(slaw_runs_per(runs, &o, NULL, &err), SLAW_EUSAGE);
    const char *const bad[] = {"N", "lrate"};
    o = (slaw_per_options){.keep = SLAW_PER_BEST, .columns = bad, .n_columns = 2};
    assert_int_equal(slaw_runs_per(runs, &o, NULL, &err), SLAW_EUSAGE);
    assert_string_equal(err.message, "best per N,lrate: no column 'lrate'");
    o.n_columns = 0;
    assert_int_equal(slaw_runs_per(runs, &o, NULL, &err), SLAW_EUSAGE);
    assert_int_equal(slaw_runs_count(runs), 2); /* nothing removed on failure */
    slaw_runs_free(runs);

    /* inverse-variance weights with no repeated runs to estimate a variance */
    runs = load_ok("t.csv", "N,D,loss\n1,1,3\n2,1,2\n", NULL);
    o = per(SLAW_PER_MEAN);
    o.inverse_variance = true;
    assert_int_equal(slaw_runs_per(runs, &o, NULL, &err), SLAW_EUSAGE);
    assert_non_null(strstr(err.message, "no variance"));
    slaw_runs_free(runs);
}

static void filter_should_apply_where_then_per_then_drop_top(void **state)
{
    (void)state;
    slaw_runs *runs =
        load_ok("t.csv", "N,D,loss\n1,1,5\n1,1,4\n2,1,3\n2,1,3.5\n3,1,2\n3,1,9\n4,1,1\n", NULL);
    slaw_step steps[] = {{.kind = SLAW_STEP_PER, .per = per(SLAW_PER_BEST)},
                         {.kind = SLAW_STEP_DROP_TOP, .count = 1}};
    size_t removed[3] = {0};
    slaw_error err;
    slaw_selection *sel = slaw_selection_new();
    assert_int_equal(slaw_selection_add_where(sel, "N >= 2", &err), SLAW_OK);
    for (size_t i = 0; i < 2; i++)
        assert_int_equal(slaw_selection_add(sel, &steps[i], &err), SLAW_OK);
    assert_int_equal(slaw_selection_apply(sel, runs, removed, &err), SLAW_OK);
    slaw_selection_free(sel);
    assert_int_equal(removed[0], 2); /* N = 1 */
    assert_int_equal(removed[1], 2); /* 3.5 and 9: the worse of their pairs */
    assert_int_equal(removed[2], 1); /* then the highest target left, 3 */
    assert_int_equal(slaw_runs_count(runs), 2);
    assert_true(cell(runs, "loss", 0) == 2 && cell(runs, "loss", 1) == 1);
    slaw_runs_free(runs);
}

static void artifact_should_keep_the_per_settings(void **state)
{
    (void)state;
    slaw_runs *runs = load_ok("t.csv",
                              "N,D,loss\n1e8,1,3.0\n1e8,1,3.2\n1e9,1,2.5\n1e9,1,2.6\n1e10,1,2.1\n"
                              "1e10,1,2.0\n1e11,1,1.8\n",
                              NULL);
    slaw_fit_options opt;
    slaw_fit_options_init(&opt);
    opt.law = "power";
    slaw_step mean = {.kind = SLAW_STEP_PER, .per = per(SLAW_PER_MEAN)};
    mean.per.inverse_variance = true;
    slaw_selection *sel = slaw_selection_new();
    slaw_artifact *a = NULL, *b = NULL;
    slaw_error err;
    assert_int_equal(slaw_selection_add(sel, &mean, &err), SLAW_OK);
    opt.selection = sel;
    assert_int_equal(slaw_fit_runs(runs, &opt, &a, &err), SLAW_OK);
    slaw_selection_free(sel);
    slaw_fit_stats st;
    slaw_fit_get_stats(slaw_artifact_fit(a, 0), &st);
    assert_int_equal(st.n, 4);
    assert_int_equal(slaw_selection_step(slaw_artifact_selection(a), 0)->per.keep, SLAW_PER_MEAN);
    assert_int_equal(slaw_artifact_removed(a, 0), 3);
    char *json = slaw_artifact_to_json(a);
    assert_non_null(strstr(json, "\"keep\":\t\"mean\""));
    assert_int_equal(slaw_artifact_parse("a.json", json, strlen(json), &b, &err), SLAW_OK);
    char *again = slaw_artifact_to_json(b);
    assert_string_equal(json, again); /* read and written back byte for byte */
    slaw_fit_options back;
    slaw_artifact_options(b, &back);
    const slaw_step *step = slaw_selection_step(back.selection, 0);
    assert_int_equal(step->per.keep, SLAW_PER_MEAN);
    assert_int_equal(step->per.n_columns, 2);
    assert_string_equal(step->per.columns[1], "D");
    assert_true(step->per.inverse_variance);
    /* a refit with the artifact's settings reproduces the fit */
    slaw_artifact *c = NULL;
    assert_int_equal(slaw_fit_runs(runs, &back, &c, &err), SLAW_OK);
    assert_true(slaw_fit_value(slaw_artifact_fit(c, 0), 1) ==
                slaw_fit_value(slaw_artifact_fit(a, 0), 1));
    free(json);
    free(again);
    slaw_artifact_free(a);
    slaw_artifact_free(b);
    slaw_artifact_free(c);
    slaw_runs_free(runs);
}

static void artifact_should_refuse_a_malformed_per(void **state)
{
    (void)state;
    slaw_runs *runs = load_ok("t.csv", "N,loss\n1e8,3\n1e9,2.5\n1e10,2.1\n1e11,1.8\n", NULL);
    slaw_fit_options opt;
    slaw_fit_options_init(&opt);
    opt.law = "power";
    slaw_step best = {.kind = SLAW_STEP_PER, .per = per(SLAW_PER_BEST)};
    best.per.columns = (const char *const[]){"N"};
    best.per.n_columns = 1;
    slaw_selection *sel = slaw_selection_new();
    slaw_artifact *a = NULL, *b = NULL;
    slaw_error err;
    assert_int_equal(slaw_selection_add(sel, &best, &err), SLAW_OK);
    opt.selection = sel;
    assert_int_equal(slaw_fit_runs(runs, &opt, &a, &err), SLAW_OK);
    slaw_selection_free(sel);
    char *json = slaw_artifact_to_json(a);
    char *at = strstr(json, "\"best\"");
    assert_non_null(at);
    memcpy(at, "\"most\"", 6);
    assert_int_equal(slaw_artifact_parse("a.json", json, strlen(json), &b, &err), SLAW_EINPUT);
    assert_non_null(strstr(err.message, "settings.selection[0].keep must be"));
    free(json);
    slaw_artifact_free(a);
    slaw_runs_free(runs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(best_should_keep_the_lowest_target_of_each_pair_in_order),
        cmocka_unit_test(best_should_not_merge_pairs_of_different_groups),
        cmocka_unit_test(mean_should_average_and_keep_count_and_spread),
        cmocka_unit_test(inverse_variance_should_pool_for_a_pair_of_one_run),
        cmocka_unit_test(per_should_refuse_what_makes_no_sense),
        cmocka_unit_test(filter_should_apply_where_then_per_then_drop_top),
        cmocka_unit_test(artifact_should_keep_the_per_settings),
        cmocka_unit_test(artifact_should_refuse_a_malformed_per),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
