/* chanmodel.c - see chanmodel.h. */
#include "chanmodel.h"
#include "common.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_TYPES = 4096, MAX_INSTS = 4096, MAX_STR = 70000 };

static const or_world *world;

void cm_set_world(const or_world *w) { world = w; }

/* ---- little-endian helpers --------------------------------------------- */

static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static uint64_t rd64(const uint8_t *p) { return (uint64_t)rd32(p + 4) << 32 | rd32(p); }
static void wr(uint8_t *p, uint64_t v, int n)
{
    for (int i = 0; i < n; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        abort();
    return p;
}

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        abort();
    return q;
}

static uint8_t *dup_bytes(const uint8_t *p, size_t n)
{
    uint8_t *q = xcalloc(n + 1, 1);
    if (n)
        memcpy(q, p, n);
    return q;
}

/* ---- model lifetime ------------------------------------------------------ */

static void crit_free(cm_crit *c)
{
    free(c->str);
    c->str = NULL;
    c->len = 0;
}

static void inst_free(cm_inst *in)
{
    for (uint32_t i = 0; i < in->ncrits; i++)
        crit_free(&in->crits[i]);
    free(in->crits);
    in->crits = NULL;
    in->ncrits = 0;
}

void cm_free(cm_model *m)
{
    for (uint32_t i = 0; i < m->ninsts; i++)
        inst_free(&m->insts[i]);
    free(m->insts);
    free(m->types);
    free(m->extra);
    *m = (cm_model){0};
}

static void layout_default(cm_model *m)
{
    m->place[0] = CM_TYPES;
    m->place[1] = CM_INSTANCES;
    m->place[2] = CM_STRINGS;
    m->entry[0] = CM_STRINGS;
    m->entry[1] = CM_TYPES;
    m->entry[2] = CM_INSTANCES;
    m->dedupe = true;
    m->extra_entry = -1;
}

static void set_str(cm_crit *c, const void *p, size_t n)
{
    crit_free(c);
    c->str = dup_bytes(p, n);
    c->len = (uint32_t)n;
    c->raw_ref = false;
}

void cm_default(cm_model *m)
{
    *m = (cm_model){.major = 1, .header_size = 80, .channel_id = 291, .content_version = 1};
    layout_default(m);
    m->ntypes = 1;
    m->types = xcalloc(1, sizeof *m->types);
    m->types[0] = (cm_type){12, 1, 8};
    m->ninsts = 1;
    m->insts = xcalloc(1, sizeof *m->insts);
    cm_inst *in = &m->insts[0];
    *in = (cm_inst){.id = 1, .action = 2, .severity = 3, .ncrits = 8};
    in->crits = xcalloc(8, sizeof *in->crits);
    in->crits[0].op = 1;
    set_str(&in->crits[0], "C:\\Windows\\System32\\cmd.exe", 27);
}

/* ---- decoding ------------------------------------------------------------ */

typedef struct span {
    bool have;
    uint32_t off, size;
} span;

static void decode_crit(const uint8_t *p, const span *strings, const uint8_t *data, cm_crit *c)
{
    *c = (cm_crit){.op = p[0], .flags = p[1], .reserved = rd16(p + 2)};
    memcpy(c->payload, p + 4, 16);
    if (c->op != 1 && c->op != 2)
        return;
    uint32_t so = rd32(p + 4), sl = rd32(p + 8);
    if (strings->have && (uint64_t)so + sl <= strings->size && sl <= MAX_STR) {
        c->str = dup_bytes(data + strings->off + so, sl);
        c->len = sl;
        memset(c->payload, 0, 8);
    } else {
        c->raw_ref = true;
    }
}

