/* report_ci.c - what CI systems read: JUnit XML (Jenkins, GitLab), GitHub
 * Actions workflow commands, GitLab Code Quality JSON. */
#include "report/report.h"
#include "diag/rules.h"
#include "model/world.h"

#include <inttypes.h>
#include <string.h>

/* ---- JUnit: one testsuite per run, one testcase per file, a failure per
 * error; warnings go to the testcase's system-out. */

static void junit_line(cv_buf *b, const chanval_file *f, const chanval_diag *d)
{
    cv_buf line = {0};
    cv_buf_printf(&line, "%s:", f->path);
    cv_loc_text(&line, d);
    cv_buf_printf(&line, ": %s[CV%03u]: %s", cv_sev_name(d->severity), d->rule, d->message);
    if (d->note)
        cv_buf_printf(&line, "\n  note: %s", d->note);
    cv_xml_escape(b, line.data ? line.data : "");
    b->oom |= line.oom;
    cv_buf_free(&line);
}

void cv_render_junit(const chanval_session *s, unsigned flags, cv_buf *b)
{
    size_t failing = 0;
    for (size_t i = 0; i < s->nfiles; i++)
        failing += s->files[i]->errors > 0;
    /* an input that could not be read is a testcase in error, never absent */
    cv_buf_printf(b,
                  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                  "<testsuite name=\"chanval\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" "
                  "skipped=\"0\" time=\"0\">\n",
                  s->nfiles + s->nio_errors + s->nomem, failing, s->nio_errors + s->nomem);
    for (size_t i = 0; i < s->nfiles; i++) {
        const chanval_file *f = s->files[i];
        cv_buf_adds(b, "  <testcase name=\"");
        cv_xml_escape(b, f->path);
        cv_buf_printf(b, "\" classname=\"chanval.%s\" time=\"0\">\n", chanval_kind_name(f->kind));
        /* what was checked: a release step can compare it with what it ships */
        cv_buf_printf(b, "    <properties>\n      <property name=\"size\" value=\"%" PRIu64 "\"/>\n",
                      f->size);
        if (f->has_sha256) {
            cv_buf_adds(b, "      <property name=\"sha256\" value=\"");
            cv_sha_hex(b, f->sha256);
            cv_buf_adds(b, "\"/>\n");
        }
        cv_buf_adds(b, "    </properties>\n");
        bool warnings = false;
        for (size_t k = 0; k < f->ndiags; k++) {
            const chanval_diag *d = &f->diags[k];
            if (!cv_report_shows(d, flags, false))
                continue;
            if (d->severity != CHANVAL_SEV_ERROR) {
                warnings = true;
                continue;
            }
            cv_buf_printf(b, "    <failure type=\"CV%03u\" message=\"", d->rule);
            cv_xml_escape(b, d->message);
            cv_buf_adds(b, "\">");
            junit_line(b, f, d);
            cv_buf_adds(b, "</failure>\n");
        }
        if (warnings) {
            cv_buf_adds(b, "    <system-out>");
            for (size_t k = 0; k < f->ndiags; k++) {
                const chanval_diag *d = &f->diags[k];
                if (cv_report_shows(d, flags, false) && d->severity != CHANVAL_SEV_ERROR) {
                    junit_line(b, f, d);
                    cv_buf_adds(b, "&#10;");
                }
            }
            cv_buf_adds(b, "</system-out>\n");
        }
        cv_buf_adds(b, "  </testcase>\n");
    }
    for (size_t i = 0; i < s->nio_errors; i++) {
        cv_buf_adds(b, "  <testcase name=\"");
        cv_xml_escape(b, s->io_errors[i].path);
        cv_buf_adds(b, "\" classname=\"chanval.unreadable\" time=\"0\">\n    <error type=\"io\" "
                       "message=\"");
        cv_xml_escape(b, s->io_errors[i].message);
        cv_buf_adds(b, "\">");
        cv_xml_escape(b, s->io_errors[i].message);
        cv_buf_adds(b, "</error>\n  </testcase>\n");
    }
    if (s->nomem)
        cv_buf_adds(b, "  <testcase name=\"chanval\" classname=\"chanval.run\" time=\"0\">\n"
                       "    <error type=\"memory\" message=\"out of memory: not everything was "
                       "checked\"/>\n  </testcase>\n");
    cv_buf_adds(b, "</testsuite>\n");
}

/* ---- GitHub Actions: ::error file=...,line=...,col=...,title=...::msg
 *
 * The runner takes a command from the start of any line of the log, and
 * the log shows ANSI escapes: the text is first made terminal-safe
 * (cv_text_escape), then what the runner decodes (% CR LF, and : , in
 * properties) is percent-encoded, so a value can neither end its line
 * nor its property. */

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

