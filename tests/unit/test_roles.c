/* test_roles.c — which column plays N, D, C, L: aliases, overrides,
 * C = 6·N·D derivation, ambiguity, and the values a role accepts. */
#include "helpers.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *role_column_name(const slaw_runs *runs, slaw_role role)
{
    size_t col;
    assert_true(slaw_runs_role_column(runs, role, &col));
    return slaw_runs_column_name(runs, col);
}

static void roles_should_detect_every_alias_whatever_case_and_separators(void **state)
{
    (void)state;
    static const struct {
        const char *header;
        slaw_role role;
        const char *alias;
    } cases[] = {
        {"params", SLAW_ROLE_N, "params"},
        {"n_params", SLAW_ROLE_N, "nparams"},
        {"NUM-PARAMS", SLAW_ROLE_N, "numparams"},
        {"Parameters", SLAW_ROLE_N, "parameters"},
        {"model_size", SLAW_ROLE_N, "modelsize"},
        {"Model Size", SLAW_ROLE_N, "modelsize"},
        {"N", SLAW_ROLE_N, "n"},
        {"n", SLAW_ROLE_N, "n"},
        {"tokens", SLAW_ROLE_D, "tokens"},
        {"N_Tokens", SLAW_ROLE_D, "ntokens"},
        {"train tokens", SLAW_ROLE_D, "traintokens"},
        {"data", SLAW_ROLE_D, "data"},
        {"D", SLAW_ROLE_D, "d"},
        {"flops", SLAW_ROLE_C, "flops"},
        {"Compute", SLAW_ROLE_C, "compute"},
        {"Training FLOP", SLAW_ROLE_C, "trainingflop"},
        {"C", SLAW_ROLE_C, "c"},
        {"loss", SLAW_ROLE_L, "loss"},
        {"val_loss", SLAW_ROLE_L, "valloss"},
        {"Eval Loss", SLAW_ROLE_L, "evalloss"},
        {"final-loss", SLAW_ROLE_L, "finalloss"},
        {"L", SLAW_ROLE_L, "l"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[128];
        snprintf(text, sizeof text, "other,\"%s\"\n1,2\n", cases[i].header);
        slaw_runs *runs = load_ok("t.csv", text, NULL);
        for (int k = 0; k <= SLAW_ROLE_L; k++) {
            slaw_role_source want = k == (int)cases[i].role ? SLAW_SOURCE_ALIAS : SLAW_SOURCE_NONE;
            if (slaw_runs_role_source(runs, (slaw_role)k) != want)
                fail_msg("'%s': role %s has source %d", cases[i].header,
                         slaw_role_name((slaw_role)k), slaw_runs_role_source(runs, (slaw_role)k));
        }
        assert_string_equal(role_column_name(runs, cases[i].role), cases[i].header);
        assert_string_equal(slaw_runs_role_alias(runs, cases[i].role), cases[i].alias);
        slaw_runs_free(runs);
    }
}

static void roles_should_not_take_near_misses_for_aliases(void **state)
{
    (void)state;
    slaw_runs *runs = load_ok("t.csv", "param_count,token,flop_count,losses,x\n1,2,3,4,5\n", NULL);
    for (int k = 0; k < SLAW_ROLE_COUNT; k++)
        assert_int_equal(slaw_runs_role_source(runs, (slaw_role)k), SLAW_SOURCE_NONE);
    assert_int_equal(slaw_runs_column_count(runs), 5); /* nothing derived */
    slaw_runs_free(runs);
}

static void roles_should_derive_the_third_size_from_c_equals_6nd(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        slaw_role missing;
    } cases[] = {
        {"N,D,L\n1.3e8,2.7e9,3\n7e10,1.4e12,2\n", SLAW_ROLE_C},
        {"N,C,L\n1.3e8,2.7e18,3\n7e10,5.9e23,2\n", SLAW_ROLE_D},
        {"D,C,L\n2.7e9,2.7e18,3\n1.4e12,5.9e23,2\n", SLAW_ROLE_N},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        slaw_runs *runs = load_ok("t.csv", cases[i].text, NULL);
        slaw_role m = cases[i].missing;
        size_t col;
        assert_int_equal(slaw_runs_role_source(runs, m), SLAW_SOURCE_DERIVED);
        assert_true(slaw_runs_role_column(runs, m, &col));
        assert_string_equal(slaw_runs_column_name(runs, col), slaw_role_name(m));
        assert_true(slaw_runs_column_is_derived(runs, col));
        assert_false(slaw_runs_column_is_label(runs, col));
        assert_null(slaw_runs_role_alias(runs, m));
        for (size_t r = 0; r < 2; r++) {
            double n = m == SLAW_ROLE_N ? 0 : role_value(runs, SLAW_ROLE_N, r);
            double d = m == SLAW_ROLE_D ? 0 : role_value(runs, SLAW_ROLE_D, r);
            double c = m == SLAW_ROLE_C ? 0 : role_value(runs, SLAW_ROLE_C, r);
            double want = m == SLAW_ROLE_C   ? 6.0 * n * d
                          : m == SLAW_ROLE_D ? c / (6.0 * n)
                                             : c / (6.0 * d);
            assert_true(role_value(runs, m, r) == want);
        }
        slaw_runs_free(runs);
    }
    /* all three present: nothing derived; one or none: nothing derived */
    slaw_runs *runs = load_ok("t.csv", "N,D,C,L\n1,2,3,4\n", NULL);
    assert_int_equal(slaw_runs_role_source(runs, SLAW_ROLE_C), SLAW_SOURCE_ALIAS);
    assert_true(role_value(runs, SLAW_ROLE_C, 0) == 3);
    slaw_runs_free(runs);
    runs = load_ok("t.csv", "N,L\n1,4\n", NULL);
    assert_int_equal(slaw_runs_role_source(runs, SLAW_ROLE_D), SLAW_SOURCE_NONE);
    assert_int_equal(slaw_runs_role_source(runs, SLAW_ROLE_C), SLAW_SOURCE_NONE);
    assert_int_equal(slaw_runs_column_count(runs), 2);
    slaw_runs_free(runs);
}

