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

/** The seeded customer and a valid order for it: requests the clean server accepts as they stand. */
const SEEDED_CUSTOMER = '0b7c9a64-3c1f-4d55-9a57-3f2de2a1c2b1';
const ORDER = { customerId: SEEDED_CUSTOMER, items: [{ sku: 'KEY-0001', quantity: 2 }], deliverAfter: '2025-06-02T09:00:00Z' };

type Shown = Array<number | string | unknown[] | undefined>;

/**
 * Bugs that show only on a request the server otherwise accepts. `show` sends the accepted request first,
 * then the one change; the same observations are asserted on the misbehaving and on the clean server.
 */
const ON_ACCEPTED: Partial<Record<MisbehaveName, { show: (url: string) => Promise<Shown>; buggy: Shown; clean: Shown }>> = {
  'coerce-unknown-enum': {
    show: async (url) => {
      const accepted = await exampleRequest(url, 'POST', '/customers', { ...FULL, json: ADA });
      const unknown = await exampleRequest(url, 'POST', '/customers', { ...FULL, json: { ...ADA, tier: 'gold' } });
      const patched = await exampleRequest(url, 'PATCH', `/customers/${SEEDED_CUSTOMER}`, { ...FULL, json: { tier: 'gold' } });
      return [accepted.status, unknown.status, (unknown.json as Json)['tier'] as string | undefined, patched.status];
    },
    buggy: [201, 201, 'basic', 200],
    clean: [201, 422, undefined, 422],
  },
  'ignore-pattern': {
    show: async (url) => {
      const accepted = await exampleRequest(url, 'POST', '/customers', { ...FULL, json: { ...ADA, zip: '12345' } });
      const broken = await exampleRequest(url, 'POST', '/customers', { ...FULL, json: { ...ADA, zip: 'ABCDE' } });
      return [accepted.status, broken.status, (broken.json as Json)['zip'] as string | undefined];
    },
    buggy: [201, 201, 'ABCDE'],
    clean: [201, 422, undefined],
  },
  'accept-bad-date-time': {
    show: async (url) => {
      const accepted = await exampleRequest(url, 'POST', '/orders', { ...FULL, json: ORDER });
      const broken = await exampleRequest(url, 'POST', '/orders', { ...FULL, json: { ...ORDER, deliverAfter: '2025-02-30T09:00:00Z' } });
      return [accepted.status, broken.status, (broken.json as Json)['deliverAfter'] as string | undefined];
    },
    buggy: [201, 201, '2025-02-30T09:00:00Z'],
    clean: [201, 422, undefined],
  },
  'accept-empty-items': {
    show: async (url) => {
      const accepted = await exampleRequest(url, 'POST', '/orders', { ...FULL, json: ORDER });
      const empty = await exampleRequest(url, 'POST', '/orders', { ...FULL, json: { ...ORDER, items: [] } });
      return [accepted.status, empty.status, (empty.json as Json)['items'] as unknown[] | undefined];
    },
    buggy: [201, 201, []],
    clean: [201, 422, undefined],
  },
  'refuse-maximum': {
    show: async (url) => {
      const below = await exampleRequest(url, 'GET', '/products?limit=99');
      const statuses = [];
      for (const path of ['/products', '/customers', '/orders']) statuses.push((await exampleRequest(url, 'GET', `${path}?limit=100`, FULL)).status);
      return [below.status, ...statuses];
    },
    buggy: [200, 400, 400, 400],
    clean: [200, 200, 200, 200],
  },
  'refuse-null': {
    show: async (url) => {
      const { id } = await created(url, { ...ADA, zip: '12345' });
      const changed = await exampleRequest(url, 'PATCH', `/customers/${id}`, { ...FULL, json: { zip: '54321' } });
      const reset = await exampleRequest(url, 'PATCH', `/customers/${id}`, { ...FULL, json: { zip: null } });
      const order = await exampleRequest(url, 'POST', '/orders', { ...FULL, json: ORDER });
      const orderPath = `/orders/${String((order.json as Json)['id'])}`;
      const noDate = await exampleRequest(url, 'PATCH', orderPath, { ...FULL, json: { deliverAfter: null } });
      return [changed.status, reset.status, order.status, noDate.status];
    },
    buggy: [200, 400, 201, 400],
    clean: [200, 200, 201, 200],
  },
};

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
  'coerce-unknown-enum': onAccepted('coerce-unknown-enum'),
  'ignore-pattern': onAccepted('ignore-pattern'),
  'accept-bad-date-time': onAccepted('accept-bad-date-time'),
  'accept-empty-items': onAccepted('accept-empty-items'),
  'refuse-maximum': onAccepted('refuse-maximum'),
  'refuse-null': onAccepted('refuse-null'),
};

function onAccepted(name: MisbehaveName): (url: string) => Promise<void> {
  return async (url) => {
    const probe = ON_ACCEPTED[name]!;
    assert.deepEqual(await probe.show(url), probe.buggy);
  };
}

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

for (const [name, probe] of Object.entries(ON_ACCEPTED)) {
  test(`the clean server does not show the bug of ${name} on the same requests`, async () => {
    const server = await startExampleServer();
    try {
      assert.deepEqual(await probe.show(server.url), probe.clean);
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
