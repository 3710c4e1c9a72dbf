/* report.c - the report as compiler-style text or JSON.  Output depends on
 * nothing but the findings: no locale, no clock, no terminal. */
#include "rules.h"
#include "session.h"
#include "utf8.h"

#include <inttypes.h>
#include <string.h>

bool chanval_format_parse(const char *name, chanval_format *out)
{
    if (strcmp(name, "text") == 0)
        *out = CHANVAL_FORMAT_TEXT;
    else if (strcmp(name, "json") == 0)
        *out = CHANVAL_FORMAT_JSON;
    else
        return false;
    return true;
}

static const char *sev_name(chanval_severity s)
{
    return s == CHANVAL_SEV_ERROR ? "error" : "warning";
}

static bool shown(const chanval_diag *d, unsigned flags)
{
    return !(flags & CHANVAL_REPORT_QUIET) || d->severity == CHANVAL_SEV_ERROR;
}

/* ---- text ------------------------------------------------------------- */

#define BOLD "\033[1m"
#define RED "\033[1;31m"
#define MAGENTA "\033[1;35m"
#define CYAN "\033[1;36m"
#define RESET "\033[0m"

static void text_file(cv_buf *b, const chanval_file *f, unsigned flags)
{
    bool color = flags & CHANVAL_REPORT_COLOR;
    for (size_t i = 0; i < f->ndiags; i++) {
        const chanval_diag *d = &f->diags[i];
        if (!shown(d, flags))
            continue;
        if (color)
            cv_buf_adds(b, BOLD);
        if (d->loc_kind == CHANVAL_LOC_OFFSET)
            cv_buf_printf(b, "%s:0x%" PRIx64 ":", f->path, d->offset);
        else
            cv_buf_printf(b, "%s:%" PRIu32 ":%" PRIu32 ":", f->path, d->line, d->column);
        if (color)
            cv_buf_adds(b, RESET);
        cv_buf_printf(b, " %s%s[CV%03u]:%s %s\n",
                      color ? (d->severity == CHANVAL_SEV_ERROR ? RED : MAGENTA) : "",
                      sev_name(d->severity), d->rule, color ? RESET : "", d->message);
        if (d->note)
            cv_buf_printf(b, "  %snote:%s %s\n", color ? CYAN : "", color ? RESET : "", d->note);
    }
    if (f->dropped)
        cv_buf_printf(b, "%s: note: %" PRIu64 " more findings not shown (--max-diagnostics)\n",
                      f->path, f->dropped);
}

/* ---- JSON ------------------------------------------------------------- */

static void json_str(cv_buf *b, const char *s)
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

static void json_diag(cv_buf *b, const chanval_diag *d)
{
    const chanval_rule *r = cv_rule(d->rule);
    cv_buf_printf(b, "        {\n          \"rule\": \"CV%03u\",\n          \"name\": ", d->rule);
    json_str(b, r ? r->name : "?");
    cv_buf_printf(
        b, ",\n          \"severity\": \"%s\",\n          \"message\": ", sev_name(d->severity));
    json_str(b, d->message);
    if (d->loc_kind == CHANVAL_LOC_OFFSET)
        cv_buf_printf(b, ",\n          \"offset\": %" PRIu64, d->offset);
    else
        cv_buf_printf(b, ",\n          \"line\": %" PRIu32 ",\n          \"column\": %" PRIu32,
                      d->line, d->column);
    if (d->has_instance)
        cv_buf_printf(b, ",\n          \"instance\": %" PRIu32, d->instance);
    if (d->criterion >= 0)
        cv_buf_printf(b, ",\n          \"criterion\": %" PRId32, d->criterion);
    if (d->sensor) {
        cv_buf_adds(b, ",\n          \"sensor\": ");
        json_str(b, d->sensor);
    }
    if (d->note) {
        cv_buf_adds(b, ",\n          \"note\": ");
        json_str(b, d->note);
    }
    if (d->regex_class != CHANVAL_REGEX_NONE) {
        cv_buf_adds(b, ",\n          \"witness\": {\"prefix\": ");
        json_str(b, d->witness_prefix ? d->witness_prefix : "");
        cv_buf_adds(b, ", \"pump\": ");
        json_str(b, d->witness_pump ? d->witness_pump : "");
        cv_buf_adds(b, ", \"suffix\": ");
        json_str(b, d->witness_suffix ? d->witness_suffix : "");
        cv_buf_printf(b, ", \"length\": %" PRIu64 "}", d->witness_length);
        cv_buf_printf(b, ",\n          \"steps\": %" PRIu64 ",\n          \"budget\": %" PRIu64,
                      d->steps, d->budget);
        if (d->regex_class == CHANVAL_REGEX_EXPONENTIAL)
            cv_buf_adds(b, ",\n          \"class\": \"exponential\"");
        else
            cv_buf_printf(b,
                          ",\n          \"class\": \"polynomial\",\n          \"degree\": %" PRIu32,
                          d->degree);
    }
    cv_buf_adds(b, "\n        }");
}

