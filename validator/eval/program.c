/* program.c - a channel file made ready to run: decoded with binfile's
 * own walk (what it would report blocks loading, as it blocks a sensor),
 * grouped by type, regexes compiled as the sensor compiles them, and the
 * event-independent faults of every sensor found once. */
#include "eval/program.h"
#include "base/alloc.h"
#include "diag/rules.h"
#include "format/decode.h"
#include "model/content.h"
#include "regex/redos.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

uint64_t cv_prog_key(uint32_t index, const uint8_t *s, size_t len)
{
    uint64_t h = 1469598103934665603ull ^ index;
    h *= 1099511628211ull;
    for (size_t i = 0; i < len; i++) {
        uint8_t c = s[i];
        if (c >= 'A' && c <= 'Z')
            c = (uint8_t)(c + 32);
        h = (h ^ c) * 1099511628211ull;
    }
    return h;
}

static int cmp_type(const void *a, const void *b)
{
    const cv_ptype *x = a, *y = b;
    uint64_t kx = cv_type_key(x->id, x->version), ky = cv_type_key(y->id, y->version);
    return kx < ky ? -1 : kx > ky;
}

const cv_ptype *cv_prog_type(const cv_prog *p, uint32_t id, uint16_t version)
{
    cv_ptype key = {.id = id, .version = version};
    return p->ntypes ? bsearch(&key, p->types, p->ntypes, sizeof *p->types, cmp_type) : NULL;
}

const cv_pview *cv_prog_view(const cv_ptype *t, uint32_t sensor)
{
    for (size_t i = 0; i < t->nviews; i++)
        if (t->views[i].sensor == sensor)
            return &t->views[i];
    return NULL;
}

