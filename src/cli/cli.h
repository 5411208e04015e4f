/* cli.h — what the command-line tool's files share: exit codes, messages,
 * the option tables, input handling and output helpers. */
#ifndef SLAW_CLI_H
#define SLAW_CLI_H

#include "slaw.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#if defined(__GNUC__)
#define CLI_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define CLI_PRINTF(a, b)
#endif

/* Exit statuses, documented in --help and docs/cli.md. */
enum {
    EXIT_PASS = 0,       /* ok */
    EXIT_REGRESSION = 1, /* slaw check found a regression */
    EXIT_USAGE = 2,      /* usage or input error */
    EXIT_FIT = 3,        /* the fit failed */
    EXIT_IO = 4          /* I/O or internal error */
};

/* ------------------------------------------------------------- messages */

/* "slaw: error: ..." / "slaw: warning: ..." on stderr. */
void cli_errorf(const char *fmt, ...) CLI_PRINTF(1, 2);
void cli_warnf(const char *fmt, ...) CLI_PRINTF(1, 2);
/* Reports a library error with its location; returns the exit status it maps to. */
int cli_fail(const slaw_error *err);
int cli_exit_code(slaw_status status);

/* -------------------------------------------------------------- options */

/* Every option of every command has one id. */
typedef enum option_id {
    OPT_HELP = 1,
    OPT_FORMAT,
    OPT_FORMAT_IN,
    OPT_N,
    OPT_D,
    OPT_C,
    OPT_Y,
    OPT_WHERE,
    OPT_DROP_TOP_LOSS,
    OPT_QUIET,
    OPT_BY,
    OPT_WEIGHT,
    OPT_BEST_PER,
    OPT_MEAN_PER,
    OPT_NO_LINT,
    OPT_LAW,
    OPT_FORMULA,
    OPT_SOLVER,
    OPT_X,
    OPT_SPACE,
    OPT_LOSS,
    OPT_GRID,
    OPT_POLISH,
    OPT_FIX,
    OPT_TIE,
    OPT_BOUND,
    OPT_THREADS,
    OPT_MAX_ITER,
    OPT_OUT,
    OPT_PARAMS,
    OPT_NOISE,
    OPT_SEED,
    OPT_Y_NAME,
    OPT_BOOTSTRAP,
    OPT_LEVEL,
    OPT_BOOTSTRAP_BY,
    OPT_HOLDOUT,
    OPT_SHARED,
    OPT_GROUPS,
    OPT_CRITERION,
    OPT_BASELINE,
    OPT_TOL,
    OPT_RTOL,
    OPT_SIGMA,
    OPT_EXPECT,
    OPT_FORECAST,
    OPT_FORECAST_TOL,
    OPT_TWO_SIDED,
    OPT_ALLOW_WARNINGS,
    OPT_MAX_FAILED_RESAMPLES,
    OPT_REPORT,
    OPT_AT,
    OPT_POINTS,
    OPT_COMPUTE,
    OPT_TARGET_LOSS,
    OPT_MAX_EXTRAPOLATION,
    OPT_INTERVALS,
    OPT_COST,
    OPT_FLOPS_PER_TOKEN,
    OPT_GPU,
    OPT_PEAK_FLOPS,
    OPT_MFU,
    OPT_GPUS,
    OPT_PRICE,
    OPT_LIST_GPUS,
    OPT_FROM,
    OPT_TO,
    OPT_STEPS,
    OPT_BUDGET,
    OPT_BIN,
    OPT_KIND,
    OPT_SCRIPT,
    OPT_SIZE,
    OPT_TITLE,
    OPT_GROUP,
    OPT_STRICT,
    OPT_COLOR_BY,
    OPT_COVERAGE,
    OPT_CALIBRATE,
    OPT_TARGET,
    OPT_CANDIDATES,
    OPT_RUNS,
    OPT_COUNT /* not an option: the number of ids */
} option_id;

