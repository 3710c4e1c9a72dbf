/* cache.c - each distinct regex criterion once per session: compiled (the
 * judge of CV500), parsed (CV501), and, when a field asks for it, its cost
 * analysed and measured (CV502, CV503; see redos.h). */
#include "regex/cache.h"
#include "base/alloc.h"
#include "base/buf.h"
#include "base/diskcache.h"
#include "base/reader.h"
#include "base/sha.h"
#include "chanval.h" /* CHANVAL_VERSION: a verdict is the analysis' of this version */
#include "regex/redos.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

/* One measurement: the verdict for inputs up to max_length bytes counted
 * up to cap steps.  Fields of several lengths may share a pattern. */
typedef struct verdict_entry {
    struct verdict_entry *next;
    struct entry *owner;
    uint32_t max_length;
    uint64_t cap, lo;
    bool queued; /* to be measured by cv_regex_run_queue */
    bool failed; /* out of memory while measuring: unlinked after the run */
    bool done;   /* its run went through it: a verdict the run missed fails */
    rx_verdict v;
} verdict_entry;

/* The fields every lookup reads come first, in one cache line with the
 * info's flags; the pattern follows the entry in the same block. */
typedef struct entry {
    size_t len;
    bool caseless;
    bool planned; /* plan is valid */
    bool to_plan; /* in the list of cv_regex_run_queue's planning, at plan_at */
    size_t plan_at;
    cv_regex_info info;
    rx_plan plan;
    verdict_entry *verdicts;
    uint8_t pattern[]; /* len bytes and a NUL */
} entry;

/* Open addressing: a probe compares hashes without touching entries. */
typedef struct slot {
    uint64_t hash;
    entry *e; /* NULL: empty */
} slot;

struct cv_regex_cache {
    uint64_t seed;
    slot *slots;
    size_t nslots, n; /* n <= nslots / 2 */
    pcre2_general_context *gctx;
    pcre2_compile_context *cctx;
    /* work for cv_regex_run_queue: verdicts to measure, and the entries
     * to plan first */
    verdict_entry **measq;
    size_t nmeasq, measq_cap;
    entry **planq;
    size_t nplanq, planq_cap;
    cv_disk_cache *disk; /* verdicts kept between runs, or NULL */
};

/* A word-at-a-time multiply-xorshift hash, seeded per cache from the
 * system's random source (and the cache's address, which address-space
 * randomisation makes unknown too): whoever writes a file cannot prepare
 * patterns that share one bucket.  Only the speed depends on the seed,
 * never the output. */
static uint64_t mix(uint64_t h, uint64_t w)
{
    h = (h ^ w) * 0xff51afd7ed558ccdull;
    return h ^ (h >> 32);
}

static uint64_t hash(const cv_regex_cache *c, const uint8_t *p, size_t n, bool caseless)
{
    uint64_t h = mix(c->seed ^ (caseless ? 0x9e3779b97f4a7c15ull : 0), (uint64_t)n);
    for (; n >= 8; p += 8, n -= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        h = mix(h, w);
    }
    uint64_t w = 0;
    if (n)
        memcpy(&w, p, n);
    return mix(h, w) * 0xc4ceb9fe1a85ec53ull;
}

static void entry_free(entry *e)
{
    verdict_entry *v = e->verdicts;
    while (v) {
        verdict_entry *next = v->next;
        rx_verdict_free(&v->v);
        cv_free(v);
        v = next;
    }
    rx_plan_free(&e->plan);
    cv_free(e);
}

void cv_regex_cache_free(cv_regex_cache *c)
{
    if (!c)
        return;
    for (size_t i = 0; c->slots && i < c->nslots; i++)
        if (c->slots[i].e)
            entry_free(c->slots[i].e);
    cv_free(c->slots);
    cv_free(c->measq);
    cv_free(c->planq);
    pcre2_compile_context_free(c->cctx);
    pcre2_general_context_free(c->gctx);
    cv_free(c);
}

