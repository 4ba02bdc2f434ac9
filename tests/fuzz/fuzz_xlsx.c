/*
 * fuzz_xlsx.c - libFuzzer driver for sheet_read_xlsx (src/sheet/xlsx_read.c).
 *
 * Random bytes seldom make a zip that libzip opens, so two kinds of input are used:
 *   - input starting with "PK\x03\x04" is handed over as an .xlsx as it is (exercises
 *     libzip's parsing and the entry size checks);
 *   - anything else is split on NUL bytes into up to four XML parts, in this order:
 *     the worksheet, sharedStrings.xml, workbook.xml and workbook.xml.rels, which are
 *     packed (stored, uncompressed) into a fresh zip first. This reaches the XML handlers
 *     on almost every run.
 * See README.md for how to build and run it.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "fuzz_check.h"
#include "sheet/sheet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const part_names[] = {
    "xl/worksheets/sheet1.xml",
    "xl/sharedStrings.xml",
    "xl/workbook.xml",
    "xl/_rels/workbook.xml.rels",
};

/* Packs the NUL-separated parts of data into a zip; returns a malloc'd buffer or NULL. */
static char *pack(const uint8_t *data, size_t size, size_t *len)
{
    zip_source_t *src = NULL;
    zip_t *za = NULL;
    zip_stat_t st;
    char *out = NULL;
    size_t off = 0;

    src = zip_source_buffer_create(NULL, 0, 0, NULL);
    if (src == NULL)
        return NULL;
    zip_source_keep(src);
    za = zip_open_from_source(src, ZIP_TRUNCATE, NULL);
    if (za == NULL)
        goto out;
    for (int i = 0; i < 4 && off <= size; i++) {
        const uint8_t *end = memchr(data + off, 0, size - off);
        size_t n = end ? (size_t)(end - (data + off)) : size - off;
        zip_source_t *s = zip_source_buffer(za, data + off, n, 0);
        zip_int64_t idx;

        if (s == NULL)
            goto out;
        idx = zip_file_add(za, part_names[i], s, 0);
        if (idx < 0) {
            zip_source_free(s);
            goto out;
        }
        zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_STORE, 0);
        off += n + 1;
    }
    if (zip_close(za) < 0)
        goto out;
    za = NULL;
    if (zip_source_stat(src, &st) < 0 || zip_source_open(src) < 0)
        goto out;
    out = malloc(st.size ? st.size : 1);
    if (out != NULL && zip_source_read(src, out, st.size) != (zip_int64_t)st.size) {
        free(out);
        out = NULL;
    }
    zip_source_close(src);
    *len = st.size;
out:
    if (za != NULL)
        zip_discard(za);
    zip_source_free(src);
    return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct sheet *s = NULL;
    char *zip = NULL, err[256];
    const void *in = data;
    size_t len = size;

    if (size < 4 || memcmp(data, "PK\x03\x04", 4) != 0) {
        zip = pack(data, size, &len);
        if (zip == NULL)
            return 0;
        in = zip;
    }
    err[0] = '\0';
    if (sheet_read_xlsx(in, len, &s, err, sizeof err) == 0) {
        fuzz_check_sheet(s);
        fuzz_check_csv_round_trip(s);
        sheet_free(s);
    } else if (s != NULL || err[0] == '\0') {
        abort();
    }
    free(zip);
    return 0;
}
