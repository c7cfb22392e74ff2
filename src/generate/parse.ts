// The server's view of a request: path, query, headers, cookies and body read back from the wire, with text
// coerced to typed values the way common frameworks do, guided by the parameter's schema. What does not
// coerce stays text, so that the validator reports it (a negative case proves itself that way).
import type { HttpRequest, JsonSchema, MediaType, Operation, Parameter, SchemaBundle } from '../model.js';
import { isIgnoredHeaderParameter } from '../spec/ignored-headers.js';
import { BUNDLE_ID } from '../model.js';
import { bytesAsText, parseHeaderParameters, parseMultipart } from './multipart.js';

export interface RequestProblem {
  /** 'path', 'query.limit', 'header.X-Id', 'body' … */
  where: string;
  message: string;
  offset?: number;
  line?: number;
  column?: number;
}

export interface ParsedRequest {
  path: Record<string, unknown>;
  query: Record<string, unknown>;
  header: Record<string, unknown>;
  cookie: Record<string, unknown>;
  /** mediaType is the documented media type the body matched (e.g. '*\/*'), else the Content-Type essence */
  body?: { mediaType: string; value: unknown };
  problems: RequestProblem[];
  /** query and cookie names that no parameter claimed (typos, undocumented parameters) */
  unknown: { query: string[]; cookie: string[] };
}

// ------------------------------------------------------------------------------------------- schema view

export type JsonType = 'string' | 'number' | 'integer' | 'boolean' | 'null' | 'object' | 'array';
type SchemaObject = { [key: string]: unknown };

const MAX_DEPTH = 40;

function schemaObject(schema: unknown): SchemaObject | undefined {
  return typeof schema === 'object' && schema !== null && !Array.isArray(schema) ? (schema as SchemaObject) : undefined;
}

function isJsonSchema(value: unknown): value is JsonSchema {
  return typeof value === 'boolean' || schemaObject(value) !== undefined;
}

/** Follows '#/$defs/<key>' (or any local pointer, with or without the bundle id in front) inside the bundle. */
export function resolveSchemaRef(ref: string, bundle: SchemaBundle | undefined): JsonSchema | undefined {
  if (!bundle) return undefined;
  const hash = ref.indexOf('#');
  if (hash < 0) return undefined;
  const base = ref.slice(0, hash);
  if (base !== '' && base !== BUNDLE_ID && base !== bundle.root.$id) return undefined;
  let fragment = ref.slice(hash + 1);
  try {
    fragment = decodeURIComponent(fragment);
  } catch {
    return undefined;
  }
  if (fragment === '') return bundle.root;
  if (!fragment.startsWith('/')) return undefined;
  let node: unknown = bundle.root;
  for (const token of fragment.slice(1).split('/')) {
    const key = token.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) node = node[Number(key)];
    else if (schemaObject(node)) node = schemaObject(node)![key];
    else return undefined;
  }
  return isJsonSchema(node) ? node : undefined;
}

/** The JSON Schema type of a value (integers apart from other numbers). */
export function jsonTypeOf(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'string') return 'string';
  return 'object';
}

function intersectTypes(a: Set<JsonType>, b: Set<JsonType>): Set<JsonType> {
  const out = new Set<JsonType>();
  for (const t of a) {
    if (b.has(t)) out.add(t);
    else if (t === 'integer' && b.has('number')) out.add('integer');
    else if (t === 'number' && b.has('integer')) out.add('integer');
  }
  return out;
}

/**
 * The JSON types a schema admits, following $ref, allOf (all hold), anyOf/oneOf (any holds), const and enum.
 * undefined means unconstrained.
 */
export function typesOf(schema: JsonSchema | undefined, bundle?: SchemaBundle, depth = 0): Set<JsonType> | undefined {
  if (schema === undefined || schema === true || depth > MAX_DEPTH) return undefined;
  if (schema === false) return new Set();
  let result: Set<JsonType> | undefined;
  const narrow = (types: Set<JsonType> | undefined): void => {
    if (types) result = result ? intersectTypes(result, types) : types;
  };
  if (typeof schema['type'] === 'string') narrow(new Set([schema['type'] as JsonType]));
  if (Array.isArray(schema['type'])) narrow(new Set(schema['type'] as JsonType[]));
  if ('const' in schema) narrow(new Set([jsonTypeOf(schema['const'])]));
  if (Array.isArray(schema['enum'])) narrow(new Set(schema['enum'].map(jsonTypeOf)));
  if (typeof schema['$ref'] === 'string') narrow(typesOf(resolveSchemaRef(schema['$ref'], bundle), bundle, depth + 1));
  if (Array.isArray(schema['allOf'])) {
    for (const sub of schema['allOf']) if (isJsonSchema(sub)) narrow(typesOf(sub, bundle, depth + 1));
  }
  for (const keyword of ['anyOf', 'oneOf']) {
    const branches = schema[keyword];
    if (!Array.isArray(branches)) continue;
    const union = new Set<JsonType>();
    let unconstrained = false;
    for (const sub of branches) {
      const t = isJsonSchema(sub) ? typesOf(sub, bundle, depth + 1) : undefined;
      if (t === undefined) unconstrained = true;
      else for (const x of t) union.add(x);
    }
    if (!unconstrained) narrow(union);
  }
  return result;
}

