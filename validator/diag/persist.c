/* persist.c - a finished file's findings as bytes, and back, for the
 * result cache (base/diskcache.h): every field a report prints.  Reading
 * goes through the reader idiom, and every count is checked against the
 * bytes left before anything is allocated: an entry is a file on disk,
 * and only its checksum vouches for it. */
#include "diag/diag.h"
#include "base/alloc.h"
#include "base/reader.h"

#include <string.h>

enum { PERSIST_FORMAT = 1, MIN_DIAG = 2 + 1 + 1 + 8 + 4 + 4 + 1 + 4 + 4 + 1 + 4 + 8 + 8 + 8 + 1 };

static void put_str(cv_buf *b, const char *s)
{
    if (!s) {
        cv_buf_addc(b, 0);
        return;
    }
    size_t n = strlen(s);
    cv_buf_addc(b, 1);
    cv_buf_u32le(b, n > UINT32_MAX ? UINT32_MAX : (uint32_t)n);
    cv_buf_add(b, s, n > UINT32_MAX ? UINT32_MAX : n);
}

int cv_file_persist(const chanval_file *f, cv_buf *out)
{
    cv_buf_u32le(out, PERSIST_FORMAT);
    cv_buf_addc(out, (char)f->kind);
    cv_buf_u64le(out, f->errors);
    cv_buf_u64le(out, f->warnings);
    cv_buf_u64le(out, f->suppressed);
    cv_buf_u64le(out, f->dropped);
    cv_buf_u64le(out, f->dropped_errors);
    cv_buf_u64le(out, f->dropped_warnings);
    cv_buf_add(out, f->seen.bits, sizeof f->seen.bits);
    cv_buf_u64le(out, f->ndiags);
    for (size_t i = 0; i < f->ndiags; i++) {
        const chanval_diag *d = &f->diags[i];
        cv_buf_u16le(out, d->rule);
        cv_buf_addc(out, (char)d->severity);
        cv_buf_addc(out, (char)d->loc_kind);
        cv_buf_u64le(out, d->offset);
        cv_buf_u32le(out, d->line);
        cv_buf_u32le(out, d->column);
        cv_buf_addc(out, d->has_instance ? 1 : 0);
        cv_buf_u32le(out, d->instance);
        cv_buf_u32le(out, (uint32_t)d->criterion);
        cv_buf_addc(out, (char)d->regex_class);
        cv_buf_u32le(out, d->degree);
        cv_buf_u64le(out, d->witness_length);
        cv_buf_u64le(out, d->steps);
        cv_buf_u64le(out, d->budget);
        cv_buf_addc(out, (char)d->suppressed);
        const char *strs[] = {d->sensor,         d->message,      d->note,
                              d->witness_prefix, d->witness_pump, d->witness_suffix,
                              d->key,            d->fingerprint,  d->suppress_reason};
        for (size_t k = 0; k < sizeof strs / sizeof *strs; k++)
            put_str(out, strs[k]);
    }
    return out->oom ? -1 : 0;
}

/* A string of the entry into f's arena; *s NULL when absent. */
static bool get_str(cv_reader *r, chanval_file *f, const char **s)
{
    uint8_t present;
    uint32_t n;
    *s = NULL;
    if (!cv_u8(r, &present) || present > 1)
        return false;
    if (!present)
        return true;
    const uint8_t *p;
    if (!cv_u32le(r, &n) || !(p = cv_bytes(r, n)) || memchr(p, 0, n))
        return false;
    *s = cv_arena_strndup(&f->arena, (const char *)p, n);
    return *s != NULL;
}

static bool get_size(cv_reader *r, size_t *v)
{
    uint64_t x;
    if (!cv_u64le(r, &x) || x > SIZE_MAX)
        return false;
    *v = (size_t)x;
    return true;
}

static bool get_diag(cv_reader *r, chanval_file *f, chanval_diag *d)
{
    uint8_t sev, loc, has, cls, supp;
    uint32_t crit;
    bool ok = cv_u16le(r, &d->rule) && cv_u8(r, &sev) && cv_u8(r, &loc) &&
              cv_u64le(r, &d->offset) && cv_u32le(r, &d->line) && cv_u32le(r, &d->column) &&
              cv_u8(r, &has) && cv_u32le(r, &d->instance) && cv_u32le(r, &crit) &&
              cv_u8(r, &cls) && cv_u32le(r, &d->degree) && cv_u64le(r, &d->witness_length) &&
              cv_u64le(r, &d->steps) && cv_u64le(r, &d->budget) && cv_u8(r, &supp);
    if (!ok || sev > CHANVAL_SEV_ERROR || loc > CHANVAL_LOC_LINE || has > 1 ||
        cls > CHANVAL_REGEX_EXPONENTIAL || supp > CHANVAL_SUPPRESS_BASELINE || d->rule >= CV_MAX_RULE)
        return false;
    d->severity = (chanval_severity)sev;
    d->loc_kind = (chanval_loc_kind)loc;
    d->has_instance = has;
    d->criterion = (int32_t)crit;
    d->regex_class = (chanval_regex_class)cls;
    d->suppressed = (chanval_suppression)supp;
    const char **strs[] = {&d->sensor,         &d->message,      &d->note,
                           &d->witness_prefix, &d->witness_pump, &d->witness_suffix,
                           &d->key,            &d->fingerprint,  &d->suppress_reason};
    for (size_t k = 0; k < sizeof strs / sizeof *strs; k++)
        if (!get_str(r, f, strs[k]))
            return false;
    return d->message != NULL;
}

bool cv_file_restore(chanval_file *f, const uint8_t *p, size_t n)
{
    /* read into a copy of the counts, and into f only once all of the
     * record has read back: a refused record leaves f as it was */
    cv_reader r = cv_reader_make(p, n);
    chanval_file c = {.kind = f->kind};
    uint32_t format;
    uint8_t kind;
    size_t nd;
    const uint8_t *seen;
    /* an XML file's kind is told by its root, once parsed: any XML kind
     * for an XML entry, a channel file for a channel file */
    if (!cv_u32le(&r, &format) || format != PERSIST_FORMAT || !cv_u8(&r, &kind) ||
        kind > CHANVAL_KIND_XML ||
        (kind == CHANVAL_KIND_CHANNEL) != (f->kind == CHANVAL_KIND_CHANNEL) ||
        !get_size(&r, &c.errors) || !get_size(&r, &c.warnings) ||
        !get_size(&r, &c.suppressed) || !cv_u64le(&r, &c.dropped) ||
        !get_size(&r, &c.dropped_errors) || !get_size(&r, &c.dropped_warnings) ||
        !(seen = cv_bytes(&r, sizeof f->seen.bits)) || !get_size(&r, &nd) ||
        nd > cv_remaining(&r) / MIN_DIAG)
        return false;
    chanval_diag *d = nd ? cv_calloc(nd, sizeof *d) : NULL;
    if (nd && !d)
        return false;
    for (size_t i = 0; i < nd; i++)
        if (!get_diag(&r, f, &d[i])) {
            cv_free(d);
            return false;
        }
    if (cv_remaining(&r) != 0) {
        cv_free(d);
        return false;
    }
    f->kind = (chanval_kind)kind;
    f->errors = c.errors;
    f->warnings = c.warnings;
    f->suppressed = c.suppressed;
    f->dropped = c.dropped;
    f->dropped_errors = c.dropped_errors;
    f->dropped_warnings = c.dropped_warnings;
    memcpy(f->seen.bits, seen, sizeof f->seen.bits);
    cv_free(f->diags);
    f->diags = d;
    f->ndiags = f->diags_cap = nd;
    return true;
}
