/* check_report.c — slaw check's verdict as a text table, JSON, a Markdown pipe
 * table (pull-request comments) or JUnit XML (CI test reports), one test
 * case per criterion.  Text from the data (group names, warnings) is
 * escaped for each format, and bytes that are not UTF-8 become '?', so the
 * JSON and XML always parse and the Markdown table always has its columns. */
#include "check_report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A verdict row's message with the check options it names as their flags. */
#define ROW_MESSAGE(row)                                                                           \
    cli_option_text((row)->message, "allow_warnings,max_failed_resamples,calibrate",               \
                    (char[2048]){0}, 2048)

/* ----------------------------------------------------------------- cells */

static bool any_group(const check_report *r)
{
    for (size_t i = 0; i < r->n_rows; i++)
        if (r->rows[i]->group) return true;
    return false;
}

static const char *number_cell(const slaw_verdict_row *row, double v, char *buf, size_t size)
{
    if (isnan(v)) snprintf(buf, size, "-");
    else if (row->criterion == SLAW_CRITERION_FIT) snprintf(buf, size, "%.0f", v);
    else snprintf(buf, size, "%.6g", v);
    return buf;
}

/* The cells of one row: group (when grouped), criterion, baseline, now,
 * change, limit, result. */
static size_t row_cells(const slaw_verdict_row *row, bool grouped, const char **cells,
                        char (*buf)[32])
{
    size_t k = 0;
    if (grouped) cells[k++] = row->group ? row->group : "";
    cells[k++] = row->label;
    cells[k++] = number_cell(row, row->baseline, buf[0], sizeof buf[0]);
    cells[k++] = number_cell(row, row->now, buf[1], sizeof buf[1]);
    cells[k++] = row->change_text;
    cells[k++] = row->limit_text;
    cells[k++] = row->pass ? "PASS" : "FAIL";
    return k;
}

static const char *const headers[] = {"group",  "criterion", "baseline", "now",
                                      "change", "limit",     "result"};

void check_report_summary(const check_report *r, char *buf, size_t size)
{
    if (r->error) {
        snprintf(buf, size, "slaw check: FAIL, the fit failed: %s", r->error);
        return;
    }
    if (!r->failures) {
        snprintf(buf, size, "slaw check: PASS, all %zu criteria passed", r->n_rows);
        return;
    }
    size_t o = (size_t)snprintf(
        buf, size, "slaw check: FAIL, %zu of %zu criteria failed:", r->failures, r->n_rows);
    size_t listed = 0;
    for (size_t i = 0; i < r->n_rows && o < size; i++) {
        const slaw_verdict_row *row = r->rows[i];
        if (row->pass) continue;
        if (listed++ == 5) {
            snprintf(buf + o, size - o, ", ...");
            break;
        }
        o += (size_t)snprintf(buf + o, size - o, "%s %s%s%s%s", listed > 1 ? "," : "",
                              row->group ? "[" : "", row->group ? row->group : "",
                              row->group ? "] " : "", row->label);
    }
}

/* ----------------------------------------------------------------- table */

static void render_table(const check_report *r, text_buffer *out)
{
    bool grouped = any_group(r);
    size_t skip = grouped ? 0 : 1, n_cols = 7 - skip;
    text_table *t = table_new(n_cols);
    char *text = NULL, summary[2048];
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    if (!t || !mem) {
        out->failed = true;
        if (mem) fclose(mem);
        free(text);
        table_free(t);
        return;
    }
    table_header(t, headers + skip);
    table_align_right(t, grouped ? 0x1cul : 0x0eul); /* baseline, now, change */
    for (size_t i = 0; i < r->n_rows; i++) {
        const char *cells[7];
        char buf[2][32];
        row_cells(r->rows[i], grouped, cells, buf);
        table_row(t, cells);
    }
    table_print(t, mem, "");
    table_free(t);
    fclose(mem);
    buffer_printf(out, "%s", text ? text : "");
    free(text);
    if (r->failures || r->error) buffer_printf(out, "\n");
    for (size_t i = 0; i < r->n_rows; i++)
        if (!r->rows[i]->pass) buffer_printf(out, "%s\n", ROW_MESSAGE(r->rows[i]));
    check_report_summary(r, summary, sizeof summary);
    buffer_printf(out, "\n%s\n", summary);
}

/* ------------------------------------------------------------------ JSON */

static size_t utf8_length(const unsigned char *s);

/* Adds text as a JSON string, with bytes that are not UTF-8 as '?' (cJSON
 * copies them as they are, which no JSON parser accepts). */