function allows(types: Set<JsonType> | undefined, type: JsonType): boolean {
  if (types === undefined) return true;
  if (type === 'integer') return types.has('integer') || types.has('number');
  return types.has(type);
}

/** Schemas that hold together with this one: itself, its $ref target, its allOf members, then anyOf/oneOf branches. */
function relatedSchemas(schema: SchemaObject, bundle: SchemaBundle | undefined): JsonSchema[] {
  const out: JsonSchema[] = [];
  if (typeof schema['$ref'] === 'string') {
    const target = resolveSchemaRef(schema['$ref'], bundle);
    if (target !== undefined) out.push(target);
  }
  for (const keyword of ['allOf', 'anyOf', 'oneOf']) {
    const list = schema[keyword];
    if (Array.isArray(list)) for (const sub of list) if (isJsonSchema(sub)) out.push(sub);
  }
  return out;
}

/** The schema that governs property `key` of an object, or undefined when nothing constrains it. */
export function propertySchema(schema: JsonSchema | undefined, key: string, bundle?: SchemaBundle, depth = 0): JsonSchema | undefined {
  const obj = schemaObject(schema);
  if (!obj || depth > MAX_DEPTH) return undefined;
  const props = schemaObject(obj['properties']);
  if (props && Object.prototype.hasOwnProperty.call(props, key) && isJsonSchema(props[key])) return props[key];
  for (const sub of relatedSchemas(obj, bundle)) {
    const found = propertySchema(sub, key, bundle, depth + 1);
    if (found !== undefined) return found;
  }
  const patterns = schemaObject(obj['patternProperties']);
  if (patterns) {
    for (const [pattern, sub] of Object.entries(patterns)) {
      try {
        if (new RegExp(pattern, 'u').test(key) && isJsonSchema(sub)) return sub;
      } catch {
        // a pattern JavaScript cannot compile constrains nothing we can follow
      }
    }
  }
  return isJsonSchema(obj['additionalProperties']) ? obj['additionalProperties'] : undefined;
}

/** Property names an object schema declares (own, $ref, allOf/anyOf/oneOf). */
export function declaredProperties(schema: JsonSchema | undefined, bundle?: SchemaBundle, depth = 0): string[] {
  const obj = schemaObject(schema);
  if (!obj || depth > MAX_DEPTH) return [];
  const names = new Set(Object.keys(schemaObject(obj['properties']) ?? {}));
  for (const sub of relatedSchemas(obj, bundle)) for (const n of declaredProperties(sub, bundle, depth + 1)) names.add(n);
  return [...names];
}

/** False when the schema forbids properties beyond the declared ones. */
function admitsOtherProperties(schema: JsonSchema | undefined, bundle?: SchemaBundle, depth = 0): boolean {
  const obj = schemaObject(schema);
  if (!obj || depth > MAX_DEPTH) return true;
  if (obj['additionalProperties'] === false || obj['unevaluatedProperties'] === false) return false;
  if (typeof obj['$ref'] === 'string') return admitsOtherProperties(resolveSchemaRef(obj['$ref'], bundle), bundle, depth + 1);
  return true;
}

/** True when the schema describes extra properties (additionalProperties or patternProperties given). */
function asksForOtherProperties(schema: JsonSchema | undefined, bundle?: SchemaBundle, depth = 0): boolean {
  const obj = schemaObject(schema);
  if (!obj || depth > MAX_DEPTH) return false;
  const additional = obj['additionalProperties'];
  if (additional === true || schemaObject(additional) !== undefined || schemaObject(obj['patternProperties']) !== undefined) return true;
  return relatedSchemas(obj, bundle).some((sub) => asksForOtherProperties(sub, bundle, depth + 1));
}

/** The schema of item `index` of an array (prefixItems first, then items). */
export function itemSchema(schema: JsonSchema | undefined, index: number, bundle?: SchemaBundle, depth = 0): JsonSchema | undefined {
  const obj = schemaObject(schema);
  if (!obj || depth > MAX_DEPTH) return undefined;
  const prefix = obj['prefixItems'];
  if (Array.isArray(prefix) && index < prefix.length && isJsonSchema(prefix[index])) return prefix[index];
  if (isJsonSchema(obj['items'])) return obj['items'];
  for (const sub of relatedSchemas(obj, bundle)) {
    const found = itemSchema(sub, index, bundle, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** True for strings sent as file content: format binary/byte, or contentMediaType/contentEncoding. */
export function isBinarySchema(schema: JsonSchema | undefined, bundle?: SchemaBundle, depth = 0): boolean {
  const obj = schemaObject(schema);
  if (!obj || depth > MAX_DEPTH) return false;
  if (obj['format'] === 'binary' || obj['format'] === 'byte') return true;
  if (typeof obj['contentMediaType'] === 'string' || typeof obj['contentEncoding'] === 'string') return true;
  return relatedSchemas(obj, bundle).some((sub) => isBinarySchema(sub, bundle, depth + 1));
}

export type ValueShape = 'primitive' | 'array' | 'object';

/** How a parameter's text is to be read: as a list, as key/value pairs, or as one value. */
export function shapeOf(schema: JsonSchema | undefined, bundle?: SchemaBundle): ValueShape {
  const types = typesOf(schema, bundle);
  if (types === undefined || types.has('string')) return 'primitive';
  if (types.has('array')) return 'array';
  if (types.has('object')) return 'object';
  return 'primitive';
}

// ------------------------------------------------------------------------------------------- coercion

const PLAIN_DECIMAL = /^-?\d+(\.\d+)?$/;

/** One piece of text read as the schema wants it, when it unambiguously can be; otherwise the text itself. */
export function coerceText(text: string, schema: JsonSchema | undefined, bundle?: SchemaBundle): unknown {
  const types = typesOf(schema, bundle);
  if (types === undefined || types.has('string')) return text;
  if ((types.has('integer') || types.has('number')) && PLAIN_DECIMAL.test(text)) return Number(text);
  if (types.has('boolean') && (text === 'true' || text === 'false')) return text === 'true';
  if (types.has('null') && (text === '' || text === 'null')) return null;
  if ((types.has('object') && text.startsWith('{')) || (types.has('array') && text.startsWith('['))) {
    const parsed = parseJsonWithPosition(text);
    if (parsed.ok) return parsed.value;
  }
  return text;
}

function coerceList(items: string[], schema: JsonSchema | undefined, bundle?: SchemaBundle): unknown[] {
  return items.map((item, i) => coerceText(item, itemSchema(schema, i, bundle), bundle));
}

function coerceEntries(entries: Array<[string, string]>, schema: JsonSchema | undefined, bundle?: SchemaBundle): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, text] of entries) out[key] = coerceText(text, propertySchema(schema, key, bundle), bundle);
  return out;
}

