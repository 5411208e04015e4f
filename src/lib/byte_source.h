/* byte_source.h — bytes from memory or a stream, read in pieces or whole
 * (byte_source.c); the loaders and the artifact reader share it. */
#ifndef SLAW_BYTE_SOURCE_H
#define SLAW_BYTE_SOURCE_H

#include "error.h"

#include <stdbool.h>
#include <stdio.h>

/* Bytes from memory or from a stream, with the stream's first bytes already
 * read (for detecting the format) served from memory first. */
typedef struct byte_source {
    FILE *fp;         /* NULL: memory only */
    const char *data; /* memory, or the prefix already read from fp */
    size_t len, pos;
    bool failed; /* a read error on fp */
} byte_source;

/* Reads up to cap bytes; 0 at the end or on error (see failed). */
size_t source_read(byte_source *s, char *buf, size_t cap);

/* Reads the rest of a source with a stream (in->fp) into one buffer: JSON
 * and artifacts are read whole.  Caller frees *data.  More than limit bytes
 * is refused with too_large(name, err), which names the limit (SLAW_ELIMIT);
 * a read error is SLAW_EIO "read error: " and the reason. */
slaw_status slurp(byte_source *in, const char *name, size_t limit,
                  slaw_status (*too_large)(const char *name, slaw_error *err), char **data,
                  size_t *len, slaw_error *err);

#endif /* SLAW_BYTE_SOURCE_H */
