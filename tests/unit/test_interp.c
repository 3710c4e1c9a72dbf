/* test_interp.c - the interpreter (chanval_program_*) against formats-v1
 * section 3, and chanval test's findings (chanval_test_paths): the CF291
 * fault and its coverage gap, expectations, every kind of impossible
 * event, a block instance on benign events, the regex budget. */
#define _POSIX_C_SOURCE 200809L
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* As channel file 291: instance 2 has a regex on field 20, which sensor
 * 7.11.18110 does not supply. */
static const char cf291[] =
    "<channel formatVersion=\"1\" id=\"291\" contentVersion=\"202407190409\">"
    "<instance id=\"1\" typeId=\"7\" typeVersion=\"3\" action=\"detect\" severity=\"high\">"
    "<criterion field=\"pipe_name\" op=\"regex\" value=\"^pipe[0-9]$\"/>"
    "<criterion field=\"client_pid\" op=\"range\" min=\"4\" max=\"4\"/></instance>"
    "<instance id=\"2\" typeId=\"7\" typeVersion=\"3\" action=\"detect\" severity=\"high\">"
    "<criterion field=\"remote_pipe_flags\" op=\"regex\" value=\"^0x[0-9a-f]{1,8}$\"/>"
    "</instance></channel>";

/* Every operator, flag and the negation, on type 12 v1 (8 fields, all
 * supplied by both sensors). */
static const char ops[] =
    "<channel formatVersion=\"1\" id=\"5\" contentVersion=\"1\">"
    "<instance id=\"1\" typeId=\"12\" typeVersion=\"1\" action=\"block\" severity=\"high\">"
    "<criterion field=\"image_path\" op=\"equals\" value=\"C:\\Windows\\System32\\svchost.exe\" "
    "caseInsensitive=\"true\"/></instance>"
    "<instance id=\"2\" typeId=\"12\" typeVersion=\"1\" action=\"detect\" severity=\"low\">"
    "<criterion field=\"image_path\" op=\"equals\" value=\"cmd.exe\"/>"
    "<criterion field=\"pid\" op=\"range\" min=\"10\" max=\"20\" negate=\"true\"/></instance>"
    "<instance id=\"3\" typeId=\"12\" typeVersion=\"1\" action=\"log\" severity=\"info\">"
    "<criterion field=\"command_line\" op=\"regex\" value=\"-(e|enc) \" caseInsensitive=\"true\"/>"
    "</instance></channel>";

typedef struct vals {
    chanval_value v[21];
} vals;

static vals type7(const char *pipe, int64_t pid, const char *flags)
{
    vals x;
    for (int i = 0; i < 21; i++)
        x.v[i] = (chanval_value){true, (const uint8_t *)"", 0, 0};
    int ints[] = {1, 2, 6, 7, 8, 9, 10, 11, 12, 13, 14, 19};
    for (size_t i = 0; i < sizeof ints / sizeof *ints; i++)
        x.v[ints[i]] = (chanval_value){false, NULL, 0, 0};
    x.v[0] = (chanval_value){true, (const uint8_t *)pipe, strlen(pipe), 0};
    x.v[1].v = pid;
    x.v[20] = (chanval_value){true, (const uint8_t *)flags, strlen(flags), 0};
    return x;
}

static vals type12(const char *image, const char *cmd, int64_t pid)
{
    vals x;
    for (int i = 0; i < 8; i++)
        x.v[i] = (chanval_value){true, (const uint8_t *)"", 0, 0};
    x.v[0] = (chanval_value){true, (const uint8_t *)image, strlen(image), 0};
    x.v[1] = (chanval_value){true, (const uint8_t *)cmd, strlen(cmd), 0};
    for (int i = 3; i <= 4; i++)
        x.v[i] = (chanval_value){false, NULL, 0, 0};
    x.v[3].v = pid;
    x.v[6] = (chanval_value){false, NULL, 0, 0};
    x.v[7] = (chanval_value){false, NULL, 0, 0};
    return x;
}

