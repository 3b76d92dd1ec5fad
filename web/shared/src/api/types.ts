// Types of the API. Request bodies come from the generated schema (schema.gen.ts, made from the
// server's /openapi.json by `npm run gen:api`). The server's description does not yet give
// schemas for most 2xx responses, so those shapes are written here from what the user service
// returns; replace each with the generated one as the description grows.

import type { paths } from './schema.gen';

type JsonBody<Op> = Op extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;

export type RegisterRequest = JsonBody<paths['/api/v1/auth/register']['post']>;
export type LoginRequest = JsonBody<paths['/api/v1/auth/login']['post']>;
export type UpdateMeRequest = JsonBody<paths['/api/v1/users/me']['patch']>;
export type ChangePasswordRequest = JsonBody<paths['/api/v1/users/me/password']['post']>;
export type CreateApiKeyRequest = JsonBody<paths['/api/v1/api-keys']['post']>;
export type AdminUpdateUserRequest = JsonBody<paths['/api/v1/users/{id}']['patch']>;
export type AssignRoleRequest = JsonBody<paths['/api/v1/users/{id}/roles']['post']>;
export type SetQuotaRequest = JsonBody<paths['/api/v1/quotas/{user_id}']['put']>;
export type TotpEnableRequest = JsonBody<paths['/api/v1/auth/totp/enable']['post']>;

type LoginResponseGen = paths['/api/v1/auth/login']['post']['responses']['200']['content']['application/json'];

export type UserStatus = 'active' | 'disabled' | 'deleted';

export interface User {
  id: string;
  email: string;
  username: string;
  display_name: string;
  status: UserStatus;
  roles: string[];
  totp_enabled: boolean;
  created_at: string;
  updated_at: string;
}

export type LoginResult = Required<Omit<LoginResponseGen, 'user'>> & { user: User };

export interface Page<T> {
  items: T[];
  next_cursor?: string;
}

export interface Role {
  id: string;
  name: string;
  description: string;
  builtin: boolean;
  permissions: string[];
  created_at: string;
  updated_at: string;
}

export interface Permission {
  name: string;
  description: string;
}

export interface ApiKey {
  id: string;
  name: string;
  prefix?: string;
  scopes?: string[];
  created_at: string;
  expires_at?: string | null;
  last_used_at?: string | null;
  revoked_at?: string | null;
}

export interface CreatedApiKey extends ApiKey {
  /** The secret, returned once at creation. */
  key: string;
}

export interface Quota {
  user_id: string;
  max_devices: number;
  max_cpu_cores: number;
  max_memory_mb: number;
  max_device_hours: number;
  is_default: boolean;
}

export interface AuditEntry {
  id: string;
  time: string;
  actor_id: string;
  action: string;
  target_type: string;
  target_id: string;
  outcome: string;
  client_ip: string;
  details: Record<string, unknown>;
}

export interface TotpSetup {
  secret: string;
  otpauth_uri: string;
}

export interface UserListQuery {
  search?: string;
  status?: string;
  limit?: number;
  cursor?: string;
}

export interface AuditQuery {
  actor_id?: string;
  action?: string;
  target_id?: string;
  since?: string;
  until?: string;
  limit?: number;
  cursor?: string;
}

export type CreateDeviceRequest = JsonBody<paths['/api/v1/devices']['post']>;
export type DeviceSpec = NonNullable<CreateDeviceRequest['spec']>;

/** creating → booting → running → stopping → stopped; error (with a reason); deleted. */
export type DeviceState = 'creating' | 'booting' | 'running' | 'stopping' | 'stopped' | 'error' | 'deleted';

export interface Device {
  id: string;
  owner_id: string;
  name: string;
  state: DeviceState;
  state_reason: string;
  runtime: string;
  spec: Required<DeviceSpec>;
  created_at: string;
  updated_at: string;
  started_at: string | null;
  adb?: { host: string; port: number };
}

export interface DeviceListQuery {
  state?: string;
  owner?: string;
  limit?: number;
  cursor?: string;
}

export interface InstalledApp {
  package: string;
}

export interface InstallResult {
  package: string;
  version_code: number;
  version_name: string;
  label: string;
}

export interface DirEntry {
  name: string;
  type: 'file' | 'directory' | 'other';
  size: number;
  mode: number;
  mtime: number;
}

export interface DirListing {
  path: string;
  items: DirEntry[];
}

export interface DeviceTemplate {
  id: string;
  owner_id: string;
  name: string;
  spec: Required<DeviceSpec>;
  init_commands: string[];
  apps: string[];
  created_at: string;
  updated_at: string;
}

/** Snapshot routes are being added to the device service; fields beyond these are shown as they come. */
export interface Snapshot {
  id: string;
  device_id: string;
  name?: string;
  state?: string;
  size_bytes?: number;
  created_at: string;
  [k: string]: unknown;
}

/** A message of WS /api/v1/events/ws (the gateway's live events). */
export interface LiveEvent {
  type: string;
  id?: string;
  subject?: string;
  time?: string;
  data?: Record<string, unknown>;
}

// The app service (src/services/app/views.cpp).
export type ReviewState = 'draft' | 'pending' | 'published' | 'rejected' | 'unpublished';
export type ReviewAction = 'submit' | 'approve' | 'reject' | 'unpublish';

export interface MarketApp {
  id: string;
  package: string;
  owner_id: string;
  name: string;
  category: string;
  description: string;
  published: boolean;
  icon_url: string;
  created_at: string;
  updated_at: string;
}

export interface AppVersion {
  version_code: number;
  version_name: string;
  label: string;
  min_sdk: number;
  target_sdk: number;
  permissions: string[];
  launchable_activity: string;
  apk_sha256: string;
  apk_size: number;
  has_icon: boolean;
  uploader_id: string;
  review_state: ReviewState;
  review_reason: string;
  download_url: string;
  created_at: string;
  updated_at: string;
}

export interface AppDetail extends MarketApp {
  versions: AppVersion[];
}

export interface AppListQuery {
  q?: string;
  category?: string;
  review_state?: ReviewState | '';
  owner?: string;
  limit?: number;
  cursor?: string;
}

export interface ReviewEntry {
  id: string;
  version_code: number;
  action: string;
  from: string;
  to: string;
  actor_id: string;
  reason: string;
  at: string;
}

export interface InstallAccepted {
  batch_id: string;
  app_id: string;
  version_code: number;
  total: number;
  status_url: string;
}

export interface InstallItem {
  device_id: string;
  status: string;
  progress: number;
  reason?: string;
  updated_at: string;
}

export interface InstallBatch {
  batch_id: string;
  app_id: string;
  package: string;
  version_code: number;
  action: string;
  source: string;
  state: 'running' | 'finished';
  total: number;
  done: number;
  failed: number;
  items: InstallItem[];
  created_at: string;
}

export interface InstallRecord {
  batch_id: string;
  action: string;
  source: string;
  version_code: number;
  device_id: string;
  status: string;
  progress: number;
  reason?: string;
}
