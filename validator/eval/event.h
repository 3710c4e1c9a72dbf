/* event.h - one event as JSON Lines carry it (formats/events.md):
 *
 *   {"type": 7, "version": 3, "fields": {"pipe_name": "\\\\.\\pipe\\x", "1": 4},
 *    "sensors": ["7.10.17706"], "name": "...", "expect": {"fire": [1], "quiet": [10]}}
 *
 * Fields are given by name or by index (a key of digits); a field not
 * given is the empty string, or 0 (the field's min when 0 is outside its
 * range).  An event the sensor could never produce (an unknown type or
 * field, a string over the field's maxLength, an integer outside the
 * field's range, invalid UTF-8) is rejected with the reason: it is an
 * error in the test data, never a pass. */
#ifndef CV_EVENT_H
#define CV_EVENT_H

#include "model/world.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One input value. */
typedef struct cv_value {
    uint8_t kind; /* CV_FIELD_STRING or CV_FIELD_INTEGER */
    const uint8_t *s;
    uint32_t len;
    int64_t v;
} cv_value;

/* The longest line an events file may hold: 64 fields of 65,535 bytes,
 * each escaped as \uXXXX, fit. */
enum { CV_EVENT_LINE_MAX = 32 << 20 };

typedef struct cv_event {
    uint32_t type_id;
    uint16_t type_version;
    const cv_type *def;
    cv_value *vals;    /* def->nfields */
    uint32_t *sensors; /* world sensor indices it applies to; all when nsensors == 0 */
    size_t nsensors;
    bool has_expect;
    uint32_t *fire, *quiet; /* instance ids */
    size_t nfire, nquiet;
    const char *name; /* or NULL */
    void *json;       /* owns the strings */
} cv_event;

typedef enum cv_event_status {
    CV_EVENT_OK = 0,
    CV_EVENT_BAD, /* why[] says what; *col the column, 1-based */
    CV_EVENT_NOMEM
} cv_event_status;

/* Parse one line (without its newline).  `expect`: the line may carry
 * "expect" and "name" (a test document's); a benign corpus's may not. */
cv_event_status cv_event_parse(const cv_world *w, const char *line, size_t len, bool expect,
                               cv_event *ev, char *why, size_t why_size, uint32_t *col);
void cv_event_free(cv_event *ev);

/* A test document's first line: {"channel": "PATH", "sensors": [...],
 * "name": "..."}.  *channel and *name point into *json (cv_json_free). */
cv_event_status cv_test_header_parse(const cv_world *w, const char *line, size_t len,
                                     const char **channel, uint32_t **sensors, size_t *nsensors,
                                     void **json, char *why, size_t why_size, uint32_t *col);
void cv_json_free(void *json);
/* Any JSON document (a json_t * of jansson, through chanval's allocator);
 * NULL with *oom, or with why[] (line:column: what) when it is not JSON. */
void *cv_json_parse(const char *text, size_t len, bool *oom, char *why, size_t why_size);

/* "jansson 2.14", for chanval --version. */
const char *cv_json_version(void);

#endif
