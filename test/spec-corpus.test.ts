import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ApiSpec, SchemaHandle } from '../src/model.js';
import { loadSpec } from '../src/spec/index.js';
import { createValidator } from '../src/schema/validator.js';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
const specs = path.resolve(projectRoot, '../shared/specs');
const manifest = JSON.parse(readFileSync(path.join(specs, 'manifest.json'), 'utf8')) as {
  documents: Array<{ path: string; operations: number; webhooks: number }>;
};

/** A handful of the spec's schema handles, spread over its operations. */
function sampleHandles(spec: ApiSpec, count: number): SchemaHandle[] {
  const all = spec.operations.flatMap((op) => [
    ...op.parameters.flatMap((p) => (p.schema ? [p.schema] : [])),
    ...(op.requestBody?.content ?? []).flatMap((content) => (content.schema ? [content.schema] : [])),
    ...op.responses.flatMap((response) => response.content.flatMap((content) => (content.schema ? [content.schema] : []))),
  ]);
  const step = Math.max(1, Math.floor(all.length / count));
  return all.filter((_, index) => index % step === 0).slice(0, count);
}

for (const document of manifest.documents) {
  test(`corpus: ${document.path} loads with ${document.operations} operations and compiles`, async () => {
    const spec = await loadSpec(path.join(specs, document.path));
    assert.equal(spec.operations.length, document.operations);
    const validator = createValidator(spec.schemas);
    for (const handle of sampleHandles(spec, 5)) {
      for (const direction of ['request', 'response'] as const) {
        const issues = validator.validate(handle, {}, direction);
        assert.ok(Array.isArray(issues));
        for (const issue of issues) assert.equal(typeof issue.keyword, 'string');
      }
    }
  });
}
