/* input.h — the input options, loading the runs they name and the
 * selection of runs they build (input.c). */
#ifndef SLAW_CLI_INPUT_H
#define SLAW_CLI_INPUT_H

#include "cli.h"

/* The input options (files, formats, roles, filters), ended by {0}. */
extern const cli_option input_options[];

/* What the input options collect: files, formats, roles, filters. */
typedef struct input_request {
    slaw_load_options load;
    const char *where[32];
    size_t n_where;
    slaw_per_options per; /* --best-per, --mean-per, --weight inverse-variance */
    const char *per_columns[16];
    char per_text[512];           /* the columns of per, split at commas */
    size_t drop_top;              /* 0 = none */
    const slaw_selection *fitted; /* an artifact's selection: the where steps
                                     above narrow it (input_request_as_fitted) */
    const char *extra[32];        /* further columns the command uses */
    size_t n_extra;
    bool show_unsettled; /* inspect: a role with no such column or several
                            candidates is shown, not refused */
} input_request;

typedef struct filter_report {
    char what[300]; /* "--where 'N > 1e8'" */
    size_t removed;
    size_t kept; /* the runs left after it */
} filter_report;

typedef struct loaded_runs {
    slaw_runs *runs;
    slaw_selection *selection; /* the request's: a fit applies it, else input_select */
    size_t read;               /* before the selection */
    filter_report filters[80]; /* after input_select */
    size_t n_filters;
} loaded_runs;

void input_request_init(input_request *req);
/* The error for a role the load left unsettled (no such column: with every
 * column listed; several candidates, unless missing_only); 0 when none. */
int unsettled_role_error(const slaw_runs *runs, bool missing_only);

/* Handles an input option; returns 1 if id was not one, 0 or an exit status. */
int input_option(const cli_command *cmd, input_request *req, option_id id, const char *arg);
/* Reads --var ROLE=COLUMN; prints the usage error and returns EXIT_USAGE
 * for a malformed one or an unknown role. */
int parse_var(const cli_command *cmd, const char *arg, slaw_role *role, const char **column);
/* The columns named explicitly, the selection and the further columns an
 * artifact was fitted with, so that new runs load the same way (columns
 * already named in req win; req's own filters are dropped). */
void input_request_as_fitted(input_request *req, const slaw_artifact *a);
/* Loads the operands as files and builds the request's selection into
 * out->selection (the --where, --best-per/--mean-per and --drop-top-loss
 * steps in that order, or the fitted selection narrowed by the --where
 * steps), applying none of it; returns an exit status. */
int input_load(const input_request *req, char **paths, size_t n_paths, loaded_runs *out);
/* Applies lr->selection to lr->runs and records what each step removed;
 * returns an exit status. */
int input_select(loaded_runs *lr);
/* input_load, then input_select. */
int input_load_selected(const input_request *req, char **paths, size_t n_paths, loaded_runs *out);
void loaded_runs_free(loaded_runs *lr);
/* A step as the options that give it: "--where 'N > 1e8'", "--best-per
 * N,D", "--drop-top-loss 5". */
void step_text(const slaw_step *step, char *buf, size_t size);

/* Reads an artifact: exit 4 if it cannot be read, 2 if it is not a valid one. */
int artifact_load(const char *path, slaw_artifact **out);

#endif /* SLAW_CLI_INPUT_H */
