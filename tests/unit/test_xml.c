/* test_xml.c - the XML documents, CV200-CV231: parsing hardening, value
 * syntax, structure and the rules of each document, with line:col. */
#include "testutil.h"

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static chanval_session *S; /* types + healthy fleet: for sources */
static chanval_session *E; /* empty: for world documents */

static int setup(void **state)
{
    (void)state;
    S = tu_session(tu_types_xml, tu_healthy_fleet_xml);
    E = tu_session(NULL, NULL);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    chanval_session_free(S);
    chanval_session_free(E);
    S = E = NULL;
    return 0;
}

static const chanval_file *src(const char *doc)
{
    return tu_check_str(S, "s.xml", doc);
}

/* A types document, loaded with -t into a session of its own. */
static const chanval_file *types_doc(const char *doc)
{
    chanval_session_free(E);
    E = tu_session(NULL, NULL);
    return tu_add_types(E, doc);
}

/* A fleet document, loaded with -f after the sample types. */
static const chanval_file *fleet_doc(const char *doc)
{
    chanval_session_free(E);
    E = tu_session(tu_types_xml, NULL);
    return tu_add_fleet(E, doc);
}

#define DECL "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
#define CHAN "<channel formatVersion=\"1\" id=\"1\" contentVersion=\"1\">\n"
#define INST "  <instance id=\"1\" typeId=\"12\" typeVersion=\"1\" action=\"detect\" severity=\"high\">\n"
#define CRIT "    <criterion field=\"image_path\" op=\"equals\" value=\"x\"/>\n"
#define TAIL "  </instance>\n</channel>\n"

static const char good_source[] = DECL CHAN INST CRIT TAIL;

#define TYPES_HEAD DECL "<templateTypes formatVersion=\"1\">\n"
#define FLEET_HEAD DECL "<fleet formatVersion=\"1\">\n"
#define SENSOR_OPEN(ver)                                                                      \
    "  <sensor version=\"" ver "\" maxChannelBytes=\"1000\" maxInstances=\"10\" "            \
    "maxRegexLength=\"100\" regexMatchLimit=\"1000\">\n"
#define SUPPORTS(id, ver, inputs)                                                             \
    "    <supports typeId=\"" id "\" typeVersion=\"" ver "\" inputs=\"" inputs "\"/>\n"

static void baseline_documents_are_valid(void **state)
{
    (void)state;
    assert_rules(src(good_source), "-");
    assert_int_equal(chanval_file_kind(tu_last(S)), CHANVAL_KIND_SOURCE);
    assert_rules(types_doc(tu_types_xml), "-");
    assert_rules(fleet_doc(tu_fleet_xml), "-");
    assert_rules(fleet_doc(tu_healthy_fleet_xml), "-");
}

/* ---- CV200 ----------------------------------------------------------------- */

/* libxml2's own first error for the document: the oracle for CV200. */
static char oracle_msg[256];
static int oracle_line, oracle_col;

static void oracle_error(void *user, xmlErrorPtr e)
{
    (void)user;
    if (oracle_line || !e || e->level < XML_ERR_ERROR)
        return;
    oracle_line = e->line;
    oracle_col = e->int2;
    snprintf(oracle_msg, sizeof oracle_msg, "%s", e->message ? e->message : "");
    size_t n = strlen(oracle_msg);
    while (n > 0 && (oracle_msg[n - 1] == '\n' || oracle_msg[n - 1] == ' '))
        oracle_msg[--n] = '\0';
}

static void libxml2_oracle(const char *doc)
{
    oracle_line = oracle_col = 0;
    oracle_msg[0] = '\0';
    xmlParserCtxtPtr c = xmlCreateMemoryParserCtxt(doc, (int)strlen(doc));
    assert_non_null(c);
    c->sax->serror = oracle_error;
    xmlCtxtUseOptions(c, XML_PARSE_NONET | XML_PARSE_NOENT);
    xmlParseDocument(c);
    if (c->myDoc)
        xmlFreeDoc(c->myDoc);
    xmlFreeParserCtxt(c);
    assert_true(oracle_line > 0);
}

static void cv200_gives_libxml2_line_col_and_message(const char *doc)
{
    libxml2_oracle(doc);
    const chanval_file *f = src(doc);
    assert_rules(f, "CV200");
    tu_assert_line(f, 200, (uint32_t)oracle_line, (uint32_t)oracle_col);
    tu_assert_message(f, 200, oracle_msg);
}

static void cv200_mismatched_tag(void **state)
{
    (void)state;
    cv200_gives_libxml2_line_col_and_message(DECL CHAN INST CRIT "  </instanc>\n</channel>\n");
}

static void cv200_unclosed_document(void **state)
{
    (void)state;
    cv200_gives_libxml2_line_col_and_message(DECL CHAN INST CRIT);
}

static void cv200_attribute_twice(void **state)
{
    (void)state;
    cv200_gives_libxml2_line_col_and_message(
        DECL CHAN INST "    <criterion field=\"image_path\" op=\"equals\" op=\"equals\" value=\"x\"/>\n" TAIL);
}

static void cv200_invalid_utf8(void **state)
{
    (void)state;
    cv200_gives_libxml2_line_col_and_message(
        DECL CHAN INST "    <criterion field=\"image_path\" op=\"equals\" value=\"\xff\"/>\n" TAIL);
}

static void cv200_bare_ampersand(void **state)
{
    (void)state;
    cv200_gives_libxml2_line_col_and_message(
        DECL CHAN INST "    <criterion field=\"image_path\" op=\"equals\" value=\"a & b\"/>\n" TAIL);
}

static void cv200_undeclared_entity(void **state)
{
    (void)state;
    cv200_gives_libxml2_line_col_and_message(
        DECL CHAN INST "    <criterion field=\"image_path\" op=\"equals\" value=\"&foo;\"/>\n" TAIL);
}

static void cv200_stops_reading_but_keeps_earlier_findings(void **state)
{
    (void)state;
    static const char doc[] = DECL CHAN
        "  <instance id=\"1\" typeId=\"12\" typeVersion=\"1\" action=\"detect\" severity=\"high\" color=\"red\">\n"
        CRIT "  </instanc>\n"
        "  <bogus/>\n"
        "</channel>\n";
    const chanval_file *f = src(doc);
    assert_rules(f, "CV200,CV202");
    assert_int_equal(tu_count(f, 202), 1);
    tu_assert_at(f, 202, doc, "color=");
}

static void cv200_encoding_other_than_utf8(void **state)
{
    (void)state;
    static const char *const enc[] = {"ISO-8859-1", "US-ASCII", "windows-1252", "UTF-16"};
    for (size_t i = 0; i < 4; i++) {
        char doc[512];
        snprintf(doc, sizeof doc, "<?xml version=\"1.0\" encoding=\"%s\"?>\n" CHAN INST CRIT TAIL,
                 enc[i]);
        const chanval_file *f = src(doc);
        if (strcmp(tu_rules(f), "CV200") != 0)
            fail_msg("encoding %s: %s", enc[i], tu_rules(f));
        const chanval_diag *d = tu_must(f, 200);
        assert_int_equal(d->loc_kind, CHANVAL_LOC_LINE);
        assert_int_equal(d->line, 1);
    }
}

/* libxml2 reads UTF-16, UTF-32 and EBCDIC documents without a declaration
 * (from their first bytes) and says nothing: chanval refuses them. */
static void cv200_utf16_and_utf32_without_declaration(void **state)
{
    (void)state;
    size_t n = strlen(tu_types_xml);
    unsigned char *buf = malloc(4 * n + 4);
    assert_non_null(buf);
    static const struct {
        const char *what;
        unsigned width;
        bool big, bom;
    } forms[] = {{"UTF-16", 2, false, true}, {"UTF-16", 2, true, true},
                 {"UTF-16", 2, false, false}, {"UTF-16", 2, true, false},
                 {"UTF-32", 4, false, false}, {"UTF-32", 4, true, true}};
    for (size_t k = 0; k < sizeof forms / sizeof *forms; k++) {
        unsigned w = forms[k].width;
        size_t len = 0;
        if (forms[k].bom) { /* U+FEFF */
            memset(buf, 0, w);
            buf[forms[k].big ? w - 1 : 0] = 0xFF;
            buf[forms[k].big ? w - 2 : 1] = 0xFE;
            len = w;
        }
        for (size_t i = 0; i < n; i++, len += w) { /* the text is ASCII */
            memset(buf + len, 0, w);
            buf[len + (forms[k].big ? w - 1 : 0)] = (unsigned char)tu_types_xml[i];
        }
        assert_int_equal(chanval_add_types_memory(E, "t.xml", buf, len), CHANVAL_OK);
        const chanval_file *f = tu_last(E);
        if (strcmp(tu_rules(f), "CV200") != 0)
            fail_msg("form %zu: %s", k, tu_rules(f));
        tu_assert_line(f, 200, 1, 1);
        tu_assert_message(f, 200, forms[k].what);
    }
    free(buf);
}

