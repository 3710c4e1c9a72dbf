/* test_run.h - the state of chanval test within a session. */
#ifndef CV_TEST_RUN_H
#define CV_TEST_RUN_H

#include "api/session.h"
#include "base/fileio.h"
#include "eval/interp.h"
#include "model/content.h"

/* What a benign corpus did to one content, kept by a shard (--shard) for
 * chanval merge: CV701 needs every shard's counts. */
typedef struct cv_corpus_rec {
    char *file;           /* the corpus's report path */
    uint64_t *type_evals; /* per program type: evaluations in this corpus */
    uint64_t *fires;      /* per instance */
    uint32_t *line, *col; /* per instance: where it first fired (line 0: never) */
} cv_corpus_rec;

/* One channel file or source that tests name, loaded once per run. */
typedef struct cv_content_run {
    char *path;
    dev_t dev;
    ino_t ino;
    bool loaded;
    char why[400]; /* !loaded: why */
    cv_prog prog;
    cv_runner tests;  /* every instance on every event: coverage */
    cv_runner benign; /* with the equals index */
    bool have_runner, have_benign;
    size_t first_doc;   /* report entry of the first test naming it */
    uint8_t *faults; /* a bit per (instance, sensor): CV703 reported */
    size_t fault_bytes;
    uint8_t *ex_seen;   /* per instance: CV704 reported in this document */
    uint64_t *fires;    /* per instance: benign events it fired on, this corpus */
    size_t *first_fire; /* per instance: where it first fired, this corpus */
    uint32_t *budget;     /* per program type: the smallest regexMatchLimit that ran it */
    uint64_t events, benign_events;
    uint64_t outcomes, covered; /* criterion outcomes, after cv_test_coverage */
    char *first_test;           /* the path of the first test naming it (shards) */
    cv_corpus_rec *recs;        /* --shard: each corpus's counts */
    size_t nrecs, recs_cap;
} cv_content_run;

typedef struct cv_test_state {
    cv_content_run *contents;
    size_t ncontents, contents_cap;
    char *shard_json; /* --shard: what chanval merge needs, for the JSON report */
} cv_test_state;

/* One call of chanval_test_paths. */
typedef struct cv_trun {
    chanval_session *s;
    const chanval_test_options *o;
    uint32_t *sensors; /* --sensor, as world indices */
    size_t nsensors;
    uint32_t *sens;          /* per event: the sensors it runs on */
    cv_outcome *outs;        /* per sensor of the event */
    uint32_t **fired;        /* per sensor of the event: a copy of its fired list */
    size_t max_insts;        /* fired[k] holds this many */
    cv_content_run **run_on; /* benign: the contents the corpus runs over */
    size_t nrun_on;
    bool no_entries; /* chanval merge: a source is packed without a report entry */
    bool oom, internal;
    uint32_t line_lo, line_hi; /* a worker's share of a corpus: lines [lo, hi) */
} cv_trun;

/* A document's events and what they run over. */
typedef struct doc_run {
    cv_trun *r;
    cv_ctx *cx;
    cv_content_run **cs; /* what the events run over */
    size_t ncs;
    uint32_t *sensors; /* the test's "sensors" */
    size_t nsensors;
    bool benign;
} doc_run;

void cv_test_state_free(struct cv_test_state *t);
/* Each line of data[from..len), numbered from `line`: parsed, run. */
void cv_test_lines(doc_run *d, const uint8_t *data, size_t len, size_t from, uint32_t line);
/* A report entry for a document (locations line:col of its bytes), and
 * its end (findings sorted, counted). */
chanval_file *cv_test_entry(cv_trun *r, const char *path, chanval_kind kind, const cv_file_data *fd,
                            cv_ctx *cx);
void cv_test_entry_done(cv_trun *r, cv_ctx *cx);
const char *cv_action_name(uint8_t action);
chanval_status cv_run_test_doc(cv_trun *r, const char *path, const cv_file_data *fd);
chanval_status cv_run_benign(cv_trun *r, const char *path, const cv_file_data *fd);
/* The content at path, loaded once per run (NULL: unreadable, or out of
 * memory: r->oom). */
cv_content_run *cv_test_content(cv_trun *r, const char *path);
/* Coverage findings of every content, on its first test. */
void cv_test_coverage(cv_trun *r);
/* CV701 for each instance of c that fired on the corpus of cx (fires and
 * where: first_off, or line/col when given), evals: per program type. */
void cv_benign_findings(cv_ctx *cx, cv_content_run *c, const uint64_t *fires,
                        const size_t *first_off, const uint32_t *line, const uint32_t *col,
                        const uint64_t *evals);
/* --shard: keep what chanval merge needs of the corpus just run. */
int cv_corpus_keep(cv_trun *r, cv_ctx *cx, cv_content_run *c, const uint64_t *evals0);
/* --shard: the state chanval merge reads (cv_test_state.shard_json). */
int cv_shard_state(cv_trun *r, const char *const *paths, size_t n);
/* The run's identity: world, options, inputs (what shards must share). */
int cv_run_key(cv_trun *r, const char *const *paths, size_t n, char out[65]);
bool cv_trun_has_sensor(const cv_trun *r, uint32_t sensor);
/* --sensor (r->o->sensors) as world sensor indices in r->sensors;
 * CHANVAL_ERR_USAGE (with the reason) for one not in the fleet. */
chanval_status cv_trun_sensors(cv_trun *r);

#endif
