import type { Case, HttpMethod, Operation } from '../model.js';

// HEAD and OPTIONS are left out: servers may rightly answer them for any GET-able path (RFC 9110, CORS).
const PROBED: HttpMethod[] = ['get', 'put', 'post', 'delete', 'patch'];

export const UNKNOWN_PATH_OPERATION_ID = '(unknown path)';

/** The documented methods of every path template. */
export function methodsByPath(operations: Operation[]): Map<string, Set<HttpMethod>> {
  const map = new Map<string, Set<HttpMethod>>();
  for (const op of operations) {
    const set = map.get(op.path) ?? new Set<HttpMethod>();
    set.add(op.method);
    map.set(op.path, set);
  }
  return map;
}

function stripQuery(path: string): string {
  const at = path.indexOf('?');
  return at < 0 ? path : path.slice(0, at);
}

function keepHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    const lower = k.toLowerCase();
    if (lower === 'content-type' || lower === 'content-length') continue;
    out[k] = v;
  }
  return out;
}

/**
 * Undocumented methods on the path of `op`, sent with the same concrete path and credentials as its
 * proven-valid request. Planned once per path: by the first operation of that path in the document.
 */
export function planMethods(op: Operation, base: Case, documented: Set<HttpMethod>): Case[] {
  const path = stripQuery(base.request.path);
  return PROBED.filter((m) => !documented.has(m)).map((method) => ({
    id: `${op.id}#method-${method}`,
    operation: op,
    kind: 'method' as const,
    request: { method: method.toUpperCase(), path, headers: keepHeaders(base.request.headers) },
    expect: { documented: [], outcome: 'client-error' as const },
    why: {
      where: 'method',
      keyword: 'method',
      rule: { file: op.location.file, pointer: op.location.pointer.replace(/\/[^/]+$/, '') },
      value: method.toUpperCase(),
      description: `${method.toUpperCase()} is not documented for ${op.path} (documented: ${[...documented].map((m) => m.toUpperCase()).join(', ')})`,
    },
  }));
}

/** One request to a path the document does not have, under the base URL: expect 404 in the API's error format. */
export function planUnknownPath(first: Operation, base: Case, seed: number): Case {
  const op: Operation = {
    ...first,
    id: UNKNOWN_PATH_OPERATION_ID,
    method: 'get',
    path: `/acc-no-such-path-${seed.toString(36)}`,
    parameters: [],
    requestBody: undefined,
    responses: [],
    security: [],
  };
  return {
    id: `${UNKNOWN_PATH_OPERATION_ID}#get`,
    operation: op,
    kind: 'method',
    request: { method: 'GET', path: op.path, headers: keepHeaders(base.request.headers) },
    expect: { documented: ['404'], outcome: 'client-error' },
    why: { where: 'path', keyword: 'paths', rule: { file: first.location.file, pointer: '/paths' }, value: op.path, description: `${op.path} is not a path of the document` },
  };
}
