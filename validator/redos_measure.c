/* redos_measure.c - the cost model of formats-v1 section 1.2, and the
 * verdict on the analysis' proposals.
 *
 * One step is one PCRE2 automatic callout.  The pattern is compiled
 * separately from the CV500 compile, with PCRE2_UTF | PCRE2_AUTO_CALLOUT
 * (and PCRE2_CASELESS when flagged), every other optimisation left on; the
 * match is interpreted (no JIT) and unanchored; a counting callout sees
 * every start position of one pcre2_match call and abandons the match once
 * the count passes the cap.  PCRE2's own match and depth limits are set
 * high so that only the count decides.  No match ever runs without it.
 *
 * For each proposed witness the growth of the count with the input length
 * is measured; the worst one is grown to the field's maxLength.  The class
 * (exponential, or polynomial of a degree) follows the labelled data set's
 * rules: a doubling ratio that keeps growing, or the log-log slope. */
#include "redos.h"
#include "alloc.h"

#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

enum {
    SCREEN_CAP = 20000,  /* steps per screening match */
    GROWTH_CAP = 100000, /* steps per match while measuring growth */
    SPEND_MAX = 3000000, /* steps over all screening and growth matches */
    MAX_VARIANTS = 96,
    CLASS_LEN = 4096, /* bytes: the growth class is measured up to at least this */
    MAX_PUMPS = 40    /* the pump series of the exponential test */
};

static int count_callout(pcre2_callout_block *b, void *data)
{
    (void)b;
    rx_meter *m = data;
    if (++m->count > m->cap)
        return PCRE2_ERROR_CALLOUT; /* abandon the whole match */
    return 0;
}

int rx_meter_open(rx_meter *m, const uint8_t *p, size_t n, bool caseless,
                  pcre2_general_context *gctx)
{
    *m = (rx_meter){0};
    pcre2_compile_context *cc = pcre2_compile_context_create(gctx);
    if (!cc)
        return -1;
    int err = 0;
    PCRE2_SIZE off = 0;
    uint32_t opts = PCRE2_UTF | PCRE2_AUTO_CALLOUT | (caseless ? PCRE2_CASELESS : 0);
    m->re = pcre2_compile(p, n, opts, &err, &off, cc);
    pcre2_compile_context_free(cc);
    if (!m->re)
        return err == PCRE2_ERROR_HEAP_FAILED ? -1 : -2;
    m->mctx = pcre2_match_context_create(gctx);
    m->md = pcre2_match_data_create(1, gctx);
    if (!m->mctx || !m->md) {
        rx_meter_close(m);
        return -1;
    }
    pcre2_set_match_limit(m->mctx, 1000000000u);
    pcre2_set_depth_limit(m->mctx, 1000000000u);
    pcre2_set_callout(m->mctx, count_callout, m);
    return 0;
}

void rx_meter_close(rx_meter *m)
{
    pcre2_match_data_free(m->md);
    pcre2_match_context_free(m->mctx);
    pcre2_code_free(m->re);
    *m = (rx_meter){0};
}

int64_t rx_meter_run(rx_meter *m, const uint8_t *s, size_t len, uint64_t cap)
{
    m->count = 0;
    m->cap = cap;
    m->rc = pcre2_match(m->re, s, len, 0, 0, m->md, m->mctx);
    if (m->rc >= 0 || m->rc == PCRE2_ERROR_NOMATCH || m->rc == PCRE2_ERROR_CALLOUT ||
        m->rc == PCRE2_ERROR_PARTIAL)
        return (int64_t)m->count;
    return -1; /* out of memory, or a limit PCRE2 should not reach */
}

/* The natural logarithm of x > 0 (the library does not link libm):
 * x = m * 2^e with m in [1, 2), ln m = 2 atanh((m - 1) / (m + 1)). */
static double ln(double x)
{
    int e = 0;
    while (x >= 2.0) {
        x /= 2.0;
        e++;
    }
    while (x < 1.0) {
        x *= 2.0;
        e--;
    }
    double z = (x - 1.0) / (x + 1.0), z2 = z * z, term = z, sum = 0.0;
    for (int k = 1; k < 40; k += 2) {
        sum += term / k;
        term *= z2;
    }
    return 2.0 * sum + e * 0.69314718055994530942;
}

