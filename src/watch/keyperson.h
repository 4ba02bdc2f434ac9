/*
 * keyperson.h - key persons (重点人员) in the watch: finding them among a new case's
 * parties, and reminding their responsible user when a review falls due. The registry
 * itself is store/keypersons.h; docs/key-persons.md.
 */
#ifndef JIEFEN_WATCH_KEYPERSON_H
#define JIEFEN_WATCH_KEYPERSON_H

#include "core/vocab.h"
#include "store/store.h"

#include <stdint.h>

/* Why a person is on the register: repeat_disputant 多次纠纷, released_prisoner 刑满释放,
 * community_correction 社区矫正, severe_mental_illness 严重精神障碍, in_crisis 生活困境,
 * petitioner 重复信访, other 其他. */
extern const struct vocab vocab_kp_reason;
extern const struct vocab vocab_kp_status; /* active 在册 / closed 已销号 */

/*
 * In the caller's transaction: links every active key person whose blind ID index or phone
 * index equals one of the parties' of case `case_id` (how "intake_match"; an existing link
 * stays), and when there is one sets the case's key_persons flag, so that the risk model
 * counts it. *matched (may be NULL) is the number of key persons found. The match ignores
 * regions: a person registered in one county who turns up in another is still found.
 * `alt` (nalt entries, may be 0) are the parties' indexes under the other key of a key
 * rotation (seal_index_other), so a key person not yet re-indexed matches too.
 */
store_err keyperson_match_case(struct store_conn *c, int64_t case_id, const char *const *alt,
                               int nalt, int *matched);

/*
 * One scheduler pass as of `today` (YYYY-MM-DD): for every active key person whose review
 * is due and who has a responsible user, tells that user once per review day (a row keyed
 * by person and day, written with the notification in one transaction). *sent counts the
 * reminders of this pass.
 */
store_err keyperson_remind(struct store_conn *c, const char *today, int *sent);

#endif
