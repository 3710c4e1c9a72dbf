/* harness_files.c - the entry points that read files by path: the project
 * configuration, baselines, chanval diff, checking many paths on threads,
 * pack and dump by path, and the atomic write.
 *
 * Input: a selector byte, a little-endian u16 split point, then two
 * documents A and B (the rest, cut at the split point), written to a
 * private directory (which also holds the sample world as world/types.xml
 * and world/fleet.xml, so that a configuration can name it).
 *
 *   0 configuration A, then check B with what it configured
 *   1 baseline A; check B with the sample world; a baseline rendered from
 *     that run and loaded into a fresh session leaves no finding that may
 *     be baselined unsuppressed
 *   2 diff: A old, B new
 *   3 check the directory holding A and B, on two threads, and again on
 *     one: the same report
 *   4 pack A, dump B, and write the results atomically */
#define _POSIX_C_SOURCE 200809L
#include "common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[256], path_a[300], path_b[300], path_out[300], subdir[300];

static void put(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f || (len && fwrite(data, 1, len, f) != len) || fclose(f) != 0)
        cvf_fail("cannot write %s", path);
}

static void cleanup(void)
{
    const char *files[] = {path_a, path_b, path_out};
    for (size_t i = 0; i < 3; i++)
        unlink(files[i]);
    char p[400];
    snprintf(p, sizeof p, "%s/world/types.xml", dir);
    unlink(p);
    snprintf(p, sizeof p, "%s/world/fleet.xml", dir);
    unlink(p);
    snprintf(p, sizeof p, "%s/world", dir);
    rmdir(p);
    unlink(subdir);
    rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    snprintf(dir, sizeof dir, "%s/chanval-fuzz-XXXXXX", base);
    if (!mkdtemp(dir))
        cvf_fail("mkdtemp failed");
    char p[400];
    snprintf(p, sizeof p, "%s/world", dir);
    mkdir(p, 0700);
    snprintf(p, sizeof p, "%s/world/types.xml", dir);
    put(p, cvf_types_xml, cvf_types_xml_len);
    snprintf(p, sizeof p, "%s/world/fleet.xml", dir);
    put(p, cvf_fleet_xml, cvf_fleet_xml_len);
    snprintf(path_a, sizeof path_a, "%s/a", dir);
    snprintf(path_b, sizeof path_b, "%s/b", dir);
    snprintf(path_out, sizeof path_out, "%s/out", dir);
    snprintf(subdir, sizeof subdir, "%s/none", dir);
    atexit(cleanup);
    return 0;
}

static chanval_session *world_session(void)
{
    chanval_session *s = chanval_session_new();
    if (!s)
        cvf_fail("chanval_session_new returned NULL");
    char p[400];
    snprintf(p, sizeof p, "%s/world/types.xml", dir);
    cvf_ok(chanval_add_types(s, p), "add types");
    snprintf(p, sizeof p, "%s/world/fleet.xml", dir);
    cvf_ok(chanval_add_fleet(s, p), "add fleet");
    return s;
}

static void render_all(const chanval_session *s)
{
    static const char *const names[] = {"text", "json"};
    for (size_t i = 0; i < 2; i++) {
        chanval_format fmt;
        if (!chanval_format_parse(names[i], &fmt))
            continue;
        char *out = NULL;
        size_t len = 0;
        cvf_ok(chanval_render(s, fmt, 0, &out, &len), "render");
        chanval_free(out);
    }
}

static void config(void)
{
    chanval_session *s = chanval_session_new();
    if (!s)
        cvf_fail("chanval_session_new returned NULL");
    chanval_status st = chanval_load_config(s, path_a);
    if (st == CHANVAL_OK) {
        const char *doc;
        for (size_t i = 0; (doc = chanval_config_document(s, 0, i)) != NULL && i < 4; i++)
            if (chanval_add_types(s, doc) != CHANVAL_OK)
                break;
        for (size_t i = 0; (doc = chanval_config_document(s, 1, i)) != NULL && i < 4; i++)
            if (chanval_add_fleet(s, doc) != CHANVAL_OK)
                break;
        const char *baseline = chanval_config_baseline(s);
        if (baseline)
            chanval_load_baseline(s, baseline);
        chanval_check_path(s, path_b);
        render_all(s);
    } else if (st != CHANVAL_ERR_USAGE && st != CHANVAL_ERR_IO) {
        cvf_fail("load_config returned %d", (int)st);
    } else if (!chanval_last_error(s)[0]) {
        cvf_fail("load_config failed (%d) without saying why", (int)st);
    }
    chanval_session_free(s);
}

static size_t unsuppressed(const chanval_session *s)
{
    return chanval_error_count(s) + chanval_warning_count(s);
}

