/* text.c - compiler-style text: FILE:LOCATION: SEVERITY[RULE]: MESSAGE;
 * and the GNU form editors parse, FILE:LINE:COLUMN: SEVERITY: MESSAGE [RULE]
 *
 * Everything that came from outside (paths, messages quoting content,
 * libxml2's words) goes through cv_text_escape: a report on a terminal
 * must not take orders from the files it reports on. */
#include "report/report.h"
#include "report/hexview.h"
#include "report/tests.h"

#include <inttypes.h>
#include <string.h>

#define BOLD "\033[1m"
#define RED "\033[1;31m"
#define MAGENTA "\033[1;35m"
#define CYAN "\033[1;36m"
#define RESET "\033[0m"

static void path(cv_buf *b, const char *p) { cv_text_escape(b, p, true); }
static void text(cv_buf *b, const char *t) { cv_text_escape(b, t, false); }

static void text_finding(cv_renderer *r, const chanval_file *f, size_t index, const chanval_diag *d)
{
    (void)index;
    cv_buf *b = r->b;
    bool color = r->flags & CHANVAL_REPORT_COLOR;
    cv_buf_adds(b, color ? BOLD : "");
    path(b, chanval_file_path(f));
    cv_buf_addc(b, ':');
    cv_loc_text(b, d);
    cv_buf_printf(b, ":%s %s%s[CV%03u]:%s ", color ? RESET : "",
                  color ? (d->severity == CHANVAL_SEV_ERROR ? RED : MAGENTA) : "",
                  cv_sev_name(d->severity), d->rule, color ? RESET : "");
    text(b, d->message);
    cv_buf_addc(b, '\n');
    if (d->note) {
        cv_buf_printf(b, "  %snote:%s ", color ? CYAN : "", color ? RESET : "");
        text(b, d->note);
        cv_buf_addc(b, '\n');
    }
    if (r->view)
        cv_view_context(b, r->view, d, color);
}

/* The GNU Coding Standards' form, which vim's default 'errorformat'
 * (%f:%l:%c:%m) and emacs' compilation-mode (gnu) read: for a binary file,
 * the line and column where the byte sits as an editor counts them, with
 * the offset kept in the message for a human. */
static void gnu_finding(cv_renderer *r, const chanval_file *f, size_t index, const chanval_diag *d)
{
    (void)index;
    cv_buf *b = r->b;
    for (int part = 0; part < 2; part++) {
        const char *what = part == 0 ? d->message : d->note;
        if (!what)
            break;
        path(b, chanval_file_path(f));
        cv_buf_printf(b, ":%" PRIu32 ":%" PRIu32 ": %s: ", d->line ? d->line : 1,
                      d->column ? d->column : 1, part ? "note" : cv_sev_name(d->severity));
        text(b, what);
        if (part == 0) {
            cv_buf_printf(b, " [CV%03u]", d->rule);
            if (d->loc_kind == CHANVAL_LOC_OFFSET)
                cv_buf_printf(b, " (byte 0x%" PRIx64 ")", d->offset);
        }
        cv_buf_addc(b, '\n');
    }
}

static void text_end_file(cv_renderer *r, const chanval_file *f, size_t index)
{
    (void)index;
    uint64_t dropped = chanval_file_dropped(f);
    if (dropped) {
        path(r->b, chanval_file_path(f));
        cv_buf_printf(r->b, ": note: %" PRIu64 " more findings not shown (--max-diagnostics)\n",
                      dropped);
    }
}

/* chanval diff: what changed, before the findings */
static void text_begin_run(cv_renderer *r)
{
    cv_buf *b = r->b;
    chanval_diff_info d;
    if (!chanval_diff_get(r->s, &d))
        return;
    cv_buf_adds(b, "diff ");
    path(b, d.old_path);
    cv_buf_adds(b, " -> ");
    path(b, d.new_path);
    cv_buf_printf(
        b,
        "\n  channel %" PRIu32 " -> %" PRIu32 ", content version %" PRIu64 " -> %" PRIu64
        ", %" PRIu64 " -> %" PRIu64 " instances, %" PRIu64 " -> %" PRIu64 " bytes, %zu change%s\n",
        d.old_channel, d.new_channel, d.old_version, d.new_version, d.old_instances,
        d.new_instances, d.old_size, d.new_size, d.change_count, d.change_count == 1 ? "" : "s");
    chanval_diff_change c;
    for (size_t i = 0; chanval_diff_change_at(r->s, i, &c); i++) {
        cv_buf_printf(b, "  %c ", c.kind);
        text(b, c.text);
        cv_buf_addc(b, '\n');
    }
}

