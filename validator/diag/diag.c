/* diag.c - collecting findings: capped, counted, located. */
#include "base/alloc.h"
#include "base/escape.h"
#include "diag/diag.h"
#include "diag/rules.h"
#include "base/utf8.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

bool cv_seen(const chanval_file *f, unsigned rule) { return cv_rule_set_has(&f->seen, rule); }

static chanval_diag *add(cv_ctx *cx, chanval_file *f, unsigned rule, chanval_severity sev,
                         const char *fmt, va_list ap) __attribute__((format(printf, 5, 0)));

static chanval_diag *add(cv_ctx *cx, chanval_file *f, unsigned rule, chanval_severity sev,
                         const char *fmt, va_list ap)
{
    if (cx->mute) {
        if (sev == CHANVAL_SEV_ERROR && cv_rule_blocks_decoding(rule) &&
            cx->muted_blocking++ == 0) {
            cx->muted_rule = rule;
            vsnprintf(cx->muted_msg, sizeof cx->muted_msg, fmt, ap);
        }
        return NULL;
    }
    const cv_policy *pol = cx->policy;
    uint8_t ov = rule < CV_MAX_RULE ? pol->rule_override[rule] : CV_OVERRIDE_NONE;
    if (ov == CV_OVERRIDE_WARNING)
        sev = CHANVAL_SEV_WARNING;
    else if (ov == CV_OVERRIDE_ERROR)
        sev = CHANVAL_SEV_ERROR;
    if (sev == CHANVAL_SEV_WARNING && pol->strict)
        sev = CHANVAL_SEV_ERROR;
    cv_rule_set_add(&f->seen, rule);
    if (f->ndiags >= pol->limits[CHANVAL_LIMIT_DIAGNOSTICS]) {
        if (ov != CV_OVERRIDE_OFF) {
            f->dropped++;
            if (sev == CHANVAL_SEV_ERROR)
                f->dropped_errors++;
            else
                f->dropped_warnings++;
        }
        return NULL;
    }
    void *p = f->diags;
    if (cv_grow(&p, &f->diags_cap, f->ndiags + 1, sizeof *f->diags) != 0) {
        cx->oom = true;
        return NULL;
    }
    f->diags = p;
    char *msg = cv_arena_vprintf(&f->arena, fmt, ap);
    if (!msg) {
        cx->oom = true;
        return NULL;
    }
    chanval_diag *d = &f->diags[f->ndiags++];
    *d = (chanval_diag){0};
    d->rule = (uint16_t)rule;
    d->severity = sev;
    d->criterion = -1;
    d->message = msg;
    if (ov == CV_OVERRIDE_OFF)
        d->suppressed = CHANVAL_SUPPRESS_CONFIG;
    /* counted for now; cv_file_finish recounts with every suppression */
    if (d->suppressed)
        f->suppressed++;
    else if (sev == CHANVAL_SEV_ERROR)
        f->errors++;
    else
        f->warnings++;
    return d;
}

static void locate(cv_ctx *cx, chanval_diag *d, size_t off)
{
    d->offset = off;
    if (cx->xml) {
        d->loc_kind = CHANVAL_LOC_LINE;
        cv_linecol(cx, off, &d->line, &d->column);
    } else {
        d->loc_kind = CHANVAL_LOC_OFFSET;
    }
}

chanval_diag *cv_report(cv_ctx *cx, unsigned rule, size_t off, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    chanval_diag *d = add(cx, cx->f, rule, cv_rule_severity(rule), fmt, ap);
    va_end(ap);
    if (d)
        locate(cx, d, off);
    return d;
}

chanval_diag *cv_report_sev(cv_ctx *cx, unsigned rule, chanval_severity sev, size_t off,
                            const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    chanval_diag *d = add(cx, cx->f, rule, sev, fmt, ap);
    va_end(ap);
    if (d)
        locate(cx, d, off);
    return d;
}

static void at_line(chanval_diag *d, uint32_t line, uint32_t col)
{
    d->loc_kind = CHANVAL_LOC_LINE;
    d->line = line;
    d->column = col;
    d->offset = UINT64_MAX; /* not known: no inline suppression applies */
}

chanval_diag *cv_report_linecol(cv_ctx *cx, unsigned rule, uint32_t line, uint32_t col,
                                const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    chanval_diag *d = add(cx, cx->f, rule, cv_rule_severity(rule), fmt, ap);
    va_end(ap);
    if (d)
        at_line(d, line, col);
    return d;
}

