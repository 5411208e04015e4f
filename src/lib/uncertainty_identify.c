/* uncertainty_identify.c — which parameters the runs determine.  A parameter is
 * undetermined when its covariance is singular, its standard error exceeds
 * its value, it correlates above IDENTIFY_MAX_CORR with another, or its
 * bootstrap interval spans more than IDENTIFY_MAX_DECADES decades.  It then
 * has no standard error (NaN; null in the fit file), never a misleading 0,
 * and a warning says why and what would help.
 *
 * Correlations are taken in the fit's internal coordinates with each scale
 * moved to the data's centre (the law's uncenter map, which also centres the
 * start grid).  A in A/N^alpha is the term's size at N = 1, far outside any
 * sweep, so A and alpha correlate above 0.999 even in a well-determined fit;
 * the term's size at the runs' typical N does not, unless the runs cannot
 * tell it from the others. */
#include "uncertainty.h"

#include <gsl/gsl_linalg.h>
#include <math.h>
#include <string.h>

/* A parameter whose value the fit estimates (not fixed, not pinned). */
static bool estimated(const slaw_fit *f, size_t j)
{
    return f->state[j] == SLAW_PARAM_FREE || f->state[j] == SLAW_PARAM_TIED;
}

/* M = d(raw internal)/d(centred internal), affine so differences are exact. */
static void centre_jacobian(const slaw_law *law, const data_summary *s, double *M)
{
    size_t p = law->n_params;
    bool all[LAW_MAX_PARAMS];
    double t0[LAW_MAX_PARAMS] = {0};
    for (size_t j = 0; j < LAW_MAX_PARAMS; j++) all[j] = true;
    law->uncenter(s, all, t0);
    for (size_t k = 0; k < p; k++) {
        double t[LAW_MAX_PARAMS] = {0};
        t[k] = 1;
        law->uncenter(s, all, t);
        for (size_t j = 0; j < p; j++) M[j * p + k] = t[j] - t0[j];
    }
}

/* M (p × p) is unit upper triangular: ones on its diagonal, zeros below,
 * as the centring of a law that moves each log-scale by exponents times
 * the data's centre makes it. */
static bool unit_upper_triangular(const double *M, size_t p)
{
    for (size_t j = 0; j < p; j++)
        for (size_t k = 0; k <= j; k++)
            if (M[j * p + k] != (j == k)) return false;
    return true;
}

/* C = M^-1 for unit upper triangular M, by back substitution: for every
 * built-in law and the formulas unit/identify tries, GSL's LU inverse
 * element for element, without GSL's calls (about 4% of a fit of 250
 * runs). */
static void invert_unit_upper(const double *M, size_t p, double *C)
{
    for (size_t k = 0; k < p; k++) {
        for (size_t j = k + 1; j < p; j++) C[j * p + k] = 0;
        C[k * p + k] = 1;
        for (size_t j = k; j-- > 0;) {
            double sum = 0;
            for (size_t l = j + 1; l <= k; l++) sum += M[j * p + l] * C[l * p + k];
            C[j * p + k] = 0.0 - sum; /* +0 where nothing couples them, not -0 */
        }
    }
}

bool identify_centring(const slaw_law *law, const data_summary *s, const double *theta, double *C)
{
    size_t p = law->n_params;
    double M[LAW_MAX_PARAMS * LAW_MAX_PARAMS];
    int sign;
    if (law->centring) {
        law->centring(s, theta, C);
        return true;
    }
    centre_jacobian(law, s, M);
    if (unit_upper_triangular(M, p)) {
        invert_unit_upper(M, p, C);
        return true;
    }
    gsl_matrix_view m = gsl_matrix_view_array(M, p, p);
    gsl_matrix_view c = gsl_matrix_view_array(C, p, p);
    gsl_permutation *perm = gsl_permutation_alloc(p);
    bool ok = perm && !gsl_linalg_LU_decomp(&m.matrix, perm, &sign) &&
              !gsl_linalg_LU_invert(&m.matrix, perm, &c.matrix);
    gsl_permutation_free(perm);
    return ok;
}

/* Whether variable v enters parameter j's centring: A and alpha are moved
 * to the centre of N, E to none.  It names the runs that would help. */
static bool depends_on_variable(const slaw_law *law, const data_summary *s, const double *theta,
                                size_t j, size_t v)
{
    size_t p = law->n_params;
    double C[LAW_MAX_PARAMS * LAW_MAX_PARAMS], C1[LAW_MAX_PARAMS * LAW_MAX_PARAMS];
    data_summary moved = *s;
    moved.mean_lnx[v] += 1;
    if (!identify_centring(law, s, theta, C) || !identify_centring(law, &moved, theta, C1))
        return false;
    for (size_t k = 0; k < p; k++)
        if (C[j * p + k] != C1[j * p + k] || C[k * p + j] != C1[k * p + j]) return true;
    return false;
}

