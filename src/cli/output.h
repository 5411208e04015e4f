/* output.h — what commands print: formats, numbers for people, JSON
 * helpers, stdout that reports lost writes, text buffers and tables
 * (output.c). */
#ifndef SLAW_CLI_OUTPUT_H
#define SLAW_CLI_OUTPUT_H

#include "cli.h"

#include <cjson/cJSON.h>

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

#endif /* SLAW_CLI_OUTPUT_H */
