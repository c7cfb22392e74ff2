// Values on the wire as OpenAPI 3 says (parameter styles, percent-encoding, bodies by media type).
// Whatever cannot be sent so that the server reads back the same value is refused with
// UnserializableValueError: the planner drops such a value rather than send something it cannot prove.
import type { HttpRequest, JsonSchema, MediaType, Operation, Parameter, ParameterLocation, SchemaBundle } from '../model.js';
import { isIgnoredHeaderParameter } from '../spec/ignored-headers.js';
import { boundaryCollides, encodeMultipart, isValidBoundary, type MultipartPart } from './multipart.js';
import {
  findMediaType,
  formPropertyLayout,
  isBinarySchema,
  isJsonMediaType,
  itemSchema,
  mediaTypeEssence,
  propertySchema,
  queryLayout,
  type FieldLayout,
} from './parse.js';

export class UnserializableValueError extends Error {
  override readonly name = 'UnserializableValueError';
  constructor(
    /** 'query.tags', 'header.X-Trace', 'body/file' … */
    readonly where: string,
    readonly reason: string,
  ) {
    super(`${where}: ${reason}`);
  }
}

export interface RequestValues {
  path?: Record<string, unknown>;
  query?: Record<string, unknown>;
  header?: Record<string, unknown>;
  cookie?: Record<string, unknown>;
  body?: unknown;
  mediaType?: string;
}

export interface BuildOptions {
  /** multipart boundary; a deterministic default is used when absent */
  boundary?: string;
  /** lets refs in body schemas be followed (binary properties become file parts) */
  bundle?: SchemaBundle;
}

/**
 * One parameter on the wire:
 * path — the text that replaces `{name}` in the template; query — `name=value` fragments, already
 * percent-encoded, to be joined with '&'; header — the field value; cookie — `name=value` pairs for the
 * Cookie header, to be joined with '; '. Empty `pairs` means the parameter is not sent (e.g. an empty
 * exploded array).
 */
export type SerializedParameter =
  | { in: 'path'; name: string; text: string }
  | { in: 'query'; name: string; pairs: string[] }
  | { in: 'header'; name: string; value: string }
  | { in: 'cookie'; name: string; pairs: string[] };

// ------------------------------------------------------------------------------------------- text of values

const utf8 = new TextEncoder();
const UNRESERVED = /^[A-Za-z0-9\-._~]$/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

// Sub-delims and ':' '@' are legal in a path segment; ',' and ';' are kept out because they delimit
// items and (Tomcat/Spring) matrix parameters.
const PATH_KEEP = "!$&'()*+=:@";
// allowReserved: RFC 3986 reserved characters pass unencoded, except those that would change what the
// server reads: '#' ends the query, '&' and '=' split pairs, '+' reads as a space in form decoding.
const QUERY_RESERVED_KEEP = ":/?[]@!$'()*,;";

function percentEncode(text: string, keep: string, where: string, force = ''): string {
  if (LONE_SURROGATE.test(text)) throw new UnserializableValueError(where, 'text holds a lone UTF-16 surrogate, which has no UTF-8 encoding');
  let out = '';
  for (const ch of text) {
    if ((UNRESERVED.test(ch) || keep.includes(ch)) && !force.includes(ch)) out += ch;
    else for (const byte of utf8.encode(ch)) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

/** A number as plain decimal text (no exponent), the form servers parse as a number. */
function numberText(n: number, where: string): string {
  if (!Number.isFinite(n)) throw new UnserializableValueError(where, `${n} has no JSON or text form`);
  if (Number.isInteger(n)) return BigInt(n).toString();
  const text = String(n);
  const small = /^-?\d(?:\.(\d+))?e-(\d+)$/.exec(text);
  if (!small) return text;
  const digits = (small[1]?.length ?? 0) + Number(small[2]);
  const plain = digits <= 100 ? n.toFixed(digits) : text;
  if (Number(plain) !== n) throw new UnserializableValueError(where, `${text} has no exact plain decimal form`);
  return plain;
}

/** Checks that JSON.stringify keeps the value as is (no NaN → null, no dropped undefined, no bytes). */
function assertJsonable(value: unknown, where: string): void {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new UnserializableValueError(where, `${value} has no JSON form`);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      if (item === undefined) throw new UnserializableValueError(`${where}/${i}`, 'undefined has no JSON form');
      assertJsonable(item, `${where}/${i}`);
    });
    return;
  }
  if (isPlainObject(value)) {
    for (const [k, v] of Object.entries(value)) if (v !== undefined) assertJsonable(v, `${where}/${k}`);
    return;
  }
  throw new UnserializableValueError(where, `a ${value instanceof Uint8Array ? 'byte array' : typeof value} has no JSON form`);
}

