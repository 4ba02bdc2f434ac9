/*
 * risk_text.c - the text reading of the risk model (core/risk_text.h; docs/risk.md).
 *
 * Everything here is data the reader can check against docs/risk.md: phrase tables,
 * look-alike masks, negators and refutations. Alternatives in one string are separated by
 * '|'. Matching is byte-wise on UTF-8 (a pattern of whole characters cannot match inside
 * another character), clause by clause, so a text of a few KiB takes well under a
 * millisecond.
 */
#include "core/risk_text.h"

#include <stdio.h>
#include <string.h>

/* Cues of intent: one must precede an act that does not count alone ("就去他家把车点了"). */
#define INTENT                                                                                                                       \
    "要|想|准备|打算|扬言|放话|让|叫|等着|迟早|大不了|豁出去|非得|一定|就|便|敢|宁可|干脆|把|会|" \
    "攒|囤|约|计划|组织|带|号召|联系|召集|发动|只能|早晚|找|一起|明天|今晚"

/* Who or what an act is aimed at: an explicit killing, burning or explosion with one of
 * these in its sentence is severe (red on its own). */
#define TARGET                                                                                                                    \
    "他|她|你|对方|全家|一家|家人|老板|开发商|干部|村主任|支书|书记|主任|镇长|县长|领导|政府|" \
    "申请人|房|厂|公司|妻|丈夫|孩子|邻居|谁|车"

/* Words of selling and buying: a knife in such a clause is goods, not a weapon. */
#define GOODS                                                                                      \
    "购买|买的|买了|卖|质量|退货|退款|换货|商家|店|铺|修理|作坊|五金|销售|网购|厂家|货款|价格"

/* A place or authority a petition goes to; with a word of going or complaining. */
/* Accidents: a fire or a poisoning nobody intended. */
#define ACCIDENT "失火|起火|火灾|着火了|电线|短路|烟头|意外|不小心|不慎|误食"

/* Animals: killing one is a loss, not a threat to a person. */
#define ANIMALS "狗|猫|鸡|鸭|鹅|猪|牛|羊|鱼|蛇|老鼠|蜂|虫"

#define HIGHER "省|市里|市政府|市委|县里|县委|县政府|北京|京城|中央|上面|上级|领导"

struct pat {
    const char *s;
    unsigned char kind;
    unsigned char sev;  /* 1 severe if a target is in the sentence, 2 severe in itself */
    const char *before; /* NULL, or alternatives one of which precedes it in the clause */
    const char *ctx;    /* NULL, or alternatives one of which is in the sentence */
    const char *unless; /* NULL, or alternatives any of which in the clause cancels it */
};

