/* plot_axes.h — axes whose ticks read as people write numbers, and the
 * palettes (plot_axes.c). */
#ifndef SLAW_PLOT_AXES_H
#define SLAW_PLOT_AXES_H

#include "plot_script.h"

/* A number for a label in the axis's units ("20B", "1e21", "2.5"). */
void format_number(double v, axis_units units, char *buf, size_t size);

/* Sets the axis's label, scale, range (with a margin) and ticks; name is
 * "x", "y" or "cb". */
void plot_axis_set(plot_doc *d, const char *name, const plot_axis *a, const char *label);

/* Okabe and Ito's colour-blind-safe palette, for categories ("#0072B2"). */
const char *color_category(size_t i);
/* Viridis (without its palest yellow), k of n evenly spaced, for ordered
 * values: "#rrggbb" in buf (8 bytes). */
const char *color_sequence(size_t k, size_t n, char *buf);

/* The palette command for the colour bar (viridis, as color_sequence). */
void plot_palette(plot_doc *d);

#endif /* SLAW_PLOT_AXES_H */
