#include "core/settings.h"

#include "core/casenum.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct setting_def defs[] = {
    {"case_number_format", "案件编号格式",
     "受理案件的编号，每县每年连续编号。须同时包含 {year} 年份、{county} 县区简称和 {seq} "
     "序号（四位），编号才能在全系统唯一。",
     SETTING_TEXT, 1, 200, CASENUM_DEFAULT_FORMAT},
    {"min_sessions_before_escalation", "逐级上报前的最少调解次数",
     "三三制：下级调解满此次数后方可上报上一级（标记为紧急的案件除外）。", SETTING_INT, 0, 20, "3"},
    {"warning_lead_days", "到期预警提前工作日",
     "调处时限到期前多少个工作日发出预警；到期当日另发到期提醒。", SETTING_INT, 0, 30, "3"},
    /* 季度总结 reminders (watch/quarterly.c, docs/reports.md); local practice. */
    {"quarterly_reminder_days", "季度总结提前提醒天数",
     "季度总结应于下季度首月5日前签发；到期日前多少个自然日提醒尚未签发的乡镇（街道）和县（区），"
     "到期当日未签发的再提醒一次。",
     SETTING_INT, 0, 30, "5"},
    {"referral_feedback_days", "移交反馈默认期限（工作日）",
     "移交、委托其他单位后，未指定时要求反馈的工作日数；逾期未反馈向督办岗预警。", SETTING_INT, 1,
     90, "15"},
    {"related_window_days", "关联案件查找范围（天）",
     "登记时查找同一当事人（身份证号或电话相同）、同一纠纷类别的在办案件的时间范围。", SETTING_INT,
     1, 3650, "365"},
    /* Retention (个人信息保护法 art. 19: kept no longer than necessary; art. 47: deleted or
     * anonymised when the period ends). 30 years is local archives practice for mediation
     * files (long-term 长期 retention), not a figure from a statute article. */
    {"retention_years", "个人信息保存期限（年）",
     "案件归档满此年数后，由 jiefen retention run 将当事人姓名改为代称、清除证件号码、电话和住址；"
     "处于诉讼保全（legal hold）的案件除外。默认30年为本地档案管理惯例。",
     SETTING_INT, 1, 100, "30"},
    {"return_visit_sample_percent", "回访抽样比例（%）",
     "疑难复杂和重大案件结案后一律回访；其他案件按此比例抽样回访。", SETTING_INT, 0, 100, "20"},
    /* 在线调解 (视频调解): the centre's own video service; empty turns online mediation off. */
    {"meeting_url_template", "视频调解会议地址模板",
     "中心自有视频会议服务（如自建 Jitsi Meet）的会议地址，须以 http:// 或 https:// 开头并包含 "
     "{room}，系统为每件案件生成不可猜测的会议室号替换 {room}；例如 "
     "https://meet.example.org/jiefen-{room}。留空则不提供视频调解。",
     SETTING_TEXT, 0, 500, ""},
    /* 风险研判 (core/risk.c, docs/risk.md): points per factor, level thresholds, amounts and
     * response times; 人民调解法 第二十五条 (纠纷有可能激化的，应当采取有针对性的预防措施). */
    {"risk_w_group", "风险分值：群体性（10人以上）",
     "涉及人数达到10人以上（群体性纠纷，地方通行做法）时加的分。", SETTING_INT, 0, 100, "40"},
    {"risk_w_group_large", "风险分值：涉及30人以上", "涉及人数达到30人以上时再加的分。",
     SETTING_INT, 0, 100, "10"},
    {"risk_w_group_mass", "风险分值：涉及50人以上", "涉及人数达到50人以上时再加的分。", SETTING_INT,
     0, 100, "10"},
    {"risk_w_threat", "风险分值：文本：扬言威胁",
     "事实、请求或调解记录中出现扬言、报复、威胁等言语时加的分；默认单独即达橙色。", SETTING_INT, 0,
     100, "40"},
    {"risk_w_violence", "风险分值：文本：暴力行为",
     "文本中出现殴打、斗殴、砍伤等已发生的暴力时加的分；默认单独即达橙色。", SETTING_INT, 0, 100,
     "40"},
    {"risk_w_weapon", "风险分值：文本：持械凶器",
     "文本中出现持刀、斧头、猎枪等凶器（不含作为商品的刀具）时加的分；默认单独即达橙色。",
     SETTING_INT, 0, 100, "40"},
    {"risk_w_self_harm", "风险分值：文本：自伤自杀倾向",
     "文本中出现跳楼、喝农药、活着没意思等自伤自杀言行时加的分；默认单独即达橙色。", SETTING_INT, 0,
     100, "40"},
    {"risk_w_extreme", "风险分值：文本：极端行为",
     "文本中出现同归于尽、放火、浇汽油、爆炸等极端言行时加的分；默认单独即达橙色。", SETTING_INT, 0,
     100, "40"},
    {"risk_w_petition", "风险分值：文本：越级上访",
     "文本中出现上访、赴省进京、越级反映等意向时加的分；默认单独即达橙色。", SETTING_INT, 0, 100,
     "40"},
    {"risk_w_group_action", "风险分值：文本：聚集堵路等群体行为",
     "文本中出现聚集、堵路、围堵、拉横幅、静坐等群体行为时加的分；默认单独即达橙色。", SETTING_INT,
     0, 100, "40"},
    {"risk_w_wage_protest", "风险分值：文本：聚众讨薪",
     "文本中出现讨薪时加的分（单纯追索工资不算）。", SETTING_INT, 0, 100, "15"},
    {"risk_w_text_more", "风险分值：文本：另有其他风险言行",
     "文本中出现第二类及以上风险言行时，每类另加的分。", SETTING_INT, 0, 100, "10"},
    {"risk_w_severe", "风险分值：文本：针对他人的杀害、放火、爆炸",
     "杀害、放火、爆炸或同归于尽等言行指向具体对象时另加的分；默认与上述任一类合计即达红色。",
     SETTING_INT, 0, 100, "30"},
    {"risk_w_collective", "风险分值：个人极端言行与群体叠加",
     "威胁、暴力、自伤或极端言行与群体性因素（人数或群体行为）同时出现时另加的分；默认合计即达红色"
     "。",
     SETTING_INT, 0, 100, "30"},
    {"risk_w_text_model", "风险分值：文本：模型整体研判",
     "文字规则未发现风险言行、而统计模型判断文本整体有激化风险（概率达到“模型研判阈值”）时加的分；"
     "默认单独即达橙色。",
     SETTING_INT, 0, 100, "40"},
    {"risk_text_model_threshold", "模型研判阈值（%）",
     "统计模型判断文本有激化风险的概率达到此百分比时计分；越高误报越少、漏报越多。", SETTING_INT,
     50, 99, "68"},
    {"risk_w_text_doubt", "风险分值：文本：模型认为不似激化时扣减",
     "文字规则发现风险言行、而统计模型判断文本整体不似激化（概率低于“模型存疑阈值”）时扣减的分；"
     "默认单一命中由橙色降为黄色，红色降为橙色。",
     SETTING_INT, 0, 100, "30"},
    {"risk_text_model_doubt", "模型存疑阈值（%）",
     "文字规则命中但统计模型判断的概率低于此百分比时扣减分值；0 为不扣减。", SETTING_INT, 0, 49,
     "20"},
    {"risk_w_amount", "风险分值：涉及金额较大", "涉及金额达到“涉及金额较大（元）”时加的分。",
     SETTING_INT, 0, 100, "10"},
    {"risk_w_amount_huge", "风险分值：涉及金额巨大", "涉及金额达到“涉及金额巨大（元）”时再加的分。",
     SETTING_INT, 0, 100, "10"},
    {"risk_w_sensitive", "风险分值：敏感领域",
     "征地拆迁、拖欠工资、金融借贷（非法集资）、涉军、医疗、校园纠纷加的分；默认单独为黄色。",
     SETTING_INT, 0, 100, "10"},
    {"risk_w_key_person", "风险分值：重点人员", "当事人中有重点人员时加的分。", SETTING_INT, 0, 100,
     "20"},
    {"risk_w_repeat", "风险分值：一年内多次纠纷", "同一当事人近12个月内另有纠纷时加的分。",
     SETTING_INT, 0, 100, "10"},
    {"risk_w_escalated", "风险分值：多次上报", "案件两次以上逐级上报时加的分。", SETTING_INT, 0,
     100, "10"},
    {"risk_w_sensitive_period", "风险分值：敏感时期", "所在地区处于敏感时期时加的分。", SETTING_INT,
     0, 100, "10"},
    {"risk_w_overdue", "风险分值：超过调处时限", "在办案件超过调处时限时加的分。", SETTING_INT, 0,
     100, "10"},
    {"risk_w_major", "风险分值：重大纠纷", "案件复杂程度为重大时加的分。", SETTING_INT, 0, 100,
     "20"},
    {"risk_w_difficult", "风险分值：疑难复杂", "案件复杂程度为疑难复杂时加的分。", SETTING_INT, 0,
     100, "10"},
    {"risk_w_urgent", "风险分值：紧急", "案件标记为紧急时加的分。", SETTING_INT, 0, 100, "10"},
    {"risk_yellow_at", "黄色（一般）风险起点分", "风险总分达到此值为黄色（一般）。", SETTING_INT, 1,
     1000, "10"},
    {"risk_orange_at", "橙色（较大）风险起点分",
     "风险总分达到此值为橙色（较大），须向联系领导和综治中心预警。", SETTING_INT, 1, 1000, "40"},
    {"risk_red_at", "红色（重大）风险起点分", "风险总分达到此值为红色（重大），须制定稳控方案。",
     SETTING_INT, 1, 1000, "70"},
    {"risk_amount_large", "涉及金额较大（元）",
     "纠纷涉及金额达到此数额时加“涉及金额较大”的分；0 不计。", SETTING_INT, 0, 10000000000L,
     "100000"},
    {"risk_amount_huge", "涉及金额巨大（元）",
     "纠纷涉及金额达到此数额时再加“涉及金额巨大”的分；0 不计。", SETTING_INT, 0, 10000000000L,
     "1000000"},
    {"risk_response_days_red", "红色（重大）风险响应时限（天）",
     "红色（重大）风险案件须在此天数内响应处置；0 "
     "为当日（地方通行做法：红色当日、橙色1日、黄色2日、蓝色3日）。",
     SETTING_INT, 0, 30, "0"},
    {"risk_response_days_orange", "橙色（较大）风险响应时限（天）",
     "橙色（较大）风险案件须在此天数内响应处置；0 "
     "为当日（地方通行做法：红色当日、橙色1日、黄色2日、蓝色3日）。",
     SETTING_INT, 0, 30, "1"},
    {"risk_response_days_yellow", "黄色（一般）风险响应时限（天）",
     "黄色（一般）风险案件须在此天数内响应处置；0 "
     "为当日（地方通行做法：红色当日、橙色1日、黄色2日、蓝色3日）。",
     SETTING_INT, 0, 30, "2"},
    {"risk_response_days_blue", "蓝色（低）风险响应时限（天）",
     "蓝色（低）风险案件须在此天数内响应处置；0 "
     "为当日（地方通行做法：红色当日、橙色1日、黄色2日、蓝色3日）。",
     SETTING_INT, 0, 30, "3"},
    /* Alerts (预警, docs/risk.md): how long the recipients have to acknowledge (签收) before
     * the alert goes to the level above. Local practice asks a red (重大) risk to be dealt
     * with the same day and an orange (较大) one within a day; acknowledging is the first
     * step of that response, so it gets a fraction of it. */
    {"alert_ack_minutes_red", "重大（红色）预警签收时限（分钟）",
     "重大风险预警须在此时限内签收；逾期未签收自动逐级上报上一级预警接收人。", SETTING_INT, 1, 1440,
     "60"},
    {"alert_ack_minutes_orange", "较大（橙色）预警签收时限（分钟）",
     "较大风险预警须在此时限内签收；逾期未签收自动逐级上报上一级预警接收人。", SETTING_INT, 1,
     10080, "240"},
    /* Notifications (docs/notifications.md): retries of a delivery wait base, 2 x base,
     * 4 x base ... seconds (at most a day) until the attempts run out; then it is a dead
     * letter an administrator may replay. */
    {"notify_retry_base_seconds", "通知重试间隔基数（秒）",
     "推送（Webhook、短信、邮件）失败后按此间隔的 1、2、4、8…… 倍重试，单次间隔最长一天。",
     SETTING_INT, 1, 86400, "30"},
    {"notify_max_attempts", "通知最多投递次数",
     "推送连续失败达到此次数后不再重试，进入死信列表，由管理员重发。", SETTING_INT, 1, 50, "8"},
    {"notify_lease_seconds", "通知投递租约（秒）",
     "服务器取出一条待投递通知后独占它的时间；服务器中途停止时，租约到期后由其他服务器或重启后的服"
     "务器"
     "重新投递。单次投递的超时为其一半。",
     SETTING_INT, 4, 3600, "60"},
    {"smtp_url", "邮件服务器地址",
     "发送通知邮件的 SMTP 服务器，如 smtp://mail.example.org:25 或 smtps://mail.example.org:465；"
     "留空则不发送邮件。",
     SETTING_TEXT, 0, 300, ""},
    {"smtp_from", "发件人地址", "通知邮件的发件人邮箱地址。", SETTING_TEXT, 0, 200,
     "jiefen@localhost"},
    /* Assessment (考核, docs/metrics.md "考核 (assessment)"): the weight of each indicator in
     * a unit's score. Weights are relative: the score divides by the sum of the weights of the
     * indicators that have data, so they need not add up to 100 (the defaults do). The seeds
     * name the indicators; the split is local practice, which each county sets itself. */
    {"assess_w_success", "考核权重：调解成功率",
     "考核得分中调解成功率所占的权重（与其他权重按比例折算为百分制）。", SETTING_INT, 0, 100, "40"},
    {"assess_w_overdue", "考核权重：未超期率", "考核得分中在办案件未超过调处时限的比例所占的权重。",
     SETTING_INT, 0, 100, "20"},
    {"assess_w_satisfaction", "考核权重：满意率", "考核得分中回访满意率所占的权重。", SETTING_INT,
     0, 100, "20"},
    {"assess_w_local", "考核权重：就地化解率", "考核得分中就地化解率所占的权重。", SETTING_INT, 0,
     100, "20"},
};

