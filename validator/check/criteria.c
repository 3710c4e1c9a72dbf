/* criteria.c - instance semantics and fleet compatibility, shared by channel
 * files and channel sources. */
#include "check/criteria.h"
#include "diag/rules.h"
#include "base/alloc.h"
#include "regex/cache.h"
#include "format/xmldoc.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const char *op_article(uint8_t op)
{
    switch (op) {
    case CV_OP_EQUALS:
        return "an equals";
    case CV_OP_REGEX:
        return "a regex";
    case CV_OP_RANGE:
        return "a range";
    default:
        return "an unknown op";
    }
}

static const cv_field *field_of(const cv_inst *in, uint32_t index)
{
    const cv_tuse *t = in->type;
    if (!t || !t->def || index >= t->def->nfields)
        return NULL;
    return &t->def->fields[index];
}

void cv_crit_desc(char *out, size_t n, const cv_inst *in, const cv_crit *c)
{
    const cv_field *f = field_of(in, c->index);
    if (f)
        snprintf(out, n, "instance %" PRIu32 " criterion %" PRIu32 " (field \"%s\")", in->id,
                 c->index, f->name);
    else
        snprintf(out, n, "instance %" PRIu32 " criterion %" PRIu32, in->id, c->index);
}

/* "instance 17 criterion 20 (field ...)", made when a finding needs it:
 * most criteria have none, and formatting it for each would cost more
 * than checking them. */
typedef struct desc {
    const cv_inst *in;
    const cv_crit *c;
    char buf[192];
} desc;

static const char *W(desc *d)
{
    if (!d->buf[0])
        cv_crit_desc(d->buf, sizeof d->buf, d->in, d->c);
    return d->buf;
}

void cv_check_begin(cv_checker *ck, cv_ctx *cx) { *ck = (cv_checker){.cx = cx}; }

/* Record an id; 1 if new, 0 if seen before (*prev: where), -1 out of memory. */
static int remember(cv_checker *ck, uint32_t id, size_t off, uint64_t *prev)
{
    if (!ck->hashed) {
        if (id > ck->max_id) {
            void *p = ck->seen;
            if (cv_grow(&p, &ck->seen_cap, ck->nseen + 1, sizeof *ck->seen) != 0)
                return -1;
            ck->seen = p;
            ck->seen[ck->nseen++] = (cv_seen_id){id, off};
            ck->max_id = id;
            return 1;
        }
        if (cv_idset_reserve(&ck->ids, ck->nseen + 1) != 0)
            return -1;
        for (size_t i = 0; i < ck->nseen; i++)
            if (cv_idset_put(&ck->ids, ck->seen[i].id, ck->seen[i].off, NULL) < 0)
                return -1;
        cv_free(ck->seen);
        ck->seen = NULL;
        ck->nseen = ck->seen_cap = 0;
        ck->hashed = true;
    }
    return cv_idset_put(&ck->ids, id, off, prev);
}

void cv_check_instance(cv_checker *ck, cv_inst *in)
{
    cv_ctx *cx = ck->cx;
    in->nonwild = 0;
    if (in->id == 0) {
        size_t at = cx->xml ? cv_xml_attr_off(cx, in->off, "id") : in->off;
        chanval_diag *d = cv_report(cx, CV119_BAD_INSTANCE_ID, at,
                                    "instance id 0 is not allowed; ids start at 1");
        cv_set_instance(d, 0, -1);
        return;
    }
    uint64_t prev = 0;
    int r = remember(ck, in->id, in->off, &prev);
    if (r < 0) {
        cx->oom = true;
    } else if (r == 0) {
        size_t at = cx->xml ? cv_xml_attr_off(cx, in->off, "id") : in->off;
        chanval_diag *d;
        if (cx->xml) {
            uint32_t line, col;
            cv_linecol(cx, (size_t)prev, &line, &col);
            d = cv_report(cx, CV119_BAD_INSTANCE_ID, at,
                          "instance id %" PRIu32 " is used twice; first at line %" PRIu32
                          ", column %" PRIu32,
                          in->id, line, col);
        } else {
            d = cv_report(cx, CV119_BAD_INSTANCE_ID, at,
                          "instance id %" PRIu32 " is used twice; first at offset 0x%" PRIx64,
                          in->id, prev);
        }
        cv_set_instance(d, in->id, -1);
        cv_note(cx, d, "give each instance its own id");
    }
}

