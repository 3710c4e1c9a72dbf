/* test_semantic.c - instance semantics, CV300-CV310 (and the instance
 * rules CV119/CV120 of sources): the same rule in a channel file and in a
 * channel source, each with its location. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Type 12 v1 fields: 0 image_path (string 1024), 1 command_line (string
 * 4096), 2 parent_image (string 1024), 3 pid (integer 0..4294967295),
 * 4 ppid (integer), 5 user (string 256), 6 integrity_level (integer 0..5),
 * 7 token_elevation (integer 0..3). */
#define CHAN "<channel formatVersion=\"1\" id=\"9\" contentVersion=\"1\">\n"
#define INST(id, action)                                                                      \
    "  <instance id=\"" id "\" typeId=\"12\" typeVersion=\"1\" action=\"" action                \
    "\" severity=\"high\">\n"
#define END_INST "  </instance>\n"
#define END "</channel>\n"
#define C(attrs) "    <criterion " attrs "/>\n"

/* A file with one type-12 instance: the layout of pack (decisions). */
enum { TYPES = 128, TENT = 132, INSTS = 140, REC = 144, E_STRINGS = 80, E_INSTANCES = 112 };
#define CRIT(i) ((size_t)REC + 16 + 20 * (size_t)(i))
#define RECN(n) ((size_t)REC + 176 * (size_t)(n))

static const char src_base[] = CHAN INST("1", "detect")
    C("field=\"image_path\" op=\"equals\" value=\"cmd.exe\"")
    C("field=\"pid\" op=\"range\" min=\"4\" max=\"4\"") END_INST END;

static chanval_session *S;
static tu_bin B, G;

static int setup(void **state)
{
    (void)state;
    S = tu_session(tu_types_xml, tu_healthy_fleet_xml);
    B = (tu_bin){0};
    G = tu_pack_with(tu_types_xml, NULL, src_base);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    chanval_session_free(S);
    S = NULL;
    tu_bin_free(&B);
    tu_bin_free(&G);
    return 0;
}

static const chanval_file *src(const char *doc)
{
    return tu_check_str(S, "s.xml", doc);
}

static const chanval_file *bin(const tu_bin *b)
{
    return tu_check(S, "c.bin", b->p, b->n);
}

static tu_bin copy(const tu_bin *b)
{
    tu_bin c = {malloc(b->n), b->n};
    assert_non_null(c.p);
    memcpy(c.p, b->p, b->n);
    return c;
}

/* Pack a source whose only findings are warnings (so pack proceeds). */
static tu_bin pack(const char *doc)
{
    return tu_pack_with(tu_types_xml, tu_healthy_fleet_xml, doc);
}

static void baseline(void **state)
{
    (void)state;
    assert_rules(src(src_base), "-");
    assert_rules(bin(&G), "-");
    assert_int_equal(tu_get(&G, CRIT(0), 1), 1);
    assert_int_equal(tu_get(&G, CRIT(3), 1), 3);
    assert_int_equal(tu_get(&G, CRIT(3) + 4, 8), 4);
}

/* ---- CV300 ---------------------------------------------------------------- */

/* Type checks need the template types; these run without a fleet (so
 * CV409 is expected) to keep the fleet out of it. */
static const chanval_file *check_types_only(const char *name, const void *p, size_t n)
{
    chanval_session_free(S);
    S = tu_session(tu_types_xml, NULL);
    return tu_check(S, name, p, n);
}

static void cv300_binary(void **state)
{
    (void)state;
    B = copy(&G);
    tu_put(&B, TENT, 99, 4);
    tu_reseal(&B);
    const chanval_file *f = check_types_only("c.bin", B.p, B.n);
    assert_rules(f, "CV300,CV409");
    tu_assert_offset(f, 300, TENT);
    tu_put(&B, TENT, 12, 4);
    tu_put(&B, TENT + 4, 2, 2);
    tu_reseal(&B);
    f = bin(&B);
    assert_rules(f, "CV300,CV409");
    tu_assert_offset(f, 300, TENT);
    tu_assert_message(f, 300, "12");
}

static void cv300_binary_without_types(void **state)
{
    (void)state;
    chanval_session *s = tu_session(NULL, NULL);
    const chanval_file *f = tu_check(s, "c.bin", G.p, G.n);
    assert_rules(f, "CV300,CV409");
    tu_assert_offset(f, 300, TENT);
    chanval_session_free(s);
}

