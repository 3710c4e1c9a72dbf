/* test_reader.c - the checked reader (reader.h) and strict UTF-8 (utf8.h):
 * every boundary of every read, and every edge of RFC 3629. */
#include "testutil.h"

#include "base/reader.h"
#include "base/utf8.h"

#include <stdlib.h>
#include <string.h>

static const uint8_t bytes16[16] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
                                    0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10};

/* ---- reader: fixed-size reads ---------------------------------------- */

static void u8_exact_fit_and_one_short(void **state)
{
    (void)state;
    cv_reader r = cv_reader_make(bytes16, 1);
    uint8_t v = 0;
    assert_true(cv_u8(&r, &v));
    assert_int_equal(v, 0x01);
    assert_int_equal(r.pos, 1);
    assert_int_equal(cv_remaining(&r), 0);
    v = 0x55;
    assert_false(cv_u8(&r, &v));
    assert_int_equal(v, 0x55); /* untouched */
    assert_int_equal(r.pos, 1);

    cv_reader empty = cv_reader_make(bytes16, 0);
    assert_false(cv_u8(&empty, &v));
    assert_int_equal(empty.pos, 0);
}

static void u16_exact_fit_and_one_short(void **state)
{
    (void)state;
    uint16_t v = 0;
    cv_reader r = cv_reader_make(bytes16, 2);
    assert_true(cv_u16le(&r, &v));
    assert_int_equal(v, 0x0201);
    assert_int_equal(r.pos, 2);

    r = cv_reader_make(bytes16, 1);
    v = 0x7777;
    assert_false(cv_u16le(&r, &v));
    assert_int_equal(v, 0x7777);
    assert_int_equal(r.pos, 0);
}

static void u32_exact_fit_and_one_short(void **state)
{
    (void)state;
    uint32_t v = 0;
    cv_reader r = cv_reader_make(bytes16, 4);
    assert_true(cv_u32le(&r, &v));
    assert_int_equal(v, 0x04030201u);
    assert_int_equal(r.pos, 4);
    assert_false(cv_u32le(&r, &v));

    r = cv_reader_make(bytes16, 3);
    v = 0xdeadbeefu;
    assert_false(cv_u32le(&r, &v));
    assert_int_equal(v, 0xdeadbeefu);
    assert_int_equal(r.pos, 0);

    /* high bytes are not sign-extended */
    static const uint8_t hi[4] = {0xff, 0xff, 0xff, 0xff};
    r = cv_reader_make(hi, 4);
    assert_true(cv_u32le(&r, &v));
    assert_int_equal(v, UINT32_MAX);
}

static void u64_exact_fit_and_one_short(void **state)
{
    (void)state;
    uint64_t v = 0;
    cv_reader r = cv_reader_make(bytes16, 8);
    assert_true(cv_u64le(&r, &v));
    assert_true(v == 0x0807060504030201ull);
    assert_int_equal(r.pos, 8);

    /* 7 bytes: the low half would succeed, the read as a whole must not
     * move the reader */
    r = cv_reader_make(bytes16, 7);
    v = 42;
    assert_false(cv_u64le(&r, &v));
    assert_true(v == 42);
    assert_int_equal(r.pos, 0);

    r = cv_reader_make(bytes16, 3);
    assert_false(cv_u64le(&r, &v));
    assert_int_equal(r.pos, 0);
}

static void i64_twos_complement(void **state)
{
    (void)state;
    static const uint8_t minus1[8] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    static const uint8_t min[8] = {0, 0, 0, 0, 0, 0, 0, 0x80};
    static const uint8_t max[8] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f};
    static const uint8_t minus2[8] = {0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    int64_t v = 0;
    cv_reader r = cv_reader_make(minus1, 8);
    assert_true(cv_i64le(&r, &v));
    assert_true(v == -1);
    r = cv_reader_make(min, 8);
    assert_true(cv_i64le(&r, &v));
    assert_true(v == INT64_MIN);
    r = cv_reader_make(max, 8);
    assert_true(cv_i64le(&r, &v));
    assert_true(v == INT64_MAX);
    r = cv_reader_make(minus2, 8);
    assert_true(cv_i64le(&r, &v));
    assert_true(v == -2);
    r = cv_reader_make(minus2, 7);
    v = 5;
    assert_false(cv_i64le(&r, &v));
    assert_true(v == 5);
    assert_int_equal(r.pos, 0);
}

