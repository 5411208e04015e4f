/* lint_report.c — the library's lints (slaw_runs_lint) as `inspect` lists
 * them and `fit` warns of them, and --no-lint, which silences them. */
#include "lint_report.h"

#include <string.h>

const cli_option lint_options[] = {
    {"no-lint", 0, "NAME", OPT_NO_LINT,
     "silence a lint: compute, embeddings, bits, steps, size-loss, or all (repeatable)"},
    {0},
};

int lint_option(const cli_command *cmd, unsigned *skip, const char *arg)
{
    char names[256];
    if (strlen(arg) >= sizeof names)
        return cli_usage_error(cmd, "--no-lint: the list of lints is too long");
    strcpy(names, arg);
    char *rest = NULL;
    for (char *p = strtok_r(names, ",", &rest); p; p = strtok_r(NULL, ",", &rest)) {
        slaw_lint_kind kind;
        if (!strcmp(p, "all")) *skip = ~0u;
        else if (slaw_lint_find(p, &kind)) *skip |= 1u << kind;
        else
            return cli_usage_error(cmd,
                                   "--no-lint '%s': the lints are compute, embeddings, "
                                   "bits, steps, size-loss (or all)",
                                   p);
    }
    return 0;
}

/* "runs.csv:2, runs.csv:3 and 70 more" */
static void runs_text(const slaw_runs *runs, const slaw_lint *l, char *buf, size_t size)
{
    size_t o = 0, shown = l->n_runs < SLAW_LINT_FIRST_RUNS ? l->n_runs : SLAW_LINT_FIRST_RUNS;
    buf[0] = '\0';
    for (size_t i = 0; i < shown && o < size; i++) {
        const char *file;
        long line;
        slaw_runs_source(runs, l->runs[i], &file, &line);
        o += (size_t)snprintf(buf + o, size - o, "%s%s:%ld", i ? ", " : "", file, line);
    }
    if (l->n_runs > shown && o < size)
        snprintf(buf + o, size - o, " and %zu more", l->n_runs - shown);
}

/* The lints of runs, or none when they cannot be had (out of memory). */
static size_t find_lints(const slaw_runs *runs, unsigned skip, slaw_lint *out)
{
    size_t n = 0;
    slaw_error err;
    if (slaw_runs_lint(runs, skip, out, &n, &err) != SLAW_OK) return 0;
    return n;
}

void lints_warn(const slaw_runs *runs, unsigned skip)
{
    slaw_lint lints[SLAW_LINT_COUNT];
    char where[600];
    size_t n = find_lints(runs, skip, lints);
    for (size_t i = 0; i < n; i++) {
        const char *name = slaw_lint_name(lints[i].kind);
        runs_text(runs, &lints[i], where, sizeof where);
        cli_warnf("lint %s%s: %s (runs %s; --no-lint %s silences this)", name,
                  lints[i].info ? " (information)" : "", lints[i].message, where, name);
    }
}

void lints_print(const slaw_runs *runs, unsigned skip)
{
    slaw_lint lints[SLAW_LINT_COUNT];
    char where[600];
    size_t n = find_lints(runs, skip, lints);
    if (!n) return;
    printf("\nlints (--no-lint NAME silences one, --no-lint all every one):\n");
    for (size_t i = 0; i < n; i++) {
        runs_text(runs, &lints[i], where, sizeof where);
        printf("  %s%s: %s\n    runs: %s\n", slaw_lint_name(lints[i].kind),
               lints[i].info ? " (information)" : "", lints[i].message, where);
    }
}

void lints_json(const slaw_runs *runs, unsigned skip, cJSON *doc)
{
    slaw_lint lints[SLAW_LINT_COUNT];
    size_t n = find_lints(runs, skip, lints);
    cJSON *list = cJSON_AddArrayToObject(doc, "lints");
    for (size_t i = 0; i < n; i++) {
        const slaw_lint *l = &lints[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "lint", slaw_lint_name(l->kind));
        cJSON_AddBoolToObject(o, "information", l->info);
        cJSON_AddStringToObject(o, "message", l->message);
        cJSON_AddNumberToObject(o, "runs", (double)l->n_runs);
        cJSON *first = cJSON_AddArrayToObject(o, "first_runs");
        for (size_t k = 0; k < l->n_runs && k < SLAW_LINT_FIRST_RUNS; k++) {
            const char *file;
            long line;
            slaw_runs_source(runs, l->runs[k], &file, &line);
            cJSON *r = cJSON_CreateObject();
            cJSON_AddStringToObject(r, "file", file);
            cJSON_AddNumberToObject(r, "line", (double)line);
            cJSON_AddItemToArray(first, r);
        }
        cJSON_AddItemToArray(list, o);
    }
}