/* Where a part of a criterion is, in either representation. */
/* P_RANGE: both bounds, so the min field in a binary file and the whole
 * element in XML. */
enum part { P_OP, P_VALUE, P_ELEM, P_RANGE };

static size_t where(const cv_ctx *cx, const cv_crit *c, enum part p)
{
    static const size_t bin_off[] = {0, 4, 0, 4};
    static const char *const attr[] = {"op", "value", NULL, NULL};
    if (!cx->xml)
        return c->off + bin_off[p];
    if (p == P_ELEM || p == P_RANGE)
        return c->off;
    size_t at = cv_xml_attr_off(cx, c->off, attr[p]);
    if (p == P_VALUE && at == c->off)
        at = cv_xml_attr_off(cx, c->off, "valueHex");
    return at;
}

/* CV502/CV503: the cost of a regex criterion under the cost model
 * (formats-v1 section 1.2), on inputs up to the field's maxLength.
 *
 * One finding per criterion, never per (criterion, sensor): the budget
 * named is the lowest one exceeded (CV502) or the lowest of all (CV503),
 * and the count of other sensors is in the message.  Without a fleet
 * manifest there is no budget: a super-linear regex is CV503, measured
 * up to REDOS_NOFLEET_CAP steps (CV409 says CV502 was not checked).
 * Without a known string field (no maxLength) nothing is measured. */
enum {
    REDOS_NOFLEET_CAP = 100000, /* the sample fleet's regexMatchLimit */
    REDOS_MAX_CAP = 10000000    /* no verdict counts further than this */
};

/* "p" + "w" x k + "s": the witness of v for a message, in the arena. */
static const char *witness_text(cv_ctx *cx, const rx_verdict *v)
{
    const rx_witness *w = &v->w;
    uint64_t k = 0;
    if (w->npump && v->length >= w->nprefix + w->nsuffix)
        k = (v->length - w->nprefix - w->nsuffix) / w->npump;
    const char *q = cv_quote(cx, 1, (const uint8_t *)w->prefix, w->nprefix, 40);
    char *p = cv_arena_strndup(&cx->f->arena, q, strlen(q));
    q = cv_quote(cx, 1, (const uint8_t *)w->pump, w->npump, 40);
    char *u = cv_arena_strndup(&cx->f->arena, q, strlen(q));
    const char *s = cv_quote(cx, 1, (const uint8_t *)w->suffix, w->nsuffix, 40);
    if (!p || !u) {
        cx->oom = true;
        return "";
    }
    char *t = cv_arena_printf(&cx->f->arena, "%s + %s x %" PRIu64 " + %s (%" PRIu64 " bytes)", p, u,
                              k, s, v->length);
    if (!t)
        cx->oom = true;
    return t ? t : "";
}

static void set_cost(cv_ctx *cx, chanval_diag *d, const rx_verdict *v, uint64_t budget)
{
    if (!d)
        return;
    d->regex_class =
        v->cls == RX_EXPONENTIAL ? CHANVAL_REGEX_EXPONENTIAL : CHANVAL_REGEX_POLYNOMIAL;
    d->degree = v->cls == RX_POLYNOMIAL ? v->degree : 0;
    d->witness_prefix = cv_arena_strndup(&cx->f->arena, v->w.prefix, v->w.nprefix);
    d->witness_pump = cv_arena_strndup(&cx->f->arena, v->w.pump, v->w.npump);
    d->witness_suffix = cv_arena_strndup(&cx->f->arena, v->w.suffix, v->w.nsuffix);
    if (!d->witness_prefix || !d->witness_pump || !d->witness_suffix)
        cx->oom = true;
    d->witness_length = v->length;
    d->steps = v->steps;
    d->budget = budget;
}

