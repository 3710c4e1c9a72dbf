/* main.c - the chanval command: a thin layer over the public API. */
#define _GNU_SOURCE
#include "chanval.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { EXIT_CLEAN = 0, EXIT_FINDINGS = 1, EXIT_TROUBLE = 2 };

static const char usage_text[] =
    "usage: chanval check [OPTIONS] FILE...      validate; the kind of each FILE is\n"
    "                                           detected from its content\n"
    "       chanval pack  [OPTIONS] SOURCE -o OUT\n"
    "                                           validate a channel source, then write\n"
    "                                           the channel file\n"
    "       chanval dump  [OPTIONS] FILE        print a channel file as channel source XML\n"
    "       chanval rules                       list every rule\n"
    "       chanval explain RULE                what a rule means and how to fix it\n"
    "       chanval --help | --version\n"
    "\n"
    "options:\n"
    "  -t, --types FILE       template types (repeatable)\n"
    "  -f, --fleet FILE       fleet manifest (repeatable)\n"
    "      --format FORMAT    report format: text (default) or json\n"
    "  -o, --output FILE      check: the report; pack: the channel file; dump: the XML\n"
    "                         (written to a temporary file, then renamed over FILE)\n"
    "      --strict           warnings count as errors\n"
    "  -q, --quiet            report errors only\n"
    "      --color WHEN       auto (default: on a terminal, unless NO_COLOR is set),\n"
    "                         always or never\n";

static const char exit_text[] =
    "\n"
    "exit status: 0 no errors; 1 errors found (or warnings with --strict);\n"
    "             2 chanval could not do its job (usage, I/O, out of memory)\n";

static void usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "chanval: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\nTry 'chanval --help' for more information.\n");
    va_end(ap);
}

static void print_help(void)
{
    fputs(usage_text, stdout);
    for (int i = 0; i < CHANVAL_LIMIT_COUNT; i++) {
        const chanval_limit_info *li = chanval_limit_describe((chanval_limit)i);
        char opt[40];
        snprintf(opt, sizeof opt, "--%s N", li->option);
        printf("      %-22s %s [%" PRIu64 "]\n", opt, li->description, li->default_value);
    }
    fputs(exit_text, stdout);
}

static int cmd_rules(void)
{
    for (size_t i = 0; i < chanval_rule_count(); i++) {
        const chanval_rule *r = chanval_rule_at(i);
        printf("CV%03u  %-3s  %-32s %s\n", r->id, r->severity, r->name, r->summary);
    }
    return EXIT_CLEAN;
}

/* Print text wrapped at 76 columns: the first line starts with `lead`,
 * the others are indented to match it. */
static void wrap(const char *text, const char *lead)
{
    size_t indent = strlen(lead), col = 0;
    const char *p = text;
    fputs(lead, stdout);
    col = indent;
    bool first = true;
    while (*p) {
        while (*p == ' ')
            p++;
        size_t w = strcspn(p, " ");
        if (w == 0)
            break;
        if (!first && col + 1 + w > 76) {
            printf("\n%*s", (int)indent, "");
            col = indent;
        } else if (!first) {
            putchar(' ');
            col++;
        }
        fwrite(p, 1, w, stdout);
        col += w;
        p += w;
        first = false;
    }
    putchar('\n');
}

static int cmd_explain(int argc, char **argv)
{
    if (argc != 1) {
        usage_error("%s", "explain takes one rule ID, e.g. 'chanval explain CV400'");
        return EXIT_TROUBLE;
    }
    const chanval_rule *r = chanval_rule_find(argv[0]);
    if (!r) {
        usage_error("unknown rule '%s'; 'chanval rules' lists them", argv[0]);
        return EXIT_TROUBLE;
    }
    const char *sev = strcmp(r->severity, "E") == 0   ? "error"
                      : strcmp(r->severity, "W") == 0 ? "warning"
                                                      : "warning or error";
    printf("CV%03u %s (%s)\n\n", r->id, r->name, sev);
    wrap(r->summary, "  Fires when: ");
    putchar('\n');
    wrap(r->explanation, "  ");
    return EXIT_CLEAN;
}