function jsonText(value: unknown, where: string): string {
  assertJsonable(value, where);
  return JSON.stringify(value);
}

/** Text of a primitive; a nested array or object inside a list is sent as JSON (OpenAPI leaves it undefined). */
function scalarText(value: unknown, where: string): string {
  if (value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return numberText(value, where);
  if (Array.isArray(value) || isPlainObject(value)) return jsonText(value, where);
  throw new UnserializableValueError(where, `a ${value instanceof Uint8Array ? 'byte array' : typeof value} cannot be sent as text`);
}

/** A `content`-described value: JSON for JSON media types, plain text otherwise. */
function contentText(contentType: string, value: unknown, where: string): string {
  if (isJsonMediaType(contentType)) return jsonText(value, where);
  if (Array.isArray(value) || isPlainObject(value)) throw new UnserializableValueError(where, `cannot write a structured value as ${contentType}`);
  return scalarText(value, where);
}

type Shaped =
  | { kind: 'primitive'; text: string }
  | { kind: 'array'; items: string[] }
  | { kind: 'object'; entries: Array<[string, string]> };

function shapeValue(value: unknown, where: string): Shaped {
  if (Array.isArray(value)) {
    return {
      kind: 'array',
      items: value.map((item, i) => {
        if (item === undefined) throw new UnserializableValueError(`${where}/${i}`, 'undefined item in an array');
        return scalarText(item, `${where}/${i}`);
      }),
    };
  }
  if (isPlainObject(value)) {
    return {
      kind: 'object',
      entries: Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, scalarText(v, `${where}/${k}`)] as [string, string]),
    };
  }
  return { kind: 'primitive', text: scalarText(value, where) };
}

/** Servers split lists after percent-decoding, so an item holding the delimiter would read as two. */
function refuseDelimiters(texts: string[], delimiters: string, what: string, where: string): void {
  for (const text of texts) {
    for (const d of delimiters) {
      if (text.includes(d)) {
        throw new UnserializableValueError(where, `${JSON.stringify(text)} contains ${JSON.stringify(d)}, the ${what} delimiter: the server would read a different value`);
      }
    }
  }
}

const flatten = (entries: Array<[string, string]>): string[] => entries.flat();

// ------------------------------------------------------------------------------------------- path

function pathText(p: Parameter, value: unknown): string {
  const where = `path.${p.name}`;
  const enc = (text: string, force = ''): string => percentEncode(text, PATH_KEEP, where, force);
  if (p.contentType) return refuseEmptySegment(enc(contentText(p.contentType, value, where)), where);
  const shaped = shapeValue(value, where);
  if (p.style === 'label') {
    const d = p.explode ? '.' : ',';
    if (shaped.kind === 'primitive') return `.${enc(shaped.text)}`;
    if (shaped.kind === 'array') {
      refuseDelimiters(shaped.items, d, 'label', where);
      return `.${shaped.items.map((i) => enc(i)).join(d)}`;
    }
    if (p.explode) {
      refuseDelimiters(shaped.entries.map(([k]) => k), '=', 'label key/value', where);
      refuseDelimiters(flatten(shaped.entries), '.', 'label', where);
      return `.${shaped.entries.map(([k, v]) => `${enc(k, '=')}=${enc(v)}`).join('.')}`;
    }
    refuseDelimiters(flatten(shaped.entries), ',', 'label', where);
    return `.${flatten(shaped.entries).map((t) => enc(t)).join(',')}`;
  }
  if (p.style === 'matrix') {
    const name = enc(p.name, '=');
    if (shaped.kind === 'primitive') return shaped.text === '' ? `;${name}` : `;${name}=${enc(shaped.text)}`;
    if (shaped.kind === 'array') {
      if (shaped.items.length === 0) return `;${name}`;
      if (p.explode) return shaped.items.map((i) => `;${name}=${enc(i)}`).join('');
      refuseDelimiters(shaped.items, ',', 'matrix', where);
      return `;${name}=${shaped.items.map((i) => enc(i)).join(',')}`;
    }
    if (p.explode) return shaped.entries.map(([k, v]) => `;${enc(k, '=')}=${enc(v)}`).join('');
    refuseDelimiters(flatten(shaped.entries), ',', 'matrix', where);
    return `;${name}=${flatten(shaped.entries).map((t) => enc(t)).join(',')}`;
  }
  if (shaped.kind === 'primitive') {
    if (shaped.text === '.' || shaped.text === '..') {
      throw new UnserializableValueError(where, `"${shaped.text}" is a dot-segment: URL normalization removes it`);
    }
    return refuseEmptySegment(enc(shaped.text), where);
  }
  if (shaped.kind === 'array') {
    refuseDelimiters(shaped.items, ',', 'simple', where);
    return refuseEmptySegment(shaped.items.map((i) => enc(i)).join(','), where);
  }
  refuseDelimiters(flatten(shaped.entries), ',', 'simple', where);
  if (p.explode) {
    refuseDelimiters(shaped.entries.map(([k]) => k), '=', 'simple key/value', where);
    return refuseEmptySegment(shaped.entries.map(([k, v]) => `${enc(k)}=${enc(v)}`).join(','), where);
  }
  return refuseEmptySegment(flatten(shaped.entries).map((t) => enc(t)).join(','), where);
}

