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

/* ---- channel source (model/content.h) ---------------------------------- */

void cv_source_doc(cv_xml_doc *doc, cv_source *src);
/* After a well-formed parse: the shared checks over the model. */
void cv_source_check(cv_ctx *cx, cv_source *src);

#endif
