/* input.h — the input options and loading the runs they name, filters
 * applied (input.c). */
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
    char per_text[512];    /* the columns of per, split at commas */
    size_t drop_top;       /* 0 = none */
    const char *extra[32]; /* further columns the command uses */
    size_t n_extra;
    bool defer_filters;  /* the filters are applied later (by the fit) */
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
    size_t read; /* before filtering */
    filter_report filters[33];
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
/* The columns named explicitly, the filters and the further columns an
 * artifact was fitted with, so that new runs load the same way (columns
 * already named in req win). */
void input_request_as_fitted(input_request *req, const slaw_artifact *a);
/* Loads the operands as files and applies the request's filters (none when
 * they were moved to a fit request); returns an exit status. */
int input_load(const input_request *req, char **paths, size_t n_paths, loaded_runs *out);
void loaded_runs_free(loaded_runs *lr);
/* "--best-per N,D" into buf. */
void per_text(const slaw_per_options *per, char *buf, size_t size);

/* Reads an artifact: exit 4 if it cannot be read, 2 if it is not a valid one. */
int artifact_load(const char *path, slaw_artifact **out);

#endif /* SLAW_CLI_INPUT_H */
