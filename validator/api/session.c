/* session.c - the public API: sessions, loading, checking, the report. */
#define _GNU_SOURCE /* memmem */
#include "api/session.h"
#include "base/alloc.h"
#include "diag/rules.h"
#include "check/channel.h"
#include "format/binfile.h"
#include "format/layout.h"
#include "check/diff.h"
#include "check/docs.h"
#include "format/dump.h"
#include "base/diskcache.h"
#include "base/fileio.h"
#include "format/pack.h"
#include "api/test_run.h"
#include "eval/event.h"
#include "regex/cache.h"
#include "base/sha.h"
#include "base/utf8.h"

#include <libxml/parser.h>
#include <libxml/xmlversion.h>
#include <openssl/crypto.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

static const chanval_limit_info limits[CHANVAL_LIMIT_COUNT] = {
    {"max-bytes", 256u << 20, 80, 1ull << 32, "largest channel file, in bytes (CV120)"},
    {"max-instances", 1000000, 0, UINT32_MAX, "most instances in one file (CV120)"},
    {"max-fields", 64, 1, 65535, "most fields per template type or instance (CV213)"},
    {"max-string-bytes", 65535, 0, UINT32_MAX, "longest equals string, in bytes (CV120)"},
    {"max-regex-bytes", 4096, 0, UINT32_MAX, "longest regex pattern, in bytes (CV120)"},
    {"max-sections", 16, 1, 65535, "most sections in a channel file (CV108)"},
    {"max-xml-bytes", 64u << 20, 64, 1u << 30, "largest XML document, in bytes (CV120)"},
    {"max-xml-depth", 32, 1, 256, "deepest XML element nesting (CV120)"},
    {"max-diagnostics", 10000, 1, 100000000, "findings stored per file; more are counted"},
    {"max-xml-attributes", 64, 1, 1024, "most attributes on one XML element (CV120)"},
    {"max-events-bytes", 16ull << 30, 1, 1ull << 40,
     "largest test or benign corpus (JSON Lines), in bytes"},
};

const chanval_limit_info *chanval_limit_describe(chanval_limit which)
{
    return (unsigned)which < CHANVAL_LIMIT_COUNT ? &limits[which] : NULL;
}

const char *chanval_dependency_versions(void)
{
    static char buf[200];
    if (!buf[0]) {
        char pcre[32] = "";
        pcre2_config(PCRE2_CONFIG_VERSION, pcre);
        snprintf(buf, sizeof buf, "libxml2 %s, PCRE2 %s, %s, %s", LIBXML_DOTTED_VERSION, pcre,
                 OpenSSL_version(OPENSSL_VERSION), cv_json_version());
    }
    return buf;
}

/* What the settings own: the configuration's documents and baseline. */
static void settings_free(cv_settings *set)
{
    for (int w = 0; w < 2; w++) {
        for (size_t i = 0; i < set->nconfig_paths[w]; i++)
            cv_free(set->config_paths[w][i]);
        cv_free(set->config_paths[w]);
    }
    cv_free(set->config_baseline);
    cv_idset_free(&set->policy.baseline);
    cv_disk_close(set->disk);
}

chanval_session *chanval_session_new(void)
{
    xmlInitParser();
    chanval_session *s = cv_calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->set = &s->own_set;
    s->world = &s->own_world;
    for (int i = 0; i < CHANVAL_LIMIT_COUNT; i++)
        s->set->policy.limits[i] = limits[i].default_value;
    s->set->growth_percent = 100;
    return s;
}

void cv_session_worker(chanval_session *w, chanval_session *parent)
{
    *w = (chanval_session){.set = parent->set, .world = parent->world, .is_worker = true};
}

void cv_session_release(chanval_session *s)
{
    for (size_t i = 0; i < s->nfiles; i++)
        cv_file_free(s->files[i]);
    cv_free(s->files);
    cv_free(s->loaded);
    cv_free(s->inputs);
    for (size_t i = 0; i < s->nskipped; i++)
        cv_free(s->skipped[i]);
    cv_free(s->skipped);
    for (size_t i = 0; i < s->nio_errors; i++) {
        cv_free(s->io_errors[i].path);
        cv_free(s->io_errors[i].message);
    }
    cv_free(s->io_errors);
    cv_regex_cache_free(s->regex);
    cv_test_state_free(s->tests);
    s->tests = NULL;
    cv_diff_free(s->diff);
}

