/* report.h - what the report writers share. */
#ifndef CV_REPORT_H
#define CV_REPORT_H

#include "session.h"

const char *cv_sev_name(chanval_severity s);
/* Does this finding appear in a report made with these flags?  Suppressed
 * ones only where the format can mark them (`marks`); -q shows errors. */
bool cv_report_shows(const chanval_diag *d, unsigned flags, bool marks);
const char *cv_suppression_name(chanval_suppression s);

/* A JSON string literal (invalid UTF-8 becomes U+FFFD). */
void cv_json_str(cv_buf *b, const char *s);
/* Text for a terminal (the text report, GitHub annotations): C0 controls,
 * DEL and bytes that are not UTF-8 as \xNN, C1 controls and bidirectional
 * formatting characters as \uNNNN, so nothing printed can move the
 * cursor, recolour, fake a line or reorder what a reader sees.  With
 * `backslash`, \ is \\ and the escaping is injective (paths); messages
 * leave it alone, as they already quote content strings with \\. */
void cv_text_escape(cv_buf *b, const char *s, bool backslash);
/* Is this code point one that cv_text_escape shows as \uNNNN (C1 controls,
 * DEL, bidi formatting, line and paragraph separators) or \xNN (C0)? */
bool cv_text_invisible(uint32_t cp);
void cv_text_escape_n(cv_buf *b, const uint8_t *p, size_t n, bool backslash);
/* Is s well-formed UTF-8? */
bool cv_utf8_valid(const char *s);
/* `"key": "path"`, and when path is not UTF-8 (invalid bytes shown as
 * U+FFFD) also `"keyBytes": "<hex of every byte>"`, so that names that
 * differ stay distinct. */
void cv_json_path(cv_buf *b, const char *key, const char *path);
/* XML text or attribute content, escaped (TAB, LF, CR as character
 * references, so attribute values keep them; what XML 1.0 cannot carry
 * becomes U+FFFD). */
void cv_xml_escape(cv_buf *b, const char *s);
void cv_xml_escape_n(cv_buf *b, const uint8_t *p, size_t n);
/* 64 lowercase hex digits of a SHA-256. */
void cv_sha_hex(cv_buf *b, const uint8_t sha[32]);
/* "0x3e4" or "14:5" */
void cv_loc_text(cv_buf *b, const chanval_diag *d);

void cv_render_text(const chanval_session *s, unsigned flags, cv_buf *b);
void cv_render_json(const chanval_session *s, unsigned flags, cv_buf *b);
void cv_render_sarif(const chanval_session *s, unsigned flags, cv_buf *b);
void cv_render_junit(const chanval_session *s, unsigned flags, cv_buf *b);
void cv_render_github(const chanval_session *s, unsigned flags, cv_buf *b);
void cv_render_codequality(const chanval_session *s, unsigned flags, cv_buf *b);

#endif
