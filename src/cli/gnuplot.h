/* gnuplot.h — drawing a script with gnuplot (gnuplot.c). */
#ifndef SLAW_CLI_GNUPLOT_H
#define SLAW_CLI_GNUPLOT_H

#include <stddef.h>

/* Runs gnuplot on script (a file of len bytes, whose output goes to gnuplot's
 * standard output) and puts what it draws at out: through a temporary file
 * in out's directory, renamed into place only when gnuplot succeeds, so a
 * failure leaves no file and an existing out untouched.  Returns an exit
 * status (EXIT_IO with the reason when gnuplot is missing or fails). */
int gnuplot_draw(const char *script, size_t len, const char *out);

#endif /* SLAW_CLI_GNUPLOT_H */