/* Back up to a UTF-8 character boundary. */
static size_t boundary(const uint8_t *s, size_t n)
{
    while (n > 0 && (s[n] & 0xc0) == 0x80)
        n--;
    return n;
}

size_t rx_witness_build(const rx_witness *w, size_t len, uint8_t *out)
{
    size_t n = 0;
    if (w->nprefix + w->nsuffix <= len) {
        memcpy(out, w->prefix, w->nprefix);
        n = w->nprefix;
        if (w->npump > 0) {
            size_t k = (len - w->nprefix - w->nsuffix) / w->npump;
            for (size_t i = 0; i < k; i++) {
                memcpy(out + n, w->pump, w->npump);
                n += w->npump;
            }
        }
        memcpy(out + n, w->suffix, w->nsuffix);
        return n + w->nsuffix;
    }
    /* prefix and suffix alone are too long: truncate them */
    size_t a = w->nprefix < len ? w->nprefix : len;
    memcpy(out, w->prefix, a);
    n = a;
    size_t b = len - n < w->nsuffix ? len - n : w->nsuffix;
    memcpy(out + n, w->suffix, b);
    n += b;
    if (n < w->nprefix + w->nsuffix) {
        uint8_t *tmp = out; /* the byte after the cut decides */
        uint8_t next = n < w->nprefix ? (uint8_t)w->prefix[n] : (uint8_t)w->suffix[n - w->nprefix];
        if ((next & 0xc0) == 0x80)
            n = boundary(tmp, n);
    }
    return n;
}

/* ---- measuring ------------------------------------------------------------ */

typedef struct meas {
    rx_meter m;
    uint8_t *buf;   /* max_len bytes */
    size_t max_len; /* the longest input measured for the class */
    uint64_t spent;
    bool failed; /* an unexpected PCRE2 result */
} meas;

/* Steps for k pumps (capped); -1 when the input would exceed max_len. */
static int64_t steps_k(meas *x, const rx_witness *w, size_t k, uint64_t cap, size_t *len)
{
    size_t n = w->nprefix + k * w->npump + w->nsuffix;
    if (n > x->max_len)
        return -1;
    memcpy(x->buf, w->prefix, w->nprefix);
    size_t at = w->nprefix;
    for (size_t i = 0; i < k; i++) {
        memcpy(x->buf + at, w->pump, w->npump);
        at += w->npump;
    }
    memcpy(x->buf + at, w->suffix, w->nsuffix);
    if (len)
        *len = n;
    int64_t s = rx_meter_run(&x->m, x->buf, n, cap);
    if (s < 0) {
        x->failed = true;
        return -1;
    }
    x->spent += (uint64_t)s;
    return s;
}

typedef struct score {
    bool blown;   /* passed the screening cap */
    double ratio; /* s(4k) / s(2k) */
    int64_t top;  /* s(4k) */
} score;

static bool better(const score *a, const score *b)
{
    if (a->blown != b->blown)
        return a->blown;
    double diff = a->ratio - b->ratio;
    if (diff > 0.3 || diff < -0.3)
        return a->ratio > b->ratio;
    return a->top > b->top;
}

/* Screen a witness around `bytes` bytes: s at k, 2k, 4k pumps. */
static score screen(meas *x, const rx_witness *w, size_t bytes, uint64_t cap)
{
    score sc = {0};
    size_t np = w->npump ? w->npump : 1;
    size_t k = bytes / np;
    if (k < 2)
        k = 2;
    /* short fields: 4k pumps must fit */
    size_t room = x->max_len > w->nprefix + w->nsuffix ? x->max_len - w->nprefix - w->nsuffix : 0;
    if (4 * k * np > room)
        k = room / (4 * np);
    if (k == 0)
        return sc;
    int64_t s1 = steps_k(x, w, k, cap, NULL);
    int64_t s2 = s1 < 0 || (uint64_t)s1 > cap ? -1 : steps_k(x, w, 2 * k, cap, NULL);
    int64_t s4 = s2 < 0 || (uint64_t)s2 > cap ? -1 : steps_k(x, w, 4 * k, cap, NULL);
    if ((s1 >= 0 && (uint64_t)s1 > cap) || (s2 >= 0 && (uint64_t)s2 > cap) ||
        (s4 >= 0 && (uint64_t)s4 > cap)) {
        sc.blown = true;
        sc.ratio = 1e9;
        sc.top = (int64_t)cap + 1;
        return sc;
    }
    if (s4 < 0) { /* does not fit: use what we have */
        if (s2 > 0 && s1 > 0)
            sc.ratio = (double)s2 / (double)s1 * 2.0 / 2.0;
        sc.top = s2 > 0 ? s2 : s1;
        return sc;
    }
    sc.ratio = s2 > 0 ? (double)s4 / (double)s2 : 0.0;
    sc.top = s4;
    return sc;
}

