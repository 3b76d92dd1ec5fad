import { describe, expect, it, vi } from 'vitest';
import { ApiClient, buildUrl, type SessionEndReason } from './client';
import { ApiError } from './problem';
import { MemoryStorage, TokenStore } from './tokens';

type Handler = (url: string, init: RequestInit) => Response | Promise<Response>;

function json(status: number, body: unknown, type = 'application/json') {
  return new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'Content-Type': type } });
}
function problem(status: number, code: string, detail = code) {
  return json(status, { type: `https://cloudphone.dev/problems/${code}`, status, code, detail, request_id: 'req_1' }, 'application/problem+json');
}

function setup(handler: Handler) {
  const calls: { url: string; init: RequestInit; auth?: string }[] = [];
  const fetchFn = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = String(input);
    const auth = (init.headers as Record<string, string> | undefined)?.Authorization;
    calls.push({ url, init, auth });
    return handler(url, init);
  });
  const tokens = new TokenStore('test', new MemoryStorage());
  const ended: SessionEndReason[] = [];
  const client = new ApiClient({ tokens, fetch: fetchFn as unknown as typeof fetch, now: () => 1000, onSessionEnded: (r) => ended.push(r) });
  return { client, tokens, calls, ended, fetchFn };
}

const loggedIn = { accessToken: 'A1', refreshToken: 'R1', expiresAt: 0 };
const refreshed = { access_token: 'A2', refresh_token: 'R2', token_type: 'Bearer', expires_in: 900 };

