/* error.c — status descriptions and the filling of caller-owned errors. */
#include "internal.h"

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
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    return code;
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
    else if (err->file[0])
        snprintf(buf, size, "%s: %s", err->file, err->message);
    else
        snprintf(buf, size, "%s", err->message);
    return buf;
}

/* Messages quote user text; keep it short and printable so a binary file
 * cannot flood or garble the terminal. */
const char *quote_text(const char *text, size_t len, char *buf, size_t size)
{
    size_t o = 0, limit = 40;
    if (size < 8) {
        if (size) buf[0] = '\0';
        return buf;
    }
    for (size_t i = 0; i < len && o + 5 < size; i++) {
        unsigned char c = (unsigned char)text[i];
        if (i == limit) {
            memcpy(buf + o, "...", 3);
            o += 3;
            break;
        }
        if (c < 0x20 || c == 0x7f) {
            if (o + 5 >= size) break;
            o += (size_t)snprintf(buf + o, size - o, "\\x%02x", c);
        } else {
            buf[o++] = (char)c;
        }
    }
    buf[o] = '\0';
    return buf;
}