/* Would the next count, growing as the last two did, pass twice the cap?
 * Then it is not measured: the series stops as if it had. */
static bool predict_over(double prev, double cur, uint64_t cap)
{
    if (prev <= 0 || cur <= 0)
        return false;
    return cur * (cur / prev) > 2.0 * (double)cap;
}

/* The class of w's growth, by the labelled data set's rules: exponential
 * when the steps double per pump or the doubling ratio keeps growing,
 * otherwise polynomial of degree *degree when the log-log slope is at
 * least 1.25.  `maybe_exp`: the screening saw growth steep enough to try
 * the exponential rules. */
static int classify(meas *x, const rx_witness *w, bool maybe_exp, uint32_t *degree)
{
    if (maybe_exp) {
        /* the pump series, 1..40 pumps */
        int64_t s[MAX_PUMPS + 1];
        size_t len[MAX_PUMPS + 1];
        int nmax = 0, first = 0, capped_at = 0;
        for (int k = 1; k <= MAX_PUMPS; k++) {
            if (k >= 3 && predict_over((double)s[k - 2], (double)s[k - 1], GROWTH_CAP)) {
                capped_at = k;
                len[k] = w->nprefix + (size_t)k * w->npump + w->nsuffix;
                break;
            }
            int64_t v = steps_k(x, w, (size_t)k, GROWTH_CAP, &len[k]);
            if (v < 0)
                break;
            s[k] = v;
            if (v > 0 && !first)
                first = k;
            if ((uint64_t)v > GROWTH_CAP) {
                capped_at = k;
                break;
            }
            nmax = k;
        }
        if (x->failed)
            return RX_LINEAR;
        if (capped_at && first) {
            /* the cap within 4 pumps of the first step and 128 bytes, or
             * within 8 pumps, doubling at each */
            if (capped_at - first <= 4 && len[capped_at] <= 128)
                return RX_EXPONENTIAL;
            if (capped_at - first <= 8) {
                bool doubling = true;
                for (int k = first + 1; k < capped_at; k++)
                    if ((double)s[k] < 1.9 * (double)s[k - 1])
                        doubling = false;
                if (doubling)
                    return RX_EXPONENTIAL;
            }
        }
        /* a doubling ratio of at least 4 that keeps growing, counting
         * pumps from the first non-zero count */
        if (first > 0) {
            const int64_t *t = s + first - 1; /* t[1]: the first non-zero */
            size_t tmax = (size_t)nmax + 1 - (size_t)first;
            for (size_t k = 2; 2 * k <= tmax; k += 2) {
                size_t half = k / 2, twice = 2 * k;
                if (t[half] <= 0 || t[k] <= 0)
                    continue;
                double d = (double)t[twice] / (double)t[k];
                double dh = (double)t[k] / (double)t[half];
                if (d >= 4 && d >= 2.5 * dh && t[twice] >= 5000 && t[tmax] > t[tmax - 1])
                    return RX_EXPONENTIAL;
            }
        }
    }
    /* the log-log slope on a grid of doubling pump counts up to max_len,
     * between the longest input under the cap and a quarter of it */
    double gs[64], gl[64];
    int ng = 0;
    uint64_t gcap = GROWTH_CAP;
    size_t k = 1, last_k = 0;
    for (int round = 0; round < 2; round++) {
        while (ng < 64 && x->spent <= SPEND_MAX) {
            if (ng >= 2 && predict_over(gs[ng - 2], gs[ng - 1], gcap))
                break;
            size_t l;
            int64_t v = steps_k(x, w, k, gcap, &l);
            if (v < 0) { /* longer than max_len: the longest that fits */
                if (w->npump == 0 || x->max_len < w->nprefix + w->nsuffix)
                    break;
                size_t kmax = (x->max_len - w->nprefix - w->nsuffix) / w->npump;
                if (kmax <= last_k)
                    break;
                k = kmax;
                v = steps_k(x, w, k, gcap, &l);
                if (v < 0)
                    break;
            }
            if ((uint64_t)v > gcap)
                break; /* k stays: a second round measures it again */
            gs[ng] = (double)v;
            gl[ng] = (double)l;
            ng++;
            last_k = k;
            k *= 2;
        }
        if (x->failed || ng < 2)
            return RX_LINEAR;
        int hi = ng - 1, lo = -1;
        for (int j = hi - 1; j >= 0; j--)
            if (gl[j] * 4 <= gl[hi] * 1.01) {
                lo = j;
                break;
            }
        if (lo < 0)
            lo = 0;
        while (lo < hi && gs[lo] <= 0)
            lo++;
        if (lo < hi && gl[lo] * (round ? 1.5 : 2.0) <= gl[hi] * 1.01) {
            double slope = ln(gs[hi] / gs[lo]) / ln(gl[hi] / gl[lo]);
            if (slope < 1.25)
                return RX_LINEAR;
            *degree = (uint32_t)(slope + 0.5);
            if (*degree < 2)
                *degree = 2;
            return RX_POLYNOMIAL;
        }
        if (gl[hi] >= (double)x->max_len * 0.99)
            return RX_LINEAR; /* it all fits and stays low */
        /* the steps start late: measure further with a larger cap, on a
         * finer grid */
        gcap = (uint64_t)GROWTH_CAP * 10;
        k = last_k + (last_k + 1) / 2;
    }
    return RX_LINEAR;
}

