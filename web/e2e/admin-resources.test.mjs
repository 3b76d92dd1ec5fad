// The admin console's resource pages in a real browser against `cloudphone up`:
// templates (create one with an init command, make a phone from it), snapshots (take one of that
// phone, watch it become ready, restore it into a new phone that runs, delete it), API keys of all
// users (a user's key made in the portal is listed with its prefix; revoking it makes the key
// answer 401 at once) and the configuration view (real values, no secret on the page).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertNoRawKeys, launchBrowser, shot, startCloudphone } from './harness.mjs';

// Known secrets, so the test can look for them on the configuration page.
const JWT_SECRET = `e2e-jwt-${Date.now().toString(36)}-0123456789abcdefghijklmnop`;
const INTERNAL_SECRET = `e2e-internal-${Date.now().toString(36)}-0123456789abcdef`;
const URL_PASSWORD = 'e2e-url-pa55word';
process.env.CLOUDPHONE_AUTH_JWT_SECRET = JWT_SECRET;
process.env.CLOUDPHONE_AUTH_INTERNAL_SECRET = INTERNAL_SECRET;
// A setting nobody reads, holding a URL with credentials: shown, but with the password masked.
process.env.CLOUDPHONE_NOTIFY_WEBHOOK_URL = `https://bot:${URL_PASSWORD}@hooks.example/cp`;

let cp;
let browser;
let adminToken;
const pageErrors = [];
const stamp = Date.now().toString(36);

async function newPage(locale = 'en-US') {
  const ctx = await browser.newContext({ locale, viewport: { width: 1440, height: 900 } });
  const page = await ctx.newPage();
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (e) => pageErrors.push(`${page.url()}: ${e.message}`));
  return page;
}

async function api(path, { method = 'GET', body, token = adminToken, headers = {} } = {}) {
  const r = await fetch(`${cp.base}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : null };
}

async function eventually(what, fn, timeout = 60_000) {
  const t0 = Date.now();
  let last;
  while (Date.now() - t0 < timeout) {
    last = await fn();
    if (last) return last;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what}: not within ${timeout} ms`);
}

async function deviceNamed(name) {
  const r = await api('/api/v1/devices?limit=200');
  return r.body.items.find((d) => d.name === name);
}

async function adminLogin() {
  const admin = await newPage();
  await admin.goto(`${cp.base}/admin/`);
  await admin.waitForURL(/\/admin\/login$/);
  await admin.getByTestId('login-name').fill(cp.adminUser);
  await admin.getByTestId('login-password').fill(cp.adminPassword);
  await admin.getByTestId('login-submit').click();
  await admin.waitForURL(/\/admin\/users$/);
  return admin;
}

before(async () => {
  cp = await startCloudphone();
  browser = await launchBrowser();
  const login = await api('/api/v1/auth/login', { method: 'POST', body: { login: cp.adminUser, password: cp.adminPassword }, token: null });
  assert.equal(login.status, 200);
  adminToken = login.body.access_token;
});

after(async () => {
  await browser?.close();
  await cp?.stop();
});

