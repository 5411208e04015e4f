/* cmd_inspect.c — `slaw inspect`: what slaw reads from the given files. */
#include "input.h"
#include "lint_report.h"
#include "output.h"

#include <math.h>
#include <string.h>

typedef struct inspect_ctx {
    const cli_command *cmd;
    input_request input;
    output_format format;
    unsigned no_lint; /* 1u << slaw_lint_kind for each lint silenced */
} inspect_ctx;

static const cli_option inspect_options[] = {
    {"format", 0, "FMT", OPT_FORMAT, "output: table (default) or json"},
    {0},
};

static int on_option(void *vctx, option_id id, const char *arg)
{
    inspect_ctx *ctx = vctx;
    if (id == OPT_FORMAT) {
        return output_format_option(ctx->cmd, arg, 1u << OUTPUT_TABLE | 1u << OUTPUT_JSON,
                                    &ctx->format);
    }
    if (id == OPT_NO_LINT) return lint_option(ctx->cmd, &ctx->no_lint, arg);
    int st = input_option(ctx->cmd, &ctx->input, id, arg);
    return st == 1 ? cli_usage_error(ctx->cmd, "unexpected option") : st;
}

/* Why a role has no column: absent, ambiguous or no such column. */
static const char *unsettled_text(const slaw_runs *runs, slaw_role role)
{
    const slaw_error *p = slaw_runs_role_problem(runs, role);
    if (!p) return "absent";
    return p->code == SLAW_EUSAGE ? "no such column" : "ambiguous";
}

/* Each ambiguous role's candidates, and the option that settles it. */
static void print_unsettled(const slaw_runs *runs)
{
    bool any = false;
    for (int k = 0; k < SLAW_ROLE_COUNT; k++) {
        const slaw_error *p = slaw_runs_role_problem(runs, (slaw_role)k);
        if (!p || p->code == SLAW_EUSAGE) continue;
        if (!any) printf("\nambiguous roles (fit and the other commands refuse them):\n");
        any = true;
        printf("  %s: %s\n", slaw_role_name((slaw_role)k), CLI_MESSAGE(p));
    }
}

static const char *source_text(const slaw_runs *runs, slaw_role role, char *buf, size_t size)
{
    switch (slaw_runs_role_source(runs, role)) {
    case SLAW_SOURCE_ALIAS:
        snprintf(buf, size, "alias '%s'", slaw_runs_role_alias(runs, role));
        break;
    case SLAW_SOURCE_OVERRIDE: snprintf(buf, size, "given"); break;
    case SLAW_SOURCE_DERIVED:
        snprintf(buf, size,
                 role == SLAW_ROLE_WEIGHT ? "inverse variance of the means"
                                          : "derived from C = 6*N*D");
        break;
    case SLAW_SOURCE_NONE: snprintf(buf, size, "%s", unsettled_text(runs, role)); break;
    }
    return buf;
}

static const char *source_name(slaw_role_source s)
{
    static const char *const names[] = {"absent", "alias", "given", "derived"};
    return names[s];
}

static const char *format_role_value(slaw_role role, double v, char *buf, size_t size)
{
    if (role == SLAW_ROLE_N || role == SLAW_ROLE_D) return format_size(v, buf, size);
    if (role == SLAW_ROLE_C) return format_sci(v, buf, size);
    return format_value(v, buf, size);
}

