/*
 * chanval.h - the public interface of libchanval, the static validator for
 * sensor channel files and the XML documents around them.
 *
 * One session holds a world (template types and fleet manifests) and a
 * report (one entry per checked file, each with its diagnostics).  Sessions
 * are opaque; diagnostics are plain read-only values.  Every function that
 * can fail returns a chanval_status and, for I/O and usage failures, leaves
 * a human-readable reason in chanval_last_error().
 *
 * Findings in a file are not failures of the library: checking a broken
 * file returns CHANVAL_OK and records diagnostics.
 */
#ifndef CHANVAL_H
#define CHANVAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CHANVAL_VERSION "0.1.0"

/* The functions of this header are the library's only exported symbols:
 * the library is built with -fvisibility=hidden, and each of them is
 * marked here. */
#if defined(__GNUC__) && !defined(CHANVAL_STATIC_ONLY)
#define CHANVAL_API __attribute__((visibility("default")))
#else
#define CHANVAL_API
#endif

typedef enum chanval_status {
    CHANVAL_OK = 0,
    CHANVAL_ERR_NOMEM,   /* an allocation failed; the session stays usable */
    CHANVAL_ERR_IO,      /* a file could not be read or written */
    CHANVAL_ERR_USAGE,   /* an argument was invalid */
    CHANVAL_ERR_INTERNAL /* a dependency failed in an unexpected way */
} chanval_status;

typedef enum chanval_severity { CHANVAL_SEV_WARNING = 1, CHANVAL_SEV_ERROR = 2 } chanval_severity;

typedef enum chanval_kind {
    CHANVAL_KIND_CHANNEL = 0, /* binary channel file (or anything not XML) */
    CHANVAL_KIND_SOURCE,      /* channel source XML, root <channel> */
    CHANVAL_KIND_TYPES,       /* template types XML, root <templateTypes> */
    CHANVAL_KIND_FLEET,       /* fleet manifest XML, root <fleet> */
    CHANVAL_KIND_XML,         /* XML whose root is none of the above */
    CHANVAL_KIND_TEST,        /* a content test (JSON Lines): chanval test */
    CHANVAL_KIND_EVENTS       /* a benign corpus (JSON Lines): chanval test --benign */
} chanval_kind;

typedef enum chanval_loc_kind {
    CHANVAL_LOC_OFFSET = 0, /* byte offset into a binary file */
    CHANVAL_LOC_LINE        /* 1-based line and column (in characters) */
} chanval_loc_kind;

/* Growth class of a regular expression's matching cost (CV502, CV503). */
typedef enum chanval_regex_class {
    CHANVAL_REGEX_NONE = 0,
    CHANVAL_REGEX_POLYNOMIAL,
    CHANVAL_REGEX_EXPONENTIAL
} chanval_regex_class;

/* Why a finding does not count (it is still reported, marked). */
typedef enum chanval_suppression {
    CHANVAL_SUPPRESS_NONE = 0,
    CHANVAL_SUPPRESS_INLINE,  /* <?chanval suppress="..." reason="..."?> in the document */
    CHANVAL_SUPPRESS_CONFIG,  /* severity "off" in the project configuration */
    CHANVAL_SUPPRESS_BASELINE /* a known finding listed in the baseline */
} chanval_suppression;

/* A finding.  Strings are owned by the session and live until it is freed. */
typedef struct chanval_diag {
    uint16_t rule;             /* 400 for CV400 */
    chanval_severity severity; /* after --strict and configured overrides */
    chanval_loc_kind loc_kind;
    uint64_t offset;       /* byte offset (for XML too, where known) */
    /* CHANVAL_LOC_LINE: the line and column; CHANVAL_LOC_OFFSET: where the
     * byte sits as a text editor counts (lines end at 0x0a, columns count
     * bytes), for editors to jump to; 0 when not known */
    uint32_t line, column;
    bool has_instance;
    uint32_t instance;   /* instance id, when has_instance */
    int32_t criterion;   /* criterion (field) index, or -1 */
    const char *sensor;  /* sensor version, or NULL */
    const char *message; /* never NULL */
    const char *note;    /* how to fix it, or NULL */
    /* CV502/CV503 only (class != NONE): the witness input and its cost. */
    chanval_regex_class regex_class;
    uint32_t degree; /* polynomial degree */
    const char *witness_prefix, *witness_pump, *witness_suffix;
    uint64_t witness_length, steps, budget;
    /* What the finding is about, independent of where it is ("type 7 v3");
     * NULL when instance, criterion and sensor say it. */
    const char *key;
    /* Stable identity across runs: 16 hex digits from rule, path and the
     * content (instance, criterion, sensor, key), never from a location. */
    const char *fingerprint;
    chanval_suppression suppressed;
    const char *suppress_reason; /* the inline reason, or NULL */
} chanval_diag;

typedef struct chanval_session chanval_session;
typedef struct chanval_file chanval_file;

/* "libxml2 2.9.14, PCRE2 10.42, OpenSSL ..." as linked. */
CHANVAL_API const char *chanval_dependency_versions(void);

