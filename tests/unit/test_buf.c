/* test_buf.c - the growable buffer and the string arena (validator/base/buf.c):
 * every piece the arena hands out lies inside one block the allocator gave
 * and overlaps no other piece, at the block boundary too; the buffer keeps
 * its bytes NUL-terminated and its out-of-memory state sticky. */
#include "testutil.h"

#include "base/alloc.h"
#include "base/buf.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* buf.c's arena block: what one block holds before the next is opened */
enum { BLOCK = 16384 };

/* ---- an allocator that remembers what it gave ------------------------- */

enum { MAX_BLOCKS = 512 };
typedef struct given {
    uintptr_t p;
    size_t n;
    bool live;
} given;
static given blocks[MAX_BLOCKS];
static size_t nblocks, calls, fail_at;

static void remember(void *p, size_t n)
{
    assert_true(nblocks < MAX_BLOCKS);
    blocks[nblocks++] = (given){(uintptr_t)p, n, true};
}

static void forget(uintptr_t p)
{
    for (size_t i = 0; i < nblocks; i++)
        if (blocks[i].live && blocks[i].p == p) {
            blocks[i].live = false;
            return;
        }
    fail_msg("freed a block that was not given");
}

static void *t_malloc(size_t n)
{
    if (++calls == fail_at)
        return NULL;
    void *p = malloc(n);
    if (p)
        remember(p, n);
    return p;
}

/* malloc, copy, free: the old block is known, and stays distinct */
static void *t_realloc(void *p, size_t n)
{
    if (++calls == fail_at)
        return NULL;
    void *q = malloc(n);
    if (!q)
        return NULL;
    if (p) {
        size_t had = 0;
        for (size_t i = 0; i < nblocks; i++)
            if (blocks[i].live && blocks[i].p == (uintptr_t)p)
                had = blocks[i].n;
        memcpy(q, p, had < n ? had : n);
        forget((uintptr_t)p);
        free(p);
    }
    remember(q, n);
    return q;
}

static void t_free(void *p)
{
    if (p) {
        forget((uintptr_t)p);
        free(p);
    }
}

static size_t live_blocks(void)
{
    size_t n = 0;
    for (size_t i = 0; i < nblocks; i++)
        n += blocks[i].live;
    return n;
}

static int setup(void **state)
{
    (void)state;
    nblocks = calls = fail_at = 0;
    static const chanval_allocator a = {t_malloc, t_realloc, t_free};
    return chanval_set_allocator(&a) == CHANVAL_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    chanval_set_allocator(NULL);
    return live_blocks() == 0 ? 0 : -1; /* nothing leaked */
}

/* ---- pieces ------------------------------------------------------------ */

enum { MAX_PIECES = 4096 };
typedef struct piece {
    uintptr_t p;
    size_t n;
    unsigned char tag;
} piece;
static piece pieces[MAX_PIECES];
static size_t npieces;

/* [p, p+n) lies inside one live block and overlaps no earlier piece. */
static void assert_piece(const void *p, size_t n)
{
    uintptr_t a = (uintptr_t)p;
    assert_non_null(p);
    assert_int_equal(a % _Alignof(max_align_t), 0);
    bool inside = false;
    for (size_t i = 0; i < nblocks && !inside; i++)
        inside = blocks[i].live && a >= blocks[i].p && n <= blocks[i].n &&
                 a - blocks[i].p <= blocks[i].n - n;
    if (!inside)
        fail_msg("piece of %zu bytes is not inside any block", n);
    for (size_t i = 0; i < npieces; i++)
        if (a < pieces[i].p + pieces[i].n && pieces[i].p < a + n)
            fail_msg("piece of %zu bytes overlaps piece %zu", n, i);
}

/* Take n bytes, check them and fill them with a tag the others keep. */
static void *take(cv_arena *a, size_t n)
{
    void *p = cv_arena_alloc(a, n);
    assert_piece(p, n);
    assert_true(npieces < MAX_PIECES);
    pieces[npieces] = (piece){(uintptr_t)p, n, (unsigned char)(npieces * 7 + 1)};
    memset(p, pieces[npieces].tag, n);
    npieces++;
    return p;
}

