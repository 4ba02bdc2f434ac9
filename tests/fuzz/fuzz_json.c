/*
 * fuzz_json.c - decoding and validating a JSON request body without a database: the
 * decoder as api_body calls it (json_loadb, duplicates refused, objects only) and the
 * field readers every POST/PATCH handler and the case module use (core/jfield.h):
 * typed members, vocabulary codes or Chinese names, arrays of codes and of ids, unknown
 * members, and the text checks of core/verr.h. Checks that every error names a field.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/jfield.h"
#include "core/verr.h"
#include "core/vocab.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_errs(const struct verr_list *e)
{
    if (e->n < 0 || e->n > VERR_MAX || e->dropped < 0)
        abort();
    for (int i = 0; i < e->n; i++)
        /* A member whose name is empty is reported, as unknown, under that empty name. */
        if ((!e->items[i].field[0] && strcmp(e->items[i].code, "unknown") != 0) ||
            !e->items[i].code[0])
            abort();
}

/* The members of a case intake (case/intake.c) and a person (api/people.c) together. */
static void read_fields(json_t *body, struct verr_list *errs)
{
    const char *channel = NULL, *category = NULL, *facts = NULL, *phone = NULL, *login = NULL;
    const char *password = NULL, *name = NULL;
    json_int_t region = 0, people = -1;
    int urgent = 0;
    json_t *parties = NULL, *tags = NULL, *ids = NULL;
    char present[512];
    int64_t idv[16];

    jfield_read(body,
                (struct jfield[]){{"channel", 's', 1, &channel},
                                  {"category", 's', 1, &category},
                                  {"facts", 's', 1, &facts},
                                  {"region_id", 'I', 1, &region},
                                  {"people", 'I', 0, &people},
                                  {"urgent", 'b', 0, &urgent},
                                  {"parties", 'a', 0, &parties},
                                  {"phone", 's', 0, &phone},
                                  {"login", 's', 0, &login},
                                  {"password", 's', 0, &password},
                                  {"name", 's', 0, &name},
                                  {"specialties", 'a', 0, &tags},
                                  {"ids", 'a', 0, &ids}},
                13, errs, present, sizeof present);
    if (!memchr(present, '\0', sizeof present))
        abort();
    (void)jfield_vocab(errs, "channel", &vocab_channel, channel);
    (void)jfield_vocab(errs, "category", &vocab_category, category);
    if (facts)
        verr_check_text(errs, "facts", facts, 1, 4000);
    if (phone)
        verr_check_phone(errs, "phone", phone);
    if (login)
        verr_check_login(errs, "login", login);
    if (password)
        verr_check_password(errs, "password", password);
    if (name)
        (void)utf8_len(name);
    if (tags)
        free(jfield_vocab_array(errs, "specialties", &vocab_specialty, tags, 1));
    if (ids && jfield_ids(errs, "ids", ids, idv, 16, 0) > 16)
        abort();
    if (parties)
        for (size_t i = 0; i < json_array_size(parties); i++) {
            json_t *p = json_array_get(parties, i);
            const char *role = NULL, *kind = NULL;
            if (!json_is_object(p))
                continue;
            jfield_read(p,
                        (struct jfield[]){{"role", 's', 1, &role}, {"party_kind", 's', 0, &kind}},
                        2, errs, NULL, 0);
            (void)jfield_vocab(errs, "role", &vocab_party_role, role);
            (void)jfield_vocab(errs, "party_kind", &vocab_party_kind, kind);
        }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const known[] = {"channel", "category", "facts", NULL};
    struct verr_list errs;
    json_t *body = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);

    if (!body)
        return 0;
    if (json_is_object(body)) {
        memset(&errs, 0, sizeof errs);
        read_fields(body, &errs);
        check_errs(&errs);
        memset(&errs, 0, sizeof errs);
        jfield_only(body, known, &errs);
        check_errs(&errs);
    }
    json_decref(body);
    return 0;
}
