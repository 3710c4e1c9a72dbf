/* test_run.c - chanval test: tests and benign corpora run through the
 * interpreter (eval/) on every sensor, their findings located on the
 * lines of the documents, coverage reported on each content's first test. */
#define _POSIX_C_SOURCE 200809L
#include "api/test_run.h"
#include "base/alloc.h"
#include "base/fileio.h"
#include "diag/rules.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* ---- content, loaded once per run -------------------------------------- */

static void content_free(cv_content_run *c)
{
    if (c->have_runner)
        cv_runner_free(&c->tests);
    if (c->have_benign)
        cv_runner_free(&c->benign);
    cv_prog_free(&c->prog);
    cv_free(c->path);
    cv_free(c->faults);
    cv_free(c->ex_seen);
    cv_free(c->fires);
    cv_free(c->first_fire);
    cv_free(c->budget);
    cv_free(c->first_test);
    for (size_t i = 0; i < c->nrecs; i++) {
        cv_free(c->recs[i].file);
        cv_free(c->recs[i].type_evals);
        cv_free(c->recs[i].fires);
        cv_free(c->recs[i].line);
        cv_free(c->recs[i].col);
    }
    cv_free(c->recs);
}

void cv_test_state_free(cv_test_state *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->ncontents; i++)
        content_free(&t->contents[i]);
    cv_free(t->contents);
    cv_free(t->shard_json);
    cv_free(t);
}

/* The content at `path`, loaded (or known not to load) once per run.
 * NULL when it could not be read (an input error) or out of memory. */
cv_content_run *cv_test_content(cv_trun *r, const char *path)
{
    chanval_session *s = r->s;
    cv_file_data fd = {0};
    s->last_error[0] = '\0';
    chanval_status st = cv_read_file(path, s->set->policy.limits[CHANVAL_LIMIT_BYTES], &fd,
                                     s->last_error, sizeof s->last_error);
    if (st != CHANVAL_OK) {
        if (st == CHANVAL_ERR_NOMEM)
            r->oom = true;
        else
            cv_io_error_add(s, path, s->last_error);
        return NULL;
    }
    if (fd.size > fd.len) { /* only a prefix was read */
        snprintf(s->last_error, sizeof s->last_error,
                 "'%s' has %llu bytes, more than --max-bytes %llu", path,
                 (unsigned long long)fd.size,
                 (unsigned long long)s->set->policy.limits[CHANVAL_LIMIT_BYTES]);
        cv_io_error_add(s, path, s->last_error);
        cv_file_data_free(&fd);
        return NULL;
    }
    cv_test_state *t = s->tests;
    for (size_t i = 0; i < t->ncontents; i++)
        if (t->contents[i].dev == fd.id.dev && t->contents[i].ino == fd.id.ino) {
            cv_file_data_free(&fd);
            return &t->contents[i];
        }
    void *p = t->contents;
    if (cv_input_seen(s, fd.id.dev, fd.id.ino) != CHANVAL_OK ||
        cv_grow(&p, &t->contents_cap, t->ncontents + 1, sizeof *t->contents) != 0) {
        cv_file_data_free(&fd);
        r->oom = true;
        return NULL;
    }
    t->contents = p;
    cv_content_run *c = &t->contents[t->ncontents];
    *c = (cv_content_run){.dev = fd.id.dev, .ino = fd.id.ino, .first_doc = SIZE_MAX};
    c->path = cv_strdup(path);
    if (!c->path) {
        cv_file_data_free(&fd);
        r->oom = true;
        return NULL;
    }
    t->ncontents++;
    const uint8_t *bytes = fd.data;
    size_t len = fd.len;
    uint8_t *packed = NULL;
    if (cv_is_xml(fd.data, fd.len)) {
        /* a source runs as pack would ship it; its findings are reported */
        size_t errors = chanval_error_count(s);
        chanval_session scratch_session;
        chanval_session *ps = s;
        if (r->no_entries) { /* chanval merge: the shards reported the source */
            cv_session_worker(&scratch_session, s);
            ps = &scratch_session;
        }
        st = chanval_pack_memory(ps, path, fd.data, fd.len, &packed, &len);
        if (ps != s)
            cv_session_release(ps);
        if (st == CHANVAL_ERR_NOMEM)
            r->oom = true;
        if (!packed) {
            snprintf(c->why, sizeof c->why,
                     "the channel source does not pack (%zu errors, reported under it)",
                     chanval_error_count(s) - errors);
            cv_file_data_free(&fd);
            return c;
        }
        bytes = packed;
    }
    /* the decode is muted: nothing is recorded on the scratch entry */
    chanval_file *scratch = cv_calloc(1, sizeof *scratch);
    int rc = -1;
    if (scratch) {
        cv_ctx cx = cv_session_ctx_plain(s, scratch, SIZE_MAX);
        rc = cv_prog_load(&cx, bytes, len, &c->prog, c->why, sizeof c->why);
        cv_ctx_done(&cx);
        cv_file_free(scratch);
    }
    chanval_free(packed);
    cv_file_data_free(&fd);
    if (rc == -1) {
        cv_prog_free(&c->prog);
        r->oom = true;
        return c;
    }
    if (rc == 1) {
        cv_prog_free(&c->prog);
        return c;
    }
    size_t ns = s->world->nsensors ? s->world->nsensors : 1;
    size_t ni = c->prog.ninsts ? c->prog.ninsts : 1;
    c->fault_bytes = ni > (SIZE_MAX - 7) / ns ? 0 : (ni * ns + 7) / 8;
    c->faults = c->fault_bytes ? cv_calloc(c->fault_bytes, 1) : NULL;
    c->ex_seen = cv_calloc(ni, 1);
    c->fires = cv_calloc(ni, sizeof *c->fires);
    c->first_fire = cv_calloc(ni, sizeof *c->first_fire);
    c->budget = cv_calloc(c->prog.ntypes ? c->prog.ntypes : 1, sizeof *c->budget);
    bool ok = c->faults && c->ex_seen && c->fires && c->first_fire && c->budget &&
              cv_runner_init(&c->tests, &c->prog, true) == 0;
    c->have_runner = ok;
    ok = ok && cv_runner_init(&c->benign, &c->prog, r->o->plain) == 0;
    c->have_benign = ok;
    if (!ok) { /* not loaded: nothing of it may run */
        r->oom = true;
        return c;
    }
    c->loaded = true;
    return c;
}