static void utf8_declarations_and_bom_accepted(void **state)
{
    (void)state;
    assert_rules(src("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n" CHAN INST CRIT TAIL), "-");
    assert_rules(src("<?xml version=\"1.0\"?>\n" CHAN INST CRIT TAIL), "-");
    assert_rules(src(CHAN INST CRIT TAIL), "-");
    assert_rules(src("\xef\xbb\xbf" DECL CHAN INST CRIT TAIL), "-");
    assert_rules(src("\xef\xbb\xbf" CHAN INST CRIT TAIL), "-");
    assert_rules(src("\xef\xbb\xbf\n\n  " CHAN INST CRIT TAIL), "-");
    /* a BOM does not shift the locations of later lines */
    static const char doc[] = "\xef\xbb\xbf" DECL CHAN
        "  <instance id=\"1\" typeId=\"12\" typeVersion=\"1\" action=\"detect\" severity=\"high\" x=\"1\">\n"
        CRIT TAIL;
    const chanval_file *f = src(doc);
    assert_rules(f, "CV202");
    tu_assert_line(f, 202, 3, 80);
    tu_assert_at(f, 202, doc, "x=\"1\"");
    /* a types document with a BOM joins the world */
    assert_rules(types_doc("\xef\xbb\xbf" TYPES_HEAD
                           "  <templateType id=\"5\" version=\"1\" name=\"T\">\n"
                           "    <field name=\"a\" kind=\"string\" maxLength=\"10\"/>\n"
                           "  </templateType>\n</templateTypes>\n"),
                 "-");
}

/* ---- CV201 ----------------------------------------------------------------- */

static void cv201_only(const char *doc)
{
    const chanval_file *f = src(doc);
    assert_rules(f, "CV201");
    tu_assert_at(f, 201, doc, "<!DOCTYPE");
    assert_int_equal(tu_count(f, 201), 1);
}

static void cv201_billion_laughs(void **state)
{
    (void)state;
    cv201_only(DECL
               "<!DOCTYPE channel [\n"
               "  <!ENTITY lol \"lol\">\n"
               "  <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
               "  <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
               "  <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
               "  <!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
               "  <!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\n"
               "  <!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">\n"
               "  <!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">\n"
               "  <!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">\n"
               "  <!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">\n"
               "]>\n"
               "<channel formatVersion=\"1\" id=\"1\" contentVersion=\"1\">\n"
               "  <instance id=\"1\" typeId=\"12\" typeVersion=\"1\" action=\"detect\" severity=\"high\">\n"
               "    <criterion field=\"image_path\" op=\"equals\" value=\"&lol9;\"/>\n"
               TAIL);
}

static void cv201_xxe(void **state)
{
    (void)state;
    cv201_only(DECL
               "<!DOCTYPE channel [\n"
               "  <!ENTITY xxe SYSTEM \"file:///etc/passwd\">\n"
               "]>\n"
               "<channel formatVersion=\"1\" id=\"1\" contentVersion=\"1\">\n"
               "  <instance id=\"1\" typeId=\"12\" typeVersion=\"1\" action=\"detect\" severity=\"high\">\n"
               "    <criterion field=\"image_path\" op=\"equals\" value=\"x\"/>\n"
               "  </instance>\n"
               "  &xxe;\n"
               "</channel>\n");
}

static void cv201_parameter_entity(void **state)
{
    (void)state;
    cv201_only(DECL
               "<!DOCTYPE channel [\n"
               "  <!ENTITY % ext SYSTEM \"http://example.invalid/evil.dtd\">\n"
               "  %ext;\n"
               "]>\n" CHAN INST CRIT TAIL);
}

static void cv201_external_dtd(void **state)
{
    (void)state;
    cv201_only(DECL "<!DOCTYPE channel SYSTEM \"http://example.invalid/channel.dtd\">\n" CHAN
                    INST CRIT TAIL);
    cv201_only(DECL "<!DOCTYPE channel PUBLIC \"-//X//DTD Channel//EN\" "
                    "\"http://example.invalid/channel.dtd\">\n" CHAN INST CRIT TAIL);
}

static void cv201_bare_doctype(void **state)
{
    (void)state;
    cv201_only(DECL "<!DOCTYPE channel>\n" CHAN INST CRIT TAIL);
    /* without an XML declaration: line 1 */
    static const char doc[] = "<!DOCTYPE channel []>\n" CHAN INST CRIT TAIL;
    const chanval_file *f = src(doc);
    assert_rules(f, "CV201");
    tu_assert_line(f, 201, 1, 1);
}

static void cv201_world_document_is_not_read(void **state)
{
    (void)state;
    /* the type after the DOCTYPE must not join the world */
    const chanval_file *f = types_doc(DECL "<!DOCTYPE templateTypes []>\n"
                                           "<templateTypes formatVersion=\"1\">\n"
                                           "  <templateType id=\"5\" version=\"1\" name=\"T\">\n"
                                           "    <field name=\"a\" kind=\"string\" maxLength=\"10\"/>\n"
                                           "  </templateType>\n</templateTypes>\n");
    assert_rules(f, "CV201");
    tu_assert_line(f, 201, 2, 1);
    f = tu_check_str(E, "s.xml",
                     CHAN "  <instance id=\"1\" typeId=\"5\" typeVersion=\"1\" action=\"log\" severity=\"low\">\n"
                          "    <criterion field=\"a\" op=\"equals\" value=\"x\"/>\n" TAIL);
    assert_true(tu_count(f, 300) == 1);
}

/* ---- CV202: value syntax ----------------------------------------------------- */

/* A source with every integer syntax in one place each. */
static const char *num_doc(const char *chan_id, const char *cver, const char *inst_id,
                           const char *tver, const char *index, const char *min)
{
    static char doc[1024];
    snprintf(doc, sizeof doc,
             "<channel formatVersion=\"1\" id=\"%s\" contentVersion=\"%s\">\n"
             "  <instance id=\"%s\" typeId=\"12\" typeVersion=\"%s\" action=\"detect\" severity=\"high\">\n"
             "    <criterion index=\"%s\" op=\"equals\" value=\"x\"/>\n"
             "    <criterion field=\"pid\" op=\"range\" min=\"%s\" max=\"10\"/>\n"
             "  </instance>\n"
             "</channel>\n",
             chan_id, cver, inst_id, tver, index, min);
    return doc;
}

enum slot { CHAN_ID, CVER, INST_ID, TVER, INDEX, MIN };

static void bad_number(enum slot which, const char *v)
{
    const char *a[6] = {"1", "1", "1", "1", "0", "0"};
    a[which] = v;
    const char *doc = num_doc(a[0], a[1], a[2], a[3], a[4], a[5]);
    const chanval_file *f = src(doc);
    if (strcmp(tu_rules(f), "CV202") != 0)
        fail_msg("slot %d = \"%s\": %s", (int)which, v, tu_rules(f));
    static const char *const ctx[6] = {"<channel formatVersion=\"1\" id=", "contentVersion=",
                                       "<instance id=", "typeVersion=", "index=", "min="};
    static const char *const attr[6] = {"id=", "contentVersion=", "id=", "typeVersion=",
                                        "index=", "min="};
    const char *c = ctx[which];
    if (which == CHAN_ID)
        tu_assert_in(f, 202, doc, c, "id=");
    else
        tu_assert_in(f, 202, doc, c, attr[which]);
}

static void numbers_valid_at_the_bounds(void **state)
{
    (void)state;
    assert_rules(src(num_doc("0", "0", "1", "1", "0", "0")), "-");
    assert_rules(src(num_doc("4294967295", "18446744073709551615", "4294967295", "1", "0",
                             "-9223372036854775808")),
                 "-");
    /* u16 at its bound: parsed, then simply an unknown type */
    const chanval_file *f = src(num_doc("1", "1", "1", "65535", "0", "0"));
    assert_int_equal(tu_count(f, 202), 0);
    assert_int_equal(tu_count(f, 300), 1);
}

static void cv202_integer_syntax(void **state)
{
    (void)state;
    static const char *const bad[] = {"+1", "-0", "01", "00", " 1", "1 ", "", "1.0", "1e2",
                                      "0x1", "--1", "1-", "&#32;1", "1&#9;", "\xd9\xa1"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        bad_number(INST_ID, bad[i]);
        bad_number(TVER, bad[i]);
        bad_number(CVER, bad[i]);
        bad_number(MIN, bad[i]);
    }
    bad_number(CHAN_ID, "+0");
    bad_number(INDEX, "00");
    bad_number(INDEX, "-0");
    bad_number(MIN, "-01");
}

static void cv202_integer_just_over_the_range(void **state)
{
    (void)state;
    bad_number(TVER, "65536");                        /* u16 */
    bad_number(TVER, "-1");
    bad_number(INST_ID, "4294967296");                /* u32 */
    bad_number(CHAN_ID, "4294967296");
    bad_number(INST_ID, "-1");
    bad_number(CVER, "18446744073709551616");         /* u64 */
    bad_number(INDEX, "18446744073709551616");
    bad_number(CVER, "99999999999999999999999999999");
    bad_number(MIN, "9223372036854775808");           /* i64 */
    bad_number(MIN, "-9223372036854775809");
    bad_number(MIN, "18446744073709551616");
}

