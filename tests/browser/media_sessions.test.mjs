// The media service's device-scoped API against `cloudphone up` with simulated phones and Debian
// Chromium: sessions on /api/v1/devices/{id}/stream, controller hand-over, typed text reaching
// the phone (checked in the simulator's logcat over ADB), a new console taking control from one
// that went away, stream settings applied by restarting
// the scrcpy session, a 5 s recording checked by ffprobe, and one device's failure leaving
// another device's viewers streaming. Run: node --test tests/browser/media_sessions.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { client, installViewer, launchChromium, login, runningDevice, startCloudphone } from './media_support.mjs';

let cp, browser, token, api, deviceId;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

before(async () => {
  cp = await startCloudphone();
  token = await login(cp, 'mediasessions');
  api = client(cp, token);
  deviceId = await runningDevice(api, 'sessions-phone');
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await cp?.stop();
});

async function page() {
  const p = await browser.newPage();
  await p.goto(`${cp.base}/ready`);  // http://127.0.0.1: a secure context for WebCodecs
  await p.evaluate(installViewer);
  return p;
}

async function view(p, session, opts = {}) {
  return p.evaluate(([u, o]) => window.startViewer(u, o),
    [`ws://127.0.0.1:${cp.port}${session.ws_url}?access_token=${token}`, opts]);
}

