/* harness_roundtrip.c - formats-v1 section 5 on a fuzzed channel source:
 * source -> pack -> dump -> pack gives the same channel id, content
 * version, instances, criteria and strings, and the second pack is byte
 * for byte the first; pack is deterministic. */
#include "chanmodel.h"
#include "common.h"

#include <string.h>

static uint8_t *pack(chanval_session *s, const void *xml, size_t len, size_t *out_len)
{
    uint8_t *out = NULL;
    cvf_ok(chanval_pack_memory(s, "src.xml", xml, len, &out, out_len), "pack");
    return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t len = 0, len_b = 0, len2 = 0, xlen = 0;
    chanval_session *s = cvf_session(true, true);
    uint8_t *first = pack(s, data, size, &len);
    if (!first) {
        chanval_session_free(s);
        return 0;
    }
    /* from here on the session has no errors, so pack is not refused
     * because of an earlier file */
    uint8_t *again = pack(s, data, size, &len_b);
    if (!again || len_b != len || memcmp(first, again, len) != 0)
        cvf_fail("pack is not deterministic");
    chanval_free(again);

    char *xml = NULL;
    cvf_ok(chanval_dump_memory(s, "packed.bin", first, len, &xml, &xlen), "dump");
    if (!xml)
        cvf_fail("a packed file cannot be dumped");
    if (chanval_error_count(s) != 0)
        cvf_fail("a packed file has %zu errors", chanval_error_count(s));

    uint8_t *second = pack(s, xml, xlen, &len2);
    if (!second)
        cvf_fail("the dump of a packed file does not pack");
    if (len2 != len || memcmp(first, second, len) != 0) {
        cm_model a, b;
        char why[128] = "layout only";
        cm_decode(first, len, &a);
        cm_decode(second, len2, &b);
        cm_same_content(&a, &b, why, sizeof why);
        cvf_fail("pack(dump(pack(s))) differs from pack(s): %s", why);
    }
    chanval_free(xml);
    chanval_free(first);
    chanval_free(second);
    chanval_session_free(s);
    return 0;
}
