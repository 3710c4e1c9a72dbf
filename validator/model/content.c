/* content.c - the content model's few operations. */
#include "model/content.h"
#include "base/alloc.h"

static const char *const op_names[] = {"wildcard", "equals", "regex", "range"};

const char *cv_op_name(uint8_t op) { return op < 4 ? op_names[op] : "unknown"; }

void cv_tuse_resolve(const cv_world *w, cv_tuse *t)
{
    t->def = cv_world_type(w, t->id, t->version);
    t->sup = cv_world_supporters(w, t->id, t->version, &t->nsup);
    t->min_inputs = UINT32_MAX;
    t->min_regex_len = UINT32_MAX;
    for (size_t i = 0; i < t->nsup; i++) {
        const cv_sensor *s = &w->sensors[t->sup[i].sensor];
        if (t->sup[i].inputs < t->min_inputs)
            t->min_inputs = t->sup[i].inputs;
        if (s->max_regex_length < t->min_regex_len)
            t->min_regex_len = s->max_regex_length;
    }
}

void cv_source_free(cv_source *src)
{
    cv_free(src->insts);
    cv_free(src->crits);
    cv_free(src->types);
    cv_free(src->used);
    cv_idset_free(&src->type_index);
    cv_arena_free(&src->arena);
    *src = (cv_source){0};
}
