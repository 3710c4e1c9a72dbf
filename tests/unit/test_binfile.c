/* test_binfile.c - the channel file container, CV100-CV120, on crafted
 * binaries: a valid file from pack, mutated field by field, resealed. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the base files and their layout (decisions: pack's exact layout) ---- */

/* One instance of type 12 v1 (8 fields), an equals on field 0. */
static const char src_base[] =
    "<channel formatVersion=\"1\" id=\"291\" contentVersion=\"7\">\n"
    "  <instance id=\"1\" typeId=\"12\" typeVersion=\"1\" action=\"detect\" severity=\"high\">\n"
    "    <criterion field=\"image_path\" op=\"equals\" value=\"cmd.exe\"/>\n"
    "  </instance>\n"
    "</channel>\n";

/* Only a range: STRINGS is empty. */
static const char src_range[] =
    "<channel formatVersion=\"1\" id=\"291\" contentVersion=\"7\">\n"
    "  <instance id=\"1\" typeId=\"12\" typeVersion=\"1\" action=\"detect\" severity=\"high\">\n"
    "    <criterion field=\"pid\" op=\"range\" min=\"4\" max=\"4\"/>\n"
    "  </instance>\n"
    "</channel>\n";

/* Two instances of type 12 v1; the second has a regex on field 1. */
static const char src_two[] =
    "<channel formatVersion=\"1\" id=\"291\" contentVersion=\"7\">\n"
    "  <instance id=\"1\" typeId=\"12\" typeVersion=\"1\" action=\"detect\" severity=\"high\">\n"
    "    <criterion field=\"image_path\" op=\"equals\" value=\"cmd.exe\"/>\n"
    "  </instance>\n"
    "  <instance id=\"2\" typeId=\"12\" typeVersion=\"1\" action=\"log\" severity=\"low\">\n"
    "    <criterion field=\"command_line\" op=\"regex\" value=\"^x\"/>\n"
    "  </instance>\n"
    "</channel>\n";

enum {
    E_STRINGS = 80, /* section table entries, in kind order */
    E_TYPES = 96,
    E_INSTANCES = 112,
    TYPES = 128,     /* TYPES count */
    TENT = 132,      /* TYPES entry 0: type_id, +4 version, +6 field_count */
    INST = 140,      /* INSTANCES count */
    REC = 144,       /* instance record 0 */
    CRIT0 = REC + 16,
    STR = 320,       /* STRINGS of src_base */
    FSIZE = 327,     /* file size of src_base */
    REC2 = REC + 176 /* second record of src_two */
};
#define CRIT(i) ((size_t)CRIT0 + 20 * (size_t)(i))

static tu_bin g_base, g_range, g_two;

static int group_setup(void **state)
{
    (void)state;
    g_base = tu_pack_with(tu_types_xml, NULL, src_base);
    g_range = tu_pack_with(tu_types_xml, NULL, src_range);
    g_two = tu_pack_with(tu_types_xml, NULL, src_two);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    tu_bin_free(&g_base);
    tu_bin_free(&g_range);
    tu_bin_free(&g_two);
    return 0;
}

/* Per test: a session with the world, and two scratch files. */
static chanval_session *S;
static tu_bin B, B2;

static int setup(void **state)
{
    (void)state;
    S = tu_session(tu_types_xml, tu_healthy_fleet_xml);
    B = (tu_bin){0};
    B2 = (tu_bin){0};
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    chanval_session_free(S);
    S = NULL;
    tu_bin_free(&B);
    tu_bin_free(&B2);
    return 0;
}

static tu_bin copy(const tu_bin *b)
{
    tu_bin c = {malloc(b->n ? b->n : 1), b->n};
    assert_non_null(c.p);
    memcpy(c.p, b->p, b->n);
    return c;
}

static const chanval_file *check(const tu_bin *b)
{
    return tu_check(S, "c.bin", b->p, b->n);
}

static const chanval_file *check_bytes(const void *p, size_t n)
{
    return tu_check(S, "c.bin", p, n);
}

/* Rebuild a file from parts: the header of `base`, a table of n entries,
 * then each part's bytes at the next 4-aligned offset plus `gap` bytes.
 * file_size is set and the file sealed. */
typedef struct part {
    uint32_t kind;
    const uint8_t *data;
    uint32_t size;
    uint32_t gap;
} part;

static tu_bin assemble(const tu_bin *base, const part *parts, size_t n, size_t trailing)
{
    size_t pos = 80 + 16 * n;
    size_t total = pos;
    for (size_t i = 0; i < n; i++) {
        total = (total + 3) / 4 * 4 + parts[i].gap;
        total += parts[i].size;
    }
    total += trailing;
    tu_bin b = {calloc(total, 1), total};
    assert_non_null(b.p);
    memcpy(b.p, base->p, 80);
    tu_put(&b, 20, n, 4);
    tu_put(&b, 32, total, 8);
    for (size_t i = 0; i < n; i++) {
        pos = (pos + 3) / 4 * 4 + parts[i].gap;
        size_t e = 80 + 16 * i;
        tu_put(&b, e, parts[i].kind, 4);
        tu_put(&b, e + 4, pos, 4);
        tu_put(&b, e + 8, parts[i].size, 4);
        if (parts[i].size)
            memcpy(b.p + pos, parts[i].data, parts[i].size);
        pos += parts[i].size;
    }
    tu_reseal(&b);
    return b;
}

static part section(const tu_bin *b, uint32_t kind, uint32_t gap)
{
    return (part){kind, b->p + tu_sec_off(b, kind), tu_sec_size(b, kind), gap};
}

/* ---- the layout pack writes (the offsets every test below relies on) ---- */

static void pack_layout_is_as_decided(void **state)
{
    (void)state;
    const tu_bin *b = &g_base;
    assert_int_equal(b->n, FSIZE);
    assert_memory_equal(b->p, "CHNL", 4);
    assert_int_equal(tu_get(b, 4, 2), 1);
    assert_int_equal(tu_get(b, 6, 2), 0);
    assert_int_equal(tu_get(b, 8, 4), 80);
    assert_int_equal(tu_get(b, 16, 4), 291);
    assert_int_equal(tu_get(b, 20, 4), 3);
    assert_int_equal(tu_get(b, 24, 8), 7);
    assert_int_equal(tu_get(b, 32, 8), FSIZE);
    assert_int_equal(tu_get(b, 40, 4), 80);
    assert_int_equal(tu_get(b, E_STRINGS, 4), 1);
    assert_int_equal(tu_get(b, E_TYPES, 4), 2);
    assert_int_equal(tu_get(b, E_INSTANCES, 4), 3);
    assert_int_equal(tu_sec_off(b, 2), TYPES);
    assert_int_equal(tu_sec_size(b, 2), 12);
    assert_int_equal(tu_sec_off(b, 3), INST);
    assert_int_equal(tu_sec_size(b, 3), 4 + 16 + 20 * 8);
    assert_int_equal(tu_sec_off(b, 1), STR);
    assert_int_equal(tu_sec_size(b, 1), 7);
    assert_int_equal(tu_get(b, TENT, 4), 12);
    assert_int_equal(tu_get(b, TENT + 4, 2), 1);
    assert_int_equal(tu_get(b, TENT + 6, 2), 8);
    assert_int_equal(tu_get(b, REC, 4), 1);
    assert_int_equal(tu_get(b, REC + 12, 4), 16 + 20 * 8);
    assert_int_equal(tu_get(b, CRIT(0), 1), 1);
    assert_int_equal(tu_get(b, CRIT(0) + 8, 4), 7);
    assert_memory_equal(b->p + STR, "cmd.exe", 7);
    /* the empty STRINGS sits at the end of the file, size 0 */
    assert_int_equal(g_range.n, STR);
    assert_int_equal(tu_sec_off(&g_range, 1), STR);
    assert_int_equal(tu_sec_size(&g_range, 1), 0);
    assert_int_equal(g_two.n, REC2 + 176 + 9);
}

