/* plot_axes.c — axes that read as people write numbers: ticks at decades
 * labelled 100M, 1B, 10B (or 1e21 for FLOPs), finer steps (2, 2.5, 3) on
 * short ranges; and the colour-blind-safe palettes. */
#include "plot_axes.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void format_number(double v, axis_units units, char *buf, size_t size)
{
    slaw_number_format(v,
                       units == UNITS_COUNT   ? SLAW_NUMBER_TICK_SIZE
                       : units == UNITS_FLOPS ? SLAW_NUMBER_TICK_FLOPS
                                              : SLAW_NUMBER_TICK,
                       buf, size);
}

/* ------------------------------------------------------------------ ticks */

/* Mantissas of the ticks in each decade, coarse to fine; the coarsest that
 * gives at least 4 ticks is used. */
static const double mantissas[][4] = {{1}, {1, 2, 5}, {1, 2, 3, 5}};
#define N_SETS (sizeof mantissas / sizeof mantissas[0])

static size_t set_size(size_t s)
{
    size_t n = 0;
    while (n < 4 && mantissas[s][n] > 0) n++;
    return n;
}

static size_t count_ticks(size_t s, double lo, double hi)
{
    size_t n = 0;
    for (int k = (int)floor(log10(lo)) - 1; k <= (int)ceil(log10(hi)); k++)
        for (size_t i = 0; i < set_size(s); i++) {
            double v = mantissas[s][i] * pow(10, k);
            n += v >= lo && v <= hi;
        }
    return n;
}

static void tick(plot_text *t, size_t *n, double v, const char *label, bool minor)
{
    plot_textf(t, "%s\"%s\" %.10g%s", (*n)++ ? ", " : "", label, v, minor ? " 1" : "");
}

/* Ticks at decades (1, 2, 5 and 1, 2, 3, 5 in each when the decades alone
 * are too few), labelled; with decades alone, unlabelled minor ticks at
 * 2..9 (gnuplot draws no automatic minor ticks beside an explicit list). */
static void decade_ticks(plot_text *t, size_t *n, double lo, double hi, axis_units units)
{
    size_t s = 0;
    while (s + 1 < N_SETS && count_ticks(s, lo, hi) < 4) s++;
    size_t decades = count_ticks(0, lo, hi);
    int stride = s == 0 && decades > 9 ? (int)(decades + 8) / 9 : 1;
    bool minors = s == 0 && log10(hi / lo) <= 7;
    char label[32];
    for (int k = (int)floor(log10(lo)) - 1; k <= (int)ceil(log10(hi)); k++) {
        for (size_t i = 0; i < set_size(s); i++) {
            double v = mantissas[s][i] * pow(10, k);
            if (v < lo || v > hi) continue;
            bool shown = s > 0 || (k % stride + stride) % stride == 0;
            if (shown) format_number(v, units, label, sizeof label);
            tick(t, n, v, shown ? label : "", !shown);
        }
        for (int m = 2; minors && m <= 9; m++) {
            double v = m * pow(10, k);
            if (v >= lo && v <= hi) tick(t, n, v, "", true);
        }
    }
}

/* Within a decade, evenly spaced ticks read best: a step of 1, 2, 2.5 or 5
 * times a power of ten giving at most 8 ticks. */
static void step_ticks(plot_text *t, size_t *n, double lo, double hi, axis_units units)
{
    static const double steps[] = {1, 2, 2.5, 5};
    double step = 0;
    char label[32];
    for (int k = (int)floor(log10(hi - lo)) - 2; !step && k <= (int)ceil(log10(hi - lo)); k++)
        for (size_t i = 0; !step && i < 4; i++) {
            double s = steps[i] * pow(10, k);
            if (floor(hi / s) - ceil(lo / s) + 1 <= 8) step = s;
        }
    for (double j = ceil(lo / step); step && j * step <= hi; j++) {
        double v = j * step;
        format_number(v, units, label, sizeof label);
        tick(t, n, v, label, false);
    }
}

