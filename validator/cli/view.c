/* view.c - chanval view: the annotated hex view of channel files (and the
 * findings of XML documents under their source lines), checked with the
 * same world and rules as chanval check, and with its exit code. */
#include "cli/cli.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* Files smaller than this are shown whole; larger ones around findings. */
enum { VIEW_WHOLE_BELOW = 4096, VIEW_CONTEXT = 2 };

static bool view_usage(const opts *o, int argc)
{
    if (argc < 1) {
        usage_error("usage: chanval view [OPTIONS] FILE...");
        return false;
    }
    if (o->nreports != 1 || o->reports[0].path || o->reports[0].format != CHANVAL_FORMAT_TEXT) {
        usage_error("view prints to the terminal; for a report file use chanval check "
                    "--format html=FILE");
        return false;
    }
    if (o->view_all + o->has_range + o->has_instance > 1) {
        usage_error("give one of --all, --range and --instance");
        return false;
    }
    if ((o->has_range || o->has_instance) && argc != 1) {
        usage_error("--range and --instance apply to one FILE");
        return false;
    }
    return true;
}

int cmd_view(const opts *o, int argc, char **argv)
{
    if (!view_usage(o, argc))
        return EXIT_TROUBLE;
    chanval_excerpt_options x = {
        .mode = o->view_all       ? CHANVAL_EXCERPT_ALL
                : o->has_range    ? CHANVAL_EXCERPT_RANGE
                : o->has_instance ? CHANVAL_EXCERPT_INSTANCE
                                  : CHANVAL_EXCERPT_FINDINGS,
        .context = o->context >= 0 ? (unsigned)o->context : VIEW_CONTEXT,
        .whole_below = VIEW_WHOLE_BELOW,
        .start = o->range_start,
        .end = o->range_end,
        .instance = o->instance};
    int rc;
    chanval_session *s = cli_setup(o, &x, &rc);
    if (!s)
        return rc;
    size_t first = chanval_file_count(s); /* the world's documents come first */
    chanval_status st = chanval_check_paths(s, (const char *const *)argv, (size_t)argc,
                                            o->jobs ? o->jobs : 1);
    if (st == CHANVAL_ERR_NOMEM) {
        cli_error("out of memory");
        chanval_session_free(s);
        return EXIT_TROUBLE;
    }
    bool trouble = st != CHANVAL_OK;
    if (o->has_instance || o->has_range) {
        const chanval_file *f = chanval_file_at(s, first);
        if (f && chanval_file_kind(f) == CHANVAL_KIND_CHANNEL &&
            chanval_file_excerpt_count(f) == 0) {
            if (o->has_instance)
                cli_error("%s has no instance %" PRIu32 " that its records can be walked to",
                          argv[0], o->instance);
            else
                cli_error("%s has %" PRIu64 " bytes: the range starts past its end", argv[0],
                          chanval_file_size(f));
            trouble = true;
        }
    }
    unsigned flags = (o->quiet ? CHANVAL_REPORT_QUIET : 0) |
                     (cli_color(o, stdout, false) ? CHANVAL_REPORT_COLOR : 0);
    char *text = NULL;
    size_t len = 0;
    if (chanval_render_view(s, flags, &text, &len) != CHANVAL_OK) {
        cli_error("out of memory");
        chanval_session_free(s);
        return EXIT_TROUBLE;
    }
    rc = chanval_exit_code(s);
    if (fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0) {
        cli_error("cannot write: %s", strerror(errno));
        rc = EXIT_TROUBLE;
    }
    chanval_free(text);
    chanval_session_free(s);
    return trouble ? EXIT_TROUBLE : rc;
}