function refuseEmptySegment(text: string, where: string): string {
  if (text === '') throw new UnserializableValueError(where, 'an empty value leaves an empty path segment, which routers do not match');
  return text;
}

// ------------------------------------------------------------------------------------------- query and forms

interface PairEncoding {
  /** application/x-www-form-urlencoded bodies write a space as '+' */
  spaceAsPlus: boolean;
}

/** name=value fragments for one field laid out per style/explode (query parameter or form body property). */
export function fieldPairs(field: FieldLayout, value: unknown, where: string, encoding: PairEncoding = { spaceAsPlus: false }): string[] {
  const keep = field.allowReserved ? QUERY_RESERVED_KEEP : '';
  const enc = (text: string): string => {
    const encoded = percentEncode(text, keep, where);
    return encoding.spaceAsPlus ? encoded.replace(/%20/g, '+') : encoded;
  };
  // names keep their brackets literal (filter[status]); they are documented text, not data
  const name = percentEncode(field.name, '[]', where);
  const pair = (n: string, text: string): string => `${n}=${enc(text)}`;
  if (field.contentType) return [pair(name, contentText(field.contentType, value, where))];
  if (field.objectAsJson && isPlainObject(value)) return [pair(name, jsonText(value, where))];
  if (field.style === 'deepObject' && isPlainObject(value)) return deepObjectPairs(name, value, where, enc);
  const shaped = shapeValue(value, where);
  if (shaped.kind === 'primitive') return [pair(name, shaped.text)];
  const delimiter = field.style === 'spaceDelimited' ? ' ' : field.style === 'pipeDelimited' ? '|' : ',';
  const joiner = field.style === 'spaceDelimited' ? (encoding.spaceAsPlus ? '+' : '%20') : delimiter;
  if (shaped.kind === 'array') {
    if (field.explode) return shaped.items.map((item) => pair(name, item));
    refuseDelimiters(shaped.items, delimiter, field.style, where);
    return [`${name}=${shaped.items.map(enc).join(joiner)}`];
  }
  if (field.explode) return shaped.entries.map(([k, v]) => `${percentEncode(k, '[]', where)}=${enc(v)}`);
  refuseDelimiters(flatten(shaped.entries), delimiter, field.style, where);
  return [`${name}=${flatten(shaped.entries).map(enc).join(joiner)}`];
}

function deepObjectPairs(prefix: string, value: Record<string, unknown>, where: string, enc: (t: string) => string): string[] {
  const pairs: string[] = [];
  for (const [key, child] of Object.entries(value)) {
    if (child === undefined) continue;
    const at = `${where}/${key}`;
    refuseDelimiters([key], '[]', 'deepObject bracket', at);
    const name = `${prefix}[${percentEncode(key, '', at)}]`;
    if (isPlainObject(child)) pairs.push(...deepObjectPairs(name, child, at, enc));
    else if (Array.isArray(child)) child.forEach((item, i) => pairs.push(`${name}=${enc(scalarText(item, `${at}/${i}`))}`));
    else pairs.push(`${name}=${enc(scalarText(child, at))}`);
  }
  return pairs;
}

