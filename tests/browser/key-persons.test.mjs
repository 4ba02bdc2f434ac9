// 重点人员 on a phone (390 px): a supervisor registers a key person and sees the register
// masked (张*, 510703********1234, 139****5678); the detail drawer is masked too until
// 查看完整信息 is given a reason, and the page fits the width. Screenshots in
// build/screenshots/key-persons-*.png.

import assert from 'node:assert/strict';
import { browserSuite, loginOk, shot, choose, chooseRegion } from '../lib/browser.mjs';

const { test: browserTest, server } = browserSuite();
const PHONE = { width: 390, height: 844 };

function residentId() {
  const body = `51070319800101${String(process.pid % 1000).padStart(3, '0')}`;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((s, d, i) => s + Number(d) * w[i], 0);
  return body + '10X98765432'[sum % 11];
}

browserTest('a supervisor registers a key person on a phone and sees the masked register', async (page) => {
  const id = residentId();
  const phone = `139${String(process.pid % 1e8).padStart(8, '0')}`;
  await page.setViewportSize(PHONE);
  await loginOk(page, 'fc_supervisor');
  await page.goto(`${server().url}/#/key-persons`);
  await page.locator('[data-test=key-persons]').waitFor();

  await page.locator('[data-test=kp-create]').click();
  const dlg = page.locator('[data-test=kp-dialog]');
  await dlg.locator('[data-field=name] input').fill('张三');
  await dlg.locator('[data-field=id_number] input').fill(id);
  await dlg.locator('[data-field=phone] input').fill(phone);
  await choose(page, dlg.locator('[data-field=reason]'), '刑满释放');
  await chooseRegion(page, dlg.locator('[data-field=region_id]'), ['涪城区', '城厢街道', '解放街社区']);
  await shot(page, 'key-persons-phone-form.png', { expand: false });
  await dlg.locator('[data-test=kp-save]').click();
  await dlg.waitFor({ state: 'hidden' });

  const table = page.locator('[data-test=kp-table]');
  await table.locator('[data-test=kp-name]', { hasText: '张*' }).first().waitFor();
  const names = await table.locator('[data-test=kp-name]').allTextContents();
  assert.ok(names.includes('张*'), `masked name listed: ${names}`);
  const text = await page.locator('[data-test=key-persons]').innerText();
  assert.ok(!text.includes('张三') && !text.includes(id) && !text.includes(phone), 'nothing unmasked on the list');
  const width = await page.evaluate(() => ({ doc: document.documentElement.scrollWidth, win: innerWidth }));
  assert.ok(width.doc <= width.win, `fits 390 px: ${JSON.stringify(width)}`);
  await shot(page, 'key-persons-phone-list.png');

  // The drawer: masked, then full numbers once a reason is given.
  await table.locator('[data-test=kp-name]', { hasText: '张*' }).first().click();
  const drawer = page.locator('[data-test=kp-drawer]');
  await drawer.locator('[data-test=kp-d-name]').waitFor();
  assert.equal(await drawer.locator('[data-test=kp-d-name]').innerText(), '张*');
  assert.equal(await drawer.locator('[data-test=kp-d-id]').innerText(), `${id.slice(0, 6)}********${id.slice(-4)}`);
  assert.equal(await drawer.locator('[data-test=kp-d-phone]').innerText(), `139****${phone.slice(-4)}`);
  await shot(page, 'key-persons-phone-drawer.png', { expand: false });
  await drawer.locator('[data-test=kp-reveal]').click();
  const box = page.locator('.el-message-box');
  await box.locator('textarea').fill('上门走访核实身份');
  await box.getByRole('button', { name: '确认查看' }).click();
  await drawer.locator('[data-test=kp-d-name]', { hasText: '张三' }).waitFor();
  assert.equal(await drawer.locator('[data-test=kp-d-id]').innerText(), id);
  await shot(page, 'key-persons-phone-revealed.png', { expand: false });

  // The same register on a desktop shows the masked numbers in their own columns.
  await page.keyboard.press('Escape');
  await page.setViewportSize({ width: 1366, height: 800 });
  await table.locator('[data-test=kp-id]').first().waitFor();
  assert.equal(await table.locator('[data-test=kp-id]').first().innerText(), `${id.slice(0, 6)}********${id.slice(-4)}`);
  await shot(page, 'key-persons-desktop-list.png');
});
