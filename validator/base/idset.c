/* idset.c - linear probing, power-of-two capacity, load <= 1/2. */
#include "base/idset.h"
#include "base/alloc.h"

static size_t slot(uint64_t key, size_t cap)
{
    key ^= key >> 33; /* murmur3 finaliser */
    key *= 0xff51afd7ed558ccdull;
    key ^= key >> 33;
    key *= 0xc4ceb9fe1a85ec53ull;
    key ^= key >> 33;
    return (size_t)key & (cap - 1);
}

static int rehash(cv_idset *s, size_t ncap)
{
    uint64_t *k = cv_calloc(ncap, sizeof *k);
    uint64_t *v = cv_calloc(ncap, sizeof *v);
    if (!k || !v) {
        cv_free(k);
        cv_free(v);
        return -1;
    }
    for (size_t i = 0; i < s->cap; i++)
        if (s->keys[i]) {
            size_t j = slot(s->keys[i], ncap);
            while (k[j])
                j = (j + 1) & (ncap - 1);
            k[j] = s->keys[i];
            v[j] = s->vals[i];
        }
    cv_free(s->keys);
    cv_free(s->vals);
    s->keys = k;
    s->vals = v;
    s->cap = ncap;
    return 0;
}

int cv_idset_put(cv_idset *s, uint64_t key, uint64_t val, uint64_t *prev)
{
    if (2 * (s->n + 1) > s->cap) {
        size_t ncap = s->cap ? s->cap * 2 : 64;
        if (ncap < s->cap || rehash(s, ncap) != 0)
            return -1;
    }
    size_t j = slot(key, s->cap);
    while (s->keys[j]) {
        if (s->keys[j] == key) {
            if (prev)
                *prev = s->vals[j];
            return 0;
        }
        j = (j + 1) & (s->cap - 1);
    }
    s->keys[j] = key;
    s->vals[j] = val;
    s->n++;
    return 1;
}

int cv_idset_reserve(cv_idset *s, size_t n)
{
    size_t cap = s->cap ? s->cap : 64;
    while (cap < 2 * n) {
        if (cap > SIZE_MAX / 4)
            return -1;
        cap *= 2;
    }
    return cap > s->cap ? rehash(s, cap) : 0;
}

int cv_idset_set(cv_idset *s, uint64_t key, uint64_t val)
{
    uint64_t prev;
    int r = cv_idset_put(s, key, val, &prev);
    if (r < 0)
        return -1;
    if (r == 0) {
        size_t j = slot(key, s->cap);
        while (s->keys[j] != key)
            j = (j + 1) & (s->cap - 1);
        s->vals[j] = val;
    }
    return 0;
}

bool cv_idset_get(const cv_idset *s, uint64_t key, uint64_t *val)
{
    if (s->cap == 0)
        return false;
    size_t j = slot(key, s->cap);
    while (s->keys[j]) {
        if (s->keys[j] == key) {
            if (val)
                *val = s->vals[j];
            return true;
        }
        j = (j + 1) & (s->cap - 1);
    }
    return false;
}

void cv_idset_free(cv_idset *s)
{
    cv_free(s->keys);
    cv_free(s->vals);
    *s = (cv_idset){0};
}
