/*
 * cmd_demo_cases.c - `jiefen demo --cases N`: realistic cases for the demo county, in every
 * state, channel and category, written in bulk transactions so that a million take minutes.
 *
 * Category shares (per mille) follow official statistics where any were found, and
 * docs/demo-data.md cites each source and shows the realised shares:
 * - OFFICIAL, national: 婚姻家庭 19.7 %, 房屋宅基地 6.9 %, 损害赔偿 8.1 %, and 22.9 % for
 *   the row we read as 邻里 (its label is not legible in the copy we had), of 8,935,341
 *   disputes mediated in 2011 (中国统计年鉴2012, table 23-9 调解民间纠纷分类, National
 *   Bureau of Statistics).  That table gives no other type.
 * - ESTIMATES: the other 42.4 % is split in proportion to the counts of the 11 other types
 *   in one official local report (黄石市司法局, August 2016, 869 disputes), so those shares
 *   are one city's mix scaled to the national remainder, not national figures.
 * - OUR ASSUMPTIONS: 劳动争议 split into labour and wage_arrears, and 其他 into
 *   village_affairs, finance, administrative, campus, criminal, military and other; no
 *   source breaks these out.
 * The mediation success rate (agreed over agreed plus failed) is set near the official
 * "96 % 以上" (司法部, 2018) and 黄石's 96.9 %.  Channels, complexity and the share of
 * cases still open are approximations for a believable demo, NOT official figures.
 * Names, ID numbers, phones and facts are made up; ID numbers carry valid check digits
 * so that they pass the same checks as real ones.
 */
#include "case/case.h"
#include "cli/cli.h"
#include "cli/demo_bulk.h"
#include "core/casenum.h"
#include "core/timefmt.h"
#include "seal/seal.h"
#include "store/audit.h"
#include "store/cases.h"
#include "store/regions.h"
#include "store/risk.h"
#include "text/text.h"
#include "watch/stats.h"
#include "watch/trend.h"

#include <pthread.h>
#include <sys/resource.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BATCH 5000

struct weighted {
    const char *code;
    int weight;
};

/* Per mille; see the header and docs/demo-data.md for which shares are official. */
static const struct weighted categories[] = {
    /* official (national, 2011) */
    {"neighbour", 229},
    {"marriage_family", 197},
    {"damages", 81},
    {"housing_homestead", 69},
    /* estimates: national remainder split as in the 黄石 report */
    {"medical", 81},
    {"contract", 65},
    {"traffic", 49},
    {"business", 46},
    {"land_requisition", 41},
    {"land_forest", 26},
    {"consumer", 10},
    {"environment", 6},
    {"property_mgmt", 1},
    /* assumptions: 劳动争议 (19) split in two */
    {"labour", 10},
    {"wage_arrears", 9},
    /* assumptions: 其他 (80) split among our codes the statistics do not name */
    {"other", 29},
    {"village_affairs", 25},
    {"finance", 15},
    {"administrative", 5},
    {"campus", 3},
    {"criminal", 2},
    {"military", 1},
};
static const struct weighted channels[] = {
    {"walk_in", 40},
    {"phone", 15},
    {"grid_report", 15},
    {"investigation", 10},
    {"online", 8},
    {"court_delegation", 4},
    {"police_transfer", 3},
    {"letter", 2},
    {"petition_transfer", 2},
    {"department_transfer", 1},
};
static const struct weighted complexities[] = {
    {"simple", 55},
    {"ordinary", 30},
    {"difficult", 12},
    {"major", 3},
};

/* Final states and the actions that lead there (all allowed by core/case_fsm.c).  Weights
 * are per mille of cases.  Of the cases whose mediation ended, agreed (agreed, closed,
 * archived: 718) against failed (24) is 96.8 %, within the official success rate cited in
 * the header; how many cases are still open, referred, escalated or reopened is an
 * approximation.  Open cases are mostly recent (see the intake days below). */
static const struct {
    const char *state;
    int weight;
    const char *actions[8];
    const char *states[8];
    const char *level; /* responsible level at the end; NULL: the village */
} paths[] = {
    {"registered", 30, {NULL}, {NULL}, NULL},
    /* 不予受理: outside people's mediation, told where to go (one-time notice). */
    {"rejected", 10, {"reject", NULL}, {"rejected"}, NULL},
    {"accepted", 40, {"accept", NULL}, {"accepted"}, NULL},
    {"referred", 20, {"accept", "refer", NULL}, {"accepted", "referred"}, NULL},
    {"assigned", 50, {"accept", "assign", NULL}, {"accepted", "assigned"}, NULL},
    {"mediating",
     76,
     {"accept", "assign", "record_session", NULL},
     {"accepted", "assigned", "mediating"},
     NULL},
    {"suspended",
     10,
     {"accept", "assign", "record_session", "suspend", NULL},
     {"accepted", "assigned", "mediating", "suspended"},
     NULL},
    {"agreed",
     50,
     {"accept", "assign", "record_session", "record_session", "agree", NULL},
     {"accepted", "assigned", "mediating", "mediating", "agreed"},
     NULL},
    {"failed",
     24,
     {"accept", "assign", "record_session", "record_session", "record_session", "fail", NULL},
     {"accepted", "assigned", "mediating", "mediating", "mediating", "failed"},
     NULL},
    {"withdrawn", 10, {"accept", "withdraw", NULL}, {"accepted", "withdrawn"}, NULL},
    /* Escalated after three attempts (三三制): back to accepted, now the township's. */
    {"accepted",
     8,
     {"accept", "assign", "record_session", "record_session", "record_session", "escalate", NULL},
     {"accepted", "assigned", "mediating", "mediating", "mediating", "accepted"},
     "township"},
    /* Closed, then reopened on a recurrence found at the return visit. */
    {"accepted",
     4,
     {"accept", "assign", "record_session", "agree", "close", "reopen", NULL},
     {"accepted", "assigned", "mediating", "agreed", "closed", "accepted"},
     NULL},
    {"closed",
     528,
     {"accept", "assign", "record_session", "agree", "close", NULL},
     {"accepted", "assigned", "mediating", "agreed", "closed"},
     NULL},
    {"archived",
     140,
     {"accept", "assign", "record_session", "agree", "close", "archive", NULL},
     {"accepted", "assigned", "mediating", "agreed", "closed", "archived"},
     NULL},
};

