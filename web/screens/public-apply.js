// 网上申请 (public, no login; #/public/apply): a citizen files a dispute from a phone —
// category, place (the public region tree), facts, claims, who they are and, if known, who the
// other side is — with POST /api/v1/public/applications. The answer is shown once: the case
// number, the access code (only ever shown here), the QR code of the tracking link and a link
// to 进度查询.
//
// Laid out in one column for a 375px-wide screen. What is valid (phone, ID number, required
// fields) is the server's decision: its errors are put at the fields they name, the
// applicant being parties[0] and the respondent parties[1] of the staff intake. The other
// side may be a person or a company or other organisation: an organisation is sent as
// kind organization and stays a legal person (法人/非法人组织) on the case.

import { computed, reactive, ref } from 'vue';
import { ElMessage } from 'element-plus';
import M from '../messages/zh-CN.js';
import * as api from '../api.js';
import { options, validationMessage } from '../format.js';
import RegionPicker from '../components/region-picker.js';

const FIELDS = [
  'category', 'region_id', 'facts', 'claims',
  'applicant.name', 'applicant.phone', 'applicant.id_number', 'applicant.address',
  'respondent.name', 'respondent.phone',
];

// The server names the parties as the staff intake does (docs/api-contract-cases.md).
const PARTY = { 'parties[0]': 'applicant', 'parties[1]': 'respondent' };

const blank = () => ({
  category: '', region_id: null, facts: '', claims: '',
  applicant: { name: '', phone: '', id_number: '', address: '' },
  respondent: { kind: 'person', name: '', phone: '' },
});

const trimmed = (v) => (typeof v === 'string' ? v.trim() : v);

