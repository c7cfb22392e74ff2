// The three contracts of the example API describe the same operations, match the server's routes, and hold
// only examples that are valid for their schemas. Read through src/spec's loadSpec, validated by src/schema.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ROUTES } from '../examples/api.js';
import { EXAMPLE_CONTRACTS } from '../examples/contracts.js';
import { MISBEHAVE_NAMES } from '../examples/misbehave.js';
import type { ApiSpec, Operation } from '../src/model.js';
import { createValidator } from '../src/schema/validator.js';
import { loadSpec } from '../src/spec/index.js';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

/** What must agree between versions: everything a contract tester plans from, in a comparable form. */
function outline(operation: Operation) {
  const body = operation.requestBody;
  return {
    id: operation.id,
    parameters: operation.parameters
      .map((parameter) => `${parameter.in} ${parameter.name}${parameter.required ? ' (required)' : ''} ${parameter.style}${parameter.explode ? ' explode' : ''}`)
      .sort(),
    statuses: operation.responses.map((response) => response.status).sort(),
    body: body && {
      required: body.required,
      media: body.content.map((media) => media.mediaType).sort(),
      formFields: body.content
        .filter((media) => media.mediaType === 'application/x-www-form-urlencoded')
        .flatMap((media) => Object.keys(((media.schema?.schema as { properties?: object } | undefined)?.properties ?? {}) as object))
        .sort(),
    },
    successHeaders: operation.responses
      .filter((response) => response.status.startsWith('2'))
      .map((response) => `${response.status}: ${response.headers.map((header) => header.name.toLowerCase()).sort().join(' ')}`),
    oauthScopes: operation.security.flatMap((requirement) => requirement.filter((scheme) => scheme.scheme === 'oauth2').flatMap((scheme) => scheme.scopes)),
    public: operation.security.length === 0 || operation.security.some((requirement) => requirement.length === 0),
  };
}

function outlines(spec: ApiSpec): Map<string, ReturnType<typeof outline>> {
  return new Map(spec.operations.map((operation) => [`${operation.method.toUpperCase()} ${operation.path}`, outline(operation)]));
}

const specs = Promise.all([loadSpec(EXAMPLE_CONTRACTS['3.1']), loadSpec(EXAMPLE_CONTRACTS['3.0']), loadSpec(EXAMPLE_CONTRACTS['2.0'])]);

test('the three contracts load as 3.1, 3.0 and 2.0 with 16 operations and no warnings', async () => {
  const loaded = await specs;
  assert.deepEqual(
    loaded.map((spec) => [spec.version, spec.operations.length, spec.warnings.length]),
    [
      ['3.1', 16, 0],
      ['3.0', 16, 0],
      ['2.0', 16, 0],
    ],
  );
});

test('OpenAPI 3.0 and Swagger 2.0 describe the same operations as OpenAPI 3.1', async () => {
  const [main, ...others] = await specs;
  const expected = outlines(main!);
  for (const other of others) {
    const actual = outlines(other);
    assert.deepEqual([...actual.keys()].sort(), [...expected.keys()].sort(), `${other.versionString}: operations`);
    for (const [key, value] of expected) assert.deepEqual(actual.get(key), value, `${other.versionString}: ${key}`);
  }
});

test('the server routes exactly the operations of the contract, with the same ids and public/scoped split', async () => {
  const [main] = await specs;
  const contract = [...outlines(main!)].map(([key, value]) => `${key} ${value.id} ${value.public ? 'public' : value.oauthScopes.join(',')}`).sort();
  const served = ROUTES.flatMap((route) =>
    Object.entries(route.methods).map(([method, operation]) => `${method} ${route.template} ${operation.id} ${operation.scope ?? 'public'}`),
  ).sort();
  assert.deepEqual(served, contract);
});

test('every example of a parameter or request body is valid for its schema, in each contract', async () => {
  for (const spec of await specs) {
    const validator = createValidator(spec.schemas);
    let checked = 0;
    for (const operation of spec.operations) {
      const described = [
        ...operation.parameters.map((parameter) => ({ schema: parameter.schema, examples: parameter.examples })),
        ...(operation.requestBody?.content ?? []).map((media) => ({ schema: media.schema, examples: media.examples })),
      ];
      for (const { schema, examples } of described) {
        for (const example of examples) {
          assert.ok(schema, `${spec.versionString} ${operation.id}: example without a schema`);
          assert.deepEqual(validator.validate(schema, example.value, 'request'), [], `${spec.versionString} ${example.location.pointer}`);
          checked += 1;
        }
      }
    }
    assert.ok(checked >= 5, `${spec.versionString}: ${checked} examples checked`);
  }
});

test('every example of a response (the documented error bodies) is valid for its schema, in each contract', async () => {
  for (const spec of await specs) {
    const validator = createValidator(spec.schemas);
    let checked = 0;
    for (const operation of spec.operations) {
      for (const media of operation.responses.flatMap((response) => response.content)) {
        for (const example of media.examples) {
          assert.ok(media.schema, `${spec.versionString} ${operation.id}: example without a schema`);
          assert.deepEqual(validator.validate(media.schema, example.value, 'response'), [], `${spec.versionString} ${example.location.pointer}`);
          checked += 1;
        }
      }
    }
    assert.ok(checked >= 5, `${spec.versionString}: ${checked} response examples checked`);
  }
});

test('examples/README.md describes every misbehave switch', () => {
  const readme = readFileSync(path.join(projectRoot, 'examples', 'README.md'), 'utf8');
  const missing = MISBEHAVE_NAMES.filter((name) => !readme.includes(`\`${name}\``));
  assert.deepEqual(missing, []);
});