/* corr: the correlations of C·θ (C = d(centred)/d(internal)), NaN where
 * a parameter is not estimated or has no variance. */
static void correlate(const slaw_fit *f, const double *C, double *corr)
{
    size_t p = f->law->n_params;
    double cc[LAW_MAX_PARAMS * LAW_MAX_PARAMS];
    for (size_t i = 0; i < p; i++)
        for (size_t j = 0; j < p; j++) {
            double sum = 0;
            for (size_t k = 0; k < p; k++)
                for (size_t l = 0; l < p; l++)
                    sum += C[i * p + k] * f->cov_theta[k * p + l] * C[j * p + l];
            cc[i * p + j] = sum;
        }
    for (size_t i = 0; i < p * p; i++) corr[i] = NAN;
    for (size_t i = 0; i < p; i++)
        for (size_t j = 0; j < p; j++) {
            double d = sqrt(cc[i * p + i] * cc[j * p + j]);
            if (estimated(f, i) && estimated(f, j) && d > 0 && isfinite(d))
                corr[i * p + j] = fmax(-1.0, fmin(1.0, cc[i * p + j] / d));
        }
}

/* The largest |correlation| of two different free parameters. */
static double worst_pair(const slaw_fit *f, const double *corr)
{
    size_t p = f->law->n_params;
    double worst = 0;
    for (size_t i = 0; i < p; i++)
        for (size_t j = i + 1; j < p; j++)
            if (f->state[i] == SLAW_PARAM_FREE && f->state[j] == SLAW_PARAM_FREE &&
                fabs(corr[i * p + j]) > worst)
                worst = fabs(corr[i * p + j]);
    return worst;
}

/* Correlations of the centred internal parameters (their condition number
 * is computed when asked: slaw_fit_correlation). */
static void correlations(const slaw_law *law, const data_summary *s, slaw_fit *f)
{
    size_t p = law->n_params;
    double C[LAW_MAX_PARAMS * LAW_MAX_PARAMS], cc[LAW_MAX_PARAMS * LAW_MAX_PARAMS];
    for (size_t i = 0; i < p * p; i++) f->corr[i] = NAN;
    double theta[LAW_MAX_PARAMS] = {0}, alt[LAW_MAX_PARAMS * LAW_MAX_PARAMS];
    for (size_t j = 0; j < p; j++) theta[j] = law_to_internal(law, j, f->value[j]);
    if (!identify_centring(law, s, theta, C)) return;
    correlate(f, C, f->corr);
    /* A formula's own coordinates entangle A with alpha in A/N^alpha; its
     * terms' sizes at the data's centre entangle B with c in
     * B·(ln LR - c)^2 when the runs' centre sits near the bowl's bottom.
     * A pair the runs cannot separate is entangled in both: judge in the
     * coordinates where the worst pair is least so. */
    if (law->program && law->linear && formula_centring(law, s, theta, cc)) {
        correlate(f, cc, alt);
        if (worst_pair(f, alt) < worst_pair(f, f->corr)) memcpy(f->corr, alt, sizeof alt);
    }
    f->has_corr = true;
}

/* The law's variables, by name ("N, D and U"; a one-variable law's fitted
 * column, "x" when none): what the runs would have to span. */
static void all_variables(const slaw_law *law, const slaw_fit *f, char *buf, size_t size)
{
    if (law->n_vars == 1 && f->vars[0]) snprintf(buf, size, "%s", f->vars[0]);
    else law_var_list(law, buf, size);
}

/* The variables of the runs that would separate parameters i and j (j may
 * equal i): those that enter either's centring, else all of the law's. */
static const char *helpful_runs(const slaw_law *law, const data_summary *s, const slaw_fit *f,
                                size_t i, size_t j, char *buf, size_t size)
{
    double theta[LAW_MAX_PARAMS] = {0};
    size_t which[LAW_MAX_VARS], n = 0;
    all_variables(law, f, buf, size);
    if (law->n_vars == 1 || !s) return buf;
    for (size_t k = 0; k < law->n_params; k++) theta[k] = law_to_internal(law, k, f->value[k]);
    for (size_t v = 0; v < law->n_vars; v++)
        if (depends_on_variable(law, s, theta, i, v) || depends_on_variable(law, s, theta, j, v))
            which[n++] = v;
    if (!n || n == law->n_vars) return buf;
    size_t o = 0;
    for (size_t k = 0; k < n && o < size; k++)
        o += (size_t)snprintf(buf + o, size - o, "%s%s",
                              k == 0       ? ""
                              : k + 1 == n ? " and "
                                           : ", ",
                              law_var_name(law, which[k]));
    return buf;
}

