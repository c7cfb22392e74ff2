// Shard reports merged back into one equal the report of one full run with the same seed (issue 10).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { Command } from 'commander';
import { runContract } from '../src/core.js';
import { finalizeFindings, mergeReports, readJsonReport, reportToJson, writeJsonReport, type JsonReport } from '../src/report/index.js';
import { mergeCommand, registerMerge } from '../src/cli/merge.js';
import { InputError } from '../src/errors.js';
import { startExampleServer, type MisbehaveName } from '../examples/server.js';
import { EXAMPLE_CONTRACTS } from '../examples/contracts.js';

const SEED = 7;
const MISBEHAVE: MisbehaveName[] = ['wrong-content-type', 'accept-out-of-range'];
let tmp: string;
let full: JsonReport;
let shards: JsonReport[];

let port = 0;

/**
 * Each run gets a fresh server on the same port, so that every shard starts from the state the full run saw:
 * a run changes the server (its DELETE example deletes a seeded customer).
 */
async function run(shard?: { index: number; count: number }, seed = SEED): Promise<JsonReport> {
  const server = await startExampleServer({ port, misbehave: MISBEHAVE });
  port = Number(new URL(server.url).port);
  try {
    const { report, spec } = await runContract({
      spec: EXAMPLE_CONTRACTS['3.1'],
      baseUrl: server.url,
      credentials: { bearer: 'full-token' },
      seed,
      shard,
    });
    finalizeFindings(report.findings, spec, { names: [], show: false });
    return reportToJson(report);
  } finally {
    await server.close();
  }
}

/** What must be equal between the merged and the full report: no ports, ids or timings. */
function findingKeys(report: JsonReport): string[] {
  return report.findings.map((f) => `${f.operation} ${f.check} ${f.case.id} ${f.severity} ${f.specPointer?.pointer ?? ''} ${f.response?.status ?? f.transportError?.kind}`);
}

function groupKeys(report: JsonReport): string[] {
  return report.groups.map((g) => `${g.operation} ${g.check} ${g.rule?.pointer ?? ''} ×${g.count} example ${report.findings[g.example]!.case.id}`);
}

before(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'merge-shards-'));
  full = await run();
  shards = [await run({ index: 1, count: 2 }), await run({ index: 2, count: 2 })];
});

after(async () => {
  await rm(tmp, { recursive: true, force: true });
});

test('the example API misbehaves: the full run has findings in more than one shard', () => {
  assert.ok(full.findings.length > 10, `only ${full.findings.length} findings`);
  assert.ok(shards[0]!.findings.length > 0 && shards[1]!.findings.length > 0);
  assert.equal(shards[0]!.findings.length + shards[1]!.findings.length, full.findings.length);
});

test('merge of shard 1/2 and 2/2 equals the full run: findings in order, groups, counts, coverage', () => {
  const merged = mergeReports([
    { file: 'r2.json', report: shards[1]! },
    { file: 'r1.json', report: shards[0]! },
  ]);
  assert.deepEqual(findingKeys(merged), findingKeys(full));
  assert.deepEqual(groupKeys(merged), groupKeys(full));
  assert.deepEqual({ ...merged.summary }, { ...full.summary });
  assert.deepEqual(merged.operations, full.operations);
  assert.deepEqual(merged.checks, full.checks);
  assert.equal(merged.seed, SEED);
  assert.equal(merged.shard, undefined, 'all shards merged: a full report');
  assert.equal(merged.incomplete, false);
  assert.deepEqual(merged.warnings, full.warnings);
});

test('merge refuses reports of different seeds or specs, a shard given twice, a full run beside shards', async () => {
  const otherSeed = await run({ index: 2, count: 2 }, SEED + 1);
  assert.throws(
    () => mergeReports([{ file: 'a.json', report: shards[0]! }, { file: 'b.json', report: otherSeed }]),
    (e: unknown) => e instanceof InputError && /^b\.json: seed 8 differs from a\.json's seed 7/.test(e.message),
  );
  const otherSpec: JsonReport = { ...shards[1]!, spec: { ...shards[1]!.spec, source: '/elsewhere/openapi.yaml' } };
  assert.throws(
    () => mergeReports([{ file: 'a.json', report: shards[0]! }, { file: 'c.json', report: otherSpec }]),
    (e: unknown) => e instanceof InputError && e.message.startsWith('c.json: spec /elsewhere/openapi.yaml'),
  );
  assert.throws(
    () => mergeReports([{ file: 'a.json', report: shards[0]! }, { file: 'again.json', report: shards[0]! }]),
    (e: unknown) => e instanceof InputError && /^again\.json: shard 1\/2 is already given by a\.json/.test(e.message),
  );
  assert.throws(
    () => mergeReports([{ file: 'a.json', report: shards[0]! }, { file: 'full.json', report: full }]),
    (e: unknown) => e instanceof InputError && e.message.startsWith('full.json: a full run'),
  );
  const alone = mergeReports([{ file: 'a.json', report: shards[0]! }]);
  assert.deepEqual(alone.shard, { index: 1, count: 2 });
});

