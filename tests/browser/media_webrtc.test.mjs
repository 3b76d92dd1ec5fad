// The media service's WebRTC transport in Debian Chromium against `cloudphone up`: a simulated
// phone streams at 720x1280 through a `media-worker` process per viewer (webrtcbin), input goes
// back over data channels, ICE through coturn in relay-only mode too.
// coturn: ctest's fixture writes $CP_TEST_ENV_DIR/coturn.env; run alone, the test starts
// scripts/test-servers/coturn.sh itself. Run: node --test tests/browser/media_webrtc.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '../../web/node_modules/playwright-core/index.mjs';
import { startCloudphone } from './media_support.mjs';

const repoDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let cp, browser, token, deviceId, turn, ownTurnDir;


async function readEnv(file) {
  const out = {};
  for (const line of (await readFile(file, 'utf8')).split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}

async function startTurn() {
  const envDir = process.env.CP_TEST_ENV_DIR;
  if (envDir) {
    try { return await readEnv(path.join(envDir, 'coturn.env')); } catch { /* not started by ctest */ }
  }
  ownTurnDir = await mkdtemp(path.join(os.tmpdir(), 'cp-coturn-'));
  execFileSync('bash', [path.join(repoDir, 'scripts/test-servers/coturn.sh'), 'start', ownTurnDir], { stdio: 'inherit' });
  return readEnv(path.join(ownTurnDir, 'coturn.env'));
}

function startRtcCloudphone() {
  return startCloudphone({
    CLOUDPHONE_MEDIA_TURN_URLS: `${turn.CP_TEST_TURN_URL}?transport=udp`,
    CLOUDPHONE_MEDIA_TURN_SECRET: turn.CP_TEST_TURN_SECRET, CLOUDPHONE_MEDIA_TURN_TTL_S: '600',
  });
}

// CPU seconds (user + system) a process has used so far.
function cpuSeconds(pid) {
  try {
    const stat = execFileSync('cat', [`/proc/${pid}/stat`], { encoding: 'utf8' });
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;  // utime, stime in clock ticks (USER_HZ 100)
  } catch { return 0; }
}

// The media-worker processes of this cloudphone (one per WebRTC viewer).
function workers() {
  const out = execFileSync('ps', ['--ppid', String(cp.pid), '-o', 'pid=,args='], { encoding: 'utf8' });
  return out.split('\n').filter((l) => l.includes('media-worker')).map((l) => Number(l.trim().split(/\s+/)[0]));
}

async function api(method, p, body, auth = token) {
  const r = await fetch(`${cp.base}${p}`, {
    method,
    headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${auth}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : null };
}

// Installed into the page: one RTCPeerConnection per call, signalled over the session's rtc
// WebSocket, its video in a <video> element that snap() reads back through a canvas.
function installRtc() {
  window.peers = [];
  window.startPeer = (url, iceServers, policy) => new Promise((resolve, reject) => {
    const p = { texts: [], errors: [], meta: null, channels: {}, ended: null };
    const pc = new RTCPeerConnection({ iceServers, iceTransportPolicy: policy });
    const video = document.createElement('video');
    video.muted = true; video.autoplay = true; video.playsInline = true;
    document.body.appendChild(video);
    const canvas = document.createElement('canvas');
    canvas.width = 720; canvas.height = 1280;
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    pc.ontrack = (e) => { video.srcObject = e.streams[0] ?? new MediaStream([e.track]); video.play().catch(() => {}); };
    pc.ondatachannel = (e) => { p.channels[e.channel.label] = e.channel; };
    const ws = new WebSocket(url);
    pc.onicecandidate = (e) => {
      if (e.candidate && e.candidate.candidate && ws.readyState === WebSocket.OPEN) {
        ws.send(JSON.stringify({ t: 'candidate', candidate: e.candidate.candidate, sdpMLineIndex: e.candidate.sdpMLineIndex ?? 0 }));
      }
    };
    ws.onmessage = async (ev) => {
      const m = JSON.parse(ev.data);
      p.texts.push(m);
      try {
        if (m.t === 'meta') p.meta = m;
        else if (m.t === 'ended') p.ended = m.reason;
        else if (m.t === 'error') p.errors.push(JSON.stringify(m));
        else if (m.t === 'offer') {
          await pc.setRemoteDescription({ type: 'offer', sdp: m.sdp });
          const answer = await pc.createAnswer();
          await pc.setLocalDescription(answer);
          ws.send(JSON.stringify({ t: 'answer', sdp: pc.localDescription.sdp }));
        } else if (m.t === 'candidate') {
          await pc.addIceCandidate({ candidate: m.candidate, sdpMLineIndex: m.sdpMLineIndex });
        }
      } catch (e) { p.errors.push(String(e)); }
    };
    ws.onopen = () => resolve(window.peers.length - 1);
    ws.onerror = () => reject(new Error('websocket error'));
    // Pointer moves on the unordered channel, everything else on the reliable one.
    p.send = (o) => {
      const ch = o.t === 'touch' && o.action === 'move' ? p.channels.pointer : p.channels.input;
      ch.send(JSON.stringify(o));
    };
    p.ready = () => p.channels.input?.readyState === 'open' && p.channels.pointer?.readyState === 'open';
    p.stats = async () => {
      const out = {};
      for (const r of (await pc.getStats()).values()) {
        if (r.type === 'inbound-rtp' && r.kind === 'video') {
          Object.assign(out, { framesDecoded: r.framesDecoded ?? 0, frameWidth: r.frameWidth, frameHeight: r.frameHeight, pliCount: r.pliCount });
        }
        if (r.type === 'transport' && r.selectedCandidatePairId) out.pairId = r.selectedCandidatePairId;
      }
      return out;
    };
    p.localCandidateType = async () => {
      const stats = await pc.getStats();
      let pairId = null;
      for (const r of stats.values()) if (r.type === 'transport' && r.selectedCandidatePairId) pairId = r.selectedCandidatePairId;
      const pair = pairId && stats.get(pairId);
      return pair ? stats.get(pair.localCandidateId)?.candidateType : null;
    };
    p.snap = (x, y, r) => {
      ctx.drawImage(video, 0, 0, 720, 1280);
      return Array.from(ctx.getImageData(x - r, y - r, 2 * r, 2 * r).data);
    };
    p.pc = pc; p.ws = ws; p.video = video;
    window.peers.push(p);
  });
}

function changed(a, b) {
  let n = 0;
  for (let i = 0; i < a.length; i += 4) {
    const la = a[i] * 0.3 + a[i + 1] * 0.59 + a[i + 2] * 0.11;
    const lb = b[i] * 0.3 + b[i + 1] * 0.59 + b[i + 2] * 0.11;
    if (Math.abs(la - lb) > 24) n++;
  }
  return n;
}

async function openSession(auth = token) {
  const s = await api('POST', '/api/v1/streams', { device_id: deviceId }, auth);
  assert.equal(s.status, 201, JSON.stringify(s.body));
  return s.body;
}

const openPages = [];
async function newPage() {
  // A failed test leaves its page open: close it, so its workers do not load the next test.
  for (const p of openPages.splice(0)) await p.close().catch(() => {});
  const page = await browser.newPage();
  openPages.push(page);
  await page.goto(`${cp.base}/ready`);
  await page.evaluate(installRtc);
  return page;
}

const rtcUrl = (s) => `ws://127.0.0.1:${cp.port}${s.rtc_url}?access_token=${token}`;

async function waitDecoding(page, k, min, timeout = 20_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const [decoded, ready, ended] = await page.evaluate(async (i) => {
      const p = window.peers[i];
      return [(await p.stats()).framesDecoded ?? 0, p.ready(), p.ended];
    }, k);
    if (decoded >= min && ready) return;
    if (ended !== null) throw new Error(`peer ${k} ended: ${ended}`);
    if (Date.now() > deadline) throw new Error(`peer ${k}: ${decoded} frames decoded, channels ready: ${ready}`);
    await page.waitForTimeout(200);
  }
}

// Polls the decoded picture of peer k until the region changed by more than `min` pixels vs.
// `before` (bounded): returns the changed-pixel count.
async function waitChange(page, k, at, before, min, ms = 8000) {
  const t0 = Date.now();
  for (;;) {
    const now = await page.evaluate(([i, p]) => window.peers[i].snap(p.x, p.y, p.r), [k, at]);
    const n = changed(before, now);
    if (n > min || Date.now() - t0 > ms) return n;
    await page.waitForTimeout(30);
  }
}

before(async () => {
  turn = await startTurn();
  cp = await startRtcCloudphone();
  const user = { email: 'rtc@example.com', username: 'rtcuser', password: 'Rtc-pass-123!' };
  const reg = await api('POST', '/api/v1/auth/register', user, null);
  assert.ok(reg.status < 300, JSON.stringify(reg.body));
  const login = await api('POST', '/api/v1/auth/login', { login: user.username, password: user.password }, null);
  assert.equal(login.status, 200, JSON.stringify(login.body));
  token = login.body.access_token;
  const dev = await api('POST', '/api/v1/devices', { name: 'rtc-phone', spec: { width: 720, height: 1280, fps: 60 } });
  assert.ok(dev.status < 300, JSON.stringify(dev.body));
  deviceId = dev.body.id;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const d = await api('GET', `/api/v1/devices/${deviceId}`);
    if (d.body?.state === 'running') break;
    if (Date.now() > deadline || d.body?.state === 'error') throw new Error(`device not running: ${JSON.stringify(d.body)}`);
    await new Promise((r) => setTimeout(r, 300));
  }
  browser = await chromium.launch({
    executablePath: process.env.CP_CHROMIUM ?? '/usr/bin/chromium', headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-features=WebRtcHideLocalIpsWithMdns'],
  });
});