bool cm_decode(const uint8_t *data, size_t size, cm_model *m)
{
    if (size < 80 || memcmp(data, "CHNL", 4) != 0) {
        cm_default(m);
        return false;
    }
    uint32_t count = rd32(data + 20), toff = rd32(data + 40);
    if (toff != 80 || count == 0 || count > 32 || 80 + 16 * (size_t)count > size) {
        cm_default(m);
        m->channel_id = rd32(data + 16);
        m->content_version = rd64(data + 24);
        return false;
    }
    *m = (cm_model){.major = rd16(data + 4),
                    .minor = rd16(data + 6),
                    .header_size = rd32(data + 8),
                    .flags = rd32(data + 12),
                    .channel_id = rd32(data + 16),
                    .content_version = rd64(data + 24),
                    .reserved = rd32(data + 44)};
    layout_default(m);
    span sec[3] = {{0}};
    int nentry = 0;
    for (uint32_t i = 0; i < count; i++) {
        const uint8_t *e = data + 80 + 16 * (size_t)i;
        uint32_t kind = rd32(e), off = rd32(e + 4), sz = rd32(e + 8);
        if (i == 0)
            m->entry_reserved = rd32(e + 12);
        if (kind < 1 || kind > 3 || sec[kind - 1].have || off > size || sz > size - off)
            continue;
        sec[kind - 1] = (span){true, off, sz};
        m->entry[nentry++] = (uint8_t)(kind - 1);
    }
    /* entries that are missing keep the remaining kinds, in kind order */
    for (uint8_t k = 0; k < 3 && nentry < 3; k++) {
        bool used = false;
        for (int j = 0; j < nentry; j++)
            used = used || m->entry[j] == k;
        if (!used)
            m->entry[nentry++] = k;
    }
    /* placement: present sections by offset, then the others */
    uint8_t order[3] = {CM_TYPES, CM_INSTANCES, CM_STRINGS};
    for (int a = 0; a < 3; a++)
        for (int b = a + 1; b < 3; b++) {
            const span *x = &sec[order[a]], *y = &sec[order[b]];
            uint64_t kx = x->have ? x->off : UINT64_MAX, ky = y->have ? y->off : UINT64_MAX;
            if (ky < kx) {
                uint8_t t = order[a];
                order[a] = order[b];
                order[b] = t;
            }
        }
    memcpy(m->place, order, 3);

    const span *ts = &sec[CM_TYPES];
    if (ts->have && ts->size >= 4) {
        uint32_t cnt = rd32(data + ts->off);
        uint32_t avail = (ts->size - 4) / 8;
        uint32_t n = cnt < avail ? cnt : avail;
        if (n > MAX_TYPES)
            n = MAX_TYPES;
        m->types = xcalloc(n, sizeof *m->types);
        for (uint32_t i = 0; i < n; i++) {
            const uint8_t *e = data + ts->off + 4 + 8 * (size_t)i;
            m->types[i] = (cm_type){rd32(e), rd16(e + 4), rd16(e + 6)};
        }
        m->ntypes = n;
        m->types_count_delta = cnt - n;
    }
    const span *is = &sec[CM_INSTANCES];
    if (is->have && is->size >= 4) {
        const uint8_t *p = data + is->off;
        uint32_t cnt = rd32(p);
        size_t pos = 4, cap = 0;
        while (m->ninsts < cnt && m->ninsts < MAX_INSTS && is->size - pos >= 16) {
            const uint8_t *r = p + pos;
            uint16_t fc = rd16(r + 6);
            size_t need = 16 + 20 * (size_t)fc;
            if (need > is->size - pos)
                break;
            if (m->ninsts == cap) {
                cap = cap ? 2 * cap : 8;
                m->insts = xrealloc(m->insts, cap * sizeof *m->insts);
            }
            cm_inst *in = &m->insts[m->ninsts++];
            *in = (cm_inst){.id = rd32(r),
                            .type_index = rd16(r + 4),
                            .action = r[8],
                            .severity = r[9],
                            .reserved = rd16(r + 10),
                            .record_size_delta = rd32(r + 12) - (uint32_t)need,
                            .ncrits = fc};
            in->crits = xcalloc(fc, sizeof *in->crits);
            for (uint32_t i = 0; i < fc; i++)
                decode_crit(r + 16 + 20 * (size_t)i, &sec[CM_STRINGS], data, &in->crits[i]);
            pos += need;
        }
        m->inst_count_delta = cnt - m->ninsts;
    }
    return true;
}

/* ---- encoding ------------------------------------------------------------ */

typedef struct pool {
    uint8_t *p;
    size_t len, cap;
} pool;

static uint32_t pool_add(pool *pl, const uint8_t *s, size_t n, bool dedupe)
{
    if (n == 0)
        return 0;
    if (dedupe && pl->len >= n) {
        /* a bounded search: enough to share the common strings */
        size_t lim = pl->len < 4096 ? pl->len - n + 1 : 0;
        for (size_t i = 0; i < lim; i++)
            if (pl->p[i] == s[0] && memcmp(pl->p + i, s, n) == 0)
                return (uint32_t)i;
    }
    if (pl->len + n > pl->cap) {
        pl->cap = (pl->len + n) * 2;
        pl->p = xrealloc(pl->p, pl->cap);
    }
    memcpy(pl->p + pl->len, s, n);
    pl->len += n;
    return (uint32_t)(pl->len - n);
}

void cm_reseal(uint8_t *data, size_t size)
{
    if (size < 80)
        return;
    wr(data + 32, size, 8);
    memset(data + 48, 0, 32);
    uint8_t md[32];
    unsigned int mdlen = 0;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (!ctx || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) || !EVP_DigestUpdate(ctx, data, size) ||
        !EVP_DigestFinal_ex(ctx, md, &mdlen))
        abort();
    EVP_MD_CTX_free(ctx);
    memcpy(data + 48, md, 32);
}

