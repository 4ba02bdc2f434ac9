/*
 * guard.h - connection floods (issue 13, defect 1): a cap on connections per address and
 * deadlines that a client trickling one header line every few seconds cannot extend.
 *
 * libmicrohttpd's own idle timeout restarts with every byte received, so a slowloris
 * client keeps a connection forever; its per-address limit counts a reverse proxy as one
 * address. The guard keeps its own table of connections: the accept policy refuses an
 * address over the cap, a sweeper thread shuts down the socket of a connection whose
 * header (or body) deadline has passed, and libmicrohttpd then sees the end of the stream
 * and closes it. Connections from a trusted proxy are counted per forwarded address once
 * their headers are in (the proxy, nginx, buffers the headers itself, so slow headers
 * never reach us through it).
 */
#ifndef JIEFEN_HTTP_GUARD_H
#define JIEFEN_HTTP_GUARD_H

#include <sys/socket.h>

struct guard;
struct guard_conn;

enum guard_phase { GUARD_HEADERS, GUARD_BODY, GUARD_SENDING };

/* A guard with the given limits (seconds); NULL when out of memory or the sweeper thread
 * cannot start. `trusted` is the comma-separated list of proxy addresses (may be NULL). */
struct guard *guard_start(unsigned per_ip, unsigned header_s, unsigned body_s, const char *trusted);
void guard_stop(struct guard *g);

/* 1 if a new connection from this peer is welcome (the accept policy). */
int guard_accept(struct guard *g, const struct sockaddr *peer);

/* Tracks a connection from its start to its close (libmicrohttpd's notify-connection). */
struct guard_conn *guard_opened(struct guard *g, int fd, const struct sockaddr *peer);
void guard_closed(struct guard *g, struct guard_conn *gc);

/* The connection entered a phase: its deadline restarts. */
void guard_phase(struct guard *g, struct guard_conn *gc, enum guard_phase phase);

/* 1 if `ip` (text) is a trusted proxy. */
int guard_trusted(const struct guard *g, const char *ip);

/* Counts a connection from a trusted proxy under the forwarded client address of its
 * latest request; returns 0, or -1 when that client is over the cap (answer 429 and close). */
int guard_forwarded(struct guard *g, struct guard_conn *gc, const char *client);

/* Text form of an IPv4 or IPv6 peer address into out (INET6_ADDRSTRLEN); "unknown" if not. */
void guard_addr(const struct sockaddr *sa, char *out, size_t outlen);

#endif
