/* sha.c - SHA-256 via the EVP interface (uses SHA extensions when the CPU
 * has them). */
#include "base/sha.h"

#include <pthread.h>
#include <string.h>

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

static void *run_job(void *arg)
{
    cv_sha_job *j = arg;
    j->ok = cv_sha256(j->parts, j->nparts, j->out);
    return NULL;
}

void cv_sha_start(cv_sha_job *j, const cv_span *parts, size_t nparts, bool background)
{
    memset(j, 0, sizeof *j);
    j->nparts = nparts < 3 ? nparts : 3;
    memcpy(j->parts, parts, j->nparts * sizeof *parts);
    pthread_t t;
    _Static_assert(sizeof(pthread_t) <= sizeof j->thread, "pthread_t fits");
    if (background && pthread_create(&t, NULL, run_job, j) == 0) {
        j->threaded = true;
        memcpy(&j->thread, &t, sizeof t);
    }
}

bool cv_sha_finish(cv_sha_job *j, uint8_t out[32])
{
    if (j->threaded) {
        pthread_t t;
        memcpy(&t, &j->thread, sizeof t);
        pthread_join(t, NULL);
        j->threaded = false;
    } else {
        run_job(j);
    }
    memcpy(out, j->out, 32);
    return j->ok;
}

void cv_sha_base64(const uint8_t sha[32], char out[45])
{
    EVP_EncodeBlock((unsigned char *)out, sha, 32);
    out[44] = '\0';
}
