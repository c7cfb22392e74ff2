// RuleTester for checks: every row is a real HTTP answer from a real server, turned into an Exchange and checked.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Agent, request } from 'undici';
import { checks, runChecks } from '../src/check/registry.js';
import { isJsonMediaType } from '../src/check/responses.js';
import type {
  ApiSpec,
  Case,
  Derivation,
  CaseKind,
  Check,
  CheckContext,
  Exchange,
  Finding,
  HttpResponse,
  Severity,
  TransportErrorKind,
  Why,
} from '../src/model.js';
import { createValidator } from '../src/schema/validator.js';
import { loadSpec } from '../src/spec/index.js';

/** What the server does for a row. */
export interface Answer {
  status: number;
  headers?: Record<string, string | string[]>;
  body?: string | Uint8Array;
  /** shorthand: the body is this value as JSON, with Content-Type application/json unless headers give one */
  json?: unknown;
  /** bytes written straight to the socket, for answers node:http refuses to write (a body on 204) */
  raw?: string;
  /** close the connection without answering */
  reset?: boolean;
}

export interface Row {
  name: string;
  /** operationId in the table's spec */
  operation: string;
  kind?: CaseKind;
  /** upper-case; the operation's method when absent */
  method?: string;
  /** the request path; the operation's path with made-up ids when absent */
  path?: string;
  /** a function when the rule must name the spec file, which is only known once the spec is written */
  why?: Why | ((spec: ApiSpec) => Why);
  /** the case's place in the adaptive loop (a baseline try, or a variation of an accepted request) */
  derivation?: Derivation;
  /** reference-like places whose value the tool made up */
  madeUp?: string[];
  answer: Answer;
  /** body size cap; the body is cut and marked truncated beyond it */
  maxBodyBytes?: number;
  /** send to a port nobody listens on */
  refused?: boolean;
}

export interface ExpectedFinding {
  message: string | RegExp;
  severity?: Severity;
  expected?: string | RegExp;
  actual?: string | RegExp;
  /** the JSON pointer of specPointer, exactly, or a pattern */
  specPointer?: string | RegExp;
}

export interface InvalidRow extends Row {
  findings: ExpectedFinding[];
}

export interface CheckTable {
  check: Check;
  /** an OpenAPI document as YAML text */
  spec: string;
  valid: Row[];
  invalid: InvalidRow[];
}

const DEFAULT_BODY_CAP = 1024 * 1024;
const MADE_UP_ID = 'e3b0c442';

function answerBody(answer: Answer): { headers: Record<string, string | string[]>; body?: string | Uint8Array } {
  const headers = { ...(answer.headers ?? {}) };
  if (answer.json === undefined) return answer.body === undefined ? { headers } : { headers, body: answer.body };
  const named = Object.keys(headers).some((name) => name.toLowerCase() === 'content-type');
  if (!named) headers['content-type'] = 'application/json';
  return { headers, body: JSON.stringify(answer.json) };
}

/** A node:http server answering every request with one row's answer. */
export async function startAnswerServer(answer: Answer): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (answer.reset === true) {
        req.socket.destroy();
        return;
      }
      if (answer.raw !== undefined) {
        req.socket.end(answer.raw);
        return;
      }
      const { headers, body } = answerBody(answer);
      res.writeHead(answer.status, headers);
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port that was free a moment ago, so nothing answers on it. */
async function closedPortUrl(): Promise<string> {
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

function transportKind(error: unknown): TransportErrorKind {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  if (code === 'ECONNREFUSED') return 'refused';
  if (code.startsWith('HPE_')) return 'invalid-http';
  if (code.includes('TIMEOUT')) return 'timeout';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE') return 'reset';
  return 'other';
}

function responseHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    if (lower === 'set-cookie') headers[lower] = Array.isArray(value) ? value : [value];
    else headers[lower] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

async function readCapped(body: AsyncIterable<Uint8Array> & { destroy(): unknown }, cap: number): Promise<{ bytes: Uint8Array; truncated: boolean }> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    const room = cap - size;
    if (chunk.length > room) {
      chunks.push(chunk.subarray(0, room));
      body.destroy();
      return { bytes: Buffer.concat(chunks), truncated: true };
    }
    chunks.push(chunk);
    size += chunk.length;
  }
  return { bytes: Buffer.concat(chunks), truncated: false };
}