size_t cm_encode(const cm_model *m, uint8_t *out, size_t max, bool seal)
{
    /* strings first: their offsets go into the criteria */
    pool pl = {0};
    size_t ncr = 0;
    for (uint32_t i = 0; i < m->ninsts; i++)
        ncr += m->insts[i].ncrits;
    uint32_t *soff = xcalloc(ncr, sizeof *soff);
    size_t k = 0;
    for (uint32_t i = 0; i < m->ninsts; i++)
        for (uint32_t j = 0; j < m->insts[i].ncrits; j++, k++) {
            const cm_crit *c = &m->insts[i].crits[j];
            if ((c->op == 1 || c->op == 2) && !c->raw_ref)
                soff[k] = pool_add(&pl, c->str, c->len, m->dedupe);
        }
    uint64_t sz[3];
    sz[CM_STRINGS] = pl.len + m->nextra;
    sz[CM_TYPES] = 4 + 8 * (uint64_t)m->ntypes;
    sz[CM_INSTANCES] = 4;
    for (uint32_t i = 0; i < m->ninsts; i++)
        sz[CM_INSTANCES] += 16 + 20 * (uint64_t)m->insts[i].ncrits;
    uint32_t nentries = 3 + (m->extra_entry >= 0);
    uint64_t pos = 80 + 16 * (uint64_t)nentries;
    uint64_t off[3], pad_at[3];
    for (int i = 0; i < 3; i++) {
        uint8_t s = m->place[i] < 3 ? m->place[i] : (uint8_t)i;
        pad_at[i] = pos;
        pos += m->pad[i];
        pos = (pos + 3) & ~(uint64_t)3;
        off[s] = pos;
        pos += sz[s];
    }
    uint64_t total = pos;
    if (total > max || total > UINT32_MAX) {
        free(soff);
        free(pl.p);
        return 0;
    }
    memset(out, 0, (size_t)total);
    for (int i = 0; i < 3; i++)
        memset(out + pad_at[i], m->pad_byte, m->pad[i]);
    memcpy(out, "CHNL", 4);
    wr(out + 4, m->major, 2);
    wr(out + 6, m->minor, 2);
    wr(out + 8, m->header_size, 4);
    wr(out + 12, m->flags, 4);
    wr(out + 16, m->channel_id, 4);
    wr(out + 20, nentries, 4);
    wr(out + 24, m->content_version, 8);
    wr(out + 32, total, 8);
    wr(out + 40, 80, 4);
    wr(out + 44, m->reserved, 4);
    for (uint32_t j = 0; j < 3; j++) {
        uint8_t s = m->entry[j] < 3 ? m->entry[j] : (uint8_t)j;
        uint8_t *e = out + 80 + 16 * j;
        wr(e, s + 1u, 4);
        wr(e + 4, off[s], 4);
        wr(e + 8, sz[s], 4);
        wr(e + 12, j == 0 ? m->entry_reserved : 0, 4);
    }
    if (m->extra_entry >= 0) {
        uint8_t *e = out + 80 + 16 * 3;
        wr(e, (uint32_t)m->extra_entry, 4);
        wr(e + 4, m->extra_entry_off, 4);
        wr(e + 8, m->extra_entry_size, 4);
    }
    uint8_t *t = out + off[CM_TYPES];
    wr(t, m->ntypes + m->types_count_delta, 4);
    for (uint32_t i = 0; i < m->ntypes; i++) {
        wr(t + 4 + 8 * i, m->types[i].id, 4);
        wr(t + 8 + 8 * i, m->types[i].version, 2);
        wr(t + 10 + 8 * i, m->types[i].field_count, 2);
    }
    uint8_t *r = out + off[CM_INSTANCES];
    wr(r, m->ninsts + m->inst_count_delta, 4);
    r += 4;
    k = 0;
    for (uint32_t i = 0; i < m->ninsts; i++) {
        const cm_inst *in = &m->insts[i];
        wr(r, in->id, 4);
        wr(r + 4, in->type_index, 2);
        wr(r + 6, in->ncrits, 2);
        r[8] = in->action;
        r[9] = in->severity;
        wr(r + 10, in->reserved, 2);
        wr(r + 12, 16 + 20 * in->ncrits + in->record_size_delta, 4);
        r += 16;
        for (uint32_t j = 0; j < in->ncrits; j++, k++, r += 20) {
            const cm_crit *c = &in->crits[j];
            r[0] = c->op;
            r[1] = c->flags;
            wr(r + 2, c->reserved, 2);
            memcpy(r + 4, c->payload, 16);
            if ((c->op == 1 || c->op == 2) && !c->raw_ref) {
                wr(r + 4, soff[k], 4);
                wr(r + 8, c->len, 4);
            }
        }
    }
    if (pl.len)
        memcpy(out + off[CM_STRINGS], pl.p, pl.len);
    if (m->nextra)
        memcpy(out + off[CM_STRINGS] + pl.len, m->extra, m->nextra);
    free(soff);
    free(pl.p);
    if (seal)
        cm_reseal(out, (size_t)total);
    return (size_t)total;
}

/* ---- comparison ---------------------------------------------------------- */

bool cm_same_content(const cm_model *a, const cm_model *b, char *why, size_t n)
{
    if (a->channel_id != b->channel_id || a->content_version != b->content_version) {
        snprintf(why, n, "channel id or content version differ");
        return false;
    }
    if (a->ninsts != b->ninsts) {
        snprintf(why, n, "%u instances, then %u", a->ninsts, b->ninsts);
        return false;
    }
    for (uint32_t i = 0; i < a->ninsts; i++) {
        const cm_inst *x = &a->insts[i], *y = &b->insts[i];
        const cm_type *tx = x->type_index < a->ntypes ? &a->types[x->type_index] : NULL;
        const cm_type *ty = y->type_index < b->ntypes ? &b->types[y->type_index] : NULL;
        if (x->id != y->id || x->action != y->action || x->severity != y->severity ||
            x->ncrits != y->ncrits || !tx || !ty || tx->id != ty->id ||
            tx->version != ty->version) {
            snprintf(why, n, "instance %u (record %u) differs", x->id, i);
            return false;
        }
        for (uint32_t j = 0; j < x->ncrits; j++) {
            const cm_crit *c = &x->crits[j], *d = &y->crits[j];
            bool same = c->op == d->op && c->flags == d->flags;
            if (same && (c->op == 1 || c->op == 2))
                same = c->len == d->len && !c->raw_ref && !d->raw_ref &&
                       (c->len == 0 || memcmp(c->str, d->str, c->len) == 0);
            else if (same)
                same = memcmp(c->payload, d->payload, 16) == 0;
            if (!same) {
                snprintf(why, n, "instance %u criterion %u differs", x->id, j);
                return false;
            }
        }
    }
    return true;
}

/* ---- mutation ------------------------------------------------------------ */

typedef struct rng {
    uint64_t s;
} rng;

static uint32_t rnd(rng *g, uint32_t n)
{
    g->s ^= g->s << 13;
    g->s ^= g->s >> 7;
    g->s ^= g->s << 17;
    return n ? (uint32_t)(g->s % n) : 0;
}

