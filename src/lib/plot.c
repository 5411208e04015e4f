/* plot.c — gnuplot scripts that draw a fit: the public entry point, and the
 * script's parts (terminal, settings, inline data blocks, the plot command)
 * put together in an order a person can read and restyle. */
#include "plot.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define DEFAULT_WIDTH 1200
#define DEFAULT_HEIGHT 800

static const char *const kind_names[] = {"fit",   "residuals", "frontier",        "isoflop",
                                         "check", "compute",   "tokens-per-param", "plan"};

const char *slaw_plot_kind_name(slaw_plot_kind kind)
{
    return (size_t)kind < sizeof kind_names / sizeof kind_names[0] ? kind_names[kind] : "?";
}

bool slaw_plot_kind_parse(const char *name, slaw_plot_kind *out)
{
    for (size_t i = 0; i < sizeof kind_names / sizeof kind_names[0]; i++)
        if (!strcmp(name, kind_names[i])) {
            *out = (slaw_plot_kind)i;
            return true;
        }
    return false;
}

bool slaw_plot_format_of(const char *path, slaw_plot_format *out)
{
    static const char *const ext[] = {".png", ".svg", ".pdf"};
    size_t len = strlen(path);
    for (size_t i = 0; i < 3; i++)
        if (len > 4 && !strcasecmp(path + len - 4, ext[i])) {
            *out = (slaw_plot_format)i;
            return true;
        }
    return false;
}

void slaw_plot_options_init(slaw_plot_options *opt)
{
    memset(opt, 0, sizeof *opt);
    slaw_isoflop_options_init(&opt->isoflop);
}

/* ------------------------------------------------------------------ text */

static void textv(plot_text *t, const char *fmt, va_list ap) SLAW_PRINTF(2, 0);

static void textv(plot_text *t, const char *fmt, va_list ap)
{
    if (t->failed) return;
    for (;;) {
        va_list aq;
        va_copy(aq, ap);
        int n = vsnprintf(t->data ? t->data + t->len : NULL, t->data ? t->cap - t->len : 0, fmt,
                          aq);
        va_end(aq);
        if (n < 0) {
            t->failed = true;
            return;
        }
        if (t->data && t->len + (size_t)n < t->cap) {
            t->len += (size_t)n;
            return;
        }
        size_t cap = t->cap ? 2 * t->cap : 4096;
        while (cap < t->len + (size_t)n + 1) cap *= 2;
        char *p = realloc(t->data, cap);
        if (!p) {
            t->failed = true;
            return;
        }
        t->data = p;
        t->cap = cap;
    }
}

void plot_textf(plot_text *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    textv(t, fmt, ap);
    va_end(ap);
}

/* A backtick is escaped too: gnuplot runs the text between two backticks,
 * even inside a double-quoted string, as a shell command, and keeps \` as
 * a literal backtick.  A label's bytes that are not UTF-8 become '?': the
 * SVG terminal copies them as they are, into a file no XML parser reads
 * (and cairo draws them as garbage); a path is kept as it is. */
static void quote(plot_text *t, const char *s, bool label)
{
    plot_textf(t, "\"");
    for (size_t n = strlen(s), i = 0; i < n; i++) {
        size_t k = label && (unsigned char)s[i] >= 0x80 ? utf8_length((const unsigned char *)s + i, n - i) : 1;
        char c = s[i];
        if (c == '"' || c == '\\' || c == '`') plot_textf(t, "\\%c", c);
        else if (c == '\n') plot_textf(t, "\\n");
        else if ((unsigned char)c < 0x20 || (label && c == 0x7f)) plot_textf(t, " ");
        else if (!k) plot_textf(t, "?");
        else plot_textf(t, "%.*s", (int)k, s + i), i += k - 1;
    }
    plot_textf(t, "\"");
}

void plot_quote(plot_text *t, const char *s)
{
    quote(t, s, true);
}

void plot_quote_path(plot_text *t, const char *s)
{
    quote(t, s, false);
}

/* ------------------------------------------------------------- the script */

void plot_set(plot_doc *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    textv(&d->set, fmt, ap);
    va_end(ap);
    plot_textf(&d->set, "\n");
}

void plot_block_begin(plot_doc *d, const char *stem, char *name)
{
    snprintf(name, 32, "$%.16s%zu", stem, ++d->n_blocks);
    plot_textf(&d->data, "%s << EOD\n", name);
}

/* Seven significant digits: ample for a picture, and the last digits of a
 * computed value (which may differ between machines' maths libraries) do
 * not reach the script. */
