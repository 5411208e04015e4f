/* cmd_validate.c — `slaw validate`: rollout validation, the sweep replayed
 * size by size, each step predicting the next size from the ones before. */
#include "fit_options.h"
#include "output.h"

#include <math.h>
#include <string.h>

typedef struct validate_ctx {
    const cli_command *cmd;
    input_request input;
    fit_request fit;
    output_format format;
    bool coverage;
} validate_ctx;

static const cli_option validate_options[] = {
    {"format", 0, "FMT", OPT_FORMAT, "output: table (default) or json"},
    {"coverage", 0, NULL, OPT_COVERAGE,
     "also report how often the prediction intervals held "
     "the predicted runs (50/80/90/95%)"},
    {0},
};

static int on_option(void *vctx, option_id id, const char *arg)
{
    validate_ctx *ctx = vctx;
    if (id == OPT_FORMAT) {
        return output_format_option(ctx->cmd, arg, 1u << OUTPUT_TABLE | 1u << OUTPUT_JSON,
                                    &ctx->format);
    }
    if (id == OPT_COVERAGE) {
        ctx->coverage = true;
        return 0;
    }
    if (id == OPT_BOOTSTRAP || id == OPT_HOLDOUT)
        return cli_usage_error(ctx->cmd, "--bootstrap and --holdout do not apply to validate");
    return fit_or_input_option(ctx->cmd, &ctx->fit, &ctx->input, id, arg);
}

static const char *err_text(double v, char *buf, size_t size, bool sign)
{
    if (isnan(v)) snprintf(buf, size, "-");
    else snprintf(buf, size, sign ? "%+.4f" : "%.4f", v);
    return buf;
}

/* What the last column says of a row: why it has no fit, or what is wrong
 * with the fit it has (nothing when healthy). */
static const char *fit_note(bool fitted, bool pinned, bool undetermined, const char *message,
                            const char *option, char *buf, size_t size)
{
    if (!fitted) cli_option_text(message, option, buf, size);
    else if (pinned && undetermined)
        snprintf(buf, size, "fit pinned at a bound, and a parameter undetermined");
    else if (pinned) snprintf(buf, size, "fit pinned at a bound");
    else if (undetermined) snprintf(buf, size, "fit undetermined: a parameter has no stderr");
    else buf[0] = '\0';
    return buf;
}

/* The cells of a row after its sizes (and group): runs fitted, predicted,
 * errors, the note. */
static void row_cells(size_t n_fit, size_t n_pred, bool fitted, double male, double bias,
                      double max_abs, const char *note, char cells[5][32], const char **row)
{
    snprintf(cells[0], 32, "%zu", n_fit);
    snprintf(cells[1], 32, "%zu", n_pred);
    row[0] = cells[0];
    row[1] = fitted ? cells[1] : "-";
    row[2] = err_text(fitted ? male : NAN, cells[2], 32, false);
    row[3] = err_text(fitted ? bias : NAN, cells[3], 32, true);
    row[4] = err_text(fitted ? max_abs : NAN, cells[4], 32, false);
    row[5] = note;
}

static void print_steps(const slaw_rollout *r)
{
    text_table *t = table_new(8);
    table_header(t, (const char *[]){"fitted up to", "next", "runs fitted", "predicted",
                                     "mean |log err|", "bias", "worst", ""});
    table_align_right(t, 0x7fu);
    for (size_t i = 0; i < slaw_rollout_step_count(r); i++) {
        const slaw_rollout_step *s = slaw_rollout_step_at(r, i);
        char a[32], b[32], cells[5][32], note[300];
        const char *row[8] = {format_size(s->cutoff, a, sizeof a),
                              format_size(s->next, b, sizeof b)};
        row_cells(s->n_fit, s->n_pred, s->fitted, s->male, s->bias, s->max_abs,
                  fit_note(s->fitted, s->pinned, s->undetermined, s->message, s->option, note,
                           sizeof note),
                  cells, row + 2);
        table_row(t, row);
    }
    table_print(t, stdout, "");
    table_free(t);
}

/* Grouped runs: a row per group per step. */
static void print_group_steps(const slaw_rollout *r)
{
    text_table *t = table_new(9);
    table_header(t, (const char *[]){"fitted up to", "next", "group", "runs fitted", "predicted",
                                     "mean |log err|", "bias", "worst", ""});
    table_align_right(t, 0xfbu);
    for (size_t i = 0; i < slaw_rollout_group_step_count(r); i++) {
        const slaw_rollout_group_step *g = slaw_rollout_group_step_at(r, i);
        const slaw_rollout_step *s = slaw_rollout_step_at(r, g->step);
        char a[32], b[32], cells[5][32], note[300];
        const char *row[9] = {format_size(s->cutoff, a, sizeof a),
                              format_size(s->next, b, sizeof b), g->group};
        row_cells(g->n_fit, g->n_pred, g->fitted, g->male, g->bias, g->max_abs,
                  fit_note(g->fitted, g->pinned, g->undetermined, g->message, g->option, note,
                           sizeof note),
                  cells, row + 3);
        table_row(t, row);
    }
    table_print(t, stdout, "");
    table_free(t);
}

