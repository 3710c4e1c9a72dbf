#define _POSIX_C_SOURCE 200809L
/* test_alloc.c - fail the Nth allocation, for every N a full run reaches:
 * each call must end cleanly (CHANVAL_OK or CHANVAL_ERR_NOMEM), nothing may
 * leak, and a run that was not told of a failure must give the same
 * report as a run without one. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

static size_t calls, fail_at, live;

static void *t_malloc(size_t n)
{
    if (++calls == fail_at)
        return NULL;
    void *p = malloc(n);
    if (p)
        live++;
    return p;
}

static void *t_realloc(void *p, size_t n)
{
    if (++calls == fail_at)
        return NULL;
    void *q = realloc(p, n);
    if (q && !p)
        live++;
    return q;
}

static void t_free(void *p)
{
    if (p) {
        live--;
        free(p);
    }
}

static const char source[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<channel formatVersion=\"1\" id=\"291\" contentVersion=\"202407190409\">\n"
    "  <instance id=\"1\" typeId=\"7\" typeVersion=\"3\" action=\"detect\" severity=\"high\">\n"
    "    <criterion field=\"pipe_name\" op=\"regex\" value=\"^\\\\\\\\\\.\\\\pipe\\\\[a-f0-9]{8}$\""
    " caseInsensitive=\"true\"/>\n"
    "    <criterion field=\"client_pid\" op=\"range\" min=\"4\" max=\"4\"/>\n"
    "    <criterion field=\"client_image\" op=\"equals\" value=\"svchost.exe\"/>\n"
    "  </instance>\n"
    "  <instance id=\"2\" typeId=\"12\" typeVersion=\"1\" action=\"log\" severity=\"low\">\n"
    "    <criterion field=\"command_line\" op=\"regex\" value=\"(a)\\1\"/>\n"
    "    <criterion field=\"user\" op=\"equals\" value=\"svchost.exe\"/>\n"
    "  </instance>\n"
    "</channel>\n";

/* One full run.  Returns the JSON report (malloc'd) or NULL after an
 * out-of-memory status; *nomem says whether one was returned. */