/* ---- allocation ------------------------------------------------------- */

typedef struct chanval_allocator {
    void *(*malloc_fn)(size_t size);
    void *(*realloc_fn)(void *ptr, size_t size);
    void (*free_fn)(void *ptr);
} chanval_allocator;

/*
 * Route every allocation of libchanval, and of libxml2 and PCRE2 on its
 * behalf, through `a` (NULL restores the C library's).  Call it before any
 * session exists; it changes libxml2's global allocator.  The functions
 * are called from several threads at once unless every session is set to
 * one thread (chanval_set_threads) and checks one file at a time.
 */
CHANVAL_API chanval_status chanval_set_allocator(const chanval_allocator *a);

/* ---- limits (formats-v1 section 4) ------------------------------------ */

typedef enum chanval_limit {
    CHANVAL_LIMIT_BYTES = 0,    /* --max-bytes: channel file size */
    CHANVAL_LIMIT_INSTANCES,    /* --max-instances */
    CHANVAL_LIMIT_FIELDS,       /* --max-fields: fields per type/instance */
    CHANVAL_LIMIT_STRING_BYTES, /* --max-string-bytes: one string criterion */
    CHANVAL_LIMIT_REGEX_BYTES,  /* --max-regex-bytes: one regex pattern */
    CHANVAL_LIMIT_SECTIONS,     /* --max-sections */
    CHANVAL_LIMIT_XML_BYTES,    /* --max-xml-bytes */
    CHANVAL_LIMIT_XML_DEPTH,    /* --max-xml-depth */
    CHANVAL_LIMIT_DIAGNOSTICS,  /* --max-diagnostics: stored per file */
    CHANVAL_LIMIT_XML_ATTRS,    /* --max-xml-attributes: per element */
    CHANVAL_LIMIT_EVENTS_BYTES, /* --max-events-bytes: a test or a benign corpus (chanval test) */
    CHANVAL_LIMIT_COUNT
} chanval_limit;

typedef struct chanval_limit_info {
    const char *option; /* "max-bytes" (without the dashes) */
    uint64_t default_value;
    uint64_t min_value, max_value;
    const char *description;
} chanval_limit_info;

CHANVAL_API const chanval_limit_info *chanval_limit_describe(chanval_limit which);

/* ---- rules ------------------------------------------------------------ */

typedef struct chanval_rule {
    uint16_t id;             /* 400 */
    const char *name;        /* "input-index-out-of-bounds" */
    const char *severity;    /* "E", "W" or "W/E" */
    const char *summary;     /* one line: when it fires */
    const char *explanation; /* what it means, why it matters, how to fix */
} chanval_rule;

CHANVAL_API size_t chanval_rule_count(void);
CHANVAL_API const chanval_rule *chanval_rule_at(size_t index);
/* Accepts "CV400", "cv400" or "400"; NULL when there is no such rule. */
CHANVAL_API const chanval_rule *chanval_rule_find(const char *id);
/* The security severity of a rule's findings in tenths, on the 0.0-10.0
 * scale GitHub code scanning ranks alerts by (98: 9.8, critical, for
 * CV400); 0 for the rules that are no security risk to the fleet, and for
 * a pointer that is not one of chanval_rule_at()'s. */
CHANVAL_API unsigned chanval_rule_security_severity(const chanval_rule *r);

/* ---- sessions --------------------------------------------------------- */

CHANVAL_API chanval_session *chanval_session_new(void); /* NULL when out of memory */
CHANVAL_API void chanval_session_free(chanval_session *s);

CHANVAL_API chanval_status chanval_set_limit(chanval_session *s, chanval_limit which,
                                             uint64_t value);
CHANVAL_API uint64_t chanval_get_limit(const chanval_session *s, chanval_limit which);
CHANVAL_API void chanval_set_strict(chanval_session *s, bool strict);
/* The category of this run's analysis, for code scanning: SARIF's
 * runs[0].automationDetails.id is "CATEGORY/".  1 to CHANVAL_MAX_CATEGORY
 * letters, digits and . _ - / : @ +; CHANVAL_ERR_USAGE (with the reason in
 * chanval_last_error()) otherwise.  chanval_report_category() is NULL
 * while none is set. */
#define CHANVAL_MAX_CATEGORY 128
CHANVAL_API chanval_status chanval_set_report_category(chanval_session *s, const char *category);
CHANVAL_API const char *chanval_report_category(const chanval_session *s);
/* Compute each checked file's SHA-256 (chanval_file_sha256, and the
 * reports that name it): on by default.  Off saves a second pass over a
 * large file when no report will show it. */
CHANVAL_API void chanval_set_file_digests(chanval_session *s, bool on);
/* Threads one check may use to measure the cost of its regexes (CV502,
 * CV503): 0, the default, is one per online CPU (at most 8); 1 keeps all
 * work on the calling thread; more than 64 counts as 64.  Reports never depend on it.  When
 * chanval_check_paths checks several files at a time, each uses one. */
