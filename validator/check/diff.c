/* diff.c - what a content update changes, and the release checks on it
 * (CV600-CV604): two channel files decoded into instance lists, matched by
 * instance id. */
#include "check/diff.h"
#include "base/alloc.h"
#include "format/binfile.h"
#include "base/fileio.h"
#include "base/escape.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

typedef struct dcrit {
    uint32_t index;
    uint8_t op, flags;
    const uint8_t *str;
    uint32_t len;
    int64_t min, max;
} dcrit;

typedef struct dinst {
    uint32_t id;
    uint32_t type_id;
    uint16_t type_version;
    uint8_t action, severity;
    size_t off;
    const cv_type *def;
    size_t first, ncrit; /* into side.crits */
} dinst;

typedef struct side {
    cv_file_data fd;
    cv_bin bin;
    dinst *insts;
    size_t ninsts, insts_cap;
    dcrit *crits;
    size_t ncrits, crits_cap;
    bool oom;
} side;

static void on_instance(void *u, cv_inst *in)
{
    side *sd = u;
    void *p = sd->insts;
    if (!in->type || cv_grow(&p, &sd->insts_cap, sd->ninsts + 1, sizeof *sd->insts) != 0) {
        sd->oom = sd->oom || in->type;
        return;
    }
    sd->insts = p;
    sd->insts[sd->ninsts++] = (dinst){in->id,     in->type->id, in->type->version, in->action,
                                      in->severity, in->off,    in->type->def,    sd->ncrits, 0};
}

static void on_criterion(void *u, cv_inst *in, const cv_crit *c)
{
    side *sd = u;
    (void)in;
    if (c->op == CV_OP_WILDCARD || sd->ninsts == 0)
        return;
    void *p = sd->crits;
    if (cv_grow(&p, &sd->crits_cap, sd->ncrits + 1, sizeof *sd->crits) != 0) {
        sd->oom = true;
        return;
    }
    sd->crits = p;
    sd->crits[sd->ncrits++] = (dcrit){c->index, c->op,  c->flags, c->str_ok ? c->str : NULL,
                                      c->str_len, c->min, c->max};
    sd->insts[sd->ninsts - 1].ncrit++;
}

static int cmp_inst(const void *a, const void *b)
{
    const dinst *x = a, *y = b;
    if (x->id != y->id)
        return x->id < y->id ? -1 : 1;
    return x->off < y->off ? -1 : x->off > y->off;
}

static void side_free(side *sd)
{
    cv_bin_close(&sd->bin);
    cv_file_data_free(&sd->fd);
    cv_free(sd->insts);
    cv_free(sd->crits);
}

/* ---- describing changes --------------------------------------------- */

static const char *const actions[] = {"?", "log", "detect", "block"};
static const char *const severities[] = {"info", "low", "medium", "high", "critical"};

static void describe_crit(cv_ctx *cx, cv_buf *b, const dcrit *c)
{
    if (c->op == CV_OP_RANGE)
        cv_buf_printf(b, "range [%" PRId64 ", %" PRId64 "]", c->min, c->max);
    else
        cv_buf_printf(b, "%s %s", cv_op_name(c->op),
                      c->str ? cv_quote(cx, 0, c->str, c->len, 60) : "(unreadable)");
    if (c->flags & CV_FLAG_CASELESS)
        cv_buf_adds(b, " case-insensitive");
    if (c->flags & CV_FLAG_NEGATE)
        cv_buf_adds(b, " negated");
}

static bool same_crit(const dcrit *a, const dcrit *b)
{
    if (a->op != b->op || a->flags != b->flags)
        return false;
    if (a->op == CV_OP_RANGE)
        return a->min == b->min && a->max == b->max;
    return a->len == b->len && (a->len == 0 || (a->str && b->str && !memcmp(a->str, b->str, a->len)));
}

static void change(cv_diff *d, cv_ctx *cx, char kind, uint32_t id, int32_t crit, cv_buf *text)
{
    void *p = d->changes;
    if (text->oom || cv_grow(&p, &d->changes_cap, d->nchanges + 1, sizeof *d->changes) != 0) {
        cx->oom = true;
        return;
    }
    d->changes = p;
    char *t = cv_arena_strndup(&d->arena, text->data ? text->data : "", text->len);
    if (!t) {
        cx->oom = true;
        return;
    }
    d->changes[d->nchanges++] = (cv_change){kind, id, crit, t};
    text->len = 0;
}

static const char *field_name(const dinst *in, uint32_t index)
{
    return in->def && index < in->def->nfields ? in->def->fields[index].name : NULL;
}

