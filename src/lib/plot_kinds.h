/* plot_kinds.h — one function per kind of plot, each in its own file
 * (plot_fit.c, plot_check.c, ...); the dispatcher (plot.c) calls them. */
#ifndef SLAW_PLOT_KINDS_H
#define SLAW_PLOT_KINDS_H

#include "plot_script.h"

slaw_status plot_fit(plot_doc *d, const slaw_artifact *a, slaw_error *err);
slaw_status plot_residuals(plot_doc *d, const slaw_artifact *a, slaw_error *err);
slaw_status plot_frontier(plot_doc *d, const slaw_artifact *a, slaw_error *err);
slaw_status plot_isoflop(plot_doc *d, slaw_error *err);
slaw_status plot_check(plot_doc *d, const slaw_artifact *a, slaw_error *err);
slaw_status plot_plan(plot_doc *d, const slaw_artifact *a, slaw_error *err);

#endif /* SLAW_PLOT_KINDS_H */
