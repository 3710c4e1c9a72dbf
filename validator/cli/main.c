/* main.c - the chanval command: options and dispatch.  It uses only the
 * public API (chanval.h). */
#define _GNU_SOURCE /* getopt_long */
#include "cli/cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

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

/* A byte offset: decimal, or hex after 0x. */
static bool parse_offset(const char *s, const char *end, uint64_t *out)
{
    char buf[32];
    size_t n = (size_t)(end - s);
    if (n == 0 || n >= sizeof buf)
        return false;
    memcpy(buf, s, n);
    buf[n] = '\0';
    bool hex = n > 2 && buf[0] == '0' && (buf[1] == 'x' || buf[1] == 'X');
    if (!hex)
        return parse_u64(buf, out);
    errno = 0;
    char *stop;
    if (buf[2] == '-' || buf[2] == '+' || buf[2] == ' ')
        return false;
    unsigned long long v = strtoull(buf + 2, &stop, 16);
    if (errno || *stop)
        return false;
    *out = v;
    return true;
}

/* --range START:END or START+LENGTH */
static bool parse_range(const char *arg, opts *o)
{
    const char *sep = strpbrk(arg, ":+");
    uint64_t a, b;
    if (!sep || !parse_offset(arg, sep, &a) || !parse_offset(sep + 1, sep + strlen(sep), &b))
        return false;
    if (*sep == '+') {
        if (b > UINT64_MAX - a)
            return false;
        b += a;
    }
    o->has_range = true;
    o->range_start = a;
    o->range_end = b;
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

enum {
    O_FORMAT = 256,
    O_STRICT,
    O_COLOR,
    O_CONFIG,
    O_NO_CONFIG,
    O_BASELINE,
    O_WRITE_BASELINE,
    O_MAX_GROWTH,
    O_THREADS,
    O_ALLOW_EMPTY,
    O_SARIF_CATEGORY,
    O_SKIP_FOREIGN,
    O_CACHE,
    O_CACHE_DIR,
    O_NO_CACHE,
    O_CONTEXT,
    O_ALL,
    O_RANGE,
    O_INSTANCE,
    O_BENIGN,
    O_SENSOR,
    O_MIN_COVERAGE,
    O_SHARD,
    O_PLAIN,
    O_LIMIT /* last: one per limit from here on */
};

/* --format FMT[=FILE]: one more report of the run. */
static bool take_format(const char *arg, opts *o)
{
    const char *eq = strchr(arg, '=');
    size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
    char name[32];
    chanval_format f;
    if (len >= sizeof name || (memcpy(name, arg, len), name[len] = '\0', false) ||
        !chanval_format_parse(name, &f)) {
        usage_error("unknown format '%.*s'; formats: %s", (int)(len < 64 ? len : 64), arg,
                    chanval_format_names());
        return false;
    }
    if (eq && !eq[1]) {
        usage_error("--format %s= names no file", name);
        return false;
    }
    if (o->nreports == CLI_MAX_REPORTS) {
        usage_error("at most %d reports in one run", CLI_MAX_REPORTS);
        return false;
    }
    o->reports[o->nreports++] = (report_out){f, eq ? eq + 1 : NULL};
    o->last_format_open = !eq;
    return true;
}

/* After the options: a lone -o names the file of the one report without
 * one (or of the text report), and no two reports share standard output
 * or a file. */
static bool settle_reports(opts *o)
{
    if (o->writes_file) {
        if (o->nreports > 1 || (o->nreports == 1 && o->reports[0].path)) {
            usage_error("pack and dump write one report, to standard error: --format FMT "
                        "without a file");
            return false;
        }
    } else if (o->output) {
        size_t open = 0, at = 0;
        for (size_t i = 0; i < o->nreports; i++)
            if (!o->reports[i].path) {
                open++;
                at = i;
            }
        if (o->nreports == 0)
            o->reports[o->nreports++] = (report_out){CHANVAL_FORMAT_TEXT, o->output};
        else if (open == 1)
            o->reports[at].path = o->output;
        else {
            usage_error("-o '%s' names the file of which report? Write --format FMT=FILE", o->output);
            return false;
        }
        o->output = NULL;
    }
    if (o->nreports == 0)
        o->reports[o->nreports++] = (report_out){CHANVAL_FORMAT_TEXT, NULL};
    for (size_t i = 0; i < o->nreports; i++)
        for (size_t j = i + 1; j < o->nreports; j++) {
            const char *a = o->reports[i].path, *b = o->reports[j].path;
            if (!a && !b) {
                usage_error("two reports on standard output (%s and %s): give one of them a "
                            "file, --format FMT=FILE",
                            chanval_format_name(o->reports[i].format),
                            chanval_format_name(o->reports[j].format));
                return false;
            }
            if (a && b && cli_same_file(a, b)) {
                usage_error("two reports written to one file, '%s'", b);
                return false;
            }
        }
    return true;
}

/* Returns the index of the first operand, or -1 after a usage error.
 * Options may come before or after the operands. */
/* One option of getopt_long (c, with optarg); false on a usage error
 * (reported). */
static bool take_option(int c, char **argv, opts *o)
{
    uint64_t v;
    switch (c) {
    case 't':
        if (!push(&o->types, &o->ntypes, optarg))
            return false;
        break;
    case 'f':
        if (!push(&o->fleets, &o->nfleets, optarg))
            return false;
        break;
    case 'o':
        if (!o->writes_file && o->last_format_open) {
            o->reports[o->nreports - 1].path = optarg; /* --format FMT -o FILE */
            o->last_format_open = false;
        } else if (o->output) {
            usage_error("-o is given twice ('%s', then '%s'); for several reports, use "
                        "--format FMT=FILE for each",
                        o->output, optarg);
            return false;
        } else {
            o->output = optarg;
        }
        break;
    case O_ALLOW_EMPTY:
        o->allow_empty = true;
        break;
    case 'q':
        o->quiet = true;
        break;
    case 'v':
        o->verbose = true;
        break;
    case 'j':
        if (!parse_u64(optarg, &v) || v < 1 || v > 256) {
            usage_error("-j takes a number of jobs from 1 to 256, not '%s'", optarg);
            return false;
        }
        o->jobs = (unsigned)v;
        break;
    case O_FORMAT:
        if (!take_format(optarg, o))
            return false;
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
            return false;
        }
        break;
    case O_CONFIG:
        o->config = optarg;
        break;
    case O_NO_CONFIG:
        o->no_config = true;
        break;
    case O_BASELINE:
        o->baseline = optarg;
        break;
    case O_WRITE_BASELINE:
        o->write_baseline = optarg;
        break;
    case O_MAX_GROWTH:
        if (!parse_u64(optarg, &o->max_growth)) {
            usage_error("--max-growth takes a percentage, not '%s'", optarg);
            return false;
        }
        o->max_growth_set = true;
        break;
    case O_CACHE:
        o->cache = true;
        break;
    case O_CACHE_DIR:
        o->cache = true;
        o->cache_dir = optarg;
        break;
    case O_NO_CACHE:
        o->no_cache = true;
        break;
    case O_SKIP_FOREIGN:
        o->skip_foreign = true;
        break;
    case O_SARIF_CATEGORY:
        o->sarif_category = optarg;
        break;
    case O_CONTEXT: {
        uint64_t n = 2;
        if (optarg && (!parse_u64(optarg, &n) || n > 16)) {
            usage_error("--context=%s: lines of context are 0 to 16", optarg);
            return false;
        }
        o->context = (int)n;
        break;
    }
    case O_ALL:
        o->view_all = true;
        break;
    case O_RANGE:
        if (!parse_range(optarg, o)) {
            usage_error("--range %s: give START:END or START+LENGTH, in bytes (0x for hex)",
                        optarg);
            return false;
        }
        break;
    case O_INSTANCE: {
        uint64_t id;
        if (!parse_u64(optarg, &id) || id == 0 || id > UINT32_MAX) {
            usage_error("--instance %s: an instance id is 1 to 4294967295", optarg);
            return false;
        }
        o->has_instance = true;
        o->instance = (uint32_t)id;
        break;
    }
    case O_BENIGN:
        if (!push(&o->benign, &o->nbenign, optarg))
            return false;
        break;
    case O_SENSOR:
        if (!push(&o->sensors, &o->nsensors, optarg))
            return false;
        break;
    case O_MIN_COVERAGE: {
        char *end = NULL;
        errno = 0;
        double d = strtod(optarg, &end);
        if (errno != 0 || end == optarg || *end != '\0' || !(d >= 0.0 && d <= 100.0)) {
            usage_error("--min-coverage takes a percentage from 0 to 100, not '%s'", optarg);
            return false;
        }
        o->min_coverage = d;
        o->min_coverage_set = true;
        break;
    }
    case O_SHARD: {
        const char *slash = strchr(optarg, '/');
        uint64_t i = 0, n = 0;
        char head[24];
        size_t hl = slash ? (size_t)(slash - optarg) : 0;
        if (slash && hl < sizeof head) {
            memcpy(head, optarg, hl);
            head[hl] = '\0';
        }
        if (!slash || hl >= sizeof head || !parse_u64(head, &i) || !parse_u64(slash + 1, &n) ||
            n < 1 || n > 65536 || i < 1 || i > n) {
            usage_error("--shard takes I/N with 1 <= I <= N <= 65536, not '%s'", optarg);
            return false;
        }
        o->shard = (unsigned)i;
        o->shards = (unsigned)n;
        break;
    }
    case O_PLAIN:
        o->plain = true;
        break;
    case O_THREADS:
        if (!parse_u64(optarg, &v) || v < 1 || v > 64) {
            usage_error("--threads takes a number of threads from 1 to 64, not '%s'", optarg);
            return false;
        }
        o->threads = (unsigned)v;
        break;
    case ':':
        usage_error("option '%s' needs a value", argv[optind - 1]);
        return false;
    case '?':
        usage_error("unknown option '%s'", argv[optind - 1]);
        return false;
    default:
        if (c >= O_LIMIT && c < O_LIMIT + CHANVAL_LIMIT_COUNT) {
            int i = c - O_LIMIT;
            if (!parse_u64(optarg, &o->limits[i])) {
                usage_error("'%s' is not a number", optarg);
                return false;
            }
            o->limit_set[i] = true;
        }
        break;
    }
    return true;
}

