/* measure.c - the cost model of formats-v1 section 1.2, and the
 * verdict on the analysis' proposals and the generic attack.
 *
 * Every count goes through the meter (regex/meter.c).
 *
 * For each proposed witness the growth of the count with the input length
 * is measured; the worst one is grown to the field's maxLength.  The class
 * (exponential, or polynomial of a degree) follows the labelled data set's
 * rules: a doubling ratio that keeps growing, or the log-log slope.  A
 * verdict within the budget stands only once the other proposals (for
 * CV503) and the generic attack (always) have been counted at maxLength
 * within it; an input over it is CV502 whatever its growth. */
#include "regex/redos.h"
#include "base/alloc.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

enum {
    /* steps per screening match: past it the witness is "blown" and
     * counted at maxLength at once.  An exponential witness passes any cap
     * within a few pumps, so a low one only saves steps (20,000 before,
     * with the same verdicts and classes on the labelled set) */
    SCREEN_CAP = 5000,
    GROWTH_CAP = 100000, /* steps per match while measuring growth */
    /* steps per match while naming the growth of a witness already counted
     * over the budget: the class is then only the message's, and
     * super-linear growth shows well below the budget */
    CLASS_CAP = 10000,
    MEMO = 64,           /* counts of one witness kept for reuse (pump counts) */
    SPEND_MAX = 3000000, /* steps over all screening and growth matches */
    MAX_VARIANTS = 96,
    CLASS_LEN = 4096, /* bytes: the growth class is measured up to at least this */
    MAX_PUMPS = 40,   /* the pump series of the exponential test */
    /* ... and its steps, in caps per match: an exponential series passes
     * the cap within about twice the cap (each count near double the last),
     * while a polynomial one would count all 40 just under it */
    SERIES_CAPS = 2,
    MAX_TRIES = 6,     /* witnesses classified and grown to maxLength, best first */
    CAPS_PER_UNIT = 8, /* capture groups that make one step cost one more unit */
    /* the generic attack (regex/attack.c), under every verdict: steps
     * over its inputs, besides two counts to the cap */
    ATTACK_SPEND = 12000000,
    /* the proposals counted at maxLength when none decided a class */
    COUNT_SPEND = 4000000,
    COUNT_SHORT = 512, /* bytes of their first count */
    COUNT_MARGIN = 8
};

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

/* ---- measuring ------------------------------------------------------------ */

typedef struct meas {
    rx_meter m;
    uint8_t *buf;   /* max_len bytes */
    size_t max_len; /* the longest input measured for the class */
    uint64_t spent;
    /* SPEND_MAX in steps of this pattern: a step of PCRE2 copies a frame
     * that holds every capture, so a step of a pattern with hundreds of
     * groups costs as much as hundreds of plain ones */
    uint64_t spend_max, weight;
    bool failed; /* an unexpected PCRE2 result */
    /* the counts already made for the witness being classified, by pump
     * count: the exponential series, the slope's grid and the pump series
     * at the field's length ask for the same inputs.  above[k]: the count
     * passed memo_cap[k], only a lower bound */
    const rx_witness *memo_w;
    int64_t memo[MEMO];
    uint64_t memo_cap[MEMO];
    bool memo_above[MEMO];
} meas;

/* Forget the counts kept (a new witness, or screening). */
static void memo_reset(meas *x, const rx_witness *w)
{
    x->memo_w = w;
    for (size_t k = 0; k < MEMO; k++)
        x->memo[k] = -1;
}

