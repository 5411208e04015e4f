/* cmd_forecast.c — `slaw forecast`: answers from a fit artifact: the law
 * at given points, the compute-optimal allocation at given budgets, and
 * what it takes to reach given targets, with intervals and costs. */
#include "forecast_report.h"
#include "held_options.h"
#include "input.h"
#include "interval_options.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_QUESTIONS 64

typedef struct asked_point {
    slaw_point point;
    const char *spec; /* the --at text; NULL for a --points row */
    const char *file; /* --points: where the row came from */
    long line;
} asked_point;

typedef struct forecast_ctx {
    const cli_command *cmd;
    asked_point *points;
    size_t n_points, cap_points;
    const char *points_file;
    double compute[MAX_QUESTIONS], targets[MAX_QUESTIONS];
    size_t n_compute, n_targets;
    interval_request iv;
    slaw_forecast_options fopt;
    bool cost;
    cost_request cost_req;
    output_format format;
    const char *law, *params; /* --law, --params: published constants, no fit file */
    const char *then;         /* --then FIT.json: a law of the first one's value */
    held_request held;        /* --unique-tokens, --hold */
} forecast_ctx;

static const cli_option forecast_options[] = {
    {"at", 0, "POINT", OPT_AT, "a point, e.g. N=70B,D=1.4T (two of N, D, C; or x=V); repeatable"},
    {"points", 0, "FILE", OPT_POINTS, "each row of a CSV/JSON file of N and D (or x) is a point"},
    {"compute", 0, "C", OPT_COMPUTE, "the compute-optimal N*, D* and loss at budget C; repeatable"},
    {"target-loss", 0, "L", OPT_TARGET_LOSS, "the least compute (or x) reaching L; repeatable"},
    {"unique-tokens", 0, "U", OPT_UNIQUE_TOKENS,
     "the unique tokens U, held for --compute and --target-loss and given to points without U"},
    {"hold", 0, "POINT", OPT_HOLD,
     "values of the other variables a budget does not set, e.g. U=25B (a formula's: by column)"},
    {"cost", 0, NULL, OPT_COST, "add what each answer costs to train (see the cost options)"},
    {"format", 0, "FMT", OPT_FORMAT, "output: table (default), json or csv"},
    {"then", 0, "FIT.json", OPT_THEN,
     "feed each --at answer into this fit's law (a downstream "
     "law of the loss): the metric at a size"},
    {"law", 'l', "NAME", OPT_LAW, "with --params, instead of FIT.json: the law at given values"},
    {"params", 0, "SPEC", OPT_PARAMS, "the law's published parameters: NAME=VALUE,... (all)"},
    {0},
};

static int add_point(forecast_ctx *ctx, const slaw_point *p, const char *spec, const char *file,
                     long line)
{
    if (ctx->n_points == ctx->cap_points) {
        size_t cap = ctx->cap_points ? 2 * ctx->cap_points : 16;
        asked_point *a = realloc(ctx->points, cap * sizeof *a);
        if (!a) {
            return cli_nomem();
        }
        ctx->points = a;
        ctx->cap_points = cap;
    }
    ctx->points[ctx->n_points++] = (asked_point){*p, spec, file, line};
    return 0;
}

static int add_value(forecast_ctx *ctx, const char *option, const char *arg, double *list,
                     size_t *n)
{
    if (*n == MAX_QUESTIONS)
        return cli_usage_error(ctx->cmd, "too many %s options (at most %d)", option, MAX_QUESTIONS);
    return parse_positive(ctx->cmd, option, arg, &list[(*n)++]) ? 0 : EXIT_USAGE;
}

