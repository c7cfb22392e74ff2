import type { Case, HttpRequest, Operation, SecurityScheme } from '../model.js';
import type { Credentials } from './credentials.js';
import { matchCredentials } from './credentials.js';

/** A second identity with fewer scopes, for the 403 cases (--auth-bearer-limited). */
export interface LimitedIdentity {
  credentials: Credentials;
  /** the scopes that identity holds; an operation needing any other scope must answer 403 */
  scopes: string[];
}

export type AuthVariant = 'no-credentials' | 'bad-credentials' | 'limited-scope';

function isSecured(op: Operation): boolean {
  return op.security.length > 0 && op.security.every((alt) => alt.length > 0);
}

/** Removes everything the security schemes of the document put on a request. */
export function stripCredentials(request: HttpRequest, schemes: Record<string, SecurityScheme>): HttpRequest {
  const headerNames = new Set(['authorization']);
  const queryNames = new Set<string>();
  const cookieNames = new Set<string>();
  for (const s of Object.values(schemes)) {
    if (s.type === 'apiKey' && 'in' in s) {
      if (s.in === 'header') headerNames.add(s.name.toLowerCase());
      else if (s.in === 'query') queryNames.add(s.name);
      else cookieNames.add(s.name);
    }
  }
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(request.headers)) {
    if (headerNames.has(k.toLowerCase())) continue;
    if (k.toLowerCase() === 'cookie' && cookieNames.size > 0) {
      const kept = v.split(/;\s*/).filter((pair) => !cookieNames.has(pair.split('=')[0]!.trim()));
      if (kept.length > 0) headers[k] = kept.join('; ');
      continue;
    }
    headers[k] = v;
  }
  let path = request.path;
  if (queryNames.size > 0 && path.includes('?')) {
    const [p, q] = [path.slice(0, path.indexOf('?')), path.slice(path.indexOf('?') + 1)];
    const kept = q.split('&').filter((pair) => !queryNames.has(decodeURIComponent(pair.split('=')[0]!)));
    path = kept.length > 0 ? `${p}?${kept.join('&')}` : p;
  }
  return { ...request, headers, path };
}

/** Credentials of the same kinds as the real ones, but wrong. */
function badCredentials(creds: Credentials): Credentials {
  const bad: Credentials = {};
  if (creds.bearer) bad.bearer = 'acc-invalid-token-0000';
  if (creds.basic) bad.basic = { user: creds.basic.user, password: `${creds.basic.password}-wrong` };
  if (creds.apiKeys) bad.apiKeys = Object.fromEntries(Object.keys(creds.apiKeys).map((k) => [k, 'acc-invalid-key-0000']));
  return bad;
}

function requiredScopes(op: Operation): string[] {
  // the scopes of the first alternative: what the positive case used
  return op.security[0]?.flatMap((s) => s.scopes) ?? [];
}

/**
 * Auth cases for one secured operation, from its proven-valid positive request: without credentials
 * (expect 401), with wrong ones (expect 401), with a limited identity lacking a scope (expect 403).
 */
export function planAuth(
  op: Operation,
  base: Case,
  schemes: Record<string, SecurityScheme>,
  creds: Credentials,
  limited?: LimitedIdentity,
): Case[] {
  if (!isSecured(op)) return [];
  const bare = stripCredentials(base.request, schemes);
  const cases: Case[] = [];
  const make = (variant: AuthVariant, request: HttpRequest, description: string): Case => ({
    id: `${op.id}#auth-${variant}`,
    operation: op,
    kind: 'auth',
    request,
    values: base.values,
    expect: { documented: op.responses.map((r) => r.status), outcome: 'client-error' },
    why: { where: 'credentials', keyword: variant, rule: op.location, description },
  });
  cases.push(make('no-credentials', bare, 'request sent without credentials to a secured operation'));

  const bad = matchCredentials(op, schemes, badCredentials(creds));
  if (bad.kind === 'satisfied') {
    cases.push(make('bad-credentials', bad.apply(bare), `request sent with invalid credentials (${bad.schemes.join(' + ')})`));
  }
  if (limited) {
    const needed = requiredScopes(op);
    const missing = needed.filter((s) => !limited.scopes.includes(s));
    const match = matchCredentials(op, schemes, limited.credentials);
    if (missing.length > 0 && match.kind === 'satisfied') {
      cases.push(make('limited-scope', match.apply(bare), `request sent by an identity lacking scope ${missing.join(', ')}`));
    }
  }
  return cases;
}