void plot_row(plot_doc *d, const double *v, size_t n, size_t ys)
{
    for (size_t i = 0; i < n; i++) {
        if (isfinite(v[i])) plot_textf(&d->data, i ? " %.7g" : "%.7g", v[i]);
        else plot_textf(&d->data, i ? " NaN" : "NaN");
        if (i == 0) axis_extend(&d->x, v[i]);
        else if (i <= ys) axis_extend(&d->y, v[i]);
    }
    plot_textf(&d->data, "\n");
}

void plot_block_gap(plot_doc *d)
{
    plot_textf(&d->data, "\n");
}

void plot_block_end(plot_doc *d)
{
    plot_textf(&d->data, "EOD\n");
}

void plot_element(plot_doc *d, plot_layer layer, const char *title, const char *fmt, ...)
{
    plot_text *t = &d->plots[layer];
    va_list ap;
    va_start(ap, fmt);
    textv(t, fmt, ap);
    va_end(ap);
    if (title) {
        d->n_titles++;
        plot_textf(t, " title ");
        plot_quote(t, title);
    } else {
        plot_textf(t, " notitle");
    }
    plot_textf(t, "\n");
}

void plot_key_entry(plot_doc *d, plot_layer layer, const char *style, const char *text)
{
    plot_element(d, layer, text, "keyentry %s", style);
}

void plot_title(plot_doc *d, const char *text)
{
    plot_text t = {0};
    plot_quote(&t, d->opt->title ? d->opt->title : text);
    plot_set(d, "set title %s", t.data ? t.data : "\"\"");
    free(t.data);
}

double plot_lw(const plot_doc *d)
{
    return fmax(1, d->height / 400.0);
}

double plot_ps(const plot_doc *d)
{
    return fmax(0.5, d->height / 800.0);
}

/* ------------------------------------------------------------- assembling */

static const char *format_name(slaw_plot_format f)
{
    return f == SLAW_PLOT_SVG ? "SVG" : f == SLAW_PLOT_PDF ? "PDF" : "PNG";
}

/* The terminal for the format and size; fonts scale with the height, so a
 * smaller picture reads the same. */
static void terminal(const plot_doc *d, plot_text *t)
{
    unsigned font = (unsigned)lround(d->height / 60.0);
    font = font < 8 ? 8 : font > 28 ? 28 : font;
    switch (d->opt->format) {
    case SLAW_PLOT_SVG:
        plot_textf(t, "set terminal svg size %u,%u fixed", d->width, d->height);
        break;
    case SLAW_PLOT_PDF: /* points of 1/72 inch, so a PDF looks like the PNG of its size */
        plot_textf(t, "set terminal pdfcairo size %.4fin,%.4fin", d->width / 72.0,
                   d->height / 72.0);
        break;
    case SLAW_PLOT_PNG:
        plot_textf(t, "set terminal pngcairo size %u,%u", d->width, d->height);
        break;
    }
    plot_textf(t, " noenhanced font \"sans,%u\" background rgb \"#ffffff\"\n", font);
    if (d->opt->output) {
        plot_textf(t, "set output ");
        plot_quote_path(t, d->opt->output);
        plot_textf(t, "\n");
    }
}

/* Settings every kind shares: a light grid; the key below the plot, out of
 * the data's way, in two columns. */
static void common_settings(const plot_doc *d, plot_text *t)
{
    plot_textf(t, "set encoding utf8\n"
                  "set border 3 lw 1 lc rgb \"#444444\"\n"
                  "set tics out nomirror\n"
                  "set grid xtics ytics mxtics mytics lt 1 lw 1 lc rgb \"#e0e0e0\", lt 1 lw 1 "
                  "lc rgb \"#f3f3f3\"\n"
                  "set key below center horizontal Left reverse maxrows %zu height 1\n"
                  "set pointsize %.3g\n",
               d->n_titles > 2 ? (d->n_titles + 1) / 2 : 1, plot_ps(d));
}

