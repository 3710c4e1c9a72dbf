/* source.c - the channel source document (formats-v1 section 1.3): read
 * into a compact model, then checked by the rules binary files share. */
#include "base/alloc.h"
#include "diag/rules.h"
#include "check/docs.h"
#include "format/pack.h"
#include "base/utf8.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

enum { E_ROOT, E_INSTANCE, E_CRITERION };
enum { C_ID, C_CONTENT };
enum { I_ID, I_TYPEID, I_TYPEVERSION, I_ACTION, I_SEVERITY };
enum { K_FIELD, K_INDEX, K_OP, K_VALUE, K_HEX, K_MIN, K_MAX, K_CASE, K_NEGATE };

static const cv_attr_spec channel_attrs[] = {
    {"id", CV_A_UINT, true, 0, UINT32_MAX},
    {"contentVersion", CV_A_UINT, true, 0, UINT64_MAX},
};

static const cv_attr_spec instance_attrs[] = {
    {"id", CV_A_UINT, true, 0, UINT32_MAX},          {"typeId", CV_A_UINT, true, 0, UINT32_MAX},
    {"typeVersion", CV_A_UINT, true, 0, UINT16_MAX}, {"action", CV_A_STRING, true, 0, 0},
    {"severity", CV_A_STRING, true, 0, 0},
};

static const cv_attr_spec criterion_attrs[] = {
    {"field", CV_A_NAME, false, 0, 0},   {"index", CV_A_UINT, false, 0, UINT64_MAX},
    {"op", CV_A_STRING, true, 0, 0},     {"value", CV_A_STRING, false, 0, 0},
    {"valueHex", CV_A_HEX, false, 0, 0}, {"min", CV_A_INT, false, 0, 0},
    {"max", CV_A_INT, false, 0, 0},      {"caseInsensitive", CV_A_BOOL, false, 0, 0},
    {"negate", CV_A_BOOL, false, 0, 0},
};

static const cv_elem_spec elems[] = {
    {"channel", -1, channel_attrs, 2},
    {"instance", E_ROOT, instance_attrs, 5},
    {"criterion", E_INSTANCE, criterion_attrs, 9},
};

static const char *const actions[] = {"log", "detect", "block"};
static const char *const severities[] = {"info", "low", "medium", "high", "critical"};

/* Index of v in words[], or -1. */
static int word(const cv_attr_val *v, const char *const *words, int n)
{
    for (int i = 0; i < n; i++)
        if (v->len == strlen(words[i]) && memcmp(v->raw, words[i], v->len) == 0)
            return i;
    return -1;
}

static cv_src_inst *cur_inst(cv_source *src) { return &src->insts[src->ninsts - 1]; }

/* The type use of (id, version), created on first sight. */
static size_t type_use(cv_source *src, cv_ctx *cx, uint32_t id, uint16_t version, size_t off)
{
    uint64_t prev = 0;
    int r = cv_idset_put(&src->type_index, cv_type_key(id, version) + 1, src->ntypes, &prev);
    if (r < 0) {
        cx->oom = true;
        return SIZE_MAX;
    }
    if (r == 0)
        return (size_t)prev;
    void *p = src->types;
    if (cv_grow(&p, &src->types_cap, src->ntypes + 1, sizeof *src->types) != 0) {
        cx->oom = true;
        return SIZE_MAX;
    }
    src->types = p;
    cv_tuse t = {.id = id, .version = version, .off = off};
    cv_tuse_resolve(cx->world, &t);
    t.field_count = t.def ? t.def->nfields : 0;
    src->types[src->ntypes] = t;
    return src->ntypes++;
}

