/* messages.c — diagnostics on stderr, and statuses mapped to exit codes. */
#include "cli.h"

#include <stdarg.h>
#include <string.h>

static void vmessage(const char *kind, const char *fmt, va_list ap) CLI_PRINTF(2, 0);

/* Printable text only, line by line: a group name or column name may hold
 * escape sequences or bytes that are not UTF-8 (slaw_text_printable). */
static void vmessage(const char *kind, const char *fmt, va_list ap)
{
    char msg[4096], line[4 * sizeof msg + 8];
    vsnprintf(msg, sizeof msg, fmt, ap);
    fprintf(stderr, "slaw: %s: ", kind);
    for (char *s = msg, *nl;; s = nl + 1) {
        if ((nl = strchr(s, '\n'))) *nl = '\0';
        fputs(slaw_text_printable(s, line, sizeof line), stderr);
        fputc('\n', stderr);
        if (!nl) break;
    }
}

void cli_errorf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage("error", fmt, ap);
    va_end(ap);
}

void cli_warnf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage("warning", fmt, ap);
    va_end(ap);
}

int cli_exit_code(slaw_status status)
{
    switch (status) {
    case SLAW_OK: return EXIT_PASS;
    case SLAW_EUSAGE:
    case SLAW_EINPUT:
    case SLAW_ELIMIT: return EXIT_USAGE;
    case SLAW_EFIT: return EXIT_FIT;
    case SLAW_EIO:
    case SLAW_ENOMEM:
    case SLAW_EINTERNAL: break;
    }
    return EXIT_IO;
}

int cli_fail(const slaw_error *err)
{
    char text[2048];
    cli_errorf("%s", slaw_error_text(err, text, sizeof text));
    return cli_exit_code(err->code);
}
