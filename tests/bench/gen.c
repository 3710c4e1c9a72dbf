/* gen.c - realistic channel sources and files for benchmarks, reproducible
 * from a seed.
 *
 *   gen [--seed S] [--instances N] [--big-type PERCENT] SOURCE.xml FILE.bin
 *   gen [--seed S] --many N --instances M DIR     N small files (source+bin)
 *
 * Instances use the 21-field type 7 v3 and the 8-field type 12 v1 of
 * corpus/world/types.xml.  Criteria slots: about 80% wildcard, 10% equals,
 * 8% regex (a pool of 3000 distinct, linear patterns), 2% range; string
 * fields take equals and regex, integer fields take ranges. */
#define _POSIX_C_SOURCE 200809L
#include "chanval.h"

#include <stdarg.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static uint64_t rng = 0x9E3779B97F4A7C15ull;

static uint64_t next(void) /* xorshift64* */
{
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return rng * 0x2545F4914F6CDD1Dull;
}

static unsigned below(unsigned n) { return (unsigned)(next() % n); }

typedef struct field {
    const char *name;
    bool string;
    unsigned max_length;
    int64_t min, max;
} field;

static const field ipc[] = {
    {"pipe_name", true, 260, 0, 0},          {"client_pid", false, 0, 0, 4294967295},
    {"server_pid", false, 0, 0, 4294967295}, {"client_image", true, 1024, 0, 0},
    {"server_image", true, 1024, 0, 0},      {"client_cmdline", true, 4096, 0, 0},
    {"session_id", false, 0, 0, 4294967295}, {"integrity_level", false, 0, 0, 5},
    {"access_mask", false, 0, 0, 4294967295}, {"open_mode", false, 0, 0, 4294967295},
    {"pipe_mode", false, 0, 0, 4294967295},  {"max_instances", false, 0, 0, 255},
    {"out_buffer_size", false, 0, 0, 4294967295}, {"in_buffer_size", false, 0, 0, 4294967295},
    {"default_timeout", false, 0, 0, 4294967295}, {"client_user", true, 256, 0, 0},
    {"server_user", true, 256, 0, 0},        {"client_sid", true, 184, 0, 0},
    {"pipe_attributes", true, 512, 0, 0},    {"event_time", false, 0, 0, 9223372036854775807},
    {"remote_pipe_flags", true, 64, 0, 0},
};

static const field proc[] = {
    {"image_path", true, 1024, 0, 0},   {"command_line", true, 4096, 0, 0},
    {"parent_image", true, 1024, 0, 0}, {"pid", false, 0, 0, 4294967295},
    {"ppid", false, 0, 0, 4294967295},  {"user", true, 256, 0, 0},
    {"integrity_level", false, 0, 0, 5}, {"token_elevation", false, 0, 0, 3},
};

static const char *const words[] = {"svc", "update", "agent", "helper", "loader", "shell",
                                    "host", "runner", "task", "sync", "backup", "report"};

static void regex_of(char *out, size_t n, unsigned k)
{
    /* 3000 distinct, linear patterns */
    snprintf(out, n, "^%s%u[0-9]{1,4}_[a-z]+\\.(exe|dll)$", words[k % 12], k);
}

static void string_of(char *out, size_t n, unsigned len)
{
    static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789_.-\\";
    size_t k = len < n - 1 ? len : n - 1;
    for (size_t i = 0; i < k; i++)
        out[i] = alphabet[below(sizeof alphabet - 1)];
    out[k] = '\0';
}

typedef struct buf {
    char *p;
    size_t len, cap;
} buf;

static void add(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void add(buf *b, const char *fmt, ...)
{
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
        va_end(ap);
        if (n >= 0 && (size_t)n < b->cap - b->len) {
            b->len += (size_t)n;
            return;
        }
        b->cap = b->cap ? b->cap * 2 : 1 << 20;
        b->p = realloc(b->p, b->cap);
        if (!b->p) {
            fprintf(stderr, "gen: out of memory\n");
            exit(2);
        }
    }
}

static void instance(buf *b, uint32_t id, bool big)
{
    const field *fs = big ? ipc : proc;
    size_t n = big ? sizeof ipc / sizeof *ipc : sizeof proc / sizeof *proc;
    static const char *const actions[] = {"log", "detect", "detect", "block"};
    static const char *const severities[] = {"info", "low", "medium", "high", "critical"};
    add(b, "  <instance id=\"%" PRIu32 "\" typeId=\"%d\" typeVersion=\"%d\" action=\"%s\" severity=\"%s\">\n",
        id, big ? 7 : 12, big ? 3 : 1, actions[below(4)], severities[below(5)]);
    unsigned nonwild = 0;
    for (size_t i = 0; i < n; i++) {
        const field *f = &fs[i];
        unsigned r = below(100);
        char s[80];
        if (f->string && r < 20) {
            string_of(s, sizeof s, 8 + below(32));
            add(b, "    <criterion field=\"%s\" op=\"equals\" value=\"%s\"%s/>\n", f->name, s,
                below(2) ? " caseInsensitive=\"true\"" : "");
            nonwild++;
        } else if (f->string && r < 36) {
            regex_of(s, sizeof s, below(3000));
            add(b, "    <criterion field=\"%s\" op=\"regex\" value=\"%s\"/>\n", f->name, s);
            nonwild++;
        } else if (!f->string && r < 4) {
            int64_t span = f->max - f->min, lo = f->min + (int64_t)(next() % (uint64_t)(span / 2 + 1));
            add(b, "    <criterion field=\"%s\" op=\"range\" min=\"%" PRId64 "\" max=\"%" PRId64 "\"/>\n",
                f->name, lo, lo + (int64_t)(next() % (uint64_t)(f->max - lo + 1)));
            nonwild++;
        }
    }
    if (nonwild == 0) { /* every instance matches on something */
        char s[80];
        string_of(s, sizeof s, 16);
        add(b, "    <criterion field=\"%s\" op=\"equals\" value=\"%s\"/>\n", fs[0].name, s);
    }
    add(b, "  </instance>\n");
}

