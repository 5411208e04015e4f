/* slow_fsync.c — an LD_PRELOAD shim for tests/output/kill-during-write:
 * fsync() sleeps SLOW_FSYNC_SECONDS (default 600) before doing its work, so
 * a test can kill slaw after its output is written to the temporary file
 * and before that file is renamed into place, every time. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <unistd.h>

int fsync(int fd)
{
    const char *s = getenv("SLOW_FSYNC_SECONDS");
    sleep(s ? (unsigned)atoi(s) : 600u);
    int (*real)(int) = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
    return real ? real(fd) : 0;
}
