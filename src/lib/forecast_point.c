/* forecast_point.c — forecast points as people write them: "N=70B,D=1.4T",
 * "N=70B,C=5.76e23", "x=1e9"; a small language read from options and
 * files, so every malformed input gets a precise message. */
#include "artifact.h"
#include "forecast.h"

#include <ctype.h>
#include <math.h>
#include <string.h>

void slaw_point_init(slaw_point *p)
{
    memset(p, 0, sizeof *p);
    p->N = p->D = p->C = p->x = p->U = NAN;
    p->M = p->R = p->S = p->B = p->LR = p->L = NAN;
}

/* The field of role in p, or NULL for a role a point has none of. */
static double *role_slot(slaw_point *p, slaw_role role)
{
    switch (role) {
    case SLAW_ROLE_N: return &p->N;
    case SLAW_ROLE_D: return &p->D;
    case SLAW_ROLE_C: return &p->C;
    case SLAW_ROLE_U: return &p->U;
    case SLAW_ROLE_M: return &p->M;
    case SLAW_ROLE_R: return &p->R;
    case SLAW_ROLE_S: return &p->S;
    case SLAW_ROLE_B: return &p->B;
    case SLAW_ROLE_LR: return &p->LR;
    case SLAW_ROLE_LOSS: return &p->L;
    case SLAW_ROLE_X: return &p->x;
    default: return NULL;
    }
}

double slaw_point_role(const slaw_point *p, slaw_role role)
{
    double *slot = role_slot((slaw_point *)p, role);
    return slot ? *slot : NAN;
}

/* The given value named name in p: its column among the named ones. */
static double named_value(const slaw_point *p, const char *name)
{
    for (size_t k = 0; name && k < p->n_named; k++)
        if (!strcmp(p->name[k], name)) return p->named[k];
    return NAN;
}

static bool role_named(const char *name, size_t len, slaw_role *out);

/* The role a point's item of the same name fills, for a formula's column
 * named like a role (x, lr): SLAW_ROLE_COUNT when none. */
static slaw_role column_role(const slaw_law *law, size_t v)
{
    const char *name = law_var_name(law, v);
    slaw_role role;
    if (law->vars[v] != SLAW_ROLE_COUNT || !role_named(name, strlen(name), &role))
        return SLAW_ROLE_COUNT;
    return role;
}

double point_var_value(const slaw_point *p, const slaw_law *law, size_t v)
{
    slaw_role role = law->vars[v];
    if (role < SLAW_ROLE_COUNT) return slaw_point_role(p, role);
    double x = named_value(p, law_var_name(law, v));
    role = column_role(law, v); /* "x=-1" for a formula's column x */
    return isnan(x) && role < SLAW_ROLE_COUNT ? slaw_point_role(p, role) : x;
}

void slaw_point_fill(slaw_point *p, const slaw_point *defaults)
{
    static const slaw_role roles[] = {SLAW_ROLE_U, SLAW_ROLE_R,  SLAW_ROLE_S,
                                      SLAW_ROLE_B, SLAW_ROLE_LR, SLAW_ROLE_LOSS};
    for (size_t k = 0; k < sizeof roles / sizeof roles[0]; k++) {
        double *slot = role_slot(p, roles[k]);
        if (isnan(*slot)) *slot = slaw_point_role(defaults, roles[k]);
    }
    for (size_t k = 0; k < defaults->n_named && p->n_named < SLAW_MAX_VARS; k++)
        if (isnan(named_value(p, defaults->name[k]))) {
            memcpy(p->name[p->n_named], defaults->name[k], SLAW_POINT_NAME);
            p->named[p->n_named++] = defaults->named[k];
        }
}

/* The role a point's name stands for: a role's symbol in either case. */
static bool role_named(const char *name, size_t len, slaw_role *out)
{
    char up[8];
    if (len == 1 && (name[0] == 'x' || name[0] == 'X')) {
        *out = SLAW_ROLE_X;
        return true;
    }
    if (len >= sizeof up) return false;
    for (size_t i = 0; i < len; i++) up[i] = (char)toupper((unsigned char)name[i]);
    return slaw_role_from_symbol(up, len, out) && *out != SLAW_ROLE_X;
}

/* Roles whose values are sizes, positive by nature. */
static bool positive_role(slaw_role role)
{
    return role == SLAW_ROLE_N || role == SLAW_ROLE_D || role == SLAW_ROLE_C ||
           role == SLAW_ROLE_U || role == SLAW_ROLE_M || role == SLAW_ROLE_S ||
           role == SLAW_ROLE_B || role == SLAW_ROLE_LR;
}

