/* test_fleet.c - fleet compatibility, CV400-CV409, and --strict: the
 * channel-file-291 class of failure, in files, sources and world-only runs. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A sensor of a made-up fleet; inputs < 0: no <supports> for that type. */
typedef struct sensor {
    const char *version;
    unsigned bytes, instances, regex_len;
    int inputs7, inputs12;
} sensor;

static char fleet_buf[4096];

static const char *fleet(const sensor *s, size_t n)
{
    size_t k = (size_t)snprintf(fleet_buf, sizeof fleet_buf,
                                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<fleet formatVersion=\"1\">\n");
    for (size_t i = 0; i < n; i++) {
        k += (size_t)snprintf(fleet_buf + k, sizeof fleet_buf - k,
                              "  <sensor version=\"%s\" maxChannelBytes=\"%u\" maxInstances=\"%u\" "
                              "maxRegexLength=\"%u\" regexMatchLimit=\"100000\">\n",
                              s[i].version, s[i].bytes, s[i].instances, s[i].regex_len);
        if (s[i].inputs7 >= 0)
            k += (size_t)snprintf(fleet_buf + k, sizeof fleet_buf - k,
                                  "    <supports typeId=\"7\" typeVersion=\"3\" inputs=\"%d\"/>\n",
                                  s[i].inputs7);
        if (s[i].inputs12 >= 0)
            k += (size_t)snprintf(fleet_buf + k, sizeof fleet_buf - k,
                                  "    <supports typeId=\"12\" typeVersion=\"1\" inputs=\"%d\"/>\n",
                                  s[i].inputs12);
        k += (size_t)snprintf(fleet_buf + k, sizeof fleet_buf - k, "  </sensor>\n");
    }
    snprintf(fleet_buf + k, sizeof fleet_buf - k, "</fleet>\n");
    return fleet_buf;
}

#define BIG 16777216u

#define CHAN "<channel formatVersion=\"1\" id=\"291\" contentVersion=\"1\">\n"
#define END "</channel>\n"
#define INST7(id) \
    "  <instance id=\"" id "\" typeId=\"7\" typeVersion=\"3\" action=\"detect\" severity=\"high\">\n"
#define INST12(id) \
    "  <instance id=\"" id "\" typeId=\"12\" typeVersion=\"1\" action=\"detect\" severity=\"high\">\n"
#define END_INST "  </instance>\n"
#define C(attrs) "    <criterion " attrs "/>\n"

/* One type-7 instance: TYPES has one entry, the record is at 144. */
enum { TENT = 132, INSTS = 140, REC = 144 };
#define CRIT(i) ((size_t)REC + 16 + 20 * (size_t)(i))

static chanval_session *S;
static tu_bin B;

static int setup(void **state)
{
    (void)state;
    S = NULL;
    B = (tu_bin){0};
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    chanval_session_free(S);
    S = NULL;
    tu_bin_free(&B);
    return 0;
}

/* Replace the session with one of the given world. */
static void world(const char *fleet_xml)
{
    chanval_session_free(S);
    S = tu_session(tu_types_xml, fleet_xml);
}

static const chanval_file *src(const char *doc)
{
    return tu_check_str(S, "s.xml", doc);
}

static const chanval_file *bin(const tu_bin *b)
{
    return tu_check(S, "c.bin", b->p, b->n);
}

/* Pack without a fleet: the fleet rules do not stop it. */
static tu_bin pack(const char *doc)
{
    return tu_pack_with(tu_types_xml, NULL, doc);
}

/* ---- CV400 ----------------------------------------------------------------- */

static const char src_291[] = CHAN INST7("17") C("index=\"20\" op=\"regex\" value=\"x\"") END_INST END;

static void cv400_source(void **state)
{
    (void)state;
    world(tu_fleet_xml);
    const chanval_file *f = src(src_291);
    assert_rules(f, "CV400,CV401");
    assert_int_equal(tu_count(f, 400), 1);
    tu_assert_at(f, 400, src_291, "<criterion");
    tu_assert_severity(f, 400, CHANVAL_SEV_ERROR);
    const chanval_diag *d = tu_must(f, 400);
    assert_string_equal(d->sensor, "7.11.18110");
    assert_true(d->has_instance);
    assert_int_equal(d->instance, 17);
    assert_int_equal(d->criterion, 20);
    assert_int_equal(chanval_exit_code(S), 1);
}

