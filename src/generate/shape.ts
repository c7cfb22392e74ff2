// One node of a schema seen as a flat set of constraints: $ref followed, allOf merged, one branch of each
// oneOf/anyOf chosen. Generation works on this flat view; the validator proves the result afterwards.
import type { JsonSchema, SchemaBundle } from '../model.js';

export type SchemaObject = { [key: string]: unknown };

export function isSchemaObject(value: unknown): value is SchemaObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isJsonSchema(value: unknown): value is JsonSchema {
  return typeof value === 'boolean' || isSchemaObject(value);
}

const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

/** Follows a ref such as '#/$defs/Pet' (or the same with the bundle id in front) inside the bundle. */
export function resolveRef(bundle: SchemaBundle, ref: string): JsonSchema | undefined {
  const hash = ref.indexOf('#');
  if (hash < 0) return undefined;
  const base = ref.slice(0, hash);
  if (base !== '' && base !== bundle.root.$id) return undefined;
  let fragment = ref.slice(hash + 1);
  try {
    fragment = decodeURIComponent(fragment);
  } catch {
    // keep it as written
  }
  if (fragment === '') return bundle.root as unknown as JsonSchema;
  if (!fragment.startsWith('/')) return undefined;
  let node: unknown = bundle.root;
  for (const raw of fragment.slice(1).split('/')) {
    const token = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) node = node[Number(token)];
    else if (isSchemaObject(node)) node = node[token];
    else return undefined;
  }
  return isJsonSchema(node) ? node : undefined;
}

/** The last segment of a ref, used as a schema's name (discriminator default value). */
export function refName(ref: string): string {
  const segments = ref.split('/');
  let last = segments[segments.length - 1] ?? ref;
  try {
    last = decodeURIComponent(last);
  } catch {
    // keep it as written
  }
  return last.replace(/~1/g, '/').replace(/~0/g, '~');
}

export interface Discriminator {
  propertyName: string;
  mapping: Record<string, string>;
  /** the ref of the schema that declares it, when it was reached through one */
  owner?: string;
}

