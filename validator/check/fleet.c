/* fleet.c - the fleet manifest (formats-v1 section 1.2). */
#include "base/alloc.h"
#include "diag/rules.h"
#include "check/docs.h"

#include <inttypes.h>
#include <string.h>

enum { E_ROOT, E_SENSOR, E_SUPPORTS };
enum { S_VERSION, S_BYTES, S_INSTANCES, S_REGEXLEN, S_MATCHLIMIT };
enum { U_TYPEID, U_TYPEVERSION, U_INPUTS };

static const cv_attr_spec sensor_attrs[] = {
    {"version", CV_A_VERSION, true, 0, 0},
    {"maxChannelBytes", CV_A_UINT, true, 1, UINT32_MAX},
    {"maxInstances", CV_A_UINT, true, 1, UINT32_MAX},
    {"maxRegexLength", CV_A_UINT, true, 1, UINT32_MAX},
    {"regexMatchLimit", CV_A_UINT, true, 1, UINT32_MAX},
};

static const cv_attr_spec supports_attrs[] = {
    {"typeId", CV_A_UINT, true, 0, UINT32_MAX},
    {"typeVersion", CV_A_UINT, true, 0, UINT16_MAX},
    {"inputs", CV_A_UINT, true, 0, UINT16_MAX},
};

static const cv_elem_spec elems[] = {
    {"fleet", -1, NULL, 0},
    {"sensor", E_ROOT, sensor_attrs, 5},
    {"supports", E_SENSOR, supports_attrs, 3},
};

static void start_sensor(cv_fleet_state *st, cv_ctx *cx, size_t off, const cv_attr_val *v)
{
    cv_world *w = cx->world;
    st->nsup = 0;
    cv_idset_free(&st->sup_keys);
    st->cur = (cv_sensor){0};
    st->cur_off = off;
    st->cur_ok = true;
    for (int i = S_VERSION; i <= S_MATCHLIMIT; i++)
        st->cur_ok = st->cur_ok && v[i].ok;
    if (!v[S_VERSION].ok)
        return;
    uint64_t prev = 0;
    uint64_t h = cv_hash_bytes(v[S_VERSION].raw, v[S_VERSION].len);
    /* A sensor that joined the world is found by its index; any other
     * sensor of this document (one with invalid attributes never joins)
     * by its offset. */
    bool joined = st->join && cv_idset_get(&w->sensor_keys, h, &prev) && prev < w->nsensors;
    int r = joined ? 0 : cv_idset_put(&st->local_keys, h, off, &prev);
    if (r > 0 && st->join && st->cur_ok)
        r = cv_idset_put(&w->sensor_keys, h, w->nsensors, &prev);
    if (r < 0) {
        cx->oom = true;
        st->cur_ok = false;
        return;
    }
    if (r == 0) {
        const char *ver = cv_quote(cx, 0, v[S_VERSION].raw, v[S_VERSION].len, 40);
        chanval_diag *d;
        if (joined) {
            const cv_sensor *first = &w->sensors[prev];
            d = cv_report(cx, CV220_DUPLICATE_SENSOR_VERSION, cv_xml_attr_off(cx, off, "version"),
                          "sensor version %s is already listed at %s:%" PRIu32 ":%" PRIu32, ver,
                          cx->files[first->file]->path, first->line, first->col);
        } else {
            uint32_t line, col;
            cv_linecol(cx, (size_t)prev, &line, &col);
            d = cv_report(cx, CV220_DUPLICATE_SENSOR_VERSION, cv_xml_attr_off(cx, off, "version"),
                          "sensor version %s is already listed at line %" PRIu32
                          ", column %" PRIu32,
                          ver, line, col);
        }
        cv_note(cx, d, "list each sensor build once");
        st->cur_ok = false;
        return;
    }
    if (!st->cur_ok)
        return;
    st->cur.version = cv_arena_strndup(cv_names_arena(cx, st->join), (const char *)v[S_VERSION].raw,
                                       v[S_VERSION].len);
    if (!st->cur.version) {
        cx->oom = true;
        st->cur_ok = false;
        return;
    }
    st->cur.max_channel_bytes = (uint32_t)v[S_BYTES].u;
    st->cur.max_instances = (uint32_t)v[S_INSTANCES].u;
    st->cur.max_regex_length = (uint32_t)v[S_REGEXLEN].u;
    st->cur.regex_match_limit = (uint32_t)v[S_MATCHLIMIT].u;
    st->cur.file = cx->file_index;
    cv_linecol(cx, off, &st->cur.line, &st->cur.col);
}

