/* forecast_point.c — forecast points as people write them: "N=70B,D=1.4T",
 * "N=70B,C=5.76e23", "x=1e9"; a small language read from options and
 * files, so every malformed input gets a precise message. */
#include "artifact.h"

#include <ctype.h>
#include <math.h>
#include <string.h>

/* The slot of a one-letter variable name, or NULL. */
static double *slot_of(slaw_point *p, const char *name, size_t len)
{
    if (len != 1) return NULL;
    switch (name[0]) {
    case 'N':
    case 'n': return &p->N;
    case 'D':
    case 'd': return &p->D;
    case 'C':
    case 'c': return &p->C;
    case 'U':
    case 'u': return &p->U;
    case 'X':
    case 'x': return &p->x;
    default: return NULL;
    }
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

/* One "NAME=VALUE" item, already trimmed, at offset in the spec. */
static slaw_status parse_item(const char *item, size_t len, size_t offset, slaw_point *p,
                              slaw_error *err)
{
    char q[64], qv[64];
    const char *eq = memchr(item, '=', len), *why;
    quote_text(item, len, q, sizeof q);
    if (!eq) return point_error(err, offset, "'%s': expected NAME=VALUE, e.g. N=70B", q);
    const char *name = item, *value = eq + 1;
    size_t name_len = (size_t)(eq - item), value_len = len - name_len - 1;
    trim(&name, &name_len);
    trim(&value, &value_len);
    if (!name_len) return point_error(err, offset, "'%s': no variable before '='", q);
    double *slot = slot_of(p, name, name_len);
    if (!slot)
        return point_error(err, offset,
                           "'%s': unknown variable '%s' (the variables are N, D, C, "
                           "U and x)",
                           q, quote_text(name, name_len, qv, sizeof qv));
    char canon = (char)toupper((unsigned char)name[0]);
    if (canon == 'X') canon = 'x';
    if (!isnan(*slot)) return point_error(err, offset, "%c is given twice", canon);
    double v;
    if (slaw_number_parse(value, value_len, &v, &why) != SLAW_OK)
        return point_error(err, offset, "'%s': the value of %c is %s", q, canon, why);
    if (!(v > 0)) return point_error(err, offset, "'%s': %c must be positive", q, canon);
    *slot = v;
    return SLAW_OK;
}

slaw_status slaw_point_parse(const char *spec, slaw_point *out, slaw_error *err)
{
    slaw_point p = {NAN, NAN, NAN, NAN, NAN};
    size_t len = strlen(spec), i = 0;
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

static slaw_status resolve_one(const slaw_law *law, const slaw_point *p, double *vars,
                               slaw_error *err)
{
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
    vars[0] = isnan(p->x) ? p->N : p->x;
    return SLAW_OK;
}

/* The given value of variable letter ('N', 'D' or 'C') of a point. */
static double letter_value(const slaw_point *p, char letter)
{
    return letter == 'N' ? p->N : letter == 'D' ? p->D : p->C;
}

/* The role letter of the column a one-variable fit read: the column's name
 * when it is one (a derived C is named "C"), else the role the artifact
 * bound the column to; '\0' when it played none. */
static char variable_letter(const slaw_artifact *a, const char *col_name)
{
    static const char letters[] = "NDC";
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

/* A one-variable fit of column col_name (role letter `letter`, or '\0'):
 * x or that letter, not both; any other letter is refused. */
static slaw_status resolve_fitted_one(const slaw_law *law, const char *col_name, char letter,
                                      const slaw_point *p, double *vars, slaw_error *err)
{
    char on[300], give[40];
    if (letter && (col_name[0] != letter || col_name[1]))
        snprintf(on, sizeof on, "%s (%c)", col_name, letter);
    else snprintf(on, sizeof on, "%s", col_name);
    if (letter) snprintf(give, sizeof give, "x=VALUE or %c=VALUE", letter);
    else snprintf(give, sizeof give, "x=VALUE");
    for (const char *l = "NDC"; *l; l++)
        if (*l != letter && !isnan(letter_value(p, *l)))
            return error_set(err, SLAW_EUSAGE, NULL, 0,
                             "law %s reads one variable, x, fitted "
                             "on %s: %c does not apply; give %s",
                             law->name, on, *l, give);
    double named = letter ? letter_value(p, letter) : NAN;
    if (!isnan(p->x) && !isnan(named))
        return error_set(err, SLAW_EUSAGE, NULL, 0,
                         "x and %c name the same variable of law %s "
                         "(fitted on %s): give one",
                         letter, law->name, on);
    if (isnan(p->x) && isnan(named))
        return error_set(err, SLAW_EUSAGE, NULL, 0,
                         "law %s reads one variable, x, fitted on "
                         "%s: give %s",
                         law->name, on, give);
    vars[0] = isnan(p->x) ? named : p->x;
    return SLAW_OK;
}

static slaw_status resolve_two(const slaw_law *law, const slaw_point *p, double *vars,
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
    double N = n ? p->N : slaw_compute_params(p->C, p->D, 0);
    double D = d ? p->D : slaw_compute_tokens(p->C, p->N, 0);
    double C = slaw_compute_flops(N, D, 0);
    if (!usable(N) || !usable(D) || !usable(C))
        return error_set(err, SLAW_EUSAGE, NULL, 0,
                         "the point is out of range: N = %g, D = %g, "
                         "C = 6*N*D = %g",
                         N, D, C);
    vars[0] = N;
    vars[1] = D;
    return SLAW_OK;
}

/* A law of N and D plus other roles (U; C and M derived from N and D):
 * N and D from two of N, D and C, then each variable by its role. */
static slaw_status resolve_roles(const slaw_law *law, const slaw_point *p, double *vars,
                                 slaw_error *err)
{
    double nd[2];
    slaw_status st = resolve_two(law, p, nd, err);
    if (st != SLAW_OK) return st;
    if (!isnan(p->U) && law_var_index(law, SLAW_ROLE_U) == SIZE_MAX)
        return error_set(err, SLAW_EUSAGE, NULL, 0, "law %s does not read U", law->name);
    for (size_t v = 0; v < law->n_vars; v++) {
        switch (law->vars[v]) {
        case SLAW_ROLE_N: vars[v] = nd[0]; break;
        case SLAW_ROLE_D: vars[v] = nd[1]; break;
        case SLAW_ROLE_C: vars[v] = slaw_compute_flops(nd[0], nd[1], 0); break;
        case SLAW_ROLE_M: vars[v] = nd[1] / nd[0]; break;
        case SLAW_ROLE_U:
            if (isnan(p->U))
                return error_set(err, SLAW_EUSAGE, NULL, 0,
                                 "law %s reads the unique tokens U: "
                                 "give U=VALUE too",
                                 law->name);
            vars[v] = p->U;
            break;
        default:
            return error_set(err, SLAW_EUSAGE, NULL, 0,
                             "law %s reads %s, which a point cannot "
                             "give",
                             law->name, law_var_name(law, v));
        }
    }
    return SLAW_OK;
}

/* Laws of exactly N and D take the historical path; others go by role. */
static bool plain_n_d(const slaw_law *law)
{
    return law->n_vars == 2 && law->vars[0] == SLAW_ROLE_N && law->vars[1] == SLAW_ROLE_D;
}

slaw_status slaw_point_resolve(const slaw_law *law, const slaw_point *p, double *vars,
                               slaw_error *err)
{
    if (law->n_vars == 1) return resolve_one(law, p, vars, err);
    if (!isnan(p->U) && plain_n_d(law))
        return error_set(err, SLAW_EUSAGE, NULL, 0, "law %s does not read U", law->name);
    return plain_n_d(law) ? resolve_two(law, p, vars, err) : resolve_roles(law, p, vars, err);
}

slaw_status slaw_point_resolve_fit(const slaw_artifact *a, const slaw_fit *f, const slaw_point *p,
                                   double *vars, slaw_error *err)
{
    const slaw_law *law = f->law;
    if (law->n_vars != 1) return slaw_point_resolve(law, p, vars, err);
    const char *col_name = f->vars[0] ? f->vars[0] : "N";
    return resolve_fitted_one(law, col_name, variable_letter(a, col_name), p, vars, err);
}