// ------------------------------------------------------------------------------------------- headers and cookies

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** A field value servers read back unchanged: visible ASCII and inner spaces/tabs only. */
export function assertHeaderValue(value: string, where: string): string {
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (code === 0x0d || code === 0x0a) throw new UnserializableValueError(where, 'header value contains CR or LF');
    if ((code < 0x20 && code !== 0x09) || code === 0x7f) {
      throw new UnserializableValueError(where, `header value contains control character U+${code.toString(16).toUpperCase().padStart(4, '0')}`);
    }
    if (code > 0x7e) throw new UnserializableValueError(where, `header value contains non-ASCII ${JSON.stringify(ch)}: servers read header bytes as Latin-1`);
  }
  if (/^[ \t]|[ \t]$/.test(value)) throw new UnserializableValueError(where, 'header value has leading or trailing whitespace, which servers strip');
  return value;
}

function headerText(p: Parameter, value: unknown): string {
  const where = `header.${p.name}`;
  if (!TOKEN.test(p.name)) throw new UnserializableValueError(where, 'header name is not an HTTP token');
  if (p.contentType) return assertHeaderValue(contentText(p.contentType, value, where), where);
  const shaped = shapeValue(value, where);
  const items = shaped.kind === 'primitive' ? [shaped.text] : shaped.kind === 'array' ? shaped.items : flatten(shaped.entries);
  items.forEach((item) => assertHeaderValue(item, where));
  if (shaped.kind === 'primitive') return shaped.text;
  refuseDelimiters(items, ',', 'header list', where);
  if (shaped.kind === 'array') return shaped.items.join(',');
  if (p.explode) {
    refuseDelimiters(shaped.entries.map(([k]) => k), '=', 'header key/value', where);
    return shaped.entries.map(([k, v]) => `${k}=${v}`).join(',');
  }
  return items.join(',');
}

function cookiePairs(p: Parameter, value: unknown): string[] {
  const where = `cookie.${p.name}`;
  const enc = (text: string): string => percentEncode(text, '', where);
  const cookieName = (name: string): string => {
    if (!TOKEN.test(name)) throw new UnserializableValueError(where, `cookie name ${JSON.stringify(name)} is not an HTTP token`);
    return name;
  };
  const name = cookieName(p.name);
  if (p.contentType) return [`${name}=${enc(contentText(p.contentType, value, where))}`];
  const shaped = shapeValue(value, where);
  if (shaped.kind === 'primitive') return [`${name}=${enc(shaped.text)}`];
  if (shaped.kind === 'array') {
    // exploded lists repeat the cookie: OpenAPI's '&' form makes no sense inside a Cookie header
    if (p.explode) return shaped.items.map((item) => `${name}=${enc(item)}`);
    refuseDelimiters(shaped.items, ',', 'cookie list', where);
    return [`${name}=${shaped.items.map(enc).join(',')}`];
  }
  if (p.explode) return shaped.entries.map(([k, v]) => `${cookieName(k)}=${enc(v)}`);
  refuseDelimiters(flatten(shaped.entries), ',', 'cookie list', where);
  return [`${name}=${flatten(shaped.entries).map(enc).join(',')}`];
}

// ------------------------------------------------------------------------------------------- parameters

export function serializeParameter(p: Parameter, value: unknown): SerializedParameter {
  const where = `${p.in}.${p.name}`;
  if (value === undefined) {
    if (p.in === 'query' || p.in === 'cookie') return { in: p.in, name: p.name, pairs: [] };
    throw new UnserializableValueError(where, 'no value');
  }
  switch (p.in) {
    case 'path':
      return { in: 'path', name: p.name, text: pathText(p, value) };
    case 'query':
      return { in: 'query', name: p.name, pairs: fieldPairs(queryLayout(p), value, where) };
    case 'header':
      return { in: 'header', name: p.name, value: headerText(p, value) };
    case 'cookie':
      return { in: 'cookie', name: p.name, pairs: cookiePairs(p, value) };
  }
}

/** A parameter the document does not declare (a value the planner adds on purpose): OpenAPI defaults. */
function undeclaredParameter(name: string, location: ParameterLocation): Parameter {
  const style = location === 'query' || location === 'cookie' ? 'form' : 'simple';
  return {
    name,
    in: location,
    required: false,
    style,
    explode: style === 'form',
    allowReserved: false,
    allowEmptyValue: false,
    deprecated: false,
    examples: [],
    location: { file: '', pointer: '' },
  };
}

// OpenAPI 3: header parameters with these names are ignored; Content-Type comes from the body.

