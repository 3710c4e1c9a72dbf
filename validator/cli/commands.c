/* commands.c - check, pack, dump, diff: set up a session from the project
 * configuration and the options, run, report. */
#define _POSIX_C_SOURCE 200809L
#include "cli/cli.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int cli_trouble(chanval_session *s, chanval_status st)
{
    if (st == CHANVAL_ERR_NOMEM)
        cli_error("out of memory");
    else
        cli_error("%s", chanval_last_error(s));
    return EXIT_TROUBLE;
}

/* The nearest .chanval.xml in the working directory or above it, as a
 * relative path ("../../.chanval.xml"), or NULL. */
static char *find_config(void)
{
    char cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof cwd))
        return NULL;
    size_t ups = 0;
    for (;;) {
        char probe[PATH_MAX + 16];
        snprintf(probe, sizeof probe, "%s/.chanval.xml", cwd[0] ? cwd : "");
        if (access(probe, F_OK) == 0) {
            size_t len = 3 * ups + sizeof ".chanval.xml";
            char *rel = malloc(len);
            if (!rel)
                return NULL;
            size_t k = 0;
            for (size_t i = 0; i < ups; i++)
                k += (size_t)snprintf(rel + k, len - k, "../");
            snprintf(rel + k, len - k, ".chanval.xml");
            return rel;
        }
        char *slash = strrchr(cwd, '/');
        if (!slash || cwd[0] == '\0')
            return NULL;
        *slash = '\0';
        ups++;
    }
}

static bool same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

bool cli_same_file(const char *a, const char *b) { return strcmp(a, b) == 0 || same_file(a, b); }

/* Whether some report of the run is text on standard output. */
bool cli_text_on_stdout(const opts *o)
{
    for (size_t i = 0; i < o->nreports; i++)
        if (o->reports[i].format == CHANVAL_FORMAT_TEXT && !o->reports[i].path)
            return true;
    return false;
}

/* Whether any report names digests (all but the plain text report do). */
static bool reports_need_digests(const opts *o)
{
    for (size_t i = 0; i < o->nreports; i++)
        if (o->reports[i].format != CHANVAL_FORMAT_TEXT || o->verbose)
            return true;
    return false;
}

/* --cache: $XDG_CACHE_HOME/chanval (when absolute), else ~/.cache/chanval,
 * or --cache-dir.  A cache that cannot be used costs time, never the
 * verdict: a warning, and the run goes on uncached. */
static void use_cache(chanval_session *s, const opts *o)
{
    if (!o->cache || o->no_cache)
        return;
    char dflt[4096];
    const char *dir = o->cache_dir;
    if (!dir) {
        const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
        int n = xdg && xdg[0] == '/' ? snprintf(dflt, sizeof dflt, "%s/chanval", xdg)
                : home && home[0]    ? snprintf(dflt, sizeof dflt, "%s/.cache/chanval", home)
                                     : -1;
        if (n < 0 || (size_t)n >= sizeof dflt) {
            cli_warning("no cache folder (XDG_CACHE_HOME and HOME unset): checking uncached");
            return;
        }
        dir = dflt;
    }
    if (chanval_set_cache_dir(s, dir) != CHANVAL_OK)
        cli_warning("%s: checking uncached", chanval_last_error(s));
}

/* A session with the configuration, options, baseline and world loaded;
 * NULL (after a message) on trouble. */
