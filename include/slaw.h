/*
 * slaw.h — the public interface of libslaw: load the runs of a model-size
 * sweep, fit scaling laws to them, and forecast from the fitted laws.
 *
 * Conventions that hold for every function below:
 *
 *  - Names: functions slaw_<module>_<verb>, types slaw_<thing>, macros and
 *    enumerators SLAW_*.
 *  - Ownership: a function that returns a new object through an out-pointer
 *    (slaw_runs **out, slaw_fit **out, ...) hands it to the caller, who frees
 *    it with the matching slaw_<type>_free.  Every _free(NULL) does nothing.
 *    Strings returned as const char * belong to the object they came from and
 *    live as long as it does.  Input pointers are borrowed, never kept.
 *  - Errors: every fallible function returns a slaw_status.  On failure it
 *    fills the caller's slaw_error (which may be NULL) with the code, the file,
 *    line and column where known, the option at fault if one is, and a
 *    message; out-pointers are set only on success.  There is no global
 *    error state.
 *  - Threads: objects are not shared between threads by the library's callers;
 *    distinct objects may be used from distinct threads.
 */
#ifndef SLAW_H
#define SLAW_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Marks the functions libslaw exports: the library is built with
 * -fvisibility=hidden, so whatever lacks SLAW_API stays inside it. */
#if defined(__GNUC__) && !defined(SLAW_API)
#define SLAW_API __attribute__((visibility("default")))
#elif !defined(SLAW_API)
#define SLAW_API
#endif

#define SLAW_VERSION "0.1.0"

/* ------------------------------------------------------------------ status */

typedef enum slaw_status {
    SLAW_OK = 0,
    SLAW_EUSAGE,   /* an option or argument that makes no sense */
    SLAW_EINPUT,   /* malformed or unusable input data */
    SLAW_ELIMIT,   /* the input exceeds a documented limit */
    SLAW_EFIT,     /* the fit failed: too few runs, no convergence, ... */
    SLAW_EIO,      /* reading or writing a file failed */
    SLAW_ENOMEM,   /* out of memory */
    SLAW_EINTERNAL /* a bug in slaw */
} slaw_status;

typedef struct slaw_error {
    slaw_status code;
    char file[512];     /* the file the error is about; "" if none */
    long line;          /* 1-based physical line; 0 if unknown */
    long column;        /* 1-based column; 0 if unknown */
    char option[64];    /* the option at fault, as its field is named ("grid",
                           "level", "role_column[N]"; "params" for
                           slaw_law_parse_params' text), then any other the
                           message names, comma-separated; "" if none */
    char message[1024]; /* what went wrong, without the location; it speaks
                           of option fields and values, never of a program's
                           flags: the first mention of each field in option
                           is that field, so a program can put its own name
                           for the option in its place */
} slaw_error;

/* A short description of a status code ("malformed input", ...). */
SLAW_API const char *slaw_strerror(slaw_status status);

/* The library's version, e.g. "0.1.0" (equal to SLAW_VERSION). */
SLAW_API const char *slaw_version(void);

/* Writes "file:line:column: message" (parts that are unknown left out)
 * into buf, truncating to size.  Returns buf. */
SLAW_API char *slaw_error_text(const slaw_error *err, char *buf, size_t size);

/* text for a terminal: control characters (C0, DEL, C1) and bytes that are
 * not UTF-8 written as \xNN, UTF-8 kept; cut with "..." to fit size (at
 * least 8).  Returns buf. */
SLAW_API const char *slaw_text_printable(const char *text, char *buf, size_t size);

/* ----------------------------------------------------------------- numbers */

/* Parses a number as people write it in sweep logs: decimals and exponents
 * ("3e-4"), '_' digit separators ("1_000_000") and one scale suffix:
 * k or K = 1e3, M = 1e6, B or G = 1e9, T = 1e12, P = 1e15 ("1.3B", "70B").
 * Leading and trailing blanks are ignored.  NaN, infinities, overflow,
 * underflow to zero and unknown suffixes are refused: on failure returns
 * SLAW_EINPUT and, if why is not NULL, points it at a static reason such as
 * "not a number".  *out is set only on success. */
SLAW_API slaw_status slaw_number_parse(const char *text, size_t len, double *out, const char **why);

/* How slaw_number_format writes a number.  "SCI" below is 3 significant
 * digits with a short exponent: 5.76e23, 1.3e-5, 0.0123, 250. */
typedef enum slaw_number_style {
    SLAW_NUMBER_SCI = 0,   /* always SCI */
    SLAW_NUMBER_SIZE,      /* a count with the suffix slaw_number_parse reads: 125M, 1.3B,
                              1.4T; 1 to 999 as %.4g; below 1, from 1e18 and inf as SCI */
    SLAW_NUMBER_VALUE,     /* %.5g (2.0746, 406.4); SCI outside [1e-4, 1e6) */
    SLAW_NUMBER_LOSS,      /* %#.5g, trailing zeros kept (2.0700); SCI outside [1e-4, 1e6) */
    SLAW_NUMBER_TICK,      /* a plot's tick label: %.4g; SCI outside [1e-3, 1e5) */
    SLAW_NUMBER_TICK_SIZE, /* a tick of a count: 100M, 1B as SIZE, else as TICK */
    SLAW_NUMBER_TICK_FLOPS /* a tick of compute: SCI from 1e3 on (1e21), else as TICK */
} slaw_number_style;

/* Writes v into buf (truncated to size) in style; the CLI's tables and the
 * plots' labels all come from here.  Returns buf. */
SLAW_API const char *slaw_number_format(double v, slaw_number_style style, char *buf, size_t size);

/* ------------------------------------------------------------ compute model */

/* The one compute model every command uses: the training FLOPs of a run
 * of N parameters on D tokens, C = 6·N·D, or flops_per_token·D when
 * flops_per_token > 0 (a C column, where the runs have one, is read as it
 * is).  slaw_compute_tokens and slaw_compute_params invert it: D from C and
 * N, N from C and D (NaN when flops_per_token > 0, since C then does not
 * depend on N). */
SLAW_API double slaw_compute_flops(double N, double D, double flops_per_token);
SLAW_API double slaw_compute_tokens(double C, double N, double flops_per_token);
SLAW_API double slaw_compute_params(double C, double D, double flops_per_token);
/* N·D on the budget line C = 6·N·D: the product a compute-optimal
 * allocation divides between N and D. */
SLAW_API double slaw_compute_param_tokens(double C);

/* --------------------------------------------------------------------- runs */

/* The roles a column can play.  N, D, C, L are detected from header aliases
 * or given explicitly; group and weight only explicitly.  The variable
 * roles from U on are bound only when given, or when a law reads them
 * (slaw_runs_need_role): then detected from aliases (U, S, B, LR, the loss)
 * or derived (M, R, and C, N or D through the compute model). */
typedef enum slaw_role {
    SLAW_ROLE_N = 0,  /* model size, parameters */
    SLAW_ROLE_D,      /* training data, tokens */
    SLAW_ROLE_C,      /* training compute, FLOPs */
    SLAW_ROLE_L,      /* the target: loss by default */
    SLAW_ROLE_GROUP,  /* a grouping column (--by) */
    SLAW_ROLE_WEIGHT, /* a per-run weight */
    SLAW_ROLE_U,      /* unique training tokens */
    SLAW_ROLE_M,      /* tokens per parameter, D/N */
    SLAW_ROLE_R,      /* repetitions of the unique data, D/U - 1 */
    SLAW_ROLE_S,      /* training steps */
    SLAW_ROLE_B,      /* batch size */
    SLAW_ROLE_LR,     /* learning rate */
    SLAW_ROLE_LOSS,   /* the loss as a law's input (downstream laws); its
                         symbol is L, the target being SLAW_ROLE_L */
    SLAW_ROLE_X,      /* a generic variable: a one-variable law's x */
    SLAW_ROLE_COUNT
} slaw_role;

/* The first of the variable roles bound only on demand. */
#define SLAW_ROLE_FIRST_VARIABLE SLAW_ROLE_U

/* How a role got its column. */
typedef enum slaw_role_source {
    SLAW_SOURCE_NONE = 0, /* the role has no column */
    SLAW_SOURCE_ALIAS,    /* the header matched one of the role's aliases */
    SLAW_SOURCE_OVERRIDE, /* the caller named the column */
    SLAW_SOURCE_DERIVED   /* computed from other roles (C = 6·N·D, M = D/N, ...) */
} slaw_role_source;

typedef enum slaw_format {
    SLAW_FORMAT_AUTO = 0, /* from the file name, else from the content */
    SLAW_FORMAT_CSV,
    SLAW_FORMAT_JSON, /* an array of objects, or an object with a "runs" array */
    SLAW_FORMAT_JSONL /* one object per line (also .ndjson) */
} slaw_format;

/* A table of runs: named columns of numbers or labels, with the roles
 * resolved.  Opaque; created by slaw_runs_load*, freed by slaw_runs_free. */
typedef struct slaw_runs slaw_runs;

typedef struct slaw_load_options {
    slaw_format format;                       /* SLAW_FORMAT_AUTO by default */
    const char *role_column[SLAW_ROLE_COUNT]; /* explicit columns (names or dotted
                                                 JSON paths); NULL = detect */
    const char *const *extra_columns;         /* further columns or JSON paths the
                                                 caller will use (filters, --x) */
    size_t n_extra_columns;
    bool lenient_roles;     /* a role whose column cannot be settled
                               (no such column, several candidates)
                               is left unbound and its problem kept
                               (slaw_runs_role_problem) instead of
                               failing the load */
    double flops_per_token; /* the compute model a derived C, N or D
                               follows: 0 = C = 6·N·D (see
                               slaw_compute_flops) */
} slaw_load_options;

/* Sets every option to its default. */
SLAW_API void slaw_load_options_init(slaw_load_options *opt);

/* Loads runs from files ("-" is standard input), concatenates them by
 * column name and resolves the roles (values: see slaw_runs_validate).  Caller owns *out; free with
 * slaw_runs_free.  Errors: SLAW_EIO (cannot read), SLAW_EINPUT (malformed,
 * bad value in a role column, ambiguous roles), SLAW_ELIMIT, SLAW_ENOMEM. */
SLAW_API slaw_status slaw_runs_load(const char *const *paths, size_t n_paths,
                                    const slaw_load_options *opt, slaw_runs **out, slaw_error *err);

/* Loads runs from a buffer; name is used in messages and for detecting the
 * format from its extension.  Ownership and errors as slaw_runs_load. */
SLAW_API slaw_status slaw_runs_load_buffer(const char *name, const char *data, size_t len,
                                           const slaw_load_options *opt, slaw_runs **out,
                                           slaw_error *err);

/* Frees the table; NULL does nothing. */
SLAW_API void slaw_runs_free(slaw_runs *runs);

/* Runs held (after any filters), columns, and the name of column col (NULL
 * past the end; the string belongs to runs). */
SLAW_API size_t slaw_runs_count(const slaw_runs *runs);
SLAW_API size_t slaw_runs_column_count(const slaw_runs *runs);
SLAW_API const char *slaw_runs_column_name(const slaw_runs *runs, size_t col);
/* True when the column holds text (at least one value is not a number). */
SLAW_API bool slaw_runs_column_is_label(const slaw_runs *runs, size_t col);
/* True when the column was computed by slaw (derived through C = 6·N·D). */
SLAW_API bool slaw_runs_column_is_derived(const slaw_runs *runs, size_t col);

/* Finds a column: an exact name, then a role letter (N, D, C, L), then a
 * unique case- and separator-insensitive match.  Returns false if none. */
SLAW_API bool slaw_runs_column_find(const slaw_runs *runs, const char *name, size_t *col);

/* The numeric value of a cell; NaN for a missing or non-numeric cell. */
SLAW_API double slaw_runs_value(const slaw_runs *runs, size_t col, size_t run);
/* The text of a cell of a label column ("" when missing); NULL for numeric
 * columns. */
SLAW_API const char *slaw_runs_label(const slaw_runs *runs, size_t col, size_t run);

/* The column playing a role; false if the role has none. */
SLAW_API bool slaw_runs_role_column(const slaw_runs *runs, slaw_role role, size_t *col);
SLAW_API slaw_role_source slaw_runs_role_source(const slaw_runs *runs, slaw_role role);
/* For SLAW_SOURCE_ALIAS: the alias that matched (normalised). */
SLAW_API const char *slaw_runs_role_alias(const slaw_runs *runs, slaw_role role);
/* "N", "D", "C", "L", "group", "weight", "U", "M", "R", "S", "B", "LR",
 * "L_input", "x": unique keys (fit files, inspect). */
SLAW_API const char *slaw_role_name(slaw_role role);
/* How laws, --var and points write the role: as slaw_role_name except
 * SLAW_ROLE_LOSS, "L". */
SLAW_API const char *slaw_role_symbol(slaw_role role);
/* "model size", "unique tokens", ... */
SLAW_API const char *slaw_role_meaning(slaw_role role);
/* The variable role of a symbol (N, D, C, U, M, R, S, B, LR, L = the loss as
 * an input, x; exact case); false when none. */
SLAW_API bool slaw_role_from_symbol(const char *symbol, size_t len, slaw_role *out);
/* A derived role's value at one point from the values of the others,
 * by_role[role] (NaN where not given): C from N and D, N or D from C and the
 * other, M = D/N, R = D/U - 1; any other role as given.  NaN when the values
 * given do not determine it. */