CHANVAL_API void chanval_set_threads(chanval_session *s, unsigned n);

/* Why the last call failed (I/O or usage); "" when it did not. */
CHANVAL_API const char *chanval_last_error(const chanval_session *s);

/*
 * The project configuration (formats/configuration.md): limits, strict,
 * per-rule severities, and the documents and baseline it names, with
 * paths relative to its directory.  Load it before anything else; settings
 * made afterwards (command-line options) override it.  An invalid one is
 * CHANVAL_ERR_USAGE with "path:line:col: why" in chanval_last_error().
 */
CHANVAL_API chanval_status chanval_load_config(chanval_session *s, const char *path);
/* The template types (which = 0) and fleets (1) it names; NULL past the end. */
CHANVAL_API const char *chanval_config_document(const chanval_session *s, int which, size_t index);
/* The baseline it names, or NULL. */
CHANVAL_API const char *chanval_config_baseline(const chanval_session *s);

/*
 * A baseline lists known findings by fingerprint; findings it lists are
 * reported as suppressed and do not fail the run (except the rules that
 * are never suppressed: CV1xx, CV200-CV203, CV400).  Load it before the
 * files are checked.
 */
CHANVAL_API chanval_status chanval_load_baseline(chanval_session *s, const char *path);
/* The baseline of this run's findings; from then on they count as known.
 * The caller frees *out with chanval_free(). */
CHANVAL_API chanval_status chanval_render_baseline(chanval_session *s, char **out, size_t *out_len);

/*
 * Load and validate world documents.  All template types must be added
 * before the first fleet, and the world before the first checked file.
 * Each document becomes a report entry with its own diagnostics; what is
 * valid in it joins the world.  A file already loaded (same device and
 * inode) is skipped.
 */
CHANVAL_API chanval_status chanval_add_types(chanval_session *s, const char *path);
CHANVAL_API chanval_status chanval_add_fleet(chanval_session *s, const char *path);
CHANVAL_API chanval_status chanval_add_types_memory(chanval_session *s, const char *name,
                                                    const void *data, size_t len);
CHANVAL_API chanval_status chanval_add_fleet_memory(chanval_session *s, const char *name,
                                                    const void *data, size_t len);

/* Check one file; its kind is detected from its content.  This and every
 * other function that takes a path records a path it cannot read in the
 * session, as chanval_check_paths does (chanval_io_error).  A regular file
 * of 1 MiB or more is mapped, not copied: if another process truncates it
 * during the check, reading past the new end raises SIGBUS (the chanval
 * command catches it and exits 2; a program that checks files others may
 * be writing should do the same, or check a copy). */
CHANVAL_API chanval_status chanval_check_path(chanval_session *s, const char *path);
CHANVAL_API chanval_status chanval_check_memory(chanval_session *s, const char *name,
                                                const void *data, size_t len);

/*
 * Check many paths: a directory is walked (sorted; hidden entries other
 * than files under a content name, .chanval.xml among them, and links to
 * directories are listed as skipped, not looked into).  A file named *.bin,
 * *.chnl or *.xml is checked whatever its bytes are (a Git LFS pointer or
 * an error page in its place fails); any other file is checked if its
 * bytes are content (channel files, the three XML documents, anything that
 * is not text) and listed as skipped otherwise (chanval_skipped_path).
 * An entry that cannot be examined, a dangling link, a FIFO, device or
 * socket with a content name, and a directory given that holds no content
 * file (unless chanval_set_allow_empty) are recorded like unreadable paths.
 * "-" is standard input.  `jobs` threads check in parallel; report entries
 * keep the order of the paths whatever `jobs` is.  A path that cannot be
 * read is recorded (see chanval_io_error) and the result is CHANVAL_ERR_IO
 * after the others are checked.
 */
CHANVAL_API chanval_status chanval_check_paths(chanval_session *s, const char *const *paths,
                                               size_t n, unsigned jobs);
/* A directory given to chanval_check_paths may hold no content file. */
CHANVAL_API void chanval_set_allow_empty(chanval_session *s, bool allow);
/* Files named to chanval_check_paths are sniffed as walked ones are: one
 * whose bytes are not content (an XML document whose root is none of
 * chanval's and carries no formatVersion, text that is no channel file) is
 * listed as skipped instead of failing with CV203; a *.chnl file, one with
 * a content extension of the configuration, and standard input are still
 * checked whatever their bytes.  For hooks that pass every *.xml of a
 * repository (pre-commit). */
CHANVAL_API void chanval_set_skip_foreign(chanval_session *s, bool skip);
/* Walked entries that were not checked (not content), in walk order. */
CHANVAL_API size_t chanval_skipped_count(const chanval_session *s);
CHANVAL_API const char *chanval_skipped_path(const chanval_session *s, size_t index);
CHANVAL_API size_t chanval_io_error_count(const chanval_session *s);
/* Why (a message that names the path), and the path itself. */
CHANVAL_API const char *chanval_io_error(const chanval_session *s, size_t index);
CHANVAL_API const char *chanval_io_error_path(const chanval_session *s, size_t index);
/* Record a path the caller could not read or write as part of this run
 * (a baseline it was asked to write, say): the reports name it and
 * chanval_exit_code() returns 2.  CHANVAL_ERR_NOMEM when it could not be
 * stored (the exit code is 2 all the same). */
