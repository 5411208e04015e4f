/* input.c — the options every command that reads runs shares: formats,
 * column roles and filters; then loading and filtering in one call. */
#include "input.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const cli_option input_options[] = {
    {"format-in", 0, "FMT", OPT_FORMAT_IN, "input format: csv, json or jsonl (default: detect)"},
    {"n", 0, "COL", OPT_N, "the model-size column (N), a name or dotted JSON path"},
    {"d", 0, "COL", OPT_D, "the training-tokens column (D)"},
    {"c", 0, "COL", OPT_C, "the training-compute column (C, FLOPs)"},
    {"y", 0, "COL", OPT_Y, "the target column (L; default: the loss column)"},
    {"var", 0, "ROLE=COL", OPT_VAR,
     "bind a law's variable to a column (repeatable); ROLE: N D C U M R S B LR L x"},
    {"where", 0, "EXPR", OPT_WHERE, "keep runs where 'COL OP VALUE' holds (repeatable)"},
    {"best-per", 0, "COLS", OPT_BEST_PER,
     "keep the run of lowest target per value of COLS (N,D: an LR sweep's envelope)"},
    {"mean-per", 0, "COLS", OPT_MEAN_PER,
     "average the runs per value of COLS (N,D: seeds), keeping count and spread"},
    {"drop-top-loss", 0, "K", OPT_DROP_TOP_LOSS, "drop the K runs with the highest target"},
    {"by", 0, "COL[,COL...]", OPT_BY, "the group column(s): one result per group"},
    {"weight", 0, "COL", OPT_WEIGHT,
     "a column of per-run weights, or inverse-variance (with --mean-per)"},
    {0},
};

void input_request_init(input_request *req)
{
    memset(req, 0, sizeof *req);
    slaw_load_options_init(&req->load);
}

/* --best-per / --mean-per COLS: the key's columns, split at commas. */
static int parse_per(const cli_command *cmd, input_request *req, option_id id, const char *arg)
{
    const char *option = id == OPT_BEST_PER ? "--best-per" : "--mean-per";
    slaw_per_keep keep = id == OPT_BEST_PER ? SLAW_PER_BEST : SLAW_PER_MEAN;
    size_t max = sizeof req->per_columns / sizeof req->per_columns[0];
    if (req->per.keep != SLAW_PER_NONE)
        return cli_usage_error(cmd, "%s %s: give one of --best-per and --mean-per, once", option,
                               arg);
    if (strlen(arg) >= sizeof req->per_text)
        return cli_usage_error(cmd, "%s: the list of columns is too long", option);
    strcpy(req->per_text, arg);
    req->per.n_columns = 0;
    for (char *p = req->per_text;; p++) {
        char *end = p + strcspn(p, ",");
        bool last = !*end;
        *end = '\0';
        if (!*p)
            return cli_usage_error(cmd, "%s '%s': expected columns separated by commas, e.g. N,D",
                                   option, arg);
        if (req->per.n_columns == max)
            return cli_usage_error(cmd, "%s: at most %zu columns", option, max);
        req->per_columns[req->per.n_columns++] = p;
        if (last) break;
        p = end;
    }
    req->per.keep = keep;
    req->per.columns = req->per_columns;
    return 0;
}

int parse_var(const cli_command *cmd, const char *arg, slaw_role *role, const char **column)
{
    const char *eq = strchr(arg, '=');
    if (!eq || eq == arg || !eq[1])
        return cli_usage_error(cmd, "--var '%s': expected ROLE=COLUMN, e.g. U=unique_tokens", arg);
    if (!slaw_role_from_symbol(arg, (size_t)(eq - arg), role))
        return cli_usage_error(cmd,
                               "--var '%s': unknown role '%.*s' (the roles are N, D, C, U, "
                               "M, R, S, B, LR, L and x)",
                               arg, (int)(eq - arg), arg);
    *column = eq + 1;
    return 0;
}

/* --var ROLE=COLUMN: the role's column, as --n, --d, --c give theirs; x
 * is a fit's (fit_or_input_option). */
