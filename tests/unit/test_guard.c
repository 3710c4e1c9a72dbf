/* test_guard.c - the command's SIGBUS guard (validator/cli/guard.c): a
 * mapped file truncated under the reader is an I/O error, exit 2 with a
 * message, not a silent death.  Each case runs in a child process. */
#define _POSIX_C_SOURCE 200809L
#include "testutil.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../validator/cli/guard.c"

/* Run fn in a child with stderr to a pipe; its exit status and stderr. */
static int in_child(void (*fn)(void), char *err, size_t cap)
{
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        dup2(fds[1], STDERR_FILENO);
        fn();
        _exit(99); /* fn must not return */
    }
    close(fds[1]);
    size_t len = 0;
    ssize_t n;
    while (len + 1 < cap && (n = read(fds[0], err + len, cap - 1 - len)) > 0)
        len += (size_t)n;
    err[len] = '\0';
    close(fds[0]);
    int st = 0;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    return st;
}

/* What the library does with a large file, and what another process may do
 * meanwhile: map it, then see it truncated, then read past the new end. */
static void truncated_under_the_map(void)
{
    cli_guard_sigbus();
    char path[] = "/tmp/chanval-guard-XXXXXX";
    int h = mkstemp(path);
    if (h < 0)
        _exit(98);
    unlink(path);
    size_t size = (size_t)2 << 20;
    if (ftruncate(h, (off_t)size) != 0)
        _exit(98);
    const volatile uint8_t *m = mmap(NULL, size, PROT_READ, MAP_PRIVATE, h, 0);
    if (m == MAP_FAILED)
        _exit(98);
    if (ftruncate(h, 0) != 0)
        _exit(98);
    uint8_t x = m[size - 1]; /* SIGBUS: past the end of the file */
    _exit(x == 0 ? 97 : 96);
}

static void a_truncated_file_is_exit_2(void **state)
{
    (void)state;
    char err[512];
    int st = in_child(truncated_under_the_map, err, sizeof err);
    assert_true(WIFEXITED(st));
    assert_int_equal(WEXITSTATUS(st), EXIT_TROUBLE);
    assert_non_null(strstr(err, "chanval: error: a file was truncated while it was being read"));
}

static void raise_sigbus(void)
{
    cli_guard_sigbus();
    raise(SIGBUS);
}

static void sigbus_is_exit_2(void **state)
{
    (void)state;
    char err[512];
    int st = in_child(raise_sigbus, err, sizeof err);
    assert_true(WIFEXITED(st));
    assert_int_equal(WEXITSTATUS(st), EXIT_TROUBLE);
    assert_non_null(strstr(err, "(SIGBUS)"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_truncated_file_is_exit_2),
        cmocka_unit_test(sigbus_is_exit_2),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
