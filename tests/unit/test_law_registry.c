/* test_law_registry.c — the recipe "How to add a law" (docs/architecture.md)
 * holds for every row of the registry: each law has every field a law
 * needs, a Jacobian that agrees with finite differences around its default
 * start grid, and a place in docs/laws.md.  The test walks the registry, so a
 * new law is checked without a line added here. */
#include "helpers.h"
#include "law.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool is_name(const char *s)
{
    if (!s || !*s) return false;
    for (; *s; s++)
        if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) && *s != '_' && *s != '-')
            return false;
    return true;
}

static void every_law_should_have_the_fields_a_law_needs(void **state)
{
    (void)state;
    assert_true(slaw_law_count() > 0);
    for (size_t i = 0; i < slaw_law_count(); i++) {
        const slaw_law *law = slaw_law_at(i);
        const char *name = slaw_law_name(law);
        if (!is_name(name))
            fail_msg("law %zu: name '%s' is not lower-case letters and digits", i,
                     name ? name : "(null)");
        assert_ptr_equal(slaw_law_find(name), law);
        for (size_t k = 0; k < i; k++)
            if (!strcmp(slaw_law_name(slaw_law_at(k)), name))
                fail_msg("%s: registered twice", name);
        if (!slaw_law_formula(law) || !*slaw_law_formula(law))
            fail_msg("%s: no formula text", name);
        if (!slaw_law_summary(law) || !*slaw_law_summary(law)) fail_msg("%s: no summary", name);
        size_t v = slaw_law_var_count(law), p = slaw_law_param_count(law);
        if (v < 1 || v > LAW_MAX_VARS) fail_msg("%s: %zu variables", name, v);
        if (p < 1 || p > LAW_MAX_PARAMS) fail_msg("%s: %zu parameters", name, p);
        if (!law->eval && !law->program) fail_msg("%s: no eval", name);
        if (!law->uncenter) fail_msg("%s: no uncenter for its start grid", name);
        if (law->optimal && v != 2) fail_msg("%s: a closed-form optimum needs N and D", name);
        if (law->n_derived > LAW_MAX_DERIVED || (law->n_derived > 0) != (law->derived != NULL))
            fail_msg("%s: %zu derived quantities but derived() is %s", name, law->n_derived,
                     law->derived ? "set" : "NULL");
        for (size_t d = 0; d < law->n_derived; d++)
            if (!law->derived_names[d] || !law->derived_meaning[d])
                fail_msg("%s: derived quantity %zu has no name or meaning", name, d);
        for (size_t j = 0; j < p; j++) {
            const law_param *q = &law->params[j];
            if (!q->name || !q->internal || !q->meaning)
                fail_msg("%s: parameter %zu lacks a name, internal name or meaning", name, j);
            bool internal;
            if (law_param_index(law, q->name, strlen(q->name), &internal) != j)
                fail_msg("%s: parameter name %s is not unique", name, q->name);
            if (law_param_index(law, q->internal, strlen(q->internal), &internal) != j)
                fail_msg("%s: internal name %s is not unique", name, q->internal);
            const grid_axis *g = &law->grid[j];
            if (!(g->lo <= g->hi) || !(g->step > 0) || !isfinite(g->hi - g->lo))
                fail_msg("%s: grid axis of %s is not lo <= hi with a positive step", name, q->name);
        }
    }
}

/* ln y at theta, NaN when the law gives no finite value there. */
static double ln_at(const slaw_law *law, const double *theta, const double *lnx, double *J)
{
    const double *in[LAW_MAX_VARS];
    for (size_t v = 0; v < LAW_MAX_VARS; v++) in[v] = &lnx[v];
    double lny;
    law_eval(law, theta, in, 1, &lny, J);
    return isfinite(lny) ? lny : NAN;
}

