/* formula.c — a law written as a formula: tokenizer, recursive-descent
 * parser emitting a stack program, and its evaluation with exact
 * derivatives (forward-mode automatic differentiation). */
#include "formula.h"
#include "text.h"
#include "vmath.h"

#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TEXT 4096
#define MAX_NAME 64
#define MAX_DEPTH 64 /* of the evaluation stack and of nested parentheses */

typedef enum op_kind {
    OP_CONST,
    OP_VAR,
    OP_PARAM,
    OP_NEG,
    OP_ADD,
    OP_SUB,
    OP_MUL,
    OP_DIV,
    OP_POW,
    OP_EXP,
    OP_LOG,
    OP_SQRT,
    OP_SIN,
    OP_COS,
    OP_TAN,
    OP_ATAN,
    OP_ABS,
    OP_MIN,
    OP_MAX
} op_kind;

typedef struct op {
    op_kind kind;
    size_t arg; /* variable or parameter index */
    double c;   /* constant */
} op;

struct formula_prog {
    op *code;
    size_t n_code, cap;
    size_t p, n_vars;
    char *param_names[LAW_MAX_PARAMS];
    char *var_names[LAW_MAX_VARS];
    char *text;
};

typedef struct formula_law {
    slaw_law law; /* first: a formula_law * is a slaw_law * */
    formula_prog prog;
} formula_law;

static const struct {
    const char *name;
    op_kind kind;
    int args;
} functions[] = {
    {"exp", OP_EXP, 1}, {"log", OP_LOG, 1}, {"sqrt", OP_SQRT, 1}, {"pow", OP_POW, 2},
    {"sin", OP_SIN, 1}, {"cos", OP_COS, 1}, {"tan", OP_TAN, 1},   {"atan", OP_ATAN, 1},
    {"abs", OP_ABS, 1}, {"min", OP_MIN, 2}, {"max", OP_MAX, 2},
};

/* ------------------------------------------------------------------ parser */

typedef struct parser {
    const char *text;
    size_t at;    /* byte offset of the next token */
    size_t depth; /* parentheses and unary operators open */
    size_t stack, max_stack;
    formula_prog *f;
    formula_var_fn is_var;
    void *ctx;
    slaw_error *err;
} parser;

static slaw_status fail(parser *ps, size_t at, const char *fmt, ...) SLAW_PRINTF(3, 4);

static slaw_status fail(parser *ps, size_t at, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return error_set(ps->err, SLAW_EUSAGE, NULL, 0, "formula: column %zu: %s", at + 1, msg);
}

static void skip_space(parser *ps)
{
    while (ps->text[ps->at] == ' ' || ps->text[ps->at] == '\t') ps->at++;
}

static bool ident_start(char c)
{
    return isalpha((unsigned char)c) || c == '_';
}
static bool ident_char(char c)
{
    return isalnum((unsigned char)c) || c == '_';
}

/* What stands at the cursor, for messages. */
static const char *describe(const parser *ps, char *buf, size_t size)
{
    char c = ps->text[ps->at];
    if (!c) return "the end of the formula";
    if (isprint((unsigned char)c)) snprintf(buf, size, "'%c'", c);
    else snprintf(buf, size, "byte 0x%02x", (unsigned)(unsigned char)c);
    return buf;
}

static slaw_status emit(parser *ps, op_kind kind, size_t arg, double c, int pops, int pushes)
{
    formula_prog *f = ps->f;
    if (f->n_code == f->cap) {
        size_t cap = f->cap ? 2 * f->cap : 32;
        op *grown = realloc(f->code, cap * sizeof *grown);
        if (!grown) return error_nomem(ps->err);
        f->code = grown;
        f->cap = cap;
    }
    f->code[f->n_code++] = (op){kind, arg, c};
    ps->stack = ps->stack - (size_t)pops + (size_t)pushes;
    if (ps->stack > ps->max_stack) ps->max_stack = ps->stack;
    if (ps->stack > MAX_DEPTH)
        return fail(ps, ps->at, "the formula nests too deeply (more than %d pending values)",
                    MAX_DEPTH);
    return SLAW_OK;
}