static void cv202_boolean(void **state)
{
    (void)state;
    static const char *const bad[] = {"TRUE", "True", "1", "0", "yes", "no", "", " true", "false "};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char doc[512];
        snprintf(doc, sizeof doc,
                 CHAN INST "    <criterion field=\"image_path\" op=\"equals\" value=\"x\" "
                           "caseInsensitive=\"%s\"/>\n" TAIL,
                 bad[i]);
        const chanval_file *f = src(doc);
        if (strcmp(tu_rules(f), "CV202") != 0)
            fail_msg("caseInsensitive=\"%s\": %s", bad[i], tu_rules(f));
        tu_assert_at(f, 202, doc, "caseInsensitive=");
        snprintf(doc, sizeof doc,
                 CHAN INST "    <criterion field=\"image_path\" op=\"equals\" value=\"x\" "
                           "negate=\"%s\"/>\n" TAIL,
                 bad[i]);
        f = src(doc);
        assert_rules(f, "CV202");
        tu_assert_at(f, 202, doc, "negate=");
    }
    assert_rules(src(CHAN INST "    <criterion field=\"image_path\" op=\"equals\" value=\"x\" "
                               "caseInsensitive=\"true\" negate=\"false\"/>\n" TAIL),
                 "-");
    assert_rules(src(CHAN INST "    <criterion field=\"image_path\" op=\"equals\" value=\"x\" "
                               "caseInsensitive=\"false\" negate=\"true\"/>\n" TAIL),
                 "-");
}

static void cv202_names(void **state)
{
    (void)state;
    char name65[66], name64[65];
    memset(name65, 'a', 65);
    name65[65] = '\0';
    memset(name64, 'b', 64);
    name64[64] = '\0';
    char doc[1024];
    const char *bad[] = {name65, "1abc", "_abc", "a-b", "a.b", "a b", "", "\xc3\xa9t\xc3\xa9"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        snprintf(doc, sizeof doc,
                 CHAN INST "    <criterion field=\"%s\" op=\"equals\" value=\"x\"/>\n" TAIL, bad[i]);
        const chanval_file *f = src(doc);
        if (strcmp(tu_rules(f), "CV202") != 0)
            fail_msg("field=\"%s\": %s", bad[i], tu_rules(f));
        tu_assert_at(f, 202, doc, "field=");
    }
    /* 64 characters is a name: then it is simply not a field of the type */
    snprintf(doc, sizeof doc,
             CHAN INST "    <criterion field=\"%s\" op=\"equals\" value=\"x\"/>\n" TAIL, name64);
    const chanval_file *f = src(doc);
    assert_rules(f, "CV230");
    /* in a types document: 64 is fine, 65 is not */
    snprintf(doc, sizeof doc,
             TYPES_HEAD "  <templateType id=\"5\" version=\"1\" name=\"%s\">\n"
                        "    <field name=\"%s\" kind=\"string\" maxLength=\"10\"/>\n"
                        "  </templateType>\n</templateTypes>\n",
             name64, name64);
    assert_rules(types_doc(doc), "-");
    snprintf(doc, sizeof doc,
             TYPES_HEAD "  <templateType id=\"5\" version=\"1\" name=\"T\">\n"
                        "    <field name=\"%s\" kind=\"string\" maxLength=\"10\"/>\n"
                        "  </templateType>\n</templateTypes>\n",
             name65);
    f = types_doc(doc);
    assert_rules(f, "CV202");
    tu_assert_line(f, 202, 4, 12);
    snprintf(doc, sizeof doc,
             TYPES_HEAD "  <templateType id=\"6\" version=\"1\" name=\"%s\">\n"
                        "    <field name=\"a\" kind=\"string\" maxLength=\"10\"/>\n"
                        "  </templateType>\n</templateTypes>\n",
             name65);
    f = types_doc(doc);
    assert_rules(f, "CV202");
    tu_assert_line(f, 202, 3, 36);
}

static void cv202_sensor_version(void **state)
{
    (void)state;
    static const char *const good[] = {"7.11", "7.11.18110", "7.11.18110.1", "0.0", "007.1"};
    static const char *const bad[] = {"7",  "7.11.18110.1.2", "7..1", "7.1.", ".7.1", "v7.1",
                                      "7.1-rc1", "", " 7.1", "7.1 ", "7,1", "\xd9\xa1.1"};
    char doc[1024];
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        snprintf(doc, sizeof doc,
                 FLEET_HEAD "  <sensor version=\"%s\" maxChannelBytes=\"1000\" maxInstances=\"10\" "
                            "maxRegexLength=\"100\" regexMatchLimit=\"1000\">\n" SUPPORTS("12", "1", "8")
                            "  </sensor>\n</fleet>\n",
                 good[i]);
        const chanval_file *f = fleet_doc(doc);
        if (strcmp(tu_rules(f), "-") != 0)
            fail_msg("version \"%s\": %s", good[i], tu_rules(f));
    }
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        snprintf(doc, sizeof doc,
                 FLEET_HEAD "  <sensor version=\"%s\" maxChannelBytes=\"1000\" maxInstances=\"10\" "
                            "maxRegexLength=\"100\" regexMatchLimit=\"1000\">\n" SUPPORTS("12", "1", "8")
                            "  </sensor>\n</fleet>\n",
                 bad[i]);
        const chanval_file *f = fleet_doc(doc);
        if (strcmp(tu_rules(f), "CV202") != 0)
            fail_msg("version \"%s\": %s", bad[i], tu_rules(f));
        tu_assert_line(f, 202, 3, 11);
    }
}

static void cv202_fleet_values(void **state)
{
    (void)state;
    static const char *const limits[] = {"maxChannelBytes", "maxInstances", "maxRegexLength",
                                         "regexMatchLimit"};
    static const char *const bad[] = {"0", "4294967296", "-1", "01", ""};
    for (size_t l = 0; l < 4; l++)
        for (size_t b = 0; b < sizeof bad / sizeof *bad; b++) {
            char sensor[256], doc[1024];
            snprintf(sensor, sizeof sensor, "  <sensor version=\"1.2\"");
            for (size_t k = 0; k < 4; k++) {
                size_t n = strlen(sensor);
                snprintf(sensor + n, sizeof sensor - n, " %s=\"%s\"", limits[k],
                         k == l ? bad[b] : "4294967295");
            }
            snprintf(doc, sizeof doc, FLEET_HEAD "%s>\n" SUPPORTS("12", "1", "8") "  </sensor>\n</fleet>\n",
                     sensor);
            const chanval_file *f = fleet_doc(doc);
            if (strcmp(tu_rules(f), "CV202") != 0)
                fail_msg("%s=\"%s\": %s", limits[l], bad[b], tu_rules(f));
            tu_assert_in(f, 202, doc, sensor, limits[l]);
        }
    /* inputs is a u16: 0 and 65535 are fine, 65536 is not */
    assert_rules(fleet_doc(FLEET_HEAD SENSOR_OPEN("1.2") SUPPORTS("12", "1", "65535")
                           "  </sensor>\n</fleet>\n"),
                 "-");
    /* (inputs below the field count is CV401, but only in a world-only
     * check, not when the document is loaded) */
    assert_rules(fleet_doc(FLEET_HEAD SENSOR_OPEN("1.2") SUPPORTS("12", "1", "0")
                           "  </sensor>\n</fleet>\n"),
                 "-");
    static const char over[] = FLEET_HEAD SENSOR_OPEN("1.2") SUPPORTS("12", "1", "65536")
        "  </sensor>\n</fleet>\n";
    const chanval_file *f = fleet_doc(over);
    assert_rules(f, "CV202");
    tu_assert_at(f, 202, over, "inputs=");
}

