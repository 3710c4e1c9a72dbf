/* report_text.c - compiler-style text: FILE:LOCATION: SEVERITY[RULE]: MESSAGE */
#include "diff.h"
#include "report.h"

#include <inttypes.h>

#define BOLD "\033[1m"
#define RED "\033[1;31m"
#define MAGENTA "\033[1;35m"
#define CYAN "\033[1;36m"
#define RESET "\033[0m"

static void text_file(cv_buf *b, const chanval_file *f, unsigned flags)
{
    bool color = flags & CHANVAL_REPORT_COLOR;
    for (size_t i = 0; i < f->ndiags; i++) {
        const chanval_diag *d = &f->diags[i];
        if (!cv_report_shows(d, flags, false))
            continue;
        cv_buf_printf(b, "%s%s:", color ? BOLD : "", f->path);
        cv_loc_text(b, d);
        cv_buf_printf(b, ":%s %s%s[CV%03u]:%s %s\n", color ? RESET : "",
                      color ? (d->severity == CHANVAL_SEV_ERROR ? RED : MAGENTA) : "",
                      cv_sev_name(d->severity), d->rule, color ? RESET : "", d->message);
        if (d->note)
            cv_buf_printf(b, "  %snote:%s %s\n", color ? CYAN : "", color ? RESET : "", d->note);
    }
    if (f->dropped)
        cv_buf_printf(b, "%s: note: %" PRIu64 " more findings not shown (--max-diagnostics)\n",
                      f->path, f->dropped);
}

static void text_diff(cv_buf *b, const cv_diff *d)
{
    cv_buf_printf(b,
                  "diff %s -> %s\n  channel %" PRIu32 " -> %" PRIu32 ", content version %" PRIu64
                  " -> %" PRIu64 ", %" PRIu64 " -> %" PRIu64 " instances, %" PRIu64 " -> %" PRIu64
                  " bytes, %zu change%s\n",
                  d->old_path, d->new_path, d->old_channel, d->new_channel, d->old_version,
                  d->new_version, d->old_instances, d->new_instances, d->old_size, d->new_size,
                  d->nchanges, d->nchanges == 1 ? "" : "s");
    for (size_t i = 0; i < d->nchanges; i++)
        cv_buf_printf(b, "  %c %s\n", d->changes[i].kind, d->changes[i].text);
}

void cv_render_text(const chanval_session *s, unsigned flags, cv_buf *b)
{
    size_t by[4] = {0};
    if (s->diff)
        text_diff(b, s->diff);
    for (size_t i = 0; i < s->nfiles; i++) {
        const chanval_file *f = s->files[i];
        text_file(b, f, flags);
        for (size_t k = 0; k < f->ndiags; k++)
            by[f->diags[k].suppressed]++;
    }
    size_t suppressed = by[1] + by[2] + by[3];
    if (flags & CHANVAL_REPORT_VERBOSE)
        for (size_t i = 0; i < s->nfiles; i++) {
            const chanval_file *f = s->files[i];
            cv_buf_printf(b, "checked %s (%s, %" PRIu64 " bytes", f->path,
                          chanval_kind_name(f->kind), f->size);
            if (f->has_sha256) {
                cv_buf_adds(b, ", sha256 ");
                cv_sha_hex(b, f->sha256);
            }
            cv_buf_adds(b, ")\n");
        }
    if (suppressed)
        cv_buf_printf(b, "note: %zu findings suppressed (%zu inline, %zu by the configuration, "
                         "%zu by the baseline)\n",
                      suppressed, by[CHANVAL_SUPPRESS_INLINE], by[CHANVAL_SUPPRESS_CONFIG],
                      by[CHANVAL_SUPPRESS_BASELINE]);
    cv_buf_printf(b, "%zu errors, %zu warnings in %zu files\n", chanval_error_count(s),
                  chanval_warning_count(s), s->nfiles);
}
