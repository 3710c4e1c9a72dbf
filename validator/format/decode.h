/* decode.h - a channel file decoded whole: its instances in file order,
 * each with its non-wildcard criteria, pointing into the file's bytes.
 * What chanval diff compares and what the interpreter (eval/) runs. */
#ifndef CV_DECODE_H
#define CV_DECODE_H

#include "format/binfile.h"

typedef struct cv_dcrit {
    uint32_t index;
    uint8_t op, flags;
    const uint8_t *str; /* EQUALS/REGEX: in the file; NULL when unreadable */
    uint32_t len;
    int64_t min, max; /* RANGE */
    size_t off;       /* the criterion's first byte */
} cv_dcrit;

typedef struct cv_dinst {
    uint32_t id;
    uint32_t type_id;
    uint16_t type_version;
    uint8_t action, severity;
    size_t off;
    const cv_type *def;  /* NULL when the world does not define the type */
    size_t first, ncrit; /* into cv_decoded.crits */
} cv_dinst;

typedef struct cv_decoded {
    cv_bin bin;
    bool open; /* the container could be followed */
    cv_dinst *insts;
    size_t ninsts, insts_cap;
    cv_dcrit *crits;
    size_t ncrits, crits_cap;
} cv_decoded;

/* Decode data[0..len) with cx's world.  What the walk finds is reported
 * to cx as usual: a caller that checked the file already mutes it, one
 * that needs to know whether the file loads counts cx->muted_errors.
 * Out of memory sets cx->oom. */
void cv_decode(cv_ctx *cx, const uint8_t *data, size_t len, cv_decoded *d);
void cv_decoded_free(cv_decoded *d);

#endif
