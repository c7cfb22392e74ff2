// The business rules of the example API: the clean server refuses a schema-valid request that breaks one with
// the status, description and example problem its three contracts document, and accepts the valid one next to
// it. And every example request of the contracts is accepted by a clean server as it stands.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { exampleRequest, type ExampleAnswer, type ExampleRequestOptions } from '../examples/client.js';
import { EXAMPLE_CONTRACTS } from '../examples/contracts.js';
import { startExampleServer, type ExampleServer } from '../examples/server.js';
import { SEED } from '../examples/store.js';
import type { ApiSpec, Operation } from '../src/model.js';
import { createValidator } from '../src/schema/validator.js';
import { loadSpec } from '../src/spec/index.js';

type Json = Record<string, unknown>;

const specs = Promise.all([loadSpec(EXAMPLE_CONTRACTS['3.1']), loadSpec(EXAMPLE_CONTRACTS['3.0']), loadSpec(EXAMPLE_CONTRACTS['2.0'])]);

const FULL = { token: 'full-token' };
/** The server's clock: 2025-06-01 12:00 UTC, so "today" is 2025-06-01 and "tomorrow" 2025-06-02. */
const NOW = Date.parse('2025-06-01T12:00:00Z');
const ADA_ID = SEED.customers[0]!.id;
const DRAFT_ORDER_ID = SEED.orders[0]!.id;
const UNKNOWN_ID = '7d2f0c1e-0000-4000-8000-000000000000';
const ADA = { name: 'Ada Lovelace', email: 'ada@example.com', age: 36, tier: 'pro', zip: '12345', birthday: '1815-12-10', tags: ['vip'] };
const ORDER = { customerId: ADA_ID, items: [{ sku: 'KEY-0001', quantity: 2 }] };

function operationOf(spec: ApiSpec, id: string): Operation {
  const operation = spec.operations.find((candidate) => candidate.id === id);
  assert.ok(operation, `${spec.versionString}: operation ${id}`);
  return operation;
}

function issuePlaces(problem: unknown): Array<string | undefined> {
  const errors = ((problem as Json | undefined)?.['errors'] ?? []) as Array<{ pointer?: string; name?: string }>;
  return errors.map((issue) => issue.pointer ?? issue.name);
}

/**
 * The answer is documented for this operation in all three contracts: its status, a description that states
 * the rule, a body valid for the documented schema, and a documented example with the same problem type that
 * points at the same places.
 */
async function assertDocumented(answer: ExampleAnswer, operationId: string, rule: RegExp): Promise<Json> {
  const problem = answer.json as Json;
  for (const spec of await specs) {
    const where = `${spec.versionString} ${operationId} ${answer.status}`;
    const response = operationOf(spec, operationId).responses.find((candidate) => candidate.status === String(answer.status));
    assert.ok(response, `${where}: status documented`);
    assert.match(response.description, rule, `${where}: the description states the rule`);
    const media = response.content.find((candidate) => candidate.mediaType === answer.headers['content-type']);
    assert.ok(media?.schema, `${where}: ${answer.headers['content-type']} documented`);
    assert.deepEqual(createValidator(spec.schemas).validate(media.schema, problem, 'response'), [], `${where}: body valid (${answer.text})`);
    const example = media.examples.map((candidate) => candidate.value as Json).find((value) => value['type'] === problem['type']);
    assert.ok(example, `${where}: an example of ${String(problem['type'])} (${media.examples.map((candidate) => (candidate.value as Json)['type']).join(', ')})`);
    assert.deepEqual(issuePlaces(problem), issuePlaces(example), `${where}: errors point where the example's do`);
  }
  return problem;
}

let server: ExampleServer;
before(async () => {
  server = await startExampleServer({ clock: () => NOW });
});
after(async () => {
  await server.close();
});

function send(method: string, path: string, options: ExampleRequestOptions = {}): Promise<ExampleAnswer> {
  return exampleRequest(server.url, method, path, options);
}

async function createdId(path: string, json: unknown): Promise<string> {
  const answer = await send('POST', path, { ...FULL, json });
  assert.equal(answer.status, 201, `setup: POST ${path} (${answer.text})`);
  return String((answer.json as Json)['id']);
}

describe('a date that must not be in the future', () => {
  test('POST /customers with tomorrow as birthday: 422 date-in-future at /birthday; today is accepted', async () => {
    const refused = await send('POST', '/customers', { ...FULL, json: { ...ADA, birthday: '2025-06-02' } });
    assert.equal(refused.status, 422, refused.text);
    const problem = await assertDocumented(refused, 'createCustomer', /birthday` must not be in the future/);
    assert.equal(problem['type'], 'https://shop.example.com/problems/date-in-future');
    assert.equal((await send('POST', '/customers', { ...FULL, json: { ...ADA, birthday: '2025-06-01' } })).status, 201);
  });

  test('PATCH /customers/{customerId} with a future birthday: 422 date-in-future; a past one or null is saved', async () => {
    const path = `/customers/${await createdId('/customers', ADA)}`;
    const refused = await send('PATCH', path, { ...FULL, json: { birthday: '2031-01-01' } });
    assert.equal(refused.status, 422, refused.text);
    await assertDocumented(refused, 'updateCustomer', /birthday` must not be in the future/);
    assert.equal(((await send('GET', path, FULL)).json as Json)['birthday'], '1815-12-10', 'the refused change is not saved');
    assert.equal((await send('PATCH', path, { ...FULL, json: { birthday: '1990-05-17' } })).status, 200);
    assert.equal((await send('PATCH', path, { ...FULL, json: { birthday: null } })).status, 200);
  });
});