static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周",
                                       "徐", "孙", "马", "朱", "胡", "郭", "何", "林", "罗", "高",
                                       "郑", "梁", "谢", "宋", "唐", "许", "邓", "冯", "韩", "曹"};
static const char *const given[] = {"伟",   "芳",   "娜",   "秀英", "敏", "静", "丽",   "强",
                                    "磊",   "军",   "洋",   "勇",   "艳", "杰", "娟",   "涛",
                                    "明",   "超",   "秀兰", "霞",   "平", "刚", "桂英", "建国",
                                    "建华", "志强", "文",   "玉兰", "海", "红"};

/* Facts: {a} and {b} are the parties, {n} a number, {y} an amount in yuan. */
static const struct {
    const char *category;
    const char *facts, *claims;
} templates[] = {
    {"neighbour", "{a}与邻居{b}因房屋排水沟堵塞问题多次发生口角，{b}家污水流入{a}院内。",
     "请求{b}疏通排水沟并赔礼道歉。"},
    {"neighbour", "{b}在自家屋后搭建彩钢棚，遮挡{a}家采光，双方协商未果。", "请求拆除彩钢棚。"},
    {"neighbour", "{a}反映楼上住户{b}夜间噪音扰民，持续{n}个月，影响老人休息。",
     "请求{b}夜间保持安静。"},
    {"neighbour", "{a}与{b}因公共通道堆放杂物发生争执，险些发生肢体冲突。", "请求清理通道杂物。"},
    {"marriage_family",
     "{a}与{b}结婚{n}年，因家庭琐事长期不和，{a}提出离婚，双方就子女抚养权存在争议。",
     "请求协商子女抚养和财产分割。"},
    {"marriage_family", "{a}年迈，子女{b}等人对赡养费用分担意见不一，老人生活困难。",
     "请求子女按月支付赡养费{y}元。"},
    {"damages", "{b}驾驶电动车将{a}撞伤，{a}住院{n}天，花费医疗费{y}元。",
     "请求赔偿医疗费、误工费。"},
    {"damages", "{b}家饲养的狗咬伤{a}，{a}注射狂犬疫苗花费{y}元。", "请求赔偿医药费{y}元。"},
    {"housing_homestead",
     "{a}与{b}两家宅基地相邻，因界址不清，{b}新建房屋占用{a}宅基地约{n}平方米。",
     "请求确认界址并恢复原状。"},
    {"contract", "{a}为{b}装修房屋，约定工程款{y}元，完工后{b}以质量问题为由拒付尾款。",
     "请求支付剩余工程款。"},
    {"contract", "{a}借给{b}人民币{y}元，约定一年内归还，到期后{b}拒不归还。",
     "请求归还借款{y}元。"},
    {"land_forest", "{a}与{b}因承包地边界及林木归属发生争议，双方各执一词。",
     "请求按原承包合同确认边界。"},
    {"traffic", "{b}驾驶小型汽车与{a}的摩托车相撞，交警认定{b}负主要责任，双方就赔偿数额分歧较大。",
     "请求赔偿车辆维修费和医疗费共{y}元。"},
    {"labour", "{a}在{b}经营的加工厂务工{n}个月，被辞退后未获经济补偿。", "请求支付经济补偿金。"},
    {"wage_arrears", "{n}名农民工在{b}承建的工地务工，被拖欠工资共计{y}元，多次讨要未果。",
     "请求支付拖欠的全部工资。"},
    {"property_mgmt", "{a}所在小区物业公司{b}服务不到位，电梯长期故障，{a}拒交物业费。",
     "请求物业公司维修电梯后再协商缴费。"},
    {"village_affairs", "{a}等村民对村集体土地流转收益分配方案有异议，认为分配不公开。",
     "请求公开收益明细并重新讨论分配方案。"},
    {"land_requisition", "{a}等{n}户村民对征地补偿标准有异议，认为地上附着物补偿偏低。",
     "请求重新评估附着物并提高补偿。"},
    {"business", "{a}与合伙人{b}因合伙经营的餐馆亏损分担问题产生纠纷。", "请求清算合伙账目。"},
    {"environment", "{b}经营的养殖场臭味和污水影响周边住户，{a}等多户村民反映强烈。",
     "请求养殖场整改污染。"},
    {"medical", "{a}在诊所就诊后病情加重，认为{b}诊所存在过错。", "请求赔偿医疗费及精神损失。"},
    {"consumer", "{a}在{b}的商店购买的家电出现质量问题，商家拒绝退换。", "请求退货退款。"},
    {"finance", "{a}为{b}的贷款提供担保，{b}逾期未还，银行要求{a}承担责任。",
     "请求{b}偿还贷款并承担担保损失。"},
    {"other", "{a}与{b}因日常琐事发生纠纷，双方情绪激动。", "请求调解化解矛盾。"},
    /* Disputes that may intensify (人民调解法 art. 25), as a clerk records them: the risk
     * model reads them (docs/risk.md). */
    {"neighbour", "{a}与{b}因宅前道路通行多次争吵，{a}扬言要放火烧了{b}家的房子。",
     "请求{b}让出通道。"},
    {"land_requisition",
     "{a}等{n}户村民认为征地补偿款被克扣，多次聚集到镇政府，称再不解决就集体去省里上访。",
     "请求公开补偿款发放明细。"},
    {"marriage_family", "{a}因丈夫{b}长期酗酒家暴提出离婚未果，近日对邻居说活着没意思，不想活了。",
     "请求解除婚姻关系。"},
    {"medical",
     "{a}的母亲在{b}所在的卫生院输液后出现过敏反应，转院治疗花费{y}元，"
     "双方对是否存在医疗过错争执不下。",
     "请求卫生院承担医疗费用并赔礼道歉。"},
    {"housing_homestead",
     "{a}向{b}购买农村房屋一处，付款{y}元后，{b}的子女以未经同意为由要求收回房屋。",
     "请求继续履行房屋买卖约定。"},
    {"traffic",
     "{a}骑电动自行车与{b}驾驶的三轮车发生刮擦，{a}受伤住院{n}天，双方对责任划分存在分歧。",
     "请求按责任比例赔偿医疗费、误工费。"},
    {"business", "{a}与{b}相邻经营农家乐，{b}在{a}店门口摆放招牌招揽客人，双方多次发生争吵。",
     "请求{b}移走招牌，公平经营。"},
    {"land_requisition",
     "{a}家房屋被列入棚户区改造范围，对评估面积及过渡安置费标准有异议，"
     "与拆迁工作人员{b}多次协商未果。",
     "请求重新测量面积并按标准发放过渡安置费。"},
    {"campus",
     "{a}之子在{b}任班主任的班级就读，课间与同学追逐打闹时摔伤，花费医疗费{y}元，"
     "双方对学校管理责任认识不一。",
     "请求学校承担相应赔偿责任。"},
    {"military", "{a}之子在部队服役，{b}占用其家承包地耕种{n}年，拒不归还。",
     "请求归还承包地，维护军属合法权益。"},
    {"criminal", "{a}反映{b}以介绍工作为名收取其“好处费”{y}元后失去联系，疑似诈骗。",
     "请求追回钱款并依法处理。"},
    {"administrative",
     "{a}对镇政府作出的限期拆除决定不服，认为其房屋系{n}年前经批准建造，"
     "经办人{b}未听取其陈述申辩。",
     "请求撤销限期拆除决定。"},
};
#define NTEMPLATES (sizeof templates / sizeof templates[0])

