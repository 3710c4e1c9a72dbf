/* github.c - GitHub Actions workflow commands:
 * ::error file=...,line=...,col=...,title=...::msg
 *
 * The runner takes a command from the start of any line of the log, and
 * the log shows ANSI escapes: the text is first made terminal-safe
 * (cv_text_escape), then what the runner decodes (% CR LF, and : , in
 * properties) is percent-encoded, so a value can neither end its line
 * nor its property. */
#include "report/report.h"

#include <inttypes.h>

static void gh_escape(cv_buf *b, const char *raw, bool property)
{
    cv_buf safe = {0};
    cv_text_escape(&safe, raw, false); /* file= must still name the file */
    b->oom |= safe.oom;
    const char *s = safe.data && !safe.oom ? safe.data : "";
    for (; *s; s++) {
        switch (*s) {
        case '%':
            cv_buf_adds(b, "%25");
            break;
        case '\r':
            cv_buf_adds(b, "%0D");
            break;
        case '\n':
            cv_buf_adds(b, "%0A");
            break;
        case ':':
            cv_buf_adds(b, property ? "%3A" : ":");
            break;
        case ',':
            cv_buf_adds(b, property ? "%2C" : ",");
            break;
        default:
            cv_buf_addc(b, *s);
        }
    }
    cv_buf_free(&safe);
}

static void github_finding(cv_renderer *r, const chanval_file *f, size_t index,
                           const chanval_diag *d)
{
    (void)index;
    cv_buf *b = r->b;
    size_t rule_index;
    const chanval_rule *rule = cv_report_rule(d->rule, &rule_index);
    cv_buf_printf(b, "::%s file=", cv_sev_name(d->severity));
    gh_escape(b, chanval_file_path(f), true);
    if (d->loc_kind == CHANVAL_LOC_LINE)
        cv_buf_printf(b, ",line=%" PRIu32 ",col=%" PRIu32, d->line, d->column);
    else
        cv_buf_adds(b, ",line=1");
    cv_buf_printf(b, ",title=CV%03u %s::", d->rule, rule ? rule->name : "");
    if (d->loc_kind == CHANVAL_LOC_OFFSET)
        cv_buf_printf(b, "byte offset 0x%" PRIx64 ": ", d->offset);
    gh_escape(b, d->message, false);
    if (d->note) {
        cv_buf_adds(b, "%0Anote: ");
        gh_escape(b, d->note, false);
    }
    cv_buf_addc(b, '\n');
}

static void github_end_run(cv_renderer *r)
{
    const chanval_session *s = r->s;
    cv_buf *b = r->b;
    size_t nio = chanval_io_error_count(s);
    for (size_t i = 0; i < nio; i++) {
        cv_buf_adds(b, "::error file=");
        gh_escape(b, chanval_io_error_path(s, i), true);
        cv_buf_adds(b, ",line=1,title=unreadable input::");
        gh_escape(b, chanval_io_error(s, i), false);
        cv_buf_addc(b, '\n');
    }
    if (chanval_out_of_memory(s))
        cv_buf_adds(b, "::error title=out of memory::not everything was checked\n");
    cv_buf_printf(b, "%zu errors, %zu warnings in %zu files", chanval_error_count(s),
                  chanval_warning_count(s), chanval_file_count(s));
    if (nio)
        cv_buf_printf(b, ", %zu I/O error%s", nio, nio == 1 ? "" : "s");
    cv_buf_addc(b, '\n');
}

const cv_writer cv_github_writer = {
    .marks = false, .finding = github_finding, .end_run = github_end_run};