static slaw_status parse_expr(parser *ps);

static slaw_status name_index(parser *ps, const char *name, size_t at, bool var, size_t *index)
{
    formula_prog *f = ps->f;
    char **names = var ? f->var_names : f->param_names;
    size_t *count = var ? &f->n_vars : &f->p;
    size_t limit = var ? LAW_MAX_VARS : LAW_MAX_PARAMS;
    for (size_t k = 0; k < *count; k++)
        if (!strcmp(names[k], name)) {
            *index = k;
            return SLAW_OK;
        }
    if (*count == limit)
        return fail(ps, at, "'%s' makes more than %zu %s (the most a law can have)", name, limit,
                    var ? "variables" : "parameters");
    if (!(names[*count] = text_copy(name))) return error_nomem(ps->err);
    *index = (*count)++;
    return SLAW_OK;
}

static slaw_status parse_call(parser *ps, const char *name, size_t at)
{
    size_t k = 0, nf = sizeof functions / sizeof functions[0];
    while (k < nf && strcmp(functions[k].name, name) != 0) k++;
    if (k == nf)
        return fail(ps, at,
                    "unknown function '%s' (the functions are exp, log, sqrt, pow, sin, "
                    "cos, tan, atan, abs, min, max)",
                    name);
    ps->at++; /* '(' */
    int args = 0;
    slaw_status st;
    for (;;) {
        skip_space(ps);
        if (args == 0 && ps->text[ps->at] == ')') break;
        if ((st = parse_expr(ps))) return st;
        args++;
        skip_space(ps);
        if (ps->text[ps->at] != ',') break;
        ps->at++;
    }
    char buf[24];
    if (ps->text[ps->at] != ')')
        return fail(ps, ps->at, "expected ',' or ')' in %s(...), got %s", name,
                    describe(ps, buf, sizeof buf));
    if (args != functions[k].args)
        return fail(ps, at, "%s takes %d argument%s, got %d", name, functions[k].args,
                    functions[k].args == 1 ? "" : "s", args);
    ps->at++;
    return emit(ps, functions[k].kind, 0, 0, args, 1);
}

static slaw_status parse_identifier(parser *ps)
{
    size_t at = ps->at, len = 0;
    while (ident_char(ps->text[ps->at + len])) len++;
    if (len >= MAX_NAME) return fail(ps, at, "a name longer than %d characters", MAX_NAME - 1);
    char name[MAX_NAME];
    memcpy(name, ps->text + at, len);
    name[len] = '\0';
    ps->at += len;
    skip_space(ps);
    if (ps->text[ps->at] == '(') return parse_call(ps, name, at);
    for (size_t k = 0; k < sizeof functions / sizeof functions[0]; k++)
        if (!strcmp(functions[k].name, name))
            return fail(ps, at, "%s is a function: write %s(...)", name, name);
    if (!strcmp(name, "pi")) return emit(ps, OP_CONST, 0, 3.14159265358979323846, 0, 1);
    bool var = ps->is_var(ps->ctx, name);
    size_t index = 0;
    slaw_status st = name_index(ps, name, at, var, &index);
    if (st) return st;
    return emit(ps, var ? OP_VAR : OP_PARAM, index, 0, 0, 1);
}

static slaw_status parse_number(parser *ps)
{
    const char *s = ps->text + ps->at;
    size_t len = 0;
    while (isdigit((unsigned char)s[len]) || s[len] == '.') len++;
    if (s[len] == 'e' || s[len] == 'E') {
        size_t k = len + 1;
        if (s[k] == '+' || s[k] == '-') k++;
        if (isdigit((unsigned char)s[k])) {
            len = k;
            while (isdigit((unsigned char)s[len])) len++;
        }
    }
    double v;
    const char *why;
    if (slaw_number_parse(s, len, &v, &why) != SLAW_OK)
        return fail(ps, ps->at, "'%.*s' is %s", (int)len, s, why);
    ps->at += len;
    return emit(ps, OP_CONST, 0, v, 0, 1);
}

