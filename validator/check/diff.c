/* diff.c - what a content update changes, and the release checks on it
 * (CV600-CV604): two channel files decoded into instance lists, matched by
 * instance id. */
#include "check/diff.h"
#include "diag/rules.h"
#include "base/alloc.h"
#include "format/decode.h"
#include "base/escape.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* Instances sorted by id, for matching. */
typedef struct side {
    const uint8_t *data;
    size_t len;
    cv_decoded dec;
} side;

static int cmp_inst(const void *a, const void *b)
{
    const cv_dinst *x = a, *y = b;
    if (x->id != y->id)
        return x->id < y->id ? -1 : 1;
    return x->off < y->off ? -1 : x->off > y->off;
}

/* ---- describing changes --------------------------------------------- */

static const char *const actions[] = {"?", "log", "detect", "block"};
static const char *const severities[] = {"info", "low", "medium", "high", "critical"};

static void describe_crit(cv_ctx *cx, cv_buf *b, const cv_dcrit *c)
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

static bool same_crit(const cv_dcrit *a, const cv_dcrit *b)
{
    if (a->op != b->op || a->flags != b->flags)
        return false;
    if (a->op == CV_OP_RANGE)
        return a->min == b->min && a->max == b->max;
    return a->len == b->len &&
           (a->len == 0 || (a->str && b->str && !memcmp(a->str, b->str, a->len)));
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

static const char *field_name(const cv_dinst *in, uint32_t index)
{
    return in->def && index < in->def->nfields ? in->def->fields[index].name : NULL;
}

static void compare_criteria(cv_diff *d, cv_ctx *cx, const side *o, const cv_dinst *a,
                             const side *n, const cv_dinst *b, cv_buf *t)
{
    size_t i = 0, j = 0;
    while (i < a->ncrit || j < b->ncrit) {
        const cv_dcrit *x = i < a->ncrit ? &o->dec.crits[a->first + i] : NULL;
        const cv_dcrit *y = j < b->ncrit ? &n->dec.crits[b->first + j] : NULL;
        const cv_dcrit *at = x && (!y || x->index <= y->index) ? x : y;
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

static void summary_line(cv_buf *t, const cv_dinst *in)
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
    size_t count_off = n->dec.bin.have[CV_SEC_INSTANCES] ? n->dec.bin.sec[CV_SEC_INSTANCES].pos : 0;
    if (oc > 0 && (double)nc > (double)oc * limit) {
        chanval_diag *dg = cv_report(cx, CV600_INSTANCE_COUNT_GROWTH, count_off,
                                     "the instance count grows from %" PRIu64 " to %" PRIu64
                                     " (x%.2f), more than the allowed %" PRIu64 "%%",
                                     oc, nc, (double)nc / (double)oc, growth);
        cv_note(cx, dg,
                "a file that suddenly doubles is more often a generator bug than "
                "content; raise --max-growth only for a deliberate change");
    }
    if (d->old_size > 0 && (double)d->new_size > (double)d->old_size * limit)
        cv_report(cx, CV601_FILE_SIZE_GROWTH, 32,
                  "the file grows from %" PRIu64 " to %" PRIu64 " bytes (x%.2f), more than the "
                  "allowed %" PRIu64 "%%",
                  d->old_size, d->new_size, (double)d->new_size / (double)d->old_size, growth);
    if (n->dec.bin.content_version <= o->dec.bin.content_version) {
        chanval_diag *dg = cv_report(cx, CV603_CONTENT_VERSION_NOT_INCREASING, 24,
                                     "content_version %" PRIu64 " does not increase (was %" PRIu64
                                     "); sensors may keep the old content",
                                     n->dec.bin.content_version, o->dec.bin.content_version);
        cv_note(cx, dg, "every update needs a higher content version");
    }
    if (n->dec.bin.channel_id != o->dec.bin.channel_id)
        cv_report(cx, CV604_CHANNEL_ID_CHANGED, 16,
                  "channel_id changes from %" PRIu32 " to %" PRIu32, o->dec.bin.channel_id,
                  n->dec.bin.channel_id);
}

/* ---- entry point ----------------------------------------------------- */

/* Each side decoded (its container already checked: no findings here)
 * into instances sorted by id. */
static void decode_sides(cv_ctx *cx, side *sides[2])
{
    bool was_mute = cx->mute;
    cx->mute = true; /* what decoding finds was reported by the check */
    for (int k = 0; k < 2; k++) {
        cv_decoded *d = &sides[k]->dec;
        cv_decode(cx, sides[k]->data, sides[k]->len, d);
        if (d->ninsts > 1)
            qsort(d->insts, d->ninsts, sizeof *d->insts, cmp_inst);
    }
    cx->mute = was_mute;
}

/* An instance in both files. */
static void compare_instance(cv_diff *d, cv_ctx *cx, const side *o, const cv_dinst *a,
                             const side *n, const cv_dinst *b, cv_buf *t)
{
    if (a->type_id != b->type_id || a->type_version != b->type_version || a->action != b->action ||
        a->severity != b->severity) {
        cv_buf_printf(t, "instance %" PRIu32 ": ", b->id);
        summary_line(t, a);
        cv_buf_adds(t, " -> ");
        summary_line(t, b);
        change(d, cx, '~', b->id, -1, t);
    }
    if (b->action == 3 && a->action != 3) {
        chanval_diag *dg = cv_report(cx, CV602_BLOCK_INSTANCE_ADDED, b->off + 8,
                                     "instance %" PRIu32 " changes from %s to block", b->id,
                                     actions[a->action < 4 ? a->action : 0]);
        cv_set_instance(dg, b->id, -1);
    }
    compare_criteria(d, cx, o, a, n, b, t);
}

/* An instance only in the new file. */
static void added_instance(cv_diff *d, cv_ctx *cx, const cv_dinst *b, cv_buf *t)
{
    cv_buf_printf(t, "instance %" PRIu32 " added: ", b->id);
    summary_line(t, b);
    change(d, cx, '+', b->id, -1, t);
    if (b->action == 3) {
        chanval_diag *dg = cv_report(cx, CV602_BLOCK_INSTANCE_ADDED, b->off,
                                     "instance %" PRIu32 " is added with action block", b->id);
        cv_set_instance(dg, b->id, -1);
        cv_note(cx, dg,
                "a block instance stops events on every endpoint: have it "
                "reviewed before release");
    }
}

void cv_diff_compare(cv_ctx *cx, const uint8_t *old_data, size_t old_len, const uint8_t *new_data,
                     size_t new_len, uint64_t growth, cv_diff *d)
{
    side o = {.data = old_data, .len = old_len}, n = {.data = new_data, .len = new_len};
    side *sides[2] = {&o, &n};
    decode_sides(cx, sides);
    d->old_size = old_len;
    d->new_size = new_len;
    d->old_instances = o.dec.ninsts;
    d->new_instances = n.dec.ninsts;
    d->old_channel = o.dec.bin.channel_id;
    d->new_channel = n.dec.bin.channel_id;
    d->old_version = o.dec.bin.content_version;
    d->new_version = n.dec.bin.content_version;
    cv_buf t = {0};
    size_t i = 0, j = 0;
    while (!cx->oom && (i < o.dec.ninsts || j < n.dec.ninsts)) {
        const cv_dinst *a = i < o.dec.ninsts ? &o.dec.insts[i] : NULL;
        const cv_dinst *b = j < n.dec.ninsts ? &n.dec.insts[j] : NULL;
        if (a && b && a->id == b->id) {
            compare_instance(d, cx, &o, a, &n, b, &t);
            i++, j++;
        } else if (a && (!b || a->id < b->id)) {
            cv_buf_printf(&t, "instance %" PRIu32 " removed: ", a->id);
            summary_line(&t, a);
            change(d, cx, '-', a->id, -1, &t);
            i++;
        } else if (b) {
            added_instance(d, cx, b, &t);
            j++;
        }
    }
    cv_buf_free(&t);
    release_checks(cx, d, &o, &n, growth);
    cv_decoded_free(&o.dec);
    cv_decoded_free(&n.dec);
}

void cv_diff_free(cv_diff *d)
{
    if (!d)
        return;
    cv_free(d->changes);
    cv_arena_free(&d->arena);
    cv_free(d);
}
