import { BUNDLE_ID } from '../model.js';
import type { JsonSchema, SchemaBundle, SchemaHandle, SourceLocation, SpecVersion, SpecWarning } from '../model.js';
import { KNOWN_FORMATS, compilesAsRegExp } from '../schema/formats.js';
import { child, isObject, refOf } from './documents.js';
import type { DocumentSet } from './documents.js';
import type { Node } from './documents.js';
import { escapeToken, parsePointer } from './pointer.js';

type SchemaObject = { [key: string]: unknown };

const SCHEMA_MAP_KEYWORDS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);
const SCHEMA_LIST_KEYWORDS = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);
const SCHEMA_KEYWORDS = new Set([
  'additionalProperties', 'not', 'if', 'then', 'else', 'contains', 'propertyNames', 'unevaluatedProperties',
  'unevaluatedItems', 'additionalItems',
]);
const COUNT_KEYWORDS = new Set([
  'maxLength', 'minLength', 'maxItems', 'minItems', 'maxProperties', 'minProperties', 'maxContains', 'minContains',
]);
const NUMBER_KEYWORDS = new Set(['maximum', 'minimum']);
const BOOLEAN_KEYWORDS = new Set(['uniqueItems', 'readOnly', 'writeOnly', 'deprecated']);
const STRING_KEYWORDS = new Set(['title', 'description', '$comment', 'contentMediaType', 'contentEncoding']);
// Identifiers would re-base the bundle's '#/$defs/…' refs; dynamic refs have no meaning once bundled.
const DROPPED_KEYWORDS = new Set(['$id', '$schema', '$anchor', '$dynamicAnchor', '$dynamicRef', '$recursiveRef', '$recursiveAnchor', '$vocabulary', 'nullable', 'x-nullable']);
const JSON_TYPES = new Set(['string', 'number', 'integer', 'boolean', 'object', 'array', 'null']);
// 3.0 ignores $ref siblings; these few are honoured anyway because they only ever make validation more lenient.
const LENIENT_REF_SIBLINGS = ['readOnly', 'writeOnly'];

export function locationOf(node: Node): SourceLocation {
  return { file: node.doc.file, pointer: node.pointer };
}

/**
 * Converts the schemas the operations reach into one JSON Schema 2020-12 bundle (model.ts, SchemaBundle).
 * One def per distinct schema location; a $ref becomes '#/$defs/<key>' of its target, so cycles stay refs.
 */
export class SchemaBundler {
  readonly root: SchemaBundle['root'] = { $id: BUNDLE_ID, $defs: {} };
  readonly origin = new WeakMap<object, SourceLocation>();
  private readonly unknownFormats = new Set<string>();
  private readonly keyByLocation = new Map<string, string>();
  private readonly pending: Array<{ key: string; node: Node }> = [];
  private readonly nullableWarned = new Set<string>();
  private readonly lastSuffix = new Map<string, number>();

  constructor(
    private readonly documents: DocumentSet,
    private readonly version: SpecVersion,
    private readonly warnings: SpecWarning[],
  ) {}

  bundle(): SchemaBundle {
    return { root: this.root, origin: this.origin, unknownFormats: [...this.unknownFormats].sort() };
  }

  /** The handle for the schema written at `node` (following a plain $ref to its target). */
  handleFor(node: Node): SchemaHandle {
    const target = this.followPlainRefs(node);
    const key = this.defKeyFor(target);
    this.convertPending();
    return { def: key, schema: this.root.$defs[key]!, location: locationOf(target) };
  }

  /** A handle for a schema built by the loader (2.0 parameters, form bodies) whose keywords live at `node`. */
  handleForSynthetic(node: Node, schema: SchemaObject, keyHint: string): SchemaHandle {
    const id = `${node.doc.url}#${node.pointer}#${keyHint}`;
    let key = this.keyByLocation.get(id);
    if (key === undefined) {
      key = this.uniqueKey(keyHint);
      this.keyByLocation.set(id, key);
      this.root.$defs[key] = this.convert({ doc: node.doc, pointer: node.pointer, value: schema });
      this.convertPending();
    }
    return { def: key, schema: this.root.$defs[key]!, location: locationOf(node) };
  }

