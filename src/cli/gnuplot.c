/* gnuplot.c — running gnuplot, the plotting program of the Unix toolbox, on
 * a script: the script on its standard input, the picture from its standard
 * output into a temporary file next to the output, renamed into place only
 * when gnuplot succeeded; its messages shown when it fails. */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_MESSAGES 8192 /* of gnuplot's stderr, kept for the error message */

static const char install_hint[] =
    "gnuplot is needed to draw plots: install it (Debian: apt-get install gnuplot-nox), "
    "or write the script with --script FILE";

/* The child: script on stdin, picture on stdout, messages into err_fd; if
 * exec fails, its errno goes through exec_fd (closed by a successful exec). */
static void run_child(int script_fd, int out_fd, int err_fd, int exec_fd)
{
    if (dup2(script_fd, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(err_fd, 2) < 0) {
        int e = errno;
        ssize_t w = write(exec_fd, &e, sizeof e);
        (void)w;
        _exit(127);
    }
    execlp("gnuplot", "gnuplot", (char *)NULL);
    int e = errno;
    ssize_t w = write(exec_fd, &e, sizeof e);
    (void)w;
    _exit(127);
}

/* Reads fd to its end into buf (at most size - 1 bytes kept). */
static void read_all(int fd, char *buf, size_t size)
{
    size_t len = 0;
    char chunk[1024];
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        size_t keep = (size_t)n < size - 1 - len ? (size_t)n : size - 1 - len;
        memcpy(buf + len, chunk, keep);
        len += keep;
    }
    buf[len] = '\0';
    while (len && buf[len - 1] == '\n') buf[--len] = '\0';
}

/* Forks gnuplot and waits for it; fills *status (waitpid's), *exec_errno
 * (0 when gnuplot started) and messages.  Returns false when it could not
 * fork. */
static bool spawn(FILE *script, int out_fd, int *status, int *exec_errno, char *messages,
                  size_t size)
{
    int err_pipe[2], exec_pipe[2];
    if (pipe(err_pipe) != 0) return false;
    if (pipe(exec_pipe) != 0) {
        close(err_pipe[0]);
        close(err_pipe[1]);
        return false;
    }
    fcntl(exec_pipe[1], F_SETFD, FD_CLOEXEC);
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid == 0) run_child(fileno(script), out_fd, err_pipe[1], exec_pipe[1]);
    close(err_pipe[1]);
    close(exec_pipe[1]);
    *exec_errno = 0;
    if (pid > 0) {
        ssize_t n;
        do n = read(exec_pipe[0], exec_errno, sizeof *exec_errno);
        while (n < 0 && errno == EINTR);
        if (n != (ssize_t)sizeof *exec_errno) *exec_errno = 0;
        read_all(err_pipe[0], messages, size);
        while (waitpid(pid, status, 0) < 0 && errno == EINTR) {}
    }
    close(err_pipe[0]);
    close(exec_pipe[0]);
    return pid > 0;
}

/* gnuplot's messages after a success (warnings), one slaw warning a line. */
static void pass_on(const char *messages)
{
    while (*messages) {
        size_t n = strcspn(messages, "\n");
        if (n) cli_warnf("gnuplot: %.*s", (int)n, messages);
        messages += n + (messages[n] == '\n');
    }
}

/* The temporary file becomes out: the usual mode for new files, flushed,
 * renamed.  Returns 0 or EXIT_IO. */
static int put_in_place(int fd, const char *tmp, const char *out)
{
    struct stat st;
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask);
    if (fstat(fd, &st) != 0 || st.st_size == 0) {
        cli_errorf("gnuplot drew nothing into %s", out);
        return EXIT_IO;
    }
    if ((fsync(fd) != 0 && errno != EINVAL) || rename(tmp, out) != 0) {
        cli_errorf("%s: cannot write: %s", out, strerror(errno));
        return EXIT_IO;
    }
    return 0;
}

int gnuplot_draw(const char *script, size_t len, const char *out)
{
    size_t plen = strlen(out);
    char *tmp = malloc(plen + 16), *messages = malloc(MAX_MESSAGES);
    FILE *in = tmpfile();
    int fd = -1, st = EXIT_IO, status = 0, exec_errno = 0;
    if (!tmp || !messages || !in) {
        cli_errorf(in ? "out of memory" : "cannot make a temporary file: %s", strerror(errno));
        goto out;
    }
    snprintf(tmp, plen + 16, "%s.tmp.XXXXXX", out);
    if ((fd = mkstemp(tmp)) < 0) {
        cli_errorf("%s: cannot write: %s", out, strerror(errno));
        goto out;
    }
    if (fwrite(script, 1, len, in) != len || fflush(in) != 0 || fseek(in, 0, SEEK_SET) != 0) {
        cli_errorf("cannot write the script to a temporary file: %s", strerror(errno));
        goto out;
    }
    if (!spawn(in, fd, &status, &exec_errno, messages, MAX_MESSAGES)) {
        cli_errorf("cannot run gnuplot: %s", strerror(errno));
    } else if (exec_errno == ENOENT) {
        cli_errorf("%s", install_hint);
    } else if (exec_errno) {
        cli_errorf("cannot run gnuplot: %s", strerror(exec_errno));
    } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        /* Its line numbers are those of the script that --script writes. */
        if (WIFEXITED(status))
            cli_errorf("gnuplot failed (exit status %d; --script FILE writes the script it "
                       "read)%s%s", WEXITSTATUS(status), messages[0] ? ":\n" : "", messages);
        else
            cli_errorf("gnuplot was killed by signal %d%s%s", WTERMSIG(status),
                       messages[0] ? ":\n" : "", messages);
    } else {
        pass_on(messages);
        st = put_in_place(fd, tmp, out);
    }
out:
    if (fd >= 0) {
        close(fd);
        if (st != 0) unlink(tmp);
    }
    if (in) fclose(in);
    free(messages);
    free(tmp);
    return st;
}
