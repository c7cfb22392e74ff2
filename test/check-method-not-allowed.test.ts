import { methodNotAllowedCheck } from '../src/check/method-not-allowed.js';
import type { Why } from '../src/model.js';
import { testCheck } from './support-check-tester.js';

function undocumented(method: string, path: string): Why {
  return { where: 'method', keyword: 'method', value: method, description: `${method} is not documented for ${path}` };
}

/** A shop whose /items path documents GET and POST, and /items/{id} only DELETE; `extra` adds responses to GET /items. */
function shopSpec(extra: string): string {
  return `
openapi: 3.0.3
info: { title: Shop, version: '1' }
paths:
  /items:
    get:
      operationId: listItems
      responses:
        '200': { description: the items }
${extra}
    post:
      operationId: createItem
      responses:
        '201': { description: created }
  /items/{id}:
    delete:
      operationId: deleteItem
      parameters:
        - { name: id, in: path, required: true, schema: { type: string } }
      responses:
        '204': { description: deleted }
`;
}

const row = (name: string, method: string, answer: { status: number; headers?: Record<string, string> }, operation = 'listItems') => ({
  name,
  operation,
  kind: 'method' as const,
  method,
  why: undocumented(method, operation === 'deleteItem' ? '/items/{id}' : '/items'),
  answer,
});

// The document lists 405 (on one operation: that is enough, it speaks for the API).
testCheck({
  check: methodNotAllowedCheck,
  spec: shopSpec(`        '405': { description: a method the path does not document }`),
  valid: [
    row('405 with Allow listing exactly the documented methods', 'DELETE', { status: 405, headers: { allow: 'GET, POST' } }),
    row('405 whose Allow adds HEAD and OPTIONS to a GET-able path', 'PUT', { status: 405, headers: { allow: 'GET, HEAD, POST, OPTIONS' } }),
    row('Allow in another order and case, without spaces', 'PATCH', { status: 405, headers: { allow: 'post,get' } }),
    row('405 on a path without GET, Allow with OPTIONS', 'GET', { status: 405, headers: { allow: 'DELETE, OPTIONS' } }, 'deleteItem'),
    row('a 500 is server-error business', 'DELETE', { status: 500 }),
    row('429', 'DELETE', { status: 429 }),
    { name: 'the unknown-path case is unknown-path business', operation: 'listItems', kind: 'method' as const, path: '/nope', why: { where: 'path', keyword: 'paths', description: 'unknown' }, answer: { status: 200 } },
  ],
  invalid: [
    {
      ...row('405 without Allow', 'DELETE', { status: 405 }),
      findings: [{ message: '405 for DELETE /items carries no Allow header', severity: 'error', expected: 'Allow: GET, POST (HEAD, OPTIONS may be added); a 405 must carry Allow (RFC 9110 §15.5.6)', actual: '405 without Allow', specPointer: '/paths/~1items' }],
    },
    {
      ...row('Allow leaves out a documented method and lists an undocumented one', 'PUT', { status: 405, headers: { allow: 'GET, HEAD, PUT' } }),
      findings: [{ message: '405 Allow: GET, HEAD, PUT leaves out POST and lists PUT, not documented for the path (#/paths/~1items)', severity: 'error', actual: 'Allow: GET, HEAD, PUT' }],
    },
    {
      ...row('HEAD in Allow of a path without GET', 'GET', { status: 405, headers: { allow: 'DELETE, HEAD' } }, 'deleteItem'),
      findings: [{ message: /lists HEAD, not documented for the path/, expected: 'Allow: DELETE (OPTIONS may be added)' }],
    },
    {
      ...row('an undocumented method accepted', 'DELETE', { status: 200 }),
      findings: [{ message: 'DELETE /items is not documented (documented: GET, POST) but was answered 200', expected: '405 with Allow', specPointer: '/paths/~1items' }],
    },
    {
      ...row('404 where the document lists 405', 'PUT', { status: 404 }),
      findings: [{ message: /^PUT \/items is not documented and was answered 404; the document lists 405 for such methods \(#\/paths\/~1items\/get\/responses\/405\)/, severity: 'error', specPointer: '/paths/~1items/get/responses/405' }],
    },
    {
      ...row('501 where the document lists 405', 'PATCH', { status: 501 }),
      findings: [{ message: /^PATCH \/items is not documented and was answered 501; the document lists 405/, severity: 'error' }],
    },
    {
      ...row('401 before routing, where the document lists 405: a warning', 'PATCH', { status: 401, headers: { 'www-authenticate': 'Bearer' } }),
      findings: [{ message: /^PATCH \/items is not documented and was answered 401/, severity: 'warning' }],
    },
  ],
});

// The document never speaks of 405: 404, 405 or 501 all pass; a 405 still needs Allow (RFC 9110).
testCheck({
  check: methodNotAllowedCheck,
  spec: shopSpec(''),
  valid: [
    row('404', 'DELETE', { status: 404 }),
    row('405 with Allow', 'PUT', { status: 405, headers: { allow: 'GET, HEAD, POST' } }),
    row('501 Not Implemented', 'PATCH', { status: 501 }),
    row('400 from a server that routes by path only', 'PUT', { status: 400 }),
    row('a redirect', 'PUT', { status: 308, headers: { location: '/items/' } }),
  ],
  invalid: [
    { ...row('204 for an undocumented DELETE', 'DELETE', { status: 204 }), findings: [{ message: /answered 204$/, expected: 'a client error (404, 405 or 501)' }] },
    { ...row('405 without Allow is still wrong', 'PUT', { status: 405 }), findings: [{ message: '405 for PUT /items carries no Allow header', severity: 'error' }] },
    { ...row('an Allow that disagrees with the document: a warning', 'PUT', { status: 405, headers: { allow: 'GET' } }), findings: [{ message: /leaves out POST/, severity: 'warning' }] },
  ],
});
