/* harness_cache.c - the result cache's record of a file's findings
 * (diag/persist.c), read back from bytes only a checksum vouches for.
 *
 * Input: one byte (bit 0: the entry is for a channel file, else for an
 * XML document), then the record.
 *
 *   - Reading any bytes ends cleanly: accepted, or refused with the entry
 *     left without findings; nothing is read or allocated past the record.
 *   - What is accepted is a record: every finding has its message, and
 *     writing it back gives the very bytes that were read (the format has
 *     one spelling of each record, so nothing is lost or invented). */
#include "base/alloc.h"
#include "base/buf.h"
#include "common.h"
#include "diag/diag.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    chanval_file *f = cv_calloc(1, sizeof *f);
    if (!f)
        cvf_fail("out of memory");
    f->kind = (data[0] & 1) ? CHANVAL_KIND_CHANNEL : CHANVAL_KIND_XML;
    if (cv_file_restore(f, data + 1, size - 1)) {
        for (size_t i = 0; i < f->ndiags; i++)
            if (!f->diags[i].message)
                cvf_fail("finding %zu restored without a message", i);
        cv_buf again = {0};
        if (cv_file_persist(f, &again) != 0)
            cvf_fail("out of memory");
        if (again.len != size - 1 || memcmp(again.data, data + 1, size - 1) != 0)
            cvf_fail("a record read back is written differently (%zu bytes, then %zu)",
                     size - 1, again.len);
        cv_buf_free(&again);
    } else if (f->ndiags != 0) {
        cvf_fail("a refused record left %zu findings", f->ndiags);
    }
    cv_free(f->diags);
    cv_arena_free(&f->arena);
    cv_free(f);
    return 0;
}
