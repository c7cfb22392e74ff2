// Baselines (issue 10): known findings suppressed by check, operation and rule — not by message text —,
// stale entries reported, files written in a stable order and read back; the CLI end to end.
import { test } from 'node:test';
import { runCli as runProcessCli } from './support-process.js';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runContract, type RunOptions } from '../src/core.js';
import { InputError } from '../src/errors.js';
import { exitCodeFor } from '../src/cli/run.js';
import { applyBaseline, baselineText, createBaseline, readBaseline, ruleOf, writeBaseline } from '../src/report/baseline.js';
import type { Finding, Report } from '../src/model.js';
import { startExampleServer, type MisbehaveName } from '../examples/server.js';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
const contract = path.join(projectRoot, 'examples', 'openapi.yaml');

/** A short real run against the example API with the given misbehaviours. */
async function runAgainst(misbehave: MisbehaveName[], extra: Partial<RunOptions> = {}): Promise<Report> {
  const server = await startExampleServer({ port: 0, misbehave });
  try {
    const { report } = await runContract({
      spec: contract,
      baseUrl: server.url,
      credentials: { bearer: 'full-token' },
      negative: false,
      stateful: false,
      filter: { paths: ['/customers', '/customers/*', '/products/**'], methods: ['get'] },
      ...extra,
    });
    return report;
  } finally {
    await server.close();
  }
}


const runCli = (args: string[]) => runProcessCli(args, { cwd: projectRoot });

const keyOf = (f: Finding, report: Report): string => `${f.check} ${f.operation} ${ruleOf(f, report.spec.source)}`;

test('known findings are suppressed by check, operation and rule; the rest stay; counts and exit code follow', async () => {
  const before = await runAgainst(['undocumented-status', 'wrong-content-type']);
  const checks = new Set(before.findings.map((f) => f.check));
  assert.deepEqual([...checks].sort(), ['content-type', 'status-documented']);
  assert.ok(before.findings.every((f) => f.specPointer), 'these findings name their rule');
  const baseline = createBaseline(before);
  assert.equal(baseline.entries.length, new Set(before.findings.map((f) => keyOf(f, before))).size);

  // another seed sends other values: the same broken rules must still be recognised
  const after = await runAgainst(['undocumented-status', 'wrong-content-type'], { seed: 99 });
  assert.ok(after.findings.length > 0);
  const applied = applyBaseline(after, baseline);
  assert.deepEqual(applied.findings, []);
  assert.deepEqual(applied.baseline, { suppressed: after.findings.length, stale: [] });
  assert.equal(applied.summary.findings, 0);
  assert.deepEqual(applied.summary.bySeverity, {});
  assert.equal(exitCodeFor(applied), 0);
  assert.equal(exitCodeFor(after), 1);
  assert.ok(applied.checks.every((c) => c.failed === 0) && applied.operations.every((o) => o.findings === 0));
  // the input report is left as it was
  assert.equal(after.summary.findings, after.findings.length);

  // a reworded message is the same known finding; the same check on another rule is a new one
  const reworded = after.findings.map((f) => ({ ...f, message: `reworded: ${f.message.split('').reverse().join('')}` }));
  assert.equal(applyBaseline({ ...after, findings: reworded }, baseline).findings.length, 0);
  const otherRule = after.findings.map((f) => ({ ...f, specPointer: { ...f.specPointer!, pointer: `${f.specPointer!.pointer}/elsewhere` } }));
  const notKnown = applyBaseline({ ...after, findings: otherRule }, baseline);
  assert.equal(notKnown.findings.length, after.findings.length);
  assert.equal(notKnown.baseline!.suppressed, 0);
  const otherOperation = after.findings.map((f) => ({ ...f, operation: 'getNote' }));
  assert.equal(applyBaseline({ ...after, findings: otherOperation }, baseline).findings.length, after.findings.length);
});

test('entries that no longer occur are stale, but only where their check ran on their operation', async () => {
  const before = await runAgainst(['undocumented-status', 'wrong-content-type']);
  const baseline = createBaseline(before);
  // the content types are fixed; the undocumented status is not
  const fixedStatus = await runAgainst(['undocumented-status']);
  const applied = applyBaseline(fixedStatus, baseline);
  assert.deepEqual(applied.findings, []);
  const stale = applied.baseline!.stale;
  assert.deepEqual([...new Set(stale.map((e) => `${e.check} ${e.operation}`))], ['content-type getCustomer', 'content-type getProduct', 'content-type listProducts']);
  assert.ok(stale.every((e) => !fixedStatus.findings.some((f) => keyOf(f, fixedStatus) === `${e.check} ${e.operation} ${e.rule}`)));
  assert.deepEqual(
    stale,
    baseline.entries.filter((e) => !fixedStatus.findings.some((f) => keyOf(f, fixedStatus) === `${e.check} ${e.operation} ${e.rule}`)),
  );

  // an entry for an operation this run did not cover (another shard, another filter) is not stale
  const elsewhere = { ...baseline, entries: [...baseline.entries, { check: 'content-type', operation: 'getNote', rule: '#/paths/x' }] };
  assert.ok(!applyBaseline(fixedStatus, elsewhere).baseline!.stale.some((e) => e.operation === 'getNote'));
  // nor one whose check was not selected
  const withoutStatus = await runAgainst(['undocumented-status'], { excludeChecks: ['content-type'] });
  assert.deepEqual(applyBaseline(withoutStatus, baseline).baseline!.stale, []);
});