#define NDEFS (sizeof defs / sizeof defs[0])

size_t settings_count(void)
{
    return NDEFS;
}

const struct setting_def *settings_at(size_t i)
{
    return i < NDEFS ? &defs[i] : NULL;
}

const struct setting_def *settings_find(const char *key)
{
    for (size_t i = 0; key && i < NDEFS; i++)
        if (strcmp(defs[i].key, key) == 0)
            return &defs[i];
    return NULL;
}

/*
 * A meeting address template: empty (off), or an http(s) address with a host and the
 * {room} placeholder. It becomes a link on staff and citizens' pages, so nothing that
 * could end the address or the attribute it sits in: no spaces, quotes, angle brackets or
 * backslashes.
 */
static int meeting_template_check(const char *value, char *reason, size_t reasonlen)
{
    const char *host;

    if (!*value)
        return 0;
    if (strncmp(value, "https://", 8) == 0)
        host = value + 8;
    else if (strncmp(value, "http://", 7) == 0)
        host = value + 7;
    else {
        snprintf(reason, reasonlen, "must start with http:// or https://");
        return -1;
    }
    if (!*host || *host == '/' || *host == '{') {
        snprintf(reason, reasonlen, "must name the meeting server's host");
        return -1;
    }
    for (const unsigned char *p = (const unsigned char *)value; *p; p++)
        if (*p <= 0x20 || *p == 0x7f || strchr("\"'<>\\`", *p)) {
            snprintf(reason, reasonlen, "must not contain spaces, quotes, <, > or backslashes");
            return -1;
        }
    if (!strstr(value, "{room}")) {
        snprintf(reason, reasonlen, "must contain {room}");
        return -1;
    }
    return 0;
}

