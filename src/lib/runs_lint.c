/* runs_lint.c — the units and accounting people get wrong in sweep logs: a C
 * that is not 6·N·D, parameters with and without embeddings, losses in bits,
 * tokens that are steps, a loss that rises with model size. */
#include "runs.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define COMPUTE_TOLERANCE 0.10 /* |C / (6·N·D) - 1| above this is reported */
#define RISE_TOLERANCE 0.01    /* a rise of the loss with size above 1% is reported */
#define MAX_NATS 12.5          /* ln 256000: a uniform guess over a large vocabulary */

static const char *const lint_names[SLAW_LINT_COUNT] = {"compute", "embeddings", "bits", "steps",
                                                        "size-loss"};

const char *slaw_lint_name(slaw_lint_kind kind)
{
    return kind < SLAW_LINT_COUNT ? lint_names[kind] : "?";
}

bool slaw_lint_find(const char *name, slaw_lint_kind *out)
{
    for (int k = 0; k < SLAW_LINT_COUNT; k++)
        if (!strcmp(name, lint_names[k])) {
            *out = (slaw_lint_kind)k;
            return true;
        }
    return false;
}

/* ------------------------------------------------------------- helpers */

static void lint_run(slaw_lint *l, size_t run)
{
    if (l->n_runs < SLAW_LINT_FIRST_RUNS) l->runs[l->n_runs] = run;
    l->n_runs++;
}

static void say(slaw_lint *l, const char *fmt, ...) SLAW_PRINTF(2, 3);

/* Appends to the lint's message. */
static void say(slaw_lint *l, const char *fmt, ...)
{
    size_t used = strlen(l->message);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(l->message + used, sizeof l->message - used, fmt, ap);
    va_end(ap);
}

/* "20M", "1.2B" for model sizes and token counts. */
static const char *size_text(double v, char *buf, size_t size)
{
    static const struct {
        double scale;
        const char *suffix;
    } units[] = {{1e12, "T"}, {1e9, "B"}, {1e6, "M"}, {1e3, "k"}};
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (fabs(v) >= units[i].scale) {
            snprintf(buf, size, "%.3g%s", v / units[i].scale, units[i].suffix);
            return buf;
        }
    snprintf(buf, size, "%.3g", v);
    return buf;
}

static bool name_has(const slaw_runs *r, size_t col, const char *part)
{
    char norm[256];
    const char *name = r->cols[col].name;
    name_normalize(name, strlen(name), norm, sizeof norm);
    return strstr(norm, part) != NULL;
}

/* A numeric column read from input whose normalised name is one of names. */
static bool find_named(const slaw_runs *r, const char *const *names, size_t *col)
{
    char norm[256];
    for (size_t c = 0; c < r->n_cols; c++) {
        if (r->cols[c].label_at || r->cols[c].derived) continue;
        name_normalize(r->cols[c].name, strlen(r->cols[c].name), norm, sizeof norm);
        for (size_t k = 0; names[k]; k++)
            if (!strcmp(norm, names[k])) {
                *col = c;
                return true;
            }
    }
    return false;
}

/* The column of a role whose values were read (not derived), numeric. */
static bool read_role(const slaw_runs *r, slaw_role role, size_t *col)
{
    return slaw_runs_role_column(r, role, col) && r->role[role].source != SLAW_SOURCE_DERIVED &&
           !r->cols[*col].label_at;
}

static bool same_value(double a, double b)
{
    return fabs(a - b) <= 1e-9 * fmax(fabs(a), fabs(b));
}

/* ------------------------------------------------------------- compute */

typedef struct size_ratio {
    double n, ratio;
} size_ratio;

static int compare_size_ratio(const void *a, const void *b)
{
    const size_ratio *x = a, *y = b;
    if (x->n != y->n) return (x->n > y->n) - (x->n < y->n);
    return (x->ratio > y->ratio) - (x->ratio < y->ratio);
}

/* The median C / (6·N·D) of each model size, in the message; the spread of
 * those medians in *lo, *hi. */
