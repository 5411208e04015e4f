/* plot.h — what the plot modules share (internal): the script being written
 * (settings, inline data blocks, the plot command), gnuplot strings, axes
 * whose ticks read as people write numbers, the palettes, and the runs as
 * a fit sees them. */
#ifndef SLAW_PLOT_H
#define SLAW_PLOT_H

#include "internal.h"

/* ------------------------------------------------------------------ text */

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

/* ------------------------------------------------------------------ axes */

typedef enum axis_units {
    UNITS_COUNT, /* parameters, tokens: 100M, 1B, 1.4T */
    UNITS_FLOPS, /* compute: 1e21, 3e21 */
    UNITS_PLAIN  /* losses, hours: 2, 2.5, 3 */
} axis_units;

typedef struct plot_axis {
    double lo, hi;   /* the values drawn so far (positive ones only on a log axis) */
    bool log;
    axis_units units;
} plot_axis;

/* Widens the axis to hold v (NaN and, on a log axis, values <= 0 are ignored). */
void axis_extend(plot_axis *a, double v);

/* A number for a label in the axis's units ("20B", "1e21", "2.5"). */
void format_number(double v, axis_units units, char *buf, size_t size);

/* ------------------------------------------------------------- the script */

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
    const slaw_plot_plan *plan;    /* the plan kind's (slaw_plot_plan_script); NULL otherwise */
    unsigned width, height;
    double level;
    plot_text set;                 /* settings, after the terminal */
    plot_text data;                /* inline data blocks */
    plot_text plots[LAYER_COUNT];  /* elements of the plot command, one per line */
    size_t n_blocks, n_titles;     /* data blocks; entries in the key */
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
/* Sets the axis's label, scale, range (with a margin) and ticks; name is
 * "x", "y" or "cb". */
void plot_axis_set(plot_doc *d, const char *name, const plot_axis *a, const char *label);
/* The title: opt->title when given, else text (lines separated by '\n'). */
void plot_title(plot_doc *d, const char *text);

/* Line width and point size scaled to the picture. */
double plot_lw(const plot_doc *d);
double plot_ps(const plot_doc *d);

/* ---------------------------------------------------------------- colours */

/* Okabe and Ito's colour-blind-safe palette, for categories ("#0072B2"). */
const char *color_category(size_t i);
/* Viridis (without its palest yellow), k of n evenly spaced, for ordered
 * values: "#rrggbb" in buf (8 bytes). */
const char *color_sequence(size_t k, size_t n, char *buf);
#define COLOR_GREY "#999999"
/* Interval bands: see-through, so that overlapping bands and the curves show. */
#define BAND_STYLE "with filledcurves fs transparent solid 0.2 noborder"
#define COLOR_BLACK "#000000"
/* The palette command for the colour bar (viridis, as color_sequence). */
void plot_palette(plot_doc *d);

/* -------------------------------------------------------------- the fits */

/* The fits to draw from a: every fit, or the one of group (NULL: every
 * one).  Fills fits (at most max) and *n.  Errors: SLAW_EUSAGE for an unknown group, or a
 * grouped artifact when one must be named (need_one). */
slaw_status plot_select_fits(const slaw_artifact *a, const char *group, bool need_one,
                             const char *kind, const slaw_fit **fits, size_t max, size_t *n,
                             slaw_error *err);
/* "E = 1.817, A = 477.8, alpha = 0.3473" for a title or key. */
void fit_params_text(const slaw_fit *f, char *buf, size_t size);
/* The target's name for an axis ("loss", "train_hours"). */
const char *target_label(const slaw_artifact *a);
/* The first variable's axis label ("model size N (parameters)", or x's column). */
const char *variable_label(const slaw_artifact *a, const slaw_fit *f, char *buf, size_t size);
/* Forecast options for a: its space, the doc's level, intervals as available. */
void plot_forecast_options(const plot_doc *d, const slaw_artifact *a,
                           slaw_forecast_options *fo);
/* "95% band of the curve: bootstrap, 100 samples" (or "delta method"). */
void band_text(const plot_doc *d, slaw_interval_method method, size_t samples, char *buf,
               size_t size);

/* The runs as a fit sees them. */
typedef struct run_view {
    size_t n;
    double *x;     /* N, or the one-variable law's x */
    double *d;     /* D (NaN for one-variable laws) */
    double *c;     /* C when the runs have it (NaN otherwise) */
    double *y;     /* the target */
    size_t *fit;   /* index into the selected fits; SIZE_MAX: a group not drawn */
    bool *held;    /* one of the runs a fit held out (artifact's holdout) */
    size_t foreign; /* runs whose group is none of the artifact's (not drawn) */
    size_t unfitted; /* runs of a group the fit could not fit (not drawn) */
} run_view;

/* Reads x (the fit's variable column or N), D, C, the target and the
 * group of every run.  Errors: SLAW_EINPUT naming a missing column, or
 * when no run's group is one of the grouped fit's; SLAW_ENOMEM. */
slaw_status run_view_make(const slaw_artifact *a, const slaw_runs *runs, const slaw_fit **fits,
                          size_t n_fits, run_view *out, slaw_error *err);
void run_view_free(run_view *v);

/* ------------------------------------------------------------ the kinds */

slaw_status plot_fit(plot_doc *d, const slaw_artifact *a, slaw_error *err);
slaw_status plot_residuals(plot_doc *d, const slaw_artifact *a, slaw_error *err);
slaw_status plot_frontier(plot_doc *d, const slaw_artifact *a, slaw_error *err);
slaw_status plot_isoflop(plot_doc *d, slaw_error *err);
slaw_status plot_check(plot_doc *d, const slaw_artifact *a, slaw_error *err);
slaw_status plot_plan(plot_doc *d, const slaw_artifact *a, slaw_error *err);

#endif /* SLAW_PLOT_H */
