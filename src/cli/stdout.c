/* stdout.c — standard output's failures: remembered as they happen, and
 * reported once at exit. */
#include "output.h"

#include <errno.h>
#include <stdio_ext.h>
#include <string.h>
#include <unistd.h>

static int stdout_errno; /* of the first write to stdout that failed */
static char stdout_buffer[1 << 16];

void stdout_open(void)
{
    if (!isatty(STDOUT_FILENO)) setvbuf(stdout, stdout_buffer, _IOFBF, sizeof stdout_buffer);
}

void stdout_write(const void *data, size_t len)
{
    if (len && fwrite(data, 1, len, stdout) != len && !stdout_errno) stdout_errno = errno;
}

/* Like coreutils' close_stdout: output lost to a full disk or a closed
 * descriptor is a failure, not a success.  What is still buffered is
 * flushed here, so errno names the cause; a failed write of a large block
 * (stdout_write) is remembered, since stdio keeps no errno. */
int stdout_close(int status)
{
    bool pending = __fpending(stdout) != 0;
    bool failed = ferror(stdout) != 0;
    errno = 0;
    if (fflush(stdout) != 0) failed = true;
    int saved = stdout_errno ? stdout_errno : errno;
    errno = 0;
    if (fclose(stdout) != 0) {
        if (pending || errno != EBADF) failed = true; /* closed and unused: fine */
        if (!saved) saved = errno;
    }
    if (!failed) return status;
    if (saved) cli_errorf("write error: %s", strerror(saved));
    else cli_errorf("write error");
    return EXIT_IO;
}
