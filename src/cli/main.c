/* main.c — slaw's entry point: finds the command and runs it. */
#include "manual.h"
#include "output.h"
#include "signals.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A long text printed whole through stdout_write, so that a failed write
 * keeps its errno for the message (stdio keeps none once its buffer has
 * been dropped). */
static void print_buffered(void (*print)(FILE *))
{
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    if (!mem) {
        print(stdout);
        return;
    }
    print(mem);
    if (fclose(mem) == 0) stdout_write(text, len);
    else print(stdout);
    free(text);
}

static void print_usage(FILE *out)
{
    fprintf(out, "usage: slaw COMMAND [options] [FILE...]\n"
                 "\n"
                 "Fit scaling laws to the runs of a model-size sweep and forecast from them.\n"
                 "\n"
                 "commands:\n");
    for (const cli_command *const *c = cli_commands; *c; c++)
        fprintf(out, "  %-10s %s\n", (*c)->name, (*c)->summary);
    fprintf(out, "\n"
                 "'slaw COMMAND --help' describes a command; 'slaw --version' prints the version.\n"
                 "FILE is CSV, JSON or JSON Lines; '-' reads standard input.\n"
                 "\n"
                 "exit status: 0 ok, 1 check found a regression, 2 usage or input error,\n"
                 "3 the fit failed, 4 I/O or internal error\n");
}

static int run(int argc, char **argv)
{
    if (argc < 2) {
        print_usage(stderr);
        return EXIT_USAGE;
    }
    const char *name = argv[1];
    if (!strcmp(name, "--help") || !strcmp(name, "-h") || !strcmp(name, "help")) {
        if (argc == 3 && !strcmp(name, "help") && !strcmp(argv[2], "--man")) {
            print_buffered(print_man_page);
            return EXIT_PASS;
        }
        if (argc == 3 && !strcmp(name, "help") && !strcmp(argv[2], "--bash-completion")) {
            print_buffered(print_bash_completion);
            return EXIT_PASS;
        }
        if (argc > 2 && !strcmp(name, "help")) {
            for (const cli_command *const *c = cli_commands; *c; c++)
                if (!strcmp((*c)->name, argv[2])) {
                    cli_print_help(*c, stdout);
                    return EXIT_PASS;
                }
            return cli_usage_error(NULL, "unknown command '%s'", argv[2]);
        }
        print_usage(stdout);
        return EXIT_PASS;
    }
    if (!strcmp(name, "--version") || !strcmp(name, "-V")) {
        printf("slaw %s\n", slaw_version());
        return EXIT_PASS;
    }
    for (const cli_command *const *c = cli_commands; *c; c++)
        if (!strcmp((*c)->name, name)) return (*c)->run(*c, argc - 1, argv + 1);
    if (name[0] == '-') return cli_usage_error(NULL, "unknown option '%s'", name);
    return cli_usage_error(NULL, "unknown command '%s'", name);
}

/* libgomp reads OMP_WAIT_POLICY once, when it is loaded, and by default its
 * idle threads spin for a while before they sleep.  On a machine busy with
 * other work a spinning thread uses up its share of a core while its
 * partner waits for one: a parallel fit ran up to 5 times slower than on
 * one thread (docs/performance.md).  Unless the user chose a policy, slaw
 * starts itself again with passive waiting; commands that fit nothing do
 * not pay for the second start. */
static void wait_passively(int argc, char **argv)
{
    static const char *const no_fit[] = {"--version", "-V",       "--help",  "-h",   "help",
                                         "laws",      "simulate", "inspect", "cost", NULL};
    if (argc < 2 || getenv("OMP_WAIT_POLICY") || getenv("GOMP_SPINCOUNT")) return;
    for (const char *const *c = no_fit; *c; c++)
        if (!strcmp(argv[1], *c)) return;
    if (setenv("OMP_WAIT_POLICY", "PASSIVE", 1) != 0) return;
    execv("/proc/self/exe", argv);
    unsetenv("OMP_WAIT_POLICY"); /* not started again: carry on as loaded */
}

int main(int argc, char **argv)
{
    wait_passively(argc, argv);
    signals_install();
    stdout_open();
    return stdout_close(run(argc, argv));
}
