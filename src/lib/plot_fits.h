/* plot_fits.h — the fits a plot draws and the runs as a fit sees them
 * (plot_fits.c). */
#ifndef SLAW_PLOT_FITS_H
#define SLAW_PLOT_FITS_H

#include "plot_script.h"

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
void plot_forecast_options(const plot_doc *d, const slaw_artifact *a, slaw_forecast_options *fo);
/* "95% band of the curve: bootstrap, 100 samples" (or "delta method"). */
void band_text(const plot_doc *d, slaw_interval_method method, size_t samples, char *buf,
               size_t size);

/* Whether a fit plot draws law in N with curves at values of D: it reads
 * two or more of N, D, C, M and U (C and M follow from N and D; U is each
 * curve's, from its runs).  Otherwise it reads one variable x, or cannot be
 * drawn so (plot_law_drawable). */
bool plot_law_of_n_and_d(const slaw_law *law);
/* For a law of N and one other variable that is none of D, C, M and U (a
 * formula of N and S, LR or a column of its own): that variable's index,
 * along which a fit plot draws its curves as at values of D; SIZE_MAX
 * otherwise. */
size_t plot_law_other_var(const slaw_law *law);
/* The law's variables at N = n, D = d (or the other variable = d) and U = u
 * (NaN when not read). */
void plot_law_vars(const slaw_law *law, double n, double d, double u, double *vars);

/* The range of N in fit f's data: its variable N (or x), or from C and M
 * (N = sqrt(N·D / M), N·D from C through the compute model); false if
 * neither. */
bool plot_fit_n_range(const slaw_fit *f, bool two, double *lo, double *hi);
/* N and D of a point from the law's variables vars: gadre's C and M give
 * N·D (through the compute model) and D/N; C with N or D gives the other;
 * a law of N and one other variable gives N and that variable; a law of one
 * variable (two false) its x and NaN. */
void plot_run_n_d(const slaw_law *law, bool two, const double *vars, double *n, double *d);

/* The runs as a fit sees them. */
typedef struct run_view {
    size_t n;
    double *x;       /* N, or the one-variable law's x */
    double *d;       /* D, or the other variable (NaN for one-variable laws) */
    double *c;       /* C when the runs have it (NaN otherwise) */
    double *u;       /* U for a law that reads it (NaN otherwise) */
    double *y;       /* the target */
    size_t *fit;     /* index into the selected fits; SIZE_MAX: a group not drawn */
    bool *held;      /* one of the runs a fit held out (artifact's holdout) */
    size_t foreign;  /* runs whose group is none of the artifact's (not drawn) */
    size_t unfitted; /* runs of a group the fit could not fit (not drawn) */
} run_view;

/* Reads x (the fit's variable column or N), D, C, the target and the
 * group of every run.  Errors: SLAW_EINPUT naming a missing column, or
 * when no run's group is one of the grouped fit's; SLAW_ENOMEM. */
slaw_status run_view_make(const slaw_artifact *a, const slaw_runs *runs, const slaw_fit **fits,
                          size_t n_fits, run_view *out, slaw_error *err);
void run_view_free(run_view *v);

#endif /* SLAW_PLOT_FITS_H */
