/* docs.h - the document modules: each checks one kind of XML document
 * (and the source also feeds the shared checks and pack). */
#ifndef CV_DOCS_H
#define CV_DOCS_H

#include "check/criteria.h"
#include "format/xmldoc.h"

/* Template types and fleet manifests: what is valid joins the world when
 * `join` is true (the -t/-f documents). */
void cv_types_doc(cv_xml_doc *doc, void *state);
void cv_fleet_doc(cv_xml_doc *doc, void *state);

typedef struct cv_types_state {
    bool join;
    cv_field *fields; /* the type being read */
    size_t nfields, fields_cap;
    cv_type cur;
    bool cur_ok;
    size_t cur_off;
    cv_idset field_names; /* name hash -> field index, current type */
    cv_idset local_keys;  /* type keys of a document that does not join */
} cv_types_state;

typedef struct cv_fleet_state {
    bool join;
    cv_supports *sup;
    size_t nsup, sup_cap;
    cv_sensor cur;
    bool cur_ok;
    size_t cur_off;
    cv_idset sup_keys;   /* type keys of the current sensor */
    cv_idset local_keys; /* versions of a document that does not join */
} cv_fleet_state;

void cv_types_state_free(cv_types_state *st);
void cv_fleet_state_free(cv_fleet_state *st);

/* ---- channel source --------------------------------------------------- */

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

void cv_source_doc(cv_xml_doc *doc, cv_source *src);
/* After a well-formed parse: the shared checks over the model. */
void cv_source_check(cv_ctx *cx, cv_source *src);
void cv_source_free(cv_source *src);
/* Bytes of the channel file that pack would produce; false when out of
 * memory. */
bool cv_source_packed_size(const cv_source *src, uint64_t *size);

#endif
