/* plot_script.c — the gnuplot script being written: text that grows,
 * gnuplot strings, settings, inline data blocks, and the elements of the
 * plot command in layers. */
#include "plot_script.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static void textv(plot_text *t, const char *fmt, va_list ap) SLAW_PRINTF(2, 0);

static void textv(plot_text *t, const char *fmt, va_list ap)
{
    if (t->failed) return;
    for (;;) {
        va_list aq;
        va_copy(aq, ap);
        int n =
            vsnprintf(t->data ? t->data + t->len : NULL, t->data ? t->cap - t->len : 0, fmt, aq);
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
        size_t k = label && (unsigned char)s[i] >= 0x80
                       ? utf8_length((const unsigned char *)s + i, n - i)
                       : 1;
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

void axis_extend(plot_axis *a, double v)
{
    if (!isfinite(v) || (a->log && !(v > 0))) return;
    if (v < a->lo) a->lo = v;
    if (v > a->hi) a->hi = v;
}
