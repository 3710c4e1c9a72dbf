/* test_edges.c - boundaries: exactly at a limit against one past it, the
 * last byte against the first, counts off by one.  Each case here is one a
 * one-character change in the library would get wrong while every other
 * test still passed. */
#define _POSIX_C_SOURCE 200809L
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* One instance of type 12 v1 (8 fields), an equals on field 0: pack lays
 * out TYPES at 128, INSTANCES at 140 (record at 144, 176 bytes), STRINGS
 * ("cmd.exe") at 320, 327 bytes in all. */
static const char src_base[] =
    "<channel formatVersion=\"1\" id=\"291\" contentVersion=\"7\">\n"
    "  <instance id=\"1\" typeId=\"12\" typeVersion=\"1\" action=\"detect\" severity=\"high\">\n"
    "    <criterion field=\"image_path\" op=\"equals\" value=\"cmd.exe\"/>\n"
    "  </instance>\n"
    "</channel>\n";

enum {
    E_INSTANCES = 112, /* its section table entry: kind, offset, size */
    E_STRINGS = 80,
    INST = 140,
    REC = 144,
    REC_END = 320,
    STR = 320,
    FSIZE = 327
};
#define CRIT(i) ((size_t)REC + 16 + 20 * (size_t)(i))

static tu_bin g_base;
static chanval_session *S;

static int group_setup(void **state)
{
    (void)state;
    g_base = tu_pack_with(tu_types_xml, NULL, src_base);
    return g_base.n == FSIZE && tu_sec_off(&g_base, 3) == INST && tu_sec_off(&g_base, 1) == STR
               ? 0
               : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    tu_bin_free(&g_base);
    return 0;
}

static int setup(void **state)
{
    (void)state;
    S = tu_session(tu_types_xml, tu_healthy_fleet_xml);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    chanval_session_free(S);
    S = NULL;
    return 0;
}

static tu_bin copy(const tu_bin *b)
{
    tu_bin c = {malloc(b->n), b->n};
    assert_non_null(c.p);
    memcpy(c.p, b->p, b->n);
    return c;
}

static const chanval_file *check(const tu_bin *b) { return tu_check(S, "e.bin", b->p, b->n); }

/* ---- the digest: every one of its 32 bytes, every byte it covers -------- */

static void digest_last_byte_of_the_digest(void **state)
{
    (void)state;
    /* the first, a middle and the last byte of the stored SHA-256 */
    const size_t at[] = {48, 63, 78, 79};
    for (size_t i = 0; i < sizeof at / sizeof *at; i++) {
        tu_bin b = copy(&g_base);
        b.p[at[i]] ^= 0x01;
        const chanval_file *f = check(&b);
        tu_bin_free(&b);
        if (strcmp(tu_rules(f), "CV107") != 0)
            fail_msg("digest byte %zu changed: %s", at[i], tu_rules(f));
        tu_assert_offset(f, 107, 48);
    }
}

static void digest_covers_the_last_byte_of_the_file(void **state)
{
    (void)state;
    /* "cmd.exe" -> "cmd.exE": still valid, only the digest can tell */
    tu_bin b = copy(&g_base);
    assert_int_equal(b.p[FSIZE - 1], 'e');
    b.p[FSIZE - 1] = 'E';
    const chanval_file *f = check(&b);
    assert_rules(f, "CV107");
    tu_assert_offset(f, 107, 48);
    tu_bin_free(&b);
    /* and the first byte after the digest */
    b = copy(&g_base);
    b.p[80] ^= 0x01; /* STRINGS kind 1 -> 0: CV112 too */
    f = check(&b);
    assert_non_null(tu_find(f, 107));
    tu_bin_free(&b);
}

/* ---- a tail too short for a record header ------------------------------- */

/* g_base with `tail` more bytes in INSTANCES after its record and the
 * count raised to 2: a second record header should start at 320. */
