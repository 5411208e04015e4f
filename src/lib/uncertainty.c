/* uncertainty.c — what is known about a fit's optimum: standard errors from
 * the covariance, derived quantities by the delta method, goodness of fit. */
#include "uncertainty.h"
#include "text.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_multifit_nlin.h>
#include <gsl/gsl_permutation.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char se_l2[] =
    "covariance of the least-squares fit, (J'WJ)^-1 times the residual variance";
static const char se_robust[] =
    "covariance of a least-squares fit at this optimum, (J'WJ)^-1 times the variance of the "
    "residuals: an approximation for this loss (bootstrap resamples give intervals)";

/* GSL's pivoted QR of A (rows × a) and its covariance, (A'A)^-1 with the
 * columns whose pivot falls below 1e-14 of the first left out. */
static bool qrpt_covariance(double *A, size_t rows, size_t a, double *cov)
{
    double tau[LAW_MAX_PARAMS], norm[LAW_MAX_PARAMS];
    size_t order[LAW_MAX_PARAMS];
    int signum;
    gsl_permutation perm = {a, order};
    gsl_matrix_view M = gsl_matrix_view_array(A, rows, a), C = gsl_matrix_view_array(cov, a, a);
    gsl_vector_view t = gsl_vector_view_array(tau, a), w = gsl_vector_view_array(norm, a);
    return gsl_linalg_QRPT_decomp(&M.matrix, &t.vector, &perm, &signum, &w.vector) == GSL_SUCCESS &&
           gsl_multifit_covar_QRPT(&M.matrix, &perm, 1e-14, &C.matrix) == GSL_SUCCESS;
}

/* Σ x_i y_i over i = k..n-1 (strides sx, sy) in four interleaved sums,
 * not one chain of additions to wait on. */
static double dot(const double *x, size_t sx, const double *y, size_t sy, size_t k, size_t n)
{
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    size_t i = k;
    for (; i + 4 <= n; i += 4) {
        s0 += x[i * sx] * y[i * sy];
        s1 += x[(i + 1) * sx] * y[(i + 1) * sy];
        s2 += x[(i + 2) * sx] * y[(i + 2) * sy];
        s3 += x[(i + 3) * sx] * y[(i + 3) * sy];
    }
    for (; i < n; i++) s0 += x[i * sx] * y[i * sy];
    return (s0 + s1) + (s2 + s3);
}

/* max |x_i| over i = k..n-1 (stride sx), NaN passed over, in four
 * interleaved maxima: one chain waited on each comparison. */
static double largest_magnitude(const double *x, size_t sx, size_t k, size_t n)
{
    double m0 = 0, m1 = 0, m2 = 0, m3 = 0;
    size_t i = k;
    for (; i + 4 <= n; i += 4) {
        double x0 = fabs(x[i * sx]), x1 = fabs(x[(i + 1) * sx]);
        double x2 = fabs(x[(i + 2) * sx]), x3 = fabs(x[(i + 3) * sx]);
        m0 = x0 > m0 ? x0 : m0;
        m1 = x1 > m1 ? x1 : m1;
        m2 = x2 > m2 ? x2 : m2;
        m3 = x3 > m3 ? x3 : m3;
    }
    for (; i < n; i++) m0 = fabs(x[i * sx]) > m0 ? fabs(x[i * sx]) : m0;
    m0 = m1 > m0 ? m1 : m0;
    m2 = m3 > m2 ? m3 : m2;
    return m2 > m0 ? m2 : m0;
}

/* The reflection I - beta v v' applied to the cnt columns after column k, a
 * pass over the rows for their dot products with v and one for the update:
 * a row's columns lie side by side, where a pass a column strode over them.
 * Each dot product keeps dot's four interleaved sums, so the bits are the
 * same; inlined for each cnt, so that the loops over the columns unroll and
 * the sums stay in registers. */
