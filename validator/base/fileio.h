/* fileio.h - reading inputs whole (bounded) and writing outputs atomically. */
#ifndef CV_FILEIO_H
#define CV_FILEIO_H

#include "chanval.h"

#include <stdbool.h>

#include <sys/stat.h>
#include <sys/types.h>

typedef struct cv_file_id {
    dev_t dev;
    ino_t ino;
} cv_file_id;

typedef struct cv_file_data {
    uint8_t *data;
    bool mapped; /* mmap'ed (large regular files), else allocated */
    size_t len;    /* bytes read: all of the file, or a prefix if too large */
    uint64_t size; /* the file's real size */
    cv_file_id id;
    int fd;         /* kept open while mapped, for cv_file_unchanged() */
    bool fd_open;
    struct stat st; /* what fstat said when it was mapped */
} cv_file_data;

/* Read path.  A file larger than max is not read past a prefix that
 * suffices to tell its kind (fd->len < fd->size then).  On failure the
 * reason (with the OS's message) goes to why. */
chanval_status cv_read_file(const char *path, uint64_t max, cv_file_data *fd, char *why,
                            size_t why_size);
void cv_file_data_free(cv_file_data *fd);

/* Whether a file is as it was when it was read: always for a private copy;
 * for a mapped file, its size, modification and change times are the same
 * (another process writing to it changes its ctime).  Path "-" is standard
 * input, read whole up to max + 1 bytes; any other path must be a regular
 * file (a FIFO, device or socket is refused without blocking). */
bool cv_file_unchanged(const cv_file_data *fd);

#endif
