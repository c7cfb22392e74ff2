import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { problemDetailsCheck } from '../src/check/problem-details.js';
import { parseErrorFormat } from '../src/check/responses.js';
import { InputError } from '../src/errors.js';
import { findingsWithOptions } from './support-check-options.js';
import { testCheck } from './support-check-tester.js';

const spec = `
openapi: 3.0.3
info: { title: Shop, version: '1' }
components:
  schemas:
    Problem:
      type: object
      properties:
        type: { type: string }
        title: { type: string }
        status: { type: integer }
        detail: { type: string }
        instance: { type: string }
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
          description: problem details only
          content:
            application/problem+json:
              schema: { $ref: '#/components/schemas/Problem' }
        '404':
          description: problem details, or plain JSON
          content:
            application/problem+json:
              schema: { $ref: '#/components/schemas/Problem' }
            application/json:
              schema: { type: object }
        '410':
          description: problem details in XML
          content:
            application/problem+xml:
              schema: { type: string }
        '422':
          description: the API's own JSON errors
          content:
            application/json:
              schema: { type: object }
  /nothing:
    get:
      operationId: getNothing
      responses:
        '200': { description: nothing documented for errors }
`;

const PROBLEM = { type: 'https://shop.example.com/problems/out-of-credit', title: 'You do not have enough credit.', status: 400, detail: 'Your balance is 30, but that costs 50.', instance: '/account/12345/msgs/abc' };

