/* test_plot.c — the gnuplot scripts slaw writes, read as text: the data
 * blocks hold the runs, ticks read as people write numbers, the band comes
 * from the samples when there are any, every kind draws what it says, the
 * isoflop parabolas are the least-squares ones, and what a kind cannot draw
 * is refused.  (tests/plot/plot-test runs the scripts through gnuplot.) */
#include "helpers.h"

#include <gsl/gsl_multifit.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static slaw_artifact *artifact(const char *name)
{
    char path[256];
    slaw_artifact *a;
    slaw_error err;
    snprintf(path, sizeof path, "tests/cli/data/%s", name);
    if (slaw_artifact_read(source_path(path), &a, &err) != SLAW_OK) fail_msg("%s", err.message);
    return a;
}

/* Runs as `slaw plot` reads them for the Epoch fit: its 5 highest losses dropped. */
static slaw_runs *runs(const char *relative, size_t drop_top)
{
    const char *path = source_path(relative);
    slaw_runs *r;
    slaw_error err;
    if (slaw_runs_load(&path, 1, NULL, &r, &err) != SLAW_OK) fail_msg("%s", err.message);
    if (drop_top && slaw_runs_drop_top(r, drop_top, NULL, &err) != SLAW_OK)
        fail_msg("%s", err.message);
    return r;
}

/* Not inlined: GCC 12 inlined would take the text for the local pointer
 * that held it (a false -Wdangling-pointer). */
__attribute__((noinline)) static char *script(const slaw_artifact *a, const slaw_plot_options *opt)
{
    char *text = NULL;
    slaw_error err;
    if (slaw_plot_script(a, opt, &text, &err) != SLAW_OK) fail_msg("%s", err.message);
    return text;
}

static void assert_refused(const slaw_artifact *a, const slaw_plot_options *opt, slaw_status code,
                           const char *want)
{
    char *text = NULL;
    slaw_error err;
    assert_int_equal(slaw_plot_script(a, opt, &text, &err), code);
    assert_null(text);
    if (!strstr(err.message, want)) fail_msg("'%s' does not say '%s'", err.message, want);
}

static void assert_has(const char *text, const char *want)
{
    if (!strstr(text, want)) fail_msg("the script lacks '%s'", want);
}

/* Rows (non-blank lines) of every data block named $<stem><k>. */
static size_t block_rows(const char *text, const char *stem)
{
    char head[64];
    size_t rows = 0;
    int k = snprintf(head, sizeof head, "\n$%s", stem);
    for (const char *p = strstr(text, head); p; p = strstr(p + 1, head)) {
        const char *line = strchr(p + 1, '\n') + 1; /* past "$stemK << EOD" */
        if (!strstr(p + 1, " << EOD") || p[k] < '0' || p[k] > '9') continue;
        for (; strncmp(line, "EOD\n", 4) != 0; line = strchr(line, '\n') + 1) rows += *line != '\n';
    }
    return rows;
}

static void kinds_and_formats_should_have_names(void **state)
{
    (void)state;
    const char *names[] = {"fit",   "residuals", "frontier",        "isoflop",
                           "check", "compute",   "tokens-per-param"};
    slaw_plot_kind k;
    slaw_plot_format f;
    for (size_t i = 0; i < 7; i++) {
        assert_true(slaw_plot_kind_parse(names[i], &k));
        assert_string_equal(slaw_plot_kind_name(k), names[i]);
    }
    assert_false(slaw_plot_kind_parse("Fit", &k));
    assert_true(slaw_plot_format_of("a/b.PNG", &f) && f == SLAW_PLOT_PNG);
    assert_true(slaw_plot_format_of("b.svg", &f) && f == SLAW_PLOT_SVG);
    assert_true(slaw_plot_format_of("c.pdf", &f) && f == SLAW_PLOT_PDF);
    assert_false(slaw_plot_format_of("d.jpg", &f));
    assert_false(slaw_plot_format_of(".png", &f));
}

static void a_fit_plot_should_hold_every_run_the_curves_and_the_band(void **state)
{
    (void)state;
    slaw_artifact *a = artifact("chinchilla_epoch_fit.json");
    slaw_runs *r = runs("data/chinchilla/svg_extracted_data.csv", 5);
    slaw_plot_options opt;
    slaw_plot_options_init(&opt);
    opt.runs = r;
    opt.runs_removed = 5;
    char *text = script(a, &opt);
    assert_has(text, "set terminal pngcairo size 1200,800 ");
    assert_null(strstr(text, "set output")); /* no output: gnuplot's stdout */
    assert_int_equal(block_rows(text, "runs"), 240);
    assert_has(text, "240 runs (5 removed by the fit's filters)");
    /* The title: the law and its fitted parameters. */
    assert_has(text, "set title \"chinchilla: L = E + A / N^alpha + B / D^beta\\nE = 1.817, "
                     "A = 477.8, B = 2143, alpha = 0.3473, beta = 0.3672\"");
    /* Decades as people write them, on log-log axes. */
    assert_has(text, "set logscale x 10");
    assert_has(text, "set logscale y 10");
    assert_has(text, "\"100M\" 100000000, ");
    assert_has(text, "\"1B\" 1000000000, ");
    assert_has(text, "\"10B\" 1e+10, ");
    assert_has(text, "\"100B\" 1e+11");
    assert_has(text, "set xlabel \"model size N (parameters)\"");
    assert_has(text, "set ylabel \"loss\"");
    /* Five bands of D (240 distinct values), curves solid then dashed. */
    assert_has(text, "title \"D ≈ 4.03B (runs: 819M–6.75B)\"");
    assert_has(text, "with lines lw 2 dt 2 ");
    assert_int_equal(block_rows(text, "curve"), 5 * (96 + 48));
    /* The artifact has samples: the band is theirs. */
    assert_has(text, "with filledcurves fs transparent solid 0.2 noborder");
    assert_has(text, "95% band: bootstrap, 100 samples");
    /* The same inputs, the same text. */
    char *again = script(a, &opt);
    assert_string_equal(text, again);
    free(again);
    free(text);
    slaw_runs_free(r);
    slaw_artifact_free(a);
}

