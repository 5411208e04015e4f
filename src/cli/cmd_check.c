/* cmd_check.c — `slaw check`: judge a new fit against a baseline fit (or on
 * its own) by the given criteria, and say PASS or FAIL in a form a CI
 * system understands: the exit status and a table, JSON, Markdown or JUnit. */
#include "check_report.h"
#include "fit_options.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

_Static_assert(OPT_REPORT < 64, "option ids must fit the 64-bit mask of given options");

typedef struct check_ctx {
    const cli_command *cmd;
    input_request input;
    fit_request fit;
    slaw_check *check;
    const char *baseline, *report;
    output_format format;
    bool format_given, two_sided, forecast_tol_given;
    size_t n_forecasts;
    uint64_t given; /* bit id set for each fit or input option given */
} check_ctx;

static const cli_option check_options[] = {
    {"baseline", 'b', "BASE.json", OPT_BASELINE,
     "the fit artifact to compare with (slaw fit --out)"},
    {"tol", 0, "NAME=V", OPT_TOL, "NAME may change by at most V ('*=V': every parameter)"},
    {"rtol", 0, "NAME=V%", OPT_RTOL, "NAME may change by at most V% of its baseline value"},
    {"sigma", 0, "K", OPT_SIGMA, "a change over K combined standard errors fails (NAME=K: one)"},
    {"expect", 0, "SPEC", OPT_EXPECT, "assert NAME=V+-T, 'NAME in [LO,HI]', NAME>V (>=, <, <=)"},
    {"forecast", 0, "POINT", OPT_FORECAST,
     "the prediction at POINT (N=7B,D=140B) may not get worse"},
    {"forecast-tol", 0, "F", OPT_FORECAST_TOL, "by more than F, relative (default 0.02, or 2%)"},
    {"two-sided", 0, NULL, OPT_TWO_SIDED, "a forecast better by more than F fails too"},
    {"allow-warnings", 0, NULL, OPT_ALLOW_WARNINGS,
     "a fit with warnings (pinned, one start) may pass"},
    {"max-failed-resamples", 0, "F", OPT_MAX_FAILED_RESAMPLES,
     "bootstrap resamples that fail count as a warning above F (default 0.02, or 2%)"},
    {"format", 0, "FMT", OPT_FORMAT, "table (default), json, markdown or junit"},
    {"report", 0, "FILE", OPT_REPORT, "write --format to FILE (the table still goes to stdout)"},
    {0},
};

/* Options that would change what is compared: with a baseline, they come
 * from the baseline. */
static const option_id from_baseline[] = {OPT_LAW,      OPT_SPACE,   OPT_LOSS,  OPT_GRID,
                                          OPT_FIX,      OPT_TIE,     OPT_BOUND, OPT_DROP_TOP_LOSS,
                                          OPT_BEST_PER, OPT_MEAN_PER};

static bool given(const check_ctx *ctx, option_id id)
{
    return (ctx->given >> id) & 1u;
}

static const char *option_name(option_id id)
{
    for (const cli_option *o = fit_options; o->name; o++)
        if (o->id == id) return o->name;
    for (const cli_option *o = input_options; o->name; o++)
        if (o->id == id) return o->name;
    return "?";
}

static int add_criterion(check_ctx *ctx, const char *option,
                         slaw_status (*add)(slaw_check *, const char *, slaw_error *),
                         const char *arg)
{
    slaw_error err;
    if (add(ctx->check, arg, &err) == SLAW_OK) return 0;
    if (err.code == SLAW_ENOMEM) return cli_fail(&err);
    return cli_usage_error(ctx->cmd, "%s %s", option, CLI_MESSAGE(&err));
}

/* The library reads the value (and refuses "5" for 5%) at once; --two-sided
 * is added once every option is read. */
static int parse_forecast_tol(check_ctx *ctx, const char *arg)
{
    slaw_error err;
    if (slaw_check_set_forecast_tol(ctx->check, arg, false, &err) != SLAW_OK)
        return cli_usage_error(ctx->cmd, "--forecast-tol %s", CLI_MESSAGE(&err));
    ctx->forecast_tol_given = true;
    return 0;
}