/* Repeated (N, D) pairs, with what to do about them. */
static void print_repeats(const slaw_runs *runs, const slaw_runs_summary *sum)
{
    size_t gcol;
    bool grouped = slaw_runs_role_column(runs, SLAW_ROLE_GROUP, &gcol);
    printf("\nduplicate (N, D) pairs: %zu\n", sum->duplicate_nd);
    if (!sum->duplicate_nd) return;
    char held[64];
    if (sum->most_repeats > 2) snprintf(held, sizeof held, "2 to %zu runs", sum->most_repeats);
    else snprintf(held, sizeof held, "2 runs");
    size_t ucol;
    if (slaw_runs_role_candidates(runs, SLAW_ROLE_U, &ucol, 1)) {
        /* A data-constrained sweep repeats (N, D) at each unique-token budget. */
        const char *u = slaw_runs_column_name(runs, ucol);
        printf("  %zu run%s the (N, D) of an earlier run%s: %zu pair%s held by %s.\n"
               "  The runs have unique tokens U (column '%s'): runs of one (N, D) at different U\n"
               "  are different runs of a data-constrained sweep (law muennighoff); to keep the\n"
               "  best of each, or average them, name U too: --best-per N,D,%s or --mean-per "
               "N,D,%s.\n",
               sum->duplicate_nd, sum->duplicate_nd == 1 ? " repeats" : "s repeat",
               grouped ? " of its group" : "", sum->repeated_pairs,
               sum->repeated_pairs == 1 ? "" : "s, each", held, u, u, u);
        return;
    }
    printf("  %zu run%s the (N, D) of an earlier run%s: %zu pair%s held by %s.\n"
           "  Keep the best run of each with --best-per N,D (a learning-rate sweep, checkpoints)\n"
           "  or average them with --mean-per N,D (seeds).\n",
           sum->duplicate_nd, sum->duplicate_nd == 1 ? " repeats" : "s repeat",
           grouped ? " of its group" : "", sum->repeated_pairs,
           sum->repeated_pairs == 1 ? "" : "s, each", held);
}

static void print_table(const loaded_runs *lr, const slaw_runs_summary *sum, unsigned no_lint)
{
    const slaw_runs *runs = lr->runs;
    char a[64], b[64], c[64], d[64], e[64];
    text_table *t = table_new(4);
    table_header(t, (const char *[]){"file", "format", "runs read", "kept"});
    table_align_right(t, 1u << 2 | 1u << 3);
    for (size_t i = 0; i < slaw_runs_file_count(runs); i++) {
        snprintf(a, sizeof a, "%zu", slaw_runs_file_read(runs, i));
        snprintf(b, sizeof b, "%zu", slaw_runs_file_rows(runs, i));
        table_row(t, (const char *[]){slaw_runs_file_name(runs, i),
                                      slaw_format_name(slaw_runs_file_format(runs, i)), a, b});
    }
    table_print(t, stdout, "");
    table_free(t);

    size_t kept = slaw_runs_count(runs);
    printf("\nruns: %zu read, %zu kept, %zu filtered\n", lr->read, kept, lr->read - kept);
    for (size_t i = 0; i < lr->n_filters; i++) {
        const filter_report *f = &lr->filters[i];
        printf("  %s removed %zu", f->what, f->removed);
        if (strstr(f->what, "-per ")) printf(", kept %zu", f->kept); /* --best-per, --mean-per */
        printf("\n");
    }

    t = table_new(7);
    table_header(t,
                 (const char *[]){"role", "column", "source", "min", "max", "decades", "distinct"});
    table_align_right(t, 1u << 3 | 1u << 4 | 1u << 5 | 1u << 6);
    for (int k = 0; k < SLAW_ROLE_COUNT; k++) {
        size_t col;
        slaw_role role = (slaw_role)k;
        if (!slaw_runs_role_column(runs, role, &col)) {
            if (k <= SLAW_ROLE_L || slaw_runs_role_problem(runs, role))
                table_row(t, (const char *[]){slaw_role_name(role), "-", unsettled_text(runs, role),
                                              "", "", "", ""});
            continue;
        }
        const slaw_role_summary *s = &sum->role[k];
        bool numeric = !slaw_runs_column_is_label(runs, col);
        snprintf(e, sizeof e, s->counted ? "%zu" : "-", s->distinct);
        if (numeric) snprintf(d, sizeof d, "%.2f", s->decades);
        table_row(t, (const char *[]){slaw_role_name(role), slaw_runs_column_name(runs, col),
                                      source_text(runs, role, c, sizeof c),
                                      numeric ? format_role_value(role, s->min, a, sizeof a) : "",
                                      numeric ? format_role_value(role, s->max, b, sizeof b) : "",
                                      numeric ? d : "", e});
    }
    printf("\n");
    table_print(t, stdout, "");
    table_free(t);
    print_unsettled(runs);

    if (sum->role[SLAW_ROLE_N].present && sum->role[SLAW_ROLE_D].present) print_repeats(runs, sum);
    printf("\ncolumns:");
    for (size_t i = 0; i < slaw_runs_column_count(runs); i++)
        printf("%s %s%s", i ? "," : "", slaw_runs_column_name(runs, i),
               slaw_runs_column_is_label(runs, i) ? " (text)" : "");
    printf("\n");
    lints_print(runs, no_lint);
}