test('a written baseline reads back the same; the text is stable and pretty', async () => {
  const report = await runAgainst(['undocumented-status', 'wrong-content-type']);
  const dir = mkdtempSync(path.join(tmpdir(), 'acc-baseline-'));
  const file = path.join(dir, 'baseline.json');
  const baseline = createBaseline(report);
  await writeBaseline(file, baseline);
  const text = readFileSync(file, 'utf8');
  assert.deepEqual(await readBaseline(file), baseline);
  assert.match(text, /^\{\n {2}"format": "api-contract-check\/baseline",\n {2}"version": 1,\n {2}"entries": \[\n/);
  assert.ok(text.endsWith('\n'));
  // the order of findings does not change the file
  assert.equal(baselineText(createBaseline({ ...report, findings: [...report.findings].reverse() })), text);
  const entries = baseline.entries.map((e) => `${e.operation}\u0000${e.check}\u0000${e.rule}`);
  assert.deepEqual(entries, [...entries].sort());
  // rules are written relative to the document, never as this machine's absolute path
  for (const e of baseline.entries) assert.match(e.rule, /^#\//);

  const broken: Array<[string, RegExp]> = [
    ['{"entries": []}', /not a baseline/],
    ['{"format": "api-contract-check/baseline", "version": 2, "entries": []}', /#\/version: version 2 is not supported/],
    ['{"format": "api-contract-check/baseline", "version": 1, "entries": [{"check": "x", "operation": 1, "rule": ""}]}', /#\/entries\/0\/operation: must be a string/],
    ['not json', /not JSON/],
  ];
  for (const [content, message] of broken) {
    writeFileSync(file, content);
    await assert.rejects(readBaseline(file), (e: unknown) => e instanceof InputError && message.test(e.message) && e.message.includes(file));
  }
  await assert.rejects(readBaseline(path.join(dir, 'missing.json')), /--baseline .*missing\.json: cannot read/);
});

test('CLI: --write-baseline, then --baseline suppresses and reports stale entries on the console and in JSON', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'acc-baseline-cli-'));
  const baselineFile = path.join(dir, 'known.json');
  const filter = ['--path', '/customers', '--path', '/customers/*', '--path', '/products/**', '--method', 'get', '--no-negative', '--no-stateful', '--auth-bearer', 'full-token'];
  const both = await startExampleServer({ port: 0, misbehave: ['undocumented-status', 'wrong-content-type'] });
  try {
    const first = await runCli([contract, '--base-url', both.url, ...filter, '--write-baseline', baselineFile]);
    assert.equal(first.code, 1, first.stdout + first.stderr);
    const written = JSON.parse(readFileSync(baselineFile, 'utf8')) as { entries: unknown[] };
    assert.ok(written.entries.length > 0);

    const jsonFile = path.join(dir, 'report.json');
    const second = await runCli([contract, '--base-url', both.url, ...filter, '--baseline', baselineFile, '--report-json', jsonFile]);
    assert.equal(second.code, 0, second.stdout + second.stderr);
    assert.match(second.stdout, /baseline: \d+ known finding\(s\) suppressed; 0 baseline entries no longer occur/);
    const json = JSON.parse(readFileSync(jsonFile, 'utf8')) as { findings: unknown[]; baseline: { suppressed: number; stale: unknown[] } };
    assert.deepEqual(json.findings, []);
    assert.ok(json.baseline.suppressed > 0);
    assert.deepEqual(json.baseline.stale, []);
  } finally {
    await both.close();
  }

  const fixed = await startExampleServer({ port: 0, misbehave: ['undocumented-status'] });
  try {
    const jsonFile = path.join(dir, 'fixed.json');
    const third = await runCli([contract, '--base-url', fixed.url, ...filter, '--baseline', baselineFile, '--report-json', jsonFile]);
    assert.equal(third.code, 0, third.stdout + third.stderr);
    assert.match(third.stdout, /baseline entr(y|ies) no longer occurs? \(remove (it|them) from the baseline\):\n {2}content-type on getCustomer \(#\/paths\/~1customers~1\{customerId\}\/get\/responses\/200\/content\)\n {2}content-type on getProduct \(#\/paths\/~1products~1\{sku\}\/get\/responses\/200\/content\)\n {2}content-type on listProducts/);
    const json = JSON.parse(readFileSync(jsonFile, 'utf8')) as { baseline: { stale: Array<{ check: string; operation: string; rule: string }> } };
    assert.deepEqual(json.baseline.stale.map((e) => `${e.check} ${e.operation} ${e.rule}`), [
      'content-type getCustomer #/paths/~1customers~1{customerId}/get/responses/200/content',
      'content-type getProduct #/paths/~1products~1{sku}/get/responses/200/content',
      'content-type listProducts #/paths/~1products/get/responses/200/content',
    ]);
  } finally {
    await fixed.close();
  }

  const bad = await runCli([contract, '--base-url', 'http://127.0.0.1:9', '--baseline', path.join(dir, 'nope.json')]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr.trim(), /^api-contract-check: --baseline .*nope\.json: cannot read \(ENOENT\)$/);
});
