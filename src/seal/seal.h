/*
 * seal.h - sealed fields: the one place personal data is encrypted, indexed and masked.
 *
 * Party ID numbers, phone numbers and addresses are stored sealed (encrypted with
 * libsodium's secretbox, XSalsa20-Poly1305), so a copy of the database alone does not
 * disclose them. The key lives in a file outside the database. Exact look-up ("is this
 * ID number already a party?") goes through a blind index: a keyed BLAKE2b hash of the
 * normalised value, stored next to the sealed text. Lists show masked values.
 *
 * Key file: text, one key per line, lines starting with '#' and blank lines ignored.
 *   <id> <64 hex digits>     a 32-byte master key with key id 1..255
 *   <64 hex digits>          the same with key id 1 (a bare key, as `openssl rand -hex 32`)
 * The LAST key line is the current key: it seals new values and keys the blind index.
 * Every listed key can still open what it sealed. A key is rotated in phases (`jiefen key
 * add`, `promote`, `rotate`, `retire`; docs/security-data.md): the new line is first added
 * before the last one, so that servers (SIGHUP, seal_reload) can open it before anything is
 * sealed with it, then moved to the end, then every row is re-sealed and re-indexed
 * (seal_key_id() tells which rows still use an old key), then the old line is deleted. The file
 * must not be readable or writable by group or others (mode 0600 or stricter), otherwise seal_open
 * refuses it. LOSING THE KEY FILE LOSES THE SEALED DATA: back it up apart from the database
 * backups.
 *
 * From each master key two subkeys are derived with crypto_kdf_derive_from_key (subkey
 * id 1): context "jiefenSB" encrypts, context "jiefenBI" keys the blind index, so the
 * index never uses the encryption key. The master key itself is not kept.
 *
 * Sealed text: "v1:" + base64url without padding of
 *   key_id (1 byte) || nonce (24 random bytes) || secretbox(padded plaintext) (MAC 16 bytes
 *   followed by the ciphertext).
 * The plaintext is padded (ISO/IEC 7816-4, sodium_pad) to a multiple of SEAL_PAD_BLOCK
 * bytes so the stored length does not reveal the exact length of an address. A value of
 * up to 31 bytes (every ID and phone number) seals to 101 characters.
 * Secretbox has no associated data: someone who can write the database could swap two
 * sealed values between rows or columns without detection (they cannot read or forge them).
 *
 * Threads: after seal_open the handle is read-only (its pages are mprotect'ed so), and every
 * function may be called from several threads at once. The normalisers and maskers are
 * pure: no key, no I/O, no global state.
 */
#ifndef JIEFEN_SEAL_SEAL_H
#define JIEFEN_SEAL_SEAL_H

#include <stddef.h>

#define SEAL_MAX_PLAIN    4096 /* bytes of one value to seal (addresses are far shorter) */
#define SEAL_MAX_SEALED   5600 /* characters of one sealed value seal_decrypt accepts */
#define SEAL_PAD_BLOCK    32   /* plaintext is padded to a multiple of this many bytes */
#define SEAL_MAX_KEYS     16   /* key lines in a key file */
#define SEAL_MAX_RELOADS  64   /* seal_reload calls in one process */
#define SEAL_MAX_KEY_FILE 4096 /* bytes in a key file */
#define SEAL_INDEX_LEN    65   /* 64 hex digits of a 32-byte BLAKE2b digest and a NUL */
#define SEAL_ID_LEN       19   /* a normalised resident ID number (18) and a NUL */
#define SEAL_PHONE_LEN    13   /* a normalised phone number (at most 12 digits) and a NUL */
#define SEAL_MASK_LEN     64   /* enough for any mask this module writes, NUL included */
#define SEAL_MASK_STARS   12   /* at most this many '*' stand for hidden characters */

/* Errors returned by the fallible functions below (0 is success). */
enum seal_err {
    SEAL_OK = 0,
    SEAL_EINVAL = -1, /* bad input: malformed, tampered, wrong or unknown key, too long */
    SEAL_ENOMEM = -2, /* out of memory */
};

struct seal; /* opaque: the derived subkeys, in guarded read-only memory */

/*
 * Opens the key file at `key_file` (format above). When the file does not exist and
 * `create` is non-zero, a new random key with id 1 is written first, atomically (a
 * temporary file in the same directory, linked into place), with mode 0600. Refuses a
 * file that is not a regular file, that group or others may read or write, that is
 * larger than SEAL_MAX_KEY_FILE, or that holds a malformed line or duplicate key ids.
 * On success *out is a new handle the caller releases with seal_close(); on failure *out
 * is NULL and err holds a one-line English reason naming the file. Returns 0 or -1.
 */
int seal_open(struct seal **out, const char *key_file, int create, char *err, size_t errlen);

/*
 * Reads the key file again and makes its keys the handle's, atomically: a thread in the
 * middle of a call finishes with the keys it started with, the next call sees the new ones.
 * `jiefen serve` calls it on SIGHUP (key rotation, docs/security-data.md). On failure
 * (a malformed file, err says why) the handle keeps its keys. At most SEAL_MAX_RELOADS
 * times per process: replaced keys stay in memory until seal_close. Returns 0 or -1.
 */
int seal_reload(struct seal *s, const char *key_file, char *err, size_t errlen);

