// Where the session's tokens live. One store per console (portal and admin keep separate
// sessions on the same origin); tabs of the same console share it through localStorage.

export interface Tokens {
  accessToken: string;
  refreshToken: string;
  /** epoch ms when the access token expires (advisory; the server decides). */
  expiresAt: number;
}

export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export class TokenStore {
  private readonly key: string;
  private readonly storage: KeyValueStorage;
  private listeners = new Set<(t: Tokens | null) => void>();

  constructor(namespace: string, storage: KeyValueStorage) {
    this.key = `cloudphone.${namespace}.tokens`;
    this.storage = storage;
  }

  get(): Tokens | null {
    const raw = this.storage.getItem(this.key);
    if (!raw) return null;
    try {
      const t = JSON.parse(raw) as Tokens;
      return t && t.accessToken && t.refreshToken ? t : null;
    } catch {
      return null;
    }
  }

  set(t: Tokens | null): void {
    if (t) this.storage.setItem(this.key, JSON.stringify(t));
    else this.storage.removeItem(this.key);
    this.emit(t);
  }

  /** Called when another tab changed the stored tokens. */
  storageKeyChanged(key: string | null): void {
    if (key === null || key === this.key) this.emit(this.get());
  }

  get storageKey(): string { return this.key; }

  subscribe(fn: (t: Tokens | null) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private emit(t: Tokens | null) {
    for (const fn of this.listeners) fn(t);
  }
}

export class MemoryStorage implements KeyValueStorage {
  private m = new Map<string, string>();
  getItem(k: string) { return this.m.has(k) ? this.m.get(k)! : null; }
  setItem(k: string, v: string) { this.m.set(k, v); }
  removeItem(k: string) { this.m.delete(k); }
}