static bool chance(rng *g, uint32_t percent) { return rnd(g, 100) < percent; }

static uint64_t rnd64(rng *g) { return (uint64_t)rnd(g, UINT32_MAX) << 32 | rnd(g, UINT32_MAX); }

/* Hostile and ordinary regexes: catastrophic backtracking, every CV501
 * construct, limits and option items, and patterns the sample types
 * really use. */
static const char *const regexes[] = {
    "(a+)+$", "(a|a)*b", "(a*)*$", "\\d+\\s*\\d+$", "(.*a){12}", "^(\\w+\\s?)*$", "(x+x+)+y",
    "(?:a|aa)+$", "(a?){25}a{25}", "((a+)*)+b", "(?:(?:a*)*)*c", ".*.*.*=.*", "[a-z]*x",
    "(\\\\|\\s)*$", "(0|00)*x", "(?:\\\\ ?)+!", "(é+)+$", "a{1,65535}", "(a{2,}){2,}b",
    "^\\\\\\\\\\.\\\\pipe\\\\[a-f0-9]{8}$", "cmd\\.exe$", "(?i)powershell", "\\p{L}+", "[[:alpha:]]+",
    "\\x{10FFFF}", "\\Qa.b\\E", "(?x) a # comment", "(?#comment)a", "(?>a+)b", "a++b", "a*+",
    "(?=a)a", "(?!b)a", "\\b\\B", "^$", "\\A\\z", "\\X", "\\R", "\\h\\v", "\\N", "\\o{101}",
    "\\cA", "[\\Q]\\E]", "(?|(a)|(b))", "(?<n>a)", "(?:a|b|c|d|e|f)*$", "[^\\x00-\\x7f]",
    /* CV501 */
    "(a)\\1", "(a)\\g1", "(a)\\g{-1}", "(?<n>a)\\k<n>", "(?P<n>a)(?P=n)", "(?<=a)b", "(?<!a)b",
    "(a|b(?1))", "(?R)?", "(?(1)a|b)", "(a)(?(1)b)", "(?C1)a", "(?C)a", "\\C", "(*ACCEPT)a",
    "a(*SKIP)b", "a(*PRUNE)", "(*FAIL)", "(*UTF)a", "(*UCP)a", "(*LIMIT_MATCH=1)a",
    "(*LIMIT_DEPTH=1)a", "(*CR)a", "(*NO_START_OPT)a", "(*pla:a)", "\\8", "(?P>n)", "(?&n)",
    "(?+1)(a)", "[\\1]", "\\10", "(?x)\\ #(?<=a)\n(?<=b)", "(?x:#)(?<=a)",
    /* syntax errors */
    "(", ")", "[", "a{2,1}", "\\", "(?<=a+)b", "(?P<n>a)(?P<n>b)", "\\k<nope>", "\\p{Nope}",
    "*a", "a**", "(?z)", "\\x{110000}", "[z-a]", "(?<n", "\\g", "(*LIMIT_MATCH=)",
    "",
};

static const char *const plain[] = {
    "", "a", "A", "cmd.exe", "CMD.EXE", "\\\\.\\pipe\\", "S-1-5-18", "NT AUTHORITY\\SYSTEM",
    "é", "\xf0\x9f\x98\x80", "\xef\xbf\xbf", "\t\r\n", "&<>\"'", "\x01\x1f", "]]>",
};

static const or_type *world_type(uint32_t id, uint16_t version)
{
    return world ? or_world_type(world, id, version) : NULL;
}

static const or_field *field_of(const cm_model *m, const cm_inst *in, uint32_t index)
{
    if (in->type_index >= m->ntypes)
        return NULL;
    const cm_type *t = &m->types[in->type_index];
    const or_type *def = world_type(t->id, t->version);
    return def && index < def->nfields ? &def->fields[index] : NULL;
}

/* The fewest inputs any sensor supplies for the type (UINT32_MAX: none). */
static uint32_t min_inputs(const cm_type *t)
{
    uint32_t best = UINT32_MAX;
    for (size_t s = 0; world && s < world->nsensors; s++)
        for (size_t u = 0; u < world->sensors[s].nsup; u++) {
            const or_supports *sp = &world->sensors[s].sup[u];
            if (sp->type_id == t->id && sp->type_version == t->version && sp->inputs < best)
                best = sp->inputs;
        }
    return best;
}

static int64_t boundary(rng *g, const or_field *f)
{
    static const int64_t v[] = {0, 1, -1, INT64_MIN, INT64_MAX, 4, 255, 256, 4294967295, 65535};
    if (f && f->kind == OR_INTEGER && chance(g, 60)) {
        switch (rnd(g, 5)) {
        case 0:
            return f->min;
        case 1:
            return f->max;
        case 2:
            return f->min == INT64_MIN ? f->min : f->min - 1;
        case 3:
            return f->max == INT64_MAX ? f->max : f->max + 1;
        default:
            return f->min + (int64_t)rnd(g, 16);
        }
    }
    return chance(g, 80) ? v[rnd(g, sizeof v / sizeof *v)] : (int64_t)rnd64(g);
}

static void set_range(rng *g, cm_crit *c, const or_field *f)
{
    int64_t a = boundary(g, f), b = boundary(g, f);
    if (a > b && chance(g, 85)) {
        int64_t t = a;
        a = b;
        b = t;
    }
    crit_free(c);
    c->raw_ref = false;
    memset(c->payload, 0, 16);
    wr(c->payload, (uint64_t)a, 8);
    wr(c->payload + 8, (uint64_t)b, 8);
}