static void the_band_should_come_from_samples_only_when_there_are_some(void **state)
{
    (void)state;
    slaw_artifact *a = artifact("saturating_fit.json");
    slaw_runs *r = runs("data/synthetic/saturating.csv", 0);
    slaw_plot_options opt;
    slaw_plot_options_init(&opt);
    opt.runs = r;
    char *text = script(a, &opt);
    assert_null(strstr(text, "bootstrap"));
    assert_has(text, "95% band: delta method");
    assert_int_equal(block_rows(text, "runs"), 12);
    assert_has(text, "title \"fitted curve\"");
    free(text);
    opt.level = 0.9;
    text = script(a, &opt);
    assert_has(text, "90% band: delta method");
    free(text);
    slaw_runs_free(r);
    slaw_artifact_free(a);
}

static void curves_alone_should_say_so_and_run_a_decade_past_the_data(void **state)
{
    (void)state;
    slaw_artifact *a = artifact("saturating_fit.json"); /* N from 20M to 20B */
    slaw_plot_options opt;
    slaw_plot_options_init(&opt);
    char *text = script(a, &opt);
    assert_int_equal(block_rows(text, "runs"), 0);
    assert_has(text, "keyentry with points pt 7 lc rgb \"#999999\" title \"runs not given: the "
                     "fitted curves alone\"");
    assert_has(text, "\n2e+11 "); /* the last point of the dashed part */
    free(text);
    opt.to = 1e12;
    text = script(a, &opt);
    assert_has(text, "\n1e+12 ");
    assert_has(text, "\"1T\" 1e+12");
    free(text);
    opt.to = 1e30; /* 23 decades: every third labelled, in one long tick list */
    text = script(a, &opt);
    assert_has(text, "\"1P\" 1e+15, \"\" 1e+16 1, \"\" 1e+17 1, \"1e18\" 1e+18, ");
    assert_has(text, "\"1e30\" 1e+30)\n");
    free(text);
    slaw_artifact_free(a);
}

static void terminals_sizes_and_titles_should_be_as_asked(void **state)
{
    (void)state;
    slaw_artifact *a = artifact("saturating_fit.json");
    slaw_plot_options opt;
    slaw_plot_options_init(&opt);
    opt.format = SLAW_PLOT_SVG;
    opt.width = 600;
    opt.height = 400;
    opt.output = "out dir/\"q\".svg";
    opt.title = "say \"hi\"\\";
    char *text = script(a, &opt);
    assert_has(text, "set terminal svg size 600,400 fixed noenhanced font \"sans,8\"");
    assert_has(text, "set output \"out dir/\\\"q\\\".svg\"\n");
    assert_has(text, "set title \"say \\\"hi\\\"\\\\\"\n");
    free(text);
    /* A label's bytes that are not UTF-8 become '?' (gnuplot's SVG would
     * carry them into a file no XML parser reads); UTF-8 and the path's bytes
     * are kept. */
    opt.output = "caf\xe9.svg";
    opt.title = "caf\xe9 \xc3\xa9t\xc3 \xff\x7f";
    text = script(a, &opt);
    assert_has(text, "set output \"caf\xe9.svg\"\n");
    assert_has(text, "set title \"caf? \xc3\xa9t? ? \"\n");
    free(text);
    opt.format = SLAW_PLOT_PDF;
    opt.width = 720;
    opt.height = 360;
    text = script(a, &opt);
    assert_has(text, "set terminal pdfcairo size 10.0000in,5.0000in ");
    free(text);
    opt.width = 99;
    assert_refused(a, &opt, SLAW_EUSAGE, "width and height must be 100 to 10000");
    opt.width = SLAW_PLOT_MIN_SIZE; /* the limits slaw plot --size checks too */
    opt.height = SLAW_PLOT_MAX_SIZE + 1;
    assert_refused(a, &opt, SLAW_EUSAGE,
                   "a picture of 100 x 10001: width and height must be "
                   "100 to 10000");
    slaw_artifact_free(a);
}

static void residuals_should_be_log_errors_with_the_held_out_runs_marked(void **state)
{
    (void)state;
    slaw_fit_options fo;
    const double truth[3] = {1.8, 380, 0.32};
    slaw_fit_options_init(&fo);
    fo.law = "saturating";
    fo.holdout = "largest:1";
    slaw_artifact *a = fit_simulated(&fo, truth, 0.01, 1, 10);
    const slaw_fit *f = slaw_artifact_fit(a, 0);
    slaw_plot_options opt;
    slaw_plot_options_init(&opt);
    opt.kind = SLAW_PLOT_RESIDUALS;
    char *text = script(a, &opt); /* no runs: the held-out one alone */
    double vars[2], obs, pred;
    char row[100];
    slaw_fit_holdout_run(f, 0, vars, &obs, &pred);
    snprintf(row, sizeof row, "$heldout1 << EOD\n%.7g %.7g\nEOD\n", vars[0], log(pred / obs));
    assert_has(text, row);
    assert_has(text, "title \"held out: fitted without them, then predicted\"");
    assert_has(text, "0 with lines lw 1 lc rgb \"#000000\" notitle");
    assert_has(text, "set ylabel \"ln(predicted / observed): > 0, the law over-predicts\"");
    assert_null(strstr(text, "set logscale y"));
    free(text);
    slaw_artifact_free(a);

    a = artifact("saturating_fit.json"); /* nothing held out */
    assert_refused(a, &opt, SLAW_EUSAGE, "a residuals plot needs the runs");
    slaw_artifact_free(a);
}

static void block_first_row(const char *text, const char *stem, size_t k, double *x, double *y);

/* gadre reads C and M: a held-out run is drawn at its N (and, on the
 * compute kind, its C), not at its first variable C on the N axis. */
