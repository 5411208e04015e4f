/* runs_roles.c — which column is N, D, C, L (and group, weight), and are their
 * values usable.  Detection uses header aliases, compared after dropping
 * case and separators; explicit columns always win. */
#include "json_path.h"
#include "runs.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Aliases in normalised form (lower case, no ' ', '_', '-', '.', '/'). */
static const struct {
    slaw_role role;
    const char *alias;
} aliases[] = {
    {SLAW_ROLE_N, "n"},
    {SLAW_ROLE_N, "params"},
    {SLAW_ROLE_N, "nparams"},
    {SLAW_ROLE_N, "numparams"},
    {SLAW_ROLE_N, "parameters"},
    {SLAW_ROLE_N, "nparameters"},
    {SLAW_ROLE_N, "numparameters"},
    {SLAW_ROLE_N, "modelsize"},
    {SLAW_ROLE_N, "modelparams"},
    {SLAW_ROLE_D, "d"},
    {SLAW_ROLE_D, "tokens"},
    {SLAW_ROLE_D, "ntokens"},
    {SLAW_ROLE_D, "numtokens"},
    {SLAW_ROLE_D, "traintokens"},
    {SLAW_ROLE_D, "trainingtokens"},
    {SLAW_ROLE_D, "data"},
    {SLAW_ROLE_C, "c"},
    {SLAW_ROLE_C, "flops"},
    {SLAW_ROLE_C, "compute"},
    {SLAW_ROLE_C, "trainingflop"},
    {SLAW_ROLE_C, "trainingflops"},
    {SLAW_ROLE_C, "totalflops"},
    {SLAW_ROLE_L, "l"},
    {SLAW_ROLE_L, "loss"},
    {SLAW_ROLE_L, "valloss"},
    {SLAW_ROLE_L, "validloss"},
    {SLAW_ROLE_L, "validationloss"},
    {SLAW_ROLE_L, "evalloss"},
    {SLAW_ROLE_L, "finalloss"},
    {SLAW_ROLE_U, "u"},
    {SLAW_ROLE_U, "unique"},
    {SLAW_ROLE_U, "uniquetokens"},
    {SLAW_ROLE_U, "uniquedata"},
    {SLAW_ROLE_M, "m"},
    {SLAW_ROLE_M, "tokensperparam"},
    {SLAW_ROLE_M, "tokensperparameter"},
    {SLAW_ROLE_R, "r"},
    {SLAW_ROLE_R, "repetitions"},
    {SLAW_ROLE_S, "s"},
    {SLAW_ROLE_S, "steps"},
    {SLAW_ROLE_S, "trainsteps"},
    {SLAW_ROLE_S, "numsteps"},
    {SLAW_ROLE_B, "b"},
    {SLAW_ROLE_B, "batchsize"},
    {SLAW_ROLE_B, "bs"},
    {SLAW_ROLE_B, "globalbatchsize"},
    {SLAW_ROLE_LR, "lr"},
    {SLAW_ROLE_LR, "learningrate"},
    {SLAW_ROLE_LR, "peaklr"},
};

/* What each role is called: its key (messages name its column as the
 * load option role_column[KEY]), the symbol laws and formulas write, its
 * meaning. */
static const struct {
    const char *name, *symbol, *meaning;
} role_info[SLAW_ROLE_COUNT] = {
    [SLAW_ROLE_N] = {"N", "N", "model size"},
    [SLAW_ROLE_D] = {"D", "D", "training tokens"},
    [SLAW_ROLE_C] = {"C", "C", "training compute"},
    [SLAW_ROLE_L] = {"L", "L", "target"},
    [SLAW_ROLE_GROUP] = {"group", "group", "group"},
    [SLAW_ROLE_WEIGHT] = {"weight", "weight", "weight"},
    [SLAW_ROLE_U] = {"U", "U", "unique tokens"},
    [SLAW_ROLE_M] = {"M", "M", "tokens per parameter, D/N"},
    [SLAW_ROLE_R] = {"R", "R", "repetitions, D/U - 1"},
    [SLAW_ROLE_S] = {"S", "S", "training steps"},
    [SLAW_ROLE_B] = {"B", "B", "batch size"},
    [SLAW_ROLE_LR] = {"LR", "LR", "learning rate"},
    [SLAW_ROLE_LOSS] = {"L_input", "L", "loss, as an input"},
    [SLAW_ROLE_X] = {"x", "x", "a generic variable"},
};