/* A template of the category, uniformly among that category's templates, or -1 if it has
 * none.  The category is never replaced, so the realised shares are the weights above. */
static int template_of(const char *category, uint64_t r)
{
    size_t count = 0;
    for (size_t t = 0; t < NTEMPLATES; t++)
        count += strcmp(templates[t].category, category) == 0;
    if (count == 0)
        return -1;
    r %= count;
    for (size_t t = 0; t < NTEMPLATES; t++)
        if (strcmp(templates[t].category, category) == 0 && r-- == 0)
            return (int)t;
    return -1;
}

/* A small fast generator: the demo is reproducible for a given seed. */
static uint64_t rng_state = 88172645463325252ull;
static uint64_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* An outcome by weight: an index into paths[]. */
static int roll_path(void)
{
    int total = 0, roll, i;

    for (size_t k = 0; k < sizeof paths / sizeof paths[0]; k++)
        total += paths[k].weight;
    roll = (int)(rnd() % (uint64_t)total);
    for (i = 0; roll >= paths[i].weight; i++)
        roll -= paths[i].weight;
    return i;
}

/* Whether a path leaves the case still open (not rejected, withdrawn, closed or archived). */
static int path_open(int i)
{
    return strcmp(paths[i].state, "withdrawn") != 0 && strcmp(paths[i].state, "closed") != 0 &&
           strcmp(paths[i].state, "archived") != 0 && strcmp(paths[i].state, "rejected") != 0;
}

static const char *pick(const struct weighted *w, size_t n)
{
    int total = 0, r;
    for (size_t i = 0; i < n; i++)
        total += w[i].weight;
    if (total <= 0) /* an all-zero table: take its first entry rather than divide by 0 */
        return n ? w[0].code : NULL;
    r = (int)(rnd() % (uint64_t)total);
    for (size_t i = 0; i < n; i++) {
        if (r < w[i].weight)
            return w[i].code;
        r -= w[i].weight;
    }
    return w[0].code;
}

static void person(char *out, size_t n)
{
    snprintf(out, n, "%s%s", surnames[rnd() % (sizeof surnames / sizeof surnames[0])],
             given[rnd() % (sizeof given / sizeof given[0])]);
}

/* A resident ID number of the county with a valid check character. */
static void resident_id(char *out, int32_t birth_day)
{
    static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    char date[16];
    int sum = 0;

    timefmt_day(birth_day, date, sizeof date);
    snprintf(out, 20, "510703%.4s%.2s%.2s%03d", date, date + 5, date + 8, (int)(rnd() % 1000));
    for (int i = 0; i < 17; i++)
        sum += (out[i] - '0') * w[i];
    out[17] = "10X98765432"[sum % 11];
    out[18] = '\0';
}

