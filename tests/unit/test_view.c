/* test_view.c - the bytes behind findings: what chanval_set_excerpts keeps
 * (excerpts, structures) and what the view, text context and HTML show of
 * them, on the CF291 file, a file cut short and hostile names. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Type 7 v3: instance 2 has a regex on field 20, which sensor 7.11.18110
 * does not supply (CV400), as in channel file 291. */
static const char cf291[] =
    "<channel formatVersion=\"1\" id=\"291\" contentVersion=\"202407190409\">"
    "<instance id=\"1\" typeId=\"7\" typeVersion=\"3\" action=\"detect\" severity=\"high\">"
    "<criterion field=\"pipe_name\" op=\"regex\" value=\"^pipe[0-9]$\"/></instance>"
    "<instance id=\"2\" typeId=\"7\" typeVersion=\"3\" action=\"detect\" severity=\"high\">"
    "<criterion field=\"remote_pipe_flags\" op=\"regex\" value=\"^0x[0-9a-f]{1,8}$\"/>"
    "</instance></channel>";

static chanval_session *session_with(const chanval_excerpt_options *x)
{
    chanval_session *s = tu_session(tu_types_xml, tu_fleet_xml);
    assert_int_equal(chanval_set_excerpts(s, x), CHANVAL_OK);
    return s;
}

static tu_bin packed_cf291(void)
{
    chanval_session *p = tu_session(tu_types_xml, tu_healthy_fleet_xml);
    tu_bin b = tu_pack(p, cf291);
    chanval_session_free(p);
    return b;
}

/* The deepest span over byte `off`, the way the renderers paint. */
static const chanval_span *deepest(const chanval_file *f, uint64_t off)
{
    const chanval_span *best = NULL;
    for (size_t i = 0; i < chanval_file_span_count(f); i++) {
        const chanval_span *s = chanval_file_span(f, i);
        if (off >= s->offset && off - s->offset < s->length && (!best || s->depth >= best->depth))
            best = s;
    }
    return best;
}

static void render_view(chanval_session *s, char **out)
{
    size_t len = 0;
    assert_int_equal(chanval_render_view(s, 0, out, &len), CHANVAL_OK);
    assert_non_null(*out);
}

static void instance_view_names_criterion_20(void **state)
{
    (void)state;
    tu_bin b = packed_cf291();
    chanval_excerpt_options x = {.mode = CHANVAL_EXCERPT_INSTANCE, .instance = 2};
    chanval_session *s = session_with(&x);
    const chanval_file *f = tu_check(s, "cf291.bin", b.p, b.n);
    const chanval_diag *d = tu_find(f, 400);
    assert_non_null(d);
    /* the record of instance 2, whole, on 16-byte lines */
    assert_int_equal(chanval_file_excerpt_count(f), 1);
    chanval_excerpt e;
    assert_true(chanval_file_excerpt(f, 0, &e));
    assert_int_equal(e.offset % 16, 0);
    assert_true(e.offset <= d->offset - 16 - 20 * 20 && d->offset + 20 <= e.offset + e.length);
    assert_memory_equal(e.bytes, b.p + e.offset, e.length);
    /* the finding's byte: criterion 20's op, its payload after */
    const chanval_span *c = deepest(f, d->offset);
    assert_non_null(c);
    assert_int_equal(c->kind, CHANVAL_SPAN_CRITERION);
    assert_int_equal(c->offset, d->offset);
    assert_int_equal(c->length, 20);
    assert_int_equal(c->criterion, 20);
    assert_int_equal(c->record, 1);
    assert_non_null(strstr(c->label, "instance 2 criterion 20: op=regex field "
                                     "\"remote_pipe_flags\" \"^0x[0-9a-f]{1,8}$\""));
    const chanval_span *p = deepest(f, d->offset + 4);
    assert_int_equal(p->kind, CHANVAL_SPAN_PAYLOAD);
    assert_int_equal(p->depth, 3);
    /* the view: the line, the marks under criterion 20's 20 bytes, then the
     * message */
    char *out = NULL;
    render_view(s, &out);
    char line[32], at[160];
    snprintf(line, sizeof line, "  %08llx ", (unsigned long long)(d->offset / 16 * 16));
    const char *l = strstr(out, line);
    assert_non_null(l);
    assert_non_null(strstr(l, "instance 2 criterion 20: op=regex field \"remote_pipe_flags\""));
    size_t col = 11 + (d->offset % 16) * 3 + (d->offset % 16 >= 8);
    snprintf(at, sizeof at, "\n%*s^^~~", (int)col + 1, "");
    assert_non_null(strstr(l, at));
    assert_non_null(strstr(l, "           error[CV400]: instance 2 criterion 20"));
    chanval_free(out);
    chanval_session_free(s);
    tu_bin_free(&b);
}