static void held_out_runs_should_sit_at_their_n_for_a_law_of_c_and_m(void **state)
{
    (void)state;
    slaw_fit_options fo;
    const double truth[4] = {1.85, 529.0, 535.0, 0.15};
    slaw_fit_options_init(&fo);
    fo.law = "gadre";
    fo.holdout = "largest:1";
    slaw_artifact *a = fit_simulated(&fo, truth, 0.005, 1, 6);
    const slaw_fit *f = slaw_artifact_fit(a, 0);
    double vars[4], obs, pred, x, y;
    slaw_fit_holdout_run(f, 0, vars, &obs, &pred);
    double nd = slaw_compute_param_tokens(vars[0]), n = sqrt(nd / vars[1]);
    assert_close(n, 1e10, 1e-9); /* the largest N of fit_simulated's runs */
    slaw_plot_options opt;
    slaw_plot_options_init(&opt);
    opt.kind = SLAW_PLOT_RESIDUALS;
    char *text = script(a, &opt);
    block_first_row(text, "heldout", 0, &x, &y);
    assert_close(x, n, 1e-6);
    assert_close(y, log(pred / obs), 1e-6);
    free(text);
    opt.kind = SLAW_PLOT_COMPUTE;
    text = script(a, &opt);
    block_first_row(text, "heldout", 0, &x, &y);
    assert_close(x, vars[0], 1e-6);
    assert_close(y, obs, 1e-6);
    free(text);
    slaw_artifact_free(a);

    /* With the runs: the held-out ones are marked as such, not drawn twice. */
    slaw_runs *r = runs("tests/cli/data/unique-tokens.csv", 0);
    slaw_error err;
    if (slaw_fit_runs(r, &fo, &a, &err) != SLAW_OK) fail_msg("%s", err.message);
    slaw_plot_options_init(&opt);
    opt.runs = r;
    text = script(a, &opt);
    assert_has(text, "title \"16 runs (2 held out)\"");
    assert_int_equal(block_rows(text, "runs"), 16);
    assert_int_equal(block_rows(text, "heldout"), 2);
    free(text);
    slaw_artifact_free(a);
    slaw_runs_free(r);
}

/* A formula of N and a second variable other than D (Kaplan's L(N, S), the
 * recipe of docs/laws.md): curves in N, one per value of S of the runs, each
 * the law at that S; the compute kinds, which need D, are refused. */
static void a_formula_of_n_and_steps_should_draw_curves_at_each_s(void **state)
{
    (void)state;
    static const double steps[] = {1000, 2511.89, 6309.57, 15848.9, 39810.7, 100000};
    slaw_runs *r = runs("data/recipes/kaplan_steps.csv", 0);
    slaw_fit_options fo;
    slaw_fit_options_init(&fo);
    fo.formula = "exp(alpha_N*(ln_Nc - log(N))) + exp(alpha_S*(ln_Sc - log(S)))";
    fo.grid = "ln_Nc=25:35:2.5,alpha_N=0.04:0.12:0.04,ln_Sc=5:10:1.25,alpha_S=0.4:1.2:0.4";
    slaw_artifact *a = NULL;
    slaw_error err;
    if (slaw_fit_runs(r, &fo, &a, &err) != SLAW_OK) fail_msg("%s", err.message);
    const slaw_fit *f = slaw_artifact_fit(a, 0);
    slaw_plot_options opt;
    slaw_plot_options_init(&opt);
    opt.runs = r;
    char *text = script(a, &opt);
    assert_has(text, "title \"S = 1k\"");
    assert_has(text, "title \"S = 100k\"");
    assert_has(text, "title \"36 runs\"");
    assert_int_equal(block_rows(text, "runs"), 36);
    bool seen[6] = {false};
    size_t curves = 0;
    for (const char *p = strstr(text, "\n$curve"); p; p = strstr(p + 1, "\n$curve")) {
        double x, y;
        block_first_row(text, "curve", curves++, &x, &y);
        size_t hit = 6;
        for (size_t k = 0; k < 6; k++) {
            double vars[2] = {x, steps[k]}; /* the formula's order: N, S */
            if (close_enough(slaw_fit_predict(f, vars), y, 1e-6)) hit = k;
        }
        if (hit == 6)
            fail_msg("curve block %zu: (%g, %g) is the law at none of the S", curves, x, y);
        seen[hit] = true;
    }
    for (size_t k = 0; k < 6; k++)
        if (!seen[k]) fail_msg("no curve at S = %g", steps[k]);
    free(text);
    slaw_point at; /* a check plot holds S at the point's */
    assert_int_equal(slaw_point_parse("N=1e9,S=1e4", &at, &err), SLAW_OK);
    opt.kind = SLAW_PLOT_CHECK;
    opt.baseline = a;
    opt.points = &at;
    opt.n_points = 1;
    opt.runs = NULL;
    text = script(a, &opt);
    assert_has(text, "title \"curves at S = 10k (the first point's)\"");
    assert_has(text, "\"N=1B, S=10k: ");
    free(text);
    opt.baseline = NULL;
    opt.n_points = 0;
    opt.kind = SLAW_PLOT_COMPUTE;
    assert_refused(a, &opt, SLAW_EUSAGE, "needs a law of N and D; the formula reads N and S");
    slaw_artifact_free(a);
    slaw_runs_free(r);
}

