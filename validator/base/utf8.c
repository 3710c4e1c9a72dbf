/* utf8.c - strict UTF-8 validation (RFC 3629 table 3-7 of Unicode). */
#include "base/utf8.h"

size_t cv_utf8_seq(const uint8_t *p, size_t avail, uint32_t *cp)
{
    if (avail == 0)
        return 0;
    uint8_t c = p[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t n;
    uint8_t lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
    uint32_t v;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        v = c & 0x1Fu;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        v = c & 0x0Fu;
        if (c == 0xE0)
            lo = 0xA0; /* no overlongs */
        else if (c == 0xED)
            hi = 0x9F; /* no surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        v = c & 0x07u;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F; /* nothing above U+10FFFF */
    } else {
        return 0;
    }
    if (avail < n)
        return 0;
    if (p[1] < lo || p[1] > hi)
        return 0;
    v = v << 6 | (p[1] & 0x3Fu);
    for (size_t i = 2; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        v = v << 6 | (p[i] & 0x3Fu);
    }
    *cp = v;
    return n;
}

bool cv_utf8_check(const uint8_t *p, size_t len, size_t *bad, bool *nul)
{
    size_t i = 0;
    while (i < len) {
        /* ASCII fast path: eight bytes at a time */
        while (len - i >= 8) {
            uint64_t w = 0;
            for (int k = 0; k < 8; k++)
                w |= (uint64_t)p[i + (size_t)k] << (8 * k);
            /* any byte >= 0x80 or == 0x00 leaves the fast path */
            if ((w & 0x8080808080808080ull) ||
                ((w - 0x0101010101010101ull) & ~w & 0x8080808080808080ull))
                break;
            i += 8;
        }
        if (i >= len)
            break;
        uint32_t cp;
        size_t n = cv_utf8_seq(p + i, len - i, &cp);
        if (n == 0 || cp == 0) {
            *bad = i;
            *nul = (n == 1);
            return false;
        }
        i += n;
    }
    return true;
}
