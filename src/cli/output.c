/* output.c — numbers for people, JSON on stdout, aligned text tables. */
#include "output.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <stdio_ext.h>
#include <string.h>

static const struct {
    const char *name;
    output_format format;
} format_names[] = {{"table", OUTPUT_TABLE},
                    {"json", OUTPUT_JSON},
                    {"csv", OUTPUT_CSV},
                    {"markdown", OUTPUT_MARKDOWN},
                    {"junit", OUTPUT_JUNIT}};
enum { N_FORMATS = sizeof format_names / sizeof format_names[0] };

bool output_format_parse(const char *name, unsigned allowed, output_format *out)
{
    for (size_t i = 0; i < N_FORMATS; i++)
        if (!strcmp(name, format_names[i].name) && (allowed & (1u << format_names[i].format))) {
            *out = format_names[i].format;
            return true;
        }
    return false;
}

int output_format_option(const cli_command *cmd, const char *arg, unsigned allowed,
                         output_format *out)
{
    if (output_format_parse(arg, allowed, out)) return 0;
    char expected[128] = "";
    size_t n_allowed = 0, listed = 0, used = 0;
    for (size_t i = 0; i < N_FORMATS; i++) n_allowed += (allowed >> format_names[i].format) & 1u;
    for (size_t i = 0; i < N_FORMATS; i++) {
        if (!((allowed >> format_names[i].format) & 1u)) continue;
        const char *sep = listed == 0 ? "" : listed + 1 == n_allowed ? " or " : ", ";
        used += (size_t)snprintf(expected + used, sizeof expected - used, "%s%s", sep,
                                 format_names[i].name);
        listed++;
    }
    return cli_usage_error(cmd, "--format '%s': expected %s", arg, expected);
}

/* The CLI's number styles, all written by slaw_number_format. */
const char *format_sci(double v, char *buf, size_t size)
{
    return slaw_number_format(v, SLAW_NUMBER_SCI, buf, size);
}

/* Sizes as people write them in sweep logs: 125M, 1.3B, 70B, 1.4T. */
const char *format_size(double v, char *buf, size_t size)
{
    return slaw_number_format(v, SLAW_NUMBER_SIZE, buf, size);
}

const char *format_value(double v, char *buf, size_t size)
{
    return slaw_number_format(v, SLAW_NUMBER_VALUE, buf, size);
}

cJSON *json_number(double v)
{
    return isfinite(v) ? cJSON_CreateNumber(v) : cJSON_CreateNull();
}

void json_add_number(cJSON *o, const char *key, double v)
{
    cJSON_AddItemToObject(o, key, json_number(v));
}

void json_add_interval(cJSON *o, const char *key, double lo, double hi)
{
    if (isnan(lo) && isnan(hi)) {
        cJSON_AddNullToObject(o, key);
        return;
    }
    cJSON *a = cJSON_AddArrayToObject(o, key);
    cJSON_AddItemToArray(a, json_number(lo));
    cJSON_AddItemToArray(a, json_number(hi));
}

void json_add_estimate(cJSON *o, const char *key, const slaw_estimate *e)
{
    cJSON *x = cJSON_AddObjectToObject(o, key);
    json_add_number(x, "value", e->value);
    json_add_interval(x, "ci", e->lo, e->hi);
}

const char *format_loss(double v, char *buf, size_t size)
{
    return slaw_number_format(v, SLAW_NUMBER_LOSS, buf, size);
}

int print_json(cJSON *doc)
{
    char *text = doc ? cJSON_Print(doc) : NULL;
    cJSON_Delete(doc);
    if (!text) {
        return cli_nomem();
    }
    stdout_write(text, strlen(text));
    stdout_write("\n", 1);
    cJSON_free(text);
    return 0;
}

/* ------------------------------------------------------------ text buffers */

void buffer_printf(text_buffer *b, const char *fmt, ...)
{
    if (b->failed) return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n =
            vsnprintf(b->data ? b->data + b->len : NULL, b->data ? b->cap - b->len : 0, fmt, ap);
        va_end(ap);
        if (n < 0) {
            b->failed = true;
            return;
        }
        if (b->data && b->len + (size_t)n < b->cap) {
            b->len += (size_t)n;
            return;
        }
        size_t cap = b->cap ? b->cap * 2 : 4096;
        while (cap < b->len + (size_t)n + 1) cap *= 2;
        char *d = realloc(b->data, cap);
        if (!d) {
            b->failed = true;
            return;
        }
        b->data = d;
        b->cap = cap;
    }
}