typedef struct opts {
    const char **types, **fleets;
    size_t ntypes, nfleets;
    chanval_format format;
    const char *output;
    bool strict, quiet;
    int color; /* -1 auto, 0 never, 1 always */
    uint64_t limits[CHANVAL_LIMIT_COUNT];
    bool limit_set[CHANVAL_LIMIT_COUNT];
} opts;

static bool parse_u64(const char *s, uint64_t *out)
{
    if (!*s || *s == '-' || *s == '+')
        return false;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end)
        return false;
    *out = v;
    return true;
}

static bool push(const char ***list, size_t *n, const char *v)
{
    const char **p = realloc(*list, (*n + 1) * sizeof **list);
    if (!p)
        return false;
    p[(*n)++] = v;
    *list = p;
    return true;
}

/* Returns the index of the first operand, or -1 after a usage error. */
static int parse_options(int argc, char **argv, opts *o)
{
    enum { O_FORMAT = 256, O_STRICT, O_COLOR, O_LIMIT };
    struct option longs[16 + CHANVAL_LIMIT_COUNT];
    int n = 0;
    longs[n++] = (struct option){"types", required_argument, NULL, 't'};
    longs[n++] = (struct option){"fleet", required_argument, NULL, 'f'};
    longs[n++] = (struct option){"format", required_argument, NULL, O_FORMAT};
    longs[n++] = (struct option){"output", required_argument, NULL, 'o'};
    longs[n++] = (struct option){"strict", no_argument, NULL, O_STRICT};
    longs[n++] = (struct option){"quiet", no_argument, NULL, 'q'};
    longs[n++] = (struct option){"color", required_argument, NULL, O_COLOR};
    for (int i = 0; i < CHANVAL_LIMIT_COUNT; i++)
        longs[n++] = (struct option){chanval_limit_describe((chanval_limit)i)->option,
                                     required_argument, NULL, O_LIMIT + i};
    longs[n] = (struct option){NULL, 0, NULL, 0};
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":t:f:o:q", longs, NULL)) != -1) {
        switch (c) {
        case 't':
            if (!push(&o->types, &o->ntypes, optarg))
                return -1;
            break;
        case 'f':
            if (!push(&o->fleets, &o->nfleets, optarg))
                return -1;
            break;
        case 'o':
            o->output = optarg;
            break;
        case 'q':
            o->quiet = true;
            break;
        case O_FORMAT:
            if (!chanval_format_parse(optarg, &o->format)) {
                usage_error("unknown format '%s'; formats: text, json", optarg);
                return -1;
            }
            break;
        case O_STRICT:
            o->strict = true;
            break;
        case O_COLOR:
            if (strcmp(optarg, "auto") == 0)
                o->color = -1;
            else if (strcmp(optarg, "always") == 0)
                o->color = 1;
            else if (strcmp(optarg, "never") == 0)
                o->color = 0;
            else {
                usage_error("--color takes auto, always or never, not '%s'", optarg);
                return -1;
            }
            break;
        case ':':
            usage_error("option '%s' needs a value", argv[optind - 1]);
            return -1;
        case '?':
            usage_error("unknown option '%s'", argv[optind - 1]);
            return -1;
        default:
            if (c >= O_LIMIT && c < O_LIMIT + CHANVAL_LIMIT_COUNT) {
                int i = c - O_LIMIT;
                if (!parse_u64(optarg, &o->limits[i])) {
                    usage_error("'%s' is not a number", optarg);
                    return -1;
                }
                o->limit_set[i] = true;
            }
            break;
        }
    }
    return optind;
}

static unsigned report_flags(const opts *o, FILE *stream)
{
    unsigned f = o->quiet ? CHANVAL_REPORT_QUIET : 0;
    bool color = o->color == 1 ||
                 (o->color == -1 && !getenv("NO_COLOR") && !o->output && isatty(fileno(stream)));
    if (color && o->format == CHANVAL_FORMAT_TEXT)
        f |= CHANVAL_REPORT_COLOR;
    return f;
}