CHANVAL_API chanval_status chanval_record_io_error(chanval_session *s, const char *path,
                                                   const char *why);

/*
 * Checks that concern the world alone (CV401 per supported type and
 * sensor).  Call it when no channel file or source is checked.
 */
CHANVAL_API chanval_status chanval_check_world(chanval_session *s);

/*
 * Validate a channel source and, when it has no errors, produce the
 * channel file.  On findings the result is CHANVAL_OK with *out == NULL;
 * the caller frees *out with chanval_free().
 */
CHANVAL_API chanval_status chanval_pack_path(chanval_session *s, const char *path, uint8_t **out,
                                             size_t *out_len);
CHANVAL_API chanval_status chanval_pack_memory(chanval_session *s, const char *name,
                                               const void *data, size_t len, uint8_t **out,
                                               size_t *out_len);

/*
 * Decode a channel file into channel source XML.  The container must be
 * sound (no CV1xx error, every criterion representable); otherwise the
 * result is CHANVAL_OK with *out == NULL and the reasons are in the report.
 */
CHANVAL_API chanval_status chanval_dump_path(chanval_session *s, const char *path, char **out,
                                             size_t *out_len);
CHANVAL_API chanval_status chanval_dump_memory(chanval_session *s, const char *name,
                                               const void *data, size_t len, char **out,
                                               size_t *out_len);

/*
 * What a content update changes: OLD and NEW (channel files) are checked
 * as usual, then compared instance by instance; the changes join the
 * report (text and JSON), and the release checks CV600-CV604 are findings
 * of NEW: the instance count or file size growing by more than
 * `max-growth` percent (the configuration's <diff maxGrowthPercent>,
 * default 100), a block instance added, a content version that does not
 * increase, a channel id that changes.
 */
CHANVAL_API chanval_status chanval_diff_paths(chanval_session *s, const char *old_path,
                                              const char *new_path);
/* Set the growth CV600/CV601 allow, in percent. */
CHANVAL_API void chanval_set_max_growth(chanval_session *s, uint64_t percent);

/* What the last chanval_diff_paths compared (both files decoded): the
 * report entries' paths, and each side's size in bytes, instance count,
 * channel id and content version. */
typedef struct chanval_diff_info {
    const char *old_path, *new_path; /* owned by the session */
    uint64_t old_size, new_size;
    uint64_t old_instances, new_instances;
    uint32_t old_channel, new_channel;
    uint64_t old_version, new_version;
    size_t change_count; /* chanval_diff_change_at */
} chanval_diff_info;

/* One change, in instance order. */
typedef struct chanval_diff_change {
    char kind;         /* '+' added, '-' removed, '~' changed */
    uint32_t instance; /* the instance id */
    int32_t criterion; /* the criterion index, or -1 */
    const char *text;  /* "instance 7 added: ..." (owned by the session) */
} chanval_diff_change;

/* false when the session compared nothing (no chanval_diff_paths, or one
 * side did not decode): *out is then left alone. */
CHANVAL_API bool chanval_diff_get(const chanval_session *s, chanval_diff_info *out);
/* false past the end (or without a comparison). */
CHANVAL_API bool chanval_diff_change_at(const chanval_session *s, size_t index,
                                        chanval_diff_change *out);

/* ---- the report ------------------------------------------------------- */

CHANVAL_API size_t chanval_file_count(const chanval_session *s);
CHANVAL_API const chanval_file *chanval_file_at(const chanval_session *s, size_t index);
CHANVAL_API const char *chanval_file_path(const chanval_file *f);
CHANVAL_API chanval_kind chanval_file_kind(const chanval_file *f);
CHANVAL_API const char *chanval_kind_name(chanval_kind kind); /* "channel", "source"... */
CHANVAL_API uint64_t chanval_file_size(const chanval_file *f);
/* SHA-256 of the file's bytes as read (32 bytes), NULL when not read. */
CHANVAL_API const uint8_t *chanval_file_sha256(const chanval_file *f);
CHANVAL_API size_t chanval_file_diag_count(const chanval_file *f);
CHANVAL_API const chanval_diag *chanval_file_diag(const chanval_file *f, size_t index);
/* Findings counted but not stored once --max-diagnostics was reached. */
CHANVAL_API uint64_t chanval_file_dropped(const chanval_file *f);
CHANVAL_API size_t chanval_file_errors(const chanval_file *f);   /* not suppressed */
CHANVAL_API size_t chanval_file_warnings(const chanval_file *f); /* not suppressed */
CHANVAL_API size_t chanval_file_suppressed(const chanval_file *f);

/* ---- content tests: chanval test ------------------------------------------ */

