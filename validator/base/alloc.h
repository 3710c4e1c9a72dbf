/* alloc.h - every allocation of libchanval goes through these, so a test can
 * fail the Nth one and a host can supply its own allocator. */
#ifndef CV_ALLOC_H
#define CV_ALLOC_H

#include <stddef.h>

void *cv_malloc(size_t n);
void *cv_realloc(void *p, size_t n);
void cv_free(void *p);
/* n * size, NULL on overflow or failure; memory is zeroed. */
void *cv_calloc(size_t n, size_t size);
/* realloc to n * size, NULL on overflow (p stays valid). */
void *cv_reallocarray(void *p, size_t n, size_t size);
char *cv_strndup(const char *s, size_t n);
char *cv_strdup(const char *s);

/* Grow *pp (an array of elem-size items, capacity *cap) to hold at least
 * need items.  Returns 0, or -1 when out of memory or need overflows. */
int cv_grow(void **pp, size_t *cap, size_t need, size_t elem);

struct pcre2_real_general_context_8;
/* A PCRE2 general context using the hooks above (NULL when out of memory). */
struct pcre2_real_general_context_8 *cv_pcre2_context(void);

#endif
