// End to end: runContract against the example shop, clean and with each bug a stateful chain should reveal.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runContract, type Finding, type Report } from '../src/core.js';
import { startExampleServer } from '../examples/server.js';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
const WITH_LINKS = path.join(projectRoot, 'examples', 'openapi.yaml');
const WITHOUT_LINKS = path.join(projectRoot, 'test', 'fixtures', 'stateful', 'openapi-no-links.yaml');

async function run(spec: string, misbehave: string[] = []): Promise<Report> {
  const server = await startExampleServer({ port: 0, misbehave });
  try {
    // Only positive cases and chains: the other kinds have their own tests and would only slow this one down.
    const { report } = await runContract({ spec, baseUrl: server.url, credentials: { bearer: 'full-token' }, negative: false, auth: false, methods: false });
    return report;
  } finally {
    await server.close();
  }
}

function fromChains(report: Report): Finding[] {
  return report.findings.filter((f) => f.exchange.case.kind === 'stateful');
}

function show(findings: Finding[]): string {
  return findings.map((f) => `  ${f.check} [${f.severity}] ${f.exchange.case.chain?.step}: ${f.message}`).join('\n');
}

function statefulCases(report: Report, operation: string): number {
  return report.operations.find((o) => o.operation === operation)?.cases.stateful ?? 0;
}

describe('stateful chains against the example API', () => {
  for (const [label, spec] of [['with links', WITH_LINKS], ['without links (inferred)', WITHOUT_LINKS]] as const) {
    it(`the clean server gives no finding from any chain, ${label}`, async () => {
      const report = await run(spec);
      assert.deepEqual(fromChains(report), [], show(fromChains(report)));
      // Three chains each create a customer. (Counts of later operations are left to stateful-chains.test: core
      // resets an operation's coverage when its own plan is pulled, after chains may have counted steps on it.)
      assert.equal(statefulCases(report, 'createCustomer'), 3);
      // createNote's positive case names a customer that does not exist: its one chain stops after the create.
      assert.equal(statefulCases(report, 'createNote'), 1);
    });
  }

  // location-broken shows on two creates: a customer, and a note of the seeded customer
  const caught: Array<{ misbehave: string; check: string; step: string; count: number }> = [
    { misbehave: 'deleted-still-readable', check: 'use-after-delete', step: 'read-after-delete', count: 1 },
    { misbehave: 'created-not-readable', check: 'create-not-readable', step: 'read-after-create', count: 1 },
    { misbehave: 'patch-not-persisted', check: 'update-not-persisted', step: 'read-after-update', count: 1 },
    { misbehave: 'location-broken', check: 'location-broken', step: 'follow-location', count: 2 },
  ];
  for (const { misbehave, check, step, count } of caught) {
    it(`${misbehave} is caught by ${check}, and by nothing else in the chains`, async () => {
      const findings = fromChains(await run(WITH_LINKS, [misbehave]));
      assert.equal(findings.length, count, show(findings));
      for (const finding of findings) {
        assert.equal(finding.check, check, show(findings));
        assert.equal(finding.severity, 'error');
        assert.equal(finding.exchange.case.chain?.step, step);
      }
    });
  }

  it('without links, the inferred chains catch the same four bugs', async () => {
    const report = await run(WITHOUT_LINKS, caught.map((c) => c.misbehave).filter((m) => m !== 'created-not-readable'));
    const checks = new Set(fromChains(report).map((f) => f.check));
    assert.deepEqual([...checks].sort(), ['location-broken', 'update-not-persisted', 'use-after-delete'], show(fromChains(report)));
    const unreadable = fromChains(await run(WITHOUT_LINKS, ['created-not-readable']));
    assert.deepEqual(unreadable.map((f) => f.check), ['create-not-readable'], show(unreadable));
  });

  it('missing-required-response-member is caught by response-schema on the reads of real records', async () => {
    const findings = fromChains(await run(WITH_LINKS, ['missing-required-response-member']));
    assert.ok(findings.length > 0);
    for (const f of findings) {
      assert.equal(f.check, 'response-schema', show(findings));
      assert.match(f.message, /^200 application\/json: body must have required property 'email'/);
      assert.equal(f.exchange.case.operation.id, 'getCustomer');
    }
    assert.deepEqual([...new Set(findings.map((f) => f.exchange.case.chain?.step))].sort(), ['follow-location', 'read-after-create', 'read-after-update']);
  });

  it('body-on-204 is caught by no-body on the deletes of real records', async () => {
    const findings = fromChains(await run(WITH_LINKS, ['body-on-204']));
    assert.ok(findings.length > 0);
    for (const f of findings) {
      assert.equal(f.check, 'no-body', show(findings));
      assert.equal(f.exchange.case.operation.id, 'deleteCustomer');
      assert.equal(f.exchange.response?.status, 204);
    }
    assert.deepEqual([...new Set(findings.map((f) => f.exchange.case.chain?.step))].sort(), ['cleanup', 'delete']);
  });
});
