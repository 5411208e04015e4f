/* input.c — the options every command that reads runs shares: formats,
 * column roles and filters; loading, and the selection of runs the filters
 * build (applied here, or by the fit). */
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

void step_text(const slaw_step *step, char *buf, size_t size)
{
    const slaw_per_options *per = &step->per;
    size_t o;
    switch (step->kind) {
    case SLAW_STEP_WHERE: snprintf(buf, size, "--where '%s'", step->text); return;
    case SLAW_STEP_DROP_TOP: snprintf(buf, size, "--drop-top-loss %zu", step->count); return;
    case SLAW_STEP_PER:
        o = (size_t)snprintf(buf, size, "--%s-per ", per->keep == SLAW_PER_MEAN ? "mean" : "best");
        for (size_t i = 0; i < per->n_columns && o < size; i++)
            o += (size_t)snprintf(buf + o, size - o, "%s%s", i ? "," : "", per->columns[i]);
        return;
    }
    snprintf(buf, size, "?");
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

/* The columns the request's selection reads, which JSON loading reaches by
 * path (a malformed --where is reported when the selection is built). */
static size_t selection_columns(const input_request *req, const char **extra, size_t n, size_t max,
                                char (*where_cols)[256])
{
    n += slaw_selection_columns(req->fitted, extra + n, max - n);
    for (size_t i = 0; i < req->n_where && n < max; i++)
        if (slaw_where_column(req->where[i], where_cols[i], sizeof where_cols[i]))
            extra[n++] = where_cols[i];
    for (size_t i = 0; i < req->per.n_columns && n < max; i++) extra[n++] = req->per.columns[i];
    return n;
}

/* The command line's steps in their fixed order (where, per key, drop top),
 * after an artifact's leading where steps when there is one. */
static slaw_status build_selection(const input_request *req, slaw_selection **out, slaw_error *err)
{
    slaw_selection *own = slaw_selection_new();
    slaw_status st = own ? SLAW_OK : SLAW_ENOMEM;
    if (!own) *err = (slaw_error){.code = SLAW_ENOMEM, .message = "out of memory"};
    for (size_t i = 0; i < req->n_where && st == SLAW_OK; i++)
        st = slaw_selection_add_where(own, req->where[i], err);
    if (st == SLAW_OK && (req->per.keep != SLAW_PER_NONE || req->per.inverse_variance)) {
        slaw_step per = {.kind = SLAW_STEP_PER, .per = req->per};
        st = slaw_selection_add(own, &per, err);
    }
    if (st == SLAW_OK && req->drop_top) {
        slaw_step drop = {.kind = SLAW_STEP_DROP_TOP, .count = req->drop_top};
        st = slaw_selection_add(own, &drop, err);
    }
    if (st == SLAW_OK && req->fitted) {
        slaw_selection *merged = NULL;
        st = slaw_selection_merge(req->fitted, own, &merged, err);
        slaw_selection_free(own);
        own = merged;
    }
    if (st == SLAW_OK) *out = own;
    else slaw_selection_free(own);
    return st;
}

int input_load(const input_request *req, char **paths, size_t n_paths, loaded_runs *out)
{
    slaw_error err;
    slaw_load_options load = req->load;
    const char *extra[96];
    char where_cols[32][256]; /* as long as slaw_runs_where reads */
    size_t n_extra = 0;
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < req->n_extra; i++) extra[n_extra++] = req->extra[i];
    n_extra = selection_columns(req, extra, n_extra, sizeof extra / sizeof extra[0], where_cols);
    load.extra_columns = extra;
    load.n_extra_columns = n_extra;
    load.lenient_roles = true; /* to list every column, or show the candidates */

    if (slaw_runs_load((const char *const *)paths, n_paths, &load, &out->runs, &err) != SLAW_OK)
        return cli_fail(&err);
    int st = req->show_unsettled ? 0 : unsettled_role_error(out->runs, false);
    if (!st && build_selection(req, &out->selection, &err) != SLAW_OK) st = cli_fail(&err);
    if (st) {
        loaded_runs_free(out);
        return st;
    }
    out->read = slaw_runs_count(out->runs);
    return 0;
}

int input_select(loaded_runs *lr)
{
    slaw_error err;
    size_t n = slaw_selection_count(lr->selection);
    size_t removed[sizeof lr->filters / sizeof lr->filters[0]] = {0};
    if (n > sizeof removed / sizeof removed[0]) {
        cli_errorf("too many filters (at most %zu)", sizeof removed / sizeof removed[0]);
        return EXIT_USAGE;
    }
    if (slaw_selection_apply(lr->selection, lr->runs, removed, &err) != SLAW_OK)
        return cli_fail(&err);
    size_t left = lr->read;
    for (size_t i = 0; i < n; i++) {
        filter_report *f = &lr->filters[i];
        step_text(slaw_selection_step(lr->selection, i), f->what, sizeof f->what);
        f->removed = removed[i];
        f->kept = left -= removed[i];
    }
    lr->n_filters = n;
    return 0;
}

int input_load_selected(const input_request *req, char **paths, size_t n_paths, loaded_runs *out)
{
    int st = input_load(req, paths, n_paths, out);
    if (!st && (st = input_select(out))) loaded_runs_free(out);
    return st;
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
    req->fitted = slaw_artifact_selection(a);
    req->n_where = 0;
    req->drop_top = 0;
    req->per = (slaw_per_options){0};
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
    slaw_selection_free(lr->selection);
    lr->runs = NULL;
    lr->selection = NULL;
}

int artifact_load(const char *path, slaw_artifact **out)
{
    slaw_error err;
    if (slaw_artifact_read(path, out, &err) == SLAW_OK) return 0;
    return cli_fail(&err);
}