static void cv202_types_values(void **state)
{
    (void)state;
    static const char id0[] = TYPES_HEAD "  <templateType id=\"0\" version=\"1\" name=\"T\">\n"
                                         "    <field name=\"a\" kind=\"string\" maxLength=\"10\"/>\n"
                                         "  </templateType>\n</templateTypes>\n";
    const chanval_file *f = types_doc(id0);
    assert_rules(f, "CV202");
    tu_assert_line(f, 202, 3, 17);
    static const char v0[] = TYPES_HEAD "  <templateType id=\"5\" version=\"0\" name=\"T\">\n"
                                        "    <field name=\"a\" kind=\"string\" maxLength=\"10\"/>\n"
                                        "  </templateType>\n</templateTypes>\n";
    f = types_doc(v0);
    assert_rules(f, "CV202");
    tu_assert_at(f, 202, v0, "version=\"0\"");
    static const char v65536[] = TYPES_HEAD "  <templateType id=\"5\" version=\"65536\" name=\"T\">\n"
                                            "    <field name=\"a\" kind=\"string\" maxLength=\"10\"/>\n"
                                            "  </templateType>\n</templateTypes>\n";
    f = types_doc(v65536);
    assert_rules(f, "CV202");
    tu_assert_at(f, 202, v65536, "version=\"65536\"");
    static const char kind[] = TYPES_HEAD "  <templateType id=\"5\" version=\"1\" name=\"T\">\n"
                                          "    <field name=\"a\" kind=\"float\" maxLength=\"10\"/>\n"
                                          "  </templateType>\n</templateTypes>\n";
    f = types_doc(kind);
    assert_rules(f, "CV202");
    tu_assert_at(f, 202, kind, "kind=");
    static const char nomax[] = TYPES_HEAD "  <templateType id=\"5\" version=\"1\" name=\"T\">\n"
                                           "    <field name=\"a\" kind=\"string\"/>\n"
                                           "  </templateType>\n</templateTypes>\n";
    f = types_doc(nomax);
    assert_rules(f, "CV202");
    tu_assert_at(f, 202, nomax, "<field");
    static const char maxint[] = TYPES_HEAD "  <templateType id=\"5\" version=\"1\" name=\"T\">\n"
                                            "    <field name=\"a\" kind=\"integer\" min=\"0\" max=\"1\" maxLength=\"5\"/>\n"
                                            "  </templateType>\n</templateTypes>\n";
    f = types_doc(maxint);
    assert_rules(f, "CV202");
    tu_assert_at(f, 202, maxint, "maxLength=");
    static const char minstr[] = TYPES_HEAD "  <templateType id=\"5\" version=\"1\" name=\"T\">\n"
                                            "    <field name=\"a\" kind=\"string\" maxLength=\"5\" min=\"0\"/>\n"
                                            "  </templateType>\n</templateTypes>\n";
    f = types_doc(minstr);
    assert_rules(f, "CV202");
    tu_assert_at(f, 202, minstr, "min=");
    static const char nominmax[] = TYPES_HEAD "  <templateType id=\"5\" version=\"1\" name=\"T\">\n"
                                              "    <field name=\"a\" kind=\"integer\" min=\"0\"/>\n"
                                              "  </templateType>\n</templateTypes>\n";
    f = types_doc(nominmax);
    assert_rules(f, "CV202");
    tu_assert_at(f, 202, nominmax, "<field");
    static const char maxlen_u64[] = TYPES_HEAD "  <templateType id=\"5\" version=\"1\" name=\"T\">\n"
                                                "    <field name=\"a\" kind=\"string\" maxLength=\"18446744073709551616\"/>\n"
                                                "  </templateType>\n</templateTypes>\n";
    f = types_doc(maxlen_u64);
    assert_rules(f, "CV202");
    tu_assert_at(f, 202, maxlen_u64, "maxLength=");
    static const char noname[] = TYPES_HEAD "  <templateType id=\"5\" version=\"1\">\n"
                                            "    <field name=\"a\" kind=\"string\" maxLength=\"5\"/>\n"
                                            "  </templateType>\n</templateTypes>\n";
    f = types_doc(noname);
    assert_rules(f, "CV202");
    tu_assert_at(f, 202, noname, "<templateType id");
}

/* ---- CV202: structure ------------------------------------------------------- */

static void cv202_unknown_element(void **state)
{
    (void)state;
    static const char doc[] = CHAN INST CRIT "    <comment text=\"x\"/>\n" TAIL;
    const chanval_file *f = src(doc);
    assert_rules(f, "CV202");
    tu_assert_at(f, 202, doc, "<comment");
    /* a known element in the wrong place, with children: reported once */
    static const char nested[] = CHAN INST CRIT
        "    <criterion field=\"user\" op=\"equals\" value=\"x\">\n"
        "      <instance id=\"2\" typeId=\"12\" typeVersion=\"1\" action=\"log\" severity=\"low\">\n"
        "        <criterion field=\"pid\" op=\"range\" min=\"0\" max=\"1\"/>\n"
        "      </instance>\n"
        "    </criterion>\n" TAIL;
    f = src(nested);
    assert_rules(f, "CV202");
    assert_int_equal(tu_count(f, 202), 1);
    tu_assert_at(f, 202, nested, "<instance id=\"2\"");
    /* the same in a types and a fleet document */
    static const char t[] = TYPES_HEAD "  <templateType id=\"5\" version=\"1\" name=\"T\">\n"
                                       "    <field name=\"a\" kind=\"string\" maxLength=\"5\"/>\n"
                                       "    <note/>\n"
                                       "  </templateType>\n</templateTypes>\n";
    f = types_doc(t);
    assert_rules(f, "CV202");
    tu_assert_at(f, 202, t, "<note/>");
    static const char fl[] = FLEET_HEAD "  <supports typeId=\"12\" typeVersion=\"1\" inputs=\"8\"/>\n"
                                        "</fleet>\n";
    f = fleet_doc(fl);
    assert_rules(f, "CV202");
    tu_assert_at(f, 202, fl, "<supports");
}

static void cv202_unknown_attribute(void **state)
{
    (void)state;
    static const char doc[] = CHAN
        "  <instance id=\"1\" typeId=\"12\" typeVersion=\"1\" action=\"detect\" severity=\"high\" color=\"red\">\n"
        CRIT TAIL;
    const chanval_file *f = src(doc);
    assert_rules(f, "CV202");
    tu_assert_at(f, 202, doc, "color=");
    tu_assert_message(f, 202, "color");
    /* on the root, and formatVersion on a child */
    static const char root[] = "<channel formatVersion=\"1\" id=\"1\" contentVersion=\"1\" lang=\"en\">\n"
        INST CRIT TAIL;
    f = src(root);
    assert_rules(f, "CV202");
    tu_assert_at(f, 202, root, "lang=");
    static const char fv[] = CHAN
        "  <instance formatVersion=\"1\" id=\"1\" typeId=\"12\" typeVersion=\"1\" action=\"detect\" severity=\"high\">\n"
        CRIT TAIL;
    f = src(fv);
    assert_rules(f, "CV202");
    tu_assert_in(f, 202, fv, "<instance formatVersion", "formatVersion");
}

static void cv202_missing_attribute(void **state)
{
    (void)state;
    static const char doc[] = CHAN
        "  <instance id=\"1\" typeId=\"12\" typeVersion=\"1\" action=\"detect\">\n" CRIT TAIL;
    const chanval_file *f = src(doc);
    assert_rules(f, "CV202");
    tu_assert_at(f, 202, doc, "<instance");
    tu_assert_message(f, 202, "severity");
    static const char noop[] = CHAN INST "    <criterion field=\"image_path\" value=\"x\"/>\n" TAIL;
    f = src(noop);
    assert_rules(f, "CV202");
    tu_assert_at(f, 202, noop, "<criterion");
    static const char noid[] = "<channel formatVersion=\"1\" contentVersion=\"1\">\n" INST CRIT TAIL;
    f = src(noid);
    assert_rules(f, "CV202");
    tu_assert_line(f, 202, 1, 1);
}

static void cv202_criterion_operands(void **state)
{
    (void)state;
    static const struct {
        const char *crit;
        const char *at; /* "" for the element */
    } cases[] = {
        {"<criterion field=\"image_path\" index=\"0\" op=\"equals\" value=\"x\"/>", ""},
        {"<criterion op=\"equals\" value=\"x\"/>", ""},
        {"<criterion field=\"pid\" op=\"range\" min=\"0\" max=\"1\" value=\"1\"/>", "value="},
        {"<criterion field=\"image_path\" op=\"equals\" value=\"x\" min=\"0\"/>", "min="},
        {"<criterion field=\"image_path\" op=\"regex\" value=\"x\" max=\"0\"/>", "max="},
        {"<criterion field=\"image_path\" op=\"equals\"/>", ""},
        {"<criterion field=\"image_path\" op=\"regex\"/>", ""},
        {"<criterion field=\"pid\" op=\"range\" min=\"0\"/>", ""},
        {"<criterion field=\"pid\" op=\"range\" max=\"0\"/>", ""},
        {"<criterion field=\"image_path\" op=\"equals\" value=\"x\" valueHex=\"78\"/>", ""},
        {"<criterion field=\"image_path\" op=\"equals\" valueHex=\"787\"/>", "valueHex="},
        {"<criterion field=\"image_path\" op=\"equals\" valueHex=\"7g\"/>", "valueHex="},
        {"<criterion field=\"image_path\" op=\"equals\" valueHex=\"0x78\"/>", "valueHex="},
        {"<criterion field=\"image_path\" op=\"equals\" valueHex=\"7800\"/>", "valueHex="},
        {"<criterion field=\"image_path\" op=\"equals\" valueHex=\"c080\"/>", "valueHex="},
        {"<criterion field=\"image_path\" op=\"equals\" valueHex=\"eda080\"/>", "valueHex="},
        {"<criterion field=\"image_path\" op=\"equals\" valueHex=\"e282\"/>", "valueHex="},
        {"<criterion field=\"image_path\" op=\"equals\" valueHex=\" 78\"/>", "valueHex="},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char doc[512];
        snprintf(doc, sizeof doc, CHAN INST "    %s\n" TAIL, cases[i].crit);
        const chanval_file *f = src(doc);
        if (strcmp(tu_rules(f), "CV202") != 0)
            fail_msg("%s: %s", cases[i].crit, tu_rules(f));
        if (cases[i].at[0])
            tu_assert_in(f, 202, doc, cases[i].crit, cases[i].at);
        else
            tu_assert_at(f, 202, doc, "<criterion");
    }
}