static void ratios_by_size(size_ratio *sr, size_t m, slaw_lint *l, double *lo, double *hi)
{
    char buf[32];
    size_t shown = 0, sizes = 0;
    qsort(sr, m, sizeof *sr, compare_size_ratio);
    *lo = INFINITY;
    *hi = -INFINITY;
    for (size_t i = 0, j; i < m; i = j) {
        for (j = i; j < m && sr[j].n == sr[i].n; j++) continue;
        size_t k = j - i;
        double med =
            k % 2 ? sr[i + k / 2].ratio : (sr[i + k / 2 - 1].ratio + sr[i + k / 2].ratio) / 2;
        *lo = fmin(*lo, med);
        *hi = fmax(*hi, med);
        sizes++;
        if (shown < 8) {
            say(l, "%s%s %.2f", shown ? ", " : "", size_text(sr[i].n, buf, sizeof buf), med);
            shown++;
        }
    }
    if (sizes > shown) say(l, ", ... (%zu sizes)", sizes);
}

static slaw_status lint_compute(const slaw_runs *r, slaw_lint *l, bool *found, slaw_error *err)
{
    size_t cn, cd, cc, m = 0;
    if (!read_role(r, SLAW_ROLE_N, &cn) || !read_role(r, SLAW_ROLE_D, &cd) ||
        !read_role(r, SLAW_ROLE_C, &cc))
        return SLAW_OK;
    size_ratio *sr = runs_alloc((r->n ? r->n : 1) * sizeof *sr);
    if (!sr) return error_nomem(err);
    for (size_t i = 0; i < r->n; i++) {
        double n = r->cols[cn].values[i],
               ratio = r->cols[cc].values[i] / slaw_compute_flops(n, r->cols[cd].values[i], 0);
        if (!(ratio > 0) || !isfinite(ratio)) continue;
        sr[m++] = (size_ratio){n, ratio};
        if (fabs(ratio - 1) > COMPUTE_TOLERANCE) lint_run(l, i);
    }
    if (l->n_runs) {
        double lo, hi;
        *found = true;
        say(l,
            "C ('%s') disagrees with 6*N*D by more than 10%% in %zu of %zu runs; C/(6*N*D) "
            "by model size: ",
            r->cols[cc].name, l->n_runs, m);
        ratios_by_size(sr, m, l, &lo, &hi);
        if (hi / lo < 1.05)
            say(l, ". The same at every size: another convention (8*N*D counts activation "
                   "recomputation, 2*N*D the forward pass only)");
        else if (hi > 1 + COMPUTE_TOLERANCE)
            say(l, ". C exceeds 6*N*D most where the models are small: attention FLOPs "
                   "(about 6*n_layers*n_ctx*d_model per token), which 6*N*D leaves out, weigh "
                   "most there, as does a big vocabulary's output layer when N leaves out the "
                   "embeddings");
        else
            say(l, ". C falls short of 6*N*D: forward-only FLOPs, or N counting embeddings "
                   "whose FLOPs C leaves out");
        say(l, ". slaw fits N and D; its compute-optimal answers take C = 6*N*D");
    }
    free(sr);
    return SLAW_OK;
}

/* ---------------------------------------------------------- embeddings */

static void lint_embeddings(const slaw_runs *r, slaw_lint *l, bool *found)
{
    size_t cn;
    if (!read_role(r, SLAW_ROLE_N, &cn)) return;
    for (size_t c = 0; c < r->n_cols; c++) {
        if (c == cn || r->cols[c].label_at || r->cols[c].derived || !name_has(r, c, "param"))
            continue;
        if (!name_has(r, c, "embed") && !name_has(r, cn, "embed")) continue;
        double lo = INFINITY, hi = -INFINITY;
        size_t both = 0;
        memset(l, 0, sizeof *l);
        for (size_t i = 0; i < r->n; i++) {
            double n = r->cols[cn].values[i], o = r->cols[c].values[i];
            if (!(n > 0) || !(o > 0)) continue;
            both++;
            if (same_value(n, o)) continue;
            lint_run(l, i);
            lo = fmin(lo, o / n);
            hi = fmax(hi, o / n);
        }
        if (!l->n_runs) continue;
        bool given = r->role[SLAW_ROLE_N].source == SLAW_SOURCE_OVERRIDE;
        const char *other = r->cols[c].name, *used = r->cols[cn].name;
        *found = true;
        say(l,
            "two columns count parameters: '%s' (N, %s) and '%s', which is %.0f%% to %.0f%% "
            "of it in %zu of %zu runs: ",
            used, given ? "named explicitly" : "detected from its name", other, 100 * lo, 100 * hi,
            l->n_runs, both);
        if (hi < 1) say(l, "'%s' leaves the embeddings out, presumably, and N counts them", other);
        else if (lo > 1)
            say(l, "N ('%s') leaves the embeddings out, presumably, and '%s' counts them", used,
                other);
        else say(l, "neither is always the larger");
        say(l,
            ". Kaplan et al. fitted N without embeddings, Hoffmann et al. (Chinchilla) with "
            "them, and the exponents differ; slaw uses '%s' (name the other to fit it)",
            used);
        return;
    }
}

