// Filters (issue 10): each kind, combinations, the nothing-selected errors, the scope they give the planner,
// and `operations` with the filter options, on the example contract and a large corpus document.
import { test } from 'node:test';
import { runCli as runProcessCli } from './support-process.js';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSpec, runContract } from '../src/core.js';
import { InputError } from '../src/errors.js';
import { createValidator } from '../src/schema/validator.js';
import { filterOperations, pathGlobToRegExp, planOperations, selectOperations } from '../src/plan/index.js';
import type { ApiSpec, Operation } from '../src/model.js';
import { startExampleServer } from '../examples/server.js';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
const specs = path.resolve(projectRoot, '../shared/specs');
const contract = path.join(projectRoot, 'examples', 'openapi.yaml');
const gsmtasks = path.join(specs, 'corpus', 'apis-guru', 'gsmtasks.com.json');

const ids = (ops: Operation[]): string[] => ops.map((op) => op.id);

let exampleSpec: Promise<ApiSpec> | undefined;
const example = (): Promise<ApiSpec> => (exampleSpec ??= loadSpec(contract));


const runCli = (args: string[]) => runProcessCli(args, { cwd: projectRoot });

test('path globs: * is one segment, ** any number of segments including none', () => {
  const table: Array<[string, string, boolean]> = [
    ['/customers/**', '/customers', true],
    ['/customers/**', '/customers/{customerId}', true],
    ['/customers/**', '/customers/{customerId}/notes/{noteId}', true],
    ['/customers/**', '/customersX', false],
    ['/customers/*', '/customers/{customerId}', true],
    ['/customers/*', '/customers/{customerId}/notes', false],
    ['/customers/*', '/customers', false],
    ['/**/notes', '/customers/{customerId}/notes', true],
    ['/**/notes', '/notes', true],
    ['/customers/{customerId}', '/customers/{customerId}', true],
    ['/products/?*', '/products/{sku}', true],
    ['/products/?*', '/products/', false],
    ['/health', '/health', true],
    ['/health', '/healthz', false],
  ];
  for (const [glob, template, expected] of table) {
    assert.equal(pathGlobToRegExp(glob).test(template), expected, `${glob} vs ${template}`);
  }
});

test('each filter kind alone, in document order', async () => {
  const spec = await example();
  assert.deepEqual(ids(filterOperations(spec.operations, { operations: ['getNote', 'login'] })), ['login', 'getNote']);
  assert.deepEqual(ids(filterOperations(spec.operations, { tags: ['public'] })), ['getHealth', 'listProducts', 'getProduct']);
  assert.deepEqual(ids(filterOperations(spec.operations, { paths: ['/customers/*'] })), ['getCustomer', 'deleteCustomer', 'updateCustomer']);
  assert.deepEqual(ids(filterOperations(spec.operations, { methods: ['DELETE', 'patch'] })), ['deleteCustomer', 'updateCustomer', 'updateOrder']);
  const all = ids(spec.operations);
  assert.deepEqual(ids(filterOperations(spec.operations, { excludeOperations: ['getHealth'] })), all.filter((id) => id !== 'getHealth'));
  assert.deepEqual(ids(filterOperations(spec.operations, {})), all);
  assert.deepEqual(ids(filterOperations(spec.operations, undefined)), all);
});

test('combinations: values of one kind are alternatives, kinds must all hold, exclusions go last', async () => {
  const spec = await example();
  assert.deepEqual(
    ids(filterOperations(spec.operations, { paths: ['/customers/**'], methods: ['get'] })),
    ['listCustomers', 'getCustomer', 'getNote'],
  );
  assert.deepEqual(
    ids(filterOperations(spec.operations, { tags: ['customers', 'public'], methods: ['post'] })),
    ['createCustomer', 'createNote'],
  );
  assert.deepEqual(
    ids(filterOperations(spec.operations, { paths: ['/customers/**'], excludeOperations: ['deleteCustomer', 'createNote'] })),
    ['listCustomers', 'createCustomer', 'getCustomer', 'updateCustomer', 'getNote'],
  );
  assert.deepEqual(ids(filterOperations(spec.operations, { operations: ['getProduct'], tags: ['public'] })), ['getProduct']);
});

test('a filter that selects nothing is an InputError naming it', async () => {
  const spec = await example();
  const cases: Array<[Parameters<typeof filterOperations>[1], RegExp]> = [
    [{ operations: ['getCustomers'] }, /--operation 'getCustomers' matches no operation/],
    [{ operations: ['getcustomer'] }, /did you mean 'getCustomer'/],
    [{ operations: ['getHealth', 'nope'] }, /--operation 'nope'/],
    [{ tags: ['Customers'] }, /--tag 'Customers' matches no operation/],
    [{ paths: ['/invoices/**'] }, /--path '\/invoices\/\*\*' matches no operation/],
    [{ methods: ['trace'] }, /--method 'trace' matches no operation/],
    [{ methods: ['FETCH'] }, /--method 'FETCH' is not an HTTP method/],
    [{ excludeOperations: ['nope'] }, /--exclude-operation 'nope' matches no operation/],
    [{ tags: ['public'], methods: ['post'] }, /--tag 'public' --method 'post' together select no operation/],
    [{ tags: ['public'], excludeOperations: ['getHealth', 'listProducts', 'getProduct'] }, /--exclude-operation 'getHealth'.*excludes the operations selected by --tag 'public'/],
  ];
  for (const [filter, message] of cases) {
    assert.throws(() => filterOperations(spec.operations, filter), (err: unknown) => err instanceof InputError && message.test(err.message), JSON.stringify(filter));
  }
});