static bool identifier(const char *s, size_t len)
{
    if (!len || !(isalpha((unsigned char)s[0]) || s[0] == '_')) return false;
    for (size_t i = 1; i < len; i++)
        if (!isalnum((unsigned char)s[i]) && s[i] != '_' && s[i] != '.') return false;
    return true;
}

static void trim(const char **s, size_t *len)
{
    while (*len && isspace((unsigned char)**s)) (*s)++, (*len)--;
    while (*len && isspace((unsigned char)(*s)[*len - 1])) (*len)--;
}

/* Fills err for the item at offset (0-based) of the spec. */
static slaw_status point_error(slaw_error *err, size_t offset, const char *fmt, ...)
    SLAW_PRINTF(3, 4);

static slaw_status point_error(slaw_error *err, size_t offset, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    error_setv(err, SLAW_EUSAGE, NULL, 0, fmt, ap);
    va_end(ap);
    if (err) err->column = (long)offset + 1;
    return SLAW_EUSAGE;
}

/* The slot for the name of an item: a role's field, or a new named one. */
static slaw_status item_slot(slaw_point *p, const char *name, size_t len, const char *q,
                             size_t offset, double **slot, slaw_role *role, slaw_error *err)
{
    char qv[SLAW_POINT_NAME];
    quote_text(name, len, qv, sizeof qv);
    *role = SLAW_ROLE_COUNT;
    if (role_named(name, len, role)) {
        *slot = role_slot(p, *role);
        if (!isnan(**slot))
            return point_error(err, offset, "%s is given twice", slaw_role_symbol(*role));
        return SLAW_OK;
    }
    if (!identifier(name, len) || len >= SLAW_POINT_NAME)
        return point_error(err, offset,
                           "'%s': unknown variable '%s' (the variables are the roles N, D, C, "
                           "U, M, R, S, B, LR, L and x, and a formula's column names)",
                           q, qv);
    for (size_t k = 0; k < p->n_named; k++)
        if (strlen(p->name[k]) == len && !memcmp(p->name[k], name, len))
            return point_error(err, offset, "%s is given twice", qv);
    if (p->n_named == SLAW_MAX_VARS)
        return point_error(err, offset, "'%s': more than %d variables named by column", q,
                           SLAW_MAX_VARS);
    memcpy(p->name[p->n_named], name, len);
    p->name[p->n_named][len] = '\0';
    p->named[p->n_named] = NAN;
    *slot = &p->named[p->n_named++];
    return SLAW_OK;
}

/* One "NAME=VALUE" item, already trimmed, at offset in the spec. */
static slaw_status parse_item(const char *item, size_t len, size_t offset, slaw_point *p,
                              slaw_error *err)
{
    char q[64], canon[SLAW_POINT_NAME];
    const char *eq = memchr(item, '=', len), *why;
    quote_text(item, len, q, sizeof q);
    if (!eq) return point_error(err, offset, "'%s': expected NAME=VALUE, e.g. N=70B", q);
    const char *name = item, *value = eq + 1;
    size_t name_len = (size_t)(eq - item), value_len = len - name_len - 1;
    trim(&name, &name_len);
    trim(&value, &value_len);
    if (!name_len) return point_error(err, offset, "'%s': no variable before '='", q);
    double *slot = NULL, v;
    slaw_role role;
    slaw_status st = item_slot(p, name, name_len, q, offset, &slot, &role, err);
    if (st != SLAW_OK) return st;
    if (role < SLAW_ROLE_COUNT) snprintf(canon, sizeof canon, "%s", slaw_role_symbol(role));
    else quote_text(name, name_len, canon, sizeof canon);
    if (slaw_number_parse(value, value_len, &v, &why) != SLAW_OK)
        return point_error(err, offset, "'%s': the value of %s is %s", q, canon, why);
    if (positive_role(role) && !(v > 0))
        return point_error(err, offset, "'%s': %s must be positive", q, canon);
    *slot = v;
    return SLAW_OK;
}

slaw_status slaw_point_set(slaw_point *p, const char *name, double value, slaw_error *err)
{
    double *slot = NULL;
    slaw_role role;
    slaw_status st = item_slot(p, name, strlen(name), name, 0, &slot, &role, err);
    if (st == SLAW_OK) *slot = value;
    return st;
}

