/* buf.h - a growable byte buffer with a sticky out-of-memory flag, and an
 * arena for many small strings freed together. */
#ifndef CV_BUF_H
#define CV_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Once anything was added, data[len] is a NUL, so data is a C string. */
typedef struct cv_buf {
    char *data;
    size_t len, cap;
    bool oom; /* set once an append failed; later appends are ignored */
} cv_buf;

void cv_buf_free(cv_buf *b);
void cv_buf_add(cv_buf *b, const void *p, size_t n);
void cv_buf_addc(cv_buf *b, char c);
void cv_buf_adds(cv_buf *b, const char *s);
void cv_buf_printf(cv_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cv_buf_vprintf(cv_buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
void cv_buf_zeros(cv_buf *b, size_t n);
void cv_buf_u16le(cv_buf *b, uint16_t v);
void cv_buf_u32le(cv_buf *b, uint32_t v);
void cv_buf_u64le(cv_buf *b, uint64_t v);
/* Hand the bytes (NUL-terminated) to the caller; the buffer is reset. */
char *cv_buf_take(cv_buf *b, size_t *len);

typedef struct cv_arena_block cv_arena_block;
typedef struct cv_arena {
    cv_arena_block *head;
    bool oom;
} cv_arena;

void *cv_arena_alloc(cv_arena *a, size_t n);
char *cv_arena_strndup(cv_arena *a, const char *s, size_t n);
char *cv_arena_vprintf(cv_arena *a, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
char *cv_arena_printf(cv_arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cv_arena_free(cv_arena *a);

#endif
