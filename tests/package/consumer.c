/* consumer.c - a program of someone else's, built against the installed
 * libchanval through pkg-config: check the files named on the command line
 * against a world and print the verdict. */
#include <chanval.h>

#include <stdio.h>

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: consumer TYPES FLEET FILE...\n");
        return 2;
    }
    chanval_session *s = chanval_session_new();
    if (!s)
        return 2;
    if (chanval_add_types(s, argv[1]) != CHANVAL_OK || chanval_add_fleet(s, argv[2]) != CHANVAL_OK) {
        fprintf(stderr, "consumer: %s\n", chanval_last_error(s));
        chanval_session_free(s);
        return 2;
    }
    for (int i = 3; i < argc; i++)
        (void)chanval_check_path(s, argv[i]);
    int code = chanval_exit_code(s);
    printf("libchanval %s: %zu errors, %zu warnings, exit %d\n", CHANVAL_VERSION,
           chanval_error_count(s), chanval_warning_count(s), code);
    chanval_session_free(s);
    return code;
}
