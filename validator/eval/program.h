/* program.h - a channel file made ready to run (formats-v1 section 3): its
 * instances grouped by type, their regexes compiled as a sensor compiles
 * them, and for every sensor that supports a type, the first read that
 * would fault there (an input index past the sensor's array, an operator
 * on the wrong kind of input, a regex the sensor refuses or cannot
 * compile).  Those faults do not depend on the event: the endpoint reads
 * inputs[i] for every non-wildcard criterion of every instance of the
 * type, so the first event of the type that reaches the sensor faults. */
#ifndef CV_PROGRAM_H
#define CV_PROGRAM_H

#include "diag/diag.h"
#include "model/world.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CV_NO_REGEX UINT32_MAX

typedef struct cv_pcrit {
    uint32_t index; /* the input it reads */
    uint8_t op, flags;
    const uint8_t *str; /* EQUALS/REGEX, in the program's copy of the file */
    uint32_t len;
    int64_t min, max; /* RANGE */
    size_t off;       /* the criterion's first byte in the file */
    uint32_t rx;      /* REGEX: its compiled pattern; CV_NO_REGEX otherwise */
} cv_pcrit;

typedef struct cv_pinst {
    uint32_t id;
    uint8_t action, severity;
    size_t off;
    uint32_t type;         /* index into cv_prog.types */
    uint32_t first, ncrit; /* its non-wildcard criteria, in cv_prog.crits */
    bool regex;            /* has a REGEX criterion (it spends steps) */
} cv_pinst;

/* Why a sensor faults on a type's events. */
typedef enum cv_fault_kind {
    CV_FAULT_NONE = 0,
    CV_FAULT_INDEX,     /* reads inputs[i] past the sensor's array */
    CV_FAULT_KIND,      /* EQUALS/REGEX on an integer input, RANGE on a string */
    CV_FAULT_REGEX_LEN, /* longer than the sensor's maxRegexLength */
    CV_FAULT_REGEX_BAD, /* the sensor cannot compile it */
    CV_FAULT_REFUSED,   /* the file is over the sensor's maxChannelBytes/maxInstances */
    CV_FAULT_MATCH      /* the regex engine fails on this event (a recursion loop): the
                         * one fault that depends on the event */
} cv_fault_kind;

typedef struct cv_fault {
    cv_fault_kind kind;
    uint32_t inst; /* index into cv_prog.insts */
    uint32_t crit; /* index into cv_prog.crits */
} cv_fault;

/* One sensor's view of a type the program uses. */
typedef struct cv_pview {
    uint32_t sensor; /* index into the world's sensors */
    uint16_t inputs;
    cv_fault fault;
} cv_pview;

/* The equals index of a type: instances without a regex that have a
 * non-negated EQUALS criterion are found by that criterion's value (ASCII
 * case folded, so one key serves both cases); the others are always run. */
typedef struct cv_pkey {
    uint64_t hash; /* cv_prog_key(index, value) */
    uint32_t pos;  /* position among the type's instances */
} cv_pkey;

typedef struct cv_ptype {
    uint32_t id;
    uint16_t version;
    const cv_type *def; /* NULL: no sensor runs it */
    uint32_t *insts;    /* indices into cv_prog.insts, in file order */
    size_t ninsts;
    cv_pview *views; /* the sensors that support it */
    size_t nviews;
    cv_pkey *keys; /* sorted by hash */
    size_t nkeys;
    uint32_t *key_fields; /* the input indices the keys read, distinct */
    size_t nkey_fields;
    uint32_t *always; /* positions run on every event, ascending */
    size_t nalways;
} cv_ptype;

typedef struct cv_prx {
    const uint8_t *pat;
    uint32_t len;
    bool caseless;
    bool compiles; /* the sensor compiles it and supports what it uses */
} cv_prx;

typedef struct cv_prog {
    uint8_t *bytes; /* a copy of the file: strings point into it */
    size_t len;
    uint32_t channel_id;
    uint64_t content_version;
    cv_pinst *insts;
    size_t ninsts;
    cv_pcrit *crits;
    size_t ncrits;
    cv_ptype *types; /* sorted by (id, version) */
    size_t ntypes;
    cv_prx *rx;
    size_t nrx;
    bool *refused; /* by world sensor: the file is over its limits */
    const cv_world *world;
} cv_prog;

/* Load a channel file's bytes (copied) for the world of cx.  0; 1 when a
 * sensor could not load it (why[] says what, as chanval check would);
 * -1 out of memory. */
int cv_prog_load(cv_ctx *cx, const uint8_t *data, size_t len, cv_prog *p, char *why,
                 size_t why_size);
void cv_prog_free(cv_prog *p);
const cv_ptype *cv_prog_type(const cv_prog *p, uint32_t id, uint16_t version);
/* The sensor's view of t, or NULL when it does not support the type. */
const cv_pview *cv_prog_view(const cv_ptype *t, uint32_t sensor);
/* The key of an equals value at input `index`, ASCII case folded. */
uint64_t cv_prog_key(uint32_t index, const uint8_t *s, size_t len);

#endif
