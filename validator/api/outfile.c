/* outfile.c - writing outputs: atomically over a regular file, in place
 * into anything else, never over an input, and no temporary file left
 * behind by an interrupted run. */
#define _GNU_SOURCE /* realpath */
#include "base/alloc.h"
#include "api/session.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static chanval_status fail(char *why, size_t n, const char *what, const char *path, int err)
{
    snprintf(why, n, "cannot %s '%s': %s", what, path, strerror(err));
    return CHANVAL_ERR_IO;
}

/* The temporary file being written, for chanval_abandon_output(), which a
 * signal handler may call: a fixed buffer and a flag, nothing to allocate
 * or lock. */
static char pending[PATH_MAX + 64];
static volatile sig_atomic_t have_pending;

void chanval_abandon_output(void)
{
    if (have_pending) {
        have_pending = 0;
        (void)unlink(pending);
    }
}

/* Make the rename itself durable; failure here loses nothing. */
static void sync_dir(const char *path)
{
    const char *slash = strrchr(path, '/');
    char dir[PATH_MAX];
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if (slash == path)
        snprintf(dir, sizeof dir, "/");
    else
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
    int d = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (d >= 0) {
        (void)fsync(d);
        close(d);
    }
}

/* write(2) all of it; 0 or the errno.  A reader that went away is EPIPE,
 * an error with a reason, not a SIGPIPE that ends the program without a
 * word: the signal is blocked meanwhile and, when the write raised it,
 * consumed. */
static int write_all(int h, const uint8_t *p, size_t left)
{
    sigset_t pipe_only, was, pending_set;
    sigemptyset(&pipe_only);
    sigaddset(&pipe_only, SIGPIPE);
    bool masked = pthread_sigmask(SIG_BLOCK, &pipe_only, &was) == 0;
    bool already =
        !masked || (sigpending(&pending_set) == 0 && sigismember(&pending_set, SIGPIPE) == 1);
    int err = 0;
    while (left > 0) {
        ssize_t n = write(h, p, left);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            err = errno;
            break;
        }
        p += n;
        left -= (size_t)n;
    }
    if (masked) {
        if (err == EPIPE && !already) {
            struct timespec zero = {0, 0};
            (void)sigtimedwait(&pipe_only, NULL, &zero);
        }
        pthread_sigmask(SIG_SETMASK, &was, NULL);
    }
    return err;
}

/* /dev/stdout, /dev/fd/N, /proc/self/fd/N: the caller means a file already
 * open (a shell redirection), to write into, even when it is a regular
 * file: renaming over the name it resolves to would bypass the descriptor
 * (an append would become a truncation). */
static bool names_descriptor(const char *path)
{
    static const char *const prefixes[] = {"/dev/std", "/dev/fd/", "/proc/self/fd/"};
    char link[64];
    ssize_t n = readlink(path, link, sizeof link - 1);
    link[n > 0 ? n : 0] = '\0';
    for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++)
        if (strncmp(path, prefixes[i], strlen(prefixes[i])) == 0 ||
            strncmp(link, prefixes[i], strlen(prefixes[i])) == 0)
            return true;
    return false;
}

/* A device, FIFO, socket or terminal (/dev/stdout, /dev/null, a named
 * pipe) is written into, never replaced by a regular file. */
static chanval_status write_in_place(const char *path, const struct stat *st, const void *data,
                                     size_t len, char *why, size_t why_size)
{
    /* O_NONBLOCK: a FIFO nobody reads from fails (ENXIO) instead of
     * hanging; the writes themselves block as usual. */
    int flags_in = O_WRONLY | O_NOCTTY | O_CLOEXEC | O_NONBLOCK;
    /* a regular file behind /dev/stdout: a new description of it starts at
     * offset 0; appending is what writing to the redirection does */
    if (S_ISREG(st->st_mode))
        flags_in |= O_APPEND;
    int h = open(path, flags_in);
    if (h < 0) {
        if (errno == ENXIO) {
            snprintf(why, why_size, "cannot write '%s': it is a FIFO with no reader", path);
            return CHANVAL_ERR_IO;
        }
        return fail(why, why_size, "open", path, errno);
    }
    int flags = fcntl(h, F_GETFL);
    int err = flags < 0 || fcntl(h, F_SETFL, flags & ~O_NONBLOCK) != 0 ? errno : 0;
    if (!err)
        err = write_all(h, data, len);
    if (close(h) != 0 && !err)
        err = errno;
    return err ? fail(why, why_size, "write", path, err) : CHANVAL_OK;
}

