/* merge.c - chanval merge: the JSON reports of the N shards of one chanval
 * test run become the report that run would have made without --shard.
 * The shards must prove they are that: the same run key (world, options,
 * inputs; the merging session's world must give the same key), N of them,
 * each index once, no shard out of memory or with findings dropped, and
 * every content still the bytes the shards ran. */
#define _POSIX_C_SOURCE 200809L
#include "api/test_run.h"
#include "base/alloc.h"
#include "base/sha.h"
#include "diag/rules.h"
#include "eval/event.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_SHARDS = 65536 };

typedef struct shard {
    json_t *root, *state, *files;
} shard;

typedef struct merger {
    chanval_session *s;
    shard *sh; /* by index - 1 */
    size_t n;
    chanval_test_options opts;
    char **inputs, **benign; /* owned */
    const char **sensors;
    size_t ninputs;
    bool oom;
} merger;

static chanval_status refuse(chanval_session *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static chanval_status refuse(chanval_session *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->last_error, sizeof s->last_error, fmt, ap);
    va_end(ap);
    return CHANVAL_ERR_USAGE;
}

/* Two hex digits; -1 when they are not. */
static int hex2(const char *p)
{
    int v = 0;
    for (int i = 0; i < 2; i++) {
        char c = p[i];
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        if (d < 0)
            return -1;
        v = v * 16 + d;
    }
    return v;
}

/* A path as the report wrote it: "path", or its exact bytes in "pathBytes". */
static char *path_of(json_t *obj, const char *key)
{
    char bytes_key[32];
    snprintf(bytes_key, sizeof bytes_key, "%sBytes", key);
    const char *hex = json_string_value(json_object_get(obj, bytes_key));
    if (!hex) {
        const char *p = json_string_value(json_object_get(obj, key));
        return p ? cv_strdup(p) : NULL;
    }
    size_t n = strlen(hex) / 2;
    char *out = cv_malloc(n + 1);
    if (!out)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        int v = hex2(hex + 2 * i);
        if (v <= 0) {
            cv_free(out);
            return NULL;
        }
        out[i] = (char)v;
    }
    out[n] = '\0';
    return out;
}

static uint64_t u64(json_t *v) { return json_is_integer(v) ? (uint64_t)json_integer_value(v) : 0; }

static char *adup(cv_arena *a, const char *t) { return cv_arena_strndup(a, t, strlen(t)); }

/* ---- reading the shards ------------------------------------------------------ */

static chanval_status read_shard(merger *m, const char *path, shard *out)
{
    chanval_session *s = m->s;
    cv_file_data fd = {0};
    chanval_status st = cv_read_file(path, s->set->policy.limits[CHANVAL_LIMIT_XML_BYTES], &fd,
                                     s->last_error, sizeof s->last_error);
    if (st != CHANVAL_OK)
        return st;
    if (fd.size > fd.len) {
        cv_file_data_free(&fd);
        return refuse(s, "'%s' is larger than --max-xml-bytes", path);
    }
    bool oom = false;
    char why[200] = "";
    json_t *root = cv_json_parse((const char *)fd.data, fd.len, &oom, why, sizeof why);
    cv_file_data_free(&fd);
    if (oom)
        return CHANVAL_ERR_NOMEM;
    json_t *state = root ? json_object_get(root, "shard") : NULL;
    json_t *files = root ? json_object_get(root, "files") : NULL;
    json_t *summary = root ? json_object_get(root, "summary") : NULL;
    if (!json_is_object(state) || !json_is_array(files) || !json_is_object(summary)) {
        json_decref(root);
        return refuse(s, "'%s' is not the JSON report of chanval test --shard%s%s", path,
                      why[0] ? ": " : "", why);
    }
    if (json_is_true(json_object_get(summary, "outOfMemory"))) {
        json_decref(root);
        return refuse(s, "'%s': that shard ran out of memory, so it did not run everything", path);
    }
    for (size_t i = 0; i < json_array_size(files); i++)
        if (u64(json_object_get(json_array_get(files, i), "dropped")) > 0) {
            json_decref(root);
            return refuse(s,
                          "'%s': that shard dropped findings over --max-diagnostics; run the "
                          "shards again with a higher limit",
                          path);
        }
    *out = (shard){root, state, files};
    return CHANVAL_OK;
}