describe('references that must exist', () => {
  test('POST /orders for a customer that does not exist: 422 unknown-reference at /customerId', async () => {
    const refused = await send('POST', '/orders', { ...FULL, json: { ...ORDER, customerId: UNKNOWN_ID } });
    assert.equal(refused.status, 422, refused.text);
    const problem = await assertDocumented(refused, 'createOrder', /`customerId` must be the id of an existing customer/);
    assert.equal(problem['type'], 'https://shop.example.com/problems/unknown-reference');
  });

  test('POST /orders with a sku no product has: 422 unknown-reference at /items/1/sku', async () => {
    const refused = await send('POST', '/orders', { ...FULL, json: { ...ORDER, items: [{ sku: 'KEY-0001', quantity: 1 }, { sku: 'ZZZ-9999', quantity: 1 }] } });
    assert.equal(refused.status, 422, refused.text);
    assert.deepEqual([(refused.json as Json)['type'], issuePlaces(refused.json)], ['https://shop.example.com/problems/unknown-reference', ['/items/1/sku']]);
  });

  test('POST /orders for the seeded customer, or one just created, is accepted; for a deleted one it is refused', async () => {
    const seeded = await send('POST', '/orders', { ...FULL, json: ORDER });
    assert.deepEqual([seeded.status, (seeded.json as Json)['status'], (seeded.json as Json)['totalCents']], [201, 'draft', 17800]);
    const customerId = await createdId('/customers', ADA);
    assert.equal((await send('POST', '/orders', { ...FULL, json: { ...ORDER, customerId } })).status, 201);
    assert.equal((await send('DELETE', `/customers/${customerId}`, FULL)).status, 204, 'setup: delete');
    assert.equal((await send('POST', '/orders', { ...FULL, json: { ...ORDER, customerId } })).status, 422);
  });

  test('GET /orders/{orderId}: 404 for an id no order has, 200 for the seeded order', async () => {
    const refused = await send('GET', `/orders/${UNKNOWN_ID}`, FULL);
    assert.equal(refused.status, 404, refused.text);
    assert.equal((await send('GET', `/orders/${DRAFT_ORDER_ID}`, FULL)).status, 200);
  });
});

describe('a state machine', () => {
  test('a draft cannot be shipped: 409 invalid-transition at /status', async () => {
    const path = `/orders/${await createdId('/orders', ORDER)}`;
    const refused = await send('PATCH', path, { ...FULL, json: { status: 'shipped' } });
    assert.equal(refused.status, 409, refused.text);
    const problem = await assertDocumented(refused, 'updateOrder', /draft → placed → shipped/);
    assert.equal(problem['type'], 'https://shop.example.com/problems/invalid-transition');
    assert.equal(((await send('GET', path, FULL)).json as Json)['status'], 'draft', 'the refused change is not saved');
  });

  test('draft → placed → shipped is accepted, the same status again is a no-op, and shipped is final', async () => {
    const path = `/orders/${await createdId('/orders', ORDER)}`;
    const statuses: number[] = [];
    for (const status of ['placed', 'placed', 'draft', 'shipped', 'cancelled', 'shipped']) {
      statuses.push((await send('PATCH', path, { ...FULL, json: { status } })).status);
    }
    assert.deepEqual(statuses, [200, 200, 409, 200, 409, 200]);
    assert.equal(((await send('GET', path, FULL)).json as Json)['status'], 'shipped');
  });

  test('a draft or a placed order can be cancelled, and a cancelled one cannot be placed', async () => {
    const draft = `/orders/${await createdId('/orders', ORDER)}`;
    const placed = `/orders/${await createdId('/orders', ORDER)}`;
    assert.equal((await send('PATCH', placed, { ...FULL, json: { status: 'placed' } })).status, 200, 'setup: place');
    assert.equal((await send('PATCH', draft, { ...FULL, json: { status: 'cancelled' } })).status, 200);
    assert.equal((await send('PATCH', placed, { ...FULL, json: { status: 'cancelled' } })).status, 200);
    assert.equal((await send('PATCH', draft, { ...FULL, json: { status: 'placed' } })).status, 409);
  });
});