static tu_bin with_tail(size_t tail, uint8_t fill)
{
    size_t str_at = (REC_END + tail + 3) / 4 * 4;
    tu_bin b = {calloc(str_at + 7, 1), str_at + 7};
    assert_non_null(b.p);
    memcpy(b.p, g_base.p, REC_END);
    memset(b.p + REC_END, fill, tail);
    memcpy(b.p + str_at, g_base.p + STR, 7);
    tu_put(&b, INST, 2, 4);
    tu_put(&b, E_INSTANCES + 8, REC_END - INST + tail, 4);
    tu_put(&b, E_STRINGS + 4, str_at, 4);
    tu_put(&b, 32, b.n, 8);
    tu_reseal(&b);
    return b;
}

static void record_header_needs_16_bytes(void **state)
{
    (void)state;
    for (size_t tail = 1; tail <= 15; tail++) {
        for (int fill = 0; fill <= 0xff; fill += 0xff) {
            tu_bin b = with_tail(tail, (uint8_t)fill);
            const chanval_file *f = check(&b);
            tu_bin_free(&b);
            if (strcmp(tu_rules(f), "CV117") != 0 || tu_count(f, 117) != 1)
                fail_msg("tail of %zu bytes (0x%02x): %s, %zu CV117", tail, fill, tu_rules(f),
                         tu_count(f, 117));
            tu_assert_offset(f, 117, REC_END);
            char want[64];
            snprintf(want, sizeof want, "%zu bytes left, a record needs at least 16", tail);
            tu_assert_message(f, 117, want);
            tu_assert_message(f, 117, "record 1 of 2");
        }
    }
    /* 16 bytes are a header: what it says is checked (a record of no
     * criteria whose size is right, but id 0 and action 0) */
    tu_bin b = with_tail(16, 0);
    tu_put(&b, REC_END + 12, 16, 4);
    tu_reseal(&b);
    const chanval_file *f = check(&b);
    tu_bin_free(&b);
    assert_null(tu_find(f, 117));
    assert_non_null(tu_find(f, 119));
}

/* One byte after the last record is one byte too many. */
static void one_byte_after_the_last_record(void **state)
{
    (void)state;
    for (size_t tail = 1; tail <= 4; tail++) {
        tu_bin b = with_tail(tail, 0);
        tu_put(&b, INST, 1, 4);
        tu_reseal(&b);
        const chanval_file *f = check(&b);
        tu_bin_free(&b);
        assert_rules(f, "CV117");
        tu_assert_offset(f, 117, INST);
        char want[64];
        snprintf(want, sizeof want, "but %zu bytes follow the last record", tail);
        tu_assert_message(f, 117, want);
    }
}

/* ---- padding: the last padding byte is checked like the first ------------ */

/* g_base rearranged: TYPES at 128, STRINGS (the first slen bytes of
 * "cmd.exe") at 140, zero padding, INSTANCES at the next multiple of 4. */
static tu_bin strings_then_padding(uint32_t slen, size_t *pad_at, size_t *inst_at)
{
    *pad_at = 140 + slen;
    *inst_at = (*pad_at + 3) / 4 * 4;
    tu_bin b = {calloc(*inst_at + 180, 1), *inst_at + 180};
    assert_non_null(b.p);
    memcpy(b.p, g_base.p, 140);
    memcpy(b.p + 140, g_base.p + STR, slen);
    memcpy(b.p + *inst_at, g_base.p + INST, 180);
    tu_put(&b, E_STRINGS + 4, 140, 4);
    tu_put(&b, E_STRINGS + 8, slen, 4);
    tu_put(&b, E_INSTANCES + 4, *inst_at, 4);
    tu_put(&b, *inst_at + 4 + 16 + 8, slen, 4); /* the criterion's string length */
    tu_put(&b, 32, b.n, 8);
    tu_reseal(&b);
    return b;
}

