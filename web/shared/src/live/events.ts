// The consoles' live updates: one WebSocket per console to the gateway's /api/v1/events/ws,
// shared by every listener, reconnecting with backoff. After a reconnect listeners get a
// {type:'reconnected'} event: whatever happened meanwhile was missed, so lists read again.
import type { ApiClient } from '../api/client';
import type { Device, LiveEvent } from '../api/types';
import { wsUrl } from '../media/transport';

export type LiveListener = (e: LiveEvent) => void;
export type LiveStatus = 'connecting' | 'open' | 'closed';

export interface LiveEventsOptions {
  webSocket?: (url: string) => WebSocket;
  origin?: string;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (t: unknown) => void;
}

export class LiveEvents {
  private listeners = new Set<LiveListener>();
  private statusListeners = new Set<(s: LiveStatus) => void>();
  private ws: WebSocket | null = null;
  private timer: unknown = null;
  private attempt = 0;
  private everOpened = false;
  status: LiveStatus = 'closed';

  constructor(private readonly client: ApiClient, private readonly opts: LiveEventsOptions = {}) {}

  subscribe(fn: LiveListener): () => void {
    this.listeners.add(fn);
    if (this.listeners.size === 1) void this.connect();
    return () => {
      this.listeners.delete(fn);
      if (this.listeners.size === 0) this.disconnect();
    };
  }

  onStatus(fn: (s: LiveStatus) => void): () => void {
    this.statusListeners.add(fn);
    return () => this.statusListeners.delete(fn);
  }

  /** Backoff before reconnect attempt `n` (1-based): 1 s, 2 s, 4 s … at most 15 s. */
  static backoffMs(n: number): number {
    return Math.min(15_000, 1000 * 2 ** Math.max(0, n - 1));
  }

  private setStatus(s: LiveStatus) {
    this.status = s;
    for (const f of this.statusListeners) f(s);
  }

  private async connect() {
    if (this.ws || this.listeners.size === 0) return;
    const token = await this.client.freshAccessToken();
    if (!token || this.listeners.size === 0 || this.ws) return;
    this.setStatus('connecting');
    const origin = this.opts.origin ?? window.location.origin;
    const url = wsUrl(this.client.url('/api/v1/events/ws', { access_token: token }), origin);
    const ws = (this.opts.webSocket ?? ((u: string) => new WebSocket(u)))(url);
    this.ws = ws;
    ws.onopen = () => {
      const reconnected = this.everOpened;
      this.everOpened = true;
      this.attempt = 0;
      this.setStatus('open');
      if (reconnected) this.emit({ type: 'reconnected' });
    };
    ws.onmessage = (ev) => {
      if (typeof ev.data !== 'string') return;
      try {
        const e = JSON.parse(ev.data) as LiveEvent;
        if (e && typeof e.type === 'string' && e.type !== 'hello') this.emit(e);
      } catch { /* not JSON: ignore */ }
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.setStatus('closed');
      if (this.listeners.size === 0) return;
      this.attempt++;
      const set = this.opts.setTimer ?? ((fn: () => void, ms: number) => window.setTimeout(fn, ms));
      this.timer = set(() => { this.timer = null; void this.connect(); }, LiveEvents.backoffMs(this.attempt));
    };
  }

  private disconnect() {
    if (this.timer !== null) {
      (this.opts.clearTimer ?? ((t: unknown) => window.clearTimeout(t as number)))(this.timer);
      this.timer = null;
    }
    const ws = this.ws;
    this.ws = null;
    ws?.close();
    this.setStatus('closed');
  }

  private emit(e: LiveEvent) {
    for (const f of [...this.listeners]) f(e);
  }
}

/** What a device event does to a list of devices: the updated list, or 'reload' when the list
 *  cannot be patched (a device it does not hold, or a reconnect that may have missed events). */
export function applyDeviceEvent(items: Device[], e: LiveEvent): Device[] | 'reload' {
  if (e.type === 'reconnected') return 'reload';
  if (!e.type.startsWith('device.')) return items;
  const data = e.data ?? {};
  const id = (typeof data.device_id === 'string' ? data.device_id : e.subject) ?? '';
  const i = items.findIndex((d) => d.id === id);
  if (e.type === 'device.deleted' || data.state === 'deleted') return i < 0 ? items : items.filter((d) => d.id !== id);
  if (i < 0) return 'reload';
  const d = items[i];
  const next: Device = {
    ...d,
    ...(typeof data.state === 'string' ? { state: data.state as Device['state'] } : {}),
    ...(typeof data.reason === 'string' ? { state_reason: data.reason } : {}),
    ...(typeof data.name === 'string' ? { name: data.name } : {}),
  };
  const out = items.slice();
  out[i] = next;
  return out;
}