static void print_table(const slaw_rollout *r, const char *law)
{
    double mean_male, bias;
    size_t predicted, fitted = 0;
    slaw_rollout_summary(r, &mean_male, &bias, &predicted);
    for (size_t i = 0; i < slaw_rollout_step_count(r); i++)
        fitted += slaw_rollout_step_at(r, i)->fitted;
    printf("law %s, rollout over %s: %zu steps, %zu fitted\n\n", law, slaw_rollout_variable(r),
           slaw_rollout_step_count(r), fitted);
    if (slaw_rollout_group_step_count(r)) print_group_steps(r);
    else print_steps(r);
    if (isnan(mean_male))
        printf("\nsummary: no log errors over %zu predicted runs: a target or prediction is not "
               "positive\n",
               predicted);
    else
        printf("\nsummary: mean |log error| per step %.4f, bias %+.4f (> 0: over-predicts) over "
               "%zu predicted runs\n",
               mean_male, bias, predicted);
}

/* "too narrow" when even the top of the binomial interval falls short of
 * the level, "too wide" when even its bottom exceeds it. */
static const char *coverage_verdict(const slaw_coverage *c)
{
    if (!c->n) return "no runs scored";
    if (c->ci_hi < c->level) return "too narrow";
    if (c->ci_lo > c->level) return "too wide";
    return "consistent with the level";
}

static const char *percent(double v, char *buf, size_t size)
{
    if (isnan(v)) snprintf(buf, size, "-");
    else snprintf(buf, size, "%.0f%%", 100 * v);
    return buf;
}

/* "3/4 (30-95%)": runs inside of runs scored, and the binomial interval. */
static const char *held_text(const slaw_coverage *c, char *buf, size_t size)
{
    if (!c->n) snprintf(buf, size, "-");
    else
        snprintf(buf, size, "%zu/%zu (%.0f-%.0f%%)", c->inside, c->n, 100 * c->ci_lo,
                 100 * c->ci_hi);
    return buf;
}

static void print_coverage_steps(const slaw_rollout *r)
{
    text_table *t = table_new(2 + SLAW_COVERAGE_LEVELS);
    const char *head[2 + SLAW_COVERAGE_LEVELS] = {"fitted up to", "next"};
    char names[SLAW_COVERAGE_LEVELS][16];
    for (size_t l = 0; l < SLAW_COVERAGE_LEVELS; l++) {
        snprintf(names[l], sizeof names[l], "%.0f%% held", 100 * slaw_coverage_level(l));
        head[2 + l] = names[l];
    }
    table_header(t, head);
    table_align_right(t, 0x3fu);
    for (size_t i = 0; i < slaw_rollout_step_count(r); i++) {
        const slaw_rollout_step *s = slaw_rollout_step_at(r, i);
        char a[32], b[32], cells[SLAW_COVERAGE_LEVELS][48];
        const char *row[2 + SLAW_COVERAGE_LEVELS] = {format_size(s->cutoff, a, sizeof a),
                                                     format_size(s->next, b, sizeof b)};
        slaw_coverage c;
        slaw_rollout_coverage(r, i, 0, &c);
        if (!c.n) continue;
        for (size_t l = 0; l < SLAW_COVERAGE_LEVELS; l++) {
            slaw_rollout_coverage(r, i, l, &c);
            row[2 + l] = held_text(&c, cells[l], sizeof cells[l]);
        }
        table_row(t, row);
    }
    table_print(t, stdout, "");
    table_free(t);
}

