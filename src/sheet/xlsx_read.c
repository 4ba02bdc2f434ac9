/*
 * xlsx_read.c - the first worksheet of an .xlsx (ECMA-376 SpreadsheetML), read with libzip
 * and expat. Kept apart from the writer so the fuzzer links only this reader.
 *
 * Only four parts are opened, in this order: xl/workbook.xml (the sheets in tab order),
 * xl/_rels/workbook.xml.rels (where each sheet's part is), xl/sharedStrings.xml and the
 * worksheet. Each part is streamed through expat, never held whole, and counted as it
 * inflates: a zip's stated sizes are untrusted, so a bomb is stopped at
 * SHEET_MAX_ZIP_ENTRY bytes whatever its header says. A DOCTYPE is refused outright
 * (SpreadsheetML never has one), which rules out entity expansion and external entities.
 *
 * Shared strings are copied once into the result sheet's arena and cells point to them,
 * so a string used by a million cells costs one copy.
 */
#include "sheet/sheet_int.h"

#include <expat.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

/* expat joins namespace URI and local name with this; '|' cannot occur in a local name. */
#define NS_SEP       '|'
#define READ_CHUNK   (64 * 1024)
#define MAX_SHEETS   64   /* sheets looked at when searching for the first worksheet */
#define MAX_ID       64   /* bytes of a relationship id we keep */
#define MAX_TARGET   1024 /* bytes of a part name we keep */
#define XLSX_MAX_ROW 1048576
#define XLSX_MAX_COL 16384

/* What an element is, by its local name and its parent's kind (see kinds[]). */
enum xk {
    K_NONE, /* above the root */
    K_OTHER,
    K_WORKBOOK,
    K_SHEETS,
    K_SHEET,
    K_RELS,
    K_REL,
    K_SST,
    K_SI,
    K_RUN, /* a rich-text run: its <t> is part of the string */
    K_T,
    K_WS,
    K_SHEETDATA,
    K_ROW,
    K_C,
    K_V,
    K_IS,
};

static const struct {
    enum xk parent;
    const char *name;
    enum xk kind;
} kinds[] = {
    {K_NONE, "workbook", K_WORKBOOK},
    {K_WORKBOOK, "sheets", K_SHEETS},
    {K_SHEETS, "sheet", K_SHEET},
    {K_NONE, "Relationships", K_RELS},
    {K_RELS, "Relationship", K_REL},
    {K_NONE, "sst", K_SST},
    {K_SST, "si", K_SI},
    /* <si><t> plain, <si><r><t> rich; <rPh><t> (phonetic guides) stays K_OTHER. */
    {K_SI, "t", K_T},
    {K_SI, "r", K_RUN},
    {K_RUN, "t", K_T},
    {K_NONE, "worksheet", K_WS},
    {K_WS, "sheetData", K_SHEETDATA},
    {K_SHEETDATA, "row", K_ROW},
    {K_ROW, "c", K_C},
    {K_C, "v", K_V},
    {K_C, "is", K_IS},
    {K_IS, "t", K_T},
    {K_IS, "r", K_RUN},
};

enum part { P_WORKBOOK, P_RELS, P_SST, P_SHEET };

/* Cell types (the t attribute). */
enum ctype { T_NUMBER, T_SHARED, T_INLINE, T_BOOL, T_TEXT };

/* One read: the zip, the part being parsed and what earlier parts found. */
struct xr {
    zip_t *za;
    XML_Parser p;
    const char *partname;
    enum part part;
    int depth;
    enum xk stack[SHEET_MAX_XML_DEPTH];
    int failed; /* a handler stopped the parser; err says why */
    char *err;
    size_t errlen;

    char *text; /* SHEET_MAX_CELL + 1 bytes: character data of the current <t> or <v> */
    size_t ntext;

    /* workbook.xml and its rels: the first sheet (in tab order) that is a worksheet. */
    char ids[MAX_SHEETS][MAX_ID];
    int nids;
    int best; /* index into ids of the chosen sheet; nids when none */
    char target[MAX_TARGET];

