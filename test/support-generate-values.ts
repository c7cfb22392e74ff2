// Shared by the generate-values tests: hand-made bundles and a run that re-proves every generated value.
import assert from 'node:assert/strict';
import { BUNDLE_ID } from '../src/model.js';
import type { Direction, Example, JsonSchema, SchemaBundle, SchemaHandle, SourceLocation } from '../src/model.js';
import { createValidator } from '../src/schema/validator.js';
import { createRandom } from '../src/generate/random.js';
import { validValues, type ValidValues } from '../src/generate/values.js';

export const FILE = '/specs/hand-made.yaml';

export function bundleOf(defs: Record<string, JsonSchema>): SchemaBundle {
  const origin = new WeakMap<object, SourceLocation>();
  for (const [key, schema] of Object.entries(defs)) {
    if (typeof schema === 'object') origin.set(schema, { file: FILE, pointer: `/components/schemas/${key}` });
  }
  return { root: { $id: BUNDLE_ID, $defs: defs }, origin, unknownFormats: [] };
}

export function handle(bundle: SchemaBundle, def: string): SchemaHandle {
  return { def, schema: bundle.root.$defs[def]!, location: { file: FILE, pointer: `/components/schemas/${def}` } };
}

export interface Run {
  result: ValidValues;
  values: unknown[];
}

/** Generates for defs[def] and re-proves every returned value with a validator of its own. */
export function run(defs: Record<string, JsonSchema>, def: string, opts: { max?: number; seed?: number; examples?: Example[]; direction?: Direction } = {}): Run {
  const bundle = bundleOf(defs);
  const direction = opts.direction ?? 'request';
  const ctx = { bundle, validator: createValidator(bundle), direction, random: createRandom(opts.seed ?? 7) };
  const result = validValues(handle(bundle, def), ctx, { max: opts.max ?? 12, ...(opts.examples ? { examples: opts.examples } : {}) });
  const checker = createValidator(bundle);
  for (const generated of result.values) {
    assert.deepEqual(checker.validate(handle(bundle, def), generated.value, direction), [], `not valid: ${JSON.stringify(generated.value)}`);
  }
  return { result, values: result.values.map((v) => v.value) };
}
