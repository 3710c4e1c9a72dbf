/* common.c - what the formats share: their names, severity and
 * suppression words, rule lookup, locations.  Output depends on nothing
 * but the findings: no locale, no clock, no terminal. */
#include "report/report.h"

#include <inttypes.h>
#include <string.h>

static const char *const format_names[] = {"text",   "json",        "sarif", "junit",
                                           "github", "codequality", "gnu",   "html"};

bool chanval_format_parse(const char *name, chanval_format *out)
{
    for (size_t i = 0; i < sizeof format_names / sizeof *format_names; i++)
        if (strcmp(name, format_names[i]) == 0) {
            *out = (chanval_format)i;
            return true;
        }
    return false;
}

const char *chanval_format_names(void)
{
    return "text, json, sarif, junit, github, codequality, gnu, html";
}

const char *chanval_format_name(chanval_format f)
{
    size_t i = (size_t)f;
    return i < sizeof format_names / sizeof *format_names ? format_names[i] : "unknown";
}

const char *cv_sev_name(chanval_severity s) { return s == CHANVAL_SEV_ERROR ? "error" : "warning"; }

const chanval_rule *cv_report_rule(unsigned id, size_t *index)
{
    for (size_t i = 0; i < chanval_rule_count(); i++) {
        const chanval_rule *r = chanval_rule_at(i);
        if (r->id == id) {
            *index = i;
            return r;
        }
    }
    *index = 0;
    return NULL;
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
