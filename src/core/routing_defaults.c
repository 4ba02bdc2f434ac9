/*
 * routing_defaults.c - the default routing rules, from the seeds' procedure
 * (seed 002, 非诉讼纠纷化解工作程序 and 分级化解; seed 001, 小事不出村、大事不出镇、矛盾不上交):
 *
 * - simple family and neighbour disputes stay with the village mediation committee;
 * - land requisition and wage arrears involving many people go to the township centre
 *   with the competent department (administrative mediation);
 * - major disputes and group disputes (群体性, 50 people or more here) go to the county
 *   centre under a lead leader (包案领导);
 * - matters outside mediation's scope are referred, with a one-time notice (一次性告知);
 * - anything else is mediated where it arises (属地管理).
 *
 * Time limits: people's mediation normally within one month (the Ministry of Justice's
 * 人民调解工作若干规定: 调解纠纷一般在一个月内调结); administrative
 * mediation of collective matters 30 working days; major and group disputes 60 days.
 * The thresholds are configuration: administrators change them in the rule editor.
 */
#include "core/region.h"
#include "core/routing.h"

#define PEOPLE(lo, hi)                                                                             \
    .has_people_min = 1, .people_min = (lo), .has_people_max = (hi) > 0, .people_max = (hi)

const struct routing_default routing_defaults[] = {
    {"简易婚姻家庭纠纷村级调解",
     {.category = "marriage_family", .region_level = REGION_VILLAGE, .complexity = "simple"},
     {"village", "mediation_committee", NULL, "people_mediation", 30, "calendar", 0},
     {"人民调解申请", NULL}},
    {"简易邻里纠纷村级调解",
     {.category = "neighbour", .region_level = REGION_VILLAGE, .complexity = "simple"},
     {"village", "mediation_committee", NULL, "people_mediation", 30, "calendar", 0},
     {"人民调解申请", NULL}},
    {"多人征地拆迁纠纷乡镇联调",
     {.category = "land_requisition", PEOPLE(10, 49)},
     {"township", "center", "自然资源", "administrative_mediation", 30, "business", 0},
     {"人民调解申请", "行政复议申请", NULL}},
    {"多人欠薪纠纷乡镇联调",
     {.category = "wage_arrears", PEOPLE(10, 49)},
     {"township", "center", "人力资源和社会保障", "administrative_mediation", 30, "business", 0},
     {"劳动保障监察投诉", "劳动人事争议仲裁申请", NULL}},
    {"群体性纠纷（简易）县级包案",
     {.complexity = "simple", PEOPLE(50, 0)},
     {"county", "center", NULL, "people_mediation", 60, "calendar", 1},
     {"人民调解申请", NULL}},
    {"群体性纠纷（一般）县级包案",
     {.complexity = "ordinary", PEOPLE(50, 0)},
     {"county", "center", NULL, "people_mediation", 60, "calendar", 1},
     {"人民调解申请", NULL}},
    {"群体性纠纷（疑难复杂）县级包案",
     {.complexity = "difficult", PEOPLE(50, 0)},
     {"county", "center", NULL, "people_mediation", 60, "calendar", 1},
     {"人民调解申请", NULL}},
    {"重大纠纷县级包案",
     {.complexity = "major"},
     {"county", "center", NULL, "people_mediation", 60, "calendar", 1},
     {"人民调解申请", NULL}},
    {"涉嫌违法犯罪移交公安",
     {.category = "criminal"},
     {"local", "police", NULL, "refer_police", 3, "business", 0},
     {"治安案件报案", NULL}},
    {"行政争议引导行政复议",
     {.category = "administrative"},
     {"county", "reconsideration", NULL, "refer_reconsideration", 5, "business", 0},
     {"行政复议申请", "法律援助申请", NULL}},
    {"其他纠纷属地调解",
     {0},
     {"local", "mediation_committee", NULL, "people_mediation", 30, "calendar", 0},
     {"人民调解申请", NULL}},
};

const int routing_ndefaults = (int)(sizeof routing_defaults / sizeof routing_defaults[0]);