/* The finding of a verdict, if it is one. */
static void report_cost(cv_checker *ck, const cv_inst *in, const cv_crit *c, const cv_field *f,
                        const rx_verdict *v, desc *what, size_t at)
{
    cv_ctx *cx = ck->cx;
    if (v->unproven) {
        /* the analysis ran out of a budget and no input measured over the
         * sensors' budget: fail closed */
        chanval_diag *d =
            cv_report(cx, CV501_REGEX_UNSUPPORTED_FEATURE, at,
                      "%s: regex %s: chanval cannot prove a bound for this regex: "
                      "%s, and no input of %" PRIu32 " bytes it tried costs more than the budget",
                      W(what), cv_quote(cx, 0, c->str, c->str_len, 60), v->why, f->max_length);
        cv_set_instance(d, in->id, (int32_t)c->index);
        cv_note(cx, d,
                "simplify the regex (fewer nested or counted groups, possessive or atomic "
                "repeats); chanval reports it rather than pass what it could not analyse");
        return;
    }
    if (v->cls == RX_LINEAR)
        return;
    const cv_world *w = cx->world;
    const cv_tuse *t = in->type;
    char cls[40];
    if (v->cls == RX_EXPONENTIAL)
        snprintf(cls, sizeof cls, "exponential");
    else
        snprintf(cls, sizeof cls, "polynomial, degree %" PRIu32, v->degree);
    char cost[48];
    if (v->capped)
        snprintf(cost, sizeof cost, "more than %" PRIu64 " steps", v->steps - 1);
    else
        snprintf(cost, sizeof cost, "%" PRIu64 " steps", v->steps);
    /* the sensors whose budget it exceeds: the lowest budget first; and
     * the lowest budget of all the sensors that run it */
    const cv_sensor *first = NULL;
    size_t nexc = 0;
    uint64_t lowest = UINT64_MAX;
    if (w->have_fleet) {
        for (size_t i = 0; i < t->nsup; i++) {
            if (c->index >= t->sup[i].inputs)
                continue;
            const cv_sensor *s = &w->sensors[t->sup[i].sensor];
            if (s->regex_match_limit < lowest)
                lowest = s->regex_match_limit;
            /* a count stopped at the cap (REDOS_MAX_CAP) proves nothing
             * about a higher budget: such a sensor counts as exceeded */
            if (s->regex_match_limit >= v->steps && !v->capped)
                continue;
            nexc++;
            if (!first || s->regex_match_limit < first->regex_match_limit)
                first = s;
        }
    }
    const char *pat = cv_quote(cx, 0, c->str, c->str_len, 60);
    if (first) {
        char others[48] = "";
        if (nexc > 1)
            snprintf(others, sizeof others, " (and %zu other sensor%s)", nexc - 1,
                     nexc > 2 ? "s" : "");
        chanval_diag *d;
        if (first->regex_match_limit < v->steps)
            d = cv_report(cx, CV502_REGEX_CATASTROPHIC_BACKTRACKING, at,
                          "%s: regex %s backtracks catastrophically (%s): the input %s "
                          "costs %s, over sensor %s's regexMatchLimit of %" PRIu32 "%s",
                          W(what), pat, cls, witness_text(cx, v), cost, first->version,
                          first->regex_match_limit, others);
        else
            d = cv_report(cx, CV502_REGEX_CATASTROPHIC_BACKTRACKING, at,
                          "%s: regex %s backtracks catastrophically (%s): the input %s "
                          "costs %s, where chanval stops counting; sensor %s's "
                          "regexMatchLimit of %" PRIu32 " is higher, and the regex is not "
                          "proven within it%s",
                          W(what), pat, cls, witness_text(cx, v), cost, first->version,
                          first->regex_match_limit, others);
        cv_set_instance(d, in->id, (int32_t)c->index);
        cv_set_sensor(cx, d, first->version);
        set_cost(cx, d, v, first->regex_match_limit);
        cv_note(cx, d,
                "make the repeats unambiguous, possessive (++, *+) or atomic ((?>...)), or "
                "bound them; the witness repeats the pump as often as the field's maxLength "
                "of %" PRIu32 " allows",
                f->max_length);
        return;
    }
    chanval_diag *d;
    if (w->have_fleet)
        d = cv_report(cx, CV503_REGEX_SUPERLINEAR, at,
                      "%s: regex %s has a super-linear matching cost (%s): the input %s costs "
                      "%s, within every sensor's regexMatchLimit (the lowest is %" PRIu64 ")",
                      W(what), pat, cls, witness_text(cx, v), cost, lowest);
    else
        d = cv_report(cx, CV503_REGEX_SUPERLINEAR, at,
                      "%s: regex %s has a super-linear matching cost (%s): the input %s costs "
                      "%s; with no fleet manifest no budget was checked",
                      W(what), pat, cls, witness_text(cx, v), cost);
    cv_set_instance(d, in->id, (int32_t)c->index);
    set_cost(cx, d, v, w->have_fleet ? lowest : REDOS_NOFLEET_CAP);
    cv_note(cx, d, "a longer field or a lower regexMatchLimit would make it CV502");
}