static int on_option(void *vctx, option_id id, const char *arg)
{
    forecast_ctx *ctx = vctx;
    slaw_point p;
    slaw_error err;
    switch (id) {
    case OPT_AT:
        if (slaw_point_parse(arg, &p, &err) != SLAW_OK)
            return cli_usage_error(ctx->cmd, "--at '%s': %s", arg, CLI_MESSAGE(&err));
        return add_point(ctx, &p, arg, NULL, 0);
    case OPT_POINTS:
        if (ctx->points_file) return cli_usage_error(ctx->cmd, "give --points once");
        ctx->points_file = arg;
        return 0;
    case OPT_COMPUTE: return add_value(ctx, "--compute", arg, ctx->compute, &ctx->n_compute);
    case OPT_TARGET_LOSS:
        return add_value(ctx, "--target-loss", arg, ctx->targets, &ctx->n_targets);
    case OPT_COST: ctx->cost = true; return 0;
    case OPT_LAW: ctx->law = arg; return 0;
    case OPT_THEN:
        if (ctx->then) return cli_usage_error(ctx->cmd, "give --then once");
        ctx->then = arg;
        return 0;
    case OPT_PARAMS: ctx->params = arg; return 0;
    case OPT_FORMAT:
        return output_format_option(
            ctx->cmd, arg, 1u << OUTPUT_TABLE | 1u << OUTPUT_JSON | 1u << OUTPUT_CSV, &ctx->format);
    default: break;
    }
    int st = interval_option(ctx->cmd, &ctx->iv, id, arg);
    if (st == 1) st = held_option(ctx->cmd, &ctx->held, id, arg);
    if (st == 1) st = cost_option(ctx->cmd, &ctx->cost_req, id, arg);
    return st == 1 ? cli_usage_error(ctx->cmd, "unexpected option") : st;
}

/* The load options for --points: the columns the fit named explicitly
 * (slaw fit --n/--d/--c) are N, D and C again; other roles are detected.
 * The target, group and weight are not bound: planned runs need none. */
static void points_load_options(const slaw_artifact *a, slaw_load_options *lo)
{
    static const slaw_role roles[] = {SLAW_ROLE_N, SLAW_ROLE_D, SLAW_ROLE_C};
    slaw_load_options_init(lo);
    for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++) {
        bool given;
        const char *col = slaw_artifact_role_column(a, roles[i], &given);
        if (col && given) lo->role_column[roles[i]] = col;
    }
}

/* What is wrong with the value of a points row's variable, or NULL; worded
 * as slaw_runs_validate words it. */
static const char *value_problem(const slaw_runs *runs, size_t col, size_t i, bool any_sign,
                                 char *buf, size_t size)
{
    double v = slaw_runs_value(runs, col, i);
    const char *text = slaw_runs_label(runs, col, i), *why = "not a number";
    bool derived = slaw_runs_column_is_derived(runs, col);
    double ignored;
    if ((v > 0 || (any_sign && !isnan(v))) && isfinite(v)) return NULL;
    if (isnan(v) && (!text || !*text)) return "empty value";
    if (isnan(v)) {
        slaw_number_parse(text, strlen(text), &ignored, &why);
        snprintf(buf, size, "'%.40s' is %s", text, why);
    } else if (!isfinite(v)) {
        snprintf(buf, size, "%svalue out of range (too large)", derived ? "derived " : "");
    } else {
        snprintf(buf, size, "%smust be positive, got %.6g", derived ? "derived value " : "", v);
    }
    return buf;
}

/* Which of N and D a points row must give for law: both when it reads C or
 * M (derived from them), else those it reads itself (a formula of N and
 * steps needs no D). */
static void sizes_read(const slaw_law *law, bool *need_n, bool *need_d)
{
    *need_n = *need_d = false;
    for (size_t v = 0; v < slaw_law_var_count(law); v++) {
        slaw_role role = slaw_law_var_role(law, v);
        bool both = role == SLAW_ROLE_C || role == SLAW_ROLE_M;
        *need_n |= both || role == SLAW_ROLE_N;
        *need_d |= both || role == SLAW_ROLE_D;
    }
}

/* The columns of a points file for f's law: x (one-variable laws), or N
 * and D and then each other variable the law reads (U, a formula's column)
 * by its role or name.  names[k] is what a point calls column k. */
