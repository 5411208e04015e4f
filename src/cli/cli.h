/* cli.h — the base of the command-line tool: exit codes, messages
 * (messages.c), the option and command tables and their parser (options.c,
 * commands.c).  Each other part has its own header. */
#ifndef SLAW_CLI_H
#define SLAW_CLI_H

#include "slaw.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#if defined(__GNUC__)
#define CLI_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define CLI_PRINTF(a, b)
#endif

/* Exit statuses, documented in --help, the manual (slaw.1) and README.md. */
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
/* err's message with the options fields it names written as the flags
 * that set them ("grid 'x': ..." as "--grid 'x': ..."), into buf. */
const char *cli_error_message(const slaw_error *err, char *buf, size_t size);
/* The same for any library text that names the options fields listed in
 * options ("allow_warnings,calibrate"). */
const char *cli_option_text(const char *text, const char *options, char *buf, size_t size);
/* cli_error_message in a buffer that lives to the end of the enclosing block. */
#define CLI_MESSAGE(err) cli_error_message((err), (char[1024]){0}, 1024)
/* cli_option_text in the same kind of buffer. */
#define CLI_OPTION_TEXT(text, options) cli_option_text((text), (options), (char[1024]){0}, 1024)
/* slaw_error_text with that message. */
const char *cli_error_text(const slaw_error *err, char *buf, size_t size);
/* Reports a library error with its location; returns the exit status it maps to. */
int cli_fail(const slaw_error *err);
/* "power, saturating, ...": every law of the registry, in its order. */
const char *cli_law_names(char *buf, size_t size);
int cli_exit_code(slaw_status status);
/* "slaw: error: out of memory", the one place the CLI writes it; returns
 * EXIT_IO. */
int cli_nomem(void);

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
    OPT_VAR,
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
    OPT_THEN,
    OPT_POINTS,
    OPT_COMPUTE,
    OPT_TARGET_LOSS,
    OPT_UNIQUE_TOKENS,
    OPT_HOLD,
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
    const char *name; /* long name, without "--" */
    char short_name;  /* 0 if none */
    const char *arg;  /* metavariable, NULL for a flag */
    option_id id;
    const char *help;
} cli_option;

/* A group of options shared by several commands, ended by {0}. */

extern const cli_option common_options[];

typedef struct cli_command {
    const char *name;
    const char *synopsis;            /* after "slaw NAME " */
    const char *summary;             /* one line */
    const char *details;             /* paragraphs for --help, may be NULL */
    const cli_option *const *groups; /* NULL-terminated */
    int (*run)(const struct cli_command *cmd, int argc, char **argv);
} cli_command;

extern const cli_command *const cli_commands[];

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
int refuse_overwriting(const cli_command *cmd, const char *option, const char *out, char **inputs,
                       size_t n);

/* Parses a count option ("5"); false with a message if it is not one. */
bool parse_count(const cli_command *cmd, const char *option, const char *arg, size_t *out);
/* Parses a positive number with an optional suffix ("1.4T", "5.76e23");
 * false with a message naming the option if it is not one. */
bool parse_positive(const cli_command *cmd, const char *option, const char *arg, double *out);
/* --level P: a number strictly between 0 and 1; false after a usage error. */
bool parse_level(const cli_command *cmd, const char *arg, double *out);

#endif /* SLAW_CLI_H */