static const struct pat pats[] = {
    /* Threats: phrases that count alone. */
    {"扬言", RT_THREAT, 0, NULL, NULL, NULL},
    {"报复", RT_THREAT, 0, NULL, NULL, NULL},
    {"威胁", RT_THREAT, 0, NULL, NULL, "安全威胁|威胁健康"},
    {"恐吓", RT_THREAT, 0, NULL, NULL, NULL},
    {"放狠话", RT_THREAT, 0, NULL, NULL, NULL},
    {"弄死", RT_THREAT, 1, NULL, NULL, NULL},
    {"整死", RT_THREAT, 1, NULL, NULL, NULL},
    {"打死", RT_THREAT, 1, NULL, NULL, ANIMALS},
    {"砍死", RT_THREAT, 1, NULL, NULL, NULL},
    {"捅死", RT_THREAT, 1, NULL, NULL, NULL},
    {"杀了", RT_THREAT, 1, NULL, NULL, NULL},
    {"杀死", RT_THREAT, 1, NULL, NULL, NULL},
    {"杀人", RT_THREAT, 1, NULL, NULL, NULL},
    {"杀他", RT_THREAT, 1, NULL, NULL, NULL},
    {"要他命", RT_THREAT, 1, NULL, NULL, NULL},
    {"要他的命", RT_THREAT, 1, NULL, NULL, NULL},
    {"灭门", RT_THREAT, 2, NULL, NULL, NULL},
    {"血债", RT_THREAT, 0, NULL, NULL, NULL},
    {"见血", RT_THREAT, 0, NULL, NULL, NULL},
    {"走着瞧", RT_THREAT, 0, NULL, NULL, NULL},
    {"等着瞧", RT_THREAT, 0, NULL, NULL, NULL},
    /* Threats without a keyword: intent + act (+ someone in the sentence). */
    {"让他好看", RT_THREAT, 0, NULL, NULL, NULL},
    {"好看", RT_THREAT, 0, INTENT, TARGET, "好看的|很好看|不好看"},
    {"付出代价", RT_THREAT, 0, INTENT, TARGET, NULL},
    {"吃点苦头", RT_THREAT, 0, INTENT, TARGET, NULL},
    {"吃苦头", RT_THREAT, 0, INTENT, TARGET, NULL},
    {"不得安生", RT_THREAT, 0, INTENT, TARGET, NULL},
    {"没好日子", RT_THREAT, 0, INTENT, TARGET, NULL},
    {"躺着", RT_THREAT, 0, INTENT, "谁|你|他|回去|出去", "躺着休息|卧床"},
    {"横着", RT_THREAT, 0, INTENT, "出去|回去|回来|出门", NULL},
    {"横著", RT_THREAT, 0, INTENT, "出去|回去|回来|出门", NULL}, /* t2s keeps 著 here */
    {"算账", RT_THREAT, 0, INTENT, "找|门口|家|去", "对账|结账|算账目"},
    {"收拾", RT_THREAT, 0, INTENT, "他|她|你|对方|全家|一家|申请人",
     "收拾东西|收拾行李|收拾屋|收拾房间"},
    {"等着", RT_THREAT, 0, NULL, "你就等着|你等着|你们等着|就等着|给我等着", NULL},
    {"小心点", RT_THREAT, 0, NULL, "孩子|家人|全家|出门|晚上|夜路", NULL},
    {"拼了", RT_THREAT, 0, NULL, "和|跟|与", NULL},
    {"拼命", RT_THREAT, 0, NULL, "和|跟|与", NULL},
    {"打他", RT_THREAT, 0, INTENT, NULL, NULL},
    {"打一次", RT_THREAT, 0, NULL, NULL, NULL},
    {"揍", RT_THREAT, 0, INTENT, TARGET, NULL},
    {"废了", RT_THREAT, 0, INTENT, TARGET, NULL},
    {"打断", RT_THREAT, 0, INTENT, "腿|手", NULL},
    {"砍", RT_THREAT, 0, INTENT, "他|她|你|对方|全家", "砍价|砍树|砍伐|砍柴|砍竹|砍掉|砍到"},
    {"捅", RT_THREAT, 0, INTENT, "他|她|你|对方|全家|刀", NULL},
    {"血溅", RT_THREAT, 1, INTENT, NULL, NULL},
    {"有来无回", RT_THREAT, 0, INTENT, NULL, NULL},
    {"下次就不是", RT_THREAT, 0, NULL, "说|称", NULL},
    {"没完", RT_THREAT, 0, NULL, "这事|跟你|和你|跟他|和他", "没完没了"},
    {"尝尝", RT_THREAT, 0, INTENT, "滋味|厉害|味道", NULL},
    {"别想过", RT_THREAT, 0, NULL, "日子|年", NULL},
    {"在医院", RT_THREAT, 0, "让谁|让他|让你|叫他|叫你", NULL, NULL},
    {"撂倒", RT_THREAT, 0, NULL, "一个|他|你|对方", NULL},
    {"放倒", RT_THREAT, 0, INTENT, NULL, NULL},
    {"教训", RT_THREAT, 0, INTENT, "找|几个|兄弟|人|一顿", "吸取教训|汲取教训|教训深刻|经验教训"},
    {"过不了年", RT_THREAT, 0, INTENT, TARGET, NULL},
    {"没好果子", RT_THREAT, 0, INTENT, TARGET, NULL},
    {"走不出", RT_THREAT, 0, INTENT, "村|门|镇", NULL},
    {"当心", RT_THREAT, 0, NULL, "出门|夜路|晚上|孩子|家人", NULL},
    {"见个高低", RT_THREAT, 0, NULL, "要|早晚|迟早", NULL},
    {"咽不下", RT_THREAT, 0, NULL, "早晚|迟早|见个|拼|算账|报|高低", NULL},
    {"仇", RT_THREAT, 0, NULL, "记下|记着|报|慢慢算|早晚|迟早", "仇视"},
    {"砸", RT_THREAT, 0, INTENT, "车|玻璃|店|家|门|房|稀巴烂",
     "砸墙|砸坏了|砸伤|砸中|砸到|砸碎了|砸在"},
    {"推了", RT_THREAT, 0, INTENT, "墙|房|屋|棚", NULL},
    {"出了事", RT_THREAT, 0, NULL, "担着|负责|不怕|我担", NULL},
    {"被车撞", RT_THREAT, 0, INTENT, TARGET, NULL},
    {"开不下去", RT_THREAT, 0, INTENT, "店|厂|让", NULL},
    /* Violence that happened. */
    {"殴打", RT_VIOLENCE, 0, NULL, NULL, NULL},
    {"打伤", RT_VIOLENCE, 0, NULL, NULL, NULL},
    {"打人", RT_VIOLENCE, 0, NULL, NULL, NULL},
    {"斗殴", RT_VIOLENCE, 0, NULL, NULL, NULL},
    {"打架", RT_VIOLENCE, 0, NULL, NULL, NULL},
    {"互殴", RT_VIOLENCE, 0, NULL, NULL, NULL},
    {"厮打", RT_VIOLENCE, 0, NULL, NULL, NULL},
    {"扭打", RT_VIOLENCE, 0, NULL, NULL, NULL},
    {"动手", RT_VIOLENCE, 0, NULL, NULL, "动手术|自己动手|动手做|动手修"},
    {"肢体冲突", RT_VIOLENCE, 0, NULL, NULL, NULL},
    {"砍伤", RT_VIOLENCE, 0, NULL, NULL, NULL},
    {"追砍", RT_VIOLENCE, 0, NULL, NULL, NULL},
    {"砍人", RT_VIOLENCE, 0, NULL, NULL, NULL},
    {"捅伤", RT_VIOLENCE, 0, NULL, NULL, NULL},
    {"刺伤", RT_VIOLENCE, 0, NULL, NULL, NULL},
    {"伤人", RT_VIOLENCE, 0, NULL, NULL, NULL},
    {"打断了", RT_VIOLENCE, 0, NULL, "骨|腿|手|牙", NULL},
    {"行凶", RT_VIOLENCE, 0, NULL, NULL, NULL},
    {"围殴", RT_VIOLENCE, 0, NULL, NULL, NULL},
    {"群殴", RT_VIOLENCE, 0, NULL, NULL, NULL},
    {"打砸", RT_VIOLENCE, 0, NULL, NULL, NULL},
    {"暴力", RT_VIOLENCE, 0, NULL, NULL, "暴力拆除|暴力分拣"},
    {"掐脖子", RT_VIOLENCE, 0, NULL, NULL, NULL},
    {"扇耳光", RT_VIOLENCE, 0, NULL, NULL, NULL},
    {"打耳光", RT_VIOLENCE, 0, NULL, NULL, NULL},
    {"家暴", RT_VIOLENCE, 0, NULL, NULL, NULL},
    /* Weapons. */
    {"持刀", RT_WEAPON, 0, NULL, NULL, NULL},
    {"拿刀", RT_WEAPON, 0, NULL, NULL, "切菜|厨房|做饭"},
    {"拿着刀", RT_WEAPON, 0, NULL, NULL, "切菜|厨房|做饭"},
    {"菜刀", RT_WEAPON, 0, NULL, NULL, GOODS},
    {"砍刀", RT_WEAPON, 0, NULL, NULL, GOODS},
    {"匕首", RT_WEAPON, 0, NULL, NULL, GOODS},
    {"斧头", RT_WEAPON, 0, NULL, NULL, GOODS "|劈柴"},
    {"锄头", RT_WEAPON, 0, NULL, "打|砸|挥|抡|伤|追", NULL},
    {"铁锹", RT_WEAPON, 0, NULL, "打|砸|挥|抡|伤|追", NULL},
    {"棍棒", RT_WEAPON, 0, NULL, NULL, NULL},
    {"钢管", RT_WEAPON, 0, NULL, "打|砸|挥|抡|伤|追|持|拿", NULL},
    {"猎枪", RT_WEAPON, 0, NULL, NULL, NULL},
    {"凶器", RT_WEAPON, 0, NULL, NULL, NULL},
    {"持械", RT_WEAPON, 0, NULL, NULL, NULL},
    {"刀磨", RT_WEAPON, 0, NULL, NULL, NULL},
    {"磨刀", RT_WEAPON, 0, NULL, "找|去|说", "磨刀石"},
    /* Self-harm and despair. */
    {"自杀", RT_SELF_HARM, 0, NULL, NULL, NULL},
    {"轻生", RT_SELF_HARM, 0, NULL, NULL, NULL},
    {"跳楼", RT_SELF_HARM, 0, NULL, NULL, NULL},
    {"跳河", RT_SELF_HARM, 0, NULL, NULL, NULL},
    {"跳江", RT_SELF_HARM, 0, NULL, NULL, NULL},
    {"跳桥", RT_SELF_HARM, 0, NULL, NULL, NULL},
    {"跳水库", RT_SELF_HARM, 0, NULL, NULL, NULL},
    {"喝农药", RT_SELF_HARM, 0, NULL, NULL, NULL},
    {"服毒", RT_SELF_HARM, 0, NULL, NULL, NULL},
    {"喝药", RT_SELF_HARM, 0, NULL, NULL, NULL},
    {"割腕", RT_SELF_HARM, 0, NULL, NULL, NULL},
    {"上吊", RT_SELF_HARM, 0, NULL, NULL, NULL},
    {"寻死", RT_SELF_HARM, 0, NULL, NULL, NULL},
    {"寻短见", RT_SELF_HARM, 0, NULL, NULL, NULL},
    {"自残", RT_SELF_HARM, 0, NULL, NULL, NULL},
    /* The petitioner's extreme act; missing until the blind-b measurement showed it. */
    {"自焚", RT_SELF_HARM, 0, NULL, NULL, NULL},
    {"自伤", RT_SELF_HARM, 0, NULL, NULL, NULL},
    {"遗书", RT_SELF_HARM, 0, NULL, NULL, NULL},
    {"一死了之", RT_SELF_HARM, 0, NULL, NULL, NULL},
    {"一了百了", RT_SELF_HARM, 0, NULL, NULL, NULL},
    {"不想活", RT_SELF_HARM, 0, NULL, NULL, NULL},
    {"活着没意思", RT_SELF_HARM, 0, NULL, NULL, NULL},
    {"活着没有意思", RT_SELF_HARM, 0, NULL, NULL, NULL},
    {"活不下去", RT_SELF_HARM, 0, NULL, NULL, NULL},
    {"没有活路", RT_SELF_HARM, 0, NULL, NULL, NULL},
    {"没活路", RT_SELF_HARM, 0, NULL, NULL, NULL},
    {"想不开", RT_SELF_HARM, 0, NULL, NULL, NULL},
    {"以死相逼", RT_SELF_HARM, 0, NULL, NULL, NULL},
    {"死给", RT_SELF_HARM, 0, NULL, NULL, NULL},
    {"去死", RT_SELF_HARM, 0, NULL, NULL, NULL},
    {"安眠药", RT_SELF_HARM, 0, INTENT, NULL, NULL},
    {"下去", RT_SELF_HARM, 0, INTENT, "楼上|楼顶|桥上|顶上|楼顶上|天台", NULL},
    {"下来", RT_SELF_HARM, 0, INTENT, "楼上|楼顶|桥上|顶上|天台", NULL},
    {"一起走", RT_SELF_HARM, 0, INTENT, "没法过|不想过|活|死", NULL},
    {"不用操心", RT_SELF_HARM, 0, NULL, "安眠药|药|绝望|不想|留了话", NULL},
    {"后事", RT_SELF_HARM, 0, INTENT, NULL, "办后事|料理后事|操办后事"},
    {"留了话", RT_SELF_HARM, 0, NULL, "桥|楼|水库|河|药|不想|受够", NULL},
    {"水库", RT_SELF_HARM, 0, INTENT, "不想活|活|死|绝望", NULL},
    {"绳子", RT_SELF_HARM, 0, INTENT, "准备|买了|备好|备了", NULL},
    {"没人找得到", RT_SELF_HARM, 0, INTENT, NULL, NULL},
    {"解脱", RT_SELF_HARM, 0, NULL, "药|死|活|一了|走了", NULL},
    {"瓶药", RT_SELF_HARM, 0, INTENT, NULL, NULL},
    {"跳下", RT_SELF_HARM, 0, NULL, "楼|塔吊|桥|顶|天台", NULL},
    {"塔吊", RT_SELF_HARM, 0, NULL, "爬|跳|工资|讨", NULL},
    {"盼头", RT_SELF_HARM, 0, NULL, "这辈子|活|人生|存折|后事", NULL},
    {"桥上", RT_SELF_HARM, 0, INTENT, "想好了|不回来|不想|活|死|一了|拖累|对不起", NULL},
    {"河边", RT_SELF_HARM, 0, INTENT, "想好了|不回来|不想|活|死|一了|拖累|对不起", NULL},
    {"活着", RT_SELF_HARM, 0, NULL, "什么用|有什么意思|干什么|没劲|受罪|多余", NULL},
    {"拖累", RT_SELF_HARM, 0, NULL, "不想再|对不起|后事|再也", NULL},
    /* Extreme acts: burning, explosion, poison, dying together. */
    {"同归于尽", RT_EXTREME, 2, NULL, NULL, NULL},
    {"鱼死网破", RT_EXTREME, 0, NULL, NULL, NULL},
    {"玉石俱焚", RT_EXTREME, 2, NULL, NULL, NULL},
    {"一起死", RT_EXTREME, 2, NULL, NULL, NULL},
    {"陪葬", RT_EXTREME, 2, NULL, NULL, NULL},
    {"放火", RT_EXTREME, 1, NULL, NULL, NULL},
    {"纵火", RT_EXTREME, 1, NULL, NULL, NULL},
    {"点火", RT_EXTREME, 1, NULL, NULL, "点火器|点火开关|点火系统"},
    {"点了", RT_EXTREME, 1, INTENT, "房|车|屋|厂|火|家", "点了菜|点了外卖|点了头|点了名"},
    {"一把火", RT_EXTREME, 1, NULL, NULL, NULL},
    {"烧了", RT_EXTREME, 1, INTENT, TARGET, "烧了饭|烧了水|烧了菜|烧了纸|烧了香|发烧|" ACCIDENT},
    {"烧掉", RT_EXTREME, 1, INTENT, TARGET, "烧掉秸秆|烧掉垃圾|" ACCIDENT},
    {"烧毁", RT_EXTREME, 1, INTENT, TARGET, ACCIDENT},
    {"烧死", RT_EXTREME, 1, NULL, NULL, NULL},
    {"烧房", RT_EXTREME, 1, NULL, NULL, NULL},
    {"汽油", RT_EXTREME, 1, NULL, NULL,
     "加油站|汽油费|油价|加油|汽油机|发动机|发电机|割草机|摩托|汽油车"},
    {"煤气罐", RT_EXTREME, 1, INTENT, NULL, NULL},
    {"液化气罐", RT_EXTREME, 1, INTENT, NULL, NULL},
    {"炸药", RT_EXTREME, 1, NULL, NULL, NULL},
    {"雷管", RT_EXTREME, 1, NULL, NULL, NULL},
    {"炸掉", RT_EXTREME, 1, NULL, NULL, NULL},
    {"炸了", RT_EXTREME, 1, INTENT, TARGET, "气炸了|肺都气炸"},
    {"炸毁", RT_EXTREME, 1, NULL, NULL, NULL},
    {"爆炸", RT_EXTREME, 1, NULL, NULL, "爆炸性|电池|锅炉|轮胎|手机|充电|电瓶|热水器"},
    {"投毒", RT_EXTREME, 1, NULL, NULL, NULL},
    {"下毒", RT_EXTREME, 1, NULL, NULL, NULL},
    {"毒死", RT_EXTREME, 1, NULL, NULL, NULL},
    {"过激", RT_EXTREME, 0, NULL, NULL, NULL},
    {"极端", RT_EXTREME, 0, NULL, NULL, "极端天气"},
    {"毁了", RT_EXTREME, 0, INTENT, "把|全", NULL},
    {"着火", RT_EXTREME, 1, INTENT, TARGET, NULL},
    {"命换一命", RT_EXTREME, 2, INTENT, NULL, NULL},
    {"以命相搏", RT_EXTREME, 0, INTENT, NULL, NULL},
    {"命不要了", RT_EXTREME, 0, NULL, "也要|跟|和|讨", NULL},
    {"垫背", RT_EXTREME, 2, INTENT, NULL, NULL},
    {"一起完", RT_EXTREME, 2, INTENT, NULL, NULL},
    {"煤气", RT_EXTREME, 1, INTENT, "打开|拧开|点|炸|阀|罐", "煤气费|煤气灶"},
    /* Petitions to higher levels. */
    {"上访", RT_PETITION, 0, NULL, NULL, NULL},
    {"信访", RT_PETITION, 0, NULL, NULL, "信访办|信访局|信访部门转"},
    {"赴省", RT_PETITION, 0, NULL, NULL, NULL},
    {"进京", RT_PETITION, 0, NULL, NULL, NULL},
    {"赴京", RT_PETITION, 0, NULL, NULL, NULL},
    {"越级", RT_PETITION, 0, NULL, NULL, NULL},
    {"缠访", RT_PETITION, 0, NULL, NULL, NULL},
    {"闹访", RT_PETITION, 0, NULL, NULL, NULL},
    {"告到", RT_PETITION, 0, NULL, HIGHER, NULL},
    {"讨个说法", RT_PETITION, 0, INTENT, HIGHER, NULL},
    {"讨说法", RT_PETITION, 0, INTENT, HIGHER, NULL},
    {"要个说法", RT_PETITION, 0, INTENT, HIGHER, NULL},
    {"找领导", RT_PETITION, 0, INTENT, HIGHER, NULL},
    {"找到北京", RT_PETITION, 0, NULL, NULL, NULL},
    {"去北京", RT_PETITION, 0, NULL, "访|说法|找|告|反映|闹", NULL},
    {"到北京", RT_PETITION, 0, NULL, "访|说法|找|告|反映|闹", NULL},
    {"到省里", RT_PETITION, 0, NULL, "访|说法|找|告|反映|闹", NULL},
    {"去省里", RT_PETITION, 0, NULL, "访|说法|找|告|反映|闹", NULL},
    /* Group action. */
    {"聚集", RT_GROUP, 0, NULL, NULL, NULL},
    {"堵路", RT_GROUP, 0, NULL, NULL, NULL},
    {"围堵", RT_GROUP, 0, NULL, NULL, NULL},
    {"堵门", RT_GROUP, 0, NULL, NULL, NULL},
    {"堵住", RT_GROUP, 0, NULL, "门|路|车|口", "下水道|堵住了管道"},
    {"拦路", RT_GROUP, 0, NULL, NULL, NULL},
    {"拦了", RT_GROUP, 0, INTENT, "路|口|门|车", NULL},
    {"拉横幅", RT_GROUP, 0, NULL, NULL, NULL},
    {"打横幅", RT_GROUP, 0, NULL, NULL, NULL},
    {"摆花圈", RT_GROUP, 0, NULL, NULL, NULL},
    {"静坐", RT_GROUP, 0, NULL, NULL, NULL},
    {"围攻", RT_GROUP, 0, NULL, NULL, NULL},
    {"冲击", RT_GROUP, 0, NULL, "政府|机关|厂|公司|医院|大门", NULL},
    {"串联", RT_GROUP, 0, NULL, NULL, NULL},
    {"煽动", RT_GROUP, 0, NULL, NULL, NULL},
    {"游行", RT_GROUP, 0, NULL, NULL, NULL},
    {"示威", RT_GROUP, 0, NULL, NULL, NULL},
    {"罢工", RT_GROUP, 0, NULL, NULL, NULL},
    {"医闹", RT_GROUP, 0, NULL, NULL, NULL},
    {"群体性事件", RT_GROUP, 0, NULL, NULL, NULL},
    {"集体", RT_GROUP, 0, NULL, "访|聚|堵|围|去|到|讨|闹|找",
     "集体经济|集体土地|集体账|集体资产|村集体|集体所有"},
    {"闹事", RT_GROUP, 0, NULL, NULL, NULL},
    {"门口坐着", RT_GROUP, 0, NULL, NULL, NULL},
    {"门口跪", RT_GROUP, 0, NULL, NULL, NULL},
    {"门口坐", RT_GROUP, 0, INTENT, NULL, NULL},
    {"不给答复不走", RT_GROUP, 0, NULL, NULL, NULL},
    {"不解决不走", RT_GROUP, 0, NULL, NULL, NULL},
    {"跪着", RT_GROUP, 0, INTENT, "门口|政府|县委|镇|一家老小", NULL},
    {"工友们", RT_GROUP, 0, INTENT, "拦|堵|去|闹|围", NULL},
    {"老乡们", RT_GROUP, 0, INTENT, "拦|堵|去|闹|围", NULL},
    {"全村人", RT_GROUP, 0, INTENT, "去|到|拦|堵|闹|围|上访", NULL},
    {"去住", RT_GROUP, 0, INTENT, "镇长|县长|书记|领导|老板|政府", NULL},
    {"丧事", RT_GROUP, 0, NULL, "门口|政府|厂|公司", NULL},
    {"不走", RT_GROUP, 0, NULL, "不给|不解决|不答复|不处理|不赔", NULL},
    {"抬着", RT_GROUP, 0, INTENT, "政府|县委|镇|领导|门口", NULL},
    {"堵着", RT_GROUP, 0, INTENT, "门|路|口", NULL},
    {"堵上", RT_GROUP, 0, INTENT, "门|路|口", NULL},
    {"躺在", RT_GROUP, 0, INTENT, "推土机|挖掘机|门口|路上|大厅|政府", NULL},
    {"躺到", RT_GROUP, 0, INTENT, "推土机|挖掘机|门口|路上|大厅|政府", NULL},
    {"住下", RT_GROUP, 0, INTENT, "政府|领导|办公室|县委|镇", NULL},
    {"吃住", RT_GROUP, 0, INTENT, "政府|领导|办公室|县委|镇|大院", NULL},
    {"拉到", RT_GROUP, 0, INTENT, "政府|县委|镇|门口|领导", NULL},
    {"抬到", RT_GROUP, 0, INTENT, "政府|县委|镇|门口|领导", NULL},
    {"坐着", RT_GROUP, 0, INTENT, "路口|门口|政府|县委|高速|大厅", NULL},
    {"叫上", RT_GROUP, 0, NULL, "几十|二十|三十|一帮|一群|亲戚们|兄弟们", NULL},
    {"谁也别想", RT_GROUP, 0, NULL, "开工|施工|进|出", NULL},
    /* Wage demands by protest (a plain claim for wages is a dispute, not a protest). */
    {"讨薪", RT_WAGE, 0, NULL, NULL, NULL},
    {"讨要工资", RT_WAGE, 0, NULL, "聚集|堵|围|拉横幅|爬|塔吊|楼顶", NULL},
};

