// Issue 17, point 2: report paths. Parent directories are created; every path is checked before the first
// request (exit 2, one line, not a byte sent); "-" is stdout for one report, and the console text moves to stderr.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from './support-process.js';
import { startExampleServer } from '../examples/server.js';
import { EXAMPLE_CONTRACTS } from '../examples/contracts.js';

const contract = EXAMPLE_CONTRACTS['3.1'];
const FAST = ['--auth-bearer', 'full-token', '--operation', 'getHealth', '--operation', 'listProducts'];

/** A TCP listener that counts connections: a run stopped before its first request never connects. */
async function countingListener(): Promise<{ url: string; connections: () => number; close(): Promise<void> }> {
  let connections = 0;
  const server = createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    connections: () => connections,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

test('reports into directories that do not exist yet: created, every report written', { timeout: 60_000 }, async () => {
  const server = await startExampleServer({ port: 0 });
  const out = mkdtempSync(path.join(tmpdir(), 'acc-reports-'));
  try {
    const files = {
      json: path.join(out, 'reports', 'json', 'r.json'),
      junit: path.join(out, 'reports', 'j.xml'),
      html: path.join(out, 'html', 'deep', 'r.html'),
      sarif: path.join(out, 'sarif', 'r.sarif'),
      baseline: path.join(out, 'baseline', 'b.json'),
    };
    const r = await runCli([contract, '--base-url', server.url, ...FAST, '--report-json', files.json, '--junit', files.junit, '--report-html', files.html, '--sarif', files.sarif, '--write-baseline', files.baseline]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    for (const file of Object.values(files)) assert.ok(existsSync(file), file);
    assert.match(readFileSync(files.junit, 'utf8'), /^<\?xml/);
  } finally {
    await server.close();
  }
});

test('an unwritable report path: exit 2 in one line naming the option, before a single connection', { timeout: 60_000 }, async () => {
  const listener = await countingListener();
  const out = mkdtempSync(path.join(tmpdir(), 'acc-reports-'));
  const aFile = path.join(out, 'a-file');
  writeFileSync(aFile, 'not a directory');
  mkdirSync(path.join(out, 'a-dir'));
  const cases: Array<{ args: string[]; mentions: RegExp }> = [
    { args: ['--junit', path.join(aFile, 'j.xml')], mentions: /^api-contract-check: --junit .*a-file\/j\.xml: cannot create its directory .*a-file: a file is in the way$/ },
    { args: ['--report-json', path.join(out, 'a-dir')], mentions: /^api-contract-check: --report-json .*a-dir: is a directory; name a file$/ },
    // the last report is the one that fails: the check is not limited to the first
    { args: ['--report-json', path.join(out, 'ok.json'), '--sarif', path.join(aFile, 'x', 'r.sarif')], mentions: /^api-contract-check: --sarif .*: cannot create its directory/ },
    { args: ['--report-json', '-', '--junit', '-'], mentions: /^api-contract-check: --report-json and --junit: only one report can go to stdout/ },
    { args: ['--report-json', path.join(out, 'same'), '--write-baseline', path.join(out, 'same')], mentions: /^api-contract-check: --report-json and --write-baseline: both write/ },
  ];
  try {
    for (const c of cases) {
      const r = await runCli([contract, '--base-url', listener.url, ...c.args]);
      assert.equal(r.code, 2, `${c.args.join(' ')}: ${r.stdout}${r.stderr}`);
      const lines = r.stderr.trim().split('\n');
      assert.equal(lines.length, 1, r.stderr);
      assert.match(lines[0]!, c.mentions);
    }
    assert.equal(listener.connections(), 0, 'nothing was sent, not even the reachability probe');
    assert.ok(!existsSync(path.join(out, 'ok.json')), 'the writability check leaves no empty file behind');
  } finally {
    await listener.close();
  }
});

test('"-" is stdout: the JSON report alone on stdout, the console text on stderr', { timeout: 60_000 }, async () => {
  const server = await startExampleServer({ port: 0 });
  try {
    const r = await runCli([contract, '--base-url', server.url, ...FAST, '--report-json', '-']);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as { format: string; summary: { operations: number } };
    assert.equal(report.format, 'api-contract-check/report');
    assert.equal(report.summary.operations, 2);
    assert.match(r.stderr, /PASS .* operations/);
    assert.ok(!existsSync('-'), 'no file named "-"');

    const j = await runCli([contract, '--base-url', server.url, ...FAST, '--junit', '-', '--quiet']);
    assert.equal(j.code, 0, j.stderr);
    assert.match(j.stdout, /^<\?xml version="1\.0"/);
    assert.doesNotMatch(j.stdout, /PASS/);
  } finally {
    await server.close();
  }
});

test('merge -o -: the merged report on stdout, its summary line on stderr', { timeout: 60_000 }, async () => {
  const server = await startExampleServer({ port: 0 });
  const out = mkdtempSync(path.join(tmpdir(), 'acc-reports-'));
  try {
    const shards = [1, 2].map((i) => path.join(out, `shard-${i}.json`));
    for (const [i, file] of shards.entries()) {
      const r = await runCli([contract, '--base-url', server.url, ...FAST, '--seed', '3', '--shard', `${i + 1}/2`, '--report-json', file, '--quiet']);
      assert.equal(r.code, 0, r.stderr);
    }
    const m = await runCli(['merge', ...shards, '-o', '-', '--junit', path.join(out, 'merged', 'j.xml')]);
    assert.equal(m.code, 0, m.stderr);
    assert.equal((JSON.parse(m.stdout) as { summary: { operations: number } }).summary.operations, 2);
    assert.match(m.stderr, /^merged 2 reports/);
    assert.ok(existsSync(path.join(out, 'merged', 'j.xml')));
  } finally {
    await server.close();
  }
});