static void last_padding_byte(void **state)
{
    (void)state;
    for (uint32_t slen = 4; slen <= 7; slen++) { /* 3, 2, 1, 0 padding bytes */
        size_t pad_at, inst_at;
        tu_bin b = strings_then_padding(slen, &pad_at, &inst_at);
        assert_rules(check(&b), "-"); /* zero padding is fine */
        tu_bin_free(&b);
        for (size_t at = pad_at; at < inst_at; at++) {
            b = strings_then_padding(slen, &pad_at, &inst_at);
            b.p[at] = 0x5a;
            tu_reseal(&b);
            const chanval_file *f = check(&b);
            tu_bin_free(&b);
            if (strcmp(tu_rules(f), "CV111") != 0)
                fail_msg("padding byte %zu of [%zu, %zu): %s", at, pad_at, inst_at, tu_rules(f));
            tu_assert_offset(f, 111, at);
        }
    }
}

/* ---- the header, the table, the sections: exactly at the end ------------- */

static void one_byte_short_of_a_header(void **state)
{
    (void)state;
    const chanval_file *f = tu_check(S, "h.bin", g_base.p, 79);
    assert_rules(f, "CV100");
    tu_assert_message(f, 100, "79 bytes");
    f = tu_check(S, "h.bin", "CHNL", 4); /* the magic and nothing else */
    assert_rules(f, "CV100");
}

static void section_ending_one_past_the_file(void **state)
{
    (void)state;
    tu_bin b = copy(&g_base);
    tu_put(&b, E_STRINGS + 8, 8, 4); /* STRINGS [320, 328) in 327 bytes */
    tu_reseal(&b);
    const chanval_file *f = check(&b);
    tu_bin_free(&b);
    assert_non_null(tu_find(f, 109));
    tu_assert_offset(f, 109, E_STRINGS + 4);
    tu_assert_message(f, 109, "0x148)");
}

static void table_one_byte_too_long_for_the_file(void **state)
{
    (void)state;
    /* 3 entries need 48 bytes after the header: a file of 127 bytes */
    tu_bin b = copy(&g_base);
    tu_resize(&b, 127);
    tu_put(&b, 32, 127, 8);
    tu_reseal(&b);
    const chanval_file *f = check(&b);
    tu_bin_free(&b);
    assert_rules(f, "CV108");
    tu_assert_offset(f, 108, 40);
    tu_assert_message(f, 108, "does not fit");
}

static void string_one_byte_past_strings(void **state)
{
    (void)state;
    tu_bin b = copy(&g_base);
    tu_put(&b, CRIT(0) + 8, 8, 4); /* "cmd.exe" + 1 byte past the section */
    tu_reseal(&b);
    const chanval_file *f = check(&b);
    tu_bin_free(&b);
    assert_rules(f, "CV114");
    tu_assert_offset(f, 114, CRIT(0) + 4);
    b = copy(&g_base);
    tu_put(&b, CRIT(0) + 4, 1, 4); /* offset 1, length 7: also one past */
    tu_reseal(&b);
    f = check(&b);
    tu_bin_free(&b);
    assert_rules(f, "CV114");
}

static void instance_count_exactly_at_the_limit(void **state)
{
    (void)state;
    assert_int_equal(chanval_set_limit(S, CHANVAL_LIMIT_INSTANCES, 1), CHANVAL_OK);
    assert_rules(check(&g_base), "-");
    /* a count of 2 with one record: one past the limit, CV120 with CV117 */
    tu_bin b = copy(&g_base);
    tu_put(&b, INST, 2, 4);
    tu_reseal(&b);
    const chanval_file *f = check(&b);
    tu_bin_free(&b);
    assert_non_null(tu_find(f, 120));
    tu_assert_offset(f, 120, INST);
}

/* ---- UTF-8: the last valid code point and the first invalid one ---------- */

/* g_base with its 7-byte string replaced (same length, resealed). */
static const chanval_file *with_string(const char *s7)
{
    tu_bin b = copy(&g_base);
    memcpy(b.p + STR, s7, 7);
    tu_reseal(&b);
    const chanval_file *f = check(&b);
    tu_bin_free(&b);
    return f;
}

