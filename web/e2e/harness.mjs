// Starts `cloudphone up` on a free port with a temp data dir and the built consoles, and a
// headless Debian Chromium driven by playwright-core.
import { spawn } from 'node:child_process';
import { mkdtemp, mkdir, rm, stat } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const repoDir = path.resolve(webDir, '..');
export const artifactsDir = path.resolve(process.env.CP_ARTIFACTS_DIR ?? path.join(webDir, 'e2e', 'artifacts'));

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** `extraEnv`: more CLOUDPHONE_* settings for this process (e.g. the SMTP fixture's). */
export async function startCloudphone(extraEnv = {}) {
  const bin = path.resolve(repoDir, process.env.CP_CLOUDPHONE_BIN ?? 'build/cloudphone');
  await stat(bin).catch(() => { throw new Error(`cloudphone binary not found at ${bin} (set CP_CLOUDPHONE_BIN)`); });
  const webRoot = path.join(webDir, 'dist');
  for (const app of ['portal', 'admin']) {
    await stat(path.join(webRoot, app, 'index.html')).catch(() => {
      throw new Error(`${webRoot}/${app}/index.html missing: run scripts/build-web.sh first`);
    });
  }
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cp-web-e2e-'));
  const port = await freePort();
  const child = spawn(bin, ['up'], {
    cwd: repoDir,
    env: {
      ...process.env,
      CLOUDPHONE_DATA_DIR: dataDir,
      CLOUDPHONE_GATEWAY_PORT: String(port),
      CLOUDPHONE_GATEWAY_RATE_LIMIT_USER: '100000/1s',
      CLOUDPHONE_GATEWAY_RATE_LIMIT_IP: '100000/1s',
      CLOUDPHONE_GATEWAY_WEB_ROOT: webRoot,
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { out += d; });
  const exited = new Promise((resolve) => child.once('exit', (code, sig) => resolve(`exited (${code ?? sig})`)));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    const done = await Promise.race([exited, new Promise((r) => setTimeout(() => r(null), 200))]);
    if (done) throw new Error(`cloudphone up ${done}:\n${out}`);
    try {
      const r = await fetch(`${base}/ready`);
      if (r.ok && /password:\s*\S+/.test(out)) break;
    } catch { /* not yet listening */ }
    if (Date.now() > deadline) throw new Error(`cloudphone up not ready after 30 s:\n${out}`);
  }
  const adminUser = /username:\s*(\S+)/.exec(out)?.[1] ?? 'admin';
  const adminPassword = /password:\s*(\S+)/.exec(out)[1];
  return {
    base,
    adminUser,
    adminPassword,
    log: () => out,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser() {
  const executablePath = process.env.CP_CHROMIUM ?? '/usr/bin/chromium';
  // playwright-core gives every launch a fresh temporary profile (--user-data-dir).
  return chromium.launch({
    executablePath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

export async function shot(page, name) {
  await mkdir(artifactsDir, { recursive: true });
  const file = path.join(artifactsDir, `${name}.png`);
  // Let loading masks and fades settle so the picture shows the page, not a transition.
  await page.waitForFunction(() => !document.querySelector('.ant-spin-spinning, .ant-table-loading'), null, { timeout: 5000 }).catch(() => {});
  await page.waitForTimeout(300);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

const RAW_KEY = /\b(app|common|prefs|nav|auth|fields|validation|status|phones|account|apiKeys|quota|users|roles|audit|system|errors|console|live|devices|dashboard|market|review|templates|snapshots)\.[a-zA-Z_][\w.]*\b/;

/** Fails when the page shows an untranslated i18n key instead of words. */
export async function assertNoRawKeys(page, where) {
  const text = await page.evaluate(() => document.body.innerText);
  const m = RAW_KEY.exec(text);
  if (m) throw new Error(`${where}: untranslated key "${m[0]}" on the page`);
}
