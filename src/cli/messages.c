/* messages.c — diagnostics on stderr, and statuses mapped to exit codes. */
#include "cli.h"

#include <stdarg.h>

static void vmessage(const char *kind, const char *fmt, va_list ap) CLI_PRINTF(2, 0);

static void vmessage(const char *kind, const char *fmt, va_list ap)
{
    fprintf(stderr, "slaw: %s: ", kind);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
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
