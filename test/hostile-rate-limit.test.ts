// Load stays within --rate and --concurrency, and a 429 is honoured: wait Retry-After, retry once, the retry counts.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { rateLimitCheck } from '../src/check/rate-limit.js';
import { runContract, type RunOptions } from '../src/core.js';
import type { ApiSpec, Case, CheckContext } from '../src/model.js';
import { createValidator } from '../src/schema/validator.js';
import { createSender } from '../src/send/index.js';
import { loadSpec } from '../src/spec/index.js';
import * as hostile from './support-hostile.js';

const contract = `
openapi: 3.0.3
info: { title: Limited, version: '1' }
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
        '429':
          description: too many requests
  /health:
    get:
      operationId: getHealth
      responses:
        '200':
          description: fine
          content:
            application/json:
              schema: { type: object }
        '429':
          description: too many requests
`;

/** The correct answer for each path of the contract. */
const correct: hostile.Behaviour = (socket, request, index) =>
  hostile.jsonAnswer(request.path.startsWith('/items') ? [1, 2] : { status: 'ok' })(socket, request, index);

/** Arrivals (ms) in the busiest window of `windowMs` starting at an arrival. */
function busiestWindow(arrivals: number[], windowMs: number): number {
  const sorted = [...arrivals].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0; i < sorted.length; i++) {
    let n = 0;
    for (let j = i; j < sorted.length && sorted[j]! - sorted[i]! < windowMs; j++) n++;
    most = Math.max(most, n);
  }
  return most;
}

