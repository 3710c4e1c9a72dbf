/* test_walk.c - chanval_check_paths accounts for every entry it meets. */
#define _POSIX_C_SOURCE 200809L
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void put(const char *name, const char *text)
{
    char p[128];
    snprintf(p, sizeof p, "%s/%s", tu_dir, name);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void pointer_named_bin_is_checked_and_text_is_skipped(void **state)
{
    (void)state;
    put("c.bin", "version https://git-lfs.github.com/spec/v1\noid sha256:00\nsize 9\n");
    put("notes.txt", "release notes\n");
    chanval_session *s = tu_session(tu_types_xml, tu_fleet_xml);
    const char *paths[] = {tu_dir};
    size_t before = chanval_file_count(s);
    assert_int_equal(chanval_check_paths(s, paths, 1, 1), CHANVAL_OK);
    assert_string_equal(tu_session_rules(s, before), "CV101");
    assert_int_equal(chanval_skipped_count(s), 1);
    assert_non_null(strstr(chanval_skipped_path(s, 0), "notes.txt"));
    assert_null(chanval_skipped_path(s, 1));
    assert_int_equal(chanval_exit_code(s), 1);
    chanval_session_free(s);
}

static void folder_without_content_is_an_io_error_unless_allowed(void **state)
{
    (void)state;
    put("notes.txt", "release notes\n");
    const char *paths[] = {tu_dir};
    chanval_session *s = tu_session(tu_types_xml, tu_fleet_xml);
    assert_int_equal(chanval_check_paths(s, paths, 1, 1), CHANVAL_ERR_IO);
    assert_int_equal(chanval_io_error_count(s), 1);
    assert_string_equal(chanval_io_error_path(s, 0), tu_dir);
    assert_non_null(strstr(chanval_io_error(s, 0), "no content file"));
    assert_int_equal(chanval_exit_code(s), 2);
    chanval_session_free(s);

    s = tu_session(tu_types_xml, tu_fleet_xml);
    chanval_set_allow_empty(s, true);
    assert_int_equal(chanval_check_paths(s, paths, 1, 2), CHANVAL_OK);
    assert_int_equal(chanval_io_error_count(s), 0);
    assert_int_equal(chanval_exit_code(s), 0);
    chanval_session_free(s);
}

static void dangling_link_and_fifo_are_io_errors(void **state)
{
    (void)state;
    put("ok.txt", "text\n");
    char p[128];
    snprintf(p, sizeof p, "%s/gone.bin", tu_dir);
    assert_int_equal(symlink("missing.bin", p), 0);
    snprintf(p, sizeof p, "%s/pipe.bin", tu_dir);
    assert_int_equal(mkfifo(p, 0600), 0);
    const char *paths[] = {tu_dir};
    chanval_session *s = tu_session(tu_types_xml, tu_fleet_xml);
    assert_int_equal(chanval_check_paths(s, paths, 1, 1), CHANVAL_ERR_IO);
    assert_int_equal(chanval_io_error_count(s), 2);
    assert_non_null(strstr(chanval_io_error(s, 0), "gone.bin"));
    assert_non_null(strstr(chanval_io_error(s, 1), "FIFO"));
    chanval_session_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(pointer_named_bin_is_checked_and_text_is_skipped,
                                        tu_tmp_setup, tu_tmp_teardown),
        cmocka_unit_test_setup_teardown(folder_without_content_is_an_io_error_unless_allowed,
                                        tu_tmp_setup, tu_tmp_teardown),
        cmocka_unit_test_setup_teardown(dangling_link_and_fifo_are_io_errors, tu_tmp_setup,
                                        tu_tmp_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
