/* test_fit_ranges.c — the fit file records the data range of every variable a
 * law reads (muennighoff: N, D and U; gadre: C and M; a formula: each of its
 * names) and of the compute C = 6·N·D, keeps them through a write and a read,
 * and a forecast measures its extrapolation against each of them. */
#include "helpers.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_RUNS 64

/* Runs whose extremes of C are not products of the extremes of N and D (the
 * smallest N trains on the most tokens), so that a range of C taken from the
 * ranges of N and D, rather than from the runs, is caught. */
typedef struct sweep {
    size_t n;
    double N[MAX_RUNS], D[MAX_RUNS], U[MAX_RUNS], S[MAX_RUNS];
} sweep;

static void make_sweep(sweep *s)
{
    static const double sizes[] = {1e8, 3e8, 1e9, 3e9};
    s->n = 0;
    for (size_t i = 0; i < 4; i++)
        for (size_t k = 0; k < 4; k++) {
            size_t j = s->n++;
            s->N[j] = sizes[i];
            s->D[j] = 2e11 / (double)(i + 1) / (double)(k + 1);  /* 1.25e10 to 2e11 */
            s->U[j] = s->D[j] / (double)(1 + 3 * ((i + k) % 3)); /* 1, 4 or 7 epochs */
            s->S[j] = 1e3 * (double)(1 + i + 2 * k);             /* 1e3 to 1e4 */
        }
}

static void range_of(const double *v, size_t n, double *lo, double *hi)
{
    *lo = INFINITY;
    *hi = -INFINITY;
    for (size_t i = 0; i < n; i++) *lo = fmin(*lo, v[i]), *hi = fmax(*hi, v[i]);
}

/* Draws the runs from law at natural (a CSV of N, D, U, S), fits the law
 * (or formula) and returns the artifact read back from its file. */
static slaw_artifact *fit_and_reread(const sweep *s, const slaw_law *law, const double *natural,
                                     const char *name, const char *formula)
{
    size_t nv = slaw_law_var_count(law);
    double vars[MAX_RUNS * 4], y[MAX_RUNS], by_role[SLAW_ROLE_COUNT];
    char csv[MAX_RUNS * 128];
    slaw_error err;
    for (size_t i = 0; i < s->n; i++) {
        for (size_t r = 0; r < SLAW_ROLE_COUNT; r++) by_role[r] = NAN;
        by_role[SLAW_ROLE_N] = s->N[i], by_role[SLAW_ROLE_D] = s->D[i];
        by_role[SLAW_ROLE_U] = s->U[i], by_role[SLAW_ROLE_S] = s->S[i];
        for (size_t v = 0; v < nv; v++) /* a formula's column steps: S */
            vars[i * nv + v] = slaw_law_var_role(law, v) == SLAW_ROLE_COUNT
                                   ? s->S[i]
                                   : slaw_role_derive(slaw_law_var_role(law, v), by_role, 0);
    }
    assert_int_equal(slaw_simulate(law, natural, vars, s->n, 0.003, 5, y, &err), SLAW_OK);
    size_t o = (size_t)sprintf(csv, "N,D,U,steps,loss\n");
    for (size_t i = 0; i < s->n; i++)
        o += (size_t)sprintf(csv + o, "%.17g,%.17g,%.17g,%.17g,%.17g\n", s->N[i], s->D[i], s->U[i],
                             s->S[i], y[i]);
    slaw_runs *runs = NULL;
    slaw_artifact *a = NULL, *back = NULL;
    assert_int_equal(load_text("runs.csv", csv, NULL, &runs, &err), SLAW_OK);
    slaw_fit_options opt;
    slaw_fit_options_init(&opt);
    opt.law = name;
    opt.formula = formula;
    if (slaw_fit_runs(runs, &opt, &a, &err) != SLAW_OK) fail_msg("%s: %s", name, err.message);
    char *dir = temp_dir_create();
    char path[512];
    snprintf(path, sizeof path, "%s/fit.json", dir);
    assert_int_equal(slaw_artifact_write(a, path, &err), SLAW_OK);
    if (slaw_artifact_read(path, &back, &err) != SLAW_OK) fail_msg("read back: %s", err.message);
    temp_dir_remove(dir);
    slaw_artifact_free(a);
    slaw_runs_free(runs);
    return back;
}

/* Entry k of the extrapolation is named name and lies d decades out. */
static void assert_beyond(const slaw_fit *f, const slaw_forecast *fc, const char *name, double d)
{
    for (size_t k = 0; k < slaw_extrapolation_count(f); k++)
        if (!strcmp(slaw_extrapolation_name(f, k), name)) {
            if (!close_enough(fc->beyond.decades[k], d, 1e-9) &&
                !(d == 0 && fc->beyond.decades[k] == 0))
                fail_msg("%s: %g decades beyond, expected %g", name, fc->beyond.decades[k], d);
            return;
        }
    fail_msg("no extrapolation entry %s", name);
}

