/* report.c - rendering the report in every format, and what the formats
 * share.  Output depends on nothing but the findings: no locale, no clock,
 * no terminal. */
#include "report/report.h"
#include "base/utf8.h"

#include <inttypes.h>
#include <string.h>

static const char *const format_names[] = {"text", "json", "sarif", "junit", "github",
                                           "codequality"};

bool chanval_format_parse(const char *name, chanval_format *out)
{
    for (size_t i = 0; i < sizeof format_names / sizeof *format_names; i++)
        if (strcmp(name, format_names[i]) == 0) {
            *out = (chanval_format)i;
            return true;
        }
    return false;
}

const char *chanval_format_names(void) { return "text, json, sarif, junit, github, codequality"; }

const char *cv_sev_name(chanval_severity s) { return s == CHANVAL_SEV_ERROR ? "error" : "warning"; }

bool cv_report_shows(const chanval_diag *d, unsigned flags, bool marks)
{
    if (d->suppressed && !marks)
        return false;
    return !(flags & CHANVAL_REPORT_QUIET) || d->severity == CHANVAL_SEV_ERROR;
}

char *chanval_escape_text(const char *s, bool backslash)
{
    cv_buf b = {0};
    cv_text_escape(&b, s, backslash);
    size_t len;
    return cv_buf_take(&b, &len);
}

const char *cv_suppression_name(chanval_suppression s)
{
    switch (s) {
    case CHANVAL_SUPPRESS_INLINE:
        return "inline";
    case CHANVAL_SUPPRESS_CONFIG:
        return "config";
    case CHANVAL_SUPPRESS_BASELINE:
        return "baseline";
    default:
        return "none";
    }
}


void cv_loc_text(cv_buf *b, const chanval_diag *d)
{
    if (d->loc_kind == CHANVAL_LOC_OFFSET)
        cv_buf_printf(b, "0x%" PRIx64, d->offset);
    else
        cv_buf_printf(b, "%" PRIu32 ":%" PRIu32, d->line, d->column);
}

chanval_status chanval_render(const chanval_session *s, chanval_format fmt, unsigned flags,
                              char **out, size_t *out_len)
{
    static void (*const render[])(const chanval_session *, unsigned, cv_buf *) = {
        cv_render_text,  cv_render_json,   cv_render_sarif,
        cv_render_junit, cv_render_github, cv_render_codequality};
    *out = NULL;
    if ((unsigned)fmt >= sizeof render / sizeof *render)
        return CHANVAL_ERR_USAGE;
    cv_buf b = {0};
    render[fmt](s, flags, &b);
    *out = cv_buf_take(&b, out_len);
    return *out ? CHANVAL_OK : CHANVAL_ERR_NOMEM;
}