// ------------------------------------------------------------------------------------------- text helpers

interface ReadContext {
  bundle?: SchemaBundle;
  problems: RequestProblem[];
}

function percentDecode(text: string, plusAsSpace: boolean, where: string, ctx: ReadContext): string {
  const spaced = plusAsSpace ? text.replace(/\+/g, ' ') : text;
  try {
    return decodeURIComponent(spaced);
  } catch {
    ctx.problems.push({ where, message: `malformed percent-encoding in "${text}"` });
    return spaced;
  }
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + separator.length)];
}

/** [k1, v1, k2, v2] → entries; an odd count leaves the last key with an empty value. */
function alternatingEntries(items: string[], where: string, ctx: ReadContext): Array<[string, string]> {
  if (items.length % 2 !== 0) ctx.problems.push({ where, message: `odd number of items (${items.length}) for key,value pairs` });
  const entries: Array<[string, string]> = [];
  for (let i = 0; i < items.length; i += 2) entries.push([items[i]!, items[i + 1] ?? '']);
  return entries;
}

/** One decoded text read per shape, with `delimiter` between items (simple, label, form explode=false …). */
function readDelimited(
  text: string,
  shape: ValueShape,
  delimiter: string,
  explodedObject: boolean,
  schema: JsonSchema | undefined,
  where: string,
  ctx: ReadContext,
): unknown {
  if (shape === 'primitive') return coerceText(text, schema, ctx.bundle);
  const items = text === '' ? [] : text.split(delimiter);
  if (shape === 'array') return coerceList(items, schema, ctx.bundle);
  const entries = explodedObject
    ? items.map((item) => {
        const [k, v] = splitOnce(item, '=');
        return [k, v ?? ''] as [string, string];
      })
    : alternatingEntries(items, where, ctx);
  return coerceEntries(entries, schema, ctx.bundle);
}

export function isJsonMediaType(mediaType: string): boolean {
  const essence = mediaTypeEssence(mediaType);
  return essence === 'application/json' || /^[a-z0-9!#$&^_.-]+\/[a-z0-9!#$&^_.+-]+\+json$/.test(essence);
}

/** Lower-cased type/subtype without parameters. */
export function mediaTypeEssence(contentType: string): string {
  return (contentType.split(';')[0] ?? '').trim().toLowerCase();
}

function rangeMatches(range: string, essence: string): boolean {
  const r = mediaTypeEssence(range);
  if (r === essence || r === '*/*' || r === '*') return true;
  return r.endsWith('/*') && essence.startsWith(r.slice(0, -1));
}

/** The documented media type a Content-Type falls under: exact first, then the most specific range. */
export function findMediaType(content: MediaType[], contentType: string): MediaType | undefined {
  const essence = mediaTypeEssence(contentType);
  const exact = content.find((m) => mediaTypeEssence(m.mediaType) === essence);
  if (exact) return exact;
  const ranges = content.filter((m) => rangeMatches(m.mediaType, essence));
  return ranges.find((m) => !mediaTypeEssence(m.mediaType).startsWith('*')) ?? ranges[0];
}

/** A value described by `content` (e.g. JSON inside a query parameter). */
function readContentValue(text: string, contentType: string, where: string, ctx: ReadContext): unknown {
  if (!isJsonMediaType(contentType)) return text;
  const parsed = parseJsonWithPosition(text);
  if (parsed.ok) return parsed.value;
  ctx.problems.push({ where, message: `${contentType} value: ${parsed.message}`, offset: parsed.offset, line: parsed.line, column: parsed.column });
  return text;
}

// ------------------------------------------------------------------------------------------- path

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Matches a path (without query) against a template such as '/pets/{petId}' or '/files/{name}.{ext}'.
 * Returns each parameter's raw text (still percent-encoded; the style decides how to decode), or undefined.
 */
export function matchPath(pathKey: string, path: string): Record<string, string> | undefined {
  // a fixed query written into the path key is matched as query, not as path
  const template = pathKey.includes('?') ? pathKey.slice(0, pathKey.indexOf('?')) : pathKey;
  const names: string[] = [];
  let pattern = '^';
  let last = 0;
  for (const m of template.matchAll(/\{([^}]+)\}/g)) {
    pattern += escapeRegExp(template.slice(last, m.index));
    pattern += '([^/]*?)';
    names.push(m[1]!);
    last = m.index! + m[0].length;
  }
  pattern += escapeRegExp(template.slice(last)) + '$';
  const match = new RegExp(pattern).exec(path);
  if (!match) return undefined;
  const out: Record<string, string> = {};
  names.forEach((name, i) => {
    out[name] = match[i + 1]!;
  });
  return out;
}