/*
 * Run content against events on every sensor of the fleet (formats/tests.md).
 * A test is a JSON Lines document: its first line names the channel file or
 * source, each further line is an event with what must fire or stay quiet.
 * A benign corpus is events alone: every block instance that fires on one is
 * an error (CV701), every detect a warning.  Findings go to the test's or
 * corpus's report entry (kinds CHANVAL_KIND_TEST and CHANVAL_KIND_EVENTS);
 * each content's coverage and per-instance figures are read back below.
 */
typedef struct chanval_test_options {
    const char *const *benign; /* benign corpus files */
    size_t nbenign;
    const char *const *sensors; /* run on exactly these sensors (NULL: as the tests say) */
    size_t nsensors;
    bool min_coverage_set;
    double min_coverage; /* percent: below it is CV706 */
    bool plain;          /* no equals index: every instance on every event (to measure it) */
    unsigned shard, shards; /* evaluate only events (line - 1) % shards == shard - 1; 0: all */
    unsigned jobs;          /* threads for a benign corpus (0 or 1: one) */
} chanval_test_options;

/* Each path is a test, a directory (its *.test.jsonl files, recursively),
 * or a channel file or source to run over the benign corpus.  CHANVAL_OK
 * when every test ran (its verdict is in the findings); CHANVAL_ERR_IO when
 * an input could not be read (listed as an input error); CHANVAL_ERR_USAGE
 * for an option the fleet cannot satisfy (chanval_last_error says why). */
CHANVAL_API chanval_status chanval_test_paths(chanval_session *s, const char *const *paths,
                                              size_t n, const chanval_test_options *o);

typedef struct chanval_test_content {
    const char *path;
    bool loaded;            /* false: a sensor could not load it (CV708) */
    uint64_t events;        /* evaluations of test events, all sensors */
    uint64_t benign_events; /* benign events evaluated, all sensors */
    uint64_t outcomes, covered; /* criterion outcomes (true, false per sensor) */
    size_t instances;
} chanval_test_content;

typedef struct chanval_test_instance {
    uint32_t id;
    uint8_t action, severity; /* 1 log, 2 detect, 3 block; 0..4 */
    uint64_t benign_evals, benign_fired; /* on the benign corpus */
    bool has_steps;                      /* it has a regex */
    uint64_t steps_median, steps_p99, steps_max; /* per evaluation (bucket tops for the first two) */
    uint64_t budget;    /* the smallest regexMatchLimit of the sensors that ran it */
    uint64_t exhausted; /* evaluations abandoned at the budget */
} chanval_test_instance;

CHANVAL_API size_t chanval_test_content_count(const chanval_session *s);
CHANVAL_API bool chanval_test_content_at(const chanval_session *s, size_t index,
                                         chanval_test_content *out);
CHANVAL_API bool chanval_test_instance_at(const chanval_session *s, size_t content, size_t index,
                                          chanval_test_instance *out);

/* A run with --shard: what chanval merge needs of it, as one line of JSON
 * (the JSON report's "shard"); NULL for any other run. */
CHANVAL_API const char *chanval_test_shard_state(const chanval_session *s);
/* chanval merge: the JSON reports of the N shards of one chanval test run
 * (any order) become this session's report, as that run without --shard
 * would have made it; the session needs the run's world (-t, -f).
 * CHANVAL_ERR_USAGE (the reason in chanval_last_error) when they are not
 * the N shards of one run, or a shard ran out of memory or dropped
 * findings; CHANVAL_ERR_IO when one cannot be read. */
CHANVAL_API chanval_status chanval_merge_paths(chanval_session *s, const char *const *paths,
                                               size_t n);

/* One expectation of a test (JUnit lists one test case per expectation). */
typedef struct chanval_test_case {
    const char *name; /* "line 4: instance 10 fires" */
    uint32_t line;
    bool failed;
    const char *message; /* why it failed, or NULL */
} chanval_test_case;
CHANVAL_API size_t chanval_file_case_count(const chanval_file *f);
CHANVAL_API bool chanval_file_case(const chanval_file *f, size_t index, chanval_test_case *out);

/* ---- the interpreter: one event on one sensor -------------------------------- */

/*
 * The content interpreter of formats-v1 section 3 that chanval test runs,
 * for programs that want to run content themselves (an endpoint simulator,
 * a differential test).  A program is a channel file loaded for the
 * session's world as a sensor loads it.
 */
typedef struct chanval_program chanval_program;

typedef enum chanval_fault {
    CHANVAL_FAULT_NONE = 0,
    CHANVAL_FAULT_INDEX,     /* inputs[i] read past the sensor's array (CV400's dynamic twin) */
    CHANVAL_FAULT_KIND,      /* a string operator on an integer input, or a range on a string */
    CHANVAL_FAULT_REGEX_LEN, /* a regex longer than the sensor's maxRegexLength */
    CHANVAL_FAULT_REGEX_BAD, /* a regex the sensor cannot compile or does not support */
    CHANVAL_FAULT_REFUSED,   /* the file is over the sensor's maxChannelBytes or maxInstances */
    CHANVAL_FAULT_MATCH      /* the regex engine failed on this event (a recursion loop) */
} chanval_fault;

