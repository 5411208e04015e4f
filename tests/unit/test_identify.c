/* test_identify.c — parameters the runs do not determine are reported as
 * undetermined (no standard error, "identified": false), never with a
 * standard error of 0, and fit files carry the flag both ways. */
#include "helpers.h"
#include "formula.h"
#include "uncertainty.h"

#include <gsl/gsl_linalg.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A fit of the bundled Chinchilla runs, all or those with N below max_n. */
static slaw_artifact *chinchilla(const char *law, const char *where)
{
    const char *path = source_path("data/chinchilla/svg_extracted_data.csv");
    slaw_load_options lo;
    slaw_load_options_init(&lo);
    slaw_runs *runs = NULL;
    slaw_artifact *a = NULL;
    slaw_error err;
    if (slaw_runs_load(&path, 1, &lo, &runs, &err) != SLAW_OK) fail_msg("load: %s", err.message);
    slaw_fit_options opt;
    slaw_fit_options_init(&opt);
    opt.law = law;
    slaw_selection *sel = slaw_selection_new();
    if (where) assert_int_equal(slaw_selection_add_where(sel, where, &err), SLAW_OK);
    opt.selection = sel;
    if (slaw_fit_runs(runs, &opt, &a, &err) != SLAW_OK) fail_msg("fit: %s", err.message);
    slaw_selection_free(sel);
    slaw_runs_free(runs);
    return a;
}

static bool has_warning(const slaw_fit *f, const char *want)
{
    for (size_t i = 0; i < slaw_fit_warning_count(f); i++)
        if (strstr(slaw_fit_warning(f, i), want)) return true;
    return false;
}

static void singular_covariance_should_leave_no_standard_error_of_zero(void **state)
{
    (void)state;
    /* Before: E = 1.4e-11 with stderr 0. */
    slaw_artifact *a = chinchilla("saturating", "N < 120e6");
    const slaw_fit *f = slaw_artifact_fit(a, 0);
    assert_false(slaw_fit_identified(f, 0));
    assert_true(isnan(slaw_fit_stderr(f, 0)));
    assert_true(slaw_fit_identified(f, 1) && slaw_fit_stderr(f, 1) > 0);
    assert_true(slaw_fit_identified(f, 2) && slaw_fit_stderr(f, 2) > 0);
    assert_true(has_warning(f, "the runs do not determine E, the irreducible loss"));
    assert_true(has_warning(f, "add runs at larger Model Size"));
    double cond;
    assert_non_null(slaw_fit_correlation(f, &cond));
    assert_true(isinf(cond));
    slaw_artifact_free(a);
}

static void entangled_parameters_should_be_named_in_pairs(void **state)
{
    (void)state;
    slaw_artifact *a = chinchilla("chinchilla", "N < 79e6");
    const slaw_fit *f = slaw_artifact_fit(a, 0);
    for (size_t j = 0; j < 4; j++) {
        assert_false(slaw_fit_identified(f, j));
        assert_true(isnan(slaw_fit_stderr(f, j)));
    }
    assert_true(slaw_fit_identified(f, 4)); /* beta */
    assert_true(slaw_fit_stderr(f, 4) > 0);
    assert_true(has_warning(f, "E and A correlate at -1.000: the runs do not separate E"));
    assert_true(has_warning(f, "hold one with fix E=VALUE or add runs at larger N"));
    assert_true(has_warning(f, "standard error 5.37e+07 exceeds its value 1.04e+07"));
    /* the library speaks of its option fix, and says so as slaw_error.option does; no
     * warning of the library names a command-line flag */
    for (size_t i = 0; i < slaw_fit_warning_count(f); i++) {
        const char *w = slaw_fit_warning(f, i), *option = slaw_fit_warning_option(f, i);
        assert_null(strstr(w, "--"));
        assert_null(strstr(w, "(fix "));
        if (strstr(w, " with fix ")) assert_string_equal(option, "fix");
        else assert_null(option);
    }
    assert_null(slaw_fit_warning_option(f, slaw_fit_warning_count(f)));
    /* a = beta/(alpha+beta) moves with the undetermined alpha; so do all four */
    for (size_t q = 0; q < slaw_law_derived_count(slaw_fit_law(f)); q++) {
        double se;
        slaw_fit_derived(f, q, &se);
        assert_false(slaw_fit_derived_identified(f, q));
        assert_true(isnan(se));
    }
    slaw_artifact_free(a);
}

