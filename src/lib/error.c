/* error.c — status descriptions and the filling of caller-owned errors. */
#include "error.h"

#include <stdio.h>
#include <string.h>

const char *slaw_version(void)
{
    return SLAW_VERSION;
}

const char *slaw_strerror(slaw_status status)
{
    switch (status) {
    case SLAW_OK: return "success";
    case SLAW_EUSAGE: return "invalid option or argument";
    case SLAW_EINPUT: return "malformed or unusable input";
    case SLAW_ELIMIT: return "input exceeds a limit";
    case SLAW_EFIT: return "the fit failed";
    case SLAW_EIO: return "input/output error";
    case SLAW_ENOMEM: return "out of memory";
    case SLAW_EINTERNAL: return "internal error";
    }
    return "unknown status";
}

slaw_status error_setv(slaw_error *err, slaw_status code, const char *file, long line,
                       const char *fmt, va_list ap)
{
    if (!err) return code;
    err->code = code;
    snprintf(err->file, sizeof err->file, "%s", file ? file : "");
    err->line = line;
    err->column = 0;
    err->option[0] = '\0';
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    return code;
}

slaw_status level_check(double level, slaw_error *err)
{
    if (level > 0 && level < 1) return SLAW_OK;
    return error_set_option(err, SLAW_EUSAGE, "level",
                            "level %g: expected a number between 0 and 1, e.g. 0.95", level);
}

slaw_status error_set(slaw_error *err, slaw_status code, const char *file, long line,
                      const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    error_setv(err, code, file, line, fmt, ap);
    va_end(ap);
    return code;
}

slaw_status error_set_option(slaw_error *err, slaw_status code, const char *option, const char *fmt,
                             ...)
{
    va_list ap;
    va_start(ap, fmt);
    error_setv(err, code, NULL, 0, fmt, ap);
    va_end(ap);
    error_option(err, option);
    return code;
}

slaw_status error_option(slaw_error *err, const char *option)
{
    if (!err) return SLAW_OK;
    snprintf(err->option, sizeof err->option, "%s", option);
    return err->code;
}

slaw_status error_prefix(slaw_error *err, const char *fmt, ...)
{
    if (!err) return SLAW_OK;
    char head[256], rest[sizeof err->message];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(head, sizeof head, fmt, ap);
    va_end(ap);
    size_t h = strlen(head);
    memcpy(rest, err->message, sizeof rest);
    if (h >= sizeof err->message) h = sizeof err->message - 1;
    memcpy(err->message, head, h);
    size_t room = sizeof err->message - 1 - h, len = strnlen(rest, sizeof rest);
    if (len > room) len = room;
    memcpy(err->message + h, rest, len);
    err->message[h + len] = '\0';
    return err->code;
}

slaw_status error_nomem_at(slaw_error *err, const char *file, long line)
{
    return error_set(err, SLAW_ENOMEM, file, line, "%s", slaw_strerror(SLAW_ENOMEM));
}

slaw_status error_nomem(slaw_error *err)
{
    return error_nomem_at(err, NULL, 0);
}

char *slaw_error_text(const slaw_error *err, char *buf, size_t size)
{
    if (!size) return buf;
    if (!err) {
        snprintf(buf, size, "unknown error");
        return buf;
    }
    if (err->file[0] && err->line > 0 && err->column > 0)
        snprintf(buf, size, "%s:%ld:%ld: %s", err->file, err->line, err->column, err->message);
    else if (err->file[0] && err->line > 0)
        snprintf(buf, size, "%s:%ld: %s", err->file, err->line, err->message);
    else if (err->file[0]) snprintf(buf, size, "%s: %s", err->file, err->message);
    else snprintf(buf, size, "%s", err->message);
    return buf;
}

/* The length of the printable UTF-8 character at s (n bytes left) of two
 * bytes or more; 0 otherwise (C1 controls such as U+009B, which some
 * terminals take for an escape sequence, included). */
static size_t printable_utf8(const unsigned char *s, size_t n)
{
    size_t k = s[0] >= 0x80 ? utf8_length(s, n) : 0;
    if (k == 2 && s[0] == 0xc2 && s[1] < 0xa0) return 0;
    return k;
}

/* text[0..len) with control characters and bytes that are not UTF-8 as
 * \xNN, cut with "..." after limit bytes or at the end of buf. */
static const char *escape_text(const char *text, size_t len, size_t limit, char *buf, size_t size)
{
    size_t o = 0;
    if (size < 8) {
        if (size) buf[0] = '\0';
        return buf;
    }
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        size_t n = printable_utf8((const unsigned char *)text + i, len - i);
        size_t need = n > 1 ? n : c < 0x20 || c >= 0x7f ? 4 : 1;
        if (i == limit || o + need + 4 > size) {
            memcpy(buf + o, "...", 3);
            o += 3;
            break;
        }
        if (n > 1) {
            memcpy(buf + o, text + i, n);
            i += n - 1;
        } else if (need == 4) {
            snprintf(buf + o, size - o, "\\x%02x", c);
        } else {
            buf[o] = (char)c;
        }
        o += need;
    }
    buf[o] = '\0';
    return buf;
}

/* Messages quote user text; keep it short and printable so a binary file
 * cannot flood or garble the terminal. */
const char *quote_text(const char *text, size_t len, char *buf, size_t size)
{
    return escape_text(text, len, 40, buf, size);
}

const char *slaw_text_printable(const char *text, char *buf, size_t size)
{
    return escape_text(text, strlen(text), SIZE_MAX, buf, size);
}

size_t utf8_length(const unsigned char *s, size_t n)
{
    if (!n) return 0;
    if (s[0] < 0x80) return 1;
    size_t k = s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 ? 2 : 0;
    if (!k || s[0] > 0xf4 || k > n) return 0;
    for (size_t i = 1; i < k; i++)
        if ((s[i] & 0xc0) != 0x80) return 0;
    if (k == 3 && ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] >= 0xa0))) return 0;
    if (k == 4 && ((s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] >= 0x90))) return 0;
    return k;
}