static void utf8_edges(void **state)
{
    (void)state;
    /* U+10FFFF is the last code point; F4 90 is above it */
    assert_rules(with_string("abc\xf4\x8f\xbf\xbf"), "-");
    const chanval_file *f = with_string("abc\xf4\x90\x80\x80");
    assert_rules(f, "CV115");
    tu_assert_message(f, 115, "at byte 3");
    /* U+D7FF is the last before the surrogates, ED A0 the first surrogate */
    assert_rules(with_string("abcd\xed\x9f\xbf"), "-");
    assert_rules(with_string("abcd\xed\xa0\x80"), "CV115");
    /* U+0800 is the first 3-byte code point; E0 9F is overlong */
    assert_rules(with_string("abcd\xe0\xa0\x80"), "-");
    assert_rules(with_string("abcd\xe0\x9f\xbf"), "CV115");
    /* the last byte of a sequence must be a continuation too */
    f = with_string("abcd\xe2\x82\x41");
    assert_rules(f, "CV115");
    tu_assert_message(f, 115, "at byte 4");
    assert_rules(with_string("abc\xf0\x9f\x98\x41"), "CV115");
}

/* A NUL inside a run of eight ASCII bytes, at each of the eight places. */
static void utf8_nul_in_a_long_ascii_run(void **state)
{
    (void)state;
    static const char src16[] =
        "<channel formatVersion=\"1\" id=\"291\" contentVersion=\"7\">\n"
        "  <instance id=\"1\" typeId=\"12\" typeVersion=\"1\" action=\"detect\" "
        "severity=\"high\">\n"
        "    <criterion field=\"image_path\" op=\"equals\" value=\"abcdefghijklmnop\"/>\n"
        "  </instance>\n"
        "</channel>\n";
    tu_bin base = tu_pack_with(tu_types_xml, NULL, src16);
    size_t str = tu_sec_off(&base, 1);
    for (size_t at = 0; at < 16; at++) {
        tu_bin b = copy(&base);
        b.p[str + at] = 0;
        tu_reseal(&b);
        const chanval_file *f = check(&b);
        tu_bin_free(&b);
        if (strcmp(tu_rules(f), "CV115") != 0)
            fail_msg("NUL at byte %zu: %s", at, tu_rules(f));
        char want[32];
        snprintf(want, sizeof want, "NUL at byte %zu", at);
        tu_assert_message(f, 115, want);
    }
    tu_bin_free(&base);
}

/* ---- CV403 at both sensors' maxRegexLength (corpus/world/fleet.xml) ------ */

static char *g_types;

static const char *regex_source(size_t len)
{
    static char doc[4096];
    char value[2048];
    assert_true(len < sizeof value);
    memset(value, 'a', len);
    value[len] = '\0';
    snprintf(doc, sizeof doc,
             "<channel formatVersion=\"1\" id=\"291\" contentVersion=\"1\">\n"
             "  <instance id=\"5\" typeId=\"7\" typeVersion=\"3\" action=\"detect\" "
             "severity=\"high\">\n"
             "    <criterion field=\"client_image\" op=\"regex\" value=\"%s\"/>\n"
             "  </instance>\n"
             "</channel>\n",
             value);
    return doc;
}

/* The sensors whose maxRegexLength the regex of `len` bytes exceeds, as
 * reported for the source and for the packed file: "7.10.17706" etc. */
static void expect_cv403(size_t len, const char *sensors)
{
    chanval_session *s = chanval_session_new();
    assert_int_equal(chanval_add_types(s, "corpus/world/types.xml"), CHANVAL_OK);
    assert_int_equal(chanval_add_fleet(s, "corpus/world/fleet.xml"), CHANVAL_OK);
    const char *src = regex_source(len);
    tu_bin b = tu_pack_with(g_types, NULL, src);
    const chanval_file *files[2] = {tu_check_str(s, "r.xml", src), NULL};
    files[1] = tu_check(s, "r.bin", b.p, b.n);
    for (int k = 0; k < 2; k++) {
        char got[128] = "";
        size_t n = 0;
        for (const chanval_diag *d; (d = tu_nth(files[k], 403, n)) != NULL; n++) {
            snprintf(got + strlen(got), sizeof got - strlen(got), "%s%s", n ? "," : "", d->sensor);
            assert_int_equal(d->severity, CHANVAL_SEV_ERROR);
            assert_int_equal(d->instance, 5);
            assert_int_equal(d->criterion, 3);
        }
        if (strcmp(got, sensors) != 0)
            fail_msg("regex of %zu bytes (%s): CV403 for \"%s\", expected \"%s\"", len,
                     k ? "binary" : "source", got, sensors);
        char bytes[32];
        snprintf(bytes, sizeof bytes, "regex of %zu bytes", len);
        if (n)
            tu_assert_message(files[k], 403, bytes);
    }
    if (*sensors)
        tu_assert_offset(files[1], 403, (uint64_t)REC + 16 + 20 * 3);
    tu_bin_free(&b);
    chanval_session_free(s);
}

