/* internal.h — declarations shared by the library's modules, not public. */
#ifndef SLAW_INTERNAL_H
#define SLAW_INTERNAL_H

#include "slaw.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#if defined(__GNUC__)
#define SLAW_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define SLAW_PRINTF(a, b)
#endif

/* Limits on input, each refused with SLAW_ELIMIT and a message naming the
 * file and line (docs/robustness.md lists them in one table).  A test
 * build compiles the library with small values (tests/limits). */
#ifndef SLAW_MAX_FIELD_BYTES
#define SLAW_MAX_FIELD_BYTES (1u << 20)        /* one CSV field or JSON string */
#endif
#ifndef SLAW_MAX_LINE_BYTES
#define SLAW_MAX_LINE_BYTES ((size_t)1 << 24)  /* one CSV or JSON Lines line, one record
                                                  of a JSON document (16 MiB) */
#endif
#ifndef SLAW_MAX_COLUMNS
#define SLAW_MAX_COLUMNS 4096                  /* distinct columns in one load */
#endif
#ifndef SLAW_MAX_RUNS
#define SLAW_MAX_RUNS ((size_t)50 * 1000 * 1000)
#endif
#ifndef SLAW_MAX_CELLS
#define SLAW_MAX_CELLS ((size_t)1 << 28)       /* runs x columns: 2 GiB of values */
#endif
#ifndef SLAW_MAX_JSON_DEPTH
#define SLAW_MAX_JSON_DEPTH 64                 /* nesting of arrays and objects */
#endif
#ifndef SLAW_MAX_FILE_BYTES
#define SLAW_MAX_FILE_BYTES ((size_t)1 << 31)  /* 2 GiB per JSON input (read whole) */
#endif
#ifndef SLAW_MAX_ARTIFACT_BYTES
#define SLAW_MAX_ARTIFACT_BYTES ((size_t)1 << 30) /* 1 GiB per fit artifact */
#endif
#define SLAW_MAX_JSON_ARRAY_FLATTEN 64         /* longer arrays are reached by path only */

/* ------------------------------------------------------------------ errors */

/* Fills err (if not NULL) and returns code. */
slaw_status error_set(slaw_error *err, slaw_status code, const char *file, long line,
                      const char *fmt, ...) SLAW_PRINTF(5, 6);
slaw_status error_setv(slaw_error *err, slaw_status code, const char *file, long line,
                       const char *fmt, va_list ap) SLAW_PRINTF(5, 0);

/* Fills err (if not NULL) with SLAW_ENOMEM and "out of memory", about file
 * (NULL: none) at line (0: none); returns SLAW_ENOMEM.  The one place that
 * text is written. */
slaw_status error_nomem_at(slaw_error *err, const char *file, long line);

/* error_nomem_at with no file: most allocations concern no input. */
slaw_status error_nomem(slaw_error *err);

/* Quotes text for a message: at most ~40 bytes, control bytes and bytes
 * that are not UTF-8 escaped (\xff). */
const char *quote_text(const char *text, size_t len, char *buf, size_t size);

/* The length (1 to 4) of the valid UTF-8 sequence at s, which has n bytes
 * left; 0 when the bytes there are not one (overlong forms and surrogates
 * included) or n is 0. */
size_t utf8_length(const unsigned char *s, size_t n);

/* ----------------------------------------------------------- the run table */

typedef struct column {
    char *name;
    double *values;       /* one per run; NaN when missing or text */
    size_t *label_at;     /* label columns: offset of each cell's text in arena,
                             SIZE_MAX when missing; NULL for numeric columns */
    char *arena;          /* label text, NUL-separated */
    size_t arena_len, arena_cap;
    size_t *distinct;     /* while loading: a set of the distinct labels (arena
                             offset + 1), so a repeated label is stored once */
    size_t n_distinct, distinct_cap;
    bool many_distinct;   /* past the set's limit: labels are stored as they come */
    bool derived;         /* computed by slaw, not read */
} column;