SLAW_API double slaw_role_derive(slaw_role role, const double *by_role, double flops_per_token);
/* Binds a variable role a law reads (slaw_role_symbol) to its column: the
 * column given, else the one column whose name is an alias of the role
 * (the loss input: other than the target's), else derived from the columns
 * present (M = D/N, R = D/U - 1, C, N or D through the compute model), and
 * checks its values (positive numbers).  Adds a derived column to runs.
 * Errors: SLAW_EUSAGE (no column, and none to derive it from: the message
 * names what is missing), SLAW_EINPUT (several candidates; a bad value,
 * with file and line), SLAW_ENOMEM. */
SLAW_API slaw_status slaw_runs_need_role(slaw_runs *runs, slaw_role role, slaw_error *err);
/* Loaded with lenient_roles: why role has no column (no such column, or
 * several columns look like it), as the error a strict load gives less its
 * list of columns; NULL when nothing is wrong.  Owned by runs. */
SLAW_API const slaw_error *slaw_runs_role_problem(const slaw_runs *runs, slaw_role role);
/* The columns that look like role by name equally well (several when it
 * is ambiguous): fills up to max of them into cols, returns how many. */
SLAW_API size_t slaw_runs_role_candidates(const slaw_runs *runs, slaw_role role, size_t *cols,
                                          size_t max);
/* Whether columns a and b hold the same value (or label) in every run. */
SLAW_API bool slaw_runs_columns_identical(const slaw_runs *runs, size_t a, size_t b);

/* Where a run came from: the file name and 1-based line (JSON: the line on
 * which its object starts).  Pointers live as long as runs. */
SLAW_API void slaw_runs_source(const slaw_runs *runs, size_t run, const char **file, long *line);

/* Loaded files in order, with the format each was read as. */
SLAW_API size_t slaw_runs_file_count(const slaw_runs *runs);
SLAW_API const char *slaw_runs_file_name(const slaw_runs *runs, size_t i);
SLAW_API slaw_format slaw_runs_file_format(const slaw_runs *runs, size_t i);
/* Runs of file i still held (after filters, the kept ones), and read from it. */
SLAW_API size_t slaw_runs_file_rows(const slaw_runs *runs, size_t i);
SLAW_API size_t slaw_runs_file_read(const slaw_runs *runs, size_t i);
SLAW_API const char *slaw_format_name(slaw_format format);

/* Checks the values of the role columns in the runs held now: N, D and C
 * (read or derived) positive numbers, L a number, a weight zero or more, no
 * empty cells.  Loading does not check them, so that filters can first drop
 * runs that cannot be used (a crashed run with no loss); slaw_fit_runs and
 * slaw_runs_drop_top call it.  Errors: SLAW_EINPUT naming file, line, column
 * and value. */
SLAW_API slaw_status slaw_runs_validate(const slaw_runs *runs, slaw_error *err);

/* ------------------------------------------------------------------ filters */

/* Keeps the runs for which "COLUMN OP VALUE" holds; OP is one of
 * < <= > >= == !=; VALUE may carry a suffix (1.3B).  Label columns take
 * == and !=: cells holding numbers compare by value when VALUE is a number,
 * other cells by text; missing cells never match.  *removed (may be NULL) gets the count removed.
 * Errors: SLAW_EUSAGE for a malformed expression or unknown column. */
SLAW_API slaw_status slaw_runs_where(slaw_runs *runs, const char *expr, size_t *removed,
                                     slaw_error *err);

/* The column an expression of slaw_runs_where names, into out (size bytes),
 * as that function reads it (so that a loader can be asked for it); false
 * when the expression is malformed or the name does not fit. */
SLAW_API bool slaw_where_column(const char *expr, char *out, size_t size);

/* The space a fit's residuals live in (and the variances of a mean per key). */
typedef enum slaw_space {
    SLAW_SPACE_LOG = 0, /* residual ln ŷ - ln y */
    SLAW_SPACE_LINEAR   /* residual ŷ - y */
} slaw_space;

/* What to keep of runs that share a key, such as the same (N, D): the runs
 * of a learning-rate sweep, intermediate checkpoints, seeds. */
typedef enum slaw_per_keep {
    SLAW_PER_NONE = 0, /* keep every run */
    SLAW_PER_BEST,     /* the run with the lowest target (the first of equal ones) */
    SLAW_PER_MEAN      /* one run: the mean of each numeric column, with the count and
                          the spread of the target */
} slaw_per_keep;

typedef struct slaw_per_options {
    slaw_per_keep keep;
    const char *const *columns; /* the key: column names or role letters (N, D, C, L);
                                   runs of different groups never share a key */
    size_t n_columns;
    bool inverse_variance; /* SLAW_PER_MEAN: each mean's weight (role weight) is the
                              inverse of its variance in space */
    slaw_space space;      /* log: the variance of ln L; linear: of L */
} slaw_per_options;

/* Keeps one run per key (opt->keep; SLAW_PER_NONE keeps every run), in the
 * order of the runs kept.  SLAW_PER_MEAN puts in the first run of each key
 * the mean of every numeric column over the key's runs (label cells stay
 * the first run's) and adds the columns TARGET_runs (how many runs) and
 * TARGET_sd (the target's sample standard deviation; missing for one run),
 * TARGET being the target column's name; with inverse_variance also
 * TARGET_weight, bound to the weight role: runs / s^2, where s^2 is the
 * sample variance of the key's targets (of ln L in log space), or, for a key
 * of one run or of runs that agree exactly, the variance pooled over the
 * repeated keys of its group; scaled so that a group's weights average 1.  *removed (may be NULL)
 * gets the count removed.  Errors: SLAW_EUSAGE (no key columns, an unknown column, no target;
 * inverse_variance without SLAW_PER_MEAN, or with a group that has no repeated key to estimate a
 * variance from), SLAW_EINPUT (a column named TARGET_runs, _sd or _weight already exists; a target
 * that is not positive for log-space variances), SLAW_ENOMEM. */
SLAW_API slaw_status slaw_runs_per(slaw_runs *runs, const slaw_per_options *opt, size_t *removed,
                                   slaw_error *err);

/* Drops the k runs with the highest target (role L): keeps the runs whose
 * target is below the k-th largest target, so ties at that value go too.
 * Errors: SLAW_EUSAGE when there is no target or k ≥ the number of runs. */
SLAW_API slaw_status slaw_runs_drop_top(slaw_runs *runs, size_t k, size_t *removed,
                                        slaw_error *err);

/* --------------------------------------------------------------- selection */

/* Which of the loaded runs a fit, a plot or a summary reads: steps applied
 * in their order (a where before a per-key reduction keeps other runs than
 * the same where after it), each removing runs.  The CLI's --where,
 * --best-per/--mean-per and --drop-top-loss build one, in that order; a
 * fit records it in its artifact (slaw_artifact_selection). */

typedef enum slaw_compare_op {
    SLAW_OP_LT = 0,
    SLAW_OP_LE,
    SLAW_OP_GT,
    SLAW_OP_GE,
    SLAW_OP_EQ,
    SLAW_OP_NE
} slaw_compare_op;

/* "<", "<=", ">", ">=", "==" or "!="; NULL for another value. */
SLAW_API const char *slaw_compare_op_name(slaw_compare_op op);

/* A where step's comparison: the runs whose cell of column compares true
 * with value are kept (as slaw_runs_where). */
typedef struct slaw_condition {
    const char *column; /* a column name or dotted JSON path */
    slaw_compare_op op;
    const char *value; /* a number as people write it (1.3B), or a text that a
                          label column's cells are compared with (== and !=) */
} slaw_condition;

typedef enum slaw_step_kind {
    SLAW_STEP_WHERE = 0, /* keep the runs where a condition holds */
    SLAW_STEP_PER,       /* keep one run per key (slaw_runs_per) */
    SLAW_STEP_DROP_TOP   /* drop the runs of highest target (slaw_runs_drop_top) */
} slaw_step_kind;

/* "where", "per", "drop_top"; NULL for another value. */
SLAW_API const char *slaw_step_kind_name(slaw_step_kind kind);

typedef struct slaw_step {
    slaw_step_kind kind;
    const char *text;     /* WHERE: the expression as written, for messages
                             ("N >= 1e9"); NULL = made from where */
    slaw_condition where; /* WHERE */
    slaw_per_options per; /* PER: keep (best or mean; none only with
                             inverse_variance, which applying refuses), columns,
                             weights; in a fit its space is the fit's */
    size_t count;         /* DROP_TOP: how many runs, at least 1 */
} slaw_step;

typedef struct slaw_selection slaw_selection;

/* An empty selection (it keeps every run).  Caller owns it; free with
 * slaw_selection_free.  NULL when out of memory. */
SLAW_API slaw_selection *slaw_selection_new(void);
SLAW_API void slaw_selection_free(slaw_selection *sel);
/* A copy of sel (NULL: an empty one).  Caller owns it; NULL when out of memory. */
SLAW_API slaw_selection *slaw_selection_copy(const slaw_selection *sel);
/* Appends a copy of step (its strings copied).  Errors: SLAW_EUSAGE (an
 * unknown kind or operator, a condition without column or value, a per
 * step without columns, a drop_top count of 0), SLAW_ENOMEM (also when sel
 * is NULL, as slaw_selection_new returns when out of memory). */
SLAW_API slaw_status slaw_selection_add(slaw_selection *sel, const slaw_step *step,
                                        slaw_error *err);
/* Appends a where step read from "COLUMN OP VALUE" (as slaw_runs_where reads
 * it; the text is kept for messages).  Errors: SLAW_EUSAGE for a malformed
 * expression, SLAW_ENOMEM. */
SLAW_API slaw_status slaw_selection_add_where(slaw_selection *sel, const char *expr,
                                              slaw_error *err);
/* Steps in order (NULL: 0); step i, or NULL past the end.  Its strings
 * belong to sel. */
SLAW_API size_t slaw_selection_count(const slaw_selection *sel);
SLAW_API const slaw_step *slaw_selection_step(const slaw_selection *sel, size_t i);
/* The columns the steps name (where columns, per keys), up to max of them
 * into out, so that a loader can be asked for them (JSON paths); returns
 * how many.  The strings belong to sel. */
SLAW_API size_t slaw_selection_columns(const slaw_selection *sel, const char **out, size_t max);
/* base's leading where steps, then every step of extra, then the rest of
 * base: a baseline's selection narrowed by further conditions, which come
 * before its per-key reduction and its dropping of top targets as if they
 * had been given with it.  Either may be NULL.  Caller owns *out; free with
 * slaw_selection_free.  Errors: SLAW_ENOMEM. */
SLAW_API slaw_status slaw_selection_merge(const slaw_selection *base, const slaw_selection *extra,
                                          slaw_selection **out, slaw_error *err);
/* Applies the steps in order to runs: slaw_runs_validate checks the runs
 * left before the first step that is not a where (or after the last step),
 * so that a where can first drop runs that cannot be used.  removed (may be
 * NULL) gets, per step, how many runs it removed.  Errors: those of the
 * steps (slaw_runs_where, slaw_runs_per, slaw_runs_drop_top), and
 * SLAW_EINPUT "no runs left after filtering (N read)", naming the where step
 * that removed the last runs when one did.  sel NULL keeps every run. */
SLAW_API slaw_status slaw_selection_apply(const slaw_selection *sel, slaw_runs *runs,
                                          size_t *removed, slaw_error *err);

/* -------------------------------------------------------------------- lints */

/* The units and accounting people get wrong in sweep logs (docs/input.md). */
typedef enum slaw_lint_kind {
    SLAW_LINT_COMPUTE = 0, /* a C column that disagrees with 6·N·D by more than 10% */
    SLAW_LINT_EMBEDDINGS,  /* parameters counted both with and without embeddings */
    SLAW_LINT_BITS,        /* a target in bits, per byte or perplexity, not nats per token */
    SLAW_LINT_STEPS,       /* tokens equal to steps × batch, or D that looks like steps */
    SLAW_LINT_SIZE_LOSS,   /* a loss that rises with model size at a fixed D */
    SLAW_LINT_COUNT
} slaw_lint_kind;

#define SLAW_LINT_FIRST_RUNS 5

typedef struct slaw_lint {
    slaw_lint_kind kind;
    bool info;                         /* information rather than a suspected mistake */
    char message[1200];                /* what was seen, with the numbers */
    size_t n_runs;                     /* runs concerned */
    size_t runs[SLAW_LINT_FIRST_RUNS]; /* the first of them (indices into the runs) */
} slaw_lint;

/* "compute", "embeddings", "bits", "steps", "size-loss". */
SLAW_API const char *slaw_lint_name(slaw_lint_kind kind);
/* The kind of that name; false when there is none. */
SLAW_API bool slaw_lint_find(const char *name, slaw_lint_kind *out);

/* Checks the runs for each kind whose bit (1u << kind) is clear in skip,
 * and fills out (room for SLAW_LINT_COUNT) with one record per kind found,
 * in the order of the kinds; *n gets how many.  Errors: SLAW_ENOMEM. */
SLAW_API slaw_status slaw_runs_lint(const slaw_runs *runs, unsigned skip, slaw_lint *out, size_t *n,
                                    slaw_error *err);

/* -------------------------------------------------------------------- files */

/* Writes data to path through a temporary file in the same directory that
 * is renamed into place when complete: an existing file is either replaced
 * whole or left untouched.  Errors: SLAW_EIO. */
