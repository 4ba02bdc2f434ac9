// Browser tests of the web front end: login, the role-dependent frame, user management and
// logout, driven in Debian's Chromium (no browser is downloaded) against the real server on a
// fresh demo database. Screenshots go to build/screenshots/ for a human to look at.
//
// Every test fails if the page threw or logged a console error. The one kind of console error
// that is expected is Chromium's "Failed to load resource" line for an API call answered with a
// 4xx status: those answers (401 before login, 400 validation, ...) are handled by the app.

import assert from 'node:assert/strict';
import { browserSuite, login, loginOk, shot, openScreen, navLabels } from '../lib/browser.mjs';
import { DEMO_PASSWORD } from '../lib/server.mjs';

const { test: browserTest } = browserSuite();

const loginForm = (page) => page.locator('[data-test=login-form]');
const userMenu = (page) => page.locator('[data-test=user-menu]');

async function chooseOption(page, field, option) {
  await page.locator(`[data-test=user-dialog] [data-field=${field}] .el-select__wrapper`).click();
  await page.locator('.el-select-dropdown:visible').getByRole('option', { name: option, exact: true }).click();
  // A multiple select stays open; clicking the dialog title closes it without closing the dialog.
  await page.locator('[data-test=user-dialog] .el-dialog__title').click();
}

async function fillUserForm(page, { login: l, name, password, phone, roles = [], org }) {
  const dlg = page.locator('[data-test=user-dialog]');
  await dlg.waitFor();
  await dlg.locator('[data-field=login] input').fill(l);
  await dlg.locator('[data-field=name] input').fill(name);
  await dlg.locator('[data-field=password] input').fill(password);
  if (phone) await dlg.locator('[data-field=phone] input').fill(phone);
  for (const r of roles) await chooseOption(page, 'roles', r);
  if (org) {
    await chooseOption(page, 'org_id', org);
  }
}

browserTest('the login page is in Chinese and titled with the product name', async (page) => {
  await loginForm(page).waitFor();
  assert.equal(await page.title(), '解纷 · 一站式矛盾纠纷多元化解平台');
  await page.getByText('一站式矛盾纠纷多元化解平台').first().waitFor();
  await shot(page, 'login.png');
});

browserTest('a wrong password shows 账号或密码错误 and stays on the login page', async (page) => {
  await login(page, 'admin', 'not-the-password');
  const err = page.locator('[data-test=login-error]');
  await err.waitFor();
  assert.match(await err.textContent(), /账号或密码错误/);
  assert.equal(await userMenu(page).count(), 0, 'no user menu after a failed login');
  await loginForm(page).waitFor();
  await shot(page, 'login-error.png');
});

browserTest('too many wrong passwords show 尝试次数过多，请 N 秒后再试', async (page) => {
  // The server allows 5 failures per account in 15 minutes; this account is used nowhere else.
  const err = page.locator('[data-test=login-error]');
  for (let i = 0; i < 8; i++) {
    await login(page, 'jfj_mediator', 'wrong-' + i);
    await err.waitFor();
    await page.waitForFunction(() => !document.querySelector('.jf-login-submit.is-loading'));
    if (/尝试次数过多/.test(await err.textContent())) break;
  }
  assert.match(await err.textContent(), /尝试次数过多，请 \d+ 秒后再试/);
});

browserTest('admin logs in: the header shows 系统管理员 and the menu offers 用户管理 and 审计日志', async (page) => {
  await loginOk(page, 'admin');
  await page.locator('.jf-header .jf-user-role', { hasText: '系统管理员' }).waitFor(); // the role, not a name
  const header = await page.locator('.jf-header').textContent();
  assert.match(header, /绵阳市社会矛盾纠纷调处化解中心/, 'header shows the organization');
  assert.match(header, /绵阳市/, 'header shows the region');
  const labels = await navLabels(page);
  for (const l of ['工作台', '组织机构', '用户管理', '审计日志']) assert.ok(labels.includes(l), `menu has ${l}: ${labels}`);
  assert.match(await page.locator('[data-test=home-org]').textContent(), /绵阳市社会矛盾纠纷调处化解中心/);
  await shot(page, 'home-admin.png');
});

browserTest('a mediator (jzj_mediator) does not see 用户管理 or 审计日志 in the menu', async (page) => {
  await loginOk(page, 'jzj_mediator');
  await page.locator('.jf-header .jf-user-role', { hasText: '调解员' }).waitFor();
  const labels = await navLabels(page);
  assert.ok(labels.includes('工作台'), `menu has 工作台: ${labels}`);
  assert.ok(!labels.includes('用户管理'), `menu must not have 用户管理: ${labels}`);
  assert.ok(!labels.includes('审计日志'), `menu must not have 审计日志: ${labels}`);
  assert.match(await page.locator('.jf-header').textContent(), /警钟街社区人民调解委员会/);
  await shot(page, 'home-mediator.png');
});

browserTest('a reload keeps the user logged in and on the same screen', async (page) => {
  await loginOk(page, 'fc_clerk');
  await openScreen(page, '组织机构', 'organizations');
  await page.reload();
  await page.locator('[data-test=organizations]').waitFor();
  await userMenu(page).waitFor();
  assert.equal(await loginForm(page).count(), 0);
});

