/* harness_view.c - what chanval view, text context and the HTML report
 * show of any bytes: the excerpts and structures kept for a file checked
 * against the sample world (format/layout.c) and the three renderings of
 * them (report/hexview.c, report/html.c).
 *
 * The input's size picks how much is kept (findings with 0 to 3 lines of
 * context, everything, a range, an instance), so that every input is a
 * plain file and the seeds are the corpus as it is.
 *
 *   - Every excerpt holds the input's own bytes at its offset, in order,
 *     without overlap; every structure lies inside the input.
 *   - Rendering ends cleanly; the view and text without colour print no
 *     control byte but the line break; the HTML page has exactly one
 *     <script> and one <style> element: nothing of the input became
 *     markup. */
#include "common.h"

#include <stdlib.h>
#include <string.h>

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

/* Without colour, what reaches a terminal holds no control but the line
 * break: nothing of the input can move the cursor or recolour. */
static void terminal_safe(const char *what, const char *out, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)out[i];
        if ((c < 0x20 && c != '\n') || c == 0x7f)
            cvf_fail("%s prints control byte 0x%02x at %zu", what, c, i);
    }
}

static void render(chanval_session *s)
{
    char *out = NULL;
    size_t len = 0;
    for (unsigned color = 0; color < 2; color++) {
        cvf_ok(chanval_render_view(s, color ? CHANVAL_REPORT_COLOR : 0, &out, &len), "view");
        if (!color)
            terminal_safe("the view", out, len);
        chanval_free(out);
    }
    cvf_ok(chanval_render(s, CHANVAL_FORMAT_TEXT, CHANVAL_REPORT_CONTEXT, &out, &len), "text");
    terminal_safe("text with context", out, len);
    chanval_free(out);
    cvf_ok(chanval_render(s, CHANVAL_FORMAT_HTML, 0, &out, &len), "html");
    if (strlen(out) != len)
        cvf_fail("the HTML page holds a NUL byte");
    if (count(out, "<script") != 1 || count(out, "</script") != 1 || count(out, "<style") != 1 ||
        count(out, "</style") != 1)
        cvf_fail("the input made markup: %zu <script, %zu <style", count(out, "<script"),
                 count(out, "<style"));
    chanval_free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    chanval_session *s = cvf_session(true, true);
    chanval_excerpt_options x = {.mode = CHANVAL_EXCERPT_FINDINGS, .context = size % 4,
                                 .whole_below = (size / 4) % 2 ? 4096 : 0};
    switch ((size / 8) % 4) {
    case 1: x.mode = CHANVAL_EXCERPT_ALL; break;
    case 2:
        x.mode = CHANVAL_EXCERPT_RANGE;
        x.start = size / 3;
        x.end = x.start + 1 + size / 2;
        break;
    case 3: x.mode = CHANVAL_EXCERPT_INSTANCE; x.instance = (uint32_t)(size % 5); break;
    default: break;
    }
    if (x.mode == CHANVAL_EXCERPT_INSTANCE && x.instance == 0)
        x.instance = 1;
    cvf_ok(chanval_set_excerpts(s, &x), "excerpt options");
    chanval_status st = chanval_check_memory(s, "fuzz.bin", data, size);
    if (st != CHANVAL_OK) {
        chanval_session_free(s);
        return 0; /* out of memory: the session says so; nothing to show */
    }
    const chanval_file *f = chanval_file_at(s, chanval_file_count(s) - 1);
    uint64_t next = 0;
    for (size_t i = 0; i < chanval_file_excerpt_count(f); i++) {
        chanval_excerpt e;
        if (!chanval_file_excerpt(f, i, &e))
            cvf_fail("excerpt %zu missing", i);
        if (e.offset < next || e.offset > size || e.length > size - e.offset)
            cvf_fail("excerpt %zu [%llu, +%zu) is out of order or outside the %zu bytes", i,
                     (unsigned long long)e.offset, e.length, size);
        if (memcmp(e.bytes, data + e.offset, e.length) != 0)
            cvf_fail("excerpt %zu does not hold the input's bytes", i);
        next = e.offset + e.length;
    }
    for (size_t i = 0; i < chanval_file_span_count(f); i++) {
        const chanval_span *sp = chanval_file_span(f, i);
        if (sp->offset > size || sp->length > size - sp->offset || !sp->label)
            cvf_fail("span %zu [%llu, +%llu) lies outside the %zu bytes", i,
                     (unsigned long long)sp->offset, (unsigned long long)sp->length, size);
    }
    render(s);
    chanval_session_free(s);
    return 0;
}
