/* cmd_laws.c — `slaw laws`: the catalogue of laws, their parameters and
 * default start grids. */
#include "output.h"

#include <string.h>

typedef struct laws_ctx {
    const cli_command *cmd;
    output_format format;
} laws_ctx;

static const cli_option laws_options[] = {
    {"format", 0, "FMT", OPT_FORMAT, "output: table (default) or json"},
    {0},
};

static int on_option(void *vctx, option_id id, const char *arg)
{
    laws_ctx *ctx = vctx;
    if (id != OPT_FORMAT) return cli_usage_error(ctx->cmd, "unexpected option");
    return output_format_option(ctx->cmd, arg, 1u << OUTPUT_TABLE | 1u << OUTPUT_JSON,
                                &ctx->format);
}

static void print_law(const slaw_law *law)
{
    char grid[64];
    printf("%s: %s\n  %s\n", slaw_law_name(law), slaw_law_formula(law), slaw_law_summary(law));
    text_table *t = table_new(4);
    table_header(t, (const char *[]){"param", "fitted as", "default grid", "meaning"});
    for (size_t j = 0; j < slaw_law_param_count(law); j++) {
        char as[64];
        if (slaw_law_param_is_log(law, j))
            snprintf(as, sizeof as, "%s = ln %s", slaw_law_param_internal_name(law, j),
                     slaw_law_param_name(law, j));
        else snprintf(as, sizeof as, "%s", slaw_law_param_name(law, j));
        slaw_law_grid_text(law, j, grid, sizeof grid);
        table_row(t, (const char *[]){slaw_law_param_name(law, j), as, grid,
                                      slaw_law_param_meaning(law, j)});
    }
    table_print(t, stdout, "  ");
    table_free(t);
    for (size_t q = 0; q < slaw_law_derived_count(law); q++)
        printf("  derived %s: %s\n", slaw_law_derived_name(law, q),
               slaw_law_derived_meaning(law, q));
}

static cJSON *law_json(const slaw_law *law)
{
    char grid[64];
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "name", slaw_law_name(law));
    cJSON_AddStringToObject(o, "formula", slaw_law_formula(law));
    cJSON_AddStringToObject(o, "summary", slaw_law_summary(law));
    cJSON_AddNumberToObject(o, "variables", (double)slaw_law_var_count(law));
    cJSON *params = cJSON_AddArrayToObject(o, "params");
    for (size_t j = 0; j < slaw_law_param_count(law); j++) {
        cJSON *p = cJSON_CreateObject();
        slaw_law_grid_text(law, j, grid, sizeof grid);
        cJSON_AddStringToObject(p, "name", slaw_law_param_name(law, j));
        cJSON_AddStringToObject(p, "internal", slaw_law_param_internal_name(law, j));
        cJSON_AddStringToObject(p, "scale", slaw_law_param_is_log(law, j) ? "log" : "linear");
        cJSON_AddStringToObject(p, "grid", grid);
        cJSON_AddStringToObject(p, "meaning", slaw_law_param_meaning(law, j));
        cJSON_AddItemToArray(params, p);
    }
    cJSON *derived = cJSON_AddArrayToObject(o, "derived");
    for (size_t q = 0; q < slaw_law_derived_count(law); q++) {
        cJSON *d = cJSON_CreateObject();
        cJSON_AddStringToObject(d, "name", slaw_law_derived_name(law, q));
        cJSON_AddStringToObject(d, "meaning", slaw_law_derived_meaning(law, q));
        cJSON_AddItemToArray(derived, d);
    }
    return o;
}

static int run_laws(const cli_command *cmd, int argc, char **argv)
{
    laws_ctx ctx = {.cmd = cmd, .format = OUTPUT_TABLE};
    int first, st = cli_parse(cmd, argc, argv, on_option, &ctx, &first);
    if (st) return st < 0 ? EXIT_PASS : st;
    for (int i = first; i < argc; i++)
        if (!slaw_law_find(argv[i]))
            return cli_usage_error(cmd, "unknown law '%s': the laws are %s", argv[i],
                                   cli_law_names((char[512]){0}, 512));
    cJSON *doc = ctx.format == OUTPUT_JSON ? cJSON_CreateArray() : NULL;
    bool printed = false;
    for (size_t i = 0; i < slaw_law_count(); i++) {
        const slaw_law *law = slaw_law_at(i);
        bool wanted = first >= argc;
        for (int k = first; k < argc; k++) wanted |= !strcmp(argv[k], slaw_law_name(law));
        if (!wanted) continue;
        if (doc) {
            cJSON_AddItemToArray(doc, law_json(law));
        } else {
            if (printed) printf("\n");
            print_law(law);
        }
        printed = true;
    }
    if (doc) return print_json(doc);
    printf("\nscale parameters are fitted as logarithms; --grid and --fix take either name.\n"
           "default grids are centred on the data (docs/laws.md).\n");
    return 0;
}

static const cli_option *const laws_groups[] = {laws_options, common_options, NULL};

const cli_command cmd_laws = {
    .name = "laws",
    .synopsis = "[NAME...] [--format json]",
    .summary = "List the laws slaw fits: formulas, parameters, default start grids.",
    .details = NULL,
    .groups = laws_groups,
    .run = run_laws,
};
