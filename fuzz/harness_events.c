/* harness_events.c - events and test headers (JSON Lines, eval/event.c)
 * against the sample world: each line of the input is parsed as a test's
 * event, a benign corpus's event and a test's first line.  An event that
 * is accepted is one the sensor could produce: a defined type, a value for
 * every field of the right kind, strings within maxLength, valid UTF-8
 * without NUL, integers within range, known sensors.  A refused one says
 * why, at a column of the line.  Accepted events then run through the
 * interpreter on every sensor, over the sample channel file. */
#include "api/session.h"
#include "base/alloc.h"
#include "base/utf8.h"
#include "common.h"
#include "eval/event.h"
#include "eval/interp.h"

#include <stdlib.h>
#include <string.h>

static chanval_session *session;
static cv_prog prog;
static cv_runner runner;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    session = cvf_session(true, true);
    if (cv_world_freeze(session->world) != 0)
        cvf_fail("out of memory");
    chanval_file *scratch = calloc(1, sizeof *scratch);
    cv_ctx cx = cv_session_ctx_plain(session, scratch, SIZE_MAX);
    char why[400];
    if (!scratch || cv_prog_load(&cx, cvf_channel_bin, cvf_channel_bin_len, &prog, why, sizeof why) != 0 ||
        cv_runner_init(&runner, &prog, true) != 0)
        cvf_fail("the sample channel file does not load: %s", why);
    cv_ctx_done(&cx);
    free(scratch);
    return 0;
}

static void accepted(const cv_world *w, const cv_event *ev)
{
    if (!ev->def || ev->def->id != ev->type_id || ev->def->version != ev->type_version)
        cvf_fail("an accepted event has no type of its own");
    for (uint32_t i = 0; i < ev->def->nfields; i++) {
        const cv_field *f = &ev->def->fields[i];
        const cv_value *v = &ev->vals[i];
        size_t bad = 0;
        bool nul = false;
        if (v->kind != f->kind)
            cvf_fail("field %u: a value of the other kind was accepted", i);
        if (f->kind == CV_FIELD_STRING &&
            (v->len > f->max_length || (v->len && !cv_utf8_check(v->s, v->len, &bad, &nul))))
            cvf_fail("field %u: a string the sensor never passes was accepted", i);
        if (f->kind == CV_FIELD_INTEGER && (v->v < f->min || v->v > f->max))
            cvf_fail("field %u: %lld outside [%lld, %lld] was accepted", i, (long long)v->v,
                     (long long)f->min, (long long)f->max);
    }
    for (size_t k = 0; k < ev->nsensors; k++)
        if (ev->sensors[k] >= w->nsensors)
            cvf_fail("an accepted event names a sensor not in the fleet");
    for (size_t s = 0; s < w->nsensors; s++) {
        cv_outcome o;
        if (cv_run(&runner, ev, (uint32_t)s, &o) == -2)
            cvf_fail("PCRE2 failed unexpectedly");
    }
}

static void one(const cv_world *w, const char *line, size_t len)
{
    char why[400];
    for (int expect = 0; expect < 2; expect++) {
        cv_event ev;
        why[0] = '\0';
        uint32_t col = 0;
        cv_event_status st = cv_event_parse(w, line, len, expect, &ev, why, sizeof why, &col);
        if (st == CV_EVENT_OK) {
            accepted(w, &ev);
            cv_event_free(&ev);
        } else if (st == CV_EVENT_BAD && (!why[0] || col < 1 || col > len + 1))
            cvf_fail("a refused event without a reason or a column (%u of %zu)", col, len);
    }
    const char *channel = NULL;
    uint32_t *sensors = NULL;
    size_t nsensors = 0;
    void *json = NULL;
    uint32_t col = 0;
    cv_event_status st = cv_test_header_parse(w, line, len, &channel, &sensors, &nsensors, &json,
                                              why, sizeof why, &col);
    if (st == CV_EVENT_OK) {
        if (!channel || strlen(channel) == 0)
            cvf_fail("a test header without content was accepted");
        cv_free(sensors);
        cv_json_free(json);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const cv_world *w = session->world;
    for (size_t pos = 0; pos < size;) {
        const uint8_t *nl = memchr(data + pos, '\n', size - pos);
        size_t end = nl ? (size_t)(nl - data) : size;
        one(w, (const char *)data + pos, end - pos);
        pos = end + 1;
    }
    return 0;
}
