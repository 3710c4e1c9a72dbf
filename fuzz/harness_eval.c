/* harness_eval.c - the differential test of the interpreter: the library's
 * (eval/, through chanval_program_eval) and the reference interpreter of
 * fuzz/oracle/ (or_eval), two independent implementations of formats-v1
 * section 3, must agree on every event, sensor and channel file: the same
 * instances fire in the same order, the same fault at the same instance
 * and criterion, the same regex steps and the same abandoned budgets.
 *
 * The channel file comes from the structure-aware mutator (as for
 * harness_oracle); the events are made from the input: string values are
 * the file's own criterion strings (so that equals and regex criteria
 * hold), case-flipped, empty or repeated characters; integers are the
 * field's bounds, zero, and the bounds of the file's ranges. */
#include "chanmodel.h"
#include "common.h"

#include <stdlib.h>
#include <string.h>

enum { EVENTS_PER_TYPE = 6, MAX_VALUE = 512 };

static chanval_session *session;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    cm_set_world(cvf_world());
    session = cvf_session(true, true);
    return 0;
}

static uint64_t rng(uint64_t *x)
{
    *x = *x * 6364136223846793005ull + 1442695040888963407ull;
    return *x >> 33;
}

/* A prefix of s of at most n bytes that ends on a character boundary. */
static size_t utf8_cut(const uint8_t *s, size_t len, size_t n)
{
    if (len <= n)
        return len;
    while (n > 0 && (s[n] & 0xC0) == 0x80)
        n--;
    return n;
}

static bool valid_string(const uint8_t *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] == 0)
            return false;
    return true; /* the library loaded the file: its strings are UTF-8 (CV115) */
}

/* One string value for a field of at most max bytes, into buf. */
static size_t string_value(const cm_model *m, uint64_t *x, uint32_t max, uint8_t *buf)
{
    uint32_t cap = max < MAX_VALUE ? max : MAX_VALUE;
    unsigned mode = (unsigned)(rng(x) % 6);
    if (mode <= 2 && m->ninsts > 0) {
        const cm_inst *in = &m->insts[rng(x) % m->ninsts];
        for (uint32_t k = 0; k < in->ncrits; k++) {
            const cm_crit *c = &in->crits[(k + rng(x)) % in->ncrits];
            if ((c->op != 1 && c->op != 2) || !c->str || !valid_string(c->str, c->len))
                continue;
            size_t n = utf8_cut(c->str, c->len, cap);
            memcpy(buf, c->str, n);
            for (size_t i = 0; mode == 1 && i < n; i++)
                if ((buf[i] | 0x20) >= 'a' && (buf[i] | 0x20) <= 'z')
                    buf[i] ^= 0x20;
            return n;
        }
    }
    if (mode == 3)
        return 0;
    size_t n = cap ? rng(x) % (cap + 1) : 0;
    memset(buf, mode == 4 ? 'a' : '0', n);
    if (n && mode == 5)
        buf[n - 1] = 'x';
    return n;
}

static int64_t integer_value(const cm_model *m, uint64_t *x, int64_t lo, int64_t hi)
{
    switch (rng(x) % 5) {
    case 0:
        return lo;
    case 1:
        return hi;
    case 2:
        return lo <= 0 && hi >= 0 ? 0 : lo;
    default:
        for (uint32_t i = 0; i < m->ninsts; i++)
            for (uint32_t k = 0; k < m->insts[i].ncrits; k++) {
                const cm_crit *c = &m->insts[i].crits[k];
                if (c->op != 3 || rng(x) % 3 != 0)
                    continue;
                int64_t v;
                memcpy(&v, c->payload + (rng(x) % 2 ? 8 : 0), 8);
                if (v >= lo && v <= hi)
                    return v;
            }
        return lo + (int64_t)(((uint64_t)hi - (uint64_t)lo) / 2);
    }
}