static int input_var(const cli_command *cmd, input_request *req, const char *arg)
{
    slaw_role role;
    const char *column = NULL;
    int st = parse_var(cmd, arg, &role, &column);
    if (st) return st;
    if (role == SLAW_ROLE_X)
        return cli_usage_error(cmd,
                               "--var '%s': x is the variable of a fit (--x); this command "
                               "reads the fit's",
                               arg);
    req->load.role_column[role] = column;
    return 0;
}

int input_option(const cli_command *cmd, input_request *req, option_id id, const char *arg)
{
    switch (id) {
    case OPT_VAR: return input_var(cmd, req, arg);
    case OPT_BEST_PER:
    case OPT_MEAN_PER: return parse_per(cmd, req, id, arg);
    case OPT_FORMAT_IN:
        if (!strcmp(arg, "csv")) req->load.format = SLAW_FORMAT_CSV;
        else if (!strcmp(arg, "json")) req->load.format = SLAW_FORMAT_JSON;
        else if (!strcmp(arg, "jsonl") || !strcmp(arg, "ndjson"))
            req->load.format = SLAW_FORMAT_JSONL;
        else return cli_usage_error(cmd, "--format-in '%s': expected csv, json or jsonl", arg);
        return 0;
    case OPT_N: req->load.role_column[SLAW_ROLE_N] = arg; return 0;
    case OPT_D: req->load.role_column[SLAW_ROLE_D] = arg; return 0;
    case OPT_C: req->load.role_column[SLAW_ROLE_C] = arg; return 0;
    case OPT_Y: req->load.role_column[SLAW_ROLE_L] = arg; return 0;
    case OPT_BY: req->load.role_column[SLAW_ROLE_GROUP] = arg; return 0;
    case OPT_WEIGHT:
        /* The weights of means, computed: a keyword, not a column. */
        if (!strcmp(arg, "inverse-variance")) req->per.inverse_variance = true;
        else req->load.role_column[SLAW_ROLE_WEIGHT] = arg;
        return 0;
    case OPT_WHERE:
        if (req->n_where == sizeof req->where / sizeof req->where[0])
            return cli_usage_error(cmd, "too many --where options (at most %zu)",
                                   sizeof req->where / sizeof req->where[0]);
        req->where[req->n_where++] = arg;
        return 0;
    case OPT_DROP_TOP_LOSS:
        return parse_count(cmd, "--drop-top-loss", arg, &req->drop_top) ? 0 : EXIT_USAGE;
    default: return 1;
    }
}

void per_text(const slaw_per_options *per, char *buf, size_t size)
{
    size_t o =
        (size_t)snprintf(buf, size, "--%s-per ", per->keep == SLAW_PER_MEAN ? "mean" : "best");
    for (size_t i = 0; i < per->n_columns && o < size; i++)
        o += (size_t)snprintf(buf + o, size - o, "%s%s", i ? "," : "", per->columns[i]);
}

int unsettled_role_error(const slaw_runs *runs, bool missing_only)
{
    for (int k = 0; k < SLAW_ROLE_COUNT; k++) {
        const slaw_error *p = slaw_runs_role_problem(runs, (slaw_role)k);
        if (!p || (missing_only && p->code != SLAW_EUSAGE)) continue;
        char text[2048];
        cli_error_text(p, text, sizeof text);
        if (p->code != SLAW_EUSAGE) { /* several candidates: the message names them */
            cli_errorf("%s", text);
            return cli_exit_code(p->code);
        }
        char *list = NULL; /* no such column: every column, however many */
        size_t len = 0;
        FILE *f = open_memstream(&list, &len);
        if (!f) return cli_exit_code(SLAW_ENOMEM);
        for (size_t i = 0, n = 0; i < slaw_runs_column_count(runs); i++)
            if (!slaw_runs_column_is_derived(runs, i))
                fprintf(f, "%s'%s'", n++ ? ", " : "", slaw_runs_column_name(runs, i));
        if (fclose(f) != 0) {
            free(list);
            return cli_exit_code(SLAW_ENOMEM);
        }
        cli_errorf("%s; the columns are %s", text, list);
        free(list);
        return cli_exit_code(p->code);
    }
    return 0;
}

