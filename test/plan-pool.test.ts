// The value pool and the request fixes of plan/references: what the server produced fills references;
// windows are put in order; dates stay near the run's day.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Exchange } from '../src/model.js';
import { ValuePool, isReferenceLike, referenceBase } from '../src/plan/pool.js';
import { fillReferences, orderWindows, windowMembers } from '../src/plan/references.js';
import { loadSpec } from '../src/spec/index.js';
import { createValidator } from '../src/schema/validator.js';
import { EXAMPLE_CONTRACTS } from '../examples/contracts.js';
import { stringForFormat } from '../src/generate/formats.js';
import { createRandom } from '../src/generate/random.js';

function exchange(method: string, path: string, status: number, body: unknown, headers: Record<string, string> = {}, values: Record<string, unknown> = {}): Exchange {
  const operation = { id: `${method} ${path}`, method: method.toLowerCase(), path } as unknown as Exchange['case']['operation'];
  const request = { method, path, headers: {} };
  return {
    case: { id: 'c', operation, kind: 'positive', request, values: { path: values }, expect: { documented: [], outcome: 'success' } },
    url: `http://127.0.0.1${path}`,
    request,
    response: { status, headers, body: new Uint8Array(), truncated: false },
    json: { ok: true, value: body },
    timings: { start: 0, durationMs: 1 },
  };
}

test('reference names: customerId, owner_name, id are references; paid, valid, identity are not', () => {
  for (const name of ['customerId', 'owner_name', 'id', 'orderIds', 'countryCode']) assert.ok(isReferenceLike(name), name);
  for (const name of ['paid', 'valid', 'identity', 'amount']) assert.ok(!isReferenceLike(name), name);
  assert.deepEqual(referenceBase('customerId'), { entity: 'customer', kind: 'id' });
  assert.equal(referenceBase('paid'), undefined);
});

test('the pool offers the id of a created customer for customerId, never a failed answer, and forgets deleted records', () => {
  const pool = new ValuePool();
  const fed = { feed: true, level: 0, order: 0 };
  pool.observe(exchange('POST', '/customers', 400, { id: 'refused' }), fed);
  pool.observe(exchange('POST', '/customers', 201, { id: 'c-7', name: 'Ada' }), fed);
  pool.observe(exchange('GET', '/orders', 200, { items: [{ id: 'o-1', customerId: 'c-7' }] }), fed);
  assert.deepEqual(pool.candidates('customerId', { beforeLevel: 0 }), [], 'values of the same level are not offered yet');
  assert.deepEqual(pool.candidates('customerId').map((e) => e.value).slice(0, 1), ['c-7']);
  assert.ok(!pool.candidates('customerId').some((e) => e.value === 'refused'));
  assert.deepEqual(pool.candidates('id', { pathCollection: 'customers' }).map((e) => e.value)[0], 'c-7');
  assert.deepEqual(pool.createdRecords().map((r) => r.members['id']), ['c-7']);
  pool.observe(exchange('DELETE', '/customers/{id}', 204, undefined, {}, { id: 'c-7' }), fed);
  assert.ok(!pool.candidates('customerId', { createdOnly: true }).some((e) => e.value === 'c-7'));
  assert.deepEqual(pool.createdRecords(), []);
});

test('a Location header names the created record', () => {
  const pool = new ValuePool();
  pool.observe(exchange('POST', '/customers', 201, undefined, { location: '/customers/42' }), { feed: true, level: 0, order: 0 });
  assert.equal(pool.candidates('customerId', { pathCollection: 'customers' })[0]?.value, '42');
});

test('windows: a start after its end is swapped, in the body and the query; an ordered one is left alone', () => {
  const values = {
    query: { from: '2026-05-01', to: '2026-01-01' },
    body: { startsAt: '2026-03-02T00:00:00Z', endsAt: '2026-03-01T00:00:00Z', minPrice: 9, maxPrice: 3, window: { since: 1, until: 2 } },
  };
  const changed = orderWindows(values);
  assert.deepEqual(values.query, { from: '2026-01-01', to: '2026-05-01' });
  assert.equal(values.body.startsAt, '2026-03-01T00:00:00Z');
  // a window of instants that is over ends the day after tomorrow instead: it started in the past and is open now
  assert.ok(Date.parse(values.body.endsAt) > Date.now() && Date.parse(values.body.endsAt) <= Date.now() + 2 * 86_400_000, values.body.endsAt);
  assert.deepEqual([values.body.minPrice, values.body.maxPrice], [3, 9]);
  assert.deepEqual(values.body.window, { since: 1, until: 2 });
  // dates without a time are left in the past: a report's from/to is most often about what happened
  assert.deepEqual(changed.sort(), ['body/endsAt', 'body/minPrice', 'body/startsAt', 'query.from']);
});