/* ---------------------------------------------------------------- bits */

static const char *unit_from_name(const slaw_runs *r, size_t col)
{
    if (name_has(r, col, "perplexity") || name_has(r, col, "ppl")) return "perplexity";
    if (name_has(r, col, "bpb") || name_has(r, col, "perbyte")) return "bits per byte";
    if (name_has(r, col, "bpc") || name_has(r, col, "perchar")) return "bits per character";
    if (name_has(r, col, "bits") || name_has(r, col, "log2")) return "bits";
    return NULL;
}

static void lint_bits(const slaw_runs *r, slaw_lint *l, bool *found)
{
    size_t cl;
    if (!slaw_runs_role_column(r, SLAW_ROLE_L, &cl) || r->cols[cl].label_at) return;
    const char *name = r->cols[cl].name, *unit = unit_from_name(r, cl);
    if (unit) {
        for (size_t i = 0; i < r->n; i++) lint_run(l, i);
        *found = true;
        say(l, "the target '%s' looks like %s, not nats per token (from its name): ", name, unit);
        if (!strcmp(unit, "perplexity"))
            say(l, "perplexity is exp(loss), and a power law in the loss is not one in "
                   "perplexity; fit the loss, its logarithm");
        else
            say(l, "a constant factor leaves the exponents alone but scales E, A and B; "
                   "convert (bits x ln 2 = nats; per byte x bytes per token = per token) before "
                   "comparing them with published laws (Chinchilla's E = 1.69 nats per token)");
        return;
    }
    if (r->role[SLAW_ROLE_L].source != SLAW_SOURCE_ALIAS) return; /* a target of the caller's */
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < r->n; i++) {
        double y = r->cols[cl].values[i];
        if (isnan(y)) continue;
        if (!(y > MAX_NATS)) return; /* one plausible loss in nats: no lint */
        lo = fmin(lo, y);
        hi = fmax(hi, y);
        lint_run(l, i);
    }
    if (!l->n_runs) return;
    *found = true;
    say(l,
        "the target '%s' runs from %.4g to %.4g, more than a loss in nats per token can be "
        "(a uniform guess over 256k tokens is ln 256000 = 12.5 nats): bits, perplexity, or a "
        "sum over tokens?",
        name, lo, hi);
}

/* --------------------------------------------------------------- steps */

static const char *const step_names[] = {"step",       "steps",      "trainstep", "trainsteps",
                                         "globalstep", "numsteps",   "iter",      "iters",
                                         "iteration",  "iterations", NULL};
static const char *const batch_names[] = {"batch",          "batchsize", "bs", "globalbatchsize",
                                          "trainbatchsize", "globalbs",  NULL};
static const char *const seq_names[] = {
    "seqlen", "seqlength", "sequencelength", "contextlength", "contextlen",
    "ctxlen", "nctx",      "blocksize",      "maxseqlen",     NULL};

