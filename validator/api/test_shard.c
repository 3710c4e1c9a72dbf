/* test_shard.c - chanval test --shard I/N and chanval merge: what a shard
 * keeps of its run (the counts behind coverage and CV701, which need every
 * shard) goes into its JSON report as "shard"; merge reads the shards'
 * reports back, checks that they are the N shards of one run, and makes the
 * report that run would have made. */
#include "api/test_run.h"
#include "base/alloc.h"
#include "base/escape.h"
#include "base/sha.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static void add_u64s(cv_buf *b, const uint64_t *v, size_t n)
{
    cv_buf_addc(b, '[');
    for (size_t i = 0; i < n; i++)
        cv_buf_printf(b, "%s%" PRIu64, i ? "," : "", v[i]);
    cv_buf_addc(b, ']');
}

int cv_run_key(cv_trun *r, const char *const *paths, size_t n, char out[65])
{
    const chanval_test_options *o = r->o;
    cv_buf b = {0};
    cv_sha_hex(&b, r->s->world->digest);
    cv_buf_printf(&b, "|shards %u|plain %d|coverage %d %.6f|sensors", o->shards, o->plain,
                  o->min_coverage_set, o->min_coverage);
    for (size_t i = 0; i < o->nsensors; i++)
        cv_buf_printf(&b, " %s", o->sensors[i]);
    cv_buf_adds(&b, "|inputs");
    for (size_t i = 0; i < n; i++) {
        cv_buf_adds(&b, " ");
        cv_json_str(&b, paths[i]);
    }
    cv_buf_adds(&b, "|benign");
    for (size_t i = 0; i < o->nbenign; i++) {
        cv_buf_adds(&b, " ");
        cv_json_str(&b, o->benign[i]);
    }
    uint8_t sha[32];
    bool ok = !b.oom && cv_sha256(&(cv_span){(const uint8_t *)b.data, b.len}, 1, sha);
    b.len = 0;
    if (ok)
        cv_sha_hex(&b, sha);
    ok = ok && !b.oom && b.len == 64;
    if (ok)
        memcpy(out, b.data, 65);
    cv_buf_free(&b);
    return ok ? 0 : -1;
}

static void content_state(cv_buf *b, const cv_content_run *c, size_t nsensors)
{
    cv_buf_adds(b, "{");
    cv_json_path(b, "path", c->path);
    cv_buf_printf(b, ",\"loaded\":%s,\"firstTest\":", c->loaded ? "true" : "false");
    if (c->first_test)
        cv_json_str(b, c->first_test);
    else
        cv_buf_adds(b, "null");
    cv_buf_printf(b, ",\"events\":%" PRIu64 ",\"benignEvents\":%" PRIu64, c->events,
                  c->benign_events);
    if (!c->loaded) {
        cv_buf_adds(b, "}");
        return;
    }
    const cv_prog *p = &c->prog;
    uint8_t sha[32];
    if (cv_sha256(&(cv_span){p->bytes, p->len}, 1, sha)) {
        cv_buf_adds(b, ",\"sha256\":\"");
        cv_sha_hex(b, sha);
        cv_buf_addc(b, '"');
    }
    cv_buf_adds(b, ",\"cover\":\"");
    for (size_t i = 0; i < p->ncrits * nsensors; i++)
        cv_buf_printf(b, "%u", c->tests.cover[i]);
    cv_buf_adds(b, "\",\"typeEvals\":");
    add_u64s(b, c->benign.type_evals, p->ntypes);
    cv_buf_adds(b, ",\"instances\":[");
    for (size_t i = 0; i < p->ninsts; i++) {
        const cv_istat *st = &c->benign.stats[i];
        cv_buf_printf(b, "%s[%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu32 ",",
                      i ? "," : "", st->fired, st->evals, st->exhausted, st->max_steps,
                      c->budget[p->insts[i].type]);
        if (st->steps) {
            cv_buf_addc(b, '[');
            for (size_t k = 0; k < CV_STEP_BUCKETS; k++)
                cv_buf_printf(b, "%s%" PRIu32, k ? "," : "", st->steps[k]);
            cv_buf_addc(b, ']');
        } else {
            cv_buf_adds(b, "null");
        }
        cv_buf_addc(b, ']');
    }
    cv_buf_adds(b, "],\"corpora\":[");
    for (size_t k = 0; k < c->nrecs; k++) {
        const cv_corpus_rec *rec = &c->recs[k];
        cv_buf_adds(b, k ? ",{" : "{");
        cv_json_path(b, "file", rec->file);
        cv_buf_adds(b, ",\"typeEvals\":");
        add_u64s(b, rec->type_evals, p->ntypes);
        cv_buf_adds(b, ",\"fires\":[");
        bool first = true;
        for (size_t i = 0; i < p->ninsts; i++) {
            if (!rec->fires[i])
                continue;
            cv_buf_printf(b, "%s[%zu,%" PRIu64 ",%" PRIu32 ",%" PRIu32 "]", first ? "" : ",", i,
                          rec->fires[i], rec->line[i], rec->col[i]);
            first = false;
        }
        cv_buf_adds(b, "]}");
    }
    cv_buf_adds(b, "]}");
}

int cv_shard_state(cv_trun *r, const char *const *paths, size_t n)
{
    chanval_session *s = r->s;
    char key[65];
    if (cv_run_key(r, paths, n, key) != 0)
        return -1;
    cv_buf b = {0};
    const chanval_test_options *o = r->o;
    cv_buf_printf(&b, "{\"index\":%u,\"count\":%u,\"run\":\"%s\",\"options\":{\"inputs\":[",
                  o->shard, o->shards, key);
    for (size_t i = 0; i < n; i++) {
        cv_buf_adds(&b, i ? ",{" : "{");
        cv_json_path(&b, "path", paths[i]);
        cv_buf_addc(&b, '}');
    }
    cv_buf_adds(&b, "],\"benign\":[");
    for (size_t i = 0; i < o->nbenign; i++) {
        cv_buf_adds(&b, i ? ",{" : "{");
        cv_json_path(&b, "path", o->benign[i]);
        cv_buf_addc(&b, '}');
    }
    cv_buf_adds(&b, "],\"sensors\":[");
    for (size_t i = 0; i < o->nsensors; i++) {
        if (i)
            cv_buf_addc(&b, ',');
        cv_json_str(&b, o->sensors[i]);
    }
    cv_buf_printf(&b, "],\"plain\":%s,\"minCoverage\":", o->plain ? "true" : "false");
    if (o->min_coverage_set)
        cv_buf_printf(&b, "%.6f", o->min_coverage);
    else
        cv_buf_adds(&b, "null");
    cv_buf_adds(&b, "},\"skipped\":[");
    for (size_t i = 0; i < s->nskipped; i++) {
        cv_buf_adds(&b, i ? ",{" : "{");
        cv_json_path(&b, "path", s->skipped[i]);
        cv_buf_addc(&b, '}');
    }
    cv_buf_adds(&b, "],\"contents\":[");
    const cv_test_state *t = s->tests;
    size_t ns = s->world->nsensors ? s->world->nsensors : 1;
    for (size_t i = 0; i < t->ncontents; i++) {
        if (i)
            cv_buf_addc(&b, ',');
        content_state(&b, &t->contents[i], ns);
    }
    cv_buf_adds(&b, "]}");
    size_t len = 0;
    cv_free(s->tests->shard_json);
    s->tests->shard_json = cv_buf_take(&b, &len);
    return s->tests->shard_json ? 0 : -1;
}

const char *chanval_test_shard_state(const chanval_session *s)
{
    return s->tests ? s->tests->shard_json : NULL;
}
