// One exchange, one cause (issue 16): every check runs on a real answer, as core runs them, and the doubled
// findings the issue names come back as one finding with the others folded into it.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { checks, FOLDS, runChecks } from '../src/check/registry.js';
import { foldFindings } from '../src/check/fold.js';
import type { CheckContext, Finding } from '../src/model.js';
import { createValidator } from '../src/schema/validator.js';
import { loadSpec } from '../src/spec/index.js';
import { STEP } from '../src/plan/stateful-steps.js';
import { caseFor, exchangeFor, startAnswerServer, type Row } from './support-check-tester.js';
import { runChainRow } from './stateful-harness.js';
import { ITEMS_SPEC } from './stateful-spec.js';

const SHOP = `
openapi: 3.0.3
info: { title: Shop, version: '1' }
components:
  securitySchemes:
    bearer: { type: http, scheme: bearer }
  schemas:
    Problem:
      type: object
      properties:
        type: { type: string }
        title: { type: string }
        status: { type: integer }
        detail: { type: string }
paths:
  /items:
    get:
      operationId: listItems
      security: [{ bearer: [] }]
      parameters:
        - { name: limit, in: query, schema: { type: integer, maximum: 100 } }
      responses:
        '200':
          description: the items
          content: { application/json: { schema: { type: array, items: { type: object } } } }
        '400':
          description: a bad request
          content: { application/problem+json: { schema: { $ref: '#/components/schemas/Problem' } } }
        '401':
          description: no credentials
          headers:
            WWW-Authenticate: { required: true, schema: { type: string } }
          content: { application/problem+json: { schema: { $ref: '#/components/schemas/Problem' } } }
`;

const PAGE = '<!DOCTYPE html><html><head><title>Error</title></head><body><h1>Something went wrong</h1></body></html>';
const PROBLEM = { type: 'about:blank', title: 'Unauthorized', status: 401 };

interface FoldRow extends Row {
  keeps: string;
  folds: string[];
  /** checks of the list that stay out of this exchange by their own scope */
  outOfScope?: string[];
}

const NO_CREDENTIALS = { where: 'credentials', keyword: 'no-credentials', description: 'request sent without credentials to a secured operation' };

const ROWS: FoldRow[] = [
  {
    name: 'an HTML error page: html-response, with content-type folded in',
    operation: 'listItems',
    kind: 'negative',
    path: '/items?limit=101',
    why: { where: 'query.limit', keyword: 'maximum', value: 101, description: 'above the maximum 100' },
    answer: { status: 400, headers: { 'content-type': 'text/html; charset=utf-8' }, body: PAGE },
    keeps: 'html-response',
    folds: ['content-type'],
  },
  {
    name: 'an undocumented method answered 405 without Allow, as an HTML page: method-not-allowed, with html-response folded in and no status-documented',
    operation: 'listItems',
    kind: 'method',
    method: 'DELETE',
    path: '/items',
    why: { where: 'method', keyword: 'method', value: 'DELETE', description: 'DELETE is not documented for /items' },
    answer: { status: 405, headers: { 'content-type': 'text/html' }, body: PAGE },
    keeps: 'method-not-allowed',
    folds: ['html-response'],
    // status-documented leaves method cases to method-not-allowed, so an undocumented 405 is never a second finding
    outOfScope: ['status-documented'],
  },
  {
    name: 'a 401 without WWW-Authenticate: auth-required, with response-headers folded in',
    operation: 'listItems',
    kind: 'auth',
    why: NO_CREDENTIALS,
    answer: { status: 401, headers: { 'content-type': 'application/problem+json' }, json: PROBLEM },
    keeps: 'auth-required',
    folds: ['response-headers'],
  },
  {
    name: 'a valid request refused with an undocumented status: positive-rejected, with status-documented folded in',
    operation: 'listItems',
    kind: 'positive',
    path: '/items?limit=5',
    answer: { status: 406, headers: { 'content-type': 'application/json' }, json: { message: 'no' } },
    keeps: 'positive-rejected',
    folds: ['status-documented'],
  },
];