  /** Converts a schema built by the loader without making it a def (a property of a synthetic schema). */
  convertAt(node: Node, schema: SchemaObject): JsonSchema {
    return this.convert({ doc: node.doc, pointer: node.pointer, value: schema });
  }

  /** A handle for a schema the loader assembled from converted parts (2.0 form bodies). */
  handleForConverted(node: Node, schema: SchemaObject, keyHint: string): SchemaHandle {
    const id = `${node.doc.url}#${node.pointer}#${keyHint}`;
    let key = this.keyByLocation.get(id);
    if (key === undefined) {
      key = this.uniqueKey(keyHint);
      this.keyByLocation.set(id, key);
      this.root.$defs[key] = this.remember(schema, node);
      this.convertPending();
    }
    return { def: key, schema: this.root.$defs[key]!, location: locationOf(node) };
  }

  /** Where a chain of plain $refs ends (3.1 refs with siblings are schemas of their own). */
  private followPlainRefs(node: Node): Node {
    let current = node;
    const visited = new Set<string>();
    for (let ref = refOf(current.value); ref !== undefined && this.isPlainRef(current.value); ref = refOf(current.value)) {
      const id = `${current.doc.url}#${current.pointer}`;
      // a cycle of bare refs validates nothing; stop and let it convert to a schema that accepts anything
      if (visited.has(id)) return { ...current, value: {} };
      visited.add(id);
      current = this.documents.resolve(current, ref);
    }
    return current;
  }

  private isPlainRef(value: unknown): boolean {
    if (refOf(value) === undefined) return false;
    return this.version !== '3.1' || Object.keys(value as object).every((key) => key === '$ref' || key === 'description' || key === 'summary');
  }

  private defKeyFor(target: Node): string {
    const id = `${target.doc.url}#${target.pointer}`;
    let key = this.keyByLocation.get(id);
    if (key === undefined) {
      key = this.uniqueKey(nameFor(target));
      this.keyByLocation.set(id, key);
      this.root.$defs[key] = true; // placeholder until converted; keeps the key taken
      this.pending.push({ key, node: target });
    }
    return key;
  }

  private convertPending(): void {
    for (let next = this.pending.pop(); next; next = this.pending.pop()) {
      this.root.$defs[next.key] = this.convert(next.node);
    }
  }

  private uniqueKey(hint: string): string {
    const base = hint.replace(/[^A-Za-z0-9_.-]+/g, '_').slice(0, 120) || 'schema';
    let key = base;
    let n = this.lastSuffix.get(base) ?? 1;
    while (key in this.root.$defs) key = `${base}_${++n}`;
    this.lastSuffix.set(base, n);
    this.root.$defs[key] = true;
    return key;
  }

  private refTo(holder: Node, ref: string): SchemaObject {
    const target = this.followPlainRefs({ ...holder, value: { $ref: ref } });
    const converted: SchemaObject = { $ref: `#/$defs/${encodeURIComponent(escapeToken(this.defKeyFor(target)))}` };
    return converted;
  }

  private convert(node: Node): JsonSchema {
    const value = node.value;
    if (typeof value === 'boolean') return value;
    if (!isObject(value)) {
      this.warnings.push({ message: 'a schema must be an object; accepted as "any value"', location: locationOf(node) });
      return this.remember({}, node);
    }
    const ref = refOf(value);
    let schema: SchemaObject;
    if (ref !== undefined && this.version !== '3.1') {
      schema = this.refTo(node, ref);
      for (const key of LENIENT_REF_SIBLINGS) if (value[key] === true) schema[key] = true;
    } else {
      schema = this.convertKeywords(node, value);
      if (ref !== undefined) schema.$ref = this.refTo(node, ref).$ref;
    }
    this.remember(schema, node);
    return this.nullable(node, value) ? this.allowNull(schema, node) : schema;
  }