static void a_frontier_should_label_flops_and_need_a_law_of_n_and_d(void **state)
{
    (void)state;
    slaw_artifact *a = artifact("chinchilla_epoch_fit.json");
    slaw_plot_options opt;
    slaw_plot_options_init(&opt);
    opt.kind = SLAW_PLOT_FRONTIER;
    opt.to = 1e24;
    char *text = script(a, &opt);
    assert_has(text, "set xlabel \"training compute C (FLOPs)\"");
    assert_has(text, "\"1e21\" 1e+21");
    assert_has(text, "\"1e24\" 1e+24");
    assert_has(text, "\"1T\" 1e+12");
    assert_has(text, "N* ∝ C^a, a = 0.5139;  D* ∝ C^b, b = 0.4861");
    assert_has(text, "title \"N*: the compute-optimal model size\"");
    assert_has(text, "95% band: bootstrap, 100 samples (of N* and D*)");
    assert_int_equal(block_rows(text, "frontier"), 80 + 40);
    /* A row is the optimum at its budget, with the interval. */
    slaw_optimum o;
    slaw_error err;
    char row[200];
    assert_int_equal(slaw_optimal_compute(slaw_artifact_fit(a, 0), 1e24, NULL, &o, &err), SLAW_OK);
    snprintf(row, sizeof row, "\n1e+24 %.7g %.7g %.7g %.7g ", o.N.value, o.N.lo, o.N.hi, o.D.value);
    assert_has(text, row);
    free(text);
    slaw_artifact_free(a);

    a = artifact("saturating_fit.json");
    assert_refused(a, &opt, SLAW_EUSAGE, "a frontier plot needs a law of N and D");
    slaw_artifact_free(a);
}

/* The parabola of each budget in the script is the least-squares one of the
 * budget's runs, fitted here again with GSL. */
static void isoflop_parabolas_should_be_the_least_squares_ones(void **state)
{
    (void)state;
    slaw_runs *r = runs("tests/cli/data/isoflop_runs.csv", 0);
    slaw_plot_options opt;
    slaw_plot_options_init(&opt);
    opt.kind = SLAW_PLOT_ISOFLOP;
    opt.runs = r;
    char *text = script(NULL, &opt);
    assert_int_equal(block_rows(text, "runs"), 20);
    assert_int_equal(block_rows(text, "leftout"), 2); /* the budget of two runs */
    assert_int_equal(block_rows(text, "minima"), 4);
    assert_int_equal(block_rows(text, "parabolas"), 4 * 60);
    assert_has(text, "lc palette z");
    assert_has(text, "set logscale cb 10");
    assert_has(text, "4 of 5 budgets used");
    /* Budget 1e21: the script's parabola against a fit of loss on ln N. */
    gsl_matrix *X = gsl_matrix_alloc(5, 3), *cov = gsl_matrix_alloc(3, 3);
    gsl_vector *y = gsl_vector_alloc(5), *c = gsl_vector_alloc(3);
    gsl_multifit_linear_workspace *w = gsl_multifit_linear_alloc(5, 3);
    double chisq;
    size_t k = 0;
    for (size_t i = 0; i < slaw_runs_count(r); i++) {
        if (slaw_runs_value(r, 0, i) != 1e21) continue;
        double u = log(slaw_runs_value(r, 1, i));
        gsl_matrix_set(X, k, 0, 1);
        gsl_matrix_set(X, k, 1, u);
        gsl_matrix_set(X, k, 2, u * u);
        gsl_vector_set(y, k++, slaw_runs_value(r, 3, i));
    }
    assert_int_equal(k, 5);
    gsl_multifit_linear(X, y, c, cov, &chisq, w);
    const char *p = strstr(text, "\n$parabolas");
    for (size_t seg = 0; seg < 2; seg++) p = strstr(p + 1, "\n\n"); /* the third budget */
    size_t checked = 0;
    for (p += 2; *p != '\n'; p = strchr(p, '\n') + 1, checked++) {
        double N, L, C;
        assert_int_equal(sscanf(p, "%lg %lg %lg", &N, &L, &C), 3);
        double u = log(N);
        assert_close(C, 1e21, 1e-6); /* the geometric mean of 6 N D */
        assert_close(L,
                     gsl_vector_get(c, 0) + gsl_vector_get(c, 1) * u + gsl_vector_get(c, 2) * u * u,
                     1e-6); /* scripts hold 7 digits */
    }
    assert_int_equal(checked, 60);
    gsl_multifit_linear_free(w);
    gsl_vector_free(c);
    gsl_vector_free(y);
    gsl_matrix_free(cov);
    gsl_matrix_free(X);
    free(text);
    /* By the budget column, the same picture. */
    opt.isoflop.budget = "budget";
    text = script(NULL, &opt);
    assert_int_equal(block_rows(text, "runs"), 20);
    assert_int_equal(block_rows(text, "leftout"), 2);
    free(text);
    slaw_runs_free(r);
    opt.runs = NULL;
    assert_refused(NULL, &opt, SLAW_EUSAGE, "an isoflop plot needs runs");
}

static void a_check_plot_should_show_both_forecasts_and_the_change(void **state)
{
    (void)state;
    slaw_artifact *base = artifact("chinchilla-baseline.json");
    slaw_artifact *now = artifact("chinchilla-perturbed-fit.json");
    slaw_point p;
    slaw_error err;
    slaw_plot_options opt;
    slaw_plot_options_init(&opt);
    opt.kind = SLAW_PLOT_CHECK;
    assert_refused(now, &opt, SLAW_EUSAGE, "a check plot needs the baseline fit");
    assert_int_equal(slaw_point_parse("N=7B,D=140B", &p, &err), SLAW_OK);
    opt.baseline = base;
    opt.points = &p;
    opt.n_points = 1;
    char *text = script(now, &opt);
    /* As slaw check --forecast N=7B,D=140B says: 3.2% worse. */
    assert_has(text, "N=7B, D=140B: 2.1724 → 2.2410 (+3.16%)");
    assert_int_equal(block_rows(text, "forecasts"), 1);
    assert_has(text, "title \"curves along D = 20 N (the first point's tokens per parameter)\"");
    assert_has(text, "E 1.817 → 1.994");
    assert_has(text, "title \"baseline: E = 1.817, A = 477.8");
    free(text);
    p.D = NAN; /* N alone does not fix a point of a law of N and D */
    assert_refused(now, &opt, SLAW_EUSAGE, "point 1: ");
    slaw_artifact_free(now);
    slaw_artifact_free(base);
}

