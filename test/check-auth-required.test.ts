import { authRequiredCheck } from '../src/check/auth-required.js';
import type { Why } from '../src/model.js';
import { testCheck } from './support-check-tester.js';

const NO_CREDENTIALS: Why = { where: 'credentials', keyword: 'no-credentials', description: 'request sent without credentials to a secured operation' };
const BAD_CREDENTIALS: Why = { where: 'credentials', keyword: 'bad-credentials', description: 'request sent with invalid credentials (bearerAuth)' };
const CHALLENGE = { 'www-authenticate': 'Bearer realm="shop"', 'content-type': 'application/problem+json' };

/** An API as the document describes it, with the statuses its secured operations list. */
function shopSpec(securedResponses: string): string {
  return `
openapi: 3.0.3
info: { title: Shop, version: '1' }
security:
  - bearerAuth: []
components:
  securitySchemes:
    bearerAuth: { type: http, scheme: bearer }
paths:
  /orders:
    get:
      operationId: listOrders
      responses:
        '200': { description: the orders }
${securedResponses}
  /orders/{id}:
    delete:
      operationId: deleteOrder
      parameters:
        - { name: id, in: path, required: true, schema: { type: string } }
      responses:
        '204': { description: deleted }
`;
}

testCheck({
  check: authRequiredCheck,
  spec: shopSpec(`        '401': { description: no or bad token }\n        '403': { description: not allowed }`),
  valid: [
    { name: '401 with a Bearer challenge, no credentials', operation: 'listOrders', kind: 'auth', why: NO_CREDENTIALS, answer: { status: 401, headers: CHALLENGE, json: { title: 'Unauthorized', status: 401 } } },
    { name: '401 with an error challenge, bad credentials', operation: 'listOrders', kind: 'auth', why: BAD_CREDENTIALS, answer: { status: 401, headers: { 'www-authenticate': 'Bearer realm="shop", error="invalid_token"' } } },
    { name: 'two challenges, on an operation that documents no 401 itself', operation: 'deleteOrder', kind: 'auth', why: NO_CREDENTIALS, answer: { status: 401, headers: { 'www-authenticate': 'Basic realm="shop", Bearer realm="shop"' } } },
    { name: 'a 5xx is server-error business', operation: 'listOrders', kind: 'auth', why: NO_CREDENTIALS, answer: { status: 503, headers: { 'retry-after': '5' } } },
    { name: '429 rate limiting says nothing about credentials', operation: 'listOrders', kind: 'auth', why: BAD_CREDENTIALS, answer: { status: 429 } },
    { name: 'a limited-scope case is auth-scope business', operation: 'listOrders', kind: 'auth', why: { where: 'credentials', keyword: 'limited-scope', description: 'lacking scope' }, answer: { status: 200 } },
    { name: 'a positive case answered 200', operation: 'listOrders', answer: { status: 200 } },
  ],
  invalid: [
    {
      name: 'credentials ignored: 200 without any',
      operation: 'listOrders',
      kind: 'auth',
      why: NO_CREDENTIALS,
      answer: { status: 200, json: [{ id: 1 }] },
      findings: [{ message: 'the secured operation listOrders answered 200 to a request without credentials: the credentials are not checked', severity: 'error', expected: '401 with WWW-Authenticate', actual: '200 [{"id":1}]', specPointer: '/paths/~1orders/get' }],
    },
    {
      name: 'any token accepted: 204 with an invalid one',
      operation: 'deleteOrder',
      kind: 'auth',
      why: BAD_CREDENTIALS,
      answer: { status: 204 },
      findings: [{ message: /^the secured operation deleteOrder answered 204 to a request with invalid credentials/, actual: '204' }],
    },
    {
      name: '401 without WWW-Authenticate',
      operation: 'listOrders',
      kind: 'auth',
      why: NO_CREDENTIALS,
      answer: { status: 401, json: { message: 'login first' } },
      findings: [{ message: '401 without credentials for listOrders carries no WWW-Authenticate header', expected: /RFC 9110 §15\.5\.2/, actual: '401 without WWW-Authenticate' }],
    },
    {
      name: '403 for a missing token where the document uses 401',
      operation: 'deleteOrder',
      kind: 'auth',
      why: NO_CREDENTIALS,
      answer: { status: 403, json: { message: 'Forbidden' } },
      findings: [{ message: /^403 without credentials for deleteOrder; the document answers missing or invalid credentials with 401 \(#\/paths\/~1orders\/get\/responses\/401\)/, severity: 'error', specPointer: '/paths/~1orders/get/responses/401' }],
    },
    {
      name: 'a redirect to a login page',
      operation: 'listOrders',
      kind: 'auth',
      why: NO_CREDENTIALS,
      answer: { status: 302, headers: { location: '/login' } },
      findings: [{ message: '302 without credentials for listOrders; authentication should fail with 401 before anything else is judged', severity: 'warning' }],
    },
  ],
});

// An API that documents 403 for anonymous requests and 401 nowhere: 403 is what it promised.
testCheck({
  check: authRequiredCheck,
  spec: shopSpec(`        '403': { description: no token, or not allowed }`),
  valid: [
    { name: '401 with a challenge is still right', operation: 'listOrders', kind: 'auth', why: NO_CREDENTIALS, answer: { status: 401, headers: CHALLENGE } },
    { name: '401 with a challenge for bad credentials', operation: 'deleteOrder', kind: 'auth', why: BAD_CREDENTIALS, answer: { status: 401, headers: CHALLENGE } },
    { name: '429', operation: 'listOrders', kind: 'auth', why: NO_CREDENTIALS, answer: { status: 429 } },
    { name: 'a 500', operation: 'listOrders', kind: 'auth', why: NO_CREDENTIALS, answer: { status: 500 } },
  ],
  invalid: [
    {
      name: '403 as documented: an advisory only',
      operation: 'listOrders',
      kind: 'auth',
      why: NO_CREDENTIALS,
      answer: { status: 403, json: { message: 'Forbidden' } },
      findings: [{ message: /^403 without credentials for listOrders, as the document promises \(403 and no 401 anywhere\)/, severity: 'advisory', specPointer: '/paths/~1orders/get/responses/403' }],
    },
    {
      name: 'a 200 is still a finding',
      operation: 'listOrders',
      kind: 'auth',
      why: BAD_CREDENTIALS,
      answer: { status: 200 },
      findings: [{ message: /answered 200 to a request with invalid credentials/, severity: 'error' }],
    },
    {
      name: 'a 401 still needs its challenge',
      operation: 'listOrders',
      kind: 'auth',
      why: NO_CREDENTIALS,
      answer: { status: 401 },
      findings: [{ message: /carries no WWW-Authenticate header/ }],
    },
  ],
});

// An API that documents neither 401 nor 403: any 401/403 passes; only a 2xx (or a 5xx, server-error's) is a finding.
testCheck({
  check: authRequiredCheck,
  spec: shopSpec(''),
  valid: [
    { name: '403 without credentials', operation: 'listOrders', kind: 'auth', why: NO_CREDENTIALS, answer: { status: 403 } },
    { name: '403 with bad credentials', operation: 'deleteOrder', kind: 'auth', why: BAD_CREDENTIALS, answer: { status: 403, json: { message: 'denied' } } },
    { name: '401 with a challenge', operation: 'listOrders', kind: 'auth', why: NO_CREDENTIALS, answer: { status: 401, headers: CHALLENGE } },
    { name: '401 with a Basic challenge', operation: 'listOrders', kind: 'auth', why: BAD_CREDENTIALS, answer: { status: 401, headers: { 'www-authenticate': 'Basic realm="x"' } } },
  ],
  invalid: [
    { name: 'a 200 without credentials', operation: 'listOrders', kind: 'auth', why: NO_CREDENTIALS, answer: { status: 200 }, findings: [{ message: /answered 200 to a request without credentials/ }] },
    { name: 'a 201 with bad credentials', operation: 'listOrders', kind: 'auth', why: BAD_CREDENTIALS, answer: { status: 201 }, findings: [{ message: /answered 201 to a request with invalid credentials/ }] },
    { name: 'a 401 without its challenge (RFC 9110)', operation: 'deleteOrder', kind: 'auth', why: NO_CREDENTIALS, answer: { status: 401 }, findings: [{ message: /^401 without credentials for deleteOrder carries no WWW-Authenticate/ }] },
  ],
});