static void assert_tags_intact(void)
{
    for (size_t i = 0; i < npieces; i++) {
        const unsigned char *q = (const unsigned char *)pieces[i].p;
        for (size_t k = 0; k < pieces[i].n; k++)
            if (q[k] != pieces[i].tag)
                fail_msg("piece %zu byte %zu was overwritten", i, k);
    }
}

/* ---- the arena ---------------------------------------------------------- */

/* Odd sizes over several blocks: none rounds down into its neighbour. */
static void arena_odd_sizes_over_several_blocks(void **state)
{
    (void)state;
    cv_arena a = {0};
    npieces = 0;
    size_t total = 0;
    for (size_t n = 1; total < 3 * BLOCK; n = n % 61 + 1) {
        take(&a, n);
        total += n;
    }
    assert_true(live_blocks() >= 3);
    assert_tags_intact();
    assert_false(a.oom);
    cv_arena_free(&a);
    assert_int_equal(live_blocks(), 0);
    assert_null(a.head);
}

/* Exactly a block's worth fits the block; one byte more opens the next;
 * a piece larger than a block gets a block of its own, large enough. */
static void arena_block_boundary(void **state)
{
    (void)state;
    cv_arena a = {0};
    npieces = 0;
    take(&a, BLOCK);
    assert_int_equal(live_blocks(), 1);
    take(&a, 1);
    assert_int_equal(live_blocks(), 2);
    cv_arena_free(&a);

    /* filled up to the last piece that fits, then one past */
    npieces = 0;
    const size_t unit = sizeof(max_align_t);
    for (size_t used = 0; used < BLOCK; used += unit)
        take(&a, unit);
    assert_int_equal(live_blocks(), 1);
    take(&a, 1);
    assert_int_equal(live_blocks(), 2);
    assert_tags_intact();
    cv_arena_free(&a);

    /* larger than a block, by one byte to a few units: each fits its block */
    npieces = 0;
    const size_t big[] = {BLOCK + 1,        BLOCK + unit - 1, BLOCK + unit,
                          BLOCK + unit + 1, BLOCK + 4 * unit, 3 * BLOCK + 5};
    for (size_t i = 0; i < sizeof big / sizeof *big; i++)
        take(&a, big[i]);
    take(&a, 3);
    assert_tags_intact();
    cv_arena_free(&a);
    assert_int_equal(live_blocks(), 0);
}

static void arena_strings(void **state)
{
    (void)state;
    cv_arena a = {0};
    npieces = 0;
    char *s = cv_arena_strndup(&a, "abcdef", 3);
    assert_string_equal(s, "abc");
    assert_piece(s, 4);
    char *e = cv_arena_strndup(&a, NULL, 0);
    assert_string_equal(e, "");
    char *p = cv_arena_printf(&a, "%s-%d-%05u", "x", -42, 7u);
    assert_string_equal(p, "x--42-00007");
    /* a string of exactly a block's size less its NUL, then one more byte */
    char *text = malloc(BLOCK + 1);
    assert_non_null(text);
    memset(text, 'q', BLOCK);
    text[BLOCK] = '\0';
    char *f1 = cv_arena_strndup(&a, text, BLOCK - 1);
    assert_int_equal(strlen(f1), BLOCK - 1);
    char *f2 = cv_arena_printf(&a, "%s", text);
    assert_int_equal(strlen(f2), BLOCK);
    assert_string_equal(s, "abc"); /* earlier strings untouched */
    assert_string_equal(p, "x--42-00007");
    free(text);
    /* sizes that cannot be: refused without allocating */
    size_t before = calls;
    assert_null(cv_arena_strndup(&a, "x", SIZE_MAX));
    assert_null(cv_arena_alloc(&a, SIZE_MAX / 2 + 1));
    assert_int_equal(calls, before);
    cv_arena_free(&a);
}

