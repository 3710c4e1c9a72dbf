/* test_corpus.c - every row of corpus/manifest.tsv: the exit status, the
 * exact set of rule IDs, and the location of the first finding of the
 * rule the file is named after.  One cmocka test per row. */
#define _POSIX_C_SOURCE 200809L
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct row {
    char *file, *world, *options, *rules, *where;
    int exit;
    char name[256];
} row;

static char *path_in_corpus(const char *rel)
{
    static char buf[4][512];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "corpus/%s", rel);
    return buf[k];
}

static void load(chanval_session *s, const char *types, const char *fleet)
{
    if (types)
        assert_int_equal(chanval_add_types(s, path_in_corpus(types)), CHANVAL_OK);
    if (fleet)
        assert_int_equal(chanval_add_fleet(s, path_in_corpus(fleet)), CHANVAL_OK);
}

static void apply_options(chanval_session *s, char *options)
{
    if (strcmp(options, "-") == 0)
        return;
    char *save = NULL;
    for (char *tok = strtok_r(options, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
        if (strcmp(tok, "--strict") == 0) {
            chanval_set_strict(s, true);
            continue;
        }
        bool found = false;
        for (int i = 0; i < CHANVAL_LIMIT_COUNT; i++) {
            const chanval_limit_info *li = chanval_limit_describe((chanval_limit)i);
            if (strncmp(tok, "--", 2) == 0 && strcmp(tok + 2, li->option) == 0) {
                char *v = strtok_r(NULL, " ", &save);
                assert_non_null(v);
                assert_int_equal(chanval_set_limit(s, (chanval_limit)i, strtoull(v, NULL, 10)),
                                 CHANVAL_OK);
                found = true;
            }
        }
        if (!found)
            fail_msg("unknown option in the manifest: %s", tok);
    }
}

static void check_where(const chanval_session *s, const row *r)
{
    unsigned rule = 0;
    const char *base = strrchr(r->file, '/');
    base = base ? base + 1 : r->file;
    if (strcmp(r->where, "-") == 0 || sscanf(base, "CV%3u-", &rule) != 1)
        return;
    const chanval_diag *d = NULL;
    for (size_t i = 0; i < chanval_file_count(s) && !d; i++) {
        const chanval_file *f = chanval_file_at(s, i);
        if (strcmp(chanval_file_path(f), path_in_corpus(r->file)) == 0)
            d = tu_find(f, rule);
    }
    for (size_t i = 0; i < chanval_file_count(s) && !d; i++)
        d = tu_find(chanval_file_at(s, i), rule);
    if (!d)
        fail_msg("%s: no CV%03u to locate", r->name, rule);
    char got[64];
    if (d->loc_kind == CHANVAL_LOC_OFFSET)
        snprintf(got, sizeof got, "0x%llx", (unsigned long long)d->offset);
    else
        snprintf(got, sizeof got, "%u:%u", d->line, d->column);
    if (strcmp(got, r->where) != 0)
        fail_msg("%s: CV%03u at %s, expected %s (%s)", r->name, rule, got, r->where, d->message);
}

static void run_row(void **state)
{
    row *r = *state;
    chanval_session *s = chanval_session_new();
    assert_non_null(s);
    char options[256];
    snprintf(options, sizeof options, "%s", r->options);
    apply_options(s, options);
    size_t from = 0;
    if (strcmp(r->world, "as-types") == 0) {
        load(s, r->file, NULL);
        assert_int_equal(chanval_check_world(s), CHANVAL_OK);
    } else if (strcmp(r->world, "as-fleet") == 0) {
        load(s, "world/types.xml", r->file);
        assert_int_equal(chanval_check_world(s), CHANVAL_OK);
    } else {
        static const char *const worlds[][3] = {
            {"none", NULL, NULL},
            {"types", "world/types.xml", NULL},
            {"sample", "world/types.xml", "world/fleet.xml"},
            {"healthy", "world/types.xml", "world/fleet-healthy.xml"},
            {"partial", "world/types.xml", "world/fleet-partial.xml"},
            {"tiny", "world/types.xml", "world/fleet-tiny.xml"},
        };
        size_t w;
        for (w = 0; w < sizeof worlds / sizeof *worlds; w++)
            if (strcmp(worlds[w][0], r->world) == 0)
                break;
        if (w == sizeof worlds / sizeof *worlds)
            fail_msg("unknown world %s", r->world);
        load(s, worlds[w][1], worlds[w][2]);
        /* the world documents themselves are valid */
        assert_string_equal(tu_session_rules(s, 0), "-");
        from = chanval_file_count(s);
        assert_int_equal(chanval_check_path(s, path_in_corpus(r->file)), CHANVAL_OK);
    }
    const char *got = tu_session_rules(s, from);
    if (strcmp(got, r->rules) != 0) {
        for (size_t i = from; i < chanval_file_count(s); i++) {
            const chanval_file *f = chanval_file_at(s, i);
            for (size_t k = 0; k < chanval_file_diag_count(f); k++)
                print_message("  CV%03u %s\n", chanval_file_diag(f, k)->rule,
                              chanval_file_diag(f, k)->message);
        }
        fail_msg("%s: rules %s, expected %s", r->name, got, r->rules);
    }
    assert_int_equal(chanval_exit_code(s), r->exit);
    check_where(s, r);
    chanval_session_free(s);
}

int main(void)
{
    size_t len = 0;
    FILE *probe = fopen("corpus/manifest.tsv", "r");
    if (!probe) {
        fprintf(stderr, "run from the repository's top directory\n");
        return 1;
    }
    fclose(probe);
    char *text = tu_read("corpus/manifest.tsv", &len);
    size_t cap = 64, n = 0;
    row *rows = calloc(cap, sizeof *rows);
    struct CMUnitTest *tests = NULL;
    char *save = NULL;
    bool header = true;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (line[0] == '#' || line[0] == '\0')
            continue;
        if (header) { /* the column names */
            header = false;
            continue;
        }
        char *f[6];
        char *cs = NULL;
        int k = 0;
        for (char *c = strtok_r(line, "\t", &cs); c && k < 6; c = strtok_r(NULL, "\t", &cs))
            f[k++] = c;
        if (k != 6) {
            fprintf(stderr, "manifest: bad row (%d columns)\n", k);
            return 1;
        }
        if (n == cap) {
            cap *= 2;
            rows = realloc(rows, cap * sizeof *rows);
        }
        row *r = &rows[n++];
        *r = (row){f[0], f[1], f[2], f[4], f[5], atoi(f[3]), ""};
        snprintf(r->name, sizeof r->name, "%s [%s%s%s]", r->file, r->world,
                 strcmp(r->options, "-") ? " " : "", strcmp(r->options, "-") ? r->options : "");
    }
    tests = calloc(n ? n : 1, sizeof *tests);
    for (size_t i = 0; i < n; i++) {
        tests[i].name = rows[i].name;
        tests[i].test_func = run_row;
        tests[i].initial_state = &rows[i];
    }
    int rc = _cmocka_run_group_tests("corpus", tests, n, NULL, NULL);
    free(tests);
    free(rows);
    free(text);
    return rc;
}
