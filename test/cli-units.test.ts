// Issue 17, point 1: a bare duration is seconds, units ms/s/m, under 1 ms refused; sizes with units; the
// reachability probe never waits less than a second. Driven through the CLI against real servers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from './support-process.js';
import { parseBytes, parseDuration, parseRate } from '../src/cli/options.js';
import { InputError } from '../src/errors.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'acc-units-'));
const specFile = path.join(tmp, 'slow.json');
writeFileSync(
  specFile,
  JSON.stringify({
    openapi: '3.1.0',
    info: { title: 'slow', version: '1' },
    paths: {
      '/slow': {
        get: {
          operationId: 'getSlow',
          responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } } },
        },
      },
    },
  }),
);
// only the positive case of the one operation
const ONE_CASE = ['--max-positive', '1', '--no-negative', '--no-auth-cases', '--no-method-cases', '--no-stateful', '--quiet'];

/** Answers every request with `{"pad": "…"}` of `bytes` bytes after `delayMs`. */
async function startServer(delayMs: number, bytes = 64): Promise<{ url: string; close(): Promise<void> }> {
  const body = JSON.stringify({ pad: 'x'.repeat(Math.max(0, bytes - 10)) });
  const server: Server = createServer((_req, res) => {
    setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end(body), delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function transportFindings(reportFile: string): string[] {
  const report = JSON.parse(readFileSync(reportFile, 'utf8')) as { findings: Array<{ check: string; actual?: string }> };
  return report.findings.filter((f) => f.check === 'transport').map((f) => f.actual ?? '');
}

test('parsers: a bare number is seconds; ms, s, m; sizes 1024-based; rates per s, m, h', () => {
  const duration = parseDuration('--timeout');
  const table: Array<[string, number]> = [['5', 5000], ['0.5', 500], ['.25', 250], ['500ms', 500], ['10s', 10_000], ['2m', 120_000], ['1.5 s', 1500], ['1ms', 1]];
  for (const [text, ms] of table) assert.equal(duration(text), ms, text);
  for (const bad of ['0', '0.0001', '0.4ms', '-1', '5x', '', '1h', 'ten']) {
    assert.throws(() => duration(bad), (e: unknown) => e instanceof InputError && e.message.startsWith(`--timeout '${bad}'`), bad);
  }
  const size = parseBytes('--max-body');
  const sizes: Array<[string, number]> = [['4mb', 4 * 1024 ** 2], ['1GB', 1024 ** 3], ['512kb', 512 * 1024], ['512KiB', 512 * 1024], ['1.5m', 1.5 * 1024 ** 2], ['100', 100]];
  for (const [text, bytes] of sizes) assert.equal(size(text), bytes, text);
  for (const bad of ['0', '0.5b', '4 parsecs', '-1kb', '']) assert.throws(() => size(bad), InputError, bad);
  const rate = parseRate('--rate-limit');
  assert.equal(rate('20'), 20);
  assert.equal(rate('20/s'), 20);
  assert.equal(rate('120/m'), 2);
  assert.equal(rate('3600/h'), 1);
  for (const bad of ['0', '0/m', '5/d', 'fast']) assert.throws(() => rate(bad), InputError, bad);
});

test('--timeout 5 is five seconds: a server answering in 100 ms is not blamed; --timeout 5ms times it out', { timeout: 60_000 }, async () => {
  const server = await startServer(100);
  try {
    const seconds = path.join(tmp, 'seconds.json');
    const r = await runCli([specFile, '--base-url', server.url, '--timeout', '5', '--report-json', seconds, ...ONE_CASE]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.deepEqual(transportFindings(seconds), []);

    const millis = path.join(tmp, 'millis.json');
    const m = await runCli([specFile, '--base-url', server.url, '--timeout', '5ms', '--report-json', millis, ...ONE_CASE]);
    assert.equal(m.code, 1, m.stdout + m.stderr);
    assert.ok(transportFindings(millis).some((actual) => /timeout|5 ms/i.test(actual)), JSON.stringify(transportFindings(millis)));
  } finally {
    await server.close();
  }
});

test('a duration under 1 ms, or not a duration, is refused in one line before anything is sent', async () => {
  for (const [option, value] of [['--timeout', '0.0001'], ['--retry-after-max', '0'], ['--timeout', '10 minutes'], ['--max-body', '0'], ['--max-body', '4 parsecs']] as const) {
    const r = await runCli([specFile, '--base-url', 'http://127.0.0.1:9', option, value]);
    assert.equal(r.code, 2, `${option} ${value}: ${r.stderr}`);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0]!, new RegExp(`^api-contract-check: ${option} '${value}'`));
  }
});

test('--max-body 1kb cuts a 2 KiB answer (a transport finding); --max-body 0.5mb does not', { timeout: 60_000 }, async () => {
  const server = await startServer(0, 2048);
  try {
    const small = path.join(tmp, 'small.json');
    const r = await runCli([specFile, '--base-url', server.url, '--max-body', '1kb', '--report-json', small, ...ONE_CASE]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.equal(transportFindings(small).length, 1);
    const large = path.join(tmp, 'large.json');
    const l = await runCli([specFile, '--base-url', server.url, '--max-body', '0.5mb', '--report-json', large, ...ONE_CASE]);
    assert.equal(l.code, 0, l.stdout + l.stderr);
    assert.deepEqual(transportFindings(large), []);
  } finally {
    await server.close();
  }
});

/**
 * A listener whose accept queue is full: it never accepts, and a new connection waits unanswered. Written in
 * Python because node accepts every connection itself.
 */
async function unansweringListener(): Promise<{ url: string; close(): void }> {
  const script = `
import socket, sys, time
s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen(0)
port = s.getsockname()[1]
fill = []
for _ in range(4):
    c = socket.socket(); c.setblocking(False)
    try: c.connect(('127.0.0.1', port))
    except BlockingIOError: pass
    fill.append(c)
print(port, flush=True)
time.sleep(120)
`;
  const child = spawn('python3', ['-c', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve) => child.stdout.once('data', (d: Buffer) => resolve(d.toString().trim())));
  return { url: `http://127.0.0.1:${port}`, close: () => void child.kill() };
}

test('the reachability probe waits at least a second, whatever --timeout says', { timeout: 60_000 }, async () => {
  const listener = await unansweringListener();
  try {
    const r = await runCli([specFile, '--base-url', listener.url, '--timeout', '1ms']);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr.trim(), /^api-contract-check: --base-url http:\/\/127\.0\.0\.1:\d+: no answer within 1000 ms$/);
  } finally {
    listener.close();
  }
});
