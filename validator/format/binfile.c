/* binfile.c - the channel file container: header, section table, sections,
 * TYPES, and the walk over INSTANCES.  Every read goes through cv_reader;
 * every offset and length is treated as hostile. */
#include "format/binfile.h"
#include "diag/rules.h"
#include "base/alloc.h"
#include "base/sha.h"
#include "base/utf8.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *cv_section_name(uint32_t kind)
{
    static const char *const names[] = {"?", "STRINGS", "TYPES", "INSTANCES"};
    return kind >= 1 && kind <= 3 ? names[kind] : NULL;
}

static const char *sec_name(uint32_t kind)
{
    const char *name = cv_section_name(kind);
    return name ? name : "unknown";
}

static const uint8_t zeros[32];

bool cv_channel_digest(const uint8_t *data, size_t len, uint8_t out[32])
{
    if (len < CV_HEADER_SIZE)
        return false;
    cv_span parts[3] = {{data, 48}, {zeros, 32}, {data + 80, len - 80}};
    return cv_sha256(parts, 3, out);
}

static void hex(char *out, const uint8_t *p, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[p[i] >> 4];
        out[2 * i + 1] = digits[p[i] & 15];
    }
    out[2 * n] = '\0';
}

static void check_digest(cv_ctx *cx, const uint8_t *data, cv_sha_job *job)
{
    uint8_t want[32];
    if (!cv_sha_finish(job, want)) {
        cx->oom = true;
    } else if (memcmp(want, data + 48, 32) != 0) {
        char got_hex[65], want_hex[65];
        hex(got_hex, data + 48, 32);
        hex(want_hex, want, 32);
        chanval_diag *d =
            cv_report(cx, CV107_DIGEST_MISMATCH, 48,
                      "SHA-256 in the header is %s, but the file's is %s", got_hex, want_hex);
        cv_note(cx, d, "the bytes changed after packing; re-pack from the source");
    }
}

/* ---- header ----------------------------------------------------------- */

static bool all_zero(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i])
            return false;
    return true;
}

static bool check_magic(cv_ctx *cx, const uint8_t *data, size_t len)
{
    if (len >= 4 && memcmp(data, "CHNL", 4) == 0)
        return true;
    chanval_diag *d;
    if (len == 0) {
        d = cv_report(cx, CV101_BAD_MAGIC, 0,
                      "the file is empty; a channel file starts with the magic \"CHNL\"");
    } else if (all_zero(data, len)) {
        d = cv_report(cx, CV101_BAD_MAGIC, 0,
                      "the file is all zero bytes (%zu bytes): no magic \"CHNL\"; the "
                      "file was never written or was zero-filled",
                      len);
    } else if (len < 4) {
        d = cv_report(cx, CV101_BAD_MAGIC, 0,
                      "the file has only %zu byte%s; a channel file starts with the "
                      "4-byte magic \"CHNL\"",
                      len, len == 1 ? "" : "s");
    } else if ((data[0] == 0xFF && data[1] == 0xFE) || (data[0] == 0xFE && data[1] == 0xFF)) {
        d = cv_report(cx, CV101_BAD_MAGIC, 0,
                      "the file starts with a UTF-16 byte order mark, not the magic "
                      "\"CHNL\"; XML documents must be UTF-8");
    } else {
        d = cv_report(cx, CV101_BAD_MAGIC, 0,
                      "magic is %02x %02x %02x %02x (%s), expected 43 48 4e 4c (\"CHNL\")", data[0],
                      data[1], data[2], data[3], cv_quote(cx, 0, data, 4, 4));
    }
    cv_note(cx, d, "this is not a channel file; check which file was picked up");
    return false;
}

