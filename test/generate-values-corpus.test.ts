import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Example, SchemaHandle } from '../src/model.js';
import { loadSpec } from '../src/spec/index.js';
import { createValidator } from '../src/schema/validator.js';
import { createRandom } from '../src/generate/random.js';
import { validValues } from '../src/generate/values.js';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
const specs = path.resolve(projectRoot, '../shared/specs');

const DOCUMENTS = [
  'corpus/openai/openapi.yaml',
  'corpus/docker-engine/v1.55.yaml',
  'corpus/twilio/twilio_api_v2010.yaml',
  'corpus/apis-guru/increase.com.json',
];

for (const document of DOCUMENTS) {
  test(`corpus: request-body and parameter schemas of ${document} get proven values`, async (t) => {
    const spec = await loadSpec(path.join(specs, document));
    const validator = createValidator(spec.schemas);
    const targets: Array<{ name: string; schema: SchemaHandle; examples: Example[] }> = [];
    for (const op of spec.operations) {
      for (const p of op.parameters) if (p.schema) targets.push({ name: `${op.id} ${p.in}.${p.name}`, schema: p.schema, examples: p.examples });
      for (const media of op.requestBody?.content ?? []) {
        if (media.schema) targets.push({ name: `${op.id} body ${media.mediaType}`, schema: media.schema, examples: media.examples });
      }
    }
    assert.ok(targets.length > 50, `${targets.length} schemas`);
    let proven = 0;
    let generated = 0;
    const failures: string[] = [];
    for (const target of targets) {
      const ctx = { bundle: spec.schemas, validator, direction: 'request' as const, random: createRandom(11) };
      const result = validValues(target.schema, ctx, { examples: target.examples, max: 3 });
      for (const { value } of result.values) assert.deepEqual(validator.validate(target.schema, value, 'request'), [], target.name);
      if (result.values.length > 0) proven++;
      else failures.push(`${target.name}: ${result.unsatisfied[0] ?? result.rejected[0]?.reason ?? 'no reason'}`);
      if (result.values.some((v) => v.source !== 'example')) generated++;
    }
    const share = (n: number): string => `${n}/${targets.length} (${((100 * n) / targets.length).toFixed(1)}%)`;
    t.diagnostic(`${document}: proven value for ${share(proven)}; generated (non-example) value for ${share(generated)}`);
    for (const failure of failures) t.diagnostic(`not satisfied: ${failure}`);
    assert.ok(proven / targets.length >= 0.95, `proven share ${share(proven)}`);
    assert.ok(generated / targets.length >= 0.9, `generated share ${share(generated)}`);
  });
}