static void roles_should_name_a_derived_column_apart_from_a_read_one(void **state)
{
    (void)state;
    slaw_load_options opt;
    slaw_load_options_init(&opt);
    opt.role_column[SLAW_ROLE_X] = "C"; /* "C" is taken, so derived C needs another name */
    slaw_runs *runs = load_ok("t.csv", "C,N,D,L\n5,10,20,3\n", &opt);
    assert_string_equal(role_column_name(runs, SLAW_ROLE_X), "C");
    assert_string_equal(role_column_name(runs, SLAW_ROLE_C), "C (derived)");
    assert_true(role_value(runs, SLAW_ROLE_C, 0) == 1200);
    slaw_runs_free(runs);
}

/* A binding that takes the column of N, D or C by its name leaves that role
 * without one; rather than derive it from the other two (N = C/(6 D) from
 * values that are not N), the load is refused naming both roles. */
static void roles_should_refuse_a_binding_that_takes_another_roles_column(void **state)
{
    (void)state;
    slaw_load_options opt;
    slaw_load_options_init(&opt);
    opt.role_column[SLAW_ROLE_U] = "params";
    assert_load_fails("t.csv", "params,tokens,flops,loss\n1e8,2e9,1.2e18,3\n", &opt, SLAW_EUSAGE,
                      "role_column[U] params: column 'params' is the N column (model size) by its "
                      "name, and a column plays one role; name N's column with role_column[N] "
                      "COLUMN, or bind U to another column");
    slaw_load_options_init(&opt);
    opt.role_column[SLAW_ROLE_N] = "tokens"; /* D would be C/(6 N), the sizes swapped */
    assert_load_fails("t.csv", "params,tokens,flops,loss\n1e8,2e9,1.2e18,3\n", &opt, SLAW_EUSAGE,
                      "role_column[N] tokens: column 'tokens' is the D column");
    slaw_load_options_init(&opt);
    opt.role_column[SLAW_ROLE_U] = "N"; /* the column named N, which D and C would derive */
    assert_load_fails("t.csv", "N,D,C,loss\n1e8,2e9,1.2e18,3\n", &opt, SLAW_EUSAGE,
                      "role_column[U] N: column 'N' is the N column");
    /* the role given its own column: nothing is derived, nothing refused */
    slaw_load_options_init(&opt);
    opt.role_column[SLAW_ROLE_U] = "params";
    opt.role_column[SLAW_ROLE_N] = "size";
    slaw_runs *runs = load_ok("t.csv", "params,size,tokens,loss\n1e9,1e8,2e9,3\n", &opt);
    assert_true(role_value(runs, SLAW_ROLE_N, 0) == 1e8);
    assert_true(role_value(runs, SLAW_ROLE_U, 0) == 1e9);
    slaw_runs_free(runs);
}