static bool check_header(cv_ctx *cx, cv_bin *b)
{
    const uint64_t *lim = cx->policy->limits;
    cv_reader r = cv_reader_make(b->data, b->len);
    uint16_t major = 0, minor = 0;
    uint32_t header_size = 0, flags = 0, count = 0, table_off = 0, reserved = 0;
    if (!cv_skip(&r, 4) || !cv_u16le(&r, &major) || !cv_u16le(&r, &minor) ||
        !cv_u32le(&r, &header_size) || !cv_u32le(&r, &flags) || !cv_u32le(&r, &b->channel_id) ||
        !cv_u32le(&r, &count) || !cv_u64le(&r, &b->content_version) ||
        !cv_u64le(&r, &b->file_size) || !cv_u32le(&r, &table_off) || !cv_u32le(&r, &reserved))
        return false; /* unreachable: the caller proved 80 bytes */

    if (major != 1) {
        cv_report(cx, CV102_UNSUPPORTED_MAJOR_VERSION, 4,
                  "format_major is %u; this validator reads version 1 files", major);
        return false;
    }
    if (minor > 0) {
        chanval_diag *d = cv_report(cx, CV103_NEWER_MINOR_VERSION, 6,
                                    "format_minor is %u (version 1.%u); checked with the "
                                    "version 1.0 rules",
                                    minor, minor);
        cv_note(cx, d, "sensors that know only 1.0 ignore what 1.%u adds", minor);
    }
    if (header_size != CV_HEADER_SIZE) {
        cv_report(cx, CV104_BAD_HEADER_SIZE, 8, "header_size is %" PRIu32 ", expected 80",
                  header_size);
        return false;
    }
    if (flags != 0)
        cv_report(cx, CV105_RESERVED_NONZERO, 12,
                  "header flags are 0x%08" PRIx32 "; all bits are reserved and must be 0", flags);
    if (b->file_size != b->len) {
        chanval_diag *d;
        if (b->file_size > b->len)
            d = cv_report(cx, CV106_FILE_SIZE_MISMATCH, 32,
                          "header file_size is %" PRIu64 " but the file has %zu bytes: "
                          "truncated by %" PRIu64 " bytes",
                          b->file_size, b->len, b->file_size - b->len);
        else
            d = cv_report(cx, CV106_FILE_SIZE_MISMATCH, 32,
                          "header file_size is %" PRIu64 " but the file has %zu bytes: "
                          "%" PRIu64 " bytes appended",
                          b->file_size, b->len, (uint64_t)b->len - b->file_size);
        cv_note(cx, d, "fetch or re-pack the file; do not ship it");
    }
    if (reserved != 0)
        cv_report(cx, CV105_RESERVED_NONZERO, 44,
                  "header reserved field at offset 44 is 0x%08" PRIx32 ", must be 0", reserved);
    b->digest_due = b->file_size == b->len; /* else CV106 says it all */
    if (count == 0 || count > lim[CHANVAL_LIMIT_SECTIONS]) {
        chanval_diag *d = cv_report(cx, CV108_BAD_SECTION_TABLE, 20,
                                    "section_count is %" PRIu32 "; it must be 1..%" PRIu64, count,
                                    lim[CHANVAL_LIMIT_SECTIONS]);
        if (count != 0)
            cv_note(cx, d, "the limit is set by --max-sections");
        return false;
    }
    if (table_off != header_size) {
        cv_report(cx, CV108_BAD_SECTION_TABLE, 40,
                  "section_table_offset is %" PRIu32 ", expected the header size 80", table_off);
        return false;
    }
    if ((uint64_t)count * CV_SECTION_ENTRY > b->len - CV_HEADER_SIZE) {
        cv_report(cx, CV108_BAD_SECTION_TABLE, 40,
                  "the section table of %" PRIu32 " entries (%" PRIu64 " bytes at offset 80) "
                  "does not fit in the file of %zu bytes",
                  count, (uint64_t)count * CV_SECTION_ENTRY, b->len);
        return false;
    }
    b->section_count = count;
    return true;
}

/* ---- sections --------------------------------------------------------- */

typedef struct interval {
    uint64_t start, end;
    size_t entry;  /* table entry offset; 0 for header/table */
    uint32_t kind; /* 0 header, 4 table, else the section kind */
} interval;

static int cmp_interval(const void *a, const void *b)
{
    const interval *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return x->entry < y->entry ? -1 : x->entry > y->entry;
}

static void describe(char *out, size_t n, const interval *iv)
{
    if (iv->kind == 0)
        snprintf(out, n, "the header");
    else if (iv->kind == 4)
        snprintf(out, n, "the section table");
    else
        snprintf(out, n, "section %zu (%s)", (iv->entry - CV_HEADER_SIZE) / CV_SECTION_ENTRY,
                 sec_name(iv->kind));
}

/* The section table as it is read: the intervals the file's bytes
 * belong to (header, table, sections), and what the entries said. */
typedef struct sections {
    interval *iv;
    size_t niv;
    bool placement_ok;
    bool misplaced[4]; /* by kind: CV109 */
} sections;

/* One table entry at e (index i): CV105, CV112, CV109, CV113; the section
 * joins b and the intervals when it is placed within the file. */
