/* diskcache.c - see diskcache.h.  Layout: DIR/v1/ab/abcdef... (the key in
 * hex, fanned out by its first byte); an entry is
 *   "CHVCACHE" | u32 format | key[32] | u64 payload length | payload |
 *   SHA-256 of everything before it. */
#define _GNU_SOURCE /* O_NOFOLLOW, O_CLOEXEC */
#include "base/diskcache.h"
#include "base/alloc.h"
#include "base/reader.h"
#include "base/sha.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { FORMAT = 1, HEAD = 8 + 4 + 32 + 8, TAIL = 32 };
static const char MAGIC[8] = {'C', 'H', 'V', 'C', 'A', 'C', 'H', 'E'};

struct cv_disk_cache {
    char *root; /* DIR/v1 */
    atomic_uint_fast64_t hits, stores, refused;
};

static bool mkdir_p(const char *path)
{
    char buf[PATH_MAX];
    size_t n = strlen(path);
    if (n == 0 || n >= sizeof buf)
        return false;
    memcpy(buf, path, n + 1);
    for (size_t i = 1; i <= n; i++)
        if (buf[i] == '/' || buf[i] == '\0') {
            char c = buf[i];
            buf[i] = '\0';
            if (mkdir(buf, 0700) != 0 && errno != EEXIST)
                return false;
            buf[i] = c;
        }
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

cv_disk_cache *cv_disk_open(const char *dir, char *why, size_t why_size)
{
    size_t n = strlen(dir);
    char *root = cv_malloc(n + 4);
    cv_disk_cache *c = cv_calloc(1, sizeof *c);
    if (!root || !c) {
        cv_free(root);
        cv_free(c);
        snprintf(why, why_size, "out of memory");
        return NULL;
    }
    memcpy(root, dir, n);
    memcpy(root + n, "/v1", 4);
    if (!mkdir_p(root) || access(root, W_OK | X_OK) != 0) {
        snprintf(why, why_size, "cannot use the cache folder '%s': %s", dir, strerror(errno));
        cv_free(root);
        cv_free(c);
        return NULL;
    }
    c->root = root;
    return c;
}

void cv_disk_close(cv_disk_cache *c)
{
    if (!c)
        return;
    cv_free(c->root);
    cv_free(c);
}

void cv_disk_counts(const cv_disk_cache *c, uint64_t *hits, uint64_t *stores, uint64_t *refused)
{
    *hits = c ? atomic_load(&c->hits) : 0;
    *stores = c ? atomic_load(&c->stores) : 0;
    *refused = c ? atomic_load(&c->refused) : 0;
}

/* DIR/v1/ab and DIR/v1/ab/<hex> */
static bool entry_path(const cv_disk_cache *c, const uint8_t key[32], char *dir, char *file,
                       size_t size)
{
    char hex[65];
    for (int i = 0; i < 32; i++)
        snprintf(hex + 2 * (size_t)i, 3, "%02x", key[i]);
    int a = snprintf(dir, size, "%s/%.2s", c->root, hex);
    int b = snprintf(file, size, "%s/%s", dir, hex);
    return a > 0 && (size_t)a < size && b > 0 && (size_t)b < size;
}

bool cv_disk_get(cv_disk_cache *c, const uint8_t key[32], uint8_t **data, size_t *len)
{
    char dir[PATH_MAX], file[PATH_MAX];
    *data = NULL;
    *len = 0;
    if (!c || !entry_path(c, key, dir, file, sizeof dir))
        return false;
    int fd = open(file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return false; /* a miss */
    struct stat st;
    uint8_t *buf = NULL;
    bool ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size >= HEAD + TAIL &&
              (uint64_t)st.st_size <= (uint64_t)CV_DISK_MAX_ENTRY + HEAD + TAIL;
    size_t size = ok ? (size_t)st.st_size : 0;
    if (ok && !(buf = cv_malloc(size)))
        ok = false;
    size_t got = 0;
    while (ok && got < size) {
        ssize_t r = read(fd, buf + got, size - got);
        if (r <= 0) {
            if (r < 0 && errno == EINTR)
                continue;
            ok = false;
        } else {
            got += (size_t)r;
        }
    }
    close(fd);
    cv_reader r = cv_reader_make(buf, ok ? size : 0);
    const uint8_t *magic = ok ? cv_bytes(&r, 8) : NULL, *k = NULL;
    uint32_t format = 0;
    uint64_t n = 0;
    ok = magic && memcmp(magic, MAGIC, 8) == 0 && cv_u32le(&r, &format) && format == FORMAT &&
         (k = cv_bytes(&r, 32)) && memcmp(k, key, 32) == 0 && cv_u64le(&r, &n) &&
         n == cv_remaining(&r) - TAIL;
    if (ok) {
        uint8_t md[32];
        ok = cv_sha256(&(cv_span){buf, size - TAIL}, 1, md) && memcmp(md, buf + size - TAIL, 32) == 0;
    }
    if (!ok) {
        if (buf || fd >= 0)
            atomic_fetch_add(&c->refused, 1);
        cv_free(buf);
        return false;
    }
    memmove(buf, buf + HEAD, (size_t)n);
    *data = buf;
    *len = (size_t)n;
    atomic_fetch_add(&c->hits, 1);
    return true;
}

void cv_disk_put(cv_disk_cache *c, const uint8_t key[32], const void *data, size_t len)
{
    char dir[PATH_MAX], file[PATH_MAX], tmp[PATH_MAX + 32];
    if (!c || len > CV_DISK_MAX_ENTRY || !entry_path(c, key, dir, file, sizeof dir))
        return;
    int t = snprintf(tmp, sizeof tmp, "%s.tmp.XXXXXX", file);
    if (t < 0 || (size_t)t >= sizeof tmp)
        return;
    int fd = mkstemp(tmp);
    if (fd < 0 && errno == ENOENT && (mkdir(dir, 0700) == 0 || errno == EEXIST)) {
        memcpy(tmp + t - 6, "XXXXXX", 6); /* the first folder of its fan */
        fd = mkstemp(tmp);
    }
    if (fd < 0)
        return;
    /* one buffer, one write: most entries are a few hundred bytes */
    uint8_t *buf = cv_malloc(HEAD + len + TAIL);
    bool ok = buf != NULL;
    if (ok) {
        memcpy(buf, MAGIC, 8);
        for (int i = 0; i < 4; i++)
            buf[8 + i] = (uint8_t)(FORMAT >> (8 * i));
        memcpy(buf + 12, key, 32);
        for (int i = 0; i < 8; i++)
            buf[44 + i] = (uint8_t)((uint64_t)len >> (8 * i));
        if (len)
            memcpy(buf + HEAD, data, len);
        ok = cv_sha256(&(cv_span){buf, HEAD + len}, 1, buf + HEAD + len);
    }
    const uint8_t *p = buf;
    size_t left = ok ? HEAD + len + TAIL : 0;
    while (left > 0 && ok) {
        ssize_t w = write(fd, p, left);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            ok = false;
        else {
            p += w;
            left -= (size_t)w;
        }
    }
    cv_free(buf);
    if (close(fd) != 0)
        ok = false;
    if (ok && rename(tmp, file) == 0)
        atomic_fetch_add(&c->stores, 1);
    else
        unlink(tmp);
}