typedef struct cli_option {
    const char *name;  /* long name, without "--" */
    char short_name;   /* 0 if none */
    const char *arg;   /* metavariable, NULL for a flag */
    option_id id;
    const char *help;
} cli_option;

/* A group of options shared by several commands, ended by {0}. */
extern const cli_option input_options[];
extern const cli_option common_options[];
extern const cli_option fit_options[];

typedef struct cli_command {
    const char *name;
    const char *synopsis;  /* after "slaw NAME " */
    const char *summary;   /* one line */
    const char *details;   /* paragraphs for --help, may be NULL */
    const cli_option *const *groups; /* NULL-terminated */
    int (*run)(const struct cli_command *cmd, int argc, char **argv);
} cli_command;

extern const cli_command *const cli_commands[];

/* The man page and the bash completion, from the tables (manual.c). */
void print_man_page(FILE *out);
void print_bash_completion(FILE *out);

/* `slaw fit` with a list of laws runs the comparison (cmd_compare.c). */
int compare_from_fit(int argc, char **argv);

/* Called for each option; returns 0 or an exit status to stop with. */
typedef int (*option_handler)(void *ctx, option_id id, const char *arg);

/* Parses argv[1..] against cmd's option groups.  Returns 0 and sets
 * *first_operand, or an exit status (after printing a message); --help
 * prints help and returns -1, which the caller turns into exit 0. */
int cli_parse(const cli_command *cmd, int argc, char **argv, option_handler handle, void *ctx,
              int *first_operand);
void cli_print_help(const cli_command *cmd, FILE *out);
/* "try 'slaw NAME --help'" after a usage message; returns EXIT_USAGE. */
int cli_usage_error(const cli_command *cmd, const char *fmt, ...) CLI_PRINTF(2, 3);

/* Refuses an output path that is one of the inputs; returns an exit status. */
int refuse_overwriting_input(const cli_command *cmd, const char *out, char **inputs, size_t n);
/* The same for the output of option ("--report"). */
int refuse_overwriting(const cli_command *cmd, const char *option, const char *out,
                       char **inputs, size_t n);

/* Parses a count option ("5"); false with a message if it is not one. */
bool parse_count(const cli_command *cmd, const char *option, const char *arg, size_t *out);
/* Parses a positive number with an optional suffix ("1.4T", "5.76e23");
 * false with a message naming the option if it is not one. */
bool parse_positive(const cli_command *cmd, const char *option, const char *arg, double *out);
/* --level P: a number strictly between 0 and 1; false after a usage error. */
bool parse_level(const cli_command *cmd, const char *arg, double *out);

/* ------------------------------------------------------------- progress */

/* A progress bar on stderr for slaw_fit_options.progress: shown only when
 * stderr is a terminal, --quiet is not given, and the work has taken half
 * a second; ctx is a progress_state. */
typedef struct progress_state {
    bool enabled;
    double started;
    double last_drawn;
    bool drawn;
    char what[32];
} progress_state;

void progress_init(progress_state *p, bool quiet);
void progress_report(void *ctx, const char *what, size_t done, size_t total);
/* Clears the bar, if one was drawn. */
void progress_done(progress_state *p);

/* ---------------------------------------------------------------- input */

/* What the input options collect: files, formats, roles, filters. */
typedef struct input_request {
    slaw_load_options load;
    const char *where[32];
    size_t n_where;
    slaw_per_options per;   /* --best-per, --mean-per, --weight inverse-variance */
    const char *per_columns[16];
    char per_text[512];     /* the columns of per, split at commas */
    size_t drop_top;        /* 0 = none */
    const char *extra[32];  /* further columns the command uses */
    size_t n_extra;
    bool defer_filters;     /* the filters are applied later (by the fit) */
    bool show_unsettled;    /* inspect: a role with no such column or several
                               candidates is shown, not refused */
} input_request;