  private remember<T extends object>(schema: T, node: Node): T {
    this.origin.set(schema, locationOf(node));
    return schema;
  }

  private convertKeywords(node: Node, value: SchemaObject): SchemaObject {
    const schema: SchemaObject = {};
    for (const [key, member] of Object.entries(value)) {
      if (key === '$ref' || DROPPED_KEYWORDS.has(key)) continue;
      const at = child(node, key);
      if (SCHEMA_MAP_KEYWORDS.has(key)) {
        const map = this.mapNode(at);
        if (isObject(map.value)) schema[key] = this.convertMap(map, map.value, key === 'patternProperties');
      } else if (SCHEMA_LIST_KEYWORDS.has(key)) {
        if (Array.isArray(member)) schema[key] = member.map((_, index) => this.convert(child(at, index)));
      } else if (key === 'items') {
        if (Array.isArray(member)) schema.prefixItems = member.map((_, index) => this.convert(child(at, index)));
        else if (isObject(member) || typeof member === 'boolean') schema.items = this.convert(at);
      } else if (SCHEMA_KEYWORDS.has(key)) {
        if (isObject(member) || typeof member === 'boolean') schema[key] = this.convert(at);
      } else {
        this.convertValueKeyword(schema, key, member, at);
      }
    }
    exclusiveBoundsToNumbers(schema, value);
    return schema;
  }

  /** A map of schemas; some documents put the whole map in another file (`properties: {$ref: …}`). */
  private mapNode(at: Node): Node {
    const ref = refOf(at.value);
    if (ref === undefined || Object.keys(at.value as object).length !== 1) return at;
    return this.documents.deref(at);
  }

  private convertMap(at: Node, members: SchemaObject, keysArePatterns: boolean): SchemaObject {
    const converted: SchemaObject = {};
    for (const name of Object.keys(members)) {
      if (keysArePatterns && !this.patternUsable(name, child(at, name))) continue;
      converted[name] = this.convert(child(at, name));
    }
    return converted;
  }

  /** Keeps a non-schema keyword when Ajv can take it; drops (with a warning) what would make the bundle invalid. */
  private convertValueKeyword(schema: SchemaObject, key: string, member: unknown, at: Node): void {
    const drop = (why: string): void => {
      this.warnings.push({ message: `schema keyword "${key}" ignored: ${why}`, location: locationOf(at) });
    };
    if (key === 'type') {
      const types = this.typesOf(member);
      if (types === undefined) return drop(`unknown type ${JSON.stringify(member)}`);
      if (types.includes('file')) {
        schema.type = types.length === 1 ? 'string' : types.map((type) => (type === 'file' ? 'string' : type));
        schema.format ??= 'binary';
      } else {
        schema.type = types.length === 1 ? types[0] : types;
      }
    } else if (key === 'format') {
      if (typeof member !== 'string') return drop('not a string');
      schema.format = member;
      if (!KNOWN_FORMATS.has(member)) this.unknownFormats.add(member);
    } else if (key === 'required') {
      if (Array.isArray(member)) schema.required = [...new Set(member.filter((name) => typeof name === 'string'))];
    } else if (key === 'enum') {
      if (Array.isArray(member)) schema.enum = member;
      else drop('not an array');
    } else if (key === 'pattern') {
      if (typeof member === 'string' && this.patternUsable(member, at)) schema.pattern = member;
    } else if (COUNT_KEYWORDS.has(key)) {
      if (Number.isInteger(member) && (member as number) >= 0) schema[key] = member;
      else drop('not a non-negative integer');
    } else if (NUMBER_KEYWORDS.has(key)) {
      if (typeof member === 'number') schema[key] = member;
      else drop('not a number');
    } else if (key === 'multipleOf') {
      if (typeof member === 'number' && member > 0) schema[key] = member;
      else drop('not a number above 0');
    } else if (key === 'exclusiveMinimum' || key === 'exclusiveMaximum') {
      if (typeof member === 'number' || typeof member === 'boolean') schema[key] = member;
    } else if (BOOLEAN_KEYWORDS.has(key)) {
      if (typeof member === 'boolean') schema[key] = member;
    } else if (STRING_KEYWORDS.has(key)) {
      if (typeof member === 'string') schema[key] = member;
    } else if (key === 'examples') {
      if (Array.isArray(member)) schema.examples = member;
      else schema['x-examples'] = member;
    } else if (key === 'dependentRequired') {
      if (isObject(member)) schema[key] = member;
    } else {
      schema[key] = member;
    }
  }