static chanval_program *load(chanval_session *s, const char *source)
{
    chanval_session *p = tu_session(tu_types_xml, tu_healthy_fleet_xml);
    tu_bin b = tu_pack(p, source);
    chanval_session_free(p);
    chanval_program *prog = NULL;
    assert_int_equal(chanval_program_load(s, b.p, b.n, &prog), CHANVAL_OK);
    tu_bin_free(&b);
    return prog;
}

static void cf291_faults_on_20_inputs_only(void **state)
{
    (void)state;
    chanval_session *s = tu_session(tu_types_xml, tu_fleet_xml);
    chanval_program *p = load(s, cf291);
    vals e = type7("pipe7", 4, "0x1f");
    chanval_eval_result r;
    assert_int_equal(chanval_program_eval(p, "7.11.18110", 7, 3, e.v, 21, &r), CHANVAL_OK);
    assert_int_equal(r.fault, CHANVAL_FAULT_INDEX);
    assert_int_equal(r.fault_instance, 2);
    assert_int_equal(r.fault_criterion, 20);
    assert_int_equal(r.nfired, 0);
    assert_int_equal(chanval_program_eval(p, "7.10.17706", 7, 3, e.v, 21, &r), CHANVAL_OK);
    assert_int_equal(r.fault, CHANVAL_FAULT_NONE);
    assert_true(r.ran);
    assert_int_equal(r.nfired, 2);
    assert_int_equal(r.fired[0], 1);
    assert_int_equal(r.fired[1], 2);
    assert_true(r.steps > 0);
    /* the range and the regex each decide */
    e = type7("pipe7", 5, "0x1f");
    assert_int_equal(chanval_program_eval(p, "7.10.17706", 7, 3, e.v, 21, &r), CHANVAL_OK);
    assert_int_equal(r.nfired, 1);
    assert_int_equal(r.fired[0], 2);
    e = type7("pipe77", 4, "0xZZ");
    assert_int_equal(chanval_program_eval(p, "7.10.17706", 7, 3, e.v, 21, &r), CHANVAL_OK);
    assert_int_equal(r.nfired, 0);
    chanval_program_free(p);
    chanval_session_free(s);
}

static void operators_flags_and_negation(void **state)
{
    (void)state;
    chanval_session *s = tu_session(tu_types_xml, tu_fleet_xml);
    chanval_program *p = load(s, ops);
    chanval_eval_result r;
    /* case folded equals; a regex that does not match */
    vals e = type12("c:\\windows\\system32\\SVCHOST.EXE", "svchost -k netsvcs", 15);
    assert_int_equal(chanval_program_eval(p, "7.11.18110", 12, 1, e.v, 8, &r), CHANVAL_OK);
    assert_int_equal(r.nfired, 1);
    assert_int_equal(r.fired[0], 1);
    /* case-sensitive equals, negated range: pid 15 is inside [10, 20] */
    e = type12("cmd.exe", "cmd /c -ENC abc", 15);
    assert_int_equal(chanval_program_eval(p, "7.11.18110", 12, 1, e.v, 8, &r), CHANVAL_OK);
    assert_int_equal(r.nfired, 1);
    assert_int_equal(r.fired[0], 3); /* the caseless regex */
    e = type12("cmd.exe", "cmd /c dir", 30);
    assert_int_equal(chanval_program_eval(p, "7.11.18110", 12, 1, e.v, 8, &r), CHANVAL_OK);
    assert_int_equal(r.nfired, 1);
    assert_int_equal(r.fired[0], 2);
    e = type12("CMD.EXE", "cmd", 30);
    assert_int_equal(chanval_program_eval(p, "7.11.18110", 12, 1, e.v, 8, &r), CHANVAL_OK);
    assert_int_equal(r.nfired, 0);
    /* what no sensor passes is refused, not evaluated */
    e.v[6].v = 9; /* integrity_level is 0..5 */
    assert_int_equal(chanval_program_eval(p, "7.11.18110", 12, 1, e.v, 8, &r), CHANVAL_ERR_USAGE);
    e.v[6].v = 0;
    e.v[0] = (chanval_value){true, (const uint8_t *)"\xff", 1, 0};
    assert_int_equal(chanval_program_eval(p, "7.11.18110", 12, 1, e.v, 8, &r), CHANVAL_ERR_USAGE);
    assert_int_equal(chanval_program_eval(p, "9.9.9", 12, 1, e.v, 8, &r), CHANVAL_ERR_USAGE);
    chanval_program_free(p);
    chanval_session_free(s);
}