static void start_instance(cv_source *src, cv_ctx *cx, size_t off, const cv_attr_val *v)
{
    void *p = src->insts;
    if (cv_grow(&p, &src->insts_cap, src->ninsts + 1, sizeof *src->insts) != 0) {
        cx->oom = true;
        return;
    }
    src->insts = p;
    cv_src_inst in = {.off = off, .first = src->ncrits, .tuse = SIZE_MAX};
    in.ok = v[I_ID].ok && v[I_TYPEID].ok && v[I_TYPEVERSION].ok;
    in.id = (uint32_t)v[I_ID].u;
    in.id_ok = v[I_ID].ok;
    int a = v[I_ACTION].present ? word(&v[I_ACTION], actions, 3) : 0;
    if (a < 0) {
        cv_report(cx, CV307_BAD_ACTION, cv_xml_attr_off(cx, off, "action"),
                  "action=%s is not log, detect or block",
                  cv_quote(cx, 0, v[I_ACTION].raw, v[I_ACTION].len, 40));
        in.ok = false;
    }
    in.action = (uint8_t)(a + 1);
    int sv = v[I_SEVERITY].present ? word(&v[I_SEVERITY], severities, 5) : 0;
    if (sv < 0) {
        cv_report(cx, CV307_BAD_ACTION, cv_xml_attr_off(cx, off, "severity"),
                  "severity=%s is not info, low, medium, high or critical",
                  cv_quote(cx, 0, v[I_SEVERITY].raw, v[I_SEVERITY].len, 40));
        in.ok = false;
    }
    in.severity = (uint8_t)(sv < 0 ? 0 : sv);
    if (!v[I_ACTION].present || !v[I_SEVERITY].present)
        in.ok = false;
    if (v[I_TYPEID].ok && v[I_TYPEVERSION].ok) {
        in.type_id = (uint32_t)v[I_TYPEID].u;
        in.type_version = (uint16_t)v[I_TYPEVERSION].u;
        in.tuse = type_use(src, cx, in.type_id, in.type_version, off);
        if (in.tuse != SIZE_MAX && !src->types[in.tuse].def) {
            chanval_diag *d = cv_report(cx, CV300_UNKNOWN_TEMPLATE_TYPE, off,
                                        "instance %" PRIu32 " names type %" PRIu32 " v%u, which "
                                        "the template types do not define",
                                        in.id, in.type_id, (unsigned)in.type_version);
            cv_set_instance(d, in.id, -1);
            cv_note(cx, d,
                    cx->world->ntypes ? "check typeId and typeVersion"
                                      : "no template types were given: pass them with -t");
        }
    } else {
        in.ok = false;
    }
    src->insts[src->ninsts++] = in;
    src->in_instance = true;
    if (src->used)
        memset(src->used, 0, src->used_bytes);
}

/* Decode valueHex into the arena; false (with a finding) when the bytes
 * are not UTF-8 without NUL. */
static bool decode_hex(cv_source *src, cv_ctx *cx, size_t off, const cv_attr_val *v,
                       const uint8_t **out, size_t *len)
{
    size_t n = v->len / 2;
    uint8_t *b = cv_arena_alloc(&src->arena, n ? n : 1);
    if (!b) {
        cx->oom = true;
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        uint8_t hi = v->raw[2 * i], lo = v->raw[2 * i + 1];
        hi = (uint8_t)(hi <= '9' ? hi - '0' : (hi | 0x20) - 'a' + 10);
        lo = (uint8_t)(lo <= '9' ? lo - '0' : (lo | 0x20) - 'a' + 10);
        b[i] = (uint8_t)(hi << 4 | lo);
    }
    size_t bad = 0;
    bool nul = false;
    if (!cv_utf8_check(b, n, &bad, &nul)) {
        cv_report(cx, CV202_XML_SCHEMA_VIOLATION, cv_xml_attr_off(cx, off, "valueHex"),
                  "valueHex decodes to a string that %s at byte %zu",
                  nul ? "contains NUL" : "is not valid UTF-8", bad);
        return false;
    }
    *out = b;
    *len = n;
    return true;
}

static bool mark_used(cv_source *src, cv_ctx *cx, uint32_t index)
{
    size_t need = (size_t)index / 8 + 1;
    if (need > src->used_bytes) {
        size_t nb = src->used_bytes ? src->used_bytes : 16;
        while (nb < need)
            nb *= 2;
        uint8_t *p = cv_realloc(src->used, nb);
        if (!p) {
            cx->oom = true;
            return false;
        }
        memset(p + src->used_bytes, 0, nb - src->used_bytes);
        src->used = p;
        src->used_bytes = nb;
    }
    bool was = src->used[index / 8] >> (index % 8) & 1;
    src->used[index / 8] = (uint8_t)(src->used[index / 8] | 1u << (index % 8));
    return !was;
}