static void start_supports(cv_fleet_state *st, cv_ctx *cx, size_t off, const cv_attr_val *v)
{
    const cv_world *w = cx->world;
    if (!v[U_TYPEID].ok || !v[U_TYPEVERSION].ok || !v[U_INPUTS].ok)
        return;
    cv_supports sp = {(uint32_t)v[U_TYPEID].u, (uint16_t)v[U_TYPEVERSION].u,
                      (uint16_t)v[U_INPUTS].u, 0, 0};
#ifdef CHANVAL_PLANT_BUG_CV400
    /* Only in the build of `make fuzz-planted`, which proves that the
     * soundness oracle finds this: every sensor seems to supply one input
     * more than it does, so CV400 misses a criterion at the last index. */
    if (sp.inputs < UINT16_MAX)
        sp.inputs++;
#endif
    cv_linecol(cx, off, &sp.line, &sp.col);
    uint64_t key = cv_type_key(sp.type_id, sp.type_version) + 1;
    uint64_t prev = 0;
    int r = cv_idset_put(&st->sup_keys, key, off, &prev);
    if (r < 0) {
        cx->oom = true;
        return;
    }
    if (r == 0) {
        uint32_t line, col;
        cv_linecol(cx, (size_t)prev, &line, &col);
        chanval_diag *d = cv_report(cx, CV222_DUPLICATE_SUPPORTS, off,
                                    "the sensor already lists type %" PRIu32 " v%u at line %" PRIu32
                                    ", column %" PRIu32,
                                    sp.type_id, (unsigned)sp.type_version, line, col);
        cv_note(cx, d, "a sensor supplies one input array per type: keep one <supports>");
        return;
    }
    if (!cv_idset_get(&w->type_keys, key, NULL)) {
        chanval_diag *d = cv_report(cx, CV221_SUPPORTS_UNKNOWN_TYPE, off,
                                    "type %" PRIu32 " v%u is not defined by the template types "
                                    "of this run",
                                    sp.type_id, (unsigned)sp.type_version);
        cv_note(cx, d,
                w->ntypes ? "check typeId and typeVersion against the template types"
                          : "no template types were given: pass them with -t");
    }
    if (!st->cur_ok)
        return;
    void *p = st->sup;
    if (cv_grow(&p, &st->sup_cap, st->nsup + 1, sizeof *st->sup) != 0) {
        cx->oom = true;
        return;
    }
    st->sup = p;
    st->sup[st->nsup++] = sp;
}

static void end_sensor(cv_fleet_state *st, cv_ctx *cx)
{
    cv_world *w = cx->world;
    if (!st->join || !st->cur_ok)
        return;
    if (cv_world_add_sensor(w, &st->cur, st->sup, st->nsup) != 0)
        cx->oom = true;
}

static bool on_start(void *user, cv_ctx *cx, int e, size_t off, const cv_attr_val *v)
{
    cv_fleet_state *st = user;
    if (e == E_SENSOR)
        start_sensor(st, cx, off, v);
    else if (e == E_SUPPORTS)
        start_supports(st, cx, off, v);
    return !cx->oom;
}

static void on_end(void *user, cv_ctx *cx, int e)
{
    if (e == E_SENSOR)
        end_sensor(user, cx);
}

void cv_fleet_doc(cv_xml_doc *doc, void *state)
{
    *doc = (cv_xml_doc){CHANVAL_KIND_FLEET, elems, sizeof elems / sizeof *elems, state,
                        on_start,           on_end};
}

void cv_fleet_state_free(cv_fleet_state *st)
{
    cv_free(st->sup);
    cv_idset_free(&st->sup_keys);
    cv_idset_free(&st->local_keys);
    *st = (cv_fleet_state){0};
}