static char *scenario(bool *nomem)
{
    *nomem = false;
    chanval_session *s = chanval_session_new();
    if (!s) {
        *nomem = true;
        return NULL;
    }
    /* the counting allocator above is not thread-safe, and the Nth
     * allocation must be the same one in every run */
    chanval_set_threads(s, 1);
    char *report = NULL;
    uint8_t *bin = NULL;
    size_t bin_len = 0;
    char *xml = NULL;
    size_t xml_len = 0;
    chanval_status st =
        chanval_add_types_memory(s, "types.xml", tu_types_xml, strlen(tu_types_xml));
    if (st == CHANVAL_OK)
        st = chanval_add_fleet_memory(s, "fleet.xml", tu_healthy_fleet_xml,
                                      strlen(tu_healthy_fleet_xml));
    if (st == CHANVAL_OK)
        st = chanval_check_memory(s, "source.xml", source, sizeof source - 1);
    if (st == CHANVAL_OK)
        st = chanval_pack_memory(s, "pack.xml", source, sizeof source - 1, &bin, &bin_len);
    if (st == CHANVAL_OK && bin)
        st = chanval_check_memory(s, "packed.bin", bin, bin_len);
    if (st == CHANVAL_OK && bin)
        st = chanval_dump_memory(s, "dump.bin", bin, bin_len, &xml, &xml_len);
    /* corpus files, read from disk: the 2024-07-19 reproduction in both
     * forms, and files with many findings */
    static const char *const files[] = {
        "corpus/invalid/CV400-channel-291.bin", "corpus/invalid/CV400-channel-291.xml",
        "corpus/invalid/CV202-unknown-element.xml", "corpus/invalid/CV501-backreference.xml",
        "corpus/invalid/CV201-billion-laughs.xml", "corpus/invalid/CV111-gap-of-4.bin",
        "corpus/valid/mixed.bin",
        /* a regex measured, and its findings reported after the walk */
        "corpus/invalid/CV502-exponential.bin", "corpus/invalid/CV503-quadratic-short-field.xml"};
    for (size_t i = 0; i < sizeof files / sizeof *files && st == CHANVAL_OK; i++)
        st = chanval_check_path(s, files[i]);
    /* chanval diff: both files checked, then decoded again and compared;
     * a failure while decoding must not pass as "everything changed" */
    if (st == CHANVAL_OK)
        st = chanval_diff_paths(s, "corpus/diff/routine-old.bin", "corpus/diff/routine-new.bin");
    /* an input that cannot be read is recorded, and reported, or the
     * call says it ran out of memory: never dropped */
    if (st == CHANVAL_OK) {
        const char *gone[] = {"corpus/no-such-file.bin"};
        st = chanval_check_paths(s, gone, 1, 1);
        if (st == CHANVAL_ERR_IO && chanval_io_error_count(s) == 1 && chanval_exit_code(s) == 2)
            st = CHANVAL_OK;
    }

    /* the inputs recorded while memory ran short are all still known:
     * a run not told of a failure refuses to write over one, and writes
     * a new output whole */
    if (st == CHANVAL_OK) {
        char why[512];
        for (size_t i = 0; i < sizeof files / sizeof *files; i++)
            assert_int_equal(chanval_output_check(s, files[i], NULL, 0, why, sizeof why),
                             CHANVAL_ERR_USAGE);
        char out[] = "/tmp/test_alloc_out.XXXXXX";
        int h = mkstemp(out);
        assert_true(h >= 0);
        close(h);
        assert_int_equal(chanval_write_output(s, out, source, sizeof source - 1, why, sizeof why),
                         CHANVAL_OK);
        struct stat sb;
        assert_int_equal(stat(out, &sb), 0);
        assert_int_equal(sb.st_size, (off_t)(sizeof source - 1));
        unlink(out);
    }

    char *text = NULL;
    size_t len = 0;
    if (st == CHANVAL_OK)
        st = chanval_render(s, CHANVAL_FORMAT_JSON, 0, &text, &len);
    assert_true(st == CHANVAL_OK || st == CHANVAL_ERR_NOMEM);
    if (st == CHANVAL_OK) {
        report = strdup(text); /* outside the counted allocator */
        assert_non_null(report);
        if (xml) { /* keep the dump in the comparison too */
            char *both = malloc(strlen(report) + xml_len + 1);
            assert_non_null(both);
            strcpy(both, report);
            memcpy(both + strlen(report), xml, xml_len);
            both[strlen(report) + xml_len] = '\0';
            free(report);
            report = both;
        }
    }
    *nomem = st == CHANVAL_ERR_NOMEM;
    chanval_free(text);
    chanval_free(xml);
    chanval_free(bin);
    chanval_session_free(s);
    return report;
}

/* Fail each allocation the scenario makes, one at a time: every run ends
 * cleanly, leaks nothing, and one not told of a failure gives the report
 * of a run without one.  Returns how many runs reported running out of
 * memory, and the number of allocations in *total. */
static size_t each_failure(char *(*run)(bool *), const char *what, size_t *total)
{
    chanval_allocator a = {t_malloc, t_realloc, t_free};
    assert_int_equal(chanval_set_allocator(&a), CHANVAL_OK);
    bool nomem;
    /* The first run also lets libxml2 set up its global state. */
    fail_at = 0;
    char *first = run(&nomem);
    assert_false(nomem);
    assert_non_null(first);
    size_t baseline = live;
    calls = 0;
    char *expect = run(&nomem);
    assert_false(nomem);
    assert_string_equal(first, expect);
    assert_int_equal(live, baseline);
    *total = calls;
    size_t failures_reported = 0;
    for (size_t n = 1; n <= *total; n++) {
        calls = 0;
        fail_at = n;
        char *got = run(&nomem);
        if (live != baseline)
            fail_msg("%sfailing allocation %zu of %zu leaked %ld blocks", what, n, *total,
                     (long)live - (long)baseline);
        if (nomem)
            failures_reported++;
        else if (!got || strcmp(got, expect) != 0)
            fail_msg("%sfailing allocation %zu of %zu changed the report silently", what, n,
                     *total);
        free(got);
    }
    fail_at = 0;
    free(first);
    free(expect);
    assert_int_equal(chanval_set_allocator(NULL), CHANVAL_OK);
    return failures_reported;
}

