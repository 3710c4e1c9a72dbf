/* decode.c - a channel file decoded whole, through binfile's walk. */
#include "format/decode.h"
#include "base/alloc.h"

typedef struct dec {
    cv_ctx *cx;
    cv_decoded *d;
} dec;

static void on_instance(void *u, cv_inst *in)
{
    dec *k = u;
    cv_decoded *d = k->d;
    if (!in->type) /* type_index out of range: CV118, which blocks decoding */
        return;
    void *p = d->insts;
    if (cv_grow(&p, &d->insts_cap, d->ninsts + 1, sizeof *d->insts) != 0) {
        k->cx->oom = true;
        return;
    }
    d->insts = p;
    d->insts[d->ninsts++] =
        (cv_dinst){in->id,  in->type->id,  in->type->version, in->action, in->severity,
                   in->off, in->type->def, d->ncrits,         0};
}

static void on_criterion(void *u, cv_inst *in, const cv_crit *c)
{
    dec *k = u;
    cv_decoded *d = k->d;
    if (c->op == CV_OP_WILDCARD || !in->type || d->ninsts == 0 ||
        d->insts[d->ninsts - 1].off != in->off)
        return;
    void *p = d->crits;
    if (cv_grow(&p, &d->crits_cap, d->ncrits + 1, sizeof *d->crits) != 0) {
        k->cx->oom = true;
        return;
    }
    d->crits = p;
    d->crits[d->ncrits++] = (cv_dcrit){c->index,   c->op,  c->flags, c->str_ok ? c->str : NULL,
                                       c->str_len, c->min, c->max,   c->off};
    d->insts[d->ninsts - 1].ncrit++;
}

void cv_decode(cv_ctx *cx, const uint8_t *data, size_t len, cv_decoded *d)
{
    *d = (cv_decoded){0};
    dec k = {cx, d};
    cv_bin_visitor v = {&k, on_instance, on_criterion, NULL};
    d->open = cv_bin_open(cx, data, len, &d->bin);
    if (d->open)
        cv_bin_walk(cx, &d->bin, &v);
}

void cv_decoded_free(cv_decoded *d)
{
    if (d->open)
        cv_bin_close(&d->bin);
    cv_free(d->insts);
    cv_free(d->crits);
    *d = (cv_decoded){0};
}
