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

/* What scrubbing one case changed (or, in a dry run, would change). */
struct store_retention_scrub {
    int64_t texts;       /* free-text values rewritten */
    int64_t attachments; /* attachment rows marked deleted */
    int64_t bytes;       /* their sizes */
};

/*
 * The masking callback: a malloc'd copy of `in` with personal data masked, or NULL out of
 * memory. json: `in` is a JSON document (an event's data) whose string values are masked.
 */
typedef char *(*store_retention_mask_fn)(void *ctx, const char *in, int json);

/*
 * The parties of case `id` as they are before anonymising: name, agent (in party id order),
 * so the caller can mask their names in the free text.
 */
store_err store_retention_parties(struct store_conn *c, int64_t id, struct store_rows **out);

/*
 * In the caller's transaction: rewrites through `mask` every free text of case `id` — the
 * facts, claims, cause and forecast, the session records (place, participants, record, next
 * step), the timeline events' data (notes, agreement terms, reasons), the control plan's
 * measures, the supervision orders' content and reply — writing only values that change,
 * and marks its attachments deleted (deleted_at, the name masked too; sha256 and size kept).
 * *files: a malloc'd NULL-terminated list of the sha256 of files no longer referenced by any
 * attachment that is not deleted (the caller removes them from the files folder).
 */
store_err store_retention_scrub(struct store_conn *c, int64_t id, store_retention_mask_fn mask,
                                void *ctx, struct store_retention_scrub *n, char ***files);

/*
 * SQLite keeps overwritten bytes in free space of its pages and old page images in the
 * write-ahead log. Before a run: PRAGMA secure_delete on this connection (what it overwrites
 * or deletes is zeroed); after it: a TRUNCATE checkpoint, so the log holding the old pages
 * is emptied (it stays if a reader holds an old snapshot: rerun later, docs). PostgreSQL:
 * nothing here (dead row versions go with VACUUM).
 */
store_err store_retention_begin(struct store_conn *c);
store_err store_retention_finish(struct store_conn *c);

/* Sets or clears a case's legal hold (no scope: an operator's command). */
store_err store_retention_hold(struct store_conn *c, int64_t id, int hold);

#endif
