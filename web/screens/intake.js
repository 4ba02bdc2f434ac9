// 纠纷登记 (统一接案): one form for a dispute arriving by any channel, made to be filled from
// the keyboard at a front desk: Tab walks the fields in reading order, Enter in a party's row
// adds another party, Ctrl+Enter (⌘+Enter) submits from anywhere in the form
// (POST /api/v1/cases, docs/api-contract-cases.md).
//
// The server checks everything (ID number check digit, phone format, at least one applicant);
// its errors[] are shown at each field, `parties[i].field` in the cell of row i. After 201 the
// case number is shown large, with the open cases of the same parties (`related`) as a hint.
// Before that, an ID number or phone typed into a party's row is looked up at once: a known
// person's name is filled in and their earlier cases are listed under the table.
//
// A grid worker (网格员) reports what they find on patrol: for them the channel starts as
// 网格上报 (grid_report). On a phone the form is one column with the labels above the fields,
// and each party is a card of its own (media.js, style.css).

import { nextTick, reactive, ref } from 'vue';
import { ElMessage } from 'element-plus';
import { Plus, Delete } from '@element-plus/icons-vue';
import M from '../messages/zh-CN.js';
import * as api from '../api.js';
import { go } from '../router.js';
import { hasRole } from '../session.js';
import { labelPosition } from '../media.js';
import { t, options, caseStateName, categoryName, dateTime, fieldErrors } from '../format.js';
import PageHead from '../components/page-head.js';
import RegionPicker from '../components/region-picker.js';

const FIELDS = ['channel', 'category', 'complexity', 'region_id', 'occurred_on', 'people', 'amount',
  'key_persons', 'urgent', 'facts', 'claims', 'cause', 'forecast', 'parties'];
const PARTY_FIELDS = ['role', 'kind', 'name', 'id_number', 'phone', 'address', 'agent'];
const PARTY_TEXT = ['name', 'id_number', 'phone', 'address', 'agent'];

let partyKey = 0;
function emptyParty(role) {
  return { key: ++partyKey, role, kind: 'person', name: '', id_number: '', phone: '', address: '', agent: '', known: null, asked: '' };
}

// Worth asking the server about: a whole ID number, or a phone of at least 7 digits.
const ID_RE = /^\d{17}[\dXx]$/;
const PHONE_RE = /^[\d-]{7,20}$/;
const ENDED = ['rejected', 'withdrawn', 'closed', 'archived'];

// Where a new report comes from unless the user says otherwise: the grid, for a grid worker.
const defaultChannel = () => (hasRole(['grid_worker']) ? 'grid_report' : 'walk_in');

function emptyForm() {
  return {
    channel: defaultChannel(), category: null, complexity: 'simple', region_id: null, occurred_on: null,
    people: null, amount: null, key_persons: false, urgent: false, related: null,
    facts: '', claims: '', cause: '', forecast: '',
    parties: [emptyParty('applicant'), emptyParty('respondent')],
  };
}

const blank = (p) => PARTY_TEXT.every((k) => !p[k].trim());