static void sequential_reads_stop_at_the_end(void **state)
{
    (void)state;
    cv_reader r = cv_reader_make(bytes16, 15);
    uint64_t a = 0;
    uint32_t b = 0;
    uint16_t c = 0;
    uint8_t d = 0;
    assert_true(cv_u64le(&r, &a));
    assert_true(cv_u32le(&r, &b));
    assert_true(cv_u16le(&r, &c));
    assert_true(cv_u8(&r, &d));
    assert_int_equal(r.pos, 15);
    assert_int_equal(d, 0x0f);
    assert_false(cv_u8(&r, &d));
    assert_false(cv_u16le(&r, &c));
    assert_false(cv_u32le(&r, &b));
    assert_int_equal(r.pos, 15);
}

static void has_skip_and_bytes(void **state)
{
    (void)state;
    cv_reader r = cv_reader_make(bytes16, 16);
    assert_true(cv_has(&r, 0));
    assert_true(cv_has(&r, 16));
    assert_false(cv_has(&r, 17));
    assert_false(cv_has(&r, SIZE_MAX));
    assert_false(cv_skip(&r, 17));
    assert_int_equal(r.pos, 0);
    assert_false(cv_skip(&r, SIZE_MAX));
    assert_int_equal(r.pos, 0);
    assert_true(cv_skip(&r, 10));
    assert_int_equal(cv_remaining(&r), 6);
    assert_null(cv_bytes(&r, 7));
    assert_int_equal(r.pos, 10);
    const uint8_t *p = cv_bytes(&r, 6);
    assert_ptr_equal(p, bytes16 + 10);
    assert_int_equal(r.pos, 16);
    assert_true(cv_skip(&r, 0));
    assert_non_null(cv_bytes(&r, 0)); /* zero bytes at the end fit */
    assert_null(cv_bytes(&r, 1));
    assert_false(cv_skip(&r, 1));
}

/* ---- reader: windows --------------------------------------------------- */

static void window_exact_fit(void **state)
{
    (void)state;
    cv_reader r = cv_reader_make(bytes16, 16), w;
    assert_true(cv_window(&r, 0, 16, &w));
    assert_int_equal(w.pos, 0);
    assert_int_equal(w.end, 16);
    assert_true(cv_window(&r, 12, 4, &w));
    assert_int_equal(w.pos, 12); /* absolute offsets are kept */
    assert_int_equal(w.end, 16);
    uint32_t v = 0;
    assert_true(cv_u32le(&w, &v));
    assert_int_equal(v, 0x100f0e0du);
    assert_false(cv_u8(&w, &(uint8_t){0}));
}

static void window_one_past_the_end(void **state)
{
    (void)state;
    cv_reader r = cv_reader_make(bytes16, 16), w = {0};
    w.pos = 99;
    assert_false(cv_window(&r, 12, 5, &w));
    assert_int_equal(w.pos, 99); /* untouched on failure */
    assert_false(cv_window(&r, 0, 17, &w));
    assert_false(cv_window(&r, 16, 1, &w));
    assert_false(cv_window(&r, 17, 0, &w));
}

static void empty_window_at_the_end(void **state)
{
    (void)state;
    cv_reader r = cv_reader_make(bytes16, 16), w;
    assert_true(cv_window(&r, 16, 0, &w));
    assert_int_equal(w.pos, 16);
    assert_int_equal(cv_remaining(&w), 0);
    assert_false(cv_u8(&w, &(uint8_t){0}));
    assert_true(cv_window(&r, 0, 0, &w));
}

static void window_with_overflowing_offsets(void **state)
{
    (void)state;
    cv_reader r = cv_reader_make(bytes16, 16), w;
    assert_false(cv_window(&r, SIZE_MAX, 1, &w));
    assert_false(cv_window(&r, SIZE_MAX, 0, &w));
    assert_false(cv_window(&r, 1, SIZE_MAX, &w));
    assert_false(cv_window(&r, 8, SIZE_MAX - 7, &w)); /* off + len wraps to 0 */
    assert_false(cv_window(&r, 8, SIZE_MAX - 3, &w));
    assert_false(cv_window(&r, SIZE_MAX - 3, 8, &w));
    assert_false(cv_window(&r, (size_t)UINT32_MAX, 2, &w));
}

