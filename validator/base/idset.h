/* idset.h - open-addressing map from non-zero 64-bit keys to a value, for
 * duplicate detection in one pass (no quadratic scans). */
#ifndef CV_IDSET_H
#define CV_IDSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct cv_idset {
    uint64_t *keys; /* 0 = empty */
    uint64_t *vals;
    size_t cap, n;
} cv_idset;

/* Insert key (!= 0).  Returns 1 if inserted, 0 if it was present (then
 * *prev holds the value stored first), -1 when out of memory. */
int cv_idset_put(cv_idset *s, uint64_t key, uint64_t val, uint64_t *prev);
/* Make room for n keys without rehashing; 0, or -1 when out of memory. */
int cv_idset_reserve(cv_idset *s, size_t n);
/* Insert or overwrite; 0, or -1 when out of memory. */
int cv_idset_set(cv_idset *s, uint64_t key, uint64_t val);
/* Look key up; true (and *val when not NULL) when present. */
bool cv_idset_get(const cv_idset *s, uint64_t key, uint64_t *val);
void cv_idset_free(cv_idset *s);

#endif