/* Why the runs do not determine parameter j on its own; "" if they do. */
static void single_reason(const slaw_fit *f, size_t j, bool singular, char *why, size_t size)
{
    why[0] = 0;
    if (singular || !isfinite(f->se[j]))
        snprintf(why, size, "its column of the Jacobian is (nearly) dependent on the others");
    else if (f->se[j] > fabs(f->value[j]))
        snprintf(why, size, "its standard error %.3g exceeds its value %.3g", f->se[j],
                 f->value[j]);
    else if (f->n_boot >= 2 && f->boot_lo[j] > 0 &&
             log10(f->boot_hi[j] / f->boot_lo[j]) > IDENTIFY_MAX_DECADES)
        snprintf(why, size, "its %g%% bootstrap interval spans %.1f decades (%.3g to %.3g)",
                 100 * f->boot_level, log10(f->boot_hi[j] / f->boot_lo[j]), f->boot_lo[j],
                 f->boot_hi[j]);
}

/* Marks the parameters that fail a criterion of their own, with a warning
 * unless a pair already named them; s NULL names no variable. */
static void mark_singles(const data_summary *s, const bool *singular, const bool *in_pair,
                         slaw_fit *f)
{
    const slaw_law *law = f->law;
    for (size_t j = 0; j < law->n_params; j++) {
        char why[200], names[160];
        if (!estimated(f, j) || f->state[j] == SLAW_PARAM_TIED) continue;
        single_reason(f, j, singular[j], why, sizeof why);
        if (!why[0]) continue;
        f->identified[j] = false;
        if (!in_pair[j])
            fit_add_warning_option(f, "fix",
                                   "the runs do not determine %s, the %s: %s; hold it with fix "
                                   "%s=VALUE or add runs at larger %s",
                                   law->params[j].name, law->params[j].meaning, why,
                                   law->params[j].name,
                                   helpful_runs(law, s, f, j, j, names, sizeof names));
    }
}

/* Marks both of every pair that correlates beyond IDENTIFY_MAX_CORR. */
static void entangled_pairs(const data_summary *s, slaw_fit *f, bool *in_pair)
{
    const slaw_law *law = f->law;
    size_t p = law->n_params;
    for (size_t i = 0; i < p; i++)
        for (size_t j = i + 1; j < p; j++) {
            double r = f->corr[i * p + j];
            char names[160];
            if (!(fabs(r) > IDENTIFY_MAX_CORR) || f->state[j] == SLAW_PARAM_TIED ||
                f->state[i] == SLAW_PARAM_TIED)
                continue;
            const law_param *a = &law->params[i], *b = &law->params[j];
            fit_add_warning_option(f, "fix",
                                   "%s and %s correlate at %.3f: the runs do not separate %s, the "
                                   "%s, from %s, the %s; hold one with fix %s=VALUE or add runs "
                                   "at larger %s",
                                   a->name, b->name, r, a->name, a->meaning, b->name, b->meaning,
                                   a->name, helpful_runs(law, s, f, i, j, names, sizeof names));
            f->identified[i] = f->identified[j] = false;
            in_pair[i] = in_pair[j] = true;
        }
}

void fit_identify(const problem *pb, const data_summary *s, slaw_fit *f)
{
    const slaw_law *law = pb->law;
    size_t p = law->n_params;
    bool in_pair[LAW_MAX_PARAMS] = {false}, singular[LAW_MAX_PARAMS] = {false};
    for (size_t j = 0; j < p; j++) {
        f->identified[j] = true;
        singular[j] = !(f->cov_theta[j * p + j] > 0);
    }
    correlations(law, s, f);
    entangled_pairs(s, f, in_pair);
    mark_singles(s, singular, in_pair, f);
    /* A tied parameter is its partner. */
    for (size_t j = 0; j < p; j++)
        if (f->state[j] == SLAW_PARAM_TIED)
            for (size_t i = 0; i < p; i++)
                if (i != j && f->state[i] == SLAW_PARAM_FREE &&
                    pb->map.free_of[i] == pb->map.free_of[j])
                    f->identified[j] = f->identified[i];
    for (size_t j = 0; j < p; j++)
        if (!f->identified[j]) f->se[j] = NAN;
}

void fit_identify_each(slaw_fit *f, const bool *singular)
{
    bool in_pair[LAW_MAX_PARAMS] = {false};
    for (size_t j = 0; j < f->law->n_params; j++) f->identified[j] = true;
    mark_singles(NULL, singular, in_pair, f);
    for (size_t j = 0; j < f->law->n_params; j++)
        if (!f->identified[j]) f->se[j] = NAN;
}
