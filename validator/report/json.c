/* json.c - one JSON document with a stable key order, so it diffs. */
#include "report/report.h"
#include "report/tests.h"

#include <inttypes.h>

static void diag(cv_buf *b, const chanval_diag *d)
{
    size_t index;
    const chanval_rule *r = cv_report_rule(d->rule, &index);
    cv_buf_printf(b, "        {\n          \"rule\": \"CV%03u\",\n          \"name\": ", d->rule);
    cv_json_str(b, r ? r->name : "?");
    cv_buf_printf(b, ",\n          \"severity\": \"%s\",\n          \"message\": ",
                  cv_sev_name(d->severity));
    cv_json_str(b, d->message);
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
        cv_json_str(b, d->sensor);
    }
    if (d->note) {
        cv_buf_adds(b, ",\n          \"note\": ");
        cv_json_str(b, d->note);
    }
    if (d->regex_class != CHANVAL_REGEX_NONE) {
        cv_buf_adds(b, ",\n          \"witness\": {\"prefix\": ");
        cv_json_str(b, d->witness_prefix ? d->witness_prefix : "");
        cv_buf_adds(b, ", \"pump\": ");
        cv_json_str(b, d->witness_pump ? d->witness_pump : "");
        cv_buf_adds(b, ", \"suffix\": ");
        cv_json_str(b, d->witness_suffix ? d->witness_suffix : "");
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
    if (d->fingerprint)
        cv_buf_printf(b, ",\n          \"fingerprint\": \"%s\"", d->fingerprint);
    if (d->suppressed) {
        cv_buf_printf(b, ",\n          \"suppressed\": \"%s\"", cv_suppression_name(d->suppressed));
        if (d->suppress_reason) {
            cv_buf_adds(b, ",\n          \"reason\": ");
            cv_json_str(b, d->suppress_reason);
        }
    }
    cv_buf_adds(b, "\n        }");
}

static void json_begin_file(cv_renderer *r, const chanval_file *f, size_t index)
{
    cv_buf *b = r->b;
    const uint8_t *sha = chanval_file_sha256(f);
    size_t errors = chanval_file_errors(f);
    cv_buf_adds(b, index ? ",\n    {\n      " : "\n    {\n      ");
    cv_json_path(b, "path", chanval_file_path(f));
    cv_buf_printf(b, ",\n      \"kind\": \"%s\",\n      \"size\": %" PRIu64 ",\n      \"sha256\": ",
                  chanval_kind_name(chanval_file_kind(f)), chanval_file_size(f));
    if (sha) {
        cv_buf_addc(b, '"');
        cv_sha_hex(b, sha);
        cv_buf_addc(b, '"');
    } else {
        cv_buf_adds(b, "null");
    }
    cv_buf_printf(b,
                  ",\n      \"ok\": %s,\n      \"errors\": %zu,\n      \"warnings\": %zu,\n"
                  "      \"suppressed\": %zu,\n      \"dropped\": %" PRIu64
                  ",\n      \"diagnostics\": [",
                  errors ? "false" : "true", errors, chanval_file_warnings(f),
                  chanval_file_suppressed(f), chanval_file_dropped(f));
}

static void json_finding(cv_renderer *r, const chanval_file *f, size_t index, const chanval_diag *d)
{
    (void)f;
    (void)index;
    cv_buf_adds(r->b, r->file_shown ? ",\n" : "\n");
    diag(r->b, d);
}

static void json_end_file(cv_renderer *r, const chanval_file *f, size_t index)
{
    (void)index;
    cv_buf_adds(r->b, r->file_shown ? "\n      ]" : "]");
    cv_json_cases(r->b, f);
    cv_buf_adds(r->b, "\n    }");
}

