/* harness_fleet.c - a fleet manifest: loaded as -f after the sample
 * template types, then the world-only checks, then a fixed channel source
 * and channel file checked against that fleet. */
#include "common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    chanval_session *s = cvf_session(true, false);
    cvf_ok(chanval_add_fleet_memory(s, "fuzz.xml", data, size), "add fleet");
    cvf_check_diags(cvf_last(s), size);
    cvf_ok(chanval_check_world(s), "world check");
    cvf_ok(chanval_check_memory(s, "mixed.xml", cvf_source_xml, cvf_source_xml_len),
           "check source");
    cvf_ok(chanval_check_memory(s, "mixed.bin", cvf_channel_bin, cvf_channel_bin_len),
           "check channel");
    cvf_check_diags(cvf_last(s), cvf_channel_bin_len);
    chanval_session_free(s);
    return 0;
}
