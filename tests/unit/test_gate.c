/* test_gate.c - what the CI gate adds: the diff release checks over
 * corpus/diff/, the baseline round trip, the project configuration, inline
 * suppressions, directory walking and -j, fingerprints. */
#define _POSIX_C_SOURCE 200809L
#include "testutil.h"

#include <openssl/sha.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static chanval_session *healthy(void)
{
    chanval_session *s = chanval_session_new();
    assert_non_null(s);
    assert_int_equal(chanval_add_types(s, "corpus/world/types.xml"), CHANVAL_OK);
    assert_int_equal(chanval_add_fleet(s, "corpus/world/fleet-healthy.xml"), CHANVAL_OK);
    return s;
}

/* ---- the digest every report names ------------------------------------- */

/* On by default and the SHA-256 of exactly the bytes checked; off, none. */
static void file_digests(void **state)
{
    (void)state;
    size_t len;
    char *bin = tu_read("corpus/valid/mixed.bin", &len);
    unsigned char want[SHA256_DIGEST_LENGTH];
    SHA256((const unsigned char *)bin, len, want);
    for (int on = 1; on >= 0; on--) {
        chanval_session *s = healthy();
        if (!on)
            chanval_set_file_digests(s, false);
        assert_int_equal(chanval_check_memory(s, "mixed.bin", bin, len), CHANVAL_OK);
        const chanval_file *f = chanval_file_at(s, chanval_file_count(s) - 1);
        const uint8_t *got = chanval_file_sha256(f);
        if (on) {
            assert_non_null(got);
            assert_memory_equal(got, want, sizeof want);
        } else {
            assert_null(got);
        }
        assert_int_equal(chanval_file_errors(f), 0);
        chanval_session_free(s);
    }
    free(bin);
}

/* ---- chanval diff: every row of corpus/diff/diff-manifest.tsv -------- */

static void diff_manifest(void **state)
{
    (void)state;
    size_t len;
    char *text = tu_read("corpus/diff/diff-manifest.tsv", &len);
    char *save = NULL;
    int rows = 0;
    bool header = true;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (line[0] == '#')
            continue;
        if (header) {
            header = false;
            continue;
        }
        char old[256], new_[256], rules[128];
        int exit_status;
        assert_int_equal(sscanf(line, "%255s\t%255s\t%d\t%127s", old, new_, &exit_status, rules), 4);
        char op[300], np[300];
        snprintf(op, sizeof op, "corpus/diff/%s", old);
        snprintf(np, sizeof np, "corpus/diff/%s", new_);
        chanval_session *s = healthy();
        assert_int_equal(chanval_diff_paths(s, op, np), CHANVAL_OK);
        const chanval_file *f = tu_last(s);
        assert_string_equal(chanval_file_path(f), np);
        if (strcmp(tu_rules(f), rules) != 0)
            fail_msg("diff %s %s: %s, expected %s", old, new_, tu_rules(f), rules);
        assert_int_equal(chanval_exit_code(s), exit_status);
        chanval_session_free(s);
        rows++;
    }
    assert_true(rows >= 5);
    free(text);
}

static void diff_locations_and_changes(void **state)
{
    (void)state;
    chanval_session *s = healthy();
    assert_int_equal(chanval_diff_paths(s, "corpus/diff/doubled-old.bin",
                                        "corpus/diff/doubled-new.bin"),
                     CHANVAL_OK);
    const chanval_file *f = tu_last(s);
    tu_assert_offset(f, 601, 32);   /* the header's file_size */
    tu_assert_offset(f, 603 - 3, 0x8c); /* CV600 at the INSTANCES count */
    char *out = NULL;
    size_t n = 0;
    assert_int_equal(chanval_render(s, CHANVAL_FORMAT_JSON, 0, &out, &n), CHANVAL_OK);
    assert_non_null(strstr(out, "\"diff\": {"));
    assert_non_null(strstr(out, "\"change\": \"added\", \"instance\": 5"));
    chanval_free(out);
    chanval_session_free(s);

    s = healthy();
    assert_int_equal(chanval_diff_paths(s, "corpus/diff/routine-old.bin",
                                        "corpus/diff/routine-new.bin"),
                     CHANVAL_OK);
    assert_int_equal(chanval_render(s, CHANVAL_FORMAT_TEXT, 0, &out, &n), CHANVAL_OK);
    assert_non_null(strstr(out, "- instance 4 removed"));
    assert_non_null(strstr(out, "+ instance 5 added"));
    assert_non_null(strstr(out, "~ instance 2 criterion 0 (field \"image_path\")"));
    chanval_free(out);
    chanval_session_free(s);

    s = healthy(); /* --max-growth lets a deliberate doubling through */
    chanval_set_max_growth(s, 300);
    assert_int_equal(chanval_diff_paths(s, "corpus/diff/doubled-old.bin",
                                        "corpus/diff/doubled-new.bin"),
                     CHANVAL_OK);
    assert_rules(tu_last(s), "-");
    chanval_session_free(s);
}