static void every_jacobian_should_match_finite_differences_on_its_grid(void **state)
{
    (void)state;
    /* Data around x = 3 (N = 3, D = 5) with y = 2: the grid's centre is
     * uncentred on it, as a fit does.  Units that keep every parameter near
     * 1 keep the finite differences honest; the Jacobian is the same
     * algebra in any units. */
    data_summary s = {{log(3.0), log(5.0), log(4.0), log(2.0)}, log(2.0)};
    static const double offsets[] = {-0.5, 0.0, 0.5};
    for (size_t i = 0; i < slaw_law_count(); i++) {
        const slaw_law *law = slaw_law_at(i);
        size_t p = law->n_params;
        double theta[LAW_MAX_PARAMS];
        bool centered[LAW_MAX_PARAMS];
        for (size_t j = 0; j < p; j++) {
            theta[j] = 0.5 * (law->grid[j].lo + law->grid[j].hi);
            centered[j] = true;
        }
        law->uncenter(&s, centered, theta);
        size_t checked = 0;
        for (size_t k = 0; k < sizeof offsets / sizeof offsets[0]; k++) {
            double lnx[LAW_MAX_VARS], J[LAW_MAX_PARAMS];
            for (size_t v = 0; v < LAW_MAX_VARS; v++) lnx[v] = s.mean_lnx[v] + offsets[k];
            if (isnan(ln_at(law, theta, lnx, J))) continue;
            for (size_t j = 0; j < p; j++) {
                double t[LAW_MAX_PARAMS], h = 1e-6 * fmax(fabs(theta[j]), 1.0);
                memcpy(t, theta, sizeof t);
                t[j] = theta[j] + h;
                double hi = ln_at(law, t, lnx, NULL);
                t[j] = theta[j] - h;
                double lo = ln_at(law, t, lnx, NULL), numeric = (hi - lo) / (2 * h);
                if (isnan(numeric)) continue;
                if (fabs(J[j] - numeric) > 1e-5 * fmax(1.0, fabs(numeric)))
                    fail_msg("%s at ln x + %g: d ln y / d %s = %.10g, finite differences %.10g",
                             law->name, offsets[k], law->params[j].internal, J[j], numeric);
                checked++;
            }
        }
        if (!checked) fail_msg("%s: no finite value near the centre of its grid", law->name);
    }
}

/* A law that gives its basis columns alone (law_basis_fn): each linear
 * parameter's is J's column from `values`, to the bit, over 100 rows around
 * each test point (more than a block of the kernels' rows). */
static void every_basis_should_be_its_values_column(void **state)
{
    (void)state;
    enum { N = 100 };
    size_t laws = 0;
    for (size_t i = 0; i < slaw_law_count(); i++) {
        const slaw_law *law = slaw_law_at(i);
        if (!law->basis) continue;
        assert_true(law->separable && law->values);
        laws++;
        size_t p = law->n_params;
        for (size_t t = 0; t < law->n_test_points; t++) {
            const law_test_point *tp = &law->test_points[t];
            static double lnx[LAW_MAX_VARS][N], yhat[N], J[N * LAW_MAX_PARAMS], column[N];
            double theta[LAW_MAX_PARAMS];
            const double *in[LAW_MAX_VARS];
            for (size_t j = 0; j < p; j++) theta[j] = law_to_internal(law, j, tp->natural[j]);
            for (size_t v = 0; v < LAW_MAX_VARS; v++) {
                for (size_t r = 0; r < N; r++)
                    lnx[v][r] = v < law->n_vars ? log(tp->x[v]) + 0.05 * (double)r : 0.0;
                in[v] = lnx[v];
            }
            law->values(theta, in, N, yhat, J);
            for (size_t j = 0; j < p; j++) {
                if (!(law->linear >> j & 1u)) continue;
                law->basis(theta, in, N, j, column);
                for (size_t r = 0; r < N; r++)
                    if (memcmp(&column[r], &J[r * p + j], sizeof column[r]))
                        fail_msg("%s, test point %zu, row %zu: basis %s %.17g, values %.17g",
                                 law->name, t, r, law->params[j].internal, column[r], J[r * p + j]);
            }
        }
    }
    assert_true(laws >= 1); /* chinchilla gives its own */
}

/* A law that gives its curvature (law_curvature_fn): C = ∇² ln y + j jᵀ
 * against central differences of its Jacobian, at its test points and 0.1
 * either side of them in every parameter, the row weighted c = 2 (so that
 * what it adds must scale with c). */