const char *slaw_role_name(slaw_role role)
{
    return role < SLAW_ROLE_COUNT ? role_info[role].name : "?";
}

const char *slaw_role_symbol(slaw_role role)
{
    return role < SLAW_ROLE_COUNT ? role_info[role].symbol : "?";
}

const char *slaw_role_meaning(slaw_role role)
{
    return role < SLAW_ROLE_COUNT ? role_info[role].meaning : "?";
}

bool slaw_role_from_symbol(const char *symbol, size_t len, slaw_role *out)
{
    for (int k = 0; k < SLAW_ROLE_COUNT; k++) {
        if (k == SLAW_ROLE_L || k == SLAW_ROLE_GROUP || k == SLAW_ROLE_WEIGHT) continue;
        const char *s = role_info[k].symbol;
        if (strlen(s) == len && !memcmp(s, symbol, len)) {
            *out = (slaw_role)k;
            return true;
        }
    }
    return false;
}

/* "role_column[N] params": how the caller named role's column. */
static const char *given_text(slaw_role role, const char *col_name, char *buf, size_t size)
{
    snprintf(buf, size, "role_column[%s] %s", role_info[role].name, col_name);
    return buf;
}

void roles_option(slaw_error *err, slaw_role role)
{
    char field[64];
    snprintf(field, sizeof field, "role_column[%s]", role_info[role].name);
    error_option(err, field);
}

static const char *alias_of(slaw_role role, const char *normalized)
{
    if (role == SLAW_ROLE_LOSS) role = SLAW_ROLE_L; /* the loss, whatever it is for */
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        if (aliases[i].role == role && !strcmp(aliases[i].alias, normalized))
            return aliases[i].alias;
    return NULL;
}

/* Whether col is bound to a role other than role. */
static bool bound_elsewhere(const slaw_runs *r, size_t col, slaw_role role)
{
    for (int k = 0; k < SLAW_ROLE_COUNT; k++)
        if (k != (int)role && r->role[k].source != SLAW_SOURCE_NONE && r->role[k].col == col)
            return true;
    return false;
}

/* Every column, quoted, as much as fits in buf. */
static void list_columns(const slaw_runs *r, char *buf, size_t size)
{
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < r->n_cols && o + 8 < size; i++) {
        int n = snprintf(buf + o, size - o, "%s'%s'", i ? ", " : "", r->cols[i].name);
        if (n < 0 || (size_t)n >= size - o - 24) {
            snprintf(buf + o, size - o, ", ... (%zu more)", r->n_cols - i);
            break;
        }
        o += (size_t)n;
    }
}

/* Leaves role unbound with the problem in err; a strict load fails with
 * it (the message completed by tail). */
static slaw_status unsettled(slaw_runs *r, slaw_role role, const slaw_load_options *opt,
                             const char *tail, slaw_error *err)
{
    slaw_error *p = &r->role[role].problem;
    if (opt->lenient_roles) return SLAW_OK;
    if (err) {
        *err = *p;
        size_t o = strlen(err->message);
        snprintf(err->message + o, sizeof err->message - o, "%s", tail);
    }
    return p->code;
}

/* "role_column[N] params: no such column (did you mean ...?)"; for a part
 * of a list, "role_column[group] dataset,seed: no such column 'seed'". */
static slaw_status no_such_column(slaw_runs *r, slaw_role role, const char *name, const char *part,
                                  const slaw_load_options *opt, slaw_error *err)
{
    const char *missing = part ? part : name;
    char hint[400], cols[700], tail[720], given[300];
    if (strchr(missing, '[') && !json_path_check(missing, hint + 2, sizeof hint - 4)) {
        memcpy(hint, " (", 2); /* a malformed selector */
        strcat(hint, ")");
    } else {
        columns_suggest_text(r, missing, hint, sizeof hint);
    }
    error_set(&r->role[role].problem, SLAW_EUSAGE, r->n_files == 1 ? r->files[0].name : NULL, 0,
              "%s: no such column%s%s%s%s", given_text(role, name, given, sizeof given),
              part ? " '" : "", part ? part : "", part ? "'" : "", hint);
    roles_option(&r->role[role].problem, role);
    list_columns(r, cols, sizeof cols);
    snprintf(tail, sizeof tail, "; the columns are %s", cols);
    return unsettled(r, role, opt, tail, err);
}