SLAW_API slaw_status slaw_write_file_atomic(const char *path, const void *data, size_t len,
                                            slaw_error *err);

/* The same for output that another writer produces (a child process, for
 * one): an output in progress, written through its file descriptor. */
typedef struct slaw_output slaw_output;

/* Starts writing path: creates a hidden temporary file beside it,
 * "DIR/.NAME.PID-K.tmp", after removing those that writers of path killed
 * outright left behind (their process PID is gone); a device or pipe is
 * opened to be written in place.  Caller owns *out: end it with
 * slaw_output_commit or slaw_output_discard.  Errors: SLAW_EIO. */
SLAW_API slaw_status slaw_output_open(const char *path, slaw_output **out, slaw_error *err);
/* The descriptor to write to, owned by the output and close-on-exec; a
 * temporary file is open for reading too, to check what was written. */
SLAW_API int slaw_output_fd(const slaw_output *o);
/* Flushes the file and renames it over path (a file replaced keeps its
 * permissions; a new one gets 0666 less the umask).  Frees o either way;
 * on failure path is untouched.  Errors: SLAW_EIO. */
SLAW_API slaw_status slaw_output_commit(slaw_output *o, slaw_error *err);
/* Abandons the output: its temporary file removed, path untouched; frees o.
 * NULL does nothing. */
SLAW_API void slaw_output_discard(slaw_output *o);
/* Removes the temporary files of every output in progress, leaving them
 * broken.  Async-signal-safe: for a handler of SIGINT, SIGTERM or SIGHUP
 * that then ends the process. */
SLAW_API void slaw_output_remove_temporaries(void);

/* ------------------------------------------------------------------ summary */

typedef struct slaw_role_summary {
    bool present;
    double min, max;
    double decades;  /* log10(max / min); 0 for non-positive data */
    bool counted;    /* distinct was counted: N, D and the group column */
    size_t distinct; /* distinct values when counted, else 0 */
} slaw_role_summary;

typedef struct slaw_runs_summary {
    size_t runs;
    slaw_role_summary role[SLAW_ROLE_COUNT]; /* group and weight: counts only */
    size_t duplicate_nd;   /* runs whose (N, D) pair appears earlier in their group
                              (the group column's value, when there is one) */
    size_t repeated_pairs; /* (N, D) pairs of a group held by more than one run */
    size_t most_repeats;   /* the most runs holding one pair */
} slaw_runs_summary;

/* Describes the runs per role. */
SLAW_API void slaw_runs_summarize(const slaw_runs *runs, slaw_runs_summary *out);

/* --------------------------------------------------------------------- laws */

/* A scaling law from the catalogue: static, never freed. */
typedef struct slaw_law slaw_law;

SLAW_API size_t slaw_law_count(void);
SLAW_API const slaw_law *slaw_law_at(size_t i);
/* NULL when there is no law of that name. */
SLAW_API const slaw_law *slaw_law_find(const char *name);
SLAW_API const char *slaw_law_name(const slaw_law *law);
SLAW_API const char *slaw_law_formula(const slaw_law *law);
SLAW_API const char *slaw_law_summary(const slaw_law *law);
/* 1: one variable x (N by default); 2: N and D. */
SLAW_API size_t slaw_law_var_count(const slaw_law *law);
/* The most variables a law reads: size arrays of a law's variables with it. */
#define SLAW_MAX_VARS 4
/* The role of variable v of the law (SLAW_ROLE_COUNT past the last). */
SLAW_API slaw_role slaw_law_var_role(const slaw_law *law, size_t v);
/* Whether variable v of the law may be zero or negative: a formula's
 * variable that is not a size (x, a column such as log_lr; not N, D, C, U,
 * M, S, B or LR).  Forecasts take such values as they are. */
SLAW_API bool slaw_law_var_signed(const slaw_law *law, size_t v);
/* Whether the law's one variable is a loss (downstream, sigmoid: a metric
 * against the loss): a point gives it as L=VALUE (or x=VALUE). */
SLAW_API bool slaw_law_reads_loss(const slaw_law *law);
SLAW_API size_t slaw_law_param_count(const slaw_law *law);
/* Natural name ("E", "alpha"), internal name ("e" = ln E), meaning. */
SLAW_API const char *slaw_law_param_name(const slaw_law *law, size_t i);
SLAW_API const char *slaw_law_param_internal_name(const slaw_law *law, size_t i);
SLAW_API const char *slaw_law_param_meaning(const slaw_law *law, size_t i);
/* True when the parameter is positive and fitted as its logarithm. */
SLAW_API bool slaw_law_param_is_log(const slaw_law *law, size_t i);
/* Quantities derived from the parameters (chinchilla: a, b, G, D/N). */
SLAW_API size_t slaw_law_derived_count(const slaw_law *law);
SLAW_API const char *slaw_law_derived_name(const slaw_law *law, size_t i);
SLAW_API const char *slaw_law_derived_meaning(const slaw_law *law, size_t i);
/* The default start grid of parameter i as text ("-3:0:0.5", centred on the
 * data: see docs/laws.md). */
SLAW_API void slaw_law_grid_text(const slaw_law *law, size_t i, char *buf, size_t size);

/* The law's value at one point: vars holds x (or N and D), natural holds the
 * parameters in natural scale. */
SLAW_API double slaw_law_eval(const slaw_law *law, const double *natural, const double *vars);

/* Parses "NAME=VALUE,..." naming every parameter of the law (natural names
 * take natural values; internal names such as "e" = ln E take internal
 * values) into natural values.  Errors: SLAW_EUSAGE naming the problem. */
SLAW_API slaw_status slaw_law_parse_params(const slaw_law *law, const char *spec, double *natural,
                                           slaw_error *err);

/* A law of one's own from the text of its formula (docs/laws.md): the
 * identifiers among vars (n_vars names) are its variables, every other one a
 * parameter (linear scale); a variable whose name is a role's symbol plays
 * that role (x excepted: a column named x).  Errors: SLAW_EUSAGE
 * "formula: column K: ..." and as a fit's formula.  Caller owns *out; free
 * with slaw_law_free. */
SLAW_API slaw_status slaw_law_from_formula(const char *text, const char *const *vars, size_t n_vars,
                                           slaw_law **out, slaw_error *err);
/* Frees a law made by slaw_law_from_formula; NULL does nothing. */
SLAW_API void slaw_law_free(slaw_law *law);
/* The name of variable v: its role's symbol, or a formula's name for it. */
SLAW_API const char *slaw_law_var_name(const slaw_law *law, size_t v);

/* y_i = law(vars_i) * exp(sigma * z_i), z_i standard normal from GSL's
 * MT19937 seeded with seed (so a seed always gives the same runs).  vars is
 * row-major n × slaw_law_var_count(law).  Errors: SLAW_EUSAGE. */
SLAW_API slaw_status slaw_simulate(const slaw_law *law, const double *natural, const double *vars,
                                   size_t n, double sigma, unsigned long seed, double *y,
                                   slaw_error *err);

/* ---------------------------------------------------------------------- fit */

/* GSL's trust-region methods (gsl_multifit_nlinear_trs_*). */
typedef enum slaw_solver {
    SLAW_SOLVER_LM = 0,    /* Levenberg-Marquardt (the default) */
    SLAW_SOLVER_LMACCEL,   /* Levenberg-Marquardt with geodesic acceleration */
    SLAW_SOLVER_DOGLEG,    /* Powell's dogleg */
    SLAW_SOLVER_DDOGLEG,   /* double dogleg */
    SLAW_SOLVER_SUBSPACE2D /* two-dimensional subspace */
} slaw_solver;

typedef enum slaw_loss {
    SLAW_LOSS_L2 = 0, /* sum of r² */
    SLAW_LOSS_HUBER,  /* sum of Huber_delta(r) */
    SLAW_LOSS_ASYM    /* sum of r², over-predictions (r > 0) weighted W times */
} slaw_loss;

/* The losses, one row each: the one table of their names, parameters and
 * defaults (the CLI's --loss, the fit artifact and the fit read it). */
typedef struct slaw_loss_info {
    slaw_loss loss;
    const char *name;     /* "l2", "huber", "asym" */
    const char *param;    /* the parameter's name ("delta", "W"); NULL: it takes none */
    double param_default; /* the parameter when slaw_fit_options.loss_param is 0; NaN if none */
    const char *shape;    /* what is summed, in words */
} slaw_loss_info;

/* The number of losses; row i describes (slaw_loss)i. */
SLAW_API size_t slaw_loss_count(void);
/* The row of loss; NULL when loss is none of them.  Static: never freed. */
SLAW_API const slaw_loss_info *slaw_loss_info_of(slaw_loss loss);
/* The row named name[0..len) ("huber"); NULL when no loss has that name. */
SLAW_API const slaw_loss_info *slaw_loss_find(const char *name, size_t len);

/* The level of every interval when none is asked for: the options' init
 * functions set it, and functions taking NULL options use it. */
#define SLAW_DEFAULT_LEVEL 0.95

#define SLAW_POLISH_DEFAULT 0L /* polish the most promising starts */
#define SLAW_POLISH_ALL (-1L)  /* polish every start */

/* How an interval was obtained (docs/uncertainty.md). */
typedef enum slaw_interval_method {
    SLAW_INTERVAL_AUTO = 0,  /* as an option: the fit's own method (slaw_fit_interval_method);
                                as a fit option: BOOTSTRAP with resamples, else T; never in
                                a result */
    SLAW_INTERVAL_BOOTSTRAP, /* percentiles over the fit's bootstrap samples */
    SLAW_INTERVAL_DELTA,     /* the covariance with normal quantiles: value +- z se, and the
                                delta method for forecasts */
    SLAW_INTERVAL_NONE,      /* no interval: no samples and no covariance */
    SLAW_INTERVAL_T          /* the covariance with Student-t quantiles on n - p degrees of
                                freedom, built on the log scale for positive scales (E, A,
                                B); forecasts as DELTA with t quantiles: the default
                                without bootstrap resamples */
} slaw_interval_method;

/* "auto", "bootstrap", "delta", "none", "t". */
SLAW_API const char *slaw_interval_method_name(slaw_interval_method method);
/* The method named (auto, t, delta, bootstrap); false for another name. */
SLAW_API bool slaw_interval_method_parse(const char *name, slaw_interval_method *out);

typedef struct slaw_fit_options {
    const char *law;     /* law name (required unless formula is given) */
    const char *formula; /* a law of one's own, e.g. "E + A/N^alpha" (docs/laws.md):
                            names of roles (N, D, C, x, L) or columns of the runs are
                            variables, other names parameters; NULL = law */
    slaw_solver solver;  /* the trust-region method; SLAW_SOLVER_LM by default */
    const char *x;       /* one-variable laws: the variable's column; NULL = N */
    slaw_space space;
    slaw_loss loss;
    double loss_param;      /* Huber delta or asym W; 0 = the loss's param_default */
    const char *grid;       /* NULL = the law's default; "epoch"; or
                               "NAME=LO:HI:STEP,NAME=VALUE,..." (internal names take
                               internal values, natural names natural values) */
    long polish;            /* SLAW_POLISH_DEFAULT, SLAW_POLISH_ALL, or a count */
    const char *const *fix; /* "NAME=VALUE" */
    size_t n_fix;
    const char *const *tie; /* "NAME=OTHER": NAME takes OTHER's value */
    size_t n_tie;
    const char *const *bound; /* "NAME=LO:HI"; either side may be empty */
    size_t n_bound;
    const slaw_selection *selection; /* the runs fitted, chosen from those given (a per
                                        step's space is the fit's); NULL = every run */
    int threads;                     /* at most this many; 0 = all cores.  A search or
                                        bootstrap takes no more than the cores that other
                                        tasks leave free when it starts.  Results do not
                                        depend on it.  OpenMP threads spin while idle unless
                                        OMP_WAIT_POLICY=passive is in the environment when
                                        the program starts (the slaw command sets it): on a
                                        busy machine spinning can make a parallel fit slower
                                        than one thread */
    size_t max_iter;                 /* per start, at least 1; init: 500 */
    size_t bootstrap;                /* resamples; 0 = none */
    unsigned long seed;              /* of the resampling (same seed, same result) */
    double level;                    /* of the intervals, in (0, 1); init: 0.95 (a fit file
                                        written before says 0 for it, read as 0.95) */
    slaw_interval_method interval;   /* how parameter and forecast intervals are made, recorded
                                        in the artifact: SLAW_INTERVAL_T, _DELTA, or _BOOTSTRAP
                                        (needs bootstrap > 0); SLAW_INTERVAL_AUTO = _BOOTSTRAP
                                        with resamples, else _T */
    const char *bootstrap_by;        /* resample whole groups of runs sharing this column */
    const char *holdout;             /* "largest:K": fit without the runs of the K largest values of
                                        the law's first variable ("largest-c:K": of compute), then
                                        predict them; NULL = none */
    bool strict;                     /* a group that cannot be fitted fails the whole fit; else it
                                        is recorded (slaw_artifact_failed) and the others fitted */
    const char *shared; /* "NAME,NAME": grouped runs are fitted jointly, these parameters
                           common to every group and the others per group; NULL = each
                           group on its own */
    void (*progress)(void *ctx, const char *what, size_t done, size_t total);
    void *progress_ctx; /* progress(ctx, "grid" | "bootstrap", done, total) is called
                           from the calling thread now and then; NULL for none */
} slaw_fit_options;

