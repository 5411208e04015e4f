/* artifact_check.c — what makes the numbers of a fit read back consistent:
 * the law's parameters and no other, standard errors that are not negative
 * (or missing without a reason), a covariance that is one.  A wrong number
 * here would change forecasts and checks silently. */
#include "artifact_file.h"
#include "fit_result.h"

#include <cjson/cJSON.h>
#include <float.h>
#include <math.h>
#include <string.h>

slaw_status fitfile_invalid(const fitfile_reader *rd, const char *fmt, ...)
{
    char msg[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return error_set(rd->err, SLAW_EINPUT, rd->name, 0, "not a valid slaw fit artifact: %s", msg);
}

/* params holds the law's parameters and nothing else: a misspelt or extra
 * parameter would be silently ignored. */
static slaw_status only_law_params(const fitfile_reader *rd, const cJSON *params, size_t index,
                                   const slaw_law *law)
{
    for (const cJSON *c = params->child; c; c = c->next) {
        size_t j = 0;
        while (j < law->n_params && strcmp(law->params[j].name, c->string)) j++;
        if (j == law->n_params) {
            char q[64];
            return fitfile_invalid(rd, "fits[%zu].params.%s is not a parameter of %s", index,
                                   quote_text(c->string, strlen(c->string), q, sizeof q),
                                   law->name);
        }
    }
    return SLAW_OK;
}

/* Cholesky on the correlation matrix of the rows that are all numbers and
 * of positive variance, with a tolerance: a pivot below -1e-9 means a
 * negative eigenvalue (a correlation beyond 1, or a set of them no real
 * errors can have); a pivot within 1e-9 of 0 (a tied parameter, an
 * exactly dependent one) must leave nothing in its column.  A row of zero
 * (or underflowed) variance must be zero (or as small). */
static slaw_status positive_semidefinite(const fitfile_reader *rd, size_t index, const slaw_fit *f)
{
    size_t p = f->law->n_params, keep[LAW_MAX_PARAMS], m = 0;
    const double *c = f->cov;
    double L[LAW_MAX_PARAMS][LAW_MAX_PARAMS] = {{0}}, sd[LAW_MAX_PARAMS];
    for (size_t i = 0; i < p; i++) {
        bool numbers = true;
        for (size_t j = 0; j < p; j++) numbers = numbers && isfinite(c[i * p + j]);
        if (!numbers) continue;
        if (c[i * p + i] >= DBL_MIN) {
            sd[m] = sqrt(c[i * p + i]);
            keep[m++] = i;
            continue;
        }
        /* a variance of 0 (or one that underflowed): |c_ij| <= sd_i sd_j */
        for (size_t j = 0; j < p; j++) {
            double bound = sqrt(DBL_MIN) * sqrt(fmax(c[j * p + j], DBL_MIN)) * (1 + 1e-9);
            if (isfinite(c[j * p + j]) && fabs(c[i * p + j]) > bound)
                return fitfile_invalid(rd,
                                       "fits[%zu].covariance is not positive semi-definite: %s has "
                                       "variance %g but a covariance of %g with %s",
                                       index, f->law->params[i].name, c[i * p + i], c[i * p + j],
                                       f->law->params[j].name);
        }
    }
    for (size_t k = 0; k < m; k++) {
        for (size_t i = k; i < m; i++) {
            double r = c[keep[i] * p + keep[k]] / (sd[i] * sd[k]);
            for (size_t j = 0; j < k; j++) r -= L[i][j] * L[k][j];
            L[i][k] = r;
        }
        double pivot = L[k][k];
        if (pivot < -1e-9)
            return fitfile_invalid(
                rd,
                "fits[%zu].covariance is not positive semi-definite (the "
                "correlations of %s with the parameters before it are impossible)",
                index, f->law->params[keep[k]].name);
        if (pivot <= 1e-9) {
            for (size_t i = k + 1; i < m; i++) {
                if (fabs(L[i][k]) > 1e-6)
                    return fitfile_invalid(rd,
                                           "fits[%zu].covariance is not positive semi-definite "
                                           "(%s and %s)",
                                           index, f->law->params[keep[k]].name,
                                           f->law->params[keep[i]].name);
                L[i][k] = 0;
            }
            L[k][k] = 0;
            continue;
        }
        double d = sqrt(pivot);
        for (size_t i = k; i < m; i++) L[i][k] /= d;
    }
    return SLAW_OK;
}

/* A standard error is a number of at least 0, or null; "identified", when
 * present, true or false.  *unidentified gets whether it is false. */
static slaw_status check_stderr(const fitfile_reader *rd, const cJSON *q, size_t index,
                                const char *name, double se, bool *unidentified)
{
    const cJSON *identified = cJSON_GetObjectItemCaseSensitive(q, "identified");
    if (identified && !cJSON_IsBool(identified))
        return fitfile_invalid(rd, "fits[%zu].params.%s.identified must be true or false", index,
                               name);
    if (se < 0) return fitfile_invalid(rd, "fits[%zu].params.%s.stderr is negative", index, name);
    *unidentified = cJSON_IsFalse(identified);
    return SLAW_OK;
}

/* The covariance must be one: symmetric to 1e-12 (relative to the larger of
 * the two entries and sqrt(c_ii c_jj)), no negative variance, positive
 * semi-definite, and each known standard error the square root of its
 * variance to 1e-9.  Entries holding null (too large for a double, or not
 * computed) are left out of the checks they cannot take part in.  A free
 * parameter has a standard error unless its variance is null too or it is
 * marked "identified": false (check --sigma divides by it; with none, only
 * no change passes). */
slaw_status fitfile_check_covariance(const fitfile_reader *rd, size_t index, const slaw_fit *f,
                                     const bool *unidentified)
{
    size_t p = f->law->n_params;
    const double *c = f->cov;
    for (size_t i = 0; i < p; i++) {
        const char *name = f->law->params[i].name;
        double v = c[i * p + i];
        if (isnan(f->se[i]) && f->state[i] == SLAW_PARAM_FREE && !isnan(v) && !unidentified[i])
            return fitfile_invalid(
                rd,
                "fits[%zu].params.%s.stderr is null for a free parameter of known "
                "variance (only one marked \"identified\": false may have none)",
                index, name);
        if (v < 0)
            return fitfile_invalid(rd,
                                   "fits[%zu].covariance[%zu][%zu]: the variance of %s is negative",
                                   index, i, i, name);
        double root = sqrt(v), se = f->se[i];
        /* sqrt(DBL_MIN) absolute: a variance below DBL_MIN has lost digits */
        if (isfinite(v) && isfinite(se) && fabs(se - root) > 1e-9 * fmax(se, root) + 1.5e-154)
            return fitfile_invalid(rd,
                                   "fits[%zu].params.%s.stderr %.17g is not the square root of its "
                                   "variance, covariance[%zu][%zu] = %.17g",
                                   index, name, se, i, i, v);
        for (size_t j = 0; j < i; j++) {
            double a = c[i * p + j], b = c[j * p + i];
            double scale = fmax(fmax(fabs(a), fabs(b)), sqrt(fabs(c[i * p + i] * c[j * p + j])));
            if (fabs(a - b) > 1e-12 * scale) /* false when either is null */
                return fitfile_invalid(rd,
                                       "fits[%zu].covariance is not symmetric: [%zu][%zu] = %.17g "
                                       "but [%zu][%zu] = %.17g",
                                       index, i, j, a, j, i, b);
        }
    }
    return positive_semidefinite(rd, index, f);
}

slaw_status fitfile_check_params(const fitfile_reader *rd, const cJSON *params, size_t index,
                                 const slaw_fit *f, bool *unidentified)
{
    const slaw_law *law = f->law;
    slaw_status st = only_law_params(rd, params, index, law);
    for (size_t j = 0; j < law->n_params && !st; j++)
        st = check_stderr(rd, cJSON_GetObjectItemCaseSensitive(params, law->params[j].name), index,
                          law->params[j].name, f->se[j], &unidentified[j]);
    return st;
}