static void cv403_at_each_sensors_limit(void **state)
{
    (void)state;
    size_t len;
    g_types = tu_read("corpus/world/types.xml", &len);
    /* 7.10.17706 allows 256 bytes, 7.11.18110 allows 1024 */
    expect_cv403(255, "");
    expect_cv403(256, "");
    expect_cv403(257, "7.10.17706");
    expect_cv403(1023, "7.10.17706");
    expect_cv403(1024, "7.10.17706");
    expect_cv403(1025, "7.11.18110,7.10.17706"); /* fleet order */
    free(g_types);
}

/* ---- JSON escapes every control byte; SARIF carries none raw ------------- */

static void reports_escape_every_control_byte(void **state)
{
    (void)state;
    char name[64];
    size_t k = 0;
    name[k++] = 'c';
    for (int c = 1; c < 0x20; c++)
        name[k++] = (char)c;
    name[k++] = 0x7f;
    memcpy(name + k, ".bin", 5);
    tu_check(S, name, "CHNX", 4);
    char want[512];
    size_t w = (size_t)snprintf(want, sizeof want, "\"c");
    for (int c = 1; c < 0x20; c++)
        w += (size_t)snprintf(want + w, sizeof want - w, "\\u%04x", c);
    snprintf(want + w, sizeof want - w, "\\u007f.bin\"");
    char *out = NULL;
    size_t n = 0;
    assert_int_equal(chanval_render(S, CHANVAL_FORMAT_JSON, 0, &out, &n), CHANVAL_OK);
    if (!strstr(out, want))
        fail_msg("JSON does not carry the name as %s", want);
    chanval_free(out);
    /* neither JSON nor SARIF has a raw control byte anywhere */
    const chanval_format formats[] = {CHANVAL_FORMAT_JSON, CHANVAL_FORMAT_SARIF};
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(chanval_render(S, formats[i], 0, &out, &n), CHANVAL_OK);
        for (size_t j = 0; j < n; j++)
            if ((unsigned char)out[j] < 0x20 && out[j] != '\n')
                fail_msg("format %d: raw byte 0x%02x at %zu", (int)formats[i],
                         (unsigned char)out[j], j);
        chanval_free(out);
    }
}

/* ---- suppressions: where an element starts and ends; whole fingerprints -- */

/* The suppression covers the element after it, from its '<' up to its end:
 * a finding at that '<' is covered, one at the '<' of the element right
 * after it (no white space between) is not. */
