// Issue 17, point 3: a config file in the current directory with an unset ${VAR} breaks only the commands
// that use that key; --no-config reads no file; a misspelt key gets "did you mean".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from './support-process.js';
import { startExampleServer } from '../examples/server.js';
import { EXAMPLE_CONTRACTS } from '../examples/contracts.js';

const contract = EXAMPLE_CONTRACTS['3.1'];

/** A directory holding api-contract-check.config.yaml with `text`; the environment without API_URL. */
function projectWith(text: string): { cwd: string; env: NodeJS.ProcessEnv } {
  const cwd = mkdtempSync(path.join(tmpdir(), 'acc-cli-config-'));
  writeFileSync(path.join(cwd, 'api-contract-check.config.yaml'), text);
  const env = { ...process.env };
  delete env['API_URL'];
  delete env['ALICE_PASSWORD'];
  return { cwd, env };
}

const WITH_UNSET_URL = `spec: ${JSON.stringify(contract)}
baseUrl: \${API_URL}
seed: 4
identities:
  alice:
    login:
      url: /auth/login
      body: { username: alice, password: "\${ALICE_PASSWORD}" }
      token: $response.body#/access_token
`;

test('${API_URL} unset: operations works; a run that gives --base-url works; a run that needs it names it', { timeout: 60_000 }, async () => {
  const { cwd, env } = projectWith(WITH_UNSET_URL.replace(/identities:[\s\S]*$/, ''));
  const server = await startExampleServer({ port: 0 });
  try {
    const ops = await runCli(['operations', contract, '--json'], { cwd, env });
    assert.equal(ops.code, 0, ops.stderr);
    assert.equal((JSON.parse(ops.stdout) as { operations: unknown[] }).operations.length, 16);
    // the spec comes from the file too: still no base URL needed
    const fromFile = await runCli(['operations'], { cwd, env });
    assert.equal(fromFile.code, 0, fromFile.stderr);

    const report = path.join(cwd, 'r.json');
    const run = await runCli(['--base-url', server.url, '--auth-bearer', 'full-token', '--operation', 'getHealth', '--report-json', report, '--quiet'], { cwd, env });
    assert.equal(run.code, 0, run.stderr);
    assert.equal((JSON.parse(readFileSync(report, 'utf8')) as { seed: number }).seed, 4, 'the other keys of the file still apply');

    const needs = await runCli([], { cwd, env });
    assert.equal(needs.code, 2);
    assert.equal(needs.stderr.trim(), 'api-contract-check: api-contract-check.config.yaml#/baseUrl: environment variable API_URL is not set');
  } finally {
    await server.close();
  }
});

test('identities are read by the run only: operations ignores an unset password in them', async () => {
  const { cwd, env } = projectWith(WITH_UNSET_URL);
  const ops = await runCli(['operations', '--json'], { cwd, env });
  assert.equal(ops.code, 0, ops.stderr);
  const run = await runCli(['--base-url', 'http://127.0.0.1:9'], { cwd, env });
  assert.equal(run.code, 2);
  assert.match(run.stderr.trim(), /^api-contract-check: api-contract-check\.config\.yaml#\/identities\/alice\/login\/body\/password: environment variable ALICE_PASSWORD is not set$/);
});

test('--no-config: the file in the current directory is not read at all, not even its keys', { timeout: 60_000 }, async () => {
  const { cwd, env } = projectWith(`baseUrl: \${API_URL}\nnotAKey: 1\nseed: 4\n`);
  const broken = await runCli(['operations', contract], { cwd, env });
  assert.equal(broken.code, 2, 'without --no-config the unknown key is an error');
  const ops = await runCli(['operations', contract, '--no-config', '--json'], { cwd, env });
  assert.equal(ops.code, 0, ops.stderr);
  const server = await startExampleServer({ port: 0 });
  try {
    const report = path.join(cwd, 'r.json');
    const run = await runCli([contract, '--no-config', '--base-url', server.url, '--auth-bearer', 'full-token', '--operation', 'getHealth', '--report-json', report, '--quiet'], { cwd, env });
    assert.equal(run.code, 0, run.stderr);
    assert.equal((JSON.parse(readFileSync(report, 'utf8')) as { seed: number }).seed, 1, 'the default seed: the file was not read');
  } finally {
    await server.close();
  }
});

test('a misspelt key: one line with the key it most likely means', async () => {
  const cases: Array<[string, string]> = [
    ['concurency: 2', "unknown key 'concurency' (did you mean 'concurrency'?)"],
    ['baseUrll: http://x', "unknown key 'baseUrll' (did you mean 'baseUrl'?)"],
    ['maxPositiv: 2', "unknown key 'maxPositiv' (did you mean 'maxPositive'?)"],
    ['base_url: http://x', "unknown key 'base_url' (did you mean 'baseUrl'?)"],
    ['workers: 2', "unknown key 'workers' (did you mean 'concurrency'?)"],
    ['maxExamples: 2', "unknown key 'maxExamples' (did you mean 'maxPositive'?)"],
    ['identites: {}', "unknown key 'identites' (did you mean 'identities'?)"],
  ];
  for (const [line, message] of cases) {
    const { cwd, env } = projectWith(`${line}\n`);
    const key = line.split(':')[0]!;
    const r = await runCli(['operations', contract], { cwd, env });
    assert.equal(r.code, 2, line);
    assert.equal(r.stderr.trim(), `api-contract-check: api-contract-check.config.yaml#/${key}: ${message}`);
  }
});
