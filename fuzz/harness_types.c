/* harness_types.c - a template-types document: loaded as -t (what is
 * valid joins the world), then the world-only checks with the sample
 * fleet, then a fixed channel source and channel file checked against
 * whatever world that made. */
#include "common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    chanval_session *s = cvf_session(false, false);
    cvf_ok(chanval_add_types_memory(s, "fuzz.xml", data, size), "add types");
    cvf_check_diags(cvf_last(s), size);
    cvf_ok(chanval_add_fleet_memory(s, "fleet.xml", cvf_fleet_xml, cvf_fleet_xml_len),
           "add fleet");
    cvf_ok(chanval_check_world(s), "world check");
    cvf_ok(chanval_check_memory(s, "mixed.xml", cvf_source_xml, cvf_source_xml_len),
           "check source");
    cvf_ok(chanval_check_memory(s, "mixed.bin", cvf_channel_bin, cvf_channel_bin_len),
           "check channel");
    cvf_check_diags(cvf_last(s), cvf_channel_bin_len);
    chanval_session_free(s);
    return 0;
}