/* ---- reporting --------------------------------------------------------- */

static const char *const action_names[] = {"?", "log", "detect", "block"};

const char *cv_action_name(uint8_t a) { return action_names[a < 4 ? a : 0]; }

static const char *field_name(const cv_prog *p, const cv_pinst *in, uint32_t index)
{
    const cv_type *def = p->types[in->type].def;
    return def && index < def->nfields ? def->fields[index].name : "(past the type's fields)";
}

/* CV703, once per (content, sensor, faulting instance). */
static void fault(cv_trun *r, cv_ctx *cx, cv_content_run *c, size_t off, uint32_t sensor,
                  const cv_event *ev, const cv_fault *f)
{
    const cv_prog *p = &c->prog;
    const cv_sensor *sn = &r->s->world->sensors[sensor];
    size_t ns = r->s->world->nsensors;
    size_t bit = (size_t)(f->kind == CV_FAULT_REFUSED ? 0 : f->inst) * ns + sensor;
    if (c->faults[bit / 8] & (1u << (bit % 8)))
        return;
    c->faults[bit / 8] = (uint8_t)(c->faults[bit / 8] | (1u << (bit % 8)));
    chanval_diag *d;
    if (f->kind == CV_FAULT_REFUSED) {
        d = cv_report(
            cx, CV703_INTERPRETER_FAULT, off,
            "sensor %s refuses %s: %zu bytes and %zu instances, over its limits of %" PRIu32
            " bytes and %" PRIu32 " instances",
            sn->version, c->path, p->len, p->ninsts, sn->max_channel_bytes, sn->max_instances);
        cv_set_sensor(cx, d, sn->version);
        return;
    }
    const cv_pinst *in = &p->insts[f->inst];
    const cv_pcrit *cr = &p->crits[f->crit];
    const cv_pview *v = cv_prog_view(&p->types[in->type], sensor);
    const char *fname = field_name(p, in, cr->index);
    switch (f->kind) {
    case CV_FAULT_INDEX:
        d = cv_report(cx, CV703_INTERPRETER_FAULT, off,
                      "sensor %s faults on this event: instance %" PRIu32 " criterion %" PRIu32
                      " (field \"%s\", at 0x%zx in %s) is a non-wildcard criterion (%s), and the "
                      "sensor supplies only %u "
                      "inputs for type %" PRIu32 " v%u: the interpreter would read inputs[%" PRIu32
                      "] past the end of its array",
                      sn->version, in->id, cr->index, fname, cr->off, c->path, cv_op_name(cr->op),
                      v ? v->inputs : 0, ev->type_id, (unsigned)ev->type_version, cr->index);
        cv_note(cx, d,
                "every event of this type crashes the sensor; criteria %u.. must stay wildcard "
                "for it (chanval check reports this statically as CV400)",
                v ? v->inputs : 0);
        break;
    case CV_FAULT_KIND:
        d = cv_report(cx, CV703_INTERPRETER_FAULT, off,
                      "sensor %s faults on this event: instance %" PRIu32 " criterion %" PRIu32
                      " (field \"%s\") applies %s to an input of the other kind",
                      sn->version, in->id, cr->index, fname, cv_op_name(cr->op));
        break;
    case CV_FAULT_REGEX_LEN:
        d = cv_report(cx, CV703_INTERPRETER_FAULT, off,
                      "sensor %s faults on this event: instance %" PRIu32 " criterion %" PRIu32
                      " (field \"%s\") is a regex of %" PRIu32
                      " bytes, longer than its maxRegexLength %" PRIu32,
                      sn->version, in->id, cr->index, fname, cr->len, sn->max_regex_length);
        break;
    case CV_FAULT_MATCH:
        d = cv_report(cx, CV703_INTERPRETER_FAULT, off,
                      "sensor %s faults on this event: instance %" PRIu32 " criterion %" PRIu32
                      " (field \"%s\"): the regex engine fails on this value (a recursion "
                      "loop)",
                      sn->version, in->id, cr->index, fname);
        break;
    default:
        d = cv_report(cx, CV703_INTERPRETER_FAULT, off,
                      "sensor %s faults on this event: instance %" PRIu32 " criterion %" PRIu32
                      " (field \"%s\") is a regex the sensor cannot compile or does not "
                      "support (chanval check: CV500, CV501)",
                      sn->version, in->id, cr->index, fname);
        break;
    }
    cv_set_instance(d, in->id, (int32_t)cr->index);
    cv_set_sensor(cx, d, sn->version);
}

