/* signals.h — signals that remove unfinished outputs (signals.c). */
#ifndef SLAW_CLI_SIGNALS_H
#define SLAW_CLI_SIGNALS_H

/* SIGINT, SIGTERM and SIGHUP (unless ignored at start) remove the temporary
 * files of the outputs in progress, kill the child named by signals_child,
 * and end slaw with the signal's own status. */
void signals_install(void);
/* The child process to kill with slaw (gnuplot), or 0 for none. */
void signals_child(long pid);

#endif /* SLAW_CLI_SIGNALS_H */