/* A law of N, D and U (two points, so that the second's variables are not
 * written over the first's) and a law of C and M: each forecast sits at its
 * point's N with the law's value there, and the curves hold the first
 * point's U. */
static void a_check_plot_should_take_every_variable_of_the_law(void **state)
{
    (void)state;
    static const char *const cases[][3] = {
        {"muennighoff-fit.json", "N=3e8,D=6e9,U=1.5e9", "N=1e9,D=2e10,U=5e9"},
        {"gadre-fit.json", "N=3e8,D=6e9", "N=1e9,D=2e10"}};
    for (size_t c = 0; c < 2; c++) {
        slaw_artifact *a = artifact(cases[c][0]);
        const slaw_fit *f = slaw_artifact_fit(a, 0);
        slaw_point p[2];
        slaw_error err;
        for (size_t i = 0; i < 2; i++)
            assert_int_equal(slaw_point_parse(cases[c][1 + i], &p[i], &err), SLAW_OK);
        slaw_plot_options opt;
        slaw_plot_options_init(&opt);
        opt.kind = SLAW_PLOT_CHECK;
        opt.baseline = a;
        opt.points = p;
        opt.n_points = 2;
        char *text = script(a, &opt);
        assert_int_equal(block_rows(text, "forecasts"), 2);
        const char *rows = strchr(strstr(text, "\n$forecasts"), '\n') + 1;
        rows = strchr(rows, '\n') + 1;
        for (size_t i = 0; i < 2; i++) {
            double x, y, vars[SLAW_MAX_VARS];
            assert_int_equal(sscanf(rows, "%lg %lg", &x, &y), 2);
            rows = strchr(rows, '\n') + 1;
            assert_int_equal(slaw_point_resolve(slaw_fit_law(f), &p[i], vars, &err), SLAW_OK);
            assert_close(x, p[i].N, 1e-6);
            assert_close(y, slaw_fit_predict(f, vars), 1e-6);
        }
        if (c == 0) {
            assert_has(text, "N=1B, D=20B, U=5B: ");
            assert_has(text, "title \"curves along D = 20 N, U = 1.5B (the first point's");
        } else {
            assert_has(text, "N=1B, D=20B: ");
        }
        free(text);
        slaw_artifact_free(a);
    }
}

/* A frontier of a law of N, D and U holds the U given (hold), and without
 * one says which value it needs. */
static void a_frontier_of_muennighoff_should_hold_u(void **state)
{
    (void)state;
    slaw_artifact *a = artifact("muennighoff-fit.json");
    const slaw_fit *f = slaw_artifact_fit(a, 0);
    slaw_point hold;
    slaw_error err;
    slaw_plot_options opt;
    slaw_plot_options_init(&opt);
    opt.kind = SLAW_PLOT_FRONTIER;
    assert_refused(a, &opt, SLAW_EUSAGE, "reads U, which a compute budget does not set: give U=");
    assert_int_equal(slaw_point_parse("U=5e9", &hold, &err), SLAW_OK);
    opt.hold = &hold;
    char *text = script(a, &opt);
    assert_has(text, "compute-optimal allocation (C = 6 N D) at U = 5B of muennighoff");
    double C, n;
    block_first_row(text, "frontier", 0, &C, &n);
    slaw_forecast_options fo;
    slaw_forecast_options_init(&fo, a);
    fo.held = &hold;
    slaw_optimum o;
    assert_int_equal(slaw_optimal_compute(f, C, &fo, &o, &err), SLAW_OK);
    assert_close(n, o.N.value, 1e-6);
    free(text);
    slaw_artifact_free(a);
}

/* Each side's band is said as it was made: one grey key entry when both
 * come the same way, else one per side, in its colour. */
static void a_check_plot_should_say_how_each_band_was_made(void **state)
{
    (void)state;
    slaw_artifact *boot = artifact("chinchilla_epoch_fit.json");      /* 100 bootstrap samples */
    slaw_artifact *delta = artifact("chinchilla-perturbed-fit.json"); /* none */
    slaw_plot_options opt;
    slaw_plot_options_init(&opt);
    opt.kind = SLAW_PLOT_CHECK;
    opt.baseline = boot;
    char *text = script(delta, &opt);
    assert_has(text, "lc rgb \"#0072B2\" title \"baseline's 95% band: bootstrap, 100 samples\"");
    assert_has(text, "lc rgb \"#D55E00\" title \"new fit's 95% band: delta method\"");
    assert_null(strstr(text, "title \"95% band"));
    free(text);
    opt.baseline = delta; /* the reverse */
    text = script(boot, &opt);
    assert_has(text, "title \"baseline's 95% band: delta method\"");
    assert_has(text, "title \"new fit's 95% band: bootstrap, 100 samples\"");
    free(text);
    opt.baseline = boot; /* the same way: one entry */
    text = script(boot, &opt);
    assert_has(text, "lc rgb \"#999999\" title \"95% band: bootstrap, 100 samples\"");
    assert_null(strstr(text, "'s 95% band"));
    free(text);
    slaw_artifact_free(delta);
    slaw_artifact_free(boot);
}

