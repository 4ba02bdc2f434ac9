/*
 * read.c - sheet_read: picks the reader by content. Apart from sheet.c so that each
 * fuzzer links only the reader it drives.
 */
#include "sheet/sheet_int.h"

#include <string.h>

/* Ownership as sheet_read_csv / sheet_read_xlsx. */
int sheet_read(const void *buf, size_t len, struct sheet **out, char *err, size_t errlen)
{
    const unsigned char *p = buf;

    *out = NULL;
    if (len >= 4 && memcmp(p, "PK\x03\x04", 4) == 0)
        return sheet_read_xlsx(buf, len, out, err, errlen);
    /* Say what to do rather than report the binary as invalid UTF-8 on row 1. */
    if (len >= 8 && memcmp(p, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8) == 0) {
        sheet__err(err, errlen, "legacy .xls files are not supported: save as .xlsx");
        return -1;
    }
    if (len >= 2 && (memcmp(p, "\xff\xfe", 2) == 0 || memcmp(p, "\xfe\xff", 2) == 0)) {
        sheet__err(err, errlen, "UTF-16 text is not supported: save as CSV UTF-8 or .xlsx");
        return -1;
    }
    return sheet_read_csv(buf, len, out, err, errlen);
}
