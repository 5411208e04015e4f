/* plan_options.c — what `slaw plan` and `slaw plot --kind plan` read: the
 * target (a point, a budget, a loss) and the candidate runs (a log-spaced
 * grid) with their costs. */
#include "plan_options.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_CANDIDATES 10000

/* --target: loss=V, a budget C alone, or a point of the law. */
int plan_target_parse(const cli_command *cmd, const char *spec, const slaw_artifact *a,
                      const slaw_fit *f, slaw_plan_target *t)
{
    slaw_error err;
    slaw_point p;
    memset(t, 0, sizeof *t);
    if (!strncasecmp(spec, "loss=", 5)) {
        t->kind = SLAW_PLAN_COMPUTE;
        return parse_positive(cmd, "--target loss", spec + 5, &t->loss) ? 0 : EXIT_USAGE;
    }
    if (slaw_point_parse(spec, &p, &err) != SLAW_OK)
        return cli_usage_error(cmd, "--target '%s': %s", spec, CLI_MESSAGE(&err));
    if (!isnan(p.C) && isnan(p.N) && isnan(p.D) && isnan(p.M) && isnan(p.x)) {
        t->kind = SLAW_PLAN_OPTIMUM;
        t->C = p.C;
        return 0;
    }
    t->kind = SLAW_PLAN_POINT;
    if (slaw_point_resolve_fit(a, f, &p, t->vars, &err) != SLAW_OK)
        return cli_usage_error(cmd, "--target '%s': %s", spec, CLI_MESSAGE(&err));
    return 0;
}

int plan_forecast_options(const cli_command *cmd, const char *spec, const slaw_artifact *a,
                          const slaw_fit *f, const held_request *req, const cost_request *cost,
                          slaw_plan_target *t, held_request *held, slaw_forecast_options *fo)
{
    slaw_point given;
    slaw_error err;
    *held = *req;
    if (t->kind == SLAW_PLAN_OPTIMUM && slaw_point_parse(spec, &given, &err) == SLAW_OK) {
        slaw_point_fill(&given, &held->point); /* C=1e21,U=25B: U held along the budget */
        held->point = given;
        held->given = true;
    }
    if (held->given) fo->held = &held->point;
    fo->flops_per_token = cost->opt.flops_per_token;
    if (t->kind == SLAW_PLAN_POINT && fo->flops_per_token > 0 &&
        (slaw_point_parse(spec, &given, &err) != SLAW_OK ||
         slaw_point_resolve_model(a, f, &given, fo->flops_per_token, t->vars, &err) != SLAW_OK))
        return cli_usage_error(cmd, "--target '%s': %s", spec, CLI_MESSAGE(&err));
    if (t->kind != SLAW_PLAN_POINT && slaw_law_has_budget(slaw_fit_law(f)))
        return held_check(cmd, held, slaw_fit_law(f));
    return 0;
}

/* One axis of the grid: NAME=LO:HI:K (K log-spaced values) or NAME=V. */
static int parse_axis(const cli_command *cmd, const char *item, size_t len, char *name,
                      size_t name_size, double *lo, double *hi, size_t *k)
{
    char buf[128], *parts[3] = {0};
    if (len >= sizeof buf)
        return cli_usage_error(cmd, "--candidates: '%.*s' is too long", (int)len, item);
    memcpy(buf, item, len);
    buf[len] = '\0';
    char *eq = strchr(buf, '=');
    if (!eq || eq == buf || (size_t)(eq - buf) >= name_size)
        return cli_usage_error(cmd,
                               "--candidates: '%s': expected N=LO:HI:K, D=LO:HI:K, U=LO:HI:K "
                               "or x=LO:HI:K",
                               buf);
    memcpy(name, buf, (size_t)(eq - buf));
    name[eq - buf] = '\0';
    size_t n = 0;
    for (char *s = eq + 1, *c; n < 3; s = c + 1) {
        parts[n++] = s;
        if (!(c = strchr(s, ':'))) break;
        *c = '\0';
    }
    char what[160];
    snprintf(what, sizeof what, "--candidates %s", name);
    if (!parse_positive(cmd, what, parts[0], lo)) return EXIT_USAGE;
    if (n == 1) {
        *hi = *lo;
        *k = 1;
        return 0;
    }
    if (n != 3) return cli_usage_error(cmd, "--candidates: '%s': expected LO:HI:K", item);
    if (!parse_positive(cmd, what, parts[1], hi) || !parse_count(cmd, what, parts[2], k))
        return EXIT_USAGE;
    if (*k < 1 || *k > 1000 || *hi < *lo || (*k == 1 && *hi != *lo))
        return cli_usage_error(cmd,
                               "--candidates %s: LO <= HI and 1 <= K <= 1000 (K = 1 "
                               "only when LO = HI)",
                               name);
    return 0;
}

