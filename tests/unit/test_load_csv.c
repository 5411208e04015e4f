/* test_load_csv.c — CSV input: libcsv strict mode, physical line numbers,
 * BOM, comments, blank lines, labels, limits, and several files at once. */
#include "helpers.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runs.h" /* SLAW_MAX_FIELD_BYTES, struct slaw_runs */

static size_t col_named(const slaw_runs *runs, const char *name)
{
    size_t col = SIZE_MAX;
    if (!slaw_runs_column_find(runs, name, &col)) fail_msg("no column '%s'", name);
    return col;
}

static long line_of(const slaw_runs *runs, size_t run)
{
    const char *file;
    long line;
    slaw_runs_source(runs, run, &file, &line);
    return line;
}

/* A string of n copies of piece, NUL-terminated; caller frees. */
static char *repeat(const char *prefix, const char *piece, size_t n, const char *suffix)
{
    size_t a = strlen(prefix), b = strlen(piece), c = strlen(suffix);
    char *s = malloc(a + b * n + c + 1);
    assert_non_null(s);
    memcpy(s, prefix, a);
    for (size_t i = 0; i < n; i++) memcpy(s + a + i * b, piece, b);
    memcpy(s + a + b * n, suffix, c + 1);
    return s;
}

static void csv_should_read_a_header_and_numeric_rows(void **state)
{
    (void)state;
    slaw_runs *runs = load_ok("t.csv", "N,D,L\n1e8,2e9,3.5\n2e8,4e9,3.25\n", NULL);
    assert_int_equal(slaw_runs_count(runs), 2);
    assert_int_equal(slaw_runs_file_count(runs), 1);
    assert_string_equal(slaw_runs_file_name(runs, 0), "t.csv");
    assert_int_equal(slaw_runs_file_format(runs, 0), SLAW_FORMAT_CSV);
    assert_int_equal(slaw_runs_file_rows(runs, 0), 2);
    assert_true(role_value(runs, SLAW_ROLE_N, 1) == 2e8);
    assert_true(role_value(runs, SLAW_ROLE_D, 0) == 2e9);
    assert_true(role_value(runs, SLAW_ROLE_L, 1) == 3.25);
    assert_int_equal(line_of(runs, 0), 2);
    assert_int_equal(line_of(runs, 1), 3);
    slaw_runs_free(runs);
}

static void csv_should_read_suffixes_and_digit_separators_in_cells(void **state)
{
    (void)state;
    slaw_runs *runs = load_ok("t.csv", "N,D,L\n1.3B,1_000_000,2.5\n125M,1.4T,3\n70k,2P,4\n", NULL);
    assert_true(role_value(runs, SLAW_ROLE_N, 0) == 1.3e9);
    assert_true(role_value(runs, SLAW_ROLE_D, 0) == 1e6);
    assert_true(role_value(runs, SLAW_ROLE_N, 1) == 125e6);
    assert_true(role_value(runs, SLAW_ROLE_D, 1) == 1.4e12);
    assert_true(role_value(runs, SLAW_ROLE_N, 2) == 70e3);
    assert_true(role_value(runs, SLAW_ROLE_D, 2) == 2e15);
    slaw_runs_free(runs);
}

static void csv_should_keep_quoted_commas_quotes_and_newlines(void **state)
{
    (void)state;
    slaw_runs *runs = load_ok("t.csv",
                              "name,note,N,D,L\n"
                              "\"a,b\",\"say \"\"hi\"\"\",1,2,3\n"
                              "plain,\"two\nlines\",4,5,6\n"
                              "last,x,7,8,9\n",
                              NULL);
    size_t name = col_named(runs, "name"), note = col_named(runs, "note");
    assert_int_equal(slaw_runs_count(runs), 3);
    assert_string_equal(slaw_runs_label(runs, name, 0), "a,b");
    assert_string_equal(slaw_runs_label(runs, note, 0), "say \"hi\"");
    assert_string_equal(slaw_runs_label(runs, note, 1), "two\nlines");
    assert_true(role_value(runs, SLAW_ROLE_N, 1) == 4);
    assert_int_equal(line_of(runs, 1), 3);
    assert_int_equal(line_of(runs, 2), 5); /* the quoted newline is a physical line */
    slaw_runs_free(runs);
}

