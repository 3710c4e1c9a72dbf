/* test_smoke.c - end-to-end sanity of the public API on the sample world. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

static const char source_ok[] =
    "<channel formatVersion=\"1\" id=\"291\" contentVersion=\"202407190409\">\n"
    "  <instance id=\"1\" typeId=\"7\" typeVersion=\"3\" action=\"detect\" severity=\"high\">\n"
    "    <criterion field=\"pipe_name\" op=\"regex\" value=\"^\\\\\\\\\\.\\\\pipe\\\\[a-f0-9]{8}$\" caseInsensitive=\"true\"/>\n"
    "    <criterion field=\"client_pid\" op=\"range\" min=\"4\" max=\"4\"/>\n"
    "  </instance>\n"
    "</channel>\n";

static void valid_source_and_file_have_no_errors(void **state)
{
    (void)state;
    chanval_session *s = tu_session(tu_types_xml, tu_healthy_fleet_xml);
    const chanval_file *f = tu_check_str(s, "ok.xml", source_ok);
    assert_rules(f, "-");
    tu_bin b = tu_pack(s, source_ok);
    f = tu_check(s, "ok.bin", b.p, b.n);
    assert_rules(f, "-");
    assert_int_equal(chanval_exit_code(s), 0);
    tu_bin_free(&b);
    chanval_session_free(s);
}

static void channel_291_is_cv400_for_the_20_input_sensor(void **state)
{
    (void)state;
    chanval_session *s = tu_session(tu_types_xml, tu_healthy_fleet_xml);
    static const char src[] =
        "<channel formatVersion=\"1\" id=\"291\" contentVersion=\"1\">\n"
        "  <instance id=\"17\" typeId=\"7\" typeVersion=\"3\" action=\"detect\" severity=\"high\">\n"
        "    <criterion index=\"20\" op=\"regex\" value=\"x\"/>\n"
        "  </instance>\n"
        "</channel>\n";
    tu_bin b = tu_pack(s, src); /* the healthy fleet lets it pack */
    chanval_session_free(s);

    s = tu_session(tu_types_xml, tu_fleet_xml);
    const chanval_file *f = tu_check(s, "C-00000291.bin", b.p, b.n);
    assert_rules(f, "CV400,CV401");
    /* header 80 + table 48 + TYPES 4+8 = 140: the record; criterion 20 at +16+400 */
    tu_assert_offset(f, 400, 140 + 4 + 16 + 20 * 20);
    const chanval_diag *d = tu_find(f, 400);
    assert_string_equal(d->sensor, "7.11.18110");
    assert_int_equal(d->instance, 17);
    assert_int_equal(d->criterion, 20);
    assert_non_null(strstr(d->message, "remote_pipe_flags"));
    assert_non_null(strstr(d->message, "supplies only 20 inputs"));
    assert_int_equal(tu_count(f, 400), 1); /* not for 7.10.17706, which supplies 21 */
    assert_int_equal(chanval_exit_code(s), 1);
    tu_bin_free(&b);
    chanval_session_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(valid_source_and_file_have_no_errors),
        cmocka_unit_test(channel_291_is_cv400_for_the_20_input_sensor),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
