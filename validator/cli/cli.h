/* cli.h - the chanval command's parts (the command uses only chanval.h). */
#ifndef CHANVAL_CLI_H
#define CHANVAL_CLI_H

#include "chanval.h"

#include <stdio.h>

enum { EXIT_CLEAN = 0, EXIT_FINDINGS = 1, EXIT_TROUBLE = 2 };

/* One report of the run: its format and its file (NULL: standard output). */
typedef struct report_out {
    chanval_format format;
    const char *path;
} report_out;

/* Every format there is, each at most a few times: a named limit. */
enum { CLI_MAX_REPORTS = 16 };

typedef struct opts {
    const char **types, **fleets;
    size_t ntypes, nfleets;
    size_t nreports;
    const char *output;
    const char *config;         /* --config */
    const char *sarif_category; /* --sarif-category */
    const char *cache_dir;      /* --cache-dir, or the default with --cache */
    const char *baseline;       /* --baseline */
    const char *write_baseline; /* --write-baseline */
    uint64_t max_growth;
    uint64_t limits[CHANVAL_LIMIT_COUNT];
    report_out reports[CLI_MAX_REPORTS]; /* --format FMT[=FILE], in order */
    unsigned jobs;                       /* -j */
    unsigned threads;                    /* --threads; 0: one per core */
    int color;                           /* -1 auto, 0 never, 1 always */
    bool last_format_open; /* the last --format has no file yet: -o names it */
    bool writes_file;      /* pack, dump: -o is the command's own output */
    bool no_config;        /* --no-config */
    bool strict, quiet, verbose;
    bool allow_empty;  /* --allow-empty */
    bool skip_foreign; /* --skip-foreign */
    bool cache, no_cache; /* --cache, --no-cache */
    bool max_growth_set;
    int context;       /* --context[=N]: lines each side; -1 when not given */
    bool view_all;     /* view --all */
    bool has_range;    /* view --range A:B */
    uint64_t range_start, range_end;
    bool has_instance; /* view --instance ID */
    uint32_t instance;
    bool limit_set[CHANVAL_LIMIT_COUNT];
    /* chanval test */
    const char **benign, **sensors; /* --benign, --sensor */
    size_t nbenign, nsensors;
    bool min_coverage_set;          /* --min-coverage */
    double min_coverage;
    unsigned shard, shards;         /* --shard I/N */
    bool plain;                     /* --plain */
} opts;

/* Messages on stderr, with what they quote escaped (chanval_escape_text):
 * "chanval: MESSAGE" and a pointer to --help; "chanval: error: MESSAGE". */
void usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* guard.c: SIGBUS (a mapped file truncated meanwhile) exits 2 with a message */
void cli_guard_sigbus(void);
/* guard.c: SIGINT/SIGTERM/SIGHUP remove a half-written output, then kill */
void cli_guard_stop(void);

/* help.c */
void print_help(void);
int cmd_help(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_explain(int argc, char **argv);

/* commands.c */
/* The same path, or the same existing file (device and inode). */
bool cli_same_file(const char *a, const char *b);
int cmd_check(const opts *o, int argc, char **argv);
int cmd_pack(const opts *o, int argc, char **argv);
int cmd_dump(const opts *o, int argc, char **argv);
int cmd_diff(const opts *o, int argc, char **argv);
/* The session of a command that writes reports: NULL (after a message,
 * *rc set) on trouble or when an output would replace an input. */
chanval_session *cli_setup_writing(const opts *o, int argc, char **argv, int *rc);
/* Every report of the run; false if one could not be written. */
bool cli_emit_reports(chanval_session *s, const opts *o, FILE *stream);
/* The exit code (and message) of a status other than OK. */
int cli_trouble(chanval_session *s, chanval_status st);
/* Does a text report go to standard output? */
bool cli_text_on_stdout(const opts *o);
/* test.c */
int cmd_test(const opts *o, int argc, char **argv);
int cmd_merge(const opts *o, int argc, char **argv);
/* Is any option of chanval test given?  (Other commands refuse them.) */
bool cli_test_options(const opts *o);
/* A session with the configuration, options, baseline and world loaded;
 * NULL (after a message, *rc set) on trouble.  `x` (or NULL): the bytes
 * behind the findings to keep, the world's documents' included. */
chanval_session *cli_setup(const opts *o, const chanval_excerpt_options *x, int *rc);
/* Colour for a report on `stream` (not a file): --color, the terminal,
 * NO_COLOR and TERM=dumb. */
bool cli_color(const opts *o, FILE *stream, bool to_file);

/* view.c */
int cmd_view(const opts *o, int argc, char **argv);

#endif