static slaw_status parse_unary(parser *ps);

/* primary ('^' | '**') unary, right-associative: 2^-x and a^b^c = a^(b^c). */
static slaw_status parse_power(parser *ps)
{
    skip_space(ps);
    char c = ps->text[ps->at], buf[24];
    slaw_status st;
    if (c == '(') {
        ps->at++;
        if (++ps->depth > MAX_DEPTH) return fail(ps, ps->at - 1, "parentheses nest too deeply");
        if ((st = parse_expr(ps))) return st;
        ps->depth--;
        skip_space(ps);
        if (ps->text[ps->at] != ')')
            return fail(ps, ps->at, "expected ')', got %s", describe(ps, buf, sizeof buf));
        ps->at++;
    } else if (isdigit((unsigned char)c) ||
               (c == '.' && isdigit((unsigned char)ps->text[ps->at + 1]))) {
        if ((st = parse_number(ps))) return st;
    } else if (ident_start(c)) {
        if ((st = parse_identifier(ps))) return st;
    } else if (!c || strchr("+-*/^),", c)) {
        return fail(ps, ps->at, "expected an operand%s", c ? "" : " at the end of the formula");
    } else {
        return fail(ps, ps->at, "unexpected %s", describe(ps, buf, sizeof buf));
    }
    skip_space(ps);
    size_t op_len = ps->text[ps->at] == '^' ? 1 : !strncmp(ps->text + ps->at, "**", 2) ? 2 : 0;
    if (!op_len) return SLAW_OK;
    ps->at += op_len;
    if ((st = parse_unary(ps))) return st;
    return emit(ps, OP_POW, 0, 0, 2, 1);
}

static slaw_status parse_unary(parser *ps)
{
    skip_space(ps);
    char c = ps->text[ps->at];
    if (c != '-' && c != '+') return parse_power(ps);
    ps->at++;
    if (++ps->depth > MAX_DEPTH) return fail(ps, ps->at - 1, "signs nest too deeply");
    slaw_status st = parse_unary(ps);
    ps->depth--;
    if (st || c == '+') return st;
    return emit(ps, OP_NEG, 0, 0, 1, 1);
}

static slaw_status parse_term(parser *ps)
{
    slaw_status st = parse_unary(ps);
    for (;;) {
        if (st) return st;
        skip_space(ps);
        char c = ps->text[ps->at];
        if ((c != '*' && c != '/') || ps->text[ps->at + 1] == '*') return SLAW_OK;
        ps->at++;
        if (!(st = parse_unary(ps))) st = emit(ps, c == '*' ? OP_MUL : OP_DIV, 0, 0, 2, 1);
    }
}

static slaw_status parse_expr(parser *ps)
{
    slaw_status st = parse_term(ps);
    for (;;) {
        if (st) return st;
        skip_space(ps);
        char c = ps->text[ps->at];
        if (c != '+' && c != '-') return SLAW_OK;
        ps->at++;
        if (!(st = parse_term(ps))) st = emit(ps, c == '+' ? OP_ADD : OP_SUB, 0, 0, 2, 1);
    }
}

/* -------------------------------------------------------------- evaluation */

/* The stack holds values and, when p > 0, their gradients (p entries each). */
typedef struct dual_stack {
    double v[MAX_DEPTH + 1];
    double g[MAX_DEPTH + 1][LAW_MAX_PARAMS];
} dual_stack;

