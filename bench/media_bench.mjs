// Media benchmark (scripts/bench-media.sh): a `cloudphone up` with simulated phones whose video
// carries the capture time (setprop debug.cloudphone.stamp 1), viewed in headless Debian Chromium
// over the WebSocket + WebCodecs path. Measures
//   glass-to-glass: simulator capture → frame decoded and drawn in the page (stamp read back)
//   input → changed frame: touch sent from the page → first decoded frame changed at that point
//   media-service CPU per viewer: /proc/<cloudphone up>/stat deltas with 1 and N viewers
//   viewers per device and devices per machine before frames drop.
// Prints one JSON document at the end (also written to $CP_BENCH_OUT when set).
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { client, installViewer, launchChromium, login, percentile, runningDevice, startCloudphone } from '../tests/browser/media_support.mjs';

const PROBES = Number(process.env.CP_BENCH_PROBES ?? 500);
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

const cp = await startCloudphone();
const result = { date: new Date().toISOString(), load_average_start: os.loadavg().map((l) => Number(l.toFixed(2))), host: `${os.cpus().length} vCPU ${os.cpus()[0]?.model}`, mem_gib: Math.round(os.totalmem() / 2 ** 30) };
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
  browser = await launchChromium();
  const page = await browser.newPage();
  await page.goto(`${cp.base}/ready`);
  await page.evaluate(installViewer);
  const open = async (id, decode, as = { api, token }) => {
    const s = await as.api('POST', `/api/v1/devices/${id}/stream`, {});
    if (s.status !== 201) throw new Error(JSON.stringify(s.body));
    const i = await page.evaluate(([u, d]) => window.startViewer(u, { decode: d }),
      [`ws://127.0.0.1:${cp.port}${s.body.ws_url}?access_token=${as.token}`, decode]);
    return { session: s.body.session_id, index: i };
  };

  // 1. Latency, one decoding viewer.
  const main = await open(deviceId, true);
  await page.waitForFunction((i) => window.viewers[i].frames > 30, main.index, { timeout: 20_000 });
  await sleep(2000);
  await page.evaluate((i) => { const v = window.viewers[i]; v.latencies = []; v.badStamps = 0; v.stamps = true; v.frames0 = v.frames; v.t0 = performance.now(); }, main.index);
  const probes = [];
  const grid = [];
  for (const y of [560, 740, 920, 1100]) for (const x of [90, 270, 450, 630]) grid.push([x, y]);
  for (let k = 0; k < PROBES; k++) {
    const [x, y] = grid[k % grid.length];
    probes.push(await page.evaluate(([i, px, py]) => window.viewers[i].probe_at(px, py), [main.index, x, y]));
    await sleep(60);
  }
  const g2g = await page.evaluate((i) => {
    const v = window.viewers[i];
    v.stamps = false;
    return { latencies: v.latencies, bad: v.badStamps, fps: (v.frames - v.frames0) / ((performance.now() - v.t0) / 1000), errors: v.errors };
  }, main.index);
  const input = probes.filter((p) => p !== null);
  result.glass_to_glass_ms = { samples: g2g.latencies.length, unreadable_stamps: g2g.bad, p50: percentile(g2g.latencies, 50), p95: percentile(g2g.latencies, 95), p99: percentile(g2g.latencies, 99), decoded_fps: Number(g2g.fps.toFixed(1)) };
  result.input_to_changed_frame_ms = { samples: input.length, timeouts: probes.length - input.length, p50: Number(percentile(input, 50).toFixed(1)), p95: Number(percentile(input, 95).toFixed(1)), p99: Number(percentile(input, 99).toFixed(1)) };
  console.log('glass-to-glass', JSON.stringify(result.glass_to_glass_ms));
  console.log('input → changed frame', JSON.stringify(result.input_to_changed_frame_ms));

  // 2. CPU per viewer and viewers per device: non-decoding viewers (the browser only receives).
  const measure = async (secs, indexes) => {
    const before = await page.evaluate((ix) => ix.map((i) => window.viewers[i].frames), indexes);
    const dropped0 = await metric(cp, 'cp_media_frames_dropped_total');
    const sent0 = await metric(cp, 'cp_media_frames_received_total');
    const cpu0 = cpuSeconds(cp.pid);
    const t0 = Date.now();
    await sleep(secs * 1000);
    const cpu = (cpuSeconds(cp.pid) - cpu0) / ((Date.now() - t0) / 1000);
    const after = await page.evaluate((ix) => ix.map((i) => window.viewers[i].frames), indexes);
    const deviceFrames = (await metric(cp, 'cp_media_frames_received_total')) - sent0;
    const dropped = (await metric(cp, 'cp_media_frames_dropped_total')) - dropped0;
    const got = after.map((a, k) => a - before[k]);
    return { cpu_core: cpu, device_frames: deviceFrames, min_viewer_frames: Math.min(...got), dropped };
  };
  // Only receiving viewers from here on: the decoding page lags under load and is not the server.
  await page.evaluate((i) => window.viewers[i].ws.close(), main.index);
  const viewers = [];
  const levels = [1, 2, 4, 8, 16, 32];
  result.viewers = [];
  for (const n of levels) {
    while (viewers.length < n) viewers.push((await open(deviceId, false)).index);
    await sleep(1500);
    const m = await measure(8, viewers);
    const ok = m.min_viewer_frames >= 0.95 * m.device_frames && m.dropped <= 0.01 * m.device_frames * n;
    result.viewers.push({ viewers: n, media_cpu_pct_of_core: Number((m.cpu_core * 100).toFixed(1)), device_fps: Number((m.device_frames / 8).toFixed(1)), min_viewer_fps: Number((m.min_viewer_frames / 8).toFixed(1)), dropped: m.dropped, ok });
    console.log('viewers', JSON.stringify(result.viewers.at(-1)));
    if (!ok) break;
  }
  const first = result.viewers[0];
  const last = result.viewers.filter((r) => r.ok).at(-1) ?? first;
  result.cpu_per_viewer_pct_of_core = last.viewers > 1
    ? Number(((last.media_cpu_pct_of_core - first.media_cpu_pct_of_core) / (last.viewers - 1)).toFixed(2)) : null;
  result.max_viewers_without_drops = last.viewers;
  await page.evaluate(() => window.viewers.forEach((v) => v.ws.close()));
  await sleep(1000);

  // 3. Devices per machine: stamped devices (a new picture every frame, like a busy screen),
  //    one receiving viewer each, added until a device's delivered rate falls under 90% of 60.
  // "Before frames drop": a device's delivered rate under 90% of what one device alone delivered
  // in this run (the simulator itself may not reach 60 fps on a loaded machine).
  result.devices = [];
  let baseline = null;
  const devices = [{ id: deviceId, index: (await open(deviceId, false)).index }];
  for (const k of [1, 2, 3, 4, 6, 8]) {
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
  result.load_average = os.loadavg().map((l) => Number(l.toFixed(2)));
} finally {
  await browser?.close();
  await cp.stop();
}
const json = JSON.stringify(result, null, 2);
console.log(json);
if (process.env.CP_BENCH_OUT) writeFileSync(process.env.CP_BENCH_OUT, json);