function readPathParameter(p: Parameter, raw: string, ctx: ReadContext): unknown {
  const where = `path.${p.name}`;
  const schema = p.schema?.schema;
  const decode = (text: string): string => percentDecode(text, false, where, ctx);
  if (p.contentType) return readContentValue(decode(raw), p.contentType, where, ctx);
  const shape = shapeOf(schema, ctx.bundle);
  if (p.style === 'label') {
    if (!raw.startsWith('.')) ctx.problems.push({ where, message: `label-style value "${raw}" does not start with "."` });
    const rest = raw.startsWith('.') ? raw.slice(1) : raw;
    return readDelimited(decode(rest), shape, p.explode ? '.' : ',', p.explode, schema, where, ctx);
  }
  if (p.style === 'matrix') return readMatrix(p, raw, shape, ctx);
  return readDelimited(decode(raw), shape, ',', p.explode, schema, where, ctx);
}

function readMatrix(p: Parameter, raw: string, shape: ValueShape, ctx: ReadContext): unknown {
  const where = `path.${p.name}`;
  const schema = p.schema?.schema;
  const decode = (text: string): string => percentDecode(text, false, where, ctx);
  if (!raw.startsWith(';')) {
    ctx.problems.push({ where, message: `matrix-style value "${raw}" does not start with ";"` });
    return decode(raw);
  }
  const segments = raw.slice(1).split(';').map((s) => splitOnce(s, '='));
  if (p.explode && shape === 'array') {
    if (segments.length === 1 && segments[0]![1] === undefined) return [];
    const items = segments.map(([name, value]) => {
      if (decode(name) !== p.name) ctx.problems.push({ where, message: `matrix segment ";${name}" is not ";${p.name}="` });
      return decode(value ?? '');
    });
    return coerceList(items, schema, ctx.bundle);
  }
  if (p.explode && shape === 'object') {
    return coerceEntries(segments.map(([k, v]) => [decode(k), decode(v ?? '')]), schema, ctx.bundle);
  }
  const [name, value] = splitOnce(raw.slice(1), '=');
  if (decode(name) !== p.name) ctx.problems.push({ where, message: `matrix value "${raw}" does not start with ";${p.name}"` });
  return readDelimited(decode(value ?? ''), shape, ',', false, schema, where, ctx);
}

// ------------------------------------------------------------------------------------------- query and forms

interface Pair {
  name: string;
  value: string;
}

function readPairs(text: string, where: string, ctx: ReadContext): Pair[] {
  const pairs: Pair[] = [];
  for (const piece of text.split('&')) {
    if (piece === '') continue;
    const [name, value] = splitOnce(piece, '=');
    pairs.push({ name: percentDecode(name, true, where, ctx), value: percentDecode(value ?? '', true, where, ctx) });
  }
  return pairs;
}

/** How one field is laid out among name=value pairs (a query parameter, or a form body property). */
export interface FieldLayout {
  name: string;
  style: 'form' | 'spaceDelimited' | 'pipeDelimited' | 'deepObject';
  explode: boolean;
  schema?: JsonSchema;
  contentType?: string;
  /** form bodies: an object without an explicit encoding is sent as JSON text */
  objectAsJson?: boolean;
  allowReserved?: boolean;
}

const LIST_DELIMITER: Record<FieldLayout['style'], string> = { form: ',', spaceDelimited: ' ', pipeDelimited: '|', deepObject: ',' };

function isSpreadObject(field: FieldLayout, bundle?: SchemaBundle): boolean {
  return field.style !== 'deepObject' && field.explode && !field.contentType && !field.objectAsJson && shapeOf(field.schema, bundle) === 'object';
}

/** 'a[b][c]' after the field name → ['b', 'c']; undefined when it is not bracket syntax. */
function bracketPath(rest: string): string[] | undefined {
  const keys: string[] = [];
  const re = /\[([^\]]*)\]/y;
  let at = 0;
  while (at < rest.length) {
    re.lastIndex = at;
    const m = re.exec(rest);
    if (!m) return undefined;
    keys.push(m[1]!);
    at = re.lastIndex;
  }
  return keys.length > 0 ? keys : undefined;
}

