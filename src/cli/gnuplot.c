/* gnuplot.c — running gnuplot, the plotting program of the Unix toolbox, on
 * a script: the script on its standard input, the picture from its standard
 * output into a temporary file next to the output (slaw_output_open),
 * checked to be whole and renamed into place only when gnuplot succeeded;
 * its messages shown when it fails.  gnuplot dies with slaw. */
#include "gnuplot.h"
#include "cli.h"
#include "signals.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#define MAX_MESSAGES 8192 /* of gnuplot's stderr, kept for the error message */

static const char install_hint[] =
    "gnuplot is needed to draw plots: install it (Debian: apt-get install gnuplot-nox), "
    "or write the script with --script FILE";

/* The child: script on stdin, picture on stdout, messages into err_fd; if
 * exec fails, its errno goes through exec_fd (closed by a successful exec). */
static void run_child(int script_fd, int out_fd, int err_fd, int exec_fd, pid_t parent)
{
#ifdef __linux__
    /* Killed with slaw, even by SIGKILL; a parent already gone ends it here. */
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent) _exit(127);
#else
    (void)parent;
#endif
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
    pid_t parent = getpid(), pid = fork();
    if (pid == 0) run_child(fileno(script), out_fd, err_pipe[1], exec_pipe[1], parent);
    if (pid > 0) signals_child(pid);
    close(err_pipe[1]);
    close(exec_pipe[1]);
    *exec_errno = 0;
    if (pid > 0) {
        ssize_t n;
        do n = read(exec_pipe[0], exec_errno, sizeof *exec_errno);
        while (n < 0 && errno == EINTR);
        if (n != (ssize_t)sizeof *exec_errno) *exec_errno = 0;
        read_all(err_pipe[0], messages, size);
        while (waitpid(pid, status, 0) < 0 && errno == EINTR) {
        }
        signals_child(0);
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

/* Whether a picture in format f that starts with head and ends with tail
 * is whole: gnuplot exits 0 even when its writes failed (a full disk), so
 * the end marker of each format is what tells. */
static bool picture_whole(slaw_plot_format f, const char *head, size_t hn, const char *tail,
                          size_t tn)
{
    static const char png_sig[8] = "\x89PNG\r\n\x1a\n";
    static const char png_end[12] = "\0\0\0\0IEND\xae\x42\x60\x82";
    switch (f) {
    case SLAW_PLOT_PNG:
        return hn >= 8 && !memcmp(head, png_sig, 8) && tn >= 12 &&
               !memcmp(tail + tn - 12, png_end, 12);
    case SLAW_PLOT_PDF:
        /* %%EOF ends the last 1024 bytes, as PDF readers look for it */
        for (size_t i = 0; tn >= 5 && i <= tn - 5; i++)
            if (!memcmp(tail + i, "%%EOF", 5)) return hn >= 5 && !memcmp(head, "%PDF-", 5);
        return false;
    case SLAW_PLOT_SVG:
        while (tn && (tail[tn - 1] == '\n' || tail[tn - 1] == '\r' || tail[tn - 1] == ' ')) tn--;
        return hn >= 1 && head[0] == '<' && tn >= 6 && !memcmp(tail + tn - 6, "</svg>", 6);
    }
    return false;
}

static const char *const end_marker[] = {
    [SLAW_PLOT_PNG] = "its IEND chunk", [SLAW_PLOT_SVG] = "</svg>", [SLAW_PLOT_PDF] = "%%EOF"};

/* Checks the picture gnuplot wrote to fd (a regular file; a device written
 * in place cannot be read back).  Returns 0 or EXIT_IO with the reason. */
static int check_picture(int fd, const char *out)
{
    slaw_plot_format f;
    struct stat st;
    char head[8], tail[1024];
    if (!slaw_plot_format_of(out, &f) || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return 0;
    off_t from = st.st_size > (off_t)sizeof tail ? st.st_size - (off_t)sizeof tail : 0;
    ssize_t hn = pread(fd, head, sizeof head, 0), tn = pread(fd, tail, sizeof tail, from);
    if (hn >= 0 && tn >= 0 && picture_whole(f, head, (size_t)hn, tail, (size_t)tn)) return 0;
    struct statvfs vfs;
    if (fstatvfs(fd, &vfs) == 0 && vfs.f_bavail == 0)
        cli_errorf("%s: cannot write: %s (gnuplot's picture was cut short; %s left as it was)", out,
                   strerror(ENOSPC), out);
    else if (st.st_size == 0) cli_errorf("gnuplot drew nothing into %s", out);
    else
        cli_errorf("%s: gnuplot's picture is cut short (it does not end with %s); %s left as "
                   "it was",
                   out, end_marker[f], out);
    return EXIT_IO;
}

/* Has gnuplot draw script into the output o; 0 or EXIT_IO. */
static int draw(FILE *in, slaw_output *o, const char *out, char *messages)
{
    int status = 0, exec_errno = 0;
    if (!spawn(in, slaw_output_fd(o), &status, &exec_errno, messages, MAX_MESSAGES)) {
        cli_errorf("cannot run gnuplot: %s", strerror(errno));
    } else if (exec_errno == ENOENT) {
        cli_errorf("%s", install_hint);
    } else if (exec_errno) {
        cli_errorf("cannot run gnuplot: %s", strerror(exec_errno));
    } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        /* Its line numbers are those of the script that --script writes. */
        if (WIFEXITED(status))
            cli_errorf("gnuplot failed (exit status %d; --script FILE writes the script it "
                       "read)%s%s",
                       WEXITSTATUS(status), messages[0] ? ":\n" : "", messages);
        else
            cli_errorf("gnuplot was killed by signal %d%s%s", WTERMSIG(status),
                       messages[0] ? ":\n" : "", messages);
    } else {
        pass_on(messages);
        return check_picture(slaw_output_fd(o), out);
    }
    return EXIT_IO;
}

int gnuplot_draw(const char *script, size_t len, const char *out)
{
    char *messages = malloc(MAX_MESSAGES);
    FILE *in = tmpfile();
    slaw_output *o = NULL;
    slaw_error err;
    int st = EXIT_IO;
    if (!messages || !in) {
        if (in) st = cli_nomem();
        else cli_errorf("cannot make a temporary file: %s", strerror(errno));
        goto out;
    }
    if (fwrite(script, 1, len, in) != len || fflush(in) != 0 || fseek(in, 0, SEEK_SET) != 0) {
        cli_errorf("cannot write the script to a temporary file: %s", strerror(errno));
        goto out;
    }
    if (slaw_output_open(out, &o, &err) != SLAW_OK) {
        st = cli_fail(&err);
        goto out;
    }
    st = draw(in, o, out, messages);
    if (st == 0) {
        slaw_output *done = o;
        o = NULL;
        if (slaw_output_commit(done, &err) != SLAW_OK) st = cli_fail(&err);
    }
out:
    slaw_output_discard(o);
    if (in) fclose(in);
    free(messages);
    return st;
}