/* g_a = s·g_a (+ t·g_b when gb). */
static void grad_combine(double *ga, double s, const double *gb, double t, size_t p)
{
    if (gb)
        for (size_t j = 0; j < p; j++) ga[j] = s * ga[j] + t * gb[j];
    else
        for (size_t j = 0; j < p; j++) ga[j] *= s;
}

static bool grad_zero(const double *g, size_t p)
{
    for (size_t j = 0; j < p; j++)
        if (g[j] != 0) return false;
    return true;
}

/* a^b and its gradient: the ln a term only where b varies (a constant
 * exponent of a negative base is fine). */
static double power(double a, double b, double *ga, const double *gb, size_t p)
{
    double v = pow(a, b);
    if (!p) return v;
    bool b_moves = !grad_zero(gb, p), a_moves = !grad_zero(ga, p);
    double da = a_moves ? b * pow(a, b - 1) : 0, db = b_moves ? v * log(a) : 0;
    for (size_t j = 0; j < p; j++) ga[j] = (a_moves ? da * ga[j] : 0) + (b_moves ? db * gb[j] : 0);
    return v;
}

/* e^a, 0 well below the smallest subnormal (exp(-745.2) is 0 already):
 * libm's underflow path, which sets errno, costs many times exp itself. */
static double exp_or_zero(double a)
{
    return a < -746.0 ? 0.0 : exp(a);
}

/* One binary or unary operation on the top of the stack. */
static void apply(op_kind k, double *v, double (*g)[LAW_MAX_PARAMS], size_t *top, size_t p)
{
    size_t t = *top - 1;
    double a = v[t], d;
    if ((k >= OP_ADD && k <= OP_POW) || k == OP_MIN || k == OP_MAX) {
        size_t s = t - 1; /* a is the right operand, v[s] the left */
        double l = v[s];
        double *gl = g[s];
        const double *gr = g[t];
        switch (k) {
        case OP_ADD:
            v[s] = l + a;
            if (p) grad_combine(gl, 1, gr, 1, p);
            break;
        case OP_SUB:
            v[s] = l - a;
            if (p) grad_combine(gl, 1, gr, -1, p);
            break;
        case OP_MUL:
            v[s] = l * a;
            if (p) grad_combine(gl, a, gr, l, p);
            break;
        case OP_DIV:
            v[s] = l / a;
            if (p) grad_combine(gl, 1 / a, gr, -l / (a * a), p);
            break;
        case OP_POW: v[s] = power(l, a, gl, gr, p); break;
        case OP_MIN:
        case OP_MAX:
            if ((k == OP_MIN) == (a < l)) {
                v[s] = a;
                if (p) memcpy(gl, gr, p * sizeof *gl);
            }
            break;
        default: break;
        }
        *top = t;
        return;
    }
    switch (k) {
    case OP_NEG:
        v[t] = -a;
        d = -1;
        break;
    case OP_EXP:
        v[t] = exp_or_zero(a);
        d = v[t];
        break;
    case OP_LOG:
        v[t] = log(a);
        d = 1 / a;
        break;
    case OP_SQRT:
        v[t] = sqrt(a);
        d = 0.5 / v[t];
        break;
    case OP_SIN:
        v[t] = sin(a);
        d = cos(a);
        break;
    case OP_COS:
        v[t] = cos(a);
        d = -sin(a);
        break;
    case OP_TAN:
        v[t] = tan(a);
        d = 1 + v[t] * v[t];
        break;
    case OP_ATAN:
        v[t] = atan(a);
        d = 1 / (1 + a * a);
        break;
    case OP_ABS:
        v[t] = fabs(a);
        d = a < 0 ? -1 : 1;
        break;
    default: return;
    }
    if (p) grad_combine(g[t], d, NULL, 0, p);
}