    /* sharedStrings.xml: strings in the sheet's arena. */
    char **sst;
    size_t nsst, capsst;

    /* The worksheet. */
    struct sheet__impl *s;
    int row, col, ncols;
    enum ctype type;
    int has_value;
    char *cells[SHEET_MAX_COLS];
};

/* Stops the parse with a reason; the first reason wins. */
static void xr_fail(struct xr *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void xr_fail(struct xr *x, const char *fmt, ...)
{
    va_list ap;

    if (x->failed)
        return;
    x->failed = 1;
    va_start(ap, fmt);
    sheet__verr(x->err, x->errlen, fmt, ap);
    va_end(ap);
    if (x->p != NULL)
        XML_StopParser(x->p, XML_FALSE);
}

static const char *local_name(const char *name)
{
    const char *sep = strrchr(name, NS_SEP);

    return sep ? sep + 1 : name;
}

/* The value of attribute `name`: without a namespace when ns is 0, with any when 1. */
static const char *attr(const char **atts, const char *name, int ns)
{
    for (int i = 0; atts[i] != NULL; i += 2) {
        const char *sep = strrchr(atts[i], NS_SEP);

        if (ns ? (sep != NULL && strcmp(sep + 1, name) == 0) : strcmp(atts[i], name) == 0)
            return atts[i + 1];
    }
    return NULL;
}

/* Parses 1..max decimal digits and nothing else; -1 if s is not such a number. */
static long parse_uint(const char *s, long max)
{
    long v = 0;

    if (s == NULL || *s == '\0')
        return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return -1;
        v = v * 10 + (*s - '0');
        if (v > max)
            return -1;
    }
    return v;
}

/* The 0-based column of a reference like "C7" (letters, then optional row digits), or -1. */
static int parse_col(const char *ref)
{
    int col = 0, n = 0;

    for (; *ref >= 'A' && *ref <= 'Z'; ref++) {
        if (++n > 3)
            return -1;
        col = col * 26 + (*ref - 'A' + 1);
    }
    if (n == 0 || col > XLSX_MAX_COL)
        return -1;
    if (*ref != '\0' && parse_uint(ref, XLSX_MAX_ROW) < 1)
        return -1;
    return col - 1;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/*
 * Undoes the ST_Xstring escape (ECMA-376 part 1, 22.9.2.19) in place: Excel writes a
 * character XML cannot carry, such as CR or a control code, as "_xHHHH_", and a literal
 * "_x" sequence as "_x005F_x...". NUL and surrogate halves are left as written, so the
 * result stays a valid C string of valid UTF-8. Returns the new length.
 */
static size_t unescape_xstring(char *s, size_t n)
{
    size_t i = 0, o = 0;

    while (i < n) {
        if (s[i] == '_' && n - i >= 7 && s[i + 1] == 'x' && s[i + 6] == '_') {
            unsigned cp = 0;
            int hex = 1;

            for (int k = 2; k < 6 && hex; k++) {
                int h = hexval(s[i + k]);

                hex = h >= 0;
                cp = (cp << 4) | (unsigned)(hex ? h : 0);
            }
            if (hex && cp != 0 && !(cp >= 0xd800 && cp <= 0xdfff)) {
                /* At most 3 bytes replace 7: writing never passes reading. */
                if (cp < 0x80) {
                    s[o++] = (char)cp;
                } else if (cp < 0x800) {
                    s[o++] = (char)(0xc0 | (cp >> 6));
                    s[o++] = (char)(0x80 | (cp & 0x3f));
                } else {
                    s[o++] = (char)(0xe0 | (cp >> 12));
                    s[o++] = (char)(0x80 | ((cp >> 6) & 0x3f));
                    s[o++] = (char)(0x80 | (cp & 0x3f));
                }
                i += 7;
                continue;
            }
        }
        s[o++] = s[i++];
    }
    s[o] = '\0';
    return o;
}

/*
 * Renders a number cell's value into out (at least 32 bytes): integers without ".0",
 * others as the shortest %g text that reads back as the same double ("0.1", not
 * "0.10000000000000001"). Text that is not a plain decimal number is returned as is.
 */
static const char *render_number(const char *v, char *out, size_t outlen)
{
    char *end;
    double d;

    if (*v == '\0' || strspn(v, "0123456789+-.eE") != strlen(v))
        return v;
    d = strtod(v, &end);
    if (*end != '\0' || !isfinite(d))
        return v;
    if (d == 0) /* also -0 */
        return "0";
    /* Below 1e17 every integer-valued double prints exactly and briefly (and converts to
     * long long without overflow). */
    if (d > -1e17 && d < 1e17 && d == (double)(long long)d) {
        snprintf(out, outlen, "%.0f", d);
        return out;
    }
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(out, outlen, "%.*g", prec, d);
        if (strtod(out, NULL) == d)
            break;
    }
    return out;
}

