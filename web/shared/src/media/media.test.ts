import { describe, expect, it } from 'vitest';
import { pictureBox, toFrame } from './coords';
import { keyToInput, parseServerMessage, parseVideoMessage, textChunks, KEYCODE } from './protocol';
import { QualityMeter } from './stats';

function videoMessage(type: number, pts: bigint, payload: number[]): ArrayBuffer {
  const buf = new ArrayBuffer(9 + payload.length);
  const v = new DataView(buf);
  v.setUint8(0, type);
  v.setBigInt64(1, pts);
  new Uint8Array(buf, 9).set(payload);
  return buf;
}

describe('stream protocol', () => {
  it('parses the binary header: type, big-endian PTS, Annex-B bytes', () => {
    const m = parseVideoMessage(videoMessage(2, 1_234_567n, [0, 0, 0, 1, 0x65]));
    expect(m?.kind).toBe('key');
    expect(m?.ptsUs).toBe(1_234_567);
    expect(Array.from(m!.data)).toEqual([0, 0, 0, 1, 0x65]);
    expect(parseVideoMessage(videoMessage(1, -1n, [7]))?.ptsUs).toBe(-1);
    expect(parseVideoMessage(videoMessage(3, 5n, []))?.kind).toBe('delta');
  });

  it('rejects short messages and unknown types', () => {
    expect(parseVideoMessage(new ArrayBuffer(8))).toBeNull();
    expect(parseVideoMessage(videoMessage(9, 0n, [1]))).toBeNull();
  });

  it('knows the server text messages and ignores anything else', () => {
    expect(parseServerMessage('{"t":"meta","codec":"avc1.42E01F","width":720,"height":1280,"rotation":0,"role":"viewer"}'))
      .toMatchObject({ t: 'meta', width: 720, role: 'viewer' });
    expect(parseServerMessage('{"t":"clipboard","text":"hi"}')).toEqual({ t: 'clipboard', text: 'hi' });
    expect(parseServerMessage('{"t":"dance"}')).toBeNull();
    expect(parseServerMessage('not json')).toBeNull();
  });

  it('maps keys: characters as text, editing keys as key codes, shortcuts left to the browser', () => {
    expect(keyToInput({ key: 'a' })).toEqual({ t: 'text', text: 'a' });
    expect(keyToInput({ key: '好' })).toEqual({ t: 'text', text: '好' });
    expect(keyToInput({ key: 'Enter' })).toEqual({ t: 'key', code: KEYCODE.ENTER, action: 'press' });
    expect(keyToInput({ key: 'Backspace' })).toEqual({ t: 'key', code: 67, action: 'press' });
    expect(keyToInput({ key: 'c', ctrlKey: true })).toBeNull();
    expect(keyToInput({ key: 'Shift' })).toBeNull();
  });

  it('splits pasted text into messages of at most 300 UTF-8 bytes without cutting characters', () => {
    const text = '中'.repeat(250); // 3 bytes each
    const chunks = textChunks(text);
    expect(chunks.join('')).toBe(text);
    for (const c of chunks) expect(new TextEncoder().encode(c).length).toBeLessThanOrEqual(300);
    expect(chunks).toHaveLength(3);
    expect(textChunks('')).toEqual([]);
  });
});

describe('coordinate mapping', () => {
  it('letterboxes a portrait picture in a wide element (bars left and right)', () => {
    expect(pictureBox({ width: 1000, height: 640 }, { width: 720, height: 1280 })).toEqual({ x: 320, y: 0, width: 360, height: 640 });
    // The middle of the element is the middle of the picture.
    expect(toFrame({ x: 500, y: 320 }, { width: 1000, height: 640 }, { width: 720, height: 1280 })).toEqual({ x: 360, y: 640 });
    // The same point the media browser test uses: (100, 500) in a 360x640 element.
    expect(toFrame({ x: 100, y: 500 }, { width: 360, height: 640 }, { width: 720, height: 1280 })).toEqual({ x: 200, y: 1000 });
  });

  it('letterboxes a landscape picture in a tall element (bars above and below)', () => {
    const box = pictureBox({ width: 400, height: 800 }, { width: 1280, height: 720 })!;
    expect(box.x).toBe(0);
    expect(box.width).toBe(400);
    expect(box.height).toBeCloseTo(225);
    expect(box.y).toBeCloseTo(287.5);
  });

  it('ignores the bars, except for a drag that left the picture (clamped to the edge)', () => {
    const el = { width: 1000, height: 640 };
    const frame = { width: 720, height: 1280 };
    expect(toFrame({ x: 100, y: 300 }, el, frame)).toBeNull();
    expect(toFrame({ x: 100, y: 300 }, el, frame, true)).toEqual({ x: 0, y: 600 });
    expect(toFrame({ x: 999, y: 700 }, el, frame, true)).toEqual({ x: 719, y: 1279 });
  });

  it('gives nothing for degenerate sizes', () => {
    expect(pictureBox({ width: 0, height: 10 }, { width: 10, height: 10 })).toBeNull();
    expect(toFrame({ x: 1, y: 1 }, { width: 10, height: 10 }, { width: 0, height: 0 })).toBeNull();
  });
});

describe('QualityMeter', () => {
  it('counts frames and bits per second over its window', () => {
    let now = 0;
    const m = new QualityMeter(1000, () => now);
    for (let i = 0; i < 30; i++) { now = i * 30; m.onFrame(); m.onBytes(1000); }
    now = 900;
    const s = m.snapshot();
    expect(s.fps).toBe(30);
    expect(s.kbps).toBe(240);
    expect(s.framesDecoded).toBe(30);
    now = 2000;
    expect(m.snapshot().fps).toBe(0);
    expect(m.snapshot().framesDecoded).toBe(30);
  });

  it('measures input latency to the next frame, smoothed, and drops unanswered inputs', () => {
    let now = 0;
    const m = new QualityMeter(1000, () => now);
    expect(m.snapshot().latencyMs).toBeNull();
    m.onInput(); now = 40; m.onFrame();
    expect(m.snapshot().latencyMs).toBe(40);
    now = 100; m.onInput(); now = 110; m.onInput(); now = 200; m.onFrame(); // first input of the burst counts
    expect(m.snapshot().latencyMs).toBe(Math.round(40 * 0.7 + 100 * 0.3));
    now = 300; m.onInput(); now = 6000; m.snapshot(); now = 6010; m.onFrame();
    expect(m.snapshot().latencyMs).toBe(58);
  });
});