/* Which field: exactly one of field= and index=, naming a field of the
 * type, not used before in the instance.  False when it does not. */
static bool criterion_field(cv_source *src, cv_ctx *cx, size_t off, const cv_attr_val *v,
                            cv_src_crit *c)
{
    cv_src_inst *in = cur_inst(src);
    const cv_tuse *t = in->tuse != SIZE_MAX ? &src->types[in->tuse] : NULL;
    const cv_type *def = t ? t->def : NULL;
    bool ok = true;
    if (v[K_FIELD].present == v[K_INDEX].present) {
        cv_report(cx, CV202_XML_SCHEMA_VIOLATION, off,
                  "a criterion needs exactly one of field= and index=");
        ok = false;
    } else if (v[K_FIELD].present) {
        ok = ok && v[K_FIELD].ok;
        if (v[K_FIELD].ok && def) {
            uint32_t i;
            for (i = 0; i < def->nfields; i++)
                if (strlen(def->fields[i].name) == v[K_FIELD].len &&
                    memcmp(def->fields[i].name, v[K_FIELD].raw, v[K_FIELD].len) == 0)
                    break;
            if (i == def->nfields) {
                chanval_diag *d =
                    cv_report(cx, CV230_SOURCE_UNKNOWN_FIELD, cv_xml_attr_off(cx, off, "field"),
                              "type %" PRIu32 " v%u (%s) has no field named %s", def->id,
                              (unsigned)def->version, def->name,
                              cv_quote(cx, 0, v[K_FIELD].raw, v[K_FIELD].len, 64));
                cv_set_instance(d, in->id, -1);
                ok = false;
            }
            c->index = i;
        } else {
            ok = false; /* unknown type: reported on the instance */
        }
    } else {
        ok = ok && v[K_INDEX].ok;
        if (v[K_INDEX].ok && def && v[K_INDEX].u >= def->nfields) {
            chanval_diag *d =
                cv_report(cx, CV230_SOURCE_UNKNOWN_FIELD, cv_xml_attr_off(cx, off, "index"),
                          "index %" PRIu64 " is out of range: type %" PRIu32
                          " v%u (%s) has %" PRIu32 " fields (0..%" PRIu32 ")",
                          v[K_INDEX].u, def->id, (unsigned)def->version, def->name, def->nfields,
                          def->nfields - 1);
            cv_set_instance(d, in->id, -1);
            ok = false;
        } else if (v[K_INDEX].ok && v[K_INDEX].u > UINT32_MAX) {
            ok = false;
        }
        c->index = (uint32_t)v[K_INDEX].u;
        if (!def)
            ok = false;
    }
    if (ok && !mark_used(src, cx, c->index)) {
        if (cx->oom)
            return false;
        chanval_diag *d =
            cv_report(cx, CV231_SOURCE_DUPLICATE_CRITERION,
                      cv_xml_attr_off(cx, off, v[K_FIELD].present ? "field" : "index"),
                      "instance %" PRIu32 " already has a criterion for field "
                      "\"%s\" (index %" PRIu32 ")",
                      in->id, def->fields[c->index].name, c->index);
        cv_set_instance(d, in->id, (int32_t)c->index);
        cv_note(cx, d, "combine the conditions into one criterion or use a second instance");
        ok = false;
    }
    return ok;
}

static const char *const ops[] = {"equals", "regex", "range"};