static void valid_files_have_no_findings(void **state)
{
    (void)state;
    assert_rules(check(&g_base), "-");
    assert_rules(check(&g_range), "-");
    assert_rules(check(&g_two), "-");
    assert_int_equal(chanval_exit_code(S), 0);
}

/* ---- CV100, CV101 -------------------------------------------------------- */

static void cv100_truncated_header(void **state)
{
    (void)state;
    const chanval_file *f = check_bytes(g_base.p, 40);
    assert_rules(f, "CV100");
    tu_assert_offset(f, 100, 0);
    f = check_bytes(g_base.p, 79);
    assert_rules(f, "CV100");
    tu_assert_offset(f, 100, 0);
    f = check_bytes("CHNL", 4);
    assert_rules(f, "CV100");
    tu_assert_offset(f, 100, 0);
    assert_int_equal(tu_must(f, 100)->severity, CHANVAL_SEV_ERROR);
}

static void cv101_bad_magic(void **state)
{
    (void)state;
    B = copy(&g_base);
    B.p[3] = 'X';
    tu_reseal(&B);
    const chanval_file *f = check(&B);
    assert_rules(f, "CV101");
    tu_assert_offset(f, 101, 0);
    B.p[0] = 'c';
    B.p[3] = 'l'; /* lower case is not the magic */
    f = check(&B);
    assert_rules(f, "CV101");
    /* fewer than four bytes, even when they begin the magic */
    f = check_bytes("CHN", 3);
    assert_rules(f, "CV101");
    tu_assert_offset(f, 101, 0);
    f = check_bytes("\x01", 1);
    assert_rules(f, "CV101");
    /* ten bytes that are not the magic: CV101, not CV100 */
    f = check_bytes("0123456789", 10);
    assert_rules(f, "CV101");
}

static void cv101_says_empty(void **state)
{
    (void)state;
    const chanval_file *f = check_bytes("", 0);
    assert_rules(f, "CV101");
    tu_assert_offset(f, 101, 0);
    tu_assert_message(f, 101, "empty");
}

static void cv101_says_all_zero_bytes(void **state)
{
    (void)state;
    static const uint8_t zeros[4096];
    const size_t sizes[] = {1, 3, 4, 80, 327, 4096};
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        const chanval_file *f = check_bytes(zeros, sizes[i]);
        assert_rules(f, "CV101");
        tu_assert_offset(f, 101, 0);
        tu_assert_message(f, 101, "all zero bytes");
        assert_int_equal(chanval_file_kind(f), CHANVAL_KIND_CHANNEL);
    }
}

static void cv101_text_that_is_not_xml(void **state)
{
    (void)state;
    /* not '<' after white space: checked as a channel file */
    const chanval_file *f = check_bytes("  \n hello <channel/>", 20);
    assert_rules(f, "CV101");
    assert_int_equal(chanval_file_kind(f), CHANVAL_KIND_CHANNEL);
    tu_assert_offset(f, 101, 0);
}

static void cv101_utf16_xml_is_not_a_channel_file(void **state)
{
    (void)state;
    /* "<c" in UTF-16LE with a BOM: not XML by the detection rule, so it is
     * checked as a channel file and fails with the real reason */
    static const uint8_t utf16[] = {0xff, 0xfe, '<', 0, 'c', 0, '/', 0, '>', 0};
    const chanval_file *f = check_bytes(utf16, sizeof utf16);
    assert_rules(f, "CV101");
    tu_assert_offset(f, 101, 0);
}

/* ---- CV102 - CV104 ------------------------------------------------------- */

static void cv102_unsupported_major(void **state)
{
    (void)state;
    B = copy(&g_base);
    tu_put(&B, 4, 2, 2);
    tu_reseal(&B);
    const chanval_file *f = check(&B);
    assert_rules(f, "CV102");
    tu_assert_offset(f, 102, 4);
    tu_put(&B, 4, 0, 2);
    tu_reseal(&B);
    f = check(&B);
    assert_rules(f, "CV102");
    tu_assert_offset(f, 102, 4);
}

static void cv103_newer_minor_is_a_warning(void **state)
{
    (void)state;
    B = copy(&g_base);
    tu_put(&B, 6, 1, 2);
    tu_reseal(&B);
    const chanval_file *f = check(&B);
    assert_rules(f, "CV103");
    tu_assert_offset(f, 103, 6);
    tu_assert_severity(f, 103, CHANVAL_SEV_WARNING);
    assert_int_equal(chanval_file_errors(f), 0);
    assert_int_equal(chanval_exit_code(S), 0);
    chanval_set_strict(S, true);
    f = check(&B);
    assert_rules(f, "CV103");
    tu_assert_severity(f, 103, CHANVAL_SEV_ERROR);
    assert_int_equal(chanval_exit_code(S), 1);
}

static void cv103_every_v10_rule_still_applies(void **state)
{
    (void)state;
    B = copy(&g_base);
    tu_put(&B, 6, 0xffff, 2);
    tu_put(&B, 12, 1, 4);        /* flags */
    tu_put(&B, REC, 0, 4);       /* instance id 0 */
    tu_put(&B, REC + 8, 9, 1);   /* action */
    B.p[STR + 1] = 0xc0;         /* not UTF-8 */
    tu_reseal(&B);
    const chanval_file *f = check(&B);
    assert_rules(f, "CV103,CV105,CV115,CV119,CV307");
    tu_assert_offset(f, 103, 6);
    /* and the digest */
    B.p[STR] = 'C';
    f = check(&B);
    assert_rules(f, "CV103,CV105,CV107,CV115,CV119,CV307");
}

static void cv104_bad_header_size(void **state)
{
    (void)state;
    B = copy(&g_base);
    tu_put(&B, 8, 84, 4);
    tu_reseal(&B);
    const chanval_file *f = check(&B);
    assert_rules(f, "CV104");
    tu_assert_offset(f, 104, 8);
    tu_put(&B, 8, 0, 4);
    tu_reseal(&B);
    f = check(&B);
    assert_rules(f, "CV104");
    tu_assert_offset(f, 104, 8);
}

/* ---- CV105 --------------------------------------------------------------- */

static void cv105_one(size_t off, uint64_t v, int bytes, uint64_t where, const char *word)
{
    tu_bin b = copy(&g_base);
    tu_put(&b, off, v, bytes);
    tu_reseal(&b);
    const chanval_file *f = check(&b);
    tu_bin_free(&b);
    assert_rules(f, "CV105");
    tu_assert_offset(f, 105, where);
    tu_assert_message(f, 105, word);
    tu_assert_severity(f, 105, CHANVAL_SEV_ERROR);
}

static void cv105_header_flags(void **state)
{
    (void)state;
    cv105_one(12, 1, 4, 12, "flags");
    cv105_one(12, 0x80000000u, 4, 12, "flags");
}

static void cv105_header_reserved(void **state)
{
    (void)state;
    cv105_one(44, 1, 4, 44, "reserved");
}

static void cv105_section_entry_reserved(void **state)
{
    (void)state;
    cv105_one(E_TYPES + 12, 1, 4, E_TYPES + 12, "reserved");
    cv105_one(E_STRINGS + 12, 0xffffffffu, 4, E_STRINGS + 12, "reserved");
}

static void cv105_instance_reserved(void **state)
{
    (void)state;
    cv105_one(REC + 10, 1, 2, REC + 10, "reserved");
}

static void cv105_criterion_reserved(void **state)
{
    (void)state;
    cv105_one(CRIT(0) + 2, 0x100, 2, CRIT(0) + 2, "reserved");
    cv105_one(CRIT(5) + 2, 1, 2, CRIT(5) + 2, "reserved"); /* on a wildcard */
}

