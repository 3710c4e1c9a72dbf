/* batch.c - many files: directories walked in sorted order, files checked
 * on N threads, report entries kept in the order the paths were given.
 *
 * Each worker checks into a session of its own that shares the (frozen,
 * read-only) world and settings of the caller's, so no lock is taken on
 * the hot path; the entries are moved into the caller's session at the
 * end, in task order, whatever finished first. */
#define _POSIX_C_SOURCE 200809L
#include "alloc.h"
#include "regex.h"
#include "session.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { MAX_WALK_DEPTH = 64 };

typedef struct task {
    char *path;
    dev_t dev;
    ino_t ino;
    bool walked;
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
    cv_idset seen; /* (dev, ino) of every file queued */
    bool oom;
} batch;

static bool same_file(const task *t, const struct stat *st)
{
    return t->dev == st->st_dev && t->ino == st->st_ino;
}

static void queue(batch *b, const char *path, bool walked, const struct stat *st)
{
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
    b->tasks[b->ntasks++] = (task){.path = copy, .dev = st->st_dev, .ino = st->st_ino,
                                   .walked = walked};
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
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
        if (e->d_name[0] == '.') /* ., .., and hidden files and directories */
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
        struct stat st;
        if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
            walk(b, path, depth + 1); /* a link to a directory is not followed */
        else if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
            queue(b, path, true, &st);
        cv_free(path);
    }
    for (size_t i = 0; i < n; i++)
        cv_free(names[i]);
    cv_free(names);
}

/* A session for one worker: the caller's settings and world, its own
 * report and regex cache. */
static chanval_session worker_session(const chanval_session *s)
{
    chanval_session w = *s;
    w.files = NULL;
    w.nfiles = w.files_cap = 0;
    w.loaded = NULL;
    w.nloaded = w.loaded_cap = 0;
    w.regex = NULL;
    w.io_errors = NULL;
    w.nio_errors = w.io_errors_cap = 0;
    w.last_error[0] = '\0';
    return w;
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
    t->status = cv_check_one(w, t->path, t->walked);
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
        ws[j] = (worker){.b = b, .id = j, .w = worker_session(s)};
        ws[j].w.threads = 1; /* the cores are busy with files already */
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
    for (unsigned j = 0; j < jobs; j++) {
        for (size_t f = 0; f < ws[j].w.nfiles; f++)
            cv_file_free(ws[j].w.files[f]); /* only what was not moved */
        cv_free(ws[j].w.files);
        cv_free(ws[j].w.loaded);
        cv_regex_cache_free(ws[j].w.regex);
    }
    cv_free(ws);
    cv_free(th);
    return st;
}

chanval_status chanval_check_paths(chanval_session *s, const char *const *paths, size_t n,
                                   unsigned jobs)
{
    batch b = {.s = s};
    bool nomem_before = s->nomem;
    for (size_t i = 0; i < n && !b.oom; i++) {
        struct stat st;
        if (stat(paths[i], &st) != 0) {
            char msg[600];
            snprintf(msg, sizeof msg, "cannot open '%s': %s", paths[i], strerror(errno));
            cv_io_error_add(s, paths[i], msg);
        } else if (S_ISDIR(st.st_mode)) {
            walk(&b, paths[i], 0);
        } else {
            queue(&b, paths[i], false, &st);
        }
    }
    chanval_status st = b.oom ? CHANVAL_ERR_NOMEM : CHANVAL_OK;
    if (st == CHANVAL_OK && cv_world_freeze(&s->world) != 0)
        st = CHANVAL_ERR_NOMEM;
    if (st == CHANVAL_OK) {
        if (jobs <= 1 || b.ntasks < 2) {
            for (size_t i = 0; i < b.ntasks; i++)
                run_task(s, 0, &b.tasks[i]); /* entries go straight to s */
        } else {
            st = run_parallel(&b, jobs < b.ntasks ? jobs : (unsigned)b.ntasks);
        }
    }
    for (size_t i = 0; i < b.ntasks; i++) {
        task *t = &b.tasks[i];
        if (t->status == CHANVAL_ERR_NOMEM)
            st = CHANVAL_ERR_NOMEM;
        else if (t->status != CHANVAL_OK)
            cv_io_error_add(s, t->path, t->error ? t->error : t->path);
        cv_free(t->error);
        cv_free(t->path);
    }
    cv_free(b.tasks);
    cv_idset_free(&b.seen);
    if (s->nomem && !nomem_before)
        st = CHANVAL_ERR_NOMEM; /* an error could not even be recorded */
    if (st == CHANVAL_OK && s->nio_errors > 0)
        st = CHANVAL_ERR_IO;
    if (st == CHANVAL_ERR_NOMEM)
        cv_set_nomem(s);
    return st;
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
