/* harness_channel.c - a channel file checked against the sample world
 * (corpus/world/types.xml and fleet.xml): the container, every rule, and
 * for a file without errors the dump round trip (dump, pack the dump: the
 * same channel id, content version, instances, criteria and strings; dump
 * and pack again: the same bytes).
 *
 * Structure-aware: the custom mutator decodes the file into its model,
 * mutates that, re-encodes and reseals the SHA-256 (fuzz/support/
 * chanmodel.c).  CHANVAL_FUZZ_MUTATOR=bytes gives plain byte mutation. */
#include "chanmodel.h"
#include "common.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    cm_set_world(cvf_world());
    return 0;
}

static uint8_t *packed(chanval_session *s, const char *xml, size_t len, size_t *out_len)
{
    uint8_t *out = NULL;
    cvf_ok(chanval_pack_memory(s, "dump.xml", xml, len, &out, out_len), "pack of a dump");
    if (!out)
        cvf_fail("the dump of an accepted channel file does not pack (%zu errors)",
                 chanval_error_count(s));
    return out;
}

static char *dumped(chanval_session *s, const uint8_t *data, size_t size, size_t *len)
{
    char *xml = NULL;
    cvf_ok(chanval_dump_memory(s, "fuzz.bin", data, size, &xml, len), "dump");
    if (!xml)
        cvf_fail("an accepted channel file cannot be dumped");
    return xml;
}

/* In the session that accepted the file (so it has no errors yet). */
static void round_trip(chanval_session *s, const uint8_t *data, size_t size)
{
    size_t xlen = 0, xlen2 = 0, plen = 0, plen2 = 0;
    char *xml = dumped(s, data, size, &xlen);
    uint8_t *first = packed(s, xml, xlen, &plen);
    cm_model a, b;
    cm_decode(data, size, &a);
    cm_decode(first, plen, &b);
    char why[128];
    if (!cm_same_content(&a, &b, why, sizeof why))
        cvf_fail("dump then pack changed the content: %s", why);
    cm_free(&a);
    cm_free(&b);
    char *xml2 = dumped(s, first, plen, &xlen2);
    uint8_t *second = packed(s, xml2, xlen2, &plen2);
    if (plen != plen2 || memcmp(first, second, plen) != 0)
        cvf_fail("pack(dump(pack(s))) differs from pack(s)");
    chanval_free(xml);
    chanval_free(xml2);
    chanval_free(first);
    chanval_free(second);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    chanval_session *s = cvf_session(true, true);
    cvf_ok(chanval_check_memory(s, "fuzz.bin", data, size), "check");
    const chanval_file *f = cvf_last(s);
    cvf_check_diags(f, size);
    size_t errors = chanval_file_errors(f), warnings = chanval_file_warnings(f);
    chanval_kind kind = chanval_file_kind(f);
    /* the same bytes again, in the same session (regex cache warm): the
     * same findings */
    cvf_ok(chanval_check_memory(s, "again.bin", data, size), "second check");
    const chanval_file *g = cvf_last(s);
    if (chanval_file_errors(g) != errors || chanval_file_warnings(g) != warnings)
        cvf_fail("a second check of the same bytes found %zu errors and %zu warnings, the first "
                 "%zu and %zu",
                 chanval_file_errors(g), chanval_file_warnings(g), errors, warnings);
    if (errors == 0 && kind == CHANVAL_KIND_CHANNEL)
        round_trip(s, data, size);
    chanval_session_free(s);
    return 0;
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
    return cm_mutate(data, size, max_size, seed);
}

size_t LLVMFuzzerCustomCrossOver(const uint8_t *data1, size_t size1, const uint8_t *data2,
                                 size_t size2, uint8_t *out, size_t max_out_size,
                                 unsigned int seed)
{
    return cm_crossover(data1, size1, data2, size2, out, max_out_size, seed);
}