static void window_cannot_escape_its_parent(void **state)
{
    (void)state;
    cv_reader r = cv_reader_make(bytes16, 16), mid, inner;
    assert_true(cv_window(&r, 4, 8, &mid)); /* [4, 12) */
    assert_true(cv_window(&mid, 4, 8, &inner));
    assert_true(cv_window(&mid, 11, 1, &inner));
    assert_true(cv_window(&mid, 12, 0, &inner));
    assert_false(cv_window(&mid, 3, 1, &inner));  /* before the window */
    assert_false(cv_window(&mid, 11, 2, &inner)); /* past its end */
    assert_false(cv_window(&mid, 12, 1, &inner));
    assert_false(cv_window(&mid, 0, 16, &inner));
    /* a reader that has advanced cannot window behind its position */
    cv_reader adv = r;
    assert_true(cv_skip(&adv, 6));
    assert_false(cv_window(&adv, 5, 1, &inner));
    assert_true(cv_window(&adv, 6, 10, &inner));
}

static void peek_does_not_move(void **state)
{
    (void)state;
    cv_reader r = cv_reader_make(bytes16, 16);
    uint32_t v = 0;
    assert_true(cv_peek_u32le(&r, 12, &v));
    assert_int_equal(v, 0x100f0e0du);
    assert_int_equal(r.pos, 0);
    v = 7;
    assert_false(cv_peek_u32le(&r, 13, &v));
    assert_int_equal(v, 7);
    assert_false(cv_peek_u32le(&r, 16, &v));
    assert_false(cv_peek_u32le(&r, SIZE_MAX, &v));
    assert_false(cv_peek_u32le(&r, SIZE_MAX - 2, &v));
    cv_reader w;
    assert_true(cv_window(&r, 4, 4, &w));
    assert_true(cv_peek_u32le(&w, 4, &v));
    assert_int_equal(v, 0x08070605u);
    assert_false(cv_peek_u32le(&w, 0, &v)); /* outside w, inside the buffer */
    assert_false(cv_peek_u32le(&w, 5, &v));
}

/* Every (offset, length) pair near the end: a window is granted exactly
 * when it lies inside, and its reads never pass the end. */
static void window_sweep(void **state)
{
    (void)state;
    cv_reader r = cv_reader_make(bytes16, 16), w;
    for (size_t off = 0; off <= 20; off++)
        for (size_t len = 0; len <= 20; len++) {
            bool ok = cv_window(&r, off, len, &w);
            assert_int_equal(ok, off + len <= 16);
            if (ok) {
                size_t n = 0;
                uint8_t b;
                while (cv_u8(&w, &b))
                    n++;
                assert_int_equal(n, len);
            }
        }
}

/* ---- UTF-8 ------------------------------------------------------------- */

static size_t seq(const char *s, size_t n, uint32_t *cp)
{
    return cv_utf8_seq((const uint8_t *)s, n, cp);
}

static void utf8_valid_one_to_four_bytes(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        size_t n;
        uint32_t cp;
    } ok[] = {
        {"\x00", 1, 0x0},        {"A", 1, 0x41},
        {"\x7f", 1, 0x7f},       {"\xc2\x80", 2, 0x80},
        {"\xc3\xa9", 2, 0xe9},   {"\xdf\xbf", 2, 0x7ff},
        {"\xe0\xa0\x80", 3, 0x800}, {"\xe2\x82\xac", 3, 0x20ac},
        {"\xed\x9f\xbf", 3, 0xd7ff}, {"\xee\x80\x80", 3, 0xe000},
        {"\xef\xbf\xbd", 3, 0xfffd}, {"\xef\xbf\xbf", 3, 0xffff},
        {"\xf0\x90\x80\x80", 4, 0x10000}, {"\xf0\x9f\x98\x80", 4, 0x1f600},
        {"\xf3\xbf\xbf\xbf", 4, 0xfffff}, {"\xf4\x80\x80\x80", 4, 0x100000},
        {"\xf4\x8f\xbf\xbf", 4, 0x10ffff},
    };
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
        uint32_t cp = 0xffffffffu;
        size_t n = seq(ok[i].s, ok[i].n, &cp);
        if (n != ok[i].n || cp != ok[i].cp)
            fail_msg("case %zu: length %zu cp U+%04X, expected %zu U+%04X", i, n, cp, ok[i].n,
                     ok[i].cp);
        /* trailing bytes do not change the result */
        char buf[8] = {0};
        memcpy(buf, ok[i].s, ok[i].n);
        buf[ok[i].n] = 'x';
        assert_int_equal(seq(buf, ok[i].n + 1, &cp), ok[i].n);
    }
}

