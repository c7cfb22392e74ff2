// Planning and running chains with an exec of our own (sender + every check), as core does.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { checks, runChecks } from '../src/check/registry.js';
import type { ApiSpec, Case, Exchange, Finding } from '../src/model.js';
import { planPositive, type PlanContext } from '../src/plan/positive.js';
import { planChains, type StatefulChain } from '../src/plan/stateful.js';
import { evaluateExpression } from '../src/plan/stateful-expressions.js';
import { chainTargets } from '../src/plan/stateful-targets.js';
import { createValidator } from '../src/schema/validator.js';
import { createSender } from '../src/send/index.js';
import { loadSpec } from '../src/spec/index.js';
import { exampleRequest } from '../examples/client.js';
import { startExampleServer, type ExampleServer } from '../examples/server.js';
import { startSequenceServer, type StepAnswer } from './stateful-harness.js';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
const specs = path.resolve(projectRoot, '../shared/specs');
const WITH_LINKS = path.join(projectRoot, 'examples', 'openapi.yaml');
const WITHOUT_LINKS = path.join(projectRoot, 'test', 'fixtures', 'stateful', 'openapi-no-links.yaml');

function contextFor(spec: ApiSpec): PlanContext {
  return { spec, validator: createValidator(spec.schemas), seed: 1, maxPositive: 3, credentials: { bearer: 'full-token' } };
}

function chainsOf(ctx: PlanContext, cleanup = true): StatefulChain[] {
  return ctx.spec.operations.flatMap((op) => planChains(op, planPositive(op, ctx).cases, ctx, { cleanup }) as StatefulChain[]);
}

/** Runs chains through a real sender and every registered check; returns what was sent and found. */
async function runChains(chains: StatefulChain[], ctx: PlanContext, baseUrl: string): Promise<{ exchanges: Exchange[]; findings: Finding[] }> {
  const sender = createSender({ baseUrl, concurrency: 2, timeoutMs: 5000, maxBodyBytes: 1 << 20 });
  const exchanges: Exchange[] = [];
  const findings: Finding[] = [];
  const exec = async (c: Case): Promise<Exchange> => {
    const exchange = await sender.send(c);
    exchanges.push(exchange);
    findings.push(...runChecks(exchange, { spec: ctx.spec, validator: ctx.validator }, [...checks]).findings);
    return exchange;
  };
  try {
    for (const chain of chains) await chain.run(exec);
  } finally {
    await sender.close();
  }
  return { exchanges, findings };
}

async function statusOf(server: ExampleServer, pathname: string): Promise<number> {
  const res = await request(`${server.url}${pathname}`, { headers: { authorization: 'Bearer full-token' } });
  await res.body.dump();
  return res.statusCode;
}