static void csv_should_count_lines_inside_quoted_fields(void **state)
{
    (void)state;
    assert_load_fails("t.csv",
                      "note,N,D,L\n"
                      "\"a\nb\nc\",1,2,3\n"
                      "\"d\",1,,3\n",
                      NULL, SLAW_EINPUT, "t.csv:5: column 'D' (D): empty value");
    assert_load_fails("t.csv", "note,N,D,L\n\"a\n\nb\",1,2,3\nx,1,2\n", NULL, SLAW_EINPUT,
                      "t.csv:5: expected 4 fields but found 3");
}

static void csv_should_accept_crlf_bom_comments_and_blank_lines(void **state)
{
    (void)state;
    slaw_runs *runs = load_ok("t.csv",
                              "\xEF\xBB\xBF# written by a sweep\r\n"
                              "\r\n"
                              "N,D,L\r\n"
                              "1,2,3\r\n"
                              "   \r\n"
                              "# a comment between rows\r\n"
                              "\t\r\n"
                              "4,5,6\r\n",
                              NULL);
    assert_int_equal(slaw_runs_count(runs), 2);
    assert_string_equal(slaw_runs_column_name(runs, 0), "N"); /* no BOM in the name */
    assert_true(role_value(runs, SLAW_ROLE_L, 0) == 3);       /* no '\r' in the cell */
    assert_true(role_value(runs, SLAW_ROLE_L, 1) == 6);
    assert_int_equal(line_of(runs, 0), 4);
    assert_int_equal(line_of(runs, 1), 8);
    slaw_runs_free(runs);
    /* A line of blanks then text is not blank; a '#' after blanks is text. */
    assert_load_fails("t.csv", "N,D,L\n1,2,3\n  # not a comment\n", NULL, SLAW_EINPUT,
                      "t.csv:3: expected 3 fields but found 1");
}

/* Lines without quotes are split without libcsv; a quote anywhere in a
 * line sends it to libcsv.  Both must give the same cells: blanks around a
 * field dropped, inside kept, a field of blanks empty, CRLF ends. */
static void csv_should_split_lines_with_and_without_quotes_alike(void **state)
{
    (void)state;
    slaw_runs *runs = load_ok("t.csv",
                              " name ,\tnote\t,N,D,L\r\n"
                              "\"q\", a  b ,1,\t2\t, 3 \r\n"
                              "q, a  b ,1,\t2\t, 3 \r\n"
                              "\"q\",  ,1,2,4\n"
                              "q,  ,1,2,4\n"
                              "q, a  b ,1,2, 5 ",
                              NULL);
    size_t name = col_named(runs, "name"), note = col_named(runs, "note");
    assert_int_equal(slaw_runs_count(runs), 5);
    for (size_t i = 0; i < 5; i++) {
        assert_string_equal(slaw_runs_label(runs, name, i), "q");
        assert_string_equal(slaw_runs_label(runs, note, i), i == 2 || i == 3 ? "" : "a  b");
        assert_true(role_value(runs, SLAW_ROLE_D, i) == 2);
        assert_int_equal(line_of(runs, i), (long)i + 2);
    }
    assert_true(role_value(runs, SLAW_ROLE_L, 1) == 3);
    assert_true(role_value(runs, SLAW_ROLE_L, 3) == 4);
    assert_true(role_value(runs, SLAW_ROLE_L, 4) == 5);
    slaw_runs_free(runs);
    /* the same refusals either way */
    assert_load_fails("t.csv", "N,D,L\n1,2,3\n1,2\n", NULL, SLAW_EINPUT,
                      "t.csv:3: expected 3 fields but found 2");
    assert_load_fails("t.csv", "N,D,L\n1,2,3\n1,2,x\n", NULL, SLAW_EINPUT, "t.csv:3:");
}

/* A line whose first byte ends one 64 KiB read and whose rest starts the
 * next goes to libcsv whole (its start went there), not split twice. */
static void csv_should_read_a_line_that_starts_at_the_end_of_a_read(void **state)
{
    (void)state;
    for (size_t shift = 0; shift < 3; shift++) {
        /* header 8 bytes, a comment of 527 - shift, rows of 13 bytes: row 5000
         * starts at byte 65535 - shift */
        char *text = malloc(8 + 527 + 13 * 6000 + 1), *o = text;
        assert_non_null(text);
        o += sprintf(o, "x,N,D,L\n#");
        memset(o, 'c', 525 - shift);
        o += 525 - shift;
        *o++ = '\n';
        for (size_t i = 0; i < 6000; i++) o += sprintf(o, "%06zu,1,2,3\n", i);
        slaw_runs *runs = load_ok("t.csv", text, NULL);
        size_t x = col_named(runs, "x");
        assert_int_equal(slaw_runs_count(runs), 6000);
        for (size_t i = 4990; i < 5010; i++) {
            assert_true(slaw_runs_value(runs, x, i) == (double)i);
            assert_true(role_value(runs, SLAW_ROLE_L, i) == 3);
            assert_int_equal(line_of(runs, i), (long)i + 3);
        }
        slaw_runs_free(runs);
        free(text);
    }
}

