/* redos_bench.c - chanval's CV502/CV503 on a labelled set of regexes.
 *
 *   redos_bench SET.tsv OUT.tsv [BUDGET [LENGTH]]
 *
 * SET.tsv is the labelled data set (columns: pattern, flags, label, degree,
 * steps_at_4096, prefix, pump, suffix, source; escapes \\ \t \n \r \xHH).
 * Each regex is checked through the public API as a regex criterion on a
 * string field of LENGTH bytes (4096) in a fleet whose one sensor has a
 * regexMatchLimit of BUDGET (100000).  For the super-linear rows a second
 * check uses a field short enough that the labelled witness stays within
 * the budget (a quarter of it), where CV503 is expected.
 *
 * Every witness chanval reports is re-measured here, independently of the
 * library, with the cost model of formats-v1 section 1.2.  The table goes to
 * stdout; one line per row to OUT.tsv for the comparison with other tools.
 *
 * Then whole channel files of FILE_REGEXES distinct regexes, packed and
 * checked in a fresh session (so nothing is cached), timed: a realistic
 * mix (every labelled pattern once, the rest generated from the shapes of
 * endpoint content: paths, pipes, command lines, URLs, SIDs, 1% of them
 * hazardous) and a worst
 * case (variants of the super-linear labelled patterns only, each distinct
 * by a trailing comment, so that every one is measured). */
#define _GNU_SOURCE /* memmem */
#include "chanval.h"
#include "regex/redos.h" /* internal: the static analysis alone, timed apart */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

enum { LABEL_EXP, LABEL_POLY, LABEL_LIN };
enum { FILE_REGEXES = 10000 };
enum { R_NONE, R_502, R_503 };

typedef struct row {
    char *pattern, *prefix, *pump, *suffix;
    size_t npattern, nprefix, npump, nsuffix;
    bool caseless;
    int label;
    char *label_steps;
    /* results */
    int rule, rule503;
    int cls;             /* chanval_regex_class */
    unsigned degree;
    unsigned long long steps, wlen;
    double ms;
    double analyse_ms; /* the parse and the static analysis alone */
    int verified;        /* 1: the witness re-measured as claimed, 0: not, -1: no witness */
    int verified503;
    size_t len503;       /* the short field, 0 when none */
    unsigned long long label503; /* the labelled witness's steps there */
} row;

/* ---- the cost model, independently ---------------------------------------- */

typedef struct counter {
    unsigned long long n, cap;
} counter;

static int count(pcre2_callout_block *b, void *data)
{
    (void)b;
    counter *c = data;
    return ++c->n > c->cap ? PCRE2_ERROR_CALLOUT : 0;
}

/* prefix + pump as many times as fit before the suffix + suffix, in at most
 * len bytes (the data set's construction).  Returns the length. */
static size_t build(char *out, size_t len, const char *pre, size_t np, const char *pump, size_t nw,
                    const char *suf, size_t ns)
{
    if (np + ns > len)
        return 0;
    size_t k = nw ? (len - np - ns) / nw : 0, at = np;
    memcpy(out, pre, np);
    for (size_t i = 0; i < k; i++, at += nw)
        memcpy(out + at, pump, nw);
    memcpy(out + at, suf, ns);
    return at + ns;
}

static unsigned long long measure(const row *r, const char *in, size_t len, unsigned long long cap)
{
    int err;
    PCRE2_SIZE off;
    pcre2_code *re =
        pcre2_compile((PCRE2_SPTR)r->pattern, r->npattern,
                      PCRE2_UTF | PCRE2_AUTO_CALLOUT | (r->caseless ? PCRE2_CASELESS : 0), &err,
                      &off, NULL);
    if (!re)
        return 0;
    pcre2_match_context *mc = pcre2_match_context_create(NULL);
    pcre2_match_data *md = pcre2_match_data_create(1, NULL);
    counter c = {0, cap};
    pcre2_set_callout(mc, count, &c);
    pcre2_set_match_limit(mc, 1000000000u);
    pcre2_set_depth_limit(mc, 1000000000u);
    pcre2_match(re, (PCRE2_SPTR)in, len, 0, 0, md, mc);
    pcre2_match_data_free(md);
    pcre2_match_context_free(mc);
    pcre2_code_free(re);
    return c.n;
}

