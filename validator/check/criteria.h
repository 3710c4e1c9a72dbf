/* criteria.h - the rules that binary files and sources share (CV3xx, CV4xx,
 * CV5xx and the string limits of CV120), fed one instance and criterion at
 * a time so that no criterion is ever stored. */
#ifndef CV_CHECK_H
#define CV_CHECK_H

#include "base/idset.h"
#include "diag/diag.h"
#include "model/content.h"

/* Instance ids seen so far: while they increase (as packed files have
 * them) a list, which no duplicate can hide in; from the first id out of
 * order on, a hash set. */
typedef struct cv_seen_id {
    uint32_t id;
    size_t off;
} cv_seen_id;

struct cv_deferred;

typedef struct cv_checker {
    cv_ctx *cx;
    bool hashed;
    uint32_t max_id;
    cv_seen_id *seen;
    size_t nseen, seen_cap;
    cv_idset ids;
    /* regex criteria whose cost is being measured (check/criteria.c, CV502) */
    struct cv_deferred *deferred;
    size_t ndeferred, deferred_cap;
} cv_checker;


void cv_check_begin(cv_checker *ck, cv_ctx *cx);
/* CV119 (id 0 or repeated). */
void cv_check_instance(cv_checker *ck, cv_inst *in);
/* CV120 string limits, CV303-CV306, CV400, CV403, CV5xx. */
void cv_check_criterion(cv_checker *ck, cv_inst *in, const cv_crit *c);
/* CV308. */
void cv_check_instance_end(cv_checker *ck, const cv_inst *in);
/* File-level fleet rules: CV401, CV402, CV404, CV409.  `size_off` and
 * `count_off` locate the file size and instance count. */
void cv_check_file(cv_checker *ck, const cv_tuse *types, size_t ntypes, uint64_t file_size,
                   uint64_t ninstances, size_t size_off, size_t count_off);
/* Reports what was deferred (the regex costs, measured together on
 * several cores) and frees the checker. */
void cv_check_end(cv_checker *ck);

/* "instance 17 criterion 20 (field "remote_pipe_flags")" */
void cv_crit_desc(char *out, size_t n, const cv_inst *in, const cv_crit *c);

#endif
