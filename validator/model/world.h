/* world.h - template types and fleet: what the run knows about the sensors. */
#ifndef CV_WORLD_H
#define CV_WORLD_H

#include "base/buf.h"
#include "base/idset.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { CV_FIELD_STRING = 1, CV_FIELD_INTEGER = 2 };

typedef struct cv_field {
    const char *name;
    uint8_t kind;
    uint32_t max_length; /* string */
    int64_t min, max;    /* integer */
    uint32_t line, col;  /* of the <field> element */
} cv_field;

typedef struct cv_type {
    uint32_t id;
    uint16_t version;
    const char *name;
    cv_field *fields;
    uint32_t nfields;
    size_t file;        /* report entry that defined it */
    uint32_t line, col; /* of the <templateType> element */
} cv_type;

typedef struct cv_supports {
    uint32_t type_id;
    uint16_t type_version;
    uint16_t inputs;
    uint32_t line, col;
} cv_supports;

typedef struct cv_sensor {
    const char *version;
    uint32_t max_channel_bytes, max_instances, max_regex_length, regex_match_limit;
    cv_supports *supports;
    size_t nsupports;
    size_t file;
    uint32_t line, col;
} cv_sensor;

/* One sensor's view of a type: it supplies `inputs` inputs. */
typedef struct cv_supporter {
    uint64_t key; /* cv_type_key(id, version) */
    uint32_t sensor;
    uint16_t inputs;
} cv_supporter;

typedef struct cv_world {
    cv_type *types;
    size_t ntypes, types_cap;
    cv_sensor *sensors;
    size_t nsensors, sensors_cap;
    bool have_fleet;
    /* every -t/-f document's bytes, chained (SHA-256): what a cached
     * result was checked against */
    uint8_t digest[32];
    cv_idset type_keys;   /* cv_type_key + 1 -> index into types */
    cv_idset sensor_keys; /* hash of version -> index into sensors */
    /* built by cv_world_freeze: sorted views for O(log n) lookups */
    bool frozen;
    cv_type **by_key;
    cv_supporter *supporters;
    size_t nsupporters;
    cv_arena arena;
} cv_world;

static inline uint64_t cv_type_key(uint32_t id, uint16_t version)
{
    return (uint64_t)id << 16 | version;
}

void cv_world_free(cv_world *w);
/* The world changed: the sorted views must be rebuilt. */
void cv_world_thaw(cv_world *w);
/* Add a template type (its fields copied into the world's arena) or a
 * sensor (its supports copied); the sorted views are rebuilt on the next
 * freeze.  0, or -1 when out of memory (the world is unchanged). */
int cv_world_add_type(cv_world *w, const cv_type *t, const cv_field *fields, size_t nfields);
int cv_world_add_sensor(cv_world *w, const cv_sensor *s, const cv_supports *sup, size_t nsup);
uint64_t cv_hash_bytes(const void *p, size_t n);
/* Build the sorted views (again after a change); 0, or -1 when out of
 * memory. */
int cv_world_freeze(cv_world *w);
const cv_type *cv_world_type(const cv_world *w, uint32_t id, uint16_t version);
/* The index of the sensor with this version, or SIZE_MAX. */
size_t cv_world_sensor(const cv_world *w, const char *version);
/* The sensors that support (id, version): *n entries, sorted by sensor. */
const cv_supporter *cv_world_supporters(const cv_world *w, uint32_t id, uint16_t version,
                                        size_t *n);

#endif