/* Sets every option to its default: log space, the l2 loss, the law's
 * grid, max_iter 500, level 0.95, no bootstrap. */
SLAW_API void slaw_fit_options_init(slaw_fit_options *opt);

/* Fields of slaw_fit_options, as bits of the mask slaw_fit_options_merge
 * takes: the ones that change how hard and how a fit is run and reported,
 * not what is fitted. */
typedef enum slaw_fit_field {
    SLAW_FIT_X = 1u << 0,
    SLAW_FIT_POLISH = 1u << 1,
    SLAW_FIT_MAX_ITER = 1u << 2,
    SLAW_FIT_THREADS = 1u << 3,
    SLAW_FIT_BOOTSTRAP = 1u << 4,
    SLAW_FIT_BOOTSTRAP_BY = 1u << 5,
    SLAW_FIT_SEED = 1u << 6,
    SLAW_FIT_LEVEL = 1u << 7,
    SLAW_FIT_PROGRESS = 1u << 8 /* progress and progress_ctx */
} slaw_fit_field;

/* Overlays the fields of from named in fields (a mask of slaw_fit_field)
 * onto opt: a baseline's settings (slaw_artifact_options) refitted with
 * the effort and intervals asked for now.  A bootstrap turned off (0)
 * also drops the bootstrap_by that opt kept, unless fields names it.
 * Strings are borrowed from from, as they were given. */
SLAW_API void slaw_fit_options_merge(slaw_fit_options *opt, const slaw_fit_options *from,
                                     unsigned fields);

/* The result of fitting: settings, one fit per group, provenance.  This is
 * what a fit artifact (fit.json) holds. */
typedef struct slaw_artifact slaw_artifact;
/* One law fitted to one group of runs; belongs to its artifact. */
typedef struct slaw_fit slaw_fit;

/* Fits opt->law to the runs (after opt's filters; per value of the runs'
 * group column when there is one).  A group that cannot be fitted (too few
 * runs, a variable with one value, no start converged) is recorded with its
 * reason and the others are fitted, unless opt->strict.  Caller owns *out;
 * free with slaw_artifact_free.  Errors: SLAW_EUSAGE (bad options),
 * SLAW_EINPUT (values the law cannot take, e.g. a non-positive loss in log
 * space), SLAW_EFIT (every group failed, or one did with opt->strict; the
 * message names each failed group). */
SLAW_API slaw_status slaw_fit_runs(const slaw_runs *runs, const slaw_fit_options *opt,
                                   slaw_artifact **out, slaw_error *err);

SLAW_API void slaw_artifact_free(slaw_artifact *a);
SLAW_API size_t slaw_artifact_fit_count(const slaw_artifact *a);
SLAW_API const slaw_fit *slaw_artifact_fit(const slaw_artifact *a, size_t i);
/* The groups that could not be fitted, in group order: the name of the i-th
 * and, in *reason, why (both belong to the artifact). */
SLAW_API size_t slaw_artifact_failed_count(const slaw_artifact *a);
SLAW_API const char *slaw_artifact_failed(const slaw_artifact *a, size_t i, const char **reason);
/* Why group could not be fitted, or NULL if it was not a failed group. */
SLAW_API const char *slaw_artifact_group_failure(const slaw_artifact *a, const char *group);
/* The artifact as JSON text (docs/fit-file.md).  Caller frees with free().
 * Bytes that are not UTF-8 (a Latin-1 group name) are written as '?':
 * slaw_artifact_check_text says whether there are any. */
SLAW_API char *slaw_artifact_to_json(const slaw_artifact *a);
/* SLAW_OK if every text of the artifact (groups, column names, filters,
 * settings) is UTF-8, as JSON must be; else SLAW_EINPUT quoting the first
 * that is not. */
SLAW_API slaw_status slaw_artifact_check_text(const slaw_artifact *a, slaw_error *err);
/* Writes the JSON to path through a temporary file renamed into place, so a
 * failure leaves an existing file untouched.  Errors: SLAW_EINPUT (text that
 * is not UTF-8, as slaw_artifact_check_text), SLAW_EIO. */
SLAW_API slaw_status slaw_artifact_write(const slaw_artifact *a, const char *path, slaw_error *err);
/* Reads an artifact; name is used in messages.  Caller owns *out.  Errors:
 * SLAW_EIO, SLAW_EINPUT (not a valid artifact, with the reason). */
SLAW_API slaw_status slaw_artifact_read(const char *path, slaw_artifact **out, slaw_error *err);
/* An artifact holding law at published parameter values (natural scale,
 * one per parameter) instead of a fit: forecasts and optima from it have no
 * intervals and no data range.  Caller owns *out; free with
 * slaw_artifact_free.  Errors: SLAW_EUSAGE (a value that is not finite, or
 * not positive where the law needs it), SLAW_ENOMEM. */
SLAW_API slaw_status slaw_artifact_from_params(const slaw_law *law, const double *natural,
                                               slaw_artifact **out, slaw_error *err);
SLAW_API slaw_status slaw_artifact_parse(const char *name, const char *text, size_t len,
                                         slaw_artifact **out, slaw_error *err);
/* The settings the artifact was fitted with, as fit options whose strings
 * belong to the artifact; lets a caller refit new runs the same way. */
SLAW_API void slaw_artifact_options(const slaw_artifact *a, slaw_fit_options *opt);
/* Runs read before the selection. */
SLAW_API size_t slaw_artifact_runs_read(const slaw_artifact *a);
/* The selection the runs were fitted after (belongs to the artifact; NULL
 * or empty when every run read was fitted), and how many runs its step i
 * removed. */
SLAW_API const slaw_selection *slaw_artifact_selection(const slaw_artifact *a);
SLAW_API size_t slaw_artifact_removed(const slaw_artifact *a, size_t step);
/* The column a role was bound to when fitting, and whether it was given
 * explicitly (true) or detected; NULL when the role had no column. */
SLAW_API const char *slaw_artifact_role_column(const slaw_artifact *a, slaw_role role, bool *given);

typedef enum slaw_param_state {
    SLAW_PARAM_FREE = 0,
    SLAW_PARAM_FIXED, /* held at a value by --fix */
    SLAW_PARAM_TIED,  /* equal to another parameter by --tie */
    SLAW_PARAM_PINNED /* ended on a bound */
} slaw_param_state;

typedef struct slaw_fit_stats {
    size_t n;            /* runs used */
    size_t n_free;       /* free parameters */
    double objective;    /* the minimised sum of loss(r_i) (weighted) */
    double rmse_log;     /* root mean square of ln ŷ - ln y */
    double r2;           /* in the fitting space */
    double aic, bic;     /* Gaussian, from the fitting-space residual sum of squares */
    double sigma;        /* residual standard deviation in the fitting space */
    size_t iterations;   /* of the start that gave the best optimum */
    size_t starts;       /* start points in the grid */
    size_t polished;     /* starts refined by the solver */
    size_t converged;    /* polished starts that converged */
    size_t hit_limit;    /* polished starts that hit the iteration limit (not pinned) */
    size_t reached_best; /* polished starts that reached the best optimum */
    size_t stalled;      /* polished starts where no step lowered the objective
                            (and the gradient was not small; not pinned) */
    size_t pinned;       /* polished starts that stopped unconverged with a
                            parameter on its bound, where no step moves it */
    size_t non_finite;   /* polished starts whose objective was not finite; with
                            converged, hit_limit, stalled and pinned they add up
                            to polished */
} slaw_fit_stats;

SLAW_API const slaw_law *slaw_fit_law(const slaw_fit *f);
/* The group's value as text; NULL for an ungrouped fit.  A group of
 * several columns (--by dataset,lr) is named "dataset=c4,lr=0.001". */
SLAW_API const char *slaw_fit_group(const slaw_fit *f);
/* A group of several columns: how many, and the k-th column's name with its
 * value as text in *value (both belong to the fit); 0 and NULL otherwise. */
SLAW_API size_t slaw_fit_group_column_count(const slaw_fit *f);
SLAW_API const char *slaw_fit_group_column(const slaw_fit *f, size_t k, const char **value);
/* Natural-scale value and standard error of parameter i (the error is NaN
 * for fixed and pinned parameters; a tied one reports its partner's). */
SLAW_API double slaw_fit_value(const slaw_fit *f, size_t i);
SLAW_API double slaw_fit_stderr(const slaw_fit *f, size_t i);
SLAW_API slaw_param_state slaw_fit_param_state(const slaw_fit *f, size_t i);
/* Natural-scale covariance, row-major n_params × n_params. */
SLAW_API const double *slaw_fit_covariance(const slaw_fit *f);
/* False when the runs do not determine parameter i (derived: derived
 * quantity i): its covariance is singular, its standard error exceeds its
 * value, it correlates above 0.999 with another, or its bootstrap interval
 * spans more than two decades.  Its standard error is then NaN and a
 * warning names the reason.  True for fixed and pinned parameters. */
SLAW_API bool slaw_fit_identified(const slaw_fit *f, size_t i);
SLAW_API bool slaw_fit_derived_identified(const slaw_fit *f, size_t i);
/* The method of f's intervals as the artifact records it (T, DELTA or
 * BOOTSTRAP; a fit file written before slaw recorded it: BOOTSTRAP when f
 * has samples, else DELTA), and their level. */
SLAW_API slaw_interval_method slaw_fit_interval_method(const slaw_fit *f);
SLAW_API double slaw_fit_interval_level(const slaw_fit *f);
/* Degrees of freedom of T intervals: runs fitted minus free parameters
 * (of the joint problem for a joint fit); 0 when there are none. */
SLAW_API size_t slaw_fit_interval_dof(const slaw_fit *f);
/* The interval of parameter i (derived: of derived quantity i) by f's
 * method and level; false, with NaN bounds, when it has none (fixed or
 * pinned, a singular covariance, no samples). */
SLAW_API bool slaw_fit_param_interval(const slaw_fit *f, size_t i, double *lo, double *hi);
SLAW_API bool slaw_fit_derived_interval(const slaw_fit *f, size_t i, double *lo, double *hi);
/* Correlations of the fitted parameters (row-major n_params × n_params; NaN
 * for a parameter without variance) in the fit's internal coordinates with
 * each scale taken at the data's centre, and in *condition their condition
 * number (largest over smallest eigenvalue; +inf when singular).  Owned by
 * the fit; NULL for a fit read from a file, which does not keep them. */
SLAW_API const double *slaw_fit_correlation(const slaw_fit *f, double *condition);
/* Value by natural name; false if the law has no such parameter. */
SLAW_API bool slaw_fit_value_of(const slaw_fit *f, const char *name, double *value);
/* Derived quantity i (see slaw_law_derived_name) and its standard error. */
SLAW_API double slaw_fit_derived(const slaw_fit *f, size_t i, double *stderr_out);
SLAW_API void slaw_fit_get_stats(const slaw_fit *f, slaw_fit_stats *out);
/* Do the groups differ in the shared parameters?  The separate model
 * (every group fitted on its own) and the shared model (a joint fit with
 * opt->shared common) on the same runs. */
typedef struct slaw_shared_test {
    slaw_artifact *separate, *shared; /* the two fits; freed by slaw_shared_test_clear */
    size_t n;                         /* runs fitted */
    size_t k[2];                      /* free parameters: [0] separate, [1] shared */
    double objective[2];              /* minimised objectives (the separate: summed over groups) */
    double aic[2], bic[2];            /* from the fitting-space residual sum of squares of all
                                         groups, n ln(RSS/n) + 2k and + k ln n */
    double holdout_male[2];           /* mean |ln(predicted/observed)| of every group's held-out
                                         runs; NaN without opt->holdout */
    size_t holdout_runs;
    double F, df1, df2, p_F; /* l2 loss: F = ((S1 - S0)/df1) / (S0/df2), df1 = k[0] - k[1],
                                df2 = n - k[0], p from the F distribution; NaN otherwise */
    double p_boot;           /* parametric bootstrap: runs drawn from the shared fit with
                                its sigma, both models refitted; p = (1 + #{rise >= the
                                observed rise of the objective}) / (1 + resamples); NaN
                                without resamples */
    size_t resamples, resamples_failed;
} slaw_shared_test;

/* Fits both models to runs with opt (opt->shared required; the runs need a
 * group column; opt->bootstrap is ignored: resamples says how many
 * parametric resamples to draw, seeded with opt->seed, 0 for none).  Fills
 * *out (caller clears it with slaw_shared_test_clear).  Errors: those of
 * slaw_fit_runs, SLAW_EUSAGE without shared parameters or groups. */
SLAW_API slaw_status slaw_fit_test_shared(const slaw_runs *runs, const slaw_fit_options *opt,
                                          size_t resamples, slaw_shared_test *out, slaw_error *err);
/* Frees the two fits; NULL does nothing. */
SLAW_API void slaw_shared_test_clear(slaw_shared_test *t);

/* ------------------------------------------------- comparing laws */

/* The score that picks the best law; lower is better for each. */
typedef enum slaw_compare_by {
    SLAW_COMPARE_AIC,
    SLAW_COMPARE_BIC,
    SLAW_COMPARE_HOLDOUT, /* mean |ln(predicted/observed)| of the runs held out (opt->holdout) */
    SLAW_COMPARE_ROLLOUT  /* the same over a rollout of each law (slaw_rollout_runs) */
} slaw_compare_by;