after(async () => {
  if (process.env.CP_TEST_LOG_FILE && cp) await writeFile(process.env.CP_TEST_LOG_FILE, cp.log());
  await browser?.close();
  await cp?.stop();
  if (ownTurnDir) {
    execFileSync('bash', [path.join(repoDir, 'scripts/test-servers/coturn.sh'), 'stop', ownTurnDir], { stdio: 'inherit' });
    await rm(ownTurnDir, { recursive: true, force: true });
  }
});

test('two WebRTC viewers decode >= 25 fps at 720x1280; only the controller\'s touch and text apply', { timeout: 180_000 }, async () => {
  const controller = await openSession();
  const viewer = await openSession();
  assert.equal(controller.role, 'controller');
  assert.equal(viewer.role, 'viewer');
  assert.match(controller.rtc_url, /^\/api\/v1\/streams\/str_[0-9a-f]+\/rtc$/);
  // TURN credentials in the coturn REST scheme: "expiry:user", expiring within the TTL.
  const turnServer = controller.ice_servers.find((s) => s.urls.some((u) => u.startsWith('turn:')));
  const [expiry, user] = turnServer.username.split(':');
  assert.equal(user, controller.user_id);
  const ttl = Number(expiry) - Date.now() / 1000;
  assert.ok(ttl > 500 && ttl <= 601, `TURN credential expires in ${ttl} s`);

  const page = await newPage();
  await page.evaluate(([u, ice]) => window.startPeer(u, ice, 'all'), [rtcUrl(controller), controller.ice_servers]);
  await page.evaluate(([u, ice]) => window.startPeer(u, ice, 'all'), [rtcUrl(viewer), viewer.ice_servers]);
  await waitDecoding(page, 0, 1);
  await waitDecoding(page, 1, 1);
  assert.equal(workers().length, 2, 'one worker process per WebRTC viewer');
  const metas = await page.evaluate(() => window.peers.map((p) => p.meta?.role));
  assert.deepEqual(metas, ['controller', 'viewer']);

  // framesDecoded over 10 s while the controller drags a finger (the simulator sends on change).
  // The workers' CPU over the same window is logged (measured, not asserted).
  const pids = workers();
  const cpu0 = pids.map(cpuSeconds);
  const wall0 = Date.now();
  const result = await page.evaluate(async () => {
    const c = window.peers[0];
    c.send({ t: 'touch', action: 'down', pointer: 0, x: 100, y: 600, w: 720, h: 1280 });
    let i = 0;
    const timer = setInterval(() => {
      i++;
      c.send({ t: 'touch', action: 'move', pointer: 0, x: 100 + (i % 200) * 2, y: 600 + (i % 100), w: 720, h: 1280 });
    }, 20);
    const start = await Promise.all(window.peers.map((p) => p.stats()));
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, 10_000));
    const end = await Promise.all(window.peers.map((p) => p.stats()));
    const secs = (performance.now() - t0) / 1000;
    clearInterval(timer);
    c.send({ t: 'touch', action: 'up', pointer: 0, x: 100, y: 600, w: 720, h: 1280 });
    return { fps: end.map((s, k) => (s.framesDecoded - start[k].framesDecoded) / secs), end };
  });
  const cpuShare = pids.map((pid, k) => (100 * (cpuSeconds(pid) - cpu0[k])) / ((Date.now() - wall0) / 1000));
  console.log(`WebRTC decoded fps over 10 s: controller ${result.fps[0].toFixed(1)}, viewer ${result.fps[1].toFixed(1)}`);
  console.log(`media-worker CPU per viewer: ${cpuShare.map((c) => c.toFixed(1) + '%').join(', ')} of one core`);
  for (const s of result.end) {
    assert.equal(s.frameWidth, 720);
    assert.equal(s.frameHeight, 1280);
  }
  assert.ok(result.fps[0] >= 25, `controller decoded ${result.fps[0]} fps`);
  assert.ok(result.fps[1] >= 25, `viewer decoded ${result.fps[1]} fps`);
  await page.waitForTimeout(1000);  // touch feedback fades

  // The viewer touches (100, 500) of a 360x640 element = device (200, 1000): ignored.
  const at = { x: 200, y: 1000, r: 24 };
  const unscaled = { x: 100, y: 500, r: 24 };  // where a touch would land without the mapping
  const before = await page.evaluate((p) => window.peers[0].snap(p.x, p.y, p.r), at);
  const beforeUnscaled = await page.evaluate((p) => window.peers[0].snap(p.x, p.y, p.r), unscaled);
  await page.evaluate(() => window.peers[1].send({ t: 'touch', action: 'down', pointer: 0, x: 100, y: 500, w: 360, h: 640 }));
  const byViewer = await waitChange(page, 0, at, before, 200, 1500);
  assert.ok(byViewer < 50, `viewer input changed ${byViewer} pixels`);
  await page.evaluate(() => window.peers[1].send({ t: 'touch', action: 'up', pointer: 0, x: 100, y: 500, w: 360, h: 640 }));

  // The controller touches the same element point: the simulator draws the touch at device
  // (200, 1000), seen in both decoded pictures, and not at the unmapped (100, 500).
  const t0 = Date.now();
  await page.evaluate(() => window.peers[0].send({ t: 'touch', action: 'down', pointer: 0, x: 100, y: 500, w: 360, h: 640 }));
  const inController = await waitChange(page, 0, at, before, 200);
  console.log(`touch visible in the controller's decoded picture after ${Date.now() - t0} ms (polled every 30 ms)`);
  const inViewer = await waitChange(page, 1, at, before, 200);
  const atUnscaled = changed(beforeUnscaled, await page.evaluate((p) => window.peers[0].snap(p.x, p.y, p.r), unscaled));
  await page.evaluate(() => window.peers[0].send({ t: 'touch', action: 'up', pointer: 0, x: 100, y: 500, w: 360, h: 640 }));
  assert.ok(inController > 200, `controller touch changed only ${inController} pixels at (200, 1000)`);
  assert.ok(inViewer > 200, `viewer saw only ${inViewer} changed pixels at (200, 1000)`);
  assert.ok(atUnscaled < 50, `the touch also changed ${atUnscaled} pixels at the unmapped (100, 500)`);

  // Text: back to the home screen, whose search field shows what the phone received.
  await page.evaluate(() => window.peers[0].send({ t: 'home' }));
  const field = { x: 200, y: 124, r: 40 };
  // Wait until the search field is still (a launched app's window may be animating away).
  let emptyField = await page.evaluate((p) => window.peers[0].snap(p.x, p.y, p.r), field);
  for (const t1 = Date.now(); Date.now() - t1 < 8000;) {
    await page.waitForTimeout(400);
    const next = await page.evaluate((p) => window.peers[0].snap(p.x, p.y, p.r), field);
    const moving = changed(emptyField, next);
    emptyField = next;
    if (moving < 5) break;
  }
  await page.evaluate(() => window.peers[1].send({ t: 'text', text: 'viewer typing' }));
  const byViewerText = await waitChange(page, 0, field, emptyField, 100, 1500);
  assert.ok(byViewerText < 30, `viewer text changed ${byViewerText} pixels of the search field`);
  await page.evaluate(() => window.peers[0].send({ t: 'text', text: 'hello webrtc' }));
  const typed = await waitChange(page, 0, field, emptyField, 100);
  assert.ok(typed > 100, `typed text changed only ${typed} pixels of the search field`);

  const errors = await page.evaluate(() => window.peers.flatMap((p) => p.errors));
  assert.deepEqual(errors, []);
  await page.close();
  for (const s of [controller, viewer]) assert.equal((await api('DELETE', `/api/v1/streams/${s.session_id}`)).status, 204);
});