static void exhausted(cv_ctx *cx, cv_content_run *c, size_t off, uint32_t sensor,
                      const cv_outcome *o, const cv_world *w)
{
    const cv_prog *p = &c->prog;
    if (c->ex_seen[o->ex_inst])
        return; /* once per instance and document */
    c->ex_seen[o->ex_inst] = 1;
    const cv_pinst *in = &p->insts[o->ex_inst];
    const cv_pcrit *cr = &p->crits[o->ex_crit];
    const cv_sensor *sn = &w->sensors[sensor];
    chanval_diag *d = cv_report(cx, CV704_REGEX_BUDGET_EXHAUSTED, off,
                                "on sensor %s, instance %" PRIu32 " criterion %" PRIu32
                                " (field \"%s\"): the regex %s ran past the budget of %" PRIu32
                                " steps on this event; the sensor abandons it and counts no match",
                                sn->version, in->id, cr->index, field_name(p, in, cr->index),
                                cv_quote(cx, 0, cr->str, cr->len, 80), sn->regex_match_limit);
    cv_set_instance(d, in->id, (int32_t)cr->index);
    cv_set_sensor(cx, d, sn->version);
}

/* ---- one event on its sensors ------------------------------------------ */

static bool has(const uint32_t *v, size_t n, uint32_t x)
{
    for (size_t i = 0; i < n; i++)
        if (v[i] == x)
            return true;
    return false;
}

/* The sensors an event runs on: the run's (--sensor), else the event's,
 * else the test's, else every sensor; only those that support its type. */
static size_t event_sensors(cv_trun *r, const cv_event *ev, const uint32_t *doc, size_t ndoc)
{
    size_t nsup = 0, n = 0;
    const cv_supporter *sup =
        cv_world_supporters(r->s->world, ev->type_id, ev->type_version, &nsup);
    for (size_t i = 0; i < nsup; i++) {
        uint32_t sn = sup[i].sensor;
        bool want = r->nsensors    ? has(r->sensors, r->nsensors, sn)
                    : ev->nsensors ? has(ev->sensors, ev->nsensors, sn)
                    : ndoc         ? has(doc, ndoc, sn)
                                   : true;
        if (want)
            r->sens[n++] = sn;
    }
    return n;
}

