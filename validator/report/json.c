/* report_json.c - one JSON document with a stable key order, so it diffs. */
#include "check/diff.h"
#include "report/report.h"
#include "diag/rules.h"

#include <inttypes.h>

static void diag(cv_buf *b, const chanval_diag *d)
{
    const chanval_rule *r = cv_rule(d->rule);
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

static void file(cv_buf *b, const chanval_file *f, unsigned flags)
{
    cv_buf_adds(b, "    {\n      ");
    cv_json_path(b, "path", f->path);
    cv_buf_printf(b, ",\n      \"kind\": \"%s\",\n      \"size\": %" PRIu64 ",\n      \"sha256\": ",
                  chanval_kind_name(f->kind), f->size);
    if (f->has_sha256) {
        cv_buf_addc(b, '"');
        cv_sha_hex(b, f->sha256);
        cv_buf_addc(b, '"');
    } else {
        cv_buf_adds(b, "null");
    }
    cv_buf_printf(b,
                  ",\n      \"ok\": %s,\n      \"errors\": %zu,\n      \"warnings\": %zu,\n"
                  "      \"suppressed\": %zu,\n      \"dropped\": %" PRIu64
                  ",\n      \"diagnostics\": [",
                  f->errors ? "false" : "true", f->errors, f->warnings, f->suppressed, f->dropped);
    size_t k = 0;
    for (size_t i = 0; i < f->ndiags; i++) {
        if (!cv_report_shows(&f->diags[i], flags, true))
            continue;
        cv_buf_adds(b, k++ ? ",\n" : "\n");
        diag(b, &f->diags[i]);
    }
    cv_buf_adds(b, k ? "\n      ]\n    }" : "]\n    }");
}

/* An input that could not be read: no kind, size or digest, never ok. */
static void unreadable(cv_buf *b, const cv_io_error *e)
{
    cv_buf_adds(b, "    {\n      ");
    cv_json_path(b, "path", e->path);
    cv_buf_adds(b, ",\n      \"kind\": null,\n      \"size\": null,\n      \"sha256\": null,\n"
                   "      \"ok\": false,\n      \"error\": ");
    cv_json_str(b, e->message);
    cv_buf_adds(b, ",\n      \"errors\": 0,\n      \"warnings\": 0,\n      \"suppressed\": 0,\n"
                   "      \"dropped\": 0,\n      \"diagnostics\": []\n    }");
}

static void json_diff(cv_buf *b, const cv_diff *d)
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
    for (size_t i = 0; i < d->nchanges; i++) {
        const cv_change *c = &d->changes[i];
        const char *kind = c->kind == '+' ? "added" : c->kind == '-' ? "removed" : "changed";
        cv_buf_printf(b, "%s\n      {\"change\": \"%s\", \"instance\": %" PRIu32, i ? "," : "",
                      kind, c->instance);
        if (c->criterion >= 0)
            cv_buf_printf(b, ", \"criterion\": %" PRId32, c->criterion);
        cv_buf_adds(b, ", \"text\": ");
        cv_json_str(b, c->text);
        cv_buf_adds(b, "}");
    }
    cv_buf_adds(b, d->nchanges ? "\n    ]\n  }" : "]\n  }");
}

void cv_render_json(const chanval_session *s, unsigned flags, cv_buf *b)
{
    cv_buf_adds(b, "{\n  \"version\": 1,\n  \"tool\": {\"name\": \"chanval\", \"version\": \"" CHANVAL_VERSION
                   "\"},\n  \"files\": [");
    for (size_t i = 0; i < s->nfiles; i++) {
        cv_buf_adds(b, i ? ",\n" : "\n");
        file(b, s->files[i], flags);
    }
    for (size_t i = 0; i < s->nio_errors; i++) {
        cv_buf_adds(b, i || s->nfiles ? ",\n" : "\n");
        unreadable(b, &s->io_errors[i]);
    }
    if (s->nfiles || s->nio_errors)
        cv_buf_adds(b, "\n  ");
    cv_buf_adds(b, "]");
    if (s->diff)
        json_diff(b, s->diff);
    cv_buf_printf(b,
                  ",\n  \"summary\": {\"files\": %zu, \"errors\": %zu, \"warnings\": %zu, "
                  "\"suppressed\": %zu, \"unreadable\": %zu, \"skipped\": %zu, "
                  "\"outOfMemory\": %s, \"exit\": %d}\n}\n",
                  s->nfiles + s->nio_errors, chanval_error_count(s), chanval_warning_count(s),
                  chanval_suppressed_count(s), s->nio_errors, s->nskipped,
                  s->nomem ? "true" : "false",
                  chanval_exit_code(s));

}
