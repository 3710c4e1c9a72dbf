/* common.c - see common.h. */
#include "common.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cvf_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("chanval fuzz finding: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    fflush(stderr);
    abort();
}

uint8_t *cvf_nul_copy(const uint8_t *p, size_t n)
{
    uint8_t *z = malloc(n + 1);
    if (!z)
        cvf_fail("out of memory");
    if (n)
        memcpy(z, p, n);
    z[n] = 0;
    return z;
}

/* Builds that cannot set the environment (ClusterFuzzLite) compile the
 * list of known findings in. */
#ifndef CVF_FUZZ_KNOWN_DEFAULT
#define CVF_FUZZ_KNOWN_DEFAULT ""
#endif

static bool known(const char *id)
{
    const char *list = getenv("CHANVAL_FUZZ_KNOWN");
    if (!list)
        list = CVF_FUZZ_KNOWN_DEFAULT;
    size_t n = strlen(id);
    for (const char *p = list ? strstr(list, id) : NULL; p; p = strstr(p + 1, id))
        if ((p == list || p[-1] == ' ') && (p[n] == '\0' || p[n] == ' '))
            return true;
    return false;
}

void cvf_finding(const char *id, const char *fmt, ...)
{
    static bool said;
    va_list ap;
    va_start(ap, fmt);
    if (!known(id)) {
        fprintf(stderr, "chanval fuzz finding [%s]: ", id);
        vfprintf(stderr, fmt, ap);
        fputc('\n', stderr);
        fflush(stderr);
        abort();
    }
    if (!said) {
        fprintf(stderr, "known finding [%s] (corpus/regress/known-failures): ", id);
        vfprintf(stderr, fmt, ap);
        fputc('\n', stderr);
        said = true;
    }
    va_end(ap);
}

void cvf_ok(chanval_status st, const char *what)
{
    if (st != CHANVAL_OK)
        cvf_fail("%s returned status %d", what, (int)st);
}

chanval_session *cvf_session(bool types, bool fleet)
{
    chanval_session *s = chanval_session_new();
    if (!s)
        cvf_fail("chanval_session_new returned NULL");
    if (types)
        cvf_ok(chanval_add_types_memory(s, "types.xml", cvf_types_xml, cvf_types_xml_len),
               "loading the sample template types");
    if (fleet)
        cvf_ok(chanval_add_fleet_memory(s, "fleet.xml", cvf_fleet_xml, cvf_fleet_xml_len),
               "loading the sample fleet");
    if (chanval_error_count(s) != 0)
        cvf_fail("the sample world has errors");
    return s;
}

const or_world *cvf_world(void)
{
    static or_world w;
    static bool loaded;
    if (!loaded) {
        if (!or_world_load(&w, cvf_types_xml, cvf_types_xml_len, cvf_fleet_xml,
                           cvf_fleet_xml_len))
            cvf_fail("the oracle cannot read the sample world");
        loaded = true;
    }
    return &w;
}

const chanval_file *cvf_last(const chanval_session *s)
{
    size_t n = chanval_file_count(s);
    if (n == 0)
        cvf_fail("the report is empty");
    return chanval_file_at(s, n - 1);
}

void cvf_check_diags(const chanval_file *f, size_t size)
{
    size_t errors = 0, warnings = 0, suppressed = 0;
    for (size_t i = 0; i < chanval_file_diag_count(f); i++) {
        const chanval_diag *d = chanval_file_diag(f, i);
        char id[16];
        snprintf(id, sizeof id, "%u", (unsigned)d->rule);
        if (!chanval_rule_find(id))
            cvf_fail("diagnostic %zu has rule %u, which is not in the rule table", i, d->rule);
        if (!d->message || !d->message[0])
            cvf_fail("diagnostic %zu (CV%03u) has no message", i, d->rule);
        if (d->severity != CHANVAL_SEV_ERROR && d->severity != CHANVAL_SEV_WARNING)
            cvf_fail("diagnostic %zu (CV%03u) has severity %d", i, d->rule, (int)d->severity);
        if (d->suppressed != CHANVAL_SUPPRESS_NONE) {
            /* what means a file cannot be read, and CV400, never is */
            if ((d->rule >= 100 && d->rule <= 120) || (d->rule >= 200 && d->rule <= 203) ||
                d->rule == 400)
                cvf_fail("diagnostic %zu (CV%03u) is suppressed (%d)", i, d->rule,
                         (int)d->suppressed);
            suppressed++;
        } else if (d->severity == CHANVAL_SEV_ERROR) {
            errors++;
        } else {
            warnings++;
        }
        if (d->loc_kind == CHANVAL_LOC_OFFSET && d->offset > size)
            cvf_fail("diagnostic %zu (CV%03u) is at offset %llu of a %zu-byte file", i, d->rule,
                     (unsigned long long)d->offset, size);
        if (d->loc_kind == CHANVAL_LOC_LINE && (d->line == 0 || d->column == 0))
            cvf_fail("diagnostic %zu (CV%03u) is at line %u, column %u", i, d->rule, d->line,
                     d->column);
    }
    if (chanval_file_dropped(f) == 0 &&
        (errors != chanval_file_errors(f) || warnings != chanval_file_warnings(f) ||
         suppressed != chanval_file_suppressed(f)))
        cvf_fail("%zu errors, %zu warnings and %zu suppressed stored, but the file counts %zu, "
                 "%zu and %zu",
                 errors, warnings, suppressed, chanval_file_errors(f), chanval_file_warnings(f),
                 chanval_file_suppressed(f));
}

bool cvf_env_flag(const char *name, bool def)
{
    const char *v = getenv(name);
    if (!v)
        return def;
    return !(v[0] == '\0' || strcmp(v, "0") == 0 || strcmp(v, "no") == 0 ||
             strcmp(v, "off") == 0);
}

/* Sanitizer defaults for every harness (the environment still overrides):
 * a smaller quarantine keeps the many short-lived allocations of one run
 * from touching fresh pages each time, which doubles the speed; 32 MiB of
 * freed memory is still held back to catch a use after free. */
const char *__asan_default_options(void);
const char *__asan_default_options(void) { return "quarantine_size_mb=32"; }