static void set_dict_string(rng *g, cm_crit *c)
{
    const char *s;
    if (c->op == 2 || (c->op != 1 && chance(g, 50)))
        s = regexes[rnd(g, sizeof regexes / sizeof *regexes)];
    else
        s = plain[rnd(g, sizeof plain / sizeof *plain)];
    set_str(c, s, strlen(s));
    memset(c->payload, 0, 16);
}

/* A criterion that the field's kind accepts. */
static void make_crit(rng *g, cm_crit *c, const or_field *f)
{
    crit_free(c);
    *c = (cm_crit){0};
    bool string = f ? f->kind == OR_STRING : chance(g, 50);
    if (string) {
        c->op = chance(g, 50) ? 1 : 2;
        c->flags = (uint8_t)(chance(g, 70) ? 0 : rnd(g, 4));
        set_dict_string(g, c);
    } else {
        c->op = 3;
        c->flags = chance(g, 80) ? 0 : 2;
        set_range(g, c, f);
    }
}

static void mutate_string(rng *g, cm_crit *c)
{
    size_t cap = (size_t)c->len * 2 + 64;
    if (cap > 8192)
        cap = 8192 > c->len ? 8192 : c->len;
    uint8_t *buf = xcalloc(cap, 1);
    if (c->len)
        memcpy(buf, c->str, c->len);
    size_t n = c->len;
    switch (rnd(g, 4)) {
    case 0: { /* insert bytes that break UTF-8 or carry NUL */
        static const char *const bad[] = {"\x80", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80",
                                          "\xe2\x82", "\x00", "\xff", "\xfe"};
        const char *b = bad[rnd(g, sizeof bad / sizeof *bad)];
        size_t bl = b[0] ? strlen(b) : 1;
        if (n + bl <= cap) {
            size_t at = rnd(g, (uint32_t)n + 1);
            memmove(buf + at + bl, buf + at, n - at);
            memcpy(buf + at, b, bl);
            n += bl;
        }
        break;
    }
    case 1: { /* glue two patterns */
        const char *s = regexes[rnd(g, sizeof regexes / sizeof *regexes)];
        size_t sl = strlen(s);
        if (n + sl <= cap) {
            memcpy(buf + n, s, sl);
            n += sl;
        }
        break;
    }
    default:
        n = LLVMFuzzerMutate(buf, n, cap);
        break;
    }
    set_str(c, buf, n);
    free(buf);
}

static void long_string(rng *g, cm_crit *c, const or_field *f)
{
    static const uint32_t lens[] = {64, 65, 256, 257, 1024, 1025, 4096, 4097, 65535, 65536};
    uint32_t n = lens[rnd(g, sizeof lens / sizeof *lens)];
    if (f && f->kind == OR_STRING && chance(g, 50))
        n = f->max_length + rnd(g, 2);
    uint8_t *buf = xcalloc(n + 1, 1);
    const char *unit = chance(g, 50) ? "a" : "(a|b)?";
    size_t ul = strlen(unit);
    for (uint32_t i = 0; i < n; i++)
        buf[i] = (uint8_t)unit[i % ul];
    set_str(c, buf, n);
    free(buf);
}

static cm_inst *pick_inst(rng *g, cm_model *m)
{
    return m->ninsts ? &m->insts[rnd(g, m->ninsts)] : NULL;
}

static cm_crit *pick_crit(rng *g, cm_model *m, cm_inst **in_out, uint32_t *index)
{
    cm_inst *in = pick_inst(g, m);
    if (!in || in->ncrits == 0)
        return NULL;
    *in_out = in;
    *index = rnd(g, in->ncrits);
    return &in->crits[*index];
}

static uint16_t add_type(rng *g, cm_model *m, bool from_world)
{
    m->types = xrealloc(m->types, (m->ntypes + 1) * sizeof *m->types);
    cm_type t = {rnd(g, 100), (uint16_t)rnd(g, 5), (uint16_t)rnd(g, 70)};
    if (from_world && world && world->ntypes) {
        const or_type *d = &world->types[rnd(g, (uint32_t)world->ntypes)];
        t = (cm_type){d->id, d->version, (uint16_t)d->nfields};
    }
    m->types[m->ntypes] = t;
    return (uint16_t)m->ntypes++;
}

/* Index of a TYPES entry for a world type, added when missing. */
static uint16_t world_type_index(rng *g, cm_model *m)
{
    if (m->ntypes && chance(g, 70)) {
        uint32_t i = rnd(g, m->ntypes);
        if (world_type(m->types[i].id, m->types[i].version))
            return (uint16_t)i;
    }
    if (m->ntypes >= 65535)
        return 0;
    return add_type(g, m, true);
}

static uint32_t fresh_id(const cm_model *m)
{
    uint32_t id = 0;
    for (uint32_t i = 0; i < m->ninsts; i++)
        if (m->insts[i].id > id)
            id = m->insts[i].id;
    return id + 1;
}

static void add_instance(rng *g, cm_model *m)
{
    if (m->ninsts >= MAX_INSTS)
        return;
    uint16_t ti = world_type_index(g, m);
    m->insts = xrealloc(m->insts, (m->ninsts + 1) * sizeof *m->insts);
    cm_inst *in = &m->insts[m->ninsts];
    uint32_t fc = ti < m->ntypes ? m->types[ti].field_count : 1;
    *in = (cm_inst){.id = fresh_id(m),
                    .type_index = ti,
                    .action = (uint8_t)(1 + rnd(g, 3)),
                    .severity = (uint8_t)rnd(g, 5),
                    .ncrits = fc};
    in->crits = xcalloc(fc, sizeof *in->crits);
    m->ninsts++;
    for (uint32_t k = 0, n = 1 + rnd(g, 3); k < n && fc; k++) {
        uint32_t i = rnd(g, fc);
        make_crit(g, &in->crits[i], field_of(m, in, i));
    }
}

