/* hexview.c - the annotated hex view: each byte of a file's excerpts
 * coloured by the structure it belongs to, the structures each line
 * starts named on the right, and findings marked under the bytes they are
 * about, as a compiler marks a column.  Without colour, a '|' before a
 * byte says a structure starts there, so the output still reads in a pipe.
 *
 * Everything shown that came from the file (labels quoting strings, XML
 * lines, messages) goes through cv_text_escape. */
#include "report/hexview.h"
#include "report/report.h"
#include "base/alloc.h"

#include <inttypes.h>
#include <string.h>

#define RESET "\033[0m"
#define BOLD "\033[1m"
#define RED "\033[1;31m"
#define MAGENTA "\033[1;35m"
#define CYAN "\033[1;36m"

const char *cv_kind_color(chanval_span_kind k)
{
    static const char *const c[CHANVAL_SPAN_KIND_COUNT] = {
        "\033[97;41m",     /* unclaimed: white on red */
        "\033[38;5;39m",   /* header */
        "\033[38;5;33m",   /* digest */
        "\033[38;5;135m",  /* section table */
        "\033[38;5;71m",   /* STRINGS */
        "\033[38;5;178m",  /* TYPES */
        "\033[38;5;172m",  /* INSTANCES */
        "\033[38;5;207m",  /* record */
        "\033[38;5;45m",   /* criterion */
        "\033[38;5;250m",  /* payload */
        "\033[38;5;240m"}; /* padding */
    return (unsigned)k < CHANVAL_SPAN_KIND_COUNT ? c[k] : "";
}

int cv_view_open(cv_view *v, const chanval_file *f)
{
    *v = (cv_view){.f = f, .binary = chanval_file_kind(f) == CHANVAL_KIND_CHANNEL};
    size_t n = chanval_file_excerpt_count(f), nspans = chanval_file_span_count(f);
    if (n == 0)
        return 0;
    v->w = cv_calloc(n, sizeof *v->w);
    if (!v->w)
        return -1;
    v->nw = n;
    for (size_t i = 0; i < n; i++) {
        cv_painted *p = &v->w[i];
        chanval_file_excerpt(f, i, &p->ex);
        if (!v->binary)
            continue;
        p->kind = cv_calloc(p->ex.length ? p->ex.length : 1, 1);
        p->owner = cv_calloc(p->ex.length ? p->ex.length : 1, sizeof *p->owner);
        if (!p->kind || !p->owner) {
            cv_view_close(v);
            return -1;
        }
        uint64_t ws = p->ex.offset, we = ws + p->ex.length;
        /* parents first, so the deepest structure paints last */
        for (unsigned depth = 0; depth <= 3; depth++)
            for (size_t k = 0; k < nspans; k++) {
                const chanval_span *s = chanval_file_span(f, k);
                if (s->depth != depth || s->offset >= we || s->offset + s->length <= ws)
                    continue;
                uint64_t a = s->offset > ws ? s->offset : ws;
                uint64_t e = s->offset + s->length < we ? s->offset + s->length : we;
                for (uint64_t x = a; x < e; x++) {
                    p->kind[x - ws] = (uint8_t)s->kind;
                    if (depth <= 2)
                        p->owner[x - ws] = (uint32_t)(k + 1);
                }
            }
    }
    return 0;
}

void cv_view_close(cv_view *v)
{
    for (size_t i = 0; i < v->nw; i++) {
        cv_free(v->w[i].kind);
        cv_free(v->w[i].owner);
    }
    cv_free(v->w);
    v->w = NULL;
    v->nw = 0;
}

const cv_painted *cv_view_find(const cv_view *v, uint64_t off)
{
    size_t lo = 0, hi = v->nw;
    while (lo < hi) { /* windows are in order and disjoint */
        size_t mid = lo + (hi - lo) / 2;
        const chanval_excerpt *e = &v->w[mid].ex;
        uint64_t key = v->binary ? e->offset : e->line;
        uint64_t end = v->binary ? e->offset + e->length : (uint64_t)e->line + 1;
        if (off < key)
            hi = mid;
        else if (off >= end)
            lo = mid + 1;
        else
            return &v->w[mid];
    }
    return NULL;
}

