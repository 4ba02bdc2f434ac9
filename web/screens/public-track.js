// 进度查询 (public, no login; #/public/track?number=&code=): the citizen enters the case number
// and the access code from the application (or arrives from its QR code with both in the
// link) and sees the state in Chinese and the timeline of what happened when, as
// GET /api/v1/public/cases/{number}?code= gives it (no names, no notes). Once the case is
// closed or archived the citizen may rate the service once: POST .../rating (满意度评价).
//
// A wrong number or code is one 404 (the server does not tell which); too many misses are
// 429. The number and code go into the address, so a reload shows the case again. The
// number may be typed with any brackets and spaces: the server finds the stored form.
//
// 找回查询码: a citizen who lost the code gives the number and the applicant's phone and ID
// number (POST .../access-code); a new code is shown once and the old one stops working.
// The page names the responsible unit (never a person) and, while the case is being
// mediated, the link to its video room (视频调解) when the centre runs one.

import { computed, onMounted, reactive, ref, watch } from 'vue';
import M from '../messages/zh-CN.js';
import * as api from '../api.js';
import { hashQuery } from '../router.js';
import { caseStateName, categoryName, channelName, dateTime, t, validationMessage } from '../format.js';
import { useCountdown, waitText } from '../countdown.js';
import { stateTagType } from '../components/case-state.js';

const RATEABLE = ['closed', 'archived'];

const eventName = (a) => M.track.events[a] || M.caseEvents[a] || a;