static void section_entry(cv_ctx *cx, cv_bin *b, sections *st, const cv_reader *file, size_t e,
                          uint32_t i, const uint32_t f[4], uint64_t bound)
{
    uint32_t kind = f[0], off = f[1], size = f[2], reserved = f[3];
    if (reserved != 0)
        cv_report(cx, CV105_RESERVED_NONZERO, e + 12,
                  "section %" PRIu32 " reserved field is 0x%08" PRIx32 ", must be 0", i, reserved);
    if (kind < 1 || kind > 3) {
        chanval_diag *d = cv_report(cx, CV112_UNKNOWN_SECTION_KIND, e,
                                    "section %" PRIu32 " has unknown kind %" PRIu32, i, kind);
        cv_note(cx, d, "kinds are 1 STRINGS, 2 TYPES, 3 INSTANCES");
    }
    uint64_t end = (uint64_t)off + size;
    if (off % 4 != 0 || end > bound) {
        if (off % 4 != 0)
            cv_report(cx, CV109_SECTION_OUT_OF_BOUNDS, e + 4,
                      "section %" PRIu32 " (%s) offset 0x%" PRIx32 " is not a multiple of 4", i,
                      sec_name(kind), off);
        else
            cv_report(cx, CV109_SECTION_OUT_OF_BOUNDS, e + 4,
                      "section %" PRIu32 " (%s) [0x%" PRIx32 ", 0x%" PRIx64 ") ends past the end "
                      "of the file (%" PRIu64 " bytes)",
                      i, sec_name(kind), off, end, bound);
        st->placement_ok = false;
        if (kind >= 1 && kind <= 3)
            st->misplaced[kind] = true;
        return;
    }
    if (kind >= 1 && kind <= 3) {
        if (b->have[kind]) {
            chanval_diag *d = cv_report(cx, CV113_SECTION_MULTIPLICITY, e,
                                        "section %" PRIu32 " is a second %s section; the "
                                        "first is section %zu",
                                        i, sec_name(kind),
                                        (b->sec_entry[kind] - CV_HEADER_SIZE) / CV_SECTION_ENTRY);
            cv_note(cx, d, "each of STRINGS, TYPES and INSTANCES appears exactly once");
        } else {
            b->have[kind] = true;
            b->sec_entry[kind] = e;
            cv_window(file, off, size, &b->sec[kind]);
        }
    }
    if (size > 0)
        st->iv[st->niv++] = (interval){off, end, e, kind >= 1 && kind <= 3 ? kind : 5};
}

/* CV110: intervals (sorted) that overlap. */
static void check_overlaps(cv_ctx *cx, sections *st)
{
    const interval *iv = st->iv;
    size_t reach = 0; /* interval reaching furthest so far */
    for (size_t i = 1; i < st->niv; i++) {
        if (iv[i].start < iv[reach].end) {
            char a[64], c[64];
            describe(a, sizeof a, &iv[i]);
            describe(c, sizeof c, &iv[reach]);
            cv_report(cx, CV110_SECTION_OVERLAP, iv[i].entry ? iv[i].entry + 4 : 0,
                      "%s [0x%" PRIx64 ", 0x%" PRIx64 ") overlaps %s [0x%" PRIx64 ", 0x%" PRIx64
                      ")",
                      a, iv[i].start, iv[i].end, c, iv[reach].start, iv[reach].end);
            st->placement_ok = false;
        }
        if (iv[i].end > iv[reach].end)
            reach = i;
    }
}

/* CV111: bytes that belong to nothing between the (sorted, disjoint)
 * intervals: more than 3 bytes of padding, padding that is not zero, or
 * trailing data. */
static void check_gaps(cv_ctx *cx, const cv_bin *b, const sections *st, uint64_t bound)
{
    const interval *iv = st->iv;
    uint64_t cur = 0;
    for (size_t i = 0; i < st->niv; i++) {
        if (iv[i].start > cur) {
            uint64_t gap = iv[i].start - cur;
            char a[64];
            describe(a, sizeof a, &iv[i]);
            if (gap >= 4) {
                cv_report(cx, CV111_STRAY_BYTES, (size_t)cur,
                          "%" PRIu64 " bytes at 0x%" PRIx64 " before %s belong to nothing "
                          "(padding is at most 3 bytes)",
                          gap, cur, a);
            } else {
                for (uint64_t k = cur; k < iv[i].start; k++)
                    if (b->data[k] != 0) {
                        cv_report(cx, CV111_STRAY_BYTES, (size_t)k,
                                  "padding byte at 0x%" PRIx64 " before %s is 0x%02x, must be 0", k,
                                  a, b->data[k]);
                        break;
                    }
            }
        }
        if (iv[i].end > cur)
            cur = iv[i].end;
    }
    if (cur < bound) {
        chanval_diag *d =
            cv_report(cx, CV111_STRAY_BYTES, (size_t)cur,
                      "%" PRIu64 " bytes of trailing data at 0x%" PRIx64 " after the last section",
                      bound - cur, cur);
        cv_note(cx, d, "the file must end where its last section ends");
    }
}

