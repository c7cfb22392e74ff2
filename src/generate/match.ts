// A rough "could this value match that schema?" used only to steer generation (oneOf exclusivity, `not`).
// It errs towards "matches": the validator, not this, proves a value.
import type { JsonSchema, SchemaBundle } from '../model.js';
import { canonicalJson, isJsonSchema, isSchemaObject, jsonTypesOf, resolveRef } from './shape.js';

const MAX_DEPTH = 12;

const FORMAT_SHAPES: Record<string, RegExp> = {
  date: /^\d{4}-\d{2}-\d{2}$/,
  'date-time': /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:?\d{2})$/,
  time: /^\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:?\d{2})$/,
  uuid: /^(urn:uuid:)?[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$/i,
  email: /^[^@\s]+@[^@\s]+\.[^@\s]+$/,
  ipv4: /^(\d{1,3}\.){3}\d{1,3}$/,
  ipv6: /^[0-9a-f:.]+$/i,
  uri: /^[a-z][a-z0-9+.-]*:/i,
};

export function patternMatches(pattern: string, text: string): boolean | undefined {
  for (const flags of ['u', '']) {
    try {
      return new RegExp(pattern, flags).test(text);
    } catch {
      // try without the unicode flag
    }
  }
  return undefined;
}

export function mayMatch(schema: JsonSchema, value: unknown, bundle: SchemaBundle, depth = 0): boolean {
  if (schema === true) return true;
  if (schema === false) return false;
  if (depth > MAX_DEPTH) return true;
  const s = schema;
  const deeper = (sub: unknown, v: unknown): boolean => !isJsonSchema(sub) || mayMatch(sub, v, bundle, depth + 1);
  if (typeof s.$ref === 'string') {
    const target = resolveRef(bundle, s.$ref);
    if (target !== undefined && !mayMatch(target, value, bundle, depth + 1)) return false;
  }
  if (Array.isArray(s.allOf) && !s.allOf.every((part) => deeper(part, value))) return false;
  if (Array.isArray(s.anyOf) && !s.anyOf.some((part) => deeper(part, value))) return false;
  if (Array.isArray(s.oneOf) && !s.oneOf.some((part) => deeper(part, value))) return false;
  const actual = jsonTypesOf(value);
  if (typeof s.type === 'string' || Array.isArray(s.type)) {
    const types = Array.isArray(s.type) ? s.type : [s.type];
    if (!types.some((t) => typeof t === 'string' && actual.includes(t))) return false;
  }
  if ('const' in s && canonicalJson(s.const) !== canonicalJson(value)) return false;
  if (Array.isArray(s.enum) && !s.enum.some((v) => canonicalJson(v) === canonicalJson(value))) return false;
  if (typeof value === 'string') return stringMayMatch(s, value);
  if (typeof value === 'number') return numberMayMatch(s, value);
  if (Array.isArray(value)) {
    if (typeof s.minItems === 'number' && value.length < s.minItems) return false;
    if (typeof s.maxItems === 'number' && value.length > s.maxItems) return false;
    const prefix = Array.isArray(s.prefixItems) ? s.prefixItems : [];
    return value.slice(0, 5).every((item, i) => deeper(i < prefix.length ? prefix[i] : s.items, item));
  }
  if (isSchemaObject(value)) return objectMayMatch(s, value, deeper);
  return true;
}

function stringMayMatch(s: { [key: string]: unknown }, value: string): boolean {
  const length = [...value].length;
  if (typeof s.minLength === 'number' && length < s.minLength) return false;
  if (typeof s.maxLength === 'number' && length > s.maxLength) return false;
  if (typeof s.pattern === 'string' && patternMatches(s.pattern, value) === false) return false;
  const shape = typeof s.format === 'string' ? FORMAT_SHAPES[s.format] : undefined;
  return shape === undefined || shape.test(value);
}

function numberMayMatch(s: { [key: string]: unknown }, value: number): boolean {
  if (typeof s.minimum === 'number' && value < s.minimum) return false;
  if (typeof s.maximum === 'number' && value > s.maximum) return false;
  if (typeof s.exclusiveMinimum === 'number' && value <= s.exclusiveMinimum) return false;
  if (typeof s.exclusiveMaximum === 'number' && value >= s.exclusiveMaximum) return false;
  if (typeof s.multipleOf === 'number' && s.multipleOf > 0 && !Number.isInteger(value / s.multipleOf)) return false;
  return true;
}

function objectMayMatch(
  s: { [key: string]: unknown },
  value: { [key: string]: unknown },
  deeper: (sub: unknown, v: unknown) => boolean,
): boolean {
  if (Array.isArray(s.required) && !s.required.every((name) => typeof name === 'string' && name in value)) return false;
  const properties = isSchemaObject(s.properties) ? s.properties : {};
  for (const [name, member] of Object.entries(value)) {
    if (name in properties) {
      if (!deeper(properties[name], member)) return false;
    } else if (s.additionalProperties === false && !isSchemaObject(s.patternProperties)) {
      return false;
    }
  }
  const count = Object.keys(value).length;
  if (typeof s.minProperties === 'number' && count < s.minProperties) return false;
  if (typeof s.maxProperties === 'number' && count > s.maxProperties) return false;
  return true;
}
