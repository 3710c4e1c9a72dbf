/* test_outfile.c - outputs: atomic over regular files, in place into
 * anything else, never over an input. */
#define _POSIX_C_SOURCE 200809L
#include "testutil.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static size_t entries(void)
{
    DIR *d = opendir(tu_dir);
    assert_non_null(d);
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return n;
}

static void regular_file_is_replaced_whole_and_no_temporary_remains(void **state)
{
    (void)state;
    char p[128], buf[16] = {0};
    snprintf(p, sizeof p, "%s/out.json", tu_dir);
    assert_int_equal(chanval_write_file(p, "first", 5, NULL, 0), CHANVAL_OK);
    assert_int_equal(chanval_write_file(p, "2nd", 3, NULL, 0), CHANVAL_OK);
    FILE *f = fopen(p, "r");
    assert_non_null(f);
    assert_int_equal(fread(buf, 1, sizeof buf, f), 3);
    fclose(f);
    assert_string_equal(buf, "2nd");
    assert_int_equal(entries(), 1);
}

static void device_is_written_into_and_fifo_without_reader_fails(void **state)
{
    (void)state;
    char why[256];
    assert_int_equal(chanval_write_file("/dev/null", "x", 1, why, sizeof why), CHANVAL_OK);
    struct stat st;
    assert_int_equal(stat("/dev/null", &st), 0);
    assert_true(S_ISCHR(st.st_mode));
    char p[128];
    snprintf(p, sizeof p, "%s/fifo", tu_dir);
    assert_int_equal(mkfifo(p, 0600), 0);
    assert_int_equal(chanval_write_file(p, "x", 1, why, sizeof why), CHANVAL_ERR_IO);
    assert_non_null(strstr(why, "no reader"));
    assert_int_equal(stat(p, &st), 0);
    assert_true(S_ISFIFO(st.st_mode));
    snprintf(p, sizeof p, "%s", tu_dir);
    assert_int_equal(chanval_write_file(p, "x", 1, why, sizeof why), CHANVAL_ERR_IO);
}

static void an_input_is_never_an_output(void **state)
{
    (void)state;
    char in[128], link[128], why[512];
    snprintf(in, sizeof in, "%s/in.bin", tu_dir);
    snprintf(link, sizeof link, "%s/link.bin", tu_dir);
    assert_int_equal(chanval_write_file(in, "CHNL", 4, NULL, 0), CHANVAL_OK);
    assert_int_equal(symlink("in.bin", link), 0);
    chanval_session *s = tu_session(tu_types_xml, tu_fleet_xml);
    const char *also[] = {in};
    assert_int_equal(chanval_output_check(s, link, also, 1, why, sizeof why), CHANVAL_ERR_USAGE);
    assert_non_null(strstr(why, "refusing"));
    /* read by the session: refused without being named again */
    const char *paths[] = {in};
    chanval_check_paths(s, paths, 1, 1);
    assert_int_equal(chanval_write_output(s, link, "report", 6, why, sizeof why),
                     CHANVAL_ERR_USAGE);
    FILE *f = fopen(in, "r");
    char buf[8] = {0};
    assert_non_null(f);
    assert_int_equal(fread(buf, 1, sizeof buf, f), 4);
    fclose(f);
    assert_string_equal(buf, "CHNL");
    chanval_session_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(regular_file_is_replaced_whole_and_no_temporary_remains,
                                        tu_tmp_setup, tu_tmp_teardown),
        cmocka_unit_test_setup_teardown(device_is_written_into_and_fifo_without_reader_fails,
                                        tu_tmp_setup, tu_tmp_teardown),
        cmocka_unit_test_setup_teardown(an_input_is_never_an_output, tu_tmp_setup, tu_tmp_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
