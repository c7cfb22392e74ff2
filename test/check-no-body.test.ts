import { noBodyCheck } from '../src/check/no-body.js';
import { testCheck } from './support-check-tester.js';

const spec = `
openapi: 3.0.3
info: { title: Pets, version: '1' }
paths:
  /pets/{petId}:
    parameters:
      - { name: petId, in: path, required: true, schema: { type: string } }
    get:
      operationId: getPet
      responses:
        '200':
          description: one pet
          content:
            application/json:
              schema: { type: object }
        '304': { description: not modified }
    delete:
      operationId: deletePet
      responses:
        '204': { description: deleted }
`;

testCheck({
  check: noBodyCheck,
  spec,
  valid: [
    { name: 'a plain 204', operation: 'deletePet', answer: { status: 204 } },
    { name: '204 with Content-Length: 0 is tolerated', operation: 'deletePet', answer: { status: 204, raw: 'HTTP/1.1 204 No Content\r\nContent-Length: 0\r\nConnection: close\r\n\r\n' } },
    { name: 'HEAD may announce the GET length', operation: 'getPet', method: 'HEAD', answer: { status: 200, headers: { 'content-type': 'application/json', 'content-length': '42' } } },
    { name: '304 with validators and no body', operation: 'getPet', answer: { status: 304, headers: { etag: '"v1"' } } },
    { name: 'a 200 GET with a body is not concerned', operation: 'getPet', answer: { status: 200, json: { id: 1 } } },
  ],
  invalid: [
    {
      name: 'a body on 204',
      operation: 'deletePet',
      answer: { status: 204, raw: 'HTTP/1.1 204 No Content\r\nContent-Length: 7\r\nConnection: close\r\n\r\ndeleted' },
      findings: [{ message: '204 No Content carries a body of 7 bytes (RFC 9110 allows none): deleted', severity: 'error', expected: 'no body', actual: '7 bytes', specPointer: '/paths/~1pets~1{petId}/delete/responses/204' }],
    },
    {
      name: 'a body on 304',
      operation: 'getPet',
      answer: { status: 304, raw: 'HTTP/1.1 304 Not Modified\r\nContent-Length: 8\r\nConnection: close\r\n\r\n{"id":1}' },
      findings: [{ message: /^304 Not Modified carries a body of 8 bytes/, specPointer: '/paths/~1pets~1{petId}/get/responses/304' }],
    },
    {
      name: 'a chunked body on 204',
      operation: 'deletePet',
      answer: { status: 204, raw: 'HTTP/1.1 204 No Content\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n2\r\nok\r\n0\r\n\r\n' },
      findings: [{ message: /^204 No Content carries a body of 2 bytes/ }],
    },
    {
      name: '204 framed as chunked, even with no bytes',
      operation: 'deletePet',
      answer: { status: 204, raw: 'HTTP/1.1 204 No Content\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n0\r\n\r\n' },
      findings: [{ message: '204 No Content sends transfer-encoding: chunked, which a 204 must not send', severity: 'warning', actual: 'transfer-encoding: chunked' }],
    },
  ],
});