cv_regex_cache *cv_regex_cache_new(void)
{
    cv_regex_cache *c = cv_calloc(1, sizeof *c);
    if (!c)
        return NULL;
    uint64_t r = 0;
    if (getentropy(&r, sizeof r) != 0)
        r = 0; /* the address alone */
    c->seed = mix((uint64_t)(uintptr_t)c ^ r, 0x2545f4914f6cdd1dull);
    c->nslots = 512;
    c->slots = cv_calloc(c->nslots, sizeof *c->slots);
    c->gctx = cv_pcre2_context();
    c->cctx = c->gctx ? pcre2_compile_context_create(c->gctx) : NULL;
    if (!c->slots || !c->cctx) {
        cv_regex_cache_free(c);
        return NULL;
    }
    return c;
}

static void place(slot *slots, size_t nslots, uint64_t h, entry *e)
{
    size_t i = (size_t)h & (nslots - 1);
    while (slots[i].e)
        i = (i + 1) & (nslots - 1);
    slots[i] = (slot){h, e};
}

static int grow(cv_regex_cache *c)
{
    if (c->nslots > SIZE_MAX / 2 / sizeof *c->slots)
        return -1;
    size_t ns = c->nslots * 2;
    slot *t = cv_calloc(ns, sizeof *t);
    if (!t)
        return -1;
    for (size_t i = 0; i < c->nslots; i++)
        if (c->slots[i].e)
            place(t, ns, c->slots[i].hash, c->slots[i].e);
    cv_free(c->slots);
    c->slots = t;
    c->nslots = ns;
    return 0;
}

/* The first CV501 construct by the parser; *status its result, and when
 * it is an error, the error's offset and message in *offset and what. */
static bool scan(const uint8_t *p, size_t n, bool caseless, size_t *offset, char *what,
                 size_t what_size, int *status)
{
    rx_ast a;
    *status = rx_parse(&a, p, n, caseless);
    bool found = a.unsupported;
    if (found) {
        *offset = a.unsup_off;
        snprintf(what, what_size, "%s", a.unsup_what);
    } else if (*status == RX_ERROR || *status == RX_TOO_COMPLEX) {
        *offset = *status == RX_ERROR ? a.err_off : 0;
        snprintf(what, what_size, "%s",
                 *status == RX_ERROR && a.err_msg ? a.err_msg : "a pattern too complex");
    }
    rx_ast_free(&a);
    return found;
}

bool cv_regex_scan(const uint8_t *p, size_t n, size_t *offset, char *what, size_t what_size)
{
    int status;
    return scan(p, n, false, offset, what, what_size, &status);
}

