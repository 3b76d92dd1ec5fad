// What the signed-in user may do, read from the access token's claims (for showing and hiding
// parts of the UI only: the server checks every call itself).

export interface Claims {
  sub?: string;
  roles?: string[];
  perms?: string[];
  exp?: number;
  sid?: string;
}

export function decodeClaims(jwt: string | undefined | null): Claims | null {
  if (!jwt) return null;
  const parts = jwt.split('.');
  if (parts.length !== 3) return null;
  try {
    const b64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
    const padded = b64 + '='.repeat((4 - (b64.length % 4)) % 4);
    const json = decodeURIComponent(
      Array.from(atob(padded), (c) => '%' + c.charCodeAt(0).toString(16).padStart(2, '0')).join(''),
    );
    return JSON.parse(json) as Claims;
  } catch {
    return null;
  }
}

/** `granted` may hold exact permissions (`user:read`), resource wildcards (`user:*`) or `*`. */
export function hasPermission(granted: readonly string[] | undefined, needed: string): boolean {
  if (!granted) return false;
  const resource = needed.split(':')[0];
  return granted.some((g) => g === '*' || g === needed || g === `${resource}:*`);
}