void chanval_session_free(chanval_session *s)
{
    if (!s)
        return;
    cv_session_release(s);
    cv_world_free(&s->own_world);
    settings_free(&s->own_set);
    cv_free(s);
}

chanval_status cv_limit_check(chanval_limit which, uint64_t value, char *why, size_t why_size)
{
    if ((unsigned)which >= CHANVAL_LIMIT_COUNT) {
        snprintf(why, why_size, "unknown limit %d", (int)which);
        return CHANVAL_ERR_USAGE;
    }
    const chanval_limit_info *li = &limits[which];
    if (value < li->min_value || value > li->max_value) {
        snprintf(why, why_size, "--%s must be between %llu and %llu", li->option,
                 (unsigned long long)li->min_value, (unsigned long long)li->max_value);
        return CHANVAL_ERR_USAGE;
    }
    return CHANVAL_OK;
}

chanval_status chanval_set_limit(chanval_session *s, chanval_limit which, uint64_t value)
{
    chanval_status st = cv_limit_check(which, value, s->last_error, sizeof s->last_error);
    if (st == CHANVAL_OK)
        s->set->policy.limits[which] = value;
    return st;
}

uint64_t chanval_get_limit(const chanval_session *s, chanval_limit which)
{
    return (unsigned)which < CHANVAL_LIMIT_COUNT ? s->set->policy.limits[which] : 0;
}

void chanval_set_strict(chanval_session *s, bool strict) { s->set->policy.strict = strict; }

void chanval_set_file_digests(chanval_session *s, bool on) { s->set->no_file_digests = !on; }

void chanval_set_threads(chanval_session *s, unsigned n) { s->set->threads = n; }

chanval_status chanval_set_excerpts(chanval_session *s, const chanval_excerpt_options *o)
{
    if (o->context > 16) {
        cv_set_error(s, "context of %u lines: at most 16", o->context);
        return CHANVAL_ERR_USAGE;
    }
    if (o->mode == CHANVAL_EXCERPT_RANGE &&
        (o->end <= o->start || o->end - o->start > CHANVAL_EXCERPT_MAX_BYTES)) {
        cv_set_error(s,
                     "range [0x%" PRIx64 ", 0x%" PRIx64 ") is %s; a range holds 1 to %u bytes",
                     o->start, o->end, o->end <= o->start ? "empty" : "too wide",
                     CHANVAL_EXCERPT_MAX_BYTES);
        return CHANVAL_ERR_USAGE;
    }
    if ((unsigned)o->mode > CHANVAL_EXCERPT_INSTANCE) {
        cv_set_error(s, "unknown excerpt mode %u", (unsigned)o->mode);
        return CHANVAL_ERR_USAGE;
    }
    s->set->excerpts = *o;
    return CHANVAL_OK;
}

chanval_status chanval_set_report_category(chanval_session *s, const char *category)
{
    size_t n = strlen(category);
    if (n == 0 || n > CHANVAL_MAX_CATEGORY) {
        snprintf(s->last_error, sizeof s->last_error,
                 "a report category is 1 to %d characters, not %zu", CHANVAL_MAX_CATEGORY, n);
        return CHANVAL_ERR_USAGE;
    }
    /* it lands in SARIF and in code scanning's alert filters: plain words */
    size_t bad = strspn(category, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                  "0123456789._-/:@+");
    if (bad != n) {
        snprintf(s->last_error, sizeof s->last_error,
                 "a report category is made of letters, digits and . _ - / : @ +; character "
                 "%zu (byte 0x%02x) is not one",
                 bad + 1, (unsigned)(unsigned char)category[bad]);
        return CHANVAL_ERR_USAGE;
    }
    memcpy(s->set->category, category, n + 1);
    return CHANVAL_OK;
}

const char *chanval_report_category(const chanval_session *s)
{
    return s->set->category[0] ? s->set->category : NULL;
}

chanval_status chanval_set_cache_dir(chanval_session *s, const char *dir)
{
    cv_disk_close(s->set->disk);
    s->set->disk = NULL;
    s->set->have_results_key = false;
    if (!dir)
        return CHANVAL_OK;
    s->set->disk = cv_disk_open(dir, s->last_error, sizeof s->last_error);
    return s->set->disk ? CHANVAL_OK : CHANVAL_ERR_IO;
}