static int points_columns(const forecast_ctx *ctx, const slaw_fit *f, slaw_runs *runs, size_t *col,
                          const char **names, bool *any_sign, size_t *n)
{
    const slaw_law *law = slaw_fit_law(f);
    const char *path = ctx->points_file;
    slaw_error err;
    *n = 0;
    if (slaw_law_var_count(law) == 1) {
        if (!slaw_runs_column_find(runs, slaw_fit_variable(f, 0), &col[0]) &&
            !slaw_runs_column_find(runs, "x", &col[0]) &&
            !slaw_runs_role_column(runs, SLAW_ROLE_N, &col[0]))
            return cli_usage_error(ctx->cmd, "--points %s: no column '%s', x or N", path,
                                   slaw_fit_variable(f, 0));
        any_sign[*n] = slaw_law_var_signed(law, 0);
        names[(*n)++] = "x";
        return 0;
    }
    bool need_n, need_d;
    sizes_read(law, &need_n, &need_d);
    if ((need_n && !slaw_runs_role_column(runs, SLAW_ROLE_N, &col[*n])) ||
        (need_d && !slaw_runs_role_column(runs, SLAW_ROLE_D, &col[*n + need_n])))
        return cli_usage_error(ctx->cmd, "--points %s: law %s needs %s", path, slaw_law_name(law),
                               need_n && need_d ? "N and D (or C) columns"
                               : need_n         ? "an N column"
                                                : "a D column");
    if (need_n) any_sign[*n] = false, names[(*n)++] = "N";
    if (need_d) any_sign[*n] = false, names[(*n)++] = "D";
    for (size_t v = 0; v < slaw_law_var_count(law); v++) {
        slaw_role role = slaw_law_var_role(law, v);
        const char *name = slaw_extrapolation_name(f, v);
        if (role == SLAW_ROLE_N || role == SLAW_ROLE_D || role == SLAW_ROLE_C ||
            role == SLAW_ROLE_M)
            continue; /* from N and D */
        bool found = role < SLAW_ROLE_COUNT ? slaw_runs_need_role(runs, role, &err) == SLAW_OK &&
                                                  slaw_runs_role_column(runs, role, &col[*n])
                                            : slaw_runs_column_find(runs, name, &col[*n]);
        if (!found)
            return cli_usage_error(ctx->cmd, "--points %s: law %s reads %s: no column for it", path,
                                   slaw_law_name(law), name);
        any_sign[*n] = slaw_law_var_signed(law, v);
        names[(*n)++] = name;
    }
    return 0;
}

/* --points: each row's N and D (C derived) and the law's other variables,
 * or for one-variable laws the fit's variable column, x, or N.  Only those
 * columns are checked: a file of planned runs has no loss yet. */
static int load_points(forecast_ctx *ctx, const slaw_artifact *a, slaw_runs **keep)
{
    const slaw_fit *f = slaw_artifact_fit(a, 0);
    slaw_load_options lo;
    slaw_error err;
    slaw_runs *runs;
    size_t col[SLAW_MAX_VARS + 2], n;
    const char *names[SLAW_MAX_VARS + 2];
    bool any_sign[SLAW_MAX_VARS + 2];
    const char *path = ctx->points_file;
    bool one = slaw_law_var_count(slaw_fit_law(f)) == 1;
    if (one) slaw_load_options_init(&lo);
    else points_load_options(a, &lo);
    lo.flops_per_token = ctx->cost_req.opt.flops_per_token; /* a derived D or N follows it */
    if (slaw_runs_load(&path, 1, &lo, &runs, &err) != SLAW_OK) {
        if (err.code != SLAW_EUSAGE) return cli_fail(&err);
        return cli_usage_error(ctx->cmd,
                               "--points %s: %s (the fit named its columns with "
                               "slaw fit --n/--d/--c; points use the same names)",
                               path, CLI_MESSAGE(&err));
    }
    *keep = runs;
    int st = points_columns(ctx, f, runs, col, names, any_sign, &n);
    for (size_t i = 0; !st && i < slaw_runs_count(runs); i++) {
        slaw_point p;
        const char *file;
        long line;
        char why[96];
        slaw_point_init(&p);
        slaw_runs_source(runs, i, &file, &line);
        for (size_t k = 0; k < n; k++) {
            const char *problem = value_problem(runs, col[k], i, any_sign[k], why, sizeof why);
            if (problem) {
                cli_errorf("%s:%ld: column '%s' (%s): %s", file, line,
                           slaw_runs_column_name(runs, col[k]), names[k], problem);
                return EXIT_USAGE;
            }
            if (slaw_point_set(&p, names[k], slaw_runs_value(runs, col[k], i), &err) != SLAW_OK)
                return cli_fail(&err);
        }
        st = add_point(ctx, &p, NULL, file, line);
    }
    return st;
}

static void add_cost(const forecast_ctx *ctx, double N, double D, report_row *row)
{
    if (ctx->cost) row->has_cost = cost_of_run(&ctx->cost_req, N, D, &row->cost);
}

static int point_error(const forecast_ctx *ctx, const asked_point *p, const slaw_error *err)
{
    if (p->spec) return cli_usage_error(ctx->cmd, "--at '%s': %s", p->spec, CLI_MESSAGE(err));
    cli_errorf("%s:%ld: %s", p->file, p->line, CLI_MESSAGE(err));
    return EXIT_USAGE;
}

