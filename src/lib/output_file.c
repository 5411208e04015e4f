/* output_file.c — writing a file so that it is either complete or untouched:
 * a temporary file in the same directory, flushed, then renamed into place.
 *
 * The temporary file is hidden and says what it is: "dir/.NAME.PID-K.tmp".
 * A process killed while writing (SIGKILL, a power cut) can leave one
 * behind, never a half-written NAME; slaw reads only the files it is given,
 * so a stray one is never mistaken for output and can be deleted. */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Creates a new temporary file beside path; *tmp gets its name (caller
 * frees).  O_EXCL never opens an existing file, and open() applies the
 * umask to 0666 as for any new file, without touching the process umask
 * (which other threads share). */
static int create_beside(const char *path, char **tmp)
{
    static atomic_uint counter; /* names differ between threads too */
    const char *slash = strrchr(path, '/');
    size_t dir_len = slash ? (size_t)(slash - path) + 1 : 0;
    size_t size = strlen(path) + 64;
    char *name = malloc(size);
    if (!name) {
        errno = ENOMEM;
        return -1;
    }
    for (int attempt = 0; attempt < 100; attempt++) {
        snprintf(name, size, "%.*s.%s.%ld-%u.tmp", (int)dir_len, path, path + dir_len,
                 (long)getpid(), counter++);
        int fd = open(name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0 || errno != EEXIST) {
            if (fd >= 0) *tmp = name;
            else free(name);
            return fd;
        }
    }
    free(name);
    errno = EEXIST;
    return -1;
}

static bool write_all(int fd, const char *p, size_t left)
{
    while (left) {
        ssize_t n = write(fd, p, left);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            if (n == 0) errno = EIO;
            return false;
        }
        p += n;
        left -= (size_t)n;
    }
    return true;
}

/* A device or pipe (--out /dev/stdout) cannot be replaced by a rename:
 * it is written in place. */
static slaw_status write_in_place(const char *path, const void *data, size_t len, slaw_error *err)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0 || !write_all(fd, data, len)) {
        int saved = errno;
        if (fd >= 0) close(fd);
        return error_set(err, SLAW_EIO, path, 0, "cannot write: %s", strerror(saved));
    }
    if (close(fd) != 0)
        return error_set(err, SLAW_EIO, path, 0, "cannot write: %s", strerror(errno));
    return SLAW_OK;
}

slaw_status slaw_write_file_atomic(const char *path, const void *data, size_t len, slaw_error *err)
{
    struct stat old;
    bool exists = stat(path, &old) == 0;
    if (exists && !S_ISREG(old.st_mode) && !S_ISDIR(old.st_mode))
        return write_in_place(path, data, len, err);
    char *tmp = NULL;
    int fd = create_beside(path, &tmp);
    if (fd < 0) return error_set(err, SLAW_EIO, path, 0, "cannot write: %s", strerror(errno));
    /* A file replaced keeps its permissions (a private fit stays private). */
    if (exists && fchmod(fd, old.st_mode & 07777) != 0) goto fail;
    if (!write_all(fd, data, len)) goto fail;
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
