/* load_csv.c — CSV through libcsv (strict mode), with physical line numbers.
 *
 * libcsv reports no positions, so the input is fed to it one physical line at
 * a time: whatever callback fires belongs to the line being fed.  The same
 * pass drops what libcsv does not know about: a UTF-8 byte-order mark,
 * comment lines starting with '#', and lines holding only blanks.
 *
 * A whole line without quotes that starts a record (most lines of a sweep
 * log) is split here instead, the way libcsv would split it, and handed to
 * the same callbacks: libcsv's byte-by-byte state machine was two thirds of
 * loading a large file. */
#include "load.h"

#include <csv.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

typedef struct csv_state {
    slaw_runs *runs;
    uint32_t file;
    const char *name;
    slaw_error *err;
    slaw_status status; /* first failure inside a callback */

    long line;            /* physical line being fed */
    long record_line;     /* where the current record started */
    bool awaiting_record; /* between records: the next content starts one */
    bool in_quotes;       /* inside a quoted field (for comment detection) */
    long field_line;      /* where the field being read started */

    bool header_done;
    size_t n_header;      /* fields in the header */
    size_t *col_of_field; /* header position -> run table column */
    size_t field;         /* index of the next field in the record */
    bool row_open;        /* the current data record has been begun */
} csv_state;

static void fail(csv_state *s, slaw_status code, long line, const char *fmt, ...) SLAW_PRINTF(4, 5);

static void fail(csv_state *s, slaw_status code, long line, const char *fmt, ...)
{
    if (s->status != SLAW_OK) return;
    va_list ap;
    va_start(ap, fmt);
    s->status = error_setv(s->err, code, s->name, line, fmt, ap);
    va_end(ap);
}

static void fail_nomem(csv_state *s, long line)
{
    if (s->status == SLAW_OK) s->status = error_nomem_at(s->err, s->name, line);
}

/* Library calls below this loader report no file; add ours. */
static void take_status(csv_state *s, slaw_status st)
{
    s->status = st;
    if (s->err && !s->err->file[0]) {
        snprintf(s->err->file, sizeof s->err->file, "%s", s->name);
        s->err->line = s->line;
    }
}

static void header_field(csv_state *s, const char *text, size_t len)
{
    char made[32];
    if (len == 0) { /* pandas writes an unnamed index column */
        len = (size_t)snprintf(made, sizeof made, "column%zu", s->field + 1);
        text = made;
    }
    size_t *cols = realloc(s->col_of_field, (s->field + 1) * sizeof *cols);
    if (!cols) {
        fail_nomem(s, s->line);
        return;
    }
    s->col_of_field = cols;
    size_t col;
    slaw_status st = runs_column(s->runs, text, len, &col, s->err);
    if (st != SLAW_OK) {
        take_status(s, st);
        return;
    }
    for (size_t k = 0; k < s->field; k++)
        if (cols[k] == col) {
            char q[64];
            fail(s, SLAW_EINPUT, s->line, "duplicate column name '%s' (fields %zu and %zu)",
                 quote_text(text, len, q, sizeof q), k + 1, s->field + 1);
            return;
        }
    cols[s->field] = col;
}

static void fail_field_too_long(csv_state *s)
{
    fail(s, SLAW_ELIMIT, s->field_line, "a field longer than the %u-byte limit",
         SLAW_MAX_FIELD_BYTES);
}

static void on_field(void *data, size_t len, void *ctx)
{
    csv_state *s = ctx;
    if (s->status != SLAW_OK) return;
    if (len > SLAW_MAX_FIELD_BYTES) {
        fail_field_too_long(s);
        return;
    }
    s->field_line = s->line; /* a delimiter: the next field starts here */
    const char *text = data ? data : "";
    if (!s->header_done) {
        header_field(s, text, len);
    } else {
        if (!s->row_open) {
            slaw_status st = runs_begin_row(s->runs, s->file, s->record_line, s->err);
            if (st != SLAW_OK) {
                take_status(s, st);
                return;
            }
            s->row_open = true;
        }
        if (s->field < s->n_header) {
            slaw_status st = runs_set_text(s->runs, s->col_of_field[s->field], text, len, s->err);
            if (st != SLAW_OK) take_status(s, st);
        }
    }
    s->field++;
}

static void on_record(int terminator, void *ctx)
{
    csv_state *s = ctx;
    (void)terminator;
    if (s->status != SLAW_OK) return;
    if (!s->header_done) {
        s->header_done = true;
        s->n_header = s->field;
    } else if (s->field != s->n_header) {
        fail(s, SLAW_EINPUT, s->record_line, "expected %zu fields but found %zu", s->n_header,
             s->field);
    }
    s->field = 0;
    s->row_open = false;
    s->awaiting_record = true;
}