static void roles_should_refuse_derived_values_out_of_range(void **state)
{
    (void)state;
    assert_load_fails("t.csv", "N,D,L\n1,2,3\n1e200,1e200,3\n", NULL, SLAW_EINPUT,
                      "t.csv:3: column 'C' (C): derived value out of range (too large)");
    assert_load_fails("t.csv", "N,C,L\n1,2,3\n1e300,1e-300,3\n", NULL, SLAW_EINPUT,
                      "t.csv:3: column 'D' (D): derived value must be positive, got 0");
}

static void roles_should_let_overrides_win_over_aliases(void **state)
{
    (void)state;
    slaw_load_options opt;
    slaw_load_options_init(&opt);
    opt.role_column[SLAW_ROLE_N] = "size";
    opt.role_column[SLAW_ROLE_L] = "val_loss";
    slaw_runs *runs = load_ok("t.csv", "params,size,D,loss,val_loss\n1,2,3,4,5\n", &opt);
    assert_int_equal(slaw_runs_role_source(runs, SLAW_ROLE_N), SLAW_SOURCE_OVERRIDE);
    assert_string_equal(role_column_name(runs, SLAW_ROLE_N), "size");
    assert_null(slaw_runs_role_alias(runs, SLAW_ROLE_N));
    assert_string_equal(role_column_name(runs, SLAW_ROLE_L), "val_loss");
    assert_true(role_value(runs, SLAW_ROLE_C, 0) == 36); /* 6 · size · D */
    slaw_runs_free(runs);
    /* a loose spelling of the name, and a role letter */
    opt.role_column[SLAW_ROLE_N] = "model size";
    opt.role_column[SLAW_ROLE_L] = NULL;
    opt.role_column[SLAW_ROLE_C] = "N";
    runs = load_ok("t.csv", "Model_Size,D,N,L\n1,2,300,4\n", &opt);
    assert_string_equal(role_column_name(runs, SLAW_ROLE_N), "Model_Size");
    assert_string_equal(role_column_name(runs, SLAW_ROLE_C), "N");
    assert_int_equal(slaw_runs_role_source(runs, SLAW_ROLE_D), SLAW_SOURCE_ALIAS);
    slaw_runs_free(runs);
}

static void roles_should_refuse_two_columns_matching_one_role(void **state)
{
    (void)state;
    assert_load_fails("t.csv", "params,n_params,D,L\n1,2,3,4\n", NULL, SLAW_EINPUT,
                      "t.csv: columns 'params' and 'n_params' both look like N (model size); "
                      "name one with role_column[N] COLUMN");
    assert_load_fails("t.csv", "N,D,loss,Loss\n1,2,3,4\n", NULL, SLAW_EINPUT,
                      "t.csv: columns 'loss' and 'Loss' both look like L (target); name one with "
                      "role_column[L] COLUMN");
    assert_load_fails("t.jsonl", "{\"N\":1,\"D\":2,\"results\":[{\"loss\":3},{\"loss\":2}]}\n",
                      NULL, SLAW_EINPUT,
                      "t.jsonl: columns 'results.0.loss' and 'results.1.loss' both look like L");
    /* an override settles it */
    slaw_load_options opt;
    slaw_load_options_init(&opt);
    opt.role_column[SLAW_ROLE_N] = "n_params";
    slaw_runs *runs = load_ok("t.csv", "params,n_params,D,L\n1,2,3,4\n", &opt);
    assert_true(role_value(runs, SLAW_ROLE_N, 0) == 2);
    slaw_runs_free(runs);
}

