/* eval_api.c - the interpreter behind chanval.h's chanval_program_*: a
 * program loaded for the session's world, run one event at a time. */
#include "api/session.h"
#include "base/alloc.h"
#include "base/utf8.h"
#include "eval/interp.h"

#include <inttypes.h>
#include <string.h>

struct chanval_program {
    chanval_session *s;
    cv_prog prog;
    cv_runner run;
    cv_value *vals;
    uint32_t *ids;
};

chanval_status chanval_program_load(chanval_session *s, const void *data, size_t len,
                                    chanval_program **out)
{
    *out = NULL;
    if (cv_world_freeze(s->world) != 0)
        return CHANVAL_ERR_NOMEM;
    chanval_program *p = cv_calloc(1, sizeof *p);
    chanval_file *scratch = cv_calloc(1, sizeof *scratch);
    if (!p || !scratch) {
        cv_free(p);
        cv_free(scratch);
        return CHANVAL_ERR_NOMEM;
    }
    p->s = s;
    cv_ctx cx = cv_session_ctx_plain(s, scratch, SIZE_MAX);
    char why[400];
    int rc = cv_prog_load(&cx, data, len, &p->prog, why, sizeof why);
    cv_ctx_done(&cx);
    cv_file_free(scratch);
    if (rc == 0 && cv_runner_init(&p->run, &p->prog, false) != 0)
        rc = -1;
    if (rc == 0) {
        p->vals = cv_calloc(UINT16_MAX + 1u, sizeof *p->vals);
        p->ids = cv_calloc(p->prog.ninsts ? p->prog.ninsts : 1, sizeof *p->ids);
        if (!p->vals || !p->ids)
            rc = -1;
    }
    if (rc != 0) {
        if (rc == 1)
            cv_set_error(s, "a sensor cannot load the file: %s", why);
        if (p->run.p)
            cv_runner_free(&p->run);
        cv_prog_free(&p->prog);
        cv_free(p->vals);
        cv_free(p->ids);
        cv_free(p);
        return rc == 1 ? CHANVAL_ERR_USAGE : CHANVAL_ERR_NOMEM;
    }
    *out = p;
    return CHANVAL_OK;
}

void chanval_program_free(chanval_program *p)
{
    if (!p)
        return;
    cv_runner_free(&p->run);
    cv_prog_free(&p->prog);
    cv_free(p->vals);
    cv_free(p->ids);
    cv_free(p);
}

chanval_status chanval_program_eval(chanval_program *p, const char *sensor, uint32_t type_id,
                                    uint16_t type_version, const chanval_value *values,
                                    size_t nvalues, chanval_eval_result *out)
{
    *out = (chanval_eval_result){0};
    const cv_world *w = p->s->world;
    size_t sn = cv_world_sensor(w, sensor);
    const cv_type *def = cv_world_type(w, type_id, type_version);
    if (sn == SIZE_MAX || !def || nvalues != def->nfields) {
        cv_set_error(p->s, "%s",
                     sn == SIZE_MAX ? "no such sensor in the fleet"
                     : !def         ? "no such template type"
                                    : "one value per field of the type is needed");
        return CHANVAL_ERR_USAGE;
    }
    for (size_t i = 0; i < nvalues; i++) {
        const cv_field *f = &def->fields[i];
        const chanval_value *v = &values[i];
        size_t bad = 0;
        bool nul = false;
        bool ok = v->is_string
                      ? f->kind == CV_FIELD_STRING && v->len <= f->max_length &&
                            (v->len == 0 || (cv_utf8_check(v->s, v->len, &bad, &nul) && !nul))
                      : f->kind == CV_FIELD_INTEGER && v->v >= f->min && v->v <= f->max;
        if (!ok) {
            cv_set_error(p->s,
                         "value %zu does not fit field \"%s\" (its kind, length or range; "
                         "strings are UTF-8 without NUL)",
                         i, f->name);
            return CHANVAL_ERR_USAGE;
        }
        p->vals[i] = v->is_string ? (cv_value){CV_FIELD_STRING, v->len ? v->s : (const uint8_t *)"",
                                               (uint32_t)v->len, 0}
                                  : (cv_value){CV_FIELD_INTEGER, NULL, 0, v->v};
    }
    cv_event ev = {.type_id = type_id, .type_version = type_version, .def = def, .vals = p->vals};
    cv_outcome o;
    int rc = cv_run(&p->run, &ev, (uint32_t)sn, &o);
    if (rc != 0)
        return rc == -1 ? CHANVAL_ERR_NOMEM : CHANVAL_ERR_INTERNAL;
    out->ran = o.ran;
    out->fault = (chanval_fault)o.fault.kind;
    if (o.fault.kind != CV_FAULT_NONE && o.fault.kind != CV_FAULT_REFUSED) {
        out->fault_instance = p->prog.insts[o.fault.inst].id;
        out->fault_criterion = p->prog.crits[o.fault.crit].index;
    }
    for (size_t i = 0; i < o.nfired; i++)
        p->ids[i] = p->prog.insts[o.fired[i]].id;
    out->fired = p->ids;
    out->nfired = o.nfired;
    out->exhausted = o.exhausted;
    out->steps = o.steps;
    return CHANVAL_OK;
}
