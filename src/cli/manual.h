/* manual.h — the man page and the bash completion, from the tables
 * (manual.c). */
#ifndef SLAW_CLI_MANUAL_H
#define SLAW_CLI_MANUAL_H

#include <stdio.h>

void print_man_page(FILE *out);
void print_bash_completion(FILE *out);

#endif /* SLAW_CLI_MANUAL_H */
