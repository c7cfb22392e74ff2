import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSpec } from '../src/spec/index.js';
import { explainRequest, readHar } from '../src/explain/index.js';
import { InputError } from '../src/errors.js';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
const fixtures = path.join(projectRoot, 'test/fixtures/explain');
const harFile = path.join(fixtures, 'session.har');
const specPath = path.join(projectRoot, 'examples/openapi.yaml');

test('HAR: every entry is read, HTTP/2 pseudo-headers dropped, the body taken from postData.text', () => {
  const entries = readHar(harFile);
  assert.deepEqual(entries.map((e) => `${e.input.method} ${e.input.url}`), [
    'GET http://127.0.0.1:8080/customers?limit=10&tier=pro',
    'POST http://127.0.0.1:8080/customers',
    'PATCH http://127.0.0.1:8080/customers/0b7c9a64-3c1f-4d55-9a57-3f2de2a1c2b1',
  ]);
  assert.deepEqual(entries[0]!.input.headers.map(([n]) => n), ['accept', 'authorization']);
  assert.equal(new TextDecoder().decode(entries[1]!.input.body), 'name=Ada+Lovelace&email=ada%40example.com');
  assert.deepEqual(entries.map((e) => e.recorded?.status), [200, 415, undefined]);
  assert.deepEqual(entries.map((e) => e.input.origin), ['HAR entry 1', 'HAR entry 2', 'HAR entry 3']);
});

test('HAR: each entry diagnosed, and the recorded answer compared with the diagnosis', async () => {
  const spec = await loadSpec(specPath);
  const [list, form, patch] = readHar(harFile);

  const listed = await explainRequest(spec, list!.input, { recorded: list!.recorded! });
  assert.equal(listed.operation?.id, 'listCustomers');
  assert.equal(listed.conforms, true);
  assert.equal(listed.server?.source, 'har');
  assert.equal(listed.server?.verdict, 'agrees');

  const posted = await explainRequest(spec, form!.input, { recorded: form!.recorded! });
  const contentType = posted.problems.find((p) => p.where === 'header.Content-Type');
  assert.equal(contentType?.value, 'application/x-www-form-urlencoded; charset=UTF-8');
  assert.match(contentType?.hint ?? '', /form-encoded/);
  assert.equal(posted.server?.status, 415);
  assert.equal(posted.server?.verdict, 'agrees');

  const patched = await explainRequest(spec, patch!.input);
  assert.equal(patched.operation?.id, 'updateCustomer');
  assert.deepEqual(patched.problems.map((p) => [p.where, p.rule]), [
    ['body.age', 'type integer | null'],
    ['body.tier', 'enum ["basic","pro","enterprise",null]'],
  ]);
  assert.equal(patched.problems[0]!.fix, '"age": 40');
  assert.equal(patched.server, undefined);
});

test('HAR: --entry picks one entry (1-based); bad files and entries are InputErrors naming them', () => {
  assert.deepEqual(readHar(harFile, 2).map((e) => e.input.method), ['POST']);
  const rejects = (fn: () => unknown, pattern: RegExp): void => {
    assert.throws(fn, (e: unknown) => e instanceof InputError && pattern.test(e.message));
  };
  rejects(() => readHar(harFile, 4), /--entry 4: .*session\.har has 3 entries \(1 to 3\)/);
  rejects(() => readHar(path.join(fixtures, 'not-a-har.json')), /no log\.entries array/);
  rejects(() => readHar(path.join(fixtures, 'customer.json')), /no log\.entries array/);
  rejects(() => readHar(path.join(fixtures, 'missing.har')), /--har .*missing\.har: cannot read it \(ENOENT\)/);
  rejects(() => readHar(path.join(fixtures, 'note.txt')), /not JSON/);
});