static void cv400_binary(void **state)
{
    (void)state;
    B = pack(src_291);
    world(tu_fleet_xml);
    const chanval_file *f = bin(&B);
    assert_rules(f, "CV400,CV401");
    assert_int_equal(tu_count(f, 400), 1);
    tu_assert_offset(f, 400, CRIT(20));
    const chanval_diag *d = tu_must(f, 400);
    assert_string_equal(d->sensor, "7.11.18110");
    assert_int_equal(d->instance, 17);
    assert_int_equal(d->criterion, 20);
    /* the healthy fleet has no finding */
    world(tu_healthy_fleet_xml);
    assert_rules(bin(&B), "-");
}

static void cv400_message_names_everything(void **state)
{
    (void)state;
    const sensor s[] = {{"9.1.2", BIG, 1000, 1024, 18, 8}};
    world(fleet(s, 1));
    static const char doc[] = CHAN INST7("4242") C("field=\"pipe_attributes\" op=\"equals\" value=\"x\"")
        END_INST END;
    const chanval_file *f = src(doc);
    assert_rules(f, "CV400,CV401");
    tu_assert_message(f, 400, "4242");              /* instance */
    tu_assert_message(f, 400, "18 ");               /* criterion index / inputs */
    tu_assert_message(f, 400, "pipe_attributes");   /* field name */
    tu_assert_message(f, 400, "9.1.2");             /* sensor version */
    tu_assert_message(f, 400, "18 inputs");
    const chanval_diag *d = tu_must(f, 400);
    assert_int_equal(d->criterion, 18);
    assert_string_equal(d->sensor, "9.1.2");
    /* index 19 and 18 differ: both numbers appear */
    static const char doc19[] = CHAN INST7("4243") C("field=\"event_time\" op=\"range\" min=\"0\" max=\"1\"")
        END_INST END;
    f = src(doc19);
    tu_assert_message(f, 400, "4243");
    tu_assert_message(f, 400, "19");
    tu_assert_message(f, 400, "event_time");
    tu_assert_message(f, 400, "18 inputs");
}

static void cv400_one_per_instance_criterion_sensor(void **state)
{
    (void)state;
    const sensor s[] = {{"1.20", BIG, 1000, 1024, 20, 8},
                        {"1.19", BIG, 1000, 1024, 19, 8},
                        {"1.21", BIG, 1000, 1024, 21, 8}};
    world(fleet(s, 3));
    static const char doc[] = CHAN
        INST7("1") C("index=\"19\" op=\"range\" min=\"0\" max=\"1\"") C("index=\"20\" op=\"equals\" value=\"y\"") END_INST
        INST7("2") C("index=\"14\" op=\"range\" min=\"0\" max=\"1\"") C("index=\"20\" op=\"regex\" value=\"z\"") END_INST
        END;
    const chanval_file *f = src(doc);
    assert_rules(f, "CV400,CV401");
    /* (1,19,1.19) (1,20,1.20) (1,20,1.19) (2,20,1.20) (2,20,1.19) */
    assert_int_equal(tu_count(f, 400), 5);
    size_t n19 = 0, n20 = 0;
    for (size_t i = 0; i < 5; i++) {
        const chanval_diag *d = tu_nth(f, 400, i);
        n19 += strcmp(d->sensor, "1.19") == 0;
        n20 += strcmp(d->sensor, "1.20") == 0;
        assert_true(d->criterion >= 19);
    }
    assert_int_equal(n19, 3);
    assert_int_equal(n20, 2);
    /* CV401 once per (type, sensor): two sensors fall short */
    assert_int_equal(tu_count(f, 401), 2);
    /* and in the packed file */
    B = pack(doc);
    f = bin(&B);
    assert_int_equal(tu_count(f, 400), 5);
    assert_int_equal(tu_count(f, 401), 2);
    tu_assert_offset(f, 400, CRIT(19));
}

static void cv400_wildcards_past_the_inputs_are_safe(void **state)
{
    (void)state;
    world(tu_fleet_xml);
    static const char doc[] = CHAN INST7("1") C("index=\"19\" op=\"range\" min=\"0\" max=\"1\"") END_INST END;
    const chanval_file *f = src(doc);
    assert_rules(f, "CV401");
    B = pack(doc);
    f = bin(&B);
    assert_rules(f, "CV401");
    tu_assert_offset(f, 401, TENT);
}