test('admin: template with an init command → phone from it → snapshot → restore → delete', { timeout: 240_000 }, async () => {
  assert.equal((await api('/api/v1/templates')).status, 200, 'the device service runs in `cloudphone up`');
  const admin = await adminLogin();

  // Create a template on the page.
  await admin.getByTestId('nav-templates').click();
  await admin.getByTestId('templates-page').waitFor();
  await admin.getByTestId('template-create').click();
  await admin.getByTestId('template-name').fill('e2e-tpl');
  await admin.getByTestId('template-init').fill('setprop persist.cp.e2e 42');
  await shot(admin, 'admin-template-create');
  await admin.getByTestId('template-submit').click();
  const row = admin.getByRole('row').filter({ hasText: 'e2e-tpl' });
  await row.waitFor();
  assert.match(await row.innerText(), /setprop persist\.cp\.e2e 42/);
  const tpl = (await api('/api/v1/templates?limit=200')).body.items.find((t) => t.name === 'e2e-tpl');
  assert.ok(tpl, 'the template is in the API');
  assert.deepEqual(tpl.init_commands, ['setprop persist.cp.e2e 42']);
  assert.equal(tpl.spec.width, 720);

  // A phone from it (the page's action): it runs, and the init command ran on it.
  await admin.getByTestId('template-devices-e2e-tpl').click();
  await admin.getByText('1 phone(s) being created').waitFor();
  await assertNoRawKeys(admin, 'admin templates');
  await shot(admin, 'admin-templates');
  const phone = await eventually('phone from the template running', async () => {
    const d = await deviceNamed('e2e-tpl-1');
    return d?.state === 'running' ? d : null;
  });
  await eventually('init command effect', async () => {
    const r = await api(`/api/v1/devices/${phone.id}/exec`, { method: 'POST', body: { command: 'getprop persist.cp.e2e' } });
    return r.status === 200 && r.body.stdout === '42\n';
  }, 20_000);

  // Snapshot it from the snapshots page; the state turns Ready by a live event.
  await admin.getByTestId('nav-snapshots').click();
  await admin.getByTestId('snapshots-page').waitFor();
  await admin.getByTestId('snapshot-take').click();
  const dialog = admin.locator('.ant-modal');
  await dialog.locator('.ant-select').click();
  await admin.locator('.ant-select-item-option').filter({ hasText: 'e2e-tpl-1' }).click();
  await admin.getByTestId('snapshot-name').fill('e2e-snap');
  await admin.getByTestId('snapshot-take-submit').click();
  await admin.getByTestId('snapshot-state-e2e-snap').filter({ hasText: 'Ready' }).waitFor({ timeout: 60_000 });
  const snap = (await api('/api/v1/snapshots?limit=200')).body.items.find((s) => s.name === 'e2e-snap');
  assert.equal(snap.state, 'ready');
  assert.equal(snap.device_id, phone.id);
  await assertNoRawKeys(admin, 'admin snapshots');
  await shot(admin, 'admin-snapshots-ready');

  // Restore into a new phone, which boots and runs.
  await admin.getByTestId('snapshot-restore-e2e-snap').click();
  await admin.getByTestId('snapshot-restore-name').fill('e2e-restored');
  await admin.getByTestId('snapshot-restore-submit').click();
  await admin.getByText('Phone e2e-restored is being restored').waitFor();
  const restored = await eventually('restored phone running', async () => {
    const d = await deviceNamed('e2e-restored');
    return d?.state === 'running' ? d : null;
  }, 90_000);
  const full = (await api(`/api/v1/devices/${restored.id}`)).body;
  assert.equal(full.restored_from, snap.id);
  await admin.getByTestId('nav-devices').click();
  await admin.getByRole('row').filter({ hasText: 'e2e-restored' }).filter({ hasText: 'Running' }).waitFor();
  await shot(admin, 'admin-devices-restored');

  // Delete the snapshot (confirmed); it leaves the list and the API.
  await admin.getByTestId('nav-snapshots').click();
  await admin.getByTestId('snapshot-delete-e2e-snap').click();
  await admin.locator('.ant-popconfirm').getByRole('button', { name: 'Delete' }).click();
  await admin.getByText('Snapshot e2e-snap deleted').waitFor();
  await eventually('snapshot gone', async () => (await api(`/api/v1/snapshots/${snap.id}`)).status === 404, 30_000);
  await admin.getByRole('button', { name: 'Refresh' }).click();
  await admin.getByTestId('snapshot-state-e2e-snap').waitFor({ state: 'detached' });
  await shot(admin, 'admin-snapshots-deleted');

  // The same pages in Chinese have every word translated.
  await admin.getByTestId('lang-switch').click();
  await admin.getByTitle('简体中文').click();
  for (const nav of ['templates', 'snapshots']) {
    await admin.getByTestId(`nav-${nav}`).click();
    await admin.getByTestId(`${nav}-page`).waitFor();
    await assertNoRawKeys(admin, `admin ${nav} zh-CN`);
  }
  await admin.getByTestId('nav-templates').click();
  await admin.getByTestId('template-create').click();
  await admin.getByText('初始化命令').first().waitFor();
  await assertNoRawKeys(admin, 'admin template dialog zh-CN');
  await admin.context().close();
});

test('API keys: a key made in the portal is listed for the admin and stops working once revoked', { timeout: 120_000 }, async () => {
  const user = { username: `keys_${stamp}`, email: `keys_${stamp}@example.com`, password: 'correct-horse-battery-9' };
  assert.equal((await api('/api/v1/auth/register', { method: 'POST', body: user, token: null })).status, 201);

  // The user makes a key in the portal.
  const portal = await newPage();
  await portal.goto(`${cp.base}/login`);
  await portal.getByTestId('login-name').fill(user.username);
  await portal.getByTestId('login-password').fill(user.password);
  await portal.getByTestId('login-submit').click();
  await portal.waitForURL(/\/phones$/);
  await portal.goto(`${cp.base}/account/api-keys`);
  await portal.getByTestId('apikey-create').click();
  await portal.getByTestId('apikey-name').fill('e2e admin-visible key');
  await portal.getByRole('button', { name: 'Create', exact: true }).click();
  const key = (await portal.getByTestId('apikey-secret').innerText()).trim();
  assert.match(key, /^cpk_[0-9a-f]{12}_/);
  await portal.context().close();
  const prefix = key.slice(0, 16); // cpk_ + 12 hex
  const withKey = () => fetch(`${cp.base}/api/v1/users/me`, { headers: { 'x-api-key': key } });
  const me = await withKey();
  assert.equal(me.status, 200, 'the key works (and the gateway now caches its lookup)');
  assert.equal((await me.json()).username, user.username);

  // The admin finds it by owner; the prefix is the key's, the key itself is nowhere on the page.
  const admin = await adminLogin();
  await admin.getByTestId('nav-api-keys').click();
  await admin.getByTestId('api-keys-page').waitFor();
  await admin.locator('input#api-keys-owner').fill(user.username);
  await admin.locator('input#api-keys-owner').press('Enter');
  const row = admin.getByTestId(`api-key-row-${prefix}`);
  await row.waitFor();
  await admin.waitForFunction(() => document.querySelectorAll('.ant-table-tbody tr.ant-table-row').length === 1);
  assert.equal(await row.getByTestId('api-key-prefix').innerText(), prefix);
  assert.ok(key.startsWith(prefix));
  assert.match(await row.innerText(), new RegExp(user.username));
  assert.match(await row.innerText(), /e2e admin-visible key/);
  const pageText = await admin.evaluate(() => document.body.innerText);
  assert.ok(!pageText.includes(key.slice(17)), 'the secret part of the key is not on the page');
  await assertNoRawKeys(admin, 'admin api keys');
  await shot(admin, 'admin-api-keys');

  // Revoke (confirmed): the page shows it revoked and the key is refused at once.
  await row.getByTestId(`revoke-${prefix}`).click();
  await admin.locator('.ant-popconfirm').getByRole('button', { name: 'Revoke' }).click();
  await row.getByTestId('api-key-revoked').waitFor();
  const refused = await withKey();
  assert.equal(refused.status, 401);
  assert.equal((await refused.json()).code, 'api_key_invalid');
  await shot(admin, 'admin-api-key-revoked');
  const audit = await api(`/api/v1/audit?action=api_key.revoked&limit=10`);
  const me2 = (await api('/api/v1/users/me')).body;
  assert.ok(audit.body.items.some((e) => e.actor_id === me2.id && e.details.prefix === prefix.slice(4)), 'audit names the admin');

  await admin.getByTestId('lang-switch').click();
  await admin.getByTitle('简体中文').click();
  await admin.getByText('所有用户的 API 密钥').waitFor();
  await assertNoRawKeys(admin, 'admin api keys zh-CN');
  await admin.context().close();
});