static void json_file(cv_buf *b, const chanval_file *f, unsigned flags)
{
    cv_buf_adds(b, "    {\n      \"path\": ");
    json_str(b, f->path);
    cv_buf_printf(b, ",\n      \"kind\": \"%s\",\n      \"size\": %" PRIu64 ",\n      \"sha256\": ",
                  chanval_kind_name(f->kind), f->size);
    if (f->has_sha256) {
        cv_buf_addc(b, '"');
        for (int i = 0; i < 32; i++)
            cv_buf_printf(b, "%02x", f->sha256[i]);
        cv_buf_addc(b, '"');
    } else {
        cv_buf_adds(b, "null");
    }
    cv_buf_printf(b,
                  ",\n      \"ok\": %s,\n      \"errors\": %zu,\n      \"warnings\": %zu,\n"
                  "      \"dropped\": %" PRIu64 ",\n      \"diagnostics\": [",
                  f->errors ? "false" : "true", f->errors, f->warnings, f->dropped);
    size_t k = 0;
    for (size_t i = 0; i < f->ndiags; i++) {
        if (!shown(&f->diags[i], flags))
            continue;
        cv_buf_adds(b, k++ ? ",\n" : "\n");
        json_diag(b, &f->diags[i]);
    }
    cv_buf_adds(b, k ? "\n      ]\n    }" : "]\n    }");
}

chanval_status chanval_render(const chanval_session *s, chanval_format fmt, unsigned flags,
                              char **out, size_t *out_len)
{
    cv_buf b = {0};
    size_t errors = chanval_error_count(s), warnings = chanval_warning_count(s);
    if (fmt == CHANVAL_FORMAT_JSON) {
        cv_buf_adds(&b, "{\n  \"version\": 1,\n  \"tool\": {\"name\": \"chanval\", \"version\": "
                        "\"" CHANVAL_VERSION "\"},\n  \"files\": [");
        for (size_t i = 0; i < s->nfiles; i++) {
            cv_buf_adds(&b, i ? ",\n" : "\n");
            json_file(&b, s->files[i], flags);
        }
        cv_buf_printf(&b,
                      "%s],\n  \"summary\": {\"files\": %zu, \"errors\": %zu, \"warnings\": %zu, "
                      "\"exit\": %d}\n}\n",
                      s->nfiles ? "\n  " : "", s->nfiles, errors, warnings, chanval_exit_code(s));
    } else {
        for (size_t i = 0; i < s->nfiles; i++)
            text_file(&b, s->files[i], flags);
        cv_buf_printf(&b, "%zu errors, %zu warnings in %zu files\n", errors, warnings, s->nfiles);
    }
    *out = cv_buf_take(&b, out_len);
    return *out ? CHANVAL_OK : CHANVAL_ERR_NOMEM;
}