/* ---- workbook.xml and its rels ---- */

static void workbook_start(struct xr *x, enum xk k, const char **atts)
{
    const char *id;

    if (k != K_SHEET || x->nids >= MAX_SHEETS)
        return;
    /* r:id, in the relationships namespace (transitional or strict: any namespace). */
    id = attr(atts, "id", 1);
    if (id != NULL && strlen(id) < MAX_ID)
        strcpy(x->ids[x->nids++], id);
}

static void rels_start(struct xr *x, enum xk k, const char **atts)
{
    const char *id = attr(atts, "Id", 0), *type = attr(atts, "Type", 0);
    const char *target = attr(atts, "Target", 0), *mode = attr(atts, "TargetMode", 0);
    size_t tl;

    if (k != K_REL || id == NULL || type == NULL || target == NULL)
        return;
    if (mode != NULL && strcmp(mode, "External") == 0)
        return;
    /* Chartsheets and dialog sheets are skipped: the first sheet holding cells is wanted. */
    tl = strlen(type);
    if (tl < 10 || strcmp(type + tl - 10, "/worksheet") != 0 || strlen(target) >= MAX_TARGET)
        return;
    for (int i = 0; i < x->best; i++) {
        if (strcmp(x->ids[i], id) == 0) {
            x->best = i;
            strcpy(x->target, target);
            return;
        }
    }
}

/* ---- sharedStrings.xml ---- */

static void sst_start(struct xr *x, enum xk k, const char **atts)
{
    if (k == K_SI)
        x->ntext = 0;
}

static void sst_end(struct xr *x, enum xk k)
{
    char *copy;

    if (k != K_SI)
        return;
    if (x->nsst >= SHEET_MAX_CELLS) {
        xr_fail(x, "%s: more than %d shared strings", x->partname, SHEET_MAX_CELLS);
        return;
    }
    if (x->nsst == x->capsst) {
        size_t cap = x->capsst ? x->capsst * 2 : 1024;
        char **p = realloc(x->sst, cap * sizeof *p);

        if (p == NULL) {
            xr_fail(x, "out of memory");
            return;
        }
        x->sst = p;
        x->capsst = cap;
    }
    x->text[x->ntext] = '\0';
    x->ntext = unescape_xstring(x->text, x->ntext);
    copy = sheet__strndup(x->s, x->text, x->ntext);
    if (copy == NULL) {
        xr_fail(x, "out of memory");
        return;
    }
    x->sst[x->nsst++] = copy;
}

/* ---- the worksheet ---- */