static chanval_status check_shards(merger *m, shard *all, const char *const *paths, size_t n)
{
    chanval_session *s = m->s;
    const char *run = json_string_value(json_object_get(all[0].state, "run"));
    uint64_t count = u64(json_object_get(all[0].state, "count"));
    if (!run || count != n)
        return refuse(s, "%zu reports given, but the run was split into %llu shards", n,
                      (unsigned long long)count);
    for (size_t i = 0; i < n; i++) {
        const char *r = json_string_value(json_object_get(all[i].state, "run"));
        uint64_t idx = u64(json_object_get(all[i].state, "index"));
        if (!r || strcmp(r, run) != 0 || u64(json_object_get(all[i].state, "count")) != count)
            return refuse(s, "'%s' is a shard of another run than '%s'", paths[i], paths[0]);
        if (idx < 1 || idx > n || m->sh[idx - 1].root)
            return refuse(s, "'%s' is shard %llu, which is missing or given twice", paths[i],
                          (unsigned long long)idx);
        m->sh[idx - 1] = all[i];
        all[i].root = NULL; /* now m's */
    }
    return CHANVAL_OK;
}

/* The run's options, from shard 1, and the key they give with this
 * session's world: it must be the shards' own. */
static chanval_status options(merger *m)
{
    json_t *o = json_object_get(m->sh[0].state, "options");
    json_t *in = json_object_get(o, "inputs"), *bg = json_object_get(o, "benign"),
           *sn = json_object_get(o, "sensors");
    if (!json_is_array(in) || !json_is_array(bg) || !json_is_array(sn))
        return refuse(m->s, "the shards' reports do not say how the run was made");
    m->ninputs = json_array_size(in);
    m->inputs = cv_calloc(m->ninputs + 1, sizeof *m->inputs);
    m->benign = cv_calloc(json_array_size(bg) + 1, sizeof *m->benign);
    m->sensors = cv_calloc(json_array_size(sn) + 1, sizeof *m->sensors);
    if (!m->inputs || !m->benign || !m->sensors)
        return CHANVAL_ERR_NOMEM;
    for (size_t i = 0; i < m->ninputs; i++)
        if (!(m->inputs[i] = path_of(json_array_get(in, i), "path")))
            return CHANVAL_ERR_NOMEM;
    for (size_t i = 0; i < json_array_size(bg); i++)
        if (!(m->benign[i] = path_of(json_array_get(bg, i), "path")))
            return CHANVAL_ERR_NOMEM;
    for (size_t i = 0; i < json_array_size(sn); i++)
        m->sensors[i] = json_string_value(json_array_get(sn, i));
    json_t *cov = json_object_get(o, "minCoverage");
    m->opts =
        (chanval_test_options){.benign = (const char *const *)m->benign,
                               .nbenign = json_array_size(bg),
                               .sensors = m->sensors,
                               .nsensors = json_array_size(sn),
                               .min_coverage_set = json_is_number(cov),
                               .min_coverage = json_is_number(cov) ? json_number_value(cov) : 0,
                               .plain = json_is_true(json_object_get(o, "plain")),
                               .shards = (unsigned)m->n};
    cv_trun r = {.s = m->s, .o = &m->opts};
    char key[65];
    if (cv_run_key(&r, (const char *const *)m->inputs, m->ninputs, key) != 0)
        return CHANVAL_ERR_NOMEM;
    if (strcmp(key, json_string_value(json_object_get(m->sh[0].state, "run"))) != 0)
        return refuse(m->s, "the shards ran with another world (template types, fleet) than "
                            "this one: give chanval merge the run's -t and -f");
    return CHANVAL_OK;
}

/* ---- the report entries ------------------------------------------------------ */

static chanval_kind kind_of(const char *k)
{
    for (int i = CHANVAL_KIND_CHANNEL; k && i <= CHANVAL_KIND_EVENTS; i++)
        if (strcmp(k, chanval_kind_name((chanval_kind)i)) == 0)
            return (chanval_kind)i;
    return CHANVAL_KIND_XML;
}