static void baseline(void)
{
    chanval_session *s = world_session();
    chanval_status st = chanval_load_baseline(s, path_a);
    if (st != CHANVAL_OK && st != CHANVAL_ERR_USAGE && st != CHANVAL_ERR_IO)
        cvf_fail("load_baseline returned %d", (int)st);
    chanval_check_path(s, path_b);
    render_all(s);
    chanval_session_free(s);

    /* write a baseline of B's findings, load it: what may be baselined is
     * now suppressed, so the counts can only fall, never rise */
    s = world_session();
    cvf_ok(chanval_check_path(s, path_b), "check");
    size_t before = unsuppressed(s);
    char *out = NULL;
    size_t len = 0;
    cvf_ok(chanval_render_baseline(s, &out, &len), "render baseline");
    chanval_session_free(s);
    put(path_out, out, len);
    chanval_free(out);
    s = world_session();
    if (chanval_load_baseline(s, path_out) != CHANVAL_OK)
        cvf_fail("a baseline chanval wrote does not load: %s", chanval_last_error(s));
    cvf_ok(chanval_check_path(s, path_b), "check with the baseline");
    if (unsuppressed(s) > before)
        cvf_fail("with its own baseline the file has %zu findings, without it %zu",
                 unsuppressed(s), before);
    chanval_session_free(s);
}

static void diff(uint8_t sel)
{
    chanval_session *s = world_session();
    chanval_set_max_growth(s, (uint64_t)(sel >> 4) * 20);
    chanval_status st = chanval_diff_paths(s, path_a, path_b);
    if (st != CHANVAL_OK)
        cvf_fail("diff returned %d", (int)st);
    render_all(s);
    chanval_session_free(s);
}

static char *report_json(const chanval_session *s)
{
    chanval_format fmt;
    char *out = NULL;
    size_t len = 0;
    if (!chanval_format_parse("json", &fmt))
        return NULL;
    cvf_ok(chanval_render(s, fmt, 0, &out, &len), "render json");
    return out;
}

static void batch(void)
{
    const char *paths[] = {dir, subdir};
    char *first = NULL;
    for (unsigned jobs = 2; jobs >= 1; jobs--) {
        chanval_session *s = world_session();
        chanval_status st = chanval_check_paths(s, paths, 2, jobs);
        if (st != CHANVAL_ERR_IO) /* subdir does not exist */
            cvf_fail("check_paths with a missing path returned %d", (int)st);
        if (chanval_io_error_count(s) != 1)
            cvf_fail("%zu read errors, expected 1", chanval_io_error_count(s));
        char *json = report_json(s);
        chanval_session_free(s);
        if (!first) {
            first = json;
        } else {
            if (json && first && strcmp(json, first) != 0)
                cvf_fail("checking on 1 and on 2 threads gives different reports");
            chanval_free(json);
        }
    }
    chanval_free(first);
}

static void pack_dump(void)
{
    chanval_session *s = world_session();
    uint8_t *packed = NULL;
    size_t plen = 0, dlen = 0;
    char *dumped = NULL;
    chanval_pack_path(s, path_a, &packed, &plen);
    chanval_dump_path(s, path_b, &dumped, &dlen);
    char why[256];
    if (packed && chanval_write_file(path_out, packed, plen, why, sizeof why) != CHANVAL_OK)
        cvf_fail("atomic write failed: %s", why);
    if (dumped && chanval_write_file(path_out, dumped, dlen, why, sizeof why) != CHANVAL_OK)
        cvf_fail("atomic write failed: %s", why);
    chanval_free(packed);
    chanval_free(dumped);
    /* what cannot be read or written is an I/O error with a reason */
    chanval_status st = chanval_check_path(s, subdir);
    if (st != CHANVAL_ERR_IO || !chanval_last_error(s)[0])
        cvf_fail("checking a missing file returned %d (\"%s\")", (int)st, chanval_last_error(s));
    st = chanval_check_path(s, dir);
    if (st != CHANVAL_OK && st != CHANVAL_ERR_IO)
        cvf_fail("checking a directory returned %d", (int)st);
    char missing[400];
    snprintf(missing, sizeof missing, "%s/out", subdir);
    why[0] = '\0';
    if (chanval_write_file(missing, "x", 1, why, sizeof why) != CHANVAL_ERR_IO || !why[0])
        cvf_fail("writing into a missing directory did not fail with a reason");
    chanval_session_free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 3)
        return 0;
    uint8_t sel = data[0];
    size_t cut = (size_t)(data[1] | data[2] << 8);
    data += 3;
    size -= 3;
    if (cut > size)
        cut = size;
    put(path_a, data, cut);
    put(path_b, data + cut, size - cut);
    unlink(path_out);
    switch (sel % 5) {
    case 0:
        config();
        break;
    case 1:
        baseline();
        break;
    case 2:
        diff(sel);
        break;
    case 3:
        batch();
        break;
    default:
        pack_dump();
        break;
    }
    return 0;
}