static const char src_unknown[] = CHAN
    "  <instance id=\"1\" typeId=\"99\" typeVersion=\"1\" action=\"detect\" severity=\"high\">\n"
    C("index=\"0\" op=\"equals\" value=\"x\"") END_INST END;

static void cv300_source(void **state)
{
    (void)state;
    const chanval_file *f = check_types_only("s.xml", src_unknown, strlen(src_unknown));
    assert_rules(f, "CV300,CV409");
    tu_assert_at(f, 300, src_unknown, "<instance");
    static const char ver[] = CHAN
        "  <instance id=\"1\" typeId=\"12\" typeVersion=\"2\" action=\"detect\" severity=\"high\">\n"
        C("field=\"image_path\" op=\"equals\" value=\"x\"") END_INST END;
    f = src(ver);
    assert_rules(f, "CV300,CV409");
    tu_assert_at(f, 300, ver, "<instance");
    assert_true(tu_must(f, 300)->has_instance);
    assert_int_equal(tu_must(f, 300)->instance, 1);
}

/* The project's documented interpretation (corpus/README.md): an instance
 * whose type cannot be resolved gets no fleet checks; an unknown type is
 * not also CV402. */
static void cv300_is_not_also_cv402(void **state)
{
    (void)state;
    B = copy(&G);
    tu_put(&B, TENT, 99, 4);
    tu_reseal(&B);
    assert_rules(bin(&B), "CV300");
    assert_rules(src(src_unknown), "CV300");
}

/* ---- CV301 ---------------------------------------------------------------- */

static void cv301_types_entry(void **state)
{
    (void)state;
    B = copy(&G);
    tu_put(&B, TENT + 6, 9, 2);
    tu_reseal(&B);
    const chanval_file *f = bin(&B);
    assert_rules(f, "CV301");
    tu_assert_offset(f, 301, TENT + 6);
    tu_assert_message(f, 301, "9");
}

static void cv301_instance_record(void **state)
{
    (void)state;
    /* drop the record's last criterion: field_count 7, every size fixed */
    B = copy(&G);
    memmove(B.p + CRIT(7), B.p + CRIT(8), B.n - CRIT(8));
    B.n -= 20;
    tu_put(&B, REC + 6, 7, 2);
    tu_put(&B, REC + 12, 16 + 20 * 7, 4);
    tu_put(&B, E_INSTANCES + 8, tu_get(&B, E_INSTANCES + 8, 4) - 20, 4);
    tu_put(&B, E_STRINGS + 4, tu_get(&B, E_STRINGS + 4, 4) - 20, 4);
    tu_put(&B, 32, B.n, 8);
    tu_reseal(&B);
    const chanval_file *f = bin(&B);
    assert_rules(f, "CV301");
    tu_assert_offset(f, 301, REC + 6);
    assert_true(tu_must(f, 301)->has_instance);
}

/* ---- CV302 ---------------------------------------------------------------- */

static void cv302_binary(void **state)
{
    (void)state;
    const uint8_t ops[] = {4, 7, 0x80, 0xff};
    for (size_t i = 0; i < sizeof ops; i++) {
        tu_bin b = copy(&G);
        tu_put(&b, CRIT(2), ops[i], 1);
        tu_reseal(&b);
        const chanval_file *f = bin(&b);
        tu_bin_free(&b);
        assert_rules(f, "CV302");
        tu_assert_offset(f, 302, CRIT(2));
        assert_int_equal(tu_must(f, 302)->criterion, 2);
    }
}

static void cv302_unknown_op_is_not_a_wildcard(void **state)
{
    (void)state;
    /* the only other criteria are wildcards: still no CV308 */
    B = copy(&G);
    memset(B.p + CRIT(3), 0, 20);
    tu_put(&B, CRIT(0), 9, 1);
    tu_reseal(&B);
    const chanval_file *f = bin(&B);
    assert_rules(f, "CV302");
    tu_assert_offset(f, 302, CRIT(0));
}

static void cv302_source(void **state)
{
    (void)state;
    static const char *const ops[] = {"contains", "EQUALS", "wildcard", "", "range "};
    for (size_t i = 0; i < sizeof ops / sizeof *ops; i++) {
        char doc[512];
        snprintf(doc, sizeof doc,
                 CHAN INST("1", "detect") "    <criterion field=\"image_path\" op=\"%s\" value=\"x\"/>\n"
                 END_INST END, ops[i]);
        const chanval_file *f = src(doc);
        if (strcmp(tu_rules(f), "CV302") != 0)
            fail_msg("op=\"%s\": %s", ops[i], tu_rules(f));
        tu_assert_at(f, 302, doc, "op=");
    }
}

