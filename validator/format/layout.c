/* layout.c - the bytes behind a file's findings, kept for the reports that
 * show them (chanval view, text with context, HTML): excerpts of the bytes
 * as checked and, for a channel file, the structures over them.
 *
 * The structures come from a second, muted walk with the checker's own
 * reader and limits, so the view never places a byte the checker did not
 * read the same way, and everything it cannot place is said to be
 * unclaimed.  Only what meets an excerpt is kept: memory follows the
 * excerpts, never the file. */
#include "format/layout.h"
#include "format/binfile.h"
#include "base/alloc.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* XML_MAX_LINES bounds the excerpt entries of one document */
enum { LINE = 16, XML_LINE_MAX = 4096, XML_MAX_LINES = 100000, QUOTE_MAX = 48 };

typedef struct win {
    uint64_t start, end;
} win;

typedef struct lay {
    cv_ctx *cx;
    cv_excerpts *ex;
    const uint8_t *data;
    size_t len;
    const win *w;
    size_t nw;
    int64_t record; /* the walk's current record */
    uint64_t walk_end;
    bool find_only; /* INSTANCE: first find the record */
    uint32_t want_id;
    bool found;
    uint64_t found_start, found_end;
} lay;

const char *chanval_span_kind_name(chanval_span_kind k)
{
    static const char *const names[] = {
        "unclaimed", "header",    "digest",    "section table", "STRINGS", "TYPES",
        "INSTANCES", "record",    "criterion", "payload",       "padding"};
    return (unsigned)k < CHANVAL_SPAN_KIND_COUNT ? names[k] : "unknown";
}