testCheck({
  check: problemDetailsCheck,
  spec,
  valid: [
    { name: 'a problem with extension members', operation: 'listItems', answer: { status: 400, headers: { 'content-type': 'application/problem+json' }, json: { ...PROBLEM, balance: 30, accounts: ['/account/12345', '/account/67890'] } } },
    { name: 'type absent (about:blank) with the reason phrase as title', operation: 'listItems', answer: { status: 400, headers: { 'content-type': 'application/problem+json' }, json: { title: 'Bad Request', status: 400 } } },
    { name: 'application/problem+json; charset=utf-8', operation: 'listItems', answer: { status: 400, headers: { 'content-type': 'application/problem+json; charset=utf-8' }, json: PROBLEM } },
    { name: 'relative type and instance references', operation: 'listItems', answer: { status: 400, headers: { 'content-type': 'application/problem+json' }, json: { type: '/problems/out-of-credit', instance: 'msgs/abc?x=1#y', status: 400 } } },
    { name: 'about:blank with the RFC 9110 phrase of 422', operation: 'listItems', answer: { status: 422, headers: { 'content-type': 'application/problem+json' }, json: { type: 'about:blank', title: 'Unprocessable Content', status: 422 } } },
    { name: 'a problem with only a detail member', operation: 'getNothing', answer: { status: 418, headers: { 'content-type': 'application/problem+json' }, json: { detail: 'short and stout' } } },
    { name: 'the documented plain JSON alternative, not problem-shaped', operation: 'listItems', answer: { status: 404, json: { message: 'no such item' } } },
    { name: "the API's own JSON error format where it documents application/json", operation: 'listItems', answer: { status: 422, json: { message: 'invalid', errors: [{ field: 'name' }] } } },
    { name: 'documented problem+xml is not read', operation: 'listItems', answer: { status: 410, headers: { 'content-type': 'application/problem+xml' }, body: '<problem><status>400</status></problem>' } },
    { name: 'a problem-shaped body with an undocumented status is not judged (errorFormat documented)', operation: 'listItems', answer: { status: 409, json: { title: 'Conflict', status: 400 } } },
    { name: 'a success that looks like a problem', operation: 'listItems', answer: { status: 200, json: { title: 'x', status: 500 } } },
    { name: 'an HTML page is html-response business', operation: 'listItems', answer: { status: 400, headers: { 'content-type': 'text/html' }, body: '<h1>Bad</h1>' } },
  ],
  invalid: [
    {
      name: 'status as a string',
      operation: 'listItems',
      answer: { status: 400, headers: { 'content-type': 'application/problem+json' }, json: { ...PROBLEM, status: '400' } },
      findings: [{ message: '400 problem: "status" is "400", not an integer', severity: 'error', expected: /an integer equal to the HTTP status/, actual: '"status": "400"', specPointer: '/paths/~1items/get/responses/400/content' }],
    },
    {
      name: 'status differs from the HTTP status',
      operation: 'listItems',
      answer: { status: 400, headers: { 'content-type': 'application/problem+json' }, json: { ...PROBLEM, status: 422 } },
      findings: [{ message: '400 problem says "status": 422, which differs from the HTTP status 400', actual: '"status": 422' }],
    },
    {
      name: 'a problem labelled application/json where only problem+json is documented',
      operation: 'listItems',
      answer: { status: 400, json: PROBLEM },
      findings: [{ message: /^400 carries problem details labelled application\/json; the document promises application\/problem\+json/, severity: 'error', expected: 'Content-Type: application/problem+json', actual: 'Content-Type: application/json' }],
    },
    {
      name: 'a problem labelled application/json where the document also allows it: advisory',
      operation: 'listItems',
      answer: { status: 404, json: { ...PROBLEM, status: 404 } },
      findings: [{ message: /^404 carries problem details labelled application\/json; the document allows application\/json here/, severity: 'advisory' }],
    },
    {
      name: 'a Google envelope where problem details are documented',
      operation: 'listItems',
      answer: { status: 400, json: { error: { code: 400, message: 'bad limit', errors: [{ reason: 'invalid', message: 'bad limit' }] } } },
      findings: [{ message: /^400 is a Google-style .* envelope \(application\/json\), not problem details/, severity: 'error', actual: /^application\/json \{"error":/ }],
    },
    {
      name: 'type not a URI reference, title not a string',
      operation: 'listItems',
      answer: { status: 400, headers: { 'content-type': 'application/problem+json' }, json: { type: 'https://example.com/a problem', title: 42, status: 400 } },
      findings: [
        { message: '400 problem: "type" is "https://example.com/a problem", not a URI reference', expected: /RFC 9457/ },
        { message: '400 problem: "title" is 42, not a string' },
      ],
    },
    {
      name: 'about:blank with a title other than the reason phrase: advisory',
      operation: 'listItems',
      answer: { status: 400, headers: { 'content-type': 'application/problem+json' }, json: { type: 'about:blank', title: 'Oops', status: 400 } },
      findings: [{ message: /about:blank has the title "Oops"/, severity: 'advisory', expected: '"title": "Bad Request" (RFC 9457 §4.2.1)' }],
    },
    {
      name: 'a problem body that is an array',
      operation: 'getNothing',
      answer: { status: 418, headers: { 'content-type': 'application/problem+json' }, json: [{ status: 418 }] },
      findings: [{ message: '418 problem body is an array, not a JSON object', specPointer: '/paths/~1nothing/get' }],
    },
    {
      name: 'problem+json that does not parse, where no content is documented',
      operation: 'getNothing',
      answer: { status: 418, headers: { 'content-type': 'application/problem+json' }, body: '{"status": 418,' },
      findings: [{ message: /^418 says application\/problem\+json but the body is not valid JSON/ }],
    },
  ],
});

describe('check problem-details with --error-format', () => {
  const googleRow = { name: 'undocumented 409', operation: 'getNothing', answer: { status: 409, json: { error: { code: 409, message: 'taken' } } } };
  const mismatchRow = { name: 'undocumented 409 problem', operation: 'getNothing', answer: { status: 409, headers: { 'content-type': 'application/problem+json' }, json: { title: 'Conflict', status: 400 } } };

  it('problem: an undocumented error that is not a problem is a warning', async () => {
    const findings = await findingsWithOptions(problemDetailsCheck, spec, { errorFormat: 'problem' }, googleRow);
    assert.deepEqual(findings.map((f) => [f.severity, f.message.replace(/ \(.*$/, '')]), [['warning', '409 is a Google-style {"error":{"code","message","errors"}} envelope']]);
  });

  it('problem: an undocumented problem labelled application/json is a warning, and its members are checked', async () => {
    const row = { ...googleRow, answer: { status: 409, json: { title: 'Conflict', status: 400 } } };
    const findings = await findingsWithOptions(problemDetailsCheck, spec, { errorFormat: 'problem' }, row);
    assert.deepEqual(findings.map((f) => f.severity), ['warning', 'error']);
    assert.match(findings[1]?.message ?? '', /"status": 400, which differs from the HTTP status 409/);
  });

  it('documented (the default): only problems that declare themselves are judged where the document is silent', async () => {
    assert.deepEqual(await findingsWithOptions(problemDetailsCheck, spec, undefined, googleRow), []);
    const findings = await findingsWithOptions(problemDetailsCheck, spec, { errorFormat: 'documented' }, mismatchRow);
    assert.equal(findings.length, 1);
  });

  it('none: nothing is judged where the document is silent, not even a declared problem', async () => {
    assert.deepEqual(await findingsWithOptions(problemDetailsCheck, spec, { errorFormat: 'none' }, mismatchRow), []);
    const documented = { name: 'documented 400', operation: 'listItems', answer: { status: 400, headers: { 'content-type': 'application/problem+json' }, json: { title: 'Bad Request', status: 422 } } };
    assert.equal((await findingsWithOptions(problemDetailsCheck, spec, { errorFormat: 'none' }, documented)).length, 1);
  });
});

describe('--error-format values', () => {
  it('reads problem, documented and none, and names the option for anything else', () => {
    assert.deepEqual(['problem', 'Documented', ' none '].map(parseErrorFormat), ['problem', 'documented', 'none']);
    assert.throws(() => parseErrorFormat('rfc7807'), (e: unknown) => e instanceof InputError && e.message === "--error-format: 'rfc7807' is not one of problem, documented, none");
  });
});