/* ---- CV303 ---------------------------------------------------------------- */

static void cv303_binary(void **state)
{
    (void)state;
    /* equals and regex on pid (integer), with a valid string reference */
    for (uint8_t op = 1; op <= 2; op++) {
        tu_bin b = copy(&G);
        size_t c = CRIT(3);
        memset(b.p + c, 0, 20);
        tu_put(&b, c, op, 1);
        tu_put(&b, c + 8, 3, 4); /* "cmd" */
        tu_reseal(&b);
        const chanval_file *f = bin(&b);
        tu_bin_free(&b);
        assert_rules(f, "CV303");
        tu_assert_offset(f, 303, c);
    }
    /* range on image_path (string) */
    B = copy(&G);
    memset(B.p + CRIT(0) + 4, 0, 16);
    tu_put(&B, CRIT(0), 3, 1);
    tu_reseal(&B);
    const chanval_file *f = bin(&B);
    assert_rules(f, "CV303");
    tu_assert_offset(f, 303, CRIT(0));
}

static void cv303_source(void **state)
{
    (void)state;
    static const char eq[] = CHAN INST("1", "detect") C("field=\"pid\" op=\"equals\" value=\"4\"")
        END_INST END;
    const chanval_file *f = src(eq);
    assert_rules(f, "CV303");
    tu_assert_at(f, 303, eq, "op=");
    static const char re[] = CHAN INST("1", "detect") C("field=\"ppid\" op=\"regex\" value=\"4\"")
        END_INST END;
    f = src(re);
    assert_rules(f, "CV303");
    tu_assert_at(f, 303, re, "op=");
    static const char rg[] = CHAN INST("1", "detect")
        C("field=\"user\" op=\"range\" min=\"0\" max=\"1\"") END_INST END;
    f = src(rg);
    assert_rules(f, "CV303");
    tu_assert_at(f, 303, rg, "op=");
    assert_int_equal(tu_must(f, 303)->criterion, 5);
}

/* ---- CV304 ---------------------------------------------------------------- */

static void cv304_binary(void **state)
{
    (void)state;
    static const struct {
        size_t crit;
        uint8_t flags;
    } cases[] = {
        {0, 0x04}, {0, 0x80}, {0, 0xff}, /* undefined bits on equals */
        {1, 0x01}, {1, 0x02},            /* any flag on a wildcard */
        {3, 0x01}, {3, 0x03},            /* case-insensitive on range */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        tu_bin b = copy(&G);
        tu_put(&b, CRIT(cases[i].crit) + 1, cases[i].flags, 1);
        tu_reseal(&b);
        const chanval_file *f = bin(&b);
        tu_bin_free(&b);
        if (strcmp(tu_rules(f), "CV304") != 0)
            fail_msg("criterion %zu flags 0x%02x: %s", cases[i].crit, cases[i].flags, tu_rules(f));
        tu_assert_offset(f, 304, CRIT(cases[i].crit) + 1);
    }
    /* the defined flags where they belong */
    B = copy(&G);
    tu_put(&B, CRIT(0) + 1, 0x03, 1);
    tu_put(&B, CRIT(3) + 1, 0x02, 1);
    tu_reseal(&B);
    assert_rules(bin(&B), "-");
}

static void cv304_source(void **state)
{
    (void)state;
    static const char doc[] = CHAN INST("1", "detect")
        C("field=\"pid\" op=\"range\" min=\"0\" max=\"1\" caseInsensitive=\"true\"") END_INST END;
    const chanval_file *f = src(doc);
    assert_rules(f, "CV304");
    tu_assert_at(f, 304, doc, "caseInsensitive=");
    assert_rules(src(CHAN INST("1", "detect")
                     C("field=\"pid\" op=\"range\" min=\"0\" max=\"1\" caseInsensitive=\"false\" negate=\"true\"")
                     END_INST END),
                 "-");
}

/* ---- CV305 ---------------------------------------------------------------- */