static void utf8_overlongs_rejected(void **state)
{
    (void)state;
    uint32_t cp;
    assert_int_equal(seq("\xc0\x80", 2, &cp), 0); /* overlong NUL */
    assert_int_equal(seq("\xc0\xaf", 2, &cp), 0); /* overlong '/' */
    assert_int_equal(seq("\xc1\xbf", 2, &cp), 0);
    assert_int_equal(seq("\xc1\x81", 2, &cp), 0);
    assert_int_equal(seq("\xe0\x80\x80", 3, &cp), 0);
    assert_int_equal(seq("\xe0\x80\xaf", 3, &cp), 0);
    assert_int_equal(seq("\xe0\x9f\xbf", 3, &cp), 0); /* U+07FF in 3 bytes */
    assert_int_equal(seq("\xf0\x80\x80\x80", 4, &cp), 0);
    assert_int_equal(seq("\xf0\x80\x80\xaf", 4, &cp), 0);
    assert_int_equal(seq("\xf0\x8f\xbf\xbf", 4, &cp), 0); /* U+FFFF in 4 bytes */
}

static void utf8_surrogates_rejected(void **state)
{
    (void)state;
    uint32_t cp;
    assert_int_equal(seq("\xed\xa0\x80", 3, &cp), 0); /* U+D800 */
    assert_int_equal(seq("\xed\xad\xbf", 3, &cp), 0); /* U+DB7F */
    assert_int_equal(seq("\xed\xb0\x80", 3, &cp), 0); /* U+DC00 */
    assert_int_equal(seq("\xed\xbf\xbf", 3, &cp), 0); /* U+DFFF */
    /* a CESU-8 pair */
    size_t bad = 99;
    bool nul = true;
    assert_false(cv_utf8_check((const uint8_t *)"ab\xed\xa0\xbd\xed\xb8\x80", 8, &bad, &nul));
    assert_int_equal(bad, 2);
    assert_false(nul);
}

static void utf8_above_u10ffff_rejected(void **state)
{
    (void)state;
    uint32_t cp;
    assert_int_equal(seq("\xf4\x90\x80\x80", 4, &cp), 0); /* U+110000 */
    assert_int_equal(seq("\xf4\xbf\xbf\xbf", 4, &cp), 0);
    static const uint8_t lead[] = {0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd, 0xfe, 0xff};
    for (size_t i = 0; i < sizeof lead; i++) {
        uint8_t b[6] = {lead[i], 0x80, 0x80, 0x80, 0x80, 0x80};
        assert_int_equal(cv_utf8_seq(b, 6, &cp), 0);
        assert_int_equal(cv_utf8_seq(b, 1, &cp), 0);
    }
}

