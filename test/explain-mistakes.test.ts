// One request per common "why do I get 400?" mistake, against the example API's contract and its real server.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSpec } from '../src/spec/index.js';
import { createValidator } from '../src/schema/validator.js';
import { explainRequest, parseCurl, type Diagnosis } from '../src/explain/index.js';
import { startExampleServer, type ExampleServer } from '../examples/server.js';
import type { ApiSpec, Validator } from '../src/model.js';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
const specPath = path.join(projectRoot, 'examples/openapi.yaml');
const CUSTOMER = '0b7c9a64-3c1f-4d55-9a57-3f2de2a1c2b1';
const AUTH = `-H 'Authorization: Bearer full-token'`;

interface Mistake {
  name: string;
  /** a pasted curl command; $URL is the example server's origin */
  curl: string;
  where: string;
  rule: RegExp;
  hint?: RegExp;
  fix?: string;
  /** the clean example server's status */
  status: number;
}

const MISTAKES: Mistake[] = [
  {
    name: 'JSON text with curl -d, which labels it form-urlencoded',
    curl: `curl $URL/customers ${AUTH} -d '{"name":"Ada","email":"ada@example.com"}'`,
    where: 'header.Content-Type',
    rule: /^content: application\/json$/,
    hint: /labelled form-urlencoded/,
    fix: 'Content-Type: application/json',
    status: 415,
  },
  {
    name: 'form-encoded body where JSON is expected (jQuery data: formData)',
    curl: `curl $URL/customers ${AUTH} -H 'Content-Type: application/json' -d 'name=Ada+Lovelace&email=ada%40example.com&age=36'`,
    where: 'body',
    rule: /JSON syntax/,
    hint: /form-encoded .*JSON\.stringify/,
    fix: '{"name":"Ada Lovelace","email":"ada@example.com","age":36}',
    status: 400,
  },
  {
    name: 'an object turned into the text [object Object]',
    curl: `curl $URL/customers ${AUTH} -H 'Content-Type: application/json' --data-raw '[object Object]'`,
    where: 'body',
    rule: /JSON syntax/,
    hint: /\[object Object\]/,
    status: 400,
  },
  {
    name: 'JSON encoded twice',
    curl: `curl $URL/customers ${AUTH} --json '"{\\"name\\":\\"Ada\\",\\"email\\":\\"ada@example.com\\"}"'`,
    where: 'body',
    rule: /^type object$/,
    hint: /encoded twice/,
    fix: '{"name":"Ada","email":"ada@example.com"}',
    status: 422,
  },
  {
    name: 'JSON with single quotes',
    curl: `curl $URL/customers ${AUTH} --json "{'name': 'Ada', 'email': 'ada@example.com'}"`,
    where: 'body',
    rule: /JSON syntax/,
    hint: /double quotes/,
    fix: '{"name":"Ada","email":"ada@example.com"}',
    status: 400,
  },
  {
    name: 'no Content-Type at all',
    curl: `curl $URL/customers ${AUTH} -H 'Content-Type:' --data-binary '{"name":"Ada","email":"ada@example.com"}'`,
    where: 'header.Content-Type',
    rule: /^content: application\/json$/,
    hint: /only the Content-Type header is missing/,
    fix: 'Content-Type: application/json',
    status: 415,
  },
  {
    name: 'a JSON string body labelled text/plain (fetch without headers)',
    curl: `curl $URL/customers ${AUTH} -H 'Content-Type: text/plain;charset=UTF-8' -d '{"name":"Ada","email":"ada@example.com"}'`,
    where: 'header.Content-Type',
    rule: /^content: application\/json$/,
    hint: /fetch\(\)/,
    status: 415,
  },
  {
    name: 'a number sent as a string',
    curl: `curl $URL/customers ${AUTH} --json '{"name":"Ada","email":"ada@example.com","age":"36"}'`,
    where: 'body.age',
    rule: /^type integer$/,
    hint: /number sent as a string/,
    fix: '"age": 36',
    status: 422,
  },
  {
    name: 'a required member missing',
    curl: `curl $URL/customers ${AUTH} --json '{"name":"Ada"}'`,
    where: 'body.email',
    rule: /^required email$/,
    fix: 'add "email": "ada@example.com"',
    status: 422,
  },
  {
    name: 'a misspelt member',
    curl: `curl $URL/customers ${AUTH} --json '{"name":"Ada","email":"ada@example.com","tags":["vip"],"tgas":[]}'`,
    where: 'body.tgas',
    rule: /^additionalProperties false$/,
    hint: /did you mean 'tags'/,
    fix: "rename 'tgas' to 'tags'",
    status: 422,
  },
  {
    name: 'a zip code that does not match its pattern',
    curl: `curl $URL/customers ${AUTH} --json '{"name":"Ada","email":"ada@example.com","zip":"1234-5"}'`,
    where: 'body.zip',
    rule: /^pattern \^\[0-9\]\{5\}\$$/,
    hint: /did you mean "12345"/,
    fix: '"zip": "12345"',
    status: 422,
  },
  {
    name: 'an integer beyond int32',
    curl: `curl '$URL/customers?limit=3000000000' ${AUTH}`,
    where: 'query.limit',
    rule: /^maximum 100$/,
    hint: /beyond int32/,
    status: 400,
  },
  {
    name: 'an enum value in the wrong case',
    curl: `curl $URL/customers ${AUTH} --json '{"name":"Ada","email":"ada@example.com","tier":"Pro"}'`,
    where: 'body.tier',
    rule: /^enum \["basic","pro","enterprise"\]$/,
    hint: /case-sensitive: did you mean "pro"/,
    fix: '"tier": "pro"',
    status: 422,
  },
  {
    name: 'a date that is not RFC 3339',
    curl: `curl $URL/customers ${AUTH} --json '{"name":"Ada","email":"ada@example.com","birthday":"1815-12-10T00:00:00Z"}'`,
    where: 'body.birthday',
    rule: /^format date$/,
    hint: /full-date/,
    fix: '"birthday": "1815-12-10"',
    status: 422,
  },
  {
    name: 'a date parameter with a time part',
    curl: `curl '$URL/customers?createdAfter=2024-01-01T00:00:00Z' ${AUTH}`,
    where: 'query.createdAfter',
    rule: /^format date$/,
    hint: /time part is not allowed/,
    fix: 'createdAfter=2024-01-01',
    status: 400,
  },
  {
    name: 'an array parameter with the wrong separator',
    curl: `curl '$URL/customers?tags=vip|newsletter' ${AUTH}`,
    where: 'query.tags[0]',
    rule: /^pattern/,
    hint: /wrong list separator '\|'.*explode=false/,
    fix: 'tags=vip,newsletter',
    status: 400,
  },
  {
    name: 'the Bearer prefix missing from Authorization',
    curl: `curl $URL/customers -H 'Authorization: full-token'`,
    where: 'security',
    rule: /^security: bearerAuth or oauth2$/,
    hint: /"Bearer " prefix is missing/,
    fix: 'Authorization: Bearer full-token',
    status: 401,
  },
  {
    name: 'no credentials at all',
    curl: `curl $URL/customers/${CUSTOMER}`,
    where: 'security',
    rule: /^security:/,
    status: 401,
  },
  {
    name: 'a path parameter that is not a UUID',
    curl: `curl $URL/customers/42 ${AUTH}`,
    where: 'path.customerId',
    rule: /^format uuid$/,
    hint: /UUID is 32 hex digits/,
    status: 400,
  },
  {
    name: 'a method the path does not document',
    curl: `curl -X PUT $URL/customers/${CUSTOMER} ${AUTH} --json '{}'`,
    where: 'method',
    rule: /^paths$/,
    fix: 'use one of GET, DELETE, PATCH',
    status: 405,
  },
  {
    name: 'a trailing slash',
    curl: `curl $URL/customers/ ${AUTH}`,
    where: 'path',
    rule: /^paths$/,
    fix: 'drop the trailing slash: /customers',
    status: 404,
  },
  {
    name: 'a base path the document does not have',
    curl: `curl $URL/api/customers ${AUTH}`,
    where: 'path',
    rule: /^paths$/,
    fix: 'the document has no base path, not /api: /customers',
    status: 404,
  },
  {
    name: 'a form post missing its required field',
    curl: `curl $URL/customers/${CUSTOMER}/notes ${AUTH} -d 'txt=hello&pinned=yes'`,
    where: 'body.text',
    rule: /^required text$/,
    hint: /you sent 'txt'/,
    status: 422,
  },
];