#define NPATS (sizeof pats / sizeof pats[0])

/*
 * Word classes, combined (docs/risk.md "Classes"). The phrase list above was grown sentence
 * by sentence and missed most wordings it had not seen; these classes enumerate the synonyms
 * of each part of a dangerous statement so that any intent cue with any harm act and any
 * target counts, not only the combinations someone wrote down.
 */

/* Intent, announcement or condition: somebody says he will do it ("再不给钱就…"). Read in
 * the sentence before the act, so a cue split off by a comma still counts. */
#define C_INTENT                                                                                                                    \
    "要|想|准备|打算|扬言|放话|狠话|声称|威胁|发誓|大不了|拼了|豁出去|迟早|总有一天|早晚|非要|" \
    "非得|一定|就|便|敢|宁可|干脆|索性|不然|否则|再不|要是|如果|让|叫|把|会|等着"

/* Harm to another person or his property; counts with an intent cue before it and a target
 * in the sentence. Single characters (杀, 砍, 烧, 炸) rely on the look-alike masks. */
#define C_HARM                                                                                                                      \
    "杀|弄死|整死|搞死|砍|捅|劈|剁|打断|打残|打瘸|废了|弄残|放火|烧|点了|炸|泼汽油|浇汽油|浇油|" \
    "泼油|泼硫酸|硫酸|动刀|开车撞|撞死|下毒|投毒|毒死|宰了|做掉|干掉|灭了|揍|打死|卸了|毁容|"    \
    "给他好看|给你好看|付出代价|兜着走|不得好死|不让他好过|别想好过|放血|放倒|报仇|弄他|"       \
    "搞他|整他|收拾|教训|同归|陪葬|垫背|闹出人命|出人命|偿命|一命|不得安宁|"                           \
    "不得安生|没好日子|别想过|有来无回|走不出|横着|躺着出|躺着回|尝尝|在医院里过|"                 \
    "要谁的命|要他的命|要你的命|扔进河|扔到河|推下|推到河|见红|见血|血溅|废了他|打折他|断子绝孙"