static void sheet_start(struct xr *x, enum xk k, const char **atts)
{
    const char *r, *t;
    long n;

    switch (k) {
    case K_ROW:
        /* Rows without r follow the previous one (ECMA-376 part 1, 18.3.1.73). */
        r = attr(atts, "r", 0);
        n = r ? parse_uint(r, XLSX_MAX_ROW) : x->row + 1L;
        if (n < 1 || n > XLSX_MAX_ROW) {
            xr_fail(x, "row after %d: bad row number", x->row);
            return;
        }
        x->row = (int)n;
        x->col = -1;
        x->ncols = 0;
        break;
    case K_C:
        r = attr(atts, "r", 0);
        n = r ? parse_col(r) : x->col + 1L;
        if (n < 0 || n >= XLSX_MAX_COL) {
            xr_fail(x, "row %d: bad cell reference", x->row);
            return;
        }
        x->col = (int)n;
        t = attr(atts, "t", 0);
        if (t == NULL || strcmp(t, "n") == 0)
            x->type = T_NUMBER;
        else if (strcmp(t, "s") == 0)
            x->type = T_SHARED;
        else if (strcmp(t, "inlineStr") == 0)
            x->type = T_INLINE;
        else if (strcmp(t, "b") == 0)
            x->type = T_BOOL;
        else /* str (formula result), e (error like #N/A), d (ISO date) */
            x->type = T_TEXT;
        x->has_value = 0;
        x->ntext = 0;
        break;
    case K_V:
    case K_IS:
        /* Whichever comes last holds the value; formulas (<f>) are not collected. */
        x->has_value = 1;
        x->ntext = 0;
        break;
    default:
        break;
    }
}

/* Ends a <c>: turns its text into the cell's value and places it in its column. */
static void cell_end(struct xr *x)
{
    char num[32];
    const char *v = "";
    char *cell = NULL;
    long idx;

    if (!x->has_value)
        return;
    x->text[x->ntext] = '\0';
    switch (x->type) {
    case T_SHARED:
        idx = parse_uint(x->text, LONG_MAX / 10);
        if (idx < 0 || (size_t)idx >= x->nsst) {
            xr_fail(x, "row %d: shared string index \"%.20s\" out of range", x->row, x->text);
            return;
        }
        cell = x->sst[idx];
        break;
    case T_BOOL:
        v = strcmp(x->text, "1") == 0 ? "TRUE" : strcmp(x->text, "0") == 0 ? "FALSE" : x->text;
        break;
    case T_NUMBER:
        v = render_number(x->text, num, sizeof num);
        break;
    case T_INLINE:
    case T_TEXT:
        x->ntext = unescape_xstring(x->text, x->ntext);
        v = x->text;
        break;
    }
    if (cell == NULL && *v == '\0')
        return;
    if (cell != NULL && *cell == '\0')
        return;
    /* Blank cells far right are common (formatting); values there are refused. */
    if (x->col >= SHEET_MAX_COLS) {
        xr_fail(x, "row %d: more than %d columns", x->row, SHEET_MAX_COLS);
        return;
    }
    if (cell == NULL) {
        cell = sheet__strndup(x->s, v, strlen(v));
        if (cell == NULL) {
            xr_fail(x, "out of memory");
            return;
        }
    }
    for (int i = x->ncols; i < x->col; i++)
        x->cells[i] = x->s->empty;
    x->cells[x->col] = cell;
    if (x->col >= x->ncols)
        x->ncols = x->col + 1;
}

static void sheet_end(struct xr *x, enum xk k)
{
    if (k == K_C)
        cell_end(x);
    else if (k == K_ROW && x->ncols > 0 &&
             sheet__push_row(x->s, x->row, x->ncols, x->cells, x->err, x->errlen) < 0) {
        /* err already says why (too many rows or cells). */
        x->failed = 1;
        XML_StopParser(x->p, XML_FALSE);
    }
}

/* ---- expat callbacks shared by every part ---- */

static void XMLCALL on_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct xr *x = ud;
    enum xk parent = x->depth ? x->stack[x->depth - 1] : K_NONE, k = K_OTHER;
    const char *local = local_name(name);

    if (x->failed)
        return;
    if (x->depth >= SHEET_MAX_XML_DEPTH) {
        xr_fail(x, "%s: XML nested deeper than %d elements", x->partname, SHEET_MAX_XML_DEPTH);
        return;
    }
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        if (kinds[i].parent == parent && strcmp(kinds[i].name, local) == 0) {
            k = kinds[i].kind;
            break;
        }
    }
    x->stack[x->depth++] = k;
    switch (x->part) {
    case P_WORKBOOK:
        workbook_start(x, k, atts);
        break;
    case P_RELS:
        rels_start(x, k, atts);
        break;
    case P_SST:
        sst_start(x, k, atts);
        break;
    case P_SHEET:
        sheet_start(x, k, atts);
        break;
    }
}

