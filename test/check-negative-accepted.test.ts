import { negativeAcceptedCheck } from '../src/check/negative-accepted.js';
import type { ApiSpec, Why } from '../src/model.js';
import { testCheck } from './support-check-tester.js';

const spec = `
openapi: 3.0.3
info: { title: Pets, version: '1' }
components:
  parameters:
    Limit:
      name: limit
      in: query
      schema: { type: integer, minimum: 1, maximum: 100 }
  schemas:
    NewPet:
      type: object
      required: [name]
      properties:
        name: { type: string, maxLength: 20 }
        quantity: { type: integer, minimum: 1 }
paths:
  /pets:
    get:
      operationId: listPets
      parameters:
        - $ref: '#/components/parameters/Limit'
      responses:
        '200': { description: the pets }
        '400': { description: bad query }
    post:
      operationId: createPet
      requestBody:
        required: true
        content:
          application/json:
            schema: { $ref: '#/components/schemas/NewPet' }
      responses:
        '201': { description: created }
        default: { description: an error }
`;

const limitTooHigh = (s: ApiSpec): Why => ({
  where: 'query.limit',
  keyword: 'maximum',
  rule: { file: s.source, pointer: '/components/parameters/Limit/schema/maximum' },
  value: '101',
  description: 'limit is at most 100',
});

const nameMissing = (s: ApiSpec): Why => ({
  where: 'body/name',
  keyword: 'required',
  rule: { file: s.source, pointer: '/components/schemas/NewPet/required' },
  description: 'name is required',
});

const quantityZero = (s: ApiSpec): Why => ({
  where: 'body/quantity',
  keyword: 'minimum',
  rule: { file: s.source, pointer: '/components/schemas/NewPet/properties/quantity/minimum' },
  value: 0,
  description: 'quantity is at least 1',
});

testCheck({
  check: negativeAcceptedCheck,
  spec,
  valid: [
    { name: 'rejected with the documented 400', operation: 'listPets', kind: 'negative', why: limitTooHigh, answer: { status: 400 } },
    { name: 'rejected with 422 under default', operation: 'createPet', kind: 'negative', why: nameMissing, answer: { status: 422 } },
    { name: 'rejected with an undocumented 4xx is still a rejection', operation: 'listPets', kind: 'negative', why: limitTooHigh, answer: { status: 404 } },
    { name: 'a 500 is left to server-error', operation: 'createPet', kind: 'negative', why: quantityZero, answer: { status: 500 } },
    { name: 'a positive case accepted', operation: 'listPets', answer: { status: 200, json: [] } },
    { name: 'a redirect is not an acceptance', operation: 'createPet', kind: 'negative', why: nameMissing, answer: { status: 303, headers: { location: '/pets' } } },
  ],
  invalid: [
    {
      name: 'limit above its maximum accepted',
      operation: 'listPets',
      kind: 'negative',
      path: '/pets?limit=101',
      why: limitTooHigh,
      answer: { status: 200, json: [] },
      findings: [
        {
          message: 'query.limit=101 breaks maximum 100 (#/components/parameters/Limit/schema/maximum) and was accepted with 200',
          severity: 'error',
          expected: 'a client error (400) because limit is at most 100',
          actual: '200 (documented: 200, 400)',
          specPointer: '/components/parameters/Limit/schema/maximum',
        },
      ],
    },
    {
      name: 'a missing required member accepted',
      operation: 'createPet',
      kind: 'negative',
      why: nameMissing,
      answer: { status: 201, json: { id: 7 } },
      findings: [{ message: 'body/name breaks required ["name"] (#/components/schemas/NewPet/required) and was accepted with 201', expected: /^a client error \(default\)/ }],
    },
    {
      name: 'a number below its minimum accepted',
      operation: 'createPet',
      kind: 'negative',
      why: quantityZero,
      answer: { status: 201 },
      findings: [{ message: 'body/quantity=0 breaks minimum 1 (#/components/schemas/NewPet/properties/quantity/minimum) and was accepted with 201' }],
    },
    {
      name: 'a negative case without a recorded reason',
      operation: 'listPets',
      kind: 'negative',
      answer: { status: 204 },
      findings: [{ message: 'a request built to break the contract was accepted with 204', specPointer: '/paths/~1pets/get' }],
    },
  ],
});