/* Accidents and daily life, where the same acts are no threat. */
#define C_HARM_UNLESS                                                                                                                 \
    "收拾东西|收拾行李|收拾屋|收拾房间|收拾残局|吸取教训|失火|着火了|起火|火灾|电线|短路|烟头|" \
    "意外|不小心|不慎|自杀|法院|起诉|律师|诉讼"

/* Who or what the harm is aimed at. */
#define C_TARGET                                                                                                               \
    "他|她|你|对方|全家|一家|家人|老婆|老公|妻|丈夫|孩子|儿子|女儿|老板|开发商|包工头|干部|" \
    "村主任|村长|支书|书记|主任|镇长|乡长|县长|领导|政府|申请人|邻居|谁|那个|那家|房|屋|"     \
    "厂|公司|店|车|家|门"

/* Ending one's own life, direct or indirect; counts alone. */
#define C_SELF                                                                                                                             \
    "不活了|死了算了|死了算|死了干净|不如死|活够了|活腻|没脸活|没法活|不想活|活不下去|活不成|"       \
    "还活着干|卧轨|跳崖|烧炭|吞药|割脉|结束生命|结束自己|了结自己|了断|交代后事|交待后事|"             \
    "遗言|永别|下辈子|死在|死给|去死|寻死|求死|想死|以死|死也要|不想拖累|托付给|喝药|"                    \
    "一整瓶|整瓶药|一瓶药|跳进河|跳到河|投河|投江|跳井|用头撞|撞头|撞墙|"                                      \
    "拜托你照顾|照顾好孩子|替我照顾|跳下去|喝了药|喝给|跳给|吊给|宁死不|死也不搬|喝敌敌畏|百草枯|" \
    "敌敌畏|老鼠药|安眠药"