static void XMLCALL on_end(void *ud, const XML_Char *name)
{
    struct xr *x = ud;
    enum xk k;

    if (x->failed || x->depth == 0)
        return;
    k = x->stack[--x->depth];
    if (x->part == P_SST)
        sst_end(x, k);
    else if (x->part == P_SHEET)
        sheet_end(x, k);
}

static void XMLCALL on_text(void *ud, const XML_Char *s, int len)
{
    struct xr *x = ud;
    enum xk k;

    if (x->failed || x->depth == 0 || len <= 0)
        return;
    k = x->stack[x->depth - 1];
    if (k != K_T && k != K_V)
        return;
    if ((size_t)len > SHEET_MAX_CELL - x->ntext) {
        if (x->part == P_SHEET)
            xr_fail(x, "row %d: cell longer than %d bytes", x->row, SHEET_MAX_CELL);
        else
            xr_fail(x, "%s: string %zu longer than %d bytes", x->partname, x->nsst + 1,
                    SHEET_MAX_CELL);
        return;
    }
    memcpy(x->text + x->ntext, s, (size_t)len);
    x->ntext += (size_t)len;
}

static void XMLCALL on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
                               const XML_Char *pubid, int has_internal_subset)
{
    struct xr *x = ud;

    xr_fail(x, "%s: DOCTYPE is not allowed", x->partname);
}

/*
 * Streams zip entry `name` through expat with the handlers for `part`. Returns 0 when
 * parsed, 1 when the zip has no such entry, -1 on failure with err set.
 */
static int parse_part(struct xr *x, const char *name, enum part part)
{
    zip_file_t *zf = NULL;
    zip_stat_t st;
    zip_int64_t idx;
    uint64_t total = 0;
    int rc = -1;

    idx = zip_name_locate(x->za, name, 0);
    if (idx < 0)
        return 1;
    /* The stated size is checked first to fail fast; the count below is what binds. */
    zip_stat_init(&st);
    if (zip_stat_index(x->za, (zip_uint64_t)idx, 0, &st) == 0 && (st.valid & ZIP_STAT_SIZE) &&
        st.size > SHEET_MAX_ZIP_ENTRY) {
        sheet__err(x->err, x->errlen, "%s: uncompressed size %llu is over the %d-byte limit", name,
                   (unsigned long long)st.size, SHEET_MAX_ZIP_ENTRY);
        return -1;
    }
    zf = zip_fopen_index(x->za, (zip_uint64_t)idx, 0);
    if (zf == NULL) {
        sheet__err(x->err, x->errlen, "%s: cannot open (%s)", name, zip_strerror(x->za));
        return -1;
    }
    x->p = XML_ParserCreateNS(NULL, NS_SEP);
    if (x->p == NULL) {
        sheet__err(x->err, x->errlen, "out of memory");
        goto out;
    }
    XML_SetUserData(x->p, x);
    XML_SetElementHandler(x->p, on_start, on_end);
    XML_SetCharacterDataHandler(x->p, on_text);
    XML_SetStartDoctypeDeclHandler(x->p, on_doctype);
    x->partname = name;
    x->part = part;
    x->depth = 0;
    x->ntext = 0;
    for (;;) {
        void *chunk = XML_GetBuffer(x->p, READ_CHUNK);
        zip_int64_t n;

        if (chunk == NULL) {
            sheet__err(x->err, x->errlen, "out of memory");
            goto out;
        }
        n = zip_fread(zf, chunk, READ_CHUNK);
        if (n < 0) {
            sheet__err(x->err, x->errlen, "%s: cannot read (%s)", name, zip_file_strerror(zf));
            goto out;
        }
        total += (uint64_t)n;
        if (total > SHEET_MAX_ZIP_ENTRY) {
            sheet__err(x->err, x->errlen, "%s: inflates past the %d-byte limit", name,
                       SHEET_MAX_ZIP_ENTRY);
            goto out;
        }
        if (XML_ParseBuffer(x->p, (int)n, n == 0) != XML_STATUS_OK) {
            if (!x->failed)
                sheet__err(x->err, x->errlen, "%s: XML error at line %lu: %s", name,
                           (unsigned long)XML_GetCurrentLineNumber(x->p),
                           XML_ErrorString(XML_GetErrorCode(x->p)));
            goto out;
        }
        if (x->failed) /* stopped on the last buffer after all */
            goto out;
        if (n == 0)
            break;
    }
    rc = 0;
out:
    if (x->p != NULL)
        XML_ParserFree(x->p);
    x->p = NULL;
    zip_fclose(zf);
    return rc;
}

