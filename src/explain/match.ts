// Which operation a request is for: server base paths stripped, templates matched, the most literal path
// preferred; and when none matches, the paths that nearly do.
import type { ApiSpec, HttpMethod, Operation } from '../model.js';
import { HTTP_METHODS } from '../model.js';
import { matchPath } from '../generate/parse.js';
import type { NearMiss } from './types.js';
import { editDistance } from './similar.js';

export interface OperationMatch {
  operation: Operation;
  basePath: string;
  /** the path after the base path, as sent (percent-encoded) */
  path: string;
}

export type MatchResult = { ok: true; match: OperationMatch } | { ok: false; nearMisses: NearMiss[]; message: string };

/** The path part of a server URL ('http://x/v1/' → '/v1'; relative URLs too). */
export function serverBasePath(url: string): string {
  try {
    return new URL(url, 'http://placeholder.invalid').pathname.replace(/\/+$/, '');
  } catch {
    return '';
  }
}

function basePathsOf(op: Operation, spec: ApiSpec, extra: string[]): string[] {
  const servers = op.servers.length > 0 ? op.servers : spec.servers;
  const paths = new Set([...extra, ...servers.map((s) => serverBasePath(s.url))]);
  if (paths.size === 0) paths.add('');
  // the longest base first, so that '/v1' wins over ''
  return [...paths].sort((a, b) => b.length - a.length);
}

function stripBase(path: string, base: string): string | undefined {
  if (base === '') return path;
  if (path === base) return '/';
  return path.startsWith(`${base}/`) ? path.slice(base.length) : undefined;
}

/** Templates with more literal text are more specific: '/customers/me' beats '/customers/{id}'. */
function literalLength(template: string): number {
  return template.replace(/\{[^}]*\}/g, '').length;
}

/** A template match whose parameters are all non-empty. */
function templateMatches(template: string, path: string): boolean {
  const params = matchPath(template, path);
  return params !== undefined && Object.values(params).every((v) => v !== '');
}

interface PathHit {
  template: string;
  basePath: string;
  path: string;
}

function pathHits(spec: ApiSpec, requestPath: string, extraBases: string[]): PathHit[] {
  const hits = new Map<string, PathHit>();
  for (const op of spec.operations) {
    if (hits.has(op.path)) continue;
    for (const base of basePathsOf(op, spec, extraBases)) {
      const rest = stripBase(requestPath, base);
      if (rest !== undefined && templateMatches(op.path, rest)) {
        hits.set(op.path, { template: op.path, basePath: base, path: rest });
        break;
      }
    }
  }
  return [...hits.values()].sort((a, b) => literalLength(b.template) - literalLength(a.template));
}

export function matchOperation(spec: ApiSpec, method: string, requestPath: string, extraBases: string[] = []): MatchResult {
  const lower = method.toLowerCase() as HttpMethod;
  const hits = pathHits(spec, requestPath, extraBases);
  for (const hit of hits) {
    // HTTP servers answer HEAD wherever GET is defined (RFC 9110 9.3.2), documented or not
    const op =
      spec.operations.find((o) => o.path === hit.template && o.method === lower) ??
      (lower === 'head' ? spec.operations.find((o) => o.path === hit.template && o.method === 'get') : undefined);
    if (op) return { ok: true, match: { operation: op, basePath: hit.basePath, path: hit.path } };
  }
  if (hits.length > 0) {
    const template = hits[0]!.template;
    const methods = spec.operations.filter((o) => o.path === template).map((o) => o.method);
    const nearMisses = methods.map((m): NearMiss => ({
      method: m,
      path: template,
      reason: 'method',
      suggestion: `${m.toUpperCase()} ${template} is documented`,
    }));
    const known = HTTP_METHODS.includes(lower) ? '' : ' (not an HTTP method OpenAPI knows)';
    return { ok: false, nearMisses, message: `${method.toUpperCase()}${known} is not documented for ${template}; it documents ${methods.map((x) => x.toUpperCase()).join(', ')} (expect 405 Method Not Allowed)` };
  }
  const nearMisses = nearMissesFor(spec, lower, requestPath, extraBases);
  const message =
    nearMisses.length > 0
      ? `no operation matches ${method.toUpperCase()} ${requestPath}; nearest: ${nearMisses.map((n) => `${n.method.toUpperCase()} ${n.path}`).join(', ')}`
      : `no operation matches ${method.toUpperCase()} ${requestPath} (expect 404 Not Found)`;
  return { ok: false, nearMisses, message };
}

