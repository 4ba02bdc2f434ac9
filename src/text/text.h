/*
 * text.h - search terms for Chinese full-text search, the same on SQLite and PostgreSQL.
 *
 * Chinese has no spaces between words and neither database segments it, so search works
 * on character bigrams: the text "邻里纠纷" is indexed as the tokens 邻里 里纠 纠纷, and a query
 * of two or more characters becomes the AND of its own bigrams, so "纠纷" finds it. This
 * finds every document that contains the query (no segmentation dictionary to miss a
 * name), at the price of rare false hits where the bigrams occur apart ("张三李" matches a
 * text with 张三 and 三李 in different places); a caller that must be exact re-checks
 * with strstr on text_normalise() of the stored text.
 *
 * Pipeline: text_normalise (Traditional -> Simplified with OpenCC t2s, full-width ASCII
 * -> half-width, Latin lower-cased, everything else a separator) then text_bigrams (the
 * tokens to store) or text_query (the tokens to look for).
 *
 * Tokens: runs of CJK ideographs give every adjacent pair; a run of a single ideograph
 * gives that ideograph, so a one-character given name is still found by its full name
 * written apart ("王 芳"); runs of ASCII letters and digits give the whole word (cut at
 * TEXT_MAX_WORD bytes). Kana, Hangul, accented Latin and other scripts are separators:
 * the records this serves are in Chinese.
 *
 * Encoding: each token is written as the lowercase hex of its UTF-8 bytes ("纠纷" is
 * "e7baa0e7bab7", "abc" is "616263"), tokens separated by one space. Hex tokens are
 * plain [0-9a-f] words, so no tokenizer splits, stems, folds or quotes them:
 *   SQLite:     an FTS5 table (tokenize = 'unicode61' or 'ascii') with a column holding
 *               the text_bigrams string; query with the text_query tokens joined by
 *               " AND " (or as given: FTS5 ANDs bare terms).
 *   PostgreSQL: a text[] column string_to_array(tokens, ' ') with a GIN index, queried
 *               with `col @> string_to_array($1, ' ')`; or, for a tsvector,
 *               array_to_tsvector(string_to_array(...)), which bypasses the text parser.
 * text_bigrams keeps document order and repeats, so FTS5 phrase queries stay possible.
 *
 * Threads: OpenCC handles are not safe for concurrent use, so a struct text holds a mutex
 * taken around each conversion; one handle may be shared by every thread. Conversion
 * takes about 0.2 ms per KiB (some 12 ms at the TEXT_MAX_INPUT limit, measured with the
 * opencc tool), so the lock matters only for bulk re-indexing: open one handle per worker
 * thread there (each loads its own dictionaries, ~5 ms). text_bigrams is
 * pure and needs no handle.
 */
#ifndef JIEFEN_TEXT_TEXT_H
#define JIEFEN_TEXT_TEXT_H

#include <stddef.h>

#define TEXT_MAX_INPUT        (64 * 1024) /* bytes of text normalised; the rest is ignored */
#define TEXT_MAX_TOKENS       32768       /* tokens text_bigrams writes at most */
#define TEXT_MAX_WORD         64          /* bytes of an ASCII word kept in a token */
#define TEXT_MAX_QUERY        1024        /* bytes of a search query */
#define TEXT_MAX_QUERY_TOKENS 64          /* distinct tokens in a search query */

/* Environment variable naming the OpenCC config to use instead of the installed t2s.json. */
#define TEXT_OPENCC_ENV "JIEFEN_OPENCC_CONFIG"

/* Errors returned by text_query (0 is success). */
enum text_err {
    TEXT_OK = 0,
    TEXT_ESHORT = -1,   /* the query has fewer than 2 Chinese characters and no ASCII word */
    TEXT_ELONG = -2,    /* the query is longer than TEXT_MAX_QUERY or has too many tokens */
    TEXT_ENOMEM = -3,   /* out of memory */
    TEXT_ECONVERT = -4, /* OpenCC failed to convert the text */
};

struct text; /* opaque: an OpenCC t2s converter and its lock */

