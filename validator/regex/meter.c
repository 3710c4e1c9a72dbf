/* meter.c - one step is one PCRE2 automatic callout (formats-v1 section
 * 1.2).  The pattern is compiled separately from the CV500 compile, with
 * PCRE2_UTF | PCRE2_AUTO_CALLOUT (and PCRE2_CASELESS when flagged), every
 * other optimisation left on; the match is interpreted (no JIT) and
 * unanchored; a counting callout sees every start position of one
 * pcre2_match call and abandons the match once the count passes the cap.
 * PCRE2's own match and depth limits are set high so that only the count
 * decides.  No match ever runs without it.  Also the inputs it counts: a
 * witness built to a length. */
#include "regex/redos.h"

#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

static int count_callout(pcre2_callout_block *b, void *data)
{
    (void)b;
    rx_meter *m = data;
    if (++m->count > m->cap)
        return PCRE2_ERROR_CALLOUT; /* abandon the whole match */
    return 0;
}

int rx_meter_open(rx_meter *m, const uint8_t *p, size_t n, bool caseless,
                  pcre2_general_context *gctx)
{
    *m = (rx_meter){0};
    pcre2_compile_context *cc = pcre2_compile_context_create(gctx);
    if (!cc)
        return -1;
    int err = 0;
    PCRE2_SIZE off = 0;
    uint32_t opts = PCRE2_UTF | PCRE2_AUTO_CALLOUT | (caseless ? PCRE2_CASELESS : 0);
    m->re = pcre2_compile(p, n, opts, &err, &off, cc);
    pcre2_compile_context_free(cc);
    if (!m->re)
        return err == PCRE2_ERROR_HEAP_FAILED ? -1 : -2;
    m->mctx = pcre2_match_context_create(gctx);
    m->md = pcre2_match_data_create(1, gctx);
    if (!m->mctx || !m->md) {
        rx_meter_close(m);
        return -1;
    }
    pcre2_set_match_limit(m->mctx, 1000000000u);
    pcre2_set_depth_limit(m->mctx, 1000000000u);
    /* the matcher's backtracking frames hold every capture: a deeply
     * nested pattern needs hundreds of MiB for one count.  Past this the
     * count is abandoned (PCRE2_ERROR_HEAPLIMIT), and rx_measure fails
     * closed */
    pcre2_set_heap_limit(m->mctx, RX_METER_HEAP_KIB);
    pcre2_set_callout(m->mctx, count_callout, m);
    return 0;
}

void rx_meter_close(rx_meter *m)
{
    pcre2_match_data_free(m->md);
    pcre2_match_context_free(m->mctx);
    pcre2_code_free(m->re);
    *m = (rx_meter){0};
}

int64_t rx_meter_run(rx_meter *m, const uint8_t *s, size_t len, uint64_t cap)
{
    m->count = 0;
    m->cap = cap;
    m->rc = pcre2_match(m->re, s, len, 0, 0, m->md, m->mctx);
    if (m->rc >= 0 || m->rc == PCRE2_ERROR_NOMATCH || m->rc == PCRE2_ERROR_CALLOUT ||
        m->rc == PCRE2_ERROR_PARTIAL)
        return (int64_t)m->count;
    return -1; /* out of memory, or a limit PCRE2 should not reach */
}

/* s[0..n) ends inside a UTF-8 character (the byte after the cut
 * continues it): back up to where that character starts, so that only
 * whole characters remain.  Only bytes below n are read. */
static size_t boundary(const uint8_t *s, size_t n)
{
    while (n > 0 && (s[n - 1] & 0xc0) == 0x80)
        n--;
    return n > 0 ? n - 1 : 0;
}

size_t rx_witness_build(const rx_witness *w, size_t len, uint8_t *out)
{
    size_t n = 0;
    if (w->nprefix + w->nsuffix <= len) {
        memcpy(out, w->prefix, w->nprefix);
        n = w->nprefix;
        if (w->npump > 0) {
            size_t k = (len - w->nprefix - w->nsuffix) / w->npump;
            for (size_t i = 0; i < k; i++) {
                memcpy(out + n, w->pump, w->npump);
                n += w->npump;
            }
        }
        memcpy(out + n, w->suffix, w->nsuffix);
        return n + w->nsuffix;
    }
    /* prefix and suffix alone are too long: truncate them */
    size_t a = w->nprefix < len ? w->nprefix : len;
    memcpy(out, w->prefix, a);
    n = a;
    size_t b = len - n < w->nsuffix ? len - n : w->nsuffix;
    memcpy(out + n, w->suffix, b);
    n += b;
    if (n < w->nprefix + w->nsuffix) {
        uint8_t *tmp = out; /* the byte after the cut decides */
        uint8_t next = n < w->nprefix ? (uint8_t)w->prefix[n] : (uint8_t)w->suffix[n - w->nprefix];
        if ((next & 0xc0) == 0x80)
            n = boundary(tmp, n);
    }
    return n;
}
