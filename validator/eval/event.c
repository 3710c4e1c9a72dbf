/* event.c - events and test headers from JSON Lines, with jansson: it
 * rejects invalid UTF-8, NUL in strings and duplicate keys itself, bounds
 * its own nesting, says where a line is malformed, and allocates through
 * chanval's allocator (so allocation-failure tests reach it). */
#include "eval/event.h"
#include "base/alloc.h"
#include "base/escape.h"

#include <jansson.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static pthread_once_t once = PTHREAD_ONCE_INIT;
/* jansson does not always say that an allocation failed: some paths report
 * a syntax error instead, and its lexer asserts (aborts) when its string
 * buffer could not grow.  So the allocator says it, per thread, and a
 * failed allocation still gets memory from the system for jansson to finish
 * with: the parse is then reported as out of memory, never as a verdict on
 * the line, and never as a crash.  Each block says where it came from. */
static _Thread_local bool json_oom;
enum { TAG = 16, FROM_CV = 1, FROM_SYSTEM = 2 };

static void *json_alloc(size_t n)
{
    if (n > SIZE_MAX - TAG) {
        json_oom = true;
        return NULL;
    }
    unsigned char *p = cv_malloc(n + TAG);
    unsigned char from = FROM_CV;
    if (!p) {
        json_oom = true;
        p = malloc(n + TAG); /* chanval_set_allocator's own allocator refused */
        from = FROM_SYSTEM;
        if (!p)
            return NULL;
    }
    p[0] = from;
    return p + TAG;
}

static void json_release(void *q)
{
    if (!q)
        return;
    unsigned char *p = (unsigned char *)q - TAG;
    if (p[0] == FROM_SYSTEM)
        free(p);
    else
        cv_free(p);
}

static void use_our_allocator(void) { json_set_alloc_funcs(json_alloc, json_release); }

const char *cv_json_version(void)
{
    static char buf[40];
    if (!buf[0]) /* as linked, not as compiled */
        snprintf(buf, sizeof buf, "jansson %s", jansson_version_str());
    return buf;
}

static cv_event_status bad(char *why, size_t n, uint32_t *col, uint32_t at, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static cv_event_status bad(char *why, size_t n, uint32_t *col, uint32_t at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, n, fmt, ap);
    va_end(ap);
    *col = at;
    return CV_EVENT_BAD;
}

/* Parse the line as one JSON object. */
static cv_event_status load(const char *line, size_t len, json_t **out, char *why, size_t n,
                            uint32_t *col)
{
    pthread_once(&once, use_our_allocator);
    json_error_t e;
    json_oom = false;
    json_t *root = json_loadb(line, len, JSON_REJECT_DUPLICATES, &e);
    if (json_oom || (!root && json_error_code(&e) == json_error_out_of_memory)) {
        json_decref(root);
        return CV_EVENT_NOMEM;
    }
    if (!root) {
        return bad(why, n, col, e.column > 0 ? (uint32_t)e.column : 1, "not valid JSON: %s",
                   e.text);
    }
    if (!json_is_object(root)) {
        json_decref(root);
        return bad(why, n, col, 1, "a line must hold one JSON object");
    }
    *out = root;
    return CV_EVENT_OK;
}

static bool uint_in(json_t *v, uint64_t lo, uint64_t hi, uint64_t *out)
{
    if (!json_is_integer(v))
        return false;
    json_int_t i = json_integer_value(v);
    if (i < 0 || (uint64_t)i < lo || (uint64_t)i > hi)
        return false;
    *out = (uint64_t)i;
    return true;
}

static bool all_digits(const char *k)
{
    if (!*k)
        return false;
    for (; *k; k++)
        if (*k < '0' || *k > '9')
            return false;
    return true;
}

static bool supports(const cv_world *w, const cv_type *def, uint32_t sensor)
{
    size_t n = 0;
    const cv_supporter *sp = cv_world_supporters(w, def->id, def->version, &n);
    for (size_t i = 0; i < n; i++)
        if (sp[i].sensor == sensor)
            return true;
    return false;
}

/* "sensors": [versions] as world sensor indices; only sensors that
 * support `def` when it is given. */
