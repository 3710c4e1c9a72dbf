/* layout.h - the bytes behind a finished file's findings (excerpts) and,
 * for a channel file, the structures over them (chanval_set_excerpts). */
#ifndef CV_LAYOUT_H
#define CV_LAYOUT_H

#include "diag/diag.h"

/* After the file's findings are final: keep the excerpts `o` asks for in
 * cx->f->ex; cx->oom when out of memory.  Records no finding. */
void cv_capture(cv_ctx *cx, const uint8_t *data, size_t len, const chanval_excerpt_options *o);

#endif