/* The harmless uses of those (死在 of an accident, 想死你了). */
#define C_SELF_UNLESS "死在医院|病死|老死|死在工地|摔死|淹死|想死你|想死我|感冒|看病|医生开|药店"

/* A high place one threatens to jump from, with a word of climbing, standing or jumping. */
#define C_HIGH  "楼顶|天台|塔吊|高压|铁塔|桥栏|窗台|楼上|吊臂|广告牌"
#define C_CLIMB "爬上|爬到|爬|站在|站到|坐在|要跳|扬言|威胁|准备|跳下|跳楼|不下来"

/* Going over the heads of the local mediators: a higher place, with a word of complaint. */
#define C_HIGHER                                                                                                             \
    "省里|省城|省会|省政府|省委|省信访|北京|首都|京城|中央|国务院|说理的地方|管得了你们|" \
    "更高的地方|市政府|市委|纪委|巡视组|督察组"
#define C_COMPLAIN "告|访|反映|说法|闹|举报|讨|申诉|评理|喊冤|伸冤|找领导|坐车|买票|车票"

/* The media, made use of by a group or with a threat. */
#define C_MEDIA  "媒体|记者|电视台|报社|抖音|快手|微博|热搜|网上|网络|直播"
#define C_EXPOSE "曝光|发到|发在|发上|捅到|闹到|找记者|找媒体|直播"

/* A group organised, or a threat: what makes going to the media a danger sign. */
#define C_MASS                                                                                                                   \
    "联名|全村|村民|业主们|工友|几十|二十|三十|上百|一帮|一群|组织|召集|串联|号召|联合|集体|" \
    "扬言|威胁|放话|多名|多人|多户|数十"

/* A group or an organiser of one. */
#define C_GROUP                                                                                                                     \
    "大家|一起|集体|联名|全村|村民|业主|工友|工人们|老乡|亲戚|兄弟们|几十|二十|三十|四十|五十|" \
    "上百|一百|一帮|一群|一伙|组织|召集|串联|号召|拉上|叫上|带上|发动|联系|联络|商量好|约好|"    \
    "多名|多人|多户|十几|数十|扬言|威胁|放话"

/* Acts of a crowd: blocking, besieging, sitting in, banners. */
#define C_CROWD                                                                                                                 \
    "堵|围住|围了|围着|去围|拦|静坐|坐在门口|坐在政府|坐在路|坐在大门|跪在|躺在|横幅|标语|"  \
    "花圈|遗像|灵堂|统一服装|聚集|聚到|闹事|去闹|来闹|大闹|闹到|冲进|冲击|上街|示威|讨说法|" \
    "讨个说法|要说法|上访"
#define C_CROWD_UNLESS                                                                                                          \
    "堵车|堵塞|下水|管道|添堵|心里堵|心堵|堵得慌|马桶|围着桌|围观|阻拦|拦网|劝阻|拉架|劝架|" \
    "拦住没让|拦着不让|躺在床|躺在医院|躺在家|坐在一起"

/* Weapons in a hand, with a verb of holding or swinging just before. */
#define C_WEAPON "刀|棍|棒|铁锹|锄头|钢管|斧|镰刀|扁担|砖头|酒瓶|剪刀|枪|弩|铁链|锤"
#define C_WIELD                                                                                                                   \
    "拿着|拿起|拿了|提着|提起|举着|举起|抄起|抡起|操起|挥舞|挥着|带着|带了|握着|藏着|揣着|持|" \
    "抄着|抡着|拎着|拎了|手里拎|手里拿|扛着"
#define C_WEAPON_UNLESS GOODS "|刀具|开刀|切菜|做饭|厨房|水枪|玩具|刀口|手术"

/* Violence done, which may be done again. */
#define C_HIT                                                                                                                        \
    "被打|挨打|挨了打|打了他|打了她|打了我|打了对方|打了申请人|把他打|把她打|把我打|把对方打|" \
    "拳打脚踢|推搡|撕扯|撕打|掐住|踹了|扇了|打破|头破血流|鼻青脸肿|打得|打成|打到|打进|"           \
    "动起手|动了手|大打出手|揪住头发|揪着头发|揪头发|暴打|毒打|痛打|打骨折|打掉|打晕|民转刑|"   \
    "一触即发|冲突升级"
#define C_HIT_UNLESS                                                                                                            \
    "打得火热|打得好|打成一片|打到卡|打到账|打到银行|打进账|打掉孩子|打掉了孩子|打破纪录|" \
    "打破僵局|电话|卡上|账上|账户|微信|支付宝|打招呼|打了招呼|踢球|打球|打牌|打折|打成平手"

/* Leaving for good, said with despair: the indirect ways of speaking of suicide. */
#define C_VANISH                                                                                   \
    "再也不回来|不回来了|没人找得到|找不到我|找不着我|离开这个世界|走了算了|去那边|到那边|去陪"
#define C_DESPAIR                                                                                  \
    "活|死|对不起|拖累|解脱|绝望|想不开|桥|河|楼顶|药|后事|没意思|没盼头|受够|撑不下去|熬不下去"

/* Occupying an office, a boss's home or a road: sitting, lying, living or mourning there. */
#define C_OCCUPY                                                                                                              \
    "坐着|坐在|躺在|躺到|躺着|跪在|跪着|住下|去住|住到|吃住|抬到|抬着|拉到|堵着|堵在|守在|" \
    "蹲在|睡在|搬到|不走|办丧事|摆灵堂|停尸|停放|赖着|打地铺"
#define C_SEAT                                                                                                                       \
    "政府|县委|市委|镇里|乡里|住建局|信访|办公室|大院|大厅|领导家|镇长家|县长家|书记家|老板家|" \
    "厂门口|公司门口|工地门口|高速|国道|路口|大门口|售楼处|医院大厅"