static void roles_should_name_the_files_of_columns_that_clash(void **state)
{
    (void)state;
    char *dir = temp_dir_create();
    char a[4096], b[4096];
    snprintf(a, sizeof a, "%s", temp_file(dir, "a.csv", "N,D,val_loss\n1,2,3\n"));
    snprintf(b, sizeof b, "%s", temp_file(dir, "b.jsonl", "{\"N\": 1, \"D\": 2, \"loss\": 3}\n"));
    const char *paths[] = {a, b};
    slaw_runs *runs = NULL;
    slaw_error err;
    char want[8192];
    assert_int_equal(slaw_runs_load(paths, 2, NULL, &runs, &err), SLAW_EINPUT);
    assert_null(runs);
    assert_string_equal(err.file, b);
    snprintf(want, sizeof want,
             "columns 'val_loss' (in %s) and 'loss' both look like L (target); name one with "
             "role_column[L] COLUMN",
             a);
    assert_string_equal(err.message, want);
    temp_dir_remove(dir);
}

static void roles_should_match_the_last_component_of_nested_paths(void **state)
{
    (void)state;
    slaw_runs *runs = load_ok("t.jsonl",
                              "{\"config\": {\"n_params\": 1e8, \"train_tokens\": 2e9}, "
                              "\"metrics\": {\"loss\": 3}}\n",
                              NULL);
    assert_string_equal(role_column_name(runs, SLAW_ROLE_N), "config.n_params");
    assert_string_equal(slaw_runs_role_alias(runs, SLAW_ROLE_N), "nparams");
    assert_string_equal(role_column_name(runs, SLAW_ROLE_D), "config.train_tokens");
    assert_string_equal(role_column_name(runs, SLAW_ROLE_L), "metrics.loss");
    slaw_runs_free(runs);
    /* a whole-name match comes before a last-component one; '.' is a
     * separator like '_', so "eval.loss" is the alias eval_loss */
    runs = load_ok("t.jsonl", "{\"loss\": 3, \"train\": {\"loss\": 2}}\n", NULL);
    assert_string_equal(role_column_name(runs, SLAW_ROLE_L), "loss");
    slaw_runs_free(runs);
    runs = load_ok("t.jsonl", "{\"train\": {\"loss\": 2}, \"eval\": {\"loss\": 3}}\n", NULL);
    assert_string_equal(role_column_name(runs, SLAW_ROLE_L), "eval.loss");
    assert_string_equal(slaw_runs_role_alias(runs, SLAW_ROLE_L), "evalloss");
    slaw_runs_free(runs);
}

static void roles_should_refuse_overrides_naming_no_column(void **state)
{
    (void)state;
    slaw_load_options opt;
    slaw_load_options_init(&opt);
    opt.role_column[SLAW_ROLE_D] = "tokns";
    assert_load_fails(
        "t.csv", "N,tokens,L\n1,2,3\n", &opt, SLAW_EUSAGE,
        "t.csv: role_column[D] tokns: no such column (did you mean 'tokens'?); the columns "
        "are 'N', 'tokens', 'L'");
    slaw_load_options_init(&opt);
    opt.role_column[SLAW_ROLE_L] = "results.5.loss";
    assert_load_fails("t.jsonl", "{\"N\":1,\"D\":2,\"results\":[{\"loss\":3}]}\n", &opt,
                      SLAW_EUSAGE,
                      "t.jsonl: role_column[L] results.5.loss: no such column (did you mean "
                      "'results.0.loss'?); the columns are 'N', 'D', 'results.0.loss'");
    slaw_load_options_init(&opt);
    opt.role_column[SLAW_ROLE_N] = "x";
    opt.role_column[SLAW_ROLE_D] = "x";
    assert_load_fails("t.csv", "x,L\n1,2\n", &opt, SLAW_EUSAGE,
                      "column 'x' is given for both N and D");
}

static void roles_should_suggest_close_names_and_dotted_suffixes(void **state)
{
    (void)state;
    slaw_load_options opt;
    slaw_load_options_init(&opt);
    opt.role_column[SLAW_ROLE_N] = "params";
    assert_load_fails(
        "t.jsonl",
        "{\"hyperparameters\": {\"params\": 1, \"tokens\": 2}, "
        "\"model\": {\"n_params\": 3}, \"loss\": 3}\n",
        &opt, SLAW_EUSAGE,
        "role_column[N] params: no such column (did you mean 'hyperparameters.params' or "
        "'model.n_params'?)");
    opt.role_column[SLAW_ROLE_N] = "parms";
    assert_load_fails("t.csv", "params,tokens,loss\n1,2,3\n", &opt, SLAW_EUSAGE,
                      "role_column[N] parms: no such column (did you mean 'params'?)");
    opt.role_column[SLAW_ROLE_N] = "width";
    assert_load_fails("t.csv", "params,tokens,loss\n1,2,3\n", &opt, SLAW_EUSAGE,
                      "role_column[N] width: no such column; the columns are");
}