static void utf8_truncated_sequences_rejected(void **state)
{
    (void)state;
    uint32_t cp;
    assert_int_equal(seq("\xc2", 1, &cp), 0);
    assert_int_equal(seq("\xe0\xa0", 2, &cp), 0);
    assert_int_equal(seq("\xe2\x82", 2, &cp), 0);
    assert_int_equal(seq("\xe2", 1, &cp), 0);
    assert_int_equal(seq("\xf0\x90\x80", 3, &cp), 0);
    assert_int_equal(seq("\xf0\x90", 2, &cp), 0);
    assert_int_equal(seq("\xf4", 1, &cp), 0);
    /* the avail bound is honoured even when more bytes follow in memory */
    assert_int_equal(seq("\xe2\x82\xac", 2, &cp), 0);
    assert_int_equal(seq("\xf0\x9f\x98\x80", 3, &cp), 0);
    assert_int_equal(seq("A", 0, &cp), 0);
    /* a continuation replaced by something else */
    assert_int_equal(seq("\xc2\x41", 2, &cp), 0);
    assert_int_equal(seq("\xc2\xc2\x80", 3, &cp), 0);
    assert_int_equal(seq("\xe2\x82\x41", 3, &cp), 0);
    assert_int_equal(seq("\xe2\x41\xac", 3, &cp), 0);
    assert_int_equal(seq("\xf0\x9f\x98\x41", 4, &cp), 0);
    assert_int_equal(seq("\xf0\x9f\xc0\x80", 4, &cp), 0);
    assert_int_equal(seq("\xf1\x80\x80\xff", 4, &cp), 0);
}

static void utf8_stray_continuation_rejected(void **state)
{
    (void)state;
    uint32_t cp;
    for (unsigned c = 0x80; c <= 0xbf; c++) {
        uint8_t b[2] = {(uint8_t)c, 0x80};
        assert_int_equal(cv_utf8_seq(b, 2, &cp), 0);
    }
    size_t bad = 0;
    bool nul = true;
    assert_false(cv_utf8_check((const uint8_t *)"abc\x80", 4, &bad, &nul));
    assert_int_equal(bad, 3);
    assert_false(nul);
    /* a valid two-byte character followed by one continuation too many */
    assert_false(cv_utf8_check((const uint8_t *)"\xc3\xa9\xa9", 3, &bad, &nul));
    assert_int_equal(bad, 2);
}

static void utf8_check_nul(void **state)
{
    (void)state;
    size_t bad = 99;
    bool nul = false;
    assert_false(cv_utf8_check((const uint8_t *)"\0", 1, &bad, &nul));
    assert_int_equal(bad, 0);
    assert_true(nul);
    /* inside the eight-byte fast path and after it */
    for (size_t at = 0; at < 24; at++) {
        uint8_t b[24];
        memset(b, 'a', sizeof b);
        b[at] = 0;
        bad = 99;
        nul = false;
        assert_false(cv_utf8_check(b, sizeof b, &bad, &nul));
        assert_int_equal(bad, at);
        assert_true(nul);
    }
    /* NUL right after a multi-byte character */
    assert_false(cv_utf8_check((const uint8_t *)"\xe2\x82\xac\0x", 5, &bad, &nul));
    assert_int_equal(bad, 3);
    assert_true(nul);
}

static void utf8_check_offsets_of_first_bad_byte(void **state)
{
    (void)state;
    size_t bad = 0;
    bool nul = true;
    assert_true(cv_utf8_check((const uint8_t *)"", 0, &bad, &nul));
    assert_true(cv_utf8_check((const uint8_t *)"abcdefgh", 8, &bad, &nul));
    assert_true(cv_utf8_check((const uint8_t *)"abcdefghijklmnopq\xf4\x8f\xbf\xbf", 21, &bad,
                              &nul));
    /* every position of a bad byte, across the fast-path boundaries */
    for (size_t at = 0; at < 24; at++) {
        uint8_t b[24];
        memset(b, 'z', sizeof b);
        b[at] = 0xff;
        bad = 99;
        nul = true;
        assert_false(cv_utf8_check(b, sizeof b, &bad, &nul));
        assert_int_equal(bad, at);
        assert_false(nul);
    }
    /* a sequence truncated by the end of the string */
    assert_false(cv_utf8_check((const uint8_t *)"abcdefgh\xe2\x82", 10, &bad, &nul));
    assert_int_equal(bad, 8);
    assert_false(nul);
    assert_false(cv_utf8_check((const uint8_t *)"\xe2\x82\xac\xe2\x82", 5, &bad, &nul));
    assert_int_equal(bad, 3);
    /* an overlong after valid multi-byte text */
    assert_false(cv_utf8_check((const uint8_t *)"\xc3\xa9t\xc3\xa9\xc0\x80", 7, &bad, &nul));
    assert_int_equal(bad, 5);
    /* the length bound is honoured: a good string followed by bad memory */
    assert_true(cv_utf8_check((const uint8_t *)"ok\xff", 2, &bad, &nul));
}