static void compare(const chanval_eval_result *a, const or_eval_result *b, const char *sensor,
                    const or_type *t, int event)
{
    const char *where = "";
    if ((a->fault != CHANVAL_FAULT_NONE) != b->fault)
        cvf_fail("sensor %s, type %u v%u, event %d: the library says %s, the oracle %s (%s)",
                 sensor, t->id, (unsigned)t->version, event, a->fault ? "fault" : "no fault",
                 b->fault ? "fault" : "no fault", b->why);
    if (a->fault) {
        if (a->fault != CHANVAL_FAULT_REFUSED &&
            (a->fault_instance != b->fault_inst || a->fault_criterion != b->fault_crit))
            cvf_fail("sensor %s, type %u v%u, event %d: the library faults at instance %u "
                     "criterion %u, the oracle at instance %u criterion %u (%s)",
                     sensor, t->id, (unsigned)t->version, event, a->fault_instance,
                     a->fault_criterion, b->fault_inst, b->fault_crit, b->why);
        return;
    }
    if (a->nfired != b->nfired || (a->nfired && memcmp(a->fired, b->fired, a->nfired * 4) != 0))
        where = "the instances that fire";
    else if (a->exhausted != b->exhausted)
        where = "whether a regex ran out of budget";
    else if (a->steps != b->steps)
        where = "the regex steps";
    if (*where)
        cvf_fail("sensor %s, type %u v%u, event %d: the library and the oracle disagree on %s "
                 "(fired %zu and %zu, steps %llu and %llu)",
                 sensor, t->id, (unsigned)t->version, event, where, a->nfired, b->nfired,
                 (unsigned long long)a->steps, (unsigned long long)b->steps);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    chanval_program *p = NULL;
    chanval_status st = chanval_program_load(session, data, size, &p);
    if (st == CHANVAL_ERR_USAGE)
        return 0; /* a sensor cannot load it: the oracle's parse is laxer, not comparable */
    cvf_ok(st, "chanval_program_load");
    cm_model m;
    cm_decode(data, size, &m);
    /* the file is a heap block of exactly its size, for the oracle */
    uint8_t *file = malloc(size ? size : 1);
    if (!file)
        cvf_fail("out of memory");
    memcpy(file, data, size);
    uint64_t x = 1469598103934665603ull;
    for (size_t i = 0; i < size; i++)
        x = (x ^ data[i]) * 1099511628211ull;
    const or_world *w = cvf_world();
    static uint8_t bufs[64][MAX_VALUE];
    chanval_value lv[64];
    or_value ov[64];
    for (size_t ti = 0; ti < w->ntypes; ti++) {
        const or_type *t = &w->types[ti];
        if (t->nfields > 64)
            continue;
        for (int e = 0; e < EVENTS_PER_TYPE; e++) {
            for (uint32_t f = 0; f < t->nfields; f++) {
                const or_field *fd = &t->fields[f];
                if (fd->kind == OR_STRING) {
                    size_t n = string_value(&m, &x, fd->max_length, bufs[f]);
                    lv[f] = (chanval_value){true, bufs[f], n, 0};
                    ov[f] = (or_value){OR_STRING, bufs[f], n, 0};
                } else {
                    int64_t v = integer_value(&m, &x, fd->min, fd->max);
                    lv[f] = (chanval_value){false, NULL, 0, v};
                    ov[f] = (or_value){OR_INTEGER, NULL, 0, v};
                }
            }
            for (size_t s = 0; s < w->nsensors; s++) {
                chanval_eval_result a;
                st = chanval_program_eval(p, w->sensors[s].version, t->id, t->version, lv,
                                          t->nfields, &a);
                if (st == CHANVAL_ERR_USAGE) /* a value the field cannot hold: not an event */
                    break;
                cvf_ok(st, "chanval_program_eval");
                or_eval_result b;
                or_eval(w, file, size, s, t->id, t->version, ov, t->nfields, &b);
                compare(&a, &b, w->sensors[s].version, t, e);
                or_eval_result_free(&b);
            }
        }
    }
    free(file);
    cm_free(&m);
    chanval_program_free(p);
    return 0;
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
    return cm_mutate(data, size, max_size, seed);
}

size_t LLVMFuzzerCustomCrossOver(const uint8_t *data1, size_t size1, const uint8_t *data2,
                                 size_t size2, uint8_t *out, size_t max_out_size, unsigned int seed)
{
    return cm_crossover(data1, size1, data2, size2, out, max_out_size, seed);
}
