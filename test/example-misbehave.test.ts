// Each misbehave switch changes the example server's answer the way examples/README.md describes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { exampleRequest } from '../examples/client.js';
import { MISBEHAVE_NAMES, startExampleServer, type MisbehaveName } from '../examples/server.js';
import { InputError } from '../src/errors.js';

type Json = Record<string, unknown>;

const FULL = { token: 'full-token' };
const ADA = { name: 'Ada Lovelace', email: 'ada@example.com', age: 36, tier: 'pro' };

async function created(url: string, body: unknown = ADA): Promise<{ id: string; location: string | undefined }> {
  const answer = await exampleRequest(url, 'POST', '/customers', { ...FULL, json: body });
  assert.equal(answer.status, 201, `setup: create a customer (${answer.text})`);
  return { id: String((answer.json as Json)['id']), location: answer.headers['location'] };
}

const PROBES: Record<MisbehaveName, (url: string) => Promise<void>> = {
  '500-on-missing-member': async (url) => {
    const answer = await exampleRequest(url, 'POST', '/customers', { ...FULL, json: { name: 'Ada' } });
    assert.deepEqual([answer.status, answer.headers['content-type'], /TypeError/.test(answer.text)], [500, 'text/plain; charset=utf-8', true]);
  },
  'html-error-page': async (url) => {
    const answer = await exampleRequest(url, 'POST', '/customers', { ...FULL, json: { ...ADA, age: 151 } });
    assert.deepEqual([answer.status, answer.headers['content-type']], [422, 'text/html; charset=utf-8']);
  },
  'problem-status-mismatch': async (url) => {
    const answer = await exampleRequest(url, 'GET', '/nope');
    assert.deepEqual([answer.status, (answer.json as Json)['status']], [404, 400]);
  },
  'problem-status-string': async (url) => {
    const answer = await exampleRequest(url, 'GET', '/nope');
    assert.equal((answer.json as Json)['status'], '404');
  },
  'error-as-json': async (url) => {
    const answer = await exampleRequest(url, 'GET', '/nope');
    assert.deepEqual([answer.status, answer.headers['content-type']], [404, 'application/json']);
  },
  'google-envelope': async (url) => {
    const answer = await exampleRequest(url, 'POST', '/customers', { ...FULL, json: { ...ADA, age: 151 } });
    const envelope = answer.json as { error?: { code?: number; errors?: Array<{ location?: string }> } };
    assert.deepEqual([answer.status, envelope.error?.code, envelope.error?.errors?.[0]?.location], [422, 422, '/age']);
  },
  'google-code-mismatch': async (url) => {
    const answer = await exampleRequest(url, 'GET', '/nope');
    const envelope = answer.json as { error?: { code?: number } };
    assert.deepEqual([answer.status, answer.headers['content-type'], envelope.error?.code], [404, 'application/json', 400]);
  },
  'accept-out-of-range': async (url) => {
    const create = await exampleRequest(url, 'POST', '/customers', { ...FULL, json: { ...ADA, age: 151 } });
    const list = await exampleRequest(url, 'GET', '/customers?limit=1000', FULL);
    assert.deepEqual([create.status, list.status], [201, 200]);
  },
  'accept-bad-format': async (url) => {
    const create = await exampleRequest(url, 'POST', '/customers', { ...FULL, json: { ...ADA, email: 'not-an-email', zip: 'ABCDE', birthday: '2023-02-30' } });
    assert.equal(create.status, 201, create.text);
  },
  'accept-unknown-member': async (url) => {
    const create = await exampleRequest(url, 'POST', '/customers', { ...FULL, json: { ...ADA, nickname: 'Ada' } });
    assert.deepEqual([create.status, (create.json as Json)['nickname']], [201, undefined]);
  },
  'missing-required-response-member': async (url) => {
    const { id } = await created(url);
    const answer = await exampleRequest(url, 'GET', `/customers/${id}`, FULL);
    assert.deepEqual([answer.status, Object.hasOwn(answer.json as Json, 'email')], [200, false]);
  },
  'wrong-response-type': async (url) => {
    const { id } = await created(url);
    const answer = await exampleRequest(url, 'GET', `/customers/${id}`, FULL);
    assert.equal((answer.json as Json)['age'], '36');
  },
  'wrong-content-type': async (url) => {
    const answer = await exampleRequest(url, 'GET', '/health');
    assert.deepEqual([answer.status, answer.headers['content-type'], answer.json], [200, 'text/plain; charset=utf-8', { status: 'ok' }]);
  },
  'undocumented-status': async (url) => {
    assert.equal((await exampleRequest(url, 'GET', '/customers', FULL)).status, 206);
  },
  'no-location': async (url) => {
    assert.equal((await created(url)).location, undefined);
  },
  'body-on-204': async (url) => {
    const { id } = await created(url);
    const answer = await exampleRequest(url, 'DELETE', `/customers/${id}`, FULL);
    assert.deepEqual([answer.status, answer.json], [204, { deleted: true, id }]);
  },
  'int32-overflow-500': async (url) => {
    const create = await exampleRequest(url, 'POST', '/customers', { ...FULL, json: { ...ADA, age: 2147483648 } });
    const list = await exampleRequest(url, 'GET', '/products?limit=2147483648');
    assert.deepEqual([create.status, list.status], [500, 500]);
  },
  'reject-valid-unicode': async (url) => {
    const answer = await exampleRequest(url, 'POST', '/customers', { ...FULL, json: { ...ADA, name: 'Zoë Ünal' } });
    assert.equal(answer.status, 400);
  },
  '403-for-missing-token': async (url) => {
    assert.equal((await exampleRequest(url, 'GET', '/customers')).status, 403);
  },
  'no-www-authenticate': async (url) => {
    const answer = await exampleRequest(url, 'GET', '/customers');
    assert.deepEqual([answer.status, answer.headers['www-authenticate']], [401, undefined]);
  },
  '405-without-allow': async (url) => {
    const answer = await exampleRequest(url, 'PUT', '/customers', FULL);
    assert.deepEqual([answer.status, answer.headers['allow']], [405, undefined]);
  },
  'html-404': async (url) => {
    const answer = await exampleRequest(url, 'GET', '/nope');
    assert.deepEqual([answer.status, answer.headers['content-type']], [404, 'text/html; charset=utf-8']);
  },
  'any-token-accepted': async (url) => {
    assert.equal((await exampleRequest(url, 'GET', '/customers', { token: 'made-up' })).status, 200);
  },
  'scopes-ignored': async (url) => {
    assert.equal((await exampleRequest(url, 'POST', '/customers', { token: 'read-token', json: ADA })).status, 201);
  },
  'public-requires-auth': async (url) => {
    assert.equal((await exampleRequest(url, 'GET', '/health')).status, 401);
  },
  'deleted-still-readable': async (url) => {
    const { id } = await created(url);
    assert.equal((await exampleRequest(url, 'DELETE', `/customers/${id}`, FULL)).status, 204, 'setup: delete');
    assert.equal((await exampleRequest(url, 'GET', `/customers/${id}`, FULL)).status, 200);
  },
  'created-not-readable': async (url) => {
    const { id } = await created(url);
    assert.equal((await exampleRequest(url, 'GET', `/customers/${id}`, FULL)).status, 404);
  },
  'patch-not-persisted': async (url) => {
    const { id } = await created(url);
    const patched = await exampleRequest(url, 'PATCH', `/customers/${id}`, { ...FULL, json: { tier: 'enterprise' } });
    const readBack = await exampleRequest(url, 'GET', `/customers/${id}`, FULL);
    assert.deepEqual([patched.status, (patched.json as Json)['tier'], (readBack.json as Json)['tier']], [200, 'enterprise', 'pro']);
  },
  'location-broken': async (url) => {
    const { location } = await created(url);
    assert.equal((await exampleRequest(url, 'GET', location ?? '/', FULL)).status, 404);
  },
  'wrong-json-500': async (url) => {
    const answer = await exampleRequest(url, 'POST', '/customers', { ...FULL, headers: { 'content-type': 'application/json' }, body: '{"name":' });
    assert.equal(answer.status, 500);
  },
  'ignore-content-type': async (url) => {
    const answer = await exampleRequest(url, 'POST', '/customers', { ...FULL, headers: { 'content-type': 'text/plain' }, body: JSON.stringify(ADA) });
    assert.equal(answer.status, 201);
  },
};

for (const name of MISBEHAVE_NAMES) {
  test(`--misbehave ${name}`, async () => {
    const server = await startExampleServer({ misbehave: [name] });
    try {
      await PROBES[name](server.url);
    } finally {
      await server.close();
    }
  });
}

test('switches combine, comma-separated or listed', async () => {
  const server = await startExampleServer({ misbehave: ['html-404,no-www-authenticate', 'undocumented-status'] });
  try {
    assert.deepEqual([...server.misbehave].sort(), ['html-404', 'no-www-authenticate', 'undocumented-status']);
  } finally {
    await server.close();
  }
});

test('an unknown switch is an InputError naming it', async () => {
  await assert.rejects(startExampleServer({ misbehave: ['accept-everything'] }), (error: unknown) => {
    return error instanceof InputError && /--misbehave: unknown switch "accept-everything"/.test(error.message);
  });
});
