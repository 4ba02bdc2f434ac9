/*
 * meeting.c - online (video) mediation, 在线调解: the link to a case's meeting room on the
 * video service the centre already runs (setting meeting_url_template, e.g. a self-hosted
 * Jitsi Meet). jiefen runs no video itself; it only names a room per case that outsiders
 * cannot guess, so that a link on the tracking page opens only that case's room.
 */
#include "api/api.h"
#include "seal/seal.h"
#include "store/settings.h"

#include <stdio.h>
#include <string.h>

/* 20 hex digits: 80 bits of a keyed hash, beyond guessing, short enough to read aloud. */
#define ROOM_LEN 20

json_t *api_meeting_url(struct api_ctx *ctx, int64_t case_id)
{
    char tmpl[512], url[1024], value[32], index[SEAL_INDEX_LEN], room[ROOM_LEN + 1];
    size_t n = 0;

    store_setting(ctx->conn, "meeting_url_template", tmpl, sizeof tmpl);
    if (!tmpl[0] || !ctx->app->seal)
        return json_null();
    /* The room is a keyed hash (the personal-data key's index subkey) of the case id:
     * stable for the case, unguessable without the key, and nothing to store. Keyed by the
     * oldest key in the file, so that a key rotation (add, promote, rotate) keeps every
     * room: a link sent before it still leads to the same room. Only `jiefen key retire`,
     * which drops that key, gives the cases new rooms (docs/security-data.md). */
    snprintf(value, sizeof value, "%lld", (long long)case_id);
    seal_index_oldest(ctx->app->seal, "meeting-room", value, index);
    snprintf(room, sizeof room, "%.*s", ROOM_LEN, index);
    for (const char *p = tmpl; *p;) {
        const char *piece = p;
        size_t len = 1;
        if (strncmp(p, "{room}", 6) == 0) {
            piece = room;
            len = ROOM_LEN;
            p += 6;
        } else {
            p++;
        }
        if (n + len + 1 > sizeof url)
            return json_null(); /* cannot happen: the template is at most 500 bytes */
        memcpy(url + n, piece, len);
        n += len;
    }
    url[n] = '\0';
    return json_string(url);
}
