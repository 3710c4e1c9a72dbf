/* channel.h - the rules of a binary channel file. */
#ifndef CV_CHANNEL_H
#define CV_CHANNEL_H

#include "diag/diag.h"

#include <stddef.h>
#include <stdint.h>

/* Check a channel file: its container (CV1xx) and every instance and
 * criterion through the shared checks (check/criteria.h). */
void cv_check_channel(cv_ctx *cx, const uint8_t *data, size_t len);

#endif