test('relay-only through coturn connects and decodes', { timeout: 90_000 }, async () => {
  const s = await openSession();
  const page = await newPage();
  await page.evaluate(([u, ice]) => window.startPeer(u, ice, 'relay'), [rtcUrl(s), s.ice_servers]);
  await waitDecoding(page, 0, 60, 30_000);
  const type = await page.evaluate(() => window.peers[0].localCandidateType());
  assert.equal(type, 'relay', 'the selected candidate pair goes through TURN');
  const stats = await page.evaluate(() => window.peers[0].stats());
  console.log(`relay-only: ${stats.framesDecoded} frames decoded at ${stats.frameWidth}x${stats.frameHeight}`);
  await page.close();
  assert.equal((await api('DELETE', `/api/v1/streams/${s.session_id}`)).status, 204);
});

test('a worker that dies ends only its own viewer; a bad answer is refused', { timeout: 90_000 }, async () => {
  const a = await openSession();
  const b = await openSession();
  const page = await newPage();
  await page.evaluate(([u, ice]) => window.startPeer(u, ice, 'all'), [rtcUrl(a), a.ice_servers]);
  await waitDecoding(page, 0, 10);
  const first = workers();
  await page.evaluate(([u, ice]) => window.startPeer(u, ice, 'all'), [rtcUrl(b), b.ice_servers]);
  await waitDecoding(page, 1, 10);
  const second = workers().filter((pid) => !first.includes(pid));
  assert.equal(second.length, 1);
  // What webrtcbin's assertion does to a process (SIGABRT), done to b's worker.
  process.kill(second[0], 'SIGABRT');
  await page.waitForFunction(() => window.peers[1].ended !== null, null, { timeout: 10_000 });
  // a (the controller) drags a finger for 2 s: the simulator sends frames on change.
  const before = (await page.evaluate(() => window.peers[0].stats())).framesDecoded;
  await page.evaluate(async () => {
    const c = window.peers[0];
    c.send({ t: 'touch', action: 'down', pointer: 0, x: 300, y: 700, w: 720, h: 1280 });
    for (let i = 0; i < 100; i++) {
      c.send({ t: 'touch', action: 'move', pointer: 0, x: 300 + (i % 50) * 4, y: 700, w: 720, h: 1280 });
      await new Promise((r) => setTimeout(r, 20));
    }
    c.send({ t: 'touch', action: 'up', pointer: 0, x: 300, y: 700, w: 720, h: 1280 });
  });
  const afterKill = (await page.evaluate(() => window.peers[0].stats())).framesDecoded;
  assert.ok(afterKill - before >= 10, `viewer a decoded ${afterKill - before} frames in 2 s after b's worker died`);
  // The transport's series: the dead worker, frames handed to workers, keyframe requests.
  const metrics = await (await fetch(`${cp.base}/metrics`)).text();
  for (const series of ['cp_media_webrtc_worker_failures_total', 'cp_media_webrtc_frames_sent_total',
    'cp_media_webrtc_keyframe_requests_total', 'cp_media_webrtc_viewers']) {
    assert.match(metrics, new RegExp(`^${series}(\\{[^}]*\\})? [1-9]`, 'm'), `${series} in /metrics`);
  }

  // A hand-made answer that rejects the video is refused before it reaches webrtcbin.
  const refused = await page.evaluate(async (u) => {
    const ws = new WebSocket(u);
    const msgs = [];
    await new Promise((r) => { ws.onopen = r; });
    ws.onmessage = (ev) => msgs.push(JSON.parse(ev.data));
    ws.send(JSON.stringify({ t: 'answer', sdp: 'v=0\r\nm=video 0 UDP/TLS/RTP/SAVPF 96\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n' }));
    ws.send(JSON.stringify({ t: 'candidate', candidate: 'a\r\nb', sdpMLineIndex: 0 }));
    ws.send('not json');
    await new Promise((r) => setTimeout(r, 1500));
    return { msgs: msgs.filter((m) => m.t === 'error'), open: ws.readyState === WebSocket.OPEN };
  }, rtcUrl(b));
  assert.deepEqual(refused.msgs.map((m) => m.field), ['sdp', 'candidate', 't']);
  assert.equal(refused.msgs[0].reason, 'video rejected');
  assert.ok(refused.open, 'the session stays usable');
  await page.close();
});