/* Load the world (-t, then -f); exit status on trouble, else -1. */
static int setup(chanval_session *s, const opts *o)
{
    chanval_set_strict(s, o->strict);
    for (int i = 0; i < CHANVAL_LIMIT_COUNT; i++)
        if (o->limit_set[i] && chanval_set_limit(s, (chanval_limit)i, o->limits[i]) != CHANVAL_OK) {
            usage_error("%s", chanval_last_error(s));
            return EXIT_TROUBLE;
        }
    return -1;
}

static int trouble(chanval_session *s, chanval_status st)
{
    if (st == CHANVAL_ERR_NOMEM)
        fprintf(stderr, "chanval: error: out of memory\n");
    else
        fprintf(stderr, "chanval: error: %s\n", chanval_last_error(s));
    return EXIT_TROUBLE;
}

static int load_world(chanval_session *s, const opts *o, bool *io_failed)
{
    for (size_t i = 0; i < o->ntypes; i++) {
        chanval_status st = chanval_add_types(s, o->types[i]);
        if (st == CHANVAL_ERR_NOMEM)
            return trouble(s, st);
        if (st != CHANVAL_OK) {
            trouble(s, st);
            *io_failed = true;
        }
    }
    for (size_t i = 0; i < o->nfleets; i++) {
        chanval_status st = chanval_add_fleet(s, o->fleets[i]);
        if (st == CHANVAL_ERR_NOMEM)
            return trouble(s, st);
        if (st != CHANVAL_OK) {
            trouble(s, st);
            *io_failed = true;
        }
    }
    return -1;
}

/* Print (or write) the report; returns false on failure. */
static bool emit_report(chanval_session *s, const opts *o, FILE *stream, const char *path)
{
    char *text = NULL;
    size_t len = 0;
    if (chanval_render(s, o->format, report_flags(o, stream), &text, &len) != CHANVAL_OK) {
        fprintf(stderr, "chanval: error: out of memory\n");
        return false;
    }
    bool ok = true;
    if (path) {
        char why[512];
        if (chanval_write_file(path, text, len, why, sizeof why) != CHANVAL_OK) {
            fprintf(stderr, "chanval: error: %s\n", why);
            ok = false;
        }
    } else if (fwrite(text, 1, len, stream) != len || fflush(stream) != 0) {
        fprintf(stderr, "chanval: error: cannot write the report: %s\n", strerror(errno));
        ok = false;
    }
    chanval_free(text);
    return ok;
}

static int cmd_check(chanval_session *s, const opts *o, int argc, char **argv)
{
    if (argc == 0 && o->ntypes == 0 && o->nfleets == 0) {
        usage_error("%s", "check needs a FILE, or -t/-f documents to validate");
        return EXIT_TROUBLE;
    }
    bool io_failed = false;
    int r = load_world(s, o, &io_failed);
    if (r >= 0)
        return r;
    for (int i = 0; i < argc; i++) {
        chanval_status st = chanval_check_path(s, argv[i]);
        if (st == CHANVAL_ERR_NOMEM)
            return trouble(s, st);
        if (st != CHANVAL_OK) {
            trouble(s, st);
            io_failed = true;
        }
    }
    if (argc == 0) {
        chanval_status st = chanval_check_world(s);
        if (st != CHANVAL_OK)
            return trouble(s, st);
    }
    if (!emit_report(s, o, stdout, o->output))
        return EXIT_TROUBLE;
    return io_failed ? EXIT_TROUBLE : chanval_exit_code(s);
}

/* For pack and dump the report goes to stderr, and only with findings. */
static bool report_findings(chanval_session *s, const opts *o)
{
    if (chanval_error_count(s) == 0 && chanval_warning_count(s) == 0)
        return true;
    opts ro = *o;
    ro.output = NULL;
    return emit_report(s, &ro, stderr, NULL);
}

