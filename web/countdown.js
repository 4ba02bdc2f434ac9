// A back-off wait counted down on screen: a 429 answer's Retry-After (seconds) becomes
// "请 N 秒后再试", one less every second, and the form is usable again at zero (issue 13
// part 1: the server slows a guesser down instead of locking the account out, so the person
// at the keyboard should see how long to wait rather than a bare "too many attempts").

import { onBeforeUnmount, ref } from 'vue';
import M from './messages/zh-CN.js';
import { t } from './format.js';

/** "12 秒" under two minutes, else whole minutes rounded up: "60 分钟". */
export function waitText(seconds) {
  return seconds < 120 ? t(M.backoff.seconds, { n: seconds }) : t(M.backoff.minutes, { n: Math.ceil(seconds / 60) });
}

/**
 * left: the seconds still to wait (0 when none); start(seconds) (re)starts the count;
 * onDone runs when it reaches zero. The timer stops with the component.
 */
export function useCountdown(onDone) {
  const left = ref(0);
  let timer = null;
  function stop() {
    if (timer) clearInterval(timer);
    timer = null;
  }
  function start(seconds) {
    stop();
    left.value = Math.max(0, Math.floor(seconds || 0));
    if (!left.value) return;
    timer = setInterval(() => {
      left.value -= 1;
      if (left.value <= 0) {
        stop();
        if (onDone) onDone();
      }
    }, 1000);
  }
  onBeforeUnmount(stop);
  return { left, start, stop };
}