static void cv105_equals_payload_reserved(void **state)
{
    (void)state;
    cv105_one(CRIT(0) + 12, 1, 8, CRIT(0) + 12, "reserved");
}

static void cv105_wildcard_payload(void **state)
{
    (void)state;
    cv105_one(CRIT(1) + 4, 0xff, 1, CRIT(1) + 4, "payload");
    /* located at the first non-zero payload byte */
    cv105_one(CRIT(1) + 13, 0x01, 1, CRIT(1) + 13, "payload");
}

/* ---- CV106, CV107 -------------------------------------------------------- */

static void cv106_appended(void **state)
{
    (void)state;
    B = copy(&g_base);
    tu_resize(&B, FSIZE + 4);
    const chanval_file *f = check(&B);
    /* no CV107: the digest is not checked when the size is wrong; no
     * CV111: the header's file_size is where the sections end */
    assert_rules(f, "CV106");
    tu_assert_offset(f, 106, 32);
}

static void cv106_truncated(void **state)
{
    (void)state;
    B = copy(&g_base);
    tu_resize(&B, FSIZE - 3);
    const chanval_file *f = check(&B);
    /* STRINGS [320, 327) now ends past the end of the file */
    assert_rules(f, "CV106,CV109");
    tu_assert_offset(f, 109, E_STRINGS + 4);
    tu_assert_offset(f, 106, 32);
}

static void cv106_is_not_fatal(void **state)
{
    (void)state;
    B = copy(&g_base);
    tu_put(&B, 12, 1, 4);
    tu_put(&B, REC + 8, 0, 1);
    tu_resize(&B, FSIZE + 8);
    const chanval_file *f = check(&B);
    assert_rules(f, "CV105,CV106,CV307");
    tu_assert_offset(f, 106, 32);
    /* a file_size past the real end: the 8 bytes after the last section
     * are now also stray (the layout is checked up to the real end) */
    tu_put(&B, 32, UINT64_MAX, 8);
    f = check(&B);
    assert_rules(f, "CV105,CV106,CV111,CV307");
    tu_assert_offset(f, 111, FSIZE);
}

static void cv107_digest_mismatch(void **state)
{
    (void)state;
    B = copy(&g_base);
    B.p[STR] = 'C'; /* "Cmd.exe", still valid */
    const chanval_file *f = check(&B);
    assert_rules(f, "CV107");
    tu_assert_offset(f, 107, 48);
    tu_bin_free(&B);
    B = copy(&g_base);
    B.p[60] ^= 1; /* the digest itself */
    f = check(&B);
    assert_rules(f, "CV107");
    tu_assert_offset(f, 107, 48);
}

static void cv107_suppresses_nothing(void **state)
{
    (void)state;
    B = copy(&g_base);
    tu_put(&B, 12, 1, 4);          /* CV105 */
    tu_put(&B, REC, 0, 4);         /* CV119 */
    tu_put(&B, REC + 9, 7, 1);     /* CV307 */
    tu_put(&B, CRIT(2), 9, 1);     /* CV302 */
    tu_put(&B, CRIT(0) + 8, 8, 4); /* CV114 */
    /* not resealed */
    const chanval_file *f = check(&B);
    assert_rules(f, "CV105,CV107,CV114,CV119,CV302,CV307");
    tu_assert_offset(f, 107, 48);
    /* the same file sealed: everything but CV107 */
    tu_reseal(&B);
    f = check(&B);
    assert_rules(f, "CV105,CV114,CV119,CV302,CV307");
}

/* ---- fatal findings end the checks -------------------------------------- */

/* Breaks everything after the header, so that any check that still ran
 * would report something. */
static void break_body(tu_bin *b)
{
    tu_put(b, 12, 1, 4);         /* header flags: CV105 */
    tu_put(b, E_TYPES + 12, 1, 4); /* CV105 */
    tu_put(b, REC, 0, 4);        /* CV119 */
    tu_put(b, REC + 8, 0, 1);    /* CV307 */
    tu_put(b, CRIT(3), 9, 1);    /* CV302 */
    b->p[STR] = 0xff;            /* CV115 */
}

static void fatal_cv100(void **state)
{
    (void)state;
    B = copy(&g_base);
    break_body(&B);
    const chanval_file *f = check_bytes(B.p, 60);
    assert_rules(f, "CV100");
}

static void fatal_cv101(void **state)
{
    (void)state;
    B = copy(&g_base);
    break_body(&B);
    B.p[0] = 'X';
    tu_reseal(&B);
    assert_rules(check(&B), "CV101");
}

static void fatal_cv102(void **state)
{
    (void)state;
    B = copy(&g_base);
    break_body(&B);
    tu_put(&B, 4, 3, 2);
    tu_put(&B, 6, 1, 2);
    tu_put(&B, 8, 96, 4);
    /* not resealed: CV107 is not evaluated either */
    assert_rules(check(&B), "CV102");
}

static void fatal_cv104(void **state)
{
    (void)state;
    B = copy(&g_base);
    tu_put(&B, REC, 0, 4);
    tu_put(&B, REC + 8, 0, 1);
    tu_put(&B, CRIT(3), 9, 1);
    B.p[STR] = 0xff;
    tu_put(&B, 20, 0, 4);
    tu_put(&B, 8, 96, 4);
    assert_rules(check(&B), "CV104");
    tu_reseal(&B);
    assert_rules(check(&B), "CV104");
}

static void fatal_cv108(void **state)
{
    (void)state;
    B = copy(&g_base);
    tu_put(&B, REC, 0, 4);
    tu_put(&B, REC + 8, 0, 1);
    tu_put(&B, CRIT(3), 9, 1);
    B.p[STR] = 0xff;
    tu_put(&B, E_TYPES + 12, 1, 4);
    tu_put(&B, 20, 0, 4);
    tu_reseal(&B);
    assert_rules(check(&B), "CV108");
    tu_put(&B, 20, 3, 4);
    tu_put(&B, 40, 84, 4);
    tu_reseal(&B);
    assert_rules(check(&B), "CV108");
}

/* ---- CV108 --------------------------------------------------------------- */

static void cv108_section_count(void **state)
{
    (void)state;
    const uint32_t bad[] = {0, 17, 0xffffffffu};
    for (size_t i = 0; i < 3; i++) {
        tu_bin b = copy(&g_base);
        tu_put(&b, 20, bad[i], 4);
        tu_reseal(&b);
        const chanval_file *f = check(&b);
        tu_bin_free(&b);
        assert_rules(f, "CV108");
        tu_assert_offset(f, 108, 20);
    }
}

static void cv108_table_offset(void **state)
{
    (void)state;
    const uint32_t bad[] = {0, 84, 96, 0xfffffff0u};
    for (size_t i = 0; i < 4; i++) {
        tu_bin b = copy(&g_base);
        tu_put(&b, 40, bad[i], 4);
        tu_reseal(&b);
        const chanval_file *f = check(&b);
        tu_bin_free(&b);
        assert_rules(f, "CV108");
        tu_assert_offset(f, 108, 40);
    }
}

static void cv108_table_outside_the_file(void **state)
{
    (void)state;
    /* 16 entries (256 bytes at 80) do not fit in 327 bytes */
    B = copy(&g_base);
    tu_put(&B, 20, 16, 4);
    tu_reseal(&B);
    const chanval_file *f = check(&B);
    assert_rules(f, "CV108");
    tu_assert_offset(f, 108, 40);
    /* a header followed by a table cut short */
    tu_bin_free(&B);
    B = copy(&g_base);
    tu_resize(&B, 100);
    tu_put(&B, 32, 100, 8);
    tu_reseal(&B);
    f = check(&B);
    assert_rules(f, "CV108");
    tu_assert_offset(f, 108, 40);
}