/* Several laws fitted to the same runs.  Opaque; free with slaw_comparison_free. */
typedef struct slaw_comparison slaw_comparison;

/* Fits each of the n laws (n >= 1) to runs with opt, its law aside and
 * its formula too: an entry that is a name is a law, one that is not (it
 * has an operator, a parenthesis or a space) a formula (opt->formula);
 * every group required to fit (opt->strict), and for SLAW_COMPARE_ROLLOUT
 * rolls each out.  Caller owns *out; free with slaw_comparison_free.
 * Errors: SLAW_EUSAGE (no laws; the holdout criterion without
 * opt->holdout), and those of slaw_fit_runs and slaw_rollout_runs, with
 * *failed (when not NULL) the index of the law that failed. */
SLAW_API slaw_status slaw_compare_runs(const slaw_runs *runs, const char *const *laws, size_t n,
                                       const slaw_fit_options *opt, slaw_compare_by by,
                                       slaw_comparison **out, size_t *failed, slaw_error *err);
SLAW_API void slaw_comparison_free(slaw_comparison *c);
SLAW_API size_t slaw_comparison_count(const slaw_comparison *c);
/* Law k's name as given, and its fit (one per group, in the same order
 * for every law); both belong to c. */
SLAW_API const char *slaw_comparison_law(const slaw_comparison *c, size_t k);
SLAW_API const slaw_artifact *slaw_comparison_artifact(const slaw_comparison *c, size_t k);
/* Law k's score on group i by by; NaN when it has none (no holdout, no
 * rollout). */
SLAW_API double slaw_comparison_score(const slaw_comparison *c, size_t k, size_t group,
                                      slaw_compare_by by);
/* The law with the lowest score on group i by the criterion c was made
 * with; SIZE_MAX when no law has a score. */
SLAW_API size_t slaw_comparison_best(const slaw_comparison *c, size_t group);

/* A joint fit (slaw_fit_options.shared): true, and *out gets the joint
 * problem's statistics over every group (objective, n, n_free, aic, bic,
 * sigma); false for a fit of its own.  The fit's own statistics are its
 * group's part: its runs, its share of the objective, its parameters. */
SLAW_API bool slaw_fit_joint_stats(const slaw_fit *f, slaw_fit_stats *out);
/* True when parameter i is common to every group of a joint fit. */
SLAW_API bool slaw_fit_param_shared(const slaw_fit *f, size_t i);
/* How the standard errors were computed (a sentence). */
SLAW_API const char *slaw_fit_stderr_method(const slaw_fit *f);
SLAW_API size_t slaw_fit_warning_count(const slaw_fit *f);
SLAW_API const char *slaw_fit_warning(const slaw_fit *f, size_t i);
/* The options fields warning i names, comma-separated, as slaw_error.option
 * ("fix": "hold it with fix A=VALUE", the option fix given "A=VALUE"); NULL
 * when it names none, and for a fit read from a file. */
SLAW_API const char *slaw_fit_warning_option(const slaw_fit *f, size_t i);
/* Bootstrap: the resampled parameter vectors (natural scale, n_params each)
 * that refits of resampled runs gave; 0 when the fit was not bootstrapped.
 * In a joint fit sample i of every group comes from the same resample. */
SLAW_API size_t slaw_fit_bootstrap_count(const slaw_fit *f);
SLAW_API const double *slaw_fit_bootstrap_sample(const slaw_fit *f, size_t i);
/* Resamples whose refit failed (not in the samples), and those whose warm
 * start failed but a restart from the grid succeeded. */
SLAW_API size_t slaw_fit_bootstrap_failures(const slaw_fit *f);
SLAW_API size_t slaw_fit_bootstrap_fallbacks(const slaw_fit *f);
/* Why the failed resamples failed, even restarted from the grid: they did
 * not converge, stopped with a parameter on its bound, or had no finite
 * objective (adding up to slaw_fit_bootstrap_failures). */
SLAW_API void slaw_fit_bootstrap_failed_why(const slaw_fit *f, size_t *no_convergence,
                                            size_t *pinned, size_t *non_finite);
SLAW_API double slaw_fit_bootstrap_level(const slaw_fit *f);
/* Standard error and percentile interval of parameter i (derived: of
 * derived quantity i) over the samples; false when there are none. */
SLAW_API bool slaw_fit_bootstrap_param(const slaw_fit *f, size_t i, double *se, double *lo,
                                       double *hi);
SLAW_API bool slaw_fit_bootstrap_derived(const slaw_fit *f, size_t i, double *se, double *lo,
                                         double *hi);

/* ----------------------------------------------------------------- rollout */

/* Rollout validation: for each distinct size s_i (the law's first variable:
 * x or N) in increasing order, fit on the runs with size <= s_i and predict
 * the runs of size s_{i+1}.  Opaque; free with slaw_rollout_free. */
typedef struct slaw_rollout slaw_rollout;

typedef struct slaw_rollout_step {
    double cutoff;        /* largest size fitted */
    double next;          /* the size predicted */
    size_t n_fit, n_pred; /* runs fitted, runs predicted */
    bool fitted;          /* false: too few runs so far, or the fit failed (message) */
    double male;          /* mean |ln(predicted/observed)| of the predicted runs */
    double bias;          /* mean ln(predicted/observed) (> 0: over-predicts) */
    double max_abs;       /* largest |ln(predicted/observed)| */
    char message[256];    /* why a step has no fit */
    char option[64];      /* the options fields message names, as slaw_error.option */
    bool pinned;          /* a parameter of the step's fit (of a group's) ended on a bound */
    bool undetermined;    /* a free parameter has no finite standard error */
} slaw_rollout_step;

/* One group at one step of a rollout of grouped runs: the step's fit of
 * that group and its predictions of the group's runs at the next size. */
typedef struct slaw_rollout_group_step {
    size_t step;          /* index of the step */
    const char *group;    /* belongs to the rollout */
    size_t n_fit, n_pred; /* the group's runs fitted and predicted */
    bool fitted;          /* false: the group could not be fitted (message) */
    double male, bias, max_abs;
    bool pinned, undetermined; /* as the step's */
    char message[256];
    char option[64]; /* as the step's */
} slaw_rollout_group_step;

/* Runs the rollout with opt (its filters applied once; no bootstrap or
 * holdout in the steps).  Caller owns *out.  Errors: as slaw_fit_runs, and
 * SLAW_EFIT when no step could be fitted. */
SLAW_API slaw_status slaw_rollout_runs(const slaw_runs *runs, const slaw_fit_options *opt,
                                       slaw_rollout **out, slaw_error *err);
SLAW_API void slaw_rollout_free(slaw_rollout *r);
SLAW_API size_t slaw_rollout_step_count(const slaw_rollout *r);
SLAW_API const slaw_rollout_step *slaw_rollout_step_at(const slaw_rollout *r, size_t i);
/* The size variable's column name. */
SLAW_API const char *slaw_rollout_variable(const slaw_rollout *r);
/* Grouped runs: one row per group per step, steps in order and groups in
 * group order within a step; none for ungrouped runs. */
SLAW_API size_t slaw_rollout_group_step_count(const slaw_rollout *r);
SLAW_API const slaw_rollout_group_step *slaw_rollout_group_step_at(const slaw_rollout *r, size_t i);
/* Mean of the steps' male, bias over all predicted runs, runs predicted. */
SLAW_API void slaw_rollout_summary(const slaw_rollout *r, double *mean_male, double *bias,
                                   size_t *predicted);

/* Coverage audit: each predicted run of a rollout is scored against the
 * prediction interval of the step's fit (delta method, the fit's residual
 * scale included) at each of SLAW_COVERAGE_LEVELS levels. */
#define SLAW_COVERAGE_LEVELS 4
#define SLAW_ROLLOUT_POOLED ((size_t)-1) /* as a step: every step together */

/* Nominal level i: 0.5, 0.8, 0.9, 0.95; NaN past the end. */
SLAW_API double slaw_coverage_level(size_t i);

typedef struct slaw_coverage {
    double level;        /* nominal */
    size_t n, inside;    /* runs scored, and those inside their prediction interval */
    double fraction;     /* inside / n; NaN when n = 0 */
    double ci_lo, ci_hi; /* Wilson 95% interval of fraction (binomial) */
    double mean_width;   /* mean of (hi - lo) / predicted over the intervals */
    double factor;       /* split-conformal factor: the intervals' half-widths (in the
                            fitting space) times this would hold level of the runs;
                            +inf when n < 1/(1 - level) - 1, too few runs to say */
} slaw_coverage;

/* The coverage at level i of the runs predicted at step (an index, or
 * SLAW_ROLLOUT_POOLED).  False when i or step is out of range. */
SLAW_API bool slaw_rollout_coverage(const slaw_rollout *r, size_t step, size_t i,
                                    slaw_coverage *out);

/* Calibration: stores in a the pooled coverage of r at every level, whose
 * factors slaw_forecast_at then applies to its prediction intervals
 * (pi_calibrated; method in docs/uncertainty.md).  r should come from the
 * runs and options a was fitted with.  Errors: SLAW_EFIT when r scored no
 * run. */
SLAW_API slaw_status slaw_artifact_calibrate(slaw_artifact *a, const slaw_rollout *r,
                                             slaw_error *err);
/* Rolls out runs with opt (slaw_rollout_runs) and calibrates a from it. */
SLAW_API slaw_status slaw_artifact_calibrate_runs(slaw_artifact *a, const slaw_runs *runs,
                                                  const slaw_fit_options *opt, slaw_error *err);
/* a's calibration at level i; false when a was not calibrated. */
SLAW_API bool slaw_artifact_calibration(const slaw_artifact *a, size_t i, slaw_coverage *out);

/* Holdout: the runs left out of the fit and predicted by it. */
SLAW_API size_t slaw_fit_holdout_count(const slaw_fit *f);
/* Held-out run i: vars gets x (or N and D); observed and predicted target. */
SLAW_API void slaw_fit_holdout_run(const slaw_fit *f, size_t i, double *vars, double *observed,
                                   double *predicted);
/* Mean |ln(predicted/observed)|, its signed mean (bias: > 0 over-predicts)
 * and its largest absolute value; false when nothing was held out. */
SLAW_API bool slaw_fit_holdout_errors(const slaw_fit *f, double *male, double *bias,
                                      double *max_abs);

/* The range of variable v (0: x or N, 1: D; v = slaw_law_var_count: the
 * target) in the runs used; the column name of variable v. */
SLAW_API void slaw_fit_data_range(const slaw_fit *f, size_t v, double *min, double *max);
SLAW_API const char *slaw_fit_variable(const slaw_fit *f, size_t v);
/* Laws that read N and D: the range of C = 6·N·D over the runs used; false
 * for other laws, and where it is not known (published parameters; a fit
 * file keeps it for laws of exactly N and D). */
SLAW_API bool slaw_fit_compute_range(const slaw_fit *f, double *min, double *max);
/* The fitted law at one point (vars: x, or N and D). */
SLAW_API double slaw_fit_predict(const slaw_fit *f, const double *vars);

/* ------------------------------------------------------------------- expect */

/* The small languages of slaw check's criteria (docs/ci.md).  Values go
 * through slaw_number_parse, so "1.3B" and "1_000" work; blanks around the
 * parts are ignored.
 *
 *   tolerances (--tol, --rtol, --sigma):   NAME=V   NAME=V%   *=V   V (= *=V)
 *   expectations (--expect):               NAME=V±T (or +-, +/-; T may be T%)
 *                                          NAME in [LO,HI]
 *                                          NAME>V  NAME>=V  NAME<V  NAME<=V
 *   points (--forecast):                   N=7B,D=140B (laws of N and D)
 *                                          x=1e10 or N=1e10 (one-variable laws)
 *
 * NAME is a natural parameter name ("alpha") or a derived quantity ("a");
 * the parsers check only its shape, slaw_check_validate its meaning. */

#define SLAW_EXPECT_NAME_MAX 64

typedef enum slaw_expect_form {
    SLAW_EXPECT_TOLERANCE = 0, /* NAME=V: a change of at most V */
    SLAW_EXPECT_PERCENT,       /* NAME=V%: a change of at most V percent */
    SLAW_EXPECT_NEAR,          /* NAME=V±T */
    SLAW_EXPECT_RANGE,         /* NAME in [LO,HI] */
    SLAW_EXPECT_GT,            /* NAME>V */
    SLAW_EXPECT_GE,            /* NAME>=V */
    SLAW_EXPECT_LT,            /* NAME<V */
    SLAW_EXPECT_LE             /* NAME<=V */
} slaw_expect_form;

typedef struct slaw_expect {
    char name[SLAW_EXPECT_NAME_MAX]; /* a parameter or derived name; "*" = every parameter */
    slaw_expect_form form;
    double value;  /* TOLERANCE: V; PERCENT: V/100; NEAR: V; GT..LE: V; RANGE: LO */
    double tol;    /* NEAR: T (as an absolute width, T% already applied) */
    double lo, hi; /* expectations: a value x passes when lo <= x <= hi (infinite
                      when open), with lo < x for GT and x < hi for LT */
} slaw_expect;

/* Parses a tolerance.  Errors: SLAW_EUSAGE with a message that quotes the
 * spec and names the problem ("'alpha=-1': a tolerance cannot be
 * negative").  *out is set only on success. */
SLAW_API slaw_status slaw_expect_parse_tolerance(const char *text, slaw_expect *out,
                                                 slaw_error *err);