static void every_allocation_failure_is_clean(void **state)
{
    (void)state;
    size_t total;
    size_t failures_reported = each_failure(scenario, "", &total);
    assert_true(total > 100);
    assert_true(failures_reported > total / 2);
}

/* The result cache: a run that fills a fresh cache folder, then a run
 * that reads it back.  Whatever allocation fails (reading an entry,
 * restoring a file's findings, storing them, a regex verdict), each run
 * ends cleanly and the second one's report is the uncached one. */
static char *cache_scenario(bool *nomem)
{
    static const char *const files[] = {
        "corpus/invalid/CV400-channel-291.bin", "corpus/invalid/CV400-channel-291.xml",
        "corpus/invalid/CV502-exponential.bin", "corpus/invalid/CV202-unknown-element.xml"};
    char dir[] = "/tmp/test_alloc_cache.XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *report = NULL;
    chanval_status st = CHANVAL_OK;
    for (int run = 0; run < 2 && st == CHANVAL_OK; run++) {
        chanval_session *s = chanval_session_new();
        if (!s) {
            st = CHANVAL_ERR_NOMEM;
            break;
        }
        chanval_set_threads(s, 1);
        st = chanval_add_types_memory(s, "types.xml", tu_types_xml, strlen(tu_types_xml));
        if (st == CHANVAL_OK)
            st = chanval_add_fleet_memory(s, "fleet.xml", tu_healthy_fleet_xml,
                                          strlen(tu_healthy_fleet_xml));
        if (st == CHANVAL_OK)
            st = chanval_set_cache_dir(s, dir);
        for (size_t i = 0; i < sizeof files / sizeof *files && st == CHANVAL_OK; i++)
            st = chanval_check_path(s, files[i]);
        char *text = NULL;
        size_t len = 0;
        if (st == CHANVAL_OK && run == 1 &&
            (st = chanval_render(s, CHANVAL_FORMAT_JSON, 0, &text, &len)) == CHANVAL_OK) {
            report = strdup(text);
            assert_non_null(report);
        }
        chanval_free(text);
        chanval_session_free(s);
    }
    /* an allocation the cache folder could not be opened for is a usage
     * status, not a verdict: report it as out of memory here */
    *nomem = st == CHANVAL_ERR_NOMEM || st == CHANVAL_ERR_IO;
    char cmd[64];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
    return report;
}

static void cache_allocation_failure_is_clean(void **state)
{
    (void)state;
    size_t total;
    (void)each_failure(cache_scenario, "cache: ", &total);
    assert_true(total > 100);
}

/* The bytes behind the findings: kept while the files are checked, then
 * shown by the view, text with context and HTML.  A failing allocation
 * anywhere ends in a clean out-of-memory, never in a page that silently
 * lacks a part. */
static char *view_scenario(bool *nomem)
{
    static const char *const files[] = {"corpus/invalid/CV400-channel-291.bin",
                                        "corpus/invalid/CV202-unknown-element.xml",
                                        "corpus/invalid/CV117-record-size.bin"};
    chanval_session *s = chanval_session_new();
    chanval_status st = s ? CHANVAL_OK : CHANVAL_ERR_NOMEM;
    chanval_excerpt_options x = {
        .mode = CHANVAL_EXCERPT_FINDINGS, .context = 1, .whole_below = 512};
    if (st == CHANVAL_OK) {
        chanval_set_threads(s, 1);
        st = chanval_set_excerpts(s, &x);
    }
    if (st == CHANVAL_OK)
        st = chanval_add_types_memory(s, "types.xml", tu_types_xml, strlen(tu_types_xml));
    if (st == CHANVAL_OK)
        st = chanval_add_fleet_memory(s, "fleet.xml", tu_fleet_xml, strlen(tu_fleet_xml));
    for (size_t i = 0; i < sizeof files / sizeof *files && st == CHANVAL_OK; i++)
        st = chanval_check_path(s, files[i]);
    char *all = NULL;
    if (st == CHANVAL_OK && !chanval_out_of_memory(s)) {
        char *parts[3] = {NULL, NULL, NULL};
        size_t len = 0;
        st = chanval_render(s, CHANVAL_FORMAT_HTML, 0, &parts[0], &len);
        if (st == CHANVAL_OK)
            st = chanval_render(s, CHANVAL_FORMAT_TEXT, CHANVAL_REPORT_CONTEXT, &parts[1], &len);
        if (st == CHANVAL_OK)
            st = chanval_render_view(s, CHANVAL_REPORT_COLOR, &parts[2], &len);
        if (st == CHANVAL_OK) {
            size_t n = strlen(parts[0]) + strlen(parts[1]) + strlen(parts[2]) + 1;
            all = malloc(n);
            assert_non_null(all);
            snprintf(all, n, "%s%s%s", parts[0], parts[1], parts[2]);
        }
        for (int i = 0; i < 3; i++)
            chanval_free(parts[i]);
    }
    *nomem = st == CHANVAL_ERR_NOMEM || (s && chanval_out_of_memory(s));
    chanval_session_free(s);
    return all;
}