/* Explicit ticks for a log axis over [lo, hi]. */
static void log_ticks(plot_doc *d, const char *name, double lo, double hi, axis_units units)
{
    plot_text t = {0};
    size_t n = 0;
    plot_textf(&t, "set %stics (", name);
    if (hi / lo >= 10 || count_ticks(N_SETS - 1, lo, hi) >= 4) decade_ticks(&t, &n, lo, hi, units);
    else step_ticks(&t, &n, lo, hi, units);
    if (n == 0) { /* a range too narrow for any step: its ends */
        char a[32], b[32];
        format_number(lo, units, a, sizeof a);
        format_number(hi, units, b, sizeof b);
        plot_textf(&t, "\"%s\" %.10g, \"%s\" %.10g", a, lo, b, hi);
    }
    plot_textf(&t, ")");
    plot_set(d, "%s", t.data ? t.data : "");
    free(t.data);
}

void plot_axis_set(plot_doc *d, const char *name, const plot_axis *a, const char *label)
{
    double lo = a->lo, hi = a->hi;
    plot_text t = {0};
    if (!(lo <= hi)) lo = hi = a->log ? 1 : 0; /* nothing drawn */
    if (a->log) {
        double span = log10(hi / lo), pad = span > 0 ? 0.03 * span : 0.15;
        lo /= pow(10, pad);
        hi *= pow(10, pad);
        plot_set(d, "set logscale %s 10", name);
        plot_set(d, "set %srange [%.7g:%.7g]", name, lo, hi);
        log_ticks(d, name, lo, hi, a->units);
    } else {
        double pad = hi > lo ? 0.06 * (hi - lo) : fmax(fabs(hi) * 0.1, 0.01);
        plot_set(d, "set %srange [%.7g:%.7g]", name, lo - pad, hi + pad);
        plot_set(d, "set format %s \"%%g\"", name);
    }
    plot_quote(&t, label);
    /* gnuplot sets the colour bar's label too close to its tick labels. */
    plot_set(d, "set %slabel %s%s", name, t.data ? t.data : "\"\"",
             strcmp(name, "cb") ? "" : " offset character 2,0");
    free(t.data);
}

/* ---------------------------------------------------------------- colours */

const char *color_category(size_t i)
{
    /* Okabe & Ito (2008), without the yellow that vanishes on white. */
    static const char *const okabe_ito[] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                            "#E69F00", "#56B4E9", "#000000"};
    return okabe_ito[i % (sizeof okabe_ito / sizeof okabe_ito[0])];
}

/* matplotlib's viridis at 0, 0.1, ..., 1. */
static const unsigned viridis[11] = {0x440154, 0x482475, 0x414487, 0x355f8d, 0x2a788e, 0x21918c,
                                     0x22a884, 0x44bf70, 0x7ad151, 0xbddf26, 0xfde725};
#define VIRIDIS_TOP 0.85 /* past it the yellow is too pale to see on white */

static unsigned viridis_at(double t)
{
    double pos = t * 10;
    int i = (int)floor(pos);
    if (i >= 10) return viridis[10];
    double f = pos - i;
    unsigned c = 0;
    for (int shift = 16; shift >= 0; shift -= 8) {
        double lo = (viridis[i] >> shift) & 0xff, hi = (viridis[i + 1] >> shift) & 0xff;
        c |= (unsigned)lround(lo + f * (hi - lo)) << shift;
    }
    return c;
}

const char *color_sequence(size_t k, size_t n, char *buf)
{
    double t = n > 1 ? VIRIDIS_TOP * (double)k / (double)(n - 1) : 0.4;
    snprintf(buf, 8, "#%06x", viridis_at(t));
    return buf;
}

void plot_palette(plot_doc *d)
{
    plot_text t = {0};
    plot_textf(&t, "set palette defined (");
    for (int i = 0; i <= 8; i++) plot_textf(&t, "%d \"#%06x\", ", i, viridis[i]);
    plot_textf(&t, "8.5 \"#%06x\")", viridis_at(VIRIDIS_TOP));
    plot_set(d, "%s", t.data ? t.data : "");
    free(t.data);
}