/* Compile and inspect; false only when out of memory. */
static bool analyse(cv_regex_cache *c, entry *e)
{
    cv_regex_info *ri = &e->info;
    /* as the sensor compiles it (formats-v1 section 1.2): the automatic
     * callouts make every item larger, so a pattern near PCRE2's size
     * limit, X?(R||){3335}, compiles without them and not on the sensor */
    uint32_t opts = PCRE2_UTF | PCRE2_AUTO_CALLOUT | (e->caseless ? PCRE2_CASELESS : 0);
    int err = 0;
    PCRE2_SIZE erroff = 0;
    pcre2_code *code = pcre2_compile(e->pattern, e->len, opts, &err, &erroff, c->cctx);
    if (!code) {
        if (err == PCRE2_ERROR_HEAP_FAILED)
            return false;
        ri->compiled = false;
        ri->err_code = err;
        ri->err_offset = erroff;
        if (pcre2_get_error_message(err, (PCRE2_UCHAR *)ri->err_msg, sizeof ri->err_msg) < 0)
            strcpy(ri->err_msg, "unknown error");
        else if (err == PCRE2_ERROR_PATTERN_TOO_LARGE)
            strncat(ri->err_msg, " (with PCRE2_AUTO_CALLOUT, as the sensor compiles it)",
                    sizeof ri->err_msg - strlen(ri->err_msg) - 1);
        return true;
    }
    ri->compiled = true;
    int status = RX_OK;
    ri->unsupported = scan(e->pattern, e->len, e->caseless, &ri->unsup_offset, ri->unsup_what,
                           sizeof ri->unsup_what, &status);
    if (status == RX_NOMEM) {
        pcre2_code_free(code);
        return false;
    }
    /* A pattern PCRE2 compiles and the parser does not follow cannot be
     * proven within any budget: fail closed (CV501, with the parser's
     * reason), never pass it unmeasured.  The fuzz harness for the parser
     * holds that this does not happen. */
    if (status != RX_OK && !ri->unsupported) {
        ri->unsupported = true;
        ri->unanalysable = true;
    }
    if (!ri->unsupported) {
        /* What PCRE2 itself knows, in case the parser missed a spelling. */
        uint32_t backrefmax = 0, hasc = 0, limit = 0;
        pcre2_pattern_info(code, PCRE2_INFO_BACKREFMAX, &backrefmax);
        pcre2_pattern_info(code, PCRE2_INFO_HASBACKSLASHC, &hasc);
        const char *what = NULL;
        if (backrefmax > 0)
            what = "a backreference";
        else if (hasc)
            what = "\\C (a single code unit)";
        else if (pcre2_pattern_info(code, PCRE2_INFO_MATCHLIMIT, &limit) == 0 ||
                 pcre2_pattern_info(code, PCRE2_INFO_DEPTHLIMIT, &limit) == 0 ||
                 pcre2_pattern_info(code, PCRE2_INFO_HEAPLIMIT, &limit) == 0)
            what = "a pattern-start limit item";
        if (what) {
            ri->unsupported = true;
            ri->unsup_offset = 0;
            strncpy(ri->unsup_what, what, sizeof ri->unsup_what - 1);
        }
    }
    pcre2_code_free(code);
    return true;
}

static entry *find(const cv_regex_cache *c, const uint8_t *p, size_t n, bool caseless, uint64_t h)
{
    for (size_t i = (size_t)h & (c->nslots - 1);; i = (i + 1) & (c->nslots - 1)) {
        const slot *sl = &c->slots[i];
        if (!sl->e)
            return NULL;
        if (sl->hash == h && sl->e->caseless == caseless && sl->e->len == n &&
            memcmp(sl->e->pattern, p, n) == 0)
            return sl->e;
    }
}

static entry *lookup(cv_regex_cache *c, const uint8_t *p, size_t n, bool caseless)
{
    uint64_t h = hash(c, p, n, caseless);
    entry *e = find(c, p, n, caseless, h);
    if (e)
        return e;
    if (c->n + 1 > c->nslots / 2 && grow(c) != 0)
        return NULL;
    /* NUL-terminated although the length is passed: PCRE2 10.42 reads one
     * byte past an unterminated "(*LIMIT_DEPTH=1" whatever the length says. */
    if (n > SIZE_MAX - sizeof *e - 1)
        return NULL;
    e = cv_malloc(sizeof *e + n + 1);
    if (!e)
        return NULL;
    memset(e, 0, sizeof *e);
    if (n)
        memcpy(e->pattern, p, n);
    e->pattern[n] = 0;
    e->len = n;
    e->caseless = caseless;
    if (!analyse(c, e)) {
        cv_free(e);
        return NULL;
    }
    place(c->slots, c->nslots, h, e);
    c->n++;
    return e;
}

cv_regex_info *cv_regex_lookup(cv_regex_cache *c, const uint8_t *p, size_t n, bool caseless)
{
    entry *e = lookup(c, p, n, caseless);
    return e ? &e->info : NULL;
}

/* The cache entry whose info member ri is (cv_regex_lookup). */
static entry *entry_of(cv_regex_info *ri)
{
    return (entry *)(void *)((char *)ri - offsetof(entry, info));
}

const uint8_t *cv_regex_pattern(cv_regex_info *ri, size_t *len)
{
    const entry *e = entry_of(ri);
    *len = e->len;
    return e->pattern;
}

