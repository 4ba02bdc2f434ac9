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
    {"referral_feedback_days", "移交反馈默认期限（工作日）",
     "移交、委托其他单位后，未指定时要求反馈的工作日数；逾期未反馈向督办岗预警。", SETTING_INT, 1,
     90, "15"},
    {"related_window_days", "关联案件查找范围（天）",
     "登记时查找同一当事人（身份证号或电话相同）、同一纠纷类别的在办案件的时间范围。", SETTING_INT,
     1, 3650, "365"},
    {"return_visit_sample_percent", "回访抽样比例（%）",
     "疑难复杂和重大案件结案后一律回访；其他案件按此比例抽样回访。", SETTING_INT, 0, 100, "20"},
    /* 在线调解 (视频调解): the centre's own video service; empty turns online mediation off. */
    {"meeting_url_template", "视频调解会议地址模板",
     "中心自有视频会议服务（如自建 Jitsi Meet）的会议地址，须以 http:// 或 https:// 开头并包含 "
     "{room}，系统为每件案件生成不可猜测的会议室号替换 {room}；例如 "
     "https://meet.example.org/jiefen-{room}。留空则不提供视频调解。",
     SETTING_TEXT, 0, 500, ""},
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