/* A fraction (0.02) or a percentage (2%). */
static int parse_max_failed(check_ctx *ctx, const char *arg)
{
    size_t len = strlen(arg);
    bool percent = len && arg[len - 1] == '%';
    double v;
    const char *why = "not a number";
    slaw_error err;
    if (slaw_number_parse(arg, len - percent, &v, &why) != SLAW_OK)
        return cli_usage_error(ctx->cmd,
                               "--max-failed-resamples '%s': %s; expected a fraction "
                               "(0.02) or a percentage (2%%)",
                               arg, why);
    if (slaw_check_max_failed_resamples(ctx->check, percent ? v / 100 : v, &err) != SLAW_OK)
        return cli_usage_error(ctx->cmd, "--max-failed-resamples '%s': %s", arg, CLI_MESSAGE(&err));
    return 0;
}

static int on_option(void *vctx, option_id id, const char *arg)
{
    static const unsigned formats =
        1u << OUTPUT_TABLE | 1u << OUTPUT_JSON | 1u << OUTPUT_MARKDOWN | 1u << OUTPUT_JUNIT;
    check_ctx *ctx = vctx;
    switch (id) {
    case OPT_BASELINE: ctx->baseline = arg; return 0;
    case OPT_TOL: return add_criterion(ctx, "--tol", slaw_check_add_tol, arg);
    case OPT_RTOL: return add_criterion(ctx, "--rtol", slaw_check_add_rtol, arg);
    case OPT_SIGMA: return add_criterion(ctx, "--sigma", slaw_check_add_sigma, arg);
    case OPT_EXPECT: return add_criterion(ctx, "--expect", slaw_check_add_expect, arg);
    case OPT_FORECAST:
        ctx->n_forecasts++;
        return add_criterion(ctx, "--forecast", slaw_check_add_forecast, arg);
    case OPT_FORECAST_TOL: return parse_forecast_tol(ctx, arg);
    case OPT_TWO_SIDED: ctx->two_sided = true; return 0;
    case OPT_ALLOW_WARNINGS: slaw_check_allow_warnings(ctx->check, true); return 0;
    case OPT_MAX_FAILED_RESAMPLES: return parse_max_failed(ctx, arg);
    case OPT_REPORT: ctx->report = arg; return 0;
    case OPT_FORMAT:
        ctx->format_given = true;
        return output_format_option(ctx->cmd, arg, formats, &ctx->format);
    default: break;
    }
    int st = fit_option(ctx->cmd, &ctx->fit, id, arg);
    if (st == 1) st = input_option(ctx->cmd, &ctx->input, id, arg);
    if (st == 1) return cli_usage_error(ctx->cmd, "unexpected option");
    if (st == 0 && id != OPT_QUIET) ctx->given |= (uint64_t)1 << id;
    return st;
}

/* The report's format from --format, else from the file's extension. */
static int report_format(check_ctx *ctx)
{
    static const struct {
        const char *ext;
        output_format format;
    } exts[] = {{".xml", OUTPUT_JUNIT},
                {".md", OUTPUT_MARKDOWN},
                {".markdown", OUTPUT_MARKDOWN},
                {".json", OUTPUT_JSON},
                {".txt", OUTPUT_TABLE}};
    if (!ctx->report || ctx->format_given) return 0;
    size_t len = strlen(ctx->report);
    for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++) {
        size_t n = strlen(exts[i].ext);
        if (len > n && !strcmp(ctx->report + len - n, exts[i].ext)) {
            ctx->format = exts[i].format;
            return 0;
        }
    }
    return cli_usage_error(ctx->cmd,
                           "--report %s: give --format json, markdown or junit (or "
                           "name the file .json, .md or .xml)",
                           ctx->report);
}

