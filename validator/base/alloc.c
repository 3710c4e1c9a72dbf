/* alloc.c - allocator hooks shared by libchanval, libxml2 and PCRE2. */
#include "base/alloc.h"
#include "chanval.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <libxml/xmlmemory.h>
#include <pcre2.h>

static chanval_allocator hooks = {malloc, realloc, free};

void *cv_malloc(size_t n) { return hooks.malloc_fn(n ? n : 1); }

void *cv_realloc(void *p, size_t n) { return hooks.realloc_fn(p, n ? n : 1); }

void cv_free(void *p)
{
    if (p)
        hooks.free_fn(p);
}

void *cv_calloc(size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    void *p = cv_malloc(n * size);
    if (p)
        memset(p, 0, n * size);
    return p;
}

void *cv_reallocarray(void *p, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    return cv_realloc(p, n * size);
}

char *cv_strndup(const char *s, size_t n)
{
    if (n == SIZE_MAX)
        return NULL;
    char *d = cv_malloc(n + 1);
    if (d) {
        if (n)
            memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

char *cv_strdup(const char *s) { return cv_strndup(s, strlen(s)); }

int cv_grow(void **pp, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    size_t ncap = *cap ? *cap : 8;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2)
            return -1;
        ncap *= 2;
    }
    void *np = cv_reallocarray(*pp, ncap, elem);
    if (!np)
        return -1;
    *pp = np;
    *cap = ncap;
    return 0;
}

/* libxml2 wants a strdup too. */
static char *xml_strdup(const char *s) { return cv_strdup(s); }

chanval_status chanval_set_allocator(const chanval_allocator *a)
{
    if (a && (!a->malloc_fn || !a->realloc_fn || !a->free_fn))
        return CHANVAL_ERR_USAGE;
    if (a)
        hooks = *a;
    else
        hooks = (chanval_allocator){malloc, realloc, free};
    if (xmlMemSetup(cv_free, cv_malloc, cv_realloc, xml_strdup) != 0)
        return CHANVAL_ERR_INTERNAL;
    return CHANVAL_OK;
}

void chanval_free(void *p) { cv_free(p); }

static void *pcre_malloc(size_t n, void *unused)
{
    (void)unused;
    return cv_malloc(n);
}

static void pcre_free(void *p, void *unused)
{
    (void)unused;
    cv_free(p);
}

pcre2_general_context *cv_pcre2_context(void)
{
    return pcre2_general_context_create(pcre_malloc, pcre_free, NULL);
}