export default {
  name: 'IntakeScreen',
  components: { PageHead, RegionPicker },
  setup() {
    const form = reactive(emptyForm());
    const errors = reactive({});
    const general = ref('');
    const saving = ref(false);
    const result = ref(null);

    const err = (field) => errors[field] || '';

    // What is sent: optional fields only when filled; parties left wholly blank are skipped,
    // and `sent` remembers which row each sent party is, to put the server's errors there.
    function bodyOf() {
      const b = { channel: form.channel, category: form.category, complexity: form.complexity, region_id: form.region_id };
      for (const k of ['facts', 'claims', 'cause', 'forecast']) {
        const v = form[k].trim();
        if (v || k === 'facts') b[k] = v;
      }
      if (form.occurred_on) b.occurred_on = form.occurred_on;
      if (form.people !== null && form.people !== undefined) b.people = form.people;
      if (form.amount !== null && form.amount !== undefined) b.amount = form.amount;
      if (form.key_persons) b.key_persons = true;
      if (form.related) b.related_to = form.related.id;
      if (form.urgent) b.urgent = true;
      const sent = [];
      b.parties = [];
      form.parties.forEach((p, i) => {
        if (blank(p) && form.parties.length > 1) return;
        const q = { role: p.role, kind: p.kind, name: p.name.trim() };
        for (const k of ['id_number', 'phone', 'address', 'agent']) if (p[k].trim()) q[k] = p[k].trim();
        b.parties.push(q);
        sent.push(i);
      });
      return { body: b, sent };
    }

    function clearErrors() {
      for (const k of Object.keys(errors)) delete errors[k];
      general.value = '';
    }

    // errors[] names fields like "parties[1].id_number": map the index of the party as sent
    // back to the row on screen.
    function placeErrors(e, sent) {
      const shown = [...FIELDS];
      const mapped = {
        ...e,
        errors: (e.errors || []).map((x) => {
          const m = /^parties\[(\d+)\]\.(\w+)$/.exec(x.field || '');
          if (!m) return x;
          const row = sent[Number(m[1])];
          const field = `parties[${row === undefined ? m[1] : row}].${m[2]}`;
          shown.push(field);
          return { ...x, field };
        }),
      };
      const { fields, other } = fieldErrors(mapped, shown);
      // A bad ID number or phone: say what the server accepts (docs/api-contract-cases.md).
      for (const x of mapped.errors) {
        const m = /\.(id_number|phone)$/.exec(x.field || '');
        if (m && x.code === 'invalid') fields[x.field] = M.intake.invalid[m[1]];
      }
      Object.assign(errors, fields);
      general.value = other.length ? other.join(M.common.sentenceSep) : (mapped.errors.length ? M.intake.fixErrors : e.message);
    }

    async function submit() {
      if (saving.value) return;
      clearErrors();
      const { body, sent } = bodyOf();
      saving.value = true;
      try {
        const c = await api.post('/cases', body);
        result.value = c;
        ElMessage.success(M.intake.registered);
        await nextTick();
        const open = document.querySelector('[data-test=intake-open]');
        if (open) open.focus();
      } catch (e) {
        if (e.status !== 401) placeErrors(e, sent);
      } finally {
        saving.value = false;
      }
    }

    async function focusParty(i) {
      await nextTick();
      const cell = document.querySelector(`[data-test=party-row-${i}] [data-col=name] input`);
      if (cell) cell.focus();
    }

    function addParty() {
      form.parties.push(emptyParty(form.parties.some((p) => p.role === 'respondent') ? 'third_party' : 'respondent'));
      focusParty(form.parties.length - 1);
    }

    function removeParty(i) {
      form.parties.splice(i, 1);
      // The errors of the rows below moved up with them: drop the party errors altogether.
      for (const k of Object.keys(errors)) if (k.startsWith('parties[')) delete errors[k];
    }

    function onKeydown(ev) {
      if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) {
        ev.preventDefault();
        submit();
      }
    }

    // Enter in a party's text field adds a party (Ctrl+Enter is left to the form).
    function onPartyEnter(ev) {
      if (ev.ctrlKey || ev.metaKey || ev.isComposing) return;
      ev.preventDefault();
      addParty();
    }

    // 当事人查询: when an ID number or phone is typed in, ask who is known under it (POST
    // /api/v1/parties/lookup: name, masked contact, earlier cases). A blank name is filled in;
    // open cases of the same person are the related-case hint before anything is saved.
    async function lookupParty(p) {
      const id = p.id_number.trim(), phone = p.phone.trim();
      const q = {};
      if (ID_RE.test(id)) q.id_number = id;
      else if (PHONE_RE.test(phone)) q.phone = phone;
      else return;
      const asked = JSON.stringify(q);
      if (asked === p.asked) return;
      p.asked = asked;
      try {
        const r = await api.post('/parties/lookup', q);
        if (p.asked !== asked) return; // typed on meanwhile
        p.known = r;
        if (r.found && !p.name.trim()) {
          p.name = r.name;
          if (r.kind) p.kind = r.kind;
        }
      } catch (e) {
        p.known = null; // a bad number is reported at its field when the form is sent
      }
    }

    const openCase = (c) => !ENDED.includes(c.state);
    const knownTitle = (p) => t(p.known.cases.some(openCase) ? M.intake.knownOpen : M.intake.known,
      { name: p.known.name, n: p.known.cases.length });
    const knownContact = (k) => [k.phone && `${M.intake.partyCols.phone} ${k.phone}`,
      k.address && `${M.intake.partyCols.address} ${k.address}`].filter(Boolean).join(' · ') || M.intake.knownNoContact;

    function again() {
      Object.assign(form, emptyForm());
      clearErrors();
      result.value = null;
      nextTick(() => {
        const first = document.querySelector('[data-field=channel] input');
        if (first) first.focus();
      });
    }

    return {
      M, form, errors, err, general, saving, result, submit, addParty, removeParty, onKeydown,
      onPartyEnter, again, go, caseStateName, categoryName, dateTime, lookupParty, openCase, knownTitle, knownContact,
      partyRoleName: (r) => M.partyRoles[r] || r,
      channelOptions: options(M.channels), categoryOptions: options(M.categories),
      complexityOptions: options(M.complexities), roleOptions: options(M.partyRoles), kindOptions: options(M.partyKinds),
      Plus, Delete, labelPosition,
      partyCols: ['name', 'id_number', 'phone', 'address', 'agent'],
    };
  },
  template: `
  <div data-test="intake">
    <page-head :title="M.intake.title" :subtitle="M.intake.subtitle" />

    <el-card v-if="result" shadow="never" class="jf-intake-done" data-test="intake-result">
      <el-result icon="success" :title="M.intake.registered">
        <template #sub-title>
          <div class="jf-muted">{{ M.intake.numberLabel }}</div>
          <div class="jf-case-number" data-test="intake-number">{{ result.number }}</div>
        </template>
        <template #extra>
          <el-button type="primary" @click="go('/cases/' + result.id)" data-test="intake-open">{{ M.intake.open }}</el-button>
          <el-button @click="again" data-test="intake-again">{{ M.intake.another }}</el-button>
        </template>
      </el-result>
      <el-alert v-if="(result.related || []).length" type="warning" :title="M.intake.relatedTitle" show-icon :closable="false" data-test="intake-related">
        <p class="jf-related-hint">{{ M.intake.relatedHint }}</p>
        <ul class="jf-related">
          <li v-for="r in result.related" :key="r.id">
            <a :href="'#/cases/' + r.id" data-test="related-link">{{ r.number }}</a>
            <el-tag size="small" effect="plain" class="jf-tag-after">{{ caseStateName(r.state) }}</el-tag>
            <span class="jf-muted jf-tag-after">{{ categoryName(r.category) }} · {{ dateTime(r.received_at) }}</span>
          </li>
        </ul>
      </el-alert>
    </el-card>

    <el-form v-else label-width="108px" :label-position="labelPosition" class="jf-intake" @submit.prevent @keydown="onKeydown" data-test="intake-form">
      <p class="jf-hint">{{ M.intake.keys }}</p>
      <el-card shadow="never">
        <template #header>{{ M.intake.basics }}</template>
        <el-row :gutter="12">
          <el-col :xs="24" :sm="8">
            <el-form-item :label="M.intake.channel" :error="err('channel')" data-field="channel" required>
              <el-select v-model="form.channel" filterable class="jf-fill" data-test="intake-channel">
                <el-option v-for="o in channelOptions" :key="o.value" :value="o.value" :label="o.label" />
              </el-select>
            </el-form-item>
          </el-col>
          <el-col :xs="24" :sm="8">
            <el-form-item :label="M.intake.category" :error="err('category')" data-field="category" required>
              <el-select v-model="form.category" filterable default-first-option class="jf-fill" data-test="intake-category">
                <el-option v-for="o in categoryOptions" :key="o.value" :value="o.value" :label="o.label" />
              </el-select>
            </el-form-item>
          </el-col>
          <el-col :xs="24" :sm="8">
            <el-form-item :label="M.intake.complexity" :error="err('complexity')" data-field="complexity" required>
              <el-radio-group v-model="form.complexity" size="small" class="jf-radio-row" data-test="intake-complexity">
                <el-radio-button v-for="o in complexityOptions" :key="o.value" :value="o.value">{{ o.label }}</el-radio-button>
              </el-radio-group>
            </el-form-item>
          </el-col>
        </el-row>
        <el-row :gutter="12">
          <el-col :xs="24" :sm="8">
            <el-form-item :label="M.intake.place" :error="err('region_id')" data-field="region_id" required>
              <region-picker v-model="form.region_id" :placeholder="M.intake.placePlaceholder" class="jf-fill" data-test="intake-region" />
            </el-form-item>
          </el-col>
          <el-col :xs="24" :sm="8">
            <el-form-item :label="M.intake.occurredOn" :error="err('occurred_on')" data-field="occurred_on">
              <el-date-picker v-model="form.occurred_on" type="date" value-format="YYYY-MM-DD" class="jf-fill" data-test="intake-occurred" />
            </el-form-item>
          </el-col>
          <el-col :xs="24" :sm="8">
            <el-form-item :label="M.intake.urgent" data-field="urgent">
              <el-switch v-model="form.urgent" data-test="intake-urgent" />
              <el-checkbox v-model="form.key_persons" class="jf-tag-after" data-test="intake-key-persons">{{ M.intake.keyPersons }}</el-checkbox>
            </el-form-item>
          </el-col>
        </el-row>
        <el-row :gutter="12">
          <el-col :xs="24" :sm="8">
            <el-form-item :label="M.intake.people" :error="err('people')" data-field="people">
              <el-input-number v-model="form.people" :min="0" controls-position="right" class="jf-fill" data-test="intake-people" />
            </el-form-item>
          </el-col>
          <el-col :xs="24" :sm="8">
            <el-form-item :label="M.intake.amount" :error="err('amount')" data-field="amount">
              <el-input-number v-model="form.amount" :min="0" :step="1000" controls-position="right" class="jf-fill" data-test="intake-amount" />
            </el-form-item>
          </el-col>
        </el-row>
      </el-card>

      <el-card shadow="never" class="jf-block">
        <template #header>{{ M.intake.description }}</template>
        <el-form-item :label="M.intake.facts" :error="err('facts')" data-field="facts" required>
          <el-input v-model="form.facts" type="textarea" :rows="4" :placeholder="M.intake.factsPlaceholder" maxlength="5000" show-word-limit data-test="intake-facts" />
        </el-form-item>
        <el-form-item :label="M.intake.claims" :error="err('claims')" data-field="claims">
          <el-input v-model="form.claims" type="textarea" :rows="2" :placeholder="M.intake.claimsPlaceholder" data-test="intake-claims" />
        </el-form-item>
        <el-row :gutter="12">
          <el-col :xs="24" :sm="12">
            <el-form-item :label="M.intake.cause" :error="err('cause')" data-field="cause">
              <el-input v-model="form.cause" data-test="intake-cause" />
            </el-form-item>
          </el-col>
          <el-col :xs="24" :sm="12">
            <el-form-item :label="M.intake.forecast" :error="err('forecast')" data-field="forecast">
              <el-input v-model="form.forecast" :placeholder="M.intake.forecastPlaceholder" data-test="intake-forecast" />
            </el-form-item>
          </el-col>
        </el-row>
      </el-card>

      <el-card shadow="never" class="jf-block" data-test="intake-parties">
        <template #header>
          <div class="jf-card-head"><span>{{ M.intake.partiesTitle }}</span>
            <el-button :icon="Plus" size="small" @click="addParty" data-test="party-add">{{ M.intake.addParty }}</el-button></div>
        </template>
        <el-alert v-if="err('parties')" :title="err('parties')" type="error" show-icon :closable="false" class="jf-block-b" data-field="parties" />
        <table class="jf-party-table">
          <thead>
            <tr>
              <th class="jf-pc-role">{{ M.intake.partyCols.role }}</th>
              <th class="jf-pc-kind">{{ M.intake.partyCols.kind }}</th>
              <th>{{ M.intake.partyCols.name }}</th>
              <th class="jf-pc-id">{{ M.intake.partyCols.id_number }}</th>
              <th class="jf-pc-phone">{{ M.intake.partyCols.phone }}</th>
              <th>{{ M.intake.partyCols.address }}</th>
              <th>{{ M.intake.partyCols.agent }}</th>
              <th class="jf-pc-del"></th>
            </tr>
          </thead>
          <tbody>
            <tr v-for="(p, i) in form.parties" :key="p.key" :data-test="'party-row-' + i">
              <td data-col="role" :data-label="M.intake.partyCols.role">
                <el-form-item :error="err('parties[' + i + '].role')" label-width="0">
                  <el-select v-model="p.role" class="jf-fill">
                    <el-option v-for="o in roleOptions" :key="o.value" :value="o.value" :label="o.label" />
                  </el-select>
                </el-form-item>
              </td>
              <td data-col="kind" :data-label="M.intake.partyCols.kind">
                <el-form-item :error="err('parties[' + i + '].kind')" label-width="0">
                  <el-select v-model="p.kind" class="jf-fill">
                    <el-option v-for="o in kindOptions" :key="o.value" :value="o.value" :label="o.label" />
                  </el-select>
                </el-form-item>
              </td>
              <td v-for="k in partyCols" :key="k" :data-col="k" :data-label="M.intake.partyCols[k]">
                <el-form-item :error="err('parties[' + i + '].' + k)" label-width="0">
                  <el-input v-model="p[k]" @keydown.enter="onPartyEnter" @blur="k === 'id_number' || k === 'phone' ? lookupParty(p) : null" />
                </el-form-item>
              </td>
              <td class="jf-pc-del">
                <el-button v-if="form.parties.length > 1" :icon="Delete" link type="danger" :title="M.intake.removeParty"
                  :aria-label="M.intake.removeParty" tabindex="-1" @click="removeParty(i)" />
              </td>
            </tr>
          </tbody>
        </table>
        <template v-for="(p, i) in form.parties" :key="'known-' + p.key">
          <el-alert v-if="p.known && p.known.found" :type="p.known.cases.some(openCase) ? 'warning' : 'info'" show-icon :closable="false"
            class="jf-block" :data-test="'party-known-' + i">
            <template #title>{{ knownTitle(p) }}</template>
            <p class="jf-muted">{{ knownContact(p.known) }}</p>
            <ul class="jf-related">
              <li v-for="c in p.known.cases" :key="c.id">
                <a :href="'#/cases/' + c.id" target="_blank" data-test="known-case">{{ c.number }}</a>
                <el-tag size="small" effect="plain" class="jf-tag-after" :type="openCase(c) ? 'warning' : 'info'">{{ caseStateName(c.state) }}</el-tag>
                <span class="jf-muted jf-tag-after">{{ categoryName(c.category) }} · {{ partyRoleName(c.role) }} · {{ dateTime(c.received_at) }}</span>
                <el-button v-if="openCase(c) && (!form.related || form.related.id !== c.id)" link type="primary" class="jf-tag-after"
                  @click="form.related = { id: c.id, number: c.number }" data-test="known-link">{{ M.intake.linkThis }}</el-button>
              </li>
            </ul>
          </el-alert>
        </template>
      </el-card>

      <el-alert v-if="general" :title="general" type="error" show-icon :closable="false" class="jf-block" data-test="intake-error" />
      <div v-if="form.related" class="jf-block" data-test="intake-related-to">
        <span class="jf-muted">{{ M.intake.relatedTo }}</span>
        <el-tag closable class="jf-tag-after" @close="form.related = null">{{ form.related.number }}</el-tag>
        <span class="jf-muted jf-tag-after">{{ M.intake.relatedToHint }}</span>
      </div>
      <div class="jf-intake-foot">
        <el-button type="primary" size="large" :loading="saving" @click="submit" data-test="intake-submit">{{ M.intake.submit }}</el-button>
        <span class="jf-muted">Ctrl+Enter</span>
      </div>
    </el-form>
  </div>`,
};