/* Veiled menace: phrases that say "you will pay" without naming the act. */
#define C_MENACE                                                                                                                            \
    "跑不掉|跑得了和尚|算你命大|认认门|认个门|头一回|最好别回家|最好别出门|私下再算|来一个算一个|" \
    "别说我没提醒|别怪我没提醒|别说我没提前|别怪我不客气|别怪我翻脸|保他一辈子|保得了一时|"          \
    "一个活人|就怎么对他|就怎么对你|不会放过|饶不了|让你后悔|后悔都来不及|有你好看|有他好看|"        \
    "给我记住|别让我碰见|见一次打一次|大不了进去|大不了坐牢|蹲几年|坐几年牢|牢底坐穿|拿命换|"        \
    "换他的命|一命抵一命|拿我的去换|我这条命|别想好好过|别想安生"

/* Following a person or his family: asking where they live, go to school, what car. */
#define C_STALK                                                                                                                          \
    "住哪|在哪里上班|在哪上班|在哪所学校|哪个学校|在哪上学|开什么车|几点下班|几点放学|回家的路|" \
    "楼下站着|楼下等|蹲守|跟踪|尾随"
#define C_WATCH "打听|知道|问|守在|蹲|每天|每晚|天天|多次|这两天|近几天|几天"

/* Intimidation done: marks left at a door, a well or a tyre; a vehicle driven at someone. */
#define C_SCARE                                                                                                                  \
    "死猫|死狗|死老鼠|画了个叉|画叉|泼粪|泼油漆|红油漆|扎轮胎|扎破轮胎|药翻|踹坏|踹门|砸门|" \
    "冲过来|朝他冲|朝她冲|撞过来|水井里倒|往井里|碑推倒|推倒了碑"

/* Putting one's affairs in order, with a farewell: the indirect signs of suicide. */
#define C_FAREWELL                                                                                                                    \
    "以后就靠|以后这个家|以后孩子就|以后怕是|我走了以后|我走以后|我走了之后|就拜托|托付|照应|" \
    "不麻烦大家|道别|告别|寿衣|用得上了|来不了了|对不起|这辈子就这样|清净了|一了百了"
#define C_AFFAIRS                                                                                                          \
    "存折|积蓄|房产证|分给|转给|交给|送了人|送人|变卖|卖了|上坟|关机|找不到人|联系不上|" \
    "不出门|关在屋|借钱|大事|遗像|朋友圈"

/* Goods that burn or hit, stocked up. */
#define C_STOCK "桶油|升油|塑料桶|汽油|砖头|煤气罐|液化气|农药|炸药|硫酸"
#define C_STORE "灌了|囤了|堆了|备了|买了|准备了|藏了|屯了|存了"

/* An organised crowd: numbers, organisers, uniforms, banners, portraits of the dead. */
#define C_ORGANISED                                                                                                              \
    "几十|二十|三十|上百|一百|一帮|一群|一车人|一伙|组织|召集|串联|号召|联名|统一|约定|约好|" \
    "商量好|横幅|标语|T恤|遗像|花圈|全村人|多户|数十|十几"
#define C_AUTHORITY                                                                                                             \
    "政府|县委|市委|区委|信访|住建局|人社局|镇里|乡里|卫生院门口|医院门口|公司门口|厂门口|" \
    "首都|北京|省里"

struct combo {
    unsigned char kind;
    unsigned char sev;  /* as in struct pat */
    const char *acts;   /* alternatives: the act */
    const char *cue;    /* NULL, or one of these before the act in its sentence */
    int gap;            /* 0, or the cue ends at most this many characters before the act */
    const char *ctx;    /* NULL, or one of these in the sentence outside the act */
    const char *ctx2;   /* NULL, or also one of these in the sentence outside the act */
    const char *unless; /* NULL, or any of these in the clause cancels it */
};

static const struct combo combos[] = {
    {RT_THREAT, 0, C_HARM, C_INTENT, 0, C_TARGET, NULL, C_HARM_UNLESS},
    {RT_SELF_HARM, 0, C_SELF, NULL, 0, NULL, NULL, C_SELF_UNLESS},
    {RT_SELF_HARM, 0, C_HIGH, C_CLIMB, 6, NULL, NULL, "晒|修|装|安装|检修|施工|漏水"},
    {RT_PETITION, 0, C_HIGHER, NULL, 0, C_COMPLAIN, NULL,
     "起诉|法院|诉讼|律师|旅游|打工|上学|看病"},
    {RT_PETITION, 0, C_MEDIA, NULL, 0, C_EXPOSE, C_MASS, NULL},
    {RT_GROUP, 0, C_CROWD, NULL, 0, C_GROUP, NULL, C_CROWD_UNLESS},
    {RT_WEAPON, 0, C_WEAPON, C_WIELD, 4, NULL, NULL, C_WEAPON_UNLESS},
    {RT_VIOLENCE, 0, C_HIT, NULL, 0, NULL, NULL, C_HIT_UNLESS},
    {RT_THREAT, 0, C_MENACE, NULL, 0, NULL, NULL, NULL},
    {RT_THREAT, 0, C_STALK, NULL, 0, C_WATCH, NULL, NULL},
    {RT_VIOLENCE, 0, C_SCARE, NULL, 0, NULL, NULL, "不小心|倒车|刹车失灵"},
    {RT_SELF_HARM, 0, C_FAREWELL, NULL, 0, C_AFFAIRS, NULL, "道歉|赔礼|致歉|工作|调动|搬家|出国"},
    {RT_EXTREME, 0, C_STOCK, C_STORE, 8, NULL, NULL, "种地|打药|庄稼|装修|盖房|砌"},
    {RT_GROUP, 0, C_AUTHORITY, "去|到|赴|进|冲|来", 3, C_ORGANISED, NULL, NULL},
    {RT_SELF_HARM, 0, C_VANISH, NULL, 0, C_DESPAIR, NULL, "打工|出差|旅游|上学|回老家"},
    {RT_GROUP, 0, C_OCCUPY, C_INTENT, 0, C_SEAT, NULL, "办公|上班|等候|排队|病房|病床"},
};

#define NCOMBOS (sizeof combos / sizeof combos[0])

