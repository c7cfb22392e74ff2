import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { checks, runChecks, selectChecks } from '../src/check/registry.js';
import { InputError } from '../src/errors.js';
import type { ApiSpec, CheckContext } from '../src/model.js';
import { createValidator } from '../src/schema/validator.js';
import { loadSpec } from '../src/spec/index.js';
import { caseFor, exchangeFor, startAnswerServer } from './support-check-tester.js';

const spec = `
openapi: 3.0.3
info: { title: Pets, version: '1' }
paths:
  /pets:
    get:
      operationId: listPets
      responses:
        '200':
          description: the pets
          content:
            application/json:
              schema: { type: array, items: { type: object, required: [id], properties: { id: { type: integer } } } }
`;

describe('check registry', () => {
  let directory = '';
  let ctx: CheckContext;
  let loaded: ApiSpec;

  before(async () => {
    directory = await mkdtemp(path.join(os.tmpdir(), 'check-registry-'));
    const file = path.join(directory, 'openapi.yaml');
    await writeFile(file, spec);
    loaded = await loadSpec(file);
    ctx = { spec: loaded, validator: createValidator(loaded.schemas) };
  });
  after(() => rm(directory, { recursive: true, force: true }));

  it('lists every check once, with the id of its file', () => {
    const ids = checks.map((c) => c.id);
    assert.deepEqual([...ids].sort(), [
      'auth-required',
      'auth-scope',
      'content-type',
      'create-not-readable',
      'error-status-member',
      'html-response',
      'location-broken',
      'method-not-allowed',
      'negative-accepted',
      'no-body',
      'positive-rejected',
      'problem-details',
      'proxy-error-page',
      'public-operation',
      'rate-limit',
      'response-headers',
      'response-schema',
      'server-error',
      'status-documented',
      'transport',
      'unknown-path',
      'update-not-persisted',
      'use-after-delete',
    ]);
    for (const check of checks) assert.ok(check.description.length > 0, check.id);
  });

  it('selects all, some, or all but some', () => {
    assert.equal(selectChecks().length, checks.length);
    assert.equal(selectChecks([]).length, checks.length);
    assert.deepEqual(selectChecks(['no-body', 'server-error']).map((c) => c.id), ['server-error', 'no-body']);
    assert.deepEqual(selectChecks(undefined, ['transport']).map((c) => c.id), checks.map((c) => c.id).filter((id) => id !== 'transport'));
    assert.deepEqual(selectChecks(['transport', 'no-body'], ['transport']).map((c) => c.id), ['no-body']);
  });

  it('names an unknown check id and the option it came from', () => {
    assert.throws(() => selectChecks(['server-eror']), (error: unknown) => error instanceof InputError && /--checks: unknown check 'server-eror'/.test(error.message));
    assert.throws(() => selectChecks(undefined, ['nope']), (error: unknown) => error instanceof InputError && /--exclude-checks: unknown check 'nope'/.test(error.message));
  });

  it('fills check, category, severity, operation and exchange, and lists the checks that applied', async () => {
    const server = await startAnswerServer({ status: 200, json: [{ id: 'x' }, { id: 2 }] });
    try {
      const exchange = await exchangeFor(caseFor(loaded, { name: 'bad id', operation: 'listPets', answer: { status: 200 } }), server.url);
      const { findings, ran } = runChecks(exchange, ctx, selectChecks());
      // listPets has no security requirement, so public-operation watches its positive cases too.
      assert.deepEqual(ran, ['transport', 'server-error', 'status-documented', 'content-type', 'response-schema', 'public-operation']);
      assert.equal(findings.length, 1);
      const [finding] = findings;
      assert.ok(finding);
      assert.equal(finding.check, 'response-schema');
      assert.equal(finding.category, 'response-schema');
      assert.equal(finding.severity, 'error');
      assert.equal(finding.operation, 'listPets');
      assert.equal(finding.exchange, exchange);
      assert.match(finding.message, /body\/0\/id must be integer/);
    } finally {
      await server.close();
    }
  });

  it('uses the draft severity over the default, and runs only what applies to a transport failure', async () => {
    const server = await startAnswerServer({ status: 200, reset: true });
    await server.close();
    const exchange = await exchangeFor(caseFor(loaded, { name: 'refused', operation: 'listPets', answer: { status: 200 } }), server.url);
    const { findings, ran } = runChecks(exchange, ctx, selectChecks());
    assert.deepEqual(ran, ['transport']);
    assert.equal(findings[0]?.check, 'transport');
    assert.equal(findings[0]?.severity, 'error');

    const deleteServer = await startAnswerServer({ status: 400 });
    try {
      const negative = await exchangeFor(caseFor(loaded, { name: 'no 4xx documented', operation: 'listPets', kind: 'negative', answer: { status: 400 } }), deleteServer.url);
      const result = runChecks(negative, ctx, selectChecks(['status-documented']));
      assert.equal(result.findings[0]?.severity, 'warning');
    } finally {
      await deleteServer.close();
    }
  });
});