typedef struct filter_report {
    char what[300];  /* "--where 'N > 1e8'" */
    size_t removed;
    size_t kept;     /* the runs left after it */
} filter_report;

typedef struct loaded_runs {
    slaw_runs *runs;
    size_t read;                 /* before filtering */
    filter_report filters[33];
    size_t n_filters;
} loaded_runs;

void input_request_init(input_request *req);
/* The error for a role the load left unsettled (no such column: with every
 * column listed; several candidates, unless missing_only); 0 when none. */
int unsettled_role_error(const slaw_runs *runs, bool missing_only);
/* What the fit options collect. */
typedef struct fit_request {
    slaw_fit_options fit;
    const char *fix[32], *tie[32], *bound[32];
    bool quiet;
    progress_state progress;
} fit_request;

void fit_request_init(fit_request *req);
/* Handles a fit option; returns 1 if id was not one, 0 or an exit status. */
int fit_option(const cli_command *cmd, fit_request *req, option_id id, const char *arg);
/* A fit option, else an input option, else a usage error: the option
 * handling of every command that fits. */
int fit_or_input_option(const cli_command *cmd, fit_request *fit, input_request *input,
                        option_id id, const char *arg);
/* Moves the input request's filters into the fit request (the fit applies
 * and records them). */
void fit_request_take_filters(fit_request *fit, input_request *in);
/* Connects the progress bar (after the options are parsed). */
void fit_request_start_progress(fit_request *req);
/* Handles an input option; returns 1 if id was not one, 0 or an exit status. */
int input_option(const cli_command *cmd, input_request *req, option_id id, const char *arg);
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

/* ----------------------------------------------------------------- lints */

/* --no-lint NAME,... (inspect, fit). */
extern const cli_option lint_options[];
/* Adds the lints named in arg ("compute,bits" or "all") to *skip, a mask of
 * 1u << slaw_lint_kind; 0 or a usage error. */
int lint_option(const cli_command *cmd, unsigned *skip, const char *arg);
/* The lints of runs not in skip: as warnings on stderr (fit), as a section
 * of inspect's table, as inspect's JSON "lints" array. */
void lints_warn(const slaw_runs *runs, unsigned skip);
void lints_print(const slaw_runs *runs, unsigned skip);
void lints_json(const slaw_runs *runs, unsigned skip, cJSON *doc);

/* --------------------------------------------------------------- output */

typedef enum output_format {
    OUTPUT_TABLE,
    OUTPUT_JSON,
    OUTPUT_CSV,
    OUTPUT_MARKDOWN, /* a pipe table, for pull-request comments */
    OUTPUT_JUNIT     /* JUnit XML, for CI systems' test reports */
} output_format;

/* Parses --format; false if the name is not one of allowed (a mask of
 * 1 << OUTPUT_*). */
bool output_format_parse(const char *name, unsigned allowed, output_format *out);
/* The same for an option handler: 0, or the usage error (exit 2) that lists
 * the formats allowed. */
int output_format_option(const cli_command *cmd, const char *arg, unsigned allowed,
                         output_format *out);

/* Numbers for people: 1.3B, 125M, 5.76e23, 0.3473. */
const char *format_size(double v, char *buf, size_t size);
const char *format_sci(double v, char *buf, size_t size);
const char *format_value(double v, char *buf, size_t size);
/* Values of a law (losses, hours): 5 significant digits, trailing zeros kept
 * so that a column's values line up (2.3000 next to 2.3045). */
const char *format_loss(double v, char *buf, size_t size);

/* A JSON number, or null for NaN and infinities. */
cJSON *json_number(double v);
/* Adds key: a number, or null for NaN and infinities. */
void json_add_number(cJSON *o, const char *key, double v);
/* Adds key: [lo, hi], null when there is no interval (both NaN); an
 * unbounded end is null. */
void json_add_interval(cJSON *o, const char *key, double lo, double hi);
/* Adds key: {"value": v, "ci": [lo, hi]} (the interval as above). */
void json_add_estimate(cJSON *o, const char *key, const slaw_estimate *e);