static void add_case(cv_trun *r, chanval_file *f, uint32_t line, const char *name,
                     const char *failure)
{
    void *p = f->cases;
    if (cv_grow(&p, &f->cases_cap, f->ncases + 1, sizeof *f->cases) != 0) {
        r->oom = true;
        return;
    }
    f->cases = p;
    chanval_test_case tc = {cv_arena_strndup(&f->arena, name, strlen(name)), line, failure != NULL,
                            failure ? cv_arena_strndup(&f->arena, failure, strlen(failure)) : NULL};
    if (!tc.name || (failure && !tc.message)) {
        r->oom = true;
        return;
    }
    f->cases[f->ncases++] = tc;
}

static bool fired_has(const cv_prog *p, const cv_outcome *o, uint32_t id)
{
    for (size_t i = 0; i < o->nfired; i++)
        if (p->insts[o->fired[i]].id == id)
            return true;
    return false;
}

static bool prog_has(const cv_prog *p, uint32_t id)
{
    for (size_t i = 0; i < p->ninsts; i++)
        if (p->insts[i].id == id)
            return true;
    return false;
}

static void fired_list(cv_buf *b, const cv_prog *p, const cv_outcome *o)
{
    if (o->nfired == 0) {
        cv_buf_adds(b, "none fired");
        return;
    }
    cv_buf_adds(b, "fired:");
    for (size_t i = 0; i < o->nfired && i < 20; i++)
        cv_buf_printf(b, " %" PRIu32, p->insts[o->fired[i]].id);
    if (o->nfired > 20)
        cv_buf_printf(b, " and %zu more", o->nfired - 20);
}

/* One expectation against one sensor's outcome: CV700 when it fails
 * there; the case's first failure kept in why. */
static void expect_on(cv_trun *r, cv_ctx *cx, const cv_content_run *c, size_t off, uint32_t id,
                      bool fire, uint32_t sensor, const cv_outcome *o, char *why, size_t n)
{
    const cv_prog *p = &c->prog;
    const char *sv = r->s->world->sensors[sensor].version;
    if (o->fault.kind != CV_FAULT_NONE) {
        if (!why[0])
            snprintf(why, n, "sensor %s faulted on the event (CV703)", sv);
        return;
    }
    if (fired_has(p, o, id) == fire)
        return;
    cv_buf b = {0};
    fired_list(&b, p, o);
    chanval_diag *d =
        cv_report(cx, CV700_EXPECTATION_FAILED, off,
                  "on sensor %s, instance %" PRIu32 " was expected to %s and %s (%s)", sv, id,
                  fire ? "fire" : "stay quiet", fire ? "did not" : "fired", b.data ? b.data : "");
    cv_set_instance(d, id, -1);
    cv_set_sensor(cx, d, sv);
    if (!why[0])
        snprintf(why, n, "on sensor %s it %s (%s)", sv, fire ? "did not fire" : "fired",
                 b.data ? b.data : "");
    if (b.oom)
        r->oom = true;
    cv_buf_free(&b);
}

typedef struct expect_state {
    uint32_t id;
    bool fire;
    bool missing; /* not an instance of the file */
    char why[400];
} expect_state;

/* Run one parsed event on its sensors, for a test (expectations) or a
 * benign corpus (fire counts). */
