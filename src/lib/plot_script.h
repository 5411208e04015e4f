/* plot_script.h — the gnuplot script being written (plot_script.c):
 * settings, inline data blocks, the elements of the plot command in
 * layers, gnuplot strings, and the axes the rows widen. */
#ifndef SLAW_PLOT_SCRIPT_H
#define SLAW_PLOT_SCRIPT_H

#include "error.h"

typedef struct plot_text {
    char *data;
    size_t len, cap;
    bool failed; /* out of memory: later writes are dropped */
} plot_text;

void plot_textf(plot_text *t, const char *fmt, ...) SLAW_PRINTF(2, 3);
/* s as a gnuplot string constant: double quotes, with \ " ` and newlines escaped
 * (gnuplot would run the text between backticks as a command). */
void plot_quote(plot_text *t, const char *s);
/* plot_quote for a file name: its bytes kept whether UTF-8 or not. */
void plot_quote_path(plot_text *t, const char *s);

typedef enum axis_units {
    UNITS_COUNT, /* parameters, tokens: 100M, 1B, 1.4T */
    UNITS_FLOPS, /* compute: 1e21, 3e21 */
    UNITS_PLAIN  /* losses, hours: 2, 2.5, 3 */
} axis_units;

typedef struct plot_axis {
    double lo, hi; /* the values drawn so far (positive ones only on a log axis) */
    bool log;
    axis_units units;
} plot_axis;

/* Widens the axis to hold v (NaN and, on a log axis, values <= 0 are ignored). */
void axis_extend(plot_axis *a, double v);

/* The plot command draws its elements in layer order (bands behind lines,
 * lines behind points); the key lists them in the same order. */
typedef enum plot_layer {
    LAYER_BAND = 0,
    LAYER_LINE,
    LAYER_POINT,
    LAYER_MARK,
    LAYER_NOTE,
    LAYER_COUNT
} plot_layer;

typedef struct plot_doc {
    const slaw_plot_options *opt;
    const slaw_plot_plan *plan; /* the plan kind's (slaw_plot_plan_script); NULL otherwise */
    unsigned width, height;
    double level;
    plot_text set;                /* settings, after the terminal */
    plot_text data;               /* inline data blocks */
    plot_text plots[LAYER_COUNT]; /* elements of the plot command, one per line */
    size_t n_blocks, n_titles;    /* data blocks; entries in the key */
    plot_axis x, y;
} plot_doc;

/* A setting ("set ..."), written as given plus a newline. */
void plot_set(plot_doc *d, const char *fmt, ...) SLAW_PRINTF(2, 3);
/* Starts a data block named $<stem><k> (k counts blocks) and copies its
 * name to name (at least 32 bytes).  Rows follow, then plot_block_end. */
void plot_block_begin(plot_doc *d, const char *stem, char *name);
/* A row of n numbers; the first widens the x axis, the next ys the y axis. */
void plot_row(plot_doc *d, const double *v, size_t n, size_t ys);
/* A blank line: a break in the lines drawn from the block. */
void plot_block_gap(plot_doc *d);
void plot_block_end(plot_doc *d);
/* An element of the plot command ("$curve1 using 1:2 with lines ...") with
 * a title in the key (NULL: none). */
void plot_element(plot_doc *d, plot_layer layer, const char *title, const char *fmt, ...)
    SLAW_PRINTF(4, 5);
/* A key entry that draws nothing: style ("with lines lc rgb '#000000'") and text. */
void plot_key_entry(plot_doc *d, plot_layer layer, const char *style, const char *text);

/* The title: opt->title when given, else text (lines separated by '\n'). */
void plot_title(plot_doc *d, const char *text);

/* Line width and point size scaled to the picture. */
double plot_lw(const plot_doc *d);
double plot_ps(const plot_doc *d);

#define COLOR_GREY "#999999"
/* Interval bands: see-through, so that overlapping bands and the curves show. */
#define BAND_STYLE "with filledcurves fs transparent solid 0.2 noborder"
#define COLOR_BLACK "#000000"

#endif /* SLAW_PLOT_SCRIPT_H */