static double run(const formula_prog *f, const double *theta, const double *x, double *grad,
                  dual_stack *st)
{
    size_t top = 0, p = grad ? f->p : 0;
    for (size_t i = 0; i < f->n_code; i++) {
        const op *o = &f->code[i];
        switch (o->kind) {
        case OP_CONST:
        case OP_VAR:
        case OP_PARAM:
            st->v[top] = o->kind == OP_CONST ? o->c : o->kind == OP_VAR ? x[o->arg] : theta[o->arg];
            if (p) {
                memset(st->g[top], 0, p * sizeof(double));
                if (o->kind == OP_PARAM) st->g[top][o->arg] = 1;
            }
            top++;
            break;
        default: apply(o->kind, st->v, st->g, &top, p);
        }
    }
    if (p) memcpy(grad, st->g[0], p * sizeof *grad);
    return st->v[0];
}

/* ------------------------------------------------- values, a block at once */

/* Without derivatives (the search's screen and its cost checks) each
 * operation runs over a block of rows, so the program is decoded once a
 * block rather than once a run, and exp and log go through SLEEF's vectors
 * (vmath.h): the same values to an ulp or so. */
#define BLOCK 64
/* Fewer rows (a forecast's one point) go row by row: the block stack is
 * allocated per call. */
#define BLOCK_WORTH 16

typedef struct block_stack {
    double v[MAX_DEPTH + 1][BLOCK];
} block_stack;

static void block_binary(op_kind k, double *l, const double *a, size_t n)
{
    switch (k) {
    case OP_ADD:
        for (size_t i = 0; i < n; i++) l[i] += a[i];
        break;
    case OP_SUB:
        for (size_t i = 0; i < n; i++) l[i] -= a[i];
        break;
    case OP_MUL:
        for (size_t i = 0; i < n; i++) l[i] *= a[i];
        break;
    case OP_DIV:
        for (size_t i = 0; i < n; i++) l[i] /= a[i];
        break;
    case OP_POW:
        for (size_t i = 0; i < n; i++) l[i] = pow(l[i], a[i]);
        break;
    case OP_MIN:
        for (size_t i = 0; i < n; i++) l[i] = a[i] < l[i] ? a[i] : l[i];
        break;
    case OP_MAX:
        for (size_t i = 0; i < n; i++) l[i] = a[i] > l[i] ? a[i] : l[i];
        break;
    default: break;
    }
}

static void block_unary(op_kind k, double *a, size_t n)
{
    switch (k) {
    case OP_EXP: vmath_exp(a, n); return;
    case OP_LOG: vmath_log(a, n); return;
    default: break;
    }
    for (size_t i = 0; i < n; i++) {
        double x = a[i];
        switch (k) {
        case OP_NEG: a[i] = -x; break;
        case OP_SQRT: a[i] = sqrt(x); break;
        case OP_SIN: a[i] = sin(x); break;
        case OP_COS: a[i] = cos(x); break;
        case OP_TAN: a[i] = tan(x); break;
        case OP_ATAN: a[i] = atan(x); break;
        case OP_ABS: a[i] = fabs(x); break;
        default: break;
        }
    }
}

/* out[i] = ŷ of rows from..from + n (n <= BLOCK). */
static void run_block(const formula_prog *f, const double *theta, law_inputs x, size_t from,
                      size_t n, double *out, block_stack *st)
{
    size_t top = 0;
    for (size_t c = 0; c < f->n_code; c++) {
        const op *o = &f->code[c];
        double *v = st->v[top];
        if (o->kind == OP_VAR) {
            memcpy(v, x[o->arg] + from, n * sizeof *v);
            top++;
        } else if (o->kind == OP_CONST || o->kind == OP_PARAM) {
            double value = o->kind == OP_CONST ? o->c : theta[o->arg];
            for (size_t i = 0; i < n; i++) v[i] = value;
            top++;
        } else if ((o->kind >= OP_ADD && o->kind <= OP_POW) || o->kind == OP_MIN ||
                   o->kind == OP_MAX) {
            block_binary(o->kind, st->v[top - 2], st->v[top - 1], n);
            top--;
        } else {
            block_unary(o->kind, st->v[top - 1], n);
        }
    }
    memcpy(out, st->v[0], n * sizeof *out);
}

