// WebRtcTransport's wiring (the signalling rules themselves are in rtcSignal.test.ts): a fake
// RTCPeerConnection and signalling socket stand in for the browser; the real ones run in the
// browser e2e (web/e2e/console-webrtc.test.mjs).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Api } from '../api/endpoints';
import type { ServerMessage } from './protocol';
import type { TransportHandlers } from './transport';
import { WebRtcTransport } from './webrtc';

class FakeChannel {
  readyState = 'open';
  sent: string[] = [];
  constructor(public label: string) {}
  send(s: string) { this.sent.push(s); }
  close() { this.readyState = 'closed'; }
}

class FakePc {
  static last: FakePc;
  connectionState = 'new';
  localDescription: { sdp: string } | null = null;
  remote: string | null = null;
  candidates: unknown[] = [];
  framesDecoded = 0;
  closed = false;
  ontrack: ((e: unknown) => void) | null = null;
  ondatachannel: ((e: unknown) => void) | null = null;
  onicecandidate: ((e: unknown) => void) | null = null;
  onconnectionstatechange: (() => void) | null = null;
  constructor(public config: unknown) { FakePc.last = this; }
  async setRemoteDescription(d: { sdp: string }) { this.remote = d.sdp; }
  async createAnswer() { return { type: 'answer', sdp: 'v=0 answer' }; }
  async setLocalDescription(d: { sdp: string }) { this.localDescription = d; }
  async addIceCandidate(c: unknown) { this.candidates.push(c); }
  async getStats() {
    return new Map<string, unknown>([['in', { type: 'inbound-rtp', kind: 'video', framesDecoded: this.framesDecoded, bytesReceived: 1000, frameWidth: 720, frameHeight: 1280 }]]);
  }
  close() { this.closed = true; }
  state(s: string) { this.connectionState = s; this.onconnectionstatechange?.(); }
}

class FakeWs {
  static last: FakeWs;
  readyState = 1;
  sent: string[] = [];
  onmessage: ((e: { data: unknown }) => void) | null = null;
  onclose: ((e: { reason: string }) => void) | null = null;
  onerror: (() => void) | null = null;
  closed = false;
  constructor(public url: string) { FakeWs.last = this; }
  send(s: string) { this.sent.push(s); }
  close() { this.closed = true; }
  recv(m: unknown) { this.onmessage?.({ data: JSON.stringify(m) }); }
}

function fakeApi(calls: string[]): Api {
  return {
    client: { freshAccessToken: async () => 'TOKEN', url: (p: string, q?: Record<string, string>) => p + (q ? `?${new URLSearchParams(q)}` : '') },
    streams: {
      create: async (id: string) => {
        calls.push(`create ${id}`);
        return { session_id: 'str_1', device_id: id, ws_url: '/ws', role: 'controller', rtc_url: '/api/v1/streams/str_1/rtc', ice_servers: [{ urls: ['stun:s:3478'] }] };
      },
      remove: async (id: string) => { calls.push(`remove ${id}`); },
    },
  } as unknown as Api;
}

const tick = (ms = 0) => vi.advanceTimersByTimeAsync(ms);