static void a_determined_fit_should_stay_determined(void **state)
{
    (void)state;
    slaw_artifact *a = chinchilla("chinchilla", NULL);
    const slaw_fit *f = slaw_artifact_fit(a, 0);
    double cond;
    const double *r = slaw_fit_correlation(f, &cond);
    assert_non_null(r);
    for (size_t j = 0; j < 5; j++) {
        assert_true(slaw_fit_identified(f, j));
        assert_true(slaw_fit_stderr(f, j) > 0);
        assert_true(fabs(r[j * 5 + j] - 1) < 1e-12);
    }
    /* A and alpha correlate at 0.999 as reported (A is the term at N = 1);
     * at the runs' centre they do not. */
    assert_true(fabs(r[1 * 5 + 3]) < 0.99);
    assert_true(cond > 100 && cond < 1e4);
    assert_int_equal(slaw_fit_warning_count(f), 0);
    slaw_artifact_free(a);
}

static void fit_files_should_carry_identified_both_ways(void **state)
{
    (void)state;
    slaw_artifact *a = chinchilla("chinchilla", "N < 79e6"), *back = NULL;
    slaw_error err;
    char *text = slaw_artifact_to_json(a);
    assert_non_null(strstr(text, "\"stderr\":\tnull,\n\t\t\t\t\t\"identified\":\tfalse"));
    assert_non_null(strstr(text, "\"identified\":\ttrue"));
    assert_int_equal(slaw_artifact_parse("fit.json", text, strlen(text), &back, &err), SLAW_OK);
    const slaw_fit *f = slaw_artifact_fit(back, 0);
    assert_false(slaw_fit_identified(f, 0));
    assert_true(slaw_fit_identified(f, 4));
    assert_false(slaw_fit_derived_identified(f, 0));
    assert_null(slaw_fit_correlation(f, NULL));
    slaw_artifact_free(back);
    free(text);
    slaw_artifact_free(a);
}

/* The text of a fit file with the first "identified" of E replaced. */
static char *edited(const char *text, const char *from, const char *to)
{
    const char *at = strstr(text, from);
    assert_non_null(at);
    char *out = malloc(strlen(text) + strlen(to) + 1);
    size_t head = (size_t)(at - text);
    memcpy(out, text, head);
    strcpy(out + head, to);
    strcat(out, at + strlen(from));
    return out;
}

