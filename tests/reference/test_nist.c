/* test_nist.c — NIST StRD nonlinear regression (tests/reference/nist, public
 * domain): each of the 27 problems fitted through a formula, in linear space
 * with l2 (Nelson: its log model in log space), from each of NIST's two
 * starts given as a single-point grid.  The score is the log relative error
 * LRE = -log10(|estimate - certified| / |certified|) of every parameter, its
 * standard deviation, the residual standard deviation and the residual sum
 * of squares; each problem and start has floors that the fit must reach.
 *
 * `reference_test_nist --table` prints the LRE table of docs/fitting.md. */
#include "helpers.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_B 9
#define MAX_CSV (64 * 1024)
#define LRE_CAP 11.0 /* NIST certifies 11 significant digits */

typedef struct nist_problem {
    const char *name;
    const char *formula;
    slaw_space space;
    /* floors per start (what the fits reach, less half a digit): the least
     * LRE of the parameters, of the standard deviations (parameters' and
     * residual), and the RSS's; 0 where the fit misses (docs/fitting.md) */
    double floor_b[2], floor_sd[2], floor_rss[2];
} nist_problem;

/* In NIST's order of difficulty (lower, average, higher). */
static const nist_problem problems[] = {
    {"Misra1a", "b1*(1-exp(-b2*x))", SLAW_SPACE_LINEAR, {10, 9}, {10, 9}, {10, 10}},
    {"Chwirut2", "exp(-b1*x)/(b2+b3*x)", SLAW_SPACE_LINEAR, {9, 9}, {9, 9}, {10, 10}},
    {"Chwirut1", "exp(-b1*x)/(b2+b3*x)", SLAW_SPACE_LINEAR, {9, 9}, {9, 9}, {10, 10}},
    {"Lanczos3",
     "b1*exp(-b2*x) + b3*exp(-b4*x) + b5*exp(-b6*x)",
     SLAW_SPACE_LINEAR,
     {6, 7},
     {6, 7},
     {10, 10}},
    {"Gauss1",
     "b1*exp(-b2*x) + b3*exp(-(x-b4)^2/b5^2) + b6*exp(-(x-b7)^2/b8^2)",
     SLAW_SPACE_LINEAR,
     {10, 10},
     {10, 10},
     {10, 10}},
    {"Gauss2",
     "b1*exp(-b2*x) + b3*exp(-(x-b4)^2/b5^2) + b6*exp(-(x-b7)^2/b8^2)",
     SLAW_SPACE_LINEAR,
     {9, 9},
     {9, 9},
     {10, 10}},
    {"DanWood", "b1*x^b2", SLAW_SPACE_LINEAR, {10, 10}, {10, 10}, {10, 10}},
    {"Misra1b", "b1*(1-(1+b2*x/2)^(-2))", SLAW_SPACE_LINEAR, {9, 7}, {9, 7}, {10, 10}},
    {"Kirby2",
     "(b1 + b2*x + b3*x^2)/(1 + b4*x + b5*x^2)",
     SLAW_SPACE_LINEAR,
     {8, 9},
     {9, 9},
     {10, 10}},
    {"Hahn1",
     "(b1 + b2*x + b3*x^2 + b4*x^3)/(1 + b5*x + b6*x^2 + b7*x^3)",
     SLAW_SPACE_LINEAR,
     {7, 8},
     {8, 9},
     {10, 10}},
    {"Nelson", "exp(b1 - b2*x1*exp(-b3*x2))", SLAW_SPACE_LOG, {8, 9}, {8, 9}, {10, 10}},
    {"MGH17", "b1 + b2*exp(-x*b4) + b3*exp(-x*b5)", SLAW_SPACE_LINEAR, {0, 8}, {0, 7}, {0, 10}},
    {"Lanczos1",
     "b1*exp(-b2*x) + b3*exp(-b4*x) + b5*exp(-b6*x)",
     SLAW_SPACE_LINEAR,
     {8, 10},
     {0, 2},
     {0, 2}},
    {"Lanczos2",
     "b1*exp(-b2*x) + b3*exp(-b4*x) + b5*exp(-b6*x)",
     SLAW_SPACE_LINEAR,
     {9, 8},
     {9, 8},
     {9, 9}},
    {"Gauss3",
     "b1*exp(-b2*x) + b3*exp(-(x-b4)^2/b5^2) + b6*exp(-(x-b7)^2/b8^2)",
     SLAW_SPACE_LINEAR,
     {9, 9},
     {9, 9},
     {10, 10}},
    {"Misra1c", "b1*(1-(1+2*b2*x)^(-0.5))", SLAW_SPACE_LINEAR, {10, 10}, {10, 10}, {10, 10}},
    {"Misra1d", "b1*b2*x*((1+b2*x)^(-1))", SLAW_SPACE_LINEAR, {10, 10}, {10, 10}, {10, 10}},
    {"Roszman1", "b1 - b2*x - atan(b3/(x-b4))/pi", SLAW_SPACE_LINEAR, {7, 9}, {8, 9}, {10, 10}},
    {"ENSO",
     "b1 + b2*cos(2*pi*x/12) + b3*sin(2*pi*x/12) + b5*cos(2*pi*x/b4) + b6*sin(2*pi*x/b4)"
     " + b8*cos(2*pi*x/b7) + b9*sin(2*pi*x/b7)",
     SLAW_SPACE_LINEAR,
     {6, 6},
     {7, 7},
     {10, 10}},
    {"MGH09", "b1*(x^2+x*b2)/(x^2+x*b3+b4)", SLAW_SPACE_LINEAR, {7, 7}, {7, 7}, {10, 10}},
    {"Thurber",
     "(b1 + b2*x + b3*x^2 + b4*x^3)/(1 + b5*x + b6*x^2 + b7*x^3)",
     SLAW_SPACE_LINEAR,
     {7, 7},
     {6, 7},
     {10, 10}},
    {"BoxBOD", "b1*(1-exp(-b2*x))", SLAW_SPACE_LINEAR, {0, 9}, {0, 9}, {0, 9}},
    {"Rat42", "b1/(1+exp(b2-b3*x))", SLAW_SPACE_LINEAR, {10, 10}, {9, 9}, {10, 10}},
    {"MGH10", "b1*exp(b2/(x+b3))", SLAW_SPACE_LINEAR, {0, 10}, {0, 10}, {0, 10}},
    {"Eckerle4",
     "(b1/b2)*exp(-0.5*((x-b3)/b2)^2)",
     SLAW_SPACE_LINEAR,
     {10, 10},
     {10, 10},
     {10, 10}},
    {"Rat43", "b1/((1+exp(b2-b3*x))^(1/b4))", SLAW_SPACE_LINEAR, {7, 7}, {7, 7}, {10, 10}},
    {"Bennett5", "b1*(b2+x)^(-1/b3)", SLAW_SPACE_LINEAR, {9, 9}, {8, 9}, {10, 10}},
};

