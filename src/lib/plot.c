/* plot.c — gnuplot scripts that draw a fit: the public entry points, which
 * run one kind (plot_kinds.h) and put the script's parts (terminal,
 * settings, inline data blocks, the plot command) together in an order a
 * person can read and restyle. */
#include "artifact.h"
#include "plot_kinds.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define DEFAULT_WIDTH 1200
#define DEFAULT_HEIGHT 800

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
    plot_textf(t,
               "set encoding utf8\n"
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
    plot_textf(&t,
               "# slaw %s: a '%s' plot, written by slaw plot (docs/plots.md).\n"
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
    d.level = opt->level != 0 ? opt->level : SLAW_DEFAULT_LEVEL;
    d.x = d.y = (plot_axis){INFINITY, -INFINITY, true, UNITS_COUNT};
    if (d.width < SLAW_PLOT_MIN_SIZE || d.width > SLAW_PLOT_MAX_SIZE ||
        d.height < SLAW_PLOT_MIN_SIZE || d.height > SLAW_PLOT_MAX_SIZE)
        return error_set(err, SLAW_EUSAGE, NULL, 0,
                         "a picture of %u x %u: width and height must "
                         "be %d to %d",
                         d.width, d.height, SLAW_PLOT_MIN_SIZE, SLAW_PLOT_MAX_SIZE);
    if (!(d.level > 0 && d.level < 1))
        return error_set(err, SLAW_EUSAGE, NULL, 0, "the level %g must be between 0 and 1",
                         d.level);
    if (!(opt->to >= 0) || !isfinite(opt->to))
        return error_set(err, SLAW_EUSAGE, NULL, 0, "the curves' end %g must be positive", opt->to);
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