/* Wipes the keys and frees the handle. NULL-safe. */
void seal_close(struct seal *s);

/* The key id of the current key (the one seal_encrypt uses), 1..255. */
int seal_current_key_id(const struct seal *s);

/* Writes up to `max` key ids, in key file order (the current one last), to ids and returns
 * how many keys the file holds. */
int seal_key_ids(const struct seal *s, int *ids, int max);

/* The key id a sealed value names (without decrypting it), or -1 if it is not sealed
 * text of a known version. Used when rotating keys to find rows still to re-seal. */
int seal_key_id(const char *sealed);

/*
 * Seals the NUL-terminated UTF-8 string `plain` (at most SEAL_MAX_PLAIN bytes) with the
 * current key and a fresh random nonce, so sealing the same value twice gives different
 * text. Returns a malloc'd NUL-terminated string the caller frees, or NULL if plain is
 * NULL or too long, or memory ran out. `plain` is borrowed.
 */
char *seal_encrypt(const struct seal *s, const char *plain);

/*
 * Opens sealed text made by seal_encrypt with any key in the key file. On success returns
 * SEAL_OK and *plain is a malloc'd NUL-terminated string the caller frees (personal data:
 * do not log it). Returns SEAL_EINVAL, with *plain NULL, if the text is malformed, was
 * altered, or names a key that is not in the file; SEAL_ENOMEM if memory ran out.
 */
int seal_decrypt(const struct seal *s, const char *sealed, char **plain);

/*
 * The blind index of a normalised value: 64 lowercase hex digits (and a NUL) written to
 * `out`, from BLAKE2b-256 keyed with the current key's index subkey over
 * kind || NUL || value. `kind` ("id", "phone", ...) separates the index spaces, so the
 * same digits as a phone number and as an ID number give different indexes. Normalise
 * the value first (seal_norm_id_number, seal_norm_phone) so every spelling of one number
 * gives one index. NULL kind or value count as "". Deterministic for a given key: a new
 * key means re-indexing.
 */
void seal_index(const struct seal *s, const char *kind, const char *normalised_value,
                char out[SEAL_INDEX_LEN]);

/*
 * The blind index under the OTHER key during a rotation: the key line just before the last
 * one (the new key after `jiefen key add`, the old one after `jiefen key promote`), or the
 * current key when the file holds only one (then it equals seal_index). A look-up by number
 * matches either index, so rows not yet re-sealed by `jiefen key rotate` are still found.
 */
void seal_index_other(const struct seal *s, const char *kind, const char *normalised_value,
                      char out[SEAL_INDEX_LEN]);

/*
 * The blind index under the OLDEST key in the file (the lowest key id): for names that must
 * not change while a rotation runs, such as a case's video room, which nothing looks up but
 * a link already sent must keep. During a rotation (add, promote, rotate) that is still the
 * old key; only `jiefen key retire` changes it. Key ids only grow (`key add` takes the highest
 * plus one, up to 255).
 */
void seal_index_oldest(const struct seal *s, const char *kind, const char *normalised_value,
                       char out[SEAL_INDEX_LEN]);

/*
 * Normalises an 18-character resident ID number (居民身份证号码, GB 11643-1999): surrounding
 * ASCII whitespace is ignored, 17 digits then a digit or X (a lowercase x is upper-cased),
 * and the last character must be the ISO 7064 MOD 11-2 check character of the first 17.
 * The birth date inside is not checked. Writes the 18 characters and a NUL to `out` (n at
 * least SEAL_ID_LEN) and returns 0; returns -1, with out "" when n > 0, otherwise.
 */
int seal_norm_id_number(const char *in, char *out, size_t n);

/*
 * Normalises a mainland phone number to its digits: spaces, tabs, '-', '.', '(' and ')'
 * are dropped, a leading +86 or 0086 is removed (a landline written internationally,
 * "+86 28 ...", gets its trunk 0 back). Accepts mobiles, 11 digits 1[3-9]..., and
 * landlines with area code, 0 then 9 to 11 digits ("028-12345678" -> "02812345678").
 * Writes the digits and a NUL to `out` (n at least SEAL_PHONE_LEN) and returns 0;
 * returns -1, with out "" when n > 0, otherwise.
 */
int seal_norm_phone(const char *in, char *out, size_t n);

/*
 * Maskers for lists and printouts. Each counts UTF-8 characters, not bytes, writes a
 * NUL-terminated mask to `out` (SEAL_MASK_LEN bytes always suffice) and returns 0; returns
 * -1, with out "" when n > 0, if `in` is NULL or not valid UTF-8 or `out` is too small.
 *   seal_mask_id:      first 6 and last 4 kept, the rest '*': "510703********1234".
 *   seal_mask_phone:   first 3 and last 4 kept, the rest '*': "138****5678".
 *   seal_mask_address: the first 6 characters (at most half of them, so a short address
 *                      is not shown whole) then "****", whatever the length.
 * A value too short to keep anything (10 characters or fewer for an ID, 7 for a phone)
 * comes out as all '*'. At most SEAL_MASK_STARS '*' are written, so an odd, overlong
 * value does not overflow a display column.
 */
int seal_mask_id(const char *in, char *out, size_t n);
int seal_mask_phone(const char *in, char *out, size_t n);
int seal_mask_address(const char *in, char *out, size_t n);

#endif
