/* roles.c — which column is N, D, C, L (and group, weight), and are their
 * values usable.  Detection uses header aliases, compared after dropping
 * case and separators; explicit columns always win. */
#include "internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Aliases in normalised form (lower case, no ' ', '_', '-', '.', '/'). */
static const struct {
    slaw_role role;
    const char *alias;
} aliases[] = {
    {SLAW_ROLE_N, "n"},           {SLAW_ROLE_N, "params"},        {SLAW_ROLE_N, "nparams"},
    {SLAW_ROLE_N, "numparams"},   {SLAW_ROLE_N, "parameters"},    {SLAW_ROLE_N, "nparameters"},
    {SLAW_ROLE_N, "numparameters"}, {SLAW_ROLE_N, "modelsize"},   {SLAW_ROLE_N, "modelparams"},
    {SLAW_ROLE_D, "d"},           {SLAW_ROLE_D, "tokens"},        {SLAW_ROLE_D, "ntokens"},
    {SLAW_ROLE_D, "numtokens"},   {SLAW_ROLE_D, "traintokens"},   {SLAW_ROLE_D, "trainingtokens"},
    {SLAW_ROLE_D, "data"},
    {SLAW_ROLE_C, "c"},           {SLAW_ROLE_C, "flops"},         {SLAW_ROLE_C, "compute"},
    {SLAW_ROLE_C, "trainingflop"}, {SLAW_ROLE_C, "trainingflops"}, {SLAW_ROLE_C, "totalflops"},
    {SLAW_ROLE_L, "l"},           {SLAW_ROLE_L, "loss"},          {SLAW_ROLE_L, "valloss"},
    {SLAW_ROLE_L, "validloss"},   {SLAW_ROLE_L, "validationloss"}, {SLAW_ROLE_L, "evalloss"},
    {SLAW_ROLE_L, "finalloss"},
};

/* The option that names each role's column, for hints in messages. */
static const char *const role_option[SLAW_ROLE_COUNT] = {"--n", "--d", "--c", "--y", "--by",
                                                         "--weight"};
static const char *const role_meaning[SLAW_ROLE_COUNT] = {
    "model size", "training tokens", "training compute", "target", "group", "weight"};

static const char *alias_of(slaw_role role, const char *normalized)
{
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        if (aliases[i].role == role && !strcmp(aliases[i].alias, normalized))
            return aliases[i].alias;
    return NULL;
}

static bool bound_elsewhere(const slaw_runs *r, size_t col)
{
    for (int k = 0; k < SLAW_ROLE_COUNT; k++)
        if (r->role[k].source != SLAW_SOURCE_NONE && r->role[k].col == col) return true;
    return false;
}

static void list_columns(const slaw_runs *r, char *buf, size_t size)
{
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < r->n_cols && o + 8 < size; i++) {
        int n = snprintf(buf + o, size - o, "%s'%s'", i ? ", " : "", r->cols[i].name);
        if (n < 0 || (size_t)n >= size - o) {
            snprintf(buf + o, size - o, ", ...");
            break;
        }
        o += (size_t)n;
    }
}

/* "--by dataset,seed: no such column 'seed'" names the part of a list. */
static slaw_status no_such_column(const slaw_runs *r, slaw_role role, const char *name,
                                  const char *part, slaw_error *err)
{
    char cols[600];
    list_columns(r, cols, sizeof cols);
    return error_set(err, SLAW_EUSAGE, r->n_files == 1 ? r->files[0].name : NULL, 0,
                     "%s %s: no such column%s%s%s; the columns are %s", role_option[role], name,
                     part ? " '" : "", part ? part : "", part ? "'" : "", cols);
}

/* A group of several columns, "dataset,lr": one derived column joining them. */
static slaw_status join_group_columns(slaw_runs *r, const char *spec, size_t *col, slaw_error *err)
{
    size_t parts[RUNS_MAX_GROUP_PARTS], n = 0;
    for (const char *p = spec;; p++) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        char name[256];
        if (n == RUNS_MAX_GROUP_PARTS)
            return error_set(err, SLAW_EUSAGE, NULL, 0, "--by %s: at most %d columns", spec,
                             RUNS_MAX_GROUP_PARTS);
        snprintf(name, sizeof name, "%.*s", (int)len, p);
        if (!len) return error_set(err, SLAW_EUSAGE, NULL, 0, "--by %s: an empty column name", spec);
        if (!slaw_runs_column_find(r, name, &parts[n])) return no_such_column(r, SLAW_ROLE_GROUP, spec, name, err);
        for (size_t k = 0; k < n; k++)
            if (parts[k] == parts[n])
                return error_set(err, SLAW_EUSAGE, NULL, 0, "--by %s: column '%s' is named twice",
                                 spec, r->cols[parts[n]].name);
        n++;
        if (!end) break;
        p = end;
    }
    return runs_join_columns(r, spec, parts, n, col, err);
}