/*
 * Opens the Traditional-to-Simplified converter: the config named by $JIEFEN_OPENCC_CONFIG
 * if set, otherwise t2s.json from the first of /usr/share/opencc, /usr/local/share/opencc,
 * /opt/homebrew/share/opencc that has it (Debian package libopencc-data). Returns a handle
 * the caller releases with text_close(), or NULL with a one-line English reason in err if
 * the config is missing or OpenCC cannot load it. Call it at start-up, before threads:
 * OpenCC reports load errors through a global.
 */
struct text *text_open(char *err, size_t errlen);

/* Frees the handle. NULL-safe. */
void text_close(struct text *t);

/*
 * Normalises UTF-8 text for search: Traditional characters become Simplified (鄰里糾紛 ->
 * 邻里纠纷), full-width ASCII and the ideographic space become half-width, ASCII letters
 * lower case; ideographs, a-z and 0-9 are kept and every other character (punctuation,
 * whitespace, controls, invalid UTF-8, other scripts) becomes a separator; separators are
 * collapsed into one space and trimmed from the ends. Only the first TEXT_MAX_INPUT bytes
 * are read (cut at a character boundary). Returns a malloc'd string the caller frees, or
 * NULL if utf8 is NULL, memory ran out or OpenCC failed. `utf8` is borrowed.
 */
char *text_normalise(const struct text *t, const char *utf8);

/*
 * Text for reading, not for search: Traditional becomes Simplified (OpenCC t2s) and
 * full-width ASCII (，becomes , and ！ becomes !) and the ideographic space become
 * half-width, but punctuation, newlines and letter case are KEPT. The risk model
 * (core/risk_text.h) needs clause boundaries: a negation ("没有扬言") reaches only to the
 * next comma or full stop. Ideographic punctuation without a half-width form (。、“”) stays
 * as it is. Controls other than newline and invalid UTF-8 become spaces; only the first
 * TEXT_MAX_INPUT bytes are read. Returns a malloc'd string the caller frees, or NULL if
 * utf8 is NULL, memory ran out or OpenCC failed.
 */
char *text_simplify(const struct text *t, const char *utf8);

/*
 * The index tokens of normalised text (see the top of this file), space-separated, at
 * most TEXT_MAX_TOKENS of them, in document order with repeats. Pure: the input should
 * come from text_normalise; other input is read the same way (separators are anything
 * but ideographs, a-z and 0-9). Returns a malloc'd string, "" for text without tokens,
 * which the caller frees; NULL if normalised is NULL or memory ran out.
 */
char *text_bigrams(const char *normalised);

/*
 * The tokens a search for `user_query` must all match, space-separated and without
 * repeats: the query is normalised and cut into tokens like indexed text. Returns TEXT_OK
 * with *tokens a malloc'd string the caller frees; otherwise *tokens is NULL and the
 * result says why (TEXT_ESHORT: fewer than 2 Chinese characters and no ASCII word, the
 * caller should ask for a longer query; TEXT_ELONG; TEXT_ENOMEM; TEXT_ECONVERT).
 */
int text_query(const struct text *t, const char *user_query, char **tokens);

/*
 * The tokens a case number (编号) is found by: its own tokens, as text_bigrams gives them,
 * so that the whole number or a part of its words is found like text ("（2026）涪城人调字第1894号",
 * "涪城人调字第1894号", "(2026)1894" written with any brackets); and every run of at least
 * two consecutive digits inside each of its digit runs, so that a part of a number found
 * by its digits alone ("1894", "189", "0189") finds every case whose number contains
 * it: a query of digits is one ASCII word token (text_query), equal to one of these.
 * Digit runs are read up to TEXT_MAX_NUMBER_DIGITS digits (a sequence and a year have
 * far fewer). No OpenCC: numbers are written by the system in Simplified characters and
 * ASCII digits. Returns a malloc'd space-separated token string without repeats ("" for a
 * number without tokens), NULL if number is NULL or memory ran out.
 */
#define TEXT_MAX_NUMBER_DIGITS 16
char *text_number_terms(const char *number);

#endif
