// One Apache ECharts chart (web/vendor/echarts.js, vendored from npm: drawn on a canvas in
// the browser, nothing fetched from outside). `option` is the chart's ECharts option, set
// again whenever it changes; `theme` 'dark' for the wall display (the chart is made anew, as
// ECharts fixes a theme when a chart is created). The chart follows its box's size (a
// ResizeObserver: the window, the side menu, the 大屏 mode), and a click on a data item emits
// `pick` with ECharts' event (name, dataIndex, data) so that the screen can drill down.

import { onBeforeUnmount, onMounted, ref, watch } from 'vue';
import * as echarts from 'echarts';

export default {
  name: 'JfChart',
  props: {
    option: { type: Object, required: true },
    theme: { type: String, default: '' },
    height: { type: String, default: '320px' },
  },
  emits: ['pick'],
  setup(props, { emit }) {
    const box = ref(null);
    let chart = null;
    let observer = null;

    function make() {
      if (chart) chart.dispose();
      chart = echarts.init(box.value, props.theme || null, { renderer: 'canvas' });
      chart.on('click', (e) => emit('pick', e));
      chart.setOption({ backgroundColor: 'transparent', ...props.option }, true);
    }

    onMounted(() => {
      make();
      observer = new ResizeObserver(() => { if (chart) chart.resize(); });
      observer.observe(box.value);
    });
    watch(() => props.option, (o) => { if (chart) chart.setOption({ backgroundColor: 'transparent', ...o }, true); });
    watch(() => props.theme, make);
    onBeforeUnmount(() => {
      if (observer) observer.disconnect();
      if (chart) chart.dispose();
      chart = null;
    });
    return { box };
  },
  template: `<div ref="box" class="jf-chart" :style="{ height }"></div>`,
};