static bool check_sections(cv_ctx *cx, cv_bin *b)
{
    uint32_t count = b->section_count;
    uint64_t bound = b->file_size < b->len ? b->file_size : b->len;
    size_t table_end = CV_HEADER_SIZE + (size_t)count * CV_SECTION_ENTRY;
    sections st = {.iv = cv_calloc((size_t)count + 2, sizeof *st.iv), .placement_ok = true};
    if (!st.iv) {
        cx->oom = true;
        return false;
    }
    st.iv[st.niv++] = (interval){0, CV_HEADER_SIZE, 0, 0};
    st.iv[st.niv++] = (interval){CV_HEADER_SIZE, table_end, 0, 4};
    cv_reader file = cv_reader_make(b->data, b->len);
    cv_reader r = cv_reader_make(b->data, 0);
    cv_window(&file, CV_HEADER_SIZE, table_end - CV_HEADER_SIZE, &r);
    for (uint32_t i = 0; i < count; i++) {
        size_t e = r.pos;
        uint32_t f[4];
        if (!cv_u32le(&r, &f[0]) || !cv_u32le(&r, &f[1]) || !cv_u32le(&r, &f[2]) ||
            !cv_u32le(&r, &f[3]))
            break;
        section_entry(cx, b, &st, &file, e, i, f, bound);
    }
    for (uint32_t k = 1; k <= 3; k++)
        if (!b->have[k] && !st.misplaced[k]) { /* a misplaced one is CV109's */
            chanval_diag *d = cv_report(cx, CV113_SECTION_MULTIPLICITY, CV_HEADER_SIZE,
                                        "the section table has no %s section", sec_name(k));
            cv_note(cx, d, "each of STRINGS, TYPES and INSTANCES appears exactly once");
        }
    /* Overlaps, then what lies between: one sweep over the sorted intervals. */
    qsort(st.iv, st.niv, sizeof *st.iv, cmp_interval);
    check_overlaps(cx, &st);
    if (st.placement_ok)
        check_gaps(cx, b, &st, bound);
    cv_free(st.iv);
    return true;
}

/* ---- TYPES ------------------------------------------------------------ */

static void check_types(cv_ctx *cx, cv_bin *b)
{
    if (!b->have[CV_SEC_TYPES])
        return;
    const cv_world *w = cx->world;
    cv_reader r = b->sec[CV_SEC_TYPES];
    size_t start = r.pos, size = cv_remaining(&r);
    uint32_t count = 0;
    if (!cv_u32le(&r, &count)) {
        cv_report(cx, CV116_TYPES_TABLE_MALFORMED, start,
                  "the TYPES section has %zu bytes, too few for its count", size);
        return;
    }
    uint64_t need = 4 + 8 * (uint64_t)count;
    if (need != size)
        cv_report(cx, CV116_TYPES_TABLE_MALFORMED, start,
                  "TYPES count %" PRIu32 " needs 4 + 8*%" PRIu32 " = %" PRIu64 " bytes, but the "
                  "section has %zu",
                  count, count, need, size);
    size_t avail = (size - 4) / 8 < count ? (size - 4) / 8 : count;
    size_t keep = avail < CV_MAX_TYPE_ENTRIES ? avail : CV_MAX_TYPE_ENTRIES;
    b->types = cv_calloc(keep ? keep : 1, sizeof *b->types);
    if (!b->types) {
        cx->oom = true;
        return;
    }
    b->ntypes = keep;
    cv_idset seen = {0};
    const uint64_t max_fields = cx->policy->limits[CHANVAL_LIMIT_FIELDS];
    for (size_t i = 0; i < avail; i++) {
        size_t e = r.pos;
        cv_tuse t = {.off = e};
        uint16_t fc = 0;
        if (!cv_u32le(&r, &t.id) || !cv_u16le(&r, &t.version) || !cv_u16le(&r, &fc))
            break;
        t.field_count = fc;
        cv_tuse_resolve(w, &t);
        uint64_t prev = 0;
        /* Past the addressable entries only known types are tracked, so
         * memory stays bounded by the world, not by the file. */
        int put = (i < CV_MAX_TYPE_ENTRIES || t.def)
                      ? cv_idset_put(&seen, cv_type_key(t.id, t.version) + 1, i, &prev)
                      : 1;
        if (put < 0) {
            cx->oom = true;
            break;
        }
        if (put == 0) {
            chanval_diag *d =
                cv_report(cx, CV310_DUPLICATE_TYPE_ENTRY, e,
                          "TYPES entry %zu repeats type %" PRIu32 " v%u of entry %" PRIu64, i, t.id,
                          (unsigned)t.version, prev);
            cv_note(cx, d, "list each type once and point every instance at it");
            t.dup = true;
        }
        if (!t.def) {
            chanval_diag *d = cv_report(cx, CV300_UNKNOWN_TEMPLATE_TYPE, e,
                                        "TYPES entry %zu names type %" PRIu32 " v%u, which the "
                                        "template types do not define",
                                        i, t.id, (unsigned)t.version);
            if (w->ntypes == 0)
                cv_note(cx, d, "no template types were given: pass them with -t");
        } else if (t.field_count != t.def->nfields) {
            cv_report(cx, CV301_FIELD_COUNT_MISMATCH, e + 6,
                      "TYPES entry %zu (type %" PRIu32 " v%u) has field_count %" PRIu32
                      ", but the type defines %" PRIu32 " fields",
                      i, t.id, (unsigned)t.version, t.field_count, t.def->nfields);
        }
        if (fc > max_fields)
            cv_report(cx, CV213_FIELD_COUNT_OUT_OF_RANGE, e + 6,
                      "TYPES entry %zu has field_count %u, more than the limit of %" PRIu64
                      " (--max-fields)",
                      i, (unsigned)fc, max_fields);
        if (i < keep)
            b->types[i] = t;
    }
    cv_idset_free(&seen);
}

