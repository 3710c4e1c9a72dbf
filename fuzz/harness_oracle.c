/* harness_oracle.c - the soundness oracle: a fuzzed channel file is
 * checked against the sample world; when chanval accepts it (no errors),
 * the reference interpreter of formats-v1 section 3 (fuzz/oracle/) runs
 * every instance for every sensor of the fleet on generated events
 * (maximal-length strings of several shapes, boundary integers).  A
 * sanitizer report in the interpreter (a read past an input array or past
 * the file), a parse fault or an exhausted regex budget means chanval
 * accepted a file that hurts an endpoint.
 *
 * The budget check is on now that chanval rejects costly regexes (CV502);
 * CHANVAL_ORACLE_BUDGET=0 (or -DCVF_ORACLE_BUDGET_DEFAULT=0) turns it off.
 * Same structure-aware mutator as harness_channel. */
#include "chanmodel.h"
#include "common.h"

#include <stdio.h>

#ifndef CVF_ORACLE_BUDGET_DEFAULT
#define CVF_ORACLE_BUDGET_DEFAULT 1
#endif

static or_options options;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    cm_set_world(cvf_world());
    options.budget = cvf_env_flag("CHANVAL_ORACLE_BUDGET", CVF_ORACLE_BUDGET_DEFAULT);
    /* bound one input's regex work when exhaustion is not a finding */
    options.steps_cap = 4000000;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    chanval_session *s = cvf_session(true, true);
    cvf_ok(chanval_check_memory(s, "fuzz.bin", data, size), "check");
    const chanval_file *f = cvf_last(s);
    bool accepted = chanval_file_errors(f) == 0 && chanval_file_kind(f) == CHANVAL_KIND_CHANNEL;
    chanval_session_free(s);
    if (!accepted)
        return 0;
    or_result res;
    or_run(cvf_world(), data, size, &options, &res);
    if (res.fault)
        cvf_fail("chanval accepted a channel file that the reference interpreter faults on: %s",
                 res.why);
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