static slaw_status bind_override(slaw_runs *r, slaw_role role, const char *name, slaw_error *err)
{
    size_t col;
    slaw_status st;
    if (!runs_column_lookup(r, name, strlen(name), &col) && !slaw_runs_column_find(r, name, &col)) {
        if (role != SLAW_ROLE_GROUP || !strchr(name, ',')) return no_such_column(r, role, name, NULL, err);
        if ((st = join_group_columns(r, name, &col, err))) return st;
    }
    for (int k = 0; k < SLAW_ROLE_COUNT; k++)
        if (r->role[k].source == SLAW_SOURCE_OVERRIDE && r->role[k].col == col)
            return error_set(err, SLAW_EUSAGE, NULL, 0,
                             "column '%s' is given for both %s and %s", r->cols[col].name,
                             slaw_role_name((slaw_role)k), slaw_role_name(role));
    r->role[role] = (role_binding){SLAW_SOURCE_OVERRIDE, col, NULL};
    return SLAW_OK;
}

/* The file a column's values come from: the file of its first value (the
 * only file when there is one); NULL if no run has a value. */
static const char *column_file(const slaw_runs *r, size_t col)
{
    if (r->n_files == 1) return r->files[0].name;
    const column *c = &r->cols[col];
    for (size_t i = 0; i < r->n; i++)
        if (!isnan(c->values[i]) || (c->label_at && c->label_at[i] != SIZE_MAX))
            return r->files[r->src[i].file].name;
    return NULL;
}

static const char *last_component(const char *name)
{
    const char *dot = strrchr(name, '.');
    return dot ? dot + 1 : name;
}

/* Finds the one column whose name (or, failing that, whose last dotted
 * component) is an alias of the role. */
static slaw_status detect(slaw_runs *r, slaw_role role, slaw_error *err)
{
    for (int pass = 0; pass < 2; pass++) {
        size_t found = SIZE_MAX;
        const char *alias = NULL;
        for (size_t i = 0; i < r->n_cols; i++) {
            if (r->cols[i].derived || bound_elsewhere(r, i)) continue;
            const char *nm = pass == 0 ? r->cols[i].name : last_component(r->cols[i].name);
            if (pass == 1 && nm == r->cols[i].name) continue;
            char norm[256];
            name_normalize(nm, strlen(nm), norm, sizeof norm);
            const char *a = alias_of(role, norm);
            if (!a) continue;
            if (found != SIZE_MAX) {
                /* Name the file of the later column, and the earlier one's
                 * file too when the two come from different inputs. */
                const char *file = column_file(r, i), *other = column_file(r, found);
                bool apart = file && other && strcmp(file, other) != 0;
                return error_set(err, SLAW_EINPUT, file, 0,
                                 "columns '%s'%s%s%s and '%s' both look like %s (%s); name one "
                                 "with %s COLUMN",
                                 r->cols[found].name, apart ? " (in " : "", apart ? other : "",
                                 apart ? ")" : "", r->cols[i].name, slaw_role_name(role),
                                 role_meaning[role], role_option[role]);
            }
            found = i;
            alias = a;
        }
        if (found != SIZE_MAX) {
            r->role[role] = (role_binding){SLAW_SOURCE_ALIAS, found, alias};
            return SLAW_OK;
        }
    }
    return SLAW_OK;
}

/* C = 6·N·D: when two are known the third follows. */
static slaw_status derive_third(slaw_runs *r, slaw_error *err)
{
    bool has[3];
    for (int k = 0; k < 3; k++) has[k] = r->role[k].source != SLAW_SOURCE_NONE;
    if (has[0] + has[1] + has[2] != 2) return SLAW_OK;
    slaw_role missing = !has[0] ? SLAW_ROLE_N : !has[1] ? SLAW_ROLE_D : SLAW_ROLE_C;
    const char *name = slaw_role_name(missing);
    char alt[32];
    size_t col, dummy;
    if (runs_column_lookup(r, name, strlen(name), &dummy)) {
        snprintf(alt, sizeof alt, "%s (derived)", name);
        name = alt;
    }
    slaw_status st = runs_add_derived(r, name, &col, err);
    if (st != SLAW_OK) return st;
    const double *n = has[0] ? r->cols[r->role[0].col].values : NULL;
    const double *d = has[1] ? r->cols[r->role[1].col].values : NULL;
    const double *c = has[2] ? r->cols[r->role[2].col].values : NULL;
    double *out = r->cols[col].values;
    for (size_t i = 0; i < r->n; i++) {
        if (missing == SLAW_ROLE_N) out[i] = c[i] / (6.0 * d[i]);
        else if (missing == SLAW_ROLE_D) out[i] = c[i] / (6.0 * n[i]);
        else out[i] = 6.0 * n[i] * d[i];
    }
    r->role[missing] = (role_binding){SLAW_SOURCE_DERIVED, col, NULL};
    return SLAW_OK;
}

