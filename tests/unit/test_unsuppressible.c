/* test_unsuppressible.c - CV400 (an input index past what a sensor
 * supplies: the channel-file-291 class) and the findings that mean a file
 * could not be read are errors whatever a document, the configuration or a
 * baseline says: each way of silencing a finding is tried on them, and each
 * run still reports them unsuppressed and exits 1 (2 when a file could not
 * be read at all). */
#define _POSIX_C_SOURCE 200809L
#include "testutil.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const cv400_files[] = {"corpus/invalid/CV400-channel-291.bin",
                                          "corpus/invalid/CV400-channel-291.xml",
                                          "corpus/invalid/CV400-by-index.xml"};
enum { NFILES = sizeof cv400_files / sizeof *cv400_files };

static chanval_session *sample(void)
{
    chanval_session *s = chanval_session_new();
    assert_non_null(s);
    assert_int_equal(chanval_add_types(s, "corpus/world/types.xml"), CHANVAL_OK);
    assert_int_equal(chanval_add_fleet(s, "corpus/world/fleet.xml"), CHANVAL_OK);
    return s;
}

static void write_text(const char *path, const char *text)
{
    assert_int_equal(chanval_write_file(path, text, strlen(text), NULL, 0), CHANVAL_OK);
}

/* Every CV400 of f is an unsuppressed error, and there is at least one. */
static void assert_cv400_stands(const chanval_file *f)
{
    size_t n = 0;
    for (size_t i = 0; i < chanval_file_diag_count(f); i++) {
        const chanval_diag *d = chanval_file_diag(f, i);
        if (d->rule != 400)
            continue;
        n++;
        if (d->suppressed != CHANVAL_SUPPRESS_NONE || d->severity != CHANVAL_SEV_ERROR)
            fail_msg("%s: CV400 at %" PRIu64 " is suppressed (%d) or not an error (%d)",
                     chanval_file_path(f), d->offset, (int)d->suppressed, (int)d->severity);
    }
    if (n == 0)
        fail_msg("%s: no CV400", chanval_file_path(f));
    assert_true(chanval_file_errors(f) >= n);
}

/* Check every CV400 file in s; each one's CV400 stands; the run exits 1. */
static void check_all(chanval_session *s)
{
    for (size_t i = 0; i < NFILES; i++) {
        assert_int_equal(chanval_check_path(s, cv400_files[i]), CHANVAL_OK);
        assert_cv400_stands(tu_last(s));
    }
    assert_int_equal(chanval_exit_code(s), 1);
}

/* ---- inline, in the channel source ------------------------------------ */

static void inline_suppression_of_cv400_is_refused(void **state)
{
    (void)state;
    /* before the root, before the instance, and with a rule that may be */
    static const char *const docs[] = {
        "<?chanval suppress=\"CV400\" reason=\"sensor 7.11 is retired\"?>\n"
        "<channel formatVersion=\"1\" id=\"291\" contentVersion=\"1\">\n"
        "  <instance id=\"17\" typeId=\"7\" typeVersion=\"3\" action=\"detect\" "
        "severity=\"high\">\n"
        "    <criterion index=\"20\" op=\"equals\" value=\"0x1\"/>\n"
        "  </instance>\n"
        "</channel>\n",
        "<channel formatVersion=\"1\" id=\"291\" contentVersion=\"1\">\n"
        "  <?chanval suppress=\"CV400\" reason=\"sensor 7.11 is retired\"?>\n"
        "  <instance id=\"17\" typeId=\"7\" typeVersion=\"3\" action=\"detect\" "
        "severity=\"high\">\n"
        "    <criterion index=\"20\" op=\"equals\" value=\"0x1\"/>\n"
        "  </instance>\n"
        "</channel>\n",
        "<channel formatVersion=\"1\" id=\"291\" contentVersion=\"1\">\n"
        "  <instance id=\"17\" typeId=\"7\" typeVersion=\"3\" action=\"detect\" "
        "severity=\"high\">\n"
        "    <?chanval suppress=\"CV401, CV400\" reason=\"known\"?>\n"
        "    <criterion index=\"20\" op=\"equals\" value=\"0x1\"/>\n"
        "  </instance>\n"
        "</channel>\n",
    };
    for (size_t i = 0; i < sizeof docs / sizeof *docs; i++) {
        chanval_session *s = sample();
        const chanval_file *f = tu_check_str(s, "inline.xml", docs[i]);
        assert_cv400_stands(f);
        tu_assert_message(f, 202, "CV400 cannot be suppressed");
        assert_int_equal(tu_must(f, 202)->severity, CHANVAL_SEV_ERROR);
        assert_int_equal(chanval_exit_code(s), 1);
        chanval_session_free(s);
    }
}