/* What the options say taken together. */
static int check_usage(check_ctx *ctx, char **paths, size_t n_paths)
{
    slaw_error err;
    if (!n_paths)
        return cli_usage_error(ctx->cmd, "no input: give the runs to check (or a fit artifact)");
    if (!slaw_check_count(ctx->check))
        return cli_usage_error(ctx->cmd, "nothing to check: give --tol, --rtol, --sigma, "
                                         "--expect or --forecast");
    if ((ctx->forecast_tol_given || ctx->two_sided) && !ctx->n_forecasts)
        return cli_usage_error(ctx->cmd, "%s applies to --forecast criteria, and none was given",
                               ctx->two_sided ? "--two-sided" : "--forecast-tol");
    if (ctx->n_forecasts &&
        slaw_check_set_forecast_tol(ctx->check, NULL, ctx->two_sided, &err) != SLAW_OK)
        return cli_usage_error(ctx->cmd, "--forecast-tol: %s", CLI_MESSAGE(&err));
    int st = report_format(ctx);
    if (st || !ctx->report) return st;
    char *baseline[] = {(char *)ctx->baseline}; /* refuse_overwriting takes argv's type */
    st = refuse_overwriting(ctx->cmd, "--report", ctx->report, paths, n_paths);
    if (!st && ctx->baseline)
        st = refuse_overwriting(ctx->cmd, "--report", ctx->report, baseline, 1);
    return st;
}

/* ------------------------------------------------------------------ fits */

/* Whether the JSON object that opens p has key among its top-level
 * members, as far as p's len bytes show.  Strings are skipped; the text need
 * not be valid (the artifact reader or the runs loader says what is wrong). */
static bool has_top_level_key(const char *p, size_t len, const char *key)
{
    size_t i = 0, klen = strlen(key);
    int depth = 0;
    bool key_next = false; /* the next string at depth 1 is a member's name */
    if (len >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3)) i = 3;
    while (i < len && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n')) i++;
    if (i == len || p[i] != '{') return false;
    for (; i < len; i++) {
        char c = p[i];
        if (c == '"') {
            size_t start = ++i;
            while (i < len && p[i] != '"') i += p[i] == '\\' ? 2 : 1;
            if (i >= len) return false;
            if (depth == 1 && key_next && i - start == klen && !memcmp(p + start, key, klen))
                return true;
            key_next = false;
        } else if (c == '{' || c == '[') {
            key_next = ++depth == 1;
        } else if (c == '}' || c == ']') {
            if (--depth <= 0) return false;
            key_next = false;
        } else if (c == ',') {
            key_next = depth == 1;
        } else if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
            key_next = false;
        }
    }
    return false;
}

/* True when path holds a fit artifact (a JSON object with "fits") rather
 * than runs: `slaw check NEW.json --baseline BASE.json` compares two fits.
 * Decided from the first bytes of a regular file (slaw writes "fits" third,
 * after two short members), so that runs are not read twice; a stream is
 * runs, and is left unread for the loader. */
static bool is_artifact(const char *path)
{
    enum { PEEK = 1 << 16 };
    if (!strcmp(path, "-")) return false;
    FILE *fp = fopen(path, "rb");
    if (!fp) return false;
    struct stat info;
    bool found = false;
    char *peek = NULL;
    if (fstat(fileno(fp), &info) == 0 && S_ISREG(info.st_mode) && (peek = malloc(PEEK))) {
        size_t n = fread(peek, 1, PEEK, fp);
        found = has_top_level_key(peek, n, "fits");
    }
    free(peek);
    fclose(fp);
    return found;
}

/* With a baseline, the options allowed on the command line (search effort,
 * bootstrap, columns) replace the baseline's: the flags given, as the
 * fields of slaw_fit_options_merge. */
static void override_settings(const check_ctx *ctx, slaw_fit_options *opt)
{
    static const struct {
        option_id id;
        slaw_fit_field field;
    } fields[] = {{OPT_X, SLAW_FIT_X},
                  {OPT_POLISH, SLAW_FIT_POLISH},
                  {OPT_MAX_ITER, SLAW_FIT_MAX_ITER},
                  {OPT_BOOTSTRAP, SLAW_FIT_BOOTSTRAP},
                  {OPT_BOOTSTRAP_BY, SLAW_FIT_BOOTSTRAP_BY},
                  {OPT_SEED, SLAW_FIT_SEED},
                  {OPT_LEVEL, SLAW_FIT_LEVEL}};
    unsigned mask = SLAW_FIT_THREADS;
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (given(ctx, fields[i].id)) mask |= fields[i].field;
    slaw_fit_options_merge(opt, &ctx->fit.fit, mask);
}