static int parse_options(int argc, char **argv, opts *o)
{
    struct option longs[31 + CHANVAL_LIMIT_COUNT] = {
        {"types", required_argument, NULL, 't'},
        {"fleet", required_argument, NULL, 'f'},
        {"format", required_argument, NULL, O_FORMAT},
        {"output", required_argument, NULL, 'o'},
        {"strict", no_argument, NULL, O_STRICT},
        {"quiet", no_argument, NULL, 'q'},
        {"verbose", no_argument, NULL, 'v'},
        {"color", required_argument, NULL, O_COLOR},
        {"jobs", required_argument, NULL, 'j'},
        {"config", required_argument, NULL, O_CONFIG},
        {"no-config", no_argument, NULL, O_NO_CONFIG},
        {"baseline", required_argument, NULL, O_BASELINE},
        {"write-baseline", required_argument, NULL, O_WRITE_BASELINE},
        {"max-growth", required_argument, NULL, O_MAX_GROWTH},
        {"threads", required_argument, NULL, O_THREADS},
        {"allow-empty", no_argument, NULL, O_ALLOW_EMPTY},
        {"sarif-category", required_argument, NULL, O_SARIF_CATEGORY},
        {"skip-foreign", no_argument, NULL, O_SKIP_FOREIGN},
        {"cache", no_argument, NULL, O_CACHE},
        {"cache-dir", required_argument, NULL, O_CACHE_DIR},
        {"no-cache", no_argument, NULL, O_NO_CACHE},
        {"context", optional_argument, NULL, O_CONTEXT},
        {"all", no_argument, NULL, O_ALL},
        {"range", required_argument, NULL, O_RANGE},
        {"instance", required_argument, NULL, O_INSTANCE},
        {"benign", required_argument, NULL, O_BENIGN},
        {"sensor", required_argument, NULL, O_SENSOR},
        {"min-coverage", required_argument, NULL, O_MIN_COVERAGE},
        {"shard", required_argument, NULL, O_SHARD},
        {"plain", no_argument, NULL, O_PLAIN},
    };
    int n = 30;
    for (int i = 0; i < CHANVAL_LIMIT_COUNT; i++)
        longs[n++] = (struct option){chanval_limit_describe((chanval_limit)i)->option,
                                     required_argument, NULL, O_LIMIT + i};
    longs[n] = (struct option){NULL, 0, NULL, 0};
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":t:f:o:qvj:", longs, NULL)) != -1) {
        if (!take_option(c, argv, o))
            return -1;
    }
    return settle_reports(o) ? optind : -1;
}

