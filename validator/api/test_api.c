/* test_api.c - chanval_test_paths: which documents, which sensors; the
 * coverage of each content once every test ran; the figures read back. */
#define _POSIX_C_SOURCE 200809L
#include "api/test_run.h"
#include "base/alloc.h"
#include "diag/rules.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { MAX_TEST_DEPTH = 32 };

typedef struct plist {
    char **v;
    size_t n, cap;
} plist;

static int push(plist *l, const char *path)
{
    void *p = l->v;
    char *c = cv_strdup(path);
    if (!c || cv_grow(&p, &l->cap, l->n + 1, sizeof *l->v) != 0) {
        cv_free(c);
        return -1;
    }
    l->v = p;
    l->v[l->n++] = c;
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool is_test_name(const char *name)
{
    size_t n = strlen(name), e = strlen(".test.jsonl");
    return n > e && strcmp(name + n - e, ".test.jsonl") == 0;
}

/* The *.test.jsonl files under dir, sorted; what else is there is listed
 * as skipped (as check lists what is not content). */
static int walk(chanval_session *s, const char *dir, unsigned depth, plist *out)
{
    if (depth > MAX_TEST_DEPTH) {
        char msg[600];
        snprintf(msg, sizeof msg, "not descending into '%s': deeper than %d directories", dir,
                 MAX_TEST_DEPTH);
        cv_io_error_add(s, dir, msg);
        return 0;
    }
    DIR *d = opendir(dir);
    if (!d) {
        char msg[600];
        snprintf(msg, sizeof msg, "cannot open directory '%s': %s", dir, strerror(errno));
        cv_io_error_add(s, dir, msg);
        return 0;
    }
    plist names = {0};
    struct dirent *e;
    int rc = 0;
    while (rc == 0 && (e = readdir(d)))
        if (e->d_name[0] != '.')
            rc = push(&names, e->d_name);
    closedir(d);
    if (names.n > 1)
        qsort(names.v, names.n, sizeof *names.v, cmp_str);
    for (size_t i = 0; i < names.n && rc == 0; i++) {
        size_t len = strlen(dir) + strlen(names.v[i]) + 2;
        char *path = cv_malloc(len);
        if (!path) {
            rc = -1;
            break;
        }
        bool slash = dir[0] && dir[strlen(dir) - 1] == '/';
        snprintf(path, len, "%s%s%s", dir, slash ? "" : "/", names.v[i]);
        struct stat st;
        if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
            rc = walk(s, path, depth + 1, out);
        else if (is_test_name(names.v[i]))
            rc = push(out, path);
        else if (cv_skipped_keep(s, path))
            path = NULL;
        else
            rc = -1;
        cv_free(path);
    }
    for (size_t i = 0; i < names.n; i++)
        cv_free(names.v[i]);
    cv_free(names.v);
    return rc;
}

/* ---- coverage ------------------------------------------------------------ */

static void cover_criteria(cv_trun *r, cv_ctx *cx, cv_content_run *c, uint64_t *outcomes,
                           uint64_t *covered)
{
    const cv_prog *p = &c->prog;
    const cv_world *w = r->s->world;
    size_t ns = w->nsensors;
    for (size_t i = 0; i < p->ninsts; i++) {
        const cv_pinst *in = &p->insts[i];
        const cv_ptype *t = &p->types[in->type];
        for (uint32_t j = 0; j < in->ncrit; j++) {
            const cv_pcrit *cr = &p->crits[in->first + j];
            /* one-sided sensors are listed; a sensor that never ran it is
             * CV707's (per field), unless none did */
            cv_buf miss = {0};
            bool ran = false;
            for (size_t v = 0; v < t->nviews; v++) {
                uint32_t sn = t->views[v].sensor;
                if (r->nsensors && !cv_trun_has_sensor(r, sn))
                    continue;
                uint8_t bits = c->tests.cover[(size_t)(in->first + j) * ns + sn];
                *outcomes += 2;
                *covered += (uint64_t)((bits & 1) != 0) + ((bits & 2) != 0);
                ran = ran || bits != 0;
                if (bits == 1 || bits == 2)
                    cv_buf_printf(&miss, "%s%s (never %s)", miss.len ? ", " : "",
                                  w->sensors[sn].version, bits == 1 ? "false" : "true");
            }
            bool never = !ran && t->nviews > 0;
            if (miss.len || never) {
                const cv_type *def = t->def;
                chanval_diag *d = cv_report_linecol(
                    cx, CV702_CRITERION_NOT_EXERCISED, 1, 1,
                    "%s instance %" PRIu32 " criterion %" PRIu32 " (field \"%s\", %s, at 0x%zx) "
                    "%s%s",
                    c->path, in->id, cr->index,
                    def && cr->index < def->nfields ? def->fields[cr->index].name : "?",
                    cv_op_name(cr->op), cr->off,
                    never ? "was never evaluated by a test event"
                          : "was not exercised both ways on: ",
                    never ? "" : miss.data);
                cv_set_instance(d, in->id, (int32_t)cr->index);
            }
            if (miss.oom)
                r->oom = true;
            cv_buf_free(&miss);
        }
    }
}

/* CV707: per sensor, each (type, field) the content matches with a
 * non-wildcard criterion that no test event evaluated there. */
static void cover_fields(cv_trun *r, cv_ctx *cx, cv_content_run *c)
{
    const cv_prog *p = &c->prog;
    const cv_world *w = r->s->world;
    size_t ns = w->nsensors;
    for (size_t ti = 0; ti < p->ntypes && !cx->oom; ti++) {
        const cv_ptype *t = &p->types[ti];
        if (!t->def || t->nviews == 0)
            continue;
        /* one pass over the type's criteria: per (view, field), the first
         * instance with a criterion on it (0: none) and whether a test event
         * evaluated one there */
        size_t nf = t->def->nfields, cells = t->nviews * nf;
        uint32_t *first = cv_calloc(cells, sizeof *first);
        bool *tested = cv_calloc(cells, sizeof *tested);
        if (!first || !tested) {
            cx->oom = true;
            cv_free(first);
            cv_free(tested);
            return;
        }
        for (size_t k = 0; k < t->ninsts; k++) {
            const cv_pinst *in = &p->insts[t->insts[k]];
            for (uint32_t j = 0; j < in->ncrit; j++) {
                uint32_t field = p->crits[in->first + j].index;
                for (size_t v = 0; field < nf && v < t->nviews; v++) {
                    size_t cell = v * nf + field;
                    if (!first[cell])
                        first[cell] = in->id;
                    if (c->tests.cover[(size_t)(in->first + j) * ns + t->views[v].sensor])
                        tested[cell] = true;
                }
            }
        }
        for (uint32_t field = 0; field < nf; field++) {
            for (size_t v = 0; v < t->nviews; v++) {
                uint32_t sn = t->views[v].sensor;
                size_t cell = v * nf + field;
                if ((r->nsensors && !cv_trun_has_sensor(r, sn)) || !first[cell] || tested[cell])
                    continue;
                bool past = field >= t->views[v].inputs;
                chanval_diag *d = cv_report_linecol(
                    cx, CV707_FIELD_NOT_TESTED_ON_SENSOR, 1, 1,
                    "type %" PRIu32 " v%u field %" PRIu32 " (\"%s\") has non-wildcard criteria "
                    "in %s (first: instance %" PRIu32 "), but no test event evaluated it on "
                    "sensor %s, which supplies %u inputs%s",
                    t->id, (unsigned)t->version, field, t->def->fields[field].name, c->path,
                    first[cell], w->sensors[sn].version, t->views[v].inputs,
                    past ? ": the field lies past them, the gap channel file 291 fell through"
                         : "");
                cv_set_instance(d, first[cell], (int32_t)field);
                cv_set_sensor(cx, d, w->sensors[sn].version);
                if (t->views[v].fault.kind != CV_FAULT_NONE)
                    cv_note(cx, d, "the sensor faults on every event of this type (CV703)");
            }
        }
        cv_free(first);
        cv_free(tested);
    }
}

void cv_test_coverage(cv_trun *r)
{
    cv_test_state *t = r->s->tests;
    for (size_t i = 0; t && i < t->ncontents && !r->oom; i++) {
        cv_content_run *c = &t->contents[i];
        if (!c->loaded || c->first_doc == SIZE_MAX || r->o->shards > 1)
            continue;
        chanval_file *f = r->s->files[c->first_doc];
        cv_ctx cx = cv_session_ctx_plain(r->s, f, c->first_doc);
        uint64_t outcomes = 0, covered = 0;
        cover_criteria(r, &cx, c, &outcomes, &covered);
        cover_fields(r, &cx, c);
        c->outcomes = outcomes;
        c->covered = covered;
        double pct = outcomes ? 100.0 * (double)covered / (double)outcomes : 100.0;
        if (r->o->min_coverage_set && pct < r->o->min_coverage) {
            chanval_diag *d =
                cv_report_linecol(&cx, CV706_COVERAGE_BELOW_MINIMUM, 1, 1,
                                  "the tests exercise %.1f%% of %s's criterion outcomes "
                                  "(%" PRIu64 " of %" PRIu64 "), below --min-coverage %.1f%%",
                                  pct, c->path, covered, outcomes, r->o->min_coverage);
            cv_note(&cx, d, "CV702 and CV707 list what was never exercised");
        }
        if (cx.oom || cv_file_finish(&r->s->set->policy, f) != 0)
            r->oom = true;
        cv_ctx_done(&cx);
    }
}

bool cv_trun_has_sensor(const cv_trun *r, uint32_t sensor)
{
    for (size_t i = 0; i < r->nsensors; i++)
        if (r->sensors[i] == sensor)
            return true;
    return false;
}

/* ---- the run ------------------------------------------------------------ */

chanval_status cv_trun_sensors(cv_trun *r)
{
    const chanval_test_options *o = r->o;
    const cv_world *w = r->s->world;
    if (o->nsensors == 0)
        return CHANVAL_OK;
    r->sensors = cv_calloc(o->nsensors, sizeof *r->sensors);
    if (!r->sensors)
        return CHANVAL_ERR_NOMEM;
    for (size_t i = 0; i < o->nsensors; i++) {
        size_t k = cv_world_sensor(w, o->sensors[i]);
        if (k == SIZE_MAX) {
            cv_set_error(r->s, "--sensor %s: no such sensor in the fleet%s", o->sensors[i],
                         w->nsensors ? "" : " (no fleet was given: pass it with -f)");
            return CHANVAL_ERR_USAGE;
        }
        if (!cv_trun_has_sensor(r, (uint32_t)k))
            r->sensors[r->nsensors++] = (uint32_t)k;
    }
    return CHANVAL_OK;
}

static chanval_status read_doc(cv_trun *r, const char *path, cv_file_data *fd)
{
    chanval_session *s = r->s;
    s->last_error[0] = '\0';
    uint64_t max = s->set->policy.limits[CHANVAL_LIMIT_EVENTS_BYTES];
    chanval_status st = cv_read_file(path, max, fd, s->last_error, sizeof s->last_error);
    if (st == CHANVAL_OK && fd->size > fd->len) {
        snprintf(s->last_error, sizeof s->last_error,
                 "'%s' has %" PRIu64 " bytes, more than --max-events-bytes %" PRIu64, path,
                 fd->size, max);
        st = CHANVAL_ERR_IO;
    }
    if (st == CHANVAL_OK && cv_input_seen(s, fd->id.dev, fd->id.ino) != CHANVAL_OK)
        st = CHANVAL_ERR_NOMEM;
    if (st == CHANVAL_ERR_IO)
        cv_io_error_add(s, path, s->last_error);
    if (st != CHANVAL_OK)
        cv_file_data_free(fd);
    return st;
}

/* The paths given: tests (directories walked), and content to run the
 * benign corpus over. */
static chanval_status gather(cv_trun *r, const char *const *paths, size_t n, plist *tests)
{
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        if (strcmp(paths[i], "-") != 0 && stat(paths[i], &st) == 0 && S_ISDIR(st.st_mode)) {
            if (walk(r->s, paths[i], 0, tests) != 0)
                return CHANVAL_ERR_NOMEM;
            continue;
        }
        if (push(tests, paths[i]) != 0)
            return CHANVAL_ERR_NOMEM;
    }
    return CHANVAL_OK;
}

