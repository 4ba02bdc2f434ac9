/*
 * case_fsm.h - the life of a dispute case as a state machine (DOMAIN.md "Its life";
 * seed 002, 非诉讼纠纷化解工作程序 and 工作制度).
 *
 * Every change of a case's state goes through this one table: which action may be taken
 * in which state, by which roles, under which condition, and where it leads. The store
 * applies the result; nothing else changes a case's state. Pure: no I/O, no clock.
 */
#ifndef JIEFEN_CORE_CASE_FSM_H
#define JIEFEN_CORE_CASE_FSM_H

enum case_state {
    CS_REGISTERED = 1, /* 登记: in the register, not yet triaged */
    CS_ACCEPTED,       /* 受理: triaged and routed, not yet assigned */
    CS_REJECTED,       /* 不予受理, with reason and a one-time notice */
    CS_REFERRED,       /* 移交/委托 out, awaiting feedback (闭环) */
    CS_ASSIGNED,       /* 四定三包: lead leader, unit, person, mediators, time limit fixed */
    CS_MEDIATING,      /* 调解中: at least one session recorded */
    CS_SUSPENDED,      /* 中止: clock paused (appraisal pending, party abroad, ...) */
    CS_AGREED,         /* 调解成功: agreement reached */
    CS_FAILED,         /* 调解不成: guidance given; supervisor review needed to close */
    CS_WITHDRAWN,      /* 撤回 */
    CS_CLOSED,         /* 结案/销号 */
    CS_ARCHIVED,       /* 归档: the file is frozen (一案一卷) */
};
#define CASE_STATES 12

enum case_action {
    CA_ACCEPT = 1,
    CA_REJECT,
    CA_REFER,
    CA_FEEDBACK,
    CA_ASSIGN,
    CA_RECORD_SESSION,
    CA_CHANGE_METHOD,
    CA_ESCALATE,
    CA_SUSPEND,
    CA_RESUME,
    CA_AGREE,
    CA_FAIL,
    CA_REVIEW_FAILURE,
    CA_WITHDRAW,
    CA_CLOSE,
    CA_RETURN_VISIT,
    CA_REOPEN,
    CA_ARCHIVE,
    CA_EXTEND,
    CA_MERGE,
    CA_REROUTE,        /* 改派 / 重新分流: routed again, with a reason */
    CA_INVITE_EXPERTS, /* 邀请专家: experts join the mediation */
};
#define CASE_ACTIONS 22

/* What the guards need to know about a case besides its state. */
struct case_facts {
    enum case_state state;
    enum case_state resume_state; /* for CS_SUSPENDED: where resuming leads */
    int sessions_at_level;        /* mediation sessions recorded at the current level */
    int min_sessions;             /* 三三制: attempts before a lower level may escalate */
    int urgent;                   /* urgent cases may be escalated at once */
    int level;                    /* responsible level: enum region_level (village ... city) */
    int failure_reviewed;         /* 终结前须经协调督办岗研判 */
    int feedback_recorded;        /* a referral's feedback is in */
    int extended;                 /* the time limit has been extended once already */
    int holder; /* 四定三包: the caller answers for the case (one of its mediators, its
                 * responsible person, the head of its unit), or no unit holds it yet */
};

/* Why an action is refused, for the API's 409 and the UI. */
enum case_refusal {
    CR_OK = 0,
    CR_UNKNOWN_ACTION,
    CR_WRONG_STATE,      /* not possible in this state */
    CR_ROLE,             /* the caller's roles may not take it */
    CR_TOO_FEW_SESSIONS, /* escalation before min_sessions attempts, not urgent */
    CR_TOP_LEVEL,        /* nothing above the city */
    CR_NOT_REVIEWED,     /* a failed case needs the supervisor's review first */
    CR_NO_FEEDBACK,      /* a referred case closes only once feedback is recorded */
    CR_ALREADY_REVIEWED,
    CR_ALREADY_EXTENDED, /* a time limit is extended at most once */
    CR_NOT_HOLDER,       /* 四定三包: only those who answer for the case act on it */
};

const char *case_state_name(enum case_state s);
enum case_state case_state_parse(const char *name); /* 0 if unknown */
const char *case_action_name(enum case_action a);
enum case_action case_action_parse(const char *name); /* 0 if unknown */
const char *case_refusal_name(enum case_refusal r);

/*
 * May a caller holding `roles` (enum role bits) take action `a` now? Returns CR_OK or
 * the reason it may not. Role is checked last, so that "impossible" wins over
 * "not yours" and the caller learns the more useful reason.
 */
enum case_refusal case_may(const struct case_facts *f, unsigned roles, enum case_action a);

/* The state after action `a` (which case_may allowed). */
enum case_state case_next(const struct case_facts *f, enum case_action a);

/* Lists the actions the caller may take now; returns how many (at most max). */
int case_actions(const struct case_facts *f, unsigned roles, enum case_action *out, int max);

/* Is the deadline clock running in this state? (Paused while suspended, stopped once an
 * outcome is reached.) */
int case_clock_runs(enum case_state s);

/* Writes the state machine as a Mermaid state diagram (for docs/case-states.md). */
int case_fsm_mermaid(char *out, unsigned long outlen);

#endif
