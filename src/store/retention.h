/*
 * retention.h - the store side of retention (个人信息保护法 art. 19, 47): which archived
 * cases are past the period, and anonymising one case's parties. The case module drives it
 * (case/retention.c), one transaction per case.
 */
#ifndef JIEFEN_STORE_RETENTION_H
#define JIEFEN_STORE_RETENTION_H

#include "store/store.h"

/* Rows to anonymise per batch read. */
#define STORE_RETENTION_BATCH 200

/*
 * Up to STORE_RETENTION_BATCH archived cases with id > after, archived (their last
 * `archive` event) before cutoff_ms, not yet anonymised and not under a legal hold, by id:
 * columns id, number, facts, claims, cause.
 */
store_err store_retention_due(struct store_conn *c, int64_t cutoff_ms, int64_t after,
                              struct store_rows **out);

/* How many cases would be due but are under a legal hold (for the report). */
store_err store_retention_held(struct store_conn *c, int64_t cutoff_ms, int64_t *n);

/*
 * In the caller's transaction: renames the parties of case `id` to labels[i] (in party id
 * order; a label for each party), clears their sealed ID numbers, phones, addresses, their
 * blind indexes and agents, writes the case's search terms anew from `text_terms` (may be
 * NULL) and its number, and marks the case anonymised now. *nparties: parties changed.
 */
store_err store_retention_anonymise(struct store_conn *c, int64_t id, const char *number,
                                    const char *text_terms, const char *(*label)(int),
                                    int *nparties);

/* Sets or clears a case's legal hold (no scope: an operator's command). */
store_err store_retention_hold(struct store_conn *c, int64_t id, int hold);

#endif