static void inline_suppression_covers_exactly_its_element(void **state)
{
    (void)state;
    static const char doc[] =
        "<channel formatVersion=\"1\" id=\"1\" contentVersion=\"1\">\n"
        "  <instance id=\"1\" typeId=\"12\" typeVersion=\"1\" action=\"detect\" "
        "severity=\"high\">\n"
        "    <?chanval suppress=\"CV306\" reason=\"r\"?>"
        "<criterion field=\"integrity_level\" op=\"range\" min=\"6\" max=\"9\"/>"
        "<criterion field=\"token_elevation\" op=\"range\" min=\"4\" max=\"9\"/>\n"
        "  </instance>\n"
        "</channel>\n";
    chanval_session *s = tu_session(tu_types_xml, tu_fleet_xml);
    const chanval_file *f = tu_check_str(s, "s.xml", doc);
    assert_int_equal(tu_count(f, 306), 2);
    const chanval_diag *a = tu_nth(f, 306, 0), *b = tu_nth(f, 306, 1);
    const char *first = strstr(doc, "<criterion"), *second = strstr(first + 1, "<criterion");
    assert_int_equal(a->offset, (uint64_t)(first - doc));
    assert_int_equal(b->offset, (uint64_t)(second - doc));
    assert_int_equal(a->suppressed, CHANVAL_SUPPRESS_INLINE);
    assert_int_equal(b->suppressed, CHANVAL_SUPPRESS_NONE);
    assert_int_equal(chanval_file_suppressed(f), 1);
    assert_int_equal(chanval_file_warnings(f) + chanval_file_errors(f), 1);
    chanval_session_free(s);
}

static void write_baseline(const char *path, const char *fp)
{
    char text[256];
    snprintf(text, sizeof text,
             "<chanvalBaseline formatVersion=\"1\">\n"
             "  <finding fingerprint=\"%s\"/>\n"
             "</chanvalBaseline>\n",
             fp);
    assert_int_equal(chanval_write_file(path, text, strlen(text), NULL, 0), CHANVAL_OK);
}

/* A baseline suppresses the finding whose fingerprint it lists, all 16
 * digits of it: one digit off, first or last, is another finding; a
 * fingerprint of 14 or 18 digits is refused. */
static void baseline_fingerprints_match_whole(void **state)
{
    (void)state;
    static const char doc[] =
        "<channel formatVersion=\"1\" id=\"1\" contentVersion=\"1\">\n"
        "  <instance id=\"1\" typeId=\"12\" typeVersion=\"1\" action=\"detect\" "
        "severity=\"high\">\n"
        "    <criterion field=\"integrity_level\" op=\"range\" min=\"6\" max=\"9\"/>\n"
        "  </instance>\n"
        "</channel>\n";
    char path[] = "/tmp/chanval-edges-baseline.XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    chanval_session *s = tu_session(tu_types_xml, tu_fleet_xml);
    char fp[17];
    snprintf(fp, sizeof fp, "%s", tu_must(tu_check_str(s, "b.xml", doc), 306)->fingerprint);
    chanval_session_free(s);
    for (int k = 0; k < 3; k++) {
        char edited[17];
        memcpy(edited, fp, sizeof edited);
        if (k == 1)
            edited[0] = fp[0] == '0' ? '1' : '0';
        else if (k == 2)
            edited[15] = fp[15] == '0' ? '1' : '0';
        write_baseline(path, edited);
        s = tu_session(tu_types_xml, tu_fleet_xml);
        assert_int_equal(chanval_load_baseline(s, path), CHANVAL_OK);
        const chanval_diag *d = tu_must(tu_check_str(s, "b.xml", doc), 306);
        if (d->suppressed != (k == 0 ? CHANVAL_SUPPRESS_BASELINE : CHANVAL_SUPPRESS_NONE))
            fail_msg("baseline %s against finding %s: suppressed %d", edited, fp,
                     (int)d->suppressed);
        chanval_session_free(s);
    }
    /* an even count of digits, so that only the length is wrong */
    char longer[19], shorter[15];
    snprintf(longer, sizeof longer, "%s00", fp);
    snprintf(shorter, sizeof shorter, "%.14s", fp);
    const char *bad[] = {longer, shorter};
    for (int k = 0; k < 2; k++) {
        write_baseline(path, bad[k]);
        s = tu_session(tu_types_xml, tu_fleet_xml);
        assert_int_equal(chanval_load_baseline(s, path), CHANVAL_ERR_USAGE);
        if (!strstr(chanval_last_error(s), "a fingerprint is 16 hex digits"))
            fail_msg("%s: %s", bad[k], chanval_last_error(s));
        chanval_session_free(s);
    }
    unlink(path);
}