describe('load limits and 429', () => {
  let directory = '';
  let specFile = '';
  let spec: ApiSpec;
  let ctx: CheckContext;

  before(async () => {
    directory = await mkdtemp(path.join(os.tmpdir(), 'hostile-rate-'));
    specFile = path.join(directory, 'openapi.yaml');
    await writeFile(specFile, contract);
    spec = await loadSpec(specFile);
    ctx = { spec, validator: createValidator(spec.schemas) };
  });
  after(() => rm(directory, { recursive: true, force: true }));

  function optionsFor(baseUrl: string, extra: Partial<RunOptions> = {}): RunOptions {
    return { spec: specFile, baseUrl, timeoutMs: 5000, concurrency: 2, maxPositive: 1, negative: false, auth: false, methods: false, stateful: false, ...extra };
  }

  function caseOf(operationId: string, requestPath: string): Case {
    const operation = spec.operations.find((op) => op.id === operationId);
    assert.ok(operation);
    return { id: requestPath, operation, kind: 'positive', request: { method: 'GET', path: requestPath, headers: {} }, expect: { documented: ['200'], outcome: 'success' } };
  }

  it('--rate 4/s: no window of a second sees more than 4 requests arrive', { timeout: 30_000 }, async () => {
    const server = await hostile.startHostileServer(correct);
    try {
      const { report } = await runContract(optionsFor(server.url, { ratePerSecond: 4, concurrency: 4, negative: true, maxNegative: 10, maxPositive: 2 }));
      assert.ok(report.summary.cases >= 8, `cases: ${report.summary.cases}`);
      assert.equal(server.requests.length, report.summary.cases);
      // arrivals are stamped by this process's event loop after the fact, so the window is taken 100 ms short
      assert.ok(busiestWindow(server.requests.map((r) => r.arrivedAt), 900) <= 4, `arrivals: ${server.requests.map((r) => Math.round(r.arrivedAt)).join(', ')}`);
    } finally {
      await server.close();
    }
  });

  it('--concurrency 3: never more than 3 requests in flight at the server', { timeout: 30_000 }, async () => {
    const timers = new Set<NodeJS.Timeout>();
    const server = await hostile.startHostileServer((socket, request, index) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!socket.destroyed) correct(socket, request, index);
      }, 30);
      timers.add(timer);
    });
    try {
      const { report } = await runContract(optionsFor(server.url, { concurrency: 3, negative: true, maxNegative: 10, maxPositive: 2 }));
      assert.ok(report.summary.cases >= 8);
      assert.equal(server.requests.length, report.summary.cases);
      assert.ok(server.maxInFlight() <= 3, `max in flight: ${server.maxInFlight()}`);
      assert.ok(server.maxInFlight() >= 1);
    } finally {
      for (const timer of timers) clearTimeout(timer);
      await server.close();
    }
  });

  it('429 with Retry-After: 1: waited, retried once, and the retry is what the report counts', { timeout: 30_000 }, async () => {
    const seen = new Set<string>();
    const server = await hostile.startHostileServer((socket, request, index) => {
      if (seen.has(request.path)) return correct(socket, request, index);
      seen.add(request.path);
      hostile.writeAnswer(socket, 429, { 'retry-after': '1', 'content-type': 'application/json' }, '{"error":"slow down"}');
    });
    try {
      const { report } = await runContract(optionsFor(server.url));
      assert.equal(report.summary.cases, 2);
      assert.deepEqual(report.findings.map((f) => `${f.check}: ${f.message}`), []);
      assert.deepEqual(server.requests.map((r) => r.path).sort(), ['/health', '/health', '/items?limit=1', '/items?limit=1']);
    } finally {
      await server.close();
    }
  });

  it('the retried exchange says what it waited for; an HTTP-date in the past means at once', { timeout: 30_000 }, async () => {
    let first = true;
    const past = 'Sun, 06 Nov 1994 08:49:37 GMT';
    const server = await hostile.startHostileServer((socket, request, index) => {
      if (!first) return correct(socket, request, index);
      first = false;
      hostile.writeAnswer(socket, 429, { 'retry-after': past });
    });
    const sender = createSender({ baseUrl: server.url, concurrency: 1, timeoutMs: 5000, maxBodyBytes: 1 << 20 });
    try {
      const exchange = await sender.send(caseOf('getHealth', '/health'));
      assert.equal(exchange.response?.status, 200);
      assert.deepEqual(exchange.retriedAfter, { retryAfter: past, waitedMs: 0, capped: false });
      assert.equal(server.requests.length, 2);
    } finally {
      await sender.close();
      await server.close();
    }
  });

  it('a Retry-After beyond the cap is cut to the cap; another 429 after a capped wait is not blamed on the server', { timeout: 30_000 }, async () => {
    const server = await hostile.startHostileServer((socket) => hostile.writeAnswer(socket, 429, { 'retry-after': '3600' }));
    const sender = createSender({ baseUrl: server.url, concurrency: 1, timeoutMs: 5000, maxBodyBytes: 1 << 20, retryAfterCapMs: 50 });
    try {
      const exchange = await sender.send(caseOf('getHealth', '/health'));
      assert.equal(exchange.response?.status, 429);
      assert.deepEqual(exchange.retriedAfter, { retryAfter: '3600', waitedMs: 50, capped: true });
      assert.equal(server.requests.length, 2, 'retried once, not more');
      assert.deepEqual(rateLimitCheck.run(exchange, ctx), []);
    } finally {
      await sender.close();
      await server.close();
    }
  });

  it('still 429 after waiting the full Retry-After: a rate-limit advisory on the retry', { timeout: 30_000 }, async () => {
    const server = await hostile.startHostileServer((socket) => hostile.writeAnswer(socket, 429, { 'retry-after': '0' }));
    try {
      const { report } = await runContract(optionsFor(server.url));
      assert.equal(server.requests.length, 4, 'two cases, each retried once');
      const advisories = report.findings.filter((f) => f.check === 'rate-limit');
      assert.equal(advisories.length, 2);
      for (const finding of advisories) {
        assert.equal(finding.severity, 'advisory');
        assert.match(finding.message, /^still 429 after waiting 0 s as the first answer's Retry-After \(0\) asked$/);
        assert.deepEqual(finding.exchange.retriedAfter, { retryAfter: '0', waitedMs: 0, capped: false });
      }
    } finally {
      await server.close();
    }
  });

  it('429 without Retry-After: not retried, reported as a rate-limit advisory', { timeout: 30_000 }, async () => {
    const server = await hostile.startHostileServer((socket) => hostile.writeAnswer(socket, 429, {}));
    try {
      const { report } = await runContract(optionsFor(server.url));
      assert.equal(server.requests.length, 2, 'one request per case');
      const advisories = report.findings.filter((f) => f.check === 'rate-limit');
      assert.deepEqual(advisories.map((f) => [f.operation, f.severity, f.actual]), [
        ['listItems', 'advisory', 'no Retry-After header'],
        ['getHealth', 'advisory', 'no Retry-After header'],
      ]);
      assert.match(advisories[0]!.message, /^429 without Retry-After/);
      assert.equal(advisories[0]!.specPointer?.pointer, '/paths/~1items/get/responses/429');
    } finally {
      await server.close();
    }
  });

  it('an abort during the Retry-After wait returns at once, with no retry', { timeout: 10_000 }, async () => {
    const controller = new AbortController();
    const server = await hostile.startHostileServer((socket) => hostile.writeAnswer(socket, 429, { 'retry-after': '3600' }));
    // the cap is far beyond this test's own timeout: only the abort can end the wait in time
    const sender = createSender({ baseUrl: server.url, concurrency: 1, timeoutMs: 5000, maxBodyBytes: 1 << 20, retryAfterCapMs: 3_600_000 });
    try {
      const pending = sender.send(caseOf('getHealth', '/health'), controller.signal);
      while (server.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
      // give the 429 time to reach the client; an earlier abort ends the request itself, which is fine too
      await new Promise((resolve) => setTimeout(resolve, 200));
      controller.abort();
      const exchange = await pending;
      assert.equal(exchange.retriedAfter, undefined);
      assert.ok(exchange.response?.status === 429 || /aborted/.test(exchange.transportError?.message ?? ''), JSON.stringify(exchange.transportError));
      assert.equal(server.requests.length, 1);
    } finally {
      await sender.close();
      await server.close();
    }
  });
});
