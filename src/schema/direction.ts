import { BUNDLE_ID } from '../model.js';
import type { Direction, JsonSchema, SchemaBundle } from '../model.js';
import type { DirectionRoot } from './validator.js';

type SchemaObject = { [key: string]: unknown };

const HIDDEN_BY: Record<Direction, 'readOnly' | 'writeOnly'> = { request: 'readOnly', response: 'writeOnly' };
const SCHEMA_MAP_KEYWORDS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);
const SCHEMA_LIST_KEYWORDS = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);
const SCHEMA_KEYWORDS = new Set([
  'items', 'additionalItems', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains', 'propertyNames',
  'unevaluatedProperties', 'unevaluatedItems',
]);

function isObject(value: unknown): value is SchemaObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The bundle as seen in one direction: members marked readOnly (request) or writeOnly (response) are dropped
 * from `required`. When nothing is marked, the bundle's own root is used as is.
 */
export function directionalRoot(root: SchemaBundle['root'], direction: Direction): DirectionRoot {
  const mark = HIDDEN_BY[direction];
  const defs = root.$defs;
  const isHidden = (schema: unknown): boolean => hiddenMember(schema, mark, defs, 0);
  if (!anyHiddenRequired(root, isHidden)) {
    return { id: root.$id, schema: root, originalOf: (schema) => schema };
  }
  const originals = new WeakMap<object, object>();
  const copy = copySchema(root, isHidden, originals) as SchemaObject;
  const id = `${BUNDLE_ID}:${direction}`;
  copy.$id = id;
  return { id, schema: copy, originalOf: (schema) => originals.get(schema) ?? schema };
}

/** true when the member's schema (directly, through a $ref, or an allOf part) carries the mark */
function hiddenMember(schema: unknown, mark: string, defs: Record<string, JsonSchema>, depth: number): boolean {
  if (!isObject(schema) || depth > 8) return false;
  if (schema[mark] === true) return true;
  const ref = schema.$ref;
  if (typeof ref === 'string' && ref.startsWith('#/$defs/')) {
    const key = decodeURIComponent(ref.slice('#/$defs/'.length)).replace(/~1/g, '/').replace(/~0/g, '~');
    if (hiddenMember(defs[key], mark, defs, depth + 1)) return true;
  }
  const parts = schema.allOf;
  return Array.isArray(parts) && parts.some((part) => hiddenMember(part, mark, defs, depth + 1));
}

function requiredToDrop(schema: SchemaObject, isHidden: (schema: unknown) => boolean): Set<string> {
  const dropped = new Set<string>();
  const properties = schema.properties;
  if (!Array.isArray(schema.required) || !isObject(properties)) return dropped;
  for (const name of schema.required) {
    if (typeof name === 'string' && isHidden(properties[name])) dropped.add(name);
  }
  return dropped;
}

function anyHiddenRequired(schema: unknown, isHidden: (schema: unknown) => boolean): boolean {
  let found = false;
  forEachSubschema(schema, (sub) => {
    if (!found && requiredToDrop(sub, isHidden).size > 0) found = true;
  }, new Set());
  return found;
}

function forEachSubschema(schema: unknown, visit: (schema: SchemaObject) => void, seen: Set<object>): void {
  if (!isObject(schema) || seen.has(schema)) return;
  seen.add(schema);
  visit(schema);
  for (const [key, value] of Object.entries(schema)) {
    if (SCHEMA_MAP_KEYWORDS.has(key) && isObject(value)) {
      for (const sub of Object.values(value)) forEachSubschema(sub, visit, seen);
    } else if (SCHEMA_LIST_KEYWORDS.has(key) && Array.isArray(value)) {
      for (const sub of value) forEachSubschema(sub, visit, seen);
    } else if (SCHEMA_KEYWORDS.has(key)) {
      if (Array.isArray(value)) for (const sub of value) forEachSubschema(sub, visit, seen);
      else forEachSubschema(value, visit, seen);
    }
  }
}

/** Copies schema objects (never values such as enum or default), remembering each copy's original. */
function copySchema(schema: unknown, isHidden: (schema: unknown) => boolean, originals: WeakMap<object, object>): unknown {
  if (!isObject(schema)) return schema;
  const copy: SchemaObject = {};
  const copyOne = (sub: unknown): unknown => copySchema(sub, isHidden, originals);
  for (const [key, value] of Object.entries(schema)) {
    if (SCHEMA_MAP_KEYWORDS.has(key) && isObject(value)) {
      copy[key] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, copyOne(sub)]));
    } else if ((SCHEMA_LIST_KEYWORDS.has(key) || SCHEMA_KEYWORDS.has(key)) && Array.isArray(value)) {
      copy[key] = value.map(copyOne);
    } else if (SCHEMA_KEYWORDS.has(key)) {
      copy[key] = copyOne(value);
    } else {
      copy[key] = value;
    }
  }
  const dropped = requiredToDrop(schema, isHidden);
  if (dropped.size > 0) copy.required = (schema.required as unknown[]).filter((name) => !dropped.has(name as string));
  originals.set(copy, schema);
  return copy;
}