export default {
  name: 'PublicApplyScreen',
  components: { RegionPicker },
  setup() {
    const form = reactive(blank());
    const errors = reactive(Object.fromEntries(FIELDS.map((k) => [k, ''])));
    const general = ref('');
    const busy = ref(false);
    const receipt = ref(null);

    // The application as the contract names it: empty optional members are left out, and the
    // respondent only when a name was given.
    function body() {
      const b = { category: form.category, region_id: form.region_id, facts: trimmed(form.facts), applicant: {} };
      if (trimmed(form.claims)) b.claims = trimmed(form.claims);
      for (const [k, v] of Object.entries(form.applicant)) {
        if (trimmed(v) || k === 'name' || k === 'phone') b.applicant[k] = trimmed(v);
      }
      if (trimmed(form.respondent.name) || trimmed(form.respondent.phone)) {
        b.respondent = { kind: form.respondent.kind, name: trimmed(form.respondent.name) };
        if (trimmed(form.respondent.phone)) b.respondent.phone = trimmed(form.respondent.phone);
      }
      return b;
    }

    function showErrors(e) {
      const other = [];
      for (const x of e.errors) {
        const m = /^(parties\[\d+\])\.(\w+)$/.exec(x.field || '');
        const field = m && PARTY[m[1]] ? `${PARTY[m[1]]}.${m[2]}` : x.field;
        let msg = validationMessage(x);
        if (x.code === 'invalid' && M.intake.invalid[field.split('.').pop()]) msg = M.intake.invalid[field.split('.').pop()];
        if (field in errors) {
          if (!errors[field]) errors[field] = msg;
        } else {
          other.push(msg);
        }
      }
      general.value = other.length ? other.join(M.common.sentenceSep) : M.apply.fixErrors;
    }

    async function submit() {
      if (busy.value) return;
      busy.value = true;
      general.value = '';
      for (const k of FIELDS) errors[k] = '';
      try {
        receipt.value = await api.post('/public/applications', body());
        window.scrollTo(0, 0);
      } catch (e) {
        if (e.status === 400 && e.errors.length) showErrors(e);
        else if (e.status === 429) general.value = M.apply.rateLimited;
        else general.value = e.message;
      } finally {
        busy.value = false;
      }
    }

    // The QR code is an SVG the server drew; it is shown as an image (never as markup).
    const qrSrc = computed(() => (receipt.value && receipt.value.qr_svg
      ? 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(receipt.value.qr_svg) : ''));
    const trackHref = computed(() => (receipt.value
      ? `#/public/track?number=${encodeURIComponent(receipt.value.number)}&code=${encodeURIComponent(receipt.value.access_code)}` : ''));

    function another() {
      Object.assign(form, blank());
      receipt.value = null;
    }

    async function copy(text) {
      try {
        await navigator.clipboard.writeText(text);
        ElMessage.success(M.apply.copied);
      } catch {
        // Some phones refuse the clipboard outside HTTPS: the code stays on screen to write down.
      }
    }

    return {
      M, form, errors, general, busy, receipt, qrSrc, trackHref, submit, another, copy,
      categoryOptions: options(M.categories),
    };
  },
  template: `
  <div class="jf-citizen" data-test="public-apply">
    <template v-if="receipt">
      <el-card shadow="never" class="jf-citizen-receipt" data-test="apply-receipt">
        <el-result icon="success" :title="M.apply.done" :sub-title="M.apply.doneText" />
        <div class="jf-citizen-kv">
          <span class="jf-citizen-k">{{ M.apply.number }}</span>
          <strong class="jf-citizen-number" data-test="apply-number">{{ receipt.number }}</strong>
        </div>
        <div class="jf-citizen-kv">
          <span class="jf-citizen-k">{{ M.apply.code }}</span>
          <strong class="jf-citizen-code" data-test="apply-code">{{ receipt.access_code }}</strong>
          <el-button link type="primary" @click="copy(receipt.number + ' ' + receipt.access_code)">{{ M.apply.copy }}</el-button>
        </div>
        <el-alert type="warning" :closable="false" show-icon :title="M.apply.keep" class="jf-block" data-test="apply-keep" />
        <figure class="jf-citizen-qr">
          <img :src="qrSrc" :alt="M.apply.qr" data-test="apply-qr">
          <figcaption>{{ M.apply.qr }}</figcaption>
        </figure>
        <div class="jf-citizen-buttons">
          <el-button type="primary" size="large" tag="a" :href="trackHref" data-test="apply-track">{{ M.apply.track }}</el-button>
          <el-button size="large" @click="another">{{ M.apply.another }}</el-button>
        </div>
      </el-card>
    </template>
    <template v-else>
      <div class="jf-public-intro">
        <h2 class="jf-page-title">{{ M.apply.title }}</h2>
        <p class="jf-page-subtitle">{{ M.apply.intro }}</p>
      </div>
      <el-form label-position="top" size="large" @submit.prevent="submit" data-test="apply-form">
        <el-card shadow="never" class="jf-citizen-card">
          <template #header>{{ M.apply.dispute }}</template>
          <el-form-item :label="M.apply.category" required :error="errors.category" data-field="category">
            <el-select v-model="form.category" filterable :placeholder="M.apply.categoryPlaceholder" class="jf-fill">
              <el-option v-for="o in categoryOptions" :key="o.value" :value="o.value" :label="o.label" />
            </el-select>
          </el-form-item>
          <el-form-item :label="M.apply.place" required :error="errors.region_id" data-field="region_id">
            <region-picker v-model="form.region_id" public class="jf-fill" :placeholder="M.apply.placePlaceholder" />
          </el-form-item>
          <el-form-item :label="M.apply.facts" required :error="errors.facts" data-field="facts">
            <el-input v-model="form.facts" type="textarea" :rows="4" maxlength="5000" :placeholder="M.apply.factsPlaceholder" />
          </el-form-item>
          <el-form-item :label="M.apply.claims" :error="errors.claims" data-field="claims">
            <el-input v-model="form.claims" type="textarea" :rows="2" maxlength="2000" :placeholder="M.apply.claimsPlaceholder" />
          </el-form-item>
        </el-card>

        <el-card shadow="never" class="jf-citizen-card">
          <template #header>{{ M.apply.applicant }}</template>
          <el-form-item :label="M.apply.name" required :error="errors['applicant.name']" data-field="applicant.name">
            <el-input v-model="form.applicant.name" autocomplete="name" maxlength="50" />
          </el-form-item>
          <el-form-item :label="M.apply.phone" required :error="errors['applicant.phone']" data-field="applicant.phone">
            <el-input v-model="form.applicant.phone" type="tel" inputmode="tel" autocomplete="tel" :placeholder="M.apply.phonePlaceholder" />
          </el-form-item>
          <el-form-item :label="M.apply.idNumber" :error="errors['applicant.id_number']" data-field="applicant.id_number">
            <el-input v-model="form.applicant.id_number" maxlength="18" :placeholder="M.apply.idNumberPlaceholder" />
          </el-form-item>
          <el-form-item :label="M.apply.address" :error="errors['applicant.address']" data-field="applicant.address">
            <el-input v-model="form.applicant.address" autocomplete="street-address" :placeholder="M.apply.optional" />
          </el-form-item>
          <p class="jf-hint">{{ M.apply.privacy }}</p>
        </el-card>

        <el-card shadow="never" class="jf-citizen-card">
          <template #header>{{ M.apply.respondent }}</template>
          <p class="jf-hint jf-citizen-hint-top">{{ M.apply.respondentHint }}</p>
          <el-form-item :label="M.apply.respondentKind" data-field="respondent.kind">
            <el-radio-group v-model="form.respondent.kind" data-test="respondent-kind">
              <el-radio-button value="person">{{ M.apply.kinds.person }}</el-radio-button>
              <el-radio-button value="organization">{{ M.apply.kinds.organization }}</el-radio-button>
            </el-radio-group>
          </el-form-item>
          <el-form-item :label="form.respondent.kind === 'organization' ? M.apply.orgName : M.apply.name"
            :error="errors['respondent.name']" data-field="respondent.name">
            <el-input v-model="form.respondent.name" :maxlength="form.respondent.kind === 'organization' ? 100 : 50"
              :placeholder="form.respondent.kind === 'organization' ? M.apply.orgNamePlaceholder : M.apply.optional" />
          </el-form-item>
          <el-form-item :label="M.apply.phone" :error="errors['respondent.phone']" data-field="respondent.phone">
            <el-input v-model="form.respondent.phone" type="tel" inputmode="tel" :placeholder="M.apply.optional" />
          </el-form-item>
        </el-card>

        <el-alert v-if="general" :title="general" type="error" show-icon :closable="false" class="jf-block" data-test="apply-error" />
        <el-button type="primary" size="large" native-type="submit" :loading="busy" class="jf-citizen-submit" data-test="apply-submit">
          {{ M.apply.submit }}
        </el-button>
      </el-form>
    </template>
  </div>`,
};