/* D equal to steps × batch (and not to steps × batch × sequence length). */
static void steps_times_batch(const slaw_runs *r, size_t cd, size_t cs, size_t cb, slaw_lint *l,
                              bool *found)
{
    size_t cq, both = 0;
    bool seq = find_named(r, seq_names, &cq);
    for (size_t i = 0; i < r->n; i++) {
        double d = r->cols[cd].values[i], prod = r->cols[cs].values[i] * r->cols[cb].values[i];
        if (!(d > 0) || !(prod > 0)) continue;
        both++;
        if (seq && same_value(d, prod * r->cols[cq].values[i])) continue;
        if (same_value(d, prod)) lint_run(l, i);
    }
    if (!l->n_runs) return;
    *found = true;
    l->info = true;
    say(l,
        "D ('%s') equals %s x %s in %zu of %zu runs: tokens if '%s' counts tokens; if it "
        "counts sequences, D counts sequences and needs multiplying by the sequence length",
        r->cols[cd].name, r->cols[cs].name, r->cols[cb].name, l->n_runs, both, r->cols[cb].name);
}

static void lint_steps(const slaw_runs *r, slaw_lint *l, bool *found)
{
    size_t cd, cs, cb;
    if (!read_role(r, SLAW_ROLE_D, &cd)) return;
    bool has_step = find_named(r, step_names, &cs);
    if (has_step && cs != cd && find_named(r, batch_names, &cb) && cb != cd) {
        steps_times_batch(r, cd, cs, cb, l, found);
        if (*found) return;
    }
    if (has_step && cs != cd) {
        for (size_t i = 0; i < r->n; i++)
            if (r->cols[cd].values[i] > 0 &&
                same_value(r->cols[cd].values[i], r->cols[cs].values[i]))
                lint_run(l, i);
        if (!l->n_runs) return;
        *found = true;
        say(l, "D ('%s') equals the step count '%s' in %zu runs: D looks like steps, not tokens",
            r->cols[cd].name, r->cols[cs].name, l->n_runs);
        return;
    }
    if (r->role[SLAW_ROLE_D].source != SLAW_SOURCE_ALIAS) return;
    double hi = 0;
    for (size_t i = 0; i < r->n; i++) {
        double d = r->cols[cd].values[i];
        if (isnan(d)) continue;
        if (d != floor(d) || d >= 1e6) return;
        hi = fmax(hi, d);
    }
    for (size_t i = 0; i < r->n; i++)
        if (!isnan(r->cols[cd].values[i])) lint_run(l, i);
    if (!l->n_runs) return;
    *found = true;
    say(l,
        "D ('%s') is a whole number below %.0f in every run: a language model sees more "
        "tokens than that in a few steps, so D looks like steps (or thousands or millions of "
        "tokens: write 2.5B rather than 2500)",
        r->cols[cd].name, hi + 1);
}

/* ----------------------------------------------------------- size-loss */

static bool target_is_loss(const slaw_runs *r, size_t cl)
{
    static const char *const parts[] = {"loss", "xent",       "nll", "entropy",
                                        "ppl",  "perplexity", "bpb", "bits"};
    if (r->role[SLAW_ROLE_L].source == SLAW_SOURCE_ALIAS) return true;
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
        if (name_has(r, cl, parts[i])) return true;
    return false;
}

/* The best run of each (group, D, N), keys numbered in that order. */
static slaw_status best_per_size(const slaw_runs *r, size_t cn, size_t cd, size_t cl, size_t **best,
                                 size_t *n_keys)
{
    size_t cols[3], k = 0, gcol;
    if (slaw_runs_role_column(r, SLAW_ROLE_GROUP, &gcol)) cols[k++] = gcol;
    cols[k++] = cd;
    cols[k++] = cn;
    size_t *ids = runs_alloc((r->n ? r->n : 1) * sizeof *ids);
    if (!ids || runs_key_ids(r, cols, k, ids, n_keys) != SLAW_OK) {
        free(ids);
        return SLAW_ENOMEM;
    }
    *best = malloc((*n_keys ? *n_keys : 1) * sizeof **best);
    if (!*best) {
        free(ids);
        return SLAW_ENOMEM;
    }
    for (size_t j = 0; j < *n_keys; j++) (*best)[j] = SIZE_MAX;
    const double *y = r->cols[cl].values;
    for (size_t i = 0; i < r->n; i++) {
        size_t *b = &(*best)[ids[i]];
        if (*b == SIZE_MAX || y[i] < y[*b]) *b = i;
    }
    free(ids);
    return SLAW_OK;
}

