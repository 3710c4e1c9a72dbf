/* interp.c - the reference content interpreter of formats-v1 section 3.
 *
 * Deliberately naive: every offset, count and index comes from the file
 * and is followed without a check, as an endpoint that trusts its content
 * would.  The file is expected to be a heap block of exactly its length
 * (libFuzzer's input, or the standalone driver's copy) so that any read
 * past it is a sanitizer report; the input arrays are heap blocks of
 * exactly `inputs` elements for the same reason. */
#include "oracle.h"

#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

enum { N_EVENTS = 6 };

static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static uint64_t rd64(const uint8_t *p) { return (uint64_t)rd32(p + 4) << 32 | rd32(p); }
static int64_t rdi64(const uint8_t *p)
{
    uint64_t u = rd64(p);
    return u <= INT64_MAX ? (int64_t)u : -(int64_t)(~u) - 1;
}

typedef struct crit {
    uint32_t index;
    uint8_t op, flags;
    const uint8_t *str; /* in place, in STRINGS */
    uint32_t len;
    int64_t min, max;
    pcre2_code *code; /* compiled on first use */
    bool compiled;
} crit;

typedef struct inst {
    uint32_t id, type_id;
    uint16_t type_version;
    size_t first, ncrit;
} inst;

/* One input value as the sensor passes it. */
typedef struct input {
    uint8_t kind;
    const uint8_t *s;
    size_t len;
    int64_t v;
} input;

typedef struct counter {
    uint64_t n, limit;
} counter;

typedef struct run {
    const or_world *w;
    const or_options *opt;
    or_result *res;
    inst *insts;
    size_t ninsts;
    crit *crits;
    size_t ncrits;
    pcre2_match_data *md;
    pcre2_match_context *mctx;
    counter ctr;
    /* or_eval: one sensor, an input array of exactly `ninputs`, bounds
     * checked (a fault instead of the read), the criterion being read */
    const or_sensor *only;
    bool bounds;
    uint32_t ninputs;
    uint32_t cur_inst, cur_crit;
    or_eval_result *ev;
} run;

static void fault(run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fault(run *r, const char *fmt, ...)
{
    if (r->res->fault)
        return;
    r->res->fault = true;
    if (r->ev) {
        r->ev->fault_inst = r->cur_inst;
        r->ev->fault_crit = r->cur_crit;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->res->why, sizeof r->res->why, fmt, ap);
    va_end(ap);
}

static int count_step(pcre2_callout_block *cb, void *user)
{
    (void)cb;
    counter *c = user;
    if (++c->n > c->limit)
        return PCRE2_ERROR_CALLOUT;
    return 0;
}

/* ---- the file --------------------------------------------------------- */

static bool digest_ok(const uint8_t *file, size_t len)
{
    static const uint8_t zeros[32];
    uint8_t md[32];
    unsigned int mdlen = 0;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    bool ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) &&
              EVP_DigestUpdate(ctx, file, 48) && EVP_DigestUpdate(ctx, zeros, 32) &&
              EVP_DigestUpdate(ctx, file + 80, len - 80) && EVP_DigestFinal_ex(ctx, md, &mdlen);
    EVP_MD_CTX_free(ctx);
    if (!ok)
        abort(); /* libcrypto itself failed: not a finding */
    return memcmp(md, file + 48, 32) == 0;
}

