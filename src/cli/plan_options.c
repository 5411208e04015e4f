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
        return cli_usage_error(cmd, "--target '%s': %s", spec, err.message);
    if (!isnan(p.C) && isnan(p.N) && isnan(p.D) && isnan(p.x)) {
        t->kind = SLAW_PLAN_OPTIMUM;
        t->C = p.C;
        return 0;
    }
    t->kind = SLAW_PLAN_POINT;
    if (slaw_point_resolve_fit(a, f, &p, t->vars, &err) != SLAW_OK)
        return cli_usage_error(cmd, "--target '%s': %s", spec, err.message);
    return 0;
}

/* One axis of the grid: NAME=LO:HI:K (K log-spaced values) or NAME=V. */
static int parse_axis(const cli_command *cmd, const char *item, size_t len, char *name, double *lo,
                      double *hi, size_t *k)
{
    char buf[128], *parts[3] = {0};
    if (len >= sizeof buf)
        return cli_usage_error(cmd, "--candidates: '%.*s' is too long", (int)len, item);
    memcpy(buf, item, len);
    buf[len] = '\0';
    char *eq = strchr(buf, '=');
    if (!eq || eq - buf != 1 || !strchr("NnDdXx", buf[0]))
        return cli_usage_error(cmd,
                               "--candidates: '%s': expected N=LO:HI:K, D=LO:HI:K or "
                               "x=LO:HI:K",
                               buf);
    *name = (char)(buf[0] == 'X' ? 'x' : buf[0] == 'x' ? 'x' : buf[0] & ~0x20);
    size_t n = 0;
    for (char *s = eq + 1, *c; n < 3; s = c + 1) {
        parts[n++] = s;
        if (!(c = strchr(s, ':'))) break;
        *c = '\0';
    }
    char what[32];
    snprintf(what, sizeof what, "--candidates %c", *name);
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
                               "--candidates %c: LO <= HI and 1 <= K <= 1000 (K = 1 "
                               "only when LO = HI)",
                               *name);
    return 0;
}

static double grid_value(double lo, double hi, size_t k, size_t i)
{
    if (i == 0 || k == 1) return lo; /* the ends exactly as given */
    if (i == k - 1) return hi;
    return exp(log(lo) + (log(hi) - log(lo)) * (double)i / (double)(k - 1));
}

/* The cost of a run: FLOPs (6·N·D, or --flops-per-token), or GPU-hours
 * when an accelerator is given; one-variable laws: the size x itself. */
static bool run_cost(const cost_request *req, bool one, const double *vars, double *cost)
{
    slaw_cost c;
    if (one) {
        *cost = vars[0];
        return true;
    }
    if (!cost_of_run(req, vars[0], vars[1], &c)) return false;
    *cost = req->opt.peak_flops > 0 ? c.gpu_hours : c.flops;
    return *cost > 0 && isfinite(*cost);
}

/* A CSV (or JSON) of planned runs: columns N and D (or C with one of them),
 * or x (N) for one-variable laws; no loss yet.  Each value positive. */
static int candidates_file(const cli_command *cmd, const char *path, const cost_request *req,
                           bool one, slaw_plan_run **out, size_t *n_out)
{
    slaw_runs *runs = NULL;
    slaw_error err;
    size_t col[2];
    int st = 0;
    slaw_load_options lo;
    slaw_load_options_init(&lo);
    lo.flops_per_token = req->opt.flops_per_token; /* D derived from C follows it */
    if (slaw_runs_load(&path, 1, &lo, &runs, &err) != SLAW_OK) return cli_fail(&err);
    size_t n = slaw_runs_count(runs);
    bool found = one ? slaw_runs_column_find(runs, "x", &col[0]) ||
                           slaw_runs_role_column(runs, SLAW_ROLE_N, &col[0])
                     : slaw_runs_role_column(runs, SLAW_ROLE_N, &col[0]) &&
                           slaw_runs_role_column(runs, SLAW_ROLE_D, &col[1]);
    slaw_plan_run *cand = found && n && n <= MAX_CANDIDATES ? calloc(n, sizeof *cand) : NULL;
    if (!found)
        st = cli_usage_error(cmd, "--candidates %s: %s", path,
                             one ? "no column x or N" : "needs N and D (or C) columns");
    else if (!n || n > MAX_CANDIDATES)
        st = cli_usage_error(cmd, "--candidates %s: %zu runs (1 to %d)", path, n, MAX_CANDIDATES);
    else if (!cand) {
        cli_errorf("out of memory");
        st = EXIT_IO;
    }
    for (size_t i = 0; !st && i < n; i++) {
        const char *file;
        long line;
        slaw_runs_source(runs, i, &file, &line);
        for (size_t v = 0; v < (one ? 1u : 2u); v++)
            cand[i].vars[v] = slaw_runs_value(runs, col[v], i);
        bool ok = cand[i].vars[0] > 0 && isfinite(cand[i].vars[0]) &&
                  (one || (cand[i].vars[1] > 0 && isfinite(cand[i].vars[1])));
        if (!ok || !run_cost(req, one, cand[i].vars, &cand[i].cost)) {
            cli_errorf("%s:%ld: a planned run needs positive sizes%s", file, line,
                       ok ? " and a cost (see slaw cost --help)" : "");
            st = EXIT_USAGE;
        }
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
                          bool one, slaw_plan_run **out, size_t *n_out)
{
    if (!strchr(spec, '=')) return candidates_file(cmd, spec, req, one, out, n_out);
    double lo[2] = {0}, hi[2] = {0};
    size_t k[2] = {0};
    bool seen[2] = {false};
    for (const char *s = spec; *s;) {
        size_t len = strcspn(s, ",");
        char name = 0;
        double a, b;
        size_t m;
        int st = parse_axis(cmd, s, len, &name, &a, &b, &m);
        if (st) return st;
        size_t axis = name == 'D' ? 1 : 0;
        if ((one && name == 'D') || (!one && name == 'x'))
            return cli_usage_error(cmd, "--candidates: the law reads %s",
                                   one ? "one "
                                         "variable: give x=LO:HI:K (or N=...)"
                                       : "N and D");
        if (seen[axis]) return cli_usage_error(cmd, "--candidates: %c given twice", name);
        seen[axis] = true;
        lo[axis] = a;
        hi[axis] = b;
        k[axis] = m;
        s += len;
        if (*s == ',') s++;
    }
    if (!seen[0] || (!one && !seen[1]))
        return cli_usage_error(cmd, "--candidates: give %s",
                               one ? "x=LO:HI:K" : "N=LO:HI:K,D=LO:HI:K");
    size_t n = k[0] * (one ? 1 : k[1]);
    if (n > MAX_CANDIDATES)
        return cli_usage_error(cmd, "--candidates: %zu runs, more than %d", n, MAX_CANDIDATES);
    slaw_plan_run *runs = calloc(n, sizeof *runs);
    if (!runs) {
        cli_errorf("out of memory");
        return EXIT_IO;
    }
    for (size_t i = 0; i < n; i++) {
        runs[i].vars[0] = grid_value(lo[0], hi[0], k[0], one ? i : i / k[1]);
        if (!one) runs[i].vars[1] = grid_value(lo[1], hi[1], k[1], i % k[1]);
        if (!run_cost(req, one, runs[i].vars, &runs[i].cost)) {
            free(runs);
            return cli_usage_error(cmd, "--candidates: the cost options give no cost for "
                                        "a run (see slaw cost --help)");
        }
    }
    *out = runs;
    *n_out = n;
    return 0;
}