export default {
  name: 'PublicTrackScreen',
  setup() {
    const q = hashQuery();
    const form = reactive({ number: (q.number || '').trim(), code: (q.code || '').trim().toUpperCase() });
    const kase = ref(null);
    const error = ref('');
    const busy = ref(false);
    // Wrong codes slow the address down (Retry-After): the wait is shown and counted down.
    const wait = useCountdown(() => { error.value = ''; });
    watch(wait.left, (n) => { if (n > 0) error.value = t(M.track.retryIn, { wait: waitText(n) }); });
    const rating = reactive({ satisfaction: 0, comment: '', busy: false, error: '', done: false });
    const lost = reactive({ open: false, phone: '', id_number: '', busy: false, error: '', errors: {}, issued: null });

    // The timeline newest first, as a citizen reads progress.
    const events = computed(() => (kase.value ? kase.value.timeline.slice().reverse() : []));
    const rateable = computed(() => !!kase.value && RATEABLE.includes(kase.value.state));
    const ratedBefore = computed(() => !!kase.value && kase.value.timeline.some((e) => e.action === 'citizen_rating'));

    // Keeps the number and code in the address (without adding a history entry), so a reload
    // or a bookmark shows the same case.
    function remember() {
      const h = `#/public/track?number=${encodeURIComponent(form.number)}&code=${encodeURIComponent(form.code)}`;
      if (location.hash !== h) history.replaceState(null, '', h);
    }

    async function load() {
      if (busy.value || wait.left.value > 0) return;
      form.number = form.number.trim();
      form.code = form.code.trim().toUpperCase();
      error.value = '';
      if (!form.number || !form.code) {
        error.value = M.track.notFound;
        return;
      }
      busy.value = true;
      try {
        kase.value = await api.get(`/public/cases/${encodeURIComponent(form.number)}`, { code: form.code });
        remember();
      } catch (e) {
        kase.value = null;
        if (e.status === 404) error.value = M.track.notFound;
        else if (e.status === 429 && e.retryAfter) wait.start(e.retryAfter);
        else if (e.status === 429) error.value = M.track.rateLimited;
        else error.value = e.message;
      } finally {
        busy.value = false;
      }
    }

    async function rate() {
      if (rating.busy) return;
      rating.error = '';
      if (!rating.satisfaction) {
        rating.error = M.track.rateRequired;
        return;
      }
      rating.busy = true;
      const body = { code: form.code, satisfaction: rating.satisfaction };
      if (rating.comment.trim()) body.comment = rating.comment.trim();
      try {
        await api.post(`/public/cases/${encodeURIComponent(kase.value.number)}/rating`, body);
        rating.done = true;
        await load();
      } catch (e) {
        if (e.status === 409) rating.error = rateable.value ? M.track.alreadyRated : M.track.notYet;
        else if (e.status === 404) rating.error = M.track.notFound;
        else if (e.status === 429) rating.error = M.track.rateLimited;
        else if (e.status === 400 && e.errors.length) rating.error = e.errors.map(validationMessage).join(M.common.sentenceSep);
        else rating.error = e.message;
      } finally {
        rating.busy = false;
      }
    }

    // A new code for a lost one: shown once, then the case is opened with it.
    async function recover() {
      if (lost.busy) return;
      lost.error = '';
      lost.errors = {};
      form.number = form.number.trim();
      if (!form.number) {
        lost.errors.number = M.track.recoverNumber;
        return;
      }
      lost.busy = true;
      try {
        const r = await api.post(`/public/cases/${encodeURIComponent(form.number)}/access-code`,
          { phone: lost.phone.trim(), id_number: lost.id_number.trim() });
        lost.issued = r;
        form.number = r.number;
        form.code = r.access_code;
        lost.phone = '';
        lost.id_number = '';
        await load();
      } catch (e) {
        if (e.status === 404) lost.error = M.track.recoverNotFound;
        else if (e.status === 429) lost.error = M.track.recoverLimited;
        else if (e.status === 400 && e.errors.length) {
          for (const x of e.errors) lost.errors[x.field] = M.intake.invalid[x.field] && x.code === 'invalid' ? M.intake.invalid[x.field] : validationMessage(x);
        } else lost.error = e.message;
      } finally {
        lost.busy = false;
      }
    }

    onMounted(() => {
      if (form.number && form.code) load();
    });

    return {
      M, form, kase, error, busy, waitLeft: wait.left, rating, lost, events, rateable, ratedBefore, load, rate, recover,
      eventName, caseStateName, categoryName, channelName, dateTime, stateTagType,
    };
  },
  template: `
  <div class="jf-citizen" data-test="public-track">
    <div class="jf-public-intro">
      <h2 class="jf-page-title">{{ M.track.title }}</h2>
      <p class="jf-page-subtitle">{{ M.track.intro }}</p>
    </div>
    <el-card shadow="never" class="jf-citizen-card">
      <el-form label-position="top" size="large" @submit.prevent="load" data-test="track-form">
        <el-form-item :label="M.track.number" data-field="number">
          <el-input v-model="form.number" name="number" :placeholder="M.track.numberPlaceholder" clearable />
        </el-form-item>
        <el-form-item :label="M.track.code" data-field="code">
          <el-input v-model="form.code" name="code" maxlength="8" autocapitalize="characters" autocomplete="off"
            :placeholder="M.track.codePlaceholder" class="jf-citizen-code-input" />
        </el-form-item>
        <el-alert v-if="error" :title="error" type="error" show-icon :closable="false" class="jf-block" data-test="track-error" />
        <el-button type="primary" size="large" native-type="submit" :loading="busy" :disabled="waitLeft > 0" class="jf-citizen-submit" data-test="track-submit">
          {{ M.track.submit }}
        </el-button>
      </el-form>
      <div class="jf-citizen-lost">
        <el-button link type="primary" @click="lost.open = !lost.open" data-test="lost-toggle">{{ M.track.lost }}</el-button>
      </div>
      <el-form v-if="lost.open && !lost.issued" label-position="top" size="large" @submit.prevent="recover" data-test="lost-form">
        <p class="jf-hint jf-citizen-hint-top">{{ M.track.lostIntro }}</p>
        <el-form-item :label="M.track.lostPhone" :error="lost.errors.phone" data-field="phone">
          <el-input v-model="lost.phone" name="lost-phone" type="tel" inputmode="tel" autocomplete="tel" />
        </el-form-item>
        <el-form-item :label="M.track.lostId" :error="lost.errors.id_number" data-field="id_number">
          <el-input v-model="lost.id_number" name="lost-id" maxlength="18" autocomplete="off" />
        </el-form-item>
        <el-alert v-if="lost.errors.number || lost.error" :title="lost.errors.number || lost.error" type="error" show-icon :closable="false" class="jf-block" data-test="lost-error" />
        <el-button type="primary" plain size="large" native-type="submit" :loading="lost.busy" class="jf-citizen-submit" data-test="lost-submit">
          {{ M.track.lostSubmit }}
        </el-button>
      </el-form>
      <el-alert v-if="lost.issued" type="success" show-icon :closable="false" class="jf-block" data-test="lost-issued"
        :title="M.track.lostIssued">
        <p class="jf-citizen-kv"><span class="jf-citizen-k">{{ M.track.code }}</span>
          <strong class="jf-citizen-code" data-test="lost-code">{{ lost.issued.access_code }}</strong></p>
        <p>{{ M.track.lostKeep }}</p>
      </el-alert>
    </el-card>

    <template v-if="kase">
      <el-card shadow="never" class="jf-citizen-card" data-test="track-case">
        <div class="jf-citizen-state">
          <el-tag :type="stateTagType(kase.state)" size="large" effect="dark" data-test="track-state">{{ caseStateName(kase.state) }}</el-tag>
          <span class="jf-citizen-number-sm" data-test="track-number">{{ kase.number }}</span>
        </div>
        <p class="jf-citizen-state-hint" data-test="track-hint">{{ M.track.stateHints[kase.state] || '' }}</p>
        <div v-if="kase.meeting_url" class="jf-citizen-meeting" data-test="track-meeting">
          <el-button type="success" size="large" tag="a" :href="kase.meeting_url" target="_blank" rel="noopener noreferrer"
            class="jf-citizen-submit" data-test="track-meeting-link">{{ M.track.meeting }}</el-button>
          <p class="jf-hint">{{ M.track.meetingHint }}</p>
        </div>
        <dl class="jf-citizen-dl">
          <dt>{{ M.track.category }}</dt><dd>{{ categoryName(kase.category) }}</dd>
          <dt>{{ M.track.place }}</dt><dd>{{ kase.region_name }}</dd>
          <dt>{{ M.track.unit }}</dt><dd data-test="track-unit">{{ kase.resp_org_name || M.track.unitPending }}</dd>
          <dt>{{ M.track.channel }}</dt><dd>{{ channelName(kase.channel) }}</dd>
          <dt>{{ M.track.received }}</dt><dd>{{ dateTime(kase.received_at) }}</dd>
          <dt>{{ M.track.due }}</dt><dd>{{ kase.due_date || M.common.none }}</dd>
        </dl>
      </el-card>

      <el-card v-if="rateable" shadow="never" class="jf-citizen-card" data-test="track-rating">
        <template #header>{{ M.track.rate }}</template>
        <el-alert v-if="rating.done" :title="M.track.rated" type="success" show-icon :closable="false" data-test="rating-done" />
        <el-alert v-else-if="ratedBefore" :title="M.track.ratedBefore" type="info" show-icon :closable="false" data-test="rating-before" />
        <el-form v-else label-position="top" @submit.prevent="rate" data-test="rating-form">
          <p class="jf-hint jf-citizen-hint-top">{{ M.track.rateIntro }}</p>
          <el-form-item :label="M.track.stars">
            <el-rate v-model="rating.satisfaction" show-text :texts="M.caseDetail.satisfaction" size="large" data-test="rating-stars" />
          </el-form-item>
          <el-form-item :label="M.track.comment">
            <el-input v-model="rating.comment" type="textarea" :rows="3" maxlength="500" show-word-limit :placeholder="M.track.commentPlaceholder" />
          </el-form-item>
          <el-button type="primary" size="large" native-type="submit" :loading="rating.busy" class="jf-citizen-submit" data-test="rating-submit">
            {{ M.track.rateSubmit }}
          </el-button>
        </el-form>
        <el-alert v-if="rating.error" :title="rating.error" type="error" show-icon :closable="false" class="jf-block" data-test="rating-error" />
      </el-card>

      <el-card shadow="never" class="jf-citizen-card" data-test="track-timeline">
        <template #header>{{ M.track.timeline }}</template>
        <el-timeline>
          <el-timeline-item v-for="(ev, i) in events" :key="i" :timestamp="dateTime(ev.at)" placement="top"
            :type="i === 0 ? stateTagType(ev.state) : ''" :hollow="i !== 0" data-test="track-event">
            <strong data-test="track-action">{{ eventName(ev.action) }}</strong>
            <span class="jf-muted jf-citizen-event-state">{{ caseStateName(ev.state) }}</span>
          </el-timeline-item>
        </el-timeline>
      </el-card>
    </template>
  </div>`,
};
