import { positiveRejectedCheck } from '../src/check/positive-rejected.js';
import { testCheck } from './support-check-tester.js';

const spec = `
openapi: 3.0.3
info: { title: Pets, version: '1' }
paths:
  /pets:
    get:
      operationId: listPets
      responses:
        '200': { description: the pets }
    post:
      operationId: createPet
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [name]
              properties:
                name: { type: string }
      responses:
        '201': { description: created }
        '400': { description: invalid pet }
        '409': { description: a pet with this name exists }
        '422': { description: the shop does not sell this kind of pet }
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
  check: positiveRejectedCheck,
  spec,
  valid: [
    { name: 'a documented 404 for the id the tool made up', operation: 'getPet', answer: { status: 404, json: { message: 'no pet e3b0c442' } } },
    { name: 'a documented 409: resource state, not data', operation: 'createPet', answer: { status: 409, json: { message: 'name taken' } } },
    { name: '401 without credentials is the auth check business', operation: 'createPet', answer: { status: 401, headers: { 'www-authenticate': 'Bearer' } } },
    { name: '403 is the auth check business too', operation: 'getPet', answer: { status: 403 } },
    { name: '429 is rate limiting, not a verdict on the data', operation: 'listPets', answer: { status: 429, headers: { 'retry-after': '1' } } },
    { name: 'a negative case rejected is what should happen', operation: 'createPet', kind: 'negative', answer: { status: 400 } },
    { name: 'a positive case accepted', operation: 'createPet', answer: { status: 201, json: { id: 1, name: 'Rex' } } },
  ],
  invalid: [
    {
      name: 'valid data refused with the documented 400',
      operation: 'createPet',
      answer: { status: 400, json: { error: 'name must be at least 3 characters' } },
      findings: [
        {
          message: /^a request valid by the contract was rejected with 400; the server said: .*name must be at least 3 characters/,
          severity: 'error',
          expected: 'a success status (201) for a request valid by the contract',
          actual: /^400 /,
          specPointer: '/paths/~1pets/post/requestBody',
        },
      ],
    },
    {
      name: 'a documented 422 is a warning: a business rule, or a server stricter than its schema',
      operation: 'createPet',
      answer: { status: 422, json: { error: 'we do not sell snakes' } },
      findings: [{ message: /documented 422; a business rule beyond the schema/, severity: 'warning', specPointer: '/paths/~1pets/post/responses/422' }],
    },
    {
      name: 'a 404 on a path without ids',
      operation: 'listPets',
      answer: { status: 404 },
      findings: [{ message: 'a request valid by the contract was rejected with 404', actual: '404', specPointer: '/paths/~1pets/get' }],
    },
    {
      name: 'an undocumented 400 on a path with an id',
      operation: 'getPet',
      answer: { status: 400, headers: { 'content-type': 'text/plain' }, body: 'bad id format' },
      findings: [{ message: /rejected with 400; the server said: bad id format/, expected: /\(200\)/ }],
    },
    {
      name: 'an undocumented 409 is not excused',
      operation: 'listPets',
      answer: { status: 409 },
      findings: [{ message: 'rejected with 409', severity: 'error' }],
    },
  ],
});