static void add_string(cJSON *o, const char *key, const char *text)
{
    char *clean = malloc(strlen(text) + 1);
    if (!clean) return; /* the member is missing, as when cJSON runs out of memory */
    const unsigned char *s = (const unsigned char *)text;
    size_t o_len = 0;
    while (*s) {
        size_t n = utf8_length(s);
        if (n) memcpy(clean + o_len, s, n);
        else clean[o_len] = '?';
        o_len += n ? n : 1;
        s += n ? n : 1;
    }
    clean[o_len] = '\0';
    cJSON_AddStringToObject(o, key, clean);
    free(clean);
}

static void render_json(const check_report *r, text_buffer *out)
{
    char summary[2048];
    cJSON *doc = cJSON_CreateObject();
    check_report_summary(r, summary, sizeof summary);
    cJSON_AddBoolToObject(doc, "pass", !r->failures && !r->error);
    add_string(doc, "summary", summary);
    if (r->baseline) add_string(doc, "baseline", r->baseline);
    else cJSON_AddNullToObject(doc, "baseline");
    if (r->error) add_string(doc, "error", r->error);
    else cJSON_AddNullToObject(doc, "error");
    cJSON_AddNumberToObject(doc, "criteria_count", (double)r->n_rows);
    cJSON_AddNumberToObject(doc, "failures", (double)r->failures);
    cJSON *rows = cJSON_AddArrayToObject(doc, "criteria");
    for (size_t i = 0; i < r->n_rows; i++) {
        const slaw_verdict_row *row = r->rows[i];
        cJSON *o = cJSON_CreateObject();
        add_string(o, "criterion", slaw_criterion_name(row->criterion));
        add_string(o, "label", row->label);
        if (row->group) add_string(o, "group", row->group);
        else cJSON_AddNullToObject(o, "group");
        add_string(o, "subject", row->subject);
        cJSON_AddItemToObject(o, "baseline", json_number(row->baseline));
        cJSON_AddItemToObject(o, "now", json_number(row->now));
        cJSON_AddItemToObject(o, "change", json_number(row->change));
        cJSON_AddItemToObject(o, "limit", json_number(row->limit));
        add_string(o, "change_text", row->change_text);
        add_string(o, "limit_text", row->limit_text);
        cJSON_AddBoolToObject(o, "pass", row->pass);
        add_string(o, "message", ROW_MESSAGE(row));
        cJSON_AddItemToArray(rows, o);
    }
    char *text = cJSON_Print(doc);
    cJSON_Delete(doc);
    if (!text) {
        out->failed = true;
        return;
    }
    buffer_printf(out, "%s\n", text);
    cJSON_free(text);
}

/* -------------------------------------------------------------- escaping */

/* The length of the valid UTF-8 sequence at s (1 to 4), or 0 if the bytes
 * there are not one (overlong forms and surrogates included). */
static size_t utf8_length(const unsigned char *s)
{
    if (s[0] < 0x80) return 1;
    size_t n = s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 ? 2 : 0;
    if (!n || s[0] > 0xf4) return 0;
    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xc0) != 0x80) return 0;
    if (n == 3 && ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] >= 0xa0))) return 0;
    if (n == 4 && ((s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] >= 0x90))) return 0;
    return n;
}

/* XML 1.0 character data or attribute value: the five special characters
 * as entities, tab and newline as references, other control characters
 * (not allowed in XML 1.0) and bytes that are not UTF-8 as '?'. */
static void xml_escaped(text_buffer *out, const char *text)
{
    const unsigned char *s = (const unsigned char *)text;
    while (*s) {
        size_t n = utf8_length(s);
        bool nonchar = n == 3 && s[0] == 0xef && s[1] == 0xbf && s[2] >= 0xbe; /* U+FFFE, U+FFFF */
        if (n > 1) {
            buffer_printf(out, "%.*s", nonchar ? 1 : (int)n, nonchar ? "?" : (const char *)s);
            s += n;
            continue;
        }
        switch (*s) {
        case '&': buffer_printf(out, "&amp;"); break;
        case '<': buffer_printf(out, "&lt;"); break;
        case '>': buffer_printf(out, "&gt;"); break;
        case '"': buffer_printf(out, "&quot;"); break;
        case '\'': buffer_printf(out, "&apos;"); break;
        case '\t': buffer_printf(out, "&#9;"); break;
        case '\n': buffer_printf(out, "&#10;"); break;
        default: buffer_printf(out, "%c", n == 1 && (*s >= 0x20 && *s != 0x7f) ? (char)*s : '?');
        }
        s++;
    }
}

/* A Markdown table cell: ASCII punctuation that could start markup (or end
 * the cell, '|') backslash-escaped, line breaks as spaces, bytes that are
 * not UTF-8 as '?'. */
