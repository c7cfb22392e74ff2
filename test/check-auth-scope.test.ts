import { authScopeCheck } from '../src/check/auth-scope.js';
import type { Why } from '../src/model.js';
import { testCheck } from './support-check-tester.js';

const LIMITED: Why = { where: 'credentials', keyword: 'limited-scope', description: 'request sent by an identity lacking scope orders:write' };

function shopSpec(errorResponses: string): string {
  return `
openapi: 3.0.3
info: { title: Shop, version: '1' }
components:
  securitySchemes:
    oauth:
      type: oauth2
      flows:
        clientCredentials:
          tokenUrl: /token
          scopes: { 'orders:read': read, 'orders:write': write }
paths:
  /orders:
    post:
      operationId: createOrder
      security:
        - oauth: ['orders:write']
      responses:
        '201': { description: created }
${errorResponses}
`;
}

testCheck({
  check: authScopeCheck,
  spec: shopSpec(`        '401': { description: no or bad token }\n        '403': { description: the token lacks orders:write }`),
  valid: [
    { name: '403 insufficient_scope', operation: 'createOrder', kind: 'auth', why: LIMITED, answer: { status: 403, headers: { 'www-authenticate': 'Bearer error="insufficient_scope", scope="orders:write"' } } },
    { name: '403 with a problem body', operation: 'createOrder', kind: 'auth', why: LIMITED, answer: { status: 403, headers: { 'content-type': 'application/problem+json' }, json: { title: 'Forbidden', status: 403 } } },
    { name: '429 says nothing about scopes', operation: 'createOrder', kind: 'auth', why: LIMITED, answer: { status: 429 } },
    { name: 'a 5xx is server-error business', operation: 'createOrder', kind: 'auth', why: LIMITED, answer: { status: 500 } },
    { name: 'a no-credentials case is auth-required business', operation: 'createOrder', kind: 'auth', why: { where: 'credentials', keyword: 'no-credentials', description: 'none' }, answer: { status: 200 } },
  ],
  invalid: [
    {
      name: 'scopes ignored: 201',
      operation: 'createOrder',
      kind: 'auth',
      why: LIMITED,
      answer: { status: 201, json: { id: 7 } },
      findings: [{ message: 'createOrder answered 201 to a request by an identity lacking scope orders:write: the scopes (orders:write) are not checked', severity: 'error', expected: '403: the operation requires orders:write', actual: '201 {"id":7}', specPointer: '/paths/~1orders/post' }],
    },
    {
      name: '401 for a valid token lacking a scope',
      operation: 'createOrder',
      kind: 'auth',
      why: LIMITED,
      answer: { status: 401, headers: { 'www-authenticate': 'Bearer' } },
      findings: [{ message: /^401 for createOrder by an identity lacking scope orders:write; the credentials are valid, so the answer is 403 \(#\/paths\/~1orders\/post\/responses\/403\)/, severity: 'error', specPointer: '/paths/~1orders/post/responses/403' }],
    },
    {
      name: 'a 422 before the scope was judged',
      operation: 'createOrder',
      kind: 'auth',
      why: LIMITED,
      answer: { status: 422 },
      findings: [{ message: /^422 for createOrder .*; a missing scope should be refused with 403/, severity: 'warning' }],
    },
  ],
});

// The document uses 401 and no 403 anywhere: a 401 is what it promised.
testCheck({
  check: authScopeCheck,
  spec: shopSpec(`        '401': { description: the token is missing, bad, or lacks the scope }`),
  valid: [
    { name: '403 is still right', operation: 'createOrder', kind: 'auth', why: LIMITED, answer: { status: 403 } },
    { name: '403 with a challenge', operation: 'createOrder', kind: 'auth', why: LIMITED, answer: { status: 403, headers: { 'www-authenticate': 'Bearer error="insufficient_scope"' } } },
    { name: '429', operation: 'createOrder', kind: 'auth', why: LIMITED, answer: { status: 429 } },
    { name: '503', operation: 'createOrder', kind: 'auth', why: LIMITED, answer: { status: 503 } },
  ],
  invalid: [
    { name: '401 as documented: an advisory only', operation: 'createOrder', kind: 'auth', why: LIMITED, answer: { status: 401 }, findings: [{ message: /as the document promises \(401 and no 403 anywhere\)/, severity: 'advisory', specPointer: '/paths/~1orders/post/responses/401' }] },
    { name: '200 is still a finding', operation: 'createOrder', kind: 'auth', why: LIMITED, answer: { status: 200 }, findings: [{ message: /the scopes \(orders:write\) are not checked/, severity: 'error' }] },
    { name: '404 is a warning', operation: 'createOrder', kind: 'auth', why: LIMITED, answer: { status: 404 }, findings: [{ message: /^404 for createOrder/, severity: 'warning' }] },
  ],
});