/* Problems whose function is the same with the parameters relabelled: MGH17's
 * two terms swapped (b2 with b3, b4 with b5), 1-based.  A fit that reaches
 * the certified optimum under the other labels reaches it. */
static const struct twin {
    const char *name;
    size_t label[MAX_B];
} twins[] = {{"MGH17", {1, 3, 2, 5, 4}}};

static const size_t *twin_labels(const char *name)
{
    for (size_t i = 0; i < sizeof twins / sizeof *twins; i++)
        if (!strcmp(twins[i].name, name)) return twins[i].label;
    return NULL;
}
#define N_PROBLEMS (sizeof problems / sizeof problems[0])

/* What a .dat file certifies, and its data as CSV text. */
typedef struct certified {
    size_t p;
    double start[2][MAX_B], b[MAX_B], sd[MAX_B];
    double rss, resid_sd;
    char *csv;
} certified;

/* Reads tests/reference/nist/NAME.dat: the start and certified lines
 * ("  b1 =  500  250  2.389E+02  2.707E+00"), the two residual lines and
 * the data after "Data:   y ..." (CRLF line ends). */
static void read_dat(const char *name, certified *c)
{
    char rel[256], line[512];
    snprintf(rel, sizeof rel, "tests/reference/nist/%s.dat", name);
    FILE *fp = fopen(source_path(rel), "r");
    if (!fp) fail_msg("cannot open %s", rel);
    memset(c, 0, sizeof *c);
    c->csv = malloc(MAX_CSV);
    assert_non_null(c->csv);
    size_t used = 0;
    bool data = false;
    while (fgets(line, sizeof line, fp)) {
        line[strcspn(line, "\r\n")] = '\0';
        int k;
        double v[4];
        char first[8];
        if (data) {
            char *at = line, *end;
            size_t cols = 0;
            for (double x = strtod(at, &end); end != at; x = strtod(at = end, &end))
                used += (size_t)snprintf(c->csv + used, MAX_CSV - used, "%s%.17g",
                                         cols++ ? "," : "", x);
            if (cols) used += (size_t)snprintf(c->csv + used, MAX_CSV - used, "\n");
        } else if (sscanf(line, " b%d = %lf %lf %lf %lf", &k, &v[0], &v[1], &v[2], &v[3]) == 5) {
            assert_true(k >= 1 && k <= MAX_B);
            c->start[0][k - 1] = v[0];
            c->start[1][k - 1] = v[1];
            c->b[k - 1] = v[2];
            c->sd[k - 1] = v[3];
            if ((size_t)k > c->p) c->p = (size_t)k;
        } else if (sscanf(line, "Residual Sum of Squares: %lf", &v[0]) == 1) {
            c->rss = v[0];
        } else if (sscanf(line, "Residual Standard Deviation: %lf", &v[0]) == 1) {
            c->resid_sd = v[0];
        } else if (sscanf(line, "Data: %7s", first) == 1 && !strcmp(first, "y")) {
            /* "Data:   y   x1   x2" -> "y,x1,x2" */
            char *tok = strtok(line + 5, " ");
            while (tok) {
                used +=
                    (size_t)snprintf(c->csv + used, MAX_CSV - used, "%s%s", used ? "," : "", tok);
                tok = strtok(NULL, " ");
            }
            used += (size_t)snprintf(c->csv + used, MAX_CSV - used, "\n");
            data = true;
        }
        assert_true(used < MAX_CSV);
    }
    fclose(fp);
    assert_true(c->p >= 2 && c->rss > 0 && c->resid_sd > 0 && data);
}