/* {"column": null, "source": "ambiguous", "candidates": [...], "problem": "..."} */
static void add_unsettled_json(const slaw_runs *runs, slaw_role role, cJSON *roles)
{
    const slaw_error *p = slaw_runs_role_problem(runs, role);
    cJSON *r = cJSON_AddObjectToObject(roles, slaw_role_name(role));
    size_t cols[64], n = slaw_runs_role_candidates(runs, role, cols, 64);
    cJSON_AddNullToObject(r, "column");
    cJSON_AddStringToObject(r, "source", unsettled_text(runs, role));
    if (p->code != SLAW_EUSAGE) {
        cJSON *c = cJSON_AddArrayToObject(r, "candidates");
        for (size_t i = 0; i < n && i < 64; i++)
            cJSON_AddItemToArray(c, cJSON_CreateString(slaw_runs_column_name(runs, cols[i])));
    }
    cJSON_AddStringToObject(r, "problem", CLI_MESSAGE(p));
}

static int print_json_report(const loaded_runs *lr, const slaw_runs_summary *sum, unsigned no_lint)
{
    const slaw_runs *runs = lr->runs;
    cJSON *doc = cJSON_CreateObject();
    cJSON *files = cJSON_AddArrayToObject(doc, "files");
    for (size_t i = 0; i < slaw_runs_file_count(runs); i++) {
        cJSON *f = cJSON_CreateObject();
        cJSON_AddStringToObject(f, "name", slaw_runs_file_name(runs, i));
        cJSON_AddStringToObject(f, "format", slaw_format_name(slaw_runs_file_format(runs, i)));
        cJSON_AddNumberToObject(f, "read", (double)slaw_runs_file_read(runs, i));
        cJSON_AddNumberToObject(f, "kept", (double)slaw_runs_file_rows(runs, i));
        cJSON_AddItemToArray(files, f);
    }
    cJSON *counts = cJSON_AddObjectToObject(doc, "runs");
    size_t kept = slaw_runs_count(runs);
    cJSON_AddNumberToObject(counts, "read", (double)lr->read);
    cJSON_AddNumberToObject(counts, "kept", (double)kept);
    cJSON_AddNumberToObject(counts, "filtered", (double)(lr->read - kept));
    cJSON *filters = cJSON_AddArrayToObject(doc, "filters");
    for (size_t i = 0; i < lr->n_filters; i++) {
        cJSON *f = cJSON_CreateObject();
        cJSON_AddStringToObject(f, "filter", lr->filters[i].what);
        cJSON_AddNumberToObject(f, "removed", (double)lr->filters[i].removed);
        cJSON_AddNumberToObject(f, "kept", (double)lr->filters[i].kept);
        cJSON_AddItemToArray(filters, f);
    }
    cJSON *roles = cJSON_AddObjectToObject(doc, "roles");
    for (int k = 0; k < SLAW_ROLE_COUNT; k++) {
        size_t col;
        slaw_role role = (slaw_role)k;
        if (!slaw_runs_role_column(runs, role, &col)) {
            if (slaw_runs_role_problem(runs, role)) add_unsettled_json(runs, role, roles);
            else if (k <= SLAW_ROLE_L) cJSON_AddNullToObject(roles, slaw_role_name(role));
            continue;
        }
        cJSON *r = cJSON_AddObjectToObject(roles, slaw_role_name(role));
        const slaw_role_summary *s = &sum->role[k];
        cJSON_AddStringToObject(r, "column", slaw_runs_column_name(runs, col));
        cJSON_AddStringToObject(r, "source", source_name(slaw_runs_role_source(runs, role)));
        if (slaw_runs_role_source(runs, role) == SLAW_SOURCE_ALIAS)
            cJSON_AddStringToObject(r, "alias", slaw_runs_role_alias(runs, role));
        if (!slaw_runs_column_is_label(runs, col)) {
            cJSON_AddNumberToObject(r, "min", s->min);
            cJSON_AddNumberToObject(r, "max", s->max);
            cJSON_AddNumberToObject(r, "decades", s->decades);
        }
        if (s->counted) cJSON_AddNumberToObject(r, "distinct", (double)s->distinct);
    }
    if (sum->role[SLAW_ROLE_N].present && sum->role[SLAW_ROLE_D].present) {
        cJSON_AddNumberToObject(doc, "duplicate_nd", (double)sum->duplicate_nd);
        cJSON_AddNumberToObject(doc, "repeated_pairs", (double)sum->repeated_pairs);
        cJSON_AddNumberToObject(doc, "most_repeats", (double)sum->most_repeats);
    }
    cJSON *cols = cJSON_AddArrayToObject(doc, "columns");
    for (size_t i = 0; i < slaw_runs_column_count(runs); i++) {
        cJSON *c = cJSON_CreateObject();
        cJSON_AddStringToObject(c, "name", slaw_runs_column_name(runs, i));
        cJSON_AddStringToObject(c, "type", slaw_runs_column_is_label(runs, i) ? "text" : "number");
        if (slaw_runs_column_is_derived(runs, i)) cJSON_AddTrueToObject(c, "derived");
        cJSON_AddItemToArray(cols, c);
    }
    lints_json(runs, no_lint, doc);
    return print_json(doc);
}

