// The order of a run: producers before consumers, so that references are filled with what the server made.
import type { JsonSchema, Operation, SchemaBundle } from '../model.js';
import { isSchemaObject, resolveRef } from '../generate/shape.js';
import { collectionOf, referenceBase, singular } from './pool.js';

/** Deletes run after everything else; children's (more path parameters) before their parents'. */
const DELETE_BASE = 1000;

function pathParameters(op: Operation): number {
  return (op.path.match(/\{[^}]+\}/g) ?? []).length;
}

function resolved(bundle: SchemaBundle, schema: JsonSchema | undefined): JsonSchema | undefined {
  let s = schema;
  for (let i = 0; i < 10 && isSchemaObject(s) && typeof s['$ref'] === 'string'; i++) s = resolveRef(bundle, s['$ref'] as string);
  return s;
}

/** Names of the query parameters and top-level body members that look like references to another record. */
function referenceNames(op: Operation, bundle: SchemaBundle): string[] {
  const names = op.parameters.filter((p) => p.in === 'query').map((p) => p.name);
  for (const media of op.requestBody?.content ?? []) {
    const schema = resolved(bundle, media.schema?.schema);
    if (isSchemaObject(schema) && isSchemaObject(schema['properties'])) names.push(...Object.keys(schema['properties'] as object));
  }
  return names.filter((n) => referenceBase(n) !== undefined);
}

function isProducer(op: Operation): boolean {
  return op.method === 'post' || (op.method === 'get' && pathParameters(op) === 0);
}

/**
 * A level per operation; operations of one level run concurrently, levels one after the other.
 * Collections (fewer path parameters) come before their items and reads before writes; an operation whose
 * body or query names another collection's record ('customerId') comes after that collection's producers;
 * deletes come last.
 */
export function operationLevels(operations: Operation[], bundle: SchemaBundle): Map<Operation, number> {
  const levels = new Map<Operation, number>();
  for (const op of operations) {
    if (op.method === 'delete') levels.set(op, DELETE_BASE - pathParameters(op));
    else levels.set(op, pathParameters(op) * 2 + (op.method === 'put' || op.method === 'patch' ? 1 : 0));
  }
  const producers = operations.filter(isProducer);
  const refs = new Map(operations.map((op) => [op, referenceNames(op, bundle).map((n) => referenceBase(n)!.entity)]));
  // a few passes settle chains of references (an order's line needs the order, the order its customer)
  for (let pass = 0; pass < 4; pass++) {
    for (const op of operations) {
      if (op.method === 'delete') continue;
      for (const entity of refs.get(op)!) {
        for (const producer of producers) {
          if (producer === op) continue;
          const collection = collectionOf(producer.path);
          if (collection !== entity && singular(collection) !== entity) continue;
          if (collectionOf(op.path) === collection) continue;
          const wanted = levels.get(producer)! + 1;
          if (wanted > levels.get(op)! && wanted < DELETE_BASE / 2) levels.set(op, wanted);
        }
      }
    }
  }
  return levels;
}