static void muennighoff_should_record_n_d_u_and_c(void **state)
{
    (void)state;
    static const double truth[7] = {1.8691,    520.6,     1488.0,  0.3526596,
                                    0.3526596, 15.387756, 5.309743};
    sweep s;
    make_sweep(&s);
    const slaw_law *law = slaw_law_find("muennighoff");
    slaw_artifact *a = fit_and_reread(&s, law, truth, "muennighoff", NULL);
    const slaw_fit *f = slaw_artifact_fit(a, 0);
    const double *cols[3] = {s.N, s.D, s.U};
    double lo, hi, want_lo, want_hi, c[MAX_RUNS];
    for (size_t v = 0; v < 3; v++) {
        slaw_fit_data_range(f, v, &lo, &hi);
        range_of(cols[v], s.n, &want_lo, &want_hi);
        assert_close(lo, want_lo, 1e-15);
        assert_close(hi, want_hi, 1e-15);
    }
    for (size_t i = 0; i < s.n; i++) c[i] = slaw_compute_flops(s.N[i], s.D[i], 0);
    range_of(c, s.n, &want_lo, &want_hi);
    assert_true(slaw_fit_compute_range(f, &lo, &hi));
    assert_close(lo, want_lo, 1e-15);
    assert_close(hi, want_hi, 1e-15);
    assert_true(hi < 6 * 3e9 * 2e11); /* the corners are not runs */
    assert_int_equal(slaw_extrapolation_count(f), 4);
    /* N and D each inside, C past the runs' largest; then U alone past. */
    slaw_forecast fc;
    double at[3] = {3e9, 2e11, 5e10};
    assert_int_equal(slaw_forecast_at(f, at, NULL, &fc, NULL), SLAW_OK);
    assert_beyond(f, &fc, "N", 0);
    assert_beyond(f, &fc, "D", 0);
    assert_beyond(f, &fc, "U", 0);
    assert_beyond(f, &fc, "C", log10(slaw_compute_flops(3e9, 2e11, 0) / want_hi));
    double u_hi;
    slaw_fit_data_range(f, 2, &lo, &u_hi);
    double at_u[3] = {1e9, 5e10, 100 * u_hi};
    assert_int_equal(slaw_forecast_at(f, at_u, NULL, &fc, NULL), SLAW_OK);
    assert_beyond(f, &fc, "U", 2);
    assert_beyond(f, &fc, "N", 0);
    assert_close(slaw_extrapolation_max(&fc.beyond), 2, 1e-12);
    slaw_artifact_free(a);
}

static void gadre_should_record_c_and_m(void **state)
{
    (void)state;
    static const double truth[4] = {1.85, 529.0, 535.0, 0.15};
    sweep s;
    make_sweep(&s);
    slaw_artifact *a = fit_and_reread(&s, slaw_law_find("gadre"), truth, "gadre", NULL);
    const slaw_fit *f = slaw_artifact_fit(a, 0);
    double c[MAX_RUNS], m[MAX_RUNS], lo, hi, want_lo, want_hi;
    for (size_t i = 0; i < s.n; i++) {
        c[i] = slaw_compute_flops(s.N[i], s.D[i], 0);
        m[i] = s.D[i] / s.N[i];
    }
    range_of(c, s.n, &want_lo, &want_hi);
    slaw_fit_data_range(f, 0, &lo, &hi);
    assert_close(lo, want_lo, 1e-12);
    assert_close(hi, want_hi, 1e-12);
    assert_true(slaw_fit_compute_range(f, &lo, &hi));
    assert_close(lo, want_lo, 1e-12);
    assert_close(hi, want_hi, 1e-12);
    range_of(m, s.n, &want_lo, &want_hi);
    slaw_fit_data_range(f, 1, &lo, &hi);
    assert_close(lo, want_lo, 1e-12);
    assert_close(hi, want_hi, 1e-12);
    slaw_artifact_free(a);
}

/* A formula of N, D and a column of its own: each name's range, and C. */
static void formula_should_record_each_variable_and_c(void **state)
{
    (void)state;
    static const char *const names[] = {"N", "D", "steps"};
    const char *text = "E + A/N^alpha + B/D^beta + G/steps";
    slaw_law *law = NULL;
    slaw_error err;
    assert_int_equal(slaw_law_from_formula(text, names, 3, &law, &err), SLAW_OK);
    double truth[6] = {1.7, 400, 0.3, 400, 0.3, 100};
    sweep s;
    make_sweep(&s);
    slaw_artifact *a = fit_and_reread(&s, law, truth, NULL, text);
    const slaw_fit *f = slaw_artifact_fit(a, 0);
    const double *cols[3] = {s.N, s.D, s.S};
    double lo, hi, want_lo, want_hi, c[MAX_RUNS];
    for (size_t v = 0; v < 3; v++) {
        assert_string_equal(slaw_law_var_name(slaw_fit_law(f), v), names[v]);
        slaw_fit_data_range(f, v, &lo, &hi);
        range_of(cols[v], s.n, &want_lo, &want_hi);
        assert_close(lo, want_lo, 1e-15);
        assert_close(hi, want_hi, 1e-15);
    }
    for (size_t i = 0; i < s.n; i++) c[i] = slaw_compute_flops(s.N[i], s.D[i], 0);
    range_of(c, s.n, &want_lo, &want_hi);
    assert_true(slaw_fit_compute_range(f, &lo, &hi));
    assert_close(lo, want_lo, 1e-15);
    assert_close(hi, want_hi, 1e-15);
    assert_int_equal(slaw_extrapolation_count(f), 4);
    slaw_forecast fc;
    double at[3] = {1e9, 1e11, 1e6};
    assert_int_equal(slaw_forecast_at(f, at, NULL, &fc, NULL), SLAW_OK);
    assert_beyond(f, &fc, "steps", 2);
    assert_beyond(f, &fc, "C", 0);
    slaw_artifact_free(a);
    slaw_law_free(law);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(muennighoff_should_record_n_d_u_and_c),
        cmocka_unit_test(gadre_should_record_c_and_m),
        cmocka_unit_test(formula_should_record_each_variable_and_c),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