describe('planChains on the example API', () => {
  let linked: PlanContext;
  let inferred: PlanContext;
  before(async () => {
    linked = contextFor(await loadSpec(WITH_LINKS));
    inferred = contextFor(await loadSpec(WITHOUT_LINKS));
  });

  it('builds the same chains from links and from paths', () => {
    const expected = [
      'createCustomer→getCustomer',
      'createCustomer→updateCustomer→getCustomer',
      'createCustomer→deleteCustomer→getCustomer→deleteCustomer',
      'createNote→getNote',
      'createOrder→getOrder',
      'createOrder→updateOrder→getOrder',
    ];
    const fromLinks = chainsOf(linked);
    const fromPaths = chainsOf(inferred);
    assert.deepEqual(fromLinks.map((c) => c.id), expected);
    assert.deepEqual(fromPaths.map((c) => c.id), expected);
    assert.ok(fromLinks.every((c) => c.from === 'links'));
    assert.ok(fromPaths.every((c) => c.from === 'paths'));
    assert.deepEqual(fromLinks[2]!.steps, ['create-for-delete', 'delete', 'read-after-delete', 'delete-again']);
    assert.deepEqual(fromLinks[0]!.steps, ['create', 'read-after-create', 'follow-location', 'cleanup']);
    // A link to another create (a note for the new customer) is not a read, update or delete: not followed,
    // and not a coverage gap of the chains (the target search says why).
    assert.ok(!fromLinks[0]!.skipped.some((reason) => reason.includes('AddNoteToCreatedCustomer')));
    const create = linked.spec.operations.find((o) => o.id === 'createCustomer')!;
    assert.match(chainTargets(create, linked.spec.operations).skipped.join('\n'), /AddNoteToCreatedCustomer → createNote: POST is not a read, update or delete/);
  });

  it('starts chains only at creates', () => {
    for (const op of linked.spec.operations.filter((o) => o.method !== 'post')) {
      assert.deepEqual(planChains(op, planPositive(op, linked).cases, linked, { cleanup: true }), [], op.id);
    }
    const login = linked.spec.operations.find((o) => o.id === 'login')!;
    assert.deepEqual(planChains(login, planPositive(login, linked).cases, linked, { cleanup: true }), []);
  });

  it('plans no cleanup step when cleanup is off', () => {
    const chains = chainsOf(linked, false);
    assert.ok(chains.every((c) => !c.steps.includes('cleanup')));
  });

  describe('run against the clean server', () => {
    let server: ExampleServer;
    before(async () => {
      server = await startExampleServer({ port: 0 });
    });
    after(async () => {
      await server.close();
    });

    it('fills later steps with the created id, finds nothing, and deletes what it created', async () => {
      const { exchanges, findings } = await runChains(chainsOf(linked), linked, server.url);
      assert.deepEqual(findings.map((f) => `${f.check}: ${f.message}`), []);
      const created = exchanges.filter((e) => e.case.operation.id === 'createCustomer').map((e) => (e.json?.ok === true ? (e.json.value as { id: string }).id : ''));
      assert.equal(created.length, 3);
      for (const id of created) {
        const touching = exchanges.filter((e) => e.case.request.path === `/customers/${id}`);
        assert.ok(touching.length >= 3, `${id}: only ${touching.length} later steps`);
        assert.ok(touching.some((e) => e.case.request.method === 'DELETE' && e.response?.status === 204), `${id} was not deleted`);
        assert.equal(await statusOf(server, `/customers/${id}`), 404);
      }
      // Every later step reached a record made by its own chain: 200 for reads before the delete.
      const reads = exchanges.filter((e) => ['read-after-create', 'read-after-update', 'follow-location'].includes(e.case.chain?.step ?? ''));
      // the customers' three chains, the note's and the orders' (their seeded customer exists)
      assert.ok(reads.length >= 3, `only ${reads.length} reads`);
      assert.deepEqual(reads.map((e) => `${e.case.id} ${e.response?.status}`), reads.map((e) => `${e.case.id} 200`));
    });

    it('leaves what it created in place with cleanup off', async () => {
      const chains = chainsOf(linked, false).filter((c) => !c.id.includes('deleteCustomer'));
      const { exchanges } = await runChains(chains, linked, server.url);
      const created = exchanges.filter((e) => e.case.operation.id === 'createCustomer').map((e) => (e.json?.ok === true ? (e.json.value as { id: string }).id : ''));
      assert.equal(created.length, 2);
      for (const id of created) assert.equal(await statusOf(server, `/customers/${id}`), 200);
    });

    it('stops a chain whose create fails after that one step', async () => {
      // the note's example customer is a seeded one: once deleted, the create answers 404
      assert.equal((await exampleRequest(server.url, 'DELETE', '/customers/0b7c9a64-3c1f-4d55-9a57-3f2de2a1c2b1', { token: 'full-token' })).status, 204);
      const note = chainsOf(linked).find((c) => c.id === 'createNote→getNote')!;
      const { exchanges, findings } = await runChains([note], linked, server.url);
      assert.deepEqual(exchanges.map((e) => `${e.case.chain?.step} ${e.response?.status}`), ['create 404']);
      assert.equal(findings.filter((f) => f.category === 'stateful').length, 0);
    });
  });
});