static void roles_should_list_every_column_past_any_number(void **state)
{
    (void)state;
    char csv[4096] = "", name[16];
    for (int i = 0; i < 40; i++) {
        snprintf(name, sizeof name, "%smetric_%02d", i ? "," : "", i);
        strcat(csv, name);
    }
    strcat(csv, ",loss\n");
    for (int i = 0; i < 40; i++) strcat(csv, "1,");
    strcat(csv, "2\n");
    slaw_load_options opt;
    slaw_load_options_init(&opt);
    opt.role_column[SLAW_ROLE_N] = "nope";
    /* strict: the message holds as many as fit, and how many more */
    assert_load_fails("t.csv", csv, &opt, SLAW_EUSAGE, "'metric_24', 'metric_25'");
    /* lenient: the table comes back, the problem kept, every column there */
    opt.lenient_roles = true;
    slaw_runs *runs = load_ok("t.csv", csv, &opt);
    const slaw_error *p = slaw_runs_role_problem(runs, SLAW_ROLE_N);
    assert_non_null(p);
    assert_int_equal(p->code, SLAW_EUSAGE);
    assert_string_equal(p->message, "role_column[N] nope: no such column");
    assert_string_equal(p->option, "role_column[N]");
    assert_int_equal(slaw_runs_column_count(runs), 41);
    assert_null(slaw_runs_role_problem(runs, SLAW_ROLE_L));
    slaw_runs_free(runs);
}

static void roles_should_list_every_candidate_and_identical_ones(void **state)
{
    (void)state;
    const char *csv = "tokens,train_tokens,n_tokens,params,loss\n1,1,5,1,3\n2,2,6,1,3\n";
    assert_load_fails("t.csv", csv, NULL, SLAW_EINPUT,
                      "t.csv: columns 'tokens', 'train_tokens' and 'n_tokens' all look like D "
                      "(training tokens); 'tokens' and 'train_tokens' are identical column for "
                      "column (either will do); name one with role_column[D] COLUMN");
    slaw_load_options opt;
    slaw_load_options_init(&opt);
    opt.lenient_roles = true;
    slaw_runs *runs = load_ok("t.csv", csv, &opt);
    size_t cols[8];
    assert_int_equal(slaw_runs_role_candidates(runs, SLAW_ROLE_D, cols, 8), 3);
    assert_string_equal(slaw_runs_column_name(runs, cols[2]), "n_tokens");
    assert_true(slaw_runs_columns_identical(runs, cols[0], cols[1]));
    assert_false(slaw_runs_columns_identical(runs, cols[0], cols[2]));
    assert_non_null(slaw_runs_role_problem(runs, SLAW_ROLE_D));
    assert_int_equal(slaw_runs_role_source(runs, SLAW_ROLE_D), SLAW_SOURCE_NONE);
    /* C is not derived from an N and a D that is not settled */
    assert_int_equal(slaw_runs_role_source(runs, SLAW_ROLE_C), SLAW_SOURCE_NONE);
    assert_string_equal(role_column_name(runs, SLAW_ROLE_N), "params");
    slaw_runs_free(runs);
}

static void roles_should_refuse_zero_negative_and_text_sizes(void **state)
{
    (void)state;
    assert_load_fails("t.csv", "N,D,L\n1,2,3\n0,2,3\n", NULL, SLAW_EINPUT,
                      "t.csv:3: column 'N' (N): must be positive, got 0");
    assert_load_fails("t.csv", "N,D,L\n1,-2,3\n", NULL, SLAW_EINPUT,
                      "t.csv:2: column 'D' (D): must be positive, got -2");
    assert_load_fails("t.csv", "N,D,C,L\n1,2,-0,3\n", NULL, SLAW_EINPUT,
                      "t.csv:2: column 'C' (C): must be positive, got -0");
    slaw_load_options opt;
    slaw_load_options_init(&opt);
    opt.role_column[SLAW_ROLE_N] = "name";
    assert_load_fails("t.csv", "name,D,L\n7,2,3\nbig,2,3\n", &opt, SLAW_EINPUT,
                      "t.csv:3: column 'name' (N): 'big' is not a number");
    /* the target may be any finite number */
    slaw_runs *runs = load_ok("t.csv", "N,D,L\n1,2,-0.5\n1,2,0\n", NULL);
    assert_true(role_value(runs, SLAW_ROLE_L, 0) == -0.5);
    slaw_runs_free(runs);
}

