#include "core/org.h"

#include <string.h>

static const char *const org_types[] = {
    "center",              /* 社会矛盾纠纷调处化解中心 */
    "mediation_committee", /* 人民调解委员会 */
    "studio",              /* 派驻调解工作室, 个人调解室 */
    "department",          /* 行政机关 (行政调解) */
    "court",               /* 法院 / 法庭 (诉调对接) */
    "procuratorate",       /* 检察院 (检调) */
    "police",              /* 公安 (警调) */
    "petition_bureau",     /* 信访局 (访调) */
    "legal_aid",           /* 法律援助 (援调) */
    "arbitration",         /* 劳动人事争议仲裁 */
    "reconsideration",     /* 行政复议 */
    "law_firm",            /* 律师事务所 (律师调解) */
};

int org_type_valid(const char *type)
{
    for (size_t i = 0; type && i < sizeof org_types / sizeof org_types[0]; i++)
        if (strcmp(type, org_types[i]) == 0)
            return 1;
    return 0;
}

int org_status_valid(const char *status)
{
    return status && (strcmp(status, "active") == 0 || strcmp(status, "suspended") == 0);
}
