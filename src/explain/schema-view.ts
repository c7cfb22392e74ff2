// What explain needs from a converted schema beyond parsing (generate/parse.ts): an example to offer as a
// fix, and the schema a rule pointer belongs to (for "did you mean" among its members).
import type { JsonSchema, SchemaBundle, SourceLocation } from '../model.js';
import { isSchemaObject, resolveRef, type SchemaObject } from '../generate/shape.js';
import { schemaAt } from '../schema/by-place.js';

const MAX_DEPTH = 16;

/** The schema objects a value must satisfy together: $ref followed, allOf expanded. */
export function constituents(schema: JsonSchema | undefined, bundle: SchemaBundle, depth = 0): SchemaObject[] {
  if (!isSchemaObject(schema) || depth > MAX_DEPTH) return [];
  const found: SchemaObject[] = [schema];
  if (typeof schema['$ref'] === 'string') found.push(...constituents(resolveRef(bundle, schema['$ref']), bundle, depth + 1));
  if (Array.isArray(schema['allOf'])) {
    for (const part of schema['allOf']) found.push(...constituents(part as JsonSchema, bundle, depth + 1));
  }
  return found;
}

/** First example a schema gives for itself (example, examples[0], default, const, enum[0]). */
export function exampleOf(schema: JsonSchema | undefined, bundle: SchemaBundle): { value: unknown } | undefined {
  for (const part of constituents(schema, bundle)) {
    if ('example' in part) return { value: part['example'] };
    if (Array.isArray(part['examples']) && part['examples'].length > 0) return { value: part['examples'][0] };
    if ('default' in part) return { value: part['default'] };
    if ('const' in part) return { value: part['const'] };
    if (Array.isArray(part['enum']) && part['enum'].length > 0) return { value: part['enum'][0] };
  }
  return undefined;
}

/** Schema objects of the bundle by their place in the original document (the index is built once per bundle). */
export function schemaIndex(bundle: SchemaBundle): (location: SourceLocation) => SchemaObject | undefined {
  return (location) => {
    const found = schemaAt(bundle, location);
    return found && isSchemaObject(found) ? found : undefined;
  };
}

/** The schema holding a keyword, from the keyword's own location ('…/properties/zip/pattern' → '…/properties/zip'). */
export function parentLocation(rule: SourceLocation): SourceLocation {
  return { file: rule.file, pointer: rule.pointer.slice(0, rule.pointer.lastIndexOf('/')) };
}