static void valuehex_accepted(void **state)
{
    (void)state;
    static const char *const ok[] = {"", "78", "610162", "C3A9", "c3a9", "f09f9880", "efbfbf",
                                     "0b0c"};
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
        char doc[512];
        snprintf(doc, sizeof doc,
                 CHAN INST "    <criterion field=\"image_path\" op=\"equals\" valueHex=\"%s\"/>\n" TAIL,
                 ok[i]);
        const chanval_file *f = src(doc);
        if (strcmp(tu_rules(f), "-") != 0)
            fail_msg("valueHex=\"%s\": %s", ok[i], tu_rules(f));
    }
}

static void cv202_stray_text(void **state)
{
    (void)state;
    static const char doc[] = CHAN INST CRIT "    hello world\n" TAIL;
    const chanval_file *f = src(doc);
    assert_rules(f, "CV202");
    tu_assert_at(f, 202, doc, "hello");
    static const char root[] = CHAN "  stray" INST CRIT TAIL;
    f = src(root);
    assert_rules(f, "CV202");
    tu_assert_at(f, 202, root, "stray");
    /* CDATA is text too, and so is a non-breaking space */
    f = src(CHAN INST CRIT "    <![CDATA[x]]>\n" TAIL);
    assert_rules(f, "CV202");
    f = src(CHAN INST CRIT "    \xc2\xa0\n" TAIL);
    assert_rules(f, "CV202");
    /* a character reference to a letter */
    f = src(CHAN INST CRIT "    &#65;\n" TAIL);
    assert_rules(f, "CV202");
}

static void whitespace_and_comments_are_ignored(void **state)
{
    (void)state;
    assert_rules(src("<!-- before -->\n" CHAN "\t<!-- inside -->\r\n" INST "\t\t\r\n" CRIT
                     "  <!-- <instance/> -->\n" TAIL "<!-- after -->\n\n"),
                 "-");
    assert_rules(src(CHAN "  <![CDATA[  \t ]]>\n" INST CRIT TAIL), "-");
    assert_rules(src(CHAN "  &#32;&#9;&#10;&#13;\n" INST CRIT TAIL), "-");
}

static void cv202_processing_instruction(void **state)
{
    (void)state;
    static const char doc[] = CHAN INST CRIT "    <?chanval hint?>\n" TAIL;
    const chanval_file *f = src(doc);
    assert_rules(f, "CV202");
    tu_assert_at(f, 202, doc, "<?chanval");
    static const char before[] = DECL "<?xml-stylesheet href=\"x.xsl\"?>\n" CHAN INST CRIT TAIL;
    f = src(before);
    assert_rules(f, "CV202");
    tu_assert_line(f, 202, 2, 1);
    static const char after[] = DECL CHAN INST CRIT TAIL "<?x?>\n";
    f = src(after);
    assert_rules(f, "CV202");
    tu_assert_at(f, 202, after, "<?x?>");
}

static void cv202_namespace(void **state)
{
    (void)state;
    static const char dflt[] = "<channel xmlns=\"urn:x\" formatVersion=\"1\" id=\"1\" contentVersion=\"1\">\n"
        INST CRIT TAIL;
    const chanval_file *f = src(dflt);
    assert_true(tu_count(f, 202) >= 1);
    assert_int_equal(tu_count(f, 203), 0);
    tu_assert_at(f, 202, dflt, "xmlns=");
    static const char xsi[] = "<channel formatVersion=\"1\" id=\"1\" contentVersion=\"1\" "
        "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
        "xsi:noNamespaceSchemaLocation=\"channel-source.xsd\">\n" INST CRIT TAIL;
    f = src(xsi);
    assert_rules(f, "CV202");
    tu_assert_at(f, 202, xsi, "xmlns:xsi=");
    static const char pfx[] = CHAN
        "  <p:instance xmlns:p=\"urn:p\" id=\"1\" typeId=\"12\" typeVersion=\"1\" action=\"detect\" severity=\"high\"/>\n"
        "</channel>\n";
    f = src(pfx);
    assert_rules(f, "CV202");
    tu_assert_at(f, 202, pfx, "<p:instance");
    static const char xmllang[] = CHAN
        "  <instance xml:lang=\"en\" id=\"1\" typeId=\"12\" typeVersion=\"1\" action=\"detect\" severity=\"high\">\n"
        CRIT TAIL;
    f = src(xmllang);
    assert_rules(f, "CV202");
    tu_assert_at(f, 202, xmllang, "xml:lang=");
}

static void columns_count_characters(void **state)
{
    (void)state;
    static const char doc[] = CHAN
        "<!--\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80--><instance id=\"1\" typeId=\"12\" typeVersion=\"1\" "
        "action=\"detect\" severity=\"high\" x=\"1\">\n" CRIT TAIL;
    const chanval_file *f = src(doc);
    assert_rules(f, "CV202");
    /* "<!--" 4, three characters, "-->" 3: the element starts at column 11 */
    tu_assert_line(f, 202, 2, 11 + 77);
    tu_assert_at(f, 202, doc, "x=\"1\"");
}

/* ---- CV203 ------------------------------------------------------------------ */

static void cv203_wrong_root_for_types(void **state)
{
    (void)state;
    const chanval_file *f = types_doc(tu_fleet_xml);
    assert_rules(f, "CV203");
    tu_assert_line(f, 203, 2, 1);
    f = types_doc(good_source);
    assert_rules(f, "CV203");
    tu_assert_line(f, 203, 2, 1);
}

static void cv203_wrong_root_for_fleet(void **state)
{
    (void)state;
    const chanval_file *f = fleet_doc(tu_types_xml);
    assert_rules(f, "CV203");
    tu_assert_line(f, 203, 2, 1);
}

static void cv203_unknown_root(void **state)
{
    (void)state;
    static const char doc[] = DECL "<channels formatVersion=\"1\">\n  <bogus/>\n</channels>\n";
    const chanval_file *f = src(doc);
    assert_rules(f, "CV203");
    tu_assert_line(f, 203, 2, 1);
    assert_int_equal(chanval_file_kind(f), CHANVAL_KIND_XML);
    /* a positional types or fleet document is fine */
    assert_rules(src(tu_types_xml), "-");
    assert_int_equal(chanval_file_kind(tu_last(S)), CHANVAL_KIND_TYPES);
    assert_rules(src(tu_healthy_fleet_xml), "-");
    assert_int_equal(chanval_file_kind(tu_last(S)), CHANVAL_KIND_FLEET);
}

static void cv203_format_version(void **state)
{
    (void)state;
    static const char none[] = DECL "<channel id=\"1\" contentVersion=\"1\">\n" INST CRIT TAIL;
    const chanval_file *f = src(none);
    assert_rules(f, "CV203");
    tu_assert_line(f, 203, 2, 1);
    static const char *const bad[] = {"2", "1.0", " 1", "1 ", "01", "", "+1", "0"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char doc[512];
        snprintf(doc, sizeof doc,
                 DECL "<channel id=\"1\" formatVersion=\"%s\" contentVersion=\"1\">\n" INST CRIT TAIL,
                 bad[i]);
        f = src(doc);
        if (strcmp(tu_rules(f), "CV203") != 0)
            fail_msg("formatVersion=\"%s\": %s", bad[i], tu_rules(f));
        tu_assert_line(f, 203, 2, 17);
    }
    /* types and fleet documents too */
    f = types_doc(DECL "<templateTypes formatVersion=\"2\">\n</templateTypes>\n");
    assert_rules(f, "CV203");
    tu_assert_line(f, 203, 2, 16);
    f = fleet_doc(DECL "<fleet>\n</fleet>\n");
    assert_rules(f, "CV203");
    tu_assert_line(f, 203, 2, 1);
}

static void cv203_stops_reading(void **state)
{
    (void)state;
    static const char doc[] = DECL "<channel formatVersion=\"2\" id=\"+1\" color=\"red\">\n"
        "  <bogus/>\n"
        "  <?pi?>\n"
        "  text\n"
        "</channel>\n";
    assert_rules(src(doc), "CV203");
}

/* ---- CV210 - CV213 ------------------------------------------------------------ */

