/* interp.c - one event on one sensor, as the endpoint evaluates it. */
#include "eval/interp.h"
#include "base/alloc.h"
#include "model/content.h"
#include "regex/redos.h"

#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

static const uint8_t empty[1] = {0};

int cv_runner_init(cv_runner *r, const cv_prog *p, bool full)
{
    *r = (cv_runner){.p = p, .full = full};
    size_t ns = p->world->nsensors ? p->world->nsensors : 1;
    r->stats = cv_calloc(p->ninsts ? p->ninsts : 1, sizeof *r->stats);
    r->type_evals = cv_calloc(p->ntypes ? p->ntypes : 1, sizeof *r->type_evals);
    r->meters = cv_calloc(p->nrx ? p->nrx : 1, sizeof *r->meters);
    r->opened = cv_calloc(p->nrx ? p->nrx : 1, sizeof *r->opened);
    r->inputs = cv_calloc(UINT16_MAX + 1u, sizeof *r->inputs);
    r->cand = cv_calloc(p->ninsts ? p->ninsts : 1, sizeof *r->cand);
    r->fired = cv_calloc(p->ninsts ? p->ninsts : 1, sizeof *r->fired);
    r->gctx = cv_pcre2_context();
    if (full && p->ncrits > SIZE_MAX / ns)
        return -1;
    if (full)
        r->cover = cv_calloc(p->ncrits ? p->ncrits * ns : 1, 1);
    if (!r->stats || !r->type_evals || !r->meters || !r->opened || !r->inputs || !r->cand ||
        !r->fired || !r->gctx || (full && !r->cover)) {
        cv_runner_free(r);
        return -1;
    }
    return 0;
}

void cv_runner_free(cv_runner *r)
{
    for (size_t i = 0; r->opened && i < r->p->nrx; i++)
        if (r->opened[i])
            rx_meter_close(&r->meters[i]);
    for (size_t i = 0; r->stats && i < r->p->ninsts; i++)
        cv_free(r->stats[i].steps);
    cv_free(r->stats);
    cv_free(r->type_evals);
    cv_free(r->meters);
    cv_free(r->opened);
    cv_free(r->inputs);
    cv_free(r->cand);
    cv_free(r->fired);
    cv_free(r->cover);
    pcre2_general_context_free(r->gctx);
    *r = (cv_runner){0};
}

static size_t bucket(uint64_t steps)
{
    if (steps == 0)
        return 0;
    unsigned top = 63u - (unsigned)__builtin_clzll(steps);
    unsigned half = top > 0 ? (unsigned)((steps >> (top - 1)) & 1u) : 0u;
    return 1 + 2 * (size_t)top + half;
}

uint64_t cv_step_bucket_top(size_t b)
{
    if (b == 0)
        return 0;
    unsigned top = (unsigned)((b - 1) / 2), half = (unsigned)((b - 1) % 2);
    if (top >= 63)
        return UINT64_MAX;
    uint64_t base = (uint64_t)1 << top;
    return half ? 2 * base - 1 : base + (top > 0 ? base / 2 : 0) - (top > 0 ? 1 : 0);
}

static bool equals(const cv_value *v, const cv_pcrit *c)
{
    if (v->len != c->len)
        return false;
    if (!(c->flags & CV_FLAG_CASELESS))
        return c->len == 0 || memcmp(v->s, c->str, c->len) == 0;
    for (size_t i = 0; i < c->len; i++) {
        uint8_t a = v->s[i], b = c->str[i];
        a = a >= 'A' && a <= 'Z' ? (uint8_t)(a + 32) : a;
        b = b >= 'A' && b <= 'Z' ? (uint8_t)(b + 32) : b;
        if (a != b)
            return false;
    }
    return true;
}

/* 1 match, 0 no match (or abandoned at the budget: *exhausted), -1 out
 * of memory, -2 PCRE2 failed, -3 the match failed on this subject (the
 * sensor's match fails as well: a fault). */
