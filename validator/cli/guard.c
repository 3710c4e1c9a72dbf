/* guard.c - a file that shrinks while chanval reads it.
 *
 * libchanval maps large files (one read, no copy).  If another process
 * truncates such a file during the check, touching a page past the new end
 * raises SIGBUS, which would kill the command without a word.  The command
 * turns it into what it is: an I/O error, exit 2, with a message.  Only
 * async-signal-safe calls are made in the handler. */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

static void on_sigbus(int sig)
{
    (void)sig;
    static const char msg[] = "chanval: error: a file was truncated while it was being read "
                              "(SIGBUS); check it again once it is complete\n";
    ssize_t w = write(STDERR_FILENO, msg, sizeof msg - 1);
    (void)w;
    _exit(EXIT_TROUBLE);
}

void cli_guard_sigbus(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigbus;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGBUS, &sa, NULL);
}
