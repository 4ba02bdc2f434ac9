// The explanation of one routing decision, as POST /api/v1/routing/preview returns it and as
// an accepted case keeps it (`routing` of the case, docs/api-contract-cases.md): the decision
// (level, responsible unit, method, time limit, due date, lead leader), the winning rule and
// why it matched, the rules it beat and why, the rules that did not match, and the one-time
// notices (一次性告知). Shared by the 分流规则 preview and the 案件详情 screen.
//
// Which rule wins is decided by the server alone; this only renders its explanation. `rules`
// (the rules as GET /api/v1/routing/rules lists them) lets the winner's conditions be spelled
// out; without the rule at hand its name is shown alone.

import { computed } from 'vue';
import M from '../messages/zh-CN.js';
import {
  t, categoryName, complexityName, levelName, orgTypeName, methodName, managementLevelName,
  timeLimitKindName, num,
} from '../format.js';

/** "a–b 单位", "≥ a 单位", "≤ b 单位", or '' when neither bound is set. */
export function range(min, max, unit) {
  const has = (v) => v !== null && v !== undefined && v !== '';
  if (has(min) && has(max)) return t(M.routing.range.both, { min: num(min), max: num(max), unit });
  if (has(min)) return t(M.routing.range.min, { min: num(min), unit });
  if (has(max)) return t(M.routing.range.max, { max: num(max), unit });
  return '';
}

/** A rule's conditions as short Chinese phrases. */
export function conditionParts(r) {
  const p = [];
  if (r.category) p.push(categoryName(r.category));
  if (r.region_level) p.push(t(M.routing.atLevel, { level: levelName(r.region_level) }));
  if (r.complexity) p.push(complexityName(r.complexity));
  const a = range(r.amount_min, r.amount_max, M.routing.yuan);
  if (a) p.push(t(M.routing.amountIs, { range: a }));
  const n = range(r.people_min, r.people_max, M.routing.persons);
  if (n) p.push(t(M.routing.peopleIs, { range: n }));
  return p;
}

/** "30 个自然日". */
export const limitText = (days, kind) => t(M.routing.limit, { n: days, kind: timeLimitKindName(kind) });

// How one side of a mismatch reads: the rule's value and the case's value, per dimension.
const DIM_VALUE = {
  category: categoryName,
  region_level: levelName,
  complexity: complexityName,
};
const DIM_UNIT = { amount: () => M.routing.yuan, people: () => M.routing.persons };

function mismatchValue(dim, v) {
  if (v === null || v === undefined || v === '' || v === 'unknown') return M.routing.notGiven;
  const unit = DIM_UNIT[dim] ? DIM_UNIT[dim]() : '';
  if (Array.isArray(v)) {
    if (v.length === 2 && (typeof v[0] === 'number' || v[0] === null)) return range(v[0], v[1], unit) || M.routing.any;
    return v.map((x) => mismatchValue(dim, x)).join(M.common.listSep);
  }
  if (typeof v === 'object') {
    if ('min' in v || 'max' in v) return range(v.min, v.max, unit) || M.routing.any;
    return v.name || JSON.stringify(v);
  }
  if (DIM_VALUE[dim]) return DIM_VALUE[dim](v);
  if (typeof v === 'number') return num(v) + unit;
  // Ranges may come as text "min..max" with either end open ("50..", "..49").
  const r = /^\s*(\d*(?:\.\d+)?)\s*\.\.\s*(\d*(?:\.\d+)?)\s*$/.exec(v);
  if (r) return range(r[1] === '' ? null : Number(r[1]), r[2] === '' ? null : Number(r[2]), unit) || M.routing.any;
  if (typeof v === 'string' && /^\d+(\.\d+)?$/.test(v)) return num(Number(v)) + unit;
  if (typeof v === 'boolean') return v ? M.common.yes : M.common.no;
  return String(v);
}

/** One mismatch in Chinese: "类别不符：规则为 邻里纠纷，案件为 拖欠工资". */
function mismatchText(m) {
  return t(M.routing.mismatch, {
    dim: M.routing.dimensions[m.dimension] || m.dimension,
    rule: mismatchValue(m.dimension, m.rule_value),
    case: mismatchValue(m.dimension, m.case_value),
  });
}

