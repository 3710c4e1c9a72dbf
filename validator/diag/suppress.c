/* suppress.c - finishing a file's findings: stable fingerprints, inline
 * suppressions, the baseline, and the counts that decide the exit status. */
#include "base/alloc.h"
#include "base/idset.h"
#include "diag/diag.h"
#include "diag/rules.h"
#include "base/sha.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* "./a/b" and "a/b" name the same file in a baseline. */
static const char *normal_path(const char *p)
{
    while (p[0] == '.' && p[1] == '/')
        p += 2;
    return p;
}

/* What identifies a finding, before its occurrence number. */
static void material(cv_buf *b, const chanval_file *f, const chanval_diag *d)
{
    b->len = 0;
    cv_buf_printf(b, "CV%03u\x1f%s\x1f%s\x1f%" PRId64 "\x1f%" PRId32 "\x1f%s", d->rule,
                  normal_path(f->path), d->key ? d->key : "",
                  d->has_instance ? (int64_t)d->instance : -1, d->criterion,
                  d->sensor ? d->sensor : "");
}

static uint64_t fingerprint_value(const char *hex16)
{
    uint64_t v = 0;
    for (int i = 0; i < 16; i++) {
        char c = hex16[i];
        v = v << 4 | (uint64_t)(c <= '9' ? c - '0' : c - 'a' + 10);
    }
    return v ? v : 1; /* 0 is the idset's empty key */
}

uint64_t cv_fingerprint_number(const char *hex16) { return fingerprint_value(hex16); }

static int fingerprints(chanval_file *f)
{
    cv_buf b = {0};
    cv_idset seen = {0};
    int rc = 0;
    for (size_t i = 0; i < f->ndiags && rc == 0; i++) {
        chanval_diag *d = &f->diags[i];
        material(&b, f, d);
        if (b.oom) {
            rc = -1;
            break;
        }
        /* the nth finding with the same content, in location order */
        uint64_t n = 0;
        uint64_t h = cv_hash_bytes(b.data, b.len);
        cv_idset_get(&seen, h, &n);
        if (cv_idset_set(&seen, h, n + 1) < 0) {
            rc = -1;
            break;
        }
        cv_buf_printf(&b, "\x1f%" PRIu64, n);
        uint8_t md[32];
        if (b.oom || !cv_sha256(&(cv_span){b.data, b.len}, 1, md)) {
            rc = -1;
            break;
        }
        char *hex = cv_arena_alloc(&f->arena, 17);
        if (!hex) {
            rc = -1;
            break;
        }
        for (int k = 0; k < 8; k++)
            snprintf(hex + 2 * (size_t)k, 3, "%02x", md[k]);
        d->fingerprint = hex;
    }
    cv_buf_free(&b);
    cv_idset_free(&seen);
    return rc;
}

static void apply_inline(chanval_file *f)
{
    for (size_t i = 0; i < f->ndiags; i++) {
        chanval_diag *d = &f->diags[i];
        if (d->suppressed || d->loc_kind != CHANVAL_LOC_LINE || d->offset == UINT64_MAX ||
            !cv_rule_suppressible(d->rule))
            continue;
        for (size_t k = 0; k < f->nsupp; k++) {
            const cv_supp_range *r = &f->supp[k];
            if (d->offset >= r->start && d->offset < r->end &&
                cv_rule_set_has(&r->rules, d->rule)) {
                d->suppressed = CHANVAL_SUPPRESS_INLINE;
                d->suppress_reason = r->reason;
                break;
            }
        }
    }
}

static void apply_baseline(const cv_policy *p, chanval_file *f)
{
    if (!p->have_baseline)
        return;
    for (size_t i = 0; i < f->ndiags; i++) {
        chanval_diag *d = &f->diags[i];
        if (!d->suppressed && d->fingerprint && cv_rule_suppressible(d->rule) &&
            cv_idset_get(&p->baseline, fingerprint_value(d->fingerprint), NULL))
            d->suppressed = CHANVAL_SUPPRESS_BASELINE;
    }
}

int cv_file_finish(const cv_policy *p, chanval_file *f)
{
    if (cv_sort_diags(f) != 0 || fingerprints(f) != 0)
        return -1;
    apply_inline(f);
    apply_baseline(p, f);
    f->errors = f->dropped_errors;
    f->warnings = f->dropped_warnings;
    f->suppressed = 0;
    for (size_t i = 0; i < f->ndiags; i++) {
        chanval_diag *d = &f->diags[i];
        /* The last word, whatever any path above decided: a finding that
         * means the file cannot be read or would crash the endpoint
         * (CV400) is never suppressed. */
        if (d->suppressed && !cv_rule_suppressible(d->rule))
            d->suppressed = CHANVAL_SUPPRESS_NONE;
        if (d->suppressed)
            f->suppressed++;
        else if (d->severity == CHANVAL_SEV_ERROR)
            f->errors++;
        else
            f->warnings++;
    }
    return 0;
}

