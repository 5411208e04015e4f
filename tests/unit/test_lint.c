/* test_lint.c — slaw_runs_lint: each accounting lint fires on the mistake it
 * is about, names its runs, and keeps quiet on sound logs. */
#include "helpers.h"

#include <string.h>

/* The lint of kind found in runs (skipping none); NULL when there is none. */
static const slaw_lint *find(const slaw_runs *runs, slaw_lint_kind kind, slaw_lint *out)
{
    size_t n = 99;
    slaw_error err;
    assert_int_equal(slaw_runs_lint(runs, 0, out, &n, &err), SLAW_OK);
    assert_true(n <= SLAW_LINT_COUNT);
    for (size_t i = 0; i < n; i++)
        if (out[i].kind == kind) return &out[i];
    return NULL;
}

static void compute_should_report_c_off_6nd_per_size(void **state)
{
    (void)state;
    slaw_lint l[SLAW_LINT_COUNT];
    /* C is 6ND x 1.3 at 10M, x 1.12 at 100M, exact at 1B */
    slaw_runs *runs = load_ok("t.csv",
                              "N,D,C,loss\n1e7,1e9,7.8e16,4\n1e7,2e9,1.56e17,3.8\n"
                              "1e8,1e9,6.72e17,3.5\n1e9,1e9,6e18,3\n",
                              NULL);
    const slaw_lint *c = find(runs, SLAW_LINT_COMPUTE, l);
    assert_non_null(c);
    assert_false(c->info);
    assert_int_equal(c->n_runs, 3);
    assert_int_equal(c->runs[0], 0);
    assert_int_equal(c->runs[2], 2);
    assert_non_null(strstr(c->message, "in 3 of 4 runs"));
    assert_non_null(strstr(c->message, "10M 1.30, 100M 1.12, 1B 1.00"));
    assert_non_null(strstr(c->message, "small"));
    slaw_runs_free(runs);
    /* the same ratio at every size: another convention */
    runs = load_ok("t.csv", "N,D,C,loss\n1e7,1e9,8e16,4\n1e8,1e9,8e17,3\n", NULL);
    c = find(runs, SLAW_LINT_COMPUTE, l);
    assert_non_null(c);
    assert_non_null(strstr(c->message, "8*N*D"));
    slaw_runs_free(runs);
    /* C = 6ND within 10%, or C derived: nothing to say */
    runs = load_ok("t.csv", "N,D,C,loss\n1e7,1e9,6.5e16,4\n1e8,1e9,5.5e17,3\n", NULL);
    assert_null(find(runs, SLAW_LINT_COMPUTE, l));
    slaw_runs_free(runs);
    runs = load_ok("t.csv", "N,C,loss\n1e7,7.8e16,4\n1e8,6e17,3\n", NULL);
    assert_null(find(runs, SLAW_LINT_COMPUTE, l));
    slaw_runs_free(runs);
}

static void embeddings_should_name_both_parameter_counts(void **state)
{
    (void)state;
    slaw_lint l[SLAW_LINT_COUNT];
    slaw_runs *runs = load_ok("t.csv",
                              "params,non_embedding_params,tokens,loss\n45e6,19e6,1e9,4\n"
                              "1.3e9,1.2e9,1e10,3\n",
                              NULL);
    const slaw_lint *e = find(runs, SLAW_LINT_EMBEDDINGS, l);
    assert_non_null(e);
    assert_int_equal(e->n_runs, 2);
    assert_non_null(strstr(e->message, "'params' (N, detected from its name)"));
    assert_non_null(strstr(e->message, "'non_embedding_params' leaves the embeddings out"));
    slaw_runs_free(runs);
    /* N without embeddings, the other with them */
    slaw_load_options lo;
    slaw_load_options_init(&lo);
    lo.role_column[SLAW_ROLE_N] = "non_embedding_params";
    runs = load_ok("t.csv", "params,non_embedding_params,tokens,loss\n45e6,19e6,1e9,4\n", &lo);
    e = find(runs, SLAW_LINT_EMBEDDINGS, l);
    assert_non_null(e);
    assert_non_null(strstr(e->message, "named explicitly"));
    assert_non_null(strstr(e->message, "N ('non_embedding_params') leaves the embeddings out"));
    slaw_runs_free(runs);
    /* one count of parameters: nothing */
    runs = load_ok("t.csv", "params,embed_dim,tokens,loss\n45e6,512,1e9,4\n", NULL);
    assert_null(find(runs, SLAW_LINT_EMBEDDINGS, l));
    slaw_runs_free(runs);
}

