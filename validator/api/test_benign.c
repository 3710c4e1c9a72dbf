/* test_benign.c - chanval test --benign: a corpus of known-good events run
 * over every content, on -j threads (each a share of the lines, with its
 * own runners; their findings and counts merged in line order, so the
 * report is the same for any -j), then CV701 for what fired. */
#define _POSIX_C_SOURCE 200809L
#include "api/test_run.h"
#include "base/alloc.h"
#include "diag/rules.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

/* Below this a corpus is run on one thread: threads cost more than they save. */
enum { PARALLEL_FROM = 1 << 20 };

void cv_benign_findings(cv_ctx *cx, cv_content_run *c, const uint64_t *fires,
                        const size_t *first_off, const uint32_t *line, const uint32_t *col,
                        const uint64_t *evals)
{
    const cv_prog *p = &c->prog;
    for (size_t i = 0; i < p->ninsts; i++) {
        const cv_pinst *in = &p->insts[i];
        uint64_t n = fires[i], e = evals[in->type];
        if (n == 0 || in->action < 2)
            continue;
        chanval_severity sev = in->action == 3 ? CHANVAL_SEV_ERROR : CHANVAL_SEV_WARNING;
        char msg[512];
        snprintf(msg, sizeof msg,
                 "%s instance %" PRIu32 " of %s fired on this benign event, and on %" PRIu64
                 " of the %" PRIu64 " evaluations of this corpus on the run's sensors (%.2f%%)",
                 cv_action_name(in->action), in->id, c->path, n, e,
                 e ? 100.0 * (double)n / (double)e : 0.0);
        chanval_diag *d =
            line ? cv_report_linecol_sev(cx, CV701_BENIGN_FIRED, sev, line[i], col[i], "%s", msg)
                 : cv_report_sev(cx, CV701_BENIGN_FIRED, sev, first_off[i], "%s", msg);
        cv_set_instance(d, in->id, -1);
        if (in->action == 3)
            cv_note(cx, d,
                    "a block instance that fires on ordinary activity stops it on every "
                    "endpoint; narrow its criteria");
    }
}

int cv_corpus_keep(cv_trun *r, cv_ctx *cx, cv_content_run *c, const uint64_t *evals0)
{
    (void)r;
    const cv_prog *p = &c->prog;
    void *v = c->recs;
    if (cv_grow(&v, &c->recs_cap, c->nrecs + 1, sizeof *c->recs) != 0)
        return -1;
    c->recs = v;
    size_t ni = p->ninsts ? p->ninsts : 1, nt = p->ntypes ? p->ntypes : 1;
    cv_corpus_rec rec = {cv_strdup(cx->f->path), cv_calloc(nt, sizeof(uint64_t)),
                         cv_calloc(ni, sizeof(uint64_t)), cv_calloc(ni, sizeof(uint32_t)),
                         cv_calloc(ni, sizeof(uint32_t))};
    c->recs[c->nrecs++] = rec;
    if (!rec.file || !rec.type_evals || !rec.fires || !rec.line || !rec.col)
        return -1;
    for (size_t t = 0; t < p->ntypes; t++)
        rec.type_evals[t] = c->benign.type_evals[t] - evals0[t];
    for (size_t i = 0; i < p->ninsts; i++) {
        rec.fires[i] = c->fires[i];
        if (c->fires[i])
            cv_linecol(cx, c->first_fire[i], &rec.line[i], &rec.col[i]);
    }
    return 0;
}

/* ---- workers ------------------------------------------------------------- */

typedef struct worker {
    cv_trun r;
    cv_content_run *cs; /* copies: the program shared, the counts their own */
    cv_content_run **ptrs;
    size_t ncs;
    chanval_file *scratch; /* what the worker finds, replayed in order */
    cv_ctx cx;
    bool have_cx;
    const uint8_t *data;
    size_t from, to, data_len;
    uint32_t line;
    pthread_t th;
    bool started;
} worker;

static void copy_free(cv_content_run *w)
{
    if (w->have_benign)
        cv_runner_free(&w->benign);
    cv_free(w->faults);
    cv_free(w->ex_seen);
    cv_free(w->fires);
    cv_free(w->first_fire);
    cv_free(w->budget);
}

