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

/* The options fields whose flag is not "--" and the field with '_' as '-'.
 * A role's column is role_column[ROLE]; roles not named here take
 * "--var SYMBOL=". */
static const struct {
    const char *field, *flag;
} field_flags[] = {
    {"interval", "--intervals"},     {"format", "--format-in"},
    {"role_column[N]", "--n"},       {"role_column[D]", "--d"},
    {"role_column[C]", "--c"},       {"role_column[L]", "--y"},
    {"role_column[group]", "--by"},  {"role_column[weight]", "--weight"},
    {"role_column[x]", "--x"},       {"role_column[L_input]", "--var L="},
    {"drop_top", "--drop-top-loss"},
};

/* The flag that sets the options field field[0..len) into buf. */
static const char *flag_of(const char *field, size_t len, char *buf, size_t size)
{
    for (size_t i = 0; i < sizeof field_flags / sizeof field_flags[0]; i++)
        if (strlen(field_flags[i].field) == len && !memcmp(field_flags[i].field, field, len))
            return field_flags[i].flag;
    if (len > 12 && !memcmp(field, "role_column[", 12)) {
        snprintf(buf, size, "--var %.*s=", (int)(len - 13), field + 12);
        return buf;
    }
    snprintf(buf, size, "--%.*s", (int)len, field);
    for (char *c = buf; *c; c++)
        if (*c == '_') *c = '-';
    return buf;
}

static bool word_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* The length of the field that the message names at s (s is at the start of
 * a word not in quotes): every role_column[ROLE], and the first mention of each field of
 * options (comma-separated; bit k of *seen marks the k-th as written). */
static size_t field_at(const char *s, const char *options, unsigned *seen)
{
    if (!strncmp(s, "role_column[", 12)) {
        const char *close = strchr(s + 12, ']');
        if (close && !word_char(close[1])) return (size_t)(close + 1 - s);
    }
    unsigned k = 0;
    for (const char *o = options; *o; k++) {
        size_t len = strcspn(o, ",");
        if (k < 32 && !(*seen & 1u << k) && len && !strncmp(s, o, len) && !word_char(s[len]) &&
            s[len] != '[') {
            *seen |= 1u << k;
            return len;
        }
        o += len;
        if (*o == ',') o++;
    }
    return 0;
}

const char *cli_error_message(const slaw_error *err, char *buf, size_t size)
{
    return cli_option_text(err->message, err->option, buf, size);
}

const char *cli_option_text(const char *text, const char *options, char *buf, size_t size)
{
    size_t o = 0;
    unsigned seen = 0;
    char flag[96];
    for (const char *s = text; *s && o + 1 < size;) {
        bool word_start = s == text || (!word_char(s[-1]) && s[-1] != '\'');
        size_t len = word_start ? field_at(s, options, &seen) : 0; /* 'quoted': a value */
        if (!len) {
            buf[o++] = *s++;
            continue;
        }
        const char *f = flag_of(s, len, flag, sizeof flag);
        o += (size_t)snprintf(buf + o, size - o, "%s", f);
        s += len;
        if (f[strlen(f) - 1] == '=' && *s == ' ') s++; /* --var U=COLUMN */
        if (o >= size) o = size - 1;
    }
    buf[o] = '\0';
    return buf;
}

const char *cli_error_text(const slaw_error *err, char *buf, size_t size)
{
    slaw_error shown = *err;
    cli_error_message(err, shown.message, sizeof shown.message);
    return slaw_error_text(&shown, buf, size);
}

int cli_nomem(void)
{
    cli_errorf("%s", slaw_strerror(SLAW_ENOMEM));
    return EXIT_IO;
}

const char *cli_law_names(char *buf, size_t size)
{
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < slaw_law_count() && o < size; i++) {
        int w = snprintf(buf + o, size - o, "%s%s", i ? ", " : "", slaw_law_name(slaw_law_at(i)));
        o += w > 0 ? (size_t)w : 0;
    }
    return buf;
}

int cli_fail(const slaw_error *err)
{
    char text[2048];
    cli_errorf("%s", cli_error_text(err, text, sizeof text));
    return cli_exit_code(err->code);
}