slaw_status slaw_point_parse(const char *spec, slaw_point *out, slaw_error *err)
{
    slaw_point p;
    size_t len = strlen(spec), i = 0;
    slaw_point_init(&p);
    const char *s = spec;
    size_t all = len;
    trim(&s, &all);
    if (!all)
        return point_error(err, 0, "empty point: expected NAME=VALUE,... such as N=70B,D=1.4T");
    for (;;) {
        size_t end = i + strcspn(spec + i, ",");
        const char *item = spec + i;
        size_t item_len = end - i;
        trim(&item, &item_len);
        if (!item_len)
            return point_error(err, i, "empty item at column %zu: expected NAME=VALUE", i + 1);
        slaw_status st = parse_item(item, item_len, (size_t)(item - spec), &p, err);
        if (st != SLAW_OK) return st;
        if (end == len) break;
        i = end + 1;
    }
    *out = p;
    return SLAW_OK;
}

static bool usable(double v)
{
    return v > 0 && isfinite(v);
}

/* The first value given of a role a one-variable law never reads (all but
 * N, D, C, x and, for a law of the loss, L, which its own messages handle),
 * or NULL. */
static const char *beyond_one(const slaw_point *p, bool loss)
{
    static const slaw_role others[] = {SLAW_ROLE_U, SLAW_ROLE_M,  SLAW_ROLE_R,   SLAW_ROLE_S,
                                       SLAW_ROLE_B, SLAW_ROLE_LR, SLAW_ROLE_LOSS};
    for (size_t k = 0; k < sizeof others / sizeof others[0]; k++)
        if (!isnan(slaw_point_role(p, others[k])) && !(loss && others[k] == SLAW_ROLE_LOSS))
            return slaw_role_symbol(others[k]);
    return p->n_named ? p->name[0] : NULL;
}

/* The one variable's value, checked positive (a built-in law's). */
static slaw_status one_value(const slaw_law *law, double v, double *vars, slaw_error *err)
{
    if (!(v > 0) || !isfinite(v))
        return error_set(err, SLAW_EUSAGE, NULL, 0, "%s = %g: law %s needs a positive value",
                         slaw_law_reads_loss(law) ? "L" : "x", v, law->name);
    vars[0] = v;
    return SLAW_OK;
}

static slaw_status resolve_fitted_one(const slaw_law *law, const char *col_name, char letter,
                                      const slaw_point *p, double *vars, slaw_error *err);

static slaw_status resolve_one(const slaw_law *law, const slaw_point *p, double *vars,
                               slaw_error *err)
{
    if (slaw_law_reads_loss(law)) return resolve_fitted_one(law, NULL, 'L', p, vars, err);
    const char *other = beyond_one(p, false);
    if (other)
        return error_set(err, SLAW_EUSAGE, NULL, 0,
                         "law %s reads one variable (x): %s does not apply", law->name, other);
    if (!isnan(p->D) || !isnan(p->C))
        return error_set(err, SLAW_EUSAGE, NULL, 0,
                         "law %s reads one variable (x): %s does not "
                         "apply",
                         law->name, !isnan(p->D) ? "D" : "C");
    if (!isnan(p->x) && !isnan(p->N))
        return error_set(err, SLAW_EUSAGE, NULL, 0,
                         "x and N name the same variable of law %s: give one", law->name);
    if (isnan(p->x) && isnan(p->N))
        return error_set(err, SLAW_EUSAGE, NULL, 0,
                         "law %s reads one variable: give x=VALUE (or N=VALUE)", law->name);
    return one_value(law, isnan(p->x) ? p->N : p->x, vars, err);
}

/* The given value of variable letter ('N', 'D', 'C' or 'L', the loss) of a
 * point. */
static double letter_value(const slaw_point *p, char letter)
{
    switch (letter) {
    case 'N': return p->N;
    case 'D': return p->D;
    case 'C': return p->C;
    case 'L': return p->L;
    default: return NAN;
    }
}

/* The role letter of the column a one-variable fit read: L for a law of
 * the loss; else the column's name when it is one (a derived C is named
 * "C"), else the role the artifact bound the column to; '\0' when it played
 * none. */