test('a stranger cannot open the WebRTC transport of someone else\'s session', { timeout: 30_000 }, async () => {
  const s = await openSession();
  const other = { email: 'rtc-other@example.com', username: 'rtcother', password: 'Other-pass-123!' };
  await api('POST', '/api/v1/auth/register', other, null);
  const login = await api('POST', '/api/v1/auth/login', { login: other.username, password: other.password }, null);
  const strangerToken = login.body.access_token;
  const denied = await api('POST', '/api/v1/streams', { device_id: deviceId }, strangerToken);
  assert.equal(denied.status, 404);
  // The signalling upgrade as the stranger: refused before any worker starts.
  const status = await new Promise((resolve, reject) => {
    const req = http.get(`${cp.base}${s.rtc_url}?access_token=${strangerToken}`, {
      headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13',
        'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' },
    });
    req.on('response', (res) => { res.resume(); resolve(res.statusCode); });
    req.on('upgrade', (res, socket) => { socket.destroy(); resolve(res.statusCode); });
    req.on('error', reject);
  });
  assert.equal(status, 404);
  // Workers of earlier tests' closed pages exit on their own; none is started for the stranger.
  for (const p of openPages.splice(0)) await p.close().catch(() => {});
  const deadline = Date.now() + 5000;
  while (workers().length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  assert.equal(workers().length, 0);
});
