/* escape.c - text, JSON and XML escaping: what every output of the library
 * (reports, dumps, the configuration's messages) writes untrusted bytes
 * through, so that nothing from an input becomes markup or moves a cursor. */
#include "base/escape.h"
#include "base/utf8.h"

#include <inttypes.h>
#include <string.h>

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

void cv_html_escape_n(cv_buf *b, const uint8_t *p, size_t n, bool backslash)
{
    cv_buf t = {0};
    cv_text_escape_n(&t, p, n, backslash);
    if (t.oom)
        b->oom = true;
    for (size_t i = 0; i < t.len; i++) {
        char c = t.data[i];
        switch (c) {
        case '&': cv_buf_adds(b, "&amp;"); break;
        case '<': cv_buf_adds(b, "&lt;"); break;
        case '>': cv_buf_adds(b, "&gt;"); break;
        case '"': cv_buf_adds(b, "&quot;"); break;
        case '\'': cv_buf_adds(b, "&#39;"); break;
        default: cv_buf_addc(b, c);
        }
    }
    cv_buf_free(&t);
}

void cv_html_escape(cv_buf *b, const char *s, bool backslash)
{
    cv_html_escape_n(b, (const uint8_t *)s, strlen(s), backslash);
}