static void markdown_escaped(text_buffer *out, const char *text)
{
    const unsigned char *s = (const unsigned char *)text;
    while (*s) {
        size_t n = utf8_length(s);
        if (n > 1) {
            buffer_printf(out, "%.*s", (int)n, (const char *)s);
            s += n;
            continue;
        }
        if (n == 1 && strchr("\\`*_[]<>|#&~!$", *s)) buffer_printf(out, "\\%c", *s);
        else if (n == 1 && *s >= 0x20 && *s != 0x7f) buffer_printf(out, "%c", *s);
        else buffer_printf(out, n == 1 ? " " : "?");
        s++;
    }
}

/* -------------------------------------------------------------- Markdown */

static void render_markdown(const check_report *r, text_buffer *out)
{
    bool grouped = any_group(r);
    size_t skip = grouped ? 0 : 1;
    char summary[2048];
    buffer_printf(out, "### slaw check: %s\n\n", r->failures || r->error ? "FAIL" : "PASS");
    buffer_printf(out, "|");
    for (size_t c = skip; c < 7; c++) buffer_printf(out, " %s |", headers[c]);
    buffer_printf(out, "\n|");
    for (size_t c = skip; c < 7; c++)
        buffer_printf(out, " %s |", c >= 2 && c <= 4 ? "---:" : "---");
    buffer_printf(out, "\n");
    for (size_t i = 0; i < r->n_rows; i++) {
        const char *cells[7];
        char buf[2][32];
        size_t n = row_cells(r->rows[i], grouped, cells, buf);
        buffer_printf(out, "|");
        for (size_t c = 0; c < n; c++) {
            buffer_printf(out, " ");
            bool fail = c + 1 == n && !r->rows[i]->pass;
            if (fail) buffer_printf(out, "**");
            markdown_escaped(out, cells[c]);
            buffer_printf(out, fail ? "** |" : " |");
        }
        buffer_printf(out, "\n");
    }
    buffer_printf(out, "\n");
    for (size_t i = 0; i < r->n_rows; i++) {
        if (r->rows[i]->pass) continue;
        buffer_printf(out, "- ");
        markdown_escaped(out, ROW_MESSAGE(r->rows[i]));
        buffer_printf(out, "\n");
    }
    check_report_summary(r, summary, sizeof summary);
    buffer_printf(out, "%s", r->failures || r->error ? "\n" : "");
    markdown_escaped(out, summary);
    buffer_printf(out, "\n");
}

/* ----------------------------------------------------------------- JUnit */

static void render_junit(const check_report *r, text_buffer *out)
{
    size_t errors = r->error ? 1 : 0, failures = r->error ? 0 : r->failures;
    buffer_printf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    buffer_printf(out,
                  "<testsuites name=\"slaw check\" tests=\"%zu\" failures=\"%zu\" "
                  "errors=\"%zu\">\n",
                  r->n_rows, failures, errors);
    buffer_printf(out,
                  "  <testsuite name=\"slaw check\" tests=\"%zu\" failures=\"%zu\" "
                  "errors=\"%zu\" skipped=\"0\">\n",
                  r->n_rows, failures, errors);
    if (r->baseline) {
        buffer_printf(out, "    <properties>\n      <property name=\"baseline\" value=\"");
        xml_escaped(out, r->baseline);
        buffer_printf(out, "\"/>\n    </properties>\n");
    }
    for (size_t i = 0; i < r->n_rows; i++) {
        const slaw_verdict_row *row = r->rows[i];
        buffer_printf(out, "    <testcase classname=\"slaw.check");
        if (row->group) {
            buffer_printf(out, ".");
            xml_escaped(out, row->group);
        }
        buffer_printf(out, "\" name=\"");
        xml_escaped(out, row->label);
        buffer_printf(out, "\">\n");
        const char *tag = row->pass ? NULL : r->error ? "error" : "failure";
        if (tag) {
            buffer_printf(out, "      <%s type=\"%s\" message=\"", tag,
                          r->error ? "fit failed" : "regression");
            xml_escaped(out, ROW_MESSAGE(row));
            buffer_printf(out, "\">");
            xml_escaped(out, ROW_MESSAGE(row));
            buffer_printf(out, "</%s>\n", tag);
        } else {
            buffer_printf(out, "      <system-out>");
            xml_escaped(out, ROW_MESSAGE(row));
            buffer_printf(out, "</system-out>\n");
        }
        buffer_printf(out, "    </testcase>\n");
    }
    buffer_printf(out, "  </testsuite>\n</testsuites>\n");
}

void check_report_render(const check_report *r, output_format format, text_buffer *out)
{
    switch (format) {
    case OUTPUT_JSON: render_json(r, out); break;
    case OUTPUT_MARKDOWN: render_markdown(r, out); break;
    case OUTPUT_JUNIT: render_junit(r, out); break;
    case OUTPUT_TABLE:
    case OUTPUT_CSV: render_table(r, out); break;
    }
}