/* A filter that left no run may be the baseline's, which the user did not
 * type: the message says so. */
static void say_whose_filter(const char *baseline, const slaw_selection *base, slaw_error *err)
{
    if (strncmp(err->message, "no runs left after filtering", 28) != 0) return;
    for (size_t i = 0; i < slaw_selection_count(base); i++) {
        const slaw_step *step = slaw_selection_step(base, i);
        char quoted[300];
        if (step->kind != SLAW_STEP_WHERE) continue;
        snprintf(quoted, sizeof quoted, "where '%s' removed", step->text);
        if (!strstr(err->message, quoted)) continue;
        size_t o = strlen(err->message);
        snprintf(err->message + o, sizeof err->message - o,
                 " (a filter of the baseline %s, which the refit applies)", baseline);
        return;
    }
}

/* Fits the runs: with the baseline's settings and columns when there is a
 * baseline, else with the command line's.  A failed fit's message goes to
 * fit_error (exit 3), so that the report can say so. */
static int fit(check_ctx *ctx, const slaw_artifact *base, char **paths, size_t n_paths,
               slaw_artifact **out, char *fit_error, size_t size)
{
    input_request req = ctx->input;
    slaw_fit_options opt = ctx->fit.fit;
    if (base) {
        slaw_artifact_options(base, &opt);
        override_settings(ctx, &opt);
        /* The baseline's selection, narrowed by the command line's --where
         * before its reductions (slaw_selection_merge); the fit applies it. */
        input_request_as_fitted(&req, base);
        memcpy(req.where, ctx->input.where, ctx->input.n_where * sizeof *req.where);
        req.n_where = ctx->input.n_where;
    } else {
        const char *extra[] = {opt.x, opt.bootstrap_by};
        for (size_t i = 0; i < 2; i++)
            if (extra[i] && req.n_extra < sizeof req.extra / sizeof req.extra[0])
                req.extra[req.n_extra++] = extra[i];
    }
    fit_request_start_progress(&ctx->fit);
    opt.progress = ctx->fit.fit.progress;
    opt.progress_ctx = ctx->fit.fit.progress_ctx;

    loaded_runs lr;
    int st = input_load(&req, paths, n_paths, &lr);
    if (st) return st;
    opt.selection = lr.selection;
    slaw_error err;
    slaw_status fitted = slaw_fit_runs(lr.runs, &opt, out, &err);
    if (fitted == SLAW_OK && slaw_check_needs_calibration(ctx->check))
        fitted = slaw_artifact_calibrate_runs(*out, lr.runs, &opt, &err);
    progress_done(&ctx->fit.progress);
    loaded_runs_free(&lr);
    if (fitted == SLAW_OK) return 0;
    if (base) say_whose_filter(ctx->baseline, slaw_artifact_selection(base), &err);
    st = cli_fail(&err);
    if (st == EXIT_FIT) cli_error_text(&err, fit_error, size);
    return st;
}

/* Built-in laws are one object each; formula laws are the same when their
 * texts are. */
static bool same_law(const slaw_law *a, const slaw_law *b)
{
    return a == b || (!strcmp(slaw_law_name(a), slaw_law_name(b)) &&
                      !strcmp(slaw_law_formula(a), slaw_law_formula(b)));
}

/* The law the criteria are about, known before fitting so that a
 * misspelt criterion fails at once; two artifacts must fit the same law. */