static void cv210_duplicate_type(void **state)
{
    (void)state;
    static const char doc[] = TYPES_HEAD
        "  <templateType id=\"5\" version=\"1\" name=\"A\">\n"
        "    <field name=\"a\" kind=\"string\" maxLength=\"10\"/>\n"
        "  </templateType>\n"
        "  <templateType id=\"5\" version=\"2\" name=\"B\">\n"
        "    <field name=\"a\" kind=\"string\" maxLength=\"10\"/>\n"
        "  </templateType>\n"
        "  <templateType id=\"5\" version=\"1\" name=\"C\">\n"
        "    <field name=\"a\" kind=\"string\" maxLength=\"10\"/>\n"
        "  </templateType>\n"
        "</templateTypes>\n";
    const chanval_file *f = types_doc(doc);
    assert_rules(f, "CV210");
    assert_int_equal(tu_count(f, 210), 1);
    tu_assert_at(f, 210, doc, "<templateType id=\"5\" version=\"1\" name=\"C\"");
}

static void cv210_across_files(void **state)
{
    (void)state;
    assert_rules(tu_add_types(E, tu_types_xml), "-");
    static const char doc[] = TYPES_HEAD
        "  <templateType id=\"12\" version=\"1\" name=\"Again\">\n"
        "    <field name=\"a\" kind=\"string\" maxLength=\"10\"/>\n"
        "  </templateType>\n"
        "</templateTypes>\n";
    const chanval_file *f = tu_add_types(E, doc);
    assert_rules(f, "CV210");
    tu_assert_line(f, 210, 3, 3);
}

static void cv210_in_a_positional_document(void **state)
{
    (void)state;
    /* validated, but it does not join the world */
    static const char doc[] = TYPES_HEAD
        "  <templateType id=\"5\" version=\"1\" name=\"A\">\n"
        "    <field name=\"a\" kind=\"string\" maxLength=\"10\"/>\n"
        "  </templateType>\n"
        "  <templateType id=\"5\" version=\"1\" name=\"B\">\n"
        "    <field name=\"a\" kind=\"string\" maxLength=\"10\"/>\n"
        "  </templateType>\n"
        "</templateTypes>\n";
    const chanval_file *f = src(doc);
    assert_rules(f, "CV210");
    tu_assert_line(f, 210, 6, 3);
    f = src(CHAN "  <instance id=\"1\" typeId=\"5\" typeVersion=\"1\" action=\"log\" severity=\"low\">\n"
                 "    <criterion field=\"a\" op=\"equals\" value=\"x\"/>\n" TAIL);
    assert_true(tu_count(f, 300) == 1);
    /* ... and a positional copy of the world's types is no duplicate */
    assert_rules(src(tu_types_xml), "-");
}

static void cv211_duplicate_field_name(void **state)
{
    (void)state;
    static const char doc[] = TYPES_HEAD
        "  <templateType id=\"5\" version=\"1\" name=\"A\">\n"
        "    <field name=\"a\" kind=\"string\" maxLength=\"10\"/>\n"
        "    <field name=\"b\" kind=\"string\" maxLength=\"10\"/>\n"
        "    <field name=\"a\" kind=\"integer\" min=\"0\" max=\"1\"/>\n"
        "  </templateType>\n"
        "  <templateType id=\"6\" version=\"1\" name=\"B\">\n"
        "    <field name=\"a\" kind=\"string\" maxLength=\"10\"/>\n"
        "  </templateType>\n"
        "</templateTypes>\n";
    const chanval_file *f = types_doc(doc);
    assert_rules(f, "CV211");
    assert_int_equal(tu_count(f, 211), 1);
    tu_assert_line(f, 211, 6, 12);
    /* names are case-sensitive */
    assert_rules(types_doc(TYPES_HEAD "  <templateType id=\"7\" version=\"1\" name=\"A\">\n"
                                      "    <field name=\"a\" kind=\"string\" maxLength=\"10\"/>\n"
                                      "    <field name=\"A\" kind=\"string\" maxLength=\"10\"/>\n"
                                      "  </templateType>\n</templateTypes>\n"),
                 "-");
}

static const char *maxlen_doc(const char *v)
{
    static char doc[512];
    snprintf(doc, sizeof doc,
             TYPES_HEAD "  <templateType id=\"5\" version=\"1\" name=\"A\">\n"
                        "    <field name=\"a\" kind=\"string\" maxLength=\"%s\"/>\n"
                        "  </templateType>\n</templateTypes>\n",
             v);
    return doc;
}

static void cv212_bad_field_bounds(void **state)
{
    (void)state;
    static const char *const bad[] = {"0", "65536", "70000", "4294967296", "18446744073709551615"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        const char *doc = maxlen_doc(bad[i]);
        const chanval_file *f = types_doc(doc);
        if (strcmp(tu_rules(f), "CV212") != 0)
            fail_msg("maxLength=\"%s\": %s", bad[i], tu_rules(f));
        tu_assert_line(f, 212, 4, 35);
    }
    assert_rules(types_doc(maxlen_doc("1")), "-");
    assert_rules(types_doc(maxlen_doc("65535")), "-");
    static const char minmax[] = TYPES_HEAD
        "  <templateType id=\"6\" version=\"1\" name=\"A\">\n"
        "    <field name=\"a\" kind=\"integer\" min=\"1\" max=\"1\"/>\n"
        "    <field name=\"b\" kind=\"integer\" min=\"2\" max=\"1\"/>\n"
        "    <field name=\"c\" kind=\"integer\" min=\"-9223372036854775808\" max=\"9223372036854775807\"/>\n"
        "  </templateType>\n</templateTypes>\n";
    const chanval_file *f = types_doc(minmax);
    assert_rules(f, "CV212");
    tu_assert_at(f, 212, minmax, "<field name=\"b\"");
}

static const char *fields_doc(size_t n)
{
    static char doc[16384];
    size_t k = (size_t)snprintf(doc, sizeof doc,
                                TYPES_HEAD "  <templateType id=\"5\" version=\"1\" name=\"A\">\n");
    for (size_t i = 0; i < n; i++)
        k += (size_t)snprintf(doc + k, sizeof doc - k,
                              "    <field name=\"f%zu\" kind=\"string\" maxLength=\"10\"/>\n", i);
    snprintf(doc + k, sizeof doc - k, "  </templateType>\n</templateTypes>\n");
    return doc;
}

static void cv213_field_count(void **state)
{
    (void)state;
    const chanval_file *f = types_doc(fields_doc(0));
    assert_rules(f, "CV213");
    tu_assert_line(f, 213, 3, 3);
    f = types_doc(fields_doc(65));
    assert_rules(f, "CV213");
    tu_assert_line(f, 213, 3, 3);
    assert_rules(types_doc(fields_doc(64)), "-");
    assert_rules(types_doc(fields_doc(1)), "-");
}

static void cv213_max_fields_option(void **state)
{
    (void)state;
    assert_int_equal(chanval_set_limit(E, CHANVAL_LIMIT_FIELDS, 2), CHANVAL_OK);
    const chanval_file *f = tu_add_types(E, fields_doc(3));
    assert_rules(f, "CV213");
    tu_assert_line(f, 213, 3, 3);
    tu_assert_text(f, 213, "max-fields");
    chanval_session_free(E);
    E = tu_session(NULL, NULL);
    assert_int_equal(chanval_set_limit(E, CHANVAL_LIMIT_FIELDS, 100), CHANVAL_OK);
    assert_rules(tu_add_types(E, fields_doc(65)), "-");
}

/* ---- CV220 - CV222 ------------------------------------------------------------ */

static void cv220_duplicate_sensor(void **state)
{
    (void)state;
    static const char doc[] = FLEET_HEAD
        SENSOR_OPEN("1.2") SUPPORTS("12", "1", "8") "  </sensor>\n"
        SENSOR_OPEN("1.2.0") SUPPORTS("12", "1", "8") "  </sensor>\n"
        SENSOR_OPEN("1.2") SUPPORTS("12", "1", "8") "  </sensor>\n"
        "</fleet>\n";
    const chanval_file *f = fleet_doc(doc);
    assert_rules(f, "CV220");
    assert_int_equal(tu_count(f, 220), 1);
    tu_assert_line(f, 220, 9, 11);
}

static void cv220_across_files(void **state)
{
    (void)state;
    assert_rules(fleet_doc(tu_fleet_xml), "-");
    static const char doc[] = FLEET_HEAD SENSOR_OPEN("7.10.17706") SUPPORTS("12", "1", "8")
        "  </sensor>\n</fleet>\n";
    const chanval_file *f = tu_add_fleet(E, doc);
    assert_rules(f, "CV220");
    tu_assert_line(f, 220, 3, 11);
}

static void cv221_supports_unknown_type(void **state)
{
    (void)state;
    static const char doc[] = FLEET_HEAD SENSOR_OPEN("1.2") SUPPORTS("12", "1", "8")
        SUPPORTS("12", "2", "8") SUPPORTS("99", "1", "8") "  </sensor>\n</fleet>\n";
    const chanval_file *f = fleet_doc(doc);
    assert_rules(f, "CV221");
    assert_int_equal(tu_count(f, 221), 2);
    tu_assert_at(f, 221, doc, "<supports typeId=\"12\" typeVersion=\"2\"");
    /* with no template types at all */
    chanval_session_free(E);
    E = tu_session(NULL, NULL);
    f = tu_add_fleet(E, doc);
    assert_rules(f, "CV221");
    assert_int_equal(tu_count(f, 221), 3);
}

