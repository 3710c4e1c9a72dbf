/* html.c - one self-contained HTML page per run: an index of every file
 * first, then for each file with findings its verdict, SHA-256, the
 * findings (the rule's explanation folded), the structure outline and the
 * annotated bytes around each finding (a channel file), or the source
 * lines with the finding marked (XML).
 *
 * The page fetches nothing: the style and the script are inline and the
 * Content-Security-Policy allows exactly them, by hash, and nothing else;
 * it reads without the script.  Every byte that came from outside (paths,
 * labels quoting strings, XML lines, messages) goes through
 * cv_html_escape: it cannot open a tag, end an attribute or reorder text. */
#include "report/hexview.h"
#include "report/report.h"
#include "base/sha.h"

#include <inttypes.h>
#include <string.h>

static const char style[] =
    "body{font:14px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1200px;padding:0 1em;"
    "color:#1b1b1b;background:#fff}"
    "h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em;word-break:break-all}"
    "h3{font-size:1em}"
    "table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;"
    "padding:.25em .5em;text-align:left;vertical-align:top}"
    "th{background:#f3f3f3}.num{text-align:right}"
    ".findings td:nth-child(1),.findings td:nth-child(3){font-family:ui-monospace,monospace}"
    ".ok{color:#17702a}.fail{color:#b00020;font-weight:bold}.warn{color:#8a5a00}"
    "tr.e td:nth-child(2){color:#b00020;font-weight:bold}"
    "tr.w td:nth-child(2){color:#8a5a00;font-weight:bold}tr.s{color:#777}"
    "code,pre,.mono{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:13px}"
    "pre{background:#fafafa;border:1px solid #e3e3e3;padding:.5em;overflow-x:auto}"
    ".sha{font-family:ui-monospace,monospace;font-size:12px;word-break:break-all}"
    ".o,.ln{color:#888}.a{color:#555}.l{color:#444}"
    ".k0{background:#b00020;color:#fff}.k1{color:#0b62c4}.k2{color:#1a3fa8}"
    ".k3{color:#7b3fb0}.k4{color:#2d7a3a}.k5{color:#a06b00}.k6{color:#b35400}"
    ".k7{color:#c2188b}.k8{color:#007b8a;font-weight:bold}.k9{color:#5f6b73}"
    ".k10{color:#aaa}"
    ".m{text-decoration:underline wavy #b00020;background:#ffe3e6}"
    ".mk{display:block;font-weight:bold;white-space:pre-wrap}.mk.e{color:#b00020}.mk.w{color:#8a5a00}"
    ".hl{background:#fff4c2}"
    ".outline{list-style:none;padding-left:0;columns:2}.outline li{break-inside:avoid}"
    ".outline .k8{font-weight:normal}"
    ".d1{padding-left:1.2em}.d2{padding-left:2.4em}"
    "details.x{margin-top:.25em}details.x div{white-space:pre-wrap;color:#333}"
    ".legend span{margin-right:1em}.note{color:#555}"
    ":target{outline:2px solid #0b62c4}";

static const char script[] =
    "(function(){var m=[].slice.call(document.querySelectorAll('.mk'));"
    "var i=-1;var k=document.getElementById('keys');if(k)k.hidden=false;"
    "document.addEventListener('keydown',function(e){"
    "if(e.target&&/INPUT|TEXTAREA/.test(e.target.tagName))return;"
    "if(!m.length||(e.key!=='n'&&e.key!=='p'))return;"
    "i=e.key==='n'?Math.min(i+1,m.length-1):Math.max(i-1,0);"
    "location.hash=m[i].id;});})();";

/* A page shows at most this many windows of bytes (a run over thousands
 * of files stays a page a browser opens; the findings are all listed). */
#define HTML_MAX_WINDOWS 2000u

static void esc(cv_buf *b, const char *s) { cv_html_escape(b, s, false); }
static void esc_path(cv_buf *b, const char *s) { cv_html_escape(b, s, true); }

static void hash_source(cv_buf *b, const char *text)
{
    uint8_t sha[32];
    char b64[45];
    if (!cv_sha256(&(cv_span){text, strlen(text)}, 1, sha)) {
        b->oom = true; /* no page without its policy */
        return;
    }
    cv_sha_base64(sha, b64);
    cv_buf_printf(b, "'sha256-%s'", b64);
}

