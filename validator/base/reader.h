/* reader.h - the one idiom for reading hostile bytes.
 *
 * A reader is a window [pos, end) over a buffer whose absolute offsets are
 * kept, so diagnostics can name the byte offset of what was read.  Every
 * read checks the remaining length first; a failed read leaves the reader
 * unchanged.  No parser code indexes raw memory directly. */
#ifndef CV_READER_H
#define CV_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct cv_reader {
    const uint8_t *buf; /* start of the whole file: offsets are from here */
    size_t pos;         /* absolute offset of the next byte */
    size_t end;         /* absolute offset one past the last readable byte */
} cv_reader;

static inline cv_reader cv_reader_make(const uint8_t *buf, size_t len)
{
    return (cv_reader){buf, 0, len};
}

static inline size_t cv_remaining(const cv_reader *r) { return r->end - r->pos; }

static inline bool cv_has(const cv_reader *r, size_t n) { return r->end - r->pos >= n; }

/* A window [off, off+len) of r's buffer, inside r's own window.  Fails on
 * overflow or when the window does not fit. */
static inline bool cv_window(const cv_reader *r, size_t off, size_t len, cv_reader *out)
{
    if (off < r->pos || off > r->end || len > r->end - off)
        return false;
    *out = (cv_reader){r->buf, off, off + len};
    return true;
}

static inline bool cv_skip(cv_reader *r, size_t n)
{
    if (!cv_has(r, n))
        return false;
    r->pos += n;
    return true;
}

/* Pointer to the next n bytes (and advance), or NULL when they are not all
 * inside the window. */
static inline const uint8_t *cv_bytes(cv_reader *r, size_t n)
{
    if (!cv_has(r, n))
        return NULL;
    const uint8_t *p = r->buf + r->pos;
    r->pos += n;
    return p;
}

/* Pointer to the next n bytes without advancing, or NULL. */
static inline const uint8_t *cv_peek(const cv_reader *r, size_t n)
{
    return cv_has(r, n) ? r->buf + r->pos : NULL;
}

static inline bool cv_u8(cv_reader *r, uint8_t *v)
{
    const uint8_t *p = cv_bytes(r, 1);
    if (!p)
        return false;
    *v = p[0];
    return true;
}

static inline bool cv_u16le(cv_reader *r, uint16_t *v)
{
    const uint8_t *p = cv_bytes(r, 2);
    if (!p)
        return false;
    *v = (uint16_t)(p[0] | (p[1] << 8));
    return true;
}

static inline bool cv_u32le(cv_reader *r, uint32_t *v)
{
    const uint8_t *p = cv_bytes(r, 4);
    if (!p)
        return false;
    *v = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
    return true;
}

static inline bool cv_u64le(cv_reader *r, uint64_t *v)
{
    uint32_t lo, hi;
    cv_reader save = *r;
    if (!cv_u32le(r, &lo) || !cv_u32le(r, &hi)) {
        *r = save;
        return false;
    }
    *v = (uint64_t)hi << 32 | lo;
    return true;
}

static inline bool cv_i64le(cv_reader *r, int64_t *v)
{
    uint64_t u;
    if (!cv_u64le(r, &u))
        return false;
    /* two's complement without implementation-defined conversion */
    *v = u <= INT64_MAX ? (int64_t)u : -(int64_t)(~u) - 1;
    return true;
}

/* Read at an absolute offset without moving the reader. */
static inline bool cv_peek_u32le(const cv_reader *r, size_t off, uint32_t *v)
{
    cv_reader w;
    return cv_window(r, off, 4, &w) && cv_u32le(&w, v);
}

#endif
