import { describe, expect, it } from 'vitest';
import { ApiClient } from './client';
import { ApiError } from './problem';
import { MemoryStorage, TokenStore } from './tokens';

type Reply = { status: number; body: string; type?: string };

class FakeXhr {
  static script: ((x: FakeXhr) => Reply)[] = [];
  static made: FakeXhr[] = [];
  method = '';
  url = '';
  headers: Record<string, string> = {};
  body: unknown;
  status = 0;
  responseText = '';
  responseType = '';
  private type = '';
  upload: { onprogress: ((e: ProgressEvent) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  constructor() { FakeXhr.made.push(this); }
  open(m: string, u: string) { this.method = m; this.url = u; }
  setRequestHeader(k: string, v: string) { this.headers[k] = v; }
  getResponseHeader() { return this.type; }
  abort() { this.onabort?.(); }
  send(body: unknown) {
    this.body = body;
    const reply = FakeXhr.script.shift()!(this);
    setTimeout(() => {
      this.upload.onprogress?.({ loaded: 5, total: 10, lengthComputable: true } as ProgressEvent);
      this.upload.onprogress?.({ loaded: 10, total: 10, lengthComputable: true } as ProgressEvent);
      this.status = reply.status;
      this.responseText = reply.body;
      this.type = reply.type ?? 'application/json';
      this.onload?.();
    }, 0);
  }
}

function setup(replies: ((x: FakeXhr) => Reply)[], fetchReply?: () => Response) {
  FakeXhr.script = replies;
  FakeXhr.made = [];
  const tokens = new TokenStore('u', new MemoryStorage());
  tokens.set({ accessToken: 'A1', refreshToken: 'R1', expiresAt: 0 });
  const fetchFn = (async () => fetchReply!()) as unknown as typeof fetch;
  const client = new ApiClient({ tokens, fetch: fetchFn, xhr: () => new FakeXhr() as unknown as XMLHttpRequest, now: () => 0 });
  return { client, tokens };
}
const problem = (status: number, code: string) => ({ status, type: 'application/problem+json', body: JSON.stringify({ status, code, detail: code }) });

describe('ApiClient.upload', () => {
  it('sends the raw body with its content type and the token, reporting progress', async () => {
    const { client } = setup([() => ({ status: 201, body: '{"package":"com.example.basic"}' })]);
    const progress: number[] = [];
    const apk = new Blob([new Uint8Array(10)]);
    const r = await client.upload<{ package: string }>('POST', '/api/v1/devices/dev_1/apps', apk, {
      contentType: 'application/vnd.android.package-archive', onProgress: (s, t) => progress.push(s / t),
    });
    expect(r.package).toBe('com.example.basic');
    const x = FakeXhr.made[0];
    expect(x.method).toBe('POST');
    expect(x.url).toBe('/api/v1/devices/dev_1/apps');
    expect(x.headers['Content-Type']).toBe('application/vnd.android.package-archive');
    expect(x.headers.Authorization).toBe('Bearer A1');
    expect(x.body).toBe(apk);
    expect(progress).toEqual([0.5, 1]);
  });

  it('refreshes once on token_expired and sends again with the new token', async () => {
    const { client, tokens } = setup(
      [() => problem(401, 'token_expired'), () => ({ status: 204, body: '' })],
      () => new Response(JSON.stringify({ access_token: 'A2', refresh_token: 'R2', token_type: 'Bearer', expires_in: 900 }), { status: 200 }),
    );
    await client.upload('PUT', '/api/v1/devices/d/files', new Blob(['x']), { contentType: 'application/octet-stream', query: { path: '/sdcard/a b' } });
    expect(FakeXhr.made).toHaveLength(2);
    expect(FakeXhr.made[1].headers.Authorization).toBe('Bearer A2');
    expect(FakeXhr.made[1].url).toBe('/api/v1/devices/d/files?path=%2Fsdcard%2Fa+b');
    expect(tokens.get()?.refreshToken).toBe('R2');
  });

  it('turns problem+json answers into ApiError naming the code', async () => {
    const { client } = setup([() => problem(415, 'unsupported_media_type')]);
    const err = (await client.upload('POST', '/x', new Blob(['x']), { contentType: 'text/plain' }).catch((e: unknown) => e)) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(415);
    expect(err.code).toBe('unsupported_media_type');
  });
});
