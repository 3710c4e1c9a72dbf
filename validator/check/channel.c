/* channel.c - a binary channel file checked: its container decoded and
 * walked (format/binfile.c), each instance and criterion through the
 * shared checks, the digest on another core meanwhile. */
#include "check/channel.h"
#include "check/criteria.h"
#include "format/binfile.h"

static void on_instance(void *u, cv_inst *in) { cv_check_instance(u, in); }
static void on_criterion(void *u, cv_inst *in, const cv_crit *c) { cv_check_criterion(u, in, c); }
static void on_instance_end(void *u, cv_inst *in) { cv_check_instance_end(u, in); }

void cv_check_channel(cv_ctx *cx, const uint8_t *data, size_t len)
{
    cv_bin b;
    bool open = cv_bin_open(cx, data, len, &b);
    /* the digest of a large file is computed on another core meanwhile */
    cv_sha_job job;
    if (b.digest_due)
        cv_bin_digest_start(&b, &job);
    if (open) {
        cv_checker ck;
        cv_check_begin(&ck, cx);
        cv_bin_visitor v = {&ck, on_instance, on_criterion, on_instance_end};
        cv_bin_walk(cx, &b, &v);
        uint32_t count = 0;
        size_t count_off = b.have[CV_SEC_INSTANCES] ? b.sec[CV_SEC_INSTANCES].pos : 0;
        if (b.have[CV_SEC_INSTANCES])
            cv_peek_u32le(&b.sec[CV_SEC_INSTANCES], count_off, &count);
        cv_check_file(&ck, b.types, b.ntypes, len, count, 32, count_off);
        cv_check_end(&ck);
    }
    if (b.digest_due)
        cv_bin_digest_check(cx, &b, &job);
    cv_bin_close(&b);
}