static void range_and_whole_file(void **state)
{
    (void)state;
    tu_bin b = packed_cf291();
    chanval_excerpt_options x = {.mode = CHANVAL_EXCERPT_RANGE, .start = 5, .end = 21};
    chanval_session *s = session_with(&x);
    const chanval_file *f = tu_check(s, "cf291.bin", b.p, b.n);
    chanval_excerpt e;
    assert_true(chanval_file_excerpt(f, 0, &e));
    assert_int_equal(e.offset, 0);
    assert_int_equal(e.length, 32); /* whole lines */
    const chanval_span *magic = deepest(f, 1);
    assert_string_equal(magic->label, "magic \"CHNL\"");
    assert_string_equal(deepest(f, 17)->label, "channel_id 291");
    /* every depth-0 structure is listed, inside the file */
    size_t top = 0;
    for (size_t i = 0; i < chanval_file_span_count(f); i++) {
        const chanval_span *sp = chanval_file_span(f, i);
        assert_true(sp->offset + sp->length <= b.n);
        top += sp->depth == 0;
    }
    assert_int_equal(top, 5); /* header, table, three sections */
    chanval_session_free(s);
    /* a range that is empty or too wide is refused */
    chanval_session *t = tu_session(NULL, NULL);
    chanval_excerpt_options bad = {.mode = CHANVAL_EXCERPT_RANGE, .start = 9, .end = 9};
    assert_int_equal(chanval_set_excerpts(t, &bad), CHANVAL_ERR_USAGE);
    bad.end = 9 + CHANVAL_EXCERPT_MAX_BYTES + 1;
    assert_int_equal(chanval_set_excerpts(t, &bad), CHANVAL_ERR_USAGE);
    chanval_excerpt_options ctx = {.mode = CHANVAL_EXCERPT_FINDINGS, .context = 17};
    assert_int_equal(chanval_set_excerpts(t, &ctx), CHANVAL_ERR_USAGE);
    chanval_session_free(t);
    tu_bin_free(&b);
}

/* A file cut inside its records: what the walk could not place is
 * unclaimed, and nothing past the end is read or shown. */
