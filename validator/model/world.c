/* world.c - lookups over the loaded template types and fleet. */
#include "model/world.h"
#include "base/alloc.h"

#include <stdlib.h>
#include <string.h>

void cv_world_free(cv_world *w)
{
    for (size_t i = 0; i < w->nsensors; i++)
        cv_free(w->sensors[i].supports);
    cv_free(w->types);
    cv_free(w->sensors);
    cv_free(w->by_key);
    cv_free(w->supporters);
    cv_idset_free(&w->type_keys);
    cv_idset_free(&w->sensor_keys);
    cv_arena_free(&w->arena);
    *w = (cv_world){0};
}

void cv_world_thaw(cv_world *w)
{
    cv_free(w->by_key);
    cv_free(w->supporters);
    w->by_key = NULL;
    w->supporters = NULL;
    w->nsupporters = 0;
    w->frozen = false;
}

uint64_t cv_hash_bytes(const void *p, size_t n)
{
    const uint8_t *b = p;
    uint64_t h = 0xcbf29ce484222325ull; /* FNV-1a */
    for (size_t i = 0; i < n; i++) {
        h ^= b[i];
        h *= 0x100000001b3ull;
    }
    return h ? h : 1; /* 0 is the idset's empty key */
}

static int cmp_type(const void *a, const void *b)
{
    const cv_type *x = *(cv_type *const *)a, *y = *(cv_type *const *)b;
    uint64_t kx = cv_type_key(x->id, x->version), ky = cv_type_key(y->id, y->version);
    return kx < ky ? -1 : kx > ky;
}

static int cmp_supporter(const void *a, const void *b)
{
    const cv_supporter *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return x->sensor < y->sensor ? -1 : x->sensor > y->sensor;
}

int cv_world_freeze(cv_world *w)
{
    if (w->frozen)
        return 0;
    w->by_key = cv_calloc(w->ntypes ? w->ntypes : 1, sizeof *w->by_key);
    if (!w->by_key)
        return -1;
    for (size_t i = 0; i < w->ntypes; i++)
        w->by_key[i] = &w->types[i];
    qsort(w->by_key, w->ntypes, sizeof *w->by_key, cmp_type);

    size_t n = 0;
    for (size_t i = 0; i < w->nsensors; i++)
        n += w->sensors[i].nsupports;
    w->supporters = cv_calloc(n ? n : 1, sizeof *w->supporters);
    if (!w->supporters) {
        cv_free(w->by_key);
        w->by_key = NULL;
        return -1;
    }
    size_t k = 0;
    for (size_t i = 0; i < w->nsensors; i++)
        for (size_t j = 0; j < w->sensors[i].nsupports; j++) {
            const cv_supports *sp = &w->sensors[i].supports[j];
            w->supporters[k++] =
                (cv_supporter){cv_type_key(sp->type_id, sp->type_version), (uint32_t)i, sp->inputs};
        }
    qsort(w->supporters, n, sizeof *w->supporters, cmp_supporter);
    w->nsupporters = n;
    w->frozen = true;
    return 0;
}

size_t cv_world_sensor(const cv_world *w, const char *version)
{
    for (size_t i = 0; version && i < w->nsensors; i++)
        if (strcmp(w->sensors[i].version, version) == 0)
            return i;
    return SIZE_MAX;
}

const cv_type *cv_world_type(const cv_world *w, uint32_t id, uint16_t version)
{
    uint64_t key = cv_type_key(id, version);
    size_t lo = 0, hi = w->ntypes;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        uint64_t k = cv_type_key(w->by_key[mid]->id, w->by_key[mid]->version);
        if (k == key)
            return w->by_key[mid];
        if (k < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

const cv_supporter *cv_world_supporters(const cv_world *w, uint32_t id, uint16_t version, size_t *n)
{
    uint64_t key = cv_type_key(id, version);
    size_t lo = 0, hi = w->nsupporters;
    while (lo < hi) { /* lower bound */
        size_t mid = lo + (hi - lo) / 2;
        if (w->supporters[mid].key < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t end = lo;
    while (end < w->nsupporters && w->supporters[end].key == key)
        end++;
    *n = end - lo;
    return w->supporters + lo;
}

int cv_world_add_type(cv_world *w, const cv_type *t, const cv_field *fields, size_t nfields)
{
    cv_type nt = *t;
    nt.nfields = (uint32_t)nfields;
    nt.fields = cv_arena_alloc(&w->arena, (nfields ? nfields : 1) * sizeof *nt.fields);
    void *p = w->types;
    if (!nt.fields || cv_grow(&p, &w->types_cap, w->ntypes + 1, sizeof *w->types) != 0)
        return -1;
    w->types = p;
    if (nfields)
        memcpy(nt.fields, fields, nfields * sizeof *nt.fields);
    w->types[w->ntypes++] = nt;
    cv_world_thaw(w);
    return 0;
}

int cv_world_add_sensor(cv_world *w, const cv_sensor *s, const cv_supports *sup, size_t nsup)
{
    cv_sensor ns = *s;
    ns.nsupports = nsup;
    ns.supports = cv_calloc(nsup ? nsup : 1, sizeof *ns.supports);
    void *p = w->sensors;
    if (!ns.supports || cv_grow(&p, &w->sensors_cap, w->nsensors + 1, sizeof *w->sensors) != 0) {
        cv_free(ns.supports);
        return -1;
    }
    w->sensors = p;
    if (nsup)
        memcpy(ns.supports, sup, nsup * sizeof *ns.supports);
    w->sensors[w->nsensors++] = ns;
    cv_world_thaw(w);
    return 0;
}
