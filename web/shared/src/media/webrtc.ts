// The media service's WebRTC path: POST /api/v1/streams, then its rtc_url signalling socket; the
// server's media worker offers one H.264 video track and the "input"/"pointer" data channels.
// The browser decodes the track itself (a <video>); connect() resolves once a frame was decoded
// and rejects (so the console falls back to the WebSocket path) when that does not happen within
// `timeoutMs`. The signalling rules live in rtcSignal.ts.
import type { InputMessage } from './protocol';
import { channelFor, RtcSignalMachine, type RtcAction, type RtcEvent } from './rtcSignal';
import { registerTransport, wsUrl, type MediaTransport, type StreamSession, type TransportContext, type TransportHandlers } from './transport';

/** Auto falls back after this long; a console forced to WebRTC waits RTC_FORCED_TIMEOUT_MS. */
export const RTC_CONNECT_TIMEOUT_MS = 10_000;
export const RTC_FORCED_TIMEOUT_MS = 30_000;

/** What the console shows as connection quality (from RTCPeerConnection.getStats). */
export interface RtcStats {
  framesDecoded: number;
  bytesReceived: number;
  frameWidth: number | null;
  frameHeight: number | null;
  /** Round-trip time of the selected ICE candidate pair, ms. */
  rttMs: number | null;
}

export function webRtcAvailable(): boolean {
  return typeof RTCPeerConnection !== 'undefined';
}

export class WebRtcTransport implements MediaTransport {
  readonly kind = 'webrtc' as const;
  session: StreamSession | null = null;
  private pc: RTCPeerConnection | null = null;
  private ws: WebSocket | null = null;
  private channels = new Map<string, RTCDataChannel>();
  private machine = new RtcSignalMachine();
  private stream: MediaStream | null = null;
  private closed = false;
  private timers: number[] = [];
  private handlers: TransportHandlers | null = null;
  private settle: { resolve: () => void; reject: (e: Error) => void } | null = null;

  constructor(private readonly ctx: TransportContext, private readonly timeoutMs: number = RTC_CONNECT_TIMEOUT_MS) {}

  async connect(h: TransportHandlers): Promise<void> {
    const { api } = this.ctx;
    this.handlers = h;
    this.session = await api.streams.create(this.ctx.deviceId);
    if (this.closed) { void this.endSession(); throw new Error('closed'); }
    if (!this.session.rtc_url) { await this.endSession(); throw new Error('the server offers no WebRTC'); }
    const token = await api.client.freshAccessToken();
    const origin = this.ctx.origin ?? window.location.origin;
    const url = wsUrl(api.client.url(this.session.rtc_url, { access_token: token ?? undefined }), origin);
    const done = new Promise<void>((resolve, reject) => { this.settle = { resolve, reject }; });
    this.timers.push(window.setTimeout(() => this.feed({ type: 'timeout' }), this.timeoutMs));
    try {
      this.pc = new RTCPeerConnection({ iceServers: (this.session.ice_servers ?? []) as RTCIceServer[] });
    } catch (e) {
      this.feed({ type: 'error', reason: `RTCPeerConnection: ${String(e)}` });
    }
    const pc = this.pc;
    if (pc) {
      pc.ontrack = (e) => { this.stream = e.streams[0] ?? new MediaStream([e.track]); };
      pc.ondatachannel = (e) => { this.channels.set(e.channel.label, e.channel); };
      pc.onicecandidate = (e) => {
        if (e.candidate) this.feed({ type: 'local-candidate', candidate: e.candidate.candidate, sdpMLineIndex: e.candidate.sdpMLineIndex });
      };
      pc.onconnectionstatechange = () => this.feed({ type: 'peer-state', state: pc.connectionState });
      const ws = (this.ctx.webSocket ?? ((u: string) => new WebSocket(u)))(url);
      this.ws = ws;
      ws.onmessage = (ev) => { if (typeof ev.data === 'string') this.feed({ type: 'signal', text: ev.data }); };
      ws.onclose = (ev) => this.feed({ type: 'socket-closed', reason: ev.reason });
      ws.onerror = () => { /* onclose follows with the reason */ };
      this.pollFirstFrame(pc);
    }
    try {
      await done;
    } catch (e) {
      // The session goes before the caller falls back, so the WebSocket session it opens next
      // is not a viewer behind this dead one.
      this.teardown();
      await this.endSession();
      throw e;
    }
    if (this.stream) h.onTrack?.(this.stream);
  }