static cv_event_status sensors(const cv_world *w, json_t *arr, const cv_type *def, uint32_t **out,
                               size_t *nout, char *why, size_t n, uint32_t *col)
{
    if (!json_is_array(arr) || json_array_size(arr) == 0)
        return bad(why, n, col, 1, "\"sensors\" must be a non-empty array of sensor versions");
    size_t cnt = json_array_size(arr);
    uint32_t *ix = cv_calloc(cnt, sizeof *ix);
    if (!ix)
        return CV_EVENT_NOMEM;
    for (size_t i = 0; i < cnt; i++) {
        const char *ver = json_string_value(json_array_get(arr, i));
        size_t s = cv_world_sensor(w, ver);
        cv_event_status st = CV_EVENT_OK;
        if (!ver)
            st = bad(why, n, col, 1, "\"sensors\" entry %zu is not a string", i);
        else if (s == SIZE_MAX)
            st = bad(why, n, col, 1, "sensor %.64s is not in the fleet", ver);
        else if (def && !supports(w, def, (uint32_t)s))
            st = bad(why, n, col, 1, "sensor %s does not support type %u v%u", ver,
                     (unsigned)def->id, (unsigned)def->version);
        for (size_t k = 0; st == CV_EVENT_OK && k < i; k++)
            if (ix[k] == s)
                st = bad(why, n, col, 1, "sensor %s is listed twice", ver);
        if (st != CV_EVENT_OK) {
            cv_free(ix);
            return st;
        }
        ix[i] = (uint32_t)s;
    }
    *out = ix;
    *nout = cnt;
    return CV_EVENT_OK;
}

static cv_event_status ids(json_t *arr, const char *what, uint32_t **out, size_t *nout, char *why,
                           size_t n, uint32_t *col)
{
    if (!json_is_array(arr))
        return bad(why, n, col, 1, "\"expect\".\"%s\" must be an array of instance ids", what);
    size_t cnt = json_array_size(arr);
    uint32_t *v = cv_calloc(cnt ? cnt : 1, sizeof *v);
    if (!v)
        return CV_EVENT_NOMEM;
    for (size_t i = 0; i < cnt; i++) {
        uint64_t id = 0;
        if (!uint_in(json_array_get(arr, i), 1, UINT32_MAX, &id)) {
            cv_free(v);
            return bad(why, n, col, 1, "\"expect\".\"%s\" entry %zu is not an instance id (1..%u)",
                       what, i, UINT32_MAX);
        }
        v[i] = (uint32_t)id;
    }
    *out = v;
    *nout = cnt;
    return CV_EVENT_OK;
}

static cv_event_status expect(cv_event *ev, json_t *obj, char *why, size_t n, uint32_t *col)
{
    if (!json_is_object(obj))
        return bad(why, n, col, 1, "\"expect\" must be an object with \"fire\" and \"quiet\"");
    const char *k;
    json_t *v;
    json_object_foreach(obj, k, v)
    {
        cv_event_status st;
        if (strcmp(k, "fire") == 0)
            st = ids(v, "fire", &ev->fire, &ev->nfire, why, n, col);
        else if (strcmp(k, "quiet") == 0)
            st = ids(v, "quiet", &ev->quiet, &ev->nquiet, why, n, col);
        else
            st = bad(why, n, col, 1, "\"expect\" has an unknown key \"%.64s\" (fire, quiet)", k);
        if (st != CV_EVENT_OK)
            return st;
    }
    for (size_t i = 0; i < ev->nfire; i++)
        for (size_t j = 0; j < ev->nquiet; j++)
            if (ev->fire[i] == ev->quiet[j])
                return bad(why, n, col, 1, "instance %u is expected both to fire and to stay quiet",
                           ev->fire[i]);
    ev->has_expect = true;
    return CV_EVENT_OK;
}

