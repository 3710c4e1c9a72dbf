/* help.c - chanval --help, help COMMAND, rules, explain. */
#include "cli/cli.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <string.h>

static const char usage_text[] =
    "usage: chanval check [OPTIONS] [FILE|DIR]...  validate files (kind told by content);\n"
    "                                             directories are walked\n"
    "       chanval pack  [OPTIONS] SOURCE -o OUT  validate a channel source, write the file\n"
    "       chanval dump  [OPTIONS] FILE           print a channel file as channel source XML\n"
    "       chanval diff  [OPTIONS] OLD NEW        what an update changes; release checks\n"
    "       chanval view  [OPTIONS] FILE...        annotated hex view, findings under their bytes\n"
    "       chanval test  [OPTIONS] TESTS...       run content against events on every sensor\n"
    "       chanval merge [OPTIONS] REPORT.json... the report of one run from its shards' reports\n"
    "       chanval rules [--format F]             list every rule (text, json, markdown)\n"
    "       chanval explain RULE                   what a rule means and how to fix it\n"
    "       chanval help [COMMAND]                 this, or one command in detail\n"
    "       chanval --help | --version\n";

static const char options_text[] =
    "\n"
    "options:\n"
    "  -t, --types FILE         template types (repeatable)\n"
    "  -f, --fleet FILE         fleet manifest (repeatable)\n"
    "      --format FMT[=FILE]  text (default), json, sarif, junit, github, codequality,\n"
    "                           gnu (FILE:LINE:COLUMN: for editors, binaries too),\n"
    "                           html (one self-contained page, the bytes of each finding);\n"
    "                           repeatable: one run writes every report, each to its\n"
    "                           FILE (at most one to standard output)\n"
    "  -o, --output FILE        check, diff: the file of the --format just before it, or\n"
    "                           of the only one; pack: the channel file; dump: the XML\n"
    "                           (a temporary file, then renamed over FILE; a device or\n"
    "                           FIFO is written into; an input is never overwritten)\n"
    "      --sarif-category NAME  SARIF: the category code scanning files this run's\n"
    "                           alerts under (runs[0].automationDetails.id \"NAME/\")\n"
    "      --strict             warnings count as errors\n"
    "  -q, --quiet              report errors only (nothing at all when there are none)\n"
    "  -v, --verbose            text: also name every file checked, its size and SHA-256\n"
    "      --color WHEN         auto (on a terminal, unless NO_COLOR is non-empty or\n"
    "                           TERM=dumb), always, never\n"
    "      --context[=N]        text: under each finding its bytes or source line;\n"
    "                           view, html: N lines each side [2]\n"
    "      --all                view: the whole file (at most 16 MiB)\n"
    "      --range A:B|A+N      view: bytes [A, B) or N bytes from A (0x for hex)\n"
    "      --instance ID        view: the record of this instance\n"
    "  -j, --jobs N             check N files at a time; test: N threads per corpus\n"
    "                           (default 1)\n"
    "      --benign FILE        test: known-good events (JSON Lines); repeatable\n"
    "      --sensor VERSION     test: run every event on exactly these sensors; repeatable\n"
    "      --min-coverage PCT   test: fail below this criterion coverage (CV706)\n"
    "      --shard I/N          test: evaluate only lines with (line - 1) % N == I - 1;\n"
    "                           chanval merge joins the shards' JSON reports\n"
    "      --plain              test: no equals index (every instance on every event)\n"
    "      --allow-empty        a directory with no content file is not an error\n"
    "      --cache              reuse results of earlier runs, kept in $XDG_CACHE_HOME/chanval\n"
    "                           (else ~/.cache/chanval): a file with the same bytes, name,\n"
    "                           world and settings is not checked again; each regex's\n"
    "                           cost is measured once (off by default)\n"
    "      --cache-dir DIR      --cache, kept in DIR\n"
    "      --no-cache           no cache, whatever else says so\n"
    "      --skip-foreign       a named file that is no chanval document (a pom.xml) is\n"
    "                           skipped, not CV203 (for hooks that pass every *.xml)\n"
    "      --threads N          threads measuring one file's regex costs\n"
    "                           (default: one per CPU, at most 8)\n"
    "      --config FILE        project configuration (default: the nearest .chanval.xml\n"
    "                           in this directory or above it)\n"
    "      --no-config          do not look for .chanval.xml\n"
    "      --baseline FILE      known findings: only new ones fail\n"
    "      --write-baseline FILE  write this run's findings as the baseline\n"
    "      --max-growth PERCENT diff: allowed growth of instances and bytes [100]\n";

static const char exit_text[] =
    "\n"
    "exit status: 0 no errors; 1 errors found (or warnings with --strict);\n"
    "             2 chanval could not do its job (usage, I/O, out of memory)\n";

