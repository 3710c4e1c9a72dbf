/* content.h - the content model: template types as a file uses them,
 * instances and criteria (decoded from a channel file or read from a
 * source, one at a time), and a channel source held whole. */
#ifndef CV_CONTENT_H
#define CV_CONTENT_H

#include "base/buf.h"
#include "base/idset.h"
#include "model/world.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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

/* Fill in the fleet's view of a type use. */
void cv_tuse_resolve(const cv_world *w, cv_tuse *t);
const char *cv_op_name(uint8_t op);

/* ---- channel source ------------------------------------------------------- */

typedef struct cv_src_crit {
    uint32_t index;
    uint8_t op;
    uint8_t flags;
    const uint8_t *str; /* in the source's arena */
    uint32_t len;
    int64_t min, max;
    size_t off; /* <criterion> element */
} cv_src_crit;

typedef struct cv_src_inst {
    uint32_t id;
    uint32_t type_id;
    uint16_t type_version;
    uint8_t action, severity;
    size_t off;
    size_t first, ncrit; /* its criteria in cv_source.crits */
    size_t tuse;         /* index into cv_source.types, or SIZE_MAX */
    size_t ncrit_seen;   /* <criterion> elements, valid or not */
    bool ok;             /* everything in it is valid: pack can use it */
    bool id_ok;
} cv_src_inst;

typedef struct cv_source {
    uint32_t channel_id;
    uint64_t content_version;
    size_t root_off;
    cv_src_inst *insts;
    size_t ninsts, insts_cap;
    cv_src_crit *crits;
    size_t ncrits, crits_cap;
    cv_tuse *types; /* distinct types named by instances */
    size_t ntypes, types_cap;
    cv_idset type_index; /* type key -> index into types */
    uint8_t *used;       /* field-index bitmap of the current instance */
    size_t used_bytes;
    bool in_instance, cur_ok;
    cv_arena arena;
} cv_source;

void cv_source_free(cv_source *src);

#endif
