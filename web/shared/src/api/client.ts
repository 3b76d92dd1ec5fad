// The fetch wrapper every console uses: bearer tokens, silent refresh on 401 token_expired
// (one refresh in flight however many calls fail at once), problem+json errors as ApiError.

import { ApiError, networkError, problemFromResponse } from './problem';
import type { Tokens, TokenStore } from './tokens';

export type Query = Record<string, string | number | boolean | undefined | null>;

export interface RequestOptions {
  body?: unknown;
  query?: Query;
  /** Send the access token (default true). */
  auth?: boolean;
  signal?: AbortSignal;
  /** Accept a text response instead of JSON (e.g. /metrics). */
  text?: boolean;
  /** Return the body as a Blob (images). */
  blob?: boolean;
}

export type SessionEndReason = 'expired' | 'rejected' | 'logout';

export interface ClientOptions {
  tokens: TokenStore;
  baseUrl?: string;
  fetch?: typeof fetch;
  now?: () => number;
  /** Called once when the session ends without the user asking (refresh refused, token rejected). */
  onSessionEnded?: (reason: SessionEndReason) => void;
  /** Makes the XMLHttpRequest of upload() (tests pass a fake). */
  xhr?: () => XMLHttpRequest;
}

export interface UploadOptions {
  contentType: string;
  query?: Query;
  /** Called with (bytes sent, total bytes) as the body goes out. */
  onProgress?: (sent: number, total: number) => void;
  signal?: AbortSignal;
}

export interface LoginResponse {
  access_token: string;
  refresh_token: string;
  token_type: string;
  expires_in: number;
}

export function buildUrl(baseUrl: string, path: string, query?: Query): string {
  let url = baseUrl.replace(/\/$/, '') + path;
  if (query) {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) {
      if (v === undefined || v === null || v === '') continue;
      qs.set(k, String(v));
    }
    const s = qs.toString();
    if (s) url += (url.includes('?') ? '&' : '?') + s;
  }
  return url;
}

export class ApiClient {
  readonly tokens: TokenStore;
  private readonly baseUrl: string;
  private readonly fetchFn: typeof fetch;
  private readonly now: () => number;
  private onSessionEnded?: (reason: SessionEndReason) => void;
  private refreshing: Promise<boolean> | null = null;
  private readonly xhrFn: () => XMLHttpRequest;

  constructor(opts: ClientOptions) {
    this.tokens = opts.tokens;
    this.baseUrl = opts.baseUrl ?? '';
    // Bind: window.fetch called with another `this` throws "Illegal invocation".
    const f = opts.fetch ?? globalThis.fetch;
    this.fetchFn = ((input: RequestInfo | URL, init?: RequestInit) => f(input, init)) as typeof fetch;
    this.now = opts.now ?? Date.now;
    this.onSessionEnded = opts.onSessionEnded;
    this.xhrFn = opts.xhr ?? (() => new XMLHttpRequest());
  }

  /** The URL of `path` on the API (WebSockets: the caller swaps the scheme). */
  url(path: string, query?: Query): string { return buildUrl(this.baseUrl, path, query); }

  /** A current access token, refreshed first when it expires within `marginMs` (for URLs that
   *  carry the token, such as WebSockets). Null when logged out. */
  async freshAccessToken(marginMs = 10_000): Promise<string | null> {
    const t = this.tokens.get();
    if (!t) return null;
    if (t.expiresAt && t.expiresAt - this.now() < marginMs) await this.refresh(t.accessToken);
    return this.tokens.get()?.accessToken ?? null;
  }

