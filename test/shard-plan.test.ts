// Sharding (issue 10): on large corpus documents, the n slices of --shard i/n together are exactly the full
// plan — every case and every chain once, path-wide method cases and the unknown path included — and a slice
// planned twice is the same slice.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSpec } from '../src/core.js';
import { createValidator } from '../src/schema/validator.js';
import { planOperations, selectOperations, type OperationFilter, type PlanContext } from '../src/plan/index.js';
import type { PlanKinds } from '../src/plan/index.js';
import type { ApiSpec, Case, Operation } from '../src/model.js';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
const specs = path.resolve(projectRoot, '../shared/specs');

/** Everything a case sends and expects, as one comparable line. */
function caseLine(c: Case): string {
  const body = c.request.body === undefined ? '' : typeof c.request.body === 'string' ? c.request.body : Buffer.from(c.request.body).toString('base64');
  const headers = Object.entries(c.request.headers).sort(([a], [b]) => a.localeCompare(b));
  return JSON.stringify([c.id, c.operation.id, c.kind, c.request.method, c.request.path, headers, body, c.expect, c.why?.keyword ?? null]);
}

interface PlanSummary {
  cases: string[];
  chains: string[];
  operations: string[];
}

function summarize(operations: Operation[], ctx: PlanContext, kinds: PlanKinds, scope?: Operation[]): PlanSummary {
  const out: PlanSummary = { cases: [], chains: [], operations: [] };
  for (const plan of planOperations(operations, ctx, kinds, scope)) {
    out.operations.push(plan.operation.id);
    out.cases.push(...plan.cases.map(caseLine));
    out.chains.push(...plan.chains.map((chain) => JSON.stringify([chain.id, chain.operation.id, chain.description])));
  }
  return out;
}

function sorted(lines: string[]): string[] {
  return [...lines].sort();
}

/** Full plan vs the n slices: same cases and chains, none twice, each slice deterministic. */
function proveShards(spec: ApiSpec, ctx: PlanContext, kinds: PlanKinds, count: number, filter?: OperationFilter): { full: PlanSummary; slices: PlanSummary[] } {
  const scope = selectOperations(spec.operations, { filter });
  const full = summarize(scope, ctx, kinds, scope);
  const slices = Array.from({ length: count }, (_, i) => summarize(selectOperations(spec.operations, { filter, shard: { index: i + 1, count } }), ctx, kinds, scope));

  // operations: a partition of the scope
  assert.deepEqual(sorted(slices.flatMap((s) => s.operations)), sorted(full.operations));
  assert.equal(new Set(slices.flatMap((s) => s.operations)).size, full.operations.length);
  // cases and chains: the union is the full plan, and no id is planned by two slices
  const caseIds = slices.flatMap((s) => s.cases.map((line) => (JSON.parse(line) as string[])[0]));
  assert.equal(new Set(caseIds).size, caseIds.length, 'a case id planned twice');
  assert.deepEqual(sorted(slices.flatMap((s) => s.cases)), sorted(full.cases));
  assert.deepEqual(sorted(slices.flatMap((s) => s.chains)), sorted(full.chains));
  return { full, slices };
}

const gsmtasks = path.join(specs, 'corpus', 'apis-guru', 'gsmtasks.com.json');

test('gsmtasks.com (261 operations), 4 shards: positive, auth, method cases and stateful chains', async () => {
  const spec = await loadSpec(gsmtasks);
  assert.ok(spec.operations.length > 200);
  const ctx: PlanContext = { spec, validator: createValidator(spec.schemas), seed: 7, maxPositive: 2, credentials: { apiKeys: { tokenAuth: 'k' } } };
  const kinds: PlanKinds = { auth: {}, methods: true, stateful: { cleanup: true } };
  const { full, slices } = proveShards(spec, ctx, kinds, 4);

  // the document gives every kind something to split, so the proof is not about empty lists
  const kindsPlanned = new Set(full.cases.map((line) => (JSON.parse(line) as string[])[2]));
  for (const kind of ['positive', 'auth', 'method']) assert.ok(kindsPlanned.has(kind), `no ${kind} case in the full plan`);
  assert.ok(full.chains.length > 20, `${full.chains.length} chains`);
  assert.ok(slices.every((s) => s.cases.length > 0 && s.chains.length > 0), 'every slice has cases and chains');
  // the unknown path is planned once, in the slice holding the document's first operation
  const unknown = slices.map((s) => s.cases.filter((line) => line.includes('"(unknown path)"')).length);
  assert.deepEqual(unknown, [1, 0, 0, 0]);
  // method cases of a path come from one slice only, even when the path's operations are spread over slices
  const methodSlices = new Map<string, Set<number>>();
  slices.forEach((s, i) => {
    for (const line of s.cases) {
      const [, , kind, , requestPath] = JSON.parse(line) as string[];
      if (kind === 'method') methodSlices.set(requestPath!, (methodSlices.get(requestPath!) ?? new Set()).add(i));
    }
  });
  assert.ok(methodSlices.size > 20);
  for (const [p, where] of methodSlices) assert.equal(where.size, 1, `${p} has method cases in slices ${[...where].join(', ')}`);

  // determinism: the same slice planned again is the same list, in the same order
  const again = summarize(selectOperations(spec.operations, { shard: { index: 3, count: 4 } }), ctx, kinds);
  assert.deepEqual(again, slices[2]);
});

test('twilio (195 operations), 3 shards with negative cases, and shards of a filter', async () => {
  const spec = await loadSpec(path.join(specs, 'corpus', 'apis-guru', 'twilio.com__api.json'));
  assert.ok(spec.operations.length > 150);
  const ctx: PlanContext = { spec, validator: createValidator(spec.schemas), seed: 3, maxPositive: 2, credentials: { basic: { user: 'AC1', password: 'secret' } } };
  const kinds: PlanKinds = { negative: { maxNegative: 6 }, auth: {}, methods: true, stateful: { cleanup: true } };
  const { full, slices } = proveShards(spec, ctx, kinds, 3);
  assert.ok(full.cases.some((line) => line.includes('"negative"')), 'negative cases were planned');
  const again = summarize(selectOperations(spec.operations, { shard: { index: 2, count: 3 } }), ctx, kinds);
  assert.deepEqual(again, slices[1]);

  // a filter first, then shards of what it selected
  const filter: OperationFilter = { methods: ['get'], paths: ['/2010-04-01/Accounts/{AccountSid}/Calls/**'] };
  const filtered = proveShards(spec, ctx, kinds, 2, filter);
  assert.ok(filtered.full.operations.length >= 4, filtered.full.operations.join(', '));
  const selected = new Set([...filtered.full.operations, '(unknown path)']);
  for (const line of filtered.full.cases) {
    const [id, operation] = JSON.parse(line) as string[];
    assert.ok(selected.has(operation!), `${id} belongs to ${operation}, outside the filter`);
  }
  assert.ok(filtered.full.cases.some((line) => line.includes('"method"')), 'the filtered paths still get their method cases');
});
