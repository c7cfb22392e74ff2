import { statusDocumentedCheck } from '../src/check/status-documented.js';
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
        4XX: { description: any client error }
    post:
      operationId: createPet
      responses:
        '201': { description: created }
        default: { description: anything else }
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
      responses:
        '204': { description: deleted }
`;

testCheck({
  check: statusDocumentedCheck,
  spec,
  valid: [
    { name: 'an exact documented status', operation: 'listPets', answer: { status: 200, json: [] } },
    { name: '422 falls under a documented 4XX range', operation: 'listPets', kind: 'negative', answer: { status: 422 } },
    { name: '418 falls under default', operation: 'createPet', answer: { status: 418 } },
    { name: 'a documented 404 for an invented id', operation: 'getPet', answer: { status: 404 } },
    { name: 'a 500 is left to server-error', operation: 'deletePet', answer: { status: 500 } },
    { name: 'a 303 under default', operation: 'createPet', answer: { status: 303, headers: { location: '/pets/1' } } },
  ],
  invalid: [
    {
      name: 'a positive case answered with an undocumented 2xx',
      operation: 'getPet',
      answer: { status: 201 },
      findings: [{ message: '201: a valid request was answered with an undocumented success status for getPet', severity: 'error', expected: 'one of the documented statuses: 200, 404', actual: '201', specPointer: '/paths/~1pets~1{petId}/get/responses' }],
    },
    {
      name: 'an undocumented 400 where the operation documents a 404',
      operation: 'getPet',
      kind: 'negative',
      answer: { status: 400 },
      findings: [{ message: '400: the status is not documented for getPet', severity: 'error' }],
    },
    {
      name: 'a 400 for a negative case where no 4xx is documented: warning, the tool assumed 400/422',
      operation: 'deletePet',
      kind: 'negative',
      answer: { status: 400 },
      findings: [{ message: /documents no 4xx or default response; the tool assumed invalid input is answered with 400\/422/, severity: 'warning', expected: 'one of the documented statuses: 204' }],
    },
    {
      name: 'an undocumented 410 for an id the tool made up: a warning, the document is incomplete, the server right',
      operation: 'getPet',
      madeUp: ['path.petId'],
      answer: { status: 410, json: { message: 'gone' } },
      findings: [{ message: /^410 is not documented for getPet; the request held values the tool made up \(path\.petId\)/, severity: 'warning' }],
    },
    {
      name: 'an undocumented 400 to a valid request with nothing made up stays an error',
      operation: 'getPet',
      answer: { status: 400 },
      findings: [{ message: '400: the status is not documented for getPet', severity: 'error' }],
    },
    {
      name: 'a 200 where only 204 is documented',
      operation: 'deletePet',
      answer: { status: 200, json: { deleted: true } },
      findings: [{ message: /^200: a valid request was answered with an undocumented success status/, severity: 'error' }],
    },
    {
      name: 'an undocumented redirect',
      operation: 'getPet',
      answer: { status: 301, headers: { location: '/pets/other' } },
      findings: [{ message: '301: the status is not documented', actual: '301' }],
    },
  ],
});