/* ---- baseline: write, check again (exit 0), a new finding (exit 1) --- */

static chanval_session *sample(void)
{
    chanval_session *s = chanval_session_new();
    assert_int_equal(chanval_add_types(s, "corpus/world/types.xml"), CHANVAL_OK);
    assert_int_equal(chanval_add_fleet(s, "corpus/world/fleet.xml"), CHANVAL_OK);
    return s;
}

static const char *const corpus_dirs[] = {"corpus/invalid"};

static void baseline_round_trip(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof path, "%s/baseline.xml", tu_dir);
    chanval_session *s = sample();
    assert_int_equal(chanval_check_paths(s, corpus_dirs, 1, 2), CHANVAL_OK);
    assert_int_equal(chanval_exit_code(s), 1);
    size_t errors_before = chanval_error_count(s);
    char *text = NULL;
    size_t len = 0;
    assert_int_equal(chanval_render_baseline(s, &text, &len), CHANVAL_OK);
    assert_int_equal(chanval_write_file(path, text, len, NULL, 0), CHANVAL_OK);
    chanval_free(text);
    /* what cannot be baselined still fails: unreadable files, CV400 */
    size_t left = chanval_error_count(s);
    assert_true(left > 0 && left < errors_before);
    for (size_t i = 0; i < chanval_file_count(s); i++) {
        const chanval_file *f = chanval_file_at(s, i);
        for (size_t k = 0; k < chanval_file_diag_count(f); k++) {
            const chanval_diag *d = chanval_file_diag(f, k);
            if (d->severity == CHANVAL_SEV_ERROR && !d->suppressed)
                assert_true((d->rule >= 100 && d->rule <= 203) || d->rule == 400);
        }
    }
    chanval_session_free(s);

    /* the same corpus against the baseline: only the unbaselinable fail */
    s = sample();
    assert_int_equal(chanval_load_baseline(s, path), CHANVAL_OK);
    assert_int_equal(chanval_check_paths(s, corpus_dirs, 1, 1), CHANVAL_OK);
    assert_int_equal(chanval_error_count(s), left);
    assert_true(chanval_suppressed_count(s) > 0);
    chanval_session_free(s);

    /* a baseline of the valid files only: a new finding fails the run */
    s = sample();
    const char *valid[] = {"corpus/valid"};
    assert_int_equal(chanval_check_paths(s, valid, 1, 1), CHANVAL_OK);
    assert_int_equal(chanval_render_baseline(s, &text, &len), CHANVAL_OK);
    assert_int_equal(chanval_write_file(path, text, len, NULL, 0), CHANVAL_OK);
    chanval_free(text);
    assert_int_equal(chanval_exit_code(s), 0);
    assert_int_equal(chanval_warning_count(s), 0); /* the CV401s are known now */
    chanval_session_free(s);
    s = sample();
    assert_int_equal(chanval_load_baseline(s, path), CHANVAL_OK);
    const char *more[] = {"corpus/valid", "corpus/invalid/CV306-range-outside-field.xml",
                          "corpus/invalid/CV305-empty-range.xml"};
    assert_int_equal(chanval_check_paths(s, more, 3, 1), CHANVAL_OK);
    assert_int_equal(chanval_exit_code(s), 1);
    assert_int_equal(chanval_error_count(s), 1); /* CV305, new */
    chanval_session_free(s);
}