/* Steps for k pumps (capped); -1 when the input would exceed max_len. */
static int64_t steps_k(meas *x, const rx_witness *w, size_t k, uint64_t cap, size_t *len)
{
    size_t n = w->nprefix + k * w->npump + w->nsuffix;
    if (n > x->max_len)
        return -1;
    if (len)
        *len = n;
    bool kept = x->memo_w == w && k < MEMO && x->memo[k] >= 0;
    if (kept && !x->memo_above[k] && (uint64_t)x->memo[k] <= cap)
        return x->memo[k]; /* counted before, exactly */
    if (kept && (x->memo_above[k] ? x->memo_cap[k] >= cap : (uint64_t)x->memo[k] > cap))
        return (int64_t)cap + 1; /* counted before past this cap */
    memcpy(x->buf, w->prefix, w->nprefix);
    size_t at = w->nprefix;
    for (size_t i = 0; i < k; i++) {
        memcpy(x->buf + at, w->pump, w->npump);
        at += w->npump;
    }
    memcpy(x->buf + at, w->suffix, w->nsuffix);
    int64_t s = rx_meter_run(&x->m, x->buf, n, cap);
    if (s < 0) {
        x->failed = true;
        return -1;
    }
    x->spent += (uint64_t)s;
    if (x->memo_w == w && k < MEMO) {
        x->memo[k] = s;
        x->memo_cap[k] = cap;
        x->memo_above[k] = (uint64_t)s > cap;
    }
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
    memo_reset(x, NULL);
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

/* The exponential rules on the pump series, 1..MAX_PUMPS pumps, each
 * counted up to gcap0 steps: RX_EXPONENTIAL, RX_LINEAR when PCRE2 failed,
 * or -1 when the series does not decide (the slope does). */
static int series_class(meas *x, const rx_witness *w, uint64_t gcap0, bool *sure)
{
    /* the pump series, 1..40 pumps */
    int64_t s[MAX_PUMPS + 1];
    size_t len[MAX_PUMPS + 1];
    int nmax = 0, first = 0, capped_at = 0;
    /* at most SERIES_CAPS * gcap0 steps and one count; a pattern
     * whose steps weigh more stops at its share of SPEND_MAX.  The
     * rules below judge the counts made */
    uint64_t series0 = x->spent;
    for (int k = 1; k <= MAX_PUMPS && (x->weight == 1 || x->spent <= x->spend_max); k++) {
        if (x->spent - series0 > SERIES_CAPS * gcap0)
            break;
        if (k >= 3 && predict_over((double)s[k - 2], (double)s[k - 1], gcap0)) {
            capped_at = k;
            len[k] = w->nprefix + (size_t)k * w->npump + w->nsuffix;
            break;
        }
        int64_t v = steps_k(x, w, (size_t)k, gcap0, &len[k]);
        if (v < 0)
            break;
        s[k] = v;
        if (v > 0 && !first)
            first = k;
        if ((uint64_t)v > gcap0) {
            capped_at = k;
            break;
        }
        nmax = k;
    }
    if (x->failed)
        return RX_LINEAR; /* PCRE2 failed */
    /* a doubling ratio of at least 4 that keeps growing, counting
     * pumps from the first non-zero count */
    bool growing = false;
    if (first > 0) {
        const int64_t *t = s + first - 1; /* t[1]: the first non-zero */
        size_t tmax = (size_t)nmax + 1 - (size_t)first;
        for (size_t k = 2; 2 * k <= tmax && !growing; k += 2) {
            size_t half = k / 2, twice = 2 * k;
            if (t[half] <= 0 || t[k] <= 0)
                continue;
            double d = (double)t[twice] / (double)t[k];
            double dh = (double)t[k] / (double)t[half];
            growing = d >= 4 && d >= 2.5 * dh && t[twice] >= (int64_t)(gcap0 / 20) &&
                      t[tmax] > t[tmax - 1];
        }
    }
    /* below the growth cap the two rules below also take the start of
     * a bounded repeat's growth, (?:a{1,3}){10}b, for exponential: sure
     * when the doubling ratio grows, or when at least four counts
     * double and the ratio does not fall (a bounded repeat's does,
     * 2.84, 2.19, 1.99) */
    bool steady = capped_at && first && capped_at - first >= 4;
    for (int k = first + 1; steady && k < capped_at; k++)
        steady = (double)s[k] >= 1.9 * (double)s[k - 1];
    if (steady) {
        int c = capped_at;
        steady = (double)s[c - 1] * (double)s[c - 4] >= 0.85 * (double)s[c - 2] * (double)s[c - 3];
    }
    *sure = growing || steady;
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
    if (growing)
        return RX_EXPONENTIAL;
    return -1;
}

/* The class of w's growth, by the labelled data set's rules: exponential
 * when the steps double per pump or the doubling ratio keeps growing,
 * otherwise polynomial of degree *degree when the log-log slope is at
 * least 1.25, each match counted up to gcap0 steps.  `maybe_exp`: the
 * screening saw growth steep enough to try the exponential rules. */
static int classify_at(meas *x, const rx_witness *w, bool maybe_exp, uint64_t gcap0,
                       uint32_t *degree, bool *sure)
{
    *sure = false;
    if (maybe_exp) {
        int cls = series_class(x, w, gcap0, sure);
        if (cls >= 0)
            return cls;
    }
    /* the log-log slope on a grid of doubling pump counts up to max_len,
     * between the longest input under the cap and a quarter of it */
    double gs[64], gl[64];
    int ng = 0;
    uint64_t gcap = gcap0;
    size_t k = 1, last_k = 0;
    for (int round = 0; round < 2; round++) {
        while (ng < 64 && x->spent <= x->spend_max) {
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
            /* sure when the slope of the upper half is no lower: a growth
             * that slows down, ([0-9.-]{1,2})([0-9.-]{1,2}){5}$, may be
             * linear further on */
            int mid = hi - 1;
            while (mid > lo && gl[mid] * 2 > gl[hi] * 1.01)
                mid--;
            *sure = mid > lo && gs[mid] > 0 && gl[mid] < gl[hi] &&
                    ln(gs[hi] / gs[mid]) / ln(gl[hi] / gl[mid]) >= slope - 0.25;
            return RX_POLYNOMIAL;
        }
        if (gl[hi] >= (double)x->max_len * 0.99)
            return RX_LINEAR; /* it all fits and stays low */
        /* the steps start late: measure further with a larger cap, on a
         * finer grid */
        gcap = gcap0 * 10;
        k = last_k + (last_k + 1) / 2;
    }
    return RX_LINEAR;
}

/* The class of w's growth.  `over`: w is already counted past the budget
 * within the field, so the class only names the growth in the message:
 * named from counts of at most CLASS_CAP steps when those are clear (a
 * doubling ratio that grows, or a slope that does not fall), otherwise
 * from counts of up to GROWTH_CAP, as when the class decides between CV503
 * and nothing.  Counts made for one are reused by the other, and by the
 * pump series after.  (Not to a lower cap: (?:a?){15}a{15}, 15 bytes over
 * the budget, only shows its exponential growth past 65,000 steps.) */
static int classify(meas *x, const rx_witness *w, bool maybe_exp, bool over, uint32_t *degree)
{
    memo_reset(x, w);
    bool sure = false;
    if (over) {
        int cls = classify_at(x, w, maybe_exp, CLASS_CAP, degree, &sure);
        if (sure || x->failed)
            return cls;
        *degree = 0;
    }
    return classify_at(x, w, maybe_exp, GROWTH_CAP, degree, &sure);
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

/* Classify w and count it at maxLength up to the cap.  *found: out holds
 * a verdict, super-linear or over the cap (an input within maxLength that
 * costs more than the budget is CV502 whatever the growth: its class is
 * then at least linear, "polynomial, degree 1").  -1 when PCRE2 failed or
 * out of memory. */
static int verdict_of(meas *x, const rx_witness *w, const score *sc, uint32_t max_length,
                      uint64_t cap, rx_verdict *out, bool *found)
{
    *found = false;
    uint32_t degree = 0;
    size_t len = rx_witness_build(w, max_length, x->buf);
    int64_t st = rx_meter_run(&x->m, x->buf, len, cap);
    if (st < 0)
        return -1;
    x->spent += (uint64_t)st;
    bool over = (uint64_t)st > cap;
    int cls = classify(x, w, sc->blown || sc->ratio >= 6.0, over, &degree);
    if (x->failed)
        return -1;
    if (cls == RX_EXPONENTIAL && !over) {
        /* a match that succeeds on long inputs may still blow up on a
         * short one ((?:a?){15}a{15} on 14 a's): the pump series, counted
         * to the cap, within maxLength */
        uint64_t spent = 0;
        for (size_t k = 1; k <= MAX_PUMPS && !over && spent <= 4 * cap + SPEND_MAX; k++) {
            size_t l = w->nprefix + k * w->npump + w->nsuffix;
            if (l > max_length)
                break;
            int64_t sk = steps_k(x, w, k, cap, NULL);
            if (sk < 0)
                return -1;
            spent += (uint64_t)sk;
            if ((uint64_t)sk > cap || (uint64_t)sk > (uint64_t)st) {
                st = sk;
                len = l;
                over = (uint64_t)sk > cap;
            }
        }
    }
    if (cls == RX_LINEAR && !over)
        return 0;
    if (cls == RX_LINEAR) {
        cls = RX_POLYNOMIAL;
        degree = 1;
    }
    rx_verdict_free(out);
    out->cls = cls;
    out->degree = cls == RX_POLYNOMIAL ? degree : 0;
    out->length = len;
    out->steps = (uint64_t)st;
    out->capped = over;
    if (copy_witness(&out->w, w) != 0)
        return -1;
    *found = true;
    return 0;
}

/* An input w built to len bytes that was counted over the cap: its class
 * as for any witness (verdict_of, counted at maxLength).  When the count
 * at maxLength is not over the cap (a match that succeeds on longer
 * inputs), the input as counted is the finding: it is no longer than
 * maxLength and costs more than the budget. */
static int over_verdict(meas *x, const rx_witness *w, uint64_t len, uint64_t steps,
                        uint32_t max_length, uint64_t cap, uint64_t lo, rx_verdict *out,
                        bool *found)
{
    score blown = {.blown = true};
    rx_verdict_free(out);
    if (verdict_of(x, w, &blown, max_length, cap, out, found) != 0)
        return -1;
    if (*found && (out->capped || out->steps > lo))
        return 0;
    int cls = *found ? out->cls : RX_LINEAR;
    uint32_t degree = *found ? out->degree : 0;
    rx_verdict_free(out);
    out->cls = cls == RX_LINEAR ? RX_POLYNOMIAL : cls;
    out->degree = cls == RX_LINEAR ? 1 : cls == RX_POLYNOMIAL ? degree : 0;
    out->length = len;
    out->steps = steps;
    out->capped = steps > cap;
    *found = true;
    return copy_witness(&out->w, w);
}

/* A super-linear verdict within the cap is CV503 only once proven: every
 * other proposal counted at maxLength within the cap too (one over it is
 * CV502 instead), and the witness fitting the field as reported, costing
 * steps there, more than with half its pumps.  A witness that does not
 * show its growth within maxLength is no finding: the cost the field
 * allows is then what the floor measures. */
static int prove_503(meas *x, rx_witness *var, size_t nv, uint32_t max_length, uint64_t cap,
                     uint64_t lo, rx_verdict *out, bool *found)
{
    for (size_t i = 0; i < nv; i++) {
        size_t len = rx_witness_build(&var[i], max_length, x->buf);
        int64_t st = rx_meter_run(&x->m, x->buf, len, cap);
        if (st < 0)
            return -1;
        x->spent += (uint64_t)st;
        if ((uint64_t)st > lo)
            return over_verdict(x, &var[i], len, (uint64_t)st, max_length, cap, lo, out, found);
    }
    const rx_witness *w = &out->w;
    bool fits = w->npump > 0 && w->nprefix + w->nsuffix <= out->length &&
                out->length <= max_length &&
                (out->length - w->nprefix - w->nsuffix) % w->npump == 0 && out->steps > 0;
    if (fits) {
        size_t k = (out->length - w->nprefix - w->nsuffix) / w->npump;
        int64_t half = steps_k(x, w, k / 2, cap, NULL);
        if (x->failed)
            return -1;
        fits = half >= 0 && (uint64_t)half < out->steps;
    }
    if (!fits) {
        rx_verdict_free(out);
        *found = false;
    }
    return 0;
}

/* No proposal decided a class (the screening judges growth on short
 * inputs, and stops when its allowance runs out): each proposed input is
 * still counted at maxLength, up to the budget, within COUNT_SPEND steps
 * (a CPU[ +]OS ... (\d+).{0,100}Outlook shape was passed when the
 * screening's allowance ran out before its witness).  *left: how many
 * were not counted when that ran out. */
static int count_all(meas *x, rx_witness *var, size_t nv, uint32_t max_length, uint64_t cap,
                     uint64_t lo, rx_verdict *out, bool *found, size_t *left)
{
    uint64_t spent = 0;
    *left = 0;
    for (size_t i = 0; i < nv; i++) {
        if (spent > COUNT_SPEND) {
            *left = nv - i;
            return 0;
        }
        /* first on COUNT_SHORT bytes: an input whose cost there, grown
         * linearly to maxLength and times COUNT_MARGIN (a quadratic's
         * growth over that span), stays within the budget is not counted
         * again; a steeper one is the screening's to find */
        size_t len = 0;
        for (int pass = 0; pass < 2; pass++) {
            size_t want = pass == 0 && max_length > COUNT_SHORT ? COUNT_SHORT : max_length;
            if (pass == 1 && len == max_length)
                break;
            len = rx_witness_build(&var[i], want, x->buf);
            int64_t st = rx_meter_run(&x->m, x->buf, len, cap);
            if (st < 0)
                return -1;
            spent += (uint64_t)st;
            x->spent += (uint64_t)st;
            if ((uint64_t)st > lo)
                return over_verdict(x, &var[i], len, (uint64_t)st, max_length, cap, lo, out, found);
            if (len == 0 ||
                (double)st * ((double)max_length / (double)len) * COUNT_MARGIN <= (double)lo)
                break;
        }
    }
    return 0;
}

/* The inputs counted: each candidate as proposed, and with PCRE2's
 * required code unit after (and before) the suffix when the witness lacks
 * it (without it PCRE2 rejects the input before the first step).  -1 when
 * out of memory. */
static int make_variants(const meas *x, const rx_plan *plan, rx_witness *var, size_t *nv)
{
    uint32_t lct = 0, lcu = 0;
    pcre2_pattern_info(x->m.re, PCRE2_INFO_LASTCODETYPE, &lct);
    pcre2_pattern_info(x->m.re, PCRE2_INFO_LASTCODEUNIT, &lcu);
    bool req = lct == 1 && lcu > 0 && lcu < 0x80;
    char rs[2] = {(char)(req ? lcu : 0), 0};
    /* a word boundary after the pump: the analysis sees \b as transparent
     * and may end the pump with a word character where only a non-word one
     * lets the match go on (\bsvc\b.* pumped with "svca") */
    bool wb = plan->word_boundary;
    *nv = 0;
    for (size_t i = 0; i < plan->ncands; i++) {
        for (int b = 0; b < (wb ? 2 : 1) && *nv + 3 <= MAX_VARIANTS; b++) {
            const rx_witness *c = &plan->cands[i];
            if (b == 1 && (c->npump < 2 || !is_word(c->pump[c->npump - 1])))
                continue;
            rx_witness *base = &var[(*nv)++];
            if (copy_witness(base, c) != 0)
                return -1;
            if (b == 1)
                base->pump[base->npump - 1] = ' ';
            if (!req || contains(base->pump, base->npump, (uint8_t)lcu) ||
                contains(base->suffix, base->nsuffix, (uint8_t)lcu))
                continue;
            if (with_unit(&var[(*nv)++], base, rs, false) != 0 ||
                with_unit(&var[(*nv)++], base, rs, true) != 0)
                return -1;
        }
    }
    return 0;
}

static const size_t screen_sizes[] = {16, 96};

/* Screening, small inputs first, then longer ones: the index of the best
 * variant (*bs its score), or -1 when none grows (x->failed: PCRE2
 * failed). */
static int screen_best(meas *x, rx_witness *var, size_t nv, score *bs)
{
    int best = -1;
    for (size_t z = 0; z < sizeof screen_sizes / sizeof *screen_sizes && best < 0; z++) {
        for (size_t i = 0; i < nv; i++) {
            score sc = screen(x, &var[i], screen_sizes[z], SCREEN_CAP);
            if (x->failed)
                return -1;
            if (sc.ratio < 2.3 && !sc.blown)
                continue;
            if (best < 0 || better(&sc, bs)) {
                best = (int)i;
                *bs = sc;
            }
            if (sc.blown || x->spent > x->spend_max)
                break;
        }
        if (x->spent > x->spend_max)
            break;
    }
    return best;
}

/* The best screened witness grows linearly and stays within the budget:
 * the others, best first, before "nothing found" (the screening stops at
 * the first that passes its cap, and that one may succeed early:
 * (?:a+){15}b on a...ab).  -1 when PCRE2 failed or out of memory. */
static int try_others(meas *x, rx_witness *var, size_t nv, int best, uint32_t max_length,
                      uint64_t cap, rx_verdict *out, bool *found)
{
    score sc[MAX_VARIANTS];
    int order[MAX_VARIANTS], no = 0;
    for (size_t i = 0; i < nv && x->spent <= x->spend_max; i++) {
        if ((int)i == best)
            continue;
        sc[i] = screen(x, &var[i], screen_sizes[0], SCREEN_CAP);
        if (!sc[i].blown && sc[i].ratio < 2.3)
            sc[i] = screen(x, &var[i], screen_sizes[1], SCREEN_CAP);
        if (x->failed)
            return -1;
        if (sc[i].ratio < 2.3 && !sc[i].blown)
            continue;
        int j = no++;
        while (j > 0 && better(&sc[i], &sc[order[j - 1]])) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = (int)i;
    }
    for (int t = 0; t < no && t < MAX_TRIES && !*found; t++)
        if (verdict_of(x, &var[order[t]], &sc[order[t]], max_length, cap, out, found) != 0)
            return -1;
    return 0;
}

/* decided: an input over the lowest budget (CV502 for some sensor) */
static bool decided(const rx_verdict *out, bool found, uint64_t lo)
{
    return found && (out->capped || out->steps > lo);
}

static void unproven(rx_verdict *out, bool *found)
{
    rx_verdict_free(out);
    *found = false;
    out->unproven = true;
}

/* The floor under every verdict: a linear regex can cost more than the
 * budget at maxLength, and no pass or CV503 stands until the generic
 * attack has been counted within it.  -1 when PCRE2 failed or out of
 * memory. */
static int floor_attack(meas *x, const uint8_t *p, size_t n, uint32_t max_length, uint64_t cap,
                        uint64_t lo, rx_verdict *out, bool *found)
{
    rx_attack_out ao;
    uint64_t allow = ATTACK_SPEND + 2 * cap;
    if (rx_attack(&x->m, p, n, max_length, cap, lo, allow, x->buf, &ao) != 0)
        return -1;
    x->spent += ao.spent;
    int vr =
        ao.over ? over_verdict(x, &ao.w, ao.length, ao.steps, max_length, cap, lo, out, found) : 0;
    if (vr == 0 && ao.exhausted && !decided(out, *found, lo)) {
        unproven(out, found);
        snprintf(out->why, sizeof out->why,
                 "the generic attack ran out of its %" PRIu64 " steps with %zu of its %zu "
                 "inputs still to count at maxLength",
                 allow, ao.uncounted, ao.inputs);
    }
    rx_attack_free(&ao);
    return vr;
}

/* Every step of the verdict after the meter is open: -1 when PCRE2 failed
 * or out of memory. */
static int measure_all(meas *x, const uint8_t *p, size_t n, const rx_plan *plan, rx_witness *var,
                       uint32_t max_length, uint64_t cap, uint64_t lo, rx_verdict *out)
{
    size_t nv = 0;
    if (make_variants(x, plan, var, &nv) != 0)
        return -1;
    score bs = {0};
    int best = screen_best(x, var, nv, &bs);
    if (x->failed)
        return -1;
    bool found = false;
    if (best >= 0 && verdict_of(x, &var[best], &bs, max_length, cap, out, &found) != 0)
        return -1;
    if (!found && best >= 0 && try_others(x, var, nv, best, max_length, cap, out, &found) != 0)
        return -1;
    size_t left = 0;
    if (!found && count_all(x, var, nv, max_length, cap, lo, out, &found, &left) != 0)
        return -1;
    if (found && !decided(out, found, lo) &&
        prove_503(x, var, nv, max_length, cap, lo, out, &found) != 0)
        return -1;
    if (!decided(out, found, lo) && floor_attack(x, p, n, max_length, cap, lo, out, &found) != 0)
        return -1;
    if (left > 0 && !decided(out, found, lo) && !out->unproven) {
        unproven(out, &found);
        snprintf(out->why, sizeof out->why,
                 "its measurement ran out of %d steps with %zu of the analysis' %zu inputs still "
                 "to count at maxLength",
                 COUNT_SPEND, left, nv);
    }
    if (plan->unproven && !decided(out, found, lo) && !out->unproven) {
        /* the analysis did not finish: only an input measured over the
         * budget decides; without one, nothing is proven (CV501) */
        unproven(out, &found);
        snprintf(out->why, sizeof out->why, "%s", plan->why);
    }
    return 0;
}

int rx_measure(const uint8_t *p, size_t n, bool caseless, const rx_plan *plan, uint32_t max_length,
               uint64_t cap, uint64_t lo, pcre2_general_context *gctx, rx_verdict *out)
{
    *out = (rx_verdict){0};
    if (max_length == 0)
        return 0;
    if (lo > cap)
        lo = cap;
    /* the class is the regex's: measured up to CLASS_LEN bytes even on a
     * shorter field; the verdict is at the field's maxLength */
    meas x = {.max_len = max_length > CLASS_LEN ? max_length : CLASS_LEN};
    int opened = rx_meter_open(&x.m, p, n, caseless, gctx);
    if (opened != 0)
        return opened == -2 ? 0 : -1; /* -2: too large with the callouts: not measured */
    uint32_t ncap = 0;
    pcre2_pattern_info(x.m.re, PCRE2_INFO_CAPTURECOUNT, &ncap);
    x.weight = 1 + ncap / CAPS_PER_UNIT;
    x.spend_max = SPEND_MAX / x.weight;
    x.buf = cv_malloc(x.max_len + 1);
    rx_witness *var = cv_calloc(MAX_VARIANTS, sizeof *var);
    int rc = !x.buf || !var ? -1 : measure_all(&x, p, n, plan, var, max_length, cap, lo, out);
    out->spent = x.spent;
    if (rc != 0 && x.m.rc == PCRE2_ERROR_HEAPLIMIT) {
        /* not out of memory: a count that needs more than the meter's
         * heap proves nothing either way */
        rx_verdict_free(out);
        out->unproven = true;
        out->spent = x.spent;
        snprintf(out->why, sizeof out->why,
                 "counting its steps needs more than the %d MiB of matcher memory chanval allows",
                 RX_METER_HEAP_KIB / 1024);
        rc = 0;
    }
    if (rc != 0)
        rx_verdict_free(out);
    for (size_t i = 0; var && i < MAX_VARIANTS; i++)
        witness_free(&var[i]);
    cv_free(var);
    cv_free(x.buf);
    rx_meter_close(&x.m);
    return rc;
}