static void roles_should_find_columns_by_name_letter_or_loose_spelling(void **state)
{
    (void)state;
    slaw_runs *runs = load_ok("t.csv", "Model Size,tokens,val-loss,a_b,A-B\n1,2,3,4,5\n", NULL);
    size_t col;
    assert_true(slaw_runs_column_find(runs, "Model Size", &col));
    assert_int_equal(col, 0);
    assert_true(slaw_runs_column_find(runs, "N", &col));
    assert_int_equal(col, 0);
    assert_true(slaw_runs_column_find(runs, "L", &col));
    assert_int_equal(col, 2);
    assert_true(slaw_runs_column_find(runs, "C", &col)); /* the derived column */
    assert_true(slaw_runs_column_is_derived(runs, col));
    assert_true(slaw_runs_column_find(runs, "model_size", &col));
    assert_int_equal(col, 0);
    assert_true(slaw_runs_column_find(runs, "VAL LOSS", &col));
    assert_int_equal(col, 2);
    assert_true(slaw_runs_column_find(runs, "a_b", &col)); /* exact beats loose */
    assert_int_equal(col, 3);
    assert_false(slaw_runs_column_find(runs, "ab", &col)); /* two loose matches */
    assert_false(slaw_runs_column_find(runs, "nothing", &col));
    assert_false(slaw_runs_column_find(runs, "_", &col));
    slaw_runs_free(runs);
}

static void roles_should_read_the_chinchilla_columns(void **state)
{
    (void)state;
    const char *paths[] = {source_path("data/chinchilla/svg_extracted_data.csv")};
    slaw_runs *runs = NULL;
    slaw_error err;
    assert_int_equal(slaw_runs_load(paths, 1, NULL, &runs, &err), SLAW_OK);
    assert_int_equal(slaw_runs_count(runs), 245);
    assert_string_equal(role_column_name(runs, SLAW_ROLE_N), "Model Size");
    assert_string_equal(slaw_runs_role_alias(runs, SLAW_ROLE_N), "modelsize");
    assert_string_equal(role_column_name(runs, SLAW_ROLE_C), "Training FLOP");
    assert_string_equal(slaw_runs_role_alias(runs, SLAW_ROLE_C), "trainingflop");
    assert_int_equal(slaw_runs_role_source(runs, SLAW_ROLE_D), SLAW_SOURCE_DERIVED);
    assert_string_equal(role_column_name(runs, SLAW_ROLE_D), "D");
    assert_string_equal(role_column_name(runs, SLAW_ROLE_L), "loss");
    assert_true(role_value(runs, SLAW_ROLE_D, 0) ==
                9.993852799709755e+18 / (6.0 * 6795600349.289497));
    slaw_runs_free(runs);
}

static void values_should_be_checked_only_in_the_runs_kept(void **state)
{
    (void)state;
    /* An export with a crashed run: no loss, a size that is not a number. */
    const char *csv = "name,state,params,tokens,loss\n"
                      "a,finished,1e8,2e9,3.1\n"
                      "b,crashed,n/a,2e9,\n"
                      "c,finished,1e9,2e10,2.5\n";
    slaw_runs *runs;
    slaw_error err;
    assert_int_equal(load_text("export.csv", csv, NULL, &runs, &err), SLAW_OK);
    assert_int_equal(slaw_runs_validate(runs, &err), SLAW_EINPUT);
    assert_string_equal(err.message, "column 'params' (N): 'n/a' is not a number");
    assert_int_equal(err.line, 3);
    size_t removed;
    assert_int_equal(slaw_runs_where(runs, "state == finished", &removed, &err), SLAW_OK);
    assert_int_equal(removed, 1);
    assert_int_equal(slaw_runs_validate(runs, &err), SLAW_OK);
    assert_int_equal(slaw_runs_drop_top(runs, 1, &removed, &err), SLAW_OK);
    slaw_runs_free(runs);
    /* Ranking by the target needs every target. */
    assert_int_equal(load_text("export.csv", csv, NULL, &runs, &err), SLAW_OK);
    assert_int_equal(slaw_runs_drop_top(runs, 1, &removed, &err), SLAW_EINPUT);
    slaw_runs_free(runs);
}

