/*
 * staffseal.h - staff-side phones (users, mediators, experts, grid workers) sealed like
 * parties' (个人信息保护法 art. 51: encryption as a security measure for personal data).
 *
 * Each of the four tables has, since migration 29, phone_sealed (seal_encrypt text) and
 * phone_index (blind index, kind "phone", of the normalised number) next to the old plain
 * `phone` column, which stays NULL once a row is sealed. Migrations cannot reach the key
 * (it lives in a file outside the database), so rows written before migration 29, or by a
 * CLI command without the key (`jiefen demo`, `jiefen user add`), keep their number in
 * `phone` until store_staff_phones_seal runs: `jiefen serve` calls it at start, right
 * after migrating. Reads select COALESCE(phone_sealed, phone) AS phone and open the
 * column with store_rows_open_phones, so callers see the number as before.
 */
#ifndef JIEFEN_STORE_STAFFSEAL_H
#define JIEFEN_STORE_STAFFSEAL_H

#include "seal/seal.h"
#include "store/store.h"

/* What a write stores for a given phone: exactly one of plain / sealed is set (both NULL
 * when no phone was given). */
struct staff_phone {
    const char *plain; /* only without a key: sealed at the next `jiefen serve` start */
    char *sealed;      /* malloc'd */
    const char *index; /* points into idx, or NULL */
    char idx[SEAL_INDEX_LEN];
};

/* Fills p for `phone` (NULL: none). Returns STORE_ERROR only if memory ran out. */
store_err store_staff_phone(struct store_conn *c, const char *phone, struct staff_phone *p);
void store_staff_phone_free(struct staff_phone *p);

/* Writes p to row `id` of `table` (a literal of this module's callers: users, mediators,
 * experts, grid_workers) in the caller's transaction; nothing when no phone was given. */
store_err store_staff_phone_update(struct store_conn *c, const char *table, int64_t id,
                                   const struct staff_phone *p);

/* Replaces every sealed value of the column "phone" in r by its plain text (NULL if the
 * store has no key or the value does not open). NULL-safe. */
store_err store_rows_open_phones(struct store_conn *c, struct store_rows *r);

/* For a read that returned e: opens the phones of *out when e is STORE_OK; on any failure
 * frees *out and sets it NULL. Returns the outcome. */
store_err store_opened(struct store_conn *c, store_err e, struct store_rows **out);

/* store_staff_phone then store_staff_phone_update: the phone of one row, in the caller's
 * transaction. */
store_err store_staff_phone_put(struct store_conn *c, const char *table, int64_t id,
                                const char *phone);

/* Seals every plain staff-side phone with the store's key, 200 rows per transaction, and
 * clears the plain column; *sealed counts the rows. Idempotent. */
store_err store_staff_phones_seal(struct store_conn *c, int64_t *sealed);

#endif