static void compare_criteria(cv_diff *d, cv_ctx *cx, const side *o, const dinst *a, const side *n,
                             const dinst *b, cv_buf *t)
{
    size_t i = 0, j = 0;
    while (i < a->ncrit || j < b->ncrit) {
        const dcrit *x = i < a->ncrit ? &o->crits[a->first + i] : NULL;
        const dcrit *y = j < b->ncrit ? &n->crits[b->first + j] : NULL;
        const dcrit *at = x && (!y || x->index <= y->index) ? x : y;
        if (!at)
            break;
        const char *fname = field_name(b, at->index);
        cv_buf_printf(t, "instance %" PRIu32 " criterion %" PRIu32, b->id, at->index);
        if (fname)
            cv_buf_printf(t, " (field \"%s\")", fname);
        if (x && y && x->index == y->index) {
            if (!same_crit(x, y)) {
                cv_buf_adds(t, ": ");
                describe_crit(cx, t, x);
                cv_buf_adds(t, " -> ");
                describe_crit(cx, t, y);
                change(d, cx, '~', b->id, (int32_t)at->index, t);
            }
            i++, j++;
        } else if (x && at == x) {
            cv_buf_adds(t, ": ");
            describe_crit(cx, t, x);
            cv_buf_adds(t, " -> wildcard");
            change(d, cx, '~', b->id, (int32_t)at->index, t);
            i++;
        } else {
            cv_buf_adds(t, ": wildcard -> ");
            describe_crit(cx, t, at);
            change(d, cx, '~', b->id, (int32_t)at->index, t);
            j++;
        }
        t->len = 0;
    }
}

static void summary_line(cv_buf *t, const dinst *in)
{
    cv_buf_printf(t, "type %" PRIu32 " v%u, %s/%s, %zu criteri%s", in->type_id,
                  (unsigned)in->type_version, actions[in->action < 4 ? in->action : 0],
                  severities[in->severity < 5 ? in->severity : 0], in->ncrit,
                  in->ncrit == 1 ? "on" : "a");
}

/* ---- the release checks --------------------------------------------- */

static void release_checks(cv_ctx *cx, const cv_diff *d, const side *o, const side *n,
                           uint64_t growth)
{
    uint64_t oc = d->old_instances, nc = d->new_instances;
    double limit = 1.0 + (double)growth / 100.0;
    size_t count_off = n->bin.have[CV_SEC_INSTANCES] ? n->bin.sec[CV_SEC_INSTANCES].pos : 0;
    if (oc > 0 && (double)nc > (double)oc * limit) {
        chanval_diag *dg = cv_report(cx, 600, count_off,
                                     "the instance count grows from %" PRIu64 " to %" PRIu64
                                     " (x%.2f), more than the allowed %" PRIu64 "%%",
                                     oc, nc, (double)nc / (double)oc, growth);
        cv_note(cx, dg, "a file that suddenly doubles is more often a generator bug than "
                        "content; raise --max-growth only for a deliberate change");
    }
    if (d->old_size > 0 && (double)d->new_size > (double)d->old_size * limit)
        cv_report(cx, 601, 32,
                  "the file grows from %" PRIu64 " to %" PRIu64 " bytes (x%.2f), more than the "
                  "allowed %" PRIu64 "%%",
                  d->old_size, d->new_size, (double)d->new_size / (double)d->old_size, growth);
    if (n->bin.content_version <= o->bin.content_version) {
        chanval_diag *dg = cv_report(cx, 603, 24,
                                     "content_version %" PRIu64 " does not increase (was %" PRIu64
                                     "); sensors may keep the old content",
                                     n->bin.content_version, o->bin.content_version);
        cv_note(cx, dg, "every update needs a higher content version");
    }
    if (n->bin.channel_id != o->bin.channel_id)
        cv_report(cx, 604, 16, "channel_id changes from %" PRIu32 " to %" PRIu32,
                  o->bin.channel_id, n->bin.channel_id);
}

/* ---- entry point ----------------------------------------------------- */

static chanval_status load(chanval_session *s, const char *path, side *sd, size_t *index)
{
    s->last_error[0] = '\0';
    chanval_status st = cv_read_file(path, s->limits[CHANVAL_LIMIT_BYTES], &sd->fd, s->last_error,
                                     sizeof s->last_error);
    if (st != CHANVAL_OK)
        return st;
    if (!cv_input_seen(s, sd->fd.id.dev, sd->fd.id.ino))
        return CHANVAL_ERR_NOMEM;
    /* the file is checked as usual, from the bytes compared below (not read
     * a second time): its findings are part of the report */
    size_t before = s->nfiles;
    st = cv_check_read(s, path, &sd->fd);
    *index = s->nfiles > before ? s->nfiles - 1 : SIZE_MAX;
    return st;
}