bool cv_bin_open(cv_ctx *cx, const uint8_t *data, size_t len, cv_bin *b)
{
    *b = (cv_bin){.data = data, .len = len};
    if (!check_magic(cx, data, len))
        return false;
    if (len < CV_HEADER_SIZE) {
        cv_report(cx, CV100_TRUNCATED_HEADER, 0,
                  "the file has %zu bytes, fewer than the 80-byte header", len);
        return false;
    }
    if (!check_header(cx, b) || !check_sections(cx, b))
        return false;
    check_types(cx, b);
    return true;
}

void cv_bin_close(cv_bin *b)
{
    cv_free(b->types);
    b->types = NULL;
}

/* ---- INSTANCES -------------------------------------------------------- */

/* Decode one criterion, reporting what only the binary form can get wrong;
 * returns false only when its bytes cannot be read. */
/* Strings already found valid, by (offset, length): packed files share
 * strings between criteria, and validating each reference again costs. */
enum { UTF8_MEMO = 1024 };
typedef struct utf8_memo {
    uint32_t off, len; /* len 0: empty slot (an empty string needs no check) */
} utf8_memo;

/* The criterion decoders report each field that is wrong as a finding of
 * its own, at that field's offset and naming the instance and criterion
 * (alike in shape by design). */

/* A WILDCARD takes no flags and a zero payload. */
static void decode_wildcard(cv_ctx *cx, const cv_inst *in, size_t at, uint32_t index, uint8_t flags,
                            const cv_reader *payload)
{
    if (flags != 0) {
        chanval_diag *d = cv_report(cx, CV304_BAD_FLAGS, at + 1,
                                    "instance %" PRIu32 " criterion %" PRIu32 " is a "
                                    "wildcard with flags 0x%02x; a wildcard takes none",
                                    in->id, index, flags);
        cv_set_instance(d, in->id, (int32_t)index);
    }
    const uint8_t *p = payload->buf + payload->pos;
    if (!all_zero(p, 16)) {
        size_t k = 0;
        while (p[k] == 0)
            k++;
        chanval_diag *d = cv_report(cx, CV105_RESERVED_NONZERO, at + 4 + k,
                                    "instance %" PRIu32 " criterion %" PRIu32 " is a "
                                    "wildcard with a non-zero payload",
                                    in->id, index);
        cv_set_instance(d, in->id, (int32_t)index);
    }
}

/* A RANGE: two i64, and no case-insensitive flag. */
static void decode_range(cv_ctx *cx, const cv_inst *in, size_t at, cv_reader *payload, cv_crit *c)
{
    cv_i64le(payload, &c->min);
    cv_i64le(payload, &c->max);
    if (c->flags & CV_FLAG_CASELESS) {
        chanval_diag *d = cv_report(cx, CV304_BAD_FLAGS, at + 1,
                                    "instance %" PRIu32 " criterion %" PRIu32 " is a range "
                                    "with the case-insensitive flag",
                                    in->id, c->index);
        cv_set_instance(d, in->id, (int32_t)c->index);
    }
}