static int find_law(check_ctx *ctx, const slaw_artifact *base, const slaw_artifact *now,
                    const char *now_path, const slaw_law **law)
{
    const slaw_artifact *a = base ? base : now;
    if (base && now &&
        !same_law(slaw_fit_law(slaw_artifact_fit(base, 0)),
                  slaw_fit_law(slaw_artifact_fit(now, 0)))) {
        cli_errorf("the baseline fits law %s and %s law %s: they cannot be compared",
                   slaw_law_name(slaw_fit_law(slaw_artifact_fit(base, 0))), now_path,
                   slaw_law_name(slaw_fit_law(slaw_artifact_fit(now, 0))));
        return EXIT_USAGE;
    }
    if (a) {
        *law = slaw_fit_law(slaw_artifact_fit(a, 0));
        return 0;
    }
    const char *name = ctx->fit.fit.law;
    if (ctx->fit.fit.formula)
        return cli_usage_error(ctx->cmd, "--formula: check a formula against a baseline fitted "
                                         "with it (--baseline BASE.json)");
    if (!name)
        return cli_usage_error(ctx->cmd, "no law: give --baseline BASE.json, or --law NAME to "
                                         "check without a baseline");
    if (!(*law = slaw_law_find(name)))
        return cli_usage_error(ctx->cmd, "unknown law '%s': the laws are %s", name,
                               cli_law_names((char[512]){0}, 512));
    return 0;
}

/* Options that do not fit the form: with a baseline, none that changes what
 * is compared; with two artifacts, none that is about fitting. */
static int check_form(check_ctx *ctx, bool artifact, const char *operand)
{
    for (option_id id = OPT_HELP; id <= OPT_REPORT; id++) {
        if (!given(ctx, id)) continue;
        if (artifact)
            return cli_usage_error(ctx->cmd,
                                   "--%s: %s is a fit artifact, so nothing is fitted "
                                   "(give the runs to refit them)",
                                   option_name(id), operand);
        for (size_t i = 0; ctx->baseline && i < sizeof from_baseline / sizeof from_baseline[0]; i++)
            if (from_baseline[i] == id)
                return cli_usage_error(ctx->cmd,
                                       "--%s: with a baseline the refit takes the law, "
                                       "objective, grid, constraints and filters from it "
                                       "(--where adds to its filters; make a new baseline "
                                       "to change them)",
                                       option_name(id));
    }
    return 0;
}

/* --weight inverse-variance is a setting of the fit, not a column: with a
 * baseline it comes from the baseline. */
static int check_weights(const check_ctx *ctx)
{
    if (!ctx->baseline || !ctx->input.per.inverse_variance) return 0;
    return cli_usage_error(ctx->cmd, "--weight inverse-variance: with a baseline the refit takes "
                                     "its weights from it (make a new baseline to change them)");
}

/* ---------------------------------------------------------------- output */

/* Renders the verdict (or the fit's failure) to stdout and to --report;
 * returns 0 or EXIT_IO. */
static int emit(const check_ctx *ctx, const slaw_verdict *v, const char *fit_error)
{
    slaw_verdict_row failed_fit = {.criterion = SLAW_CRITERION_FIT,
                                   .label = "fit",
                                   .subject = "",
                                   .baseline = NAN,
                                   .now = NAN,
                                   .change = NAN,
                                   .limit = NAN,
                                   .change_text = "",
                                   .limit_text = "succeeds",
                                   .pass = false};
    char message[2200];
    size_t n = v ? slaw_verdict_count(v) : 1;
    const slaw_verdict_row **rows = malloc(n * sizeof *rows);
    if (!rows) {
        return cli_nomem();
    }
    check_report r = {.rows = rows, .n_rows = n, .baseline = ctx->baseline};
    if (v) {
        for (size_t i = 0; i < n; i++) rows[i] = slaw_verdict_get(v, i);
        r.failures = slaw_verdict_failures(v);
    } else {
        snprintf(message, sizeof message, "fit: the fit failed: %s: FAIL", fit_error);
        failed_fit.message = message;
        rows[0] = &failed_fit;
        r.failures = 1;
        r.error = fit_error;
    }
    text_buffer b = {0};
    int st = 0;
    if (ctx->report) {
        check_report_render(&r, ctx->format, &b);
        st = buffer_emit(&b, ctx->report);
    }
    if (!st) {
        check_report_render(&r, ctx->report ? OUTPUT_TABLE : ctx->format, &b);
        st = buffer_emit(&b, NULL);
    }
    free(rows);
    return st;
}