/* Every question, for one fit. */
static int answer(const forecast_ctx *ctx, const slaw_artifact *a, const slaw_fit *f,
                  forecast_report *rep)
{
    slaw_error err;
    report_row row;
    for (size_t i = 0; i < ctx->n_points; i++) {
        double vars[SLAW_MAX_VARS];
        slaw_point p = ctx->points[i].point;
        row = (report_row){.kind = REPORT_FORECAST, .fit = f};
        if (ctx->held.given) slaw_point_fill(&p, &ctx->held.point);
        if (slaw_point_resolve_model(a, f, &p, ctx->fopt.flops_per_token, vars, &err) != SLAW_OK)
            return point_error(ctx, &ctx->points[i], &err);
        if (slaw_forecast_at(f, vars, &ctx->fopt, &row.u.forecast, &err) != SLAW_OK)
            return cli_fail(&err);
        if (!isnan(row.u.forecast.N) && !isnan(row.u.forecast.D))
            add_cost(ctx, row.u.forecast.N, row.u.forecast.D, &row);
        if (!forecast_report_add(rep, &row)) goto out;
    }
    for (size_t i = 0; i < ctx->n_compute; i++) {
        row = (report_row){.kind = REPORT_OPTIMUM, .fit = f};
        if (slaw_optimal_compute(f, ctx->compute[i], &ctx->fopt, &row.u.optimum, &err) != SLAW_OK)
            return cli_fail(&err);
        add_cost(ctx, row.u.optimum.N.value, row.u.optimum.D.value, &row);
        if (!forecast_report_add(rep, &row)) goto out;
    }
    for (size_t i = 0; i < ctx->n_targets; i++) {
        row = (report_row){.kind = REPORT_TARGET, .fit = f};
        if (slaw_optimal_target(f, ctx->targets[i], &ctx->fopt, &row.u.target, &err) != SLAW_OK)
            return cli_fail(&err);
        add_cost(ctx, row.u.target.N.value, row.u.target.D.value, &row);
        if (!forecast_report_add(rep, &row)) goto out;
    }
    return 0;
out:
    return cli_nomem();
}

/* Questions the artifact cannot answer, refused before any work. */
static int check_questions(const forecast_ctx *ctx, const slaw_artifact *a, const char *path)
{
    const cli_command *cmd = ctx->cmd;
    const slaw_law *law = slaw_fit_law(slaw_artifact_fit(a, 0));
    for (size_t i = 0; i < slaw_artifact_fit_count(a); i++)
        if (ctx->iv.method == SLAW_INTERVAL_BOOTSTRAP &&
            slaw_fit_bootstrap_count(slaw_artifact_fit(a, i)) < 2)
            return cli_usage_error(cmd,
                                   "--intervals bootstrap: %s has no bootstrap samples "
                                   "(refit with slaw fit --bootstrap N)",
                                   path);
    size_t kinds = (ctx->n_points > 0) + (ctx->n_compute > 0) + (ctx->n_targets > 0);
    if (!kinds)
        return cli_usage_error(cmd, "nothing to forecast: give --at, --points, --compute or "
                                    "--target-loss");
    if (ctx->format == OUTPUT_CSV && kinds > 1)
        return cli_usage_error(cmd, "--format csv prints one table: ask --at/--points, --compute "
                                    "or --target-loss, not several");
    if (ctx->n_compute && !slaw_law_has_budget(law))
        return budget_usage_error(cmd, "--compute", law);
    if (ctx->n_compute || (ctx->n_targets && slaw_law_has_budget(law))) {
        int st = held_check(cmd, &ctx->held, law);
        if (st) return st;
    }
    if (!slaw_law_has_budget(law) && ctx->cost)
        return cli_usage_error(cmd,
                               "--cost needs N and D; %s reads %s (a fitted cost "
                               "law forecasts its cost directly)",
                               slaw_law_name(law),
                               slaw_law_var_count(law) == 1 ? "one variable" : "no N and D");
    return 0;
}

