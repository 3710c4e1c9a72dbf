/* config.c - the project configuration (.chanval.xml) and the baseline of
 * known findings, both XML read through the same hardened layer as the
 * content (formats/configuration.md). */
#define _POSIX_C_SOURCE 200809L
#include "api/session.h"
#include "base/alloc.h"
#include "base/fileio.h"
#include "base/escape.h"
#include "diag/rules.h"
#include "format/xmldoc.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- parsing either document into a private report entry -------------- */

/* What a document sets, parsed whole before the session takes any of it:
 * a document with findings changes nothing. */
typedef struct cv_config {
    bool strict, strict_set;
    uint64_t limits[CHANVAL_LIMIT_COUNT];
    bool limit_set[CHANVAL_LIMIT_COUNT];
    uint8_t rule_override[CV_MAX_RULE]; /* CV_OVERRIDE_NONE: not set */
    uint64_t growth;
    bool growth_set;
    char **paths[2]; /* -t and -f documents */
    size_t npaths[2];
    char *baseline; /* the baseline it names */
    char exts[CV_MAX_EXTENSIONS][CV_MAX_EXTENSION + 1];
    size_t nexts;
    cv_idset fingerprints; /* of a baseline document */
} cv_config;

typedef struct doc_run {
    const chanval_session *s; /* read only: what it has set already */
    const char *path;         /* of the document */
    size_t dir_len;           /* its directory, for relative paths */
    cv_ctx *cx;
    bool baseline;
    cv_config cfg;
} doc_run;

enum { C_ROOT, C_TYPES, C_FLEET, C_LIMIT, C_RULE, C_BASELINE, C_DIFF, C_CONTENT };

static const cv_attr_spec root_attrs[] = {{"strict", CV_A_BOOL, false, 0, 0}};
static const cv_attr_spec path_attrs[] = {{"path", CV_A_STRING, true, 0, 0}};
static const cv_attr_spec limit_attrs[] = {{"option", CV_A_STRING, true, 0, 0},
                                           {"value", CV_A_UINT, true, 0, UINT64_MAX}};
static const cv_attr_spec rule_attrs[] = {{"id", CV_A_STRING, true, 0, 0},
                                          {"severity", CV_A_STRING, true, 0, 0}};
static const cv_attr_spec diff_attrs[] = {{"maxGrowthPercent", CV_A_UINT, true, 0, 1000000}};
static const cv_attr_spec content_attrs[] = {{"extension", CV_A_STRING, true, 0, 0}};

static const cv_elem_spec config_elems[] = {
    {"chanvalConfig", -1, root_attrs, 1}, {"types", C_ROOT, path_attrs, 1},
    {"fleet", C_ROOT, path_attrs, 1},     {"limit", C_ROOT, limit_attrs, 2},
    {"rule", C_ROOT, rule_attrs, 2},      {"baseline", C_ROOT, path_attrs, 1},
    {"diff", C_ROOT, diff_attrs, 1},      {"content", C_ROOT, content_attrs, 1},
};

static const cv_attr_spec finding_attrs[] = {
    {"fingerprint", CV_A_HEX, true, 0, 0},
    {"rule", CV_A_STRING, false, 0, 0},
    {"path", CV_A_STRING, false, 0, 0},
    {"message", CV_A_STRING, false, 0, 0},
};

static const cv_elem_spec baseline_elems[] = {
    {"chanvalBaseline", -1, NULL, 0},
    {"finding", 0, finding_attrs, 4},
};

static bool word_is(const cv_attr_val *v, const char *w)
{
    return v->len == strlen(w) && memcmp(v->raw, w, v->len) == 0;
}

/* path, relative to the document's directory unless absolute */
static char *resolve(doc_run *r, const cv_attr_val *v)
{
    cv_buf b = {0};
    if (v->len == 0 || v->raw[0] != '/')
        cv_buf_add(&b, r->path, r->dir_len);
    cv_buf_add(&b, v->raw, v->len);
    char *p = cv_buf_take(&b, NULL);
    if (!p)
        r->cx->oom = true;
    return p;
}

