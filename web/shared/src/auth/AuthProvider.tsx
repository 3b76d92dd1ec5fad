import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { ApiClient, type SessionEndReason } from '../api/client';
import { makeApi, type Api } from '../api/endpoints';
import { TokenStore } from '../api/tokens';
import type { User } from '../api/types';
import { decodeClaims, hasPermission } from './permissions';

/** The API and token store of one console ('portal' or 'admin'), each with its own session. */
export function createApi(namespace: string, baseUrl = ''): Api {
  const tokens = new TokenStore(namespace, window.localStorage);
  const client = new ApiClient({ tokens, baseUrl });
  window.addEventListener('storage', (e) => tokens.storageKeyChanged(e.key));
  return makeApi(client);
}

export type AuthStatus = 'loading' | 'signedIn' | 'signedOut';

export interface Auth {
  api: Api;
  status: AuthStatus;
  user: User | null;
  /** Why the last session ended when the user did not log out (shown on the login page). */
  endedReason: SessionEndReason | null;
  permissions: string[];
  can: (perm: string) => boolean;
  login: (login: string, password: string, totpCode?: string) => Promise<User>;
  logout: (everywhere?: boolean) => Promise<void>;
  reloadUser: () => Promise<void>;
  setUser: (u: User) => void;
}

const Ctx = createContext<Auth | null>(null);

export function AuthProvider({ api, children }: { api: Api; children: ReactNode }) {
  const [user, setUserState] = useState<User | null>(null);
  const [status, setStatus] = useState<AuthStatus>(api.client.loggedIn ? 'loading' : 'signedOut');
  const [endedReason, setEndedReason] = useState<SessionEndReason | null>(null);
  const [access, setAccess] = useState(() => api.client.tokens.get()?.accessToken ?? null);
  const loadSeq = useRef(0);

  const reloadUser = useCallback(async () => {
    const seq = ++loadSeq.current;
    if (!api.client.loggedIn) {
      setUserState(null);
      setStatus('signedOut');
      return;
    }
    try {
      const me = await api.me.get();
      if (seq !== loadSeq.current) return;
      setUserState(me);
      setStatus('signedIn');
    } catch {
      if (seq !== loadSeq.current) return;
      // A rejected session was already cleared by the client; a network failure leaves the
      // tokens, and the login page offers to try again.
      setUserState(null);
      setStatus('signedOut');
    }
  }, [api]);

  useEffect(() => {
    api.client.setSessionEndedHandler((reason) => {
      setEndedReason(reason === 'logout' ? null : reason);
      setUserState(null);
      setStatus('signedOut');
    });
    const unsub = api.client.tokens.subscribe((t) => {
      setAccess(t?.accessToken ?? null);
      if (!t) {
        setUserState(null);
        setStatus('signedOut');
      }
    });
    void reloadUser();
    return () => {
      unsub();
      api.client.setSessionEndedHandler(undefined);
    };
  }, [api, reloadUser]);

  // Another tab of this console logged in: follow it.
  useEffect(() => {
    if (access && status === 'signedOut') void reloadUser();
  }, [access, status, reloadUser]);

  const login = useCallback(async (loginName: string, password: string, totpCode?: string) => {
    const r = await api.auth.login({ login: loginName, password, ...(totpCode ? { totp_code: totpCode } : {}) });
    loadSeq.current++;
    setEndedReason(null);
    setUserState(r.user);
    setStatus('signedIn');
    return r.user;
  }, [api]);

  const logout = useCallback(async (everywhere = false) => {
    await api.auth.logout(everywhere);
    setEndedReason(null);
  }, [api]);

  const permissions = useMemo(() => decodeClaims(access)?.perms ?? [], [access]);
  const can = useCallback((p: string) => hasPermission(permissions, p), [permissions]);

  const value = useMemo<Auth>(() => ({
    api, status, user, endedReason, permissions, can, login, logout, reloadUser, setUser: setUserState,
  }), [api, status, user, endedReason, permissions, can, login, logout, reloadUser]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useAuth(): Auth {
  const v = useContext(Ctx);
  if (!v) throw new Error('useAuth outside AuthProvider');
  return v;
}