/* ---- CV109 --------------------------------------------------------------- */

static void cv109_misaligned(void **state)
{
    (void)state;
    B = copy(&g_base);
    tu_put(&B, E_STRINGS + 4, STR + 1, 4);
    tu_put(&B, E_STRINGS + 8, 6, 4);
    tu_reseal(&B);
    const chanval_file *f = check(&B);
    assert_rules(f, "CV109");
    tu_assert_offset(f, 109, E_STRINGS + 4);
}

static void cv109_past_the_end(void **state)
{
    (void)state;
    B = copy(&g_base);
    tu_put(&B, E_STRINGS + 8, 8, 4);
    tu_reseal(&B);
    const chanval_file *f = check(&B);
    assert_rules(f, "CV109");
    tu_assert_offset(f, 109, E_STRINGS + 4);
}

static void cv109_overflowing(void **state)
{
    (void)state;
    B = copy(&g_base);
    tu_put(&B, E_STRINGS + 8, 0xffffffffu, 4); /* 320 + size wraps a u32 */
    tu_reseal(&B);
    const chanval_file *f = check(&B);
    assert_rules(f, "CV109");
    tu_assert_offset(f, 109, E_STRINGS + 4);
}

static void cv109_empty_section_still_in_bounds(void **state)
{
    (void)state;
    /* an empty STRINGS past the end of the file, or misaligned */
    B = copy(&g_range);
    tu_put(&B, E_STRINGS + 4, STR + 4, 4);
    tu_reseal(&B);
    const chanval_file *f = check(&B);
    assert_rules(f, "CV109");
    tu_put(&B, E_STRINGS + 4, STR - 2, 4);
    tu_reseal(&B);
    f = check(&B);
    assert_rules(f, "CV109");
    tu_assert_offset(f, 109, E_STRINGS + 4);
}

/* A misplaced section is CV109's, not also missing; a kind with no entry
 * at all is still CV113 beside it. */
static void cv109_and_a_missing_section(void **state)
{
    (void)state;
    B = copy(&g_base);
    tu_put(&B, E_STRINGS + 4, STR + 1, 4); /* misaligned */
    tu_put(&B, E_TYPES, 7, 4);             /* no TYPES entry: kind 7 */
    tu_reseal(&B);
    const chanval_file *f = check(&B);
    assert_int_equal(tu_count(f, 109), 1);
    assert_int_equal(tu_count(f, 112), 1);
    assert_int_equal(tu_count(f, 113), 1);
    tu_assert_message(f, 113, "no TYPES section");
    tu_assert_offset(f, 113, 80);
}

/* ---- CV110 --------------------------------------------------------------- */

static void cv110_sections_overlap(void **state)
{
    (void)state;
    /* STRINGS [316, 327) overlaps INSTANCES [140, 320); the criterion
     * still refers to "cmd.exe", now at STRINGS+4 */
    B = copy(&g_base);
    tu_put(&B, E_STRINGS + 4, 316, 4);
    tu_put(&B, E_STRINGS + 8, 11, 4);
    tu_put(&B, CRIT(0) + 4, 4, 4);
    tu_reseal(&B);
    const chanval_file *f = check(&B);
    assert_rules(f, "CV110");
    tu_assert_offset(f, 110, E_STRINGS + 4);
}

static void cv110_section_overlaps_header(void **state)
{
    (void)state;
    /* STRINGS [0, 4) is the magic "CHNL"; the old strings are dropped */
    B = copy(&g_base);
    tu_resize(&B, STR);
    tu_put(&B, 32, STR, 8);
    tu_put(&B, E_STRINGS + 4, 0, 4);
    tu_put(&B, E_STRINGS + 8, 4, 4);
    tu_put(&B, CRIT(0) + 8, 4, 4);
    tu_reseal(&B);
    const chanval_file *f = check(&B);
    assert_rules(f, "CV110");
    tu_assert_offset(f, 110, E_STRINGS + 4);
}

static void cv110_section_overlaps_table(void **state)
{
    (void)state;
    /* STRINGS [96, 100): the bytes of the TYPES entry's kind field,
     * 02 00 00 00 - no criterion refers to them (range only) */
    B = copy(&g_range);
    tu_put(&B, E_STRINGS + 4, 96, 4);
    tu_put(&B, E_STRINGS + 8, 4, 4);
    tu_reseal(&B);
    const chanval_file *f = check(&B);
    assert_rules(f, "CV110");
    tu_assert_offset(f, 110, E_STRINGS + 4);
}

static void cv110_empty_section_occupies_no_bytes(void **state)
{
    (void)state;
    const uint32_t at[] = {0, 80, TYPES, INST + 8};
    for (size_t i = 0; i < 4; i++) {
        tu_bin b = copy(&g_range);
        tu_put(&b, E_STRINGS + 4, at[i], 4);
        tu_reseal(&b);
        const chanval_file *f = check(&b);
        tu_bin_free(&b);
        assert_rules(f, "-");
    }
}

/* ---- CV111 --------------------------------------------------------------- */

static void cv111_trailing_data(void **state)
{
    (void)state;
    const size_t extra[] = {1, 3, 4, 100};
    for (size_t i = 0; i < 4; i++) {
        tu_bin b = copy(&g_base);
        tu_resize(&b, FSIZE + extra[i]);
        tu_put(&b, 32, FSIZE + extra[i], 8);
        tu_reseal(&b);
        const chanval_file *f = check(&b);
        tu_bin_free(&b);
        assert_rules(f, "CV111");
        tu_assert_offset(f, 111, FSIZE);
    }
}

static void cv111_padding_up_to_3_zero_bytes_is_fine(void **state)
{
    (void)state;
    /* STRINGS first: [128, 135), one padding byte, TYPES at 136 */
    part parts[3] = {section(&g_base, 1, 0), section(&g_base, 2, 0), section(&g_base, 3, 0)};
    B = assemble(&g_base, parts, 3, 0);
    assert_int_equal(tu_sec_off(&B, 1), 128);
    assert_int_equal(tu_sec_off(&B, 2), 136);
    assert_rules(check(&B), "-");
}

static void cv111_nonzero_padding(void **state)
{
    (void)state;
    part parts[3] = {section(&g_base, 1, 0), section(&g_base, 2, 0), section(&g_base, 3, 0)};
    B = assemble(&g_base, parts, 3, 0);
    B.p[135] = 0xaa;
    tu_reseal(&B);
    const chanval_file *f = check(&B);
    assert_rules(f, "CV111");
    tu_assert_offset(f, 111, 135);
}

static void cv111_padding_of_three(void **state)
{
    (void)state;
    /* STRINGS of src_two ("cmd.exe^x", 9 bytes) first: [128, 137), then
     * three padding bytes up to TYPES at 140 */
    part parts[3] = {section(&g_two, 1, 0), section(&g_two, 2, 0), section(&g_two, 3, 0)};
    B = assemble(&g_two, parts, 3, 0);
    assert_int_equal(tu_sec_off(&B, 2), 140);
    assert_rules(check(&B), "-");
    B.p[137] = 0x20;
    tu_reseal(&B);
    const chanval_file *f = check(&B);
    assert_rules(f, "CV111");
    tu_assert_offset(f, 111, 137);
}

static void cv111_gap_of_four(void **state)
{
    (void)state;
    part parts[3] = {section(&g_base, 2, 0), section(&g_base, 3, 4), section(&g_base, 1, 0)};
    B = assemble(&g_base, parts, 3, 0);
    assert_int_equal(tu_sec_off(&B, 3), INST + 4);
    const chanval_file *f = check(&B);
    assert_rules(f, "CV111");
    tu_assert_offset(f, 111, INST);
    /* right after the table */
    tu_bin_free(&B);
    parts[0].gap = 8;
    parts[1].gap = 0;
    B = assemble(&g_base, parts, 3, 0);
    f = check(&B);
    assert_rules(f, "CV111");
    tu_assert_offset(f, 111, TYPES);
}

