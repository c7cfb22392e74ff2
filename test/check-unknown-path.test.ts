import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { unknownPathCheck } from '../src/check/unknown-path.js';
import type { Why } from '../src/model.js';
import { findingsWithOptions } from './support-check-options.js';
import { testCheck, type Answer } from './support-check-tester.js';

const UNKNOWN: Why = { where: 'path', keyword: 'paths', value: '/acc-no-such-path-1', description: '/acc-no-such-path-1 is not a path of the document' };

const row = (name: string, answer: Answer) => ({ name, operation: 'listItems', kind: 'method' as const, path: '/acc-no-such-path-1', why: UNKNOWN, answer });

const problemSpec = `
openapi: 3.0.3
info: { title: Shop, version: '1' }
components:
  schemas:
    Problem:
      type: object
      required: [title, status]
      properties:
        type: { type: string }
        title: { type: string }
        status: { type: integer }
  responses:
    NotFound:
      description: nothing here
      content:
        application/problem+json:
          schema: { $ref: '#/components/schemas/Problem' }
paths:
  /items:
    get:
      operationId: listItems
      responses:
        '200':
          description: the items
          content:
            application/json:
              schema: { type: array }
        '400':
          description: bad query
          content:
            application/problem+json:
              schema: { $ref: '#/components/schemas/Problem' }
  /items/{id}:
    get:
      operationId: getItem
      parameters:
        - { name: id, in: path, required: true, schema: { type: string } }
      responses:
        '200': { description: the item }
        '404': { $ref: '#/components/responses/NotFound' }
`;

const PAGE = '<!DOCTYPE html><html><head><title>404 Not Found</title></head><body><h1>Not Found</h1><p>Cannot GET /acc-no-such-path-1</p></body></html>';

testCheck({
  check: unknownPathCheck,
  spec: problemSpec,
  valid: [
    row('404 problem details, as the document gives its 404s', { status: 404, headers: { 'content-type': 'application/problem+json' }, json: { type: 'about:blank', title: 'Not Found', status: 404 } }),
    row('404 problem with extension members and a charset', { status: 404, headers: { 'content-type': 'application/problem+json; charset=utf-8' }, json: { title: 'Not Found', status: 404, path: '/acc-no-such-path-1' } }),
    row('a 5xx is server-error business', { status: 500, headers: { 'content-type': 'text/html' }, body: '<h1>boom</h1>' }),
    row('429', { status: 429 }),
    { name: 'a method case is method-not-allowed business', operation: 'listItems', kind: 'method' as const, method: 'DELETE', why: { where: 'method', keyword: 'method', description: 'DELETE' }, answer: { status: 200 } },
  ],
  invalid: [
    {
      ...row('an HTML 404 page', { status: 404, headers: { 'content-type': 'text/html; charset=utf-8' }, body: PAGE }),
      findings: [{ message: "404 for an unknown path is an HTML page (text/html; charset=utf-8), not the API's error format", severity: 'error', expected: '404 in the error format the API documents', actual: /^404 text\/html; charset=utf-8: <!DOCTYPE html>/, specPointer: '/paths' }],
    },
    {
      ...row('a single-page-app fallback: 200 with index.html', { status: 200, headers: { 'content-type': 'text/html' }, body: '<!doctype html><div id="app"></div>' }),
      findings: [{ message: '/acc-no-such-path-1 is not a path of the document but was answered 200 with a page', severity: 'error', expected: '404' }],
    },
    {
      ...row('404 in plain JSON where the API gives problem+json', { status: 404, json: { message: 'not found' } }),
      findings: [{ message: '404 for an unknown path is application/json; the API documents its errors as application/problem+json (#/components/responses/NotFound)', severity: 'warning', specPointer: '/components/responses/NotFound' }],
    },
    {
      ...row('404 problem+json that breaks the documented schema', { status: 404, headers: { 'content-type': 'application/problem+json' }, json: { detail: 'no route' } }),
      findings: [{ message: "404 for an unknown path is not in the API's error format (#/components/schemas/Problem): body must have required property 'title'", severity: 'warning', specPointer: '/components/schemas/Problem/required' }],
    },
    {
      ...row('401 before routing', { status: 401, headers: { 'www-authenticate': 'Bearer' } }),
      findings: [{ message: '/acc-no-such-path-1 is not a path of the document and was answered 401, not 404', severity: 'warning' }],
    },
    {
      ...row('an empty 404', { status: 404 }),
      findings: [{ message: '404 for an unknown path has an empty body; the API documents its errors as application/problem+json', severity: 'warning' }],
    },
  ],
});

// An API whose errors are plain text: a text 404 is its format, not a framework page.
testCheck({
  check: unknownPathCheck,
  spec: `
openapi: 3.0.3
info: { title: Legacy, version: '1' }
paths:
  /items:
    get:
      operationId: listItems
      responses:
        '200':
          description: the items
          content:
            application/json:
              schema: { type: array }
        default:
          description: errors as text
          content:
            text/plain:
              schema: { type: string }
`,
  valid: [
    row('a text/plain 404', { status: 404, headers: { 'content-type': 'text/plain' }, body: 'Not Found' }),
    row('a text/plain 404 with a charset', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'no such path' }),
    row('503', { status: 503 }),
    row('a 404 with a long text', { status: 404, headers: { 'content-type': 'text/plain' }, body: 'The requested resource could not be found on this server.' }),
  ],
  invalid: [
    { ...row('an HTML page', { status: 404, headers: { 'content-type': 'text/html' }, body: PAGE }), findings: [{ message: /is an HTML page/ }] },
    { ...row('a 204', { status: 204 }), findings: [{ message: /was answered 204$/ }] },
    { ...row('JSON where the API gives text', { status: 404, json: { message: 'x' } }), findings: [{ message: /is application\/json; the API documents its errors as text\/plain/, severity: 'warning' }] },
  ],
});

describe('check unknown-path with --error-format, where the document gives no error format', () => {
  const silent = `
openapi: 3.0.3
info: { title: Silent, version: '1' }
paths:
  /items:
    get:
      operationId: listItems
      responses:
        '200': { description: the items, content: { application/json: { schema: { type: array } } } }
`;
  const plainJson = row('plain JSON 404', { status: 404, json: { message: 'not found' } });

  it('documented (the default): any JSON 404 passes, an HTML page does not', async () => {
    assert.deepEqual(await findingsWithOptions(unknownPathCheck, silent, undefined, plainJson), []);
    const html = await findingsWithOptions(unknownPathCheck, silent, undefined, row('html', { status: 404, headers: { 'content-type': 'text/html' }, body: PAGE }));
    assert.deepEqual(html.map((f) => f.severity), ['error']);
  });

  it('problem: a 404 that is not problem+json is a warning', async () => {
    const findings = await findingsWithOptions(unknownPathCheck, silent, { errorFormat: 'problem' }, plainJson);
    assert.deepEqual(findings.map((f) => [f.severity, f.message]), [['warning', '404 for an unknown path is application/json, not problem details (--error-format problem)']]);
    const problem = row('problem 404', { status: 404, headers: { 'content-type': 'application/problem+json' }, json: { title: 'Not Found', status: 404 } });
    assert.deepEqual(await findingsWithOptions(unknownPathCheck, silent, { errorFormat: 'problem' }, problem), []);
  });
});