/* Where a finding sorts among a file's findings (offsets first, then
 * lines), as a number that grows with the order. */
static uint64_t sort_key(const cv_view *v, const chanval_diag *d)
{
    if (v->binary)
        return d->loc_kind == CHANVAL_LOC_OFFSET ? d->offset : UINT64_MAX;
    return d->loc_kind == CHANVAL_LOC_LINE ? d->line : 0;
}

void cv_view_diags(const cv_view *v, uint64_t from, uint64_t to, size_t *first, size_t *last)
{
    size_t n = chanval_file_diag_count(v->f);
    size_t bounds[2];
    uint64_t keys[2] = {from, to};
    for (int i = 0; i < 2; i++) {
        size_t lo = 0, hi = n;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (sort_key(v, chanval_file_diag(v->f, mid)) < keys[i])
                lo = mid + 1;
            else
                hi = mid;
        }
        bounds[i] = lo;
    }
    *first = bounds[0];
    *last = bounds[1];
}

size_t cv_view_first_span(const cv_view *v, uint64_t off)
{
    size_t lo = 0, hi = chanval_file_span_count(v->f);
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (chanval_file_span(v->f, mid)->offset < off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

void cv_marks_start(cv_marks *m, const cv_view *v, const cv_painted *p)
{
    *m = (cv_marks){.v = v, .p = p, .we = p->ex.offset + p->ex.length};
    cv_view_diags(v, p->ex.offset, m->we, &m->lo, &m->z);
}

void cv_marks_line(cv_marks *m, uint64_t line)
{
    const chanval_file *f = m->v->f;
    /* a mark spans at most CV_HEX_MARK bytes past its start */
    while (m->lo < m->z && chanval_file_diag(f, m->lo)->offset + CV_HEX_MARK < line)
        m->lo++;
    m->line = line;
    m->k = m->lo;
}

bool cv_marks_next(cv_marks *m, size_t *k, uint64_t *ms, uint64_t *me, bool *ends)
{
    const chanval_file *f = m->v->f;
    uint64_t lend = m->line + CV_HEX_LINE;
    while (m->k < m->z && chanval_file_diag(f, m->k)->offset < lend) {
        size_t i = m->k++;
        if (cv_view_mark(m->v, chanval_file_diag(f, i), ms, me) && *ms < lend &&
            *me > m->line) {
            *k = i;
            *ends = *me <= lend || lend >= m->we;
            return true;
        }
    }
    return false;
}

bool cv_view_starts(const cv_view *v, const cv_painted *p, size_t i)
{
    if (!p->owner)
        return false;
    if (i > 0 && p->owner[i] == p->owner[i - 1])
        return false;
    uint32_t o = p->owner[i];
    if (o == 0)
        return i > 0 && p->owner[i - 1] != 0;
    const chanval_span *s = chanval_file_span(v->f, o - 1);
    return s && s->offset == p->ex.offset + i;
}

bool cv_view_mark(const cv_view *v, const chanval_diag *d, uint64_t *start, uint64_t *end)
{
    if (!v->binary || d->loc_kind != CHANVAL_LOC_OFFSET)
        return false;
    const cv_painted *p = cv_view_find(v, d->offset);
    if (!p)
        return false;
    uint64_t we = p->ex.offset + p->ex.length;
    uint64_t e = d->offset + 1;
    uint32_t o = p->owner[d->offset - p->ex.offset];
    const chanval_span *s = o ? chanval_file_span(v->f, o - 1) : NULL;
    if (s && s->offset + s->length > e)
        e = s->offset + s->length;
    if (e > d->offset + CV_HEX_MARK)
        e = d->offset + CV_HEX_MARK;
    *start = d->offset;
    *end = e < we ? e : we;
    return true;
}

/* ---- the lines ------------------------------------------------------------ */

static void hex_line(cv_buf *b, const cv_view *v, const cv_painted *p, uint64_t line, bool color,
                     bool labels)
{
    size_t i0 = (size_t)(line - p->ex.offset);
    size_t n = p->ex.length - i0 < CV_HEX_LINE ? p->ex.length - i0 : CV_HEX_LINE;
    static const char hexd[] = "0123456789abcdef";
    cv_buf_printf(b, "  %08" PRIx64 " ", line);
    int cur = -1;
    for (size_t i = 0; i < CV_HEX_LINE; i++) {
        if (i == 8)
            cv_buf_addc(b, ' ');
        if (i >= n) {
            cv_buf_adds(b, "   ");
            continue;
        }
        cv_buf_addc(b, !color && cv_view_starts(v, p, i0 + i) ? '|' : ' ');
        int k = p->kind[i0 + i];
        if (color && k != cur) {
            cv_buf_adds(b, RESET);
            cv_buf_adds(b, cv_kind_color((chanval_span_kind)k));
            cur = k;
        }
        uint8_t c = p->ex.bytes[i0 + i];
        cv_buf_addc(b, hexd[c >> 4]);
        cv_buf_addc(b, hexd[c & 15]);
    }
    if (color)
        cv_buf_adds(b, RESET);
    cv_buf_adds(b, "  ");
    for (size_t i = 0; i < n; i++) {
        uint8_t c = p->ex.bytes[i0 + i];
        cv_buf_addc(b, cv_hex_printable(c));
    }
    for (size_t i = n; i < CV_HEX_LINE; i++)
        cv_buf_addc(b, ' ');
    if (labels) {
        /* the structures this line starts */
        const char *sep = "  ";
        size_t ns = chanval_file_span_count(v->f);
        for (size_t k = cv_view_first_span(v, line); k < ns; k++) {
            const chanval_span *s = chanval_file_span(v->f, k);
            if (s->offset >= line + n)
                break;
            if (!cv_span_named(s))
                continue;
            cv_buf_adds(b, sep);
            if (color)
                cv_buf_adds(b, cv_kind_color(s->kind));
            cv_text_escape(b, s->label, false);
            if (color)
                cv_buf_adds(b, RESET);
            sep = " | ";
        }
    }
    /* no trailing blanks */
    while (b->len > 0 && b->data[b->len - 1] == ' ')
        b->data[--b->len] = '\0';
    cv_buf_addc(b, '\n');
}

/* The marks under `line` for bytes [ms, me): '^' under the first, '~'
 * under the rest. */
static void mark_line(cv_buf *b, uint64_t line, uint64_t ms, uint64_t me, bool color, bool error)
{
    cv_buf_adds(b, "           ");
    if (color)
        cv_buf_adds(b, error ? RED : MAGENTA);
    size_t last = 0;
    for (size_t i = 0; i < CV_HEX_LINE; i++) {
        uint64_t x = line + i;
        bool in = x >= ms && x < me;
        if (in)
            last = i;
    }
    for (size_t i = 0; i <= last; i++) {
        uint64_t x = line + i;
        bool in = x >= ms && x < me, prev = i > 0 && x - 1 >= ms && x - 1 < me;
        if (i == 8)
            cv_buf_addc(b, in && prev ? '~' : ' ');
        cv_buf_addc(b, in && prev ? '~' : ' ');
        cv_buf_adds(b, !in ? "  " : x == ms ? "^^" : "~~");
    }
    if (color)
        cv_buf_adds(b, RESET);
    cv_buf_addc(b, '\n');
}

static void message_at(cv_buf *b, const chanval_diag *d, bool color, const char *first,
                       const char *indent)
{
    cv_buf_adds(b, first);
    cv_buf_printf(b, "%s%s[CV%03u]:%s ", color ? (d->severity == CHANVAL_SEV_ERROR ? RED : MAGENTA) : "",
                  cv_sev_name(d->severity), d->rule, color ? RESET : "");
    cv_text_escape(b, d->message, false);
    cv_buf_addc(b, '\n');
    if (d->note) {
        cv_buf_adds(b, indent);
        cv_buf_printf(b, "%snote:%s ", color ? CYAN : "", color ? RESET : "");
        cv_text_escape(b, d->note, false);
        cv_buf_addc(b, '\n');
    }
}

static void message(cv_buf *b, const chanval_diag *d, bool color, const char *indent)
{
    message_at(b, d, color, indent, indent);
}

static bool shown(const chanval_diag *d, bool quiet)
{
    return d->suppressed == CHANVAL_SUPPRESS_NONE &&
           (!quiet || d->severity == CHANVAL_SEV_ERROR);
}

/* A window line by line, each finding marked after the last line of its
 * bytes, then its message. */
static void binary_window(cv_buf *b, const cv_view *v, const cv_painted *p, bool color, bool quiet)
{
    cv_marks m;
    cv_marks_start(&m, v, p);
    for (uint64_t line = p->ex.offset; line < m.we; line += CV_HEX_LINE) {
        hex_line(b, v, p, line, color, true);
        size_t k;
        uint64_t ms, me;
        bool ends;
        for (cv_marks_line(&m, line); cv_marks_next(&m, &k, &ms, &me, &ends);) {
            const chanval_diag *d = chanval_file_diag(v->f, k);
            if (!shown(d, quiet))
                continue;
            mark_line(b, line, ms, me, color, d->severity == CHANVAL_SEV_ERROR);
            if (ends)
                message(b, d, color, "           ");
        }
    }
}

/* The text before a column, as blanks, so a caret under the escaped line
 * lands under its character. */
void cv_view_caret_pad(cv_buf *b, const uint8_t *p, size_t n, uint32_t col)
{
    size_t at = 0;
    for (uint32_t c = 1; c < col && at < n; c++) { /* col counts characters */
        do
            at++;
        while (at < n && (p[at] & 0xC0) == 0x80);
    }
    cv_buf esc = {0};
    cv_text_escape_n(&esc, p, at, false);
    if (esc.oom)
        b->oom = true;
    for (size_t i = 0; i < esc.len; i++) {
        char c = esc.data[i];
        if ((c & 0xC0) == 0x80)
            continue;
        cv_buf_addc(b, ' ');
    }
    cv_buf_free(&esc);
}

static void xml_line(cv_buf *b, const cv_painted *p, bool color, bool bold)
{
    cv_buf_printf(b, "%s%6" PRIu32 " |%s ", color && bold ? BOLD : "", p->ex.line,
                  color && bold ? RESET : "");
    cv_text_escape_n(b, p->ex.bytes, p->ex.length, false);
    if (p->ex.cut)
        cv_buf_adds(b, " [...]");
    cv_buf_addc(b, '\n');
}

static void xml_caret(cv_buf *b, const cv_painted *p, const chanval_diag *d, bool color)
{
    cv_buf_adds(b, "       | ");
    cv_view_caret_pad(b, p->ex.bytes, p->ex.length, d->column);
    cv_buf_printf(b, "%s^%s\n", color ? (d->severity == CHANVAL_SEV_ERROR ? RED : MAGENTA) : "",
                  color ? RESET : "");
}

void cv_view_context(cv_buf *b, const cv_view *v, const chanval_diag *d, bool color)
{
    if (v->binary) {
        uint64_t ms, me;
        if (!cv_view_mark(v, d, &ms, &me))
            return;
        const cv_painted *p = cv_view_find(v, d->offset);
        uint64_t first = ms / CV_HEX_LINE * CV_HEX_LINE;
        for (uint64_t line = first; line < me; line += CV_HEX_LINE) {
            if (line < p->ex.offset || line >= p->ex.offset + p->ex.length)
                break;
            hex_line(b, v, p, line, color, false);
            mark_line(b, line, ms, me, color, d->severity == CHANVAL_SEV_ERROR);
        }
        return;
    }
    if (d->loc_kind != CHANVAL_LOC_LINE)
        return;
    const cv_painted *p = cv_view_find(v, d->line);
    if (!p)
        return;
    xml_line(b, p, color, true);
    xml_caret(b, p, d, color);
}

static void legend(cv_buf *b)
{
    cv_buf_adds(b, "  ");
    for (int k = 1; k < CHANVAL_SPAN_KIND_COUNT; k++) {
        cv_buf_adds(b, cv_kind_color((chanval_span_kind)k));
        cv_buf_adds(b, chanval_span_kind_name((chanval_span_kind)k));
        cv_buf_adds(b, RESET " ");
    }
    cv_buf_adds(b, cv_kind_color(CHANVAL_SPAN_UNCLAIMED));
    cv_buf_adds(b, "unclaimed" RESET "\n");
}

void cv_view_text(cv_buf *b, const cv_view *v, bool color, bool quiet)
{
    const chanval_file *f = v->f;
    cv_buf_adds(b, color ? BOLD : "");
    cv_text_escape(b, chanval_file_path(f), true);
    cv_buf_printf(b, "%s: %s, %" PRIu64 " bytes, %zu error%s, %zu warning%s\n", color ? RESET : "",
                  v->binary ? "channel file" : chanval_kind_name(chanval_file_kind(f)),
                  chanval_file_size(f), chanval_file_errors(f),
                  chanval_file_errors(f) == 1 ? "" : "s", chanval_file_warnings(f),
                  chanval_file_warnings(f) == 1 ? "" : "s");
    if (v->binary && color && v->nw > 0)
        legend(b);
    if (v->nw == 0 && v->binary) {
        /* nothing captured (no finding in a large file): the outline */
        size_t ns = chanval_file_span_count(f);
        for (size_t k = 0; k < ns; k++) {
            const chanval_span *s = chanval_file_span(f, k);
            cv_buf_printf(b, "  %08" PRIx64 " %*s", s->offset, (int)(2 * s->depth), "");
            cv_text_escape(b, s->label, false);
            cv_buf_addc(b, '\n');
        }
        return;
    }
    uint64_t next = 0;
    size_t nd = chanval_file_diag_count(f);
    for (size_t i = 0; i < v->nw; i++) {
        const cv_painted *p = &v->w[i];
        if (v->binary) {
            if (p->ex.offset > next)
                cv_buf_printf(b, "  %08" PRIx64 "  ... %" PRIu64 " bytes not shown\n", next,
                              p->ex.offset - next);
            binary_window(b, v, p, color, quiet);
            next = p->ex.offset + p->ex.length;
            continue;
        }
        if (p->ex.line > next + 1)
            cv_buf_adds(b, "   ... |\n");
        size_t a, z; /* the line's findings */
        cv_view_diags(v, p->ex.line, (uint64_t)p->ex.line + 1, &a, &z);
        bool has = false;
        for (size_t k = a; k < z; k++)
            has = has || shown(chanval_file_diag(f, k), quiet);
        xml_line(b, p, color, has);
        for (size_t k = a; k < z; k++) {
            const chanval_diag *d = chanval_file_diag(f, k);
            if (shown(d, quiet)) {
                xml_caret(b, p, d, color);
                message(b, d, color, "       = ");
            }
        }
        next = p->ex.line;
    }
    if (v->binary && next < chanval_file_size(f))
        cv_buf_printf(b, "  %08" PRIx64 "  ... %" PRIu64 " bytes not shown\n", next,
                      chanval_file_size(f) - next);
    /* findings without a place in the excerpts: still said */
    for (size_t k = 0; k < nd; k++) {
        const chanval_diag *d = chanval_file_diag(f, k);
        uint64_t ms, me;
        bool placed = v->binary ? cv_view_mark(v, d, &ms, &me)
                                : d->loc_kind == CHANVAL_LOC_LINE && cv_view_find(v, d->line);
        if (shown(d, quiet) && !placed) {
            cv_buf_adds(b, "  ");
            if (d->loc_kind == CHANVAL_LOC_OFFSET || d->line > 0) {
                cv_loc_text(b, d);
                cv_buf_adds(b, ": ");
            }
            message_at(b, d, color, "", "    ");
        }
    }
}

static void view_file(cv_renderer *r, const chanval_file *f, size_t index)
{
    (void)index;
    /* a clean document of the world says nothing here */
    if (chanval_file_kind(f) != CHANVAL_KIND_CHANNEL && chanval_file_diag_count(f) == 0)
        return;
    if (r->b->len > 0)
        cv_buf_addc(r->b, '\n');
    if (r->view)
        cv_view_text(r->b, r->view, r->flags & CHANVAL_REPORT_COLOR, r->flags & CHANVAL_REPORT_QUIET);
}

/* chanval view: each file's hex view, then the text report's summary. */
const cv_writer cv_view_writer = {.marks = false,
                                  .views = true,
                                  .begin_file = view_file,
                                  .end_run = cv_text_end_run};
