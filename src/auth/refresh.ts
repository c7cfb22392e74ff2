// Send-time care of tokens: a case planned earlier may carry a token that has expired since, and a server
// may refuse a token before its announced end. The session swaps the token an identity held for the one it
// holds now, and after a 401 refreshes it and gives the request back once.
import type { HttpRequest } from '../model.js';
import type { Identity } from './identities.js';
import { identitySecrets } from './identities.js';

export interface AuthSession {
  identities: Identity[];
  /** before sending: swap a stale token of an identity for its current one (refreshing it when expired) */
  current(request: HttpRequest): Promise<HttpRequest>;
  /**
   * after a 401 to a request that carried an identity's token: refresh it (unless another request already
   * did) and give the request to retry; undefined when there is nothing to retry, or it is already a retry
   */
  retryAfter401(request: HttpRequest, status: number): Promise<HttpRequest | undefined>;
  /** refreshes that failed during the run (each names the identity and the status), for the report */
  warnings(): string[];
  /** every secret of every identity so far; tokens change during a run, so call it at report time */
  secretValues(): string[];
}

type Place =
  | { in: 'header'; name: string; prefix: string }
  | { in: 'cookie'; name: string; pair: number }
  | { in: 'query'; pair: number };

interface Carried {
  identity: Identity;
  token: string;
  places: Place[];
}

const SCHEME_PREFIX = /^([A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*\s+)(.+)$/;

function decodeQueryPart(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return raw;
  }
}

function splitPath(path: string): { base: string; pairs: string[] } {
  const at = path.indexOf('?');
  return at < 0 ? { base: path, pairs: [] } : { base: path.slice(0, at), pairs: path.slice(at + 1).split('&') };
}

/** Every value a request carries where a credential can sit, with its place. */
function credentialSlots(request: HttpRequest): Array<{ value: string; place: Place }> {
  const slots: Array<{ value: string; place: Place }> = [];
  for (const [name, value] of Object.entries(request.headers)) {
    if (name.toLowerCase() === 'cookie') {
      value.split(';').forEach((pair, i) => {
        const eq = pair.indexOf('=');
        if (eq >= 0) slots.push({ value: pair.slice(eq + 1).trim(), place: { in: 'cookie', name, pair: i } });
      });
      continue;
    }
    slots.push({ value, place: { in: 'header', name, prefix: '' } });
    const prefixed = SCHEME_PREFIX.exec(value);
    if (prefixed) slots.push({ value: prefixed[2]!, place: { in: 'header', name, prefix: prefixed[1]! } });
  }
  splitPath(request.path).pairs.forEach((pair, i) => {
    const eq = pair.indexOf('=');
    if (eq >= 0) slots.push({ value: decodeQueryPart(pair.slice(eq + 1)), place: { in: 'query', pair: i } });
  });
  return slots;
}

/** Each token of an identity (current or past) the request carries, with its places; refreshable ones only. */
function findCarried(request: HttpRequest, identities: Identity[]): Carried[] {
  const owner = new Map<string, Identity>();
  for (const identity of identities) {
    if (!identity.refreshable) continue;
    for (const token of identity.tokenValues()) if (!owner.has(token)) owner.set(token, identity);
  }
  if (owner.size === 0) return [];
  const carried = new Map<string, Carried>();
  for (const slot of credentialSlots(request)) {
    const identity = owner.get(slot.value);
    if (!identity) continue;
    const entry = carried.get(slot.value) ?? { identity, token: slot.value, places: [] };
    entry.places.push(slot.place);
    carried.set(slot.value, entry);
  }
  return [...carried.values()];
}

/** The request with the token at each place replaced. */
function replaceToken(request: HttpRequest, places: Place[], token: string): HttpRequest {
  const headers = { ...request.headers };
  const { base, pairs } = splitPath(request.path);
  for (const place of places) {
    if (place.in === 'header') headers[place.name] = `${place.prefix}${token}`;
    else if (place.in === 'cookie') {
      const cookiePairs = headers[place.name]!.split(';');
      const pair = cookiePairs[place.pair]!;
      const eq = pair.indexOf('=');
      cookiePairs[place.pair] = `${pair.slice(0, eq + 1)}${token}`;
      headers[place.name] = cookiePairs.join(';');
    } else {
      const pair = pairs[place.pair]!;
      pairs[place.pair] = `${pair.slice(0, pair.indexOf('=') + 1)}${encodeURIComponent(token)}`;
    }
  }
  const path = pairs.length > 0 ? `${base}?${pairs.join('&')}` : base;
  return { ...request, headers, path };
}

export function createAuthSession(identities: Identity[]): AuthSession {
  const retries = new WeakSet<HttpRequest>();
  const failures: string[] = [];
  const note = (error: unknown): void => {
    const message = error instanceof Error ? error.message : String(error);
    if (!failures.includes(message)) failures.push(message);
  };
  /** The request with every carried token replaced by its identity's current one. */
  const withCurrent = (request: HttpRequest, carried: Carried[]): HttpRequest =>
    carried.reduce((next, c) => {
      const now = c.identity.currentToken();
      return now === undefined || now === c.token ? next : replaceToken(next, c.places, now);
    }, request);

  return {
    identities,
    async current(request) {
      const carried = findCarried(request, identities);
      if (carried.length === 0) return request;
      for (const c of carried) {
        try {
          await c.identity.credentials();
        } catch (error) {
          // the token goes out as it is; its 401 will be a finding, the failure a warning
          note(error);
        }
      }
      const next = withCurrent(request, carried);
      if (next !== request && retries.has(request)) retries.add(next);
      return next;
    },
    async retryAfter401(request, status) {
      if (status !== 401 || retries.has(request)) return undefined;
      const carried = findCarried(request, identities);
      if (carried.length === 0) return undefined;
      let refreshed = false;
      for (const c of carried) {
        try {
          // a token another request already replaced is not refreshed again: the current one is used
          if (c.identity.currentToken() === c.token) await c.identity.refresh();
          refreshed = true;
        } catch (error) {
          note(error);
        }
      }
      if (!refreshed) return undefined;
      const retry = withCurrent(request, carried);
      retries.add(retry);
      return retry;
    },
    warnings: () => failures.map((message) => `token refresh failed during the run: ${message}`),
    secretValues: () => identitySecrets(identities),
  };
}