static void fingerprints_are_stable_and_content_based(void **state)
{
    (void)state;
    /* the same finding in a copy of the file at another place keeps its
     * fingerprint apart from the path; the rule and instance decide it */
    chanval_session *a = sample();
    tu_check(a, "x.bin", "CHNX", 4);
    chanval_session *b = sample();
    tu_check(b, "x.bin", "CHNX", 4);
    const chanval_diag *da = tu_find(tu_last(a), 101), *db = tu_find(tu_last(b), 101);
    assert_string_equal(da->fingerprint, db->fingerprint);
    assert_int_equal(strlen(da->fingerprint), 16);
    tu_check(b, "y.bin", "CHNX", 4);
    assert_string_not_equal(tu_find(tu_last(b), 101)->fingerprint, da->fingerprint);
    chanval_session_free(a);
    chanval_session_free(b);
}

/* ---- inline suppression ------------------------------------------- */

static void inline_suppression(void **state)
{
    (void)state;
    static const char doc[] =
        "<channel formatVersion=\"1\" id=\"1\" contentVersion=\"1\">\n"
        "  <?chanval suppress=\"CV306\" reason=\"level 6 arrives with sensor 7.12\"?>\n"
        "  <instance id=\"1\" typeId=\"12\" typeVersion=\"1\" action=\"detect\" severity=\"high\">\n"
        "    <criterion field=\"integrity_level\" op=\"range\" min=\"6\" max=\"9\"/>\n"
        "  </instance>\n"
        "  <instance id=\"2\" typeId=\"12\" typeVersion=\"1\" action=\"detect\" severity=\"high\">\n"
        "    <criterion field=\"integrity_level\" op=\"range\" min=\"6\" max=\"9\"/>\n"
        "  </instance>\n"
        "</channel>\n";
    chanval_session *s = sample();
    const chanval_file *f = tu_check_str(s, "s.xml", doc);
    assert_int_equal(tu_count(f, 306), 2);
    assert_int_equal(chanval_file_warnings(f), 1);
    assert_int_equal(chanval_file_suppressed(f), 1);
    const chanval_diag *d = tu_find(f, 306);
    assert_int_equal(d->line, 4);
    assert_int_equal(d->suppressed, CHANVAL_SUPPRESS_INLINE);
    assert_string_equal(d->suppress_reason, "level 6 arrives with sensor 7.12");
    chanval_session_free(s);

    static const char bad[] =
        "<?chanval suppress=\"CV400\" reason=\"no\"?>\n"
        "<channel formatVersion=\"1\" id=\"1\" contentVersion=\"1\">\n"
        "  <?chanval suppress=\"CV306\"?>\n"
        "  <?chanval suppress=\"CV999\" reason=\"x\"?>\n"
        "  <?chanval because=\"x\"?>\n"
        "</channel>\n";
    s = sample();
    f = tu_check_str(s, "bad.xml", bad);
    assert_rules(f, "CV202");
    assert_int_equal(tu_count(f, 202), 4);
    tu_assert_line(f, 202, 1, 1);
    tu_assert_message(f, 202, "CV400 cannot be suppressed");
    chanval_session_free(s);

    static const char dangling[] =
        "<channel formatVersion=\"1\" id=\"1\" contentVersion=\"1\">\n"
        "  <?chanval suppress=\"CV306\" reason=\"nothing follows\"?>\n"
        "</channel>\n";
    s = sample();
    f = tu_check_str(s, "dangling.xml", dangling);
    assert_rules(f, "CV202");
    tu_assert_line(f, 202, 2, 3);
    tu_assert_message(f, 202, "no element to apply to");
    chanval_session_free(s);
}

/* ---- project configuration ---------------------------------------- */

static void write_text(const char *path, const char *text)
{
    assert_int_equal(chanval_write_file(path, text, strlen(text), NULL, 0), CHANVAL_OK);
}