test('windows: the members of one are known, so that a variation does not change one alone', () => {
  assert.deepEqual([...windowMembers({ startsAt: 1, endsAt: 2, comment: 'x', minPrice: 1, maxPrice: 2 })].sort(), ['endsAt', 'maxPrice', 'minPrice', 'startsAt']);
  assert.deepEqual([...windowMembers({ start: 1, size: 2 })], []);
});

test('dates and date-times without bounds are near the run day and never after yesterday', () => {
  const random = createRandom(7);
  const yesterday = Date.now() - 86_400_000;
  for (const extent of ['minimal', 'maximal', 'random'] as const) {
    for (let i = 0; i < 20; i++) {
      const date = stringForFormat('date', random, extent, { min: 0, max: 100 })!;
      const dateTime = stringForFormat('date-time', random, extent, { min: 0, max: 100 })!;
      assert.ok(Date.parse(date) <= yesterday, `${extent} date ${date}`);
      assert.ok(Date.parse(date) > Date.now() - 400 * 86_400_000, `${extent} date ${date}`);
      assert.ok(Date.parse(dateTime) < Date.now(), `${extent} date-time ${dateTime}`);
    }
  }
});

test('deleting a parent forgets the records created under it, so no later step names a child that went with it', () => {
  const pool = new ValuePool();
  const fed = { feed: true, level: 0, order: 0 };
  pool.observe(exchange('POST', '/customers', 201, { id: 'c-7', name: 'Ada' }), fed);
  pool.observe(exchange('POST', '/customers/{customerId}/notes', 201, { id: 'n-1', text: 'hi' }, {}, { customerId: 'c-7' }), fed);
  pool.observe(exchange('POST', '/customers', 201, { id: 'c-8', name: 'Bob' }), fed);
  assert.deepEqual(pool.createdRecords().map((r) => r.members['id']), ['c-8', 'n-1', 'c-7']);
  pool.observe(exchange('DELETE', '/customers/{customerId}', 204, undefined, {}, { customerId: 'c-7' }), fed);
  assert.deepEqual(pool.createdRecords().map((r) => r.members['id']), ['c-8']);
  // a delete that failed forgets nothing
  pool.observe(exchange('DELETE', '/customers/{customerId}', 404, undefined, {}, { customerId: 'c-8' }), fed);
  assert.deepEqual(pool.createdRecords().map((r) => r.members['id']), ['c-8']);
});

test('references nested in a body (items[].sku of an order) are filled from what the server listed', async () => {
  const spec = await loadSpec(EXAMPLE_CONTRACTS['3.1']);
  const validator = createValidator(spec.schemas);
  const createOrder = spec.operations.find((op) => op.id === 'createOrder')!;
  const pool = new ValuePool();
  const fed = { feed: true, level: 0, order: 0 };
  pool.observe(exchange('GET', '/products', 200, { items: [{ sku: 'KEY-0001', name: 'Keyboard' }, { sku: 'MOU-0002', name: 'Mouse' }] }), fed);
  pool.observe(exchange('GET', '/customers', 200, { items: [{ id: '0b7c9a64-3c1f-4d55-9a57-3f2de2a1c2b1', name: 'Ada' }] }), fed);
  const values = { path: {}, query: {}, header: {}, cookie: {}, mediaType: 'application/json', body: { customerId: 'made-up', items: [{ sku: 'ZZZ-9999', quantity: 1 }] } };
  const filled = fillReferences(createOrder, values, pool, validator, undefined, spec.schemas);
  const body = values.body as { customerId: string; items: Array<{ sku: string }> };
  assert.equal(body.customerId, '0b7c9a64-3c1f-4d55-9a57-3f2de2a1c2b1');
  assert.equal(body.items[0]!.sku, 'KEY-0001');
  assert.deepEqual(filled.fromPool.sort(), ['body/customerId', 'body/items/0/sku']);
  assert.deepEqual(filled.madeUp, []);
  // with an empty pool the same places are marked made up, so a refusal of them blames no one
  const again = { ...values, body: { customerId: 'made-up', items: [{ sku: 'ZZZ-9999', quantity: 1 }] } };
  assert.deepEqual(fillReferences(createOrder, again, new ValuePool(), validator, undefined, spec.schemas).madeUp.sort(), ['body/customerId', 'body/items/0/sku']);
});
