// References filled from the value pool, and windows put in order: the two ways a schema-valid request is still
// refused by a correct server (a made-up id; a start after its end), fixed before the request is sent.
import type { JsonSchema, Operation, Parameter, SchemaBundle, Validator } from '../model.js';
import { isSchemaObject, resolveRef } from '../generate/shape.js';
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
export function fillReferences(op: Operation, values: RequestValues, pool: ValuePool | undefined, validator: Validator, beforeLevel?: number, bundle?: SchemaBundle): Filled {
  const filled: Filled = { fromPool: [], madeUp: [] };
  const createdOnly = op.method === 'delete';
  const fill = (p: Parameter): void => {
    const bucket = values[p.in] as Record<string, unknown> | undefined;
    if (!bucket || !(p.name in bucket)) return;
    if (p.in !== 'path' && !isReferenceLike(p.name, schemaDescription(p.schema?.schema))) return;
    const place = `${p.in}.${p.name}`;
    const pathCollection = p.in === 'path' ? collectionBefore(op.path, p.name) : undefined;
    for (const entry of pool?.candidates(p.name, { pathCollection, createdOnly, beforeLevel }) ?? []) {
      const value = fitted(entry.value, p.schema ? (v) => validator.validate(p.schema!, v, 'request').length === 0 : () => true);
      if (value === undefined) continue;
      bucket[p.name] = value;
      filled.fromPool.push(place);
      return;
    }
    filled.madeUp.push(place);
  };
  for (const p of op.parameters) fill(p);

  const media = op.requestBody?.content.find((m) => m.mediaType === values.mediaType) ?? op.requestBody?.content[0];
  const own = collectionOf(op.path);
  const walk = (node: unknown, schema: JsonSchema | undefined, where: string, depth: number): void => {
    if (depth > 3 || node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      const items = member(schema, bundle, undefined);
      node.slice(0, 20).forEach((item, i) => walk(item, items, `${where}/${i}`, depth + 1));
      return;
    }
    const record = node as Record<string, unknown>;
    for (const [name, current] of Object.entries(record)) {
      const sub = member(schema, bundle, name);
      const place = `${where}/${name}`;
      if (typeof current !== 'string' && typeof current !== 'number') {
        walk(current, sub, place, depth + 1);
        continue;
      }
      if (!isReferenceLike(name, schemaDescription(sub))) continue;
      // a create's own 'name', 'code' or 'sku' is its data, not a reference; only '…Id'-style members point elsewhere
      if (depth === 0 && (/^(?:name|code|key|sku|slug)$/i.test(name) || (op.method === 'post' && /^(?:id|_id|uuid)$/i.test(name)))) continue;
      const pattern = typeof sub === 'object' && typeof sub['pattern'] === 'string' ? safePattern(sub['pattern'] as string) : undefined;
      const entry = pool
        ?.candidates(name, { beforeLevel })
        .find((e) => typeof e.value === typeof current && e.collection !== own && (!pattern || pattern.test(String(e.value))));
      if (entry) {
        record[name] = entry.value;
        filled.fromPool.push(place);
      } else filled.madeUp.push(place);
    }
  };
  walk(values.body, resolvedSchema(media?.schema?.schema, bundle), 'body', 0);
  return filled;
}

function resolvedSchema(schema: JsonSchema | undefined, bundle: SchemaBundle | undefined): JsonSchema | undefined {
  let s = schema;
  for (let i = 0; i < 10 && bundle && isSchemaObject(s) && typeof s['$ref'] === 'string'; i++) s = resolveRef(bundle, s['$ref'] as string);
  return s;
}

/** The schema of member `name` of an object schema (or of the items of an array schema when `name` is absent). */
function member(schema: JsonSchema | undefined, bundle: SchemaBundle | undefined, name: string | undefined): JsonSchema | undefined {
  if (!isSchemaObject(schema)) return undefined;
  if (name === undefined) return resolvedSchema(schema['items'] as JsonSchema | undefined, bundle);
  const props = isSchemaObject(schema['properties']) ? (schema['properties'] as Record<string, JsonSchema>) : {};
  return resolvedSchema(props[name], bundle);
}

function safePattern(source: string): RegExp | undefined {
  try {
    return new RegExp(source, 'u');
  } catch {
    return undefined;
  }
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

const DAY_MS = 86_400_000;

function isInstant(value: unknown): boolean {
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value);
}

/** The members of `record` that with another member of it form a window ('startsAt' and 'endsAt'). */
export function windowMembers(record: Record<string, unknown>): Set<string> {
  const out = new Set<string>();
  const keys = Object.keys(record);
  for (const a of keys) {
    const ka = windowKey(a);
    if (ka?.side !== 'open') continue;
    for (const b of keys) {
      const kb = windowKey(b);
      if (kb?.side === 'close' && kb.rest === ka.rest) out.add(a).add(b);
    }
  }
  return out;
}

/**
 * Swaps the two members of a window (start/end, from/to, after/before, since/until, min/max) where the first
 * is after the second, and moves the end of a window of instants that is over to tomorrow; in every object
 * of the value and in the query. Returns the places it changed.
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
        // a window of instants that closed in the past is refused by servers that keep it (a silence, a
        // booking): it is kept open until the day after tomorrow (a whole day, so that shards planned a
        // second apart agree), so that it started before now and ends after it
        if (pair && isInstant(record[b]) && Math.max(pair[0], pair[1]) <= Date.now()) {
          record[b] = `${new Date((Math.floor(Date.now() / DAY_MS) + 2) * DAY_MS).toISOString().slice(0, 19)}Z`;
          changed.push(`${where}${b}`);
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
