/* testutil.c - helpers shared by the cmocka suites. */
#define _POSIX_C_SOURCE 200809L
#include "testutil.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IPC_FIELDS                                                                     \
    "    <field name=\"pipe_name\" kind=\"string\" maxLength=\"260\"/>\n"              \
    "    <field name=\"client_pid\" kind=\"integer\" min=\"0\" max=\"4294967295\"/>\n"  \
    "    <field name=\"server_pid\" kind=\"integer\" min=\"0\" max=\"4294967295\"/>\n"  \
    "    <field name=\"client_image\" kind=\"string\" maxLength=\"1024\"/>\n"          \
    "    <field name=\"server_image\" kind=\"string\" maxLength=\"1024\"/>\n"          \
    "    <field name=\"client_cmdline\" kind=\"string\" maxLength=\"4096\"/>\n"        \
    "    <field name=\"session_id\" kind=\"integer\" min=\"0\" max=\"4294967295\"/>\n"  \
    "    <field name=\"integrity_level\" kind=\"integer\" min=\"0\" max=\"5\"/>\n"      \
    "    <field name=\"access_mask\" kind=\"integer\" min=\"0\" max=\"4294967295\"/>\n" \
    "    <field name=\"open_mode\" kind=\"integer\" min=\"0\" max=\"4294967295\"/>\n"   \
    "    <field name=\"pipe_mode\" kind=\"integer\" min=\"0\" max=\"4294967295\"/>\n"   \
    "    <field name=\"max_instances\" kind=\"integer\" min=\"0\" max=\"255\"/>\n"      \
    "    <field name=\"out_buffer_size\" kind=\"integer\" min=\"0\" max=\"4294967295\"/>\n" \
    "    <field name=\"in_buffer_size\" kind=\"integer\" min=\"0\" max=\"4294967295\"/>\n"  \
    "    <field name=\"default_timeout\" kind=\"integer\" min=\"0\" max=\"4294967295\"/>\n" \
    "    <field name=\"client_user\" kind=\"string\" maxLength=\"256\"/>\n"            \
    "    <field name=\"server_user\" kind=\"string\" maxLength=\"256\"/>\n"            \
    "    <field name=\"client_sid\" kind=\"string\" maxLength=\"184\"/>\n"             \
    "    <field name=\"pipe_attributes\" kind=\"string\" maxLength=\"512\"/>\n"        \
    "    <field name=\"event_time\" kind=\"integer\" min=\"0\" max=\"9223372036854775807\"/>\n" \
    "    <field name=\"remote_pipe_flags\" kind=\"string\" maxLength=\"64\"/>\n"