function parsedBody(response: HttpResponse): Exchange['json'] {
  const contentType = response.headers['content-type'];
  if (typeof contentType !== 'string' || !isJsonMediaType(contentType)) return undefined;
  if (response.truncated) return { ok: false, error: `body cut at ${response.body.length} bytes` };
  try {
    return { ok: true, value: JSON.parse(Buffer.from(response.body).toString('utf8')) as unknown };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/** Performs the case's request for real and records what happened as an Exchange. */
export async function exchangeFor(testCase: Case, baseUrl: string, maxBodyBytes = DEFAULT_BODY_CAP): Promise<Exchange> {
  const url = `${baseUrl}${testCase.request.path}`;
  const start = Date.now();
  const dispatcher = new Agent({ connect: { timeout: 2000 } });
  try {
    const res = await request(url, {
      dispatcher,
      method: testCase.request.method as 'GET',
      headers: testCase.request.headers,
      ...(testCase.request.body === undefined ? {} : { body: testCase.request.body }),
    });
    const { bytes, truncated } = await readCapped(res.body, maxBodyBytes);
    const response: HttpResponse = { status: res.statusCode, headers: responseHeaders(res.headers), body: bytes, truncated };
    const json = parsedBody(response);
    return { case: testCase, url, response, ...(json === undefined ? {} : { json }), timings: { start, durationMs: Date.now() - start } };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { case: testCase, url, transportError: { kind: transportKind(error), message }, timings: { start, durationMs: Date.now() - start } };
  } finally {
    await dispatcher.close().catch(() => undefined);
  }
}

/** The case a row describes, against an operation of the spec. */
export function caseFor(spec: ApiSpec, row: Row): Case {
  const operation = spec.operations.find((op) => op.id === row.operation);
  assert.ok(operation, `row "${row.name}": no operation ${row.operation} in the table's spec`);
  const kind = row.kind ?? 'positive';
  return {
    id: row.name,
    operation,
    kind,
    request: {
      method: row.method ?? operation.method.toUpperCase(),
      path: row.path ?? operation.path.replace(/\{[^}]+\}/g, MADE_UP_ID),
      headers: { accept: 'application/json' },
    },
    expect: {
      documented: operation.responses.map((r) => r.status),
      outcome: kind === 'positive' ? 'success' : kind === 'negative' ? 'client-error' : 'any',
    },
    ...(row.why === undefined ? {} : { why: typeof row.why === 'function' ? row.why(spec) : row.why }),
    ...(row.derivation === undefined ? {} : { derivation: row.derivation }),
    ...(row.madeUp === undefined ? {} : { madeUp: row.madeUp }),
  };
}

function matches(actual: string | undefined, wanted: string | RegExp): boolean {
  if (actual === undefined) return false;
  return typeof wanted === 'string' ? actual.includes(wanted) : wanted.test(actual);
}

function describeFindings(findings: Finding[]): string {
  return findings.map((f) => `  [${f.severity}] ${f.message} | expected: ${f.expected} | actual: ${f.actual} | at ${f.specPointer?.pointer}`).join('\n');
}

function assertComplete(finding: Finding, check: Check, exchange: Exchange): void {
  assert.equal(finding.check, check.id);
  assert.equal(finding.category, check.category);
  assert.equal(finding.operation, exchange.case.operation.id);
  assert.equal(finding.exchange, exchange);
  for (const field of ['message', 'expected', 'actual'] as const) {
    assert.ok((finding[field] ?? '').length > 0, `finding without ${field}: ${finding.message}`);
  }
  assert.ok(finding.specPointer && finding.specPointer.file.length > 0, `finding without specPointer: ${finding.message}`);
}

function assertExpected(finding: Finding, wanted: ExpectedFinding, index: number): void {
  const label = `finding ${index}: ${finding.message}`;
  assert.ok(matches(finding.message, wanted.message), `${label}\n  message should match ${String(wanted.message)}`);
  if (wanted.severity !== undefined) assert.equal(finding.severity, wanted.severity, label);
  if (wanted.expected !== undefined) assert.ok(matches(finding.expected, wanted.expected), `${label}\n  expected "${finding.expected}" should match ${String(wanted.expected)}`);
  if (wanted.actual !== undefined) assert.ok(matches(finding.actual, wanted.actual), `${label}\n  actual "${finding.actual}" should match ${String(wanted.actual)}`);
  if (wanted.specPointer !== undefined) {
    const pointer = finding.specPointer?.pointer;
    const ok = typeof wanted.specPointer === 'string' ? pointer === wanted.specPointer : pointer !== undefined && wanted.specPointer.test(pointer);
    assert.ok(ok, `${label}\n  specPointer "${pointer}" should be ${String(wanted.specPointer)}`);
  }
}

/** Declares the node:test suite for one check: its valid table, then its invalid table. */
export function testCheck(table: CheckTable): void {
  const { check } = table;
  describe(`check ${check.id}`, () => {
    let directory = '';
    let ctx: CheckContext | undefined;

    before(async () => {
      directory = await mkdtemp(path.join(os.tmpdir(), `check-${check.id}-`));
      const file = path.join(directory, 'openapi.yaml');
      await writeFile(file, table.spec);
      const spec = await loadSpec(file);
      ctx = { spec, validator: createValidator(spec.schemas) };
    });
    after(async () => {
      if (directory !== '') await rm(directory, { recursive: true, force: true });
    });

    async function findingsFor(row: Row): Promise<{ exchange: Exchange; findings: Finding[] }> {
      assert.ok(ctx, 'spec not loaded');
      const testCase = caseFor(ctx.spec, row);
      if (row.refused === true) {
        const exchange = await exchangeFor(testCase, await closedPortUrl(), row.maxBodyBytes);
        return { exchange, findings: runChecks(exchange, ctx, [check]).findings };
      }
      const server = await startAnswerServer(row.answer);
      try {
        const exchange = await exchangeFor(testCase, server.url, row.maxBodyBytes);
        return { exchange, findings: runChecks(exchange, ctx, [check]).findings };
      } finally {
        await server.close();
      }
    }

    it('is registered, with both tables filled', () => {
      assert.ok(checks.includes(check), `${check.id} is not in the registry`);
      assert.ok(table.valid.length >= 4, 'the valid table needs at least 4 rows');
      assert.ok(table.invalid.length >= 3, 'the invalid table needs at least 3 rows');
    });

    describe('valid', () => {
      for (const row of table.valid) {
        it(row.name, async () => {
          const { exchange, findings } = await findingsFor(row);
          assert.equal(exchange.transportError === undefined || check.id === 'transport', true, `transport error: ${exchange.transportError?.message}`);
          assert.equal(findings.length, 0, `expected no finding, got:\n${describeFindings(findings)}`);
        });
      }
    });

    describe('invalid', () => {
      for (const row of table.invalid) {
        it(row.name, async (t) => {
          const { exchange, findings } = await findingsFor(row);
          // Shown in the test output, so the wording of every finding can be read in one place.
          for (const finding of findings) t.diagnostic(`[${finding.severity}] ${finding.message} | expected: ${finding.expected} | actual: ${finding.actual} | at ${finding.specPointer?.pointer}`);
          assert.equal(findings.length, row.findings.length, `expected ${row.findings.length} finding(s), got:\n${describeFindings(findings)}`);
          findings.forEach((finding, index) => {
            assertComplete(finding, check, exchange);
            const wanted = row.findings[index];
            assert.ok(wanted);
            assertExpected(finding, wanted, index);
          });
        });
      }
    });
  });
}