/* Gives stdout, when it is not a terminal, a buffer of 64 KiB, so that the
 * text of a command up to that size reaches stdout_close unwritten and a
 * write error there names its cause (a printf whose text overruns the
 * buffer writes it past stdio and leaves no errno behind). */
void stdout_open(void);
/* Writes to stdout; a failure is remembered for stdout_close. */
void stdout_write(const void *data, size_t len);
/* Flushes and closes stdout at exit: when anything written to it was lost,
 * says "write error: REASON" and returns EXIT_IO, else returns status. */
int stdout_close(int status);

/* Prints a cJSON document (pretty) and a newline to stdout; frees it. */
int print_json(cJSON *doc);

/* Text that a command writes to --out FILE (atomically) or to stdout. */
typedef struct text_buffer {
    char *data;
    size_t len, cap;
    bool failed;
} text_buffer;

void buffer_printf(text_buffer *b, const char *fmt, ...) CLI_PRINTF(2, 3);
/* Writes the buffer to path (or stdout when path is NULL), frees it, and
 * returns an exit status. */
int buffer_emit(text_buffer *b, const char *path);

/* A text table with columns aligned; cells are copied. */
typedef struct text_table text_table;
text_table *table_new(size_t n_cols);
void table_header(text_table *t, const char *const *names);
/* Adds a row of n_cols cells (NULL prints as empty). */
void table_row(text_table *t, const char *const *cells);
/* Right-align numeric columns: a mask bit per column. */
void table_align_right(text_table *t, unsigned long mask);
void table_print(const text_table *t, FILE *out, const char *indent);
void table_free(text_table *t);

/* -------------------------------------------------------------- signals */

/* SIGINT, SIGTERM and SIGHUP (unless ignored at start) remove the temporary
 * files of the outputs in progress, kill the child named by signals_child,
 * and end slaw with the signal's own status. */
void signals_install(void);
/* The child process to kill with slaw (gnuplot), or 0 for none. */
void signals_child(long pid);

/* -------------------------------------------------------------- gnuplot */

/* Runs gnuplot on script (a file of len bytes, whose output goes to gnuplot's
 * standard output) and puts what it draws at out: through a temporary file
 * in out's directory, renamed into place only when gnuplot succeeds, so a
 * failure leaves no file and an existing out untouched.  Returns an exit
 * status (EXIT_IO with the reason when gnuplot is missing or fails). */
int gnuplot_draw(const char *script, size_t len, const char *out);

/* --------------------------------------------------------------- report */

/* slaw check's verdict, ready to render (check_report.c). */
typedef struct check_report {
    const slaw_verdict_row *const *rows;
    size_t n_rows, failures;
    const char *baseline; /* the baseline's path; NULL when there is none */
    const char *error;    /* the fit failed: its message (rows then holds one row saying so) */
} check_report;

/* "slaw check: FAIL, 1 of 7 criteria failed: forecast N=7B,D=140B" */
void check_report_summary(const check_report *r, char *buf, size_t size);
/* The verdict in format (table, json, markdown or junit) appended to out. */
void check_report_render(const check_report *r, output_format format, text_buffer *out);

/* ----------------------------------------------------------------- cost */

/* The options that price a training run (cost, forecast --cost). */
extern const cli_option cost_options[];

typedef struct cost_request {
    slaw_cost_options opt;
    const slaw_accelerator *gpu;  /* --gpu; NULL when none */
    bool peak_given;              /* --peak-flops (which excludes --gpu) */
    bool given;                   /* any cost option was given */
} cost_request;

void cost_request_init(cost_request *req);
/* Handles a cost option; returns 1 if id was not one, 0 or an exit status. */
int cost_option(const cli_command *cmd, cost_request *req, option_id id, const char *arg);
/* The cost of training N parameters on D tokens under req; false (and *out
 * untouched) when N or D is not a positive finite number or the cost has
 * none. */
