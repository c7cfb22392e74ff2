// Which header and query values are secrets, and how they are hidden in everything we print.

export interface SecretPolicy {
  /** extra header or query-parameter names to hide (case-insensitive), e.g. the spec's apiKey names */
  names: string[];
  /** true: print secrets as they are (--show-secrets) */
  show: boolean;
}

export const REDACTED = '[redacted]';

export const DEFAULT_SECRET_POLICY: SecretPolicy = { names: [], show: false };

/** Always hidden, in headers and in query strings alike. */
const ALWAYS_SECRET = [
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'api-key',
  'api_key',
  'apikey',
  'access_token',
];

export function isSecretName(name: string, policy: SecretPolicy): boolean {
  const lower = name.toLowerCase();
  return ALWAYS_SECRET.includes(lower) || policy.names.some((n) => n.toLowerCase() === lower);
}

export function redactHeaders<V extends string | string[]>(
  headers: Record<string, V>,
  policy: SecretPolicy,
): Record<string, V | string | string[]> {
  if (policy.show) return { ...headers };
  const out: Record<string, V | string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!isSecretName(name, policy)) out[name] = value;
    else out[name] = Array.isArray(value) ? value.map(() => REDACTED) : REDACTED;
  }
  return out;
}

export interface UrlParts {
  /** everything before '?' (scheme, authority, path) */
  base: string;
  /** query pairs exactly as written (still percent-encoded); undefined value = no '=' */
  query: Array<{ name: string; value: string | undefined }>;
  /** '#…' or '' */
  fragment: string;
  hasQuery: boolean;
}

export function splitUrl(url: string): UrlParts {
  const hashAt = url.indexOf('#');
  const fragment = hashAt >= 0 ? url.slice(hashAt) : '';
  const beforeHash = hashAt >= 0 ? url.slice(0, hashAt) : url;
  const queryAt = beforeHash.indexOf('?');
  if (queryAt < 0) return { base: beforeHash, query: [], fragment, hasQuery: false };
  const rawQuery = beforeHash.slice(queryAt + 1);
  const query = rawQuery === '' ? [] : rawQuery.split('&').map((pair) => {
    const eq = pair.indexOf('=');
    return eq < 0 ? { name: pair, value: undefined } : { name: pair.slice(0, eq), value: pair.slice(eq + 1) };
  });
  return { base: beforeHash.slice(0, queryAt), query, fragment, hasQuery: true };
}

/** The query parameter name as the server decodes it ('api%5Fkey' and 'api_key' are the same name). */
export function decodedQueryName(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return raw;
  }
}

function redactUserinfo(base: string): string {
  return base.replace(/^([a-z][a-z0-9+.-]*:\/\/)([^/@]*)@/i, (_all, scheme: string, userinfo: string) => {
    const colon = userinfo.indexOf(':');
    return colon < 0 ? `${scheme}${userinfo}@` : `${scheme}${userinfo.slice(0, colon)}:${REDACTED}@`;
  });
}

/** The URL with secret query values (and a password in userinfo) replaced by [redacted]. */
export function redactUrl(url: string, policy: SecretPolicy): string {
  if (policy.show) return url;
  const parts = splitUrl(url);
  const base = redactUserinfo(parts.base);
  if (!parts.hasQuery) return base + parts.fragment;
  const query = parts.query
    .map(({ name, value }) => {
      if (value === undefined) return name;
      return `${name}=${isSecretName(decodedQueryName(name), policy) ? REDACTED : value}`;
    })
    .join('&');
  return `${base}?${query}${parts.fragment}`;
}

/**
 * The secret strings a request carries (whole header values, the credential after an auth scheme, each
 * cookie value, secret query values raw and decoded), so renderers can scrub them from free text such
 * as a response body that echoes them.
 */
export function secretValuesOf(
  url: string,
  headers: Record<string, string | string[]>,
  policy: SecretPolicy,
): string[] {
  if (policy.show) return [];
  const found = new Set<string>();
  for (const [name, value] of Object.entries(headers)) {
    if (!isSecretName(name, policy)) continue;
    for (const v of Array.isArray(value) ? value : [value]) addHeaderSecrets(name.toLowerCase(), v, found);
  }
  for (const { name, value } of splitUrl(url).query) {
    if (value === undefined || !isSecretName(decodedQueryName(name), policy)) continue;
    found.add(value);
    found.add(decodedQueryName(value));
  }
  const userinfo = /^[a-z][a-z0-9+.-]*:\/\/[^/@:]*:([^/@]*)@/i.exec(splitUrl(url).base);
  if (userinfo?.[1]) found.add(userinfo[1]);
  // very short values would scrub innocent text and hide nothing worth hiding
  return [...found].filter((s) => s.length >= 4);
}

function addHeaderSecrets(lowerName: string, value: string, found: Set<string>): void {
  found.add(value);
  if (lowerName === 'authorization' || lowerName === 'proxy-authorization') {
    const credential = value.replace(/^\s*[A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*\s+/, '');
    found.add(credential);
    if (/^\s*basic\s/i.test(value)) {
      const decoded = Buffer.from(credential, 'base64').toString('utf8');
      found.add(decoded);
      const colon = decoded.indexOf(':');
      if (colon >= 0) found.add(decoded.slice(colon + 1));
    }
  }
  if (lowerName === 'cookie' || lowerName === 'set-cookie') {
    const pairs = lowerName === 'cookie' ? value.split(';') : [value.split(';')[0] ?? ''];
    for (const pair of pairs) {
      const eq = pair.indexOf('=');
      if (eq >= 0) found.add(pair.slice(eq + 1).trim());
    }
  }
}

/** Replaces every occurrence of any secret value in text (longest first, so a value inside another goes too). */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  if (secrets.length === 0) return text;
  let out = text;
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  return out;
}