/* ---- <?chanval suppress="CV401 CV306" reason="..."?> -------------------- */

static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/* Next pseudo-attribute name="value" of a processing instruction. */
static bool pseudo_attr(const char **p, const char **name, size_t *nlen, const char **val,
                        size_t *vlen)
{
    const char *s = *p;
    while (is_space(*s))
        s++;
    if (!*s)
        return false;
    *name = s;
    while ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z'))
        s++;
    *nlen = (size_t)(s - *name);
    while (is_space(*s))
        s++;
    if (*nlen == 0 || *s++ != '=')
        return false;
    while (is_space(*s))
        s++;
    char q = *s++;
    if (q != '"' && q != '\'')
        return false;
    *val = s;
    while (*s && *s != q)
        s++;
    if (*s != q)
        return false;
    *vlen = (size_t)(s - *val);
    *p = s + 1;
    return true;
}

bool cv_supp_parse(cv_ctx *cx, size_t at, const char *data, cv_supp_range *out)
{
    *out = (cv_supp_range){.start = SIZE_MAX, .at = at};
    const char *p = data, *name, *val, *rules = NULL, *reason = NULL;
    size_t nlen, vlen, rules_len = 0, reason_len = 0;
    while (pseudo_attr(&p, &name, &nlen, &val, &vlen)) {
        if (nlen == 8 && memcmp(name, "suppress", 8) == 0) {
            rules = val;
            rules_len = vlen;
        } else if (nlen == 6 && memcmp(name, "reason", 6) == 0) {
            reason = val;
            reason_len = vlen;
        } else {
            cv_report(cx, CV202_XML_SCHEMA_VIOLATION, at,
                      "<?chanval?> takes suppress= and reason=, not %.*s=", (int)nlen, name);
            return false;
        }
    }
    while (is_space(*p))
        p++;
    if (*p) {
        cv_report(cx, CV202_XML_SCHEMA_VIOLATION, at,
                  "<?chanval?> is not of the form suppress=\"CVnnn ...\" reason=\"...\"");
        return false;
    }
    while (reason && reason_len > 0 && is_space(reason[reason_len - 1]))
        reason_len--;
    if (!rules || !reason || reason_len == 0) {
        chanval_diag *d =
            cv_report(cx, CV202_XML_SCHEMA_VIOLATION, at, "<?chanval?> needs %s",
                      !rules ? "suppress=\"CVnnn ...\"" : "a non-empty reason=\"...\"");
        cv_note(cx, d,
                "a suppression says which rules and why: "
                "<?chanval suppress=\"CV306\" reason=\"...\"?>");
        return false;
    }
    bool any = false;
    for (size_t i = 0; i < rules_len;) {
        while (i < rules_len && (is_space(rules[i]) || rules[i] == ','))
            i++;
        size_t j = i;
        while (j < rules_len && !is_space(rules[j]) && rules[j] != ',')
            j++;
        if (j == i)
            break;
        char id[16];
        snprintf(id, sizeof id, "%.*s", (int)(j - i), rules + i);
        const chanval_rule *r = chanval_rule_find(id);
        if (!r) {
            cv_report(cx, CV202_XML_SCHEMA_VIOLATION, at,
                      "<?chanval suppress?> names %s, which is not a rule", id);
            return false;
        }
        if (!cv_rule_suppressible(r->id)) {
            chanval_diag *d = cv_report(cx, CV202_XML_SCHEMA_VIOLATION, at,
                                        "CV%03u cannot be suppressed", (unsigned)r->id);
            cv_note(cx, d,
                    "findings that mean the file cannot be read, or that it would "
                    "crash an endpoint (CV1xx, CV200-CV203, CV400), are never suppressed");
            return false;
        }
        cv_rule_set_add(&out->rules, r->id);
        any = true;
        i = j;
    }
    if (!any) {
        cv_report(cx, CV202_XML_SCHEMA_VIOLATION, at, "<?chanval suppress?> names no rule");
        return false;
    }
    out->reason = cv_arena_strndup(&cx->f->arena, reason, reason_len);
    if (!out->reason)
        cx->oom = true;
    return out->reason != NULL;
}
