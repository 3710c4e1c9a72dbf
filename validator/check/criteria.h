/* check.h - the rules that binary files and sources share (CV3xx, CV4xx,
 * CV5xx and the string limits of CV120), fed one instance and criterion at
 * a time so that no criterion is ever stored. */
#ifndef CV_CHECK_H
#define CV_CHECK_H

#include "base/idset.h"
#include "api/session.h"

enum { CV_OP_WILDCARD = 0, CV_OP_EQUALS = 1, CV_OP_REGEX = 2, CV_OP_RANGE = 3 };
enum { CV_FLAG_CASELESS = 1, CV_FLAG_NEGATE = 2 };

/* A template type as one file uses it (a TYPES entry, or a type named by
 * a source's instances), with the fleet's view of it. */
typedef struct cv_tuse {
    uint32_t id;
    uint16_t version;
    uint32_t field_count;    /* as declared by the file */
    const cv_type *def;      /* NULL when the world does not define it */
    const cv_supporter *sup; /* sensors that support it */
    size_t nsup;
    uint32_t min_inputs;    /* over sup; UINT32_MAX when none */
    uint32_t min_regex_len; /* over sup; UINT32_MAX when none */
    size_t off;             /* TYPES entry, or the first instance */
    bool dup;               /* repeats an earlier entry (CV310) */
} cv_tuse;

typedef struct cv_inst {
    uint32_t id;
    size_t off;          /* record start, or <instance> element */
    const cv_tuse *type; /* NULL when it cannot be resolved */
    uint32_t field_count;
    uint8_t action;   /* 1..3 */
    uint8_t severity; /* 0..4 */
    uint32_t nonwild; /* counted by cv_check_criterion */
} cv_inst;

typedef struct cv_crit {
    uint32_t index;
    uint8_t op;         /* 0..3 */
    uint8_t flags;      /* CV_FLAG_* */
    const uint8_t *str; /* EQUALS/REGEX, when str_ok */
    uint32_t str_len;
    bool str_ok;      /* the string is resolved and valid */
    int64_t min, max; /* RANGE */
    size_t off;       /* criterion start, or <criterion> element */
} cv_crit;

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
    /* regex criteria whose cost is being measured (check.c, CV502) */
    struct cv_deferred *deferred;
    size_t ndeferred, deferred_cap;
} cv_checker;

/* Fill in the fleet's view of a type use. */
void cv_tuse_resolve(const cv_world *w, cv_tuse *t);

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
const char *cv_op_name(uint8_t op);

#endif