/* The string of equals or regex: exactly one of value= and valueHex=. */
static bool criterion_string(cv_source *src, cv_ctx *cx, size_t off, const cv_attr_val *v, int op,
                             cv_src_crit *c)
{
    bool ok = true;
    if (v[K_MIN].present || v[K_MAX].present) {
        cv_report(cx, CV202_XML_SCHEMA_VIOLATION,
                  cv_xml_attr_off(cx, off, v[K_MIN].present ? "min" : "max"),
                  "op=\"%s\" takes value=, not min/max", ops[op]);
        ok = false;
    }
    if (v[K_VALUE].present == v[K_HEX].present) {
        cv_report(cx, CV202_XML_SCHEMA_VIOLATION, off,
                  "op=\"%s\" needs exactly one of value= and valueHex=", ops[op]);
        ok = false;
    } else if (v[K_VALUE].present) {
        c->str = (const uint8_t *)cv_arena_strndup(&src->arena, (const char *)v[K_VALUE].raw,
                                                   v[K_VALUE].len);
        if (!c->str) {
            cx->oom = true;
            return false;
        }
        c->len = (uint32_t)v[K_VALUE].len;
    } else if (v[K_HEX].ok) {
        size_t n = 0;
        if (!decode_hex(src, cx, off, &v[K_HEX], &c->str, &n))
            ok = false;
        c->len = (uint32_t)n;
    } else {
        ok = false;
    }
    return ok;
}

/* The bounds of range: min= and max=, no value, not case-insensitive. */
static bool criterion_range(cv_ctx *cx, size_t off, const cv_attr_val *v, uint32_t inst_id,
                            cv_src_crit *c)
{
    bool ok = true;
    if (v[K_VALUE].present || v[K_HEX].present) {
        cv_report(cx, CV202_XML_SCHEMA_VIOLATION,
                  cv_xml_attr_off(cx, off, v[K_VALUE].present ? "value" : "valueHex"),
                  "op=\"range\" takes min= and max=, not a value");
        ok = false;
    }
    if (!v[K_MIN].present || !v[K_MAX].present) {
        cv_report(cx, CV202_XML_SCHEMA_VIOLATION, off,
                  "op=\"range\" is missing required attribute %s",
                  v[K_MIN].present ? "max" : "min");
        ok = false;
    }
    ok = ok && v[K_MIN].ok && v[K_MAX].ok;
    c->min = v[K_MIN].i;
    c->max = v[K_MAX].i;
    if (v[K_CASE].ok && v[K_CASE].b) {
        chanval_diag *d =
            cv_report(cx, CV304_BAD_FLAGS, cv_xml_attr_off(cx, off, "caseInsensitive"),
                      "a range criterion cannot be case-insensitive");
        cv_set_instance(d, inst_id, (int32_t)c->index);
        ok = false;
    }
    return ok;
}

static void start_criterion(cv_source *src, cv_ctx *cx, size_t off, const cv_attr_val *v)
{
    cv_src_inst *in = cur_inst(src);
    cv_src_crit c = {.off = off};
    in->ncrit_seen++;
    bool ok = criterion_field(src, cx, off, v, &c);
    if (cx->oom)
        return;
    /* operator and operands */
    int op = word(&v[K_OP], ops, 3);
    if (v[K_OP].present && op < 0) {
        cv_report(cx, CV302_UNKNOWN_OPERATOR, cv_xml_attr_off(cx, off, "op"),
                  "op=%s is not equals, regex or range",
                  cv_quote(cx, 0, v[K_OP].raw, v[K_OP].len, 40));
        ok = false;
    }
    if (op < 0)
        ok = false; /* missing (CV202, reported with the attributes) or unknown */
    c.op = (uint8_t)(op + 1);
    if (op == 0 || op == 1) {
        if (!criterion_string(src, cx, off, v, op, &c)) {
            if (cx->oom)
                return;
            ok = false;
        }
    } else if (op == 2 && !criterion_range(cx, off, v, in->id, &c)) {
        ok = false;
    }
    if ((v[K_CASE].present && !v[K_CASE].ok) || (v[K_NEGATE].present && !v[K_NEGATE].ok))
        ok = false;
    c.flags = (uint8_t)((v[K_CASE].ok && v[K_CASE].b ? 1 : 0) |
                        (v[K_NEGATE].ok && v[K_NEGATE].b ? 2 : 0));
    if (!ok) {
        in->ok = false;
        return;
    }
    void *p = src->crits;
    if (cv_grow(&p, &src->crits_cap, src->ncrits + 1, sizeof *src->crits) != 0) {
        cx->oom = true;
        return;
    }
    src->crits = p;
    src->crits[src->ncrits++] = c;
    in->ncrit = src->ncrits - in->first;
}