static int cmp_key(const void *a, const void *b)
{
    const cv_pkey *x = a, *y = b;
    if (x->hash != y->hash)
        return x->hash < y->hash ? -1 : 1;
    return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* ---- loading ---------------------------------------------------------- */

/* Why a sensor could not load the file, as chanval check would say it. */
static int refuse(char *why, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int refuse(char *why, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, n, fmt, ap);
    va_end(ap);
    return 1;
}

static int decode(cv_ctx *cx, cv_prog *p, cv_decoded *d, char *why, size_t why_size)
{
    bool mute = cx->mute;
    uint64_t blocking = cx->muted_blocking;
    cx->mute = true;
    cx->muted_blocking = 0;
    cv_decode(cx, p->bytes, p->len, d);
    uint64_t found = cx->muted_blocking;
    cx->mute = mute;
    cx->muted_blocking = blocking;
    if (cx->oom)
        return -1;
    if (found > 0)
        return refuse(why, why_size, "CV%03u %s%s", cx->muted_rule, cx->muted_msg,
                      found > 1 ? " (and more: chanval check lists them)" : "");
    if (!d->open)
        return refuse(why, why_size, "its structure cannot be followed");
    uint8_t md[32];
    if (!cv_channel_digest(p->bytes, p->len, md))
        return -1;
    if (memcmp(md, p->bytes + 48, 32) != 0)
        return refuse(why, why_size, "CV107 the SHA-256 in the header does not match the file");
    return 0;
}

static int add_types(cv_prog *p, const cv_decoded *d)
{
    p->types = cv_calloc(d->ninsts ? d->ninsts : 1, sizeof *p->types);
    p->insts = cv_calloc(d->ninsts ? d->ninsts : 1, sizeof *p->insts);
    p->crits = cv_calloc(d->ncrits ? d->ncrits : 1, sizeof *p->crits);
    p->rx = cv_calloc(d->ncrits ? d->ncrits : 1, sizeof *p->rx);
    if (!p->types || !p->insts || !p->crits || !p->rx)
        return -1;
    /* every instance's type, sorted, then each once */
    for (size_t i = 0; i < d->ninsts; i++)
        p->types[i] = (cv_ptype){
            .id = d->insts[i].type_id, .version = d->insts[i].type_version, .def = d->insts[i].def};
    if (d->ninsts > 1)
        qsort(p->types, d->ninsts, sizeof *p->types, cmp_type);
    for (size_t i = 0; i < d->ninsts; i++)
        if (p->ntypes == 0 || cmp_type(&p->types[p->ntypes - 1], &p->types[i]) != 0)
            p->types[p->ntypes++] = p->types[i];
    for (size_t i = 0; i < d->ninsts; i++) {
        const cv_dinst *in = &d->insts[i];
        cv_ptype key = {.id = in->type_id, .version = in->type_version};
        cv_ptype *t = bsearch(&key, p->types, p->ntypes, sizeof *p->types, cmp_type);
        if (!t) /* every instance's type was added above */
            return -1;
        cv_pinst *pi = &p->insts[p->ninsts++];
        *pi = (cv_pinst){in->id,
                         in->action,
                         in->severity,
                         in->off,
                         (uint32_t)(t - p->types),
                         (uint32_t)p->ncrits,
                         (uint32_t)in->ncrit,
                         false};
        t->ninsts++;
        for (size_t k = 0; k < in->ncrit; k++) {
            const cv_dcrit *c = &d->crits[in->first + k];
            cv_pcrit *pc = &p->crits[p->ncrits++];
            *pc = (cv_pcrit){c->index, c->op,  c->flags, c->str,     c->len,
                             c->min,   c->max, c->off,   CV_NO_REGEX};
            if (c->op == CV_OP_REGEX) {
                pc->rx = (uint32_t)p->nrx;
                p->rx[p->nrx++] =
                    (cv_prx){c->str, c->len, (c->flags & CV_FLAG_CASELESS) != 0, false};
                pi->regex = true;
            }
        }
    }
    for (size_t t = 0; t < p->ntypes; t++) {
        p->types[t].insts = cv_calloc(p->types[t].ninsts, sizeof *p->types[t].insts);
        if (!p->types[t].insts)
            return -1;
        p->types[t].ninsts = 0;
    }
    for (size_t i = 0; i < p->ninsts; i++) {
        cv_ptype *t = &p->types[p->insts[i].type];
        t->insts[t->ninsts++] = (uint32_t)i;
    }
    return 0;
}

/* Does a sensor take the pattern?  It compiles it with \\C refused (a
 * single code unit in UTF mode can split a character), and refuses what
 * would escape its cost model: backreferences, and limits the pattern sets
 * for itself ((*LIMIT_MATCH=...) and the like).  CV500 and CV501 are the
 * static rules for the same. */
static bool sensor_takes(const cv_prx *x, pcre2_general_context *gctx, bool *oom)
{
    pcre2_compile_context *cc = pcre2_compile_context_create(gctx);
    if (!cc) {
        *oom = true;
        return false;
    }
    int err = 0;
    PCRE2_SIZE off = 0;
    uint32_t opts = PCRE2_UTF | PCRE2_AUTO_CALLOUT | PCRE2_NEVER_BACKSLASH_C |
                    (x->caseless ? PCRE2_CASELESS : 0);
    pcre2_code *re = pcre2_compile(x->len ? x->pat : (PCRE2_SPTR) "", x->len, opts, &err, &off, cc);
    pcre2_compile_context_free(cc);
    if (!re) {
        *oom = err == PCRE2_ERROR_HEAP_FAILED;
        return false;
    }
    uint32_t backrefs = 0, limit = 0;
    pcre2_pattern_info(re, PCRE2_INFO_BACKREFMAX, &backrefs);
    bool ok = backrefs == 0 && pcre2_pattern_info(re, PCRE2_INFO_MATCHLIMIT, &limit) != 0 &&
              pcre2_pattern_info(re, PCRE2_INFO_DEPTHLIMIT, &limit) != 0 &&
              pcre2_pattern_info(re, PCRE2_INFO_HEAPLIMIT, &limit) != 0;
    pcre2_code_free(re);
    return ok;
}

static int compile_all(cv_prog *p)
{
    pcre2_general_context *gctx = cv_pcre2_context();
    if (!gctx)
        return -1;
    for (size_t i = 0; i < p->nrx; i++) {
        rx_meter m;
        int rc = rx_meter_open(&m, p->rx[i].pat, p->rx[i].len, p->rx[i].caseless, gctx);
        if (rc == -1) {
            pcre2_general_context_free(gctx);
            return -1;
        }
        p->rx[i].compiles = rc == 0;
        rx_meter_close(&m);
        bool oom = false;
        if (p->rx[i].compiles && !sensor_takes(&p->rx[i], gctx, &oom))
            p->rx[i].compiles = false;
        if (oom) {
            pcre2_general_context_free(gctx);
            return -1;
        }
    }
    pcre2_general_context_free(gctx);
    return 0;
}

/* The first read of the type's instances that faults on sensor s. */
static cv_fault first_fault(const cv_prog *p, const cv_ptype *t, const cv_sensor *s,
                            uint16_t inputs)
{
    for (size_t k = 0; k < t->ninsts; k++) {
        const cv_pinst *in = &p->insts[t->insts[k]];
        for (uint32_t j = 0; j < in->ncrit; j++) {
            const cv_pcrit *c = &p->crits[in->first + j];
            cv_fault f = {CV_FAULT_NONE, t->insts[k], in->first + j};
            uint8_t kind =
                c->index < t->def->nfields ? t->def->fields[c->index].kind : CV_FIELD_STRING;
            bool wants_string = c->op != CV_OP_RANGE;
            if (c->index >= inputs)
                f.kind = CV_FAULT_INDEX;
            else if (wants_string != (kind == CV_FIELD_STRING))
                f.kind = CV_FAULT_KIND;
            else if (c->op == CV_OP_REGEX && c->len > s->max_regex_length)
                f.kind = CV_FAULT_REGEX_LEN;
            else if (c->op == CV_OP_REGEX && !p->rx[c->rx].compiles)
                f.kind = CV_FAULT_REGEX_BAD;
            if (f.kind != CV_FAULT_NONE)
                return f;
        }
    }
    return (cv_fault){CV_FAULT_NONE, 0, 0};
}

static int add_views(cv_prog *p, const cv_world *w)
{
    for (size_t i = 0; i < p->ntypes; i++) {
        cv_ptype *t = &p->types[i];
        if (!t->def)
            continue;
        size_t n = 0;
        const cv_supporter *sup = cv_world_supporters(w, t->id, t->version, &n);
        t->views = cv_calloc(n ? n : 1, sizeof *t->views);
        if (!t->views)
            return -1;
        for (size_t k = 0; k < n; k++) {
            const cv_sensor *s = &w->sensors[sup[k].sensor];
            t->views[t->nviews++] =
                (cv_pview){sup[k].sensor, sup[k].inputs, first_fault(p, t, s, sup[k].inputs)};
        }
    }
    return 0;
}

/* The equals index of each type (see program.h). */
static int add_index(cv_prog *p)
{
    for (size_t i = 0; i < p->ntypes; i++) {
        cv_ptype *t = &p->types[i];
        t->keys = cv_calloc(t->ninsts ? t->ninsts : 1, sizeof *t->keys);
        t->always = cv_calloc(t->ninsts ? t->ninsts : 1, sizeof *t->always);
        t->key_fields = cv_calloc(t->ninsts ? t->ninsts : 1, sizeof *t->key_fields);
        if (!t->keys || !t->always || !t->key_fields)
            return -1;
        for (size_t k = 0; k < t->ninsts; k++) {
            const cv_pinst *in = &p->insts[t->insts[k]];
            const cv_pcrit *key = NULL;
            for (uint32_t j = 0; j < in->ncrit && !in->regex && !key; j++) {
                const cv_pcrit *c = &p->crits[in->first + j];
                if (c->op == CV_OP_EQUALS && !(c->flags & CV_FLAG_NEGATE))
                    key = c;
            }
            if (!key) {
                t->always[t->nalways++] = (uint32_t)k;
                continue;
            }
            t->keys[t->nkeys++] =
                (cv_pkey){cv_prog_key(key->index, key->str, key->len), (uint32_t)k};
            bool seen = false;
            for (size_t f = 0; f < t->nkey_fields && !seen; f++)
                seen = t->key_fields[f] == key->index;
            if (!seen)
                t->key_fields[t->nkey_fields++] = key->index;
        }
        if (t->nkeys > 1)
            qsort(t->keys, t->nkeys, sizeof *t->keys, cmp_key);
    }
    return 0;
}

int cv_prog_load(cv_ctx *cx, const uint8_t *data, size_t len, cv_prog *p, char *why,
                 size_t why_size)
{
    *p = (cv_prog){.world = cx->world, .len = len};
    why[0] = '\0';
    p->bytes = cv_malloc(len ? len : 1);
    if (!p->bytes)
        return -1;
    memcpy(p->bytes, data, len);
    cv_decoded d;
    int rc = decode(cx, p, &d, why, why_size);
    if (rc == 0) {
        p->channel_id = d.bin.channel_id;
        p->content_version = d.bin.content_version;
        rc = add_types(p, &d);
    }
    cv_decoded_free(&d);
    if (rc == 0)
        rc = compile_all(p);
    if (rc == 0) {
        const cv_world *w = cx->world;
        p->refused = cv_calloc(w->nsensors ? w->nsensors : 1, sizeof *p->refused);
        if (!p->refused)
            rc = -1;
        for (size_t s = 0; rc == 0 && s < w->nsensors; s++)
            p->refused[s] =
                len > w->sensors[s].max_channel_bytes || p->ninsts > w->sensors[s].max_instances;
    }
    if (rc == 0)
        rc = add_views(p, cx->world);
    if (rc == 0)
        rc = add_index(p);
    if (rc == -1)
        cx->oom = true;
    return rc;
}

void cv_prog_free(cv_prog *p)
{
    for (size_t i = 0; i < p->ntypes; i++) {
        cv_free(p->types[i].insts);
        cv_free(p->types[i].views);
        cv_free(p->types[i].keys);
        cv_free(p->types[i].key_fields);
        cv_free(p->types[i].always);
    }
    cv_free(p->types);
    cv_free(p->insts);
    cv_free(p->crits);
    cv_free(p->rx);
    cv_free(p->refused);
    cv_free(p->bytes);
    *p = (cv_prog){0};
}