static double lre(double estimate, double cert)
{
    if (!isfinite(estimate)) return 0;
    double rel = fabs(estimate - cert) / fabs(cert);
    if (rel == 0) return LRE_CAP;
    return fmin(LRE_CAP, fmax(0, -log10(rel)));
}

/* The LREs of one fit: parameters, their standard deviations, residual sd
 * and RSS. */
typedef struct score {
    double b[MAX_B], sd[MAX_B], resid_sd, rss;
    double least_b, least_sd; /* over the parameters; over the sds and the residual sd */
    size_t iterations, starts;
    char failed[1100]; /* why the fit failed; "" when it did not */
} score;

/* How a problem is fitted: from start 1 or 2 (a single-point grid), or
 * from the formula's default grid (start < 0); solver and iteration limit. */
typedef struct how {
    int start;
    slaw_solver solver;
    size_t max_iter;
} how;

/* "b1=500,b2=0.0001": start s as a single-point grid. */
static void start_grid(const certified *c, int s, char *buf, size_t size)
{
    size_t o = 0;
    for (size_t j = 0; j < c->p; j++)
        o += (size_t)snprintf(buf + o, size - o, "%sb%zu=%.17g", j ? "," : "", j + 1,
                              c->start[s][j]);
}

/* The LREs of f's parameters and their sds against the certified ones,
 * certified parameter j read as f's b<label[j]>. */