static bool on_start(void *user, cv_ctx *cx, int e, size_t off, const cv_attr_val *v)
{
    cv_source *src = user;
    if (e == E_ROOT) {
        src->root_off = off;
        src->channel_id = (uint32_t)v[C_ID].u;
        src->content_version = v[C_CONTENT].u;
    } else if (e == E_INSTANCE) {
        start_instance(src, cx, off, v);
    } else if (e == E_CRITERION && src->ninsts > 0) {
        start_criterion(src, cx, off, v);
    }
    return !cx->oom;
}

static int cmp_index(const void *a, const void *b)
{
    uint32_t x = ((const cv_src_crit *)a)->index, y = ((const cv_src_crit *)b)->index;
    return x < y ? -1 : x > y;
}

static void on_end(void *user, cv_ctx *cx, int e)
{
    (void)cx;
    cv_source *src = user;
    if (e != E_INSTANCE || src->ninsts == 0)
        return;
    src->in_instance = false;
    /* Criteria in field order, as the binary holds them (and as pack
     * lays out their strings). */
    cv_src_inst *in = cur_inst(src);
    if (in->ncrit > 1)
        qsort(src->crits + in->first, in->ncrit, sizeof *src->crits, cmp_index);
}

void cv_source_doc(cv_xml_doc *doc, cv_source *src)
{
    *doc = (cv_xml_doc){
        CHANVAL_KIND_SOURCE, elems, sizeof elems / sizeof *elems, src, on_start, on_end};
}

void cv_source_check(cv_ctx *cx, cv_source *src)
{
    const uint64_t *lim = cx->policy->limits;
    if (src->ninsts > lim[CHANVAL_LIMIT_INSTANCES])
        cv_report(cx, CV120_LIMIT_EXCEEDED, src->insts[lim[CHANVAL_LIMIT_INSTANCES]].off,
                  "%zu instances exceed the limit of %" PRIu64 " (--max-instances)", src->ninsts,
                  lim[CHANVAL_LIMIT_INSTANCES]);
    cv_checker ck;
    cv_check_begin(&ck, cx);
    for (size_t i = 0; i < src->ninsts && !cx->oom; i++) {
        const cv_src_inst *si = &src->insts[i];
        const cv_tuse *t = si->tuse != SIZE_MAX ? &src->types[si->tuse] : NULL;
        cv_inst in = {.id = si->id,
                      .off = si->off,
                      .type = t,
                      .field_count = t ? t->field_count : 0,
                      .action = si->action};
        if (si->id_ok)
            cv_check_instance(&ck, &in);
        for (size_t k = 0; k < si->ncrit; k++) {
            const cv_src_crit *sc = &src->crits[si->first + k];
            cv_crit c = {.index = sc->index,
                         .op = sc->op,
                         .flags = sc->flags,
                         .str = sc->str,
                         .str_len = sc->len,
                         .str_ok = sc->op != CV_OP_RANGE,
                         .min = sc->min,
                         .max = sc->max,
                         .off = sc->off};
            cv_check_criterion(&ck, &in, &c);
        }
        /* a criterion that was rejected above is still not a wildcard */
        if (si->ncrit_seen > si->ncrit)
            in.nonwild++;
        cv_check_instance_end(&ck, &in);
    }
    uint64_t size = 0;
    if (cv_source_packed_size(src, &size) != 0) {
        cx->oom = true;
    } else {
        /* the channel file it packs to, held to the same limit as any
         * other channel file (pack writes nothing that check rejects) */
        if (size > lim[CHANVAL_LIMIT_BYTES])
            cv_report(cx, CV120_LIMIT_EXCEEDED, src->root_off,
                      "the channel file packed from this source would have %" PRIu64
                      " bytes, over the limit of %" PRIu64 " (--max-bytes)",
                      size, lim[CHANVAL_LIMIT_BYTES]);
        cv_check_file(&ck, src->types, src->ntypes, size, src->ninsts, src->root_off,
                      src->root_off);
    }
    cv_check_end(&ck);
}