static cv_event_status value(const cv_field *f, uint32_t index, json_t *v, cv_value *out, char *why,
                             size_t n, uint32_t *col)
{
    if (f->kind == CV_FIELD_STRING) {
        if (!json_is_string(v))
            return bad(why, n, col, 1,
                       "field %u \"%s\" is a string field; the value is not a string", index,
                       f->name);
        size_t len = json_string_length(v);
        if (len > f->max_length)
            return bad(why, n, col, 1,
                       "field %u \"%s\": a %zu-byte string, longer than its maxLength %u: the "
                       "sensor never passes such a value",
                       index, f->name, len, f->max_length);
        *out = (cv_value){CV_FIELD_STRING, (const uint8_t *)json_string_value(v), (uint32_t)len, 0};
        return CV_EVENT_OK;
    }
    if (!json_is_integer(v))
        return bad(why, n, col, 1,
                   "field %u \"%s\" is an integer field; the value is not an integer", index,
                   f->name);
    json_int_t i = json_integer_value(v);
    if (i < f->min || i > f->max)
        return bad(why, n, col, 1,
                   "field %u \"%s\": %lld is outside its range [%lld, %lld]: the sensor never "
                   "passes such a value",
                   index, f->name, (long long)i, (long long)f->min, (long long)f->max);
    *out = (cv_value){CV_FIELD_INTEGER, NULL, 0, (int64_t)i};
    return CV_EVENT_OK;
}

static cv_event_status fields(cv_event *ev, json_t *obj, char *why, size_t n, uint32_t *col)
{
    const cv_type *def = ev->def;
    if (!json_is_object(obj))
        return bad(why, n, col, 1,
                   "\"fields\" must be an object of field names (or indices) and values");
    uint8_t *given = cv_calloc(def->nfields, 1);
    if (!given)
        return CV_EVENT_NOMEM;
    cv_event_status st = CV_EVENT_OK;
    const char *k;
    json_t *v;
    json_object_foreach(obj, k, v)
    {
        uint32_t idx = def->nfields;
        if (all_digits(k)) {
            unsigned long long x = strlen(k) <= 5 ? strtoull(k, NULL, 10) : UINT32_MAX;
            if (x < def->nfields)
                idx = (uint32_t)x;
            else
                st = bad(why, n, col, 1, "field index %.12s is past type %u v%u's %u fields", k,
                         (unsigned)def->id, (unsigned)def->version, def->nfields);
        } else {
            for (uint32_t i = 0; i < def->nfields && idx == def->nfields; i++)
                if (strcmp(def->fields[i].name, k) == 0)
                    idx = i;
            if (idx == def->nfields)
                st = bad(why, n, col, 1, "type %u v%u has no field \"%.64s\"", (unsigned)def->id,
                         (unsigned)def->version, k);
        }
        if (st == CV_EVENT_OK && given[idx])
            st = bad(why, n, col, 1, "field %u \"%s\" is given twice (by name and by index)", idx,
                     def->fields[idx].name);
        if (st == CV_EVENT_OK) {
            given[idx] = 1;
            st = value(&def->fields[idx], idx, v, &ev->vals[idx], why, n, col);
        }
        if (st != CV_EVENT_OK)
            break;
    }
    cv_free(given);
    return st;
}

static void defaults(cv_event *ev)
{
    for (uint32_t i = 0; i < ev->def->nfields; i++) {
        const cv_field *f = &ev->def->fields[i];
        if (f->kind == CV_FIELD_STRING)
            ev->vals[i] = (cv_value){CV_FIELD_STRING, (const uint8_t *)"", 0, 0};
        else
            ev->vals[i] =
                (cv_value){CV_FIELD_INTEGER, NULL, 0, f->min <= 0 && f->max >= 0 ? 0 : f->min};
    }
}

