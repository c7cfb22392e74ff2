// Servers that are broken by definition: each misbehaviour ends as a finding, the run goes on, nothing hangs.
import assert from 'node:assert/strict';
import { runCli } from './support-process.js';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { runContract, type RunOptions } from '../src/core.js';
import { InputError } from '../src/errors.js';
import { createSender } from '../src/send/index.js';
import { loadSpec } from '../src/spec/index.js';
import type { Exchange, Finding, Report, TransportErrorKind } from '../src/model.js';
import * as hostile from './support-hostile.js';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
const TIMEOUT_MS = 1500;
const BODY_CAP = 256 * 1024;

// /health is answered correctly by every server below: its clean result proves the run went on.
const contract = `
openapi: 3.0.3
info: { title: Hostile, version: '1' }
paths:
  /items:
    get:
      operationId: listItems
      parameters:
        - { name: limit, in: query, schema: { type: integer, minimum: 1, maximum: 100 } }
      responses:
        '200':
          description: the items
          content:
            application/json:
              schema: { type: array, items: { type: integer } }
  /health:
    get:
      operationId: getHealth
      responses:
        '200':
          description: fine
          content:
            application/json:
              schema: { type: object }
`;

/** /items misbehaves, everything else is a correct JSON answer. */
function onItems(misbehave: hostile.Behaviour): hostile.Behaviour {
  return (socket, request, index) => {
    if (request.path.startsWith('/items')) misbehave(socket, request, index);
    else hostile.jsonAnswer({ status: 'ok' })(socket, request, index);
  };
}

function findingsOf(report: Report, operation: string, check?: string): Finding[] {
  return report.findings.filter((f) => f.operation === operation && (check === undefined || f.check === check));
}

/** The one exchange of listItems, found through the finding it raised with `check`. */
function itemsExchange(report: Report, check: string): Exchange {
  const [finding] = findingsOf(report, 'listItems', check);
  assert.ok(finding, `no ${check} finding for listItems; got ${report.findings.map((f) => `${f.check}: ${f.message}`).join(' | ')}`);
  return finding.exchange;
}

function assertTransport(report: Report, kind: TransportErrorKind, message: RegExp): Exchange {
  const exchange = itemsExchange(report, 'transport');
  assert.equal(exchange.transportError?.kind, kind, exchange.transportError?.message);
  assert.match(exchange.transportError.message, message);
  const [finding] = findingsOf(report, 'listItems', 'transport');
  assert.equal(finding?.severity, 'error');
  assert.match(finding?.message ?? '', new RegExp(`^${kind}: `));
  return exchange;
}

function assertRunWentOn(report: Report): void {
  assert.equal(report.incomplete, false);
  const health = report.operations.find((o) => o.operation === 'getHealth');
  assert.equal(health?.cases.positive, 1, 'the healthy operation was still tested');
  assert.deepEqual(findingsOf(report, 'getHealth'), [], 'and found clean');
}

