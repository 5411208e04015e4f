/* options.c — command-line options from tables: parsing through getopt_long
 * and --help text from the same entries, so the two cannot disagree. */
#include "cli.h"
#include "output.h"

#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

const cli_option common_options[] = {
    {"help", 'h', NULL, OPT_HELP, "show this help and exit"},
    {0},
};

static size_t count_options(const cli_command *cmd)
{
    size_t n = 0;
    for (const cli_option *const *g = cmd->groups; g && *g; g++)
        for (const cli_option *o = *g; o->name; o++) n++;
    return n;
}

int cli_usage_error(const cli_command *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "slaw: error: ");
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    if (cmd) fprintf(stderr, "try 'slaw %s --help'\n", cmd->name);
    else fprintf(stderr, "try 'slaw --help'\n");
    return EXIT_USAGE;
}

int cli_parse(const cli_command *cmd, int argc, char **argv, option_handler handle, void *ctx,
              int *first_operand)
{
    size_t n = count_options(cmd);
    struct option *longs = calloc(n + 1, sizeof *longs);
    const cli_option **by_index = calloc(n + 1, sizeof *by_index);
    /* Options and operands may be mixed (GNU style); the leading ':' makes a
     * missing argument distinguishable from an unknown option. */
    char shorts[128] = ":";
    size_t k = 0, s = 1;
    int status = 0;
    if (!longs || !by_index) {
        free(longs);
        free(by_index);
        return cli_nomem();
    }
    for (const cli_option *const *g = cmd->groups; g && *g; g++) {
        for (const cli_option *o = *g; o->name; o++, k++) {
            longs[k] = (struct option){o->name, o->arg ? required_argument : no_argument, NULL,
                                       (int)(256 + k)};
            by_index[k] = o;
            if (o->short_name && s + 3 < sizeof shorts) {
                shorts[s++] = o->short_name;
                if (o->arg) shorts[s++] = ':';
            }
        }
    }
    shorts[s] = '\0';
    optind = 1;
    opterr = 0;
    for (;;) {
        int c = getopt_long(argc, argv, shorts, longs, NULL);
        if (c == -1) break;
        const cli_option *o = NULL;
        if (c >= 256) {
            o = by_index[c - 256];
        } else if (c == '?' || c == ':') {
            const char *bad = argv[optind - 1];
            if (c == ':') status = cli_usage_error(cmd, "option '%s' needs an argument", bad);
            else if (optopt && optopt < 256)
                status = cli_usage_error(cmd, "unknown option '-%c'", optopt);
            else status = cli_usage_error(cmd, "unknown option '%s'", bad);
            break;
        } else {
            for (size_t i = 0; i < n; i++)
                if (by_index[i]->short_name == c) o = by_index[i];
        }
        if (!o) {
            status = cli_usage_error(cmd, "unknown option");
            break;
        }
        if (o->id == OPT_HELP) {
            cli_print_help(cmd, stdout);
            status = -1;
            break;
        }
        status = handle(ctx, o->id, optarg);
        if (status) break;
    }
    free(longs);
    free(by_index);
    *first_operand = optind;
    return status;
}

static void print_help(const cli_command *cmd, FILE *out)
{
    fprintf(out, "usage: slaw %s %s\n\n%s\n", cmd->name, cmd->synopsis, cmd->summary);
    if (cmd->details) fprintf(out, "\n%s", cmd->details);
    fprintf(out, "\noptions:\n");
    for (const cli_option *const *g = cmd->groups; g && *g; g++) {
        for (const cli_option *o = *g; o->name; o++) {
            char left[64];
            if (o->short_name)
                snprintf(left, sizeof left, "-%c, --%s%s%s", o->short_name, o->name,
                         o->arg ? " " : "", o->arg ? o->arg : "");
            else
                snprintf(left, sizeof left, "    --%s%s%s", o->name, o->arg ? " " : "",
                         o->arg ? o->arg : "");
            if (strlen(left) <= 26) fprintf(out, "  %-26s %s\n", left, o->help);
            else fprintf(out, "  %s\n  %-26s %s\n", left, "", o->help);
        }
    }
    fprintf(out, "\nexit status: 0 ok, 1 check found a regression, 2 usage or input error,\n"
                 "3 the fit failed, 4 I/O or internal error\n");
}

/* Composed in memory and written in one block, so that a failed write to
 * stdout is remembered with its cause (stdout_write) however long the
 * help grows past stdio's buffer. */
void cli_print_help(const cli_command *cmd, FILE *out)
{
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    if (!m) {
        print_help(cmd, out);
        return;
    }
    print_help(cmd, m);
    if (fclose(m) != 0) {
        free(text);
        print_help(cmd, out);
        return;
    }
    if (out == stdout) stdout_write(text, len);
    else fwrite(text, 1, len, out);
    free(text);
}

bool parse_count(const cli_command *cmd, const char *option, const char *arg, size_t *out)
{
    char *end;
    if (!arg[0] || arg[0] == '-' || arg[0] == '+') goto out;
    unsigned long long v = strtoull(arg, &end, 10);
    if (*end || v > (unsigned long long)SIZE_MAX / 2) goto out;
    *out = (size_t)v;
    return true;
out:
    cli_usage_error(cmd, "%s '%s': expected a whole number", option, arg);
    return false;
}

bool parse_level(const cli_command *cmd, const char *arg, double *out)
{
    double v;
    if (slaw_number_parse(arg, strlen(arg), &v, NULL) != SLAW_OK || !(v > 0 && v < 1)) {
        cli_usage_error(cmd, "--level '%s': expected a number between 0 and 1", arg);
        return false;
    }
    *out = v;
    return true;
}

bool parse_positive(const cli_command *cmd, const char *option, const char *arg, double *out)
{
    const char *why = NULL;
    double v;
    if (slaw_number_parse(arg, strlen(arg), &v, &why) != SLAW_OK) {
        cli_usage_error(cmd, "%s '%s': expected a positive number (%s)", option, arg, why);
        return false;
    }
    if (!(v > 0)) {
        cli_usage_error(cmd, "%s '%s': expected a positive number", option, arg);
        return false;
    }
    *out = v;
    return true;
}