static void score_labels(const slaw_fit *f, const certified *c, const size_t *label, score *out)
{
    const slaw_law *law = slaw_fit_law(f);
    const double *cov = slaw_fit_covariance(f);
    out->least_b = out->least_sd = LRE_CAP;
    for (size_t j = 0; j < c->p; j++) {
        /* parameters in the formula's order of appearance: find the name */
        char name[32];
        snprintf(name, sizeof name, "b%zu", label[j]);
        size_t k = 0;
        while (k < c->p && strcmp(slaw_law_param_name(law, k), name) != 0) k++;
        assert_true(k < c->p);
        out->b[j] = lre(slaw_fit_value(f, k), c->b[j]);
        /* from the covariance: the table's stderr is NaN for a parameter the
         * runs do not determine (identify.c), which is no certified value */
        out->sd[j] = lre(sqrt(cov[k * c->p + k]), c->sd[j]);
        out->least_b = fmin(out->least_b, out->b[j]);
        out->least_sd = fmin(out->least_sd, out->sd[j]);
    }
}

static void score_fit(const slaw_fit *f, const nist_problem *pr, const certified *c, score *out)
{
    assert_int_equal(slaw_law_param_count(slaw_fit_law(f)), c->p);
    size_t label[MAX_B];
    for (size_t j = 0; j < c->p; j++) label[j] = j + 1;
    score_labels(f, c, label, out);
    const size_t *twin = twin_labels(pr->name);
    if (twin) { /* the better of the two labellings */
        score other = *out;
        score_labels(f, c, twin, &other);
        if (other.least_b > out->least_b) *out = other;
    }
    slaw_fit_stats st;
    slaw_fit_get_stats(f, &st);
    out->rss = lre(st.objective, c->rss); /* l2's objective is the RSS */
    out->resid_sd = lre(st.sigma, c->resid_sd);
    out->least_sd = fmin(out->least_sd, out->resid_sd);
    out->iterations = st.iterations;
    out->starts = st.starts;
}

static void fit_problem(const nist_problem *pr, const certified *c, how h, score *out)
{
    slaw_load_options lo;
    slaw_load_options_init(&lo);
    lo.role_column[SLAW_ROLE_L] = "y";
    slaw_runs *runs = load_ok("nist.csv", c->csv, &lo);
    slaw_fit_options opt;
    slaw_fit_options_init(&opt);
    char grid[512];
    opt.formula = pr->formula;
    opt.space = pr->space;
    if (h.start >= 0) {
        start_grid(c, h.start, grid, sizeof grid);
        opt.grid = grid;
    }
    opt.solver = h.solver;
    if (h.max_iter) opt.max_iter = h.max_iter; /* 0: the default */
    opt.threads = 1;
    slaw_artifact *a = NULL;
    slaw_error err;
    memset(out, 0, sizeof *out);
    if (slaw_fit_runs(runs, &opt, &a, &err) == SLAW_OK) {
        score_fit(slaw_artifact_fit(a, 0), pr, c, out);
        if (h.start >= 0) {
            assert_int_equal(out->starts, 1); /* a single-point grid is one start */
        }
    } else {
        snprintf(out->failed, sizeof out->failed, "%s", err.message);
    }
    slaw_artifact_free(a);
    slaw_runs_free(runs);
}

static const nist_problem *find_problem(const char *name)
{
    for (size_t i = 0; i < N_PROBLEMS; i++)
        if (!strcmp(problems[i].name, name)) return &problems[i];
    fail_msg("no problem %s", name);
    return NULL;
}

static void fit_named(const char *name, how h, score *sc)
{
    certified c;
    read_dat(name, &c);
    fit_problem(find_problem(name), &c, h, sc);
    free(c.csv);
}

