/* byte_source.c — bytes from memory or a stream: read in pieces (the CSV
 * loader) or whole (JSON, fit artifacts). */
#include "byte_source.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

size_t source_read(byte_source *s, char *buf, size_t cap)
{
    if (s->pos < s->len) {
        size_t n = s->len - s->pos;
        if (n > cap) n = cap;
        memcpy(buf, s->data + s->pos, n);
        s->pos += n;
        return n;
    }
    if (!s->fp) return 0;
    size_t n = fread(buf, 1, cap, s->fp);
    if (n == 0 && ferror(s->fp)) s->failed = true;
    return n;
}

/* See byte_source.h.  The size of a regular file is known up front: refused
 * at once when too large, and read into a buffer of its size. */
slaw_status slurp(byte_source *in, const char *name, size_t limit,
                  slaw_status (*too_large)(const char *name, slaw_error *err), char **data,
                  size_t *len, slaw_error *err)
{
    size_t cap = 1 << 16, n = 0;
    struct stat info;
    if (fstat(fileno(in->fp), &info) == 0 && S_ISREG(info.st_mode)) {
        if ((uintmax_t)info.st_size > limit) return too_large(name, err);
        if ((size_t)info.st_size + 1 > cap) cap = (size_t)info.st_size + 1;
    }
    char *buf = malloc(cap);
    if (!buf) return error_nomem_at(err, name, 0);
    for (;;) {
        if (n == cap) {
            if (n > limit) {
                free(buf);
                return too_large(name, err);
            }
            /* One byte past the limit tells a file at the limit from a longer one. */
            size_t grown = cap * 2 > limit ? limit + 1 : cap * 2;
            char *b = realloc(buf, grown);
            if (!b) {
                free(buf);
                return error_nomem_at(err, name, 0);
            }
            buf = b;
            cap = grown;
        }
        size_t got = source_read(in, buf + n, cap - n);
        if (!got) break;
        n += got;
    }
    if (in->failed) {
        free(buf);
        return error_set(err, SLAW_EIO, name, 0, "read error: %s", strerror(errno));
    }
    if (n > limit) {
        free(buf);
        return too_large(name, err);
    }
    *data = buf;
    *len = n;
    return SLAW_OK;
}