chanval_diag *cv_report_linecol_sev(cv_ctx *cx, unsigned rule, chanval_severity sev,
                                    uint32_t line, uint32_t col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    chanval_diag *d = add(cx, cx->f, rule, sev, fmt, ap);
    va_end(ap);
    if (d)
        at_line(d, line, col);
    return d;
}

void cv_set_key(cv_ctx *cx, chanval_diag *d, const char *fmt, ...)
{
    if (!d)
        return;
    va_list ap;
    va_start(ap, fmt);
    d->key = cv_arena_vprintf(&cx->f->arena, fmt, ap);
    va_end(ap);
    if (!d->key)
        cx->oom = true;
}

void cv_note(cv_ctx *cx, chanval_diag *d, const char *fmt, ...)
{
    if (!d)
        return;
    va_list ap;
    va_start(ap, fmt);
    /* The note lives in the arena of whichever file holds d; all files'
     * arenas live as long as the session, so the current one will do. */
    d->note = cv_arena_vprintf(&cx->f->arena, fmt, ap);
    va_end(ap);
    if (!d->note)
        cx->oom = true;
}

void cv_set_instance(chanval_diag *d, uint32_t id, int32_t criterion)
{
    if (!d)
        return;
    d->has_instance = true;
    d->instance = id;
    d->criterion = criterion;
}

void cv_set_sensor(cv_ctx *cx, chanval_diag *d, const char *sensor)
{
    (void)cx;
    if (d)
        d->sensor = sensor; /* owned by the world, which outlives reports */
}

/* ---- line:col --------------------------------------------------------- */

static int build_lines(cv_ctx *cx)
{
    size_t n = 1;
    for (size_t i = 0; i < cx->text_len; i++)
        if (cx->text[i] == '\n' ||
            (cx->text[i] == '\r' && (i + 1 == cx->text_len || cx->text[i + 1] != '\n')))
            n++;
    cx->line_starts = cv_calloc(n, sizeof *cx->line_starts);
    if (!cx->line_starts)
        return -1;
    size_t k = 0;
    cx->line_starts[k++] = 0;
    for (size_t i = 0; i < cx->text_len; i++)
        if (cx->text[i] == '\n' ||
            (cx->text[i] == '\r' && (i + 1 == cx->text_len || cx->text[i + 1] != '\n')))
            cx->line_starts[k++] = i + 1;
    cx->nlines = n;
    return 0;
}

void cv_linecol(cv_ctx *cx, size_t off, uint32_t *line, uint32_t *col)
{
    *line = 1;
    *col = 1;
    if (!cx->text)
        return;
    if (!cx->line_starts && build_lines(cx) != 0) {
        cx->oom = true;
        return;
    }
    if (off > cx->text_len)
        off = cx->text_len;
    size_t lo = 0, hi = cx->nlines; /* last start <= off */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (cx->line_starts[mid] <= off)
            lo = mid;
        else
            hi = mid;
    }
    size_t c = 1, from = cx->line_starts[lo];
    /* Count from the last finding's column when it is on this line and
     * nearer: findings come about in document order, and counting from the
     * line's start each time costs time quadratic in a long line. */
    if (cx->col_line == lo + 1 && cx->col_off <= off) {
        from = cx->col_off;
        c = cx->col;
    } else if (cx->col_line == lo + 1 && cx->col_off - off < off - from) {
        c = cx->col;
        for (size_t i = off; i < cx->col_off; i++)
            if ((cx->text[i] & 0xC0) != 0x80)
                c--;
        from = off;
    }
    for (size_t i = from; i < off; i++)
        if ((cx->text[i] & 0xC0) != 0x80) /* count characters, not bytes */
            c++;
    cx->col_line = lo + 1;
    cx->col_off = off;
    cx->col = c;
    *line = lo + 1 > UINT32_MAX ? UINT32_MAX : (uint32_t)(lo + 1);
    *col = c > UINT32_MAX ? UINT32_MAX : (uint32_t)c;
}

/* ---- report entries --------------------------------------------------- */

void cv_excerpts_free(cv_excerpts *ex)
{
    if (!ex)
        return;
    cv_free(ex->win);
    cv_free(ex->spans);
    cv_arena_free(&ex->arena);
    cv_free(ex);
}

void cv_file_free(chanval_file *f)
{
    if (!f)
        return;
    cv_free(f->path);
    cv_free(f->diags);
    cv_free(f->supp);
    cv_arena_free(&f->arena);
    cv_excerpts_free(f->ex);
    cv_free(f->cases);
    cv_free(f);
}

