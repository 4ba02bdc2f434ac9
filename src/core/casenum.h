/*
 * casenum.h - the human-readable case number (编号), unique per county and year, e.g.
 * （2026）涪城人调字第0001号. The format is configuration (settings key case_number_format);
 * placeholders: {year}, {county} (the county's short name: 涪城区 → 涪城), {seq} (the
 * sequence, at least four digits). Pure: no I/O.
 */
#ifndef JIEFEN_CORE_CASENUM_H
#define JIEFEN_CORE_CASENUM_H

#include <stddef.h>

#define CASENUM_DEFAULT_FORMAT "（{year}）{county}人调字第{seq}号"

/* Writes the county's short name: the trailing 区, 县 or 市 of a longer name dropped. */
void casenum_county_short(const char *county, char *out, size_t outlen);

/* Formats a number. Returns 0, or -1 if it does not fit or the format has no {seq}. */
int casenum_format(const char *fmt, int year, const char *county_short, long seq, char *out,
                   size_t outlen);

/*
 * What a citizen types for a number, as the forms it may be stored under (进度查询).
 * People copy numbers from paper with any of the bracket pairs in use — 〔〕 as the
 * official-document standard GB/T 9704-2012 (7.3.2) writes the year, （） as our default,
 * ASCII () or [] from a phone keyboard, 【】 — and with spaces around or inside. The
 * format is configurable and may change, so instead of guessing which pair the stored
 * number uses, this writes CASENUM_VARIANTS candidates: the input trimmed (a format may
 * contain spaces), then without any whitespace and every bracket turned into （）, 〔〕,
 * () and [] in turn. Unique numbers make at most one candidate match. Returns 0, or -1 if
 * the input is empty or a candidate does not fit in CASENUM_MAX bytes.
 */
#define CASENUM_VARIANTS 5
#define CASENUM_MAX      256
int casenum_variants(const char *in, char out[CASENUM_VARIANTS][CASENUM_MAX]);

#endif