static void values_by_block(const formula_prog *f, const double *theta, law_inputs x, size_t n,
                            bool log_form, double *out)
{
    block_stack *st = malloc(sizeof *st);
    if (!st) {
        for (size_t i = 0; i < n; i++) out[i] = NAN; /* out of memory: every point fails */
        return;
    }
    for (size_t at = 0; at < n; at += BLOCK) {
        size_t m = n - at < BLOCK ? n - at : BLOCK;
        run_block(f, theta, x, at, m, out + at, st);
        if (!log_form) continue;
        double y[BLOCK];
        memcpy(y, out + at, m * sizeof *y);
        vmath_log(out + at, m);
        for (size_t i = 0; i < m; i++)
            if (!(y[i] > 0)) out[at + i] = NAN; /* a positive quantity, or the point fails */
    }
    free(st);
}

double formula_value(const formula_prog *f, const double *theta, const double *x, double *grad)
{
    dual_stack st;
    return run(f, theta, x, grad, &st);
}

void formula_eval_values(const formula_prog *f, const double *theta, law_inputs x, size_t n,
                         bool log_form, double *out, double *J)
{
    dual_stack st;
    double row_x[LAW_MAX_VARS];
    if (!J && n >= BLOCK_WORTH) {
        values_by_block(f, theta, x, n, log_form, out);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        for (size_t v = 0; v < f->n_vars; v++) row_x[v] = x[v][i];
        double *row = J ? J + i * f->p : NULL;
        double y = run(f, theta, row_x, row, &st);
        out[i] = y;
        if (!log_form) continue;
        /* ln ŷ of a positive quantity: elsewhere the point fails. */
        out[i] = y > 0 ? log(y) : NAN;
        if (row)
            for (size_t j = 0; j < f->p; j++) row[j] /= y;
    }
}

void formula_eval(const formula_prog *f, const double *theta, law_inputs lnx, size_t n, double *lny,
                  double *J)
{
    dual_stack st;
    double x[LAW_MAX_VARS];
    for (size_t i = 0; i < n; i++) {
        for (size_t v = 0; v < f->n_vars; v++) x[v] = exp(lnx[v][i]);
        double *row = J ? J + i * f->p : NULL;
        double y = run(f, theta, x, row, &st);
        /* A law predicts a positive quantity: elsewhere the point fails. */
        lny[i] = y > 0 ? log(y) : NAN;
        if (row)
            for (size_t j = 0; j < f->p; j++) row[j] /= y;
    }
}

/* ---------------------------------------------------------------- the law */

/* The default grid, coded by index on the axis and decoded here (the axis
 * steps linearly): a parameter the formula is linear in from {-1, 0.1, 1,
 * 10} (codes 0..3), any other from {-1, 0.03, 0.1, 0.3, 1, 3, 10} (codes
 * 4..10).  The default search solves the linear ones at each point of the
 * others' grid (solver_vp.c), so only the others' grid is searched, and it
 * is finer: exponents of scaling laws lie between 0.03 and 1. */
static const double grid_values[] = {-1, 0.1, 1, 10, -1, 0.03, 0.1, 0.3, 1, 3, 10};
#define GRID_LINEAR_LAST 3
#define GRID_LAST 10

static void decode_grid(const data_summary *s, const bool *centered, double *theta)
{
    (void)s;
    for (size_t j = 0; j < LAW_MAX_PARAMS; j++)
        if (centered[j]) {
            long k = lround(theta[j]);
            theta[j] = grid_values[k < 0 ? 0 : k > GRID_LAST ? GRID_LAST : k];
        }
}

/* The formula's gradient at a made-up point: parameters and variables at
 * positive values with no special meaning, shifted by k (and parameter j by
 * dj).  False where it is not finite. */