size_t chanval_file_case_count(const chanval_file *f) { return f->ncases; }

bool chanval_file_case(const chanval_file *f, size_t index, chanval_test_case *out)
{
    if (index >= f->ncases)
        return false;
    *out = f->cases[index];
    return true;
}

static int loc_cmp(const chanval_diag *a, const chanval_diag *b)
{
    if (a->loc_kind != b->loc_kind)
        return a->loc_kind < b->loc_kind ? -1 : 1;
    if (a->loc_kind == CHANVAL_LOC_OFFSET)
        return a->offset < b->offset ? -1 : a->offset > b->offset;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    return a->column < b->column ? -1 : a->column > b->column;
}

void cv_text_positions(chanval_file *f, const uint8_t *data, size_t len)
{
    size_t pos = 0, line = 1, line_start = 0; /* of the byte at pos */
    for (size_t i = 0; i < f->ndiags; i++) {
        chanval_diag *d = &f->diags[i];
        if (d->loc_kind != CHANVAL_LOC_OFFSET)
            continue;
        size_t at = d->offset < len ? (size_t)d->offset : len;
        if (at < pos) { /* findings are sorted by offset: only if not */
            pos = 0;
            line = 1;
            line_start = 0;
        }
        for (; pos < at; pos++)
            if (data[pos] == '\n') {
                line++;
                line_start = pos + 1;
            }
        size_t col = at - line_start + 1;
        d->line = line > UINT32_MAX ? UINT32_MAX : (uint32_t)line;
        d->column = col > UINT32_MAX ? UINT32_MAX : (uint32_t)col;
    }
}

int cv_sort_diags(chanval_file *f)
{
    size_t n = f->ndiags;
    if (n < 2)
        return 0;
    chanval_diag *tmp = cv_calloc(n, sizeof *tmp);
    if (!tmp)
        return -1;
    /* bottom-up merge sort: stable, O(n log n) */
    chanval_diag *src = f->diags, *dst = tmp;
    for (size_t w = 1; w < n; w *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * w) {
            size_t mid = lo + w < n ? lo + w : n;
            size_t hi = lo + 2 * w < n ? lo + 2 * w : n;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
                dst[k++] = loc_cmp(&src[j], &src[i]) < 0 ? src[j++] : src[i++];
            while (i < mid)
                dst[k++] = src[i++];
            while (j < hi)
                dst[k++] = src[j++];
        }
        chanval_diag *t = src;
        src = dst;
        dst = t;
    }
    if (src != f->diags)
        memcpy(f->diags, src, n * sizeof *src);
    cv_free(tmp);
    return 0;
}

void cv_ctx_done(cv_ctx *cx)
{
    cv_free(cx->line_starts);
    cx->line_starts = NULL;
    cx->nlines = 0;
    cx->col_line = 0;
    cv_buf_free(&cx->scratch[0]);
    cv_buf_free(&cx->scratch[1]);
}

const char *cv_quote(cv_ctx *cx, int slot, const uint8_t *p, size_t len, size_t max)
{
    cv_buf *b = &cx->scratch[slot & 1];
    b->len = 0;
    cv_buf_addc(b, '"');
    size_t i = 0;
    while (i < len && i < max) {
        uint8_t c = p[i];
        uint32_t cp;
        size_t n = c >= 0x80 ? cv_utf8_seq(p + i, len - i, &cp) : 1;
        if (c == '"' || c == '\\') {
            cv_buf_addc(b, '\\');
            cv_buf_addc(b, (char)c);
        } else if (c < 0x20 || c == 0x7f || n == 0) {
            cv_buf_printf(b, "\\x%02x", c); /* invalid UTF-8 shown as bytes */
            n = 1;
        } else if (n > 1 && cv_text_invisible(cp)) {
            /* C1 and bidi controls: visible in every format's message */
            cv_buf_printf(b, "\\u%04" PRIx32, cp);
        } else {
            cv_buf_add(b, p + i, n);
        }
        i += n;
    }
    cv_buf_addc(b, '"');
    if (i < len)
        cv_buf_printf(b, "... (%zu bytes)", len);
    cv_buf_addc(b, '\0');
    if (b->oom) {
        cx->oom = true;
        return "\"\"";
    }
    return b->data;
}

cv_arena *cv_names_arena(cv_ctx *cx, bool join)
{
    return join ? &cx->world->arena : &cx->f->arena;
}