static bool same_group(const slaw_runs *r, size_t a, size_t b)
{
    size_t gcol;
    char x[64], y[64];
    if (!slaw_runs_role_column(r, SLAW_ROLE_GROUP, &gcol)) return true;
    return !strcmp(runs_group_name(r, gcol, a, x, sizeof x),
                   runs_group_name(r, gcol, b, y, sizeof y));
}

static slaw_status lint_size_loss(const slaw_runs *r, slaw_lint *l, bool *found, slaw_error *err)
{
    size_t cn, cd, cl, n_keys, *best = NULL, places = 0;
    if (!slaw_runs_role_column(r, SLAW_ROLE_N, &cn) ||
        !slaw_runs_role_column(r, SLAW_ROLE_D, &cd) ||
        !slaw_runs_role_column(r, SLAW_ROLE_L, &cl) || r->cols[cl].label_at ||
        r->cols[cn].label_at || r->cols[cd].label_at || !target_is_loss(r, cl))
        return SLAW_OK;
    if (best_per_size(r, cn, cd, cl, &best, &n_keys) != SLAW_OK) return error_nomem(err);
    const double *N = r->cols[cn].values, *D = r->cols[cd].values, *y = r->cols[cl].values;
    char detail[600] = "";
    for (size_t j = 1; j < n_keys; j++) {
        size_t a = best[j - 1], b = best[j];
        if (!(N[a] > 0) || !(N[b] > N[a]) || D[a] != D[b] || !same_group(r, a, b)) continue;
        if (!(y[b] > y[a] * (1 + RISE_TOLERANCE)) || !(y[a] > 0)) continue;
        lint_run(l, b);
        if (places++ < 3) {
            char nd[32], na[32], nb[32], gbuf[64], g[100] = "";
            size_t gcol, o = strlen(detail);
            if (slaw_runs_role_column(r, SLAW_ROLE_GROUP, &gcol))
                snprintf(g, sizeof g, "group %s, ", runs_group_name(r, gcol, b, gbuf, sizeof gbuf));
            snprintf(detail + o, sizeof detail - o,
                     "%s%sD = %s: N %s -> %s, %.5g -> %.5g (%+.1f%%)", o ? "; " : "", g,
                     size_text(D[b], nd, sizeof nd), size_text(N[a], na, sizeof na),
                     size_text(N[b], nb, sizeof nb), y[a], y[b], 100 * (y[b] / y[a] - 1));
        }
    }
    free(best);
    if (!places) return SLAW_OK;
    *found = true;
    say(l,
        "at a fixed D the loss rises with model size in %zu place%s (the best run of each "
        "(N, D), rises over 1%%): %s%s. A larger model should not do worse on the same tokens: "
        "a learning rate tuned for smaller models, a diverged run, or runs from another setup?",
        places, places == 1 ? "" : "s", detail, places > 3 ? "; ..." : "");
    return SLAW_OK;
}

/* ---------------------------------------------------------------- entry */

slaw_status slaw_runs_lint(const slaw_runs *r, unsigned skip, slaw_lint *out, size_t *n,
                           slaw_error *err)
{
    slaw_status st = SLAW_OK;
    *n = 0;
    for (int k = 0; k < SLAW_LINT_COUNT && st == SLAW_OK; k++) {
        if (skip & (1u << k)) continue;
        slaw_lint *l = &out[*n];
        bool found = false;
        memset(l, 0, sizeof *l);
        l->kind = (slaw_lint_kind)k;
        switch (l->kind) {
        case SLAW_LINT_COMPUTE: st = lint_compute(r, l, &found, err); break;
        case SLAW_LINT_EMBEDDINGS: lint_embeddings(r, l, &found); break;
        case SLAW_LINT_BITS: lint_bits(r, l, &found); break;
        case SLAW_LINT_STEPS: lint_steps(r, l, &found); break;
        case SLAW_LINT_SIZE_LOSS: st = lint_size_loss(r, l, &found, err); break;
        case SLAW_LINT_COUNT: break;
        }
        if (found) {
            l->kind = (slaw_lint_kind)k; /* a check may have cleared the record */
            (*n)++;
        }
    }
    return st;
}