/* ---- reading the set --------------------------------------------------------- */

static size_t unescape(const char *s, char *o)
{
    size_t k = 0;
    for (size_t i = 0; s[i]; i++) {
        if (s[i] == '\\' && s[i + 1]) {
            char c = s[i + 1];
            if (c == '\\' || c == 't' || c == 'n' || c == 'r') {
                o[k++] = c == 't' ? '\t' : c == 'n' ? '\n' : c == 'r' ? '\r' : '\\';
                i++;
                continue;
            }
            if (c == 'x' && s[i + 2] && s[i + 3]) {
                unsigned v;
                if (sscanf(s + i + 2, "%2x", &v) == 1) {
                    o[k++] = (char)v;
                    i += 3;
                    continue;
                }
            }
        }
        o[k++] = s[i];
    }
    o[k] = '\0';
    return k;
}

static char *field(char **p)
{
    char *s = *p, *t = strchr(s, '\t');
    if (t) {
        *t = '\0';
        *p = t + 1;
    } else {
        *p = s + strlen(s);
    }
    return s;
}

static char *decoded(const char *s, size_t *n)
{
    char *o = malloc(strlen(s) + 1);
    if (!o) {
        perror("malloc");
        exit(2);
    }
    *n = unescape(s, o);
    return o;
}

static row *read_set(const char *path, size_t *nrows)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        exit(2);
    }
    row *rows = NULL;
    size_t n = 0, cap = 0;
    char *line = NULL;
    size_t lcap = 0;
    ssize_t len;
    bool header = true;
    while ((len = getline(&line, &lcap, f)) > 0) {
        if (line[len - 1] == '\n')
            line[--len] = '\0';
        if (header) {
            header = false;
            continue;
        }
        if (n == cap) {
            cap = cap ? 2 * cap : 512;
            rows = realloc(rows, cap * sizeof *rows);
            if (!rows) {
                perror("realloc");
                exit(2);
            }
        }
        row *r = &rows[n];
        memset(r, 0, sizeof *r);
        char *p = line;
        r->pattern = decoded(field(&p), &r->npattern);
        r->caseless = strchr(field(&p), 'i') != NULL;
        const char *label = field(&p);
        r->label = strcmp(label, "exponential") == 0  ? LABEL_EXP
                   : strcmp(label, "polynomial") == 0 ? LABEL_POLY
                                                      : LABEL_LIN;
        field(&p); /* degree */
        r->label_steps = strdup(field(&p));
        r->prefix = decoded(field(&p), &r->nprefix);
        r->pump = decoded(field(&p), &r->npump);
        r->suffix = decoded(field(&p), &r->nsuffix);
        n++;
    }
    free(line);
    fclose(f);
    *nrows = n;
    return rows;
}

/* ---- documents, built in a growing buffer --------------------------------- */

typedef struct strbuf {
    char *p; /* NUL-terminated */
    size_t len, cap;
} strbuf;

static void reserve(strbuf *b, size_t n)
{
    if (n < b->cap - b->len)
        return;
    while (n >= b->cap - b->len)
        b->cap = b->cap ? 2 * b->cap : 1 << 16;
    b->p = realloc(b->p, b->cap);
    if (!b->p) {
        perror("realloc");
        exit(2);
    }
}

