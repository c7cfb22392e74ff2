import { positiveRejectedCheck } from '../src/check/positive-rejected.js';
import type { Case, Derivation } from '../src/model.js';
import { testCheck } from './support-check-tester.js';

// the accepted request a variation differs from: only its id is shown in the finding
const accepted = { id: 'createPet#positive-0' } as Case;
const variation = (change: NonNullable<Derivation['change']>): Derivation => ({ phase: 'variation', baseline: accepted, change });
const bodyName = { file: 'spec.yaml', pointer: '/paths/~1pets/post/requestBody/content/application~1json/schema/properties/name' };

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
    delete:
      operationId: deletePet
      parameters:
        - { name: petId, in: path, required: true, schema: { type: string } }
        - { name: force, in: query, schema: { type: boolean } }
      responses:
        '204': { description: deleted }
        '400': { description: bad request }
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
    {
      name: 'a baseline try refused whose reference the tool made up (a 400 for an unknown owner id)',
      operation: 'createPet',
      derivation: { phase: 'baseline-try' },
      madeUp: ['body/ownerId'],
      answer: { status: 400, json: { error: 'owner 9f3a does not exist' } },
    },
    {
      name: 'a baseline try refused where a description states a rule the schema does not',
      operation: 'createPet',
      derivation: { phase: 'baseline-try', prose: [{ where: 'body/name', text: 'must be unique within the shop' }] },
      answer: { status: 400, json: { error: 'name taken' } },
    },
    {
      name: 'a baseline try refused with a documented 422: a business rule, not covered rather than blamed',
      operation: 'createPet',
      derivation: { phase: 'baseline-try' },
      answer: { status: 422, json: { error: 'we do not sell snakes' } },
    },
    {
      name: 'a baseline try refused with a plain 400 and nothing made up: proves nothing, the operation is not covered',
      operation: 'createPet',
      derivation: { phase: 'baseline-try' },
      answer: { status: 400, json: { error: 'nope' } },
    },
    {
      name: 'a DELETE variation answered 404: the accepted DELETE removed the record (undocumented 404 too)',
      operation: 'deletePet',
      derivation: variation({ where: 'query.force', removed: true, rule: { file: 'spec.yaml', pointer: '/paths/~1pets~1{petId}/delete/parameters/1' } }),
      answer: { status: 404, json: { cause: 'no such pet' } },
    },
    {
      name: 'a variation that sets a made-up id (the server reads it as "update this record") refused with 400',
      operation: 'createPet',
      derivation: variation({ where: 'body/id', value: 'hYtYlH', rule: bodyName, madeUpReference: true }),
      answer: { status: 400, json: { error: 'silence not found' } },
    },
    {
      name: 'a variation refused with a documented 422: the server names the business rule the change broke',
      operation: 'createPet',
      derivation: variation({ where: 'body/name', value: 'Zed', rule: bodyName }),
      answer: { status: 422, json: { error: 'no pets called Zed' } },
    },
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
      name: 'a variation the schema allows, refused with 400: an error naming the change, the accepted request and the rule',
      operation: 'createPet',
      derivation: variation({ where: 'body/name', value: '', rule: bodyName }),
      answer: { status: 400, json: { error: 'name must not be empty' } },
      findings: [
        {
          message: /^the accepted request with body\/name set to "" \(createPet#positive-0 was accepted\) was refused with 400, though the change is allowed by its schema/,
          severity: 'error',
          expected: 'a success status (201): body/name is allowed by its schema',
          specPointer: bodyName.pointer,
        },
      ],
    },
    {
      name: 'a nullable member set to null and refused: the finding says nullable allows it',
      operation: 'createPet',
      derivation: variation({ where: 'body/name', value: null, rule: bodyName, allowedBy: 'nullable' }),
      answer: { status: 400, json: { error: 'name must not be null' } },
      findings: [{ message: /body\/name set to null .* though the change is allowed as nullable/, severity: 'error', specPointer: bodyName.pointer }],
    },
    {
      name: 'a variation refused where the description states a rule in prose: an advisory quoting it',
      operation: 'createPet',
      derivation: variation({ where: 'body/name', value: 'x', rule: bodyName, prose: 'Must be at least three letters long.' }),
      answer: { status: 400, json: { error: 'name too short' } },
      findings: [{ message: /states a rule the schema does not: "Must be at least three letters long\."/, severity: 'advisory', specPointer: bodyName.pointer }],
    },
    {
      name: 'a DELETE variation refused with 400 is still the server refusing an allowed change',
      operation: 'deletePet',
      derivation: variation({ where: 'query.force', value: false, rule: { file: 'spec.yaml', pointer: '/paths/~1pets~1{petId}/delete/parameters/1' } }),
      answer: { status: 400, json: { error: 'force must be true' } },
      findings: [{ message: /query\.force set to false .* was refused with 400/, severity: 'error' }],
    },
    {
      name: 'an undocumented 409 is not excused',
      operation: 'listPets',
      answer: { status: 409 },
      findings: [{ message: 'rejected with 409', severity: 'error' }],
    },
  ],
});