describe('a child resource that needs its parent', () => {
  test('a note for a customer that does not exist: 404 with the documented problem', async () => {
    const refused = await send('POST', `/customers/${UNKNOWN_ID}/notes`, { ...FULL, form: { text: 'Call back.' } });
    assert.equal(refused.status, 404, refused.text);
    await assertDocumented(refused, 'createNote', /a note needs an existing customer/);
  });

  test('a note for an existing customer is created and read; once the customer is deleted both answer 404', async () => {
    const customerId = await createdId('/customers', ADA);
    const created = await send('POST', `/customers/${customerId}/notes`, { ...FULL, form: { text: 'Call back.' } });
    assert.equal(created.status, 201, created.text);
    const notePath = created.headers['location'] ?? '';
    assert.equal((await send('GET', notePath, FULL)).status, 200);
    assert.equal((await send('DELETE', `/customers/${customerId}`, FULL)).status, 204, 'setup: delete');
    assert.equal((await send('POST', `/customers/${customerId}/notes`, { ...FULL, form: { text: 'Again.' } })).status, 404);
    const gone = await send('GET', notePath, FULL);
    assert.equal(gone.status, 404);
    await assertDocumented(gone, 'getNote', /customer does not exist/);
  });
});

describe('a query parameter that must name a record', () => {
  test('GET /orders?customerId= of no customer: 400 "names no record" naming customerId', async () => {
    const refused = await send('GET', `/orders?customerId=${UNKNOWN_ID}`, FULL);
    assert.equal(refused.status, 400, refused.text);
    const problem = await assertDocumented(refused, 'listOrders', /`customerId` names no record/);
    assert.match(String(problem['detail']), /names no record/);
  });

  test('GET /orders?customerId= of the seeded customer lists its order; of a new customer, none', async () => {
    const seeded = (await send('GET', `/orders?customerId=${ADA_ID}&status=draft`, FULL)).json as Json;
    assert.ok((seeded['items'] as Json[]).some((order) => order['id'] === DRAFT_ORDER_ID), JSON.stringify(seeded));
    const customerId = await createdId('/customers', ADA);
    const fresh = await send('GET', `/orders?customerId=${customerId}`, FULL);
    assert.deepEqual([fresh.status, fresh.json], [200, { items: [], total: 0 }]);
  });
});

// ---------------------------------------------------------------- the contracts' examples are accepted

function firstExample(examples: ReadonlyArray<{ value: unknown }>): { value: unknown } | undefined {
  return examples[0];
}

/** The request an operation's examples make, or why it cannot be built from examples alone. */
function exampleRequestOf(operation: Operation): { path: string; options: ExampleRequestOptions } | string {
  let path = operation.path;
  const query = new URLSearchParams();
  for (const parameter of operation.parameters) {
    const example = firstExample(parameter.examples);
    if (!example) {
      if (parameter.required) return `parameter ${parameter.name} has no example`;
      continue;
    }
    const text = Array.isArray(example.value) ? example.value.join(',') : String(example.value);
    if (parameter.in === 'path') path = path.replace(`{${parameter.name}}`, encodeURIComponent(text));
    else if (parameter.in === 'query') query.set(parameter.name, text);
    else return `parameter ${parameter.name} is in ${parameter.in}`;
  }
  const options: ExampleRequestOptions = operation.security.length > 0 && !operation.security.some((requirement) => requirement.length === 0) ? { ...FULL } : {};
  const body = operation.requestBody;
  if (body) {
    const media = body.content.find((candidate) => candidate.examples.length > 0);
    const example = media && firstExample(media.examples);
    if (!media || !example) {
      if (body.required) return 'the body has no example';
    } else if (media.mediaType === 'application/x-www-form-urlencoded') {
      options.form = Object.fromEntries(Object.entries(example.value as Json).map(([key, value]) => [key, String(value)]));
    } else {
      options.headers = { 'content-type': media.mediaType };
      options.body = JSON.stringify(example.value);
    }
  }
  const search = query.toString();
  return { path: search === '' ? path : `${path}?${search}`, options };
}

test('every operation whose examples make a whole request is accepted (2xx) by a clean server, in each contract', async () => {
  for (const spec of await specs) {
    const sent: string[] = [];
    for (const operation of spec.operations) {
      const request = exampleRequestOf(operation);
      if (typeof request === 'string') continue;
      const fresh = await startExampleServer();
      try {
        const answer = await exampleRequest(fresh.url, operation.method.toUpperCase(), request.path, request.options);
        assert.ok(answer.status >= 200 && answer.status < 300, `${spec.versionString} ${operation.id} ${request.path}: ${answer.status} ${answer.text}`);
      } finally {
        await fresh.close();
      }
      sent.push(operation.id);
    }
    // Swagger 2.0 form fields (formData) carry no example of the whole body
    const unsent = spec.operations.map((operation) => operation.id).filter((id) => !sent.includes(id));
    assert.deepEqual(unsent, spec.version === '2.0' ? ['issueToken', 'createNote'] : [], `${spec.versionString}: operations not sent`);
  }
});