static void put(strbuf *b, const char *s, size_t n)
{
    reserve(b, n);
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void putf(strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void putf(strbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        exit(2);
    reserve(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

/* One instance `id` of `type` with a regex criterion (valueHex) on `index`. */
static void put_instance(strbuf *b, unsigned id, unsigned type, size_t index, const char *pat,
                         size_t n, bool caseless)
{
    putf(b,
         "  <instance id=\"%u\" typeId=\"%u\" typeVersion=\"1\" action=\"log\" "
         "severity=\"low\">\n    <criterion index=\"%zu\" op=\"regex\" valueHex=\"",
         id, type, index);
    for (size_t i = 0; i < n; i++)
        putf(b, "%02x", (unsigned char)pat[i]);
    putf(b, "\"%s/>\n  </instance>\n", caseless ? " caseInsensitive=\"true\"" : "");
}

static const char channel_head[] = "<channel formatVersion=\"1\" id=\"1\" contentVersion=\"1\">\n";
static const char channel_tail[] = "</channel>\n";

/* ---- the world: one field of LENGTH bytes, and the short fields ---------- */

static char *types_xml(size_t length, const size_t *shorts, size_t nshort, unsigned *ntypes)
{
    strbuf b = {0};
    putf(&b,
         "<templateTypes formatVersion=\"1\">\n"
         "  <templateType id=\"1\" version=\"1\" name=\"Long\">\n"
         "    <field name=\"value\" kind=\"string\" maxLength=\"%zu\"/>\n"
         "  </templateType>\n",
         length);
    unsigned t = 1;
    for (size_t i = 0; i < nshort; i++) {
        if (i % 64 == 0) {
            if (i)
                putf(&b, "  </templateType>\n");
            t++;
            putf(&b, "  <templateType id=\"%u\" version=\"1\" name=\"Short%u\">\n", t, t);
        }
        putf(&b, "    <field name=\"f%zu\" kind=\"string\" maxLength=\"%zu\"/>\n", i, shorts[i]);
    }
    if (nshort)
        putf(&b, "  </templateType>\n");
    putf(&b, "</templateTypes>\n");
    *ntypes = t;
    return b.p;
}

static char *fleet_xml(unsigned long long budget, unsigned ntypes, size_t nshort)
{
    strbuf b = {0};
    putf(&b,
         "<fleet formatVersion=\"1\">\n"
         "  <sensor version=\"1.0\" maxChannelBytes=\"16777216\" "
         "maxInstances=\"100000\" maxRegexLength=\"65535\" "
         "regexMatchLimit=\"%llu\">\n",
         budget);
    for (unsigned t = 1; t <= ntypes; t++) {
        size_t fields = t == 1 ? 1 : (nshort - (t - 2) * 64 < 64 ? nshort - (t - 2) * 64 : 64);
        putf(&b, "    <supports typeId=\"%u\" typeVersion=\"1\" inputs=\"%zu\"/>\n", t, fields);
    }
    putf(&b, "  </sensor>\n</fleet>\n");
    return b.p;
}

/* A channel source of one instance of `type` with the row's regex on `index`. */
static char *source(const row *r, unsigned type, size_t index)
{
    strbuf b = {0};
    put(&b, channel_head, sizeof channel_head - 1);
    put_instance(&b, 1, type, index, r->pattern, r->npattern, r->caseless);
    put(&b, channel_tail, sizeof channel_tail - 1);
    return b.p;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Check one source; the CV502/CV503 finding, or NULL. */
static const chanval_diag *run(chanval_session *s, const char *src, double *ms)
{
    double t0 = now();
    if (chanval_check_memory(s, "bench.xml", src, strlen(src)) != CHANVAL_OK) {
        fprintf(stderr, "check failed: %s\n", chanval_last_error(s));
        exit(2);
    }
    if (ms)
        *ms = (now() - t0) * 1e3;
    const chanval_file *f = chanval_file_at(s, chanval_file_count(s) - 1);
    for (size_t i = 0; i < chanval_file_diag_count(f); i++) {
        const chanval_diag *d = chanval_file_diag(f, i);
        if (d->rule == 502 || d->rule == 503)
            return d;
    }
    return NULL;
}

/* Does d's witness cost what d says?  CV502: more than the budget; CV503:
 * exactly its steps. */
static int verify(const row *r, const chanval_diag *d, unsigned long long budget)
{
    size_t len = (size_t)d->witness_length;
    char *in = malloc(len + 1);
    if (!in)
        exit(2);
    size_t n = build(in, len, d->witness_prefix, strlen(d->witness_prefix), d->witness_pump,
                     strlen(d->witness_pump), d->witness_suffix, strlen(d->witness_suffix));
    unsigned long long st = n == len ? measure(r, in, n, 10 * budget) : 0;
    free(in);
    if (d->rule == 502)
        return st > budget;
    return st == d->steps;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double pct(double *v, size_t n, double p)
{
    if (n == 0)
        return 0;
    qsort(v, n, sizeof *v, cmp_double);
    size_t i = (size_t)(p * (double)(n - 1) + 0.5);
    return v[i];
}


/* ---- whole files of distinct regexes ----------------------------------------- */

static const char *const words[] = {"svc",  "update", "agent", "helper", "loader", "shell",
                                    "host", "runner", "task",  "sync",   "backup", "report",
                                    "cache", "proxy", "guard", "relay"};

/* The k-th generated pattern: distinct for every k, in the shapes content
 * regexes take. */
static size_t realistic(char *out, size_t cap, unsigned k)
{
    const char *w = words[k % 16];
    unsigned u = k / 16;
    int n;
    switch (k % 10) {
    case 0:
        n = snprintf(out, cap, "^%s%u[0-9]{1,4}_[a-z]+\\.(exe|dll)$", w, u);
        break;
    case 1:
        n = snprintf(out, cap, "(?i)\\\\%s_%u\\.(dll|exe|sys)$", w, u);
        break;
    case 2:
        n = snprintf(out, cap, "^C:\\\\Windows\\\\(System32|SysWOW64)\\\\%s%u\\.exe$", w, u);
        break;
    case 3:
        n = snprintf(out, cap, "-(e|enc|encodedcommand)\\s+[A-Za-z0-9+/=]{%u,}%s", 20 + u % 60, w);
        break;
    case 4:
        n = snprintf(out, cap, "^\\\\\\\\\\.\\\\pipe\\\\%s-[0-9a-f]{8}-[0-9a-f]{4}-%u$", w, u);
        break;
    case 5:
        n = snprintf(out, cap, "https?://[^/\\s]+/%s%u\\.(php|aspx)\\?id=\\d+", w, u);
        break;
    case 6:
        n = snprintf(out, cap, "^[A-Z]:\\\\Users\\\\[^\\\\]+\\\\AppData\\\\(Local|Roaming)\\\\%s%u\\\\",
                     w, u);
        break;
    case 7:
        n = snprintf(out, cap, "(?i)^%s%u(\\.[a-z0-9-]+)*\\.example\\.com$", w, u);
        break;
    case 8:
        n = snprintf(out, cap, "^S-1-5-21(-\\d+){3}-%u%s$", u, w);
        break;
    default:
        /* one in ten of these the hazardous shape: .* retried at every
         * occurrence of the word (quadratic, CV502 on a long field) */
        if (k % 100 == 99)
            n = snprintf(out, cap, "\\b%s%u\\b.*--(silent|quiet)", w, u);
        else
            n = snprintf(out, cap, "\\b%s%u\\b[^-\\n]*--(silent|quiet)", w, u);
        break;
    }
    return n > 0 ? (size_t)n : 0;
}

/* Pack the source without a fleet (CV502 needs one, so the costly regexes
 * do not stop the pack); NULL when it does not pack. */
static uint8_t *pack_src(const strbuf *src, const char *types, size_t *nbin)
{
    chanval_session *p = chanval_session_new();
    uint8_t *bin = NULL;
    if (!p || chanval_add_types_memory(p, "types.xml", types, strlen(types)) != CHANVAL_OK ||
        chanval_set_limit(p, CHANVAL_LIMIT_XML_BYTES, 1u << 30) != CHANVAL_OK ||
        chanval_pack_memory(p, "regexes.xml", src->p, src->len, &bin, nbin) != CHANVAL_OK)
        bin = NULL;
    chanval_session_free(p);
    return bin;
}

/* Check the channel file against the fleet in a fresh session (with the
 * result cache in `cache` when not NULL): its time, CV502 and CV503. */
static double check_bin(const uint8_t *bin, size_t nbin, const char *types, const char *fleet,
                        const char *cache, size_t *n502, size_t *n503)
{
    chanval_session *s = chanval_session_new();
    if (!s || chanval_add_types_memory(s, "types.xml", types, strlen(types)) != CHANVAL_OK ||
        chanval_add_fleet_memory(s, "fleet.xml", fleet, strlen(fleet)) != CHANVAL_OK ||
        chanval_set_limit(s, CHANVAL_LIMIT_DIAGNOSTICS, 1000000) != CHANVAL_OK ||
        (cache && chanval_set_cache_dir(s, cache) != CHANVAL_OK))
        exit(2);
    double t0 = now();
    if (chanval_check_memory(s, "regexes.bin", bin, nbin) != CHANVAL_OK) {
        fprintf(stderr, "check failed: %s\n", chanval_last_error(s));
        exit(2);
    }
    double t = now() - t0;
    const chanval_file *f = chanval_file_at(s, chanval_file_count(s) - 1);
    *n502 = *n503 = 0;
    for (size_t i = 0; i < chanval_file_diag_count(f); i++) {
        const chanval_diag *d = chanval_file_diag(f, i);
        *n502 += d->rule == 502;
        *n503 += d->rule == 503;
    }
    chanval_session_free(s);
    return t;
}

/* Pack, then check in a fresh session.  Prints one line; with
 * REDOS_CACHE_DIR, three more: the same check with the result cache cold,
 * warm, and warm with the first regex of the file changed. */
static void file_run(const char *what, const strbuf *src, unsigned nregex, const char *types,
                     const char *fleet)
{
    size_t nbin = 0, n502, n503;
    uint8_t *bin = pack_src(src, types, &nbin);
    if (!bin) {
        fprintf(stderr, "the %s file does not pack\n", what);
        exit(2);
    }
    double t = check_bin(bin, nbin, types, fleet, NULL, &n502, &n503);
    printf("  %-34s %6u regexes, %8zu bytes: %7.3f s (%.3f ms per regex); %zu CV502, %zu CV503\n",
           what, nregex, nbin, t, t * 1e3 / nregex, n502, n503);
    const char *dir = getenv("REDOS_CACHE_DIR");
    if (dir) {
        char cache[4096];
        snprintf(cache, sizeof cache, "%s/%u-%zu", dir, nregex, nbin);
        size_t c502, c503;
        double cold = check_bin(bin, nbin, types, fleet, cache, &c502, &c503);
        double warm = check_bin(bin, nbin, types, fleet, cache, &c502, &c503);
        if (c502 != n502 || c503 != n503) {
            fprintf(stderr, "the cached check disagrees\n");
            exit(2);
        }
        /* one regex changed: an x before the first pattern */
        strbuf b2 = {0};
        const char *v = memmem(src->p, src->len, "valueHex=\"", 10);
        if (!v) {
            fprintf(stderr, "no regex criterion to change\n");
            exit(2);
        }
        size_t at = (size_t)(v - src->p) + 10;
        put(&b2, src->p, at);
        put(&b2, "78", 2);
        put(&b2, src->p + at, src->len - at);
        size_t nbin2 = 0;
        uint8_t *bin2 = pack_src(&b2, types, &nbin2);
        double one = bin2 ? check_bin(bin2, nbin2, types, fleet, cache, &c502, &c503) : 0;
        printf("    result cache: cold %.3f s, warm %.3f s (%.1f%% of cold), one regex changed "
               "%.3f s (%.1f%%)\n",
               cold, warm, 100 * warm / cold, one, 100 * one / cold);
        free(b2.p);
        chanval_free(bin2);
    }
    chanval_free(bin);
}

static void file_bench(const row *rows, size_t nrows, unsigned long long budget, size_t length)
{
    unsigned ntypes;
    char *types = types_xml(length, NULL, 0, &ntypes);
    char *fleet = fleet_xml(budget, ntypes, 0);
    printf("\nwhole channel files of distinct regexes (regex criteria on a %zu-byte field), "
           "checked in a fresh session:\n",
           length);

    /* realistic: every labelled pattern once, the rest generated */
    strbuf b = {0};
    put(&b, channel_head, sizeof channel_head - 1);
    unsigned id = 1;
    for (size_t i = 0; i < nrows && id <= FILE_REGEXES; i++, id++)
        put_instance(&b, id, 1, 0, rows[i].pattern, rows[i].npattern, rows[i].caseless);
    for (unsigned k = 0; id <= FILE_REGEXES; k++, id++) {
        char pat[256];
        size_t n = realistic(pat, sizeof pat, k);
        put_instance(&b, id, 1, 0, pat, n, false);
    }
    put(&b, channel_tail, sizeof channel_tail - 1);
    char what[96];
    snprintf(what, sizeof what, "realistic (%zu labelled, rest generated)", nrows);
    file_run(what, &b, FILE_REGEXES, types, fleet);

    /* worst case: super-linear patterns only, made distinct by a comment */
    b.len = 0;
    put(&b, channel_head, sizeof channel_head - 1);
    id = 1;
    size_t nsup = 0;
    for (size_t i = 0; i < nrows; i++)
        nsup += rows[i].label != LABEL_LIN;
    for (unsigned v = 0; nsup && id <= FILE_REGEXES; v++) {
        for (size_t i = 0; i < nrows && id <= FILE_REGEXES; i++) {
            const row *r = &rows[i];
            if (r->label == LABEL_LIN)
                continue;
            char *pat = malloc(r->npattern + 32);
            if (!pat)
                exit(2);
            memcpy(pat, r->pattern, r->npattern);
            /* (?#...) is a comment in PCRE2, also under (?x) */
            int k = snprintf(pat + r->npattern, 32, "(?#%u)", v);
            put_instance(&b, id++, 1, 0, pat, r->npattern + (size_t)k, r->caseless);
            free(pat);
        }
    }
    put(&b, channel_tail, sizeof channel_tail - 1);
    if (nsup)
        file_run("worst case (super-linear variants)", &b, FILE_REGEXES, types, fleet);
    free(b.p);
    free(types);
    free(fleet);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: redos_bench SET.tsv OUT.tsv [BUDGET [LENGTH]]\n");
        return 2;
    }
    unsigned long long budget = argc > 3 ? strtoull(argv[3], NULL, 10) : 100000;
    size_t length = argc > 4 ? (size_t)strtoull(argv[4], NULL, 10) : 4096;
    size_t nrows;
    row *rows = read_set(argv[1], &nrows);
    if (getenv("REDOS_ONLY_FILES")) {
        file_bench(rows, nrows, budget, length);
        return 0;
    }

    /* the short field of each super-linear row: the longest length (on a
     * grid of 2^(k/4) bytes) at which the labelled witness costs at most a
     * quarter of the budget */
    size_t *shorts = calloc(nrows + 1, sizeof *shorts);
    size_t nshort = 0;
    char *buf = malloc(length + 1);
    if (!shorts || !buf)
        return 2;
    for (size_t i = 0; i < nrows; i++) {
        row *r = &rows[i];
        if (r->label == LABEL_LIN)
            continue;
        size_t best = 0;
        for (double L = 8; L <= (double)length; L *= 1.189207) {
            size_t n = build(buf, (size_t)L, r->prefix, r->nprefix, r->pump, r->npump, r->suffix,
                             r->nsuffix);
            if (n == 0)
                continue;
            unsigned long long st = measure(r, buf, n, budget);
            if (st > budget / 4)
                break;
            if (st > 0) {
                best = (size_t)L;
                r->label503 = st;
            }
        }
        if (best) {
            r->len503 = best;
            shorts[nshort++] = best;
        }
    }
    unsigned ntypes;
    char *types = types_xml(length, shorts, nshort, &ntypes);
    char *fleet = fleet_xml(budget, ntypes, nshort);
    chanval_session *s = chanval_session_new();
    if (!s || chanval_add_types_memory(s, "types.xml", types, strlen(types)) != CHANVAL_OK ||
        chanval_add_fleet_memory(s, "fleet.xml", fleet, strlen(fleet)) != CHANVAL_OK)
        return 2;
    for (size_t f = 0; f < chanval_file_count(s); f++)
        if (chanval_file_errors(chanval_file_at(s, f))) {
            fprintf(stderr, "the generated world has errors\n");
            return 2;
        }

    /* the checks */
    size_t k503 = 0;
    double *times = calloc(nrows + 1, sizeof *times), *tlin = calloc(nrows + 1, sizeof *tlin);
    size_t nlin = 0;
    double total = 0;
    for (size_t i = 0; i < nrows; i++) {
        row *r = &rows[i];
        double t0 = now();
        rx_ast ast;
        rx_plan plan = {0};
        if (rx_parse(&ast, (const uint8_t *)r->pattern, r->npattern, r->caseless) == RX_OK)
            rx_analyse(&ast, &plan);
        rx_ast_free(&ast);
        rx_plan_free(&plan);
        r->analyse_ms = (now() - t0) * 1e3;
        char *src = source(r, 1, 0);
        const chanval_diag *d = run(s, src, &r->ms);
        free(src);
        times[i] = r->ms;
        total += r->ms;
        r->verified = -1;
        if (d) {
            r->rule = d->rule == 502 ? R_502 : R_503;
            r->cls = d->regex_class;
            r->degree = d->degree;
            r->steps = d->steps;
            r->wlen = d->witness_length;
            r->verified = verify(r, d, budget);
        } else {
            tlin[nlin++] = r->ms;
        }
        r->verified503 = -1;
        if (r->len503) {
            size_t idx = k503++;
            src = source(r, (unsigned)(2 + idx / 64), idx % 64);
            d = run(s, src, NULL);
            free(src);
            r->rule503 = !d ? R_NONE : d->rule == 502 ? R_502 : R_503;
            if (d)
                r->verified503 = verify(r, d, budget);
        }
    }

    /* the table */
    static const char *const lname[] = {"exponential", "polynomial", "linear"};
    size_t conf[3][3] = {{0}}, c503[3][3] = {{0}}, nlabel[3] = {0};
    size_t unproven = 0, lin502 = 0, lin502_proven = 0, n503 = 0, n503ok = 0, short502 = 0,
           short_proven = 0;
    for (size_t i = 0; i < nrows; i++) {
        const row *r = &rows[i];
        nlabel[r->label]++;
        conf[r->label][r->rule]++;
        if (r->rule != R_NONE && r->verified != 1)
            unproven++;
        if (r->label == LABEL_LIN && r->rule == R_502) {
            lin502++;
            lin502_proven += r->verified == 1;
        }
        if (r->len503) {
            c503[r->label][r->rule503]++;
            n503++;
            n503ok += r->rule503 == R_503;
            short502 += r->rule503 == R_502;
            short_proven += r->rule503 != R_NONE && r->verified503 == 1;
        }
    }
    size_t sup = nlabel[LABEL_EXP] + nlabel[LABEL_POLY];
    size_t sup502 = conf[LABEL_EXP][R_502] + conf[LABEL_POLY][R_502];
    size_t all502 = sup502 + conf[LABEL_LIN][R_502];
    printf("chanval on %zu labelled regexes: budget %llu steps, maxLength %zu bytes\n\n", nrows,
           budget, length);
    printf("  %-12s %6s %6s %6s\n", "label", "CV502", "CV503", "none");
    for (int l = 0; l < 3; l++)
        printf("  %-12s %6zu %6zu %6zu\n", lname[l], conf[l][R_502], conf[l][R_503],
               conf[l][R_NONE]);
    printf("\n  CV502 recall (super-linear rows, all over budget at %zu bytes): %zu/%zu = %.1f%%\n",
           length, sup502, sup, sup ? 100.0 * (double)sup502 / (double)sup : 0);
    printf("  CV502 precision against the labels: %zu/%zu = %.1f%%\n", sup502, all502,
           all502 ? 100.0 * (double)sup502 / (double)all502 : 0);
    printf("  CV502 on rows labelled linear: %zu, of which %zu proven over budget by their own "
           "witness (re-measured here)\n",
           lin502, lin502_proven);
    printf("  witnesses that did not re-measure as claimed: %zu\n", unproven);
    printf("\n  short fields (labelled witness within a quarter of the budget there):\n");
    printf("  %-12s %6s %6s %6s\n", "label", "CV502", "CV503", "none");
    for (int l = 0; l < 2; l++)
        printf("  %-12s %6zu %6zu %6zu\n", lname[l], c503[l][R_502], c503[l][R_503],
               c503[l][R_NONE]);
    printf("  CV503 recall: %zu/%zu = %.1f%%; CV502 instead: %zu (chanval's witness is worse than "
           "the label's there); findings whose witness re-measured as claimed: %zu/%zu\n",
           n503ok, n503, n503 ? 100.0 * (double)n503ok / (double)n503 : 0, short502, short_proven,
           n503ok + short502);
    double med = pct(times, nrows, 0.5), p95 = pct(times, nrows, 0.95),
           mx = pct(times, nrows, 1.0);
    printf("\n  time per regex (parse, analysis, measurement; %zu-byte field): median %.3f ms, "
           "p95 %.3f ms, max %.3f ms, total %.0f ms\n",
           length, med, p95, mx, total);
    double *ta = calloc(nrows + 1, sizeof *ta);
    if (!ta)
        return 2;
    for (size_t i = 0; i < nrows; i++)
        ta[i] = rows[i].analyse_ms;
    printf("  of which the parse and static analysis alone: median %.3f ms, p95 %.3f ms, max %.3f ms; "
           "the rest is measurement, at least one match past the budget for each CV502\n",
           pct(ta, nrows, 0.5), pct(ta, nrows, 0.95), pct(ta, nrows, 1.0));
    free(ta);
    printf("  time per regex with no finding (%zu): median %.3f ms, p95 %.3f ms\n", nlin,
           pct(tlin, nlin, 0.5), pct(tlin, nlin, 0.95));

    /* one line per row for the comparison */
    FILE *out = fopen(argv[2], "w");
    if (!out) {
        perror(argv[2]);
        return 2;
    }
    static const char *const rname[] = {"none", "CV502", "CV503"};
    static const char *const cname[] = {"", "polynomial", "exponential"};
    fprintf(out, "row\tlabel\trule\tclass\tdegree\tsteps\tms\tverified\tlen503\trule503\n");
    for (size_t i = 0; i < nrows; i++) {
        const row *r = &rows[i];
        fprintf(out, "%zu\t%s\t%s\t%s\t%u\t%llu\t%.3f\t%d\t%zu\t%s\n", i, lname[r->label],
                rname[r->rule], cname[r->cls], r->degree, r->steps, r->ms, r->verified, r->len503,
                r->len503 ? rname[r->rule503] : "-");
    }
    fclose(out);
    chanval_session_free(s);
    if (!getenv("REDOS_NO_FILES"))
        file_bench(rows, nrows, budget, length);
    for (size_t i = 0; i < nrows; i++) {
        free(rows[i].pattern);
        free(rows[i].prefix);
        free(rows[i].pump);
        free(rows[i].suffix);
        free(rows[i].label_steps);
    }
    free(rows);
    free(shorts);
    free(buf);
    free(types);
    free(fleet);
    free(times);
    free(tlin);
    return 0;
}