  /**
   * Sends a file or blob as the raw request body with XMLHttpRequest, which (unlike fetch) reports
   * upload progress. Same token handling as request(): one silent refresh on token_expired.
   */
  async upload<T>(method: string, path: string, body: Blob, opts: UploadOptions): Promise<T> {
    const first = this.tokens.get();
    let res = await this.sendXhr(method, path, body, opts, first);
    if (res.status === 401 && first) {
      const err = await problemFromResponse(res);
      if (err.code !== 'token_expired') {
        this.endSession('rejected');
        throw err;
      }
      if (!(await this.refresh(first.accessToken))) throw err;
      res = await this.sendXhr(method, path, body, opts, this.tokens.get());
    }
    if (!res.ok) throw await problemFromResponse(res);
    const text = await res.text();
    if (!text) return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ApiError({ status: res.status, code: 'bad_response', detail: 'The server sent a response that is not JSON.' });
    }
  }

  private sendXhr(method: string, path: string, body: Blob, opts: UploadOptions, tokens: Tokens | null): Promise<Response> {
    return new Promise((resolve, reject) => {
      const xhr = this.xhrFn();
      xhr.open(method, buildUrl(this.baseUrl, path, opts.query));
      xhr.setRequestHeader('Content-Type', opts.contentType);
      xhr.setRequestHeader('Accept', 'application/json, application/problem+json');
      if (tokens) xhr.setRequestHeader('Authorization', `Bearer ${tokens.accessToken}`);
      xhr.responseType = 'text';
      if (opts.onProgress) {
        const report = opts.onProgress;
        xhr.upload.onprogress = (e: ProgressEvent) => report(e.loaded, e.lengthComputable ? e.total : body.size);
      }
      xhr.onload = () => {
        const type = xhr.getResponseHeader('Content-Type') ?? 'application/json';
        const status = xhr.status;
        const text = status === 204 || status === 205 || status === 304 ? null : xhr.responseText;
        resolve(new Response(text, { status, headers: { 'Content-Type': type } }));
      };
      xhr.onerror = () => reject(networkError(new Error('upload failed')));
      xhr.onabort = () => reject(new DOMException('upload aborted', 'AbortError'));
      if (opts.signal) {
        if (opts.signal.aborted) { reject(new DOMException('upload aborted', 'AbortError')); return; }
        opts.signal.addEventListener('abort', () => xhr.abort(), { once: true });
      }
      xhr.send(body);
    });
  }

  setSessionEndedHandler(fn: ((reason: SessionEndReason) => void) | undefined) {
    this.onSessionEnded = fn;
  }

  get loggedIn(): boolean { return this.tokens.get() !== null; }

  get<T>(path: string, opts: RequestOptions = {}) { return this.request<T>('GET', path, opts); }
  post<T>(path: string, body?: unknown, opts: RequestOptions = {}) { return this.request<T>('POST', path, { ...opts, body }); }
  patch<T>(path: string, body?: unknown, opts: RequestOptions = {}) { return this.request<T>('PATCH', path, { ...opts, body }); }
  put<T>(path: string, body?: unknown, opts: RequestOptions = {}) { return this.request<T>('PUT', path, { ...opts, body }); }
  delete<T>(path: string, opts: RequestOptions = {}) { return this.request<T>('DELETE', path, opts); }

  async request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    const auth = opts.auth !== false;
    const first = auth ? this.tokens.get() : null;
    let res = await this.send(method, path, opts, first);
    if (res.status === 401 && auth && first) {
      const err = await problemFromResponse(res);
      if (err.code !== 'token_expired') {
        this.endSession('rejected');
        throw err;
      }
      const refreshed = await this.refresh(first.accessToken);
      if (!refreshed) throw err;
      const again = this.tokens.get();
      res = await this.send(method, path, opts, again);
      if (res.status === 401) {
        const err2 = await problemFromResponse(res);
        this.endSession('rejected');
        throw err2;
      }
    }
    if (!res.ok) throw await problemFromResponse(res);
    if (res.status === 204) return undefined as T;
    if (opts.blob) return (await res.blob()) as T;
    const text = await res.text();
    if (opts.text) return text as T;
    if (!text) return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ApiError({ status: res.status, code: 'bad_response', detail: 'The server sent a response that is not JSON.' });
    }
  }

  /**
   * Exchanges the refresh token for new tokens. Concurrent callers share one request. `staleAccess`
   * is the access token the caller saw rejected: when the store already holds a different one
   * (another call or another tab refreshed meanwhile), no new refresh is needed.
   */
  refresh(staleAccess?: string): Promise<boolean> {
    if (this.refreshing) return this.refreshing;
    const current = this.tokens.get();
    if (!current) return Promise.resolve(false);
    if (staleAccess && current.accessToken !== staleAccess) return Promise.resolve(true);
    this.refreshing = (async () => {
      let res: Response;
      try {
        res = await this.fetchFn(buildUrl(this.baseUrl, '/api/v1/auth/refresh'), {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Accept: 'application/json, application/problem+json' },
          body: JSON.stringify({ refresh_token: current.refreshToken }),
        });
      } catch {
        return false; // network trouble: keep the session, the caller sees its original error
      }
      if (!res.ok) {
        // Another tab may have rotated the refresh token first: then its tokens are in the store.
        const now = this.tokens.get();
        if (now && now.refreshToken !== current.refreshToken) return true;
        if (res.status >= 400 && res.status < 500) this.endSession('expired');
        return false;
      }
      const body = (await res.json()) as LoginResponse;
      this.storeTokens(body);
      return true;
    })().finally(() => { this.refreshing = null; });
    return this.refreshing;
  }

  storeTokens(r: LoginResponse) {
    const t: Tokens = {
      accessToken: r.access_token,
      refreshToken: r.refresh_token,
      expiresAt: this.now() + (r.expires_in || 0) * 1000,
    };
    this.tokens.set(t);
  }

  /** Ends the session on the server (all sessions of the user when `everywhere`), then locally. */
  async logout(everywhere = false): Promise<void> {
    try {
      if (this.tokens.get()) await this.post('/api/v1/auth/logout', everywhere ? { all: true } : undefined);
    } catch {
      // The session is ended locally whatever the server said.
    } finally {
      this.tokens.set(null);
      this.onSessionEnded?.('logout');
    }
  }

  private endSession(reason: SessionEndReason) {
    if (!this.tokens.get()) return;
    this.tokens.set(null);
    this.onSessionEnded?.(reason);
  }

  private async send(method: string, path: string, opts: RequestOptions, tokens: Tokens | null): Promise<Response> {
    const headers: Record<string, string> = {
      Accept: opts.text ? 'text/plain, application/problem+json'
        : opts.blob ? '*/*' : 'application/json, application/problem+json',
    };
    if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
    if (tokens) headers['Authorization'] = `Bearer ${tokens.accessToken}`;
    try {
      return await this.fetchFn(buildUrl(this.baseUrl, path, opts.query), {
        method,
        headers,
        body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
        signal: opts.signal,
      });
    } catch (e) {
      if (e instanceof DOMException && e.name === 'AbortError') throw e;
      throw networkError(e);
    }
  }
}