/* Harmless look-alikes: no hit inside one of these counts. */
static const char *const masks[] = {
    "跳楼价",
    "跳楼甩卖",
    "跳楼大甩卖",
    "跳楼清仓",
    "杀鸡",
    "杀猪",
    "杀鱼",
    "杀羊",
    "杀鸭",
    "杀价",
    "杀毒",
    "杀虫",
    "杀菌",
    "砍价",
    "砍树",
    "砍伐",
    "砍柴",
    "砍竹",
    "砍到底",
    "刀具店",
    "烧烤",
    "烧秸秆",
    "烧荒",
    "烧纸",
    "烧香",
    "发烧",
    "烧饭",
    "烧菜",
    "烧水",
    "烧砖",
    "烧窑",
    "炸鸡",
    "炸串",
    "油炸",
    "炸酱",
    "炸薯条",
    "爆米花",
    "火爆",
    "爆胎",
    "爆裂",
    "爆满",
    "打工",
    "打官司",
    "打电话",
    "打扫",
    "打听",
    "打车",
    "打招呼",
    "打算",
    "打印",
    "打款",
    "打针",
    "打井",
    "打药",
    "打农药",
    "农药店",
    "买农药",
    "喷农药",
    "农药残留",
    "拳击",
    "打折",
    "打包",
    "打麻将",
    "打牌",
    "打球",
    "打疫苗",
    "要死",
    "笑死",
    "累死",
    "热死",
    "饿死",
    "冻死",
    "咬死",
    "病死",
    "吵着要",
    "吓死",
    "气死",
    "烦死",
    "加油",
    "集体土地",
    "集体经济",
    "村集体",
    "炮仗",
    "鞭炮",
    "点火器",
    "菜刀板",
    "磨刀石",
    "刀削面",
    "杀青",
    "信访办",
    /* for the word classes */
    "抹杀",
    "扼杀",
    "秒杀",
    "杀手锏",
    "劈柴",
    "剁肉",
    "剁馅",
    "剁排骨",
    "捅娄子",
    "点了菜",
    "点了外卖",
    "点了头",
    "点了名",
    "点了赞",
    "点了根烟",
    "点了支烟",
    "点了烟",
    "烧坏",
    "烧焦",
    "烧钱",
    "燃烧",
    "烧开",
    "高烧",
    "烧饼",
    "烧鸡",
    "烧鹅",
    "红烧",
    "烧麦",
    "烧锅炉",
    "烧炕",
    "烧柴",
    "焚烧",
    "炸锅",
    "气炸",
    "炸裂",
    "打死不",
    "打死也不",
    "打死都不",
    "作废了",
    "报废了",
    "荒废了",
    "卸了货",
    "卸货",
    "火灭了",
    "灯灭了",
    "熄灭",
    "被宰",
    "挨宰",
    "宰客",
    "一命呜呼",
    "跳了槽",
    "跳了舞",
    "心跳",
    "树砍",
    "竹子砍",
    "草砍",
    "树给砍",
    "树都砍",
    "脑袋都要炸",
    "头都要炸",
    "头要炸",
    "脑袋要炸",
    "肺都要炸",
    "气得要炸",
};

#define NMASKS (sizeof masks / sizeof masks[0])

/* Negations and reported denials that reach forward to the end of the clause. */
static const char *const negators[] = {
    "没有",   "没说",   "没想",     "没打算", "没再",   "没要",   "没扬言", "并没", "从没",
    "从来没", "未发现", "未见",     "未有",   "未曾",   "并未",   "从未",   "未再", "未发生",
    "未采取", "未实施", "未聚集",   "未到",   "未去",   "否认",   "并无",   "不会", "不曾",
    "不再",   "不存在", "打消",     "放弃",   "排除",   "不打算", "不准备", "无意", "并非",
    "不是要", "没想过", "不可能去", "未出现", "没出现", "未说过", "没说过", "仅有", "只有轻微",
};

#define NNEG (sizeof negators / sizeof negators[0])

/* "无" negates only when the clause names a tendency or an act ("无自伤自杀倾向"). */
#define NO_TENDENCY "倾向|迹象|意图|念头|意向|情况|言行|行为|打算|想法|计划|可能"

/* Refutations that reach back over the sentence ("要跳楼一事，经核实不存在"). */
static const char *const refutations[] = {
    "不存在",     "不属实",   "系误传",     "系谣传",   "纯属谣言", "系谣言", "并非事实",
    "与事实不符", "查无此事", "没有这回事", "系误会",   "系玩笑",   "开玩笑", "核实系",
    "查明系",     "经查系",   "随口一说",   "气话",     "说说而已", "均否认", "都否认",
    "实为",       "核实为",   "并无此事",   "无此事",   "误以为",   "只是到", "只是去",
    "说的是",     "情绪平稳", "无其他诉求", "一笑了之",
};

#define NREF (sizeof refutations / sizeof refutations[0])

/* A condition between a negation and the hit: "没有补偿就去上访" is not a denial. */
#define CONDITION "就|便|否则|不然|才|那就|但|却|可是|还是"

/* Clause and sentence boundaries (text_simplify made full-width forms half-width). */
static int is_boundary(const char *p, int sentence, size_t *len)
{
    static const char *const strong[] = {"\xe3\x80\x82", ";", "!", "?", "\n", "\xef\xbc\x9b"};
    static const char *const weak[] = {",", "\xef\xbc\x8c"};

    for (size_t i = 0; i < sizeof strong / sizeof strong[0]; i++)
        if (strncmp(p, strong[i], strlen(strong[i])) == 0) {
            *len = strlen(strong[i]);
            return 1;
        }
    for (size_t i = 0; !sentence && i < sizeof weak / sizeof weak[0]; i++)
        if (strncmp(p, weak[i], strlen(weak[i])) == 0) {
            *len = strlen(weak[i]);
            return 1;
        }
    return 0;
}

/* End of the clause or sentence that starts at s. */
static const char *span_end(const char *s, int sentence)
{
    size_t l;

    while (*s && !is_boundary(s, sentence, &l))
        s++;
    return s;
}

/* First occurrence of needle in [a, b), or NULL. */
static const char *find(const char *a, const char *b, const char *needle, size_t nlen)
{
    if (b <= a || nlen == 0 || (size_t)(b - a) < nlen)
        return NULL;
    return memmem(a, (size_t)(b - a), needle, nlen);
}

/* 1 if any of the '|'-separated alternatives occurs in [a, b). */
static int has_any(const char *a, const char *b, const char *alts)
{
    const char *p = alts, *bar;
    size_t n;

    while (p && *p) {
        bar = strchr(p, '|');
        n = bar ? (size_t)(bar - p) : strlen(p);
        /* "要" as intent, not the 要 of 要求 (a claim is no intent to harm). */
        for (const char *q = a; (q = find(q, b, p, n)) != NULL; q += n)
            if (!(n == 3 && strncmp(p, "要", 3) == 0 && strncmp(q + 3, "求", 3) == 0))
                return 1;
        p = bar ? bar + 1 : NULL;
    }
    return 0;
}

struct clause {
    const char *cs, *ce; /* the clause */
    const char *ss, *se; /* its sentence */
    const char *mask[24][2];
    int nmask;
};

static void find_masks(struct clause *c)
{
    c->nmask = 0;
    for (size_t i = 0; i < NMASKS; i++) {
        size_t n = strlen(masks[i]);
        for (const char *q = c->cs; (q = find(q, c->ce, masks[i], n)) != NULL; q += n)
            if (c->nmask < 24) {
                c->mask[c->nmask][0] = q;
                c->mask[c->nmask][1] = q + n;
                c->nmask++;
            }
    }
}

static int masked(const struct clause *c, const char *a, const char *b)
{
    for (int i = 0; i < c->nmask; i++)
        if (a < c->mask[i][1] && c->mask[i][0] < b)
            return 1;
    return 0;
}

/* A negator before the hit in its clause with no condition between them. */
static int negated_before(const struct clause *c, const char *a, const char *b)
{
    for (size_t i = 0; i < NNEG; i++) {
        size_t n = strlen(negators[i]);
        for (const char *q = c->cs; (q = find(q, a, negators[i], n)) != NULL; q += n)
            if (q + n <= a && !has_any(q + n, a, CONDITION))
                return 1;
    }
    for (const char *q = c->cs; (q = find(q, a, "无", 3)) != NULL; q += 3)
        if (!has_any(q + 3, a, CONDITION) && has_any(b, c->ce, NO_TENDENCY))
            return 1;
    return 0;
}

/* A check reported after the hit in its sentence ("申请人担心前夫报复，经派出所核查，…")
 * answers the report: a clerk writes what was found when it was not so, and says 属实 when
 * it was. */
#define CHECKED   "经核实|核查|经查|核实后|查看监控|经调查"
#define CONFIRMED "属实|确有|确实|确系|证实"

/* History, fiction and games: a burning or a killing there is no danger sign. */
#define FICTION "解放前|抗战|电视剧|剧情|鬼子|土匪|游戏里|小说|电影里"