/* Feeds one piece of a physical line to libcsv. */
static void feed(csv_state *s, struct csv_parser *p, const char *bytes, size_t len)
{
    if (!len || s->status != SLAW_OK) return;
    if (s->awaiting_record) {
        s->awaiting_record = false;
        s->record_line = s->field_line = s->line;
    }
    const char *end = bytes + len;
    for (const char *q = memchr(bytes, '"', len); q; q = memchr(q + 1, '"', (size_t)(end - q - 1)))
        s->in_quotes = !s->in_quotes;
    if (csv_parse(p, bytes, len, on_field, on_record, s) != len && s->status == SLAW_OK) {
        if (csv_error(p) == CSV_EPARSE)
            fail(s, SLAW_EINPUT, s->line,
                 "malformed CSV: a quote inside an unquoted field, or text after a closing "
                 "quote");
        else fail_nomem(s, s->line);
    }
    /* entry_pos (documented in csv.h) is the length of the field still being
     * read: refuse it as it grows rather than after buffering all of it. */
    if (s->status == SLAW_OK && p->entry_pos > SLAW_MAX_FIELD_BYTES) fail_field_too_long(s);
}

/* Splits the stream into physical lines: drops comment and blank lines
 * outside quoted fields, feeds the rest to libcsv, and counts lines. */
typedef struct line_splitter {
    bool at_line_start;
    bool in_comment;
    char held[256]; /* leading blanks of a line, fed once it proves not blank */
    size_t n_held;
    bool holding;
    size_t line_bytes; /* of the physical line so far */
    bool fresh;        /* the line starts a record and none of it went to libcsv */
} line_splitter;

/* The rest of a line from buf[i]: checks it for NUL bytes and the line
 * length limit (as the byte-by-byte loop below would, reporting whichever
 * comes first) and returns where it ends: the index of its '\n', or len.
 * SIZE_MAX after a failure. */
static size_t rest_of_line(csv_state *s, line_splitter *ls, const char *buf, size_t i, size_t len)
{
    const char *nl = memchr(buf + i, '\n', len - i);
    size_t end = nl ? (size_t)(nl - buf) : len;
    const char *nul = memchr(buf + i, '\0', end - i);
    size_t room = SLAW_MAX_LINE_BYTES - ls->line_bytes;
    size_t over = end - i > room ? i + room : SIZE_MAX; /* the first byte past the limit */
    if (nul && (size_t)(nul - buf) <= over) {
        fail(s, SLAW_EINPUT, s->line, "a NUL byte: this is not a text file");
        return SIZE_MAX;
    }
    if (over != SIZE_MAX) {
        fail(s, SLAW_ELIMIT, s->line, "a line longer than the %zu-byte limit", SLAW_MAX_LINE_BYTES);
        return SIZE_MAX;
    }
    ls->line_bytes += end - i;
    return end;
}

static bool csv_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* A whole physical line without quotes, starting a record, split as libcsv
 * splits it (fields end at ',', lose their leading and trailing blanks, and
 * the record at the line's end; the line's CR, if any, ends it too: a CR
 * inside a line was made a line end before) and handed to the callbacks. */
static void split_plain_line(csv_state *s, const char *line, size_t len)
{
    if (len && line[len - 1] == '\r') len--;
    s->awaiting_record = false;
    s->record_line = s->field_line = s->line;
    const char *end = line + len;
    for (const char *f = line;; f++) {
        const char *comma = memchr(f, ',', (size_t)(end - f));
        const char *stop = comma ? comma : end, *last = stop;
        while (f < stop && csv_blank(*f)) f++;
        while (last > f && csv_blank(last[-1])) last--;
        on_field((void *)f, (size_t)(last - f), s);
        if (!comma) break;
        f = comma;
    }
    on_record('\n', s);
}

