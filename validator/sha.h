/* sha.h - SHA-256 through OpenSSL libcrypto. */
#ifndef CV_SHA_H
#define CV_SHA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct cv_span {
    const void *p;
    size_t n;
} cv_span;

/* SHA-256 of the concatenation of parts; false when libcrypto fails. */
bool cv_sha256(const cv_span *parts, size_t nparts, uint8_t out[32]);

#endif