chanval_session *cli_setup(const opts *o, const chanval_excerpt_options *x, int *rc)
{
    *rc = EXIT_TROUBLE;
    chanval_session *s = chanval_session_new();
    if (!s) {
        cli_error("out of memory");
        return NULL;
    }
    char *found = o->config || o->no_config ? NULL : find_config();
    const char *config = o->config ? o->config : found;
    chanval_status st = config ? chanval_load_config(s, config) : CHANVAL_OK;
    free(found);
    if (st != CHANVAL_OK) {
        cli_trouble(s, st);
        chanval_session_free(s);
        return NULL;
    }
    if (x && chanval_set_excerpts(s, x) != CHANVAL_OK) {
        usage_error("%s", chanval_last_error(s));
        chanval_session_free(s);
        return NULL;
    }
    if (o->strict)
        chanval_set_strict(s, true);
    chanval_set_threads(s, o->threads);
    chanval_set_allow_empty(s, o->allow_empty);
    chanval_set_skip_foreign(s, o->skip_foreign);
    use_cache(s, o);
    /* a plain text report names no digest: do not read big files twice */
    if (!reports_need_digests(o))
        chanval_set_file_digests(s, false);
    for (int i = 0; i < CHANVAL_LIMIT_COUNT; i++)
        if (o->limit_set[i] && chanval_set_limit(s, (chanval_limit)i, o->limits[i]) != CHANVAL_OK) {
            usage_error("%s", chanval_last_error(s));
            chanval_session_free(s);
            return NULL;
        }
    if (o->max_growth_set)
        chanval_set_max_growth(s, o->max_growth);
    if (o->sarif_category && chanval_set_report_category(s, o->sarif_category) != CHANVAL_OK) {
        usage_error("--sarif-category: %s", chanval_last_error(s));
        chanval_session_free(s);
        return NULL;
    }
    const char *baseline = o->baseline ? o->baseline : chanval_config_baseline(s);
    /* the run that refreshes the configuration's baseline rewrites it: it is
     * no input then (every finding it writes is known in this run anyway,
     * so the old one would change nothing of the verdict) */
    if (baseline && !o->baseline && o->write_baseline && same_file(baseline, o->write_baseline))
        baseline = NULL;
    if (baseline && (st = chanval_load_baseline(s, baseline)) != CHANVAL_OK) {
        /* writing a first baseline where the configuration names one is fine */
        if (!(o->write_baseline && st == CHANVAL_ERR_IO && !o->baseline)) {
            cli_trouble(s, st);
            chanval_session_free(s);
            return NULL;
        }
    }
    bool failed = false;
    /* template types first (configuration, then -t), then fleets */
    for (int which = 0; which < 2 && !failed; which++) {
        const char **cli = which == 0 ? o->types : o->fleets;
        size_t ncli = which == 0 ? o->ntypes : o->nfleets;
        size_t nconf = 0;
        while (chanval_config_document(s, which, nconf))
            nconf++;
        for (size_t i = 0; i < nconf + ncli; i++) {
            const char *path = i < nconf ? chanval_config_document(s, which, i) : cli[i - nconf];
            st = which == 0 ? chanval_add_types(s, path) : chanval_add_fleet(s, path);
            if (st != CHANVAL_OK) {
                cli_trouble(s, st);
                failed = true;
                if (st == CHANVAL_ERR_NOMEM)
                    break;
            }
        }
    }
    if (failed) {
        chanval_session_free(s);
        return NULL;
    }
    *rc = EXIT_CLEAN;
    return s;
}

/* --color auto stays plain when NO_COLOR is set to anything but the empty
 * string (no-color.org), and on a terminal that says it is dumb. */
static bool no_color_env(void)
{
    const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");
    return (nc && nc[0]) || (term && strcmp(term, "dumb") == 0);
}

bool cli_color(const opts *o, FILE *stream, bool to_file)
{
    return o->color == 1 ||
           (o->color == -1 && !to_file && isatty(fileno(stream)) && !no_color_env());
}

/* Context under text findings: only with --context.  Not by default on a
 * terminal: cli.md makes the output the same bytes whatever the terminal
 * (colour being the one exception it names). */
static bool wants_context(const opts *o, chanval_format format)
{
    return format == CHANVAL_FORMAT_TEXT && o->context >= 0;
}

static unsigned report_flags(const opts *o, chanval_format format, FILE *stream, bool to_file)
{
    unsigned f = (o->quiet ? CHANVAL_REPORT_QUIET : 0) | (o->verbose ? CHANVAL_REPORT_VERBOSE : 0);
    if (cli_color(o, stream, to_file) && format == CHANVAL_FORMAT_TEXT)
        f |= CHANVAL_REPORT_COLOR;
    if (wants_context(o, format))
        f |= CHANVAL_REPORT_CONTEXT;
    return f;
}

/* The bytes behind the findings are kept when a report shows them: HTML
 * (lines around each, small files whole) or text with context. */
static bool excerpts_wanted(const opts *o, chanval_excerpt_options *x)
{
    bool html = false, context = false;
    for (size_t i = 0; i < o->nreports; i++) {
        const report_out *r = &o->reports[i];
        html = html || r->format == CHANVAL_FORMAT_HTML;
        context = context || wants_context(o, r->format);
    }
    *x = (chanval_excerpt_options){.mode = CHANVAL_EXCERPT_FINDINGS,
                                   .context = o->context >= 0 ? (unsigned)o->context
                                              : html          ? 2
                                                              : 0,
                                   .findings_only = true};
    return html || context;
}

/* Print one report to stream, or write it to path; false on failure. */
static bool emit_one(chanval_session *s, const opts *o, chanval_format format, FILE *stream,
                     const char *path)
{
    char *text = NULL;
    size_t len = 0;
    if (chanval_render(s, format, report_flags(o, format, stream, path != NULL), &text, &len) !=
        CHANVAL_OK) {
        cli_error("out of memory");
        return false;
    }
    bool ok = true;
    if (path) {
        char why[512];
        if (chanval_write_output(s, path, text, len, why, sizeof why) != CHANVAL_OK) {
            cli_error("%s", why);
            ok = false;
        }
    } else if (fwrite(text, 1, len, stream) != len || fflush(stream) != 0) {
        cli_error("cannot write the report: %s", strerror(errno));
        ok = false;
    }
    chanval_free(text);
    return ok;
}

