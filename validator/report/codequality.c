/* codequality.c - GitLab Code Quality: a JSON array of issues, each with
 * a fingerprint GitLab matches across pipelines. */
#include "report/report.h"

#include <inttypes.h>

static unsigned security_severity(const chanval_diag *d)
{
    size_t index;
    return chanval_rule_security_severity(cv_report_rule(d->rule, &index));
}

/* critical: what would take an endpoint down (high security severity: a
 * read past the inputs, a regex that spins) or a container that cannot be
 * read at all */
static const char *cq_severity(const chanval_diag *d)
{
    if (d->severity != CHANVAL_SEV_ERROR)
        return "minor";
    if (security_severity(d) >= 80 || (d->rule >= 100 && d->rule < 200))
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
                  security_severity(d) ? "Security" : "Bug Risk", cq_severity(d),
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
