/* test_uncertainty.c — the covariance at the optimum is GSL's: the same bits as
 * gsl_multifit_nlinear_covar gives of the same Jacobian, well or badly
 * conditioned, of full rank or not. */
#include "helpers.h"
#include "uncertainty.h"

#include <gsl/gsl_multifit_nlinear.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
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

static void same_as_gsl(void **state)
{
    (void)state;
    static double J[MAX_ROWS * MAX_COLS], copy[MAX_ROWS * MAX_COLS];
    double ours[MAX_COLS * MAX_COLS], theirs[MAX_COLS * MAX_COLS];
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 19);
    size_t truncated = 0;
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
        assert_true(uncertainty_covariance(J, n, a, ours));
        if (memcmp(ours, theirs, a * a * sizeof *ours))
            fail_msg("trial %d (kind %d, %zu x %zu): not GSL's covariance", trial, kind, n, a);
        for (size_t j = 0; j < a; j++) truncated += theirs[j * a + j] == 0;
    }
    assert_true(truncated > 0); /* the rank-deficient kinds were met */
    gsl_rng_free(rng);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(same_as_gsl),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