/* Every report of the run, all rendered from the one session: one that
 * cannot be written does not keep the others from being written; false if
 * any failed. */
bool cli_emit_reports(chanval_session *s, const opts *o, FILE *stream)
{
    bool ok = true;
    for (size_t i = 0; i < o->nreports; i++)
        if (!emit_one(s, o, o->reports[i].format, stream, o->reports[i].path))
            ok = false;
    return ok;
}

/* Before any work: no output may be one of the inputs (the operands and
 * what setup() read).  Walked files are checked again at write time. */
static bool outputs_allowed(const chanval_session *s, const opts *o, int argc, char **argv)
{
    const char *out[CLI_MAX_REPORTS + 2] = {o->output, o->write_baseline};
    size_t nout = 2;
    for (size_t i = 0; i < o->nreports; i++)
        out[nout++] = o->reports[i].path;
    /* --config and --baseline by name too, so that the message names them
     * (the configuration's baseline may be refreshed: see setup()) */
    const char **also = malloc(((size_t)argc + o->nbenign + 2) * sizeof *also);
    if (!also) {
        cli_error("out of memory");
        return false;
    }
    size_t n = 0;
    for (int i = 0; i < argc; i++)
        also[n++] = argv[i];
    for (size_t i = 0; i < o->nbenign; i++)
        also[n++] = o->benign[i];
    const char *more[2] = {o->config, o->baseline};
    for (int i = 0; i < 2; i++)
        if (more[i])
            also[n++] = more[i];
    bool ok = true;
    for (size_t i = 0; i < nout && ok; i++) {
        char why[600];
        if (out[i] && chanval_output_check(s, out[i], also, n, why, sizeof why) != CHANVAL_OK) {
            cli_error("%s", why);
            ok = false;
        }
    }
    free(also);
    return ok;
}

/* The session of a command that writes (a report, OUT, a baseline): NULL
 * with *rc when it cannot be set up or an output would replace an input. */
chanval_session *cli_setup_writing(const opts *o, int argc, char **argv, int *rc)
{
    chanval_excerpt_options x;
    bool keep = o->nreports > 0 && !o->writes_file && excerpts_wanted(o, &x);
    chanval_session *s = cli_setup(o, keep ? &x : NULL, rc);
    if (s && !outputs_allowed(s, o, argc, argv)) {
        chanval_session_free(s);
        *rc = EXIT_TROUBLE;
        return NULL;
    }
    return s;
}

int cmd_check(const opts *o, int argc, char **argv)
{
    if (o->view_all || o->has_range || o->has_instance) {
        usage_error("--all, --range and --instance are options of chanval view");
        return EXIT_TROUBLE;
    }
    int rc;
    chanval_session *s = cli_setup_writing(o, argc, argv, &rc);
    if (!s)
        return rc;
    size_t world = chanval_file_count(s);
    if (argc == 0 && world == 0) {
        usage_error("check needs a FILE or DIR, or -t/-f documents to validate");
        chanval_session_free(s);
        return EXIT_TROUBLE;
    }
    bool io_failed = false;
    chanval_status st = chanval_check_paths(s, (const char *const *)argv, (size_t)argc,
                                            o->jobs ? o->jobs : 1);
    if (st == CHANVAL_ERR_NOMEM) {
        for (size_t i = 0; i < chanval_io_error_count(s); i++)
            cli_error("%s", chanval_io_error(s, i));
        rc = cli_trouble(s, st);
        chanval_session_free(s);
        return rc;
    }
    io_failed = st != CHANVAL_OK;
    if (argc == 0 && (st = chanval_check_world(s)) != CHANVAL_OK) {
        rc = cli_trouble(s, st);
        chanval_session_free(s);
        return rc;
    }
    if (o->write_baseline) {
        char *text = NULL, why[512];
        size_t len = 0;
        st = chanval_render_baseline(s, &text, &len);
        if (st != CHANVAL_OK) {
            rc = cli_trouble(s, st);
            chanval_session_free(s);
            return rc;
        }
        if (chanval_write_output(s, o->write_baseline, text, len, why, sizeof why) !=
            CHANVAL_OK) {
            /* the report states the exit code: it must know of this one */
            chanval_record_io_error(s, o->write_baseline, why);
            io_failed = true;
        }
        chanval_free(text);
    }
    /* a text report on stdout names what could not be read itself */
    if (!cli_text_on_stdout(o))
        for (size_t i = 0; i < chanval_io_error_count(s); i++)
            cli_error("%s", chanval_io_error(s, i));
    rc = cli_emit_reports(s, o, stdout) ? chanval_exit_code(s) : EXIT_TROUBLE;
    if (o->verbose && o->cache && !o->no_cache) { /* on stderr: reports do not depend on it */
        uint64_t hits, stores, refused;
        chanval_cache_counts(s, &hits, &stores, &refused);
        fprintf(stderr,
                "chanval: cache: %" PRIu64 " entries used, %" PRIu64 " stored, %" PRIu64
                " refused (corrupt or foreign)\n",
                hits, stores, refused);
    }
    if (io_failed)
        rc = EXIT_TROUBLE; /* chanval_exit_code says so too: never less */
    chanval_session_free(s);
    return rc;
}

