/* harness_regex.c - the CV501 scanner (cv_regex_scan) against PCRE2.
 *
 * The input is a pattern.  The scanner must run on anything (a pattern
 * that does not compile, invalid UTF-8) and stay inside it.  On a pattern
 * that PCRE2 compiles (UTF mode, as chanval compiles), the scanner must
 * agree with what PCRE2's pattern info can tell: a backreference
 * (BACKREFMAX) or \C (HASBACKSLASHC) or a pattern-start limit is found by
 * the scan, and a construct the scan calls a backreference or \C is one
 * for PCRE2.  The regex cache's lookup (cache and compile) must agree
 * with PCRE2 on whether the pattern compiles, in both case modes. */
#include "common.h"
#include "regex/cache.h"

#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

/* Every block chanval (and PCRE2 on its behalf) allocates is followed by
 * the bytes "9)9)...": a read past the end of a block then sees the same
 * bytes on every run, so what such a read changes is reproducible (PCRE2
 * before 10.45 reads past an unterminated "(*LIMIT_DEPTH=1"). */
enum { HEAD = 16, TAIL = 16 };

static void *tail_malloc(size_t n)
{
    if (n > ((size_t)1 << 30))
        return NULL; /* an allocation this size is itself a finding */
    unsigned char *p = malloc(HEAD + n + TAIL);
    if (!p)
        return NULL;
    memcpy(p, &n, sizeof n);
    for (size_t i = 0; i < TAIL; i++)
        p[HEAD + n + i] = i % 2 ? ')' : '9';
    return p + HEAD;
}

static void tail_free(void *q)
{
    if (q)
        free((unsigned char *)q - HEAD);
}

static void *tail_realloc(void *q, size_t n)
{
    if (!q)
        return tail_malloc(n);
    size_t old;
    memcpy(&old, (unsigned char *)q - HEAD, sizeof old);
    void *r = tail_malloc(n);
    if (!r)
        return NULL;
    memcpy(r, q, old < n ? old : n);
    tail_free(q);
    return r;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    static const chanval_allocator a = {tail_malloc, tail_realloc, tail_free};
    cvf_ok(chanval_set_allocator(&a), "set allocator");
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 8192)
        return 0;
    size_t off = 0;
    char what[112] = "";
    bool found = cv_regex_scan(data, size, &off, what, sizeof what);
    if (found && off >= size)
        cvf_fail("the scan reports \"%s\" at offset %zu of a %zu-byte pattern", what, off, size);

    uint8_t *pattern = cvf_nul_copy(data, size); /* what PCRE2 compiles */
    cv_regex_cache *s = cv_regex_cache_new();
    if (!s) {
        free(pattern);
        return 0; /* out of memory before anything was checked */
    }
    for (int caseless = 0; caseless < 2; caseless++) {
        int err = 0;
        PCRE2_SIZE erroff = 0;
        /* as the sensor compiles it: the callouts count in the size */
        pcre2_code *code = pcre2_compile(
            pattern, size, PCRE2_UTF | PCRE2_AUTO_CALLOUT | (caseless ? PCRE2_CASELESS : 0), &err,
            &erroff, NULL);
        const cv_regex_info *ri = cv_regex_lookup(s, data, size, caseless != 0);
        if (!ri) {
            cvf_finding("pcre2-pattern-overread",
                        "chanval ran out of memory compiling a %zu-byte pattern", size);
            pcre2_code_free(code);
            continue;
        }
        if (ri->compiled != (code != NULL))
            cvf_finding(ri->compiled && !code ? "pcre2-pattern-overread" : "compile-disagrees",
                        "chanval says the pattern %s, PCRE2 on a terminated copy says it %s",
                        ri->compiled ? "compiles" : "does not compile",
                        code ? "compiles" : "does not compile");
        if (!code) {
            if (ri->err_code != err)
                cvf_fail("chanval reports PCRE2 error %d, PCRE2 says %d", ri->err_code, err);
            if ((size_t)ri->err_offset != (size_t)erroff)
                cvf_finding("pcre2-pattern-overread",
                            "chanval reports PCRE2 error %d at offset %zu of a %zu-byte "
                            "pattern, PCRE2 on a terminated copy says %zu",
                            err, ri->err_offset, size, (size_t)erroff);
            continue;
        }
        uint32_t backrefs = 0, hasc = 0, limit = 0;
        pcre2_pattern_info(code, PCRE2_INFO_BACKREFMAX, &backrefs);
        pcre2_pattern_info(code, PCRE2_INFO_HASBACKSLASHC, &hasc);
        bool limits = pcre2_pattern_info(code, PCRE2_INFO_MATCHLIMIT, &limit) == 0 ||
                      pcre2_pattern_info(code, PCRE2_INFO_DEPTHLIMIT, &limit) == 0 ||
                      pcre2_pattern_info(code, PCRE2_INFO_HEAPLIMIT, &limit) == 0;
        pcre2_code_free(code);
        if (backrefs > 0 && !found)
            cvf_finding("scan-misses-feature",
                        "PCRE2 sees a backreference (BACKREFMAX %u) that the scan misses",
                        backrefs);
        if (hasc && !found)
            cvf_finding("scan-misses-feature", "PCRE2 sees \\C that the scan misses");
        if (limits && !found)
            cvf_finding("scan-misses-feature",
                        "PCRE2 sees a pattern-start limit that the scan misses");
        if (found && strstr(what, "backreference") && backrefs == 0)
            cvf_finding("scan-false-feature",
                        "the scan reports \"%s\" at %zu, but PCRE2 sees no backreference", what,
                        off);
        if (found && strncmp(what, "\\C", 2) == 0 && !hasc)
            cvf_finding("scan-false-feature", "the scan reports \\C at %zu, but PCRE2 sees none",
                        off);
        if ((backrefs > 0 || hasc || limits || found) && !ri->unsupported)
            cvf_fail("a pattern with an unsupported construct is not flagged by the lookup");
    }
    cv_regex_cache_free(s);
    free(pattern);
    return 0;
}
