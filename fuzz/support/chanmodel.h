/*
 * chanmodel.h - a channel file as a model (header, sections, types,
 * instances, criteria, strings), for structure-aware fuzzing: decode any
 * bytes as far as they go, mutate at the level of the format, encode with
 * the pack layout (or a perturbed one) and reseal the SHA-256.  Random
 * bytes never get past the digest and the section table; model mutations
 * reach the semantic (CV3xx) and fleet (CV4xx) rules.
 */
#ifndef CVF_CHANMODEL_H
#define CVF_CHANMODEL_H

#include "oracle.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct cm_crit {
    uint8_t op, flags;
    uint16_t reserved;
    uint8_t payload[16]; /* wildcard, range and unknown ops: written as is */
    uint8_t *str;        /* equals/regex: the string (owned) */
    uint32_t len;
    bool raw_ref; /* equals/regex whose reference is written from payload */
} cm_crit;

typedef struct cm_inst {
    uint32_t id;
    uint16_t type_index;
    uint8_t action, severity;
    uint16_t reserved;
    uint32_t record_size_delta; /* added to 16 + 20*field_count */
    cm_crit *crits;
    uint32_t ncrits; /* = field_count */
} cm_inst;

typedef struct cm_type {
    uint32_t id;
    uint16_t version, field_count;
} cm_type;

enum { CM_STRINGS = 0, CM_TYPES = 1, CM_INSTANCES = 2 };

typedef struct cm_model {
    uint16_t major, minor;
    uint32_t header_size, flags, channel_id, reserved;
    uint64_t content_version;
    cm_type *types;
    uint32_t ntypes;
    uint32_t types_count_delta; /* added to the TYPES count field */
    cm_inst *insts;
    uint32_t ninsts;
    uint32_t inst_count_delta;
    uint8_t *extra; /* unreferenced bytes at the end of STRINGS */
    uint32_t nextra;
    /* layout */
    uint8_t place[3];     /* sections in file order (CM_*) */
    uint8_t pad[3];       /* extra bytes before each placed section */
    uint8_t pad_byte;     /* their value */
    uint8_t entry[3];     /* table entries in this order */
    uint32_t entry_reserved;
    bool dedupe;          /* one copy of each distinct string */
    int extra_entry;      /* -1, or a kind written as a fourth entry */
    uint32_t extra_entry_off, extra_entry_size;
} cm_model;

/* The world the mutator aims at (field kinds, sizes); may be NULL. */
void cm_set_world(const or_world *w);

/* Decode as much as the bytes allow.  False when not even a header and a
 * section table can be read; *m is then a small valid default model.
 * Free with cm_free either way. */
bool cm_decode(const uint8_t *data, size_t size, cm_model *m);
void cm_default(cm_model *m);
void cm_free(cm_model *m);
/* Encode into out (capacity max); returns the size, or 0 when it does not
 * fit.  `seal` writes the SHA-256. */
size_t cm_encode(const cm_model *m, uint8_t *out, size_t max, bool seal);
/* Fix file_size and the digest of an encoded file in place. */
void cm_reseal(uint8_t *data, size_t size);

/* The custom mutator and crossover.  CHANVAL_FUZZ_MUTATOR=bytes in the
 * environment makes the mutator plain libFuzzer byte mutation. */
size_t cm_mutate(uint8_t *data, size_t size, size_t max, unsigned int seed);
size_t cm_crossover(const uint8_t *d1, size_t s1, const uint8_t *d2, size_t s2, uint8_t *out,
                    size_t max, unsigned int seed);

/* Same channel id, content version, instances, criteria and strings
 * (layout aside)?  On a difference, `why` says which. */
bool cm_same_content(const cm_model *a, const cm_model *b, char *why, size_t why_size);

#endif
