/* dump.h - a channel file back to channel source XML. */
#ifndef CV_DUMP_H
#define CV_DUMP_H

#include "diag/diag.h"

/* Write data (already checked, container sound) as channel source XML. */
void cv_dump(cv_ctx *cx, const uint8_t *data, size_t len, cv_buf *out);

#endif