static int regex(cv_runner *r, const cv_pcrit *c, const cv_value *v, uint64_t limit,
                 uint64_t *steps, bool *exhausted)
{
    const cv_prx *x = &r->p->rx[c->rx];
    rx_meter *m = &r->meters[c->rx];
    if (!r->opened[c->rx]) {
        int rc = rx_meter_open(m, x->pat, x->len, x->caseless, r->gctx);
        if (rc != 0) /* it compiled when the program was loaded */
            return rc == -1 ? -1 : -2;
        r->opened[c->rx] = true;
    }
    int64_t n = rx_meter_run(m, v->len ? v->s : empty, v->len, limit);
    if (n < 0) {
        if (m->rc == PCRE2_ERROR_NOMEMORY)
            return -1;
        if (m->rc != PCRE2_ERROR_HEAPLIMIT && m->rc != PCRE2_ERROR_MATCHLIMIT &&
            m->rc != PCRE2_ERROR_DEPTHLIMIT)
            return -3;
        /* the meter's own bounds: the sensor abandons the match as well */
        *exhausted = true;
        *steps += limit + 1;
        return 0;
    }
    *steps += (uint64_t)n;
    if (m->rc == PCRE2_ERROR_CALLOUT) {
        *exhausted = true;
        return 0;
    }
    return m->rc >= 0;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* The positions among the type's instances to run on this event. */
static size_t candidates(cv_runner *r, const cv_ptype *t)
{
    size_t n = 0;
    if (r->full || t->nkeys == 0) {
        for (size_t k = 0; k < t->ninsts; k++)
            r->cand[n++] = (uint32_t)k;
        return n;
    }
    memcpy(r->cand, t->always, t->nalways * sizeof *r->cand);
    n = t->nalways;
    size_t before = n;
    for (size_t f = 0; f < t->nkey_fields; f++) {
        const cv_value *v = &r->inputs[t->key_fields[f]];
        uint64_t h = cv_prog_key(t->key_fields[f], v->s, v->len);
        size_t lo = 0, hi = t->nkeys;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (t->keys[mid].hash < h)
                lo = mid + 1;
            else
                hi = mid;
        }
        for (; lo < t->nkeys && t->keys[lo].hash == h; lo++)
            r->cand[n++] = t->keys[lo].pos;
    }
    if (n > before) /* keys found: back into file order */
        qsort(r->cand, n, sizeof *r->cand, cmp_u32);
    return n;
}

/* The sensor faults on this type whatever the event (view->fault); but it
 * evaluates in file order, and a regex before that point may fail on this
 * very event first (CV_FAULT_MATCH).  Only regexes can: every read before
 * the first static fault is in bounds and of the right kind. */
static int fault_first(cv_runner *r, const cv_ptype *t, const cv_pview *view, uint64_t limit,
                       cv_outcome *out)
{
    const cv_prog *p = r->p;
    for (size_t k = 0; k < t->ninsts; k++) {
        uint32_t ii = t->insts[k];
        const cv_pinst *in = &p->insts[ii];
        for (uint32_t j = 0; j < in->ncrit; j++) {
            if (ii == view->fault.inst && in->first + j == view->fault.crit) {
                out->fault = view->fault;
                return 0;
            }
            const cv_pcrit *c = &p->crits[in->first + j];
            if (c->op != CV_OP_REGEX)
                continue;
            uint64_t steps = 0;
            bool ex = false;
            int rc = regex(r, c, &r->inputs[c->index], limit, &steps, &ex);
            if (rc == -3) {
                out->fault = (cv_fault){CV_FAULT_MATCH, ii, in->first + j};
                return 0;
            }
            if (rc < 0)
                return rc;
        }
    }
    out->fault = view->fault; /* not reached: the fault lies in the type */
    return 0;
}