static void configuration(void **state)
{
    (void)state;
    char path[128], world[512];
    snprintf(path, sizeof path, "%s/.chanval.xml", tu_dir);
    char *cwd = getcwd(NULL, 0);
    snprintf(world, sizeof world,
             "<chanvalConfig formatVersion=\"1\" strict=\"true\">\n"
             "  <types path=\"%s/corpus/world/types.xml\"/>\n"
             "  <fleet path=\"%s/corpus/world/fleet.xml\"/>\n"
             "  <limit option=\"max-instances\" value=\"2\"/>\n"
             "  <rule id=\"CV401\" severity=\"off\"/>\n"
             "  <rule id=\"CV306\" severity=\"error\"/>\n"
             "</chanvalConfig>\n",
             cwd, cwd);
    free(cwd);
    write_text(path, world);
    chanval_session *s = chanval_session_new();
    assert_int_equal(chanval_load_config(s, path), CHANVAL_OK);
    assert_int_equal(chanval_get_limit(s, CHANVAL_LIMIT_INSTANCES), 2);
    assert_non_null(chanval_config_document(s, 0, 0));
    assert_non_null(chanval_config_document(s, 1, 0));
    assert_null(chanval_config_document(s, 1, 1));
    assert_int_equal(chanval_add_types(s, chanval_config_document(s, 0, 0)), CHANVAL_OK);
    assert_int_equal(chanval_add_fleet(s, chanval_config_document(s, 1, 0)), CHANVAL_OK);
    assert_int_equal(chanval_check_path(s, "corpus/valid/mixed.bin"), CHANVAL_OK);
    const chanval_file *f = tu_last(s);
    assert_int_equal(chanval_file_warnings(f) + chanval_file_errors(f), 1); /* CV120 */
    assert_int_equal(chanval_file_suppressed(f), 1);                       /* CV401 off */
    assert_non_null(tu_find(f, 120));
    assert_int_equal(chanval_check_path(s, "corpus/invalid/CV306-range-outside-field.xml"),
                     CHANVAL_OK);
    assert_int_equal(tu_find(tu_last(s), 306)->severity, CHANVAL_SEV_ERROR);
    chanval_session_free(s);

    /* what a configuration may not do, with its line:column */
    static const char *const bad[] = {
        "<chanvalConfig formatVersion=\"1\"><rule id=\"CV400\" severity=\"warning\"/></chanvalConfig>",
        "<chanvalConfig formatVersion=\"1\"><rule id=\"CV107\" severity=\"off\"/></chanvalConfig>",
        "<chanvalConfig formatVersion=\"1\"><rule id=\"CV9\" severity=\"off\"/></chanvalConfig>",
        "<chanvalConfig formatVersion=\"1\"><limit option=\"max-cats\" value=\"1\"/></chanvalConfig>",
        "<chanvalConfig formatVersion=\"1\"><bogus/></chanvalConfig>",
        "<chanvalConfig formatVersion=\"2\"/>",
        "<!DOCTYPE x SYSTEM \"http://example.com/x\"><chanvalConfig formatVersion=\"1\"/>",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        write_text(path, bad[i]);
        s = chanval_session_new();
        assert_int_equal(chanval_load_config(s, path), CHANVAL_ERR_USAGE);
        assert_non_null(strstr(chanval_last_error(s), ".chanval.xml:1:"));
        chanval_session_free(s);
    }
}

/* A configuration with a finding is not applied in part: what its valid
 * lines set (strict, a limit, a rule's severity, the diff growth, a types
 * document, a content extension) stays as it was. */
static void invalid_configuration_changes_nothing(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof path, "%s/.chanval.xml", tu_dir);
    write_text(path, "<chanvalConfig formatVersion=\"1\" strict=\"true\">\n"
                     "  <types path=\"types.xml\"/>\n"
                     "  <limit option=\"max-instances\" value=\"2\"/>\n"
                     "  <rule id=\"CV306\" severity=\"off\"/>\n"
                     "  <diff maxGrowthPercent=\"5\"/>\n"
                     "  <content extension=\".sig\"/>\n"
                     "  <rule id=\"CV9\" severity=\"off\"/>\n"
                     "</chanvalConfig>\n");
    chanval_session *s = chanval_session_new();
    assert_non_null(s);
    uint64_t instances = chanval_get_limit(s, CHANVAL_LIMIT_INSTANCES);
    assert_int_equal(chanval_load_config(s, path), CHANVAL_ERR_USAGE);
    assert_non_null(strstr(chanval_last_error(s), ".chanval.xml:7:"));
    assert_int_equal(chanval_get_limit(s, CHANVAL_LIMIT_INSTANCES), instances);
    assert_null(chanval_config_document(s, 0, 0));
    assert_int_equal(chanval_add_types(s, "corpus/world/types.xml"), CHANVAL_OK);
    assert_int_equal(chanval_add_fleet(s, "corpus/world/fleet.xml"), CHANVAL_OK);
    /* CV306 is not off, and its warning is not made an error by strict */
    assert_int_equal(chanval_check_path(s, "corpus/invalid/CV306-range-outside-field.xml"),
                     CHANVAL_OK);
    const chanval_diag *d = tu_find(tu_last(s), 306);
    assert_non_null(d);
    assert_int_equal(d->suppressed, CHANVAL_SUPPRESS_NONE);
    assert_int_equal(d->severity, CHANVAL_SEV_WARNING); /* rules-v1: CV306 is W */
    chanval_session_free(s);
}

