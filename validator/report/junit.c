/* junit.c - JUnit XML (Jenkins, GitLab): one testsuite per run, one
 * testcase per file, a failure per error; warnings go to the testcase's
 * system-out, after its failures.  A content test's expectations are a
 * testcase each, ahead of the test's own. */
#include "report/report.h"

#include <inttypes.h>

static void junit_line(cv_buf *b, const chanval_file *f, const chanval_diag *d)
{
    cv_buf line = {0};
    cv_buf_printf(&line, "%s:", chanval_file_path(f));
    cv_loc_text(&line, d);
    cv_buf_printf(&line, ": %s[CV%03u]: %s", cv_sev_name(d->severity), d->rule, d->message);
    if (d->note)
        cv_buf_printf(&line, "\n  note: %s", d->note);
    cv_xml_escape(b, line.data ? line.data : "");
    b->oom |= line.oom;
    cv_buf_free(&line);
}

static void junit_begin_run(cv_renderer *r)
{
    const chanval_session *s = r->s;
    size_t nfiles = chanval_file_count(s), nio = chanval_io_error_count(s);
    size_t nomem = chanval_out_of_memory(s), failing = 0, cases = 0;
    for (size_t i = 0; i < nfiles; i++) {
        const chanval_file *f = chanval_file_at(s, i);
        failing += chanval_file_errors(f) > 0;
        chanval_test_case c;
        for (size_t k = 0; chanval_file_case(f, k, &c); k++) {
            cases++;
            failing += c.failed;
        }
    }
    /* an input that could not be read is a testcase in error, never absent */
    cv_buf_printf(r->b,
                  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                  "<testsuite name=\"chanval\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" "
                  "skipped=\"0\" time=\"0\">\n",
                  nfiles + cases + nio + nomem, failing, nio + nomem);
}

/* A test's expectations, one testcase each, before the test's own. */
static void junit_cases(cv_buf *b, const chanval_file *f)
{
    chanval_test_case c;
    for (size_t k = 0; chanval_file_case(f, k, &c); k++) {
        cv_buf_adds(b, "  <testcase name=\"");
        cv_xml_escape(b, c.name);
        cv_buf_adds(b, "\" classname=\"");
        cv_xml_escape(b, chanval_file_path(f));
        cv_buf_adds(b, "\" time=\"0\"");
        if (!c.failed) {
            cv_buf_adds(b, "/>\n");
            continue;
        }
        cv_buf_adds(b, ">\n    <failure type=\"CV700\" message=\"");
        cv_xml_escape(b, c.message ? c.message : "");
        cv_buf_adds(b, "\">");
        cv_xml_escape(b, chanval_file_path(f));
        cv_buf_printf(b, ":%" PRIu32 ":1: ", c.line);
        cv_xml_escape(b, c.message ? c.message : "");
        cv_buf_adds(b, "</failure>\n  </testcase>\n");
    }
}

static void junit_begin_file(cv_renderer *r, const chanval_file *f, size_t index)
{
    (void)index;
    cv_buf *b = r->b;
    const uint8_t *sha = chanval_file_sha256(f);
    junit_cases(b, f);
    cv_buf_adds(b, "  <testcase name=\"");
    cv_xml_escape(b, chanval_file_path(f));
    cv_buf_printf(b, "\" classname=\"chanval.%s\" time=\"0\">\n",
                  chanval_kind_name(chanval_file_kind(f)));
    /* what was checked: a release step can compare it with what it ships */
    cv_buf_printf(b, "    <properties>\n      <property name=\"size\" value=\"%" PRIu64 "\"/>\n",
                  chanval_file_size(f));
    if (sha) {
        cv_buf_adds(b, "      <property name=\"sha256\" value=\"");
        cv_sha_hex(b, sha);
        cv_buf_adds(b, "\"/>\n");
    }
    cv_buf_adds(b, "    </properties>\n");
}

static void junit_finding(cv_renderer *r, const chanval_file *f, size_t index,
                          const chanval_diag *d)
{
    (void)index;
    if (d->severity != CHANVAL_SEV_ERROR) { /* for system-out, at the end of the file */
        junit_line(&r->held, f, d);
        cv_buf_adds(&r->held, "&#10;");
        return;
    }
    cv_buf_printf(r->b, "    <failure type=\"CV%03u\" message=\"", d->rule);
    cv_xml_escape(r->b, d->message);
    cv_buf_adds(r->b, "\">");
    junit_line(r->b, f, d);
    cv_buf_adds(r->b, "</failure>\n");
}

static void junit_end_file(cv_renderer *r, const chanval_file *f, size_t index)
{
    (void)f;
    (void)index;
    if (r->held.len || r->held.oom) {
        cv_buf_adds(r->b, "    <system-out>");
        cv_buf_add(r->b, r->held.data, r->held.len);
        cv_buf_adds(r->b, "</system-out>\n");
    }
    cv_buf_adds(r->b, "  </testcase>\n");
}

static void junit_end_run(cv_renderer *r)
{
    const chanval_session *s = r->s;
    cv_buf *b = r->b;
    for (size_t i = 0; i < chanval_io_error_count(s); i++) {
        cv_buf_adds(b, "  <testcase name=\"");
        cv_xml_escape(b, chanval_io_error_path(s, i));
        cv_buf_adds(b, "\" classname=\"chanval.unreadable\" time=\"0\">\n    <error type=\"io\" "
                       "message=\"");
        cv_xml_escape(b, chanval_io_error(s, i));
        cv_buf_adds(b, "\">");
        cv_xml_escape(b, chanval_io_error(s, i));
        cv_buf_adds(b, "</error>\n  </testcase>\n");
    }
    if (chanval_out_of_memory(s))
        cv_buf_adds(b, "  <testcase name=\"chanval\" classname=\"chanval.run\" time=\"0\">\n"
                       "    <error type=\"memory\" message=\"out of memory: not everything was "
                       "checked\"/>\n  </testcase>\n");
    cv_buf_adds(b, "</testsuite>\n");
}

const cv_writer cv_junit_writer = {.marks = false,
                                   .begin_run = junit_begin_run,
                                   .begin_file = junit_begin_file,
                                   .finding = junit_finding,
                                   .end_file = junit_end_file,
                                   .end_run = junit_end_run};