/* Parses an expectation (forms NEAR to LE).  Errors as above. */
SLAW_API slaw_status slaw_expect_parse(const char *text, slaw_expect *out, slaw_error *err);

/* Parses a point of law's variables into vars (x; or N and D), each given
 * once and positive.  Errors: SLAW_EUSAGE naming the problem. */
SLAW_API slaw_status slaw_expect_parse_point(const slaw_law *law, const char *text, double *vars,
                                             slaw_error *err);

/* -------------------------------------------------------------------- check */

/* A set of criteria that a new fit is judged by, against a baseline fit or
 * on its own: the regression gate of `slaw check`.  Opaque; criteria are
 * listed in the verdict in the order they were added. */
typedef struct slaw_check slaw_check;

/* A new, empty set of criteria (only fit health is judged).  Caller owns
 * it; free with slaw_check_free.  NULL when out of memory. */
SLAW_API slaw_check *slaw_check_new(void);
SLAW_API void slaw_check_free(slaw_check *c);

/* Adds criteria from specs (see "expect" above).  tol: the absolute change
 * of a quantity may not exceed V (NAME=V% is a relative tolerance, as with
 * rtol); rtol: the change relative to |baseline| may not exceed V% (or a
 * plain fraction up to 1); sigma: the change may not exceed V combined
 * standard errors sqrt(se_base² + se_now²), bootstrap ones when both fits
 * have samples ("3" alone = "*=3"); expect: the new value must satisfy the
 * expectation; forecast: the predicted target at the point (e.g.
 * "N=7B,D=140B") may not be worse, i.e. higher, than the baseline's by
 * more than the forecast tolerance.  "*" means every parameter that is not
 * fixed.  Errors: SLAW_EUSAGE for a malformed spec, SLAW_ENOMEM. */
SLAW_API slaw_status slaw_check_add_tol(slaw_check *c, const char *spec, slaw_error *err);
SLAW_API slaw_status slaw_check_add_rtol(slaw_check *c, const char *spec, slaw_error *err);
SLAW_API slaw_status slaw_check_add_sigma(slaw_check *c, const char *spec, slaw_error *err);
SLAW_API slaw_status slaw_check_add_expect(slaw_check *c, const char *spec, slaw_error *err);
SLAW_API slaw_status slaw_check_add_forecast(slaw_check *c, const char *point, slaw_error *err);

#define SLAW_CHECK_FORECAST_TOL 0.02 /* the default forecast tolerance */

/* The forecast tolerance, relative: tol is a fraction ("0.02") or a
 * percentage ("2%"), as slaw_number_parse reads it; NULL keeps the current
 * one (SLAW_CHECK_FORECAST_TOL at first).  two_sided makes a forecast that
 * got better by more than it fail too.  Errors: SLAW_EUSAGE for a tol that
 * is not a non-negative number, or a fraction above 1 without '%' ("5" would
 * be 500%, surely a typo for 5%; as for slaw_check_add_rtol); nothing is
 * changed then. */
SLAW_API slaw_status slaw_check_set_forecast_tol(slaw_check *c, const char *tol, bool two_sided,
                                                 slaw_error *err);
/* Warnings of the new fit (pinned parameters, an optimum reached from one
 * start, ...) fail the fit-health row unless allowed. */
SLAW_API void slaw_check_allow_warnings(slaw_check *c, bool allow);
/* Bootstrap resamples that could not be refitted fail the fit-health row
 * only when they are more than this fraction of the resamples (default
 * SLAW_CHECK_MAX_FAILED_RESAMPLES); below it their warning is reported but
 * does not count.  Errors: SLAW_EUSAGE unless 0 <= fraction <= 1. */
#define SLAW_CHECK_MAX_FAILED_RESAMPLES 0.02
SLAW_API slaw_status slaw_check_max_failed_resamples(slaw_check *c, double fraction,
                                                     slaw_error *err);

/* Criteria added (fit health not counted); whether any needs a baseline. */
SLAW_API size_t slaw_check_count(const slaw_check *c);
SLAW_API bool slaw_check_needs_baseline(const slaw_check *c);
/* Whether a criterion asserts coverage(LEVEL): the new fit must then be
 * calibrated (slaw_artifact_calibrate) before slaw_check_run. */
SLAW_API bool slaw_check_needs_calibration(const slaw_check *c);

/* Checks that every criterion makes sense for law: names are parameters or
 * derived quantities of it, forecast points name its variables, and a
 * baseline is there (has_baseline) where one is needed.  Errors:
 * SLAW_EUSAGE naming the criterion and what would be valid. */
SLAW_API slaw_status slaw_check_validate(const slaw_check *c, const slaw_law *law,
                                         bool has_baseline, slaw_error *err);

/* What a verdict row judged. */
typedef enum slaw_criterion {
    SLAW_CRITERION_FIT = 0, /* fit health: the new fit has no warnings */
    SLAW_CRITERION_GROUP,   /* a group of runs is in both fits */
    SLAW_CRITERION_TOL,     /* absolute change */
    SLAW_CRITERION_RTOL,    /* relative change */
    SLAW_CRITERION_SIGMA,   /* change in combined standard errors */
    SLAW_CRITERION_EXPECT,  /* an assertion on the new value */
    SLAW_CRITERION_FORECAST /* the predicted target at a point */
} slaw_criterion;

/* "fit", "group", "tol", "rtol", "sigma", "expect", "forecast". */
SLAW_API const char *slaw_criterion_name(slaw_criterion criterion);

/* One criterion judged on one group.  Strings belong to the verdict. */
typedef struct slaw_verdict_row {
    slaw_criterion criterion;
    const char *group;       /* the group; NULL for an ungrouped fit */
    const char *label;       /* for tables: "tol alpha", "forecast N=7B,D=140B", "fit health" */
    const char *subject;     /* the quantity or point: "alpha", "N=7B,D=140B"; "" for fit, group */
    double baseline, now;    /* the quantity in the baseline and now (fit: warning
                                counts); NaN where there is none */
    double change;           /* now - baseline; rtol and forecast: relative to |baseline|;
                                NaN where there is none */
    double limit;            /* the largest change allowed, in change's units; NaN
                                when the limit is not one number (expect, fit, group) */
    const char *change_text; /* change as shown: "+0.0128", "+2.01%" ("" when none) */
    const char *limit_text;  /* "+-0.01", "+-5%", "3 sigma = 0.034", "in [0.3, 0.4]", "+2%" */
    bool pass;
    const char *message; /* one line for people, e.g. "forecast N=7B,D=140B: loss
                            2.41 -> 2.46 (+2.01%), limit +2%: FAIL (worse)" */
} slaw_verdict_row;

/* The judgement: one row per criterion per group. */
typedef struct slaw_verdict slaw_verdict;

/* Judges now (a fit artifact) by the criteria, against baseline (NULL when
 * there is none).  Groups are matched by name; a group on one side only is
 * a failing row.  Caller owns *out; free with slaw_verdict_free.  Errors:
 * SLAW_EUSAGE as slaw_check_validate, SLAW_EINPUT when the two fit
 * different laws, SLAW_ENOMEM. */
SLAW_API slaw_status slaw_check_run(const slaw_check *c, const slaw_artifact *baseline,
                                    const slaw_artifact *now, slaw_verdict **out, slaw_error *err);

SLAW_API void slaw_verdict_free(slaw_verdict *v);
SLAW_API size_t slaw_verdict_count(const slaw_verdict *v);
/* Row i (NULL past the end); it lives as long as the verdict. */
SLAW_API const slaw_verdict_row *slaw_verdict_get(const slaw_verdict *v, size_t i);
/* Rows that failed; the verdict passes when there are none. */
SLAW_API size_t slaw_verdict_failures(const slaw_verdict *v);

/* ----------------------------------------------------------------- forecast */

typedef struct slaw_forecast_options {
    double level;                  /* of every interval, in (0, 1); init: 0.95 */
    slaw_space space;              /* the space of the fit's residual scale (sigma),
                                      in which a new run's noise is added */
    slaw_interval_method method;   /* SLAW_INTERVAL_AUTO (the fit's own), _T, _BOOTSTRAP or
                                      _DELTA */
    const struct slaw_point *held; /* values of the variables a compute budget does not
                                      set (the unique tokens U, a formula's other
                                      columns), for optima and targets, and of those a
                                      point leaves out; NULL: none (borrowed) */
    double flops_per_token;        /* the compute model of a point's C (shown, and its
                                      distance from the data): flops_per_token·D when
                                      > 0, else 6·N·D (slaw_compute_flops).  A fixed
                                      count per token fixes D alone under a budget, so
                                      optima and targets refuse it, as does a law that
                                      reads C (fitted with 6·N·D); init: 0 */
} slaw_forecast_options;

/* Sets the defaults for forecasting from a's fits: level 0.95, automatic
 * intervals, and the space a was fitted in (a may be NULL: log space). */
SLAW_API void slaw_forecast_options_init(slaw_forecast_options *opt, const slaw_artifact *a);

/* A value with an interval.  lo and hi are NaN when there is no interval,
 * and hi is +inf when the interval is unbounded (e.g. a target that some
 * bootstrap samples never reach). */
typedef struct slaw_estimate {
    double value, lo, hi;
} slaw_estimate;

#define SLAW_POINT_NAME 64 /* the longest column name a point may give, with its NUL */

/* A point at which to forecast, as written in "N=70B,D=1.4T": the value of
 * each role (slaw_role_symbol; x for a one-variable law's variable, L for
 * the loss as an input) is NaN unless given, and a formula's variables that
 * name columns are given by name.  C = 6·N·D, M = D/N and R = D/U - 1 relate
 * the roles (slaw_compute_*). */
typedef struct slaw_point {
    double N, D, C, x;
    double U;              /* unique tokens */
    double M, R, S, B, LR; /* tokens per parameter, repetitions, steps, batch, learning rate */
    double L;              /* the loss, as a downstream law's input */
    size_t n_named;        /* a formula's variables given by column name: */
    char name[SLAW_MAX_VARS][SLAW_POINT_NAME];
    double named[SLAW_MAX_VARS];
} slaw_point;

/* Every value NaN, no names. */
SLAW_API void slaw_point_init(slaw_point *p);
/* The value of role in p (NaN: not given, or a role a point has no value of). */
SLAW_API double slaw_point_role(const slaw_point *p, slaw_role role);

/* Parses "NAME=VALUE,..." with NAME a role (N, D, C, U, M, R, S, B, LR, L
 * or x, either case) or a formula's column name, and VALUE a number as
 * slaw_number_parse reads it ("70B", "1.4T"): positive for N, D, C, U, M,
 * S, B and LR; any finite number for the others (a formula may take them
 * there; slaw_point_resolve refuses what a law cannot).  Blanks around
 * names and values are ignored; each name at most once.  Errors:
 * SLAW_EUSAGE with a message naming the item and the problem (err->column
 * is its 1-based position in spec). */
SLAW_API slaw_status slaw_point_parse(const char *spec, slaw_point *out, slaw_error *err);

/* The law's variables at a point: x (from x, or from N) for one-variable
 * laws; N and D for laws of N and D, from any two of N, D and C through
 * C = 6·N·D.  vars has slaw_law_var_count(law) entries.  Errors:
 * SLAW_EUSAGE for a variable the law does not read, too few or too many,
 * or a derived value that is not a positive finite number. */
SLAW_API slaw_status slaw_point_resolve(const slaw_law *law, const slaw_point *p, double *vars,
                                        slaw_error *err);
/* As slaw_point_resolve, for fit f of artifact a: a one-variable law takes
 * x, or the letter (N, D or C) of the role its variable's column played when
 * fitting (N for the default; C for a fit made with --x C); other letters are
 * refused with a message naming the fitted variable, and a fit on a column
 * that played no role takes x only.  Laws of N and D as slaw_point_resolve. */
SLAW_API slaw_status slaw_point_resolve_fit(const slaw_artifact *a, const slaw_fit *f,
                                            const slaw_point *p, double *vars, slaw_error *err);
/* As slaw_point_resolve_fit, with N or D derived from C through the compute
 * model: flops_per_token·D when flops_per_token > 0 (then C and D say
 * nothing of N: refused), else 6·N·D.  Errors as slaw_point_resolve_fit, and
 * SLAW_EUSAGE naming flops_per_token for a law that reads C (its fit took
 * C = 6·N·D) or a negative count. */
SLAW_API slaw_status slaw_point_resolve_model(const slaw_artifact *a, const slaw_fit *f,
                                              const slaw_point *p, double flops_per_token,
                                              double *vars, slaw_error *err);

/* How far a point lies outside the fitted data (above the largest or below
 * the smallest value), in decades, per variable of the law in its order
 * (x; N, D; N, D, U; C, M; a formula's), then C = 6·N·D for a law that
 * reads N and D but not C: chinchilla's [0] N, [1] D, [2] C.  0 inside the
 * range; NaN past the law's entries, where there are no data (published
 * parameters), and for a variable whose data are not all positive. */
typedef struct slaw_extrapolation {
    double decades[SLAW_MAX_VARS + 1];
} slaw_extrapolation;

/* The largest of the decades (NaN entries ignored; 0 when none). */
SLAW_API double slaw_extrapolation_max(const slaw_extrapolation *e);
/* How many entries a slaw_extrapolation of f has, and the name of entry k:
 * the variable's role symbol (a one-variable fit: its column, a formula: its
 * name), or "C".  NULL past the last. */