/* Standard input can be read once: "-" named twice (as operands, -t, -f,
 * --baseline or --config) would check it once and the rest as empty or not
 * at all, so it is a usage error, not a file loaded once. */
static bool stdin_named_once(const opts *o, int argc, char **argv)
{
    size_t n = 0;
    for (size_t i = 0; i < o->ntypes; i++)
        n += strcmp(o->types[i], "-") == 0;
    for (size_t i = 0; i < o->nfleets; i++)
        n += strcmp(o->fleets[i], "-") == 0;
    for (int i = 0; i < argc; i++)
        n += strcmp(argv[i], "-") == 0;
    for (size_t i = 0; i < o->nbenign; i++)
        n += strcmp(o->benign[i], "-") == 0;
    n += o->baseline && strcmp(o->baseline, "-") == 0;
    n += o->config && strcmp(o->config, "-") == 0;
    if (n > 1) {
        usage_error("standard input ('-') is named %zu times; it can be read only once", n);
        return false;
    }
    return true;
}

int main(int argc, char **argv)
{
    cli_guard_sigbus();
    cli_guard_stop();
    if (argc < 2) {
        usage_error("missing command");
        return EXIT_TROUBLE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        print_help();
        return EXIT_CLEAN;
    }
    if (strcmp(cmd, "--version") == 0) {
        printf("chanval %s (%s)\n", CHANVAL_VERSION, chanval_dependency_versions());
        return EXIT_CLEAN;
    }
    if (strcmp(cmd, "help") == 0)
        return cmd_help(argc - 2, argv + 2);
    if (strcmp(cmd, "rules") == 0)
        return cmd_rules(argc - 2, argv + 2);
    if (strcmp(cmd, "explain") == 0)
        return cmd_explain(argc - 2, argv + 2);
    int (*run)(const opts *, int, char **) = strcmp(cmd, "check") == 0  ? cmd_check
                                             : strcmp(cmd, "pack") == 0 ? cmd_pack
                                             : strcmp(cmd, "dump") == 0 ? cmd_dump
                                             : strcmp(cmd, "diff") == 0 ? cmd_diff
                                             : strcmp(cmd, "view") == 0 ? cmd_view
                                             : strcmp(cmd, "test") == 0 ? cmd_test
                                             : strcmp(cmd, "merge") == 0 ? cmd_merge
                                                                        : NULL;
    if (!run) {
        usage_error("unknown command '%s'", cmd);
        return EXIT_TROUBLE;
    }
    opts o = {.color = -1, .context = -1, .writes_file = run == cmd_pack || run == cmd_dump};
    int first = parse_options(argc - 1, argv + 1, &o);
    if (first >= 0 && run != cmd_test && cli_test_options(&o)) {
        usage_error("--benign, --sensor, --min-coverage, --shard and --plain are options of "
                    "chanval test");
        first = -1;
    }
    int rc = first < 0 || !stdin_named_once(&o, argc - 1 - first, argv + 1 + first)
                 ? EXIT_TROUBLE
                 : run(&o, argc - 1 - first, argv + 1 + first);
    free(o.types);
    free(o.fleets);
    free(o.benign);
    free(o.sensors);
    return rc;
}
