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

/*
 * As doc_render, but a value tag that prints nothing (absent, null or "") is an error
 * naming it: for checking that a template asks only for what the context has.
 */
char *doc_render_strict(const char *tpl, const json_t *ctx, char *err, size_t errlen);

/*
 * Turns the facts of a case into the context of its documents, in place, and returns it.
 * `facts` (all optional): case (the case as the API shows it), parties (with personal data
 * opened), sessions, instalments (agreement_instalments rows), agreement / failure / visit
 * (the data of the latest agree / fail / return_visit event, with its time as "at"),
 * notices (the one-time notice's catalogue items), court (the basic-level court of the
 * case's county), registered_by (the registering unit's name), now_ms (UTC epoch ms).
 * Empty strings and nulls are removed, so that a template's {{#x}} sections see them as
 * absent; derived values are added: today, party_names, registered_by and
 * responsible_unit (each standing in for the other), case.*_name, case.received_time
 * (登记时间), agreement.instalments with their total and last day, failure.guidance_name.
 */
json_t *doc_context(json_t *facts);

#endif