/* Where the law comes from: one FIT.json, or --law with --params. */
static int source_given(const forecast_ctx *ctx, int n_args, char **args)
{
    const cli_command *cmd = ctx->cmd;
    if (ctx->law || ctx->params) {
        if (!ctx->law || !ctx->params)
            return cli_usage_error(cmd, "%s needs %s: the law and all its parameters",
                                   ctx->law ? "--law" : "--params",
                                   ctx->law ? "--params" : "--law");
        if (n_args > 0)
            return cli_usage_error(cmd, "give FIT.json or --law with --params, not both ('%s')",
                                   args[0]);
        return 0;
    }
    if (n_args < 1)
        return cli_usage_error(cmd, "no fit artifact: give FIT.json (written by slaw fit --out), "
                                    "or --law NAME --params SPEC");
    if (n_args > 1)
        return cli_usage_error(cmd, "unexpected argument '%s' (one artifact at a time)", args[1]);
    return 0;
}

/* --law NAME --params SPEC: the law at published values, as an artifact. */
static int published_load(const forecast_ctx *ctx, slaw_artifact **out)
{
    double natural[16];
    slaw_error err;
    const slaw_law *law = slaw_law_find(ctx->law);
    if (!law)
        return cli_usage_error(ctx->cmd, "unknown law '%s'; 'slaw laws' lists them", ctx->law);
    char text[1024];
    if (slaw_law_parse_params(law, ctx->params, natural, &err) != SLAW_OK)
        return cli_usage_error(ctx->cmd, "%s", cli_error_message(&err, text, sizeof text));
    if (slaw_artifact_from_params(law, natural, out, &err) != SLAW_OK)
        return cli_usage_error(ctx->cmd, "--params '%s': %s", ctx->params, CLI_MESSAGE(&err));
    if (ctx->iv.method == SLAW_INTERVAL_BOOTSTRAP)
        return cli_usage_error(ctx->cmd, "--intervals bootstrap: published parameters have no "
                                         "bootstrap samples");
    return 0;
}

/* --then: each point's loss fed into the second fit's law. */
static int answer_chain(const forecast_ctx *ctx, const slaw_artifact *a, const char *path)
{
    slaw_artifact *b = NULL;
    chain_report rep = {.path = path, .then_path = ctx->then};
    int st = artifact_load(ctx->then, &b);
    if (st) return st;
    const slaw_fit *f = slaw_artifact_fit(a, 0), *g = slaw_artifact_fit(b, 0);
    rep.first = f;
    rep.then = g;
    rep.metric = slaw_artifact_role_column(b, SLAW_ROLE_L, NULL);
    if (!rep.metric) rep.metric = "y";
    if (slaw_artifact_fit_count(a) != 1 || slaw_artifact_fit_count(b) != 1) {
        st = cli_usage_error(ctx->cmd, "--then chains two ungrouped fits");
        goto out;
    }
    if (ctx->n_compute || ctx->n_targets || ctx->cost) {
        st = cli_usage_error(ctx->cmd, "--then answers --at and --points, not --compute, "
                                       "--target-loss or --cost");
        goto out;
    }
    if (slaw_law_var_count(slaw_fit_law(g)) != 1) {
        st = cli_usage_error(ctx->cmd,
                             "--then %s: law %s reads %zu variables; the law chained "
                             "after another reads one, its loss",
                             ctx->then, slaw_law_name(slaw_fit_law(g)),
                             slaw_law_var_count(slaw_fit_law(g)));
        goto out;
    }
    if (ctx->fopt.method == SLAW_INTERVAL_BOOTSTRAP && slaw_fit_bootstrap_count(g) < 2) {
        st = cli_usage_error(ctx->cmd,
                             "--intervals bootstrap: %s has no bootstrap samples (refit with "
                             "slaw fit --bootstrap N)",
                             ctx->then);
        goto out;
    }
    if (!(rep.rows = calloc(ctx->n_points + 1, sizeof *rep.rows))) {
        cli_errorf("out of memory");
        st = EXIT_IO;
        goto out;
    }
    for (size_t i = 0; i < ctx->n_points; i++) {
        chain_row *row = &rep.rows[rep.n_rows++];
        slaw_point p = ctx->points[i].point;
        slaw_error err;
        row->spec = ctx->points[i].spec;
        if (ctx->held.given) slaw_point_fill(&p, &ctx->held.point);
        if (slaw_point_resolve_model(a, f, &p, ctx->fopt.flops_per_token, row->vars, &err) !=
            SLAW_OK) {
            st = point_error(ctx, &ctx->points[i], &err);
            goto out;
        }
        if (slaw_forecast_chain(f, g, row->vars, &ctx->fopt, &row->c, &err) != SLAW_OK) {
            st = cli_fail(&err);
            goto out;
        }
    }
    st = chain_report_print(&rep, ctx->format);
out:
    free(rep.rows);
    slaw_artifact_free(b);
    return st;
}