static void cv305_binary(void **state)
{
    (void)state;
    B = copy(&G);
    tu_put(&B, CRIT(3) + 4, 5, 8);
    tu_put(&B, CRIT(3) + 12, 4, 8);
    tu_reseal(&B);
    const chanval_file *f = bin(&B);
    assert_rules(f, "CV305");
    tu_assert_offset(f, 305, CRIT(3) + 4);
    /* signed: min 0, max -1 */
    tu_put(&B, CRIT(3) + 4, 0, 8);
    tu_put(&B, CRIT(3) + 12, UINT64_MAX, 8);
    tu_reseal(&B);
    f = bin(&B);
    assert_rules(f, "CV305");
    /* min -1, max 0 is a range */
    tu_put(&B, CRIT(3) + 4, UINT64_MAX, 8);
    tu_put(&B, CRIT(3) + 12, 0, 8);
    tu_reseal(&B);
    assert_rules(bin(&B), "-");
}

static void cv305_source(void **state)
{
    (void)state;
    static const char doc[] = CHAN INST("1", "detect") C("field=\"pid\" op=\"range\" min=\"5\" max=\"4\"")
        END_INST END;
    const chanval_file *f = src(doc);
    assert_rules(f, "CV305");
    tu_assert_at(f, 305, doc, "<criterion");
    /* an empty range outside the field is CV305, not also CV306 */
    static const char out[] = CHAN INST("1", "detect")
        C("field=\"integrity_level\" op=\"range\" min=\"10\" max=\"9\"") END_INST END;
    f = src(out);
    assert_rules(f, "CV305");
    static const char neg[] = CHAN INST("1", "detect")
        C("field=\"integrity_level\" op=\"range\" min=\"9\" max=\"-9\" negate=\"true\"") END_INST END;
    assert_rules(src(neg), "CV305");
}

/* ---- CV306 ---------------------------------------------------------------- */

static char long_value[300];

static const char *equals_doc(size_t len, const char *extra)
{
    static char doc[1024];
    memset(long_value, 'a', len);
    long_value[len] = '\0';
    snprintf(doc, sizeof doc,
             CHAN INST("1", "detect") "    <criterion field=\"user\" op=\"equals\" value=\"%s\"%s/>\n"
             END_INST END, long_value, extra);
    return doc;
}

static void cv306_equals_longer_than_max_length(void **state)
{
    (void)state;
    const char *doc = equals_doc(257, "");
    const chanval_file *f = src(doc);
    assert_rules(f, "CV306");
    tu_assert_at(f, 306, doc, "value=");
    tu_assert_severity(f, 306, CHANVAL_SEV_WARNING);
    assert_int_equal(chanval_file_errors(f), 0);
    B = pack(doc);
    f = bin(&B);
    assert_rules(f, "CV306");
    tu_assert_offset(f, 306, CRIT(5) + 4);
    tu_assert_severity(f, 306, CHANVAL_SEV_WARNING);
    /* case folding does not change the length */
    f = src(equals_doc(257, " caseInsensitive=\"true\""));
    assert_rules(f, "CV306");
}

static void cv306_equals_non_cases(void **state)
{
    (void)state;
    assert_rules(src(equals_doc(256, "")), "-");
    /* negated: always true, never "never matches" */
    assert_rules(src(equals_doc(257, " negate=\"true\"")), "-");
    assert_rules(src(equals_doc(257, " negate=\"true\" caseInsensitive=\"true\"")), "-");
    /* a regex longer than maxLength can still match */
    char doc[1024];
    memset(long_value, 'a', 257);
    long_value[257] = '\0';
    snprintf(doc, sizeof doc,
             CHAN INST("1", "detect") "    <criterion field=\"user\" op=\"regex\" value=\"(?:%s)?\"/>\n"
             END_INST END, long_value);
    /* (without a fleet: the sample sensors allow only 256-byte regexes) */
    chanval_session *t = tu_session(tu_types_xml, NULL);
    assert_rules(tu_check_str(t, "s.xml", doc), "CV409");
    chanval_session_free(t);
    /* the length is in bytes: 128 two-byte characters fit 256 */
    char utf8[600] = "";
    for (int i = 0; i < 128; i++)
        strcat(utf8, "\xc3\xa9");
    snprintf(doc, sizeof doc,
             CHAN INST("1", "detect") "    <criterion field=\"user\" op=\"equals\" value=\"%s\"/>\n"
             END_INST END, utf8);
    assert_rules(src(doc), "-");
    strcat(utf8, "a");
    snprintf(doc, sizeof doc,
             CHAN INST("1", "detect") "    <criterion field=\"user\" op=\"equals\" value=\"%s\"/>\n"
             END_INST END, utf8);
    assert_rules(src(doc), "CV306");
}

