// The explain subcommand as a user runs it: bin/api-contract-check.js in a child process.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startExampleServer, type ExampleServer } from '../examples/server.js';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
const bin = path.join(projectRoot, 'bin/api-contract-check.js');
const specPath = path.join(projectRoot, 'examples/openapi.yaml');
const harFile = path.join(projectRoot, 'test/fixtures/explain/session.har');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

// asynchronous, so that the example server in this process keeps answering
function run(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, 'explain', specPath, ...args], { env: { ...process.env, NO_COLOR: '1' } }, (error, stdout, stderr) => {
      const code = error && typeof error.code === 'number' ? error.code : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

describe('api-contract-check explain', () => {
  let server: ExampleServer;
  before(async () => {
    server = await startExampleServer({ port: 0 });
  });
  after(async () => {
    await server.close();
  });

  test('curl words after --: the problems, their rules and lines, exit 1', async () => {
    const result = await run(['--', 'curl', '-X', 'POST', `${server.url}/customers`, '-H', 'Authorization: Bearer full-token', '-H', 'Content-Type: application/json', '-d', '{"name": "x", "emial": "x@example.com"}']);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stdout, /operation createCustomer: POST \/customers/);
    assert.match(result.stdout, /body\.email\n\s+sent\s+\(nothing\)\n\s+rule\s+required email\s+#\/components\/schemas\/Customer\/required \(openapi\.yaml:\d+\)/);
    assert.match(result.stdout, /hint\s+you sent 'emial': did you mean 'email'\?/);
  });

  test('the whole command as one string, --send --json: the server answer beside the diagnosis', async () => {
    const result = await run(['--send', '--json', `curl '${server.url}/customers?tags=vip|newsletter' -H 'Authorization: Bearer read-token'`]);
    assert.equal(result.code, 1, result.stderr);
    const diagnosis = JSON.parse(result.stdout) as { conforms: boolean; problems: Array<{ where: string; fix?: string }>; server: { status: number; verdict: string } };
    assert.equal(diagnosis.conforms, false);
    assert.deepEqual(diagnosis.problems.map((p) => [p.where, p.fix]), [['query.tags[0]', 'tags=vip,newsletter']]);
    assert.equal(diagnosis.server.status, 400);
    assert.equal(diagnosis.server.verdict, 'agrees');
  });

  test('options instead of curl; a conforming request the server accepts exits 0', async () => {
    const result = await run(['--method', 'GET', '--url', '/products?limit=5&inStock=true', '--base-url', server.url, '--send']);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /✓ the request conforms to the contract/);
    assert.match(result.stdout, /the server answered 200/);
  });

  test('a HAR file: every entry diagnosed; one non-conforming entry makes the exit code 1', async () => {
    const result = await run(['--har', harFile, '--json']);
    assert.equal(result.code, 1, result.stderr);
    const output = JSON.parse(result.stdout) as { diagnoses: Array<{ conforms: boolean; request: { origin: string } }> };
    assert.deepEqual(output.diagnoses.map((d) => [d.request.origin, d.conforms]), [['HAR entry 1', true], ['HAR entry 2', false], ['HAR entry 3', false]]);
  });

  test('bad input exits 2 with one line naming it, no stack trace', async () => {
    const cases: Array<[string[], RegExp]> = [
      [[`curl -d '{"a": 1} ${server.url}/customers`], /unterminated single quote/],
      [['--har', harFile, '--entry', '7'], /--entry 7: .* has 3 entries/],
      [['--har', path.join(projectRoot, 'test/fixtures/explain/nothing.har')], /cannot read it \(ENOENT\)/],
      [[], /give a curl command/],
    ];
    for (const [args, message] of cases) {
      const result = await run(args);
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, message);
      assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
      assert.doesNotMatch(result.stderr, /\n\s+at /);
    }
  });
});
