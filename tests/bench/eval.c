/* eval.c - the interpreter alone, without JSON: events built in memory run
 * through eval/ on one sensor, with the equals index and with a plain loop
 * over every instance of the type.  Prints events/s for each.
 *   eval TYPES FLEET CHANNEL SENSOR EVENTS
 * The content is typically equals-heavy (make bench makes 10,000
 * instances, each an EQUALS on image_path); the events are process
 * creations of type 12 v1 whose image_path matches one instance in 64.
 * The plain loop runs a hundredth of the events. */
#define _POSIX_C_SOURCE 200809L
#include "api/session.h"
#include "base/alloc.h"
#include "eval/interp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *p = malloc((size_t)n + 1);
    if (!p || fread(p, 1, (size_t)n, f) != (size_t)n)
        exit(2);
    fclose(f);
    *len = (size_t)n;
    return p;
}

int main(int argc, char **argv)
{
    if (argc != 6) {
        fprintf(stderr, "usage: eval TYPES FLEET CHANNEL SENSOR EVENTS\n");
        return 2;
    }
    chanval_session *s = chanval_session_new();
    if (!s || chanval_add_types(s, argv[1]) != CHANVAL_OK ||
        chanval_add_fleet(s, argv[2]) != CHANVAL_OK || cv_world_freeze(s->world) != 0)
        return 2;
    size_t len = 0;
    char *bin = slurp(argv[3], &len);
    chanval_file scratch = {0};
    cv_ctx cx = cv_session_ctx_plain(s, &scratch, SIZE_MAX);
    cv_prog p;
    char why[400];
    if (!bin || cv_prog_load(&cx, (const uint8_t *)bin, len, &p, why, sizeof why) != 0) {
        fprintf(stderr, "eval: %s does not load: %s\n", argv[3], why);
        return 2;
    }
    uint32_t sensor = 0;
    while (sensor < s->world->nsensors && strcmp(s->world->sensors[sensor].version, argv[4]) != 0)
        sensor++;
    const cv_type *def = cv_world_type(s->world, 12, 1);
    long n = atol(argv[5]);
    if (sensor == s->world->nsensors || !def || n < 1)
        return 2;
    /* 1,024 distinct events; one image in 64 is an instance's */
    enum { DISTINCT = 1024 };
    static char names[DISTINCT][40];
    static cv_value vals[DISTINCT][8];
    cv_event ev[DISTINCT];
    for (int i = 0; i < DISTINCT; i++) {
        if (i % 64 == 0)
            snprintf(names[i], sizeof names[i], "C:\\Apps\\tool%d.exe", i * 7);
        else
            snprintf(names[i], sizeof names[i], "C:\\Windows\\System32\\svc%d.exe", i);
        for (uint32_t k = 0; k < def->nfields; k++)
            vals[i][k] = def->fields[k].kind == CV_FIELD_STRING
                             ? (cv_value){CV_FIELD_STRING, (const uint8_t *)"", 0, 0}
                             : (cv_value){CV_FIELD_INTEGER, NULL, 0, 0};
        vals[i][0] = (cv_value){CV_FIELD_STRING, (const uint8_t *)names[i],
                                (uint32_t)strlen(names[i]), 0};
        ev[i] = (cv_event){.type_id = 12, .type_version = 1, .def = def, .vals = vals[i]};
    }
    for (int plain = 0; plain < 2; plain++) {
        long m = plain ? (n / 100 > 0 ? n / 100 : 1) : n; /* the loop is slow: fewer */
        cv_runner r;
        if (cv_runner_init(&r, &p, plain) != 0)
            return 2;
        uint64_t fired = 0;
        double t0 = now();
        for (long i = 0; i < m; i++) {
            cv_outcome o;
            if (cv_run(&r, &ev[i % DISTINCT], sensor, &o) != 0)
                return 2;
            fired += o.nfired;
        }
        double t = now() - t0;
        printf("%s %zu instances, %ld events: %.3f s, %.0f events/s (%llu fired)\n",
               plain ? "plain loop  " : "equals index", p.ninsts, m, t, (double)m / t,
               (unsigned long long)fired);
        cv_runner_free(&r);
    }
    cv_prog_free(&p);
    cv_ctx_done(&cx);
    free(bin);
    chanval_session_free(s);
    return 0;
}
