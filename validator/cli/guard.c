/* guard.c - signals: a file that shrinks while chanval reads it, and an
 * interrupted run that must not leave a temporary file behind.
 *
 * libchanval maps large files (one read, no copy).  If another process
 * truncates such a file during the check, touching a page past the new end
 * raises SIGBUS, which would kill the command without a word.  The command
 * turns it into what it is: an I/O error, exit 2, with a message.  Only
 * async-signal-safe calls are made in the handler. */
#define _POSIX_C_SOURCE 200809L
#include "cli/cli.h"

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
    chanval_abandon_output();
    _exit(EXIT_TROUBLE);
}

/* SIGINT, SIGTERM, SIGHUP: remove the output being written (a pack of
 * 100 MB would otherwise leave its temporary file), then die of the same
 * signal, so the caller sees how the run ended. */
static void on_stop(int sig)
{
    chanval_abandon_output();
    signal(sig, SIG_DFL);
    raise(sig);
}

void cli_guard_stop(void)
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) {
        struct sigaction sa, old;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_stop;
        sigemptyset(&sa.sa_mask);
        /* a signal the caller chose to ignore (nohup) stays ignored */
        if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
            continue;
        sigaction(sigs[i], &sa, NULL);
    }
}

void cli_guard_sigbus(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigbus;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGBUS, &sa, NULL);
}
