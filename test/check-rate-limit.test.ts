import { rateLimitCheck } from '../src/check/rate-limit.js';
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
        '429':
          description: slow down
          headers:
            Retry-After: { schema: { type: integer } }
  /pets/{petId}:
    get:
      operationId: getPet
      parameters:
        - { name: petId, in: path, required: true, schema: { type: string } }
      responses:
        '200': { description: one pet }
`;

testCheck({
  check: rateLimitCheck,
  spec,
  valid: [
    { name: '429 with Retry-After in seconds', operation: 'listPets', answer: { status: 429, headers: { 'retry-after': '120' } } },
    { name: '429 with Retry-After: 0', operation: 'getPet', answer: { status: 429, headers: { 'retry-after': '0' } } },
    { name: '429 with an IMF-fixdate', operation: 'listPets', answer: { status: 429, headers: { 'retry-after': 'Wed, 21 Oct 2015 07:28:00 GMT' } } },
    { name: '429 with an obsolete RFC 850 date', operation: 'listPets', answer: { status: 429, headers: { 'retry-after': 'Sunday, 06-Nov-94 08:49:37 GMT' } } },
    { name: '429 with an asctime date', operation: 'listPets', answer: { status: 429, headers: { 'retry-after': 'Sun Nov  6 08:49:37 1994' } } },
    { name: '503 without Retry-After is not a rate limit', operation: 'listPets', answer: { status: 503 } },
    { name: '200 without Retry-After', operation: 'listPets', answer: { status: 200, json: [] } },
    { name: 'a 200 whose body mentions 429', operation: 'getPet', answer: { status: 200, json: { note: '429 Too Many Requests, Retry-After missing' } } },
  ],
  invalid: [
    {
      name: '429 without Retry-After, documented 429',
      operation: 'listPets',
      answer: { status: 429, json: { error: 'slow down' } },
      findings: [{ message: /^429 without Retry-After/, severity: 'advisory', actual: 'no Retry-After header', specPointer: '/paths/~1pets/get/responses/429' }],
    },
    {
      name: '429 without Retry-After, undocumented 429',
      operation: 'getPet',
      answer: { status: 429 },
      findings: [{ message: /^429 without Retry-After/, severity: 'advisory', specPointer: '/paths/~1pets~1{petId}/get' }],
    },
    {
      name: '429 with Retry-After in milliseconds and a unit',
      operation: 'listPets',
      answer: { status: 429, headers: { 'retry-after': '1500ms' } },
      findings: [{ message: /Retry-After "1500ms", which is neither delta-seconds nor an HTTP-date/, actual: 'Retry-After: 1500ms', expected: /delta-seconds/ }],
    },
    {
      name: '429 with a fractional Retry-After',
      operation: 'listPets',
      answer: { status: 429, headers: { 'retry-after': '1.5' } },
      findings: [{ message: /Retry-After "1.5"/, severity: 'advisory' }],
    },
    {
      name: '429 with an ISO 8601 date, which is not an HTTP-date',
      operation: 'listPets',
      answer: { status: 429, headers: { 'retry-after': '2015-10-21T07:28:00Z' } },
      findings: [{ message: /Retry-After "2015-10-21T07:28:00Z"/ }],
    },
    {
      name: '429 with an empty Retry-After',
      operation: 'getPet',
      answer: { status: 429, headers: { 'retry-after': '' } },
      findings: [{ message: /^429 without Retry-After/ }],
    },
  ],
});