static double grid_value(double lo, double hi, size_t k, size_t i)
{
    if (i == 0 || k == 1) return lo; /* the ends exactly as given */
    if (i == k - 1) return hi;
    return exp(log(lo) + (log(hi) - log(lo)) * (double)i / (double)(k - 1));
}

/* Whether runs of f's law are priced in FLOPs: it reads N, D, C or M (N
 * and D known); otherwise a run costs its size x. */
static bool priced_by_compute(const slaw_fit *f)
{
    const slaw_law *law = slaw_fit_law(f);
    for (size_t v = 0; v < slaw_law_var_count(law); v++) {
        slaw_role r = slaw_law_var_role(law, v);
        if (r == SLAW_ROLE_N || r == SLAW_ROLE_D || r == SLAW_ROLE_C || r == SLAW_ROLE_M)
            return true;
    }
    return false;
}

/* The cost of a run: FLOPs (6·N·D, or --flops-per-token) from the point's
 * N and D (one of them may come from C), or GPU-hours when an accelerator
 * is given; laws without compute: the size x itself. */
static bool run_cost(const cost_request *req, const slaw_fit *f, const slaw_point *p,
                     const double *vars, double *cost)
{
    slaw_cost c;
    if (!priced_by_compute(f)) {
        *cost = vars[0];
        return true;
    }
    double by_role[SLAW_ROLE_COUNT];
    for (size_t r = 0; r < SLAW_ROLE_COUNT; r++) by_role[r] = NAN;
    by_role[SLAW_ROLE_N] = p->N;
    by_role[SLAW_ROLE_D] = p->D;
    by_role[SLAW_ROLE_C] = p->C;
    double fpt = req->opt.flops_per_token;
    double N = slaw_role_derive(SLAW_ROLE_N, by_role, fpt);
    double D = slaw_role_derive(SLAW_ROLE_D, by_role, fpt);
    if (!cost_of_run(req, N, D, &c)) return false;
    *cost = req->opt.peak_flops > 0 ? c.gpu_hours : c.flops;
    return *cost > 0 && isfinite(*cost);
}

/* A candidate run from its variables' names and values: the law's
 * variables as the target's point resolves them, and its cost.  where
 * names it in an error. */
static int candidate_make(const cli_command *cmd, const char *where, const slaw_artifact *a,
                          const slaw_fit *f, const cost_request *req, char (*names)[16],
                          const double *values, size_t n, bool grid, slaw_plan_run *run)
{
    char spec[512];
    size_t o = 0;
    slaw_point p;
    slaw_error err;
    for (size_t k = 0; k < n && o < sizeof spec; k++)
        o += (size_t)snprintf(spec + o, sizeof spec - o, "%s%s=%.17g", k ? "," : "", names[k],
                              values[k]);
    if (slaw_point_parse(spec, &p, &err) != SLAW_OK ||
        slaw_point_resolve_fit(a, f, &p, run->vars, &err) != SLAW_OK) {
        if (!grid) { /* a row of a file: its place says enough */
            cli_errorf("%s: %s", where, err.message);
            return EXIT_USAGE;
        }
        return cli_usage_error(cmd, "%s: %s", where, err.message);
    }
    if (!run_cost(req, f, &p, run->vars, &run->cost)) {
        cli_errorf("%s: the cost options give no cost for a run (see slaw cost --help)", where);
        return EXIT_USAGE;
    }
    return 0;
}

/* A CSV (or JSON) of planned runs: a column for each variable a point of
 * the law takes (N and D, or C with one of them; U; x), no loss yet. */
