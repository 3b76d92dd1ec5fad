import { describe, expect, it, vi } from 'vitest';
import { ApiClient } from './client';
import { makeApi } from './endpoints';
import { ApiError } from './problem';
import { MemoryStorage, TokenStore } from './tokens';

// The forgot/reset calls are anonymous: they never carry a (possibly stale) bearer token, and a
// refused reset token is a field error for the page, not a reason to end a session.
function setup(handler: (url: string, init: RequestInit) => Response) {
  const calls: { url: string; body: unknown; auth?: string }[] = [];
  const fetchFn = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const auth = (init.headers as Record<string, string> | undefined)?.Authorization;
    calls.push({ url: String(input), body: init.body ? JSON.parse(String(init.body)) : undefined, auth });
    return handler(String(input), init);
  });
  const tokens = new TokenStore('test', new MemoryStorage());
  tokens.set({ accessToken: 'A1', refreshToken: 'R1', expiresAt: 0 });
  const ended: string[] = [];
  const client = new ApiClient({ tokens, fetch: fetchFn as unknown as typeof fetch, now: () => 1000, onSessionEnded: (r) => ended.push(r) });
  return { api: makeApi(client), calls, ended };
}

describe('password reset endpoints', () => {
  it('forgot posts the email without a bearer token and returns the 202 body', async () => {
    const { api, calls } = setup(() => new Response(JSON.stringify({ status: 'accepted', detail: 'd' }),
      { status: 202, headers: { 'Content-Type': 'application/json' } }));
    await expect(api.auth.forgotPassword({ email: 'a@example.com' })).resolves.toEqual({ status: 'accepted', detail: 'd' });
    expect(calls).toEqual([{ url: '/api/v1/auth/password/forgot', body: { email: 'a@example.com' }, auth: undefined }]);
  });

  it('reset surfaces a used token as a field error and leaves the session alone', async () => {
    const { api, calls, ended } = setup(() => new Response(JSON.stringify({
      type: 'https://cloudphone.dev/problems/reset_token_used', status: 400, code: 'reset_token_used',
      detail: 'used', field: 'token', request_id: 'req_1',
    }), { status: 400, headers: { 'Content-Type': 'application/problem+json' } }));
    const err = await api.auth.resetPassword({ token: 'cpw_x', new_password: 'new battery 77' }).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.code).toBe('reset_token_used');
    expect(err.field).toBe('token');
    expect(calls.map((c) => c.url)).toEqual(['/api/v1/auth/password/reset']);
    expect(calls[0].auth).toBeUndefined();
    expect(ended).toEqual([]);
  });
});