static char variable_letter(const slaw_artifact *a, const slaw_law *law, const char *col_name)
{
    static const char letters[] = "NDC";
    if (slaw_law_reads_loss(law)) return 'L';
    if (col_name[0] && !col_name[1]) {
        const char *l = strchr(letters, toupper((unsigned char)col_name[0]));
        if (l && *l) return *l;
    }
    for (int k = SLAW_ROLE_N; k <= SLAW_ROLE_C; k++) {
        const char *bound = a->settings.role_column[k];
        if (bound && !strcmp(bound, col_name)) return letters[k];
    }
    return '\0';
}

/* A one-variable law's variable (letter `letter`, or '\0'), fitted on
 * column col_name (NULL: published parameters, not fitted): x or that
 * letter, not both; any other letter is refused. */
static slaw_status resolve_fitted_one(const slaw_law *law, const char *col_name, char letter,
                                      const slaw_point *p, double *vars, slaw_error *err)
{
    bool loss = slaw_law_reads_loss(law);
    char what[360], give[40];
    int o = snprintf(what, sizeof what, "law %s reads one variable, %s", law->name,
                     loss ? "the loss L" : "x");
    if (col_name && letter && !loss && (col_name[0] != letter || col_name[1]))
        snprintf(what + o, sizeof what - (size_t)o, ", fitted on %s (%c)", col_name, letter);
    else if (col_name) snprintf(what + o, sizeof what - (size_t)o, ", fitted on %s", col_name);
    else if (letter && !loss) snprintf(what + o, sizeof what - (size_t)o, " (%c)", letter);
    if (loss) snprintf(give, sizeof give, "L=VALUE or x=VALUE");
    else if (letter) snprintf(give, sizeof give, "x=VALUE or %c=VALUE", letter);
    else snprintf(give, sizeof give, "x=VALUE");
    const char *other = beyond_one(p, loss);
    if (other)
        return error_set(err, SLAW_EUSAGE, NULL, 0, "%s: %s does not apply; give %s", what, other,
                         give);
    for (const char *l = "NDC"; *l; l++)
        if (*l != letter && !isnan(letter_value(p, *l)))
            return error_set(err, SLAW_EUSAGE, NULL, 0, "%s: %c does not apply; give %s", what, *l,
                             give);
    double named = letter ? letter_value(p, letter) : NAN;
    if (!isnan(p->x) && !isnan(named))
        return error_set(err, SLAW_EUSAGE, NULL, 0,
                         "x and %c name the same variable (%s): give one", letter, what);
    if (isnan(p->x) && isnan(named))
        return error_set(err, SLAW_EUSAGE, NULL, 0, "%s: give %s", what, give);
    return one_value(law, isnan(p->x) ? named : p->x, vars, err);
}

static slaw_status resolve_two(const slaw_law *law, const slaw_point *p, double fpt, double *vars,
                               slaw_error *err)
{
    bool n = !isnan(p->N), d = !isnan(p->D), c = !isnan(p->C);
    if (!isnan(p->x))
        return error_set(err, SLAW_EUSAGE, NULL, 0,
                         "law %s reads N and D, not x: give two of N, D and C", law->name);
    if (n + d + c == 3)
        return error_set(err, SLAW_EUSAGE, NULL, 0,
                         "give two of N, D and C, not all three "
                         "(the third follows from C = 6*N*D)");
    if (n + d + c < 2)
        return error_set(err, SLAW_EUSAGE, NULL, 0,
                         "law %s reads N and D: give two of N, D and "
                         "C (e.g. N=70B,D=1.4T), not only %s",
                         law->name,
                         n   ? "N"
                         : d ? "D"
                             : "C");
    if (!n && fpt > 0)
        return error_set_option(err, SLAW_EUSAGE, "flops_per_token",
                                "flops_per_token %g counts the FLOPs from D alone: C and D say "
                                "nothing of N; give N",
                                fpt);
    double N = n ? p->N : slaw_compute_params(p->C, p->D, fpt);
    double D = d ? p->D : slaw_compute_tokens(p->C, p->N, fpt);
    double C = slaw_compute_flops(N, D, fpt);
    if (!usable(N) || !usable(D) || !usable(C))
        return error_set(err, SLAW_EUSAGE, NULL, 0,
                         "the point is out of range: N = %g, D = %g, "
                         "C = %s = %g",
                         N, D, fpt > 0 ? "flops_per_token*D" : "6*N*D", C);
    vars[0] = N;
    vars[1] = D;
    return SLAW_OK;
}

