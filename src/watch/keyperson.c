#include "watch/keyperson.h"
#include "notify/notify.h"

#include <stdio.h>

#define VOCAB(var, label, ...)                                                                     \
    static const struct vocab_entry var##_entries[] = {__VA_ARGS__};                               \
    const struct vocab var = {label, var##_entries, sizeof var##_entries / sizeof var##_entries[0]}

/* The groups the seeds name for attention (DOMAIN.md "Risk assessment"). */
VOCAB(vocab_kp_reason, "reason", {"repeat_disputant", "多次纠纷"},
      {"released_prisoner", "刑满释放"}, {"community_correction", "社区矫正"},
      {"severe_mental_illness", "严重精神障碍"}, {"in_crisis", "生活困境"},
      {"petitioner", "重复信访"}, {"other", "其他"});
VOCAB(vocab_kp_status, "status", {"active", "在册"}, {"closed", "已销号"});

/* Each half reads through an index: case_parties by case, key_persons by blind index. */
#define MATCH_SQL                                                                                  \
    "SELECT p.id FROM case_parties cp JOIN key_persons p ON p.id_index = cp.id_index"              \
    " WHERE cp.case_id = $1 AND cp.id_index IS NOT NULL AND p.status = 'active'"                   \
    " UNION SELECT p.id FROM case_parties cp JOIN key_persons p ON p.phone_index = cp.phone_index" \
    " WHERE cp.case_id = $1 AND cp.phone_index IS NOT NULL AND p.status = 'active' ORDER BY 1"

/* Links the key persons in r (column 0) to the case; adds their number to *n. */
static store_err link_rows(struct store_conn *c, int64_t case_id, struct store_rows *r, int *n)
{
    int64_t now = store_now_ms();
    store_err e = STORE_OK;

    for (int i = 0; e == STORE_OK && i < r->nrows; i++)
        e = store_exec(c,
                       "INSERT INTO key_person_cases (key_person_id, case_id, linked_at, how)"
                       " VALUES ($1, $2, $3, 'intake_match') ON CONFLICT DO NOTHING",
                       STORE_PARAMS(SP_INT(store_rows_int(r, i, 0)), SP_INT(case_id), SP_INT(now)),
                       NULL);
    *n += r->nrows;
    return e;
}

store_err keyperson_match_case(struct store_conn *c, int64_t case_id, const char *const *alt,
                               int nalt, int *matched)
{
    struct store_rows *r = NULL;
    int n = 0;
    store_err e = store_exec(c, MATCH_SQL, STORE_PARAMS(SP_INT(case_id)), &r);

    e = e == STORE_OK ? link_rows(c, case_id, r, &n) : e;
    /* During a key rotation a key person may still be indexed under the other key. An id
     * index never equals a phone index (seal_index separates the kinds), so one test. */
    for (int i = 0; e == STORE_OK && i < nalt; i++) {
        store_rows_free(r);
        r = NULL;
        e = store_exec(c,
                       "SELECT id FROM key_persons WHERE status = 'active'"
                       " AND (id_index = $1 OR phone_index = $1)",
                       STORE_PARAMS(SP_TEXT(alt[i])), &r);
        e = e == STORE_OK ? link_rows(c, case_id, r, &n) : e;
    }
    if (e == STORE_OK && n > 0)
        e = store_exec(c, "UPDATE cases SET key_persons = 1 WHERE id = $1 AND key_persons = 0",
                       STORE_PARAMS(SP_INT(case_id)), NULL);
    if (matched)
        *matched = e == STORE_OK ? n : 0;
    store_rows_free(r);
    return e;
}

/* Reminds the responsible user of one person, unless this review day was reminded already.
 * The notification carries no name or number: it may leave the system (mail, SMS), and
 * the page it links to is where an authorised user reads the person (PIPL art. 51). */
static store_err remind_one(struct store_conn *c, int64_t id, int64_t user, int64_t region,
                            const char *day, int *sent)
{
    struct store_rows *r = NULL;
    char link[64], body[96];
    store_err e = store_begin(c, 1);

    if (e != STORE_OK)
        return e;
    e = store_exec(c,
                   "INSERT INTO key_person_reminders (key_person_id, day, at) VALUES ($1, $2, $3)"
                   " ON CONFLICT DO NOTHING RETURNING key_person_id",
                   STORE_PARAMS(SP_INT(id), SP_TEXT(day), SP_INT(store_now_ms())), &r);
    if (e == STORE_OK && r->nrows > 0) {
        snprintf(link, sizeof link, "/key-persons?id=%lld", (long long)id);
        snprintf(body, sizeof body, "复查日期：%s，请按期走访复查并记录。", day);
        struct notify_event ev = {.kind = "key_person.review_due",
                                  .region_id = region,
                                  .title = "重点人员复查到期",
                                  .body = body,
                                  .link = link,
                                  .user_ids = &user,
                                  .nusers = 1};
        e = notify_emit(c, &ev);
        *sent += e == STORE_OK;
    }
    store_rows_free(r);
    return store_end(c, e);
}

store_err keyperson_remind(struct store_conn *c, const char *today, int *sent)
{
    struct store_rows *due = NULL;
    store_err e = store_exec(c,
                             "SELECT id, responsible_user_id, region_id, next_review_day"
                             " FROM key_persons WHERE status = 'active' AND next_review_day <= $1"
                             " AND responsible_user_id IS NOT NULL ORDER BY id",
                             STORE_PARAMS(SP_TEXT(today)), &due);

    *sent = 0;
    for (int i = 0; e == STORE_OK && i < due->nrows; i++)
        e = remind_one(c, store_rows_int(due, i, 0), store_rows_int(due, i, 1),
                       store_rows_int(due, i, 2), store_rows_get(due, i, 3), sent);
    store_rows_free(due);
    return e;
}
