/* signals.c — SIGINT, SIGTERM and SIGHUP end slaw as they would unhandled
 * (exit status 128+n), after removing the temporary files of the outputs
 * being written and killing gnuplot, so that neither outlives slaw. */
#include "signals.h"
#include "cli.h"

#include <errno.h>
#include <signal.h>

static const int handled[] = {SIGINT, SIGTERM, SIGHUP};

static volatile sig_atomic_t child; /* gnuplot's process id, or 0 */

/* Only async-signal-safe calls: unlink, kill, sigaction, raise.  The signal
 * raised again is blocked until the handler returns, then ends slaw. */
static void on_signal(int sig)
{
    int saved = errno;
    slaw_output_remove_temporaries();
    if (child > 0) kill((pid_t)child, SIGKILL);
    struct sigaction dfl = {.sa_handler = SIG_DFL};
    sigemptyset(&dfl.sa_mask);
    sigaction(sig, &dfl, NULL);
    raise(sig);
    errno = saved;
}

/* A signal ignored when slaw started (nohup, a background job of a
 * non-interactive shell) stays ignored. */
void signals_install(void)
{
    struct sigaction sa = {.sa_handler = on_signal, .sa_flags = SA_RESTART};
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof handled / sizeof handled[0]; i++)
        sigaddset(&sa.sa_mask, handled[i]);
    for (size_t i = 0; i < sizeof handled / sizeof handled[0]; i++) {
        struct sigaction old;
        if (sigaction(handled[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
            sigaction(handled[i], &sa, NULL);
    }
}

void signals_child(long pid)
{
    child = (sig_atomic_t)pid;
}