/* Content named directly that a sensor cannot load fails the run (CV708)
 * on an entry of its own; a source that does not pack has one already,
 * with the errors that stop it. */
static chanval_status not_loadable(cv_trun *r, const cv_content_run *c)
{
    for (size_t i = 0; i < r->s->nfiles; i++)
        if (strcmp(r->s->files[i]->path, c->path) == 0 && r->s->files[i]->errors > 0)
            return CHANVAL_OK;
    size_t index;
    chanval_file *f = cv_file_new(r->s, c->path, CHANVAL_KIND_CHANNEL, &index);
    if (!f)
        return CHANVAL_ERR_NOMEM;
    cv_ctx cx = cv_session_ctx_plain(r->s, f, index);
    chanval_diag *d =
        cv_report(&cx, CV708_CONTENT_NOT_LOADABLE, 0,
                  "a sensor cannot load %s, so no event ran on it: %s", c->path, c->why);
    cv_note(&cx, d, "chanval check lists every problem of it");
    bool oom = cx.oom || cv_file_finish(&r->s->set->policy, f) != 0;
    cv_ctx_done(&cx);
    return oom ? CHANVAL_ERR_NOMEM : CHANVAL_OK;
}

static chanval_status run_all(cv_trun *r, const char *const *paths, size_t n)
{
    plist tests = {0};
    chanval_status st = gather(r, paths, n, &tests), worst = st;
    for (size_t i = 0; i < tests.n && st != CHANVAL_ERR_NOMEM; i++) {
        cv_file_data fd = {0};
        st = read_doc(r, tests.v[i], &fd);
        if (st == CHANVAL_OK) {
            if (cv_first_byte(fd.data, fd.len) == '{') { /* a test: JSON Lines */
                st = cv_run_test_doc(r, tests.v[i], &fd);
            } else if (r->o->nbenign == 0) {
                /* nothing would run it: not a pass */
                cv_set_error(r->s,
                             "%s is content, not a test: content named directly runs over "
                             "--benign events; give --benign FILE, or a test that names it",
                             tests.v[i]);
                st = CHANVAL_ERR_USAGE;
            } else {
                /* content named directly: run over the benign corpus */
                cv_file_data_free(&fd);
                cv_content_run *c = cv_test_content(r, tests.v[i]);
                st = c ? CHANVAL_OK : r->oom ? CHANVAL_ERR_NOMEM : CHANVAL_ERR_IO;
                if (c && !c->loaded && !r->oom)
                    st = not_loadable(r, c);
            }
        }
        cv_file_data_free(&fd);
        if (st != CHANVAL_OK && worst == CHANVAL_OK)
            worst = st;
        if (st == CHANVAL_ERR_USAGE)
            break;
    }
    for (size_t i = 0; i < tests.n; i++)
        cv_free(tests.v[i]);
    cv_free(tests.v);
    if (worst == CHANVAL_ERR_NOMEM || r->oom)
        return CHANVAL_ERR_NOMEM;
    cv_test_state *t = r->s->tests;
    r->run_on = cv_calloc(t->ncontents ? t->ncontents : 1, sizeof *r->run_on);
    if (!r->run_on)
        return CHANVAL_ERR_NOMEM;
    for (size_t i = 0; i < t->ncontents; i++)
        r->run_on[r->nrun_on++] = &t->contents[i];
    for (size_t i = 0; i < r->o->nbenign && !r->oom; i++) {
        cv_file_data fd = {0};
        st = read_doc(r, r->o->benign[i], &fd);
        if (st == CHANVAL_OK)
            st = cv_run_benign(r, r->o->benign[i], &fd);
        cv_file_data_free(&fd);
        if (st != CHANVAL_OK && worst == CHANVAL_OK)
            worst = st;
    }
    cv_test_coverage(r);
    if (!r->oom && r->o->shards > 1 && cv_shard_state(r, paths, n) != 0)
        r->oom = true;
    return r->oom ? CHANVAL_ERR_NOMEM : worst;
}