/* Append p to a list of n strings (its capacity is n: it grows by one). */
static bool push_path(char ***list, size_t *n, char *p)
{
    void *arr = *list;
    size_t cap = *n;
    if (cv_grow(&arr, &cap, *n + 1, sizeof(char *)) != 0)
        return false;
    *list = arr;
    (*list)[(*n)++] = p;
    return true;
}

static bool add_path(doc_run *r, int which, const cv_attr_val *v)
{
    char *p = resolve(r, v);
    if (!p)
        return false;
    if (!push_path(&r->cfg.paths[which], &r->cfg.npaths[which], p)) {
        cv_free(p);
        r->cx->oom = true;
        return false;
    }
    return true;
}

/* <content extension=".sig"/>: one more name under which content ships; a
 * walk checks such files whatever their bytes are. */
static void add_extension(doc_run *r, size_t off, const cv_attr_val *v)
{
    cv_config *c = &r->cfg;
    bool ok = v->len >= 2 && v->len <= CV_MAX_EXTENSION && v->raw[0] == '.';
    for (size_t i = 1; ok && i < v->len; i++) {
        uint8_t ch = v->raw[i];
        ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
             ch == '.' || ch == '_' || ch == '-';
    }
    if (!ok) {
        cv_report(r->cx, CV202_XML_SCHEMA_VIOLATION, cv_xml_attr_off(r->cx, off, "extension"),
                  "extension=%s is not a file name ending: a dot, then 1 to %d letters, "
                  "digits, '.', '_' or '-' (e.g. \".sig\")",
                  cv_quote(r->cx, 0, v->raw, v->len, 40), CV_MAX_EXTENSION - 1);
        return;
    }
    if (r->s->set->ncontent_exts + c->nexts >= CV_MAX_EXTENSIONS) {
        cv_report(r->cx, CV202_XML_SCHEMA_VIOLATION, cv_xml_attr_off(r->cx, off, "extension"),
                  "more than %d content extensions", CV_MAX_EXTENSIONS);
        return;
    }
    memcpy(c->exts[c->nexts], v->raw, v->len);
    c->exts[c->nexts][v->len] = '\0';
    c->nexts++;
}

static bool config_start(void *user, cv_ctx *cx, int e, size_t off, const cv_attr_val *v)
{
    doc_run *r = user;
    cv_config *c = &r->cfg;
    switch (e) {
    case C_ROOT:
        if (v[0].ok) {
            c->strict = v[0].b;
            c->strict_set = true;
        }
        break;
    case C_TYPES:
    case C_FLEET:
        if (v[0].present)
            return add_path(r, e == C_TYPES ? 0 : 1, &v[0]);
        break;
    case C_BASELINE:
        if (v[0].present) {
            char *p = resolve(r, &v[0]);
            if (!p)
                return false;
            cv_free(c->baseline);
            c->baseline = p;
        }
        break;
    case C_LIMIT: {
        int which = -1;
        for (int i = 0; i < CHANVAL_LIMIT_COUNT; i++)
            if (v[0].present && word_is(&v[0], chanval_limit_describe((chanval_limit)i)->option))
                which = i;
        if (v[0].present && which < 0) {
            cv_report(cx, CV202_XML_SCHEMA_VIOLATION, cv_xml_attr_off(cx, off, "option"),
                      "option=%s is not a limit (e.g. max-instances)",
                      cv_quote(cx, 0, v[0].raw, v[0].len, 40));
        } else if (which >= 0 && v[1].ok) {
            char why[160];
            if (cv_limit_check((chanval_limit)which, v[1].u, why, sizeof why) != CHANVAL_OK) {
                cv_report(cx, CV202_XML_SCHEMA_VIOLATION, cv_xml_attr_off(cx, off, "value"), "%s",
                          why);
            } else {
                c->limits[which] = v[1].u;
                c->limit_set[which] = true;
            }
        }
        break;
    }
    case C_RULE: {
        char id[16];
        snprintf(id, sizeof id, "%.*s", (int)(v[0].len < 15 ? v[0].len : 15),
                 v[0].raw ? (const char *)v[0].raw : "");
        const chanval_rule *rule = v[0].present ? chanval_rule_find(id) : NULL;
        uint8_t ov = word_is(&v[1], "error")     ? CV_OVERRIDE_ERROR
                     : word_is(&v[1], "warning") ? CV_OVERRIDE_WARNING
                     : word_is(&v[1], "off")     ? CV_OVERRIDE_OFF
                                                 : CV_OVERRIDE_NONE;
        if (v[0].present && !rule)
            cv_report(cx, CV202_XML_SCHEMA_VIOLATION, cv_xml_attr_off(cx, off, "id"),
                      "id=%s is not a rule", cv_quote(cx, 0, v[0].raw, v[0].len, 40));
        else if (v[1].present && ov == CV_OVERRIDE_NONE)
            cv_report(cx, CV202_XML_SCHEMA_VIOLATION, cv_xml_attr_off(cx, off, "severity"),
                      "severity=%s is not error, warning or off",
                      cv_quote(cx, 0, v[1].raw, v[1].len, 40));
        else if (rule && ov != CV_OVERRIDE_ERROR && !cv_rule_suppressible(rule->id))
            cv_report(cx, CV202_XML_SCHEMA_VIOLATION, cv_xml_attr_off(cx, off, "severity"),
                      "CV%03u is always an error: files that cannot be read or that would "
                      "crash an endpoint are never accepted",
                      (unsigned)rule->id);
        else if (rule)
            c->rule_override[rule->id] = ov;
        break;
    }
    case C_DIFF:
        if (v[0].ok) {
            c->growth = v[0].u;
            c->growth_set = true;
        }
        break;
    case C_CONTENT:
        if (v[0].present)
            add_extension(r, off, &v[0]);
        break;
    default:
        break;
    }
    return !cx->oom;
}

