// Media benchmark (scripts/bench-media.sh): a `cloudphone up` with simulated phones whose video
// carries the capture time (setprop debug.cloudphone.stamp 1), viewed in headless Debian Chromium
// over the WebSocket + WebCodecs path and over WebRTC (env CP_BENCH_TRANSPORT=websocket|webrtc|
// both, default both). Measures, per transport:
//   glass-to-glass: simulator capture → frame shown in the page (stamp read back: WebSocket at
//     the decoder's output, WebRTC at requestVideoFrameCallback, i.e. after its jitter buffer)
//   input → changed frame: touch sent from the page → first shown frame changed at that point
//   CPU per viewer: WebSocket /proc/<cloudphone up>/stat deltas with 1…32 viewers; WebRTC the
//     `media-worker` children's /proc/<pid>/stat deltas with 1, 4 and 8 viewers
//   (WebSocket only) viewers per device and devices per machine before frames drop.
// Prints one JSON document at the end (also written to $CP_BENCH_OUT when set).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { client, installViewer, launchChromium, login, percentile, runningDevice, startCloudphone } from '../tests/browser/media_support.mjs';

const PROBES = Number(process.env.CP_BENCH_PROBES ?? 500);
const TRANSPORT = process.env.CP_BENCH_TRANSPORT ?? 'both';
const QUICK = process.env.CP_BENCH_QUICK === '1';  // a short pass: fewer viewer and device levels
if (!['websocket', 'webrtc', 'both'].includes(TRANSPORT)) throw new Error(`CP_BENCH_TRANSPORT=${TRANSPORT}: websocket, webrtc or both`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const ticks = 100;  // USER_HZ: /proc/<pid>/stat times are in clock ticks

function cpuSeconds(pid) {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = f.slice(f.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / ticks;  // utime + stime
}

async function metric(cp, name) {
  const text = await (await fetch(`${cp.base}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n')) if (line.startsWith(name)) sum += Number(line.split(' ').pop());
  return sum;
}

// The media-worker processes (one per WebRTC viewer) among cloudphone's children.
function workerPids(parent) {
  const out = execFileSync('ps', ['--ppid', String(parent), '-o', 'pid=,args='], { encoding: 'utf8' });
  return out.split('\n').filter((l) => l.includes('media-worker')).map((l) => Number(l.trim().split(/\s+/)[0]));
}

const round = (x, digits = 1) => Number(x.toFixed(digits));
const cp = await startCloudphone();
const result = { date: new Date().toISOString(), transport: TRANSPORT, load_average_start: os.loadavg().map((l) => round(l, 2)), host: `${os.cpus().length} vCPU ${os.cpus()[0]?.model}`, mem_gib: Math.round(os.totalmem() / 2 ** 30) };
let browser;
try {
  const token = await login(cp, 'mediabench');
  const api = client(cp, token);
  const stampOn = async (id, as = { api }) => {
    const r = await as.api('POST', `/api/v1/devices/${id}/exec`, { command: 'setprop debug.cloudphone.stamp 1' });
    if (r.status !== 200 || r.body.exit_code !== 0) throw new Error(`setprop: ${JSON.stringify(r.body)}`);
  };
  const deviceId = await runningDevice(api, 'bench-phone');
  await stampOn(deviceId);
  // Chromium's mDNS host candidates are not resolvable by the worker's ICE agent.
  browser = await launchChromium(['--disable-features=WebRtcHideLocalIpsWithMdns', '--autoplay-policy=no-user-gesture-required']);
  const page = await browser.newPage();
  await page.goto(`${cp.base}/ready`);
  await page.evaluate(installViewer);
  const sessions = [];
  // Opens a stream session of device `id` and a viewer over `transport` in the page.
  const open = async (id, decode, as = { api, token }, transport = 'websocket') => {
    const s = await as.api('POST', `/api/v1/devices/${id}/stream`, {});
    if (s.status !== 201) throw new Error(JSON.stringify(s.body));
    sessions.push({ id: s.body.session_id, api: as.api });
    const i = transport === 'webrtc'
      ? await page.evaluate(([u, ice, d]) => window.startRtcViewer(u, ice, { decode: d }),
        [`ws://127.0.0.1:${cp.port}${s.body.rtc_url}?access_token=${as.token}`, s.body.ice_servers, decode])
      : await page.evaluate(([u, d]) => window.startViewer(u, { decode: d }),
        [`ws://127.0.0.1:${cp.port}${s.body.ws_url}?access_token=${as.token}`, decode]);
    return { session: s.body.session_id, index: i };
  };
  // Closes every viewer in the page and ends their sessions (the next session controls).
  const closeAll = async () => {
    await page.evaluate(() => window.viewers.forEach((v) => v.close()));
    for (const s of sessions.splice(0)) await s.api('DELETE', `/api/v1/streams/${s.id}`);
    await sleep(1000);
  };

  // Latency with one showing viewer (the controller): PROBES touches on a grid, one every
  // ~60 ms after the previous one's change, while every shown frame's stamp is read back.
  const latency = async (index) => {
    await page.waitForFunction((i) => window.viewers[i].frames > 30, index, { timeout: 30_000 });
    await sleep(2000);
    await page.evaluate((i) => { const v = window.viewers[i]; v.latencies = []; v.badStamps = 0; v.stamps = true; v.frames0 = v.frames; v.t0 = performance.now(); }, index);
    const probes = [];
    const grid = [];
    for (const y of [560, 740, 920, 1100]) for (const x of [90, 270, 450, 630]) grid.push([x, y]);
    for (let k = 0; k < PROBES; k++) {
      const [x, y] = grid[k % grid.length];
      probes.push(await page.evaluate(([i, px, py]) => window.viewers[i].probe_at(px, py), [index, x, y]));
      await sleep(60);
    }
    const g2g = await page.evaluate((i) => {
      const v = window.viewers[i];
      v.stamps = false;
      return { latencies: v.latencies, bad: v.badStamps, fps: (v.frames - v.frames0) / ((performance.now() - v.t0) / 1000), errors: v.errors };
    }, index);
    const input = probes.filter((p) => p !== null);
    const out = {
      glass_to_glass_ms: { samples: g2g.latencies.length, unreadable_stamps: g2g.bad, p50: percentile(g2g.latencies, 50), p95: percentile(g2g.latencies, 95), p99: percentile(g2g.latencies, 99), shown_fps: round(g2g.fps) },
      input_to_changed_frame_ms: { samples: input.length, timeouts: probes.length - input.length, p50: round(percentile(input, 50)), p95: round(percentile(input, 95)), p99: round(percentile(input, 99)) },
      load_average_after: round(os.loadavg()[0], 2),  // 1-minute load at the end of this pass
    };
    console.log('glass-to-glass', JSON.stringify(out.glass_to_glass_ms));
    console.log('input → changed frame', JSON.stringify(out.input_to_changed_frame_ms));
    return out;
  };

  // Frames each viewer received, device frames, drops and CPU (cloudphone up, and each of
  // `pids`) over `secs`.
  const measure = async (secs, indexes, pids = []) => {
    const received = () => page.evaluate((ix) => Promise.all(ix.map((i) => window.viewers[i].received())), indexes);
    const before = await received();
    const dropped0 = await metric(cp, 'cp_media_frames_dropped_total');
    const sent0 = await metric(cp, 'cp_media_frames_received_total');
    const cpu0 = cpuSeconds(cp.pid);
    const pidCpu0 = pids.map(cpuSeconds);
    const t0 = Date.now();
    await sleep(secs * 1000);
    const wall = (Date.now() - t0) / 1000;
    const cpu = (cpuSeconds(cp.pid) - cpu0) / wall;
    const pidCpu = pids.map((pid, k) => (cpuSeconds(pid) - pidCpu0[k]) / wall);
    const after = await received();
    const deviceFrames = (await metric(cp, 'cp_media_frames_received_total')) - sent0;
    const dropped = (await metric(cp, 'cp_media_frames_dropped_total')) - dropped0;
    const got = after.map((a, k) => a - before[k]);
    return { cpu_core: cpu, pid_cpu_core: pidCpu, device_frames: deviceFrames, min_viewer_frames: Math.min(...got), dropped };
  };

  if (TRANSPORT !== 'websocket') {
    // WebRTC: one `media-worker` per viewer does the transport (RTP, SRTP, ICE/DTLS/SCTP);
    // cloudphone up only copies the H.264 stream into each worker's socket.
    const rtc = (result.webrtc = {});
    const main = await open(deviceId, true, undefined, 'webrtc');
    await page.waitForFunction((i) => window.viewers[i].ready(), main.index, { timeout: 30_000 });
    const jb0 = await page.evaluate((i) => window.viewers[i].inbound(), main.index);
    Object.assign(rtc, await latency(main.index));
    const jb = await page.evaluate((i) => window.viewers[i].inbound(), main.index);
    const emitted = jb.jitterBufferEmittedCount - jb0.jitterBufferEmittedCount;
    const decoded = jb.framesDecoded - jb0.framesDecoded;
    // Chromium's own account of part of the glass-to-glass time (means over the same window).
    rtc.browser_stats = {
      jitter_buffer_mean_ms: round((1000 * (jb.jitterBufferDelay - jb0.jitterBufferDelay)) / emitted),
      decode_mean_ms: round((1000 * (jb.totalDecodeTime - jb0.totalDecodeTime)) / decoded),
      frames_decoded: decoded, frames_dropped: (jb.framesDropped ?? 0) - (jb0.framesDropped ?? 0),
      ...(await page.evaluate((i) => {
        const s = window.viewers[i].split;
        return s?.n ? { receive_to_presented_mean_ms: Math.round((10 * s.toPresented) / s.n) / 10, presented_to_callback_mean_ms: Math.round((10 * s.toCallback) / s.n) / 10 } : {};
      }, main.index)),
      errors: await page.evaluate((i) => window.viewers[i].errors, main.index),
    };
    console.log('webrtc browser stats', JSON.stringify(rtc.browser_stats));
    await closeAll();
    // CPU per viewer: receive-only peers (no <video>, so the page decodes nothing it shows).
    rtc.viewers = [];
    const peers = [];
    for (const n of [1, 4, 8]) {
      while (peers.length < n) peers.push((await open(deviceId, false, undefined, 'webrtc')).index);
      await page.waitForFunction(async (ix) => (await Promise.all(ix.map((i) => window.viewers[i].received()))).every((f) => f > 0), peers, { timeout: 60_000, polling: 500 });
      await sleep(3000);
      const pids = workerPids(cp.pid);
      const m = await measure(8, peers, pids);
      const workers = m.pid_cpu_core.reduce((a, b) => a + b, 0);
      rtc.viewers.push({ viewers: n, workers: pids.length, worker_cpu_pct_of_core: round(workers * 100), worker_cpu_per_viewer_pct: round((workers * 100) / n, 2), worker_cpu_max_pct: round(Math.max(...m.pid_cpu_core) * 100), service_cpu_pct_of_core: round(m.cpu_core * 100), device_fps: round(m.device_frames / 8), min_viewer_fps: round(m.min_viewer_frames / 8), dropped: m.dropped, load_average: round(os.loadavg()[0], 2) });
      console.log('webrtc viewers', JSON.stringify(rtc.viewers.at(-1)));
    }
    rtc.errors = await page.evaluate(() => window.viewers.flatMap((v) => v.errors));
    await closeAll();
  }
  if (TRANSPORT !== 'webrtc') {
    // 1. Latency, one decoding viewer.
    const main = await open(deviceId, true);
    Object.assign(result, await latency(main.index));

    // 2. CPU per viewer and viewers per device: non-decoding viewers (the browser only receives).
    // Only receiving viewers from here on: the decoding page lags under load and is not the server.
    await page.evaluate((i) => window.viewers[i].close(), main.index);
    const viewers = [];
    const levels = QUICK ? [1, 2] : [1, 2, 4, 8, 16, 32];
    result.viewers = [];
    for (const n of levels) {
      while (viewers.length < n) viewers.push((await open(deviceId, false)).index);
      await sleep(1500);
      const m = await measure(8, viewers);
      const ok = m.min_viewer_frames >= 0.95 * m.device_frames && m.dropped <= 0.01 * m.device_frames * n;
      result.viewers.push({ viewers: n, media_cpu_pct_of_core: round(m.cpu_core * 100), device_fps: round(m.device_frames / 8), min_viewer_fps: round(m.min_viewer_frames / 8), dropped: m.dropped, ok });
      console.log('viewers', JSON.stringify(result.viewers.at(-1)));
      if (!ok) break;
    }
    const first = result.viewers[0];
    const last = result.viewers.filter((r) => r.ok).at(-1) ?? first;
    result.cpu_per_viewer_pct_of_core = last.viewers > 1
      ? round((last.media_cpu_pct_of_core - first.media_cpu_pct_of_core) / (last.viewers - 1), 2) : null;
    result.max_viewers_without_drops = last.viewers;
    await page.evaluate(() => window.viewers.forEach((v) => v.close()));
    await sleep(1000);

    // 3. Devices per machine: stamped devices (a new picture every frame, like a busy screen),
    //    one receiving viewer each, added until a device's delivered rate falls under 90% of 60.
    // "Before frames drop": a device's delivered rate under 90% of what one device alone delivered
    // in this run (the simulator itself may not reach 60 fps on a loaded machine).
    result.devices = [];
    let baseline = null;
    const devices = [{ id: deviceId, index: (await open(deviceId, false)).index }];
    for (const k of QUICK ? [1, 2] : [1, 2, 3, 4, 6, 8]) {
      while (devices.length < k) {
        // The default quota is 2 devices per user: one more user for every two devices.
        const userToken = await login(cp, `mediabench${devices.length}`);
        const as = { api: client(cp, userToken), token: userToken };
        const id = await runningDevice(as.api, `bench-phone-${devices.length}`);
        await stampOn(id, as);
        devices.push({ id, index: (await open(id, false, as)).index });
      }
      await sleep(2000);
      const before = await page.evaluate((ix) => ix.map((i) => window.viewers[i].frames), devices.map((d) => d.index));
      const cpu0 = cpuSeconds(cp.pid);
      await sleep(8000);
      const after = await page.evaluate((ix) => ix.map((i) => window.viewers[i].frames), devices.map((d) => d.index));
      const fps = after.map((a, i) => (a - before[i]) / 8);
      baseline ??= fps[0];
      const ok = Math.min(...fps) >= 0.9 * baseline;
      result.devices.push({ devices: k, baseline_fps: Number(baseline.toFixed(1)), min_fps: Number(Math.min(...fps).toFixed(1)), mean_fps: Number((fps.reduce((a, b) => a + b, 0) / k).toFixed(1)), media_cpu_pct_of_core: Number(((cpuSeconds(cp.pid) - cpu0) / 8 * 100).toFixed(1)), ok });
      console.log('devices', JSON.stringify(result.devices.at(-1)));
      if (!ok) break;
    }
    result.max_devices_without_drops = result.devices.filter((d) => d.ok).at(-1)?.devices ?? 0;
  }
  result.load_average = os.loadavg().map((l) => Number(l.toFixed(2)));
} finally {
  await browser?.close();
  await cp.stop();
}
const json = JSON.stringify(result, null, 2);
console.log(json);
if (process.env.CP_BENCH_OUT) writeFileSync(process.env.CP_BENCH_OUT, json);
