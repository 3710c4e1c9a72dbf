/* sarif.c - SARIF 2.1.0, as GitHub code scanning reads it: every
 * rule in tool.driver.rules, every checked file in artifacts (with its
 * SHA-256), results located relative to %SRCROOT%, and fingerprints of our
 * own that survive edits elsewhere in a file. */
#include "report/report.h"

#include <inttypes.h>
#include <string.h>

#ifndef CHANVAL_URL
#define CHANVAL_URL "https://github.com/chanval/chanval"
#endif
/* the rules page of the release this is: old reports keep pointing at the
 * rule text of their version */
#define CHANVAL_RULES_URL CHANVAL_URL "/blob/v" CHANVAL_VERSION "/formats/rules.md"

static bool unreserved(uint8_t c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '.' || c == '_' || c == '~' || c == '/';
}

/* A path as a URI reference: relative to %SRCROOT%, or file:// when absolute;
 * every byte but the unreserved ones percent-encoded, so a name that is
 * not UTF-8 keeps its exact bytes.  `index` SIZE_MAX: not in artifacts. */
static void artifact_location(cv_buf *b, const char *path, size_t index)
{
    const char *p = path;
    while (p[0] == '.' && p[1] == '/')
        p += 2;
    cv_buf b2 = {0};
    if (p[0] == '/')
        cv_buf_adds(&b2, "file://");
    for (const uint8_t *c = (const uint8_t *)p; *c; c++) {
        if (unreserved(*c))
            cv_buf_addc(&b2, (char)*c);
        else
            cv_buf_printf(&b2, "%%%02X", *c);
    }
    cv_buf_adds(b, "{\"uri\": ");
    cv_json_str(b, b2.oom ? "" : b2.data ? b2.data : "");
    if (p[0] != '/')
        cv_buf_adds(b, ", \"uriBaseId\": \"%SRCROOT%\"");
    if (index != SIZE_MAX)
        cv_buf_printf(b, ", \"index\": %zu", index);
    cv_buf_addc(b, '}');
    if (b2.oom)
        b->oom = true;
    cv_buf_free(&b2);
}

/* A rule's help in Markdown: what `chanval explain` says, and where the
 * rules page of this version has it. */
static void help_markdown(cv_buf *b, const chanval_rule *r)
{
    cv_buf m = {0};
    cv_buf_printf(&m, "**CV%03u %s**: %s\n\n%s\n\nSee `chanval explain CV%03u` or the [rules "
                      "page](%s#cv%03u).",
                  r->id, r->name, r->summary, r->explanation, r->id, CHANVAL_RULES_URL, r->id);
    cv_json_str(b, m.data ? m.data : "");
    b->oom |= m.oom;
    cv_buf_free(&m);
}

static void rules(cv_buf *b)
{
    cv_buf_adds(b, "          \"rules\": [");
    for (size_t i = 0; i < chanval_rule_count(); i++) {
        const chanval_rule *r = chanval_rule_at(i);
        bool warn = r->severity[0] == 'W';
        unsigned sec = chanval_rule_security_severity(r);
        cv_buf_printf(b, "%s\n            {\"id\": \"CV%03u\", \"name\": ", i ? "," : "", r->id);
        cv_json_str(b, r->name);
        cv_buf_adds(b, ", \"shortDescription\": {\"text\": ");
        cv_json_str(b, r->summary);
        cv_buf_adds(b, "}, \"fullDescription\": {\"text\": ");
        cv_json_str(b, r->explanation);
        cv_buf_adds(b, "}, \"help\": {\"text\": ");
        cv_buf b2 = {0};
        cv_buf_printf(&b2, "%s (chanval explain CV%03u)", r->explanation, r->id);
        cv_json_str(b, b2.data ? b2.data : "");
        b->oom |= b2.oom;
        cv_buf_free(&b2);
        cv_buf_adds(b, ", \"markdown\": ");
        help_markdown(b, r);
        /* each rule its own section of the rules page of this version */
        cv_buf_printf(b,
                      "}, \"helpUri\": \"%s#cv%03u\", "
                      "\"defaultConfiguration\": {\"level\": \"%s\"}, \"properties\": "
                      "{\"tags\": [\"%s\"], \"severity\": \"%s\"",
                      CHANVAL_RULES_URL, r->id, warn ? "warning" : "error",
                      sec ? "security" : "correctness", r->severity);
        if (sec)
            cv_buf_printf(b, ", \"security-severity\": \"%u.%u\"", sec / 10, sec % 10);
        cv_buf_adds(b, "}}");
    }
    cv_buf_adds(b, "\n          ]\n");
}

