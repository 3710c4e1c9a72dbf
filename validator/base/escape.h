/* escape.h - text, JSON and XML escaping of untrusted bytes. */
#ifndef CV_ESCAPE_H
#define CV_ESCAPE_H

#include "base/buf.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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
/* HTML text or attribute content (quoted with "): what cv_text_escape
 * makes of the bytes (controls, NUL, bidi overrides and bytes that are not
 * UTF-8 as visible \\xNN and \\uNNNN), with & < > " ' as character
 * references, so no input can open a tag, end an attribute or reorder
 * the text around it. */
void cv_html_escape_n(cv_buf *b, const uint8_t *p, size_t n, bool backslash);
void cv_html_escape(cv_buf *b, const char *s, bool backslash);
/* 64 lowercase hex digits of a SHA-256. */
void cv_sha_hex(cv_buf *b, const uint8_t sha[32]);

#endif
