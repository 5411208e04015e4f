/* runs_derive.c — the compute model and the roles computed from others: C, N or
 * D through C = 6·N·D (or flops-per-token·D), M = D/N, R = D/U - 1.  The
 * only place in slaw that knows these relations. */
#include "runs.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Training FLOPs per parameter and token: forward and backward passes. */
#define FLOPS_PER_PARAM_TOKEN 6.0

double slaw_compute_flops(double N, double D, double flops_per_token)
{
    return flops_per_token > 0 ? flops_per_token * D : FLOPS_PER_PARAM_TOKEN * N * D;
}

double slaw_compute_tokens(double C, double N, double flops_per_token)
{
    return flops_per_token > 0 ? C / flops_per_token : C / (FLOPS_PER_PARAM_TOKEN * N);
}

double slaw_compute_params(double C, double D, double flops_per_token)
{
    return flops_per_token > 0 ? NAN : C / (FLOPS_PER_PARAM_TOKEN * D);
}

double slaw_compute_param_tokens(double C)
{
    return C / FLOPS_PER_PARAM_TOKEN;
}

double slaw_role_derive(slaw_role role, const double *v, double flops_per_token)
{
    if (!isnan(v[role])) return v[role];
    switch (role) {
    case SLAW_ROLE_C: return slaw_compute_flops(v[SLAW_ROLE_N], v[SLAW_ROLE_D], flops_per_token);
    case SLAW_ROLE_N: return slaw_compute_params(v[SLAW_ROLE_C], v[SLAW_ROLE_D], flops_per_token);
    case SLAW_ROLE_D: return slaw_compute_tokens(v[SLAW_ROLE_C], v[SLAW_ROLE_N], flops_per_token);
    case SLAW_ROLE_M: return v[SLAW_ROLE_D] / v[SLAW_ROLE_N];
    case SLAW_ROLE_R: return v[SLAW_ROLE_D] / v[SLAW_ROLE_U] - 1.0;
    default: return NAN;
    }
}

static bool bound(const slaw_runs *r, slaw_role role)
{
    return r->role[role].source != SLAW_SOURCE_NONE;
}

static const double *values(const slaw_runs *r, slaw_role role)
{
    return bound(r, role) ? r->cols[r->role[role].col].values : NULL;
}

/* Adds the column of role, named by its symbol (or "SYMBOL (derived)" when
 * a column has that name), and binds role to it. */
static slaw_status add_column(slaw_runs *r, slaw_role role, double **out, slaw_error *err)
{
    const char *name = slaw_role_symbol(role);
    char alt[32];
    size_t col, dummy;
    if (runs_column_lookup(r, name, strlen(name), &dummy)) {
        snprintf(alt, sizeof alt, "%s (derived)", name);
        name = alt;
    }
    slaw_status st = runs_add_derived(r, name, &col, err);
    if (st != SLAW_OK) return st;
    r->role[role] = (role_binding){SLAW_SOURCE_DERIVED, col, NULL, {0}};
    *out = r->cols[col].values;
    return SLAW_OK;
}

/* One of N, D, C from the other two. */
static slaw_status derive_flops(slaw_runs *r, slaw_role missing, slaw_error *err)
{
    const double *n = values(r, SLAW_ROLE_N), *d = values(r, SLAW_ROLE_D),
                 *c = values(r, SLAW_ROLE_C);
    double fpt = r->flops_per_token, *out;
    if (missing == SLAW_ROLE_N && fpt > 0) return SLAW_OK; /* C then says nothing of N */
    slaw_status st = add_column(r, missing, &out, err);
    for (size_t i = 0; st == SLAW_OK && i < r->n; i++) {
        if (missing == SLAW_ROLE_N) out[i] = slaw_compute_params(c[i], d[i], fpt);
        else if (missing == SLAW_ROLE_D) out[i] = slaw_compute_tokens(c[i], n[i], fpt);
        else out[i] = slaw_compute_flops(n[i], d[i], fpt);
    }
    return st;
}

