/* regex.h - regex criteria: compiled once per distinct (pattern, flags)
 * per session, with PCRE2 as the judge of validity (CV500) and a scanner
 * for the constructs the interpreter does not support (CV501). */
#ifndef CV_REGEX_H
#define CV_REGEX_H

#include "session.h"

typedef struct cv_regex_info {
    bool compiled;
    int err_code;
    size_t err_offset; /* in the pattern, bytes */
    char err_msg[160]; /* PCRE2's message */
    bool unsupported;
    size_t unsup_offset; /* in the pattern, bytes */
    char unsup_what[112];
} cv_regex_info;

/* NULL when out of memory. */
const cv_regex_info *cv_regex_lookup(chanval_session *s, const uint8_t *p, size_t n, bool caseless);
void cv_regex_cache_free(cv_regex_cache *c);

/* Scan a pattern (that PCRE2 compiled) for CV501 constructs; returns true
 * and fills offset/what for the first one found. */
bool cv_regex_scan(const uint8_t *p, size_t n, size_t *offset, char *what, size_t what_size);

#endif