/* ---- CV112, CV113 -------------------------------------------------------- */

static void cv112_unknown_section_kind(void **state)
{
    (void)state;
    static const uint8_t four[4] = {0};
    part parts[4] = {section(&g_base, 1, 0), section(&g_base, 2, 0), section(&g_base, 3, 0),
                     {9, four, 4, 0}};
    B = assemble(&g_base, parts, 4, 0);
    const chanval_file *f = check(&B);
    assert_rules(f, "CV112");
    tu_assert_offset(f, 112, 80 + 3 * 16);
    tu_bin_free(&B);
    parts[3].kind = 0;
    B = assemble(&g_base, parts, 4, 0);
    f = check(&B);
    assert_rules(f, "CV112");
    tu_assert_offset(f, 112, 80 + 3 * 16);
}

static void cv113_section_repeated(void **state)
{
    (void)state;
    part parts[4] = {section(&g_base, 1, 0), section(&g_base, 2, 0), section(&g_base, 3, 0),
                     section(&g_base, 2, 0)};
    B = assemble(&g_base, parts, 4, 0);
    const chanval_file *f = check(&B);
    assert_rules(f, "CV113");
    tu_assert_offset(f, 113, 80 + 3 * 16);
}

static void cv113_section_missing(void **state)
{
    (void)state;
    /* no STRINGS (nothing refers to it) */
    part parts[2] = {section(&g_range, 2, 0), section(&g_range, 3, 0)};
    B = assemble(&g_range, parts, 2, 0);
    const chanval_file *f = check(&B);
    assert_rules(f, "CV113");
    tu_assert_offset(f, 113, 80);
    /* no INSTANCES */
    tu_bin_free(&B);
    parts[1] = section(&g_range, 1, 0);
    B = assemble(&g_range, parts, 2, 0);
    f = check(&B);
    assert_rules(f, "CV113");
    tu_assert_offset(f, 113, 80);
}

static void cv112_cv113_kind_replaced(void **state)
{
    (void)state;
    B = copy(&g_range);
    tu_put(&B, E_STRINGS, 4, 4);
    tu_reseal(&B);
    const chanval_file *f = check(&B);
    assert_rules(f, "CV112,CV113");
    tu_assert_offset(f, 112, E_STRINGS);
}

/* ---- CV114, CV115 -------------------------------------------------------- */

static void cv114_string_out_of_bounds(void **state)
{
    (void)state;
    static const struct {
        uint32_t off, len;
    } bad[] = {{0, 8}, {7, 1}, {1, 7}, {8, 0}, {0xffffffffu, 1}, {1, 0xffffffffu},
               {0xffffffffu, 0xffffffffu}, {0x80000000u, 0x80000000u}};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        tu_bin b = copy(&g_base);
        tu_put(&b, CRIT(0) + 4, bad[i].off, 4);
        tu_put(&b, CRIT(0) + 8, bad[i].len, 4);
        tu_reseal(&b);
        const chanval_file *f = check(&b);
        tu_bin_free(&b);
        if (strcmp(tu_rules(f), "CV114") != 0)
            fail_msg("(%u, %u): %s", bad[i].off, bad[i].len, tu_rules(f));
        tu_assert_offset(f, 114, CRIT(0) + 4);
    }
}

static void cv114_exact_fit_is_fine(void **state)
{
    (void)state;
    static const struct {
        uint32_t off, len;
    } ok[] = {{0, 7}, {3, 4}, {6, 1}, {7, 0}, {0, 0}};
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
        tu_bin b = copy(&g_base);
        tu_put(&b, CRIT(0) + 4, ok[i].off, 4);
        tu_put(&b, CRIT(0) + 8, ok[i].len, 4);
        tu_reseal(&b);
        const chanval_file *f = check(&b);
        tu_bin_free(&b);
        if (strcmp(tu_rules(f), "-") != 0)
            fail_msg("(%u, %u): %s", ok[i].off, ok[i].len, tu_rules(f));
    }
}

static void cv114_empty_strings_section(void **state)
{
    (void)state;
    /* a range turned equals, referring to (0, 1) of an empty STRINGS */
    B = copy(&g_range);
    size_t c = CRIT(3);
    memset(B.p + c, 0, 20);
    tu_put(&B, c, 1, 1);
    tu_put(&B, c + 8, 1, 4);
    tu_reseal(&B);
    const chanval_file *f = check(&B);
    /* field 3 (pid) is an integer: equals is also CV303 */
    assert_rules(f, "CV114,CV303");
    tu_assert_offset(f, 114, c + 4);
}

static void cv115_one(const uint8_t *s, size_t n, uint32_t ref_len)
{
    /* replace "cmd.exe" with n bytes (n <= 7) and refer to ref_len of them */
    tu_bin b = copy(&g_base);
    memcpy(b.p + STR, s, n);
    tu_put(&b, CRIT(0) + 8, ref_len, 4);
    tu_reseal(&b);
    const chanval_file *f = check(&b);
    tu_bin_free(&b);
    if (strcmp(tu_rules(f), "CV115") != 0)
        fail_msg("%02x %02x %02x: %s", s[0], n > 1 ? s[1] : 0, n > 2 ? s[2] : 0, tu_rules(f));
    tu_assert_offset(f, 115, CRIT(0) + 4);
}

static void cv115_not_utf8(void **state)
{
    (void)state;
    cv115_one((const uint8_t *)"ab\xc0\x80", 4, 7);     /* overlong */
    cv115_one((const uint8_t *)"\xe0\x80\x80", 3, 7);   /* overlong */
    cv115_one((const uint8_t *)"\xed\xa0\x80", 3, 7);   /* surrogate */
    cv115_one((const uint8_t *)"\xf4\x90\x80\x80", 4, 7); /* > U+10FFFF */
    cv115_one((const uint8_t *)"\xf5", 1, 7);
    cv115_one((const uint8_t *)"\x80", 1, 7);           /* stray continuation */
    cv115_one((const uint8_t *)"cmd.ex\xe2", 7, 7);     /* truncated at the end */
    cv115_one((const uint8_t *)"cm\xe2\x82", 4, 3);     /* truncated by the length */
}

static void cv115_nul(void **state)
{
    (void)state;
    cv115_one((const uint8_t *)"cmd\0exe", 7, 7);
    cv115_one((const uint8_t *)"\0", 1, 1);
}

static void cv115_only_referenced_bytes_count(void **state)
{
    (void)state;
    /* "cmd" is referenced; the 0xff after it is not */
    B = copy(&g_base);
    B.p[STR + 5] = 0xff;
    tu_put(&B, CRIT(0) + 8, 3, 4);
    tu_reseal(&B);
    assert_rules(check(&B), "-");
}

static void cv115_references_may_overlap(void **state)
{
    (void)state;
    /* criterion 2 (parent_image) equals "exe", inside "cmd.exe" */
    B = copy(&g_base);
    tu_put(&B, CRIT(2), 1, 1);
    tu_put(&B, CRIT(2) + 4, 4, 4);
    tu_put(&B, CRIT(2) + 8, 3, 4);
    /* criterion 5 (user) equals "cmd.exe" too */
    tu_put(&B, CRIT(5), 1, 1);
    tu_put(&B, CRIT(5) + 8, 7, 4);
    tu_reseal(&B);
    assert_rules(check(&B), "-");
}

/* ---- CV116 - CV119 ------------------------------------------------------- */

