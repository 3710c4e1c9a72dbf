/* diskcache.h - results kept on disk between runs, never trusted: each
 * entry is a file named by its 32-byte key, carrying the key, a format
 * number and a SHA-256 over all of it; an entry that is missing, short,
 * oversized, of another format or key, or whose checksum fails is a miss.
 * Writes go to a temporary file in the cache folder, then are renamed
 * into place, so concurrent runs see a whole entry or none. */
#ifndef CV_DISKCACHE_H
#define CV_DISKCACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The largest entry read or written: a file's findings at the
 * --max-diagnostics cap fit many times over. */
enum { CV_DISK_MAX_ENTRY = 64u << 20 };

typedef struct cv_disk_cache cv_disk_cache;

/* Open (creating, mode 0700) the cache folder dir; NULL with the reason
 * in why when it cannot be created or written. */
cv_disk_cache *cv_disk_open(const char *dir, char *why, size_t why_size);
void cv_disk_close(cv_disk_cache *c);

/* The payload stored under key, checked; the caller frees *data with
 * cv_free().  false on a miss (or out of memory). */
bool cv_disk_get(cv_disk_cache *c, const uint8_t key[32], uint8_t **data, size_t *len);
/* Store payload under key; failures (a full disk) are ignored: the cache
 * only ever saves work.  Safe from several threads. */
void cv_disk_put(cv_disk_cache *c, const uint8_t key[32], const void *data, size_t len);
/* Entries found, stored and refused (corrupt or foreign) so far. */
void cv_disk_counts(const cv_disk_cache *c, uint64_t *hits, uint64_t *stores, uint64_t *refused);

#endif