static void cv400_every_operator(void **state)
{
    (void)state;
    world(tu_fleet_xml);
    B = pack(src_291);
    /* equals */
    tu_put(&B, CRIT(20), 1, 1);
    tu_reseal(&B);
    assert_rules(bin(&B), "CV400,CV401");
    /* range on the string field: CV303, and still CV400 */
    memset(B.p + CRIT(20), 0, 20);
    tu_put(&B, CRIT(20), 3, 1);
    tu_reseal(&B);
    const chanval_file *f = bin(&B);
    assert_rules(f, "CV303,CV400,CV401");
    /* a wildcard there is fine */
    memset(B.p + CRIT(20), 0, 20);
    tu_reseal(&B);
    assert_rules(bin(&B), "CV308,CV401");
}

static void cv400_whatever_else_is_wrong_with_the_criterion(void **state)
{
    (void)state;
    /* source: an equals on an integer field past the inputs */
    const sensor s[] = {{"4.1", BIG, 1000, 1024, 19, 8}};
    world(fleet(s, 1));
    static const char doc[] = CHAN INST7("1") C("index=\"19\" op=\"equals\" value=\"1\"") END_INST END;
    const chanval_file *f = src(doc);
    assert_rules(f, "CV303,CV400,CV401");
    tu_assert_at(f, 400, doc, "<criterion");
    /* file: a string reference that leaves STRINGS, or is not UTF-8 */
    world(tu_fleet_xml);
    B = pack(src_291);
    tu_put(&B, CRIT(20) + 8, 99, 4);
    tu_reseal(&B);
    f = bin(&B);
    assert_rules(f, "CV114,CV400,CV401");
    tu_assert_offset(f, 400, CRIT(20));
    tu_put(&B, CRIT(20) + 8, 1, 4);
    B.p[B.n - 1] = 0xff; /* the "x" */
    tu_reseal(&B);
    f = bin(&B);
    assert_rules(f, "CV115,CV400,CV401");
}

/* decisions: "A criterion is non-wildcard when op != 0"; formats-v1
 * section 3: the interpreter reads inputs[i] for every op != WILDCARD. */
static void cv400_unknown_op_is_not_a_wildcard(void **state)
{
    (void)state;
    world(tu_fleet_xml);
    B = pack(src_291);
    tu_put(&B, CRIT(20), 9, 1);
    tu_reseal(&B);
    const chanval_file *f = bin(&B);
    assert_rules(f, "CV302,CV400,CV401");
    tu_assert_offset(f, 400, CRIT(20));
}

static void cv400_zero_inputs(void **state)
{
    (void)state;
    const sensor s[] = {{"2.0", BIG, 1000, 1024, 21, 0}};
    world(fleet(s, 1));
    static const char doc[] = CHAN INST12("1") C("index=\"0\" op=\"equals\" value=\"x\"")
        C("index=\"7\" op=\"range\" min=\"0\" max=\"1\"") END_INST END;
    const chanval_file *f = src(doc);
    assert_rules(f, "CV400,CV401");
    assert_int_equal(tu_count(f, 400), 2);
}

static void cv400_not_for_a_sensor_without_the_type(void **state)
{
    (void)state;
    const sensor s[] = {{"3.0", BIG, 1000, 1024, -1, 8}, {"3.1", BIG, 1000, 1024, 21, 8}};
    world(fleet(s, 2));
    const chanval_file *f = src(src_291);
    assert_rules(f, "CV402");
    assert_string_equal(tu_must(f, 402)->sensor, "3.0");
}

/* ---- CV401 ----------------------------------------------------------------- */

static void cv401_binary_at_the_types_entry(void **state)
{
    (void)state;
    static const char doc[] = CHAN INST7("1") C("index=\"0\" op=\"equals\" value=\"x\"") END_INST
        INST7("2") C("index=\"1\" op=\"range\" min=\"0\" max=\"1\"") END_INST END;
    B = pack(doc);
    world(tu_fleet_xml);
    const chanval_file *f = bin(&B);
    assert_rules(f, "CV401");
    assert_int_equal(tu_count(f, 401), 1);
    tu_assert_offset(f, 401, TENT);
    tu_assert_severity(f, 401, CHANVAL_SEV_WARNING);
    assert_string_equal(tu_must(f, 401)->sensor, "7.11.18110");
    tu_assert_message(f, 401, "7.11.18110");
    assert_int_equal(chanval_exit_code(S), 0);
    /* once per checked file */
    f = bin(&B);
    assert_int_equal(tu_count(f, 401), 1);
}