SLAW_API size_t slaw_extrapolation_count(const slaw_fit *f);
SLAW_API const char *slaw_extrapolation_name(const slaw_fit *f, size_t k);

typedef struct slaw_forecast {
    double N, D, C;             /* the point, laws with a compute budget (N and D, or two
                                   of N, D, C, M: gadre's C and M); C through the compute
                                   model (opt's flops_per_token) unless the law reads it;
                                   NaN otherwise (C alone for a law that reads C only) */
    double x;                   /* the point, one-variable laws (NaN otherwise) */
    double vars[SLAW_MAX_VARS]; /* the law's variables at the point, in its order */
    slaw_estimate y;            /* the law's value; the interval is the curve's */
    double pi_lo, pi_hi;        /* prediction interval of one new run: the curve's
                                   uncertainty and the residual scale sigma */
    double pic_lo, pic_hi;      /* the delta-method prediction interval widened by the
                                   artifact's calibration factor at this level; NaN
                                   when there is none (slaw_artifact_calibrate) */
    double level;
    slaw_interval_method method;
    size_t samples; /* bootstrap samples the intervals rest on */
    slaw_extrapolation beyond;
} slaw_forecast;

/* The fitted law at vars (x, or N and D) with intervals: percentiles of the
 * law over the bootstrap samples, or the delta method (numerical gradient,
 * natural-scale covariance; built on ln y in log space).  The prediction
 * interval adds a new run's noise, normal with the fit's sigma in opt's
 * space.  opt may be NULL (defaults, log space).  Fills *out.  Errors:
 * SLAW_EUSAGE (a variable that is not positive and finite, a level outside
 * (0, 1), bootstrap intervals asked of a fit without samples), SLAW_EINPUT
 * (the law's value there overflows or underflows a double). */
SLAW_API slaw_status slaw_forecast_at(const slaw_fit *f, const double *vars,
                                      const slaw_forecast_options *opt, slaw_forecast *out,
                                      slaw_error *err);

/* Whether the law has a compute budget to share between N and D: it reads
 * N and D, or two of N, D, C, M = D/N and R = D/U - 1 of which one moves
 * with the split (gadre's C and M).  A law without one (a power law of x, a
 * downstream law of the loss) has no compute-optimal allocation. */
SLAW_API bool slaw_law_has_budget(const slaw_law *law);
/* The name of the first variable of law that a compute budget does not set
 * and held (may be NULL) does not give (muennighoff's unique tokens U, a
 * formula's other column), or NULL when there is none. */
SLAW_API const char *slaw_budget_missing(const slaw_law *law, const slaw_point *held);
/* Sets the value of name (a role's symbol or a column's name) in p, as
 * slaw_point_parse would from "name=value" (without its checks of the
 * value).  Errors: SLAW_EUSAGE (a name given twice, not a name). */
SLAW_API slaw_status slaw_point_set(slaw_point *p, const char *name, double value, slaw_error *err);
/* Fills the values p does not give from defaults: U, R, S, B, LR, L and
 * named columns (not N, D, C, M or x, which place the point itself). */
SLAW_API void slaw_point_fill(slaw_point *p, const slaw_point *defaults);

/* The compute-optimal allocation at a budget C = 6·N·D (laws with a budget;
 * variables it does not set held at opt->held). */
typedef struct slaw_optimum {
    double C;
    slaw_estimate N, D;  /* N* and D* */
    slaw_estimate ratio; /* D* / N*, tokens per parameter */
    slaw_estimate L;     /* the law at (N*, D*): the least loss for C */
    double pi_lo, pi_hi; /* prediction interval of L for one new run */
    double level;
    slaw_interval_method method;
    size_t samples;
    bool closed_form; /* from the law's closed form, else a 1-D minimisation */
    slaw_extrapolation beyond;
} slaw_optimum;

/* Minimises the law along the budget C = 6·N·D: in closed form where the
 * law has one and nothing is held (chinchilla: G = (alpha A/(beta
 * B))^(1/(alpha+beta)), N* = G (C/6)^(beta/(alpha+beta)),
 * D* = (C/6)^(alpha/(alpha+beta)) / G), else by a bracketed 1-D
 * minimisation over ln N (GSL's Brent minimiser, polished as the root of
 * the slope), the law's other variables held at opt->held.  Intervals as
 * for slaw_forecast_at, from the optimum of each sample.  Fills *out.
 * Errors: SLAW_EUSAGE (a law without a budget, a variable the budget does
 * not set and opt->held does not give, C not positive and finite, options
 * as above), SLAW_EINPUT (the fitted law has no interior minimum at C). */
SLAW_API slaw_status slaw_optimal_compute(const slaw_fit *f, double C,
                                          const slaw_forecast_options *opt, slaw_optimum *out,
                                          slaw_error *err);

/* A law fed by another: the first law's value at vars (a loss), then the
 * second law, of one variable, at that value (a downstream metric).  The
 * intervals are percentiles over the fits' bootstrap samples taken in pairs
 * (sample k of one with sample k of the other: the fits' resamples are
 * independent, so any one-to-one pairing draws from their joint bootstrap
 * distribution, and pairing by index keeps the answer deterministic), or
 * the delta method in log scale through both fits' covariances, taken as
 * independent:
 *   Var(ln y) = g2' S2 g2 + (d ln y/d ln L)^2 g1' S1 g1,
 * g1 = d ln L/d theta1 and g2 = d ln y/d theta2 (natural parameters), with
 * normal quantiles. */
typedef struct slaw_chain_forecast {
    double N, D, C;             /* the point's sizes and compute, for a first law with a
                                   compute budget (gadre's from its C and M); else NaN */
    slaw_estimate loss;         /* the first law at vars, with its own interval */
    slaw_estimate y;            /* the second law at that loss, through both fits */
    double slope;               /* d ln y / d ln L at the loss */
    double se_ln_loss, se_ln_y; /* delta method: standard errors in log scale (NaN:
                                   undetermined, or bootstrap intervals) */
    double level;
    slaw_interval_method method; /* SLAW_INTERVAL_BOOTSTRAP or SLAW_INTERVAL_DELTA */
    size_t samples;              /* bootstrap: the pairs used */
} slaw_chain_forecast;

/* opt (may be NULL: 0.95, automatic) gives the level and the method:
 * automatic takes bootstrap when the first fit's own method is bootstrap
 * and both fits have samples, else the delta method; T is taken as DELTA.
 * Errors: SLAW_EUSAGE (a second law of more than one variable, a level
 * outside (0, 1), a point that is not positive, bootstrap asked when a fit
 * has no samples), SLAW_EINPUT (no finite value), SLAW_ENOMEM. */
SLAW_API slaw_status slaw_forecast_chain(const slaw_fit *first, const slaw_fit *then,
                                         const double *vars, const slaw_forecast_options *opt,
                                         slaw_chain_forecast *out, slaw_error *err);

/* What it takes to reach a target value of the law. */
typedef struct slaw_target {
    double target;
    bool reachable;        /* false: the target lies at or beyond a limit of the law */
    double floor;          /* the law's limit as the variables grow without bound
                              (chinchilla: E); one-variable laws: the lower of the
                              limits at x -> 0 and x -> infinity */
    double ceiling;        /* the upper of those limits (+inf for laws of N and D);
                              both NaN for a formula's signed variable (x centred at
                              0, ln LR), sought in x itself from -1e300 to 1e300 */
    slaw_estimate C, N, D; /* laws of N and D: the least compute reaching the
                              target and its allocation N*, D* (NaN otherwise) */
    slaw_estimate x;       /* one-variable laws: the x at which the law equals
                              the target (NaN otherwise) */
    double level;
    slaw_interval_method method;
    size_t samples;
    size_t unreachable; /* bootstrap samples that never reach the target */
    slaw_extrapolation beyond;
} slaw_target;

/* Inverts the law: laws of N and D give the smallest budget C whose optimum
 * reaches target (and N*, D* there); one-variable laws give the x at which
 * the law equals target.  A target at or below the floor (or at or above
 * the ceiling) is not an error: *out says reachable = false, with the
 * limits, and no numbers.  Inverses return the point they came from: for a
 * one-variable law the x for the forecast at x is x, and for a law of N and
 * D the least compute for the loss of the optimum at C is C (with its N*,
 * D*).  Fills *out (only when the status is SLAW_OK).  Errors:
 * SLAW_EUSAGE (target not positive and finite, options as above),
 * SLAW_EINPUT (a reachable target whose answer lies beyond 1e300, or one
 * the optimum at the least budget searched, 600 FLOPs, already reaches).
 * Bootstrap samples that reach the target already there count as 600 FLOPs
 * (and their N*, D*) in the intervals. */
SLAW_API slaw_status slaw_optimal_target(const slaw_fit *f, double target,
                                         const slaw_forecast_options *opt, slaw_target *out,
                                         slaw_error *err);

/* --------------------------------------------------------------------- plan */

/* Which run to train next: the expected shrinkage of a target's confidence
 * interval when a candidate run is added to the fit, from the linearised
 * information the run adds at the fitted parameters (Sherman-Morrison on
 * the covariance: Σ' = Σ - Σ j jᵀ Σ / (σ² + jᵀ Σ j), j the gradient of the
 * run's prediction in the fitting space), averaged over the bootstrap
 * samples when the fit has them (docs/uncertainty.md). */
typedef enum slaw_plan_kind {
    SLAW_PLAN_POINT = 0, /* the law at vars */
    SLAW_PLAN_OPTIMUM,   /* the least loss at compute C (laws of N and D) */
    SLAW_PLAN_COMPUTE    /* the compute (or x) needed to reach loss */
} slaw_plan_kind;

typedef struct slaw_plan_target {
    slaw_plan_kind kind;
    double vars[SLAW_MAX_VARS]; /* POINT: the law's variables (x; N and D; ...) */
    double C;                   /* OPTIMUM */
    double loss;                /* COMPUTE */
} slaw_plan_target;

typedef struct slaw_plan_run {
    double vars[SLAW_MAX_VARS]; /* in: the law's variables (x; N and D; ...) */
    double cost;                /* in: positive, in the caller's unit (FLOPs, GPU-hours) */
    double shrink; /* out: expected fraction of the target's CI width removed by adding it */
    double value;  /* out: shrink / cost */
} slaw_plan_run;

typedef struct slaw_plan_summary {
    double value, lo, hi; /* the target at the fit and its delta-method CI now */
    double level;
    size_t samples;              /* bootstrap samples averaged over (0: the fit alone) */
    slaw_interval_method method; /* the CI's quantile: T (Student's t on the fit's degrees
                                    of freedom, as its forecasts take it) or DELTA (normal) */
} slaw_plan_summary;

/* Fills shrink and value of each of the n runs, and *out, at opt's level
 * and in opt's space (slaw_forecast_options_init with the fit's artifact;
 * NULL: 0.95, log space).  Errors: SLAW_EUSAGE (a target or run that is not positive and
 * finite, a target kind the law has no answer for), SLAW_EINPUT (the fit has
 * no answer at the target, or no covariance), SLAW_ENOMEM. */
SLAW_API slaw_status slaw_plan_rank(const slaw_fit *f, const slaw_plan_target *t,
                                    const slaw_forecast_options *opt, slaw_plan_run *runs, size_t n,
                                    slaw_plan_summary *out, slaw_error *err);
/* Greedy choice of at most k runs of total cost <= budget: each step adds,
 * among the runs the budget left still affords, the one that removes the
 * most CI width given the runs already chosen (the most per unit of cost
 * would spend the budget on the cheapest runs, which teach the least).  chosen (k entries) gets
 * their indices in order, *n_chosen their count, shrink (k entries) the cumulative fraction of the
 * width removed after each.  Errors as slaw_plan_rank. */
SLAW_API slaw_status slaw_plan_greedy(const slaw_fit *f, const slaw_plan_target *t,
                                      const slaw_forecast_options *opt, const slaw_plan_run *runs,
                                      size_t n, double budget, size_t k, size_t *chosen,
                                      size_t *n_chosen, double *shrink, slaw_error *err);

/* ---------------------------------------------------------------------- gain */

/* The compute-equivalent gain of one group of a grouped fit over another
 * (the baseline): the factor k by which the baseline's compute must grow to
 * reach the group's loss.  k > 1: the group is better. */
typedef struct slaw_gain {
    const char *group, *baseline; /* belong to the artifact */
    double C;                     /* the budget; for a point of N and D its 6·N·D */
    slaw_estimate gain;           /* k; +inf when the baseline never reaches the loss */
    double p_above_1;             /* P(k > 1): the share of bootstrap samples, or from the
                                     delta method's normal ln k; NaN without an interval */
    double level;
    slaw_interval_method method;
    size_t samples; /* bootstrap samples k rests on */
} slaw_gain;

/* k at budget C (vars NULL: the group's compute-optimal loss at C; laws of N
 * and D), or at a point vars (x, or N and D: the group's loss there, against
 * the least compute (x) of the baseline that reaches it, over 6·N·D (x)).
 * Intervals: percentiles over the two fits' bootstrap samples taken in
 * pairs, or the delta method on ln k with both groups' parameters (their
 * joint covariance for a joint fit, else independent).  Fills *out.
 * Errors: SLAW_EUSAGE (an unknown group, C or a variable not positive, a
 * one-variable law without a point, options as slaw_forecast_at),
 * SLAW_EINPUT (no optimum at C, or k cannot be computed there). */
