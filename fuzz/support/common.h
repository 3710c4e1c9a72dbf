/* common.h - what the fuzz harnesses share: the embedded sample world,
 * sessions over it, the oracle's reading of it, and how a harness reports
 * a finding (abort, so that libFuzzer and AFL++ record the input). */
#ifndef CVF_COMMON_H
#define CVF_COMMON_H

#include "chanval.h"
#include "oracle.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* corpus/world/types.xml, corpus/world/fleet.xml and the channel source
 * corpus/valid/mixed.xml with its packed file, embedded at build time
 * (fuzz/tools/embed.sh); NUL-terminated, _len without the NUL. */
extern const unsigned char cvf_types_xml[];
extern const size_t cvf_types_xml_len;
extern const unsigned char cvf_fleet_xml[];
extern const size_t cvf_fleet_xml_len;
extern const unsigned char cvf_source_xml[];
extern const size_t cvf_source_xml_len;
extern const unsigned char cvf_channel_bin[];
extern const size_t cvf_channel_bin_len;

/* libFuzzer's interface (also what the standalone driver calls). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);
size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed);
size_t LLVMFuzzerCustomCrossOver(const uint8_t *data1, size_t size1, const uint8_t *data2,
                                 size_t size2, uint8_t *out, size_t max_out_size,
                                 unsigned int seed);

/* A session with the sample template types and, when `fleet`, the sample
 * fleet loaded; aborts when that fails (it never should). */
chanval_session *cvf_session(bool types, bool fleet);
/* The oracle's own reading of the sample world, loaded once. */
const or_world *cvf_world(void);

/* A finding: print it and abort. */
void cvf_fail(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
/* A finding with a name: when the name is listed (space-separated) in
 * CHANVAL_FUZZ_KNOWN, a bug already on record in corpus/regress/
 * known-failures, it is printed once and the run goes on; otherwise it
 * is a finding like cvf_fail. */
void cvf_finding(const char *id, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* p[0..n) with a NUL after it (free() it), for PCRE2: before 10.45 it
 * reads one byte past an unterminated "(*LIMIT_MATCH=1" (upstream pull
 * request 463), so a pattern compiled in place would depend on the byte
 * after the fuzzer's buffer.  chanval compiles such a copy too. */
uint8_t *cvf_nul_copy(const uint8_t *p, size_t n);
/* A library call that must succeed (no I/O, no usage error, and nothing
 * runs out of memory under the fuzzers' limits). */
void cvf_ok(chanval_status st, const char *what);
/* The report entry added last. */
const chanval_file *cvf_last(const chanval_session *s);
/* Sanity of every diagnostic of f: a known rule, a message, a location
 * inside a document of `size` bytes. */
void cvf_check_diags(const chanval_file *f, size_t size);
/* An environment switch: unset gives `def`; "0", "no", "off" or "" false. */
bool cvf_env_flag(const char *name, bool def);

#endif