chanval_status chanval_diff_paths(chanval_session *s, const char *old_path, const char *new_path)
{
    if (cv_world_freeze(&s->world) != 0)
        return CHANVAL_ERR_NOMEM;
    side o = {0}, n = {0};
    size_t oi = SIZE_MAX, ni = SIZE_MAX;
    chanval_status st = load(s, old_path, &o, &oi);
    if (st == CHANVAL_OK)
        st = load(s, new_path, &n, &ni);
    cv_diff *d = NULL;
    if (st == CHANVAL_OK && oi != SIZE_MAX && ni != SIZE_MAX &&
        s->files[oi]->kind == CHANVAL_KIND_CHANNEL && s->files[ni]->kind == CHANVAL_KIND_CHANNEL &&
        !cv_diff_blocked(s->files[oi]) && !cv_diff_blocked(s->files[ni])) {
        d = cv_calloc(1, sizeof *d);
        if (!d)
            st = CHANVAL_ERR_NOMEM;
    }
    if (d) {
        chanval_file *nf = s->files[ni];
        cv_ctx cx = {.s = s, .f = nf, .file_index = ni};
        cv_ctx mute = {.s = s, .f = nf, .file_index = ni, .mute = true};
        side *sides[2] = {&o, &n};
        for (int k = 0; k < 2; k++) {
            cv_bin_visitor v = {sides[k], on_instance, on_criterion, NULL};
            if (cv_bin_open(&mute, sides[k]->fd.data, sides[k]->fd.len, &sides[k]->bin))
                cv_bin_walk(&mute, &sides[k]->bin, &v);
            if (sides[k]->oom)
                cx.oom = true;
            if (sides[k]->ninsts > 1)
                qsort(sides[k]->insts, sides[k]->ninsts, sizeof *sides[k]->insts, cmp_inst);
        }
        d->old_path = s->files[oi]->path;
        d->new_path = nf->path;
        d->old_size = o.fd.len;
        d->new_size = n.fd.len;
        d->old_instances = o.ninsts;
        d->new_instances = n.ninsts;
        d->old_channel = o.bin.channel_id;
        d->new_channel = n.bin.channel_id;
        d->old_version = o.bin.content_version;
        d->new_version = n.bin.content_version;
        cv_buf t = {0};
        size_t i = 0, j = 0;
        while (!cx.oom && (i < o.ninsts || j < n.ninsts)) {
            const dinst *a = i < o.ninsts ? &o.insts[i] : NULL;
            const dinst *b = j < n.ninsts ? &n.insts[j] : NULL;
            if (a && b && a->id == b->id) {
                if (a->type_id != b->type_id || a->type_version != b->type_version ||
                    a->action != b->action || a->severity != b->severity) {
                    cv_buf_printf(&t, "instance %" PRIu32 ": ", b->id);
                    summary_line(&t, a);
                    cv_buf_adds(&t, " -> ");
                    summary_line(&t, b);
                    change(d, &cx, '~', b->id, -1, &t);
                }
                if (b->action == 3 && a->action != 3) {
                    chanval_diag *dg = cv_report(&cx, 602, b->off + 8,
                                                 "instance %" PRIu32 " changes from %s to block",
                                                 b->id, actions[a->action < 4 ? a->action : 0]);
                    cv_set_instance(dg, b->id, -1);
                }
                compare_criteria(d, &cx, &o, a, &n, b, &t);
                i++, j++;
            } else if (a && (!b || a->id < b->id)) {
                cv_buf_printf(&t, "instance %" PRIu32 " removed: ", a->id);
                summary_line(&t, a);
                change(d, &cx, '-', a->id, -1, &t);
                i++;
            } else if (b) {
                cv_buf_printf(&t, "instance %" PRIu32 " added: ", b->id);
                summary_line(&t, b);
                change(d, &cx, '+', b->id, -1, &t);
                if (b->action == 3) {
                    chanval_diag *dg = cv_report(&cx, 602, b->off,
                                                 "instance %" PRIu32 " is added with action block",
                                                 b->id);
                    cv_set_instance(dg, b->id, -1);
                    cv_note(&cx, dg, "a block instance stops events on every endpoint: have it "
                                     "reviewed before release");
                }
                j++;
            }
        }
        cv_buf_free(&t);
        release_checks(&cx, d, &o, &n, s->growth_percent);
        cv_ctx_done(&cx);
        if (cx.oom || cv_file_finish(s, nf) != 0)
            st = CHANVAL_ERR_NOMEM;
        cv_diff_free(s->diff);
        s->diff = d;
    }
    side_free(&o);
    side_free(&n);
    if (st == CHANVAL_ERR_NOMEM)
        cv_set_nomem(s);
    else if (st == CHANVAL_ERR_IO) /* the report names it; the exit code is 2 */
        cv_io_error_add(s, oi == SIZE_MAX ? old_path : new_path, s->last_error);
    return st;
}

void cv_diff_free(cv_diff *d)
{
    if (!d)
        return;
    cv_free(d->changes);
    cv_arena_free(&d->arena);
    cv_free(d);
}

void chanval_set_max_growth(chanval_session *s, uint64_t percent) { s->growth_percent = percent; }