function readDeepObject(field: FieldLayout, pairs: Pair[], claimed: Set<number>, where: string, ctx: ReadContext): unknown {
  const raw: Record<string, unknown> = {};
  let found = false;
  pairs.forEach((pair, index) => {
    if (claimed.has(index) || !pair.name.startsWith(`${field.name}[`)) return;
    const keys = bracketPath(pair.name.slice(field.name.length));
    if (!keys) return;
    claimed.add(index);
    found = true;
    let node = raw;
    keys.slice(0, -1).forEach((key) => {
      const child = node[key];
      if (typeof child !== 'object' || child === null || Array.isArray(child)) node[key] = {};
      node = node[key] as Record<string, unknown>;
    });
    const leaf = keys[keys.length - 1]!;
    const previous = node[leaf];
    if (previous === undefined) node[leaf] = pair.value;
    else node[leaf] = Array.isArray(previous) ? [...previous, pair.value] : [previous, pair.value];
  });
  return found ? coerceTree(raw, field.schema, where, ctx) : undefined;
}

/** Coerces the string leaves of a deepObject tree by the schema at each place. */
function coerceTree(node: unknown, schema: JsonSchema | undefined, where: string, ctx: ReadContext): unknown {
  if (typeof node === 'string') {
    return shapeOf(schema, ctx.bundle) === 'array' ? coerceList([node], schema, ctx.bundle) : coerceText(node, schema, ctx.bundle);
  }
  if (Array.isArray(node)) return coerceList(node as string[], schema, ctx.bundle);
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(node as Record<string, unknown>)) {
    out[key] = coerceTree(child, propertySchema(schema, key, ctx.bundle), `${where}[${key}]`, ctx);
  }
  return out;
}

/** A field's value from the pairs that carry its name, or undefined when absent. Spread objects are read elsewhere. */
// Positions of the pairs by name, built once per list: operations with hundreds of query parameters exist.
const pairIndexes = new WeakMap<Pair[], Map<string, number[]>>();
function pairIndex(pairs: Pair[]): Map<string, number[]> {
  let index = pairIndexes.get(pairs);
  if (!index) {
    index = new Map();
    pairs.forEach((pair, i) => {
      const list = index!.get(pair.name);
      if (list) list.push(i);
      else index!.set(pair.name, [i]);
    });
    pairIndexes.set(pairs, index);
  }
  return index;
}

function readField(field: FieldLayout, pairs: Pair[], claimed: Set<number>, where: string, ctx: ReadContext): unknown {
  // deepObject describes objects; anything else under that style is read as form
  if (field.style === 'deepObject' && !field.contentType && shapeOf(field.schema, ctx.bundle) === 'object') {
    return readDeepObject(field, pairs, claimed, where, ctx);
  }
  const values: string[] = [];
  for (const index of pairIndex(pairs).get(field.name) ?? []) {
    if (claimed.has(index)) continue;
    claimed.add(index);
    values.push(pairs[index]!.value);
  }
  if (values.length === 0) return undefined;
  if (field.contentType) {
    if (values.length > 1) ctx.problems.push({ where, message: `repeated ${values.length} times` });
    return readContentValue(values[0]!, field.contentType, where, ctx);
  }
  const shape = shapeOf(field.schema, ctx.bundle);
  if (shape === 'array') {
    const items = field.explode ? values : values.flatMap((v) => (v === '' ? [] : v.split(LIST_DELIMITER[field.style])));
    return coerceList(items, field.schema, ctx.bundle);
  }
  if (values.length > 1) {
    ctx.problems.push({ where, message: `repeated ${values.length} times for a single value` });
    return values;
  }
  if (shape === 'object' && field.objectAsJson) return coerceText(values[0]!, field.schema, ctx.bundle);
  return readDelimited(values[0]!, shape, LIST_DELIMITER[field.style], false, field.schema, where, ctx);
}

/** Claims the pairs of spread (form, explode=true) objects: declared properties first, then what is left. */
function readSpreadObjects(fields: FieldLayout[], pairs: Pair[], claimed: Set<number>, reserved: Set<string>, ctx: ReadContext): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const take = (field: FieldLayout, accept: (name: string) => boolean): void => {
    const entries: Array<[string, string]> = [];
    pairs.forEach((pair, index) => {
      if (claimed.has(index) || !accept(pair.name)) return;
      claimed.add(index);
      entries.push([pair.name, pair.value]);
    });
    if (entries.length === 0) return;
    const value = coerceEntries(entries, field.schema, ctx.bundle);
    out.set(field.name, { ...((out.get(field.name) as Record<string, unknown> | undefined) ?? {}), ...value });
  };
  for (const field of fields) {
    const declared = new Set(declaredProperties(field.schema, ctx.bundle));
    take(field, (name) => declared.has(name));
  }
  // leftovers go first to objects that ask for extra properties, then to those that merely allow them
  const open = fields.filter((f) => admitsOtherProperties(f.schema, ctx.bundle));
  for (const field of [...open.filter((f) => asksForOtherProperties(f.schema, ctx.bundle)), ...open]) {
    take(field, (name) => !reserved.has(name));
  }
  return out;
}