/* For pack and dump the report goes to stderr, and only with findings or
 * a path that could not be read or written. */
static bool report_findings(chanval_session *s, const opts *o)
{
    if (chanval_error_count(s) == 0 && chanval_warning_count(s) == 0 &&
        chanval_io_error_count(s) == 0)
        return true;
    return emit_one(s, o, o->reports[0].format, stderr, NULL);
}

int cmd_pack(const opts *o, int argc, char **argv)
{
    if (argc != 1 || !o->output) {
        usage_error("usage: chanval pack [OPTIONS] SOURCE -o OUT");
        return EXIT_TROUBLE;
    }
    int rc;
    chanval_session *s = cli_setup_writing(o, argc, argv, &rc);
    if (!s)
        return rc;
    uint8_t *bytes = NULL;
    size_t len = 0;
    chanval_status st = chanval_pack_path(s, argv[0], &bytes, &len);
    if (st != CHANVAL_OK) {
        rc = cli_trouble(s, st);
        chanval_session_free(s);
        return rc;
    }
    rc = chanval_exit_code(s);
    if (bytes && rc == 0) {
        char why[512];
        if (chanval_write_output(s, o->output, bytes, len, why, sizeof why) != CHANVAL_OK) {
            /* the report, written after, states exit 2 and names OUT */
            chanval_record_io_error(s, o->output, why);
            if (o->reports[0].format != CHANVAL_FORMAT_TEXT)
                cli_error("%s", why);
            rc = EXIT_TROUBLE;
        }
    } else if (rc == 0) {
        rc = EXIT_FINDINGS;
    }
    bool reported = report_findings(s, o);
    chanval_free(bytes);
    chanval_session_free(s);
    return reported ? rc : EXIT_TROUBLE;
}

int cmd_dump(const opts *o, int argc, char **argv)
{
    if (argc != 1) {
        usage_error("usage: chanval dump [OPTIONS] FILE");
        return EXIT_TROUBLE;
    }
    int rc;
    chanval_session *s = cli_setup_writing(o, argc, argv, &rc);
    if (!s)
        return rc;
    char *xml = NULL;
    size_t len = 0;
    chanval_status st = chanval_dump_path(s, argv[0], &xml, &len);
    if (st != CHANVAL_OK) {
        rc = cli_trouble(s, st);
    } else if (!xml) {
        report_findings(s, o); /* only a failed dump reports: dump is no check */
        cli_error("'%s' cannot be dumped: its container is not sound", argv[0]);
        rc = EXIT_FINDINGS;
    } else if (o->output) {
        char why[512];
        rc = EXIT_CLEAN;
        if (chanval_write_output(s, o->output, xml, len, why, sizeof why) != CHANVAL_OK) {
            cli_error("%s", why);
            rc = EXIT_TROUBLE;
        }
    } else if (fwrite(xml, 1, len, stdout) != len || fflush(stdout) != 0) {
        cli_error("cannot write: %s", strerror(errno));
        rc = EXIT_TROUBLE;
    } else {
        rc = EXIT_CLEAN;
    }
    chanval_free(xml);
    chanval_session_free(s);
    return rc;
}

int cmd_diff(const opts *o, int argc, char **argv)
{
    if (argc != 2) {
        usage_error("usage: chanval diff [OPTIONS] OLD NEW");
        return EXIT_TROUBLE;
    }
    int rc;
    chanval_session *s = cli_setup_writing(o, argc, argv, &rc);
    if (!s)
        return rc;
    chanval_status st = chanval_diff_paths(s, argv[0], argv[1]);
    if (st != CHANVAL_OK)
        rc = cli_trouble(s, st);
    else
        rc = cli_emit_reports(s, o, stdout) ? chanval_exit_code(s) : EXIT_TROUBLE;
    chanval_session_free(s);
    return rc;
}