/* Replaces {a} {b} {n} {y} in a template. */
static void fill(const char *tpl, const char *a, const char *b, char *out, size_t n)
{
    size_t k = 0;
    char num[24];

    for (const char *p = tpl; *p && k + 1 < n;) {
        const char *rep = NULL;
        if (p[0] == '{' && p[2] == '}') {
            if (p[1] == 'a')
                rep = a;
            else if (p[1] == 'b')
                rep = b;
            else if (p[1] == 'n')
                snprintf(num, sizeof num, "%d", 2 + (int)(rnd() % 30)), rep = num;
            else if (p[1] == 'y')
                snprintf(num, sizeof num, "%d", 500 + (int)(rnd() % 200) * 500), rep = num;
        }
        if (rep) {
            k += (size_t)snprintf(out + k, n - k, "%s", rep);
            p += 3;
        } else {
            out[k++] = *p++;
        }
    }
    out[k < n ? k : n - 1] = '\0';
}

/* FNV-1a: a hash of a party's ID number or phone, to find the people of several cases. */
static uint64_t hash_of(const char *s)
{
    uint64_t h = 14695981039346656037ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

struct who {
    uint64_t h;
    long i;
};

static int who_cmp(const void *x, const void *y)
{
    const struct who *a = x, *b = y;
    return a->h < b->h ? -1 : a->h > b->h;
}

/* Marks need[i] for every case whose hash h[i] another case shares (a repeat dispute for
 * the risk model: store/risk.c counts the same people's other cases). */
static int mark_shared(const uint64_t *h, long n, unsigned char *need)
{
    struct who *w = malloc((size_t)(n ? n : 1) * sizeof *w);

    if (!w)
        return -1;
    for (long i = 0; i < n; i++)
        w[i] = (struct who){h[i], i};
    qsort(w, (size_t)n, sizeof *w, who_cmp);
    for (long i = 1; i < n; i++)
        if (w[i].h == w[i - 1].h)
            need[w[i].i] = need[w[i - 1].i] = 1;
    free(w);
    return 0;
}

/*
 * The regrade after a load (docs/risk.md) through the case module: every case whose grade
 * may move from its intake grade, or all of them when something outside the generated
 * cases could move one (earlier cases, stored weights, sensitive periods).
 */
static store_err regrade_loaded(const struct case_env *env, long n, const int64_t *ids,
                                const uint64_t *idh, const uint64_t *phh, unsigned char *need,
                                int64_t first_id)
{
    struct store_rows *w = NULL, *p = NULL;
    struct case_out out = {0};
    int64_t moved = 0, *list = NULL;
    size_t k = 0;
    store_err e = store_risk_settings(env->conn, &w);

    if (e == STORE_OK)
        e = store_one(env->conn, "SELECT COUNT(*) FROM sensitive_periods", 0, NULL, "i", "periods",
                      &p);
    if (e != STORE_OK)
        goto out;
    if (first_id > 1 || w->nrows || store_rows_int(p, 0, 0)) {
        e = case_risk_regrade_all(env, &moved, &out) == CASE_OK ? STORE_OK : out.store;
        goto out;
    }
    list = malloc((size_t)(n ? n : 1) * sizeof *list);
    if (!list || mark_shared(idh, n, need) || mark_shared(phh, n, need)) {
        store_conn_seterr(env->conn, "out of memory");
        e = STORE_ERROR;
        goto out;
    }
    for (long i = 0; i < n; i++)
        if (need[i])
            list[k++] = ids[i];
    fprintf(stderr, "demo: %zu of %ld cases may grade otherwise than at intake\n", k, n);
    e = case_risk_regrade_ids(env, list, k, &moved, &out) == CASE_OK ? STORE_OK : out.store;
out:
    free(list);
    store_rows_free(w);
    store_rows_free(p);
    return e;
}

/*
 * The generator's pipeline. The main thread draws every random number of a batch in the
 * seed's order (the register is the same for a seed whatever the thread count) and is the
 * one writer; worker threads do what costs CPU without the database on the next batch
 * while the writer writes this one: sealing, OpenCC normalising, search terms and the
 * regrade test (docs/performance.md, generator). Each worker has its own OpenCC handle
 * (text.h: a shared one serialises conversions).
 */
struct gen {
    struct store_case_raw r;
    char number[128], facts[512], claims[256], a[32], bb[32], idn[20], phone[16], due[16];
    char meds_json[32], idx_id[SEAL_INDEX_LEN], idx_ph[SEAL_INDEX_LEN];
    char *s_id, *s_ph, *s_addr, *norm, *terms;
    unsigned char need, failed;
};

/* What the draw reads, and the per-year number ranges it advances. */
struct draw_ctx {
    const struct store_rows *places, *meds, *leader;
    const int32_t *days;
    const unsigned char *path_of;
    const char *shortname;
    int64_t *first;
    int base_year, referred;
};

/* One worker's share of a batch: cases off, off + stride, ... */
struct prep {
    struct gen *g;
    long n;
    int off, stride;
    const struct seal *key;
    struct text *text;
    const char *today;
    pthread_t th;
};

#define MAX_WORKERS 16

/* Draws case i (all its random numbers) into g; nothing here is sealed or normalised. */
static void draw_case(const struct draw_ctx *x, long i, struct gen *g)
{
    struct store_case_raw *r = &g->r;
    int32_t day = x->days[i], birth;
    char y[16];
    /* 人民调解 does not take suspected crimes or administrative disputes: like
     * core/routing_defaults.c, they go to the police or to 行政复议. */
    const char *refer = NULL;
    int place = (int)(rnd() % (uint64_t)x->places->nrows), path_i, t, yi;
    const char *category = pick(categories, sizeof categories / sizeof categories[0]);

    memset(g, 0, sizeof *g);
    timefmt_day(day, y, sizeof y);
    yi = atoi(y) - x->base_year >= 0 && atoi(y) - x->base_year < 8 ? atoi(y) - x->base_year : 0;
    casenum_format(CASENUM_DEFAULT_FORMAT, x->base_year + yi, x->shortname, (long)x->first[yi]++,
                   g->number, sizeof g->number);
    person(g->a, sizeof g->a);
    person(g->bb, sizeof g->bb);
    t = template_of(category, rnd());
    fill(templates[t].facts, g->a, g->bb, g->facts, sizeof g->facts);
    fill(templates[t].claims, g->a, g->bb, g->claims, sizeof g->claims);
    birth = (int32_t)(-3650 + (int32_t)(rnd() % 15000));
    resident_id(g->idn, birth);
    snprintf(g->phone, sizeof g->phone, "1%d%09d", 3 + (int)(rnd() % 7), (int)(rnd() % 1000000000));
    path_i = x->path_of[i];
    if (strcmp(category, "criminal") == 0)
        refer = "refer_police";
    else if (strcmp(category, "administrative") == 0)
        refer = "refer_reconsideration";
    if (refer)
        path_i = x->referred;
    r->in.channel = pick(channels, sizeof channels / sizeof channels[0]);
    r->in.category = category;
    r->in.complexity = pick(complexities, sizeof complexities / sizeof complexities[0]);
    r->in.facts = g->facts;
    r->in.claims = g->claims;
    r->in.region_id = store_rows_int(x->places, place, 0);
    r->in.has_people = 1;
    r->in.people = strcmp(category, "wage_arrears") == 0 ? 10 + (int64_t)(rnd() % 50) : 2;
    r->in.nparties = 2;
    r->number = g->number;
    r->state = paths[path_i].state;
    r->region_path = store_rows_get(x->places, place, 1);
    /* Places are villages and grids; a grid's village handles it, unless escalated. */
    r->level = paths[path_i].level ? paths[path_i].level : "village";
    r->received_at = (int64_t)day * 86400000 - 8LL * 3600 * 1000 + 9LL * 3600 * 1000 +
                     (int64_t)(rnd() % (8 * 3600)) * 1000;
    r->actions = paths[path_i].actions;
    r->states = paths[path_i].states;
    if (strcmp(r->state, "registered") != 0 && strcmp(r->state, "rejected") != 0) {
        timefmt_day(day + 30, g->due, sizeof g->due);
        r->method = refer ? refer : "people_mediation";
        r->time_limit_days = 30;
        r->time_limit_kind = "calendar";
        r->due_date = g->due;
    }
    if (x->meds->nrows && paths[path_i].actions[0] && paths[path_i].actions[1] &&
        strcmp(paths[path_i].actions[1], "assign") == 0) {
        int m = (int)(rnd() % (uint64_t)x->meds->nrows);
        snprintf(g->meds_json, sizeof g->meds_json, "[%lld]",
                 (long long)store_rows_int(x->meds, m, 0));
        r->mediator_ids = g->meds_json;
        r->resp_org_id = store_rows_int(x->meds, m, 1);
        /* A lead leader answers for the difficult and major matters (包案). */
        if (x->leader->nrows && (strcmp(r->in.complexity, "difficult") == 0 ||
                                 strcmp(r->in.complexity, "major") == 0)) {
            r->lead_leader = store_rows_get(x->leader, 0, 1);
            r->lead_leader_id = store_rows_int(x->leader, 0, 0);
        }
    }
    /* Attempts count per level: escalating or reopening starts the count anew. */
    for (int k = 0; r->actions[k]; k++)
        r->sessions = strcmp(r->actions[k], "escalate") == 0 || strcmp(r->actions[k], "reopen") == 0
                          ? 0
                          : r->sessions + (strcmp(r->actions[k], "record_session") == 0);
}

/* The CPU work of one drawn case: sealed identifiers, search terms, the regrade test. */
static void prep_case(const struct prep *p, struct gen *g)
{
    char joined[1024];

    seal_index(p->key, "id", g->idn, g->idx_id);
    seal_index(p->key, "phone", g->phone, g->idx_ph);
    g->s_id = seal_encrypt(p->key, g->idn);
    g->s_ph = seal_encrypt(p->key, g->phone);
    g->s_addr = seal_encrypt(p->key, "绵阳市涪城区");
    g->r.in.parties[0] = (struct store_party_in){
        "applicant", "person", g->a, g->s_id, g->idx_id, g->s_ph, g->idx_ph, g->s_addr, NULL};
    g->r.in.parties[1] =
        (struct store_party_in){"respondent", "person", g->bb, NULL, NULL, NULL, NULL, NULL, NULL};
    snprintf(joined, sizeof joined, "%s %s %s %s", g->facts, g->claims, g->a, g->bb);
    g->norm = text_normalise(p->text, joined);
    g->terms = g->norm ? text_bigrams(g->norm) : NULL;
    g->r.in.search_terms = g->terms;
    g->failed = !g->s_id || !g->s_ph || !g->s_addr;
    g->need = (unsigned char)demo_bulk_may_regrade(p->text, &g->r, p->today);
}

static void *prep_run(void *arg)
{
    const struct prep *p = arg;

    for (long i = p->off; i < p->n; i += p->stride)
        prep_case(p, &p->g[i]);
    return NULL;
}

/* Starts the workers on a batch; a worker that cannot start does its share when joined. */
static void prep_start(struct prep *w, int nw, struct gen *g, long n)
{
    for (int k = 0; k < nw; k++) {
        w[k].g = g;
        w[k].n = n;
        w[k].off = k;
        w[k].stride = nw;
        if (pthread_create(&w[k].th, NULL, prep_run, &w[k]) != 0)
            w[k].n = -n; /* not started: run inline in prep_join */
    }
}

static void prep_join(struct prep *w, int nw)
{
    for (int k = 0; k < nw; k++) {
        if (w[k].n < 0) {
            w[k].n = -w[k].n;
            prep_run(&w[k]);
        } else {
            pthread_join(w[k].th, NULL);
        }
    }
}

static void gen_free(struct gen *g)
{
    free(g->s_id);
    free(g->s_ph);
    free(g->s_addr);
    free(g->norm);
    free(g->terms);
    g->s_id = g->s_ph = g->s_addr = g->norm = g->terms = NULL;
}

/* Draws the next batch of at most BATCH cases into g; returns how many. */
static long draw_batch(const struct draw_ctx *x, struct gen *g, long *drawn, long n)
{
    long k = 0;

    for (; k < BATCH && *drawn < n; k++, (*drawn)++)
        draw_case(x, *drawn, &g[k]);
    return k;
}

/* CPU seconds of the process so far (all threads): on a shared machine the wall time of a
 * phase says more about the neighbours than about the generator. */
static double cpu_s(void)
{
    struct rusage u;

    if (getrusage(RUSAGE_SELF, &u) != 0)
        return 0;
    return (double)(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           (double)(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

/* Wall seconds since `t0` (ms), beside the CPU seconds of a phase: on PostgreSQL most of
 * the work is the server's, which the client's CPU time does not count. */
static double wall_s(int64_t t0)
{
    return (double)(store_now_ms() - t0) / 1000.0;
}

/*
 * One batch on PostgreSQL: its cases through the case module's bulk door (a COPY per
 * table, store_case_insert_raw_many) and their statistics keys in one more COPY; ids[i]
 * gets case i's id. One round trip per table instead of some forty statements a case.
 */
static store_err load_batch_pg(const struct case_env *env, struct gen *g, long n, int64_t *ids,
                               struct store_copybuf *keys)
{
    const struct store_case_raw *raws[BATCH];
    struct case_out out = {0};

    for (long i = 0; i < n; i++)
        raws[i] = &g[i].r;
    if (case_load_many(env, raws, n, ids, &out) != CASE_OK)
        return out.store;
    store_copybuf_clear(keys);
    for (long i = 0; i < n; i++)
        demo_bulk_case_keys_copy(keys, ids[i], raws[i]);
    if (keys->failed) {
        store_conn_seterr(env->conn, "out of memory");
        return STORE_ERROR;
    }
    return store_copy(env->conn, "COPY stat_case_keys (case_id, metric, day) FROM STDIN",
                      keys->data, keys->len);
}

/* How many workers prepare cases: JIEFEN_DEMO_THREADS, else one per online CPU. */
static int worker_count(void)
{
    const char *v = getenv("JIEFEN_DEMO_THREADS");
    long n = v && *v ? strtol(v, NULL, 10) : sysconf(_SC_NPROCESSORS_ONLN);

    return n < 1 ? 1 : n > MAX_WORKERS ? MAX_WORKERS : (int)n;
}

int demo_cases(struct store_conn *c, const struct cli_db *db, long n, unsigned long seed)
{
    struct store_actor sys;
    struct store_rows *places = NULL, *county = NULL, *meds = NULL, *leader = NULL;
    struct seal *key = NULL;
    char keyfile[4096], err[256], shortname[64];
    int64_t county_id, now = store_now_ms(), first[8] = {0}, first_id = 1;
    struct store_rows *maxid = NULL;
    int32_t today = (int32_t)((now + 8LL * 3600 * 1000) / 86400000);
    long per_year[8] = {0}, done = 0;
    int32_t *days = NULL;
    unsigned char *path_of = NULL;     /* each case's outcome, an index into paths[] */
    unsigned char *need = NULL;        /* each case's grade may move at the regrade */
    int64_t *ids = NULL;               /* each case's id */
    uint64_t *idh = NULL, *phh = NULL; /* hashes of each applicant's ID number and phone */
    char today_s[16];
    int base_year, rc = 1, referred = 0;
    struct case_env env = {c, &sys, NULL, NULL, NULL, today, NULL};
    struct case_out out = {0};
    struct gen *gens[2] = {NULL, NULL};
    struct prep workers[MAX_WORKERS];
    struct text *texts[MAX_WORKERS] = {NULL};
    struct draw_ctx dx;
    long nb[2] = {0, 0}, drawn = 0;
    int nw = worker_count(), cur = 0;
    struct store_copybuf keys = {0}; /* PostgreSQL: a batch's stat_case_keys rows */
    store_err e;

    /* Every weighted category needs a template, or its share could not be realised. */
    for (size_t i = 0; i < sizeof categories / sizeof categories[0]; i++)
        if (template_of(categories[i].code, 0) < 0) {
            cli_error("demo", "no case template of category %s", categories[i].code);
            goto out;
        }
    for (size_t k = 0; k < sizeof paths / sizeof paths[0]; k++)
        if (strcmp(paths[k].state, "referred") == 0)
            referred = (int)k;
    if (seed)
        rng_state = seed * 2654435761u + 1;
    store_actor_system(&sys);
    snprintf(sys.login, sizeof sys.login, "demo");
    cli_key_file(db, getenv("JIEFEN_KEY"), keyfile, sizeof keyfile);
    if (seal_open(&key, keyfile, 1, err, sizeof err) != 0) {
        cli_error("demo", "%s", err);
        goto out;
    }
    for (int k = 0; k < nw; k++) {
        if (!(texts[k] = text_open(err, sizeof err))) {
            cli_error("demo", "%s", err);
            goto out;
        }
        workers[k] = (struct prep){.key = key, .text = texts[k], .today = today_s};
    }
    e = store_one(c, "SELECT id, name FROM regions WHERE code = '510703000000'", 0, NULL, "it",
                  "county", &county);
    /* The demo county's villages only: with a province or the nation loaded (jiefen regions
     * load), the whole tree's 620,000 villages are not where the demo's cases arise. */
    if (e == STORE_OK) {
        struct store_actor in_county = sys;
        e = store_region_subtree(c, &sys, store_rows_int(county, 0, 0), &in_county.scope);
        if (e == STORE_OK)
            e = store_region_places(c, &in_county, &places);
    }
    if (e == STORE_OK)
        e = store_exec(c,
                       "SELECT m.id, mo.org_id FROM mediators m JOIN mediator_orgs mo"
                       " ON mo.mediator_id = m.id ORDER BY m.id",
                       0, NULL, &meds);
    /* 包案领导: the demo's leader (a user with the leader role), by name and id. */
    if (e == STORE_OK)
        e = store_exec(c, "SELECT id, name FROM users WHERE login = 'fc_leader'", 0, NULL, &leader);
    if (e != STORE_OK || places->nrows == 0) {
        cli_error("demo", "load the demo regions first: %s", store_conn_error(c));
        goto out;
    }
    county_id = store_rows_int(county, 0, 0);
    casenum_county_short(store_rows_get(county, 0, 1), shortname, sizeof shortname);
    {
        char y[16];
        timefmt_day(today, y, sizeof y);
        base_year = atoi(y) - 1; /* cases of last year and this year */
    }
    /* Numbers are per county and year: draw every intake day first, count the cases of
     * each year, and reserve each year's range in one step. */
    days = malloc((size_t)n * sizeof *days);
    path_of = malloc((size_t)n);
    need = calloc((size_t)n + 1, 1);
    ids = malloc(((size_t)n + 1) * sizeof *ids);
    idh = malloc(((size_t)n + 1) * sizeof *idh);
    phh = malloc(((size_t)n + 1) * sizeof *phh);
    timefmt_day(today, today_s, sizeof today_s);
    gens[0] = calloc(BATCH, sizeof *gens[0]);
    gens[1] = calloc(BATCH, sizeof *gens[1]);
    if (!days || !path_of || !need || !ids || !idh || !phh || !gens[0] || !gens[1]) {
        cli_error("demo", "out of memory");
        goto out;
    }
    for (long i = 0; i < n; i++) {
        char y[16];
        /* A register is mostly history: cases still open were mostly received in the last
         * weeks; one open case in twenty is an old one left behind (the overdue backlog). */
        path_of[i] = (unsigned char)roll_path();
        days[i] =
            today - (int32_t)(path_open(path_of[i]) && rnd() % 20 != 0 ? rnd() % 32 : rnd() % 700);
        timefmt_day(days[i], y, sizeof y);
        per_year[atoi(y) - base_year >= 0 && atoi(y) - base_year < 8 ? atoi(y) - base_year : 0]++;
    }
    /* Bulk writing touches every index page of the register: a larger cache for this
     * one connection (SQLite; PostgreSQL has its shared buffers). */
    if (store_conn_kind(c) == STORE_SQLITE)
        (void)store_script(c, "PRAGMA cache_size=-262144");
    /* A generator, not anyone's records: the load commits without waiting for the disk,
     * and one checkpoint with the usual fsync makes it durable at the end (or a crash
     * leaves a register to generate again, never a corrupt one: the WAL stays atomic). */
    if (store_conn_kind(c) == STORE_SQLITE)
        (void)store_script(c, "PRAGMA synchronous=OFF");
    /* No journal while loading: each row is written once, not to the WAL and again at the
     * checkpoint. A crash or error in the load leaves a register to delete and generate
     * again (said by the usage); the WAL is back before the regrade and the counters. */
    if (store_conn_kind(c) == STORE_SQLITE)
        (void)store_script(c, "PRAGMA journal_mode=OFF");
    /* PostgreSQL: the same bargain for this session (the WAL stays, so a crash loses at
     * most the last commits, never consistency): commits do not wait for the WAL flush. */
    if (store_conn_kind(c) == STORE_PG)
        (void)store_script(c, "SET synchronous_commit = off");
    /* ... and room for the sums' sorts and hashes and for building the indexes at the end,
     * which with the defaults (4 MB, 64 MB) spill to disk at a million cases. */
    if (store_conn_kind(c) == STORE_PG)
        (void)store_script(c, "SET work_mem = '256MB'; SET maintenance_work_mem = '1GB'");
    /* The regrade runs some ten statements for each of a fifth of the cases; planned for
     * each call's values, each joins a dozen year partitions and costs milliseconds of
     * planning (measured: 15 ms to plan, 0.5 ms to run the repeat count). One generic plan
     * per statement prunes the partitions when it runs instead. */
    if (store_conn_kind(c) == STORE_PG)
        (void)store_script(c, "SET plan_cache_mode = force_generic_plan");
    /* The generated cases are those whose id's sequence part (the id itself on SQLite; on
     * PostgreSQL the part below the year, store/partition.h) is first_id or later. */
    e = store_one(c,
                  store_dialect(c, "SELECT COALESCE(MAX(id), 0) + 1 FROM cases",
                                "SELECT CASE WHEN is_called THEN last_value + 1 ELSE last_value"
                                " END FROM case_ids"),
                  0, NULL, "i", "cases", &maxid);
    if (e == STORE_OK)
        first_id = store_rows_int(maxid, 0, 0);
    if (e == STORE_OK)
        e = store_case_bulk_begin(c);
    if (e == STORE_OK)
        e = store_begin(c, 1);
    for (int y = 0; e == STORE_OK && y < 8; y++)
        if (per_year[y])
            e = store_case_reserve(c, county_id, base_year + y, per_year[y], &first[y]);
    dx = (struct draw_ctx){places,    meds,  leader,    days,    path_of,
                           shortname, first, base_year, referred};
    /* Draw the first batch and prepare it; then each round draws and prepares the next
     * batch (workers) while this one is written (main thread), and commits. */
    nb[0] = draw_batch(&dx, gens[0], &drawn, n);
    prep_start(workers, nw, gens[0], nb[0]);
    prep_join(workers, nw);
    while (e == STORE_OK && nb[cur] > 0) {
        nb[1 - cur] = draw_batch(&dx, gens[1 - cur], &drawn, n);
        prep_start(workers, nw, gens[1 - cur], nb[1 - cur]);
        for (long b = 0; e == STORE_OK && b < nb[cur]; b++)
            if (gens[cur][b].failed) {
                cli_error("demo", "sealing failed");
                e = STORE_ERROR;
            }
        if (e == STORE_OK && store_conn_kind(c) == STORE_PG)
            e = load_batch_pg(&env, gens[cur], nb[cur], ids + done, &keys);
        for (long b = 0; e == STORE_OK && b < nb[cur]; b++, done++) {
            struct gen *g = &gens[cur][b];
            if (store_conn_kind(c) != STORE_PG) {
                e = case_load(&env, &g->r, &out) == CASE_OK ? STORE_OK : out.store;
                if (e == STORE_OK)
                    e = demo_bulk_case_keys(c, out.id, &g->r);
                ids[done] = out.id;
            }
            idh[done] = hash_of(g->idn);
            phh[done] = hash_of(g->phone);
            need[done] = g->need;
            gen_free(g);
        }
        prep_join(workers, nw);
        if (e == STORE_OK)
            fprintf(stderr, "demo: %ld of %ld cases (%.0f cases/s)\n", done, n,
                    done * 1000.0 / (double)(store_now_ms() - now + 1));
        /* Commit every batch: a bounded transaction, and progress that survives a stop. */
        if (e == STORE_OK)
            e = store_commit(c);
        if (e == STORE_OK && done < n)
            e = store_begin(c, 1);
        cur = 1 - cur;
    }
    if (e == STORE_OK) {
        char detail[64];
        snprintf(detail, sizeof detail, "demo: %ld cases", n);
        e = store_begin(c, 1);
        if (e == STORE_OK)
            e = store_end(c, store_audit_append(c, &sys, "create", "case", 0, NULL, detail));
    } else {
        store_rollback(c);
    }
    if (e == STORE_OK) {
        fprintf(stderr, "demo: [cpu %.1f s, wall %.1f s] building the register's indexes\n",
                cpu_s(), wall_s(now));
        e = store_case_bulk_end(c);
        if (e == STORE_OK && store_conn_kind(c) == STORE_SQLITE)
            e = store_script(c, "PRAGMA journal_mode=WAL");
    } else {
        (void)store_case_bulk_end(c); /* the first error is the one to report */
    }
    /* The loader wrote the intake grade; the case module grades what the parties said,
     * repeat disputes and overdue limits as on any change (docs/risk.md). */
    if (e == STORE_OK) {
        fprintf(stderr, "demo: [cpu %.1f s, wall %.1f s] grading the risk of each case\n", cpu_s(),
                wall_s(now));
        e = regrade_loaded(&env, n, ids, idh, phh, need, first_id);
    }
    /* Loads bypass intake, so the trend counters are counted once at the end. */
    if (e == STORE_OK) {
        fprintf(stderr,
                "demo: [cpu %.1f s, wall %.1f s] counting cases per region and day (trend"
                " warnings)\n",
                cpu_s(), wall_s(now));
        e = trend_rebuild(c);
    }
    /* ... and so are the statistics counters (docs/metrics.md), in bulk from the keys
     * filed with each case (cmd_demo_bulk.c). */
    if (e == STORE_OK) {
        fprintf(stderr, "demo: [cpu %.1f s, wall %.1f s] counting the statistics (统计分析)\n",
                cpu_s(), wall_s(now));
        e = demo_bulk_counters(c, places, first_id);
    }
    if (e != STORE_OK) {
        cli_error("demo", "%s", store_conn_error(c));
        goto out;
    }
    if (store_conn_kind(c) == STORE_SQLITE &&
        store_script(c, "PRAGMA synchronous=FULL; PRAGMA wal_checkpoint(TRUNCATE)") != STORE_OK) {
        cli_error("demo", "%s", store_conn_error(c));
        goto out;
    }
    fprintf(stderr, "demo: [cpu %.1f s] %ld cases in %.1f s (%.0f cases/s)\n", cpu_s(), n,
            (double)(store_now_ms() - now) / 1000.0,
            n * 1000.0 / (double)(store_now_ms() - now + 1));
    printf("cases: %ld generated (made-up people and facts; categories weighted by official"
           " statistics and stated estimates, see docs/demo-data.md)\n",
           n);
    rc = 0;
out:
    free(days);
    free(path_of);
    free(need);
    free(ids);
    free(idh);
    free(phh);
    for (int b = 0; b < 2; b++)
        for (long k = 0; gens[b] && k < BATCH; k++)
            gen_free(&gens[b][k]);
    free(gens[0]);
    free(gens[1]);
    store_copybuf_free(&keys);
    for (int k = 0; k < nw; k++)
        text_close(texts[k]);
    seal_close(key);
    store_rows_free(places);
    store_rows_free(maxid);
    store_rows_free(county);
    store_rows_free(leader);
    store_rows_free(meds);
    return rc;
}