describe('chains against scripted answers', () => {
  const ITEMS = `
openapi: 3.0.3
info: { title: Items, version: '1' }
paths:
  /items:
    post:
      operationId: createItem
      requestBody:
        required: true
        content: { application/json: { schema: { type: object, required: [name], properties: { name: { type: string, example: Lamp } } } } }
      responses:
        '201':
          description: created
          headers: { Location: { schema: { type: string } } }
          content: { application/json: { schema: { type: object } } }
  /items/{itemId}:
    parameters:
      - { name: itemId, in: path, required: true, schema: { type: string, format: uuid } }
    get:
      operationId: getItem
      responses:
        '200': { description: the item, content: { application/json: { schema: { type: object } } } }
        '404': { description: none }
`;
  let directory = '';
  let ctx: PlanContext;
  before(async () => {
    directory = await mkdtemp(path.join(os.tmpdir(), 'stateful-chains-'));
    const file = path.join(directory, 'openapi.yaml');
    await writeFile(file, ITEMS);
    ctx = contextFor(await loadSpec(file));
  });
  after(async () => {
    if (directory !== '') await rm(directory, { recursive: true, force: true });
  });

  async function play(answers: StepAnswer[]): Promise<{ chain: StatefulChain; exchanges: Exchange[] }> {
    const [chain] = chainsOf(ctx);
    assert.ok(chain);
    const server = await startSequenceServer(answers);
    try {
      const { exchanges } = await runChains([chain], ctx, server.url);
      return { chain, exchanges };
    } finally {
      await server.close();
    }
  }

  it('skips a step, with the reason, when the created id does not fit the path parameter', async () => {
    const { chain, exchanges } = await play([{ status: 201, json: { id: 'not-a-uuid', name: 'Lamp' } }]);
    assert.equal(exchanges.length, 1);
    assert.match(chain.skipped.join('\n'), /read-after-create \(getItem\): no id for itemId/);
  });

  it('takes the id from the Location when the body has none', async () => {
    const id = '3f1c2a9e-8b7d-4c6e-9a5f-1b2c3d4e5f60';
    const { exchanges } = await play([
      { status: 201, headers: { location: `/items/${id}` }, json: {} },
      { status: 200, json: { id } },
      { status: 200, json: { id } },
    ]);
    assert.deepEqual(exchanges.map((e) => `${e.case.chain?.step} ${e.case.request.method} ${e.case.request.path}`), [
      'create POST /items',
      `read-after-create GET /items/${id}`,
      `follow-location GET /items/${id}`,
    ]);
  });

  it('never fetches a Location on another origin', async () => {
    const id = '3f1c2a9e-8b7d-4c6e-9a5f-1b2c3d4e5f60';
    const { chain, exchanges } = await play([
      { status: 201, headers: { location: `https://elsewhere.example/items/${id}` }, json: { id } },
      { status: 200, json: { id } },
    ]);
    assert.deepEqual(exchanges.map((e) => e.case.chain?.step), ['create', 'read-after-create']);
    assert.match(chain.skipped.join('\n'), /Location https:\/\/elsewhere\.example\/items\/.* not fetched \(other-origin\)/);
  });

  it('evaluates runtime expressions on a real exchange', async () => {
    const { exchanges } = await play([{ status: 201, headers: { location: '/items/x' }, json: { id: 'not-a-uuid', tags: [{ n: 'a/b' }] } }]);
    const created = exchanges[0]!;
    assert.deepEqual(evaluateExpression('$response.body#/id', created), { ok: true, value: 'not-a-uuid' });
    assert.deepEqual(evaluateExpression('$response.body#/tags/0/n', created), { ok: true, value: 'a/b' });
    assert.deepEqual(evaluateExpression('$response.header.Location', created), { ok: true, value: '/items/x' });
    assert.deepEqual(evaluateExpression('$request.body#/name', created), { ok: true, value: 'Lamp' });
    assert.deepEqual(evaluateExpression('$statusCode', created), { ok: true, value: 201 });
    assert.deepEqual(evaluateExpression('item-{$response.body#/id}', created), { ok: true, value: 'item-not-a-uuid' });
    assert.deepEqual(evaluateExpression(42, created), { ok: true, value: 42 });
    assert.deepEqual(evaluateExpression('$response.body#/missing', created), { ok: false, reason: '$response.body#/missing is absent from the answer' });
  });
});

describe('planChains on documents of the corpus', () => {
  for (const [file, expected] of [
    ['corpus/oai-examples/petstore-expanded.yaml', ['addPet→find pet by id', 'addPet→deletePet→find pet by id→deletePet']],
    ['corpus/oai-examples/link-example.yaml', []],
    ['corpus/redocly-museum/openapi.yaml', ['createSpecialEvent→getSpecialEvent', 'createSpecialEvent→updateSpecialEvent→getSpecialEvent', 'createSpecialEvent→deleteSpecialEvent→getSpecialEvent→deleteSpecialEvent']],
  ] as const) {
    it(file, async () => {
      const spec = await loadSpec(path.join(specs, file));
      const apiKeys = Object.fromEntries(Object.values(spec.securitySchemes).flatMap((s) => (s.type === 'apiKey' && 'name' in s ? [[s.name, 'key']] : [])));
      const ctx: PlanContext = { ...contextFor(spec), credentials: { bearer: 'token', basic: { user: 'u', password: 'p' }, apiKeys } };
      assert.deepEqual(chainsOf(ctx).map((c) => c.id), expected);
    });
  }
});
