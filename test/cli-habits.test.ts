// Issue 17, point 5: habits of neighbouring tools. Did-you-mean for options, commands and check ids; the
// Schemathesis spellings as aliases, listed in their own help section; repeated -H joined or refused, never
// dropped; --help in sections.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from './support-process.js';
import { EXAMPLE_CONTRACTS } from '../examples/contracts.js';

const contract = EXAMPLE_CONTRACTS['3.1'];
const tmp = mkdtempSync(path.join(tmpdir(), 'acc-habits-'));
const specFile = path.join(tmp, 'thing.json');
writeFileSync(
  specFile,
  JSON.stringify({
    openapi: '3.1.0',
    info: { title: 'thing', version: '1' },
    paths: {
      '/thing': {
        get: {
          operationId: 'getThing',
          parameters: [{ name: 'n', in: 'query', schema: { type: 'integer', minimum: 0, maximum: 1000 } }],
          responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } } },
        },
      },
    },
  }),
);
const POSITIVE_ONLY = ['--no-negative', '--no-auth-cases', '--no-method-cases', '--no-stateful', '--quiet'];

/** Answers 200 `{}` after 30 ms; keeps every request's headers and the most requests it saw in flight at once. */
async function recordingServer(): Promise<{ url: string; headers: IncomingHttpHeaders[]; maxInFlight: () => number; close(): Promise<void> }> {
  const headers: IncomingHttpHeaders[] = [];
  let inFlight = 0;
  let most = 0;
  const server = createServer((req, res) => {
    headers.push(req.headers);
    most = Math.max(most, ++inFlight);
    setTimeout(() => {
      inFlight--;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    }, 30);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    headers,
    maxInFlight: () => most,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function oneLine(r: { code: number | null; stderr: string }, expected: string): void {
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stderr, `api-contract-check: ${expected}\n`);
}

test('did you mean: an option, a Schemathesis option, a command, a check id, in one line each', async () => {
  oneLine(await runCli([contract, '--base-urll', 'http://127.0.0.1:9']), "unknown option '--base-urll' (did you mean --base-url?)");
  oneLine(await runCli([contract, '--concurency', '2']), "unknown option '--concurency' (did you mean --concurrency?)");
  oneLine(await runCli([contract, '--workrs', '2']), "unknown option '--workrs' (did you mean --workers?)");
  oneLine(await runCli(['operations', contract, '--tagg', 'x']), "unknown option '--tagg' (did you mean --tag?)");
  oneLine(await runCli(['operation', contract]), "unknown command 'operation' (did you mean operations?)");
  oneLine(await runCli(['list-check']), "unknown command 'list-check' (did you mean list-checks?)");
  oneLine(await runCli([contract, '--base-url', 'http://127.0.0.1:9', '--checks', 'server-eror']), "--checks: unknown check 'server-eror' (did you mean 'server-error'?)");
  oneLine(await runCli([contract, '--base-url', 'http://127.0.0.1:9', '--exclude-checks', 'status-documentd']), "--exclude-checks: unknown check 'status-documentd' (did you mean 'status-documented'?)");
});

test('Schemathesis spellings: --url, -w/--workers, --max-examples, --request-timeout, --rate-limit do what ours do', { timeout: 90_000 }, async () => {
  const server = await recordingServer();
  try {
    const report = path.join(tmp, 'alias.json');
    const r = await runCli([specFile, '--url', server.url, '-w', '1', '--max-examples', '3', '--rate-limit', '6000/m', '--report-json', report, ...POSITIVE_ONLY]);
    assert.equal(r.code, 0, r.stderr);
    const json = JSON.parse(readFileSync(report, 'utf8')) as { baseUrl: string; operations: Array<{ cases: { positive?: number } }> };
    assert.equal(json.baseUrl, `${server.url}/`);
    assert.equal(json.operations[0]!.cases.positive, 3, '--max-examples 3 = --max-positive 3');
    assert.equal(server.maxInFlight(), 1, '-w 1 = --concurrency 1');

    const timedOut = path.join(tmp, 'timeout.json');
    const t = await runCli([specFile, '--url', server.url, '--request-timeout', '5ms', '--max-examples', '1', '--report-json', timedOut, ...POSITIVE_ONLY]);
    assert.equal(t.code, 1, t.stderr);
    const findings = (JSON.parse(readFileSync(timedOut, 'utf8')) as { findings: Array<{ check: string }> }).findings;
    assert.deepEqual(findings.map((f) => f.check), ['transport'], '--request-timeout 5ms = --timeout 5ms');
  } finally {
    await server.close();
  }
  oneLine(await runCli([contract, '--url', 'http://127.0.0.1:9', '--base-url', 'http://127.0.0.1:9']), '--url and --base-url mean the same: give one');
  oneLine(await runCli([contract, '--base-url', 'http://127.0.0.1:9', '--rate-limit', 'lots']), "--rate-limit 'lots' must be a positive number of requests per second, minute or hour (e.g. 20/s, 100/m)");
});

test('-H twice: a list header is joined with a comma, Cookie with "; ", Authorization refused; none is dropped', { timeout: 60_000 }, async () => {
  const server = await recordingServer();
  try {
    const r = await runCli([
      specFile, '--base-url', server.url, '--max-positive', '1', ...POSITIVE_ONLY,
      '-H', 'Accept-Language: en', '-H', 'accept-language: de;q=0.5', '-H', 'Cookie: a=1', '-H', 'Cookie: b=2', '-H', 'X-Trace: 7',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(server.headers.length > 0);
    for (const h of server.headers) {
      assert.equal(h['accept-language'], 'en, de;q=0.5');
      assert.equal(h['cookie'], 'a=1; b=2');
      assert.equal(h['x-trace'], '7');
    }
  } finally {
    await server.close();
  }
  for (const name of ['Authorization', 'Content-Type', 'Host', 'X-Api-Key']) {
    oneLine(
      await runCli([contract, '--base-url', 'http://127.0.0.1:9', '-H', `${name}: one`, '-H', `${name.toLowerCase()}: two`]),
      `--header '${name.toLowerCase()}' is given twice, and ${name.toLowerCase()} takes one value: keep one (repeats of a list header such as Accept are joined)`,
    );
  }
});

test('--help reads in sections, the Schemathesis spellings in their own; every alias is listed with what it stands for', async () => {
  const help = await runCli(['--help']);
  assert.equal(help.code, 0);
  const headings = help.stdout.split('\n').filter((line) => /^[A-Z][^:]*:$/.test(line) || /^[A-Z].*\):$/.test(line));
  for (const section of ['Target:', 'Cases:', 'Credentials:', 'Filters:', 'CI:', 'Commands:']) assert.ok(headings.includes(section), `${section} in ${headings.join(' | ')}`);
  assert.ok(headings.some((h) => h.startsWith('Reports')), headings.join(' | '));
  const schemathesis = help.stdout.slice(help.stdout.indexOf('Coming from Schemathesis'));
  for (const [alias, ours] of [['--url', '--base-url'], ['-w, --workers', '--concurrency'], ['--request-timeout', '--timeout'], ['--rate-limit', '--rate'], ['--max-examples', '--max-positive']]) {
    assert.match(schemathesis, new RegExp(`^  ${alias} <[^>]+>\\s+= ${ours}$`, 'm'));
  }
  assert.match(help.stdout, /api-contract-check demo/);
});

test('demo: the bundled example API tested with its own contract; --misbehave makes it fail', { timeout: 90_000 }, async () => {
  const clean = await runCli(['demo', '--quiet']);
  assert.equal(clean.code, 0, clean.stdout + clean.stderr);
  assert.match(clean.stdout, /^PASS 16 operations/m);
  const buggy = await runCli(['demo', '--misbehave', 'no-location', '--quiet', '--operation', 'createCustomer']);
  assert.equal(buggy.code, 1, buggy.stdout + buggy.stderr);
  assert.match(buggy.stderr, /with --misbehave no-location/);
  const bad = await runCli(['demo', '--misbehave', 'no-such-bug']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^api-contract-check: --misbehave: unknown switch "no-such-bug" \(known: [^\n]+\)\n$/);
});