/** Reads all fields from name=value pairs; returns values by field name and the names nobody claimed. */
function readFields(fields: FieldLayout[], pairs: Pair[], wherePrefix: string, ctx: ReadContext): { values: Record<string, unknown>; unclaimed: Pair[] } {
  const claimed = new Set<number>();
  const values: Record<string, unknown> = {};
  const spread = fields.filter((f) => isSpreadObject(f, ctx.bundle));
  for (const field of fields) {
    if (spread.includes(field)) continue;
    const value = readField(field, pairs, claimed, `${wherePrefix}${field.name}`, ctx);
    if (value !== undefined) values[field.name] = value;
  }
  const reserved = new Set(fields.filter((f) => !spread.includes(f)).map((f) => f.name));
  for (const [name, value] of readSpreadObjects(spread, pairs, claimed, reserved, ctx)) values[name] = value;
  return { values, unclaimed: pairs.filter((_, i) => !claimed.has(i)) };
}

export function queryLayout(p: Parameter): FieldLayout {
  const style = p.style === 'spaceDelimited' || p.style === 'pipeDelimited' || p.style === 'deepObject' ? p.style : 'form';
  const layout: FieldLayout = { name: p.name, style, explode: p.explode, allowReserved: p.allowReserved };
  if (p.schema) layout.schema = p.schema.schema;
  if (p.contentType) layout.contentType = p.contentType;
  return layout;
}

/** The layout of one form-urlencoded body property, from the media type's encoding (defaults: form, explode). */
export function formPropertyLayout(name: string, media: MediaType | undefined, bundle?: SchemaBundle): FieldLayout {
  const encoding = media?.encoding[name];
  const schema = propertySchema(media?.schema?.schema, name, bundle);
  const style = encoding?.style === 'spaceDelimited' || encoding?.style === 'pipeDelimited' || encoding?.style === 'deepObject' ? encoding.style : 'form';
  const explicit = encoding?.style !== undefined || encoding?.explode !== undefined;
  const layout: FieldLayout = { name, style, explode: encoding?.explode ?? style === 'form', objectAsJson: !explicit };
  if (schema !== undefined) layout.schema = schema;
  if (encoding?.contentType) layout.contentType = encoding.contentType;
  if (encoding?.allowReserved) layout.allowReserved = true;
  return layout;
}

// ------------------------------------------------------------------------------------------- headers and cookies


function headerValue(req: HttpRequest, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(req.headers)) if (key.toLowerCase() === lower) return value;
  return undefined;
}

function readHeaderParameter(p: Parameter, text: string, ctx: ReadContext): unknown {
  const where = `header.${p.name}`;
  const value = text.trim();
  if (p.contentType) return readContentValue(value, p.contentType, where, ctx);
  const schema = p.schema?.schema;
  const shape = shapeOf(schema, ctx.bundle);
  if (shape === 'primitive') return coerceText(value, schema, ctx.bundle);
  // list members may carry optional whitespace around the commas (RFC 9110 §5.6.1)
  const items = value === '' ? [] : value.split(',').map((s) => s.trim());
  if (shape === 'array') return coerceList(items, schema, ctx.bundle);
  const entries = p.explode
    ? items.map((item) => {
        const [k, v] = splitOnce(item, '=');
        return [k, v ?? ''] as [string, string];
      })
    : alternatingEntries(items, where, ctx);
  return coerceEntries(entries, schema, ctx.bundle);
}

function readCookiePairs(header: string, ctx: ReadContext): Pair[] {
  const pairs: Pair[] = [];
  for (const piece of header.split(';')) {
    const trimmed = piece.trim();
    if (trimmed === '') continue;
    const [name, rawValue] = splitOnce(trimmed, '=');
    let value = (rawValue ?? '').trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    pairs.push({ name: name.trim(), value: percentDecode(value, false, `cookie.${name.trim()}`, ctx) });
  }
  return pairs;
}

// ------------------------------------------------------------------------------------------- body

function bodyBytes(body: Uint8Array | string): Uint8Array {
  return typeof body === 'string' ? new TextEncoder().encode(body) : body;
}

function bodyText(body: Uint8Array | string): string {
  return typeof body === 'string' ? body : new TextDecoder().decode(body);
}

function readBody(op: Operation, req: HttpRequest, ctx: ReadContext): ParsedRequest['body'] {
  const contentType = headerValue(req, 'content-type');
  const hasBody = req.body !== undefined && req.body.length > 0;
  if (!hasBody && contentType === undefined) return undefined;
  if (contentType === undefined) {
    ctx.problems.push({ where: 'body', message: 'a body was sent without a Content-Type header' });
    return undefined;
  }
  const essence = mediaTypeEssence(contentType);
  const media = findMediaType(op.requestBody?.content ?? [], contentType);
  const mediaType = media?.mediaType ?? essence;
  const schema = media?.schema?.schema;
  const body = req.body ?? '';
  if (isJsonMediaType(essence)) {
    const parsed = parseJsonWithPosition(bodyText(body));
    if (parsed.ok) return { mediaType, value: parsed.value };
    ctx.problems.push({ where: 'body', message: `invalid JSON: ${parsed.message}`, offset: parsed.offset, line: parsed.line, column: parsed.column });
    return undefined;
  }
  if (essence === 'application/x-www-form-urlencoded') {
    const pairs = readPairs(bodyText(body), 'body', ctx);
    const declared = declaredProperties(schema, ctx.bundle).map((name) => formPropertyLayout(name, media, ctx.bundle));
    const { values, unclaimed } = readFields(declared, pairs, 'body/', ctx);
    // undeclared fields are still part of the body the server sees (additionalProperties decides)
    const extra: Record<string, string | string[]> = {};
    for (const pair of unclaimed) {
      const previous = extra[pair.name];
      extra[pair.name] = previous === undefined ? pair.value : [...(Array.isArray(previous) ? previous : [previous]), pair.value];
    }
    return { mediaType, value: { ...values, ...extra } };
  }
  if (essence === 'multipart/form-data') return readMultipartBody(contentType, bodyBytes(body), media, mediaType, ctx);
  if (essence.startsWith('text/')) return { mediaType, value: coerceText(bodyText(body), schema, ctx.bundle) };
  if (essence === 'application/octet-stream') return { mediaType, value: bytesAsText(bodyBytes(body)) };
  // another type the operation documents (application/cbor, image/png …) is an opaque payload to us
  const isXml = essence === 'application/xml' || essence.endsWith('+xml');
  if (!isXml && media !== undefined && mediaTypeEssence(media.mediaType) === essence) return { mediaType, value: bytesAsText(bodyBytes(body)) };
  ctx.problems.push({ where: 'body', message: `Content-Type ${essence} is not one we can read (JSON, form, multipart, text, octet-stream)` });
  return undefined;
}

