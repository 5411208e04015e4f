/* fit_result.c — one group's fit: its memory, its warnings, and the
 * accessors of include/slaw.h that read it. */
#include "fit_result.h"
#include "text.h"

#include <gsl/gsl_eigen.h>
#include <math.h>
#include <nettle/sha2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void add_warning(slaw_fit *f, const char *option, const char *fmt, va_list ap)
    SLAW_PRINTF(3, 0);

static void add_warning(slaw_fit *f, const char *option, const char *fmt, va_list ap)
{
    char buf[512];
    if (f->n_warnings == FIT_MAX_WARNINGS) return;
    vsnprintf(buf, sizeof buf, fmt, ap);
    char *copy = text_copy(buf);
    if (!copy) return;
    f->warning_option[f->n_warnings] = option;
    f->warnings[f->n_warnings++] = copy;
}

void fit_add_warning(slaw_fit *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_warning(f, NULL, fmt, ap);
    va_end(ap);
}

void fit_add_warning_option(slaw_fit *f, const char *option, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_warning(f, option, fmt, ap);
    va_end(ap);
}

void fit_clear(slaw_fit *f)
{
    fit_free_owned(f);
    memset(f, 0, sizeof *f);
}

void fit_fingerprint(const slaw_fit *f, char out[65])
{
    if (!f->fingerprint_bytes) {
        memcpy(out, f->sha256, 65);
        return;
    }
    struct sha256_ctx c;
    uint8_t digest[SHA256_DIGEST_SIZE];
    sha256_init(&c);
    sha256_update(&c, f->fingerprint_len, f->fingerprint_bytes);
    sha256_digest(&c, sizeof digest, digest);
    static const char hex[] = "0123456789abcdef";
    for (size_t k = 0; k < sizeof digest; k++) {
        out[2 * k] = hex[digest[k] >> 4];
        out[2 * k + 1] = hex[digest[k] & 15];
    }
    out[2 * sizeof digest] = '\0';
}

void fit_free_owned(slaw_fit *f)
{
    free(f->fingerprint_bytes);
    free(f->group);
    free(f->se_method);
    free(f->boot);
    free(f->joint_cov);
    free(f->hold_vars);
    free(f->hold_obs);
    free(f->hold_pred);
    for (size_t i = 0; i < f->n_warnings; i++) free(f->warnings[i]);
    for (size_t v = 0; v < LAW_MAX_VARS; v++) free(f->vars[v]);
    for (size_t k = 0; k < f->n_group_cols; k++) {
        free(f->group_col[k]);
        free(f->group_val[k]);
    }
}

const slaw_law *slaw_fit_law(const slaw_fit *f)
{
    return f->law;
}
const char *slaw_fit_group(const slaw_fit *f)
{
    return f->group;
}
size_t slaw_fit_group_column_count(const slaw_fit *f)
{
    return f->n_group_cols;
}

const char *slaw_fit_group_column(const slaw_fit *f, size_t k, const char **value)
{
    if (k >= f->n_group_cols) return NULL;
    if (value) *value = f->group_val[k];
    return f->group_col[k];
}
const double *slaw_fit_covariance(const slaw_fit *f)
{
    return f->cov;
}
const char *slaw_fit_stderr_method(const slaw_fit *f)
{
    return f->se_method;
}
size_t slaw_fit_warning_count(const slaw_fit *f)
{
    return f->n_warnings;
}
void slaw_fit_get_stats(const slaw_fit *f, slaw_fit_stats *out)
{
    *out = f->stats;
}

bool slaw_fit_joint_stats(const slaw_fit *f, slaw_fit_stats *out)
{
    if (f->joint) *out = f->joint_stats;
    return f->joint;
}

bool slaw_fit_param_shared(const slaw_fit *f, size_t i)
{
    return i < f->law->n_params && f->joint && f->shared[i];
}

double slaw_fit_value(const slaw_fit *f, size_t i)
{
    return i < f->law->n_params ? f->value[i] : NAN;
}

double slaw_fit_stderr(const slaw_fit *f, size_t i)
{
    return i < f->law->n_params ? f->se[i] : NAN;
}

slaw_param_state slaw_fit_param_state(const slaw_fit *f, size_t i)
{
    return i < f->law->n_params ? f->state[i] : SLAW_PARAM_FREE;
}

bool slaw_fit_identified(const slaw_fit *f, size_t i)
{
    return i < f->law->n_params ? f->identified[i] : false;
}

bool slaw_fit_derived_identified(const slaw_fit *f, size_t i)
{
    return i < f->law->n_derived ? f->derived_identified[i] : false;
}

/* The condition number of the correlations of the parameters the fit
 * estimates (free, not tied): +inf when one has no variance (singular),
 * NaN when there is none.  Only the table of correlations shows it, so it
 * is computed here, not with every fit. */