function parametersIn(op: Operation, location: ParameterLocation, values: Record<string, unknown> | undefined): Array<[Parameter, unknown]> {
  const declared = op.parameters.filter((p) => p.in === location);
  // header names are case-insensitive; the others are not. One map, not a scan per parameter.
  const norm = (name: string): string => (location === 'header' ? name.toLowerCase() : name);
  const given = new Map<string, unknown>();
  for (const [key, value] of Object.entries(values ?? {})) if (!given.has(norm(key))) given.set(norm(key), value);
  const declaredNames = new Set(declared.map((p) => norm(p.name)));
  const out: Array<[Parameter, unknown]> = [];
  for (const p of declared) {
    const value = given.get(norm(p.name));
    if (value !== undefined) out.push([p, value]);
  }
  for (const [key, value] of Object.entries(values ?? {})) {
    if (value === undefined || declaredNames.has(norm(key))) continue;
    out.push([undeclaredParameter(key, location), value]);
  }
  return out;
}

// ------------------------------------------------------------------------------------------- bodies

const DEFAULT_BOUNDARY = 'api-contract-check-boundary';

function multipartParts(value: unknown, media: MediaType | undefined, bundle: SchemaBundle | undefined): MultipartPart[] {
  if (!isPlainObject(value)) throw new UnserializableValueError('body', 'a multipart/form-data body must be an object (one part per property)');
  const parts: MultipartPart[] = [];
  const schema = media?.schema?.schema;
  for (const [name, v] of Object.entries(value)) {
    if (v === undefined) continue;
    const declaredType = media?.encoding[name]?.contentType;
    const propSchema = propertySchema(schema, name, bundle);
    if (Array.isArray(v)) {
      v.forEach((item, i) => parts.push(multipartPart(name, item, declaredType, itemSchema(propSchema, i, bundle), bundle, `body/${name}/${i}`)));
    } else parts.push(multipartPart(name, v, declaredType, propSchema, bundle, `body/${name}`));
  }
  return parts;
}

function multipartPart(
  name: string,
  item: unknown,
  declaredType: string | undefined,
  schema: JsonSchema | undefined,
  bundle: SchemaBundle | undefined,
  where: string,
): MultipartPart {
  // encoding.contentType may list several types ('image/png, image/jpeg'): the first one is sent
  const declared = declaredType?.split(',')[0]?.trim();
  if (item instanceof Uint8Array) return { name, filename: name, contentType: declared ?? 'application/octet-stream', body: item };
  const structured = Array.isArray(item) || isPlainObject(item);
  if ((declared !== undefined && isJsonMediaType(declared)) || (declared === undefined && structured)) {
    return { name, contentType: declared ?? 'application/json', body: utf8.encode(jsonText(item, where)) };
  }
  if (structured) throw new UnserializableValueError(where, `cannot write a structured value as ${declared}`);
  const isText = declared === undefined || mediaTypeEssence(declared).startsWith('text/');
  if (typeof item === 'string' && (isBinarySchema(schema, bundle) || !isText)) {
    if (LONE_SURROGATE.test(item)) throw new UnserializableValueError(where, 'text holds a lone UTF-16 surrogate, which has no UTF-8 encoding');
    return { name, filename: name, contentType: declared ?? 'application/octet-stream', body: utf8.encode(item) };
  }
  const part: MultipartPart = { name, body: utf8.encode(scalarText(item, where)) };
  if (declared !== undefined) part.contentType = declared;
  return part;
}

function chooseBoundary(parts: MultipartPart[], requested: string | undefined): string {
  if (requested !== undefined) {
    if (!isValidBoundary(requested)) throw new UnserializableValueError('body', `"${requested}" is not a valid multipart boundary (RFC 2046)`);
    if (boundaryCollides(parts, requested)) throw new UnserializableValueError('body', `the boundary "${requested}" occurs inside a part`);
    return requested;
  }
  for (let n = 0; ; n++) {
    const candidate = n === 0 ? DEFAULT_BOUNDARY : `${DEFAULT_BOUNDARY}-${n}`;
    if (!boundaryCollides(parts, candidate)) return candidate;
  }
}

function quoteIfNeeded(parameter: string): string {
  return TOKEN.test(parameter) ? parameter : `"${parameter}"`;
}

function bytesOf(value: unknown, where: string): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (typeof value === 'string') {
    if (LONE_SURROGATE.test(value)) throw new UnserializableValueError(where, 'text holds a lone UTF-16 surrogate, which has no UTF-8 encoding');
    return utf8.encode(value);
  }
  throw new UnserializableValueError(where, `a ${Array.isArray(value) ? 'array' : typeof value} cannot be sent as raw bytes`);
}