test('the filter applies before the shard: slices of the filtered operations', async () => {
  const spec = await loadSpec(gsmtasks);
  const filter = { paths: ['/tasks/**', '/orders/**'] };
  const filtered = selectOperations(spec.operations, { filter });
  assert.ok(filtered.length > 8, `${filtered.length} operations under /tasks and /orders`);
  for (const op of filtered) assert.match(op.path, /^\/(tasks|orders)(\/|$)/);
  const slices = [1, 2, 3].map((index) => selectOperations(spec.operations, { filter, shard: { index, count: 3 } }));
  assert.deepEqual(slices.flat().map((op) => op.id).sort(), ids(filtered).sort());
  assert.deepEqual(slices[0], filtered.filter((_, i) => i % 3 === 0));
});

test('planning within a filter: path-wide cases go to the first selected operation of the path, chains stay inside', async () => {
  const spec = await example();
  const validator = createValidator(spec.schemas);
  const ctx = { spec, validator, seed: 1, maxPositive: 1, credentials: { bearer: 'full-token' } };
  const kinds = { methods: true, stateful: { cleanup: true } } as const;
  // listCustomers is the first operation of /customers; without it, createCustomer carries the path's method cases
  const scope = filterOperations(spec.operations, { paths: ['/customers/**'], excludeOperations: ['listCustomers', 'deleteCustomer'] });
  const plans = [...planOperations(scope, ctx, kinds, scope)];
  const methodCases = plans.flatMap((p) => p.cases.filter((c) => c.kind === 'method'));
  const byPath = new Map<string, Set<string>>();
  for (const c of methodCases) byPath.set(c.operation.path, (byPath.get(c.operation.path) ?? new Set()).add(c.operation.id));
  assert.deepEqual([...(byPath.get('/customers') ?? [])], ['createCustomer']);
  assert.deepEqual([...(byPath.get('/customers/{customerId}') ?? [])], ['getCustomer']);
  // the unknown path goes with the first operation of the scope
  assert.equal(methodCases.filter((c) => c.operation.id === '(unknown path)').length, 1);
  assert.ok(plans[0]!.cases.some((c) => c.operation.id === '(unknown path)'));

  const chains = plans.flatMap((p) => p.chains);
  assert.ok(chains.length > 0, 'createCustomer still plans chains');
  for (const chain of chains) assert.doesNotMatch(`${chain.id} ${chain.description}`, /deleteCustomer/, chain.id);
  // without the filter, the same planner does step on deleteCustomer: the exclusion is what removed it
  const unfiltered = [...planOperations(spec.operations, ctx, kinds)].flatMap((p) => p.chains);
  assert.ok(unfiltered.some((chain) => /deleteCustomer/.test(`${chain.id} ${chain.description}`)));
});

test('a run with --exclude-operation never sends the excluded operation, chains included', async () => {
  const server = await startExampleServer({ port: 0 });
  try {
    const { report } = await runContract({
      spec: contract,
      baseUrl: server.url,
      credentials: { bearer: 'full-token' },
      negative: false,
      filter: { paths: ['/customers', '/customers/*'], excludeOperations: ['deleteCustomer'] },
    });
    const exercised = report.operations.filter((o) => Object.keys(o.cases).length > 0).map((o) => o.operation);
    assert.ok(exercised.includes('createCustomer') && exercised.includes('getCustomer'), exercised.join(', '));
    assert.ok(!exercised.includes('deleteCustomer'), exercised.join(', '));
    assert.equal(report.summary.operations, 4);
    assert.ok((report.operations.find((o) => o.operation === 'getCustomer')!.cases.stateful ?? 0) > 0, 'chains read what they created');
  } finally {
    await server.close();
  }
});

test('operations with filter options shows what the filter selects', async () => {
  const json = await runCli(['operations', contract, '--json', '--path', '/customers/**', '--method', 'get', '--method', 'delete']);
  assert.equal(json.code, 0, json.stderr);
  const out = JSON.parse(json.stdout) as { total: number; operations: Array<{ id: string }>; filter: unknown };
  assert.deepEqual(out.operations.map((o) => o.id), ['listCustomers', 'getCustomer', 'deleteCustomer', 'getNote']);
  assert.equal(out.total, 16);
  assert.deepEqual(out.filter, { paths: ['/customers/**'], methods: ['get', 'delete'] });

  const text = await runCli(['operations', contract, '--tag', 'public', '--exclude-operation', 'getHealth']);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /2 of 16 operations selected by --tag public --exclude-operation getHealth/);
  assert.match(text.stdout, /listProducts/);
  assert.doesNotMatch(text.stdout, /│ getHealth/);
});

test('a filter that selects nothing exits 2 with one line naming it, on operations and on a run', async () => {
  for (const args of [
    ['operations', contract, '--tag', 'nope'],
    [contract, '--base-url', 'http://127.0.0.1:9', '--tag', 'nope'],
  ]) {
    const r = await runCli(args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /--tag 'nope' matches no operation/);
  }
  const together = await runCli([contract, '--base-url', 'http://127.0.0.1:9', '--method', 'post', '--path', '/products/**']);
  assert.equal(together.code, 2);
  assert.match(together.stderr, /--path '\/products\/\*\*' --method 'post' together select no operation/);
});
