/* world.c - the oracle's own reading of the template types and the fleet,
 * with libxml2's tree API.  It accepts only what a valid world looks like
 * and does not share a line with chanval's loaders. */
#include "oracle.h"

#include <errno.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool attr_u64(xmlNode *n, const char *name, uint64_t max, uint64_t *out)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    if (!v)
        return false;
    char *end = NULL;
    errno = 0;
    unsigned long long x = strtoull((const char *)v, &end, 10);
    bool ok = errno == 0 && end != (char *)v && *end == '\0' && x <= max;
    xmlFree(v);
    *out = x;
    return ok;
}

static bool attr_i64(xmlNode *n, const char *name, int64_t *out)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    if (!v)
        return false;
    char *end = NULL;
    errno = 0;
    long long x = strtoll((const char *)v, &end, 10);
    bool ok = errno == 0 && end != (char *)v && *end == '\0';
    xmlFree(v);
    *out = x;
    return ok;
}

static bool is(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static size_t count_children(xmlNode *parent, const char *name)
{
    size_t k = 0;
    for (xmlNode *c = parent->children; c; c = c->next)
        k += is(c, name);
    return k;
}

static bool load_types(or_world *w, xmlNode *root)
{
    if (!is(root, "templateTypes"))
        return false;
    w->ntypes = count_children(root, "templateType");
    w->types = calloc(w->ntypes + 1, sizeof *w->types);
    if (!w->types)
        return false;
    size_t t = 0;
    for (xmlNode *tn = root->children; tn; tn = tn->next) {
        if (!is(tn, "templateType"))
            continue;
        or_type *ty = &w->types[t++];
        uint64_t id = 0, version = 0;
        if (!attr_u64(tn, "id", UINT32_MAX, &id) || !attr_u64(tn, "version", UINT16_MAX, &version))
            return false;
        ty->id = (uint32_t)id;
        ty->version = (uint16_t)version;
        ty->nfields = (uint32_t)count_children(tn, "field");
        ty->fields = calloc(ty->nfields + 1, sizeof *ty->fields);
        if (!ty->fields)
            return false;
        uint32_t f = 0;
        for (xmlNode *fn = tn->children; fn; fn = fn->next) {
            if (!is(fn, "field"))
                continue;
            or_field *fl = &ty->fields[f++];
            xmlChar *kind = xmlGetProp(fn, (const xmlChar *)"kind");
            bool string = kind && strcmp((const char *)kind, "string") == 0;
            bool integer = kind && strcmp((const char *)kind, "integer") == 0;
            xmlFree(kind);
            uint64_t ml = 0;
            if (string && attr_u64(fn, "maxLength", 65535, &ml)) {
                fl->kind = OR_STRING;
                fl->max_length = (uint32_t)ml;
            } else if (integer && attr_i64(fn, "min", &fl->min) && attr_i64(fn, "max", &fl->max)) {
                fl->kind = OR_INTEGER;
            } else {
                return false;
            }
        }
    }
    return true;
}

static bool load_fleet(or_world *w, xmlNode *root)
{
    if (!is(root, "fleet"))
        return false;
    w->nsensors = count_children(root, "sensor");
    w->sensors = calloc(w->nsensors + 1, sizeof *w->sensors);
    if (!w->sensors)
        return false;
    size_t s = 0;
    for (xmlNode *sn = root->children; sn; sn = sn->next) {
        if (!is(sn, "sensor"))
            continue;
        or_sensor *se = &w->sensors[s++];
        xmlChar *ver = xmlGetProp(sn, (const xmlChar *)"version");
        if (!ver)
            return false;
        snprintf(se->version, sizeof se->version, "%s", (const char *)ver);
        xmlFree(ver);
        uint64_t a = 0, b = 0, c = 0, d = 0;
        if (!attr_u64(sn, "maxChannelBytes", UINT32_MAX, &a) ||
            !attr_u64(sn, "maxInstances", UINT32_MAX, &b) ||
            !attr_u64(sn, "maxRegexLength", UINT32_MAX, &c) ||
            !attr_u64(sn, "regexMatchLimit", UINT32_MAX, &d))
            return false;
        se->max_channel_bytes = (uint32_t)a;
        se->max_instances = (uint32_t)b;
        se->max_regex_length = (uint32_t)c;
        se->regex_match_limit = (uint32_t)d;
        se->nsup = count_children(sn, "supports");
        se->sup = calloc(se->nsup + 1, sizeof *se->sup);
        if (!se->sup)
            return false;
        size_t k = 0;
        for (xmlNode *un = sn->children; un; un = un->next) {
            if (!is(un, "supports"))
                continue;
            uint64_t id = 0, version = 0, inputs = 0;
            if (!attr_u64(un, "typeId", UINT32_MAX, &id) ||
                !attr_u64(un, "typeVersion", UINT16_MAX, &version) ||
                !attr_u64(un, "inputs", UINT16_MAX, &inputs))
                return false;
            se->sup[k++] = (or_supports){(uint32_t)id, (uint16_t)version, (uint16_t)inputs};
        }
    }
    return true;
}

static bool load(or_world *w, const void *xml, size_t len, bool (*fn)(or_world *, xmlNode *))
{
    if (len > INT32_MAX)
        return false;
    xmlDoc *doc = xmlReadMemory(xml, (int)len, "world.xml", NULL, XML_PARSE_NONET | XML_PARSE_NOBLANKS);
    if (!doc)
        return false;
    xmlNode *root = xmlDocGetRootElement(doc);
    bool ok = root && fn(w, root);
    xmlFreeDoc(doc);
    return ok;
}

bool or_world_load(or_world *w, const void *types_xml, size_t types_len, const void *fleet_xml,
                   size_t fleet_len)
{
    *w = (or_world){0};
    if (load(w, types_xml, types_len, load_types) && load(w, fleet_xml, fleet_len, load_fleet))
        return true;
    or_world_free(w);
    return false;
}

void or_world_free(or_world *w)
{
    for (size_t i = 0; w->types && i < w->ntypes; i++)
        free(w->types[i].fields);
    for (size_t i = 0; w->sensors && i < w->nsensors; i++)
        free(w->sensors[i].sup);
    free(w->types);
    free(w->sensors);
    *w = (or_world){0};
}

const or_type *or_world_type(const or_world *w, uint32_t id, uint16_t version)
{
    for (size_t i = 0; i < w->ntypes; i++)
        if (w->types[i].id == id && w->types[i].version == version)
            return &w->types[i];
    return NULL;
}
