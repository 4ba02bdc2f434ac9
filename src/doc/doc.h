/*
 * doc.h - printable documents from HTML templates (受理登记表, 调解协议书 ...).
 *
 * The wording of every document lives in its template file (templates/documents/NAME.html),
 * not in C. A template is HTML with mustache-style tags over a JSON context:
 *   {{a.b}}            the value at path a.b, HTML-escaped (numbers as written; null as "")
 *   {{#list}}...{{/list}}  repeated for each item of an array (inside, paths start at
 *                      the item; "." is the item itself); for a true value or an object
 *                      rendered once; skipped for false, null, "" or an empty array
 *   {{^x}}...{{/x}}    rendered when x is false, null, "" or an empty array
 * Pure: no I/O; the caller reads the template.
 */
#ifndef JIEFEN_DOC_DOC_H
#define JIEFEN_DOC_DOC_H

#include <jansson.h>
#include <stddef.h>

/*
 * Renders `tpl` with `ctx`. Returns a malloc'd NUL-terminated string (caller frees), or
 * NULL with a reason in err (an unclosed section, nesting too deep, out of memory).
 */
char *doc_render(const char *tpl, const json_t *ctx, char *err, size_t errlen);

#endif