static void bits_should_see_units_in_names_and_values(void **state)
{
    (void)state;
    slaw_lint l[SLAW_LINT_COUNT];
    slaw_load_options lo;
    slaw_load_options_init(&lo);
    lo.role_column[SLAW_ROLE_L] = "val_bpb";
    slaw_runs *runs = load_ok("t.csv", "N,D,val_bpb\n1e8,1e9,1.1\n1e9,1e9,0.9\n", &lo);
    const slaw_lint *b = find(runs, SLAW_LINT_BITS, l);
    assert_non_null(b);
    assert_int_equal(b->n_runs, 2);
    assert_non_null(strstr(b->message, "bits per byte"));
    slaw_runs_free(runs);
    lo.role_column[SLAW_ROLE_L] = "eval_ppl";
    runs = load_ok("t.csv", "N,D,eval_ppl\n1e8,1e9,30\n1e9,1e9,20\n", &lo);
    assert_non_null(strstr(find(runs, SLAW_LINT_BITS, l)->message, "perplexity"));
    slaw_runs_free(runs);
    /* a detected loss above ln 256000 nats in every run */
    runs = load_ok("t.csv", "N,D,loss\n1e8,1e9,25\n1e9,1e9,18\n", NULL);
    b = find(runs, SLAW_LINT_BITS, l);
    assert_non_null(b);
    assert_non_null(strstr(b->message, "runs from 18 to 25"));
    slaw_runs_free(runs);
    /* losses in nats, and a target of the caller's that is not a loss */
    runs = load_ok("t.csv", "N,D,loss\n1e8,1e9,3.2\n1e9,1e9,13\n", NULL);
    assert_null(find(runs, SLAW_LINT_BITS, l));
    slaw_runs_free(runs);
    lo.role_column[SLAW_ROLE_L] = "train_hours";
    runs = load_ok("t.csv", "N,D,train_hours\n1e8,1e9,30\n1e9,1e9,200\n", &lo);
    assert_null(find(runs, SLAW_LINT_BITS, l));
    slaw_runs_free(runs);
}

static void steps_should_see_steps_times_batch_and_steps(void **state)
{
    (void)state;
    slaw_lint l[SLAW_LINT_COUNT];
    slaw_runs *runs = load_ok("t.csv",
                              "params,step,batch_size,tokens,loss\n1e8,1000,512,512000,4\n"
                              "1e8,2000,512,1024000,3.8\n1e9,2000,512,1.5e9,3\n",
                              NULL);
    const slaw_lint *s = find(runs, SLAW_LINT_STEPS, l);
    assert_non_null(s);
    assert_true(s->info);
    assert_int_equal(s->n_runs, 2);
    assert_int_equal(s->runs[1], 1);
    assert_non_null(strstr(s->message, "step x batch_size in 2 of 3 runs"));
    slaw_runs_free(runs);
    /* with the sequence length the tokens add up */
    runs = load_ok("t.csv",
                   "params,step,batch_size,seq_len,tokens,loss\n"
                   "1e8,1000,512,2048,1048576000,4\n",
                   NULL);
    assert_null(find(runs, SLAW_LINT_STEPS, l));
    slaw_runs_free(runs);
    /* D equal to the step count */
    runs = load_ok("t.csv", "params,steps,tokens,loss\n1e8,1000,1000,4\n1e8,2000,2000,3.8\n", NULL);
    s = find(runs, SLAW_LINT_STEPS, l);
    assert_non_null(s);
    assert_false(s->info);
    assert_non_null(strstr(s->message, "equals the step count 'steps' in 2 runs"));
    slaw_runs_free(runs);
    /* D in whole numbers below a million, no step column */
    runs = load_ok("t.csv", "params,tokens,loss\n1e8,1000,4\n1e8,20000,3.8\n", NULL);
    assert_non_null(find(runs, SLAW_LINT_STEPS, l));
    slaw_runs_free(runs);
    runs = load_ok("t.csv", "params,tokens,loss\n1e8,1e9,4\n1e8,2e9,3.8\n", NULL);
    assert_null(find(runs, SLAW_LINT_STEPS, l));
    slaw_runs_free(runs);
}