static void gh_summary(const chanval_session *s, cv_buf *b)
{
    for (size_t i = 0; i < s->nio_errors; i++) {
        cv_buf_adds(b, "::error file=");
        gh_escape(b, s->io_errors[i].path, true);
        cv_buf_adds(b, ",line=1,title=unreadable input::");
        gh_escape(b, s->io_errors[i].message, false);
        cv_buf_addc(b, '\n');
    }
    if (s->nomem)
        cv_buf_adds(b, "::error title=out of memory::not everything was checked\n");
    cv_buf_printf(b, "%zu errors, %zu warnings in %zu files", chanval_error_count(s),
                  chanval_warning_count(s), s->nfiles);
    if (s->nio_errors)
        cv_buf_printf(b, ", %zu I/O error%s", s->nio_errors, s->nio_errors == 1 ? "" : "s");
    cv_buf_addc(b, '\n');
}

void cv_render_github(const chanval_session *s, unsigned flags, cv_buf *b)
{
    for (size_t i = 0; i < s->nfiles; i++) {
        const chanval_file *f = s->files[i];
        for (size_t k = 0; k < f->ndiags; k++) {
            const chanval_diag *d = &f->diags[k];
            if (!cv_report_shows(d, flags, false))
                continue;
            const chanval_rule *r = cv_rule(d->rule);
            cv_buf_printf(b, "::%s file=", cv_sev_name(d->severity));
            gh_escape(b, f->path, true);
            if (d->loc_kind == CHANVAL_LOC_LINE)
                cv_buf_printf(b, ",line=%" PRIu32 ",col=%" PRIu32, d->line, d->column);
            else
                cv_buf_adds(b, ",line=1");
            cv_buf_printf(b, ",title=CV%03u %s::", d->rule, r ? r->name : "");
            if (d->loc_kind == CHANVAL_LOC_OFFSET) {
                cv_buf_printf(b, "byte offset 0x%" PRIx64 ": ", d->offset);
            }
            gh_escape(b, d->message, false);
            if (d->note) {
                cv_buf_adds(b, "%0Anote: ");
                gh_escape(b, d->note, false);
            }
            cv_buf_addc(b, '\n');
        }
    }
    gh_summary(s, b);
}

/* ---- GitLab Code Quality: a JSON array of issues ---------------------- */

static const char *cq_severity(const chanval_diag *d)
{
    if (d->severity != CHANVAL_SEV_ERROR)
        return "minor";
    if (d->rule == 400 || d->rule == 502 || (d->rule >= 100 && d->rule < 200))
        return "critical";
    return "major";
}

void cv_render_codequality(const chanval_session *s, unsigned flags, cv_buf *b)
{
    cv_buf_adds(b, "[");
    bool first = true;
    for (size_t i = 0; i < s->nfiles; i++) {
        const chanval_file *f = s->files[i];
        for (size_t k = 0; k < f->ndiags; k++) {
            const chanval_diag *d = &f->diags[k];
            if (!cv_report_shows(d, flags, false))
                continue;
            cv_buf_adds(b, first ? "\n  {" : ",\n  {");
            first = false;
            cv_buf_printf(b, "\"type\": \"issue\", \"check_name\": \"CV%03u\", \"description\": ",
                          d->rule);
            cv_buf desc = {0};
            cv_buf_adds(&desc, d->message);
            if (d->loc_kind == CHANVAL_LOC_OFFSET)
                cv_buf_printf(&desc, " [byte offset 0x%" PRIx64 "]", d->offset);
            cv_json_str(b, desc.data ? desc.data : "");
            b->oom |= desc.oom;
            cv_buf_free(&desc);
            cv_buf_printf(b,
                          ", \"categories\": [\"%s\"], \"severity\": \"%s\", \"fingerprint\": "
                          "\"%s\", \"location\": {\"path\": ",
                          d->rule >= 400 && d->rule < 600 ? "Security" : "Bug Risk",
                          cq_severity(d), d->fingerprint ? d->fingerprint : "");
            cv_json_str(b, f->path);
            cv_buf_printf(b, ", \"lines\": {\"begin\": %" PRIu32 "}}}",
                          d->loc_kind == CHANVAL_LOC_LINE ? d->line : 1);
        }
    }
    /* an input that could not be read: a blocker, named */
    for (size_t i = 0; i < s->nio_errors; i++) {
        const cv_io_error *e = &s->io_errors[i];
        cv_buf_adds(b, first ? "\n  {" : ",\n  {");
        first = false;
        cv_buf_adds(b, "\"type\": \"issue\", \"check_name\": \"unreadable-input\", "
                       "\"description\": ");
        cv_json_str(b, e->message);
        uint64_t fp = cv_hash_bytes(e->path, strlen(e->path)) ^ 0x696f6572726f72u; /* "ioerror" */
        cv_buf_printf(b,
                      ", \"categories\": [\"Bug Risk\"], \"severity\": \"blocker\", "
                      "\"fingerprint\": \"%016" PRIx64 "\", \"location\": {\"path\": ",
                      fp);
        cv_json_str(b, e->path);
        cv_buf_adds(b, ", \"lines\": {\"begin\": 1}}}");
    }
    cv_buf_adds(b, first ? "]\n" : "\n]\n");
}