static char *dup_cat(const char *a, size_t na, const char *b, size_t nb, size_t *n)
{
    char *s = cv_malloc(na + nb + 1);
    if (!s)
        return NULL;
    memcpy(s, a, na);
    memcpy(s + na, b, nb);
    s[na + nb] = '\0';
    *n = na + nb;
    return s;
}

static int copy_witness(rx_witness *to, const rx_witness *from)
{
    to->prefix = dup_cat(from->prefix, from->nprefix, "", 0, &to->nprefix);
    to->pump = dup_cat(from->pump, from->npump, "", 0, &to->npump);
    to->suffix = dup_cat(from->suffix, from->nsuffix, "", 0, &to->nsuffix);
    return to->prefix && to->pump && to->suffix ? 0 : -1;
}

/* from, with the code unit u[0] after its suffix (or before it) */
static int with_unit(rx_witness *to, const rx_witness *from, const char *u, bool before)
{
    to->prefix = dup_cat(from->prefix, from->nprefix, "", 0, &to->nprefix);
    to->pump = dup_cat(from->pump, from->npump, "", 0, &to->npump);
    to->suffix = before ? dup_cat(u, 1, from->suffix, from->nsuffix, &to->nsuffix)
                        : dup_cat(from->suffix, from->nsuffix, u, 1, &to->nsuffix);
    return to->prefix && to->pump && to->suffix ? 0 : -1;
}

static void witness_free(rx_witness *w)
{
    cv_free(w->prefix);
    cv_free(w->pump);
    cv_free(w->suffix);
    *w = (rx_witness){0};
}

void rx_verdict_free(rx_verdict *v)
{
    witness_free(&v->w);
    *v = (rx_verdict){0};
}