static void cv401_compares_the_type_definition(void **state)
{
    (void)state;
    /* TYPES (and the record) claim 20 fields: CV301, and CV401 still
     * compares the definition's 21 with the sensor's 20 inputs */
    static const char doc[] = CHAN INST7("1") C("index=\"0\" op=\"equals\" value=\"x\"") END_INST END;
    B = pack(doc);
    memmove(B.p + CRIT(20), B.p + CRIT(21), B.n - CRIT(21));
    B.n -= 20;
    tu_put(&B, TENT + 6, 20, 2);
    tu_put(&B, REC + 6, 20, 2);
    tu_put(&B, REC + 12, 16 + 20 * 20, 4);
    tu_put(&B, 112 + 8, tu_get(&B, 112 + 8, 4) - 20, 4); /* INSTANCES size */
    tu_put(&B, 80 + 4, tu_get(&B, 80 + 4, 4) - 20, 4);   /* STRINGS offset */
    tu_put(&B, 32, B.n, 8);
    tu_reseal(&B);
    world(tu_fleet_xml);
    const chanval_file *f = bin(&B);
    assert_rules(f, "CV301,CV401");
    tu_assert_offset(f, 401, TENT);
    assert_string_equal(tu_must(f, 401)->sensor, "7.11.18110");
}

static void cv401_source_at_the_first_instance_of_the_type(void **state)
{
    (void)state;
    static const char doc[] = CHAN INST12("1") C("index=\"0\" op=\"equals\" value=\"x\"") END_INST
        INST7("2") C("index=\"0\" op=\"equals\" value=\"x\"") END_INST
        INST7("3") C("index=\"1\" op=\"range\" min=\"0\" max=\"1\"") END_INST END;
    world(tu_fleet_xml);
    const chanval_file *f = src(doc);
    assert_rules(f, "CV401");
    assert_int_equal(tu_count(f, 401), 1);
    tu_assert_at(f, 401, doc, "<instance id=\"2\"");
}

static void cv401_world_only(void **state)
{
    (void)state;
    world(tu_fleet_xml);
    assert_int_equal(chanval_check_world(S), CHANVAL_OK);
    const chanval_file *types = chanval_file_at(S, 0);
    const chanval_file *fl = chanval_file_at(S, 1);
    assert_int_equal(chanval_file_kind(types), CHANVAL_KIND_TYPES);
    assert_rules(types, "CV401");
    assert_rules(fl, "-");
    assert_int_equal(tu_count(types, 401), 1);
    /* the field element at index `inputs` (20): line 4 + 20, column 5 */
    tu_assert_line(types, 401, 24, 5);
    tu_assert_at(types, 401, tu_types_xml, "<field name=\"remote_pipe_flags\"");
    tu_assert_severity(types, 401, CHANVAL_SEV_WARNING);
    assert_string_equal(tu_must(types, 401)->sensor, "7.11.18110");
    tu_assert_message(types, 401, "7.11.18110");
    assert_int_equal(chanval_exit_code(S), 0);
}

static void cv401_world_only_per_sensor(void **state)
{
    (void)state;
    const sensor s[] = {{"5.1", BIG, 1000, 1024, 18, 8},
                        {"5.2", BIG, 1000, 1024, 20, 8},
                        {"5.3", BIG, 1000, 1024, 21, 3},
                        {"5.4", BIG, 1000, 1024, 30, -1}};
    world(fleet(s, 4));
    assert_int_equal(chanval_check_world(S), CHANVAL_OK);
    const chanval_file *types = chanval_file_at(S, 0);
    assert_rules(types, "CV401");
    assert_int_equal(tu_count(types, 401), 3);
    /* sorted by location: type 7's field 18 (line 22), its field 20 (24),
     * then type 12's field 3 (line 26 + 1 + 3 = 30) */
    const chanval_diag *d = tu_nth(types, 401, 0);
    assert_int_equal(d->line, 22);
    assert_int_equal(d->column, 5);
    assert_string_equal(d->sensor, "5.1");
    d = tu_nth(types, 401, 1);
    assert_int_equal(d->line, 24);
    assert_string_equal(d->sensor, "5.2");
    d = tu_nth(types, 401, 2);
    uint32_t line, col;
    tu_locate(tu_types_xml, "<field name=\"pid\"", &line, &col);
    assert_int_equal(d->line, line);
    assert_int_equal(d->column, col);
    assert_string_equal(d->sensor, "5.3");
}