/* M = D/N and R = D/U - 1 are computed when a law needs them, from the
 * columns present; U is found by its aliases. */
static void need_role_should_derive_m_and_r_from_the_columns_present(void **state)
{
    (void)state;
    slaw_error err;
    size_t col;
    slaw_runs *runs =
        load_ok("t.csv", "N,D,unique_tokens,loss\n1e8,4e9,1e9,3\n2e8,2e9,2e9,2.5\n", NULL);
    assert_false(slaw_runs_role_column(runs, SLAW_ROLE_M, &col)); /* only on demand */
    assert_int_equal(slaw_runs_need_role(runs, SLAW_ROLE_M, &err), SLAW_OK);
    assert_true(slaw_runs_role_column(runs, SLAW_ROLE_M, &col));
    assert_string_equal(slaw_runs_column_name(runs, col), "M");
    assert_true(slaw_runs_column_is_derived(runs, col));
    assert_true(slaw_runs_value(runs, col, 0) == 40.0); /* 4e9 / 1e8, exactly */
    assert_true(slaw_runs_value(runs, col, 1) == 10.0);
    assert_int_equal(slaw_runs_need_role(runs, SLAW_ROLE_U, &err), SLAW_OK);
    assert_string_equal(role_column_name(runs, SLAW_ROLE_U), "unique_tokens");
    assert_int_equal(slaw_runs_role_source(runs, SLAW_ROLE_U), SLAW_SOURCE_ALIAS);
    /* R = 0 (one pass over the data) cannot enter a law in log form. */
    assert_int_equal(slaw_runs_need_role(runs, SLAW_ROLE_R, &err), SLAW_EINPUT);
    assert_string_equal(err.message, "column 'R' (R): derived value must be positive, got 0");
    assert_int_equal(err.line, 3);
    slaw_runs_free(runs);
}

static void need_role_should_name_what_a_derived_role_lacks(void **state)
{
    (void)state;
    slaw_error err;
    slaw_runs *runs = load_ok("t.csv", "N,loss\n1e8,3\n2e8,2.5\n", NULL);
    assert_int_equal(slaw_runs_need_role(runs, SLAW_ROLE_M, &err), SLAW_EUSAGE);
    assert_string_equal(err.message,
                        "no M column; name one with role_column[M] COLUMN (or give N and D "
                        "to derive M = D/N)");
    assert_int_equal(slaw_runs_need_role(runs, SLAW_ROLE_R, &err), SLAW_EUSAGE);
    assert_string_equal(err.message,
                        "no R column; name one with role_column[R] COLUMN (or give D and U "
                        "to derive R = D/U - 1)");
    assert_int_equal(slaw_runs_need_role(runs, SLAW_ROLE_U, &err), SLAW_EUSAGE);
    assert_string_equal(err.message, "no U column; name one with role_column[U] COLUMN");
    slaw_runs_free(runs);
    runs = load_ok("t.csv", "N,D,loss\n1e8,4e9,3\n2e8,2e9,2.5\n", NULL);
    assert_int_equal(slaw_runs_need_role(runs, SLAW_ROLE_R, &err), SLAW_EUSAGE);
    assert_string_equal(err.message, "no U column; name one with role_column[U] COLUMN");
    assert_int_equal(slaw_runs_need_role(runs, SLAW_ROLE_GROUP, &err), SLAW_EUSAGE);
    slaw_runs_free(runs);
}