describe('hostile servers', () => {
  let directory = '';
  let specFile = '';

  before(async () => {
    directory = await mkdtemp(path.join(os.tmpdir(), 'hostile-servers-'));
    specFile = path.join(directory, 'openapi.yaml');
    await writeFile(specFile, contract);
  });
  after(() => rm(directory, { recursive: true, force: true }));

  function optionsFor(baseUrl: string, extra: Partial<RunOptions> = {}): RunOptions {
    return {
      spec: specFile,
      baseUrl,
      timeoutMs: TIMEOUT_MS,
      maxBodyBytes: BODY_CAP,
      concurrency: 1,
      maxPositive: 1,
      negative: false,
      auth: false,
      methods: false,
      stateful: false,
      ...extra,
    };
  }

  /** One positive case per operation against a server whose /items misbehaves. */
  async function runAgainst(misbehave: hostile.Behaviour, extra: Partial<RunOptions> = {}): Promise<{ report: Report; server: hostile.HostileServer }> {
    const server = await hostile.startHostileServer(onItems(misbehave));
    try {
      const { report } = await runContract(optionsFor(server.url, extra));
      return { report, server };
    } finally {
      await server.close();
    }
  }

  it('accepts and never answers: a timeout', { timeout: 30_000 }, async () => {
    const { report } = await runAgainst(hostile.silent);
    const exchange = assertTransport(report, 'timeout', /no complete response within 1500 ms/);
    assert.equal(exchange.response, undefined);
    assertRunWentOn(report);
  });

  it('sends headers then stalls the body: a timeout, the headers kept', { timeout: 30_000 }, async () => {
    const { report } = await runAgainst(hostile.headersThenStall);
    const exchange = assertTransport(report, 'timeout', /within 1500 ms/);
    assert.equal(exchange.response?.status, 200);
    assert.equal(Buffer.from(exchange.response.body).toString(), '[1,2,');
    assert.deepEqual(exchange.json, { ok: false, error: 'body incomplete (timeout), not parsed' });
    assertRunWentOn(report);
  });

  it('answers one byte per second: a timeout', { timeout: 30_000 }, async () => {
    const { report } = await runAgainst(hostile.dripping(1000));
    assertTransport(report, 'timeout', /within 1500 ms/);
    assertRunWentOn(report);
  });

  it('resets the connection mid-response: a reset', { timeout: 30_000 }, async () => {
    const { report } = await runAgainst(hostile.resetMidResponse);
    const exchange = assertTransport(report, 'reset', /ECONNRESET|UND_ERR_SOCKET/);
    assert.equal(exchange.response?.status, 200, 'what arrived before the reset is kept');
    assertRunWentOn(report);
  });

  it('answers with garbage instead of HTTP: invalid-http', { timeout: 30_000 }, async () => {
    const { report } = await runAgainst(hostile.garbage);
    const exchange = assertTransport(report, 'invalid-http', /HPE_INVALID_CONSTANT/);
    assert.equal(exchange.response, undefined);
    assertRunWentOn(report);
  });

  it('sends a header block that never ends: invalid-http at the header limit', { timeout: 30_000 }, async () => {
    const { report } = await runAgainst(hostile.endlessHeaders());
    assertTransport(report, 'invalid-http', /UND_ERR_HEADERS_OVERFLOW/);
    assertRunWentOn(report);
  });

  it('sends a 1 GB body: cut at the cap, streamed no further, the run goes on', { timeout: 30_000 }, async () => {
    const huge = hostile.hugeBody();
    const { report } = await runAgainst(huge.behaviour);
    const exchange = itemsExchange(report, 'transport');
    assert.equal(exchange.transportError, undefined);
    assert.equal(exchange.response?.truncated, true);
    assert.equal(exchange.response.body.length, BODY_CAP);
    const [finding] = findingsOf(report, 'listItems', 'transport');
    assert.equal(finding?.severity, 'warning');
    assert.match(finding?.message ?? '', /the JSON body was cut at 262144 bytes/);
    // the client hung up: the server got nowhere near 1 GB onto the wire (socket buffers are a few MB at most)
    assert.ok(huge.written() < 64 * 1024 * 1024, `server wrote ${huge.written()} bytes`);
    assertRunWentOn(report);
  });

  for (const encoding of ['gzip', 'deflate'] as const) {
    it(`sends a ${encoding} bomb (64 KB that inflates to 64 MB): decoded only up to the cap`, { timeout: 30_000 }, async () => {
      const bomb = await hostile.compressedZeros(encoding, 64 * 1024 * 1024);
      assert.ok(bomb.length < BODY_CAP, 'the compressed body itself is under the cap');
      const { report } = await runAgainst(hostile.compressionBomb(encoding, bomb));
      const exchange = itemsExchange(report, 'transport');
      assert.equal(exchange.transportError, undefined);
      assert.equal(exchange.response?.contentEncoding, encoding);
      assert.equal(exchange.response.truncated, true);
      assert.equal(exchange.response.body.length, BODY_CAP);
      assert.match(findingsOf(report, 'listItems', 'transport')[0]?.message ?? '', /cut at 262144 bytes/);
      assertRunWentOn(report);
    });
  }

  it('sends invalid chunked encoding: invalid-http', { timeout: 30_000 }, async () => {
    const { report } = await runAgainst(hostile.invalidChunked);
    assertTransport(report, 'invalid-http', /HPE_INVALID_CHUNK_SIZE/);
    assertRunWentOn(report);
  });

  it('promises a longer Content-Length than it sends, then closes: a reset', { timeout: 30_000 }, async () => {
    const { report } = await runAgainst(hostile.contentLengthTooLong);
    assertTransport(report, 'reset', /other side closed/);
    assertRunWentOn(report);
  });

  it('sends more than its Content-Length: the body is what Content-Length said, the extra bytes poison nothing', { timeout: 30_000 }, async () => {
    // concurrency 1: /health goes out next, on the same kept-alive connection if it survived
    const { report } = await runAgainst(hostile.contentLengthTooShort);
    const exchange = itemsExchange(report, 'content-type');
    assert.equal(exchange.transportError, undefined);
    assert.equal(Buffer.from(exchange.response?.body ?? []).toString(), '[1,');
    assert.match(findingsOf(report, 'listItems', 'content-type')[0]?.message ?? '', /not valid JSON/);
    assertRunWentOn(report);
  });

  it('redirects to itself forever: the 302 is the answer, not followed', { timeout: 30_000 }, async () => {
    const { report, server } = await runAgainst(hostile.redirectTo((request) => request.path));
    const exchange = itemsExchange(report, 'status-documented');
    assert.equal(exchange.response?.status, 302);
    assert.equal(server.requests.filter((r) => r.path.startsWith('/items')).length, 1, 'one request, no loop');
    assertRunWentOn(report);
  });

  it('redirects to another host: not followed, the other host never hears from us', { timeout: 30_000 }, async () => {
    const elsewhere = await hostile.startHostileServer(hostile.jsonAnswer([1, 2, 3]));
    try {
      const { report } = await runAgainst(hostile.redirectTo((request) => `http://localhost:${elsewhere.port}${request.path}`, 307));
      const exchange = itemsExchange(report, 'status-documented');
      assert.equal(exchange.response?.status, 307);
      assert.equal(exchange.response.headers['location'], `http://localhost:${elsewhere.port}${exchange.case.request.path}`);
      assert.equal(elsewhere.requests.length, 0);
      assertRunWentOn(report);
    } finally {
      await elsewhere.close();
    }
  });

  it('sends 102 Processing forever and never a final answer: a timeout', { timeout: 30_000 }, async () => {
    const { report } = await runAgainst(hostile.endlessInformational(50));
    const exchange = assertTransport(report, 'timeout', /within 1500 ms/);
    assert.equal(exchange.response, undefined, 'an interim answer is not the answer');
    assertRunWentOn(report);
  });

  it('a request path that names another host still goes to the origin of the base URL', { timeout: 30_000 }, async () => {
    const elsewhere = await hostile.startHostileServer(hostile.jsonAnswer([1]));
    const server = await hostile.startHostileServer(hostile.jsonAnswer([1]));
    const sender = createSender({ baseUrl: server.url, concurrency: 1, timeoutMs: TIMEOUT_MS, maxBodyBytes: BODY_CAP });
    try {
      const operation = (await loadSpec(specFile)).operations[0]!;
      for (const requestPath of [`//localhost:${elsewhere.port}/items`, `http://localhost:${elsewhere.port}/items`]) {
        const exchange = await sender.send({ id: requestPath, operation, kind: 'positive', request: { method: 'GET', path: requestPath, headers: {} }, expect: { documented: ['200'], outcome: 'success' } });
        assert.equal(exchange.response?.status, 200, requestPath);
      }
      assert.equal(elsewhere.requests.length, 0);
      assert.deepEqual(server.requests.slice(-2).map((r) => r.path), [`//localhost:${elsewhere.port}/items`, `/http://localhost:${elsewhere.port}/items`]);
    } finally {
      await sender.close();
      await server.close();
      await elsewhere.close();
    }
  });

  it('dies mid-run: every later case is a refused or reset finding, and the run ends', { timeout: 30_000 }, async () => {
    let server: hostile.HostileServer | undefined;
    let died = false;
    server = await hostile.startHostileServer((socket, request, index) => {
      if (index < 2) return hostile.jsonAnswer(request.path.startsWith('/items') ? [1] : {})(socket, request, index);
      died = true;
      void server?.close();
    });
    try {
      const { report } = await runContract(optionsFor(server.url, { negative: true, maxNegative: 10, maxPositive: 3 }));
      assert.ok(died);
      assert.equal(report.incomplete, false);
      const transport = report.findings.filter((f) => f.check === 'transport');
      const kinds = new Set(transport.map((f) => f.exchange.transportError?.kind));
      assert.ok(kinds.has('refused'), `kinds: ${[...kinds].join(', ')}`);
      for (const kind of kinds) assert.ok(kind === 'refused' || kind === 'reset', `unexpected ${kind}`);
      // every case after the first two was sent, failed fast and was reported
      assert.equal(transport.length, report.summary.cases - 2);
      assert.ok(report.summary.cases >= 8, `cases: ${report.summary.cases}`);
      const refused = transport.find((f) => f.exchange.transportError?.kind === 'refused');
      assert.match(refused?.message ?? '', /^refused: connect ECONNREFUSED 127\.0\.0\.1:\d+/);
    } finally {
      await server.close();
    }
  });

  it('is not listening at the start: an InputError before any case', { timeout: 30_000 }, async () => {
    const url = await closedPortUrl();
    await assert.rejects(
      runContract(optionsFor(url)),
      (error: unknown) => error instanceof InputError && new RegExp(`^--base-url ${url.replace(/\./g, '\\.')}: cannot connect \\(ECONNREFUSED\\)$`).test(error.message),
    );
  });

  it('is not listening at the start: the CLI says so on one line and exits 2', { timeout: 30_000 }, async () => {
    const url = await closedPortUrl();
    const reportFile = path.join(directory, 'never.json');
    const { code, stdout, stderr } = await runCli([specFile, '--base-url', url, '--report-json', reportFile]);
    assert.equal(code, 2);
    assert.equal(stdout, '');
    assert.match(stderr, /^api-contract-check: --base-url http:\/\/127\.0\.0\.1:\d+: cannot connect \(ECONNREFUSED\)\n$/);
    await assert.rejects(import('node:fs/promises').then((fs) => fs.stat(reportFile)), /ENOENT/, 'no report: no case ran');
  });
});

/** A port that was free a moment ago, so nothing listens on it. */
async function closedPortUrl(): Promise<string> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
