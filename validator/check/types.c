/* types.c - the template types document (formats-v1 section 1.1). */
#include "base/alloc.h"
#include "diag/rules.h"
#include "check/docs.h"

#include <inttypes.h>
#include <string.h>

enum { E_ROOT, E_TYPE, E_FIELD };
enum { T_ID, T_VERSION, T_NAME };
enum { F_NAME, F_KIND, F_MAXLEN, F_MIN, F_MAX };

static const cv_attr_spec type_attrs[] = {
    {"id", CV_A_UINT, true, 1, UINT32_MAX},
    {"version", CV_A_UINT, true, 1, UINT16_MAX},
    {"name", CV_A_NAME, true, 0, 0},
};

static const cv_attr_spec field_attrs[] = {
    {"name", CV_A_NAME, true, 0, 0},
    {"kind", CV_A_STRING, true, 0, 0},
    {"maxLength", CV_A_UINT, false, 0, UINT64_MAX},
    {"min", CV_A_INT, false, 0, 0},
    {"max", CV_A_INT, false, 0, 0},
};

static const cv_elem_spec elems[] = {
    {"templateTypes", -1, NULL, 0},
    {"templateType", E_ROOT, type_attrs, 3},
    {"field", E_TYPE, field_attrs, 5},
};

static bool is(const cv_attr_val *v, const char *word)
{
    return v->present && v->len == strlen(word) && memcmp(v->raw, word, v->len) == 0;
}

static const char *file_path(cv_ctx *cx, size_t file) { return cx->files[file]->path; }

static void start_type(cv_types_state *st, cv_ctx *cx, size_t off, const cv_attr_val *v)
{
    st->nfields = 0;
    cv_idset_free(&st->field_names);
    st->cur = (cv_type){0};
    st->cur_off = off;
    st->cur_ok = v[T_ID].ok && v[T_VERSION].ok && v[T_NAME].ok;
    if (!st->cur_ok)
        return;
    st->cur.id = (uint32_t)v[T_ID].u;
    st->cur.version = (uint16_t)v[T_VERSION].u;
    st->cur.name =
        cv_arena_strndup(cv_names_arena(cx, st->join), (const char *)v[T_NAME].raw, v[T_NAME].len);
    if (!st->cur.name) {
        cx->oom = true;
        st->cur_ok = false;
    }
    cv_linecol(cx, off, &st->cur.line, &st->cur.col);
    st->cur.file = cx->file_index;
}

static void start_field(cv_types_state *st, cv_ctx *cx, size_t off, const cv_attr_val *v)
{
    cv_field f = {0};
    bool ok = v[F_NAME].ok;
    if (v[F_NAME].ok) {
        uint64_t prev = 0;
        int r = cv_idset_put(&st->field_names, cv_hash_bytes(v[F_NAME].raw, v[F_NAME].len),
                             st->nfields, &prev);
        if (r < 0) {
            cx->oom = true;
            return;
        }
        const char *other = r == 0 ? st->fields[prev].name : NULL;
        if (other && strlen(other) == v[F_NAME].len &&
            memcmp(other, v[F_NAME].raw, v[F_NAME].len) == 0) {
            chanval_diag *d = cv_report(
                cx, CV211_DUPLICATE_FIELD_NAME, cv_xml_attr_off(cx, off, "name"),
                "field name \"%s\" is already used by field %" PRIu64 " of this template type",
                other, prev);
            cv_note(cx, d, "field names must be unique within a type");
        }
    }
    if (is(&v[F_KIND], "string")) {
        f.kind = CV_FIELD_STRING;
        if (v[F_MIN].present || v[F_MAX].present)
            cv_report(cx, CV202_XML_SCHEMA_VIOLATION,
                      cv_xml_attr_off(cx, off, v[F_MIN].present ? "min" : "max"),
                      "a string field takes maxLength, not min/max");
        if (!v[F_MAXLEN].present) {
            cv_report(cx, CV202_XML_SCHEMA_VIOLATION, off,
                      "<field kind=\"string\"> is missing required attribute maxLength");
        } else if (v[F_MAXLEN].ok) {
            if (v[F_MAXLEN].u < 1 || v[F_MAXLEN].u > 65535) {
                cv_report(cx, CV212_BAD_FIELD_BOUNDS, cv_xml_attr_off(cx, off, "maxLength"),
                          "maxLength %" PRIu64 " is outside 1..65535", v[F_MAXLEN].u);
                ok = false;
            } else {
                f.max_length = (uint32_t)v[F_MAXLEN].u;
            }
        }
        ok = ok && v[F_MAXLEN].ok;
    } else if (is(&v[F_KIND], "integer")) {
        f.kind = CV_FIELD_INTEGER;
        if (v[F_MAXLEN].present)
            cv_report(cx, CV202_XML_SCHEMA_VIOLATION, cv_xml_attr_off(cx, off, "maxLength"),
                      "an integer field takes min and max, not maxLength");
        if (!v[F_MIN].present)
            cv_report(cx, CV202_XML_SCHEMA_VIOLATION, off,
                      "<field kind=\"integer\"> is missing required attribute min");
        if (!v[F_MAX].present)
            cv_report(cx, CV202_XML_SCHEMA_VIOLATION, off,
                      "<field kind=\"integer\"> is missing required attribute max");
        if (v[F_MIN].ok && v[F_MAX].ok) {
            f.min = v[F_MIN].i;
            f.max = v[F_MAX].i;
            if (f.min > f.max) {
                cv_report(cx, CV212_BAD_FIELD_BOUNDS, off,
                          "min %" PRId64 " is greater than max %" PRId64, f.min, f.max);
                ok = false;
            }
        } else {
            ok = false;
        }
    } else if (v[F_KIND].present) {
        cv_report(cx, CV202_XML_SCHEMA_VIOLATION, cv_xml_attr_off(cx, off, "kind"),
                  "kind=%s on <field> is not string or integer",
                  cv_quote(cx, 0, v[F_KIND].raw, v[F_KIND].len, 40));
        ok = false;
    }
    (void)ok; /* a bad field keeps its index: later fields stay in place */
    f.name = v[F_NAME].ok ? cv_arena_strndup(cv_names_arena(cx, st->join),
                                             (const char *)v[F_NAME].raw, v[F_NAME].len)
                          : "?";
    if (!f.name) {
        cx->oom = true;
        return;
    }
    cv_linecol(cx, off, &f.line, &f.col);
    void *p = st->fields;
    if (cv_grow(&p, &st->fields_cap, st->nfields + 1, sizeof *st->fields) != 0) {
        cx->oom = true;
        return;
    }
    st->fields = p;
    st->fields[st->nfields++] = f;
}