static void csv_should_count_lines_ended_by_a_lone_cr(void **state)
{
    (void)state;
    /* Old Mac line ends: comments, blank lines and line numbers as for LF. */
    slaw_runs *runs = load_ok("t.csv", "# a comment\rN,D,L\r\r1,2,3\r4,5,6\r", NULL);
    assert_int_equal(slaw_runs_count(runs), 2);
    assert_int_equal(line_of(runs, 0), 4);
    assert_int_equal(line_of(runs, 1), 5);
    slaw_runs_free(runs);
    assert_load_fails("t.csv", "N,D,L\r1,2,3\r4,x,6\r", NULL, SLAW_EINPUT,
                      "t.csv:3: column 'D' (D): 'x' is not a number");
    /* a last line ended by a lone CR, then nothing */
    assert_load_fails("t.csv", "N,D,L\r1,2,3\r4,5\r", NULL, SLAW_EINPUT,
                      "t.csv:3: expected 3 fields but found 2");
}

/* A comment line padded so that the byte at offset 65535, the last of the
 * loader's first 64 KiB read, is the CR given; then a bad row on line 4. */
static char *cr_at_read_boundary(const char *after_cr)
{
    const char *head = "N,D,L\n#";
    size_t pad = 65535 - strlen(head);
    char *text = repeat(head, "x", pad, "");
    size_t len = strlen(text);
    const char *rest = "1,2,3\n4,x,6\n";
    text = realloc(text, len + 1 + strlen(after_cr) + strlen(rest) + 1);
    assert_non_null(text);
    text[len] = '\r';
    strcpy(text + len + 1, after_cr);
    strcat(text, rest);
    return text;
}

static void csv_should_tell_crlf_from_a_lone_cr_across_reads(void **state)
{
    (void)state;
    char *text = cr_at_read_boundary("\n"); /* CRLF split over two reads */
    assert_load_fails("t.csv", text, NULL, SLAW_EINPUT,
                      "t.csv:4: column 'D' (D): 'x' is not a number");
    free(text);
    text = cr_at_read_boundary("\r"); /* a lone CR, then a blank line ended by CR */
    assert_load_fails("t.csv", text, NULL, SLAW_EINPUT,
                      "t.csv:5: column 'D' (D): 'x' is not a number");
    free(text);
}

static void csv_should_keep_text_columns_as_labels(void **state)
{
    (void)state;
    slaw_runs *runs = load_ok("t.csv",
                              "run,size,N,D,L\n"
                              "a,1.3B,1,2,3\n"
                              "b,small,1,2,3\n"
                              ",7,1,2,3\n",
                              NULL);
    size_t run = col_named(runs, "run"), size = col_named(runs, "size"), n = col_named(runs, "N");
    assert_true(slaw_runs_column_is_label(runs, run));
    assert_true(slaw_runs_column_is_label(runs, size));
    assert_false(slaw_runs_column_is_label(runs, n));
    assert_null(slaw_runs_label(runs, n, 0));
    assert_string_equal(slaw_runs_label(runs, run, 0), "a");
    assert_string_equal(slaw_runs_label(runs, run, 2), ""); /* missing */
    assert_string_equal(slaw_runs_label(runs, size, 1), "small");
    /* numbers in a label column keep their value */
    assert_true(slaw_runs_value(runs, size, 0) == 1.3e9);
    assert_true(isnan(slaw_runs_value(runs, size, 1)));
    assert_true(slaw_runs_value(runs, size, 2) == 7);
    slaw_runs_free(runs);
}

static void csv_should_name_unnamed_header_columns(void **state)
{
    (void)state;
    slaw_runs *runs = load_ok("t.csv", ",N,D,L\n0,1,2,3\n1,1,2,3\n", NULL);
    assert_string_equal(slaw_runs_column_name(runs, 0), "column1");
    assert_true(slaw_runs_value(runs, 0, 1) == 1);
    slaw_runs_free(runs);
}