  private typesOf(member: unknown): string[] | undefined {
    const types = Array.isArray(member) ? member : [member];
    const allowed = this.version === '2.0' ? (type: unknown) => type === 'file' || JSON_TYPES.has(type as string) : (type: unknown) => JSON_TYPES.has(type as string);
    if (types.length === 0 || !types.every(allowed)) return undefined;
    return [...new Set(types as string[])];
  }

  /** A pattern JavaScript cannot compile (with or without the 'u' flag) is dropped with a warning. */
  private patternUsable(pattern: string, at: Node): boolean {
    if (compilesAsRegExp(pattern)) return true;
    this.warnings.push({ message: `pattern ${JSON.stringify(pattern)} is not an ECMAScript regular expression; not checked`, location: locationOf(at) });
    return false;
  }

  private nullable(node: Node, value: SchemaObject): boolean {
    if (value['x-nullable'] === true) return true;
    if (value.nullable !== true) return false;
    if (this.version === '3.1') {
      const location = locationOf(node);
      const id = `${location.file}#${location.pointer}`;
      if (!this.nullableWarned.has(id)) {
        this.nullableWarned.add(id);
        this.warnings.push({ message: '"nullable" is not an OpenAPI 3.1 keyword (use type: [..., "null"]); treated as allowing null', location });
      }
    }
    return true;
  }

  /** Adds null to the accepted values: in `type`/`enum` when the schema is plain, else by wrapping it. */
  private allowNull(schema: SchemaObject, node: Node): SchemaObject {
    const composed = ['$ref', 'allOf', 'anyOf', 'oneOf', 'not'].some((key) => key in schema);
    if (composed) {
      const wrapper: SchemaObject = { anyOf: [schema, this.remember({ type: 'null' }, node)] };
      for (const key of LENIENT_REF_SIBLINGS) if (schema[key] === true) wrapper[key] = true;
      return this.remember(wrapper, node);
    }
    if (typeof schema.type === 'string' && schema.type !== 'null') schema.type = [schema.type, 'null'];
    else if (Array.isArray(schema.type) && !schema.type.includes('null')) schema.type = [...schema.type, 'null'];
    if (Array.isArray(schema.enum) && !schema.enum.includes(null)) schema.enum = [...schema.enum, null];
    return schema;
  }
}

/** Draft-4 style booleans (OpenAPI 2.0/3.0) to the numeric form of 2020-12. */
function exclusiveBoundsToNumbers(schema: SchemaObject, original: SchemaObject): void {
  for (const [exclusive, bound] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']] as const) {
    if (typeof original[exclusive] !== 'boolean') continue;
    delete schema[exclusive];
    if (original[exclusive] === true && typeof schema[bound] === 'number') {
      schema[exclusive] = schema[bound];
      delete schema[bound];
    }
  }
}

/** A readable def key: the component name for named schemas, the file name for whole files, else the pointer. */
function nameFor(node: Node): string {
  const tokens = parsePointer(node.pointer) ?? [];
  const named = /^\/(components\/schemas|definitions|\$defs)\/[^/]+$/.test(node.pointer);
  if (named) return tokens[tokens.length - 1]!;
  if (tokens.length === 0) return node.doc.file.replace(/^.*[/\\]/, '').replace(/\.(ya?ml|json)$/i, '');
  return tokens.join('.');
}
