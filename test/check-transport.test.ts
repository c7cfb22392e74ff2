import { transportCheck } from '../src/check/transport.js';
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
              schema: { type: array }
  /report:
    get:
      operationId: getReport
      responses:
        '200':
          description: a text report
          content:
            text/plain:
              schema: { type: string }
`;

const manyPets = JSON.stringify(Array.from({ length: 50 }, (_, i) => ({ id: i, name: `pet ${i}` })));

testCheck({
  check: transportCheck,
  spec,
  valid: [
    { name: 'a complete JSON answer', operation: 'listPets', answer: { status: 200, json: [] } },
    { name: 'a 500 is an HTTP answer, not a transport failure', operation: 'listPets', answer: { status: 500, body: 'oops' } },
    { name: 'a text body cut at the cap is not JSON', operation: 'getReport', maxBodyBytes: 16, answer: { status: 200, headers: { 'content-type': 'text/plain' }, body: 'line\n'.repeat(100) } },
    { name: 'a JSON body exactly at the cap', operation: 'listPets', maxBodyBytes: Buffer.byteLength(manyPets), answer: { status: 200, headers: { 'content-type': 'application/json' }, body: manyPets } },
    { name: 'a 204 with no body', operation: 'listPets', answer: { status: 204 } },
  ],
  invalid: [
    {
      name: 'connection refused',
      operation: 'listPets',
      refused: true,
      answer: { status: 200 },
      findings: [{ message: /^refused: .*GET http:\/\/127\.0\.0\.1:\d+\/pets/, actual: /^refused/, specPointer: '/paths/~1pets/get' }],
    },
    {
      name: 'connection reset before any answer',
      operation: 'listPets',
      answer: { status: 200, reset: true },
      findings: [{ message: /^reset: /, expected: 'a complete HTTP response' }],
    },
    {
      name: 'bytes that are not HTTP',
      operation: 'listPets',
      answer: { status: 200, raw: 'hello there\r\n\r\n' },
      findings: [{ message: /^invalid-http: /, actual: /^invalid-http/ }],
    },
    {
      name: 'the body ends before its Content-Length',
      operation: 'listPets',
      answer: { status: 200, raw: 'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 50\r\n\r\n[{"id":' },
      findings: [{ message: /^reset: other side closed/ }],
    },
    {
      name: 'a JSON body cut at the cap',
      operation: 'listPets',
      maxBodyBytes: 64,
      answer: { status: 200, headers: { 'content-type': 'application/json' }, body: manyPets },
      findings: [{ message: 'the JSON body was cut at 64 bytes', severity: 'warning', actual: /more than 64 bytes \(application\/json\)/ }],
    },
  ],
});