static void sarif_finding(cv_renderer *r, const chanval_file *f, size_t fi, const chanval_diag *d)
{
    cv_buf *b = r->b;
    size_t rule_index;
    (void)cv_report_rule(d->rule, &rule_index);
    cv_buf_printf(b, "%s\n        {\"ruleId\": \"CV%03u\", \"ruleIndex\": %zu, \"level\": \"%s\", ",
                  r->shown ? "," : "", d->rule, rule_index, cv_sev_name(d->severity));
    cv_buf msg = {0};
    cv_buf_adds(&msg, d->message);
    if (d->loc_kind == CHANVAL_LOC_OFFSET) /* code scanning shows lines only */
        cv_buf_printf(&msg, " [byte offset 0x%" PRIx64 "]", d->offset);
    if (d->note)
        cv_buf_printf(&msg, "\nnote: %s", d->note);
    cv_buf_adds(b, "\"message\": {\"text\": ");
    cv_json_str(b, msg.data ? msg.data : "");
    b->oom |= msg.oom;
    cv_buf_free(&msg);
    cv_buf_adds(b, "}, \"locations\": [{\"physicalLocation\": {\"artifactLocation\": ");
    artifact_location(b, chanval_file_path(f), fi);
    if (d->loc_kind == CHANVAL_LOC_OFFSET)
        cv_buf_printf(b,
                      ", \"region\": {\"startLine\": 1, \"byteOffset\": %" PRIu64
                      ", \"byteLength\": 1}",
                      d->offset);
    else
        cv_buf_printf(b, ", \"region\": {\"startLine\": %" PRIu32 ", \"startColumn\": %" PRIu32 "}",
                      d->line ? d->line : 1, d->column ? d->column : 1);
    cv_buf_adds(b, "}}]");
    /* code scanning tells alerts apart by primaryLocationLineHash, and
     * computes it from the text of the result's line when a result has
     * none: for a binary file, line 1, where its digest sits, so every
     * edit would renew every alert.  The fingerprint names the rule, path,
     * instance, criterion and sensor, never an offset or a digest. */
    if (d->fingerprint)
        cv_buf_printf(b,
                      ", \"partialFingerprints\": {\"chanvalFingerprint/v1\": \"%s\", "
                      "\"primaryLocationLineHash\": \"%s\"}",
                      d->fingerprint, d->fingerprint);
    if (d->suppressed) {
        cv_buf_printf(b, ", \"suppressions\": [{\"kind\": \"%s\", \"status\": \"accepted\"",
                      d->suppressed == CHANVAL_SUPPRESS_INLINE ? "inSource" : "external");
        cv_buf_adds(b, ", \"justification\": ");
        cv_json_str(b, d->suppress_reason                              ? d->suppress_reason
                       : d->suppressed == CHANVAL_SUPPRESS_BASELINE ? "listed in the baseline"
                                                                      : "turned off in the "
                                                                        "project configuration");
        cv_buf_adds(b, "}]");
    }
    if (d->has_instance || d->sensor) {
        cv_buf_adds(b, ", \"properties\": {");
        if (d->has_instance)
            cv_buf_printf(b, "\"instance\": %" PRIu32 ", \"criterion\": %" PRId32, d->instance,
                          d->criterion);
        if (d->sensor) {
            cv_buf_adds(b, d->has_instance ? ", \"sensor\": " : "\"sensor\": ");
            cv_json_str(b, d->sensor);
        }
        cv_buf_adds(b, "}");
    }
    cv_buf_adds(b, "}");
}