static int run_forecast(const cli_command *cmd, int argc, char **argv)
{
    forecast_ctx ctx = {.cmd = cmd};
    forecast_report rep = {0};
    slaw_artifact *a = NULL;
    slaw_runs *point_runs = NULL;
    interval_request_init(&ctx.iv);
    cost_request_init(&ctx.cost_req);
    held_request_init(&ctx.held);
    int first, st = cli_parse(cmd, argc, argv, on_option, &ctx, &first);
    if (st) goto out;
    if ((st = source_given(&ctx, argc - first, argv + first))) goto out;
    ctx.cost |= ctx.cost_req.given;
    const char *source = ctx.law ? "published parameters" : argv[first];
    if ((st = ctx.law ? published_load(&ctx, &a) : artifact_load(argv[first], &a))) goto out;
    const slaw_fit *f0 = slaw_artifact_fit(a, 0);
    if (ctx.points_file && (st = load_points(&ctx, a, &point_runs))) goto out;
    if ((st = check_questions(&ctx, a, source))) goto out;

    interval_request_apply(&ctx.iv, a, &ctx.fopt);
    ctx.fopt.flops_per_token = ctx.cost_req.opt.flops_per_token; /* C shown, and its cost */
    if (ctx.held.given) ctx.fopt.held = &ctx.held.point;
    if (ctx.then) {
        st = answer_chain(&ctx, a, source);
        goto out;
    }
    rep = (forecast_report){.artifact = a,
                            .path = source,
                            .published = ctx.law != NULL,
                            .optimum_section = "optimal",
                            .max_extrapolation = ctx.iv.max_extrapolation,
                            .cost = ctx.cost,
                            .cost_req = ctx.cost_req,
                            .grouped = slaw_fit_group(f0) != NULL};
    rep.target_name = slaw_artifact_role_column(a, SLAW_ROLE_L, NULL);
    if (!rep.target_name) rep.target_name = "loss";
    for (size_t i = 0; i < slaw_artifact_fit_count(a); i++)
        if ((st = answer(&ctx, a, slaw_artifact_fit(a, i), &rep))) goto out;
    rep.level = ctx.fopt.level;
    rep.method = ctx.fopt.method;
    rep.space = ctx.fopt.space;
    forecast_report_warn(&rep);
    st = forecast_report_print(&rep, ctx.format);
out:
    forecast_report_free(&rep);
    slaw_runs_free(point_runs);
    slaw_artifact_free(a);
    free(ctx.points);
    return st < 0 ? EXIT_PASS : st;
}

static const cli_option *const forecast_groups[] = {forecast_options, interval_options,
                                                    cost_options, common_options, NULL};

const cli_command cmd_forecast = {
    .name = "forecast",
    .synopsis = "FIT.json | --law NAME --params SPEC  [--at POINT]... [--points FILE] "
                "[--compute C]... [--target-loss L]... [options]",
    .summary = "Forecast from a fit: the law at points, compute-optimal sizes, targets, costs.",
    .details = "Intervals: the curve's confidence interval (CI) and a new run's prediction\n"
               "interval (PI, the curve's uncertainty plus the fit's residual scale), from the\n"
               "artifact's bootstrap samples when it has them, else by the delta method from\n"
               "its covariance.  Every answer says how many decades beyond the fitted data it\n"
               "reaches in N, D and C; past --max-extrapolation it is marked '!' and a warning\n"
               "goes to stderr.  --compute C gives N*, D* and the loss under C = 6*N*D;\n"
               "--target-loss L the least compute reaching L (one-variable laws: the x at\n"
               "which the law equals L), or says the target is unreachable under the law.\n"
               "A grouped artifact answers for every group.  --law NAME --params SPEC instead\n"
               "of FIT.json evaluates a law at published parameter values (no intervals).\n"
               "Examples:\n"
               "  slaw forecast fit.json --at N=70B,D=1.4T --compute 5.76e23 --gpu h100-sxm\n"
               "  slaw forecast --law chinchilla --params E=1.69,A=406.4,B=410.7,alpha=0.34,"
               "beta=0.28 \\\n"
               "    --compute 5.76e23\n",
    .groups = forecast_groups,
    .run = run_forecast,
};