/* The roles a point may give, in the order messages name them. */
static const slaw_role point_roles[] = {SLAW_ROLE_N,  SLAW_ROLE_D,    SLAW_ROLE_C, SLAW_ROLE_U,
                                        SLAW_ROLE_M,  SLAW_ROLE_R,    SLAW_ROLE_S, SLAW_ROLE_B,
                                        SLAW_ROLE_LR, SLAW_ROLE_LOSS, SLAW_ROLE_X};

/* Roles that fix the split of a budget between N and D: two of them fix all. */
static bool allocation_role(slaw_role r)
{
    return r == SLAW_ROLE_N || r == SLAW_ROLE_D || r == SLAW_ROLE_C || r == SLAW_ROLE_M;
}

/* Whether the law reads role, or a column named as the role's symbol is
 * (a formula's x). */
static bool law_reads(const slaw_law *law, slaw_role role)
{
    for (size_t v = 0; v < law->n_vars; v++)
        if (law->vars[v] == role || column_role(law, v) == role) return true;
    return false;
}

/* A value given that the law cannot use: SLAW_EUSAGE naming it. */
static slaw_status unused_given(const slaw_law *law, const slaw_point *p, slaw_error *err)
{
    char vars[96];
    bool alloc = false;
    law_var_list(law, vars, sizeof vars);
    for (size_t v = 0; v < law->n_vars; v++)
        alloc |= allocation_role(law->vars[v]) || law->vars[v] == SLAW_ROLE_R;
    for (size_t k = 0; k < sizeof point_roles / sizeof point_roles[0]; k++) {
        slaw_role r = point_roles[k];
        if (isnan(slaw_point_role(p, r)) || law_reads(law, r)) continue;
        if (alloc && allocation_role(r)) continue;
        if (r == SLAW_ROLE_U && law_reads(law, SLAW_ROLE_R)) continue; /* R = D/U - 1 */
        return error_set(err, SLAW_EUSAGE, NULL, 0, "law %s does not read %s (it reads %s)",
                         law->name, slaw_role_symbol(r), vars);
    }
    for (size_t k = 0; k < p->n_named; k++) {
        bool read = false;
        for (size_t v = 0; v < law->n_vars; v++)
            read |= law->vars[v] == SLAW_ROLE_COUNT && !strcmp(law_var_name(law, v), p->name[k]);
        if (!read)
            return error_set(err, SLAW_EUSAGE, NULL, 0, "law %s does not read '%s' (it reads %s)",
                             law->name, p->name[k], vars);
    }
    return SLAW_OK;
}

/* N, D, C and M from the two of them the point gives (C = 6·N·D, M = D/N,
 * through slaw_compute_*), or as given when the law reads only those. */
static slaw_status allocation(const slaw_law *law, const slaw_point *p, double fpt, double *a,
                              slaw_error *err)
{
    static const char *const names[4] = {"N", "D", "C", "M"};
    double N = p->N, D = p->D, C = p->C, M = p->M;
    size_t given = !isnan(N) + !isnan(D) + !isnan(C) + !isnan(M);
    bool direct = true; /* every allocation role the law reads is given */
    for (size_t v = 0; v < law->n_vars; v++)
        if (allocation_role(law->vars[v]) && isnan(slaw_point_role(p, law->vars[v])))
            direct = false;
    if (law_reads(law, SLAW_ROLE_R) && isnan(p->R) && isnan(D)) direct = false;
    if (given > 2)
        return error_set(err, SLAW_EUSAGE, NULL, 0,
                         "give two of N, D, C and M, not more (the others follow from C = "
                         "6*N*D and M = D/N)");
    if (given < 2 && !direct) {
        char only[16] = "none";
        for (size_t k = 0; k < 4; k++)
            if (!isnan(slaw_point_role(p, (slaw_role)(k < 3 ? k : SLAW_ROLE_M))))
                snprintf(only, sizeof only, "only %s", names[k]);
        return error_set(err, SLAW_EUSAGE, NULL, 0,
                         "law %s reads %s: give two of N, D, C and M (e.g. N=70B,D=1.4T), "
                         "not %s",
                         law->name, law_var_name(law, 0), only);
    }
    if (given == 2) {
        if (!isnan(C) && !isnan(M)) N = sqrt(slaw_compute_param_tokens(C) / M);
        else if (isnan(N) && !isnan(D)) N = !isnan(M) ? D / M : slaw_compute_params(C, D, fpt);
        if (isnan(D)) D = !isnan(M) ? M * N : slaw_compute_tokens(C, N, fpt);
        if (isnan(C)) C = slaw_compute_flops(N, D, fpt);
        if (isnan(M)) M = D / N;
    }
    a[0] = N;
    a[1] = D;
    a[2] = C;
    a[3] = M;
    return SLAW_OK;
}