slaw_status derive_compute(slaw_runs *r, slaw_error *err)
{
    bool has[3];
    for (int k = 0; k < 3; k++) {
        if (r->role[k].problem.code != SLAW_OK) return SLAW_OK; /* derived from what? */
        has[k] = bound(r, (slaw_role)k);
    }
    if (has[0] + has[1] + has[2] != 2) return SLAW_OK;
    return derive_flops(r, !has[0] ? SLAW_ROLE_N : !has[1] ? SLAW_ROLE_D : SLAW_ROLE_C, err);
}

/* M = D/N and R = D/U - 1: out = a / b + shift. */
static slaw_status derive_ratio(slaw_runs *r, slaw_role role, slaw_role a, slaw_role b,
                                double shift, slaw_error *err)
{
    double *out;
    const double *x = values(r, a), *y = values(r, b);
    slaw_status st = add_column(r, role, &out, err);
    for (size_t i = 0; st == SLAW_OK && i < r->n; i++) out[i] = x[i] / y[i] + shift;
    return st;
}

slaw_status derive_role(slaw_runs *r, slaw_role role, char *hint, size_t size, slaw_error *err)
{
    snprintf(hint, size, "%s", "");
    switch (role) {
    case SLAW_ROLE_M:
        if (bound(r, SLAW_ROLE_D) && bound(r, SLAW_ROLE_N))
            return derive_ratio(r, role, SLAW_ROLE_D, SLAW_ROLE_N, 0.0, err);
        snprintf(hint, size, " (or give N and D to derive M = D/N)");
        return SLAW_OK;
    case SLAW_ROLE_R:
        if (bound(r, SLAW_ROLE_D) && bound(r, SLAW_ROLE_U))
            return derive_ratio(r, role, SLAW_ROLE_D, SLAW_ROLE_U, -1.0, err);
        snprintf(hint, size, " (or give D and U to derive R = D/U - 1)");
        return SLAW_OK;
    case SLAW_ROLE_D: /* derive_compute has done what it can */
        snprintf(hint, size, " (or give C to derive D)");
        return SLAW_OK;
    case SLAW_ROLE_LOSS:
        if (bound(r, SLAW_ROLE_L) && r->role[SLAW_ROLE_L].source == SLAW_SOURCE_ALIAS)
            snprintf(hint, size,
                     " (the loss column '%.60s' is the target: name another with role_column[L])",
                     r->cols[r->role[SLAW_ROLE_L].col].name);
        return SLAW_OK;
    default: return SLAW_OK;
    }
}

slaw_status slaw_runs_need_role(slaw_runs *r, slaw_role role, slaw_error *err)
{
    slaw_status st;
    char hint[128];
    if (role >= SLAW_ROLE_COUNT || role == SLAW_ROLE_X || role == SLAW_ROLE_GROUP ||
        role == SLAW_ROLE_WEIGHT)
        return error_set(err, SLAW_EUSAGE, NULL, 0, "%s is not a variable role",
                         slaw_role_symbol(role));
    if (r->role[role].source != SLAW_SOURCE_NONE) return SLAW_OK;
    if (r->role[role].problem.code != SLAW_OK) { /* a lenient load kept why */
        if (err) *err = r->role[role].problem;
        return r->role[role].problem.code;
    }
    if ((st = roles_detect(r, role, err))) return st;
    if (r->role[role].source == SLAW_SOURCE_NONE) {
        if (role == SLAW_ROLE_R && bound(r, SLAW_ROLE_D) &&
            (st = slaw_runs_need_role(r, SLAW_ROLE_U, err)))
            return st; /* R = D/U - 1 */
        if ((st = derive_role(r, role, hint, sizeof hint, err))) return st;
        if (r->role[role].source == SLAW_SOURCE_NONE) {
            st = error_set(err, SLAW_EUSAGE, NULL, 0, "no %s column; name one with %s%s",
                           slaw_role_symbol(role),
                           roles_given_text(role, "COLUMN", (char[64]){0}, 64), hint);
            roles_option(err, role);
            return st;
        }
    }
    return roles_validate(r, role, err);
}