static void cv116_types_size(void **state)
{
    (void)state;
    B = copy(&g_base);
    tu_put(&B, TYPES, 2, 4);
    tu_reseal(&B);
    const chanval_file *f = check(&B);
    assert_rules(f, "CV116");
    tu_assert_offset(f, 116, TYPES);
    /* count 0: the entry is not one, and the instance's type_index 0 is
     * out of range */
    tu_put(&B, TYPES, 0, 4);
    tu_reseal(&B);
    f = check(&B);
    assert_rules(f, "CV116,CV118");
    tu_assert_offset(f, 116, TYPES);
}

static void cv116_types_section_too_large(void **state)
{
    (void)state;
    /* count 1 in 20 bytes: CV116, and the one entry is still used */
    static uint8_t types[20];
    memcpy(types, g_base.p + TYPES, 12);
    memcpy(types + 12, g_base.p + TENT, 8);
    part parts[3] = {{2, types, 20, 0}, section(&g_base, 3, 0), section(&g_base, 1, 0)};
    B = assemble(&g_base, parts, 3, 0);
    const chanval_file *f = check(&B);
    assert_rules(f, "CV116");
    tu_assert_offset(f, 116, TYPES);
}

static void cv116_types_section_too_small(void **state)
{
    (void)state;
    static const uint8_t three[3] = {1, 0, 0};
    part parts[3] = {section(&g_range, 1, 0), {2, three, 3, 0}, section(&g_range, 3, 0)};
    B = assemble(&g_range, parts, 3, 0);
    const chanval_file *f = check(&B);
    assert_rules(f, "CV116,CV118");
    tu_assert_offset(f, 116, 128);
}

static void cv117_record_size(void **state)
{
    (void)state;
    const uint32_t bad[] = {0, 16, 175, 177, 196, 0xffffffffu};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        tu_bin b = copy(&g_base);
        tu_put(&b, REC + 12, bad[i], 4);
        tu_reseal(&b);
        const chanval_file *f = check(&b);
        tu_bin_free(&b);
        if (strcmp(tu_rules(f), "CV117") != 0)
            fail_msg("record_size %u: %s", bad[i], tu_rules(f));
        tu_assert_offset(f, 117, REC + 12);
    }
}

static void cv117_walk_goes_on_after_a_wrong_record_size(void **state)
{
    (void)state;
    B = copy(&g_two);
    tu_put(&B, REC + 12, 4, 4);
    tu_put(&B, REC2, 0, 4);
    tu_reseal(&B);
    const chanval_file *f = check(&B);
    assert_rules(f, "CV117,CV119");
    tu_assert_offset(f, 117, REC + 12);
    tu_assert_offset(f, 119, REC2);
}

static void cv117_count_larger_than_records(void **state)
{
    (void)state;
    B = copy(&g_base);
    tu_put(&B, INST, 2, 4);
    tu_reseal(&B);
    const chanval_file *f = check(&B);
    assert_rules(f, "CV117");
    tu_assert_offset(f, 117, INST); /* the count that disagrees */
}

static void cv117_count_smaller_than_records(void **state)
{
    (void)state;
    B = copy(&g_base);
    tu_put(&B, INST, 0, 4);
    tu_reseal(&B);
    const chanval_file *f = check(&B);
    assert_rules(f, "CV117");
    tu_assert_offset(f, 117, INST);
    tu_bin_free(&B);
    B = copy(&g_two);
    tu_put(&B, INST, 1, 4);
    tu_reseal(&B);
    f = check(&B);
    assert_rules(f, "CV117");
    tu_assert_offset(f, 117, INST);
}

static void cv117_record_overruns_section(void **state)
{
    (void)state;
    part parts[3] = {section(&g_base, 2, 0), section(&g_base, 3, 0), section(&g_base, 1, 0)};
    parts[1].size -= 20; /* the record needs 176 bytes, 156 are left */
    B = assemble(&g_base, parts, 3, 0);
    const chanval_file *f = check(&B);
    assert_rules(f, "CV117");
    tu_assert_offset(f, 117, REC);
    /* a section too small even for the count */
    tu_bin_free(&B);
    parts[1].size = 2;
    B = assemble(&g_base, parts, 3, 0);
    f = check(&B);
    assert_rules(f, "CV117");
}

static void cv118_type_index(void **state)
{
    (void)state;
    const uint16_t bad[] = {1, 2, 0x8000, 0xffff};
    for (size_t i = 0; i < 4; i++) {
        tu_bin b = copy(&g_base);
        tu_put(&b, REC + 4, bad[i], 2);
        tu_reseal(&b);
        const chanval_file *f = check(&b);
        tu_bin_free(&b);
        assert_rules(f, "CV118");
        tu_assert_offset(f, 118, REC + 4);
    }
}

static void cv119_instance_id_zero(void **state)
{
    (void)state;
    B = copy(&g_base);
    tu_put(&B, REC, 0, 4);
    tu_reseal(&B);
    const chanval_file *f = check(&B);
    assert_rules(f, "CV119");
    tu_assert_offset(f, 119, REC);
    assert_true(tu_must(f, 119)->has_instance);
}

static void cv119_instance_id_repeated(void **state)
{
    (void)state;
    B = copy(&g_two);
    tu_put(&B, REC2, 1, 4);
    tu_reseal(&B);
    const chanval_file *f = check(&B);
    assert_rules(f, "CV119");
    tu_assert_offset(f, 119, REC2);
    assert_int_equal(tu_count(f, 119), 1);
    /* UINT32_MAX is a valid id */
    tu_put(&B, REC, 0xffffffffu, 4);
    tu_reseal(&B);
    assert_rules(check(&B), "-");
}

/* ---- CV120 and the other limits ----------------------------------------- */

static void limit_max_instances(void **state)
{
    (void)state;
    assert_int_equal(chanval_set_limit(S, CHANVAL_LIMIT_INSTANCES, 1), CHANVAL_OK);
    assert_rules(check(&g_base), "-");
    const chanval_file *f = check(&g_two);
    assert_rules(f, "CV120");
    tu_assert_offset(f, 120, INST);
    tu_assert_message(f, 120, "max-instances");
    assert_int_equal(chanval_set_limit(S, CHANVAL_LIMIT_INSTANCES, 0), CHANVAL_OK);
    f = check(&g_base);
    assert_rules(f, "CV120");
    tu_assert_offset(f, 120, INST);
}

static void limit_max_string_bytes(void **state)
{
    (void)state;
    assert_int_equal(chanval_set_limit(S, CHANVAL_LIMIT_STRING_BYTES, 7), CHANVAL_OK);
    assert_rules(check(&g_base), "-");
    assert_int_equal(chanval_set_limit(S, CHANVAL_LIMIT_STRING_BYTES, 6), CHANVAL_OK);
    const chanval_file *f = check(&g_base);
    assert_rules(f, "CV120");
    tu_assert_offset(f, 120, CRIT(0) + 4);
    tu_assert_message(f, 120, "max-string-bytes");
    /* a regex is not an equals string */
    assert_int_equal(chanval_set_limit(S, CHANVAL_LIMIT_STRING_BYTES, 1), CHANVAL_OK);
    f = check(&g_two);
    assert_rules(f, "CV120");
    assert_int_equal(tu_count(f, 120), 1);
}

static void limit_max_regex_bytes(void **state)
{
    (void)state;
    assert_int_equal(chanval_set_limit(S, CHANVAL_LIMIT_REGEX_BYTES, 2), CHANVAL_OK);
    assert_rules(check(&g_two), "-");
    assert_int_equal(chanval_set_limit(S, CHANVAL_LIMIT_REGEX_BYTES, 1), CHANVAL_OK);
    const chanval_file *f = check(&g_two);
    assert_rules(f, "CV120");
    tu_assert_offset(f, 120, REC2 + 16 + 20 + 4);
    tu_assert_message(f, 120, "max-regex-bytes");
}