static void cv401_none_on_the_healthy_fleet(void **state)
{
    (void)state;
    world(tu_healthy_fleet_xml);
    assert_int_equal(chanval_check_world(S), CHANVAL_OK);
    assert_rules(chanval_file_at(S, 0), "-");
    assert_rules(src(src_291), "-");
}

/* ---- CV402 ----------------------------------------------------------------- */

static const char src_both[] = CHAN INST7("1") C("index=\"0\" op=\"equals\" value=\"x\"") END_INST
    INST12("2") C("index=\"0\" op=\"equals\" value=\"y\"") END_INST
    INST12("3") C("index=\"1\" op=\"equals\" value=\"z\"") END_INST END;

static void cv402_binary(void **state)
{
    (void)state;
    const sensor s[] = {{"6.1", BIG, 1000, 1024, 21, -1},
                        {"6.2", BIG, 1000, 1024, 21, 8},
                        {"6.3", BIG, 1000, 1024, 21, -1}};
    B = pack(src_both);
    world(fleet(s, 3));
    const chanval_file *f = bin(&B);
    assert_rules(f, "CV402");
    assert_int_equal(tu_count(f, 402), 2);
    /* TYPES: (7,3) at 132, (12,1) at 140 */
    tu_assert_offset(f, 402, TENT + 8);
    assert_int_equal(tu_nth(f, 402, 1)->offset, TENT + 8);
    tu_assert_severity(f, 402, CHANVAL_SEV_WARNING);
    assert_string_equal(tu_nth(f, 402, 0)->sensor, "6.1");
    assert_string_equal(tu_nth(f, 402, 1)->sensor, "6.3");
    assert_int_equal(chanval_exit_code(S), 0);
}

static void cv402_source(void **state)
{
    (void)state;
    const sensor s[] = {{"6.1", BIG, 1000, 1024, 21, -1}};
    world(fleet(s, 1));
    const chanval_file *f = src(src_both);
    assert_rules(f, "CV402");
    assert_int_equal(tu_count(f, 402), 1);
    tu_assert_at(f, 402, src_both, "<instance id=\"2\"");
    tu_assert_message(f, 402, "6.1");
}

static void cv402_only_for_types_in_use(void **state)
{
    (void)state;
    const sensor s[] = {{"6.1", BIG, 1000, 1024, 21, -1}};
    world(fleet(s, 1));
    assert_rules(src(src_291), "-");
}

/* ---- CV403 ----------------------------------------------------------------- */

static const char *regex_doc(size_t len, const char *op)
{
    static char doc[2048];
    char value[1100];
    memset(value, 'a', len);
    value[len] = '\0';
    snprintf(doc, sizeof doc,
             CHAN INST7("5") "    <criterion field=\"client_image\" op=\"%s\" value=\"%s\"/>\n" END_INST END,
             op, value);
    return doc;
}

static void cv403_source(void **state)
{
    (void)state;
    world(tu_healthy_fleet_xml);
    /* 7.10.17706 allows 256 bytes, 7.11.18110 1024 */
    assert_rules(src(regex_doc(256, "regex")), "-");
    const char *doc = regex_doc(257, "regex");
    const chanval_file *f = src(doc);
    assert_rules(f, "CV403");
    assert_int_equal(tu_count(f, 403), 1);
    tu_assert_at(f, 403, doc, "<criterion");
    const chanval_diag *d = tu_must(f, 403);
    assert_string_equal(d->sensor, "7.10.17706");
    assert_int_equal(d->instance, 5);
    assert_int_equal(d->criterion, 3);
    tu_assert_message(f, 403, "257");
    tu_assert_message(f, 403, "256");
    /* both sensors */
    f = src(regex_doc(1025, "regex"));
    assert_rules(f, "CV403");
    assert_int_equal(tu_count(f, 403), 2);
    /* an equals string is no regex */
    assert_rules(src(regex_doc(1024, "equals")), "-");
}