static bool is_word(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

static bool contains(const char *s, size_t n, uint8_t c)
{
    return n > 0 && memchr(s, c, n) != NULL;
}

int rx_measure(const uint8_t *p, size_t n, bool caseless, const rx_plan *plan, uint32_t max_length,
               uint64_t cap, pcre2_general_context *gctx, rx_verdict *out)
{
    *out = (rx_verdict){0};
    if (!plan->analysed || plan->ncands == 0 || max_length == 0)
        return 0;
    /* the class is the regex's: measured up to CLASS_LEN bytes even on a
     * shorter field; the verdict is at the field's maxLength */
    meas x = {.max_len = max_length > CLASS_LEN ? max_length : CLASS_LEN};
    int opened = rx_meter_open(&x.m, p, n, caseless, gctx);
    if (opened != 0)
        return opened == -2 ? 0 : -1; /* -2: too large with the callouts: not measured */
    x.buf = cv_malloc(x.max_len + 1);
    rx_witness *var = cv_calloc(MAX_VARIANTS, sizeof *var);
    int rc = -1;
    if (!x.buf || !var)
        goto done;
    /* each candidate as proposed, and with PCRE2's required code unit
     * after (and before) the suffix when the witness lacks it: without it
     * PCRE2 rejects the input before the first step */
    uint32_t lct = 0, lcu = 0;
    pcre2_pattern_info(x.m.re, PCRE2_INFO_LASTCODETYPE, &lct);
    pcre2_pattern_info(x.m.re, PCRE2_INFO_LASTCODEUNIT, &lcu);
    bool req = lct == 1 && lcu > 0 && lcu < 0x80;
    char rs[2] = {(char)lcu, 0};
    /* a word boundary after the pump: the analysis sees \b as transparent
     * and may end the pump with a word character where only a non-word one
     * lets the match go on (\bsvc\b.* pumped with "svca") */
    bool wb = plan->word_boundary;
    size_t nv = 0;
    for (size_t i = 0; i < plan->ncands; i++) {
        for (int b = 0; b < (wb ? 2 : 1) && nv + 3 <= MAX_VARIANTS; b++) {
            const rx_witness *c = &plan->cands[i];
            if (b == 1 && (c->npump < 2 || !is_word(c->pump[c->npump - 1])))
                continue;
            rx_witness *base = &var[nv++];
            if (copy_witness(base, c) != 0)
                goto done;
            if (b == 1)
                base->pump[base->npump - 1] = ' ';
            if (!req || contains(base->pump, base->npump, (uint8_t)lcu) ||
                contains(base->suffix, base->nsuffix, (uint8_t)lcu))
                continue;
            if (with_unit(&var[nv++], base, rs, false) != 0 ||
                with_unit(&var[nv++], base, rs, true) != 0)
                goto done;
        }
    }
    /* screening: small inputs first, then longer ones */
    int best = -1;
    score bs = {0};
    static const size_t sizes[] = {16, 96};
    for (size_t z = 0; z < sizeof sizes / sizeof *sizes && best < 0; z++) {
        for (size_t i = 0; i < nv; i++) {
            score sc = screen(&x, &var[i], sizes[z], SCREEN_CAP);
            if (x.failed)
                goto done;
            if (sc.ratio < 2.3 && !sc.blown)
                continue;
            if (best < 0 || better(&sc, &bs)) {
                best = (int)i;
                bs = sc;
            }
            if (sc.blown || x.spent > SPEND_MAX)
                break;
        }
        if (x.spent > SPEND_MAX)
            break;
    }
    out->spent = x.spent;
    if (best < 0) {
        rc = 0;
        goto done;
    }
    const rx_witness *w = &var[best];
    uint32_t degree = 0;
    int cls = classify(&x, w, bs.blown || bs.ratio >= 6.0, &degree);
    if (x.failed)
        goto done;
    out->spent = x.spent;
    if (cls == RX_LINEAR) {
        rc = 0;
        goto done;
    }
    /* the verdict: the witness grown to maxLength, counted up to the cap */
    size_t len = rx_witness_build(w, max_length, x.buf);
    int64_t st = rx_meter_run(&x.m, x.buf, len, cap);
    if (st < 0)
        goto done;
    out->spent += (uint64_t)st;
    out->cls = cls;
    out->degree = cls == RX_POLYNOMIAL ? degree : 0;
    out->length = len;
    out->steps = (uint64_t)st;
    out->capped = (uint64_t)st > cap;
    if (copy_witness(&out->w, w) != 0)
        goto done;
    rc = 0;
done:
    if (rc != 0)
        rx_verdict_free(out);
    for (size_t i = 0; var && i < MAX_VARIANTS; i++)
        witness_free(&var[i]);
    cv_free(var);
    cv_free(x.buf);
    rx_meter_close(&x.m);
    return rc;
}
