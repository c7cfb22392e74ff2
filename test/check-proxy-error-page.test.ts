import { proxyErrorPageCheck } from '../src/check/proxy-error-page.js';
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
        '502':
          description: the API's own upstream failure, as problem details
          content:
            application/problem+json:
              schema: { type: object }
`;

testCheck({
  check: proxyErrorPageCheck,
  spec,
  valid: [
    { name: 'a JSON 502 from the API itself is server-error business', operation: 'listItems', answer: { status: 502, headers: { 'content-type': 'application/problem+json' }, json: { title: 'Bad Gateway', status: 502 } } },
    { name: 'a 503 maintenance page', operation: 'listItems', answer: { status: 503, headers: { 'content-type': 'text/html' }, body: '<h1>Maintenance</h1>' } },
    { name: 'a 500 page', operation: 'listItems', answer: { status: 500, headers: { 'content-type': 'text/html' }, body: '<h1>Error</h1>' } },
    { name: 'a success', operation: 'listItems', answer: { status: 200, json: [] } },
  ],
  invalid: [
    {
      name: 'an nginx 502 page',
      operation: 'listItems',
      answer: { status: 502, headers: { 'content-type': 'text/html', server: 'nginx/1.25.3' }, body: '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx/1.25.3</center></body></html>' },
      findings: [
        {
          message: '502 from a proxy (Server: nginx/1.25.3) in front of the API (text/html); the request may not have reached the server',
          severity: 'warning',
          expected: 'an answer from the API itself',
          actual: /^502 text\/html: <html><head><title>502 Bad Gateway/,
          specPointer: '/paths/~1items/get',
        },
      ],
    },
    {
      name: 'a 504 from a gateway that says Via',
      operation: 'listItems',
      answer: { status: 504, headers: { 'content-type': 'text/plain', via: '1.1 varnish' }, body: 'upstream request timeout' },
      findings: [{ message: /^504 from a proxy \(Via: 1\.1 varnish\)/, actual: '504 text/plain: upstream request timeout' }],
    },
    {
      name: 'a bare 502 without a body',
      operation: 'listItems',
      answer: { status: 502 },
      findings: [{ message: /^502 from a proxy or gateway in front of the API \(no Content-Type\)/, actual: '502 (no Content-Type)' }],
    },
  ],
});
