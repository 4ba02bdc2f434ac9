#include "core/vocab.h"

#include <string.h>

#define VOCAB(var, label, ...)                                                                     \
    static const struct vocab_entry var##_entries[] = {__VA_ARGS__};                               \
    const struct vocab var = {label, var##_entries, sizeof var##_entries / sizeof var##_entries[0]}

/* DOMAIN.md "What: the dispute case"; criminal and administrative matters are outside
 * mediation's scope and exist so that they can be recognised and referred (seed 002). */
VOCAB(vocab_category, "category", {"marriage_family", "婚姻家庭"}, {"neighbour", "邻里纠纷"},
      {"housing_homestead", "房屋宅基地"}, {"land_forest", "山林土地"}, {"contract", "合同纠纷"},
      {"business", "生产经营"}, {"damages", "损害赔偿"}, {"labour", "劳动争议"},
      {"wage_arrears", "拖欠工资"}, {"village_affairs", "村务管理"},
      {"land_requisition", "征地拆迁"}, {"environment", "环境污染"}, {"traffic", "道路交通"},
      {"medical", "医疗纠纷"}, {"property_mgmt", "物业纠纷"}, {"consumer", "消费纠纷"},
      {"finance", "金融借贷"}, {"campus", "校园纠纷"}, {"military", "涉军纠纷"},
      {"criminal", "涉嫌违法犯罪"}, {"administrative", "行政争议"}, {"other", "其他"});

VOCAB(vocab_complexity, "complexity", {"simple", "简易"}, {"ordinary", "一般"},
      {"difficult", "疑难复杂"}, {"major", "重大"});

VOCAB(vocab_method, "method", {"people_mediation", "人民调解"},
      {"administrative_mediation", "行政调解"}, {"judicial_mediation", "司法调解"},
      {"lawyer_mediation", "律师调解"}, {"industry_mediation", "行业性专业性调解"},
      {"refer_court", "引导诉讼"}, {"refer_police", "移交公安"}, {"refer_petition", "转信访"},
      {"refer_arbitration", "引导仲裁"}, {"refer_reconsideration", "引导行政复议"});

VOCAB(vocab_mgmt_level, "management_level", {"local", "属地"}, {"village", "村（社区）"},
      {"township", "乡镇（街道）"}, {"county", "县（区）"}, {"city", "市"});

VOCAB(vocab_industry, "industry", {"medical", "医疗"}, {"traffic", "交通"}, {"labour", "劳动"},
      {"property", "物业"}, {"marriage_family", "婚姻家庭"}, {"commerce", "商会"},
      {"enterprise", "企业"}, {"consumer", "消费"}, {"finance", "金融"}, {"other", "其他"});

VOCAB(vocab_org_type, "type", {"center", "矛调中心"}, {"mediation_committee", "人民调解委员会"},
      {"studio", "调解工作室"}, {"department", "行政部门"}, {"court", "法院"},
      {"procuratorate", "检察院"}, {"police", "公安"}, {"petition_bureau", "信访部门"},
      {"legal_aid", "法律援助"}, {"arbitration", "仲裁机构"}, {"reconsideration", "行政复议机构"},
      {"law_firm", "律师事务所"});

VOCAB(vocab_region_level, "level", {"province", "省"}, {"city", "市"}, {"county", "县"},
      {"township", "乡镇"}, {"village", "村"}, {"grid", "网格"});

VOCAB(vocab_org_status, "status", {"active", "正常"}, {"suspended", "暂停"});
VOCAB(vocab_person_status, "status", {"active", "在岗"}, {"inactive", "离岗"});
VOCAB(vocab_mediator_type, "mediator_type", {"full_time", "专职"}, {"part_time", "兼职"});
VOCAB(vocab_grade, "grade", {"chief", "首席"}, {"senior", "高级"}, {"intermediate", "中级"},
      {"junior", "初级"});
VOCAB(vocab_specialty, "specialty", {"law", "法律"}, {"medicine", "医学"}, {"psychology", "心理"},
      {"economics", "经济"}, {"social_work", "社会工作"}, {"industry", "行业"});
VOCAB(vocab_availability, "availability", {"available", "可邀请"}, {"busy", "忙碌"},
      {"unavailable", "暂不可邀请"});
VOCAB(vocab_time_kind, "time_limit_kind", {"business", "工作日"}, {"calendar", "自然日"});
VOCAB(vocab_gender, "gender", {"male", "男"}, {"female", "女"});
VOCAB(vocab_day_kind, "kind", {"holiday", "法定节假日"}, {"workday", "调休上班日"});

/* DOMAIN.md: every channel lands in one register (统一接案). */
VOCAB(vocab_channel, "channel", {"walk_in", "来访"}, {"phone", "来电（12348）"}, {"letter", "来信"},
      {"online", "网上申请"}, {"grid_report", "网格上报"}, {"investigation", "排查发现"},
      {"court_delegation", "法院委派委托"}, {"police_transfer", "公安移交"},
      {"petition_transfer", "信访转办"}, {"department_transfer", "部门移交"}, {"other", "其他"});
VOCAB(vocab_party_role, "role", {"applicant", "申请人"}, {"respondent", "被申请人"},
      {"third_party", "第三人"});
VOCAB(vocab_party_kind, "kind", {"person", "自然人"}, {"organization", "法人或其他组织"});
VOCAB(vocab_guidance, "guidance", {"litigation", "引导诉讼"}, {"arbitration", "引导仲裁"},
      {"reconsideration", "引导行政复议"}, {"administrative_ruling", "引导行政裁决"},
      {"petition", "引导信访"});
VOCAB(vocab_agreement_form, "form", {"oral", "口头协议"}, {"written", "书面协议"});
VOCAB(vocab_risk, "risk", {"red", "重大"}, {"orange", "较大"}, {"yellow", "一般"}, {"blue", "低"});

int vocab_valid(const struct vocab *v, const char *code)
{
    for (size_t i = 0; code && i < v->n; i++)
        if (strcmp(code, v->entries[i].code) == 0)
            return 1;
    return 0;
}

const char *vocab_code(const struct vocab *v, const char *text)
{
    for (size_t i = 0; text && i < v->n; i++)
        if (strcmp(text, v->entries[i].code) == 0 || strcmp(text, v->entries[i].zh) == 0)
            return v->entries[i].code;
    /* Region levels are often written with their common suffixes: 区, 镇, 街道, 社区. */
    if (text && v == &vocab_region_level) {
        static const struct vocab_entry alias[] = {
            {"county", "区"},          {"county", "县（区）"},       {"township", "镇"},
            {"township", "街道"},      {"township", "乡"},           {"village", "社区"},
            {"village", "村（社区）"}, {"township", "乡镇（街道）"},
        };
        for (size_t i = 0; i < sizeof alias / sizeof alias[0]; i++)
            if (strcmp(text, alias[i].zh) == 0)
                return alias[i].code;
    }
    return NULL;
}

const char *vocab_zh(const struct vocab *v, const char *code)
{
    for (size_t i = 0; code && i < v->n; i++)
        if (strcmp(code, v->entries[i].code) == 0)
            return v->entries[i].zh;
    return NULL;
}
