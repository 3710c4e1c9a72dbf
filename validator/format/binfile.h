/* binfile.h - the binary channel file: container (CV1xx) and the walk
 * over its instance records. */
#ifndef CV_BINFILE_H
#define CV_BINFILE_H

#include "base/reader.h"
#include "base/sha.h"
#include "diag/diag.h"
#include "model/content.h"

enum { CV_HEADER_SIZE = 80, CV_SECTION_ENTRY = 16, CV_CRITERION_SIZE = 20 };
enum { CV_SEC_STRINGS = 1, CV_SEC_TYPES = 2, CV_SEC_INSTANCES = 3 };
/* type_index is a u16: entries past this many cannot be referenced. */
enum { CV_MAX_TYPE_ENTRIES = 65536 };

typedef struct cv_bin {
    const uint8_t *data;
    size_t len;
    uint32_t channel_id;
    uint64_t content_version;
    uint64_t file_size; /* header field */
    bool digest_due; /* CV107 applies (cv_check_channel checks it) */
    uint32_t section_count;
    bool have[4];        /* by section kind */
    cv_reader sec[4];    /* window of each section kind */
    size_t sec_entry[4]; /* its table entry's offset */
    cv_tuse *types;      /* the first CV_MAX_TYPE_ENTRIES TYPES entries */
    size_t ntypes;
    uint32_t instance_count;
} cv_bin;

/* "STRINGS", "TYPES" or "INSTANCES" for a section kind; NULL for any other. */
const char *cv_section_name(uint32_t kind);

/* Receives each decoded instance and criterion of the walk. */
typedef struct cv_bin_visitor {
    void *user;
    void (*instance)(void *user, cv_inst *in);
    void (*criterion)(void *user, cv_inst *in, const cv_crit *c);
    void (*instance_end)(void *user, cv_inst *in);
} cv_bin_visitor;

/* Header, section table, sections and TYPES.  Returns false when the
 * file's structure cannot be followed any further. */
bool cv_bin_open(cv_ctx *cx, const uint8_t *data, size_t len, cv_bin *b);
/* Walk INSTANCES, reporting container findings and calling v. */
void cv_bin_walk(cv_ctx *cx, const cv_bin *b, const cv_bin_visitor *v);
void cv_bin_close(cv_bin *b);

/* CV107: when b->digest_due, start the file's SHA-256 (with bytes [48, 80)
 * taken as zero; on another core for a large file), then compare it with
 * the header's. */
void cv_bin_digest_start(const cv_bin *b, cv_sha_job *job);
void cv_bin_digest_check(cv_ctx *cx, const cv_bin *b, cv_sha_job *job);

/* SHA-256 of data with bytes [48, 80) taken as zero (len >= 80). */
bool cv_channel_digest(const uint8_t *data, size_t len, uint8_t out[32]);

/* Files from this size on are hashed on another core while checked. */
enum { CV_HASH_IN_BACKGROUND = 1 << 20 };

#endif