describe('ApiClient', () => {
  it('sends the bearer token and parses JSON', async () => {
    const { client, tokens, calls } = setup(() => json(200, { id: 'usr_1' }));
    tokens.set(loggedIn);
    await expect(client.get('/api/v1/users/me')).resolves.toEqual({ id: 'usr_1' });
    expect(calls[0].auth).toBe('Bearer A1');
  });

  it('refreshes silently on 401 token_expired and retries once', async () => {
    const { client, tokens, calls } = setup((url, init) => {
      if (url.endsWith('/auth/refresh')) {
        expect(JSON.parse(String(init.body))).toEqual({ refresh_token: 'R1' });
        return json(200, refreshed);
      }
      const auth = (init.headers as Record<string, string>).Authorization;
      return auth === 'Bearer A2' ? json(200, { ok: true }) : problem(401, 'token_expired');
    });
    tokens.set(loggedIn);
    await expect(client.get('/api/v1/users/me')).resolves.toEqual({ ok: true });
    expect(calls.map((c) => c.url)).toEqual(['/api/v1/users/me', '/api/v1/auth/refresh', '/api/v1/users/me']);
    expect(tokens.get()).toEqual({ accessToken: 'A2', refreshToken: 'R2', expiresAt: 1000 + 900_000 });
  });

  it('shares one refresh among concurrent calls', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    const { client, tokens, calls } = setup(async (url, init) => {
      if (url.endsWith('/auth/refresh')) { await gate; return json(200, refreshed); }
      const auth = (init.headers as Record<string, string>).Authorization;
      return auth === 'Bearer A2' ? json(200, { url }) : problem(401, 'token_expired');
    });
    tokens.set(loggedIn);
    const all = Promise.all(['/a', '/b', '/c'].map((p) => client.get(p)));
    await new Promise((r) => setTimeout(r, 10));
    release();
    await expect(all).resolves.toEqual([{ url: '/a' }, { url: '/b' }, { url: '/c' }]);
    expect(calls.filter((c) => c.url.endsWith('/auth/refresh'))).toHaveLength(1);
  });

  it('does not refresh again when another tab already did', async () => {
    const { client, tokens, calls } = setup((url, init) => {
      if (url.endsWith('/auth/refresh')) throw new Error('must not refresh');
      const auth = (init.headers as Record<string, string>).Authorization;
      if (auth === 'Bearer A1') {
        tokens.set({ accessToken: 'A9', refreshToken: 'R9', expiresAt: 0 }); // the other tab, meanwhile
        return problem(401, 'token_expired');
      }
      return json(200, { auth });
    });
    tokens.set(loggedIn);
    await expect(client.get('/x')).resolves.toEqual({ auth: 'Bearer A9' });
    expect(calls).toHaveLength(2);
  });

  it('ends the session when the refresh is refused, and throws the original error', async () => {
    const { client, tokens, ended } = setup((url) =>
      url.endsWith('/auth/refresh') ? problem(401, 'invalid_refresh_token') : problem(401, 'token_expired'));
    tokens.set(loggedIn);
    const err = (await client.get("/x").catch((e: unknown) => e)) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.code).toBe('token_expired');
    expect(tokens.get()).toBeNull();
    expect(ended).toEqual(['expired']);
  });

  it('keeps the session when the refresh fails on the network', async () => {
    const { client, tokens, ended } = setup((url) => {
      if (url.endsWith('/auth/refresh')) throw new TypeError('Failed to fetch');
      return problem(401, 'token_expired');
    });
    tokens.set(loggedIn);
    await expect(client.get('/x')).rejects.toBeInstanceOf(ApiError);
    expect(tokens.get()).toEqual(loggedIn);
    expect(ended).toEqual([]);
  });

  it('ends the session without refreshing on other 401s', async () => {
    const { client, tokens, calls, ended } = setup(() => problem(401, 'token_invalid'));
    tokens.set(loggedIn);
    await expect(client.get('/x')).rejects.toMatchObject({ code: 'token_invalid' });
    expect(calls).toHaveLength(1);
    expect(tokens.get()).toBeNull();
    expect(ended).toEqual(['rejected']);
  });

  it('does not loop when the retried call is still 401', async () => {
    const { client, tokens, calls } = setup((url) => (url.endsWith('/auth/refresh') ? json(200, refreshed) : problem(401, 'token_expired')));
    tokens.set(loggedIn);
    await expect(client.get('/x')).rejects.toMatchObject({ code: 'token_expired' });
    expect(calls).toHaveLength(3);
    expect(tokens.get()).toBeNull();
  });

  it('leaves 401s of unauthenticated calls (a wrong password) alone', async () => {
    const { client, calls } = setup(() => problem(401, 'invalid_credentials'));
    await expect(client.post('/api/v1/auth/login', { login: 'a', password: 'b' }, { auth: false })).rejects.toMatchObject({ code: 'invalid_credentials', status: 401 });
    expect(calls).toHaveLength(1);
    expect(calls[0].auth).toBeUndefined();
  });

  it('logs out everywhere and clears the session even if the server fails', async () => {
    const { client, tokens, calls, ended } = setup(() => problem(500, 'internal'));
    tokens.set(loggedIn);
    await client.logout(true);
    expect(JSON.parse(String(calls[0].init.body))).toEqual({ all: true });
    expect(calls[0].init.method).toBe('POST');
    expect(tokens.get()).toBeNull();
    expect(ended).toEqual(['logout']);
  });

  it('maps bodies that are not problems, 204s and network failures', async () => {
    let next: () => Response = () => new Response('<html>bad gateway</html>', { status: 502, headers: { 'X-Request-ID': 'rid9' } });
    const { client } = setup(() => next());
    await expect(client.get('/x', { auth: false })).rejects.toMatchObject({ status: 502, code: 'http_502', requestId: 'rid9' });
    next = () => new Response(null, { status: 204 });
    await expect(client.delete('/x')).resolves.toBeUndefined();
    next = () => { throw new TypeError('Failed to fetch'); };
    await expect(client.get('/x')).rejects.toMatchObject({ status: 0, code: 'network_error' });
  });

  it('builds query strings without empty values', () => {
    expect(buildUrl('', '/api/v1/users', { search: 'a b', status: '', limit: 20, cursor: undefined })).toBe('/api/v1/users?search=a+b&limit=20');
    expect(buildUrl('http://h/', '/p')).toBe('http://h/p');
  });
});
