/* runs.h — the run table: named numeric and label columns, the files
 * they came from, and the roles bound to columns (runs.c, runs_roles.c, runs_keys.c,
 * runs_suggest.c). */
#ifndef SLAW_RUNS_H
#define SLAW_RUNS_H

#include "error.h"
#include "input_limits.h"

#include <stdbool.h>
#include <stdint.h>

typedef struct column {
    char *name;
    double *values;   /* one per run; NaN when missing or text */
    size_t *label_at; /* label columns: offset of each cell's text in arena,
                         SIZE_MAX when missing; NULL for numeric columns */
    char *arena;      /* label text, NUL-separated */
    size_t arena_len, arena_cap;
    size_t *distinct; /* while loading: a set of the distinct labels (arena
                         offset + 1), so a repeated label is stored once */
    size_t n_distinct, distinct_cap;
    bool many_distinct; /* past the set's limit: labels are stored as they come */
    bool derived;       /* computed by slaw, not read */
} column;

typedef struct run_source {
    uint32_t file; /* index into files */
    long line;     /* 1-based physical line where the run starts */
} run_source;

typedef struct input_file {
    char *name;
    slaw_format format;
    size_t first_run, rows; /* rows: runs held now (after filters) */
    size_t read;            /* runs read from the file */
} input_file;

/* Columns one --by may join ("dataset,lr"). */
#define RUNS_MAX_GROUP_PARTS 8

/* runs_clone copies these fields one by one (problem only when its code is
 * set): a new field must be copied there too. */
typedef struct role_binding {
    slaw_role_source source;
    size_t col;
    const char *alias;  /* static, for SLAW_SOURCE_ALIAS */
    slaw_error problem; /* lenient_roles: why the role is unbound (code SLAW_OK if not) */
} role_binding;

struct slaw_runs {
    size_t n, cap; /* runs held, capacity of every column */
    column *cols;
    size_t n_cols, cap_cols;
    uint32_t *hash; /* open-addressing index of column names (col + 1) */
    size_t hash_cap;
    run_source *src;
    input_file *files;
    size_t n_files;
    role_binding role[SLAW_ROLE_COUNT];
    double flops_per_token; /* the compute model derived columns follow (0: 6·N·D) */
    size_t group_parts[RUNS_MAX_GROUP_PARTS]; /* the columns a joined group column joins */
    size_t n_group_parts;                     /* 0: the group column is read as it is */
};

/* The text kept for a number too large for a double whose literal is lost
 * (JSON), so that checking the column can still say what was wrong. */
#define OVERFLOW_TEXT "(a number too large for a double)"

slaw_runs *runs_new(void);
/* malloc for a block of a value per run: a large one asks for huge pages
 * (runs.c says why).  Freed with free. */
void *runs_alloc(size_t bytes);
/* The values of column col, one per run (NaN where missing or text); NULL
 * when there is no such column.  For loops over many runs, where a call of
 * slaw_runs_value per cell costs more than the loop's own work. */
static inline const double *runs_values(const slaw_runs *r, size_t col)
{
    return col < r->n_cols ? r->cols[col].values : NULL;
}

/* Registers an input file; returns its index or SIZE_MAX on failure. */
size_t runs_add_file(slaw_runs *r, const char *name, slaw_format format);
/* Finds or adds a column by exact name.  New columns are missing in every
 * earlier run.  Errors: SLAW_ELIMIT past SLAW_MAX_COLUMNS, SLAW_ENOMEM. */
slaw_status runs_column(slaw_runs *r, const char *name, size_t len, size_t *col, slaw_error *err);
/* Exact lookup only. */
bool runs_column_lookup(const slaw_runs *r, const char *name, size_t len, size_t *col);
/* Appends a run whose cells are all missing. */
slaw_status runs_begin_row(slaw_runs *r, uint32_t file, long line, slaw_error *err);
/* Sets a cell of the last run from text: a number if it parses, else the
 * column becomes a label column.  An empty text is a missing value. */
slaw_status runs_set_text(slaw_runs *r, size_t col, const char *text, size_t len, slaw_error *err);
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
void runs_where_is(const slaw_runs *r, size_t run, const char **file, long *line, char *record,
                   size_t size);

/* The bits of a double as a sort key (-0 is 0, so equal values have equal keys). */
uint64_t key_bits(double v);
/* Sorts n records of size bytes by the 8-byte key at offset, stably (runs_keys.c). */
void radix_sort(void *data, void *tmp, size_t n, size_t size, size_t offset);
/* The rank of each of the n (> 0) values among their distinct values, in
 * key order, in rank; returns how many distinct values there are, 0 when
 * out of memory (runs_keys.c). */
size_t runs_value_ranks(const double *v, size_t n, uint32_t *rank);
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

/* Binds the roles of a freshly loaded table and derives the third of N, D, C;
 * the values are checked later, by slaw_runs_validate, on the runs that the
 * filters keep. */
slaw_status roles_resolve(slaw_runs *r, const slaw_load_options *opt, slaw_error *err);
/* For runs_derive.c: binds role to the one column whose name is an alias
 * of it (several: SLAW_EINPUT naming them); checks the values of role's
 * column; "role_column[N] COLUMN", how messages name the
 * load option that names role's column; roles_option names that option in
 * err as the one at fault. */
slaw_status roles_detect(slaw_runs *r, slaw_role role, slaw_error *err);
slaw_status roles_validate(const slaw_runs *r, slaw_role role, slaw_error *err);
const char *roles_given_text(slaw_role role, const char *col_name, char *buf, size_t size);
void roles_option(slaw_error *err, slaw_role role);

/* runs_derive.c: the roles computed from others, and slaw_runs_need_role.
 * derive_compute binds the one of N, D and C missing when the other two
 * are bound, through the compute model (slaw_compute_flops); the loader
 * calls it after roles_resolve.  derive_role binds role (M, R) when what
 * it is computed from is bound; otherwise leaves it unbound and writes
 * into hint what would derive it (" (or give N and D to derive M)"). */
slaw_status derive_compute(slaw_runs *r, slaw_error *err);
slaw_status derive_role(slaw_runs *r, slaw_role role, char *hint, size_t size, slaw_error *err);

/* runs_filter.c: "COLUMN OP VALUE" in parts (spans of the expression, the
 * value without its quotes); false when malformed. */
typedef struct where_parts {
    const char *column, *value;
    size_t column_len, value_len;
    slaw_compare_op op;
} where_parts;
bool where_parse(const char *expr, where_parts *out);
/* where_parse, with the message for a malformed expression (a column name
 * longer than 255 bytes is malformed too). */
slaw_status where_parse_or_fail(const char *expr, where_parts *out, slaw_error *err);
/* Keeps the runs where cond holds; expr names the condition in messages. */
slaw_status where_apply(slaw_runs *r, const slaw_condition *cond, const char *expr, size_t *removed,
                        slaw_error *err);
/* runs_selection.c: slaw_selection_apply, every per step in space when
 * space is not NULL (a fit's). */
slaw_status selection_apply(const slaw_selection *sel, slaw_runs *r, const slaw_space *space,
                            size_t *removed, slaw_error *err);

#endif /* SLAW_RUNS_H */
