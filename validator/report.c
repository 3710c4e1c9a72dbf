/* report.c - rendering the report in every format, and what the formats
 * share.  Output depends on nothing but the findings: no locale, no clock,
 * no terminal. */
#include "report.h"
#include "utf8.h"

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

void cv_json_str(cv_buf *b, const char *s)
{
    const uint8_t *p = (const uint8_t *)s;
    size_t n = strlen(s), i = 0;
    cv_buf_addc(b, '"');
    while (i < n) {
        uint8_t c = p[i];
        if (c == '"' || c == '\\') {
            cv_buf_addc(b, '\\');
            cv_buf_addc(b, (char)c);
            i++;
        } else if (c < 0x20 || c == 0x7f) {
            cv_buf_printf(b, "\\u%04x", c);
            i++;
        } else if (c < 0x80) {
            cv_buf_addc(b, (char)c);
            i++;
        } else {
            uint32_t cp;
            size_t k = cv_utf8_seq(p + i, n - i, &cp);
            if (k == 0) { /* a path need not be UTF-8; JSON must be */
                cv_buf_adds(b, "\\ufffd");
                i++;
            } else {
                cv_buf_add(b, p + i, k);
                i += k;
            }
        }
    }
    cv_buf_addc(b, '"');
}

/* Bidirectional formatting characters reorder what follows them on
 * screen (a name can then read as another); C1 controls are terminal
 * commands; U+2028/U+2029 break lines where a viewer honours them. */
bool cv_text_invisible(uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x061c || cp == 0x200e ||
           cp == 0x200f || cp == 0x2028 || cp == 0x2029 || (cp >= 0x202a && cp <= 0x202e) ||
           (cp >= 0x2066 && cp <= 0x2069);
}

void cv_text_escape_n(cv_buf *b, const uint8_t *p, size_t n, bool backslash)
{
    size_t i = 0;
    while (i < n) {
        uint8_t c = p[i];
        uint32_t cp = c;
        size_t k = c < 0x80 ? 1 : cv_utf8_seq(p + i, n - i, &cp);
        if (k == 0 || cp < 0x20 || cp == 0x7f) {
            cv_buf_printf(b, "\\x%02x", c); /* a control, or a byte that is not UTF-8 */
            k = 1;
        } else if (cv_text_invisible(cp)) {
            cv_buf_printf(b, "\\u%04" PRIx32, cp);
        } else if (c == '\\' && backslash) {
            cv_buf_adds(b, "\\\\");
        } else {
            cv_buf_add(b, p + i, k);
        }
        i += k;
    }
}

void cv_text_escape(cv_buf *b, const char *s, bool backslash)
{
    cv_text_escape_n(b, (const uint8_t *)s, strlen(s), backslash);
}

char *chanval_escape_text(const char *s, bool backslash)
{
    cv_buf b = {0};
    cv_text_escape(&b, s, backslash);
    size_t len;
    return cv_buf_take(&b, &len);
}

bool cv_utf8_valid(const char *s)
{
    size_t bad;
    bool nul;
    return cv_utf8_check((const uint8_t *)s, strlen(s), &bad, &nul);
}

void cv_json_path(cv_buf *b, const char *key, const char *path)
{
    cv_buf_printf(b, "\"%s\": ", key);
    cv_json_str(b, path);
    if (cv_utf8_valid(path))
        return;
    /* what "path" cannot carry: the name's exact bytes */
    cv_buf_printf(b, ", \"%sBytes\": \"", key);
    for (const uint8_t *c = (const uint8_t *)path; *c; c++)
        cv_buf_printf(b, "%02x", *c);
    cv_buf_addc(b, '"');
}

void cv_xml_escape(cv_buf *b, const char *s) { cv_xml_escape_n(b, (const uint8_t *)s, strlen(s)); }

void cv_xml_escape_n(cv_buf *b, const uint8_t *p, size_t n)
{
    size_t i = 0;
    while (i < n) {
        uint8_t c = p[i];
        uint32_t cp = c;
        size_t k = c < 0x80 ? 1 : cv_utf8_seq(p + i, n - i, &cp);
        if (k == 0) {
            cv_buf_adds(b, "\xef\xbf\xbd"); /* U+FFFD */
            i++;
            continue;
        }
        switch (c) {
        case '&':
            cv_buf_adds(b, "&amp;");
            break;
        case '<':
            cv_buf_adds(b, "&lt;");
            break;
        case '>':
            cv_buf_adds(b, "&gt;");
            break;
        case '"':
            cv_buf_adds(b, "&quot;");
            break;
        case '\t':
        case '\n':
        case '\r':
            cv_buf_printf(b, "&#%u;", c);
            break;
        default:
            /* XML 1.0 cannot carry the other C0 controls, even escaped;
             * DEL, C1 and bidi controls it can, as references, which keep
             * them off a terminal the document is shown on */
            if (cp < 0x20 || cp == 0xFFFE || cp == 0xFFFF)
                cv_buf_adds(b, "\xef\xbf\xbd");
            else if (cv_text_invisible(cp))
                cv_buf_printf(b, "&#x%" PRIX32 ";", cp);
            else
                cv_buf_add(b, p + i, k);
        }
        i += k;
    }
}

void cv_sha_hex(cv_buf *b, const uint8_t sha[32])
{
    for (int i = 0; i < 32; i++)
        cv_buf_printf(b, "%02x", sha[i]);
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