static bool baseline_start(void *user, cv_ctx *cx, int e, size_t off, const cv_attr_val *v)
{
    doc_run *r = user;
    if (e != 1 || !v[0].ok)
        return true;
    if (v[0].len != 16) {
        cv_report(cx, CV202_XML_SCHEMA_VIOLATION, cv_xml_attr_off(cx, off, "fingerprint"),
                  "a fingerprint is 16 hex digits, not %zu", v[0].len);
        return true;
    }
    char hex[17];
    for (int i = 0; i < 16; i++)
        hex[i] = (char)(v[0].raw[i] | 0x20); /* lowercase */
    hex[16] = '\0';
    if (cv_idset_put(&r->cfg.fingerprints, cv_fingerprint_number(hex), 1, NULL) < 0)
        cx->oom = true;
    return !cx->oom;
}

static void config_free(cv_config *c)
{
    for (int w = 0; w < 2; w++) {
        for (size_t i = 0; i < c->npaths[w]; i++)
            cv_free(c->paths[w][i]);
        cv_free(c->paths[w]);
    }
    cv_free(c->baseline);
    cv_idset_free(&c->fingerprints);
}

/* The session takes what a valid document set (c keeps what it did not
 * take, for config_free).  CHANVAL_ERR_NOMEM leaves the session as it was
 * as far as it can: lists grow before anything moves. */
