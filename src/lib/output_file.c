/* output_file.c — writing a file so that it is either complete or untouched:
 * a temporary file in the same directory, flushed, then renamed into place.
 *
 * The temporary file is hidden and says what it is: "dir/.NAME.PID-K.tmp".
 * The temporary files of the outputs in progress are listed where a signal
 * handler can remove them (slaw_output_remove_temporaries); a process killed
 * outright (SIGKILL, a power cut) can leave one behind, never a half-written
 * NAME, and the next output to NAME removes it once process PID is gone. */
#include "error.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct slaw_output {
    char *path; /* the destination */
    char *tmp;  /* the temporary file; NULL when written in place */
    int fd;
    bool keep_mode;
    mode_t mode; /* of the file replaced */
};

/* ------------------------------------------ temporaries a signal can remove */

#define MAX_PENDING 16 /* outputs in progress at once (slaw has one or two) */

static _Atomic(char *) pending[MAX_PENDING];

/* Lists name for slaw_output_remove_temporaries; false when the list is
 * full (the output is then written unlisted). */
static bool watch(char *name)
{
    for (size_t i = 0; i < MAX_PENDING; i++) {
        char *expected = NULL;
        if (atomic_compare_exchange_strong(&pending[i], &expected, name)) return true;
    }
    return false;
}

static void unwatch(const char *name)
{
    for (size_t i = 0; i < MAX_PENDING; i++) {
        char *expected = (char *)name;
        if (atomic_compare_exchange_strong(&pending[i], &expected, NULL)) return;
    }
}

/* Only unlink(), which is async-signal-safe, on names complete before they
 * were listed: a handler may run between any two steps of the code below. */
void slaw_output_remove_temporaries(void)
{
    int saved = errno;
    for (size_t i = 0; i < MAX_PENDING; i++) {
        char *name = atomic_load(&pending[i]);
        if (name) unlink(name);
    }
    errno = saved;
}

/* ------------------------------------------------------- stale temporaries */

/* Whether entry is ".BASE.PID-K.tmp" of a process that is gone. */
static bool stale(const char *entry, const char *base, size_t base_len)
{
    if (entry[0] != '.' || strncmp(entry + 1, base, base_len) != 0 || entry[base_len + 1] != '.')
        return false;
    const char *p = entry + base_len + 2;
    char *end;
    if (!isdigit((unsigned char)*p)) return false;
    errno = 0;
    long pid = strtol(p, &end, 10);
    if (*end != '-' || pid <= 0 || errno || pid == (long)getpid()) return false;
    p = end + 1;
    if (!isdigit((unsigned char)*p)) return false;
    while (isdigit((unsigned char)*p)) p++;
    if (strcmp(p, ".tmp") != 0) return false;
    return kill((pid_t)pid, 0) != 0 && errno == ESRCH;
}

/* Removes the temporary files that writers of path killed outright left
 * (their process is gone).  Best effort: what cannot be read is left. */
static void remove_stale(const char *path, size_t dir_len)
{
    char *dir = dir_len ? strndup(path, dir_len) : strdup(".");
    DIR *d = dir ? opendir(dir) : NULL;
    const char *base = path + dir_len;
    size_t base_len = strlen(base);
    for (struct dirent *e; d && (e = readdir(d));) {
        struct stat st;
        if (!stale(e->d_name, base, base_len)) continue;
        if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode))
            unlinkat(dirfd(d), e->d_name, 0);
    }
    if (d) closedir(d);
    free(dir);
}

/* --------------------------------------------------------------- outputs */

/* Creates a new temporary file beside o->path, listed for the signal
 * handler before it exists.  O_EXCL never opens an existing file, and
 * open() applies the umask to 0666 as for any new file, without touching
 * the process umask (which other threads share). */