typedef struct run_source {
    uint32_t file;  /* index into files */
    long line;      /* 1-based physical line where the run starts */
} run_source;

typedef struct input_file {
    char *name;
    slaw_format format;
    size_t first_run, rows; /* rows: runs held now (after filters) */
    size_t read;            /* runs read from the file */
} input_file;

/* Columns one --by may join ("dataset,lr"). */
#define RUNS_MAX_GROUP_PARTS 8

typedef struct role_binding {
    slaw_role_source source;
    size_t col;
    const char *alias; /* static, for SLAW_SOURCE_ALIAS */
    slaw_error problem; /* lenient_roles: why the role is unbound (code SLAW_OK if not) */
} role_binding;

struct slaw_runs {
    size_t n, cap;           /* runs held, capacity of every column */
    column *cols;
    size_t n_cols, cap_cols;
    uint32_t *hash;          /* open-addressing index of column names (col + 1) */
    size_t hash_cap;
    run_source *src;
    input_file *files;
    size_t n_files;
    role_binding role[SLAW_ROLE_COUNT];
    size_t group_parts[RUNS_MAX_GROUP_PARTS]; /* the columns a joined group column joins */
    size_t n_group_parts;                     /* 0: the group column is read as it is */
};

/* The text kept for a number too large for a double whose literal is lost
 * (JSON), so that checking the column can still say what was wrong. */
#define OVERFLOW_TEXT "(a number too large for a double)"

slaw_runs *runs_new(void);
/* Registers an input file; returns its index or SIZE_MAX on failure. */
size_t runs_add_file(slaw_runs *r, const char *name, slaw_format format);
/* Finds or adds a column by exact name.  New columns are missing in every
 * earlier run.  Errors: SLAW_ELIMIT past SLAW_MAX_COLUMNS, SLAW_ENOMEM. */
slaw_status runs_column(slaw_runs *r, const char *name, size_t len, size_t *col,
                        slaw_error *err);
/* Exact lookup only. */
bool runs_column_lookup(const slaw_runs *r, const char *name, size_t len, size_t *col);
/* Appends a run whose cells are all missing. */
slaw_status runs_begin_row(slaw_runs *r, uint32_t file, long line, slaw_error *err);
/* Sets a cell of the last run from text: a number if it parses, else the
 * column becomes a label column.  An empty text is a missing value. */
slaw_status runs_set_text(slaw_runs *r, size_t col, const char *text, size_t len,
                          slaw_error *err);
/* Sets a cell of the last run to a number read as such (JSON). */
slaw_status runs_set_number(slaw_runs *r, size_t col, double value, slaw_error *err);
/* Adds a derived numeric column filled by the caller. */
slaw_status runs_add_derived(slaw_runs *r, const char *name, size_t *col, slaw_error *err);
/* Adds a derived label column name whose cell in each run is
 * "col1=value1,col2=value2" over the columns parts (missing where any part
 * is missing) and records parts as the group's columns. */
slaw_status runs_join_columns(slaw_runs *r, const char *name, const size_t *parts, size_t n_parts,
                              size_t *col, slaw_error *err);
/* A deep copy (filters work on a copy, so callers keep their table). */
slaw_runs *runs_clone(const slaw_runs *r);
/* Moves the runs flagged in keep to the front, in order, dropping the rest. */
void runs_compact(slaw_runs *r, const bool *keep);
/* The name of run's group in group column gcol: its label, or its number
 * as "%.15g" in buf (numeric group columns such as seeds). */
const char *runs_group_name(const slaw_runs *r, size_t gcol, size_t run, char *buf, size_t size);
/* Fills file, line and a "record K: " prefix (JSON formats) for messages. */
void runs_where_is(const slaw_runs *r, size_t run, const char **file, long *line,
                   char *record, size_t size);

