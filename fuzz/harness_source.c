/* harness_source.c - a channel source (or any XML, or anything at all:
 * the kind is detected from the content) checked against the sample
 * world, then packed. */
#include "common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    chanval_session *s = cvf_session(true, true);
    uint8_t *out = NULL;
    size_t len = 0;
    cvf_ok(chanval_pack_memory(s, "fuzz.xml", data, size, &out, &len), "pack");
    const chanval_file *f = cvf_last(s);
    cvf_check_diags(f, size);
    size_t pack_errors = chanval_file_errors(f);
    chanval_kind kind = chanval_file_kind(f);
    if (kind == CHANVAL_KIND_SOURCE && (pack_errors == 0) != (out != NULL))
        cvf_fail("pack found %zu errors in a source, but %s", pack_errors,
                 out ? "wrote a file" : "refused it");
    /* check says what pack said */
    cvf_ok(chanval_check_memory(s, "fuzz.xml", data, size), "check");
    f = cvf_last(s);
    cvf_check_diags(f, size);
    if (kind == CHANVAL_KIND_SOURCE &&
        (chanval_file_errors(f) != pack_errors || chanval_file_kind(f) != kind))
        cvf_fail("check found %zu errors, pack %zu", chanval_file_errors(f), pack_errors);
    if (out) {
        /* what pack writes, check accepts */
        cvf_ok(chanval_check_memory(s, "packed.bin", out, len), "check of the packed file");
        if (chanval_file_errors(cvf_last(s)) != 0)
            cvf_fail("pack wrote a channel file with %zu errors",
                     chanval_file_errors(cvf_last(s)));
    }
    chanval_free(out);
    chanval_session_free(s);
    return 0;
}
