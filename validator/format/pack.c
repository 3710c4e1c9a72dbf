/* pack.c - write a channel file: header, table, TYPES, INSTANCES, STRINGS.
 * Types are sorted by (id, version); strings are stored once each, in
 * order of first use; the empty string takes no bytes. */
#include "format/pack.h"
#include "base/alloc.h"
#include "format/binfile.h"
#include "base/sha.h"

#include <stdlib.h>
#include <string.h>

typedef struct plan {
    size_t *order; /* TYPES entries: indices into src->types */
    size_t norder;
    uint32_t *slot;    /* src->types index -> TYPES index (UINT32_MAX: none) */
    uint32_t *str_off; /* per criterion */
    cv_buf pool;
    uint64_t instances_size;
} plan;

static void put_le(uint8_t *w, uint64_t v, int n)
{
    for (int i = 0; i < n; i++)
        w[i] = (uint8_t)(v >> (8 * i));
}

/* A type to sort: its (id, version) key beside its index, so that the
 * comparison needs no context (qsort has none, and a global would race
 * when several threads pack at once). */
typedef struct type_key {
    uint64_t key;
    size_t index;
} type_key;

static int cmp_types(const void *a, const void *b)
{
    const type_key *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

static bool packable(const cv_source *src, const cv_src_inst *in)
{
    return in->tuse != SIZE_MAX && src->types[in->tuse].def;
}

static void plan_free(plan *p)
{
    cv_free(p->order);
    cv_free(p->slot);
    cv_free(p->str_off);
    cv_buf_free(&p->pool);
}

static bool make_plan(const cv_source *src, plan *p)
{
    *p = (plan){0};
    p->order = cv_calloc(src->ntypes + 1, sizeof *p->order);
    p->slot = cv_calloc(src->ntypes + 1, sizeof *p->slot);
    p->str_off = cv_calloc(src->ncrits + 1, sizeof *p->str_off);
    if (!p->order || !p->slot || !p->str_off)
        return false;
    type_key *keys = cv_calloc(src->ntypes + 1, sizeof *keys);
    if (!keys)
        return false;
    for (size_t i = 0; i < src->ntypes; i++) {
        const cv_tuse *t = &src->types[i];
        p->slot[i] = UINT32_MAX;
        if (t->def)
            keys[p->norder++] = (type_key){cv_type_key(t->id, t->version), i};
    }
    qsort(keys, p->norder, sizeof *keys, cmp_types);
    for (size_t k = 0; k < p->norder; k++) {
        p->order[k] = keys[k].index;
        p->slot[keys[k].index] = (uint32_t)k;
    }
    cv_free(keys);

    cv_idset seen = {0};
    bool ok = true;
    for (size_t i = 0; i < src->ninsts && ok && !p->pool.oom; i++) {
        const cv_src_inst *in = &src->insts[i];
        if (!packable(src, in))
            continue;
        p->instances_size += 16 + 20 * (uint64_t)src->types[in->tuse].field_count;
        for (size_t k = 0; k < in->ncrit; k++) {
            size_t ci = in->first + k;
            const cv_src_crit *c = &src->crits[ci];
            if (c->op == CV_OP_RANGE || c->len == 0)
                continue;
            uint64_t prev = 0;
            uint64_t here = (uint64_t)p->pool.len << 32 | c->len;
            int r = cv_idset_put(&seen, cv_hash_bytes(c->str, c->len), here, &prev);
            if (r < 0) {
                ok = false;
                break;
            }
            if (p->pool.oom)
                break;
            if (r == 0 && p->pool.data && (uint32_t)prev == c->len &&
                memcmp(p->pool.data + (prev >> 32), c->str, c->len) == 0) {
                p->str_off[ci] = (uint32_t)(prev >> 32);
                continue;
            }
            p->str_off[ci] = (uint32_t)p->pool.len;
            cv_buf_add(&p->pool, c->str, c->len);
        }
    }
    cv_idset_free(&seen);
    return ok && !p->pool.oom;
}

int cv_pack(const cv_source *src, cv_buf *out, bool seal)
{
    plan p;
    if (!make_plan(src, &p) || p.norder > CV_MAX_TYPE_ENTRIES) {
        plan_free(&p);
        return -1;
    }
    uint64_t ninst = 0;
    for (size_t i = 0; i < src->ninsts; i++)
        ninst += packable(src, &src->insts[i]);
    const uint32_t types_off = CV_HEADER_SIZE + 3 * CV_SECTION_ENTRY;
    const uint64_t types_size = 4 + 8 * (uint64_t)p.norder;
    const uint64_t inst_off = types_off + types_size;
    const uint64_t inst_size = 4 + p.instances_size;
    const uint64_t str_off = inst_off + inst_size;
    const uint64_t total = str_off + p.pool.len;

    cv_buf *b = out;
    b->len = 0;
    cv_buf_add(b, "CHNL", 4);
    cv_buf_u16le(b, 1);
    cv_buf_u16le(b, 0);
    cv_buf_u32le(b, CV_HEADER_SIZE);
    cv_buf_u32le(b, 0);
    cv_buf_u32le(b, src->channel_id);
    cv_buf_u32le(b, 3);
    cv_buf_u64le(b, src->content_version);
    cv_buf_u64le(b, total);
    cv_buf_u32le(b, CV_HEADER_SIZE);
    cv_buf_u32le(b, 0);
    cv_buf_zeros(b, 32);
    const uint64_t sections[3][3] = {{CV_SEC_STRINGS, str_off, p.pool.len},
                                     {CV_SEC_TYPES, types_off, types_size},
                                     {CV_SEC_INSTANCES, inst_off, inst_size}};
    for (int i = 0; i < 3; i++) {
        cv_buf_u32le(b, (uint32_t)sections[i][0]);
        cv_buf_u32le(b, (uint32_t)sections[i][1]);
        cv_buf_u32le(b, (uint32_t)sections[i][2]);
        cv_buf_u32le(b, 0);
    }
    cv_buf_u32le(b, (uint32_t)p.norder);
    for (size_t k = 0; k < p.norder; k++) {
        const cv_tuse *t = &src->types[p.order[k]];
        cv_buf_u32le(b, t->id);
        cv_buf_u16le(b, t->version);
        cv_buf_u16le(b, (uint16_t)t->field_count);
    }
    cv_buf_u32le(b, (uint32_t)ninst);
    for (size_t i = 0; i < src->ninsts && !b->oom; i++) {
        const cv_src_inst *in = &src->insts[i];
        if (!packable(src, in))
            continue;
        uint32_t fc = src->types[in->tuse].field_count;
        cv_buf_u32le(b, in->id);
        cv_buf_u16le(b, (uint16_t)p.slot[in->tuse]);
        cv_buf_u16le(b, (uint16_t)fc);
        cv_buf_addc(b, (char)in->action);
        cv_buf_addc(b, (char)in->severity);
        cv_buf_u16le(b, 0);
        cv_buf_u32le(b, 16 + 20 * fc);
        size_t crit_base = b->len;
        cv_buf_zeros(b, 20 * (size_t)fc); /* wildcards, then fill in criteria */
        if (b->oom)
            break;
        for (size_t k = 0; k < in->ncrit; k++) {
            const cv_src_crit *c = &src->crits[in->first + k];
            if (c->index >= fc)
                continue; /* not in a valid source: CV230 */
            uint8_t *w = (uint8_t *)b->data + crit_base + 20 * (size_t)c->index;
            w[0] = c->op;
            w[1] = c->flags;
            if (c->op == CV_OP_RANGE) {
                put_le(w + 4, (uint64_t)c->min, 8);
                put_le(w + 12, (uint64_t)c->max, 8);
            } else {
                put_le(w + 4, c->len ? p.str_off[in->first + k] : 0, 4);
                put_le(w + 8, c->len, 4);
            }
        }
    }
    cv_buf_add(b, p.pool.data, p.pool.len);
    plan_free(&p);
    if (b->oom || b->len != total)
        return -1;
    if (seal) {
        uint8_t digest[32];
        if (!cv_channel_digest((const uint8_t *)b->data, b->len, digest))
            return -1;
        memcpy(b->data + 48, digest, 32);
    }
    return 0;
}

int cv_source_packed_size(const cv_source *src, uint64_t *size)
{
    cv_buf b = {0};
    int rc = cv_pack(src, &b, false);
    *size = b.len;
    cv_buf_free(&b);
    return rc;
}