static bool probe_gradient(const formula_prog *f, int k, size_t j, double dj, double *grad)
{
    double theta[LAW_MAX_PARAMS], x[LAW_MAX_VARS];
    dual_stack st;
    for (size_t i = 0; i < f->p; i++) theta[i] = 0.37 + 0.29 * (double)((i + (size_t)k) % 5);
    for (size_t v = 0; v < f->n_vars; v++) x[v] = 3.1 + 17.3 * (double)(v + (size_t)k);
    if (j < f->p) theta[j] += dj;
    double y = run(f, theta, x, grad, &st);
    for (size_t i = 0; i < f->p && isfinite(y); i++)
        if (!isfinite(grad[i])) return false;
    return isfinite(y);
}

static bool same_column(const double *a, const double *b, size_t j)
{
    return fabs(a[j] - b[j]) <= 1e-12 * fmax(fabs(a[j]), fabs(b[j]));
}

/* Parameters the formula is linear in, jointly (ŷ = r0 + Σ c_j φ_j with no
 * φ_j depending on any c): the default search then solves them at each
 * point of the others' grid (solver_vp.c).  Parameter j qualifies when its
 * derivative does not move as j or another qualifying parameter moves, at
 * two made-up points: exact derivatives make this a test of structure, not
 * of closeness. */
static unsigned linear_params(const formula_prog *f)
{
    unsigned linear = 0;
    for (size_t j = 0; j < f->p; j++) {
        bool holds = true;
        for (int k = 0; k < 2 && holds; k++) {
            double g0[LAW_MAX_PARAMS], g1[LAW_MAX_PARAMS];
            holds = probe_gradient(f, k, SIZE_MAX, 0, g0) && probe_gradient(f, k, j, 1.7, g1) &&
                    same_column(g0, g1, j);
        }
        if (holds) linear |= 1u << j;
    }
    /* a product of two such parameters (A·B/N) is linear in each, not both */
    for (size_t j = 0; j < f->p; j++)
        for (size_t i = 0; i < f->p; i++) {
            double g0[LAW_MAX_PARAMS], g1[LAW_MAX_PARAMS];
            if (i == j || !(linear >> j & 1u) || !(linear >> i & 1u)) continue;
            if (!probe_gradient(f, 0, SIZE_MAX, 0, g0) || !probe_gradient(f, 0, i, 1.7, g1) ||
                !same_column(g0, g1, j))
                linear &= ~(1u << j | 1u << i);
        }
    return linear;
}

/* ∂ŷ/∂θ_g at one point: the basis of a linear parameter g. */
static double basis_at(const formula_prog *f, const double *theta, const double *x, size_t g)
{
    double grad[LAW_MAX_PARAMS];
    formula_value(f, theta, x, grad);
    return grad[g];
}

/* A in A/N^alpha is the term's size at N = 1, far outside any sweep, so A
 * and alpha correlate at 0.999 even when the runs determine both; the
 * term's size at the runs' centre, A·φ(N_c), does not unless they cannot
 * tell it from the others (what the built-in laws' centring does).  Its
 * derivatives in the other parameters are central differences: they only
 * rotate the coordinates in which correlations are judged. */
bool formula_centring(const slaw_law *law, const data_summary *s, const double *theta, double *C)
{
    const formula_prog *f = law->program;
    size_t p = f->p;
    double x[LAW_MAX_VARS], t[LAW_MAX_PARAMS];
    for (size_t v = 0; v < f->n_vars; v++)
        if (!isfinite(x[v] = exp(s->mean_lnx[v])) || !(x[v] > 0)) return false;
    memset(C, 0, p * p * sizeof *C);
    for (size_t i = 0; i < p; i++) C[i * p + i] = 1;
    for (size_t g = 0; g < p; g++) {
        if (!(law->linear >> g & 1u)) continue;
        double phi = basis_at(f, theta, x, g);
        if (!isfinite(phi) || phi == 0) return false;
        C[g * p + g] = phi;
        for (size_t k = 0; k < p; k++) {
            if (law->linear >> k & 1u) continue;
            double h = 1e-6 * fmax(fabs(theta[k]), 1.0);
            memcpy(t, theta, p * sizeof *t);
            t[k] = theta[k] + h;
            double up = basis_at(f, t, x, g);
            t[k] = theta[k] - h;
            double down = basis_at(f, t, x, g);
            C[g * p + k] = theta[g] * (up - down) / (2 * h);
            if (!isfinite(C[g * p + k])) return false;
        }
    }
    return true;
}