static chanval_severity sev_of(json_t *d)
{
    const char *v = json_string_value(json_object_get(d, "severity"));
    return v && strcmp(v, "error") == 0 ? CHANVAL_SEV_ERROR : CHANVAL_SEV_WARNING;
}

static const char *str(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

static void restore_diag(cv_ctx *cx, json_t *d)
{
    const char *rule = str(d, "rule"), *msg = str(d, "message");
    if (!rule || !msg || strlen(rule) != 5)
        return;
    unsigned id = (unsigned)strtoul(rule + 2, NULL, 10);
    chanval_diag *n;
    if (json_is_integer(json_object_get(d, "line"))) {
        n = cv_report_linecol_sev(cx, id, sev_of(d), (uint32_t)u64(json_object_get(d, "line")),
                                  (uint32_t)u64(json_object_get(d, "column")), "%s", msg);
    } else {
        bool xml = cx->xml;
        cx->xml = false;
        n = cv_report_sev(cx, id, sev_of(d), (size_t)u64(json_object_get(d, "offset")), "%s", msg);
        cx->xml = xml;
    }
    if (!n)
        return;
    if (str(d, "note"))
        cv_note(cx, n, "%s", str(d, "note"));
    json_t *inst = json_object_get(d, "instance"), *crit = json_object_get(d, "criterion");
    if (json_is_integer(inst))
        cv_set_instance(n, (uint32_t)json_integer_value(inst),
                        json_is_integer(crit) ? (int32_t)json_integer_value(crit) : -1);
    if (str(d, "sensor")) { /* kept: the shard's document is freed before the report */
        const char *sv = adup(&cx->f->arena, str(d, "sensor"));
        if (!sv)
            cx->oom = true;
        cv_set_sensor(cx, n, sv);
    }
    json_t *w = json_object_get(d, "witness");
    if (json_is_object(w)) {
        cv_arena *a = &cx->f->arena;
        const char *cls = str(d, "class");
        n->witness_prefix = adup(a, str(w, "prefix") ? str(w, "prefix") : "");
        n->witness_pump = adup(a, str(w, "pump") ? str(w, "pump") : "");
        n->witness_suffix = adup(a, str(w, "suffix") ? str(w, "suffix") : "");
        n->witness_length = u64(json_object_get(w, "length"));
        n->steps = u64(json_object_get(d, "steps"));
        n->budget = u64(json_object_get(d, "budget"));
        n->regex_class = cls && strcmp(cls, "exponential") == 0 ? CHANVAL_REGEX_EXPONENTIAL
                                                                : CHANVAL_REGEX_POLYNOMIAL;
        n->degree = (uint32_t)u64(json_object_get(d, "degree"));
        if (!n->witness_prefix || !n->witness_pump || !n->witness_suffix)
            cx->oom = true;
    }
    const char *sup = str(d, "suppressed");
    if (sup) {
        n->suppressed = strcmp(sup, "inline") == 0     ? CHANVAL_SUPPRESS_INLINE
                        : strcmp(sup, "baseline") == 0 ? CHANVAL_SUPPRESS_BASELINE
                                                       : CHANVAL_SUPPRESS_CONFIG;
        if (str(d, "reason") && !(n->suppress_reason = adup(&cx->f->arena, str(d, "reason"))))
            cx->oom = true;
    }
}

/* A finding of a sharded document, and which shard found it. */
typedef struct found {
    json_t *d;
    size_t shard;
    uint32_t line, col;
} found;

static int cmp_found(const void *a, const void *b)
{
    const found *x = a, *y = b;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    if (x->col != y->col)
        return x->col < y->col ? -1 : 1;
    return x->shard < y->shard ? -1 : x->shard > y->shard;
}

typedef struct seen {
    const char **msg; /* CV703 messages reported (the run's first of each) */
    size_t n, cap;
} seen;

static bool seen_add(seen *sn, const char *msg, bool *oom)
{
    for (size_t i = 0; i < sn->n; i++)
        if (strcmp(sn->msg[i], msg) == 0)
            return false;
    void *p = sn->msg;
    if (cv_grow(&p, &sn->cap, sn->n + 1, sizeof *sn->msg) != 0) {
        *oom = true;
        return false;
    }
    sn->msg = p;
    sn->msg[sn->n++] = msg;
    return true;
}

/* The findings of entry i of every shard: a test's first line (its header,
 * read by every shard) from shard 1 only, every other line from the shard
 * that ran it; a fault once in the run, a budget once per document. */
static void sharded_diags(merger *m, cv_ctx *cx, size_t i, bool test, seen *faults)
{
    found *all = NULL;
    size_t n = 0, cap = 0;
    for (size_t k = 0; k < m->n && !m->oom; k++) {
        json_t *ds = json_object_get(json_array_get(m->sh[k].files, i), "diagnostics");
        for (size_t j = 0; j < json_array_size(ds); j++) {
            json_t *d = json_array_get(ds, j);
            uint32_t line = (uint32_t)u64(json_object_get(d, "line"));
            if (test && line <= 1 && k > 0)
                continue;
            void *p = all;
            if (cv_grow(&p, &cap, n + 1, sizeof *all) != 0) {
                m->oom = true;
                break;
            }
            all = p;
            all[n++] = (found){d, k, line, (uint32_t)u64(json_object_get(d, "column"))};
        }
    }
    if (n > 1)
        qsort(all, n, sizeof *all, cmp_found);
    seen budgets = {0};
    for (size_t j = 0; j < n && !m->oom; j++) {
        const char *rule = str(all[j].d, "rule"), *msg = str(all[j].d, "message");
        if (rule && msg && strcmp(rule, "CV703") == 0 && !seen_add(faults, msg, &m->oom))
            continue;
        if (rule && msg && strcmp(rule, "CV704") == 0 && !seen_add(&budgets, msg, &m->oom))
            continue;
        restore_diag(cx, all[j].d);
    }
    cv_free(budgets.msg);
    cv_free(all);
}

static void cases(merger *m, chanval_file *f, size_t i)
{
    found *all = NULL;
    size_t n = 0, cap = 0;
    for (size_t k = 0; k < m->n && !m->oom; k++) {
        json_t *cs = json_object_get(json_array_get(m->sh[k].files, i), "cases");
        for (size_t j = 0; j < json_array_size(cs); j++) {
            void *p = all;
            if (cv_grow(&p, &cap, n + 1, sizeof *all) != 0) {
                m->oom = true;
                break;
            }
            all = p;
            json_t *c = json_array_get(cs, j);
            all[n++] = (found){c, k, (uint32_t)u64(json_object_get(c, "line")), (uint32_t)j};
        }
    }
    if (n > 1) /* by line; within a line, in the order the one shard wrote them */
        qsort(all, n, sizeof *all, cmp_found);
    for (size_t j = 0; j < n && !m->oom; j++) {
        void *p = f->cases;
        if (cv_grow(&p, &f->cases_cap, f->ncases + 1, sizeof *f->cases) != 0) {
            m->oom = true;
            break;
        }
        f->cases = p;
        const char *name = str(all[j].d, "name"), *msg = str(all[j].d, "message");
        chanval_test_case tc = {adup(&f->arena, name ? name : ""), all[j].line,
                                !json_is_true(json_object_get(all[j].d, "ok")),
                                msg ? adup(&f->arena, msg) : NULL};
        if (!tc.name || (msg && !tc.message))
            m->oom = true;
        f->cases[f->ncases++] = tc;
    }
    cv_free(all);
}

static bool hex_sha(const char *hex, uint8_t out[32])
{
    if (!hex || strlen(hex) != 64)
        return false;
    for (size_t i = 0; i < 32; i++) {
        int v = hex2(hex + 2 * i);
        if (v < 0)
            return false;
        out[i] = (uint8_t)v;
    }
    return true;
}

/* Every report entry, in the run's order (each shard lists the same). */
static chanval_status entries(merger *m, seen *faults)
{
    chanval_session *s = m->s;
    json_t *files = m->sh[0].files;
    for (size_t k = 1; k < m->n; k++)
        if (json_array_size(m->sh[k].files) != json_array_size(files))
            return refuse(s, "the shards do not list the same files");
    for (size_t i = 0; i < json_array_size(files) && !m->oom; i++) {
        json_t *e = json_array_get(files, i);
        char *path = path_of(e, "path");
        if (!path)
            return CHANVAL_ERR_NOMEM;
        for (size_t k = 1; k < m->n; k++) {
            char *other = path_of(json_array_get(m->sh[k].files, i), "path");
            bool same = other && strcmp(other, path) == 0;
            cv_free(other);
            if (!same) {
                cv_free(path);
                return refuse(s, "the shards do not list the same files");
            }
        }
        if (str(e, "error")) { /* an input no shard could read */
            cv_io_error_add(s, path, str(e, "error"));
            cv_free(path);
            continue;
        }
        chanval_kind kind = kind_of(str(e, "kind"));
        if (kind == CHANVAL_KIND_TYPES || kind == CHANVAL_KIND_FLEET) {
            /* the run's world: this session's own -t/-f documents (the run
             * key proved them the same) are already in the report */
            cv_free(path);
            continue;
        }
        size_t index;
        chanval_file *f = cv_file_new(s, path, kind, &index);
        cv_free(path);
        if (!f)
            return CHANVAL_ERR_NOMEM;
        f->size = u64(json_object_get(e, "size"));
        f->has_sha256 = hex_sha(str(e, "sha256"), f->sha256);
        cv_ctx cx = cv_session_ctx_plain(s, f, index);
        cx.xml = true;
        if (kind == CHANVAL_KIND_TEST || kind == CHANVAL_KIND_EVENTS) {
            sharded_diags(m, &cx, i, kind == CHANVAL_KIND_TEST, faults);
            cases(m, f, i);
        } else { /* read the same by every shard */
            json_t *ds = json_object_get(e, "diagnostics");
            for (size_t j = 0; j < json_array_size(ds); j++)
                restore_diag(&cx, json_array_get(ds, j));
        }
        if (cx.oom)
            m->oom = true;
        cv_ctx_done(&cx);
    }
    json_t *skipped = json_object_get(m->sh[0].state, "skipped");
    for (size_t i = 0; i < json_array_size(skipped) && !m->oom; i++) {
        char *p = path_of(json_array_get(skipped, i), "path");
        if (!p || !cv_skipped_keep(s, p)) {
            cv_free(p);
            m->oom = true;
        }
    }
    return m->oom ? CHANVAL_ERR_NOMEM : CHANVAL_OK;
}

/* ---- the contents: counts added up, then CV701 and coverage ----------------- */

static size_t entry_index(const chanval_session *s, const char *path, chanval_kind kind)
{
    for (size_t i = 0; path && i < s->nfiles; i++)
        if (s->files[i]->kind == kind && strcmp(s->files[i]->path, path) == 0)
            return i;
    return SIZE_MAX;
}

static chanval_status add_counts(merger *m, cv_content_run *c, json_t *cs)
{
    const cv_prog *p = &c->prog;
    size_t ns = m->s->world->nsensors ? m->s->world->nsensors : 1;
    const char *cover = str(cs, "cover");
    json_t *te = json_object_get(cs, "typeEvals"), *insts = json_object_get(cs, "instances");
    if (!cover || strlen(cover) != p->ncrits * ns || json_array_size(te) != p->ntypes ||
        json_array_size(insts) != p->ninsts)
        return refuse(m->s, "%s is not what the shards ran", c->path);
    c->events += u64(json_object_get(cs, "events"));
    c->benign_events += u64(json_object_get(cs, "benignEvents"));
    for (size_t i = 0; i < p->ncrits * ns; i++)
        c->tests.cover[i] |= (uint8_t)(cover[i] - '0') & 3;
    for (size_t t = 0; t < p->ntypes; t++)
        c->benign.type_evals[t] += u64(json_array_get(te, t));
    for (size_t i = 0; i < p->ninsts; i++) {
        json_t *v = json_array_get(insts, i);
        cv_istat *st = &c->benign.stats[i];
        st->fired += u64(json_array_get(v, 0));
        st->evals += u64(json_array_get(v, 1));
        st->exhausted += u64(json_array_get(v, 2));
        uint64_t max = u64(json_array_get(v, 3)), budget = u64(json_array_get(v, 4));
        if (max > st->max_steps)
            st->max_steps = max;
        uint32_t ti = p->insts[i].type;
        if (budget && (!c->budget[ti] || budget < c->budget[ti]))
            c->budget[ti] = (uint32_t)budget;
        json_t *h = json_array_get(v, 5);
        if (json_array_size(h) == CV_STEP_BUCKETS) {
            if (!st->steps && !(st->steps = cv_calloc(CV_STEP_BUCKETS, sizeof *st->steps)))
                return CHANVAL_ERR_NOMEM;
            for (size_t k = 0; k < CV_STEP_BUCKETS; k++)
                st->steps[k] += (uint32_t)u64(json_array_get(h, k));
        }
    }
    return CHANVAL_OK;
}

/* CV701 of one corpus for one content, from every shard's counts. */
static chanval_status corpus_findings(merger *m, cv_content_run *c, size_t ci, const char *file)
{
    const cv_prog *p = &c->prog;
    size_t ni = p->ninsts ? p->ninsts : 1, nt = p->ntypes ? p->ntypes : 1;
    uint64_t *fires = cv_calloc(ni, sizeof *fires), *evals = cv_calloc(nt, sizeof *evals);
    uint32_t *line = cv_calloc(ni, sizeof *line), *col = cv_calloc(ni, sizeof *col);
    chanval_status st = fires && evals && line && col ? CHANVAL_OK : CHANVAL_ERR_NOMEM;
    for (size_t k = 0; k < m->n && st == CHANVAL_OK; k++) {
        json_t *cs = json_array_get(json_object_get(m->sh[k].state, "contents"), ci);
        json_t *recs = json_object_get(cs, "corpora");
        for (size_t r = 0; r < json_array_size(recs); r++) {
            json_t *rec = json_array_get(recs, r);
            char *f = path_of(rec, "file");
            bool mine = f && strcmp(f, file) == 0;
            cv_free(f);
            if (!mine)
                continue;
            json_t *te = json_object_get(rec, "typeEvals"), *fs = json_object_get(rec, "fires");
            for (size_t t = 0; t < p->ntypes; t++)
                evals[t] += u64(json_array_get(te, t));
            for (size_t j = 0; j < json_array_size(fs); j++) {
                json_t *v = json_array_get(fs, j);
                uint64_t i = u64(json_array_get(v, 0));
                uint32_t l = (uint32_t)u64(json_array_get(v, 2)),
                         cl = (uint32_t)u64(json_array_get(v, 3));
                if (i >= p->ninsts)
                    continue;
                if (!fires[i] || l < line[i] || (l == line[i] && cl < col[i])) {
                    line[i] = l;
                    col[i] = cl;
                }
                fires[i] += u64(json_array_get(v, 1));
            }
        }
    }
    size_t e = entry_index(m->s, file, CHANVAL_KIND_EVENTS);
    if (st == CHANVAL_OK && e != SIZE_MAX) {
        cv_ctx cx = cv_session_ctx_plain(m->s, m->s->files[e], e);
        cv_benign_findings(&cx, c, fires, NULL, line, col, evals);
        if (cx.oom)
            st = CHANVAL_ERR_NOMEM;
        cv_ctx_done(&cx);
    }
    cv_free(fires);
    cv_free(evals);
    cv_free(line);
    cv_free(col);
    return st;
}

static chanval_status contents(merger *m, cv_trun *r)
{
    json_t *list = json_object_get(m->sh[0].state, "contents");
    for (size_t k = 1; k < m->n; k++)
        if (json_array_size(json_object_get(m->sh[k].state, "contents")) != json_array_size(list))
            return refuse(m->s, "the shards did not run the same content");
    for (size_t i = 0; i < json_array_size(list); i++) {
        json_t *cs = json_array_get(list, i);
        char *path = path_of(cs, "path");
        if (!path)
            return CHANVAL_ERR_NOMEM;
        cv_content_run *c = cv_test_content(r, path);
        cv_free(path);
        if (r->oom)
            return CHANVAL_ERR_NOMEM;
        if (!c) /* cannot be read any more */
            return CHANVAL_ERR_IO;
        uint8_t sha[32], was[32];
        bool loaded = json_is_true(json_object_get(cs, "loaded"));
        if (c->loaded != loaded ||
            (loaded && (!hex_sha(str(cs, "sha256"), was) ||
                        !cv_sha256(&(cv_span){c->prog.bytes, c->prog.len}, 1, sha) ||
                        memcmp(sha, was, 32) != 0)))
            return refuse(m->s, "%s changed since the shards ran", c->path);
        char *first =
            json_is_string(json_object_get(cs, "firstTest")) ? path_of(cs, "firstTest") : NULL;
        c->first_doc = entry_index(m->s, first, CHANVAL_KIND_TEST);
        c->first_test = first;
        for (size_t k = 0; k < m->n && loaded; k++) {
            chanval_status st =
                add_counts(m, c, json_array_get(json_object_get(m->sh[k].state, "contents"), i));
            if (st != CHANVAL_OK)
                return st;
        }
    }
    /* each corpus's CV701, in the run's order of corpora */
    cv_test_state *t = m->s->tests;
    for (size_t b = 0; b < m->opts.nbenign; b++)
        for (size_t i = 0; i < t->ncontents; i++)
            if (t->contents[i].loaded) {
                chanval_status st = corpus_findings(m, &t->contents[i], i, m->opts.benign[b]);
                if (st != CHANVAL_OK)
                    return st;
            }
    return CHANVAL_OK;
}

static void merger_free(merger *m)
{
    for (size_t i = 0; m->sh && i < m->n; i++)
        json_decref(m->sh[i].root);
    cv_free(m->sh);
    for (size_t i = 0; m->inputs && m->inputs[i]; i++)
        cv_free(m->inputs[i]);
    for (size_t i = 0; m->benign && m->benign[i]; i++)
        cv_free(m->benign[i]);
    cv_free(m->inputs);
    cv_free(m->benign);
    cv_free(m->sensors);
}

chanval_status chanval_merge_paths(chanval_session *s, const char *const *paths, size_t n)
{
    if (n < 1 || n > MAX_SHARDS)
        return refuse(s, "merge needs the JSON reports of the shards (1 to %d)", MAX_SHARDS);
    if (cv_world_freeze(s->world) != 0 ||
        (!s->tests && !(s->tests = cv_calloc(1, sizeof *s->tests)))) {
        cv_set_nomem(s);
        return CHANVAL_ERR_NOMEM;
    }
    merger m = {.s = s, .n = n, .sh = cv_calloc(n, sizeof *m.sh)};
    shard *all = cv_calloc(n, sizeof *all);
    chanval_status st = m.sh && all ? CHANVAL_OK : CHANVAL_ERR_NOMEM;
    for (size_t i = 0; i < n && st == CHANVAL_OK; i++) {
        st = read_shard(&m, paths[i], &all[i]);
        if (st == CHANVAL_ERR_IO)
            cv_io_error_add(s, paths[i], s->last_error);
    }
    if (st == CHANVAL_OK)
        st = check_shards(&m, all, paths, n);
    for (size_t i = 0; all && i < n; i++)
        json_decref(all[i].root);
    cv_free(all);
    if (st == CHANVAL_OK)
        st = options(&m);
    seen faults = {0};
    if (st == CHANVAL_OK)
        st = entries(&m, &faults);
    cv_free(faults.msg); /* the messages live in the shards' documents, freed below */
    chanval_test_options single = m.opts;
    single.shards = single.shard = 0;
    cv_trun r = {.s = s, .o = &single, .no_entries = true};
    size_t ns = s->world->nsensors ? s->world->nsensors : 1;
    if (st == CHANVAL_OK && !(r.sens = cv_calloc(ns, sizeof *r.sens)))
        st = CHANVAL_ERR_NOMEM;
    if (st == CHANVAL_OK)
        st = cv_trun_sensors(&r);
    if (st == CHANVAL_OK)
        st = contents(&m, &r);
    for (size_t i = 0; st == CHANVAL_OK && i < s->nfiles; i++)
        if (cv_file_finish(&s->set->policy, s->files[i]) != 0)
            st = CHANVAL_ERR_NOMEM;
    if (st == CHANVAL_OK) {
        cv_test_coverage(&r);
        if (r.oom)
            st = CHANVAL_ERR_NOMEM;
    }
    cv_free(r.sens);
    cv_free(r.sensors);
    merger_free(&m);
    if (st == CHANVAL_ERR_NOMEM)
        cv_set_nomem(s);
    return st;
}
