/* pack.h - channel source model to channel file bytes, in the one
 * deterministic layout of formats/channel-file.md. */
#ifndef CV_PACK_H
#define CV_PACK_H

#include "base/buf.h"
#include "model/content.h"

/* The bytes of the file (sealed with its digest); 0, or -1 when out of
 * memory or libcrypto failed.  Instances whose type is unknown are left
 * out, so the size is exact for a valid source. */
int cv_pack(const cv_source *src, cv_buf *out, bool seal);
/* Bytes of the channel file that pack would produce; 0, or -1 when out
 * of memory. */
int cv_source_packed_size(const cv_source *src, uint64_t *size);

#endif
