// End to end: the whole tool against the real example API on 127.0.0.1 (issue 4: the run).
import { test } from 'node:test';
import { runCli, runProcess } from './support-process.js';
import assert from 'node:assert/strict';
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runContract, loadSpec } from '../src/core.js';
import { createValidator } from '../src/schema/validator.js';
import { planOperations } from '../src/plan/index.js';
import { finalizeFindings } from '../src/report/finalize.js';
import { startExampleServer } from '../examples/server.js';
import { EXAMPLE_CONTRACTS } from '../examples/contracts.js';





const runShell = (script: string) => runProcess('sh', ['-c', script]);

for (const [flavour, contract] of Object.entries(EXAMPLE_CONTRACTS)) {
  test(`clean example API, ${flavour} contract: every case runs and nothing is found`, async () => {
    const server = await startExampleServer({ port: 0 });
    try {
      const { report } = await runContract({ spec: contract, baseUrl: server.url, credentials: { bearer: 'full-token' } });
      assert.deepEqual(
        report.findings.map((f) => `${f.check} ${f.operation}: ${f.message}`),
        [],
      );
      assert.equal(report.summary.operations, 16);
      const kinds = new Set(report.operations.flatMap((o) => Object.keys(o.cases)));
      for (const kind of ['positive', 'negative', 'auth', 'method']) assert.ok(kinds.has(kind), `no ${kind} case ran`);
      // every operation got at least one positive case: nothing silently uncovered
      for (const op of report.operations.filter((o) => o.operation !== '(unknown path)')) {
        assert.ok((op.cases.positive ?? 0) > 0, `${op.operation} ran no positive case: ${op.notCovered.join('; ')}`);
      }
    } finally {
      await server.close();
    }
  });
}

test('the CLI exits 0 on the clean server and writes JSON and JUnit reports', async () => {
  const server = await startExampleServer({ port: 0 });
  const dir = mkdtempSync(path.join(tmpdir(), 'acc-run-'));
  try {
    const json = path.join(dir, 'r.json');
    const junit = path.join(dir, 'j.xml');
    const r = await runCli([EXAMPLE_CONTRACTS['3.1'], '--base-url', server.url, '--auth-bearer', 'full-token', '--report-json', json, '--junit', junit]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /no findings/);
    const report = JSON.parse(readFileSync(json, 'utf8')) as { summary: { findings: number; cases: number } };
    assert.equal(report.summary.findings, 0);
    assert.ok(report.summary.cases > 100);
    assert.match(readFileSync(junit, 'utf8'), /<testsuites[^>]*failures="0"/);
  } finally {
    await server.close();
  }
});

// Switches a single request can reveal, and the check that must catch each.
const REVEALED: Array<[string, string]> = [
  ['undocumented-status', 'status-documented'],
  ['wrong-content-type', 'content-type'],
  ['no-location', 'response-headers'],
  ['wrong-response-type', 'response-schema'],
  ['reject-valid-unicode', 'positive-rejected'],
  ['500-on-missing-member', 'server-error'],
  ['int32-overflow-500', 'server-error'],
  ['accept-out-of-range', 'negative-accepted'],
  ['accept-bad-format', 'negative-accepted'],
  ['accept-unknown-member', 'negative-accepted'],
];

for (const [misbehave, check] of REVEALED) {
  test(`--misbehave ${misbehave} is caught by ${check}, and the curl of the finding reproduces it`, async () => {
    const server = await startExampleServer({ port: 0, misbehave: [misbehave] });
    try {
      const { report, spec } = await runContract({ spec: EXAMPLE_CONTRACTS['3.1'], baseUrl: server.url, credentials: { bearer: 'full-token' } });
      const found = report.findings.filter((f) => f.check === check);
      assert.ok(found.length > 0, `no ${check} finding; got ${JSON.stringify(report.summary.byCheck)}`);
      const finding = found[0]!;
      assert.ok(finding.specPointer, 'the finding names the rule it broke');
      finalizeFindings(report.findings, spec, { names: [], show: true });
      assert.ok(finding.curl);
      // Run the curl the finding carries: the server must answer with the same status.
      // (async: the server lives in this process and must keep answering)
      const curl = await runShell(`${finding.curl} --silent --output /dev/null --write-out '%{http_code}' --max-time 10`);
      assert.equal(curl.code, 0, curl.stderr);
      assert.equal(Number(curl.stdout.trim()), finding.exchange.response?.status, `curl: ${finding.curl}`);
    } finally {
      await server.close();
    }
  });
}

test('the CLI exits 1 with findings and names the check', async () => {
  const server = await startExampleServer({ port: 0, misbehave: ['undocumented-status'] });
  try {
    const r = await runCli([EXAMPLE_CONTRACTS['3.1'], '--base-url', server.url, '--auth-bearer', 'full-token', '--no-color']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /status-documented/);
    assert.match(r.stdout, /curl /);
  } finally {
    await server.close();
  }
});

test('same seed, same cases in the same order; another seed, other random values', async () => {
  const spec = await loadSpec(EXAMPLE_CONTRACTS['3.1']);
  const validator = createValidator(spec.schemas);
  const cases = (seed: number): string[] =>
    [...planOperations(spec.operations, { spec, validator, seed, maxPositive: 5, credentials: { bearer: 'full-token' } }, { negative: { maxNegative: 40 }, auth: {}, methods: true })]
      .flatMap((plan) => plan.cases)
      .map((c) => `${c.kind} ${c.request.method} ${c.request.path} ${String(c.request.body ?? '')}`);
  const first = cases(5);
  assert.ok(first.length > 100);
  assert.deepEqual(cases(5), first);
  assert.notDeepEqual(cases(6), first);
});