static void sarif_begin_run(cv_renderer *r)
{
    const chanval_session *s = r->s;
    cv_buf *b = r->b;
    cv_buf_adds(b, "{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n"
                   "  \"version\": \"2.1.0\",\n  \"runs\": [\n    {\n      \"tool\": {\n"
                   "        \"driver\": {\n          \"name\": \"chanval\",\n"
                   "          \"version\": \"" CHANVAL_VERSION "\",\n"
                   "          \"semanticVersion\": \"" CHANVAL_VERSION "\",\n"
                   "          \"informationUri\": \"" CHANVAL_URL "\",\n");
    rules(b);
    cv_buf_adds(b, "        }\n      },\n");
    const char *category = chanval_report_category(s);
    if (category) { /* the category code scanning keeps this run's alerts under */
        cv_buf_adds(b, "      \"automationDetails\": {\"id\": ");
        size_t n = strlen(category);
        cv_buf b2 = {0};
        cv_buf_printf(&b2, "%s%s", category, n && category[n - 1] == '/' ? "" : "/");
        cv_json_str(b, b2.data ? b2.data : "");
        b->oom |= b2.oom;
        cv_buf_free(&b2);
        cv_buf_adds(b, "},\n");
    }
    cv_buf_adds(b, "      \"originalUriBaseIds\": {\"%SRCROOT%\": "
                   "{\"description\": {\"text\": \"The directory chanval was run in.\"}}},\n"
                   "      \"columnKind\": \"unicodeCodePoints\",\n      \"artifacts\": [");
    size_t nfiles = chanval_file_count(s);
    for (size_t i = 0; i < nfiles; i++) {
        const chanval_file *f = chanval_file_at(s, i);
        const uint8_t *sha = chanval_file_sha256(f);
        cv_buf_adds(b, i ? ",\n        {\"location\": " : "\n        {\"location\": ");
        artifact_location(b, chanval_file_path(f), i);
        cv_buf_printf(b, ", \"length\": %" PRIu64, chanval_file_size(f));
        if (sha) {
            cv_buf_adds(b, ", \"hashes\": {\"sha-256\": \"");
            cv_sha_hex(b, sha);
            cv_buf_adds(b, "\"}");
        }
        cv_buf_printf(b, ", \"properties\": {\"kind\": \"%s\"}}",
                      chanval_kind_name(chanval_file_kind(f)));
    }
    cv_buf_adds(b, nfiles ? "\n      ],\n      \"results\": [" : "],\n      \"results\": [");
}

static void sarif_end_run(cv_renderer *r)
{
    const chanval_session *s = r->s;
    cv_buf *b = r->b;
    int code = chanval_exit_code(s);
    size_t nio = chanval_io_error_count(s);
    /* exit 1 is a verdict, reached; exit 2 means part of the input went
     * unchecked, and the run says so with what it could not read */
    cv_buf_printf(b, "%s],\n      \"invocations\": [{\"executionSuccessful\": %s, \"exitCode\": %d",
                  r->shown ? "\n      " : "", code == 2 ? "false" : "true", code);
    if (code == 2) {
        cv_buf_adds(b, ", \"exitCodeDescription\": \"not everything could be checked\"");
        cv_buf_adds(b, ", \"toolExecutionNotifications\": [");
        for (size_t i = 0; i < nio; i++) {
            cv_buf_adds(b, i ? ",\n        " : "\n        ");
            cv_buf_adds(b, "{\"level\": \"error\", \"message\": {\"text\": ");
            cv_json_str(b, chanval_io_error(s, i));
            cv_buf_adds(b, "}, \"locations\": [{\"physicalLocation\": {\"artifactLocation\": ");
            artifact_location(b, chanval_io_error_path(s, i), SIZE_MAX);
            cv_buf_adds(b, "}}]}");
        }
        if (chanval_out_of_memory(s))
            cv_buf_printf(b,
                          "%s{\"level\": \"error\", \"message\": {\"text\": \"out of memory: "
                          "not everything was checked\"}}",
                          nio ? ",\n        " : "\n        ");
        cv_buf_adds(b, "\n      ]");
    }
    cv_buf_adds(b, "}]\n    }\n  ]\n}\n");
}

const cv_writer cv_sarif_writer = {.marks = true,
                                   .begin_run = sarif_begin_run,
                                   .finding = sarif_finding,
                                   .end_run = sarif_end_run};
