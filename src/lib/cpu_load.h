/* cpu_load.h — how many threads a parallel region can use now.  A thread
 * that finds no free processor waits for one, and the region's end waits for
 * it: on a machine busy with other work a team can take longer than its
 * first thread alone.  libgomp's dynamic teams (OMP_DYNAMIC) judge by the
 * 15-minute load average, which is blind to the bursts that matter for a
 * region of milliseconds; the kernel's count of tasks running now is not. */
#ifndef SLAW_CPU_LOAD_H
#define SLAW_CPU_LOAD_H

/* At most `wanted`, at least 1: the processors this process may run on
 * less those busy with other tasks (the kernel's count of runnable tasks,
 * less the caller).  `wanted` itself where the count cannot be read. */
int cpu_load_threads(int wanted);

/* The same from given figures: `cpus` the process may run on, `runnable`
 * tasks in the whole system including the caller. */
int cpu_load_threads_given(int wanted, long cpus, long runnable);

/* The runnable tasks in /proc/loadavg's text ("0.5 0.4 0.3 3/250 1234"),
 * or -1 when the text has no such field. */
long cpu_load_runnable(const char *loadavg);

#endif