/* The string of an EQUALS or REGEX: within STRINGS, valid UTF-8, no NUL
 * (each distinct (offset, length) checked once: memo). */
static void decode_string(cv_ctx *cx, const cv_bin *b, const cv_inst *in, size_t at,
                          cv_reader *payload, cv_crit *c, utf8_memo *memo)
{
    uint32_t index = c->index;
    uint32_t soff = 0, slen = 0;
    uint64_t sres = 0;
    cv_u32le(payload, &soff);
    cv_u32le(payload, &slen);
    cv_u64le(payload, &sres);
    if (sres != 0) {
        chanval_diag *d = cv_report(cx, CV105_RESERVED_NONZERO, at + 12,
                                    "instance %" PRIu32 " criterion %" PRIu32 " reserved payload "
                                    "u64 is 0x%016" PRIx64 ", must be 0",
                                    in->id, index, sres);
        cv_set_instance(d, in->id, (int32_t)index);
    }
    c->str_len = slen;
    if (!b->have[CV_SEC_STRINGS])
        return;
    const cv_reader *strings = &b->sec[CV_SEC_STRINGS];
    cv_reader s;
    if ((uint64_t)soff + slen > cv_remaining(strings) ||
        !cv_window(strings, strings->pos + soff, slen, &s)) {
        chanval_diag *d =
            cv_report(cx, CV114_STRING_OUT_OF_BOUNDS, at + 4,
                      "instance %" PRIu32 " criterion %" PRIu32 " string [%" PRIu32 ", %" PRIu64
                      ") leaves the STRINGS section (%zu bytes)",
                      in->id, index, soff, (uint64_t)soff + slen, cv_remaining(strings));
        cv_set_instance(d, in->id, (int32_t)index);
        return;
    }
    const uint8_t *p = s.buf + s.pos;
    size_t bad = 0;
    bool nul = false;
    utf8_memo *m = &memo[(soff * 31u + slen) % UTF8_MEMO];
    if (slen > 0 && m->off == soff && m->len == slen) {
        c->str = p;
        c->str_ok = true;
        return;
    }
    if (!cv_utf8_check(p, slen, &bad, &nul)) {
        chanval_diag *d;
        if (nul)
            d = cv_report(cx, CV115_STRING_NOT_UTF8, at + 4,
                          "instance %" PRIu32 " criterion %" PRIu32 " string at STRINGS+%" PRIu32
                          " contains NUL at byte %zu",
                          in->id, index, soff, bad);
        else
            d = cv_report(cx, CV115_STRING_NOT_UTF8, at + 4,
                          "instance %" PRIu32 " criterion %" PRIu32 " string at STRINGS+%" PRIu32
                          " is not valid UTF-8 at byte %zu (0x%02x)",
                          in->id, index, soff, bad, p[bad]);
        cv_set_instance(d, in->id, (int32_t)index);
        return;
    }
    *m = (utf8_memo){soff, slen};
    c->str = p;
    c->str_ok = true;
}