bool cost_of_run(const cost_request *req, double N, double D, slaw_cost *out);

/* --target of plan (plan_options.c): loss=V, C=V (the least loss at C) or a
 * point of f's law; 0 or a usage error's exit status. */
int plan_target_parse(const cli_command *cmd, const char *spec, const slaw_artifact *a,
                      const slaw_fit *f, slaw_plan_target *t);
/* --candidates: the grid N=LO:HI:K,D=LO:HI:K (x=... for one-variable
 * laws), or a file of planned runs (N and D, or x), each run costed by
 * req; *out is the caller's to free. */
int plan_candidates_parse(const cli_command *cmd, const char *spec, const cost_request *req,
                          bool one, slaw_plan_run **out, size_t *n_out);
/* "3.2 days", "5.1 hours", "42 s". */
const char *format_duration(double seconds, char *buf, size_t size);
/* Adds {"flops", "gpu_hours", "seconds", "days", "price"} to a JSON object. */
void cost_json(cJSON *o, const slaw_cost *c);

/* ------------------------------------------------------------- forecast */

/* The options that qualify answers from a fit (forecast, optimal). */
extern const cli_option interval_options[];

typedef struct interval_request {
    double level;
    slaw_interval_method method;
    double max_extrapolation; /* decades */
} interval_request;

void interval_request_init(interval_request *req);
/* Handles an interval option; returns 1 if id was not one, 0 or an exit status. */
int interval_option(const cli_command *cmd, interval_request *req, option_id id, const char *arg);
/* Forecast options for a's fits (their residual space) with req's level and method. */
void interval_request_apply(const interval_request *req, const slaw_artifact *a,
                            slaw_forecast_options *opt);

/* Reads an artifact: exit 4 if it cannot be read, 2 if it is not a valid one. */
int artifact_load(const char *path, slaw_artifact **out);

typedef enum report_kind { REPORT_FORECAST, REPORT_OPTIMUM, REPORT_TARGET } report_kind;

/* One answer, for one fit of the artifact. */
typedef struct report_row {
    report_kind kind;
    const slaw_fit *fit;
    union {
        slaw_forecast forecast;
        slaw_optimum optimum;
        slaw_target target;
    } u;
    bool has_cost;
    slaw_cost cost;
} report_row;

/* What forecast and optimal print: the answers and how they were asked. */
typedef struct forecast_report {
    const slaw_artifact *artifact;
    const char *path;
    const char *target_name;      /* the target column ("loss", "train_hours") */
    const char *optimum_section;  /* JSON key of the optima: "optimal" or "frontier" */
    double level;
    double max_extrapolation;
    slaw_interval_method method;  /* as asked */
    slaw_space space;             /* the fit's, where the residual scale lives */
    bool grouped;
    bool cost;
    cost_request cost_req;
    report_row *rows;
    size_t n_rows, cap_rows;
} forecast_report;

/* Adds a row (rows are kept in the order added); false when out of memory. */
bool forecast_report_add(forecast_report *r, const report_row *row);
void forecast_report_free(forecast_report *r);
/* The decades beyond the data of a row, NULL for an unreachable target. */
const slaw_extrapolation *forecast_report_beyond(const report_row *row);
/* Whether the row's law reads one variable (x). */
bool report_row_one_var(const report_row *row);
/* Whether the row reaches past r's max_extrapolation. */
bool report_row_far_out(const forecast_report *r, const report_row *row);
/* Warns on stderr about each row past max_extrapolation. */
void forecast_report_warn(const forecast_report *r);
void forecast_report_table(const forecast_report *r);
int forecast_report_json(const forecast_report *r);
void forecast_report_csv(const forecast_report *r);
/* Prints the report as format asks (table, json or csv); 0 or an exit status. */
int forecast_report_print(const forecast_report *r, output_format format);

#endif /* SLAW_CLI_H */