void chanval_cache_counts(const chanval_session *s, uint64_t *hits, uint64_t *stores,
                          uint64_t *refused)
{
    cv_disk_counts(s->set->disk, hits, stores, refused);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

bool cv_settings_key(chanval_session *s)
{
    cv_settings *set = s->set;
    if (!set->disk || set->have_results_key)
        return true;
    const cv_policy *p = &set->policy;
    cv_buf b = {0};
    cv_buf_adds(&b, "chanval results " CHANVAL_VERSION);
    cv_buf_addc(&b, 0);
    for (int i = 0; i < CHANVAL_LIMIT_COUNT; i++)
        cv_buf_u64le(&b, p->limits[i]);
    cv_buf_addc(&b, p->strict ? 1 : 0);
    cv_buf_add(&b, p->rule_override, sizeof p->rule_override);
    cv_buf_addc(&b, p->have_baseline ? 1 : 0);
    cv_buf_u64le(&b, set->growth_percent);
    cv_buf_add(&b, s->world->digest, sizeof s->world->digest);
    cv_buf_addc(&b, s->world->have_fleet ? 1 : 0);
    /* the baseline's fingerprints, in an order that does not depend on
     * the set's hashing */
    uint64_t *keys = p->baseline.n ? cv_calloc(p->baseline.n, sizeof *keys) : NULL;
    size_t n = 0;
    if (p->baseline.n && !keys)
        b.oom = true;
    for (size_t i = 0; keys && i < p->baseline.cap && n < p->baseline.n; i++)
        if (p->baseline.keys[i])
            keys[n++] = p->baseline.keys[i];
    if (keys)
        qsort(keys, n, sizeof *keys, cmp_u64);
    for (size_t i = 0; i < n; i++)
        cv_buf_u64le(&b, keys[i]);
    cv_free(keys);
    bool ok = !b.oom && cv_sha256(&(cv_span){b.data, b.len}, 1, set->results_key);
    cv_buf_free(&b);
    set->have_results_key = ok;
    return ok;
}

/* Where a file's result is filed: the settings' key, how it was asked for,
 * its name as reported (fingerprints name it), its bytes' SHA-256. */
static bool result_key(const cv_settings *set, unsigned role, const char *name,
                       const uint8_t sha[32], uint8_t key[32])
{
    uint8_t r = (uint8_t)role;
    cv_span parts[4] = {{set->results_key, 32}, {&r, 1}, {name, strlen(name) + 1}, {sha, 32}};
    return cv_sha256(parts, 4, key);
}

const char *chanval_last_error(const chanval_session *s) { return s->last_error; }

cv_ctx cv_session_ctx_plain(chanval_session *s, chanval_file *f, size_t index)
{
    return (cv_ctx){.policy = &s->set->policy,
                    .world = s->world,
                    .regex = s->regex,
                    /* a batch worker's queue runs on its own thread: the
                     * cores are busy with files already */
                    .threads = s->is_worker ? 1 : s->set->threads,
                    .files = s->files,
                    .f = f,
                    .file_index = index};
}

chanval_status cv_session_ctx(chanval_session *s, chanval_file *f, size_t index, cv_ctx *cx)
{
    if (!s->regex && !(s->regex = cv_regex_cache_new()))
        return CHANVAL_ERR_NOMEM;
    cv_regex_cache_set_disk(s->regex, s->set->disk);
    *cx = cv_session_ctx_plain(s, f, index);
    return CHANVAL_OK;
}

/* ---- reading ---------------------------------------------------------- */

int cv_first_byte(const uint8_t *p, size_t n)
{
    size_t i = 0;
    if (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
        i = 3;
    while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
        i++;
    return i < n ? p[i] : -1;
}

bool cv_is_xml(const uint8_t *p, size_t n) { return cv_first_byte(p, n) == '<'; }

enum role { ROLE_TYPES, ROLE_FLEET, ROLE_CHECK, ROLE_PACK, ROLE_DUMP };

/* A file named twice is loaded once: as a -t or -f document, or checked.
 * A file named both with -t and with -f is read in both roles, so that the
 * role it does not fit fails (CV203) instead of going unread. */
static bool already_loaded(chanval_session *s, const cv_file_id *id, enum role role, bool *oom)
{
    for (size_t i = 0; i < s->nloaded; i++)
        if (s->loaded[i].dev == id->dev && s->loaded[i].ino == id->ino &&
            (s->loaded[i].role == (int)role || role == ROLE_CHECK))
            return true;
    void *p = s->loaded;
    if (cv_grow(&p, &s->loaded_cap, s->nloaded + 1, sizeof *s->loaded) != 0) {
        *oom = true;
        return false;
    }
    s->loaded = p;
    s->loaded[s->nloaded].dev = id->dev;
    s->loaded[s->nloaded].ino = id->ino;
    s->loaded[s->nloaded].role = (int)role;
    s->nloaded++;
    return false;
}

typedef struct job {
    enum role role;
    bool walked; /* found by walking a directory: skip what is not content */
    bool dedupe; /* skip a file already loaded */
    uint8_t **pack_out;
    size_t *pack_len;
    char **dump_out;
    size_t *dump_len;
    const cv_file_data *src; /* where the bytes came from, if a file */
    bool *skipped;           /* set when a walked file is not content */
} job;

/* A mapped file another process wrote to while it was checked: the rules
 * and the digest may have seen different bytes, so neither the verdict nor
 * the digest stands.  true (the reason in last_error) when so. */
static bool changed_under(chanval_session *s, const char *name, const job *jb, chanval_file *f)
{
    if (!jb->src || cv_file_unchanged(jb->src))
        return false;
    f->has_sha256 = false;
    snprintf(s->last_error, sizeof s->last_error,
             "'%s' changed while it was being checked; its verdict and digest do not "
             "stand: check it again once it is no longer being written",
             name);
    return true;
}

static chanval_status run(chanval_session *s, const char *name, const uint8_t *data, size_t len,
                          uint64_t real_size, const job *jb);

static chanval_status from_path(chanval_session *s, const char *path, const job *jb)
{
    s->last_error[0] = '\0';
    uint64_t max =
        s->set->policy.limits[CHANVAL_LIMIT_BYTES] > s->set->policy.limits[CHANVAL_LIMIT_XML_BYTES]
            ? s->set->policy.limits[CHANVAL_LIMIT_BYTES]
            : s->set->policy.limits[CHANVAL_LIMIT_XML_BYTES];
    cv_file_data fd;
    chanval_status st = cv_read_file(path, max, &fd, s->last_error, sizeof s->last_error);
    if (st != CHANVAL_OK)
        return st;
    if (cv_input_seen(s, fd.id.dev, fd.id.ino) != CHANVAL_OK) {
        cv_file_data_free(&fd);
        return CHANVAL_ERR_NOMEM;
    }
    bool oom = false;
    if (jb->dedupe && already_loaded(s, &fd.id, jb->role, &oom)) {
        cv_file_data_free(&fd);
        return CHANVAL_OK;
    }
    if (oom) {
        cv_file_data_free(&fd);
        return CHANVAL_ERR_NOMEM;
    }
    job with_src = *jb;
    with_src.src = &fd;
    st = run(s, path, fd.data, fd.len, fd.size, &with_src);
    cv_file_data_free(&fd);
    return st;
}

chanval_status cv_check_one(chanval_session *s, const char *path, bool walked, bool *skipped)
{
    return from_path(s, path, &(job){.role = ROLE_CHECK, .walked = walked, .skipped = skipped});
}

/* ---- checking --------------------------------------------------------- */

static bool over_limit(cv_ctx *cx, bool xml, uint64_t size)
{
    chanval_limit which = xml ? CHANVAL_LIMIT_XML_BYTES : CHANVAL_LIMIT_BYTES;
    uint64_t max = cx->policy->limits[which];
    if (size <= max)
        return false;
    cx->xml = false; /* nothing was parsed: the location is the file's start */
    chanval_diag *d = cv_report(cx, CV120_LIMIT_EXCEEDED, 0,
                                "%s of %llu bytes exceeds the limit of %llu bytes (--%s)",
                                xml ? "XML document" : "file", (unsigned long long)size,
                                (unsigned long long)max, limits[which].option);
    if (d && xml) {
        d->loc_kind = CHANVAL_LOC_LINE;
        d->line = d->column = 1;
    }
    return true;
}

static chanval_status parse_xml(cv_ctx *cx, const uint8_t *data, size_t len, enum role role,
                                cv_source *src)
{
    cv_types_state ts = {.join = role == ROLE_TYPES};
    cv_fleet_state fs = {.join = role == ROLE_FLEET};
    cv_xml_doc types_doc, fleet_doc, source_doc;
    cv_types_doc(&types_doc, &ts);
    cv_fleet_doc(&fleet_doc, &fs);
    cv_source_doc(&source_doc, src);
    const cv_xml_doc *docs[3];
    size_t ndocs = 0;
    const char *what;
    switch (role) {
    case ROLE_TYPES:
        docs[ndocs++] = &types_doc;
        what = "a template types document (-t)";
        break;
    case ROLE_FLEET:
        docs[ndocs++] = &fleet_doc;
        what = "a fleet manifest (-f)";
        break;
    case ROLE_PACK:
        docs[ndocs++] = &source_doc;
        what = "a channel source";
        break;
    default:
        docs[ndocs++] = &source_doc;
        docs[ndocs++] = &types_doc;
        docs[ndocs++] = &fleet_doc;
        what = "a chanval document";
        break;
    }
    cv_xml_result res;
    cv_xml_parse(cx, data, len, docs, ndocs, what, &res);
    chanval_status st = cx->oom ? CHANVAL_ERR_NOMEM : CHANVAL_OK;
    if (st == CHANVAL_OK && res.wellformed && cx->f->kind == CHANVAL_KIND_SOURCE)
        cv_source_check(cx, src);
    cv_types_state_free(&ts);
    cv_fleet_state_free(&fs);
    return st;
}

bool cv_diff_blocked(const chanval_file *f)
{
    if (f->errors == 0)
        return false;
    for (size_t i = 0; i < chanval_rule_count(); i++) {
        unsigned id = chanval_rule_at(i)->id;
        if (cv_rule_blocks_decoding(id) && cv_seen(f, id))
            return true;
    }
    return false;
}

/* Is a file found in a directory content to check?  Channel files, the
 * three documents, and anything that is not text (a broken or zero-filled
 * channel file must not pass by being skipped); not other text files. */
static bool is_content(const uint8_t *p, size_t n)
{
    if (n == 0 || (n >= 4 && memcmp(p, "CHNL", 4) == 0))
        return true;
    if (cv_is_xml(p, n)) {
        size_t i = 0;
        while (i < n) {
            while (i < n && p[i] != '<')
                i++;
            if (i >= n)
                break; /* no element: n - i - 1 below would wrap */
            if (n - i >= 4 && memcmp(p + i, "<!--", 4) == 0) {
                const uint8_t *e = memmem(p + i, n - i, "-->", 3);
                i = e ? (size_t)(e - p) + 3 : n;
            } else if (n - i >= 2 && p[i + 1] == '?') {
                const uint8_t *e = memmem(p + i, n - i, "?>", 2);
                i = e ? (size_t)(e - p) + 2 : n;
            } else if (n - i >= 2 && p[i + 1] == '!') {
                return true; /* a DOCTYPE: CV201 */
            } else {
                static const char *const roots[] = {"templateTypes", "fleet", "channel"};
                for (size_t r = 0; r < 3; r++) {
                    size_t l = strlen(roots[r]), rest = n - i - 1;
                    /* cut off inside or right after a root's name: a
                     * truncated chanval document, checked (it fails) */
                    if (rest <= l && memcmp(p + i + 1, roots[r], rest) == 0)
                        return true;
                    if (rest > l && memcmp(p + i + 1, roots[r], l) == 0 &&
                        !((p[i + 1 + l] >= 'A' && p[i + 1 + l] <= 'Z') ||
                          (p[i + 1 + l] >= 'a' && p[i + 1 + l] <= 'z') ||
                          (p[i + 1 + l] >= '0' && p[i + 1 + l] <= '9')))
                        return true;
                }
                /* a root chanval does not know, but with chanval's
                 * formatVersion: meant as a chanval document (CV203) */
                const uint8_t *gt = memchr(p + i, '>', n - i);
                size_t tag = gt ? (size_t)(gt - (p + i)) : n - i;
                return memmem(p + i, tag, "formatVersion", 13) != NULL;
            }
        }
        return false;
    }
    size_t m = n < 4096 ? n : 4096, bad = 0;
    bool nul = false;
    /* a prefix may end inside a character: allow a short tail */
    return !cv_utf8_check(p, m, &bad, &nul) && (nul || bad + 4 < m);
}

static chanval_status run(chanval_session *s, const char *name, const uint8_t *data, size_t len,
                          uint64_t real_size, const job *jb)
{
    if (jb->walked && !is_content(data, len)) {
        if (jb->skipped)
            *jb->skipped = true;
        return CHANVAL_OK;
    }
    bool xml = jb->role == ROLE_TYPES || jb->role == ROLE_FLEET ||
               (jb->role != ROLE_DUMP && cv_is_xml(data, len));
    chanval_kind kind = jb->role == ROLE_TYPES   ? CHANVAL_KIND_TYPES
                        : jb->role == ROLE_FLEET ? CHANVAL_KIND_FLEET
                        : xml                    ? CHANVAL_KIND_XML
                                                 : CHANVAL_KIND_CHANNEL;
    size_t index = 0;
    chanval_file *f = cv_file_new(s, name, kind, &index);
    if (!f)
        return CHANVAL_ERR_NOMEM;
    f->size = real_size;
    if (jb->role == ROLE_TYPES || jb->role == ROLE_FLEET) { /* what results depend on */
        uint8_t doc[32], r = (uint8_t)jb->role;
        cv_span parts[3] = {{s->world->digest, 32}, {&r, 1}, {doc, 32}};
        if (!cv_sha256(&(cv_span){data, len}, 1, doc) || !cv_sha256(parts, 3, s->world->digest))
            return CHANVAL_ERR_NOMEM;
        s->set->have_results_key = false;
    }
    /* the result cache: a file checked before, with these settings, world
     * and bytes, is not checked again */
    uint8_t ckey[32], fsha[32];
    bool capture = s->set->excerpts.mode != CHANVAL_EXCERPT_NONE;
    bool cached = jb->role == ROLE_CHECK && s->set->disk && len == real_size &&
                  (s->is_worker || cv_settings_key(s)) && s->set->have_results_key &&
                  cv_sha256(&(cv_span){data, len}, 1, fsha) &&
                  result_key(s->set, (unsigned)jb->role, name, fsha, ckey);
    if (cached && !capture) { /* a stored result has no excerpts */
        uint8_t *blob;
        size_t blen;
        if (cv_disk_get(s->set->disk, ckey, &blob, &blen)) {
            /* a record that does not read back leaves f as it was: the
             * file is checked, and a good record filed */
            bool ok = cv_file_restore(f, blob, blen);
            cv_free(blob);
            if (ok) {
                memcpy(f->sha256, fsha, 32);
                f->has_sha256 = !s->set->no_file_digests;
                return changed_under(s, name, jb, f) ? CHANVAL_ERR_IO : CHANVAL_OK;
            }
        }
    }
    /* the file's own SHA-256, for the report: on another core when large,
     * and not twice when the cache's key has it already */
    cv_sha_job file_hash;
    bool hashing = len == real_size && !s->set->no_file_digests;
    if (hashing && cached) {
        memcpy(f->sha256, fsha, 32);
        f->has_sha256 = true;
        hashing = false;
    }
    if (hashing)
        cv_sha_start(&file_hash, &(cv_span){data, len}, 1, len >= CV_HASH_IN_BACKGROUND);
    cv_ctx cx;
    if (cv_session_ctx(s, f, index, &cx) != CHANVAL_OK)
        return CHANVAL_ERR_NOMEM;
    cx.xml = xml;
    cx.text = xml ? data : NULL;
    cx.text_len = xml ? len : 0;
    chanval_status st = CHANVAL_OK;
    bool checks = jb->role != ROLE_TYPES && jb->role != ROLE_FLEET;
    if (over_limit(&cx, xml, real_size)) {
        /* nothing more can be read safely */
    } else if (checks && cv_world_freeze(s->world) != 0) {
        cx.oom = true; /* the world's lookup tables could not be built */
    } else if (xml) {
        cv_source src = {0};
        st = parse_xml(&cx, data, len, jb->role, &src);
        if (st == CHANVAL_OK && jb->role == ROLE_PACK && f->kind == CHANVAL_KIND_SOURCE &&
            !cx.oom && chanval_error_count(s) == 0) {
            cv_buf out = {0};
            if (cv_pack(&src, &out, true) == 0) {
                *jb->pack_out = (uint8_t *)cv_buf_take(&out, jb->pack_len);
                if (!*jb->pack_out)
                    cx.oom = true;
            } else {
                cv_buf_free(&out);
                cx.oom = true;
            }
        }
        cv_source_free(&src);
    } else if (jb->role == ROLE_PACK) {
        chanval_diag *d = cv_report(&cx, CV203_XML_UNKNOWN_DOCUMENT, 0,
                                    "pack needs a channel source (<channel> XML), "
                                    "but this file is not XML");
        cv_note(&cx, d, "to decode a channel file, use chanval dump");
    } else {
        cv_check_channel(&cx, data, len);
        if (jb->role == ROLE_DUMP && !cx.oom && !cv_diff_blocked(f)) {
            cx.mute = true;
            cv_buf out = {0};
            cv_dump(&cx, data, len, &out);
            *jb->dump_out = cv_buf_take(&out, jb->dump_len);
            if (!*jb->dump_out)
                cx.oom = true;
        }
    }
    if (hashing)
        f->has_sha256 = cv_sha_finish(&file_hash, f->sha256);
    if (cv_file_finish(&s->set->policy, f) != 0)
        cx.oom = true;
    else if (kind == CHANVAL_KIND_CHANNEL)
        cv_text_positions(f, data, len);
    if (capture && !cx.oom && st == CHANVAL_OK)
        cv_capture(&cx, data, len, &s->set->excerpts);
    /* asked after the excerpts are copied, so that they too are the bytes
     * the rules saw; a file that changed shows none */
    if (changed_under(s, name, jb, f)) {
        cv_excerpts_free(f->ex);
        f->ex = NULL;
        if (st == CHANVAL_OK)
            st = CHANVAL_ERR_IO;
    }
    /* filed only when whole: not after running out of memory, not for a
     * file that changed while it was checked */
    if (cached && !cx.oom && st == CHANVAL_OK) {
        cv_buf rec = {0};
        if (cv_file_persist(f, &rec) == 0)
            cv_disk_put(s->set->disk, ckey, rec.data, rec.len);
        cv_buf_free(&rec);
    }
    bool oom = cx.oom;
    cv_ctx_done(&cx);
    if (oom || st == CHANVAL_ERR_NOMEM) {
        cv_set_nomem(s);
        return CHANVAL_ERR_NOMEM;
    }
    return st;
}

/* A path given to the public API that could not be read stays in the
 * session: the report names it and the exit code is 2. */
static chanval_status recorded(chanval_session *s, const char *path, chanval_status st)
{
    if (st == CHANVAL_ERR_IO)
        cv_io_error_add(s, path, s->last_error[0] ? s->last_error : path);
    else if (st == CHANVAL_ERR_NOMEM)
        s->nomem = true;
    return st;
}

chanval_status chanval_add_types(chanval_session *s, const char *path)
{
    return recorded(s, path, from_path(s, path, &(job){.role = ROLE_TYPES, .dedupe = true}));
}

chanval_status chanval_add_fleet(chanval_session *s, const char *path)
{
    s->world->have_fleet = true;
    return recorded(s, path, from_path(s, path, &(job){.role = ROLE_FLEET, .dedupe = true}));
}

chanval_status chanval_add_types_memory(chanval_session *s, const char *name, const void *data,
                                        size_t len)
{
    return run(s, name, data, len, len, &(job){.role = ROLE_TYPES});
}

chanval_status chanval_add_fleet_memory(chanval_session *s, const char *name, const void *data,
                                        size_t len)
{
    s->world->have_fleet = true;
    return run(s, name, data, len, len, &(job){.role = ROLE_FLEET});
}

chanval_status chanval_check_path(chanval_session *s, const char *path)
{
    return recorded(s, path, from_path(s, path, &(job){.role = ROLE_CHECK, .dedupe = true}));
}

chanval_status cv_check_read(chanval_session *s, const char *name, const cv_file_data *fd)
{
    return run(s, name, fd->data, fd->len, fd->size, &(job){.role = ROLE_CHECK, .src = fd});
}

chanval_status chanval_check_memory(chanval_session *s, const char *name, const void *data,
                                    size_t len)
{
    return run(s, name, data, len, len, &(job){.role = ROLE_CHECK});
}

/* pack and dump, from a path or from memory: four entry points that differ
 * in their job only (alike in shape by design, for their types) */
chanval_status chanval_pack_path(chanval_session *s, const char *path, uint8_t **out,
                                 size_t *out_len)
{
    *out = NULL;
    *out_len = 0;
    return recorded(
        s, path,
        from_path(s, path, &(job){.role = ROLE_PACK, .pack_out = out, .pack_len = out_len}));
}

chanval_status chanval_pack_memory(chanval_session *s, const char *name, const void *data,
                                   size_t len, uint8_t **out, size_t *out_len)
{
    *out = NULL;
    *out_len = 0;
    return run(s, name, data, len, len,
               &(job){.role = ROLE_PACK, .pack_out = out, .pack_len = out_len});
}

chanval_status chanval_dump_path(chanval_session *s, const char *path, char **out, size_t *out_len)
{
    *out = NULL;
    *out_len = 0;
    return recorded(
        s, path,
        from_path(s, path, &(job){.role = ROLE_DUMP, .dump_out = out, .dump_len = out_len}));
}

chanval_status chanval_dump_memory(chanval_session *s, const char *name, const void *data,
                                   size_t len, char **out, size_t *out_len)
{
    *out = NULL;
    *out_len = 0;
    return run(s, name, data, len, len,
               &(job){.role = ROLE_DUMP, .dump_out = out, .dump_len = out_len});
}

chanval_status chanval_check_world(chanval_session *s)
{
    cv_world *w = s->world;
    for (size_t i = 0; i < w->nsensors; i++) {
        const cv_sensor *sn = &w->sensors[i];
        for (size_t j = 0; j < sn->nsupports; j++) {
            const cv_supports *sp = &sn->supports[j];
            uint64_t k = 0;
            if (!cv_idset_get(&w->type_keys, cv_type_key(sp->type_id, sp->type_version) + 1, &k))
                continue;
            const cv_type *t = &w->types[k];
            if (t->nfields <= sp->inputs)
                continue;
            const cv_field *fl = &t->fields[sp->inputs];
            cv_ctx cx = cv_session_ctx_plain(s, s->files[t->file], t->file);
            chanval_diag *d = cv_report_linecol(
                &cx, CV401_LATENT_INPUT_MISMATCH, fl->line, fl->col,
                "type %u v%u (%s) declares %u fields, but sensor %s supplies only %u inputs: "
                "field \"%s\" (index %u) and the fields after it must stay wildcard in every "
                "instance",
                (unsigned)t->id, (unsigned)t->version, t->name, (unsigned)t->nfields, sn->version,
                (unsigned)sp->inputs, fl->name, (unsigned)sp->inputs);
            cv_set_sensor(&cx, d, sn->version);
            cv_note(&cx, d,
                    "a criterion on this field would read past that sensor's input "
                    "array (CV400)");
            if (cv_file_finish(&s->set->policy, cx.f) != 0 || cx.oom) {
                cv_set_nomem(s);
                return CHANVAL_ERR_NOMEM;
            }
        }
    }
    return CHANVAL_OK;
}

/* ---- the report ------------------------------------------------------- */

size_t chanval_file_count(const chanval_session *s) { return s->nfiles; }

const chanval_file *chanval_file_at(const chanval_session *s, size_t i)
{
    return i < s->nfiles ? s->files[i] : NULL;
}

const char *chanval_file_path(const chanval_file *f) { return f->path; }
chanval_kind chanval_file_kind(const chanval_file *f) { return f->kind; }
uint64_t chanval_file_size(const chanval_file *f) { return f->size; }
const uint8_t *chanval_file_sha256(const chanval_file *f)
{
    return f->has_sha256 ? f->sha256 : NULL;
}
size_t chanval_file_diag_count(const chanval_file *f) { return f->ndiags; }
const chanval_diag *chanval_file_diag(const chanval_file *f, size_t i)
{
    return i < f->ndiags ? &f->diags[i] : NULL;
}
uint64_t chanval_file_dropped(const chanval_file *f) { return f->dropped; }
size_t chanval_file_errors(const chanval_file *f) { return f->errors; }
size_t chanval_file_warnings(const chanval_file *f) { return f->warnings; }
size_t chanval_file_suppressed(const chanval_file *f) { return f->suppressed; }

const char *chanval_kind_name(chanval_kind kind)
{
    static const char *const names[] = {"channel", "source", "types", "fleet",
                                        "xml",     "test",   "events"};
    return (unsigned)kind < 7 ? names[kind] : "unknown";
}

size_t chanval_error_count(const chanval_session *s)
{
    size_t n = 0;
    for (size_t i = 0; i < s->nfiles; i++)
        n += s->files[i]->errors;
    return n;
}

size_t chanval_warning_count(const chanval_session *s)
{
    size_t n = 0;
    for (size_t i = 0; i < s->nfiles; i++)
        n += s->files[i]->warnings;
    return n;
}

size_t chanval_suppressed_count(const chanval_session *s)
{
    size_t n = 0;
    for (size_t i = 0; i < s->nfiles; i++)
        n += s->files[i]->suppressed;
    return n;
}

int chanval_exit_code(const chanval_session *s)
{
    if (s->nio_errors > 0 || s->nomem)
        return 2; /* something was not checked: no verdict on it */
    return chanval_error_count(s) > 0 ? 1 : 0;
}

bool chanval_out_of_memory(const chanval_session *s) { return s->nomem; }