/* An input that could not be read: no kind, size or digest, never ok. */
static void unreadable(cv_buf *b, const char *path, const char *message)
{
    cv_buf_adds(b, "    {\n      ");
    cv_json_path(b, "path", path);
    cv_buf_adds(b, ",\n      \"kind\": null,\n      \"size\": null,\n      \"sha256\": null,\n"
                   "      \"ok\": false,\n      \"error\": ");
    cv_json_str(b, message);
    cv_buf_adds(b, ",\n      \"errors\": 0,\n      \"warnings\": 0,\n      \"suppressed\": 0,\n"
                   "      \"dropped\": 0,\n      \"diagnostics\": []\n    }");
}

static void json_diff(cv_buf *b, const chanval_session *s, const chanval_diff_info *d)
{
    cv_buf_adds(b, ",\n  \"diff\": {\n    \"old\": {");
    cv_json_path(b, "path", d->old_path);
    cv_buf_printf(b,
                  ", \"size\": %" PRIu64 ", \"instances\": %" PRIu64 ", \"channel\": %" PRIu32
                  ", \"contentVersion\": %" PRIu64 "},\n    \"new\": {",
                  d->old_size, d->old_instances, d->old_channel, d->old_version);
    cv_json_path(b, "path", d->new_path);
    cv_buf_printf(b,
                  ", \"size\": %" PRIu64 ", \"instances\": %" PRIu64 ", \"channel\": %" PRIu32
                  ", \"contentVersion\": %" PRIu64 "},\n    \"changes\": [",
                  d->new_size, d->new_instances, d->new_channel, d->new_version);
    chanval_diff_change c;
    for (size_t i = 0; chanval_diff_change_at(s, i, &c); i++) {
        const char *kind = c.kind == '+' ? "added" : c.kind == '-' ? "removed" : "changed";
        cv_buf_printf(b, "%s\n      {\"change\": \"%s\", \"instance\": %" PRIu32, i ? "," : "",
                      kind, c.instance);
        if (c.criterion >= 0)
            cv_buf_printf(b, ", \"criterion\": %" PRId32, c.criterion);
        cv_buf_adds(b, ", \"text\": ");
        cv_json_str(b, c.text);
        cv_buf_adds(b, "}");
    }
    cv_buf_adds(b, d->change_count ? "\n    ]\n  }" : "]\n  }");
}

static void json_begin_run(cv_renderer *r)
{
    cv_buf_adds(r->b, "{\n  \"version\": 1,\n  \"tool\": {\"name\": \"chanval\", \"version\": "
                      "\"" CHANVAL_VERSION "\"},\n  \"files\": [");
}

static void json_end_run(cv_renderer *r)
{
    const chanval_session *s = r->s;
    cv_buf *b = r->b;
    size_t nfiles = chanval_file_count(s), nio = chanval_io_error_count(s);
    for (size_t i = 0; i < nio; i++) {
        cv_buf_adds(b, i || nfiles ? ",\n" : "\n");
        unreadable(b, chanval_io_error_path(s, i), chanval_io_error(s, i));
    }
    if (nfiles || nio)
        cv_buf_adds(b, "\n  ");
    cv_buf_adds(b, "]");
    chanval_diff_info d;
    if (chanval_diff_get(s, &d))
        json_diff(b, s, &d);
    cv_json_tests(b, s);
    const char *shard = chanval_test_shard_state(s);
    if (shard) { /* for chanval merge */
        cv_buf_adds(b, ",\n  \"shard\": ");
        cv_buf_adds(b, shard);
    }
    cv_buf_printf(b,
                  ",\n  \"summary\": {\"files\": %zu, \"errors\": %zu, \"warnings\": %zu, "
                  "\"suppressed\": %zu, \"unreadable\": %zu, \"skipped\": %zu, "
                  "\"outOfMemory\": %s, \"exit\": %d}\n}\n",
                  nfiles + nio, chanval_error_count(s), chanval_warning_count(s),
                  chanval_suppressed_count(s), nio, chanval_skipped_count(s),
                  chanval_out_of_memory(s) ? "true" : "false", chanval_exit_code(s));
}

const cv_writer cv_json_writer = {.marks = true,
                                  .begin_run = json_begin_run,
                                  .begin_file = json_begin_file,
                                  .finding = json_finding,
                                  .end_file = json_end_file,
                                  .end_run = json_end_run};
