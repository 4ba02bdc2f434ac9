#include "store/seed.h"
#include "core/region.h"
#include "core/routing.h"
#include "core/timefmt.h"

#include <stdio.h>
#include <string.h>

/* The service catalogue: what a citizen must be told when a matter is referred, with the
 * legal basis (seed 002: 一次性告知, 服务清单). */
static const struct {
    const char *name, *legal_basis, *level, *body, *conditions, *procedure, *documents, *limit;
} catalogue[] = {
    {"人民调解申请", "《中华人民共和国人民调解法》第十七条、第十八条", "村（社区）、乡镇（街道）",
     "人民调解委员会", "当事人自愿申请；纠纷属于民间纠纷，未经法院、公安等依法处理",
     "申请登记 → 受理 → 调解 → 达成协议或终止调解 → 回访",
     "[\"调解申请书\",\"当事人身份证明\",\"与纠纷有关的证据材料\"]", "一般在一个月内调结"},
    {"行政复议申请", "《中华人民共和国行政复议法》第二十条", "县级以上人民政府", "行政复议机构",
     "认为行政行为侵犯其合法权益；自知道该行为之日起六十日内提出",
     "提交申请 → 审查受理 → 审理 → 作出复议决定",
     "[\"行政复议申请书\",\"申请人身份证明\",\"行政行为相关材料\"]",
     "自受理之日起六十日内作出决定"},
    {"劳动保障监察投诉", "《劳动保障监察条例》第九条", "县级人力资源和社会保障部门",
     "劳动保障监察机构", "用人单位拖欠或克扣劳动报酬等违反劳动保障法律的行为",
     "投诉登记 → 立案调查 → 责令改正或行政处理",
     "[\"投诉书\",\"身份证明\",\"劳动关系证明\",\"工资欠条或考勤记录\"]",
     "立案之日起六十个工作日内办结"},
    {"劳动人事争议仲裁申请", "《中华人民共和国劳动争议调解仲裁法》第二十七条、第二十八条",
     "县级劳动人事争议仲裁委员会", "劳动人事争议仲裁委员会", "劳动争议发生之日起一年内申请",
     "申请 → 受理（五日内） → 开庭 → 裁决",
     "[\"仲裁申请书\",\"身份证明\",\"劳动关系证明\",\"证据材料\"]",
     "受理之日起四十五日内结束，可延长十五日"},
    {"治安案件报案", "《中华人民共和国治安管理处罚法》", "县级公安机关、派出所", "公安机关",
     "纠纷涉嫌违反治安管理或涉嫌犯罪", "报案 → 受案登记 → 调查 → 依法处理",
     "[\"报案人身份证明\",\"相关证据\"]", "依法定时限办理"},
    {"法律援助申请", "《中华人民共和国法律援助法》第三十一条、第四十一条", "县级法律援助中心",
     "法律援助机构", "经济困难或法定情形，需要法律咨询、代理等服务",
     "申请 → 审查（七日内） → 指派律师 → 提供援助",
     "[\"法律援助申请表\",\"身份证明\",\"经济困难状况说明\",\"案件相关材料\"]",
     "七日内作出是否给予援助的决定"},
    {"民事诉讼立案", "《中华人民共和国民事诉讼法》第一百二十二条", "基层人民法院", "人民法院",
     "有明确的被告、具体的诉讼请求和事实理由，属于法院受理范围",
     "起诉 → 立案审查（七日内） → 审理 → 判决或调解", "[\"起诉状\",\"身份证明\",\"证据材料\"]",
     "符合条件的七日内立案"},
    {"司法确认申请", "《中华人民共和国人民调解法》第三十三条", "基层人民法院", "人民法院",
     "经人民调解委员会调解达成的调解协议", "双方自协议生效之日起三十日内共同申请 → 法院审查 → 裁定",
     "[\"司法确认申请书\",\"调解协议书\",\"双方身份证明\"]", "受理之日起十五日内作出决定"},
};

/* 2026: the State Council's arrangement (国务院办公厅关于2026年部分节假日安排的通知).
 * 2027: only the statutory holidays, provisional until the State Council publishes the
 * year's arrangement; administrators then add the make-up workdays in the calendar. */
static const struct {
    const char *first, *last, *kind, *name;
    int provisional;
} holidays[] = {
    {"2026-01-01", "2026-01-03", "holiday", "元旦", 0},
    {"2026-01-04", "2026-01-04", "workday", "元旦调休上班", 0},
    {"2026-02-14", "2026-02-14", "workday", "春节调休上班", 0},
    {"2026-02-15", "2026-02-23", "holiday", "春节", 0},
    {"2026-02-28", "2026-02-28", "workday", "春节调休上班", 0},
    {"2026-04-04", "2026-04-06", "holiday", "清明节", 0},
    {"2026-05-01", "2026-05-05", "holiday", "劳动节", 0},
    {"2026-05-09", "2026-05-09", "workday", "劳动节调休上班", 0},
    {"2026-06-19", "2026-06-21", "holiday", "端午节", 0},
    {"2026-09-20", "2026-09-20", "workday", "国庆节调休上班", 0},
    {"2026-09-25", "2026-09-27", "holiday", "中秋节", 0},
    {"2026-10-01", "2026-10-07", "holiday", "国庆节", 0},
    {"2026-10-10", "2026-10-10", "workday", "国庆节调休上班", 0},
    {"2027-01-01", "2027-01-01", "holiday", "元旦", 1},
    {"2027-02-05", "2027-02-08", "holiday", "春节", 1},
    {"2027-04-05", "2027-04-05", "holiday", "清明节", 1},
    {"2027-05-01", "2027-05-02", "holiday", "劳动节", 1},
    {"2027-06-09", "2027-06-09", "holiday", "端午节", 1},
    {"2027-09-15", "2027-09-15", "holiday", "中秋节", 1},
    {"2027-10-01", "2027-10-03", "holiday", "国庆节", 1},
};