/* A criterion whose verdict is being measured.  Its pattern is the
 * cache's copy: a source's strings need not outlive the walk. */
typedef struct cv_deferred {
    cv_inst in;
    cv_crit c;
    const cv_field *f;
    const rx_verdict *v;
    size_t at;
} cv_deferred;

/* Deferred criteria are reported in batches of at most this many, which
 * bounds the memory they hold whatever the file's size. */
enum { DEFER_BATCH = 4096 };

static void flush_deferred(cv_checker *ck)
{
    cv_ctx *cx = ck->cx;
    if (ck->ndeferred == 0)
        return;
    if (!cx->oom && cv_regex_run_queue(cx->regex, cx->threads) != 0)
        cx->oom = true;
    for (size_t i = 0; i < ck->ndeferred && !cx->oom; i++) {
        cv_deferred *d = &ck->deferred[i];
        desc what = {.in = &d->in, .c = &d->c, .buf = ""};
        report_cost(ck, &d->in, &d->c, d->f, d->v, &what, d->at);
    }
    ck->ndeferred = 0;
}

static void check_cost(cv_checker *ck, const cv_inst *in, const cv_crit *c, const cv_field *f,
                       cv_regex_info *ri, desc *what, size_t at)
{
    cv_ctx *cx = ck->cx;
    if (!f || f->kind != CV_FIELD_STRING || f->max_length == 0)
        return; /* no maxLength: nothing to measure against */
    const cv_world *w = cx->world;
    const cv_tuse *t = in->type;
    uint64_t cap = REDOS_NOFLEET_CAP, lo = REDOS_NOFLEET_CAP;
    if (w->have_fleet) {
        if (!t)
            return;
        cap = 0;
        lo = UINT64_MAX;
        size_t nrun = 0;
        for (size_t i = 0; i < t->nsup; i++) {
            if (c->index >= t->sup[i].inputs)
                continue; /* CV400: this sensor never evaluates the regex */
            uint64_t b = w->sensors[t->sup[i].sensor].regex_match_limit;
            cap = b > cap ? b : cap;
            lo = b < lo ? b : lo;
            nrun++;
        }
        if (nrun == 0)
            return; /* no sensor runs it */
        if (cap > REDOS_MAX_CAP)
            cap = REDOS_MAX_CAP;
        if (lo > cap)
            lo = cap;
    }
    /* counted up to the highest budget; the lowest decides what is a
     * finding (an input between the two exceeds some sensors' budget) */
    bool queued = false;
    const rx_verdict *v = cv_regex_cost_queue(cx->regex, ri, f->max_length, cap, lo, &queued);
    if (!v) {
        cx->oom = true;
        return;
    }
    if (!queued) {
        report_cost(ck, in, c, f, v, what, at);
        return;
    }
    void *p = ck->deferred;
    if (cv_grow(&p, &ck->deferred_cap, ck->ndeferred + 1, sizeof *ck->deferred) != 0) {
        cx->oom = true;
        return;
    }
    ck->deferred = p;
    cv_deferred *d = &ck->deferred[ck->ndeferred++];
    *d = (cv_deferred){.in = *in, .c = *c, .f = f, .v = v, .at = at};
    size_t n = 0;
    d->c.str = cv_regex_pattern(ri, &n);
    d->c.str_len = (uint32_t)n; /* the same bytes as the criterion's */
    if (ck->ndeferred >= DEFER_BATCH)
        flush_deferred(ck);
}