describe('folding: one exchange, one cause', () => {
  let directory = '';
  let ctx: CheckContext;

  before(async () => {
    directory = await mkdtemp(path.join(os.tmpdir(), 'check-fold-'));
    const file = path.join(directory, 'openapi.yaml');
    await writeFile(file, SHOP);
    const spec = await loadSpec(file);
    ctx = { spec, validator: createValidator(spec.schemas) };
  });
  after(() => rm(directory, { recursive: true, force: true }));

  for (const row of ROWS) {
    it(row.name, async () => {
      const server = await startAnswerServer(row.answer);
      try {
        const exchange = await exchangeFor(caseFor(ctx.spec, row), server.url);
        const { findings } = runChecks(exchange, ctx, [...checks]);
        assert.deepEqual(findings.map((f) => f.check), [row.keeps], findings.map((f) => `${f.check}: ${f.message}`).join('\n'));
        const kept = findings[0]!;
        assert.deepEqual(kept.folded?.map((f) => f.check).sort(), [...row.folds].sort());
        for (const f of kept.folded ?? []) assert.ok(f.message.length > 0 && f.category.length > 0, `folded ${f.check} keeps its message`);
        // without the keeper nothing is folded: each other check still reports on its own
        const others = runChecks(exchange, ctx, checks.filter((c) => c.id !== row.keeps));
        for (const id of row.folds) assert.ok(others.findings.some((f) => f.check === id || f.folded?.some((g) => g.check === id)), `${id} fires on its own`);
        for (const id of row.outOfScope ?? []) assert.ok(!others.findings.some((f) => f.check === id), `${id} stays out`);
      } finally {
        await server.close();
      }
    });
  }

  it('a 401 missing another documented header keeps both findings: two causes', async () => {
    const doc = SHOP.replace("WWW-Authenticate: { required: true, schema: { type: string } }", "X-Request-Id: { required: true, schema: { type: string } }");
    const file = path.join(directory, 'two-causes.yaml');
    await writeFile(file, doc);
    const spec = await loadSpec(file);
    const local = { spec, validator: createValidator(spec.schemas) };
    const server = await startAnswerServer({ status: 401, headers: { 'content-type': 'application/problem+json' }, json: PROBLEM });
    try {
      const exchange = await exchangeFor(caseFor(spec, { name: 'two causes', operation: 'listItems', kind: 'auth', why: NO_CREDENTIALS, answer: { status: 401 } }), server.url);
      const { findings } = runChecks(exchange, local, [...checks]);
      assert.deepEqual(findings.map((f) => f.check).sort(), ['auth-required', 'response-headers']);
      assert.ok(findings.every((f) => f.folded === undefined));
    } finally {
      await server.close();
    }
  });

  it('a wrong member type read back: response-schema, with create-not-readable and update-not-persisted folded in', async () => {
    const file = path.join(directory, 'items.yaml');
    await writeFile(file, ITEMS_SPEC);
    const spec = await loadSpec(file);
    const local = { spec, validator: createValidator(spec.schemas) };
    const stored = { id: 'a1', name: 'Lamp', size: '3' };
    const { findings } = await runChainRow(local, checks, {
      name: 'size as a string',
      steps: [
        { step: STEP.create, operation: 'createItem', path: '/items', body: { name: 'Lamp', size: 3 }, answer: { status: 201, headers: { location: '/items/a1' }, json: { id: 'a1', name: 'Lamp', size: 3 } } },
        { step: STEP.readAfterCreate, operation: 'getItem', path: '/items/a1', answer: { status: 200, json: stored } },
        { step: STEP.update, operation: 'updateItem', path: '/items/a1', mediaType: 'application/merge-patch+json', body: { size: 4 }, answer: { status: 200, json: { id: 'a1', name: 'Lamp', size: 4 } } },
        { step: STEP.readAfterUpdate, operation: 'getItem', path: '/items/a1', answer: { status: 200, json: { ...stored, size: '4' } } },
      ],
    });
    assert.deepEqual(findings.map((f) => f.check), ['response-schema', 'response-schema'], findings.map((f) => `${f.check}: ${f.message}`).join('\n'));
    assert.deepEqual(findings.map((f) => f.folded?.map((g) => g.check)), [['create-not-readable'], ['update-not-persisted']]);
  });
});

describe('foldFindings', () => {
  const exchange = { case: { why: undefined } } as unknown as Finding['exchange'];
  const finding = (check: string, severity: Finding['severity'], extra: Partial<Finding> = {}): Finding =>
    ({ check, category: 'status', severity, operation: 'op', message: `${check} fired`, exchange, ...extra }) as Finding;

  it('the keeper takes the worse severity, so folding never turns a failing run into a passing one', () => {
    const kept = foldFindings([finding('positive-rejected', 'warning'), finding('status-documented', 'error')], FOLDS);
    assert.deepEqual(kept.map((f) => [f.check, f.severity]), [['positive-rejected', 'error']]);
  });

  it('what a folded finding had folded moves along to its keeper', () => {
    const kept = foldFindings([finding('content-type', 'error'), finding('html-response', 'error'), finding('server-error', 'error')], FOLDS);
    assert.deepEqual(kept.map((f) => f.check), ['server-error']);
    assert.deepEqual(kept[0]!.folded?.map((f) => f.check).sort(), ['content-type', 'html-response']);
  });

  it('every rule names checks of the registry and says why', () => {
    const ids = new Set(checks.map((c) => c.id));
    for (const rule of FOLDS) {
      assert.ok(ids.has(rule.keep), rule.keep);
      for (const id of rule.absorb) assert.ok(ids.has(id), id);
      assert.ok(rule.why.length > 10);
    }
  });
});
