/*
 * pool.h - the write workers: threads that run requests which wait for a commit, off the
 * server's poll threads.
 *
 * libmicrohttpd's pool threads each poll a share of the connections and run their handlers
 * in turn. A write waits on its thread for the group commit's fsync (store/group.h), and
 * with it every other connection of that thread; so no more writes could wait together than
 * there were poll threads (4 on 2 cores), and a read behind a write waited for the disk too.
 * The server suspends such a connection, hands the request to this pool, and the job resumes
 * the connection once its answer is ready (server.c). Reads stay on the poll threads, where
 * more threads than cores would only add switching.
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

/* Starts n worker threads. NULL if none could be started. */
struct http_pool *http_pool_start(unsigned n);

/* Queues a job for the next free worker: runs it first-come, first-served. */
void http_pool_submit(struct http_pool *p, struct http_pool_job *job);

/* Runs every job already queued, then stops the workers and frees the pool. NULL-safe. */
void http_pool_stop(struct http_pool *p);

#endif