static void csv_should_refuse_duplicate_header_names(void **state)
{
    (void)state;
    assert_load_fails("t.csv", "N,D,L,N\n1,2,3,4\n", NULL, SLAW_EINPUT,
                      "t.csv:1: duplicate column name 'N' (fields 1 and 4)");
    /* the name made for an unnamed column counts too */
    assert_load_fails("t.csv", "# c\n,column1\n1,2\n", NULL, SLAW_EINPUT,
                      "t.csv:2: duplicate column name 'column1' (fields 1 and 2)");
}

static void csv_should_refuse_rows_with_too_few_or_too_many_fields(void **state)
{
    (void)state;
    assert_load_fails("t.csv", "N,D,L\n1,2,3\n1,2\n", NULL, SLAW_EINPUT,
                      "t.csv:3: expected 3 fields but found 2");
    assert_load_fails("t.csv", "N,D,L\n1,2,3\n\n1,2,3,4\n", NULL, SLAW_EINPUT,
                      "t.csv:4: expected 3 fields but found 4");
    assert_load_fails("t.csv", "N,D,L\n1,2,3\n1,2,3,", NULL, SLAW_EINPUT,
                      "t.csv:3: expected 3 fields but found 4");
}

static void csv_should_report_the_line_of_an_unterminated_quote(void **state)
{
    (void)state;
    assert_load_fails("t.csv", "N,D,L\n1,2,3\n\"1,2,3\n4,5,6\n7,8,9\n", NULL, SLAW_EINPUT,
                      "t.csv:3: unterminated quoted field");
    assert_load_fails("t.csv", "x,N,D,L\n\"ok\",1,2,3\n4,5,6,\"open", NULL, SLAW_EINPUT,
                      "t.csv:3: unterminated quoted field");
}

static void csv_should_refuse_stray_quotes(void **state)
{
    (void)state;
    assert_load_fails("t.csv", "N,D,L\n1,2,3\n1,2\"x,3\n", NULL, SLAW_EINPUT,
                      "t.csv:3: malformed CSV: a quote inside an unquoted field");
    assert_load_fails("t.csv", "N,D,L\n\"1\"x,2,3\n", NULL, SLAW_EINPUT, "t.csv:2: malformed CSV");
}

static void csv_should_refuse_empty_input_and_a_lone_header(void **state)
{
    (void)state;
    assert_load_fails("t.csv", "", NULL, SLAW_EINPUT, "t.csv: empty: no header row");
    assert_load_fails("t.csv", "# only\n\n  \n", NULL, SLAW_EINPUT, "t.csv: empty: no header row");
    assert_load_fails("t.csv", "N,D,L\n# no rows\n", NULL, SLAW_EINPUT,
                      "t.csv: no runs: only a header row");
}

static void csv_should_refuse_nul_bytes(void **state)
{
    (void)state;
    static const char text[] = "N,D,L\n1,2,3\n# x\n1,2\0,3\n";
    slaw_runs *runs = NULL;
    slaw_error err;
    char msg[256];
    assert_int_equal(slaw_runs_load_buffer("t.csv", text, sizeof text - 1, NULL, &runs, &err),
                     SLAW_EINPUT);
    assert_null(runs);
    assert_string_equal(slaw_error_text(&err, msg, sizeof msg),
                        "t.csv:4: a NUL byte: this is not a text file");
    /* UTF-16, as Excel saves "Unicode text": NULs from the first line */
    static const char utf16[] = "\xFF\xFEN\0,\0D\0\n\0";
    assert_int_equal(slaw_runs_load_buffer("t.csv", utf16, sizeof utf16 - 1, NULL, &runs, &err),
                     SLAW_EINPUT);
    assert_string_equal(slaw_error_text(&err, msg, sizeof msg),
                        "t.csv:1: a NUL byte: this is not a text file");
}