static inline __attribute__((always_inline)) void
reflect_rows(size_t cnt, double *A, const double *v, double beta, size_t n, size_t a, size_t k)
{
    double s0[LAW_MAX_PARAMS] = {0}, s1[LAW_MAX_PARAMS] = {0}, s2[LAW_MAX_PARAMS] = {0},
           s3[LAW_MAX_PARAMS] = {0}, s[LAW_MAX_PARAMS];
    double *B = A + k + 1;
    size_t i = k;
    for (; i + 4 <= n; i += 4) {
#pragma GCC unroll 8
        for (size_t c = 0; c < cnt; c++) {
            s0[c] += v[i] * B[i * a + c];
            s1[c] += v[i + 1] * B[(i + 1) * a + c];
            s2[c] += v[i + 2] * B[(i + 2) * a + c];
            s3[c] += v[i + 3] * B[(i + 3) * a + c];
        }
    }
    for (; i < n; i++)
#pragma GCC unroll 8
        for (size_t c = 0; c < cnt; c++) s0[c] += v[i] * B[i * a + c];
#pragma GCC unroll 8
    for (size_t c = 0; c < cnt; c++) s[c] = beta * ((s0[c] + s1[c]) + (s2[c] + s3[c]));
    for (i = k; i < n; i++)
#pragma GCC unroll 8
        for (size_t c = 0; c < cnt; c++) B[i * a + c] -= s[c] * v[i];
}

/* Householder's reflection that zeroes column k of A (n × a, row-major)
 * below row k, applied to the columns after it; R's diagonal element left
 * in A[k][k].  The column is scaled by a power of two first (exactly, into
 * v), so that its squares neither overflow nor underflow.  False if it is
 * not finite. */
static bool reflect(double *A, double *v, size_t n, size_t a, size_t k)
{
    double big = largest_magnitude(A + k, a, k, n);
    if (big == 0) return true; /* nothing to zero: R's element is 0 */
    if (!isfinite(big)) return false;
    double f = ldexp(1.0, -ilogb(big));
    for (size_t i = k; i < n; i++) v[i] = f * A[i * a + k];
    double squares = dot(v, 1, v, 1, k, n);
    if (!isfinite(squares)) return false; /* a NaN below the largest */
    double norm = sqrt(squares), head = v[k], alpha = head >= 0 ? -norm : norm;
    double beta = 1.0 / (norm * (norm + fabs(head))); /* 2 / v'v */
    v[k] = head - alpha;
    switch (a - k - 1) {
    case 0: break;
    case 1: reflect_rows(1, A, v, beta, n, a, k); break;
    case 2: reflect_rows(2, A, v, beta, n, a, k); break;
    case 3: reflect_rows(3, A, v, beta, n, a, k); break;
    case 4: reflect_rows(4, A, v, beta, n, a, k); break;
    case 5: reflect_rows(5, A, v, beta, n, a, k); break;
    case 6: reflect_rows(6, A, v, beta, n, a, k); break;
    default: reflect_rows(a - k - 1, A, v, beta, n, a, k); break;
    }
    A[k * a + k] = alpha / f;
    return true;
}

/* J's triangular factor R (a × a, row-major) into J's first a² elements:
 * R'R = J'J, column norms kept, so GSL's pivoting sees what it would in J.
 * A is scratch of n·a + n.  False (J as it was) if J is not finite. */
static bool reduce_to_triangle(double *J, size_t n, size_t a, double *A)
{
    double *v = A + n * a;
    memcpy(A, J, n * a * sizeof *A);
    bool ok = true;
    for (size_t k = 0; ok && k < a; k++) ok = reflect(A, v, n, a, k);
    if (ok)
        for (size_t r = 0; r < a; r++)
            for (size_t c = 0; c < a; c++) J[r * a + c] = c >= r ? A[r * a + c] : 0.0;
    return ok;
}

/* uncertainty_covariance with scratch of n·a + n (reduce_to_triangle). */
static bool covariance_with(double *J, size_t n, size_t a, double *scratch, double *cov)
{
    if (n > a && scratch && reduce_to_triangle(J, n, a, scratch))
        return qrpt_covariance(J, a, a, cov);
    return qrpt_covariance(J, n, a, cov);
}

bool uncertainty_covariance(double *J, size_t n, size_t a, double *cov)
{
    double *scratch = n > a ? malloc((n * a + n) * sizeof *scratch) : NULL;
    bool ok = covariance_with(J, n, a, scratch, cov);
    free(scratch);
    return ok;
}

/* Standard errors from the Jacobian of the raw residuals at the optimum,
 * scaled by the residual variance, carried to the natural scale. */