test('System page: the running configuration, searchable, with no secret on the page', { timeout: 90_000 }, async () => {
  const admin = await adminLogin();
  await admin.getByTestId('nav-system').click();
  await admin.getByTestId('ready-state').waitFor();
  await admin.getByTestId('tab-config').click();
  const config = admin.getByTestId('system-config');
  await config.waitFor();
  const port = new URL(cp.base).port;
  await admin.locator('input#config-search').fill('gateway.port');
  assert.equal(await admin.getByTestId('config-gateway.port').innerText(), port);
  await admin.locator('input#config-search').fill('webhook');
  assert.equal(await admin.getByTestId('config-notify.webhook.url').innerText(), 'https://bot:***@hooks.example/cp');
  await admin.locator('input#config-search').fill('jwt');
  assert.equal(await admin.getByTestId('config-auth.jwt_secret').innerText(), '********');
  await admin.locator('input#config-search').fill('');
  await admin.getByTestId('config-data.dir').waitFor();
  assert.match(await config.innerText(), /sqlite/);
  assert.match(await admin.getByTestId('service-user').innerText(), /user: in this process/);
  const text = await admin.evaluate(() => document.body.innerText);
  for (const [what, secret] of [['admin password', cp.adminPassword], ['JWT secret', JWT_SECRET], ['internal secret', INTERNAL_SECRET], ['URL password', URL_PASSWORD]]) {
    assert.ok(!text.includes(secret), `the ${what} is on the System page`);
  }
  // Nor anywhere in what the API sent the page.
  const raw = JSON.stringify((await api('/api/v1/system/config')).body);
  for (const secret of [cp.adminPassword, JWT_SECRET, INTERNAL_SECRET, URL_PASSWORD]) assert.ok(!raw.includes(secret));
  await shot(admin, 'admin-system-config');
  // Config keys ("auth.access_ttl_seconds") look like i18n keys: narrow the table to one row
  // before checking that the page's own words are translated.
  await admin.locator('input#config-search').fill('gateway.port');
  await admin.waitForFunction(() => document.querySelectorAll('[data-testid="system-config"] .ant-table-tbody tr.ant-table-row').length === 1);
  await assertNoRawKeys(admin, 'admin system config');

  // A user without system:config cannot read it.
  const u = { username: `cfg_${stamp}`, email: `cfg_${stamp}@example.com`, password: 'correct-horse-battery-9' };
  await api('/api/v1/auth/register', { method: 'POST', body: u, token: null });
  const userToken = (await api('/api/v1/auth/login', { method: 'POST', body: { login: u.username, password: u.password }, token: null })).body.access_token;
  assert.equal((await api('/api/v1/system/config', { token: userToken })).status, 403);
  assert.equal((await api('/api/v1/system/config', { token: null })).status, 401);

  await admin.getByTestId('lang-switch').click();
  await admin.getByTitle('简体中文').click();
  await admin.getByText('配置', { exact: true }).first().waitFor();
  await admin.getByTestId('system-config').getByText('本进程内').first().waitFor();
  await shot(admin, 'admin-system-config-zh');
  await admin.locator('input#config-search').fill('gateway.port');
  await admin.waitForFunction(() => document.querySelectorAll('[data-testid="system-config"] .ant-table-tbody tr.ant-table-row').length === 1);
  await assertNoRawKeys(admin, 'admin system config zh-CN');
  await admin.context().close();
});

test('no uncaught errors in the pages', () => {
  assert.deepEqual(pageErrors, []);
});
