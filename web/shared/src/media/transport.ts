// How a console reaches a phone's screen. The transport is an interface so a WebRTC transport can
// be registered next to the WebSocket one (registerTransport); openTransport tries the preferred
// kinds in order and falls back (WebRTC when available, else the WebSocket path).
import type { Api } from '../api/endpoints';
import type { OpenedStreamSession } from '../api/types';
import type { InputMessage, ServerMessage, VideoMessage } from './protocol';
import { parseServerMessage, parseVideoMessage } from './protocol';

export type TransportKind = 'webrtc' | 'websocket';

export interface TransportHandlers {
  /** Encoded access units (WebSocket transport): the page decodes them. */
  onVideo?: (m: VideoMessage, bytes: number) => void;
  /** A decoded media stream (WebRTC transport): the page plays it in a <video>. */
  onTrack?: (stream: MediaStream) => void;
  onMessage: (m: ServerMessage) => void;
  /** The connection ended (`reason` for the user); not called after close(). */
  onClose: (reason: string) => void;
}

export interface MediaTransport {
  readonly kind: TransportKind;
  /** Connects; resolves once media can flow. */
  connect(handlers: TransportHandlers): Promise<void>;
  /** Sends an input message; false when not connected. */
  send(m: InputMessage): boolean;
  /** Makes this session the controller (the previous one becomes a viewer), where supported. */
  takeControl?(): Promise<void>;
  close(): void;
}

export interface TransportContext {
  api: Api;
  deviceId: string;
  /** Builds a WebSocket (tests pass a fake). */
  webSocket?: (url: string) => WebSocket;
  /** Origin of the API for WebSocket URLs (default: the page's). */
  origin?: string;
  /** How long a transport may take to show a first picture before connect() fails (WebRTC). */
  connectTimeoutMs?: number;
}

export interface TransportFactory {
  kind: TransportKind;
  /** Whether this browser and deployment can use it (e.g. RTCPeerConnection exists). */
  available(ctx: TransportContext): boolean;
  create(ctx: TransportContext): MediaTransport;
}

const factories = new Map<TransportKind, TransportFactory>();

export function registerTransport(f: TransportFactory) {
  factories.set(f.kind, f);
}

export function registeredTransports(): TransportKind[] {
  return [...factories.keys()];
}

/** Connects with the first preferred kind that is registered, available and connects.
 *  `onSkipped` hears of each kind passed over (unavailable here, or its connect failed) before
 *  the next one is tried, so the console can say why it fell back. */
export async function openTransport(
  ctx: TransportContext, handlers: TransportHandlers, prefer: TransportKind[] = ['webrtc', 'websocket'],
  onSkipped?: (kind: TransportKind, error: Error) => void,
): Promise<MediaTransport> {
  let lastError: unknown = new Error('no media transport available');
  for (const kind of prefer) {
    const f = factories.get(kind);
    if (!f || !f.available(ctx)) {
      lastError = new Error(`${kind} is not available in this browser`);
      if (f) onSkipped?.(kind, lastError as Error);
      continue;
    }
    const t = f.create(ctx);
    try {
      await t.connect(handlers);
      return t;
    } catch (e) {
      lastError = e;
      t.close();
      onSkipped?.(kind, e instanceof Error ? e : new Error(String(e)));
    }
  }
  throw lastError;
}

/** The console's transport choice: 'auto' prefers WebRTC and falls back to the WebSocket. */
export type TransportChoice = 'auto' | TransportKind;

export const TRANSPORT_CHOICES: TransportChoice[] = ['auto', 'webrtc', 'websocket'];

export function preferFor(choice: TransportChoice): TransportKind[] {
  return choice === 'auto' ? ['webrtc', 'websocket'] : [choice];
}

export const TRANSPORT_STORAGE_KEY = 'cloudphone.console.transport';

/** The choice in force: a `?transport=` query (links and tests) wins over the remembered one. */
export function initialTransportChoice(search: string, stored: string | null): TransportChoice {
  const q = new URLSearchParams(search).get('transport');
  for (const v of [q, stored]) if (TRANSPORT_CHOICES.includes(v as TransportChoice)) return v as TransportChoice;
  return 'auto';
}

export function wsUrl(httpUrl: string, origin: string): string {
  const u = new URL(httpUrl, origin);
  u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
  return u.toString();
}

/** POST /api/v1/streams: the session, its WebSocket, and WebRTC signalling (generated type). */
export type StreamSession = OpenedStreamSession;

/** The media service's WebSocket path: POST /api/v1/streams, then its ws_url. */
export class WebSocketTransport implements MediaTransport {
  readonly kind = 'websocket' as const;
  session: StreamSession | null = null;
  private ws: WebSocket | null = null;
  private closed = false;

  constructor(private readonly ctx: TransportContext) {}

  async connect(h: TransportHandlers): Promise<void> {
    const { api } = this.ctx;
    this.session = await api.streams.create(this.ctx.deviceId);
    if (this.closed) { void this.endSession(); throw new Error('closed'); }
    const token = await api.client.freshAccessToken();
    const origin = this.ctx.origin ?? window.location.origin;
    const url = wsUrl(api.client.url(this.session.ws_url, { access_token: token ?? undefined }), origin);
    const ws = (this.ctx.webSocket ?? ((u: string) => new WebSocket(u)))(url);
    ws.binaryType = 'arraybuffer';
    this.ws = ws;
    await new Promise<void>((resolve, reject) => {
      let open = false;
      ws.onopen = () => { open = true; resolve(); };
      ws.onerror = () => { if (!open) reject(new Error('the stream connection failed')); };
      ws.onclose = (ev) => {
        if (!open) { reject(new Error('the stream connection closed')); return; }
        if (!this.closed) h.onClose(ev.reason || 'connection closed');
      };
      ws.onmessage = (ev) => {
        if (typeof ev.data === 'string') {
          const m = parseServerMessage(ev.data);
          if (m) h.onMessage(m);
          return;
        }
        const v = parseVideoMessage(ev.data as ArrayBuffer);
        if (v) h.onVideo?.(v, (ev.data as ArrayBuffer).byteLength);
      };
    });
  }

  send(m: InputMessage): boolean {
    if (!this.ws || this.ws.readyState !== 1) return false;
    this.ws.send(JSON.stringify(m));
    return true;
  }

  async takeControl() {
    if (this.session) await this.ctx.api.streams.takeControl(this.session.session_id);
  }

  close() {
    if (this.closed) return;
    this.closed = true;
    this.ws?.close();
    void this.endSession();
  }

  private async endSession() {
    if (!this.session) return;
    try { await this.ctx.api.streams.remove(this.session.session_id); } catch { /* the server reaps idle sessions */ }
  }
}

registerTransport({
  kind: 'websocket',
  available: (ctx) => !!ctx.webSocket || typeof WebSocket !== 'undefined',
  create: (ctx) => new WebSocketTransport(ctx),
});
