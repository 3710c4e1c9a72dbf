/* report.h - what the report writers share. */
#ifndef CV_REPORT_H
#define CV_REPORT_H

#include "api/session.h"
#include "base/escape.h"

const char *cv_sev_name(chanval_severity s);
/* Does this finding appear in a report made with these flags?  Suppressed
 * ones only where the format can mark them (`marks`); -q shows errors. */
bool cv_report_shows(const chanval_diag *d, unsigned flags, bool marks);
const char *cv_suppression_name(chanval_suppression s);

/* "0x3e4" or "14:5" */
void cv_loc_text(cv_buf *b, const chanval_diag *d);

void cv_render_text(const chanval_session *s, unsigned flags, cv_buf *b);
void cv_render_json(const chanval_session *s, unsigned flags, cv_buf *b);
void cv_render_sarif(const chanval_session *s, unsigned flags, cv_buf *b);
void cv_render_junit(const chanval_session *s, unsigned flags, cv_buf *b);
void cv_render_github(const chanval_session *s, unsigned flags, cv_buf *b);
void cv_render_codequality(const chanval_session *s, unsigned flags, cv_buf *b);

#endif