static chanval_status apply(chanval_session *s, cv_config *c, bool baseline)
{
    cv_settings *set = s->set;
    for (int w = 0; w < 2; w++) {
        void *arr = set->config_paths[w];
        size_t cap = set->nconfig_paths[w];
        if (c->npaths[w] &&
            cv_grow(&arr, &cap, set->nconfig_paths[w] + c->npaths[w], sizeof(char *)) != 0)
            return CHANVAL_ERR_NOMEM;
        set->config_paths[w] = arr;
    }
    for (size_t i = 0; i < c->fingerprints.cap; i++) /* the union of the baselines */
        if (c->fingerprints.keys[i] &&
            cv_idset_put(&set->policy.baseline, c->fingerprints.keys[i], 1, NULL) < 0)
            return CHANVAL_ERR_NOMEM;
    for (int w = 0; w < 2; w++) {
        for (size_t i = 0; i < c->npaths[w]; i++)
            set->config_paths[w][set->nconfig_paths[w]++] = c->paths[w][i];
        c->npaths[w] = 0; /* moved */
    }
    if (baseline)
        set->policy.have_baseline = true;
    if (c->strict_set)
        set->policy.strict = c->strict;
    for (int i = 0; i < CHANVAL_LIMIT_COUNT; i++)
        if (c->limit_set[i])
            set->policy.limits[i] = c->limits[i];
    for (size_t i = 0; i < CV_MAX_RULE; i++)
        if (c->rule_override[i] != CV_OVERRIDE_NONE)
            set->policy.rule_override[i] = c->rule_override[i];
    if (c->growth_set)
        set->growth_percent = c->growth;
    if (c->baseline) {
        cv_free(set->config_baseline);
        set->config_baseline = c->baseline;
        c->baseline = NULL;
    }
    for (size_t i = 0; i < c->nexts; i++)
        memcpy(set->content_exts[set->ncontent_exts++], c->exts[i], sizeof c->exts[i]);
    return CHANVAL_OK;
}

/* Parse one of the two documents; on findings, the first goes to
 * last_error and the result is CHANVAL_ERR_USAGE. */
static chanval_status parse(chanval_session *s, const char *path, bool baseline)
{
    s->last_error[0] = '\0';
    cv_file_data fd;
    chanval_status st = cv_read_file(path, s->set->policy.limits[CHANVAL_LIMIT_XML_BYTES], &fd,
                                     s->last_error, sizeof s->last_error);
    if (st != CHANVAL_OK)
        return st;
    if (cv_input_seen(s, fd.id.dev, fd.id.ino) != CHANVAL_OK) {
        cv_file_data_free(&fd);
        return CHANVAL_ERR_NOMEM;
    }
    chanval_file tmp = {.path = cv_strdup(path)}; /* not in the report */
    if (!tmp.path) {
        cv_file_data_free(&fd);
        return CHANVAL_ERR_NOMEM;
    }
    cv_ctx cx = cv_session_ctx_plain(s, &tmp, 0);
    cx.xml = true;
    cx.text = fd.data;
    cx.text_len = fd.len;
    const char *slash = strrchr(path, '/');
    doc_run r = {.s = s,
                 .path = path,
                 .dir_len = slash ? (size_t)(slash - path) + 1 : 0,
                 .cx = &cx,
                 .baseline = baseline};
    cv_xml_doc doc = {CHANVAL_KIND_XML,
                      baseline ? baseline_elems : config_elems,
                      baseline ? 2 : sizeof config_elems / sizeof *config_elems,
                      &r,
                      baseline ? baseline_start : config_start,
                      NULL};
    const cv_xml_doc *docs[] = {&doc};
    cv_xml_result res;
    if (fd.len < fd.size)
        cv_report(&cx, CV120_LIMIT_EXCEEDED, 0, "%s is larger than --max-xml-bytes", path);
    else
        cv_xml_parse(&cx, fd.data, fd.len, docs, 1,
                     baseline ? "a chanval baseline" : "a chanval configuration", &res);
    if (st == CHANVAL_OK && (cx.oom || cv_sort_diags(&tmp) != 0))
        st = CHANVAL_ERR_NOMEM;
    if (st == CHANVAL_OK && tmp.ndiags > 0) {
        const chanval_diag *d = &tmp.diags[0];
        snprintf(s->last_error, sizeof s->last_error, "%s:%" PRIu32 ":%" PRIu32 ": %s", path,
                 d->line, d->column, d->message);
        st = CHANVAL_ERR_USAGE;
    } else if (st == CHANVAL_OK && tmp.errors > 0) {
        snprintf(s->last_error, sizeof s->last_error, "%s: invalid (%zu errors)", path, tmp.errors);
        st = CHANVAL_ERR_USAGE;
    }
    if (st == CHANVAL_OK)
        st = apply(s, &r.cfg, baseline);
    config_free(&r.cfg);
    cv_ctx_done(&cx);
    cv_free(tmp.path);
    cv_free(tmp.diags);
    cv_free(tmp.supp);
    cv_arena_free(&tmp.arena);
    cv_file_data_free(&fd);
    return st;
}