/* Every role has a distinct key, and the symbols read back. */
static void role_symbols_should_read_back(void **state)
{
    (void)state;
    for (int k = 0; k < SLAW_ROLE_COUNT; k++) {
        slaw_role back;
        const char *sym = slaw_role_symbol((slaw_role)k);
        for (int j = 0; j < k; j++)
            assert_string_not_equal(slaw_role_name((slaw_role)j), slaw_role_name((slaw_role)k));
        if (k == SLAW_ROLE_L || k == SLAW_ROLE_GROUP || k == SLAW_ROLE_WEIGHT) continue;
        assert_true(slaw_role_from_symbol(sym, strlen(sym), &back));
        assert_int_equal(back, k);
    }
    slaw_role r;
    assert_false(slaw_role_from_symbol("Q", 1, &r));
    assert_true(slaw_role_from_symbol("L", 1, &r));
    assert_int_equal(r, SLAW_ROLE_LOSS);
}

/* One compute model: C = 6·N·D or flops_per_token·D, and its inverses; a
 * derived column follows the load's model. */
static void compute_model_should_invert_and_drive_derived_columns(void **state)
{
    (void)state;
    assert_true(slaw_compute_flops(7e9, 1.4e11, 0) == 6.0 * 7e9 * 1.4e11);
    assert_true(slaw_compute_flops(7e9, 1.4e11, 8e10) == 8e10 * 1.4e11);
    assert_true(fabs(slaw_compute_tokens(5.88e21, 7e9, 0) / 1.4e11 - 1) < 1e-15);
    assert_true(fabs(slaw_compute_params(5.88e21, 1.4e11, 0) / 7e9 - 1) < 1e-15);
    assert_true(isnan(slaw_compute_params(5.88e21, 1.4e11, 8e10))); /* C says nothing of N */
    assert_true(slaw_compute_tokens(1.12e22, 7e9, 8e10) == 1.4e11);
    assert_true(fabs(slaw_compute_param_tokens(5.88e21) / (7e9 * 1.4e11) - 1) < 1e-15);
    slaw_load_options opt;
    slaw_load_options_init(&opt);
    opt.flops_per_token = 100;
    slaw_runs *runs = load_ok("t.csv", "N,D,loss\n1e8,4e9,3\n", &opt);
    size_t col;
    assert_true(slaw_runs_role_column(runs, SLAW_ROLE_C, &col));
    assert_true(slaw_runs_value(runs, col, 0) == 4e11);
    slaw_runs_free(runs);
    runs = load_ok("t.csv", "N,D,loss\n1e8,4e9,3\n", NULL);
    assert_true(slaw_runs_role_column(runs, SLAW_ROLE_C, &col));
    assert_true(slaw_runs_value(runs, col, 0) == 6.0 * 1e8 * 4e9);
    slaw_runs_free(runs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(roles_should_detect_every_alias_whatever_case_and_separators),
        cmocka_unit_test(roles_should_not_take_near_misses_for_aliases),
        cmocka_unit_test(roles_should_derive_the_third_size_from_c_equals_6nd),
        cmocka_unit_test(roles_should_name_a_derived_column_apart_from_a_read_one),
        cmocka_unit_test(roles_should_refuse_a_binding_that_takes_another_roles_column),
        cmocka_unit_test(roles_should_refuse_derived_values_out_of_range),
        cmocka_unit_test(roles_should_let_overrides_win_over_aliases),
        cmocka_unit_test(roles_should_refuse_two_columns_matching_one_role),
        cmocka_unit_test(roles_should_name_the_files_of_columns_that_clash),
        cmocka_unit_test(roles_should_match_the_last_component_of_nested_paths),
        cmocka_unit_test(roles_should_refuse_overrides_naming_no_column),
        cmocka_unit_test(roles_should_suggest_close_names_and_dotted_suffixes),
        cmocka_unit_test(roles_should_list_every_column_past_any_number),
        cmocka_unit_test(roles_should_list_every_candidate_and_identical_ones),
        cmocka_unit_test(roles_should_refuse_zero_negative_and_text_sizes),
        cmocka_unit_test(roles_should_find_columns_by_name_letter_or_loose_spelling),
        cmocka_unit_test(roles_should_read_the_chinchilla_columns),
        cmocka_unit_test(values_should_be_checked_only_in_the_runs_kept),
        cmocka_unit_test(need_role_should_derive_m_and_r_from_the_columns_present),
        cmocka_unit_test(need_role_should_name_what_a_derived_role_lacks),
        cmocka_unit_test(role_symbols_should_read_back),
        cmocka_unit_test(compute_model_should_invert_and_drive_derived_columns),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
