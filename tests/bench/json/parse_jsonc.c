/* parse_jsonc.c - one event per line with json-c (strict, UTF-8 validated). */
#define _POSIX_C_SOURCE 200809L
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "parse.h"

uint64_t with_json_c(const char *data, size_t len, size_t *lines)
{
    uint64_t sum = 0;
    json_tokener *tok = json_tokener_new();
    json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
    for (size_t pos = 0; pos < len;) {
        const char *nl = memchr(data + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - data) : len;
        json_tokener_reset(tok);
        json_object *root = json_tokener_parse_ex(tok, data + pos, (int)(end - pos));
        if (!root)
            exit(1);
        json_object *x;
        if (json_object_object_get_ex(root, "type", &x))
            sum += (uint64_t)json_object_get_int64(x);
        if (json_object_object_get_ex(root, "version", &x))
            sum += (uint64_t)json_object_get_int64(x);
        if (json_object_object_get_ex(root, "fields", &x)) {
            json_object_object_foreach(x, k, v)
            {
                (void)k;
                sum += json_object_is_type(v, json_type_string)
                           ? (uint64_t)json_object_get_string_len(v)
                           : (uint64_t)json_object_get_int64(v);
            }
        }
        json_object_put(root);
        (*lines)++;
        pos = end + 1;
    }
    json_tokener_free(tok);
    return sum;
}

const char *json_c_version(void) { return JSON_C_VERSION; }