static void clone_inst(cm_inst *dst, const cm_inst *src)
{
    *dst = *src;
    dst->crits = xcalloc(src->ncrits, sizeof *dst->crits);
    for (uint32_t i = 0; i < src->ncrits; i++) {
        dst->crits[i] = src->crits[i];
        dst->crits[i].str = NULL;
        if (src->crits[i].str)
            dst->crits[i].str = dup_bytes(src->crits[i].str, src->crits[i].len);
    }
}

static void resize_crits(cm_inst *in, uint32_t n)
{
    for (uint32_t i = n; i < in->ncrits; i++)
        crit_free(&in->crits[i]);
    in->crits = xrealloc(in->crits, (n ? n : 1) * sizeof *in->crits);
    for (uint32_t i = in->ncrits; i < n; i++)
        in->crits[i] = (cm_crit){0};
    in->ncrits = n;
}

/* Bring the model back towards a valid file, so that mutations start from
 * files chanval accepts (which is where the fleet rules and the oracle
 * have something to say). */
static void repair(rng *g, cm_model *m)
{
    m->major = 1;
    m->minor = 0;
    m->header_size = 80;
    m->flags = m->reserved = m->entry_reserved = 0;
    m->types_count_delta = m->inst_count_delta = 0;
    memset(m->pad, 0, sizeof m->pad);
    m->extra_entry = -1;
    for (uint32_t t = 0; t < m->ntypes; t++) {
        const or_type *d = world_type(m->types[t].id, m->types[t].version);
        if (d)
            m->types[t].field_count = (uint16_t)d->nfields;
    }
    for (uint32_t i = 0; i < m->ninsts; i++) {
        cm_inst *in = &m->insts[i];
        if (in->type_index >= m->ntypes ||
            !world_type(m->types[in->type_index].id, m->types[in->type_index].version))
            in->type_index = world_type_index(g, m);
        resize_crits(in, m->types[in->type_index].field_count);
        in->id = i + 1;
        in->reserved = 0;
        in->record_size_delta = 0;
        if (in->action < 1 || in->action > 3)
            in->action = 2;
        if (in->severity > 4)
            in->severity = 1;
        for (uint32_t j = 0; j < in->ncrits; j++) {
            cm_crit *c = &in->crits[j];
            const or_field *f = field_of(m, in, j);
            bool ok = c->op == 0 || (f && ((c->op == 3 && f->kind == OR_INTEGER) ||
                                           ((c->op == 1 || c->op == 2) && f->kind == OR_STRING)));
            if (!ok || c->raw_ref)
                make_crit(g, c, f);
            c->flags &= c->op == 3 ? 2 : 3;
            c->reserved = 0;
            if (c->op == 0) {
                c->flags = 0;
                memset(c->payload, 0, 16);
            }
            if (c->op == 1 || c->op == 2)
                memset(c->payload, 0, 16);
        }
    }
}

static void mutate_layout(rng *g, cm_model *m)
{
    switch (rnd(g, 7)) {
    case 0: { /* shuffle placement */
        for (int i = 2; i > 0; i--) {
            uint32_t j = rnd(g, (uint32_t)i + 1);
            uint8_t t = m->place[i];
            m->place[i] = m->place[j];
            m->place[j] = t;
        }
        break;
    }
    case 1: { /* shuffle the table */
        for (int i = 2; i > 0; i--) {
            uint32_t j = rnd(g, (uint32_t)i + 1);
            uint8_t t = m->entry[i];
            m->entry[i] = m->entry[j];
            m->entry[j] = t;
        }
        break;
    }
    case 2:
        m->pad[rnd(g, 3)] = (uint8_t)rnd(g, 9);
        m->pad_byte = chance(g, 70) ? 0 : (uint8_t)rnd(g, 256);
        break;
    case 3:
        m->extra_entry = (int)(chance(g, 50) ? rnd(g, 5) : rnd(g, 256));
        m->extra_entry_off = chance(g, 50) ? 128 : rnd(g, 1024);
        m->extra_entry_size = chance(g, 50) ? 0 : rnd(g, 64);
        break;
    case 4:
        m->dedupe = !m->dedupe;
        break;
    case 5: { /* unreferenced bytes in STRINGS */
        uint32_t n = rnd(g, 16);
        m->extra = xrealloc(m->extra, n);
        for (uint32_t i = 0; i < n; i++)
            m->extra[i] = (uint8_t)rnd(g, 256);
        m->nextra = n;
        break;
    }
    default:
        m->entry_reserved = chance(g, 50) ? 0 : rnd(g, UINT32_MAX);
        break;
    }
}

static void mutate_header(rng *g, cm_model *m)
{
    switch (rnd(g, 8)) {
    case 0:
        m->minor = (uint16_t)(chance(g, 50) ? 0 : rnd(g, 3));
        break;
    case 1:
        m->flags = chance(g, 50) ? 0 : 1u << rnd(g, 32);
        break;
    case 2:
        m->reserved = chance(g, 50) ? 0 : rnd(g, 256);
        break;
    case 3:
        m->channel_id = rnd(g, UINT32_MAX);
        break;
    case 4:
        m->content_version = rnd64(g);
        break;
    case 5:
        m->major = (uint16_t)rnd(g, 3);
        break;
    case 6:
        m->header_size = chance(g, 80) ? 80 : rnd(g, 128);
        break;
    default:
        m->types_count_delta = chance(g, 50) ? 0 : (uint32_t)rnd(g, 3) - 1;
        m->inst_count_delta = chance(g, 50) ? 0 : (uint32_t)rnd(g, 3) - 1;
        break;
    }
}