static double condition_number(const slaw_fit *f)
{
    size_t p = f->law->n_params, idx[LAW_MAX_PARAMS], n = 0;
    for (size_t j = 0; j < p; j++) {
        if (f->state[j] != SLAW_PARAM_FREE) continue;
        if (isnan(f->corr[j * p + j])) return INFINITY;
        idx[n++] = j;
    }
    if (!n) return NAN;
    double r[LAW_MAX_PARAMS * LAW_MAX_PARAMS], ev[LAW_MAX_PARAMS];
    for (size_t a = 0; a < n; a++)
        for (size_t b = 0; b < n; b++) r[a * n + b] = f->corr[idx[a] * p + idx[b]];
    gsl_matrix_view m = gsl_matrix_view_array(r, n, n);
    gsl_vector_view e = gsl_vector_view_array(ev, n);
    /* GSL's workspace on the stack (its fields are public): n is small */
    double diagonal[LAW_MAX_PARAMS], off_diagonal[LAW_MAX_PARAMS];
    gsl_eigen_symm_workspace w = {n, diagonal, off_diagonal};
    if (gsl_eigen_symm(&m.matrix, &e.vector, &w)) return NAN;
    double lo = ev[0], hi = ev[0];
    for (size_t a = 1; a < n; a++) lo = fmin(lo, ev[a]), hi = fmax(hi, ev[a]);
    return lo > hi * 1e-300 ? hi / lo : INFINITY;
}

const double *slaw_fit_correlation(const slaw_fit *f, double *condition)
{
    if (condition) *condition = f->has_corr ? condition_number(f) : NAN;
    return f->has_corr ? f->corr : NULL;
}

bool slaw_fit_value_of(const slaw_fit *f, const char *name, double *value)
{
    for (size_t j = 0; j < f->law->n_params; j++)
        if (!strcmp(f->law->params[j].name, name)) {
            *value = f->value[j];
            return true;
        }
    return false;
}

double slaw_fit_derived(const slaw_fit *f, size_t i, double *stderr_out)
{
    if (i >= f->law->n_derived) return NAN;
    if (stderr_out) *stderr_out = f->derived_se[i];
    return f->derived[i];
}

const char *slaw_fit_warning(const slaw_fit *f, size_t i)
{
    return i < f->n_warnings ? f->warnings[i] : NULL;
}

const char *slaw_fit_warning_option(const slaw_fit *f, size_t i)
{
    return i < f->n_warnings ? f->warning_option[i] : NULL;
}

void slaw_fit_data_range(const slaw_fit *f, size_t v, double *min, double *max)
{
    if (v < f->law->n_vars) {
        *min = f->var_min[v];
        *max = f->var_max[v];
    } else {
        *min = f->y_min;
        *max = f->y_max;
    }
}

size_t slaw_fit_bootstrap_count(const slaw_fit *f)
{
    return f->n_boot;
}
size_t slaw_fit_bootstrap_failures(const slaw_fit *f)
{
    return f->boot_failures;
}
size_t slaw_fit_bootstrap_fallbacks(const slaw_fit *f)
{
    return f->boot_fallbacks;
}

void slaw_fit_bootstrap_failed_why(const slaw_fit *f, size_t *no_convergence, size_t *pinned,
                                   size_t *non_finite)
{
    *no_convergence = f->boot_why[BOOT_FAILED_NO_CONVERGENCE];
    *pinned = f->boot_why[BOOT_FAILED_PINNED];
    *non_finite = f->boot_why[BOOT_FAILED_NON_FINITE];
}
double slaw_fit_bootstrap_level(const slaw_fit *f)
{
    return f->boot_level;
}

const double *slaw_fit_bootstrap_sample(const slaw_fit *f, size_t i)
{
    return i < f->n_boot ? f->boot + i * f->law->n_params : NULL;
}

bool slaw_fit_bootstrap_param(const slaw_fit *f, size_t i, double *se, double *lo, double *hi)
{
    if (f->n_boot < 2 || i >= f->law->n_params) return false;
    *se = f->boot_se[i];
    *lo = f->boot_lo[i];
    *hi = f->boot_hi[i];
    return true;
}

bool slaw_fit_bootstrap_derived(const slaw_fit *f, size_t i, double *se, double *lo, double *hi)
{
    if (f->n_boot < 2 || i >= f->law->n_derived) return false;
    *se = f->dboot_se[i];
    *lo = f->dboot_lo[i];
    *hi = f->dboot_hi[i];
    return true;
}

size_t slaw_fit_holdout_count(const slaw_fit *f)
{
    return f->n_hold;
}

void slaw_fit_holdout_run(const slaw_fit *f, size_t i, double *vars, double *observed,
                          double *predicted)
{
    if (i >= f->n_hold) return;
    for (size_t v = 0; v < f->law->n_vars; v++) vars[v] = f->hold_vars[i * f->law->n_vars + v];
    *observed = f->hold_obs[i];
    *predicted = f->hold_pred[i];
}

bool slaw_fit_holdout_errors(const slaw_fit *f, double *male, double *bias, double *max_abs)
{
    if (!f->n_hold) return false;
    *male = f->hold_male;
    *bias = f->hold_bias;
    *max_abs = f->hold_max;
    return true;
}

bool slaw_fit_compute_range(const slaw_fit *f, double *min, double *max)
{
    if (!law_has_compute(f->law) || !(f->c_max > 0)) return false; /* none kept, or no data */
    *min = f->c_min;
    *max = f->c_max;
    return true;
}

const char *slaw_fit_variable(const slaw_fit *f, size_t v)
{
    return v < f->law->n_vars ? f->vars[v] : NULL;
}

double slaw_fit_predict(const slaw_fit *f, const double *vars)
{
    return slaw_law_eval(f->law, f->value, vars);
}