export interface Flat {
  /** undefined: no type restriction */
  types?: string[];
  constValue?: { value: unknown };
  enumValues?: unknown[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  multipleOf: number[];
  minLength?: number;
  maxLength?: number;
  patterns: string[];
  format?: string;
  items: JsonSchema[];
  prefixItems: JsonSchema[][];
  minItems?: number;
  maxItems?: number;
  uniqueItems: boolean;
  contains: JsonSchema[];
  properties: Map<string, JsonSchema[]>;
  required: Set<string>;
  additional: JsonSchema[];
  additionalForbidden: boolean;
  patternProperties: Array<{ pattern: string; schema: JsonSchema }>;
  minProperties?: number;
  maxProperties?: number;
  propertyNames: JsonSchema[];
  dependentRequired: Map<string, string[]>;
  discriminators: Discriminator[];
  /** schemas the value must not match: `not`, and the oneOf branches not chosen */
  excluded: Array<{ schema: JsonSchema; why: 'not' | 'oneOf' }>;
  readOnly: boolean;
  writeOnly: boolean;
  examples: unknown[];
  /** refs passed through, outermost first */
  refs: string[];
  /** set when the constraints contradict each other */
  impossible?: string;
}

export function emptyFlat(): Flat {
  return {
    multipleOf: [], patterns: [], items: [], prefixItems: [], uniqueItems: false, contains: [], properties: new Map(),
    required: new Set(), additional: [], additionalForbidden: false, patternProperties: [], propertyNames: [],
    dependentRequired: new Map(), discriminators: [], excluded: [], readOnly: false, writeOnly: false, examples: [], refs: [],
  };
}

function intersectTypes(current: string[] | undefined, next: string[]): string[] {
  if (current === undefined) return [...next];
  const out: string[] = [];
  for (const type of current) {
    if (next.includes(type)) out.push(type);
    else if (type === 'number' && next.includes('integer')) out.push('integer');
    else if (type === 'integer' && next.includes('number')) out.push('integer');
  }
  return [...new Set(out)];
}

const sameJson = (a: unknown, b: unknown): boolean => canonicalJson(a) === canonicalJson(b);

/** JSON with object keys sorted: equal values give equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isSchemaObject(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

/** Picks one branch of a oneOf/anyOf; the generator supplies it (seeded, retried on failure). */
export type BranchChooser = (branches: JsonSchema[], keyword: 'oneOf' | 'anyOf', flat: Flat) => number;

export interface FlattenContext {
  bundle: SchemaBundle;
  choose: BranchChooser;
}

/** Flattens one schema node. Never throws: contradictions are reported in `impossible`. */
export function flatten(schema: JsonSchema, ctx: FlattenContext, outerRef?: string): Flat {
  const flat = emptyFlat();
  if (outerRef !== undefined) flat.refs.push(outerRef);
  const pending: Array<{ branches: JsonSchema[]; keyword: 'oneOf' | 'anyOf' }> = [];
  const seen = new Set<string>();
  absorb(flat, schema, ctx, pending, seen);
  // choices come last, so that every other constraint on this node is known when a branch is picked
  for (let guard = 0; pending.length > 0 && guard < 64 && flat.impossible === undefined; guard++) {
    const next = pending.shift();
    if (next === undefined) break;
    const index = ctx.choose(next.branches, next.keyword, flat);
    next.branches.forEach((branch, i) => {
      if (i !== index && next.keyword === 'oneOf') flat.excluded.push({ schema: branch, why: 'oneOf' });
    });
    const chosen = next.branches[index];
    if (chosen !== undefined) absorb(flat, chosen, ctx, pending, seen);
  }
  return flat;
}

function absorb(
  flat: Flat,
  schema: JsonSchema,
  ctx: FlattenContext,
  pending: Array<{ branches: JsonSchema[]; keyword: 'oneOf' | 'anyOf' }>,
  seen: Set<string>,
): void {
  if (schema === true) return;
  if (schema === false) {
    flat.impossible ??= 'the schema is `false`';
    return;
  }
  let owner: string | undefined;
  if (typeof schema.$ref === 'string') {
    const ref = schema.$ref;
    if (seen.has(ref)) {
      flat.impossible ??= `${ref} refers to itself through allOf/$ref without any value in between`;
      return;
    }
    seen.add(ref);
    const target = resolveRef(ctx.bundle, ref);
    if (target === undefined) {
      flat.impossible ??= `cannot resolve ${ref}`;
      return;
    }
    flat.refs.push(ref);
    owner = ref;
    absorb(flat, target, ctx, pending, seen);
    seen.delete(ref);
  }
  absorbKeywords(flat, schema, owner ?? flat.refs[flat.refs.length - 1]);
  if (Array.isArray(schema.allOf)) for (const part of schema.allOf) if (isJsonSchema(part)) absorb(flat, part, ctx, pending, seen);
  for (const keyword of ['oneOf', 'anyOf'] as const) {
    const branches = schema[keyword];
    if (Array.isArray(branches)) {
      const valid = branches.filter(isJsonSchema);
      if (valid.length > 0) pending.push({ branches: valid, keyword });
    }
  }
  if (schema.not !== undefined && isJsonSchema(schema.not)) flat.excluded.push({ schema: schema.not, why: 'not' });
}

function absorbKeywords(flat: Flat, s: SchemaObject, owner: string | undefined): void {
  if (typeof s.type === 'string' || Array.isArray(s.type)) {
    const types = (Array.isArray(s.type) ? s.type : [s.type]).filter((t): t is string => typeof t === 'string');
    flat.types = intersectTypes(flat.types, types);
    if (flat.types.length === 0) flat.impossible ??= `no type satisfies both ${JSON.stringify(types)} and the rest`;
  }
  if ('const' in s) {
    if (flat.constValue !== undefined && !sameJson(flat.constValue.value, s.const)) flat.impossible ??= 'two different `const` values';
    flat.constValue = { value: s.const };
  }
  if (Array.isArray(s.enum)) {
    const values = s.enum as unknown[];
    flat.enumValues = flat.enumValues === undefined ? [...values] : flat.enumValues.filter((v) => values.some((w) => sameJson(v, w)));
    if (flat.enumValues.length === 0) flat.impossible ??= 'no value is in every `enum`';
  }
  const tighten = (key: 'minimum' | 'exclusiveMinimum' | 'minLength' | 'minItems' | 'minProperties', value: unknown): void => {
    const n = num(value);
    if (n !== undefined) flat[key] = Math.max(flat[key] ?? -Infinity, n);
  };
  const loosen = (key: 'maximum' | 'exclusiveMaximum' | 'maxLength' | 'maxItems' | 'maxProperties', value: unknown): void => {
    const n = num(value);
    if (n !== undefined) flat[key] = Math.min(flat[key] ?? Infinity, n);
  };
  tighten('minimum', s.minimum);
  tighten('exclusiveMinimum', s.exclusiveMinimum);
  loosen('maximum', s.maximum);
  loosen('exclusiveMaximum', s.exclusiveMaximum);
  tighten('minLength', s.minLength);
  loosen('maxLength', s.maxLength);
  tighten('minItems', s.minItems);
  loosen('maxItems', s.maxItems);
  tighten('minProperties', s.minProperties);
  loosen('maxProperties', s.maxProperties);
  const multipleOf = num(s.multipleOf);
  if (multipleOf !== undefined && multipleOf > 0) flat.multipleOf.push(multipleOf);
  if (typeof s.pattern === 'string') flat.patterns.push(s.pattern);
  if (typeof s.format === 'string') flat.format ??= s.format;
  if (isJsonSchema(s.items)) flat.items.push(s.items);
  if (Array.isArray(s.prefixItems)) flat.prefixItems.push(s.prefixItems.filter(isJsonSchema));
  if (s.uniqueItems === true) flat.uniqueItems = true;
  if (isJsonSchema(s.contains)) flat.contains.push(s.contains);
  if (isSchemaObject(s.properties)) {
    for (const [name, sub] of Object.entries(s.properties)) {
      if (!isJsonSchema(sub)) continue;
      const list = flat.properties.get(name) ?? [];
      list.push(sub);
      flat.properties.set(name, list);
    }
  }
  if (Array.isArray(s.required)) for (const name of s.required) if (typeof name === 'string') flat.required.add(name);
  if (s.additionalProperties === false) flat.additionalForbidden = true;
  else if (isSchemaObject(s.additionalProperties)) flat.additional.push(s.additionalProperties);
  if (isSchemaObject(s.patternProperties)) {
    for (const [pattern, sub] of Object.entries(s.patternProperties)) if (isJsonSchema(sub)) flat.patternProperties.push({ pattern, schema: sub });
  }
  if (isJsonSchema(s.propertyNames)) flat.propertyNames.push(s.propertyNames);
  if (isSchemaObject(s.dependentRequired)) {
    for (const [name, deps] of Object.entries(s.dependentRequired)) {
      if (Array.isArray(deps)) flat.dependentRequired.set(name, [...(flat.dependentRequired.get(name) ?? []), ...deps.filter((d): d is string => typeof d === 'string')]);
    }
  }
  if (isSchemaObject(s.discriminator) && typeof s.discriminator.propertyName === 'string') {
    const mapping: Record<string, string> = {};
    if (isSchemaObject(s.discriminator.mapping)) {
      for (const [key, target] of Object.entries(s.discriminator.mapping)) if (typeof target === 'string') mapping[key] = target;
    }
    flat.discriminators.push({ propertyName: s.discriminator.propertyName, mapping, ...(owner !== undefined ? { owner } : {}) });
  }
  if (s.readOnly === true) flat.readOnly = true;
  if (s.writeOnly === true) flat.writeOnly = true;
  if ('example' in s && s.example !== undefined) flat.examples.push(s.example);
  if (Array.isArray(s.examples)) flat.examples.push(...(s.examples as unknown[]));
}

/** The JSON type names a value has ('integer' values are also 'number'). */
export function jsonTypesOf(value: unknown): string[] {
  if (value === null) return ['null'];
  if (Array.isArray(value)) return ['array'];
  if (typeof value === 'number') return Number.isInteger(value) ? ['integer', 'number'] : ['number'];
  if (typeof value === 'object') return ['object'];
  return [typeof value];
}
