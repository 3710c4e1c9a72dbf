/* diag.h - findings: the report entry of one file (chanval_file), the
 * checking context every checker writes its findings to (cv_ctx), and the
 * policy that decides their severity and suppression. */
#ifndef CV_DIAG_H
#define CV_DIAG_H

#include "base/buf.h"
#include "base/idset.h"
#include "chanval.h"
#include "model/world.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { CV_MAX_RULE = 1000 }; /* rule IDs are CV000..CV999 */

/* Rule IDs as a bitmap. */
typedef struct cv_rule_set {
    uint8_t bits[CV_MAX_RULE / 8];
} cv_rule_set;

static inline void cv_rule_set_add(cv_rule_set *r, unsigned rule)
{
    if (rule < CV_MAX_RULE)
        r->bits[rule / 8] = (uint8_t)(r->bits[rule / 8] | 1u << (rule % 8));
}

static inline bool cv_rule_set_has(const cv_rule_set *r, unsigned rule)
{
    return rule < CV_MAX_RULE && (r->bits[rule / 8] >> (rule % 8) & 1);
}

/* An inline suppression: findings of `rules` located in [start, end). */
typedef struct cv_supp_range {
    size_t start, end; /* start == SIZE_MAX: waiting for its element */
    size_t at;         /* the processing instruction */
    cv_rule_set rules;
    const char *reason;
} cv_supp_range;


struct chanval_file {
    char *path;
    chanval_kind kind;
    uint64_t size;
    uint8_t sha256[32];
    bool has_sha256;
    chanval_diag *diags;
    size_t ndiags, diags_cap;
    size_t errors, warnings, suppressed; /* recounted by cv_file_finish */
    uint64_t dropped;                     /* counted, not stored */
    size_t dropped_errors, dropped_warnings;
    cv_rule_set seen; /* every rule reported, stored or not */
    cv_supp_range *supp;
    size_t nsupp, supp_cap;
    cv_arena arena; /* message strings */
    struct cv_excerpts *ex; /* the bytes behind the findings, when captured */
    chanval_test_case *cases; /* a test's expectations (strings in arena) */
    size_t ncases, cases_cap;
};

/* A file's excerpts and the structures over them (chanval_set_excerpts). */
typedef struct cv_excerpts {
    chanval_excerpt *win;
    size_t nwin, win_cap;
    chanval_span *spans;
    size_t nspans, spans_cap;
    size_t dropped; /* findings past the window limit */
    cv_arena arena; /* bytes and labels */
} cv_excerpts;

enum { CV_OVERRIDE_NONE = 0, CV_OVERRIDE_WARNING, CV_OVERRIDE_ERROR, CV_OVERRIDE_OFF };


/* What the checkers are held to: the run's settings that change a
 * verdict.  Read-only while files are checked (by several threads). */
typedef struct cv_policy {
    uint64_t limits[CHANVAL_LIMIT_COUNT];
    bool strict;
    uint8_t rule_override[CV_MAX_RULE]; /* CV_OVERRIDE_* from the configuration */
    cv_idset baseline;                  /* fingerprints (as numbers) of known findings */
    bool have_baseline;
} cv_policy;

/* Checking one document: where findings go and how to locate them, and
 * what a checker may use of the run (never the session). */
typedef struct cv_ctx {
    const cv_policy *policy;
    cv_world *world; /* read-only, except for the -t/-f documents that join it */
    struct cv_regex_cache *regex;
    unsigned threads;            /* for the regex cost queue; 0: one per CPU */
    chanval_file *const *files;  /* the report's entries so far (earlier definitions) */
    chanval_file *f;
    size_t file_index;
    bool xml;            /* locations are line:col of `text` */
    const uint8_t *text; /* the document, for line:col and attributes */
    size_t text_len;
    size_t *line_starts; /* built on first use */
    size_t nlines;
    /* the last column found, counted on from: its line's index + 1 (0: none) */
    size_t col_line, col_off, col;
    bool oom;          /* sticky: an allocation failed */
    bool mute;         /* a second pass: findings are not recorded */
    /* muted findings of rules that block decoding: counted, the first kept
     * (a loader that must know whether a file loads, eval/program.c) */
    uint64_t muted_blocking;
    unsigned muted_rule;
    char muted_msg[192];
    cv_buf scratch[2]; /* for cv_quote */
} cv_ctx;

