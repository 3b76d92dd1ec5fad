// Types of the API, generated: request and response bodies come from the server's /openapi.json
// (saved as web/shared/openapi.json; `npm run gen:api` writes schema.gen.ts from it). Nothing
// here restates a body by hand: these are names for the generated schemas. What the description
// does not cover — query strings and the live-event WebSocket's messages — is written below.
// The e2e test openapi-sync.test.mjs fails when the server's description moved on without
// regenerating.

import type { components, paths } from './schema.gen';

type S = components['schemas'];
type Json<R> = R extends { content: { 'application/json': infer B } } ? B : never;
/** The success body of an operation, for the few that have no named schema. */
export type Ok<P extends keyof paths, M extends keyof paths[P]> =
  paths[P][M] extends { responses: infer R } ? Json<R[Extract<keyof R, 200 | 201 | 202>]> : never;
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
export type ForgotPasswordRequest = JsonBody<paths['/api/v1/auth/password/forgot']['post']>;
export type ForgotPasswordResult = paths['/api/v1/auth/password/forgot']['post']['responses']['202']['content']['application/json'];
export type ResetPasswordRequest = JsonBody<paths['/api/v1/auth/password/reset']['post']>;
export type CreateDeviceRequest = JsonBody<paths['/api/v1/devices']['post']>;
export type CreateTemplateRequest = JsonBody<paths['/api/v1/templates']['post']>;
/** A spec as sent when creating (every member optional; the server fills defaults). */
export type DeviceSpecInput = NonNullable<CreateDeviceRequest['spec']>;

/** One page of a cursor-paged list (Schema::page on the server). */
export interface Page<T> {
  items: T[];
  next_cursor?: string | null;
}

export type User = S['User'];
export type UserStatus = User['status'];
export type LoginResult = S['Session'];
export type Role = S['Role'];
export type Permission = S['Permission'];
export type ApiKey = S['ApiKey'];
export type CreatedApiKey = S['CreatedApiKey'];
/** A key in the admin view of every user's keys (GET /api/v1/api-keys/all). */
export type AdminApiKey = S['AdminApiKey'];
/** GET /api/v1/system/config: the running configuration, secrets masked. */
export type SystemConfig = S['SystemConfig'];
export type Quota = S['Quota'];
export type AuditEntry = S['AuditEntry'];
export type TotpSetup = S['TotpSetup'];

export type Device = S['Device'];
/** creating → booting → running → stopping → stopped; error (with a reason); deleted. */
export type DeviceState = Device['state'];
export type DeviceSpec = S['DeviceSpec'];
export type InstalledApp = S['InstalledPackage'];
export type InstallResult = S['ApkInstallResult'];
export type DirEntry = S['DirEntry'];
export type DirListing = S['DirListing'];
export type DeviceTemplate = S['DeviceTemplate'];
export type Snapshot = S['Snapshot'];

export type MarketApp = S['App'];
export type AppVersion = S['AppVersion'];
export type AppDetail = S['AppDetail'];
export type UploadedApp = S['UploadedApp'];
export type ReviewState = AppVersion['review_state'];
export type ReviewAction = 'submit' | 'approve' | 'reject' | 'unpublish';
export type ReviewEntry = S['ReviewEntry'];
export type InstallAccepted = S['InstallAccepted'];
export type InstallItem = S['InstallItem'];
export type InstallBatch = S['InstallBatch'];
export type InstallRecord = S['InstallRecord'];
export type OpenedStreamSession = S['OpenedStreamSession'];
export type SystemHealth = S['SystemHealth'];
export type HealthComponent = S['HealthComponent'];
export type StreamSessionInfo = S['StreamSession'];

// Query strings (not part of the generated description).
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

/** GET /api/v1/api-keys/all: owner = exact user id, search = part of the owner's username or email. */
export interface AdminApiKeyQuery {
  owner?: string;
  search?: string;
  state?: 'active' | 'revoked';
  limit?: number;
  cursor?: string;
}

export interface DeviceListQuery {
  state?: string;
  owner?: string;
  runtime?: string;
  limit?: number;
  cursor?: string;
}

export interface AppListQuery {
  q?: string;
  category?: string;
  review_state?: ReviewState | '';
  owner?: string;
  limit?: number;
  cursor?: string;
}

/** A message of WS /api/v1/events/ws (documented in prose in /openapi.json; not a schema). */
export interface LiveEvent {
  type: string;
  id?: string;
  subject?: string;
  time?: string;
  data?: Record<string, unknown>;
}