static bool shown(const cv_renderer *r, const chanval_diag *d)
{
    return !(r->flags & CHANVAL_REPORT_QUIET) || d->severity == CHANVAL_SEV_ERROR;
}

static size_t shown_count(const cv_renderer *r, const chanval_file *f)
{
    size_t n = 0, nd = chanval_file_diag_count(f);
    for (size_t k = 0; k < nd; k++)
        n += shown(r, chanval_file_diag(f, k));
    return n;
}

static void verdict(cv_buf *b, const chanval_file *f)
{
    size_t e = chanval_file_errors(f), w = chanval_file_warnings(f);
    if (e)
        cv_buf_printf(b, "<span class=\"fail\">%zu error%s</span>", e, e == 1 ? "" : "s");
    else
        cv_buf_adds(b, "<span class=\"ok\">ok</span>");
    if (w)
        cv_buf_printf(b, ", <span class=\"warn\">%zu warning%s</span>", w, w == 1 ? "" : "s");
}

static void html_begin_run(cv_renderer *r)
{
    const chanval_session *s = r->s;
    cv_buf *b = r->b;
    size_t nfiles = chanval_file_count(s), nio = chanval_io_error_count(s),
           nskipped = chanval_skipped_count(s);
    int code = chanval_exit_code(s);
    cv_buf_adds(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                   "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                   "style-src ");
    hash_source(b, style);
    cv_buf_adds(b, "; script-src ");
    hash_source(b, script);
    cv_buf_adds(b, "; img-src 'none'; base-uri 'none'; form-action 'none'\">\n"
                   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                   "<meta name=\"generator\" content=\"chanval " CHANVAL_VERSION "\">\n");
    cv_buf_printf(b, "<title>chanval: %zu errors, %zu warnings in %zu files</title>\n",
                  chanval_error_count(s), chanval_warning_count(s), nfiles);
    cv_buf_printf(b, "<style>%s</style>\n</head>\n<body>\n<header>\n<h1>chanval report</h1>\n",
                  style);
    cv_buf_printf(b,
                  "<p id=\"verdict\" class=\"%s\" data-exit=\"%d\">exit %d: %zu errors, %zu "
                  "warnings in %zu files",
                  code ? "fail" : "ok", code, code, chanval_error_count(s),
                  chanval_warning_count(s), nfiles);
    if (nskipped)
        cv_buf_printf(b, ", %zu skipped", nskipped);
    if (nio)
        cv_buf_printf(b, ", %zu I/O error%s: not everything was checked", nio,
                      nio == 1 ? "" : "s");
    if (chanval_out_of_memory(s))
        cv_buf_adds(b, ", out of memory: not everything was checked");
    cv_buf_adds(b, "</p>\n<p class=\"note\">chanval " CHANVAL_VERSION
                   "<span id=\"keys\" hidden>; keys: n and p go to the next and the previous "
                   "finding</span></p>\n</header>\n");
    if (nio) {
        cv_buf_adds(b, "<section id=\"unread\"><h2>Not checked</h2><ul>\n");
        for (size_t i = 0; i < nio; i++) {
            cv_buf_adds(b, "<li class=\"fail\"><code>");
            esc_path(b, chanval_io_error_path(s, i));
            cv_buf_adds(b, "</code>: ");
            esc(b, chanval_io_error(s, i));
            cv_buf_adds(b, "</li>\n");
        }
        cv_buf_adds(b, "</ul></section>\n");
    }
    cv_buf_adds(b, "<nav id=\"index\">\n<h2>Files</h2>\n<table>\n<thead><tr><th>file</th>"
                   "<th>kind</th><th>verdict</th><th class=\"num\">bytes</th><th>SHA-256</th>"
                   "</tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < nfiles; i++) {
        const chanval_file *f = chanval_file_at(s, i);
        bool section = shown_count(r, f) > 0 || chanval_file_dropped(f) > 0;
        cv_buf_adds(b, "<tr><td class=\"mono\">");
        if (section)
            cv_buf_printf(b, "<a href=\"#f%zu\">", i);
        esc_path(b, chanval_file_path(f));
        cv_buf_printf(b, "%s</td><td>%s</td><td>", section ? "</a>" : "",
                      chanval_kind_name(chanval_file_kind(f)));
        verdict(b, f);
        cv_buf_printf(b, "</td><td class=\"num\">%" PRIu64 "</td><td class=\"sha\">",
                      chanval_file_size(f));
        const uint8_t *sha = chanval_file_sha256(f);
        if (sha)
            cv_sha_hex(b, sha);
        cv_buf_adds(b, "</td></tr>\n");
    }
    cv_buf_adds(b, "</tbody>\n</table>\n");
    if (nskipped) {
        cv_buf_adds(b, "<h3>Skipped (not content)</h3><ul>\n");
        for (size_t i = 0; i < nskipped; i++) {
            cv_buf_adds(b, "<li><code>");
            esc_path(b, chanval_skipped_path(s, i));
            cv_buf_adds(b, "</code></li>\n");
        }
        cv_buf_adds(b, "</ul>\n");
    }
    cv_buf_adds(b, "</nav>\n<main>\n");
}

/* ---- one file ---------------------------------------------------------- */

static void html_begin_file(cv_renderer *r, const chanval_file *f, size_t index)
{
    cv_buf *b = r->b;
    if (shown_count(r, f) == 0 && chanval_file_dropped(f) == 0)
        return;
    cv_buf_printf(b, "<section class=\"file\" id=\"f%zu\">\n<h2 class=\"mono\">", index);
    esc_path(b, chanval_file_path(f));
    cv_buf_printf(b, "</h2>\n<p>%s, %" PRIu64 " bytes: ", chanval_kind_name(chanval_file_kind(f)),
                  chanval_file_size(f));
    verdict(b, f);
    const uint8_t *sha = chanval_file_sha256(f);
    if (sha) {
        cv_buf_adds(b, "<br>SHA-256 <span class=\"sha\">");
        cv_sha_hex(b, sha);
        cv_buf_adds(b, "</span>");
    }
    cv_buf_adds(b, "</p>\n<table class=\"findings\">\n<thead><tr><th>rule</th><th>severity</th>"
                   "<th>location</th><th>message</th></tr></thead>\n<tbody>\n");
}

/* Is this the first finding of its rule shown in the run? */
static bool first_of_rule(cv_renderer *r, const chanval_diag *d)
{
    unsigned id = d->rule < CV_REPORT_RULES ? d->rule : 0;
    bool first = !(r->rules[id / 8] >> (id % 8) & 1);
    r->rules[id / 8] = (uint8_t)(r->rules[id / 8] | 1u << (id % 8));
    return first;
}

/* Does the page show this file's bytes?  (Decided before its first row:
 * the windows count only grows once its rows are written.) */
static bool shows_bytes(const cv_renderer *r)
{
    return r->view && r->windows < HTML_MAX_WINDOWS;
}

/* shows_bytes(), and when the page has shown all the bytes it may, say so
 * (once in the page). */
static bool bytes_or_say(cv_renderer *r)
{
    if (shows_bytes(r))
        return true;
    if (!r->limit_said)
        cv_buf_printf(r->b, "<p class=\"note\">The page shows the bytes of its first %u "
                            "windows; for this file and those after it, <code>chanval "
                            "view FILE</code> shows them.</p>\n",
                      HTML_MAX_WINDOWS);
    r->limit_said = true;
    return false;
}

static bool placed(const cv_renderer *r, const chanval_diag *d)
{
    const cv_view *v = r->view;
    if (!shows_bytes(r))
        return false;
    uint64_t ms, me;
    if (v->binary)
        return cv_view_mark(v, d, &ms, &me);
    return d->loc_kind == CHANVAL_LOC_LINE && cv_view_find(v, d->line) != NULL;
}

static void html_finding(cv_renderer *r, const chanval_file *f, size_t index, const chanval_diag *d)
{
    cv_buf *b = r->b;
    size_t k = (size_t)(d - chanval_file_diag(f, 0));
    const char *cls = d->suppressed ? "s" : d->severity == CHANVAL_SEV_ERROR ? "e" : "w";
    cv_buf_printf(b, "<tr class=\"%s\" data-rule=\"CV%03u\" data-loc=\"", cls, d->rule);
    cv_loc_text(b, d);
    size_t ri;
    const chanval_rule *rule = cv_report_rule(d->rule, &ri);
    bool first = rule && first_of_rule(r, d);
    /* the rule's explanation once in the page, under its first finding;
     * every other finding of the rule links there */
    if (rule && !first)
        cv_buf_printf(b, "\"><td><a href=\"#x%03u\">CV%03u</a></td>", d->rule, d->rule);
    else
        cv_buf_printf(b, "\"><td>CV%03u</td>", d->rule);
    cv_buf_printf(b, "<td>%s%s</td><td>", cv_sev_name(d->severity),
                  d->suppressed ? " (suppressed)" : "");
    bool at = placed(r, d);
    if (at)
        cv_buf_printf(b, "<a href=\"#f%zu-d%zu\">", index, k);
    cv_loc_text(b, d);
    cv_buf_printf(b, "%s</td><td>", at ? "</a>" : "");
    esc(b, d->message);
    /* a note the finding before said already is not repeated (a file
     * with thousands of findings of one rule has one note) */
    const chanval_diag *prev = k > 0 ? chanval_file_diag(f, k - 1) : NULL;
    bool repeated = prev && prev->rule == d->rule && prev->note && d->note &&
                    strcmp(prev->note, d->note) == 0 && shown(r, prev);
    if (d->note && !repeated) {
        cv_buf_adds(b, "<br><span class=\"note\">note: ");
        esc(b, d->note);
        cv_buf_adds(b, "</span>");
    }
    if (d->suppress_reason) {
        cv_buf_adds(b, "<br><span class=\"note\">suppressed: ");
        esc(b, d->suppress_reason);
        cv_buf_adds(b, "</span>");
    }
    if (first) {
        cv_buf_printf(b, "<details class=\"x\" id=\"x%03u\"><summary>CV%03u %s</summary><div>",
                      d->rule, d->rule, rule->name);
        esc(b, rule->explanation);
        cv_buf_adds(b, "</div></details>");
    }
    cv_buf_adds(b, "</td></tr>\n");
}

/* The structures, indented by depth, each linked to its first byte when
 * the page shows it. */
enum { OUTLINE_MAX = 2000 };

static void outline(cv_renderer *r, const chanval_file *f, size_t index)
{
    cv_buf *b = r->b;
    size_t ns = chanval_file_span_count(f), listed = 0;
    if (ns == 0)
        return;
    cv_buf_adds(b, "<details class=\"structure\"><summary>Structure (outline, linked to the bytes)</summary>\n"
                   "<ul class=\"outline\">\n");
    for (size_t k = 0; k < ns; k++) {
        const chanval_span *s = chanval_file_span(f, k);
        if (!cv_span_named(s))
            continue;
        if (listed++ == OUTLINE_MAX) {
            cv_buf_printf(b, "<li>... %zu more structures</li>\n", ns - k);
            break;
        }
        bool link = shows_bytes(r) && cv_view_find(r->view, s->offset) != NULL;
        cv_buf_printf(b, "<li class=\"d%u k%d\"><code>%08" PRIx64 "</code> ", s->depth,
                      (int)s->kind, s->offset);
        if (link)
            cv_buf_printf(b, "<a href=\"#f%zu-s%zu\">", index, k);
        esc(b, s->label);
        cv_buf_adds(b, link ? "</a></li>\n" : "</li>\n");
    }
    cv_buf_adds(b, "</ul>\n</details>\n");
}

static void legend(cv_buf *b)
{
    cv_buf_adds(b, "<p class=\"legend\">");
    for (int k = 1; k < CHANVAL_SPAN_KIND_COUNT; k++)
        cv_buf_printf(b, "<span class=\"k%d\">%s</span>", k,
                      chanval_span_kind_name((chanval_span_kind)k));
    cv_buf_adds(b, "<span class=\"k0\">unclaimed</span></p>\n");
}

static void mark_row(cv_buf *b, size_t index, size_t k, const chanval_diag *d, size_t pad,
                     const char *marks)
{
    cv_buf_printf(b, "<span class=\"mk %s\" id=\"f%zu-d%zu\">%*s%s %s[CV%03u]: ",
                  d->severity == CHANVAL_SEV_ERROR ? "e" : "w", index, k, (int)pad, "", marks,
                  cv_sev_name(d->severity), d->rule);
    esc(b, d->message);
    cv_buf_adds(b, "</span>");
}

/* One 16-byte line: runs of bytes of one structure and mark, each with
 * its structure's label as a title and an anchor where a structure starts. */
/* `*next` walks the spans in offset order: each span that starts at a byte
 * shown gets an anchor there, which the outline links to. */
static void hex_line(cv_renderer *r, const cv_painted *p, uint64_t line, size_t index,
                     uint64_t ms, uint64_t me, size_t *next)
{
    cv_buf *b = r->b;
    const chanval_file *f = r->view->f;
    static const char hexd[] = "0123456789abcdef";
    size_t i0 = (size_t)(line - p->ex.offset);
    size_t n = p->ex.length - i0 < CV_HEX_LINE ? p->ex.length - i0 : CV_HEX_LINE;
    cv_buf_printf(b, "<span class=\"o\">%08" PRIx64 "</span> ", line);
    size_t i = 0;
    while (i < n) {
        size_t at = i0 + i;
        uint32_t owner = p->owner[at];
        uint8_t kind = p->kind[at];
        bool marked = line + i >= ms && line + i < me;
        size_t j = i + 1;
        while (j < n && p->owner[i0 + j] == owner && p->kind[i0 + j] == kind &&
               (line + j >= ms && line + j < me) == marked && j != 8)
            j++;
        const chanval_span *s = owner ? chanval_file_span(f, owner - 1) : NULL;
        cv_buf_adds(b, i == 8 ? "  " : i ? " " : "");
        for (const chanval_span *a; (a = chanval_file_span(f, *next)) && a->offset < line + j;
             ++*next)
            if (a->offset >= line + i)
                cv_buf_printf(b, "<span id=\"f%zu-s%zu\"></span>", index, *next);
        cv_buf_printf(b, "<span class=\"k%u%s\"", kind, marked ? " m" : "");
        if (s) {
            cv_buf_adds(b, " title=\"");
            esc(b, s->label);
            cv_buf_addc(b, '"');
        }
        cv_buf_addc(b, '>');
        for (size_t x = i; x < j; x++) {
            uint8_t c = p->ex.bytes[i0 + x];
            if (x > i)
                cv_buf_addc(b, ' ');
            cv_buf_addc(b, hexd[c >> 4]);
            cv_buf_addc(b, hexd[c & 15]);
        }
        cv_buf_adds(b, "</span>");
        i = j;
    }
    for (size_t x = n; x < CV_HEX_LINE; x++)
        cv_buf_adds(b, x == 8 ? "    " : "   ");
    cv_buf_adds(b, "  <span class=\"a\">");
    for (size_t x = 0; x < n; x++) {
        uint8_t c = p->ex.bytes[i0 + x];
        if (c == '<')
            cv_buf_adds(b, "&lt;");
        else if (c == '>')
            cv_buf_adds(b, "&gt;");
        else if (c == '&')
            cv_buf_adds(b, "&amp;");
        else
            cv_buf_addc(b, cv_hex_printable(c));
    }
    cv_buf_adds(b, "</span>");
    /* the structures the line starts */
    size_t ns = chanval_file_span_count(f);
    bool any = false;
    for (size_t k = cv_view_first_span(r->view, line); k < ns; k++) {
        const chanval_span *s = chanval_file_span(f, k);
        if (s->offset >= line + n)
            break;
        if (!cv_span_named(s))
            continue;
        cv_buf_adds(b, any ? " | " : "  <span class=\"l\">");
        esc(b, s->label);
        any = true;
    }
    if (any)
        cv_buf_adds(b, "</span>");
    cv_buf_addc(b, '\n');
}

static void hex_windows(cv_renderer *r, const chanval_file *f, size_t index)
{
    const cv_view *v = r->view;
    cv_buf *b = r->b;
    if (v->nw == 0)
        return;
    if (!bytes_or_say(r))
        return;
    cv_buf_adds(b, "<h3>Bytes</h3>\n");
    legend(b);
    for (size_t w = 0; w < v->nw; w++, r->windows++) {
        const cv_painted *p = &v->w[w];
        cv_buf_printf(b, "<pre class=\"hex\" id=\"f%zu-w%zu\">", index, w);
        size_t next = cv_view_first_span(v, p->ex.offset);
        cv_marks m;
        cv_marks_start(&m, v, p);
        for (uint64_t line = p->ex.offset; line < m.we; line += CV_HEX_LINE) {
            size_t k;
            uint64_t a, e, ms = 0, me = 0;
            bool ends;
            /* the first finding's bytes on this line are underlined */
            for (cv_marks_line(&m, line); cv_marks_next(&m, &k, &a, &e, &ends);)
                if (shown(r, chanval_file_diag(f, k))) {
                    ms = a;
                    me = e;
                    break;
                }
            hex_line(r, p, line, index, ms, me, &next);
            /* each finding's message under the line where its mark ends */
            for (cv_marks_line(&m, line); cv_marks_next(&m, &k, &a, &e, &ends);) {
                const chanval_diag *d = chanval_file_diag(f, k);
                if (!shown(r, d) || !ends)
                    continue;
                size_t col = 9 + (size_t)(a % CV_HEX_LINE) * 3 + (a % CV_HEX_LINE >= 8);
                mark_row(b, index, k, d, a < line ? 9 : col, "^");
            }
        }
        cv_buf_adds(b, "</pre>\n");
    }
}

static void source_lines(cv_renderer *r, const chanval_file *f, size_t index)
{
    const cv_view *v = r->view;
    cv_buf *b = r->b;
    if (v->nw == 0)
        return;
    if (!bytes_or_say(r))
        return;
    cv_buf_adds(b, "<h3>Source</h3>\n<pre class=\"src\">");
    uint32_t prev = 0;
    for (size_t w = 0; w < v->nw; w++, r->windows++) {
        const cv_painted *p = &v->w[w];
        if (prev && p->ex.line > prev + 1)
            cv_buf_adds(b, "<span class=\"ln\">   ...</span>\n");
        size_t a, z; /* the line's findings */
        cv_view_diags(v, p->ex.line, (uint64_t)p->ex.line + 1, &a, &z);
        bool hit = false;
        for (size_t k = a; k < z; k++)
            hit = hit || shown(r, chanval_file_diag(f, k));
        cv_buf_printf(b, "<span class=\"%s\"><span class=\"ln\">%6" PRIu32 "</span> ",
                      hit ? "hl" : "", p->ex.line);
        cv_html_escape_n(b, p->ex.bytes, p->ex.length, false);
        cv_buf_adds(b, p->ex.cut ? " [...]</span>\n" : "</span>\n");
        for (size_t k = a; k < z; k++) {
            const chanval_diag *d = chanval_file_diag(f, k);
            if (!shown(r, d))
                continue;
            cv_buf pad = {0};
            cv_view_caret_pad(&pad, p->ex.bytes, p->ex.length, d->column);
            cv_buf_printf(b, "<span class=\"mk %s\" id=\"f%zu-d%zu\">       ",
                          d->severity == CHANVAL_SEV_ERROR ? "e" : "w", index,
                          (size_t)(d - chanval_file_diag(f, 0)));
            cv_buf_add(b, pad.data ? pad.data : "", pad.len);
            b->oom |= pad.oom;
            cv_buf_free(&pad);
            cv_buf_printf(b, "^ %s[CV%03u]: ", cv_sev_name(d->severity), d->rule);
            esc(b, d->message);
            cv_buf_adds(b, "</span>");
        }
        prev = p->ex.line;
    }
    cv_buf_adds(b, "</pre>\n");
}

static void html_end_file(cv_renderer *r, const chanval_file *f, size_t index)
{
    cv_buf *b = r->b;
    if (r->file_shown == 0 && chanval_file_dropped(f) == 0) /* begin_file opened nothing */
        return;
    cv_buf_adds(b, "</tbody>\n</table>\n");
    if (chanval_file_dropped(f))
        cv_buf_printf(b, "<p class=\"note\">%" PRIu64 " more findings were counted, not stored "
                         "(--max-diagnostics)</p>\n",
                      chanval_file_dropped(f));
    if (r->view && chanval_file_excerpts_dropped(f))
        cv_buf_printf(b, "<p class=\"note\">%zu findings are shown without their bytes "
                         "(at most %u windows a file)</p>\n",
                      chanval_file_excerpts_dropped(f), CHANVAL_EXCERPT_MAX_WINDOWS);
    if (r->view && r->view->binary) {
        if (shows_bytes(r))
            outline(r, f, index);
        hex_windows(r, f, index);
    } else if (r->view) {
        source_lines(r, f, index);
    }
    cv_buf_adds(b, "</section>\n");
}

static void html_end_run(cv_renderer *r)
{
    cv_buf_adds(r->b, "</main>\n<footer><p class=\"note\">");
    int code = chanval_exit_code(r->s);
    cv_buf_printf(r->b, "chanval exits %d: %s.</p></footer>\n<script>%s</script>\n</body>\n"
                        "</html>\n",
                  code,
                  code == 2   ? "something could not be checked"
                  : code == 1 ? "errors were found"
                              : "no errors",
                  script);
}

const cv_writer cv_html_writer = {.marks = true,
                                  .views = true,
                                  .begin_run = html_begin_run,
                                  .begin_file = html_begin_file,
                                  .finding = html_finding,
                                  .end_file = html_end_file,
                                  .end_run = html_end_run};