function problemAt(diagnosis: Diagnosis, where: string): Diagnosis['problems'][number] {
  const problem = diagnosis.problems.find((p) => p.where === where);
  assert.ok(problem, `no problem at ${where}; got ${diagnosis.problems.map((p) => `${p.where} (${p.rule})`).join(', ')}`);
  return problem;
}

describe('explain: the common mistakes, diagnosed and confirmed by the example server', () => {
  let server: ExampleServer;
  let spec: ApiSpec;
  let validator: Validator;
  before(async () => {
    spec = await loadSpec(specPath);
    validator = createValidator(spec.schemas);
    server = await startExampleServer({ port: 0 });
  });
  after(async () => {
    await server.close();
  });

  for (const mistake of MISTAKES) {
    test(mistake.name, async () => {
      const input = parseCurl([mistake.curl.replaceAll('$URL', server.url)]);
      const diagnosis = await explainRequest(spec, input, { validator, send: true });
      assert.equal(diagnosis.conforms, false);
      const problem = problemAt(diagnosis, mistake.where);
      assert.equal(problem.severity, 'error');
      assert.match(problem.rule, mistake.rule);
      if (mistake.hint) assert.match(problem.hint ?? '', mistake.hint);
      if (mistake.fix) assert.equal(problem.fix, mistake.fix);
      assert.equal(diagnosis.server?.status, mistake.status, diagnosis.server?.bodyExcerpt);
      assert.notEqual(diagnosis.server?.verdict, 'server-accepts-invalid');
    });
  }

  test('every schema problem names its rule in the document with a pointer and a line', async () => {
    const input = parseCurl([`curl ${server.url}/customers ${AUTH} --json '{"name":"","email":"x","age":-1,"zip":"1"}'`]);
    const diagnosis = await explainRequest(spec, input, { validator });
    const rules = Object.fromEntries(diagnosis.problems.map((p) => [p.where, [p.rule, p.rulePointer, typeof p.line]]));
    assert.deepEqual(rules, {
      'body.name': ['minLength 1', '#/components/schemas/Customer/properties/name/minLength', 'number'],
      'body.email': ['format email', '#/components/schemas/Customer/properties/email/format', 'number'],
      'body.age': ['minimum 0', '#/components/schemas/Customer/properties/age/minimum', 'number'],
      'body.zip': ['pattern ^[0-9]{5}$', '#/components/schemas/Customer/properties/zip/pattern', 'number'],
    });
    assert.deepEqual(diagnosis.expected, ['422']);
    assert.equal(diagnosis.server, undefined);
  });

  test('a conforming request: no problem, exit-clean, and the server agrees', async () => {
    const input = parseCurl([`curl ${server.url}/customers ${AUTH} --json '{"name":"Ada","email":"ada@example.com","zip":"12345","tier":"pro"}'`]);
    const diagnosis = await explainRequest(spec, input, { validator, send: true });
    assert.deepEqual(diagnosis.problems, []);
    assert.equal(diagnosis.conforms, true);
    assert.equal(diagnosis.operation?.id, 'createCustomer');
    assert.equal(diagnosis.server?.status, 201);
    assert.equal(diagnosis.server?.verdict, 'agrees');
  });

  test('the server names the same members as the diagnosis (problem details errors[].pointer)', async () => {
    const input = parseCurl([`curl ${server.url}/customers ${AUTH} --json '{"name":"Ada","email":"ada@example.com","age":"36"}'`]);
    const diagnosis = await explainRequest(spec, input, { validator, send: true });
    assert.equal(diagnosis.server?.format, 'problem-details');
    assert.ok(diagnosis.server?.reasons.some((r) => r.location === '/age'), JSON.stringify(diagnosis.server?.reasons));
    assert.equal(diagnosis.server?.verdict, 'agrees');
    assert.match(diagnosis.server?.summary ?? '', /body\.age/);
  });

  test('a misspelt optional query parameter is a warning with "did you mean", not an error', async () => {
    const input = parseCurl([`curl '${server.url}/customers?limt=5' ${AUTH}`]);
    const diagnosis = await explainRequest(spec, input, { validator });
    assert.equal(diagnosis.conforms, true);
    const warning = problemAt(diagnosis, 'query.limt');
    assert.equal(warning.severity, 'warning');
    assert.equal(warning.value, '5');
    assert.equal(warning.hint, "did you mean 'limit'?");
  });
});

