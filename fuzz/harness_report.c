/* harness_report.c - the report writers.  The first input byte picks what
 * the rest is checked as (a channel file or source, a template-types or
 * fleet document, with or without the sample world) and the options
 * (strict, a small --max-diagnostics, the quiet and colour flags); then
 * every report format that chanval_format_parse knows is rendered.
 * JSON-based formats must be strict JSON with an object at the top,
 * JUnit must be well-formed XML, line formats must keep one finding per
 * line, and every output must be valid UTF-8.  The rule table lookup
 * (chanval explain) gets the input as a rule name too. */
#include "common.h"
#include "jsoncheck.h"

#include <libxml/parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const formats[] = {"text", "json",     "sarif", "junit", "github", "codequality",
                                      "gnu",  "html",     "markdown", "xml", "checkstyle"};

static bool utf8_ok(const char *s, size_t n, size_t *bad)
{
    const uint8_t *p = (const uint8_t *)s;
    size_t i = 0;
    while (i < n) {
        uint8_t c = p[i];
        size_t len = c < 0x80 ? 1 : c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3
                                : c >= 0xF0 && c <= 0xF4                       ? 4
                                                                               : 0;
        if (len == 0 || n - i < len) {
            *bad = i;
            return false;
        }
        uint32_t cp = len == 1 ? c : len == 2 ? c & 0x1Fu : len == 3 ? c & 0x0Fu : c & 0x07u;
        for (size_t k = 1; k < len; k++) {
            if ((p[i + k] & 0xC0) != 0x80) {
                *bad = i;
                return false;
            }
            cp = cp << 6 | (p[i + k] & 0x3Fu);
        }
        if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF)) {
            *bad = i;
            return false;
        }
        i += len;
    }
    return true;
}

static void check_output(const char *name, unsigned flags, const char *out, size_t len,
                         size_t shown)
{
    size_t bad = 0;
    if (strlen(out) != len)
        cvf_fail("%s report (flags %u) has a NUL byte at %zu of %zu", name, flags, strlen(out), len);
    if (!utf8_ok(out, len, &bad))
        cvf_fail("%s report (flags %u) is not valid UTF-8 at byte %zu", name, flags, bad);
    char why[128];
    if (strcmp(name, "json") == 0 || strcmp(name, "sarif") == 0 ||
        strcmp(name, "codequality") == 0) {
        if (!cvf_json_valid(out, len, why, sizeof why))
            cvf_fail("%s report (flags %u) is not JSON: %s", name, flags, why);
        if (strcmp(name, "codequality") != 0 && !cvf_json_object(out, len))
            cvf_fail("%s report (flags %u) is not a JSON object", name, flags);
    } else if (strcmp(name, "junit") == 0 || strcmp(name, "xml") == 0 ||
               strcmp(name, "checkstyle") == 0) {
        xmlDoc *doc = xmlReadMemory(out, (int)len, "report.xml", NULL,
                                    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
        if (!doc)
            cvf_fail("%s report (flags %u) is not well-formed XML", name, flags);
        xmlFreeDoc(doc);
    } else if (strcmp(name, "text") == 0 || strcmp(name, "github") == 0) {
        /* one finding per line: a message never carries a raw line break
         * or another control character (ESC only for colours) */
        for (size_t i = 0; i < len; i++) {
            unsigned char c = (unsigned char)out[i];
            if (c < 0x20 && c != '\t' && c != '\n' &&
                !(c == 0x1b && (flags & CHANVAL_REPORT_COLOR)))
                cvf_fail("%s report (flags %u) has control character 0x%02x at %zu", name, flags,
                         c, i);
        }
        size_t lines = 0;
        for (size_t i = 0; i < len; i++)
            lines += out[i] == '\n';
        if (strcmp(name, "text") == 0 && shown > 0 && lines == 0)
            cvf_fail("text report has no line for %zu findings", shown);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint8_t mode = data[0];
    data++;
    size--;
    bool world = (mode & 8) == 0;
    chanval_session *s = cvf_session(world, world);
    chanval_set_strict(s, (mode & 16) != 0);
    if (mode & 32)
        cvf_ok(chanval_set_limit(s, CHANVAL_LIMIT_DIAGNOSTICS, 1 + size % 4), "set limit");
    /* CHANVAL_REPORT_QUIET, _COLOR from the selector, _VERBOSE for odd sizes */
    unsigned flags = (unsigned)(mode >> 6) | (size % 2 ? CHANVAL_REPORT_VERBOSE : 0u);
    switch (mode & 3) {
    case 0:
    case 1:
        cvf_ok(chanval_check_memory(s, "fuzz \"input\" <&>\xc3\xa9", data, size), "check");
        break;
    case 2:
        cvf_ok(chanval_check_memory(s, "a.xml", cvf_source_xml, cvf_source_xml_len), "check");
        cvf_ok(chanval_check_memory(s, "fuzz.bin", data, size), "check");
        break;
    default:
        if (mode & 4)
            cvf_ok(chanval_add_fleet_memory(s, "fuzz.xml", data, size), "add fleet");
        else
            cvf_ok(chanval_add_types_memory(s, "fuzz.xml", data, size), "add types");
        cvf_ok(chanval_check_world(s), "world check");
        break;
    }
    size_t all = 0, errors = 0;
    for (size_t i = 0; i < chanval_file_count(s); i++) {
        const chanval_file *f = chanval_file_at(s, i);
        all += chanval_file_diag_count(f);
        for (size_t k = 0; k < chanval_file_diag_count(f); k++)
            errors += chanval_file_diag(f, k)->severity == CHANVAL_SEV_ERROR;
    }
    for (size_t i = 0; i < sizeof formats / sizeof *formats; i++) {
        chanval_format fmt;
        if (!chanval_format_parse(formats[i], &fmt))
            continue;
        /* SARIF carries the whole rule table (milliseconds a render): one
         * input in eight */
        if (strcmp(formats[i], "sarif") == 0 && (!(mode & 4) || size % 4 != 0))
            continue;
        char *out = NULL;
        size_t len = 0;
        cvf_ok(chanval_render(s, fmt, flags, &out, &len), "render");
        if (!out)
            cvf_fail("render gave no output");
        check_output(formats[i], flags, out, len, (flags & CHANVAL_REPORT_QUIET) ? errors : all);
        chanval_free(out);
    }
    chanval_session_free(s);

    /* the input as a rule name (chanval explain) */
    char name[32];
    size_t n = size < sizeof name - 1 ? size : sizeof name - 1;
    memcpy(name, data, n);
    name[n] = '\0';
    const chanval_rule *r = chanval_rule_find(name);
    if (r && (!r->name || !r->summary || !r->explanation))
        cvf_fail("rule CV%03u has an empty text", r->id);
    return 0;
}
