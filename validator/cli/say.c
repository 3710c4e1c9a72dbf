/* say.c - the command's messages to the user, on stderr. */
#include "cli/cli.h"

#include <stdarg.h>
#include <stdio.h>

/* stderr is a terminal as often as not: whatever a message quotes (a
 * path, an argument, a file's bytes) is printed escaped. */
static void say(const char *lead, const char *tail, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

static void say(const char *lead, const char *tail, const char *fmt, va_list ap)
{
    char raw[2048];
    vsnprintf(raw, sizeof raw, fmt, ap);
    char *safe = chanval_escape_text(raw, false);
    fprintf(stderr, "chanval: %s%s%s", lead, safe ? safe : "(out of memory)", tail);
    chanval_free(safe);
}

void usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    say("", "\nTry 'chanval --help' for more information.\n", fmt, ap);
    va_end(ap);
}

void cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    say("error: ", "\n", fmt, ap);
    va_end(ap);
}

void cli_warning(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    say("warning: ", "\n", fmt, ap);
    va_end(ap);
}