static void cut_file_is_unclaimed_past_the_walk(void **state)
{
    (void)state;
    tu_bin b = packed_cf291();
    size_t cut = b.n - 300;
    chanval_excerpt_options x = {.mode = CHANVAL_EXCERPT_ALL};
    chanval_session *s = session_with(&x);
    const chanval_file *f = tu_check(s, "cut.bin", b.p, cut);
    chanval_excerpt e;
    assert_true(chanval_file_excerpt(f, 0, &e));
    assert_int_equal(e.offset, 0);
    assert_int_equal(e.length, cut);
    /* the section table places sections past the end: the bytes after the
     * table belong to no section the file holds */
    const chanval_span *last = deepest(f, cut - 1);
    assert_non_null(last);
    assert_int_equal(last->kind, CHANVAL_SPAN_UNCLAIMED);
    for (size_t i = 0; i < chanval_file_span_count(f); i++) {
        const chanval_span *sp = chanval_file_span(f, i);
        assert_true(sp->offset + sp->length <= cut);
    }
    char *out = NULL;
    render_view(s, &out);
    assert_non_null(strstr(out, "bytes no structure claims"));
    chanval_free(out);
    chanval_session_free(s);
    tu_bin_free(&b);
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

/* Names, libxml2's words and values from the file are text in the page,
 * never markup; bidi overrides and NUL show as escapes. */
static void html_escapes_what_came_from_outside(void **state)
{
    (void)state;
    chanval_excerpt_options x = {.mode = CHANVAL_EXCERPT_FINDINGS, .context = 2,
                                 .whole_below = 4096};
    chanval_session *s = session_with(&x);
    const char *name = "<script>alert(1)</script>\"onmouseover=x \xe2\x80\xae.xml";
    static const char doc[] =
        "<channel formatVersion=\"1\" id=\"1\" contentVersion=\"1\">\n"
        "<instance id=\"1\" typeId=\"7\" typeVersion=\"3\" action=\"detect\" severity=\"high\">\n"
        "<criterion field=\"</style><script>x</script>\" op=\"equals\" value=\"a\"/>\n"
        "</instance></channel>\n";
    tu_check(s, name, doc, sizeof doc - 1);
    /* an equals value holding NUL and U+202E in a channel file */
    tu_bin b = packed_cf291();
    tu_check(s, "v\xe2\x80\xae\x01.bin", b.p, b.n);
    char *out = NULL;
    size_t len = 0;
    assert_int_equal(chanval_render(s, CHANVAL_FORMAT_HTML, 0, &out, &len), CHANVAL_OK);
    assert_int_equal(strlen(out), len);
    assert_int_equal(count(out, "<script"), 1);
    assert_int_equal(count(out, "</style"), 1);
    assert_int_equal(count(out, "\xe2\x80\xae"), 0);
    assert_non_null(strstr(out, "&lt;script&gt;alert(1)&lt;/script&gt;&quot;onmouseover=x "
                                "\\u202e.xml"));
    assert_non_null(strstr(out, "field=&quot;&lt;/style&gt;&lt;script&gt;x&lt;/script&gt;"));
    assert_non_null(strstr(out, "v\\u202e\\x01.bin"));
    /* the policy allows the page's own style and script, nothing else */
    assert_non_null(strstr(out, "content=\"default-src 'none'; style-src 'sha256-"));
    chanval_free(out);
    chanval_session_free(s);
    tu_bin_free(&b);
}

/* Text context: the XML line with a caret under the column. */
static void text_context_puts_caret_under_column(void **state)
{
    (void)state;
    chanval_excerpt_options x = {.mode = CHANVAL_EXCERPT_FINDINGS};
    chanval_session *s = session_with(&x);
    static const char doc[] =
        "<channel formatVersion=\"1\" id=\"1\" contentVersion=\"1\">\n"
        "<instance id=\"1\" typeId=\"7\" typeVersion=\"3\" action=\"detect\" severity=\"high\">\n"
        "\t<criterion field=\"pipe_name\" op=\"equals\" value=\"\xc3\xa9\" bogus=\"1\"/>\n"
        "</instance></channel>\n";
    const chanval_file *f = tu_check(s, "ctx.xml", doc, sizeof doc - 1);
    const chanval_diag *d = tu_find(f, 202);
    assert_non_null(d);
    char *out = NULL;
    size_t len = 0;
    assert_int_equal(chanval_render(s, CHANVAL_FORMAT_TEXT, CHANVAL_REPORT_CONTEXT, &out, &len),
                     CHANVAL_OK);
    /* the tab shows as \x09, as every control does in text */
    const char *line = strstr(out, "     3 | \\x09<criterion");
    assert_non_null(line);
    /* the caret: one blank per column the escaped text before it takes */
    char want[128];
    snprintf(want, sizeof want, "\n       | %*s^\n", (int)d->column - 1 + 3, "");
    assert_non_null(strstr(line, want));
    chanval_free(out);
    /* without the flag, text is as before: no context */
    assert_int_equal(chanval_render(s, CHANVAL_FORMAT_TEXT, 0, &out, &len), CHANVAL_OK);
    assert_null(strstr(out, "     3 | "));
    chanval_free(out);
    chanval_session_free(s);
}

/* A page shows at most 2,000 windows of bytes: a file past them has its
 * findings listed, without bytes and without links to them, and the page
 * says so once. */
static void html_page_bounds_its_windows(void **state)
{
    (void)state;
    chanval_excerpt_options x = {.mode = CHANVAL_EXCERPT_FINDINGS, .findings_only = true};
    chanval_session *s = session_with(&x);
    size_t cap = 64 + 2100 * 40;
    char *doc = malloc(cap);
    assert_non_null(doc);
    size_t n = (size_t)snprintf(doc, cap, "<fleet formatVersion=\"1\">\n");
    for (int i = 0; i < 2100; i++) /* one finding a line: 2,100 windows */
        n += (size_t)snprintf(doc + n, cap - n, "<bogus%d/>\n", i);
    n += (size_t)snprintf(doc + n, cap - n, "</fleet>\n");
    tu_check(s, "big.xml", doc, n);
    static const char small[] = "<fleet formatVersion=\"1\">\n<oops/>\n</fleet>\n";
    tu_check(s, "after.xml", small, sizeof small - 1);
    tu_check(s, "after2.xml", small, sizeof small - 1);
    char *out = NULL;
    size_t len = 0;
    assert_int_equal(chanval_render(s, CHANVAL_FORMAT_HTML, 0, &out, &len), CHANVAL_OK);
    const char *note = strstr(out, "for this file and those after it");
    assert_non_null(note);
    assert_null(strstr(note + 1, "for this file and those after it")); /* said once */
    /* the later files' findings are rows, not links into bytes */
    const char *after = strstr(out, "<h2 class=\"mono\">after.xml</h2>");
    assert_non_null(after);
    assert_non_null(strstr(after, "data-rule=\"CV202\""));
    assert_null(strstr(after, "-d0\">"));
    assert_null(strstr(after, "<pre class=\"src\">"));
    chanval_free(out);
    free(doc);
    chanval_session_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(instance_view_names_criterion_20),
        cmocka_unit_test(range_and_whole_file),
        cmocka_unit_test(cut_file_is_unclaimed_past_the_walk),
        cmocka_unit_test(html_escapes_what_came_from_outside),
        cmocka_unit_test(text_context_puts_caret_under_column),
        cmocka_unit_test(html_page_bounds_its_windows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
