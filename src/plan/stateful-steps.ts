// Step names of stateful chains and the lookups the stateful checks share with the planner.
import type { ChainStep, Exchange, Operation } from '../model.js';

/** The create step of each kind of chain; only the read chain's create judges its Location (once). */
export const STEP = {
  create: 'create',
  createForUpdate: 'create-for-update',
  createForDelete: 'create-for-delete',
  readAfterCreate: 'read-after-create',
  followLocation: 'follow-location',
  update: 'update',
  readAfterUpdate: 'read-after-update',
  delete: 'delete',
  readAfterDelete: 'read-after-delete',
  deleteAgain: 'delete-again',
  cleanup: 'cleanup',
} as const;

export type StepName = (typeof STEP)[keyof typeof STEP];

const CREATE_STEPS: ReadonlySet<string> = new Set([STEP.create, STEP.createForUpdate, STEP.createForDelete]);

export function chainStepOf(exchange: Exchange): ChainStep | undefined {
  return exchange.case.kind === 'stateful' ? exchange.case.chain : undefined;
}

export function isStep(exchange: Exchange, step: StepName): boolean {
  return chainStepOf(exchange)?.step === step;
}

/** The latest earlier exchange of the chain at that step. */
export function earlierStep(exchange: Exchange, step: StepName): Exchange | undefined {
  const previous = chainStepOf(exchange)?.previous ?? [];
  for (let i = previous.length - 1; i >= 0; i--) if (previous[i]!.case.chain?.step === step) return previous[i];
  return undefined;
}

/** The exchange that created the chain's resource. */
export function createExchangeOf(exchange: Exchange): Exchange | undefined {
  return chainStepOf(exchange)?.previous.find((e) => CREATE_STEPS.has(e.case.chain?.step ?? ''));
}

export function isSuccess(exchange: Exchange | undefined): boolean {
  const status = exchange?.response?.status;
  return status !== undefined && status >= 200 && status < 300;
}

// ------------------------------------------------------------------------------------------- Location

export type LocationTarget =
  | { kind: 'same-base'; url: string; path: string }
  | { kind: 'other-origin'; url: string }
  | { kind: 'outside-base'; url: string; base: string }
  | { kind: 'invalid'; value: string; reason: string };

/** The base URL the exchange was sent to: its URL minus the request path. */
export function baseUrlOf(exchange: Exchange): string {
  const path = exchange.request?.path ?? exchange.case.request.path;
  if (path !== '' && exchange.url.endsWith(path)) return exchange.url.slice(0, exchange.url.length - path.length);
  return new URL(exchange.url).origin;
}

/**
 * Where a Location header leads, resolved against the URL the exchange was sent to (RFC 9110 §10.2.2): a
 * path under the base URL can be fetched; another origin or a path outside the base is never fetched.
 */
export function resolveLocation(exchange: Exchange, value: string): LocationTarget {
  let url: URL;
  try {
    url = new URL(value.trim(), exchange.url);
  } catch {
    return { kind: 'invalid', value, reason: 'not a URI reference' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { kind: 'invalid', value, reason: `scheme ${url.protocol} is not HTTP` };
  const base = new URL(baseUrlOf(exchange));
  if (url.origin !== base.origin) return { kind: 'other-origin', url: url.href };
  const prefix = base.pathname.replace(/\/$/, '');
  const pathAndQuery = `${url.pathname}${url.search}`;
  if (prefix !== '' && !(url.pathname === prefix || url.pathname.startsWith(`${prefix}/`))) {
    return { kind: 'outside-base', url: url.href, base: base.href };
  }
  return { kind: 'same-base', url: url.href, path: pathAndQuery.slice(prefix.length) || '/' };
}

export function locationHeader(exchange: Exchange): string | undefined {
  const value = exchange.response?.headers['location'];
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value[0] : value;
}

// ------------------------------------------------------------------------------------------- path templates

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The path parameter values a concrete path gives a template ('/pets/{id}' + '/pets/7' → {id: '7'}), or undefined. */
export function matchTemplate(template: string, path: string): Record<string, string> | undefined {
  const names: string[] = [];
  const source = template
    .split(/(\{[^}]+\})/)
    .map((part) => {
      const name = /^\{([^}]+)\}$/.exec(part)?.[1];
      if (name === undefined) return escapeRegExp(part);
      names.push(name);
      return '([^/]+)';
    })
    .join('');
  const pathname = path.split('?')[0]!;
  const match = new RegExp(`^${source}/?$`).exec(pathname);
  if (!match) return undefined;
  const values: Record<string, string> = {};
  try {
    names.forEach((name, i) => (values[name] = decodeURIComponent(match[i + 1]!)));
  } catch {
    return undefined;
  }
  return values;
}

/** The GET operation whose template a path matches, the one with the fewest parameters first. */
export function getOperationFor(operations: readonly Operation[], path: string): Operation | undefined {
  const matching = operations.filter((op) => op.method === 'get' && matchTemplate(op.path, path) !== undefined);
  matching.sort((a, b) => (a.path.match(/\{/g)?.length ?? 0) - (b.path.match(/\{/g)?.length ?? 0));
  return matching[0];
}
