/* parse.c - jansson (parse_jansson.c) and json-c (parse_jsonc.c) on the same JSON Lines events:
 * each line parsed, its type, version and every field value read, as chanval test does.  Prints
 * lines/s for each; make bench-json runs it on a million events of tools/gen-benign.py.  Usage:
 * parse FILE */
#define _POSIX_C_SOURCE 200809L
#include "parse.h"

#include <stdint.h>
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
    if (!p || fread(p, 1, (size_t)n, f) != (size_t)n) {
        fclose(f);
        free(p);
        return NULL;
    }
    fclose(f);
    p[n] = 0;
    *len = (size_t)n;
    return p;
}

int main(int argc, char **argv)
{
    size_t len = 0;
    char *data = argc > 1 ? slurp(argv[1], &len) : NULL;
    if (!data) {
        fprintf(stderr, "usage: parse FILE (JSON Lines)\n");
        return 2;
    }
    for (int lib = 0; lib < 2; lib++) {
        size_t lines = 0;
        double t0 = now();
        uint64_t sum = lib == 0 ? with_jansson(data, len, &lines) : with_json_c(data, len, &lines);
        double t = now() - t0;
        printf("%-8s %s: %zu lines in %.3f s, %.0f lines/s, %.1f MB/s (check %llu)\n",
               lib == 0 ? "jansson" : "json-c", lib == 0 ? jansson_version() : json_c_version(),
               lines, t, (double)lines / t, (double)len / t / 1e6, (unsigned long long)sum);
    }
    free(data);
    return 0;
}
