// Browser-side probes of the phone console: decoded frame count, pixels of the decoded picture,
// and a real drop event carrying a file. The picture is the WebSocket path's canvas or the WebRTC
// path's <video> (both carry data-frames-decoded: the decoder's count).
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { repoDir } from './harness.mjs';

export const MEDIA = '[data-testid="console-canvas"], [data-testid="console-video"]';

/** Frames the console's decoder has decoded (data-frames-decoded of its canvas or video). */
export function framesDecoded(page) {
  return page.evaluate((sel) => Number(document.querySelector(sel)?.dataset.framesDecoded ?? 0), MEDIA);
}

export async function waitFrames(page, min, timeout = 20_000) {
  await page.waitForFunction(([n, sel]) => Number(document.querySelector(sel)?.dataset.framesDecoded ?? 0) >= n, [min, MEDIA], { timeout });
  return framesDecoded(page);
}

/** Where the picture sits in the canvas element (object-fit: contain) and its pixel size. */
export function pictureGeometry(page) {
  return page.evaluate((sel) => {
    const c = document.querySelector(sel);
    const fw = c.videoWidth ?? c.width, fh = c.videoHeight ?? c.height;
    const r = c.getBoundingClientRect();
    const scale = Math.min(r.width / fw, r.height / fh);
    const w = fw * scale, h = fh * scale;
    return { left: r.left + (r.width - w) / 2, top: r.top + (r.height - h) / 2, scale, frameW: fw, frameH: fh };
  }, MEDIA);
}

/** RGBA bytes of the decoded picture in a square of radius r around frame pixel (x, y). */
export function patch(page, x, y, r) {
  return page.evaluate(({ x, y, r, sel }) => {
    const c = document.querySelector(sel);
    if (c instanceof HTMLCanvasElement) return Array.from(c.getContext('2d').getImageData(x - r, y - r, 2 * r, 2 * r).data);
    // The <video>'s current picture, at its own resolution.
    const snap = document.createElement('canvas');
    snap.width = c.videoWidth;
    snap.height = c.videoHeight;
    const ctx = snap.getContext('2d', { willReadFrequently: true });
    ctx.drawImage(c, 0, 0);
    return Array.from(ctx.getImageData(x - r, y - r, 2 * r, 2 * r).data);
  }, { x, y, r, sel: MEDIA });
}

/** Pixels whose luma differs by more than 24 between two patches. */
export function changed(a, b) {
  let n = 0;
  for (let i = 0; i < a.length; i += 4) {
    const la = a[i] * 0.3 + a[i + 1] * 0.59 + a[i + 2] * 0.11;
    const lb = b[i] * 0.3 + b[i + 1] * 0.59 + b[i + 2] * 0.11;
    if (Math.abs(la - lb) > 24) n++;
  }
  return n;
}

/** The harness-built test APKs (CP_TEST_APK_DIR, else build/test-apks). */
export function apkPath(name) {
  return path.join(process.env.CP_TEST_APK_DIR ?? path.join(repoDir, 'build', 'test-apks'), name);
}

/** Drops a file on the element with data-testid `testId`, as a user dragging it from the desktop. */
export async function dropFile(page, testId, file, mime) {
  const b64 = (await readFile(file)).toString('base64');
  const name = path.basename(file);
  await page.evaluate(({ testId, b64, name, mime }) => {
    const bytes = Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
    const dt = new DataTransfer();
    dt.items.add(new File([bytes], name, { type: mime }));
    const el = document.querySelector(`[data-testid="${testId}"]`);
    el.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
    el.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, { testId, b64, name, mime });
  return name;
}

/** Clicks at 30 %/70 % of the picture and returns ms until the decoded picture changed there. */
export async function clickChangesPicture(page) {
  const geo = await pictureGeometry(page);
  const at = { x: Math.round(geo.frameW * 0.3), y: Math.round(geo.frameH * 0.7), r: 24 };
  await page.waitForTimeout(1200); // earlier touch feedback fades
  const beforePatch = await patch(page, at.x, at.y, at.r);
  const framesBefore = await framesDecoded(page);
  await page.mouse.click(geo.left + at.x * geo.scale, geo.top + at.y * geo.scale);
  const t0 = Date.now();
  let diff = 0;
  while (Date.now() - t0 < 5000) {
    diff = changed(beforePatch, await patch(page, at.x, at.y, at.r));
    if (diff > 200) break;
    await page.waitForTimeout(25);
  }
  const ms = Date.now() - t0;
  assert.ok(diff > 200, `the click changed only ${diff} pixels`);
  await waitFrames(page, framesBefore + 1, 5000); // the <video>'s count is read once a second
  return { ms, diff };
}
