/* interp.h - formats-v1 section 3 for one sensor: the inputs the sensor
 * supplies for the event's type (its `inputs` count, not the type's field
 * count), every instance of the type evaluated, every non-wildcard
 * criterion read (no short cut past a false one: a sensor spends a regex's
 * steps either way), and where the sensor would read past its inputs, a
 * fault instead of the read.  Regexes run as the sensor runs them: UTF,
 * interpreted, caseless when flagged, steps counted over all start
 * positions (regex/meter), abandoned past the sensor's regexMatchLimit. */
#ifndef CV_INTERP_H
#define CV_INTERP_H

#include "eval/event.h"
#include "eval/program.h"

/* Log-scale buckets of regex steps: bucket 0 holds 0, then two buckets
 * per power of two. */
enum { CV_STEP_BUCKETS = 130 };

/* Per instance, over every event a runner evaluated. */
typedef struct cv_istat {
    uint64_t evals; /* evaluated in full (with the index, only when a candidate) */
    uint64_t fired, exhausted;
    uint64_t max_steps;
    uint32_t *steps; /* CV_STEP_BUCKETS counts; NULL until it spends steps */
} cv_istat;

typedef struct cv_outcome {
    bool ran;        /* the sensor runs instances of the event's type in this file */
    cv_fault fault;  /* CV_FAULT_NONE: the event was evaluated */
    uint32_t *fired; /* instance indices, in file order */
    size_t nfired;
    bool exhausted;            /* some regex ran out of budget */
    uint32_t ex_inst, ex_crit; /* the first that did */
    uint64_t ex_steps;
    uint64_t steps; /* all regexes of the event on this sensor */
} cv_outcome;

typedef struct cv_runner {
    const cv_prog *p;
    bool full;               /* run every instance (coverage); else use the equals index */
    uint8_t *cover;          /* full: per (criterion, sensor), bit 1 was true, bit 2 false */
    cv_istat *stats;         /* per instance */
    uint64_t *type_evals;    /* per program type: events evaluated (each sensor once) */
    struct rx_meter *meters; /* per program regex, opened on first use */
    bool *opened;
    void *gctx;
    cv_value *inputs;
    uint32_t *cand; /* positions to run */
    uint32_t *fired;
} cv_runner;

/* 0, or -1 out of memory. */
int cv_runner_init(cv_runner *r, const cv_prog *p, bool full);
void cv_runner_free(cv_runner *r);
/* Evaluate ev on world sensor `sensor` (which supports ev's type).  0;
 * -1 out of memory; -2 PCRE2 failed in a way it should not. */
int cv_run(cv_runner *r, const cv_event *ev, uint32_t sensor, cv_outcome *out);
/* Add another runner's statistics (and coverage) into r's. */
int cv_runner_absorb(cv_runner *r, const cv_runner *other);
/* The bucket's upper bound in steps. */
uint64_t cv_step_bucket_top(size_t bucket);

#endif
