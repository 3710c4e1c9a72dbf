/* diff.h - the changes between two channel files, for the report. */
#ifndef CV_DIFF_H
#define CV_DIFF_H

#include "diag/diag.h"

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

typedef struct cv_diff cv_diff;

/* Compare two channel files whose containers were checked and decode
 * (old_data, new_data: the bytes checked): d gets the changes, cx (the
 * new file's entry) the release checks CV600-CV604, `growth` the allowed
 * growth in percent.  Out of memory sets cx->oom. */
void cv_diff_compare(cv_ctx *cx, const uint8_t *old_data, size_t old_len, const uint8_t *new_data,
                     size_t new_len, uint64_t growth, cv_diff *d);
void cv_diff_free(cv_diff *d);

#endif
