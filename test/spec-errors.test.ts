import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../src/errors.js';
import { loadSpec, readRefMap } from '../src/spec/index.js';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
const errors = path.resolve(projectRoot, 'test/fixtures/spec/errors');

/** Runs `load`, expects an InputError whose message is one line, and returns that message. */
async function inputErrorOf(load: () => Promise<unknown>): Promise<string> {
  try {
    await load();
  } catch (error) {
    assert.ok(error instanceof InputError, `expected InputError, got ${String(error)}`);
    assert.ok(!error.message.includes('\n'), `one line: ${error.message}`);
    return error.message;
  }
  assert.fail('expected an InputError');
}

test('a missing file is an InputError naming the file', async () => {
  const file = path.join(errors, 'no-such-file.yaml');
  assert.equal(await inputErrorOf(() => loadSpec(file)), `${file}: no such file`);
});

test('a YAML syntax error gives FILE:LINE:COL', async () => {
  const file = path.join(errors, 'bad-syntax.yaml');
  const message = await inputErrorOf(() => loadSpec(file));
  assert.match(message, /^.*bad-syntax\.yaml:(\d+):(\d+): \S/);
  const [, line] = /:(\d+):(\d+):/.exec(message)!;
  assert.ok(Number(line) >= 3 && Number(line) <= 4, message);
});

test('a JSON syntax error gives FILE:LINE:COL of the bad character', async () => {
  const file = path.join(errors, 'bad-syntax.json');
  const message = await inputErrorOf(() => loadSpec(file));
  assert.ok(message.startsWith(`${file}:3:25: JSON syntax error`), message);
});

test('a document that is not OpenAPI, or of an unsupported version, is refused naming the file', async () => {
  const notOpenApi = path.join(errors, 'not-openapi.yaml');
  assert.match(await inputErrorOf(() => loadSpec(notOpenApi)), new RegExp(`^${notOpenApi}: not an OpenAPI document`));
  const version = path.join(errors, 'unsupported-version.yaml');
  assert.match(await inputErrorOf(() => loadSpec(version)), /unsupported-version\.yaml: unsupported OpenAPI version "2\.5\.0"/);
});

test('an unresolvable internal $ref names the file, the holder pointer and the ref', async () => {
  const file = path.join(errors, 'unresolvable.yaml');
  const message = await inputErrorOf(() => loadSpec(file));
  assert.ok(message.startsWith(`${file}#/paths/~1a/get/responses/200/content/application~1json/schema: `), message);
  assert.match(message, /\$ref "#\/components\/schemas\/Nope"/);
});

test('a $ref to a missing file names the holder, the ref and the file it looked for', async () => {
  const file = path.join(errors, 'unresolvable-file.yaml');
  const message = await inputErrorOf(() => loadSpec(file));
  assert.ok(message.startsWith(`${file}#/paths/~1a/get/parameters/0: `), message);
  assert.match(message, /"nowhere\/params\.yaml#\/Limit"/);
  assert.ok(message.includes(path.join(errors, 'nowhere/params.yaml')), message);
});

test('an unmapped remote $ref is refused without any fetch and suggests --ref-map', async () => {
  const file = path.join(errors, 'unmapped-remote.yaml');
  const message = await inputErrorOf(() => loadSpec(file));
  assert.ok(message.startsWith(`${file}#/paths/~1a/get/responses/200/content/application~1json/schema: `), message);
  assert.match(message, /--ref-map/);
});

test('a bad ref map file is an InputError naming it', async (t) => {
  const folder = await mkdtemp(path.join(tmpdir(), 'refmap-'));
  t.after(() => rm(folder, { recursive: true, force: true }));
  const missing = path.join(folder, 'missing.json');
  assert.match(await inputErrorOf(() => readRefMap(missing)), new RegExp(`^${missing}: `));
  const badEntry = path.join(folder, 'bad.json');
  await writeFile(badEntry, JSON.stringify([{ publicURL: 'https://x.test/' }]));
  assert.equal(await inputErrorOf(() => readRefMap(badEntry)), `${badEntry}#/0: a ref map entry needs "publicURL" and "localURL" strings`);
  const badSyntax = path.join(folder, 'syntax.json');
  await writeFile(badSyntax, '[{"publicURL": }]');
  assert.match(await inputErrorOf(() => readRefMap(badSyntax)), new RegExp(`^${badSyntax}:1:\\d+: JSON syntax error`));
});