static void groups_should_be_drawn_each_or_one_by_name(void **state)
{
    (void)state;
    slaw_artifact *a = artifact("grouped_fit.json");
    slaw_runs *r = runs("tests/cli/data/grouped_runs.csv", 0);
    slaw_plot_options opt;
    slaw_plot_options_init(&opt);
    opt.runs = r;
    assert_refused(a, &opt, SLAW_EINPUT, "the fit is grouped, and the runs have no group column");
    slaw_runs_free(r);
    slaw_load_options lo;
    slaw_load_options_init(&lo);
    lo.role_column[SLAW_ROLE_GROUP] = "dataset";
    const char *path = source_path("tests/cli/data/grouped_runs.csv");
    slaw_error err;
    assert_int_equal(slaw_runs_load(&path, 1, &lo, &r, &err), SLAW_OK);
    opt.runs = r;
    char *text = script(a, &opt);
    assert_has(text, "title \"web: k = ");
    assert_has(text, "title \"code: k = ");
    assert_int_equal(block_rows(text, "runs"), slaw_runs_count(r));
    free(text);
    opt.group = "code";
    text = script(a, &opt);
    assert_null(strstr(text, "web"));
    free(text);
    opt.group = "math";
    assert_refused(a, &opt, SLAW_EUSAGE,
                   "group math: no such group in the fit (its groups: web, code)");
    opt.group = NULL;
    opt.kind = SLAW_PLOT_CHECK;
    opt.baseline = a;
    assert_refused(
        a, &opt, SLAW_EUSAGE,
        "a check plot draws one fit, and this one has 2 groups: name one with group (web, code)");
    slaw_runs_free(r);
    slaw_artifact_free(a);
}

/* --level sets the isoflop intervals too: the key's level, and each
 * minimum's interval as slaw isoflop gives it at that level. */
static void isoflop_intervals_should_be_at_the_plot_level(void **state)
{
    (void)state;
    slaw_runs *r = runs("tests/cli/data/isoflop_runs.csv", 0);
    slaw_plot_options opt;
    slaw_plot_options_init(&opt);
    opt.kind = SLAW_PLOT_ISOFLOP;
    opt.runs = r;
    char *text = script(NULL, &opt);
    assert_has(text, "title \"minimum N* of each budget, 95% interval\"");
    free(text);
    opt.level = 0.5;
    text = script(NULL, &opt);
    assert_has(text, "title \"minimum N* of each budget, 50% interval\"");
    assert_null(strstr(text, "95% interval"));
    slaw_isoflop_options io;
    slaw_isoflop_options_init(&io);
    io.level = 0.5;
    slaw_isoflop *iso;
    slaw_error err;
    assert_int_equal(slaw_isoflop_run(r, &io, &iso, &err), SLAW_OK);
    const slaw_isoflop_budget *b = slaw_isoflop_budget_at(iso, 0);
    char row[200];
    assert_true(b->used);
    snprintf(row, sizeof row, "$minima4 << EOD\n%.7g %.7g %.7g %.7g\n", b->N.value, b->L, b->N.lo,
             b->N.hi);
    assert_has(text, row);
    free(text);
    slaw_isoflop_free(iso);
    slaw_runs_free(r);
}

/* --to: the fit and check curves run on past the runs, so an end within
 * them is refused; a residuals plot has no curves; the key mentions the
 * dashed part only when there is one. */
static void to_should_be_past_the_runs_and_dashes_said_only_when_drawn(void **state)
{
    (void)state;
    slaw_artifact *a = artifact("saturating_fit.json"); /* N from 20M to 20B */
    slaw_plot_options opt;
    slaw_plot_options_init(&opt);
    char *text = script(a, &opt);
    assert_has(text, "title \"dashed: beyond the runs\"");
    free(text);
    opt.to = 1e9;
    assert_refused(a, &opt, SLAW_EUSAGE,
                   "the curves would end at N = 1e+09, not beyond the "
                   "largest N of the runs (2e+10): to must be past it");
    opt.to = 2e10;
    assert_refused(a, &opt, SLAW_EUSAGE, "not beyond the largest N of the runs");
    opt.to = 1e12;
    opt.kind = SLAW_PLOT_RESIDUALS;
    assert_refused(a, &opt, SLAW_EUSAGE, "to: a residuals plot draws no curves");
    slaw_artifact_free(a);

    slaw_artifact *base = artifact("chinchilla-baseline.json");
    slaw_artifact *now = artifact("chinchilla-perturbed-fit.json");
    opt.kind = SLAW_PLOT_CHECK;
    opt.baseline = base;
    opt.to = 1e9;
    assert_refused(now, &opt, SLAW_EUSAGE,
                   "the curves would end at N = 1e+09, not beyond the "
                   "largest N of the fits' runs");
    opt.to = 1e12;
    text = script(now, &opt);
    assert_has(text, "title \"dashed: beyond each fit's runs\"");
    assert_has(text, "\n1e+12 ");
    free(text);
    slaw_artifact_free(now);
    slaw_artifact_free(base);

    a = artifact("chinchilla_epoch_fit.json");
    opt.kind = SLAW_PLOT_FRONTIER;
    opt.baseline = NULL;
    opt.to = 0; /* a decade past the runs' compute: dashed */
    text = script(a, &opt);
    assert_has(text, "title \"dashed: beyond the runs' compute\"");
    free(text);
    opt.to = 1e20; /* within the runs' compute: nothing dashed */
    text = script(a, &opt);
    assert_null(strstr(text, "dashed"));
    assert_null(strstr(text, " dt 2 "));
    free(text);
    slaw_artifact_free(a);
}

/* Runs of a group the fit lacks are not drawn, and the key says how many;
 * when no run is of one of the fit's groups, the plot is refused. */