/* Any law but a one-variable built-in: each variable by its role (N, D,
 * C, M from two of them; R from D and U) or by its column's name. */
static slaw_status resolve_roles(const slaw_law *law, const slaw_point *p, double fpt, double *vars,
                                 slaw_error *err)
{
    double a[4] = {NAN, NAN, NAN, NAN};
    slaw_status st = unused_given(law, p, err);
    if (st == SLAW_OK) st = allocation(law, p, fpt, a, err);
    if (st != SLAW_OK) return st;
    for (size_t v = 0; v < law->n_vars; v++) {
        slaw_role role = law->vars[v];
        switch (role) {
        case SLAW_ROLE_N: vars[v] = a[0]; break;
        case SLAW_ROLE_D: vars[v] = a[1]; break;
        case SLAW_ROLE_C: vars[v] = a[2]; break;
        case SLAW_ROLE_M: vars[v] = a[3]; break;
        case SLAW_ROLE_R: vars[v] = !isnan(p->R) ? p->R : a[1] / p->U - 1; break;
        default: vars[v] = point_var_value(p, law, v);
        }
        if (isnan(vars[v]) && role < SLAW_ROLE_COUNT)
            return error_set(err, SLAW_EUSAGE, NULL, 0, "law %s reads %s (%s): give %s=VALUE too",
                             law->name, slaw_role_symbol(role), slaw_role_meaning(role),
                             role == SLAW_ROLE_R ? "R (or D and U)" : slaw_role_symbol(role));
        if (isnan(vars[v]))
            return error_set(err, SLAW_EUSAGE, NULL, 0,
                             "law %s reads the column '%s': give %s=VALUE too", law->name,
                             law_var_name(law, v), law_var_name(law, v));
        if (!law_var_admits(law, v, vars[v]))
            return error_set(err, SLAW_EUSAGE, NULL, 0,
                             "the point is out of range: %s = %g (law %s needs a %sfinite "
                             "value)",
                             law_var_name(law, v), vars[v], law->name,
                             law_var_signed(law, v) ? "" : "positive ");
    }
    return SLAW_OK;
}

/* Laws of exactly N and D take the historical path; others go by role. */
static bool plain_n_d(const slaw_law *law)
{
    return !law->program && law->n_vars == 2 && law->vars[0] == SLAW_ROLE_N &&
           law->vars[1] == SLAW_ROLE_D;
}

static slaw_status point_resolve(const slaw_law *law, const slaw_point *p, double fpt, double *vars,
                                 slaw_error *err)
{
    if (law->n_vars == 1 && !law->program) return resolve_one(law, p, vars, err);
    if (!plain_n_d(law) || !isnan(p->M)) return resolve_roles(law, p, fpt, vars, err);
    if (!isnan(p->x)) return resolve_two(law, p, fpt, vars, err); /* its message for x */
    slaw_status st = unused_given(law, p, err);
    return st == SLAW_OK ? resolve_two(law, p, fpt, vars, err) : st;
}

slaw_status slaw_point_resolve(const slaw_law *law, const slaw_point *p, double *vars,
                               slaw_error *err)
{
    return point_resolve(law, p, 0, vars, err);
}

slaw_status slaw_point_resolve_model(const slaw_artifact *a, const slaw_fit *f, const slaw_point *p,
                                     double flops_per_token, double *vars, slaw_error *err)
{
    const slaw_law *law = f->law;
    slaw_status st = compute_model_check(law, flops_per_token, err);
    if (st != SLAW_OK) return st;
    if (law->n_vars != 1 || law->program) return point_resolve(law, p, flops_per_token, vars, err);
    const char *col_name = f->vars[0] ? f->vars[0] : "N";
    char letter = variable_letter(a, law, col_name);
    /* published parameters (no runs behind them) were fitted on nothing */
    return resolve_fitted_one(law, f->stats.n ? col_name : NULL, letter, p, vars, err);
}

slaw_status slaw_point_resolve_fit(const slaw_artifact *a, const slaw_fit *f, const slaw_point *p,
                                   double *vars, slaw_error *err)
{
    return slaw_point_resolve_model(a, f, p, 0, vars, err);
}