static slaw_status assemble(plot_doc *d, char **out, slaw_error *err)
{
    plot_text t = {0};
    plot_textf(&t, "# slaw %s: a '%s' plot, written by slaw plot (docs/plots.md).\n"
                   "# The data are inline, so this file is all gnuplot needs: run\n"
                   "#   gnuplot THIS_FILE\n"
                   "# to draw the %s picture; change any setting below to restyle it.\n",
               slaw_version(), slaw_plot_kind_name(d->opt->kind), format_name(d->opt->format));
    terminal(d, &t);
    plot_textf(&t, "\n");
    common_settings(d, &t);
    plot_textf(&t, "%s\n%s\nplot ", d->set.data ? d->set.data : "",
               d->data.data ? d->data.data : "");
    bool first = true;
    for (int layer = 0; layer < LAYER_COUNT; layer++) {
        const plot_text *p = &d->plots[layer];
        for (size_t i = 0; i < p->len;) {
            size_t end = i;
            while (end < p->len && p->data[end] != '\n') end++;
            plot_textf(&t, "%s%.*s", first ? "" : ", \\\n     ", (int)(end - i), p->data + i);
            first = false;
            i = end + 1;
        }
    }
    plot_textf(&t, "\n");
    bool failed = t.failed || d->set.failed || d->data.failed;
    for (int layer = 0; layer < LAYER_COUNT; layer++) failed |= d->plots[layer].failed;
    if (failed || first) {
        free(t.data);
        return failed ? error_nomem(err)
                      : error_set(err, SLAW_EINTERNAL, NULL, 0, "the plot has nothing to draw");
    }
    *out = t.data;
    return SLAW_OK;
}

static void doc_free(plot_doc *d)
{
    free(d->set.data);
    free(d->data.data);
    for (int layer = 0; layer < LAYER_COUNT; layer++) free(d->plots[layer].data);
}

static slaw_status plot_script(const slaw_artifact *a, const slaw_plot_options *opt,
                               const slaw_plot_plan *plan, char **out, slaw_error *err)
{
    plot_doc d = {.opt = opt, .plan = plan};
    slaw_status st;
    d.width = opt->width ? opt->width : DEFAULT_WIDTH;
    d.height = opt->height ? opt->height : DEFAULT_HEIGHT;
    d.level = opt->level != 0 ? opt->level : 0.95;
    d.x = d.y = (plot_axis){INFINITY, -INFINITY, true, UNITS_COUNT};
    if (d.width < SLAW_PLOT_MIN_SIZE || d.width > SLAW_PLOT_MAX_SIZE ||
        d.height < SLAW_PLOT_MIN_SIZE || d.height > SLAW_PLOT_MAX_SIZE)
        return error_set(err, SLAW_EUSAGE, NULL, 0, "a picture of %u x %u: width and height must "
                         "be %d to %d", d.width, d.height, SLAW_PLOT_MIN_SIZE,
                         SLAW_PLOT_MAX_SIZE);
    if (!(d.level > 0 && d.level < 1))
        return error_set(err, SLAW_EUSAGE, NULL, 0, "the level %g must be between 0 and 1",
                         d.level);
    if (!(opt->to >= 0) || !isfinite(opt->to))
        return error_set(err, SLAW_EUSAGE, NULL, 0, "the curves' end %g must be positive",
                         opt->to);
    if (!a && opt->kind != SLAW_PLOT_ISOFLOP)
        return error_set(err, SLAW_EUSAGE, NULL, 0, "a %s plot needs a fit artifact",
                         slaw_plot_kind_name(opt->kind));
    switch (opt->kind) {
    case SLAW_PLOT_FIT: st = plot_fit(&d, a, err); break;
    case SLAW_PLOT_RESIDUALS: st = plot_residuals(&d, a, err); break;
    case SLAW_PLOT_FRONTIER: st = plot_frontier(&d, a, err); break;
    case SLAW_PLOT_ISOFLOP: st = plot_isoflop(&d, err); break;
    case SLAW_PLOT_CHECK: st = plot_check(&d, a, err); break;
    case SLAW_PLOT_COMPUTE:
    case SLAW_PLOT_TOKENS_PER_PARAM: st = plot_fit(&d, a, err); break;
    case SLAW_PLOT_PLAN: st = plot_plan(&d, a, err); break;
    default: st = error_set(err, SLAW_EUSAGE, NULL, 0, "unknown plot kind %d", (int)opt->kind);
    }
    if (st == SLAW_OK) st = assemble(&d, out, err);
    doc_free(&d);
    return st;
}

slaw_status slaw_plot_script(const slaw_artifact *a, const slaw_plot_options *opt, char **out,
                             slaw_error *err)
{
    return plot_script(a, opt, NULL, out, err);
}

slaw_status slaw_plot_plan_script(const slaw_artifact *a, const slaw_plot_options *opt,
                                  const slaw_plot_plan *plan, char **out, slaw_error *err)
{
    return plot_script(a, opt, plan, out, err);
}
