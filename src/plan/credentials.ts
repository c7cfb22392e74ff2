import type { HttpRequest, Operation, SecurityRequirement, SecurityScheme } from '../model.js';

/** What the user gave us to authenticate with (--auth-bearer, --auth-basic, --auth-api-key). */
export interface Credentials {
  bearer?: string;
  basic?: { user: string; password: string };
  /** by apiKey parameter name (X-Api-Key) or by security scheme name */
  apiKeys?: Record<string, string>;
}

export type CredentialMatch =
  | { kind: 'public' }
  | { kind: 'satisfied'; apply: (request: HttpRequest) => HttpRequest; schemes: string[] }
  | { kind: 'unsatisfied'; needs: string[] };

function isPublic(security: SecurityRequirement[]): boolean {
  return security.length === 0 || security.some((alternative) => alternative.length === 0);
}

function describeScheme(name: string, scheme: SecurityScheme | undefined): string {
  if (!scheme) return `${name} (undefined scheme)`;
  if (scheme.type === 'http' && 'scheme' in scheme) return `${name} (http ${scheme.scheme})`;
  if (scheme.type === 'apiKey' && 'in' in scheme) return `${name} (apiKey ${scheme.name} in ${scheme.in})`;
  return `${name} (${scheme.type})`;
}

type Apply = (request: HttpRequest) => HttpRequest;

function withHeader(name: string, value: string): Apply {
  return (request) => ({ ...request, headers: { ...request.headers, [name]: value } });
}

function withQuery(name: string, value: string): Apply {
  return (request) => {
    const sep = request.path.includes('?') ? '&' : '?';
    return { ...request, path: `${request.path}${sep}${encodeURIComponent(name)}=${encodeURIComponent(value)}` };
  };
}

function withCookie(name: string, value: string): Apply {
  return (request) => {
    const existing = Object.entries(request.headers).find(([k]) => k.toLowerCase() === 'cookie');
    const headers = { ...request.headers };
    if (existing) delete headers[existing[0]];
    headers['Cookie'] = existing ? `${existing[1]}; ${name}=${value}` : `${name}=${value}`;
    return { ...request, headers };
  };
}

/** How one scheme is satisfied with the credentials at hand, or undefined. */
function applyScheme(name: string, scheme: SecurityScheme | undefined, creds: Credentials): Apply | undefined {
  if (!scheme) return undefined;
  if (scheme.type === 'http' && 'scheme' in scheme) {
    const kind = scheme.scheme.toLowerCase();
    if (kind === 'bearer' && creds.bearer) return withHeader('Authorization', `Bearer ${creds.bearer}`);
    if (kind === 'basic' && creds.basic) {
      const token = Buffer.from(`${creds.basic.user}:${creds.basic.password}`, 'utf8').toString('base64');
      return withHeader('Authorization', `Basic ${token}`);
    }
    return undefined;
  }
  if (scheme.type === 'apiKey' && 'in' in scheme) {
    const keys = creds.apiKeys ?? {};
    const value = keys[scheme.name] ?? keys[name] ?? findCaseInsensitive(keys, scheme.name);
    if (value === undefined) return undefined;
    if (scheme.in === 'header') return withHeader(scheme.name, value);
    if (scheme.in === 'query') return withQuery(scheme.name, value);
    return withCookie(scheme.name, value);
  }
  if ((scheme.type === 'oauth2' || scheme.type === 'openIdConnect') && creds.bearer) {
    return withHeader('Authorization', `Bearer ${creds.bearer}`);
  }
  return undefined;
}

function findCaseInsensitive(record: Record<string, string>, key: string): string | undefined {
  const lower = key.toLowerCase();
  for (const [k, v] of Object.entries(record)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

/** Picks the first security alternative that the credentials satisfy completely. */
export function matchCredentials(
  op: Operation,
  schemes: Record<string, SecurityScheme>,
  creds: Credentials,
): CredentialMatch {
  for (const alternative of op.security) {
    if (alternative.length === 0) continue;
    const applies: Apply[] = [];
    for (const { scheme } of alternative) {
      const apply = applyScheme(scheme, schemes[scheme], creds);
      if (!apply) break;
      applies.push(apply);
    }
    if (applies.length === alternative.length) {
      return {
        kind: 'satisfied',
        apply: (request) => applies.reduce((r, f) => f(r), request),
        schemes: alternative.map((a) => a.scheme),
      };
    }
  }
  if (isPublic(op.security)) return { kind: 'public' };
  const needs = op.security.map((alternative) =>
    alternative.map(({ scheme }) => describeScheme(scheme, schemes[scheme])).join(' + '),
  );
  return { kind: 'unsatisfied', needs };
}