/* A group of several columns, "dataset,lr": one derived column joining them. */
static slaw_status join_group_columns(slaw_runs *r, const char *spec, size_t *col,
                                      const slaw_load_options *opt, slaw_error *err)
{
    size_t parts[RUNS_MAX_GROUP_PARTS], n = 0;
    for (const char *p = spec;; p++) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        char name[256];
        if (n == RUNS_MAX_GROUP_PARTS)
            return error_set_option(err, SLAW_EUSAGE, "role_column[group]",
                                    "role_column[group] %s: at most %d columns", spec,
                                    RUNS_MAX_GROUP_PARTS);
        snprintf(name, sizeof name, "%.*s", (int)len, p);
        if (!len)
            return error_set_option(err, SLAW_EUSAGE, "role_column[group]",
                                    "role_column[group] %s: an empty column name", spec);
        if (!slaw_runs_column_find(r, name, &parts[n]))
            return no_such_column(r, SLAW_ROLE_GROUP, spec, name, opt, err);
        for (size_t k = 0; k < n; k++)
            if (parts[k] == parts[n])
                return error_set_option(err, SLAW_EUSAGE, "role_column[group]",
                                        "role_column[group] %s: column '%s' is named twice", spec,
                                        r->cols[parts[n]].name);
        n++;
        if (!end) break;
        p = end;
    }
    return runs_join_columns(r, spec, parts, n, col, err);
}