/* ---- the project configuration ------------------------------------------ */

static void configuration_cannot_turn_cv400_down(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof path, "%s/.chanval.xml", tu_dir);
    static const char *const severities[] = {"off", "warning"};
    static const char *const ids[] = {"CV400", "cv400", "CV400 "};
    for (size_t i = 0; i < 2; i++)
        for (size_t k = 0; k < sizeof ids / sizeof *ids; k++) {
            char text[256];
            snprintf(text, sizeof text,
                     "<chanvalConfig formatVersion=\"1\">\n"
                     "  <rule id=\"%s\" severity=\"%s\"/>\n"
                     "</chanvalConfig>\n",
                     ids[k], severities[i]);
            write_text(path, text);
            chanval_session *s = sample();
            /* the configuration itself is refused (the command exits 2) ... */
            assert_int_equal(chanval_load_config(s, path), CHANVAL_ERR_USAGE);
            /* ... and a host that went on anyway still gets CV400 */
            check_all(s);
            chanval_session_free(s);
        }
    /* error, what it is anyway, is accepted; so is turning others off */
    write_text(path, "<chanvalConfig formatVersion=\"1\">\n"
                     "  <rule id=\"CV400\" severity=\"error\"/>\n"
                     "  <rule id=\"CV401\" severity=\"off\"/>\n"
                     "</chanvalConfig>\n");
    chanval_session *s = sample();
    assert_int_equal(chanval_load_config(s, path), CHANVAL_OK);
    check_all(s);
    assert_true(chanval_suppressed_count(s) > 0); /* the CV401s */
    chanval_session_free(s);
    /* strict="false" does not soften an error either */
    write_text(path, "<chanvalConfig formatVersion=\"1\" strict=\"false\"/>\n");
    s = sample();
    assert_int_equal(chanval_load_config(s, path), CHANVAL_OK);
    check_all(s);
    chanval_session_free(s);
}

/* ---- the baseline ------------------------------------------------------- */

/* A baseline written from a run with CV400 lists no CV400, and the run
 * that wrote it still fails on it. */
static void written_baseline_leaves_cv400_out(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof path, "%s/written.xml", tu_dir);
    chanval_session *s = sample();
    check_all(s);
    char *text = NULL;
    size_t len = 0;
    assert_int_equal(chanval_render_baseline(s, &text, &len), CHANVAL_OK);
    assert_null(strstr(text, "rule=\"CV400\""));
    assert_non_null(strstr(text, "rule=\"CV401\"")); /* what may be baselined is */
    for (size_t i = 0; i < NFILES; i++) {
        const chanval_file *f = chanval_file_at(s, chanval_file_count(s) - NFILES + i);
        assert_cv400_stands(f);
        assert_null(strstr(text, tu_must(f, 400)->fingerprint));
    }
    assert_int_equal(chanval_exit_code(s), 1);
    assert_int_equal(chanval_write_file(path, text, len, NULL, 0), CHANVAL_OK);
    chanval_free(text);
    chanval_session_free(s);
    /* the next run with it: the CV401s are known, the CV400s are not */
    s = sample();
    assert_int_equal(chanval_load_baseline(s, path), CHANVAL_OK);
    check_all(s);
    assert_true(chanval_suppressed_count(s) > 0);
    assert_int_equal(chanval_warning_count(s), 0);
    chanval_session_free(s);
}

