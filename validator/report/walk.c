/* walk.c - chanval_render: one walk over the run's files and the findings
 * a format shows, calling the format's writer (report.h).  Which findings
 * a report shows is decided here and nowhere else. */
#include "report/report.h"
#include "report/hexview.h"

/* Does this finding appear in a report made with these flags?  Suppressed
 * ones only where the format can mark them; -q shows errors. */
static bool shows(const chanval_diag *d, unsigned flags, bool marks)
{
    if (d->suppressed && !marks)
        return false;
    return !(flags & CHANVAL_REPORT_QUIET) || d->severity == CHANVAL_SEV_ERROR;
}

static void walk(const cv_writer *w, cv_renderer *r)
{
    if (w->begin_run)
        w->begin_run(r);
    size_t nfiles = chanval_file_count(r->s);
    for (size_t i = 0; i < nfiles; i++) {
        const chanval_file *f = chanval_file_at(r->s, i);
        r->file_shown = 0;
        if (w->views || (r->flags & CHANVAL_REPORT_CONTEXT)) {
            if (cv_view_open(&r->painted, f) != 0)
                r->b->oom = true;
            r->view = &r->painted;
        }
        if (w->begin_file)
            w->begin_file(r, f, i);
        size_t ndiags = chanval_file_diag_count(f);
        for (size_t k = 0; k < ndiags; k++) {
            const chanval_diag *d = chanval_file_diag(f, k);
            if (!shows(d, r->flags, w->marks))
                continue;
            if (w->finding)
                w->finding(r, f, i, d);
            r->file_shown++;
            r->shown++;
        }
        if (w->end_file)
            w->end_file(r, f, i);
        cv_view_close(&r->painted);
        r->view = NULL;
        r->b->oom |= r->held.oom;
        cv_buf_free(&r->held);
    }
    if (w->end_run)
        w->end_run(r);
}

chanval_status chanval_render(const chanval_session *s, chanval_format fmt, unsigned flags,
                              char **out, size_t *out_len)
{
    static const cv_writer *const writers[] = {&cv_text_writer,   &cv_json_writer,
                                               &cv_sarif_writer,  &cv_junit_writer,
                                               &cv_github_writer, &cv_codequality_writer,
                                               &cv_gnu_writer,    &cv_html_writer};
    *out = NULL;
    if ((unsigned)fmt >= sizeof writers / sizeof *writers)
        return CHANVAL_ERR_USAGE;
    cv_buf b = {0};
    cv_renderer r = {.s = s, .flags = flags, .b = &b};
    walk(writers[fmt], &r);
    *out = cv_buf_take(&b, out_len);
    return *out ? CHANVAL_OK : CHANVAL_ERR_NOMEM;
}

chanval_status chanval_render_view(const chanval_session *s, unsigned flags, char **out,
                                   size_t *out_len)
{
    cv_buf b = {0};
    cv_renderer r = {.s = s, .flags = flags, .b = &b};
    walk(&cv_view_writer, &r);
    *out = cv_buf_take(&b, out_len);
    return *out ? CHANVAL_OK : CHANVAL_ERR_NOMEM;
}
