// References filled from the value pool, and windows put in order: the two ways a schema-valid request is still
// refused by a correct server (a made-up id; a start after its end), fixed before the request is sent.
import type { JsonSchema, Operation, Parameter, Validator } from '../model.js';
import type { RequestValues } from '../generate/serialize.js';
import { collectionOf, isReferenceLike, type ValuePool } from './pool.js';

export interface Filled {
  /** places filled with a value the server produced: 'path.customerId', 'body/customerId' */
  fromPool: string[];
  /** reference-like places the pool had nothing for: their values are made up */
  madeUp: string[];
}

/** The static segment right before `{name}` in a path template: '/customers/{customerId}/notes' → 'customers'. */
function collectionBefore(path: string, name: string): string | undefined {
  const segments = path.split('/');
  const at = segments.findIndex((s) => s === `{${name}}`);
  for (let i = at - 1; i >= 0; i--) if (segments[i] !== '' && !segments[i]!.includes('{')) return segments[i]!.toLowerCase();
  return undefined;
}

function schemaDescription(schema: JsonSchema | undefined): string | undefined {
  return typeof schema === 'object' && typeof schema['description'] === 'string' ? (schema['description'] as string) : undefined;
}

/**
 * Puts pool values into every reference-like place of `values` (path parameters always; query, header and
 * cookie parameters and top-level body members whose name or description says id, key, code or name).
 * A DELETE takes only records this run created. Each value is checked against the parameter's schema; body
 * members only by type (the whole request is proven afterwards by the caller).
 */
export function fillReferences(op: Operation, values: RequestValues, pool: ValuePool | undefined, validator: Validator): Filled {
  const filled: Filled = { fromPool: [], madeUp: [] };
  const createdOnly = op.method === 'delete';
  const fill = (p: Parameter): void => {
    const bucket = values[p.in] as Record<string, unknown> | undefined;
    if (!bucket || !(p.name in bucket)) return;
    if (p.in !== 'path' && !isReferenceLike(p.name, schemaDescription(p.schema?.schema))) return;
    const place = `${p.in}.${p.name}`;
    const pathCollection = p.in === 'path' ? collectionBefore(op.path, p.name) : undefined;
    for (const entry of pool?.candidates(p.name, { pathCollection, createdOnly }) ?? []) {
      const value = fitted(entry.value, p.schema ? (v) => validator.validate(p.schema!, v, 'request').length === 0 : () => true);
      if (value === undefined) continue;
      bucket[p.name] = value;
      filled.fromPool.push(place);
      return;
    }
    filled.madeUp.push(place);
  };
  for (const p of op.parameters) fill(p);

  const body = values.body;
  if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
    const record = body as Record<string, unknown>;
    const own = collectionOf(op.path);
    for (const [member, current] of Object.entries(record)) {
      if (typeof current !== 'string' && typeof current !== 'number') continue;
      if (!isReferenceLike(member)) continue;
      // a create's own 'name' or 'code' is its data, not a reference; only '…Id'-style members point elsewhere
      if (/^(?:name|code|key)$/i.test(member) || (op.method === 'post' && /^(?:id|_id|uuid)$/i.test(member))) continue;
      const entry = pool?.candidates(member, {}).find((e) => typeof e.value === typeof current && e.collection !== own);
      if (entry) {
        record[member] = entry.value;
        filled.fromPool.push(`body/${member}`);
      } else filled.madeUp.push(`body/${member}`);
    }
  }
  return filled;
}

/** The pool value as the schema wants it: '42' and 42 are the same id to a server reading text. */
function fitted(value: string | number, ok: (v: unknown) => boolean): unknown {
  if (ok(value)) return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value) && ok(Number(value))) return Number(value);
  if (typeof value === 'number' && ok(String(value))) return String(value);
  return undefined;
}

// ------------------------------------------------------------------------------------------- windows

const OPEN = ['start', 'from', 'after', 'since', 'min', 'begin', 'begins', 'starts', 'earliest', 'lower', 'first'];
const CLOSE = ['end', 'to', 'before', 'until', 'max', 'finish', 'ends', 'latest', 'upper', 'last'];

/** 'startsAt' → ['starts', 'at'], 'min_price' → ['min', 'price'], 'dateFrom' → ['date', 'from']. */
function words(name: string): string[] {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase().split(/[\s_\-.]+/).filter(Boolean);
}

function windowKey(name: string): { side: 'open' | 'close'; rest: string } | undefined {
  const w = words(name);
  const at = w.findIndex((x) => OPEN.includes(x) || CLOSE.includes(x));
  if (at < 0) return undefined;
  const side = OPEN.includes(w[at]!) ? 'open' : 'close';
  // the pair word is dropped, and the pair's own partner words ('starts/ends', 'at/at') stay as the rest
  return { side, rest: [...w.slice(0, at), ...w.slice(at + 1)].join(' ') };
}

function comparable(a: unknown, b: unknown): [number, number] | undefined {
  if (typeof a === 'number' && typeof b === 'number') return [a, b];
  if (typeof a === 'string' && typeof b === 'string' && /^\d{4}-\d{2}-\d{2}/.test(a) && /^\d{4}-\d{2}-\d{2}/.test(b)) {
    const x = Date.parse(a);
    const y = Date.parse(b);
    if (Number.isFinite(x) && Number.isFinite(y)) return [x, y];
  }
  return undefined;
}

/**
 * Swaps the two members of a window (start/end, from/to, after/before, since/until, min/max) where the first
 * is after the second; in every object of the value and in the query. Returns the places it changed.
 */
export function orderWindows(values: RequestValues): string[] {
  const changed: string[] = [];
  const fix = (record: Record<string, unknown>, where: string): void => {
    const keys = Object.keys(record);
    for (const a of keys) {
      const ka = windowKey(a);
      if (ka?.side !== 'open') continue;
      for (const b of keys) {
        const kb = windowKey(b);
        if (kb?.side !== 'close' || kb.rest !== ka.rest) continue;
        const pair = comparable(record[a], record[b]);
        if (pair && pair[0] > pair[1]) {
          [record[a], record[b]] = [record[b], record[a]];
          changed.push(`${where}${a}`);
        }
      }
    }
  };
  const walk = (node: unknown, where: string, depth: number): void => {
    if (depth > 6 || node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      node.forEach((item, i) => walk(item, `${where}${i}/`, depth + 1));
      return;
    }
    fix(node as Record<string, unknown>, where);
    for (const [k, v] of Object.entries(node as Record<string, unknown>)) walk(v, `${where}${k}/`, depth + 1);
  };
  if (values.query) fix(values.query, 'query.');
  walk(values.body, 'body/', 0);
  return changed;
}
