/* test_report.c - what reports promise whatever the input: terminal-safe
 * text, and an exit code that is the run's (2 when an input went unread). */
#define _POSIX_C_SOURCE 200809L
#include "testutil.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void expect_escaped(const char *in, bool backslash, const char *want)
{
    char *got = chanval_escape_text(in, backslash);
    assert_non_null(got);
    assert_string_equal(got, want);
    chanval_free(got);
}

static void escape_shows_every_control(void **state)
{
    (void)state;
    expect_escaped("plain name.bin", true, "plain name.bin");
    expect_escaped("", true, "");
    /* C0 controls, TAB included, and DEL */
    expect_escaped("a\x1b[31mb", false, "a\\x1b[31mb");
    expect_escaped("l1\nl2\rl3\tx\x7f", false, "l1\\x0al2\\x0dl3\\x09x\\x7f");
    expect_escaped("\x01\x1f", false, "\\x01\\x1f");
    /* C1 controls (U+009B is CSI), as code points */
    expect_escaped("x\xc2\x9b[31m", false, "x\\u009b[31m");
    expect_escaped("\xc2\x80\xc2\x9f\xc2\xa0", false, "\\u0080\\u009f\xc2\xa0");
    /* bidi formatting: overrides, embeddings, isolates, marks */
    expect_escaped("a\xe2\x80\xaez", false, "a\\u202ez");
    expect_escaped("\xe2\x80\xaa\xe2\x80\xad\xe2\x81\xa6\xe2\x81\xa9", false,
                   "\\u202a\\u202d\\u2066\\u2069");
    expect_escaped("\xe2\x80\x8e\xe2\x80\x8f\xd8\x9c", false, "\\u200e\\u200f\\u061c");
    expect_escaped("\xe2\x80\xa8\xe2\x80\xa9", false, "\\u2028\\u2029");
    /* other characters stay as they are */
    expect_escaped("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", false,
                   "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
    /* bytes that are not UTF-8: each one, so truncation cannot hide one */
    expect_escaped("a\x80\xffz", false, "a\\x80\\xffz");
    expect_escaped("\xe2\x80", false, "\\xe2\\x80");
    expect_escaped("\xc0\xaf", false, "\\xc0\\xaf"); /* overlong */
}

static void escape_backslash_keeps_names_distinct(void **state)
{
    (void)state;
    /* a name that spells an escape is not the name with the character */
    expect_escaped("a\\x1b", true, "a\\\\x1b");
    expect_escaped("a\x1b", true, "a\\x1b");
    expect_escaped("a\\\\", true, "a\\\\\\\\");
    /* messages already quote content with \\: left alone there */
    expect_escaped("regex \"\\\\d\"", false, "regex \"\\\\d\"");
}

static void exit_code_is_2_after_an_unreadable_input(void **state)
{
    (void)state;
    chanval_session *s = tu_session(tu_types_xml, tu_fleet_xml);
    assert_int_equal(chanval_exit_code(s), 0);
    const char *paths[] = {"corpus/no-such-file.bin"};
    assert_int_equal(chanval_check_paths(s, paths, 1, 1), CHANVAL_ERR_IO);
    assert_int_equal(chanval_exit_code(s), 2);
    assert_string_equal(chanval_io_error_path(s, 0), "corpus/no-such-file.bin");
    /* findings elsewhere do not lower it */
    tu_check_str(s, "bad.bin", "CHNL");
    assert_true(chanval_error_count(s) > 0);
    assert_int_equal(chanval_exit_code(s), 2);
    char *json = NULL;
    size_t len = 0;
    assert_int_equal(chanval_render(s, CHANVAL_FORMAT_JSON, 0, &json, &len), CHANVAL_OK);
    assert_non_null(strstr(json, "\"exit\": 2"));
    assert_non_null(strstr(json, "\"path\": \"corpus/no-such-file.bin\""));
    chanval_free(json);
    chanval_session_free(s);

    /* one path, through chanval_check_path */
    s = tu_session(NULL, NULL);
    assert_int_equal(chanval_check_path(s, "corpus/no-such-file.bin"), CHANVAL_ERR_IO);
    assert_int_equal(chanval_io_error_count(s), 1);
    assert_int_equal(chanval_exit_code(s), 2);
    chanval_session_free(s);

    /* what the caller could not write counts the same */
    s = tu_session(NULL, NULL);
    assert_int_equal(chanval_record_io_error(s, "out/baseline.xml", "cannot write"), CHANVAL_OK);
    assert_int_equal(chanval_exit_code(s), 2);
    chanval_session_free(s);
}

static void report_text_escapes_names_and_messages(void **state)
{
    (void)state;
    chanval_session *s = tu_session(NULL, NULL);
    tu_check_str(s, "evil\x1b]0;x\x07\n.bin", "CHNL");
    char *text = NULL;
    size_t len = 0;
    assert_int_equal(chanval_render(s, CHANVAL_FORMAT_TEXT, 0, &text, &len), CHANVAL_OK);
    for (size_t i = 0; i < len; i++)
        assert_true(text[i] == '\n' || ((unsigned char)text[i] >= 0x20 && text[i] != 0x7f));
    assert_non_null(strstr(text, "evil\\x1b]0;x\\x07\\x0a.bin:0x0: error[CV"));
    chanval_free(text);
    chanval_session_free(s);
}

static char *render(const chanval_session *s, chanval_format fmt, unsigned flags)
{
    char *out = NULL;
    size_t len = 0;
    assert_int_equal(chanval_render(s, fmt, flags, &out, &len), CHANVAL_OK);
    assert_non_null(out);
    return out;
}

static void diff_is_public(void **state)
{
    (void)state;
    chanval_session *s = tu_session(tu_types_xml, tu_fleet_xml);
    chanval_diff_info d;
    chanval_diff_change c;
    assert_false(chanval_diff_get(s, &d));
    assert_false(chanval_diff_change_at(s, 0, &c));
    assert_false(chanval_out_of_memory(s));
    assert_int_equal(
        chanval_diff_paths(s, "corpus/diff/block-added-old.bin", "corpus/diff/block-added-new.bin"),
        CHANVAL_OK);
    assert_true(chanval_diff_get(s, &d));
    assert_string_equal(d.old_path, "corpus/diff/block-added-old.bin");
    assert_string_equal(d.new_path, "corpus/diff/block-added-new.bin");
    assert_true(d.change_count > 0);
    assert_true(d.new_instances > d.old_instances);
    char *text = render(s, CHANVAL_FORMAT_TEXT, 0), *json = render(s, CHANVAL_FORMAT_JSON, 0);
    size_t n = 0;
    for (; chanval_diff_change_at(s, n, &c); n++) {
        assert_non_null(strchr("+-~", c.kind));
        assert_non_null(strstr(text, c.text)); /* plain text: nothing to escape */
        assert_non_null(strstr(json, c.text));
    }
    assert_int_equal(n, d.change_count);
    assert_false(chanval_diff_change_at(s, SIZE_MAX, &c));
    chanval_free(text);
    chanval_free(json);
    chanval_session_free(s);
}

/* The findings a report shows are decided in one place: -q leaves the
 * warnings out of every format, and a suppressed finding appears, marked,
 * only in JSON and SARIF. */
static void every_format_shows_the_same_findings(void **state)
{
    (void)state;
    static const char config[] = "<?xml version=\"1.0\"?>\n"
                                 "<chanvalConfig formatVersion=\"1\">\n"
                                 "  <rule id=\"CV304\" severity=\"off\"/>\n"
                                 "</chanvalConfig>\n";
    char dir[] = "/tmp/chanval-test-report.XXXXXX", path[64];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/config.xml", dir);
    assert_int_equal(chanval_write_file(path, config, sizeof config - 1, NULL, 0), CHANVAL_OK);
    chanval_session *s = chanval_session_new();
    assert_non_null(s);
    assert_int_equal(chanval_load_config(s, path), CHANVAL_OK);
    assert_int_equal(chanval_add_types_memory(s, "types.xml", tu_types_xml, strlen(tu_types_xml)),
                     CHANVAL_OK);
    assert_int_equal(chanval_add_fleet_memory(s, "fleet.xml", tu_fleet_xml, strlen(tu_fleet_xml)),
                     CHANVAL_OK);
    const char *paths[] = {"corpus/valid/mixed.bin",
                           "corpus/invalid/CV304-case-insensitive-range.xml",
                           "corpus/invalid/CV400-channel-291.bin"};
    assert_int_equal(chanval_check_paths(s, paths, 3, 1), CHANVAL_OK);
    assert_true(chanval_warning_count(s) > 0);
    assert_int_equal(chanval_suppressed_count(s), 1);
    static const struct {
        chanval_format fmt;
        const char *warning, *suppressed; /* how each shows in the report */
        bool marks;
    } formats[] = {
        {CHANVAL_FORMAT_TEXT, "[CV401]", "[CV304]", false},
        {CHANVAL_FORMAT_JSON, "\"rule\": \"CV401\"", "\"rule\": \"CV304\"", true},
        {CHANVAL_FORMAT_SARIF, "\"ruleId\": \"CV401\"", "\"ruleId\": \"CV304\"", true},
        {CHANVAL_FORMAT_JUNIT, "[CV401]", "[CV304]", false},
        {CHANVAL_FORMAT_GITHUB, "title=CV401", "title=CV304", false},
        {CHANVAL_FORMAT_CODEQUALITY, "\"CV401\"", "\"CV304\"", false},
        {CHANVAL_FORMAT_GNU, "[CV401]", "[CV304]", false},
    };
    for (size_t i = 0; i < sizeof formats / sizeof *formats; i++) {
        char *all = render(s, formats[i].fmt, 0);
        char *quiet = render(s, formats[i].fmt, CHANVAL_REPORT_QUIET);
        assert_non_null(strstr(all, formats[i].warning));
        assert_null(strstr(quiet, formats[i].warning));
        assert_non_null(strstr(quiet, "CV400"));
        /* CV304 is an error: -q does not change whether it shows */
        assert_int_equal(strstr(all, formats[i].suppressed) != NULL, formats[i].marks);
        assert_int_equal(strstr(quiet, formats[i].suppressed) != NULL, formats[i].marks);
        chanval_free(all);
        chanval_free(quiet);
    }
    chanval_session_free(s);
    assert_int_equal(remove(path), 0);
    assert_int_equal(rmdir(dir), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(escape_shows_every_control),
        cmocka_unit_test(escape_backslash_keeps_names_distinct),
        cmocka_unit_test(exit_code_is_2_after_an_unreadable_input),
        cmocka_unit_test(report_text_escapes_names_and_messages),
        cmocka_unit_test(diff_is_public),
        cmocka_unit_test(every_format_shows_the_same_findings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