void fit_uncertainty(const problem *pb, solver *s, const start_result *best, slaw_fit *f)
{
    const param_map *pm = &pb->map;
    const dataset *d = pb->data;
    size_t n = d->n, used = dataset_count(d), m = pm->m, p = pm->p, active[LAW_MAX_PARAMS], a = 0;
    /* the residuals, the Jacobian and the covariance's scratch in one block */
    double *r = malloc(n * (2 * m + 2) * sizeof *r), *J = r ? r + n : NULL;
    double cov_u[LAW_MAX_PARAMS * LAW_MAX_PARAMS] = {0}, slope[LAW_MAX_PARAMS],
                                  theta[LAW_MAX_PARAMS], cov[LAW_MAX_PARAMS * LAW_MAX_PARAMS];

    f->se_method = text_copy(pb->obj.loss == SLAW_LOSS_L2 ? se_l2 : se_robust);
    for (size_t j = 0; j < p; j++) f->se[j] = NAN;
    if (!r) goto out;
    for (size_t k = 0; k < m; k++)
        if (!param_map_pinned(pm, best->u, k)) active[a++] = k;
    solver_raw_jacobian(s, best->u, r, J);
    double rss = 0;
    for (size_t i = 0; i < n; i++) rss += (d->w ? d->w[i] : 1.0) * r[i] * r[i];
    f->stats.sigma = used > a ? sqrt(rss / (double)(used - a)) : NAN;
    if (!a || used <= a) goto out;
    /* The weighted active columns, n × a, packed in place (element (i, c)
     * moves down from i·m + active[c] ≥ i·a + c, after every earlier one);
     * J itself when every column is active and the runs are unweighted. */
    for (size_t i = 0; (a < m || d->sw) && i < n; i++) {
        double sw = d->sw ? d->sw[i] : 1.0;
        for (size_t c = 0; c < a; c++) J[i * a + c] = sw * J[i * m + active[c]];
    }
    if (!covariance_with(J, n, a, J + n * m, cov)) goto out;
    double var = rss / (double)(used - a);
    for (size_t c = 0; c < a; c++)
        for (size_t e = 0; e < a; e++) cov_u[active[c] * m + active[e]] = var * cov[c * a + e];

    /* cov_natural = G cov_u G', G_jk = d(natural_j)/d(u_k). */
    param_map_slope(pm, best->u, slope);
    param_map_theta(pm, best->u, theta);
    double G[LAW_MAX_PARAMS][LAW_MAX_PARAMS] = {{0}};
    for (size_t j = 0; j < p; j++) {
        int k = pm->free_of[j];
        if (k < 0) continue;
        double scale = pb->law->params[j].scale == SCALE_LOG ? exp(theta[j]) : 1.0;
        G[j][k] = scale * slope[k];
    }
    for (size_t i = 0; i < p; i++)
        for (size_t j = 0; j < p; j++) {
            double sum = 0;
            for (size_t k = 0; k < m; k++)
                for (size_t l = 0; l < m; l++) sum += G[i][k] * cov_u[k * m + l] * G[j][l];
            f->cov[i * p + j] = sum;
        }
    /* The same in the internal coordinates, for fit_identify. */
    for (size_t i = 0; i < p; i++)
        for (size_t j = 0; j < p; j++) {
            int k = pm->free_of[i], l = pm->free_of[j];
            f->cov_theta[i * p + j] =
                k >= 0 && l >= 0 ? slope[k] * slope[l] * cov_u[(size_t)k * m + (size_t)l] : 0;
        }
    for (size_t j = 0; j < p; j++) {
        int k = pm->free_of[j];
        bool counted = k >= 0 && !param_map_pinned(pm, best->u, (size_t)k);
        /* |G_jk| sd(u_k) rather than sqrt(cov_jj): the square of a large
         * value (A ~ 1e200) overflows where its error does not. */
        f->se[j] = counted ? fabs(G[j][k]) * sqrt(cov_u[k * m + k]) : NAN;
    }
out:
    free(r);
}