void print_help(void)
{
    fputs(usage_text, stdout);
    fputs(options_text, stdout);
    for (int i = 0; i < CHANVAL_LIMIT_COUNT; i++) {
        const chanval_limit_info *li = chanval_limit_describe((chanval_limit)i);
        char opt[40];
        snprintf(opt, sizeof opt, "--%s N", li->option);
        printf("      %-22s %s [%" PRIu64 "]\n", opt, li->description, li->default_value);
    }
    fputs(exit_text, stdout);
}

static const struct {
    const char *name, *text;
} commands[] = {
    {"check",
     "usage: chanval check [OPTIONS] [FILE|DIR]...\n\n"
     "Validate channel files, channel sources, template types and fleet manifests; the kind\n"
     "of each file is told by its content; - is standard input (up to --max-bytes), which\n"
     "may be named once (- twice is a usage error, exit 2).\n"
     "Only regular files are read: a FIFO, device or socket is refused (exit 2).\n\n"
     "A directory is walked in sorted order; hidden entries are counted as skipped, not\n"
     "looked into, unless they have a content name (but not .chanval.xml). A file\n"
     "named *.bin, *.chnl or *.xml (or with an extension .chanval.xml adds) is checked\n"
     "whatever its bytes are, so a Git LFS pointer or an error page saved in its place\n"
     "fails; another file is checked if its bytes are content (a channel file, one of the\n"
     "three XML documents, anything that is not text) and skipped otherwise (counted in\n"
     "the summary; -v lists them). An entry that cannot be examined, a dangling link,\n"
     "and a directory that holds no content file are exit 2 (--allow-empty accepts an\n"
     "empty directory).\n\n"
     "A file larger than 1 MiB is mapped, not copied; if another process writes to it\n"
     "while it is checked, the run is exit 2 and no verdict or digest is given for it.\n\n"
     "With no FILE, the -t/-f documents alone are validated, and CV401 reports the\n"
     "fields each sensor does not supply.\n\n"
     "The world (-t, -f), limits, strictness, rule severities and the baseline may come\n"
     "from the project configuration, .chanval.xml (see formats/configuration.md).\n\n"
     "examples:\n"
     "  chanval check -t types.xml -f fleet.xml C-00000291.bin\n"
     "  chanval check -j 2 --format sarif=chanval.sarif --format junit=junit.xml content/\n"
     "  chanval check --write-baseline chanval-baseline.xml content/\n"},
    {"view",
     "usage: chanval view [OPTIONS] FILE...\n\n"
     "Check each FILE as chanval check does (same world, rules and exit code) and print\n"
     "an annotated hex view: each 16-byte line with its bytes coloured by the structure\n"
     "they belong to (header, digest, section table, STRINGS, TYPES, INSTANCES, record,\n"
     "criterion, payload, padding; bytes no structure claims on red), the structures the\n"
     "line starts named on its right, and each finding marked under its bytes. Without\n"
     "colour, a '|' before a byte marks where a structure starts. Files under 4 KiB are\n"
     "shown whole, larger ones around their findings; an XML document as its source\n"
     "lines with the findings marked.\n\n"
     "  --context N      lines each side of a finding (default 2, at most 16)\n"
     "  --all            the whole file (at most 16 MiB)\n"
     "  --range A:B      bytes [A, B), widened to whole lines; A+N: N bytes from A\n"
     "  --instance ID    the record of the instance with this id\n\n"
     "examples:\n"
     "  chanval view -t types.xml -f fleet.xml C-00000291.bin\n"
     "  chanval view -t types.xml --instance 17 C-00000291.bin | less -R\n"},
    {"test",
     "usage: chanval test [OPTIONS] TESTS...\n\n"
     "Run content against events, on every sensor of the fleet, as the endpoint's\n"
     "interpreter would (formats-v1 section 3): each sensor gets its own number of inputs,\n"
     "and where it would read past them the finding is a fault (CV703), not a read.\n"
     "TESTS are tests (*.test.jsonl: a first line naming the channel file or source, then\n"
     "one event per line with the instances that must fire or stay quiet), directories of\n"
     "them, or content to run over --benign events. Findings: CV700 an expectation that\n"
     "fails, CV701 an instance firing on a benign event (block: error, detect: warning),\n"
     "CV702/CV707 what the tests never exercised, CV703 a fault, CV704 an exhausted regex\n"
     "budget, CV705 an impossible event, CV706 coverage under --min-coverage, CV708\n"
     "content that cannot be loaded. See formats/tests.md.\n\n"
     "  --benign FILE     known-good events, JSON Lines (repeatable)\n"
     "  --sensor VERSION  run every event on exactly these sensors (repeatable)\n"
     "  --min-coverage P  fail when under P percent of criterion outcomes are covered\n"
     "  -j N              N threads per benign corpus (the report is the same for any N)\n"
     "  --shard I/N       only the lines (line - 1) % N == I - 1; join with chanval merge\n"
     "  --plain           run every instance on every event (measures the equals index)\n\n"
     "examples:\n"
     "  chanval test -t types.xml -f fleet.xml tests/\n"
     "  chanval test -t types.xml -f fleet.xml --sensor 7.11.18110 tests/cf291.test.jsonl\n"
     "  chanval test -t types.xml -f fleet.xml --benign day.jsonl -j 8 content/C-291.bin\n"},
    {"merge",
     "usage: chanval merge [OPTIONS] REPORT.json...\n\n"
     "Join the JSON reports of chanval test --shard 1/N ... N/N (run with the same world,\n"
     "options and inputs) into the report one run would have given: findings, test cases,\n"
     "coverage (CV702, CV706, CV707) and benign counts (CV701) over every shard. Any\n"
     "--format; the exit status is the joined run's. Reports of other runs, of a\n"
     "different N, or with a shard missing or twice are refused (exit 2).\n"},
    {"pack",
     "usage: chanval pack [OPTIONS] SOURCE -o OUT\n\n"
     "Validate a channel source (with the -t template types and -f fleet) and, when it has\n"
     "no errors, write the channel file: deterministic bytes, written to a temporary file\n"
     "in OUT's directory, flushed, then renamed over OUT. On errors nothing is written and\n"
     "the exit status is 1; the findings go to standard error.\n"},
    {"dump",
     "usage: chanval dump [OPTIONS] FILE [-o OUT]\n\n"
     "Print a channel file as channel source XML; with -t the criteria name their fields.\n"
     "chanval pack of the output gives back the same instances, criteria and strings. A\n"
     "file whose container is unsound (a CV1xx error, an unknown op, flag or action) is\n"
     "not dumped: its findings go to standard error and the exit status is 1.\n"},
    {"diff",
     "usage: chanval diff [OPTIONS] OLD NEW\n\n"
     "Check two channel files and show what the update changes: instances added, removed\n"
     "and changed, and each criterion that changed. Release checks on NEW: CV600 instance\n"
     "count and CV601 file size growing by more than --max-growth percent (default 100),\n"
     "CV602 a block instance added, CV603 a content version that does not increase, CV604\n"
     "a channel id that changes. Text or JSON (--format json).\n"},
    {"rules", "usage: chanval rules [--format text|json|markdown]\n\nList every rule: ID, "
              "severity (E, W or W/E), name, and when it fires; as JSON (with the\n"
              "security severity and the explain text), or as the Markdown rules page.\n"},
    {"explain", "usage: chanval explain RULE\n\nWhat a rule means, why it matters and how "
                "to fix it (RULE: CV400, cv400 or 400).\n"},
    {"help", "usage: chanval help [COMMAND]\n\nThe usage of chanval, or of one command.\n"},
};

