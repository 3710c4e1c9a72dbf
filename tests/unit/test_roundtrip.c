/* test_roundtrip.c - pack and dump over every valid corpus file:
 *  - pack(source) equals the corpus's channel file byte for byte (the
 *    corpus encoder is an independent implementation of the layout);
 *  - dump(file) packs to a file with the same channel id, content
 *    version, instances, criteria and strings: dump(pack(dump(f))) ==
 *    dump(f);
 *  - pack(dump(pack(s))) == pack(s) byte for byte. */
#define _POSIX_C_SOURCE 200809L
#include "testutil.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VALID "corpus/valid"

static chanval_session *world(void)
{
    chanval_session *s = chanval_session_new();
    assert_non_null(s);
    assert_int_equal(chanval_add_types(s, "corpus/world/types.xml"), CHANVAL_OK);
    assert_int_equal(chanval_add_fleet(s, "corpus/world/fleet-healthy.xml"), CHANVAL_OK);
    return s;
}

static char *dump(chanval_session *s, const char *name, const void *data, size_t len,
                  size_t *out_len)
{
    char *xml = NULL;
    assert_int_equal(chanval_dump_memory(s, name, data, len, &xml, out_len), CHANVAL_OK);
    if (!xml)
        fail_msg("%s could not be dumped: %s", name, tu_rules(tu_last(s)));
    return xml;
}

static uint8_t *pack(chanval_session *s, const char *name, const void *xml, size_t len,
                     size_t *out_len)
{
    uint8_t *bin = NULL;
    assert_int_equal(chanval_pack_memory(s, name, xml, len, &bin, out_len), CHANVAL_OK);
    if (!bin)
        fail_msg("%s could not be packed: %s", name, tu_rules(tu_last(s)));
    return bin;
}

static void each_file(const char *suffix, void (*fn)(const char *path))
{
    DIR *d = opendir(VALID);
    assert_non_null(d);
    size_t n = 0;
    struct dirent *e;
    char **names = NULL;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name), sl = strlen(suffix);
        if (l > sl && strcmp(e->d_name + l - sl, suffix) == 0) {
            names = realloc(names, (n + 1) * sizeof *names);
            names[n++] = strdup(e->d_name);
        }
    }
    closedir(d);
    assert_true(n > 0);
    for (size_t i = 0; i < n; i++) {
        char path[512];
        snprintf(path, sizeof path, VALID "/%s", names[i]);
        fn(path);
        free(names[i]);
    }
    free(names);
}

static void source_packs_to_corpus_file(const char *xml_path)
{
    char bin_path[512];
    snprintf(bin_path, sizeof bin_path, "%.*s.bin", (int)(strlen(xml_path) - 4), xml_path);
    FILE *probe = fopen(bin_path, "rb");
    if (!probe)
        return; /* a source without a packed twin */
    fclose(probe);
    size_t xml_len, bin_len, got_len;
    char *xml = tu_read(xml_path, &xml_len);
    char *bin = tu_read(bin_path, &bin_len);
    chanval_session *s = world();
    uint8_t *got = pack(s, xml_path, xml, xml_len, &got_len);
    if (got_len != bin_len || memcmp(got, bin, bin_len) != 0)
        fail_msg("pack(%s) differs from %s (%zu vs %zu bytes)", xml_path, bin_path, got_len,
                 bin_len);
    chanval_free(got);
    chanval_session_free(s);
    free(xml);
    free(bin);
}

static void file_round_trips(const char *bin_path)
{
    size_t len, x1_len, b1_len, x2_len, b2_len;
    char *bin = tu_read(bin_path, &len);
    chanval_session *s = world();
    char *x1 = dump(s, bin_path, bin, len, &x1_len);
    uint8_t *b1 = pack(s, "dump1.xml", x1, x1_len, &b1_len);
    const chanval_file *f = tu_check(s, "repacked.bin", b1, b1_len);
    assert_int_equal(chanval_file_errors(f), 0);
    char *x2 = dump(s, "repacked.bin", b1, b1_len, &x2_len);
    if (x1_len != x2_len || memcmp(x1, x2, x1_len) != 0)
        fail_msg("%s: dump(pack(dump(f))) != dump(f)", bin_path);
    uint8_t *b2 = pack(s, "dump2.xml", x2, x2_len, &b2_len);
    if (b1_len != b2_len || memcmp(b1, b2, b1_len) != 0)
        fail_msg("%s: pack(dump(pack(s))) != pack(s)", bin_path);
    chanval_free(x1);
    chanval_free(x2);
    chanval_free(b1);
    chanval_free(b2);
    chanval_session_free(s);
    free(bin);
}

static void packed_sources_match_the_corpus_encoder(void **state)
{
    (void)state;
    each_file(".xml", source_packs_to_corpus_file);
}

static void every_valid_file_round_trips(void **state)
{
    (void)state;
    each_file(".bin", file_round_trips);
}

static void pack_is_deterministic(void **state)
{
    (void)state;
    size_t len, a_len, b_len;
    char *xml = tu_read(VALID "/mixed.xml", &len);
    chanval_session *s = world();
    uint8_t *a = pack(s, "a.xml", xml, len, &a_len);
    chanval_session_free(s);
    s = world();
    uint8_t *b = pack(s, "b.xml", xml, len, &b_len);
    assert_int_equal(a_len, b_len);
    assert_memory_equal(a, b, a_len);
    chanval_free(a);
    chanval_free(b);
    chanval_session_free(s);
    free(xml);
}

static void pack_refuses_a_source_with_errors(void **state)
{
    (void)state;
    size_t len, out_len = 1;
    char *xml = tu_read("corpus/invalid/CV400-channel-291.xml", &len);
    chanval_session *s = chanval_session_new();
    assert_int_equal(chanval_add_types(s, "corpus/world/types.xml"), CHANVAL_OK);
    assert_int_equal(chanval_add_fleet(s, "corpus/world/fleet.xml"), CHANVAL_OK);
    uint8_t *out = (uint8_t *)"";
    assert_int_equal(chanval_pack_memory(s, "291.xml", xml, len, &out, &out_len), CHANVAL_OK);
    assert_null(out);
    assert_int_equal(out_len, 0);
    assert_non_null(tu_find(tu_last(s), 400));
    assert_int_equal(chanval_exit_code(s), 1);
    chanval_session_free(s);
    free(xml);
}

static void dump_refuses_an_unsound_container(void **state)
{
    (void)state;
    size_t len, out_len = 1;
    char *bin = tu_read("corpus/invalid/CV107-digest-flipped.bin", &len);
    chanval_session *s = world();
    char *out = (char *)"";
    assert_int_equal(chanval_dump_memory(s, "bad.bin", bin, len, &out, &out_len), CHANVAL_OK);
    assert_null(out);
    assert_non_null(tu_find(tu_last(s), 107));
    chanval_session_free(s);
    free(bin);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(packed_sources_match_the_corpus_encoder),
        cmocka_unit_test(every_valid_file_round_trips),
        cmocka_unit_test(pack_is_deterministic),
        cmocka_unit_test(pack_refuses_a_source_with_errors),
        cmocka_unit_test(dump_refuses_an_unsound_container),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
