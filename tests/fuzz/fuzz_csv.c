/*
 * fuzz_csv.c - libFuzzer driver for sheet_read_csv (and sheet_read's sniffing).
 *
 * Any input: the reader must return 0 with a well-formed sheet or -1 with a reason, and
 * an accepted sheet must come back unchanged through sheet_write_csv. See README.md.
 */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_check.h"
#include "sheet/sheet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct sheet *s = NULL;
    char err[256];

    err[0] = '\0';
    if (sheet_read_csv((const char *)data, size, &s, err, sizeof err) == 0) {
        fuzz_check_sheet(s);
        fuzz_check_csv_round_trip(s);
        sheet_free(s);
    } else if (s != NULL || err[0] == '\0') {
        abort();
    }
    return 0;
}