static int create_beside(slaw_output *o)
{
    static atomic_uint counter; /* names differ between threads too */
    const char *slash = strrchr(o->path, '/');
    size_t dir_len = slash ? (size_t)(slash - o->path) + 1 : 0;
    size_t size = strlen(o->path) + 64;
    remove_stale(o->path, dir_len);
    for (int attempt = 0; attempt < 100; attempt++) {
        char *name = malloc(size);
        if (!name) {
            errno = ENOMEM;
            return -1;
        }
        snprintf(name, size, "%.*s.%s.%ld-%u.tmp", (int)dir_len, o->path, o->path + dir_len,
                 (long)getpid(), counter++);
        bool listed = watch(name);
        int fd = open(name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0) {
            o->tmp = name;
            return fd;
        }
        int saved = errno;
        if (listed) unwatch(name);
        free(name);
        errno = saved;
        if (errno != EEXIST) return -1;
    }
    errno = EEXIST;
    return -1;
}

static void output_free(slaw_output *o)
{
    if (o->tmp) unwatch(o->tmp);
    free(o->tmp);
    free(o->path);
    free(o);
}

/* A name of a descriptor already open (--out /dev/stdout when the shell sent
 * standard output to a file): renaming over it would replace the link, not
 * write to the descriptor, so it is written in place, appending as the
 * descriptor's other writers do. */
static bool names_open_descriptor(const char *path)
{
    return strcmp(path, "/dev/stdout") == 0 || strcmp(path, "/dev/stderr") == 0 ||
           strncmp(path, "/dev/fd/", 8) == 0 || strncmp(path, "/proc/self/fd/", 14) == 0;
}

slaw_status slaw_output_open(const char *path, slaw_output **out, slaw_error *err)
{
    struct stat old;
    bool exists = stat(path, &old) == 0;
    bool in_place =
        exists && (names_open_descriptor(path) || (!S_ISREG(old.st_mode) && !S_ISDIR(old.st_mode)));
    slaw_output *o = calloc(1, sizeof *o);
    if (!o || !(o->path = strdup(path))) {
        free(o);
        return error_set(err, SLAW_ENOMEM, path, 0, "cannot write: out of memory");
    }
    o->keep_mode = exists;
    if (exists) o->mode = old.st_mode & 07777;
    /* A device, a pipe or an open descriptor cannot be replaced by a
     * rename: it is written in place. */
    if (in_place) o->fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
    else o->fd = create_beside(o);
    if (o->fd < 0) {
        int saved = errno;
        output_free(o);
        return error_set(err, SLAW_EIO, path, 0, "cannot write: %s", strerror(saved));
    }
    *out = o;
    return SLAW_OK;
}

int slaw_output_fd(const slaw_output *o)
{
    return o->fd;
}

void slaw_output_discard(slaw_output *o)
{
    if (!o) return;
    if (o->fd >= 0) close(o->fd);
    if (o->tmp) unlink(o->tmp);
    output_free(o);
}

/* Flushes the temporary file (a file replaced keeps its permissions: a
 * private fit stays private) and renames it over the destination. */
static bool put_in_place(slaw_output *o)
{
    if (o->keep_mode && fchmod(o->fd, o->mode) != 0) return false;
    if (fsync(o->fd) != 0 && errno != EINVAL) return false;
    int fd = o->fd;
    o->fd = -1;
    return close(fd) == 0 && rename(o->tmp, o->path) == 0;
}

slaw_status slaw_output_commit(slaw_output *o, slaw_error *err)
{
    bool ok;
    if (o->tmp) {
        ok = put_in_place(o);
    } else {
        ok = close(o->fd) == 0;
        o->fd = -1;
    }
    if (ok) {
        output_free(o);
        return SLAW_OK;
    }
    int saved = errno;
    slaw_status st = error_set(err, SLAW_EIO, o->path, 0, "cannot write: %s", strerror(saved));
    slaw_output_discard(o);
    return st;
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

slaw_status slaw_write_file_atomic(const char *path, const void *data, size_t len, slaw_error *err)
{
    slaw_output *o;
    slaw_status st = slaw_output_open(path, &o, err);
    if (st != SLAW_OK) return st;
    if (!write_all(o->fd, data, len)) {
        int saved = errno;
        slaw_output_discard(o);
        return error_set(err, SLAW_EIO, path, 0, "cannot write: %s", strerror(saved));
    }
    return slaw_output_commit(o, err);
}