int cv_run(cv_runner *r, const cv_event *ev, uint32_t sensor, cv_outcome *out)
{
    const cv_prog *p = r->p;
    *out = (cv_outcome){.fired = r->fired};
    const cv_ptype *t = cv_prog_type(p, ev->type_id, ev->type_version);
    if (!t)
        return 0; /* the file has no instance of the type */
    const cv_pview *view = cv_prog_view(t, sensor);
    if (!view)
        return 0; /* the sensor ignores the type */
    out->ran = true;
    if (p->refused[sensor]) {
        out->fault = (cv_fault){CV_FAULT_REFUSED, 0, 0};
        return 0;
    }
    for (uint32_t i = 0; i < view->inputs; i++)
        r->inputs[i] =
            i < ev->def->nfields ? ev->vals[i] : (cv_value){CV_FIELD_STRING, empty, 0, 0};
    uint64_t limit = p->world->sensors[sensor].regex_match_limit;
    if (view->fault.kind != CV_FAULT_NONE)
        return fault_first(r, t, view, limit, out);
    r->type_evals[t - p->types]++;
    size_t ns = p->world->nsensors;
    size_t n = candidates(r, t);
    for (size_t k = 0; k < n; k++) {
        if (k > 0 && r->cand[k] == r->cand[k - 1])
            continue; /* one key found by two fields' lookups (their hashes collide) */
        uint32_t ii = t->insts[r->cand[k]];
        const cv_pinst *in = &p->insts[ii];
        cv_istat *st = &r->stats[ii];
        bool fires = true, ex = false;
        uint64_t steps = 0;
        for (uint32_t j = 0; j < in->ncrit; j++) {
            const cv_pcrit *c = &p->crits[in->first + j];
            const cv_value *v = &r->inputs[c->index];
            bool hit = false;
            if (c->op == CV_OP_EQUALS) {
                hit = equals(v, c);
            } else if (c->op == CV_OP_RANGE) {
                hit = c->min <= v->v && v->v <= c->max;
            } else {
                bool was = ex;
                int rc = regex(r, c, v, limit, &steps, &ex);
                if (rc == -3) {
                    out->fault = (cv_fault){CV_FAULT_MATCH, ii, in->first + j};
                    out->nfired = 0;
                    return 0;
                }
                if (rc < 0)
                    return rc;
                hit = rc == 1;
                if (ex && !was && !out->exhausted) {
                    out->exhausted = true;
                    out->ex_inst = ii;
                    out->ex_crit = in->first + j;
                    out->ex_steps = limit + 1;
                }
            }
            if (c->flags & CV_FLAG_NEGATE)
                hit = !hit;
            if (r->cover)
                r->cover[(size_t)(in->first + j) * ns + sensor] |= hit ? 1 : 2;
            fires = fires && hit;
        }
        st->evals++;
        if (ex)
            st->exhausted++;
        if (in->regex) {
            if (!st->steps && !(st->steps = cv_calloc(CV_STEP_BUCKETS, sizeof *st->steps)))
                return -1;
            st->steps[bucket(steps)]++;
            if (steps > st->max_steps)
                st->max_steps = steps;
        }
        out->steps += steps;
        if (fires) {
            st->fired++;
            r->fired[out->nfired++] = ii;
        }
    }
    return 0;
}

int cv_runner_absorb(cv_runner *r, const cv_runner *o)
{
    const cv_prog *p = r->p;
    for (size_t i = 0; i < p->ntypes; i++)
        r->type_evals[i] += o->type_evals[i];
    for (size_t i = 0; i < p->ninsts; i++) {
        cv_istat *a = &r->stats[i];
        const cv_istat *b = &o->stats[i];
        a->evals += b->evals;
        a->fired += b->fired;
        a->exhausted += b->exhausted;
        if (b->max_steps > a->max_steps)
            a->max_steps = b->max_steps;
        if (b->steps) {
            if (!a->steps && !(a->steps = cv_calloc(CV_STEP_BUCKETS, sizeof *a->steps)))
                return -1;
            for (size_t k = 0; k < CV_STEP_BUCKETS; k++)
                a->steps[k] += b->steps[k];
        }
    }
    if (r->cover && o->cover) {
        size_t ns = p->world->nsensors ? p->world->nsensors : 1;
        for (size_t i = 0; i < p->ncrits * ns; i++)
            r->cover[i] |= o->cover[i];
    }
    return 0;
}
