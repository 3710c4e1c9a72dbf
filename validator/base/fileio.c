/* fileio.c - bounded reads of inputs (outputs: outfile.c). */
#define _GNU_SOURCE /* MAP_POPULATE */
#include "base/fileio.h"
#include "base/alloc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum { PREFIX = 4096, CHUNK = 1 << 16, MAP_FROM = 1 << 20 };

static chanval_status fail(char *why, size_t n, const char *what, const char *path, int err)
{
    snprintf(why, n, "cannot %s '%s': %s", what, path, strerror(err));
    return CHANVAL_ERR_IO;
}

/* What a non-regular file is, for the message that refuses it. */
static const char *file_type(mode_t m)
{
    return S_ISFIFO(m)   ? "a FIFO"
           : S_ISCHR(m)  ? "a character device"
           : S_ISBLK(m)  ? "a block device"
           : S_ISSOCK(m) ? "a socket"
           : S_ISDIR(m)  ? "a directory"
                         : "not a regular file";
}

/* A file changed within this many seconds before it was opened may still
 * be changing within the same timestamp tick, where a later change would
 * not show in its ctime: such a file is copied, never mapped. */
enum { IN_FLUX_SECONDS = 2 };

static bool in_flux(const struct stat *st)
{
    struct timespec now;
    if (clock_gettime(CLOCK_REALTIME, &now) != 0)
        return true;
    return st->st_ctim.tv_sec >= now.tv_sec - IN_FLUX_SECONDS;
}

/* Wait until standard input has bytes, when a caller left it non-blocking. */
static bool wait_readable(int h)
{
    struct pollfd p = {.fd = h, .events = POLLIN};
    return poll(&p, 1, -1) >= 0 || errno == EINTR;
}

/* A large regular file is mapped rather than copied: reading it into
 * fresh memory costs more (page faults, copying) than checking it.  The
 * mapping is private and read-only, but another process can still change
 * the file under it: the descriptor stays open so that
 * cv_file_unchanged() can tell, after the check, whether the bytes the
 * rules saw are the bytes on disk.  False when it was not mapped. */
static bool map_file(int h, const struct stat *st, cv_file_data *fd)
{
    void *m = mmap(NULL, (size_t)st->st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, h, 0);
    if (m == MAP_FAILED)
        return false;
    fd->fd = h;
    fd->fd_open = true;
    fd->st = *st;
    fd->data = m;
    fd->mapped = true;
    fd->len = (size_t)st->st_size;
    fd->size = fd->len;
    return true;
}

/* Read h into fresh memory: a regular file over the limit only far enough
 * to tell its kind; anything else (standard input) up to one byte past
 * the limit, so that being over it shows.  h is closed. */
static chanval_status read_all(int h, const char *path, const struct stat *st, bool regular,
                               uint64_t max, cv_file_data *fd, char *why, size_t why_size)
{
    uint64_t want =
        regular ? ((uint64_t)st->st_size > max ? PREFIX : (uint64_t)st->st_size) : max + 1;
    if (regular && (uint64_t)st->st_size < want)
        want = (uint64_t)st->st_size;
    if (want > SIZE_MAX - 1)
        want = SIZE_MAX - 1;
    size_t cap = regular ? (size_t)want : (want < CHUNK ? (size_t)want : CHUNK);
    uint8_t *buf = cv_malloc(cap ? cap : 1);
    size_t len = 0;
    while (buf) {
        if (len == cap) {
            if (regular || len >= want)
                break;
            size_t ncap = cap > (size_t)want / 2 ? (size_t)want : cap * 2;
            uint8_t *nb = cv_realloc(buf, ncap);
            if (!nb) {
                cv_free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap = ncap;
        }
        ssize_t n = read(h, buf + len, cap - len);
        if (n < 0) {
            if (errno == EINTR || ((errno == EAGAIN || errno == EWOULDBLOCK) && wait_readable(h)))
                continue;
            int e = errno;
            cv_free(buf);
            close(h);
            return fail(why, why_size, "read", path, e);
        }
        if (n == 0)
            break;
        len += (size_t)n;
    }
    close(h);
    if (!buf) {
        snprintf(why, why_size, "out of memory reading '%s'", path);
        return CHANVAL_ERR_NOMEM;
    }
    fd->data = buf;
    fd->len = len;
    fd->size = regular && (uint64_t)st->st_size > len ? (uint64_t)st->st_size : len;
    return CHANVAL_OK;
}

chanval_status cv_read_file(const char *path, uint64_t max, cv_file_data *fd, char *why,
                            size_t why_size)
{
    *fd = (cv_file_data){0};
    bool std_in = strcmp(path, "-") == 0;
    /* O_NONBLOCK: opening a FIFO with no writer, or a device, must not
     * block; anything that is not a regular file is refused below anyway.
     * O_NOCTTY: a terminal named as input never becomes ours. */
    int h = std_in ? fcntl(0, F_DUPFD_CLOEXEC, 3)
                   : open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (h < 0)
        return fail(why, why_size, std_in ? "read" : "open", path, errno);
    struct stat st;
    if (fstat(h, &st) != 0) {
        int e = errno;
        close(h);
        return fail(why, why_size, "stat", path, e);
    }
    if (S_ISDIR(st.st_mode)) {
        close(h);
        return fail(why, why_size, "read", path, EISDIR);
    }
    bool regular = S_ISREG(st.st_mode);
    if (!regular && !std_in) {
        close(h);
        snprintf(why, why_size, "cannot read '%s': it is %s, not a regular file", path,
                 file_type(st.st_mode));
        return CHANVAL_ERR_IO;
    }
    fd->id.dev = st.st_dev;
    fd->id.ino = st.st_ino;
    if (regular && !std_in && (uint64_t)st.st_size >= MAP_FROM && (uint64_t)st.st_size <= max &&
        (uint64_t)st.st_size <= SIZE_MAX && !in_flux(&st) && map_file(h, &st, fd))
        return CHANVAL_OK;
    return read_all(h, path, &st, regular, max, fd, why, why_size);
}

bool cv_file_unchanged(const cv_file_data *fd)
{
    if (!fd->fd_open)
        return true; /* a private copy: the rules saw exactly its bytes */
    struct stat now;
    if (fstat(fd->fd, &now) != 0)
        return false;
    const struct stat *was = &fd->st;
    return now.st_size == was->st_size && now.st_mtim.tv_sec == was->st_mtim.tv_sec &&
           now.st_mtim.tv_nsec == was->st_mtim.tv_nsec &&
           now.st_ctim.tv_sec == was->st_ctim.tv_sec && now.st_ctim.tv_nsec == was->st_ctim.tv_nsec;
}

void cv_file_data_free(cv_file_data *fd)
{
    if (fd->mapped)
        munmap(fd->data, fd->len);
    else
        cv_free(fd->data);
    if (fd->fd_open)
        close(fd->fd);
    *fd = (cv_file_data){0};
}