/* ---- many files ----------------------------------------------------- */

static char *render(chanval_session *s)
{
    char *out = NULL;
    size_t n = 0;
    assert_int_equal(chanval_render(s, CHANVAL_FORMAT_JSON, 0, &out, &n), CHANVAL_OK);
    char *copy = strdup(out);
    chanval_free(out);
    return copy;
}

static void directories_in_a_deterministic_order(void **state)
{
    (void)state;
    const char *paths[] = {"corpus/valid", "corpus/invalid", "corpus/valid/mixed.bin"};
    char *first = NULL;
    for (unsigned jobs = 1; jobs <= 4; jobs++) {
        chanval_session *s = sample();
        assert_int_equal(chanval_check_paths(s, paths, 3, jobs), CHANVAL_OK);
        /* mixed.bin, reached twice, is checked once; the world is not rechecked */
        size_t n = chanval_file_count(s);
        for (size_t i = 1; i < n; i++)
            assert_true(strcmp(chanval_file_path(chanval_file_at(s, i - 1)),
                               chanval_file_path(chanval_file_at(s, i))) != 0);
        char *out = render(s);
        if (!first)
            first = out;
        else {
            assert_string_equal(first, out);
            free(out);
        }
        chanval_session_free(s);
    }
    free(first);

    /* a README in the tree is not checked but listed, a zero-filled file
     * and a hidden one under a content name are; a named path that cannot
     * be read is an error */
    char dir[160], file[200];
    snprintf(dir, sizeof dir, "%s/tree", tu_dir);
    mkdir(dir, 0755);
    snprintf(file, sizeof file, "%s/README.md", dir);
    write_text(file, "# notes\nnot content\n");
    snprintf(file, sizeof file, "%s/zero.bin", dir);
    assert_int_equal(chanval_write_file(file, "\0\0\0\0\0\0\0\0", 8, NULL, 0), CHANVAL_OK);
    snprintf(file, sizeof file, "%s/.hidden.bin", dir);
    write_text(file, "x");
    chanval_session *s = sample();
    const char *walk[] = {dir, "corpus/no-such-file.bin"};
    assert_int_equal(chanval_check_paths(s, walk, 2, 1), CHANVAL_ERR_IO);
    assert_int_equal(chanval_io_error_count(s), 1);
    assert_non_null(strstr(chanval_io_error(s, 0), "No such file"));
    /* the world, .hidden.bin (a content name) and zero.bin; README.md is
     * listed as skipped */
    assert_int_equal(chanval_file_count(s), 4);
    assert_non_null(tu_find(tu_last(s), 101));
    assert_int_equal(chanval_skipped_count(s), 1);
    chanval_session_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(file_digests),
        cmocka_unit_test(diff_manifest),
        cmocka_unit_test(diff_locations_and_changes),
        cmocka_unit_test(baseline_round_trip),
        cmocka_unit_test(fingerprints_are_stable_and_content_based),
        cmocka_unit_test(inline_suppression),
        cmocka_unit_test(configuration),
        cmocka_unit_test(invalid_configuration_changes_nothing),
        cmocka_unit_test(directories_in_a_deterministic_order),
    };
    return cmocka_run_group_tests(tests, tu_tmp_setup, tu_tmp_teardown);
}