function readMultipartBody(contentType: string, bytes: Uint8Array, media: MediaType | undefined, mediaType: string, ctx: ReadContext): ParsedRequest['body'] {
  const boundary = parseHeaderParameters(contentType).params['boundary'];
  if (!boundary) {
    ctx.problems.push({ where: 'body', message: 'multipart/form-data Content-Type has no boundary parameter' });
    return undefined;
  }
  const parsed = parseMultipart(bytes, boundary);
  if (!parsed.ok) {
    ctx.problems.push({ where: 'body', message: parsed.message, offset: parsed.offset });
    return undefined;
  }
  const schema = media?.schema?.schema;
  const grouped = new Map<string, unknown[]>();
  for (const part of parsed.parts) {
    const where = `body/${part.name}`;
    const propSchema = propertySchema(schema, part.name, ctx.bundle);
    const isList = shapeOf(propSchema, ctx.bundle) === 'array';
    const index = grouped.get(part.name)?.length ?? 0;
    const valueSchema = isList ? itemSchema(propSchema, index, ctx.bundle) : propSchema;
    let value: unknown;
    if (part.contentType !== undefined && isJsonMediaType(part.contentType)) {
      value = readContentValue(new TextDecoder().decode(part.body), part.contentType, where, ctx);
    } else if (part.filename !== undefined || (part.contentType !== undefined && !mediaTypeEssence(part.contentType).startsWith('text/'))) {
      value = bytesAsText(part.body);
    } else {
      value = coerceText(new TextDecoder().decode(part.body), valueSchema, ctx.bundle);
    }
    grouped.set(part.name, [...(grouped.get(part.name) ?? []), value]);
  }
  const value: Record<string, unknown> = {};
  for (const [name, list] of grouped) {
    const isList = shapeOf(propertySchema(schema, name, ctx.bundle), ctx.bundle) === 'array';
    value[name] = isList || list.length > 1 ? list : list[0];
  }
  return { mediaType, value };
}

// ------------------------------------------------------------------------------------------- request

/**
 * Reads a request as the server will. The bundle lets refs in parameter schemas be followed (without it,
 * text stays text where a ref hides the type). Accepts (bundle, basePath) or (basePath, bundle).
 */
export function parseRequest(op: Operation, req: HttpRequest, basePath?: string, bundle?: SchemaBundle): ParsedRequest;
export function parseRequest(op: Operation, req: HttpRequest, bundle?: SchemaBundle, basePath?: string): ParsedRequest;
export function parseRequest(op: Operation, req: HttpRequest, a?: string | SchemaBundle, b?: string | SchemaBundle): ParsedRequest {
  const basePath = typeof a === 'string' ? a : typeof b === 'string' ? b : undefined;
  const bundle = typeof a === 'object' ? a : typeof b === 'object' ? b : undefined;
  const ctx: ReadContext = { problems: [] };
  if (bundle) ctx.bundle = bundle;
  const result: ParsedRequest = { path: {}, query: {}, header: {}, cookie: {}, problems: ctx.problems, unknown: { query: [], cookie: [] } };

  const withoutFragment = splitOnce(req.path, '#')[0];
  const [rawPath, rawQuery] = splitOnce(withoutFragment, '?');
  const base = (basePath ?? '').replace(/\/+$/, '');
  let path = rawPath;
  if (base !== '') {
    if (path === base || path.startsWith(`${base}/`)) path = path.slice(base.length);
    else ctx.problems.push({ where: 'path', message: `path "${rawPath}" is not under the base path "${base}"` });
  }
  const params = op.parameters;
  const matched = matchPath(op.path, path);
  if (!matched) ctx.problems.push({ where: 'path', message: `path "${path}" does not match the template "${op.path}"` });
  for (const p of params.filter((x) => x.in === 'path')) {
    const raw = matched?.[p.name];
    if (raw !== undefined) result.path[p.name] = readPathParameter(p, raw, ctx);
  }

  const queryFields = params.filter((p) => p.in === 'query').map(queryLayout);
  const query = readFields(queryFields, readPairs(rawQuery ?? '', 'query', ctx), 'query.', ctx);
  result.query = query.values;
  result.unknown.query = [...new Set(query.unclaimed.map((p) => p.name))];

  for (const p of params.filter((x) => x.in === 'header' && !isIgnoredHeaderParameter(x))) {
    const text = headerValue(req, p.name);
    if (text !== undefined) result.header[p.name] = readHeaderParameter(p, text, ctx);
  }

  const cookieHeader = headerValue(req, 'cookie');
  const cookieParams = params.filter((p) => p.in === 'cookie');
  if (cookieHeader !== undefined) {
    const cookieFields = cookieParams.map((p): FieldLayout => ({ ...queryLayout(p), style: 'form' }));
    const cookies = readFields(cookieFields, readCookiePairs(cookieHeader, ctx), 'cookie.', ctx);
    result.cookie = cookies.values;
    result.unknown.cookie = [...new Set(cookies.unclaimed.map((p) => p.name))];
  }

  const body = readBody(op, req, ctx);
  if (body) result.body = body;
  return result;
}

