/* load.c — open inputs, detect their format, and hand them to a loader. */
#include "load.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void slaw_load_options_init(slaw_load_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->format = SLAW_FORMAT_AUTO;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    if (a < b) return false;
    for (size_t i = 0; i < b; i++) {
        char c = s[a - b + i];
        if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
        if (c != suffix[i]) return false;
    }
    return true;
}

static slaw_format format_from_name(const char *name)
{
    if (ends_with(name, ".csv") || ends_with(name, ".csv.txt")) return SLAW_FORMAT_CSV;
    if (ends_with(name, ".jsonl") || ends_with(name, ".ndjson")) return SLAW_FORMAT_JSONL;
    if (ends_with(name, ".json")) return SLAW_FORMAT_JSON;
    return SLAW_FORMAT_AUTO;
}

/* Whether the object opening at p[i] has a top-level "runs" member holding
 * an array, as far as its first line (within the peek) shows. */
static bool first_line_holds_runs(const char *p, size_t i, size_t len)
{
    int depth = 0;
    for (; i < len && p[i] != '\n'; i++) {
        if (p[i] == '{' || p[i] == '[') {
            depth++;
        } else if (p[i] == '}' || p[i] == ']') {
            if (--depth <= 0) return false;
        } else if (p[i] == '"') {
            size_t start = ++i;
            while (i < len && p[i] != '"') i += p[i] == '\\' ? 2 : 1;
            if (i >= len) return false;
            if (depth != 1 || i - start != 4 || memcmp(p + start, "runs", 4) != 0) continue;
            size_t j = i + 1;
            while (j < len && (p[j] == ' ' || p[j] == '\t')) j++;
            if (j >= len || p[j] != ':') continue;
            for (j++; j < len && (p[j] == ' ' || p[j] == '\t');) j++;
            return j < len && p[j] == '[';
        }
    }
    return false;
}

/* Content sniffing: JSON starts with '[' or '{' (after a BOM and blanks);
 * JSON Lines is a '{' value followed by another value on a later line, or
 * one line holding one run (not {"runs": [...]} written on one line). */
static slaw_format format_from_content(const char *p, size_t len)
{
    size_t i = 0;
    if (len >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3)) i = 3;
    while (i < len && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n')) i++;
    if (i == len) return SLAW_FORMAT_CSV;
    if (p[i] == '[') return SLAW_FORMAT_JSON;
    if (p[i] != '{') return SLAW_FORMAT_CSV;
    /* Find the end of the first line; a second line starting with '{' means
     * JSON Lines.  A pretty-printed object has "key": lines instead. */
    const char *nl = memchr(p + i, '\n', len - i);
    while (nl) {
        size_t j = (size_t)(nl - p) + 1;
        while (j < len && (p[j] == ' ' || p[j] == '\t' || p[j] == '\r')) j++;
        if (j >= len) break;
        if (p[j] == '\n') {
            nl = p + j;
            continue;
        }
        return p[j] == '{' ? SLAW_FORMAT_JSONL : SLAW_FORMAT_JSON;
    }
    return first_line_holds_runs(p, i, len) ? SLAW_FORMAT_JSON : SLAW_FORMAT_JSONL;
}

static slaw_status file_too_large(const char *name, slaw_error *err)
{
    return error_set(err, SLAW_ELIMIT, name, 0,
                     "a file larger than the %zu-byte limit for JSON input (read whole)",
                     SLAW_MAX_FILE_BYTES);
}

/* Loads one input (memory, or an open stream) into r. */
static slaw_status load_one(slaw_runs *r, const char *name, byte_source *in,
                            const slaw_load_options *opt, slaw_error *err)
{
    char peek[4096];
    slaw_format format = opt->format;
    if (format == SLAW_FORMAT_AUTO && strcmp(name, "-") != 0) format = format_from_name(name);
    if (format == SLAW_FORMAT_AUTO) {
        if (in->fp) {
            size_t got = source_read(in, peek, sizeof peek);
            if (in->failed)
                return error_set(err, SLAW_EIO, name, 0, "read error: %s", strerror(errno));
            in->data = peek;
            in->len = got;
            in->pos = 0;
        }
        format = format_from_content(in->data + in->pos, in->len - in->pos);
    }
    size_t file = runs_add_file(r, name, format);
    if (file == SIZE_MAX) return error_nomem_at(err, name, 0);
    if (format == SLAW_FORMAT_CSV) return load_csv(r, (uint32_t)file, in, err);

    char *data = NULL;
    size_t len = 0;
    slaw_status st;
    if (in->fp) {
        st = slurp(in, name, SLAW_MAX_FILE_BYTES, file_too_large, &data, &len, err);
        if (st != SLAW_OK) return st;
        st = load_json(r, (uint32_t)file, data, len, format, opt, err);
        free(data);
    } else {
        st = load_json(r, (uint32_t)file, in->data + in->pos, in->len - in->pos, format, opt, err);
    }
    return st;
}

static slaw_status load_path(slaw_runs *r, const char *path, const slaw_load_options *opt,
                             slaw_error *err)
{
    bool is_stdin = !strcmp(path, "-");
    FILE *fp = is_stdin ? stdin : fopen(path, "rb");
    if (!fp) return error_set(err, SLAW_EIO, path, 0, "cannot open: %s", strerror(errno));
    byte_source in = {.fp = fp};
    slaw_status st = load_one(r, is_stdin ? "<stdin>" : path, &in, opt, err);
    if (!is_stdin) fclose(fp);
    return st;
}

/* The steps after the bytes are read, shared by files and buffers: roles
 * bound, compute derived; the runs freed on any failure. */
static slaw_status finish_load(slaw_runs *r, slaw_status st, const slaw_load_options *opt,
                               slaw_runs **out, slaw_error *err)
{
    if (st == SLAW_OK) st = roles_resolve(r, opt, err);
    if (st == SLAW_OK) st = derive_compute(r, err);
    if (st != SLAW_OK) {
        slaw_runs_free(r);
        return st;
    }
    *out = r;
    return SLAW_OK;
}

slaw_status slaw_runs_load(const char *const *paths, size_t n_paths, const slaw_load_options *opt,
                           slaw_runs **out, slaw_error *err)
{
    slaw_load_options defaults;
    if (!opt) {
        slaw_load_options_init(&defaults);
        opt = &defaults;
    }
    if (!n_paths) return error_set(err, SLAW_EUSAGE, NULL, 0, "no input files");
    slaw_runs *r = runs_new();
    if (!r) return error_nomem(err);
    slaw_status st = SLAW_OK;
    for (size_t i = 0; i < n_paths && st == SLAW_OK; i++) st = load_path(r, paths[i], opt, err);
    return finish_load(r, st, opt, out, err);
}

slaw_status slaw_runs_load_buffer(const char *name, const char *data, size_t len,
                                  const slaw_load_options *opt, slaw_runs **out, slaw_error *err)
{
    slaw_load_options defaults;
    if (!opt) {
        slaw_load_options_init(&defaults);
        opt = &defaults;
    }
    slaw_runs *r = runs_new();
    if (!r) return error_nomem(err);
    byte_source in = {.data = data, .len = len};
    slaw_status st = load_one(r, name, &in, opt, err);
    return finish_load(r, st, opt, out, err);
}
