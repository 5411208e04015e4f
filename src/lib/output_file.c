/* output_file.c — writing a file so that it is either complete or untouched:
 * a temporary file in the same directory, flushed, then renamed into place. */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

slaw_status slaw_write_file_atomic(const char *path, const void *data, size_t len, slaw_error *err)
{
    size_t plen = strlen(path);
    char *tmp = malloc(plen + 16);
    if (!tmp) return error_set(err, SLAW_ENOMEM, path, 0, "out of memory");
    snprintf(tmp, plen + 16, "%s.tmp.XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        slaw_status st = error_set(err, SLAW_EIO, path, 0, "cannot write: %s", strerror(errno));
        free(tmp);
        return st;
    }
    /* mkstemp makes the file 0600; give it the usual mode for new files. */
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask);
    const char *p = data;
    size_t left = len;
    while (left) {
        ssize_t n = write(fd, p, left);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) goto fail;
        p += n;
        left -= (size_t)n;
    }
    if (fsync(fd) != 0 && errno != EINVAL) goto fail;
    if (close(fd) != 0) {
        fd = -1;
        goto fail;
    }
    fd = -1;
    if (rename(tmp, path) != 0) goto fail;
    free(tmp);
    return SLAW_OK;
fail:;
    int saved = errno;
    if (fd >= 0) close(fd);
    unlink(tmp);
    free(tmp);
    return error_set(err, SLAW_EIO, path, 0, "cannot write: %s", strerror(saved));
}
