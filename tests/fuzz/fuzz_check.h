/*
 * fuzz_check.h - invariants every sheet a reader returns must hold, checked by both
 * fuzzers; a violation aborts so libFuzzer keeps the input.
 */
#ifndef JIEFEN_FUZZ_CHECK_H
#define JIEFEN_FUZZ_CHECK_H

#include <stdlib.h>
#include <string.h>

#include "sheet/sheet.h"

static void fuzz_check_sheet(const struct sheet *s)
{
    if (s->nrows < 0 || s->nrows > SHEET_MAX_ROWS)
        abort();
    for (int r = 0; r < s->nrows; r++) {
        const struct sheet_row *row = &s->rows[r];

        /* Readers skip empty rows and drop trailing empty cells. */
        if (row->ncells < 1 || row->ncells > SHEET_MAX_COLS || row->number < 1)
            abort();
        for (int c = 0; c < row->ncells; c++)
            if (row->cells[c] == NULL || strlen(row->cells[c]) > SHEET_MAX_CELL)
                abort();
        if (row->cells[row->ncells - 1][0] == '\0')
            abort();
    }
}

/* Whatever a reader accepted must survive CSV out and back in unchanged. */
static void fuzz_check_csv_round_trip(const struct sheet *s)
{
    struct sheet *back = NULL;
    char *buf = NULL, err[256];
    size_t len;

    if (sheet_write_csv(s, &buf, &len, err, sizeof err) < 0)
        abort();
    /* The BOM and quoting add bytes, so a sheet near the input limit may not re-read. */
    if (len <= SHEET_MAX_INPUT) {
        if (sheet_read_csv(buf, len, &back, err, sizeof err) < 0)
            abort();
        if (back->nrows != s->nrows)
            abort();
        for (int r = 0; r < s->nrows; r++) {
            if (back->rows[r].ncells != s->rows[r].ncells)
                abort();
            for (int c = 0; c < s->rows[r].ncells; c++)
                if (strcmp(back->rows[r].cells[c], s->rows[r].cells[c]) != 0)
                    abort();
        }
        sheet_free(back);
    }
    free(buf);
}

#endif