/* One input value: a string (bytes, not NUL-terminated) or an integer. */
typedef struct chanval_value {
    bool is_string;
    const uint8_t *s;
    size_t len;
    int64_t v;
} chanval_value;

typedef struct chanval_eval_result {
    bool ran; /* the sensor runs instances of the event's type in this file */
    chanval_fault fault;
    uint32_t fault_instance, fault_criterion; /* id and field index, when fault */
    const uint32_t *fired; /* instance ids, in file order; valid until the next eval */
    size_t nfired;
    bool exhausted; /* a regex ran past the sensor's regexMatchLimit */
    uint64_t steps; /* regex steps of the evaluation */
} chanval_eval_result;

/* Load a channel file's bytes (copied).  CHANVAL_OK; CHANVAL_ERR_USAGE when
 * a sensor could not load it (the reason in chanval_last_error()); NOMEM. */
CHANVAL_API chanval_status chanval_program_load(chanval_session *s, const void *data, size_t len,
                                                chanval_program **out);
CHANVAL_API void chanval_program_free(chanval_program *p);
/* Evaluate one event of type (id, version), values by field index (as many
 * as the type has fields), on the sensor with this version.  USAGE (with
 * the reason) for an unknown sensor or type, a wrong count, or a value the
 * field cannot hold. */
CHANVAL_API chanval_status chanval_program_eval(chanval_program *p, const char *sensor,
                                                uint32_t type_id, uint16_t type_version,
                                                const chanval_value *values, size_t nvalues,
                                                chanval_eval_result *out);

/* ---- the bytes behind the findings ------------------------------------- */

/*
 * Reports that show where a finding is (chanval view, text with context,
 * HTML) need the bytes around it and, for a channel file, what structure
 * each byte belongs to.  A session set to capture them keeps, per checked
 * file, excerpts of the bytes as checked (never read again later) and a map
 * of the structures that cover them; it is off by default (and a run that
 * captures does not read results from the result cache).
 */
typedef enum chanval_excerpt_mode {
    CHANVAL_EXCERPT_NONE = 0,
    CHANVAL_EXCERPT_FINDINGS, /* lines around each finding; small files whole */
    CHANVAL_EXCERPT_ALL,      /* the whole file (at most CHANVAL_EXCERPT_MAX_BYTES) */
    CHANVAL_EXCERPT_RANGE,    /* bytes [start, end) of a channel file */
    CHANVAL_EXCERPT_INSTANCE  /* the record of one instance (by id) */
} chanval_excerpt_mode;

/* Most bytes one file's excerpts hold; a wider range is a usage error. */
#define CHANVAL_EXCERPT_MAX_BYTES (16u << 20)
/* Most windows around findings per file; findings past them are still
 * reported, without their bytes. */
#define CHANVAL_EXCERPT_MAX_WINDOWS 200u

typedef struct chanval_excerpt_options {
    chanval_excerpt_mode mode;
    unsigned context;     /* lines (16 bytes, or XML lines) each side of a finding; at most 16 */
    uint64_t whole_below; /* FINDINGS: files of fewer bytes are captured whole */
    bool findings_only;   /* nothing is kept of a file without findings (a report
                             that shows bytes only under findings) */
    uint64_t start, end;  /* RANGE */
    uint32_t instance;    /* INSTANCE */
} chanval_excerpt_options;

/* CHANVAL_ERR_USAGE (the reason in chanval_last_error()) for a range that
 * is empty, reversed or wider than CHANVAL_EXCERPT_MAX_BYTES, or a context
 * over 16. */
CHANVAL_API chanval_status chanval_set_excerpts(chanval_session *s,
                                                const chanval_excerpt_options *o);

/* A run of bytes of the file as checked.  Binary windows start and end on
 * 16-byte lines (or the file's end); an XML excerpt is one whole line
 * (without its line break), cut after 4,096 bytes. */
typedef struct chanval_excerpt {
    uint64_t offset;      /* of the first byte in the file */
    size_t length;        /* bytes held */
    uint32_t line;        /* XML: the line number; 0 for a binary window */
    bool cut;             /* XML: the line goes on past the bytes held */
    const uint8_t *bytes; /* owned by the session */
} chanval_excerpt;

typedef enum chanval_span_kind {
    CHANVAL_SPAN_UNCLAIMED = 0, /* bytes no structure claims, or the walk could not place */
    CHANVAL_SPAN_HEADER,
    CHANVAL_SPAN_DIGEST,
    CHANVAL_SPAN_SECTION_TABLE,
    CHANVAL_SPAN_STRINGS,
    CHANVAL_SPAN_TYPES,
    CHANVAL_SPAN_INSTANCES, /* the count; records and criteria have their own */
    CHANVAL_SPAN_RECORD,    /* an instance record's 16-byte header */
    CHANVAL_SPAN_CRITERION, /* a criterion's op, flags and reserved bytes */
    CHANVAL_SPAN_PAYLOAD,   /* a criterion's 16-byte payload */
    CHANVAL_SPAN_PADDING,   /* zero bytes aligning a section */
    CHANVAL_SPAN_KIND_COUNT
} chanval_span_kind;

