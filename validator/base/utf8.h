/* utf8.h - UTF-8 as RFC 3629 defines it. */
#ifndef CV_UTF8_H
#define CV_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Length of the well-formed sequence at p (1-4), or 0 when ill-formed
 * (overlong, surrogate, above U+10FFFF, truncated, stray continuation). */
size_t cv_utf8_seq(const uint8_t *p, size_t avail, uint32_t *cp);

/* True when p[0..len) is well-formed UTF-8 without NUL; otherwise *bad is
 * the offset of the first offending byte and *nul says whether it is NUL. */
bool cv_utf8_check(const uint8_t *p, size_t len, size_t *bad, bool *nul);

#endif