// ------------------------------------------------------------------------------------------- JSON with positions

export type JsonParseResult =
  | { ok: true; value: unknown }
  | { ok: false; message: string; offset: number; line: number; column: number };

class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** Finds the first syntax error of a text JSON.parse refused (JSON.parse's messages carry no reliable position). */
function locateJsonError(text: string): JsonSyntaxError {
  let at = 0;
  const describe = (): string => (at >= text.length ? 'end of input' : `character ${JSON.stringify(text[at])}`);
  const fail = (expected: string): never => {
    throw new JsonSyntaxError(`unexpected ${describe()}, expected ${expected}`, at);
  };
  const ws = (): void => {
    while (at < text.length && ' \t\n\r'.includes(text[at]!)) at++;
  };
  const literal = (word: string): void => {
    for (const ch of word) {
      if (text[at] !== ch) fail(`"${word}"`);
      at++;
    }
  };
  const digits = (): void => {
    if (!/[0-9]/.test(text[at] ?? '')) fail('a digit');
    while (/[0-9]/.test(text[at] ?? '')) at++;
  };
  const number = (): void => {
    if (text[at] === '-') at++;
    if (text[at] === '0') at++;
    else digits();
    if (text[at] === '.') {
      at++;
      digits();
    }
    if (text[at] === 'e' || text[at] === 'E') {
      at++;
      if (text[at] === '+' || text[at] === '-') at++;
      digits();
    }
  };
  const string = (): void => {
    at++; // opening quote
    for (;;) {
      if (at >= text.length) fail('a closing quote');
      const ch = text.charCodeAt(at);
      if (ch === 0x22) {
        at++;
        return;
      }
      if (ch < 0x20) fail('no control character inside a string (escape it)');
      if (ch === 0x5c) {
        at++;
        const esc = text[at];
        if (esc === 'u') {
          for (let i = 1; i <= 4; i++) {
            if (!/[0-9a-fA-F]/.test(text[at + i] ?? '')) {
              at += i;
              fail('four hex digits after \\u');
            }
          }
          at += 5;
        } else if (esc !== undefined && '"\\/bfnrt'.includes(esc)) at++;
        else fail('a valid escape (\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u)');
      } else at++;
    }
  };
  const value = (depth: number): void => {
    if (depth > 5000) throw new JsonSyntaxError('nesting too deep to locate the error', at);
    ws();
    const ch = text[at];
    if (ch === '{') {
      at++;
      ws();
      if (text[at] === '}') {
        at++;
        return;
      }
      for (;;) {
        ws();
        if (text[at] !== '"') fail('a property name in double quotes');
        string();
        ws();
        if (text[at] !== ':') fail('":"');
        at++;
        value(depth + 1);
        ws();
        if (text[at] === ',') {
          at++;
          continue;
        }
        if (text[at] === '}') {
          at++;
          return;
        }
        fail('"," or "}"');
      }
    }
    if (ch === '[') {
      at++;
      ws();
      if (text[at] === ']') {
        at++;
        return;
      }
      for (;;) {
        value(depth + 1);
        ws();
        if (text[at] === ',') {
          at++;
          continue;
        }
        if (text[at] === ']') {
          at++;
          return;
        }
        fail('"," or "]"');
      }
    }
    if (ch === '"') return string();
    if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) return number();
    if (ch === 't') return literal('true');
    if (ch === 'f') return literal('false');
    if (ch === 'n') return literal('null');
    return fail('a JSON value');
  };
  try {
    value(0);
    ws();
    if (at < text.length) fail('end of input after the JSON value');
    return new JsonSyntaxError('invalid JSON', 0);
  } catch (error) {
    if (error instanceof JsonSyntaxError) return error;
    return new JsonSyntaxError('invalid JSON', 0);
  }
}

/** 1-based line and column (in UTF-16 code units) of an offset; CRLF, LF and CR each end a line. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    const ch = text[i];
    if (ch === '\n' || (ch === '\r' && text[i + 1] !== '\n')) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

export function parseJsonWithPosition(text: string): JsonParseResult {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    const error = locateJsonError(text);
    return { ok: false, message: error.message, offset: error.offset, ...lineAndColumn(text, error.offset) };
  }
}