void formula_law_free(slaw_law *law)
{
    if (!law) return;
    formula_prog *f = &((formula_law *)law)->prog;
    free(f->code);
    for (size_t j = 0; j < f->p; j++) free(f->param_names[j]);
    for (size_t v = 0; v < f->n_vars; v++) free(f->var_names[v]);
    free(f->text);
    free(law);
}

const char *formula_var_name(const slaw_law *law, size_t v)
{
    const formula_prog *f = law->program;
    return f && v < f->n_vars ? f->var_names[v] : NULL;
}

slaw_status formula_law_new(const char *text, formula_var_fn is_var, void *ctx, slaw_law **out,
                            slaw_error *err)
{
    formula_law *fl = calloc(1, sizeof *fl);
    if (!fl) return error_nomem(err);
    formula_prog *f = &fl->prog;
    parser ps = {.text = text, .f = f, .is_var = is_var, .ctx = ctx, .err = err};
    slaw_status st;
    char buf[24];
    if (strlen(text) > MAX_TEXT) {
        st = error_set(err, SLAW_EUSAGE, NULL, 0, "formula: longer than %d characters", MAX_TEXT);
        goto out;
    }
    if ((st = parse_expr(&ps))) goto out;
    skip_space(&ps);
    if (text[ps.at]) {
        st = fail(&ps, ps.at, "expected an operator, got %s", describe(&ps, buf, sizeof buf));
        goto out;
    }
    if (!f->p) {
        st = error_set(err, SLAW_EUSAGE, NULL, 0,
                       "formula: '%s' has no parameter to fit (every name in it is a variable)",
                       text);
        goto out;
    }
    if (!f->n_vars) {
        st = error_set(err, SLAW_EUSAGE, NULL, 0,
                       "formula: '%s' has no variable: name a role (N, D, C) or a column of the "
                       "runs",
                       text);
        goto out;
    }
    if (!(f->text = text_copy(text))) {
        st = error_nomem(err);
        goto out;
    }
    slaw_law *law = &fl->law;
    law->name = "formula";
    law->formula = f->text;
    law->summary = "a formula of your own";
    law->n_vars = f->n_vars;
    for (size_t v = 0; v < f->n_vars; v++) {
        const char *name = f->var_names[v];
        if (!strcmp(name, "x")) law->vars[v] = SLAW_ROLE_COUNT; /* x is read by --x */
        else if (!slaw_role_from_symbol(name, strlen(name), &law->vars[v]))
            law->vars[v] = SLAW_ROLE_COUNT;
    }
    law->n_params = f->p;
    for (size_t j = 0; j < f->p; j++) {
        law->params[j] =
            (law_param){f->param_names[j], f->param_names[j], SCALE_LINEAR, "formula parameter"};
        law->grid[j] = (grid_axis){0, 3, 1};
    }
    law->uncenter = decode_grid;
    law->linear = linear_params(f);
    for (size_t j = 0; j < f->p; j++)
        if (!(law->linear >> j & 1u))
            law->grid[j] = (grid_axis){GRID_LINEAR_LAST + 1, GRID_LAST, 1};
    law->program = f;
    *out = law;
out:
    if (st != SLAW_OK) formula_law_free(&fl->law);
    return st;
}
