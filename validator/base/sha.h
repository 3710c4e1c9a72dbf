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

/* The 44 characters (and a NUL) of a SHA-256's base64 (a CSP hash source). */
void cv_sha_base64(const uint8_t sha[32], char out[45]);

/* A SHA-256 computed on another core while the caller goes on (or in
 * cv_sha_finish when no thread could be started, or when not worth one). */
typedef struct cv_sha_job {
    cv_span parts[3];
    size_t nparts;
    uint8_t out[32];
    bool ok;
    bool threaded;
    unsigned long thread; /* pthread_t, kept opaque here */
} cv_sha_job;

/* Start hashing parts (they must stay valid until cv_sha_finish). */
void cv_sha_start(cv_sha_job *j, const cv_span *parts, size_t nparts, bool background);
/* Wait for the result; false when libcrypto failed. */
bool cv_sha_finish(cv_sha_job *j, uint8_t out[32]);

#endif