static cv_event_status event(const cv_world *w, json_t *root, bool allow_expect, cv_event *ev,
                             char *why, size_t n, uint32_t *col)
{
    uint64_t id = 0, ver = 0;
    if (!uint_in(json_object_get(root, "type"), 1, UINT32_MAX, &id))
        return bad(why, n, col, 1, "an event needs \"type\": the template type id (1..%u)",
                   UINT32_MAX);
    if (!uint_in(json_object_get(root, "version"), 1, UINT16_MAX, &ver))
        return bad(why, n, col, 1, "an event needs \"version\": the template type version (1..%u)",
                   UINT16_MAX);
    ev->type_id = (uint32_t)id;
    ev->type_version = (uint16_t)ver;
    ev->def = cv_world_type(w, ev->type_id, ev->type_version);
    if (!ev->def)
        return bad(why, n, col, 1, "type %u v%u is not defined in the template types", ev->type_id,
                   (unsigned)ev->type_version);
    size_t nsup = 0;
    cv_world_supporters(w, ev->type_id, ev->type_version, &nsup);
    if (nsup == 0)
        return bad(why, n, col, 1, "no sensor of the fleet supports type %u v%u", ev->type_id,
                   (unsigned)ev->type_version);
    ev->vals = cv_calloc(ev->def->nfields, sizeof *ev->vals);
    if (!ev->vals)
        return CV_EVENT_NOMEM;
    defaults(ev);
    const char *k;
    json_t *v;
    json_object_foreach(root, k, v)
    {
        cv_event_status st = CV_EVENT_OK;
        if (strcmp(k, "type") == 0 || strcmp(k, "version") == 0)
            continue;
        if (strcmp(k, "fields") == 0)
            st = fields(ev, v, why, n, col);
        else if (strcmp(k, "sensors") == 0)
            st = sensors(w, v, ev->def, &ev->sensors, &ev->nsensors, why, n, col);
        else if (allow_expect && strcmp(k, "expect") == 0)
            st = expect(ev, v, why, n, col);
        else if (allow_expect && strcmp(k, "name") == 0 && json_is_string(v))
            ev->name = json_string_value(v);
        else
            st = bad(why, n, col, 1,
                     "an event has no key \"%.64s\" (type, version, fields, sensors%s)", k,
                     allow_expect ? ", name, expect" : "");
        if (st != CV_EVENT_OK)
            return st;
    }
    return CV_EVENT_OK;
}

cv_event_status cv_event_parse(const cv_world *w, const char *line, size_t len, bool allow_expect,
                               cv_event *ev, char *why, size_t why_size, uint32_t *col)
{
    *ev = (cv_event){0};
    json_t *root = NULL;
    cv_event_status st = load(line, len, &root, why, why_size, col);
    if (st != CV_EVENT_OK)
        return st;
    ev->json = root;
    st = event(w, root, allow_expect, ev, why, why_size, col);
    if (st != CV_EVENT_OK)
        cv_event_free(ev);
    return st;
}

void cv_event_free(cv_event *ev)
{
    cv_free(ev->vals);
    cv_free(ev->sensors);
    cv_free(ev->fire);
    cv_free(ev->quiet);
    json_decref(ev->json);
    *ev = (cv_event){0};
}

cv_event_status cv_test_header_parse(const cv_world *w, const char *line, size_t len,
                                     const char **channel, uint32_t **sens, size_t *nsens,
                                     void **json, char *why, size_t why_size, uint32_t *col)
{
    json_t *root = NULL;
    *channel = NULL;
    *sens = NULL;
    *nsens = 0;
    cv_event_status st = load(line, len, &root, why, why_size, col);
    if (st != CV_EVENT_OK)
        return st;
    const char *k;
    json_t *v;
    json_object_foreach(root, k, v)
    {
        if (strcmp(k, "channel") == 0 && json_is_string(v) && json_string_length(v) > 0 &&
            strlen(json_string_value(v)) == json_string_length(v))
            *channel = json_string_value(v);
        else if (strcmp(k, "sensors") == 0)
            st = sensors(w, v, NULL, sens, nsens, why, why_size, col);
        else if (strcmp(k, "name") == 0 && json_is_string(v))
            continue;
        else
            st = bad(why, why_size, col, 1,
                     "the first line of a test names its content: {\"channel\": \"PATH\"}, with "
                     "\"sensors\" and \"name\" optional; \"%.64s\" is not one of them",
                     k);
        if (st != CV_EVENT_OK)
            break;
    }
    if (st == CV_EVENT_OK && !*channel)
        st = bad(why, why_size, col, 1,
                 "the first line of a test must name its content: {\"channel\": \"PATH\"}");
    if (st != CV_EVENT_OK) { /* nothing of the document outlives it */
        cv_free(*sens);
        *sens = NULL;
        *nsens = 0;
        *channel = NULL;
        json_decref(root);
        return st;
    }
    *json = root;
    return CV_EVENT_OK;
}

void cv_json_free(void *json) { json_decref(json); }

void *cv_json_parse(const char *text, size_t len, bool *oom, char *why, size_t why_size)
{
    pthread_once(&once, use_our_allocator);
    json_error_t e;
    json_oom = false;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &e);
    *oom = json_oom || (!root && json_error_code(&e) == json_error_out_of_memory);
    if (*oom) {
        json_decref(root);
        return NULL;
    }
    if (!root)
        snprintf(why, why_size, "%d:%d: %s", e.line, e.column, e.text);
    return root;
}
