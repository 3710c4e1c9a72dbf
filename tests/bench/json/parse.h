/* parse.h - the two JSON libraries measured by parse.c, each in its own
 * file: their headers cannot be included together. */
#ifndef BENCH_JSON_PARSE_H
#define BENCH_JSON_PARSE_H
#include <stddef.h>
#include <stdint.h>
uint64_t with_jansson(const char *data, size_t len, size_t *lines);
uint64_t with_json_c(const char *data, size_t len, size_t *lines);
const char *jansson_version(void);
const char *json_c_version(void);
#endif
