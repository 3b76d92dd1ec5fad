// One function per API operation the consoles use.

import type { ApiClient, Query } from './client';
import type * as T from './types';
import type { StreamSession } from '../media/transport';

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
      /** Always 202 with the same body, whether or not the address has an account. */
      forgotPassword: (body: T.ForgotPasswordRequest) =>
        c.post<T.ForgotPasswordResult>('/api/v1/auth/password/forgot', body, { auth: false }),
      /** With the token from the reset mail; ends every session of the account. */
      resetPassword: (body: T.ResetPasswordRequest) => c.post<void>('/api/v1/auth/password/reset', body, { auth: false }),
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
      /** Every user's keys (api_key:admin); revoke() then works on any of them. */
      listAll: (q: T.AdminApiKeyQuery = {}) => c.get<T.Page<T.AdminApiKey>>('/api/v1/api-keys/all', { query: q as Query }),
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
      /** Installed third-party packages. */
      apps: (id: string) => c.get<T.Page<T.InstalledApp>>(`/api/v1/devices/${enc(id)}/apps`),
      /** Installs an APK (raw body) with upload progress. */
      installApk: (id: string, apk: Blob, onProgress?: (sent: number, total: number) => void, signal?: AbortSignal) =>
        c.upload<T.InstallResult>('POST', `/api/v1/devices/${enc(id)}/apps`, apk,
          { contentType: 'application/vnd.android.package-archive', onProgress, signal }),
      uninstall: (id: string, pkg: string) => c.delete<void>(`/api/v1/devices/${enc(id)}/apps/${enc(pkg)}`),
      /** Puts a file on the device at `path` (e.g. /sdcard/Download/name) with upload progress. */
      pushFile: (id: string, path: string, file: Blob, onProgress?: (sent: number, total: number) => void) =>
        c.upload<void>('PUT', `/api/v1/devices/${enc(id)}/files`, file,
          { contentType: 'application/octet-stream', query: { path }, onProgress }),
      listFiles: (id: string, path: string) => c.get<T.DirListing>(`/api/v1/devices/${enc(id)}/files/list`, { query: { path } }),
      snapshots: (id: string) => c.get<T.Page<T.Snapshot>>(`/api/v1/devices/${enc(id)}/snapshots`),
    },
    streams: {
      create: (deviceId: string) => c.post<StreamSession>('/api/v1/streams', { device_id: deviceId }),
      list: () => c.get<{ items: T.StreamSessionInfo[] }>('/api/v1/streams'),
      remove: (sessionId: string) => c.delete<void>(`/api/v1/streams/${enc(sessionId)}`),
      takeControl: (sessionId: string) => c.post<T.StreamSessionInfo>(`/api/v1/streams/${enc(sessionId)}/control`),
    },
    templates: {
      list: (q: { limit?: number; cursor?: string } = {}) => c.get<T.Page<T.DeviceTemplate>>('/api/v1/templates', { query: q as Query }),
      create: (body: T.CreateTemplateRequest) =>
        c.post<T.DeviceTemplate>('/api/v1/templates', body),
      remove: (id: string) => c.delete<void>(`/api/v1/templates/${enc(id)}`),
      createDevices: (id: string, count: number, namePrefix?: string) =>
        c.post<T.Ok<'/api/v1/templates/{id}/devices', 'post'>>(`/api/v1/templates/${enc(id)}/devices`, { count, ...(namePrefix ? { name_prefix: namePrefix } : {}) }),
    },
    apps: {
      list: (q: T.AppListQuery = {}) => c.get<T.Page<T.MarketApp>>('/api/v1/apps', { query: q as Query }),
      get: (id: string) => c.get<T.AppDetail>(`/api/v1/apps/${enc(id)}`),
      /** The icon as a blob (the endpoint needs the bearer token). */
      icon: (id: string) => c.get<Blob>(`/api/v1/apps/${enc(id)}/icon`, { blob: true }),
      /** Uploads an APK (raw body) with progress: a new app, or a new version of one. */
      upload: (apk: Blob, opts: { category?: string; description?: string } = {}, onProgress?: (sent: number, total: number) => void) =>
        c.upload<T.UploadedApp>('POST', '/api/v1/apps', apk,
          { contentType: 'application/vnd.android.package-archive', query: opts, onProgress }),
      update: (id: string, body: { category?: string; description?: string }) => c.patch<T.MarketApp>(`/api/v1/apps/${enc(id)}`, body),
      review: (id: string, version: number, action: T.ReviewAction, reason?: string) =>
        c.post<T.AppVersion>(`/api/v1/apps/${enc(id)}/versions/${version}/${action}`, reason ? { reason } : undefined),
      reviews: (id: string) => c.get<{ items: T.ReviewEntry[] }>(`/api/v1/apps/${enc(id)}/reviews`),
      install: (id: string, deviceIds: string[], versionCode?: number) =>
        c.post<T.InstallAccepted>(`/api/v1/apps/${enc(id)}/install`, { device_ids: deviceIds, ...(versionCode ? { version_code: versionCode } : {}) }),
      batch: (batchId: string) => c.get<T.InstallBatch>(`/api/v1/apps/installs/${enc(batchId)}`),
      installs: (id: string) => c.get<{ items: T.InstallRecord[] }>(`/api/v1/apps/${enc(id)}/installs`),
    },
    snapshots: {
      list: (q: { limit?: number; cursor?: string } = {}) => c.get<T.Page<T.Snapshot>>('/api/v1/snapshots', { query: q as Query }),
      /** Snapshots a running or stopped phone; ready when its state is `ready`. */
      create: (deviceId: string, name?: string) => c.post<T.Snapshot>(`/api/v1/devices/${enc(deviceId)}/snapshots`, name ? { name } : undefined),
      /** Into a new phone ({name}) or into the (stopped) phone it came from ({device_id}). */
      restore: (id: string, to: { name: string } | { device_id: string }) => c.post<T.Device>(`/api/v1/snapshots/${enc(id)}/restore`, to),
      remove: (id: string) => c.delete<void>(`/api/v1/snapshots/${enc(id)}`),
    },
    system: {
      ready: () => c.get<Record<string, unknown>>('/ready', { auth: false }),
      metrics: () => c.get<string>('/metrics', { text: true }),
      config: () => c.get<T.SystemConfig>('/api/v1/system/config'),
      /** Every service's and backend's readiness (remote instances asked on /ready). */
      health: () => c.get<T.SystemHealth>('/api/v1/system/health'),
    },
  };
}

export type Api = ReturnType<typeof makeApi>;