static bool reaches_6(const score *sc)
{
    return !sc->failed[0] && sc->least_b >= 6 && sc->least_sd >= 6 && sc->rss >= 6;
}

/* Every problem from start s reaches its floors; returns how many reach
 * LRE >= 6 on everything. */
static size_t check_start(int s)
{
    size_t reached = 0;
    for (size_t i = 0; i < N_PROBLEMS; i++) {
        const nist_problem *pr = &problems[i];
        score sc;
        fit_named(pr->name, (how){s, SLAW_SOLVER_LM, 0}, &sc);
        if (sc.least_b < pr->floor_b[s] || sc.least_sd < pr->floor_sd[s] ||
            sc.rss < pr->floor_rss[s])
            fail_msg("%s start %d: LRE %.1f, sd %.1f, RSS %.1f (floors %.0f, %.0f, %.0f)%s%s",
                     pr->name, s + 1, sc.least_b, sc.least_sd, sc.rss, pr->floor_b[s],
                     pr->floor_sd[s], pr->floor_rss[s], sc.failed[0] ? ": " : "", sc.failed);
        reached += reaches_6(&sc);
    }
    print_message("start %d: %zu of %zu problems at LRE >= 6\n", s + 1, reached, N_PROBLEMS);
    return reached;
}

static void nist_should_reach_the_floors_from_start_1(void **state)
{
    (void)state;
    /* the misses: MGH17 and MGH10 hit the iteration limit, BoxBOD goes to
     * a flat region, Lanczos1's RSS lies below double precision */
    assert_int_equal(check_start(0), 23);
}

static void nist_should_reach_the_floors_from_start_2(void **state)
{
    (void)state;
    assert_int_equal(check_start(1), 26); /* all but Lanczos1's RSS and sds */
}

/* From start 1 the misses are fits, not limits of the formula path: more
 * iterations, another trust region or the default multi-start grid reach
 * the certified values. */
static void nist_start_1_misses_should_yield_to_other_solvers(void **state)
{
    (void)state;
    score sc;
    fit_named("MGH17", (how){0, SLAW_SOLVER_LM, 0}, &sc);
    assert_non_null(strstr(sc.failed, "1 hit the iteration limit"));
    fit_named("MGH17", (how){0, SLAW_SOLVER_LM, 5000}, &sc);
    assert_true(reaches_6(&sc));
    fit_named("MGH17", (how){0, SLAW_SOLVER_LMACCEL, 0}, &sc);
    assert_true(reaches_6(&sc));
    fit_named("MGH17", (how){-1, SLAW_SOLVER_LM, 0}, &sc); /* the default grid */
    assert_true(reaches_6(&sc));

    fit_named("MGH10", (how){0, SLAW_SOLVER_LM, 0}, &sc);
    assert_non_null(strstr(sc.failed, "1 hit the iteration limit"));
    fit_named("MGH10", (how){0, SLAW_SOLVER_DOGLEG, 0}, &sc);
    assert_true(reaches_6(&sc));
    fit_named("MGH10", (how){-1, SLAW_SOLVER_LM, 0}, &sc);
    assert_true(reaches_6(&sc));

    fit_named("BoxBOD", (how){0, SLAW_SOLVER_LM, 0}, &sc);
    assert_true(sc.least_b < 1);
    fit_named("BoxBOD", (how){0, SLAW_SOLVER_DOGLEG, 0}, &sc);
    assert_true(reaches_6(&sc));
    fit_named("BoxBOD", (how){-1, SLAW_SOLVER_LM, 0}, &sc); /* the default grid */
    assert_true(reaches_6(&sc));
}

/* Lanczos1's certified RSS, 1.4307867721e-25, is the sum of squares of
 * residuals near 8e-14 on targets near 2.5, where one unit in the last place
 * of a double is 4.4e-16: rounding the data and the model to doubles moves
 * it in the third digit.  At the exact optimum (found by Gauss-Newton in
 * quad precision from the data as decimals: these are its parameters to 16
 * digits) the RSS computed in double has LRE below 3.5, so no double fit
 * can certify more; slaw's from start 2 gets as close. */
