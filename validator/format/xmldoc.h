/* xmldoc.h - hardened XML reading shared by the three documents.
 *
 * libxml2 parses (SAX2, no DTD, no network, no entities); this layer turns
 * its events into schema-checked elements: unknown elements and attributes,
 * value syntax, stray text, processing instructions, depth and the root are
 * handled here once, so each document module sees only valid structure. */
#ifndef CV_XMLDOC_H
#define CV_XMLDOC_H

#include "diag/diag.h"

enum cv_attr_type {
    CV_A_UINT,    /* 0|[1-9][0-9]*, within [min, max] */
    CV_A_INT,     /* 0|-?[1-9][0-9]*, signed 64-bit */
    CV_A_BOOL,    /* true|false */
    CV_A_NAME,    /* [A-Za-z][A-Za-z0-9_]{0,63} */
    CV_A_VERSION, /* [0-9]+(\.[0-9]+){1,3} */
    CV_A_STRING,  /* any text */
    CV_A_HEX      /* ([0-9A-Fa-f]{2})* */
};

typedef struct cv_attr_spec {
    const char *name;
    enum cv_attr_type type;
    bool required;
    uint64_t min, max; /* CV_A_UINT */
} cv_attr_spec;

typedef struct cv_attr_val {
    const uint8_t *raw; /* value bytes, valid during the start callback */
    size_t len;
    uint64_t u;
    int64_t i;
    bool present; /* the attribute was given */
    bool ok;      /* ... and its value has the right syntax */
    bool b;
} cv_attr_val;

typedef struct cv_elem_spec {
    const char *name;
    int parent; /* index of the parent element's spec; -1 for the root */
    const cv_attr_spec *attrs;
    size_t nattrs;
} cv_elem_spec;

enum { CV_XML_MAX_ATTRS = 16 };

typedef struct cv_xml_doc {
    chanval_kind kind;
    const cv_elem_spec *elems; /* elems[0] is the root */
    size_t nelems;
    void *user;
    /* A known element, attributes checked (vals[k] for elems[e].attrs[k]).
     * `off` is the byte offset of its '<'.  Return false to stop. */
    bool (*start)(void *user, cv_ctx *cx, int e, size_t off, const cv_attr_val *vals);
    void (*end)(void *user, cv_ctx *cx, int e);
} cv_xml_doc;

typedef struct cv_xml_result {
    int doc;         /* index of the document chosen by the root, or -1 */
    bool wellformed; /* parsed to the end without a fatal finding */
} cv_xml_result;

/* Parse data as one of docs[] (chosen by its root element).  Findings go
 * to cx; `role` names what was expected, for CV203 ("a template types
 * document").  Out of memory sets cx->oom (res is then not valid). */
void cv_xml_parse(cv_ctx *cx, const uint8_t *data, size_t len, const cv_xml_doc *const *docs,
                  size_t ndocs, const char *role, cv_xml_result *res);

/* Offset of attribute `name` in the start tag at `elem_off`, or elem_off
 * when it is not there. */
size_t cv_xml_attr_off(const cv_ctx *cx, size_t elem_off, const char *name);

#endif
