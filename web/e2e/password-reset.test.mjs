// Forgot password in a real browser, with a real SMTP server: this test starts the smtp fixture
// (scripts/test-servers/smtp.sh: npm smtp-server, STARTTLS + AUTH on loopback) and a
// `cloudphone up` that mails through it. Login page → "Forgot password?" → email → "check your
// mail" → the mail arrives → its link opens /reset-password → new password twice → success →
// log in with the new password (the old one fails). Both languages render the two pages.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { assertNoRawKeys, launchBrowser, repoDir, shot, startCloudphone } from './harness.mjs';

const smtpScript = path.join(repoDir, 'scripts', 'test-servers', 'smtp.sh');
let envDir;
let smtp;
let cp;
let browser;
const pageErrors = [];
const stamp = Date.now().toString(36);
const user = { username: `reset_${stamp}`, email: `reset_${stamp}@example.com`, password: 'correct-horse-battery-9' };
const newPassword = 'fresh-battery-staple-7';

async function readEnv(file) {
  const env = {};
  for (const line of (await readFile(file, 'utf8')).split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) env[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return env;
}

/** Decoded text bodies of the mails delivered to `address` (base64 bodies, as we send them). */
async function mailsTo(address) {
  const out = [];
  for (const name of await readdir(smtp.SMTP_MAILDIR)) {
    if (!name.endsWith('.eml')) continue;
    const eml = await readFile(path.join(smtp.SMTP_MAILDIR, name), 'utf8');
    if (!eml.includes(`Delivered-To: ${address}\r\n`)) continue;
    const body = eml.slice(eml.indexOf('\r\n\r\n') + 4).replace(/\s+/g, '');
    out.push(Buffer.from(body, 'base64').toString('utf8'));
  }
  return out;
}

async function newPage(locale = 'en-US') {
  const ctx = await browser.newContext({ locale, viewport: { width: 1280, height: 800 } });
  const page = await ctx.newPage();
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (e) => pageErrors.push(`${page.url()}: ${e.message}`));
  return page;
}

before(async () => {
  envDir = await mkdtemp(path.join(os.tmpdir(), 'cp-e2e-smtp-'));
  execFileSync('bash', [smtpScript, 'start', envDir], { stdio: 'inherit' });
  smtp = await readEnv(path.join(envDir, 'smtp.env'));
  // The link in the mail points at this very process: its port is only known inside
  // startCloudphone, so the portal's relative link base is completed below from cp.base.
  cp = await startCloudphone({
    CLOUDPHONE_SMTP_URL: smtp.SMTP_URL,
    CLOUDPHONE_SMTP_USERNAME: smtp.SMTP_USERNAME,
    CLOUDPHONE_SMTP_PASSWORD: smtp.SMTP_PASSWORD,
    CLOUDPHONE_SMTP_CA_FILE: smtp.SMTP_CA_FILE,
    CLOUDPHONE_SMTP_TLS: 'require',
    CLOUDPHONE_SMTP_FROM: 'cloudphone <no-reply@cloudphone.test>',
    CLOUDPHONE_USER_PASSWORD_RESET_LINK_BASE: 'http://portal.invalid/reset-password?token=',
  });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await cp?.stop();
  if (envDir) {
    execFileSync('bash', [smtpScript, 'stop', envDir], { stdio: 'inherit' });
    await rm(envDir, { recursive: true, force: true });
  }
});

test('portal: forgot password → mail → reset page → log in with the new password', { timeout: 120_000 }, async () => {
  const reg = await fetch(`${cp.base}/api/v1/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: user.email, username: user.username, password: user.password }),
  });
  assert.equal(reg.status, 201, await reg.text());

  const page = await newPage();
  await page.goto(`${cp.base}/login`);
  await page.getByTestId('login-forgot').click();
  await page.waitForURL(/\/forgot-password$/);
  await assertNoRawKeys(page, 'portal forgot');
  await page.getByTestId('forgot-email').fill(user.email);
  await page.getByTestId('forgot-submit').click();
  await page.getByTestId('forgot-sent').waitFor();
  assert.match(await page.getByTestId('forgot-sent').innerText(), new RegExp(user.email.replace('.', '\\.')));
  await shot(page, 'portal-forgot-sent');

  let mails = [];
  for (let i = 0; i < 100 && mails.length === 0; i++) {
    await new Promise((r) => setTimeout(r, 100));
    mails = await mailsTo(user.email);
  }
  assert.equal(mails.length, 1, `one reset mail for ${user.email}\n${cp.log().slice(-2000)}`);
  const token = /reset-password\?token=([A-Za-z0-9_-]+)/.exec(mails[0])?.[1];
  assert.ok(token, mails[0]);

  // The mail's link, on this server (the configured base names a host the test cannot reach).
  await page.goto(`${cp.base}/reset-password?token=${token}`);
  await assertNoRawKeys(page, 'portal reset');
  await page.getByTestId('reset-password').fill(newPassword);
  await page.getByTestId('reset-confirm').fill(`${newPassword}-typo`);
  await page.getByTestId('reset-submit').click();
  await page.getByText('The two passwords differ').waitFor();
  await page.getByTestId('reset-confirm').fill(newPassword);
  await page.getByTestId('reset-submit').click();
  await page.getByTestId('reset-done').waitFor();
  await shot(page, 'portal-reset-done');
  await page.getByTestId('reset-login').click();
  await page.waitForURL(/\/login$/);

  // The old password no longer works; the new one does.
  await page.getByTestId('login-name').fill(user.username);
  await page.getByTestId('login-password').fill(user.password);
  await page.getByTestId('login-submit').click();
  await page.getByText('Wrong username/email or password.').waitFor();
  await page.getByTestId('login-password').fill(newPassword);
  await page.getByTestId('login-submit').click();
  await page.waitForURL(/\/phones$/);

  // The same link again: refused, with a way to ask for a new one.
  const again = await newPage();
  await again.goto(`${cp.base}/reset-password?token=${token}`);
  await again.getByTestId('reset-password').fill('another-battery-8');
  await again.getByTestId('reset-confirm').fill('another-battery-8');
  await again.getByTestId('reset-submit').click();
  await again.getByText('This reset link was already used. Request a new one.').waitFor();
  await again.getByTestId('reset-again').waitFor();
  assert.deepEqual(pageErrors, []);
});

test('portal: the forgot and reset pages in Chinese', { timeout: 60_000 }, async () => {
  const page = await newPage('zh-CN');
  // A zh-CN browser gets the Chinese portal without touching the switch.
  await page.goto(`${cp.base}/login`);
  await page.getByText('忘记密码？').waitFor();
  await page.getByTestId('login-forgot').click();
  await page.getByText('发送重置链接').waitFor();
  await assertNoRawKeys(page, 'portal forgot zh-CN');
  await page.getByTestId('forgot-email').fill(`nobody_${stamp}@example.com`);
  await page.getByTestId('forgot-submit').click();
  await page.getByText('请查收邮件').waitFor();
  await shot(page, 'portal-forgot-sent-zh');
  await page.goto(`${cp.base}/reset-password`);
  await page.getByText('此页面需要通过重置邮件中的链接打开。').waitFor();
  await assertNoRawKeys(page, 'portal reset zh-CN');
  assert.deepEqual(pageErrors, []);
});
