/* tests.h - what chanval test adds to the reports: each content's coverage
 * and per-instance figures (benign fire rate, regex steps), and each
 * test's cases. */
#ifndef CV_REPORT_TESTS_H
#define CV_REPORT_TESTS_H

#include "base/buf.h"
#include "chanval.h"

/* ,\n  "tests": {...} when the run tested content; nothing otherwise. */
void cv_json_tests(cv_buf *b, const chanval_session *s);
/* "cases": [...] of a test's report entry (with a leading comma). */
void cv_json_cases(cv_buf *b, const chanval_file *f);
/* Lines for the text report: coverage and the instances worth a look. */
void cv_text_tests(cv_buf *b, const chanval_session *s);

#endif