static void print_coverage(const slaw_rollout *r)
{
    slaw_coverage c;
    slaw_rollout_coverage(r, SLAW_ROLLOUT_POOLED, 0, &c);
    printf("\ncoverage: %zu predicted runs against the prediction intervals of the step's fit "
           "(delta method, residual scale included); per step, runs inside / runs and the 95%% "
           "binomial interval:\n\n",
           c.n);
    if (!c.n) {
        printf("no run could be scored: the steps' fits gave no prediction interval\n");
        return;
    }
    print_coverage_steps(r);
    printf("\npooled:\n\n");
    text_table *t = table_new(7);
    table_header(t, (const char *[]){"level", "held", "runs", "coverage", "95% CI", "mean width",
                                     "conformal factor"});
    table_align_right(t, 0x7fu);
    for (size_t l = 0; l < SLAW_COVERAGE_LEVELS; l++) {
        char a[16], b[16], d[16], e[16], f[32], g[16], h[32];
        slaw_rollout_coverage(r, SLAW_ROLLOUT_POOLED, l, &c);
        snprintf(b, sizeof b, "%zu", c.inside);
        snprintf(d, sizeof d, "%zu", c.n);
        snprintf(f, sizeof f, "%.0f-%.0f%%", 100 * c.ci_lo, 100 * c.ci_hi);
        snprintf(g, sizeof g, "%.1f%%", 100 * c.mean_width);
        if (isfinite(c.factor)) snprintf(h, sizeof h, "%.3g", c.factor);
        else snprintf(h, sizeof h, "too few runs");
        table_row(t, (const char *[]){percent(c.level, a, sizeof a), b, d,
                                      percent(c.fraction, e, sizeof e), f, g, h});
    }
    table_print(t, stdout, "");
    table_free(t);
    printf("\n");
    for (size_t l = 0; l < SLAW_COVERAGE_LEVELS; l++) {
        slaw_rollout_coverage(r, SLAW_ROLLOUT_POOLED, l, &c);
        printf("%.0f%% intervals held %.0f%% of the time (CI %.0f-%.0f%%): %s\n", 100 * c.level,
               100 * c.fraction, 100 * c.ci_lo, 100 * c.ci_hi, coverage_verdict(&c));
    }
}

static cJSON *coverage_json(const slaw_rollout *r, size_t step)
{
    cJSON *list = cJSON_CreateArray();
    for (size_t l = 0; l < SLAW_COVERAGE_LEVELS; l++) {
        slaw_coverage c;
        slaw_rollout_coverage(r, step, l, &c);
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "level", c.level);
        cJSON_AddNumberToObject(o, "runs", (double)c.n);
        cJSON_AddNumberToObject(o, "inside", (double)c.inside);
        cJSON_AddItemToObject(o, "coverage", json_number(c.fraction));
        cJSON_AddItemToObject(o, "ci_lo", json_number(c.ci_lo));
        cJSON_AddItemToObject(o, "ci_hi", json_number(c.ci_hi));
        cJSON_AddItemToObject(o, "mean_width", json_number(c.mean_width));
        cJSON_AddItemToObject(o, "factor", json_number(c.factor));
        if (step == SLAW_ROLLOUT_POOLED)
            cJSON_AddStringToObject(o, "verdict", coverage_verdict(&c));
        cJSON_AddItemToArray(list, o);
    }
    return list;
}

/* A row per group per step, as the table's. */
static cJSON *groups_json(const slaw_rollout *r)
{
    cJSON *rows = cJSON_CreateArray();
    for (size_t i = 0; i < slaw_rollout_group_step_count(r); i++) {
        const slaw_rollout_group_step *g = slaw_rollout_group_step_at(r, i);
        const slaw_rollout_step *s = slaw_rollout_step_at(r, g->step);
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "cutoff", s->cutoff);
        cJSON_AddNumberToObject(o, "next", s->next);
        cJSON_AddStringToObject(o, "group", g->group);
        cJSON_AddNumberToObject(o, "runs_fitted", (double)g->n_fit);
        cJSON_AddBoolToObject(o, "fitted", g->fitted);
        if (g->fitted) {
            cJSON_AddNumberToObject(o, "runs_predicted", (double)g->n_pred);
            cJSON_AddItemToObject(o, "male", json_number(g->male));
            cJSON_AddItemToObject(o, "bias", json_number(g->bias));
            cJSON_AddItemToObject(o, "max_abs", json_number(g->max_abs));
            cJSON_AddBoolToObject(o, "pinned", g->pinned);
            cJSON_AddBoolToObject(o, "undetermined", g->undetermined);
        } else {
            cJSON_AddStringToObject(o, "message", CLI_OPTION_TEXT(g->message, g->option));
        }
        cJSON_AddItemToArray(rows, o);
    }
    return rows;
}