static void cv222_duplicate_supports(void **state)
{
    (void)state;
    static const char doc[] = FLEET_HEAD SENSOR_OPEN("1.2") SUPPORTS("12", "1", "8")
        SUPPORTS("7", "3", "21") SUPPORTS("12", "1", "7") "  </sensor>\n"
        SENSOR_OPEN("1.3") SUPPORTS("12", "1", "8") "  </sensor>\n</fleet>\n";
    const chanval_file *f = fleet_doc(doc);
    assert_rules(f, "CV222");
    assert_int_equal(tu_count(f, 222), 1);
    tu_assert_at(f, 222, doc, "<supports typeId=\"12\" typeVersion=\"1\" inputs=\"7\"");
}

/* ---- CV230, CV231 ----------------------------------------------------------- */

static void cv230_unknown_field(void **state)
{
    (void)state;
    static const char doc[] = CHAN INST "    <criterion field=\"imagepath\" op=\"equals\" value=\"x\"/>\n" TAIL;
    const chanval_file *f = src(doc);
    assert_rules(f, "CV230");
    tu_assert_at(f, 230, doc, "field=");
    tu_assert_message(f, 230, "imagepath");
    /* another type's field */
    static const char other[] = CHAN INST "    <criterion field=\"pipe_name\" op=\"equals\" value=\"x\"/>\n" TAIL;
    f = src(other);
    assert_rules(f, "CV230");
    /* names are case-sensitive */
    f = src(CHAN INST "    <criterion field=\"Image_path\" op=\"equals\" value=\"x\"/>\n" TAIL);
    assert_rules(f, "CV230");
}

static void cv230_index_out_of_range(void **state)
{
    (void)state;
    static const char *const bad[] = {"8", "9", "4294967295", "4294967296", "18446744073709551615"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char doc[512];
        snprintf(doc, sizeof doc,
                 CHAN INST "    <criterion index=\"%s\" op=\"equals\" value=\"x\"/>\n" TAIL, bad[i]);
        const chanval_file *f = src(doc);
        if (strcmp(tu_rules(f), "CV230") != 0)
            fail_msg("index=\"%s\": %s", bad[i], tu_rules(f));
        tu_assert_at(f, 230, doc, "index=");
    }
    /* index 7 is the last field of type 12: an integer, so a range */
    assert_rules(src(CHAN INST "    <criterion index=\"7\" op=\"range\" min=\"0\" max=\"1\"/>\n" TAIL),
                 "-");
    /* type 7 has 21 fields */
    assert_rules(src(CHAN "  <instance id=\"1\" typeId=\"7\" typeVersion=\"3\" action=\"log\" severity=\"low\">\n"
                          "    <criterion index=\"20\" op=\"equals\" value=\"x\"/>\n" TAIL),
                 "-");
    const chanval_file *f =
        src(CHAN "  <instance id=\"1\" typeId=\"7\" typeVersion=\"3\" action=\"log\" severity=\"low\">\n"
                 "    <criterion index=\"21\" op=\"equals\" value=\"x\"/>\n" TAIL);
    assert_rules(f, "CV230");
    tu_assert_line(f, 230, 3, 16);
}

static void cv231_duplicate_criterion(void **state)
{
    (void)state;
    static const char doc[] = CHAN INST CRIT
        "    <criterion field=\"user\" op=\"equals\" value=\"y\"/>\n"
        "    <criterion field=\"image_path\" op=\"regex\" value=\"z\"/>\n" TAIL;
    const chanval_file *f = src(doc);
    assert_rules(f, "CV231");
    assert_int_equal(tu_count(f, 231), 1);
    tu_assert_in(f, 231, doc, "<criterion field=\"image_path\" op=\"regex\"", "field=");
    /* once by name, once by index */
    static const char mixed[] = CHAN INST CRIT
        "    <criterion index=\"0\" op=\"regex\" value=\"z\"/>\n" TAIL;
    f = src(mixed);
    assert_rules(f, "CV231");
    tu_assert_in(f, 231, mixed, "<criterion index=\"0\"", "index=");
    /* the same field in two instances is fine */
    assert_rules(src(CHAN INST CRIT "  </instance>\n"
                     "  <instance id=\"2\" typeId=\"12\" typeVersion=\"1\" action=\"log\" severity=\"low\">\n"
                     CRIT TAIL),
                 "-");
}

/* ---- XML limits ------------------------------------------------------------- */

static const char *deep_doc(size_t depth)
{
    static char doc[8192];
    size_t k = (size_t)snprintf(doc, sizeof doc, CHAN "<instance id=\"1\" typeId=\"12\" "
                                                 "typeVersion=\"1\" action=\"detect\" severity=\"high\">\n");
    for (size_t d = 3; d <= depth; d++)
        k += (size_t)snprintf(doc + k, sizeof doc - k, "<x%zu>\n", d);
    for (size_t d = depth; d >= 3; d--)
        k += (size_t)snprintf(doc + k, sizeof doc - k, "</x%zu>\n", d);
    snprintf(doc + k, sizeof doc - k, "</instance>\n</channel>\n");
    return doc;
}

static void cv120_depth_33(void **state)
{
    (void)state;
    const chanval_file *f = src(deep_doc(32));
    /* the unknown element, once; no depth finding */
    assert_int_equal(tu_count(f, 120), 0);
    assert_true(tu_count(f, 202) == 1);
    f = src(deep_doc(33));
    assert_true(tu_count(f, 120) == 1);
    tu_assert_line(f, 120, 33, 1);
    tu_assert_message(f, 120, "max-xml-depth");
    f = src(deep_doc(200));
    assert_true(tu_count(f, 120) == 1);
    tu_assert_line(f, 120, 33, 1);
}

static void cv120_depth_option(void **state)
{
    (void)state;
    assert_int_equal(chanval_set_limit(S, CHANVAL_LIMIT_XML_DEPTH, 2), CHANVAL_OK);
    const chanval_file *f = src(good_source);
    assert_rules(f, "CV120");
    tu_assert_at(f, 120, good_source, "<criterion");
    assert_int_equal(chanval_set_limit(S, CHANVAL_LIMIT_XML_DEPTH, 3), CHANVAL_OK);
    assert_rules(src(good_source), "-");
}

static void cv120_size_limit(void **state)
{
    (void)state;
    size_t n = strlen(good_source);
    assert_int_equal(chanval_set_limit(S, CHANVAL_LIMIT_XML_BYTES, n), CHANVAL_OK);
    assert_rules(src(good_source), "-");
    assert_int_equal(chanval_set_limit(S, CHANVAL_LIMIT_XML_BYTES, n - 1), CHANVAL_OK);
    const chanval_file *f = src(good_source);
    assert_rules(f, "CV120");
    tu_assert_line(f, 120, 1, 1);
    tu_assert_message(f, 120, "max-xml-bytes");
    /* a world document too */
    assert_int_equal(chanval_set_limit(E, CHANVAL_LIMIT_XML_BYTES, 64), CHANVAL_OK);
    f = tu_add_types(E, tu_types_xml);
    assert_rules(f, "CV120");
    tu_assert_line(f, 120, 1, 1);
}

/* A start tag with `n` attributes as element `name` of a channel source. */
static const char *attrs_doc(const char *before, size_t n, const char *after)
{
    static char doc[65536];
    size_t k = (size_t)snprintf(doc, sizeof doc, "%s", before);
    for (size_t i = 0; i < n && k < sizeof doc; i++)
        k += (size_t)snprintf(doc + k, sizeof doc - k, " a%zu=\"'>\"", i);
    if (k < sizeof doc)
        snprintf(doc + k, sizeof doc - k, "%s", after);
    return doc;
}

