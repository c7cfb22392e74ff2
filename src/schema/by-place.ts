import type { SchemaBundle, SourceLocation } from '../model.js';

type SchemaObject = Record<string, unknown>;

// One index per bundle, built on first use: messages look schemas up by their place in the document.
const indexes = new WeakMap<SchemaBundle, Map<string, SchemaObject>>();

function indexOf(bundle: SchemaBundle): Map<string, SchemaObject> {
  let byPlace = indexes.get(bundle);
  if (byPlace) return byPlace;
  byPlace = new Map();
  const seen = new Set<object>();
  const pending: unknown[] = Object.values(bundle.root.$defs);
  while (pending.length > 0) {
    const node = pending.pop();
    if (typeof node !== 'object' || node === null || seen.has(node)) continue;
    seen.add(node);
    const origin = bundle.origin.get(node);
    if (origin && !Array.isArray(node)) {
      const key = `${origin.file}#${origin.pointer}`;
      if (!byPlace.has(key)) byPlace.set(key, node as SchemaObject);
    }
    pending.push(...(Array.isArray(node) ? node : Object.values(node)));
  }
  indexes.set(bundle, byPlace);
  return byPlace;
}

/** The converted schema object written at a place of the original document, if the bundle holds it. */
export function schemaAt(bundle: SchemaBundle, location: SourceLocation): SchemaObject | undefined {
  return indexOf(bundle).get(`${location.file}#${location.pointer}`);
}