static void cv403_even_when_it_does_not_compile(void **state)
{
    (void)state;
    world(tu_healthy_fleet_xml);
    char pattern[300];
    memset(pattern, 'a', sizeof pattern - 1);
    pattern[0] = '(';
    pattern[sizeof pattern - 1] = '\0';
    char d[2048];
    snprintf(d, sizeof d,
             CHAN INST7("5") "    <criterion field=\"client_image\" op=\"regex\" value=\"%s\"/>\n" END_INST END,
             pattern);
    const chanval_file *f = src(d);
    assert_rules(f, "CV403,CV500");
    assert_string_equal(tu_must(f, 403)->sensor, "7.10.17706");
}

static void cv403_binary(void **state)
{
    (void)state;
    B = pack(regex_doc(300, "regex"));
    world(tu_healthy_fleet_xml);
    const chanval_file *f = bin(&B);
    assert_rules(f, "CV403");
    tu_assert_offset(f, 403, CRIT(3));
    assert_string_equal(tu_must(f, 403)->sensor, "7.10.17706");
}

/* ---- CV404 ----------------------------------------------------------------- */

static const char src_two12[] = CHAN INST12("1") C("index=\"0\" op=\"equals\" value=\"x\"") END_INST
    INST12("2") C("index=\"3\" op=\"range\" min=\"1\" max=\"2\"") END_INST END;

static void cv404_max_channel_bytes(void **state)
{
    (void)state;
    B = pack(src_two12);
    unsigned size = (unsigned)B.n;
    /* exactly the size: fine */
    sensor s[] = {{"8.1", size, 1000, 1024, 21, 8}, {"8.2", size, 1000, 1024, 21, 8}};
    world(fleet(s, 2));
    assert_rules(src(src_two12), "-");
    assert_rules(bin(&B), "-");
    /* one byte less, for both sensors: one finding each */
    s[0].bytes = s[1].bytes = size - 1;
    world(fleet(s, 2));
    const chanval_file *f = src(src_two12);
    assert_rules(f, "CV404");
    assert_int_equal(tu_count(f, 404), 2);
    tu_assert_all_lines(f, 404, 1, 1);
    f = bin(&B);
    assert_rules(f, "CV404");
    assert_int_equal(tu_count(f, 404), 2);
    tu_assert_offset(f, 404, 32);
    tu_assert_message(f, 404, "8.1");
    assert_int_equal(chanval_exit_code(S), 1);
}

static void cv404_max_instances(void **state)
{
    (void)state;
    B = pack(src_two12);
    sensor s[] = {{"8.1", BIG, 2, 1024, 21, 8}, {"8.2", BIG, 1, 1024, 21, 8}};
    world(fleet(s, 2));
    const chanval_file *f = src(src_two12);
    assert_rules(f, "CV404");
    assert_int_equal(tu_count(f, 404), 1);
    tu_assert_line(f, 404, 1, 1);
    assert_string_equal(tu_must(f, 404)->sensor, "8.2");
    f = bin(&B);
    assert_rules(f, "CV404");
    assert_int_equal(tu_count(f, 404), 1);
    tu_assert_offset(f, 404, INSTS);
    tu_assert_message(f, 404, "8.2");
}

static void cv404_applies_to_sensors_without_the_type(void **state)
{
    (void)state;
    /* every sensor receives every file */
    B = pack(src_two12);
    sensor s[] = {{"8.3", 100, 1000, 1024, 21, -1}};
    world(fleet(s, 1));
    const chanval_file *f = bin(&B);
    assert_rules(f, "CV402,CV404");
    tu_assert_offset(f, 404, 32);
}

/* ---- CV409 ----------------------------------------------------------------- */

static void cv409_no_fleet(void **state)
{
    (void)state;
    world(NULL);
    const chanval_file *f = src(src_291);
    /* and therefore no CV400/CV401 */
    assert_rules(f, "CV409");
    assert_int_equal(tu_count(f, 409), 1);
    tu_assert_line(f, 409, 1, 1);
    tu_assert_severity(f, 409, CHANVAL_SEV_WARNING);
    B = pack(src_291);
    f = bin(&B);
    assert_rules(f, "CV409");
    assert_int_equal(tu_count(f, 409), 1);
    tu_assert_offset(f, 409, 0);
    tu_assert_severity(f, 409, CHANVAL_SEV_WARNING);
    assert_int_equal(chanval_exit_code(S), 0);
    /* at the root element, wherever it is */
    static const char doc[] = "<?xml version=\"1.0\"?>\n<!-- c -->\n  " CHAN INST12("1")
        C("index=\"0\" op=\"equals\" value=\"x\"") END_INST END;
    f = src(doc);
    assert_rules(f, "CV409");
    tu_assert_line(f, 409, 3, 3);
}