static void arena_out_of_memory_is_sticky(void **state)
{
    (void)state;
    cv_arena a = {0};
    fail_at = calls + 1;
    assert_null(cv_arena_alloc(&a, 8));
    assert_true(a.oom);
    fail_at = 0;
    assert_null(cv_arena_alloc(&a, 8)); /* stays failed */
    assert_null(cv_arena_strndup(&a, "abc", 3));
    cv_arena_free(&a);
    assert_false(a.oom);
    assert_non_null(cv_arena_alloc(&a, 8)); /* freed: usable again */
    cv_arena_free(&a);
}

/* ---- the buffer ---------------------------------------------------------- */

static void buf_appends_stay_terminated(void **state)
{
    (void)state;
    cv_buf b = {0};
    char want[5000];
    size_t n = 0;
    for (int i = 0; n < sizeof want - 64; i++) {
        switch (i % 4) {
        case 0:
            cv_buf_addc(&b, (char)('a' + i % 26));
            want[n++] = (char)('a' + i % 26);
            break;
        case 1:
            cv_buf_adds(&b, "xyz");
            memcpy(want + n, "xyz", 3);
            n += 3;
            break;
        case 2:
            cv_buf_printf(&b, "<%d>", i);
            n += (size_t)snprintf(want + n, sizeof want - n, "<%d>", i);
            break;
        default:
            cv_buf_add(&b, "", 0); /* nothing */
            break;
        }
        assert_int_equal(b.len, n);
        assert_true(b.cap > b.len);
        assert_int_equal(b.data[b.len], '\0');
        assert_memory_equal(b.data, want, n);
    }
    size_t len = 0;
    char *t = cv_buf_take(&b, &len);
    assert_int_equal(len, n);
    assert_memory_equal(t, want, n);
    assert_int_equal(t[n], '\0');
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    cv_free(t);
    /* a buffer that never got a byte still gives a C string */
    t = cv_buf_take(&b, &len);
    assert_non_null(t);
    assert_int_equal(len, 0);
    assert_string_equal(t, "");
    cv_free(t);
}

static void buf_little_endian_and_zeros(void **state)
{
    (void)state;
    cv_buf b = {0};
    cv_buf_u16le(&b, 0x0102);
    cv_buf_u32le(&b, 0x03040506u);
    cv_buf_u64le(&b, 0x0708090a0b0c0d0eull);
    cv_buf_zeros(&b, 3);
    cv_buf_addc(&b, 'z');
    static const unsigned char want[] = {2,    1,    6, 5, 4, 3, 0x0e, 0x0d, 0x0c,
                                         0x0b, 0x0a, 9, 8, 7, 0, 0,    0,    'z'};
    assert_int_equal(b.len, sizeof want);
    assert_memory_equal(b.data, want, sizeof want);
    cv_buf_free(&b);
    assert_null(b.data);
}

static void buf_out_of_memory_is_sticky(void **state)
{
    (void)state;
    cv_buf b = {0};
    cv_buf_adds(&b, "kept");
    fail_at = calls + 1;
    char big[200];
    memset(big, 'x', sizeof big);
    cv_buf_add(&b, big, sizeof big); /* must grow: fails */
    assert_true(b.oom);
    fail_at = 0;
    cv_buf_adds(&b, "later"); /* ignored */
    cv_buf_printf(&b, "%d", 5);
    assert_int_equal(b.len, 4);
    assert_null(cv_buf_take(&b, NULL)); /* and the buffer is freed */
    assert_null(b.data);
    assert_false(b.oom);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(arena_odd_sizes_over_several_blocks, setup, teardown),
        cmocka_unit_test_setup_teardown(arena_block_boundary, setup, teardown),
        cmocka_unit_test_setup_teardown(arena_strings, setup, teardown),
        cmocka_unit_test_setup_teardown(arena_out_of_memory_is_sticky, setup, teardown),
        cmocka_unit_test_setup_teardown(buf_appends_stay_terminated, setup, teardown),
        cmocka_unit_test_setup_teardown(buf_little_endian_and_zeros, setup, teardown),
        cmocka_unit_test_setup_teardown(buf_out_of_memory_is_sticky, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