static void csv_should_report_bad_values_with_line_column_and_text(void **state)
{
    (void)state;
    static const struct {
        const char *row, *want;
    } cases[] = {
        {"1,2,NaN", "t.csv:3: column 'L' (L): 'NaN' is not a finite number"},
        {"1,2,inf", "t.csv:3: column 'L' (L): 'inf' is not a finite number"},
        {"-Infinity,2,3", "t.csv:3: column 'N' (N): '-Infinity' is not a finite number"},
        {"1e999,2,3", "t.csv:3: column 'N' (N): '1e999' is out of range (too large)"},
        {"1,1.3Q,3", "t.csv:3: column 'D' (D): '1.3Q' is an unknown suffix"},
        {"1,2,abc", "t.csv:3: column 'L' (L): 'abc' is not a number"},
        {"1,2,infant", "t.csv:3: column 'L' (L): 'infant' is not a number"},
        {"1,,3", "t.csv:3: column 'D' (D): empty value"},
        {"1,2,", "t.csv:3: column 'L' (L): empty value"},
        {"0,2,3", "t.csv:3: column 'N' (N): must be positive, got 0"},
        {"1,-2e9,3", "t.csv:3: column 'D' (D): must be positive, got -2e+09"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[128];
        snprintf(text, sizeof text, "N,D,L\n5,6,7\n%s\n", cases[i].row);
        assert_load_fails("t.csv", text, NULL, SLAW_EINPUT, cases[i].want);
    }
}

static void csv_should_keep_quoted_lines_across_read_chunks(void **state)
{
    (void)state;
    /* 40000 lines of "abcd": far more than one 64 KiB read */
    char *text = repeat("note,N,D,L\n\"", "abcd\n", 40000, "\",1,2,3\n");
    slaw_runs *runs = load_ok("t.csv", text, NULL);
    const char *note = slaw_runs_label(runs, col_named(runs, "note"), 0);
    assert_int_equal(strlen(note), 5 * 40000);
    assert_memory_equal(note, text + strlen("note,N,D,L\n\""), 5 * 40000);
    slaw_runs_free(runs);
    free(text);
}

static void csv_should_refuse_fields_over_the_size_limit(void **state)
{
    (void)state;
    size_t max = SLAW_MAX_FIELD_BYTES;
    /* exactly at the limit: accepted */
    char *text = repeat("x,N,D,L\n\"q\",1,2,3\n1,2,3,4\n", "a", max, ",1,2,3\n");
    slaw_runs *runs = load_ok("t.csv", text, NULL);
    assert_int_equal(strlen(slaw_runs_label(runs, col_named(runs, "x"), 2)), max);
    slaw_runs_free(runs);
    free(text);
    /* one byte over, unquoted, after a quoted field on an earlier line */
    text = repeat("x,N,D,L\n\"q\",1,2,3\n1,2,3,4\n", "a", max + 1, ",1,2,3\n");
    assert_load_fails("t.csv", text, NULL, SLAW_ELIMIT,
                      "t.csv:4: a field longer than the 1048576-byte limit");
    free(text);
    /* a quoted field over many lines: the line where it starts */
    text = repeat("x,N,D,L\n1,2,3,4\n\"", "a\n", max / 2 + 1, "\",1,2,3\n");
    assert_load_fails("t.csv", text, NULL, SLAW_ELIMIT,
                      "t.csv:3: a field longer than the 1048576-byte limit");
    free(text);
    /* never closed: refused as it grows, not after reading everything */
    text = repeat("x,N,D,L\n1,2,3,4\n\"", "a", 3 * max, "");
    assert_load_fails("t.csv", text, NULL, SLAW_ELIMIT, "t.csv:3: a field longer than");
    free(text);
}

static void csv_should_refuse_more_columns_than_the_limit(void **state)
{
    (void)state;
    /* unnamed header fields get distinct made-up names: column4, ... */
    size_t extra = SLAW_MAX_COLUMNS - 3;
    char *header = repeat("# wide\nN,D,L", ",", extra, "\n");
    char *row = repeat("1,2,3", ",", extra, "\n");
    char *text = malloc(strlen(header) + strlen(row) + 1);
    assert_non_null(text);
    strcpy(text, header);
    strcat(text, row);
    slaw_runs *runs = load_ok("t.csv", text, NULL);
    assert_int_equal(slaw_runs_column_count(runs), SLAW_MAX_COLUMNS + 1); /* + derived C */
    slaw_runs_free(runs);
    free(header);
    free(text);
    header = repeat("# wide\nN,D,L", ",", extra + 1, "\n");
    assert_load_fails("t.csv", header, NULL, SLAW_ELIMIT, "t.csv:2: more than 4096 columns");
    free(header);
    free(row);
}

static void csv_should_refuse_lines_over_the_size_limit(void **state)
{
    (void)state;
    size_t max = SLAW_MAX_LINE_BYTES;
    /* a comment line exactly at the limit: skipped as usual */
    char *text = repeat("N,D,L\n#", "-", max - 1, "\n1,2,3\n");
    slaw_runs *runs = load_ok("t.csv", text, NULL);
    assert_int_equal(slaw_runs_count(runs), 1);
    slaw_runs_free(runs);
    free(text);
    text = repeat("N,D,L\n#", "-", max, "\n1,2,3\n");
    assert_load_fails("t.csv", text, NULL, SLAW_ELIMIT,
                      "t.csv:2: a line longer than the 16777216-byte limit");
    free(text);
    /* short fields, as many as fit: the line, not a field, is too long */
    text = repeat("N,D,L\n1,2,3\n4,5,6", ",7", max / 2, "\n");
    assert_load_fails("t.csv", text, NULL, SLAW_ELIMIT,
                      "t.csv:3: a line longer than the 16777216-byte limit");
    free(text);
}

/* A label repeated over many runs is stored once; a column of unique
 * labels keeps each one; both read back as written. */
static void csv_should_store_repeated_labels_once(void **state)
{
    (void)state;
    size_t n = 3000;
    char *text = malloc(64 * n + 64);
    assert_non_null(text);
    size_t o = (size_t)sprintf(text, "name,family,N,D,L\n");
    for (size_t i = 0; i < n; i++)
        o += (size_t)sprintf(text + o, "run-%zu,%s,1e8,2e9,3\n", i,
                             i % 3 == 0   ? "dense"
                             : i % 3 == 1 ? "moe"
                                          : "1.3B");
    slaw_runs *runs = load_ok("t.csv", text, NULL);
    size_t name = col_named(runs, "name"), family = col_named(runs, "family");
    char want[32];
    for (size_t i = 0; i < n; i++) {
        snprintf(want, sizeof want, "run-%zu", i);
        assert_string_equal(slaw_runs_label(runs, name, i), want);
        assert_string_equal(slaw_runs_label(runs, family, i), i % 3 == 0   ? "dense"
                                                              : i % 3 == 1 ? "moe"
                                                                           : "1.3B");
    }
    assert_true(slaw_runs_value(runs, family, 2) == 1.3e9);
    assert_int_equal(runs->cols[family].arena_len, strlen("dense moe 1.3B "));
    assert_true(runs->cols[name].arena_len > n * strlen("run-0"));
    slaw_runs_free(runs);
    free(text);
}

static void csv_should_merge_files_by_column_name(void **state)
{
    (void)state;
    char *dir = temp_dir_create();
    char a[4096], b[4096];
    snprintf(a, sizeof a, "%s", temp_file(dir, "a.csv", "N,D,L\n1,2,3\n4,5,6\n"));
    snprintf(b, sizeof b, "%s", temp_file(dir, "b.txt", "# second\nL,tag,N,D\n9,x,7,8\n"));
    const char *paths[] = {a, b};
    slaw_runs *runs = NULL;
    slaw_error err;
    assert_int_equal(slaw_runs_load(paths, 2, NULL, &runs, &err), SLAW_OK);
    assert_int_equal(slaw_runs_count(runs), 3);
    assert_int_equal(slaw_runs_file_count(runs), 2);
    assert_string_equal(slaw_runs_file_name(runs, 1), b);
    assert_int_equal(slaw_runs_file_format(runs, 1), SLAW_FORMAT_CSV); /* from content */
    assert_int_equal(slaw_runs_file_rows(runs, 0), 2);
    assert_int_equal(slaw_runs_file_rows(runs, 1), 1);
    assert_true(role_value(runs, SLAW_ROLE_N, 2) == 7);
    assert_true(role_value(runs, SLAW_ROLE_L, 2) == 9);
    size_t tag = col_named(runs, "tag");
    assert_string_equal(slaw_runs_label(runs, tag, 0), ""); /* not in a.csv */
    assert_string_equal(slaw_runs_label(runs, tag, 2), "x");
    const char *file;
    long line;
    slaw_runs_source(runs, 2, &file, &line);
    assert_string_equal(file, b);
    assert_int_equal(line, 3);
    slaw_runs_free(runs);

    /* an error in the second file names that file */
    snprintf(b, sizeof b, "%s", temp_file(dir, "c.csv", "N,D,L\n1,2,3\n1,0,3\n"));
    runs = NULL;
    assert_int_equal(slaw_runs_load(paths, 2, NULL, &runs, &err), SLAW_OK);
    assert_int_equal(slaw_runs_validate(runs, &err), SLAW_EINPUT);
    slaw_runs_free(runs);
    assert_string_equal(err.file, b);
    assert_int_equal(err.line, 3);
    assert_string_equal(err.message, "column 'D' (D): must be positive, got 0");
    temp_dir_remove(dir);
}

static void csv_should_report_files_that_cannot_be_read(void **state)
{
    (void)state;
    char *dir = temp_dir_create();
    char missing[4096];
    snprintf(missing, sizeof missing, "%s/none.csv", dir);
    const char *paths[] = {missing};
    slaw_runs *runs = NULL;
    slaw_error err;
    assert_int_equal(slaw_runs_load(paths, 1, NULL, &runs, &err), SLAW_EIO);
    assert_null(runs);
    assert_string_equal(err.file, missing);
    assert_string_equal(err.message, "cannot open: No such file or directory");
    const char *dirs[] = {dir};
    assert_int_equal(slaw_runs_load(dirs, 1, NULL, &runs, &err), SLAW_EIO);
    assert_string_equal(err.message, "read error: Is a directory");
    assert_int_equal(slaw_runs_load(paths, 0, NULL, &runs, &err), SLAW_EUSAGE);
    assert_string_equal(err.message, "no input files");
    temp_dir_remove(dir);
}

static void csv_should_read_the_bundled_chinchilla_file(void **state)
{
    (void)state;
    const char *paths[] = {source_path("data/chinchilla/svg_extracted_data.csv")};
    slaw_runs *runs = NULL;
    slaw_error err;
    assert_int_equal(slaw_runs_load(paths, 1, NULL, &runs, &err), SLAW_OK);
    assert_int_equal(slaw_runs_count(runs), 245);
    assert_true(slaw_runs_column_is_label(runs, col_named(runs, "color")));
    assert_true(role_value(runs, SLAW_ROLE_N, 0) == 6795600349.289497);
    assert_true(role_value(runs, SLAW_ROLE_L, 0) == 5.005581996196243);
    assert_int_equal(line_of(runs, 244), 246);
    slaw_runs_free(runs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(csv_should_read_a_header_and_numeric_rows),
        cmocka_unit_test(csv_should_read_suffixes_and_digit_separators_in_cells),
        cmocka_unit_test(csv_should_keep_quoted_commas_quotes_and_newlines),
        cmocka_unit_test(csv_should_count_lines_inside_quoted_fields),
        cmocka_unit_test(csv_should_accept_crlf_bom_comments_and_blank_lines),
        cmocka_unit_test(csv_should_split_lines_with_and_without_quotes_alike),
        cmocka_unit_test(csv_should_read_a_line_that_starts_at_the_end_of_a_read),
        cmocka_unit_test(csv_should_count_lines_ended_by_a_lone_cr),
        cmocka_unit_test(csv_should_tell_crlf_from_a_lone_cr_across_reads),
        cmocka_unit_test(csv_should_keep_text_columns_as_labels),
        cmocka_unit_test(csv_should_name_unnamed_header_columns),
        cmocka_unit_test(csv_should_refuse_duplicate_header_names),
        cmocka_unit_test(csv_should_refuse_rows_with_too_few_or_too_many_fields),
        cmocka_unit_test(csv_should_report_the_line_of_an_unterminated_quote),
        cmocka_unit_test(csv_should_refuse_stray_quotes),
        cmocka_unit_test(csv_should_refuse_empty_input_and_a_lone_header),
        cmocka_unit_test(csv_should_refuse_nul_bytes),
        cmocka_unit_test(csv_should_report_bad_values_with_line_column_and_text),
        cmocka_unit_test(csv_should_keep_quoted_lines_across_read_chunks),
        cmocka_unit_test(csv_should_refuse_fields_over_the_size_limit),
        cmocka_unit_test(csv_should_refuse_more_columns_than_the_limit),
        cmocka_unit_test(csv_should_refuse_lines_over_the_size_limit),
        cmocka_unit_test(csv_should_store_repeated_labels_once),
        cmocka_unit_test(csv_should_merge_files_by_column_name),
        cmocka_unit_test(csv_should_report_files_that_cannot_be_read),
        cmocka_unit_test(csv_should_read_the_bundled_chinchilla_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