static void limit_max_bytes(void **state)
{
    (void)state;
    assert_int_equal(chanval_set_limit(S, CHANVAL_LIMIT_BYTES, FSIZE), CHANVAL_OK);
    assert_rules(check(&g_base), "-");
    assert_int_equal(chanval_set_limit(S, CHANVAL_LIMIT_BYTES, FSIZE - 1), CHANVAL_OK);
    const chanval_file *f = check(&g_base);
    assert_rules(f, "CV120");
    tu_assert_offset(f, 120, 0);
    tu_assert_message(f, 120, "max-bytes");
}

static void limit_max_sections_is_cv108(void **state)
{
    (void)state;
    assert_int_equal(chanval_set_limit(S, CHANVAL_LIMIT_SECTIONS, 3), CHANVAL_OK);
    assert_rules(check(&g_base), "-");
    assert_int_equal(chanval_set_limit(S, CHANVAL_LIMIT_SECTIONS, 2), CHANVAL_OK);
    const chanval_file *f = check(&g_base);
    assert_rules(f, "CV108");
    tu_assert_offset(f, 108, 20);
    tu_assert_text(f, 108, "max-sections");
    tu_assert_text(f, 108, "2"); /* the configured value */
    /* raised: a fourth (unknown) section passes CV108 */
    static const uint8_t four[4] = {0};
    part parts[4] = {section(&g_base, 1, 0), section(&g_base, 2, 0), section(&g_base, 3, 0),
                     {7, four, 4, 0}};
    B = assemble(&g_base, parts, 4, 0);
    assert_int_equal(chanval_set_limit(S, CHANVAL_LIMIT_SECTIONS, 4), CHANVAL_OK);
    assert_rules(check(&B), "CV112");
}

static void limit_max_fields_is_cv213(void **state)
{
    (void)state;
    assert_int_equal(chanval_set_limit(S, CHANVAL_LIMIT_FIELDS, 8), CHANVAL_OK);
    assert_rules(check(&g_base), "-");
    assert_int_equal(chanval_set_limit(S, CHANVAL_LIMIT_FIELDS, 7), CHANVAL_OK);
    const chanval_file *f = check(&g_base);
    assert_rules(f, "CV213");
    tu_assert_offset(f, 213, TENT + 6);
    tu_assert_text(f, 213, "max-fields");
    tu_assert_text(f, 213, "7"); /* the configured value */
}

static void limit_default_fields_64(void **state)
{
    (void)state;
    /* a record with 65 fields: TYPES says 65 too (an unknown type 99) */
    B = copy(&g_base);
    tu_put(&B, TENT, 99, 4);
    tu_put(&B, TENT + 6, 65, 2);
    tu_put(&B, REC + 6, 65, 2);
    tu_put(&B, REC + 12, 16 + 20 * 65, 4);
    tu_reseal(&B);
    const chanval_file *f = check(&B);
    assert_true(tu_count(f, 213) >= 1);
    tu_assert_offset(f, 213, TENT + 6);
    tu_assert_text(f, 213, "max-fields");
}

/* ---- several findings in one file --------------------------------------- */

static void findings_are_collected_not_stopped(void **state)
{
    (void)state;
    B = copy(&g_two);
    tu_put(&B, 12, 4, 4);            /* CV105 header flags */
    tu_put(&B, REC + 10, 1, 2);      /* CV105 instance reserved */
    tu_put(&B, CRIT(1), 7, 1);       /* CV302 */
    tu_put(&B, REC + 8, 0, 1);       /* CV307 action */
    tu_put(&B, REC2 + 9, 5, 1);      /* CV307 severity */
    tu_put(&B, REC2 + 4, 3, 2);      /* CV118 */
    tu_put(&B, REC2, 0, 4);          /* CV119 */
    tu_reseal(&B);
    const chanval_file *f = check(&B);
    assert_rules(f, "CV105,CV118,CV119,CV302,CV307");
    assert_int_equal(tu_count(f, 105), 2);
    assert_int_equal(tu_count(f, 307), 2);
    tu_assert_offset(f, 105, 12);
    tu_assert_offset(f, 302, CRIT(1));
    tu_assert_offset(f, 307, REC + 8);
    tu_assert_offset(f, 118, REC2 + 4);
    tu_assert_offset(f, 119, REC2);
    assert_int_equal(tu_nth(f, 307, 1)->offset, REC2 + 9);
}

static void findings_across_sections(void **state)
{
    (void)state;
    B = copy(&g_two);
    B.p[tu_sec_off(&B, 1) + 1] = 0xff;      /* CV115 for instance 1 */
    tu_put(&B, REC2 + 16 + 20 + 8, 99, 4);  /* CV114 for instance 2 */
    tu_put(&B, E_INSTANCES + 12, 1, 4);     /* CV105 table */
    tu_put(&B, REC2 + 12, 1, 4);            /* CV117: the last record */
    tu_reseal(&B);
    const chanval_file *f = check(&B);
    /* a wrong record_size does not stop the walk: instance 2's CV114 too */
    assert_rules(f, "CV105,CV114,CV115,CV117");
    tu_assert_offset(f, 115, CRIT(0) + 4);
    tu_assert_offset(f, 117, REC2 + 12);
    tu_bin_free(&B);
    B = copy(&g_two);
    B.p[tu_sec_off(&B, 1) + 1] = 0xff;
    tu_put(&B, REC2 + 16 + 20 + 8, 99, 4);
    tu_reseal(&B);
    f = check(&B);
    assert_rules(f, "CV114,CV115");
    tu_assert_offset(f, 114, REC2 + 16 + 20 + 4);
}

static void every_instance_is_checked(void **state)
{
    (void)state;
    B = copy(&g_two);
    tu_put(&B, REC, 0, 4);
    tu_put(&B, REC2, 0, 4);
    tu_reseal(&B);
    const chanval_file *f = check(&B);
    assert_rules(f, "CV119");
    assert_int_equal(tu_count(f, 119), 2);
    assert_int_equal(tu_nth(f, 119, 0)->offset, REC);
    assert_int_equal(tu_nth(f, 119, 1)->offset, REC2);
}

/* ---- hostile headers: diagnostics, never a crash ------------------------ */

static void hostile(size_t off, uint64_t v, int bytes, const char *rules)
{
    tu_bin b = copy(&g_base);
    tu_put(&b, off, v, bytes);
    tu_reseal(&b);
    const chanval_file *f = check(&b);
    tu_bin_free(&b);
    if (strcmp(tu_rules(f), rules) != 0)
        fail_msg("offset %zu = 0x%llx: %s, expected %s", off, (unsigned long long)v,
                 tu_rules(f), rules);
}

static void hostile_header_values(void **state)
{
    (void)state;
    hostile(20, 0xffffffffu, 4, "CV108");       /* huge section_count */
    hostile(20, 0x10000000u, 4, "CV108");
    hostile(40, 0xffffffffu, 4, "CV108");       /* table offset */
    hostile(8, 0xffffffffu, 4, "CV104");
    hostile(4, 0xffff, 2, "CV102");
    hostile(E_STRINGS + 4, 0xfffffffcu, 4, "CV109"); /* offsets near UINT32_MAX */
    hostile(E_STRINGS + 4, 0xfffffff8u, 4, "CV109");
    hostile(E_STRINGS + 8, 0xffffffffu, 4, "CV109"); /* offset + size wraps */
    hostile(E_STRINGS + 8, 0xfffffcc0u, 4, "CV109"); /* 320 + size = 2^32 exactly */
    hostile(CRIT(0) + 4, 0xffffffffu, 4, "CV114");   /* str_offset + length wraps */
    hostile(CRIT(0) + 8, 0xffffffffu, 4, "CV114");
    hostile(CRIT(0) + 4, 0xfffffffau, 4, "CV114");   /* ... to exactly 2^32 + 1 */
    hostile(REC + 12, 0xffffffffu, 4, "CV117");      /* record_size lies */
    hostile(REC + 12, 0x80000000u, 4, "CV117");
    hostile(REC + 4, 0xffff, 2, "CV118");            /* type_index 65535 */
    hostile(TYPES, 0xffffffffu, 4, "CV116");         /* counts of 0xFFFFFFFF */
    hostile(INST, 0xffffffffu, 4, "CV117,CV120,CV404");
}

