/* session.h - the internals behind chanval_session: a run's settings, its
 * world, its report and its caches. */
#ifndef CV_SESSION_H
#define CV_SESSION_H

#include "base/buf.h"
#include "chanval.h"
#include "diag/diag.h"
#include "model/world.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

typedef struct cv_regex_cache cv_regex_cache;
typedef struct cv_diff cv_diff;

/* An input that could not be read: its path, and why (names the path). */
typedef struct cv_io_error {
    char *path;
    char *message;
} cv_io_error;

/* Content extensions a configuration may add (<content extension=".sig"/>). */
enum { CV_MAX_EXTENSIONS = 16, CV_MAX_EXTENSION = 17 };

/* The settings of a run: made before any file is checked and read-only
 * while files are checked (a batch worker reads its parent's). */
typedef struct cv_settings {
    cv_policy policy;
    bool no_file_digests; /* chanval_set_file_digests(s, false) */
    unsigned threads;     /* chanval_set_threads; 0: one per online CPU */
    bool allow_empty;     /* chanval_set_allow_empty */
    bool skip_foreign;    /* chanval_set_skip_foreign */
    char content_exts[CV_MAX_EXTENSIONS][CV_MAX_EXTENSION + 1]; /* from the configuration */
    size_t ncontent_exts;
    char **config_paths[2]; /* -t and -f documents named by the configuration */
    size_t nconfig_paths[2];
    char *config_baseline;   /* the baseline it names, or NULL */
    uint64_t growth_percent; /* chanval diff: CV600/CV601 */
    char category[CHANVAL_MAX_CATEGORY + 1]; /* chanval_set_report_category; "" none */
    chanval_excerpt_options excerpts;        /* chanval_set_excerpts */
    struct cv_disk_cache *disk;              /* chanval_set_cache_dir; NULL: none */
    /* what a cached result depends on besides the file: the version, the
     * policy, the world (cv_settings_key, before any worker starts) */
    uint8_t results_key[32];
    bool have_results_key;
} cv_settings;

/* A file read by the run, by identity. */
typedef struct cv_loaded {
    dev_t dev;
    ino_t ino;
    int role; /* session.c's enum role, for the documents read once */
} cv_loaded;

/* Four lifetimes: the settings and the world (a batch worker points at
 * its parent's, which do not change while it runs), the report and the
 * caches (each session its own: a worker starts with empty ones). */
struct chanval_session {
    cv_settings *set; /* &own_set, or the parent's */
    cv_world *world;  /* &own_world, or the parent's */
    cv_settings own_set;
    cv_world own_world;
    /* the report */
    chanval_file **files;
    size_t nfiles, files_cap;
    cv_loaded *loaded; /* -t/-f documents read, so each is read once */
    size_t nloaded, loaded_cap;
    cv_loaded *inputs; /* every file read: an output must not be one */
    size_t ninputs, inputs_cap;
    char **skipped; /* walked files that are not content, in order */
    size_t nskipped, skipped_cap;
    cv_io_error *io_errors; /* inputs that could not be read */
    size_t nio_errors, io_errors_cap;
    bool nomem; /* an allocation failed: the run is incomplete */
    char last_error[512];
    /* the caches */
    cv_regex_cache *regex;
    cv_diff *diff; /* the last chanval_diff_paths */
    bool is_worker; /* a batch worker's session (batch.c) */
    struct cv_test_state *tests; /* chanval test: the contents run (test_run.h) */
};

/* Is value within the range of limit `which`?  CHANVAL_ERR_USAGE with the
 * reason (naming the option) in why otherwise. */
chanval_status cv_limit_check(chanval_limit which, uint64_t value, char *why, size_t why_size);
/* w: a batch worker's session on the parent's settings and world, with a
 * report and caches of its own (empty). */
void cv_session_worker(chanval_session *w, chanval_session *parent);
/* Free the report and the caches of s (all that a worker owns). */
void cv_session_release(chanval_session *s);
/* A checking context on s for report entry f (at `index`), with the
 * session's policy, world, regex cache and threads; CHANVAL_ERR_NOMEM
 * when out of memory.  No report entry may be added while it is in use. */
chanval_status cv_session_ctx(chanval_session *s, chanval_file *f, size_t index, cv_ctx *cx);
/* The same without making the regex cache (for documents with no regex
 * criteria); its regex is the session's, possibly NULL. */
cv_ctx cv_session_ctx_plain(chanval_session *s, chanval_file *f, size_t index);
/* Make the key cached results are filed under, from the settings and the
 * world as they are now: called before files are checked (and before any
 * batch worker starts).  false when out of memory. */
bool cv_settings_key(chanval_session *s);
/* Is a checked file too broken to decode (container errors)? */
bool cv_diff_blocked(const chanval_file *f);

/* The first byte after an optional BOM and white space, or -1. */
int cv_first_byte(const uint8_t *p, size_t n);
/* Is this XML (kind detection of cli.md): '<' first? */
bool cv_is_xml(const uint8_t *p, size_t n);

/* Start a new report entry; NULL when out of memory. */
chanval_file *cv_file_new(chanval_session *s, const char *path, chanval_kind kind, size_t *index);
/* Check one file (as chanval_check_path does, without the loaded-once
 * test, which the caller made); `walked`: skip it if it is not content,
 * and say so in *skipped. */
chanval_status cv_check_one(chanval_session *s, const char *path, bool walked, bool *skipped);

/* Check bytes already read by cv_read_file (fileio.h), so that a caller
 * that goes on using them (diff) uses exactly the bytes checked. */
struct cv_file_data;
chanval_status cv_check_read(chanval_session *s, const char *name,
                             const struct cv_file_data *fd);

/* Remember a file read by this run, so that no output replaces it
 * (outfile.c); CHANVAL_ERR_NOMEM when out of memory. */
chanval_status cv_input_seen(chanval_session *s, dev_t dev, ino_t ino);


/* Record an input that could not be read (the report names it and the
 * exit code is 2); `message` names the path.  Out of memory sets nomem,
 * which also makes the exit code 2. */
void cv_io_error_add(chanval_session *s, const char *path, const char *message);
/* List a walked path as skipped (not content); takes path.  false when out
 * of memory (path is then the caller's). */
bool cv_skipped_keep(chanval_session *s, char *path);
/* Out of memory: the last error says so, and the run's exit code is 2. */
void cv_set_nomem(chanval_session *s);

/* Set the session's last error message. */
void cv_set_error(chanval_session *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