static void every_curvature_should_match_finite_differences(void **state)
{
    (void)state;
    size_t laws = 0;
    for (size_t i = 0; i < slaw_law_count(); i++) {
        const slaw_law *law = slaw_law_at(i);
        if (!law->curvature) continue;
        laws++;
        size_t p = law->n_params;
        for (size_t t = 0; t < law->n_test_points; t++)
            for (int shift = -1; shift <= 1; shift++) {
                const law_test_point *tp = &law->test_points[t];
                double theta[LAW_MAX_PARAMS], lnx[LAW_MAX_VARS], J[LAW_MAX_PARAMS];
                for (size_t j = 0; j < p; j++)
                    theta[j] = law_to_internal(law, j, tp->natural[j]) + 0.1 * shift;
                for (size_t v = 0; v < law->n_vars; v++) lnx[v] = log(tp->x[v]);
                assert_false(isnan(ln_at(law, theta, lnx, J)));
                const double *in[LAW_MAX_VARS];
                for (size_t v = 0; v < LAW_MAX_VARS; v++) in[v] = &lnx[v];
                double H[LAW_MAX_PARAMS * LAW_MAX_PARAMS] = {0}, c = 2.0, cj[LAW_MAX_PARAMS];
                for (size_t j = 0; j < p; j++) cj[j] = c * J[j];
                law->curvature(in, 1, J, &c, cj, H);
                for (size_t j = 0; j < p; j++) {
                    double th[LAW_MAX_PARAMS], hi[LAW_MAX_PARAMS], lo[LAW_MAX_PARAMS];
                    double h = 1e-5 * fmax(fabs(theta[j]), 1.0);
                    memcpy(th, theta, sizeof th);
                    th[j] = theta[j] + h;
                    ln_at(law, th, lnx, hi);
                    th[j] = theta[j] - h;
                    ln_at(law, th, lnx, lo);
                    for (size_t k = j; k < p; k++) {
                        double numeric = (hi[k] - lo[k]) / (2 * h) + J[j] * J[k];
                        if (!(fabs(H[j * p + k] / c - numeric) <= 1e-6 * fmax(1.0, fabs(numeric))))
                            fail_msg("%s, test point %zu %+d: C[%s][%s] = %.10g, finite "
                                     "differences %.10g",
                                     law->name, t, shift, law->params[j].internal,
                                     law->params[k].internal, H[j * p + k] / c, numeric);
                    }
                }
            }
    }
    assert_true(laws >= 2); /* saturating and chinchilla give theirs */
}

/* ∂ln y/∂θ at theta and the input lnx against central differences. */
static void check_jacobian(const slaw_law *law, const double *theta, const double *lnx,
                           const char *where)
{
    double J[LAW_MAX_PARAMS];
    if (isnan(ln_at(law, theta, lnx, J))) fail_msg("%s %s: no finite value", law->name, where);
    for (size_t j = 0; j < law->n_params; j++) {
        double t[LAW_MAX_PARAMS], h = 1e-6 * fmax(fabs(theta[j]), 1.0);
        memcpy(t, theta, sizeof t);
        t[j] = theta[j] + h;
        double hi = ln_at(law, t, lnx, NULL);
        t[j] = theta[j] - h;
        double lo = ln_at(law, t, lnx, NULL), numeric = (hi - lo) / (2 * h);
        if (!(fabs(J[j] - numeric) <= 1e-6 * fmax(1.0, fabs(numeric))))
            fail_msg("%s %s: d ln y / d %s = %.10g, finite differences %.10g", law->name, where,
                     law->params[j].internal, J[j], numeric);
    }
}

/* Each row's test points, computed from the published formula outside slaw
 * (tests/reference/law_test_points.py): the value to 1e-12 relative, and
 * the Jacobian there, so every branch a point reaches is checked. */
static void every_law_should_give_its_test_points(void **state)
{
    (void)state;
    for (size_t i = 0; i < slaw_law_count(); i++) {
        const slaw_law *law = slaw_law_at(i);
        if (law->n_test_points < 1 || law->n_test_points > LAW_MAX_TEST_POINTS)
            fail_msg("%s: %zu test points", law->name, law->n_test_points);
        for (size_t k = 0; k < law->n_test_points; k++) {
            const law_test_point *tp = &law->test_points[k];
            double got = slaw_law_eval(law, tp->natural, tp->x);
            if (!(fabs(got - tp->y) <= 1e-12 * fabs(tp->y)))
                fail_msg("%s test point %zu: %.17g, expected %.17g", law->name, k, got, tp->y);
            double theta[LAW_MAX_PARAMS] = {0}, lnx[LAW_MAX_VARS] = {0};
            for (size_t j = 0; j < law->n_params; j++)
                theta[j] = law_to_internal(law, j, tp->natural[j]);
            for (size_t v = 0; v < law->n_vars; v++) lnx[v] = log(tp->x[v]);
            char where[48];
            snprintf(where, sizeof where, "at test point %zu", k);
            check_jacobian(law, theta, lnx, where);
        }
    }
}