static void hostile_offsets_into_the_header_and_table(void **state)
{
    (void)state;
    /* TYPES moved onto the header: nothing may be read from outside */
    B = copy(&g_base);
    tu_put(&B, E_TYPES + 4, 0, 4);
    tu_put(&B, E_TYPES + 8, FSIZE, 4);
    tu_reseal(&B);
    const chanval_file *f = check(&B);
    assert_true(tu_count(f, 110) >= 1);
    /* INSTANCES covering the whole file */
    tu_bin_free(&B);
    B = copy(&g_base);
    tu_put(&B, E_INSTANCES + 4, 0, 4);
    tu_put(&B, E_INSTANCES + 8, FSIZE, 4);
    tu_reseal(&B);
    f = check(&B);
    assert_true(tu_count(f, 110) >= 1);
    /* a field count so large the record cannot fit */
    tu_bin_free(&B);
    B = copy(&g_base);
    tu_put(&B, TENT + 6, 0xffff, 2);
    tu_put(&B, REC + 6, 0xffff, 2);
    tu_put(&B, REC + 12, 16 + 20 * 0xffffu, 4);
    tu_reseal(&B);
    f = check(&B);
    assert_true(tu_count(f, 117) >= 1);
    assert_true(tu_count(f, 301) >= 1);
    assert_true(tu_count(f, 213) >= 1);
}

/* Bytes that take any value (channel_id, content_version, the digest,
 * which is resealed) or any non-zero one (instance_id). */
static bool free_byte(size_t i)
{
    return (i >= 16 && i < 20) || (i >= 24 && i < 32) || (i >= 48 && i < 80) ||
           (i >= REC && i < REC + 4);
}

/* Every 4-byte field set to each hostile value: no crash, and an error
 * unless the field is one that takes any value. */
static void hostile_sweep_of_fields(void **state)
{
    (void)state;
    static const uint64_t vals[] = {0xffffffffu, 0x80000000u, 0x7fffffffu, 0xfffffffcu, 0x10000};
    for (size_t off = 0; off + 4 <= FSIZE; off += 2) {
        for (size_t k = 0; k < sizeof vals / sizeof *vals; k++) {
            tu_bin b = copy(&g_base);
            tu_put(&b, off, vals[k], 4);
            bool changed = false; /* a byte that must then be reported */
            for (size_t i = off; i < off + 4; i++)
                if (b.p[i] != g_base.p[i] && !free_byte(i))
                    changed = true;
            tu_reseal(&b);
            const chanval_file *f = check(&b);
            /* past the INSTANCES count a value may happen to be valid (a
             * shorter string reference): there, only "no crash" */
            if (changed && off + 4 <= REC && chanval_file_diag_count(f) == 0)
                fail_msg("offset %zu = 0x%llx: no finding (%s)", off,
                         (unsigned long long)vals[k], tu_rules(f));
            tu_bin_free(&b);
        }
        /* keep the report small */
        chanval_session_free(S);
        S = tu_session(tu_types_xml, tu_healthy_fleet_xml);
    }
}

static void hostile_every_truncation(void **state)
{
    (void)state;
    for (size_t n = 0; n < FSIZE; n++) {
        const chanval_file *f = check_bytes(g_base.p, n);
        if (chanval_file_errors(f) == 0)
            fail_msg("truncated to %zu bytes: no error", n);
        if (n % 64 == 63) {
            chanval_session_free(S);
            S = tu_session(tu_types_xml, tu_healthy_fleet_xml);
        }
    }
}

static void hostile_every_byte(void **state)
{
    (void)state;
    for (size_t off = 0; off < FSIZE; off++) {
        if (off >= 48 && off < 80)
            continue;
        tu_bin b = copy(&g_base);
        b.p[off] ^= 0xff;
        tu_reseal(&b);
        const chanval_file *f = check(&b);
        if (!free_byte(off) && chanval_file_diag_count(f) == 0)
            fail_msg("byte %zu flipped: no finding", off);
        tu_bin_free(&b);
        if (off % 64 == 63) {
            chanval_session_free(S);
            S = tu_session(tu_types_xml, tu_healthy_fleet_xml);
        }
    }
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(pack_layout_is_as_decided),
        T(valid_files_have_no_findings),
        T(cv100_truncated_header),
        T(cv101_bad_magic),
        T(cv101_says_empty),
        T(cv101_says_all_zero_bytes),
        T(cv101_text_that_is_not_xml),
        T(cv101_utf16_xml_is_not_a_channel_file),
        T(cv102_unsupported_major),
        T(cv103_newer_minor_is_a_warning),
        T(cv103_every_v10_rule_still_applies),
        T(cv104_bad_header_size),
        T(cv105_header_flags),
        T(cv105_header_reserved),
        T(cv105_section_entry_reserved),
        T(cv105_instance_reserved),
        T(cv105_criterion_reserved),
        T(cv105_equals_payload_reserved),
        T(cv105_wildcard_payload),
        T(cv106_appended),
        T(cv106_truncated),
        T(cv106_is_not_fatal),
        T(cv107_digest_mismatch),
        T(cv107_suppresses_nothing),
        T(fatal_cv100),
        T(fatal_cv101),
        T(fatal_cv102),
        T(fatal_cv104),
        T(fatal_cv108),
        T(cv108_section_count),
        T(cv108_table_offset),
        T(cv108_table_outside_the_file),
        T(cv109_misaligned),
        T(cv109_past_the_end),
        T(cv109_overflowing),
        T(cv109_empty_section_still_in_bounds),
        T(cv109_and_a_missing_section),
        T(cv110_sections_overlap),
        T(cv110_section_overlaps_header),
        T(cv110_section_overlaps_table),
        T(cv110_empty_section_occupies_no_bytes),
        T(cv111_trailing_data),
        T(cv111_padding_up_to_3_zero_bytes_is_fine),
        T(cv111_nonzero_padding),
        T(cv111_padding_of_three),
        T(cv111_gap_of_four),
        T(cv112_unknown_section_kind),
        T(cv113_section_repeated),
        T(cv113_section_missing),
        T(cv112_cv113_kind_replaced),
        T(cv114_string_out_of_bounds),
        T(cv114_exact_fit_is_fine),
        T(cv114_empty_strings_section),
        T(cv115_not_utf8),
        T(cv115_nul),
        T(cv115_only_referenced_bytes_count),
        T(cv115_references_may_overlap),
        T(cv116_types_size),
        T(cv116_types_section_too_large),
        T(cv116_types_section_too_small),
        T(cv117_record_size),
        T(cv117_walk_goes_on_after_a_wrong_record_size),
        T(cv117_count_larger_than_records),
        T(cv117_count_smaller_than_records),
        T(cv117_record_overruns_section),
        T(cv118_type_index),
        T(cv119_instance_id_zero),
        T(cv119_instance_id_repeated),
        T(limit_max_instances),
        T(limit_max_string_bytes),
        T(limit_max_regex_bytes),
        T(limit_max_bytes),
        T(limit_max_sections_is_cv108),
        T(limit_max_fields_is_cv213),
        T(limit_default_fields_64),
        T(findings_are_collected_not_stopped),
        T(findings_across_sections),
        T(every_instance_is_checked),
        T(hostile_header_values),
        T(hostile_offsets_into_the_header_and_table),
        T(hostile_sweep_of_fields),
        T(hostile_every_truncation),
        T(hostile_every_byte),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