SLAW_API slaw_status slaw_gain_at(const slaw_artifact *a, const char *baseline, const char *group,
                                  const double *vars, double C, const slaw_forecast_options *opt,
                                  slaw_gain *out, slaw_error *err);
/* True when k at the fitted values is the same at C/100, C and 100·C (to
 * 1e-6): the case of shared exponents and floor. */
SLAW_API bool slaw_gain_constant(const slaw_artifact *a, const char *baseline, const char *group,
                                 double C);

/* --------------------------------------------------------------------- cost */

/* An accelerator of the built-in table (docs/forecasting.md cites the
 * datasheets): static, never freed. */
typedef struct slaw_accelerator {
    const char *name;        /* "h100-sxm" */
    const char *description; /* "NVIDIA H100 SXM5" */
    double peak_flops;       /* peak dense BF16 FLOP/s */
    const char *source;      /* where the figure comes from */
} slaw_accelerator;

SLAW_API size_t slaw_accelerator_count(void);
SLAW_API const slaw_accelerator *slaw_accelerator_at(size_t i);
/* By name, ignoring case; NULL when there is none. */
SLAW_API const slaw_accelerator *slaw_accelerator_find(const char *name);

typedef struct slaw_cost_options {
    double flops_per_token;    /* training FLOPs per token; 0 = 6·N */
    double peak_flops;         /* of one accelerator, FLOP/s; 0 = unknown (no time) */
    double mfu;                /* model FLOPs utilisation in (0, 1]; init: 0.4 (0 too) */
    double gpus;               /* accelerators in parallel; init: 1 (0 too) */
    double price_per_gpu_hour; /* 0 = no price */
} slaw_cost_options;

SLAW_API void slaw_cost_options_init(slaw_cost_options *opt);

typedef struct slaw_cost {
    double flops;     /* training FLOPs */
    double gpu_hours; /* flops / (peak · mfu) / 3600; NaN without a peak */
    double seconds;   /* wall-clock time on opt->gpus accelerators; NaN without a peak */
    double price;     /* gpu_hours · price per GPU-hour; NaN without a price */
} slaw_cost;

/* Training FLOPs of a model of N parameters on D tokens: 6·N·D, or
 * flops_per_token·D when flops_per_token > 0. */
SLAW_API double slaw_cost_flops(double N, double D, double flops_per_token);

/* A training run from what is known of it: N and D, or C with N, D or
 * neither.  What is not known is NaN. */
typedef struct slaw_cost_run {
    double N, D;            /* the one of them not given follows from C (C = 6·N·D);
                               NaN when C alone was given */
    double flops;           /* the training FLOPs */
    const char *flops_rule; /* how: "6*N*D", "flops-per-token*D" or "given" (static) */
} slaw_cost_run;

/* Fills *out from N, D and C (NaN for each not given; those given must be
 * positive), with slaw_cost_flops for N and D.  Errors: SLAW_EUSAGE for N,
 * D and C all given, C with flops_per_token (which counts FLOPs from D),
 * neither C nor both N and D, or a value that is not positive. */
SLAW_API slaw_status slaw_cost_run_resolve(double N, double D, double C, double flops_per_token,
                                           slaw_cost_run *out, slaw_error *err);

/* Time, GPU-hours and price of flops training FLOPs.  Fills *out.  Errors:
 * SLAW_EUSAGE naming the option that is out of range (flops, peak, mfu,
 * gpus, price). */
SLAW_API slaw_status slaw_cost_estimate(double flops, const slaw_cost_options *opt, slaw_cost *out,
                                        slaw_error *err);

/* ------------------------------------------------------------------ isoflop */

/* Hoffmann et al.'s Approach 2: per compute budget, a parabola of loss
 * against ln N whose minimum is that budget's N*; then N* ∝ C^a and
 * D* ∝ C^b across budgets.  Opaque; free with slaw_isoflop_free. */
typedef struct slaw_isoflop slaw_isoflop;

typedef struct slaw_isoflop_options {
    const char *budget; /* column naming each run's budget; NULL = bin C */
    double bin;         /* binning C: runs within this relative distance of a bin's
                           smallest C share it; 0 = 0.1 */
    double level;       /* of the intervals, in (0, 1); init: 0.95 */
} slaw_isoflop_options;

SLAW_API void slaw_isoflop_options_init(slaw_isoflop_options *opt);

typedef struct slaw_isoflop_budget {
    const char *label; /* the budget column's value, or the binned C as text */
    double C;          /* the budget (binned: geometric mean of its runs' C) */
    size_t runs;
    bool used;           /* false: refused (see refused) and left out of the fits */
    const char *refused; /* why it was left out; NULL when used */
    slaw_estimate N;     /* N* = exp(-b1/(2 b2)) of the parabola L = b0 + b1 u + b2 u²,
                            u = ln N; the interval from the parabola's covariance */
    slaw_estimate D;     /* D* = C / (6 N*) */
    double L;            /* the parabola's minimum */
} slaw_isoflop_budget;

typedef struct slaw_isoflop_exponent {
    slaw_estimate exponent; /* a (N* ∝ C^a) or b (D* ∝ C^b), interval from the fit */
    double se;
    double coefficient; /* k in N* = k C^a */
    size_t budgets;     /* budgets in the fit */
} slaw_isoflop_exponent;

/* Groups the runs (N and C, or N and D) by budget, fits one parabola per
 * budget with at least 3 runs and an interior minimum, and the exponents
 * across the budgets used.  Caller owns *out.  Errors: SLAW_EUSAGE (no N
 * or C, an unknown --budget column, bin or level out of range), SLAW_EFIT
 * (fewer than 2 usable budgets: the reasons are in the message). */
SLAW_API slaw_status slaw_isoflop_run(const slaw_runs *runs, const slaw_isoflop_options *opt,
                                      slaw_isoflop **out, slaw_error *err);
SLAW_API void slaw_isoflop_free(slaw_isoflop *r);
SLAW_API double slaw_isoflop_level(const slaw_isoflop *r);
SLAW_API size_t slaw_isoflop_budget_count(const slaw_isoflop *r);
/* Budget i in increasing C; belongs to r. */
SLAW_API const slaw_isoflop_budget *slaw_isoflop_budget_at(const slaw_isoflop *r, size_t i);
/* b2 of budget i's parabola L = b0 + b1 u + b2 u² (u = ln N), so that
 * L = L* + b2 (u - ln N*)²; NaN for a refused budget or i out of range. */
SLAW_API double slaw_isoflop_budget_curvature(const slaw_isoflop *r, size_t i);
/* The budget (i of slaw_isoflop_budget_at) of run `run` of the runs
 * analysed; SIZE_MAX for a run index out of range. */
SLAW_API size_t slaw_isoflop_run_budget(const slaw_isoflop *r, size_t run);
/* a of N* ∝ C^a, and b of D* ∝ C^b. */
SLAW_API const slaw_isoflop_exponent *slaw_isoflop_n_exponent(const slaw_isoflop *r);
SLAW_API const slaw_isoflop_exponent *slaw_isoflop_d_exponent(const slaw_isoflop *r);

/* --------------------------------------------------------------------- plot */

/* Pictures of fits as gnuplot scripts (docs/plots.md).  The library writes
 * a complete script with the data inline; running gnuplot on it is the
 * caller's business (`slaw plot` pipes it to gnuplot). */

typedef enum slaw_plot_kind {
    SLAW_PLOT_FIT = 0,          /* the target against N (or x): runs, fitted curves, bands */
    SLAW_PLOT_RESIDUALS,        /* ln(predicted/observed) against N (or x); held-out runs marked */
    SLAW_PLOT_FRONTIER,         /* compute-optimal N*(C) and D*(C) with intervals, and the runs */
    SLAW_PLOT_ISOFLOP,          /* loss against N per compute budget: parabolas and minima */
    SLAW_PLOT_CHECK,            /* a baseline's curve and a new fit's, and forecasts at points */
    SLAW_PLOT_COMPUTE,          /* the target against C = 6ND: runs, and curves along N at each D */
    SLAW_PLOT_TOKENS_PER_PARAM, /* the target against N: curves at constant D/N */
    SLAW_PLOT_PLAN              /* candidate runs on the (N, D) plane coloured by slaw_plan_rank's
                                   value, the best set within the budget, the fit's runs */
} slaw_plot_kind;

/* "fit", "residuals", "frontier", "isoflop", "check", "compute", "tokens-per-param",
 * "plan". */
SLAW_API const char *slaw_plot_kind_name(slaw_plot_kind kind);
/* The kind of that name; false when there is none. */
SLAW_API bool slaw_plot_kind_parse(const char *name, slaw_plot_kind *out);

typedef enum slaw_plot_format {
    SLAW_PLOT_PNG = 0, /* gnuplot's pngcairo terminal */
    SLAW_PLOT_SVG,     /* svg */
    SLAW_PLOT_PDF      /* pdfcairo */
} slaw_plot_format;

/* The format a file name's extension asks for (.png, .svg, .pdf, any
 * case); false for any other name. */
SLAW_API bool slaw_plot_format_of(const char *path, slaw_plot_format *out);

/* A picture's width and height, each (pixels; PDF: points). */
#define SLAW_PLOT_MIN_SIZE 100
#define SLAW_PLOT_MAX_SIZE 10000

typedef struct slaw_plot_options {
    slaw_plot_kind kind;
    slaw_plot_format format;
    const char *output;            /* the file the script writes (set output); NULL: gnuplot's
                                      standard output */
    unsigned width, height;        /* pixels (PDF: points of 1/72 inch); 0 = 1200 x 800 */
    const char *title;             /* NULL: the law and its fitted parameters */
    double to;                     /* fit, check, tokens-per-param: curves run to N (or x) = to,
                                      which must be past the runs' largest; frontier, compute: to
                                      C = to; 0 = a
                                      decade past the data (residuals, isoflop: must be 0) */
    double level;                  /* of bands and intervals; 0 = 0.95 */
    const char *group;             /* a grouped artifact: draw this group only; NULL = every group
                                      (frontier and check draw one fit: a group must be named) */
    const slaw_runs *runs;         /* fit, residuals, frontier: the runs to draw, filtered as the
                                      fit's were (NULL: none, the curves alone); isoflop: the runs
                                      to analyse (required) */
    size_t runs_removed;           /* runs the filters removed before runs: said in the key */
    const char *color_by;          /* fit, residuals, compute, tokens-per-param: colour the runs
                                      (and their curves) by this column of runs; NULL = by group,
                                      else by band of D (of D/N for tokens-per-param) */
    const slaw_point *hold;        /* fit, residuals, compute, tokens-per-param, for a law of
                                      N, D and U: the U every curve holds (only the runs at
                                      that U drawn); NULL = one curve per distinct U of the
                                      runs (at most 7), each with the runs at its U */
    const slaw_artifact *baseline; /* check: the baseline fit (required) */
    const slaw_point *points;      /* check: forecasts compared at these points (may be none) */
    size_t n_points;
    slaw_isoflop_options isoflop; /* isoflop: how runs are grouped into budgets (its level
                                     is used only when level above is 0) */
} slaw_plot_options;

/* Sets every option to its default (kind fit, PNG, 1200 x 800). */
SLAW_API void slaw_plot_options_init(slaw_plot_options *opt);

/* The gnuplot script (5.4 or later) that draws opt->kind from the fit
 * artifact a (NULL for the isoflop kind, which reads only runs): the
 * terminal, every setting, the data as inline blocks ($name << EOD) and
 * the plot command, so that `gnuplot SCRIPT` is all it takes.  The same
 * inputs always give the same text.  Caller frees *out with free().
 * Errors: SLAW_EUSAGE (what the kind needs is missing: runs, a baseline,
 * a group; an unknown group; a size out of 100..10000; messages name the
 * options of `slaw plot`, e.g. --group), SLAW_EINPUT (runs
 * without the fit's columns; a fit the kind cannot draw), SLAW_EFIT (the
 * isoflop analysis has fewer than 2 usable budgets), SLAW_ENOMEM. */
SLAW_API slaw_status slaw_plot_script(const slaw_artifact *a, const slaw_plot_options *opt,
                                      char **out, slaw_error *err);

/* What a plan plot ranks, as slaw_plan_rank and slaw_plan_greedy do. */
typedef struct slaw_plot_plan {
    const slaw_plan_target *target;
    const slaw_plan_run *runs; /* the candidates, with their costs */
    size_t n_runs;
    double budget;
    size_t picks;           /* runs to pick within the budget; 0 = 3 */
    const slaw_point *held; /* the variables a budget does not set (U), as slaw_plan_rank's
                               opt->held; NULL: the plot options' hold */
    double flops_per_token; /* the compute model of a budget target, as slaw_plan_rank's
                               opt->flops_per_token; 0: C = 6·N·D */
} slaw_plot_plan;

/* As slaw_plot_script, for opt->kind SLAW_PLOT_PLAN (which needs plan; the
 * other kinds ignore it): the candidate runs on the (N, D) plane coloured
 * by shrinkage per budget spent, the best set ringed, opt->runs, the target.
 * Errors as slaw_plot_script and slaw_plan_rank. */
SLAW_API slaw_status slaw_plot_plan_script(const slaw_artifact *a, const slaw_plot_options *opt,
                                           const slaw_plot_plan *plan, char **out, slaw_error *err);

#ifdef __cplusplus
}
#endif

#endif /* SLAW_H */