/* A baseline edited by hand to hold every CV400's fingerprint. */
static void hand_edited_baseline_with_cv400(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof path, "%s/edited.xml", tu_dir);
    chanval_session *s = sample();
    check_all(s);
    char text[8192];
    size_t n = (size_t)snprintf(text, sizeof text,
                                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                                "<chanvalBaseline formatVersion=\"1\">\n");
    size_t listed = 0;
    for (size_t i = 0; i < chanval_file_count(s); i++) {
        const chanval_file *f = chanval_file_at(s, i);
        for (size_t k = 0; k < chanval_file_diag_count(f); k++) {
            const chanval_diag *d = chanval_file_diag(f, k);
            assert_non_null(d->fingerprint);
            /* every finding, upper case too: the fingerprint is read as hex */
            char up[17];
            for (int c = 0; c < 16; c++)
                up[c] =
                    (char)(d->fingerprint[c] >= 'a' ? d->fingerprint[c] - 32 : d->fingerprint[c]);
            up[16] = '\0';
            n += (size_t)snprintf(text + n, sizeof text - n,
                                  "  <finding fingerprint=\"%s\" rule=\"CV%03u\"/>\n"
                                  "  <finding fingerprint=\"%s\"/>\n",
                                  d->fingerprint, (unsigned)d->rule, up);
            assert_true(n < sizeof text);
            listed += d->rule == 400;
        }
    }
    assert_true(listed >= NFILES);
    snprintf(text + n, sizeof text - n, "</chanvalBaseline>\n");
    chanval_session_free(s);
    write_text(path, text);

    s = sample();
    assert_int_equal(chanval_load_baseline(s, path), CHANVAL_OK);
    check_all(s);
    /* everything else the baseline lists is suppressed */
    for (size_t i = 0; i < chanval_file_count(s); i++) {
        const chanval_file *f = chanval_file_at(s, i);
        for (size_t k = 0; k < chanval_file_diag_count(f); k++) {
            const chanval_diag *d = chanval_file_diag(f, k);
            if (d->rule != 400)
                assert_int_equal(d->suppressed, CHANVAL_SUPPRESS_BASELINE);
        }
    }
    /* and writing the baseline again from this run drops the CV400s */
    char *out = NULL;
    size_t len = 0;
    assert_int_equal(chanval_render_baseline(s, &out, &len), CHANVAL_OK);
    assert_null(strstr(out, "rule=\"CV400\""));
    chanval_free(out);
    check_all(s); /* the rewrite did not suppress them either */
    chanval_session_free(s);
}

/* ---- what could not be read --------------------------------------------- */

/* A file whose header or container is broken (CV1xx) is never baselined;
 * a file that cannot be opened makes the run exit 2 with any baseline. */
static void unreadable_files_are_never_suppressed(void **state)
{
    (void)state;
    char path[128], bin[128];
    snprintf(path, sizeof path, "%s/unreadable.xml", tu_dir);
    snprintf(bin, sizeof bin, "%s/short.bin", tu_dir);
    assert_int_equal(chanval_write_file(bin, "CHNL\1\0\0\0", 8, NULL, 0), CHANVAL_OK);
    chanval_session *s = sample();
    assert_int_equal(chanval_check_path(s, bin), CHANVAL_OK);
    const chanval_diag *d = tu_must(tu_last(s), 100);
    char text[512];
    snprintf(text, sizeof text,
             "<chanvalBaseline formatVersion=\"1\">\n"
             "  <finding fingerprint=\"%s\" rule=\"CV100\"/>\n"
             "</chanvalBaseline>\n",
             d->fingerprint);
    chanval_session_free(s);
    write_text(path, text);

    s = sample();
    assert_int_equal(chanval_load_baseline(s, path), CHANVAL_OK);
    assert_int_equal(chanval_check_path(s, bin), CHANVAL_OK);
    d = tu_must(tu_last(s), 100);
    assert_int_equal(d->suppressed, CHANVAL_SUPPRESS_NONE);
    assert_int_equal(d->severity, CHANVAL_SEV_ERROR);
    assert_int_equal(chanval_exit_code(s), 1);
    /* not there at all: exit 2, whatever else was known */
    const char *paths[] = {"corpus/no-such-file.bin"};
    assert_int_equal(chanval_check_paths(s, paths, 1, 1), CHANVAL_ERR_IO);
    assert_int_equal(chanval_exit_code(s), 2);
    chanval_session_free(s);
}

/* ---- findings past --max-diagnostics ------------------------------------ */

/* Stored or only counted, a CV400 fails the run: with one finding stored
 * per file, the CV401 warning before it takes the place and the CV400 is
 * counted as an error. */
static void cv400_past_the_stored_findings_still_fails(void **state)
{
    (void)state;
    chanval_session *s = sample();
    assert_int_equal(chanval_set_limit(s, CHANVAL_LIMIT_DIAGNOSTICS, 1), CHANVAL_OK);
    for (size_t i = 0; i < NFILES; i++) {
        assert_int_equal(chanval_check_path(s, cv400_files[i]), CHANVAL_OK);
        const chanval_file *f = tu_last(s);
        assert_int_equal(chanval_file_diag_count(f), 1);
        assert_true(chanval_file_errors(f) >= 1);
    }
    assert_int_equal(chanval_exit_code(s), 1);
    chanval_session_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(inline_suppression_of_cv400_is_refused),
        cmocka_unit_test(configuration_cannot_turn_cv400_down),
        cmocka_unit_test(written_baseline_leaves_cv400_out),
        cmocka_unit_test(hand_edited_baseline_with_cv400),
        cmocka_unit_test(unreadable_files_are_never_suppressed),
        cmocka_unit_test(cv400_past_the_stored_findings_still_fails),
    };
    return cmocka_run_group_tests(tests, tu_tmp_setup, tu_tmp_teardown);
}