/* An independent decoder, straight from RFC 3629's definition: decode any
 * lead/continuation structure, then reject by the code point's value. */
static size_t ref_seq(const uint8_t *p, size_t avail, uint32_t *cp)
{
    if (avail == 0)
        return 0;
    uint8_t c = p[0];
    size_t n;
    uint32_t v, min;
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if ((c & 0xe0) == 0xc0) {
        n = 2, v = c & 0x1fu, min = 0x80;
    } else if ((c & 0xf0) == 0xe0) {
        n = 3, v = c & 0x0fu, min = 0x800;
    } else if ((c & 0xf8) == 0xf0) {
        n = 4, v = c & 0x07u, min = 0x10000;
    } else {
        return 0;
    }
    if (avail < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return 0;
        v = v << 6 | (p[i] & 0x3fu);
    }
    if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
        return 0;
    *cp = v;
    return n;
}

static void utf8_agrees_with_reference_decoder(void **state)
{
    (void)state;
    static const uint8_t tails[] = {0x00, 0x41, 0x7f, 0x80, 0x81, 0x8f, 0x90, 0x9f,
                                    0xa0, 0xbf, 0xc0, 0xc2, 0xe0, 0xf0, 0xff};
    const size_t nt = sizeof tails;
    size_t checked = 0;
    for (unsigned a = 0; a < 256; a++)
        for (unsigned b = 0; b < 256; b++)
            for (size_t c = 0; c < nt; c++)
                for (size_t d = 0; d < nt; d++) {
                    if (a < 0xe0 && (c > 0 || d > 0))
                        continue; /* 1- and 2-byte leads: the tail does not matter */
                    if (a < 0xf0 && d > 0)
                        continue;
                    uint8_t p[4] = {(uint8_t)a, (uint8_t)b, tails[c], tails[d]};
                    for (size_t avail = 1; avail <= 4; avail++) {
                        uint32_t cp1 = 0, cp2 = 0;
                        size_t n1 = cv_utf8_seq(p, avail, &cp1);
                        size_t n2 = ref_seq(p, avail, &cp2);
                        if (n1 != n2 || (n1 && cp1 != cp2))
                            fail_msg("%02x %02x %02x %02x (avail %zu): %zu U+%04X, reference "
                                     "%zu U+%04X",
                                     p[0], p[1], p[2], p[3], avail, n1, cp1, n2, cp2);
                        checked++;
                    }
                }
    assert_true(checked > 100000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(u8_exact_fit_and_one_short),
        cmocka_unit_test(u16_exact_fit_and_one_short),
        cmocka_unit_test(u32_exact_fit_and_one_short),
        cmocka_unit_test(u64_exact_fit_and_one_short),
        cmocka_unit_test(i64_twos_complement),
        cmocka_unit_test(sequential_reads_stop_at_the_end),
        cmocka_unit_test(has_skip_and_bytes),
        cmocka_unit_test(window_exact_fit),
        cmocka_unit_test(window_one_past_the_end),
        cmocka_unit_test(empty_window_at_the_end),
        cmocka_unit_test(window_with_overflowing_offsets),
        cmocka_unit_test(window_cannot_escape_its_parent),
        cmocka_unit_test(peek_does_not_move),
        cmocka_unit_test(window_sweep),
        cmocka_unit_test(utf8_valid_one_to_four_bytes),
        cmocka_unit_test(utf8_overlongs_rejected),
        cmocka_unit_test(utf8_surrogates_rejected),
        cmocka_unit_test(utf8_above_u10ffff_rejected),
        cmocka_unit_test(utf8_truncated_sequences_rejected),
        cmocka_unit_test(utf8_stray_continuation_rejected),
        cmocka_unit_test(utf8_check_nul),
        cmocka_unit_test(utf8_check_offsets_of_first_bad_byte),
        cmocka_unit_test(utf8_agrees_with_reference_decoder),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