/* An error about one cell: "file:line: record K: column 'x' (N): ..." */
static slaw_status cell_error(const slaw_runs *r, size_t run, slaw_role role, size_t col,
                              slaw_error *err, const char *what)
{
    const char *file;
    long line;
    char record[48];
    runs_where_is(r, run, &file, &line, record, sizeof record);
    return error_set(err, SLAW_EINPUT, file, line, "%scolumn '%s' (%s): %s", record,
                     r->cols[col].name, slaw_role_name(role), what);
}

/* What is wrong with a cell of a role column, or NULL if nothing. */
static const char *cell_problem(const slaw_runs *r, slaw_role role, const column *c, size_t i,
                                char *what, size_t size)
{
    double v = c->values[i];
    const char *text = c->label_at && c->label_at[i] != SIZE_MAX ? c->arena + c->label_at[i] : NULL;
    if (isnan(v) && !text)
        return r->files[r->src[i].file].format == SLAW_FORMAT_CSV ? "empty value"
                                                                   : "missing (no such key, or null)";
    if (role == SLAW_ROLE_GROUP) return NULL;
    if (isnan(v) && !strcmp(text, OVERFLOW_TEXT)) return "value out of range (too large)";
    if (isnan(v)) { /* text that is not a number: say why, as the parser does */
        const char *why = "not a number";
        char quoted[64];
        double ignored;
        slaw_number_parse(text, strlen(text), &ignored, &why);
        snprintf(what, size, "'%s' is %s", quote_text(text, strlen(text), quoted, sizeof quoted), why);
        return what;
    }
    if (role == SLAW_ROLE_L) return NULL;
    if (!isfinite(v)) return "derived value out of range (too large)"; /* 6·N·D overflowed */
    if (role == SLAW_ROLE_WEIGHT ? v >= 0 : v > 0) return NULL;
    snprintf(what, size, "%s %s, got %.6g", c->derived ? "derived value must be" : "must be",
             role == SLAW_ROLE_WEIGHT ? "zero or positive" : "positive", v);
    return what;
}

static slaw_status validate(const slaw_runs *r, slaw_role role, slaw_error *err)
{
    if (r->role[role].source == SLAW_SOURCE_NONE) return SLAW_OK;
    size_t col = r->role[role].col;
    char what[160];
    for (size_t i = 0; i < r->n; i++) {
        const char *problem = cell_problem(r, role, &r->cols[col], i, what, sizeof what);
        if (problem) return cell_error(r, i, role, col, err, problem);
    }
    return SLAW_OK;
}

slaw_status slaw_runs_validate(const slaw_runs *r, slaw_error *err)
{
    slaw_status st;
    /* Read columns first, so a bad N is blamed rather than the D derived from it. */
    for (int pass = 0; pass < 2; pass++)
        for (int k = 0; k < SLAW_ROLE_COUNT; k++)
            if ((r->role[k].source == SLAW_SOURCE_DERIVED) == (pass == 1) &&
                (st = validate(r, (slaw_role)k, err)))
                return st;
    return SLAW_OK;
}

slaw_status roles_resolve(slaw_runs *r, const slaw_load_options *opt, slaw_error *err)
{
    slaw_status st;
    for (int k = 0; k < SLAW_ROLE_COUNT; k++) r->role[k] = (role_binding){0};
    for (int k = 0; k < SLAW_ROLE_COUNT; k++)
        if (opt->role_column[k] && (st = bind_override(r, (slaw_role)k, opt->role_column[k], err)))
            return st;
    for (int k = 0; k <= SLAW_ROLE_L; k++)
        if (r->role[k].source == SLAW_SOURCE_NONE && (st = detect(r, (slaw_role)k, err)))
            return st;
    return derive_third(r, err);
}
