import { responseHeadersCheck } from '../src/check/response-headers.js';
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
          headers:
            X-Total-Count:
              required: true
              schema: { type: integer, minimum: 0 }
            X-Tags:
              schema: { type: array, items: { type: string, enum: [cat, dog, fish] } }
            Content-Type:
              required: true
              schema: { type: string, enum: [application/xml] }
    post:
      operationId: createPet
      responses:
        '201':
          description: created
          headers:
            Location:
              required: true
              schema: { type: string }
            X-Rate-Limit-Remaining:
              schema: { type: integer, minimum: 0 }
        default:
          description: an error
`;

testCheck({
  check: responseHeadersCheck,
  spec,
  valid: [
    { name: 'Location present, a numeric header read as an integer', operation: 'createPet', answer: { status: 201, headers: { Location: '/pets/1', 'X-Rate-Limit-Remaining': '5' } } },
    { name: 'an optional header absent', operation: 'createPet', answer: { status: 201, headers: { location: '/pets/2' } } },
    { name: 'an integer header of 0 and an array header', operation: 'listPets', answer: { status: 200, headers: { 'x-total-count': '0', 'x-tags': 'cat,dog' }, body: '' } },
    { name: 'a documented Content-Type header is ignored, as OpenAPI says', operation: 'listPets', answer: { status: 200, headers: { 'X-TOTAL-COUNT': '3', 'content-type': 'application/json' }, body: '[]' } },
    { name: 'a default response documents no headers', operation: 'createPet', answer: { status: 400 } },
  ],
  invalid: [
    {
      name: '201 without Location',
      operation: 'createPet',
      answer: { status: 201 },
      findings: [{ message: '201 is missing the required header Location', severity: 'error', expected: 'a Location header', actual: 'absent', specPointer: '/paths/~1pets/post/responses/201/headers/Location' }],
    },
    {
      name: 'a count that is not a number',
      operation: 'listPets',
      answer: { status: 200, headers: { 'x-total-count': 'many' } },
      findings: [{ message: /^200 header X-Total-Count: "many" must be integer/, expected: 'type (type: "integer")', actual: 'X-Total-Count: many', specPointer: /\/headers\/X-Total-Count\/schema\/type$/ }],
    },
    {
      name: 'a negative remaining count',
      operation: 'createPet',
      answer: { status: 201, headers: { location: '/pets/3', 'x-rate-limit-remaining': '-1' } },
      findings: [{ message: /X-Rate-Limit-Remaining: "-1" must be >= 0/, expected: 'minimum (comparison: ">=", limit: 0)', specPointer: /\/minimum$/ }],
    },
    {
      name: 'an array item outside its enum',
      operation: 'listPets',
      answer: { status: 200, headers: { 'x-total-count': '1', 'x-tags': 'cat,snake' } },
      findings: [{ message: /X-Tags: "cat,snake" must be equal to one of the allowed values/, expected: /^enum \(allowedValues: \["cat","dog","fish"\]\)/ }],
    },
  ],
});
