/* hexview.h - a file's excerpts painted with the structures over them:
 * the annotated hex view of the terminal (chanval view), the context under
 * a text finding, and the byte classes of the HTML report. */
#ifndef CV_HEXVIEW_H
#define CV_HEXVIEW_H

#include "base/buf.h"
#include "chanval.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Bytes a line shows; the most a finding's mark covers. */
enum { CV_HEX_LINE = 16, CV_HEX_MARK = 2 * CV_HEX_LINE };

/* The byte in the ASCII column: itself when printable ASCII, else '.'. */
static inline char cv_hex_printable(uint8_t c)
{
    static const char ascii[] = " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`"
                                "abcdefghijklmnopqrstuvwxyz{|}~";
    return ascii[c >= 0x20 && c < 0x7f ? c - 0x20 : '.' - 0x20];
}

/* One excerpt, each byte with its kind and the deepest structure of depth
 * at most 2 over it (span index + 1; 0: none), which is what a finding
 * at that byte is about. */
typedef struct cv_painted {
    chanval_excerpt ex;
    uint8_t *kind;
    uint32_t *owner;
} cv_painted;

typedef struct cv_view {
    const chanval_file *f;
    cv_painted *w;
    size_t nw;
    bool binary;
} cv_view;

/* Paint f's excerpts; -1 when out of memory (v is then empty). */
int cv_view_open(cv_view *v, const chanval_file *f);
void cv_view_close(cv_view *v);

/* The window holding byte `off` (or XML line `line`), or NULL. */
const cv_painted *cv_view_find(const cv_view *v, uint64_t off);
/* The bytes a finding at d->offset is about: from it to the end of the
 * structure it lies in (at most 2 lines, within the window). */
bool cv_view_mark(const cv_view *v, const chanval_diag *d, uint64_t *start, uint64_t *end);
/* The findings of the file located in [from, to): byte offsets of a
 * channel file, line numbers of an XML document; indexes [*first, *last)
 * of chanval_file_diag (findings are sorted by location). */
void cv_view_diags(const cv_view *v, uint64_t from, uint64_t to, size_t *first, size_t *last);
/* The first of the file's spans (in offset order) that starts at `off` or
 * after it. */
size_t cv_view_first_span(const cv_view *v, uint64_t off);
/* Does a span of depth 2 or less start at this byte of the window? */
bool cv_view_starts(const cv_view *v, const cv_painted *p, size_t i);

/* Does a line of the view name this structure?  A record's header and a
 * criterion's payload say nothing their parent does not. */
static inline bool cv_span_named(const chanval_span *s)
{
    return s->depth < 2 || (s->depth == 2 && s->kind != CHANVAL_SPAN_RECORD);
}

/* The findings marked on the lines of one window, line by line in order:
 * cv_marks_start for the window, then cv_marks_line for each line, then
 * cv_marks_next until it returns false (cv_marks_line again visits the
 * same line's findings anew). */
typedef struct cv_marks {
    const cv_view *v;
    const cv_painted *p;
    size_t lo, z, k;   /* the window's findings [lo, z); k the next to visit */
    uint64_t line, we; /* the current line, the window's end */
} cv_marks;

void cv_marks_start(cv_marks *m, const cv_view *v, const cv_painted *p);
void cv_marks_line(cv_marks *m, uint64_t line);
/* The next finding whose mark [*ms, *me) meets the line: its index among
 * the file's findings, and in *ends whether the mark ends on this line
 * (where its message goes). */
bool cv_marks_next(cv_marks *m, size_t *k, uint64_t *ms, uint64_t *me, bool *ends);

/* The whole terminal view of a file: its windows line by line, labels on
 * the right, the findings shown (non-suppressed) marked under their
 * bytes. */
void cv_view_text(cv_buf *b, const cv_view *v, bool color, bool quiet);
/* The lines under one text finding: a binary finding's 16-byte lines with
 * its bytes marked, an XML finding's source line with a caret. */
void cv_view_context(cv_buf *b, const cv_view *v, const chanval_diag *d, bool color);

/* Blanks as wide as the characters of p before column `col` (counted in
 * characters from 1) once escaped as the report prints them (a tab is
 * \x09, four columns): what puts a caret under that character. */
void cv_view_caret_pad(cv_buf *b, const uint8_t *p, size_t n, uint32_t col);

/* ANSI colour of a kind (foreground), for the view and its legend. */
const char *cv_kind_color(chanval_span_kind k);

#endif