int cmd_help(int argc, char **argv)
{
    if (argc == 0) {
        print_help();
        return EXIT_CLEAN;
    }
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        if (argc == 1 && strcmp(argv[0], commands[i].name) == 0) {
            fputs(commands[i].text, stdout);
            if (strcmp(argv[0], "check") == 0 || strcmp(argv[0], "pack") == 0 ||
                strcmp(argv[0], "dump") == 0 || strcmp(argv[0], "diff") == 0 ||
                strcmp(argv[0], "test") == 0 || strcmp(argv[0], "merge") == 0)
                fputs(options_text, stdout);
            return EXIT_CLEAN;
        }
    usage_error("help: unknown command '%s'", argv[0]);
    return EXIT_TROUBLE;
}

int cmd_rules(int argc, char **argv)
{
    chanval_rules_format fmt = CHANVAL_RULES_TEXT;
    if (argc == 2 && strcmp(argv[0], "--format") == 0) {
        if (strcmp(argv[1], "text") == 0)
            fmt = CHANVAL_RULES_TEXT;
        else if (strcmp(argv[1], "json") == 0)
            fmt = CHANVAL_RULES_JSON;
        else if (strcmp(argv[1], "markdown") == 0)
            fmt = CHANVAL_RULES_MARKDOWN;
        else {
            usage_error("rules --format takes text, json or markdown, not '%s'", argv[1]);
            return EXIT_TROUBLE;
        }
    } else if (argc != 0) {
        usage_error("usage: chanval rules [--format text|json|markdown]");
        return EXIT_TROUBLE;
    }
    char *text = NULL;
    size_t len = 0;
    if (chanval_render_rules(fmt, &text, &len) != CHANVAL_OK) {
        cli_error("out of memory");
        return EXIT_TROUBLE;
    }
    bool ok = fwrite(text, 1, len, stdout) == len && fflush(stdout) == 0;
    chanval_free(text);
    if (!ok) {
        cli_error("cannot write: %s", strerror(errno));
        return EXIT_TROUBLE;
    }
    return EXIT_CLEAN;
}

/* Print text wrapped at 76 columns: the first line starts with `lead`,
 * the others are indented to match it. */
static void wrap(const char *text, const char *lead)
{
    size_t indent = strlen(lead), col = indent;
    bool first = true;
    fputs(lead, stdout);
    for (const char *p = text; *p;) {
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

int cmd_explain(int argc, char **argv)
{
    if (argc != 1) {
        usage_error("explain takes one rule ID, e.g. 'chanval explain CV400'");
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
