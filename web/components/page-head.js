// The title bar at the top of every screen: title, one line of explanation, actions on the right.

export default {
  name: 'PageHead',
  props: { title: { type: String, required: true }, subtitle: { type: String, default: '' } },
  template: `
  <div class="jf-page-head">
    <div>
      <h2 class="jf-page-title">{{ title }}</h2>
      <p v-if="subtitle" class="jf-page-subtitle">{{ subtitle }}</p>
    </div>
    <div class="jf-page-actions"><slot /></div>
  </div>`,
};
