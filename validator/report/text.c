/* report_text.c - compiler-style text: FILE:LOCATION: SEVERITY[RULE]: MESSAGE
 *
 * Everything that came from outside (paths, messages quoting content,
 * libxml2's words) goes through cv_text_escape: a report on a terminal
 * must not take orders from the files it reports on. */
#include "check/diff.h"
#include "report/report.h"

#include <inttypes.h>
#include <string.h>

#define BOLD "\033[1m"
#define RED "\033[1;31m"
#define MAGENTA "\033[1;35m"
#define CYAN "\033[1;36m"
#define RESET "\033[0m"

static void path(cv_buf *b, const char *p) { cv_text_escape(b, p, true); }
static void text(cv_buf *b, const char *t) { cv_text_escape(b, t, false); }

static void text_file(cv_buf *b, const chanval_file *f, unsigned flags)
{
    bool color = flags & CHANVAL_REPORT_COLOR;
    for (size_t i = 0; i < f->ndiags; i++) {
        const chanval_diag *d = &f->diags[i];
        if (!cv_report_shows(d, flags, false))
            continue;
        cv_buf_adds(b, color ? BOLD : "");
        path(b, f->path);
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
    }
    if (f->dropped) {
        path(b, f->path);
        cv_buf_printf(b, ": note: %" PRIu64 " more findings not shown (--max-diagnostics)\n",
                      f->dropped);
    }
}

static void text_diff(cv_buf *b, const cv_diff *d)
{
    cv_buf_adds(b, "diff ");
    path(b, d->old_path);
    cv_buf_adds(b, " -> ");
    path(b, d->new_path);
    cv_buf_printf(
        b,
        "\n  channel %" PRIu32 " -> %" PRIu32 ", content version %" PRIu64 " -> %" PRIu64
        ", %" PRIu64 " -> %" PRIu64 " instances, %" PRIu64 " -> %" PRIu64 " bytes, %zu change%s\n",
        d->old_channel, d->new_channel, d->old_version, d->new_version, d->old_instances,
        d->new_instances, d->old_size, d->new_size, d->nchanges, d->nchanges == 1 ? "" : "s");
    for (size_t i = 0; i < d->nchanges; i++) {
        cv_buf_printf(b, "  %c ", d->changes[i].kind);
        text(b, d->changes[i].text);
        cv_buf_addc(b, '\n');
    }
}

void cv_render_text(const chanval_session *s, unsigned flags, cv_buf *b)
{
    bool color = flags & CHANVAL_REPORT_COLOR;
    size_t by[4] = {0};
    if (s->diff)
        text_diff(b, s->diff);
    for (size_t i = 0; i < s->nfiles; i++) {
        const chanval_file *f = s->files[i];
        text_file(b, f, flags);
        for (size_t k = 0; k < f->ndiags; k++)
            by[f->diags[k].suppressed]++;
    }
    /* inputs never checked: no line of theirs may be missing */
    for (size_t i = 0; i < s->nio_errors; i++) {
        cv_buf_adds(b, color ? BOLD : "");
        path(b, s->io_errors[i].path);
        cv_buf_printf(b, ":%s %serror:%s ", color ? RESET : "", color ? RED : "",
                      color ? RESET : "");
        text(b, s->io_errors[i].message);
        cv_buf_addc(b, '\n');
    }
    size_t suppressed = by[1] + by[2] + by[3];
    if (flags & CHANVAL_REPORT_VERBOSE)
        for (size_t i = 0; i < s->nfiles; i++) {
            const chanval_file *f = s->files[i];
            cv_buf_adds(b, "checked ");
            path(b, f->path);
            cv_buf_printf(b, " (%s, %" PRIu64 " bytes", chanval_kind_name(f->kind), f->size);
            if (f->has_sha256) {
                cv_buf_adds(b, ", sha256 ");
                cv_sha_hex(b, f->sha256);
            }
            cv_buf_adds(b, ")\n");
        }
    if (flags & CHANVAL_REPORT_VERBOSE)
        for (size_t i = 0; i < s->nskipped; i++) {
            const char *slash = strrchr(s->skipped[i], '/');
            bool hidden = (slash ? slash[1] : s->skipped[i][0]) == '.';
            cv_buf_adds(b, "skipped ");
            path(b, s->skipped[i]);
            cv_buf_adds(b, hidden ? " (hidden: not looked into)\n"
                                  : " (not content: not a content name, and its bytes are not "
                                    "a channel file or chanval document; or a link to a "
                                    "directory, not followed)\n");
        }
    if (suppressed)
        cv_buf_printf(b, "note: %zu findings suppressed (%zu inline, %zu by the configuration, "
                         "%zu by the baseline)\n",
                      suppressed, by[CHANVAL_SUPPRESS_INLINE], by[CHANVAL_SUPPRESS_CONFIG],
                      by[CHANVAL_SUPPRESS_BASELINE]);
    cv_buf_printf(b, "%zu errors, %zu warnings in %zu files", chanval_error_count(s),
                  chanval_warning_count(s), s->nfiles);
    if (s->nskipped)
        cv_buf_printf(b, ", %zu skipped", s->nskipped);
    if (s->nio_errors)
        cv_buf_printf(b, ", %zu I/O error%s", s->nio_errors, s->nio_errors == 1 ? "" : "s");
    if (s->nomem)
        cv_buf_adds(b, ", out of memory: not everything was checked");
    cv_buf_addc(b, '\n');
}