async function logcat(id) {
  const r = await api('GET', `/api/v1/devices/${id}/logcat?lines=2000`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.text;
}

test('device stream sessions: list, hand-over, typed text reaches the phone, strangers kept out', { timeout: 120_000 }, async () => {
  const a = await api('POST', `/api/v1/devices/${deviceId}/stream`, {});
  assert.equal(a.status, 201, JSON.stringify(a.body));
  assert.equal(a.body.role, 'controller');
  assert.equal(a.body.signalling.ws_url, a.body.ws_url);
  const b = await api('POST', `/api/v1/devices/${deviceId}/stream`, {});
  assert.equal(b.body.role, 'viewer');

  const p = await page();
  await view(p, a.body);
  await view(p, b.body);
  await p.waitForFunction(() => window.viewers.every((v) => v.frames > 0), null, { timeout: 15_000 });
  const list = await api('GET', `/api/v1/devices/${deviceId}/stream`);
  assert.equal(list.status, 200);
  assert.deepEqual(list.body.items.map((s) => s.session_id).sort(), [a.body.session_id, b.body.session_id].sort());
  assert.equal(list.body.stream.viewers, 2);
  assert.ok(list.body.stream.frames > 0);

  // The viewer's text is ignored; after it takes control, its text reaches the phone.
  await p.evaluate(() => window.viewers[1].send({ t: 'text', text: 'viewer-text-ignored' }));
  await sleep(500);  // applied (or not) before the hand-over below
  const took = await api('POST', `/api/v1/streams/${b.body.session_id}/control`);
  assert.equal(took.status, 200, JSON.stringify(took.body));
  assert.equal(took.body.role, 'controller');
  await p.waitForFunction(() => window.viewers[0].meta?.role === 'viewer' && window.viewers[1].meta?.role === 'controller',
    null, { timeout: 5000 });
  const listed = await api('GET', '/api/v1/streams');
  assert.equal(listed.body.items.find((s) => s.session_id === a.body.session_id).role, 'viewer');
  await p.evaluate(() => window.viewers[0].send({ t: 'text', text: 'old-controller-ignored' }));
  await p.evaluate(() => window.viewers[1].send({ t: 'text', text: 'hello from the browser 42' }));
  let text = '';
  for (let i = 0; i < 50 && !text.includes('hello from the browser 42'); i++) {
    await sleep(200);
    text = await logcat(deviceId);
  }
  assert.match(text, /scrcpy inject text "hello from the browser 42"/);
  assert.doesNotMatch(text, /viewer-text-ignored|old-controller-ignored/);

  // Someone else: no session on the device, no hand-over of another user's session.
  const stranger = client(cp, await login(cp, 'mediastranger'));
  assert.equal((await stranger('POST', `/api/v1/devices/${deviceId}/stream`, {})).status, 404);
  assert.equal((await stranger('POST', `/api/v1/streams/${a.body.session_id}/control`)).status, 404);
  assert.deepEqual((await stranger('GET', `/api/v1/devices/${deviceId}/stream`)).body.items, []);

  // The controller's console goes away (tab closed, page reloaded): the owner's next console takes
  // control at once instead of viewing until the idle reaper ends the old session.
  await p.close();
  for (let i = 0; i < 50; i++) {
    const l = await api('GET', `/api/v1/devices/${deviceId}/stream`);
    if (l.body.items.every((s) => !s.connected)) break;
    await sleep(100);
  }
  const c = await api('POST', `/api/v1/devices/${deviceId}/stream`, {});
  assert.equal(c.status, 201, JSON.stringify(c.body));
  assert.equal(c.body.role, 'controller');
  const after = await api('GET', '/api/v1/streams');
  assert.equal(after.body.items.find((s) => s.session_id === b.body.session_id).role, 'viewer');

  for (const s of [a, b, c]) assert.equal((await api('DELETE', `/api/v1/streams/${s.body.session_id}`)).status, 204);
});

test('stream settings: 400 naming the field; a new max size restarts the stream at that size', { timeout: 120_000 }, async () => {
  for (const [body, field] of [[{ max_size: 50 }, 'max_size'], [{ max_fps: 0 }, 'max_fps'],
    [{ bit_rate: 'fast' }, 'bit_rate'], [{ codec: 'h265' }, 'codec']]) {
    const r = await api('PUT', `/api/v1/devices/${deviceId}/stream/settings`, body);
    assert.equal(r.status, 400, JSON.stringify(r.body));
    assert.equal(r.body.field, field);
  }
  const s = await api('POST', `/api/v1/devices/${deviceId}/stream`, {});
  const p = await page();
  await view(p, s.body);
  await p.waitForFunction(() => window.viewers[0].frames > 0, null, { timeout: 15_000 });
  const r = await api('PUT', `/api/v1/devices/${deviceId}/stream/settings`, { max_size: 640, max_fps: 30, bit_rate: 2_000_000 });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.restarted, true);
  assert.deepEqual([r.body.width, r.body.height], [360, 640]);
  // The viewer stays connected and decodes the new size.
  await p.waitForFunction(() => {
    const v = window.viewers[0];
    return v.meta?.width === 360 && document.querySelector('canvas').width === 360 && v.ws.readyState === 1;
  }, null, { timeout: 15_000 });
  const got = await api('GET', `/api/v1/devices/${deviceId}/stream/settings`);
  assert.deepEqual(got.body, { max_size: 640, max_fps: 30, bit_rate: 2_000_000 });
  assert.equal((await api('PUT', `/api/v1/devices/${deviceId}/stream/settings`, { max_size: 0, max_fps: 60, bit_rate: 8_000_000 })).status, 200);
  await p.waitForFunction(() => window.viewers[0].meta?.width === 720, null, { timeout: 15_000 });
  assert.deepEqual(await p.evaluate(() => window.viewers[0].errors), []);
  await api('DELETE', `/api/v1/streams/${s.body.session_id}`);
  await p.close();
});