chanval_status chanval_test_paths(chanval_session *s, const char *const *paths, size_t n,
                                  const chanval_test_options *o)
{
    chanval_test_options none = {0};
    if (!o)
        o = &none;
    if (o->shards > 0 && (o->shard < 1 || o->shard > o->shards)) {
        cv_set_error(s, "--shard %u/%u: the shard must be 1..%u", o->shard, o->shards, o->shards);
        return CHANVAL_ERR_USAGE;
    }
    if (o->min_coverage_set && !(o->min_coverage >= 0.0 && o->min_coverage <= 100.0)) {
        cv_set_error(s, "--min-coverage must be a percentage, 0 to 100");
        return CHANVAL_ERR_USAGE;
    }
    if (cv_world_freeze(s->world) != 0) {
        cv_set_nomem(s);
        return CHANVAL_ERR_NOMEM;
    }
    if (!s->tests && !(s->tests = cv_calloc(1, sizeof *s->tests))) {
        cv_set_nomem(s);
        return CHANVAL_ERR_NOMEM;
    }
    cv_trun r = {.s = s, .o = o};
    size_t ns = s->world->nsensors ? s->world->nsensors : 1;
    r.sens = cv_calloc(ns, sizeof *r.sens);
    chanval_status st = r.sens ? cv_trun_sensors(&r) : CHANVAL_ERR_NOMEM;
    if (st == CHANVAL_OK)
        st = run_all(&r, paths, n);
    if (r.internal && st == CHANVAL_OK) {
        cv_set_error(s, "PCRE2 failed unexpectedly while running a regex");
        st = CHANVAL_ERR_INTERNAL;
    }
    cv_free(r.sens);
    cv_free(r.sensors);
    cv_free(r.run_on);
    if (st == CHANVAL_ERR_NOMEM)
        cv_set_nomem(s);
    return st;
}