  send(m: InputMessage): boolean {
    const text = JSON.stringify(m);
    const ch = this.channels.get(channelFor(m)) ?? this.channels.get('input');
    if (ch && ch.readyState === 'open') { ch.send(text); return true; }
    // Before the channels open the signalling socket takes input too (the server routes it).
    if (this.ws && this.ws.readyState === 1) { this.ws.send(text); return true; }
    return false;
  }

  async takeControl() {
    if (this.session) await this.ctx.api.streams.takeControl(this.session.session_id);
  }

  /** Decoder and transport counters for the quality display; null when not connected. */
  async stats(): Promise<RtcStats | null> {
    if (!this.pc) return null;
    const out: RtcStats = { framesDecoded: 0, bytesReceived: 0, frameWidth: null, frameHeight: null, rttMs: null };
    const report = await this.pc.getStats();
    let pairId: string | null = null;
    report.forEach((r: Record<string, unknown>) => {
      if (r.type === 'inbound-rtp' && r.kind === 'video') {
        out.framesDecoded = Number(r.framesDecoded ?? 0);
        out.bytesReceived = Number(r.bytesReceived ?? 0);
        out.frameWidth = typeof r.frameWidth === 'number' ? r.frameWidth : null;
        out.frameHeight = typeof r.frameHeight === 'number' ? r.frameHeight : null;
      }
      if (r.type === 'transport' && typeof r.selectedCandidatePairId === 'string') pairId = r.selectedCandidatePairId;
    });
    const pair = pairId ? (report.get(pairId) as Record<string, unknown> | undefined) : undefined;
    if (pair && typeof pair.currentRoundTripTime === 'number') out.rttMs = Math.round(pair.currentRoundTripTime * 1000);
    return out;
  }

  close() {
    if (this.closed) return;
    this.closed = true;
    this.teardown();
    this.settle?.reject(new Error('closed'));
    this.settle = null;
    void this.endSession();
  }

  private teardown() {
    for (const t of this.timers) window.clearTimeout(t);
    this.timers = [];
    if (this.ws) { this.ws.onclose = null; this.ws.onmessage = null; this.ws.close(); }
    for (const ch of this.channels.values()) ch.close();
    this.pc?.close();
    this.pc = null;
  }

  private feed(e: RtcEvent) {
    if (this.closed && !this.settle) return;
    for (const a of this.machine.handle(e)) this.run(a);
  }

  private run(a: RtcAction) {
    const pc = this.pc;
    switch (a.do) {
      case 'apply-offer':
        if (!pc) return;
        pc.setRemoteDescription({ type: 'offer', sdp: a.sdp })
          .then(() => { this.feed({ type: 'remote-set' }); return pc.createAnswer(); })
          .then((answer) => pc.setLocalDescription(answer))
          .then(() => this.feed({ type: 'answer', sdp: pc.localDescription?.sdp ?? '' }))
          .catch((e: unknown) => this.feed({ type: 'error', reason: `answer: ${String(e)}` }));
        return;
      case 'add-candidate':
        pc?.addIceCandidate({ candidate: a.candidate, sdpMLineIndex: a.sdpMLineIndex }).catch(() => { /* one bad candidate is not fatal */ });
        return;
      case 'send':
        if (this.ws?.readyState === 1) this.ws.send(a.text);
        return;
      case 'deliver':
        this.handlers?.onMessage(a.message);
        return;
      case 'connected':
        this.settle?.resolve();
        this.settle = null;
        return;
      case 'failed':
        this.settle?.reject(new Error(a.reason));
        this.settle = null;
        return;
      case 'ended':
        if (!this.closed) this.handlers?.onClose(a.reason);
        this.teardown();
        return;
    }
  }

  // Until connected, look for the first decoded frame (the worker asks the device for a key
  // frame when ICE connects, so one arrives even on a still screen).
  private pollFirstFrame(pc: RTCPeerConnection) {
    const tick = () => {
      if (this.machine.phase === 'connected' || this.machine.done || this.pc !== pc) return;
      void this.stats().then((s) => {
        if (s && s.framesDecoded > 0) this.feed({ type: 'frame' });
        else this.timers.push(window.setTimeout(tick, 150));
      }, () => this.timers.push(window.setTimeout(tick, 150)));
    };
    tick();
  }

  private async endSession() {
    if (!this.session) return;
    const id = this.session.session_id;
    this.session = null;
    try { await this.ctx.api.streams.remove(id); } catch { /* the server reaps idle sessions */ }
  }
}

registerTransport({
  kind: 'webrtc',
  available: () => webRtcAvailable(),
  create: (ctx) => new WebRtcTransport(ctx, ctx.connectTimeoutMs),
});