test('a 5 s recording is an MP4 ffprobe reads as 720x1280 H.264 of about 5 s', { timeout: 60_000 }, async () => {
  const start = await api('POST', `/api/v1/devices/${deviceId}/recordings`, {});
  assert.equal(start.status, 201, JSON.stringify(start.body));
  assert.equal((await api('POST', `/api/v1/devices/${deviceId}/recordings`, {})).status, 409);
  // Nobody watches or touches: the stream runs for the recording alone (idle repeats, 10 fps).
  await sleep(5000);
  const stop = await api('POST', `/api/v1/devices/${deviceId}/recordings/${start.body.id}/stop`, {});
  assert.equal(stop.status, 200, JSON.stringify(stop.body));
  assert.equal(stop.body.state, 'stored');
  assert.ok(Math.abs(stop.body.duration_ms - 5000) < 500, `duration ${stop.body.duration_ms} ms`);
  const list = await api('GET', `/api/v1/devices/${deviceId}/recordings`);
  assert.ok(list.body.items.some((r) => r.id === start.body.id && r.state === 'stored'));
  const file = await api('GET', `/api/v1/devices/${deviceId}/recordings/${start.body.id}/file`, undefined, token, true);
  assert.equal(file.status, 200);
  assert.equal(file.bytes.length, stop.body.size);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cp-rec-'));
  try {
    const mp4 = path.join(dir, 'rec.mp4');
    await writeFile(mp4, file.bytes);
    const probe = JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-count_frames',
      '-show_entries', 'stream=codec_name,width,height,nb_read_frames', '-show_entries', 'format=duration,format_name',
      '-of', 'json', mp4]).toString());
    console.log(`ffprobe: ${JSON.stringify(probe)}`);
    assert.equal(probe.streams[0].codec_name, 'h264');
    assert.equal(probe.streams[0].width, 720);
    assert.equal(probe.streams[0].height, 1280);
    assert.ok(Number(probe.streams[0].nb_read_frames) >= 40, 'the idle screen repeats at least every 100 ms');
    assert.match(probe.format.format_name, /mp4/);
    assert.ok(Math.abs(Number(probe.format.duration) - 5) < 0.5, `duration ${probe.format.duration}`);
    const decodeErrors = execFileSync('ffmpeg', ['-v', 'error', '-i', mp4, '-f', 'null', '-']).toString();
    assert.equal(decodeErrors, '');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const missing = await api('GET', `/api/v1/devices/${deviceId}/recordings/rec_000000000000000000000000/file`, undefined, token, true);
  assert.equal(missing.status, 404);
  const bad = await api('GET', `/api/v1/devices/${deviceId}/recordings/..%2F..%2Fx/file`, undefined, token, true);
  assert.equal(bad.status, 404);
});

test('one device failing ends only its own sessions; another device keeps streaming', { timeout: 120_000 }, async () => {
  const other = await runningDevice(api, 'isolation-phone');
  const sa = await api('POST', `/api/v1/devices/${deviceId}/stream`, {});
  const sb = await api('POST', `/api/v1/devices/${other}/stream`, {});
  assert.equal(sb.status, 201, JSON.stringify(sb.body));
  const p = await page();
  await view(p, sa.body);
  await view(p, sb.body);
  await p.waitForFunction(() => window.viewers.every((v) => v.frames > 0), null, { timeout: 15_000 });
  // The second device's process goes away under its scrcpy session.
  const stopped = await api('POST', `/api/v1/devices/${other}/stop`, {});
  assert.ok(stopped.status < 300, JSON.stringify(stopped.body));
  await p.waitForFunction(() => window.viewers[1].ws.readyState === WebSocket.CLOSED, null, { timeout: 20_000 });
  // The first device's viewer keeps decoding a moving picture.
  const before = await p.evaluate(() => window.viewers[0].frames);
  await p.evaluate(() => {
    const v = window.viewers[0];
    v.send({ t: 'touch', action: 'down', pointer: 0, x: 100, y: 700, w: 720, h: 1280 });
    let i = 0;
    window.mover = setInterval(() => v.send({ t: 'touch', action: 'move', pointer: 0, x: 100 + (i++ % 100) * 4, y: 700, w: 720, h: 1280 }), 30);
  });
  await sleep(3000);
  await p.evaluate(() => { clearInterval(window.mover); window.viewers[0].send({ t: 'touch', action: 'cancel', pointer: 0, x: 100, y: 700, w: 720, h: 1280 }); });
  const after = await p.evaluate(() => window.viewers[0].frames);
  assert.ok(after - before > 45, `the healthy device decoded ${after - before} frames in 3 s`);
  assert.equal(await p.evaluate(() => window.viewers[0].ws.readyState), 1);
  const sessions = await api('GET', '/api/v1/streams');
  assert.ok(sessions.body.items.some((s) => s.session_id === sa.body.session_id));
  assert.ok(!sessions.body.items.some((s) => s.session_id === sb.body.session_id));
  await api('DELETE', `/api/v1/streams/${sa.body.session_id}`);
  await p.close();
});
