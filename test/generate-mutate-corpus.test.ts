import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ApiSpec, SchemaHandle, Validator } from '../src/model.js';
import { loadSpec } from '../src/spec/index.js';
import { createValidator } from '../src/schema/validator.js';
import { createRandom, validValues } from '../src/generate/values.js';
import { mutations, type Mutation } from '../src/generate/mutate.js';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
const specs = path.resolve(projectRoot, '../shared/specs');

const unescape = (token: string): string => token.replace(/~1/g, '/').replace(/~0/g, '~');

/** The mutated value with the broken spot put back from the valid value: must equal it, and be valid. */
function restored(m: Mutation, valid: unknown): unknown {
  const spot = m.member === undefined ? m.instancePath : `${m.instancePath}/${m.member.replace(/~/g, '~0').replace(/\//g, '~1')}`;
  if (spot === '') return structuredClone(valid);
  const tokens = spot.split('/').slice(1).map(unescape);
  const copy = structuredClone(m.value) as Record<string, unknown>;
  let target = copy;
  let source = valid as Record<string, unknown> | undefined;
  for (const token of tokens.slice(0, -1)) {
    target = target[token] as Record<string, unknown>;
    source = source?.[token] as Record<string, unknown> | undefined;
  }
  const last = tokens[tokens.length - 1]!;
  if (source !== undefined && Object.hasOwn(source, last)) target[last] = structuredClone(source[last]);
  else delete target[last];
  return copy;
}

function assertProven(validator: Validator, schema: SchemaHandle, valid: unknown, m: Mutation, where: string): void {
  const issues = validator.validate(schema, m.value, 'request');
  assert.ok(issues.some((i) => i.keyword === m.keyword && i.instancePath === m.instancePath), `${where}: ${m.description} not reported`);
  const back = restored(m, valid);
  assert.deepEqual(back, valid, `${where}: ${m.description} changed more than its spot`);
  assert.deepEqual(validator.validate(schema, back, 'request'), [], `${where}: ${m.description} restored is not valid`);
}

interface Survey {
  bodies: number;
  withoutValidValue: number;
  mutations: Record<string, number>;
  dropped: Record<string, number>;
}

/** Mutations over every request-body schema of a document, each one proven again here. */
function survey(spec: ApiSpec): Survey {
  const validator = createValidator(spec.schemas);
  const result: Survey = { bodies: 0, withoutValidValue: 0, mutations: {}, dropped: {} };
  for (const op of spec.operations) {
    for (const media of op.requestBody?.content ?? []) {
      if (!media.schema) continue;
      result.bodies++;
      const ctx = { bundle: spec.schemas, validator, direction: 'request' as const };
      const start = validValues(media.schema, { ...ctx, random: createRandom(7) }, { examples: media.examples, max: 1 }).values[0];
      if (!start) {
        result.withoutValidValue++;
        continue;
      }
      const first = mutations(media.schema, start.value, ctx);
      assert.deepEqual(mutations(media.schema, start.value, ctx), first, `${op.id}: not deterministic`);
      for (const m of first.mutations) {
        assertProven(validator, media.schema, start.value, m, `${op.id} ${media.mediaType}`);
        result.mutations[m.family] = (result.mutations[m.family] ?? 0) + 1;
      }
      for (const d of first.dropped) {
        assert.ok(d.reason.length > 0);
        const keyword = d.reason.split(' ')[0]!;
        result.dropped[keyword] = (result.dropped[keyword] ?? 0) + 1;
      }
    }
  }
  return result;
}

const total = (counts: Record<string, number>): number => Object.values(counts).reduce((a, b) => a + b, 0);

test('the example API: every request body yields proven mutations of many families', async (t) => {
  const spec = await loadSpec(path.resolve(projectRoot, 'examples/openapi.yaml'));
  const result = survey(spec);
  t.diagnostic(`examples/openapi.yaml ${JSON.stringify(result)}`);
  assert.ok(result.bodies > 0);
  assert.equal(result.withoutValidValue, 0);
  for (const family of ['required', 'type', 'null', 'length', 'enum', 'properties']) {
    assert.ok((result.mutations[family] ?? 0) > 0, `no ${family} mutation in ${JSON.stringify(result.mutations)}`);
  }
});

for (const document of ['corpus/openai/openapi.yaml', 'corpus/twilio/twilio_api_v2010.yaml']) {
  test(`corpus ${document}: mutations over every request body, each proven`, async (t) => {
    const spec = await loadSpec(path.resolve(specs, document));
    const result = survey(spec);
    t.diagnostic(`${document} ${JSON.stringify(result)}`);
    assert.ok(result.bodies > 0);
    assert.ok(total(result.mutations) > result.bodies, JSON.stringify(result));
  });
}