static void run_event(cv_trun *r, cv_ctx *cx, cv_content_run *c, const cv_event *ev, size_t off,
                      uint32_t line, const uint32_t *doc, size_t ndoc, bool benign)
{
    size_t nsens = event_sensors(r, ev, doc, ndoc);
    size_t nexp = benign ? 0 : ev->nfire + ev->nquiet;
    expect_state *ex = nexp ? cv_calloc(nexp, sizeof *ex) : NULL;
    if (nexp && !ex) {
        r->oom = true;
        return;
    }
    for (size_t i = 0; i < nexp; i++) {
        ex[i].fire = i < ev->nfire;
        ex[i].id = i < ev->nfire ? ev->fire[i] : ev->quiet[i - ev->nfire];
        if (!prog_has(&c->prog, ex[i].id)) {
            chanval_diag *d = cv_report(cx, CV700_EXPECTATION_FAILED, off,
                                        "instance %" PRIu32 " is not in %s", ex[i].id, c->path);
            cv_set_instance(d, ex[i].id, -1);
            snprintf(ex[i].why, sizeof ex[i].why, "instance %" PRIu32 " is not in %s", ex[i].id,
                     c->path);
            ex[i].missing = true;
        }
    }
    if (nsens == 0 && nexp > 0) /* an expectation nothing checks is not a pass */
        cv_report(cx, CV700_EXPECTATION_FAILED, off,
                  "no sensor of the run runs this event (type %" PRIu32 " v%u: the event's or "
                  "the test's sensors, or --sensor, leave none that supports it), so its "
                  "expectations were not checked",
                  ev->type_id, (unsigned)ev->type_version);
    cv_runner *run = benign ? &c->benign : &c->tests;
    for (size_t k = 0; k < nsens && !r->oom; k++) {
        cv_outcome o;
        int rc = cv_run(run, ev, r->sens[k], &o);
        if (rc != 0) {
            r->oom = rc == -1;
            r->internal = rc == -2;
            break;
        }
        if (o.fault.kind != CV_FAULT_NONE)
            fault(r, cx, c, off, r->sens[k], ev, &o.fault);
        if (o.exhausted)
            exhausted(cx, c, off, r->sens[k], &o, r->s->world);
        uint32_t limit = r->s->world->sensors[r->sens[k]].regex_match_limit;
        if (!o.ran) {
            /* the file has no instance of the type: nothing to count */
        } else if (benign) {
            c->benign_events++;
            for (size_t i = 0; i < o.nfired; i++) {
                uint32_t ii = o.fired[i];
                if (c->fires[ii]++ == 0)
                    c->first_fire[ii] = off;
            }
        } else {
            c->events++;
        }
        const cv_ptype *t = o.ran ? cv_prog_type(&c->prog, ev->type_id, ev->type_version) : NULL;
        if (t) { /* the smallest budget of the sensors that ran the type */
            size_t ti = (size_t)(t - c->prog.types);
            if (c->budget[ti] == 0 || limit < c->budget[ti])
                c->budget[ti] = limit;
        }
        /* every sensor that disagrees is a finding; the case keeps the first */
        for (size_t i = 0; i < nexp; i++)
            if (!ex[i].missing)
                expect_on(r, cx, c, off, ex[i].id, ex[i].fire, r->sens[k], &o, ex[i].why,
                          sizeof ex[i].why);
    }
    for (size_t i = 0; i < nexp; i++) {
        char name[240];
        if (ev->name)
            snprintf(name, sizeof name, "line %" PRIu32 " (%.160s): instance %" PRIu32 " %s", line,
                     ev->name, ex[i].id, ex[i].fire ? "fires" : "stays quiet");
        else
            snprintf(name, sizeof name, "line %" PRIu32 ": instance %" PRIu32 " %s", line, ex[i].id,
                     ex[i].fire ? "fires" : "stays quiet");
        if (nsens == 0 && !ex[i].why[0])
            snprintf(ex[i].why, sizeof ex[i].why,
                     "no sensor of the run runs the event: its expectations were not checked");
        add_case(r, cx->f, line, name, ex[i].why[0] ? ex[i].why : NULL);
    }
    cv_free(ex);
}

/* ---- documents ---------------------------------------------------------- */

static void one_line(doc_run *d, const char *text, size_t len, size_t off, uint32_t line)
{
    cv_trun *r = d->r;
    while (len > 0 && (text[len - 1] == '\r' || text[len - 1] == ' ' || text[len - 1] == '\t'))
        len--;
    size_t lead = 0;
    while (lead < len && (text[lead] == ' ' || text[lead] == '\t'))
        lead++;
    if (lead == len)
        return; /* blank lines may group events */
    if (r->o->shards > 1 && (line - 1) % r->o->shards != r->o->shard - 1)
        return;
    if (len > CV_EVENT_LINE_MAX) {
        cv_report(d->cx, CV705_IMPOSSIBLE_EVENT, off,
                  "a line of %zu bytes, longer than the %u an event may take", len,
                  (unsigned)CV_EVENT_LINE_MAX);
        return;
    }
    char why[400];
    uint32_t col = 1;
    cv_event ev;
    cv_event_status st =
        cv_event_parse(r->s->world, text, len, !d->benign, &ev, why, sizeof why, &col);
    if (st == CV_EVENT_NOMEM) {
        r->oom = true;
        return;
    }
    if (st == CV_EVENT_BAD) {
        size_t at = off + (col > 0 && col - 1 < len ? col - 1 : 0);
        cv_report(d->cx, CV705_IMPOSSIBLE_EVENT, at, "%s", why);
        return;
    }
    for (size_t k = 0; k < d->ncs && !r->oom; k++)
        if (d->cs[k]->loaded)
            run_event(r, d->cx, d->cs[k], &ev, off + lead, line, d->sensors, d->nsensors,
                      d->benign);
    cv_event_free(&ev);
}

