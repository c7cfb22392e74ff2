import { responseSchemaCheck } from '../src/check/response-schema.js';
import { testCheck } from './support-check-tester.js';

const spec = `
openapi: 3.0.3
info: { title: Pets, version: '1' }
components:
  schemas:
    Pet:
      type: object
      required: [id, name, secret]
      properties:
        id: { type: integer }
        name: { type: string }
        tag: { type: string, nullable: true }
        secret: { type: string, writeOnly: true }
    Error:
      type: object
      required: [code, message]
      properties:
        code: { type: integer }
        message: { type: string }
paths:
  /pets:
    get:
      operationId: listPets
      responses:
        '200':
          description: the pets
          content:
            application/json:
              schema:
                type: array
                items: { $ref: '#/components/schemas/Pet' }
        4XX:
          description: a client error
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Error' }
  /pets/{petId}:
    get:
      operationId: getPet
      parameters:
        - { name: petId, in: path, required: true, schema: { type: string } }
      responses:
        '200':
          description: one pet
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Pet' }
            text/plain:
              schema: { type: string, maxLength: 10 }
        default:
          description: an error
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Error' }
`;

testCheck({
  check: responseSchemaCheck,
  spec,
  valid: [
    { name: 'a pet, with charset', operation: 'getPet', answer: { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: '{"id":1,"name":"Rex"}' } },
    { name: 'a nullable member set to null', operation: 'getPet', answer: { status: 200, json: { id: 1, name: 'Rex', tag: null } } },
    { name: 'extra members where additionalProperties is open', operation: 'getPet', answer: { status: 200, json: { id: 1, name: 'Rex', born: '2020-01-01' } } },
    { name: 'a required writeOnly member absent from a response', operation: 'listPets', answer: { status: 200, json: [{ id: 1, name: 'Rex' }, { id: 2, name: 'Tom', tag: 'cat' }] } },
    { name: 'a 4XX range error in the documented shape', operation: 'listPets', answer: { status: 422, json: { code: 42, message: 'limit too big' } } },
    { name: 'a default error for a 404 on an invented id', operation: 'getPet', answer: { status: 404, json: { code: 404, message: 'no such pet' } } },
    { name: 'a short text/plain body', operation: 'getPet', answer: { status: 200, headers: { 'content-type': 'text/plain' }, body: 'Rex' } },
    { name: 'an undocumented media type is not this check business', operation: 'getPet', answer: { status: 200, headers: { 'content-type': 'application/xml' }, body: '<pet/>' } },
  ],
  invalid: [
    {
      name: 'a string id where an integer is documented',
      operation: 'getPet',
      answer: { status: 200, json: { id: 'one', name: 'Rex' } },
      findings: [
        {
          message: /^200 application\/json: body\/id must be integer/,
          severity: 'error',
          expected: /^type \(type: "integer"\)/,
          actual: 'body/id = "one"',
          specPointer: '/components/schemas/Pet/properties/id/type',
        },
      ],
    },
    {
      name: 'a required member missing in an array item',
      operation: 'listPets',
      answer: { status: 200, json: [{ id: 1, name: 'Rex' }, { id: 2 }] },
      findings: [{ message: /^200 application\/json: body\/1 must have required property 'name'/, expected: /^required/, specPointer: '/components/schemas/Pet/required' }],
    },
    {
      name: 'a 4XX error in another shape',
      operation: 'listPets',
      answer: { status: 400, json: { error: { message: 'bad limit' } } },
      findings: [
        { message: /body must have required property 'code'/, specPointer: '/components/schemas/Error/required' },
        { message: /body must have required property 'message'/, specPointer: '/components/schemas/Error/required' },
      ],
    },
    {
      name: 'null where the member is not nullable',
      operation: 'getPet',
      answer: { status: 200, json: { id: 1, name: null } },
      findings: [{ message: /body\/name must be string/, actual: 'body/name = null' }],
    },
    {
      name: 'a text/plain body longer than its maxLength',
      operation: 'getPet',
      answer: { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'Rex the very good dog' },
      findings: [{ message: /^200 text\/plain: body must NOT have more than 10 characters/, specPointer: /\/maxLength$/ }],
    },
  ],
});