/* Derived quantities and their standard errors by the delta method. */
void fit_derive(const slaw_law *law, slaw_fit *f)
{
    if (!law->n_derived) return;
    size_t p = law->n_params;
    double base[LAW_MAX_DERIVED], grad[LAW_MAX_DERIVED][LAW_MAX_PARAMS] = {{0}};
    law->derived(f->value, base);
    for (size_t j = 0; j < p; j++) {
        if (f->state[j] != SLAW_PARAM_FREE && f->state[j] != SLAW_PARAM_TIED) continue;
        double v[LAW_MAX_PARAMS], hi[LAW_MAX_DERIVED], lo[LAW_MAX_DERIVED];
        double h = 1e-6 * fmax(fabs(f->value[j]), 1e-8);
        memcpy(v, f->value, sizeof v);
        v[j] = f->value[j] + h;
        law->derived(v, hi);
        v[j] = f->value[j] - h;
        law->derived(v, lo);
        for (size_t q = 0; q < law->n_derived; q++) grad[q][j] = (hi[q] - lo[q]) / (2 * h);
    }
    for (size_t q = 0; q < law->n_derived; q++) {
        double var = 0, size = 0;
        for (size_t i = 0; i < p; i++)
            for (size_t j = 0; j < p; j++) {
                double term = grad[q][i] * f->cov[i * p + j] * grad[q][j];
                var += term;
                size += fabs(term);
            }
        /* zero within the rounding of its terms (a share of tied exponents,
         * exactly 1/2, cancels to a few ulps either side of 0) */
        if (fabs(var) <= 64 * DBL_EPSILON * size) var = 0;
        f->derived[q] = base[q];
        f->derived_se[q] = var >= 0 ? sqrt(var) : NAN;
        f->derived_identified[q] = true;
        for (size_t j = 0; j < p; j++)
            if (!f->identified[j] && grad[q][j] != 0) f->derived_identified[q] = false;
        if (!f->derived_identified[q]) f->derived_se[q] = NAN;
    }
}

/* How well the optimum describes the runs. */
void fit_goodness(const problem *pb, const start_result *best, const double *law_at, slaw_fit *f)
{
    const dataset *d = pb->data;
    size_t n = d->n;
    double theta[FIT_MAX_PARAMS];
    double *own = NULL;
    const double *lny = law_at;
    if (!lny) {
        if (!(own = malloc(n * sizeof *own))) return;
        param_map_theta(&pb->map, best->u, theta);
        problem_eval(pb, theta, 0, n, own, NULL);
        lny = own;
    }
    double sw = 0, mean = 0, ss_res = 0, ss_tot = 0, sq_log = 0;
    size_t n_log = 0;
    bool log_space = pb->obj.space == SLAW_SPACE_LOG, direct = pb->obj.direct;
    /* ln ŷ and the residuals: in log space lny and lny - ln y; otherwise
     * through exp or log (lny holds ŷ itself for a formula in linear
     * space), computed first, as libm calls inside the sums' loop kept the
     * sums in memory */
    const double *ln_yhat = lny, *res = NULL;
    double *scratch = NULL;
    if (!log_space || direct) {
        if (!(scratch = malloc(2 * n * sizeof *scratch))) goto out;
        for (size_t i = 0; i < n; i++) {
            scratch[i] = direct ? log(lny[i]) : lny[i];
            scratch[n + i] =
                log_space ? lny[i] - d->lny[i] : (direct ? lny[i] : exp(lny[i])) - d->y[i];
        }
        ln_yhat = scratch;
        res = scratch + n;
    }
    for (size_t i = 0; i < n; i++) {
        double w = d->w ? d->w[i] : 1.0;
        sw += w;
        mean += w * (log_space ? d->lny[i] : d->y[i]);
    }
    mean /= sw > 0 ? sw : 1.0;
    for (size_t i = 0; i < n; i++) {
        double w = d->w ? d->w[i] : 1.0;
        double t = log_space ? d->lny[i] : d->y[i];
        double r = res ? res[i] : lny[i] - d->lny[i];
        ss_res += w * r * r;
        ss_tot += w * (t - mean) * (t - mean);
        if (isfinite(d->lny[i]) && isfinite(ln_yhat[i]) && dataset_row_counts(d, i)) {
            sq_log += (ln_yhat[i] - d->lny[i]) * (ln_yhat[i] - d->lny[i]);
            n_log++;
        }
    }
    size_t k = pb->map.m;
    n = dataset_count(d);
    f->stats.n = n;
    f->stats.n_free = k;
    f->stats.r2 = ss_tot > 0 ? 1.0 - ss_res / ss_tot : NAN;
    f->stats.rmse_log = n_log ? sqrt(sq_log / (double)n_log) : NAN;
    double ll = (double)n * log(ss_res / (double)n);
    f->stats.aic = ll + 2.0 * (double)k;
    f->stats.bic = ll + (double)k * log((double)n);
out:
    free(scratch);
    free(own);
}