function nearMissesFor(spec: ApiSpec, method: HttpMethod, requestPath: string, extraBases: string[]): NearMiss[] {
  const found: NearMiss[] = [];
  const add = (op: Operation, reason: NearMiss['reason'], suggestion: string): void => {
    if (!found.some((n) => n.method === op.method && n.path === op.path)) found.push({ method: op.method, path: op.path, reason, suggestion });
  };
  const sameMethodFirst = [...spec.operations].sort((a, b) => Number(b.method === method) - Number(a.method === method));
  for (const op of sameMethodFirst) {
    const bases = basePathsOf(op, spec, extraBases);
    for (const base of bases) {
      const rest = stripBase(requestPath, base);
      if (rest !== undefined) {
        const variant = rest.endsWith('/') ? rest.replace(/\/+$/, '') : `${rest}/`;
        if (variant !== '' && templateMatches(op.path, variant)) {
          add(op, 'trailing-slash', rest.endsWith('/') ? `drop the trailing slash: ${base}${variant}` : `add a trailing slash: ${base}${variant}`);
        }
        if (templateMatches(op.path.toLowerCase(), rest.toLowerCase()) && !templateMatches(op.path, rest)) {
          add(op, 'case', `paths are case-sensitive: the document writes ${base}${op.path}`);
        }
      }
    }
    const withBase = bases.filter((b) => b !== '');
    const underBase = bases.some((b) => stripBase(requestPath, b) !== undefined);
    if (withBase.length > 0 && !underBase && templateMatches(op.path, requestPath)) {
      add(op, 'base-path', `the server's base path is missing: ${withBase[0]}${requestPath}`);
      continue;
    }
    const suffix = suffixMatch(op.path, requestPath);
    if (suffix !== undefined && !bases.includes(suffix)) {
      const base = withBase[0] ?? '';
      const documented = base === '' ? 'the document has no base path' : `the base path is ${base}`;
      add(op, 'base-path', `${documented}, not ${suffix}: ${base}${requestPath.slice(suffix.length)}`);
    }
  }
  if (found.length > 0) return found.slice(0, 5);
  return similarPaths(spec, method, requestPath, extraBases);
}

/** When the path ends with a documented one under an unknown prefix ('/api' + '/customers'), that prefix. */
function suffixMatch(template: string, requestPath: string): string | undefined {
  const segments = requestPath.split('/');
  for (let i = 2; i < segments.length; i++) {
    const rest = `/${segments.slice(i).join('/')}`;
    if (templateMatches(template, rest)) return segments.slice(0, i).join('/');
  }
  return undefined;
}

/** Paths within a few edits of the request's, template parameters counting as any one segment. */
function similarPaths(spec: ApiSpec, method: HttpMethod, requestPath: string, extraBases: string[]): NearMiss[] {
  const scored: Array<{ op: Operation; distance: number; base: string }> = [];
  for (const op of spec.operations) {
    for (const base of basePathsOf(op, spec, extraBases)) {
      const rest = stripBase(requestPath, base);
      if (rest === undefined) continue;
      const distance = segmentDistance(op.path, rest);
      if (distance <= Math.max(2, Math.floor(op.path.length / 4))) scored.push({ op, distance, base });
      break;
    }
  }
  scored.sort((a, b) => a.distance - b.distance || Number(b.op.method === method) - Number(a.op.method === method));
  const seen = new Set<string>();
  const out: NearMiss[] = [];
  for (const { op, base } of scored) {
    const key = `${op.method} ${op.path}`;
    if (seen.has(key) || out.length >= 3) continue;
    seen.add(key);
    out.push({ method: op.method, path: op.path, reason: 'similar', suggestion: `did you mean ${op.method.toUpperCase()} ${base}${op.path}?` });
  }
  return out;
}

function segmentDistance(template: string, path: string): number {
  const t = template.split('/');
  const p = path.split('/');
  if (t.length !== p.length) return editDistance(template, path);
  return t.reduce((sum, seg, i) => sum + (/^\{[^}]+\}$/.test(seg) ? 0 : editDistance(seg, p[i]!)), 0);
}
