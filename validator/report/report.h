/* report.h - what the report writers share: one walk over the run's
 * files and the findings a format shows, and a set of callbacks per
 * format (the walk decides what is shown, the writer only how).  Writers
 * see the run through chanval.h alone, as any program could. */
#ifndef CV_REPORT_H
#define CV_REPORT_H

#include "base/buf.h"
#include "base/escape.h"
#include "report/hexview.h"
#include "chanval.h"

#include <stdbool.h>
#include <stddef.h>

enum { CV_REPORT_RULES = 1000 }; /* rule IDs are CV000..CV999 */

/* One rendering in progress. */
typedef struct cv_renderer {
    const chanval_session *s;
    unsigned flags;    /* CHANVAL_REPORT_* */
    cv_buf *b;         /* the output */
    size_t shown;      /* findings shown so far in the run, */
    size_t file_shown; /* and in the current file (0 in begin_file) */
    /* what a writer holds back until the end of a file (JUnit's warnings
     * follow its failures); the walk empties it and frees it */
    cv_buf held;
    /* the current file's excerpts, painted, when the writer or the flags
     * want them (NULL otherwise, and for a file without excerpts) */
    const cv_view *view;
    cv_view painted; /* what view points to */
    size_t windows;  /* windows of bytes shown so far in the run (HTML) */
    bool limit_said; /* the page said it shows no more bytes */
    /* rules a writer has seen so far in the run */
    uint8_t rules[CV_REPORT_RULES / 8];
} cv_renderer;

/* A format.  Any callback may be NULL.  The walk calls begin_run, then
 * for each file in report order begin_file, finding for each finding
 * shown (in order), end_file; then end_run.  The counts in cv_renderer are
 * updated after each finding. */
typedef struct cv_writer {
    /* Suppressed findings are shown, marked (otherwise they are left out);
     * with CHANVAL_REPORT_QUIET only errors are shown, in every format. */
    bool marks;
    bool views; /* shows the bytes behind findings: r->view is set */
    void (*begin_run)(cv_renderer *r);
    void (*begin_file)(cv_renderer *r, const chanval_file *f, size_t index);
    void (*finding)(cv_renderer *r, const chanval_file *f, size_t index, const chanval_diag *d);
    void (*end_file)(cv_renderer *r, const chanval_file *f, size_t index);
    void (*end_run)(cv_renderer *r);
} cv_writer;

extern const cv_writer cv_text_writer, cv_json_writer, cv_sarif_writer, cv_junit_writer,
    cv_github_writer, cv_codequality_writer, cv_gnu_writer, cv_html_writer, cv_view_writer;

/* The text report's end: inputs not read, notes, the summary line. */
void cv_text_end_run(cv_renderer *r);

const char *cv_sev_name(chanval_severity s);
const char *cv_suppression_name(chanval_suppression s);
/* The rule with this id and its index in the table; NULL and 0 when
 * there is none. */
const chanval_rule *cv_report_rule(unsigned id, size_t *index);

/* "0x3e4" or "14:5" */
void cv_loc_text(cv_buf *b, const chanval_diag *d);

#endif
