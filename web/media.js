// The width the staff screens are laid out for. Under 768 px (a phone held upright, 360–414 px
// wide, or a small tablet) the side menu becomes a drawer behind a button in the header,
// forms put each label above its field in one column, descriptions take one or two columns
// and dialogs take the screen's width (style.css has the matching @media rules; 768 px is
// also Element Plus's `xs`/`sm` breakpoint, so `:xs="24"` on a column agrees with it).

import { computed, ref } from 'vue';

const query = window.matchMedia('(max-width: 767.98px)');

/** True while the window is narrower than 768 px. */
export const narrow = ref(query.matches);
query.addEventListener('change', (e) => { narrow.value = e.matches; });

/** Element Plus label-position for a form: labels above the fields on a narrow screen. */
export const labelPosition = computed(() => (narrow.value ? 'top' : 'right'));

/** A dialog's width: as asked on a wide screen, the whole screen less a margin on a phone. */
export const dialogWidth = (wide) => (narrow.value ? 'calc(100vw - 16px)' : wide);

/** Columns of an el-descriptions: as asked on a wide screen, `few` on a narrow one. */
export const columns = (wide, few = 1) => (narrow.value ? few : wide);
