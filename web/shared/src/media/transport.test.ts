import { describe, expect, it } from 'vitest';
import type { Api } from '../api/endpoints';
import type { InputMessage, ServerMessage, VideoMessage } from './protocol';
import { openTransport, registerTransport, registeredTransports, WebSocketTransport, wsUrl, type MediaTransport, type TransportHandlers } from './transport';

class FakeWs {
  static last: FakeWs;
  binaryType = 'blob';
  readyState = 0;
  sent: string[] = [];
  closed = false;
  onopen: (() => void) | null = null;
  onmessage: ((e: { data: unknown }) => void) | null = null;
  onclose: ((e: { reason: string }) => void) | null = null;
  onerror: (() => void) | null = null;
  constructor(public url: string) { FakeWs.last = this; }
  send(s: string) { this.sent.push(s); }
  close() { this.closed = true; }
}

function fakeApi(calls: string[]): Api {
  return {
    client: {
      freshAccessToken: async () => 'TOKEN',
      url: (p: string, q?: Record<string, string>) => p + (q ? `?${new URLSearchParams(q)}` : ''),
    },
    streams: {
      create: async (id: string) => { calls.push(`create ${id}`); return { session_id: 'str_1', device_id: id, ws_url: '/api/v1/streams/str_1/ws', role: 'controller' }; },
      remove: async (id: string) => { calls.push(`remove ${id}`); },
    },
  } as unknown as Api;
}

function handlers() {
  const videos: VideoMessage[] = [];
  const messages: ServerMessage[] = [];
  const closes: string[] = [];
  const h: TransportHandlers = { onVideo: (v) => videos.push(v), onMessage: (m) => messages.push(m), onClose: (r) => closes.push(r) };
  return { h, videos, messages, closes };
}

describe('WebSocketTransport', () => {
  it('opens a stream session, connects its WebSocket with the token, and relays media and input', async () => {
    const calls: string[] = [];
    const t = new WebSocketTransport({ api: fakeApi(calls), deviceId: 'dev_1', origin: 'http://127.0.0.1:8080', webSocket: (u) => new FakeWs(u) as unknown as WebSocket });
    const { h, videos, messages, closes } = handlers();
    const connected = t.connect(h);
    await new Promise((r) => setTimeout(r, 0));
    const ws = FakeWs.last;
    expect(ws.url).toBe('ws://127.0.0.1:8080/api/v1/streams/str_1/ws?access_token=TOKEN');
    expect(ws.binaryType).toBe('arraybuffer');
    expect(t.send({ t: 'home' })).toBe(false); // not open yet
    ws.readyState = 1;
    ws.onopen!();
    await connected;
    ws.onmessage!({ data: '{"t":"meta","codec":"avc1.42E01F","width":720,"height":1280,"rotation":0,"role":"controller"}' });
    const buf = new ArrayBuffer(10);
    new DataView(buf).setUint8(0, 2);
    ws.onmessage!({ data: buf });
    expect(messages[0]).toMatchObject({ t: 'meta', role: 'controller' });
    expect(videos[0].kind).toBe('key');
    const touch: InputMessage = { t: 'touch', action: 'down', pointer: 0, x: 1, y: 2, w: 3, h: 4 };
    expect(t.send(touch)).toBe(true);
    expect(JSON.parse(ws.sent[0])).toEqual(touch);
    ws.onclose!({ reason: 'stream ended' });
    expect(closes).toEqual(['stream ended']);
    t.close();
    await new Promise((r) => setTimeout(r, 0));
    expect(calls).toEqual(['create dev_1', 'remove str_1']);
  });

  it('fails connect when the socket closes before opening', async () => {
    const t = new WebSocketTransport({ api: fakeApi([]), deviceId: 'dev_1', origin: 'https://x', webSocket: (u) => new FakeWs(u) as unknown as WebSocket });
    const p = t.connect(handlers().h);
    await new Promise((r) => setTimeout(r, 0));
    FakeWs.last.onclose!({ reason: '' });
    await expect(p).rejects.toThrow(/closed/);
  });

  it('builds ws/wss URLs from the page origin', () => {
    expect(wsUrl('/a?b=1', 'https://h.example')).toBe('wss://h.example/a?b=1');
    expect(wsUrl('http://h:1/x', 'https://other')).toBe('ws://h:1/x');
  });
});

describe('openTransport', () => {
  it('prefers WebRTC when one is registered and available, and falls back to the WebSocket when it fails', async () => {
    expect(registeredTransports()).toContain('websocket');
    const tried: string[] = [];
    const fake = (kind: 'webrtc', ok: boolean): MediaTransport => ({
      kind, connect: async () => { tried.push(kind); if (!ok) throw new Error('ice failed'); }, send: () => true, close: () => tried.push('close'),
    });
    registerTransport({ kind: 'webrtc', available: () => true, create: () => fake('webrtc', true) });
    const ctx = { api: fakeApi([]), deviceId: 'd', origin: 'http://h', webSocket: (u: string) => { const w = new FakeWs(u); setTimeout(() => { w.readyState = 1; w.onopen!(); }, 0); return w as unknown as WebSocket; } };
    expect((await openTransport(ctx, handlers().h)).kind).toBe('webrtc');
    registerTransport({ kind: 'webrtc', available: () => true, create: () => fake('webrtc', false) });
    const t = await openTransport(ctx, handlers().h);
    expect(t.kind).toBe('websocket');
    expect(tried).toEqual(['webrtc', 'webrtc', 'close']);
    registerTransport({ kind: 'webrtc', available: () => false, create: () => fake('webrtc', true) });
    expect((await openTransport(ctx, handlers().h)).kind).toBe('websocket');
    await expect(openTransport(ctx, handlers().h, ['webrtc'])).rejects.toThrow();
  });
});