/* Does [a, b) meet a window? */
static bool meets(const lay *L, uint64_t a, uint64_t b)
{
    size_t lo = 0, hi = L->nw;
    while (lo < hi) { /* first window ending after a */
        size_t mid = lo + (hi - lo) / 2;
        if (L->w[mid].end <= a)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < L->nw && L->w[lo].start < b;
}

static void add(lay *L, bool always, uint64_t off, uint64_t n, chanval_span_kind kind,
                unsigned depth, int32_t crit, const char *fmt, ...)
    __attribute__((format(printf, 8, 9)));

static void add(lay *L, bool always, uint64_t off, uint64_t n, chanval_span_kind kind,
                unsigned depth, int32_t crit, const char *fmt, ...)
{
    cv_excerpts *ex = L->ex;
    if (n == 0 || (!always && !meets(L, off, off + n)) || L->cx->oom)
        return;
    if (cv_grow((void **)&ex->spans, &ex->spans_cap, ex->nspans + 1, sizeof *ex->spans) != 0) {
        L->cx->oom = true;
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    char *label = cv_arena_vprintf(&ex->arena, fmt, ap);
    va_end(ap);
    if (!label) {
        L->cx->oom = true;
        return;
    }
    ex->spans[ex->nspans++] = (chanval_span){off,   n,   kind, depth, depth >= 1 ? L->record : -1,
                                             crit, label};
}

/* ---- the header and the section table ------------------------------------ */

static void header(lay *L)
{
    cv_reader r = cv_reader_make(L->data, L->len);
    uint16_t major = 0, minor = 0;
    uint32_t hsize = 0, flags = 0, chan = 0, count = 0, table = 0, reserved = 0;
    uint64_t version = 0, fsize = 0;
    const uint8_t *magic = cv_bytes(&r, 4);
    uint64_t have = L->len < CV_HEADER_SIZE ? L->len : CV_HEADER_SIZE;
    add(L, true, 0, have, CHANVAL_SPAN_HEADER, 0, -1, "header (%s)",
        have == CV_HEADER_SIZE ? "80 bytes" : "cut short: a header has 80 bytes");
    L->record = -1;
    if (!magic)
        return;
    add(L, false, 0, 4, CHANVAL_SPAN_HEADER, 1, -1, "magic %s",
        cv_quote(L->cx, 0, magic, 4, 4));
    if (cv_u16le(&r, &major) && cv_u16le(&r, &minor))
        add(L, false, 4, 4, CHANVAL_SPAN_HEADER, 1, -1, "format %u.%u", major, minor);
    if (cv_u32le(&r, &hsize))
        add(L, false, 8, 4, CHANVAL_SPAN_HEADER, 1, -1, "header_size %" PRIu32, hsize);
    if (cv_u32le(&r, &flags))
        add(L, false, 12, 4, CHANVAL_SPAN_HEADER, 1, -1, "flags 0x%08" PRIx32, flags);
    if (cv_u32le(&r, &chan))
        add(L, false, 16, 4, CHANVAL_SPAN_HEADER, 1, -1, "channel_id %" PRIu32, chan);
    if (cv_u32le(&r, &count))
        add(L, false, 20, 4, CHANVAL_SPAN_HEADER, 1, -1, "section_count %" PRIu32, count);
    if (cv_u64le(&r, &version))
        add(L, false, 24, 8, CHANVAL_SPAN_HEADER, 1, -1, "content_version %" PRIu64, version);
    if (cv_u64le(&r, &fsize))
        add(L, false, 32, 8, CHANVAL_SPAN_HEADER, 1, -1, "file_size %" PRIu64, fsize);
    if (cv_u32le(&r, &table))
        add(L, false, 40, 4, CHANVAL_SPAN_HEADER, 1, -1, "section_table_offset %" PRIu32, table);
    if (cv_u32le(&r, &reserved))
        add(L, false, 44, 4, CHANVAL_SPAN_HEADER, 1, -1, "reserved 0x%08" PRIx32, reserved);
    const uint8_t *digest = cv_bytes(&r, 32);
    if (digest) {
        static const char hexd[] = "0123456789abcdef";
        char h[17];
        for (size_t i = 0; i < 8; i++) {
            h[2 * i] = hexd[digest[i] >> 4];
            h[2 * i + 1] = hexd[digest[i] & 15];
        }
        h[16] = '\0';
        add(L, false, 48, 32, CHANVAL_SPAN_DIGEST, 1, -1,
            "SHA-256 %s... (of the file, with these 32 bytes as zero)", h);
    }
}

/* A section the table places inside the file: its span, and for TYPES its
 * entries. */
static void types_entries(lay *L, const cv_reader *sec)
{
    cv_reader r = *sec;
    uint32_t count = 0;
    size_t start = r.pos;
    if (!cv_u32le(&r, &count))
        return;
    add(L, false, start, 4, CHANVAL_SPAN_TYPES, 1, -1, "TYPES count %" PRIu32, count);
    for (uint64_t i = 0; i < count && cv_has(&r, 8); i++) {
        size_t e = r.pos;
        uint32_t id = 0;
        uint16_t ver = 0, fc = 0;
        cv_u32le(&r, &id);
        cv_u16le(&r, &ver);
        cv_u16le(&r, &fc);
        if (!meets(L, e, e + 8))
            continue;
        const cv_type *t = cv_world_type(L->cx->world, id, ver);
        add(L, false, e, 8, CHANVAL_SPAN_TYPES, 1, -1,
            "type entry %" PRIu64 ": type %" PRIu32 " v%u, %u fields%s%s%s", i, id, ver, fc,
            t ? " (" : " (not in the template types)", t ? t->name : "", t ? ")" : "");
    }
    if (cv_remaining(&r) > 0)
        add(L, false, r.pos, cv_remaining(&r), CHANVAL_SPAN_UNCLAIMED, 1, -1,
            "%zu bytes past the TYPES entries", cv_remaining(&r));
}

/* ---- the instance records, through the checker's own walk -------------- */

static const char *action_word(uint8_t a)
{
    static const char *const w[] = {"action 0?", "log", "detect", "block"};
    return a <= 3 ? w[a] : "unknown action";
}

static const char *severity_word(uint8_t s)
{
    static const char *const w[] = {"info", "low", "medium", "high", "critical"};
    return s <= 4 ? w[s] : "unknown severity";
}

static void on_instance(void *user, cv_inst *in)
{
    lay *L = user;
    L->record++;
    uint64_t size = 16 + (uint64_t)CV_CRITERION_SIZE * in->field_count;
    L->walk_end = in->off + size;
    if (L->find_only) {
        if (!L->found && in->id == L->want_id) {
            L->found = true;
            L->found_start = in->off;
            L->found_end = in->off + size;
        }
        return;
    }
    if (!meets(L, in->off, in->off + size))
        return;
    const cv_tuse *t = in->type;
    const char *name = t && t->def ? t->def->name : NULL;
    char type[96];
    if (t)
        snprintf(type, sizeof type, "type %" PRIu32 " v%u%s%s%s", t->id, (unsigned)t->version,
                 name ? " \"" : "", name ? name : "", name ? "\"" : "");
    else
        snprintf(type, sizeof type, "no type (type_index out of range)");
    add(L, false, in->off, size, CHANVAL_SPAN_RECORD, 1, -1,
        "instance %" PRIu32 " (record %" PRId64 "): %s, %" PRIu32 " criteria, %s, %s", in->id,
        L->record, type, in->field_count, action_word(in->action), severity_word(in->severity));
    cv_reader r = cv_reader_make(L->data, L->len);
    uint32_t rsize = 0;
    uint16_t tindex = 0;
    if (cv_window(&r, in->off + 4, 2, &r))
        cv_u16le(&r, &tindex);
    r = cv_reader_make(L->data, L->len);
    if (cv_window(&r, in->off + 12, 4, &r))
        cv_u32le(&r, &rsize);
    add(L, false, in->off, 16, CHANVAL_SPAN_RECORD, 2, -1,
        "record header: instance_id %" PRIu32 ", type_index %u, field_count %" PRIu32
        ", action %u, severity %u, record_size %" PRIu32,
        in->id, tindex, in->field_count, in->action, in->severity, rsize);
}

static void on_criterion(void *user, cv_inst *in, const cv_crit *c)
{
    lay *L = user;
    if (L->find_only || !meets(L, c->off, c->off + CV_CRITERION_SIZE))
        return;
    const cv_type *def = in->type ? in->type->def : NULL;
    const char *field = def && c->index < def->nfields ? def->fields[c->index].name : NULL;
    char where[128];
    if (field)
        snprintf(where, sizeof where, " field \"%s\"", field);
    else if (def)
        snprintf(where, sizeof where, " (past the type's %" PRIu32 " fields)", def->nfields);
    else
        where[0] = '\0';
    const char *flags = (c->flags & CV_FLAG_CASELESS) && (c->flags & CV_FLAG_NEGATE)
                            ? " caseless negate"
                        : (c->flags & CV_FLAG_CASELESS) ? " caseless"
                        : (c->flags & CV_FLAG_NEGATE)   ? " negate"
                                                        : "";
    int32_t ci = (int32_t)c->index;
    if (c->op == CV_OP_EQUALS || c->op == CV_OP_REGEX) {
        if (c->str_ok)
            add(L, false, c->off, CV_CRITERION_SIZE, CHANVAL_SPAN_CRITERION, 2, ci,
                "instance %" PRIu32 " criterion %" PRIu32 ": op=%s%s%s %s%s", in->id,
                c->index, cv_op_name(c->op), where, flags,
                cv_quote(L->cx, 0, c->str, c->str_len, QUOTE_MAX),
                c->str_len > QUOTE_MAX ? "..." : "");
        else
            add(L, false, c->off, CV_CRITERION_SIZE, CHANVAL_SPAN_CRITERION, 2, ci,
                "instance %" PRIu32 " criterion %" PRIu32 ": op=%s%s%s, string not readable",
                in->id, c->index, cv_op_name(c->op), where, flags);
    } else if (c->op == CV_OP_RANGE) {
        add(L, false, c->off, CV_CRITERION_SIZE, CHANVAL_SPAN_CRITERION, 2, ci,
            "instance %" PRIu32 " criterion %" PRIu32 ": op=range%s%s %" PRId64 "..%" PRId64,
            in->id, c->index, where, flags, c->min, c->max);
    } else {
        add(L, false, c->off, CV_CRITERION_SIZE, CHANVAL_SPAN_CRITERION, 2, ci,
            "instance %" PRIu32 " criterion %" PRIu32 ": op=%s%s%s", in->id, c->index,
            c->op == CV_OP_WILDCARD ? "wildcard" : "unknown", where, flags);
    }
    /* the payload as the interpreter reads it */
    cv_reader r = cv_reader_make(L->data, L->len);
    uint32_t soff = 0;
    if (cv_window(&r, c->off + 4, 4, &r))
        cv_u32le(&r, &soff);
    if (c->op == CV_OP_EQUALS || c->op == CV_OP_REGEX)
        add(L, false, c->off + 4, 16, CHANVAL_SPAN_PAYLOAD, 3, ci,
            "string at STRINGS+0x%" PRIx32 ", %" PRIu32 " bytes", soff, c->str_len);
    else if (c->op == CV_OP_RANGE)
        add(L, false, c->off + 4, 16, CHANVAL_SPAN_PAYLOAD, 3, ci, "min %" PRId64 ", max %" PRId64,
            c->min, c->max);
    else
        add(L, false, c->off + 4, 16, CHANVAL_SPAN_PAYLOAD, 3, ci, "payload");
}

static void instances(lay *L, const cv_bin *b)
{
    cv_reader r = b->sec[CV_SEC_INSTANCES];
    size_t start = r.pos, end = r.end;
    uint32_t count = 0;
    if (!cv_u32le(&r, &count))
        return;
    if (!L->find_only)
        add(L, false, start, 4, CHANVAL_SPAN_INSTANCES, 1, -1, "INSTANCES count %" PRIu32, count);
    L->record = -1;
    L->walk_end = start + 4;
    cv_bin_visitor v = {.user = L, .instance = on_instance, .criterion = on_criterion};
    cv_bin_walk(L->cx, b, &v);
    L->record = -1;
    if (!L->find_only && L->walk_end < end)
        add(L, false, L->walk_end, end - L->walk_end, CHANVAL_SPAN_UNCLAIMED, 1, -1,
            "%" PRIu64 " bytes of INSTANCES that no record claims", end - L->walk_end);
}

/* Depth 0: the sections the table places inside the file. */
static void sections(lay *L, const cv_bin *b)
{
    uint64_t table_end = CV_HEADER_SIZE + (uint64_t)b->section_count * CV_SECTION_ENTRY;
    add(L, true, CV_HEADER_SIZE, table_end - CV_HEADER_SIZE, CHANVAL_SPAN_SECTION_TABLE, 0, -1,
        "section table (%" PRIu32 " entries)", b->section_count);
    cv_reader t = cv_reader_make(L->data, L->len);
    t.pos = CV_HEADER_SIZE;
    for (uint32_t i = 0; i < b->section_count; i++) {
        size_t e = t.pos;
        uint32_t kind = 0, off = 0, size = 0, res = 0;
        if (!cv_u32le(&t, &kind) || !cv_u32le(&t, &off) || !cv_u32le(&t, &size) ||
            !cv_u32le(&t, &res))
            break;
        const char *w = cv_section_name(kind);
        char kw[32];
        snprintf(kw, sizeof kw, "unknown kind %" PRIu32, kind);
        add(L, false, e, 16, CHANVAL_SPAN_SECTION_TABLE, 1, -1,
            "section %" PRIu32 ": %s at 0x%" PRIx32 ", %" PRIu32 " bytes%s", i, w ? w : kw, off,
            size, res ? ", reserved not zero" : "");
        uint64_t send = (uint64_t)off + size;
        if (size == 0 || send > L->len)
            continue; /* occupies nothing, or nothing inside the file */
        bool used = w && b->have[kind] && b->sec_entry[kind] == e;
        chanval_span_kind k = !w      ? CHANVAL_SPAN_UNCLAIMED
                              : kind == CV_SEC_STRINGS ? CHANVAL_SPAN_STRINGS
                              : kind == CV_SEC_TYPES   ? CHANVAL_SPAN_TYPES
                                                       : CHANVAL_SPAN_INSTANCES;
        add(L, true, off, size, k, 0, -1, "%s section %" PRIu32 " (%" PRIu32 " bytes)%s",
            w ? w : kw, i, size, !w || used ? "" : ", a second one: not read");
    }
    if (b->have[CV_SEC_TYPES])
        types_entries(L, &b->sec[CV_SEC_TYPES]);
}

/* Depth 0: what lies between the header, the table and the sections. */
static int by_offset(const void *a, const void *b)
{
    const chanval_span *x = a, *y = b;
    if (x->offset != y->offset)
        return x->offset < y->offset ? -1 : 1;
    if (x->depth != y->depth)
        return x->depth < y->depth ? -1 : 1;
    /* same start and depth: the longer first, then the order added (label
     * pointers grow within an arena block, but that is no order to rely
     * on; lengths differ wherever it matters) */
    return x->length > y->length ? -1 : x->length < y->length;
}

static void gaps(lay *L)
{
    cv_excerpts *ex = L->ex;
    size_t n0 = ex->nspans;
    uint64_t cur = 0;
    for (size_t i = 0; i < n0 && !L->cx->oom; i++) {
        /* add() may move the array: take the values first */
        uint64_t off = ex->spans[i].offset, len = ex->spans[i].length;
        if (ex->spans[i].depth != 0)
            continue;
        if (off > cur) {
            uint64_t gap = off - cur;
            bool zero = gap < 4;
            for (uint64_t k = cur; k < off && zero; k++)
                zero = L->data[k] == 0;
            if (gap < 4 && zero && off % 4 == 0)
                add(L, true, cur, gap, CHANVAL_SPAN_PADDING, 0, -1, "padding (%" PRIu64 " bytes)",
                    gap);
            else
                add(L, true, cur, gap, CHANVAL_SPAN_UNCLAIMED, 0, -1,
                    "%" PRIu64 " bytes no structure claims", gap);
        }
        if (off + len > cur)
            cur = off + len;
    }
    if (cur < L->len)
        add(L, true, cur, L->len - cur, CHANVAL_SPAN_UNCLAIMED, 0, -1,
            "%" PRIu64 " bytes no structure claims", (uint64_t)L->len - cur);
}

static void sort_spans(cv_excerpts *ex)
{
    if (ex->nspans > 1)
        qsort(ex->spans, ex->nspans, sizeof *ex->spans, by_offset);
}

/* ---- windows -------------------------------------------------------------- */

typedef struct wins {
    win *w;
    size_t n, cap;
} wins;

static bool push(wins *ws, uint64_t start, uint64_t end)
{
    if (ws->n > 0 && start <= ws->w[ws->n - 1].end) { /* merge */
        if (end > ws->w[ws->n - 1].end)
            ws->w[ws->n - 1].end = end;
        return true;
    }
    if (cv_grow((void **)&ws->w, &ws->cap, ws->n + 1, sizeof *ws->w) != 0)
        return false;
    ws->w[ws->n++] = (win){start, end};
    return true;
}

/* Lines around each finding located by offset (the diagnostics are sorted
 * by location); the criterion a finding is in is shown whole. */
static bool finding_windows(cv_ctx *cx, size_t len, unsigned ctx, wins *ws, size_t *dropped)
{
    const chanval_file *f = cx->f;
    for (size_t i = 0; i < f->ndiags; i++) {
        const chanval_diag *d = &f->diags[i];
        if (d->loc_kind != CHANVAL_LOC_OFFSET || d->offset >= len)
            continue;
        uint64_t first = d->offset / LINE, last = (d->offset + CV_CRITERION_SIZE - 1) / LINE;
        uint64_t start = first > ctx ? (first - ctx) * LINE : 0;
        uint64_t end = (last + ctx + 1) * LINE;
        if (end > len)
            end = len;
        bool merges = ws->n > 0 && start <= ws->w[ws->n - 1].end;
        if (!merges && ws->n >= CHANVAL_EXCERPT_MAX_WINDOWS) {
            (*dropped)++;
            continue;
        }
        if (!push(ws, start, end))
            return false;
    }
    return true;
}

static bool keep_bytes(cv_excerpts *ex, const uint8_t *data, uint64_t off, size_t n, uint32_t line,
                       bool cut)
{
    uint8_t *copy = cv_arena_alloc(&ex->arena, n ? n : 1);
    if (!copy || cv_grow((void **)&ex->win, &ex->win_cap, ex->nwin + 1, sizeof *ex->win) != 0)
        return false;
    memcpy(copy, data + off, n);
    ex->win[ex->nwin++] = (chanval_excerpt){off, n, line, cut, copy};
    return true;
}

static void binary(cv_ctx *cx, const uint8_t *data, size_t len, const chanval_excerpt_options *o,
                   cv_excerpts *ex)
{
    wins ws = {0};
    lay L = {.cx = cx, .ex = ex, .data = data, .len = len, .record = -1};
    cv_bin b;
    bool open = cv_bin_open(cx, data, len, &b);
    bool ok = true;
    uint64_t cap = CHANVAL_EXCERPT_MAX_BYTES;
    switch (o->mode) {
    case CHANVAL_EXCERPT_ALL:
        ok = push(&ws, 0, len < cap ? len : cap);
        break;
    case CHANVAL_EXCERPT_RANGE:
        if (o->start < len) {
            uint64_t end = o->end < len ? o->end : len;
            uint64_t start = o->start / LINE * LINE;
            end = end % LINE ? end + (LINE - end % LINE) : end;
            ok = push(&ws, start, end < len ? end : len);
        }
        break;
    case CHANVAL_EXCERPT_INSTANCE:
        if (open && b.have[CV_SEC_INSTANCES]) {
            L.find_only = true;
            L.want_id = o->instance;
            instances(&L, &b);
            L.find_only = false;
            if (L.found) {
                uint64_t s = L.found_start / LINE * LINE, e = L.found_end;
                e = e % LINE ? e + (LINE - e % LINE) : e;
                if (e - s > cap)
                    e = s + cap;
                ok = push(&ws, s, e < len ? e : len);
            }
        }
        break;
    default:
        if (len < o->whole_below)
            ok = push(&ws, 0, len);
        else
            ok = finding_windows(cx, len, o->context, &ws, &ex->dropped);
        break;
    }
    L.w = ws.w;
    L.nw = ws.n;
    for (size_t i = 0; ok && i < ws.n; i++)
        ok = keep_bytes(ex, data, ws.w[i].start, (size_t)(ws.w[i].end - ws.w[i].start), 0, false);
    if (!ok)
        cx->oom = true;
    header(&L);
    if (open && !cx->oom) {
        sections(&L, &b);
        if (b.have[CV_SEC_INSTANCES] && L.nw > 0) /* records only where bytes are shown */
            instances(&L, &b);
    }
    if (!cx->oom) {
        sort_spans(ex);
        gaps(&L);
        sort_spans(ex);
    }
    if (open)
        cv_bin_close(&b);
    cv_free(ws.w);
}

/* ---- XML: whole lines ---------------------------------------------------- */

static void xml(cv_ctx *cx, const uint8_t *data, size_t len, const chanval_excerpt_options *o,
                cv_excerpts *ex)
{
    const chanval_file *f = cx->f;
    bool all = o->mode == CHANVAL_EXCERPT_ALL || len < o->whole_below;
    size_t di = 0, pos = 0;
    uint64_t budget = CHANVAL_EXCERPT_MAX_BYTES, lines = 0;
    for (uint32_t line = 1; pos <= len && !cx->oom; line++) {
        /* the next finding located by line that this line may show */
        while (di < f->ndiags && (f->diags[di].loc_kind != CHANVAL_LOC_LINE ||
                                  (uint64_t)f->diags[di].line + o->context < line))
            di++;
        if (!all && di >= f->ndiags)
            break;
        const uint8_t *nl = pos < len ? memchr(data + pos, '\n', len - pos) : NULL;
        size_t end = nl ? (size_t)(nl - data) : len;
        if (all || f->diags[di].line <= (uint64_t)line + o->context) {
            size_t n = end - pos;
            if (n > 0 && data[pos + n - 1] == '\r')
                n--;
            bool cut = n > XML_LINE_MAX;
            if (cut)
                n = XML_LINE_MAX;
            if (n > budget || lines >= XML_MAX_LINES) {
                ex->dropped++;
                break;
            }
            budget -= n;
            lines++;
            if (!keep_bytes(ex, data, pos, n, line, cut))
                cx->oom = true;
        }
        if (!nl || line == UINT32_MAX)
            break;
        pos = end + 1;
    }
}

void cv_capture(cv_ctx *cx, const uint8_t *data, size_t len, const chanval_excerpt_options *o)
{
    if (o->mode == CHANVAL_EXCERPT_NONE || cx->oom ||
        (o->findings_only && cx->f->ndiags == 0))
        return;
    cv_excerpts *ex = cv_calloc(1, sizeof *ex);
    if (!ex) {
        cx->oom = true;
        return;
    }
    bool mute = cx->mute;
    cx->mute = true; /* the findings are in; this walk only looks */
    if (cx->f->kind == CHANVAL_KIND_CHANNEL)
        binary(cx, data, len, o, ex);
    else
        xml(cx, data, len, o, ex);
    cx->mute = mute;
    if (ex->arena.oom)
        cx->oom = true;
    cx->f->ex = ex;
}

size_t chanval_file_excerpt_count(const chanval_file *f) { return f->ex ? f->ex->nwin : 0; }

bool chanval_file_excerpt(const chanval_file *f, size_t index, chanval_excerpt *out)
{
    if (!f->ex || index >= f->ex->nwin)
        return false;
    *out = f->ex->win[index];
    return true;
}

size_t chanval_file_span_count(const chanval_file *f) { return f->ex ? f->ex->nspans : 0; }

const chanval_span *chanval_file_span(const chanval_file *f, size_t index)
{
    return f->ex && index < f->ex->nspans ? &f->ex->spans[index] : NULL;
}

size_t chanval_file_excerpts_dropped(const chanval_file *f) { return f->ex ? f->ex->dropped : 0; }