export default {
  name: 'RoutingExplanation',
  props: {
    result: { type: Object, required: true },
    rules: { type: Array, default: () => [] },
    // Whether the list of rules that did not match starts unfolded.
    unmatchedOpen: { type: Boolean, default: true },
  },
  setup(props) {
    const decision = computed(() => props.result.decision || null);

    const explanation = computed(() => {
      const cands = props.result.candidates || [];
      const winner = cands.find((c) => c.outcome === 'winner') || null;
      const winnerRule = winner ? props.rules.find((r) => r.id === winner.rule_id) : null;
      return {
        winner,
        winnerKnown: !!winnerRule,
        winnerWhy: winnerRule ? conditionParts(winnerRule) : [],
        beaten: cands.filter((c) => c.outcome === 'beaten'),
        unmatched: cands.filter((c) => c.outcome === 'no_match').map((c) => ({
          ...c, reasons: (c.mismatches || []).map(mismatchText),
        })),
      };
    });

    function winnerText() {
      const x = explanation.value;
      if (x.winnerWhy.length) return t(M.routing.why.matchedAll, { conds: x.winnerWhy.join(M.common.listSep) });
      return x.winnerKnown ? M.routing.why.catchAll : M.routing.why.matched;
    }

    // Why a matching rule lost: a rule of a deeper region wins over a shallower or default
    // one; among rules of the same owner, the more specific one wins (contract's ordering).
    function beatenText(b) {
      const w = explanation.value.winner;
      if (!w) return '';
      if (b.owner_depth !== undefined && w.owner_depth !== undefined && b.owner_depth < w.owner_depth) {
        return t(M.routing.why.beatenByRegion, { winner: w.name });
      }
      return t(M.routing.why.beatenBySpecificity, { winner: w.name, n: b.specificity, m: w.specificity });
    }

    return {
      M, t, decision, explanation, winnerText, beatenText, limitText, levelName, orgTypeName, methodName,
      managementLevelName,
    };
  },
  template: `
  <div class="jf-explanation">
    <el-descriptions v-if="decision" :column="1" border size="small" data-test="preview-decision">
      <el-descriptions-item :label="M.routing.decision.level">
        <span data-test="decision-level">{{ managementLevelName(decision.management_level) }}</span>
        <span v-if="decision.resolved_level && decision.resolved_level !== decision.management_level" class="jf-muted" data-test="decision-resolved">（{{ levelName(decision.resolved_level) }}）</span>
      </el-descriptions-item>
      <el-descriptions-item :label="M.routing.decision.department">
        <span data-test="decision-department">{{ orgTypeName(decision.department) }}<template v-if="decision.department_field">（{{ decision.department_field }}）</template></span>
      </el-descriptions-item>
      <el-descriptions-item :label="M.routing.decision.method"><span data-test="decision-method">{{ methodName(decision.method) }}</span></el-descriptions-item>
      <el-descriptions-item :label="M.routing.decision.limit"><span data-test="decision-limit">{{ limitText(decision.time_limit_days, decision.time_limit_kind) }}</span></el-descriptions-item>
      <el-descriptions-item :label="M.routing.decision.due"><span data-test="decision-due">{{ decision.due_date || M.common.none }}</span></el-descriptions-item>
      <el-descriptions-item :label="M.routing.decision.leadLeader">
        <el-tag :type="decision.lead_leader ? 'danger' : 'info'" size="small" data-test="decision-lead">{{ decision.lead_leader ? M.routing.decision.leadYes : M.routing.decision.leadNo }}</el-tag>
      </el-descriptions-item>
    </el-descriptions>

    <h4 class="jf-subhead">{{ M.routing.why.title }}</h4>
    <div v-if="explanation.winner" class="jf-why jf-why-win" data-test="preview-winner">
      <div><el-tag type="success" size="small">{{ M.routing.why.winner }}</el-tag> <strong class="jf-why-name">{{ explanation.winner.name }}</strong>
        <span class="jf-muted">{{ t(M.routing.specificityOf, { n: explanation.winner.specificity }) }}</span></div>
      <div class="jf-why-text">{{ winnerText() }}</div>
    </div>
    <el-alert v-else :title="M.routing.why.noRule" type="warning" show-icon :closable="false" />
    <div v-for="b in explanation.beaten" :key="b.rule_id" class="jf-why jf-why-beaten" data-test="preview-beaten">
      <div><el-tag type="warning" size="small">{{ M.routing.why.beaten }}</el-tag> {{ b.name }}
        <span class="jf-muted">{{ t(M.routing.specificityOf, { n: b.specificity }) }}</span></div>
      <div class="jf-why-text">{{ beatenText(b) }}</div>
    </div>
    <el-collapse v-if="explanation.unmatched.length" :model-value="unmatchedOpen ? ['nomatch'] : []" class="jf-block">
      <el-collapse-item name="nomatch" :title="t(M.routing.why.unmatched, { n: explanation.unmatched.length })">
        <div v-for="u in explanation.unmatched" :key="u.rule_id" class="jf-why" data-test="preview-nomatch">
          <div>{{ u.name }}</div>
          <div v-for="(r, i) in u.reasons" :key="i" class="jf-why-text jf-why-reason">{{ r }}</div>
        </div>
      </el-collapse-item>
    </el-collapse>

    <template v-if="(result.notices || []).length">
      <h4 class="jf-subhead">{{ M.routing.notices }}</h4>
      <el-card v-for="n in result.notices" :key="n.id" shadow="never" class="jf-notice" data-test="preview-notice">
        <strong>{{ n.name }}</strong>
        <div class="jf-muted">{{ n.handling_body }}<template v-if="n.time_limit"> · {{ n.time_limit }}</template></div>
        <div v-if="n.legal_basis" class="jf-why-text">{{ M.catalogue.cols.legal_basis }}：{{ n.legal_basis }}</div>
        <div v-if="(n.documents || []).length" class="jf-why-text">{{ M.catalogue.cols.documents }}：{{ n.documents.join(M.common.listSep) }}</div>
      </el-card>
    </template>
  </div>`,
};