static void check_regex(cv_checker *ck, const cv_inst *in, const cv_crit *c, const cv_field *f,
                        desc *what)
{
    cv_ctx *cx = ck->cx;
    size_t at = where(cx, c, P_VALUE);
    if (c->str_len == 0) {
        chanval_diag *d = cv_report(cx, CV504_REGEX_EMPTY, at,
                                    "%s has an empty regex, which matches every value", W(what));
        cv_set_instance(d, in->id, (int32_t)c->index);
        cv_note(cx, d, "remove the criterion to make the field a wildcard");
        return;
    }
    cv_regex_info *ri =
        cv_regex_lookup(cx->regex, c->str, c->str_len, (c->flags & CV_FLAG_CASELESS) != 0);
    if (!ri) {
        cx->oom = true;
        return;
    }
    if (!ri->compiled) {
        chanval_diag *d = cv_report(cx, CV500_REGEX_SYNTAX, at,
                                    "%s: regex %s does not compile: PCRE2 error %d at "
                                    "offset %zu of the pattern: %s",
                                    W(what), cv_quote(cx, 0, c->str, c->str_len, 60), ri->err_code,
                                    ri->err_offset, ri->err_msg);
        cv_set_instance(d, in->id, (int32_t)c->index);
        return;
    }
    if (ri->unsupported) {
        const char *pat = cv_quote(cx, 0, c->str, c->str_len, 60);
        chanval_diag *d =
            ri->unanalysable
                ? cv_report(cx, CV501_REGEX_UNSUPPORTED_FEATURE, at,
                            "%s: regex %s compiles, but chanval's regex analysis does not "
                            "follow it (%s, at offset %zu of the pattern), so its cost "
                            "cannot be proven within any budget",
                            W(what), pat, ri->unsup_what, ri->unsup_offset)
                : cv_report(cx, CV501_REGEX_UNSUPPORTED_FEATURE, at,
                            "%s: regex %s uses %s at offset %zu of the pattern, "
                            "which the interpreter does not support",
                            W(what), pat, ri->unsup_what, ri->unsup_offset);
        cv_set_instance(d, in->id, (int32_t)c->index);
        return;
    }
    check_cost(ck, in, c, f, ri, what, at);
}

static void check_fleet_criterion(cv_checker *ck, const cv_inst *in, const cv_crit *c, desc *what)
{
    cv_ctx *cx = ck->cx;
    const cv_tuse *t = in->type;
    const cv_world *w = cx->world;
    if (!t)
        return;
    if (c->index >= t->min_inputs) {
        for (size_t i = 0; i < t->nsup; i++) {
            if (c->index < t->sup[i].inputs)
                continue;
            const cv_sensor *s = &w->sensors[t->sup[i].sensor];
            chanval_diag *d =
                cv_report(cx, CV400_INPUT_INDEX_OUT_OF_BOUNDS, where(cx, c, P_ELEM),
                          "%s is %s, but sensor %s supplies only %u inputs for type %" PRIu32
                          " v%u; the interpreter would read inputs[%" PRIu32 "] past the end of "
                          "its array",
                          W(what), op_article(c->op), s->version, (unsigned)t->sup[i].inputs, t->id,
                          (unsigned)t->version, c->index);
            cv_set_instance(d, in->id, (int32_t)c->index);
            cv_set_sensor(cx, d, s->version);
            if (t->def)
                cv_note(cx, d,
                        "the type declares %" PRIu32 " fields; criteria %u.. must stay "
                        "wildcard for this sensor",
                        t->def->nfields, (unsigned)t->sup[i].inputs);
            else
                cv_note(cx, d, "criteria %u.. must stay wildcard for this sensor",
                        (unsigned)t->sup[i].inputs);
        }
    }
    if (c->op == CV_OP_REGEX && c->str_ok && c->str_len > t->min_regex_len) {
        for (size_t i = 0; i < t->nsup; i++) {
            const cv_sensor *s = &w->sensors[t->sup[i].sensor];
            if (c->str_len <= s->max_regex_length)
                continue;
            chanval_diag *d = cv_report(cx, CV403_REGEX_TOO_LONG_FOR_SENSOR, where(cx, c, P_ELEM),
                                        "%s: regex of %" PRIu32 " bytes is longer than "
                                        "sensor %s's maxRegexLength of %" PRIu32,
                                        W(what), c->str_len, s->version, s->max_regex_length);
            cv_set_instance(d, in->id, (int32_t)c->index);
            cv_set_sensor(cx, d, s->version);
        }
    }
}

