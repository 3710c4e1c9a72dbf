/* test.c - chanval test: content run against events on every sensor. */
#include "cli/cli.h"

#include <stdlib.h>
#include <string.h>

bool cli_test_options(const opts *o)
{
    return o->nbenign > 0 || o->nsensors > 0 || o->min_coverage_set || o->shards > 0 || o->plain;
}

int cmd_test(const opts *o, int argc, char **argv)
{
    if (o->view_all || o->has_range || o->has_instance) {
        usage_error("--all, --range and --instance are options of chanval view");
        return EXIT_TROUBLE;
    }
    if (argc == 0) {
        usage_error("test needs TESTS: test documents, directories of them, or content to run "
                    "over --benign events");
        return EXIT_TROUBLE;
    }
    int rc;
    chanval_session *s = cli_setup_writing(o, argc, argv, &rc);
    if (!s)
        return rc;
    chanval_test_options t = {.benign = o->benign,
                              .nbenign = o->nbenign,
                              .sensors = o->sensors,
                              .nsensors = o->nsensors,
                              .min_coverage_set = o->min_coverage_set,
                              .min_coverage = o->min_coverage,
                              .plain = o->plain,
                              .shard = o->shard,
                              .shards = o->shards,
                              .jobs = o->jobs};
    chanval_status st = chanval_test_paths(s, (const char *const *)argv, (size_t)argc, &t);
    if (st == CHANVAL_ERR_NOMEM || st == CHANVAL_ERR_USAGE || st == CHANVAL_ERR_INTERNAL) {
        for (size_t i = 0; i < chanval_io_error_count(s); i++)
            cli_error("%s", chanval_io_error(s, i));
        if (st == CHANVAL_ERR_USAGE)
            usage_error("%s", chanval_last_error(s));
        else
            cli_trouble(s, st);
        chanval_session_free(s);
        return EXIT_TROUBLE;
    }
    if (!cli_text_on_stdout(o))
        for (size_t i = 0; i < chanval_io_error_count(s); i++)
            cli_error("%s", chanval_io_error(s, i));
    rc = cli_emit_reports(s, o, stdout) ? chanval_exit_code(s) : EXIT_TROUBLE;
    if (st != CHANVAL_OK)
        rc = EXIT_TROUBLE;
    chanval_session_free(s);
    return rc;
}

int cmd_merge(const opts *o, int argc, char **argv)
{
    if (argc == 0) {
        usage_error("merge needs the JSON reports of the shards of a chanval test run");
        return EXIT_TROUBLE;
    }
    int rc;
    chanval_session *s = cli_setup_writing(o, argc, argv, &rc);
    if (!s)
        return rc;
    chanval_status st = chanval_merge_paths(s, (const char *const *)argv, (size_t)argc);
    if (st != CHANVAL_OK) {
        for (size_t i = 0; i < chanval_io_error_count(s); i++)
            cli_error("%s", chanval_io_error(s, i));
        if (st != CHANVAL_ERR_IO)
            cli_trouble(s, st);
        chanval_session_free(s);
        return EXIT_TROUBLE;
    }
    rc = cli_emit_reports(s, o, stdout) ? chanval_exit_code(s) : EXIT_TROUBLE;
    chanval_session_free(s);
    return rc;
}
