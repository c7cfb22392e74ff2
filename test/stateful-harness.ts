// RuleTester for the stateful checks: a row is a chain of steps, each answered in turn by one real HTTP server;
// the check runs on every step's exchange, as core's exec does.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { checks, runChecks } from '../src/check/registry.js';
import type { Case, Check, CheckContext, Exchange, Finding, Severity } from '../src/model.js';
import type { StepName } from '../src/plan/stateful-steps.js';
import { createValidator } from '../src/schema/validator.js';
import { loadSpec } from '../src/spec/index.js';
import { exchangeFor } from './support-check-tester.js';

export interface StepAnswer {
  status: number;
  /** '{origin}' in a header value is replaced by the server's origin (http://127.0.0.1:PORT) */
  headers?: Record<string, string>;
  json?: unknown;
}

export interface StepRow {
  step: StepName;
  /** operationId in the table's spec */
  operation: string;
  /** the request path, relative to the base URL */
  path: string;
  /** sent as JSON */
  body?: unknown;
  mediaType?: string;
  answer: StepAnswer;
}

export interface ChainRow {
  name: string;
  steps: StepRow[];
  /** a path prefix of the base URL, e.g. '/api' */
  basePath?: string;
}

export interface ExpectedFinding {
  message: string | RegExp;
  severity?: Severity;
  expected?: string | RegExp;
  actual?: string | RegExp;
  specPointer?: string | RegExp;
}

export interface InvalidChainRow extends ChainRow {
  findings: ExpectedFinding[];
}

export interface ChainCheckTable {
  check: Check;
  spec: string;
  valid: ChainRow[];
  invalid: InvalidChainRow[];
}

/** Answers the n-th request with the n-th answer of the row. */
export async function startSequenceServer(answers: StepAnswer[]): Promise<{ url: string; close: () => Promise<void> }> {
  let next = 0;
  let origin = '';
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const answer = answers[next++] ?? { status: 599 };
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(answer.headers ?? {})) headers[name] = value.replace('{origin}', origin);
      if (answer.json !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
      res.writeHead(answer.status, headers);
      res.end(answer.json === undefined ? undefined : JSON.stringify(answer.json));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: origin,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function stepCase(ctx: CheckContext, row: ChainRow, step: StepRow, previous: Exchange[]): Case {
  const operation = ctx.spec.operations.find((op) => op.id === step.operation);
  assert.ok(operation, `row "${row.name}": no operation ${step.operation}`);
  const headers: Record<string, string> = { accept: 'application/json' };
  const mediaType = step.mediaType ?? 'application/json';
  if (step.body !== undefined) headers['content-type'] = mediaType;
  return {
    id: `${row.name}#${step.step}`,
    operation,
    kind: 'stateful',
    request: { method: operation.method.toUpperCase(), path: step.path, headers, ...(step.body === undefined ? {} : { body: JSON.stringify(step.body) }) },
    values: step.body === undefined ? {} : { body: step.body, mediaType },
    expect: { documented: operation.responses.map((r) => r.status), outcome: 'success' },
    chain: { chain: row.name, step: step.step, previous: [...previous] },
  };
}

/** Sends the row's steps in order and runs the check (or every check given, folded as core does) on each answer. */
export async function runChainRow(ctx: CheckContext, check: Check | readonly Check[], row: ChainRow): Promise<{ exchanges: Exchange[]; findings: Finding[]; applied: number }> {
  const server = await startSequenceServer(row.steps.map((s) => s.answer));
  const exchanges: Exchange[] = [];
  const findings: Finding[] = [];
  let applied = 0;
  try {
    for (const step of row.steps) {
      const exchange = await exchangeFor(stepCase(ctx, row, step, exchanges), `${server.url}${row.basePath ?? ''}`);
      assert.equal(exchange.transportError, undefined, `transport error: ${exchange.transportError?.message}`);
      exchanges.push(exchange);
      const result = runChecks(exchange, ctx, Array.isArray(check) ? [...check] : [check as Check]);
      applied += result.ran.length;
      findings.push(...result.findings);
    }
  } finally {
    await server.close();
  }
  return { exchanges, findings, applied };
}

function matches(actual: string | undefined, wanted: string | RegExp): boolean {
  if (actual === undefined) return false;
  return typeof wanted === 'string' ? actual.includes(wanted) : wanted.test(actual);
}

function show(findings: Finding[]): string {
  return findings.map((f) => `  [${f.severity}] ${f.message} | expected: ${f.expected} | actual: ${f.actual} | at ${f.specPointer?.pointer}`).join('\n');
}

export function testChainCheck(table: ChainCheckTable): void {
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

    it('is registered, with both tables filled', () => {
      assert.ok(checks.includes(check), `${check.id} is not in the registry`);
      assert.equal(check.category, 'stateful');
      assert.ok(table.valid.length >= 4, 'the valid table needs at least 4 rows');
      assert.ok(table.invalid.length >= 3, 'the invalid table needs at least 3 rows');
    });

    describe('valid', () => {
      for (const row of table.valid) {
        it(row.name, async () => {
          assert.ok(ctx);
          const { findings, applied } = await runChainRow(ctx, check, row);
          // A trap the check never looked at would prove nothing.
          assert.ok(applied > 0, 'the check applied to no step of the row');
          assert.equal(findings.length, 0, `expected no finding, got:\n${show(findings)}`);
        });
      }
    });

    describe('invalid', () => {
      for (const row of table.invalid) {
        it(row.name, async (t) => {
          assert.ok(ctx);
          const { exchanges, findings } = await runChainRow(ctx, check, row);
          for (const f of findings) t.diagnostic(`[${f.severity}] ${f.message} | expected: ${f.expected} | actual: ${f.actual} | at ${f.specPointer?.pointer}`);
          assert.equal(findings.length, row.findings.length, `expected ${row.findings.length} finding(s), got:\n${show(findings)}`);
          findings.forEach((finding, i) => {
            const wanted = row.findings[i]!;
            const label = `finding ${i}: ${finding.message}`;
            assert.equal(finding.check, check.id);
            assert.ok(exchanges.includes(finding.exchange));
            for (const field of ['message', 'expected', 'actual'] as const) assert.ok((finding[field] ?? '').length > 0, `${label}: no ${field}`);
            assert.ok(finding.specPointer && finding.specPointer.file.length > 0, `${label}: no specPointer`);
            assert.ok(matches(finding.message, wanted.message), `${label}\n  message should match ${String(wanted.message)}`);
            if (wanted.severity !== undefined) assert.equal(finding.severity, wanted.severity, label);
            if (wanted.expected !== undefined) assert.ok(matches(finding.expected, wanted.expected), `${label}\n  expected "${finding.expected}" should match ${String(wanted.expected)}`);
            if (wanted.actual !== undefined) assert.ok(matches(finding.actual, wanted.actual), `${label}\n  actual "${finding.actual}" should match ${String(wanted.actual)}`);
            if (wanted.specPointer !== undefined) {
              const pointer = finding.specPointer?.pointer ?? '';
              const ok = typeof wanted.specPointer === 'string' ? pointer === wanted.specPointer : wanted.specPointer.test(pointer);
              assert.ok(ok, `${label}\n  specPointer "${pointer}" should be ${String(wanted.specPointer)}`);
            }
          });
        });
      }
    });
  });
}
