import { htmlResponseCheck } from '../src/check/html-response.js';
import { testCheck } from './support-check-tester.js';

const spec = `
openapi: 3.0.3
info: { title: Shop, version: '1' }
paths:
  /items:
    get:
      operationId: listItems
      responses:
        '200':
          description: the items
          content:
            application/json:
              schema: { type: array }
        '400':
          description: problem details
          content:
            application/problem+json:
              schema: { type: object }
        '404':
          description: no content promised
  /items/{id}/label:
    get:
      operationId: getLabel
      parameters:
        - { name: id, in: path, required: true, schema: { type: string } }
      responses:
        '200':
          description: a printable label, as HTML or JSON
          content:
            text/html:
              schema: { type: string }
            application/json:
              schema: { type: object }
        default:
          description: errors as plain text
          content:
            text/plain:
              schema: { type: string }
  /export:
    get:
      operationId: exportItems
      responses:
        '200':
          description: CSV only
          content:
            text/csv:
              schema: { type: string }
`;

const PAGE = '<!DOCTYPE html><html><head><title>Whitelabel Error Page</title></head><body><h1>Oops</h1></body></html>';

testCheck({
  check: htmlResponseCheck,
  spec,
  valid: [
    { name: 'JSON where JSON is documented', operation: 'listItems', answer: { status: 200, json: [] } },
    { name: 'HTML where the status documents text/html', operation: 'getLabel', answer: { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: '<p>label</p>' } },
    { name: 'a plain-text error where the document says errors are text/plain', operation: 'getLabel', answer: { status: 404, headers: { 'content-type': 'text/plain' }, body: 'no such label' } },
    { name: 'an operation that documents no JSON at all', operation: 'exportItems', answer: { status: 500, headers: { 'content-type': 'text/html' }, body: PAGE } },
    { name: 'a 502 page from a proxy is proxy-error-page business', operation: 'listItems', answer: { status: 502, headers: { 'content-type': 'text/html' }, body: '<html><body><h1>502 Bad Gateway</h1><hr><center>nginx</center></body></html>' } },
    { name: 'an empty body with a text/html label', operation: 'listItems', answer: { status: 404, headers: { 'content-type': 'text/html' }, body: '' } },
    { name: 'the unknown-path case is unknown-path business', operation: 'listItems', kind: 'method', path: '/no-such-path', why: { where: 'path', keyword: 'paths', description: 'not a path of the document' }, answer: { status: 404, headers: { 'content-type': 'text/html' }, body: PAGE } },
    { name: 'HEAD carries no page', operation: 'listItems', method: 'HEAD', answer: { status: 400, headers: { 'content-type': 'text/html' } } },
    { name: 'JSON mislabelled text/plain is a content-type finding, not a page', operation: 'listItems', answer: { status: 200, headers: { 'content-type': 'text/plain' }, body: '[]' } },
  ],
  invalid: [
    {
      name: 'an HTML error page where problem+json is documented',
      operation: 'listItems',
      kind: 'negative',
      answer: { status: 400, headers: { 'content-type': 'text/html; charset=utf-8' }, body: PAGE },
      findings: [
        {
          message: '400 answered with an HTML page (text/html; charset=utf-8) "Whitelabel Error Page"; application/problem+json is documented for it',
          severity: 'error',
          expected: 'Content-Type: application/problem+json',
          actual: /^Content-Type: text\/html; charset=utf-8: <!DOCTYPE html>/,
          specPointer: '/paths/~1items/get/responses/400/content',
        },
      ],
    },
    {
      name: 'an HTML success page where JSON is documented',
      operation: 'listItems',
      answer: { status: 200, headers: { 'content-type': 'text/html' }, body: '<html><body>items</body></html>' },
      findings: [{ message: /^200 answered with an HTML page \(text\/html\) <html>/, expected: 'Content-Type: application/json' }],
    },
    {
      name: 'a plain-text stack trace on an undocumented 500',
      operation: 'listItems',
      answer: { status: 500, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'Internal Server Error\n\nTypeError: x is undefined\n    at handler (/srv/app.js:12:3)' },
      findings: [{ message: /^500 answered with a plain-text page .*; the status is undocumented and listItems answers in application\/json, application\/problem\+json$/, specPointer: '/paths/~1items/get/responses' }],
    },
    {
      name: 'an HTML page on a status documented without content',
      operation: 'listItems',
      answer: { status: 404, headers: { 'content-type': 'text/html' }, body: '<h1>Not Found</h1>' },
      findings: [{ message: /^404 answered with an HTML page .*; the status documents no content and listItems answers in application\/json/ }],
    },
    {
      name: 'an HTML page for an undocumented method',
      operation: 'listItems',
      kind: 'method',
      method: 'DELETE',
      why: { where: 'method', keyword: 'method', value: 'DELETE', description: 'DELETE is not documented for /items' },
      answer: { status: 404, headers: { 'content-type': 'text/html' }, body: '<pre>Cannot DELETE /items</pre>' },
      findings: [{ message: /^404 answered with an HTML page .*Cannot DELETE/ }],
    },
  ],
});