static void mutate_types(rng *g, cm_model *m)
{
    switch (rnd(g, 5)) {
    case 0:
        if (m->ntypes < MAX_TYPES)
            add_type(g, m, chance(g, 80));
        break;
    case 1:
        if (m->ntypes) {
            uint32_t i = rnd(g, m->ntypes);
            memmove(&m->types[i], &m->types[i + 1], (m->ntypes - i - 1) * sizeof *m->types);
            m->ntypes--;
        }
        break;
    case 2:
        if (m->ntypes && m->ntypes < MAX_TYPES) {
            m->types = xrealloc(m->types, (m->ntypes + 1) * sizeof *m->types);
            m->types[m->ntypes] = m->types[rnd(g, m->ntypes)];
            m->ntypes++;
        }
        break;
    case 3:
        if (m->ntypes) {
            cm_type *t = &m->types[rnd(g, m->ntypes)];
            t->field_count = (uint16_t)(t->field_count + rnd(g, 3) - 1);
        }
        break;
    default:
        if (m->ntypes) {
            cm_type *t = &m->types[rnd(g, m->ntypes)];
            if (chance(g, 50))
                t->version = (uint16_t)(t->version + 1);
            else
                t->id = rnd(g, 16);
        }
        break;
    }
}

static void mutate_instance(rng *g, cm_model *m)
{
    cm_inst *in = pick_inst(g, m);
    switch (rnd(g, 10)) {
    case 0:
        add_instance(g, m);
        return;
    case 1:
        if (in) {
            size_t i = (size_t)(in - m->insts);
            inst_free(in);
            memmove(in, in + 1, (m->ninsts - i - 1) * sizeof *in);
            m->ninsts--;
        }
        return;
    case 2:
        if (in && m->ninsts < MAX_INSTS) {
            size_t i = (size_t)(in - m->insts);
            m->insts = xrealloc(m->insts, (m->ninsts + 1) * sizeof *m->insts);
            clone_inst(&m->insts[m->ninsts], &m->insts[i]);
            if (chance(g, 70))
                m->insts[m->ninsts].id = fresh_id(m);
            m->ninsts++;
        }
        return;
    case 3:
        if (m->ninsts > 1) {
            uint32_t a = rnd(g, m->ninsts), b = rnd(g, m->ninsts);
            cm_inst t = m->insts[a];
            m->insts[a] = m->insts[b];
            m->insts[b] = t;
        }
        return;
    default:
        break;
    }
    if (!in)
        return;
    switch (rnd(g, 7)) {
    case 0:
        in->id = chance(g, 30) ? 0 : chance(g, 50) && m->ninsts ? m->insts[0].id : rnd(g, 100);
        break;
    case 1:
        in->type_index = (uint16_t)(chance(g, 50) ? m->ntypes : rnd(g, m->ntypes + 2));
        if (chance(g, 20))
            in->type_index = 0xffff;
        break;
    case 2:
        in->action = (uint8_t)(chance(g, 50) ? rnd(g, 5) : rnd(g, 256));
        break;
    case 3:
        in->severity = (uint8_t)(chance(g, 50) ? rnd(g, 6) : rnd(g, 256));
        break;
    case 4:
        in->reserved = (uint16_t)(chance(g, 50) ? 0 : 1u << rnd(g, 16));
        break;
    case 5:
        in->record_size_delta = chance(g, 50) ? 0 : (uint32_t)rnd(g, 41) - 20;
        break;
    default: {
        static const uint32_t counts[] = {0, 1, 7, 8, 9, 20, 21, 22, 64, 65};
        uint32_t n = chance(g, 50) ? in->ncrits + rnd(g, 3) - 1 : counts[rnd(g, 10)];
        if (n <= 200)
            resize_crits(in, n);
        break;
    }
    }
}