/* Two findings alike in all but place get different fingerprints (the
 * second is the first's second occurrence): a baseline of one leaves the
 * other failing.  Here: an instance's action and severity out of range,
 * both CV307 of instance 1. */
static void alike_findings_are_baselined_one_by_one(void **state)
{
    (void)state;
    char path[] = "/tmp/chanval-edges-baseline.XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    tu_bin b = copy(&g_base);
    tu_put(&b, REC + 8, 7, 1);
    tu_put(&b, REC + 9, 9, 1);
    tu_reseal(&b);
    const chanval_file *f = check(&b);
    assert_rules(f, "CV307");
    assert_int_equal(tu_count(f, 307), 2);
    char fp[17];
    snprintf(fp, sizeof fp, "%s", tu_nth(f, 307, 0)->fingerprint);
    assert_string_not_equal(tu_nth(f, 307, 1)->fingerprint, fp);
    write_baseline(path, fp);
    chanval_session *s = tu_session(tu_types_xml, tu_healthy_fleet_xml);
    assert_int_equal(chanval_load_baseline(s, path), CHANVAL_OK);
    f = tu_check(s, "e.bin", b.p, b.n);
    assert_int_equal(chanval_file_suppressed(f), 1);
    assert_int_equal(chanval_file_errors(f), 1);
    assert_int_equal(tu_nth(f, 307, 0)->suppressed, CHANVAL_SUPPRESS_BASELINE);
    assert_int_equal(tu_nth(f, 307, 1)->suppressed, CHANVAL_SUPPRESS_NONE);
    assert_int_equal(chanval_exit_code(s), 1);
    chanval_session_free(s);
    tu_bin_free(&b);
    unlink(path);
}

/* ---- the largest signed 64-bit bound reads back as itself --------------- */

/* INT64_MAX is the last value read as it is; one more is negative.  A range
 * [INT64_MAX, INT64_MAX] on a field whose maximum it is passes; one that
 * starts at INT64_MIN and ends at -1 lies outside [0, INT64_MAX]. */
static void range_at_int64_max(void **state)
{
    (void)state;
    static const char src[] =
        "<channel formatVersion=\"1\" id=\"1\" contentVersion=\"1\">\n"
        "  <instance id=\"1\" typeId=\"7\" typeVersion=\"3\" action=\"detect\" severity=\"high\">\n"
        "    <criterion field=\"event_time\" op=\"range\" min=\"9223372036854775807\" "
        "max=\"9223372036854775807\"/>\n"
        "  </instance>\n"
        "</channel>\n";
    tu_bin b = tu_pack_with(tu_types_xml, NULL, src);
    size_t crit = (size_t)REC + 16 + 20 * 19;
    assert_int_equal(tu_get(&b, crit + 4, 8), 0x7fffffffffffffffull);
    assert_int_equal(tu_get(&b, crit + 12, 8), 0x7fffffffffffffffull);
    assert_rules(check(&b), "-");
    tu_put(&b, crit + 4, 0x8000000000000000ull, 8);
    tu_put(&b, crit + 12, 0xffffffffffffffffull, 8);
    tu_reseal(&b);
    const chanval_file *f = check(&b);
    assert_rules(f, "CV306");
    tu_assert_message(f, 306, "-9223372036854775808");
    tu_bin_free(&b);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(digest_last_byte_of_the_digest),
        T(digest_covers_the_last_byte_of_the_file),
        T(record_header_needs_16_bytes),
        T(one_byte_after_the_last_record),
        T(last_padding_byte),
        T(one_byte_short_of_a_header),
        T(section_ending_one_past_the_file),
        T(table_one_byte_too_long_for_the_file),
        T(string_one_byte_past_strings),
        T(instance_count_exactly_at_the_limit),
        T(utf8_edges),
        T(utf8_nul_in_a_long_ascii_run),
        T(cv403_at_each_sensors_limit),
        T(reports_escape_every_control_byte),
        T(inline_suppression_covers_exactly_its_element),
        T(baseline_fingerprints_match_whole),
        T(alike_findings_are_baselined_one_by_one),
        T(range_at_int64_max),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
