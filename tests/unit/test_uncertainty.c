/* test_uncertainty.c — the covariance at the optimum is GSL's: what
 * gsl_multifit_nlinear_covar gives of the same Jacobian, to rounding (within
 * 64 ε times the condition of the columns it keeps), well or badly
 * conditioned, of full rank or not, leaving out the same columns unless the
 * decision is at rounding level. */
#include "helpers.h"
#include "uncertainty.h"

#include <gsl/gsl_linalg.h>
#include <gsl/gsl_multifit_nlinear.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <float.h>
#include <math.h>
#include <stdbool.h>
#include <string.h>

#define MAX_ROWS 300
#define MAX_COLS 6

/* Column j of row i of a Jacobian of kind: noise; decaying powers of ln N as
 * a law's are (badly conditioned); a last column twice the first (rank
 * deficient); columns alternating between two nearly equal ones. */
static double element(int kind, size_t i, size_t j, size_t a, const double *row, gsl_rng *rng)
{
    double x = log(1e6) + 0.03 * (double)i;
    switch (kind) {
    case 0: return gsl_ran_gaussian(rng, 1);
    case 1: return pow(x, (double)j) * exp(-0.3 * (double)j * x) + 1e-9 * gsl_ran_gaussian(rng, 1);
    case 2: return j == a - 1 && a > 1 ? 2 * row[0] : gsl_ran_gaussian(rng, 1);
    default: return j % 2 ? -x * exp(-0.33 * x) : exp(-0.33 * x) + 1e-12 * gsl_ran_gaussian(rng, 1);
    }
}

/* The largest difference between two a × a matrices, over the largest
 * element of the second. */
static double matrix_difference(const double *x, const double *y, size_t a)
{
    double diff = 0, size = 0;
    for (size_t k = 0; k < a * a; k++) {
        diff = fmax(diff, fabs(x[k] - y[k]));
        size = fmax(size, fabs(y[k]));
    }
    return size > 0 ? diff / size : diff;
}

/* |R_11| / |R_kk| of J's pivoted QR for the last pivot k that
 * gsl_multifit_covar_QRPT keeps (above 1e-14 |R_11|): the condition of
 * the columns the covariance is made of; *edge: whether a pivot left out
 * lies within a factor 100 of that threshold (a decision at rounding
 * level). */
static double kept_condition(const double *J, size_t n, size_t a, bool *edge)
{
    static double copy[MAX_ROWS * MAX_COLS];
    double tau[MAX_COLS], norm[MAX_COLS];
    size_t order[MAX_COLS];
    int signum;
    memcpy(copy, J, n * a * sizeof *J);
    gsl_matrix_view A = gsl_matrix_view_array(copy, n, a);
    gsl_vector_view t = gsl_vector_view_array(tau, a), w = gsl_vector_view_array(norm, a);
    gsl_permutation perm = {a, order};
    gsl_linalg_QRPT_decomp(&A.matrix, &t.vector, &perm, &signum, &w.vector);
    double first = fabs(gsl_matrix_get(&A.matrix, 0, 0)), kept = first;
    *edge = false;
    for (size_t k = 0; k < a; k++) {
        double r = fabs(gsl_matrix_get(&A.matrix, k, k));
        if (r > 1e-14 * first) kept = r;
        *edge |= r > 1e-16 * first && r < 1e-12 * first;
    }
    return first / kept;
}

static void same_as_gsl_to_rounding(void **state)
{
    (void)state;
    static double J[MAX_ROWS * MAX_COLS], copy[MAX_ROWS * MAX_COLS];
    double ours[MAX_COLS * MAX_COLS], theirs[MAX_COLS * MAX_COLS];
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 19);
    size_t truncated = 0, badly_conditioned = 0;
    for (int trial = 0; trial < 4000; trial++) {
        int kind = trial % 4;
        size_t a = 1 + gsl_rng_uniform_int(rng, MAX_COLS);
        size_t n = a + 1 + gsl_rng_uniform_int(rng, MAX_ROWS - MAX_COLS);
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < a; j++) J[i * a + j] = element(kind, i, j, a, J + i * a, rng);
        memcpy(copy, J, n * a * sizeof *J);
        gsl_matrix_view Jm = gsl_matrix_view_array(copy, n, a);
        gsl_matrix_view Cm = gsl_matrix_view_array(theirs, a, a);
        assert_int_equal(gsl_multifit_nlinear_covar(&Jm.matrix, 1e-14, &Cm.matrix), GSL_SUCCESS);
        bool edge;
        double kappa = kept_condition(J, n, a, &edge);
        assert_true(uncertainty_covariance(J, n, a, ours));
        /* measured: at most 11 κ ε over these 4000 */
        double d = matrix_difference(ours, theirs, a);
        if (!(d <= 64 * kappa * DBL_EPSILON))
            fail_msg("trial %d (kind %d, %zu x %zu, condition %.3g): off GSL's by %.3g", trial,
                     kind, n, a, kappa, d);
        for (size_t j = 0; j < a; j++) {
            bool cut = theirs[j * a + j] == 0;
            truncated += cut;
            if (!edge && cut != (ours[j * a + j] == 0))
                fail_msg("trial %d (kind %d): column %zu left out by one side alone", trial, kind,
                         j);
        }
        badly_conditioned += kappa > 1e8;
    }
    assert_true(truncated > 0);         /* the rank-deficient kinds were met */
    assert_true(badly_conditioned > 0); /* and the badly conditioned ones */
    gsl_rng_free(rng);
}

/* A column of NaN, or of infinities, or scaled by 1e±200: the reduction
 * leaves it to GSL, or scales it exactly; the covariance is GSL's still. */
static void extreme_columns(void **state)
{
    (void)state;
    enum { N = 40, A = 3 };
    double J[N * A], copy[N * A], ours[A * A], theirs[A * A];
    const double odd[] = {NAN, INFINITY, 1e200, 1e-200};
    for (size_t o = 0; o < sizeof odd / sizeof *odd; o++) {
        for (size_t i = 0; i < N; i++) {
            double x = 0.1 * (double)i;
            J[i * A] = 1;
            J[i * A + 1] = x * x - 0.5 * x;
            J[i * A + 2] = (isfinite(odd[o]) ? odd[o] * sin(3 * x) : i == 7 ? odd[o] : sin(3 * x));
        }
        memcpy(copy, J, sizeof J);
        gsl_matrix_view Jm = gsl_matrix_view_array(copy, N, A);
        gsl_matrix_view Cm = gsl_matrix_view_array(theirs, A, A);
        int gsl_status = gsl_multifit_nlinear_covar(&Jm.matrix, 1e-14, &Cm.matrix);
        bool ok = uncertainty_covariance(J, N, A, ours);
        assert_int_equal(ok, gsl_status == GSL_SUCCESS);
        if (!isfinite(odd[o])) continue; /* GSL's answer, whatever it is, from J itself */
        assert_true(matrix_difference(ours, theirs, A) < 1e-12);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(same_as_gsl_to_rounding),
        cmocka_unit_test(extreme_columns),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
