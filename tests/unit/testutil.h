/* testutil.h - helpers shared by the cmocka suites. */
#ifndef TESTUTIL_H
#define TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "chanval.h"

/* The sample world, inline so that unit tests do not depend on the corpus:
 * type 7 v3 (21 fields, index 20 "remote_pipe_flags" a string of 64),
 * type 12 v1 (8 fields); sensor 7.11.18110 supplies 20 inputs for 7/3,
 * sensor 7.10.17706 supplies 21; both supply 8 for 12/1. */
extern const char tu_types_xml[];
extern const char tu_fleet_xml[];
/* The same fleet but every sensor supplies every field. */
extern const char tu_healthy_fleet_xml[];

/* A session with the given world documents loaded (NULL to skip). */
chanval_session *tu_session(const char *types_xml, const char *fleet_xml);
/* The report entry added last. */
const chanval_file *tu_last(const chanval_session *s);
const chanval_diag *tu_find(const chanval_file *f, unsigned rule);
size_t tu_count(const chanval_file *f, unsigned rule);
/* The distinct rule IDs of f, sorted: "CV400,CV401" ("-" when none). */
const char *tu_rules(const chanval_file *f);
/* The same over the report entries from index `from` on. */
const char *tu_session_rules(const chanval_session *s, size_t from);

/* Check in-memory text/bytes; returns the new report entry. */
const chanval_file *tu_check(chanval_session *s, const char *name, const void *data, size_t len);
const chanval_file *tu_check_str(chanval_session *s, const char *name, const char *text);

#define assert_rules(f, expected) assert_string_equal(tu_rules(f), (expected))
/* The first finding of `rule` in f is at byte offset off. */
void tu_assert_offset(const chanval_file *f, unsigned rule, uint64_t off);
/* The first finding of `rule` in f is at line:col. */
void tu_assert_line(const chanval_file *f, unsigned rule, uint32_t line, uint32_t col);

/* A channel file under construction. */
typedef struct tu_bin {
    uint8_t *p;
    size_t n;
} tu_bin;

/* Pack a channel source with the session's world; asserts success. */
tu_bin tu_pack(chanval_session *s, const char *source_xml);
void tu_bin_free(tu_bin *b);
void tu_put(tu_bin *b, size_t off, uint64_t v, int bytes); /* little-endian */
uint64_t tu_get(const tu_bin *b, size_t off, int bytes);
/* Recompute the header digest (an independent implementation). */
void tu_reseal(tu_bin *b);
/* Grow or shrink the file to n bytes (zero-filled). */
void tu_resize(tu_bin *b, size_t n);

/* Read a whole file; asserts success. */
char *tu_read(const char *path, size_t *len);

/* ---- added for the per-area suites ------------------------------------ */

/* Pack a source in a fresh session with the given world; asserts success. */
tu_bin tu_pack_with(const char *types_xml, const char *fleet_xml, const char *source_xml);
/* The n-th (0-based) finding of `rule` in f, or NULL. */
const chanval_diag *tu_nth(const chanval_file *f, unsigned rule, size_t n);
/* The first finding of `rule` in f; fails the test when there is none. */
const chanval_diag *tu_must(const chanval_file *f, unsigned rule);
/* The first finding of `rule` in f has `needle` in its message. */
void tu_assert_message(const chanval_file *f, unsigned rule, const char *needle);
/* ... in its message or its note. */
void tu_assert_text(const chanval_file *f, unsigned rule, const char *needle);
/* The first finding of `rule` in f has severity sev. */
void tu_assert_severity(const chanval_file *f, unsigned rule, chanval_severity sev);
/* Every finding of `rule` in f is at line:col. */
void tu_assert_all_lines(const chanval_file *f, unsigned rule, uint32_t line, uint32_t col);
/* Line and column (in characters) of the one occurrence of needle. */
void tu_locate(const char *text, const char *needle, uint32_t *line, uint32_t *col);
/* The first finding of `rule` in f is where needle starts in text. */
void tu_assert_at(const chanval_file *f, unsigned rule, const char *text, const char *needle);
/* ... where target starts inside the one occurrence of context. */
void tu_assert_in(const chanval_file *f, unsigned rule, const char *text, const char *context,
                  const char *target);
/* Section table entry of `kind` (1..3) in a packed file: offset and size. */
uint32_t tu_sec_off(const tu_bin *b, unsigned kind);
uint32_t tu_sec_size(const tu_bin *b, unsigned kind);
/* Load world documents into an existing session; return the report entry. */
const chanval_file *tu_add_types(chanval_session *s, const char *xml);
const chanval_file *tu_add_fleet(chanval_session *s, const char *xml);

/* A scratch directory per test: cmocka setup/teardown that make tu_dir
 * (mkdtemp under /tmp) and remove it with all it holds. */
extern char tu_dir[64];
int tu_tmp_setup(void **state);
int tu_tmp_teardown(void **state);

#endif