chanval_status chanval_load_config(chanval_session *s, const char *path)
{
    return parse(s, path, false);
}

chanval_status chanval_load_baseline(chanval_session *s, const char *path)
{
    return parse(s, path, true);
}

const char *chanval_config_document(const chanval_session *s, int which, size_t index)
{
    if (which < 0 || which > 1 || index >= s->set->nconfig_paths[which])
        return NULL;
    return s->set->config_paths[which][index];
}

const char *chanval_config_baseline(const chanval_session *s) { return s->set->config_baseline; }

/* ---- writing the baseline --------------------------------------------- */

typedef struct entry {
    const chanval_file *f;
    const chanval_diag *d;
} entry;

static int cmp_entry(const void *a, const void *b)
{
    const entry *x = a, *y = b;
    int c = strcmp(x->f->path, y->f->path);
    if (c)
        return c;
    if (x->d->rule != y->d->rule)
        return x->d->rule < y->d->rule ? -1 : 1;
    return strcmp(x->d->fingerprint, y->d->fingerprint);
}

chanval_status chanval_render_baseline(chanval_session *s, char **out, size_t *len)
{
    *out = NULL;
    size_t n = 0;
    for (size_t i = 0; i < s->nfiles; i++)
        n += s->files[i]->ndiags;
    entry *e = cv_calloc(n ? n : 1, sizeof *e);
    if (!e)
        return CHANVAL_ERR_NOMEM;
    size_t k = 0;
    for (size_t i = 0; i < s->nfiles; i++)
        for (size_t j = 0; j < s->files[i]->ndiags; j++) {
            const chanval_diag *d = &s->files[i]->diags[j];
            /* what would fail the next run, and may be listed */
            if (d->fingerprint && cv_rule_suppressible(d->rule) &&
                (d->suppressed == CHANVAL_SUPPRESS_NONE ||
                 d->suppressed == CHANVAL_SUPPRESS_BASELINE))
                e[k++] = (entry){s->files[i], d};
        }
    qsort(e, k, sizeof *e, cmp_entry);
    cv_buf b = {0};
    cv_buf_adds(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                    "<!-- Known findings: chanval check fails only on findings not listed "
                    "here. -->\n<chanvalBaseline formatVersion=\"1\">\n");
    for (size_t i = 0; i < k; i++) {
        cv_buf_printf(&b, "  <finding fingerprint=\"%s\" rule=\"CV%03u\" path=\"",
                      e[i].d->fingerprint, e[i].d->rule);
        cv_xml_escape(&b, e[i].f->path);
        cv_buf_adds(&b, "\" message=\"");
        cv_xml_escape(&b, e[i].d->message);
        cv_buf_adds(&b, "\"/>\n");
    }
    cv_buf_adds(&b, "</chanvalBaseline>\n");
    cv_free(e);
    *out = cv_buf_take(&b, len);
    if (!*out)
        return CHANVAL_ERR_NOMEM;
    /* what was just written is the baseline of this run too */
    cv_idset_free(&s->set->policy.baseline);
    s->set->policy.have_baseline = true;
    for (size_t i = 0; i < s->nfiles; i++)
        for (size_t j = 0; j < s->files[i]->ndiags; j++) {
            const chanval_diag *d = &s->files[i]->diags[j];
            if (d->fingerprint && cv_rule_suppressible(d->rule) &&
                (d->suppressed == CHANVAL_SUPPRESS_NONE ||
                 d->suppressed == CHANVAL_SUPPRESS_BASELINE) &&
                cv_idset_put(&s->set->policy.baseline, cv_fingerprint_number(d->fingerprint), 1,
                             NULL) < 0)
                return CHANVAL_ERR_NOMEM;
        }
    for (size_t i = 0; i < s->nfiles; i++)
        if (cv_file_finish(&s->set->policy, s->files[i]) != 0)
            return CHANVAL_ERR_NOMEM;
    return CHANVAL_OK;
}