static void end_type(cv_types_state *st, cv_ctx *cx)
{
    cv_world *w = cx->world;
    uint64_t max_fields = cx->policy->limits[CHANVAL_LIMIT_FIELDS];
    if (st->nfields == 0 || st->nfields > max_fields) {
        chanval_diag *d = cv_report(cx, CV213_FIELD_COUNT_OUT_OF_RANGE, st->cur_off,
                                    "template type has %zu fields; a type has 1..%" PRIu64,
                                    st->nfields, max_fields);
        if (st->nfields > 0)
            cv_note(cx, d, "the limit is set by --max-fields");
    }
    if (!st->cur_ok)
        return;
    uint64_t key = cv_type_key(st->cur.id, st->cur.version) + 1;
    uint64_t prev = 0;
    /* A document that does not join the world is checked on its own. */
    int r = st->join ? cv_idset_put(&w->type_keys, key, w->ntypes, &prev)
                     : cv_idset_put(&st->local_keys, key, st->cur_off, &prev);
    if (r < 0) {
        cx->oom = true;
        return;
    }
    if (r == 0) {
        chanval_diag *d;
        if (st->join) {
            const cv_type *first = &w->types[prev];
            d = cv_report(cx, CV210_DUPLICATE_TEMPLATE_TYPE, st->cur_off,
                          "template type %" PRIu32 " v%u is already defined at %s:%" PRIu32
                          ":%" PRIu32,
                          st->cur.id, (unsigned)st->cur.version, file_path(cx, first->file),
                          first->line, first->col);
        } else {
            uint32_t line, col;
            cv_linecol(cx, (size_t)prev, &line, &col);
            d = cv_report(cx, CV210_DUPLICATE_TEMPLATE_TYPE, st->cur_off,
                          "template type %" PRIu32 " v%u is already defined at line %" PRIu32
                          ", column %" PRIu32,
                          st->cur.id, (unsigned)st->cur.version, line, col);
        }
        cv_note(cx, d, "define each (id, version) once; a changed type takes a new version");
        return;
    }
    if (!st->join)
        return;
    if (cv_world_add_type(w, &st->cur, st->fields, st->nfields) != 0)
        cx->oom = true;
}

static bool on_start(void *user, cv_ctx *cx, int e, size_t off, const cv_attr_val *v)
{
    cv_types_state *st = user;
    if (e == E_TYPE)
        start_type(st, cx, off, v);
    else if (e == E_FIELD)
        start_field(st, cx, off, v);
    return !cx->oom;
}

static void on_end(void *user, cv_ctx *cx, int e)
{
    if (e == E_TYPE)
        end_type(user, cx);
}

void cv_types_doc(cv_xml_doc *doc, void *state)
{
    *doc = (cv_xml_doc){CHANVAL_KIND_TYPES, elems, sizeof elems / sizeof *elems, state,
                        on_start,           on_end};
}

void cv_types_state_free(cv_types_state *st)
{
    cv_free(st->fields);
    cv_idset_free(&st->field_names);
    cv_idset_free(&st->local_keys);
    *st = (cv_types_state){0};
}