static store_err seed_calendar(struct store_conn *c)
{
    store_err e = STORE_OK;

    for (size_t i = 0; e == STORE_OK && i < sizeof holidays / sizeof holidays[0]; i++) {
        int32_t d, last;
        char day[16];

        if (timefmt_day_parse(holidays[i].first, &d) || timefmt_day_parse(holidays[i].last, &last))
            return STORE_ERROR;
        for (; e == STORE_OK && d <= last; d++) {
            timefmt_day(d, day, sizeof day);
            e = store_exec(c,
                           "INSERT INTO calendar_days (day, kind, name, provisional)"
                           " VALUES ($1, $2, $3, $4)",
                           STORE_PARAMS(SP_TEXT(day), SP_TEXT(holidays[i].kind),
                                        SP_TEXT(holidays[i].name), SP_INT(holidays[i].provisional)),
                           NULL);
        }
    }
    return e;
}

static store_err seed_catalogue(struct store_conn *c, int64_t now)
{
    store_err e = STORE_OK;

    for (size_t i = 0; e == STORE_OK && i < sizeof catalogue / sizeof catalogue[0]; i++)
        e = store_exec(
            c,
            "INSERT INTO catalogue_items (name, legal_basis, level, handling_body,"
            " conditions, procedure, documents, time_limit, created_at, updated_at)"
            " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
            STORE_PARAMS(SP_TEXT(catalogue[i].name), SP_TEXT(catalogue[i].legal_basis),
                         SP_TEXT(catalogue[i].level), SP_TEXT(catalogue[i].body),
                         SP_TEXT(catalogue[i].conditions), SP_TEXT(catalogue[i].procedure),
                         SP_TEXT(catalogue[i].documents), SP_TEXT(catalogue[i].limit), SP_INT(now)),
            NULL);
    return e;
}

/* The ids of the named catalogue items as a JSON array. */
static store_err notice_ids(struct store_conn *c, const char *const *names, char *out, size_t n)
{
    size_t len = 0;

    len += (size_t)snprintf(out, n, "[");
    for (int i = 0; i < 4 && names[i]; i++) {
        struct store_rows *r = NULL;
        store_err e = store_one(c, "SELECT id FROM catalogue_items WHERE name = $1",
                                STORE_PARAMS(SP_TEXT(names[i])), "i", names[i], &r);
        if (e != STORE_OK)
            return e;
        len += (size_t)snprintf(out + len, n - len, "%s%lld", i ? "," : "",
                                (long long)store_rows_int(r, 0, 0));
        store_rows_free(r);
    }
    snprintf(out + len, n - len, "]");
    return STORE_OK;
}

static store_err seed_rules(struct store_conn *c, int64_t now)
{
    store_err e = STORE_OK;

    for (int i = 0; e == STORE_OK && i < routing_ndefaults; i++) {
        const struct routing_default *d = &routing_defaults[i];
        const struct routing_cond *k = &d->cond;
        char notices[64];

        e = notice_ids(c, d->notices, notices, sizeof notices);
        if (e != STORE_OK)
            break;
        e = store_exec(
            c,
            "INSERT INTO routing_rules (name, region_id, category, region_level, complexity,"
            " amount_min, amount_max, people_min, people_max, management_level, department,"
            " department_field, method, time_limit_days, time_limit_kind, lead_leader, notice_ids,"
            " enabled, created_at, updated_at) VALUES ($1, NULL, $2, $3, $4, $5, $6, $7, $8, $9,"
            " $10, $11, $12, $13, $14, $15, $16, 1, $17, $17)",
            STORE_PARAMS(SP_TEXT(d->name), SP_TEXT(k->category),
                         SP_TEXT(k->region_level ? region_level_name(k->region_level) : NULL),
                         SP_TEXT(k->complexity),
                         k->has_amount_min ? SP_INT(k->amount_min) : SP_NULL,
                         k->has_amount_max ? SP_INT(k->amount_max) : SP_NULL,
                         k->has_people_min ? SP_INT(k->people_min) : SP_NULL,
                         k->has_people_max ? SP_INT(k->people_max) : SP_NULL,
                         SP_TEXT(d->decision.management_level), SP_TEXT(d->decision.department),
                         SP_TEXT(d->decision.department_field), SP_TEXT(d->decision.method),
                         SP_INT(d->decision.time_limit_days), SP_TEXT(d->decision.time_limit_kind),
                         SP_INT(d->decision.lead_leader), SP_TEXT(notices), SP_INT(now)),
            NULL);
    }
    return e;
}

store_err store_seed_registry(struct store_conn *c)
{
    int64_t now = store_now_ms();
    store_err e = seed_catalogue(c, now);

    if (e == STORE_OK)
        e = seed_rules(c, now);
    if (e == STORE_OK)
        e = seed_calendar(c);
    return e;
}
