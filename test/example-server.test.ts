// The clean example server answers as examples/openapi.yaml says: real requests over loopback, each answer
// checked against the contract (status documented, media type, body schema, required headers).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';
import { exampleRequest, type ExampleAnswer, type ExampleRequestOptions } from '../examples/client.js';
import { EXAMPLE_CONTRACTS } from '../examples/contracts.js';
import { EXAMPLE_CLIENT, startExampleServer, type ExampleServer } from '../examples/server.js';

type Json = Record<string, unknown>;

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const contract = parse(readFileSync(EXAMPLE_CONTRACTS['3.1'], 'utf8')) as Json;

function resolve(node: unknown): Json {
  const ref = (node as Json)['$ref'];
  if (typeof ref !== 'string') return node as Json;
  const target = ref
    .slice(2)
    .split('/')
    .reduce<unknown>((current, token) => (current as Json)[token.replace(/~1/g, '/').replace(/~0/g, '~')], contract);
  return resolve(target);
}

const SCHEMA_ID = 'https://contract.example/shop';
const ajv = addFormats(new Ajv2020({ strict: false, allErrors: true }));
const components = contract['components'] as { schemas: Json };
ajv.addSchema(JSON.parse(JSON.stringify({ $id: SCHEMA_ID, $defs: components.schemas }).replace(/#\/components\/schemas\//g, '#/$defs/')) as Json);

/** The schema of an inline or $ref'd response schema, compiled against the contract's components. */
function validatorFor(schema: Json) {
  const ref = schema['$ref'];
  if (typeof ref === 'string') return ajv.getSchema(`${SCHEMA_ID}#/$defs/${ref.split('/').pop()}`);
  return ajv.compile(JSON.parse(JSON.stringify(schema).replace(/#\/components\/schemas\//g, `${SCHEMA_ID}#/$defs/`)) as Json);
}

/** Asserts an answer is one the contract allows for this operation, and returns it. */
function assertContract(answer: ExampleAnswer, method: string, template: string): ExampleAnswer {
  const where = `${method} ${template} → ${answer.status}`;
  const operation = (contract['paths'] as Record<string, Json>)[template]?.[method.toLowerCase()] as Json | undefined;
  assert.ok(operation, `${method} ${template} is in the contract`);
  const documented = (operation['responses'] as Json)[String(answer.status)];
  assert.ok(documented, `${where}: status documented (body ${answer.text})`);
  const response = resolve(documented);
  for (const [name, header] of Object.entries((response['headers'] ?? {}) as Json)) {
    if (resolve(header)['required'] === true) assert.ok(answer.headers[name.toLowerCase()], `${where}: header ${name} present`);
  }
  const content = response['content'] as Record<string, Json> | undefined;
  if (!content) {
    assert.equal(answer.text, '', `${where}: no body`);
    return answer;
  }
  const mediaType = (answer.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '';
  const media = content[mediaType];
  assert.ok(media, `${where}: content type ${mediaType} documented (${Object.keys(content).join(', ')})`);
  const validate = validatorFor(media['schema'] as Json);
  assert.ok(validate, `${where}: schema compiles`);
  assert.ok(validate(answer.json), `${where}: body matches the schema: ${ajv.errorsText(validate.errors)}; body ${answer.text}`);
  return answer;
}

/** A problem-details answer with the given status; its errors (if any) point where expected. */
function assertProblem(answer: ExampleAnswer, status: number, pointerOrName?: string): Json {
  assert.equal(answer.status, status, answer.text);
  assert.equal(answer.headers['content-type'], 'application/problem+json');
  const problem = answer.json as Json;
  assert.equal(problem['status'], status);
  for (const member of ['type', 'title', 'detail', 'instance']) assert.equal(typeof problem[member], 'string', member);
  if (pointerOrName !== undefined) {
    const places = (problem['errors'] as Array<{ pointer?: string; name?: string }>).map((issue) => issue.pointer ?? issue.name);
    assert.ok(places.includes(pointerOrName), `errors point at ${pointerOrName}: ${JSON.stringify(places)}`);
  }
  return problem;
}

let server: ExampleServer;
let clock = Date.now();
before(async () => {
  server = await startExampleServer({ tokenTtlSeconds: 60, clock: () => clock });
});
after(async () => {
  await server.close();
});

const FULL = { token: 'full-token' };
const READ = { token: 'read-token' };

function call(method: string, path: string, template: string, options: ExampleRequestOptions = {}): Promise<ExampleAnswer> {
  return exampleRequest(server.url, method, path, options).then((answer) => assertContract(answer, method, template));
}

/** No record has this id (the seeded ones are in examples/store.ts). */
const UNKNOWN_ID = '7d2f0c1e-0000-4000-8000-000000000000';

const ADA = { name: 'Ada Lovelace', email: 'ada@example.com', age: 36, tier: 'pro', zip: '12345', birthday: '1815-12-10', tags: ['vip'] };

async function createCustomer(body: unknown = ADA): Promise<Json> {
  const answer = await call('POST', '/customers', '/customers', { ...FULL, json: body });
  assert.equal(answer.status, 201, answer.text);
  return answer.json as Json;
}

describe('public part', () => {
  test('GET /health answers 200 {status: ok} with an X-Request-Id', async () => {
    const answer = await call('GET', '/health', '/health');
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.json, { status: 'ok' });
    assert.match(answer.headers['x-request-id'] ?? '', /^[0-9a-f-]{36}$/);
  });

  test('HEAD /health answers like GET without a body', async () => {
    const answer = await exampleRequest(server.url, 'HEAD', '/health');
    assert.equal(answer.status, 200);
    assert.equal(answer.text, '');
    assert.equal(answer.headers['content-length'], String(JSON.stringify({ status: 'ok' }).length));
  });

  test('GET /products lists the catalog, honours limit and inStock, ignores unknown parameters', async () => {
    const all = await call('GET', '/products?utm_source=test', '/products');
    assert.equal((all.json as Json)['total'], 4);
    const two = await call('GET', '/products?limit=2', '/products');
    assert.equal(((two.json as Json)['items'] as unknown[]).length, 2);
    const outOfStock = await call('GET', '/products?inStock=false', '/products');
    assert.deepEqual(((outOfStock.json as Json)['items'] as Json[]).map((product) => product['sku']), ['CAB-0004']);
  });

  test('GET /products rejects limit 0, 101, 1.5 and abc with 400 naming the parameter', async () => {
    for (const limit of ['0', '101', '1.5', 'abc', '2147483648']) {
      assertProblem(await call('GET', `/products?limit=${limit}`, '/products'), 400, 'limit');
    }
  });

  test('GET /products/{sku}: 200 for a known sku, 404 for an unknown one, 400 for a pattern mismatch', async () => {
    const found = await call('GET', '/products/KEY-0001', '/products/{sku}');
    assert.equal((found.json as Json)['name'], 'Mechanical keyboard');
    assertProblem(await call('GET', '/products/ZZZ-9999', '/products/{sku}'), 404);
    assertProblem(await call('GET', '/products/key-0001', '/products/{sku}'), 400, 'sku');
  });
});

describe('customers', () => {
  test('POST /customers answers 201 with Location, and the Location reads back the same customer', async () => {
    const answer = await call('POST', '/customers', '/customers', { ...FULL, json: ADA });
    assert.equal(answer.status, 201);
    const created = answer.json as Json;
    assert.equal(answer.headers['location'], `/customers/${created['id']}`);
    assert.deepEqual({ ...created, id: undefined, createdAt: undefined }, { ...ADA, id: undefined, createdAt: undefined, active: true });
    const readBack = await call('GET', answer.headers['location'] ?? '', '/customers/{customerId}', READ);
    assert.deepEqual(readBack.json, created);
  });

  test('defaults: tier basic, no tags, active', async () => {
    const created = await createCustomer({ name: 'Min', email: 'min@example.org' });
    assert.deepEqual([created['tier'], created['tags'], created['active']], ['basic', [], true]);
  });

  test('accepts unicode names and a 100-code-point name made of astral characters', async () => {
    await createCustomer({ name: 'Zoë Ünal-Çelik 山田', email: 'zoe@example.com' });
    const name = '😀'.repeat(100);
    assert.equal((await createCustomer({ name, email: 'smile@example.com' }))['name'], name);
  });

  const invalidBodies: Array<[string, unknown, string]> = [
    ['101 characters', { name: 'x'.repeat(101), email: 'a@example.com' }, '/name'],
    ['empty name', { name: '', email: 'a@example.com' }, '/name'],
    ['age 2147483648', { ...ADA, age: 2147483648 }, '/age'],
    ['age 151', { ...ADA, age: 151 }, '/age'],
    ['age -1', { ...ADA, age: -1 }, '/age'],
    ['age 1.5', { ...ADA, age: 1.5 }, '/age'],
    ['age "5"', { ...ADA, age: '5' }, '/age'],
    ['email without domain', { ...ADA, email: 'ada@' }, '/email'],
    ['email with a space', { ...ADA, email: 'ada lovelace@example.com' }, '/email'],
    ['tier in another case', { ...ADA, tier: 'Pro' }, '/tier'],
    ['zip of 4 digits', { ...ADA, zip: '1234' }, '/zip'],
    ['zip with a trailing newline', { ...ADA, zip: '12345\n' }, '/zip'],
    ['29 February of a common year', { ...ADA, birthday: '2023-02-29' }, '/birthday'],
    ['birthday as a date-time', { ...ADA, birthday: '1815-12-10T00:00:00Z' }, '/birthday'],
    ['duplicate tags', { ...ADA, tags: ['a', 'a'] }, '/tags'],
    ['six tags', { ...ADA, tags: ['a', 'b', 'c', 'd', 'e', 'f'] }, '/tags'],
    ['an upper-case tag', { ...ADA, tags: ['VIP'] }, '/tags/0'],
    ['an unknown member', { ...ADA, nickname: 'Ada' }, '/nickname'],
    ['the read-only id', { ...ADA, id: '0b7c9a64-3c1f-4d55-9a57-3f2de2a1c2b1' }, '/id'],
    ['no email', { name: 'Ada' }, ''],
    ['an array', [ADA], ''],
    ['active as a string', { ...ADA, active: 'true' }, '/active'],
  ];
  for (const [what, body, pointer] of invalidBodies) {
    test(`POST /customers with ${what} answers 422 pointing at "${pointer}"`, async () => {
      assertProblem(await call('POST', '/customers', '/customers', { ...FULL, json: body }), 422, pointer);
    });
  }

  test('malformed JSON, an empty body and invalid UTF-8 answer 400', async () => {
    const headers = { 'content-type': 'application/json' };
    assertProblem(await call('POST', '/customers', '/customers', { ...FULL, headers, body: '{"name":' }), 400);
    assertProblem(await call('POST', '/customers', '/customers', { ...FULL, headers, body: '' }), 400);
    const latin1 = Buffer.from('{"name":"Zo\xeb","email":"z@example.com"}', 'latin1');
    assertProblem(await call('POST', '/customers', '/customers', { ...FULL, headers, body: latin1 }), 400);
  });

  test('another media type answers 415; a UTF-8 charset parameter is accepted', async () => {
    const body = JSON.stringify(ADA);
    assertProblem(await call('POST', '/customers', '/customers', { ...FULL, headers: { 'content-type': 'text/plain' }, body }), 415);
    assertProblem(await call('POST', '/customers', '/customers', { ...FULL, body }), 415);
    const withCharset = await call('POST', '/customers', '/customers', { ...FULL, headers: { 'content-type': 'application/json; charset=UTF-8' }, body });
    assert.equal(withCharset.status, 201);
  });

  test('a body over 1 MiB answers 413', async () => {
    const body = JSON.stringify({ ...ADA, name: 'x'.repeat(1024 * 1024) });
    assertProblem(await call('POST', '/customers', '/customers', { ...FULL, headers: { 'content-type': 'application/json' }, body }), 413);
  });

  test('GET /customers filters by tier, tags (form, explode false), active and createdAfter, and counts', async () => {
    const local = await startExampleServer();
    try {
      const headers = { authorization: 'Bearer full-token' };
      for (const body of [
        { name: 'A', email: 'a@example.com', tier: 'pro', tags: ['vip', 'newsletter'] },
        { name: 'B', email: 'b@example.com', tier: 'pro', tags: ['vip'], active: false },
        { name: 'C', email: 'c@example.com', tags: ['newsletter'] },
      ]) {
        assert.equal((await exampleRequest(local.url, 'POST', '/customers', { headers, json: body })).status, 201);
      }
      const names = async (query: string) => {
        const answer = assertContract(await exampleRequest(local.url, 'GET', `/customers${query}`, { headers }), 'GET', '/customers');
        return ((answer.json as Json)['items'] as Json[]).map((customer) => customer['name']);
      };
      // the two seeded customers come first: Ada Lovelace (pro, vip, 2024-01-15) and Grace Hopper (enterprise, 2024-02-01)
      const seeded = ['Ada Lovelace', 'Grace Hopper'];
      assert.deepEqual(await names(''), [...seeded, 'A', 'B', 'C']);
      assert.deepEqual(await names('?tier=pro'), ['Ada Lovelace', 'A', 'B']);
      assert.deepEqual(await names('?tags=vip,newsletter'), ['A']);
      assert.deepEqual(await names('?active=false'), ['B']);
      assert.deepEqual(await names('?limit=1'), ['Ada Lovelace']);
      assert.deepEqual(await names('?createdAfter=2000-01-01'), [...seeded, 'A', 'B', 'C']);
      assert.deepEqual(await names('?createdAfter=2024-02-01'), ['Grace Hopper', 'A', 'B', 'C']);
      assert.deepEqual(await names('?createdAfter=2999-01-01'), []);
      const counted = await exampleRequest(local.url, 'GET', '/customers?limit=1', { headers });
      assert.equal((counted.json as Json)['total'], 5);
    } finally {
      await local.close();
    }
  });

  test('GET /customers rejects bad query values with 400 naming the parameter', async () => {
    for (const [query, name] of [
      ['tier=PRO', 'tier'],
      ['tags=a,b,c,d,e,f', 'tags'],
      ['tags=Not-Lower', 'tags'],
      ['active=yes', 'active'],
      ['createdAfter=2024-13-01', 'createdAfter'],
      ['limit=1&limit=2', 'limit'],
    ] as const) {
      assertProblem(await call('GET', `/customers?${query}`, '/customers', READ), 400, name);
    }
  });

  test('GET /customers/{customerId}: 400 for a malformed id, 404 for an unknown one, 200 for a URN or upper-case id', async () => {
    assertProblem(await call('GET', '/customers/not-a-uuid', '/customers/{customerId}', READ), 400, 'customerId');
    assertProblem(await call('GET', `/customers/${UNKNOWN_ID}`, '/customers/{customerId}', READ), 404);
    const created = await createCustomer();
    const id = String(created['id']);
    assert.equal((await call('GET', `/customers/urn:uuid:${id}`, '/customers/{customerId}', READ)).status, 200);
    assert.equal((await call('GET', `/customers/${id.toUpperCase()}`, '/customers/{customerId}', READ)).status, 200);
  });

  test('PATCH merges (merge-patch+json and application/json), null resets, and the change is saved', async () => {
    const created = await createCustomer();
    const path = `/customers/${created['id']}`;
    const merged = await call('PATCH', path, '/customers/{customerId}', {
      ...FULL,
      headers: { 'content-type': 'application/merge-patch+json' },
      body: JSON.stringify({ tier: 'enterprise', zip: null, tags: null }),
    });
    assert.equal(merged.status, 200);
    const readBack = (await call('GET', path, '/customers/{customerId}', READ)).json as Json;
    assert.deepEqual([readBack['tier'], readBack['zip'], readBack['tags'], readBack['name']], ['enterprise', undefined, [], 'Ada Lovelace']);
    const renamed = await call('PATCH', path, '/customers/{customerId}', { ...FULL, json: { name: 'Augusta Ada King' } });
    assert.equal((renamed.json as Json)['name'], 'Augusta Ada King');
  });

  test('PATCH rejects null for a required member (422), another media type (415), and unknown ids (404)', async () => {
    const created = await createCustomer();
    const path = `/customers/${created['id']}`;
    assertProblem(await call('PATCH', path, '/customers/{customerId}', { ...FULL, json: { name: null } }), 422, '/name');
    assertProblem(await call('PATCH', path, '/customers/{customerId}', { ...FULL, headers: { 'content-type': 'text/plain' }, body: '{}' }), 415);
    const unknown = `/customers/${UNKNOWN_ID}`;
    assertProblem(await call('PATCH', unknown, '/customers/{customerId}', { ...FULL, json: { tier: 'pro' } }), 404);
  });

  test('DELETE answers 204 without a body; afterwards GET and DELETE answer 404', async () => {
    const created = await createCustomer();
    const path = `/customers/${created['id']}`;
    const deleted = await call('DELETE', path, '/customers/{customerId}', FULL);
    assert.equal(deleted.status, 204);
    assert.equal(deleted.text, '');
    assertProblem(await call('GET', path, '/customers/{customerId}', READ), 404);
    assertProblem(await call('DELETE', path, '/customers/{customerId}', FULL), 404);
  });
});

describe('notes (form-encoded body)', () => {
  test('POST a note answers 201 with Location; GET of the Location answers the note', async () => {
    const customer = await createCustomer();
    const answer = await call('POST', `/customers/${customer['id']}/notes`, '/customers/{customerId}/notes', {
      ...FULL,
      form: { text: 'Prefers e-mail & calls after 5 pm', pinned: 'true' },
    });
    assert.equal(answer.status, 201);
    const note = answer.json as Json;
    assert.deepEqual([note['text'], note['pinned'], note['customerId']], ['Prefers e-mail & calls after 5 pm', true, customer['id']]);
    const readBack = await call('GET', answer.headers['location'] ?? '', '/customers/{customerId}/notes/{noteId}', READ);
    assert.deepEqual(readBack.json, note);
  });

  test('rejects an empty or 501-character text and pinned=yes (422), JSON (415), an unknown customer (404)', async () => {
    const customer = await createCustomer();
    const path = `/customers/${customer['id']}/notes`;
    const template = '/customers/{customerId}/notes';
    assertProblem(await call('POST', path, template, { ...FULL, form: { text: '' } }), 422, '/text');
    assertProblem(await call('POST', path, template, { ...FULL, form: { text: 'x'.repeat(501) } }), 422, '/text');
    assertProblem(await call('POST', path, template, { ...FULL, form: { text: 'ok', pinned: 'yes' } }), 422, '/pinned');
    assertProblem(await call('POST', path, template, { ...FULL, json: { text: 'ok' } }), 415);
    assertProblem(await call('POST', `/customers/${UNKNOWN_ID}/notes`, template, { ...FULL, form: { text: 'ok' } }), 404);
  });
});

describe('authentication and scopes', () => {
  test('no token, a malformed header and an unknown token answer 401 with a Bearer challenge', async () => {
    const missing = assertProblem(await call('GET', '/customers', '/customers'), 401);
    assert.equal(missing['type'], 'https://shop.example.com/problems/unauthorized');
    for (const [authorization, error] of [
      ['Basic YWxpY2U6d29uZGVybGFuZA==', 'invalid_request'],
      ['Bearer', 'invalid_request'],
      ['Bearer no-such-token', 'invalid_token'],
    ] as const) {
      const answer = await call('GET', '/customers', '/customers', { headers: { authorization } });
      assertProblem(answer, 401);
      assert.match(answer.headers['www-authenticate'] ?? '', new RegExp(`^Bearer realm="shop", error="${error}"`));
    }
  });

  test('the read-only token can read but gets 403 insufficient_scope on writes', async () => {
    assert.equal((await call('GET', '/customers', '/customers', READ)).status, 200);
    const refused = await call('POST', '/customers', '/customers', { ...READ, json: ADA });
    assertProblem(refused, 403);
    assert.match(refused.headers['www-authenticate'] ?? '', /error="insufficient_scope", scope="customers:write"/);
  });

  test('POST /auth/login issues tokens with the user\'s scopes; wrong passwords get 401, bad bodies 422', async () => {
    const alice = await call('POST', '/auth/login', '/auth/login', { json: { username: 'alice', password: 'wonderland' } });
    assert.equal(alice.headers['cache-control'], 'no-store');
    const aliceToken = String((alice.json as Json)['access_token']);
    assert.equal((await call('POST', '/customers', '/customers', { token: aliceToken, json: ADA })).status, 201);
    const bob = await call('POST', '/auth/login', '/auth/login', { json: { username: 'bob', password: 'builder' } });
    const bobToken = String((bob.json as Json)['access_token']);
    assert.equal((await call('GET', '/customers', '/customers', { token: bobToken })).status, 200);
    assertProblem(await call('POST', '/customers', '/customers', { token: bobToken, json: ADA }), 403);
    const wrong = await call('POST', '/auth/login', '/auth/login', { json: { username: 'alice', password: 'nope' } });
    assertProblem(wrong, 401);
    assertProblem(await call('POST', '/auth/login', '/auth/login', { json: { username: '__proto__', password: 'x' } }), 401);
    assertProblem(await call('POST', '/auth/login', '/auth/login', { json: { username: 'alice' } }), 422, '');
  });

  test('issued tokens expire after the configured lifetime (401 invalid_token)', async () => {
    const login = await call('POST', '/auth/login', '/auth/login', { json: { username: 'alice', password: 'wonderland' } });
    const token = String((login.json as Json)['access_token']);
    assert.equal((login.json as Json)['expires_in'], 60);
    assert.equal((await call('GET', '/customers', '/customers', { token })).status, 200);
    clock += 61_000;
    const expired = await call('GET', '/customers', '/customers', { token });
    assertProblem(expired, 401);
    assert.match(expired.headers['www-authenticate'] ?? '', /error="invalid_token", error_description="the token has expired"/);
  });

  test('POST /oauth/token: client credentials in the form or by HTTP Basic; requested scopes are granted', async () => {
    const form = { grant_type: 'client_credentials', client_id: EXAMPLE_CLIENT.id, client_secret: EXAMPLE_CLIENT.secret, scope: 'customers:read' };
    const readOnly = await call('POST', '/oauth/token', '/oauth/token', { form });
    assert.deepEqual([(readOnly.json as Json)['token_type'], (readOnly.json as Json)['scope']], ['Bearer', 'customers:read']);
    const token = String((readOnly.json as Json)['access_token']);
    assert.equal((await call('GET', '/customers', '/customers', { token })).status, 200);
    assertProblem(await call('POST', '/customers', '/customers', { token, json: ADA }), 403);
    const basic = Buffer.from(`${EXAMPLE_CLIENT.id}:${EXAMPLE_CLIENT.secret}`).toString('base64');
    const viaBasic = await call('POST', '/oauth/token', '/oauth/token', { headers: { authorization: `Basic ${basic}` }, form: { grant_type: 'client_credentials' } });
    assert.equal((viaBasic.json as Json)['scope'], 'customers:read customers:write');
  });

  test('POST /oauth/token refusals carry the RFC 6749 error code', async () => {
    const client = { client_id: EXAMPLE_CLIENT.id, client_secret: EXAMPLE_CLIENT.secret };
    const cases: Array<[Record<string, string>, number, string]> = [
      [{ ...client }, 400, 'invalid_request'],
      [{ ...client, grant_type: 'password' }, 400, 'unsupported_grant_type'],
      [{ ...client, grant_type: 'client_credentials', scope: 'admin' }, 400, 'invalid_scope'],
      [{ grant_type: 'client_credentials', client_id: EXAMPLE_CLIENT.id, client_secret: 'wrong' }, 401, 'invalid_client'],
    ];
    for (const [form, status, error] of cases) {
      const answer = await call('POST', '/oauth/token', '/oauth/token', { form });
      assert.equal(assertProblem(answer, status)['error'], error);
    }
  });
});

describe('methods and unknown paths', () => {
  test('an undocumented method answers 405 with exactly the documented methods (plus HEAD) in Allow', async () => {
    for (const [method, path, allow] of [
      ['PUT', '/customers', 'GET, HEAD, POST'],
      ['DELETE', '/health', 'GET, HEAD'],
      ['GET', '/customers/0b7c9a64-3c1f-4d55-9a57-3f2de2a1c2b1/notes', 'POST'],
      ['POST', '/customers/0b7c9a64-3c1f-4d55-9a57-3f2de2a1c2b1', 'GET, HEAD, PATCH, DELETE'],
      ['OPTIONS', '/products', 'GET, HEAD'],
    ] as const) {
      const answer = await exampleRequest(server.url, method, path, FULL);
      assertProblem(answer, 405);
      assert.equal(answer.headers['allow'], allow, `${method} ${path}`);
    }
  });

  test('unknown paths, including a trailing slash, answer 404 problem details', async () => {
    for (const path of ['/nope', '/customers/', '/products/KEY-0001/reviews']) {
      const problem = assertProblem(await exampleRequest(server.url, 'GET', path, FULL), 404);
      assert.equal(problem['instance'], path);
    }
  });
});