static void runs_of_groups_the_fit_lacks_should_be_counted_or_refused(void **state)
{
    (void)state;
    slaw_load_options lo;
    slaw_load_options_init(&lo);
    lo.role_column[SLAW_ROLE_GROUP] = "dataset";
    const char *path = source_path("tests/cli/data/grouped-renamed.csv"); /* groups a and c */
    slaw_runs *r;
    slaw_error err;
    assert_int_equal(slaw_runs_load(&path, 1, &lo, &r, &err), SLAW_OK);
    slaw_artifact *a = artifact("grouped-baseline.json"); /* groups a and b */
    slaw_plot_options opt;
    slaw_plot_options_init(&opt);
    opt.runs = r;
    char *text = script(a, &opt);
    assert_has(text, "title \"7 runs (7 left out: their group is not in the fit)\"");
    assert_int_equal(block_rows(text, "runs"), 7);
    free(text);
    opt.runs_removed = 2;
    text = script(a, &opt);
    assert_has(text, "title \"7 runs (2 removed by the fit's filters, 7 left out: their group "
                     "is not in the fit)\"");
    free(text);
    opt.runs_removed = 0;
    opt.kind = SLAW_PLOT_FRONTIER;
    opt.group = "a";
    text = script(a, &opt);
    assert_has(text, "title \"runs: N (7 runs; 7 left out: their group is not in the fit)\"");
    free(text);
    opt.group = "b"; /* a group of the fit with no runs: nothing left out */
    text = script(a, &opt);
    assert_has(text, "title \"runs: N (0 runs; 7 left out: their group is not in the fit)\"");
    free(text);
    slaw_artifact_free(a);
    a = artifact("grouped_fit.json"); /* groups web and code: none of the runs' */
    opt.kind = SLAW_PLOT_FIT;
    opt.group = NULL;
    assert_refused(a, &opt, SLAW_EINPUT,
                   "none of the runs' groups is one of the fit's (web, "
                   "code): the first run's dataset is a");
    opt.kind = SLAW_PLOT_RESIDUALS;
    assert_refused(a, &opt, SLAW_EINPUT, "none of the runs' groups is one of the fit's");
    slaw_artifact_free(a);
    slaw_runs_free(r);
}

/* gnuplot runs the text between backticks, even in a quoted string, as a
 * shell command: a title, an output path and column names (the axes'
 * labels) keep theirs escaped.  (tests/plot/plot-test draws such a script
 * and checks that no command ran.) */
static void backticks_should_be_escaped_in_every_string(void **state)
{
    (void)state;
    const char *csv = "size`touch x`,loss`touch y`\n1e7,3.5\n3e7,3.2\n1e8,2.9\n3e8,2.7\n"
                      "1e9,2.5\n3e9,2.35\n1e10,2.25\n";
    slaw_load_options lo;
    slaw_load_options_init(&lo);
    lo.role_column[SLAW_ROLE_L] = "loss`touch y`";
    slaw_runs *r = NULL;
    slaw_artifact *a = NULL;
    slaw_error err;
    assert_int_equal(load_text("ticks.csv", csv, &lo, &r, &err), SLAW_OK);
    slaw_fit_options fo;
    slaw_fit_options_init(&fo);
    fo.law = "saturating";
    fo.x = "size`touch x`";
    if (slaw_fit_runs(r, &fo, &a, &err) != SLAW_OK) fail_msg("fit failed: %s", err.message);
    slaw_plot_options opt;
    slaw_plot_options_init(&opt);
    opt.runs = r;
    opt.title = "a`touch t`b";
    opt.output = "`touch o`.png";
    char *text = script(a, &opt);
    assert_has(text, "set title \"a\\`touch t\\`b\"\n");
    assert_has(text, "set output \"\\`touch o\\`.png\"\n");
    assert_has(text, "set xlabel \"size\\`touch x\\`\"");
    assert_has(text, "set ylabel \"loss\\`touch y\\`\"");
    size_t unescaped = 0;
    for (size_t i = 1; text[i]; i++) unescaped += text[i] == '`' && text[i - 1] != '\\';
    assert_int_equal(unescaped, 0);
    free(text);
    slaw_artifact_free(a);
    slaw_runs_free(r);
}

/* The runs of tests/cli/data/three-datasets.csv grouped by dataset, and its
 * fit (code failed: too few runs). */
static slaw_runs *three_datasets(void)
{
    slaw_load_options lo;
    slaw_load_options_init(&lo);
    lo.role_column[SLAW_ROLE_GROUP] = "dataset";
    const char *path = source_path("tests/cli/data/three-datasets.csv");
    slaw_runs *r;
    slaw_error err;
    if (slaw_runs_load(&path, 1, &lo, &r, &err) != SLAW_OK) fail_msg("%s", err.message);
    return r;
}

/* The first row (x, y) of the k-th data block named $<stem>K (k from 0). */
static void block_first_row(const char *text, const char *stem, size_t k, double *x, double *y)
{
    char head[64];
    snprintf(head, sizeof head, "\n$%s", stem);
    const char *p = strstr(text, head);
    for (size_t i = 0; p && i < k; i++) p = strstr(p + 1, head);
    if (!p) fail_msg("no block %zu of $%s", k, stem);
    p = strchr(p + 1, '\n') + 1;
    if (sscanf(p, "%lg %lg", x, y) != 2) fail_msg("block %zu of $%s has no row", k, stem);
}

static const slaw_fit *fit_of_group(const slaw_artifact *a, const char *group)
{
    for (size_t i = 0; i < slaw_artifact_fit_count(a); i++)
        if (!strcmp(slaw_fit_group(slaw_artifact_fit(a, i)), group)) return slaw_artifact_fit(a, i);
    fail_msg("no group %s", group);
    return NULL;
}

/* Each group in its colour, its curves at the D of its own runs (2B, 20B,
 * 200B), never at one median D; the group of --group named in the title
 * with its parameters. */
static void grouped_curves_should_follow_each_groups_runs(void **state)
{
    (void)state;
    slaw_artifact *a = artifact("three-datasets-fit.json");
    slaw_runs *r = three_datasets();
    slaw_plot_options opt;
    slaw_plot_options_init(&opt);
    opt.runs = r;
    char *text = script(a, &opt);
    assert_has(text, "2 groups (by dataset), each its own fit: parameters in the key");
    assert_has(text, "title \"c4: E = 1.842, A = 317.6, B = 552.3, alpha = 0.3271, beta = 0.2966, "
                     "curves at D ≈ 2B, 20B, 200B\"");
    assert_has(text, "title \"pile: E = 1.653, ");
    assert_has(text, "36 runs (4 left out: their group could not be fitted)");
    assert_int_equal(block_rows(text, "runs"), 36);
    assert_int_equal(block_rows(text, "curve"), 2 * 3 * (96 + 48)); /* solid, then dashed */
    /* Curve 0 is c4's at D = 2B, curve 2 (past 0's dashed part) at 20B. */
    const slaw_fit *c4 = fit_of_group(a, "c4");
    double x, y;
    for (size_t k = 0; k < 2; k++) {
        block_first_row(text, "curve", 2 * k, &x, &y);
        double vars[2] = {x, k ? 2e10 : 2e9};
        assert_true(fabs(y / slaw_fit_predict(c4, vars) - 1) < 1e-6);
    }
    free(text);
    opt.group = "c4";
    text = script(a, &opt);
    assert_has(text, "set title \"chinchilla: L = E + A / N^alpha + B / D^beta\\ngroup c4: E = "
                     "1.842, A = 317.6, B = 552.3, alpha = 0.3271, beta = 0.2966\"");
    assert_null(strstr(text, "one fit per group"));
    free(text);
    slaw_runs_free(r);
    slaw_artifact_free(a);
}