static char *source(uint32_t first, uint32_t count, unsigned big_percent, size_t *len)
{
    buf b = {0};
    add(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<channel formatVersion=\"1\" id=\"291\" contentVersion=\"%" PRIu64 "\">\n",
        (uint64_t)202600000000ull + first);
    for (uint32_t i = 0; i < count; i++)
        instance(&b, first + i, below(100) < big_percent);
    add(&b, "</channel>\n");
    *len = b.len;
    return b.p;
}

static chanval_session *world(void)
{
    chanval_session *s = chanval_session_new();
    const char *fleet =
        "<fleet formatVersion=\"1\"><sensor version=\"9.0.1\" maxChannelBytes=\"4294967295\" "
        "maxInstances=\"4294967295\" maxRegexLength=\"4096\" regexMatchLimit=\"100000\">"
        "<supports typeId=\"7\" typeVersion=\"3\" inputs=\"21\"/>"
        "<supports typeId=\"12\" typeVersion=\"1\" inputs=\"8\"/></sensor></fleet>";
    if (!s || chanval_add_types(s, "corpus/world/types.xml") != CHANVAL_OK ||
        chanval_add_fleet_memory(s, "fleet", fleet, strlen(fleet)) != CHANVAL_OK) {
        fprintf(stderr, "gen: cannot load corpus/world/types.xml (run from the top)\n");
        exit(2);
    }
    chanval_set_limit(s, CHANVAL_LIMIT_XML_BYTES, 1u << 30);
    chanval_set_limit(s, CHANVAL_LIMIT_BYTES, 1ull << 32);
    chanval_set_limit(s, CHANVAL_LIMIT_INSTANCES, UINT32_MAX);
    return s;
}

static void write_all(const char *path, const void *p, size_t n)
{
    char why[512];
    if (chanval_write_file(path, p, n, why, sizeof why) != CHANVAL_OK) {
        fprintf(stderr, "gen: %s\n", why);
        exit(2);
    }
}

static void make_pair(const char *xml_path, const char *bin_path, uint32_t first, uint32_t count,
                      unsigned big)
{
    size_t len, out_len;
    char *xml = source(first, count, big, &len);
    write_all(xml_path, xml, len);
    chanval_session *s = world();
    uint8_t *out = NULL;
    if (chanval_pack_memory(s, xml_path, xml, len, &out, &out_len) != CHANVAL_OK || !out) {
        char *report = NULL;
        size_t rl;
        chanval_render(s, CHANVAL_FORMAT_TEXT, CHANVAL_REPORT_QUIET, &report, &rl);
        fprintf(stderr, "gen: the generated source does not pack:\n%s", report ? report : "");
        exit(2);
    }
    write_all(bin_path, out, out_len);
    chanval_free(out);
    chanval_session_free(s);
    free(xml);
}

int main(int argc, char **argv)
{
    unsigned long long seed = 1, instances = 1000, many = 0, big = 50;
    int i = 1;
    for (; i + 1 < argc && strncmp(argv[i], "--", 2) == 0; i += 2) {
        unsigned long long v = strtoull(argv[i + 1], NULL, 10);
        if (strcmp(argv[i], "--seed") == 0)
            seed = v;
        else if (strcmp(argv[i], "--instances") == 0)
            instances = v;
        else if (strcmp(argv[i], "--many") == 0)
            many = v;
        else if (strcmp(argv[i], "--big-type") == 0)
            big = v;
        else
            break;
    }
    rng ^= seed * 0xD1B54A32D192ED03ull;
    if (many && i + 1 == argc) {
        mkdir(argv[i], 0755);
        for (unsigned long long k = 0; k < many; k++) {
            char x[4096], b[4096];
            snprintf(x, sizeof x, "%s/src/%06llu.xml", argv[i], k);
            snprintf(b, sizeof b, "%s/%06llu.bin", argv[i], k);
            if (k == 0) {
                char d[4096];
                snprintf(d, sizeof d, "%s/src", argv[i]);
                mkdir(d, 0755);
            }
            make_pair(x, b, (uint32_t)(k * instances + 1), (uint32_t)instances, (unsigned)big);
        }
        return 0;
    }
    if (i + 2 != argc) {
        fprintf(stderr, "usage: gen [--seed S] [--instances N] [--big-type PERCENT] SOURCE.xml FILE.bin\n"
                        "       gen [--seed S] --many N [--instances M] DIR\n");
        return 2;
    }
    make_pair(argv[i], argv[i + 1], 1, (uint32_t)instances, (unsigned)big);
    return 0;
}
