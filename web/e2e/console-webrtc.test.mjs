// The portal's phone console over WebRTC against `cloudphone up`: with the transport forced to
// WebRTC (?transport=webrtc) the <video> plays the phone (frames decoded keep increasing, the
// device's picture size), a click lands where it was made. Auto falls back to the WebSocket path
// and says so (a) with WebRTC made impossible in the page (every RTCPeerConnection relay-only with
// no TURN server, so ICE never connects — the signalling itself runs for real) and (b) against a
// second `cloudphone up` that cannot start its WebRTC worker (media.worker_bin missing); the
// selector's choice is remembered.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { changed, clickChangesPicture, framesDecoded, patch, pictureGeometry, waitFrames } from './console-helpers.mjs';
import { assertNoRawKeys, launchBrowser, shot, startCloudphone } from './harness.mjs';

let browser;
let main; // { cp, token, deviceId }: the ordinary `cloudphone up`
const started = [];
const pageErrors = [];
const stamp = Date.now().toString(36);
const user = { username: `rtc_${stamp}`, email: `rtc_${stamp}@example.com`, password: 'correct-horse-battery-9' };

async function api(env, method, p, body) {
  const r = await fetch(`${env.cp.base}${p}`, {
    method,
    headers: { 'content-type': 'application/json', ...(env.token ? { authorization: `Bearer ${env.token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : null };
}

/** A `cloudphone up` with the test user and a running 720x1280 phone. */
async function userWithPhone(extraEnv) {
  const cp = await startCloudphone(extraEnv);
  started.push(cp);
  const env = { cp, token: null, deviceId: null };
  const reg = await api(env, 'POST', '/api/v1/auth/register', user);
  assert.ok(reg.status < 300, JSON.stringify(reg.body));
  const login = await api(env, 'POST', '/api/v1/auth/login', { login: user.username, password: user.password });
  assert.equal(login.status, 200, JSON.stringify(login.body));
  env.token = login.body.access_token;
  const dev = await api(env, 'POST', '/api/v1/devices', { name: 'rtc-phone', spec: { width: 720, height: 1280, fps: 60 } });
  assert.ok(dev.status < 300, JSON.stringify(dev.body));
  env.deviceId = dev.body.id;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const d = await api(env, 'GET', `/api/v1/devices/${env.deviceId}`);
    if (d.body?.state === 'running') return env;
    if (Date.now() > deadline || d.body?.state === 'error') throw new Error(`device not running: ${JSON.stringify(d.body)}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

before(async () => {
  browser = await launchBrowser();
  main = await userWithPhone();
});

after(async () => {
  await browser?.close();
  for (const cp of started) await cp.stop();
  assert.deepEqual(pageErrors, []);
});

/** A logged-in portal page in a fresh browser context (fresh localStorage). */
async function loggedIn(env, setup) {
  const ctx = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
  if (setup) await setup(ctx);
  const page = await ctx.newPage();
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (e) => pageErrors.push(`${page.url()}: ${e.message}`));
  page.cp = env.cp;
  await page.goto(`${env.cp.base}/login`);
  await page.getByTestId('login-name').fill(user.username);
  await page.getByTestId('login-password').fill(user.password);
  await page.getByTestId('login-submit').click();
  await page.waitForURL(/\/phones$/);
  return page;
}

async function transportIs(page, kind, timeout = 40_000) {
  try {
    await page.locator(`[data-testid="phone-console"][data-transport="${kind}"]`).waitFor({ timeout });
  } catch (e) {
    // What the console says, and the server's WebRTC log lines, for the failure message.
    const shown = await page.getByTestId('phone-console').innerText().catch(() => '?');
    const log = page.cp.log().split('\n').filter((l) => /webrtc|media-worker|ice/i.test(l)).slice(-20).join('\n');
    throw new Error(`${e.message}\nconsole: ${shown.slice(0, 600)}\nserver:\n${log}`);
  }
}


test('console over WebRTC: the <video> plays the phone, frames keep decoding, a click changes the picture', { timeout: 120_000 }, async () => {
  const page = await loggedIn(main);
  const t0 = Date.now();
  await page.goto(`${main.cp.base}/phones/${main.deviceId}/console?transport=webrtc`);
  await transportIs(page, 'webrtc');
  const connectMs = Date.now() - t0;
  await waitFrames(page, 1);
  assert.equal(await page.getByTestId('console-transport').innerText(), 'WebRTC');
  assert.equal(await page.getByTestId('console-canvas').count(), 0, 'no WebCodecs canvas on the WebRTC path');
  await page.getByTestId('console-role').filter({ hasText: 'In control' }).waitFor();
  const video = await page.getByTestId('console-video').evaluate((v) => ({
    w: v.videoWidth, h: v.videoHeight, muted: v.muted, playsInline: v.playsInline, autoplay: v.autoplay, paused: v.paused,
  }));
  assert.deepEqual(video, { w: 720, h: 1280, muted: true, playsInline: true, autoplay: true, paused: false });

  // Frames decoded (the console's getStats reading) keep increasing for 5 s; the presented
  // frames counted by requestVideoFrameCallback over the same window, in the page.
  const samples = [await framesDecoded(page)];
  const presented = page.getByTestId('console-video').evaluate((v) => new Promise((resolve) => {
    let n = 0;
    const end = performance.now() + 5000;
    const cb = (now) => { n++; if (now < end) v.requestVideoFrameCallback(cb); else resolve(n); };
    v.requestVideoFrameCallback(cb);
  }));
  for (let i = 0; i < 5; i++) {
    await page.waitForTimeout(1000);
    samples.push(await framesDecoded(page));
  }
  const presentedFrames = await presented;
  const fps = (samples.at(-1) - samples[0]) / 5;
  const shown = await page.getByTestId('console-quality').innerText();
  console.log(`webrtc: connected (first frame decoded) ${connectMs} ms after navigation; decoded ${fps.toFixed(1)} fps on an idle screen `
    + `(samples ${samples.join(',')}), ${presentedFrames} frames presented in 5 s; console shows: ${shown.replace(/\s+/g, ' ')}`);
  for (let i = 1; i < samples.length; i++) assert.ok(samples[i] >= samples[i - 1], `frames decoded went back: ${samples}`);
  // An idle simulated screen repeats its picture every 100 ms (at most 10 fps).
  assert.ok(samples.at(-1) - samples[0] >= 10, `only ${samples.at(-1) - samples[0]} frames decoded in 5 s: ${samples}`);
  assert.ok(presentedFrames >= 10, `only ${presentedFrames} frames presented in 5 s`);
  assert.match(shown, /Network round trip\s*\d+ ms/);

  const click = await clickChangesPicture(page);
  console.log(`webrtc: click visible in the <video> after ${click.ms} ms (${click.diff} pixels changed)`);
  await assertNoRawKeys(page, 'portal console webrtc');
  await shot(page, 'portal-console-webrtc');
  // Leaving the console (in the app) ends its stream session: the next console is the controller.
  await page.getByRole('button', { name: 'Back to the list' }).click();
  await page.waitForURL(/\/phones$/);
  for (const end = Date.now() + 5000; (await api(main, 'GET', '/api/v1/streams')).body.items.length > 0;) {
    assert.ok(Date.now() < end, 'the console left its stream session behind');
    await page.waitForTimeout(100);
  }
  await page.context().close();
});

test('console Auto falls back to the WebSocket when WebRTC cannot connect, says so, and the choice is remembered', { timeout: 120_000 }, async () => {
  // Relay-only with no TURN server: no candidate pair can ever form (the page's only change).
  const page = await loggedIn(main, (ctx) => ctx.addInitScript(() => {
    const Real = window.RTCPeerConnection;
    window.RTCPeerConnection = class extends Real {
      constructor(config) { super({ ...config, iceServers: [], iceTransportPolicy: 'relay' }); }
    };
  }));
  const t0 = Date.now();
  await page.goto(`${main.cp.base}/phones/${main.deviceId}/console`);
  await transportIs(page, 'websocket');
  const fallbackMs = Date.now() - t0;
  await page.getByTestId('console-fallback').filter({ hasText: /WebRTC did not connect \(.+\); using WebSocket instead\./ }).waitFor();
  await waitFrames(page, 1);
  assert.equal(await page.getByTestId('console-transport').innerText(), 'WebSocket');
  await page.getByTestId('console-role').filter({ hasText: 'In control' }).waitFor();
  console.log(`auto: fell back to the WebSocket ${fallbackMs} ms after navigation: ${await page.getByTestId('console-fallback').innerText()}`);
  // The failed WebRTC attempt's stream session is gone: only the WebSocket one is left.
  const sessions = await api(main, 'GET', '/api/v1/streams');
  assert.equal(sessions.status, 200);
  assert.deepEqual(sessions.body.items.map((s) => [s.role, s.connected]), [['controller', true]]);
  const click = await clickChangesPicture(page);
  console.log(`auto/websocket: click visible in the canvas after ${click.ms} ms (${click.diff} pixels changed)`);
  await assertNoRawKeys(page, 'portal console fallback');
  await shot(page, 'portal-console-fallback');

  // Choosing WebSocket reconnects without trying WebRTC, and survives a reload.
  await page.getByTestId('console-transport-choice').getByText('WebSocket', { exact: true }).click();
  await transportIs(page, 'websocket');
  await page.reload();
  await transportIs(page, 'websocket', 8000);
  await waitFrames(page, 1);
  assert.equal(await page.getByTestId('console-fallback').count(), 0, 'WebRTC was not tried');
  assert.equal(await page.evaluate(() => localStorage.getItem('cloudphone.console.transport')), 'websocket');
  await page.context().close();
});

test('console Auto falls back at once when the server cannot start its WebRTC worker', { timeout: 150_000 }, async () => {
  const broken = await userWithPhone({ CLOUDPHONE_MEDIA_WORKER_BIN: '/nonexistent/cloudphone-media-worker' });
  const page = await loggedIn(broken);
  const t0 = Date.now();
  await page.goto(`${broken.cp.base}/phones/${broken.deviceId}/console`);
  await transportIs(page, 'websocket');
  const fallbackMs = Date.now() - t0;
  const says = await page.getByTestId('console-fallback').innerText();
  console.log(`auto (no worker): fell back to the WebSocket ${fallbackMs} ms after navigation: ${says}`);
  assert.match(says, /WebRTC did not connect \(WebRTC unavailable: cannot start the WebRTC worker/);
  // The server's "ended" ends the attempt at once, not after the 10 s ICE timeout.
  assert.ok(fallbackMs < 9000, `fallback took ${fallbackMs} ms`);
  await waitFrames(page, 1);
  await page.getByTestId('console-role').filter({ hasText: 'In control' }).waitFor();
  await page.context().close();
});