/* Load the file as an endpoint does.  False on a parse fault. */
static bool parse(run *r, const uint8_t *file, size_t len)
{
    const or_world *w = r->w;
    if (memcmp(file, "CHNL", 4) != 0) {
        fault(r, "parse: bad magic");
        return false;
    }
    if (rd16(file + 4) != 1 || rd32(file + 8) != 80) {
        fault(r, "parse: format_major %u, header_size %u", rd16(file + 4), rd32(file + 8));
        return false;
    }
    if (rd64(file + 32) != len) {
        fault(r, "parse: file_size %llu, the file has %zu bytes",
              (unsigned long long)rd64(file + 32), len);
        return false;
    }
    if (!digest_ok(file, len)) {
        fault(r, "parse: SHA-256 mismatch");
        return false;
    }
    uint32_t count = rd32(file + 20);
    const uint8_t *table = file + rd32(file + 40);
    const uint8_t *sec[4] = {0};
    uint32_t size[4] = {0};
    for (uint32_t i = 0; i < count; i++) {
        const uint8_t *e = table + 16 * (size_t)i;
        uint32_t kind = rd32(e);
        if (kind < 1 || kind > 3) {
            fault(r, "parse: section %u has unknown kind %u", i, kind);
            return false;
        }
        if (sec[kind]) {
            fault(r, "parse: a second section of kind %u", kind);
            return false;
        }
        sec[kind] = file + rd32(e + 4);
        size[kind] = rd32(e + 8);
    }
    if (!sec[1] || !sec[2] || !sec[3]) {
        fault(r, "parse: a section is missing");
        return false;
    }
    const uint8_t *types = sec[2], *strings = sec[1], *instances = sec[3];
    uint32_t ntypes = rd32(types);
    uint32_t ninst = rd32(instances);
    for (size_t s = 0; s < w->nsensors; s++) {
        const or_sensor *sn = &w->sensors[s];
        if (r->only && sn != r->only)
            continue;
        if (len > sn->max_channel_bytes || ninst > sn->max_instances) {
            fault(r, "sensor %s refuses the file: %zu bytes, %u instances (limits %u, %u)",
                  sn->version, len, ninst, sn->max_channel_bytes, sn->max_instances);
            return false;
        }
    }
    r->insts = calloc((size_t)ninst + 1, sizeof *r->insts);
    if (!r->insts)
        abort();
    const uint8_t *rec = instances + 4;
    const uint8_t *inst_end = instances + size[3];
    size_t cap = 0;
    for (uint32_t k = 0; k < ninst; k++) {
        uint32_t id = rd32(rec);
        uint16_t ti = rd16(rec + 4), fc = rd16(rec + 6);
        uint32_t rsize = rd32(rec + 12);
        if (rsize != 16 + 20 * (uint32_t)fc) {
            fault(r, "parse: instance %u record_size %u, field_count %u", id, rsize, fc);
            return false;
        }
        if (ti >= ntypes) {
            fault(r, "parse: instance %u type_index %u past TYPES (%u entries)", id, ti, ntypes);
            return false;
        }
        if (rsize > (size_t)(inst_end - rec)) {
            fault(r, "parse: instance %u record runs past INSTANCES", id);
            return false;
        }
        const uint8_t *te = types + 4 + 8 * (size_t)ti;
        inst *in = &r->insts[r->ninsts++];
        *in = (inst){id, rd32(te), rd16(te + 4), r->ncrits, 0};
        for (uint32_t i = 0; i < fc; i++) {
            const uint8_t *c = rec + 16 + 20 * (size_t)i;
            uint8_t op = c[0];
            if (op == 0)
                continue;
            if (op > 3) {
                fault(r, "parse: instance %u criterion %u has unknown op %u", id, i, op);
                return false;
            }
            if (r->ncrits == cap) {
                cap = cap ? 2 * cap : 64;
                crit *p = realloc(r->crits, cap * sizeof *p);
                if (!p)
                    abort();
                r->crits = p;
            }
            crit *cr = &r->crits[r->ncrits++];
            *cr = (crit){.index = i, .op = op, .flags = c[1]};
            if (op == 3) {
                cr->min = rdi64(c + 4);
                cr->max = rdi64(c + 12);
            } else {
                uint32_t so = rd32(c + 4), sl = rd32(c + 8);
                if ((uint64_t)so + sl > size[1]) {
                    fault(r, "parse: instance %u criterion %u string [%u, +%u) past STRINGS", id, i,
                          so, sl);
                    return false;
                }
                cr->str = strings + so;
                cr->len = sl;
            }
            in->ncrit++;
        }
        rec += rsize;
    }
    return true;
}

/* ---- events ----------------------------------------------------------- */

/* String shapes, each as long as the field allows: the longest values a
 * sensor passes, plus shapes that make backtracking regexes work hard. */