int buffer_emit(text_buffer *b, const char *path)
{
    int st = 0;
    if (b->failed) {
        st = cli_nomem();
    } else if (path) {
        slaw_error err;
        if (slaw_write_file_atomic(path, b->data ? b->data : "", b->len, &err) != SLAW_OK)
            st = cli_fail(&err);
    } else {
        stdout_write(b->data, b->len);
    }
    free(b->data);
    *b = (text_buffer){0};
    return st;
}

/* ------------------------------------------------------------ text tables */

struct text_table {
    size_t n_cols, n_rows, cap;
    char **cells; /* row-major, (n_rows + 1) * n_cols: row 0 is the header */
    bool has_header;
    unsigned long right; /* right-aligned columns */
};

text_table *table_new(size_t n_cols)
{
    text_table *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    t->n_cols = n_cols;
    return t;
}

static void add_row(text_table *t, const char *const *cells)
{
    if (t->n_rows == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 16;
        char **c = realloc(t->cells, cap * t->n_cols * sizeof *c);
        if (!c) return;
        t->cells = c;
        t->cap = cap;
    }
    /* printable text only: a group name may hold escape sequences */
    for (size_t i = 0; i < t->n_cols; i++) {
        const char *text = cells[i] ? cells[i] : "";
        size_t size = 4 * strlen(text) + 8;
        char *cell = malloc(size);
        if (cell) slaw_text_printable(text, cell, size);
        t->cells[t->n_rows * t->n_cols + i] = cell ? cell : strdup("");
    }
    t->n_rows++;
}

void table_header(text_table *t, const char *const *names)
{
    if (t->n_rows == 0) {
        add_row(t, names);
        t->has_header = true;
    }
}

void table_row(text_table *t, const char *const *cells)
{
    add_row(t, cells);
}

void table_align_right(text_table *t, unsigned long mask)
{
    t->right = mask;
}

/* Columns on a terminal, not bytes: UTF-8 continuation bytes take none
 * (labels such as "größe" or "±" would otherwise misalign a table). */
static size_t display_width(const char *s)
{
    size_t w = 0;
    for (; *s; s++) w += ((unsigned char)*s & 0xC0) != 0x80;
    return w;
}

static void put_cell(text_buffer *line, const char *s, size_t width, bool right)
{
    size_t pad = width - display_width(s);
    if (right) buffer_printf(line, "%*s", (int)pad, "");
    buffer_printf(line, "%s", s);
    if (!right) buffer_printf(line, "%*s", (int)pad, "");
}

void table_print(const text_table *t, FILE *out, const char *indent)
{
    size_t width[64] = {0};
    size_t n_cols = t->n_cols < 64 ? t->n_cols : 64;
    for (size_t r = 0; r < t->n_rows; r++)
        for (size_t c = 0; c < n_cols; c++) {
            size_t w = display_width(t->cells[r * t->n_cols + c]);
            if (w > width[c]) width[c] = w;
        }
    text_buffer line = {0};
    for (size_t r = 0; r < t->n_rows; r++) {
        line.len = 0;
        buffer_printf(&line, "%s", indent ? indent : "");
        for (size_t c = 0; c < n_cols; c++) {
            put_cell(&line, t->cells[r * t->n_cols + c], width[c], (t->right >> c) & 1);
            if (c + 1 < n_cols) buffer_printf(&line, "  ");
        }
        if (line.failed) break;
        while (line.len && line.data[line.len - 1] == ' ') line.len--; /* no trailing blanks */
        fprintf(out, "%.*s\n", (int)line.len, line.data);
    }
    free(line.data);
}

void table_free(text_table *t)
{
    if (!t) return;
    for (size_t i = 0; i < t->n_rows * t->n_cols; i++) free(t->cells[i]);
    free(t->cells);
    free(t);
}
