/* cache.h - regex criteria: compiled once per distinct (pattern, flags)
 * per session, with PCRE2 as the judge of validity (CV500), the parser of
 * redos.h for the constructs the interpreter does not support (CV501), and
 * the cost model for CV502/CV503, measured once per (pattern, flags,
 * maxLength, cap). */
#ifndef CV_REGEX_H
#define CV_REGEX_H

#include "regex/redos.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct cv_regex_cache cv_regex_cache;

typedef struct cv_regex_info {
    bool compiled;
    bool unsupported;
    /* PCRE2 compiles it but the parser does not follow it (unsupported
     * too, so its cost is never analysed; unsup_what holds the parser's
     * reason) */
    bool unanalysable;
    int err_code;
    size_t err_offset;   /* in the pattern, bytes */
    size_t unsup_offset; /* in the pattern, bytes */
    char err_msg[160];   /* PCRE2's message */
    char unsup_what[112];
} cv_regex_info;

/* A cache for one session (and one thread at a time): NULL when out of
 * memory. */
cv_regex_cache *cv_regex_cache_new(void);
/* NULL when out of memory. */
cv_regex_info *cv_regex_lookup(cv_regex_cache *c, const uint8_t *p, size_t n, bool caseless);
void cv_regex_cache_free(cv_regex_cache *c);
/* Keep verdicts in d between runs (NULL: not): a verdict measured before
 * for the same pattern, flags, field length, cap and budget is read back
 * instead of measured (one that does not read back whole is measured). */
struct cv_disk_cache;
void cv_regex_cache_set_disk(cv_regex_cache *c, struct cv_disk_cache *d);

/* The cost of the regex of ri (from cv_regex_lookup on the same cache)
 * on inputs of at most max_length bytes, each match counted up to cap steps
 * (formats-v1 section 1.2), lo the lowest budget it is held to (<= cap;
 * an input over it is a finding): class RX_LINEAR when nothing was found
 * or the pattern is not analysed (CV500, CV501).  A verdict not yet known
 * is queued and *queued set, and the returned pointer is filled in by
 * cv_regex_run_queue (it stays valid while the cache lives): there each
 * new regex is planned (its static analysis, up to a millisecond) and
 * measured (the plan's proposals and the generic attack, a fraction of a
 * millisecond to milliseconds), on several cores.  Each (pattern,
 * caseless, max_length, cap, lo) is measured once per cache.  NULL when
 * out of memory. */
const rx_verdict *cv_regex_cost_queue(cv_regex_cache *c, cv_regex_info *ri, uint32_t max_length,
                                      uint64_t cap, uint64_t lo, bool *queued);
/* Plans and measures everything queued, on up to `threads` threads (0: one per
 * online CPU, at most 8; never more than 64).  Verdicts do not depend on
 * `threads`.  0, or -1 when out of memory: the verdicts that failed are
 * dropped and measured again when next asked for. */
int cv_regex_run_queue(cv_regex_cache *c, unsigned threads);

/* The pattern of ri, as the cache holds it (valid while the cache lives). */
const uint8_t *cv_regex_pattern(cv_regex_info *ri, size_t *len);

/* Parse a pattern (that PCRE2 compiled) for CV501 constructs; returns true
 * and fills offset/what for the first one found. */
bool cv_regex_scan(const uint8_t *p, size_t n, size_t *offset, char *what, size_t what_size);

#endif