int settings_check(const struct setting_def *d, const char *value, char *reason, size_t reasonlen)
{
    char probe[512];
    char *end;
    long n;

    if (!value) {
        snprintf(reason, reasonlen, "is required");
        return -1;
    }
    if (d->kind == SETTING_TEXT) {
        size_t len = strlen(value);
        if ((long)len < d->min || (long)len > d->max) {
            snprintf(reason, reasonlen, "must be %ld to %ld bytes long", d->min, d->max);
            return -1;
        }
        if (strcmp(d->key, "meeting_url_template") == 0)
            return meeting_template_check(value, reason, reasonlen);
        /* Numbers are unique across the installation and counted per county and year:
         * all three fields must be in the format. A number is quoted in JSON and printed
         * on documents: no quotes or backslashes. */
        if (strcmp(d->key, "case_number_format") == 0 && strpbrk(value, "\"\\")) {
            snprintf(reason, reasonlen, "must not contain quotes or backslashes");
            return -1;
        }
        if (strcmp(d->key, "case_number_format") == 0 &&
            (!strstr(value, "{seq}") || !strstr(value, "{year}") || !strstr(value, "{county}") ||
             casenum_format(value, 2026, "涪城", 1, probe, sizeof probe) != 0)) {
            snprintf(reason, reasonlen, "must contain {year}, {county} and {seq}");
            return -1;
        }
        return 0;
    }
    errno = 0;
    n = strtol(value, &end, 10);
    if (!*value || *end || errno || n < d->min || n > d->max) {
        snprintf(reason, reasonlen, "must be a whole number from %ld to %ld", d->min, d->max);
        return -1;
    }
    return 0;
}

const char *settings_effective(const struct setting_def *d, const char *stored)
{
    char reason[96];

    return stored && settings_check(d, stored, reason, sizeof reason) == 0 ? stored : d->fallback;
}
