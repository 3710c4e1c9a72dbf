/* harness_regex.c - the CV501 scanner (cv_regex_scan) against PCRE2.
 *
 * The input is a pattern.  The scanner must run on anything (a pattern
 * that does not compile, invalid UTF-8) and stay inside it.  On a pattern
 * that PCRE2 compiles (UTF mode, as chanval compiles), the scanner must
 * agree with what PCRE2's pattern info can tell: a backreference
 * (BACKREFMAX) or \C (HASBACKSLASHC) or a pattern-start limit is found by
 * the scan, and a construct the scan calls a backreference or \C is one
 * for PCRE2.  The session-level lookup (cache and compile) must agree
 * with PCRE2 on whether the pattern compiles, in both case modes. */
#include "common.h"
#include "regex.h"
#include "session.h"

#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 8192)
        return 0;
    size_t off = 0;
    char what[112] = "";
    bool found = cv_regex_scan(data, size, &off, what, sizeof what);
    if (found && off >= size)
        cvf_fail("the scan reports \"%s\" at offset %zu of a %zu-byte pattern", what, off, size);

    chanval_session *s = cvf_session(false, false);
    for (int caseless = 0; caseless < 2; caseless++) {
        int err = 0;
        PCRE2_SIZE erroff = 0;
        pcre2_code *code = pcre2_compile(data, size, PCRE2_UTF | (caseless ? PCRE2_CASELESS : 0),
                                         &err, &erroff, NULL);
        const cv_regex_info *ri = cv_regex_lookup(s, data, size, caseless != 0);
        if (!ri)
            cvf_fail("cv_regex_lookup ran out of memory");
        if (ri->compiled != (code != NULL))
            cvf_fail("chanval says the pattern %s, PCRE2 says it %s",
                     ri->compiled ? "compiles" : "does not compile",
                     code ? "compiles" : "does not compile");
        if (!code) {
            if ((size_t)ri->err_offset != (size_t)erroff || ri->err_code != err)
                cvf_fail("chanval reports PCRE2 error %d at %zu, PCRE2 says %d at %zu",
                         ri->err_code, ri->err_offset, err, (size_t)erroff);
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
            cvf_fail("PCRE2 sees a backreference (BACKREFMAX %u) that the scan misses", backrefs);
        if (hasc && !found)
            cvf_fail("PCRE2 sees \\C that the scan misses");
        if (limits && !found)
            cvf_fail("PCRE2 sees a pattern-start limit that the scan misses");
        if (found && strstr(what, "backreference") && backrefs == 0)
            cvf_fail("the scan reports \"%s\" at %zu, but PCRE2 sees no backreference", what,
                     off);
        if (found && strncmp(what, "\\C", 2) == 0 && !hasc)
            cvf_fail("the scan reports \\C at %zu, but PCRE2 sees none", off);
        if ((backrefs > 0 || hasc || limits || found) && !ri->unsupported)
            cvf_fail("a pattern with an unsupported construct is not flagged by the lookup");
    }
    chanval_session_free(s);
    return 0;
}