static void size_loss_should_see_a_loss_rising_with_size_at_fixed_d(void **state)
{
    (void)state;
    slaw_lint l[SLAW_LINT_COUNT];
    slaw_runs *runs = load_ok("t.csv",
                              "N,D,loss\n1e8,1e9,3.5\n1e9,1e9,3.2\n1e10,1e9,3.4\n"
                              "1e8,1e10,3.1\n1e9,1e10,2.8\n1e10,1e10,2.7\n",
                              NULL);
    const slaw_lint *s = find(runs, SLAW_LINT_SIZE_LOSS, l);
    assert_non_null(s);
    assert_int_equal(s->n_runs, 1);
    assert_int_equal(s->runs[0], 2);
    assert_non_null(strstr(s->message, "D = 1B: N 1B -> 10B, 3.2 -> 3.4 (+6.2%)"));
    slaw_runs_free(runs);
    /* an LR sweep: a bad rate at a large size is not a rise of the best runs */
    runs = load_ok("t.csv", "N,D,lr,loss\n1e8,1e9,1,3.5\n1e9,1e9,1,3.9\n1e9,1e9,2,3.2\n", NULL);
    assert_null(find(runs, SLAW_LINT_SIZE_LOSS, l));
    slaw_runs_free(runs);
    /* groups are compared within themselves only */
    slaw_load_options lo;
    slaw_load_options_init(&lo);
    lo.role_column[SLAW_ROLE_GROUP] = "set";
    runs = load_ok("t.csv", "set,N,D,loss\ncode,1e8,1e9,2.0\nweb,1e9,1e9,3.0\n", &lo);
    assert_null(find(runs, SLAW_LINT_SIZE_LOSS, l));
    slaw_runs_free(runs);
}

static void lint_should_skip_what_it_is_told_to(void **state)
{
    (void)state;
    slaw_lint l[SLAW_LINT_COUNT];
    size_t n;
    slaw_error err;
    slaw_runs *runs = load_ok("t.csv", "N,D,C,loss\n1e7,1e9,7.8e16,4\n1e8,1e9,6e17,3\n", NULL);
    assert_int_equal(slaw_runs_lint(runs, 0, l, &n, &err), SLAW_OK);
    assert_int_equal(n, 1);
    assert_int_equal(slaw_runs_lint(runs, 1u << SLAW_LINT_COMPUTE, l, &n, &err), SLAW_OK);
    assert_int_equal(n, 0);
    slaw_runs_free(runs);
    for (int k = 0; k < SLAW_LINT_COUNT; k++) {
        slaw_lint_kind kind;
        assert_true(slaw_lint_find(slaw_lint_name((slaw_lint_kind)k), &kind));
        assert_int_equal(kind, k);
    }
    slaw_lint_kind kind;
    assert_false(slaw_lint_find("flops", &kind));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(compute_should_report_c_off_6nd_per_size),
        cmocka_unit_test(embeddings_should_name_both_parameter_counts),
        cmocka_unit_test(bits_should_see_units_in_names_and_values),
        cmocka_unit_test(steps_should_see_steps_times_batch_and_steps),
        cmocka_unit_test(size_loss_should_see_a_loss_rising_with_size_at_fixed_d),
        cmocka_unit_test(lint_should_skip_what_it_is_told_to),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