/* ---- the figures ---------------------------------------------------------- */

size_t chanval_test_content_count(const chanval_session *s)
{
    return s->tests ? s->tests->ncontents : 0;
}

bool chanval_test_content_at(const chanval_session *s, size_t index, chanval_test_content *out)
{
    if (!s->tests || index >= s->tests->ncontents)
        return false;
    const cv_content_run *c = &s->tests->contents[index];
    *out = (chanval_test_content){c->path,
                                  c->loaded,
                                  c->events,
                                  c->benign_events,
                                  c->outcomes,
                                  c->covered,
                                  c->loaded ? c->prog.ninsts : 0};
    return true;
}

/* The bucket top under which a share q of the evaluations fall. */
static uint64_t quantile(const uint32_t *h, uint64_t total, double q)
{
    uint64_t want = (uint64_t)((double)total * q), seen = 0;
    if (want == 0)
        want = 1;
    for (size_t b = 0; b < CV_STEP_BUCKETS; b++) {
        seen += h[b];
        if (seen >= want)
            return cv_step_bucket_top(b);
    }
    return cv_step_bucket_top(CV_STEP_BUCKETS - 1);
}

bool chanval_test_instance_at(const chanval_session *s, size_t content, size_t index,
                              chanval_test_instance *out)
{
    if (!s->tests || content >= s->tests->ncontents)
        return false;
    const cv_content_run *c = &s->tests->contents[content];
    if (!c->loaded || index >= c->prog.ninsts)
        return false;
    const cv_pinst *in = &c->prog.insts[index];
    const cv_istat *b = &c->benign.stats[index];
    *out = (chanval_test_instance){.id = in->id,
                                   .action = in->action,
                                   .severity = in->severity,
                                   .benign_evals = c->benign.type_evals[in->type],
                                   .benign_fired = b->fired,
                                   .has_steps = in->regex,
                                   .steps_max = b->max_steps,
                                   .budget = c->budget[in->type],
                                   .exhausted = b->exhausted};
    if (b->steps && b->evals) {
        uint64_t total = 0;
        for (size_t k = 0; k < CV_STEP_BUCKETS; k++)
            total += b->steps[k];
        out->steps_median = quantile(b->steps, total, 0.5);
        out->steps_p99 = quantile(b->steps, total, 0.99);
    }
    return true;
}