/* Release what a context allocated (not the file or session). */
void cv_ctx_done(cv_ctx *cx);

/* Where a template-types or fleet document keeps its names: the world's
 * arena when it joins the world, else its own report's (files checked on
 * other threads share the world, which is read-only while they run). */
cv_arena *cv_names_arena(cv_ctx *cx, bool join);

/* Record a finding at byte offset `off` (converted to line:col for XML).
 * Returns the stored diagnostic for extra fields, or NULL when it was only
 * counted (over --max-diagnostics, or out of memory). */
chanval_diag *cv_report(cv_ctx *cx, unsigned rule, size_t off, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
chanval_diag *cv_report_sev(cv_ctx *cx, unsigned rule, chanval_severity sev, size_t off,
                            const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* A finding with an explicit line:col (from libxml2), in the current file. */
chanval_diag *cv_report_linecol(cv_ctx *cx, unsigned rule, uint32_t line, uint32_t col,
                                const char *fmt, ...) __attribute__((format(printf, 5, 6)));
chanval_diag *cv_report_linecol_sev(cv_ctx *cx, unsigned rule, chanval_severity sev,
                                    uint32_t line, uint32_t col, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
void cv_note(cv_ctx *cx, chanval_diag *d, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void cv_set_instance(chanval_diag *d, uint32_t id, int32_t criterion);
void cv_set_sensor(cv_ctx *cx, chanval_diag *d, const char *sensor);
/* Has `rule` been reported (stored or not) in the current file? */
bool cv_seen(const chanval_file *f, unsigned rule);

/* Quote bytes for a message: escapes, invalid UTF-8 shown as \xHH, at
 * most `max` bytes shown.  Valid until the next call with the same slot. */
const char *cv_quote(cv_ctx *cx, int slot, const uint8_t *p, size_t len, size_t max);

/* Line and column (1-based, column in characters) of a byte offset. */
void cv_linecol(cv_ctx *cx, size_t off, uint32_t *line, uint32_t *col);

/* The file is complete: sort its findings by location, give each its
 * fingerprint, apply inline and baseline suppressions, count.  Returns -1
 * when out of memory.  May be called again after more findings. */
int cv_file_finish(const cv_policy *p, chanval_file *f);
/* After cv_file_finish, for a binary file: give each finding located by
 * byte offset the line and column where that byte sits as a text editor
 * counts them (lines end at 0x0a, columns count bytes from 1), so that
 * editors can jump to it.  One pass over the bytes for all findings. */
void cv_text_positions(chanval_file *f, const uint8_t *data, size_t len);

/* A finished file's findings and counts as bytes for the result cache
 * (-1 when out of memory), and back into an entry f of the same kind:
 * false when the bytes are not such a record, f then left as it was (and
 * the file must be checked). */
int cv_file_persist(const chanval_file *f, cv_buf *out);
bool cv_file_restore(chanval_file *f, const uint8_t *p, size_t n);
/* Parse the data of <?chanval suppress="CV401 CV306" reason="..."?> at
 * offset `at`; findings go to cx (CV202).  False when it is not valid. */
bool cv_supp_parse(cv_ctx *cx, size_t at, const char *data, cv_supp_range *out);

/* Sort a file's findings by location, stably. */
int cv_sort_diags(chanval_file *f);
/* The number a fingerprint's 16 hex digits stand for (never 0). */
uint64_t cv_fingerprint_number(const char *hex16);
/* Give d a content key (see chanval_diag.key). */
void cv_set_key(cv_ctx *cx, chanval_diag *d, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void cv_file_free(chanval_file *f);
void cv_excerpts_free(cv_excerpts *ex);

#endif
