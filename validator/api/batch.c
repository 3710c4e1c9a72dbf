/* batch.c - many files: directories walked in sorted order, files checked
 * on N threads, report entries kept in the order the paths were given.
 *
 * Each worker checks into a session of its own that shares the (frozen,
 * read-only) world and settings of the caller's, so no lock is taken on
 * the hot path; the entries are moved into the caller's session at the
 * end, in task order, whatever finished first. */
#define _POSIX_C_SOURCE 200809L
#include "base/alloc.h"
#include "regex/cache.h"
#include "api/session.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { MAX_WALK_DEPTH = 64 };

typedef struct task {
    char *path;
    dev_t dev;
    ino_t ino;
    bool walked;  /* sniffed: checked only if its bytes are content */
    bool skipped; /* ... and they were not */
    size_t root;  /* which of the paths given led to it */
    chanval_status status;
    char *error;
    unsigned worker;     /* whose session holds its entries */
    size_t first, count; /* ... at these indices */
} task;

typedef struct batch {
    chanval_session *s;
    task *tasks;
    size_t ntasks, cap;
    size_t next; /* next task to take, under lock */
    pthread_mutex_t lock;
    cv_idset seen;  /* (dev, ino) of every file queued */
    size_t root;    /* the path given that is being walked */
    size_t found;   /* content files it holds (also those already loaded) */
    char **skipped; /* entries the walk passed over, in walk order */
    size_t nskipped, skipped_cap;
    bool oom;
} batch;

static bool same_file(const task *t, const struct stat *st)
{
    return t->dev == st->st_dev && t->ino == st->st_ino;
}

