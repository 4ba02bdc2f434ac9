/*
 * pool.h - the workers: threads that run the routed requests' handlers, off the server's poll
 * threads.
 *
 * libmicrohttpd's pool threads each poll a share of the connections and ran their handlers in
 * turn. A write waited there for the group commit's fsync (store/group.h), and with it every
 * other connection of that thread: no more writes could wait together than there were poll
 * threads (4 on two cores), and reads behind a write waited for the disk. Reads held up writes
 * the same way: at a million cases a dashboard's figures take tens of milliseconds, and a
 * registration waited behind the dashboards of its poll thread twice, to be read and to be
 * answered. Now the server suspends the connection, hands the request to the read or the write
 * workers, and the job resumes the connection once its answer is ready (server.c): the poll
 * threads only move bytes, reads queue behind reads and writes behind writes.
 */
#ifndef JIEFEN_HTTP_POOL_H
#define JIEFEN_HTTP_POOL_H

/* A job, embedded in the caller's own record (no allocation): run(job) runs on a worker. The
 * pool owns neither; the caller keeps the record alive until run has returned. */
struct http_pool_job {
    void (*run)(struct http_pool_job *job);
    struct http_pool_job *next;
};

struct http_pool;

/* Starts n worker threads (at most 64) named `name` (up to 15 bytes, for top -H). NULL if none
 * could be started. */
struct http_pool *http_pool_start(unsigned n, const char *name);

/* Queues a job for the next free worker: runs it first-come, first-served. */
void http_pool_submit(struct http_pool *p, struct http_pool_job *job);

/* Runs every job already queued, then stops the workers and frees the pool. NULL-safe. */
void http_pool_stop(struct http_pool *p);

#endif