static void make_string(uint8_t *buf, uint32_t n, int event)
{
    switch (event) {
    case 0:
        memset(buf, 'a', n);
        break;
    case 1:
        memset(buf, 'a', n);
        if (n)
            buf[n - 1] = '!';
        break;
    case 2:
        memset(buf, '0', n);
        if (n)
            buf[n - 1] = 'x';
        break;
    case 3:
        for (uint32_t i = 0; i < n; i++)
            buf[i] = (uint8_t)(i % 2 ? ' ' : '\\');
        break;
    case 4: /* U+00E9, two bytes each; an odd length ends in ASCII */
        for (uint32_t i = 0; i + 1 < n; i += 2) {
            buf[i] = 0xC3;
            buf[i + 1] = 0xA9;
        }
        if (n % 2)
            buf[n - 1] = 'e';
        break;
    default:
        break;
    }
}

static uint32_t string_length(uint32_t max_length, int event)
{
    return event == 5 ? 0 : max_length;
}

static int64_t integer(const or_field *f, int event)
{
    switch (event) {
    case 0:
        return f->min;
    case 1:
        return f->max;
    case 2:
        return f->min <= 0 && f->max >= 0 ? 0 : f->min;
    case 3:
        return f->min < f->max ? f->min + 1 : f->min;
    case 4:
        return f->min < f->max ? f->max - 1 : f->max;
    default:
        return f->min + (int64_t)(((uint64_t)f->max - (uint64_t)f->min) / 2);
    }
}

/* ---- evaluation ------------------------------------------------------- */

static bool equals(const input *v, const crit *c)
{
    if (v->len != c->len)
        return false;
    for (size_t i = 0; i < v->len; i++) {
        uint8_t a = v->s[i], b = c->str[i];
        if ((c->flags & 1) != 0) {
            if (a >= 'A' && a <= 'Z')
                a = (uint8_t)(a + 32);
            if (b >= 'A' && b <= 'Z')
                b = (uint8_t)(b + 32);
        }
        if (a != b)
            return false;
    }
    return true;
}

static bool compile(run *r, crit *c, uint32_t inst_id)
{
    if (c->compiled)
        return c->code != NULL;
    c->compiled = true;
    uint32_t opts = PCRE2_UTF | PCRE2_AUTO_CALLOUT | PCRE2_NEVER_BACKSLASH_C |
                    ((c->flags & 1) ? PCRE2_CASELESS : 0);
    int err = 0;
    PCRE2_SIZE off = 0;
    /* compiled from a NUL-terminated copy: PCRE2 before 10.45 reads past
     * the end of an unterminated "(*LIMIT_MATCH=1" (a CV500 pattern, so
     * never accepted, but the interpreter must not be the one to fault) */
    uint8_t *pat = malloc((size_t)c->len + 1);
    if (!pat)
        abort();
    memcpy(pat, c->str, c->len);
    pat[c->len] = 0;
    c->code = pcre2_compile(pat, c->len, opts, &err, &off, NULL);
    free(pat);
    if (!c->code) {
        char msg[120];
        pcre2_get_error_message(err, (PCRE2_UCHAR *)msg, sizeof msg);
        fault(r, "instance %u criterion %u: the interpreter cannot compile the regex: %s at %zu",
              inst_id, c->index, msg, (size_t)off);
        return false;
    }
    uint32_t backrefs = 0, limit = 0;
    pcre2_pattern_info(c->code, PCRE2_INFO_BACKREFMAX, &backrefs);
    if (backrefs > 0 || pcre2_pattern_info(c->code, PCRE2_INFO_MATCHLIMIT, &limit) == 0 ||
        pcre2_pattern_info(c->code, PCRE2_INFO_DEPTHLIMIT, &limit) == 0 ||
        pcre2_pattern_info(c->code, PCRE2_INFO_HEAPLIMIT, &limit) == 0) {
        fault(r, "instance %u criterion %u: the regex uses a backreference or sets its own limits",
              inst_id, c->index);
        return false;
    }
    return true;
}