static bool decode_criterion(cv_ctx *cx, const cv_bin *b, const cv_inst *in, cv_reader *r,
                             uint32_t index, cv_crit *c, utf8_memo *memo)
{
    size_t at = r->pos;
    /* Most criteria are wildcards: 20 zero bytes, nothing more to check. */
    static const uint8_t wildcard[CV_CRITERION_SIZE];
    const uint8_t *head = cv_peek(r, CV_CRITERION_SIZE);
    if (head && memcmp(head, wildcard, CV_CRITERION_SIZE) == 0) {
        cv_skip(r, CV_CRITERION_SIZE);
        *c = (cv_crit){.index = index, .op = CV_OP_WILDCARD, .off = at};
        return true;
    }
    uint8_t op = 0, flags = 0;
    uint16_t reserved = 0;
    cv_reader payload;
    if (!cv_u8(r, &op) || !cv_u8(r, &flags) || !cv_u16le(r, &reserved) ||
        !cv_window(r, r->pos, 16, &payload) || !cv_skip(r, 16))
        return false;
    *c = (cv_crit){.index = index, .op = op, .flags = flags, .off = at};
    if (reserved != 0) {
        chanval_diag *d = cv_report(cx, CV105_RESERVED_NONZERO, at + 2,
                                    "instance %" PRIu32 " criterion %" PRIu32 " reserved bytes "
                                    "are 0x%04x, must be 0",
                                    in->id, index, reserved);
        cv_set_instance(d, in->id, (int32_t)index);
    }
    if (op > CV_OP_RANGE) {
        chanval_diag *d = cv_report(cx, CV302_UNKNOWN_OPERATOR, at,
                                    "instance %" PRIu32 " criterion %" PRIu32 " has op %u; "
                                    "ops are 0 wildcard, 1 equals, 2 regex, 3 range",
                                    in->id, index, op);
        cv_set_instance(d, in->id, (int32_t)index);
        return true; /* still read by the interpreter: CV400 applies */
    }
    if (flags & ~(CV_FLAG_CASELESS | CV_FLAG_NEGATE)) {
        chanval_diag *d =
            cv_report(cx, CV304_BAD_FLAGS, at + 1,
                      "instance %" PRIu32 " criterion %" PRIu32 " flags 0x%02x "
                      "have undefined bits 0x%02x",
                      in->id, index, flags, flags & ~(CV_FLAG_CASELESS | CV_FLAG_NEGATE));
        cv_set_instance(d, in->id, (int32_t)index);
    }
    if (op == CV_OP_WILDCARD)
        decode_wildcard(cx, in, at, index, flags, &payload);
    else if (op == CV_OP_RANGE)
        decode_range(cx, in, at, &payload, c);
    else
        decode_string(cx, b, in, at, &payload, c, memo);
    return true;
}

/* An instance record's header fields. */
typedef struct rec_head {
    uint32_t id, record_size;
    uint16_t type_index, fc, reserved;
    uint8_t action, severity;
} rec_head;

/* The header of the record at rec (16 bytes are there): its own findings
 * (CV117 size, CV118, CV301, CV213, CV307, CV105) into *in.  False when
 * its criteria overrun the section: the walk cannot go on. */
static bool record_head(cv_ctx *cx, const cv_bin *b, cv_reader *r, size_t rec, cv_inst *in)
{
    const uint64_t *lim = cx->policy->limits;
    rec_head h = {0};
    cv_u32le(r, &h.id);
    cv_u16le(r, &h.type_index);
    cv_u16le(r, &h.fc);
    cv_u8(r, &h.action);
    cv_u8(r, &h.severity);
    cv_u16le(r, &h.reserved);
    cv_u32le(r, &h.record_size);
    uint32_t id = h.id;
    uint16_t fc = h.fc;
    uint64_t expect = 16 + (uint64_t)CV_CRITERION_SIZE * fc;
    if (h.record_size != expect) {
        /* field_count still locates the criteria and the next record
         * (an overrun is caught below), so the walk goes on. */
        chanval_diag *d = cv_report(cx, CV117_INSTANCES_MALFORMED, rec + 12,
                                    "instance %" PRIu32 " record_size is %" PRIu32 ", but "
                                    "field_count %u needs 16 + 20*%u = %" PRIu64 " bytes",
                                    id, h.record_size, fc, fc, expect);
        cv_set_instance(d, id, -1);
    }
    if (expect - 16 > cv_remaining(r)) {
        chanval_diag *d = cv_report(cx, CV117_INSTANCES_MALFORMED, rec,
                                    "instance %" PRIu32 " record of %" PRIu64 " bytes overruns "
                                    "the INSTANCES section (%zu bytes left)",
                                    id, expect, cv_remaining(r) + 16);
        cv_set_instance(d, id, -1);
        return false;
    }
    *in = (cv_inst){
        .id = id, .off = rec, .field_count = fc, .action = h.action, .severity = h.severity};
    if (h.type_index < b->ntypes) {
        in->type = &b->types[h.type_index];
    } else {
        chanval_diag *d = cv_report(cx, CV118_TYPE_INDEX_OUT_OF_RANGE, rec + 4,
                                    "instance %" PRIu32 " type_index is %u, but TYPES has %zu "
                                    "entr%s",
                                    id, h.type_index, b->ntypes, b->ntypes == 1 ? "y" : "ies");
        cv_set_instance(d, id, -1);
    }
    if (in->type && fc != in->type->field_count) {
        chanval_diag *d =
            cv_report(cx, CV301_FIELD_COUNT_MISMATCH, rec + 6,
                      "instance %" PRIu32 " has field_count %u, but its type "
                      "%" PRIu32 " v%u has %" PRIu32 " in TYPES",
                      id, fc, in->type->id, (unsigned)in->type->version, in->type->field_count);
        cv_set_instance(d, id, -1);
    }
    if (fc > lim[CHANVAL_LIMIT_FIELDS]) {
        chanval_diag *d = cv_report(cx, CV213_FIELD_COUNT_OUT_OF_RANGE, rec + 6,
                                    "instance %" PRIu32 " has field_count %u, more than the "
                                    "limit of %" PRIu64 " (--max-fields)",
                                    id, fc, lim[CHANVAL_LIMIT_FIELDS]);
        cv_set_instance(d, id, -1);
    }
    if (h.action < 1 || h.action > 3) {
        chanval_diag *d = cv_report(cx, CV307_BAD_ACTION, rec + 8,
                                    "instance %" PRIu32 " action is %u; actions are 1 log, "
                                    "2 detect, 3 block",
                                    id, h.action);
        cv_set_instance(d, id, -1);
    }
    if (h.severity > 4) {
        chanval_diag *d =
            cv_report(cx, CV307_BAD_ACTION, rec + 9,
                      "instance %" PRIu32 " severity is %u; severities are 0..4", id, h.severity);
        cv_set_instance(d, id, -1);
    }
    if (h.reserved != 0) {
        chanval_diag *d =
            cv_report(cx, CV105_RESERVED_NONZERO, rec + 10,
                      "instance %" PRIu32 " reserved field is 0x%04x, must be 0", id, h.reserved);
        cv_set_instance(d, id, -1);
    }
    return true;
}