test('a missing shard is said in the warnings of the merged report', () => {
  const three = { ...shards[0]!, shard: { index: 1, count: 3 } };
  const merged = mergeReports([{ file: 'a.json', report: three }]);
  assert.ok(merged.warnings.some((w) => w === 'merge: shards 2/3, 3/3 missing: their operations are not in this report'), merged.warnings.join('\n'));
});

test('readJsonReport names the file of anything that is not a JSON report', async () => {
  const notJson = path.join(tmp, 'not.json');
  await writeFile(notJson, '{ nope');
  await assert.rejects(readJsonReport(notJson), (e: unknown) => e instanceof InputError && e.message.startsWith(`${notJson}: not JSON`));
  const other = path.join(tmp, 'other.json');
  await writeFile(other, JSON.stringify({ format: 'something-else' }));
  await assert.rejects(readJsonReport(other), (e: unknown) => e instanceof InputError && e.message.startsWith(`${other}: not an api-contract-check JSON report`));
  const broken = path.join(tmp, 'broken.json');
  await writeFile(broken, JSON.stringify({ ...shards[0]!, findings: [{ check: 'x' }] }));
  await assert.rejects(readJsonReport(broken), (e: unknown) => e instanceof InputError && e.message === `${broken}: /findings/0 is not a finding (operation, check, case, curl)`);
  await assert.rejects(readJsonReport(path.join(tmp, 'missing.json')), (e: unknown) => e instanceof InputError && /missing\.json: cannot read: ENOENT/.test(e.message));
});

test('merge command: reads the shard files, writes the merged JSON, JUnit, HTML and SARIF; exit 1 with findings', async () => {
  const files = [path.join(tmp, 'r1.json'), path.join(tmp, 'r2.json')];
  await writeJsonReport(files[0]!, shards[0]!);
  await writeJsonReport(files[1]!, shards[1]!);
  const out = { json: path.join(tmp, 'merged.json'), junit: path.join(tmp, 'merged.xml'), html: path.join(tmp, 'merged.html'), sarif: path.join(tmp, 'merged.sarif') };
  const code = await mergeCommand(files, { output: out.json, junit: out.junit, reportHtml: out.html, sarif: out.sarif, quiet: true });
  assert.equal(code, 1);
  const merged = JSON.parse(await readFile(out.json, 'utf8')) as JsonReport;
  assert.deepEqual(findingKeys(merged), findingKeys(full));
  const junit = await readFile(out.junit, 'utf8');
  assert.equal((junit.match(/<failure /g) ?? []).length, full.groups.length, 'one failure per group');
  const html = await readFile(out.html, 'utf8');
  assert.match(html, /<script type="application\/json" id="acc-data">/);
  const sarif = JSON.parse(await readFile(out.sarif, 'utf8')) as { runs: Array<{ results: unknown[] }> };
  assert.equal(sarif.runs[0]!.results.length, full.groups.length);
});

test('registerMerge: the subcommand parses its options; an unreadable report is an InputError naming it', async () => {
  const program = new Command().exitOverride();
  registerMerge(program);
  const missing = path.join(tmp, 'nope.json');
  await assert.rejects(
    program.parseAsync(['node', 'acc', 'merge', missing, '-o', path.join(tmp, 'x.json')]),
    (e: unknown) => e instanceof InputError && e.message.startsWith(`${missing}: cannot read`),
  );
  const noOutput = new Command().exitOverride().configureOutput({ writeErr: () => undefined });
  registerMerge(noOutput);
  await assert.rejects(noOutput.parseAsync(['node', 'acc', 'merge', missing]), (e: unknown) => (e as { code?: string }).code === 'commander.missingMandatoryOptionValue');
});

test('baseline outcomes of shards merge: suppressed counts add up, an entry is stale only if no shard met it', () => {
  const entry = (operation: string): { check: string; operation: string; rule: string } => ({ check: 'content-type', operation, rule: '#/x' });
  const one: JsonReport = { ...shards[0]!, baseline: { suppressed: 2, stale: [entry('getHealth'), entry('gone')] } };
  const two: JsonReport = { ...shards[1]!, baseline: { suppressed: 3, stale: [entry('gone'), entry('listProducts')] } };
  const merged = mergeReports([{ file: 'a.json', report: one }, { file: 'b.json', report: two }]);
  assert.deepEqual(merged.baseline, { suppressed: 5, stale: [entry('gone')] });
  assert.equal(mergeReports([{ file: 'a.json', report: shards[0]! }, { file: 'b.json', report: shards[1]! }]).baseline, undefined);
});