/* Loss against C = 6ND: the runs at their compute, the curves along N at
 * fixed D; at constant tokens per parameter, along D = r N. */
static void compute_and_tokens_per_param_kinds_should_move_along_the_law(void **state)
{
    (void)state;
    slaw_artifact *a = artifact("three-datasets-fit.json");
    slaw_runs *r = three_datasets();
    slaw_plot_options opt;
    slaw_plot_options_init(&opt);
    opt.runs = r;
    opt.group = "c4";
    opt.kind = SLAW_PLOT_COMPUTE;
    const slaw_fit *c4 = fit_of_group(a, "c4");
    char *text = script(a, &opt);
    assert_has(text, "set xlabel \"training compute C = 6ND (FLOPs)\"");
    double x, y;
    block_first_row(text, "runs", 0, &x, &y); /* the first c4 run at D = 2B: N = 100M */
    assert_true(fabs(x / 1.2e18 - 1) < 1e-6);
    block_first_row(text, "curve", 0, &x, &y);
    double vars[2] = {x / (6 * 2e9), 2e9};
    assert_true(fabs(y / slaw_fit_predict(c4, vars) - 1) < 1e-6);
    free(text);
    opt.kind = SLAW_PLOT_TOKENS_PER_PARAM;
    text = script(a, &opt);
    assert_has(text, "curves at D/N ≈ 2, 20, 200\"");
    block_first_row(text, "curve", 0, &x, &y);
    double at[2] = {x, 2 * x};
    assert_true(fabs(y / slaw_fit_predict(c4, at) - 1) < 1e-6);
    free(text);
    slaw_artifact *one = artifact("grouped_fit.json"); /* power: one variable */
    opt.group = "web";
    assert_refused(one, &opt, SLAW_EUSAGE, "a tokens-per-param plot needs a law of N and D");
    slaw_artifact_free(one);
    slaw_runs_free(r);
    slaw_artifact_free(a);
}

/* --color-by: a colour per value of the column, each with its curves. */
static void color_by_should_colour_runs_and_curves_by_a_column(void **state)
{
    (void)state;
    slaw_artifact *a = artifact("three-datasets-fit.json");
    slaw_runs *r = three_datasets();
    slaw_plot_options opt;
    slaw_plot_options_init(&opt);
    opt.runs = r;
    opt.group = "c4";
    opt.color_by = "lr";
    char *text = script(a, &opt);
    assert_has(text, "title \"lr = 0.0003, curves at D ≈ 2B, 20B, 200B\"");
    assert_has(text, "title \"lr = 0.001, curves at D ≈ 2B, 20B, 200B\"");
    assert_int_equal(block_rows(text, "runs"), 18);
    assert_int_equal(block_rows(text, "curve"), 2 * 3 * (96 + 48));
    free(text);
    opt.color_by = "seed";
    assert_refused(a, &opt, SLAW_EUSAGE, "color_by seed: no such column in the runs");
    opt.runs = NULL;
    opt.color_by = "lr";
    assert_refused(a, &opt, SLAW_EUSAGE, "color_by lr: give the runs to colour");
    slaw_runs_free(r);
    slaw_artifact_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(kinds_and_formats_should_have_names),
        cmocka_unit_test(a_fit_plot_should_hold_every_run_the_curves_and_the_band),
        cmocka_unit_test(the_band_should_come_from_samples_only_when_there_are_some),
        cmocka_unit_test(curves_alone_should_say_so_and_run_a_decade_past_the_data),
        cmocka_unit_test(terminals_sizes_and_titles_should_be_as_asked),
        cmocka_unit_test(residuals_should_be_log_errors_with_the_held_out_runs_marked),
        cmocka_unit_test(held_out_runs_should_sit_at_their_n_for_a_law_of_c_and_m),
        cmocka_unit_test(a_formula_of_n_and_steps_should_draw_curves_at_each_s),
        cmocka_unit_test(a_frontier_should_label_flops_and_need_a_law_of_n_and_d),
        cmocka_unit_test(isoflop_parabolas_should_be_the_least_squares_ones),
        cmocka_unit_test(isoflop_intervals_should_be_at_the_plot_level),
        cmocka_unit_test(a_check_plot_should_show_both_forecasts_and_the_change),
        cmocka_unit_test(a_check_plot_should_say_how_each_band_was_made),
        cmocka_unit_test(a_check_plot_should_take_every_variable_of_the_law),
        cmocka_unit_test(a_frontier_of_muennighoff_should_hold_u),
        cmocka_unit_test(groups_should_be_drawn_each_or_one_by_name),
        cmocka_unit_test(grouped_curves_should_follow_each_groups_runs),
        cmocka_unit_test(compute_and_tokens_per_param_kinds_should_move_along_the_law),
        cmocka_unit_test(color_by_should_colour_runs_and_curves_by_a_column),
        cmocka_unit_test(to_should_be_past_the_runs_and_dashes_said_only_when_drawn),
        cmocka_unit_test(runs_of_groups_the_fit_lacks_should_be_counted_or_refused),
        cmocka_unit_test(backticks_should_be_escaped_in_every_string),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