chanval_status chanval_write_file(const char *path, const void *data, size_t len, char *why,
                                  size_t why_size)
{
    char dummy[8];
    if (!why) {
        why = dummy;
        why_size = sizeof dummy;
    }
    struct stat old;
    bool exists = stat(path, &old) == 0;
    if (exists && S_ISDIR(old.st_mode))
        return fail(why, why_size, "write", path, EISDIR);
    if (exists && (!S_ISREG(old.st_mode) || names_descriptor(path)))
        return write_in_place(path, &old, data, len, why, why_size);
    /* A link to a regular file: replace the file it names, keep the link. */
    char real[PATH_MAX];
    struct stat lst;
    if (exists && lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode)) {
        if (!realpath(path, real))
            return fail(why, why_size, "resolve", path, errno);
        path = real;
    }
    /* The temporary lives beside the target so rename() stays atomic; a
     * dot name that says what it is, so a leftover (after kill -9 or a
     * power loss) is recognisable and a directory walk does not take it
     * for content. */
    const char *slash = strrchr(path, '/');
    int dirlen = slash ? (int)(slash - path + 1) : 0;
    const char *base = slash ? slash + 1 : path;
    if (strlen(path) > PATH_MAX - 32) {
        snprintf(why, why_size, "cannot write '%s': the path is too long", path);
        return CHANVAL_ERR_IO;
    }
    char tmp[sizeof pending];
    snprintf(tmp, sizeof tmp, "%.*s.%s.chanval-tmp.XXXXXX", dirlen, path, base);
    memcpy(pending, tmp, sizeof tmp);
    sigset_t all, was;
    sigfillset(&all);
    /* mkstemp and the registration as one step: a signal in between would
     * leave the file unregistered */
    pthread_sigmask(SIG_BLOCK, &all, &was);
    int h = mkstemp(pending);
    if (h >= 0) {
        memcpy(tmp, pending, sizeof tmp);
        have_pending = 1;
    }
    pthread_sigmask(SIG_SETMASK, &was, NULL);
    if (h < 0)
        return fail(why, why_size, "create a temporary file for", path, errno);
    int err = write_all(h, data, len);
    /* Keep the mode of the file being replaced; a new one gets 0666 less
     * the umask, as if created by open(). */
    mode_t mode;
    if (exists) {
        mode = old.st_mode & 07777;
    } else {
        mode_t um = umask(0);
        umask(um);
        mode = 0666 & ~um;
    }
    if (!err && fchmod(h, mode) != 0)
        err = errno;
    if (!err && fsync(h) != 0)
        err = errno;
    if (close(h) != 0 && !err)
        err = errno;
    if (!err && rename(tmp, path) != 0)
        err = errno;
    pthread_sigmask(SIG_BLOCK, &all, &was);
    have_pending = 0;
    pthread_sigmask(SIG_SETMASK, &was, NULL);
    if (err) {
        unlink(tmp);
        return fail(why, why_size, "write", path, err);
    }
    sync_dir(path);
    return CHANVAL_OK;
}

/* ---- outputs that are inputs ------------------------------------------ */

chanval_status chanval_output_check(const chanval_session *s, const char *path,
                                    const char *const *also, size_t nalso, char *why,
                                    size_t why_size)
{
    struct stat out;
    if (stat(path, &out) != 0)
        return CHANVAL_OK; /* a new file: no input is there */
    if (!S_ISREG(out.st_mode))
        return CHANVAL_OK; /* written in place, never replaced: nothing is lost */
    for (size_t i = 0; i < nalso; i++) {
        struct stat in;
        if (stat(also[i], &in) == 0 && in.st_dev == out.st_dev && in.st_ino == out.st_ino) {
            snprintf(why, why_size,
                     "refusing to write '%s': it is the input '%s'; choose another output", path,
                     also[i]);
            return CHANVAL_ERR_USAGE;
        }
    }
    for (size_t i = 0; i < s->ninputs; i++)
        if (s->inputs[i].dev == out.st_dev && s->inputs[i].ino == out.st_ino) {
            /* name it as the report does, when it is an entry there */
            const char *name = NULL;
            for (size_t f = 0; f < s->nfiles && !name; f++) {
                struct stat in;
                const char *fp = chanval_file_path(s->files[f]);
                if (fp && stat(fp, &in) == 0 && in.st_dev == out.st_dev && in.st_ino == out.st_ino)
                    name = fp;
            }
            if (name)
                snprintf(why, why_size,
                         "refusing to write '%s': it is the input '%s'; choose another output",
                         path, name);
            else
                snprintf(why, why_size,
                         "refusing to write '%s': it is one of the files read by this run "
                         "(a checked file, -t, -f, the configuration or the baseline); choose "
                         "another output",
                         path);
            return CHANVAL_ERR_USAGE;
        }
    return CHANVAL_OK;
}

chanval_status chanval_write_output(const chanval_session *s, const char *path, const void *data,
                                    size_t len, char *why, size_t why_size)
{
    char dummy[8];
    if (!why) {
        why = dummy;
        why_size = sizeof dummy;
    }
    chanval_status st = chanval_output_check(s, path, NULL, 0, why, why_size);
    return st != CHANVAL_OK ? st : chanval_write_file(path, data, len, why, why_size);
}