static const char *range_doc(const char *min, const char *max, bool negate)
{
    static char doc[1024];
    snprintf(doc, sizeof doc,
             CHAN INST("1", "detect")
             "    <criterion field=\"integrity_level\" op=\"range\" min=\"%s\" max=\"%s\"%s/>\n"
             END_INST END, min, max, negate ? " negate=\"true\"" : "");
    return doc;
}

static void cv306_range_disjoint(void **state)
{
    (void)state;
    static const char *const r[][2] = {{"6", "9"}, {"-5", "-1"}, {"6", "6"},
                                       {"-9223372036854775808", "-1"},
                                       {"6", "9223372036854775807"}};
    for (size_t i = 0; i < sizeof r / sizeof *r; i++) {
        const char *doc = range_doc(r[i][0], r[i][1], false);
        const chanval_file *f = src(doc);
        if (strcmp(tu_rules(f), "CV306") != 0)
            fail_msg("[%s, %s]: %s", r[i][0], r[i][1], tu_rules(f));
        tu_assert_at(f, 306, doc, "<criterion");
        tu_assert_severity(f, 306, CHANVAL_SEV_WARNING);
    }
    B = pack(range_doc("6", "9", false));
    const chanval_file *f = bin(&B);
    assert_rules(f, "CV306");
    tu_assert_offset(f, 306, CRIT(6) + 4);
}

static void cv306_negated_range_covers_the_field(void **state)
{
    (void)state;
    static const char *const r[][2] = {{"0", "5"}, {"-1", "10"},
                                       {"-9223372036854775808", "9223372036854775807"}};
    for (size_t i = 0; i < sizeof r / sizeof *r; i++) {
        const char *doc = range_doc(r[i][0], r[i][1], true);
        const chanval_file *f = src(doc);
        if (strcmp(tu_rules(f), "CV306") != 0)
            fail_msg("negated [%s, %s]: %s", r[i][0], r[i][1], tu_rules(f));
        tu_assert_at(f, 306, doc, "<criterion");
    }
    B = pack(range_doc("0", "5", true));
    const chanval_file *f = bin(&B);
    assert_rules(f, "CV306");
    tu_assert_offset(f, 306, CRIT(6) + 4);
    tu_assert_severity(f, 306, CHANVAL_SEV_WARNING);
}

static void cv306_range_non_cases(void **state)
{
    (void)state;
    static const struct {
        const char *min, *max;
        bool negate;
    } ok[] = {
        {"5", "9", false},  /* touches the top */
        {"-3", "0", false}, /* touches the bottom */
        {"0", "5", false},  /* exactly the field */
        {"6", "9", true},   /* negated and disjoint: always true, not CV306 */
        {"0", "4", true},   /* negated, leaves 5 */
        {"1", "5", true},   /* negated, leaves 0 */
        {"2", "3", true},
    };
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
        const chanval_file *f = src(range_doc(ok[i].min, ok[i].max, ok[i].negate));
        if (strcmp(tu_rules(f), "-") != 0)
            fail_msg("%s[%s, %s]: %s", ok[i].negate ? "negated " : "", ok[i].min, ok[i].max,
                     tu_rules(f));
    }
}

/* ---- CV307 ---------------------------------------------------------------- */

static void cv307_binary(void **state)
{
    (void)state;
    const uint8_t actions[] = {0, 4, 0xff};
    for (size_t i = 0; i < sizeof actions; i++) {
        tu_bin b = copy(&G);
        tu_put(&b, REC + 8, actions[i], 1);
        tu_reseal(&b);
        const chanval_file *f = bin(&b);
        tu_bin_free(&b);
        assert_rules(f, "CV307");
        tu_assert_offset(f, 307, REC + 8);
    }
    const uint8_t sev[] = {5, 0x80, 0xff};
    for (size_t i = 0; i < sizeof sev; i++) {
        tu_bin b = copy(&G);
        tu_put(&b, REC + 9, sev[i], 1);
        tu_reseal(&b);
        const chanval_file *f = bin(&b);
        tu_bin_free(&b);
        assert_rules(f, "CV307");
        tu_assert_offset(f, 307, REC + 9);
    }
    /* the edges of the ranges are fine */
    B = copy(&G);
    tu_put(&B, REC + 8, 3, 1);
    tu_put(&B, REC + 9, 4, 1);
    tu_reseal(&B);
    assert_rules(bin(&B), "-");
    tu_put(&B, REC + 8, 1, 1);
    tu_put(&B, REC + 9, 0, 1);
    tu_reseal(&B);
    assert_rules(bin(&B), "-");
}

