/* cpu_load.c — threads for a parallel region from the processors free now
 * (cpu_load.h). */
#define _GNU_SOURCE /* sched_getaffinity, CPU_COUNT */
#include "cpu_load.h"

#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <unistd.h>

long cpu_load_runnable(const char *loadavg)
{
    const char *s = loadavg;
    for (int field = 0; field < 3; field++) { /* past the three averages */
        while (*s == ' ') s++;
        if (!*s) return -1;
        while (*s && *s != ' ') s++;
    }
    while (*s == ' ') s++;
    char *end;
    long running = strtol(s, &end, 10);
    return end != s && *end == '/' && running >= 0 ? running : -1;
}

int cpu_load_threads_given(int wanted, long cpus, long runnable)
{
    if (wanted < 2 || cpus < 1 || runnable < 1) return wanted < 1 ? 1 : wanted;
    long idle = cpus - (runnable - 1); /* the caller's own processor counts as idle */
    return idle <= 1 ? 1 : idle < wanted ? (int)idle : wanted;
}

/* /proc/loadavg read with plain system calls: no allocation, three calls. */
static long runnable_now(void)
{
    char text[128];
    int fd = open("/proc/loadavg", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    ssize_t n = read(fd, text, sizeof text - 1);
    close(fd);
    if (n <= 0) return -1;
    text[n] = '\0';
    return cpu_load_runnable(text);
}

int cpu_load_threads(int wanted)
{
    if (wanted < 2) return wanted < 1 ? 1 : wanted;
    cpu_set_t set;
    long cpus = sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set) : -1;
    return cpu_load_threads_given(wanted, cpus, runnable_now());
}
