/*
 * risk_text.h - reads what the parties and mediators wrote for signs that a dispute may
 * turn violent or collective (人民调解法 第二十五条: the mediator who finds that a dispute may
 * intensify must take targeted preventive measures and report those that may lead to a
 * public-order or criminal case). Pure: no I/O, no allocation.
 *
 * Input is Simplified text with its punctuation (text_simplify in text/text.h folds
 * Traditional script and full-width forms first). The reading is pattern-based, not a
 * trained model (docs/risk.md says why):
 *   - the text is cut into clauses at , ; ! ? 。 and newlines, and into sentences at
 *     。 ; ! ? and newlines;
 *   - harmless look-alikes (跳楼价, 杀鸡, 砍价, 烧烤, a 菜刀 bought in a shop) mask their
 *     span so that no hit inside them counts;
 *   - a phrase either counts alone (扬言, 同归于尽, 喝农药, 上访) or only with an intent
 *     cue earlier in its clause and a context word in its sentence (要/准备/大不了 + 点了
 *     + 他家的车: "就去他家门口把车点了"), which is how threats without a keyword are read;
 *   - a negation or reported denial earlier in the clause (没有, 未发现, 否认, 并无, 不会)
 *     or a refutation later in the sentence (经核实不存在, 系误传, 不属实) turns a hit into a
 *     negated one; a condition ("没有补偿就去上访") does not.
 */
#ifndef JIEFEN_CORE_RISK_TEXT_H
#define JIEFEN_CORE_RISK_TEXT_H

#include <stddef.h>

enum risk_text_kind {
    RT_THREAT,    /* 扬言, 报复, 威胁 */
    RT_VIOLENCE,  /* 殴打, 斗殴, 砍伤 */
    RT_WEAPON,    /* 持刀, 斧头, 猎枪 */
    RT_SELF_HARM, /* 跳楼, 喝农药, 活着没意思 */
    RT_EXTREME,   /* 同归于尽, 放火, 浇汽油, 炸 */
    RT_PETITION,  /* 上访, 赴省进京, 越级 */
    RT_GROUP,     /* 聚集, 堵路, 围堵, 拉横幅 */
    RT_WAGE,      /* 讨薪 */
    RT_NKINDS
};

#define RISK_TEXT_MAX_HITS 32

struct risk_text_hit {
    enum risk_text_kind kind;
    int severe;   /* killing, burning, blowing up, 同归于尽 aimed at someone: red on its own */
    int negated;  /* denied or negated in its clause or sentence: does not count */
    int implicit; /* found by intent + act + context, not by a phrase that counts alone */
    char phrase[48]; /* the pattern that matched */
    char quote[96];  /* the words around it in the text, for the reason sentence */
};

struct risk_text_result {
    int nhits;
    int more; /* hits beyond RISK_TEXT_MAX_HITS were dropped */
    struct risk_text_hit hits[RISK_TEXT_MAX_HITS];
};

/* Reads `text` (may be NULL: no hits). Kept hits are in text order, one per pattern and
 * position; negated hits are kept (negated = 1) so that an explanation can show them. */
void risk_text_read(const char *text, struct risk_text_result *out);

/* 1 if any phrase that counts on its own (not masked, negated or not) occurs in text: the
 * evidence test uses it to prove its "implicit" rows name no phrase of the lists. */
int risk_text_has_literal(const char *text);

/* "threat", "violence", ... (stable codes; factor names in risk.c). */
const char *risk_text_kind_code(enum risk_text_kind k);

/* 扬言威胁, 暴力行为, ... (for the reason sentence). */
const char *risk_text_kind_name(enum risk_text_kind k);

#endif