static void cv307_source(void **state)
{
    (void)state;
    static const char act[] = CHAN
        "  <instance id=\"1\" typeId=\"12\" typeVersion=\"1\" action=\"alert\" severity=\"high\">\n"
        C("field=\"image_path\" op=\"equals\" value=\"x\"") END_INST END;
    const chanval_file *f = src(act);
    assert_rules(f, "CV307");
    tu_assert_at(f, 307, act, "action=");
    static const char sev[] = CHAN
        "  <instance id=\"1\" typeId=\"12\" typeVersion=\"1\" action=\"block\" severity=\"severe\">\n"
        C("field=\"image_path\" op=\"equals\" value=\"x\"") END_INST END;
    f = src(sev);
    assert_rules(f, "CV307");
    tu_assert_at(f, 307, sev, "severity=");
    static const char upper[] = CHAN
        "  <instance id=\"1\" typeId=\"12\" typeVersion=\"1\" action=\"Detect\" severity=\"High\">\n"
        C("field=\"image_path\" op=\"equals\" value=\"x\"") END_INST END;
    f = src(upper);
    assert_rules(f, "CV307");
    assert_int_equal(tu_count(f, 307), 2);
    tu_assert_at(f, 307, upper, "action=");
}

/* ---- CV308 ---------------------------------------------------------------- */

static void cv308_binary_warning_and_error(void **state)
{
    (void)state;
    B = copy(&G);
    memset(B.p + CRIT(0), 0, 20);
    memset(B.p + CRIT(3), 0, 20);
    tu_reseal(&B);
    const chanval_file *f = bin(&B);
    assert_rules(f, "CV308");
    tu_assert_offset(f, 308, REC);
    tu_assert_severity(f, 308, CHANVAL_SEV_WARNING);
    tu_put(&B, REC + 8, 1, 1); /* log */
    tu_reseal(&B);
    f = bin(&B);
    assert_rules(f, "CV308");
    tu_assert_severity(f, 308, CHANVAL_SEV_WARNING);
    assert_int_equal(chanval_exit_code(S), 0);
    tu_put(&B, REC + 8, 3, 1); /* block */
    tu_reseal(&B);
    f = bin(&B);
    assert_rules(f, "CV308");
    tu_assert_offset(f, 308, REC);
    tu_assert_severity(f, 308, CHANVAL_SEV_ERROR);
    assert_int_equal(chanval_exit_code(S), 1);
}

static void cv308_source_warning_and_error(void **state)
{
    (void)state;
    static const char *const actions[] = {"log", "detect", "block"};
    for (size_t i = 0; i < 3; i++) {
        char doc[512];
        snprintf(doc, sizeof doc,
                 CHAN "  <instance id=\"1\" typeId=\"12\" typeVersion=\"1\" action=\"%s\" severity=\"low\"/>\n" END,
                 actions[i]);
        const chanval_file *f = src(doc);
        assert_rules(f, "CV308");
        tu_assert_at(f, 308, doc, "<instance");
        tu_assert_severity(f, 308, i == 2 ? CHANVAL_SEV_ERROR : CHANVAL_SEV_WARNING);
    }
    /* with an empty element body and comments only */
    static const char doc[] = CHAN INST("4", "block") "    <!-- nothing -->\n" END_INST END;
    const chanval_file *f = src(doc);
    assert_rules(f, "CV308");
    tu_assert_severity(f, 308, CHANVAL_SEV_ERROR);
    assert_int_equal(tu_must(f, 308)->instance, 4);
    /* pack of a log/detect match-all packs, and the file says the same */
    B = pack(CHAN INST("1", "log") END_INST END);
    f = bin(&B);
    assert_rules(f, "CV308");
    tu_assert_offset(f, 308, REC);
    tu_assert_severity(f, 308, CHANVAL_SEV_WARNING);
}