static int candidates_file(const cli_command *cmd, const char *path, const cost_request *req,
                           const slaw_artifact *a, const slaw_fit *f, slaw_plan_run **out,
                           size_t *n_out)
{
    static const char *const symbols[] = {"N", "D", "C", "U", "x"};
    char names[8][16];
    size_t col[8], n_cols = 0;
    slaw_runs *runs = NULL;
    slaw_error err;
    int st = 0;
    slaw_load_options lo;
    slaw_load_options_init(&lo);
    lo.flops_per_token = req->opt.flops_per_token; /* D derived from C follows it */
    if (slaw_runs_load(&path, 1, &lo, &runs, &err) != SLAW_OK) return cli_fail(&err);
    size_t n = slaw_runs_count(runs);
    bool has_x = slaw_runs_column_find(runs, "x", &col[0]);
    for (size_t k = 0; k < sizeof symbols / sizeof symbols[0]; k++) {
        slaw_role role;
        size_t c;
        bool found = k == 4 ? has_x
                            : slaw_role_from_symbol(symbols[k], strlen(symbols[k]), &role) &&
                                  (role == SLAW_ROLE_U ? slaw_runs_column_find(runs, "U", &c) ||
                                                             slaw_runs_role_column(runs, role, &c)
                                                       : slaw_runs_role_column(runs, role, &c));
        if (k == 4) slaw_runs_column_find(runs, "x", &c);
        if (!found || slaw_runs_column_is_label(runs, c)) continue;
        if (k == 2 && n_cols == 2) continue; /* C beside N and D: derived or redundant */
        snprintf(names[n_cols], sizeof names[n_cols], "%s", symbols[k]);
        col[n_cols++] = c;
    }
    slaw_plan_run *cand = n_cols && n && n <= MAX_CANDIDATES ? calloc(n, sizeof *cand) : NULL;
    if (!n_cols) st = cli_usage_error(cmd, "--candidates %s: no column N, D, C, U or x", path);
    else if (!n || n > MAX_CANDIDATES)
        st = cli_usage_error(cmd, "--candidates %s: %zu runs (1 to %d)", path, n, MAX_CANDIDATES);
    else if (!cand) {
        st = cli_nomem();
    }
    for (size_t i = 0; !st && i < n; i++) {
        const char *file;
        long line;
        char where[600];
        double values[8];
        slaw_runs_source(runs, i, &file, &line);
        snprintf(where, sizeof where, "%s:%ld", file, line);
        for (size_t k = 0; k < n_cols; k++) values[k] = slaw_runs_value(runs, col[k], i);
        st = candidate_make(cmd, where, a, f, req, names, values, n_cols, false, &cand[i]);
    }
    slaw_runs_free(runs);
    if (st) {
        free(cand);
        return st;
    }
    *out = cand;
    *n_out = n;
    return 0;
}

int plan_candidates_parse(const cli_command *cmd, const char *spec, const cost_request *req,
                          const slaw_artifact *a, const slaw_fit *f, slaw_plan_run **out,
                          size_t *n_out)
{
    if (!strchr(spec, '=')) return candidates_file(cmd, spec, req, a, f, out, n_out);
    double lo[8], hi[8], values[8];
    size_t k[8], n_axes = 0, n = 1;
    char names[8][16];
    for (const char *s = spec; *s;) {
        size_t len = strcspn(s, ",");
        if (n_axes == 8) return cli_usage_error(cmd, "--candidates: at most 8 variables");
        int st = parse_axis(cmd, s, len, names[n_axes], sizeof names[n_axes], &lo[n_axes],
                            &hi[n_axes], &k[n_axes]);
        if (st) return st;
        for (size_t b = 0; b < n_axes; b++)
            if (!strcmp(names[b], names[n_axes]))
                return cli_usage_error(cmd, "--candidates: %s given twice", names[b]);
        n *= k[n_axes++];
        if (n > MAX_CANDIDATES)
            return cli_usage_error(cmd, "--candidates: more than %d runs", MAX_CANDIDATES);
        s += len;
        if (*s == ',') s++;
    }
    slaw_plan_run *runs = calloc(n, sizeof *runs);
    if (!runs) {
        return cli_nomem();
    }
    for (size_t i = 0; i < n; i++) {
        for (size_t b = n_axes, rest = i; b-- > 0; rest /= k[b])
            values[b] = grid_value(lo[b], hi[b], k[b], rest % k[b]);
        int st =
            candidate_make(cmd, "--candidates", a, f, req, names, values, n_axes, true, &runs[i]);
        if (st) {
            free(runs);
            return st;
        }
    }
    *out = runs;
    *n_out = n;
    return 0;
}
