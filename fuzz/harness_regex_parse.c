/* harness_regex_parse.c - the regex parser (redos.h) against PCRE2, and the
 * cost analysis on what it parses.
 *
 * Input: one flag byte (bit 0: caseless), then the pattern.
 *
 *   - The parser runs on anything (invalid UTF-8, unbalanced groups) and
 *     every node it makes lies inside the pattern.
 *   - What PCRE2 compiles (UTF mode, as chanval compiles), the parser
 *     parses.
 *   - What the parser parses without a CV501 construct, PCRE2 compiles,
 *     except for errors the parser does not model (named in `unmodelled`).
 *   - A backreference or \C that PCRE2 reports is a CV501 construct for the
 *     parser.
 *   - On a supported pattern of up to 64 bytes, the analysis' NFA matches
 *     exactly where PCRE2 does on short inputs (support/nfasim.c), and the
 *     analysis and a short measurement run to completion within their
 *     budgets. */
#include "base/alloc.h"
#include "common.h"
#include "nfasim.h"
#include "regex/redos.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

/* PCRE2 compile errors that depend on what the parser does not check:
 * property and POSIX-class names, group names and numbers, sizes. */
static bool unmodelled(int err, bool ascii)
{
    switch (err) {
    case PCRE2_ERROR_MISSING_NAME_TERMINATOR:  /* a name stops at a non-letter, */
    case PCRE2_ERROR_INVALID_SUBPATTERN_NAME:  /* a name starts with a digit, */
    case PCRE2_ERROR_SUBPATTERN_NAME_EXPECTED: /* by Unicode's tables */
        return !ascii;
    case PCRE2_ERROR_SUBPATTERN_NAMES_MISMATCH:  /* (?|(?<a>x)|(?<b>y)) */
    case PCRE2_ERROR_UNKNOWN_UNICODE_PROPERTY:   /* \p{NotAProperty} */
    case PCRE2_ERROR_MALFORMED_UNICODE_PROPERTY: /* \p{...} spellings */
    case PCRE2_ERROR_DUPLICATE_SUBPATTERN_NAME:  /* (?<n>)(?<n>) without (?J) */
    case PCRE2_ERROR_BAD_SUBPATTERN_REFERENCE:   /* a reference to no group */
    case PCRE2_ERROR_PATTERN_TOO_LARGE:          /* the compiled size */
    case PCRE2_ERROR_PATTERN_TOO_COMPLICATED:    /* internal limits */
    case PCRE2_ERROR_PARENTHESES_STACK_CHECK:    /* stack depth */
    case PCRE2_ERROR_TOO_MANY_CAPTURES:          /* 65535 groups */
    case PCRE2_ERROR_TOO_MANY_NAMED_SUBPATTERNS: /* 10000 names */
    case PCRE2_ERROR_HEAP_FAILED:                /* out of memory */
    case PCRE2_ERROR_INTERNAL_UNKNOWN_NEWLINE:
        return true;
    default:
        return false;
    }
}

static bool ascii(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] >= 0x80)
            return false;
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 4096)
        return 0;
    bool caseless = (data[0] & 1) != 0;
    const uint8_t *p = data + 1;
    size_t n = size - 1;

    rx_ast a;
    int st = rx_parse(&a, p, n, caseless);
    if (st == RX_OK) {
        for (size_t i = 0; i < a.nnodes; i++)
            if (a.nodes[i].off > n || a.nodes[i].end > n || a.nodes[i].off > a.nodes[i].end)
                cvf_fail("node %zu at [%zu, %zu) outside a pattern of %zu bytes", i,
                         (size_t)a.nodes[i].off, (size_t)a.nodes[i].end, n);
        if (a.unsupported && a.unsup_off > n)
            cvf_fail("CV501 offset %zu outside a pattern of %zu bytes", (size_t)a.unsup_off, n);
    } else if (st == RX_ERROR && a.err_off > n) {
        cvf_fail("error offset %zu outside a pattern of %zu bytes", (size_t)a.err_off, n);
    }

    /* PCRE2 gets a NUL-terminated copy, as chanval gives it (an
     * unterminated "(*LIMIT_HEAP=2" compiled or not by the byte after the
     * buffer); the parser gets the buffer as it is */
    uint8_t *z = cvf_nul_copy(p, n);
    int err = 0;
    PCRE2_SIZE off = 0;
    pcre2_code *re =
        pcre2_compile(z, n, PCRE2_UTF | (caseless ? PCRE2_CASELESS : 0), &err, &off, NULL);
    bool compiled = re != NULL;
    if (re) {
        if (st != RX_OK)
            cvf_fail("PCRE2 compiles it, the parser says %d at offset %zu", st, (size_t)a.err_off);
        uint32_t backrefmax = 0, hasc = 0;
        pcre2_pattern_info(re, PCRE2_INFO_BACKREFMAX, &backrefmax);
        pcre2_pattern_info(re, PCRE2_INFO_HASBACKSLASHC, &hasc);
        if ((backrefmax > 0 || hasc) && !a.unsupported)
            cvf_fail("PCRE2 sees %s the parser did not", hasc ? "\\C" : "a backreference");
    } else if (st == RX_OK && !a.unsupported && !unmodelled(err, ascii(p, n))) {
        PCRE2_UCHAR msg[160];
        if (pcre2_get_error_message(err, msg, sizeof msg) < 0)
            msg[0] = 0;
        cvf_fail("the parser accepts what PCRE2 rejects: error %d at offset %zu: %s", err,
                 (size_t)off, (const char *)msg);
    }

    if (st == RX_OK && !a.unsupported && compiled && n <= 64) {
        /* the analysis' NFA matches where PCRE2 does */
        char in[16];
        const char *why = cvf_nfa_agrees(&a, z, n, re, in, sizeof in);
        if (why)
            cvf_fail("%s on \"%s\"", why, in);
        /* the analysis and a short measurement, within their budgets */
        rx_plan plan;
        if (rx_analyse(&a, &plan) == 0) {
            struct pcre2_real_general_context_8 *g = cv_pcre2_context();
            rx_verdict v;
            if (g && rx_measure(z, n, caseless, &plan, 48, 20000, 20000, g, &v) == 0) {
                if (v.cls != RX_LINEAR && (v.length > 48 || !v.w.pump))
                    cvf_fail("class %d with a witness of %zu bytes (field 48), pump %zu bytes",
                             (int)v.cls, (size_t)v.length, (size_t)v.w.npump);
                rx_verdict_free(&v);
            }
            pcre2_general_context_free(g);
            rx_plan_free(&plan);
        }
    }
    pcre2_code_free(re);
    rx_ast_free(&a);
    free(z);
    return 0;
}