static int cmd_pack(chanval_session *s, const opts *o, int argc, char **argv)
{
    if (argc != 1 || !o->output) {
        usage_error("%s", "usage: chanval pack [OPTIONS] SOURCE -o OUT");
        return EXIT_TROUBLE;
    }
    bool io_failed = false;
    int r = load_world(s, o, &io_failed);
    if (r >= 0)
        return r;
    if (io_failed)
        return EXIT_TROUBLE;
    uint8_t *bytes = NULL;
    size_t len = 0;
    chanval_status st = chanval_pack_path(s, argv[0], &bytes, &len);
    if (st != CHANVAL_OK)
        return trouble(s, st);
    bool reported = report_findings(s, o);
    int rc = chanval_exit_code(s);
    if (bytes && rc == 0) {
        char why[512];
        if (chanval_write_file(o->output, bytes, len, why, sizeof why) != CHANVAL_OK) {
            fprintf(stderr, "chanval: error: %s\n", why);
            rc = EXIT_TROUBLE;
        }
    } else if (rc == 0) {
        rc = EXIT_FINDINGS;
    }
    chanval_free(bytes);
    return reported ? rc : EXIT_TROUBLE;
}

static int cmd_dump(chanval_session *s, const opts *o, int argc, char **argv)
{
    if (argc != 1) {
        usage_error("%s", "usage: chanval dump [OPTIONS] FILE");
        return EXIT_TROUBLE;
    }
    bool io_failed = false;
    int r = load_world(s, o, &io_failed);
    if (r >= 0)
        return r;
    if (io_failed)
        return EXIT_TROUBLE;
    char *xml = NULL;
    size_t len = 0;
    chanval_status st = chanval_dump_path(s, argv[0], &xml, &len);
    if (st != CHANVAL_OK)
        return trouble(s, st);
    int rc = EXIT_CLEAN;
    if (!xml) {
        report_findings(s, o); /* only a failed dump reports: dump is no check */
        fprintf(stderr, "chanval: error: '%s' cannot be dumped: its container is not sound\n",
                argv[0]);
        return EXIT_FINDINGS;
    }
    if (o->output) {
        char why[512];
        if (chanval_write_file(o->output, xml, len, why, sizeof why) != CHANVAL_OK) {
            fprintf(stderr, "chanval: error: %s\n", why);
            rc = EXIT_TROUBLE;
        }
    } else if (fwrite(xml, 1, len, stdout) != len || fflush(stdout) != 0) {
        fprintf(stderr, "chanval: error: cannot write: %s\n", strerror(errno));
        rc = EXIT_TROUBLE;
    }
    chanval_free(xml);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage_error("%s", "missing command");
        return EXIT_TROUBLE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        print_help();
        return EXIT_CLEAN;
    }
    if (strcmp(cmd, "--version") == 0) {
        printf("chanval %s (%s)\n", CHANVAL_VERSION, chanval_dependency_versions());
        return EXIT_CLEAN;
    }
    if (strcmp(cmd, "rules") == 0) {
        if (argc != 2) {
            usage_error("%s", "rules takes no arguments");
            return EXIT_TROUBLE;
        }
        return cmd_rules();
    }
    if (strcmp(cmd, "explain") == 0)
        return cmd_explain(argc - 2, argv + 2);
    int (*run)(chanval_session *, const opts *, int, char **) =
        strcmp(cmd, "check") == 0  ? cmd_check
        : strcmp(cmd, "pack") == 0 ? cmd_pack
        : strcmp(cmd, "dump") == 0 ? cmd_dump
                                   : NULL;
    if (!run) {
        usage_error("unknown command '%s'", cmd);
        return EXIT_TROUBLE;
    }
    opts o = {.color = -1};
    int first = parse_options(argc - 1, argv + 1, &o);
    int rc = EXIT_TROUBLE;
    if (first >= 0) {
        chanval_session *s = chanval_session_new();
        if (!s) {
            fprintf(stderr, "chanval: error: out of memory\n");
        } else {
            rc = setup(s, &o);
            if (rc < 0)
                rc = run(s, &o, argc - 1 - first, argv + 1 + first);
            chanval_session_free(s);
        }
    }
    free(o.types);
    free(o.fleets);
    return rc;
}