/* A regex chanval check would reject (CV502) runs out of the budget: the
 * evaluation is abandoned (no match) and said so. */
static void budget_is_abandoned_and_reported(void **state)
{
    (void)state;
    static const char slow[] =
        "<channel formatVersion=\"1\" id=\"6\" contentVersion=\"1\">"
        "<instance id=\"9\" typeId=\"12\" typeVersion=\"1\" action=\"detect\" severity=\"high\">"
        "<criterion field=\"command_line\" op=\"regex\" value=\"^(a|a)+$\"/></instance></channel>";
    chanval_session *p0 = tu_session(tu_types_xml, NULL); /* no fleet: packs */
    tu_bin b = tu_pack(p0, slow);
    chanval_session_free(p0);
    chanval_session *s = tu_session(tu_types_xml, tu_fleet_xml);
    chanval_program *p = NULL;
    assert_int_equal(chanval_program_load(s, b.p, b.n, &p), CHANVAL_OK);
    char cmd[41];
    memset(cmd, 'a', 40);
    cmd[40] = '!';
    vals e = type12("x", "", 1);
    e.v[1] = (chanval_value){true, (const uint8_t *)cmd, 41, 0};
    chanval_eval_result r;
    assert_int_equal(chanval_program_eval(p, "7.11.18110", 12, 1, e.v, 8, &r), CHANVAL_OK);
    assert_true(r.exhausted);
    assert_int_equal(r.nfired, 0);
    assert_int_equal(r.steps, 100001); /* the budget, and the step that passed it */
    chanval_program_free(p);
    chanval_session_free(s);
    tu_bin_free(&b);
}

/* A file a sensor cannot load is refused with the reason. */
static void unloadable_file_is_refused(void **state)
{
    (void)state;
    chanval_session *s = tu_session(tu_types_xml, tu_fleet_xml);
    chanval_session *p0 = tu_session(tu_types_xml, tu_healthy_fleet_xml);
    tu_bin b = tu_pack(p0, ops);
    chanval_session_free(p0);
    b.p[b.n - 1] ^= 1; /* the digest no longer matches */
    chanval_program *p = NULL;
    assert_int_equal(chanval_program_load(s, b.p, b.n, &p), CHANVAL_ERR_USAGE);
    assert_null(p);
    assert_non_null(strstr(chanval_last_error(s), "CV107"));
    chanval_session_free(s);
    tu_bin_free(&b);
}

/* ---- chanval test on files ------------------------------------------------ */

static char dir[64];