static void mutate_criterion(rng *g, cm_model *m)
{
    cm_inst *in = NULL;
    uint32_t idx = 0;
    cm_crit *c = pick_crit(g, m, &in, &idx);
    if (!c)
        return;
    const or_field *f = field_of(m, in, idx);
    switch (rnd(g, 12)) {
    case 0:
    case 1:
        make_crit(g, c, f);
        break;
    case 2: { /* the channel-291 move: a criterion where some sensor has no input */
        uint32_t lo = in->type_index < m->ntypes ? min_inputs(&m->types[in->type_index]) : 0;
        if (lo < in->ncrits) {
            idx = lo + rnd(g, in->ncrits - lo);
            c = &in->crits[idx];
            make_crit(g, c, field_of(m, in, idx));
        } else {
            make_crit(g, c, f);
        }
        break;
    }
    case 3: /* wildcard it, or the whole instance */
        if (chance(g, 70)) {
            crit_free(c);
            *c = (cm_crit){0};
        } else {
            for (uint32_t i = 0; i < in->ncrits; i++) {
                crit_free(&in->crits[i]);
                in->crits[i] = (cm_crit){0};
            }
        }
        break;
    case 4:
        c->op = (uint8_t)(chance(g, 70) ? rnd(g, 5) : rnd(g, 256));
        if ((c->op == 1 || c->op == 2) && !c->str && !c->raw_ref)
            set_dict_string(g, c);
        break;
    case 5:
        c->flags = (uint8_t)(chance(g, 70) ? rnd(g, 4) : 1u << rnd(g, 8));
        break;
    case 6:
        if (chance(g, 50))
            c->reserved = (uint16_t)(1u << rnd(g, 16));
        else
            c->payload[rnd(g, 16)] = (uint8_t)(1 + rnd(g, 255));
        break;
    case 7:
        if (c->op == 1 || c->op == 2)
            set_dict_string(g, c);
        else
            set_range(g, c, f);
        break;
    case 8:
        if ((c->op == 1 || c->op == 2) && !c->raw_ref)
            mutate_string(g, c);
        else
            make_crit(g, c, f);
        break;
    case 9:
        if (c->op != 1 && c->op != 2)
            c->op = (uint8_t)(1 + rnd(g, 2));
        long_string(g, c, f);
        break;
    case 10: { /* a reference that leaves STRINGS */
        static const uint32_t offs[] = {0, 1, 0xffffffffu, 0x7fffffffu, 0xfffffff0u, 4096};
        crit_free(c);
        if (c->op != 1 && c->op != 2)
            c->op = 1;
        c->raw_ref = true;
        memset(c->payload, 0, 16);
        wr(c->payload, offs[rnd(g, 6)], 4);
        wr(c->payload + 4, chance(g, 50) ? offs[rnd(g, 6)] : rnd(g, 64), 4);
        break;
    }
    default:
        if (c->op == 3)
            set_range(g, c, f);
        else
            make_crit(g, c, f);
        break;
    }
}

static bool bytes_only(void)
{
    static int mode = -1;
    if (mode < 0) {
        const char *v = getenv("CHANVAL_FUZZ_MUTATOR");
        mode = v && strcmp(v, "bytes") == 0;
    }
    return mode == 1;
}

static size_t emit(cm_model *m, rng *g, uint8_t *data, size_t max)
{
    uint8_t *buf = xcalloc(max, 1);
    size_t n = cm_encode(m, buf, max, true);
    if (n == 0) {
        free(buf);
        return 0;
    }
    if (chance(g, 8)) { /* havoc after encoding, mostly resealed */
        n = LLVMFuzzerMutate(buf, n, max);
        if (chance(g, 75))
            cm_reseal(buf, n);
    } else if (chance(g, 2)) {
        buf[48 + rnd(g, 32)] ^= 1; /* a stale digest */
    }
    memcpy(data, buf, n);
    free(buf);
    return n;
}

size_t cm_mutate(uint8_t *data, size_t size, size_t max, unsigned int seed)
{
    if (bytes_only())
        return LLVMFuzzerMutate(data, size, max);
    rng g = {(uint64_t)seed * 0x9e3779b97f4a7c15ull + 1};
    if (chance(&g, 5)) { /* plain byte mutation, now and then resealed */
        size_t n = LLVMFuzzerMutate(data, size, max);
        if (n >= 80 && memcmp(data, "CHNL", 4) == 0 && chance(&g, 50))
            cm_reseal(data, n);
        return n;
    }
    cm_model m;
    cm_decode(data, size, &m);
    uint32_t rounds = 1 + rnd(&g, 3);
    for (uint32_t k = 0; k < rounds; k++) {
        uint32_t r = rnd(&g, 100);
        if (r < 40)
            mutate_criterion(&g, &m);
        else if (r < 62)
            mutate_instance(&g, &m);
        else if (r < 72)
            mutate_types(&g, &m);
        else if (r < 80)
            mutate_header(&g, &m);
        else if (r < 88)
            mutate_layout(&g, &m);
        else
            repair(&g, &m);
    }
    size_t n = emit(&m, &g, data, max);
    cm_free(&m);
    if (n == 0)
        return LLVMFuzzerMutate(data, size, max);
    return n;
}

size_t cm_crossover(const uint8_t *d1, size_t s1, const uint8_t *d2, size_t s2, uint8_t *out,
                    size_t max, unsigned int seed)
{
    rng g = {(uint64_t)seed * 0x2545f4914f6cdd1dull + 7};
    cm_model a, b;
    cm_decode(d1, s1, &a);
    cm_decode(d2, s2, &b);
    /* take some instances of b (and their types) into a */
    for (uint32_t i = 0; i < b.ninsts && a.ninsts < MAX_INSTS; i++) {
        if (!chance(&g, 50))
            continue;
        const cm_inst *src = &b.insts[i];
        a.insts = xrealloc(a.insts, (a.ninsts + 1) * sizeof *a.insts);
        cm_inst *dst = &a.insts[a.ninsts++];
        clone_inst(dst, src);
        if (src->type_index < b.ntypes && a.ntypes < MAX_TYPES) {
            const cm_type *t = &b.types[src->type_index];
            uint32_t k = 0;
            while (k < a.ntypes && (a.types[k].id != t->id || a.types[k].version != t->version))
                k++;
            if (k == a.ntypes) {
                a.types = xrealloc(a.types, (a.ntypes + 1) * sizeof *a.types);
                a.types[a.ntypes++] = *t;
            }
            dst->type_index = (uint16_t)k;
        }
        if (chance(&g, 80))
            dst->id = fresh_id(&a);
    }
    size_t n = emit(&a, &g, out, max);
    cm_free(&a);
    cm_free(&b);
    if (n == 0) {
        n = s1 < max ? s1 : max;
        memcpy(out, d1, n);
    }
    return n;
}