static bool regex(run *r, const or_sensor *sn, const inst *in, crit *c, const input *v,
                  int event)
{
    if (c->len > sn->max_regex_length) {
        fault(r, "sensor %s: instance %u criterion %u regex of %u bytes exceeds maxRegexLength %u",
              sn->version, in->id, c->index, c->len, sn->max_regex_length);
        return false;
    }
    if (!compile(r, c, in->id))
        return false;
    if (r->opt->steps_cap && r->res->steps >= r->opt->steps_cap)
        return false;
    r->ctr = (counter){0, sn->regex_match_limit};
    int rc = pcre2_match(c->code, v->s, v->len, 0, 0, r->md, r->mctx);
    r->res->steps += r->ctr.n;
    if (rc >= 0)
        return true;
    if (rc == PCRE2_ERROR_NOMATCH)
        return false;
    if (rc == PCRE2_ERROR_CALLOUT || rc == PCRE2_ERROR_MATCHLIMIT ||
        rc == PCRE2_ERROR_DEPTHLIMIT || rc == PCRE2_ERROR_HEAPLIMIT) {
        r->res->exhausted++;
        if (r->opt->budget)
            fault(r,
                  "sensor %s: instance %u criterion %u: regex \"%.*s\" exhausts the budget of "
                  "%u steps on a %zu-byte input (shape %d)",
                  sn->version, in->id, c->index, (int)(c->len < 80 ? c->len : 80), c->str,
                  sn->regex_match_limit, v->len, event);
        return false;
    }
    fault(r, "sensor %s: instance %u criterion %u: pcre2_match failed with %d", sn->version, in->id,
          c->index, rc);
    return false;
}

static bool evaluate(run *r, const or_sensor *sn, const inst *in, crit *c, const input *inputs,
                     int event)
{
    r->cur_inst = in->id;
    r->cur_crit = c->index;
    if (r->bounds && c->index >= r->ninputs) {
        fault(r, "instance %u criterion %u reads inputs[%u] past the %u the sensor supplies",
              in->id, c->index, c->index, r->ninputs);
        return false;
    }
    input v = inputs[c->index]; /* unchecked, as on the endpoint */
    r->res->criteria++;
    bool hit = false;
    switch (c->op) {
    case 1:
    case 2:
        if (v.kind != OR_STRING) {
            fault(r, "instance %u criterion %u: a string op on an integer input", in->id,
                  c->index);
            return false;
        }
        hit = c->op == 1 ? equals(&v, c) : regex(r, sn, in, c, &v, event);
        break;
    default:
        if (v.kind != OR_INTEGER) {
            fault(r, "instance %u criterion %u: a range on a string input", in->id, c->index);
            return false;
        }
        hit = c->min <= v.v && v.v <= c->max;
        break;
    }
    return (c->flags & 2) ? !hit : hit;
}

static void run_type(run *r, const or_sensor *sn, const or_supports *sup, const or_type *def)
{
    bool any = false;
    for (size_t k = 0; k < r->ninsts && !any; k++)
        any = r->insts[k].type_id == sup->type_id && r->insts[k].type_version == sup->type_version;
    if (!any)
        return;
    uint8_t **bufs = calloc(def->nfields + 1, sizeof *bufs);
    if (!bufs)
        abort();
    for (int event = 0; event < N_EVENTS && !r->res->fault; event++) {
        /* exactly `inputs` elements: a read past them is a sanitizer report */
        input *inputs = malloc(sup->inputs ? sup->inputs * sizeof *inputs : 1);
        if (!inputs)
            abort();
        for (uint32_t j = 0; j < sup->inputs; j++) {
            if (j >= def->nfields) {
                inputs[j] = (input){OR_STRING, (const uint8_t *)"", 0, 0};
                continue;
            }
            const or_field *f = &def->fields[j];
            if (f->kind == OR_INTEGER) {
                inputs[j] = (input){OR_INTEGER, NULL, 0, integer(f, event)};
                continue;
            }
            uint32_t n = string_length(f->max_length, event);
            free(bufs[j]);
            bufs[j] = malloc(n + 1);
            if (!bufs[j])
                abort();
            make_string(bufs[j], n, event);
            inputs[j] = (input){OR_STRING, bufs[j], n, 0};
        }
        for (size_t k = 0; k < r->ninsts && !r->res->fault; k++) {
            const inst *in = &r->insts[k];
            if (in->type_id != sup->type_id || in->type_version != sup->type_version)
                continue;
            bool fires = true;
            /* every criterion is read: no short cut past a false one */
            for (size_t i = 0; i < in->ncrit && !r->res->fault; i++) {
                bool hit = evaluate(r, sn, in, &r->crits[in->first + i], inputs, event);
                fires = fires && hit;
            }
            if (fires && !r->res->fault)
                r->res->fired++;
        }
        free(inputs);
    }
    for (uint32_t j = 0; j < def->nfields; j++)
        free(bufs[j]);
    free(bufs);
}