static void nist_lanczos1_rss_should_sit_at_the_double_precision_floor(void **state)
{
    (void)state;
    static const double b[6] = {9.5100000027431457e-02, 1.0000000001277190e+00,
                                8.6070000013445792e-01, 3.0000000002346245e+00,
                                1.5575999998381713e+00, 5.0000000001115491e+00};
    certified c;
    read_dat("Lanczos1", &c);
    slaw_load_options lo;
    slaw_load_options_init(&lo);
    lo.role_column[SLAW_ROLE_L] = "y";
    slaw_runs *runs = load_ok("nist.csv", c.csv, &lo);
    size_t xcol, ycol;
    assert_true(slaw_runs_column_find(runs, "x", &xcol));
    assert_true(slaw_runs_column_find(runs, "y", &ycol));
    double rss = 0;
    for (size_t i = 0; i < slaw_runs_count(runs); i++) {
        double x = slaw_runs_value(runs, xcol, i), y = slaw_runs_value(runs, ycol, i);
        double r = b[0] * exp(-b[1] * x) + b[2] * exp(-b[3] * x) + b[4] * exp(-b[5] * x) - y;
        rss += r * r;
    }
    double floor_lre = lre(rss, c.rss);
    assert_true(floor_lre > 2 && floor_lre < 3.5);
    score sc;
    fit_problem(find_problem("Lanczos1"), &c, (how){1, SLAW_SOLVER_LM, 0}, &sc);
    assert_true(sc.least_b >= 10);
    assert_true(sc.rss >= floor_lre - 0.5);
    print_message("Lanczos1: RSS LRE %.2f at the exact optimum in double, %.2f from start 2\n",
                  floor_lre, sc.rss);
    slaw_runs_free(runs);
    free(c.csv);
}

/* The table of docs/fitting.md: per problem and start, every parameter's
 * LRE, the least LRE of the standard deviations, the residual sd's and the
 * RSS's. */
static void print_table(void)
{
    printf("| problem | start | b1 | b2 | b3 | b4 | b5 | b6 | b7 | b8 | b9 | sd (least) | "
           "resid. sd | RSS | iter. |\n");
    printf("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (size_t i = 0; i < N_PROBLEMS; i++)
        for (int s = 0; s < 2; s++) {
            certified c;
            score sc;
            read_dat(problems[i].name, &c);
            fit_problem(&problems[i], &c, (how){s, SLAW_SOLVER_LM, 0}, &sc);
            printf("| %s | %d |", problems[i].name, s + 1);
            if (sc.failed[0]) { /* "no start converged: ..., 1 hit the iteration limit, ..." */
                printf(" fails: %s | | | | | | | | | | | | |\n",
                       strstr(sc.failed, "iteration limit") ? "iteration limit" : sc.failed);
                free(c.csv);
                continue;
            }
            for (size_t j = 0; j < MAX_B; j++)
                if (j < c.p) printf(" %.1f |", sc.b[j]);
                else printf(" |");
            double least_sd = LRE_CAP;
            for (size_t j = 0; j < c.p; j++) least_sd = fmin(least_sd, sc.sd[j]);
            printf(" %.1f | %.1f | %.1f | %zu |\n", least_sd, sc.resid_sd, sc.rss, sc.iterations);
            free(c.csv);
        }
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "--table")) {
        print_table();
        return 0;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(nist_should_reach_the_floors_from_start_1),
        cmocka_unit_test(nist_should_reach_the_floors_from_start_2),
        cmocka_unit_test(nist_start_1_misses_should_yield_to_other_solvers),
        cmocka_unit_test(nist_lanczos1_rss_should_sit_at_the_double_precision_floor),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