static int print_json_report(const slaw_rollout *r, const char *law, bool coverage)
{
    double mean_male, bias;
    size_t predicted;
    slaw_rollout_summary(r, &mean_male, &bias, &predicted);
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "law", law);
    cJSON_AddStringToObject(doc, "variable", slaw_rollout_variable(r));
    cJSON *steps = cJSON_AddArrayToObject(doc, "steps");
    for (size_t i = 0; i < slaw_rollout_step_count(r); i++) {
        const slaw_rollout_step *s = slaw_rollout_step_at(r, i);
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "cutoff", s->cutoff);
        cJSON_AddNumberToObject(o, "next", s->next);
        cJSON_AddNumberToObject(o, "runs_fitted", (double)s->n_fit);
        cJSON_AddBoolToObject(o, "fitted", s->fitted);
        if (s->fitted) {
            cJSON_AddNumberToObject(o, "runs_predicted", (double)s->n_pred);
            cJSON_AddItemToObject(o, "male", json_number(s->male));
            cJSON_AddItemToObject(o, "bias", json_number(s->bias));
            cJSON_AddItemToObject(o, "max_abs", json_number(s->max_abs));
            cJSON_AddBoolToObject(o, "pinned", s->pinned);
            cJSON_AddBoolToObject(o, "undetermined", s->undetermined);
            if (coverage) cJSON_AddItemToObject(o, "coverage", coverage_json(r, i));
        } else {
            cJSON_AddStringToObject(o, "message", CLI_OPTION_TEXT(s->message, s->option));
        }
        cJSON_AddItemToArray(steps, o);
    }
    if (slaw_rollout_group_step_count(r)) cJSON_AddItemToObject(doc, "groups", groups_json(r));
    cJSON *sum = cJSON_AddObjectToObject(doc, "summary");
    cJSON_AddItemToObject(sum, "mean_male", json_number(mean_male));
    cJSON_AddItemToObject(sum, "bias", json_number(bias));
    cJSON_AddNumberToObject(sum, "predicted", (double)predicted);
    if (coverage) cJSON_AddItemToObject(doc, "coverage", coverage_json(r, SLAW_ROLLOUT_POOLED));
    return print_json(doc);
}

static int run_validate(const cli_command *cmd, int argc, char **argv)
{
    validate_ctx ctx = {.cmd = cmd, .format = OUTPUT_TABLE};
    input_request_init(&ctx.input);
    fit_request_init(&ctx.fit);
    int first, st = cli_parse(cmd, argc, argv, on_option, &ctx, &first);
    if (st) return st < 0 ? EXIT_PASS : st;
    if (first >= argc) return cli_usage_error(cmd, "no input files");
    if (!ctx.fit.fit.law && !ctx.fit.fit.formula)
        return cli_usage_error(cmd, "no law: give --law NAME or --formula TEXT");
    const char *law = ctx.fit.fit.formula ? ctx.fit.fit.formula : ctx.fit.fit.law;
    fit_request_start_progress(&ctx.fit);
    loaded_runs lr;
    if ((st = input_load(&ctx.input, argv + first, (size_t)(argc - first), &lr))) return st;
    ctx.fit.fit.selection = lr.selection; /* the rollout applies it */
    slaw_rollout *r = NULL;
    slaw_error err;
    slaw_status done = slaw_rollout_runs(lr.runs, &ctx.fit.fit, &r, &err);
    progress_done(&ctx.fit.progress);
    if (done != SLAW_OK) st = cli_fail(&err);
    else if (ctx.format == OUTPUT_JSON) st = print_json_report(r, law, ctx.coverage);
    else {
        print_table(r, law);
        if (ctx.coverage) print_coverage(r);
    }
    slaw_rollout_free(r);
    loaded_runs_free(&lr);
    return st;
}

static const cli_option *const validate_groups[] = {validate_options, fit_options, input_options,
                                                    common_options, NULL};

const cli_command cmd_validate = {
    .name = "validate",
    .synopsis = "FILE... --law NAME [options]",
    .summary = "Rollout validation: fit up to each size, predict the next, report the errors.",
    .details = "For each distinct size s (the law's variable: x or N) in increasing order, the\n"
               "law is fitted to the runs with size <= s and predicts the runs at the next\n"
               "size.  Steps with too few runs for the law are listed without a fit.  Errors\n"
               "are ln(predicted / observed).  A step whose fit is pinned at a bound or has a\n"
               "parameter without a standard error is marked.  With --by, each group is fitted\n"
               "on its own: one row per group per step, with the reason for each group that\n"
               "could not be fitted.\n"
               "\n"
               "--coverage scores each predicted run against the prediction interval of the\n"
               "step's fit (delta method, the residual scale included) at 50, 80, 90 and\n"
               "95%, and reports per step and pooled the fraction inside with a 95% Wilson\n"
               "interval, the mean width relative to the prediction, and the split-conformal\n"
               "factor that would have made the intervals hold (see slaw fit --calibrate).\n",
    .groups = validate_groups,
    .run = run_validate,
};