browserTest('the organizations screen lists organizations and the region tree', async (page) => {
  await loginOk(page, 'admin');
  await openScreen(page, '组织机构', 'organizations');
  const table = page.locator('[data-test=org-table]');
  await table.getByText('警钟街社区人民调解委员会').waitFor();
  const tree = page.locator('[data-test=region-tree]');
  await tree.getByText('绵阳市').waitFor();
  await tree.getByText('涪城区').waitFor(); // the root is expanded on load
  await page.locator('input[data-test=org-q]').fill('城厢');
  await page.locator('input[data-test=org-q]').press('Enter');
  await table.getByText('城厢街道人民调解委员会').waitFor();
  await table.getByText('警钟街社区人民调解委员会').waitFor({ state: 'detached' });
  await page.locator('input[data-test=org-q]').fill('');
  await page.locator('input[data-test=org-q]').press('Enter');
  await tree.getByText('涪城区').click();
  await table.getByText('警钟街社区人民调解委员会').waitFor();
  await shot(page, 'organizations.png');
});

browserTest('admin creates a user through the dialog and the new user appears in the table', async (page) => {
  await loginOk(page, 'admin');
  await openScreen(page, '用户管理', 'users');
  await page.locator('[data-test=user-table]').getByText('jzj_mediator').waitFor();
  await page.locator('[data-test=user-create]').click();
  await fillUserForm(page, {
    login: 'jzj_mediator2', name: '林晓', password: 'Jiefen-2026-pass', phone: '13812345678',
    roles: ['调解员'], org: '警钟街社区人民调解委员会',
  });
  await shot(page, 'user-dialog.png');
  await page.locator('[data-test=user-save]').click();
  await page.locator('[data-test=user-dialog]').waitFor({ state: 'hidden' });
  const row = page.locator('[data-test=user-table] .el-table__row', { hasText: 'jzj_mediator2' });
  await row.waitFor();
  const text = await row.textContent();
  assert.match(text, /林晓/);
  assert.match(text, /调解员/);
  assert.match(text, /警钟街社区人民调解委员会/);
  await shot(page, 'users.png');
});

browserTest('an empty login in the new-user dialog is reported at the login field', async (page) => {
  await loginOk(page, 'admin');
  await openScreen(page, '用户管理', 'users');
  await page.locator('[data-test=user-create]').click();
  await fillUserForm(page, {
    login: '', name: '空账号', password: 'Jiefen-2026-pass', roles: ['网格员'], org: '解放街社区人民调解委员会',
  });
  await page.locator('[data-test=user-save]').click();
  const err = page.locator('[data-test=user-dialog] [data-field=login] .el-form-item__error');
  await err.waitFor();
  assert.match(await err.textContent(), /[\u4e00-\u9fa5]/, 'the field error is in Chinese');
  assert.ok(await page.locator('[data-test=user-dialog]').isVisible(), 'the dialog stays open');
  await shot(page, 'user-validation.png');
});

browserTest('the audit log lists logins and filters by action', async (page) => {
  await loginOk(page, 'admin');
  await openScreen(page, '审计日志', 'audit');
  const table = page.locator('[data-test=audit-table]');
  await table.locator('.el-table__row').first().waitFor();
  await table.getByText('登录').first().waitFor();
  await shot(page, 'audit.png');
  await page.locator('[data-test=audit-action] .el-select__wrapper').click();
  await page.locator('.el-select-dropdown:visible').getByRole('option', { name: '登录失败', exact: true }).click();
  await table.locator('.el-table__row', { hasText: '登录失败' }).first().waitFor();
  const actions = await table.locator('.el-table__row .el-tag').allTextContents();
  assert.ok(actions.length > 0 && actions.every((a) => a.trim() === '登录失败'), `only 登录失败 rows: ${actions}`);
});

browserTest('a user changes their own password through the user menu (a wrong old one is shown at the field)', async (page) => {
  await loginOk(page, 'fc_supervisor');
  await userMenu(page).click();
  await page.getByRole('menuitem', { name: '修改密码' }).click();
  const form = page.locator('[data-test=password-form]');
  await form.waitFor();
  const confirm = page.locator('.el-dialog', { has: form }).getByRole('button', { name: '确定' });
  await form.locator('[data-field=old_password] input').fill('not-my-password');
  await form.locator('[data-field=password] input').fill('Jiefen-new-2026');
  await form.locator('[data-field=repeat] input').fill('Jiefen-new-2026');
  await confirm.click();
  const oldErr = form.locator('[data-field=old_password] .el-form-item__error');
  await oldErr.waitFor();
  assert.match(await oldErr.textContent(), /原密码不正确/);
  await form.locator('[data-field=old_password] input').fill(DEMO_PASSWORD);
  await confirm.click();
  await page.getByText('密码已修改').waitFor();
  await userMenu(page).click();
  await page.getByRole('menuitem', { name: '退出登录' }).click();
  await loginForm(page).waitFor();
  await loginOk(page, 'fc_supervisor', 'Jiefen-new-2026');
});

browserTest('a 401 from the API (session gone) returns to the login page', async (page) => {
  await loginOk(page, 'admin');
  await page.context().clearCookies();
  await page.locator('[data-test=nav] .el-menu-item', { hasText: '组织机构' }).click();
  await loginForm(page).waitFor();
  assert.equal(await userMenu(page).count(), 0);
});

browserTest('logout returns to the login page and a reload stays logged out', async (page) => {
  await loginOk(page, 'admin');
  await userMenu(page).click();
  await page.getByRole('menuitem', { name: '退出登录' }).click();
  await loginForm(page).waitFor();
  assert.equal(await userMenu(page).count(), 0);
  await page.reload();
  await loginForm(page).waitFor();
  assert.equal(await userMenu(page).count(), 0, 'still logged out after a reload');
});