/** A body in the given media type, with the Content-Type to send (multipart carries its boundary). */
export function encodeBody(
  mediaType: string,
  value: unknown,
  media?: MediaType,
  opts?: BuildOptions,
): { contentType: string; body: Uint8Array | string } {
  const essence = mediaTypeEssence(mediaType);
  if (value === undefined) throw new UnserializableValueError('body', 'no value');
  // a range such as */* lets the client choose: JSON for anything, text/plain for text/*
  if (essence === '*/*' || essence === 'application/*') return { contentType: 'application/json', body: jsonText(value, 'body') };
  if (essence === 'text/*') return { contentType: 'text/plain', body: contentText('text/plain', value, 'body') };
  if (isJsonMediaType(essence)) return { contentType: mediaType, body: jsonText(value, 'body') };
  if (essence === 'application/x-www-form-urlencoded') {
    if (!isPlainObject(value)) throw new UnserializableValueError('body', 'a form-urlencoded body must be an object (one field per property)');
    const pairs: string[] = [];
    for (const [name, v] of Object.entries(value)) {
      if (v === undefined) continue;
      pairs.push(...fieldPairs(formPropertyLayout(name, media, opts?.bundle), v, `body/${name}`, { spaceAsPlus: true }));
    }
    return { contentType: mediaType, body: pairs.join('&') };
  }
  if (essence === 'multipart/form-data') {
    const parts = multipartParts(value, media, opts?.bundle);
    const boundary = chooseBoundary(parts, opts?.boundary);
    return { contentType: `multipart/form-data; boundary=${quoteIfNeeded(boundary)}`, body: encodeMultipart(parts, boundary) };
  }
  if (essence === 'application/xml' || essence === 'text/xml' || essence.endsWith('+xml')) {
    throw new UnserializableValueError('body', `${essence} bodies are not generated: mapping a JSON Schema value to XML (the xml object) is not implemented`);
  }
  if (essence.startsWith('text/')) return { contentType: mediaType, body: contentText(mediaType, value, 'body') };
  // application/octet-stream and any other concrete type: raw bytes (a string is sent as UTF-8)
  return { contentType: mediaType, body: bytesOf(value, 'body') };
}

// ------------------------------------------------------------------------------------------- request

/** A path key split into its template and the fixed query some documents write into it. */
export function splitTemplate(pathKey: string): [string, string | undefined] {
  const at = pathKey.indexOf('?');
  return at < 0 ? [pathKey, undefined] : [pathKey.slice(0, at), pathKey.slice(at + 1) || undefined];
}

/** The request for one set of values: path (template filled, then '?' query) relative to the base URL. */
export function buildRequest(op: Operation, values: RequestValues, opts?: BuildOptions): HttpRequest {
  const pathParameters = new Map(parametersIn(op, 'path', values.path).map(([p, v]) => [p.name, { p, v }]));
  // Some documents put a fixed query in the path key ('/responses/compact?beta=true'): keep it on the wire.
  const [template, fixedQuery] = splitTemplate(op.path);
  const path = template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const found = pathParameters.get(name);
    if (!found) throw new UnserializableValueError(`path.${name}`, 'no value for a path parameter');
    return pathText(found.p, found.v);
  });

  const queryPairs = [
    ...(fixedQuery ? fixedQuery.split('&') : []),
    ...parametersIn(op, 'query', values.query).flatMap(([p, v]) => fieldPairs(queryLayout(p), v, `query.${p.name}`)),
  ];

  const headers: Record<string, string> = {};
  for (const [p, v] of parametersIn(op, 'header', values.header)) {
    if (isIgnoredHeaderParameter(p)) continue;
    headers[p.name] = headerText(p, v);
  }
  const cookies = parametersIn(op, 'cookie', values.cookie).flatMap(([p, v]) => cookiePairs(p, v));
  if (cookies.length > 0) headers['Cookie'] = cookies.join('; ');

  const request: HttpRequest = {
    method: op.method.toUpperCase(),
    path: queryPairs.length > 0 ? `${path}?${queryPairs.join('&')}` : path,
    headers,
  };
  if (values.body !== undefined) {
    const content = op.requestBody?.content ?? [];
    const mediaType = values.mediaType ?? content[0]?.mediaType ?? 'application/json';
    const encoded = encodeBody(mediaType, values.body, findMediaType(content, mediaType), opts);
    headers['Content-Type'] = encoded.contentType;
    request.body = encoded.body;
  }
  return request;
}