static int refuted_after(const struct clause *c, const char *b)
{
    for (size_t i = 0; i < NREF; i++)
        if (find(b, c->se, refutations[i], strlen(refutations[i])))
            return 1;
    if (has_any(b, c->se, CHECKED) && !has_any(b, c->se, CONFIRMED))
        return 1;
    return has_any(c->ss, c->se, FICTION);
}

/* Moves p back by up to n characters, not before lim. */
static const char *back_chars(const char *p, const char *lim, int n)
{
    while (n-- > 0 && p > lim) {
        p--;
        while (p > lim && ((unsigned char)*p & 0xC0) == 0x80)
            p--;
    }
    return p;
}

static const char *fwd_chars(const char *p, const char *lim, int n)
{
    while (n-- > 0 && p < lim) {
        p++;
        while (p < lim && ((unsigned char)*p & 0xC0) == 0x80)
            p++;
    }
    return p;
}

static int overlaps_kept(const struct risk_text_result *r, const char *const *spans, int kind,
                         const char *a, const char *b)
{
    for (int i = 0; i < r->nhits; i++)
        if ((int)r->hits[i].kind == kind && a < spans[2 * i + 1] && spans[2 * i] < b)
            return 1;
    return 0;
}

static void add_hit(struct risk_text_result *r, const char **spans, const struct clause *c,
                    const struct pat *p, const char *a, const char *b)
{
    struct risk_text_hit *h;
    /* The quote is the whole clause when it fits, else the words around the hit. */
    const char *qa = c->cs, *qb = c->ce;

    if (overlaps_kept(r, spans, p->kind, a, b))
        return;
    if (r->nhits >= RISK_TEXT_MAX_HITS) {
        r->more = 1;
        return;
    }
    spans[2 * r->nhits] = a;
    spans[2 * r->nhits + 1] = b;
    h = &r->hits[r->nhits++];
    h->kind = (enum risk_text_kind)p->kind;
    h->severe = p->sev == 2 || (p->sev == 1 && has_any(c->ss, c->se, TARGET));
    h->negated = negated_before(c, a, b) || refuted_after(c, b);
    h->implicit = p->before != NULL || p->ctx != NULL;
    snprintf(h->phrase, sizeof h->phrase, "%s", p->s);
    while (qa < a && (*qa == ' ' || *qa == '\n'))
        qa++;
    if ((size_t)(qb - qa) >= sizeof h->quote) {
        qa = back_chars(a, c->cs, 8);
        qb = fwd_chars(b, c->ce, 8);
    }
    if ((size_t)(qb - qa) >= sizeof h->quote)
        qa = a, qb = b;
    if ((size_t)(qb - qa) >= sizeof h->quote)
        qb = qa;
    memcpy(h->quote, qa, (size_t)(qb - qa));
    h->quote[qb - qa] = '\0';
}

static void read_clause(struct clause *c, struct risk_text_result *r, const char **spans)
{
    find_masks(c);
    for (size_t i = 0; i < NPATS; i++) {
        const struct pat *p = &pats[i];
        size_t n = strlen(p->s);

        for (const char *q = c->cs; (q = find(q, c->ce, p->s, n)) != NULL; q += n) {
            if (masked(c, q, q + n))
                continue;
            if (p->unless && has_any(c->cs, c->ce, p->unless))
                continue;
            if (p->before && !has_any(c->cs, q, p->before))
                continue;
            if (p->ctx && !has_any(c->ss, c->se, p->ctx))
                continue;
            add_hit(r, spans, c, p, q, q + n);
        }
    }
}

/* 0 and the alternative of alts that starts at q copied to buf, or -1 if none does. */
static int alt_at(const char *alts, const char *q, const char *lim, char *buf, size_t len)
{
    const char *p = alts, *bar;
    size_t n;

    while (p && *p) {
        bar = strchr(p, '|');
        n = bar ? (size_t)(bar - p) : strlen(p);
        if (n < len && (size_t)(lim - q) >= n && memcmp(q, p, n) == 0) {
            memcpy(buf, p, n);
            buf[n] = '\0';
            return 0;
        }
        p = bar ? bar + 1 : NULL;
    }
    return -1;
}

/* 1 if an alternative occurs in the sentence outside [a, b). */
static int ctx_outside(const struct clause *c, const char *a, const char *b, const char *alts)
{
    return has_any(c->ss, a, alts) || has_any(b, c->se, alts);
}

/* A cue of the combination before the act: in its sentence, or within gap characters. */
static int cue_before(const struct clause *c, const struct combo *k, const char *a)
{
    const char *from = k->gap ? back_chars(a, c->ss, k->gap + 3) : c->ss;

    return has_any(from, a, k->cue);
}

/* The word classes (combos): one hit per act found, as for a pattern. */
static void read_combos(struct clause *c, struct risk_text_result *r, const char **spans)
{
    char word[48];

    for (size_t i = 0; i < NCOMBOS; i++) {
        const struct combo *k = &combos[i];
        struct pat p = {word, k->kind, k->sev, k->cue, k->ctx ? k->ctx : k->ctx2, NULL};

        if (k->unless && has_any(c->cs, c->ce, k->unless))
            continue;
        for (const char *q = c->cs; q < c->ce; q++) {
            const char *e;
            if (((unsigned char)*q & 0xC0) == 0x80 || alt_at(k->acts, q, c->ce, word, sizeof word))
                continue;
            e = q + strlen(word);
            if (masked(c, q, e) || (k->cue && !cue_before(c, k, q)) ||
                (k->ctx && !ctx_outside(c, q, e, k->ctx)) ||
                (k->ctx2 && !ctx_outside(c, q, e, k->ctx2)))
                continue;
            add_hit(r, spans, c, &p, q, e);
        }
    }
}

void risk_text_read(const char *text, struct risk_text_result *out)
{
    const char *spans[2 * RISK_TEXT_MAX_HITS] = {0};
    struct clause c;
    size_t l;

    memset(out, 0, sizeof *out);
    for (const char *s = text; s && *s;) {
        c.ss = s;
        c.se = span_end(s, 1);
        for (const char *k = s; k < c.se;) {
            c.cs = k;
            c.ce = span_end(k, 0);
            if (c.ce > c.se)
                c.ce = c.se;
            read_clause(&c, out, spans);
            read_combos(&c, out, spans);
            k = c.ce;
            if (k < c.se && is_boundary(k, 0, &l))
                k += l;
        }
        s = c.se;
        if (*s && is_boundary(s, 1, &l))
            s += l;
    }
}

int risk_text_has_literal(const char *text)
{
    for (size_t i = 0; text && i < NPATS; i++)
        if (!pats[i].before && !pats[i].ctx && strstr(text, pats[i].s))
            return 1;
    return 0;
}

static const char *const kind_codes[RT_NKINDS] = {
    "threat",  "violence", "weapon",       "self_harm",
    "extreme", "petition", "group_action", "wage_protest",
};

static const char *const kind_names[RT_NKINDS] = {
    "扬言威胁", "暴力行为", "持械凶器",           "自伤自杀倾向",
    "极端行为", "越级上访", "聚集堵路等群体行为", "聚众讨薪",
};

const char *risk_text_kind_code(enum risk_text_kind k)
{
    return k >= 0 && k < RT_NKINDS ? kind_codes[k] : "threat";
}

const char *risk_text_kind_name(enum risk_text_kind k)
{
    return k >= 0 && k < RT_NKINDS ? kind_names[k] : "扬言威胁";
}