/* The bits of a double as a sort key (-0 is 0, so equal values have equal keys). */
uint64_t key_bits(double v);
/* Sorts n records of size bytes by the 8-byte key at offset, stably (keys.c). */
void radix_sort(void *data, void *tmp, size_t n, size_t size, size_t offset);
/* Numbers the distinct keys of the runs, a key being the values of cols
 * (numbers compared bit for bit, labels by text, a missing cell a value of
 * its own): ids[run] gets its key's number, from 0 to *n_keys - 1.
 * Errors: SLAW_ENOMEM (err not filled). */
slaw_status runs_key_ids(const slaw_runs *r, const size_t *cols, size_t n_cols, size_t *ids,
                         size_t *n_keys);
/* Up to max columns whose names come close to name (a misspelling, or a
 * dotted path ending in it), best first; returns how many (max <= 8). */
size_t columns_suggest(const slaw_runs *r, const char *name, size_t *cols, size_t max);
/* " (did you mean 'a' or 'b'?)", or "" when no column comes close. */
void columns_suggest_text(const slaw_runs *r, const char *name, char *buf, size_t size);

/* The case- and separator-insensitive form of a name, for alias matching. */
void name_normalize(const char *name, size_t len, char *out, size_t size);

/* --------------------------------------------------------------- loading */

/* Bytes from memory or from a stream, with the stream's first bytes already
 * read (for detecting the format) served from memory first. */
typedef struct byte_source {
    FILE *fp;           /* NULL: memory only */
    const char *data;   /* memory, or the prefix already read from fp */
    size_t len, pos;
    bool failed;        /* a read error on fp */
} byte_source;

/* Reads up to cap bytes; 0 at the end or on error (see failed). */
size_t source_read(byte_source *s, char *buf, size_t cap);

/* Reads the rest of a source with a stream (in->fp) into one buffer: JSON
 * and artifacts are read whole.  Caller frees *data.  More than limit bytes
 * is refused with too_large(name, err), which names the limit (SLAW_ELIMIT);
 * a read error is SLAW_EIO "read error: " and the reason. */
slaw_status slurp(byte_source *in, const char *name, size_t limit,
                  slaw_status (*too_large)(const char *name, slaw_error *err), char **data,
                  size_t *len, slaw_error *err);

/* Each loader appends the runs of one input to r. */
slaw_status load_csv(slaw_runs *r, uint32_t file, byte_source *in, slaw_error *err);
slaw_status load_json(slaw_runs *r, uint32_t file, const char *data, size_t len,
                      slaw_format format, const slaw_load_options *opt, slaw_error *err);

/* Whether JSON text nests arrays and objects deeper than max: *at gets the
 * offset of the bracket that goes too deep.  With per_line (JSON Lines)
 * each line starts afresh.  Strings are skipped; the text need not be valid. */
bool json_too_deep(const char *text, size_t len, size_t max, bool per_line, size_t *at);

/* What json_scan refuses besides duplicate keys and \u0000. */
typedef struct json_scan_options {
    bool utf8; /* bytes in strings must be UTF-8 */
    /* A number literal slaw_number_parse refuses (1e-400, 1e999), the
     * ordinal-th number of the text: true lets the caller deal with it,
     * false (or no function) makes it a fault. */
    bool (*out_of_range)(void *ctx, size_t ordinal, const char *text, size_t len);
    void *ctx;
} json_scan_options;

/* Checks text[0..len), a value cJSON has parsed, for what cJSON lets
 * through: a key repeated in one object, a \u0000 escape, a number out of
 * range, bytes that are not UTF-8 (opt->utf8).  SLAW_EINPUT with *at the
 * offset and msg the problem; SLAW_ENOMEM. */
slaw_status json_scan(const char *text, size_t len, const json_scan_options *opt, size_t *at,
                      char *msg, size_t size);

/* Binds the roles of a freshly loaded table and derives the third of N, D, C;
 * the values are checked later, by slaw_runs_validate, on the runs that the
 * filters keep. */
slaw_status roles_resolve(slaw_runs *r, const slaw_load_options *opt, slaw_error *err);

#endif /* SLAW_INTERNAL_H */