static int run_inspect(const cli_command *cmd, int argc, char **argv)
{
    inspect_ctx ctx = {.cmd = cmd, .format = OUTPUT_TABLE};
    input_request_init(&ctx.input);
    ctx.input.show_unsettled = true;
    int first, st = cli_parse(cmd, argc, argv, on_option, &ctx, &first);
    if (st) return st < 0 ? EXIT_PASS : st;
    if (first >= argc) return cli_usage_error(cmd, "no input files");

    loaded_runs lr;
    st = input_load_selected(&ctx.input, argv + first, (size_t)(argc - first), &lr);
    if (st) return st;
    slaw_runs_summary sum;
    slaw_runs_summarize(lr.runs, &sum);
    if (ctx.format == OUTPUT_JSON) st = print_json_report(&lr, &sum, ctx.no_lint);
    else print_table(&lr, &sum, ctx.no_lint);
    if (!st) /* a column named that is not there is still an error, after the table */
        st = unsettled_role_error(lr.runs, true);
    loaded_runs_free(&lr);
    return st;
}

static const cli_option *const inspect_groups[] = {inspect_options, input_options, lint_options,
                                                   common_options, NULL};

const cli_command cmd_inspect = {
    .name = "inspect",
    .synopsis = "FILE... [options]",
    .summary = "Show what slaw reads from runs files: formats, column roles, ranges, filters.",
    .details = "Each FILE is CSV, JSON (an array of run objects, or an object with a \"runs\"\n"
               "array) or JSON Lines; '-' reads standard input.  Columns are matched to\n"
               "roles by name: N (params, model_size, ...), D (tokens, ...), C (flops,\n"
               "compute, ...) and L (loss, val_loss, ...); when two of N, D, C are present\n"
               "the third is derived from C = 6*N*D.\n",
    .groups = inspect_groups,
    .run = run_inspect,
};