void cv_test_lines(doc_run *d, const uint8_t *data, size_t len, size_t from, uint32_t line)
{
    size_t pos = from;
    while (pos < len && !d->r->oom) {
        const uint8_t *nl = memchr(data + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - data) : len;
        one_line(d, (const char *)data + pos, end - pos, pos, line);
        if (line == UINT32_MAX)
            break;
        line++;
        pos = end + 1;
    }
}

/* The channel a test names, relative to the test's directory. */
static char *resolve(const char *doc, const char *channel)
{
    const char *slash = strrchr(doc, '/');
    size_t dir = channel[0] == '/' || !slash ? 0 : (size_t)(slash - doc) + 1;
    size_t n = strlen(channel);
    char *p = cv_malloc(dir + n + 1);
    if (!p)
        return NULL;
    memcpy(p, doc, dir);
    memcpy(p + dir, channel, n + 1);
    return p;
}

chanval_file *cv_test_entry(cv_trun *r, const char *path, chanval_kind kind, const cv_file_data *fd,
                            cv_ctx *cx)
{
    size_t index;
    chanval_file *f = cv_file_new(r->s, path, kind, &index);
    if (!f)
        return NULL;
    f->size = fd->size;
    *cx = cv_session_ctx_plain(r->s, f, index);
    cx->xml = true; /* locations are line:col of the document */
    cx->text = fd->data;
    cx->text_len = fd->len;
    return f;
}

void cv_test_entry_done(cv_trun *r, cv_ctx *cx)
{
    if (cx->oom)
        r->oom = true;
    if (cv_file_finish(&r->s->set->policy, cx->f) != 0)
        r->oom = true;
    cv_ctx_done(cx);
}

chanval_status cv_run_test_doc(cv_trun *r, const char *path, const cv_file_data *fd)
{
    cv_ctx cx;
    if (!cv_test_entry(r, path, CHANVAL_KIND_TEST, fd, &cx))
        return CHANVAL_ERR_NOMEM;
    size_t index = cx.file_index;
    const uint8_t *nl = memchr(fd->data, '\n', fd->len);
    size_t hlen = nl ? (size_t)(nl - fd->data) : fd->len;
    const char *channel = NULL;
    void *header = NULL;
    doc_run d = {.r = r, .cx = &cx};
    char why[400];
    uint32_t col = 1;
    cv_event_status st =
        cv_test_header_parse(r->s->world, (const char *)fd->data, hlen, &channel, &d.sensors,
                             &d.nsensors, &header, why, sizeof why, &col);
    if (st == CV_EVENT_NOMEM)
        r->oom = true;
    else if (st == CV_EVENT_BAD)
        cv_report(&cx, CV705_IMPOSSIBLE_EVENT, col > 0 && col - 1 < hlen ? col - 1 : 0, "%s", why);
    char *cpath = channel ? resolve(path, channel) : NULL;
    if (channel && !cpath)
        r->oom = true;
    cv_content_run *c = cpath ? cv_test_content(r, cpath) : NULL;
    if (c && !c->loaded && !r->oom) {
        chanval_diag *dg =
            cv_report(&cx, CV708_CONTENT_NOT_LOADABLE, 0,
                      "%s cannot be loaded, so no event of this test ran: %s", cpath, c->why);
        cv_note(&cx, dg, "chanval check lists every problem of it");
    } else if (cpath && !c && !r->oom) {
        cv_report(&cx, CV708_CONTENT_NOT_LOADABLE, 0,
                  "%s cannot be read, so no event of this test ran", cpath);
    }
    if (c && c->first_doc == SIZE_MAX) {
        c->first_doc = index;
        if (!(c->first_test = cv_strdup(path)))
            r->oom = true;
    }
    if (c && c->loaded) {
        memset(c->ex_seen, 0, c->prog.ninsts ? c->prog.ninsts : 1);
        d.cs = &c;
        d.ncs = 1;
        cv_test_lines(&d, fd->data, fd->len, nl ? hlen + 1 : fd->len, 2);
    }
    cv_free(cpath);
    cv_json_free(header);
    cv_free(d.sensors);
    cv_test_entry_done(r, &cx);
    return r->oom ? CHANVAL_ERR_NOMEM : CHANVAL_OK;
}