int input_load(const input_request *req, char **paths, size_t n_paths, loaded_runs *out)
{
    slaw_error err;
    slaw_load_options load = req->load;
    const char *extra[64];
    char where_cols[32][256]; /* as long as slaw_runs_where reads */
    size_t n_extra = 0;
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < req->n_extra; i++) extra[n_extra++] = req->extra[i];
    for (size_t i = 0; i < req->n_where; i++) {
        /* JSON loading reaches the column by path; a malformed expression
         * is reported by the filter. */
        if (slaw_where_column(req->where[i], where_cols[i], sizeof where_cols[i]))
            extra[n_extra++] = where_cols[i];
    }
    for (size_t i = 0; i < req->per.n_columns && n_extra < sizeof extra / sizeof extra[0]; i++)
        extra[n_extra++] = req->per.columns[i];
    load.extra_columns = extra;
    load.n_extra_columns = n_extra;
    load.lenient_roles = true; /* to list every column, or show the candidates */

    if (slaw_runs_load((const char *const *)paths, n_paths, &load, &out->runs, &err) != SLAW_OK)
        return cli_fail(&err);
    int st = req->show_unsettled ? 0 : unsettled_role_error(out->runs, false);
    if (st) {
        loaded_runs_free(out);
        return st;
    }
    out->read = slaw_runs_count(out->runs);
    if (req->defer_filters) return 0;
    size_t removed[sizeof out->filters / sizeof out->filters[0]] = {0};
    if (slaw_runs_filter(out->runs, (const char *const *)req->where, req->n_where, &req->per,
                         req->drop_top, removed, &err) != SLAW_OK) {
        loaded_runs_free(out);
        return cli_fail(&err);
    }
    for (size_t i = 0; i < req->n_where; i++)
        snprintf(out->filters[i].what, sizeof out->filters[i].what, "--where '%s'", req->where[i]);
    out->n_filters = req->n_where;
    if (req->per.keep != SLAW_PER_NONE)
        per_text(&req->per, out->filters[out->n_filters++].what, sizeof out->filters[0].what);
    if (req->drop_top)
        snprintf(out->filters[out->n_filters++].what, sizeof out->filters[0].what,
                 "--drop-top-loss %zu", req->drop_top);
    size_t left = out->read;
    for (size_t i = 0; i < out->n_filters; i++) {
        out->filters[i].removed = removed[i];
        out->filters[i].kept = left -= removed[i];
    }
    return 0;
}

void input_request_as_fitted(input_request *req, const slaw_artifact *a)
{
    slaw_fit_options opt;
    slaw_artifact_options(a, &opt);
    for (int k = 0; k < SLAW_ROLE_COUNT; k++) {
        bool was_given;
        const char *col = slaw_artifact_role_column(a, (slaw_role)k, &was_given);
        if (col && was_given && !req->load.role_column[k]) req->load.role_column[k] = col;
    }
    req->n_where = 0;
    for (size_t i = 0; i < opt.n_where && i < sizeof req->where / sizeof req->where[0]; i++)
        req->where[req->n_where++] = opt.where[i];
    req->drop_top = opt.drop_top;
    req->per = opt.per;
    const char *extra[] = {opt.x, opt.bootstrap_by};
    for (size_t i = 0; i < 2; i++)
        if (extra[i] && req->n_extra < sizeof req->extra / sizeof req->extra[0])
            req->extra[req->n_extra++] = extra[i];
}

int refuse_overwriting_input(const cli_command *cmd, const char *out, char **inputs, size_t n)
{
    return refuse_overwriting(cmd, "--out", out, inputs, n);
}

int refuse_overwriting(const cli_command *cmd, const char *option, const char *out, char **inputs,
                       size_t n)
{
    struct stat so, si;
    bool out_exists = stat(out, &so) == 0;
    for (size_t i = 0; i < n; i++) {
        bool same = !strcmp(out, inputs[i]) || (out_exists && stat(inputs[i], &si) == 0 &&
                                                si.st_dev == so.st_dev && si.st_ino == so.st_ino);
        if (same)
            return cli_usage_error(cmd,
                                   "%s %s is one of the inputs; slaw never writes over "
                                   "its input",
                                   option, out);
    }
    return 0;
}

void loaded_runs_free(loaded_runs *lr)
{
    slaw_runs_free(lr->runs);
    lr->runs = NULL;
}

int artifact_load(const char *path, slaw_artifact **out)
{
    slaw_error err;
    if (slaw_artifact_read(path, out, &err) == SLAW_OK) return 0;
    return cli_fail(&err);
}