static int run_check(const cli_command *cmd, int argc, char **argv)
{
    check_ctx ctx = {.cmd = cmd, .format = OUTPUT_TABLE};
    slaw_artifact *base = NULL, *now = NULL;
    slaw_verdict *verdict = NULL;
    const slaw_law *law = NULL;
    char fit_error[2048] = "";
    slaw_error err;
    int first, st;
    input_request_init(&ctx.input);
    fit_request_init(&ctx.fit);
    if (!(ctx.check = slaw_check_new())) {
        return cli_nomem();
    }
    if ((st = cli_parse(cmd, argc, argv, on_option, &ctx, &first))) {
        st = st < 0 ? EXIT_PASS : st;
        goto out;
    }
    char **paths = argv + first;
    size_t n_paths = (size_t)(argc - first);
    if ((st = check_usage(&ctx, paths, n_paths))) goto out;
    bool artifact = n_paths == 1 && is_artifact(paths[0]);
    if ((st = check_form(&ctx, artifact, paths[0])) || (st = check_weights(&ctx))) goto out;
    if (ctx.baseline && (st = artifact_load(ctx.baseline, &base))) goto out;
    if (artifact && (st = artifact_load(paths[0], &now))) goto out;
    if ((st = find_law(&ctx, base, now, paths[0], &law))) goto out;
    if (slaw_check_validate(ctx.check, law, base != NULL, &err) != SLAW_OK) {
        st = cli_usage_error(cmd, "%s", CLI_MESSAGE(&err));
        goto out;
    }
    if (!artifact && (st = fit(&ctx, base, paths, n_paths, &now, fit_error, sizeof fit_error)) &&
        st != EXIT_FIT)
        goto out;
    if (now && slaw_check_run(ctx.check, base, now, &verdict, &err) != SLAW_OK) {
        st = cli_fail(&err);
        goto out;
    }
    int emitted = emit(&ctx, verdict, fit_error);
    st = emitted                          ? emitted
         : fit_error[0]                   ? EXIT_FIT
         : slaw_verdict_failures(verdict) ? EXIT_REGRESSION
                                          : EXIT_PASS;
out:
    slaw_verdict_free(verdict);
    slaw_artifact_free(now);
    slaw_artifact_free(base);
    slaw_check_free(ctx.check);
    return st;
}

static const cli_option *const check_groups[] = {check_options, fit_options, input_options,
                                                 common_options, NULL};

const cli_command cmd_check = {
    .name = "check",
    .synopsis = "RUNS... --baseline BASE.json CRITERIA... [options]",
    .summary = "Judge a fit against a baseline for CI: tolerances, assertions, forecasts.",
    .details = "Forms:\n"
               "  slaw check RUNS... --baseline BASE.json CRITERIA...\n"
               "      refit RUNS the way BASE.json was fitted (law, space, loss, grid,\n"
               "      constraints, filters, columns, bootstrap and its seed) and compare;\n"
               "  slaw check NEW.json --baseline BASE.json CRITERIA...\n"
               "      compare two fit artifacts (slaw fit --out);\n"
               "  slaw check RUNS... --law NAME [fit options] --expect SPEC...\n"
               "      fit and assert, without a baseline.\n"
               "With a baseline, --threads, --polish, --max-iter, --bootstrap, --bootstrap-by,\n"
               "--seed, --level and the column options (--n, --d, --c, --y, --x, --by,\n"
               "--weight, --format-in) may replace its settings; the rest would change what\n"
               "is compared and are refused.  NAME is a parameter or a derived quantity\n"
               "(chinchilla's a, b, G, D/N); '*' is every parameter that is not fixed.\n"
               "Each criterion gives one row per group, and so does the health of the new\n"
               "fit: warnings (a parameter pinned at a bound, an optimum reached from one\n"
               "start) fail unless --allow-warnings.  The exit status is 0 when every row\n"
               "passes, 1 when one fails, 2 for a usage or input error (a baseline that is\n"
               "not a fit artifact, with the reason), 3 when the fit fails (the report says\n"
               "so too).  docs/ci.md explains how to choose tolerances.\n",
    .groups = check_groups,
    .run = run_check,
};
