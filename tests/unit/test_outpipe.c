#define _GNU_SOURCE /* mkdtemp, mkfifo */
/* test_outpipe.c - chanval_write_file into what is not a regular file: a
 * FIFO with and without a reader, a reader that leaves mid-write (EPIPE is
 * an error, not a SIGPIPE death), a full device. */
#include "testutil.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *at(const char *name)
{
    static char buf[4][128];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", tu_dir, name);
    return buf[k];
}

static void writes_in_place_into_what_is_not_regular(void **state)
{
    (void)state;
    char why[256] = "";
    assert_int_equal(mkfifo(at("fifo"), 0600), 0);
    /* no reader: an error at once, not a hang; the FIFO stays */
    assert_int_equal(chanval_write_file(at("fifo"), "x", 1, why, sizeof why), CHANVAL_ERR_IO);
    assert_non_null(strstr(why, "no reader"));
    struct stat st;
    assert_int_equal(lstat(at("fifo"), &st), 0);
    assert_true(S_ISFIFO(st.st_mode));
    /* with a reader (this process): the bytes go through it */
    int r = open(at("fifo"), O_RDONLY | O_NONBLOCK);
    assert_true(r >= 0);
    assert_int_equal(chanval_write_file(at("fifo"), "hello", 5, why, sizeof why), CHANVAL_OK);
    char got[8] = "";
    assert_int_equal(read(r, got, sizeof got), 5);
    assert_memory_equal(got, "hello", 5);
    close(r);
    /* the reader goes away mid-write: EPIPE is an error, not a SIGPIPE
     * death of the writer */
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        int c = open(at("fifo"), O_RDONLY);
        char one;
        _exit(c >= 0 && read(c, &one, 1) == 1 ? 0 : 1);
    }
    static char big[1 << 20];
    while (chanval_write_file(at("fifo"), big, sizeof big, why, sizeof why) != CHANVAL_ERR_IO ||
           strstr(why, "no reader"))
        usleep(1000); /* the child has yet to open it */
    assert_non_null(strstr(why, "Broken pipe"));
    int status;
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_int_equal(lstat(at("fifo"), &st), 0);
    assert_true(S_ISFIFO(st.st_mode));
    /* a full device: the reason, and the device is kept */
    if (access("/dev/full", W_OK) == 0) {
        assert_int_equal(chanval_write_file("/dev/full", "x", 1, why, sizeof why), CHANVAL_ERR_IO);
        assert_non_null(strstr(why, "No space left on device"));
        assert_int_equal(stat("/dev/full", &st), 0);
        assert_true(S_ISCHR(st.st_mode));
    }
    if (access("/dev/null", W_OK) == 0) {
        assert_int_equal(chanval_write_file("/dev/null", "x", 1, why, sizeof why), CHANVAL_OK);
        assert_int_equal(stat("/dev/null", &st), 0);
        assert_true(S_ISCHR(st.st_mode));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(writes_in_place_into_what_is_not_regular, tu_tmp_setup,
                                        tu_tmp_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