describe('explain --send against a misbehaving server', () => {
  let spec: ApiSpec;
  before(async () => {
    spec = await loadSpec(specPath);
  });

  test('the spec rejects, the server accepts: a server-side finding', async () => {
    const server = await startExampleServer({ port: 0, misbehave: ['accept-bad-format'] });
    try {
      const input = parseCurl([`curl ${server.url}/customers ${AUTH} --json '{"name":"Ada","email":"ada@example.com","zip":"1234"}'`]);
      const diagnosis = await explainRequest(spec, input, { send: true });
      assert.equal(problemAt(diagnosis, 'body.zip').rule, 'pattern ^[0-9]{5}$');
      assert.equal(diagnosis.server?.status, 201);
      assert.equal(diagnosis.server?.verdict, 'server-accepts-invalid');
    } finally {
      await server.close();
    }
  });

  test('the spec accepts, the server rejects: a server-side finding', async () => {
    const server = await startExampleServer({ port: 0, misbehave: ['reject-valid-unicode'] });
    try {
      const input = parseCurl([`curl ${server.url}/customers ${AUTH} --json '{"name":"Zoë Çelik","email":"zoe@example.com"}'`]);
      const diagnosis = await explainRequest(spec, input, { send: true });
      assert.equal(diagnosis.conforms, true);
      assert.equal(diagnosis.server?.status, 400);
      assert.equal(diagnosis.server?.verdict, 'server-rejects-valid');
    } finally {
      await server.close();
    }
  });

  test('Google-style error envelopes are decoded: error.errors[].location', async () => {
    const server = await startExampleServer({ port: 0, misbehave: ['google-envelope'] });
    try {
      const input = parseCurl([`curl '${server.url}/customers?limit=0' ${AUTH}`]);
      const diagnosis = await explainRequest(spec, input, { send: true });
      assert.equal(diagnosis.server?.status, 400);
      assert.equal(diagnosis.server?.format, 'google');
      assert.ok(diagnosis.server?.reasons.some((r) => /limit/.test(r.location ?? '')), JSON.stringify(diagnosis.server?.reasons));
      assert.equal(diagnosis.server?.verdict, 'agrees');
    } finally {
      await server.close();
    }
  });

  test('an int32 overflow that crashes the server is reported as a server error', async () => {
    const server = await startExampleServer({ port: 0, misbehave: ['int32-overflow-500'] });
    try {
      const input = parseCurl([`curl '${server.url}/customers?limit=3000000000' ${AUTH}`]);
      const diagnosis = await explainRequest(spec, input, { send: true });
      assert.match(problemAt(diagnosis, 'query.limit').hint ?? '', /beyond int32/);
      assert.equal(diagnosis.server?.status, 500);
      assert.equal(diagnosis.server?.verdict, 'server-error');
    } finally {
      await server.close();
    }
  });

  test('nothing listening: the answer is "no-answer", not an exception', async () => {
    const server = await startExampleServer({ port: 0 });
    const url = server.url;
    await server.close();
    const input = parseCurl([`curl ${url}/health`]);
    const diagnosis = await explainRequest(spec, input, { send: true, timeoutMs: 2000 });
    assert.equal(diagnosis.conforms, true);
    assert.equal(diagnosis.server?.verdict, 'no-answer');
    assert.match(diagnosis.server?.error ?? '', /ECONNREFUSED/);
  });
});
