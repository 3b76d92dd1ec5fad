import { describe, expect, it } from 'vitest';
import { ApiClient } from '../api/client';
import { MemoryStorage, TokenStore } from '../api/tokens';
import type { Device, LiveEvent } from '../api/types';
import { applyDeviceEvent, LiveEvents } from './events';

class FakeWs {
  static all: FakeWs[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((e: { data: unknown }) => void) | null = null;
  onclose: (() => void) | null = null;
  onerror: (() => void) | null = null;
  closed = false;
  constructor(public url: string) { FakeWs.all.push(this); }
  close() { this.closed = true; }
  open() { this.onopen?.(); }
  message(o: unknown) { this.onmessage?.({ data: typeof o === 'string' ? o : JSON.stringify(o) }); }
  drop() { this.onclose?.(); }
}

function setup() {
  FakeWs.all = [];
  const tokens = new TokenStore('t', new MemoryStorage());
  tokens.set({ accessToken: 'A1', refreshToken: 'R1', expiresAt: 0 });
  const client = new ApiClient({ tokens, fetch: (() => { throw new Error('no fetch'); }) as unknown as typeof fetch });
  const timers: { fn: () => void; ms: number }[] = [];
  const live = new LiveEvents(client, {
    webSocket: (u) => new FakeWs(u) as unknown as WebSocket,
    origin: 'https://cp.example',
    setTimer: (fn, ms) => { timers.push({ fn, ms }); return timers.length; },
    clearTimer: () => {},
  });
  return { live, timers };
}
const flush = () => new Promise((r) => setTimeout(r, 0));

describe('LiveEvents', () => {
  it('opens one socket with the token on the secure scheme, shares it, and closes with the last listener', async () => {
    const { live } = setup();
    const got: LiveEvent[] = [];
    const off1 = live.subscribe((e) => got.push(e));
    const off2 = live.subscribe(() => {});
    await flush();
    expect(FakeWs.all).toHaveLength(1);
    expect(FakeWs.all[0].url).toBe('wss://cp.example/api/v1/events/ws?access_token=A1');
    FakeWs.all[0].open();
    FakeWs.all[0].message({ type: 'hello' });
    FakeWs.all[0].message({ type: 'device.started', subject: 'dev_1', data: { state: 'running' } });
    FakeWs.all[0].message('garbage');
    expect(got.map((e) => e.type)).toEqual(['device.started']);
    off1();
    expect(FakeWs.all[0].closed).toBe(false);
    off2();
    expect(FakeWs.all[0].closed).toBe(true);
  });

  it('reconnects with growing backoff and tells listeners it may have missed events', async () => {
    const { live, timers } = setup();
    const got: string[] = [];
    live.subscribe((e) => got.push(e.type));
    await flush();
    FakeWs.all[0].open();
    FakeWs.all[0].drop();
    expect(live.status).toBe('closed');
    expect(timers[0].ms).toBe(1000);
    timers[0].fn();
    await flush();
    expect(FakeWs.all).toHaveLength(2);
    FakeWs.all[1].drop(); // failed before opening
    expect(timers[1].ms).toBe(2000);
    timers[1].fn();
    await flush();
    FakeWs.all[2].open();
    expect(got).toEqual(['reconnected']);
    expect(LiveEvents.backoffMs(10)).toBe(15_000);
  });
});

const dev = (id: string, state: Device['state']): Device => ({
  id, owner_id: 'usr_1', name: id, state, state_reason: '', runtime: 'simulated', node: 'local',
  spec: { android_version: '13', width: 720, height: 1280, dpi: 320, fps: 60, cpu_cores: 2, memory_mb: 2048, storage_mb: 8192 } as Device['spec'],
  created_at: '', updated_at: '', started_at: null,
});

describe('applyDeviceEvent', () => {
  const list = [dev('dev_1', 'booting'), dev('dev_2', 'stopped')];

  it('patches the state of a listed device and keeps the rest', () => {
    const next = applyDeviceEvent(list, { type: 'device.started', subject: 'dev_1', data: { device_id: 'dev_1', state: 'running', reason: '' } });
    expect(next).not.toBe('reload');
    expect((next as Device[]).map((d) => d.state)).toEqual(['running', 'stopped']);
    expect(list[0].state).toBe('booting'); // not mutated
  });

  it('removes deleted devices, reloads for unknown ones and after reconnects, ignores other events', () => {
    expect((applyDeviceEvent(list, { type: 'device.deleted', subject: 'dev_2', data: { device_id: 'dev_2', state: 'deleted' } }) as Device[]).map((d) => d.id)).toEqual(['dev_1']);
    expect(applyDeviceEvent(list, { type: 'device.deleted', subject: 'dev_9' })).toBe(list);
    expect(applyDeviceEvent(list, { type: 'device.created', subject: 'dev_3', data: { device_id: 'dev_3', state: 'creating' } })).toBe('reload');
    expect(applyDeviceEvent(list, { type: 'reconnected' })).toBe('reload');
    expect(applyDeviceEvent(list, { type: 'app.approved', subject: 'app_1' })).toBe(list);
  });

  it('records the reason of an error', () => {
    const next = applyDeviceEvent(list, { type: 'device.error', subject: 'dev_1', data: { state: 'error', reason: 'boot timed out' } }) as Device[];
    expect(next[0]).toMatchObject({ state: 'error', state_reason: 'boot timed out' });
  });
});