static void split_and_feed(csv_state *s, struct csv_parser *p, line_splitter *ls, const char *buf,
                           size_t len)
{
    size_t start = 0;
    for (size_t i = 0; i < len && s->status == SLAW_OK; i++) {
        /* Past a line's first bytes (or in a comment), only its end matters:
         * found with memchr rather than byte by byte. */
        if (!ls->at_line_start) {
            size_t end = rest_of_line(s, ls, buf, i, len);
            if (end == SIZE_MAX) return;
            bool fresh = ls->fresh;
            ls->fresh = false;
            if (end == len) {
                if (ls->in_comment) start = len;
                break;
            }
            ls->line_bytes = 0;
            if (ls->in_comment) ls->in_comment = false;
            else if (fresh && !memchr(buf + start, '"', end - start))
                split_plain_line(s, buf + start, end - start);
            else feed(s, p, buf + start, end + 1 - start);
            s->line++;
            ls->at_line_start = true;
            start = end + 1;
            i = end;
            continue;
        }
        char c = buf[i];
        if (c == '\0') { /* binary, or UTF-16 (Excel's "Unicode text") */
            fail(s, SLAW_EINPUT, s->line, "a NUL byte: this is not a text file");
            return;
        }
        /* Counted ahead of libcsv, so that a line without an end is refused
         * as it grows (comment lines too). */
        if (c == '\n') {
            ls->line_bytes = 0;
        } else if (++ls->line_bytes > SLAW_MAX_LINE_BYTES) {
            fail(s, SLAW_ELIMIT, s->line, "a line longer than the %zu-byte limit",
                 SLAW_MAX_LINE_BYTES);
            return;
        }
        if (s->in_quotes) /* a quoted field goes on */
            ls->at_line_start = false;
        if (ls->at_line_start) {
            if (c == '#' && !ls->holding) {
                ls->in_comment = true;
                ls->at_line_start = false;
                start = i + 1;
                continue;
            }
            if (c == ' ' || c == '\t' || c == '\r') {
                if (ls->n_held == sizeof ls->held) { /* too many to hold: not blank */
                    feed(s, p, ls->held, ls->n_held);
                    ls->n_held = 0;
                    ls->at_line_start = false;
                    ls->holding = false;
                    start = i;
                    continue;
                }
                ls->held[ls->n_held++] = c;
                ls->holding = true;
                start = i + 1;
                continue;
            }
            if (c == '\n') { /* a blank line */
                ls->n_held = 0;
                ls->holding = false;
                s->line++;
                start = i + 1;
                continue;
            }
            feed(s, p, ls->held, ls->n_held);
            ls->n_held = 0;
            ls->holding = false;
            ls->at_line_start = false;
            ls->fresh = true; /* not in quotes: checked above */
            start = i;
        }
        if (c == '\n') {
            feed(s, p, buf + start, i + 1 - start);
            s->line++;
            ls->at_line_start = true;
            start = i + 1;
        }
    }
    if (s->status == SLAW_OK && !ls->in_comment && !ls->at_line_start && start < len) {
        ls->fresh = false; /* its start went to libcsv: the rest must too */
        feed(s, p, buf + start, len - start);
    }
}

/* Old Mac files end lines with a lone CR, which libcsv takes as a record end
 * but the line splitter would not: a lone CR becomes LF, so that such files
 * get line numbers, comments and blank lines too.  (CRLF is left alone.)
 * The last byte of buf must not be a CR whose successor is unknown. */
static void mark_lone_cr_line_ends(char *buf, size_t len)
{
    for (char *c = memchr(buf, '\r', len); c; c = memchr(c + 1, '\r', len - (size_t)(c + 1 - buf)))
        if (c + 1 == buf + len || c[1] != '\n') *c = '\n';
}

slaw_status load_csv(slaw_runs *r, uint32_t file, byte_source *in, slaw_error *err)
{
    struct csv_parser parser;
    csv_state s = {.runs = r,
                   .file = file,
                   .name = r->files[file].name,
                   .err = err,
                   .line = 1,
                   .awaiting_record = true};
    line_splitter ls = {.at_line_start = true};
    char buf[1 << 16];
    bool first = true;

    if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI) != 0) return error_nomem_at(err, s.name, 0);
    /* libcsv grows its field buffer by a fixed step (128 bytes by default),
     * so a long field costs a realloc, and maybe a copy, per step. */
    csv_set_blk_size(&parser, 1 << 16);
    size_t carried = 0; /* a CR ending the last read, decided on by the next byte */
    for (;;) {
        size_t got = carried + source_read(in, buf + carried, sizeof buf - carried);
        bool end = got == carried;
        carried = 0;
        if (!got) break;
        if (!end && buf[got - 1] == '\r') carried = 1;
        mark_lone_cr_line_ends(buf, got - carried);
        size_t skip = 0;
        if (first && got - carried >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3)) skip = 3;
        first = false;
        split_and_feed(&s, &parser, &ls, buf + skip, got - carried - skip);
        if (s.status != SLAW_OK) goto out;
        if (carried) buf[0] = '\r';
        if (end) break;
    }
    if (in->failed) {
        s.status = error_set(err, SLAW_EIO, s.name, 0, "read error: %s", strerror(errno));
        goto out;
    }
    if (csv_fini(&parser, on_field, on_record, &s) != 0 && s.status == SLAW_OK)
        fail(&s, SLAW_EINPUT, s.field_line, "unterminated quoted field");
    if (s.status != SLAW_OK) goto out;
    if (!s.header_done) s.status = error_set(err, SLAW_EINPUT, s.name, 0, "empty: no header row");
    else if (r->files[file].rows == 0)
        s.status = error_set(err, SLAW_EINPUT, s.name, 0, "no runs: only a header row");
out:
    csv_free(&parser);
    free(s.col_of_field);
    return s.status;
}
