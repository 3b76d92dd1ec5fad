// The gateway's live events (WS /api/v1/events/ws) in a real browser against `cloudphone up`:
// a user's socket receives its own phone's device events as the phone boots, another user's
// socket receives none of them, an administrator's receives them all, and a socket without a
// token is refused.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launchBrowser, startCloudphone } from './harness.mjs';

let cp;
let browser;

before(async () => {
  cp = await startCloudphone();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await cp?.stop();
});

async function api(method, p, body, token) {
  const r = await fetch(`${cp.base}${p}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : null };
}

async function userToken(name) {
  const password = 'Live-events-pass-1';
  const reg = await api('POST', '/api/v1/auth/register', { email: `${name}@example.com`, username: name, password });
  assert.ok(reg.status < 300, JSON.stringify(reg.body));
  return (await api('POST', '/api/v1/auth/login', { login: name, password })).body.access_token;
}

test('device events reach their owner and admins only', { timeout: 120_000 }, async () => {
  const devices = await fetch(`${cp.base}/api/v1/devices`);
  if (devices.status === 503) return; // no device service in this deployment: nothing to send
  const alice = await userToken('live_alice');
  const bob = await userToken('live_bob');
  const admin = (await api('POST', '/api/v1/auth/login', { login: cp.adminUser, password: cp.adminPassword })).body.access_token;

  const page = await browser.newPage();
  await page.goto(`${cp.base}/ready`);
  const wsBase = cp.base.replace('http', 'ws');
  const opened = await page.evaluate(async ({ wsBase, tokens }) => {
    window.got = {};
    const open = (name, url) => new Promise((resolve) => {
      window.got[name] = [];
      const ws = new WebSocket(url);
      ws.onmessage = (e) => window.got[name].push(JSON.parse(e.data));
      ws.onopen = () => resolve(true);
      ws.onerror = () => resolve(false);
    });
    const out = {};
    for (const [name, token] of Object.entries(tokens)) out[name] = await open(name, `${wsBase}/api/v1/events/ws?access_token=${token}`);
    out.anonymous = await open('anonymous', `${wsBase}/api/v1/events/ws`);
    return out;
  }, { wsBase, tokens: { alice, bob, admin } });
  assert.deepEqual(opened, { alice: true, bob: true, admin: true, anonymous: false });

  const dev = await api('POST', '/api/v1/devices', { name: 'live-phone' }, alice);
  assert.ok(dev.status < 300, JSON.stringify(dev.body));
  const id = dev.body.id;
  // Alice's socket sees her phone reach running, pushed by the gateway (nothing polls here).
  await page.waitForFunction((id) => window.got.alice.some((e) => e.subject === id && e.data?.state === 'running'), id, { timeout: 60_000 });
  await page.waitForFunction((id) => window.got.admin.some((e) => e.subject === id && e.data?.state === 'running'), id, { timeout: 10_000 });
  const got = await page.evaluate(() => window.got);
  const mine = got.alice.filter((e) => e.subject === id);
  assert.ok(mine.every((e) => e.type.startsWith('device.') && e.data.owner_id && e.time && e.id), JSON.stringify(mine));
  assert.equal(got.alice[0].type, 'hello');
  // Bob saw nothing of Alice's phone (only the greeting).
  assert.deepEqual(got.bob.map((e) => e.type), ['hello']);

  // Deleting the phone is an event too.
  assert.equal((await api('DELETE', `/api/v1/devices/${id}`, undefined, alice)).status < 300, true);
  await page.waitForFunction((id) => window.got.alice.some((e) => e.subject === id && e.type === 'device.deleted'), id, { timeout: 30_000 });
  assert.deepEqual((await page.evaluate(() => window.got.bob)).map((e) => e.type), ['hello']);
  await page.close();
});