static void cv120_attributes(void **state)
{
    (void)state;
    /* 64 on an instance: each one unknown (and 5 required ones missing),
     * none over the limit */
    const char *at = DECL CHAN "  <!-- \"\"\"\"\"\"\"\" -->\n  <instance";
    const chanval_file *f = src(attrs_doc(at, 64, "/>\n</channel>\n"));
    assert_rules(f, "CV202,CV308");
    assert_int_equal(tu_count(f, 202), 64 + 5);
    /* 65: the element is refused whole, at its '<', naming the limit */
    f = src(attrs_doc(at, 65, "/>\n</channel>\n"));
    assert_rules(f, "CV120");
    tu_assert_line(f, 120, 4, 3);
    tu_assert_message(f, 120,
                      "element \"instance\" has 65 attributes, more than the limit of 64 "
                      "(--max-xml-attributes)");
    /* the root: nothing before it for libxml2 to read */
    f = src(attrs_doc("<channel", 3000, "/>\n"));
    assert_rules(f, "CV120");
    tu_assert_line(f, 120, 1, 1);
    tu_assert_message(f, 120, "has 3000 attributes");
    /* after a byte order mark (the mark is column 1, as everywhere) */
    f = src(attrs_doc("\xEF\xBB\xBF<channel", 100, "/>\n"));
    assert_rules(f, "CV120");
    tu_assert_line(f, 120, 1, 2);
    /* an earlier finding that stops the parser comes first */
    f = src(attrs_doc(DECL "<channel formatVersion=\"2\" id=\"1\" contentVersion=\"1\">\n<x", 100,
                      "/>\n</channel>\n"));
    assert_rules(f, "CV203");
    f = src(attrs_doc("<!DOCTYPE channel>\n<channel", 100, "/>\n"));
    assert_rules(f, "CV201");
    /* the limit is configurable */
    assert_int_equal(chanval_set_limit(S, CHANVAL_LIMIT_XML_ATTRS, 3), CHANVAL_OK);
    assert_rules(src(good_source), "CV120");
    tu_assert_at(tu_last(S), 120, good_source, "<instance");
    assert_int_equal(chanval_set_limit(S, CHANVAL_LIMIT_XML_ATTRS, 5), CHANVAL_OK);
    assert_rules(src(good_source), "-");
    assert_int_not_equal(chanval_set_limit(S, CHANVAL_LIMIT_XML_ATTRS, 0), CHANVAL_OK);
}

/* A NUL byte is CV200 at its own line:col wherever it is; libxml2, which
 * takes it for the end of the input, does not decide what follows. */
static void cv200_nul_byte(void **state)
{
    (void)state;
    static const struct {
        const char *doc;
        size_t len;
        uint32_t line, col;
    } cases[] = {
#define NUL_CASE(text, line, col) {text, sizeof text - 1, line, col}
        NUL_CASE(DECL CHAN "</channel>\n\0", 4, 1),
        NUL_CASE(DECL CHAN "</channel>\n\0garbage</channel>", 4, 1),
        NUL_CASE(DECL CHAN "</channel>\n<!-- x -->\n  \0", 5, 3),
        NUL_CASE(DECL "\0" CHAN "</channel>\n", 2, 1),
        NUL_CASE(DECL "<!-- \0 -->" CHAN "</channel>\n", 2, 6),
        NUL_CASE(DECL CHAN "  <instance id=\"1\0\"", 3, 18),
        NUL_CASE(DECL CHAN "  <inst\0ance", 3, 8),
        NUL_CASE(DECL CHAN "  \0<instance", 3, 3),
        NUL_CASE(DECL CHAN "  &am\0p;", 3, 6),
        NUL_CASE(DECL CHAN "  <![CDA\0TA[", 3, 9),
        NUL_CASE(DECL CHAN "  <?chanval \0?>", 3, 13),
        NUL_CASE("<?xml ver\0sion=\"1.0\"?>" CHAN "</channel>\n", 1, 10),
#undef NUL_CASE
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const chanval_file *f = tu_check(S, "n.xml", cases[i].doc, cases[i].len);
        assert_rules(f, "CV200");
        tu_assert_line(f, 200, cases[i].line, cases[i].col);
        tu_assert_message(f, 200, "a NUL byte (0x00)");
    }
    /* no NUL: unfinished markup is libxml2's to report */
    static const char *const unfinished[] = {DECL CHAN "<!-- x\n", DECL CHAN "<?chanval x\n",
                                             DECL CHAN "<![CDATA[\n", DECL CHAN "</channel",
                                             DECL CHAN "<instance id=\"1\""};
    for (size_t i = 0; i < sizeof unfinished / sizeof *unfinished; i++) {
        const chanval_file *f = src(unfinished[i]);
        assert_rules(f, "CV200");
        assert_null(strstr(tu_must(f, 200)->message, "NUL"));
    }
    /* a finding before the NUL that stops the parser comes first */
    static const char doctype[] = "<!DOCTYPE channel>\n" CHAN "</channel>\n\0";
    assert_rules(tu_check(S, "n.xml", doctype, sizeof doctype - 1), "CV201");
    /* after the root: white space and comments only */
    assert_rules(src(DECL CHAN "</channel>\n\n<!-- a -->\t<!-- b -->\r\n  \n"), "-");
    const chanval_file *f = src(DECL CHAN "</channel>\n  x\n");
    assert_rules(f, "CV200");
    tu_assert_line(f, 200, 4, 3);
}

/* Columns on one line, counted on from the last finding's (forwards, and
 * backwards to a start tag after its attributes), in characters. */
static void columns_on_one_line(void **state)
{
    (void)state;
    static const char doc[] = "<channel formatVersion=\"1\" id=\"1\" contentVersion=\"1\">"
                              "<!-- \xC3\xA9\xC3\xA9 --><instance \xC3\xA9=\"1\" z=\"\xC3\xA9\"/>"
                              "<!-- \xC3\xA9 --><instance y=\"1\"/></channel>\n";
    const chanval_file *f = src(doc);
    /* found in the order: the unknown attributes, then the five missing
     * ones at the '<' before them; reported in location order */
    static const uint32_t want[] = {65, 65, 65, 65, 65, 75, 81, 98, 98, 98, 98, 98, 108};
    assert_int_equal(tu_count(f, 202), sizeof want / sizeof *want);
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        const chanval_diag *d = tu_nth(f, 202, i);
        if (d->line != 1 || d->column != want[i])
            fail_msg("finding %zu at %u:%u, expected 1:%u: %s", i, d->line, d->column, want[i],
                     d->message);
    }
}

/* --max-bytes holds a source to the size of the channel file it packs to:
 * pack writes nothing that check would reject. */
static void cv120_packed_size_limit(void **state)
{
    (void)state;
    uint8_t *bin = NULL;
    size_t len = 0;
    assert_int_equal(chanval_pack_memory(S, "p.xml", good_source, strlen(good_source), &bin, &len),
                     CHANVAL_OK);
    assert_non_null(bin);
    chanval_free(bin);
    assert_int_equal(chanval_set_limit(S, CHANVAL_LIMIT_BYTES, len), CHANVAL_OK);
    assert_rules(src(good_source), "-");
    assert_int_equal(chanval_set_limit(S, CHANVAL_LIMIT_BYTES, len - 1), CHANVAL_OK);
    const chanval_file *f = src(good_source);
    assert_rules(f, "CV120");
    tu_assert_at(f, 120, good_source, "<channel");
    tu_assert_message(f, 120, "(--max-bytes)");
    bin = NULL;
    assert_int_equal(chanval_pack_memory(S, "p.xml", good_source, strlen(good_source), &bin, &len),
                     CHANVAL_OK);
    assert_null(bin);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(baseline_documents_are_valid),
        T(cv200_mismatched_tag),
        T(cv200_unclosed_document),
        T(cv200_attribute_twice),
        T(cv200_invalid_utf8),
        T(cv200_bare_ampersand),
        T(cv200_undeclared_entity),
        T(cv200_stops_reading_but_keeps_earlier_findings),
        T(cv200_encoding_other_than_utf8),
        T(cv200_utf16_and_utf32_without_declaration),
        T(cv120_packed_size_limit),
        T(utf8_declarations_and_bom_accepted),
        T(cv201_billion_laughs),
        T(cv201_xxe),
        T(cv201_parameter_entity),
        T(cv201_external_dtd),
        T(cv201_bare_doctype),
        T(cv201_world_document_is_not_read),
        T(numbers_valid_at_the_bounds),
        T(cv202_integer_syntax),
        T(cv202_integer_just_over_the_range),
        T(cv202_boolean),
        T(cv202_names),
        T(cv202_sensor_version),
        T(cv202_fleet_values),
        T(cv202_types_values),
        T(cv202_unknown_element),
        T(cv202_unknown_attribute),
        T(cv202_missing_attribute),
        T(cv202_criterion_operands),
        T(valuehex_accepted),
        T(cv202_stray_text),
        T(whitespace_and_comments_are_ignored),
        T(cv202_processing_instruction),
        T(cv202_namespace),
        T(columns_count_characters),
        T(cv203_wrong_root_for_types),
        T(cv203_wrong_root_for_fleet),
        T(cv203_unknown_root),
        T(cv203_format_version),
        T(cv203_stops_reading),
        T(cv210_duplicate_type),
        T(cv210_across_files),
        T(cv210_in_a_positional_document),
        T(cv211_duplicate_field_name),
        T(cv212_bad_field_bounds),
        T(cv213_field_count),
        T(cv213_max_fields_option),
        T(cv220_duplicate_sensor),
        T(cv220_across_files),
        T(cv221_supports_unknown_type),
        T(cv222_duplicate_supports),
        T(cv230_unknown_field),
        T(cv230_index_out_of_range),
        T(cv231_duplicate_criterion),
        T(cv120_depth_33),
        T(cv120_depth_option),
        T(cv120_size_limit),
        T(cv120_attributes),
        T(cv200_nul_byte),
        T(columns_on_one_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