static slaw_status bind_override(slaw_runs *r, slaw_role role, const char *name,
                                 const slaw_load_options *opt, slaw_error *err)
{
    size_t col;
    slaw_status st;
    if (!runs_column_lookup(r, name, strlen(name), &col) && !slaw_runs_column_find(r, name, &col)) {
        if (role != SLAW_ROLE_GROUP || !strchr(name, ','))
            return no_such_column(r, role, name, NULL, opt, err);
        if ((st = join_group_columns(r, name, &col, opt, err))) return st;
        if (r->role[role].problem.code != SLAW_OK) return SLAW_OK; /* lenient: left unbound */
    }
    for (int k = 0; k < SLAW_ROLE_COUNT; k++)
        if (r->role[k].source == SLAW_SOURCE_OVERRIDE && r->role[k].col == col)
            return error_set(err, SLAW_EUSAGE, NULL, 0, "column '%s' is given for both %s and %s",
                             r->cols[col].name, slaw_role_name((slaw_role)k), slaw_role_name(role));
    r->role[role] = (role_binding){SLAW_SOURCE_OVERRIDE, col, NULL, {0}};
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

/* The columns whose name (or, when no full name matches, whose last dotted
 * component) is an alias of role; fills up to max, returns how many. */
static size_t candidates(const slaw_runs *r, slaw_role role, size_t *cols, size_t max,
                         const char **alias)
{
    for (int pass = 0; pass < 2; pass++) {
        size_t n = 0;
        for (size_t i = 0; i < r->n_cols; i++) {
            if (r->cols[i].derived || bound_elsewhere(r, i, role)) continue;
            const char *nm = pass == 0 ? r->cols[i].name : last_component(r->cols[i].name);
            if (pass == 1 && nm == r->cols[i].name) continue;
            char norm[256];
            name_normalize(nm, strlen(nm), norm, sizeof norm);
            const char *a = alias_of(role, norm);
            if (!a) continue;
            if (n == 0 && alias) *alias = a;
            if (n < max) cols[n] = i;
            n++;
        }
        if (n) return n;
    }
    return 0;
}

/* When the candidates are the same key of successive elements of one
 * list (results.0.loss, results.1.loss), how to choose one by its keys. */
static void list_hint(const slaw_runs *r, const size_t *cols, size_t n, char *buf, size_t size)
{
    const char *first = r->cols[cols[0]].name;
    const char *dot = strchr(first, '.');
    buf[0] = '\0';
    while (dot && !(dot[1] >= '0' && dot[1] <= '9')) dot = strchr(dot + 1, '.');
    if (!dot) return;
    size_t plen = (size_t)(dot - first) + 1;                    /* "results." */
    const char *tail = dot + 1 + strspn(dot + 1, "0123456789"); /* ".loss" */
    if (*tail != '.') return;
    for (size_t i = 1; i < n; i++) {
        const char *nm = r->cols[cols[i]].name;
        if (strncmp(nm, first, plen) != 0) return; /* before reading past a shorter name */
        const char *t = nm + plen + strspn(nm + plen, "0123456789");
        if (t == nm + plen || strcmp(t, tail) != 0) return;
    }
    snprintf(buf, size,
             "; they are elements of the list '%.*s': choose one by a key's value, "
             "as %.*s[KEY=VALUE]%s",
             (int)plen - 1, first, (int)plen - 1, first, tail);
}

/* "columns 'a' (in f) and 'b' both look like ..." into buf, then which of
 * them hold the same values, so that either would do. */
static void ambiguity_text(const slaw_runs *r, slaw_role role, const size_t *cols, size_t n,
                           size_t shown, const char *file, char *buf, size_t size)
{
    size_t o = (size_t)snprintf(buf, size, "columns ");
    for (size_t i = 0; i < shown && o < size; i++) {
        const char *f = column_file(r, cols[i]);
        bool apart = file && f && strcmp(file, f) != 0;
        o += (size_t)snprintf(buf + o, size - o, "%s'%s'%s%s%s",
                              i == 0       ? ""
                              : i + 1 == n ? " and "
                                           : ", ",
                              r->cols[cols[i]].name, apart ? " (in " : "", apart ? f : "",
                              apart ? ")" : "");
    }
    if (shown < n && o < size) o += (size_t)snprintf(buf + o, size - o, " and %zu more", n - shown);
    if (o < size)
        o += (size_t)snprintf(buf + o, size - o, " %s look like %s (%s)", n == 2 ? "both" : "all",
                              slaw_role_symbol(role), role_info[role].meaning);
    list_hint(r, cols, shown, buf + (o < size ? o : size - 1), o < size ? size - o : 1);
    o += strlen(buf + (o < size ? o : size - 1));
    for (size_t i = 0; i < shown; i++)
        for (size_t j = i + 1; j < shown && o < size; j++)
            if (slaw_runs_columns_identical(r, cols[i], cols[j]))
                o += (size_t)snprintf(
                    buf + o, size - o,
                    "; '%s' and '%s' are identical column for column (either will do)",
                    r->cols[cols[i]].name, r->cols[cols[j]].name);
}

/* Binds role to the one column that looks like it. */
static slaw_status detect(slaw_runs *r, slaw_role role, const slaw_load_options *opt,
                          slaw_error *err)
{
    size_t cols[8];
    const char *alias = NULL;
    size_t n = candidates(r, role, cols, 8, &alias);
    if (n == 1) r->role[role] = (role_binding){SLAW_SOURCE_ALIAS, cols[0], alias, {0}};
    if (n <= 1) return SLAW_OK;
    /* Name the file of the last column, and the others' too when they
     * come from different inputs. */
    size_t shown = n < 8 ? n : 8;
    const char *file = column_file(r, cols[shown - 1]);
    char what[900], tail[32];
    ambiguity_text(r, role, cols, n, shown, file, what, sizeof what);
    error_set(&r->role[role].problem, SLAW_EINPUT, file, 0, "%s; name one with %s", what,
              given_text(role, "COLUMN", tail, sizeof tail));
    roles_option(&r->role[role].problem, role);
    tail[0] = '\0';
    return unsettled(r, role, opt, tail, err);
}

size_t slaw_runs_role_candidates(const slaw_runs *r, slaw_role role, size_t *cols, size_t max)
{
    if (role >= SLAW_ROLE_COUNT || role == SLAW_ROLE_GROUP || role == SLAW_ROLE_WEIGHT ||
        role == SLAW_ROLE_X)
        return 0;
    return candidates(r, role, cols, max, NULL);
}

bool slaw_runs_columns_identical(const slaw_runs *r, size_t a, size_t b)
{
    if (a >= r->n_cols || b >= r->n_cols) return false;
    const column *x = &r->cols[a], *y = &r->cols[b];
    for (size_t i = 0; i < r->n; i++) {
        bool nx = isnan(x->values[i]), ny = isnan(y->values[i]);
        if (nx != ny || (!nx && x->values[i] != y->values[i])) return false;
        const char *lx = nx ? slaw_runs_label(r, a, i) : NULL;
        const char *ly = nx ? slaw_runs_label(r, b, i) : NULL;
        if (nx && strcmp(lx ? lx : "", ly ? ly : "") != 0) return false; /* text, or missing */
    }
    return true;
}

const slaw_error *slaw_runs_role_problem(const slaw_runs *r, slaw_role role)
{
    if (role >= SLAW_ROLE_COUNT || r->role[role].problem.code == SLAW_OK) return NULL;
    return &r->role[role].problem;
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
    if (isnan(v) && !text) {
        if (r->files[r->src[i].file].format == SLAW_FORMAT_CSV) return "empty value";
        return strchr(c->name, '[') ? "missing (no element matches the selector, no such key, "
                                      "or null)"
                                    : "missing (no such key, or null)";
    }
    if (role == SLAW_ROLE_GROUP) return NULL;
    if (isnan(v) && !strcmp(text, OVERFLOW_TEXT)) return "value out of range (too large)";
    if (isnan(v)) { /* text that is not a number: say why, as the parser does */
        const char *why = "not a number";
        char quoted[64];
        double ignored;
        slaw_number_parse(text, strlen(text), &ignored, &why);
        snprintf(what, size, "'%s' is %s", quote_text(text, strlen(text), quoted, sizeof quoted),
                 why);
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

/* A column whose name makes it role's (N, D, C) but that an explicit
 * binding gave to another variable role; SIZE_MAX when none.  Left so, role
 * would be derived from the other two of N, D and C (C = 6·N·D) from values
 * that are not its own.  The generic x, the target (a cost law's --y
 * flops), a grouping and a weight may share the column: they are not
 * variables of a law of N and D. */
static size_t taken_column(const slaw_runs *r, slaw_role role, slaw_role *by)
{
    for (size_t i = 0; i < r->n_cols; i++) {
        char norm[256];
        name_normalize(r->cols[i].name, strlen(r->cols[i].name), norm, sizeof norm);
        if (r->cols[i].derived || !alias_of(role, norm)) continue;
        for (int k = 0; k < SLAW_ROLE_COUNT; k++)
            if (k != (int)role && k != SLAW_ROLE_X && k != SLAW_ROLE_L && k != SLAW_ROLE_GROUP &&
                k != SLAW_ROLE_WEIGHT && r->role[k].source == SLAW_SOURCE_OVERRIDE &&
                r->role[k].col == i) {
                *by = (slaw_role)k;
                return i;
            }
    }
    return SIZE_MAX;
}

/* Refuses a binding that took the column of N, D or C (--var U=params with
 * params the N column), rather than derive that role from the others. */
static slaw_status taken_role(slaw_runs *r, slaw_role role, const slaw_load_options *opt,
                              slaw_error *err)
{
    slaw_role by;
    size_t col = taken_column(r, role, &by);
    char given[300], want[64];
    if (col == SIZE_MAX) return SLAW_OK;
    error_set(&r->role[role].problem, SLAW_EUSAGE, NULL, 0,
              "%s: column '%s' is the %s column (%s) by its name, and a column plays one role; "
              "name %s's column with %s, or bind %s to another column",
              given_text(by, r->cols[col].name, given, sizeof given), r->cols[col].name,
              role_info[role].symbol, role_info[role].meaning, role_info[role].symbol,
              given_text(role, "COLUMN", want, sizeof want), role_info[by].symbol);
    roles_option(&r->role[role].problem, by);
    return unsettled(r, role, opt, "", err);
}

slaw_status roles_resolve(slaw_runs *r, const slaw_load_options *opt, slaw_error *err)
{
    slaw_status st;
    for (int k = 0; k < SLAW_ROLE_COUNT; k++) r->role[k] = (role_binding){0};
    for (int k = 0; k < SLAW_ROLE_COUNT; k++)
        if (opt->role_column[k] &&
            (st = bind_override(r, (slaw_role)k, opt->role_column[k], opt, err)))
            return st;
    for (int k = 0; k <= SLAW_ROLE_L; k++)
        if (r->role[k].source == SLAW_SOURCE_NONE && r->role[k].problem.code == SLAW_OK &&
            (st = detect(r, (slaw_role)k, opt, err)))
            return st;
    for (int k = SLAW_ROLE_N; k <= SLAW_ROLE_C; k++)
        if (r->role[k].source == SLAW_SOURCE_NONE && r->role[k].problem.code == SLAW_OK &&
            (st = taken_role(r, (slaw_role)k, opt, err)))
            return st;
    r->flops_per_token = opt->flops_per_token;
    return SLAW_OK;
}

slaw_status roles_detect(slaw_runs *r, slaw_role role, slaw_error *err)
{
    slaw_load_options strict;
    memset(&strict, 0, sizeof strict); /* not lenient: a problem is an error */
    return detect(r, role, &strict, err);
}

slaw_status roles_validate(const slaw_runs *r, slaw_role role, slaw_error *err)
{
    return validate(r, role, err);
}

const char *roles_given_text(slaw_role role, const char *col_name, char *buf, size_t size)
{
    return given_text(role, col_name, buf, size);
}
