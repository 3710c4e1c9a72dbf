/* jsoncheck.h - strict JSON validation for the report writers' harness. */
#ifndef CVF_JSONCHECK_H
#define CVF_JSONCHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Is text[0..len) exactly one RFC 8259 JSON text?  On false, `why` says
 * what is wrong and where. */
bool cvf_json_valid(const char *text, size_t len, char *why, size_t why_size);
/* Does it start (after white space) with an object? */
bool cvf_json_object(const char *text, size_t len);

#endif
