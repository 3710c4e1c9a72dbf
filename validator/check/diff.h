/* diff.h - the changes between two channel files, for the report. */
#ifndef CV_DIFF_H
#define CV_DIFF_H

#include "api/session.h"

typedef struct cv_change {
    char kind;          /* '+' added, '-' removed, '~' changed */
    uint32_t instance;
    int32_t criterion;  /* or -1 */
    const char *text;   /* "instance 7 added: type 7 v3, detect/high, 2 criteria" */
} cv_change;

struct cv_diff {
    const char *old_path, *new_path; /* the report entries' */
    uint64_t old_size, new_size;
    uint64_t old_instances, new_instances;
    uint32_t old_channel, new_channel;
    uint64_t old_version, new_version;
    cv_change *changes;
    size_t nchanges, changes_cap;
    cv_arena arena;
};

void cv_diff_free(cv_diff *d);
/* Is a checked file too broken to decode (container errors)? */
bool cv_diff_blocked(const chanval_file *f);

#endif