static int copy_init(cv_content_run *w, const cv_content_run *c, bool plain)
{
    *w = *c;
    w->have_runner = w->have_benign = false;
    w->tests = (cv_runner){0};
    w->benign = (cv_runner){0};
    w->faults = NULL;
    w->ex_seen = NULL;
    w->fires = NULL;
    w->first_fire = NULL;
    w->budget = NULL;
    w->events = w->benign_events = 0;
    if (!c->loaded)
        return 0;
    size_t ni = c->prog.ninsts ? c->prog.ninsts : 1;
    w->faults = cv_malloc(c->fault_bytes);
    w->ex_seen = cv_calloc(ni, 1);
    w->fires = cv_calloc(ni, sizeof *w->fires);
    w->first_fire = cv_calloc(ni, sizeof *w->first_fire);
    size_t nt = c->prog.ntypes ? c->prog.ntypes : 1;
    w->budget = cv_malloc(nt * sizeof *w->budget);
    if (!w->faults || !w->ex_seen || !w->fires || !w->first_fire || !w->budget)
        return -1;
    memcpy(w->faults, c->faults, c->fault_bytes);
    memcpy(w->budget, c->budget, nt * sizeof *w->budget);
    if (cv_runner_init(&w->benign, &c->prog, plain) != 0)
        return -1;
    w->have_benign = true;
    return 0;
}

static void *work(void *arg)
{
    worker *w = arg;
    doc_run d = {.r = &w->r, .cx = &w->cx, .cs = w->ptrs, .ncs = w->ncs, .benign = true};
    cv_test_lines(&d, w->data, w->to, w->from, w->line);
    return NULL;
}

static void worker_free(worker *w)
{
    for (size_t k = 0; w->cs && k < w->ncs; k++)
        copy_free(&w->cs[k]);
    cv_free(w->cs);
    cv_free(w->ptrs);
    cv_free(w->r.sens);
    if (w->have_cx)
        cv_ctx_done(&w->cx);
    cv_file_free(w->scratch);
}

static int worker_init(worker *w, cv_trun *r, const cv_file_data *fd, size_t index)
{
    chanval_session *s = r->s;
    size_t ns = s->world->nsensors ? s->world->nsensors : 1;
    w->r = *r;
    w->r.oom = w->r.internal = false;
    w->r.sens = cv_calloc(ns, sizeof *w->r.sens);
    w->ncs = r->nrun_on;
    w->cs = cv_calloc(w->ncs ? w->ncs : 1, sizeof *w->cs);
    w->ptrs = cv_calloc(w->ncs ? w->ncs : 1, sizeof *w->ptrs);
    w->scratch = cv_calloc(1, sizeof *w->scratch);
    if (!w->r.sens || !w->cs || !w->ptrs || !w->scratch)
        return -1;
    for (size_t k = 0; k < w->ncs; k++) {
        w->ptrs[k] = &w->cs[k];
        if (copy_init(&w->cs[k], r->run_on[k], r->o->plain) != 0)
            return -1;
    }
    w->cx = cv_session_ctx_plain(s, w->scratch, index);
    w->cx.xml = true;
    w->cx.text = fd->data;
    w->cx.text_len = fd->len;
    w->have_cx = true;
    return 0;
}

/* Has the entry a finding of this rule with this message (a fault or an
 * exhausted budget two workers both met first)? */
static bool said(const chanval_file *f, unsigned rule, const char *msg)
{
    for (size_t i = 0; i < chanval_file_diag_count(f); i++) {
        const chanval_diag *d = chanval_file_diag(f, i);
        if (d->rule == rule && strcmp(d->message, msg) == 0)
            return true;
    }
    return false;
}

static void merge(cv_trun *r, cv_ctx *cx, worker *w)
{
    for (size_t k = 0; k < w->ncs; k++) {
        cv_content_run *c = r->run_on[k], *x = &w->cs[k];
        if (!c->loaded)
            continue;
        if (cv_runner_absorb(&c->benign, &x->benign) != 0)
            r->oom = true;
        size_t ni = c->prog.ninsts;
        for (size_t i = 0; i < ni; i++) {
            if (c->fires[i] == 0 && x->fires[i] > 0)
                c->first_fire[i] = x->first_fire[i];
            c->fires[i] += x->fires[i];
        }
        for (size_t t = 0; t < c->prog.ntypes; t++)
            if (x->budget[t] && (!c->budget[t] || x->budget[t] < c->budget[t]))
                c->budget[t] = x->budget[t];
        for (size_t i = 0; i < c->fault_bytes; i++)
            c->faults[i] |= x->faults[i];
        c->benign_events += x->benign_events;
    }
    const chanval_file *sf = w->scratch;
    for (size_t i = 0; i < sf->ndiags; i++) {
        const chanval_diag *d = &sf->diags[i];
        if ((d->rule == CV703_INTERPRETER_FAULT || d->rule == CV704_REGEX_BUDGET_EXHAUSTED) &&
            said(cx->f, d->rule, d->message))
            continue;
        chanval_diag *n = cv_report(cx, d->rule, (size_t)d->offset, "%s", d->message);
        if (d->note)
            cv_note(cx, n, "%s", d->note);
        if (d->has_instance)
            cv_set_instance(n, d->instance, d->criterion);
        if (d->sensor)
            cv_set_sensor(cx, n, d->sensor);
    }
    cx->f->dropped += sf->dropped;
    cx->f->dropped_errors += sf->dropped_errors;
    cx->f->dropped_warnings += sf->dropped_warnings;
    if (w->r.oom || w->cx.oom)
        r->oom = true;
    if (w->r.internal)
        r->internal = true;
}

