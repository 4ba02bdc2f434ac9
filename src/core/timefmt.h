/*
 * timefmt.h - timestamps as the API shows them.
 *
 * Time is stored as UTC epoch milliseconds (computed in C, never by the database) and
 * shown as ISO-8601 with milliseconds. Pure: the caller passes the time in.
 */
#ifndef JIEFEN_CORE_TIMEFMT_H
#define JIEFEN_CORE_TIMEFMT_H

#include <stddef.h>
#include <stdint.h>

#define TIMEFMT_ISO_LEN 25 /* "2026-11-23T10:38:36.123Z" + NUL */

/* Formats `ms` into out (at least TIMEFMT_ISO_LEN bytes). */
void timefmt_iso(int64_t ms, char *out, size_t outlen);

/*
 * Parses "YYYY-MM-DD", "YYYY-MM-DDTHH:MM:SSZ" or with ".mmm" before the Z (UTC only).
 * Returns 0 and sets *ms, or -1 if the text is not such a timestamp.
 */
int timefmt_parse(const char *s, int64_t *ms);

/* Days since 1970-01-01 of a "YYYY-MM-DD" date. Returns 0, or -1 if it is not one. */
int timefmt_day_parse(const char *s, int32_t *day);

/* Formats a day number as "YYYY-MM-DD" (out: at least 11 bytes). */
void timefmt_day(int32_t day, char *out, size_t outlen);

/* 0 = Sunday ... 6 = Saturday. */
int timefmt_weekday(int32_t day);

/* Masks a phone number for lists: "13812345678" -> "138****5678". out >= strlen(in)+1. */
void mask_phone(const char *in, char *out, size_t outlen);

#endif