/* rx_parse and rx_analyse: 0, or -1 when out of memory. */
static int plan(entry *e)
{
    rx_ast a;
    int st = rx_parse(&a, e->pattern, e->len, e->caseless);
    int rc = st == RX_OK ? rx_analyse(&a, &e->plan) : st == RX_NOMEM ? -1 : 0;
    rx_ast_free(&a);
    if (rc != 0) {
        rx_plan_free(&e->plan); /* planned again when next asked for */
        return -1;
    }
    /* nothing proposed is no pass by itself: a linear regex can cost more
     * than a budget at a field's maxLength, which the generic attack of
     * rx_measure measures for every (length, budget) */
    e->planned = true;
    return 0;
}

static int measure(cv_regex_cache *c, verdict_entry *v)
{
    const entry *e = v->owner;
    return rx_measure(e->pattern, e->len, e->caseless, &e->plan, v->max_length, v->cap, v->lo,
                      c->gctx, &v->v);
}

void cv_regex_cache_set_disk(cv_regex_cache *c, cv_disk_cache *d) { c->disk = d; }

/* A verdict measured in fewer steps than this costs less to measure again
 * than to write to disk and read back (the files of a cold run would cost
 * more than they save): only the costly ones are kept. */
enum { STORE_FROM_STEPS = 20000 };

/* ---- verdicts kept between runs ----------------------------------------- */

/* A verdict depends on the pattern, its flags, the field's length, the cap
 * and the lowest budget, and on the analysis itself (the version). */
static bool verdict_key(const verdict_entry *v, uint8_t key[32])
{
    const entry *e = v->owner;
    uint8_t head[1 + 4 + 8 + 8];
    head[0] = e->caseless;
    for (int i = 0; i < 4; i++)
        head[1 + i] = (uint8_t)(v->max_length >> (8 * i));
    for (int i = 0; i < 8; i++) {
        head[5 + i] = (uint8_t)(v->cap >> (8 * i));
        head[13 + i] = (uint8_t)(v->lo >> (8 * i));
    }
    static const char what[] = "chanval regex verdict " CHANVAL_VERSION;
    cv_span parts[3] = {{what, sizeof what}, {head, sizeof head}, {e->pattern, e->len}};
    return cv_sha256(parts, 3, key);
}

static void put_bytes(cv_buf *b, const char *p, size_t n)
{
    cv_buf_u64le(b, p ? n : UINT64_MAX);
    if (p)
        cv_buf_add(b, p, n);
}

static void save_verdict(cv_regex_cache *c, const verdict_entry *v)
{
    uint8_t key[32];
    if (!verdict_key(v, key))
        return;
    const rx_verdict *r = &v->v;
    cv_buf b = {0};
    cv_buf_u32le(&b, (uint32_t)r->cls);
    cv_buf_u32le(&b, r->degree);
    put_bytes(&b, r->w.prefix, r->w.nprefix);
    put_bytes(&b, r->w.pump, r->w.npump);
    put_bytes(&b, r->w.suffix, r->w.nsuffix);
    cv_buf_u64le(&b, r->length);
    cv_buf_u64le(&b, r->steps);
    cv_buf_addc(&b, r->capped ? 1 : 0);
    cv_buf_u64le(&b, r->spent);
    cv_buf_addc(&b, r->unproven ? 1 : 0);
    cv_buf_add(&b, r->why, sizeof r->why);
    if (!b.oom)
        cv_disk_put(c->disk, key, b.data, b.len);
    cv_buf_free(&b);
}

/* A string of a stored verdict: NUL-terminated copy, or NULL when absent
 * (*ok false when malformed or out of memory). */
static char *get_bytes(cv_reader *r, size_t *n, bool *ok)
{
    uint64_t len;
    *n = 0;
    if (!cv_u64le(r, &len)) {
        *ok = false;
        return NULL;
    }
    if (len == UINT64_MAX)
        return NULL;
    const uint8_t *p = len <= cv_remaining(r) ? cv_bytes(r, (size_t)len) : NULL;
    char *s = p ? cv_malloc((size_t)len + 1) : NULL;
    if (!s) {
        *ok = false;
        return NULL;
    }
    memcpy(s, p, (size_t)len);
    s[len] = '\0';
    *n = (size_t)len;
    return s;
}