void cv_text_end_run(cv_renderer *r)
{
    const chanval_session *s = r->s;
    cv_buf *b = r->b;
    bool color = r->flags & CHANVAL_REPORT_COLOR;
    size_t nfiles = chanval_file_count(s), nio = chanval_io_error_count(s),
           nskipped = chanval_skipped_count(s);
    /* inputs never checked: no line of theirs may be missing */
    for (size_t i = 0; i < nio; i++) {
        cv_buf_adds(b, color ? BOLD : "");
        path(b, chanval_io_error_path(s, i));
        cv_buf_printf(b, ":%s %serror:%s ", color ? RESET : "", color ? RED : "",
                      color ? RESET : "");
        text(b, chanval_io_error(s, i));
        cv_buf_addc(b, '\n');
    }
    size_t by[4] = {0}; /* findings by chanval_suppression, shown or not */
    for (size_t i = 0; i < nfiles; i++) {
        const chanval_file *f = chanval_file_at(s, i);
        for (size_t k = 0; k < chanval_file_diag_count(f); k++)
            by[chanval_file_diag(f, k)->suppressed]++;
    }
    size_t suppressed = by[1] + by[2] + by[3];
    /* -q: errors only, so a clean run prints nothing at all */
    if ((r->flags & CHANVAL_REPORT_QUIET) && chanval_error_count(s) == 0 && nio == 0 &&
        !chanval_out_of_memory(s) && !(r->flags & CHANVAL_REPORT_VERBOSE))
        return;
    if (r->flags & CHANVAL_REPORT_VERBOSE)
        for (size_t i = 0; i < nfiles; i++) {
            const chanval_file *f = chanval_file_at(s, i);
            const uint8_t *sha = chanval_file_sha256(f);
            cv_buf_adds(b, "checked ");
            path(b, chanval_file_path(f));
            cv_buf_printf(b, " (%s, %" PRIu64 " bytes", chanval_kind_name(chanval_file_kind(f)),
                          chanval_file_size(f));
            if (sha) {
                cv_buf_adds(b, ", sha256 ");
                cv_sha_hex(b, sha);
            }
            cv_buf_adds(b, ")\n");
        }
    if (r->flags & CHANVAL_REPORT_VERBOSE)
        for (size_t i = 0; i < nskipped; i++) {
            const char *p = chanval_skipped_path(s, i);
            const char *slash = strrchr(p, '/');
            bool hidden = (slash ? slash[1] : p[0]) == '.';
            cv_buf_adds(b, "skipped ");
            path(b, p);
            cv_buf_adds(b, hidden ? " (hidden: not looked into)\n"
                                  : " (not content: not a content name, and its bytes are not "
                                    "a channel file or chanval document; or a link to a "
                                    "directory, not followed)\n");
        }
    if (!(r->flags & CHANVAL_REPORT_QUIET))
        cv_text_tests(b, s);
    if (suppressed)
        cv_buf_printf(b, "note: %zu findings suppressed (%zu inline, %zu by the configuration, "
                         "%zu by the baseline)\n",
                      suppressed, by[CHANVAL_SUPPRESS_INLINE], by[CHANVAL_SUPPRESS_CONFIG],
                      by[CHANVAL_SUPPRESS_BASELINE]);
    cv_buf_printf(b, "%zu errors, %zu warnings in %zu files", chanval_error_count(s),
                  chanval_warning_count(s), nfiles);
    if (nskipped)
        cv_buf_printf(b, ", %zu skipped", nskipped);
    if (nio)
        cv_buf_printf(b, ", %zu I/O error%s", nio, nio == 1 ? "" : "s");
    if (chanval_out_of_memory(s))
        cv_buf_adds(b, ", out of memory: not everything was checked");
    cv_buf_addc(b, '\n');
}

const cv_writer cv_gnu_writer = {.marks = false,
                                 .begin_run = text_begin_run,
                                 .finding = gnu_finding,
                                 .end_file = text_end_file,
                                 .end_run = cv_text_end_run};

const cv_writer cv_text_writer = {.marks = false,
                                  .begin_run = text_begin_run,
                                  .finding = text_finding,
                                  .end_file = text_end_file,
                                  .end_run = cv_text_end_run};
