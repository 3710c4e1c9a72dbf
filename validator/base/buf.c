/* buf.c - growable buffer and string arena. */
#include "base/buf.h"
#include "base/alloc.h"

#include <stdio.h>
#include <string.h>

void cv_buf_free(cv_buf *b)
{
    cv_free(b->data);
    *b = (cv_buf){0};
}

static bool reserve(cv_buf *b, size_t extra)
{
    if (b->oom)
        return false;
    /* +1 keeps room for the terminating NUL of cv_buf_take. */
    if (extra >= SIZE_MAX - b->len) {
        b->oom = true;
        return false;
    }
    void *p = b->data;
    if (cv_grow(&p, &b->cap, b->len + extra + 1, 1) != 0) {
        b->oom = true;
        return false;
    }
    b->data = p;
    return true;
}

void cv_buf_add(cv_buf *b, const void *p, size_t n)
{
    if (n == 0 || !reserve(b, n))
        return;
    memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void cv_buf_addc(cv_buf *b, char c) { cv_buf_add(b, &c, 1); }

void cv_buf_adds(cv_buf *b, const char *s) { cv_buf_add(b, s, strlen(s)); }

void cv_buf_vprintf(cv_buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0) {
        b->oom = true;
        return;
    }
    if (!reserve(b, (size_t)n))
        return;
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void cv_buf_printf(cv_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cv_buf_vprintf(b, fmt, ap);
    va_end(ap);
}

void cv_buf_zeros(cv_buf *b, size_t n)
{
    if (n == 0 || !reserve(b, n))
        return;
    memset(b->data + b->len, 0, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void cv_buf_u16le(cv_buf *b, uint16_t v)
{
    uint8_t x[2] = {(uint8_t)v, (uint8_t)(v >> 8)};
    cv_buf_add(b, x, 2);
}

void cv_buf_u32le(cv_buf *b, uint32_t v)
{
    uint8_t x[4];
    for (int i = 0; i < 4; i++)
        x[i] = (uint8_t)(v >> (8 * i));
    cv_buf_add(b, x, 4);
}

void cv_buf_u64le(cv_buf *b, uint64_t v)
{
    uint8_t x[8];
    for (int i = 0; i < 8; i++)
        x[i] = (uint8_t)(v >> (8 * i));
    cv_buf_add(b, x, 8);
}

char *cv_buf_take(cv_buf *b, size_t *len)
{
    if (b->oom || !reserve(b, 0)) {
        cv_buf_free(b);
        return NULL;
    }
    b->data[b->len] = '\0';
    char *p = b->data;
    if (len)
        *len = b->len;
    *b = (cv_buf){0};
    return p;
}

/* ---- arena ------------------------------------------------------------ */

enum { ARENA_BLOCK = 16384 };

struct cv_arena_block {
    cv_arena_block *next;
    size_t used, size;
    max_align_t data[];
};

void *cv_arena_alloc(cv_arena *a, size_t n)
{
    const size_t align = sizeof(max_align_t);
    if (a->oom || n > SIZE_MAX / 2)
        return NULL;
    n = (n + align - 1) / align * align;
    cv_arena_block *b = a->head;
    if (!b || b->size - b->used < n) {
        size_t size = n > ARENA_BLOCK ? n : ARENA_BLOCK;
        b = cv_malloc(sizeof *b + size);
        if (!b) {
            a->oom = true;
            return NULL;
        }
        b->size = size;
        b->used = 0;
        b->next = a->head;
        a->head = b;
    }
    void *p = (char *)b->data + b->used;
    b->used += n;
    return p;
}

char *cv_arena_strndup(cv_arena *a, const char *s, size_t n)
{
    if (n == SIZE_MAX)
        return NULL;
    char *d = cv_arena_alloc(a, n + 1);
    if (d) {
        if (n)
            memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

char *cv_arena_vprintf(cv_arena *a, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return NULL;
    char *d = cv_arena_alloc(a, (size_t)n + 1);
    if (d)
        vsnprintf(d, (size_t)n + 1, fmt, ap);
    return d;
}

char *cv_arena_printf(cv_arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *d = cv_arena_vprintf(a, fmt, ap);
    va_end(ap);
    return d;
}

void cv_arena_free(cv_arena *a)
{
    cv_arena_block *b = a->head;
    while (b) {
        cv_arena_block *next = b->next;
        cv_free(b);
        b = next;
    }
    *a = (cv_arena){0};
}
