import { serverErrorCheck } from '../src/check/server-error.js';
import { testCheck } from './support-check-tester.js';

const spec = `
openapi: 3.0.3
info: { title: Pets, version: '1' }
paths:
  /pets:
    get:
      operationId: listPets
      responses:
        '200':
          description: the pets
          content:
            application/json:
              schema: { type: array, items: { type: object } }
        '503':
          description: down for maintenance
        default:
          description: an error
  /pets/{petId}:
    get:
      operationId: getPet
      parameters:
        - { name: petId, in: path, required: true, schema: { type: string } }
      responses:
        '200': { description: one pet }
        '404': { description: no such pet }
`;

testCheck({
  check: serverErrorCheck,
  spec,
  valid: [
    { name: 'a 200 whose body talks about errors', operation: 'listPets', answer: { status: 200, json: [{ note: '500 Internal Server Error' }] } },
    { name: 'a documented 404 for an invented id', operation: 'getPet', answer: { status: 404, json: { message: 'not found' } } },
    { name: '429 rate limit is a client-side status', operation: 'listPets', answer: { status: 429, headers: { 'retry-after': '1' } } },
    { name: 'a redirect', operation: 'listPets', answer: { status: 302, headers: { location: '/elsewhere' } } },
    { name: '499, a proxy status below 500', operation: 'listPets', answer: { status: 499 } },
    { name: '501 to an undocumented method is a refusal, judged by method-not-allowed', operation: 'listPets', kind: 'method', method: 'PURGE', why: { where: 'method', keyword: 'method', value: 'PURGE', description: 'PURGE is not documented for /pets' }, answer: { status: 501 } },
  ],
  invalid: [
    {
      name: '500 with a stack trace',
      operation: 'listPets',
      answer: { status: 500, json: { error: 'TypeError: Cannot read properties of undefined' } },
      findings: [{ message: /server error 500: .*TypeError: Cannot read properties/, severity: 'error', actual: /^500 /, specPointer: '/paths/~1pets/get/responses/default' }],
    },
    {
      name: 'a documented 503 is still a failure',
      operation: 'listPets',
      answer: { status: 503, headers: { 'content-type': 'text/plain' }, body: 'maintenance' },
      findings: [{ message: /server error 503: maintenance \(the status is documented/, specPointer: '/paths/~1pets/get/responses/503' }],
    },
    {
      name: '502 HTML page from a proxy',
      operation: 'getPet',
      answer: { status: 502, headers: { 'content-type': 'text/html' }, body: '<html><body><h1>502 Bad Gateway</h1></body></html>' },
      findings: [{ message: /server error 502: <html>.*Bad Gateway/, expected: /documented: 200, 404/, specPointer: '/paths/~1pets~1{petId}/get' }],
    },
    {
      name: '500 with an empty body',
      operation: 'getPet',
      answer: { status: 500 },
      findings: [{ message: 'server error 500 with an empty body', actual: '500' }],
    },
  ],
});