void cv_bin_walk(cv_ctx *cx, const cv_bin *b, const cv_bin_visitor *v)
{
    if (!b->have[CV_SEC_INSTANCES])
        return;
    const uint64_t *lim = cx->policy->limits;
    cv_reader r = b->sec[CV_SEC_INSTANCES];
    size_t start = r.pos;
    uint32_t count = 0;
    if (!cv_u32le(&r, &count)) {
        cv_report(cx, CV117_INSTANCES_MALFORMED, start,
                  "the INSTANCES section has %zu bytes, too few for its count", cv_remaining(&r));
        return;
    }
    if (count > lim[CHANVAL_LIMIT_INSTANCES])
        cv_report(cx, CV120_LIMIT_EXCEEDED, start,
                  "%" PRIu32 " instances exceed the limit of %" PRIu64 " (--max-instances)", count,
                  lim[CHANVAL_LIMIT_INSTANCES]);
    utf8_memo memo[UTF8_MEMO] = {{0, 0}};
    uint32_t k;
    for (k = 0; k < count && !cx->oom; k++) {
        size_t rec = r.pos;
        if (cv_remaining(&r) == 0) {
            cv_report(cx, CV117_INSTANCES_MALFORMED, start,
                      "INSTANCES count is %" PRIu32 ", but the section ends after %" PRIu32
                      " record%s",
                      count, k, k == 1 ? "" : "s");
            return;
        }
        if (!cv_has(&r, 16)) {
            cv_report(cx, CV117_INSTANCES_MALFORMED, rec,
                      "instance record %" PRIu32 " of %" PRIu32 " at 0x%zx overruns the INSTANCES "
                      "section: %zu bytes left, a record needs at least 16",
                      k, count, rec, cv_remaining(&r));
            return;
        }
        cv_inst in;
        if (!record_head(cx, b, &r, rec, &in))
            return;
        if (v->instance)
            v->instance(v->user, &in);
        for (uint32_t i = 0; i < in.field_count; i++) {
            cv_crit c = {0};
            if (decode_criterion(cx, b, &in, &r, i, &c, memo) && v->criterion)
                v->criterion(v->user, &in, &c);
        }
        if (v->instance_end)
            v->instance_end(v->user, &in);
    }
    if (k == count && cv_remaining(&r) > 0) {
        cv_report(cx, CV117_INSTANCES_MALFORMED, start,
                  "INSTANCES count is %" PRIu32 ", but %zu bytes follow the last record at "
                  "0x%zx; the count and the section size disagree",
                  count, cv_remaining(&r), r.pos);
    }
}

/* ---- the digest ------------------------------------------------------ */

void cv_bin_digest_start(const cv_bin *b, cv_sha_job *job)
{
    const uint8_t *data = b->data;
    size_t len = b->len;
    cv_sha_start(job, (cv_span[]){{data, 48}, {zeros, 32}, {data + 80, len - 80}}, 3,
                 len >= CV_HASH_IN_BACKGROUND);
}

void cv_bin_digest_check(cv_ctx *cx, const cv_bin *b, cv_sha_job *job)
{
    check_digest(cx, b->data, job);
}
