// Shared by the media browser tests and the media benchmark: a `cloudphone up` on a free port,
// API calls, simulated devices, headless Debian Chromium, and an in-page viewer (WebSocket stream
// decoded with WebCodecs, or WebRTC into a <video>) that reads the simulator's capture-time stamp
// back from every shown frame (glass-to-glass latency) and times input until the picture changes.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '../../web/node_modules/playwright-core/index.mjs';

export const repoDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

export async function startCloudphone(extraEnv = {}) {
  const bin = path.resolve(repoDir, process.env.CP_CLOUDPHONE_BIN ?? 'build/cloudphone');
  await stat(bin);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cp-media-'));
  const port = await freePort();
  const child = spawn(bin, ['up'], {
    cwd: repoDir,
    env: { ...process.env, CLOUDPHONE_DATA_DIR: dataDir, CLOUDPHONE_GATEWAY_PORT: String(port),
      CLOUDPHONE_GATEWAY_RATE_LIMIT_USER: '100000/1s', CLOUDPHONE_GATEWAY_RATE_LIMIT_IP: '100000/1s', ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { out += d; });
  const exited = new Promise((r) => child.once('exit', (c, s) => r(`exited (${c ?? s})`)));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    const done = await Promise.race([exited, new Promise((r) => setTimeout(() => r(null), 200))]);
    if (done) throw new Error(`cloudphone up ${done}:\n${out}`);
    try { if ((await fetch(`${base}/ready`)).ok) break; } catch { /* not listening yet */ }
    if (Date.now() > deadline) throw new Error(`cloudphone up not ready:\n${out}`);
  }
  return {
    base, port, pid: child.pid, dataDir, log: () => out,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 8000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export function client(cp, token) {
  return async function api(method, p, body, auth = token, raw = false) {
    const r = await fetch(`${cp.base}${p}`, {
      method,
      headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${auth}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (raw) return { status: r.status, bytes: Buffer.from(await r.arrayBuffer()) };
    const text = await r.text();
    let parsed = null;
    try { parsed = text ? JSON.parse(text) : null; } catch { parsed = text; }
    return { status: r.status, body: parsed };
  };
}

export async function login(cp, name) {
  const api = client(cp, null);
  const user = { email: `${name}@example.com`, username: name, password: 'Media-pass-123!' };
  await api('POST', '/api/v1/auth/register', user, null);
  const r = await api('POST', '/api/v1/auth/login', { login: name, password: user.password }, null);
  if (r.status !== 200) throw new Error(`login ${name}: ${JSON.stringify(r.body)}`);
  return r.body.access_token;
}

export async function runningDevice(api, name, spec = { width: 720, height: 1280, fps: 60 }) {
  const dev = await api('POST', '/api/v1/devices', { name, spec });
  if (dev.status >= 300) throw new Error(`create device: ${JSON.stringify(dev.body)}`);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const d = await api('GET', `/api/v1/devices/${dev.body.id}`);
    if (d.body?.state === 'running') return dev.body.id;
    if (Date.now() > deadline || d.body?.state === 'error') throw new Error(`device not running: ${JSON.stringify(d.body)}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

export async function launchChromium(extraArgs = []) {
  return chromium.launch({
    executablePath: process.env.CP_CHROMIUM ?? '/usr/bin/chromium', headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-background-timer-throttling', '--disable-renderer-backgrounding', ...extraArgs],
  });
}

// Installed into the page (page.evaluate): window.startViewer(url, {decode}) opens one WebSocket
// viewer, window.startRtcViewer(rtcUrl, iceServers, {decode}) one WebRTC viewer. A decoding
// viewer draws every frame into its canvas, reads the capture stamp (see
// src/devicesim/time_stamp.h) and records display − capture in ms; probe_at(x, y) sends a touch
// and resolves with the ms until a shown frame changes around that point.
export function installViewer() {
  const STAMP_BLOCK = 12, STAMP_COLS = 16, STAMP_ROWS = 3;
  const readStamp = (ctx) => {
    const img = ctx.getImageData(0, 0, STAMP_COLS * STAMP_BLOCK, STAMP_ROWS * STAMP_BLOCK).data;
    const w = STAMP_COLS * STAMP_BLOCK;
    let bits = 0n;
    for (let i = 0; i < STAMP_COLS * STAMP_ROWS; i++) {
      const x = (i % STAMP_COLS) * STAMP_BLOCK + STAMP_BLOCK / 2;
      const y = Math.floor(i / STAMP_COLS) * STAMP_BLOCK + STAMP_BLOCK / 2;
      const o = (y * w + x) * 4;
      const luma = img[o] * 0.3 + img[o + 1] * 0.59 + img[o + 2] * 0.11;
      bits = (bits << 1n) | (luma > 128 ? 1n : 0n);
    }
    const value = bits >> 8n;
    let check = 0;
    for (let k = 0n; k < 5n; k++) check = (check + Number((value >> (8n * k)) & 0xffn)) & 0xff;
    if ((check ^ 0xa5) !== Number(bits & 0xffn)) return null;
    return Number(value);
  };
  const luma = (d, i) => d[i] * 0.3 + d[i + 1] * 0.59 + d[i + 2] * 0.11;
  window.viewers = [];
  // What both transports share: a canvas each shown frame is drawn into, the stamp read back
  // (display time − capture time, ms) and the touch probe. `v.send` is set by the transport.
  const newViewer = (decode) => {
    const v = { frames: 0, messages: 0, bytes: 0, meta: null, errors: [], texts: [], latencies: [], badStamps: 0, probe: null };
    const canvas = document.createElement('canvas');
    canvas.width = 720; canvas.height = 1280;
    if (decode) document.body.appendChild(canvas);
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    // One shown frame (a WebCodecs VideoFrame or the <video> at a requestVideoFrameCallback).
    v.show = (source, width, height) => {
      if (canvas.width !== width) { canvas.width = width; canvas.height = height; }
      ctx.drawImage(source, 0, 0); v.frames++;
      const now = Date.now();
      if (v.stamps) {
        const stamp = readStamp(ctx);
        if (stamp === null) v.badStamps++;
        else v.latencies.push(now % 2 ** 40 - stamp);
      }
      const p = v.probe;
      if (p) {
        const d = ctx.getImageData(p.x - p.r, p.y - p.r, 2 * p.r, 2 * p.r).data;
        let n = 0;
        for (let i = 0; i < d.length; i += 4) if (Math.abs(luma(d, i) - luma(p.before, i)) > 24) n++;
        if (n > p.min) { v.probe = null; p.resolve(performance.now() - p.t0); }
      }
    };
    v.snap = (x, y, r) => Array.from(ctx.getImageData(x - r, y - r, 2 * r, 2 * r).data);
    // Touch down at (x, y) (video pixels); resolves with ms until the shown picture changed
    // there (more than `min` pixels of the square), or null after 2 s. The touch is cancelled
    // afterwards, so nothing is clicked.
    v.probe_at = (x, y, r = 16, min = 40) => new Promise((res) => {
      const before = ctx.getImageData(x - r, y - r, 2 * r, 2 * r).data;
      const w = canvas.width, h = canvas.height;
      const done = (ms) => { v.send({ t: 'touch', action: 'cancel', pointer: 0, x, y, w, h }); res(ms); };
      const timer = setTimeout(() => { if (v.probe) { v.probe = null; done(null); } }, 2000);
      v.probe = { x, y, r, min, before, t0: performance.now(), resolve: (ms) => { clearTimeout(timer); done(ms); } };
      v.send({ t: 'touch', action: 'down', pointer: 0, x, y, w, h });
    });
    return v;
  };
  window.startViewer = (url, opts = {}) => new Promise((resolve, reject) => {
    const decode = opts.decode !== false;
    const v = newViewer(decode);
    let configured = false;
    const decoder = decode ? new VideoDecoder({
      output: (frame) => { v.show(frame, frame.displayWidth, frame.displayHeight); frame.close(); },
      error: (e) => v.errors.push(String(e)),
    }) : null;
    const ws = new WebSocket(url);
    ws.binaryType = 'arraybuffer';
    ws.onmessage = (ev) => {
      v.messages++;
      if (typeof ev.data === 'string') { const m = JSON.parse(ev.data); v.texts.push(m); if (m.t === 'meta') v.meta = m; return; }
      v.bytes += ev.data.byteLength;
      if (!decode) { if (new Uint8Array(ev.data)[0] !== 1) v.frames++; return; }
      const bytes = new Uint8Array(ev.data);
      const type = bytes[0];
      const pts = Number(new DataView(ev.data).getBigInt64(1));
      if (type === 1) return;  // SPS/PPS: also in front of every key frame
      if (type === 2 && !configured) {
        decoder.configure({ codec: 'avc1.42E01F', optimizeForLatency: true });
        configured = true;
      }
      if (!configured || decoder.state !== 'configured') return;
      decoder.decode(new EncodedVideoChunk({ type: type === 2 ? 'key' : 'delta', timestamp: Math.max(0, pts), data: bytes.subarray(9) }));
    };
    ws.onopen = () => resolve(window.viewers.length - 1);
    ws.onerror = () => reject(new Error('websocket error'));
    v.send = (o) => ws.send(JSON.stringify(o));
    v.ws = ws;
    v.received = async () => v.frames;
    v.close = () => ws.close();
    window.viewers.push(v);
  });
  // The same viewer over WebRTC (signalling protocol: docs/decisions.md "the WebRTC transport"):
  // the server's offer answered, its video in a <video> whose frames are drawn to the canvas from
  // requestVideoFrameCallback (i.e. when Chromium shows them, after its jitter buffer and
  // decoder), input over the `input` data channel (touch moves on `pointer`). Without `decode`
  // no <video> is attached: the peer only receives (framesReceived from getStats).
  window.startRtcViewer = (url, iceServers, opts = {}) => new Promise((resolve, reject) => {
    const decode = opts.decode !== false;
    const v = newViewer(false);
    const pc = new RTCPeerConnection({ iceServers });
    const channels = {};
    pc.ontrack = (e) => {
      if (!decode) return;
      const video = document.createElement('video');
      video.muted = true; video.autoplay = true; video.playsInline = true;
      video.style.width = '90px';  // on screen (frames are composited), drawn at full size
      document.body.appendChild(video);
      video.srcObject = new MediaStream([e.track]);
      // Where the time goes, from the callback's metadata (performance.now() ms): first RTP
      // packet received → frame handed to the compositor, and compositor → this callback.
      v.split = { toPresented: 0, toCallback: 0, n: 0 };
      const shown = (now, md) => {
        v.show(video, video.videoWidth, video.videoHeight);
        if (v.stamps && md.receiveTime !== undefined) {
          v.split.toPresented += md.presentationTime - md.receiveTime;
          v.split.toCallback += performance.now() - md.presentationTime;
          v.split.n++;
        }
        video.requestVideoFrameCallback(shown);
      };
      video.requestVideoFrameCallback(shown);
      video.play().catch((err) => v.errors.push(String(err)));
    };
    pc.ondatachannel = (e) => { channels[e.channel.label] = e.channel; };
    const ws = new WebSocket(url);
    pc.onicecandidate = (e) => {
      if (e.candidate?.candidate && ws.readyState === WebSocket.OPEN) {
        ws.send(JSON.stringify({ t: 'candidate', candidate: e.candidate.candidate, sdpMLineIndex: e.candidate.sdpMLineIndex ?? 0 }));
      }
    };
    ws.onmessage = async (ev) => {
      const m = JSON.parse(ev.data);
      v.texts.push(m);
      try {
        if (m.t === 'meta') v.meta = m;
        else if (m.t === 'ended' || m.t === 'error') v.errors.push(JSON.stringify(m));
        else if (m.t === 'offer') {
          await pc.setRemoteDescription({ type: 'offer', sdp: m.sdp });
          await pc.setLocalDescription(await pc.createAnswer());
          ws.send(JSON.stringify({ t: 'answer', sdp: pc.localDescription.sdp }));
        } else if (m.t === 'candidate') await pc.addIceCandidate({ candidate: m.candidate, sdpMLineIndex: m.sdpMLineIndex });
      } catch (err) { v.errors.push(String(err)); }
    };
    ws.onopen = () => resolve(window.viewers.length - 1);
    ws.onerror = () => reject(new Error('websocket error'));
    v.send = (o) => (o.t === 'touch' && o.action === 'move' ? channels.pointer : channels.input).send(JSON.stringify(o));
    v.ready = () => channels.input?.readyState === 'open';
    v.inbound = async () => {
      for (const r of (await pc.getStats()).values()) if (r.type === 'inbound-rtp' && r.kind === 'video') return r;
      return {};
    };
    v.received = async () => (await v.inbound()).framesReceived ?? 0;
    v.close = () => { pc.close(); ws.close(); };
    window.viewers.push(v);
  });
}

export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}