static void run_parallel(cv_trun *r, cv_ctx *cx, const cv_file_data *fd, unsigned jobs)
{
    worker *ws = cv_calloc(jobs, sizeof *ws);
    if (!ws) {
        r->oom = true;
        return;
    }
    size_t pos = 0;
    uint32_t line = 1;
    unsigned n = 0;
    for (unsigned j = 0; j < jobs && pos < fd->len; j++) {
        size_t end = j + 1 == jobs ? fd->len : fd->len / jobs * (j + 1);
        if (end < pos)
            end = pos;
        const uint8_t *nl = end < fd->len ? memchr(fd->data + end, '\n', fd->len - end) : NULL;
        end = nl ? (size_t)(nl - fd->data) + 1 : fd->len;
        worker *w = &ws[n++];
        w->data = fd->data;
        w->from = pos;
        w->to = end;
        w->line = line;
        if (worker_init(w, r, fd, cx->file_index) != 0) {
            r->oom = true;
            break;
        }
        for (const uint8_t *p = fd->data + pos; (p = memchr(p, '\n', (size_t)(fd->data + end - p)));
             p++)
            line = line < UINT32_MAX ? line + 1 : line;
        pos = end;
    }
    for (unsigned j = 0; j < n && !r->oom; j++)
        ws[j].started = pthread_create(&ws[j].th, NULL, work, &ws[j]) == 0;
    for (unsigned j = 0; j < n; j++) {
        if (ws[j].started)
            pthread_join(ws[j].th, NULL);
        else if (!r->oom) /* no thread: its share runs here */
            work(&ws[j]);
    }
    for (unsigned j = 0; j < n && !r->oom; j++)
        merge(r, cx, &ws[j]);
    for (unsigned j = 0; j < n; j++)
        worker_free(&ws[j]);
    cv_free(ws);
}

chanval_status cv_run_benign(cv_trun *r, const char *path, const cv_file_data *fd)
{
    cv_ctx cx;
    if (!cv_test_entry(r, path, CHANVAL_KIND_EVENTS, fd, &cx))
        return CHANVAL_ERR_NOMEM;
    uint64_t **evals0 = cv_calloc(r->nrun_on ? r->nrun_on : 1, sizeof *evals0);
    if (!evals0)
        r->oom = true;
    for (size_t k = 0; evals0 && k < r->nrun_on && !r->oom; k++) {
        cv_content_run *c = r->run_on[k];
        if (!c->loaded)
            continue;
        memset(c->ex_seen, 0, c->prog.ninsts ? c->prog.ninsts : 1);
        evals0[k] = cv_malloc((c->prog.ntypes ? c->prog.ntypes : 1) * sizeof **evals0);
        if (!evals0[k])
            r->oom = true;
        else
            memcpy(evals0[k], c->benign.type_evals, c->prog.ntypes * sizeof **evals0);
    }
    unsigned jobs = r->o->jobs ? r->o->jobs : 1;
    if (!r->oom && jobs > 1 && fd->len >= PARALLEL_FROM) {
        run_parallel(r, &cx, fd, jobs);
    } else if (!r->oom) {
        doc_run d = {.r = r, .cx = &cx, .cs = r->run_on, .ncs = r->nrun_on, .benign = true};
        cv_test_lines(&d, fd->data, fd->len, 0, 1);
    }
    for (size_t k = 0; k < r->nrun_on && !r->oom; k++) {
        cv_content_run *c = r->run_on[k];
        if (!c->loaded)
            continue;
        if (r->o->shards > 1) {
            if (cv_corpus_keep(r, &cx, c, evals0[k]) != 0)
                r->oom = true;
        } else {
            uint64_t *delta = cv_calloc(c->prog.ntypes ? c->prog.ntypes : 1, sizeof *delta);
            if (!delta) {
                r->oom = true;
                break;
            }
            for (size_t t = 0; t < c->prog.ntypes; t++)
                delta[t] = c->benign.type_evals[t] - evals0[k][t];
            cv_benign_findings(&cx, c, c->fires, c->first_fire, NULL, NULL, delta);
            cv_free(delta);
        }
        memset(c->fires, 0, (c->prog.ninsts ? c->prog.ninsts : 1) * sizeof *c->fires);
    }
    for (size_t k = 0; evals0 && k < r->nrun_on; k++)
        cv_free(evals0[k]);
    cv_free(evals0);
    cv_test_entry_done(r, &cx);
    return r->oom ? CHANVAL_ERR_NOMEM : CHANVAL_OK;
}