/* "header", "digest", "section table", "STRINGS", ...: a word for each kind. */
CHANVAL_API const char *chanval_span_kind_name(chanval_span_kind k);

/*
 * A structure of a channel file.  The spans of a file come in offset order
 * as an outline: depth 0 the header, the section table, each section and
 * the bytes between; depth 1 their entries (header fields, table entries,
 * TYPES entries, instance records); depth 2 a record's header and its
 * criteria; depth 3 a criterion's payload.  A span lies inside the one
 * before it of lower depth.  Only structures that meet an excerpt are
 * listed, besides every depth-0 one.  A byte is of the kind of the deepest
 * span over it; UNCLAIMED where none is.
 */
typedef struct chanval_span {
    uint64_t offset, length;
    chanval_span_kind kind;
    unsigned depth;
    int64_t record;     /* instance record (0-based), or -1 */
    int32_t criterion;  /* criterion index, or -1 */
    const char *label;  /* "instance 2 criterion 20: op=regex field \"remote_pipe_flags\" ..." */
} chanval_span;

CHANVAL_API size_t chanval_file_excerpt_count(const chanval_file *f);
CHANVAL_API bool chanval_file_excerpt(const chanval_file *f, size_t index, chanval_excerpt *out);
CHANVAL_API size_t chanval_file_span_count(const chanval_file *f);
CHANVAL_API const chanval_span *chanval_file_span(const chanval_file *f, size_t index);
/* Findings whose bytes were not captured (past CHANVAL_EXCERPT_MAX_WINDOWS). */
CHANVAL_API size_t chanval_file_excerpts_dropped(const chanval_file *f);

CHANVAL_API size_t chanval_error_count(const chanval_session *s);
CHANVAL_API size_t chanval_warning_count(const chanval_session *s);
CHANVAL_API size_t chanval_suppressed_count(const chanval_session *s);
/* The run's verdict, as the chanval command exits: 2 when an input could
 * not be read (chanval_io_error_count) or an allocation failed, so part of
 * the input went unchecked; else 1 when errors were found (warnings count
 * with strict), 0 when none were.  Every report states it. */
CHANVAL_API int chanval_exit_code(const chanval_session *s);
/* An allocation failed during the run: part of the input went unchecked
 * (chanval_exit_code() is 2), and every report says so. */
CHANVAL_API bool chanval_out_of_memory(const chanval_session *s);

typedef enum chanval_format {
    CHANVAL_FORMAT_TEXT = 0,
    CHANVAL_FORMAT_JSON,
    CHANVAL_FORMAT_SARIF,      /* SARIF 2.1.0 */
    CHANVAL_FORMAT_JUNIT,      /* JUnit XML */
    CHANVAL_FORMAT_GITHUB,     /* GitHub Actions workflow commands */
    CHANVAL_FORMAT_CODEQUALITY, /* GitLab Code Quality JSON */
    CHANVAL_FORMAT_GNU,         /* FILE:LINE:COLUMN: severity: message, for editors */
    CHANVAL_FORMAT_HTML         /* one self-contained page (formats/reports.md) */
} chanval_format;

/* "text", "json", "sarif", "junit", "github", "codequality", "gnu"; false for an
 * unknown name.  chanval_format_names() lists them, comma-separated. */
CHANVAL_API bool chanval_format_parse(const char *name, chanval_format *out);
CHANVAL_API const char *chanval_format_names(void);
/* The name chanval_format_parse() takes for `f` ("unknown" for no format). */
CHANVAL_API const char *chanval_format_name(chanval_format f);

enum {
    CHANVAL_REPORT_QUIET = 1u << 0,  /* errors only */
    CHANVAL_REPORT_COLOR = 1u << 1,  /* ANSI colours (text only) */
    CHANVAL_REPORT_VERBOSE = 1u << 2, /* text: name every file checked, its size and SHA-256 */
    CHANVAL_REPORT_CONTEXT = 1u << 3  /* text: the bytes or the source line under each finding,
                                         from the excerpts (chanval_set_excerpts) */
};

/* Render the report; the caller frees *out with chanval_free().  Every
 * format names the inputs that could not be read and states
 * chanval_exit_code(); text prints names and messages escaped as
 * chanval_escape_text() does; formats/reports.md describes each. */
CHANVAL_API chanval_status chanval_render(const chanval_session *s, chanval_format fmt,
                                          unsigned flags, char **out, size_t *out_len);

/* The annotated hex view of each file's excerpts (chanval view): each
 * 16-byte line with its bytes coloured by structure (CHANVAL_REPORT_COLOR;
 * without it a '|' marks where a structure starts), the structures the
 * line starts named on its right, and each finding marked under its bytes;
 * XML documents as their source lines with the findings marked.  Then the
 * text report's summary.  The caller frees *out with chanval_free(). */