static void put(const char *name, const void *data, size_t len)
{
    char path[160];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

static int setup_dir(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/chanval-interp.XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    chanval_session *p = tu_session(tu_types_xml, tu_healthy_fleet_xml);
    tu_bin b = tu_pack(p, cf291);
    put("cf291.bin", b.p, b.n);
    tu_bin_free(&b);
    b = tu_pack(p, ops);
    put("ops.bin", b.p, b.n);
    tu_bin_free(&b);
    chanval_session_free(p);
    return 0;
}

static int remove_dir(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static const chanval_file *run(chanval_session *s, const char *name, const char *text,
                               const chanval_test_options *o)
{
    put(name, text, strlen(text));
    char path[160];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    const char *paths[] = {path};
    assert_int_equal(chanval_test_paths(s, paths, 1, o), CHANVAL_OK);
    for (size_t i = chanval_file_count(s); i-- > 0;)
        if (strcmp(chanval_file_path(chanval_file_at(s, i)), path) == 0)
            return chanval_file_at(s, i);
    fail_msg("no report entry for %s", path);
    return NULL;
}

#define EV7 "{\"type\": 7, \"version\": 3, "

static void cf291_test_run(void **state)
{
    (void)state;
    static const char doc[] =
        "{\"channel\": \"cf291.bin\"}\n" EV7 "\"fields\": {\"pipe_name\": \"pipe1\", "
                                             "\"client_pid\": 4, \"remote_pipe_flags\": \"0x1\"}, "
        "\"expect\": {\"fire\": [1, 2]}}\n" EV7
        "\"fields\": {\"pipe_name\": \"pipe\", \"client_pid\": 3, \"20\": \"zz\"}, "
        "\"expect\": {\"quiet\": [1, 2]}}\n";
    /* on the sensor with 21 inputs it passes, and covers every outcome */
    chanval_session *s = tu_session(tu_types_xml, tu_fleet_xml);
    const char *only[] = {"7.10.17706"};
    chanval_test_options o = {.sensors = only, .nsensors = 1};
    const chanval_file *f = run(s, "a.test.jsonl", doc, &o);
    assert_rules(f, "-");
    assert_int_equal(chanval_file_case_count(f), 4);
    chanval_test_content c;
    assert_true(chanval_test_content_at(s, 0, &c));
    assert_int_equal(c.outcomes, 6);
    assert_int_equal(c.covered, 6);
    chanval_session_free(s);
    /* on 7.11.18110 the first event of the type faults (once), and field
     * 20 was never tested on its 20 inputs */
    s = tu_session(tu_types_xml, tu_fleet_xml);
    const char *bad[] = {"7.11.18110"};
    o = (chanval_test_options){.sensors = bad, .nsensors = 1};
    f = run(s, "a.test.jsonl", doc, &o);
    assert_rules(f, "CV702,CV703,CV707");
    assert_int_equal(tu_count(f, 703), 1);
    tu_assert_line(f, 703, 2, 1);
    const chanval_diag *d = tu_must(f, 703);
    assert_int_equal(d->instance, 2);
    assert_int_equal(d->criterion, 20);
    assert_string_equal(d->sensor, "7.11.18110");
    tu_assert_message(f, 703, "inputs[20]");
    assert_int_equal(tu_count(f, 707), 3); /* fields 0, 1 and 20: the sensor faults */
    assert_non_null(strstr(tu_nth(f, 707, 2)->message, "field 20 (\"remote_pipe_flags\")"));
    assert_non_null(strstr(tu_nth(f, 707, 2)->message, "lies past them"));
    chanval_test_case tc;
    assert_true(chanval_file_case(f, 0, &tc));
    assert_true(tc.failed);
    assert_int_equal(chanval_exit_code(s), 1);
    chanval_session_free(s);
}

static void expectations_fail_with_what_fired(void **state)
{
    (void)state;
    static const char doc[] =
        "{\"channel\": \"ops.bin\"}\n"
        "{\"type\": 12, \"version\": 1, \"fields\": {\"image_path\": \"cmd.exe\", \"pid\": 30}, "
        "\"expect\": {\"fire\": [1], \"quiet\": [2, 77]}}\n";
    chanval_session *s = tu_session(tu_types_xml, tu_fleet_xml);
    const chanval_file *f = run(s, "b.test.jsonl", doc, NULL);
    /* on each of the two sensors: 1 did not fire, 2 fired; 77 is no instance */
    assert_int_equal(tu_count(f, 700), 5);
    tu_assert_all_lines(f, 700, 2, 1);
    assert_int_equal(chanval_file_case_count(f), 3);
    chanval_session_free(s);
}

static void impossible_events(void **state)
{
    (void)state;
    static const char doc[] =
        "{\"channel\": \"ops.bin\"}\n"
        "{\"type\": 12, \"version\": 1, \"fields\": {\"image_pth\": \"x\"}}\n"
        "{\"type\": 12, \"version\": 1, \"fields\": {\"integrity_level\": 6}}\n"
        "{\"type\": 12, \"version\": 1, \"fields\": {\"user\": \"\\u0000\"}}\n"
        "{\"type\": 12, \"version\": 1, \"fields\": {\"user\": \"\xc3\"}}\n"
        "{\"type\": 99, \"version\": 1}\n"
        "{\"type\": 12, \"version\": 1, \"fields\": {\"user\": 1}}\n"
        "{\"type\": 12, \"version\": 1, \"fields\": [1]}\n"
        "{\"type\": 12, \"version\": 1, \"sensors\": [\"1.2.3\"]}\n"
        "{\"type\": 12, \"version\": 1, \"feilds\": {}}\n"
        "{\"type\": 12, \"version\": 1,\n"
        "{\"type\": 12, \"version\": 1, \"fields\": {\"8\": \"x\"}}\n"
        "{\"type\": 12, \"version\": 1, \"fields\": {\"user\": \"a\", \"5\": \"b\"}}\n";
    chanval_session *s = tu_session(tu_types_xml, tu_fleet_xml);
    const chanval_file *f = run(s, "c.test.jsonl", doc, NULL);
    assert_int_equal(tu_count(f, 705), 12);
    for (uint32_t line = 2; line <= 13; line++) {
        bool found = false;
        for (size_t i = 0; i < chanval_file_diag_count(f); i++)
            found = found || chanval_file_diag(f, i)->line == line;
        assert_true(found);
    }
    tu_assert_message(f, 705, "no field \"image_pth\"");
    assert_non_null(strstr(tu_nth(f, 705, 1)->message, "outside its range [0, 5]"));
    assert_non_null(strstr(tu_nth(f, 705, 4)->message, "not defined"));
    assert_int_equal(chanval_exit_code(s), 1);
    chanval_session_free(s);
}

static void benign_block_is_an_error(void **state)
{
    (void)state;
    static const char events[] =
        "{\"type\": 12, \"version\": 1, \"fields\": {\"image_path\": \"notepad.exe\"}}\n"
        "{\"type\": 12, \"version\": 1, \"fields\": {\"image_path\": "
        "\"C:\\\\Windows\\\\System32\\\\svchost.exe\", \"pid\": 15}}\n"
        "{\"type\": 12, \"version\": 1, \"fields\": {\"image_path\": \"cmd.exe\", \"pid\": 1}}\n";
    put("benign.jsonl", events, strlen(events));
    char bpath[160], cpath[160];
    snprintf(bpath, sizeof bpath, "%s/benign.jsonl", dir);
    snprintf(cpath, sizeof cpath, "%s/ops.bin", dir);
    const char *benign[] = {bpath};
    const char *paths[] = {cpath};
    chanval_test_options o = {.benign = benign, .nbenign = 1};
    chanval_session *s = tu_session(tu_types_xml, tu_fleet_xml);
    assert_int_equal(chanval_test_paths(s, paths, 1, &o), CHANVAL_OK);
    const chanval_file *f = tu_last(s);
    assert_int_equal(chanval_file_kind(f), CHANVAL_KIND_EVENTS);
    /* block instance 1 on line 2: an error; detect instance 2 on line 3: a warning */
    assert_int_equal(tu_count(f, 701), 2);
    const chanval_diag *d = tu_nth(f, 701, 0);
    assert_int_equal(d->line, 2);
    assert_int_equal(d->severity, CHANVAL_SEV_ERROR);
    assert_int_equal(d->instance, 1);
    d = tu_nth(f, 701, 1);
    assert_int_equal(d->line, 3);
    assert_int_equal(d->severity, CHANVAL_SEV_WARNING);
    chanval_test_instance in;
    assert_true(chanval_test_instance_at(s, 0, 0, &in));
    assert_int_equal(in.benign_fired, 2); /* one event, two sensors */
    assert_int_equal(in.benign_evals, 6);
    chanval_session_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(cf291_faults_on_20_inputs_only),
        cmocka_unit_test(operators_flags_and_negation),
        cmocka_unit_test(budget_is_abandoned_and_reported),
        cmocka_unit_test(unloadable_file_is_refused),
        cmocka_unit_test(cf291_test_run),
        cmocka_unit_test(expectations_fail_with_what_fired),
        cmocka_unit_test(impossible_events),
        cmocka_unit_test(benign_block_is_an_error),
    };
    return cmocka_run_group_tests(tests, setup_dir, remove_dir);
}