static bool load_verdict(cv_regex_cache *c, verdict_entry *v)
{
    uint8_t key[32], *data;
    size_t len;
    if (!verdict_key(v, key) || !cv_disk_get(c->disk, key, &data, &len))
        return false;
    cv_reader r = cv_reader_make(data, len);
    rx_verdict *x = &v->v;
    uint32_t cls;
    uint8_t capped, unproven;
    bool ok = cv_u32le(&r, &cls) && cls <= RX_EXPONENTIAL && cv_u32le(&r, &x->degree);
    if (ok) {
        x->w.prefix = get_bytes(&r, &x->w.nprefix, &ok);
        x->w.pump = ok ? get_bytes(&r, &x->w.npump, &ok) : NULL;
        x->w.suffix = ok ? get_bytes(&r, &x->w.nsuffix, &ok) : NULL;
    }
    const uint8_t *why = NULL;
    ok = ok && cv_u64le(&r, &x->length) && cv_u64le(&r, &x->steps) && cv_u8(&r, &capped) &&
         capped <= 1 && cv_u64le(&r, &x->spent) && cv_u8(&r, &unproven) && unproven <= 1 &&
         (why = cv_bytes(&r, sizeof x->why)) && memchr(why, 0, sizeof x->why) &&
         cv_remaining(&r) == 0;
    if (ok) /* why points into the entry: copied before it is freed */
        memcpy(x->why, why, sizeof x->why);
    cv_free(data);
    if (!ok) {
        rx_verdict_free(x);
        return false;
    }
    x->cls = (int)cls;
    x->capped = capped;
    x->unproven = unproven;
    return true;
}

const rx_verdict *cv_regex_cost_queue(cv_regex_cache *c, cv_regex_info *ri, uint32_t max_length,
                                      uint64_t cap, uint64_t lo, bool *queued)
{
    static const rx_verdict linear = {0};
    *queued = false;
    entry *e = entry_of(ri);
    if (!e->info.compiled || e->info.unsupported || max_length == 0)
        return &linear;
    for (verdict_entry *v = e->verdicts; v; v = v->next)
        if (v->max_length == max_length && v->cap == cap && v->lo == lo) {
            *queued = v->queued;
            return &v->v;
        }
    if (c->disk) { /* measured in an earlier run */
        verdict_entry *v = cv_calloc(1, sizeof *v);
        if (!v)
            return NULL;
        *v = (verdict_entry){
            .owner = e, .max_length = max_length, .cap = cap, .lo = lo, .done = true};
        if (load_verdict(c, v)) {
            v->next = e->verdicts;
            e->verdicts = v;
            return &v->v;
        }
        cv_free(v);
    }
    void *p = c->measq;
    if (cv_grow(&p, &c->measq_cap, c->nmeasq + 1, sizeof *c->measq) != 0)
        return NULL;
    c->measq = p;
    verdict_entry *v = cv_calloc(1, sizeof *v);
    if (!v)
        return NULL;
    if (!e->planned && !e->to_plan) {
        p = c->planq;
        if (cv_grow(&p, &c->planq_cap, c->nplanq + 1, sizeof *c->planq) != 0) {
            cv_free(v);
            return NULL;
        }
        c->planq = p;
        e->plan_at = c->nplanq;
        c->planq[c->nplanq++] = e;
        e->to_plan = true;
    }
    *v = (verdict_entry){.next = e->verdicts,
                         .owner = e,
                         .max_length = max_length,
                         .cap = cap,
                         .lo = lo,
                         .queued = true};
    e->verdicts = v;
    c->measq[c->nmeasq++] = v;
    *queued = true;
    return &v->v;
}

/* ---- the queue, on several threads ------------------------------------ */

enum { MAX_THREADS = 64, AUTO_THREADS = 8 };

typedef struct pool {
    cv_regex_cache *c;
    size_t nplan, n;
    /* the entries to plan are handed out first, then the verdicts to
     * measure: a verdict waits until its entry is planned (most are planned
     * long before, the queue being in the order of the file) */
    atomic_size_t next_plan, next;
    atomic_bool *planned; /* per planq entry: planned (or failed) */
} pool;

