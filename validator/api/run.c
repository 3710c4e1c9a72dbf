/* run.c - the report of a run: its entries, the inputs it could not read,
 * and its last error. */
#include "api/session.h"
#include "base/alloc.h"

#include <stdarg.h>
#include <stdio.h>

chanval_file *cv_file_new(chanval_session *s, const char *path, chanval_kind kind, size_t *index)
{
    void *p = s->files;
    if (cv_grow(&p, &s->files_cap, s->nfiles + 1, sizeof *s->files) != 0)
        return NULL;
    s->files = p;
    chanval_file *f = cv_calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->path = cv_strdup(path);
    if (!f->path) {
        cv_free(f);
        return NULL;
    }
    f->kind = kind;
    *index = s->nfiles;
    s->files[s->nfiles++] = f;
    return f;
}

void cv_set_error(chanval_session *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->last_error, sizeof s->last_error, fmt, ap);
    va_end(ap);
}

void cv_set_nomem(chanval_session *s)
{
    s->nomem = true;
    cv_set_error(s, "out of memory");
}

void cv_io_error_add(chanval_session *s, const char *path, const char *message)
{
    void *p = s->io_errors;
    char *pc = cv_strdup(path), *mc = cv_strdup(message);
    if (!pc || !mc ||
        cv_grow(&p, &s->io_errors_cap, s->nio_errors + 1, sizeof *s->io_errors) != 0) {
        /* the input is not named, but the run must still fail */
        cv_free(pc);
        cv_free(mc);
        s->nomem = true;
        return;
    }
    s->io_errors = p;
    s->io_errors[s->nio_errors++] = (cv_io_error){.path = pc, .message = mc};
}

chanval_status chanval_record_io_error(chanval_session *s, const char *path, const char *why)
{
    size_t before = s->nio_errors;
    cv_io_error_add(s, path, why);
    return s->nio_errors > before ? CHANVAL_OK : CHANVAL_ERR_NOMEM;
}

chanval_status cv_input_seen(chanval_session *s, dev_t dev, ino_t ino)
{
    if (s->is_worker)
        return CHANVAL_OK; /* the batch records its files in the caller's session */
    /* no search for duplicates: one entry per file read, looked through
     * once per output */
    void *p = s->inputs;
    if (cv_grow(&p, &s->inputs_cap, s->ninputs + 1, sizeof *s->inputs) != 0)
        return CHANVAL_ERR_NOMEM;
    s->inputs = p;
    s->inputs[s->ninputs] = (cv_loaded){.dev = dev, .ino = ino};
    s->ninputs++;
    return CHANVAL_OK;
}