static void view_allocation_failure_is_clean(void **state)
{
    (void)state;
    size_t total;
    (void)each_failure(view_scenario, "view: ", &total);
    assert_true(total > 100);
}

/* chanval test: tests (loading their content, events parsed by jansson
 * through the same allocator), a benign corpus, coverage, the figures in
 * the JSON and JUnit reports.  Every failure ends in a clean out of memory. */
static char *test_scenario(bool *nomem)
{
    static const char benign[] = "{\"type\": 12, \"version\": 1, \"fields\": {\"image_path\": "
                                 "\"C:\\\\Windows\\\\System32\\\\svchost.exe\", "
                                 "\"command_line\": \"svchost.exe -k netsvcs\"}}\n"
                                 "{\"type\": 7, \"version\": 3, \"fields\": {\"pipe_name\": "
                                 "\"\\\\\\\\.\\\\pipe\\\\deadbeef\"}}\n"
                                 "{\"type\": 7, \"version\": 3, \"fields\": {\"bogus\": 1}}\n";
    char path[64]; /* the same name in every run: the report names it */
    snprintf(path, sizeof path, "/tmp/test_alloc_benign.%ld.jsonl", (long)getpid());
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, benign, sizeof benign - 1), (ssize_t)(sizeof benign - 1));
    close(fd);
    chanval_session *s = chanval_session_new();
    chanval_status st = s ? CHANVAL_OK : CHANVAL_ERR_NOMEM;
    if (st == CHANVAL_OK) {
        chanval_set_threads(s, 1);
        st = chanval_add_types_memory(s, "types.xml", tu_types_xml, strlen(tu_types_xml));
    }
    if (st == CHANVAL_OK)
        st = chanval_add_fleet_memory(s, "fleet.xml", tu_fleet_xml, strlen(tu_fleet_xml));
    const char *tests[] = {"corpus/tests/mixed.test.jsonl", "corpus/tests/cf291.test.jsonl"};
    const char *corpora[] = {path};
    chanval_test_options o = {
        .benign = corpora, .nbenign = 1, .min_coverage_set = true, .min_coverage = 90.0};
    if (st == CHANVAL_OK)
        st = chanval_test_paths(s, tests, 2, &o);
    char *all = NULL;
    if (st == CHANVAL_OK && !chanval_out_of_memory(s)) {
        char *parts[2] = {NULL, NULL};
        size_t len = 0;
        st = chanval_render(s, CHANVAL_FORMAT_JSON, 0, &parts[0], &len);
        if (st == CHANVAL_OK)
            st = chanval_render(s, CHANVAL_FORMAT_JUNIT, 0, &parts[1], &len);
        if (st == CHANVAL_OK) {
            size_t n = strlen(parts[0]) + strlen(parts[1]) + 1;
            all = malloc(n);
            assert_non_null(all);
            snprintf(all, n, "%s%s", parts[0], parts[1]);
        }
        for (int i = 0; i < 2; i++)
            chanval_free(parts[i]);
    }
    *nomem = st == CHANVAL_ERR_NOMEM || (s && chanval_out_of_memory(s));
    chanval_session_free(s);
    unlink(path);
    return all;
}

static void test_allocation_failure_is_clean(void **state)
{
    (void)state;
    size_t total;
    (void)each_failure(test_scenario, "test: ", &total);
    assert_true(total > 100);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_allocation_failure_is_clean),
        cmocka_unit_test(cache_allocation_failure_is_clean),
        cmocka_unit_test(view_allocation_failure_is_clean),
        cmocka_unit_test(test_allocation_failure_is_clean),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