void cv_check_criterion(cv_checker *ck, cv_inst *in, const cv_crit *c)
{
    cv_ctx *cx = ck->cx;
    if (c->op == CV_OP_WILDCARD)
        return;
    in->nonwild++;
    desc what_, *what = &what_; /* described only if reported */
    what_.in = in;
    what_.c = c;
    what_.buf[0] = '\0';
    if (c->op > CV_OP_RANGE) { /* CV302 already; the interpreter still reads it */
        if (cx->world->have_fleet)
            check_fleet_criterion(ck, in, c, what);
        return;
    }
    const cv_field *f = field_of(in, c->index);
    const uint64_t *lim = cx->policy->limits;
    bool usable = true;

    if ((c->op == CV_OP_EQUALS || c->op == CV_OP_REGEX) && c->str_ok) {
        bool rx = c->op == CV_OP_REGEX;
        chanval_limit which = rx ? CHANVAL_LIMIT_REGEX_BYTES : CHANVAL_LIMIT_STRING_BYTES;
        if (c->str_len > lim[which]) {
            chanval_diag *d = cv_report(cx, CV120_LIMIT_EXCEEDED, where(cx, c, P_VALUE),
                                        "%s: %s of %" PRIu32 " bytes exceeds the limit of "
                                        "%" PRIu64 " bytes (--%s)",
                                        W(what), rx ? "regex" : "string", c->str_len, lim[which],
                                        chanval_limit_describe(which)->option);
            cv_set_instance(d, in->id, (int32_t)c->index);
            usable = !rx; /* a regex is not compiled: the limit protects chanval too */
        }
    }

    if (f) {
        bool string_op = c->op == CV_OP_EQUALS || c->op == CV_OP_REGEX;
        if ((string_op && f->kind == CV_FIELD_INTEGER) ||
            (c->op == CV_OP_RANGE && f->kind == CV_FIELD_STRING)) {
            chanval_diag *d = cv_report(cx, CV303_OPERATOR_KIND_MISMATCH, where(cx, c, P_OP),
                                        "%s is %s, but the field is %s", W(what), op_article(c->op),
                                        f->kind == CV_FIELD_STRING ? "a string" : "an integer");
            cv_set_instance(d, in->id, (int32_t)c->index);
            cv_note(cx, d, "%s",
                    f->kind == CV_FIELD_STRING ? "compare string fields with equals or regex"
                                               : "compare integer fields with range");
            f = NULL; /* the kind-specific checks below do not apply */
        }
    }

    if (c->op == CV_OP_RANGE) {
        bool neg = (c->flags & CV_FLAG_NEGATE) != 0;
        if (c->min > c->max) {
            chanval_diag *d = cv_report(cx, CV305_EMPTY_RANGE, where(cx, c, P_RANGE),
                                        "%s: range min %" PRId64 " is greater than max %" PRId64,
                                        W(what), c->min, c->max);
            cv_set_instance(d, in->id, (int32_t)c->index);
            cv_note(cx, d, "swap the bounds");
        } else if (f && f->kind == CV_FIELD_INTEGER) {
            bool disjoint = c->max < f->min || c->min > f->max;
            bool covers = c->min <= f->min && c->max >= f->max;
            if (!neg && disjoint) {
                chanval_diag *d = cv_report(cx, CV306_NEVER_MATCHES, where(cx, c, P_RANGE),
                                            "%s: range [%" PRId64 ", %" PRId64 "] is outside "
                                            "the field's values [%" PRId64 ", %" PRId64
                                            "]; the instance never fires",
                                            W(what), c->min, c->max, f->min, f->max);
                cv_set_instance(d, in->id, (int32_t)c->index);
            } else if (neg && covers) {
                chanval_diag *d = cv_report(cx, CV306_NEVER_MATCHES, where(cx, c, P_RANGE),
                                            "%s: negated range [%" PRId64 ", %" PRId64
                                            "] covers all of the field's values [%" PRId64
                                            ", %" PRId64 "]; the instance never fires",
                                            W(what), c->min, c->max, f->min, f->max);
                cv_set_instance(d, in->id, (int32_t)c->index);
            }
        }
    } else if (c->str_ok) {
        if (c->op == CV_OP_EQUALS && f && f->kind == CV_FIELD_STRING &&
            !(c->flags & CV_FLAG_NEGATE) && c->str_len > f->max_length) {
            chanval_diag *d =
                cv_report(cx, CV306_NEVER_MATCHES, where(cx, c, P_VALUE),
                          "%s: equals string of %" PRIu32 " bytes is longer "
                          "than the field's maxLength of %" PRIu32 "; the instance never fires",
                          W(what), c->str_len, f->max_length);
            cv_set_instance(d, in->id, (int32_t)c->index);
        }
        if (c->op == CV_OP_REGEX && usable)
            check_regex(ck, in, c, f, what);
    }
    if (cx->world->have_fleet)
        check_fleet_criterion(ck, in, c, what);
}

