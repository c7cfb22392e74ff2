// Bearer tokens of the example API: two fixed tokens, and short-lived ones issued by /auth/login and /oauth/token.
import { randomBytes } from 'node:crypto';

export const SCOPES = ['customers:read', 'customers:write'] as const;
export type Scope = (typeof SCOPES)[number];

/** Fixed tokens the server always knows (documented in examples/README.md). */
export const EXAMPLE_TOKENS = { full: 'full-token', read: 'read-token' } as const;

/** Accounts for POST /auth/login. */
export const EXAMPLE_USERS: Readonly<Record<string, { password: string; scopes: readonly Scope[] }>> = {
  alice: { password: 'wonderland', scopes: SCOPES },
  bob: { password: 'builder', scopes: ['customers:read'] },
};

/** The OAuth2 client for POST /oauth/token (client-credentials grant). */
export const EXAMPLE_CLIENT = { id: 'shop-client', secret: 'shop-secret', scopes: SCOPES } as const;

export type Authentication =
  | { kind: 'missing' }
  | { kind: 'malformed' }
  | { kind: 'unknown' }
  | { kind: 'expired' }
  | { kind: 'valid'; scopes: readonly Scope[] };

// RFC 6750 b64token
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;

export class TokenRegistry {
  private readonly issued = new Map<string, { scopes: readonly Scope[]; expiresAt: number }>();

  constructor(readonly lifetimeSeconds: number) {}

  issue(scopes: readonly Scope[], now: number): string {
    const token = randomBytes(24).toString('base64url');
    this.issued.set(token, { scopes, expiresAt: now + this.lifetimeSeconds * 1000 });
    return token;
  }

  /** What the Authorization header proves; `acceptAnyToken` is the any-token-accepted bug. */
  authenticate(authorization: string | undefined, now: number, acceptAnyToken: boolean): Authentication {
    if (authorization === undefined || authorization.trim() === '') return { kind: 'missing' };
    const token = BEARER.exec(authorization.trim())?.[1];
    if (token === undefined) return { kind: 'malformed' };
    if (token === EXAMPLE_TOKENS.full) return { kind: 'valid', scopes: SCOPES };
    if (token === EXAMPLE_TOKENS.read) return { kind: 'valid', scopes: ['customers:read'] };
    const entry = this.issued.get(token);
    if (entry && now < entry.expiresAt) return { kind: 'valid', scopes: entry.scopes };
    if (acceptAnyToken) return { kind: 'valid', scopes: SCOPES };
    return entry ? { kind: 'expired' } : { kind: 'unknown' };
  }
}

/** Client credentials from HTTP Basic (RFC 6749 §2.3.1) or, failing that, from the form. */
export function clientCredentials(authorization: string | undefined, form: URLSearchParams): { id?: string; secret?: string } {
  const basic = /^Basic +([A-Za-z0-9+/]+=*)$/i.exec(authorization?.trim() ?? '')?.[1];
  if (basic !== undefined) {
    const decoded = Buffer.from(basic, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon >= 0) {
      return { id: decodeURIComponentSafe(decoded.slice(0, colon)), secret: decodeURIComponentSafe(decoded.slice(colon + 1)) };
    }
  }
  return { id: form.get('client_id') ?? undefined, secret: form.get('client_secret') ?? undefined };
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}