CHANVAL_API chanval_status chanval_render_view(const chanval_session *s, unsigned flags,
                                               char **out, size_t *out_len);

/* The rule table: CHANVAL_RULES_TEXT as `chanval rules` lists it,
 * CHANVAL_RULES_JSON (formats/rules.schema.json), CHANVAL_RULES_MARKDOWN
 * the rules page (formats/rules.md, one section per rule, anchored #cv400,
 * where SARIF's helpUri points).  The caller frees *out with
 * chanval_free(). */
typedef enum chanval_rules_format {
    CHANVAL_RULES_TEXT = 0,
    CHANVAL_RULES_JSON,
    CHANVAL_RULES_MARKDOWN
} chanval_rules_format;
CHANVAL_API chanval_status chanval_render_rules(chanval_rules_format fmt, char **out,
                                                size_t *out_len);

/* ---- the result cache --------------------------------------------------- */

/*
 * Keep results in the folder dir (created, mode 0700) between runs: a file
 * checked before, with the same bytes (SHA-256), name, chanval version,
 * world (every -t/-f document's bytes) and settings, gets its stored
 * findings back instead of being checked again; every report is the same
 * either way.  A regex's cost verdict that took more than a moment to
 * measure is kept by pattern, flags, field length and budget, so a file
 * with one costly regex changed measures that one only.  An entry carries its key and a SHA-256 over itself: a corrupt,
 * truncated or foreign one is ignored and rewritten, never trusted.  The
 * folder must be as trusted as the program (anyone who can write it can
 * write results).  CHANVAL_ERR_IO (the reason in chanval_last_error())
 * when it cannot be used; NULL turns the cache off.  Entries are only
 * added: remove the folder to empty it.
 */
CHANVAL_API chanval_status chanval_set_cache_dir(chanval_session *s, const char *dir);
/* Entries used, stored and refused (corrupt or foreign) so far. */
CHANVAL_API void chanval_cache_counts(const chanval_session *s, uint64_t *hits, uint64_t *stores,
                                      uint64_t *refused);

/* ---- utilities -------------------------------------------------------- */

/*
 * `s` made safe to print on a terminal, as the text report prints paths
 * and messages: every C0 control, DEL and invalid UTF-8 byte as \xNN,
 * every C1 control and bidirectional formatting character (U+061C,
 * U+200E, U+200F, U+202A-U+202E, U+2066-U+2069) as \uNNNN, and a
 * backslash as \\ when `backslash` is set (distinct strings then stay
 * distinct).  The caller frees the result with chanval_free(); NULL when
 * out of memory.
 */
CHANVAL_API char *chanval_escape_text(const char *s, bool backslash);

/* Free memory returned by libchanval. */
CHANVAL_API void chanval_free(void *p);

/*
 * Write `data` to `path` atomically: a temporary file in the same
 * directory, flushed to disk, then renamed over `path`.  On failure the
 * old file is untouched and `why` (if not NULL) receives the reason.
 */
CHANVAL_API chanval_status chanval_write_file(const char *path, const void *data, size_t len,
                                              char *why, size_t why_size);
/*
 * An existing target that is not a regular file (a device, FIFO, socket or
 * terminal, such as /dev/stdout) is written into, never replaced; a FIFO
 * with no reader is an error, not a hang; a reader that goes away is an
 * error (EPIPE, with SIGPIPE held back for the write), not the end of the
 * program.  /dev/stdout, /dev/stderr, /dev/fd/N and /proc/self/fd/N mean
 * the open file even when it is a regular one: it is appended to, not
 * replaced.  A symbolic link to a regular
 * file keeps the link and replaces the file.  The temporary file is named
 * ".NAME.chanval-tmp.XXXXXX" beside the target: kill -9 or a power loss can
 * leave one behind, never a half-written target.
 *
 * chanval_abandon_output() removes the temporary file being written, if
 * any; it is async-signal-safe, for a SIGINT/SIGTERM/SIGHUP handler.
 */
CHANVAL_API void chanval_abandon_output(void);

/*
 * Whether `path` may be written: CHANVAL_ERR_USAGE (with the reason in
 * `why`) when it is the same file (device and inode, through any link) as
 * one of the `also` paths or as any file this session has read (checked
 * files, walked ones included, -t/-f documents, the configuration, the
 * baseline, a pack or dump input, diff's sides).  chanval_write_output()
 * checks this, then writes as chanval_write_file() does.
 */
CHANVAL_API chanval_status chanval_output_check(const chanval_session *s, const char *path,
                                                const char *const *also, size_t nalso, char *why,
                                                size_t why_size);
CHANVAL_API chanval_status chanval_write_output(const chanval_session *s, const char *path,
                                                const void *data, size_t len, char *why,
                                                size_t why_size);

#ifdef __cplusplus
}
#endif

#endif /* CHANVAL_H */