static void cv409_not_for_world_documents(void **state)
{
    (void)state;
    world(NULL);
    assert_rules(chanval_file_at(S, 0), "-");
    assert_rules(src(tu_types_xml), "-");
}

/* ---- --strict ------------------------------------------------------------- */

static void strict_promotes_warnings(void **state)
{
    (void)state;
    world(tu_fleet_xml);
    chanval_set_strict(S, true);
    static const char doc[] = CHAN INST7("1") C("index=\"0\" op=\"equals\" value=\"x\"") END_INST END;
    const chanval_file *f = src(doc);
    assert_rules(f, "CV401");
    tu_assert_severity(f, 401, CHANVAL_SEV_ERROR);
    assert_int_equal(chanval_file_errors(f), 1);
    assert_int_equal(chanval_file_warnings(f), 0);
    assert_int_equal(chanval_exit_code(S), 1);
}

static void strict_promotes_cv409_and_cv402(void **state)
{
    (void)state;
    world(NULL);
    chanval_set_strict(S, true);
    const chanval_file *f = src(src_291);
    assert_rules(f, "CV409");
    tu_assert_severity(f, 409, CHANVAL_SEV_ERROR);
    assert_int_equal(chanval_exit_code(S), 1);
    const sensor s[] = {{"6.1", BIG, 1000, 1024, 21, -1}};
    world(fleet(s, 1));
    chanval_set_strict(S, true);
    f = src(src_both);
    assert_rules(f, "CV402");
    tu_assert_severity(f, 402, CHANVAL_SEV_ERROR);
}

static void strict_world_only(void **state)
{
    (void)state;
    world(tu_fleet_xml);
    chanval_set_strict(S, true);
    assert_int_equal(chanval_check_world(S), CHANVAL_OK);
    const chanval_file *types = chanval_file_at(S, 0);
    assert_rules(types, "CV401");
    tu_assert_severity(types, 401, CHANVAL_SEV_ERROR);
    assert_int_equal(chanval_exit_code(S), 1);
}

static void without_strict_warnings_pass(void **state)
{
    (void)state;
    world(tu_fleet_xml);
    chanval_set_strict(S, true);
    chanval_set_strict(S, false);
    static const char doc[] = CHAN INST7("1") C("index=\"0\" op=\"equals\" value=\"x\"") END_INST END;
    const chanval_file *f = src(doc);
    assert_rules(f, "CV401");
    tu_assert_severity(f, 401, CHANVAL_SEV_WARNING);
    assert_int_equal(chanval_exit_code(S), 0);
    /* an error stays an error either way */
    f = src(src_291);
    tu_assert_severity(f, 400, CHANVAL_SEV_ERROR);
    assert_int_equal(chanval_exit_code(S), 1);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(cv400_source),
        T(cv400_binary),
        T(cv400_message_names_everything),
        T(cv400_one_per_instance_criterion_sensor),
        T(cv400_wildcards_past_the_inputs_are_safe),
        T(cv400_every_operator),
        T(cv400_whatever_else_is_wrong_with_the_criterion),
        T(cv400_unknown_op_is_not_a_wildcard),
        T(cv400_zero_inputs),
        T(cv400_not_for_a_sensor_without_the_type),
        T(cv401_binary_at_the_types_entry),
        T(cv401_compares_the_type_definition),
        T(cv401_source_at_the_first_instance_of_the_type),
        T(cv401_world_only),
        T(cv401_world_only_per_sensor),
        T(cv401_none_on_the_healthy_fleet),
        T(cv402_binary),
        T(cv402_source),
        T(cv402_only_for_types_in_use),
        T(cv403_source),
        T(cv403_even_when_it_does_not_compile),
        T(cv403_binary),
        T(cv404_max_channel_bytes),
        T(cv404_max_instances),
        T(cv404_applies_to_sensors_without_the_type),
        T(cv409_no_fleet),
        T(cv409_not_for_world_documents),
        T(strict_promotes_warnings),
        T(strict_promotes_cv409_and_cv402),
        T(strict_world_only),
        T(without_strict_warnings_pass),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
