// The consoles in a real browser against `cloudphone up`:
// portal register → login → account shows the user → logout; admin login → the new user is in
// the users list → disable → that user can no longer log in (the portal says so).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { apkPath, changed, clickChangesPicture, dropFile, framesDecoded, patch, pictureGeometry, waitFrames } from './console-helpers.mjs';
import { assertNoRawKeys, launchBrowser, shot, startCloudphone } from './harness.mjs';

let cp;
let browser;
const pageErrors = [];
const stamp = Date.now().toString(36);
const user = { username: `e2e_${stamp}`, email: `e2e_${stamp}@example.com`, display: `E2E User ${stamp}`, password: 'correct-horse-battery-9' };

async function newPage(locale = 'en-US') {
  const ctx = await browser.newContext({ locale, viewport: { width: 1280, height: 800 } });
  const page = await ctx.newPage();
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (e) => pageErrors.push(`${page.url()}: ${e.message}`));
  return page;
}

before(async () => {
  cp = await startCloudphone();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await cp?.stop();
});

async function portalLogin(page, login, password) {
  await page.goto(`${cp.base}/login`);
  await page.getByTestId('login-name').fill(login);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
}

test('portal: register, log in, account shows the user, log out', { timeout: 90_000 }, async () => {
  const page = await newPage();
  await page.goto(`${cp.base}/register`);
  await page.getByTestId('reg-email').fill(user.email);
  await page.getByTestId('reg-username').fill(user.username);
  await page.getByTestId('reg-display-name').fill(user.display);
  await page.getByTestId('reg-password').fill(user.password);
  await page.getByTestId('reg-confirm').fill(user.password);
  await shot(page, 'portal-register');
  await page.getByTestId('reg-submit').click();
  await page.waitForURL(/\/login$/);
  await page.getByText(`Account ${user.username} created`).waitFor();

  // The login form is prefilled with the new username.
  assert.equal(await page.getByTestId('login-name').inputValue(), user.username);
  await page.getByTestId('login-password').fill(user.password);
  await shot(page, 'portal-login');
  await page.getByTestId('login-submit').click();
  await page.waitForURL(/\/phones$/);
  // A new user has no phones. Without a device service the page says that service is not
  // deployed (no made-up phones); with it, create one, watch it run and look at its screen.
  const state = page.getByTestId('phones-not-deployed').or(page.getByTestId('phones-empty'));
  await state.waitFor();
  await assertNoRawKeys(page, 'portal phones');
  await shot(page, 'portal-phones');
  const devicesDeployed = await page.getByTestId('phones-empty').isVisible();
  // Live updates: with the gateway's event socket open the list is not re-read on a timer, so
  // the new phone reaching Running below arrives as a live event.
  const liveDeployed = (await fetch(`${cp.base}/api/v1/events/ws`)).status !== 404;
  if (devicesDeployed && liveDeployed) await page.locator('[data-testid="live-status"][data-live="open"]').waitFor();
  let consoleUrl = null;
  if (devicesDeployed) {
    await page.getByTestId('phone-create').click();
    await page.getByTestId('phone-name').fill('e2e-phone');
    await page.getByRole('dialog').getByRole('button', { name: 'Create', exact: true }).click();
    await page.getByTestId('phone-state-e2e-phone').waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid="phone-state-e2e-phone"]')?.textContent === 'Running', null, { timeout: 30_000 });
    await shot(page, 'portal-phones-running');
    await page.getByTestId('phone-screen-e2e-phone').click();
    const img = page.getByTestId('phone-screenshot').locator('img').or(page.locator('img[data-testid="phone-screenshot"]')).first();
    await img.waitFor({ timeout: 20_000 });
    await page.waitForFunction(() => {
      const el = document.querySelector('.ant-drawer img');
      return el instanceof HTMLImageElement && el.complete && el.naturalWidth > 0;
    }, null, { timeout: 20_000 });
    await shot(page, 'portal-phone-screen');
    await page.keyboard.press('Escape');

    // The console: the live screen decodes, a click changes the picture where it lands.
    await page.getByTestId('phone-console-e2e-phone').click();
    await page.waitForURL(/\/phones\/[^/]+\/console$/);
    consoleUrl = page.url();
    await waitFrames(page, 1);
    await page.getByTestId('console-role').filter({ hasText: 'In control' }).waitFor();
    const click = await clickChangesPicture(page);
    console.log(`console: click visible in the decoded picture after ${click.ms} ms (${click.diff} pixels changed)`);
    await assertNoRawKeys(page, 'portal console');
    await shot(page, 'portal-console');

    // Typing: keys pressed on the focused screen and text from the input box reach the phone
    // (the simulator logs injected text; read through the device service's logcat).
    await page.getByTestId('console-screen').focus();
    await page.keyboard.press('Q');
    await page.getByTestId('console-type-input').fill('hello from the console 7');
    await page.getByTestId('console-type-input').press('Enter');
    const userToken = (await (await fetch(`${cp.base}/api/v1/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: user.username, password: user.password }),
    })).json()).access_token;
    const deviceId = consoleUrl.split('/').at(-2);
    let log = '';
    for (let i = 0; i < 50 && !log.includes('hello from the console 7'); i++) {
      await page.waitForTimeout(200);
      const r = await fetch(`${cp.base}/api/v1/devices/${deviceId}/logcat?lines=2000`, { headers: { authorization: `Bearer ${userToken}` } });
      log = r.ok ? (await r.json()).text ?? '' : '';
    }
    assert.match(log, /inject text "hello from the console 7"/);
    assert.match(log, /inject text "Q"/);

    // Drag an APK onto the screen: it uploads with progress, installs, and is in the app list.
    const apk = apkPath('basic.apk');
    await dropFile(page, 'console-screen', apk, 'application/vnd.android.package-archive');
    await page.locator('[data-testid="transfer-basic.apk"][data-status="success"]').waitFor({ timeout: 60_000 });
    await page.getByTestId('console-apps').getByText('com.example.basic').waitFor();
    await shot(page, 'portal-console-apk-installed');

    // The market (when the app service runs): upload the same APK as an app of one's own and
    // submit it for review (the admin test approves it).
    if ((await fetch(`${cp.base}/api/v1/apps`)).status !== 503) {
    await page.getByTestId('nav-apps').click();
    await page.waitForURL(/\/apps$/);
    await page.getByRole('tab', { name: 'My uploads' }).click();
    await page.locator('[data-testid="market-page"] input[type="file"]').setInputFiles(apk);
    await page.locator('[data-testid="market-upload-progress"][data-status="success"]').waitFor({ timeout: 30_000 });
    const mine = page.getByTestId('my-app-com.example.basic');
    await mine.getByTestId('submit-com.example.basic-42').click();
    await mine.getByTestId('review-state-42').filter({ hasText: 'In review' }).waitFor();
    await assertNoRawKeys(page, 'portal market mine');
    await shot(page, 'portal-market-mine');
    }
    await page.goto(`${cp.base}/phones`);
  }

  await page.goto(`${cp.base}/account`);
  await page.getByTestId('profile-username').waitFor();
  assert.equal(await page.getByTestId('profile-username').innerText(), user.username);
  assert.equal(await page.getByTestId('current-user').innerText(), user.display);
  await page.getByText(user.email).first().waitFor();
  await assertNoRawKeys(page, 'portal account');
  await shot(page, 'portal-account');

  // API keys: create one, its secret shown once.
  await page.goto(`${cp.base}/account/api-keys`);
  await page.getByTestId('apikey-create').click();
  await page.getByTestId('apikey-name').fill('e2e key');
  await page.getByRole('button', { name: 'Create', exact: true }).click();
  const secret = await page.getByTestId('apikey-secret').innerText();
  assert.match(secret, /^cpk_/);
  await shot(page, 'portal-apikey-created');
  await page.getByRole('button', { name: 'I have copied it' }).click();
  await page.getByRole('cell', { name: 'e2e key' }).waitFor();

  // Quota: the limits from the API, and usage honestly unavailable.
  await page.goto(`${cp.base}/account/quota`);
  await page.getByTestId('quota-tab').waitFor();
  if (devicesDeployed) await page.getByText(/^1 of \d+ in use$/).waitFor();
  else await page.getByTestId('quota-usage-unavailable').waitFor();
  await shot(page, 'portal-quota');

  // The same pages in Chinese, with no missing translation.
  await page.getByTestId('lang-switch').click();
  await page.getByTitle('简体中文').click();
  await page.getByText('您的配额').waitFor();
  await assertNoRawKeys(page, 'portal quota zh-CN');
  await page.goto(`${cp.base}/account`);
  await page.getByText('个人资料').first().waitFor();
  await assertNoRawKeys(page, 'portal account zh-CN');
  await shot(page, 'portal-account-zh');
  await page.goto(`${cp.base}/phones`);
  await page.getByText(devicesDeployed ? '运行中' : '此部署尚未提供云手机服务').first().waitFor();
  await assertNoRawKeys(page, 'portal phones zh-CN');
  if (consoleUrl) {
    await page.goto(consoleUrl);
    await page.getByText('连接质量').waitFor();
    await waitFrames(page, 1);
    await assertNoRawKeys(page, 'portal console zh-CN');
    await shot(page, 'portal-console-zh');
    await page.goto(`${cp.base}/apps`);
    await page.getByText('应用市场').first().waitFor();
    await assertNoRawKeys(page, 'portal market zh-CN');
    await page.goto(`${cp.base}/phones`);
  }
  // Dark theme.
  await page.getByTestId('theme-switch').getByText('深色').click();
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
  await shot(page, 'portal-phones-zh-dark');
  await page.getByTestId('theme-switch').getByText('浅色').click();
  await page.getByTestId('lang-switch').click();
  await page.getByTitle('English').click();

  // Log out: back at the login page, and the account page needs a login again.
  await page.getByTestId('user-menu').click();
  await page.locator('.ant-dropdown-menu').getByText('Log out', { exact: true }).click();
  await page.waitForURL(/\/login$/);
  await page.goto(`${cp.base}/account`);
  await page.waitForURL(/\/login$/);
  await page.context().close();
});

test('admin: the new user is listed, disabling it stops its logins', { timeout: 90_000 }, async () => {
  const admin = await newPage();
  await admin.goto(`${cp.base}/admin/`);
  await admin.waitForURL(/\/admin\/login$/);
  await admin.getByTestId('login-name').fill(cp.adminUser);
  await admin.getByTestId('login-password').fill(cp.adminPassword);
  await shot(admin, 'admin-login');
  await admin.getByTestId('login-submit').click();
  await admin.waitForURL(/\/admin\/users$/);
  const row = admin.getByRole('row').filter({ hasText: user.username });
  await row.waitFor();
  assert.match(await row.innerText(), new RegExp(user.email));
  await assertNoRawKeys(admin, 'admin users');
  await shot(admin, 'admin-users');

  // Search narrows the list to the user.
  await admin.locator('input#users-search').fill(user.username);
  await admin.locator('input#users-search').press('Enter');
  await admin.waitForFunction((name) => {
    const rows = [...document.querySelectorAll('.ant-table-tbody tr.ant-table-row')];
    return rows.length === 1 && rows[0].textContent.includes(name);
  }, user.username);

  // Dashboard: its figures are the API's.
  const adminToken = (await (await fetch(`${cp.base}/api/v1/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: cp.adminUser, password: cp.adminPassword }),
  })).json()).access_token;
  const apiGet = async (p) => (await fetch(`${cp.base}${p}`, { headers: { authorization: `Bearer ${adminToken}` } })).json();
  await admin.getByTestId('nav-dashboard').click();
  await admin.getByTestId('dashboard-page').waitFor();
  const statValue = async (id) => (await admin.getByTestId(id).locator('.ant-statistic-content-value').innerText()).trim();
  const usersApi = (await apiGet('/api/v1/users?limit=100')).items.length;
  await admin.waitForFunction(([n]) => document.querySelector('[data-testid="dash-users"] .ant-statistic-content-value')?.textContent?.trim() === String(n), [usersApi]);
  const devicesResp0 = await fetch(`${cp.base}/api/v1/devices?limit=100`, { headers: { authorization: `Bearer ${adminToken}` } });
  if (devicesResp0.status === 200) {
    const devs = (await devicesResp0.json()).items;
    await admin.waitForFunction(([n]) => document.querySelector('[data-testid="dash-devices"] .ant-statistic-content-value')?.textContent?.trim() === String(n), [devs.length]);
    assert.equal(await statValue('dash-running'), String(devs.filter((d) => d.state === 'running').length));
  }
  await admin.getByTestId('chart-devices').locator('canvas').first().waitFor();
  // requests/s appears after two /metrics readings (5 s apart).
  await admin.waitForFunction(() => /\d/.test(document.querySelector('[data-testid="dash-rate"] .ant-statistic-content-value')?.textContent ?? ''), null, { timeout: 15_000 });
  await assertNoRawKeys(admin, 'admin dashboard');
  await shot(admin, 'admin-dashboard');

  // Approve the user's app; the user then installs it from the market on the phone.
  const appsResp = await fetch(`${cp.base}/api/v1/apps?review_state=pending`, { headers: { authorization: `Bearer ${adminToken}` } });
  if (appsResp.status === 200 && (await appsResp.json()).items.some((a) => a.package === 'com.example.basic')) {
    await admin.getByTestId('nav-apps').click();
    const card = admin.getByTestId('review-com.example.basic');
    await card.waitFor();
    await assertNoRawKeys(admin, 'admin review queue');
    await shot(admin, 'admin-review-queue');
    await card.getByTestId('approve-com.example.basic-42').click();
    await admin.getByText('approved and published').first().waitFor();
    await admin.getByTestId('tab-all-apps').click();
    await admin.getByRole('row').filter({ hasText: 'com.example.basic' }).first().waitFor();
    await shot(admin, 'admin-apps');

    const portal = await newPage();
    await portalLogin(portal, user.username, user.password);
    await portal.waitForURL(/\/phones$/);
    await portal.getByTestId('nav-apps').click();
    await portal.getByTestId('market-app-com.example.basic').click();
    await portal.getByTestId('install-devices').click();
    await portal.locator('.ant-select-item-option').filter({ hasText: 'e2e-phone' }).click();
    await portal.keyboard.press('Escape');
    await portal.getByTestId('install-submit').click();
    await portal.locator('[data-testid="install-item-e2e-phone"][data-status="installed"]').waitFor({ timeout: 60_000 });
    await assertNoRawKeys(portal, 'portal market install');
    await shot(portal, 'portal-market-install');
    await portal.context().close();
  }

  // An administrator observes the user's phone: the screen decodes, view-only.
  if (devicesResp0.status === 200) {
    await admin.getByTestId('nav-devices').click();
    await admin.getByTestId('observe-e2e-phone').click();
    await admin.getByTestId('console-role').filter({ hasText: 'Observer' }).waitFor();
    await waitFrames(admin, 1);
    assert.equal(await admin.getByTestId('console-back').isDisabled(), true);
    await shot(admin, 'admin-observe');
    await admin.getByTestId('nav-users').click();
    await admin.locator('input#users-search').fill(user.username);
    await admin.locator('input#users-search').press('Enter');
  }

  await admin.getByTestId(`disable-${user.username}`).click();
  await admin.locator('.ant-popconfirm').getByRole('button', { name: 'Disable' }).click();
  await admin.getByTestId(`enable-${user.username}`).waitFor();
  assert.equal(await row.getByTestId('user-status').innerText(), 'Disabled');
  await shot(admin, 'admin-user-disabled');

  // The user can no longer log in, and the portal says why.
  const portal = await newPage();
  await portalLogin(portal, user.username, user.password);
  const alert = portal.getByTestId('error-alert');
  await alert.waitFor();
  assert.match(await alert.innerText(), /disabled/i);
  assert.match(portal.url(), /\/login$/);
  await shot(portal, 'portal-login-disabled');
  await portal.context().close();

  // The rest of the console, from the live API.
  await admin.getByTestId('nav-audit').click();
  await admin.getByText('user.disabled').first().waitFor();
  await assertNoRawKeys(admin, 'admin audit');
  await shot(admin, 'admin-audit');

  // All cloud phones (when the device service runs): the user's phone is there.
  const devicesResp = await fetch(`${cp.base}/api/v1/devices`);
  if (devicesResp.status !== 503) {
    await admin.getByTestId('nav-devices').click();
    await admin.getByRole('row').filter({ hasText: 'e2e-phone' }).waitFor();
    await assertNoRawKeys(admin, 'admin devices');
    await shot(admin, 'admin-devices');
  }

  await admin.getByTestId('nav-roles').click();
  await admin.getByText('super_admin').first().waitFor();
  await assertNoRawKeys(admin, 'admin roles');
  await shot(admin, 'admin-roles');

  await admin.getByTestId('nav-system').click();
  await admin.getByTestId('ready-state').waitFor();
  assert.equal(await admin.getByTestId('ready-state').innerText(), 'Ready');
  // Per-component readiness (GET /api/v1/system/health): `cloudphone up` runs every service in
  // this process on the embedded database, so each row says ready.
  for (const name of ['database', 'user', 'device', 'app', 'media']) {
    await admin.getByTestId(`health-${name}`).waitFor();
    assert.equal(await admin.getByTestId(`health-${name}`).getAttribute('data-ready'), 'true', name);
  }
  // The total shown is the server's own counter: read /metrics and compare loosely (the page's
  // own requests move it on), then check it is a real, positive figure.
  const total = Number((await admin.getByTestId('metric-total').locator('.ant-statistic-content-value').innerText()).replace(/[^\d]/g, ''));
  const metrics = await (await fetch(`${cp.base}/metrics`)).text();
  const serverTotal = metrics.split('\n').filter((l) => l.startsWith('http_requests_total')).reduce((s, l) => s + Number(l.split(' ').pop()), 0);
  assert.ok(total > 0 && total <= serverTotal, `page total ${total}, server total ${serverTotal}`);
  await assertNoRawKeys(admin, 'admin system');
  await shot(admin, 'admin-system');

  // Chinese admin pages have no missing translation either.
  await admin.getByTestId('lang-switch').click();
  await admin.getByTitle('简体中文').click();
  await admin.getByText('服务健康').waitFor();
  await assertNoRawKeys(admin, 'admin system zh-CN');
  await admin.getByTestId('nav-dashboard').click();
  await admin.getByText('云手机状态分布').waitFor();
  await assertNoRawKeys(admin, 'admin dashboard zh-CN');
  await shot(admin, 'admin-dashboard-zh');
  for (const nav of ['templates', 'snapshots', 'apps']) {
    await admin.getByTestId(`nav-${nav}`).click();
    await admin.getByTestId(`${nav}-page`).or(admin.locator('.ant-result')).first().waitFor();
    await assertNoRawKeys(admin, `admin ${nav} zh-CN`);
  }
  await admin.getByTestId('nav-users').click();
  await admin.getByText('已禁用').first().waitFor();
  await assertNoRawKeys(admin, 'admin users zh-CN');
  await shot(admin, 'admin-users-zh');
  await admin.context().close();
});

test('no uncaught errors in the pages', () => {
  assert.deepEqual(pageErrors, []);
});
