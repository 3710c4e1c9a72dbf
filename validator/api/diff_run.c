/* diff_run.c - chanval diff: both files read and checked as usual (their
 * findings are part of the report), then compared from the bytes checked. */
#include "api/session.h"
#include "base/alloc.h"
#include "base/fileio.h"
#include "check/diff.h"

#include <string.h>

static chanval_status load(chanval_session *s, const char *path, cv_file_data *fd, size_t *index)
{
    s->last_error[0] = '\0';
    chanval_status st = cv_read_file(path, s->set->policy.limits[CHANVAL_LIMIT_BYTES], fd,
                                     s->last_error, sizeof s->last_error);
    if (st != CHANVAL_OK)
        return st;
    if (cv_input_seen(s, fd->id.dev, fd->id.ino) != CHANVAL_OK)
        return CHANVAL_ERR_NOMEM;
    /* the file is checked as usual, from the bytes compared below (not read
     * a second time): its findings are part of the report */
    size_t before = s->nfiles;
    st = cv_check_read(s, path, fd);
    *index = s->nfiles > before ? s->nfiles - 1 : SIZE_MAX;
    return st;
}

/* Both files decode: compare them into a new diff, findings into the new
 * file's entry. */
static chanval_status compare(chanval_session *s, const cv_file_data *o, size_t oi,
                              const cv_file_data *n, size_t ni)
{
    cv_diff *d = cv_calloc(1, sizeof *d);
    if (!d)
        return CHANVAL_ERR_NOMEM;
    chanval_file *nf = s->files[ni];
    cv_ctx cx;
    if (cv_session_ctx(s, nf, ni, &cx) != CHANVAL_OK) {
        cv_free(d);
        return CHANVAL_ERR_NOMEM;
    }
    d->old_path = s->files[oi]->path;
    d->new_path = nf->path;
    cv_diff_compare(&cx, o->data, o->len, n->data, n->len, s->set->growth_percent, d);
    cv_ctx_done(&cx);
    cv_diff_free(s->diff);
    s->diff = d;
    return cx.oom || cv_file_finish(&s->set->policy, nf) != 0 ? CHANVAL_ERR_NOMEM : CHANVAL_OK;
}

chanval_status chanval_diff_paths(chanval_session *s, const char *old_path, const char *new_path)
{
    if (cv_world_freeze(s->world) != 0)
        return CHANVAL_ERR_NOMEM;
    cv_file_data o = {0}, n = {0};
    size_t oi = SIZE_MAX, ni = SIZE_MAX;
    chanval_status st = load(s, old_path, &o, &oi);
    if (st == CHANVAL_OK)
        st = load(s, new_path, &n, &ni);
    if (st == CHANVAL_OK && oi != SIZE_MAX && ni != SIZE_MAX &&
        s->files[oi]->kind == CHANVAL_KIND_CHANNEL && s->files[ni]->kind == CHANVAL_KIND_CHANNEL &&
        !cv_diff_blocked(s->files[oi]) && !cv_diff_blocked(s->files[ni]))
        st = compare(s, &o, oi, &n, ni);
    cv_file_data_free(&o);
    cv_file_data_free(&n);
    if (st == CHANVAL_ERR_NOMEM)
        cv_set_nomem(s);
    else if (st == CHANVAL_ERR_IO) /* the report names it; the exit code is 2 */
        cv_io_error_add(s, oi == SIZE_MAX ? old_path : new_path, s->last_error);
    return st;
}

void chanval_set_max_growth(chanval_session *s, uint64_t percent)
{
    s->set->growth_percent = percent;
}

bool chanval_diff_get(const chanval_session *s, chanval_diff_info *out)
{
    const cv_diff *d = s->diff;
    if (!d)
        return false;
    *out = (chanval_diff_info){.old_path = d->old_path,
                               .new_path = d->new_path,
                               .old_size = d->old_size,
                               .new_size = d->new_size,
                               .old_instances = d->old_instances,
                               .new_instances = d->new_instances,
                               .old_channel = d->old_channel,
                               .new_channel = d->new_channel,
                               .old_version = d->old_version,
                               .new_version = d->new_version,
                               .change_count = d->nchanges};
    return true;
}

bool chanval_diff_change_at(const chanval_session *s, size_t index, chanval_diff_change *out)
{
    if (!s->diff || index >= s->diff->nchanges)
        return false;
    const cv_change *c = &s->diff->changes[index];
    *out = (chanval_diff_change){
        .kind = c->kind, .instance = c->instance, .criterion = c->criterion, .text = c->text};
    return true;
}