static void queue(batch *b, const char *path, bool walked, const struct stat *st)
{
    if (!walked)
        b->found++;
    /* a file named twice (or reached twice, or loaded as -t/-f) is read once */
    for (size_t i = 0; i < b->s->nloaded; i++)
        if (b->s->loaded[i].dev == st->st_dev && b->s->loaded[i].ino == st->st_ino)
            return;
    uint64_t key = cv_hash_bytes(&(uint64_t[2]){(uint64_t)st->st_dev, (uint64_t)st->st_ino},
                                 2 * sizeof(uint64_t));
    uint64_t prev;
    int r = cv_idset_put(&b->seen, key, b->ntasks, &prev);
    if (r == 0) {
        if (same_file(&b->tasks[prev], st))
            return;
        for (size_t i = 0; i < b->ntasks; i++) /* a hash collision: look properly */
            if (same_file(&b->tasks[i], st))
                return;
    }
    void *p = b->tasks;
    char *copy = cv_strdup(path);
    if (r < 0 || !copy || cv_grow(&p, &b->cap, b->ntasks + 1, sizeof *b->tasks) != 0) {
        cv_free(copy);
        b->oom = true;
        return;
    }
    b->tasks = p;
    b->tasks[b->ntasks++] = (task){
        .path = copy, .dev = st->st_dev, .ino = st->st_ino, .walked = walked, .root = b->root};
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void walk(batch *b, const char *dir, unsigned depth);

static void io_error(batch *b, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void io_error(batch *b, const char *path, const char *fmt, ...)
{
    char msg[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    cv_io_error_add(b->s, path, msg);
}

static void skip(batch *b, const char *path)
{
    void *p = b->skipped;
    char *copy = cv_strdup(path);
    if (!copy || cv_grow(&p, &b->skipped_cap, b->nskipped + 1, sizeof *b->skipped) != 0) {
        cv_free(copy);
        b->oom = true;
        return;
    }
    b->skipped = p;
    b->skipped[b->nskipped++] = copy;
}

/* The names content is shipped under.  A file so named is checked whatever
 * its bytes are: a Git LFS pointer, an error page saved in its place or a
 * base64 copy must fail (CV101, CV203), not be passed over as not content. */
static bool ends_with(const char *path, size_t n, const char *ext)
{
    size_t e = strlen(ext);
    return n > e && strcmp(path + n - e, ext) == 0;
}

/* A name only content has: the channel file's own extension, or one the
 * configuration declares. */
static bool own_content_name(const chanval_session *s, const char *path)
{
    size_t n = strlen(path);
    if (ends_with(path, n, ".chnl"))
        return true;
    for (size_t i = 0; i < s->set->ncontent_exts; i++)
        if (ends_with(path, n, s->set->content_exts[i]))
            return true;
    return false;
}

static bool content_name(const chanval_session *s, const char *path)
{
    size_t n = strlen(path);
    return ends_with(path, n, ".bin") || ends_with(path, n, ".xml") || own_content_name(s, path);
}

/* One directory entry.  Nothing is passed over in silence: what cannot be
 * examined is an error, what is not content is listed as skipped. */
static void entry(batch *b, const char *path, unsigned depth)
{
    struct stat st;
    if (lstat(path, &st) != 0) {
        io_error(b, path, "cannot examine '%s': %s", path, strerror(errno));
        return;
    }
    if (S_ISDIR(st.st_mode)) {
        walk(b, path, depth + 1);
        return;
    }
    if (S_ISLNK(st.st_mode)) {
        if (stat(path, &st) != 0) {
            io_error(b, path, "cannot follow the symbolic link '%s': %s", path, strerror(errno));
            return;
        }
        if (S_ISDIR(st.st_mode)) { /* a link to a directory is not followed */
            skip(b, path);
            return;
        }
    }
    bool named = content_name(b->s, path);
    if (S_ISREG(st.st_mode))
        queue(b, path, !named, &st); /* other names: checked if the bytes are content */
    else if (named)
        queue(b, path, false, &st); /* refused when read: not a regular file */
    else
        skip(b, path);
}

static void walk(batch *b, const char *dir, unsigned depth)
{
    if (depth > MAX_WALK_DEPTH) {
        char msg[600];
        snprintf(msg, sizeof msg, "not descending into '%s': deeper than %d directories", dir,
                 MAX_WALK_DEPTH);
        cv_io_error_add(b->s, dir, msg);
        return;
    }
    DIR *d = opendir(dir);
    if (!d) {
        char msg[600];
        snprintf(msg, sizeof msg, "cannot open directory '%s': %s", dir, strerror(errno));
        cv_io_error_add(b->s, dir, msg);
        return;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        void *p = names;
        char *name = cv_strdup(e->d_name);
        if (!name || cv_grow(&p, &cap, n + 1, sizeof *names) != 0) {
            cv_free(name);
            b->oom = true;
            break;
        }
        names = p;
        names[n++] = name;
    }
    closedir(d);
    if (n > 1) /* the same order on every machine */
        qsort(names, n, sizeof *names, cmp_name);
    for (size_t i = 0; i < n && !b->oom; i++) {
        size_t len = strlen(dir) + strlen(names[i]) + 2;
        char *path = cv_malloc(len);
        if (!path) {
            b->oom = true;
            break;
        }
        bool slash = dir[0] && dir[strlen(dir) - 1] == '/';
        snprintf(path, len, "%s%s%s", dir, slash ? "" : "/", names[i]);
        /* Hidden entries (.git, temporaries) are listed, not read; but a
         * hidden file under a content name is content all the same, except
         * the project's own configuration. */
        if (names[i][0] == '.' &&
            (!content_name(b->s, path) || strcmp(names[i], ".chanval.xml") == 0))
            skip(b, path);
        else
            entry(b, path, depth);
        cv_free(path);
    }
    for (size_t i = 0; i < n; i++)
        cv_free(names[i]);
    cv_free(names);
}

typedef struct worker {
    batch *b;
    unsigned id;
    chanval_session w;
} worker;

static void run_task(chanval_session *w, unsigned id, task *t)
{
    t->worker = id;
    t->first = w->nfiles;
    t->status = cv_check_one(w, t->path, t->walked, &t->skipped);
    if (t->status != CHANVAL_OK)
        t->error = cv_strdup(w->last_error[0] ? w->last_error : t->path);
    t->count = w->nfiles - t->first;
}

static void *work(void *arg)
{
    worker *k = arg;
    batch *b = k->b;
    for (;;) {
        pthread_mutex_lock(&b->lock);
        size_t i = b->next < b->ntasks ? b->next++ : SIZE_MAX;
        pthread_mutex_unlock(&b->lock);
        if (i == SIZE_MAX)
            return NULL;
        run_task(&k->w, k->id, &b->tasks[i]);
    }
}

static chanval_status run_parallel(batch *b, unsigned jobs)
{
    chanval_session *s = b->s;
    worker *ws = cv_calloc(jobs, sizeof *ws);
    pthread_t *th = cv_calloc(jobs, sizeof *th);
    chanval_status st = CHANVAL_OK;
    if (!ws || !th || pthread_mutex_init(&b->lock, NULL) != 0) {
        cv_free(ws);
        cv_free(th);
        return CHANVAL_ERR_NOMEM;
    }
    unsigned started = 0;
    for (unsigned j = 0; j < jobs; j++) {
        ws[j] = (worker){.b = b, .id = j};
        cv_session_worker(&ws[j].w, s);
        if (pthread_create(&th[j], NULL, work, &ws[j]) != 0)
            break;
        started++;
    }
    if (started == 0)
        work(&ws[0]); /* no thread could start: do it here */
    for (unsigned j = 0; j < started; j++)
        pthread_join(th[j], NULL);
    pthread_mutex_destroy(&b->lock);
    /* the caller's session takes the entries, in task order */
    for (size_t i = 0; i < b->ntasks && st == CHANVAL_OK; i++) {
        task *t = &b->tasks[i];
        if (t->count == 0)
            continue; /* nothing to move, and maybe no array to point into */
        void *p = s->files;
        if (cv_grow(&p, &s->files_cap, s->nfiles + t->count, sizeof *s->files) != 0) {
            st = CHANVAL_ERR_NOMEM;
            break;
        }
        s->files = p;
        chanval_file **from = ws[t->worker].w.files + t->first;
        for (size_t f = 0; f < t->count; f++) {
            s->files[s->nfiles++] = from[f];
            from[f] = NULL; /* moved */
        }
    }
    for (unsigned j = 0; j < jobs; j++)
        cv_session_release(&ws[j].w); /* frees only what was not moved */
    cv_free(ws);
    cv_free(th);
    return st;
}

bool cv_skipped_keep(chanval_session *s, char *path)
{
    void *p = s->skipped;
    if (cv_grow(&p, &s->skipped_cap, s->nskipped + 1, sizeof *s->skipped) != 0)
        return false;
    s->skipped = p;
    s->skipped[s->nskipped++] = path;
    return true;
}

/* What each path given holds: tasks queued (a directory walked), and per
 * path the files named (found), where its skipped entries start and
 * whether it is a directory. */
typedef struct per_path {
    size_t *found;
    size_t *first_skip;
    bool *is_dir;
} per_path;

static void gather(batch *b, const char *const *paths, size_t n, per_path *pp)
{
    for (size_t i = 0; i < n && !b->oom; i++) {
        struct stat st;
        b->root = i;
        b->found = 0;
        pp->first_skip[i] = b->nskipped;
        if (strcmp(paths[i], "-") == 0) { /* standard input */
            if (fstat(0, &st) != 0) {
                io_error(b, paths[i], "cannot read standard input ('%s'): %s", paths[i],
                         strerror(errno));
                continue;
            }
            queue(b, paths[i], false, &st);
        } else if (stat(paths[i], &st) != 0) {
            io_error(b, paths[i], "cannot open '%s': %s", paths[i], strerror(errno));
        } else if (S_ISDIR(st.st_mode)) {
            pp->is_dir[i] = true;
            walk(b, paths[i], 0);
        } else {
            /* --skip-foreign: sniffed like a walked file, unless its name
             * says it is content */
            bool sniff = b->s->set->skip_foreign && !own_content_name(b->s, paths[i]);
            queue(b, paths[i], sniff, &st);
        }
        pp->found[i] = b->found;
    }
}

/* Every task, on this thread or on `jobs` workers. */
static chanval_status run_tasks(batch *b, unsigned jobs)
{
    chanval_session *s = b->s;
    for (size_t i = 0; i < b->ntasks && !b->oom; i++)
        if (cv_input_seen(s, b->tasks[i].dev, b->tasks[i].ino) != CHANVAL_OK)
            b->oom = true;
    if (b->oom || cv_world_freeze(s->world) != 0 || !cv_settings_key(s))
        return CHANVAL_ERR_NOMEM;
    if (jobs > 1 && b->ntasks >= 2)
        return run_parallel(b, jobs < b->ntasks ? jobs : (unsigned)b->ntasks);
    for (size_t i = 0; i < b->ntasks; i++)
        run_task(s, 0, &b->tasks[i]); /* entries go straight to s */
    return CHANVAL_OK;
}

/* Path i's outcome, in the order of the paths given: each of its tasks'
 * outcomes (from *t on), then what its walk skipped (from *k on, the
 * walk's own order), then whether it held anything to check at all. */
static chanval_status path_outcome(batch *b, const char *const *paths, size_t n, size_t i,
                                   per_path *pp, size_t *t, size_t *k)
{
    chanval_session *s = b->s;
    chanval_status st = CHANVAL_OK;
    size_t t0 = *t; /* a path's tasks are queued together */
    for (; *t < b->ntasks && b->tasks[*t].root == i; (*t)++) {
        task *tk = &b->tasks[*t];
        if (tk->status == CHANVAL_ERR_NOMEM)
            st = CHANVAL_ERR_NOMEM;
        else if (tk->status != CHANVAL_OK)
            cv_io_error_add(s, tk->path, tk->error ? tk->error : tk->path);
        else if (!tk->skipped) /* skipped ones are listed below */
            pp->found[i]++;
    }
    size_t end = i + 1 < n ? pp->first_skip[i + 1] : b->nskipped;
    size_t before = s->nskipped;
    for (; *k < end; (*k)++) {
        if (!cv_skipped_keep(s, b->skipped[*k]))
            return CHANVAL_ERR_NOMEM;
        b->skipped[*k] = NULL; /* moved */
    }
    for (size_t j = t0; j < *t && st != CHANVAL_ERR_NOMEM; j++) /* sniffed, not content */
        if (b->tasks[j].skipped && b->tasks[j].status == CHANVAL_OK) {
            if (!cv_skipped_keep(s, b->tasks[j].path))
                return CHANVAL_ERR_NOMEM;
            b->tasks[j].path = NULL; /* moved */
        }
    size_t skipped_here = s->nskipped - before;
    if (pp->is_dir[i] && pp->found[i] == 0 && !s->set->allow_empty) {
        char detail[64];
        snprintf(detail, sizeof detail, "%zu other entr%s skipped", skipped_here,
                 skipped_here == 1 ? "y" : "ies");
        io_error(b, paths[i],
                 "'%s' holds no content file to check (%s); a release gate must not pass "
                 "an empty folder: name the files, or use --allow-empty",
                 paths[i], detail);
    }
    return st;
}

static void batch_free(batch *b, per_path *pp)
{
    for (size_t i = 0; i < b->ntasks; i++) {
        cv_free(b->tasks[i].error);
        cv_free(b->tasks[i].path);
    }
    for (size_t i = 0; i < b->nskipped; i++)
        cv_free(b->skipped[i]);
    cv_free(b->skipped);
    cv_free(pp->found);
    cv_free(pp->first_skip);
    cv_free(pp->is_dir);
    cv_free(b->tasks);
    cv_idset_free(&b->seen);
}

chanval_status chanval_check_paths(chanval_session *s, const char *const *paths, size_t n,
                                   unsigned jobs)
{
    batch b = {.s = s};
    bool nomem_before = s->nomem;
    per_path pp = {cv_calloc(n ? n : 1, sizeof *pp.found),
                   cv_calloc(n ? n : 1, sizeof *pp.first_skip),
                   cv_calloc(n ? n : 1, sizeof *pp.is_dir)};
    if (!pp.found || !pp.first_skip || !pp.is_dir)
        b.oom = true;
    gather(&b, paths, n, &pp);
    chanval_status st = run_tasks(&b, jobs);
    size_t t = 0, k = 0;
    for (size_t i = 0; i < n && st != CHANVAL_ERR_NOMEM && pp.found; i++) {
        chanval_status pst = path_outcome(&b, paths, n, i, &pp, &t, &k);
        if (pst != CHANVAL_OK)
            st = pst;
    }
    batch_free(&b, &pp);
    if (b.oom)
        st = CHANVAL_ERR_NOMEM;
    if (s->nomem && !nomem_before)
        st = CHANVAL_ERR_NOMEM; /* an error could not even be recorded */
    if (st == CHANVAL_OK && s->nio_errors > 0)
        st = CHANVAL_ERR_IO;
    if (st == CHANVAL_ERR_NOMEM)
        cv_set_nomem(s);
    return st;
}

void chanval_set_allow_empty(chanval_session *s, bool allow) { s->set->allow_empty = allow; }

void chanval_set_skip_foreign(chanval_session *s, bool skip) { s->set->skip_foreign = skip; }

size_t chanval_skipped_count(const chanval_session *s) { return s->nskipped; }

const char *chanval_skipped_path(const chanval_session *s, size_t i)
{
    return i < s->nskipped ? s->skipped[i] : NULL;
}

size_t chanval_io_error_count(const chanval_session *s) { return s->nio_errors; }

const char *chanval_io_error(const chanval_session *s, size_t i)
{
    return i < s->nio_errors ? s->io_errors[i].message : NULL;
}

const char *chanval_io_error_path(const chanval_session *s, size_t i)
{
    return i < s->nio_errors ? s->io_errors[i].path : NULL;
}