/* The worksheet part to read: the first worksheet's target, else sheet1.xml. */
static int parse_first_sheet(struct xr *x)
{
    char name[MAX_TARGET + 8];
    int rc = 1;

    x->best = x->nids;
    if (x->nids > 0) {
        rc = parse_part(x, "xl/_rels/workbook.xml.rels", P_RELS);
        if (rc < 0)
            return -1;
    }
    rc = parse_part(x, "xl/sharedStrings.xml", P_SST);
    if (rc < 0)
        return -1;
    rc = 1;
    if (x->best < x->nids) {
        /* Targets are relative to xl/ (the rels' source part), or absolute from the root. */
        if (x->target[0] == '/')
            snprintf(name, sizeof name, "%s", x->target + 1);
        else
            snprintf(name, sizeof name, "xl/%s", x->target);
        rc = parse_part(x, name, P_SHEET);
    }
    if (rc == 1)
        rc = parse_part(x, "xl/worksheets/sheet1.xml", P_SHEET);
    if (rc == 1)
        sheet__err(x->err, x->errlen, "no worksheet found: is this an Excel .xlsx file?");
    return rc == 0 ? 0 : -1;
}

/* On success *out belongs to the caller (sheet_free); on failure it is NULL. `buf` is
 * only borrowed: libzip reads it in place and the zip is closed before returning. */
int sheet_read_xlsx(const void *buf, size_t len, struct sheet **out, char *err, size_t errlen)
{
    struct xr *x = NULL;
    zip_source_t *src = NULL;
    zip_error_t ze;
    int rc = -1;

    *out = NULL;
    zip_error_init(&ze);
    if (len > SHEET_MAX_INPUT) {
        sheet__err(err, errlen, "file larger than %d bytes", SHEET_MAX_INPUT);
        goto out;
    }
    x = calloc(1, sizeof *x);
    if (x == NULL || (x->text = malloc(SHEET_MAX_CELL + 1)) == NULL ||
        (x->s = sheet__new()) == NULL) {
        sheet__err(err, errlen, "out of memory");
        goto out;
    }
    x->err = err;
    x->errlen = errlen;
    src = zip_source_buffer_create(len ? buf : NULL, len, 0, &ze);
    if (src == NULL) {
        sheet__err(err, errlen, "out of memory");
        goto out;
    }
    x->za = zip_open_from_source(src, ZIP_RDONLY, &ze);
    if (x->za == NULL) {
        sheet__err(err, errlen, "not a readable .xlsx file (%s)", zip_error_strerror(&ze));
        zip_source_free(src);
        goto out;
    }
    /* The zip now owns src. */
    if (parse_part(x, "xl/workbook.xml", P_WORKBOOK) < 0)
        goto out;
    if (parse_first_sheet(x) < 0)
        goto out;
    *out = &x->s->pub;
    x->s = NULL;
    rc = 0;
out:
    zip_error_fini(&ze);
    if (x != NULL) {
        if (x->za != NULL)
            zip_discard(x->za);
        sheet_free(x->s ? &x->s->pub : NULL);
        free(x->sst);
        free(x->text);
        free(x);
    }
    return rc;
}