static void cv308_one_criterion_is_enough(void **state)
{
    (void)state;
    assert_rules(src(CHAN INST("1", "block") C("field=\"token_elevation\" op=\"range\" min=\"0\" max=\"3\"")
                     END_INST END),
                 "-");
    /* two instances: only the match-all one */
    static const char doc[] = CHAN INST("1", "block") C("field=\"pid\" op=\"range\" min=\"1\" max=\"1\"")
        END_INST INST("2", "block") END_INST END;
    const chanval_file *f = src(doc);
    assert_rules(f, "CV308");
    assert_int_equal(tu_count(f, 308), 1);
    tu_assert_at(f, 308, doc, "<instance id=\"2\"");
}

static void cv308_invalid_criteria_are_not_wildcards(void **state)
{
    (void)state;
    static const struct {
        const char *crit, *rules;
    } cases[] = {
        {C("field=\"pid\" op=\"equals\" value=\"4\""), "CV303"},
        {C("field=\"nope\" op=\"equals\" value=\"4\""), "CV230"},
        {C("index=\"8\" op=\"equals\" value=\"4\""), "CV230"},
        {C("field=\"image_path\" op=\"contains\" value=\"4\""), "CV302"},
        {C("field=\"image_path\" op=\"equals\""), "CV202"},
        {C("field=\"image_path\" value=\"4\""), "CV202"},
        {C("field=\"pid\" op=\"range\" min=\"x\" max=\"1\""), "CV202"},
        {C("field=\"pid\" op=\"range\" min=\"2\" max=\"1\""), "CV305"},
        {C("field=\"pid\" op=\"range\" min=\"0\" max=\"1\" caseInsensitive=\"true\""), "CV304"},
        {C("field=\"image_path\" op=\"regex\" value=\"(\""), "CV500"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char doc[512];
        snprintf(doc, sizeof doc, CHAN INST("1", "block") "%s" END_INST END, cases[i].crit);
        const chanval_file *f = src(doc);
        if (strcmp(tu_rules(f), cases[i].rules) != 0)
            fail_msg("%s: %s, expected %s", cases[i].crit, tu_rules(f), cases[i].rules);
    }
}

/* ---- CV310 ---------------------------------------------------------------- */

static void cv310_duplicate_type_entry(void **state)
{
    (void)state;
    /* TYPES grows to two entries: the second repeats the first */
    B = copy(&G);
    tu_resize(&B, G.n + 8);
    memmove(B.p + TENT + 16, B.p + TENT + 8, G.n - (TENT + 8));
    memcpy(B.p + TENT + 8, B.p + TENT, 8);
    tu_put(&B, TYPES, 2, 4);
    tu_put(&B, 96 + 8, 20, 4); /* TYPES size */
    tu_put(&B, E_INSTANCES + 4, tu_get(&B, E_INSTANCES + 4, 4) + 8, 4);
    tu_put(&B, E_STRINGS + 4, tu_get(&B, E_STRINGS + 4, 4) + 8, 4);
    tu_put(&B, 32, B.n, 8);
    tu_reseal(&B);
    const chanval_file *f = bin(&B);
    assert_rules(f, "CV310");
    assert_int_equal(tu_count(f, 310), 1);
    tu_assert_offset(f, 310, TENT + 8);
    /* a different version is not a repeat */
    tu_put(&B, TENT + 8 + 4, 2, 2);
    tu_reseal(&B);
    f = bin(&B);
    assert_int_equal(tu_count(f, 310), 0);
    assert_int_equal(tu_count(f, 300), 1);
    tu_assert_offset(f, 300, TENT + 8);
}

/* ---- CV119 and CV120 in sources -------------------------------------------- */

static void cv119_source(void **state)
{
    (void)state;
    static const char zero[] = CHAN INST("0", "detect") C("field=\"image_path\" op=\"equals\" value=\"x\"")
        END_INST END;
    const chanval_file *f = src(zero);
    assert_rules(f, "CV119");
    tu_assert_in(f, 119, zero, "<instance id=", "id=");
    static const char dup[] = CHAN INST("7", "detect") C("field=\"image_path\" op=\"equals\" value=\"x\"")
        END_INST INST("8", "detect") C("field=\"image_path\" op=\"equals\" value=\"y\"")
        END_INST INST("7", "log") C("field=\"image_path\" op=\"equals\" value=\"z\"") END_INST END;
    f = src(dup);
    assert_rules(f, "CV119");
    assert_int_equal(tu_count(f, 119), 1);
    tu_assert_in(f, 119, dup, "<instance id=\"7\" typeId=\"12\" typeVersion=\"1\" action=\"log\"", "id=");
}

static void cv120_instances_in_source(void **state)
{
    (void)state;
    static const char doc[] = CHAN INST("1", "detect") C("field=\"pid\" op=\"range\" min=\"1\" max=\"1\"")
        END_INST INST("2", "detect") C("field=\"pid\" op=\"range\" min=\"2\" max=\"2\"")
        END_INST INST("3", "detect") C("field=\"pid\" op=\"range\" min=\"3\" max=\"3\"") END_INST END;
    assert_int_equal(chanval_set_limit(S, CHANVAL_LIMIT_INSTANCES, 3), CHANVAL_OK);
    assert_rules(src(doc), "-");
    assert_int_equal(chanval_set_limit(S, CHANVAL_LIMIT_INSTANCES, 2), CHANVAL_OK);
    const chanval_file *f = src(doc);
    assert_rules(f, "CV120");
    /* at the first instance past the limit */
    tu_assert_at(f, 120, doc, "<instance id=\"3\"");
    tu_assert_message(f, 120, "max-instances");
}

static void cv120_strings_in_source(void **state)
{
    (void)state;
    static const char doc[] = CHAN INST("1", "detect") C("field=\"image_path\" op=\"equals\" value=\"abcd\"")
        C("field=\"command_line\" op=\"regex\" value=\"efgh\"") END_INST END;
    assert_int_equal(chanval_set_limit(S, CHANVAL_LIMIT_STRING_BYTES, 3), CHANVAL_OK);
    const chanval_file *f = src(doc);
    assert_rules(f, "CV120");
    assert_int_equal(tu_count(f, 120), 1);
    tu_assert_in(f, 120, doc, "value=\"abcd\"", "value=");
    tu_assert_message(f, 120, "max-string-bytes");
    assert_int_equal(chanval_set_limit(S, CHANVAL_LIMIT_STRING_BYTES, 4), CHANVAL_OK);
    assert_int_equal(chanval_set_limit(S, CHANVAL_LIMIT_REGEX_BYTES, 3), CHANVAL_OK);
    f = src(doc);
    assert_rules(f, "CV120");
    tu_assert_in(f, 120, doc, "value=\"efgh\"", "value=");
    tu_assert_message(f, 120, "max-regex-bytes");
}

/* ---- the same rules, the same file, both forms ------------------------------- */

static void warnings_agree_between_source_and_file(void **state)
{
    (void)state;
    /* a source with several warnings: pack it and compare the rule sets */
    static const char doc[] = CHAN INST("1", "detect")
        C("field=\"integrity_level\" op=\"range\" min=\"7\" max=\"8\"")
        C("field=\"token_elevation\" op=\"range\" min=\"0\" max=\"3\" negate=\"true\"") END_INST
        INST("2", "log") END_INST END;
    const chanval_file *f = src(doc);
    assert_rules(f, "CV306,CV308");
    assert_int_equal(tu_count(f, 306), 2);
    B = pack(doc);
    f = bin(&B);
    assert_rules(f, "CV306,CV308");
    assert_int_equal(tu_count(f, 306), 2);
    tu_assert_offset(f, 306, CRIT(6) + 4);
    assert_int_equal(tu_nth(f, 306, 1)->offset, CRIT(7) + 4);
    tu_assert_offset(f, 308, RECN(1));
    assert_int_equal(tu_must(f, 308)->instance, 2);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(baseline),
        T(cv300_binary),
        T(cv300_binary_without_types),
        T(cv300_source),
        T(cv300_is_not_also_cv402),
        T(cv301_types_entry),
        T(cv301_instance_record),
        T(cv302_binary),
        T(cv302_unknown_op_is_not_a_wildcard),
        T(cv302_source),
        T(cv303_binary),
        T(cv303_source),
        T(cv304_binary),
        T(cv304_source),
        T(cv305_binary),
        T(cv305_source),
        T(cv306_equals_longer_than_max_length),
        T(cv306_equals_non_cases),
        T(cv306_range_disjoint),
        T(cv306_negated_range_covers_the_field),
        T(cv306_range_non_cases),
        T(cv307_binary),
        T(cv307_source),
        T(cv308_binary_warning_and_error),
        T(cv308_source_warning_and_error),
        T(cv308_one_criterion_is_enough),
        T(cv308_invalid_criteria_are_not_wildcards),
        T(cv310_duplicate_type_entry),
        T(cv119_source),
        T(cv120_instances_in_source),
        T(cv120_strings_in_source),
        T(warnings_agree_between_source_and_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