const char tu_types_xml[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<templateTypes formatVersion=\"1\">\n"
    "  <templateType id=\"7\" version=\"3\" name=\"InterProcessCommunication\">\n" IPC_FIELDS
    "  </templateType>\n"
    "  <templateType id=\"12\" version=\"1\" name=\"ProcessCreation\">\n"
    "    <field name=\"image_path\" kind=\"string\" maxLength=\"1024\"/>\n"
    "    <field name=\"command_line\" kind=\"string\" maxLength=\"4096\"/>\n"
    "    <field name=\"parent_image\" kind=\"string\" maxLength=\"1024\"/>\n"
    "    <field name=\"pid\" kind=\"integer\" min=\"0\" max=\"4294967295\"/>\n"
    "    <field name=\"ppid\" kind=\"integer\" min=\"0\" max=\"4294967295\"/>\n"
    "    <field name=\"user\" kind=\"string\" maxLength=\"256\"/>\n"
    "    <field name=\"integrity_level\" kind=\"integer\" min=\"0\" max=\"5\"/>\n"
    "    <field name=\"token_elevation\" kind=\"integer\" min=\"0\" max=\"3\"/>\n"
    "  </templateType>\n"
    "</templateTypes>\n";

#define SENSOR(ver, bytes, inst, rlen, inputs7)                                          \
    "  <sensor version=\"" ver "\" maxChannelBytes=\"" bytes "\" maxInstances=\"" inst   \
    "\" maxRegexLength=\"" rlen "\" regexMatchLimit=\"100000\">\n"                       \
    "    <supports typeId=\"7\" typeVersion=\"3\" inputs=\"" inputs7 "\"/>\n"            \
    "    <supports typeId=\"12\" typeVersion=\"1\" inputs=\"8\"/>\n"                     \
    "  </sensor>\n"

const char tu_fleet_xml[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                            "<fleet formatVersion=\"1\">\n" SENSOR(
                                "7.11.18110", "16777216", "100000", "1024", "20")
                                SENSOR("7.10.17706", "8388608", "50000", "256", "21") "</fleet>\n";

const char tu_healthy_fleet_xml[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                                    "<fleet formatVersion=\"1\">\n" SENSOR(
                                        "7.11.18110", "16777216", "100000", "1024", "21")
                                        SENSOR("7.10.17706", "8388608", "50000", "256",
                                               "21") "</fleet>\n";

chanval_session *tu_session(const char *types_xml, const char *fleet_xml)
{
    chanval_session *s = chanval_session_new();
    assert_non_null(s);
    if (types_xml)
        assert_int_equal(chanval_add_types_memory(s, "types.xml", types_xml, strlen(types_xml)),
                         CHANVAL_OK);
    if (fleet_xml)
        assert_int_equal(chanval_add_fleet_memory(s, "fleet.xml", fleet_xml, strlen(fleet_xml)),
                         CHANVAL_OK);
    return s;
}

const chanval_file *tu_last(const chanval_session *s)
{
    size_t n = chanval_file_count(s);
    assert_true(n > 0);
    return chanval_file_at(s, n - 1);
}

const chanval_diag *tu_find(const chanval_file *f, unsigned rule)
{
    for (size_t i = 0; i < chanval_file_diag_count(f); i++)
        if (chanval_file_diag(f, i)->rule == rule)
            return chanval_file_diag(f, i);
    return NULL;
}

size_t tu_count(const chanval_file *f, unsigned rule)
{
    size_t n = 0;
    for (size_t i = 0; i < chanval_file_diag_count(f); i++)
        n += chanval_file_diag(f, i)->rule == rule;
    return n;
}

/* Distinct rules over files[0..n): "CV400,CV401", or "-". */
static const char *rules_over(const chanval_file *const *files, size_t n)
{
    static char buf[1024];
    unsigned char seen[1000] = {0};
    for (size_t k = 0; k < n; k++)
        for (size_t i = 0; i < chanval_file_diag_count(files[k]); i++) {
            unsigned r = chanval_file_diag(files[k], i)->rule;
            if (r < 1000)
                seen[r] = 1;
        }
    size_t len = 0;
    buf[0] = '\0';
    for (unsigned r = 0; r < 1000; r++)
        if (seen[r])
            len += (size_t)snprintf(buf + len, sizeof buf - len, "%sCV%03u", len ? "," : "", r);
    if (len == 0)
        snprintf(buf, sizeof buf, "-");
    return buf;
}

const char *tu_rules(const chanval_file *f) { return rules_over(&f, 1); }

const char *tu_session_rules(const chanval_session *s, size_t from)
{
    const chanval_file *files[64];
    size_t n = 0;
    for (size_t i = from; i < chanval_file_count(s) && n < 64; i++)
        files[n++] = chanval_file_at(s, i);
    return rules_over(files, n);
}

const chanval_file *tu_check(chanval_session *s, const char *name, const void *data, size_t len)
{
    assert_int_equal(chanval_check_memory(s, name, data, len), CHANVAL_OK);
    return tu_last(s);
}

const chanval_file *tu_check_str(chanval_session *s, const char *name, const char *text)
{
    return tu_check(s, name, text, strlen(text));
}

static const chanval_diag *must_find(const chanval_file *f, unsigned rule)
{
    const chanval_diag *d = tu_find(f, rule);
    if (!d)
        fail_msg("no CV%03u in %s (found %s)", rule, chanval_file_path(f), tu_rules(f));
    return d;
}

void tu_assert_offset(const chanval_file *f, unsigned rule, uint64_t off)
{
    const chanval_diag *d = must_find(f, rule);
    assert_int_equal(d->loc_kind, CHANVAL_LOC_OFFSET);
    if (d->offset != off)
        fail_msg("CV%03u at 0x%llx, expected 0x%llx: %s", rule, (unsigned long long)d->offset,
                 (unsigned long long)off, d->message);
}

void tu_assert_line(const chanval_file *f, unsigned rule, uint32_t line, uint32_t col)
{
    const chanval_diag *d = must_find(f, rule);
    assert_int_equal(d->loc_kind, CHANVAL_LOC_LINE);
    if (d->line != line || d->column != col)
        fail_msg("CV%03u at %u:%u, expected %u:%u: %s", rule, d->line, d->column, line, col,
                 d->message);
}

tu_bin tu_pack(chanval_session *s, const char *source_xml)
{
    uint8_t *out = NULL;
    size_t n = 0;
    assert_int_equal(chanval_pack_memory(s, "source.xml", source_xml, strlen(source_xml), &out,
                                         &n),
                     CHANVAL_OK);
    if (!out)
        fail_msg("pack failed: %s", tu_rules(tu_last(s)));
    /* tu_bin memory is the C library's, whatever allocator a test hooks */
    tu_bin b = {malloc(n), n};
    assert_non_null(b.p);
    memcpy(b.p, out, n);
    chanval_free(out);
    return b;
}

void tu_bin_free(tu_bin *b)
{
    free(b->p);
    b->p = NULL;
    b->n = 0;
}

void tu_put(tu_bin *b, size_t off, uint64_t v, int bytes)
{
    assert_true(off + (size_t)bytes <= b->n);
    for (int i = 0; i < bytes; i++)
        b->p[off + (size_t)i] = (uint8_t)(v >> (8 * i));
}

uint64_t tu_get(const tu_bin *b, size_t off, int bytes)
{
    assert_true(off + (size_t)bytes <= b->n);
    uint64_t v = 0;
    for (int i = 0; i < bytes; i++)
        v |= (uint64_t)b->p[off + (size_t)i] << (8 * i);
    return v;
}

void tu_reseal(tu_bin *b)
{
    assert_true(b->n >= 80);
    memset(b->p + 48, 0, 32);
    unsigned char md[32];
    unsigned int len = 0;
    assert_int_equal(EVP_Digest(b->p, b->n, md, &len, EVP_sha256(), NULL), 1);
    memcpy(b->p + 48, md, 32);
}

void tu_resize(tu_bin *b, size_t n)
{
    uint8_t *p = malloc(n ? n : 1);
    assert_non_null(p);
    memset(p, 0, n);
    memcpy(p, b->p, b->n < n ? b->n : n);
    free(b->p);
    b->p = p;
    b->n = n;
}

char *tu_read(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    char *buf = NULL;
    size_t cap = 0, n = 0;
    for (;;) {
        if (n == cap) {
            cap = cap ? cap * 2 : 4096;
            buf = realloc(buf, cap + 1);
            assert_non_null(buf);
        }
        size_t k = fread(buf + n, 1, cap - n, f);
        if (k == 0)
            break;
        n += k;
    }
    fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* ---- added for the per-area suites ------------------------------------ */

tu_bin tu_pack_with(const char *types_xml, const char *fleet_xml, const char *source_xml)
{
    chanval_session *s = tu_session(types_xml, fleet_xml);
    tu_bin b = tu_pack(s, source_xml);
    chanval_session_free(s);
    return b;
}

const chanval_diag *tu_nth(const chanval_file *f, unsigned rule, size_t n)
{
    for (size_t i = 0; i < chanval_file_diag_count(f); i++) {
        const chanval_diag *d = chanval_file_diag(f, i);
        if (d->rule == rule && n-- == 0)
            return d;
    }
    return NULL;
}

const chanval_diag *tu_must(const chanval_file *f, unsigned rule)
{
    return must_find(f, rule);
}

void tu_assert_message(const chanval_file *f, unsigned rule, const char *needle)
{
    const chanval_diag *d = must_find(f, rule);
    if (!strstr(d->message, needle))
        fail_msg("CV%03u message lacks \"%s\": %s", rule, needle, d->message);
}

void tu_assert_severity(const chanval_file *f, unsigned rule, chanval_severity sev)
{
    const chanval_diag *d = must_find(f, rule);
    if (d->severity != sev)
        fail_msg("CV%03u is %s, expected %s: %s", rule,
                 d->severity == CHANVAL_SEV_ERROR ? "an error" : "a warning",
                 sev == CHANVAL_SEV_ERROR ? "an error" : "a warning", d->message);
}

void tu_assert_all_lines(const chanval_file *f, unsigned rule, uint32_t line, uint32_t col)
{
    must_find(f, rule);
    for (size_t i = 0; i < chanval_file_diag_count(f); i++) {
        const chanval_diag *d = chanval_file_diag(f, i);
        if (d->rule != rule)
            continue;
        assert_int_equal(d->loc_kind, CHANVAL_LOC_LINE);
        if (d->line != line || d->column != col)
            fail_msg("CV%03u at %u:%u, expected %u:%u: %s", rule, d->line, d->column, line,
                     col, d->message);
    }
}

static size_t sec_entry(const tu_bin *b, unsigned kind)
{
    uint64_t count = tu_get(b, 20, 4);
    for (uint64_t i = 0; i < count; i++) {
        size_t e = 80 + 16 * (size_t)i;
        if (tu_get(b, e, 4) == kind)
            return e;
    }
    fail_msg("no section of kind %u", kind);
    return 0;
}

uint32_t tu_sec_off(const tu_bin *b, unsigned kind)
{
    return (uint32_t)tu_get(b, sec_entry(b, kind) + 4, 4);
}

uint32_t tu_sec_size(const tu_bin *b, unsigned kind)
{
    return (uint32_t)tu_get(b, sec_entry(b, kind) + 8, 4);
}

const chanval_file *tu_add_types(chanval_session *s, const char *xml)
{
    assert_int_equal(chanval_add_types_memory(s, "types.xml", xml, strlen(xml)), CHANVAL_OK);
    return tu_last(s);
}

const chanval_file *tu_add_fleet(chanval_session *s, const char *xml)
{
    assert_int_equal(chanval_add_fleet_memory(s, "fleet.xml", xml, strlen(xml)), CHANVAL_OK);
    return tu_last(s);
}

void tu_assert_text(const chanval_file *f, unsigned rule, const char *needle)
{
    const chanval_diag *d = must_find(f, rule);
    if (!strstr(d->message, needle) && !(d->note && strstr(d->note, needle)))
        fail_msg("CV%03u message and note lack \"%s\": %s (note: %s)", rule, needle, d->message,
                 d->note ? d->note : "none");
}

void tu_locate(const char *text, const char *needle, uint32_t *line, uint32_t *col)
{
    const char *at = needle[0] ? strstr(text, needle) : NULL;
    if (!at)
        fail_msg("\"%s\" is not in the document", needle);
    size_t n = 0;
    for (const char *p = text; (p = strstr(p, needle)) != NULL; p++)
        n++;
    if (n != 1)
        fail_msg("\"%s\" is not unique in the document", needle);
    *line = 1;
    *col = 1;
    for (const char *p = text; p < at; p++) {
        if (*p == '\n') {
            ++*line;
            *col = 1;
        } else if (((unsigned char)*p & 0xc0) != 0x80) {
            ++*col; /* columns count characters, not bytes */
        }
    }
}

void tu_assert_at(const chanval_file *f, unsigned rule, const char *text, const char *needle)
{
    uint32_t line, col;
    tu_locate(text, needle, &line, &col);
    tu_assert_line(f, rule, line, col);
}

void tu_assert_in(const chanval_file *f, unsigned rule, const char *text, const char *context,
                  const char *target)
{
    uint32_t line, col;
    tu_locate(text, context, &line, &col);
    const char *t = strstr(context, target);
    if (!t)
        fail_msg("\"%s\" is not in \"%s\"", target, context);
    for (const char *p = context; p < t; p++) {
        if (*p == '\n') {
            line++;
            col = 1;
        } else if (((unsigned char)*p & 0xc0) != 0x80) {
            col++;
        }
    }
    tu_assert_line(f, rule, line, col);
}

char tu_dir[64];

int tu_tmp_setup(void **state)
{
    (void)state;
    snprintf(tu_dir, sizeof tu_dir, "/tmp/chanval-test.XXXXXX");
    return mkdtemp(tu_dir) ? 0 : -1;
}

int tu_tmp_teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tu_dir);
    return system(cmd) == 0 ? 0 : -1;
}