/* Plans the next entry not yet handed out; false when there is none.
 * Each entry is planned by one thread only. */
static bool pool_plan(pool *p)
{
    size_t i = atomic_fetch_add(&p->next_plan, 1);
    if (i >= p->nplan)
        return false;
    (void)plan(p->c->planq[i]); /* failed: planned stays false, its verdicts fail */
    atomic_store_explicit(&p->planned[i], true, memory_order_release);
    return true;
}

static void pool_measure(pool *p, verdict_entry *v)
{
    entry *e = v->owner;
    if (e->to_plan) {
        /* planned by this pool: wait for it (one plan, at most the
         * analysis' work budget), planning the others meanwhile */
        while (!atomic_load_explicit(&p->planned[e->plan_at], memory_order_acquire))
            if (!pool_plan(p))
                sched_yield();
    }
    if (!e->planned)
        v->failed = true; /* out of memory while planning */
    else
        v->failed = measure(p->c, v) != 0;
    v->done = true;
}

static void *pool_work(void *arg)
{
    pool *p = arg;
    while (pool_plan(p))
        ;
    for (;;) {
        size_t i = atomic_fetch_add(&p->next, 1);
        if (i >= p->n)
            break;
        pool_measure(p, p->c->measq[i]);
    }
    return NULL;
}

/* Plans and measures the queue on up to `threads` threads, the caller's
 * among them; each verdict says whether its measurement failed.  -1 when
 * out of memory before anything ran. */
static int run_pool(cv_regex_cache *c, unsigned threads)
{
    pool p = {.c = c, .nplan = c->nplanq, .n = c->nmeasq};
    atomic_init(&p.next_plan, 0);
    atomic_init(&p.next, 0);
    p.planned = cv_calloc(c->nplanq ? c->nplanq : 1, sizeof *p.planned);
    if (!p.planned)
        return -1;
    for (size_t i = 0; i < c->nplanq; i++)
        atomic_init(&p.planned[i], false);
    size_t work = p.nplan + p.n;
    pthread_t th[MAX_THREADS];
    unsigned started = 0;
    for (unsigned i = 1; i < threads && i < work && started < MAX_THREADS; i++) {
        if (pthread_create(&th[started], NULL, pool_work, &p) != 0)
            break; /* the threads there are do the work */
        started++;
    }
    pool_work(&p);
    for (unsigned i = 0; i < started; i++)
        pthread_join(th[i], NULL);
    cv_free(p.planned);
    return 0;
}

static unsigned auto_threads(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > AUTO_THREADS ? AUTO_THREADS : (unsigned)n;
}

/* A verdict whose measurement failed leaves its entry's list, so that a
 * later check measures it again rather than read it as linear. */
static void unlink_verdict(verdict_entry *v)
{
    verdict_entry **pp = &v->owner->verdicts;
    while (*pp && *pp != v)
        pp = &(*pp)->next;
    if (*pp)
        *pp = v->next;
    rx_verdict_free(&v->v);
    cv_free(v);
}

int cv_regex_run_queue(cv_regex_cache *c, unsigned threads)
{
    if (!c || c->nmeasq == 0)
        return 0;
    if (threads == 0)
        threads = auto_threads();
    if (threads > MAX_THREADS)
        threads = MAX_THREADS;
    /* each distinct regex queued is planned (up to milliseconds) and
     * measured, at least by the generic attack (a fraction of a
     * millisecond to milliseconds): worth a thread's start and fresh heap */
    bool ok = run_pool(c, c->nmeasq >= 2 ? threads : 1) == 0;
    for (size_t i = 0; i < c->nplanq; i++)
        c->planq[i]->to_plan = false;
    c->nplanq = 0;
    for (size_t i = 0; i < c->nmeasq; i++) {
        verdict_entry *v = c->measq[i];
        v->queued = false;
        if (v->failed || !v->done || !ok) {
            ok = false;
            unlink_verdict(v);
        } else if (c->disk && v->v.spent >= STORE_FROM_STEPS) {
            save_verdict(c, v);
        }
    }
    c->nmeasq = 0;
    return ok ? 0 : -1;
}