describe('WebRtcTransport', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.stubGlobal('RTCPeerConnection', FakePc);
    vi.stubGlobal('MediaStream', class { constructor(public tracks: unknown[]) {} });
    vi.stubGlobal('window', globalThis);
  });
  afterEach(() => { vi.useRealTimers(); vi.unstubAllGlobals(); });

  const setup = () => {
    const calls: string[] = [];
    const messages: ServerMessage[] = [];
    const tracks: unknown[] = [];
    const closes: string[] = [];
    const h: TransportHandlers = { onMessage: (m) => messages.push(m), onTrack: (s) => tracks.push(s), onClose: (r) => closes.push(r) };
    const t = new WebRtcTransport({ api: fakeApi(calls), deviceId: 'dev_1', origin: 'http://h:1', webSocket: (u) => new FakeWs(u) as unknown as WebSocket }, 5000);
    return { t, h, calls, messages, tracks, closes };
  };

  it('answers over the signalling socket, resolves on the first decoded frame, then routes input to the data channels', async () => {
    const { t, h, calls, messages, tracks } = setup();
    let connected = false;
    const p = t.connect(h).then(() => { connected = true; });
    await tick();
    const ws = FakeWs.last, pc = FakePc.last;
    expect(ws.url).toBe('ws://h:1/api/v1/streams/str_1/rtc?access_token=TOKEN');
    expect(pc.config).toEqual({ iceServers: [{ urls: ['stun:s:3478'] }] });
    ws.recv({ t: 'meta', codec: 'avc1.42E01F', width: 720, height: 1280, rotation: 0, role: 'controller' });
    ws.recv({ t: 'offer', sdp: 'v=0 offer' });
    ws.recv({ t: 'candidate', candidate: 'candidate:1 1 UDP 1 10.0.0.5 4000 typ host', sdpMLineIndex: 0 });
    await tick();
    expect(pc.remote).toBe('v=0 offer');
    expect(pc.candidates).toHaveLength(1);
    expect(ws.sent.map((s) => JSON.parse(s))).toEqual([{ t: 'answer', sdp: 'v=0 answer' }]);
    pc.onicecandidate!({ candidate: { candidate: 'candidate:2 1 UDP 1 10.0.0.6 5000 typ host', sdpMLineIndex: 0 } });
    expect(JSON.parse(ws.sent[1])).toMatchObject({ t: 'candidate', sdpMLineIndex: 0 });
    expect(messages[0]).toMatchObject({ t: 'meta', role: 'controller' });

    // Before the channels open, input takes the signalling socket.
    expect(t.send({ t: 'home' })).toBe(true);
    expect(JSON.parse(ws.sent.at(-1)!)).toEqual({ t: 'home' });
    const input = new FakeChannel('input'), pointer = new FakeChannel('pointer');
    pc.ondatachannel!({ channel: input });
    pc.ondatachannel!({ channel: pointer });
    pc.ontrack!({ streams: [], track: 'video-track' });
    pc.state('connected');
    await tick(500);
    expect(connected).toBe(false); // up, but no picture yet
    pc.framesDecoded = 1;
    await tick(500);
    await p;
    expect(tracks).toHaveLength(1);
    t.send({ t: 'touch', action: 'move', pointer: 0, x: 1, y: 2, w: 3, h: 4 });
    t.send({ t: 'touch', action: 'up', pointer: 0, x: 1, y: 2, w: 3, h: 4 });
    expect(pointer.sent.map((s) => JSON.parse(s).action)).toEqual(['move']);
    expect(input.sent.map((s) => JSON.parse(s).action)).toEqual(['up']);
    expect((await t.stats())).toMatchObject({ framesDecoded: 1, frameWidth: 720, frameHeight: 1280 });
    t.close();
    await tick();
    expect(pc.closed && ws.closed).toBe(true);
    expect(calls).toEqual(['create dev_1', 'remove str_1']);
  });

  it('rejects after the timeout without ICE, having ended its session first (the fallback starts clean)', async () => {
    const { t, h, calls } = setup();
    let error: Error | null = null;
    const p = t.connect(h).catch((e: Error) => { error = e; calls.push('rejected'); });
    await tick();
    FakeWs.last.recv({ t: 'offer', sdp: 'v=0 offer' });
    await tick(4900);
    expect(error).toBeNull();
    await tick(200);
    await p;
    expect(error!.message).toBe('no ICE connection');
    expect(calls).toEqual(['create dev_1', 'remove str_1', 'rejected']);
    expect(FakePc.last.closed).toBe(true);
  });

  it('rejects at once when the server ends the session (a worker that cannot start)', async () => {
    const { t, h } = setup();
    const p = t.connect(h);
    await tick();
    FakeWs.last.recv({ t: 'ended', reason: 'WebRTC unavailable: cannot start the WebRTC worker' });
    await expect(p).rejects.toThrow('WebRTC unavailable');
  });

  it('reports a connected session ending through onClose', async () => {
    const { t, h, closes } = setup();
    const p = t.connect(h);
    await tick();
    const ws = FakeWs.last, pc = FakePc.last;
    ws.recv({ t: 'offer', sdp: 'v=0 offer' });
    pc.framesDecoded = 3;
    pc.state('connected');
    await tick(300);
    await p;
    ws.recv({ t: 'ended', reason: 'device stopped' });
    expect(closes).toEqual(['device stopped']);
  });
});