/* The matcher of a run (a counted callout on every step), and what a run
 * owns when it ends. */
static void run_open(run *r)
{
    r->md = pcre2_match_data_create(1, NULL);
    r->mctx = pcre2_match_context_create(NULL);
    if (!r->md || !r->mctx)
        abort();
    pcre2_set_callout(r->mctx, count_step, &r->ctr);
}

static void run_close(run *r)
{
    for (size_t i = 0; i < r->ncrits; i++)
        pcre2_code_free(r->crits[i].code);
    free(r->crits);
    free(r->insts);
    pcre2_match_context_free(r->mctx);
    pcre2_match_data_free(r->md);
}

void or_run(const or_world *w, const uint8_t *file, size_t len, const or_options *opt,
            or_result *res)
{
    *res = (or_result){0};
    run r = {.w = w, .opt = opt, .res = res};
    run_open(&r);
    if (parse(&r, file, len)) {
        for (size_t s = 0; s < w->nsensors && !res->fault; s++) {
            const or_sensor *sn = &w->sensors[s];
            for (size_t u = 0; u < sn->nsup && !res->fault; u++) {
                const or_type *def = or_world_type(w, sn->sup[u].type_id, sn->sup[u].type_version);
                if (def)
                    run_type(&r, sn, &sn->sup[u], def);
            }
        }
    }
    run_close(&r);
}

/* ---- one event on one sensor ---------------------------------------------- */

void or_eval(const or_world *w, const uint8_t *file, size_t len, size_t sensor, uint32_t type_id,
             uint16_t type_version, const or_value *vals, size_t nvals, or_eval_result *ev)
{
    *ev = (or_eval_result){0};
    or_result res = {0};
    or_options opt = {0};
    const or_sensor *sn = &w->sensors[sensor];
    run r = {.w = w, .opt = &opt, .res = &res, .only = sn, .bounds = true, .ev = ev};
    run_open(&r);
    const or_supports *sup = NULL;
    for (size_t u = 0; u < sn->nsup; u++)
        if (sn->sup[u].type_id == type_id && sn->sup[u].type_version == type_version)
            sup = &sn->sup[u];
    const or_type *def = or_world_type(w, type_id, type_version);
    if (parse(&r, file, len) && sup && def) {
        r.ninputs = sup->inputs;
        input *inputs = malloc(sup->inputs ? sup->inputs * sizeof *inputs : 1);
        ev->fired = malloc((r.ninsts + 1) * sizeof *ev->fired);
        if (!inputs || !ev->fired)
            abort();
        for (uint32_t j = 0; j < sup->inputs; j++) {
            if (j < nvals && j < def->nfields)
                inputs[j] = (input){vals[j].kind, vals[j].s, vals[j].len, vals[j].v};
            else
                inputs[j] = (input){OR_STRING, (const uint8_t *)"", 0, 0};
        }
        for (size_t k = 0; k < r.ninsts && !res.fault; k++) {
            const inst *in = &r.insts[k];
            if (in->type_id != type_id || in->type_version != type_version)
                continue;
            ev->ran = true;
            bool fires = true;
            for (size_t i = 0; i < in->ncrit && !res.fault; i++)
                fires = evaluate(&r, sn, in, &r.crits[in->first + i], inputs, 0) && fires;
            if (fires && !res.fault)
                ev->fired[ev->nfired++] = in->id;
        }
        free(inputs);
    }
    ev->fault = res.fault;
    memcpy(ev->why, res.why, sizeof ev->why);
    ev->exhausted = res.exhausted > 0;
    ev->steps = res.steps;
    run_close(&r);
}

void or_eval_result_free(or_eval_result *ev)
{
    free(ev->fired);
    ev->fired = NULL;
}
