// One function per API operation the consoles use.

import type { ApiClient, Query } from './client';
import type * as T from './types';

const enc = encodeURIComponent;

export function makeApi(c: ApiClient) {
  return {
    client: c,
    auth: {
      register: (body: T.RegisterRequest) => c.post<T.User>('/api/v1/auth/register', body, { auth: false }),
      async login(body: T.LoginRequest): Promise<T.LoginResult> {
        const r = await c.post<T.LoginResult>('/api/v1/auth/login', body, { auth: false });
        c.storeTokens(r);
        return r;
      },
      logout: (everywhere = false) => c.logout(everywhere),
      totpSetup: () => c.post<T.TotpSetup>('/api/v1/auth/totp/setup'),
      totpEnable: (body: T.TotpEnableRequest) => c.post<void>('/api/v1/auth/totp/enable', body),
    },
    me: {
      get: () => c.get<T.User>('/api/v1/users/me'),
      update: (body: T.UpdateMeRequest) => c.patch<T.User>('/api/v1/users/me', body),
      changePassword: (body: T.ChangePasswordRequest) => c.post<void>('/api/v1/users/me/password', body),
    },
    apiKeys: {
      list: () => c.get<T.Page<T.ApiKey>>('/api/v1/api-keys'),
      create: (body: T.CreateApiKeyRequest) => c.post<T.CreatedApiKey>('/api/v1/api-keys', body),
      revoke: (id: string) => c.delete<void>(`/api/v1/api-keys/${enc(id)}`),
    },
    quotas: {
      get: (userId: string) => c.get<T.Quota>(`/api/v1/quotas/${enc(userId)}`),
      set: (userId: string, body: T.SetQuotaRequest) => c.put<T.Quota>(`/api/v1/quotas/${enc(userId)}`, body),
    },
    users: {
      list: (q: T.UserListQuery) => c.get<T.Page<T.User>>('/api/v1/users', { query: q as Query }),
      get: (id: string) => c.get<T.User>(`/api/v1/users/${enc(id)}`),
      update: (id: string, body: T.AdminUpdateUserRequest) => c.patch<T.User>(`/api/v1/users/${enc(id)}`, body),
      disable: (id: string) => c.post<T.User>(`/api/v1/users/${enc(id)}/disable`),
      enable: (id: string) => c.post<T.User>(`/api/v1/users/${enc(id)}/enable`),
      addRole: (id: string, role: string) => c.post<T.User>(`/api/v1/users/${enc(id)}/roles`, { role } satisfies T.AssignRoleRequest),
      removeRole: (id: string, role: string) => c.delete<T.User>(`/api/v1/users/${enc(id)}/roles/${enc(role)}`),
    },
    roles: {
      list: () => c.get<T.Page<T.Role>>('/api/v1/roles'),
    },
    permissions: {
      list: () => c.get<T.Page<T.Permission>>('/api/v1/permissions'),
    },
    audit: {
      list: (q: T.AuditQuery) => c.get<T.Page<T.AuditEntry>>('/api/v1/audit', { query: q as Query }),
    },
    devices: {
      // The device service is not in every deployment: without it the gateway answers 503
      // service_not_deployed, which the pages show as such.
      list: (q: T.DeviceListQuery = {}) => c.get<T.Page<T.Device>>('/api/v1/devices', { query: q as Query }),
      get: (id: string) => c.get<T.Device>(`/api/v1/devices/${enc(id)}`),
      create: (body: T.CreateDeviceRequest) => c.post<T.Device>('/api/v1/devices', body),
      start: (id: string) => c.post<T.Device>(`/api/v1/devices/${enc(id)}/start`),
      stop: (id: string) => c.post<T.Device>(`/api/v1/devices/${enc(id)}/stop`),
      restart: (id: string) => c.post<T.Device>(`/api/v1/devices/${enc(id)}/restart`),
      remove: (id: string) => c.delete<void>(`/api/v1/devices/${enc(id)}`),
      /** The screen as a PNG blob (the endpoint needs the bearer token, so no plain <img src>). */
      screenshot: (id: string) => c.get<Blob>(`/api/v1/devices/${enc(id)}/screenshot`, { blob: true }),
    },
    system: {
      ready: () => c.get<Record<string, unknown>>('/ready', { auth: false }),
      metrics: () => c.get<string>('/metrics', { text: true }),
    },
  };
}

export type Api = ReturnType<typeof makeApi>;