static void read_should_refuse_identified_that_contradicts_stderr(void **state)
{
    (void)state;
    slaw_artifact *a = chinchilla("chinchilla", NULL), *back = NULL;
    char *text = slaw_artifact_to_json(a);
    slaw_error err;
    static const struct {
        const char *from, *to, *want;
    } cases[] = {
        {"\"identified\":\ttrue", "\"identified\":\tfalse",
         "fits[0].params.E: identified is false but stderr is a number"},
        {"\"identified\":\ttrue", "\"identified\":\t\"yes\"",
         "fits[0].params.E.identified must be true or false"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *bad = edited(text, cases[i].from, cases[i].to);
        assert_int_equal(slaw_artifact_parse("fit.json", bad, strlen(bad), &back, &err),
                         SLAW_EINPUT);
        if (!strstr(err.message, cases[i].want))
            fail_msg("'%s' lacks '%s'", err.message, cases[i].want);
        free(bad);
    }
    free(text);
    slaw_artifact_free(a);
    /* A null stderr on a free parameter of known variance needs "identified":
     * false; true, or nothing, is refused. */
    slaw_artifact *small = chinchilla("chinchilla", "N < 79e6");
    text = slaw_artifact_to_json(small);
    char *old = edited(text, "\"identified\":\tfalse,", "");
    assert_int_equal(slaw_artifact_parse("old.json", old, strlen(old), &back, &err), SLAW_EINPUT);
    assert_non_null(strstr(err.message, "stderr is null for a free parameter of known variance"));
    char *claim = edited(text, "\"identified\":\tfalse", "\"identified\":\ttrue");
    assert_int_equal(slaw_artifact_parse("fit.json", claim, strlen(claim), &back, &err),
                     SLAW_EINPUT);
    assert_non_null(strstr(err.message, "stderr is null for a free parameter of known variance"));
    free(claim);
    free(old);
    free(text);
    slaw_artifact_free(small);
}

/* M = d(raw internal)/d(centred internal) from the law's uncenter map, and
 * its inverse by GSL's LU decomposition: what identify_centring computed
 * for every law without a centring of its own before it inverted unit
 * upper triangular matrices by itself. */
static void gsl_centring(const slaw_law *law, const data_summary *s, double *C)
{
    size_t p = law->n_params;
    bool all[LAW_MAX_PARAMS];
    double t0[LAW_MAX_PARAMS] = {0}, M[LAW_MAX_PARAMS * LAW_MAX_PARAMS];
    for (size_t j = 0; j < LAW_MAX_PARAMS; j++) all[j] = true;
    law->uncenter(s, all, t0);
    for (size_t k = 0; k < p; k++) {
        double t[LAW_MAX_PARAMS] = {0};
        t[k] = 1;
        law->uncenter(s, all, t);
        for (size_t j = 0; j < p; j++) M[j * p + k] = t[j] - t0[j];
    }
    size_t order[LAW_MAX_PARAMS];
    int sign;
    gsl_permutation perm = {p, order};
    gsl_matrix_view m = gsl_matrix_view_array(M, p, p), c = gsl_matrix_view_array(C, p, p);
    assert_int_equal(gsl_linalg_LU_decomp(&m.matrix, &perm, &sign), 0);
    assert_int_equal(gsl_linalg_LU_invert(&m.matrix, &perm, &c.matrix), 0);
}

static bool x_or_n_or_d(void *ctx, const char *name)
{
    (void)ctx;
    return !strcmp(name, "N") || !strcmp(name, "D") || !strcmp(name, "x");
}

/* The centring of every built-in law and of formulas equals GSL's inverse
 * of the uncenter map, element for element, at data centres of either
 * sign. */
static void centring_should_be_the_inverse_gsl_computes(void **state)
{
    (void)state;
    static const char *const formulas[] = {"E + A/N^alpha + B/D^beta", "E + A*x^-alpha",
                                           "(A/N^alpha + B/D^beta)^gamma"};
    static const data_summary centres[] = {{{18.3, 23.9, 1.3}, 0.71}, {{-2.2, 0.4, 7.1}, -1.9}};
    size_t n_laws = slaw_law_count(), checked = 0;
    for (size_t i = 0; i < n_laws + 3; i++) {
        slaw_law *own = NULL;
        const slaw_law *law = i < n_laws ? slaw_law_at(i) : NULL;
        slaw_error err;
        if (!law && formula_law_new(formulas[i - n_laws], x_or_n_or_d, NULL, &own, &err))
            fail_msg("%s: %s", formulas[i - n_laws], err.message);
        if (own) law = own;
        for (size_t c = 0; c < 2 && !law->centring; c++) {
            double theta[LAW_MAX_PARAMS] = {0}, want[LAW_MAX_PARAMS * LAW_MAX_PARAMS],
                   got[LAW_MAX_PARAMS * LAW_MAX_PARAMS];
            size_t p = law->n_params;
            gsl_centring(law, &centres[c], want);
            assert_true(identify_centring(law, &centres[c], theta, got));
            for (size_t k = 0; k < p * p; k++)
                if (!(got[k] == want[k]))
                    fail_msg("%s, centre %zu, C[%zu][%zu]: %.17g, GSL %.17g", law->name, c, k / p,
                             k % p, got[k], want[k]);
            checked++;
        }
        formula_law_free(own);
    }
    assert_true(checked >= 2 * (n_laws - 1));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(singular_covariance_should_leave_no_standard_error_of_zero),
        cmocka_unit_test(entangled_parameters_should_be_named_in_pairs),
        cmocka_unit_test(a_determined_fit_should_stay_determined),
        cmocka_unit_test(fit_files_should_carry_identified_both_ways),
        cmocka_unit_test(read_should_refuse_identified_that_contradicts_stderr),
        cmocka_unit_test(centring_should_be_the_inverse_gsl_computes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
