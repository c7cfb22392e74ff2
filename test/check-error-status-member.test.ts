import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkErrorStatusPointer, errorStatusMemberCheck } from '../src/check/error-status-member.js';
import { InputError } from '../src/errors.js';
import { findingsWithOptions } from './support-check-options.js';
import { testCheck } from './support-check-tester.js';

const spec = `
openapi: 3.0.3
info: { title: Shop, version: '1' }
components:
  schemas:
    GoogleError:
      type: object
      required: [error]
      properties:
        error:
          type: object
          properties:
            code: { type: integer }
            message: { type: string }
            errors:
              type: array
              items:
                type: object
                properties:
                  domain: { type: string }
                  reason: { type: string }
                  message: { type: string }
                  locationType: { type: string }
                  location: { type: string }
    SpringError:
      type: object
      properties:
        timestamp: { type: string }
        status: { type: integer }
        error: { type: string }
        message: { type: string }
        path: { type: string }
    OnapError:
      type: object
      properties:
        requestError: { type: object }
    Vendor:
      type: object
      properties:
        failure: { type: object, properties: { httpCode: { type: integer } } }
paths:
  /files:
    get:
      operationId: listFiles
      responses:
        '200': { description: files, content: { application/json: { schema: { type: array } } } }
        default:
          description: Google-style errors
          content:
            application/json:
              schema: { $ref: '#/components/schemas/GoogleError' }
  /orders:
    get:
      operationId: listOrders
      responses:
        '200': { description: orders, content: { application/json: { schema: { type: array } } } }
        4XX:
          description: Spring Boot errors
          content:
            application/json:
              schema: { $ref: '#/components/schemas/SpringError' }
  /subscribers:
    get:
      operationId: listSubscribers
      responses:
        '200': { description: subscribers, content: { application/json: { schema: { type: array } } } }
        '400':
          description: ONAP errors
          content:
            application/json:
              schema: { $ref: '#/components/schemas/OnapError' }
        '404':
          description: a vendor envelope that detection cannot read
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Vendor' }
  /health:
    get:
      operationId: getHealth
      responses:
        '200': { description: up }
`;

const GOOGLE_404 = { error: { code: 404, message: 'File not found', errors: [{ domain: 'global', reason: 'notFound', message: 'File not found', locationType: 'parameter', location: 'fileId' }] } };
const SPRING_400 = { timestamp: '2024-05-01T10:00:00.000+00:00', status: 400, error: 'Bad Request', message: 'limit must be positive', path: '/orders' };

testCheck({
  check: errorStatusMemberCheck,
  spec,
  valid: [
    { name: 'a documented Google envelope with the right code', operation: 'listFiles', answer: { status: 404, json: GOOGLE_404 } },
    { name: 'a Google envelope in application/json; charset=UTF-8', operation: 'listFiles', answer: { status: 403, headers: { 'content-type': 'application/json; charset=UTF-8' }, json: { error: { code: 403, message: 'The caller does not have permission' } } } },
    { name: 'a Spring error with the right status', operation: 'listOrders', answer: { status: 400, json: SPRING_400 } },
    { name: 'an ONAP requestError carries no status', operation: 'listSubscribers', answer: { status: 400, json: { requestError: { serviceException: { messageId: 'SVC0002', text: 'Invalid input value for message part %1', variables: ['limit'] } } } } },
    { name: 'a Google envelope without code', operation: 'listFiles', answer: { status: 400, json: { error: { message: 'bad' } } } },
    { name: 'problem details are problem-details business', operation: 'listFiles', answer: { status: 400, headers: { 'content-type': 'application/problem+json' }, json: { title: 'Bad Request', status: 422 } } },
    { name: 'an undocumented error status: the document promises no format (errorFormat documented)', operation: 'getHealth', answer: { status: 404, json: { error: { code: 400, message: 'x' } } } },
    { name: 'a success whose body has an error member', operation: 'listFiles', answer: { status: 200, json: { error: { code: 500 } } } },
  ],
  invalid: [
    {
      name: 'a Google error.code other than the HTTP status',
      operation: 'listFiles',
      answer: { status: 404, json: { ...GOOGLE_404, error: { ...GOOGLE_404.error, code: 400 } } },
      findings: [{ message: '404 error body says error.code = 400, which differs from the HTTP status 404', severity: 'error', expected: /error\.code = 404, the HTTP status, as an integer \(a Google-style/, actual: 'error.code = 400', specPointer: '/paths/~1files/get/responses/default' }],
    },
    {
      name: 'a Google error.code as a string',
      operation: 'listFiles',
      answer: { status: 429, json: { error: { code: '429', message: 'Quota exceeded' } } },
      findings: [{ message: '429 error body has error.code = "429", not the integer 429', actual: 'error.code = "429"' }],
    },
    {
      name: 'a Spring status that disagrees',
      operation: 'listOrders',
      answer: { status: 404, json: { ...SPRING_400, status: 500 } },
      findings: [{ message: '404 error body says status = 500, which differs from the HTTP status 404', expected: /Spring-style/, specPointer: '/paths/~1orders/get/responses/4XX' }],
    },
  ],
});

describe('check error-status-member with --error-status-pointer', () => {
  const vendorRow = (code: unknown) => ({ name: `vendor httpCode ${String(code)}`, operation: 'listSubscribers', answer: { status: 404, json: { failure: { httpCode: code, reason: 'gone' } } } });

  it('reads the member the option names, where detection cannot', async () => {
    assert.deepEqual(await findingsWithOptions(errorStatusMemberCheck, spec, undefined, vendorRow(410)), []);
    const findings = await findingsWithOptions(errorStatusMemberCheck, spec, { errorStatusPointer: '/failure/httpCode' }, vendorRow(410));
    assert.deepEqual(findings.map((f) => f.message), ['404 error body says failure.httpCode = 410, which differs from the HTTP status 404']);
    assert.match(findings[0]?.expected ?? '', /--error-status-pointer/);
  });

  it('passes when the named member equals the status or is absent', async () => {
    assert.deepEqual(await findingsWithOptions(errorStatusMemberCheck, spec, { errorStatusPointer: '/failure/httpCode' }, vendorRow(404)), []);
    const absent = { name: 'another shape', operation: 'listSubscribers', answer: { status: 404, json: { message: 'gone' } } };
    assert.deepEqual(await findingsWithOptions(errorStatusMemberCheck, spec, { errorStatusPointer: '/failure/httpCode' }, absent), []);
  });

  it('applies the option even where the document is silent about the status', async () => {
    const row = { name: 'undocumented', operation: 'getHealth', answer: { status: 503, json: { failure: { httpCode: 500 } } } };
    assert.equal((await findingsWithOptions(errorStatusMemberCheck, spec, { errorStatusPointer: '/failure/httpCode' }, row)).length, 1);
  });

  it('rejects a value that is not a JSON pointer, naming the option', () => {
    assert.equal(checkErrorStatusPointer('/error/code'), '/error/code');
    assert.throws(() => checkErrorStatusPointer('error.code'), (e: unknown) => e instanceof InputError && /^--error-status-pointer: 'error.code' is not a JSON pointer/.test(e.message));
    assert.throws(() => checkErrorStatusPointer('/a~2b'), (e: unknown) => e instanceof InputError && /--error-status-pointer/.test(e.message));
  });
});
