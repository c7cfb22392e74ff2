import { publicOperationCheck } from '../src/check/public-operation.js';
import { testCheck } from './support-check-tester.js';

const spec = `
openapi: 3.0.3
info: { title: Shop, version: '1' }
security:
  - bearerAuth: []
components:
  securitySchemes:
    bearerAuth: { type: http, scheme: bearer }
paths:
  /health:
    get:
      operationId: getHealth
      security: []
      responses:
        '200': { description: up }
  /catalog:
    get:
      operationId: getCatalog
      security:
        - {}
        - bearerAuth: []
      responses:
        '200': { description: public, with more for a signed-in caller }
  /login:
    post:
      operationId: login
      security: []
      responses:
        '200': { description: a token }
        '401': { description: wrong user name or password }
  /orders:
    get:
      operationId: listOrders
      responses:
        '200': { description: the orders }
`;

testCheck({
  check: publicOperationCheck,
  spec,
  valid: [
    { name: 'a public operation answers', operation: 'getHealth', answer: { status: 200, json: { status: 'ok' } } },
    { name: 'optional security ({} alternative) answers', operation: 'getCatalog', answer: { status: 200, json: [] } },
    { name: 'a login endpoint refusing the password it was sent (its documented 401)', operation: 'login', answer: { status: 401, headers: { 'www-authenticate': 'Bearer realm="shop"' } } },
    { name: 'a secured operation answering 401 is not this check business', operation: 'listOrders', answer: { status: 401 } },
    { name: 'a negative case on a public operation', operation: 'getHealth', kind: 'negative', answer: { status: 403 } },
    { name: 'a 404 on a public operation is positive-rejected business', operation: 'getHealth', answer: { status: 404 } },
  ],
  invalid: [
    {
      name: 'a public operation demanding a token',
      operation: 'getHealth',
      answer: { status: 401, headers: { 'www-authenticate': 'Bearer realm="shop"' }, json: { message: 'token required' } },
      findings: [
        {
          message: 'getHealth is documented as public (no security requirement) but answered a valid request with 401',
          severity: 'error',
          expected: 'an answer without credentials: the operation has no security requirement',
          actual: '401 WWW-Authenticate: Bearer realm="shop" {"message":"token required"}',
          specPointer: '/paths/~1health/get',
        },
      ],
    },
    { name: 'optional security answered 403', operation: 'getCatalog', answer: { status: 403 }, findings: [{ message: /^getCatalog is documented as public .* with 403$/, actual: '403' }] },
    { name: 'a login endpoint answering an undocumented 403', operation: 'login', answer: { status: 403 }, findings: [{ message: /^login is documented as public/ }] },
  ],
});

// A document that describes no security at all: it may just not describe auth, so a 401 is a warning.
testCheck({
  check: publicOperationCheck,
  spec: `
openapi: 3.0.3
info: { title: Notes, version: '1' }
paths:
  /notes:
    get:
      operationId: listNotes
      responses:
        '200': { description: the notes }
    post:
      operationId: createNote
      responses:
        '201': { description: created }
`,
  valid: [
    { name: '200', operation: 'listNotes', answer: { status: 200 } },
    { name: '201', operation: 'createNote', answer: { status: 201 } },
    { name: '400 is not about credentials', operation: 'createNote', answer: { status: 400 } },
    { name: 'an auth-kind case is not positive', operation: 'listNotes', kind: 'auth', why: { where: 'credentials', keyword: 'no-credentials', description: 'none' }, answer: { status: 401 } },
  ],
  invalid: [
    { name: '401 where no security is described', operation: 'listNotes', answer: { status: 401 }, findings: [{ message: 'listNotes answered a valid request with 401, but the document describes no security at all', severity: 'warning' }] },
    { name: '403 where no security is described', operation: 'createNote', answer: { status: 403 }, findings: [{ message: /with 403, but the document describes no security/, severity: 'warning' }] },
    { name: '401 with a challenge', operation: 'createNote', answer: { status: 401, headers: { 'www-authenticate': 'Basic realm="notes"' } }, findings: [{ actual: '401 WWW-Authenticate: Basic realm="notes"', message: /^createNote/ }] },
  ],
});