void cv_check_instance_end(cv_checker *ck, const cv_inst *in)
{
    if (in->nonwild > 0)
        return;
    bool block = in->action == 3;
    chanval_diag *d = cv_report_sev(
        ck->cx, CV308_MATCH_ALL_INSTANCE, block ? CHANVAL_SEV_ERROR : CHANVAL_SEV_WARNING, in->off,
        "instance %" PRIu32 " has only wildcard criteria: it %s every event of its type", in->id,
        block ? "would block" : "fires on");
    cv_set_instance(d, in->id, -1);
    cv_note(ck->cx, d, "add at least one criterion");
}

void cv_check_file(cv_checker *ck, const cv_tuse *types, size_t ntypes, uint64_t file_size,
                   uint64_t ninstances, size_t size_off, size_t count_off)
{
    cv_ctx *cx = ck->cx;
    const cv_world *w = cx->world;
    if (!w->have_fleet) {
        chanval_diag *d = cv_report(cx, CV409_NO_FLEET, cx->xml ? size_off : 0,
                                    "no fleet manifest given: the fleet rules "
                                    "(CV400-CV404) and CV502 were not checked");
        cv_note(cx, d, "pass the fleet manifest with -f");
        return;
    }
    for (size_t t = 0; t < ntypes; t++) {
        const cv_tuse *u = &types[t];
        if (u->dup || !u->def)
            continue; /* an undefined type is CV300, not a support question */
        size_t k = 0; /* u->sup is sorted by sensor */
        for (size_t s = 0; s < w->nsensors; s++) {
            const cv_sensor *sn = &w->sensors[s];
            while (k < u->nsup && u->sup[k].sensor < s)
                k++;
            if (k >= u->nsup || u->sup[k].sensor != s) {
                chanval_diag *d = cv_report(cx, CV402_TYPE_UNSUPPORTED_BY_SENSOR, u->off,
                                            "sensor %s does not support type %" PRIu32
                                            " v%u: it will ignore this file's instances "
                                            "of that type",
                                            sn->version, u->id, (unsigned)u->version);
                cv_set_sensor(cx, d, sn->version);
                continue;
            }
            uint32_t inputs = u->sup[k].inputs;
            if (u->def && u->def->nfields > inputs) {
                chanval_diag *d = cv_report(
                    cx, CV401_LATENT_INPUT_MISMATCH, u->off,
                    "type %" PRIu32 " v%u declares %" PRIu32 " fields, but sensor %s "
                    "supplies only %" PRIu32 " inputs: criteria at index %" PRIu32
                    " or above must stay wildcard",
                    u->id, (unsigned)u->version, u->def->nfields, sn->version, inputs, inputs);
                cv_set_sensor(cx, d, sn->version);
                cv_note(cx, d,
                        "field \"%s\" (index %" PRIu32 ") is the first this sensor "
                        "does not supply",
                        u->def->fields[inputs].name, inputs);
            }
        }
    }
    /* CV404 by sensor and limit: the size and the count are each their own
     * finding, with their own location (alike in shape by design) */
    for (size_t s = 0; s < w->nsensors; s++) {
        const cv_sensor *sn = &w->sensors[s];
        if (file_size > sn->max_channel_bytes) {
            chanval_diag *d = cv_report(cx, CV404_EXCEEDS_SENSOR_LIMITS, size_off,
                                        "file size %" PRIu64 " bytes exceeds sensor %s's "
                                        "maxChannelBytes of %" PRIu32,
                                        file_size, sn->version, sn->max_channel_bytes);
            cv_set_sensor(cx, d, sn->version);
        }
        if (ninstances > sn->max_instances) {
            chanval_diag *d = cv_report(cx, CV404_EXCEEDS_SENSOR_LIMITS, count_off,
                                        "%" PRIu64 " instances exceed sensor %s's "
                                        "maxInstances of %" PRIu32,
                                        ninstances, sn->version, sn->max_instances);
            cv_set_sensor(cx, d, sn->version);
        }
    }
}

void cv_check_end(cv_checker *ck)
{
    flush_deferred(ck);
    cv_free(ck->deferred);
    cv_idset_free(&ck->ids);
    cv_free(ck->seen);
}