/* values() against e^(eval) on 70 rows (a whole block and a part) at one
 * parameter point: ŷ to 1e-13 relative, ∂ŷ/∂θ_j = ŷ ∂ln ŷ/∂θ_j to 1e-12
 * of the row's largest derivative. */
static void check_values(const slaw_law *law, const double *theta, const data_summary *s)
{
    enum { ROWS = 70 };
    size_t p = law->n_params;
    double lnx[LAW_MAX_VARS][ROWS], lny[ROWS], yhat[ROWS];
    double J_log[ROWS * LAW_MAX_PARAMS], J[ROWS * LAW_MAX_PARAMS];
    const double *in[LAW_MAX_VARS];
    for (size_t v = 0; v < LAW_MAX_VARS; v++) {
        for (size_t i = 0; i < ROWS; i++)
            lnx[v][i] = s->mean_lnx[v] + 4.0 * ((double)i / (ROWS - 1) - 0.5) * (double)(v + 1);
        in[v] = lnx[v];
    }
    law->eval(theta, in, ROWS, lny, J_log);
    law->values(theta, in, ROWS, yhat, J);
    for (size_t i = 0; i < ROWS; i++) {
        double y = exp(lny[i]), largest = 0;
        if (!(fabs(yhat[i] - y) <= 1e-13 * y))
            fail_msg("%s row %zu: values gives %.17g, e^(eval) %.17g", law->name, i, yhat[i], y);
        for (size_t j = 0; j < p; j++) largest = fmax(largest, fabs(y * J_log[i * p + j]));
        for (size_t j = 0; j < p; j++) {
            double expected = y * J_log[i * p + j];
            if (!(fabs(J[i * p + j] - expected) <= 1e-12 * largest))
                fail_msg("%s row %zu: d y / d %s = %.17g, from eval %.17g", law->name, i,
                         law->params[j].internal, J[i * p + j], expected);
        }
    }
}

/* A law's values() is the same law as its eval(), at every point of its
 * default grid's corners and centre. */
static void every_values_kernel_should_agree_with_its_log_form(void **state)
{
    (void)state;
    data_summary s = {{log(3e8), log(2e10), log(4.0), log(2.0)}, log(2.5)};
    size_t laws = 0;
    for (size_t i = 0; i < slaw_law_count(); i++) {
        const slaw_law *law = slaw_law_at(i);
        if (!law->values) continue;
        laws++;
        for (int corner = 0; corner < 3; corner++) {
            double theta[LAW_MAX_PARAMS];
            bool centered[LAW_MAX_PARAMS];
            for (size_t j = 0; j < law->n_params; j++) {
                const grid_axis *g = &law->grid[j];
                theta[j] = corner == 0 ? g->lo : corner == 1 ? 0.5 * (g->lo + g->hi) : g->hi;
                centered[j] = true;
            }
            law->uncenter(&s, centered, theta);
            check_values(law, theta, &s);
        }
    }
    assert_true(laws >= 4); /* power, saturating, chinchilla, gadre */
}

static void every_law_should_be_documented_in_docs_laws(void **state)
{
    (void)state;
    FILE *fp = fopen(source_path("docs/laws.md"), "rb");
    assert_non_null(fp);
    static char text[1 << 18];
    size_t n = fread(text, 1, sizeof text - 1, fp);
    fclose(fp);
    text[n] = '\0';
    for (size_t i = 0; i < slaw_law_count(); i++) {
        char quoted[64];
        snprintf(quoted, sizeof quoted, "`%s`", slaw_law_name(slaw_law_at(i)));
        if (!strstr(text, quoted))
            fail_msg("docs/laws.md does not name %s (as %s)", slaw_law_name(slaw_law_at(i)),
                     quoted);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_law_should_have_the_fields_a_law_needs),
        cmocka_unit_test(every_jacobian_should_match_finite_differences_on_its_grid),
        cmocka_unit_test(every_law_should_give_its_test_points),
        cmocka_unit_test(every_values_kernel_should_agree_with_its_log_form),
        cmocka_unit_test(every_curvature_should_match_finite_differences),
        cmocka_unit_test(every_basis_should_be_its_values_column),
        cmocka_unit_test(every_law_should_be_documented_in_docs_laws),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
