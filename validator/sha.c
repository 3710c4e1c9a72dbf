/* sha.c - SHA-256 via the EVP interface (uses SHA extensions when the CPU
 * has them). */
#include "sha.h"

#include <openssl/evp.h>

bool cv_sha256(const cv_span *parts, size_t nparts, uint8_t out[32])
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (!ctx)
        return false;
    bool ok = EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1;
    for (size_t i = 0; ok && i < nparts; i++)
        if (parts[i].n)
            ok = EVP_DigestUpdate(ctx, parts[i].p, parts[i].n) == 1;
    unsigned int len = 0;
    ok = ok && EVP_DigestFinal_ex(ctx, out, &len) == 1 && len == 32;
    EVP_MD_CTX_free(ctx);
    return ok;
}
