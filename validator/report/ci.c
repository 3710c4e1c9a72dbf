/* ci.c - what CI systems read: JUnit XML (Jenkins, GitLab), GitHub
 * Actions workflow commands, GitLab Code Quality JSON. */
#include "report/report.h"

#include <inttypes.h>

/* ---- JUnit: one testsuite per run, one testcase per file, a failure per
 * error; warnings go to the testcase's system-out. */

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
    size_t nomem = chanval_out_of_memory(s), failing = 0;
    for (size_t i = 0; i < nfiles; i++)
        failing += chanval_file_errors(chanval_file_at(s, i)) > 0;
    /* an input that could not be read is a testcase in error, never absent */
    cv_buf_printf(r->b,
                  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                  "<testsuite name=\"chanval\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" "
                  "skipped=\"0\" time=\"0\">\n",
                  nfiles + nio + nomem, failing, nio + nomem);
}

static void junit_begin_file(cv_renderer *r, const chanval_file *f, size_t index)
{
    (void)index;
    cv_buf *b = r->b;
    const uint8_t *sha = chanval_file_sha256(f);
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

/* ---- GitLab Code Quality: a JSON array of issues ---------------------- */

static const char *cq_severity(const chanval_diag *d)
{
    if (d->severity != CHANVAL_SEV_ERROR)
        return "minor";
    if (d->rule == 400 || d->rule == 502 || (d->rule >= 100 && d->rule < 200))
        return "critical";
    return "major";
}

/* 64-bit FNV-1a, never 0: an unreadable input's fingerprint, which must
 * not change from one release to the next (GitLab would see the issue
 * as fixed and a new one opened). */
static uint64_t fnv1a(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (const uint8_t *p = (const uint8_t *)s; *p; p++) {
        h ^= *p;
        h *= 0x100000001b3ull;
    }
    return h ? h : 1;
}

static void cq_begin_run(cv_renderer *r) { cv_buf_adds(r->b, "["); }

static void cq_finding(cv_renderer *r, const chanval_file *f, size_t index, const chanval_diag *d)
{
    (void)index;
    cv_buf *b = r->b;
    cv_buf_adds(b, r->shown ? ",\n  {" : "\n  {");
    cv_buf_printf(b, "\"type\": \"issue\", \"check_name\": \"CV%03u\", \"description\": ", d->rule);
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
                  d->rule >= 400 && d->rule < 600 ? "Security" : "Bug Risk", cq_severity(d),
                  d->fingerprint ? d->fingerprint : "");
    cv_json_str(b, chanval_file_path(f));
    cv_buf_printf(b, ", \"lines\": {\"begin\": %" PRIu32 "}}}",
                  d->loc_kind == CHANVAL_LOC_LINE ? d->line : 1);
}

static void cq_end_run(cv_renderer *r)
{
    const chanval_session *s = r->s;
    cv_buf *b = r->b;
    bool first = r->shown == 0;
    /* an input that could not be read: a blocker, named */
    for (size_t i = 0; i < chanval_io_error_count(s); i++) {
        const char *path = chanval_io_error_path(s, i);
        cv_buf_adds(b, first ? "\n  {" : ",\n  {");
        first = false;
        cv_buf_adds(b, "\"type\": \"issue\", \"check_name\": \"unreadable-input\", "
                       "\"description\": ");
        cv_json_str(b, chanval_io_error(s, i));
        uint64_t fp = fnv1a(path) ^ 0x696f6572726f72u; /* "ioerror" */
        cv_buf_printf(b,
                      ", \"categories\": [\"Bug Risk\"], \"severity\": \"blocker\", "
                      "\"fingerprint\": \"%016" PRIx64 "\", \"location\": {\"path\": ",
                      fp);
        cv_json_str(b, path);
        cv_buf_adds(b, ", \"lines\": {\"begin\": 1}}}");
    }
    cv_buf_adds(b, first ? "]\n" : "\n]\n");
}

const cv_writer cv_codequality_writer = {
    .marks = false, .begin_run = cq_begin_run, .finding = cq_finding, .end_run = cq_end_run};
