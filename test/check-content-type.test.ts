import { contentTypeCheck } from '../src/check/content-type.js';
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
          description: anything goes
          content:
            '*/*': {}
    post:
      operationId: createPet
      responses:
        '201': { description: created, no content documented }
        default:
          description: an error
          content:
            application/json:
              schema: { type: object }
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
              schema: { type: object }
        '404':
          description: no such pet
          content:
            application/problem+json:
              schema: { type: object }
  /pets/{petId}/photo:
    get:
      operationId: getPhoto
      parameters:
        - { name: petId, in: path, required: true, schema: { type: string } }
      responses:
        '200':
          description: a picture
          content:
            image/*: {}
`;

testCheck({
  check: contentTypeCheck,
  spec,
  valid: [
    { name: 'application/json with a charset parameter', operation: 'getPet', answer: { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: '{"id":1}' } },
    { name: 'media type in upper case', operation: 'getPet', answer: { status: 200, headers: { 'content-type': 'Application/JSON' }, body: '{"id":1}' } },
    { name: 'a documented problem+json 404 for an invented id', operation: 'getPet', answer: { status: 404, headers: { 'content-type': 'application/problem+json' }, body: '{"title":"Not Found","status":404}' } },
    { name: '*/* accepts HTML', operation: 'listPets', answer: { status: 200, headers: { 'content-type': 'text/html' }, body: '<p>pets</p>' } },
    { name: 'image/* accepts image/png', operation: 'getPhoto', answer: { status: 200, headers: { 'content-type': 'image/png' }, body: new Uint8Array([0x89, 0x50, 0x4e, 0x47]) } },
    { name: 'a response that documents no content promises nothing', operation: 'createPet', answer: { status: 201, headers: { 'content-type': 'text/plain' }, body: 'ok' } },
    { name: 'a default response with JSON', operation: 'createPet', answer: { status: 400, json: { message: 'bad' } } },
    { name: 'HEAD carries the GET Content-Type and no body', operation: 'getPet', method: 'HEAD', answer: { status: 200, headers: { 'content-type': 'application/json', 'content-length': '9' } } },
  ],
  invalid: [
    {
      name: 'HTML where JSON is documented',
      operation: 'getPet',
      answer: { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: '<html>oops</html>' },
      findings: [
        {
          message: '200 answered with Content-Type text/html; charset=utf-8, which is not documented for it (application/json)',
          severity: 'error',
          expected: 'Content-Type: application/json',
          actual: 'Content-Type: text/html; charset=utf-8',
          specPointer: '/paths/~1pets~1{petId}/get/responses/200/content',
        },
      ],
    },
    {
      name: 'JSON that does not parse',
      operation: 'getPet',
      answer: { status: 200, headers: { 'content-type': 'application/json' }, body: '{"id": 1,' },
      findings: [{ message: /^200 says application\/json but the body is not valid JSON: /, actual: /^unparsable JSON/, specPointer: '/paths/~1pets~1{petId}/get/responses/200/content/application~1json' }],
    },
    {
      name: 'a body without Content-Type',
      operation: 'getPet',
      answer: { status: 200, body: '{"id":1}' },
      findings: [{ message: '200 has a body of 8 bytes but no Content-Type; documented: application/json', actual: 'no Content-Type' }],
    },
    {
      name: 'plain JSON where problem+json is documented',
      operation: 'getPet',
      answer: { status: 404, json: { message: 'not found' } },
      findings: [{ message: /^404 answered with Content-Type application\/json, which is not documented for it \(application\/problem\+json\)/ }],
    },
    {
      name: 'an empty answer where content is documented',
      operation: 'getPet',
      answer: { status: 200 },
      findings: [{ message: '200 documents content (application/json) but the answer has no body and no Content-Type', actual: 'no Content-Type, empty body' }],
    },
  ],
});
