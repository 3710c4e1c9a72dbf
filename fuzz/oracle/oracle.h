/*
 * oracle.h - the soundness oracle: a reference content interpreter that
 * does what formats-v1 section 3 says an endpoint does, and nothing more
 * careful.  It exists to test chanval and is never part of libchanval.
 *
 * It trusts the channel file: it reads the header, the section table and
 * the criteria in place, without bounds checks, so that AddressSanitizer
 * sees every read a real endpoint would make past the file.  For every
 * sensor of the fleet and every type the sensor supports, it builds input
 * arrays of exactly `inputs` elements on the heap and, for every
 * non-wildcard criterion at index i, reads inputs[i] unchecked.  Regexes
 * are matched by PCRE2 (UTF, caseless when flagged, interpreted) with the
 * step counter of formats-v1 section 1.2 capped at the sensor's
 * regexMatchLimit.
 *
 * What a real endpoint would trip over without a sanitizer to see it
 * (an unknown op, a string read as an integer, a regex it cannot compile,
 * a sensor limit, an exhausted regex budget) is returned as a fault.
 *
 * The world (template types and fleet) is read here with libxml2's tree
 * API, independently of chanval's loaders, so that a bug in those cannot
 * hide from the oracle.
 */
#ifndef CVF_ORACLE_H
#define CVF_ORACLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { OR_STRING = 1, OR_INTEGER = 2 };

typedef struct or_field {
    uint8_t kind;
    uint32_t max_length; /* OR_STRING */
    int64_t min, max;    /* OR_INTEGER */
} or_field;

typedef struct or_type {
    uint32_t id;
    uint16_t version;
    uint32_t nfields;
    or_field *fields;
} or_type;

typedef struct or_supports {
    uint32_t type_id;
    uint16_t type_version;
    uint16_t inputs;
} or_supports;

typedef struct or_sensor {
    char version[64];
    uint32_t max_channel_bytes, max_instances, max_regex_length, regex_match_limit;
    or_supports *sup;
    size_t nsup;
} or_sensor;

typedef struct or_world {
    or_type *types;
    size_t ntypes;
    or_sensor *sensors;
    size_t nsensors;
} or_world;

/* Read valid template types and fleet documents (the fixed world of the
 * harnesses).  False on anything unexpected; the world is then empty. */
bool or_world_load(or_world *w, const void *types_xml, size_t types_len, const void *fleet_xml,
                   size_t fleet_len);
void or_world_free(or_world *w);
const or_type *or_world_type(const or_world *w, uint32_t id, uint16_t version);

typedef struct or_options {
    /* An exhausted regex budget is a fault (formats-v1 section 3); the
     * evaluation is abandoned at the budget either way. */
    bool budget;
    /* Stop evaluating regexes of one file once this many steps were spent
     * on it (0: no cap), so that one input cannot stall a fuzzer.  Inputs
     * are still read for every criterion. */
    uint64_t steps_cap;
} or_options;

typedef struct or_result {
    bool fault;
    char why[320];
    uint64_t criteria;  /* criterion evaluations */
    uint64_t fired;     /* instance firings */
    uint64_t steps;     /* regex steps, all sensors */
    uint64_t exhausted; /* evaluations abandoned at the budget */
} or_result;

/* Interpret `file` (exactly `len` heap bytes) for every sensor of `w`. */
void or_run(const or_world *w, const uint8_t *file, size_t len, const or_options *opt,
            or_result *res);

/* One event on one sensor, for the differential harness against the
 * library's interpreter (harness_eval): the file parsed as for or_run
 * (the sensor's own limits only), then every instance of the type run on
 * an input array of exactly the sensor's `inputs` elements, filled from
 * vals (the type's fields; inputs past them are empty strings).  Reads
 * past the array are checked here, reported as a fault naming the
 * instance and criterion, so that the two can be compared; the budget
 * abandons a regex (no match) without a fault. */
typedef struct or_value {
    uint8_t kind; /* OR_STRING or OR_INTEGER */
    const uint8_t *s;
    size_t len;
    int64_t v;
} or_value;

typedef struct or_eval_result {
    bool ran; /* the file has an instance of the type and the sensor supports it */
    bool fault;
    char why[320];
    uint32_t fault_inst, fault_crit; /* the instance id and criterion index read */
    uint32_t *fired;                 /* instance ids, in file order */
    size_t nfired;
    bool exhausted;
    uint64_t steps;
} or_eval_result;

void or_eval(const or_world *w, const uint8_t *file, size_t len, size_t sensor, uint32_t type_id,
             uint16_t type_version, const or_value *vals, size_t nvals, or_eval_result *res);
void or_eval_result_free(or_eval_result *res);

#endif
